/*
 * view_chart: a metric of up to 8 runs overlaid (`p` in the runs list,
 * the run screen or the compare screen).  Braille curves in the runs'
 * colours with a legend, `L` log-y, `s`/`S` more/less smoothing (EMA,
 * raw curve faint behind), `x` step / wall time / relative time, `+`/`-`
 * zoom around the cursor, `z` zoom to a typed range, h/l move the cursor
 * (its x and every run's value there on the bottom line), `m` the next
 * metric, `g` a grid of small multiples of several metrics.
 *
 * load() gets the lines from src/chart.c (shared with `mlwb plot`) and
 * lays them out (plot.c renders into cells); draw() copies cells to the
 * screen with their colours.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xmem.h"
#include "chart.h"
#include "compare.h"
#include "db_metric.h"
#include "db_run.h"
#include "draw.h"
#include "err.h"
#include "plot.h"
#include "series.h"
#include "text.h"
#include "theme.h"
#include "view.h"

#define MAX_PANES	6

static const double smooth_w[] = { 0, 0.6, 0.8, 0.9, 0.95, 0.99 };
#define NSMOOTH	(int)(sizeof smooth_w / sizeof smooth_w[0])

struct pane {
	struct plot	 p;
	int		 y, x;
};

struct chartv {
	struct app	*app;
	int64_t		 ids[PLOT_MAX_LINES];
	char		*names[PLOT_MAX_LINES];	/* whole, for the legend */
	char		*short_names[PLOT_MAX_LINES]; /* for the readout */
	int		 marks;		/* each line its own mark */
	size_t		 n;
	int64_t		 want_key;
	int64_t		*keys;
	char		**knames;
	size_t		 nkeys, cur;
	int		 keys_loaded;
	enum series_x	 xmode;
	int		 logy, smooth, grid;
	int		 zoomed;
	int64_t		 zx0, zx1;
	int		 has_cursor;
	int64_t		 cursor_x;
	/* From the last load. */
	int64_t		 fx0, fx1, x0, x1;
	size_t		 ncol;
	long		 cursor_col;
	struct pane	 panes[MAX_PANES];
	size_t		 npanes;
	int		 lw, lh;	/* the body size the panes were laid for */
	char		 readout[512];
	char		 title[160];
};

static void
free_panes(struct chartv *s)
{
	size_t	i;

	for (i = 0; i < s->npanes; i++)
		plot_free(&s->panes[i].p);
	s->npanes = 0;
}

/* The union of the runs' metric names, and where to start. */
static int
load_keys(struct chartv *s, struct db *db, struct wb_err *err)
{
	struct metric_summary	*ms;
	size_t			 i, j, k, nms, best = 0, cnt, bestcnt = 0;
	int			 rc;

	for (i = 0; i < s->n; i++) {
		if ((rc = db_metric_summaries(db, s->ids[i], &ms, &nms, err)) !=
		    WB_OK)
			return rc;
		for (j = 0; j < nms; j++) {
			for (k = 0; k < s->nkeys; k++)
				if (s->keys[k] == ms[j].key_id)
					break;
			if (k < s->nkeys)
				continue;
			s->keys = xreallocarray(s->keys, s->nkeys + 1,
			    sizeof *s->keys);
			s->knames = xreallocarray(s->knames, s->nkeys + 1,
			    sizeof *s->knames);
			s->keys[s->nkeys] = ms[j].key_id;
			s->knames[s->nkeys] = xstrdup(ms[j].key);
			s->nkeys++;
		}
		metric_summaries_free(ms, nms);
	}
	/* Sorted by name (insertion sort: a few dozen keys). */
	for (i = 1; i < s->nkeys; i++)
		for (j = i; j > 0 && strcmp(s->knames[j - 1], s->knames[j]) >
		    0; j--) {
			char *t = s->knames[j];
			int64_t id = s->keys[j];

			s->knames[j] = s->knames[j - 1];
			s->keys[j] = s->keys[j - 1];
			s->knames[j - 1] = t;
			s->keys[j - 1] = id;
		}
	/*
	 * The asked-for key, else the one most runs have, a loss-like one
	 * (lower is better: what people chart first) winning a tie.
	 */
	for (k = 0; k < s->nkeys; k++) {
		struct metric_summary sum;

		if (s->keys[k] == s->want_key) {
			best = k;
			break;
		}
		for (i = 0, cnt = 0; i < s->n; i++)
			if (db_metric_summary_get(db, s->ids[i], s->keys[k],
			    &sum, NULL) == WB_OK)
				cnt++;
		cnt = cnt * 2 + (size_t)compare_lower_better(s->knames[k]);
		if (cnt > bestcnt) {
			bestcnt = cnt;
			best = k;
		}
	}
	s->cur = best;
	s->keys_loaded = 1;
	return WB_OK;
}

