/*
 * view_pipelines: the pipelines screens (6, or P on the jobs screen).
 * The list: pipeline runs, newest first, with state, start, duration and
 * what failed.  Enter: one run's steps as a layered graph in text (a step
 * one layer below the deepest step it needs, drawn indented under it),
 * each with a state mark that reads without colour, its duration and key
 * metric.  On a step, Enter opens its run, o follows its output, r
 * re-runs the pipeline from it and K cancels the pipeline (both ask y/N).
 * While a run is active the screens reload each frame, as the jobs
 * screen does.  Everything goes through src/pipeline.h: no SQL here.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "mem.h"
#include "pipeline.h"
#include "project.h"
#include "text.h"
#include "view.h"
#include "xmem.h"

/* A state's colour; the mark and the word say it without colour. */
static enum role
state_role(const char *st)
{
	if (strcmp(st, "done") == 0)
		return ROLE_FINISHED;
	if (strcmp(st, "running") == 0)
		return ROLE_RUNNING;
	if (strcmp(st, "failed") == 0 || strcmp(st, "lost") == 0)
		return ROLE_FAILED;
	if (strcmp(st, "cancelled") == 0)
		return ROLE_KILLED;
	return ROLE_QUEUED;
}

/* "✓ done" in UTF-8, "[+] done" otherwise. */
static const char *
state_text(char buf[32], const char *st, int utf8)
{
	static const struct {
		const char *state, *glyph, *ascii;
	} marks[] = {
		{ "done", "\xe2\x9c\x93", "[+]" },
		{ "failed", "\xe2\x9c\x97", "[x]" },
		{ "running", "\xe2\x97\x8f", "[>]" },
		{ "pending", "\xe2\x97\x8b", "[ ]" },
		{ "skipped", "-", "[-]" },
		{ "cancelled", "\xe2\x8a\x98", "[/]" },
		{ "lost", "?", "[?]" },
	};
	size_t	i;

	for (i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strcmp(st, marks[i].state) == 0) {
			snprintf(buf, 32, "%s %s", utf8 ? marks[i].glyph :
			    marks[i].ascii, st);
			return buf;
		}
	snprintf(buf, 32, "%s %s", utf8 ? "\xc2\xb7" : "[.]", st);
	return buf;
}

static int
active(const char *st)
{
	return strcmp(st, "running") == 0 || strcmp(st, "pending") == 0;
}

/* "1m03s" from start to end (or now while it runs); "" before it. */
static const char *
duration(char buf[32], int64_t start, int64_t end, int64_t now)
{
	if (start == 0)
		return strcpy(buf, "");
	return text_duration(buf, (end ? end : now) - start);
}

/* The project file from here, for a re-run; NULL with the error shown. */
static struct project *
project_here(struct app *app)
{
	struct project	*p = NULL;
	struct wb_err	 err;
	char		*path = NULL;
	int		 rc;

	if ((rc = project_find(".", &path, &err)) == WB_OK)
		rc = project_load(path, &p, &err);
	wb_free(path);
	if (rc != WB_OK) {
		app_error(app, "%s", rc == WB_ENOTFOUND ? "no mlwb.yaml here "
		    "(or above): a re-run needs the project's pipelines" :
		    err.msg);
		return NULL;
	}
	return p;
}

/* The list of pipeline runs ------------------------------------------- */

struct plist {
	struct pipeline_run	*rows;
	size_t			 n;
	struct list		 l;
	int64_t			 now;
	int			 active;
	int64_t			 cancel_id;
	char			 title[160];
};

static int
plist_cmp(const void *pa, const void *pb, int key)
{
	const struct pipeline_run	*a = pa, *b = pb;
	int				 c = 0;

	if (key == 1)
		c = strcmp(a->pipeline, b->pipeline);
	else if (key == 2)
		c = strcmp(a->state, b->state);
	return c != 0 ? c : list_cmp_newest(a->started_at, a->run_id,
	    b->started_at, b->run_id);
}

static int
plist_match(const void *row, const char *filter)
{
	const struct pipeline_run	*r = row;
	const char			*f[] = { r->pipeline, r->name, r->state,
	    r->reason, r->uuid };

	return list_match_any(f, sizeof f / sizeof f[0], filter);
}

static void
plist_drop(void *row)
{
	pipeline_run_clear(row);
}

static const char *const plist_sort_keys[] = { "newest", "pipeline",
    "state", NULL };
