/*
 * db_artifact: the SQL of the artifact store (see db_artifact.h): the
 * workspace_settings and run_artifacts tables, the same statements on
 * both stores.
 */
#include "config.h"

#include "db_artifact.h"

#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "err.h"
#include "mem.h"

#define ART_COLS	"name, kind, sha256, size, n_files, created_at"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

void
artifact_clear(struct artifact *a)
{
	if (a == NULL)
		return;
	wb_free(a->name);
	memset(a, 0, sizeof *a);
}

void
artifacts_free(struct artifact *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		artifact_clear(&v[i]);
	wb_free(v);
}

int
db_setting_get(struct db *db, const char *key, char **value,
    struct wb_err *err)
{
	static const char	 sql[] =
	    "SELECT value FROM workspace_settings WHERE key = ?1";
	struct db_stmt		*st;
	int			 rc;

	*value = NULL;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, key);
	rc = db_step(st);
	if (rc == DB_ROW && (*value = db_column_strdup(st, 0)) == NULL) {
		db_reset(st);
		return oom(err);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

int
db_setting_set(struct db *db, const char *key, const char *value,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO workspace_settings (key,"
	    " value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET"
	    " value = excluded.value";
	struct db_stmt		*st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	return db_step_done(db, st, err);
}

int
db_artifact_put(struct db *db, int64_t run_id, const struct artifact *a,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO run_artifacts (run_id, "
	    ART_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT"
	    " (run_id, name) DO UPDATE SET kind = excluded.kind, sha256 ="
	    " excluded.sha256, size = excluded.size, n_files ="
	    " excluded.n_files, created_at = excluded.created_at";
	struct db_stmt		*st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_text(st, 2, a->name);
	db_bind_text(st, 3, a->kind);
	db_bind_text(st, 4, a->sha256);
	db_bind_int64(st, 5, a->size);
	db_bind_int64(st, 6, a->n_files);
	db_bind_int64(st, 7, a->created_at);
	return db_step_done(db, st, err);
}

/* The row at st into a; WB_ENOMEM if the name cannot be copied. */
static int
read_row(struct db_stmt *st, struct artifact *a, struct wb_err *err)
{
	const char	*s;

	memset(a, 0, sizeof *a);
	if ((a->name = db_column_strdup(st, 0)) == NULL)
		return oom(err);
	s = db_column_text(st, 1);
	snprintf(a->kind, sizeof a->kind, "%s", s ? s : "");
	s = db_column_text(st, 2);
	snprintf(a->sha256, sizeof a->sha256, "%s", s ? s : "");
	a->size = db_column_int64(st, 3);
	a->n_files = db_column_int64(st, 4);
	a->created_at = db_column_int64(st, 5);
	return WB_OK;
}

int
db_artifact_list(struct db *db, int64_t run_id, struct artifact **out,
    size_t *nout, struct wb_err *err)
{
	static const char	 sql[] = "SELECT " ART_COLS " FROM"
	    " run_artifacts WHERE run_id = ?1 ORDER BY name";
	struct db_stmt		*st;
	struct artifact		*v = NULL, *nv;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*nout = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((nv = wb_reallocarray(v, n + 1, sizeof *v)) == NULL ||
		    read_row(st, &nv[n], err) != WB_OK) {
			if (nv != NULL)
				v = nv;
			db_reset(st);
			artifacts_free(v, n);
			return oom(err);
		}
		v = nv;
		n++;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		artifacts_free(v, n);
		return db_sqlerr(db, err);
	}
	*out = v;
	*nout = n;
	return WB_OK;
}

int
db_artifact_get(struct db *db, int64_t run_id, const char *name,
    struct artifact *a, struct wb_err *err)
{
	static const char	 sql[] = "SELECT " ART_COLS " FROM"
	    " run_artifacts WHERE run_id = ?1 AND name = ?2";
	struct db_stmt		*st;
	int			 rc;

	memset(a, 0, sizeof *a);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_text(st, 2, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		rc = read_row(st, a, err);
	else if (rc == DB_DONE)
		rc = wb_err_set(err, WB_ENOTFOUND, "no artifact named '%s' in"
		    " this run (mlwb artifacts ls RUN lists them)", name);
	else
		rc = db_sqlerr(db, err);
	db_reset(st);
	return rc;
}

int
db_artifact_kind(struct db *db, const char *sha256, char kind[5],
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT kind FROM run_artifacts WHERE"
	    " sha256 = ?1 LIMIT 1";
	struct db_stmt		*st;
	const char		*k;
	int			 rc;

	kind[0] = '\0';
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, sha256);
	rc = db_step(st);
	if (rc == DB_ROW) {
		k = db_column_text(st, 0);
		snprintf(kind, 5, "%s", k ? k : "file");
		rc = WB_OK;
	} else if (rc == DB_DONE)
		rc = WB_ENOTFOUND;	/* no message: callers fall back */
	else
		rc = db_sqlerr(db, err);
	db_reset(st);
	return rc;
}
