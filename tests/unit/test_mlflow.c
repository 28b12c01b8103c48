/*
 * Unit tests of the MLflow import's parsers (metric lines, a run's
 * meta.yaml, UUIDs, statuses, values), and the whole import of the
 * fixture mlruns/ and of the MLflow 3 fixture database under every
 * allocation failure: each must fail cleanly, leak nothing and leave the
 * workspace empty.  A generated database large enough for the reader's
 * thread to hand over many batches (mlflow_feed.c) checks that every
 * point arrives in order, and that a failure on either side of the feed
 * stops the import and leaves nothing.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "db_internal.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "mlflow.h"
#include "yamldoc.h"
#include "tap.h"

static int
line(const char *s, int64_t *ts, double *v, int64_t *step, const char **why)
{
	*why = NULL;
	return mlflow_metric_line(s, strlen(s), ts, v, step, why);
}

static void
test_metric_lines(void)
{
	const char	*why;
	int64_t		 ts, step;
	double		 v;

	is_int(line("1700000000000 0.25 7", &ts, &v, &step, &why), 1,
	    "three fields");
	is_int(ts, 1700000000000LL, "timestamp");
	ok(v == 0.25, "value");
	is_int(step, 7, "step");
	is_int(line("1700000000000 1e-05", &ts, &v, &step, &why), 1,
	    "two fields");
	is_int(step, 0, "two fields mean step 0");
	ok(v == 1e-05, "scientific notation");
	is_int(line("5 3.5 -2\r", &ts, &v, &step, &why), 1, "CRLF line");
	is_int(step, -2, "negative step");
	is_int(line("5\t3.5  9", &ts, &v, &step, &why), 1, "tabs, two spaces");
	is_int(step, 9, "step after spaces");
	is_int(line("", &ts, &v, &step, &why), 0, "empty line");
	is_int(line("  \r", &ts, &v, &step, &why), 0, "blank line");
	line("5 nan 1", &ts, &v, &step, &why);
	ok(isnan(v), "nan");
	line("5 inf 1", &ts, &v, &step, &why);
	ok(isinf(v) && v > 0, "inf");
	line("5 -Infinity 1", &ts, &v, &step, &why);
	ok(isinf(v) && v < 0, "-Infinity");
	line("5 1.7976931348623157e308 1", &ts, &v, &step, &why);
	ok(isinf(v) && v > 0, "MLflow's max double is +inf");
	line("5 -1.7976931348623157e+308 1", &ts, &v, &step, &why);
	ok(isinf(v) && v < 0, "and its negative -inf");
	line("5 1.5e308 1", &ts, &v, &step, &why);
	ok(!isinf(v), "a large finite value stays");
	is_int(line("5 abc 1", &ts, &v, &step, &why), -1, "bad value");
	is_str(why, "value is not a number", "why");
	is_int(line("x 1 1", &ts, &v, &step, &why), -1, "bad timestamp");
	is_str(why, "timestamp is not an integer", "why ts");
	is_int(line("1.5 1 1", &ts, &v, &step, &why), -1, "fractional ts");
	is_int(line("5 1 1.5", &ts, &v, &step, &why), -1, "fractional step");
	is_str(why, "step is not an integer", "why step");
	is_int(line("5 1 1 1", &ts, &v, &step, &why), -1, "four fields");
	is_int(line("5", &ts, &v, &step, &why), -1, "one field");
	is_int(line("5 0x10 1", &ts, &v, &step, &why), -1, "hex refused");
	is_int(line("99999999999999999999 1 1", &ts, &v, &step, &why), -1,
	    "timestamp out of range");
	is_int(line("5 1 1\r\r", &ts, &v, &step, &why), -1, "two CRs");
	is_int(line("5 0.12345678901234567890123456789012345678901234567890"
	    "1234567890123456789012345678901234567890123456789012345678901234"
	    "5678901234567890123456789012345678901234567890 1", &ts, &v,
	    &step, &why), -1, "a 170-digit value");
	is_str(why, "field too long", "not silently cut");
}

static struct ydoc *
yaml(const char *s)
{
	struct ydoc	*doc = NULL;
	struct wb_err	 err;

	if (ydoc_load_mem(s, strlen(s), "meta.yaml", &doc, &err) != WB_OK)
		printf("# yaml: %s\n", err.msg);
	return doc;
}

static void
test_run_meta(void)
{
	struct mlflow_run_meta	 m;
	struct wb_err		 err;
	struct ydoc		*doc;

	doc = yaml("artifact_uri: file:///x/mlruns/1/ab/artifacts\n"
	    "end_time: 1700000060000\nentry_point_name: ''\n"
	    "experiment_id: '1'\nlifecycle_stage: active\n"
	    "run_id: 0123456789ABCDEF0123456789abcdef\n"
	    "run_name: resnet-a\n"
	    "run_uuid: 0123456789ABCDEF0123456789abcdef\n"
	    "source_name: ''\nsource_type: 4\nsource_version: abc\n"
	    "start_time: 1700000000000\nstatus: 4\ntags: []\nuser_id: ana\n");
	is_int(mlflow_run_meta(doc->root, "m.yaml", &m, &err), WB_OK,
	    "a 2.x run meta.yaml");
	is_str(m.uuid, "0123456789abcdef0123456789abcdef", "uuid lowered");
	is_str(m.name, "resnet-a", "run_name");
	is_str(m.status, "failed", "status 4 is failed");
	is_str(m.experiment_id, "1", "experiment_id");
	is_str(m.user, "ana", "user");
	is_str(m.source_version, "abc", "source_version");
	is_int(m.start_time, 1700000000000LL, "start_time");
	is_int(m.end_time, 1700000060000LL, "end_time");
	is_int(m.deleted, 0, "active");
	ydoc_free(doc);

	doc = yaml("run_id: 01234567-89ab-cdef-0123-456789abcdef\n"
	    "status: 1\nend_time: null\nlifecycle_stage: deleted\n");
	is_int(mlflow_run_meta(doc->root, "m.yaml", &m, &err), WB_OK,
	    "run_id only, null end_time");
	is_str(m.uuid, "0123456789abcdef0123456789abcdef", "dashes dropped");
	is_str(m.status, "running", "status 1 is running");
	ok(m.name == NULL, "no run_name (1.x)");
	is_int(m.end_time, 0, "null end_time is unknown");
	is_int(m.deleted, 1, "deleted");
	ydoc_free(doc);

	doc = yaml("run_uuid: 0123456789abcdef0123456789abcdef\n"
	    "status: FINISHED\nstart_time: soon\n");
	is_int(mlflow_run_meta(doc->root, "m.yaml", &m, &err), WB_EPARSE,
	    "bad start_time");
	is_str(err.msg, "m.yaml:3:13: start_time is not an integer",
	    "file:line:col");
	ydoc_free(doc);

	doc = yaml("run_uuid: nope\n");
	is_int(mlflow_run_meta(doc->root, "m.yaml", &m, &err), WB_EPARSE,
	    "bad uuid");
	is_str(err.msg, "m.yaml:1:11: run_uuid is not a UUID", "says where");
	ydoc_free(doc);

	doc = yaml("name: an experiment\n");
	is_int(mlflow_run_meta(doc->root, "m.yaml", &m, &err), WB_EPARSE,
	    "no run id");
	ydoc_free(doc);
	doc = yaml("- a\n- b\n");
	is_int(mlflow_run_meta(doc->root, "m.yaml", &m, &err), WB_EPARSE,
	    "not a map");
	ydoc_free(doc);
}

static void
test_small(void)
{
	char	u[33];

	is_int(mlflow_uuid("ABCDEFabcdef0123456789abcdef0123", u), 0, "uuid");
	is_str(u, "abcdefabcdef0123456789abcdef0123", "lowercase");
	is_int(mlflow_uuid("abc", u), -1, "short");
	is_int(mlflow_uuid("abcdefabcdef0123456789abcdef01234", u), -1, "long");
	is_int(mlflow_uuid("zbcdefabcdef0123456789abcdef0123", u), -1, "not hex");
	is_int(mlflow_uuid(NULL, u), -1, "NULL");
	is_str(mlflow_status("KILLED"), "killed", "KILLED");
	is_str(mlflow_status("2"), "scheduled", "2");
	is_str(mlflow_status("5"), "killed", "5");
	is_str(mlflow_status(NULL), "finished", "NULL");
	ok(isnan(mlflow_value(0, 1)), "is_nan");
	ok(mlflow_value(2.5, 0) == 2.5, "plain value");
}

static int64_t
count_runs(struct db *db)
{
	int64_t	n = -1;

	db_run_count(db, 0, &n, NULL);
	return n;
}

/* A new SQLite database at path, made by sql: 0, or -1. */
static int
sql_to_file(const char *path, const char *sql)
{
	sqlite3	*sq;
	int	 rc;

	unlink(path);
	rc = sqlite3_open(path, &sq) == SQLITE_OK &&
	    sqlite3_exec(sq, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_close(sq);
	return rc;
}

/* An MLflow database made from the v3 fixture's SQL, at path. */
static int
make_v3(const char *top, const char *path)
{
	FILE	*fp;
	char	 file[4096], *sql;
	long	 len;
	int	 rc;

	snprintf(file, sizeof file, "%s/tests/data/mlflow/v3.sql", top);
	if ((fp = fopen(file, "rb")) == NULL)
		return -1;
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	if (len < 0 || (sql = malloc((size_t)len + 1)) == NULL) {
		fclose(fp);
		return -1;
	}
	sql[fread(sql, 1, (size_t)len, fp)] = '\0';
	fclose(fp);
	rc = sql_to_file(path, sql);
	free(sql);
	return rc;
}

/* Import src into a fresh :memory: workspace with every allocation
 * failing in turn; want_runs is what the successful import has. */
static void
fault_loop(const char *what, const char *src, int64_t want_runs)
{
	struct mlflow_opts	 o;
	struct mlflow_result	 r;
	struct db		*db;
	struct wb_err		 err;
	long			 k;
	int			 rc = -1, bad = 0, failures = 0;

	memset(&o, 0, sizeof o);
	if (db_open(":memory:", 0, &db, &err) != WB_OK) {
		ok(0, "open: %s", err.msg);
		return;
	}
	for (k = 0; k < 100000; k++) {
		wb_mem_fail_after(k);
		rc = mlflow_import(db, src, &o, &r, &err);
		wb_mem_fail_after(-1);
		if (rc == WB_OK)
			break;
		failures++;
		if (rc != WB_ENOMEM) {
			printf("# failure %ld: %s\n", k, err.msg);
			bad++;
		}
		if (count_runs(db) != 0)
			bad++;
		if (bad)	/* not a fault's: the next ones would be too */
			break;
	}
	ok(rc == WB_OK, "%s: the import succeeds once allocations do (%d "
	    "failures injected)", what, failures);
	is_int(r.runs, want_runs, "runs taken");
	is_int(count_runs(db), want_runs, "runs in the workspace");
	is_int(bad, 0, "every failure was ENOMEM and changed nothing");
	db_close(db);
}

static void
test_fault(void)
{
	const char	*top = getenv("top_srcdir");
	char		 path[4096], tmp[64];

	if (top == NULL)
		top = "..";
	snprintf(path, sizeof path, "%s/tests/data/mlflow/mlruns", top);
	fault_loop("mlruns", path, 3);
	snprintf(tmp, sizeof tmp, "/tmp/mlwb-test-mlflow-%ld.db", (long)getpid());
	if (!ok(make_v3(top, tmp) == 0, "v3 fixture database made"))
		return;
	fault_loop("MLflow 3 database", tmp, 4);
	unlink(tmp);
}

/*
 * An MLflow 2.x-shaped database of nruns runs, 5 keys x nsteps steps
 * each (rows of a run key by key, as MLflow writes a batch), 5 params and
 * 3 tags a run; bad: the last run's last point is not a number.
 */
static int
make_big(const char *path, int nruns, int nsteps, int bad)
{
	char	*sql;
	int	 rc;

	sql = sqlite3_mprintf(
	    "CREATE TABLE experiments (experiment_id INTEGER PRIMARY KEY,"
	    " name TEXT NOT NULL UNIQUE, artifact_location TEXT,"
	    " lifecycle_stage TEXT, creation_time BIGINT,"
	    " last_update_time BIGINT);"
	    "CREATE TABLE runs (run_uuid TEXT PRIMARY KEY, name TEXT,"
	    " source_type TEXT, source_name TEXT, entry_point_name TEXT,"
	    " user_id TEXT, status TEXT, start_time BIGINT, end_time BIGINT,"
	    " source_version TEXT, lifecycle_stage TEXT, artifact_uri TEXT,"
	    " experiment_id INTEGER, deleted_time BIGINT);"
	    "CREATE TABLE metrics (key TEXT NOT NULL, value FLOAT NOT NULL,"
	    " timestamp BIGINT NOT NULL, run_uuid TEXT NOT NULL,"
	    " step BIGINT DEFAULT 0 NOT NULL, is_nan BOOLEAN DEFAULT 0 NOT NULL,"
	    " PRIMARY KEY (key, timestamp, step, run_uuid, value, is_nan));"
	    "CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);"
	    "CREATE TABLE params (key TEXT NOT NULL, value TEXT NOT NULL,"
	    " run_uuid TEXT NOT NULL, PRIMARY KEY (key, run_uuid));"
	    "CREATE TABLE tags (key TEXT NOT NULL, value TEXT,"
	    " run_uuid TEXT NOT NULL, PRIMARY KEY (key, run_uuid));"
	    "INSERT INTO experiments VALUES (0, 'Default', 'mlruns/0',"
	    " 'active', 0, 0);"
	    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n"
	    " WHERE i < %d - 1)"
	    " INSERT INTO runs SELECT printf('%%032x', i * 7919), 'run-' || i,"
	    " 'LOCAL', 'train.py', '', 'u', 'FINISHED', 1700000000000 + i,"
	    " 1700000000900 + i, '', 'active', 'x', 0, NULL FROM n;"
	    "INSERT INTO params SELECT k.k, r.name || k.k, r.run_uuid FROM"
	    " runs r, (SELECT 'lr' AS k UNION ALL SELECT 'a' UNION ALL"
	    " SELECT 'b' UNION ALL SELECT 'c' UNION ALL SELECT 'seed') k;"
	    "INSERT INTO tags SELECT k.k, 'v-' || r.name, r.run_uuid FROM"
	    " runs r, (SELECT 'mlflow.user' AS k UNION ALL SELECT 't1'"
	    " UNION ALL SELECT 't2') k;"
	    "WITH RECURSIVE s(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM s"
	    " WHERE j < %d - 1)"
	    " INSERT INTO metrics SELECT k.k, (r.start_time %% 997) + s.j * 0.5"
	    " + length(k.k), r.start_time + s.j, r.run_uuid, s.j, 0"
	    " FROM runs r, (SELECT 'loss' AS k UNION ALL SELECT 'acc' UNION ALL"
	    " SELECT 'lr' UNION ALL SELECT 'val_loss' UNION ALL"
	    " SELECT 'val_acc') k, s;"
	    "%s", nruns, nsteps, bad ? "UPDATE metrics SET value = 'abc'"
	    " WHERE rowid = (SELECT max(rowid) FROM metrics);" : "");
	if (sql == NULL)
		return -1;
	rc = sql_to_file(path, sql);
	sqlite3_free(sql);
	return rc;
}

/* An integer the first row of sql gives on db (-1 when none). */
static int64_t
ws_int(struct db *db, const char *sql)
{
	struct db_stmt	*st;
	int64_t		 v = -1;

	if ((st = db_prepare(db, sql, NULL)) == NULL)
		return -1;
	if (db_step(st) == DB_ROW)
		v = db_column_int64(st, 0);
	db_reset(st);
	return v;
}

static void
test_feed(void)
{
	struct mlflow_opts	 o;
	struct mlflow_result	 r;
	struct db		*db;
	struct wb_err		 err;
	char			 src[64];
	long			 k;
	int			 rc, failed = 0, bad = 0;

	memset(&o, 0, sizeof o);
	snprintf(src, sizeof src, "/tmp/mlwb-test-feed-%ld.db",
	    (long)getpid());
	/* 400 runs, 80,000 points: a dozen batches of the feed. */
	if (!ok(make_big(src, 400, 40, 0) == 0, "feed: source made"))
		return;
	if (db_open(":memory:", 0, &db, &err) != WB_OK) {
		ok(0, "open: %s", err.msg);
		return;
	}
	rc = mlflow_import(db, src, &o, &r, &err);
	ok(rc == WB_OK, "feed: imported (%s)", rc ? err.msg : "ok");
	is_int(r.runs, 400, "feed: 400 runs taken");
	is_int(r.points, 80000, "feed: 80,000 points taken");
	is_int(ws_int(db, "SELECT sum(count) FROM metric_summary"), 80000,
	    "feed: 80,000 points stored");
	is_int(ws_int(db, "SELECT count(*) FROM params"), 2000,
	    "feed: every param stored");
	is_int(ws_int(db, "SELECT count(*) FROM tags"), 1200,
	    "feed: every tag stored");
	/* Each series' first and last values are its steps 0 and 39. */
	is_int(ws_int(db, "SELECT count(*) FROM metric_summary s JOIN runs r"
	    " ON r.id = s.run_id JOIN metric_keys k ON k.id = s.key_id WHERE"
	    " s.first_step = 0 AND s.last_step = 39 AND s.first ="
	    " ((r.started_at % 997) + length(k.name)) AND s.last ="
	    " ((r.started_at % 997) + 19.5 + length(k.name))"), 2000,
	    "feed: every series' first and last point in its place");
	is_int(ws_int(db, "SELECT count(*) FROM runs r WHERE name <> 'run-' ||"
	    " (started_at - 1700000000000)"), 0,
	    "feed: each run has its own name and times");
	db_close(db);

	/* Failures at points spread over the import, either thread's. */
	for (k = 250, rc = -1; k < 1000000 && rc != WB_OK && !bad;
	    k += 750) {
		if (db_open(":memory:", 0, &db, &err) != WB_OK)
			break;
		wb_mem_fail_after(k);
		rc = mlflow_import(db, src, &o, &r, &err);
		wb_mem_fail_after(-1);
		if (rc != WB_OK) {
			failed++;
			if (rc != WB_ENOMEM || count_runs(db) != 0) {
				printf("# failure at %ld: %s\n", k, err.msg);
				bad++;
			}
		}
		db_close(db);
	}
	ok(rc == WB_OK, "feed: the import succeeds once allocations do");
	ok(failed >= 4, "feed: %d imports failed mid-way", failed);
	is_int(bad, 0, "feed: each said out of memory and left nothing");

	/* The reader fails at the last run: what came before is undone. */
	if (!ok(make_big(src, 400, 40, 1) == 0, "feed: bad source made") ||
	    db_open(":memory:", 0, &db, &err) != WB_OK) {
		unlink(src);
		return;
	}
	rc = mlflow_import(db, src, &o, &r, &err);
	is_int(rc, WB_EPARSE, "feed: a bad value at the end fails the import");
	ok(strstr(err.msg, "value 'abc' is not a number") != NULL &&
	    strstr(err.msg, src) != NULL, "feed: the reader's message: %s",
	    err.msg);
	is_int(count_runs(db), 0, "feed: the 399 runs written before it are "
	    "undone");
	db_close(db);
	unlink(src);
}

int
main(void)
{
	test_metric_lines();
	test_run_meta();
	test_small();
	test_fault();
	test_feed();
	return tap_done();
}
