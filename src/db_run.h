/*
 * db_run: experiments, runs, params, tags and the imports ledger.
 *
 * Typed structs in, typed structs out; callers never see a statement.
 * Strings in returned structs are owned by the struct and released by the
 * matching *_free / *_clear function.
 */
#ifndef WB_DB_RUN_H
#define WB_DB_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "query.h"

struct db;
struct wb_err;

struct exp_row {
	int64_t	 id;
	char	 uuid[33];
	char	*name;
	char	*description;
	int64_t	 created_at;
	int64_t	 n_runs;
	int64_t	 n_running;
	int64_t	 n_failed;
	int64_t	 last_activity;		/* max of runs' times; 0 if none */
	int64_t	 deleted_at;		/* 0: live */
};

/* A run's attributes.  Unset strings are NULL; unset times are 0. */
/*
 * A run as read (db_run_get, listings): every string is owned, freed by
 * run_clear.  Inserts take struct run_new, whose strings are borrowed.
 */
struct run {
	int64_t	 id;
	char	 uuid[33];
	int64_t	 experiment_id;
	char	*experiment;		/* its name */
	char	*name;
	char	*status;		/* NULL on insert means "finished" */
	char	*source;
	char	*command;
	char	*git_commit;
	int	 git_dirty;		/* -1 unknown */
	char	*host;
	char	*user;
	int64_t	 started_at;
	int64_t	 ended_at;
	int	 has_exit_code;
	int	 exit_code;
	char	*log_path;
	int64_t	 import_id;		/* 0 none */
	int64_t	 created_at;
	int64_t	 deleted_at;		/* 0: live (see db_life.h) */
	int64_t	 parent_id;		/* 0: top-level run */
	char	 parent_uuid[33];	/* "" when top-level; get/list fill */
};

/*
 * A run to insert (db_run_insert).  The strings are the caller's,
 * only read during the call; NULL for none unless said.
 */
struct run_new {
	char		 uuid[33];	/* "": one is made and written here */
	int64_t		 experiment_id;
	const char	*name;		/* NULL: the UUID */
	const char	*status;	/* NULL: "finished" */
	const char	*source;
	const char	*command;
	const char	*git_commit;
	int		 git_dirty;	/* -1 unknown */
	const char	*host;
	const char	*user;
	int64_t		 started_at;	/* 0: unknown */
	int64_t		 ended_at;	/* 0: not ended */
	int		 has_exit_code;
	int		 exit_code;
	const char	*log_path;
	int64_t		 import_id;	/* 0 none */
	int64_t		 created_at;	/* 0: now */
	int64_t		 deleted_at;	/* 0: live */
	int64_t		 parent_id;	/* 0: top-level */
};

struct kv {
	char	*key;
	char	*value;			/* may be NULL */
};

struct import_rec {
	int64_t		 id;
	const char	*path;
	int64_t		 size;
	const char	*sha256;
	const char	*format;
	int64_t		 runs;
	int64_t		 points;
};

/* Experiments. */
/* Find experiment name, creating it if absent. */
int	 db_exp_ensure(struct db *db, const char *name, int64_t *id,
	    struct wb_err *err);
/* WB_ENOTFOUND if absent. */
int	 db_exp_find(struct db *db, const char *name, int64_t *id,
	    struct wb_err *err);
/* All experiments with run counts, by name.  Free with db_exp_rows_free. */
int	 db_exp_list(struct db *db, struct exp_row **rows, size_t *n,
	    struct wb_err *err);
void	 db_exp_rows_free(struct exp_row *rows, size_t n);
/* As db_exp_list, of the live, the deleted or all experiments. */
int	 db_exp_list_scope(struct db *db, enum q_scope scope,
	    struct exp_row **rows, size_t *n, struct wb_err *err);
/*
 * The same experiments streamed: fn(arg, row) for each until it returns
 * non-zero.  The row's strings are freed after the call unless fn takes
 * them (setting them NULL).  fn may run other statements.
 */
int	 db_exp_each(struct db *db, enum q_scope scope,
	    int (*fn)(void *, struct exp_row *), void *arg,
	    struct wb_err *err);
/* Best (max if want_max, else min) last value of metric key_id among the
 * experiment's runs; NaN if none has it. */
int	 db_exp_best(struct db *db, int64_t exp_id, int64_t key_id,
	    int want_max, double *best, struct wb_err *err);

/* Runs. */
/* Insert r (uuid made if r->uuid is ""; copied back into r->uuid). */
int	 db_run_insert(struct db *db, struct run_new *r, int64_t *id,
	    struct wb_err *err);
/* Load run id into *r (caller frees with run_clear). */
int	 db_run_get(struct db *db, int64_t id, struct run *r,
	    struct wb_err *err);
/* Find by exact UUID; WB_ENOTFOUND if absent. */
int	 db_run_find_uuid(struct db *db, const char *uuid, int64_t *id,
	    struct wb_err *err);
/*
 * Resolve what a user typed: a UUID, a unique UUID prefix (4+ digits),
 * "experiment/run-name", or a run name unique in the workspace.  Errors
 * WB_ENOTFOUND and WB_EAMBIG say which runs matched.
 */
int	 db_run_resolve(struct db *db, const char *ref, int64_t *id,
	    struct wb_err *err);
/*
 * Stamp run id as changed at now (ms; never back in time): a sync takes
 * a run's params and tags from the side that changed it last.
 */
int	 db_run_touch(struct db *db, int64_t id, int64_t now,
	    struct wb_err *err);
/* Set status (and ended_at/exit code when ended_at != 0). */
int	 db_run_set_status(struct db *db, int64_t id, const char *status,
	    int64_t ended_at, int has_exit_code, int exit_code,
	    struct wb_err *err);
/*
 * Runs of experiment exp_id (0: all) in experiment, start order; calls
 * fn for each until it returns non-zero.  The run is borrowed for the
 * call only.
 */
int	 db_run_each(struct db *db, int64_t exp_id,
	    int (*fn)(void *, const struct run *), void *arg,
	    struct wb_err *err);
/* Number of runs (of exp_id, or all when 0). */
int	 db_run_count(struct db *db, int64_t exp_id, int64_t *n,
	    struct wb_err *err);
void	 run_clear(struct run *r);

/* Params and tags: set replaces. */
int	 db_param_set(struct db *db, int64_t run_id, const char *key,
	    const char *value, struct wb_err *err);
int	 db_tag_set(struct db *db, int64_t run_id, const char *key,
	    const char *value, struct wb_err *err);
/* All params (tags) of a run, by key.  Free with kv_free. */
int	 db_params_get(struct db *db, int64_t run_id, struct kv **kv,
	    size_t *n, struct wb_err *err);
int	 db_tags_get(struct db *db, int64_t run_id, struct kv **kv,
	    size_t *n, struct wb_err *err);
void	 kv_free(struct kv *kv, size_t n);
/* The tags of experiment exp_id, by key (MLflow's, from import-mlflow). */
int	 db_exp_tags_get(struct db *db, int64_t exp_id, struct kv **kv,
	    size_t *n, struct wb_err *err);

/* Imports ledger. */
int	 db_import_add(struct db *db, const struct import_rec *rec,
	    int64_t *id, struct wb_err *err);

#endif