static const struct list_sort plist_sort = { plist_sort_keys, plist_cmp,
    plist_match, plist_drop, "pipeline-filter" };

static int
plist_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct plist		*s = v->state;
	struct pipeline_run	*rows;
	int64_t			 keep = s->n && s->l.cursor < (int64_t)s->n ?
	    s->rows[s->l.cursor].run_id : 0;
	size_t			 n, i;
	int			 rc;

	if ((rc = pipeline_list(db, NULL, &rows, &n, err)) != WB_OK)
		return rc;
	n = list_order(&s->l, rows, n, sizeof *rows);
	pipeline_runs_free(s->rows, s->n);
	s->rows = rows;
	s->n = n;
	s->active = 0;
	for (i = 0; i < n; i++) {
		if (rows[i].run_id == keep)
			s->l.cursor = (int64_t)i;
		if (active(rows[i].state))
			s->active = 1;
	}
	s->l.n = (int64_t)n;
	list_set(&s->l, s->l.cursor);
	s->now = db_now_ms();
	return WB_OK;
}

enum { PC_RUN, PC_PIPE, PC_STATE, PC_START, PC_DUR, PC_WHY, PC_N };
static const struct list_col plist_cols[PC_N] = {
	[PC_RUN] = { 8, 0, 0, 0 },
	[PC_PIPE] = { 12, 30, 0, 0 },
	[PC_STATE] = { 13, 0, 0, 0 },
	[PC_START] = { 16, 0, 0, 0 },
	[PC_DUR] = { 7, 0, 1, 0 },
	[PC_WHY] = { 10, 400, 0, 0 },
};
static const char *const plist_heads[PC_N] = { "run", "pipeline", "state",
    "started", "took", "failed step / why" };

static void
plist_draw(struct view *v, struct draw_ctx *dc)
{
	struct plist	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, c;
	int		 wd[PC_N], x[PC_N];
	char		 id[16], st[32], t[32], d[32];
	const char	*cell[PC_N];
	size_t		 i;

	if (s->active)
		v->stale = 1;	/* states and durations move */
	list_scroll(&s->l, h - 1);
	list_layout(plist_cols, PC_N, w - 2, wd);
	for (c = 0; c < PC_N; c++)
		x[c] = list_col_x(wd, c, 2);
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	list_header(dc, 0, 2, plist_cols, wd, PC_N, plist_heads);
	if (s->n == 0)
		draw_text(dc, 2, 2, -1, ROLE_DIM, s->l.filter != NULL ?
		    "no pipeline run matches the filter (Esc clears it)" :
		    "no pipeline runs yet: mlwb pipeline run NAME");
	for (y = 1, i = (size_t)s->l.top; y < h && i < s->n; y++, i++) {
		const struct pipeline_run *r = &s->rows[i];
		enum role ro = (int64_t)i == s->l.cursor ? ROLE_SELECTED :
		    ROLE_NORMAL;

		if (ro == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, ro);
			draw_text(dc, y, 0, 1, ro, ">");
		}
		snprintf(id, sizeof id, "%.8s", r->uuid);
		text_time(t, r->started_at);
		t[16] = '\0';
		cell[PC_RUN] = id;
		cell[PC_PIPE] = r->pipeline;
		cell[PC_STATE] = state_text(st, r->state, draw_utf8(dc));
		cell[PC_START] = t;
		cell[PC_DUR] = duration(d, r->started_at, r->ended_at, s->now);
		cell[PC_WHY] = r->reason;
		for (c = 0; c < PC_N; c++)
			list_cell(dc, y, x[c], wd[c], c == PC_STATE &&
			    ro == ROLE_NORMAL ? state_role(r->state) : ro,
			    &plist_cols[c], cell[c]);
	}
}

static void
cancel_yes(struct view *v, struct app *app, int64_t run_id)
{
	struct wb_err	err;

	(void)v;
	if (pipeline_cancel(app_db(app), run_id, &err) != WB_OK)
		app_error(app, "%s", err.msg);
	else
		app_message(app, "cancelling: its running steps get SIGTERM");
	app_changed(app);
}

static void
plist_cancel_yes(struct view *v, struct app *app)
{
	cancel_yes(v, app, ((struct plist *)v->state)->cancel_id);
}

