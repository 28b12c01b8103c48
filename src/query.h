/*
 * query: the run filter language (MLflow's search_runs syntax plus OR,
 * NOT, parentheses, regex match and metric aggregates) and --order-by
 * lists, parsed into trees.  No SQL here: src/db_query.c compiles a tree
 * to a statement with bound parameters.  See doc/query.md.
 */
#ifndef WB_QUERY_H
#define WB_QUERY_H

#include <stddef.h>

struct wb_err;

enum q_kind { Q_AND, Q_OR, Q_NOT, Q_CMP };
/* QF_DATASET: a data set the run used (key name, digest or context). */
enum q_field { QF_METRIC, QF_PARAM, QF_TAG, QF_ATTR, QF_DATASET };
enum q_attr {
	QA_NONE, QA_RUN_ID, QA_RUN_NAME, QA_STATUS, QA_START, QA_END,
	QA_EXPERIMENT, QA_USER,
	QA_DELETED,	/* deleted = true|false (soft delete, db_life.h) */
	QA_PARENT	/* parent = 'UUID or name' (nested runs) */
};
/* Which summary of a metric: the last value unless .min etc is given. */
enum q_agg { QG_LAST, QG_MIN, QG_MAX, QG_FIRST };
enum q_op {
	QO_EQ, QO_NE, QO_LT, QO_LE, QO_GT, QO_GE, QO_LIKE, QO_ILIKE,
	QO_NOT_LIKE, QO_NOT_ILIKE, QO_RX, QO_NOT_RX, QO_IN, QO_NOT_IN,
	QO_IS_NULL, QO_IS_NOT_NULL	/* params and tags; no value */
};

struct q_value {
	int	 is_num;
	double	 num;
	char	*str;		/* the text (the lexeme for numbers) */
};

struct q_node {
	enum q_kind	 kind;
	struct q_node	*l, *r;		/* AND/OR: both; NOT: l */
	enum q_field	 field;		/* Q_CMP from here on */
	enum q_attr	 attr;
	enum q_agg	 agg;
	char		*key;		/* metric/param/tag key */
	enum q_op	 op;
	struct q_value	*vals;		/* 1, the IN list, or none (IS NULL) */
	size_t		 nvals;
	int		 col;		/* 1-based column of the field */
};

/*
 * Which runs a filter looks at when it does not name `deleted` itself:
 * the live ones (the default), only the deleted ones (runs ls --deleted)
 * or all (--all).  A filter that names `deleted` decides alone.
 */
enum q_scope { QS_LIVE, QS_DELETED, QS_ALL };

/* A parsed filter; root is NULL for an empty (match-all) filter. */
struct query {
	struct q_node	*root;
	enum q_scope	 scope;		/* QS_LIVE unless the caller sets it */
	int		 names_deleted;	/* the tree tests QA_DELETED */
};

struct q_order_item {
	enum q_field	 field;
	enum q_attr	 attr;
	enum q_agg	 agg;
	char		*key;
	int		 desc;
};

struct q_order {
	struct q_order_item	*items;
	size_t			 n;
};

/*
 * Parse filter text.  On success *out is the caller's (query_free).  A bad
 * filter gives WB_EPARSE and a message "filter:LINE:COL: reason" followed
 * by the offending line and a caret under the token.  Regexes are
 * compiled here once to check them.
 */
int	 query_parse(const char *src, struct query **out, struct wb_err *err);
void	 query_free(struct query *q);

/*
 * Parse "metrics.val_loss ASC, start_time DESC" (direction defaults to
 * ASC).  Errors as query_parse, prefixed "order-by:".  Free with
 * query_order_free.
 */
int	 query_order_parse(const char *src, struct q_order **out,
	    struct wb_err *err);
void	 query_order_free(struct q_order *o);

/*
 * 1 if text reads as a filter (has a comparison operator or keyword such
 * as =, <, ~, LIKE, IN), 0 if it is plain text for a substring search.
 */
int	 query_looks_like_filter(const char *text);

/* "metrics", "params", "tags", "attributes", "dataset": for messages. */
const char *query_field_name(enum q_field f);

#endif
