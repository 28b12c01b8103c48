/*
 * jobs_common: what the jobs screens share (view_jobs.c, view_joblog.c,
 * view_launch.c): a job state's role and whether it is active, the
 * elapsed time, a run's last metrics in one line, and asking before
 * killing a job.
 */
#ifndef MLWB_JOBS_COMMON_H
#define MLWB_JOBS_COMMON_H

#include <stdint.h>

#include "draw.h"

struct app;
struct db;
struct job;

#define JOBS_RECENT	100	/* ended jobs listed */

/* The role a job state is drawn in. */
enum role	 jobs_state_role(const char *state);
/* 1 for queued, starting and running. */
int		 jobs_state_active(const char *state);
/* Order of a metric in the one-line summary (losses and accuracy first). */
int		 jobs_metric_rank(const char *key);
/* "loss 0.31  acc 0.92": the run's last values (caller frees). */
char		*jobs_metrics_line(struct db *db, int64_t run_id);
/* Running time of j at now (ms), "" before it started; into buf. */
const char	*jobs_elapsed(char buf[32], const struct job *j, int64_t now);
/* Ask y/N, then kill j (SIGTERM, SIGKILL after the grace time). */
void		 jobs_ask_kill(struct app *app, const struct job *j);

#endif