static enum action
plist_handle(struct view *v, struct app *app, enum action a)
{
	struct plist		*s = v->state;
	struct pipeline_run	*r = s->n ? &s->rows[s->l.cursor] : NULL;
	char			 q[200];

	if (list_handle(&s->l, v, app, a))
		return ACT_NONE;
	switch (a) {
	case ACT_ENTER:
		if (r != NULL)
			app_push(app, view_pipeline_new(app, r->run_id));
		return ACT_NONE;
	case ACT_YANK:
		if (r != NULL)
			app_yank(app, "run UUID", r->uuid);
		return ACT_NONE;
	case ACT_KILL:
		if (r == NULL)
			return ACT_NONE;
		if (app_readonly(app)) {
			app_error(app, "read-only workspace");
			return ACT_NONE;
		}
		if (!active(r->state)) {
			app_error(app, "%s %.8s already ended (%s)",
			    r->pipeline, r->uuid, r->state);
			return ACT_NONE;
		}
		s->cancel_id = r->run_id;
		snprintf(q, sizeof q, "Cancel pipeline %s (%.8s)?",
		    r->pipeline, r->uuid);
		app_confirm(app, q, plist_cancel_yes, NULL);
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
plist_title(struct view *v)
{
	struct plist	*s = v->state;
	size_t		 i, running = 0;
	char		 f[120];

	for (i = 0; i < s->n; i++)
		running += active(s->rows[i].state);
	snprintf(s->title, sizeof s->title, "pipelines  %zu runs, %zu "
	    "running%s", s->n, running, list_filter_title(&s->l, f,
	    sizeof f));
	return s->title;
}

static void
plist_free(struct view *v)
{
	struct plist	*s = v->state;

	pipeline_runs_free(s->rows, s->n);
	list_free(&s->l);
	free(s);
}

static int
plist_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct plist	*s = v->state;

	*cur = s->l.cursor;
	*n = s->l.n;
	return 1;
}

static void
plist_click(struct view *v, struct app *app, int y, int x)
{
	(void)app;
	(void)x;
	list_click(&((struct plist *)v->state)->l, y);
}

static const struct view_key plist_keys[] = {
	{ ACT_ENTER, "steps" }, { ACT_KILL, "cancel" },
	{ ACT_FILTER, "filter" }, { ACT_SORT_ASC, "sort" },
	{ ACT_SORT_DESC, "reverse" }, { ACT_YANK, NULL },
	LIST_NAV_KEYS,
	{ ACT_NONE, NULL }
};

static const struct view_ops plist_ops = {
	.name = "pipelines",
	.load = plist_load,
	.draw = plist_draw,
	.handle = plist_handle,
	.free = plist_free,
	.keys = plist_keys,
	.title = plist_title,
	.click = plist_click,
	.position = plist_position,
};

struct view *
view_pipelines_new(struct app *app)
{
	struct plist	*s = xcalloc(1, sizeof *s);

	(void)app;
	s->l.so = &plist_sort;
	return view_new(&plist_ops, s);
}

/* One pipeline run: its steps as a layered graph ---------------------- */

struct pgraph {
	int64_t			 run_id;
	struct pipeline_run	 r;
	int			 loaded;
	size_t			*order;		/* steps as drawn */
	int			*layer;		/* per step */
	char			(*prefix)[72];	/* per step: tree lines */
	int			 utf8;
	struct list		 l;
	int64_t			 now;
	char			 step[128];	/* asked about */
	char			 title[200];
	char			 crumb[64];
};

/*
 * The graph as a tree: a step hangs under the deepest step it needs (its
 * layer is one more), children in definition order; its other needs are
 * named in its row.  order[] is the drawing order, depth[] the layer,
 * and prefix[] the tree's lines left of each name ("│  ├─ ").
 */
static void
dfs(struct pgraph *s, const int *parent, size_t i, int utf8, char *pre,
    size_t *k)
{
	struct pipeline_run	*r = &s->r;
	size_t			 j, last = (size_t)-1, len = strlen(pre);

	s->order[(*k)++] = i;
	for (j = 0; j < r->nsteps; j++)
		if (parent[j] == (int)i)
			last = j;
	for (j = 0; j < r->nsteps; j++) {
		if (parent[j] != (int)i)
			continue;
		snprintf(s->prefix[j], sizeof s->prefix[j], "%s%s", pre,
		    j == last ? (utf8 ? "\xe2\x94\x94\xe2\x94\x80 " : "`- ") :
		    (utf8 ? "\xe2\x94\x9c\xe2\x94\x80 " : "|- "));
		if (len + 8 < 64)
			snprintf(pre + len, 64 - len, "%s", j == last ? "   " :
			    (utf8 ? "\xe2\x94\x82  " : "|  "));
		dfs(s, parent, j, utf8, pre, k);
		pre[len] = '\0';
	}
}

static void
layout(struct pgraph *s, int utf8)
{
	struct pipeline_run	*r = &s->r;
	size_t			 i, j, k, pass, n = r->nsteps;
	int			 changed, *parent;
	char			 pre[64];

	free(s->order);
	free(s->layer);
	free(s->prefix);
	s->order = xcalloc(n + 1, sizeof *s->order);
	s->layer = xcalloc(n + 1, sizeof *s->layer);
	s->prefix = xcalloc(n + 1, sizeof *s->prefix);
	parent = xcalloc(n + 1, sizeof *parent);
	/* At most n passes: a cycle (never stored) cannot loop forever. */
	for (pass = 0, changed = 1; changed && pass <= n; pass++) {
		changed = 0;
		for (i = 0; i < n; i++)
			for (j = 0; j < r->steps[i].nneeds; j++)
				for (k = 0; k < n; k++)
					if (strcmp(r->steps[k].name,
					    r->steps[i].needs[j]) == 0 &&
					    s->layer[k] + 1 > s->layer[i]) {
						s->layer[i] = s->layer[k] + 1;
						changed = 1;
					}
	}
	for (i = 0; i < n; i++) {
		parent[i] = -1;
		for (j = 0; j < r->steps[i].nneeds && parent[i] < 0; j++)
			for (k = 0; k < n; k++)
				if (strcmp(r->steps[k].name,
				    r->steps[i].needs[j]) == 0 &&
				    s->layer[k] + 1 == s->layer[i]) {
					parent[i] = (int)k;
					break;
				}
	}
	for (i = 0, k = 0; i < n; i++)
		if (parent[i] < 0) {
			pre[0] = '\0';
			dfs(s, parent, i, utf8, pre, &k);
		}
	/* A step left out (a cycle): listed at the end, flat. */
	for (i = 0; k < n && i < n; i++) {
		for (j = 0; j < k && s->order[j] != i; j++)
			continue;
		if (j == k)
			s->order[k++] = i;
	}
	free(parent);
}

static int
pgraph_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct pgraph		*s = v->state;
	struct pipeline_run	 r;
	char			 keep[128] = "";
	size_t			 i;
	int			 rc;

	if (s->loaded && s->r.nsteps > 0 && s->l.cursor < (int64_t)s->r.nsteps)
		snprintf(keep, sizeof keep, "%s",
		    s->r.steps[s->order[s->l.cursor]].name);
	if ((rc = pipeline_get(db, s->run_id, &r, err)) != WB_OK)
		return rc;
	pipeline_run_clear(&s->r);
	s->r = r;
	s->loaded = 1;
	layout(s, s->utf8);
	s->l.n = (int64_t)r.nsteps;
	for (i = 0; i < r.nsteps; i++)
		if (strcmp(r.steps[s->order[i]].name, keep) == 0)
			s->l.cursor = (int64_t)i;
	list_set(&s->l, s->l.cursor);
	s->now = db_now_ms();
	return WB_OK;
}

