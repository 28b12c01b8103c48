/*
 * db_query: compiles a filter tree and an order list to SQL.  The SQL
 * text is built only from fixed fragments chosen by the tree's shape;
 * every key and value is a bound parameter, so no filter text can change
 * the statement.  The fragments call three SQL functions each store
 * provides (db_sqlite.c, data/schema-pg.sql): wb_like (case-sensitive
 * LIKE, as in MLflow), wb_regexp (pcre2 on SQLite) and wb_num (a text as
 * a number, or NULL when it is not one).
 */
#include "config.h"

#include "db_query.h"

#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "err.h"
#include "mem.h"
#include "query.h"
#include "strbuf.h"

struct bind {
	int		 is_num;
	double		 num;
	const char	*str;		/* borrowed from the tree */
};

struct qsql {
	struct strbuf	 sql;
	struct bind	*b;
	size_t		 n, cap;
	int		 oom;
	int		 first;		/* number of the first parameter */
	const char	*ilike;		/* the store's case-blind LIKE */
};

static void
add_bind(struct qsql *s, int is_num, double num, const char *str)
{
	struct bind	*nb;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		if ((nb = wb_reallocarray(s->b, s->cap, sizeof *nb)) == NULL) {
			s->oom = 1;
			return;
		}
		s->b = nb;
	}
	s->b[s->n].is_num = is_num;
	s->b[s->n].num = num;
	s->b[s->n].str = str;
	s->n++;
	/* Numbered, so the fragment can join a statement with its own. */
	strbuf_addf(&s->sql, "?%d", s->first + (int)s->n - 1);
}

static void
bind_value(struct qsql *s, const struct q_value *v, int as_num)
{
	add_bind(s, as_num && v->is_num, v->num, v->str);
}

static const char *
agg_col(enum q_agg a)
{
	switch (a) {
	case QG_MIN:
		return "min";
	case QG_MAX:
		return "max";
	case QG_FIRST:
		return "first";
	default:
		return "last";
	}
}

static const char *
attr_col(enum q_attr a)
{
	switch (a) {
	case QA_RUN_ID:
		return "r.uuid";
	case QA_RUN_NAME:
		return "r.name";
	case QA_STATUS:
		return "r.status";
	case QA_START:
		return "r.started_at";
	case QA_END:
		return "r.ended_at";
	case QA_EXPERIMENT:
		return "(SELECT name FROM experiments WHERE id = "
		    "r.experiment_id)";
	case QA_DELETED:	/* --order-by deleted: by when */
		return "r.deleted_at";
	case QA_PARENT:
		return "(SELECT name FROM runs pr WHERE pr.id = r.parent_id)";
	default:
		return "r.user";
	}
}

static void	emit_parent(struct qsql *, const struct q_node *);

static const char *
op_sql(enum q_op op)
{
	static const char *const s[] = { " = ", " != ", " < ", " <= ", " > ",
	    " >= " };
	return s[op];
}

/* "X op ?" for the value expression x, which is a number when numeric. */
static void
emit_test(struct qsql *s, const struct q_node *n, const char *x,
    int numeric)
{
	size_t	i;
	int	num;

	switch (n->op) {
	case QO_LIKE:
	case QO_NOT_LIKE:
		strbuf_adds(&s->sql, n->op == QO_LIKE ? "wb_like(" :
		    "NOT wb_like(");
		strbuf_adds(&s->sql, x);
		strbuf_adds(&s->sql, ", ");
		bind_value(s, &n->vals[0], 0);
		strbuf_adds(&s->sql, ")");
		return;
	case QO_ILIKE:
	case QO_NOT_ILIKE:
		strbuf_addf(&s->sql, "%s %s%s ", x, n->op == QO_ILIKE ? "" :
		    "NOT ", s->ilike);
		bind_value(s, &n->vals[0], 0);
		return;
	case QO_RX:
	case QO_NOT_RX:
		strbuf_adds(&s->sql, n->op == QO_RX ? "wb_regexp(" :
		    "NOT wb_regexp(");
		bind_value(s, &n->vals[0], 0);
		strbuf_adds(&s->sql, ", ");
		strbuf_adds(&s->sql, x);
		strbuf_adds(&s->sql, ")");
		return;
	case QO_IN:
	case QO_NOT_IN:
		strbuf_adds(&s->sql, x);
		strbuf_adds(&s->sql, n->op == QO_IN ? " IN (" : " NOT IN (");
		for (i = 0; i < n->nvals; i++) {
			if (i)
				strbuf_adds(&s->sql, ", ");
			bind_value(s, &n->vals[i], numeric);
		}
		strbuf_adds(&s->sql, ")");
		return;
	default:
		/* A number against a param or tag compares numerically. */
		num = numeric || n->vals[0].is_num;
		if (num && !numeric) {
			strbuf_adds(&s->sql, "wb_num(");
			strbuf_adds(&s->sql, x);
			strbuf_adds(&s->sql, ")");
		} else
			strbuf_adds(&s->sql, x);
		strbuf_adds(&s->sql, op_sql(n->op));
		bind_value(s, &n->vals[0], num);
		return;
	}
}

