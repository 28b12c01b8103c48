/*
 * db_jobs: the jobs table (launched entry points, beside their runs) and
 * the queue's settings.  Every change of a job's state changes its run's
 * status in the same statement group, so `mlwb doctor` never sees them
 * disagree; callers wrap multi-step changes in db_begin/db_commit.
 */
#ifndef WB_DB_JOBS_H
#define WB_DB_JOBS_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;

struct job {
	int64_t	 id;
	int64_t	 run_id;
	char	 run_uuid[33];
	char	*run_name;		/* filled by get/list */
	char	*experiment;		/* filled by get/list */
	char	*entry;
	char	*argv;			/* JSON array */
	char	*cwd;
	char	*env;			/* JSON array of "KEY=VALUE", or NULL */
	char	*env_digest;
	char	*scalars;		/* JSON, see data/schema.sql */
	char	*state;
	int64_t	 pid, pgid, supervisor_pid;	/* 0: none */
	char	*host;
	char	*log_path;
	int	 has_exit_code;
	int	 exit_code;
	int	 signal;		/* 0: none */
	int64_t	 kill_at;		/* 0: no kill asked */
	int64_t	 queued_at, started_at, ended_at;
};

/* Insert j (run_id, entry, argv, state, queued_at ... set); *id set. */
int	 db_job_insert(struct db *db, const struct job *j, int64_t *id,
	    struct wb_err *err);
/*
 * Insert j as it is, every column from j (state, pids, exit code, times),
 * leaving its run untouched: for the demo, which records jobs of runs
 * that are already complete.
 */
int	 db_job_restore(struct db *db, const struct job *j, int64_t *id,
	    struct wb_err *err);
/* Load job id / the job of run run_id (WB_ENOTFOUND); job_clear after. */
int	 db_job_get(struct db *db, int64_t id, struct job *j,
	    struct wb_err *err);
int	 db_job_of_run(struct db *db, int64_t run_id, struct job *j,
	    struct wb_err *err);
/*
 * Jobs, newest first: the active ones (queued, starting, running) and
 * then up to `recent` ended ones (-1: all).  Free with jobs_free.
 */
int	 db_job_list(struct db *db, int recent, struct job **rows, size_t *n,
	    struct wb_err *err);
/*
 * The same jobs streamed: fn(arg, job) for each until it returns non-zero.
 * The job is cleared after the call; fn may keep its strings by taking
 * the struct and zeroing it.  fn may query db.
 */
int	 db_job_each(struct db *db, int recent,
	    int (*fn)(void *, struct job *), void *arg, struct wb_err *err);
void	 job_clear(struct job *j);
void	 jobs_free(struct job *rows, size_t n);

/* The supervisor took job id (still starting): its pid. */
int	 db_job_supervised(struct db *db, int64_t id, int64_t supervisor_pid,
	    struct wb_err *err);
/* The job's process started: state running, run started_at = at. */
int	 db_job_started(struct db *db, int64_t id, int64_t pid, int64_t pgid,
	    int64_t at, struct wb_err *err);
/*
 * The job ended in state (finished, failed, killed, lost) at ended_at;
 * the run gets the same status, end time and exit code.
 */
int	 db_job_ended(struct db *db, int64_t id, const char *state,
	    int has_exit_code, int exit_code, int sig, int64_t ended_at,
	    struct wb_err *err);
/* Record a kill request: SIGKILL is due at kill_at. */
int	 db_job_kill_asked(struct db *db, int64_t id, int64_t kill_at,
	    struct wb_err *err);
/* The supervisor of a starting or running job is alive at time at. */
int	 db_job_heartbeat(struct db *db, int64_t id, int64_t at,
	    struct wb_err *err);
/*
 * The job's last heartbeat (0: none yet).  Read apart from the job row,
 * so that a workspace older than the heartbeat (schema 5), opened
 * read-only without migrating, still lists its jobs: it fails there.
 */
int	 db_job_heartbeat_get(struct db *db, int64_t id, int64_t *at,
	    struct wb_err *err);
/* Jobs in starting or running state / in the queue. */
int	 db_job_count_active(struct db *db, int64_t *n, struct wb_err *err);
int	 db_job_count_queued(struct db *db, int64_t *n, struct wb_err *err);
/*
 * Take the oldest queued job: it becomes starting (and its run running),
 * with started_at the time of the attempt.
 * *id = 0 when none is queued.
 */
int	 db_job_dequeue(struct db *db, int64_t *id, struct wb_err *err);

/*
 * For the supervisor, whose end races with other processes opening the
 * workspace (a test's sqlite3, the next command): closing db will not
 * checkpoint the WAL, so it never locks the file exclusively on the way
 * out (a reader opening it then got SQLITE_BUSY).  Later commits and
 * connections checkpoint as usual.
 */
void	 db_job_no_checkpoint_on_close(struct db *db);

/* Queue settings; *value NULL (get) when unset.  Caller frees. */
int	 db_job_setting_get(struct db *db, const char *key, char **value,
	    struct wb_err *err);
int	 db_job_setting_set(struct db *db, const char *key, const char *value,
	    struct wb_err *err);

#endif