/* The run's id goes first when the width runs out: Enter opens it. */
enum { GC_STEP, GC_KIND, GC_STATE, GC_DUR, GC_METRIC, GC_WHY, GC_RUN,
    GC_N };
static const struct list_col pgraph_cols[GC_N] = {
	[GC_STEP] = { 16, 36, 0, 0 },
	[GC_KIND] = { 8, 0, 0, 0 },
	[GC_STATE] = { 13, 0, 0, 0 },
	[GC_DUR] = { 6, 0, 1, 0 },
	[GC_METRIC] = { 12, 24, 0, 0 },
	[GC_WHY] = { 12, 400, 0, 0 },
	[GC_RUN] = { 8, 0, 0, 0 },
};
static const char *const pgraph_heads[GC_N] = { "step", "kind", "state",
    "took", "metric", "why / needs", "run" };

static void
pgraph_draw(struct view *v, struct draw_ctx *dc)
{
	struct pgraph	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, c, utf8;
	int		 wd[GC_N], x[GC_N];
	char		 name[160], st[32], d[32], m[64], id[16], why[300];
	char		 num[32], t[32];
	const char	*cell[GC_N];
	size_t		 i, j, len;

	utf8 = draw_utf8(dc);
	if (active(s->r.state ? s->r.state : ""))
		v->stale = 1;
	/* The run's line: what it is, how it went. */
	text_time(t, s->r.started_at);
	t[16] = '\0';
	draw_fill(dc, 0, 0, w, ROLE_NORMAL);
	c = draw_printf(dc, 0, 1, w - 2, ROLE_NORMAL, "%s  %.8s  ",
	    s->r.pipeline ? s->r.pipeline : "", s->r.uuid);
	c += draw_text(dc, 0, 1 + c, w - 2 - c, state_role(s->r.state ?
	    s->r.state : ""), state_text(st, s->r.state ? s->r.state : "",
	    utf8));
	draw_printf(dc, 0, 1 + c, w - 2 - c, ROLE_DIM, "  started %s, took "
	    "%s%s%s", t, duration(d, s->r.started_at, s->r.ended_at, s->now),
	    s->r.reason ? ": " : "", s->r.reason ? s->r.reason : "");
	list_scroll(&s->l, h - 2);
	list_layout(pgraph_cols, GC_N, w - 2, wd);
	for (c = 0; c < GC_N; c++)
		x[c] = list_col_x(wd, c, 2);
	draw_fill(dc, 1, 0, w, ROLE_HEADER);
	list_header(dc, 1, 2, pgraph_cols, wd, GC_N, pgraph_heads);
	if (s->r.nsteps == 0)
		draw_text(dc, 3, 2, -1, ROLE_DIM, "no steps recorded yet");
	for (y = 2, i = (size_t)s->l.top; y < h && i < s->r.nsteps; y++, i++) {
		const struct pipeline_step *p = &s->r.steps[s->order[i]];
		enum role ro = (int64_t)i == s->l.cursor ? ROLE_SELECTED :
		    ROLE_NORMAL;

		if (ro == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, ro);
			draw_text(dc, y, 0, 1, ro, ">");
		}
		/* Hung under the deepest step it needs. */
		snprintf(name, sizeof name, "%s%s", s->prefix[s->order[i]],
		    p->name);
		m[0] = '\0';
		if (p->metric != NULL && p->has_value)
			snprintf(m, sizeof m, "%s %s", p->metric,
			    text_num_short(num, p->value, 4));
		else if (p->version != NULL)
			snprintf(m, sizeof m, "version %s", p->version);
		snprintf(id, sizeof id, "%.8s", p->run_uuid);
		len = 0;
		why[0] = '\0';
		if (p->reason != NULL)
			len += (size_t)snprintf(why, sizeof why, "%s  ",
			    p->reason);
		/* The tree shows one need; name them when there are more. */
		for (j = 0; p->nneeds > 1 && j < p->nneeds &&
		    len < sizeof why; j++)
			len += (size_t)snprintf(why + len, sizeof why - len,
			    "%s%s", j ? ", " : "needs ", p->needs[j]);
		if (p->cached && len < sizeof why)
			snprintf(why + len, sizeof why - len, "%s(from an "
			    "earlier run)", len ? "  " : "");
		cell[GC_STEP] = name;
		cell[GC_KIND] = p->kind;
		cell[GC_STATE] = state_text(st, p->state, utf8);
		cell[GC_DUR] = duration(d, p->started_at, p->ended_at, s->now);
		cell[GC_METRIC] = m;
		cell[GC_RUN] = id;
		cell[GC_WHY] = why;
		for (c = 0; c < GC_N; c++)
			list_cell(dc, y, x[c], wd[c], c == GC_STATE &&
			    ro == ROLE_NORMAL ? state_role(p->state) : ro,
			    &pgraph_cols[c], cell[c]);
	}
}