/*
 * Bin and render metric k into pane (w x h cells); with_cursor: the
 * single chart, which keeps its x range and cursor in s.  The lines come
 * from src/chart.c, as `mlwb plot`'s do.
 */
static int
render_metric(struct chartv *s, struct db *db, size_t k, int w, int h,
    int with_cursor, struct plot *out, struct wb_err *err)
{
	struct chart		 c;
	struct plot_opts	 po;
	int64_t			 x0, x1, px;
	double			 v, smooth = smooth_w[s->smooth];
	size_t			 i, len, ncol;
	int			 rc;
	char			 b[32], xb[32];

	memset(&po, 0, sizeof po);
	po.w = w;
	po.h = h;
	po.utf8 = 1;		/* draw() falls back per glyph */
	po.logy = s->logy;
	po.xmode = s->xmode;
	po.title = s->knames[k];
	po.legend = 1;
	po.cursor = -1;
	po.marks = s->marks;
	if ((rc = chart_open(&c, db, s->ids, s->n, s->keys[k], s->xmode,
	    NULL, NULL, err)) != WB_OK)
		return rc;
	x0 = c.x0;
	x1 = c.x1;
	if (with_cursor) {
		s->fx0 = x0;
		s->fx1 = x1;
		/* A zoom stays inside the data; one that leaves it ends. */
		if (s->zoomed) {
			x0 = s->zx0 > x0 ? s->zx0 : x0;
			x1 = s->zx1 < x1 ? s->zx1 : x1;
			if (x1 <= x0) {
				x0 = s->fx0;
				x1 = s->fx1;
				s->zoomed = 0;
			}
		}
	}
	po.x0 = x0;
	po.x1 = x1;
	if ((ncol = plot_ncol(&po)) == 0) {
		rc = wb_err_set(err, WB_EINVAL, "screen too small for a chart");
		goto out;
	}
	if (with_cursor) {
		s->x0 = x0;
		s->x1 = x1;
		s->ncol = ncol;
		if (!s->has_cursor || s->cursor_x < x0 || s->cursor_x > x1) {
			s->cursor_x = x1;
			s->has_cursor = 1;
		}
		s->cursor_col = (long)series_col_of(x0, x1, ncol, s->cursor_x);
		po.cursor = s->cursor_col;
		snprintf(s->readout, sizeof s->readout, "%s %s:",
		    series_x_name(s->xmode), plot_x_label(xb, s->xmode,
		    (double)s->cursor_x, s->xmode == SERIES_X_STEP ? 1 :
		    s->xmode == SERIES_X_TIME ? 1000 : 1000));
	}
	if ((rc = chart_bin(&c, x0, x1, ncol, s->logy, smooth,
	    (const char *const *)s->names, err)) != WB_OK)
		goto out;
	for (i = 0; with_cursor && i < c.n; i++)
		if (series_value_at(c.src[i], s->cursor_x, &px, &v, NULL) ==
		    WB_OK) {
			len = strlen(s->readout);
			snprintf(s->readout + len, sizeof s->readout - len,
			    "  %s%s%s %s", s->marks ? plot_mark((int)i,
			    app_utf8(s->app)) : "", s->marks ? " " : "",
			    s->short_names[c.run[i]], text_num_short(b, v, 5));
		}
	if (with_cursor && c.n == 0)
		snprintf(s->readout, sizeof s->readout, "no points to draw "
		    "with x as %s%s", series_x_name(s->xmode), s->xmode ==
		    SERIES_X_STEP ? "" : " (no timestamps?  x: change axis)");
	rc = plot_render(out, &po, c.lines, c.n, err);
out:
	chart_close(&c);
	return rc;
}

