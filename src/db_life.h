/*
 * db_life: the lifecycle of runs and experiments (issue 15).  Soft
 * delete and restore, purge for good with tombstones, rename, tags and
 * notes, and the parent of a nested run.
 *
 * A deleted run keeps everything (points, params, tags); only its
 * deleted_at is set, and every list, count, search and completion skips
 * it (RUN_LIVE_SQL in db_internal.h).  A deleted experiment hides its
 * runs the same way.  Every change stamps the run's updated_at, so that
 * push, pull and merge carry it as they carry a status change.
 * The note is the tag mlflow.note.content, as in MLflow.
 */
#ifndef WB_DB_LIFE_H
#define WB_DB_LIFE_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;

/* The tag that holds a run's note (MLflow's name for it). */
#define LIFE_NOTE_TAG	"mlflow.note.content"

/*
 * Soft-delete run id, and its descendants when children is set: *n is
 * the number of runs that were live and are now deleted (0 when all were
 * deleted already).  WB_ENOTFOUND if there is no such run.
 */
int	 db_life_delete(struct db *db, int64_t id, int children, int64_t *n,
	    struct wb_err *err);
/* The reverse: restores id (and its descendants); *n as above. */
int	 db_life_restore(struct db *db, int64_t id, int children, int64_t *n,
	    struct wb_err *err);
/* How many runs have id as their parent (*live: of them, not deleted). */
int	 db_life_children(struct db *db, int64_t id, int64_t *n,
	    int64_t *live, struct wb_err *err);

/*
 * The runs nested directly under id, live ones first then by name:
 * kv[i].key is the UUID, kv[i].value the name (kv_free, db_run.h).
 */
struct kv;
int	 db_life_children_list(struct db *db, int64_t id, struct kv **kv,
	    size_t *n, struct wb_err *err);

/* Rename run id.  An empty name is WB_EINVAL. */
int	 db_life_rename(struct db *db, int64_t id, const char *name,
	    struct wb_err *err);
/*
 * Set tag key of run id to value, or remove it when value is NULL.
 * *changed (may be NULL) is 1 if the run's tags changed.
 */
int	 db_life_tag(struct db *db, int64_t id, const char *key,
	    const char *value, int *changed, struct wb_err *err);
/* The note of run id into *note (the caller's; NULL when none). */
int	 db_life_note_get(struct db *db, int64_t id, char **note,
	    struct wb_err *err);
/* Set the note of run id; "" or NULL removes it. */
int	 db_life_note_set(struct db *db, int64_t id, const char *text,
	    struct wb_err *err);

/*
 * Whether run id may be purged: WB_OK, or WB_EINVAL naming why not (it
 * is live, or it backs model NAME version N).
 */
int	 db_life_purge_check(struct db *db, int64_t id, struct wb_err *err);
/*
 * Remove deleted run id for good: the run, its points, summaries,
 * params, tags, inputs and job, and its log file when that lies in the
 * workspace's .mlwb/logs folder; a tombstone keeps its UUID so that no
 * sync brings it back.  Refuses as db_life_purge_check.  *points (may be
 * NULL) gets the number of metric points removed.
 */
int	 db_life_purge(struct db *db, int64_t id, int64_t *points,
	    struct wb_err *err);
/*
 * The ids of the deleted runs (deleted one by one or with their
 * experiment) deleted before the time before_ms (0: any), oldest first.
 * *ids is the caller's (wb_free).
 */
int	 db_life_purgeable(struct db *db, int64_t before_ms, int64_t **ids,
	    size_t *n, struct wb_err *err);
/* 1 in *yes if uuid was purged here (a tombstone exists). */
int	 db_life_tombstoned(struct db *db, const char *uuid, int *yes,
	    struct wb_err *err);

/* Parent run id takes the earliest start and latest end of its children. */
int	 db_life_span(struct db *db, int64_t id, struct wb_err *err);

/* Set the parent of run id (0: none).  A cycle is WB_EINVAL. */
int	 db_life_set_parent(struct db *db, int64_t id, int64_t parent,
	    struct wb_err *err);

/* Rename experiment id; a name in use is WB_EEXIST. */
int	 db_exp_rename(struct db *db, int64_t id, const char *name,
	    struct wb_err *err);
/* Soft-delete (deleted = 1) or restore (0) experiment id. *changed: 0/1. */
int	 db_exp_set_deleted(struct db *db, int64_t id, int deleted,
	    int *changed, struct wb_err *err);
/* db_exp_find that also finds deleted experiments; *deleted_at 0: live. */
int	 db_exp_find_any(struct db *db, const char *name, int64_t *id,
	    int64_t *deleted_at, struct wb_err *err);

#endif
