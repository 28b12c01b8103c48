/*
 * view_jobs: the launch area's screens.
 *
 *   jobs     (screen 5) running, queued and recent jobs: state, elapsed
 *            time, last captured metrics.  r launch, o follow, K kill,
 *            Enter the run.
 *   joblog   one job's output, followed live: the run's metrics with
 *            sparklines on top, the log below (cleaned: a '\r' progress
 *            bar shows its current state, ANSI escapes are dropped, the
 *            rest is sanitised by draw_text).  Scrolls; sticks to the end
 *            until scrolled up (G sticks again); / searches, n N move.
 *   launch   pick an entry point of mlwb.yaml, edit its parameters in a
 *            form (defaults filled, every value checked against its type
 *            and choices as it is typed), launch.  The project is the one
 *            found from the current folder up, else from the workspace's
 *            folder up, else the demo's (DB.files/example-project).
 *
 * The UI never waits for a job: a launch returns once the supervisor
 * process is on its own, and while a job is active its screens reload
 * each frame (every 250 ms when idle), reading only the log's new bytes.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
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
#include "text.h"
#include "view.h"

#define JOBS_RECENT	100	/* ended jobs listed */
#define LOG_MAX_LINES	20000	/* lines kept by the follower */
#define LOG_READ_MAX	(4 << 20)	/* bytes read per reload */
#define SPARK_N		32
#define SPARK_METRICS	4

static enum role
state_role(const char *state)
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

static int
state_active(const char *state)
{
	return strcmp(state, "queued") == 0 ||
	    strcmp(state, "starting") == 0 || strcmp(state, "running") == 0;
}

/*
 * Which metrics a narrow column shows first: validation and test scores
 * (what a job is watched for), then the rest, then bookkeeping (learning
 * rate, epoch, step, time).
 */
static int
metric_rank(const char *key)
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
	return 1;
}

/* "val_acc=0.91 loss=0.31 lr=0.001" for run_id, in metric_rank order. */
static char *
metrics_line(struct db *db, int64_t run_id)
{
	struct metric_summary	*ms;
	struct strbuf		 sb = STRBUF_INIT;
	char			 num[32];
	size_t			 n, i;
	int			 rank;

	if (db_metric_summaries(db, run_id, &ms, &n, NULL) == WB_OK) {
		for (rank = 0; rank <= 2; rank++)
			for (i = 0; i < n; i++)
				if (metric_rank(ms[i].key) == rank)
					strbuf_addf(&sb, "%s%s=%s",
					    sb.len ? " " : "", ms[i].key,
					    text_num_short(num, ms[i].last, 4));
		metric_summaries_free(ms, n);
	}
	return sb.s != NULL ? sb.s : xstrdup("");
}

static const char *
elapsed(char buf[32], const struct job *j, int64_t now)
{
	if (j->started_at == 0)
		return "";
	return text_duration(buf, (j->ended_at ? j->ended_at : now) -
	    j->started_at);
}

/* Ask, then kill the job of run_id (shared by jobs and joblog). */
static int64_t	kill_run_id;
static char	kill_name[80];

static void
kill_yes(struct view *v, struct app *app)
{
	struct wb_err	err;

	(void)v;
	if (launch_kill(app_db(app), kill_run_id, LAUNCH_KILL_GRACE, &err) !=
	    WB_OK)
		app_error(app, "%s", err.msg);
	else
		app_message(app, "%s: SIGTERM sent (SIGKILL in %d s if it "
		    "goes on)", kill_name, LAUNCH_KILL_GRACE);
	app_changed(app);
}

static void
ask_kill(struct app *app, const struct job *j)
{
	char	q[160];

	if (app_readonly(app)) {
		app_error(app, "read-only workspace");
		return;
	}
	if (!state_active(j->state)) {
		app_error(app, "%s has already ended (%s)", j->run_name,
		    j->state);
		return;
	}
	kill_run_id = j->run_id;
	snprintf(kill_name, sizeof kill_name, "%.60s", j->run_name);
	snprintf(q, sizeof q, "Kill %.60s (%s)?", j->run_name,
	    j->state);
	app_confirm(app, q, kill_yes, NULL);
}

/* jobs: the list ------------------------------------------------------- */

struct jobsv {
	struct job	*rows;
	size_t		 n;
	char		**metrics;
	struct list	 l;		/* cursor, scroll */
	int64_t		 now;
	int		 active;
	char		 title[64];
};

static void
jobsv_clear(struct jobsv *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->metrics[i]);
	free(s->metrics);
	jobs_free(s->rows, s->n);
	s->rows = NULL;
	s->metrics = NULL;
	s->n = 0;
}

