/*
 * view_run: one run: its attributes, params, tags, and every metric with
 * last / min / max / count and a sparkline of its whole series (min..max
 * per bucket, so spikes show), and its artifacts.  A scrollable list of
 * lines; Enter on a metric plots it, on a file artifact shows it.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"
#include "db.h"
#include "db_artifact.h"
#include "db_lineage.h"
#include "db_metric.h"
#include "db_run.h"
#include "draw.h"
#include "err.h"
#include "db_life.h"
#include "list.h"
#include "mem.h"
#include "text.h"
#include "view.h"
#include "view_life.h"

#define SPARK_W 24

enum line_kind { L_SECTION, L_ATTR, L_METRIC, L_ARTIFACT };

struct line {
	enum line_kind	 kind;
	char		*key;
	char		*value;
	int64_t		 key_id;	/* metrics */
	double		 spark[SPARK_W];
	int		 nspark;
	double		 lo, hi;
};

struct runv {
	int64_t		 run_id;
	char		 uuid[33];
	char		 name[160];
	char		 title[200];
	char		*status;
	struct line	*lines;
	size_t		 n;
	struct list	 l;		/* cursor, scroll */
	struct app	*app;
};

static void
add(struct runv *s, enum line_kind k, const char *key, const char *value)
{
	struct line	*l;

	s->lines = xreallocarray(s->lines, s->n + 1, sizeof *s->lines);
	l = &s->lines[s->n++];
	memset(l, 0, sizeof *l);
	l->kind = k;
	l->key = xstrdup(key ? key : "");
	l->value = xstrdup(value ? value : "");
}

static void
clear_lines(struct runv *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++) {
		free(s->lines[i].key);
		free(s->lines[i].value);
	}
	free(s->lines);
	s->lines = NULL;
	s->n = 0;
}

/* A size as people read it: "512 B", "1.5 KB", "20 MB" (powers of 1024). */
static const char *
bytes(char buf[32], int64_t n)
{
	static const char *const unit[] = { "KB", "MB", "GB", "TB" };
	double	v = (double)n;
	int	u = -1;

	if (n < 1024) {
		snprintf(buf, 32, "%lld B", (long long)n);
		return buf;
	}
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, 32, v < 10 ? "%.1f %s" : "%.0f %s", v, unit[u]);
	return buf;
}

/* Average of each of SPARK_W buckets of the series (NaN skipped). */
static void
sparkline(struct line *l, const struct series *se)
{
	size_t	b, i, lo, hi, cnt;
	double	sum;

	l->lo = INFINITY;
	l->hi = -INFINITY;
	l->nspark = se->n < SPARK_W ? (int)se->n : SPARK_W;
	for (b = 0; b < (size_t)l->nspark; b++) {
		lo = b * se->n / (size_t)l->nspark;
		hi = (b + 1) * se->n / (size_t)l->nspark;
		sum = 0;
		cnt = 0;
		for (i = lo; i < hi; i++)
			if (isfinite(se->value[i])) {
				sum += se->value[i];
				cnt++;
			}
		l->spark[b] = cnt ? sum / (double)cnt : NAN;
		if (cnt && l->spark[b] < l->lo)
			l->lo = l->spark[b];
		if (cnt && l->spark[b] > l->hi)
			l->hi = l->spark[b];
	}
}

/* The note's section: one line per line of it (E edits it). */
static int
add_note(struct runv *s, struct db *db, struct wb_err *err)
{
	char	*note = NULL, *p, *nl;
	int	 rc;

	if ((rc = db_life_note_get(db, s->run_id, &note, err)) != WB_OK)
		return rc;
	add(s, L_SECTION, "note", NULL);
	if (note == NULL) {
		add(s, L_ATTR, "", "(none: E writes one)");
		return WB_OK;
	}
	for (p = note; p != NULL; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		add(s, L_ATTR, "", p);
	}
	wb_free(note);
	return WB_OK;
}

static void
run_rename_done(struct view *v, struct app *app, const char *text)
{
	struct runv	*s = v->state;
	struct wb_err	 err;

	if (text == NULL)
		return;
	if (db_life_rename(app_db(app), s->run_id, text, &err) != WB_OK) {
		app_error(app, "%s", err.msg);
		return;
	}
	app_changed(app);
	app_message(app, "renamed to %s", text);
}

