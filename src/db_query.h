/*
 * db_query: runs matching a parsed filter (src/query.h), compiled to one
 * SQL statement whose values are all bound parameters.
 */
#ifndef WB_DB_QUERY_H
#define WB_DB_QUERY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;
struct query;
struct q_order;

/*
 * The ids of the runs of experiment exp_id (all when 0) matching q (all
 * when q or q->root is NULL), sorted by o (NULL: by experiment name and
 * start time, like runs ls).  *ids is the caller's to free (wb_free).
 */
int	 db_query_runs(struct db *db, const struct query *q,
	    const struct q_order *o, int64_t exp_id, int64_t **ids, size_t *n,
	    struct wb_err *err);

#endif
