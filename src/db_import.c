/*
 * db_import: the SQL the importer needs beyond the store's API: the
 * stage a file is parsed into and its publication into the workspace,
 * finding and replacing the runs of an earlier import of the same path,
 * and completing the ledger row.
 *
 * Why a stage: parsing a log of millions of rows takes seconds, and a
 * write transaction held that long made every other writer (a training
 * script's `mlwb log`, a promotion) fail after the busy timeout.  The
 * stage is SQLite's private temporary database (its file in SQLite's temp
 * directory, unlinked at once), so the parse takes no lock on the
 * workspace; publishing copies from the stage into the attached workspace
 * in short transactions (see imp_publish), so writers wait for one of
 * them at most.
 * A PostgreSQL workspace needs no stage (its writers do not wait for one
 * another's transactions) and an import writes it directly.
 */
#include "config.h"

#include "import_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_internal.h"
#include "db_run.h"
#include "err.h"
#include "import.h"
#include "mem.h"
#include "strbuf.h"

/*
 * The folder SQLite puts the stage's file in, in the order its unix VFS
 * tries them: its messages then name that folder, not an empty path (a
 * full /var/tmp fails an import whose workspace has room).
 */
static const char *
stage_dir(void)
{
	static const char *const dirs[] = { "/var/tmp", "/usr/tmp", "/tmp" };
	const char	*env[2] = { getenv("SQLITE_TMPDIR"), getenv("TMPDIR") };
	struct stat	 st;
	size_t		 i;

	for (i = 0; i < 5; i++) {
		const char *d = i < 2 ? env[i] : dirs[i - 2];

		if (d != NULL && stat(d, &st) == 0 && S_ISDIR(st.st_mode) &&
		    access(d, W_OK | X_OK) == 0)
			return d;
	}
	return ".";
}

