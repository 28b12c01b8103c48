/*
 * db_drift: saved drift reports (tables drift_reports, drift_columns).
 *
 * A report is saved in one transaction with every column's result, both
 * histograms on shared bin edges and both sides' summary statistics, so
 * that it can be shown and followed over time without the input files.
 * Reports are found by id, by a prefix of their uuid, or by name (the
 * latest of that name); `--model NAME[:VERSION]` ties a report to a
 * registered model version, looked up here by SQL.
 */
#ifndef WB_DB_DRIFT_H
#define WB_DB_DRIFT_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct drift_report;
struct wb_err;

/* One line of `mlwb drift ls`. */
struct drift_row {
	int64_t	 id;
	char	 uuid[33];
	char	*name;		/* may be NULL */
	char	*model;		/* "NAME:VERSION", or NULL */
	int64_t	 created_at;
	int64_t	 tested, drifted;
	double	 drift_share;
	int	 dataset_drift;
	int64_t	 nissues;
	char	*ref_path, *cur_path;
};

/*
 * Save r under name (may be NULL) for model ("NAME" = its latest version,
 * "NAME:VERSION", or NULL).  Sets r->id, r->uuid, r->created_at (when
 * r->created_at is 0) and r->name/model.  WB_ENOTFOUND for an unknown
 * model or version.
 */
int	 db_drift_save(struct db *db, struct drift_report *r, const char *name,
	    const char *model, struct wb_err *err);

/* Reports, newest first; only those called name unless NULL. */
int	 db_drift_list(struct db *db, const char *name, struct drift_row **rows,
	    size_t *n, struct wb_err *err);
/* The same streamed: fn(arg, row) for each until it returns non-zero. */
int	 db_drift_each(struct db *db, const char *name,
	    int (*fn)(void *, const struct drift_row *), void *arg,
	    struct wb_err *err);
/* The same oldest first (a name's history). */
int	 db_drift_history(struct db *db, const char *name,
	    struct drift_row **rows, size_t *n, struct wb_err *err);
void	 db_drift_rows_free(struct drift_row *rows, size_t n);

/*
 * Load a report: ref is an id, a uuid prefix (4+ hex digits) or a name
 * (its latest report).  WB_ENOTFOUND, WB_EAMBIG for a prefix of several.
 */
int	 db_drift_load(struct db *db, const char *ref, struct drift_report **out,
	    struct wb_err *err);
int	 db_drift_load_id(struct db *db, int64_t id, struct drift_report **out,
	    struct wb_err *err);

#endif
