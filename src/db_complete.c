/*
 * db_complete: names for shell completion.  Each query matches a prefix
 * with substr(), which SQLite and PostgreSQL both count in characters,
 * and stops at DB_COMPLETE_MAX rows: a TAB wants a few names now, not
 * every run of a million-run workspace.
 */
#include "config.h"

#include "db_complete.h"

#include <string.h>

#include "db_internal.h"
#include "err.h"

static const char q_experiment[] =
    "SELECT name FROM experiments WHERE substr(name, 1, CAST(?2 AS INTEGER)) = ?1 "
    "AND deleted_at IS NULL ORDER BY name LIMIT ?3";
static const char q_run[] =
    "SELECT DISTINCT name FROM runs r WHERE substr(name, 1, CAST(?2 AS INTEGER)) = ?1 "
    "AND " RUN_LIVE_SQL " ORDER BY name LIMIT ?3";
/* EXPERIMENT/NAME once the experiment is typed. */
static const char q_run_in[] =
    "SELECT e.name || '/' || r.name FROM runs r JOIN experiments e "
    "ON e.id = r.experiment_id WHERE e.name = ?4 "
    "AND substr(r.name, 1, CAST(?2 AS INTEGER)) = ?1 AND " RUN_LIVE_SQL
    " ORDER BY r.name LIMIT ?3";
static const char q_uuid[] =
    "SELECT uuid FROM runs r WHERE substr(uuid, 1, CAST(?2 AS INTEGER)) = ?1 "
    "AND " RUN_LIVE_SQL " ORDER BY uuid LIMIT ?3";
static const char q_metric[] =
    "SELECT name FROM metric_keys WHERE substr(name, 1, CAST(?2 AS INTEGER)) = ?1 "
    "ORDER BY name LIMIT ?3";
static const char q_param[] =
    "SELECT DISTINCT key FROM params WHERE substr(key, 1, CAST(?2 AS INTEGER)) = ?1 "
    "ORDER BY key LIMIT ?3";
static const char q_model[] =
    "SELECT name FROM models WHERE substr(name, 1, CAST(?2 AS INTEGER)) = ?1 "
    "ORDER BY name LIMIT ?3";
static const char q_alias[] =
    "SELECT DISTINCT alias FROM model_aliases "
    "WHERE substr(alias, 1, CAST(?2 AS INTEGER)) = ?1 ORDER BY alias LIMIT ?3";
static const char q_report[] =
    "SELECT DISTINCT name FROM drift_reports WHERE name IS NOT NULL "
    "AND substr(name, 1, CAST(?2 AS INTEGER)) = ?1 ORDER BY name LIMIT ?3";

/* UTF-8 characters in s (continuation bytes are not counted). */
static int
nchars(const char *s)
{
	int	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int
run_query(struct db *db, const char *sql, const char *prefix,
    const char *extra, void (*fn)(void *, const char *), void *arg,
    struct wb_err *err)
{
	struct db_stmt	*st;
	const char	*s;
	int		 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return err != NULL ? err->code : WB_EDB;
	if (db_bind_text(st, 1, prefix) != 0 ||
	    db_bind_int(st, 2, nchars(prefix)) != 0 ||
	    db_bind_int64(st, 3, DB_COMPLETE_MAX) != 0 ||
	    (extra != NULL && db_bind_text(st, 4, extra) != 0))
		return db_sqlerr(db, err);
	while ((rc = db_step(st)) == DB_ROW)
		if ((s = db_column_text(st, 0)) != NULL)
			fn(arg, s);
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	db_reset(st);
	return WB_OK;
}

/* A UUID prefix long enough to be worth a lookup: 4+ hex digits. */
static int
hexish(const char *s)
{
	size_t	n = strspn(s, "0123456789abcdef");

	return n >= 4 && s[n] == '\0';
}

int
db_complete(struct db *db, enum db_complete_kind kind, const char *prefix,
    void (*fn)(void *, const char *), void *arg, struct wb_err *err)
{
	const char	*slash, *sql = NULL;
	char		 exp[256];
	int		 rc;

	wb_err_clear(err);
	switch (kind) {
	case DB_COMPLETE_EXPERIMENT:
		sql = q_experiment;
		break;
	case DB_COMPLETE_METRIC:
		sql = q_metric;
		break;
	case DB_COMPLETE_PARAM:
		sql = q_param;
		break;
	case DB_COMPLETE_MODEL:
		sql = q_model;
		break;
	case DB_COMPLETE_ALIAS:
		sql = q_alias;
		break;
	case DB_COMPLETE_REPORT:
		sql = q_report;
		break;
	case DB_COMPLETE_RUN:
		/* EXPERIMENT/NAME: the experiment's runs. */
		if ((slash = strchr(prefix, '/')) != NULL) {
			if ((size_t)(slash - prefix) >= sizeof exp)
				return WB_OK;
			memcpy(exp, prefix, (size_t)(slash - prefix));
			exp[slash - prefix] = '\0';
			return run_query(db, q_run_in, slash + 1, exp, fn, arg,
			    err);
		}
		if ((rc = run_query(db, q_run, prefix, NULL, fn, arg, err)) !=
		    WB_OK || !hexish(prefix))
			return rc;
		return run_query(db, q_uuid, prefix, NULL, fn, arg, err);
	}
	return run_query(db, sql, prefix, NULL, fn, arg, err);
}
