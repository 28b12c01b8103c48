/*
 * launch: starting entry points of the project as tracked jobs.
 *
 * launch_start checks everything that can be checked (entry, parameters,
 * cwd) before anything is written or started, then in one transaction
 * creates the run (argv, params, git commit and dirty flag, host, user,
 * start time, log path) and its job row, and hands the job to a
 * supervisor: a process of its own (double fork and setsid, then exec of
 * `mlwb jobs supervise`), so that neither the launching process ending
 * nor its terminal hanging up touches the job.  See supervisor.h for what
 * the supervisor does.
 *
 * Also here: the queue (a job launched with queue set waits while `max`
 * jobs run; whoever ends a job or changes max starts the next), kill
 * requests, and marking `lost` the jobs whose supervisor is gone.
 */
#ifndef WB_LAUNCH_H
#define WB_LAUNCH_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct project;
struct strbuf;
struct wb_err;

/*
 * The command that runs a job's supervisor, given by the caller: a
 * NULL-terminated argv whose argv[0] is the program's path (run with
 * execv), to which launch_spawn appends "--db", the workspace's real
 * path, "jobs", "supervise" and the job id.  mlwb passes its own
 * executable (cli_supervisor_cmd); tests pass a program of their own, so
 * that nothing ever re-runs a test binary as a supervisor.
 */
typedef const char *const launch_cmd[];

struct launch_opts {
	const char *const *supervisor;	/* launch_cmd; NULL: cannot start */
	const char	*entry;		/* entry point name */
	char *const	*sets;		/* "name=value" overrides */
	size_t		 nsets;
	const char	*experiment;	/* NULL: the entry's, else "Default" */
	const char	*name;		/* run name; NULL: ENTRY-xxxxxx */
	int		 queue;		/* wait for a free slot */
	/*
	 * "KEY=VALUE" entries the job's supervisor (and so the job) gets
	 * besides this process's environment; NULL-terminated, or NULL.
	 * --on-drift names the report this way.
	 */
	char *const	*env;
	/*
	 * The UUID of the drift report that started this run (--on-drift),
	 * kept as the run's LAUNCH_DRIFT_TAG, or NULL.
	 */
	const char	*drift_report;
	/* The UUID of the run this one reruns (launch --rerun), or NULL. */
	const char	*rerun_of;
	/*
	 * Seconds between system metrics (0: none) when has_sample_every;
	 * else the project's system_metrics: sample_every, else 10.
	 */
	int		 has_sample_every;
	int		 sample_every;
	/* The run's parent (a pipeline run; runs.parent_id), or 0. */
	int64_t		 parent_id;
	/*
	 * "KEY=VALUE" tags the run gets in the transaction that creates it
	 * (before its supervisor can look); NULL-terminated, or NULL.
	 */
	char *const	*tags;
	/*
	 * Capture no output scalars, whatever the project's output_scalars
	 * say: the job's output is not a training script's (the pipeline
	 * driver's "run UUID: 2 steps" is not a metric).
	 */
	int		 no_scalars;
};

struct launch_info {
	int64_t	 run_id;
	int64_t	 job_id;
	char	 run_uuid[33];
	char	*run_name;
	char	*experiment;
	char	*log_path;
	int	 queued;		/* 1: waiting in the queue */
};

/* Default seconds between SIGTERM and SIGKILL for a kill. */
#define LAUNCH_KILL_GRACE	10
/*
 * Jobs across hosts (a shared PostgreSQL store): a supervisor writes the
 * job's heartbeat_at this often, and a starting or running job of another
 * host whose heartbeat is older than LAUNCH_LOST_AFTER_MS (six missed
 * beats) is marked lost by whichever box looks.  A job of this host is
 * judged by its supervisor's pid instead, at once.
 */
#define LAUNCH_HEARTBEAT_MS	10000
#define LAUNCH_LOST_AFTER_MS	60000

/*
 * Launch entry o->entry of project p in the workspace db (logs go to
 * .mlwb/logs/ beside the database file).  Errors before anything
 * starts: WB_ENOTFOUND (no such entry), WB_EINVAL ("-P lr=abc: lr must
 * be a float"), WB_EIO (cwd missing).  On success *out describes the run
 * (launch_info_clear after).
 */
int	 launch_start(struct db *db, const struct project *p,
	    const struct launch_opts *o,
	    struct launch_info *out, struct wb_err *err);
void	 launch_info_clear(struct launch_info *li);

/*
 * Start a supervisor process for job_id: double fork, setsid, then execve
 * of cmd (see launch_cmd) with `--db DB jobs supervise ID` appended, in
 * this process's environment plus env ("KEY=VALUE", NULL-terminated; may
 * be NULL).
 * Returns once the intermediate process has gone; the supervisor runs on
 * its own.  WB_EINVAL when cmd is NULL, WB_EPROC when fork fails.
 */