static void
run_tag_done(struct view *v, struct app *app, const char *text)
{
	struct runv	*s = v->state;

	if (text != NULL)
		life_tag_line(app, s->run_id, text);
}

static void
run_note(struct runv *s, struct app *app)
{
	struct wb_err	 err;
	char		*old = NULL, *text = NULL;
	int		 changed;

	if (db_life_note_get(app_db(app), s->run_id, &old, &err) != WB_OK) {
		app_error(app, "%s", err.msg);
		return;
	}
	if (app_edit_text(app, old, "note", &text, &changed) != 0) {
		wb_free(old);
		return;
	}
	wb_free(old);
	if (!changed)
		app_message(app, "note unchanged");
	else if (db_life_note_set(app_db(app), s->run_id, text, &err) !=
	    WB_OK)
		app_error(app, "%s", err.msg);
	else {
		app_changed(app);
		app_message(app, "note saved");
	}
	free(text);
}

static int
run_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct runv		*s = v->state;
	struct metric_summary	*ms = NULL;
	struct kv		*kv = NULL;
	struct artifact		*art = NULL;
	struct lin_ds		*ds = NULL;
	struct series		 se;
	struct run		 r, par;
	int64_t			 nkids;
	size_t			 n, i, nt;
	char			 b[200], t1[32], t2[32], t3[32], t4[32];
	int			 rc;

	if ((rc = db_run_get(db, s->run_id, &r, err)) != WB_OK)
		return rc;
	clear_lines(s);
	snprintf(s->title, sizeof s->title, "run %s", r.name);
	free(s->status);
	s->status = xstrdup(r.status);
	add(s, L_SECTION, "run", NULL);
	add(s, L_ATTR, "name", r.name);
	snprintf(s->name, sizeof s->name, "%s", r.name ? r.name : "");
	add(s, L_ATTR, "experiment", r.experiment);
	add(s, L_ATTR, "uuid", r.uuid);
	snprintf(s->uuid, sizeof s->uuid, "%s", r.uuid);
	add(s, L_ATTR, "status", r.status);
	add(s, L_ATTR, "started", text_time(t1, r.started_at));
	add(s, L_ATTR, "ended", text_time(t1, r.ended_at));
	if (r.started_at && r.ended_at)
		add(s, L_ATTR, "duration", text_duration(t1, r.ended_at -
		    r.started_at));
	if (r.has_exit_code) {
		snprintf(b, sizeof b, "%d", r.exit_code);
		add(s, L_ATTR, "exit code", b);
	}
	if (r.source)
		add(s, L_ATTR, "source", r.source);
	if (r.command)
		add(s, L_ATTR, "command", r.command);
	if (r.git_commit) {
		snprintf(b, sizeof b, "%s%s", r.git_commit, r.git_dirty > 0 ?
		    " (dirty)" : "");
		add(s, L_ATTR, "git", b);
	}
	if (r.host || r.user) {
		snprintf(b, sizeof b, "%s@%s", r.user ? r.user : "?",
		    r.host ? r.host : "?");
		add(s, L_ATTR, "by", b);
	}
	if (r.deleted_at)
		add(s, L_ATTR, "deleted", text_time(t1, r.deleted_at));
	if (r.parent_id != 0 && db_run_get(db, r.parent_id, &par, err) ==
	    WB_OK) {
		add(s, L_ATTR, "parent", par.name);
		run_clear(&par);
	}
	if (db_life_children(db, s->run_id, &nkids, NULL, err) == WB_OK &&
	    nkids > 0) {
		snprintf(b, sizeof b, "%lld nested runs", (long long)nkids);
		add(s, L_ATTR, "children", b);
	}
	run_clear(&r);
	if ((rc = add_note(s, db, err)) != WB_OK)
		return rc;

	if ((rc = db_params_get(db, s->run_id, &kv, &n, err)) != WB_OK)
		return rc;
	snprintf(b, sizeof b, "params (%zu)", n);
	add(s, L_SECTION, b, NULL);
	for (i = 0; i < n; i++)
		add(s, L_ATTR, kv[i].key, kv[i].value);
	kv_free(kv, n);
	if ((rc = db_tags_get(db, s->run_id, &kv, &n, err)) != WB_OK)
		return rc;
	/* The note has its own section. */
	for (i = 0, nt = 0; i < n; i++)
		nt += strcmp(kv[i].key, LIFE_NOTE_TAG) != 0;
	snprintf(b, sizeof b, "tags (%zu)", nt);
	add(s, L_SECTION, b, NULL);
	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, LIFE_NOTE_TAG) != 0)
			add(s, L_ATTR, kv[i].key, kv[i].value);
	kv_free(kv, n);
	if ((rc = db_artifact_list(db, s->run_id, &art, &n, err)) != WB_OK)
		return rc;
	/* Only runs that have some: most imported runs never will. */
	if (n > 0) {
		snprintf(b, sizeof b, "artifacts (%zu)", n);
		add(s, L_SECTION, b, NULL);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(art[i].kind, "dir") == 0)
			snprintf(b, sizeof b, "folder, %lld files, %s  %.12s",
			    (long long)art[i].n_files, bytes(t1,
			    art[i].size), art[i].sha256);
		else
			snprintf(b, sizeof b, "%s  %.12s", bytes(t1,
			    art[i].size), art[i].sha256);
		add(s, L_ARTIFACT, art[i].name, b);
	}
	artifacts_free(art, n);
	if ((rc = db_lineage_datasets(db, s->run_id, &ds, &n, err)) != WB_OK)
		return rc;
	/* What it read and wrote (mlwb lineage has the whole chain). */
	if (n > 0) {
		snprintf(b, sizeof b, "data sets (%zu)", n);
		add(s, L_SECTION, b, NULL);
	}
	for (i = 0; i < n; i++) {
		char	key[160], rows[64] = "";

		snprintf(key, sizeof key, "%s%s%s", ds[i].output ? "output" :
		    "input", *ds[i].role ? " " : "", ds[i].role);
		if (ds[i].n_rows >= 0)
			snprintf(rows, sizeof rows, "  %lld rows x %lld cols",
			    (long long)ds[i].n_rows, (long long)ds[i].n_cols);
		snprintf(b, sizeof b, "%s%s  %.12s", ds[i].name, rows,
		    ds[i].digest ? ds[i].digest : "");
		add(s, L_ATTR, key, b);
	}
	lin_ds_free(ds, n);
	if ((rc = db_metric_summaries(db, s->run_id, &ms, &n, err)) != WB_OK)
		return rc;
	/* Narrow enough for the sparklines at 80 columns. */
	snprintf(t1, sizeof t1, "metrics (%zu)", n);
	snprintf(b, sizeof b, "%-22s%10s %10s %10s %6s", t1, "last", "min",
	    "max", "count");
	add(s, L_SECTION, b, NULL);
	for (i = 0; i < n; i++) {
		snprintf(b, sizeof b, "%10s %10s %10s %6lld",
		    draw_num_fit(t1, ms[i].last, 10),
		    ms[i].has_minmax ? draw_num_fit(t2, ms[i].min, 10) : "",
		    ms[i].has_minmax ? draw_num_fit(t3, ms[i].max, 10) : "",
		    (long long)ms[i].count);
		(void)t4;
		add(s, L_METRIC, ms[i].key, b);
		s->lines[s->n - 1].key_id = ms[i].key_id;
		if (db_series_load(db, s->run_id, ms[i].key_id, &se, err) ==
		    WB_OK) {
			sparkline(&s->lines[s->n - 1], &se);
			series_free(&se);
		}
	}
	metric_summaries_free(ms, n);
	if (s->l.cursor >= (int)s->n)
		s->l.cursor = (int)s->n - 1;
	return WB_OK;
}

