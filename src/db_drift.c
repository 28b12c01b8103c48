/*
 * db_drift: saving, listing and loading drift reports (see db_drift.h).
 */
#include "config.h"

#include "db_drift.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "drift_report.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"

/* model "NAME[:VERSION]" -> ids and the label "NAME:VERSION". */
static int
find_model(struct db *db, const char *spec, int64_t *mid, int64_t *vid,
    char **label, struct wb_err *err)
{
	static const char sql_m[] = "SELECT id FROM models WHERE name = ?";
	static const char sql_v[] = "SELECT id, version FROM model_versions"
	    " WHERE model_id = ? AND (version = ?2 OR ?2 IS NULL)"
	    " ORDER BY version DESC LIMIT 1";
	struct db_stmt *st;
	const char	*colon = strrchr(spec, ':');
	char		*name, *end;
	long long	 ver = 0;
	int		 has_ver = 0, rc;
	struct strbuf	 sb = STRBUF_INIT;

	if (colon != NULL && colon[1] != '\0') {
		ver = strtoll(colon + 1, &end, 10);
		if (*end == '\0' && ver > 0)
			has_ver = 1;
	}
	name = has_ver ? wb_strndup(spec, (size_t)(colon - spec)) :
	    wb_strdup(spec);
	if (name == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if ((st = db_prepare(db, sql_m, err)) == NULL) {
		wb_free(name);
		return WB_EDB;
	}
	db_bind_text(st, 1, name);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_reset(st);
		rc = rc == DB_DONE ? wb_err_set(err, WB_ENOTFOUND,
		    "--model: no model '%s'", name) : db_sqlerr(db, err);
		wb_free(name);
		return rc;
	}
	*mid = db_column_int64(st, 0);
	db_reset(st);
	if ((st = db_prepare(db, sql_v, err)) == NULL) {
		wb_free(name);
		return WB_EDB;
	}
	db_bind_int64(st, 1, *mid);
	if (has_ver)
		db_bind_int64(st, 2, ver);
	rc = db_step(st);
	*vid = 0;
	if (rc == DB_ROW) {
		*vid = db_column_int64(st, 0);
		strbuf_addf(&sb, "%s:%lld", name,
		    (long long)db_column_int64(st, 1));
	} else if (rc == DB_DONE && has_ver) {
		db_reset(st);
		rc = wb_err_set(err, WB_ENOTFOUND, "--model: %s has no "
		    "version %lld", name, ver);
		wb_free(name);
		return rc;
	} else if (rc == DB_DONE)
		strbuf_adds(&sb, name);
	else {
		db_reset(st);
		wb_free(name);
		return db_sqlerr(db, err);
	}
	db_reset(st);
	wb_free(name);
	if ((*label = strbuf_detach(&sb)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	return WB_OK;
}

static void
bind_num(struct db_stmt *st, int i, double v)
{
	if (isnan(v))
		db_bind_null(st, i);
	else
		db_bind_double(st, i, v);
}

int
db_drift_save(struct db *db, struct drift_report *r, const char *name,
    const char *model, struct wb_err *err)
{
	static const char sql_r[] = "INSERT INTO drift_reports (uuid, name,"
	    " model_id, model_version_id, ref_path, ref_sha256, ref_rows,"
	    " cur_path, cur_sha256, cur_rows, tested, drifted, drift_share,"
	    " share_threshold, dataset_drift, schema_issues, created_at)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id";
	static const char sql_c[] = "INSERT INTO drift_columns (report_id,"
	    " ord, name, type, method, statistic, p_value, threshold, drifted,"
	    " n_ref, n_cur, missing_ref, missing_cur, hist, stats)"
	    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	struct db_stmt *st;
	struct strbuf	 sb = STRBUF_INIT, sb2 = STRBUF_INIT;
	int64_t		 mid = 0, vid = 0;
	char		*label = NULL, *nm = NULL;
	size_t		 i;
	int		 rc;

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if (model != NULL &&
	    (rc = find_model(db, model, &mid, &vid, &label, err)) != WB_OK)
		goto fail;
	if (name != NULL && (nm = wb_strdup(name)) == NULL)
		goto oom;
	db_new_uuid(r->uuid);
	if (r->created_at == 0)
		r->created_at = db_now_ms();
	if (drift_issues_json(r, &sb) != 0)
		goto oom;
	if ((st = db_prepare(db, sql_r, err)) == NULL) {
		rc = WB_EDB;
		goto fail;
	}
	db_bind_text(st, 1, r->uuid);
	db_bind_text(st, 2, name);
	db_bind_int64_or_null(st, 3, mid, mid == 0);
	db_bind_int64_or_null(st, 4, vid, vid == 0);
	db_bind_text(st, 5, r->ref_path);
	db_bind_text(st, 6, r->ref_sha256);
	db_bind_int64(st, 7, (int64_t)r->ref_rows);
	db_bind_text(st, 8, r->cur_path);
	db_bind_text(st, 9, r->cur_sha256);
	db_bind_int64(st, 10, (int64_t)r->cur_rows);
	db_bind_int64(st, 11, (int64_t)r->tested);
	db_bind_int64(st, 12, (int64_t)r->drifted);
	db_bind_double(st, 13, r->drift_share);
	db_bind_double(st, 14, r->share_threshold);
	db_bind_int(st, 15, r->dataset_drift);
	db_bind_text(st, 16, strbuf_str(&sb));
	db_bind_int64(st, 17, r->created_at);
	if ((rc = db_step_id(db, st, &r->id, err)) != WB_OK)
		goto fail;
	for (i = 0; i < r->ncols; i++) {
		const struct drift_rcol *c = &r->cols[i];

		strbuf_reset(&sb);
		strbuf_reset(&sb2);
		if (drift_rcol_hist_json(c, &sb) != 0 ||
		    drift_rcol_stats_json(c, &sb2) != 0)
			goto oom;
		if ((st = db_prepare(db, sql_c, err)) == NULL) {
			rc = WB_EDB;
			goto fail;
		}
		db_bind_int64(st, 1, r->id);
		db_bind_int64(st, 2, (int64_t)i);
		db_bind_text(st, 3, c->name);
		db_bind_text(st, 4, c->numeric ? "num" : "cat");
		db_bind_text(st, 5, drift_method_name(c->method));
		bind_num(st, 6, c->statistic);
		bind_num(st, 7, c->p_value);
		db_bind_double(st, 8, c->threshold);
		db_bind_int(st, 9, c->drifted);
		db_bind_int64(st, 10, (int64_t)c->n_ref);
		db_bind_int64(st, 11, (int64_t)c->n_cur);
		db_bind_double(st, 12, c->missing_ref);
		db_bind_double(st, 13, c->missing_cur);
		db_bind_text(st, 14, strbuf_str(&sb));
		db_bind_text(st, 15, strbuf_str(&sb2));
		if ((rc = db_step_done(db, st, err)) != WB_OK)
			goto fail;
	}
	if ((rc = db_commit(db, err)) != WB_OK)
		goto fail;
	strbuf_free(&sb);
	strbuf_free(&sb2);
	wb_free(r->name);
	r->name = nm;
	wb_free(r->model);
	r->model = label;
	return WB_OK;
oom:
	rc = wb_err_set(err, WB_ENOMEM, "out of memory");
fail:
	db_rollback(db);
	r->id = 0;
	strbuf_free(&sb);
	strbuf_free(&sb2);
	wb_free(label);
	wb_free(nm);
	return rc;
}

#define ROW_COLS "r.id, r.uuid, r.name, CASE WHEN m.name IS NULL THEN NULL" \
	" WHEN v.version IS NULL THEN m.name ELSE m.name || ':' || v.version" \
	" END, r.created_at, r.tested, r.drifted, r.drift_share," \
	" r.dataset_drift, json_array_length(coalesce(r.schema_issues, '[]'))," \
	" r.ref_path, r.cur_path"
#define ROW_FROM " FROM drift_reports r" \
	" LEFT JOIN models m ON m.id = r.model_id" \
	" LEFT JOIN model_versions v ON v.id = r.model_version_id"

static void
db_drift_rows_free_one(struct drift_row *r)
{
	wb_free(r->name);
	wb_free(r->model);
	wb_free(r->ref_path);
	wb_free(r->cur_path);
}

/* One row of ROW_COLS into w (zeroed first); -1 when out of memory. */
static int
row_from(struct db_stmt *st, struct drift_row *w)
{
	const char	*u;

	memset(w, 0, sizeof *w);
	w->id = db_column_int64(st, 0);
	u = db_column_text(st, 1);
	snprintf(w->uuid, sizeof w->uuid, "%s", u ? u : "");
	w->created_at = db_column_int64(st, 4);
	w->tested = db_column_int64(st, 5);
	w->drifted = db_column_int64(st, 6);
	w->drift_share = db_column_double(st, 7);
	w->dataset_drift = db_column_int(st, 8);
	w->nissues = db_column_int64(st, 9);
	if ((db_column_type(st, 2) != DB_NULL &&
	    (w->name = db_column_strdup(st, 2)) == NULL) ||
	    (db_column_type(st, 3) != DB_NULL &&
	    (w->model = db_column_strdup(st, 3)) == NULL) ||
	    (w->ref_path = db_column_strdup(st, 10)) == NULL ||
	    (w->cur_path = db_column_strdup(st, 11)) == NULL)
		return -1;
	return 0;
}

static int
read_rows(struct db *db, struct db_stmt *st, struct drift_row **rows,
    size_t *n, struct wb_err *err)
{
	struct drift_row	*v = NULL, *p;
	size_t			 cap = 0;
	int			 rc;

	*rows = NULL;
	*n = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if ((p = wb_reallocarray(v, cap, sizeof *p)) == NULL)
				goto oom;
			v = p;
		}
		if (row_from(st, &v[(*n)++]) != 0)
			goto oom;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		db_drift_rows_free(v, *n);
		*n = 0;
		return db_sqlerr(db, err);
	}
	*rows = v;
	return WB_OK;
oom:
	db_reset(st);
	db_drift_rows_free(v, *n);
	*n = 0;
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

int
db_drift_list(struct db *db, const char *name, struct drift_row **rows,
    size_t *n, struct wb_err *err)
{
	static const char sql[] = "SELECT " ROW_COLS ROW_FROM
	    " WHERE r.name = ?1 OR ?1 IS NULL"
	    " ORDER BY r.created_at DESC, r.id DESC";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, name);
	return read_rows(db, st, rows, n, err);
}