static int
jobsv_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct jobsv	*s = v->state;
	struct job	*rows;
	int64_t		 keep = s->n && s->l.cursor < (int)s->n ?
	    s->rows[s->l.cursor].run_id : 0;
	size_t		 n, i;
	int		 rc;

	/* A supervisor that died since the last look: its job is lost. */
	if (!db_is_readonly(db))
		(void)launch_reap_lost(db, cli_supervisor_cmd(), NULL, NULL);
	if ((rc = db_job_list(db, JOBS_RECENT, &rows, &n, err)) != WB_OK)
		return rc;
	jobsv_clear(s);
	s->rows = rows;
	s->n = n;
	s->metrics = xcalloc(n + 1, sizeof *s->metrics);
	s->active = 0;
	for (i = 0; i < n; i++) {
		s->metrics[i] = metrics_line(db, rows[i].run_id);
		if (rows[i].run_id == keep)
			s->l.cursor = (int)i;
		if (state_active(rows[i].state))
			s->active = 1;
	}
	s->l.n = (int64_t)n;
	list_set(&s->l, s->l.cursor);
	s->now = db_now_ms();
	return WB_OK;
}

static void
jobsv_draw(struct view *v, struct draw_ctx *dc)
{
	struct jobsv	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y;
	int		 nw, xe, xs, xt, xx, xm;
	size_t		 i;
	char		 t[32];

	/* While a job is active, elapsed times and metrics move. */
	if (s->active)
		v->stale = 1;
	list_scroll(&s->l, h - 1);
	/* Names get the room a wide terminal has; metrics the rest. */
	nw = w >= 110 ? 30 : 20;
	xe = 11 + nw + 1;
	xs = xe + 9;
	xt = xs + 9;
	xx = xt + 8;
	xm = xx + 6;
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	draw_text(dc, 0, 2, 8, ROLE_HEADER, "run");
	draw_text(dc, 0, 11, nw, ROLE_HEADER, "name");
	draw_text(dc, 0, xe, 8, ROLE_HEADER, "entry");
	draw_text(dc, 0, xs, 8, ROLE_HEADER, "state");
	draw_text_right(dc, 0, xt, 7, ROLE_HEADER, "elapsed");
	draw_text_right(dc, 0, xx, 4, ROLE_HEADER, "exit");
	draw_text(dc, 0, xm, w - xm, ROLE_HEADER, "metrics");
	if (s->n == 0) {
		draw_text(dc, 2, 2, -1, ROLE_DIM, "no jobs yet: r launches an "
		    "entry point of mlwb.yaml");
		draw_text(dc, 3, 2, -1, ROLE_DIM, "(or: mlwb launch ENTRY "
		    "[-P NAME=VALUE]...)");
	}
	for (y = 1, i = (size_t)s->l.top; y < h && i < s->n; y++, i++) {
		const struct job *j = &s->rows[i];
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 0, 1, r, ">");
		}
		snprintf(t, sizeof t, "%.8s", j->run_uuid);
		draw_text(dc, y, 2, 8, r, t);
		draw_text_mid(dc, y, 11, nw, r, j->run_name);
		draw_text(dc, y, xe, 8, r, j->entry);
		draw_text(dc, y, xs, 8, r == ROLE_NORMAL ?
		    state_role(j->state) : r, j->state);
		draw_text_right(dc, y, xt, 7, r, elapsed(t, j, s->now));
		if (j->has_exit_code) {
			snprintf(t, sizeof t, "%d", j->exit_code);
			draw_text_right(dc, y, xx, 4, r, t);
		}
		draw_text(dc, y, xm, w - xm, r, s->metrics[i]);
	}
}

