/*
 * db_mlflow: writes what the MLflow readers find into the workspace, in
 * one transaction (see db_mlflow.h).
 *
 * New runs stream their points straight into the metric writer.  Points
 * of a run already in the workspace are buffered for that run only, then
 * compared per metric with the stored summary's count: MLflow never
 * edits or removes a point, so an equal count means nothing new, and a
 * different one means the series is rewritten whole (no duplicates, and
 * the summary stays exact).  Memory is bounded by the largest run.
 */
#include "config.h"

#include "db_mlflow.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_internal.h"
#include "db_metric.h"
#include "db_run.h"
#include "db_textidx.h"
#include "err.h"
#include "mem.h"
#include "mlflow.h"
#include "progress.h"
#include "registry.h"
#include "strbuf.h"

struct bpoint {
	int64_t	key_id;
	int64_t	step;
	int64_t	ts;
	double	value;
	size_t	ord;		/* arrival, so that sorting by key is stable */
};

struct mlfw {
	struct db			*db;
	const struct mlflow_opts	*opts;
	struct mlflow_result		*res;
	struct mwriter			*mw;
	int64_t				 run_id;	/* current run; 0 none */
	int64_t				 lmodel_id;	/* current logged model */
	int				 run_new;
	int				 run_changed;
	struct bpoint			*buf;		/* existing run's points */
	size_t				 n, cap;
	int64_t				*datasets;	/* ids seen, to count */
	size_t				 nds, capds;
	int64_t				 ahead, passed;	/* progress in runs */
	struct db_copy			*kv;		/* new runs' params, tags */
	int64_t				 nkv;		/* rows in it */
	char				 host[256];
};

/*
 * The params and tags of new runs are gathered in a temporary table
 * (db_copy: binary COPY on PostgreSQL) and written set-based, one INSERT
 * ... SELECT per table for KV_BATCH rows: a row at a time, each insert
 * paid a statement journal and its triggers' statements (the text index's
 * mirror), 28% of an import.  Rows of a run that is not new, and every
 * read of params or tags (link_parents), wait for the gathered rows to be
 * written first (kv_flush), so the order of writes is the order of the
 * source.  seq keeps that order: of two rows for one key, the later is
 * inserted first and the earlier does nothing.
 */
#define KV_BATCH	16384

static const char kv_create[] = "CREATE TEMP TABLE IF NOT EXISTS mlfw_kv"
    " (seq BIGINT NOT NULL, tags BIGINT NOT NULL, run_id BIGINT NOT NULL,"
    " key TEXT NOT NULL, value TEXT)";
static const char kv_clear[] = "DELETE FROM mlfw_kv";
static const char kv_params[] = "INSERT INTO params (run_id, key, value)"
    " SELECT run_id, key, value FROM mlfw_kv WHERE tags = 0"
    " ORDER BY run_id, key, seq DESC ON CONFLICT (run_id, key) DO NOTHING";
static const char kv_tags[] = "INSERT INTO tags (run_id, key, value)"
    " SELECT run_id, key, value FROM mlfw_kv WHERE tags = 1"
    " ORDER BY run_id, key, seq DESC ON CONFLICT (run_id, key) DO NOTHING";

static int
kv_flush(struct mlfw *w, struct wb_err *err)
{
	int	rc;

	if (w->nkv == 0)
		return WB_OK;
	if ((rc = db_copy_flush(w->kv, err)) != WB_OK ||
	    (rc = db_exec(w->db, kv_params, err)) != WB_OK ||
	    (rc = db_exec(w->db, kv_tags, err)) != WB_OK ||
	    (rc = db_exec(w->db, kv_clear, err)) != WB_OK)
		return rc;
	w->nkv = 0;
	return WB_OK;
}

static int
kv_add(struct mlfw *w, int tags, const char *key, const char *value,
    struct wb_err *err)
{
	int	rc;

	db_copy_int64(w->kv, w->nkv);
	db_copy_int64(w->kv, tags);
	db_copy_int64(w->kv, w->run_id);
	db_copy_text(w->kv, key);
	db_copy_text(w->kv, value);
	if ((rc = db_copy_row(w->kv, err)) != WB_OK)
		return rc;
	if (++w->nkv >= KV_BATCH)
		return kv_flush(w, err);
	return WB_OK;
}

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* MLflow writes '' for "no description"; keep NULL for that. */
static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

int
mlfw_open(struct db *db, const struct mlflow_opts *opts,
    struct mlflow_result *res, struct mlfw **out, struct wb_err *err)
{
	struct mlfw	*w;
	int		 rc;

