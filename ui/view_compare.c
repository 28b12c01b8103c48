/*
 * view_compare: marked runs side by side (`c` in the runs list).  Rows are
 * params (a '*' and the changed colour where the runs differ; `u` hides
 * the unchanged ones), then per metric its last value (the best run's in
 * the best colour), best value @ step, min..max, and the delta of the
 * last value against the baseline run (`b` moves the baseline to the next
 * run).  h/l scroll the run columns, Enter or p charts the metric under
 * the cursor, ":better KEY lower|higher" overrides a metric's direction.  The data is src/compare.c's; this file lays it out.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"
#include "compare.h"
#include "db_metric.h"
#include "db_run.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "strbuf.h"
#include "text.h"
#include "view.h"

#define KEY_W	24
#define COL_W	16

enum rkind { R_SECTION, R_PARAM, R_LAST, R_BEST, R_RANGE, R_DELTA, R_TAG };

/* A run's tags, compared like params (the view reads them itself). */
struct ctag {
	char	*key;
	char	**values;	/* n; NULL where the run has no such tag */
	int	 differs;
};

struct crow {
	enum rkind	 kind;
	size_t		 i;		/* param or metric index */
};

struct cmpv {
	struct app	*app;
	int64_t		*ids;
	size_t		 n;
	size_t		 baseline;
	struct compare	*c;
	struct crow	*rows;
	size_t		 nrows;
	int		 hide_same;
	struct cmp_dir	*dirs;		/* :better overrides (keys owned) */
	size_t		 ndirs;
	struct list	 l;		/* cursor, scroll */
	int		 left;
	size_t		 prefix;	/* common to every run name */
	struct ctag	*tags;
	size_t		 ntag;
	char		 title[128];
};

static void
tags_free(struct cmpv *s)
{
	size_t	i, r;

	for (i = 0; i < s->ntag; i++) {
		for (r = 0; r < s->n; r++)
			free(s->tags[i].values[r]);
		free(s->tags[i].values);
		free(s->tags[i].key);
	}
	free(s->tags);
	s->tags = NULL;
	s->ntag = 0;
}

/* The union of the runs' tag keys, in key order, with each run's value. */
static int
tags_load(struct cmpv *s, struct db *db, struct wb_err *err)
{
	struct kv	*kv;
	size_t		 nkv, i, j, r;
	int		 rc;

	tags_free(s);
	for (r = 0; r < s->n; r++) {
		if ((rc = db_tags_get(db, s->ids[r], &kv, &nkv, err)) != WB_OK)
			return rc;
		for (i = 0; i < nkv; i++) {
			for (j = 0; j < s->ntag; j++)
				if (strcmp(s->tags[j].key, kv[i].key) >= 0)
					break;
			if (j == s->ntag || strcmp(s->tags[j].key,
			    kv[i].key) != 0) {
				s->tags = xreallocarray(s->tags, s->ntag + 1,
				    sizeof *s->tags);
				memmove(&s->tags[j + 1], &s->tags[j],
				    (s->ntag - j) * sizeof *s->tags);
				s->tags[j].key = xstrdup(kv[i].key);
				s->tags[j].values = xcalloc(s->n,
				    sizeof(char *));
				s->tags[j].differs = 0;
				s->ntag++;
			}
			free(s->tags[j].values[r]);
			s->tags[j].values[r] = kv[i].value ?
			    xstrdup(kv[i].value) : NULL;
		}
		kv_free(kv, nkv);
	}
	for (j = 0; j < s->ntag; j++)
		for (r = 1; r < s->n; r++) {
			const char *x = s->tags[j].values[0];
			const char *y = s->tags[j].values[r];

			if ((x == NULL) != (y == NULL) || (x != NULL &&
			    strcmp(x, y) != 0))
				s->tags[j].differs = 1;
		}
	return WB_OK;
}

