/*
 * db_doctor: the consistency checks of `mlwb doctor`.
 *
 * SQLite's page-level PRAGMA integrity_check reads every page of the file
 * and is nearly all of the full check's time.  So it runs on a second,
 * read-only connection in a thread, while this connection does the rest
 * (foreign keys, then mlwb's own checks) on the other core: the full
 * doctor takes about as long as integrity_check alone.  Both connections
 * read through a memory map (fewer read() calls than SQLite's default).
 *
 * mlwb's own checks (also `doctor --quick`) read indexes in order and
 * compare in C: the summaries against the chunks are two ordered scans
 * merged, not a correlated sub-query per summary.  --quick first compares
 * a fingerprint of both sides (one aggregate per table, computed inside
 * SQLite: about half the merge's time) and merges only when they differ,
 * to name the culprits.
 * Findings are collected and reported SQLite's first, in a fixed order,
 * whatever finishes first.
 */
#include "config.h"

#include "db_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "db_registry.h"
#include "db_textidx.h"
#include "err.h"
#include "mem.h"
#include "progress.h"

/* The largest map SQLite allows by default; a doctor reads every page. */
#define DOCTOR_MMAP "PRAGMA mmap_size = 2147418112"

struct lines {
	char	**v;
	size_t	  n, cap;
	int	  oom;
};

static void
lines_add(void *arg, const char *s)
{
	struct lines	*l = arg;
	char		**nv;

	if (l->n == l->cap) {
		if ((nv = wb_reallocarray(l->v, l->cap ? l->cap * 2 : 16,
		    sizeof *nv)) == NULL) {
			l->oom = 1;
			return;
		}
		l->v = nv;
		l->cap = l->cap ? l->cap * 2 : 16;
	}
	if ((l->v[l->n] = wb_strdup(s ? s : "(null)")) == NULL) {
		l->oom = 1;
		return;
	}
	l->n++;
}

static void
lines_free(struct lines *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		wb_free(l->v[i]);
	wb_free(l->v);
	memset(l, 0, sizeof *l);
}

