/*
 * jobs_common: helpers of the jobs screens (see jobs_common.h).
 */
#include "config.h"

#include "jobs_common.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xmem.h"
#include "db.h"
#include "db_jobs.h"
#include "db_run.h"
#include "db_metric.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "launch.h"
#include "project.h"
#include "scalars.h"
#include "strbuf.h"
#include "sysmetrics.h"
#include "text.h"
#include "view.h"

enum role
jobs_state_role(const char *state)
{
	if (strcmp(state, "running") == 0)
		return ROLE_RUNNING;
	if (strcmp(state, "finished") == 0)
		return ROLE_FINISHED;
	if (strcmp(state, "failed") == 0 || strcmp(state, "lost") == 0)
		return ROLE_FAILED;
	if (strcmp(state, "killed") == 0)
		return ROLE_KILLED;
	return ROLE_QUEUED;
}

int
jobs_state_active(const char *state)
{
	return strcmp(state, "queued") == 0 ||
	    strcmp(state, "starting") == 0 || strcmp(state, "running") == 0;
}

/*
 * Which metrics a narrow column shows first: validation and test scores
 * (what a job is watched for), then the rest, then bookkeeping (learning
 * rate, epoch, step, time) and the supervisor's system/ samples.
 */
int
jobs_metric_rank(const char *key)
{
	static const char *const first[] = { "val", "valid", "eval", "test" };
	static const char *const last[] = { "lr", "learning_rate", "epoch",
	    "step", "time", "global_step" };
	size_t	i, n;

	for (i = 0; i < sizeof first / sizeof first[0]; i++) {
		n = strlen(first[i]);
		if (strncmp(key, first[i], n) == 0 &&
		    (key[n] == '_' || key[n] == '-' || key[n] == '/' ||
		    key[n] == '.'))
			return 0;
	}
	for (i = 0; i < sizeof last / sizeof last[0]; i++)
		if (strcmp(key, last[i]) == 0)
			return 2;
	/* The supervisor's samples have sparklines of their own. */
	if (strncmp(key, SYSM_PREFIX, strlen(SYSM_PREFIX)) == 0)
		return 2;
	return 1;
}

/* "val_acc=0.91 loss=0.31 lr=0.001" for run_id, in metric_rank order. */
char *
jobs_metrics_line(struct db *db, int64_t run_id)
{
	struct metric_summary	*ms;
	struct strbuf		 sb = STRBUF_INIT;
	char			 num[32];
	size_t			 n, i;
	int			 rank;

	if (db_metric_summaries(db, run_id, &ms, &n, NULL) == WB_OK) {
		for (rank = 0; rank <= 2; rank++)
			for (i = 0; i < n; i++)
				if (jobs_metric_rank(ms[i].key) == rank)
					strbuf_addf(&sb, "%s%s=%s",
					    sb.len ? " " : "", ms[i].key,
					    text_num_short(num, ms[i].last, 4));
		metric_summaries_free(ms, n);
	}
	return sb.s != NULL ? sb.s : xstrdup("");
}

const char *
jobs_elapsed(char buf[32], const struct job *j, int64_t now)
{
	if (j->started_at == 0)
		return "";
	return text_duration(buf, (j->ended_at ? j->ended_at : now) -
	    j->started_at);
}

/* Ask, then kill the job of run_id (shared by jobs and joblog). */
static int64_t	kill_run_id;
static char	kill_name[80];
static int	kill_queued;	/* it never started: no signal to send */

static void
kill_yes(struct view *v, struct app *app)
{
	struct wb_err	err;

	(void)v;
	if (launch_kill(app_db(app), kill_run_id, LAUNCH_KILL_GRACE, &err) !=
	    WB_OK)
		app_error(app, "%s", err.msg);
	else if (kill_queued)
		app_message(app, "%s: taken off the queue (killed)",
		    kill_name);
	else
		app_message(app, "%s: SIGTERM sent (SIGKILL in %d s if it "
		    "goes on)", kill_name, LAUNCH_KILL_GRACE);
	app_changed(app);
}

void
jobs_ask_kill(struct app *app, const struct job *j)
{
	char	q[160];

	if (app_readonly(app)) {
		app_error(app, "read-only workspace");
		return;
	}
	if (!jobs_state_active(j->state)) {
		app_error(app, "%s has already ended (%s)", j->run_name,
		    j->state);
		return;
	}
	kill_run_id = j->run_id;
	kill_queued = strcmp(j->state, "queued") == 0;
	snprintf(kill_name, sizeof kill_name, "%.60s", j->run_name);
	snprintf(q, sizeof q, "Kill %.60s (%s)?", j->run_name,
	    j->state);
	app_confirm(app, q, kill_yes, NULL);
}