static const struct pipeline_step *
pgraph_cur(struct pgraph *s)
{
	if (s->r.nsteps == 0 || s->l.cursor >= (int64_t)s->r.nsteps)
		return NULL;
	return &s->r.steps[s->order[s->l.cursor]];
}

static void
rerun_yes(struct view *v, struct app *app)
{
	struct pgraph	*s = v->state;
	struct project	*p;
	struct wb_err	 err;
	int64_t		 id;

	if ((p = project_here(app)) == NULL)
		return;
	if (pipeline_rerun(app_db(app), p, cli_supervisor_cmd(), s->run_id,
	    s->step, &id, &err) != WB_OK)
		app_error(app, "%s", err.msg);
	else {
		app_message(app, "re-running %s from %s", s->r.pipeline,
		    s->step);
		s->run_id = id;	/* follow the new run */
		s->l.cursor = 0;
	}
	project_free(p);
	app_changed(app);
}

static void
pgraph_cancel_yes(struct view *v, struct app *app)
{
	cancel_yes(v, app, ((struct pgraph *)v->state)->run_id);
}

static enum action
pgraph_handle(struct view *v, struct app *app, enum action a)
{
	struct pgraph			*s = v->state;
	const struct pipeline_step	*p = pgraph_cur(s);
	char				 q[300];

	if (list_handle(&s->l, v, app, a))
		return ACT_NONE;
	switch (a) {
	case ACT_ENTER:
	case ACT_FOLLOW:
		if (p == NULL)
			return ACT_NONE;
		if (p->run_id == 0)
			app_error(app, "step %s has no run (%s)", p->name,
			    p->state);
		else
			app_push(app, a == ACT_ENTER ? view_run_new(app,
			    p->run_id) : view_joblog_new(app, p->run_id));
		return ACT_NONE;
	case ACT_YANK:
		if (p != NULL && p->run_uuid[0] != '\0')
			app_yank(app, "run UUID", p->run_uuid);
		return ACT_NONE;
	case ACT_RERUN:
	case ACT_KILL:
		if (app_readonly(app)) {
			app_error(app, "read-only workspace");
			return ACT_NONE;
		}
		if (a == ACT_KILL)
			break;
		if (p == NULL)
			return ACT_NONE;
		if (active(s->r.state)) {
			app_error(app, "%s is still running: K cancels it "
			    "first", s->r.pipeline);
			return ACT_NONE;
		}
		snprintf(s->step, sizeof s->step, "%s", p->name);
		snprintf(q, sizeof q, "Re-run %s from step %s (and what needs "
		    "it)?", s->r.pipeline, p->name);
		app_confirm(app, q, rerun_yes, NULL);
		return ACT_NONE;
	default:
		return a;
	}
	/* ACT_KILL: cancel the whole pipeline run. */
	{
		if (!active(s->r.state)) {
			app_error(app, "%s %.8s already ended (%s)",
			    s->r.pipeline, s->r.uuid, s->r.state);
			return ACT_NONE;
		}
		snprintf(q, sizeof q, "Cancel pipeline %s (%.8s)?",
		    s->r.pipeline, s->r.uuid);
		app_confirm(app, q, pgraph_cancel_yes, NULL);
		return ACT_NONE;
	}
}