/* PRAGMA integrity_check on sq; each line other than "ok" is a finding. */
static int
integrity(sqlite3 *sq, struct lines *out)
{
	sqlite3_stmt	*st;
	const char	*t;
	int		 rc;

	if (sqlite3_prepare_v2(sq, "PRAGMA integrity_check", -1, &st, NULL) !=
	    SQLITE_OK)
		return sqlite3_errcode(sq);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(st, 0);
		if (t != NULL && strcmp(t, "ok") != 0)
			lines_add(out, t);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

struct integ {
	const char	*path;
	struct lines	 out;
	int		 rc;		/* SQLite's */
	char		 msg[200];
};

static void *
integ_main(void *arg)
{
	struct integ	*g = arg;
	sqlite3		*sq = NULL;

	g->rc = sqlite3_open_v2(g->path, &sq, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	if (g->rc == SQLITE_OK) {
		sqlite3_busy_timeout(sq, 5000);
		(void)sqlite3_exec(sq, DOCTOR_MMAP, NULL, NULL, NULL);
		g->rc = integrity(sq, &g->out);
	}
	if (g->rc != SQLITE_OK)
		snprintf(g->msg, sizeof g->msg, "%s", sq ? sqlite3_errmsg(sq) :
		    sqlite3_errstr(g->rc));
	sqlite3_close(sq);
	return NULL;
}

static int
foreign_keys(struct db *db, struct lines *out, struct wb_err *err)
{
	struct db_stmt	*st;
	char		 buf[256];
	int		 rc;

	/* SQLite's pragma; PostgreSQL enforces its foreign keys itself. */
	if (db->ops != &db_sqlite_ops)
		return WB_OK;
	if ((st = db_prepare_once(db, "PRAGMA foreign_key_check", err)) ==
	    NULL)
		return WB_EDB;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *tb = db_column_text(st, 0);
		const char *pa = db_column_text(st, 2);

		if (tb != NULL && strcmp(tb, "metric_chunks") == 0 &&
		    db_doctor_pending_chunk(db, "", db_column_int64(st, 1)))
			continue;

		snprintf(buf, sizeof buf, "foreign key: %s row %lld refers to "
		    "a missing %s row", tb ? tb : "?",
		    (long long)db_column_int64(st, 1), pa ? pa : "?");
		lines_add(out, buf);
	}
	db_finalize(st);
	return rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

/*
 * The chunks an import is publishing (or a killed one left) carry run
 * ids reserved in import_pending that no run has (db_import.c): no
 * reader sees them, and no check counts them.  A WHERE clause over
 * metric_chunks c in schema (SQLite only; a static buffer).
 */
/* Whether schema has import_pending (an older file read without
 * migrating it has not: it has no such chunks either). */
static int
pending_table(struct db *db, const char *schema)
{
	struct db_stmt	*st;
	char		 sql[160];
	int		 yes = 0;

	if (db->ops != &db_sqlite_ops)
		return 0;
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %ssqlite_master"
	    " WHERE type = 'table' AND name = 'import_pending'", schema);
	if ((st = db_prepare_once(db, sql, NULL)) == NULL)
		return 0;
	if (db_step(st) == DB_ROW)
		yes = db_column_int64(st, 0) > 0;
	db_finalize(st);
	return yes;
}

static const char *
pending_filter(struct db *db, const char *schema)
{
	static char	buf[160];

	if (!pending_table(db, schema))
		return "";
	snprintf(buf, sizeof buf, " WHERE NOT EXISTS (SELECT 1 FROM"
	    " %simport_pending p WHERE c.run_id BETWEEN p.run_lo AND p.run_hi)",
	    schema);
	return buf;
}

int
db_doctor_pending_chunk(struct db *db, const char *schema, int64_t id)
{
	struct db_stmt	*st;
	char		 sql[300];
	int		 rc;

	if (!pending_table(db, schema))
		return 0;
	snprintf(sql, sizeof sql, "SELECT 1 FROM %smetric_chunks c JOIN"
	    " %simport_pending p ON c.run_id BETWEEN p.run_lo AND p.run_hi"
	    " WHERE c.id = ?1", schema, schema);
	if ((st = db_prepare_once(db, sql, NULL)) == NULL)
		return 0;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	db_finalize(st);
	return rc == DB_ROW;
}

/*
 * "run UUID (NAME): metric KEY", or ids when those rows are missing; the
 * tables are read in schema ("" for the workspace, "other." for a file
 * merge has attached).
 */
static void
describe(struct db *db, const char *schema, int64_t run_id, int64_t key_id,
    char *buf, size_t len)
{
	struct db_stmt		*st;
	const char		*r = NULL, *k = NULL;
	char			 sql[256];

	snprintf(sql, sizeof sql, "SELECT (SELECT uuid || ' (' || name ||"
	    " ')' FROM %sruns WHERE id = ?1), (SELECT name FROM %smetric_keys"
	    " WHERE id = ?2)", schema, schema);
	if ((st = db_prepare_once(db, sql, NULL)) != NULL) {
		db_bind_int64(st, 1, run_id);
		db_bind_int64(st, 2, key_id);
		if (db_step(st) == DB_ROW) {
			r = db_column_text(st, 0);
			k = db_column_text(st, 1);
		}
	}
	if (r != NULL && k != NULL)
		snprintf(buf, len, "run %s: metric %s", r, k);
	else
		snprintf(buf, len, "run #%lld: metric #%lld",
		    (long long)run_id, (long long)key_id);
	db_finalize(st);
}

/*
 * Every summary's count against the points of its chunks, and chunks
 * with no summary: both tables scanned once in (run_id, key_id) order,
 * the chunks through the covering index, and merged here.  The one
 * definition of this check: doctor runs it on the workspace, merge on
 * the file it is about to copy from (schema "other.").
 */
int
db_doctor_summaries(struct db *db, const char *schema,
    void (*line)(void *, const char *), void *arg, struct wb_err *err)
{
	struct db_stmt		*s = NULL, *c = NULL;
	int64_t			 sr = 0, sk = 0, cnt = 0, cr = 0, ck = 0, tot;
	int64_t			 gr, gk;
	char			 who[200], buf[300], q_sum[128], q_chk[300];
	int			 srow, crow, rc;

	snprintf(q_sum, sizeof q_sum, "SELECT run_id, key_id, count FROM"
	    " %smetric_summary ORDER BY run_id, key_id", schema);
	snprintf(q_chk, sizeof q_chk, "SELECT run_id, key_id, n FROM"
	    " %smetric_chunks c%s ORDER BY run_id, key_id", schema,
	    pending_filter(db, schema));
	if ((s = db_prepare_once(db, q_sum, err)) == NULL ||
	    (c = db_prepare_once(db, q_chk, err)) == NULL) {
		db_finalize(s);
		return WB_EDB;
	}
	srow = db_step(s);
	crow = db_step(c);
	for (;;) {
		if (srow == DB_ROW) {
			sr = db_column_int64(s, 0);
			sk = db_column_int64(s, 1);
			cnt = db_column_int64(s, 2);
		}
		if (crow == DB_ROW) {
			cr = db_column_int64(c, 0);
			ck = db_column_int64(c, 1);
		}
		if (srow != DB_ROW && crow != DB_ROW)
			break;
		/* The next group of chunks, if it sorts first or equal. */
		tot = 0;
		gr = cr;
		gk = ck;
		if (crow == DB_ROW && (srow != DB_ROW || cr < sr ||
		    (cr == sr && ck <= sk))) {
			while (crow == DB_ROW &&
			    db_column_int64(c, 0) == gr &&
			    db_column_int64(c, 1) == gk) {
				tot += db_column_int64(c, 2);
				crow = db_step(c);
			}
			if (srow != DB_ROW || gr != sr || gk != sk) {
				describe(db, schema, gr, gk, who, sizeof who);
				snprintf(buf, sizeof buf, "%s: %lld points in"
				    " chunks without a summary", who,
				    (long long)tot);
				line(arg, buf);
				continue;
			}
		}
		/* Summary (sr, sk) against tot (0 when it has no chunks). */
		if (cnt != tot) {
			describe(db, schema, sr, sk, who, sizeof who);
			snprintf(buf, sizeof buf, "%s: summary says %lld points,"
			    " chunks hold %lld", who, (long long)cnt,
			    (long long)tot);
			line(arg, buf);
		}
		srow = db_step(s);
	}
	rc = srow != DB_DONE || crow != DB_DONE ? db_sqlerr(db, err) : WB_OK;
	db_finalize(s);
	db_finalize(c);
	return rc;
}

/*
 * Sum over (run, key) of w(run, key) * points, from the summaries and
 * from the chunks.  w is a 20-bit hash of run and key, so a mismatch goes
 * unseen only if the weights of its errors cancel exactly.  The sums
 * stay exact integers below 2^63 up to 8 * 10^12 points; past that
 * SQLite reports an overflow and the caller compares series by series.
 */
#define FP_W "((run_id * 2654435761 + key_id * 40503) & 1048575)"

static int
fingerprints_agree(struct db *db, int *agree, struct wb_err *err)
{
	static const char	 sql[] = "SELECT (SELECT coalesce(sum(" FP_W
	    " * count), 0) FROM metric_summary), (SELECT coalesce(sum(" FP_W
	    " * n), 0) FROM metric_chunks)";
	/* SQLite: without the chunks of imports being published. */
	static const char	 sql_sq[] = "SELECT (SELECT coalesce(sum(" FP_W
	    " * count), 0) FROM metric_summary), (SELECT coalesce(sum(" FP_W
	    " * n), 0) FROM metric_chunks c WHERE NOT EXISTS (SELECT 1 FROM"
	    " import_pending p WHERE c.run_id BETWEEN p.run_lo AND p.run_hi))";
	struct db_stmt		*st;

	*agree = 0;
	if ((st = db_prepare(db, pending_table(db, "") ? sql_sq : sql,
	    err)) == NULL)
		return WB_EDB;
	if (db_step(st) == DB_ROW)
		*agree = db_column_int64(st, 0) ==
		    db_column_int64(st, 1);
	db_reset(st);
	return WB_OK;
}

static int
jobs(struct db *db, struct lines *out, struct wb_err *err)
{
	static const char	 sql[] = "SELECT 'job of run ' || r.uuid ||"
	    " ' is ' || j.state || ' but the run is ' || r.status"
	    " FROM jobs j JOIN runs r ON r.id = j.run_id"
	    " WHERE j.state IN ('running', 'finished', 'failed', 'killed',"
	    " 'lost') AND j.state <> r.status ORDER BY j.id";
	struct db_stmt		*st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(st)) == DB_ROW)
		lines_add(out, db_column_text(st, 0));
	db_reset(st);
	return rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

