/*
 * view_drift_column: summary statistics of both sides and the two
 * histograms side by side on shared bins (eighth-block bars, reference and
 * current in their own colours, ASCII '#' without UTF-8); categories get a
 * bar each, new and vanished ones marked.
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

/* ================= one column: statistics and histograms ================= */

struct dcolumn {
	int64_t		 id;
	char		*name;
	struct drift_report *r;
	const struct drift_rcol *c;	/* into r */
	int		 btop;		/* first bin shown */
	int		 nshown;
	char		 title[160];
};

static int
column_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct dcolumn		*s = v->state;
	struct drift_report	*r;
	size_t			 i;
	int			 rc;

	if ((rc = db_drift_load_id(db, s->id, &r, err)) != WB_OK)
		return rc;
	drift_report_free(s->r);
	s->r = r;
	s->c = NULL;
	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->cols[i].name, s->name) == 0)
			s->c = &r->cols[i];
	if (s->c == NULL)
		return wb_err_set(err, WB_ENOTFOUND, "no column '%s' in report "
		    "%lld", s->name, (long long)s->id);
	return WB_OK;
}

/* A horizontal bar of value/max over width cells in eighth blocks. */
static void
bar(struct draw_ctx *dc, int y, int x, int width, double frac, enum role r)
{
	static const char *const eighth[] = { "", "\u258f", "\u258e",
	    "\u258d", "\u258c", "\u258b", "\u258a", "\u2589" };
	long	units = lround(frac * width * 8), i;

	if (frac > 0 && units == 0)
		units = 1;	/* a non-empty bin never looks empty */
	for (i = 0; i < units / 8 && i < width; i++)
		draw_glyph(dc, y, x + (int)i, r, "\u2588", '#');
	if (units % 8 && i < width) {
		if (draw_utf8(dc))
			draw_glyph(dc, y, x + (int)i, r, eighth[units % 8], '#');
		else	/* ASCII: '#' for a half cell or more, '.' below */
			draw_glyph(dc, y, x + (int)i, r, units % 8 >= 4 ?
			    "#" : ".", units % 8 >= 4 ? '#' : '.');
	}
}

static void
stats_row(struct draw_ctx *dc, int y, const char *who, enum role r,
    const struct drift_rstats *st, int numeric)
{
	char	b[32];
	double	miss = st->count + st->missing ? (double)st->missing /
	    (double)(st->count + st->missing) : 0;
	int	x = 5, i;

	draw_text(dc, y, 1, 3, r, who);
	snprintf(b, sizeof b, "%zu", st->count);
	draw_text_right(dc, y, x, 7, ROLE_NORMAL, b);
	snprintf(b, sizeof b, "%.1f%%", miss * 100);
	draw_text_right(dc, y, x + 8, 7, ROLE_NORMAL, b);
	if (numeric) {
		const double v[] = { st->mean, st->std, st->min, st->q25,
		    st->q50, st->q75, st->max };

		for (i = 0; i < 7; i++)
			draw_text_right(dc, y, x + 16 + 8 * i, 7, ROLE_NORMAL,
			    drift_num4(b, v[i]));
	} else {
		int	 tx = x + 26, k;

		snprintf(b, sizeof b, "%zu", st->unique);
		draw_text_right(dc, y, x + 16, 7, ROLE_NORMAL, b);
		if (st->ntop > 0)
			tx += draw_text(dc, y, tx, 4, ROLE_DIM, "top") + 1;
		/* The most frequent categories with their shares, as fit. */
		for (k = 0; k < (int)st->ntop && k < 4; k++) {
			char	item[96];
			int	len;

			len = snprintf(item, sizeof item, "%s%s %.1f%%", k ? ", " :
			    "", st->top[k], st->count ? 100.0 *
			    (double)st->top_count[k] / (double)st->count : 0);
			if (tx + len >= draw_width(dc))
				break;
			tx += draw_text(dc, y, tx, -1, ROLE_NORMAL, item);
		}
	}
}