	*out = NULL;
	if ((w = wb_calloc(1, sizeof *w)) == NULL)
		return oom(err);
	w->db = db;
	w->opts = opts;
	w->res = res;
	if (gethostname(w->host, sizeof w->host - 1) != 0)
		w->host[0] = '\0';
	/*
	 * A large write: SQLite takes a bigger page cache, and keeps its
	 * statement journals in memory, while it lasts (before BEGIN: the
	 * transaction decides where they go).
	 */
	db_hint(db, DB_HINT_BULK_BEGIN);
	if ((rc = db_begin(db, err)) != WB_OK) {
		db_hint(db, DB_HINT_BULK_END);
		wb_free(w);
		return rc;
	}
	if ((rc = mw_open(db, &w->mw, err)) != WB_OK ||
	    (rc = db_exec(db, kv_create, err)) != WB_OK ||
	    (rc = db_exec(db, kv_clear, err)) != WB_OK ||
	    (w->kv = db_copy_new(db, "mlfw_kv", "seq, tags, run_id, key, value",
	    5, err)) == NULL) {
		if (rc == WB_OK)
			rc = err != NULL ? err->code : WB_EDB;
		mw_close(w->mw);
		db_rollback(db);
		db_hint(db, DB_HINT_BULK_END);
		wb_free(w);
		return rc;
	}
	*out = w;
	return WB_OK;
}

/*
 * Nested runs: MLflow names a child's parent in the tag
 * mlflow.parentRunId.  Once every run of the import is in (a parent may
 * come after its children), each run with that tag and no parent yet
 * gets the run of that UUID as its parent.
 */
static int
link_parents(struct mlfw *w, struct wb_err *err)
{
	static const char	 sql[] = "UPDATE runs SET parent_id = (SELECT"
	    " p.id FROM tags t JOIN runs p ON p.uuid = lower(replace(t.value,"
	    " '-', '')) WHERE t.run_id = runs.id AND t.key ="
	    " 'mlflow.parentRunId' AND p.id != runs.id) WHERE parent_id IS"
	    " NULL AND id IN (SELECT run_id FROM tags WHERE key ="
	    " 'mlflow.parentRunId')";

	return db_exec(w->db, sql, err);
}


int
mlfw_finish(struct mlfw *w, int commit, struct wb_err *err)
{
	int	rc = WB_OK;

	if (w == NULL)
		return WB_OK;
	if (commit && !w->opts->dry_run && (rc = kv_flush(w, err)) == WB_OK)
		rc = link_parents(w, err);
	if (rc == WB_OK && commit && !w->opts->dry_run)
		db_test_stall("MLWB_TEST_MLFLOW_STALL");
	if (rc == WB_OK && commit && !w->opts->dry_run)
		rc = db_commit(w->db, err);
	else
		db_rollback(w->db);
	db_hint(w->db, DB_HINT_BULK_END);
	mw_close(w->mw);
	db_copy_free(w->kv);
	wb_free(w->buf);
	wb_free(w->datasets);
	wb_free(w);
	return rc;
}

/* Experiments ------------------------------------------------------------ */

