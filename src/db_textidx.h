/*
 * db_textidx: the index behind the runs list's plain-text filter (run
 * names, param and tag keys and values, as substrings).
 */
#ifndef WB_DB_TEXTIDX_H
#define WB_DB_TEXTIDX_H

#include <stddef.h>

struct db;
struct wb_err;

/*
 * Create the SQLite text index (an FTS5 trigram table kept by triggers)
 * and fill it from the runs, params and tags already there, inside the
 * caller's transaction.  A SQLite without FTS5 or its trigram tokenizer
 * leaves the workspace without it (the filter then scans): WB_OK either
 * way; another failure returns its code with err set.
 */
int	 db_textidx_create(struct db *db, struct wb_err *err);

/*
 * Create the text index if the workspace lacks it (a workspace made
 * where FTS5 or pg_trgm was missing), in a transaction of its own; WB_OK
 * also when it still cannot be made.  `mlwb init` calls it.
 */
int	 db_textidx_ensure(struct db *db, struct wb_err *err);

/*
 * Inside a write transaction about to write many runs, params or tags
 * (a row at a time or by INSERT ... SELECT): keep the SQLite text index
 * as it is until db_textidx_settle, which db_commit of the outermost
 * transaction calls, brings it up to date a statement per source.  The
 * per-row triggers that keep it are out until then; a rollback (of the
 * savepoint it was called in, or of the transaction) puts them back.  It
 * writes to the schema: call it when there is something to write, so
 * that a write that finds nothing new writes nothing.  Once per
 * transaction is enough; a no-op on PostgreSQL and without the index.
 */
int	 db_textidx_defer(struct db *db, struct wb_err *err);
int	 db_textidx_settle(struct db *db, struct wb_err *err);

/* PostgreSQL's text index statement (db_pg.c's migration 9 -> 10). */
extern const char db_textidx_pg_sql[];

/*
 * Whether the workspace has its text index (cached per connection).  On
 * failure to tell, 0.  why (may be NULL) gets a sentence saying what the
 * filter uses.
 */
int	 db_textidx_usable(struct db *db, char *why, size_t len);

/*
 * The FTS5 query that finds candidate rows holding s (case folded): its
 * trigrams joined by AND, each quoted.  NULL when s has fewer than three
 * characters, which trigrams cannot answer, or out of memory (the
 * caller then scans).  The caller frees it.
 */
char	*db_textidx_match(const char *s);

/*
 * Whether match (from db_textidx_match) finds few enough candidates
 * (under 100,000) for the index to beat a scan; 0 also on error.
 */
int	 db_textidx_narrow(struct db *db, const char *match);

/*
 * Compare the index's row count with the runs, params and tags it
 * mirrors; a difference calls line once.  WB_OK also when there is no
 * index.
 */
int	 db_textidx_doctor(struct db *db, void (*line)(void *, const char *),
	    void *arg, struct wb_err *err);

#endif
