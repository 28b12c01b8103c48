/*
 * Fault injection (sqlite's *fault.test idea): run an operation with the
 * Nth library allocation failing, for every N until it succeeds, and check
 * that each failure is reported as an error, leaks nothing (ASan/valgrind
 * watch that) and leaves the database as it was.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "yamldoc.h"
#include "tap.h"

/* Write 3 runs x 2 metrics x 3000 points in one transaction. */
static int
ingest(struct db *db, struct wb_err *err)
{
	struct mwriter	*w = NULL;
	struct run_new	 r;
	int64_t		 exp, run, k1, k2;
	int		 i, j, rc;
	char		 name[32];

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = db_exp_ensure(db, "fault", &exp, err)) != WB_OK ||
	    (rc = mw_open(db, &w, err)) != WB_OK ||
	    (rc = mw_key(w, "loss", &k1, err)) != WB_OK ||
	    (rc = mw_key(w, "acc", &k2, err)) != WB_OK)
		goto fail;
	for (j = 0; j < 3; j++) {
		memset(&r, 0, sizeof r);
		snprintf(name, sizeof name, "run%d", j);
		r.name = name;
		r.experiment_id = exp;
		r.git_dirty = -1;
		if ((rc = db_run_insert(db, &r, &run, err)) != WB_OK ||
		    (rc = db_param_set(db, run, "lr", "0.1", err)) != WB_OK)
			goto fail;
		for (i = 0; i < 3000; i++)
			if ((rc = mw_add(w, run, k1, i, 0, 1.0 / (i + 1), err))
			    != WB_OK ||
			    (rc = mw_add(w, run, k2, i, 0, i * 0.001, err)) !=
			    WB_OK)
				goto fail;
	}
	if ((rc = mw_flush(w, err)) != WB_OK)
		goto fail;
	mw_close(w);
	return db_commit(db, err);
fail:
	mw_close(w);
	db_rollback(db);
	return rc;
}

static void
test_ingest(void)
{
	struct db	*db;
	struct wb_err	 err;
	int64_t		 n;
	long		 k;
	int		 rc, failures = 0, bad = 0;

	if (db_open(":memory:", 0, &db, &err) != WB_OK) {
		ok(0, "open: %s", err.msg);
		return;
	}
	for (k = 0; k < 100000; k++) {
		wb_mem_fail_after(k);
		rc = ingest(db, &err);
		wb_mem_fail_after(-1);
		if (rc == WB_OK)
			break;
		failures++;
		if (rc != WB_ENOMEM)
			bad++;
		db_run_count(db, 0, &n, &err);
		if (n != 0)
			bad++;
	}
	ok(rc == WB_OK && failures > 10, "ingest succeeds after %d injected "
	    "failures", failures);
	is_int(bad, 0, "every failure said ENOMEM and left no run behind");
	db_run_count(db, 0, &n, &err);
	is_int(n, 3, "the final ingest is complete");
	db_close(db);
}

static void
test_parsers(void)
{
	const char	 csv[] = "epoch,loss\n0,\"1.5\"\n1,0.5\n2,\"multi\nline\"\n";
	const char	 yaml[] = "a: &x {b: [1, 2, 3], c: 'd'}\ne: *x\nf: [g, h]\n";
	struct csvread	*r;
	struct csv_row	 row;
	struct ydoc	*d;
	struct wb_err	 err;
	long		 k;
	int		 rc = WB_ENOMEM, eof, failures = 0, bad = 0, rows;

	for (k = 0; k < 10000; k++) {
		wb_mem_fail_after(k);
		rows = 0;
		rc = csvread_open_mem(csv, sizeof csv - 1, "f.csv", &r, &err);
		while (rc == WB_OK && (rc = csvread_next(r, &row, &eof, &err))
		    == WB_OK && !eof)
			rows++;
		csvread_close(rc == WB_OK || r ? r : NULL);
		wb_mem_fail_after(-1);
		if (rc == WB_OK)
			break;
		failures++;
		if (rc != WB_ENOMEM)
			bad++;
	}
	ok(rc == WB_OK && rows == 4, "csvread survives %d allocation "
	    "failures", failures);
	is_int(bad, 0, "each reported as ENOMEM");

	failures = bad = 0;
	for (k = 0; k < 10000; k++) {
		wb_mem_fail_after(k);
		rc = ydoc_load_mem(yaml, sizeof yaml - 1, "f.yaml", &d, &err);
		wb_mem_fail_after(-1);
		if (rc == WB_OK)
			break;
		failures++;
		if (rc != WB_ENOMEM)
			bad++;
	}
	ok(rc == WB_OK && d->root != NULL, "yamldoc survives %d allocation "
	    "failures", failures);
	is_int(bad, 0, "each reported as ENOMEM");
	ydoc_free(rc == WB_OK ? d : NULL);
}

int
main(void)
{
	test_ingest();
	test_parsers();
	return tap_done();
}
