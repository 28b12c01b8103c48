/*
 * mlflow_int: what the MLflow import's modules share: the two readers,
 * each feeding a struct mlfw (db_mlflow.h) opened by mlflow_import().
 */
#ifndef WB_MLFLOW_INT_H
#define WB_MLFLOW_INT_H

#include <stdint.h>

struct mlfw;
struct mlflow_opts;
struct wb_err;

/* An MLflow SQLite database at path (mlflow_db.c). */
int	 mlflow_db_read(struct mlfw *w, const char *path,
	    const struct mlflow_opts *o, struct wb_err *err);
/* An mlruns/ folder at root (mlflow_store.c). */
int	 mlflow_store_read(struct mlfw *w, const char *root,
	    const struct mlflow_opts *o, struct wb_err *err);

/*
 * The MLflow 3 logged model a version's source names ("models:/m-..."):
 * a pointer into source, or NULL for any other source.
 */
const char *mlflow_lmodel_of(const char *source);

/* A whole decimal integer (optional sign); 0 on success, -1 if not. */
int	 mlflow_parse_i64(const char *s, int64_t *v);

/* The experiment name as mlwb shows it: "WORKSPACE/NAME" outside the
 * default workspace.  A new string (wb_free), NULL when out of memory. */
char	*mlflow_exp_name(const char *workspace, const char *name);

#endif
