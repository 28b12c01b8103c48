/*
 * db_merge: bring another workspace file into this one, so that each
 * training box can keep its own file and a laptop can hold them all: the
 * sync of db_sync.h from a file opened read-only, after checking that the
 * file is sound.  Idempotent: merging the same file twice adds nothing.
 */
#ifndef WB_DB_MERGE_H
#define WB_DB_MERGE_H

#include "db_sync.h"

struct db;
struct wb_err;

/*
 * Sync from the workspace at path (opened read-only, never written) into
 * db, in one transaction: new runs and what changed in runs seen before,
 * registry, drift reports, ended jobs.  A damaged file is refused with
 * the damage named.  Conflicts go to conflict (db_sync).  Errors leave db
 * unchanged.
 */
int	db_merge(struct db *db, const char *path, sync_conflict_fn *conflict,
	    void *arg, struct sync_stats *st, struct wb_err *err);

#endif
