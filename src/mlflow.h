/*
 * mlflow: import of MLflow tracking data into a workspace.
 *
 * Two sources: an MLflow SQLite tracking database of any version from
 * 1.x to 3.x (mlflow_db.c, opened read-only; what exists is found with
 * PRAGMA table_info, never from the alembic revision) and an mlruns/ file
 * store (mlflow_store.c).  Both feed the same writer (db_mlflow.c), which
 * does the whole import in one transaction, keyed by the MLflow run UUID,
 * so that importing again adds only what is new and a broken source
 * changes nothing.  The parsers of the file store's small formats are
 * public here for the unit tests and the fuzz target.
 */
#ifndef WB_MLFLOW_H
#define WB_MLFLOW_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;
struct wb_progress;
struct ynode;

struct mlflow_opts {
	const char	*experiment;	/* only this experiment; NULL: all */
	int		 include_deleted; /* deleted runs and experiments too */
	int		 dry_run;	/* count, then roll back */
	const char	*actor;		/* registry events' "who"; may be NULL */
	/* Runs read of the source's runs; NULL for none (src/progress.h). */
	const struct wb_progress *progress;
};

/* What an import found and did; counts are of the source's rows taken. */
struct mlflow_result {
	char	 kind[16];		/* "sqlite" or "mlruns" */
	int64_t	 experiments;
	int64_t	 exp_tags;		/* experiment tags */
	int64_t	 runs;			/* runs taken from the source */
	int64_t	 runs_new;
	int64_t	 runs_updated;		/* existed and something changed */
	int64_t	 runs_skipped;		/* deleted or filtered out */
	int64_t	 params;
	int64_t	 tags;
	int64_t	 points;		/* metric points in the source */
	int64_t	 points_new;		/* written this time */
	int64_t	 datasets;
	int64_t	 inputs;
	int64_t	 lmodels;		/* MLflow 3 logged models */
	int64_t	 models;
	int64_t	 versions;
	int64_t	 aliases;
	int64_t	 alias_events;		/* aliases set or moved this time */
};

/*
 * Import PATH: an MLflow SQLite file, or an mlruns/ folder (or a folder
 * holding one).  One transaction: on failure the workspace is as before
 * and err says what and where ("mlruns/0/ab.../metrics/loss:3: ...").
 * Errors: WB_ENOTFOUND (no such path or experiment), WB_EFORMAT (not
 * MLflow data), WB_EPARSE, WB_EIO, WB_EDB, WB_ENOMEM.
 */
int	 mlflow_import(struct db *db, const char *path,
	    const struct mlflow_opts *opts, struct mlflow_result *res,
	    struct wb_err *err);

/* MLflow's run statuses, by name or by the file store's integer. */
const char *mlflow_status(const char *s);

/*
 * Metric values as MLflow stores them: is_nan rows are NaN, and
 * +-1.7976931348623157e308 (what MLflow writes for +-inf) are +-inf.
 */
double	 mlflow_value(double v, int is_nan);

/*
 * One line of an mlruns/ metric file, "timestamp value [step]" (two
 * fields mean step 0), without its newline; a trailing CR is allowed.
 * Returns 1 for a point, 0 for a blank line, -1 for a bad line with
 * *why set to a static explanation.
 */
int	 mlflow_metric_line(const char *s, size_t len, int64_t *ts,
	    double *value, int64_t *step, const char **why);

/* A run's attributes as read from a meta.yaml (strings borrowed). */
struct mlflow_run_meta {
	char		 uuid[33];
	const char	*name;		/* run_name; NULL if absent */
	const char	*status;	/* mlwb status word */
	const char	*experiment_id;
	const char	*source;
	const char	*source_version;
	const char	*user;
	int64_t		 start_time;
	int64_t		 end_time;
	int		 deleted;
};

/*
 * Read a run's meta.yaml tree (root map).  Strings point into the tree.
 * Errors name the file and line: WB_EPARSE "meta.yaml:3:9: ...".
 */
int	 mlflow_run_meta(const struct ynode *root, const char *file,
	    struct mlflow_run_meta *m, struct wb_err *err);

/*
 * Turn an MLflow id into the workspace's UUID form (32 lowercase hex
 * digits; dashes dropped).  0 on success, -1 if it is not one.
 */
int	 mlflow_uuid(const char *s, char out[33]);

#endif