static void
emit(struct qsql *s, const struct q_node *n)
{
	switch (n->kind) {
	case Q_AND:
	case Q_OR:
		strbuf_adds(&s->sql, "(");
		emit(s, n->l);
		strbuf_adds(&s->sql, n->kind == Q_AND ? " AND " : " OR ");
		emit(s, n->r);
		strbuf_adds(&s->sql, ")");
		return;
	case Q_NOT:
		/* Comparisons may be NULL (no such key): NOT must be true. */
		strbuf_adds(&s->sql, "NOT coalesce(");
		emit(s, n->l);
		/* FALSE, not 0: PostgreSQL's booleans are not integers. */
		strbuf_adds(&s->sql, ", FALSE)");
		return;
	case Q_CMP:
		break;
	}
	switch (n->field) {
	case QF_METRIC:
		strbuf_adds(&s->sql, "r.id IN (SELECT run_id FROM "
		    "metric_summary WHERE key_id = (SELECT id FROM metric_keys "
		    "WHERE name = ");
		add_bind(s, 0, 0, n->key);
		strbuf_adds(&s->sql, ") AND ");
		emit_test(s, n, agg_col(n->agg), 1);
		strbuf_adds(&s->sql, ")");
		return;
	case QF_PARAM:
	case QF_TAG:
		/* IS NULL: the run has no such key. */
		if (n->op == QO_IS_NULL)
			strbuf_adds(&s->sql, "r.id NOT IN");
		else
			strbuf_adds(&s->sql, "r.id IN");
		strbuf_adds(&s->sql, n->field == QF_PARAM ?
		    " (SELECT run_id FROM params WHERE key = " :
		    " (SELECT run_id FROM tags WHERE key = ");
		add_bind(s, 0, 0, n->key);
		if (n->op != QO_IS_NULL && n->op != QO_IS_NOT_NULL) {
			strbuf_adds(&s->sql, " AND ");
			emit_test(s, n, "value", 0);
		}
		strbuf_adds(&s->sql, ")");
		return;
	case QF_DATASET:
		/* A data set the run used (its context is the input's role). */
		strbuf_adds(&s->sql, "r.id IN (SELECT i.run_id FROM run_inputs i"
		    " JOIN datasets d ON d.id = i.dataset_id WHERE ");
		emit_test(s, n, strcmp(n->key, "context") == 0 ? "i.role" :
		    strcmp(n->key, "digest") == 0 ? "d.digest" : "d.name", 0);
		strbuf_adds(&s->sql, ")");
		return;
	case QF_ATTR:
		if (n->attr == QA_DELETED) {
			strbuf_adds(&s->sql, (n->op == QO_EQ) ==
			    (n->vals[0].num != 0) ? RUN_DELETED_SQL :
			    RUN_LIVE_SQL);
			return;
		}
		if (n->attr == QA_PARENT) {
			emit_parent(s, n);
			return;
		}
		strbuf_adds(&s->sql, "coalesce(");
		emit_test(s, n, attr_col(n->attr), n->attr == QA_START ||
		    n->attr == QA_END);
		strbuf_adds(&s->sql, ", FALSE)");
		return;
	}
}

static int
not_null_attr(const struct q_order_item *it)
{
	return it->field == QF_ATTR && (it->attr == QA_RUN_ID ||
	    it->attr == QA_RUN_NAME || it->attr == QA_STATUS);
}

