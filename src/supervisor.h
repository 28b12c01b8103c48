/*
 * supervisor: the process that owns one job from start to end.
 *
 * Runs as `mlwb jobs supervise ID` in a session of its own (see
 * launch_spawn).  It starts the job's command in another new session and
 * process group with stdin from /dev/null and stdout+stderr into a pipe;
 * everything read from the pipe is appended to the job's log file and fed
 * to output-scalar capture, whose points are written to the run in short
 * transactions about twice a second (WAL lets readers watch).  It ignores
 * SIGHUP and SIGINT, turns its own SIGTERM into a kill of the job, carries
 * out the SIGKILL of a `jobs kill` once its grace period is over, and at
 * the end records finished / failed (exit code) / killed (signal), the end
 * time, and starts the next queued job.
 */
#ifndef WB_SUPERVISOR_H
#define WB_SUPERVISOR_H

#include <stdint.h>

struct wb_err;

/*
 * Supervise job job_id of the workspace db_path until it ends, then start
 * the next queued job with supervisor command cmd (a launch_cmd; NULL:
 * leave it queued).  Returns WB_OK once the end is recorded; errors
 * before the job could start are recorded on the job (failed) and
 * returned.
 */
int	 supervisor_run(const char *db_path, int64_t job_id,
	    const char *const *cmd, struct wb_err *err);

#endif