int
db_drift_each(struct db *db, const char *name,
    int (*fn)(void *, const struct drift_row *), void *arg,
    struct wb_err *err)
{
	static const char sql[] = "SELECT " ROW_COLS ROW_FROM
	    " WHERE r.name = ?1 OR ?1 IS NULL"
	    " ORDER BY r.created_at DESC, r.id DESC";
	struct db_stmt	*st;
	struct drift_row r;
	int		 rc, stop = 0;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, name);
	while (!stop && (rc = db_step(st)) == DB_ROW) {
		if (row_from(st, &r) != 0) {
			db_drift_rows_free_one(&r);
			db_reset(st);
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
		stop = fn(arg, &r);
		db_drift_rows_free_one(&r);
	}
	if (!stop && rc != DB_DONE) {
		rc = db_sqlerr(db, err);
		db_reset(st);
		return rc;
	}
	db_reset(st);
	return WB_OK;
}

int
db_drift_history(struct db *db, const char *name, struct drift_row **rows,
    size_t *n, struct wb_err *err)
{
	static const char sql[] = "SELECT " ROW_COLS ROW_FROM
	    " WHERE r.name = ?1 ORDER BY r.created_at, r.id";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, name);
	return read_rows(db, st, rows, n, err);
}

void
db_drift_rows_free(struct drift_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		db_drift_rows_free_one(&rows[i]);
	wb_free(rows);
}

