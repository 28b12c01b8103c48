/*
 * db_registry: the registry's rows: models, versions, aliases and the
 * append-only event log.  Triggers in the schema refuse UPDATE and DELETE
 * on registry_events, so this file only ever INSERTs events.  Callers
 * (registry.c) wrap several calls in one transaction.
 */
#include "config.h"

#include "db_registry.h"

#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "err.h"
#include "mem.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* Models ---------------------------------------------------------------- */

int
db_reg_model_find(struct db *db, const char *name, int64_t *id,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT id FROM models WHERE name = ?1";
	int			 rc;

	if ((rc = db_find_id(db, sql, name, id, err)) != WB_ENOTFOUND)
		return rc;
	return wb_err_set(err, WB_ENOTFOUND, "no model named '%s' (mlwb model "
	    "ls lists them)", name);
}

int
db_reg_model_create(struct db *db, const char *name, const char *description,
    int64_t at, int64_t *id, struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO models (name, description,"
	    " created_at) VALUES (?1, ?2, ?3) RETURNING id";
	struct db_stmt *st;
	int64_t			 old;
	int			 rc;

	if ((rc = db_reg_model_find(db, name, &old, err)) == WB_OK)
		return wb_err_set(err, WB_EEXIST, "model '%s' already exists",
		    name);
	if (rc != WB_ENOTFOUND)
		return rc;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, description);
	db_bind_int64(st, 3, at);
	if ((rc = db_step_id(db, st, id, err)) != WB_OK)
		return rc;
	return WB_OK;
}

void
reg_models_free(struct reg_model *m, size_t n)
{
	size_t	i;

	for (i = 0; m != NULL && i < n; i++) {
		wb_free(m[i].name);
		wb_free(m[i].description);
		wb_free(m[i].aliases);
	}
	wb_free(m);
}

static void
reg_model_clear(struct reg_model *m)
{
	wb_free(m->name);
	wb_free(m->description);
	wb_free(m->aliases);
	memset(m, 0, sizeof *m);
}

int
db_reg_model_each(struct db *db, int (*fn)(void *, struct reg_model *),
    void *arg, struct wb_err *err)
{
	static const char	 sql[] =
	    "SELECT m.id, m.name, m.description, m.created_at,"
	    " (SELECT count(*) FROM model_versions v WHERE v.model_id = m.id),"
	    " (SELECT coalesce(max(version), 0) FROM model_versions v"
	    "  WHERE v.model_id = m.id),"
	    " (SELECT group_concat(a.alias || '=' || v.version, ' ') FROM"
	    "  (SELECT * FROM model_aliases ORDER BY alias) a"
	    "  JOIN model_versions v ON v.id = a.version_id"
	    "  WHERE a.model_id = m.id)"
	    " FROM models m ORDER BY m.name";
	struct db_stmt *st;
	struct reg_model	 r;
	int			 rc, stop = 0;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	while (!stop && (rc = db_step(st)) == DB_ROW) {
		memset(&r, 0, sizeof r);
		r.id = db_column_int64(st, 0);
		r.name = db_column_strdup(st, 1);
		r.description = db_column_strdup(st, 2);
		r.created_at = db_column_int64(st, 3);
		r.nversions = db_column_int64(st, 4);
		r.latest = db_column_int64(st, 5);
		r.aliases = db_column_strdup(st, 6);
		if (r.name == NULL || (r.aliases == NULL &&
		    db_column_type(st, 6) != DB_NULL) ||
		    (r.description == NULL &&
		    db_column_type(st, 2) != DB_NULL)) {
			reg_model_clear(&r);
			db_reset(st);
			return oom(err);
		}
		stop = fn(arg, &r);
		reg_model_clear(&r);
	}
	if (!stop && rc != DB_DONE) {
		rc = db_sqlerr(db, err);
		db_reset(st);
		return rc;
	}
	db_reset(st);
	return WB_OK;
}

struct model_vec {
	struct reg_model	*v;
	size_t			 n;
	int			 oom;
};

static int
model_collect(void *arg, struct reg_model *m)
{
	struct model_vec	*mv = arg;
	struct reg_model	*nv;

	if ((nv = wb_reallocarray(mv->v, mv->n + 1, sizeof *nv)) == NULL) {
		mv->oom = 1;
		return 1;
	}
	mv->v = nv;
	mv->v[mv->n++] = *m;
	memset(m, 0, sizeof *m);
	return 0;
}