static int
chart_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct chartv	*s = v->state;
	int		 w = app_body_width(s->app), h = app_body_height(s->app);
	int		 cols, rows, pw, ph, rc;
	size_t		 i, np;

	if (!s->keys_loaded && (rc = load_keys(s, db, err)) != WB_OK)
		return rc;
	/* Without colours (NO_COLOR, the mono theme) or in ASCII, curves
	 * are told apart by their marks. */
	s->marks = !app_utf8(s->app) || theme_colourless();
	free_panes(s);
	s->lw = w;
	s->lh = h;
	s->readout[0] = '\0';
	if (s->nkeys == 0) {
		snprintf(s->title, sizeof s->title, "chart: no metrics");
		return WB_OK;
	}
	snprintf(s->title, sizeof s->title, "chart %s  %zu run%s  x %s%s%s",
	    s->knames[s->cur], s->n, s->n == 1 ? "" : "s",
	    series_x_name(s->xmode), s->logy ? "  log" : "",
	    s->smooth ? "  smoothed" : "");
	if (s->smooth) {
		size_t len = strlen(s->title);

		snprintf(s->title + len, sizeof s->title - len, " %.2g",
		    smooth_w[s->smooth]);
	}
	if (!s->grid) {
		s->panes[0].y = s->panes[0].x = 0;
		if ((rc = render_metric(s, db, s->cur, w, h - 1, 1,
		    &s->panes[0].p, err)) != WB_OK)
			return rc;
		s->npanes = 1;
		return WB_OK;
	}
	np = s->nkeys < MAX_PANES ? s->nkeys : MAX_PANES;
	cols = w >= 150 ? 3 : w >= 90 ? 2 : 1;
	if ((size_t)cols > np)
		cols = (int)np;
	rows = (int)((np + (size_t)cols - 1) / (size_t)cols);
	ph = (h - 1) / rows;
	pw = w / cols;
	if (ph < 5 || pw < 20) {
		/* Fewer panes that still fit. */
		rows = (h - 1) / 5 > 0 ? (h - 1) / 5 : 1;
		np = (size_t)(rows * cols) < np ? (size_t)(rows * cols) : np;
		ph = (h - 1) / rows;
	}
	for (i = 0; i < np; i++) {
		s->panes[i].y = (int)(i / (size_t)cols) * ph;
		s->panes[i].x = (int)(i % (size_t)cols) * pw;
		if ((rc = render_metric(s, db, (s->cur + i) % s->nkeys, pw - 1,
		    ph, 0, &s->panes[i].p, err)) != WB_OK)
			return rc;
		s->npanes++;
	}
	snprintf(s->readout, sizeof s->readout, "%zu of %zu metrics  "
	    "m next  g single chart", np, s->nkeys);
	return WB_OK;
}

/* An ASCII stand-in for a glyph plot.c drew (braille, box lines). */
static char
ascii_of(const char *g)
{
	const unsigned char	*u = (const unsigned char *)g;
	unsigned		 bits;

	if (u[0] < 0x80)
		return (char)u[0];
	if (u[0] == 0xe2 && u[1] >= 0xa0 && u[1] <= 0xa3) {
		bits = ((unsigned)(u[1] & 0x03) << 6) | (u[2] & 0x3f);
		/* Top row, middle rows, bottom row of the 2x4 dots. */
		int t = (bits & 0x09) != 0, m = (bits & 0x36) != 0,
		    b = (bits & 0xc0) != 0;

		return t + m + b >= 2 ? (t && b && !m ? ':' : '|') :
		    t ? '\'' : m ? '-' : '.';
	}
	if (strcmp(g, "\xe2\x94\x82") == 0)
		return '|';
	if (strcmp(g, "\xe2\x94\x80") == 0)
		return '-';
	if (strcmp(g, "\xe2\x96\xa0") == 0)
		return '#';
	if (u[0] == 0xe2 && u[1] == 0x94)
		return '+';
	if (strcmp(g, "\xe2\x80\xa6") == 0)	/* a cut label's ellipsis */
		return '~';
	if (strcmp(g, "\xc2\xb7") == 0)	/* a raw curve's dot */
		return '.';
	return '?';
}

