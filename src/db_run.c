/*
 * db_run: storage of experiments, runs, params, tags and imports.
 */
#include "config.h"

#include "db_run.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* Experiments ----------------------------------------------------------- */

int
db_exp_find(struct db *db, const char *name, int64_t *id, struct wb_err *err)
{
	static const char	 sql[] =
	    "SELECT id FROM experiments WHERE name = ?1";
	int			 rc;

	if ((rc = db_find_id(db, sql, name, id, err)) != WB_ENOTFOUND)
		return rc;
	return wb_err_set(err, WB_ENOTFOUND, "no experiment named '%s'", name);
}

int
db_exp_ensure(struct db *db, const char *name, int64_t *id,
    struct wb_err *err)
{
	/* As with metric keys: another writer may create it meanwhile. */
	static const char	 sql[] =
	    "INSERT INTO experiments (uuid, name, created_at)"
	    " VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (name) DO UPDATE SET name = excluded.name"
	    " RETURNING id";
	struct db_stmt *st;
	char			 uuid[33];
	int			 rc;

	if ((rc = db_exp_find(db, name, id, err)) != WB_ENOTFOUND)
		return rc;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_new_uuid(uuid);
	db_bind_text(st, 1, uuid);
	db_bind_text(st, 2, name);
	db_bind_int64(st, 3, db_now_ms());
	if ((rc = db_step_id(db, st, id, err)) != WB_OK)
		return rc;
	return WB_OK;
}

int
db_exp_list(struct db *db, struct exp_row **rows, size_t *n,
    struct wb_err *err)
{
	return db_exp_list_scope(db, QS_LIVE, rows, n, err);
}

/*
 * Counts are of the runs not deleted one by one (a deleted experiment's
 * runs count as its own); last activity includes deleted runs, so that
 * it reads from the index alone.
 */
#define EXP_LIST_SQL(where)						\
	"SELECT e.id, e.uuid, e.name, e.description, e.created_at,"	\
	" (SELECT count(*) FROM runs r WHERE r.experiment_id = e.id"	\
	"  AND r.deleted_at IS NULL),"					\
	" (SELECT count(*) FROM runs r WHERE r.experiment_id = e.id"	\
	"  AND r.status = 'running' AND r.deleted_at IS NULL),"	\
	" (SELECT count(*) FROM runs r WHERE r.experiment_id = e.id"	\
	"  AND r.status = 'failed' AND r.deleted_at IS NULL),"		\
	" coalesce((SELECT max(coalesce(r.ended_at, r.started_at,"	\
	"  r.created_at)) FROM runs r WHERE r.experiment_id = e.id), 0),"\
	" e.deleted_at FROM experiments e " where			\
	" ORDER BY e.name COLLATE NATSORT"

int
db_exp_each(struct db *db, enum q_scope scope,
    int (*fn)(void *, struct exp_row *), void *arg, struct wb_err *err)
{
	static const char	 live[] = EXP_LIST_SQL(
	    "WHERE e.deleted_at IS NULL");
	static const char	 dead[] = EXP_LIST_SQL(
	    "WHERE e.deleted_at IS NOT NULL");
	static const char	 all[] = EXP_LIST_SQL("");
	const char		*sql = scope == QS_LIVE ? live :
	    scope == QS_DELETED ? dead : all;
	struct db_stmt *st;
	struct exp_row		 e;
	int			 rc, stop = 0;

	/* Cached: fn may run other statements, not this one. */
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	while (!stop && (rc = db_step(st)) == DB_ROW) {
		memset(&e, 0, sizeof e);
		e.id = db_column_int64(st, 0);
		snprintf(e.uuid, sizeof e.uuid, "%s", db_column_text(st, 1));
		e.name = db_column_strdup(st, 2);
		e.description = db_column_strdup(st, 3);
		e.created_at = db_column_int64(st, 4);
		e.n_runs = db_column_int64(st, 5);
		e.n_running = db_column_int64(st, 6);
		e.n_failed = db_column_int64(st, 7);
		e.last_activity = db_column_int64(st, 8);
		e.deleted_at = db_column_int64(st, 9);
		if (e.name == NULL) {
			wb_free(e.description);
			db_reset(st);
			return oom(err);
		}
		stop = fn(arg, &e);
		wb_free(e.name);
		wb_free(e.description);
	}
	if (!stop && rc != DB_DONE) {
		rc = db_sqlerr(db, err);
		db_reset(st);
		return rc;
	}
	db_reset(st);
	return WB_OK;
}