static void
add_row(struct cmpv *s, enum rkind k, size_t i)
{
	s->rows = xreallocarray(s->rows, s->nrows + 1, sizeof *s->rows);
	s->rows[s->nrows].kind = k;
	s->rows[s->nrows].i = i;
	s->nrows++;
}

/* The row list for the current hide_same setting. */
static void
build_rows(struct cmpv *s)
{
	const struct compare	*c = s->c;
	size_t			 i;

	free(s->rows);
	s->rows = NULL;
	s->nrows = 0;
	if (c == NULL)
		return;
	add_row(s, R_SECTION, 0);
	for (i = 0; i < c->nparam; i++)
		if (!s->hide_same || c->params[i].differs)
			add_row(s, R_PARAM, i);
	add_row(s, R_SECTION, 1);
	for (i = 0; i < c->nmetric; i++) {
		if (s->hide_same && !c->metrics[i].differs)
			continue;
		add_row(s, R_LAST, i);
		add_row(s, R_BEST, i);
		add_row(s, R_RANGE, i);
		if (c->nrun > 1)
			add_row(s, R_DELTA, i);
	}
	for (i = 0; i < s->ntag; i++)
		if (!s->hide_same || s->tags[i].differs) {
			if (s->rows[s->nrows - 1].kind != R_TAG)
				add_row(s, R_SECTION, 2);
			add_row(s, R_TAG, i);
		}
	if (s->l.cursor >= (int)s->nrows)
		s->l.cursor = (int)s->nrows - 1;
	if (s->l.cursor < 0)
		s->l.cursor = 0;
}

static int
compare_view_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct cmpv	*s = v->state;
	struct compare	*c;
	size_t		 r;
	int		 rc;

	if ((rc = compare_load(db, s->ids, s->n, s->baseline, s->dirs, s->ndirs, &c,
	    err)) != WB_OK)
		return rc;
	compare_free(s->c);
	s->c = c;
	if ((rc = tags_load(s, db, err)) != WB_OK)
		return rc;
	build_rows(s);
	/* Names of a sweep share a long prefix, cut at a word boundary. */
	s->prefix = strlen(c->runs[0].name);
	for (r = 1; r < c->nrun; r++) {
		size_t k = 0;

		while (k < s->prefix && c->runs[r].name[k] ==
		    c->runs[0].name[k])
			k++;
		s->prefix = k;
	}
	while (s->prefix > 0 && strchr("-_/ :=", c->runs[0].name[s->prefix -
	    1]) == NULL)
		s->prefix--;
	snprintf(s->title, sizeof s->title, "compare %zu runs  %zu of %zu "
	    "params differ%s", c->nrun, c->ndiffer, c->nparam, s->hide_same ?
	    "  (unchanged hidden)" : "");
	return WB_OK;
}

static const char *
num(char buf[32], double v)
{
	return text_num_short(buf, v, 6);
}