static enum role
cell_role(const struct plot_cell *c)
{
	switch (c->kind) {
	case PK_SERIES:
		return (enum role)(ROLE_SERIES0 + (c->line & 7));
	case PK_FAINT:
		return ROLE_DIM;
	case PK_AXIS:
		return ROLE_AXIS;
	case PK_CURSOR:
		return ROLE_CURSOR;
	case PK_TITLE:
		return ROLE_TITLE;
	default:
		return c->line >= 0 ? ROLE_NORMAL : ROLE_AXIS;
	}
}

static void
chart_draw(struct view *v, struct draw_ctx *dc)
{
	struct chartv		*s = v->state;
	const struct plot_cell	*c;
	const struct plot	*p;
	size_t			 i;
	int			 y, x, h = draw_height(dc);

	if (s->nkeys == 0) {
		draw_text(dc, 1, 2, -1, ROLE_DIM, "These runs have no metrics.");
		return;
	}
	/* Resized since load: lay out again (the app reloads stale views). */
	if (draw_width(dc) != s->lw || h != s->lh)
		v->stale = 1;
	for (i = 0; i < s->npanes; i++) {
		p = &s->panes[i].p;
		for (y = 0; y < p->h; y++)
			for (x = 0; x < p->w; x++) {
				c = &p->cells[(size_t)y * (size_t)p->w +
				    (size_t)x];
				if (c->kind == PK_BLANK)
					continue;
				if (s->marks && c->kind == PK_SERIES &&
				    c->line >= 0)
					draw_glyph(dc, s->panes[i].y + y,
					    s->panes[i].x + x, cell_role(c),
					    plot_mark(c->line, 1),
					    plot_mark(c->line, 0)[0]);
				else
					draw_glyph(dc, s->panes[i].y + y,
				    s->panes[i].x + x, cell_role(c), c->g,
				    ascii_of(c->g));
			}
	}
	draw_text(dc, h - 1, 0, -1, ROLE_BOLD, s->readout);
}

/*
 * One end of a zoom range, in the units the x axis shows: steps ("200",
 * "1.5k"), durations on a relative axis ("90s", "5m", "1h30m", "250ms"),
 * clock times on a wall-time axis ("14:05", "14:05:30", on the day of
 * the chart's first point, local time) or epoch milliseconds.  -1 if not.
 */
static int
parse_x(const struct chartv *s, const char *t, int64_t *out)
{
	char		*end;
	double		 v, total = 0;
	int		 h, m, sec = 0, any = 0;
	struct tm	 tm;
	time_t		 day;

	while (*t == ' ')
		t++;
	if (s->xmode == SERIES_X_TIME && sscanf(t, "%d:%d:%d", &h, &m,
	    &sec) >= 2 && strspn(t, "0123456789:") == strlen(t)) {
		day = (time_t)(s->fx0 / 1000);
		if (localtime_r(&day, &tm) == NULL)
			return -1;
		tm.tm_hour = h;
		tm.tm_min = m;
		tm.tm_sec = sec;
		*out = (int64_t)mktime(&tm) * 1000;
		return 0;
	}
	while (*t != '\0') {
		v = strtod(t, &end);
		if (end == t)
			return -1;
		t = end;
		if (strncmp(t, "ms", 2) == 0)
			total += v, t += 2;
		else if (*t == 's' && s->xmode != SERIES_X_STEP)
			total += v * 1000, t++;
		else if (*t == 'm' && s->xmode != SERIES_X_STEP)
			total += v * 60000, t++;
		else if (*t == 'h' && s->xmode != SERIES_X_STEP)
			total += v * 3600000, t++;
		else if (*t == 'd' && s->xmode != SERIES_X_STEP)
			total += v * 86400000, t++;
		else if ((*t == 'k' || *t == 'K') && s->xmode == SERIES_X_STEP)
			total += v * 1000, t++;
		else if (*t == 'M' && s->xmode == SERIES_X_STEP)
			total += v * 1000000, t++;
		else if (*t == '\0' && !any)
			total += v;
		else
			return -1;
		any = 1;
	}
	*out = (int64_t)llround(total);
	return any ? 0 : -1;
}