static void
column_draw(struct view *v, struct draw_ctx *dc)
{
	struct dcolumn		*s = v->state;
	const struct drift_rcol	*c = s->c;
	int			 w = draw_width(dc), h = draw_height(dc), y, x;
	int			 lw, bw, nb, i;
	double			 nr, nc, mx = 0;
	char			 b[32], b2[32], lab[96];

	if (c == NULL)
		return;
	x = draw_text(dc, 0, 1, 30, ROLE_BOLD, c->name);
	x += draw_printf(dc, 0, x + 2, -1, ROLE_NORMAL, "%s  %s  statistic %s",
	    c->numeric ? "numeric" : "categorical",
	    drift_method_name(c->method), drift_num4(b, c->statistic)) + 2;
	if (!isnan(c->p_value))
		x += draw_printf(dc, 0, x + 1, -1, ROLE_NORMAL, " p-value %s",
		    drift_num4(b, c->p_value)) + 1;
	x += draw_printf(dc, 0, x + 1, -1, ROLE_NORMAL, " threshold %s",
	    drift_num4(b2, c->threshold)) + 1;
	draw_text(dc, 0, x + 2, -1, c->drifted ? ROLE_DRIFT : ROLE_NO_DRIFT,
	    c->drifted ? "DRIFT" : "no drift");

	/* Summary statistics: one row per side. */
	draw_fill(dc, 1, 0, w, ROLE_HEADER);
	draw_text_right(dc, 1, 5, 7, ROLE_HEADER, "count");
	draw_text_right(dc, 1, 13, 7, ROLE_HEADER, "missing");
	if (c->numeric) {
		static const char *const k[] = { "mean", "std", "min", "25%",
		    "50%", "75%", "max" };

		for (i = 0; i < 7; i++)
			draw_text_right(dc, 1, 21 + 8 * i, 7, ROLE_HEADER, k[i]);
	} else
		draw_text_right(dc, 1, 21, 7, ROLE_HEADER, "unique");
	stats_row(dc, 2, "ref", ROLE_REF, &c->sref, c->numeric);
	stats_row(dc, 3, "cur", ROLE_CUR, &c->scur, c->numeric);

	/* Histograms on the shared bins, side by side. */
	nr = nc = 0;
	for (i = 0; i < (int)c->nbins; i++) {
		nr += c->href[i];
		nc += c->hcur[i];
	}
	for (i = 0; i < (int)c->nbins; i++) {
		double a = nr > 0 ? c->href[i] / nr : 0;
		double d = nc > 0 ? c->hcur[i] / nc : 0;

		mx = fmax(mx, fmax(a, d));
	}
	lw = c->edges ? 21 : 18;
	if (lw > w / 4)
		lw = w / 4;
	/* label | bar ref + "count share" | bar cur + "count share" */
	bw = (w - lw - 2 - 2 * 14) / 2;
	if (bw < 4)
		bw = 4;
	y = 5;
	draw_fill(dc, y, 0, w, ROLE_HEADER);
	draw_text(dc, y, 1, lw, ROLE_HEADER, c->edges ? "bin" : "value");
	draw_text(dc, y, lw + 2, bw + 13, ROLE_HEADER, "reference");
	draw_text(dc, y, lw + 2 + bw + 14, bw + 13, ROLE_HEADER, "current");
	y++;
	nb = (int)c->nbins;
	s->nshown = h - y;
	if (s->btop > nb - s->nshown)
		s->btop = nb - s->nshown;
	if (s->btop < 0)
		s->btop = 0;
	for (i = s->btop; i < nb && y < h; i++, y++) {
		double	a = nr > 0 ? c->href[i] / nr : 0;
		double	d = nc > 0 ? c->hcur[i] / nc : 0;
		int	bx = lw + 2;

		if (c->edges != NULL) {
			snprintf(lab, sizeof lab, "[%s, %s%c",
			    text_num_short(b, c->edges[i], 4),
			    text_num_short(b2, c->edges[i + 1], 4),
			    i + 1 == nb ? ']' : ')');
			draw_text(dc, y, 1, lw, ROLE_NORMAL, lab);
		} else {
			int used = draw_text(dc, y, 1, lw, ROLE_NORMAL,
			    c->labels[i]);

			/* Categories that appeared or vanished. */
			if (c->href[i] == 0 && used + 5 <= lw)
				draw_text(dc, y, 1 + used + 1, 4, ROLE_ADDED, "new");
			else if (c->hcur[i] == 0 && used + 6 <= lw)
				draw_text(dc, y, 1 + used + 1, 5, ROLE_REMOVED,
				    "gone");
		}
		bar(dc, y, bx, bw, mx > 0 ? a / mx : 0, ROLE_REF);
		snprintf(lab, sizeof lab, "%.0f %4.1f%%", c->href[i], a * 100);
		draw_text_right(dc, y, bx + bw, 12, ROLE_DIM, lab);
		bx += bw + 14;
		bar(dc, y, bx, bw, mx > 0 ? d / mx : 0, ROLE_CUR);
		snprintf(lab, sizeof lab, "%.0f %4.1f%%", c->hcur[i], d * 100);
		draw_text_right(dc, y, bx + bw, 12, ROLE_DIM, lab);
	}
}