static const char *
pgraph_title(struct view *v)
{
	struct pgraph	*s = v->state;

	snprintf(s->title, sizeof s->title, "pipeline %s  %zu steps",
	    s->r.pipeline ? s->r.pipeline : "", s->r.nsteps);
	return s->title;
}

static const char *
pgraph_crumb(struct view *v)
{
	struct pgraph	*s = v->state;

	snprintf(s->crumb, sizeof s->crumb, "%s %.8s", s->r.pipeline ?
	    s->r.pipeline : "", s->r.uuid);
	return s->crumb;
}

static void
pgraph_free(struct view *v)
{
	struct pgraph	*s = v->state;

	pipeline_run_clear(&s->r);
	free(s->order);
	free(s->layer);
	free(s->prefix);
	list_free(&s->l);
	free(s);
}

static int
pgraph_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct pgraph	*s = v->state;

	*cur = s->l.cursor;
	*n = s->l.n;
	return 1;
}

static void
pgraph_click(struct view *v, struct app *app, int y, int x)
{
	(void)app;
	(void)x;
	if (y >= 1)
		list_click(&((struct pgraph *)v->state)->l, y - 1);
}

static const struct view_key pgraph_keys[] = {
	{ ACT_ENTER, "run" }, { ACT_FOLLOW, "follow" },
	{ ACT_RERUN, "re-run from" }, { ACT_KILL, "cancel" },
	{ ACT_YANK, NULL },
	LIST_NAV_KEYS,
	{ ACT_NONE, NULL }
};

static const struct view_ops pgraph_ops = {
	.name = "pipeline",
	.load = pgraph_load,
	.draw = pgraph_draw,
	.handle = pgraph_handle,
	.free = pgraph_free,
	.keys = pgraph_keys,
	.title = pgraph_title,
	.crumb = pgraph_crumb,
	.click = pgraph_click,
	.position = pgraph_position,
};

struct view *
view_pipeline_new(struct app *app, int64_t run_id)
{
	struct pgraph	*s = xcalloc(1, sizeof *s);

	s->run_id = run_id;
	s->utf8 = app_utf8(app);
	return view_new(&pgraph_ops, s);
}