static void
run_draw(struct view *v, struct draw_ctx *dc)
{
	struct runv	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y;
	size_t		 i;

	s->l.n = (int64_t)s->n;
	list_scroll(&s->l, h);
	for (y = 0, i = (size_t)s->l.top; y < h && i < s->n; y++, i++) {
		const struct line *l = &s->lines[i];
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 0, 1, r, ">");
		}
		switch (l->kind) {
		case L_SECTION:
			draw_text(dc, y, 1, -1, r == ROLE_SELECTED ? r :
			    ROLE_HEADER, l->key);
			break;
		case L_ARTIFACT:
		case L_ATTR:
			draw_text(dc, y, 3, 22, r == ROLE_SELECTED ? r :
			    ROLE_DIM, l->key);
			draw_text(dc, y, 26, w - 26, r, l->value);
			if (strcmp(l->key, "status") == 0 && r == ROLE_NORMAL &&
			    s->status != NULL)
				draw_text(dc, y, 26, w - 26, strcmp(s->status,
				    "failed") == 0 ? ROLE_FAILED :
				    strcmp(s->status, "running") == 0 ?
				    ROLE_RUNNING : strcmp(s->status,
				    "finished") == 0 ? ROLE_FINISHED :
				    ROLE_KILLED, l->value);
			break;
		case L_METRIC:
			draw_text(dc, y, 3, 20, r, l->key);
			draw_text(dc, y, 23, w - 23, r, l->value);
			/* Whatever room is left, at least 8 cells. */
			if (w - (23 + 39 + 2) - 1 >= 8)
				draw_spark(dc, y, 23 + 39 + 2, w - (23 + 39 + 2)
				    - 1, l->spark, l->nspark, l->lo, l->hi,
				    r == ROLE_SELECTED ? r : ROLE_SERIES0, 1);
			break;
		}
	}
}

