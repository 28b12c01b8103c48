/*
 * db_complete: the names shell completion offers (experiments, runs,
 * metric and param keys, models, aliases, saved drift reports), read
 * with small indexed queries so that a TAB stays fast on big workspaces.
 */
#ifndef WB_DB_COMPLETE_H
#define WB_DB_COMPLETE_H

#include <stddef.h>

struct db;
struct wb_err;

enum db_complete_kind {
	DB_COMPLETE_EXPERIMENT,
	DB_COMPLETE_RUN,	/* names, EXPERIMENT/NAME, UUIDs */
	DB_COMPLETE_METRIC,
	DB_COMPLETE_PARAM,
	DB_COMPLETE_MODEL,
	DB_COMPLETE_ALIAS,
	DB_COMPLETE_REPORT
};

/* At most this many names per query. */
#define DB_COMPLETE_MAX	500

/*
 * Call fn(arg, name) for each name of kind that starts with prefix, in
 * name order; the name is borrowed for the call.  WB_OK, or the
 * database's error.
 */
int	 db_complete(struct db *db, enum db_complete_kind kind,
	    const char *prefix, void (*fn)(void *, const char *), void *arg,
	    struct wb_err *err);

#endif
