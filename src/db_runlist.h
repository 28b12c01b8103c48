/*
 * db_runlist: the run list as screens need it: a count and one window of
 * rows at a time, filtered and sorted in SQL, so that the UI never holds
 * all runs of a large workspace.  Plus the values of chosen param and
 * metric columns for the rows of a window.
 */
#ifndef WB_DB_RUNLIST_H
#define WB_DB_RUNLIST_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"

struct db;
struct wb_err;

enum runlist_sort {
	RL_SORT_STARTED, RL_SORT_NAME, RL_SORT_STATUS, RL_SORT_DURATION,
	RL_SORT_EXPERIMENT, RL_SORT_PARAM, RL_SORT_METRIC
};

struct runlist_cache;

struct runlist_query {
	int64_t			 exp_id;	/* 0: every experiment */
	const char		*filter;	/* NULL or text (see below) */
	enum runlist_sort	 sort;
	const char		*sort_key;	/* param or metric name */
	int			 desc;
	enum q_scope		 scope;		/* QS_LIVE: deleted runs hidden */
	/*
	 * Nested runs folded: without a filter, a run whose parent is
	 * live is left out (the parent's row counts it: nchildren).
	 */
	int			 fold;
	/*
	 * NULL, or a cache from runlist_cache_new(): an expression filter's
	 * matching ids, in order, are then computed once and reused by
	 * count and page calls until the query or the data change.
	 */
	struct runlist_cache	*cache;
};

/* A cache for runlist_query (NULL when out of memory); free with ..._free. */
struct runlist_cache *runlist_cache_new(void);
void	 runlist_cache_free(struct runlist_cache *c);

struct runlist_row {
	int64_t	 id;
	char	 uuid[33];
	char	*name;
	char	*experiment;
	char	*status;
	int64_t	 started_at;
	int64_t	 ended_at;
	int	 deleted;		/* soft-deleted (or its experiment) */
	int64_t	 parent_id;		/* 0: top-level */
	int64_t	 nchildren;		/* live runs nested under it */
};

/*
 * Filter text without an operator is a case-insensitive substring of the
 * run's name, of a param's or tag's key or value.
 */
int	 db_runlist_count(struct db *db, const struct runlist_query *q,
	    int64_t *n, struct wb_err *err);
/* Rows [offset, offset + limit) in sort order. */
int	 db_runlist_page(struct db *db, const struct runlist_query *q,
	    int64_t offset, int64_t limit, struct runlist_row **rows,
	    size_t *n, struct wb_err *err);
void	 runlist_rows_free(struct runlist_row *rows, size_t n);

/*
 * Columns worth showing for runs of exp_id (0: all): param keys whose
 * values differ between runs, then metric keys, each at most max, from a
 * sample of the newest runs.  Free with names_free (db_metric.h).
 */
int	 db_runlist_columns(struct db *db, int64_t exp_id, size_t max,
	    char ***params, size_t *np, char ***metrics, size_t *nm,
	    struct wb_err *err);

/*
 * For nrun runs and the given keys: params[r * np + k] (new strings or
 * NULL) and metric last values metrics[r * nm + k] with has[r * nm + k].
 * The caller frees the param strings and the three arrays.
 */
int	 db_runlist_values(struct db *db, const int64_t *runs, size_t nrun,
	    char *const *pkeys, size_t np, char *const *mkeys, size_t nm,
	    char ***params, double **metrics, unsigned char **has,
	    struct wb_err *err);

#endif
