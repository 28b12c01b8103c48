/*
 * db_lineage: the rows of data lineage: data sets (datasets), which runs
 * read them (run_inputs, also filled by import-mlflow) and wrote them
 * (run_outputs), and the drift reports made against a data set's bytes.
 */
#ifndef WB_DB_LINEAGE_H
#define WB_DB_LINEAGE_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;

/* A data set as a run used it. */
struct lin_ds {
	int64_t	 id;
	char	 uuid[33];
	char	*name;
	char	*path;
	char	*digest;		/* sha256 for mlwb's, MLflow's digest */
	char	*source_type;		/* "local" for mlwb's, MLflow's kind */
	char	*schema;		/* JSON, or NULL */
	char	*role;			/* "" when none */
	int64_t	 size, n_rows, n_cols;	/* -1: unknown */
	int	 output;		/* written by the run, not read */
};

/* A drift report that used a data set's bytes. */
struct lin_report {
	char	 uuid[33];
	char	*name;
	int64_t	 created_at;
	int	 dataset_drift;
	double	 drift_share;
	int	 as_reference;		/* else as the current data */
};

void	lin_ds_clear(struct lin_ds *d);
void	lin_ds_free(struct lin_ds *v, size_t n);
void	lin_reports_free(struct lin_report *v, size_t n);

/*
 * Record d (name, path, digest, size, rows, cols, schema) as read
 * (d->output 0) or written by run run_id with d->role.  The same path
 * with the same digest is one data set, kept once; d->id gets its id.
 */
int	db_lineage_add(struct db *db, int64_t run_id, struct lin_ds *d,
	    struct wb_err *err);
/* What run run_id read, then what it wrote; *v is the caller's. */
int	db_lineage_datasets(struct db *db, int64_t run_id, struct lin_ds **v,
	    size_t *n, struct wb_err *err);
/* Drift reports whose reference or current data had sha256 digest. */
int	db_lineage_reports(struct db *db, const char *digest,
	    struct lin_report **v, size_t *n, struct wb_err *err);

#endif