struct exp_vec {
	struct exp_row	*v;
	size_t		 n, cap;
	int		 oom;
};

/* db_exp_each callback: take the row (its strings too) into the vector. */
static int
exp_collect(void *arg, struct exp_row *e)
{
	struct exp_vec	*ev = arg;
	struct exp_row	*nv;
	size_t		 cap;

	if (ev->n == ev->cap) {
		cap = ev->cap ? ev->cap * 2 : 16;
		if ((nv = wb_reallocarray(ev->v, cap, sizeof *nv)) == NULL) {
			ev->oom = 1;
			return 1;
		}
		ev->v = nv;
		ev->cap = cap;
	}
	ev->v[ev->n++] = *e;
	e->name = e->description = NULL;
	return 0;
}

int
db_exp_list_scope(struct db *db, enum q_scope scope, struct exp_row **rows,
    size_t *n, struct wb_err *err)
{
	struct exp_vec	ev;
	int		rc;

	memset(&ev, 0, sizeof ev);
	*rows = NULL;
	*n = 0;
	if ((rc = db_exp_each(db, scope, exp_collect, &ev, err)) == WB_OK &&
	    ev.oom)
		rc = oom(err);
	if (rc != WB_OK) {
		db_exp_rows_free(ev.v, ev.n);
		return rc;
	}
	*rows = ev.v;
	*n = ev.n;
	return WB_OK;
}

void
db_exp_rows_free(struct exp_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		wb_free(rows[i].name);
		wb_free(rows[i].description);
	}
	wb_free(rows);
}

