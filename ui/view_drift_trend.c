/*
 * view_drift_trend: the reports saved under one name, oldest first: the
 * verdict history, the drift share and every column's drift score as
 * sparklines.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"
#include "db.h"
#include "db_drift.h"
#include "draw.h"
#include "drift.h"
#include "drift_report.h"
#include "err.h"
#include "list.h"
#include "strbuf.h"
#include "text.h"
#include "view.h"
#include "view_drift.h"

/* ================= a name's history ================= */

#define TREND_MAX 200	/* the latest reports of a name */

struct tcol {
	char	*name;
	double	*score;		/* per report; NaN when not tested */
	double	 last;		/* last statistic (p-value for tests) */
	int	 has_p;
	int	 ndrift, ntested;
};

struct dtrend {
	char		*name;
	size_t		 nrep;
	int64_t		*when;
	double		*share;
	int		*verdict;
	struct tcol	*cols;
	size_t		 ncols;
	struct list	 l;		/* cursor, scroll */
	char		 title[160];
};

static void
trend_clear(struct dtrend *s)
{
	size_t	i;

	for (i = 0; i < s->ncols; i++) {
		free(s->cols[i].name);
		free(s->cols[i].score);
	}
	free(s->cols);
	free(s->when);
	free(s->share);
	free(s->verdict);
	s->cols = NULL;
	s->ncols = 0;
	s->when = NULL;
	s->share = NULL;
	s->verdict = NULL;
	s->nrep = 0;
}

static int
trend_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct dtrend	 *s = v->state, t;
	struct drift_row *rows;
	size_t		  n, i, j, k, first;
	int		  rc;

	if ((rc = db_drift_history(db, s->name, &rows, &n, err)) != WB_OK)
		return rc;
	/* Build a new state and swap it in only when all of it loaded. */
	memset(&t, 0, sizeof t);
	first = n > TREND_MAX ? n - TREND_MAX : 0;
	t.nrep = n - first;
	t.when = xcalloc(t.nrep + 1, sizeof *t.when);
	t.share = xcalloc(t.nrep + 1, sizeof *t.share);
	t.verdict = xcalloc(t.nrep + 1, sizeof *t.verdict);
	for (i = first; i < n; i++) {
		struct drift_report *r;
		size_t r_ = i - first;

		t.when[r_] = rows[i].created_at;
		t.share[r_] = rows[i].drift_share;
		t.verdict[r_] = rows[i].dataset_drift;
		if ((rc = db_drift_load_id(db, rows[i].id, &r, err)) != WB_OK) {
			db_drift_rows_free(rows, n);
			trend_clear(&t);
			return rc;
		}
		for (j = 0; j < r->ncols; j++) {
			const struct drift_rcol *c = &r->cols[j];
			struct tcol *tc = NULL;

			for (k = 0; k < t.ncols; k++)
				if (strcmp(t.cols[k].name, c->name) == 0)
					tc = &t.cols[k];
			if (tc == NULL) {
				t.cols = xreallocarray(t.cols, t.ncols + 1,
				    sizeof *t.cols);
				tc = &t.cols[t.ncols++];
				memset(tc, 0, sizeof *tc);
				tc->name = xstrdup(c->name);
				tc->score = xcalloc(t.nrep, sizeof *tc->score);
				for (k = 0; k < t.nrep; k++)
					tc->score[k] = NAN;
			}
			/* Drift score: the distance, or -log10 p for tests. */
			tc->has_p = !isnan(c->p_value);
			tc->score[r_] = tc->has_p ? -log10(fmax(c->p_value,
			    1e-300)) : c->statistic;
			tc->last = tc->has_p ? c->p_value : c->statistic;
			tc->ntested++;
			tc->ndrift += c->drifted != 0;
		}
		drift_report_free(r);
	}
	db_drift_rows_free(rows, n);
	trend_clear(s);
	s->nrep = t.nrep;
	s->when = t.when;
	s->share = t.share;
	s->verdict = t.verdict;
	s->cols = t.cols;
	s->ncols = t.ncols;
	if (s->l.cursor >= (int)s->ncols)
		s->l.cursor = s->ncols ? (int)s->ncols - 1 : 0;
	return WB_OK;
}

/* A sparkline of v[0..n) (NaN gaps) in width cells, the latest at the
 * right, scaled from 0 to the largest shown. */
