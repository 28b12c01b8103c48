/*
 * schedule: pipelines run by the machine's own scheduler, not by mlwb.
 * `mlwb pipeline schedule NAME "CRON"` puts one marked line in the
 * user's crontab (read with `crontab -l`, written with `crontab -`), or,
 * where there is no crontab program, a systemd user timer and service
 * (~/.config/systemd/user/mlwb-pipeline-NAME.timer).  The line or unit
 * runs `mlwb pipeline run NAME --scheduled --detach` in the project, so a
 * run that finds the previous one still going records a skipped run.
 *
 * The crontab program is $MLWB_CRONTAB when set (tests put a stand-in
 * there; "none" means there is none), else `crontab` on PATH;
 * systemctl is $MLWB_SYSTEMCTL or `systemctl`.  A line is marked `# mlwb-pipeline NAME PROJECT` so that
 * only lines mlwb wrote are ever changed, and one per pipeline of a
 * project.
 */
#ifndef WB_SCHEDULE_H
#define WB_SCHEDULE_H

#include <stddef.h>

struct wb_err;

struct sched_req {
	const char	*pipeline;
	const char	*cron;		/* 5 fields or @daily ...; NULL: remove */
	const char	*project;	/* absolute path of mlwb.yaml */
	const char	*root;		/* its folder */
	const char	*db;		/* workspace path (absolute) or URL */
	const char	*mlwb;		/* absolute path of mlwb */
};

struct sched_entry {
	char	*pipeline;
	char	*cron;
	char	*project;
	char	*via;			/* "crontab" or "systemd" */
};

/*
 * Check cron: five fields of digits, * , - / and names (jan, mon ...),
 * or one of @hourly @daily @weekly @monthly @yearly @annually.
 * WB_EINVAL says what is wrong.
 */
int	 schedule_cron_check(const char *cron, struct wb_err *err);
/*
 * Install (r->cron set) or remove (NULL) the schedule of r->pipeline of
 * r->project.  *via is "crontab" or "systemd"; *replaced is 1 when a
 * schedule was there before (for remove: 0 means there was none).
 */
int	 schedule_set(const struct sched_req *r, const char **via,
	    int *replaced, struct wb_err *err);
/* The schedules mlwb installed, of every project. */
int	 schedule_list(struct sched_entry **out, size_t *n,
	    struct wb_err *err);
void	 schedule_entries_free(struct sched_entry *e, size_t n);
/* A cron expression as a systemd OnCalendar= value; NULL if it has no
 * equivalent here (wb_free the result). */
char	*schedule_oncalendar(const char *cron);

#endif
