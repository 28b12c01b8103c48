/*
 * view_jobs: screen 5, the jobs: running, queued and recent jobs with
 * state, elapsed time and last captured metrics.  r launch (the form of
 * view_launch.c), o follow the output (view_joblog.c), K kill, P the
 * pipelines (view_pipelines.c), Enter the run, / filter (name, entry,
 * state, host, experiment), s/S sort.  The bottom two lines show the
 * cursor's job's system metrics (CPU %, memory and each GPU's
 * utilisation, as the supervisor sampled them) as sparklines of their
 * last samples (src/sysm_trend.c reads them).  While
 * a job is active the screen reloads each frame (every 250 ms when idle);
 * the UI never waits for a job.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
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
#include "sysm_trend.h"
#include "text.h"
#include "jobs_common.h"
#include "view.h"

#define LOG_MAX_LINES	20000	/* lines kept by the follower */
#define LOG_READ_MAX	(4 << 20)	/* bytes read per reload */

/* jobs: the list ------------------------------------------------------- */

struct jobsv {
	struct job	*rows;
	size_t		 n;
	char		**metrics;
	struct list	 l;		/* cursor, scroll, sort, filter */
	int64_t		 now;
	int		 active;
	char		 title[200];
	struct sysm_trends tr;		/* system metrics of run tr_run */
	int64_t		 tr_run, tr_at;	/* loaded when (ms); 0: never */
};

/*
 * Load the cursor's job's system metrics when the cursor is on another
 * run, or (force) once a second while that job runs: samples come every
 * few seconds, and the screen reloads every frame meanwhile.
 */
static void
trends_sync(struct jobsv *s, struct db *db, int force)
{
	const struct job	*j = s->n && s->l.cursor < (int)s->n ?
	    &s->rows[s->l.cursor] : NULL;
	int64_t			 now = db_now_ms();

	if (j == NULL) {
		memset(&s->tr, 0, sizeof s->tr);
		s->tr_run = 0;
		return;
	}
	if (j->run_id == s->tr_run && !(force &&
	    jobs_state_active(j->state) && now - s->tr_at >= 1000))
		return;
	s->tr_run = j->run_id;
	s->tr_at = now;
	if (sysm_trends_load(db, j->run_id, &s->tr, NULL) != WB_OK)
		memset(&s->tr, 0, sizeof s->tr);
}

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

/* Sort keys: newest first (the load order), then by name, state, entry. */
static int
jobs_cmp(const void *pa, const void *pb, int key)
{
	const struct job	*a = pa, *b = pb;
	int			 c;

	switch (key) {
	case 1:
		c = strcmp(a->run_name ? a->run_name : "",
		    b->run_name ? b->run_name : "");
		break;
	case 2:
		c = strcmp(a->state, b->state);
		break;
	case 3:
		c = strcmp(a->entry ? a->entry : "", b->entry ? b->entry : "");
		break;
	default:
		c = 0;
		break;
	}
	/* Ties, and the first key: the newest job first. */
	return c != 0 ? c : list_cmp_newest(a->queued_at, a->id, b->queued_at,
	    b->id);
}

static int
jobs_match(const void *row, const char *filter)
{
	const struct job	*j = row;
	const char		*f[] = { j->run_name, j->entry, j->state,
	    j->host, j->experiment };

	return list_match_any(f, sizeof f / sizeof f[0], filter);
}

static void
jobs_drop(void *row)
{
	job_clear(row);
}

static const char *const jobs_sort_keys[] = { "newest", "name", "state",
    "entry", NULL };
static const struct list_sort jobs_sort = { jobs_sort_keys, jobs_cmp,
    jobs_match, jobs_drop, "job-filter" };

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
	n = list_order(&s->l, rows, n, sizeof *rows);
	jobsv_clear(s);
	s->rows = rows;
	s->n = n;
	s->metrics = xcalloc(n + 1, sizeof *s->metrics);
	s->active = 0;
	for (i = 0; i < n; i++) {
		s->metrics[i] = jobs_metrics_line(db, rows[i].run_id);
		if (rows[i].run_id == keep)
			s->l.cursor = (int)i;
		if (jobs_state_active(rows[i].state))
			s->active = 1;
	}
	s->l.n = (int64_t)n;
	list_set(&s->l, s->l.cursor);
	s->now = db_now_ms();
	trends_sync(s, db, 1);
	return WB_OK;
}