static int
load_columns(struct db *db, struct drift_report *r, struct wb_err *err)
{
	static const char sql[] = "SELECT name, type, method, statistic,"
	    " p_value, threshold, drifted, n_ref, n_cur, missing_ref,"
	    " missing_cur, hist, stats FROM drift_columns WHERE report_id = ?"
	    " ORDER BY ord";
	struct db_stmt *st;
	int		 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, r->id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct drift_rcol	*p, *c;
		const char		*t = db_column_text(st, 1);
		const char		*m = db_column_text(st, 2);
		enum drift_method	 dm = DRIFT_AUTO;
		char			*h, *s;

		p = wb_reallocarray(r->cols, r->ncols + 1, sizeof *p);
		if (p == NULL) {
			db_reset(st);
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
		r->cols = p;
		c = &p[r->ncols++];
		memset(c, 0, sizeof *c);
		c->numeric = t != NULL && strcmp(t, "num") == 0;
		if (m != NULL)
			drift_method_parse(m, &dm);
		c->method = dm;
		c->statistic = db_column_type(st, 3) == DB_NULL ? NAN :
		    db_column_double(st, 3);
		c->p_value = db_column_type(st, 4) == DB_NULL ? NAN :
		    db_column_double(st, 4);
		c->threshold = db_column_double(st, 5);
		c->drifted = db_column_int(st, 6);
		c->n_ref = (size_t)db_column_int64(st, 7);
		c->n_cur = (size_t)db_column_int64(st, 8);
		c->missing_ref = db_column_double(st, 9);
		c->missing_cur = db_column_double(st, 10);
		c->severity = drift_method_has_p(dm) ?
		    c->threshold / fmax(c->p_value, 1e-300) :
		    (c->threshold > 0 ? c->statistic / c->threshold :
		    c->statistic);
		c->name = db_column_strdup(st, 0);
		h = db_column_strdup(st, 11);
		s = db_column_strdup(st, 12);
		if (c->name == NULL) {
			wb_free(h);
			wb_free(s);
			db_reset(st);
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
		rc = drift_rcol_parse(c, h, s, err);
		wb_free(h);
		wb_free(s);
		if (rc != WB_OK) {
			db_reset(st);
			return rc;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

int
db_drift_load_id(struct db *db, int64_t id, struct drift_report **out,
    struct wb_err *err)
{
	static const char sql[] = "SELECT " ROW_COLS ", r.ref_sha256,"
	    " r.cur_sha256, r.ref_rows, r.cur_rows, r.share_threshold,"
	    " r.schema_issues" ROW_FROM " WHERE r.id = ?";
	struct drift_report	*r;
	struct db_stmt *st;
	const char		*s;
	char			*issues = NULL;
	int			 rc;

	*out = NULL;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	if ((rc = db_step(st)) != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? wb_err_set(err, WB_ENOTFOUND,
		    "no drift report %lld", (long long)id) :
		    db_sqlerr(db, err);
	}
	if ((r = wb_calloc(1, sizeof *r)) == NULL) {
		db_reset(st);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	r->id = id;
	s = db_column_text(st, 1);
	snprintf(r->uuid, sizeof r->uuid, "%s", s ? s : "");
	r->created_at = db_column_int64(st, 4);
	r->tested = (size_t)db_column_int64(st, 5);
	r->drifted = (size_t)db_column_int64(st, 6);
	r->drift_share = db_column_double(st, 7);
	r->dataset_drift = db_column_int(st, 8);
	s = db_column_text(st, 12);
	snprintf(r->ref_sha256, sizeof r->ref_sha256, "%s", s ? s : "");
	s = db_column_text(st, 13);
	snprintf(r->cur_sha256, sizeof r->cur_sha256, "%s", s ? s : "");
	r->ref_rows = (size_t)db_column_int64(st, 14);
	r->cur_rows = (size_t)db_column_int64(st, 15);
	r->share_threshold = db_column_double(st, 16);
	if ((db_column_type(st, 2) != DB_NULL &&
	    (r->name = db_column_strdup(st, 2)) == NULL) ||
	    (db_column_type(st, 3) != DB_NULL &&
	    (r->model = db_column_strdup(st, 3)) == NULL) ||
	    (r->ref_path = db_column_strdup(st, 10)) == NULL ||
	    (r->cur_path = db_column_strdup(st, 11)) == NULL ||
	    (db_column_type(st, 17) != DB_NULL &&
	    (issues = db_column_strdup(st, 17)) == NULL)) {
		db_reset(st);
		drift_report_free(r);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	db_reset(st);
	rc = drift_issues_parse(r, issues, err);
	wb_free(issues);
	if (rc == WB_OK)
		rc = load_columns(db, r, err);
	if (rc != WB_OK) {
		drift_report_free(r);
		return rc;
	}
	*out = r;
	return WB_OK;
}

int
db_drift_load(struct db *db, const char *ref, struct drift_report **out,
    struct wb_err *err)
{
	static const char sql_name[] = "SELECT id FROM drift_reports"
	    " WHERE name = ? ORDER BY created_at DESC, id DESC LIMIT 1";
	static const char sql_id[] = "SELECT id FROM drift_reports WHERE id = ?";
	static const char sql_uuid[] = "SELECT id FROM drift_reports"
	    " WHERE uuid >= ?1 AND uuid < ?1 || 'g' LIMIT 2";
	struct db_stmt *st;
	const char	*p;
	int64_t		 id = 0;
	int		 rc, digits = 1, hex = 1;

	for (p = ref; *p; p++) {
		digits &= isdigit((unsigned char)*p) != 0;
		hex &= isxdigit((unsigned char)*p) != 0 &&
		    !isupper((unsigned char)*p);
	}
	if (*ref == '\0')
		return wb_err_set(err, WB_EINVAL, "empty report reference");
	/* A name wins over an id or uuid prefix that looks the same. */
	if ((st = db_prepare(db, sql_name, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, ref);
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	if (id == 0 && digits && strlen(ref) < 12) {
		if ((st = db_prepare(db, sql_id, err)) == NULL)
			return WB_EDB;
		db_bind_int64(st, 1, strtoll(ref, NULL, 10));
		if (db_step(st) == DB_ROW)
			id = db_column_int64(st, 0);
		db_reset(st);
	}
	/* Digits that are no id may still begin a uuid. */
	if (id == 0 && hex && strlen(ref) >= 4) {
		if ((st = db_prepare(db, sql_uuid, err)) == NULL)
			return WB_EDB;
		db_bind_text(st, 1, ref);
		if ((rc = db_step(st)) == DB_ROW) {
			id = db_column_int64(st, 0);
			if (db_step(st) == DB_ROW) {
				db_reset(st);
				return wb_err_set(err, WB_EAMBIG, "drift report "
				    "'%s': several uuids start so", ref);
			}
		}
		db_reset(st);
	}
	if (id == 0)
		return wb_err_set(err, WB_ENOTFOUND, "no drift report '%s' (an "
		    "id, a uuid prefix or a saved name)", ref);
	rc = db_drift_load_id(db, id, out, err);
	if (rc == WB_ENOTFOUND)
		return wb_err_set(err, WB_ENOTFOUND, "no drift report '%s'", ref);
	return rc;
}
