/*
 * db_life: soft delete, restore, purge, rename, tags, notes and parents
 * of runs, and rename/delete/restore of experiments (db_life.h).  Each
 * change stamps updated_at: sync (db_sync.c) compares it to decide which
 * side's fields win, so a deletion or a rename travels like any change.
 * Callers wrap several calls in one transaction when they must be atomic.
 */
#include "config.h"

#include "db_life.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_internal.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* WB_OK if run id exists, else WB_ENOTFOUND. */
static int
run_exists(struct db *db, int64_t id, struct wb_err *err)
{
	static const char	 sql[] = "SELECT 1 FROM runs WHERE id = ?1";
	struct db_stmt		*st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	db_reset(st);
	if (rc == DB_ROW)
		return WB_OK;
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	return wb_err_set(err, WB_ENOTFOUND, "no run with id %lld",
	    (long long)id);
}

/* Mark run id changed now (sync's "which side is newer"). */
static int
touch(struct db *db, int64_t id, struct wb_err *err)
{
	static const char	 plain[] = "UPDATE runs SET updated_at ="
	    " CASE WHEN updated_at >= ?2 THEN updated_at + 1 ELSE ?2 END"
	    " WHERE id = ?1";
	struct db_stmt		*st;

	/*
	 * Always later than the last stamp, even within one millisecond:
	 * a rename right after a delete must still look newer to sync.
	 */
	if ((st = db_prepare(db, plain, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, db_now_ms());
	return db_step_done(db, st, err);
}

/*
 * Set deleted_at of id (and its descendants) to now, or to NULL when
 * restoring; only runs whose state changes are stamped and counted.
 */
static int
set_deleted(struct db *db, int64_t id, int children, int del, int64_t *n,
    struct wb_err *err)
{
	static const char	 one_del[] = "UPDATE runs SET deleted_at = ?2,"
	    " updated_at = CASE WHEN updated_at >= ?2 THEN updated_at + 1"
	    " ELSE ?2 END WHERE id = ?1 AND deleted_at IS NULL";
	static const char	 one_res[] = "UPDATE runs SET deleted_at = NULL,"
	    " updated_at = CASE WHEN updated_at >= ?2 THEN updated_at + 1"
	    " ELSE ?2 END WHERE id = ?1 AND deleted_at IS NOT NULL";
	static const char	 tree_del[] = "WITH RECURSIVE t(id) AS (SELECT"
	    " CAST(?1 AS BIGINT) UNION SELECT r.id FROM runs r JOIN t ON"
	    " r.parent_id = t.id) UPDATE runs SET deleted_at = ?2,"
	    " updated_at = CASE WHEN updated_at >= ?2 THEN updated_at + 1"
	    " ELSE ?2 END WHERE id IN (SELECT id FROM t) AND deleted_at IS"
	    " NULL";
	static const char	 tree_res[] = "WITH RECURSIVE t(id) AS (SELECT"
	    " CAST(?1 AS BIGINT) UNION SELECT r.id FROM runs r JOIN t ON"
	    " r.parent_id = t.id) UPDATE runs SET deleted_at = NULL,"
	    " updated_at = CASE WHEN updated_at >= ?2 THEN updated_at + 1"
	    " ELSE ?2 END WHERE id IN (SELECT id FROM t) AND deleted_at IS"
	    " NOT NULL";
	struct db_stmt		*st;
	int			 rc;

	if ((rc = run_exists(db, id, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(db, children ? (del ? tree_del : tree_res) :
	    (del ? one_del : one_res), err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, db_now_ms());
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	*n = db_changes(db);
	return WB_OK;
}

int
db_life_delete(struct db *db, int64_t id, int children, int64_t *n,
    struct wb_err *err)
{
	return set_deleted(db, id, children, 1, n, err);
}

int
db_life_restore(struct db *db, int64_t id, int children, int64_t *n,
    struct wb_err *err)
{
	return set_deleted(db, id, children, 0, n, err);
}

int
db_life_children(struct db *db, int64_t id, int64_t *n, int64_t *live,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT count(*), coalesce(sum(CASE"
	    " WHEN deleted_at IS NULL THEN 1 ELSE 0 END), 0) FROM runs"
	    " WHERE parent_id = ?1";
	struct db_stmt		*st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return db_sqlerr(db, err);
	}
	*n = db_column_int64(st, 0);
	if (live != NULL)
		*live = db_column_int64(st, 1);
	db_reset(st);
	return WB_OK;
}

int
db_life_children_list(struct db *db, int64_t id, struct kv **kv, size_t *n,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT uuid, name FROM runs WHERE"
	    " parent_id = ?1 ORDER BY deleted_at IS NOT NULL, name COLLATE"
	    " NATSORT, id";

	return db_kv_get(db, sql, id, kv, n, err);
}

int
db_life_rename(struct db *db, int64_t id, const char *name,
    struct wb_err *err)
{
	static const char	 sql[] = "UPDATE runs SET name = ?2 WHERE"
	    " id = ?1";
	struct db_stmt		*st;
	int			 rc;

	if (name == NULL || name[0] == '\0')
		return wb_err_set(err, WB_EINVAL, "a run name cannot be "
		    "empty");
	if ((rc = run_exists(db, id, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, name);
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	return touch(db, id, err);
}

int
db_life_tag(struct db *db, int64_t id, const char *key, const char *value,
    int *changed, struct wb_err *err)
{
	static const char	 set[] = "INSERT INTO tags (run_id, key, value)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (run_id, key) DO UPDATE SET"
	    " value = excluded.value WHERE tags.value IS DISTINCT FROM"
	    " excluded.value";
	static const char	 del[] = "DELETE FROM tags WHERE run_id = ?1"
	    " AND key = ?2";
	struct db_stmt		*st;
	int64_t			 n;
	int			 rc;

	if (changed != NULL)
		*changed = 0;
	if (key == NULL || key[0] == '\0')
		return wb_err_set(err, WB_EINVAL, "a tag key cannot be empty");
	if ((rc = run_exists(db, id, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(db, value != NULL ? set : del, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, key);
	if (value != NULL)
		db_bind_text(st, 3, value);
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	if ((n = db_changes(db)) == 0)
		return WB_OK;
	if (changed != NULL)
		*changed = 1;
	return touch(db, id, err);
}

int
db_life_note_get(struct db *db, int64_t id, char **note, struct wb_err *err)
{
	static const char	 sql[] = "SELECT value FROM tags WHERE"
	    " run_id = ?1 AND key = '" LIFE_NOTE_TAG "'";
	struct db_stmt		*st;
	int			 rc;

	*note = NULL;
	if ((rc = run_exists(db, id, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW && db_column_type(st, 0) != DB_NULL &&
	    (*note = db_column_strdup(st, 0)) == NULL) {
		db_reset(st);
		return oom(err);
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	return WB_OK;
}

int
db_life_note_set(struct db *db, int64_t id, const char *text,
    struct wb_err *err)
{
	return db_life_tag(db, id, LIFE_NOTE_TAG, text != NULL &&
	    text[0] != '\0' ? text : NULL, NULL, err);
}

int
db_life_purge_check(struct db *db, int64_t id, struct wb_err *err)
{
	static const char	 sql[] = "SELECT r.uuid, r.name, r.deleted_at"
	    " IS NOT NULL OR EXISTS (SELECT 1 FROM experiments e WHERE"
	    " e.id = r.experiment_id AND e.deleted_at IS NOT NULL),"
	    " (SELECT m.name FROM model_versions v JOIN models m ON"
	    " m.id = v.model_id WHERE v.run_id = r.id ORDER BY m.name,"
	    " v.version LIMIT 1), (SELECT v.version FROM model_versions v"
	    " JOIN models m ON m.id = v.model_id WHERE v.run_id = r.id"
	    " ORDER BY m.name, v.version LIMIT 1) FROM runs r WHERE r.id = ?1";
	struct db_stmt		*st;
	char			*name, *model;
	int			 rc, deleted, backs;
	int64_t			 version;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	if ((rc = db_step(st)) != DB_ROW) {
		db_reset(st);
		if (rc != DB_DONE)
			return db_sqlerr(db, err);
		return wb_err_set(err, WB_ENOTFOUND, "no run with id %lld",
		    (long long)id);
	}
	/* Copies, whole: the names go into messages after the reset. */
	name = wb_strdup(db_column_text(st, 1) ? db_column_text(st, 1) : "");
	deleted = db_column_int64(st, 2) != 0;
	backs = db_column_type(st, 3) != DB_NULL;
	model = wb_strdup(backs ? db_column_text(st, 3) : "");
	version = db_column_int64(st, 4);
	db_reset(st);
	if (name == NULL || model == NULL)
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	else if (!deleted)
		rc = wb_err_set(err, WB_EINVAL, "run '%s' is not deleted; "
		    "delete it first (mlwb runs delete)", name);
	else if (backs)
		rc = wb_err_set(err, WB_EINVAL, "run '%s' backs model %s "
		    "version %lld; it is kept", name, model,
		    (long long)version);
	else
		rc = WB_OK;
	wb_free(name);
	wb_free(model);
	return rc;
}

/* The log file of a launched run, when it lies in .mlwb/logs. */
static void
unlink_log(const char *path)
{
	if (path != NULL && strstr(path, "/.mlwb/logs/") != NULL)
		(void)unlink(path);
}

int
db_life_purge(struct db *db, int64_t id, int64_t *points,
    struct wb_err *err)
{
	static const char	 info[] = "SELECT uuid, log_path, (SELECT"
	    " coalesce(sum(count), 0) FROM metric_summary WHERE run_id ="
	    " r.id) FROM runs r WHERE id = ?1";
	static const char	 tomb[] = "INSERT INTO runs_purged (uuid,"
	    " purged_at) VALUES (?1, ?2) ON CONFLICT (uuid) DO NOTHING";
	static const char	 del[] = "DELETE FROM runs WHERE id = ?1";
	struct db_stmt		*st;
	char			 uuid[33];
	char			*log = NULL;
	int64_t			 np;
	int			 rc;

	if ((rc = db_life_purge_check(db, id, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(db, info, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return db_sqlerr(db, err);
	}
	snprintf(uuid, sizeof uuid, "%s", db_column_text(st, 0));
	if (db_column_type(st, 1) != DB_NULL &&
	    (log = db_column_strdup(st, 1)) == NULL) {
		db_reset(st);
		return oom(err);
	}
	np = db_column_int64(st, 2);
	db_reset(st);
	if ((st = db_prepare(db, tomb, err)) == NULL) {
		wb_free(log);
		return WB_EDB;
	}
	db_bind_text(st, 1, uuid);
	db_bind_int64(st, 2, db_now_ms());
	if ((rc = db_step_done(db, st, err)) != WB_OK) {
		wb_free(log);
		return rc;
	}
	/* Points, summaries, params, tags, inputs, the job: ON DELETE. */
	if ((st = db_prepare(db, del, err)) == NULL) {
		wb_free(log);
		return WB_EDB;
	}
	db_bind_int64(st, 1, id);
	if ((rc = db_step_done(db, st, err)) != WB_OK) {
		wb_free(log);
		return rc;
	}
	/*
	 * The file goes before the commit: were the transaction to fail
	 * after, the run would be kept without its log, which is less
	 * harm than a log nothing refers to (and doctor reports neither).
	 */
	unlink_log(log);
	wb_free(log);
	if (points != NULL)
		*points = np;
	return WB_OK;
}

int
db_life_purgeable(struct db *db, int64_t before_ms, int64_t **ids,
    size_t *n, struct wb_err *err)
{
	static const char	 sql[] = "SELECT r.id FROM runs r WHERE "
	    RUN_DELETED_SQL " AND (?1 = 0 OR coalesce(r.deleted_at, (SELECT"
	    " x.deleted_at FROM experiments x WHERE x.id = r.experiment_id))"
	    " < ?1) ORDER BY coalesce(r.deleted_at, 0), r.id";
	struct db_stmt		*st;
	int64_t			*v = NULL, *nv;
	size_t			 cnt = 0, cap = 0;
	int			 rc;

	*ids = NULL;
	*n = 0;
	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, before_ms);
	while ((rc = db_step(st)) == DB_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = wb_reallocarray(v, cap, sizeof *v)) == NULL) {
				db_finalize(st);
				wb_free(v);
				return oom(err);
			}
			v = nv;
		}
		v[cnt++] = db_column_int64(st, 0);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		wb_free(v);
		return db_sqlerr(db, err);
	}
	*ids = v;
	*n = cnt;
	return WB_OK;
}

int
db_life_tombstoned(struct db *db, const char *uuid, int *yes,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT 1 FROM runs_purged WHERE"
	    " uuid = ?1";
	struct db_stmt		*st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, uuid);
	rc = db_step(st);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	*yes = rc == DB_ROW;
	return WB_OK;
}

int
db_life_span(struct db *db, int64_t id, struct wb_err *err)
{
	static const char	 sql[] = "UPDATE runs SET started_at = (SELECT"
	    " min(c.started_at) FROM runs c WHERE c.parent_id = ?1),"
	    " ended_at = (SELECT max(c.ended_at) FROM runs c WHERE"
	    " c.parent_id = ?1) WHERE id = ?1";
	struct db_stmt		*st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	return db_step_done(db, st, err);
}

int
db_life_set_parent(struct db *db, int64_t id, int64_t parent,
    struct wb_err *err)
{
	/* Is id among parent's ancestors (or parent itself)? */
	static const char	 cyc[] = "WITH RECURSIVE a(id) AS (SELECT"
	    " CAST(?1 AS BIGINT) UNION SELECT r.parent_id FROM runs r JOIN a"
	    " ON r.id = a.id WHERE r.parent_id IS NOT NULL) SELECT 1 FROM a"
	    " WHERE id = ?2";
	static const char	 sql[] = "UPDATE runs SET parent_id = ?2 WHERE"
	    " id = ?1 AND parent_id IS DISTINCT FROM ?2";
	struct db_stmt		*st;
	int			 rc;

	if ((rc = run_exists(db, id, err)) != WB_OK)
		return rc;
	if (parent != 0) {
		if ((rc = run_exists(db, parent, err)) != WB_OK)
			return rc;
		if ((st = db_prepare(db, cyc, err)) == NULL)
			return WB_EDB;
		db_bind_int64(st, 1, parent);
		db_bind_int64(st, 2, id);
		rc = db_step(st);
		db_reset(st);
		if (rc == DB_ROW)
			return wb_err_set(err, WB_EINVAL, "a run cannot be "
			    "its own ancestor");
		if (rc != DB_DONE)
			return db_sqlerr(db, err);
	}
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64_or_null(st, 2, parent, parent == 0);
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	return db_changes(db) > 0 ? touch(db, id, err) : WB_OK;
}

int
db_exp_find_any(struct db *db, const char *name, int64_t *id,
    int64_t *deleted_at, struct wb_err *err)
{
	static const char	 sql[] = "SELECT id, deleted_at FROM"
	    " experiments WHERE name = ?1";
	struct db_stmt		*st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, name);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		*deleted_at = db_column_int64(st, 1);
	}
	db_reset(st);
	if (rc == DB_ROW)
		return WB_OK;
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	return wb_err_set(err, WB_ENOTFOUND, "no experiment named '%s'",
	    name);
}

int
db_exp_rename(struct db *db, int64_t id, const char *name,
    struct wb_err *err)
{
	static const char	 sql[] = "UPDATE experiments SET name = ?2,"
	    " updated_at = ?3 WHERE id = ?1";
	struct db_stmt		*st;
	int			 rc;

	if (name == NULL || name[0] == '\0')
		return wb_err_set(err, WB_EINVAL, "an experiment name cannot "
		    "be empty");
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_int64(st, 3, db_now_ms());
	if (db_step(st) == DB_DONE) {
		db_reset(st);
		return WB_OK;
	}
	rc = db_err_is_unique(db);
	db_reset(st);
	if (rc)
		return wb_err_set(err, WB_EEXIST, "an experiment named '%s' "
		    "already exists", name);
	return db_sqlerr(db, err);
}

int
db_exp_set_deleted(struct db *db, int64_t id, int deleted, int *changed,
    struct wb_err *err)
{
	static const char	 del[] = "UPDATE experiments SET deleted_at ="
	    " ?2, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NULL";
	static const char	 res[] = "UPDATE experiments SET deleted_at ="
	    " NULL, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NOT NULL";
	struct db_stmt		*st;
	int			 rc;

	if ((st = db_prepare(db, deleted ? del : res, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, db_now_ms());
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	*changed = db_changes(db) > 0;
	return WB_OK;
}