int
imp_stage_open(struct db *ws, struct db **out, struct wb_err *err)
{
	static const char	 attach[] = "ATTACH ?1 AS ws";
	struct strbuf		 label = STRBUF_INIT;
	struct db		*st;
	char			*name;
	struct db_stmt *a;
	const char		*path = db_path(ws);
	int			 rc;

	*out = NULL;
	if (db_is_remote(ws))
		return wb_err_set(err, WB_EINVAL, "%s: a server store is "
		    "written directly", db_label(ws));
	if (path[0] == '\0' || strcmp(path, ":memory:") == 0 ||
	    strncmp(path, "file:", 5) == 0)
		return wb_err_set(err, WB_EINVAL, "%s: cannot be staged", path);
	/* "": SQLite's private temporary database. */
	if ((rc = db_open("", 0, &st, err)) != WB_OK)
		return rc;
	/* Its messages' label (db_label): where its file is. */
	if (strbuf_addf(&label, "the import's temporary stage in %s",
	    stage_dir()) != 0 || (name = strbuf_detach(&label)) == NULL) {
		strbuf_free(&label);
		db_close(st);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	wb_free(st->path);
	st->path = name;
	/*
	 * Nothing of the stage outlives the import: no syncs, the journal in
	 * memory (rollbacks of savepoints still work; the pages of a new
	 * file need no journal), and no chart index (the workspace builds
	 * its own as the chunks arrive; nor has it a text index:
	 * db_sqlite.c).  Each pragma names main: without a schema it would
	 * also apply to the workspace attached next.
	 */
	if ((rc = db_exec(st, "PRAGMA main.synchronous = OFF;"
	    "PRAGMA main.journal_mode = MEMORY;"
	    "DROP INDEX main.metric_chunks_chart", err)) != WB_OK) {
		db_close(st);
		return rc;
	}
	if ((a = db_prepare_once(st, attach, err)) == NULL) {
		db_close(st);
		return WB_EDB;
	}
	db_bind_text(a, 1, path);
	rc = db_step(a);
	db_finalize(a);
	if (rc != DB_DONE) {
		wb_err_set(err, WB_EDB, "%s: %s", path, st->ops->errmsg(st));
		db_close(st);
		return WB_EDB;
	}
	*out = st;
	return WB_OK;
}

int
imp_stage_begin(struct db *stage, struct wb_err *err)
{
	int	rc;

	/*
	 * Deferred, unlike db_begin's IMMEDIATE, which would take the write
	 * lock of every attached database, the workspace's too.
	 */
	if ((rc = db_exec(stage, "BEGIN", err)) == WB_OK)
		stage->tx_depth++;
	return rc;
}

int
imp_ws_earlier(struct imp *im, const char *sha256, const char *format,
    int *found, struct wb_err *err)
{
	static const char	 sql[] = "SELECT 1 FROM ws.imports"
	    " WHERE sha256 = ?1 AND format = ?2";
	struct db_stmt *st;
	int			 rc;

	*found = 0;
	if ((st = db_prepare(im->db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_text(st, 1, sha256);
	db_bind_text(st, 2, format);
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_ROW)
		*found = 1;
	return rc == DB_ROW || rc == DB_DONE ? WB_OK :
	    db_sqlerr(im->db, err);
}

int
imp_uuid_known(struct imp *im, const char *uuid)
{
	static const char	 sql[] = "SELECT 1 FROM ws.runs WHERE uuid = ?1";
	struct db_stmt *st;
	int64_t			 id;
	int			 rc;

	if (db_run_find_uuid(im->db, uuid, &id, NULL) == WB_OK)
		return 1;
	if (im->ws == NULL || (st = db_prepare(im->db, sql, NULL)) == NULL)
		return 0;
	db_bind_text(st, 1, uuid);
	rc = db_step(st);
	db_reset(st);
	return rc == DB_ROW;
}

/*
 * The publication.  The chunks, nearly all of an import's bytes, go first,
 * in short write transactions with a pause between them (other writers
 * wait for one at most, and the busy handler of db_sqlite.c polls often
 * enough to get in during a pause), under run ids reserved in
 * import_pending that no run has yet: every reader reaches chunks through
 * runs, so nobody sees them.  Foreign keys are off on this connection for
 * that phase only (the runs come last).  The last transaction checks the
 * ledger, adds the experiments, runs, params, tags and summaries and the
 * ledger row, and drops the reservation: tiny, and all or nothing.  A
 * killed import leaves chunks under a reservation whose lock (byte id of
 * WORKSPACE-import.lock, released by the kernel when the process dies)
 * nobody holds; the next import deletes them (pending_sweep).
 *
 * Reserved ids start 2^32 above the highest run id (or reservation):
 * other writers, which take the highest id + 1, would need four billion
 * new runs during one import to reach them.
 */
#define PENDING_GAP	((int64_t)1 << 32)
/* A publishing transaction's length, and the pause after it. */
#define PUBLISH_SLICE_MS	100
#define PUBLISH_PAUSE_MS	10
/* Chunks per INSERT ... SELECT (up to 64K points each). */
#define PUBLISH_BATCH	16

struct pending {
	int64_t	 id;		/* import_pending row, 0: none */
	int64_t	 base;		/* stage run r is workspace run base + r */
	int64_t	 hi;
	int	 fd;		/* WORKSPACE-import.lock, -1: none */
	int64_t	*gone;		/* replaced runs: (pending row, run id)s */
	size_t	 ngone;
};

static int
msleep(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return 0;
}

/* A lock on byte id of fd: F_OFD locks where there are (per open file,
 * so a second descriptor of this process neither drops nor ignores it). */
#ifdef F_OFD_SETLK
#define LK_SET	F_OFD_SETLK
#define LK_GET	F_OFD_GETLK
#else
#define LK_SET	F_SETLK
#define LK_GET	F_GETLK
#endif

static int
byte_lock(int fd, int64_t id, short type, int cmd)
{
	struct flock	fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t)id;
	fl.l_len = 1;
	if (fcntl(fd, cmd, &fl) != 0)
		return -1;
	return cmd == LK_GET ? fl.l_type != F_UNLCK : 0;
}

static int
pending_lockfile(struct db *ws, struct wb_err *err)
{
	struct strbuf	path = STRBUF_INIT;
	int		fd;

	strbuf_addf(&path, "%s-import.lock", db_path(ws));
	if (path.oom) {
		wb_err_set(err, WB_ENOMEM, "out of memory");
		return -1;
	}
	if ((fd = open(path.s, O_RDWR | O_CREAT | O_CLOEXEC, 0666)) < 0)
		wb_err_set(err, WB_EIO, "%s: %s", path.s, strerror(errno));
	strbuf_free(&path);
	return fd;
}

/* One statement with up to three int64 parameters; *v its first column. */
static int
exec3(struct db *db, const char *sql, int64_t a, int64_t b, int64_t c,
    int64_t *v, struct wb_err *err)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	if (strstr(sql, "?1") != NULL)
		db_bind_int64(st, 1, a);
	if (strstr(sql, "?2") != NULL)
		db_bind_int64(st, 2, b);
	if (strstr(sql, "?3") != NULL)
		db_bind_int64(st, 3, c);
	rc = db_step(st);
	if (v != NULL)
		*v = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

/*
 * Delete the chunks reserved by pending row id (lo..hi), a slice at a
 * time, then the row.
 */
static int
pending_drop(struct db *db, int64_t id, int64_t lo, int64_t hi,
    struct wb_err *err)
{
	static const char	 del[] = "DELETE FROM ws.metric_chunks WHERE id IN"
	    " (SELECT id FROM ws.metric_chunks WHERE run_id BETWEEN ?1 AND ?2"
	    " LIMIT 64)";
	static const char	 gone[] = "DELETE FROM ws.import_pending"
	    " WHERE id = ?1";
	int64_t			 t0;
	int			 rc, more = 1;

	while (more) {
		if ((rc = db_begin(db, err)) != WB_OK)
			return rc;
		t0 = db_now_ms();
		do {
			if ((rc = exec3(db, del, lo, hi, 0, NULL, err)) !=
			    WB_OK) {
				db_rollback(db);
				return rc;
			}
			more = db_changes(db) > 0;
		} while (more && db_now_ms() - t0 < PUBLISH_SLICE_MS);
		if (!more && (rc = exec3(db, gone, id, 0, 0, NULL, err)) !=
		    WB_OK) {
			db_rollback(db);
			return rc;
		}
		if ((rc = db_commit(db, err)) != WB_OK)
			return rc;
		if (more)
			msleep(PUBLISH_PAUSE_MS);
	}
	return WB_OK;
}

/* Delete what imports that died left (their lock is free). */
static int
pending_sweep(struct db *db, int fd, struct wb_err *err)
{
	static const char	 sql[] = "SELECT id, run_lo, run_hi FROM"
	    " ws.import_pending ORDER BY id";
	struct db_stmt		*st;
	int64_t			 dead[3 * 16];
	size_t			 n = 0, i;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(st)) == DB_ROW && n < 16 * 3) {
		int64_t id = db_column_int64(st, 0);

		if (byte_lock(fd, id, F_WRLCK, LK_GET) != 0)
			continue;	/* alive (or cannot tell) */
		dead[n++] = id;
		dead[n++] = db_column_int64(st, 1);
		dead[n++] = db_column_int64(st, 2);
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	for (i = 0; i < n; i += 3)
		if ((rc = pending_drop(db, dead[i], dead[i + 1], dead[i + 2],
		    err)) != WB_OK)
			return rc;
	return WB_OK;
}

/*
 * Reserve run ids for the stage's runs and make its metric keys in the
 * workspace (a key without points is seen by nobody).
 */
static int
pending_reserve(struct db *db, struct pending *p, struct wb_err *err)
{
	static const char	 q_base[] = "SELECT max(coalesce((SELECT max(id)"
	    " FROM ws.runs), 0), coalesce((SELECT max(run_hi) FROM"
	    " ws.import_pending), 0))";
	static const char	 q_n[] = "SELECT coalesce(max(id), 0) FROM"
	    " main.runs";
	static const char	 ins[] = "INSERT INTO ws.import_pending (run_lo,"
	    " run_hi, host, pid, started_at) VALUES (?1, ?2, NULL, ?3, "
	    " CAST(strftime('%s', 'now') AS INTEGER) * 1000) RETURNING id";
	static const char	 keys[] = "INSERT INTO ws.metric_keys (name)"
	    " SELECT k.name FROM main.metric_keys k WHERE k.name NOT IN"
	    " (SELECT name FROM ws.metric_keys)";
	int64_t			 top, n;
	int			 rc;

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = exec3(db, q_base, 0, 0, 0, &top, err)) != WB_OK ||
	    (rc = exec3(db, q_n, 0, 0, 0, &n, err)) != WB_OK)
		goto fail;
	if (top > INT64_MAX - 2 * PENDING_GAP - n) {
		rc = wb_err_set(err, WB_EDB, "%s: run ids are exhausted",
		    db_path(db));
		goto fail;
	}
	p->base = top + PENDING_GAP;
	p->hi = p->base + (n > 0 ? n : 1);
	if ((rc = exec3(db, ins, p->base + 1, p->hi, (int64_t)getpid(),
	    &p->id, err)) != WB_OK || (rc = exec3(db, keys, 0, 0, 0, NULL,
	    err)) != WB_OK)
		goto fail;
	/* Locked before the row is committed: nobody sees it unlocked. */
	if (byte_lock(p->fd, p->id, F_WRLCK, LK_SET) != 0) {
		rc = wb_err_set(err, WB_EIO, "%s-import.lock: %s", db_path(db),
		    strerror(errno));
		goto fail;
	}
	if ((rc = db_commit(db, err)) != WB_OK) {
		(void)byte_lock(p->fd, p->id, F_UNLCK, LK_SET);
		p->id = 0;
	}
	return rc;
