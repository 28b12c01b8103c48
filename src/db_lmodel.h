/*
 * db_lmodel: reads MLflow 3's logged models as import-mlflow stored them
 * (schema: logged_models and its params, tags and metrics), for the
 * model versions that register them.  Strings are owned by the struct
 * and released by lmodel_free.
 */
#ifndef WB_DB_LMODEL_H
#define WB_DB_LMODEL_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct kv;
struct wb_err;

/* The last value of one metric key (highest step, then latest time). */
struct lmodel_metric {
	char	*key;
	double	 value;			/* NaN when MLflow had NaN */
	int64_t	 step;
	int64_t	 ts;
	char	*dataset;		/* "name" or "name@digest", or NULL */
};

struct lmodel {
	int64_t			 id;
	char			*uuid;		/* MLflow's model_id, "m-..." */
	char			*name;
	char			*artifact_path;
	char			*status;	/* pending ready failed, or NULL */
	char			*model_type;
	char			*run_uuid;	/* the run that logged it, or NULL */
	char			*run_name;	/* "experiment/run", or NULL */
	int64_t			 created_at;
	int64_t			 updated_at;	/* 0 unknown */
	struct kv		*params;	/* by key */
	size_t			 nparams;
	struct kv		*tags;		/* by key */
	size_t			 ntags;
	struct lmodel_metric	*metrics;	/* by key */
	size_t			 nmetrics;
};

/*
 * The logged model registered by model version version_id, in *out (the
 * caller's, free with lmodel_free), or *out NULL when it has none (also
 * in a workspace older than logged models, opened read-only).
 */
int	 db_lmodel_of_version(struct db *db, int64_t version_id,
	    struct lmodel **out, struct wb_err *err);
void	 lmodel_free(struct lmodel *m);

/*
 * m as one JSON object appended to sb: {"id", "name", "status", "type",
 * "run_uuid", "run", "artifact", "created", "params": {..}, "tags": {..},
 * "metrics": {key: last value}, "metric_datasets": {key: "name@digest"}}.
 * NULL m appends null.
 */
struct strbuf;
void	 lmodel_json(struct strbuf *sb, const struct lmodel *m);

#endif
