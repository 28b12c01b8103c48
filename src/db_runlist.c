/*
 * db_runlist: windowed, filtered, sorted run lists.  The SQL text varies
 * with the sort and the filter, so it is assembled from fixed fragments
 * here (never from data: keys and filter text are bound) and prepared per
 * call; a call is one window of a screen, not a hot loop.
 */
#include "config.h"

#include "db_runlist.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "db_metric.h"
#include "db_query.h"
#include "db_textidx.h"
#include "err.h"
#include "mem.h"
#include "query.h"
#include "strbuf.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/*
 * A filter as the statement needs it: plain text is a LIKE pattern bound
 * to ?2; text that reads as a filter expression (query_looks_like_filter)
 * is parsed and compiled by db_query.c with its values from ?6 on.
 */
struct where {
	struct query	*q;
	struct q_binds	*b;
	int		 ti;	/* how plain text is found: TI_* below */
};

#define WHERE_FIRST_BIND 6	/* ?1-?5: experiment, pattern, key, limit, offset */

/* A row's deleted flag and its live children (for the tree, issue 15). */
#define ROW_DELETED	"(CASE WHEN " RUN_DELETED_SQL " THEN 1 ELSE 0 END)"
#define ROW_NKIDS	"(SELECT count(*) FROM runs k WHERE k.parent_id ="\
	" r.id AND k.deleted_at IS NULL)"

static int
is_expr(const struct runlist_query *q)
{
	return q->filter != NULL && q->filter[0] != '\0' &&
	    query_looks_like_filter(q->filter);
}

/*
 * Whether q's plain-text filter goes through the text index: it exists
 * and the filter has the three characters a trigram needs.  TI_FTS: the
 * SQLite FTS5 index; TI_TRGM: PostgreSQL's pg_trgm indexes, which serve
 * the scan's own conditions once each table is asked on its own.
 */
enum { TI_SCAN, TI_FTS, TI_TRGM };

static int
text_indexed(struct db *db, const struct runlist_query *q)
{
	char	*m;
	int	 narrow;

	if (!db_textidx_usable(db, NULL, 0) ||
	    (m = db_textidx_match(q->filter)) == NULL)
		return TI_SCAN;
	if (db->ops != &db_sqlite_ops) {
		wb_free(m);
		return TI_TRGM;
	}
	/*
	 * Text most runs hold (`run`) makes as many candidates, each
	 * checked by a lookup: there the scan, which stops at the name, is
	 * the faster (1.5 s against 5.6 s for 1,000,000 candidates).
	 */
	narrow = db_textidx_narrow(db, m);
	wb_free(m);
	return narrow ? TI_FTS : TI_SCAN;
}

/*
 * The WHERE clause for q, over runs r.  The one place that decides what a
 * filter means.  A bad expression fails with query_parse's message.
 */
static int
runlist_where(struct db *db, const struct runlist_query *q, struct strbuf *sql,
    struct where *w, struct wb_err *err)
{
	int	rc;

