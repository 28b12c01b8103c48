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
 * workspace; publishing is one INSERT ... SELECT per table from the stage
 * into the attached workspace, where writers wait only for the copy.
 * A PostgreSQL workspace needs no stage (its writers do not wait for one
 * another's transactions) and an import writes it directly.
 */
#include "config.h"

#include "import_int.h"

#include <string.h>

#include "db_internal.h"
#include "db_run.h"
#include "err.h"
#include "import.h"

int
imp_stage_open(struct db *ws, struct db **out, struct wb_err *err)
{
	static const char	 attach[] = "ATTACH ?1 AS ws";
	struct db		*st;
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
	/*
	 * Nothing of the stage outlives the import: no syncs, the journal in
	 * memory (rollbacks of savepoints still work; the pages of a new
	 * file need no journal), and no chart index (the workspace builds
	 * its own as the chunks arrive).  Each pragma names main: without
	 * a schema it would also apply to the workspace attached next.
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
 * The publication, in order; ?1 is the new ledger id in the workspace.
 * The stage holds this one import only, so every row of it is copied.
 */
static const char *const publish_steps[] = {
	"INSERT INTO ws.experiments (uuid, name, description, created_at,"
	" archived) SELECT e.uuid, e.name, e.description, e.created_at,"
	" e.archived FROM main.experiments e WHERE e.name NOT IN"
	" (SELECT name FROM ws.experiments)",
	"INSERT INTO ws.metric_keys (name) SELECT k.name FROM main.metric_keys"
	" k WHERE k.name NOT IN (SELECT name FROM ws.metric_keys)",
	"INSERT INTO ws.runs (uuid, experiment_id, name, status, source,"
	" command, git_commit, git_dirty, host, \"user\", started_at, ended_at,"
	" exit_code, log_path, import_id, created_at, updated_at)"
	" SELECT r.uuid, we.id, r.name, r.status, r.source, r.command,"
	" r.git_commit, r.git_dirty, r.host, r.user, r.started_at, r.ended_at,"
	" r.exit_code, r.log_path, ?1, r.created_at, r.updated_at"
	" FROM main.runs r JOIN main.experiments e ON e.id = r.experiment_id"
	" JOIN ws.experiments we ON we.name = e.name ORDER BY r.id",
	"INSERT INTO ws.params (run_id, key, value) SELECT w.id, p.key,"
	" p.value FROM main.params p JOIN main.runs r ON r.id = p.run_id"
	" JOIN ws.runs w ON w.uuid = r.uuid",
	"INSERT INTO ws.tags (run_id, key, value) SELECT w.id, t.key, t.value"
	" FROM main.tags t JOIN main.runs r ON r.id = t.run_id"
	" JOIN ws.runs w ON w.uuid = r.uuid",
	"INSERT INTO ws.metric_summary (run_id, key_id, count, nan_count,"
	" first, first_step, last, last_step, last_ts, min, min_step, max,"
	" max_step) SELECT w.id, wk.id, s.count, s.nan_count, s.first,"
	" s.first_step, s.last, s.last_step, s.last_ts, s.min, s.min_step,"
	" s.max, s.max_step FROM main.metric_summary s"
	" JOIN main.runs r ON r.id = s.run_id JOIN ws.runs w ON w.uuid = r.uuid"
	" JOIN main.metric_keys k ON k.id = s.key_id"
	" JOIN ws.metric_keys wk ON wk.name = k.name",
	"INSERT INTO ws.metric_chunks (run_id, key_id, seq, n, step_min,"
	" step_max, v_min, v_max, ts_min, ts_max, blocks, points)"
	" SELECT w.id, wk.id, c.seq, c.n, c.step_min, c.step_max, c.v_min,"
	" c.v_max, c.ts_min, c.ts_max, c.blocks, c.points"
	" FROM main.metric_chunks c"
	" JOIN main.runs r ON r.id = c.run_id JOIN ws.runs w ON w.uuid = r.uuid"
	" JOIN main.metric_keys k ON k.id = c.key_id"
	" JOIN ws.metric_keys wk ON wk.name = k.name ORDER BY c.id",
};

/* One statement of the publication, with ?1 bound to v when it has one. */
static int
publish_exec(struct db *db, const char *sql, int64_t v, struct wb_err *err)
{
	struct db_stmt *st;
	int		 rc;

	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	if (strstr(sql, "?1") != NULL)
		db_bind_int64(st, 1, v);
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

int
imp_publish(struct imp *im, struct wb_err *err)
{
	static const char	 q_imp[] = "SELECT path, size, sha256, format,"
	    " at, runs, points FROM main.imports WHERE id = ?1";
	static const char	 q_earlier[] = "SELECT 1 FROM ws.imports"
	    " WHERE sha256 = ?1 AND format = ?2";
	static const char	 del[] = "DELETE FROM ws.runs WHERE import_id IN"
	    " (SELECT id FROM ws.imports WHERE path = ?1)";
	static const char	 ins[] = "INSERT INTO ws.imports (path, size,"
	    " sha256, format, at, runs, points)"
	    " SELECT path, size, sha256, format, at, runs, points"
	    " FROM main.imports WHERE id = ?1 RETURNING id";
	struct db		*db = im->db;
	struct db_stmt *st = NULL, *e = NULL;
	int64_t			 id;
	size_t			 i;
	int			 rc;

	/* Only now, and only for the copy, is the workspace locked. */
	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
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
	if (im->replace_prev && im->path_abs != NULL) {
		struct db_stmt *d;

		if ((d = db_prepare_once(db, del, err)) == NULL) {
			rc = WB_EDB;
			goto out;
		}
		db_bind_text(d, 1, im->path_abs);
		if (db_step(d) != DB_DONE)
			rc = db_sqlerr(db, err);
		db_finalize(d);
		if (rc != WB_OK)
			goto out;
	}
	if ((rc = publish_id(db, ins, im->import_id, &id, err)) != WB_OK)
		goto out;
	for (i = 0; i < sizeof publish_steps / sizeof publish_steps[0]; i++)
		if ((rc = publish_exec(db, publish_steps[i], id, err)) != WB_OK)
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