fail:
	db_rollback(db);
	p->id = 0;
	return rc;
}

/* The chunks, PUBLISH_BATCH at a time, a slice per transaction. */
static int
pending_chunks(struct db *db, const struct pending *p, struct wb_err *err)
{
	static const char	 ins[] = "INSERT INTO ws.metric_chunks (run_id,"
	    " key_id, seq, n, step_min, step_max, v_min, v_max, ts_min,"
	    " ts_max, blocks, points)"
	    " SELECT ?1 + c.run_id, wk.id, c.seq, c.n, c.step_min, c.step_max,"
	    " c.v_min, c.v_max, c.ts_min, c.ts_max, c.blocks, c.points"
	    " FROM main.metric_chunks c"
	    " JOIN main.metric_keys k ON k.id = c.key_id"
	    " JOIN ws.metric_keys wk ON wk.name = k.name"
	    " WHERE c.id > ?2 AND c.id <= ?3 ORDER BY c.id";
	static const char	 q_next[] = "SELECT max(id) FROM (SELECT id FROM"
	    " main.metric_chunks WHERE id > ?1 ORDER BY id LIMIT ?2)";
	int64_t			 last = 0, next, t0;
	int			 rc, first = 1;

	for (;;) {
		if ((rc = exec3(db, q_next, last, PUBLISH_BATCH, 0, &next,
		    err)) != WB_OK)
			return rc;
		if (next == 0)
			return WB_OK;
		/* A pause between slices, none after the last: small imports
		 * (a folder of many) pay nothing. */
		if (!first)
			msleep(PUBLISH_PAUSE_MS);
		first = 0;
		if ((rc = db_begin(db, err)) != WB_OK)
			return rc;
		t0 = db_now_ms();
		while (next != 0) {
			if ((rc = exec3(db, ins, p->base, last, next, NULL,
			    err)) != WB_OK) {
				db_rollback(db);
				return rc;
			}
			last = next;
			if (db_now_ms() - t0 >= PUBLISH_SLICE_MS)
				break;
			if ((rc = exec3(db, q_next, last, PUBLISH_BATCH, 0,
			    &next, err)) != WB_OK) {
				db_rollback(db);
				return rc;
			}
		}
		if ((rc = db_commit(db, err)) != WB_OK)
			return rc;
	}
}