	memset(w, 0, sizeof *w);
	strbuf_adds(sql, " WHERE (?1 = 0 OR r.experiment_id = ?1)");
	if (is_expr(q)) {
		if ((rc = query_parse(q->filter, &w->q, err)) != WB_OK)
			return rc;
		w->q->scope = q->scope;
		strbuf_adds(sql, " AND ");
		if ((rc = db_query_where(db, w->q, WHERE_FIRST_BIND, sql, &w->b,
		    err)) != WB_OK) {
			query_free(w->q);
			w->q = NULL;
			return rc;
		}
	} else if (q->filter != NULL && q->filter[0] != '\0' &&
	    (w->ti = text_indexed(db, q)) == TI_TRGM) {
		const char	*lk = db->ops->ilike;

		/* A union, so that each table is read by its index. */
		strbuf_addf(sql, " AND r.id IN (SELECT n.id FROM runs n WHERE"
		    " n.name %s ?2 ESCAPE '\\'"
		    " UNION SELECT p.run_id FROM params p WHERE"
		    "  p.key %s ?2 ESCAPE '\\' OR p.value %s ?2 ESCAPE '\\'"
		    " UNION SELECT t.run_id FROM tags t WHERE"
		    "  t.key %s ?2 ESCAPE '\\' OR t.value %s ?2"
		    "  ESCAPE '\\')", lk, lk, lk, lk, lk);
	} else if (w->ti == TI_FTS) {
		/*
		 * The rows of the text index holding the filter's trigrams,
		 * each checked with the scan's own LIKE (db_textidx.c).
		 */
		strbuf_adds(sql, " AND r.id IN (SELECT x.run_id FROM run_fts"
		    " JOIN run_text x ON x.id = run_fts.rowid WHERE run_fts"
		    " MATCH ?6 AND (x.k LIKE ?2 ESCAPE '\\' OR x.v LIKE ?2"
		    " ESCAPE '\\'))");
	} else if (q->filter != NULL && q->filter[0] != '\0') {
		const char	*lk = db->ops->ilike;	/* ASCII case-blind */

		/*
		 * Uncorrelated IN lists: each table is scanned once into a
		 * set, not probed once per run (at 1,000,000 runs a third
		 * less time than EXISTS per run).
		 */
		strbuf_addf(sql, " AND (r.name %s ?2 ESCAPE '\\'"
		    " OR r.id IN (SELECT p.run_id FROM params p WHERE"
		    "  p.key %s ?2 ESCAPE '\\' OR p.value %s ?2"
		    "  ESCAPE '\\')"
		    " OR r.id IN (SELECT t.run_id FROM tags t WHERE"
		    "  t.key %s ?2 ESCAPE '\\' OR t.value %s ?2"
		    "  ESCAPE '\\'))", lk, lk, lk, lk, lk);
	}
	/* Folded: a live parent stands for its children (no filter). */
	if (q->fold && (q->filter == NULL || q->filter[0] == '\0'))
		strbuf_adds(sql, " AND (r.parent_id IS NULL OR r.parent_id IN"
		    " (SELECT fp.id FROM runs fp WHERE fp.deleted_at IS NOT"
		    " NULL))");
	/* An expression's scope is its own (db_query_where adds it). */
	if (w->q == NULL && q->scope == QS_LIVE)
		strbuf_adds(sql, " AND " RUN_LIVE_SQL);
	else if (w->q == NULL && q->scope == QS_DELETED)
		strbuf_adds(sql, " AND " RUN_DELETED_SQL);
	return WB_OK;
}

static void
where_free(struct where *w)
{
	q_binds_free(w->b);
	query_free(w->q);
	memset(w, 0, sizeof *w);
}

/*
 * An expression filter over many runs costs one evaluation of its
 * subqueries (tens of ms at 100,000 runs); the runs screen asks for the
 * count and then a window, and again on every move outside the window.
 * The cache keeps the matching ids in order for one query and one state
 * of the data (PRAGMA data_version for other connections' commits,
 * db_total_changes for this one's).
 */
struct runlist_cache {
	char			*filter, *sort_key;
	int64_t			 exp_id;
	enum runlist_sort	 sort;
	int			 desc;
	enum q_scope		 scope;
	int			 fold;
	int64_t			 version, changes;
	int			 valid;
	int64_t			*ids;
	size_t			 n;
};

struct runlist_cache *
runlist_cache_new(void)
{
	return wb_calloc(1, sizeof(struct runlist_cache));
}

static void
cache_clear(struct runlist_cache *c)
{
	wb_free(c->filter);
	wb_free(c->sort_key);
	wb_free(c->ids);
	c->filter = c->sort_key = NULL;
	c->ids = NULL;
	c->n = 0;
	c->valid = 0;
}

void
runlist_cache_free(struct runlist_cache *c)
{
	if (c == NULL)
		return;
	cache_clear(c);
	wb_free(c);
}

static int
str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0);
}

/*
 * Sorting by a metric walks the index metric_summary_key (key_id, last,
 * and run_id after them) in two parts: the runs that have a value, in
 * index order, then the runs that lack one, by id.  One statement that
 * put the runs without a value last with (sm.last IS NULL) made SQLite
 * sort every matching run on each key press: 3.1 s at 1,000,000 runs.
 * Other sorts are one part.
 */