static enum action
jobsv_handle(struct view *v, struct app *app, enum action a)
{
	struct jobsv	*s = v->state;
	struct job	*j = s->n ? &s->rows[s->l.cursor] : NULL;

	if (list_move(&s->l, a, list_page(v->rows)))
		return ACT_NONE;
	switch (a) {
	case ACT_ENTER:
		if (j != NULL)
			app_push(app, view_run_new(app, j->run_id));
		return ACT_NONE;
	case ACT_YANK:
		if (j != NULL)
			app_yank(app, "run UUID", j->run_uuid);
		return ACT_NONE;
	case ACT_FOLLOW:
		if (j != NULL)
			app_push(app, view_joblog_new(app, j->run_id));
		return ACT_NONE;
	case ACT_KILL:
		if (j != NULL)
			ask_kill(app, j);
		return ACT_NONE;
	case ACT_LAUNCH:
		if (app_readonly(app))
			app_error(app, "read-only workspace");
		else
			app_push(app, view_launch_new(app));
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
jobsv_title(struct view *v)
{
	struct jobsv	*s = v->state;
	size_t		 i, running = 0, queued = 0;

	for (i = 0; i < s->n; i++) {
		running += strcmp(s->rows[i].state, "running") == 0 ||
		    strcmp(s->rows[i].state, "starting") == 0;
		queued += strcmp(s->rows[i].state, "queued") == 0;
	}
	snprintf(s->title, sizeof s->title, "jobs  %zu running, %zu queued",
	    running, queued);
	return s->title;
}

static int
jobsv_export(struct view *v, FILE *fp)
{
	struct jobsv	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	char		 t[32];
	size_t		 i;

	fprintf(fp, "run,name,entry,state,elapsed,exit,metrics\n");
	for (i = 0; i < s->n; i++) {
		const struct job *j = &s->rows[i];

		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s,", j->run_uuid);
		text_csv_field(&sb, j->run_name);
		strbuf_addc(&sb, ',');
		text_csv_field(&sb, j->entry);
		strbuf_addf(&sb, ",%s,%s,", j->state, elapsed(t, j, s->now));
		if (j->has_exit_code)
			strbuf_addf(&sb, "%d", j->exit_code);
		strbuf_addc(&sb, ',');
		text_csv_field(&sb, s->metrics[i]);
		fprintf(fp, "%s\n", strbuf_str(&sb));
	}
	strbuf_free(&sb);
	return ferror(fp) ? -1 : 0;
}

static void
jobsv_click(struct view *v, struct app *app, int y, int x)
{
	struct jobsv	*s = v->state;

	(void)app;
	(void)x;
	if (y >= 1 && s->l.top + y - 1 < (int)s->n)
		s->l.cursor = s->l.top + y - 1;
}

static void
jobsv_free(struct view *v)
{
	struct jobsv	*s = v->state;

	jobsv_clear(s);
	free(s);
}

static const struct view_key jobsv_keys[] = {
	{ ACT_LAUNCH, "launch" }, { ACT_FOLLOW, "follow" },
	{ ACT_KILL, "kill" }, { ACT_ENTER, "run" }, { ACT_YANK, NULL },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops jobsv_ops = {
	.keys = jobsv_keys,
	.name = "jobs",
	.load = jobsv_load,
	.draw = jobsv_draw,
	.handle = jobsv_handle,
	.free = jobsv_free,
	.title = jobsv_title,
	.export_csv = jobsv_export,
	.click = jobsv_click,
};

struct view *
view_jobs_new(struct app *app)
{
	(void)app;
	return view_new(&jobsv_ops, xcalloc(1, sizeof(struct jobsv)));
}

/* joblog: one job's output --------------------------------------------- */

struct spark {
	char	*key;
	double	 last, lo, hi;
	double	 v[SPARK_N];
	int	 n;
};

struct joblog {
	int64_t		 run_id;
	struct job	 job;
	int		 have_job;
	char		**lines;	/* cleaned, complete lines */
	size_t		 n;
	int64_t		 dropped;	/* lines before lines[0] */
	struct strbuf	 partial;	/* the line being written */
	off_t		 offset;	/* of the log read so far */
	int		 skip_partial;	/* started mid-line: drop it */
	int64_t		 npoints;	/* points behind the sparklines */
	int64_t		 sparks_at;	/* when they were loaded (ms) */
	struct spark	 sparks[SPARK_METRICS];
	int		 nsparks;
	int		 top;		/* first log line shown */
	int		 stick;		/* follow the end */
	int		 body;		/* log rows at the last draw */
	char		*search;
	int		 match;		/* line index, -1 none */
	int64_t		 now;
	char		 title[160];
};

static void
log_add(struct joblog *s, const char *line, size_t len)
{
	char	*clean = xmalloc(len + 1);
	size_t	 n = scalars_clean(line, len, clean);

	clean[n] = '\0';
	if (s->n == LOG_MAX_LINES) {
		/* Drop the older half at once: one move per 10,000 lines. */
		size_t	half = s->n / 2, i;

		for (i = 0; i < half; i++)
			free(s->lines[i]);
		memmove(s->lines, s->lines + half, (s->n - half) *
		    sizeof *s->lines);
		s->n -= half;
		s->dropped += (int64_t)half;
		s->top = s->top > (int)half ? s->top - (int)half : 0;
		s->match = s->match >= (int)half ? s->match - (int)half : -1;
	}
	s->lines = xreallocarray(s->lines, s->n + 1, sizeof *s->lines);
	s->lines[s->n++] = clean;
}

/* Read what the log gained since the last load. */
static void
log_read(struct joblog *s)
{
	char	 buf[65536];
	ssize_t	 r;
	off_t	 total = 0, end;
	int	 fd;
	size_t	 i, start;

	if (s->job.log_path == NULL ||
	    (fd = open(s->job.log_path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	/* A long log: start with its last LOG_READ_MAX bytes. */
	if (s->offset == 0 && (end = lseek(fd, 0, SEEK_END)) > LOG_READ_MAX) {
		s->offset = end - LOG_READ_MAX;
		s->skip_partial = 1;
	}
	if (lseek(fd, s->offset, SEEK_SET) == s->offset) {
		while (total < LOG_READ_MAX &&
		    (r = read(fd, buf, sizeof buf)) > 0) {
			s->offset += r;
			total += r;
			for (start = 0, i = 0; i < (size_t)r; i++) {
				if (buf[i] != '\n')
					continue;
				strbuf_add(&s->partial, buf + start, i - start);
				/* The cut line we started in is not shown. */
				if (s->skip_partial)
					s->skip_partial = 0;
				else
					log_add(s, strbuf_str(&s->partial),
					    s->partial.len);
				strbuf_reset(&s->partial);
				start = i + 1;
			}
			strbuf_add(&s->partial, buf + start, (size_t)r - start);
			/* A bar that never ends its line: keep its tail. */
			if (s->partial.len > 65536) {
				char *cr = memrchr(s->partial.s, '\r',
				    s->partial.len);
				size_t keep = cr != NULL ?
				    s->partial.len - (size_t)(cr - s->partial.s) :
				    0;
				memmove(s->partial.s, s->partial.s +
				    s->partial.len - keep, keep);
				s->partial.len = keep;
				s->partial.s[keep] = '\0';
			}
		}
	}
	close(fd);
}

static void
sparks_load(struct joblog *s, struct db *db)
{
	struct metric_summary	*ms;
	struct series		 se;
	size_t			 n, i, k, from;
	int64_t			 points = 0, now = db_now_ms();
	int			 m;

	if (db_metric_summaries(db, s->run_id, &ms, &n, NULL) != WB_OK)
		return;
	/*
	 * Series are read whole: only when points came, and at most once a
	 * second while a job runs (a million-point run costs a few ms).
	 */
	for (i = 0; i < n; i++)
		points += ms[i].count;
	if (s->sparks_at != 0 && (points == s->npoints ||
	    (state_active(s->job.state) && now - s->sparks_at < 1000))) {
		metric_summaries_free(ms, n);
		return;
	}
	s->npoints = points;
	s->sparks_at = now;
	for (m = 0; m < s->nsparks; m++)
		free(s->sparks[m].key);
	s->nsparks = 0;
	for (i = 0; i < n && s->nsparks < SPARK_METRICS; i++) {
		struct spark *sp = &s->sparks[s->nsparks];

		if (db_series_load(db, s->run_id, ms[i].key_id, &se, NULL) !=
		    WB_OK)
			continue;
		sp->key = xstrdup(ms[i].key);
		sp->last = ms[i].last;
		/* Scaled to the points shown: the recent trend, not the run's. */
		sp->lo = INFINITY;
		sp->hi = -INFINITY;
		from = se.n > SPARK_N ? se.n - SPARK_N : 0;
		for (k = from, sp->n = 0; k < se.n; k++) {
			sp->v[sp->n++] = se.value[k];
			if (se.value[k] < sp->lo)
				sp->lo = se.value[k];
			if (se.value[k] > sp->hi)
				sp->hi = se.value[k];
		}
		if (!(sp->hi >= sp->lo) || !isfinite(sp->hi - sp->lo))
			sp->lo = sp->hi = 0;
		series_free(&se);
		s->nsparks++;
	}
	metric_summaries_free(ms, n);
}

static int
joblog_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct joblog	*s = v->state;
	struct job	 j;
	int		 rc;

	if ((rc = db_job_of_run(db, s->run_id, &j, err)) != WB_OK)
		return rc;
	if (s->have_job)
		job_clear(&s->job);
	s->job = j;
	s->have_job = 1;
	log_read(s);
	sparks_load(s, db);
	s->now = db_now_ms();
	return WB_OK;
}

static void
spark_draw(struct draw_ctx *dc, int y, int x, const struct spark *sp)
{
	static const char *const blocks[] = { "\xe2\x96\x81", "\xe2\x96\x82",
	    "\xe2\x96\x83", "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
	    "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char ascii[] = "_.-:=+*#";
	double	span = sp->hi - sp->lo;
	int	i, k;

	for (i = 0; i < sp->n; i++) {
		if (!(sp->v[i] == sp->v[i]))	/* NaN */
			continue;
		k = span > 0 ? (int)((sp->v[i] - sp->lo) / span * 7.0 + 0.5) :
		    3;
		k = k < 0 ? 0 : k > 7 ? 7 : k;
		draw_glyph(dc, y, x + i, ROLE_SERIES0, blocks[k], ascii[k]);
	}
}

/* Rows above the log: status line, metrics, a rule. */
static int
joblog_head(const struct joblog *s)
{
	return 1 + s->nsparks + 1;
}

static void
joblog_draw(struct view *v, struct draw_ctx *dc)
{
	struct joblog	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, x, m, head;
	int		 total, i;
	char		 t[32], num[32];

	if (!s->have_job)
		return;
	if (state_active(s->job.state))
		v->stale = 1;
	head = joblog_head(s);
	s->body = h - head > 1 ? h - head : 1;
	total = (int)s->n + (s->partial.len > 0);
	if (s->stick || s->top > total - s->body)
		s->top = total - s->body > 0 ? total - s->body : 0;

	x = draw_printf(dc, 0, 0, w, ROLE_BOLD, "%.8s  ", s->job.run_uuid);
	x += draw_printf(dc, 0, x, w - x, ROLE_NORMAL, "%s  ",
	    s->job.run_name);
	x += draw_text(dc, 0, x, w - x, state_role(s->job.state),
	    s->job.state);
	x += draw_printf(dc, 0, x, w - x, ROLE_NORMAL, "  %s",
	    elapsed(t, &s->job, s->now));
	if (s->job.signal)
		x += draw_printf(dc, 0, x, w - x, ROLE_DIM, "  signal %d",
		    s->job.signal);
	else if (s->job.has_exit_code)
		x += draw_printf(dc, 0, x, w - x, ROLE_DIM, "  exit %d",
		    s->job.exit_code);
	if (!s->stick)
		draw_text_right(dc, 0, 0, w, ROLE_DIM, "scrolled (G: follow)");
	for (m = 0; m < s->nsparks; m++) {
		const struct spark *sp = &s->sparks[m];

		draw_text(dc, 1 + m, 2, 20, ROLE_NORMAL, sp->key);
		draw_text_right(dc, 1 + m, 23, 11, ROLE_BOLD,
		    text_num_short(num, sp->last, 6));
		spark_draw(dc, 1 + m, 36, sp);
	}
	for (x = 0; x < w; x++)
		draw_glyph(dc, head - 1, x, ROLE_BORDER, "\xe2\x94\x80", '-');
	if (total == 0)
		draw_text(dc, head, 2, -1, ROLE_DIM, s->job.log_path == NULL ?
		    "(no log)" : strcmp(s->job.state, "queued") == 0 ?
		    "(queued: no output yet)" : "(no output yet)");
	for (y = head, i = s->top; y < h && i < total; y++, i++) {
		const char	*line;
		char		*clean = NULL;
		enum role	 r = ROLE_NORMAL;

		if (i < (int)s->n)
			line = s->lines[i];
		else {
			/* The line in progress, as its bar shows it now. */
			clean = xmalloc(s->partial.len + 1);
			clean[scalars_clean(s->partial.s, s->partial.len,
			    clean)] = '\0';
			line = clean;
		}
		if (i == s->match)
			r = ROLE_SELECTED;
		else if (s->search != NULL && *s->search != '\0' &&
		    strstr(line, s->search) != NULL)
			r = ROLE_MARKED;
		if (r != ROLE_NORMAL)
			draw_fill(dc, y, 0, w, r);
		draw_text(dc, y, 0, w, r, line);
		free(clean);
	}
}

/* The next line from `from` in direction dir that contains the search. */
static int
find(struct joblog *s, int from, int dir)
{
	int	i;

	if (s->search == NULL || *s->search == '\0')
		return -1;
	for (i = from; i >= 0 && i < (int)s->n; i += dir)
		if (strstr(s->lines[i], s->search) != NULL)
			return i;
	return -1;
}

static void
show_match(struct view *v, struct app *app, int from, int dir)
{
	struct joblog	*s = v->state;
	int		 i = find(s, from, dir), wrapped = 0;

	/* Past the end (or the start): go on from the other end. */
	if (i < 0 && (i = find(s, dir > 0 ? 0 : (int)s->n - 1, dir)) >= 0)
		wrapped = 1;
	if (i < 0) {
		app_error(app, "not found: %s", s->search ? s->search : "");
		return;
	}
	s->match = i;
	s->stick = 0;
	if (i < s->top || i >= s->top + s->body)
		s->top = i - s->body / 2 > 0 ? i - s->body / 2 : 0;
	app_message(app, "line %lld%s", (long long)(i + 1 + s->dropped),
	    wrapped ? dir > 0 ? " (from the top)" : " (from the end)" : "");
}

static void
search_done(struct view *v, struct app *app, const char *text)
{
	struct joblog	*s = v->state;

	if (text == NULL)
		return;
	free(s->search);
	s->search = xstrdup(text);
	s->match = -1;
	if (*text != '\0')
		show_match(v, app, s->top, 1);
}

static enum action
joblog_handle(struct view *v, struct app *app, enum action a)
{
	struct joblog	*s = v->state;
	int		 page = s->body > 1 ? s->body - 1 : 1;

	switch (a) {
	case ACT_UP:
		s->stick = 0;
		if (s->top > 0)
			s->top--;
		return ACT_NONE;
	case ACT_DOWN:
		s->top++;
		return ACT_NONE;
	case ACT_PAGE_UP:
		s->stick = 0;
		s->top = s->top > page ? s->top - page : 0;
		return ACT_NONE;
	case ACT_PAGE_DOWN:
		s->top += page;
		return ACT_NONE;
	case ACT_FIRST:
		s->stick = 0;
		s->top = 0;
		return ACT_NONE;
	case ACT_LAST:
		s->stick = 1;
		return ACT_NONE;
	case ACT_FILTER:
		app_prompt(app, "/", s->search ? s->search : "", "search",
		    search_done);
		return ACT_NONE;
	case ACT_SEARCH_NEXT:
		show_match(v, app, s->match >= 0 ? s->match + 1 : s->top, 1);
		return ACT_NONE;
	case ACT_SEARCH_PREV:
		show_match(v, app, s->match >= 0 ? s->match - 1 :
		    s->top + s->body - 1, -1);
		return ACT_NONE;
	case ACT_KILL:
		if (s->have_job)
			ask_kill(app, &s->job);
		return ACT_NONE;
	case ACT_ENTER:
		app_push(app, view_run_new(app, s->run_id));
		return ACT_NONE;
	case ACT_PLOT:
		app_push(app, view_chart_new(app, &s->run_id, 1, 0));
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
joblog_title(struct view *v)
{
	struct joblog	*s = v->state;

	snprintf(s->title, sizeof s->title, "output of %.80s",
	    s->have_job ? s->job.run_name : "?");
	return s->title;
}

static void
joblog_free(struct view *v)
{
	struct joblog	*s = v->state;
	size_t		 i;
	int		 m;

	for (i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	for (m = 0; m < s->nsparks; m++)
		free(s->sparks[m].key);
	strbuf_free(&s->partial);
	if (s->have_job)
		job_clear(&s->job);
	free(s->search);
	free(s);
}

static const struct view_key joblog_keys[] = {
	{ ACT_FILTER, "search" }, { ACT_SEARCH_NEXT, "next" },
	{ ACT_LAST, "follow" }, { ACT_PLOT, "plot" }, { ACT_KILL, "kill" },
	{ ACT_ENTER, "run" }, { ACT_SEARCH_PREV, NULL }, { ACT_UP, NULL },
	{ ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL }, { ACT_PAGE_DOWN, NULL },
	{ ACT_FIRST, NULL }, { ACT_NONE, NULL }
};

static const struct view_ops joblog_ops = {
	.keys = joblog_keys,
	.name = "joblog",
	.load = joblog_load,
	.draw = joblog_draw,
	.handle = joblog_handle,
	.free = joblog_free,
	.title = joblog_title,
};

struct view *
view_joblog_new(struct app *app, int64_t run_id)
{
	struct joblog	*s = xcalloc(1, sizeof *s);

	(void)app;
	s->run_id = run_id;
	s->stick = 1;
	s->match = -1;
	return view_new(&joblog_ops, s);
}

/* launch: the form ------------------------------------------------------ */

enum { FORM_ENTRIES, FORM_PARAMS };

struct form {
	struct project			*p;
	char				*load_err;
	int				 stage;
	struct list			 l;	/* cursor, scroll */
	const struct project_entry	*e;
	char				**vals;		/* one per parameter */
	char				*experiment;
	char				*name;
	int				 editing;	/* row being edited */
	char				 title[160];
};

/* Rows of the parameter stage: params, experiment, name, [launch]. */
static int
form_rows(const struct form *s)
{
	return s->stage == FORM_ENTRIES ? (int)(s->p ? s->p->nentries : 0) :
	    (int)s->e->nparams + 3;
}

static void
form_vals_free(struct form *s)
{
	size_t	i;

	if (s->vals != NULL && s->e != NULL)
		for (i = 0; i < s->e->nparams; i++)
			free(s->vals[i]);
	free(s->vals);
	s->vals = NULL;
	free(s->experiment);
	free(s->name);
	s->experiment = s->name = NULL;
}

/*
 * The form remembers: values of the last run launched from entry point
 * e (the newest job for it, its params and experiment), where they
 * still fit the parameter; the project's defaults otherwise.
 */
static void
form_remember(struct form *s, struct db *db)
{
	struct job	*jobs;
	struct kv	*kv;
	struct wb_err	 err;
	size_t		 nj, nkv, i, j, k;

	if (db_job_list(db, 200, &jobs, &nj, &err) != WB_OK)
		return;
	for (j = 0; j < nj; j++)
		if (jobs[j].entry != NULL && strcmp(jobs[j].entry,
		    s->e->name) == 0)
			break;
	if (j < nj && db_params_get(db, jobs[j].run_id, &kv, &nkv, &err) ==
	    WB_OK) {
		for (i = 0; i < s->e->nparams; i++)
			for (k = 0; k < nkv; k++)
				if (kv[k].value != NULL && strcmp(kv[k].key,
				    s->e->params[i].name) == 0 &&
				    project_param_check(&s->e->params[i],
				    kv[k].value, &err) == WB_OK) {
					free(s->vals[i]);
					s->vals[i] = xstrdup(kv[k].value);
				}
		kv_free(kv, nkv);
		if (jobs[j].experiment != NULL) {
			free(s->experiment);
			s->experiment = xstrdup(jobs[j].experiment);
		}
	}
	jobs_free(jobs, nj);
}

static void
form_pick(struct form *s, const struct project_entry *e, struct db *db)
{
	size_t	i;

	form_vals_free(s);
	s->e = e;
	s->vals = xcalloc(e->nparams + 1, sizeof *s->vals);
	for (i = 0; i < e->nparams; i++)
		s->vals[i] = xstrdup(e->params[i].def ? e->params[i].def : "");
	s->experiment = xstrdup(e->experiment ? e->experiment : "Default");
	s->name = xstrdup("");
	s->stage = FORM_PARAMS;
	s->l.cursor = s->l.top = 0;
	form_remember(s, db);
}

/* h/l on a parameter with choices (or a bool): the previous/next one. */
static int
form_cycle(struct form *s, int dir)
{
	static const char *const bools[] = { "false", "true", NULL };
	const struct project_param	*p;
	const char *const		*c;
	size_t				 n, i;

	if (s->stage != FORM_PARAMS || s->l.cursor >= (int)s->e->nparams)
		return 0;
	p = &s->e->params[s->l.cursor];
	c = p->choices != NULL ? (const char *const *)p->choices :
	    p->type == PARAM_BOOL ? bools : NULL;
	if (c == NULL)
		return 0;
	for (n = 0; c[n] != NULL; n++)
		;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(c[i], s->vals[s->l.cursor]) == 0)
			break;
	i = i == n ? 0 : (i + (dir > 0 ? 1 : n - 1)) % n;
	free(s->vals[s->l.cursor]);
	s->vals[s->l.cursor] = xstrdup(c[i]);
	return 1;
}

/* The project: from the current folder up, else the workspace's. */
static int
form_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct form	*s = v->state;
	struct wb_err	 e;
	char		*path = NULL, *dir, *slash;
	int		 rc;

	(void)err;
	if (s->p != NULL || s->load_err != NULL)
		return WB_OK;
	if (project_find(".", &path, &e) != WB_OK) {
		dir = xstrdup(db_path(db));
		if ((slash = strrchr(dir, '/')) != NULL)
			*slash = '\0';
		else
			strcpy(dir, ".");
		rc = project_find(dir, &path, NULL);
		free(dir);
		if (rc != WB_OK) {
			/* `mlwb demo` writes one beside the workspace. */
			path = xmalloc(strlen(db_path(db)) + 40);
			sprintf(path, "%s.files/example-project/mlwb.yaml",
			    db_path(db));
			if (access(path, R_OK) != 0) {
				free(path);
				s->load_err = xstrdup(e.msg);
				return WB_OK;
			}
		}
	}
	rc = project_load(path, &s->p, &e);
	free(path);
	if (rc != WB_OK) {
		s->load_err = xstrdup(e.msg);
		return WB_OK;
	}
	if (s->p->nentries == 1)
		form_pick(s, &s->p->entries[0], db);
	return WB_OK;
}

static void
form_draw(struct view *v, struct draw_ctx *dc)
{
	struct form	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	int		 w = draw_width(dc), h = draw_height(dc), y, i, n, x;
	enum role	 r;

	if (s->load_err != NULL) {
		draw_text(dc, 1, 2, -1, ROLE_ERROR, s->load_err);
		draw_text(dc, 3, 2, -1, ROLE_DIM, "A project file mlwb.yaml "
		    "(in this folder, a folder above, or the workspace's)");
		draw_text(dc, 4, 2, -1, ROLE_DIM, "lists the entry points; "
		    "see doc/launch.md.");
		return;
	}
	if (s->p == NULL)
		return;
	n = form_rows(s);
	s->l.n = n;
	list_scroll(&s->l, h - 2);
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	if (s->stage == FORM_ENTRIES) {
		draw_text(dc, 0, 2, 16, ROLE_HEADER, "entry point");
		draw_text(dc, 0, 19, w - 19, ROLE_HEADER, "command");
		for (y = 1, i = s->l.top; y < h && i < n; y++, i++) {
			const struct project_entry *e = &s->p->entries[i];

			r = i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;
			if (r == ROLE_SELECTED) {
				draw_fill(dc, y, 0, w, r);
				draw_text(dc, y, 0, 1, r, ">");
			}
			draw_text(dc, y, 2, 16, r, e->name);
			strbuf_reset(&sb);
			if (e->shell)
				strbuf_adds(&sb, "sh -c ");
			project_join(&sb, e->argv);
			draw_text(dc, y, 19, w - 19, r, strbuf_str(&sb));
		}
		strbuf_free(&sb);
		return;
	}
	draw_text(dc, 0, 2, 16, ROLE_HEADER, "parameter");
	draw_text(dc, 0, 19, 6, ROLE_HEADER, "type");
	draw_text(dc, 0, 26, w - 26, ROLE_HEADER, "value");
	for (y = 1, i = s->l.top; y < h && i < n; y++, i++) {
		const char	*label, *type = "", *val, *note = NULL;
		int		 np = (int)s->e->nparams;

		r = i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;
		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 0, 1, r, ">");
		}
		if (i < np) {
			const struct project_param *p = &s->e->params[i];

			label = p->name;
			type = project_type_name(p->type);
			val = s->vals[i];
			if (*val == '\0' && p->def == NULL)
				note = "(required)";
			else if (p->choices != NULL) {
				size_t k;

				strbuf_reset(&sb);
				strbuf_adds(&sb, "one of:");
				for (k = 0; p->choices[k] != NULL; k++)
					strbuf_addf(&sb, " %s", p->choices[k]);
				note = strbuf_str(&sb);
			}
		} else if (i == np) {
			label = "experiment";
			val = s->experiment;
		} else if (i == np + 1) {
			label = "run name";
			val = s->name;
			if (*val == '\0')
				note = "(automatic)";
		} else {
			draw_printf(dc, y, 2, w - 2, r == ROLE_NORMAL ?
			    ROLE_BOLD : r, "[ launch %s ]", s->e->name);
			continue;
		}
		draw_text(dc, y, 2, 16, r, label);
		draw_text(dc, y, 19, 6, r == ROLE_NORMAL ? ROLE_DIM : r, type);
		x = 26 + draw_text(dc, y, 26, w - 26, r, val);
		if (note != NULL)
			draw_text(dc, y, x + 2, w - x - 2, r == ROLE_NORMAL ?
			    ROLE_DIM : r, note);
	}
	strbuf_free(&sb);
}

static void
form_edit_done(struct view *v, struct app *app, const char *text)
{
	struct form	*s = v->state;
	struct wb_err	 err;
	int		 np = (int)s->e->nparams;

	if (text == NULL)
		return;
	if (s->editing < np) {
		/* Checked as typed: a wrong value never reaches a launch. */
		if (project_param_check(&s->e->params[s->editing], text,
		    &err) != WB_OK) {
			app_error(app, "%s", err.msg);
			return;
		}
		free(s->vals[s->editing]);
		s->vals[s->editing] = xstrdup(text);
	} else if (s->editing == np) {
		if (*text == '\0') {
			app_error(app, "the experiment needs a name");
			return;
		}
		free(s->experiment);
		s->experiment = xstrdup(text);
	} else {
		free(s->name);
		s->name = xstrdup(text);
	}
	app_message(app, "%s", "Enter on [ launch ] (or r) starts it");
}

static void
form_launch(struct view *v, struct app *app)
{
	struct form		*s = v->state;
	struct launch_opts	 o;
	struct launch_info	 li;
	struct wb_err		 err;
	char			**sets;
	size_t			 i, n = 0;

	sets = xcalloc(s->e->nparams + 1, sizeof *sets);
	for (i = 0; i < s->e->nparams; i++) {
		/* An empty required value is left out: launch says so. */
		if (*s->vals[i] == '\0' && s->e->params[i].def == NULL)
			continue;
		sets[n] = xmalloc(strlen(s->e->params[i].name) +
		    strlen(s->vals[i]) + 2);
		sprintf(sets[n], "%s=%s", s->e->params[i].name, s->vals[i]);
		n++;
	}
	memset(&o, 0, sizeof o);
	o.supervisor = cli_supervisor_cmd();
	o.entry = s->e->name;
	o.sets = sets;
	o.nsets = n;
	o.experiment = s->experiment;
	o.name = *s->name ? s->name : NULL;
	if (launch_start(app_db(app), s->p, &o, &li, &err) != WB_OK)
		app_error(app, "%s", err.msg);
	else {
		app_message(app, "run %.8s (%s) %s: o follows its output",
		    li.run_uuid, li.run_name, li.queued ? "queued" :
		    "started");
		launch_info_clear(&li);
		app_changed(app);
		app_pop(app);
	}
	for (i = 0; i < n; i++)
		free(sets[i]);
	free(sets);
}

static enum action
form_handle(struct view *v, struct app *app, enum action a)
{
	struct form	*s = v->state;
	char		 label[96];
	int		 n = s->p ? form_rows(s) : 0, np;

	s->l.n = n;
	if (list_move(&s->l, a, list_page(v->rows)))
		return ACT_NONE;
	switch (a) {
	case ACT_BACK:
		if (s->stage == FORM_PARAMS && s->p->nentries > 1) {
			s->stage = FORM_ENTRIES;
			s->l.cursor = (int)(s->e - s->p->entries);
			return ACT_NONE;
		}
		return a;
	case ACT_LEFT:
	case ACT_RIGHT:
		if (!form_cycle(s, a == ACT_RIGHT ? 1 : -1))
			app_message(app, "h/l cycle the choices of a parameter "
			    "that has them; Enter edits");
		return ACT_NONE;
	case ACT_LAUNCH:
		if (s->stage == FORM_PARAMS)
			form_launch(v, app);
		else if (n > 0)
			form_pick(s, &s->p->entries[s->l.cursor],
			    app_db(app));
		return ACT_NONE;
	case ACT_ENTER:
		if (s->p == NULL || n == 0)
			return ACT_NONE;
		if (s->stage == FORM_ENTRIES) {
			form_pick(s, &s->p->entries[s->l.cursor],
			    app_db(app));
			return ACT_NONE;
		}
		np = (int)s->e->nparams;
		if (s->l.cursor == np + 2) {
			form_launch(v, app);
			return ACT_NONE;
		}
		s->editing = s->l.cursor;
		if (s->l.cursor < np) {
			snprintf(label, sizeof label, "%.40s (%s): ",
			    s->e->params[s->l.cursor].name, project_type_name(
			    s->e->params[s->l.cursor].type));
			app_prompt(app, label, s->vals[s->l.cursor], "param",
			    form_edit_done);
		} else
			app_prompt(app, s->l.cursor == np ? "experiment: " :
			    "run name: ", s->l.cursor == np ? s->experiment :
			    s->name, "param", form_edit_done);
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
form_title(struct view *v)
{
	struct form	*s = v->state;

	if (s->p == NULL)
		return "launch";
	if (s->stage == FORM_ENTRIES)
		snprintf(s->title, sizeof s->title, "launch: entry points of "
		    "%.120s", s->p->path);
	else
		snprintf(s->title, sizeof s->title, "launch %.60s",
		    s->e->name);
	return s->title;
}

static void
form_free(struct view *v)
{
	struct form	*s = v->state;

	form_vals_free(s);
	project_free(s->p);
	free(s->load_err);
	free(s);
}

/* Choosing an entry point: no values to cycle yet. */
static int
form_avail(struct view *v, enum action a)
{
	struct form	*s = v->state;

	return s->stage == FORM_PARAMS || (a != ACT_LEFT && a != ACT_RIGHT);
}

static const struct view_key form_keys[] = {
	{ ACT_ENTER, "edit" }, { ACT_RIGHT, "next choice" },
	{ ACT_LAUNCH, "launch" }, { ACT_LEFT, NULL }, { ACT_UP, NULL },
	{ ACT_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops form_ops = {
	.keys = form_keys,
	.avail = form_avail,
	.name = "launch",
	.load = form_load,
	.draw = form_draw,
	.handle = form_handle,
	.free = form_free,
	.title = form_title,
};

struct view *
view_launch_new(struct app *app)
{
	(void)app;
	return view_new(&form_ops, xcalloc(1, sizeof(struct form)));
}