static void
spark(struct draw_ctx *dc, int y, int x, int width, const double *v,
    size_t n, enum role r)
{
	double	hi = 0;
	size_t	i, from = n > (size_t)width ? n - (size_t)width : 0;

	for (i = from; i < n; i++)
		if (!isnan(v[i]) && isfinite(v[i]))
			hi = fmax(hi, v[i]);
	/* All zero: the lowest block, not mid-height. */
	draw_spark(dc, y, x, width, v + from, (int)(n - from), 0,
	    hi > 0 ? hi : 1, r, 0);
}

static void
trend_draw(struct view *v, struct draw_ctx *dc)
{
	struct dtrend	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, sw;
	size_t		 i, from;
	char		 t[32], t2[32], b[32];

	if (s->nrep == 0) {
		draw_text(dc, 1, 2, -1, ROLE_DIM, "no reports of this name");
		return;
	}
	draw_printf(dc, 0, 1, -1, ROLE_NORMAL, "%zu report%s from %.10s to "
	    "%.10s", s->nrep, s->nrep == 1 ? "" : "s",
	    text_time(t, s->when[0]), text_time(t2, s->when[s->nrep - 1]));
	sw = w - 22 - 24;
	if (sw > 60)
		sw = 60;
	if (sw < 8)
		sw = 8;
	from = s->nrep > (size_t)sw ? s->nrep - (size_t)sw : 0;
	draw_text(dc, 2, 1, 20, ROLE_BOLD, "verdict");
	for (i = from; i < s->nrep; i++)
		draw_glyph(dc, 2, 22 + (int)(i - from), s->verdict[i] ?
		    ROLE_DRIFT : ROLE_NO_DRIFT, s->verdict[i] ? "\u2717" :
		    "\u2713", s->verdict[i] ? 'x' : 'o');
	draw_text(dc, 2, 23 + sw, -1, s->verdict[s->nrep - 1] ? ROLE_DRIFT :
	    ROLE_NO_DRIFT, s->verdict[s->nrep - 1] ? "DRIFT" : "ok");
	draw_text(dc, 3, 1, 20, ROLE_BOLD, "drift share");
	spark(dc, 3, 22, sw, s->share, s->nrep, ROLE_BOLD);
	draw_text(dc, 3, 23 + sw, -1, ROLE_NORMAL,
	    text_num_short(b, s->share[s->nrep - 1], 3));
	y = 5;
	draw_fill(dc, y, 0, w, ROLE_HEADER);
	draw_text(dc, y, 2, 19, ROLE_HEADER, "column");
	draw_text(dc, y, 22, sw, ROLE_HEADER, "drift score");
	draw_text(dc, y, 23 + sw, 12, ROLE_HEADER, "last");
	draw_text(dc, y, 36 + sw, -1, ROLE_HEADER, "drifted");
	y++;
	s->l.n = (int64_t)(s->ncols);
	list_scroll(&s->l, h - y);
	for (i = (size_t)s->l.top; y < h && i < s->ncols; y++, i++) {
		const struct tcol *c = &s->cols[i];
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 1, 1, r, ">");
		}
		draw_text(dc, y, 2, 19, r, c->name);
		spark(dc, y, 22, sw, c->score, s->nrep, r == ROLE_SELECTED ? r :
		    ROLE_SERIES0);
		snprintf(t, sizeof t, "%s%s", c->has_p ? "p " : "",
		    drift_num4(b, c->last));
		draw_text(dc, y, 23 + sw, 12, r, t);
		snprintf(t, sizeof t, "%d/%d", c->ndrift, c->ntested);
		draw_text(dc, y, 36 + sw, -1, r == ROLE_NORMAL && c->ndrift ?
		    ROLE_DRIFT : r, t);
	}
}

static enum action
trend_handle(struct view *v, struct app *app, enum action a)
{
	struct dtrend *s = v->state;

	(void)app;
	if ((s->l.n = (int64_t)(s->ncols), list_move(&s->l, a, list_page(v->rows - 6))))
		return ACT_NONE;
	return a;
}

static const char *
trend_title(struct view *v)
{
	struct dtrend *s = v->state;

	snprintf(s->title, sizeof s->title, "drift trend: %.120s", s->name);
	return s->title;
}

static void
trend_free(struct view *v)
{
	struct dtrend *s = v->state;

	trend_clear(s);
	free(s->name);
	free(s);
}

static const struct view_key dtrend_keys[] = {
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops trend_ops = {
	.keys = dtrend_keys,
	.name = "drift-trend",
	.load = trend_load,
	.draw = trend_draw,
	.handle = trend_handle,
	.free = trend_free,
	.title = trend_title,
};

struct view *
view_drift_trend_new(const char *name)
{
	struct dtrend *s = xcalloc(1, sizeof *s);

	s->name = xstrdup(name);
	return view_new(&trend_ops, s);
}
