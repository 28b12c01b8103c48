/*
 * deploy: runs a promotion's deploy command.  The caller gives an argv
 * (from the project file's `deploy` entry); the command runs through
 * execvp, never a shell string built from data, in its own process group,
 * with the model's name, version, alias, artifact and sha256 in its
 * environment.  Its exit status and output (bounded) come back so that the
 * registry can record them with the event.
 */
#ifndef WB_DEPLOY_H
#define WB_DEPLOY_H

#include <stddef.h>
#include <stdint.h>

struct wb_err;

/* Output kept per deploy: the first and the last half of this. */
#define DEPLOY_OUTPUT_MAX 16384

struct deploy_model {
	const char	*name;
	long long	 version;
	const char	*alias;
	const char	*artifact;	/* "" when the version has none */
	const char	*sha256;	/* "" likewise */
};

struct deploy_result {
	int	 status;	/* exit status; 128 + N when killed by signal N */
	char	*output;	/* stdout and stderr interleaved; caller frees */
	size_t	 len;
	int	 truncated;	/* output was longer than DEPLOY_OUTPUT_MAX */
	int	 timed_out;	/* killed at deploy_run_limit's limit */
};

/*
 * Run argv (NULL-terminated; argv[0] found on $PATH) in cwd (NULL: the
 * current directory) with env ("KEY=VALUE" strings, NULL-terminated, may
 * be NULL) and the MLWB_MODEL_* variables of m added to the environment.
 * Waits for it.  WB_OK whenever the command ran, whatever its status (a
 * command that cannot be executed exits 127 with the reason as output);
 * WB_EPROC if no process could be made, WB_ENOMEM.  res->output is the
 * caller's to free (wb_free).
 */
int	 deploy_run(char *const *argv, const char *cwd, char *const *env,
	    const struct deploy_model *m, struct deploy_result *res,
	    struct wb_err *err);
/*
 * deploy_run with a time limit: when limit_ms (> 0) has passed and the
 * command still runs, its process group gets SIGTERM, and SIGKILL two
 * seconds later; res->timed_out is then 1 and res->status 128 + the
 * signal.  limit_ms 0: no limit (deploy_run).  For verify commands,
 * which must end within their watch window.
 */
int	 deploy_run_limit(char *const *argv, const char *cwd,
	    char *const *env, const struct deploy_model *m, int64_t limit_ms,
	    struct deploy_result *res, struct wb_err *err);
void	 deploy_result_clear(struct deploy_result *res);

#endif
