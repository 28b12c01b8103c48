/*
 * db_merge: bring the runs of another workspace into this one, keyed by
 * UUID, so that each training box can keep its own file and a laptop can
 * hold them all.  Idempotent: merging the same file twice adds nothing.
 */
#ifndef WB_DB_MERGE_H
#define WB_DB_MERGE_H

#include <stdint.h>

struct db;
struct wb_err;

struct merge_stats {
	int64_t	experiments;	/* created here */
	int64_t	runs;		/* copied */
	int64_t	runs_skipped;	/* already here (same UUID) */
	int64_t	points;
};

/*
 * Copy from the workspace at path every run whose UUID this one lacks,
 * with its experiment (matched by name, created if absent), params, tags,
 * metric points and summaries, in one transaction.  The other file is
 * opened read-only and never written.  Errors leave db unchanged.
 */
int	db_merge(struct db *db, const char *path, struct merge_stats *st,
	    struct wb_err *err);

#endif