/*
 * The full doctor's checks, for its progress line: the store's own
 * (integrity, or the server's), foreign keys, summaries against chunks,
 * jobs with the text index, and the registry.  Each is one unit: how
 * long each takes depends on the workspace, and none can say how far
 * along it is.
 */
#define DOCTOR_CHECKS	5

static void
checked(struct db *db, int quick, int done)
{
	if (!quick)
		wb_progress_report(db->progress, (uint64_t)done,
		    DOCTOR_CHECKS, "checks");
}

static int
own_checks(struct db *db, int quick, struct lines *out, struct wb_err *err)
{
	int	rc, n = 0, agree = 0;

	if (quick && (rc = fingerprints_agree(db, &agree, err)) != WB_OK)
		return rc;
	if (!agree && (rc = db_doctor_summaries(db, "", lines_add, out,
	    err)) != WB_OK)
		return rc;
	checked(db, quick, 2);
	if ((rc = jobs(db, out, err)) != WB_OK)
		return rc;
	checked(db, quick, 3);
	if ((rc = db_textidx_doctor(db, lines_add, out, err)) != WB_OK)
		return rc;
	/* The registry's alias/event agreement lives in its own file. */
	return db_reg_doctor(db, lines_add, out, &n, err);
}

static int
report(struct lines *l, void (*line)(void *, const char *), void *arg,
    int *problems, struct wb_err *err)
{
	size_t	i;

	if (l->oom)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (i = 0; i < l->n; i++) {
		line(arg, l->v[i]);
		(*problems)++;
	}
	return WB_OK;
}