enum part { PART_ALL, PART_HAS, PART_LACKS };
/* What a statement selects. */
enum sel { SEL_ROWS, SEL_IDS, SEL_COUNT };

static int	page_sql(struct db *, const struct runlist_query *, enum sel,
		    enum part, int64_t, int64_t, struct db_stmt **,
		    struct wb_err *);

/* Append the ids of one part of q, in order, to q->cache. */
static int
cache_ids(struct db *db, const struct runlist_query *q, enum part part,
    struct wb_err *err)
{
	struct runlist_cache	*c = q->cache;
	struct db_stmt		*st;
	int64_t			*nv;
	size_t			 cap = c->n;
	int			 rc;

	if ((rc = page_sql(db, q, SEL_IDS, part, -1, 0, &st, err)) != WB_OK)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (c->n == cap) {
			cap = cap ? cap * 2 : 1024;
			if ((nv = wb_reallocarray(c->ids, cap, sizeof *nv)) ==
			    NULL) {
				db_finalize(st);
				return oom(err);
			}
			c->ids = nv;
		}
		c->ids[c->n++] = db_column_int64(st, 0);
	}
	db_finalize(st);
	return rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

/* q->cache holding q's matches in order, computed if need be. */
static int
cache_fill(struct db *db, const struct runlist_query *q, struct wb_err *err)
{
	struct runlist_cache	*c = q->cache;
	int64_t			 ver;
	int			 rc;

	if ((rc = db_data_version(db, &ver, err)) != WB_OK)
		return rc;
	if (c->valid && c->version == ver && c->changes ==
	    (int64_t)db_total_changes(db) && c->exp_id == q->exp_id &&
	    c->sort == q->sort && c->desc == q->desc && c->scope == q->scope &&
	    c->fold == q->fold &&
	    str_eq(c->filter, q->filter) && str_eq(c->sort_key, q->sort_key))
		return WB_OK;
	cache_clear(c);
	rc = cache_ids(db, q, q->sort == RL_SORT_METRIC ? PART_HAS : PART_ALL,
	    err);
	if (rc == WB_OK && q->sort == RL_SORT_METRIC)
		rc = cache_ids(db, q, PART_LACKS, err);
	if (rc != WB_OK) {
		cache_clear(c);
		return rc;
	}
	if ((q->filter && (c->filter = wb_strdup(q->filter)) == NULL) ||
	    (q->sort_key && (c->sort_key = wb_strdup(q->sort_key)) == NULL)) {
		cache_clear(c);
		return oom(err);
	}
	c->exp_id = q->exp_id;
	c->scope = q->scope;
	c->fold = q->fold;
	c->sort = q->sort;
	c->desc = q->desc;
	c->version = ver;
	c->changes = (int64_t)db_total_changes(db);
	c->valid = 1;
	return WB_OK;
}

/* '%text%' with LIKE's own characters escaped. */
static char *
like_pattern(const char *s)
{
	struct strbuf	sb = STRBUF_INIT;

	strbuf_addc(&sb, '%');
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			strbuf_addc(&sb, '\\');
		strbuf_addc(&sb, *s);
	}
	strbuf_addc(&sb, '%');
	return strbuf_detach(&sb);
}