/* A:B (or A..B, needed for clock times) in the axis's units. */
static void
zoom_done(struct view *v, struct app *app, const char *text)
{
	struct chartv	*s = v->state;
	char		 a[64], *sep;
	int64_t		 x0, x1;
	size_t		 n;

	if (text == NULL)
		return;
	if (*text == '\0') {
		s->zoomed = 0;
		v->stale = 1;
		return;
	}
	if ((sep = strstr(text, "..")) != NULL)
		n = (size_t)(sep - text), sep += 2;
	else if (s->xmode != SERIES_X_TIME && (sep = strchr(text, ':')) !=
	    NULL)
		n = (size_t)(sep - text), sep += 1;
	else
		n = 0;
	if (sep == NULL || n >= sizeof a) {
		app_error(app, "zoom: %s: use A:B (A..B for clock times)",
		    text);
		return;
	}
	snprintf(a, sizeof a, "%.*s", (int)n, text);
	if (parse_x(s, a, &x0) != 0 || parse_x(s, sep, &x1) != 0 ||
	    x0 >= x1) {
		app_error(app, "zoom: %s: use A:B with A < B, x as the axis "
		    "shows it (%s)", text, s->xmode == SERIES_X_STEP ?
		    "steps: 200:1.5k" : s->xmode == SERIES_X_RELATIVE ?
		    "durations: 5m:10m, 90s:1h" : "clock times: 14:05..14:30");
		return;
	}
	s->zoomed = 1;
	s->zx0 = x0;
	s->zx1 = x1;
	s->has_cursor = 0;
	v->stale = 1;
}

static void
zoom(struct chartv *s, int in)
{
	int64_t	span = s->zoomed ? s->zx1 - s->zx0 : s->fx1 - s->fx0;
	int64_t	c = s->has_cursor ? s->cursor_x : (s->x0 + s->x1) / 2;
	int64_t	half = in ? span / 4 : span;

	if (half < 1)
		half = 1;
	s->zx0 = c - half;
	s->zx1 = c + half;
	if (s->zx0 < s->fx0) {
		s->zx1 += s->fx0 - s->zx0;
		s->zx0 = s->fx0;
	}
	if (s->zx1 > s->fx1) {
		s->zx0 -= s->zx1 - s->fx1;
		s->zx1 = s->fx1;
	}
	if (s->zx0 < s->fx0)
		s->zx0 = s->fx0;
	s->zoomed = !(s->zx0 <= s->fx0 && s->zx1 >= s->fx1);
}

static enum action
chart_handle(struct view *v, struct app *app, enum action a)
{
	struct chartv	*s = v->state;
	long		 col;
	int64_t		 x;

	switch (a) {
	case ACT_LEFT:
	case ACT_RIGHT:
		if (s->grid || s->ncol == 0)
			return ACT_NONE;
		col = s->cursor_col + (a == ACT_LEFT ? -2 : 2);
		if (col < 0)
			col = 0;
		if (col >= (long)s->ncol)
			col = (long)s->ncol - 1;
		x = series_col_x(s->x0, s->x1, s->ncol, (size_t)col);
		/* Fewer x values than columns: still move by one. */
		if (a == ACT_LEFT && x >= s->cursor_x)
			x = s->cursor_x > s->x0 ? s->cursor_x - 1 : s->x0;
		if (a == ACT_RIGHT && x <= s->cursor_x)
			x = s->cursor_x < s->x1 ? s->cursor_x + 1 : s->x1;
		s->cursor_x = x;
		break;
	case ACT_FIRST:
	case ACT_LAST:
		s->cursor_x = a == ACT_FIRST ? s->x0 : s->x1;
		s->has_cursor = 1;
		break;
	case ACT_NEXT_METRIC:
		if (s->nkeys == 0)
			return ACT_NONE;
		s->cur = (s->cur + 1) % s->nkeys;
		s->zoomed = s->has_cursor = 0;
		break;
	case ACT_LOG_Y:
		s->logy = !s->logy;
		app_message(app, "log scale %s", s->logy ? "on" : "off");
		break;
	case ACT_SMOOTH_MORE:
	case ACT_SMOOTH_LESS:
		s->smooth += a == ACT_SMOOTH_MORE ? 1 : -1;
		if (s->smooth < 0)
			s->smooth = 0;
		if (s->smooth >= NSMOOTH)
			s->smooth = NSMOOTH - 1;
		app_message(app, "smoothing %.2g", smooth_w[s->smooth]);
		break;
	case ACT_X_AXIS:
		s->xmode = (enum series_x)((s->xmode + 1) % 3);
		s->zoomed = s->has_cursor = 0;
		app_message(app, "x: %s", series_x_name(s->xmode));
		break;
	case ACT_ZOOM_IN:
	case ACT_ZOOM_OUT:
		if (s->grid)
			return ACT_NONE;
		zoom(s, a == ACT_ZOOM_IN);
		break;
	case ACT_ZOOM_RANGE:
		app_prompt(app, "zoom to x range A:B (empty: all): ", "",
		    "zoom", zoom_done);
		return ACT_NONE;
	case ACT_GRID:
		s->grid = !s->grid;
		break;
	default:
		return a;
	}
	v->stale = 1;
	return ACT_NONE;
}

