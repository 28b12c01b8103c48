/*
 * db_lineage: the SQL of data lineage (see db_lineage.h), the same
 * statements on both stores.
 */
#include "config.h"

#include "db_lineage.h"

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

void
lin_ds_clear(struct lin_ds *d)
{
	if (d == NULL)
		return;
	wb_free(d->name);
	wb_free(d->path);
	wb_free(d->digest);
	wb_free(d->source_type);
	wb_free(d->schema);
	wb_free(d->role);
	memset(d, 0, sizeof *d);
}

void
lin_ds_free(struct lin_ds *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		lin_ds_clear(&v[i]);
	wb_free(v);
}

void
lin_reports_free(struct lin_report *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		wb_free(v[i].name);
	wb_free(v);
}

int
db_lineage_add(struct db *db, int64_t run_id, struct lin_ds *d,
    struct wb_err *err)
{
	static const char	 q_find[] = "SELECT id, uuid FROM datasets"
	    " WHERE path = ?1 AND digest = ?2 ORDER BY id LIMIT 1";
	static const char	 q_ins[] = "INSERT INTO datasets (uuid, name,"
	    " path, digest, n_rows, n_cols, source_type, schema, created_at,"
	    " size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'local', ?7, ?8, ?9)"
	    " RETURNING id";
	static const char	 q_in[] = "INSERT INTO run_inputs (run_id,"
	    " dataset_id, role) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
	static const char	 q_out[] = "INSERT INTO run_outputs (run_id,"
	    " dataset_id, role) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
	struct db_stmt		*st;
	const char		*u;
	int			 rc;

	if ((st = db_prepare(db, q_find, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, d->path);
	db_bind_text(st, 2, d->digest);
	if ((rc = db_step(st)) == DB_ROW) {
		d->id = db_column_int64(st, 0);
		u = db_column_text(st, 1);
		snprintf(d->uuid, sizeof d->uuid, "%s", u ? u : "");
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	if (rc == DB_DONE) {
		if ((st = db_prepare(db, q_ins, err)) == NULL)
			return WB_EDB;
		db_new_uuid(d->uuid);
		db_bind_text(st, 1, d->uuid);
		db_bind_text(st, 2, d->name);
		db_bind_text(st, 3, d->path);
		db_bind_text(st, 4, d->digest);
		db_bind_int64_or_null(st, 5, d->n_rows, d->n_rows < 0);
		db_bind_int64_or_null(st, 6, d->n_cols, d->n_cols < 0);
		db_bind_text(st, 7, d->schema);
		db_bind_int64(st, 8, db_now_ms());
		db_bind_int64_or_null(st, 9, d->size, d->size < 0);
		if ((rc = db_step_id(db, st, &d->id, err)) != WB_OK)
			return rc;
	}
	if ((st = db_prepare(db, d->output ? q_out : q_in, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_int64(st, 2, d->id);
	db_bind_text(st, 3, d->role ? d->role : "");
	return db_step_done(db, st, err);
}

static int64_t
int_or(struct db_stmt *st, int i)
{
	return db_column_type(st, i) == DB_NULL ? -1 : db_column_int64(st, i);
}

int
db_lineage_datasets(struct db *db, int64_t run_id, struct lin_ds **out,
    size_t *nout, struct wb_err *err)
{
	static const char	 sql[] = "SELECT d.id, d.uuid, d.name, d.path,"
	    " d.digest, d.source_type, d.schema, x.role, d.size, d.n_rows,"
	    " d.n_cols, x.o FROM (SELECT dataset_id, role, 0 AS o FROM"
	    " run_inputs WHERE run_id = ?1 UNION ALL SELECT dataset_id, role,"
	    " 1 FROM run_outputs WHERE run_id = ?1) x JOIN datasets d ON d.id"
	    " = x.dataset_id ORDER BY x.o, x.role, d.name, d.id";
	struct db_stmt		*st;
	struct lin_ds		*v = NULL, *nv, *d;
	const char		*u;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*nout = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((nv = wb_reallocarray(v, n + 1, sizeof *v)) == NULL)
			goto nomem;
		v = nv;
		d = &v[n++];
		memset(d, 0, sizeof *d);
		d->id = db_column_int64(st, 0);
		u = db_column_text(st, 1);
		snprintf(d->uuid, sizeof d->uuid, "%s", u ? u : "");
		d->name = db_column_strdup(st, 2);
		d->path = db_column_strdup(st, 3);
		d->digest = db_column_strdup(st, 4);
		d->source_type = db_column_strdup(st, 5);
		d->schema = db_column_strdup(st, 6);
		d->role = db_column_strdup(st, 7);
		d->size = int_or(st, 8);
		d->n_rows = int_or(st, 9);
		d->n_cols = int_or(st, 10);
		d->output = db_column_int(st, 11);
		if (d->name == NULL || d->role == NULL)
			goto nomem;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		lin_ds_free(v, n);
		return db_sqlerr(db, err);
	}
	*out = v;
	*nout = n;
	return WB_OK;
nomem:
	db_reset(st);
	lin_ds_free(v, n);
	return oom(err);
}

int
db_lineage_reports(struct db *db, const char *digest, struct lin_report **out,
    size_t *nout, struct wb_err *err)
{
	static const char	 sql[] = "SELECT uuid, name, created_at,"
	    " dataset_drift, drift_share, CASE WHEN ref_sha256 = ?1 THEN 1 ELSE 0"
	    " END FROM drift_reports"
	    " WHERE ref_sha256 = ?1 OR cur_sha256 = ?1 ORDER BY created_at,"
	    " id";
	struct db_stmt		*st;
	struct lin_report	*v = NULL, *nv, *r;
	const char		*u;
	size_t			 n = 0;
	int			 rc;

	*out = NULL;
	*nout = 0;
	if (digest == NULL)
		return WB_OK;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, digest);
	while ((rc = db_step(st)) == DB_ROW) {
		if ((nv = wb_reallocarray(v, n + 1, sizeof *v)) == NULL) {
			db_reset(st);
			lin_reports_free(v, n);
			return oom(err);
		}
		v = nv;
		r = &v[n++];
		memset(r, 0, sizeof *r);
		u = db_column_text(st, 0);
		snprintf(r->uuid, sizeof r->uuid, "%s", u ? u : "");
		r->name = db_column_strdup(st, 1);
		r->created_at = db_column_int64(st, 2);
		r->dataset_drift = db_column_int(st, 3);
		r->drift_share = db_column_double(st, 4);
		r->as_reference = db_column_int(st, 5);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		lin_reports_free(v, n);
		return db_sqlerr(db, err);
	}
	*out = v;
	*nout = n;
	return WB_OK;
}
