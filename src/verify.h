/*
 * verify: deploys that verify themselves.  After a promotion's deploy the
 * project's `verify:` command checks the alias's new holder, once or
 * every N seconds during a watch window.  When a check fails, the alias
 * rolls back to the version it had before (reg_rollback, whose deploy
 * runs again for that version), recorded as a `rollback` event whose
 * reason is "verify failed: ...".  A first holder has nothing to go back
 * to: it keeps the alias, and the failure is recorded all the same.
 *
 * Every watch leaves events in the append-only log: `verify-start` (the
 * window, the watcher's pid and host), then one of `verify-pass`,
 * `verify-fail` (the failing check's exit status and output; the
 * rollback follows) or `verify-stop` (the alias moved under the watch).
 * The state of an alias's last watch is read back from them, a watcher
 * that died without an outcome included ("lost").
 */
#ifndef WB_VERIFY_H
#define WB_VERIFY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct project;
struct pstep_def;
struct reg_move;
struct reg_outcome;
struct wb_err;

/* A single check without a window may take this long (10 minutes). */
#define VERIFY_ONCE_LIMIT_MS	(10 * 60 * 1000LL)

struct verify_spec {
	char *const	*argv;		/* NULL-terminated */
	const char	*cwd;		/* NULL: the current directory */
	char *const	*env;		/* "KEY=VALUE", NULL-terminated, or NULL */
	int64_t		 watch_ms;	/* the window; 0: one check, limited
					   to VERIFY_ONCE_LIMIT_MS */
	int64_t		 every_ms;	/* between check starts; 0: once */
};

enum verify_result {
	VERIFY_PASSED,		/* every check passed */
	VERIFY_ROLLED_BACK,	/* a check failed; alias moved back */
	VERIFY_KEPT,		/* a check failed; nothing to go back to */
	VERIFY_ROLLBACK_FAILED,	/* a check failed; the rollback did not
				   happen (its deploy failed, ...): see
				   rollback_error */
	VERIFY_STOPPED		/* the alias moved to another version */
};

struct verify_outcome {
	enum verify_result	 result;
	int			 checks;	/* checks run */
	int			 status;	/* the failing check's */
	int64_t			 back_to;	/* version rolled back to */
	char			 reason[256];	/* the rollback's reason, or
						   what stopped the watch */
	char			 rollback_error[256];
	int			 rollback_deployed;
	int			 rollback_deploy_status;
};

/* Progress: one line per check ("check 2: passed (exit 0)"). */
typedef void	(*verify_note_fn)(void *arg, const char *line);

/*
 * Watch m->alias of m->model while m->version holds it: run s's command
 * with the deploy hook's MLWB_MODEL_* variables plus MLWB_VERIFY_CHECK
 * (1, 2, ...), and MLWB_VERIFY_WATCH (the window in seconds), as
 * described above; pid is the watcher's, recorded with verify-start.  m's
 * deploy command (may be NULL), who and reason (ignored) serve the
 * rollback.  WB_OK whenever the watch ran to an outcome (o says which);
 * WB_EEXIST when m->version does not hold the alias at the start
 * (nothing recorded), WB_EDB and the like.
 */
int	 verify_watch(struct db *db, const struct reg_move *m,
	    const struct verify_spec *s, long long pid, verify_note_fn note,
	    void *arg, struct verify_outcome *o, struct wb_err *err);

/* The state of an alias's last watch. */
struct verify_state {
	char		 state[12];	/* "" (never verified), "watching",
					   "passed", "failed", "stopped",
					   "lost" */
	char		 alias[65];
	int64_t		 version;
	int64_t		 at;		/* of the event that says it */
	int64_t		 until;		/* watching: when the window ends */
	char		 detail[256];	/* its reason */
};

/*
 * The last watch of each alias of model_id that was ever verified,
 * newest first: *st (wb_free) with *n entries.  A verify-start without
 * an outcome is "watching" until its window (plus a minute) is over and
 * while its watcher, when on this host, is alive; "lost" after.
 */
int	 verify_states(struct db *db, int64_t model_id,
	    struct verify_state **st, size_t *n, struct wb_err *err);

/*
 * Duration "90", "90s", "10m", "2h", "1d" (also "1h30m") in ms into *ms;
 * WB_EINVAL naming what for `what` (e.g. "--watch").
 */
int	 verify_duration(const char *s, const char *what, int64_t *ms,
	    struct wb_err *err);

/*
 * The project's verify command (its `verify:` section; a shell command
 * as /bin/sh -c), its directory, its env and its default window into s;
 * *argv and *cwd (what s points to) are the caller's to free with
 * project_argv_free and wb_free; env is borrowed from p.  s->argv is NULL (and WB_OK) when p is NULL or has
 * no `verify:`.
 */
int	 verify_project(const struct project *p, struct verify_spec *s,
	    char ***argv, char **cwd, struct wb_err *err);

/*
 * The pipelines' verify hook (pipeline_set_verify): after a promote step
 * with `verify:` moved its alias to version and deployed it, the watch
 * runs as `mlwb model promote` runs it, in the pipeline's driver (a
 * supervised job, so it survives a hangup too).  step->verify "yes" or
 * "true" keeps the project's window, a duration ("10m") sets it, "no"
 * skips.  0 when verified; else why says what failed (the alias was
 * rolled back, or kept with no earlier holder) and the step fails.
 */
int	 verify_pipeline_hook(struct db *db, const struct project *p,
	    const struct pstep_def *step, int64_t version, char *why,
	    size_t whylen);

#endif
