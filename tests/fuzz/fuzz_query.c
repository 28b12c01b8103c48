/*
 * libFuzzer target: bytes as a run filter (the search language) and as an
 * --order-by list.  A filter that parses is also compiled and run against
 * a small :memory: workspace, so the SQL built from any tree must prepare
 * and step (bound values only; an SQL error would be a bug).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_query.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "query.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;

static void
setup(void)
{
	struct wb_err	err;
	struct run_new	r;
	int64_t		exp, id;

	if (db_open(":memory:", 0, &db, &err) != WB_OK ||
	    db_exp_ensure(db, "e", &exp, &err) != WB_OK)
		abort();
	memset(&r, 0, sizeof r);
	r.experiment_id = exp;
	r.name = "run";
	r.git_dirty = -1;
	if (db_run_insert(db, &r, &id, &err) != WB_OK ||
	    db_param_set(db, id, "lr", "0.1", &err) != WB_OK ||
	    db_tag_set(db, id, "team", "vision", &err) != WB_OK)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct query	*q = NULL;
	struct q_order	*o = NULL;
	struct wb_err	 err;
	int64_t		*ids = NULL;
	size_t		 n;
	char		*s;

	if (db == NULL)
		setup();
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)query_looks_like_filter(s);
	if (query_parse(s, &q, &err) == WB_OK) {
		if (db_query_runs(db, q, NULL, 0, &ids, &n, &err) != WB_OK &&
		    err.code == WB_EDB)
			abort();	/* compiled SQL must always prepare */
		wb_free(ids);
		query_free(q);
	}
	if (query_order_parse(s, &o, &err) == WB_OK)
		query_order_free(o);
	free(s);
	return 0;
}
