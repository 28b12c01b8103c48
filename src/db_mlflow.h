/*
 * db_mlflow: the workspace side of an MLflow import.
 *
 * The readers (mlflow_db.c, mlflow_store.c) hand records to a struct
 * mlfw, which writes them inside one transaction opened by mlfw_open()
 * and closed by mlfw_finish().  Runs are matched by their MLflow UUID:
 * a run seen before is refreshed (attributes, params, tags updated in
 * place; a metric whose point count changed is rewritten whole) and
 * never duplicated.  Registry rows follow data/schema.sql's registry
 * section; every alias set or moved gets one registry_events row with
 * action "import".  Strings passed in are borrowed for the call.
 */
#ifndef WB_DB_MLFLOW_H
#define WB_DB_MLFLOW_H

#include <stdint.h>

struct db;
struct wb_err;
struct mlfw;
struct mlflow_opts;
struct mlflow_result;

/* A run as the readers give it; NULL strings and 0 times are unknown. */
struct mlfw_run {
	char		 uuid[33];
	const char	*name;
	const char	*status;	/* mlwb status word */
	const char	*source;
	const char	*git_commit;
	const char	*user;
	int64_t		 started_at;
	int64_t		 ended_at;
	int64_t		 deleted_at;	/* MLflow lifecycle_stage deleted */
};

/* Begin the transaction.  res is filled as records arrive. */
int	 mlfw_open(struct db *db, const struct mlflow_opts *opts,
	    struct mlflow_result *res, struct mlfw **out, struct wb_err *err);
/*
 * Commit (or roll back when !commit or the import is a dry run) and
 * free w.  NULL is a no-op.
 */
int	 mlfw_finish(struct mlfw *w, int commit, struct wb_err *err);

/* Find or create experiment name; *id is its workspace id. */
int	 mlfw_experiment(struct mlfw *w, const char *name,
	    const char *description, int64_t created_at, int archived,
	    int64_t *id, struct wb_err *err);

/* A tag of experiment exp_id (set to value; a tag gone in MLflow stays). */
int	 mlfw_exp_tag(struct mlfw *w, int64_t exp_id, const char *key,
	    const char *value, struct wb_err *err);

/* Start run r of experiment exp_id: the current run until mlfw_run_end. */
int	 mlfw_run(struct mlfw *w, const struct mlfw_run *r, int64_t exp_id,
	    struct wb_err *err);
int	 mlfw_param(struct mlfw *w, const char *key, const char *value,
	    struct wb_err *err);
int	 mlfw_tag(struct mlfw *w, const char *key, const char *value,
	    struct wb_err *err);
/* A point of the current run; value already mapped (NaN, +-inf). */
int	 mlfw_point(struct mlfw *w, const char *key, int64_t step, int64_t ts,
	    double value, struct wb_err *err);
int	 mlfw_run_end(struct mlfw *w, struct wb_err *err);
/* Count a run of the source left out (deleted or filtered). */
void	 mlfw_skip(struct mlfw *w);
/*
 * n more runs in the source, for the progress hook of the options (runs
 * ended or skipped, of those announced).  A reader that learns its runs
 * as it goes (the file store, per experiment) announces them so.
 */
void	 mlfw_runs_ahead(struct mlfw *w, int64_t n);

/* A dataset (by its MLflow UUID) used by run run_uuid as role. */
struct mlfw_dataset {
	const char	*uuid;
	const char	*name;
	const char	*digest;
	const char	*source_type;
	const char	*source;
	const char	*schema;
	int64_t		 n_rows;	/* -1 unknown */
};
/* Link: skipped silently when the run is not in the workspace. */
int	 mlfw_input(struct mlfw *w, const char *run_uuid,
	    const struct mlfw_dataset *d, const char *role,
	    struct wb_err *err);

/* An MLflow 3 logged model; NULL strings and 0 times are unknown. */
struct mlfw_lmodel {
	const char	*uuid;		/* MLflow's model_id, "m-..." */
	const char	*name;
	const char	*artifact;
	const char	*status;	/* pending ready failed */
	const char	*model_type;
	const char	*run_uuid;	/* the run that logged it */
	int64_t		 created_at;
	int64_t		 updated_at;
};
/*
 * Find or create logged model m of experiment exp_id (0: none), refreshed
 * in place: the current logged model until the next call.  Its params,
 * tags and metric values follow.
 */
int	 mlfw_lmodel(struct mlfw *w, const struct mlfw_lmodel *m,
	    int64_t exp_id, struct wb_err *err);
int	 mlfw_lmodel_param(struct mlfw *w, const char *key, const char *value,
	    struct wb_err *err);
int	 mlfw_lmodel_tag(struct mlfw *w, const char *key, const char *value,
	    struct wb_err *err);
/* A metric value; run_uuid and the dataset strings may be NULL. */
int	 mlfw_lmodel_metric(struct mlfw *w, const char *key, int64_t step,
	    int64_t ts, double value, const char *run_uuid,
	    const char *dataset_name, const char *dataset_digest,
	    struct wb_err *err);

/* Registry. */
int	 mlfw_model(struct mlfw *w, const char *name, const char *description,
	    int64_t created_at, int64_t *model_id, struct wb_err *err);
/*
 * run_uuid may be NULL or name a run not imported (link left empty);
 * lmodel likewise names the MLflow 3 logged model it registers.
 */
int	 mlfw_version(struct mlfw *w, int64_t model_id, int64_t version,
	    const char *run_uuid, const char *lmodel, const char *artifact,
	    const char *description, int64_t created_at, struct wb_err *err);
/* Point alias at version (which must have been given); event if moved. */
int	 mlfw_alias(struct mlfw *w, int64_t model_id, const char *alias,
	    int64_t version, const char *source, struct wb_err *err);

#endif
