/*
 * db_sync: bring everything another workspace holds into this one, keyed
 * by UUID (runs, experiments by name, datasets, drift reports) and by
 * name and number (models, versions), between any two stores: a SQLite
 * file and a PostgreSQL store either way, or two files.  `mlwb push`,
 * `mlwb pull` and `mlwb merge` are this one operation.
 */
#ifndef WB_DB_SYNC_H
#define WB_DB_SYNC_H

#include <stdint.h>

struct db;
struct wb_err;

struct sync_stats {
	int64_t	experiments;	/* created on the receiving side */
	int64_t	runs_new;	/* copied */
	int64_t	runs_updated;	/* there already, brought up to date */
	int64_t	runs_same;	/* there already, nothing to do */
	int64_t	points;		/* new points (of new and updated runs) */
	int64_t	models;
	int64_t	versions;
	int64_t	events;		/* registry events appended */
	int64_t	aliases;	/* aliases moved (fast-forwarded) */
	int64_t	drift;		/* drift reports */
	int64_t	jobs;		/* job rows added or updated */
	int64_t	lmodels;	/* logged models added or brought up to date */
	int64_t	exp_tags;	/* experiment tags added */
	int64_t	imports;	/* import ledger rows added */
	int64_t	conflicts;	/* reported through the callback, skipped */
	int64_t	purged;		/* runs purged here by the sender's tombstones */
};

/* One line naming a conflict the sync skipped (no newline). */
typedef void	sync_conflict_fn(void *arg, const char *msg);

/*
 * Bring what src holds and dst lacks, or holds in an older state, into
 * dst, in one transaction of dst (all or nothing) over one consistent
 * read of src.  src is only read.  peer names src in messages and in
 * dst's record of syncs (table sync_peers); url, if not NULL, is how to
 * reach it again.  Conflicts (the same version number registered with
 * different runs, an alias moved on both sides since they last agreed)
 * are named through conflict and left as dst has them; they do not fail
 * the sync.  Errors leave dst as it was.
 */
int	db_sync(struct db *dst, struct db *src, const char *peer,
	    const char *url, sync_conflict_fn *conflict, void *arg,
	    struct sync_stats *st, struct wb_err *err);

/*
 * db_sync, with ready called (if not NULL) after everything is written
 * and before dst commits: anything but WB_OK (its message in err) rolls
 * the sync back.  `mlwb merge` checks the other file meanwhile, in a
 * thread (db_merge.c), and refuses a damaged one here.  ready is called
 * on failures too (its error then wins), so a thread can be joined.
 */
int	db_sync_checked(struct db *dst, struct db *src, const char *peer,
	    const char *url, sync_conflict_fn *conflict, void *arg,
	    int (*ready)(void *rarg, struct wb_err *err), void *rarg,
	    struct sync_stats *st, struct wb_err *err);

/*
 * Record in db that it sent its changes to peer (at url) now: `mlwb push`
 * without --to goes to the last peer pushed to or pulled from.
 */
int	db_sync_note_sent(struct db *db, const char *peer, const char *url,
	    const struct sync_stats *st, struct wb_err *err);

/*
 * The url of the peer db last synced with (either direction), as a new
 * string (wb_free); *url = NULL when there is none.
 */
int	db_sync_last_peer(struct db *db, char **url, struct wb_err *err);

#endif