int
db_exp_best(struct db *db, int64_t exp_id, int64_t key_id, int want_max,
    double *best, struct wb_err *err)
{
	static const char	 qmin[] = "SELECT min(s.last) FROM metric_summary"
	    " s JOIN runs r ON r.id = s.run_id WHERE r.experiment_id = ?1"
	    " AND r.deleted_at IS NULL"
	    " AND s.key_id = ?2";
	static const char	 qmax[] = "SELECT max(s.last) FROM metric_summary"
	    " s JOIN runs r ON r.id = s.run_id WHERE r.experiment_id = ?1"
	    " AND r.deleted_at IS NULL"
	    " AND s.key_id = ?2";
	struct db_stmt *st;

	if ((st = db_prepare(db, want_max ? qmax : qmin, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_int64(st, 1, exp_id);
	db_bind_int64(st, 2, key_id);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return db_sqlerr(db, err);
	}
	*best = db_column_type(st, 0) == DB_NULL ? NAN :
	    db_column_double(st, 0);
	db_reset(st);
	return WB_OK;
}

/* Runs ------------------------------------------------------------------ */

#define RUN_COLUMNS							\
	"r.id, r.uuid, r.experiment_id, e.name, r.name, r.status,"	\
	" r.source, r.command, r.git_commit, r.git_dirty, r.host,"	\
	" r.user, r.started_at, r.ended_at, r.exit_code, r.log_path,"	\
	" r.import_id, r.created_at, r.deleted_at, r.parent_id,"	\
	" (SELECT p.uuid FROM runs p WHERE p.id = r.parent_id)"

void
run_clear(struct run *r)
{
	wb_free(r->experiment);
	wb_free(r->name);
	wb_free(r->status);
	wb_free(r->source);
	wb_free(r->command);
	wb_free(r->git_commit);
	wb_free(r->host);
	wb_free(r->user);
	wb_free(r->log_path);
	memset(r, 0, sizeof *r);
}

static int
run_from_row(struct db_stmt *st, struct run *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_column_int64(st, 0);
	snprintf(r->uuid, sizeof r->uuid, "%s",
	    db_column_text(st, 1));
	r->experiment_id = db_column_int64(st, 2);
	r->experiment = db_column_strdup(st, 3);
	r->name = db_column_strdup(st, 4);
	r->status = db_column_strdup(st, 5);
	r->source = db_column_strdup(st, 6);
	r->command = db_column_strdup(st, 7);
	r->git_commit = db_column_strdup(st, 8);
	r->git_dirty = db_column_type(st, 9) == DB_NULL ? -1 :
	    db_column_int(st, 9);
	r->host = db_column_strdup(st, 10);
	r->user = db_column_strdup(st, 11);
	r->started_at = db_column_int64(st, 12);
	r->ended_at = db_column_int64(st, 13);
	r->has_exit_code = db_column_type(st, 14) != DB_NULL;
	r->exit_code = db_column_int(st, 14);
	r->log_path = db_column_strdup(st, 15);
	r->import_id = db_column_int64(st, 16);
	r->created_at = db_column_int64(st, 17);
	r->deleted_at = db_column_int64(st, 18);
	r->parent_id = db_column_int64(st, 19);
	snprintf(r->parent_uuid, sizeof r->parent_uuid, "%s",
	    db_column_text(st, 20) ? db_column_text(st, 20) : "");
	if (r->experiment == NULL || r->name == NULL || r->status == NULL) {
		run_clear(r);
		return WB_ENOMEM;
	}
	return WB_OK;
}

int
db_run_insert(struct db *db, struct run_new *r, int64_t *id,
    struct wb_err *err)
{
	static const char	 sql[] =
	    "INSERT INTO runs (uuid, experiment_id, name, status, source,"
	    " command, git_commit, git_dirty, host, \"user\", started_at, ended_at,"
	    " exit_code, log_path, import_id, created_at, updated_at,"
	    " deleted_at, parent_id)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16, ?16, ?17, ?18) RETURNING id";
	struct db_stmt *st;
	int			 rc;

	if (r->uuid[0] == '\0')
		db_new_uuid(r->uuid);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, r->uuid);
	db_bind_int64(st, 2, r->experiment_id);
	db_bind_text(st, 3, r->name ? r->name : r->uuid);
	db_bind_text(st, 4, r->status ? r->status : "finished");
	db_bind_text(st, 5, r->source);
	db_bind_text(st, 6, r->command);
	db_bind_text(st, 7, r->git_commit);
	db_bind_int64_or_null(st, 8, r->git_dirty, r->git_dirty < 0);
	db_bind_text(st, 9, r->host);
	db_bind_text(st, 10, r->user);
	db_bind_int64_or_null(st, 11, r->started_at, r->started_at == 0);
	db_bind_int64_or_null(st, 12, r->ended_at, r->ended_at == 0);
	db_bind_int64_or_null(st, 13, r->exit_code, !r->has_exit_code);
	db_bind_text(st, 14, r->log_path);
	db_bind_int64_or_null(st, 15, r->import_id, r->import_id == 0);
	db_bind_int64(st, 16, r->created_at ? r->created_at :
	    db_now_ms());
	db_bind_int64_or_null(st, 17, r->deleted_at, r->deleted_at == 0);
	db_bind_int64_or_null(st, 18, r->parent_id, r->parent_id == 0);
	if (db_step(st) != DB_ROW) {
		if (db_err_is_unique(db)) {
			db_reset(st);
			return wb_err_set(err, WB_EEXIST,
			    "a run with UUID %s already exists", r->uuid);
		}
		rc = db_sqlerr(db, err);
		db_reset(st);
		return rc;
	}
	*id = db_column_int64(st, 0);
	db_reset(st);
	return WB_OK;
}

int
db_run_get(struct db *db, int64_t id, struct run *r, struct wb_err *err)
{
	static const char	 sql[] = "SELECT " RUN_COLUMNS
	    " FROM runs r JOIN experiments e ON e.id = r.experiment_id"
	    " WHERE r.id = ?1";
	struct db_stmt *st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		rc = run_from_row(st, r);
		db_reset(st);
		return rc == WB_OK ? WB_OK : oom(err);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	return wb_err_set(err, WB_ENOTFOUND, "no run with id %lld",
	    (long long)id);
}

int
db_run_find_uuid(struct db *db, const char *uuid, int64_t *id,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT id FROM runs WHERE uuid = ?1";
	int			 rc;

	if ((rc = db_find_id(db, sql, uuid, id, err)) != WB_ENOTFOUND)
		return rc;
	return wb_err_set(err, WB_ENOTFOUND, "no run with UUID %s", uuid);
}

/* Collect up to 2 ids and the total count from a query with one bind. */
static int
match_ids(struct db *db, const char *sql, const char *a, const char *b,
    int64_t *first, int64_t *count, struct wb_err *err)
{
	struct db_stmt *st;
	int		 rc;

	*count = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, a);
	if (b != NULL)
		db_bind_text(st, 2, b);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((*count)++ == 0)
			*first = db_column_int64(st, 0);
	}
	db_reset(st);
	return rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