static enum action
column_handle(struct view *v, struct app *app, enum action a)
{
	struct dcolumn	*s = v->state;
	int		 nb = s->c ? (int)s->c->nbins : 0;
	int		 page = s->nshown > 1 ? s->nshown - 1 : 1;

	(void)app;
	switch (a) {
	case ACT_DOWN:
		if (s->btop + s->nshown < nb)
			s->btop++;
		return ACT_NONE;
	case ACT_UP:
		if (s->btop > 0)
			s->btop--;
		return ACT_NONE;
	case ACT_PAGE_DOWN:
		s->btop += page;
		return ACT_NONE;
	case ACT_PAGE_UP:
		s->btop = s->btop > page ? s->btop - page : 0;
		return ACT_NONE;
	case ACT_FIRST:
		s->btop = 0;
		return ACT_NONE;
	case ACT_LAST:
		s->btop = nb;
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
column_title(struct view *v)
{
	struct dcolumn *s = v->state;

	snprintf(s->title, sizeof s->title, "drift report %lld: %.100s",
	    (long long)s->id, s->name);
	return s->title;
}

static void
column_free(struct view *v)
{
	struct dcolumn *s = v->state;

	drift_report_free(s->r);
	free(s->name);
	free(s);
}

static int
column_export(struct view *v, FILE *fp)
{
	struct dcolumn	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	if (s->c == NULL)
		return 0;
	fprintf(fp, "bin,ref,cur\n");
	for (i = 0; i < s->c->nbins; i++) {
		strbuf_reset(&sb);
		if (s->c->edges)
			strbuf_addf(&sb, "%.17g..%.17g", s->c->edges[i],
			    s->c->edges[i + 1]);
		else
			text_csv_field(&sb, s->c->labels[i]);
		fprintf(fp, "%s,%.0f,%.0f\n", strbuf_str(&sb), s->c->href[i],
		    s->c->hcur[i]);
	}
	strbuf_free(&sb);
	return ferror(fp) ? -1 : 0;
}

static const struct view_key dcolumn_keys[] = {
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops column_ops = {
	.keys = dcolumn_keys,
	.name = "drift-column",
	.load = column_load,
	.draw = column_draw,
	.handle = column_handle,
	.free = column_free,
	.title = column_title,
	.export_csv = column_export,
};

struct view *
view_drift_column_new(int64_t id, const char *column)
{
	struct dcolumn *s = xcalloc(1, sizeof *s);

	s->id = id;
	s->name = xstrdup(column);
	return view_new(&column_ops, s);
}

