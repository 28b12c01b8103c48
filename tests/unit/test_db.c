/*
 * Unit tests of the workspace database: opening, refusing foreign and
 * newer files, transactions, runs, params, metric chunks and summaries,
 * and the SQLite store's INSERT ... RETURNING id answered without
 * RETURNING (db_sqlite.c).
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
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "tap.h"

static char dir[] = "/tmp/mlwb-test-db-XXXXXX";

static const char *
path(const char *name)
{
	static char	buf[256];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

/* The whole file as a string of bytes (for "left untouched" checks). */
static char *
slurp(const char *p, size_t *len)
{
	FILE	*fp = fopen(p, "rb");
	char	*buf = NULL;
	long	 n;

	*len = 0;
	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, fp) == (size_t)n)
		*len = (size_t)n;
	fclose(fp);
	return buf;
}

/* Open path for writing, expect it refused, and the file byte-identical. */
static void
refused_untouched(const char *p, const char *why)
{
	struct db	*db = NULL;
	struct wb_err	 err;
	char		*before, *after, wal[300];
	size_t		 nb, na;

	before = slurp(p, &nb);
	ok(db_open(p, 0, &db, &err) == WB_EVERSION, "%s is refused", why);
	db_close(db);
	after = slurp(p, &na);
	ok(before != NULL && after != NULL && nb == na &&
	    memcmp(before, after, nb) == 0,
	    "%s: not one byte changed (journal mode kept)", why);
	snprintf(wal, sizeof wal, "%s-wal", p);
	ok(access(wal, F_OK) == -1, "%s: no -wal file made", why);
	free(before);
	free(after);
}