int
db_reg_model_list(struct db *db, struct reg_model **out, size_t *n,
    struct wb_err *err)
{
	struct model_vec	mv;
	int			rc;

	memset(&mv, 0, sizeof mv);
	*out = NULL;
	*n = 0;
	if ((rc = db_reg_model_each(db, model_collect, &mv, err)) == WB_OK &&
	    mv.oom)
		rc = oom(err);
	if (rc != WB_OK) {
		reg_models_free(mv.v, mv.n);
		return rc;
	}
	*out = mv.v;
	*n = mv.n;
	return WB_OK;
}

/* Versions -------------------------------------------------------------- */

int
db_reg_version_add(struct db *db, int64_t model_id, int64_t run_id,
    const char *artifact, const char *sha256, const char *description,
    int64_t at, int64_t *version_id, int64_t *version, struct wb_err *err)
{
	static const char	 next[] = "SELECT coalesce(max(version), 0) + 1"
	    " FROM model_versions WHERE model_id = ?1";
	static const char	 ins[] = "INSERT INTO model_versions (model_id,"
	    " version, run_id, artifact_path, sha256, description, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
	struct db_stmt *st;
	int64_t			 ver;
	int			 rc;

	if ((st = db_prepare(db, next, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	if (db_step(st) != DB_ROW) {
		db_reset(st);
		return db_sqlerr(db, err);
	}
	ver = db_column_int64(st, 0);
	db_reset(st);
	if ((st = db_prepare(db, ins, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_int64(st, 2, ver);
	db_bind_int64_or_null(st, 3, run_id, run_id == 0);
	db_bind_text(st, 4, artifact);
	db_bind_text(st, 5, sha256);
	db_bind_text(st, 6, description);
	db_bind_int64(st, 7, at);
	if ((rc = db_step_id(db, st, version_id, err)) != WB_OK)
		return rc;
	*version = ver;
	return WB_OK;
}

void
reg_version_clear(struct reg_version *v)
{
	if (v == NULL)
		return;
	wb_free(v->run_name);
	wb_free(v->run_uuid);
	wb_free(v->artifact_path);
	wb_free(v->sha256);
	wb_free(v->description);
	wb_free(v->aliases);
	memset(v, 0, sizeof *v);
}

void
reg_versions_free(struct reg_version *v, size_t n)
{
	size_t	i;

	for (i = 0; v != NULL && i < n; i++)
		reg_version_clear(&v[i]);
	wb_free(v);
}

#define VERSION_COLS							\
	"SELECT v.id, v.model_id, v.version, coalesce(v.run_id, 0),"	\
	" e.name || '/' || r.name, r.uuid, v.artifact_path, v.sha256,"	\
	" v.description, v.created_at,"					\
	" (SELECT group_concat(alias, ' ') FROM (SELECT alias FROM"	\
	"  model_aliases a WHERE a.version_id = v.id ORDER BY alias)"	\
	"  AS held)"							\
	" FROM model_versions v LEFT JOIN runs r ON r.id = v.run_id"	\
	" LEFT JOIN experiments e ON e.id = r.experiment_id"

/* Fill r from the current row of a VERSION_COLS statement. */
static int
version_row(struct db_stmt *st, struct reg_version *r)
{
	static const int	 texts[] = { 4, 5, 6, 7, 8, 10 };
	char			**dst[6];
	size_t			 i;

	memset(r, 0, sizeof *r);
	r->id = db_column_int64(st, 0);
	r->model_id = db_column_int64(st, 1);
	r->version = db_column_int64(st, 2);
	r->run_id = db_column_int64(st, 3);
	r->created_at = db_column_int64(st, 9);
	dst[0] = &r->run_name;
	dst[1] = &r->run_uuid;
	dst[2] = &r->artifact_path;
	dst[3] = &r->sha256;
	dst[4] = &r->description;
	dst[5] = &r->aliases;
	for (i = 0; i < 6; i++) {
		*dst[i] = db_column_strdup(st, texts[i]);
		if (*dst[i] == NULL &&
		    db_column_type(st, texts[i]) != DB_NULL)
			return -1;
	}
	return 0;
}

int
db_reg_versions(struct db *db, int64_t model_id, struct reg_version **out,
    size_t *n, struct wb_err *err)
{
	static const char	 sql[] = VERSION_COLS
	    " WHERE v.model_id = ?1 ORDER BY v.version DESC";
	struct db_stmt *st;
	struct reg_version	*v = NULL, *nv;
	size_t			 cnt = 0;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((nv = wb_reallocarray(v, cnt + 1, sizeof *v)) == NULL)
			goto nomem;
		v = nv;
		if (version_row(st, &v[cnt++]) != 0)
			goto nomem;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		reg_versions_free(v, cnt);
		return db_sqlerr(db, err);
	}
	*out = v;
	*n = cnt;
	return WB_OK;
nomem:
	db_reset(st);
	reg_versions_free(v, cnt);
	return oom(err);
}

int
db_reg_version_get(struct db *db, int64_t model_id, int64_t version,
    struct reg_version *out, struct wb_err *err)
{
	static const char	 sql[] = VERSION_COLS
	    " WHERE v.model_id = ?1 AND v.version = ?2";
	struct db_stmt *st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_int64(st, 2, version);
	rc = db_step(st);
	if (rc == DB_ROW) {
		rc = version_row(st, out);
		db_reset(st);
		if (rc != 0) {
			reg_version_clear(out);
			return oom(err);
		}
		return WB_OK;
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	return wb_err_set(err, WB_ENOTFOUND, "no version %lld",
	    (long long)version);
}

/* Aliases --------------------------------------------------------------- */

int
db_reg_alias_get(struct db *db, int64_t model_id, const char *alias,
    int64_t *version_id, int64_t *version, struct wb_err *err)
{
	static const char	 sql[] = "SELECT v.id, v.version FROM"
	    " model_aliases a JOIN model_versions v ON v.id = a.version_id"
	    " WHERE a.model_id = ?1 AND a.alias = ?2";
	struct db_stmt *st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_text(st, 2, alias);
	*version_id = *version = 0;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*version_id = db_column_int64(st, 0);
		*version = db_column_int64(st, 1);
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	return WB_OK;
}

int
db_reg_alias_set(struct db *db, int64_t model_id, const char *alias,
    int64_t version_id, struct wb_err *err)
{
	static const char	 set[] = "INSERT INTO model_aliases (model_id,"
	    " alias, version_id) VALUES (?1, ?2, ?3) ON CONFLICT (model_id,"
	    " alias) DO UPDATE SET version_id = excluded.version_id";
	static const char	 del[] = "DELETE FROM model_aliases"
	    " WHERE model_id = ?1 AND alias = ?2";
	struct db_stmt *st;

	if ((st = db_prepare(db, version_id ? set : del, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_text(st, 2, alias);
	if (version_id)
		db_bind_int64(st, 3, version_id);
	return db_step_done(db, st, err);
}

/* Events ---------------------------------------------------------------- */

int
db_reg_event_add(struct db *db, int64_t model_id, const struct reg_event *e,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO registry_events"
	    " (model_id, version_id, action, alias, from_version, to_version,"
	    " actor, host, reason, gate, gate_result, forced, deploy_status,"
	    " deploy_output, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13, ?14, ?15)";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_int64_or_null(st, 2, e->version_id, e->version_id == 0);
	db_bind_text(st, 3, e->action);
	db_bind_text(st, 4, e->alias);
	db_bind_int64_or_null(st, 5, e->from_version, e->from_version == 0);
	db_bind_int64_or_null(st, 6, e->to_version, e->to_version == 0);
	db_bind_text(st, 7, e->actor);
	db_bind_text(st, 8, e->host);
	db_bind_text(st, 9, e->reason);
	db_bind_text(st, 10, e->gate);
	db_bind_text(st, 11, e->gate_result);
	db_bind_int(st, 12, e->forced != 0);
	db_bind_int64_or_null(st, 13, e->deploy_status, !e->has_deploy);
	db_bind_text(st, 14, e->has_deploy ? e->deploy_output : NULL);
	db_bind_int64(st, 15, e->at);
	return db_step_done(db, st, err);
}

void
reg_events_free(struct reg_event *e, size_t n)
{
	size_t	i, j;

	for (i = 0; e != NULL && i < n; i++)
		for (j = 0; j < sizeof e[i].own / sizeof e[i].own[0]; j++)
			wb_free(e[i].own[j]);
	wb_free(e);
}

int
db_reg_events(struct db *db, int64_t model_id, const char *alias,
    struct reg_event **out, size_t *n, struct wb_err *err)
{
	static const char	 all[] = "SELECT id, coalesce(version_id, 0),"
	    " coalesce(from_version, 0), coalesce(to_version, 0), forced,"
	    " deploy_status IS NOT NULL, coalesce(deploy_status, 0), at,"
	    " action, alias, actor, host, reason, gate, gate_result,"
	    " deploy_output FROM registry_events WHERE model_id = ?1"
	    " ORDER BY id";
	static const char	 one[] = "SELECT id, coalesce(version_id, 0),"
	    " coalesce(from_version, 0), coalesce(to_version, 0), forced,"
	    " deploy_status IS NOT NULL, coalesce(deploy_status, 0), at,"
	    " action, alias, actor, host, reason, gate, gate_result,"
	    " deploy_output FROM registry_events WHERE model_id = ?1"
	    " AND alias = ?2 AND action IN ('promote', 'rollback', 'import') ORDER BY id";
	struct db_stmt *st;
	struct reg_event	*v = NULL, *nv, *r;
	const char		**dst[8];
	size_t			 cnt = 0, i;
	int			 rc;

	if ((st = db_prepare(db, alias ? one : all, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	if (alias != NULL)
		db_bind_text(st, 2, alias);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((nv = wb_reallocarray(v, cnt + 1, sizeof *v)) == NULL)
			goto nomem;
		v = nv;
		r = &v[cnt++];
		memset(r, 0, sizeof *r);
		r->id = db_column_int64(st, 0);
		r->version_id = db_column_int64(st, 1);
		r->from_version = db_column_int64(st, 2);
		r->to_version = db_column_int64(st, 3);
		r->forced = db_column_int(st, 4);
		r->has_deploy = db_column_int(st, 5);
		r->deploy_status = db_column_int(st, 6);
		r->at = db_column_int64(st, 7);
		dst[0] = &r->action;
		dst[1] = &r->alias;
		dst[2] = &r->actor;
		dst[3] = &r->host;
		dst[4] = &r->reason;
		dst[5] = &r->gate;
		dst[6] = &r->gate_result;
		dst[7] = &r->deploy_output;
		for (i = 0; i < 8; i++) {
			r->own[i] = db_column_strdup(st, 8 + (int)i);
			if (r->own[i] == NULL &&
			    db_column_type(st, 8 + (int)i) != DB_NULL)
				goto nomem;
			*dst[i] = r->own[i];
		}
	}
	db_reset(st);
	if (rc != DB_DONE) {
		reg_events_free(v, cnt);
		return db_sqlerr(db, err);
	}
	*out = v;
	*n = cnt;
	return WB_OK;
nomem:
	db_reset(st);
	reg_events_free(v, cnt);
	return oom(err);
}

/* Doctor ---------------------------------------------------------------- */

/*
 * Step st (prepared and bound) for at most one row: *v its first column
 * (0 without a row) and *found whether there was one.  Resets st.
 */
static int
first_int(struct db *db, struct db_stmt *st, int64_t *v, int *found,
    struct wb_err *err)
{
	int	rc;

	rc = db_step(st);
	*v = rc == DB_ROW ? db_column_int64(st, 0) : 0;
	*found = rc == DB_ROW;
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

int
db_reg_last_event(struct db *db, int64_t *id, struct wb_err *err)
{
	static const char	 sql[] = "SELECT coalesce(max(id), 0)"
	    " FROM registry_events";
	struct db_stmt		*st;
	int			 found;

	*id = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	return first_int(db, st, id, &found, err);
}

int
db_reg_marker_put(struct db *db, const char *line, struct wb_err *err)
{
	static const char	 put[] = "INSERT INTO deploy_markers (name,"
	    " marker) VALUES ('registry', ?1) ON CONFLICT (name) DO UPDATE"
	    " SET marker = excluded.marker";
	static const char	 del[] = "DELETE FROM deploy_markers"
	    " WHERE name = 'registry'";
	struct db_stmt		*st;

	if ((st = db_prepare(db, line != NULL ? put : del, err)) == NULL)
		return WB_EDB;
	if (line != NULL)
		db_bind_text(st, 1, line);
	return db_step_done(db, st, err);
}

int
db_reg_marker_get(struct db *db, char *buf, size_t len, struct wb_err *err)
{
	static const char	 sql[] = "SELECT marker FROM deploy_markers"
	    " WHERE name = 'registry'";
	struct db_stmt		*st;
	const char		*t;
	int			 rc;

	buf[0] = '\0';
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	if ((rc = db_step(st)) == DB_ROW && (t = db_column_text(st, 0)) !=
	    NULL)
		snprintf(buf, len, "%s", t);
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

int
db_reg_deploy_recorded(struct db *db, int64_t model_id, const char *alias,
    int64_t to_version, int64_t after_id, int *yes, struct wb_err *err)
{
	static const char	 sql[] = "SELECT 1 FROM registry_events"
	    " WHERE id > ?4 AND model_id = ?1 AND alias = ?2 AND to_version = ?3"
	    " AND deploy_status IS NOT NULL";
	struct db_stmt		*st;
	int64_t			 one;

	*yes = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_text(st, 2, alias);
	db_bind_int64(st, 3, to_version);
	db_bind_int64(st, 4, after_id);
	return first_int(db, st, &one, yes, err);
}

int
db_reg_doctor(struct db *db, void (*line)(void *, const char *), void *arg,
    int *problems, struct wb_err *err)
{
	/*
	 * Both directions: an alias row that disagrees with (or has no)
	 * event, and an event whose alias row is missing.
	 */
	static const char	 sql[] =
	    "WITH last AS (SELECT model_id, alias, to_version"
	    "  FROM registry_events WHERE id IN (SELECT max(id) FROM"
	    "  registry_events WHERE action IN ('promote', 'rollback', 'import')"
	    "  AND alias IS NOT NULL GROUP BY model_id, alias)),"
	    " held AS (SELECT a.model_id, a.alias, v.version FROM"
	    "  model_aliases a JOIN model_versions v ON v.id = a.version_id),"
	    " k AS (SELECT model_id, alias FROM held UNION"
	    "  SELECT model_id, alias FROM last)"
	    " SELECT 'model ' || m.name || ': alias ' || k.alias || ' is held"
	    " by ' || coalesce('version ' || h.version, 'nobody') || ' but"
	    " its last event says ' || coalesce('version ' || l.to_version,"
	    " 'nothing')"
	    " FROM k JOIN models m ON m.id = k.model_id"
	    " LEFT JOIN held h ON h.model_id = k.model_id AND h.alias = k.alias"
	    " LEFT JOIN last l ON l.model_id = k.model_id AND l.alias = k.alias"
	    " WHERE h.version IS DISTINCT FROM l.to_version"
	    " ORDER BY m.name, k.alias";
	/*
	 * The history is only as good as its guards: each trigger must be
	 * there and still do its work, and ids (given in order, from 1)
	 * must have no hole, which a deletion behind the triggers' back
	 * leaves.  Deleting the newest events leaves no hole, so the count
	 * of events ever written (registry_events_written, kept by a
	 * trigger) must match what the table holds.
	 */
	static const char	 q_trig[] =
	    "WITH want(name, tbl, does) AS (VALUES"
	    "  ('registry_events_no_update', 'registry_events', '%RAISE(ABORT%'),"
	    "  ('registry_events_no_delete', 'registry_events', '%RAISE(ABORT%'),"
	    "  ('registry_events_no_replace', 'registry_events', '%RAISE(ABORT%'),"
	    "  ('registry_events_count', 'registry_events',"
	    "   '%UPDATE registry_events_written SET n = n + 1%'),"
	    "  ('registry_events_written_no_delete', 'registry_events_written',"
	    "   '%RAISE(ABORT%'),"
	    "  ('registry_events_written_no_lower', 'registry_events_written',"
	    "   '%RAISE(ABORT%'))"
	    " SELECT 'registry history: trigger ' || w.name || ' is '"
	    "  || CASE WHEN m.name IS NULL THEN 'missing' ELSE"
	    "  'changed (it no longer does its work)' END || ': events can be"
	    " rewritten'"
	    " FROM want w LEFT JOIN sqlite_master m ON m.type = 'trigger'"
	    "  AND m.name = w.name AND m.tbl_name = w.tbl"
	    " WHERE (m.name IS NULL OR m.sql NOT LIKE w.does)"
	    /* Without the count (an older file), q_none says so once. */
	    "  AND (w.name NOT LIKE 'registry_events_%written%' AND w.name <>"
	    "  'registry_events_count' OR EXISTS (SELECT 1 FROM sqlite_master"
	    "  WHERE type = 'table' AND name = 'registry_events_written'))";
	static const char	 q_holes[] =
	    "SELECT 'registry history: ' || (max(id) - count(*)) || ' of"
	    " events 1 to ' || max(id) || ' missing (deleted), the first ' ||"
	    " CASE WHEN min(id) > 1 THEN 1 ELSE (SELECT min(e.id + 1) FROM"
	    " registry_events e WHERE NOT EXISTS (SELECT 1 FROM registry_events"
	    " f WHERE f.id = e.id + 1)) END"
	    " FROM registry_events HAVING max(id) <> count(*)";
	static const char	 q_written[] =
	    "SELECT CASE WHEN w.n IS NULL THEN 'registry history: the count of"
	    " events written (registry_events_written) is missing'"
	    " WHEN e.m < w.last_id THEN 'registry history: the newest events"
	    " were deleted: ' || (w.n - e.c) || ' of the ' || w.n || ' written"
	    " are gone, the last id written was ' || w.last_id || ', the table"
	    " ends at ' || e.m"
	    " ELSE 'registry history: ' || (w.n - e.c) || ' of the ' || w.n ||"
	    " ' events written are gone (deleted, their ids used again)' END"
	    " FROM (SELECT count(*) AS c, coalesce(max(id), 0) AS m FROM"
	    "  registry_events) e LEFT JOIN (SELECT n, last_id FROM"
	    "  registry_events_written LIMIT 1) w ON true"
	    " WHERE w.n IS NULL OR w.n <> e.c";
	/* PostgreSQL: its triggers in pg_trigger (no REPLACE there). */
	static const char	 q_trig_pg[] =
	    "WITH want(name, tbl) AS (VALUES ('registry_events_no_update',"
	    "  'registry_events'), ('registry_events_no_delete',"
	    "  'registry_events'), ('registry_events_count', 'registry_events'),"
	    "  ('registry_events_written_guard', 'registry_events_written'))"
	    " SELECT 'registry history: trigger ' || w.name || ' is missing:"
	    " events can be rewritten' FROM want w WHERE NOT EXISTS (SELECT 1"
	    " FROM pg_trigger t WHERE t.tgname = w.name AND t.tgrelid ="
	    " w.tbl::regclass AND t.tgenabled <> 'D')";
	/* An older workspace read without migrating has no count yet. */
	static const char	 q_has[] = "SELECT count(*) FROM sqlite_master"
	    " WHERE name = 'registry_events_written'";
	static const char	 q_has_pg[] = "SELECT count(*) FROM (SELECT"
	    " to_regclass('registry_events_written') AS t) x WHERE t IS NOT NULL";
	static const char	 q_none[] = "SELECT 'registry history: the count"
	    " of events written is missing (a write command adds it)'";
	const char		*checks[] = { sql,
	    db_is_remote(db) ? q_trig_pg : q_trig, q_holes, q_written };
	int64_t			 has = 0;
	int			 found;
	struct db_stmt *st;
	const char		*t;
	size_t			 i;
	int			 rc;

	if ((st = db_prepare(db, db_is_remote(db) ? q_has_pg : q_has, err)) ==
	    NULL || (rc = first_int(db, st, &has, &found, err)) != WB_OK)
		return WB_EDB;
	if (!has)
		checks[3] = q_none;
	for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		if ((st = db_prepare(db, checks[i], err)) == NULL)
			return WB_EDB;
		while ((rc = db_step(st)) == DB_ROW) {
			t = db_column_text(st, 0);
			line(arg, t ? t : "(null)");
			(*problems)++;
		}
		db_reset(st);
		if (rc != DB_DONE)
			return db_sqlerr(db, err);
	}
	return WB_OK;
}