/* The cell of run r in row w, into buf; *role its colour. */
static const char *
cell_text(const struct cmpv *s, const struct crow *w, size_t r, char *buf,
    size_t len, enum role *role)
{
	const struct compare	*c = s->c;
	const struct cmp_metric	*m;
	char			 a[32], b[32];

	*role = ROLE_NORMAL;
	buf[0] = '\0';
	if (w->kind == R_TAG) {
		const char *val = s->tags[w->i].values[r];

		if (s->tags[w->i].differs)
			*role = ROLE_CHANGED;
		snprintf(buf, len, "%s", val ? val : "-");
		return buf;
	}
	if (w->kind == R_PARAM) {
		const char *val = c->params[w->i].values[r];

		if (c->params[w->i].differs)
			*role = ROLE_CHANGED;
		snprintf(buf, len, "%s", val ? val : "-");
		return buf;
	}
	m = &c->metrics[w->i];
	if (!m->has[r])
		return strcpy(buf, "-");
	switch (w->kind) {
	case R_LAST:
		if (m->best_run == (int)r)
			*role = ROLE_BEST;
		snprintf(buf, len, "%s", num(a, m->last[r]));
		break;
	case R_BEST:
		if (m->best_run_best == (int)r)
			*role = ROLE_BEST;
		snprintf(buf, len, "%s@%lld", num(a, m->best[r]),
		    (long long)m->best_step[r]);
		break;
	case R_RANGE:
		*role = ROLE_DIM;
		snprintf(buf, len, "%s..%s", text_num_short(a, m->min[r], 4),
		    text_num_short(b, m->max[r], 4));
		break;
	case R_DELTA:
		if (r == c->baseline) {
			*role = ROLE_DIM;
			return strcpy(buf, "baseline");
		}
		if (isnan(m->delta[r]))
			return strcpy(buf, "-");
		/* Green when the change is an improvement. */
		if (m->delta[r] != 0)
			*role = (m->delta[r] < 0) == (m->lower_better != 0) ?
			    ROLE_BEST : ROLE_WORST;
		snprintf(buf, len, "%+.4g", m->delta[r]);
		if (!isnan(m->delta_pct[r]))
			snprintf(buf + strlen(buf), len - strlen(buf),
			    " %+.1f%%", m->delta_pct[r]);
		break;
	default:
		break;
	}
	return buf;
}

static void
compare_view_draw(struct view *v, struct draw_ctx *dc)
{
	struct cmpv		*s = v->state;
	const struct compare	*c = s->c;
	int			 w = draw_width(dc), h = draw_height(dc);
	int			 y, x, fit, body, colw;
	const char		*name;
	size_t			 i, r;
	char			 buf[160];
	enum role		 role;

	if (c == NULL)
		return;
	colw = (w - KEY_W) / (int)c->nrun;
	colw = colw < COL_W ? COL_W : colw > 2 * COL_W ? 2 * COL_W : colw;
	fit = (w - KEY_W) / colw;
	if (fit < 1)
		fit = 1;
	if (s->left > (int)c->nrun - fit)
		s->left = (int)c->nrun - fit;
	if (s->left < 0)
		s->left = 0;
	/* Header: run names, the baseline marked. */
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	draw_text(dc, 0, 1, KEY_W - 2, ROLE_HEADER, s->left > 0 ? "< run" :
	    "run");
	for (r = (size_t)s->left, x = KEY_W; r < c->nrun && x < w;
	    r++, x += colw) {
		name = c->runs[r].name;
		/* "=" marks the baseline; a long name gives way in its
		 * middle (a sweep's names differ at their end). */
		if (r == c->baseline)
			draw_text(dc, 0, x, 1, ROLE_HEADER, "=");
		/* Too long: first the prefix every name shares goes. */
		if ((int)text_width(name) > colw - 1 - (r == c->baseline) &&
		    s->prefix > 4) {
			snprintf(buf, sizeof buf, "%s%s", draw_utf8(dc) ?
			    "\xe2\x80\xa6" : "~", name + s->prefix);
			name = buf;
		}
		draw_text_mid(dc, 0, x + (r == c->baseline), colw - 1 -
		    (r == c->baseline), ROLE_HEADER, name);
	}
	if (r < c->nrun)
		draw_text(dc, 0, w - 1, 1, ROLE_HEADER, ">");
	body = h - 1;
	s->l.n = (int64_t)s->nrows;
	list_scroll(&s->l, body);
	for (y = 1, i = (size_t)s->l.top; y < h && i < s->nrows; y++, i++) {
		const struct crow *row = &s->rows[i];
		int sel = (int)i == s->l.cursor;

		if (sel)
			draw_fill(dc, y, 0, w, ROLE_SELECTED);
		switch (row->kind) {
		case R_SECTION:
			draw_text(dc, y, 1, -1, sel ? ROLE_SELECTED :
			    ROLE_TITLE, row->i == 0 ? "Params" : row->i == 1 ?
			    "Metrics" : "Tags");
			continue;
		case R_TAG:
			snprintf(buf, sizeof buf, "%s%s",
			    s->tags[row->i].differs ? "*" : " ",
			    s->tags[row->i].key);
			break;
		case R_PARAM:
			snprintf(buf, sizeof buf, "%s%s",
			    c->params[row->i].differs ? "*" : " ",
			    c->params[row->i].key);
			break;
		case R_LAST:
			snprintf(buf, sizeof buf, " %s %s",
			    c->metrics[row->i].key,
			    c->metrics[row->i].lower_better ? "(min)" : "(max)");
			break;
		case R_BEST:
			snprintf(buf, sizeof buf, "   best@step");
			break;
		case R_RANGE:
			snprintf(buf, sizeof buf, "   min..max");
			break;
		case R_DELTA:
			snprintf(buf, sizeof buf, "   delta");
			break;
		}
		draw_text(dc, y, 1, KEY_W - 2, sel ? ROLE_SELECTED :
		    row->kind == R_LAST || row->kind == R_PARAM ||
		    row->kind == R_TAG ? ROLE_NORMAL :
		    ROLE_DIM, buf);
		for (r = (size_t)s->left, x = KEY_W; r < c->nrun && x < w;
		    r++, x += colw) {
			cell_text(s, row, r, buf, sizeof buf, &role);
			draw_text(dc, y, x, colw - 1, sel ? ROLE_SELECTED :
			    role, buf);
		}
	}
}