/*
 * The last transaction, in order; ?1 is the new ledger id, ?2 the run id
 * base.  The stage holds this one import only, so every row of it is
 * copied.
 */
static const char *const publish_steps[] = {
	"INSERT INTO ws.experiments (uuid, name, description, created_at,"
	" archived) SELECT e.uuid, e.name, e.description, e.created_at,"
	" e.archived FROM main.experiments e WHERE e.name NOT IN"
	" (SELECT name FROM ws.experiments)",
	"INSERT INTO ws.runs (id, uuid, experiment_id, name, status, source,"
	" command, git_commit, git_dirty, host, \"user\", started_at, ended_at,"
	" exit_code, log_path, import_id, created_at, updated_at, parent_id)"
	" SELECT ?2 + r.id, r.uuid, we.id, r.name, r.status, r.source,"
	" r.command, r.git_commit, r.git_dirty, r.host, r.user, r.started_at,"
	" r.ended_at, r.exit_code, r.log_path, ?1, r.created_at, r.updated_at,"
	" ?2 + r.parent_id"
	" FROM main.runs r JOIN main.experiments e ON e.id = r.experiment_id"
	" JOIN ws.experiments we ON we.name = e.name ORDER BY r.id",
	"INSERT INTO ws.params (run_id, key, value) SELECT ?2 + p.run_id,"
	" p.key, p.value FROM main.params p",
	"INSERT INTO ws.tags (run_id, key, value) SELECT ?2 + t.run_id, t.key,"
	" t.value FROM main.tags t",
	"INSERT INTO ws.metric_summary (run_id, key_id, count, nan_count,"
	" first, first_step, last, last_step, last_ts, min, min_step, max,"
	" max_step) SELECT ?2 + s.run_id, wk.id, s.count, s.nan_count, s.first,"
	" s.first_step, s.last, s.last_step, s.last_ts, s.min, s.min_step,"
	" s.max, s.max_step FROM main.metric_summary s"
	" JOIN main.metric_keys k ON k.id = s.key_id"
	" JOIN ws.metric_keys wk ON wk.name = k.name",
	"DELETE FROM ws.import_pending WHERE id = ?3",
};