/* The checks on this connection, in one read transaction. */
static int
main_checks(struct db *db, int quick, struct lines *out, struct wb_err *err)
{
	int	began, rc;

	if ((rc = db_read_begin(db, &began, err)) != WB_OK)
		return rc;
	checked(db, quick, 0);
	if (!quick)
		rc = foreign_keys(db, out, err);
	checked(db, quick, 1);
	if (rc == WB_OK)
		rc = own_checks(db, quick, out, err);
	/* The last check, the integrity pass, may still be running. */
	if (rc == WB_OK)
		checked(db, quick, DOCTOR_CHECKS - 1);
	db_read_end(db, began);
	return rc;
}

int
db_doctor_quick(struct db *db, void (*line)(void *, const char *), void *arg,
    int *problems, struct wb_err *err)
{
	struct lines	l;
	int		rc;

	*problems = 0;
	memset(&l, 0, sizeof l);
	if ((rc = main_checks(db, 1, &l, err)) == WB_OK)
		rc = report(&l, line, arg, problems, err);
	lines_free(&l);
	return rc;
}

int
db_doctor(struct db *db, void (*line)(void *, const char *), void *arg,
    int *problems, struct wb_err *err)
{
	struct integ	g;
	struct lines	l;
	pthread_t	tid;
	int		rc, threaded = 0;

	*problems = 0;
	memset(&g, 0, sizeof g);
	memset(&l, 0, sizeof l);
	if (db->ops->doctor != NULL) {
		/* The server's own checks, then mlwb's on this connection. */
		if ((rc = db->ops->doctor(db, line, arg, problems, err)) ==
		    WB_OK && (rc = main_checks(db, 0, &l, err)) == WB_OK) {
			checked(db, 0, DOCTOR_CHECKS);
			rc = report(&l, line, arg, problems, err);
		}
		lines_free(&l);
		return rc;
	}
	g.path = db->ro_uri != NULL ? db->ro_uri : db->path;
	/* A memory database cannot be opened twice: check it here. */
	if (strcmp(db->path, ":memory:") != 0 && db->path[0] != '\0')
		threaded = pthread_create(&tid, NULL, integ_main, &g) == 0;
	if (!threaded && (g.rc = integrity(db->conn, &g.out)) != SQLITE_OK)
		snprintf(g.msg, sizeof g.msg, "%s", sqlite3_errmsg(db->conn));
	rc = main_checks(db, 0, &l, err);
	if (threaded)
		pthread_join(tid, NULL);
	if (rc == WB_OK)
		checked(db, 0, DOCTOR_CHECKS);
	if (rc == WB_OK && g.rc != SQLITE_OK)
		rc = wb_err_set(err, WB_EDB, "%s: %s", db->path, g.msg);
	if (rc == WB_OK)
		rc = report(&g.out, line, arg, problems, err);
	if (rc == WB_OK)
		rc = report(&l, line, arg, problems, err);
	lines_free(&g.out);
	lines_free(&l);
	return rc;
}