static const char *
chart_title(struct view *v)
{
	return ((struct chartv *)v->state)->title;
}

static void
chart_free(struct view *v)
{
	struct chartv	*s = v->state;
	size_t		 i;

	free_panes(s);
	for (i = 0; i < s->n; i++) {
		free(s->names[i]);
		free(s->short_names[i]);
	}
	for (i = 0; i < s->nkeys; i++)
		free(s->knames[i]);
	free(s->knames);
	free(s->keys);
	free(s);
}

static const struct view_key chart_keys[] = {
	{ ACT_NEXT_METRIC, "metric" }, { ACT_LOG_Y, "log" },
	{ ACT_SMOOTH_MORE, "smooth" }, { ACT_X_AXIS, "axis" },
	{ ACT_ZOOM_IN, "zoom" }, { ACT_ZOOM_RANGE, "range" },
	{ ACT_GRID, "grid" }, { ACT_SMOOTH_LESS, NULL }, { ACT_ZOOM_OUT, NULL },
	{ ACT_LEFT, NULL }, { ACT_RIGHT, NULL }, { ACT_FIRST, NULL },
	{ ACT_LAST, NULL }, { ACT_NONE, NULL }
};

static const struct view_ops chart_ops = {
	.keys = chart_keys,
	.name = "chart",
	.load = chart_load,
	.draw = chart_draw,
	.handle = chart_handle,
	.free = chart_free,
	.title = chart_title,
};

struct view *
view_chart_new(struct app *app, const int64_t *run_ids, size_t n,
    int64_t key_id)
{
	struct chartv	*s;
	struct run	 r;
	struct wb_err	 err;
	size_t		 i, k, prefix, len;
	char		*t;

	if (n == 0)
		return NULL;
	if (n > PLOT_MAX_LINES) {
		app_message(app, "charting the first %d of %zu runs",
		    PLOT_MAX_LINES, n);
		n = PLOT_MAX_LINES;
	}
	s = xcalloc(1, sizeof *s);
	s->app = app;
	s->n = n;
	s->want_key = key_id;
	for (i = 0; i < n; i++) {
		s->ids[i] = run_ids[i];
		memset(&r, 0, sizeof r);
		if (db_run_get(app_db(app), run_ids[i], &r, &err) == WB_OK &&
		    r.name != NULL)
			s->names[i] = xstrdup(r.name);
		else
			s->names[i] = xstrdup("?");
		run_clear(&r);
	}
	/* A sweep's names share a long prefix: the legend shows the rest. */
	for (prefix = strlen(s->names[0]), i = 1; i < n; i++) {
		k = 0;
		while (k < prefix && s->names[i][k] == s->names[0][k])
			k++;
		prefix = k;
	}
	/* Cut at a word boundary: "..lr0.1-bs64", not "..1-bs64". */
	while (prefix > 0 && strchr("-_/ :=", s->names[0][prefix - 1]) == NULL)
		prefix--;
	for (i = 0; i < n; i++) {
		len = strlen(s->names[i]) + 4;
		t = xmalloc(len);
		snprintf(t, len, "%s%s", n > 1 && prefix > 4 ? (app_utf8(app) ?
		    "\xe2\x80\xa6" : "~") : "",
		    s->names[i] + (n > 1 && prefix > 4 ? prefix : 0));
		s->short_names[i] = t;
	}

	return view_new(&chart_ops, s);
}