static enum action
run_handle(struct view *v, struct app *app, enum action a)
{
	struct runv	*s = v->state;
	int64_t		 id = s->run_id;

	s->l.n = (int64_t)s->n;
	if (list_move(&s->l, a, list_page(v->rows)))
		return ACT_NONE;
	switch (a) {
	case ACT_ENTER:
		if (s->n && s->lines[s->l.cursor].kind == L_ARTIFACT) {
			if (strncmp(s->lines[s->l.cursor].value, "folder", 6)
			    == 0)
				app_message(app, "%s is a folder: mlwb "
				    "artifacts get writes it out",
				    s->lines[s->l.cursor].key);
			else
				app_push(app, view_text_new(app, id,
				    s->lines[s->l.cursor].key));
			return ACT_NONE;
		}
		/* FALLTHROUGH */
	case ACT_PLOT:
		app_push(app, view_chart_new(app, &id, 1, s->n &&
		    s->lines[s->l.cursor].kind == L_METRIC ?
		    s->lines[s->l.cursor].key_id : 0));
		return ACT_NONE;
	case ACT_YANK:
		app_yank(app, "run UUID", s->uuid);
		return ACT_NONE;
	case ACT_RENAME:
		app_prompt(app, "rename to: ", s->name, "rename",
		    run_rename_done);
		return ACT_NONE;
	case ACT_TAG:
		app_prompt(app, "tags (k=v sets, -k removes): ", "", "tag",
		    run_tag_done);
		return ACT_NONE;
	case ACT_NOTE:
		run_note(s, app);
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
run_title(struct view *v)
{
	return ((struct runv *)v->state)->title;
}

static const char *
run_crumb(struct view *v)
{
	return ((struct runv *)v->state)->name;
}

static int
run_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct runv	*s = v->state;

	*cur = s->l.cursor;
	*n = (int64_t)s->n;
	return 1;
}

static void
run_free(struct view *v)
{
	struct runv	*s = v->state;

	clear_lines(s);
	free(s->status);
	free(s);
}

static const struct view_key run_keys[] = {
	{ ACT_PLOT, "chart" }, { ACT_ENTER, NULL }, { ACT_YANK, "copy UUID" },
	{ ACT_NOTE, "note" }, { ACT_RENAME, "rename" }, { ACT_TAG, "tags" },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

/* A read-only workspace offers no lifecycle key. */
static int
run_avail(struct view *v, enum action a)
{
	struct runv	*s = v->state;

	if (a == ACT_NOTE || a == ACT_RENAME || a == ACT_TAG)
		return !app_readonly(s->app);
	return 1;
}

static const struct view_ops run_ops = {
	.keys = run_keys,
	.avail = run_avail,
	.crumb = run_crumb,
	.position = run_position,
	.name = "run",
	.load = run_load,
	.draw = run_draw,
	.handle = run_handle,
	.free = run_free,
	.title = run_title,
};

struct view *
view_run_new(struct app *app, int64_t run_id)
{
	struct runv	*s = xcalloc(1, sizeof *s);

	s->app = app;
	s->run_id = run_id;
	return view_new(&run_ops, s);
}