static int
prepare(struct db *db, const struct runlist_query *q, const struct where *w,
    const char *sql, struct db_stmt **st, struct wb_err *err)
{
	char	*pat;

	if ((*st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(*st, 1, q->exp_id);
	if (w->b != NULL && db_query_bind(*st, w->b) != WB_OK) {
		db_finalize(*st);
		return db_sqlerr(db, err);
	}
	if (w->b == NULL && q->filter != NULL && q->filter[0] != '\0') {
		if ((pat = like_pattern(q->filter)) == NULL) {
			db_finalize(*st);
			return oom(err);
		}
		db_bind_text(*st, 2, pat);
		wb_free(pat);
		if (w->ti == TI_FTS) {
			if ((pat = db_textidx_match(q->filter)) == NULL) {
				db_finalize(*st);
				return oom(err);
			}
			db_bind_text(*st, 6, pat);
			wb_free(pat);
		}
	}
	return WB_OK;
}

int
db_runlist_count(struct db *db, const struct runlist_query *q, int64_t *n,
    struct wb_err *err)
{
	struct strbuf	 sql = STRBUF_INIT;
	struct where	 w;
	struct db_stmt *st;
	int		 rc;

	if (q->cache != NULL && is_expr(q)) {
		if ((rc = cache_fill(db, q, err)) != WB_OK)
			return rc;
		*n = (int64_t)q->cache->n;
		return WB_OK;
	}
	strbuf_adds(&sql, "SELECT count(*) FROM runs r");
	if ((rc = runlist_where(db, q, &sql, &w, err)) != WB_OK) {
		strbuf_free(&sql);
		return rc;
	}
	if (sql.oom) {
		strbuf_free(&sql);
		where_free(&w);
		return oom(err);
	}
	rc = prepare(db, q, &w, sql.s, &st, err);
	strbuf_free(&sql);
	if (rc != WB_OK) {
		where_free(&w);
		return rc;
	}
	if (db_step(st) != DB_ROW) {
		rc = db_sqlerr(db, err);
		db_finalize(st);
		where_free(&w);
		return rc;
	}
	*n = db_column_int64(st, 0);
	db_finalize(st);
	where_free(&w);
	return WB_OK;
}

void
runlist_rows_free(struct runlist_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		wb_free(rows[i].name);
		wb_free(rows[i].experiment);
		wb_free(rows[i].status);
	}
	wb_free(rows);
}

/* The metric's key id, for the parts of a metric sort. */
#define SORT_KEY_ID	"(SELECT id FROM metric_keys WHERE name = ?3)"

/*
 * Every run of every experiment: no filter, no experiment, and no run
 * hidden as deleted (the partial index runs_deleted answers that at
 * once).  An error only costs the fast path.
 */
static int
whole(struct db *db, const struct runlist_query *q)
{
	static const char	 sql[] = "SELECT EXISTS (SELECT 1 FROM runs"
	    " WHERE deleted_at IS NOT NULL) OR EXISTS (SELECT 1 FROM"
	    " experiments WHERE deleted_at IS NOT NULL)";
	/* Folded, children are hidden: runs_parent answers at once. */
	static const char	 nest[] = "SELECT EXISTS (SELECT 1 FROM runs"
	    " WHERE parent_id IS NOT NULL)";
	struct db_stmt		*st;
	int			 none;

	if (q->exp_id != 0 || (q->filter != NULL && q->filter[0] != '\0') ||
	    q->scope == QS_DELETED)
		return 0;
	if (q->fold) {
		if ((st = db_prepare(db, nest, NULL)) == NULL)
			return 0;
		none = db_step(st) == DB_ROW && db_column_int64(st, 0) == 0;
		db_reset(st);
		if (!none)
			return 0;
	}
	if (q->scope == QS_ALL)
		return 1;
	if ((st = db_prepare(db, sql, NULL)) == NULL)
		return 0;
	none = db_step(st) == DB_ROW && db_column_int64(st, 0) == 0;
	db_reset(st);
	return none;
}

/*
 * Prepare the statement for one part of q: rows [offset, offset + limit)
 * in sort order (limit -1: all), or only their ids, or their count.
 */
static int
page_sql(struct db *db, const struct runlist_query *q, enum sel what,
    enum part part, int64_t limit, int64_t offset, struct db_stmt **out,
    struct wb_err *err)
{
	struct strbuf		 sql = STRBUF_INIT;
	struct where		 w;
	struct db_stmt		*st;
	const char		*dir = q->desc ? " DESC" : " ASC";
	int			 rc;

	*out = NULL;
	if (part == PART_HAS && what != SEL_ROWS && whole(db, q)) {
		/*
		 * Over every run the index alone answers: joining runs to
		 * test the filter costs a row lookup per run skipped (4-9 s
		 * to reach the last page of 1,000,000 runs).  ?1 is there
		 * only because every statement binds it.
		 */
		strbuf_adds(&sql, what == SEL_COUNT ? "SELECT count(*)" :
		    "SELECT sm.run_id");
		strbuf_adds(&sql, " FROM metric_summary sm WHERE ?1 = 0 AND"
		    " sm.key_id = " SORT_KEY_ID " AND sm.last IS NOT NULL");
		if (what != SEL_COUNT)
			strbuf_addf(&sql, " ORDER BY sm.last%s, sm.run_id%s"
			    " LIMIT ?4 OFFSET ?5", dir, dir);
		memset(&w, 0, sizeof w);
		goto prepare;
	}
	strbuf_adds(&sql, what == SEL_COUNT ? "SELECT count(*)" :
	    what == SEL_IDS ? "SELECT r.id" : "SELECT r.id, r.uuid, r.name,"
	    " e.name, r.status, r.started_at, r.ended_at, " ROW_DELETED ", "
	    ROW_NKIDS ", r.parent_id");
	strbuf_adds(&sql, part == PART_HAS ? " FROM metric_summary sm JOIN"
	    " runs r ON r.id = sm.run_id" : " FROM runs r");
	if (what != SEL_COUNT)
		strbuf_adds(&sql, " JOIN experiments e ON"
		    " e.id = r.experiment_id");
	if (q->sort == RL_SORT_PARAM && what != SEL_COUNT)
		strbuf_adds(&sql, " LEFT JOIN params sp ON sp.run_id = r.id"
		    " AND sp.key = ?3");
	if ((rc = runlist_where(db, q, &sql, &w, err)) != WB_OK) {
		strbuf_free(&sql);
		return rc;
	}
	if (part == PART_HAS)
		strbuf_adds(&sql, " AND sm.key_id = " SORT_KEY_ID
		    " AND sm.last IS NOT NULL");
	else if (part == PART_LACKS)
		strbuf_adds(&sql, " AND NOT EXISTS (SELECT 1 FROM"
		    " metric_summary sm WHERE sm.run_id = r.id AND sm.key_id = "
		    SORT_KEY_ID " AND sm.last IS NOT NULL)");
	if (what != SEL_COUNT) {
		strbuf_adds(&sql, " ORDER BY ");
		switch (q->sort) {
		case RL_SORT_NAME:
			strbuf_addf(&sql, "r.name COLLATE NATSORT%s, ", dir);
			break;
		case RL_SORT_STATUS:
			strbuf_addf(&sql, "r.status%s, ", dir);
			break;
		case RL_SORT_DURATION:
			strbuf_addf(&sql, "(r.ended_at IS NULL), coalesce("
			    "r.ended_at - r.started_at, 0)%s, ", dir);
			break;
		case RL_SORT_EXPERIMENT:
			strbuf_addf(&sql, "e.name%s, ", dir);
			break;
		case RL_SORT_PARAM:
			/* Numbers as numbers, then text; runs without it last. */
			strbuf_addf(&sql, "(sp.value IS NULL), (sp.value GLOB"
			    " '*[^0-9.eE+-]*' OR sp.value = ''),"
			    " CAST(sp.value AS REAL)%s, sp.value%s, ", dir,
			    dir);
			break;
		case RL_SORT_METRIC:
			/* Index order: (key_id, last, run_id). */
			if (part == PART_HAS)
				strbuf_addf(&sql, "sm.last%s, sm.run_id%s"
				    " LIMIT ?4 OFFSET ?5", dir, dir);
			break;
		case RL_SORT_STARTED:
		default:
			strbuf_addf(&sql, "coalesce(r.started_at,"
			    " r.created_at)%s, ", dir);
			break;
		}
		if (part != PART_HAS)
			strbuf_addf(&sql, "r.id%s LIMIT ?4 OFFSET ?5", dir);
	}
prepare:
	if (sql.oom) {
		strbuf_free(&sql);
		where_free(&w);
		return oom(err);
	}
	rc = prepare(db, q, &w, sql.s, &st, err);
	strbuf_free(&sql);
	/* The values are bound (copied): the tree can go. */
	where_free(&w);
	if (rc != WB_OK)
		return rc;
	/* ?3 only where the statement has it (PostgreSQL types them all). */
	if ((q->sort == RL_SORT_PARAM && what != SEL_COUNT) ||
	    (q->sort == RL_SORT_METRIC && part != PART_ALL))
		db_bind_text(st, 3, q->sort_key ? q->sort_key : "");
	if (what != SEL_COUNT) {
		db_bind_limit(st, 4, limit);
		db_bind_int64(st, 5, offset);
	}
	*out = st;
	return WB_OK;
}

/* One row of a window from the current result row of st. */
static int
row_from(struct db_stmt *st, struct runlist_row *r)
{
	const char	*uuid = db_column_text(st, 1);

	r->id = db_column_int64(st, 0);
	snprintf(r->uuid, sizeof r->uuid, "%s", uuid ? uuid : "");
	r->name = db_column_strdup(st, 2);
	r->experiment = db_column_strdup(st, 3);
	r->status = db_column_strdup(st, 4);
	r->started_at = db_column_int64(st, 5);
	r->ended_at = db_column_int64(st, 6);
	r->deleted = db_column_int64(st, 7) != 0;
	r->nchildren = db_column_int64(st, 8);
	r->parent_id = db_column_int64(st, 9);
	return r->name && r->experiment && r->status ? 0 : -1;
}

/* The rows of ids[0, nid) into v[*cnt...]: one lookup each. */
static int
rows_by_id(struct db *db, const int64_t *ids, size_t nid,
    struct runlist_row *v, size_t *cnt, struct wb_err *err)
{
	static const char	 sql[] = "SELECT r.id, r.uuid, r.name, e.name,"
	    " r.status, r.started_at, r.ended_at, " ROW_DELETED ", "
	    ROW_NKIDS ", r.parent_id FROM runs r"
	    " JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?1";
	struct db_stmt		*st;
	size_t			 i;
	int			 rc;

	for (i = 0; i < nid; i++) {
		if ((st = db_prepare(db, sql, err)) == NULL)
			return WB_EDB;
		db_bind_int64(st, 1, ids[i]);
		rc = db_step(st);
		if (rc == DB_ROW && row_from(st, &v[(*cnt)++]) != 0) {
			db_reset(st);
			return oom(err);
		}
		db_reset(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return db_sqlerr(db, err);
	}
	return WB_OK;
}

/* A window from the cached ids. */
static int
page_cached(struct db *db, const struct runlist_query *q, int64_t offset,
    int64_t limit, struct runlist_row **rows, size_t *n, struct wb_err *err)
{
	const struct runlist_cache *c = q->cache;
	struct runlist_row	*v;
	size_t			 cnt = 0, from, to;
	int			 rc;

	from = offset < 0 ? 0 : (size_t)offset;
	if (from > c->n)
		from = c->n;
	to = limit < 0 || (size_t)limit > c->n - from ? c->n :
	    from + (size_t)limit;
	if ((v = wb_calloc(to - from + 1, sizeof *v)) == NULL)
		return oom(err);
	if ((rc = rows_by_id(db, c->ids + from, to - from, v, &cnt, err)) !=
	    WB_OK) {
		runlist_rows_free(v, cnt);
		return rc;
	}
	*rows = v;
	*n = cnt;
	return WB_OK;
}

/* The runs with a value of the sort metric, over every run, by index. */
static int
page_index(struct db *db, const struct runlist_query *q, int64_t offset,
    struct runlist_row *v, size_t *cnt, size_t max, struct wb_err *err)
{
	struct db_stmt	*st;
	int64_t		*ids;
	size_t		 nid = 0;
	int		 rc = DB_DONE;

	if ((ids = wb_calloc(max + 1, sizeof *ids)) == NULL)
		return oom(err);
	if ((rc = page_sql(db, q, SEL_IDS, PART_HAS, (int64_t)max, offset,
	    &st, err)) != WB_OK) {
		wb_free(ids);
		return rc;
	}
	while (nid < max && (rc = db_step(st)) == DB_ROW)
		ids[nid++] = db_column_int64(st, 0);
	if (rc != DB_ROW && rc != DB_DONE)
		rc = db_sqlerr(db, err);
	else
		rc = WB_OK;
	db_finalize(st);
	if (rc == WB_OK)
		rc = rows_by_id(db, ids, nid, v, cnt, err);
	wb_free(ids);
	return rc;
}

/* Rows of one part of q from offset into v[*cnt, max). */
static int
page_part(struct db *db, const struct runlist_query *q, enum part part,
    int64_t offset, struct runlist_row *v, size_t *cnt, size_t max,
    struct wb_err *err)
{
	struct db_stmt	*st;
	int		 rc = DB_DONE;

	if ((rc = page_sql(db, q, SEL_ROWS, part, (int64_t)(max - *cnt),
	    offset, &st, err)) != WB_OK)
		return rc;
	while (*cnt < max && (rc = db_step(st)) == DB_ROW)
		if (row_from(st, &v[(*cnt)++]) != 0) {
			db_finalize(st);
			return oom(err);
		}
	if (rc != DB_ROW && rc != DB_DONE) {
		rc = db_sqlerr(db, err);
		db_finalize(st);
		return rc;
	}
	db_finalize(st);
	return WB_OK;
}

/* How many runs one part of q holds. */
static int
part_count(struct db *db, const struct runlist_query *q, enum part part,
    int64_t *n, struct wb_err *err)
{
	struct db_stmt	*st;
	int		 rc;

	if ((rc = page_sql(db, q, SEL_COUNT, part, 0, 0, &st, err)) != WB_OK)
		return rc;
	if (db_step(st) != DB_ROW) {
		rc = db_sqlerr(db, err);
		db_finalize(st);
		return rc;
	}
	*n = db_column_int64(st, 0);
	db_finalize(st);
	return WB_OK;
}

int
db_runlist_page(struct db *db, const struct runlist_query *q, int64_t offset,
    int64_t limit, struct runlist_row **rows, size_t *n, struct wb_err *err)
{
	struct runlist_row	*v = NULL;
	size_t			 cnt = 0, max = limit > 0 ? (size_t)limit : 0;
	int64_t			 has, all;
	int			 rc;

	*rows = NULL;
	*n = 0;
	if (q->cache != NULL && is_expr(q)) {
		if ((rc = cache_fill(db, q, err)) != WB_OK)
			return rc;
		return page_cached(db, q, offset, limit, rows, n, err);
	}
	if (max > 0 && (v = wb_calloc(max, sizeof *v)) == NULL)
		return oom(err);
	if (q->sort != RL_SORT_METRIC)
		rc = page_part(db, q, PART_ALL, offset, v, &cnt, max, err);
	else {
		rc = whole(db, q) ? page_index(db, q, offset, v, &cnt, max, err) :
		    page_part(db, q, PART_HAS, offset, v, &cnt, max, err);
		/*
		 * A window that began among the runs with a value goes on
		 * with the first run without one; a window past them all
		 * needs their number to know where it starts.
		 */
		has = offset;
		if (rc == WB_OK && cnt < max && cnt == 0 && offset > 0)
			rc = part_count(db, q, PART_HAS, &has, err);
		if (rc == WB_OK && cnt < max && cnt > 0)
			has = offset + (int64_t)cnt;
		/* Over every run, skip the scan when every run has a value. */
		if (rc == WB_OK && cnt < max && whole(db, q) &&
		    (rc = part_count(db, q, PART_ALL, &all, err)) == WB_OK &&
		    all <= has)
			max = cnt;
		if (rc == WB_OK && cnt < max)
			rc = page_part(db, q, PART_LACKS, offset > has ?
			    offset - has : 0, v, &cnt, max, err);
	}
	if (rc != WB_OK) {
		runlist_rows_free(v, cnt);
		return rc;
	}
	*rows = v;
	*n = cnt;
	return WB_OK;
}

static int
collect(struct db *db, const char *sql, int64_t exp_id, size_t max,
    char ***out, size_t *n, struct wb_err *err)
{
	struct db_stmt *st;
	char		**v;
	int		 rc;

	*out = NULL;
	*n = 0;
	if ((v = wb_calloc(max + 1, sizeof *v)) == NULL)
		return oom(err);
	if ((st = db_prepare_once(db, sql, err)) == NULL) {
		wb_free(v);
		return WB_EDB;
	}
	db_bind_int64(st, 1, exp_id);
	db_bind_int64(st, 2, (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW && *n < max)
		if ((v[(*n)++] = db_column_strdup(st, 0)) == NULL) {
			db_finalize(st);
			names_free(v, *n);
			*n = 0;
			return oom(err);
		}
	db_finalize(st);
	*out = v;
	return WB_OK;
}

int
db_runlist_columns(struct db *db, int64_t exp_id, size_t max, char ***params,
    size_t *np, char ***metrics, size_t *nm, struct wb_err *err)
{
	/* A sample of the newest 500 runs keeps this quick at any size. */
	static const char	 psql[] =
	    "WITH s AS (SELECT r.id FROM runs r WHERE (?1 = 0 OR"
	    " r.experiment_id = ?1) AND " RUN_LIVE_SQL
	    " ORDER BY r.id DESC LIMIT 500)"
	    " SELECT key FROM params WHERE run_id IN (SELECT id FROM s)"
	    " GROUP BY key HAVING count(DISTINCT value) > 1"
	    "  OR (SELECT count(*) FROM s) = 1"
	    " ORDER BY count(*) DESC, key LIMIT CAST(?2 AS INTEGER)";
	static const char	 msql[] =
	    "WITH s AS (SELECT r.id FROM runs r WHERE (?1 = 0 OR"
	    " r.experiment_id = ?1) AND " RUN_LIVE_SQL
	    " ORDER BY r.id DESC LIMIT 500)"
	    " SELECT k.name FROM metric_summary m JOIN metric_keys k"
	    " ON k.id = m.key_id WHERE m.run_id IN (SELECT id FROM s)"
	    " GROUP BY k.id ORDER BY count(*) DESC, k.name"
	    " LIMIT CAST(?2 AS INTEGER)";
	int			 rc;

	*params = *metrics = NULL;
	*np = *nm = 0;
	if ((rc = collect(db, psql, exp_id, max, params, np, err)) != WB_OK)
		return rc;
	if ((rc = collect(db, msql, exp_id, max, metrics, nm, err)) != WB_OK) {
		names_free(*params, *np);
		*params = NULL;
		*np = 0;
	}
	return rc;
}

int
db_runlist_values(struct db *db, const int64_t *runs, size_t nrun,
    char *const *pkeys, size_t np, char *const *mkeys, size_t nm,
    char ***params, double **metrics, unsigned char **has,
    struct wb_err *err)
{
	static const char	 psql[] =
	    "SELECT value FROM params WHERE run_id = ?1 AND key = ?2";
	static const char	 msql[] = "SELECT s.last, s.count FROM"
	    " metric_summary s JOIN metric_keys k ON k.id = s.key_id"
	    " WHERE s.run_id = ?1 AND k.name = ?2";
	struct db_stmt *st;
	size_t			 r, k;

	*params = wb_calloc(nrun * np + 1, sizeof **params);
	*metrics = wb_calloc(nrun * nm + 1, sizeof **metrics);
	*has = wb_calloc(nrun * nm + 1, 1);
	if (*params == NULL || *metrics == NULL || *has == NULL) {
		wb_free(*params);
		wb_free(*metrics);
		wb_free(*has);
		return oom(err);
	}
	for (r = 0; r < nrun; r++) {
		for (k = 0; k < np; k++) {
			if ((st = db_prepare(db, psql, err)) == NULL)
				return err ? err->code : WB_EDB;
			db_bind_int64(st, 1, runs[r]);
			db_bind_text(st, 2, pkeys[k]);
			if (db_step(st) == DB_ROW)
				(*params)[r * np + k] = db_column_strdup(st, 0);
			db_reset(st);
		}
		for (k = 0; k < nm; k++) {
			if ((st = db_prepare(db, msql, err)) == NULL)
				return err ? err->code : WB_EDB;
			db_bind_int64(st, 1, runs[r]);
			db_bind_text(st, 2, mkeys[k]);
			if (db_step(st) == DB_ROW) {
				(*has)[r * nm + k] = 1;
				(*metrics)[r * nm + k] = db_column_type(st,
				    0) == DB_NULL ? NAN :
				    db_column_double(st, 0);
			}
			db_reset(st);
		}
	}
	return WB_OK;
}