static int
is_hex(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') ||
		    (*s >= 'A' && *s <= 'F') || *s == '-'))
			return 0;
	return 1;
}

int
db_run_resolve(struct db *db, const char *ref, int64_t *id,
    struct wb_err *err)
{
	static const char	 by_prefix[] =
	    "SELECT id FROM runs WHERE uuid >= lower(?1) AND uuid < lower(?1)"
	    " || 'g' LIMIT 3";
	static const char	 by_exp_name[] =
	    "SELECT r.id FROM runs r JOIN experiments e ON"
	    " e.id = r.experiment_id WHERE e.name = ?1 AND r.name = ?2 LIMIT 3";
	static const char	 by_name[] =
	    "SELECT id FROM runs WHERE name = ?1 LIMIT 3";
	int64_t			 count = 0, first = 0;
	const char		*slash;
	char			*exp;
	int			 rc;

	if (is_hex(ref) && strlen(ref) >= 4 && strchr(ref, '-') == NULL) {
		if ((rc = match_ids(db, by_prefix, ref, NULL, &first, &count,
		    err)) != WB_OK)
			return rc;
		if (count > 1)
			return wb_err_set(err, WB_EAMBIG,
			    "run '%s': UUID prefix matches several runs; type "
			    "more digits", ref);
		if (count == 1) {
			*id = first;
			return WB_OK;
		}
	}
	/* experiment/run: try every '/' since both names may hold one. */
	for (slash = strchr(ref, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		if ((exp = wb_strndup(ref, (size_t)(slash - ref))) == NULL)
			return oom(err);
		rc = match_ids(db, by_exp_name, exp, slash + 1, &first, &count,
		    err);
		wb_free(exp);
		if (rc != WB_OK)
			return rc;
		if (count > 1)
			return wb_err_set(err, WB_EAMBIG, "run '%s': several "
			    "runs have that name; use the UUID (mlwb runs ls)",
			    ref);
		if (count == 1) {
			*id = first;
			return WB_OK;
		}
	}
	if ((rc = match_ids(db, by_name, ref, NULL, &first, &count, err)) !=
	    WB_OK)
		return rc;
	if (count > 1)
		return wb_err_set(err, WB_EAMBIG, "run '%s': several runs have "
		    "that name; use EXPERIMENT/NAME or the UUID", ref);
	if (count == 1) {
		*id = first;
		return WB_OK;
	}
	return wb_err_set(err, WB_ENOTFOUND, "run '%s' not found (give a "
	    "UUID, a UUID prefix or EXPERIMENT/NAME)", ref);
}

int
db_run_set_status(struct db *db, int64_t id, const char *status,
    int64_t ended_at, int has_exit_code, int exit_code, struct wb_err *err)
{
	static const char	 sql[] =
	    "UPDATE runs SET status = ?2, ended_at = coalesce(?3, ended_at),"
	    " exit_code = coalesce(?4, exit_code), updated_at = ?5"
	    " WHERE id = ?1";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, status);
	db_bind_int64_or_null(st, 3, ended_at, ended_at == 0);
	db_bind_int64_or_null(st, 4, exit_code, !has_exit_code);
	db_bind_int64(st, 5, db_now_ms());
	return db_step_done(db, st, err);
}

int
db_run_each(struct db *db, int64_t exp_id,
    int (*fn)(void *, const struct run *), void *arg, struct wb_err *err)
{
	static const char	 sql[] = "SELECT " RUN_COLUMNS
	    " FROM runs r JOIN experiments e ON e.id = r.experiment_id"
	    " WHERE (?1 = 0 OR r.experiment_id = ?1) AND " RUN_LIVE_SQL
	    " ORDER BY e.name, coalesce(r.started_at, r.created_at), r.id";
	struct db_stmt *st;
	struct run		 r;
	int			 rc, stop;

	/*
	 * Not the cached statement: fn may itself query (params of the
	 * run), which would reset a shared cached statement under us.
	 */
	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, exp_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (run_from_row(st, &r) != WB_OK) {
			db_finalize(st);
			return oom(err);
		}
		stop = fn(arg, &r);
		run_clear(&r);
		if (stop) {
			db_finalize(st);
			return WB_OK;
		}
	}
	if (rc != DB_DONE) {
		db_sqlerr(db, err);
		db_finalize(st);
		return WB_EDB;
	}
	db_finalize(st);
	return WB_OK;
}