static void
test_open(void)
{
	struct db	*db;
	struct wb_err	 err;
	sqlite3		*sq;

	ok(db_open(path("none.db"), DB_NOCREATE, &db, &err) == WB_ENOTFOUND,
	    "NOCREATE on a missing file fails");
	ok(strstr(err.msg, "mlwb init") != NULL, "and says how to make one");
	ok(db_open(path("a.db"), 0, &db, &err) == WB_OK, "create workspace");
	db_close(db);
	ok(db_open(path("a.db"), DB_READONLY, &db, &err) == WB_OK,
	    "reopen read-only");
	ok(db_begin(db, &err) == WB_EREADONLY, "read-only refuses writes");
	db_close(db);

	/* A SQLite file of another program. */
	sqlite3_open(path("other.db"), &sq);
	sqlite3_exec(sq, "CREATE TABLE runs(x); INSERT INTO runs VALUES (1)",
	    NULL, NULL, NULL);
	sqlite3_close(sq);
	ok(db_open(path("other.db"), 0, &db, &err) == WB_EVERSION,
	    "a foreign database is refused");
	ok(strstr(err.msg, "not an mlwb workspace") != NULL, "with a reason");
	sqlite3_open(path("other.db"), &sq);
	{
		sqlite3_stmt *st;
		int n = -1;

		sqlite3_prepare_v2(sq, "SELECT count(*) FROM sqlite_master",
		    -1, &st, NULL);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		is_int(n, 1, "and left untouched");
	}
	sqlite3_close(sq);
	/* A fresh one: the open above may already have changed other.db. */
	sqlite3_open(path("mlflow.db"), &sq);
	sqlite3_exec(sq, "CREATE TABLE experiments(x)", NULL, NULL, NULL);
	sqlite3_close(sq);
	refused_untouched(path("mlflow.db"), "a foreign database");

	/* A newer workspace. */
	sqlite3_open(path("a.db"), &sq);
	sqlite3_exec(sq, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(sq);
	ok(db_open(path("a.db"), 0, &db, &err) == WB_EVERSION,
	    "a newer schema is refused");
	ok(strstr(err.msg, "newer") != NULL, "saying it is newer");
	/* The same in rollback-journal mode, as an older tool may leave it. */
	sqlite3_open(path("a.db"), &sq);
	sqlite3_exec(sq, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	sqlite3_close(sq);
	refused_untouched(path("a.db"), "a newer workspace");

	/* Not a database at all. */
	{
		FILE *fp = fopen(path("junk.db"), "w");

		fputs("this is not sqlite, it is a text file of some length "
		    "that sqlite will read as a header and refuse........", fp);
		fclose(fp);
		ok(db_open(path("junk.db"), 0, &db, &err) != WB_OK,
		    "a text file is refused: %s", err.msg);
	}
}

static void
test_runs(struct db *db)
{
	struct wb_err	 err;
	struct run_new	 r;
	struct run	 g;
	struct kv	*kv;
	size_t		 n;
	char		 n_resnet[] = "resnet-1", n_other[] = "other";
	int64_t		 e1, e2, id1, id2, id3, x;

	ok(db_exp_ensure(db, "vision", &e1, &err) == WB_OK, "create exp");
	ok(db_exp_ensure(db, "vision", &e2, &err) == WB_OK && e1 == e2,
	    "ensure finds the same experiment");
	db_exp_ensure(db, "nlp/bert", &e2, &err);

	memset(&r, 0, sizeof r);
	r.experiment_id = e1;
	r.name = n_resnet;
	r.git_dirty = -1;
	r.started_at = 1000;
	ok(db_run_insert(db, &r, &id1, &err) == WB_OK, "insert run");
	is_int(strlen(r.uuid), 32, "uuid made, 32 hex digits");
	memset(&r, 0, sizeof r);
	r.experiment_id = e2;
	r.name = n_resnet;
	r.git_dirty = -1;
	strcpy(r.uuid, "0123456789abcdef0123456789abcdef");
	ok(db_run_insert(db, &r, &id2, &err) == WB_OK, "insert with uuid");
	ok(db_run_insert(db, &r, &id3, &err) == WB_EEXIST,
	    "duplicate uuid refused");
	r.uuid[0] = '\0';
	r.name = n_other;
	db_run_insert(db, &r, &id3, &err);

	ok(db_run_resolve(db, "0123456789abcdef0123456789abcdef", &x, &err)
	    == WB_OK && x == id2, "resolve full uuid");
	ok(db_run_resolve(db, "01234567", &x, &err) == WB_OK && x == id2,
	    "resolve uuid prefix");
	ok(db_run_resolve(db, "nlp/bert/resnet-1", &x, &err) == WB_OK &&
	    x == id2, "resolve exp/name where exp has a slash");
	ok(db_run_resolve(db, "vision/resnet-1", &x, &err) == WB_OK &&
	    x == id1, "resolve exp/name");
	ok(db_run_resolve(db, "resnet-1", &x, &err) == WB_EAMBIG,
	    "an ambiguous name is refused");
	ok(db_run_resolve(db, "other", &x, &err) == WB_OK && x == id3,
	    "a unique name resolves");
	ok(db_run_resolve(db, "nope", &x, &err) == WB_ENOTFOUND,
	    "unknown run: %s", err.msg);

	db_param_set(db, id1, "lr", "0.01", &err);
	db_param_set(db, id1, "arch", "resnet18", &err);
	db_param_set(db, id1, "lr", "0.02", &err);
	ok(db_params_get(db, id1, &kv, &n, &err) == WB_OK && n == 2,
	    "params replaced, not duplicated");
	is_str(kv[1].value, "0.02", "params sorted by key, latest value");
	kv_free(kv, n);

	ok(db_run_set_status(db, id1, "failed", 5000, 1, 3, &err) == WB_OK,
	    "set status");
	ok(db_run_get(db, id1, &g, &err) == WB_OK, "get run");
	is_str(g.status, "failed", "status stored");
	ok(g.has_exit_code && g.exit_code == 3 && g.ended_at == 5000,
	    "exit code and end");
	is_str(g.experiment, "vision", "experiment name joined");
	run_clear(&g);
	ok(db_run_set_status(db, id1, "exploded", 0, 0, 0, &err) == WB_EDB,
	    "an unknown status is refused by the schema");
}

struct series_cmp {
	const struct series	*s;
	size_t			 i, stop_at;
	int			 diff;
};

static int
series_cmp_cb(void *arg, int64_t step, int64_t ts, double v)
{
	struct series_cmp	*c = arg;
	size_t			 i = c->i++;

	if (i >= c->s->n || c->s->step[i] != step || c->s->ts[i] != ts ||
	    (c->s->value[i] != v && !(isnan(v) && isnan(c->s->value[i]))))
		c->diff++;
	return c->stop_at && c->i == c->stop_at;
}

static void
test_metrics(struct db *db)
{
	struct series_cmp	 sc;
	struct wb_err		 err;
	struct mwriter		*w;
	struct series		 s;
	struct metric_summary	 m;
	struct run_new		 r;
	int64_t			 e, run, k, k2;
	char			 n_m1[] = "m1";
	int			 i, sorted = 1, rc;

	db_exp_ensure(db, "m", &e, &err);
	memset(&r, 0, sizeof r);
	r.experiment_id = e;
	r.name = n_m1;
	r.git_dirty = -1;
	db_run_insert(db, &r, &run, &err);

	ok(db_begin(db, &err) == WB_OK, "begin");
	ok(mw_open(db, &w, &err) == WB_OK, "writer");
	mw_key(w, "loss", &k, &err);
	ok(mw_key(w, "loss", &k2, &err) == WB_OK && k == k2, "key cached");
	/* 3000 points, with a restart at 2000 going back to step 100. */
	rc = WB_OK;
	for (i = 0; i < 2000 && rc == WB_OK; i++)
		rc = mw_add(w, run, k, i, 1000 + i, 10.0 / (i + 1), &err);
	for (i = 100; i < 1100 && rc == WB_OK; i++)
		rc = mw_add(w, run, k, i, 5000 + i, 1.0, &err);
	mw_add(w, run, k, 5000, 0, NAN, &err);
	mw_add(w, run, k, 5001, 0, INFINITY, &err);
	ok(rc == WB_OK && mw_flush(w, &err) == WB_OK, "add and flush");
	is_int(mw_points(w), 3002, "points counted");
	/* A second batch on the same series appends after the first. */
	mw_add(w, run, k, 6000, 0, -1.0, &err);
	ok(mw_flush(w, &err) == WB_OK, "second flush");
	mw_close(w);
	ok(db_commit(db, &err) == WB_OK, "commit");

	ok(db_metric_summary_get(db, run, k, &m, &err) == WB_OK, "summary");
	is_int(m.count, 3003, "count");
	is_int(m.nan_count, 1, "nan counted");
	is_num(m.first, 10.0, 0, 0, "first is the lowest step's");
	is_num(m.last, -1.0, 0, 0, "last is the highest step's");
	is_int(m.last_step, 6000, "last step");
	is_num(m.min, -1.0, 0, 0, "min");
	ok(isinf(m.max) && m.max_step == 5001, "max is +inf at its step");

	ok(db_series_load(db, run, k, &s, &err) == WB_OK, "load series");
	is_int(s.n, 3003, "all points back");
	for (i = 1; i < (int)s.n; i++)
		if (s.step[i] < s.step[i - 1])
			sorted = 0;
	ok(sorted, "sorted by step");
	ok(s.step[100] == 100 && s.value[100] == 0.099009900990099011 &&
	    s.step[101] == 100 && s.value[101] == 1.0,
	    "equal steps keep arrival order");
	ok(isnan(s.value[3000]) && s.value[3001] == INFINITY &&
	    s.value[3002] == -1.0, "NaN and inf kept");
	/* Streamed: the same points in the same order, restart included. */
	memset(&sc, 0, sizeof sc);
	sc.s = &s;
	ok(db_series_each(db, run, k, series_cmp_cb, &sc, &err) == WB_OK,
	    "stream series");
	ok(sc.i == s.n && sc.diff == 0,
	    "streamed points equal loaded ones (3003, overlapping chunks)");
	sc.i = 0;
	sc.stop_at = 150;
	db_series_each(db, run, k, series_cmp_cb, &sc, &err);
	is_int(sc.i, 150, "a callback's non-zero return stops the stream");
	series_free(&s);

	/* Rollback drops the points and the summary change. */
	db_begin(db, &err);
	mw_open(db, &w, &err);
	mw_add(w, run, k, 7000, 0, -50, &err);
	mw_flush(w, &err);
	mw_close(w);
	db_rollback(db);
	db_metric_summary_get(db, run, k, &m, &err);
	ok(m.count == 3003 && m.min == -1.0, "rollback restores summary");
}

/* The SQL text of the last statement SQLite ran (trace_cb). */
static char last_sql[512];

static int
trace_cb(unsigned type, void *arg, void *p, void *x)
{
	(void)type;
	(void)arg;
	(void)x;
	snprintf(last_sql, sizeof last_sql, "%s", sqlite3_sql(p));
	return 0;
}

static int
ran_returning(void)
{
	return strstr(last_sql, "RETURNING") != NULL;
}

/*
 * INSERT INTO t (...) VALUES (...) RETURNING id runs without RETURNING
 * on SQLite and answers the last rowid as its one row; every other
 * insert keeps the real RETURNING.  The trace shows which SQL ran.
 */
static void
test_returning(struct db *db)
{
	static const char ins[] =
	    "INSERT INTO t_ret (name) VALUES (?1) RETURNING id";
	static const char ins_id[] =
	    "INSERT INTO t_ret (id, name) VALUES (?1, 'explicit') RETURNING id";
	static const char upsert[] = "INSERT INTO t_ret (name) VALUES (?1)"
	    " ON CONFLICT (name) DO UPDATE SET name = excluded.name"
	    " RETURNING id";
	static const char ins_sel[] = "INSERT INTO t_ret (name)"
	    " SELECT 'sel-' || name FROM t_ret WHERE id = ?1 RETURNING id";
	static const char ins_or[] =
	    "INSERT OR IGNORE INTO t_ret (name) VALUES (?1) RETURNING id";
	static const char ins_wr[] =
	    "INSERT INTO t_wr (id, v) VALUES (?1, 'w') RETURNING id";
	struct db_stmt	*st;
	struct wb_err	 err;
	int64_t		 id = 0;
	int		 rc;

	ok(db_exec(db, "CREATE TABLE t_ret (id INTEGER PRIMARY KEY,"
	    " name TEXT UNIQUE);"
	    "CREATE TABLE t_log (id INTEGER PRIMARY KEY, x INTEGER);"
	    "INSERT INTO t_log (id, x) VALUES (1000, 0);"
	    "CREATE TRIGGER t_ret_log AFTER INSERT ON t_ret BEGIN"
	    " INSERT INTO t_log (x) VALUES (NEW.id); END;"
	    "CREATE TRIGGER t_ret_skip BEFORE INSERT ON t_ret"
	    " WHEN NEW.name = 'skip' BEGIN SELECT RAISE(IGNORE); END;"
	    "CREATE TABLE t_wr (id INTEGER PRIMARY KEY, v TEXT)"
	    " WITHOUT ROWID", &err) == WB_OK, "returning: tables made");
	sqlite3_trace_v2(db->conn, SQLITE_TRACE_STMT, trace_cb, NULL);

	st = db_prepare(db, ins, &err);
	ok(st != NULL, "returning: prepared");
	db_bind_text(st, 1, "a");
	is_int(db_step(st), DB_ROW, "returning: the insert gives a row");
	ok(!ran_returning(), "returning: ran without RETURNING (%s)",
	    last_sql);
	is_int(db_column_int64(st, 0), 1, "returning: the id, not the"
	    " trigger's row in t_log");
	is_int(db_column_type(st, 0), DB_INTEGER, "returning: an integer");
	is_str(db_column_text(st, 0), "1", "returning: as text");
	is_int(db_step(st), DB_DONE, "returning: the second step is DONE");
	db_reset(st);
	db_bind_text(st, 1, "b");
	is_int(db_step(st), DB_ROW, "returning: after reset, a row again");
	is_int(db_column_int64(st, 0), 2, "returning: the next id");
	db_reset(st);

	db_bind_text(st, 1, "a");
	rc = db_step(st);
	ok(rc != DB_ROW && rc != DB_DONE && db_err_is_unique(db),
	    "returning: a UNIQUE failure is still reported as unique");
	db_reset(st);
	db_bind_text(st, 1, "a");
	ok(db_step_id(db, st, &id, &err) == WB_EDB &&
	    strstr(err.msg, "UNIQUE") != NULL,
	    "returning: db_step_id reports it (%s)", err.msg);

	db_bind_text(st, 1, "skip");
	is_int(db_step(st), DB_DONE, "returning: no row went in (trigger"
	    " RAISE(IGNORE)), none comes back");
	db_reset(st);
	db_bind_text(st, 1, "c");
	ok(db_step_id(db, st, &id, &err) == WB_OK && id == 3,
	    "returning: db_step_id after all that");

	st = db_prepare(db, ins_id, &err);
	db_bind_int64(st, 1, 50);
	ok(db_step_id(db, st, &id, &err) == WB_OK && id == 50,
	    "returning: an explicit id comes back");

	st = db_prepare(db, upsert, &err);
	db_bind_text(st, 1, "a");
	ok(db_step_id(db, st, &id, &err) == WB_OK && id == 1,
	    "returning: an upsert of an existing row gives its id");
	ok(ran_returning(), "returning: an upsert keeps RETURNING");

	st = db_prepare(db, ins_sel, &err);
	db_bind_int64(st, 1, 2);
	ok(db_step_id(db, st, &id, &err) == WB_OK && id == 51 &&
	    ran_returning(), "returning: INSERT ... SELECT keeps RETURNING");

	st = db_prepare(db, ins_or, &err);
	db_bind_text(st, 1, "b");
	ok(db_step(st) == DB_DONE && ran_returning(),
	    "returning: INSERT OR IGNORE keeps RETURNING, no row");
	db_reset(st);

	st = db_prepare(db, ins_wr, &err);
	db_bind_int64(st, 1, 7);
	ok(db_step_id(db, st, &id, &err) == WB_OK && id == 7 &&
	    ran_returning(), "returning: a WITHOUT ROWID table keeps"
	    " RETURNING");
	sqlite3_trace_v2(db->conn, 0, NULL, NULL);
}

static void
doctor_cb(void *arg, const char *line)
{
	(void)line;
	(*(int *)arg)++;
}

int
main(void)
{
	struct db	*db;
	struct wb_err	 err;
	int		 problems, lines = 0;
	char		 cmd[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	test_open();
	if (db_open(path("w.db"), 0, &db, &err) != WB_OK) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	test_runs(db);
	test_metrics(db);
	test_returning(db);
	ok(db_doctor(db, doctor_cb, &lines, &problems, &err) == WB_OK &&
	    problems == 0, "doctor finds nothing wrong");
	db_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return tap_done();
}