/* One statement of the publication: ?1 ledger id, ?2 base, ?3 pending. */
static int
publish_exec(struct db *db, const char *sql, int64_t id,
    const struct pending *p, struct wb_err *err)
{
	struct db_stmt *st;
	int		 rc;

	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	if (strstr(sql, "?1") != NULL)
		db_bind_int64(st, 1, id);
	if (strstr(sql, "?2") != NULL)
		db_bind_int64(st, 2, p->base);
	if (strstr(sql, "?3") != NULL)
		db_bind_int64(st, 3, p->id);
	rc = db_step(st);
	if (rc != DB_DONE && rc != DB_ROW) {
		db_sqlerr(db, err);
		db_finalize(st);
		return WB_EDB;
	}
	db_finalize(st);
	return WB_OK;
}

/* An INSERT ... SELECT ... RETURNING id with ?1 = v: the new row's id. */
static int
publish_id(struct db *db, const char *sql, int64_t v, int64_t *id,
    struct wb_err *err)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, v);
	if ((rc = db_step(st)) == DB_ROW)
		*id = db_column_int64(st, 0);
	else
		db_sqlerr(db, err);
	db_finalize(st);
	return rc == DB_ROW ? WB_OK : WB_EDB;
}

/*
 * Inside the last transaction, with foreign keys off: the runs of an
 * earlier import of the same path go, their chunks later.  Deleting a
 * run would delete its chunks by cascade, seconds for millions of points
 * with every writer waiting; instead what refers to the run is deleted
 * (or set NULL) as the schema's foreign keys say, read from the schema,
 * save the chunks, which stay behind a reservation of the run's id in
 * import_pending (unseen, locked by this import) and are deleted a slice
 * at a time after the commit (imp_publish), or by the next import if
 * this one dies.
 */
