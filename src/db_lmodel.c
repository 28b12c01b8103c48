/*
 * db_lmodel: MLflow 3 logged models out of the workspace (db_lmodel.h).
 * One query for the model and one each for its params, tags and metric
 * values: a model has tens of them, and a screen asks for one model.
 */
#include "config.h"

#include "db_lmodel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"
#include "text.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

void
lmodel_free(struct lmodel *m)
{
	size_t	i;

	if (m == NULL)
		return;
	wb_free(m->uuid);
	wb_free(m->name);
	wb_free(m->artifact_path);
	wb_free(m->status);
	wb_free(m->model_type);
	wb_free(m->run_uuid);
	wb_free(m->run_name);
	kv_free(m->params, m->nparams);
	kv_free(m->tags, m->ntags);
	for (i = 0; i < m->nmetrics; i++) {
		wb_free(m->metrics[i].key);
		wb_free(m->metrics[i].dataset);
	}
	wb_free(m->metrics);
	wb_free(m);
}

/* Copy column i of st into *dst; -1 when out of memory. */
static int
col(struct db_stmt *st, int i, char **dst)
{
	*dst = db_column_strdup(st, i);
	return *dst == NULL && db_column_type(st, i) != DB_NULL ? -1 : 0;
}

/* The last value of each key: rows come by key, newest first. */
static int
load_metrics(struct db *db, struct lmodel *m, struct wb_err *err)
{
	static const char	 sql[] = "SELECT key, value, step, ts,"
	    " dataset_name, dataset_digest FROM logged_model_metrics"
	    " WHERE logged_model_id = ?1 ORDER BY key, step DESC, ts DESC";
	struct lmodel_metric	*nm, *x;
	struct db_stmt		*st;
	const char		*k, *dn, *dd;
	size_t			 cap = 0, len;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, m->id);
	while ((rc = db_step(st)) == DB_ROW) {
		k = db_column_text(st, 0);
		if (m->nmetrics > 0 &&
		    strcmp(m->metrics[m->nmetrics - 1].key, k) == 0)
			continue;
		if (m->nmetrics == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nm = wb_reallocarray(m->metrics, cap,
			    sizeof *nm)) == NULL)
				goto nomem;
			m->metrics = nm;
		}
		x = &m->metrics[m->nmetrics++];
		memset(x, 0, sizeof *x);
		x->value = db_column_type(st, 1) == DB_NULL ? NAN :
		    db_column_double(st, 1);
		x->step = db_column_int64(st, 2);
		x->ts = db_column_int64(st, 3);
		if ((x->key = wb_strdup(k)) == NULL)
			goto nomem;
		dn = db_column_text(st, 4);
		dd = db_column_text(st, 5);
		if (dn != NULL) {
			len = strlen(dn) + (dd ? strlen(dd) + 1 : 0) + 1;
			if ((x->dataset = wb_malloc(len)) == NULL)
				goto nomem;
			snprintf(x->dataset, len, "%s%s%s", dn, dd ? "@" : "",
			    dd ? dd : "");
		}
	}
	db_reset(st);
	return rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
nomem:
	db_reset(st);
	return oom(err);
}

int
db_lmodel_of_version(struct db *db, int64_t version_id, struct lmodel **out,
    struct wb_err *err)
{
	static const char	 q_model[] = "SELECT m.id, m.uuid, m.name,"
	    " m.artifact_path, m.status, m.model_type, r.uuid,"
	    " e.name || '/' || r.name, m.created_at, m.updated_at"
	    " FROM model_versions v JOIN logged_models m"
	    " ON m.id = v.logged_model_id"
	    " LEFT JOIN runs r ON r.id = m.run_id"
	    " LEFT JOIN experiments e ON e.id = r.experiment_id"
	    " WHERE v.id = ?1";
	static const char	 q_params[] = "SELECT key, value FROM"
	    " logged_model_params WHERE logged_model_id = ?1 ORDER BY key";
	static const char	 q_tags[] = "SELECT key, value FROM"
	    " logged_model_tags WHERE logged_model_id = ?1 ORDER BY key";
	struct db_stmt	*st;
	struct lmodel	*m;
	int		 rc;