int
mlfw_experiment(struct mlfw *w, const char *name, const char *description,
    int64_t created_at, int archived, int64_t *id, struct wb_err *err)
{
	static const char	 q_find[] =
	    "SELECT id FROM experiments WHERE name = ?1";
	/* MLflow's deleted experiments (archived) are deleted here. */
	static const char	 q_ins[] = "INSERT INTO experiments"
	    " (uuid, name, description, created_at, archived, deleted_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN ?5 = 1 THEN ?6 END)"
	    " RETURNING id";
	static const char	 q_upd[] = "UPDATE experiments SET"
	    " description = ?2 WHERE id = ?1 AND CAST(?2 AS TEXT) IS NOT NULL"
	    " AND description IS DISTINCT FROM ?2";
	struct db_stmt *st;
	char			 uuid[33];
	int			 rc;

	description = nonempty(description);
	if ((st = db_prepare(w->db, q_find, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(w->db, err);
	w->res->experiments++;
	if (rc == DB_ROW) {
		if ((st = db_prepare(w->db, q_upd, err)) == NULL)
			return WB_EDB;
		db_bind_int64(st, 1, *id);
		db_bind_text(st, 2, description);
		return db_step_done(w->db, st, err);
	}
	if ((st = db_prepare(w->db, q_ins, err)) == NULL)
		return WB_EDB;
	db_new_uuid(uuid);
	db_bind_text(st, 1, uuid);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, description);
	db_bind_int64(st, 4, created_at > 0 ? created_at : db_now_ms());
	db_bind_int(st, 5, archived != 0);
	db_bind_int64(st, 6, db_now_ms());
	if ((rc = db_step_id(w->db, st, id, err)) != WB_OK)
		return rc;
	return WB_OK;
}

int
mlfw_exp_tag(struct mlfw *w, int64_t exp_id, const char *key,
    const char *value, struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO experiment_tags"
	    " (experiment_id, key, value) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (experiment_id, key) DO UPDATE SET"
	    " value = excluded.value"
	    " WHERE experiment_tags.value IS DISTINCT FROM excluded.value";
	struct db_stmt *st;

	if ((st = db_prepare(w->db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, exp_id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, value ? value : "");
	w->res->exp_tags++;
	return db_step_done(w->db, st, err);
}

/* Runs ------------------------------------------------------------------- */

int
mlfw_run(struct mlfw *w, const struct mlfw_run *r, int64_t exp_id,
    struct wb_err *err)
{
	/* PostgreSQL types the WHERE first: a NULL ?5 alone is of no type. */
	static const char	 q_upd[] = "UPDATE runs SET experiment_id = ?2,"
	    " name = ?3, status = ?4, source = coalesce(?5, source),"
	    " git_commit = coalesce(?6, git_commit),"
	    " \"user\" = coalesce(?7, \"user\"),"
	    " started_at = ?8, ended_at = ?9, updated_at = ?10"
	    " WHERE id = ?1 AND (experiment_id IS DISTINCT FROM ?2"
	    " OR name IS DISTINCT FROM ?3 OR status IS DISTINCT FROM ?4"
	    " OR (CAST(?5 AS TEXT) IS NOT NULL AND source IS DISTINCT FROM ?5)"
	    " OR (CAST(?6 AS TEXT) IS NOT NULL AND"
	    " git_commit IS DISTINCT FROM ?6)"
	    " OR (CAST(?7 AS TEXT) IS NOT NULL AND"
	    " \"user\" IS DISTINCT FROM ?7)"
	    " OR started_at IS DISTINCT FROM ?8 OR ended_at IS DISTINCT FROM ?9)";
	struct run_new		 rr;
	struct db_stmt *st;
	int64_t			 id;
	int			 rc;

	w->run_id = 0;
	w->n = 0;
	w->run_changed = 0;
	w->res->runs++;
	rc = db_run_find_uuid(w->db, r->uuid, &id, err);
	if (rc == WB_ENOTFOUND) {
		memset(&rr, 0, sizeof rr);
		memcpy(rr.uuid, r->uuid, sizeof rr.uuid);
		rr.experiment_id = exp_id;
		rr.name = r->name;
		rr.status = r->status;
		rr.source = r->source;
		rr.git_commit = r->git_commit;
		rr.user = r->user;
		rr.git_dirty = -1;
		rr.started_at = r->started_at;
		rr.ended_at = r->ended_at;
		rr.created_at = r->started_at;
		/*
		 * Deleted in MLflow (--include-deleted): deleted here.  Only
		 * when first imported: a later restore or delete here wins.
		 */
		rr.deleted_at = r->deleted_at;
		/*
		 * A new run's name goes in a row at a time: the text index
		 * takes them all at the commit (db_textidx.c).
		 */
		if ((rc = db_textidx_defer(w->db, err)) != WB_OK ||
		    (rc = db_run_insert(w->db, &rr, &id, err)) != WB_OK)
			return rc;
		w->run_id = id;
		w->run_new = 1;
		mw_new_run(w->mw, id);
		w->res->runs_new++;
		return WB_OK;
	}
	/* What it says of its params and tags goes after the rows gathered. */
	if (rc != WB_OK || (rc = kv_flush(w, err)) != WB_OK)
		return rc;
	w->run_id = id;
	w->run_new = 0;
	if ((st = db_prepare(w->db, q_upd, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, exp_id);
	db_bind_text(st, 3, r->name ? r->name : r->uuid);
	db_bind_text(st, 4, r->status ? r->status : "finished");
	db_bind_text(st, 5, r->source);
	db_bind_text(st, 6, r->git_commit);
	db_bind_text(st, 7, r->user);
	db_bind_int64_or_null(st, 8, r->started_at, r->started_at == 0);
	db_bind_int64_or_null(st, 9, r->ended_at, r->ended_at == 0);
	db_bind_int64(st, 10, db_now_ms());
	if ((rc = db_step_done(w->db, st, err)) != WB_OK)
		return rc;
	if (db_changes(w->db) > 0)
		w->run_changed = 1;
	return WB_OK;
}

/* Set a param or tag; note a change on a run that existed. */
static int
set_kv(struct mlfw *w, const char *sql, const char *key, const char *value,
    struct wb_err *err)
{
	struct db_stmt *st;
	int		 rc;

	if (w->run_id == 0)
		return wb_err_set(err, WB_EINVAL, "mlflow: value outside a run");
	if ((st = db_prepare(w->db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, w->run_id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, value);
	if ((rc = db_step_done(w->db, st, err)) != WB_OK)
		return rc;
	if (!w->run_new && db_changes(w->db) > 0)
		w->run_changed = 1;
	return WB_OK;
}

int
mlfw_param(struct mlfw *w, const char *key, const char *value,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO params (run_id, key, value)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (run_id, key) DO UPDATE SET"
	    " value = excluded.value"
	    " WHERE params.value IS DISTINCT FROM excluded.value";

	w->res->params++;
	if (w->run_new && w->run_id != 0)
		return kv_add(w, 0, key, value, err);
	return set_kv(w, sql, key, value, err);
}

int
mlfw_tag(struct mlfw *w, const char *key, const char *value,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO tags (run_id, key, value)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (run_id, key) DO UPDATE SET"
	    " value = excluded.value"
	    " WHERE tags.value IS DISTINCT FROM excluded.value";

	w->res->tags++;
	if (w->run_new && w->run_id != 0)
		return kv_add(w, 1, key, value, err);
	return set_kv(w, sql, key, value, err);
}

int
mlfw_point(struct mlfw *w, const char *key, int64_t step, int64_t ts,
    double value, struct wb_err *err)
{
	struct bpoint	*nb;
	int64_t		 key_id;
	size_t		 cap;
	int		 rc;

	if (w->run_id == 0)
		return wb_err_set(err, WB_EINVAL, "mlflow: point outside a run");
	if ((rc = mw_key(w->mw, key, &key_id, err)) != WB_OK)
		return rc;
	w->res->points++;
	if (w->run_new) {
		w->res->points_new++;
		return mw_add(w->mw, w->run_id, key_id, step, ts, value, err);
	}
	if (w->n == w->cap) {
		cap = w->cap ? w->cap * 2 : 256;
		if ((nb = wb_reallocarray(w->buf, cap, sizeof *nb)) == NULL)
			return oom(err);
		w->buf = nb;
		w->cap = cap;
	}
	nb = &w->buf[w->n];
	nb->key_id = key_id;
	nb->step = step;
	nb->ts = ts;
	nb->value = value;
	nb->ord = w->n++;
	return WB_OK;
}

static int
bpoint_cmp(const void *a, const void *b)
{
	const struct bpoint	*x = a, *y = b;

	if (x->key_id != y->key_id)
		return x->key_id < y->key_id ? -1 : 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Rewrite series key_id of the current run if its count changed. */
static int
refresh_series(struct mlfw *w, const struct bpoint *p, size_t n,
    struct wb_err *err)
{
	static const char	 q_count[] = "SELECT count FROM metric_summary"
	    " WHERE run_id = ?1 AND key_id = ?2";
	static const char	 q_del_chunks[] = "DELETE FROM metric_chunks"
	    " WHERE run_id = ?1 AND key_id = ?2";
	static const char	 q_del_sum[] = "DELETE FROM metric_summary"
	    " WHERE run_id = ?1 AND key_id = ?2";
	struct db_stmt *st;
	int64_t			 old = 0;
	size_t			 i;
	int			 rc;

	if ((st = db_prepare(w->db, q_count, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, w->run_id);
	db_bind_int64(st, 2, p[0].key_id);
	if ((rc = db_step(st)) == DB_ROW)
		old = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(w->db, err);
	if (old == (int64_t)n)
		return WB_OK;
	if ((st = db_prepare(w->db, q_del_chunks, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, w->run_id);
	db_bind_int64(st, 2, p[0].key_id);
	if ((rc = db_step_done(w->db, st, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(w->db, q_del_sum, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, w->run_id);
	db_bind_int64(st, 2, p[0].key_id);
	if ((rc = db_step_done(w->db, st, err)) != WB_OK)
		return rc;
	for (i = 0; i < n; i++)
		if ((rc = mw_add(w->mw, w->run_id, p[i].key_id, p[i].step,
		    p[i].ts, p[i].value, err)) != WB_OK)
			return rc;
	if ((int64_t)n > old)
		w->res->points_new += (int64_t)n - old;
	w->run_changed = 1;
	return WB_OK;
}

/* One more run of the source is done with (taken or left out). */
static void
run_passed(struct mlfw *w)
{
	w->passed++;
	wb_progress_report(w->opts->progress, (uint64_t)w->passed,
	    (uint64_t)(w->ahead > w->passed ? w->ahead : w->passed), "runs");
}

int
mlfw_run_end(struct mlfw *w, struct wb_err *err)
{
	size_t	i, j;
	int	rc;

	if (w->run_id == 0)
		return WB_OK;
	if (!w->run_new && w->n > 0) {
		qsort(w->buf, w->n, sizeof *w->buf, bpoint_cmp);
		for (i = 0; i < w->n; i = j) {
			for (j = i + 1; j < w->n &&
			    w->buf[j].key_id == w->buf[i].key_id; j++)
				;
			if ((rc = refresh_series(w, w->buf + i, j - i, err)) !=
			    WB_OK)
				return rc;
		}
	}
	if ((rc = mw_flush(w->mw, err)) != WB_OK)
		return rc;
	if (!w->run_new && w->run_changed)
		w->res->runs_updated++;
	w->run_id = 0;
	w->n = 0;
	run_passed(w);
	return WB_OK;
}

void
mlfw_skip(struct mlfw *w)
{
	w->res->runs_skipped++;
	run_passed(w);
}

void
mlfw_runs_ahead(struct mlfw *w, int64_t n)
{
	w->ahead += n;
	wb_progress_report(w->opts->progress, (uint64_t)w->passed,
	    (uint64_t)w->ahead, "runs");
}

/* Lineage --------------------------------------------------------------- */

static int
dataset_id(struct mlfw *w, const struct mlfw_dataset *d, int64_t *id,
    struct wb_err *err)
{
	static const char	 q_find[] = "SELECT id FROM datasets"
	    " WHERE uuid = ?1";
	static const char	 q_ins[] = "INSERT INTO datasets (uuid, name,"
	    " path, digest, n_rows, source_type, schema, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id";
	struct db_stmt *st;
	int64_t			*nv;
	size_t			 i, cap;
	int			 rc;

	if ((st = db_prepare(w->db, q_find, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, d->uuid);
	if ((rc = db_step(st)) == DB_ROW)
		*id = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(w->db, err);
	if (rc == DB_DONE) {
		if ((st = db_prepare(w->db, q_ins, err)) == NULL)
			return WB_EDB;
		db_bind_text(st, 1, d->uuid);
		db_bind_text(st, 2, d->name ? d->name : d->uuid);
		db_bind_text(st, 3, d->source);
		db_bind_text(st, 4, d->digest);
		db_bind_int64_or_null(st, 5, d->n_rows, d->n_rows < 0);
		db_bind_text(st, 6, d->source_type);
		db_bind_text(st, 7, d->schema);
		db_bind_int64(st, 8, db_now_ms());
		if ((rc = db_step_id(w->db, st, id, err)) != WB_OK)
			return rc;
	}
	for (i = 0; i < w->nds; i++)
		if (w->datasets[i] == *id)
			return WB_OK;
	if (w->nds == w->capds) {
		cap = w->capds ? w->capds * 2 : 16;
		if ((nv = wb_reallocarray(w->datasets, cap, sizeof *nv)) == NULL)
			return oom(err);
		w->datasets = nv;
		w->capds = cap;
	}
	w->datasets[w->nds++] = *id;
	w->res->datasets++;
	return WB_OK;
}

int
mlfw_input(struct mlfw *w, const char *run_uuid, const struct mlfw_dataset *d,
    const char *role, struct wb_err *err)
{
	static const char	 q_ins[] = "INSERT INTO run_inputs"
	    " (run_id, dataset_id, role) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT DO NOTHING";
	struct db_stmt *st;
	int64_t			 run_id, ds = 0;
	int			 rc;

	rc = db_run_find_uuid(w->db, run_uuid, &run_id, err);
	if (rc == WB_ENOTFOUND)
		return WB_OK;
	if (rc != WB_OK)
		return rc;
	if ((rc = dataset_id(w, d, &ds, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(w->db, q_ins, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_int64(st, 2, ds);
	db_bind_text(st, 3, role ? role : "");
	w->res->inputs++;
	return db_step_done(w->db, st, err);
}

/* Logged models (MLflow 3) ---------------------------------------------- */

/* The workspace id of the run with MLflow id raw, or 0. */
static int
run_of(struct mlfw *w, const char *raw, int64_t *id, struct wb_err *err)
{
	char	uuid[33];
	int	rc;

	*id = 0;
	if (raw == NULL || mlflow_uuid(raw, uuid) != 0)
		return WB_OK;
	rc = db_run_find_uuid(w->db, uuid, id, err);
	return rc == WB_ENOTFOUND ? WB_OK : rc;
}

int
mlfw_lmodel(struct mlfw *w, const struct mlfw_lmodel *m, int64_t exp_id,
    struct wb_err *err)
{
	static const char	 q_find[] = "SELECT id FROM logged_models"
	    " WHERE uuid = ?1";
	static const char	 q_ins[] = "INSERT INTO logged_models (uuid,"
	    " experiment_id, run_id, name, artifact_path, status, model_type,"
	    " updated_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	    " ?9) RETURNING id";
	static const char	 q_upd[] = "UPDATE logged_models SET"
	    " experiment_id = ?2, run_id = ?3, name = ?4, artifact_path = ?5,"
	    " status = ?6, model_type = ?7, updated_at = ?8 WHERE id = ?1"
	    " AND (experiment_id IS DISTINCT FROM ?2 OR run_id IS DISTINCT"
	    " FROM ?3 OR name IS DISTINCT FROM ?4 OR artifact_path IS DISTINCT"
	    " FROM ?5 OR status IS DISTINCT FROM ?6 OR model_type IS DISTINCT"
	    " FROM ?7 OR updated_at IS DISTINCT FROM ?8)";
	struct db_stmt *st;
	int64_t			 run_id, upd = m->updated_at;
	int			 rc;

	w->lmodel_id = 0;
	if ((rc = run_of(w, m->run_uuid, &run_id, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(w->db, q_find, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, m->uuid);
	if ((rc = db_step(st)) == DB_ROW)
		w->lmodel_id = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(w->db, err);
	w->res->lmodels++;
	if (w->lmodel_id != 0) {
		/* Updated in place, so that a re-import writes nothing. */
		if ((st = db_prepare(w->db, q_upd, err)) == NULL)
			return WB_EDB;
		db_bind_int64(st, 1, w->lmodel_id);
	} else {
		if ((st = db_prepare(w->db, q_ins, err)) == NULL)
			return WB_EDB;
		db_bind_text(st, 1, m->uuid);
		db_bind_int64(st, 9, m->created_at > 0 ? m->created_at :
		    db_now_ms());
	}
	db_bind_int64_or_null(st, 2, exp_id, exp_id == 0);
	db_bind_int64_or_null(st, 3, run_id, run_id == 0);
	db_bind_text(st, 4, m->name ? m->name : m->uuid);
	db_bind_text(st, 5, nonempty(m->artifact));
	db_bind_text(st, 6, m->status);
	db_bind_text(st, 7, nonempty(m->model_type));
	db_bind_int64_or_null(st, 8, upd, upd == 0);
	if (w->lmodel_id != 0)
		return db_step_done(w->db, st, err);
	return db_step_id(w->db, st, &w->lmodel_id, err);
}

static int
lmodel_kv(struct mlfw *w, const char *sql, const char *key,
    const char *value, struct wb_err *err)
{
	struct db_stmt *st;

	if (w->lmodel_id == 0)
		return wb_err_set(err, WB_EINVAL, "mlflow: value outside a"
		    " logged model");
	if ((st = db_prepare(w->db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, w->lmodel_id);
	db_bind_text(st, 2, key);
	db_bind_text(st, 3, value ? value : "");
	return db_step_done(w->db, st, err);
}

int
mlfw_lmodel_param(struct mlfw *w, const char *key, const char *value,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO logged_model_params"
	    " (logged_model_id, key, value) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (logged_model_id, key) DO UPDATE SET"
	    " value = excluded.value WHERE"
	    " logged_model_params.value IS DISTINCT FROM excluded.value";

	return lmodel_kv(w, sql, key, value, err);
}

int
mlfw_lmodel_tag(struct mlfw *w, const char *key, const char *value,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO logged_model_tags"
	    " (logged_model_id, key, value) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (logged_model_id, key) DO UPDATE SET"
	    " value = excluded.value WHERE"
	    " logged_model_tags.value IS DISTINCT FROM excluded.value";

	return lmodel_kv(w, sql, key, value, err);
}

int
mlfw_lmodel_metric(struct mlfw *w, const char *key, int64_t step,
    int64_t ts, double value, const char *run_uuid, const char *dataset_name,
    const char *dataset_digest, struct wb_err *err)
{
	/* MLflow never edits a logged value: a row seen before is kept. */
	static const char	 sql[] = "INSERT INTO logged_model_metrics"
	    " (logged_model_id, key, ts, step, run_uuid, value, dataset_name,"
	    " dataset_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT DO NOTHING";
	struct db_stmt *st;
	char			 uuid[33];

	if (w->lmodel_id == 0)
		return wb_err_set(err, WB_EINVAL, "mlflow: value outside a"
		    " logged model");
	if ((st = db_prepare(w->db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, w->lmodel_id);
	db_bind_text(st, 2, key);
	db_bind_int64(st, 3, ts);
	db_bind_int64(st, 4, step);
	db_bind_text(st, 5, run_uuid != NULL && mlflow_uuid(run_uuid,
	    uuid) == 0 ? uuid : "");
	if (value != value)
		db_bind_null(st, 6);
	else
		db_bind_double(st, 6, value);
	db_bind_text(st, 7, nonempty(dataset_name));
	db_bind_text(st, 8, nonempty(dataset_digest));
	return db_step_done(w->db, st, err);
}

/* Registry --------------------------------------------------------------- */

int
mlfw_model(struct mlfw *w, const char *name, const char *description,
    int64_t created_at, int64_t *model_id, struct wb_err *err)
{
	static const char	 q_find[] = "SELECT id FROM models WHERE name = ?1";
	static const char	 q_ins[] = "INSERT INTO models (name, description,"
	    " created_at) VALUES (?1, ?2, ?3) RETURNING id";
	static const char	 q_upd[] = "UPDATE models SET description = ?2"
	    " WHERE id = ?1 AND CAST(?2 AS TEXT) IS NOT NULL"
	    " AND description IS DISTINCT FROM ?2";
	struct db_stmt *st;
	int			 rc;

	w->res->models++;
	description = nonempty(description);
	if ((st = db_prepare(w->db, q_find, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, name);
	if ((rc = db_step(st)) == DB_ROW)
		*model_id = db_column_int64(st, 0);
	db_reset(st);
	if (rc == DB_ROW) {
		if ((st = db_prepare(w->db, q_upd, err)) == NULL)
			return WB_EDB;
		db_bind_int64(st, 1, *model_id);
		db_bind_text(st, 2, description);
		return db_step_done(w->db, st, err);
	}
	if (rc != DB_DONE)
		return db_sqlerr(w->db, err);
	if ((st = db_prepare(w->db, q_ins, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, description);
	db_bind_int64(st, 3, created_at > 0 ? created_at : db_now_ms());
	if ((rc = db_step_id(w->db, st, model_id, err)) != WB_OK)
		return rc;
	return WB_OK;
}

int
mlfw_version(struct mlfw *w, int64_t model_id, int64_t version,
    const char *run_uuid, const char *lmodel, const char *artifact,
    const char *description, int64_t created_at, struct wb_err *err)
{
	static const char	 q_find[] = "SELECT id FROM model_versions"
	    " WHERE model_id = ?1 AND version = ?2";
	static const char	 q_lm[] = "SELECT id FROM logged_models"
	    " WHERE uuid = ?1";
	static const char	 q_ins[] = "INSERT INTO model_versions"
	    " (model_id, version, run_id, artifact_path, description,"
	    " created_at, logged_model_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	static const char	 q_upd[] = "UPDATE model_versions SET"
	    " run_id = coalesce(?2, run_id), artifact_path ="
	    " coalesce(?3, artifact_path), description = coalesce(?4,"
	    " description), logged_model_id = coalesce(?5, logged_model_id)"
	    " WHERE id = ?1";
	struct db_stmt *st;
	int64_t			 run_id = 0, vid = 0, lm_id = 0;
	char			 uuid[33];
	int			 rc;

	if (lmodel != NULL) {
		if ((st = db_prepare(w->db, q_lm, err)) == NULL)
			return WB_EDB;
		db_bind_text(st, 1, lmodel);
		if ((rc = db_step(st)) == DB_ROW)
			lm_id = db_column_int64(st, 0);
		db_reset(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return db_sqlerr(w->db, err);
	}

	w->res->versions++;
	description = nonempty(description);
	artifact = nonempty(artifact);
	if (run_uuid != NULL && mlflow_uuid(run_uuid, uuid) == 0) {
		rc = db_run_find_uuid(w->db, uuid, &run_id, err);
		if (rc != WB_OK && rc != WB_ENOTFOUND)
			return rc;
	}
	if ((st = db_prepare(w->db, q_find, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_int64(st, 2, version);
	if ((rc = db_step(st)) == DB_ROW)
		vid = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(w->db, err);
	if ((st = db_prepare(w->db, vid ? q_upd : q_ins, err)) == NULL)
		return WB_EDB;
	if (vid) {
		db_bind_int64(st, 1, vid);
		db_bind_int64_or_null(st, 2, run_id, run_id == 0);
		db_bind_text(st, 3, artifact);
		db_bind_text(st, 4, description);
		db_bind_int64_or_null(st, 5, lm_id, lm_id == 0);
	} else {
		db_bind_int64(st, 1, model_id);
		db_bind_int64(st, 2, version);
		db_bind_int64_or_null(st, 3, run_id, run_id == 0);
		db_bind_text(st, 4, artifact);
		db_bind_text(st, 5, description);
		db_bind_int64(st, 6, created_at > 0 ? created_at :
		    db_now_ms());
		db_bind_int64_or_null(st, 7, lm_id, lm_id == 0);
	}
	return db_step_done(w->db, st, err);
}

int
mlfw_alias(struct mlfw *w, int64_t model_id, const char *alias,
    int64_t version, const char *source, struct wb_err *err)
{
	static const char	 q_vid[] = "SELECT id FROM model_versions"
	    " WHERE model_id = ?1 AND version = ?2";
	static const char	 q_cur[] = "SELECT a.version_id, v.version"
	    " FROM model_aliases a JOIN model_versions v ON v.id ="
	    " a.version_id WHERE a.model_id = ?1 AND a.alias = ?2";
	static const char	 q_set[] = "INSERT INTO model_aliases"
	    " (model_id, alias, version_id) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT (model_id, alias) DO UPDATE SET version_id = ?3";
	static const char	 q_event[] = "INSERT INTO registry_events"
	    " (model_id, version_id, action, alias, from_version, to_version,"
	    " actor, host, reason, at) VALUES (?1, ?2, 'import', ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9)";
	struct db_stmt *st;
	int64_t			 vid = 0, cur_vid = 0, cur_ver = 0;
	struct strbuf		 reason = STRBUF_INIT;
	char			 norm[REG_ALIAS_MAX + 1];
	int			 rc;

	/*
	 * The registry's form: MLflow's stage names in lower case, so that
	 * `model promote --to Production` moves the alias imported here.
	 * An alias the registry would refuse is kept as MLflow had it.
	 */
	if (reg_alias_norm(alias, norm, NULL) == WB_OK)
		alias = norm;
	if ((st = db_prepare(w->db, q_vid, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_int64(st, 2, version);
	if ((rc = db_step(st)) == DB_ROW)
		vid = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(w->db, err);
	if (vid == 0)		/* the version was deleted in MLflow */
		return WB_OK;
	w->res->aliases++;
	if ((st = db_prepare(w->db, q_cur, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_text(st, 2, alias);
	if ((rc = db_step(st)) == DB_ROW) {
		cur_vid = db_column_int64(st, 0);
		cur_ver = db_column_int64(st, 1);
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(w->db, err);
	if (cur_vid == vid)
		return WB_OK;
	if ((st = db_prepare(w->db, q_set, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model_id);
	db_bind_text(st, 2, alias);
	db_bind_int64(st, 3, vid);
	if ((rc = db_step_done(w->db, st, err)) != WB_OK)
		return rc;
	/* The source's whole path: the event is the record of where. */
	strbuf_addf(&reason, "imported from MLflow %s", source);
	if (reason.oom)
		return oom(err);
	if ((st = db_prepare(w->db, q_event, err)) == NULL) {
		strbuf_free(&reason);
		return WB_EDB;
	}
	db_bind_int64(st, 1, model_id);
	db_bind_int64(st, 2, vid);
	db_bind_text(st, 3, alias);
	db_bind_int64_or_null(st, 4, cur_ver, cur_vid == 0);
	db_bind_int64(st, 5, version);
	db_bind_text(st, 6, w->opts->actor);
	db_bind_text(st, 7, w->host[0] ? w->host : NULL);
	db_bind_text(st, 8, reason.s);	/* copied: text is */
	strbuf_free(&reason);
	db_bind_int64(st, 9, db_now_ms());
	w->res->alias_events++;
	return db_step_done(w->db, st, err);
}