/* "312%" / "1.2G" / "840M": a sample in at most 5 columns. */
static const char *
trend_value(char b[16], const struct sysm_trend *t)
{
	if (isnan(t->last))
		snprintf(b, 16, "-");
	else if (strcmp(t->label, "mem") != 0)
		snprintf(b, 16, "%.0f%%", t->last);
	else if (t->last >= 1024)
		snprintf(b, 16, "%.1fG", t->last / 1024);
	else
		snprintf(b, 16, "%.0fM", t->last);
	return b;
}

/*
 * The cursor's job's system metrics in rows y and y + 1: a header, then
 * one sparkline per series (cpu, mem, gpuK) sharing the width, each with
 * its last value; or why there are none.
 */
static void
trends_draw(struct jobsv *s, struct draw_ctx *dc, int y, int w)
{
	const struct job	*j = s->n && s->l.cursor < (int)s->n ?
	    &s->rows[s->l.cursor] : NULL;
	const struct sysm_trend	*t;
	char			 b[64];
	int			 k, iw, x, sw, n;

	draw_fill(dc, y, 0, w, ROLE_HEADER);
	if (j == NULL)
		return;
	x = 1 + draw_text(dc, y, 1, w - 1, ROLE_HEADER, "system ");
	x += draw_text_mid(dc, y, x, w - x - 26, ROLE_HEADER, j->run_name);
	if (s->tr.n > 0) {
		snprintf(b, sizeof b, "last %lld of %lld samples",
		    (long long)(s->tr.samples < SYSM_TREND_N ? s->tr.samples :
		    SYSM_TREND_N), (long long)s->tr.samples);
		draw_text_right(dc, y, x + 2, w - x - 3, ROLE_HEADER, b);
	}
	y++;
	if (s->tr.n == 0) {
		draw_text(dc, y, 2, w - 2, ROLE_DIM, strcmp(j->state,
		    "queued") == 0 ? "queued: sampled once it starts" :
		    "no system metrics (a launched job's CPU, memory and GPUs "
		    "are sampled)");
		return;
	}
	iw = (w - 1) / s->tr.n;
	for (k = 0; k < s->tr.n; k++) {
		t = &s->tr.t[k];
		x = 1 + k * iw;
		x += draw_text(dc, y, x, iw, ROLE_DIM, t->label) + 1;
		draw_text_right(dc, y, x, 5, ROLE_BOLD, trend_value(b, t));
		x += 6;
		/* The newest samples that fit, one cell each. */
		sw = 1 + k * iw + iw - 2 - x;
		if (sw > SYSM_TREND_N)
			sw = SYSM_TREND_N;
		if (sw < 4)
			continue;
		n = t->n > sw ? sw : t->n;
		draw_spark(dc, y, x, sw, t->v + (t->n - n), n, t->lo, t->hi,
		    (enum role)(ROLE_SERIES0 + k), 0);
	}
}

/* Columns: the name and the metrics share what a wide terminal adds. */
enum { JC_RUN, JC_NAME, JC_ENTRY, JC_STATE, JC_ELAPSED, JC_EXIT, JC_METRICS,
    JC_N };
static const struct list_col jobs_cols[JC_N] = {
	[JC_RUN] = { 8, 0, 0, 0 },
	[JC_NAME] = { 20, 44, 0, 1 },
	[JC_ENTRY] = { 8, 0, 0, 0 },
	[JC_STATE] = { 8, 0, 0, 0 },
	[JC_ELAPSED] = { 7, 0, 1, 0 },
	[JC_EXIT] = { 4, 0, 1, 0 },
	[JC_METRICS] = { 12, 400, 0, 0 },
};
static const char *const jobs_heads[JC_N] = { "run", "name", "entry",
    "state", "elapsed", "exit", "metrics" };

