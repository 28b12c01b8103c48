/*
 * verify_job: the process that watches a promoted version (src/verify.h),
 * started in a session of its own, so that a closed SSH connection,
 * Ctrl-C, or the end of the command or screen that promoted leaves it
 * running: a watch must come to its outcome, rollback included.
 */
#ifndef WB_VERIFY_JOB_H
#define WB_VERIFY_JOB_H

struct reg_move;
struct verify_spec;
struct wb_err;

/* The watcher's exit codes, also sent as its last line "end CODE". */
#define VERIFY_EXIT_PASSED	0
#define VERIFY_EXIT_ERROR	1
#define VERIFY_EXIT_DEPLOY	4	/* the rollback's deploy failed */
#define VERIFY_EXIT_FAILED	5	/* verify failed (rolled back or kept) */
#define VERIFY_EXIT_STOPPED	6	/* the alias moved during the watch */

/*
 * Start the watcher of m (model, alias, version, deploy command for the
 * rollback, who) with s on workspace db_path.  It opens its own
 * connection; the caller's may stay open.  When fd is not NULL, *fd is
 * the read end of a pipe carrying its progress: "pid N", then "note
 * TEXT" lines, then "end CODE" (a pipe that ends without it: the
 * watcher died).  WB_EPROC when no process could be made.
 */
int	 verify_job_start(const char *db_path, const struct reg_move *m,
	    const struct verify_spec *s, int *fd, struct wb_err *err);

#endif