/*
 * parent = 'X': the run's parent has UUID X or is named X.  The negated
 * forms are NOT of the positive one, so that != and NOT IN also match
 * top-level runs (which have no parent to compare).
 */
static void
emit_parent(struct qsql *s, const struct q_node *n)
{
	struct q_node	m = *n;

	if (n->op == QO_IS_NULL || n->op == QO_IS_NOT_NULL) {
		strbuf_adds(&s->sql, n->op == QO_IS_NULL ?
		    "r.parent_id IS NULL" : "r.parent_id IS NOT NULL");
		return;
	}
	m.op = n->op == QO_NE ? QO_EQ : n->op == QO_NOT_IN ? QO_IN : n->op;
	if (m.op != n->op)
		strbuf_adds(&s->sql, "NOT ");
	strbuf_adds(&s->sql, "coalesce(r.parent_id IN (SELECT pr.id FROM runs"
	    " pr WHERE ");
	emit_test(s, &m, "pr.uuid", 0);
	strbuf_adds(&s->sql, " OR ");
	emit_test(s, &m, "pr.name", 0);
	strbuf_adds(&s->sql, "), FALSE)");
}

/* " AND <which runs>" for q's scope, unless its tree names deleted. */
static void
emit_scope(struct strbuf *sql, const struct query *q)
{
	enum q_scope	sc = q != NULL ? q->scope : QS_LIVE;

	if (q != NULL && q->names_deleted)
		return;
	if (sc == QS_LIVE)
		strbuf_adds(sql, " AND " RUN_LIVE_SQL);
	else if (sc == QS_DELETED)
		strbuf_adds(sql, " AND " RUN_DELETED_SQL);
}

static void
emit_order(struct qsql *s, const struct q_order *o)
{
	const struct q_order_item	*it;
	size_t				 i;
	int				 k;

	for (i = 0; i < o->n; i++) {
		it = &o->items[i];
		/*
		 * Runs without the value go last either way (MLflow).  A
		 * NOT NULL column needs no "IS NULL" term, and without one
		 * an index on the column (runs_name) serves the order: the
		 * first row comes without sorting every run.
		 */
		for (k = not_null_attr(it) ? 1 : 0; k < 2; k++) {
			switch (it->field) {
			case QF_METRIC:
				strbuf_addf(&s->sql, "(SELECT %s FROM "
				    "metric_summary WHERE run_id = r.id AND "
				    "key_id = (SELECT id FROM metric_keys WHERE "
				    "name = ", agg_col(it->agg));
				add_bind(s, 0, 0, it->key);
				strbuf_adds(&s->sql, "))");
				break;
			case QF_PARAM:
			case QF_TAG:
				strbuf_addf(&s->sql, "(SELECT coalesce(wb_num("
				    "value), value) FROM %s WHERE run_id = r.id "
				    "AND key = ", it->field == QF_PARAM ?
				    "params" : "tags");
				add_bind(s, 0, 0, it->key);
				strbuf_adds(&s->sql, ")");
				break;
			case QF_ATTR:
				strbuf_adds(&s->sql, attr_col(it->attr));
				break;
			case QF_DATASET:	/* refused by the parser */
				strbuf_adds(&s->sql, "NULL");
				break;
			}
			strbuf_adds(&s->sql, k == 0 ? " IS NULL, " :
			    it->desc ? " DESC, " : " ASC, ");
		}
	}
}

/* Bind s's values to st; WB_OK or WB_EDB. */
static int
bind_all(struct db_stmt *st, const struct qsql *s)
{
	size_t	i;
	int	src = 0, k;

	for (i = 0; i < s->n && src == 0; i++) {
		k = s->first + (int)i;
		if (s->b[i].str == NULL)
			src = db_bind_int64(st, k, (int64_t)s->b[i].num);
		else if (s->b[i].is_num)
			src = db_bind_double(st, k, s->b[i].num);
		else
			src = db_bind_text(st, k, s->b[i].str);
	}
	return src == 0 ? WB_OK : WB_EDB;
}

struct q_binds {
	struct qsql	s;
};

int
db_query_where(struct db *db, const struct query *q, int first,
    struct strbuf *sql, struct q_binds **out, struct wb_err *err)
{
	struct q_binds	*b;