int
db_run_count(struct db *db, int64_t exp_id, int64_t *n, struct wb_err *err)
{
	static const char	 sql[] =
	    "SELECT count(*) FROM runs r WHERE (?1 = 0 OR r.experiment_id = ?1)"
	    " AND " RUN_LIVE_SQL;
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, exp_id);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return db_sqlerr(db, err);
	}
	*n = db_column_int64(st, 0);
	db_reset(st);
	return WB_OK;
}

int
db_run_touch(struct db *db, int64_t id, int64_t now, struct wb_err *err)
{
	static const char	sql[] = "UPDATE runs SET updated_at = ?2"
	    " WHERE id = ?1 AND updated_at < ?2";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	return db_step_done(db, st, err);
}

/* Params and tags ------------------------------------------------------- */

static int
kv_set(struct db *db, const char *sql, int64_t run_id, const char *key,
    const char *value, struct wb_err *err)
{
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, value);
	return db_step_done(db, st, err);
}

int
db_param_set(struct db *db, int64_t run_id, const char *key,
    const char *value, struct wb_err *err)
{
	static const char	sql[] = "INSERT INTO params"
	    " (run_id, key, value) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (run_id, key) DO UPDATE SET value = ?3";

	return kv_set(db, sql, run_id, key, value, err);
}

int
db_tag_set(struct db *db, int64_t run_id, const char *key,
    const char *value, struct wb_err *err)
{
	static const char	sql[] = "INSERT INTO tags"
	    " (run_id, key, value) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (run_id, key) DO UPDATE SET value = ?3";

	return kv_set(db, sql, run_id, key, value, err);
}

void
kv_free(struct kv *kv, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		wb_free(kv[i].key);
		wb_free(kv[i].value);
	}
	wb_free(kv);
}

int
db_kv_get(struct db *db, const char *sql, int64_t run_id, struct kv **out,
    size_t *n, struct wb_err *err)
{
	struct db_stmt *st;
	struct kv	*v = NULL, *nv;
	size_t		 cnt = 0, cap = 0;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = wb_reallocarray(v, cap, sizeof *v)) == NULL)
				goto nomem;
			v = nv;
		}
		v[cnt].key = db_column_strdup(st, 0);
		v[cnt].value = db_column_strdup(st, 1);
		cnt++;
		if (v[cnt - 1].key == NULL)
			goto nomem;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		kv_free(v, cnt);
		return db_sqlerr(db, err);
	}
	*out = v;
	*n = cnt;
	return WB_OK;
nomem:
	db_reset(st);
	kv_free(v, cnt);
	return oom(err);
}

int
db_params_get(struct db *db, int64_t run_id, struct kv **kv, size_t *n,
    struct wb_err *err)
{
	static const char	sql[] =
	    "SELECT key, value FROM params WHERE run_id = ?1 ORDER BY key";

	return db_kv_get(db, sql, run_id, kv, n, err);
}

int
db_tags_get(struct db *db, int64_t run_id, struct kv **kv, size_t *n,
    struct wb_err *err)
{
	static const char	sql[] =
	    "SELECT key, value FROM tags WHERE run_id = ?1 ORDER BY key";

	return db_kv_get(db, sql, run_id, kv, n, err);
}

int
db_exp_tags_get(struct db *db, int64_t exp_id, struct kv **kv, size_t *n,
    struct wb_err *err)
{
	static const char	sql[] = "SELECT key, value FROM experiment_tags"
	    " WHERE experiment_id = ?1 ORDER BY key";

	*kv = NULL;
	*n = 0;
	if (db->schema > 0 && db->schema < DB_SCHEMA_LMODELS)
		return WB_OK;	/* an older file, read as it is */
	return db_kv_get(db, sql, exp_id, kv, n, err);
}

/* Imports --------------------------------------------------------------- */

int
db_import_add(struct db *db, const struct import_rec *rec, int64_t *id,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO imports"
	    " (path, size, sha256, format, at, runs, points)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
	struct db_stmt *st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, rec->path);
	db_bind_int64(st, 2, rec->size);
	db_bind_text(st, 3, rec->sha256);
	db_bind_text(st, 4, rec->format);
	db_bind_int64(st, 5, db_now_ms());
	db_bind_int64(st, 6, rec->runs);
	db_bind_int64(st, 7, rec->points);
	if ((rc = db_step_id(db, st, id, err)) != WB_OK)
		return rc;
	return WB_OK;
}