/* The metric under the cursor, or -1. */
static int
cursor_metric(const struct cmpv *s)
{
	if (s->nrows == 0 || s->rows[s->l.cursor].kind == R_SECTION ||
	    s->rows[s->l.cursor].kind == R_PARAM ||
	    s->rows[s->l.cursor].kind == R_TAG)
		return -1;
	return (int)s->rows[s->l.cursor].i;
}

static enum action
compare_view_handle(struct view *v, struct app *app, enum action a)
{
	struct cmpv	*s = v->state;
	int		 m;
	int64_t		 key;
	struct wb_err	 err;

	s->l.n = (int64_t)s->nrows;
	if (list_move(&s->l, a, list_page(v->rows)))
		return ACT_NONE;
	switch (a) {
	case ACT_LEFT:
		if (s->left > 0)
			s->left--;
		return ACT_NONE;
	case ACT_RIGHT:
		if (s->c != NULL && s->left + 1 < (int)s->c->nrun)
			s->left++;
		return ACT_NONE;
	case ACT_HIDE_SAME:
		s->hide_same = !s->hide_same;
		/* The rows change: start from the top, not scrolled past
		 * what is left. */
		s->l.cursor = s->l.top = 0;
		v->stale = 1;
		app_message(app, s->hide_same ? "unchanged rows hidden" :
		    "all rows shown");
		return ACT_NONE;
	case ACT_BASELINE:
		if (s->c == NULL || s->n < 2)
			return ACT_NONE;
		s->baseline = (s->baseline + 1) % s->n;
		s->c->baseline = s->baseline;
		compare_update(s->c);
		app_message(app, "baseline: %s", s->c->runs[s->baseline].name);
		return ACT_NONE;
	case ACT_ENTER:
	case ACT_PLOT:
		if ((m = cursor_metric(s)) < 0) {
			app_error(app, "move to a metric to chart it");
			return ACT_NONE;
		}
		if (db_metric_key_find(app_db(app), s->c->metrics[m].key, &key,
		    &err) != WB_OK)
			return ACT_NONE;
		app_push(app, view_chart_new(app, s->ids, s->n, key));
		return ACT_NONE;
	default:
		return a;
	}
}