	*out = NULL;
	if (db->schema > 0 && db->schema < 4)
		return WB_OK;	/* an older file, read as it is */
	if ((st = db_prepare(db, q_model, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, version_id);
	if ((rc = db_step(st)) != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
	}
	if ((m = wb_calloc(1, sizeof *m)) == NULL) {
		db_reset(st);
		return oom(err);
	}
	m->id = db_column_int64(st, 0);
	m->created_at = db_column_int64(st, 8);
	m->updated_at = db_column_int64(st, 9);
	rc = col(st, 1, &m->uuid) | col(st, 2, &m->name) |
	    col(st, 3, &m->artifact_path) | col(st, 4, &m->status) |
	    col(st, 5, &m->model_type) | col(st, 6, &m->run_uuid) |
	    col(st, 7, &m->run_name);
	db_reset(st);
	if (rc != 0) {
		lmodel_free(m);
		return oom(err);
	}
	if ((rc = db_kv_get(db, q_params, m->id, &m->params, &m->nparams,
	    err)) != WB_OK ||
	    (rc = db_kv_get(db, q_tags, m->id, &m->tags, &m->ntags,
	    err)) != WB_OK ||
	    (rc = load_metrics(db, m, err)) != WB_OK) {
		lmodel_free(m);
		return rc;
	}
	*out = m;
	return WB_OK;
}

static void
json_kvs(struct strbuf *sb, const char *name, const struct kv *kv, size_t n)
{
	size_t	i;

	strbuf_addf(sb, ",\"%s\":{", name);
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addc(sb, ',');
		text_json_str(sb, kv[i].key);
		strbuf_addc(sb, ':');
		text_json_str(sb, kv[i].value ? kv[i].value : "");
	}
	strbuf_addc(sb, '}');
}

static void
json_field(struct strbuf *sb, const char *name, const char *v)
{
	strbuf_addf(sb, ",\"%s\":", name);
	if (v == NULL)
		strbuf_adds(sb, "null");
	else
		text_json_str(sb, v);
}

void
lmodel_json(struct strbuf *sb, const struct lmodel *m)
{
	size_t	i, k;

	if (m == NULL) {
		strbuf_adds(sb, "null");
		return;
	}
	strbuf_adds(sb, "{\"id\":");
	text_json_str(sb, m->uuid);
	json_field(sb, "name", m->name);
	json_field(sb, "status", m->status);
	json_field(sb, "type", m->model_type);
	json_field(sb, "run_uuid", m->run_uuid);
	json_field(sb, "run", m->run_name);
	json_field(sb, "artifact", m->artifact_path);
	strbuf_addf(sb, ",\"created\":%lld", (long long)m->created_at);
	json_kvs(sb, "params", m->params, m->nparams);
	json_kvs(sb, "tags", m->tags, m->ntags);
	strbuf_adds(sb, ",\"metrics\":{");
	for (i = 0; i < m->nmetrics; i++) {
		if (i)
			strbuf_addc(sb, ',');
		text_json_str(sb, m->metrics[i].key);
		strbuf_addc(sb, ':');
		text_json_num(sb, m->metrics[i].value);
	}
	strbuf_adds(sb, "},\"metric_datasets\":{");
	for (i = k = 0; i < m->nmetrics; i++) {
		if (m->metrics[i].dataset == NULL)
			continue;
		if (k++)
			strbuf_addc(sb, ',');
		text_json_str(sb, m->metrics[i].key);
		strbuf_addc(sb, ':');
		text_json_str(sb, m->metrics[i].dataset);
	}
	strbuf_adds(sb, "}}");
}
