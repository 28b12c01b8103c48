/*
 * Unit tests of the MLflow import's parsers (metric lines, a run's
 * meta.yaml, UUIDs, statuses, values), and the whole import of the
 * fixture mlruns/ and of the MLflow 3 fixture database under every
 * allocation failure: each must fail cleanly, leak nothing and leave the
 * workspace empty.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
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

/* An MLflow database made from the v3 fixture's SQL, at path. */
static int
make_v3(const char *top, const char *path)
{
	sqlite3	*sq;
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
	unlink(path);
	rc = sqlite3_open(path, &sq) == SQLITE_OK &&
	    sqlite3_exec(sq, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_close(sq);
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

int
main(void)
{
	test_metric_lines();
	test_run_meta();
	test_small();
	test_fault();
	return tap_done();
}