int	 launch_spawn(const char *const *cmd, const char *db_path,
	    int64_t job_id, char *const *env, struct wb_err *err);

/*
 * Start queued jobs with supervisor command cmd while fewer than the
 * queue's max run.  *started is how many were started (may be NULL).
 * With cmd NULL nothing is started.
 */
int	 launch_kick_queue(struct db *db, const char *const *cmd,
	    int *started, struct wb_err *err);
/* The queue's parallelism (default 1) / set it (>= 1). */
int	 launch_max_get(struct db *db, int *max, struct wb_err *err);
int	 launch_max_set(struct db *db, int max, struct wb_err *err);

/*
 * Mark lost every starting/running job of this host whose supervisor
 * process is gone; *n is how many (may be NULL).  A job's supervisor is
 * the process of its recorded pid whose command line ends in `--db DB
 * jobs supervise ID` for this job's id and this workspace's real path
 * (a reused pid, or a supervisor of another job or workspace, is not).
 * Jobs of other hosts are left alone: their processes cannot be checked
 * from here.  When jobs were lost, queued ones are started with cmd
 * (NULL: left queued).
 */
int	 launch_reap_lost(struct db *db, const char *const *cmd, int *n,
	    struct wb_err *err);

/*
 * Kill the job of run run_id: SIGTERM to its process group now, and the
 * supervisor sends SIGKILL after grace seconds if it is still alive.  A
 * queued job is simply marked killed.  A lost job whose processes are
 * still there gets SIGTERM and, after grace seconds, SIGKILL from this
 * call (there is no supervisor left to do it).  WB_EINVAL if the job
 * already ended.
 */
int	 launch_kill(struct db *db, int64_t run_id, int grace,
	    struct wb_err *err);

/*
 * Parse a JSON array of strings (the jobs table's argv and env) into a
 * NULL-terminated vector (free with project_argv_free).
 */
int	 launch_json_strv(const char *json, char ***out, struct wb_err *err);
/*
 * The run tag holding an entry point's outputs: (a JSON list of paths and
 * globs, relative to the job's cwd), logged as artifacts at its end.
 */
#define LAUNCH_OUTPUTS_TAG	"mlwb.outputs"
/*
 * The run tag holding an entry point's input data sets: a JSON list of
 * triplets KIND, PATH, ROLE (project_inputs), recorded as the run's
 * inputs by its supervisor when the job starts.
 */
#define LAUNCH_INPUTS_TAG	"mlwb.inputs"
/*
 * The files of input triplets specs (project_inputs), paths relative to
 * cwd: *files is NULL-terminated pairs PATH, ROLE (PATH joined to cwd
 * when relative; globs expanded, sorted).  A dataset parameter's file
 * that is missing or not a file, a glob that matches nothing, or a match
 * that is a folder is WB_EIO naming the file.  Free with
 * project_argv_free.
 */
int	 launch_input_files(const char *cwd, char *const *specs,
	    char ***files, struct wb_err *err);
/* The run tag linking a run to the drift report that launched it. */
#define LAUNCH_DRIFT_TAG	"mlwb.drift_report"
/* Append a JSON array of the NULL-terminated strings v. */
int	 launch_json_add_strv(struct strbuf *sb, char *const *v);

/*
 * The commit checked out in dir (*commit, the caller's to free; NULL
 * outside a git checkout) and whether tracked files changed (*dirty 1/0,
 * -1 unknown).
 */
void	 launch_git_info(const char *dir, char **commit, int *dirty);

/* What launch --rerun starts (launch_rerun_prepare). */
struct launch_rerun {
	char	 *entry;		/* the old run's entry point */
	char	**sets;			/* its params, then the caller's */
	size_t	  nsets;
	char	 *experiment;		/* the old run's */
	char	  uuid[33];		/* the old run's, for rerun_of */
};

/*
 * Prepare to run run_id again with project p: its entry point (tag
 * mlwb.entry), params and experiment, the caller's "name=value" sets on
 * top.  Unless force, refuses (WB_EINVAL, naming both) when the entry's
 * checkout is at another commit than the run's, or holds other
 * uncommitted changes than the patch the run keeps.  WB_ENOTFOUND when
 * p has no such entry.  *out is cleared with launch_rerun_clear.
 */
int	 launch_rerun_prepare(struct db *db, const struct project *p,
	    int64_t run_id, int force, char *const *sets, size_t nsets,
	    struct launch_rerun *out, struct wb_err *err);
void	 launch_rerun_clear(struct launch_rerun *rr);

/* This machine's name, for jobs.host; buf of 256. */
const char *launch_host(char buf[256]);

#endif