	*out = NULL;
	if ((b = wb_calloc(1, sizeof *b)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	b->s.first = first;
	b->s.ilike = db->ops->ilike;
	if (q != NULL && q->root != NULL)
		emit(&b->s, q->root);
	else
		strbuf_adds(&b->s.sql, "TRUE");
	emit_scope(&b->s.sql, q);
	if (b->s.oom || b->s.sql.oom || strbuf_add(sql, "(", 1) != 0 ||
	    strbuf_adds(sql, strbuf_str(&b->s.sql)) != 0 ||
	    strbuf_add(sql, ")", 1) != 0) {
		q_binds_free(b);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	*out = b;
	return WB_OK;
}

int
db_query_bind(struct db_stmt *st, const struct q_binds *b)
{
	if (b == NULL)
		return WB_OK;
	return bind_all(st, &b->s);
}

void
q_binds_free(struct q_binds *b)
{
	if (b == NULL)
		return;
	wb_free(b->s.b);
	strbuf_free(&b->s.sql);
	wb_free(b);
}

/*
 * " FROM <from> JOIN experiments e ... WHERE <cond><exp_id> AND <q>" into
 * s; from names the runs "r", cond is "" or ends in " AND ".
 */
static void
runs_from_where(struct qsql *s, struct db *db, const struct query *q,
    int64_t exp_id, const char *from, const char *cond)
{
	s->first = 1;
	s->ilike = db->ops->ilike;
	strbuf_addf(&s->sql, " FROM %s JOIN experiments e ON "
	    "e.id = r.experiment_id WHERE %s", from, cond);
	if (exp_id != 0) {
		strbuf_adds(&s->sql, "r.experiment_id = ");
		add_bind(s, 1, (double)exp_id, NULL);
		strbuf_adds(&s->sql, " AND ");
	}
	if (q != NULL && q->root != NULL)
		emit(s, q->root);
	else
		strbuf_adds(&s->sql, "TRUE");
	emit_scope(&s->sql, q);
}

int
db_query_runs_each(struct db *db, const struct query *q,
    const struct q_order *o, int64_t exp_id,
    int (*fn)(void *, int64_t), void *arg, struct wb_err *err)
{
	struct qsql	 s;
	struct db_stmt *st = NULL;
	int		 rc, src;

	memset(&s, 0, sizeof s);
	strbuf_adds(&s.sql, "SELECT r.id");
	runs_from_where(&s, db, q, exp_id, "runs r", "");
	strbuf_adds(&s.sql, " ORDER BY ");
	if (o != NULL)
		emit_order(&s, o);
	strbuf_adds(&s.sql, "e.name, coalesce(r.started_at, r.created_at), "
	    "r.id");
	if (s.oom || s.sql.oom) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	/* Not a cached statement: fn may query (the run's params). */
	if ((st = db_prepare_once(db, strbuf_str(&s.sql), err)) == NULL) {
		rc = WB_EDB;
		goto out;
	}
	if (bind_all(st, &s) != WB_OK) {
		rc = db_sqlerr(db, err);
		goto out;
	}
	while ((src = db_step(st)) == DB_ROW)
		if (fn(arg, db_column_int64(st, 0)) != 0) {
			rc = WB_OK;
			goto out;
		}
	rc = src == DB_DONE ? WB_OK : db_sqlerr(db, err);
out:
	db_finalize(st);
	wb_free(s.b);
	strbuf_free(&s.sql);
	return rc;
}

struct id_vec {
	int64_t	*v;
	size_t	 n, cap;
	int	 oom;
};

static int
id_vec_add(void *arg, int64_t id)
{
	struct id_vec	*iv = arg;
	int64_t		*nv;
	size_t		 cap;

	if (iv->n == iv->cap) {
		cap = iv->cap ? iv->cap * 2 : 256;
		if ((nv = wb_reallocarray(iv->v, cap, sizeof *nv)) == NULL) {
			iv->oom = 1;
			return 1;
		}
		iv->v = nv;
		iv->cap = cap;
	}
	iv->v[iv->n++] = id;
	return 0;
}

int
db_query_runs(struct db *db, const struct query *q, const struct q_order *o,
    int64_t exp_id, int64_t **ids, size_t *n, struct wb_err *err)
{
	struct id_vec	iv;
	int		rc;

	memset(&iv, 0, sizeof iv);
	*ids = NULL;
	*n = 0;
	rc = db_query_runs_each(db, q, o, exp_id, id_vec_add, &iv, err);
	if (rc == WB_OK && iv.oom)
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	if (rc != WB_OK) {
		wb_free(iv.v);
		return rc;
	}
	*ids = iv.v;
	*n = iv.n;
	return WB_OK;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The keys of one statement whose first column is a key, sorted by
 * strcmp (a PostgreSQL collation may order them differently).
 */
static int
keys_of(struct db *db, const char *head, const char *from, const char *cond,
    const struct query *q, int64_t exp_id, char ***keys, size_t *nkeys,
    struct wb_err *err)
{
	struct qsql	 s;
	struct db_stmt *st = NULL;
	char		**v = NULL, **nv, *k;
	size_t		 n = 0, i;
	int		 rc, src;

	memset(&s, 0, sizeof s);
	strbuf_adds(&s.sql, head);
	strbuf_adds(&s.sql, " AND EXISTS (SELECT 1");
	runs_from_where(&s, db, q, exp_id, from, cond);
	strbuf_adds(&s.sql, ")");
	if (s.oom || s.sql.oom) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((st = db_prepare_once(db, strbuf_str(&s.sql), err)) == NULL) {
		rc = WB_EDB;
		goto out;
	}
	if (bind_all(st, &s) != WB_OK) {
		rc = db_sqlerr(db, err);
		goto out;
	}
	while ((src = db_step(st)) == DB_ROW) {
		if ((nv = wb_reallocarray(v, n + 1, sizeof *v)) == NULL ||
		    (k = wb_strdup(db_column_text(st, 0))) == NULL) {
			if (nv != NULL)
				v = nv;
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
		v = nv;
		v[n++] = k;
	}
	if (src != DB_DONE) {
		rc = db_sqlerr(db, err);
		goto out;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, name_cmp);
	*keys = v;
	*nkeys = n;
	v = NULL;
	n = 0;
	rc = WB_OK;
out:
	for (i = 0; i < n; i++)
		wb_free(v[i]);
	wb_free(v);
	db_finalize(st);
	wb_free(s.b);
	strbuf_free(&s.sql);
	return rc;
}

int
db_query_run_keys(struct db *db, const struct query *q, int64_t exp_id,
    char ***pkeys, size_t *np, char ***mkeys, size_t *nm,
    struct wb_err *err)
{
	/*
	 * Param keys by a loose index scan of params(key, value): one
	 * index seek per distinct key instead of reading every param row
	 * (5,000,000 at 1,000,000 runs).  Each key is then kept when one
	 * matching run has it, which on an unfiltered list is the first
	 * row looked at.
	 */
	static const char phead[] = "WITH RECURSIVE wbk(key) AS ("
	    "SELECT min(key) FROM params UNION ALL "
	    "SELECT (SELECT min(wbp.key) FROM params wbp "
	    "WHERE wbp.key > wbk.key) FROM wbk WHERE wbk.key IS NOT NULL) "
	    "SELECT wbk.key FROM wbk WHERE wbk.key IS NOT NULL";
	static const char mhead[] = "SELECT wbm.name FROM metric_keys wbm "
	    "WHERE 1 = 1";
	size_t	i;
	int	rc;

	*pkeys = *mkeys = NULL;
	*np = *nm = 0;
	if ((rc = keys_of(db, phead,
	    "params wbq JOIN runs r ON r.id = wbq.run_id",
	    "wbq.key = wbk.key AND ", q, exp_id, pkeys, np, err)) !=
	    WB_OK)
		return rc;
	if ((rc = keys_of(db, mhead,
	    "metric_summary wbs JOIN runs r ON r.id = wbs.run_id",
	    "wbs.key_id = wbm.id AND ", q, exp_id, mkeys, nm, err)) !=
	    WB_OK) {
		for (i = 0; i < *np; i++)
			wb_free((*pkeys)[i]);
		wb_free(*pkeys);
		*pkeys = NULL;
		*np = 0;
	}
	return rc;
}