/* ":better KEY lower|higher": which way is better for a metric. */
static int
compare_view_command(struct view *v, struct app *app, const char *cmd,
    const char *args)
{
	struct cmpv	*s = v->state;
	char		 key[128], dir[16];
	size_t		 i;
	int		 lower;

	if (strcmp(cmd, "better") != 0)
		return 0;
	if (args == NULL || sscanf(args, "%127s %15s", key, dir) != 2 ||
	    (strcmp(dir, "lower") != 0 && strcmp(dir, "higher") != 0)) {
		app_error(app, ":better METRIC lower|higher");
		return 1;
	}
	lower = strcmp(dir, "lower") == 0;
	for (i = 0; i < s->ndirs; i++)
		if (strcmp(s->dirs[i].key, key) == 0)
			break;
	if (i == s->ndirs) {
		s->dirs = xreallocarray(s->dirs, s->ndirs + 1, sizeof *s->dirs);
		s->dirs[s->ndirs].key = xstrdup(key);
		s->ndirs++;
	}
	s->dirs[i].lower_better = lower;
	v->stale = 1;
	app_message(app, "%s: %s is better", key, dir);
	return 1;
}

static const char *
compare_view_title(struct view *v)
{
	return ((struct cmpv *)v->state)->title;
}

static int
compare_view_export(struct view *v, FILE *fp)
{
	struct cmpv	*s = v->state;
	size_t		 i, r;
	char		 buf[160];
	enum role	 role;
	struct strbuf	 sb = STRBUF_INIT;

	if (s->c == NULL)
		return 0;
	fputs("row", fp);
	for (r = 0; r < s->c->nrun; r++) {
		strbuf_reset(&sb);
		text_csv_field(&sb, s->c->runs[r].name);
		fprintf(fp, ",%s", strbuf_str(&sb));
	}
	fputc('\n', fp);
	for (i = 0; i < s->nrows; i++) {
		const struct crow *row = &s->rows[i];

		if (row->kind == R_SECTION)
			continue;
		strbuf_reset(&sb);
		if (row->kind == R_TAG) {
			strbuf_adds(&sb, "tags.");
			text_csv_field(&sb, s->tags[row->i].key);
		} else
			text_csv_field(&sb, row->kind == R_PARAM ?
			    s->c->params[row->i].key :
			    s->c->metrics[row->i].key);
		fprintf(fp, "%s%s", strbuf_str(&sb), row->kind == R_BEST ?
		    ".best" : row->kind == R_RANGE ? ".range" :
		    row->kind == R_DELTA ? ".delta" : "");
		for (r = 0; r < s->c->nrun; r++) {
			strbuf_reset(&sb);
			text_csv_field(&sb, cell_text(s, row, r, buf,
			    sizeof buf, &role));
			fprintf(fp, ",%s", strbuf_str(&sb));
		}
		fputc('\n', fp);
	}
	strbuf_free(&sb);
	return ferror(fp) ? -1 : 0;
}

static void
compare_view_free(struct view *v)
{
	struct cmpv	*s = v->state;
	size_t		 i;

	compare_free(s->c);
	tags_free(s);
	free(s->rows);
	free(s->ids);
	for (i = 0; i < s->ndirs; i++)
		free((char *)(uintptr_t)s->dirs[i].key);
	free(s->dirs);
	free(s);
}

static const struct view_key compare_keys[] = {
	{ ACT_HIDE_SAME, "hide same" }, { ACT_BASELINE, "baseline" },
	{ ACT_PLOT, "chart" }, { ACT_ENTER, NULL }, { ACT_LEFT, NULL },
	{ ACT_RIGHT, NULL }, { ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops compare_ops = {
	.keys = compare_keys,
	.name = "compare",
	.load = compare_view_load,
	.draw = compare_view_draw,
	.handle = compare_view_handle,
	.free = compare_view_free,
	.title = compare_view_title,
	.export_csv = compare_view_export,
	.command = compare_view_command,
};

struct view *
view_compare_new(struct app *app, const int64_t *run_ids, size_t n)
{
	struct cmpv	*s;

	if (n == 0)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->app = app;
	s->ids = xcalloc(n, sizeof *s->ids);
	memcpy(s->ids, run_ids, n * sizeof *s->ids);
	s->n = n;
	return view_new(&compare_ops, s);
}