static void
jobsv_draw(struct view *v, struct draw_ctx *dc)
{
	struct jobsv	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, c;
	int		 wd[JC_N], x[JC_N];
	struct list_col	 cols[JC_N];
	size_t		 i;
	char		 t[32], e[32], el[32];
	const char	*cell[JC_N];

	/* While a job is active, elapsed times and metrics move. */
	if (s->active)
		v->stale = 1;
	/* The cursor's system metrics take the last two lines. */
	if (h >= 8) {
		trends_draw(s, dc, h - 2, w);
		h -= 2;
	}
	list_scroll(&s->l, h - 1);
	/* The name grows no wider than the longest name in hand. */
	memcpy(cols, jobs_cols, sizeof cols);
	for (i = 0, c = cols[JC_NAME].min; i < s->n; i++)
		if ((int)text_width(s->rows[i].run_name) > c)
			c = (int)text_width(s->rows[i].run_name);
	if (c < cols[JC_NAME].max)
		cols[JC_NAME].max = c;
	list_layout(cols, JC_N, w - 2, wd);
	for (c = 0; c < JC_N; c++)
		x[c] = list_col_x(wd, c, 2);
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	list_header(dc, 0, 2, cols, wd, JC_N, jobs_heads);
	if (s->n == 0 && s->l.filter != NULL)
		draw_text(dc, 2, 2, -1, ROLE_DIM, "no job matches the filter "
		    "(Esc clears it)");
	else if (s->n == 0) {
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
		e[0] = '\0';
		if (j->has_exit_code)
			snprintf(e, sizeof e, "%d", j->exit_code);
		cell[JC_RUN] = t;
		cell[JC_NAME] = j->run_name;
		cell[JC_ENTRY] = j->entry;
		cell[JC_STATE] = j->state;
		cell[JC_ELAPSED] = jobs_elapsed(el, j, s->now);
		cell[JC_EXIT] = e;
		cell[JC_METRICS] = s->metrics[i];
		for (c = 0; c < JC_N; c++)
			list_cell(dc, y, x[c], wd[c], c == JC_STATE &&
			    r == ROLE_NORMAL ? jobs_state_role(j->state) : r,
			    &cols[c], cell[c]);
	}
}

static enum action
jobsv_handle(struct view *v, struct app *app, enum action a)
{
	struct jobsv	*s = v->state;
	struct job	*j = s->n ? &s->rows[s->l.cursor] : NULL;

	if (list_handle(&s->l, v, app, a)) {
		trends_sync(s, app_db(app), 0);
		return ACT_NONE;
	}
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
			jobs_ask_kill(app, j);
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
	char		 f[120];

	for (i = 0; i < s->n; i++) {
		running += strcmp(s->rows[i].state, "running") == 0 ||
		    strcmp(s->rows[i].state, "starting") == 0;
		queued += strcmp(s->rows[i].state, "queued") == 0;
	}
	snprintf(s->title, sizeof s->title, "jobs  %zu running, %zu queued%s",
	    running, queued, list_filter_title(&s->l, f, sizeof f));
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
		strbuf_addf(&sb, ",%s,%s,", j->state, jobs_elapsed(t, j, s->now));
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

	(void)x;
	list_click(&s->l, y);
	trends_sync(s, app_db(app), 0);
}

static void
jobsv_free(struct view *v)
{
	struct jobsv	*s = v->state;

	jobsv_clear(s);
	list_free(&s->l);
	free(s);
}

static int
jobsv_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct jobsv	*s = v->state;

	*cur = s->l.cursor;
	*n = s->l.n;
	return 1;
}

static const struct view_key jobsv_keys[] = {
	{ ACT_LAUNCH, "launch" }, { ACT_FOLLOW, "follow" },
	{ ACT_KILL, "kill" }, { ACT_ENTER, "run" }, { ACT_FILTER, "filter" },
	{ ACT_SORT_ASC, "sort" }, { ACT_SORT_DESC, "reverse" },
	{ ACT_YANK, NULL }, { ACT_PIPELINES, NULL },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops jobsv_ops = {
	.keys = jobsv_keys,
	.position = jobsv_position,
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
	struct jobsv	*s = xcalloc(1, sizeof *s);

	(void)app;
	s->l.so = &jobs_sort;
	return view_new(&jobsv_ops, s);
}

