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

/*
 * The same runs, in the same order, streamed: fn(arg, id) for each until
 * it returns non-zero.  The statement is read as fn is called, so memory
 * stays flat however many runs match, and fn may run queries of its own.
 */
int	 db_query_runs_each(struct db *db, const struct query *q,
	    const struct q_order *o, int64_t exp_id,
	    int (*fn)(void *, int64_t), void *arg, struct wb_err *err);

/*
 * The param keys and the metric keys that at least one of those runs
 * has, each sorted by strcmp: the columns of a listing, known before its
 * first row.  Free each with names_free (db_metric.h).
 */
int	 db_query_run_keys(struct db *db, const struct query *q,
	    int64_t exp_id, char ***pkeys, size_t *np, char ***mkeys,
	    size_t *nm, struct wb_err *err);

/*
 * For other db_*.c statements (the UI's windowed run list): append q's
 * condition over runs r to sql as "(...)", its values as parameters
 * ?first, ?first+1 ... that db_query_bind binds.  *binds borrows from q
 * (keep q until the statement is done) and is freed with q_binds_free.
 */
struct q_binds;
struct strbuf;
struct db_stmt;
int	 db_query_where(struct db *db, const struct query *q, int first,
	    struct strbuf *sql, struct q_binds **binds, struct wb_err *err);
int	 db_query_bind(struct db_stmt *st, const struct q_binds *b);
void	 q_binds_free(struct q_binds *b);

#endif