static int
replace_runs(struct imp *im, struct pending *p, struct wb_err *err)
{
	static const char	 q_old[] = "INSERT INTO temp.replaced (id)"
	    " SELECT id FROM ws.runs WHERE import_id IN (SELECT id FROM"
	    " ws.imports WHERE path = ?1)";
	static const char	 q_refs[] = "SELECT m.name, f.\"from\","
	    " f.on_delete FROM ws.sqlite_master m,"
	    " pragma_foreign_key_list(m.name, 'ws') f"
	    " WHERE m.type = 'table' AND f.\"table\" = 'runs'"
	    " AND m.name <> 'metric_chunks' ORDER BY m.name";
	static const char	 q_hold[] = "INSERT INTO ws.import_pending"
	    " (run_lo, run_hi, pid, started_at) SELECT id, id, ?1,"
	    " CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM"
	    " temp.replaced ORDER BY id RETURNING id, run_lo";
	static const char	 q_del[] = "DELETE FROM ws.runs WHERE id IN"
	    " (SELECT id FROM temp.replaced)";
	struct db		*db = im->db;
	struct db_stmt		*st, *r;
	char			 sql[400];
	const char		*t, *c, *act;
	int64_t			*ng;
	int			 rc;

	if ((rc = db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS replaced"
	    " (id INTEGER PRIMARY KEY); DELETE FROM temp.replaced", err)) !=
	    WB_OK)
		return rc;
	if ((st = db_prepare(db, q_old, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, im->path_abs);
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	/* What refers to those runs, as the schema's cascades would. */
	if ((r = db_prepare_once(db, q_refs, err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(r)) == DB_ROW) {
		t = db_column_text(r, 0);
		c = db_column_text(r, 1);
		act = db_column_text(r, 2);
		if (t == NULL || c == NULL || act == NULL ||
		    strchr(t, '"') != NULL || strchr(c, '"') != NULL)
			continue;
		if (strcmp(act, "CASCADE") == 0)
			snprintf(sql, sizeof sql, "DELETE FROM ws.\"%s\" WHERE"
			    " \"%s\" IN (SELECT id FROM temp.replaced)", t, c);
		else if (strcmp(act, "SET NULL") == 0)
			snprintf(sql, sizeof sql, "UPDATE ws.\"%s\" SET \"%s\" ="
			    " NULL WHERE \"%s\" IN (SELECT id FROM"
			    " temp.replaced)", t, c, c);
		else	/* RESTRICT, NO ACTION: refused, as with the keys on */
			snprintf(sql, sizeof sql, "SELECT count(*) FROM"
			    " ws.\"%s\" WHERE \"%s\" IN (SELECT id FROM"
			    " temp.replaced)", t, c);
		if ((st = db_prepare_once(db, sql, err)) == NULL) {
			db_finalize(r);
			return WB_EDB;
		}
		rc = db_step(st);
		if (rc == DB_ROW && db_column_int64(st, 0) > 0) {
			db_finalize(st);
			db_finalize(r);
			return wb_err_set(err, WB_EDB, "%s: rows of %s refer to "
			    "the runs its earlier import made: not replaced",
			    im->name, t);
		}
		db_finalize(st);
		if (rc != DB_DONE && rc != DB_ROW) {
			db_finalize(r);
			return db_sqlerr(db, err);
		}
	}
	db_finalize(r);
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	/* The chunks' runs reserved, locked before the commit. */
	if ((st = db_prepare(db, q_hold, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, (int64_t)getpid());
	while ((rc = db_step(st)) == DB_ROW) {
		if ((ng = wb_reallocarray(p->gone, p->ngone + 2,
		    sizeof *ng)) == NULL) {
			db_reset(st);
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
		p->gone = ng;
		p->gone[p->ngone++] = db_column_int64(st, 0);
		p->gone[p->ngone++] = db_column_int64(st, 1);
		if (byte_lock(p->fd, p->gone[p->ngone - 2], F_WRLCK, LK_SET) !=
		    0) {
			db_reset(st);
			return wb_err_set(err, WB_EIO, "%s-import.lock: %s",
			    db_path(im->ws), strerror(errno));
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	if ((st = db_prepare(db, q_del, err)) == NULL)
		return WB_EDB;
	return db_step_done(db, st, err);
}

/* The last transaction (see publish_steps). */
static int
publish_flip(struct imp *im, struct pending *p, struct wb_err *err)
{
	static const char	 q_imp[] = "SELECT path, size, sha256, format,"
	    " at, runs, points FROM main.imports WHERE id = ?1";
	static const char	 q_earlier[] = "SELECT 1 FROM ws.imports"
	    " WHERE sha256 = ?1 AND format = ?2";
	static const char	 q_mine[] = "SELECT 1 FROM ws.import_pending"
	    " WHERE id = ?1";
	static const char	 ins[] = "INSERT INTO ws.imports (path, size,"
	    " sha256, format, at, runs, points)"
	    " SELECT path, size, sha256, format, at, runs, points"
	    " FROM main.imports WHERE id = ?1 RETURNING id";
	struct db		*db = im->db;
	struct db_stmt		*st = NULL, *e = NULL;
	int64_t			 id, mine;
	size_t			 i;
	int			 rc;

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = exec3(db, q_mine, p->id, 0, 0, &mine, err)) != WB_OK)
		goto out;
	if (!mine) {
		rc = wb_err_set(err, WB_EDB, "%s: the import's reservation "
		    "was removed while it ran; nothing imported", im->name);
		goto out;
	}
	if ((st = db_prepare_once(db, q_imp, err)) == NULL ||
	    (e = db_prepare_once(db, q_earlier, err)) == NULL) {
		rc = WB_EDB;
		goto out;
	}
	db_bind_int64(st, 1, im->import_id);
	if (db_step(st) != DB_ROW) {
		rc = db_sqlerr(db, err);
		goto out;
	}
	/* The ledger decides inside the transaction: no race with another. */
	db_bind_text(e, 1, db_column_text(st, 2));
	db_bind_text(e, 2, db_column_text(st, 3));
	if ((rc = db_step(e)) == DB_ROW) {
		im->res->already = 1;
		rc = WB_OK;
		goto out;
	} else if (rc != DB_DONE) {
		rc = db_sqlerr(db, err);
		goto out;
	}
	rc = WB_OK;
	if (im->replace_prev && im->path_abs != NULL &&
	    (rc = replace_runs(im, p, err)) != WB_OK)
		goto out;
	if ((rc = publish_id(db, ins, im->import_id, &id, err)) != WB_OK)
		goto out;
	for (i = 0; i < sizeof publish_steps / sizeof publish_steps[0]; i++)
		if ((rc = publish_exec(db, publish_steps[i], id, p, err)) !=
		    WB_OK)
			goto out;
out:
	db_finalize(st);
	db_finalize(e);
	if (rc == WB_OK && !im->res->already)
		return db_commit(db, err);
	db_rollback(db);
	return rc;
}

int
imp_publish(struct imp *im, struct wb_err *err)
{
	struct db	*db = im->db;
	struct pending	 p;
	struct wb_err	 e2;
	size_t		 i;
	int		 rc, fk_off = 0;

	memset(&p, 0, sizeof p);
	if ((p.fd = pending_lockfile(im->ws, err)) < 0)
		return WB_EIO;
	if ((rc = pending_sweep(db, p.fd, err)) != WB_OK ||
	    (rc = pending_reserve(db, &p, err)) != WB_OK)
		goto out;
	/* The runs come last: off for the chunks only, outside a transaction. */
	if ((rc = db_exec(db, "PRAGMA foreign_keys = OFF", err)) != WB_OK)
		goto out;
	fk_off = 1;
	if ((rc = pending_chunks(db, &p, err)) != WB_OK)
		goto out;
	/* Every chunk in, under ids no run has yet; no run yet. */
	db_test_stall("MLWB_TEST_PUBLISH_STALL");
	/* Replacing runs: off in the last transaction too (replace_runs). */
	if (!(im->replace_prev && im->path_abs != NULL)) {
		if ((rc = db_exec(db, "PRAGMA foreign_keys = ON", err)) !=
		    WB_OK)
			goto out;
		fk_off = 0;
	}
	rc = publish_flip(im, &p, err);
	if (rc == WB_OK && !im->res->already)
		p.id = 0;	/* published: the reservation is gone */
	else
		p.ngone = 0;	/* rolled back: nothing was replaced */
out:
	if (fk_off)
		(void)db_exec(db, "PRAGMA foreign_keys = ON", NULL);
	/* Not published (an error, or the content was there after all). */
	if (p.id != 0)
		(void)pending_drop(db, p.id, p.base + 1, p.hi, &e2);
	/* The chunks of the runs replaced; the next import if this fails. */
	for (i = 0; i < p.ngone; i += 2)
		if (pending_drop(db, p.gone[i], p.gone[i + 1], p.gone[i + 1],
		    &e2) != WB_OK)
			break;
	wb_free(p.gone);
	close(p.fd);		/* releases the byte locks */
	return rc;
}

int
imp_find_run(struct imp *im, const char *name, int64_t *run_id,
    struct wb_err *err)
{
	static const char	 q_ws[] = "SELECT 1 FROM ws.runs r"
	    " JOIN ws.experiments e ON e.id = r.experiment_id"
	    " WHERE e.name = (SELECT name FROM main.experiments WHERE id = ?1)"
	    " AND r.name = ?2";
	static const char	 sql[] = "SELECT id FROM runs"
	    " WHERE experiment_id = ?1 AND name = ?2 ORDER BY id DESC LIMIT 1";
	struct db_stmt *st;
	int			 rc;

	*run_id = 0;
	if ((st = db_prepare(im->db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_int64(st, 1, im->exp_id);
	db_bind_text(st, 2, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		*run_id = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(im->db, err);
	if (rc == DB_ROW || im->ws == NULL)
		return WB_OK;
	/* Adding to a run of the workspace: that takes the direct way. */
	if ((st = db_prepare(im->db, q_ws, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_int64(st, 1, im->exp_id);
	db_bind_text(st, 2, name);
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_ROW) {
		im->need_direct = 1;
		return wb_err_set(err, WB_EEXIST, "run %s is in the workspace",
		    name);
	}
	return rc == DB_DONE ? WB_OK : db_sqlerr(im->db, err);
}

int
imp_replace_previous(struct imp *im, struct wb_err *err)
{
	static const char	 sql[] = "DELETE FROM runs WHERE import_id IN"
	    " (SELECT id FROM imports WHERE path = ?1 AND id <> ?2)";
	struct db_stmt *st;

	if (im->path_abs == NULL)
		return WB_OK;
	if (im->ws != NULL) {
		im->replace_prev = 1;
		return WB_OK;
	}
	if ((st = db_prepare(im->db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_text(st, 1, im->path_abs);
	db_bind_int64(st, 2, im->import_id);
	return db_step_done(im->db, st, err);
}

int
db_import_finish(struct db *db, int64_t id, const char *sha256,
    const char *format, int64_t runs, int64_t points, struct wb_err *err)
{
	static const char	 sql[] = "UPDATE imports SET sha256 = ?2,"
	    " format = ?3, runs = ?4, points = ?5 WHERE id = ?1";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, sha256);
	db_bind_text(st, 3, format);
	db_bind_int64(st, 4, runs);
	db_bind_int64(st, 5, points);
	return db_step_done(db, st, err);
}

int
db_import_earlier(struct db *db, const char *sha256, const char *format,
    int64_t id, int64_t *earlier, int64_t *at, struct wb_err *err)
{
	static const char	 sql[] = "SELECT id, at FROM imports"
	    " WHERE sha256 = ?1 AND format = ?2 AND id <> ?3 ORDER BY id LIMIT 1";
	struct db_stmt *st;
	int			 rc;

	*earlier = *at = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_text(st, 1, sha256);
	db_bind_text(st, 2, format);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*earlier = db_column_int64(st, 0);
		*at = db_column_int64(st, 1);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK :
	    db_sqlerr(db, err);
}
