/*
 * plot: rasterises downsampled curves (series.h) into a cell grid, and
 * writes the same chart as SVG.  Owns the chart's layout (legend line,
 * y labels, axes, x labels), tick choice and dot drawing.  A column's
 * min..max span is drawn whole, so spikes survive any downsampling;
 * neighbouring columns are joined by a line between their ends.
 *
 * Layout of a w x h canvas: row 0 the title and legend, rows 1..h-3 the
 * plot (PLOT_YLABEL label columns and an axis column on its left), row
 * h-2 the x axis, row h-1 the x labels.
 */
#include "config.h"

#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "mem.h"
#include "strbuf.h"
#include "text.h"

#define LEFT	(PLOT_YLABEL + 1)

/* SVG layout, in pixels. */
#define SVG_L	72
#define SVG_R	16
#define SVG_T	34
#define SVG_B	40

static const char *const palette[PLOT_MAX_LINES] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#17becf"
};

static int
dots_x(const struct plot_opts *o)
{
	return o->utf8 ? 2 : 1;
}

static int
dots_y(const struct plot_opts *o)
{
	return o->utf8 ? 4 : 3;
}

size_t
plot_ncol(const struct plot_opts *o)
{
	if (o->w < 20 || o->h < 5)
		return 0;
	return (size_t)(o->w - LEFT) * (size_t)dots_x(o);
}

size_t
plot_svg_ncol(const struct plot_opts *o)
{
	if (o->w < SVG_L + SVG_R + 20 || o->h < SVG_T + SVG_B + 20)
		return 0;
	return (size_t)(o->w - SVG_L - SVG_R);
}

/* Ticks ------------------------------------------------------------------ */

int
plot_ticks(double lo, double hi, int max, double *first, double *step)
{
	static const double	m[] = { 1, 2, 5, 10 };
	double			raw, mag, s = 1, f;
	int			i, n;

	if (max < 1)
		max = 1;
	if (!(hi > lo) || !isfinite(lo) || !isfinite(hi)) {
		*first = lo;
		*step = 1;
		return 1;
	}
	raw = (hi - lo) / max;
	mag = pow(10, floor(log10(raw)));
	for (i = 0; i < 4; i++) {
		s = m[i] * mag;
		if (s >= raw * (1 - 1e-9))
			break;
	}
	f = ceil(lo / s - 1e-9) * s;
	n = (int)floor((hi - f) / s + 1e-9) + 1;
	if (n < 1)
		n = 1;
	*first = f;
	*step = s;
	return n;
}

const char *
plot_tick_label(char buf[32], double v, double step)
{
	int	dec;

	if (fabs(v) < fabs(step) * 1e-9)
		v = 0;
	dec = step > 0 ? (int)-floor(log10(step) + 1e-9) : 0;
	if (dec < 0)
		dec = 0;
	if (dec <= 6 && fabs(v) < 1e7)
		snprintf(buf, 32, "%.*f", dec, v);
	else
		snprintf(buf, 32, "%.3g", v);
	if (strlen(buf) > PLOT_YLABEL)
		snprintf(buf, 32, "%.2g", v);
	return buf;
}

static const char *
duration_label(char buf[32], double ms)
{
	long long	s = (long long)llround(ms / 1000);

	if (s == 0 && fabs(ms) >= 1)
		snprintf(buf, 32, "%.0fms", ms);
	else if (s < 60)
		snprintf(buf, 32, "%llds", s);
	else if (s < 3600)
		snprintf(buf, 32, s % 60 ? "%lldm%llds" : "%lldm", s / 60,
		    s % 60);
	else if (s < 86400)
		snprintf(buf, 32, s % 3600 ? "%lldh%lldm" : "%lldh",
		    s / 3600, s % 3600 / 60);
	else
		snprintf(buf, 32, s % 86400 ? "%lldd%lldh" : "%lldd",
		    s / 86400, s % 86400 / 3600);
	return buf;
}

const char *
plot_x_label(char buf[32], enum series_x xm, double x, double step)
{
	struct tm	tm;
	time_t		t;

	switch (xm) {
	case SERIES_X_TIME:
		t = (time_t)(x / 1000);
		if (localtime_r(&t, &tm) == NULL)
			return strcpy(buf, "?");
		if (step >= 86400000)
			strftime(buf, 32, "%m-%d", &tm);
		else if (step >= 60000)
			strftime(buf, 32, "%H:%M", &tm);
		else
			strftime(buf, 32, "%H:%M:%S", &tm);
		return buf;
	case SERIES_X_RELATIVE:
		return duration_label(buf, x);
	default:
		if (step >= 1e5 && fabs(x) >= 1e6)
			snprintf(buf, 32, "%gM", x / 1e6);
		else if (step >= 100 && fabs(x) >= 1e3)
			snprintf(buf, 32, "%gk", x / 1e3);
		else
			plot_tick_label(buf, x, step < 1 ? 1 : step);
		return buf;
	}
}

/* Steps for time axes, in ms: whole seconds, minutes, hours, days. */
static int
time_ticks(double lo, double hi, int max, double *first, double *step)
{
	static const double	st[] = { 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4,
	    12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5,
	    864e5, 1728e5, 6048e5, 12096e5, 2592e6 };
	double			s = st[0];
	size_t			i;
	int			n;

	if (max < 1)
		max = 1;
	if (hi - lo < 1e3 * max)
		return plot_ticks(lo, hi, max, first, step);
	for (i = 0; i < sizeof st / sizeof st[0]; i++) {
		s = st[i];
		if ((hi - lo) / s <= max)
			break;
	}
	if (i == sizeof st / sizeof st[0])
		return plot_ticks(lo, hi, max, first, step);
	*first = ceil(lo / s) * s;
	*step = s;
	n = (int)floor((hi - *first) / s) + 1;
	return n < 1 ? 1 : n;
}

static int
x_ticks(const struct plot_opts *o, double lo, double hi, int max,
    double *first, double *step)
{
	int	n;

	if (o->xmode != SERIES_X_STEP)
		return time_ticks(lo, hi, max, first, step);
	n = plot_ticks(lo, hi, max, first, step);
	if (*step < 1) {	/* steps are integers */
		*step = 1;
		*first = ceil(lo);
		n = (int)(floor(hi) - *first) + 1;
	}
	return n;
}

#define MAX_YTICKS 32

/*
 * Y ticks for the range [lo, hi] (log10 values when logy): positions in
 * that space and their labels, at most max (and MAX_YTICKS).  A log scale
 * spanning a decade or more gets decades; a narrower one gets 1-2-5 steps
 * of the values themselves, placed by their logarithm.
 */
static int
y_ticks(const struct plot_opts *o, double lo, double hi, int max,
    double *pos, char (*label)[32])
{
	double	first, step, v;
	int	i, n, k = 0;

	if (max > MAX_YTICKS)
		max = MAX_YTICKS;
	if (o->logy && hi - lo >= 1 && hi - lo < 3 && max >= 2) {
		/* One to three decades: 1, 2 and 5 times each power of 10. */
		static const double	m[] = { 1, 2, 5 };
		int			e;

		for (e = (int)floor(lo); e <= (int)ceil(hi); e++)
			for (i = 0; i < 3 && k < MAX_YTICKS; i++) {
				v = log10(m[i]) + e;
				if (v < lo - 1e-9 || v > hi + 1e-9)
					continue;
				pos[k] = v;
				snprintf(label[k], 32, "%g", m[i] * pow(10, e));
				k++;
			}
		if (k >= 2 && k <= 2 * max)
			return k;
		k = 0;		/* too few or too many: decades */
	}
	if (o->logy && hi - lo >= 1) {
		n = plot_ticks(lo, hi, max, &first, &step);
		if (step < 1) {
			first = ceil(lo);
			step = 1;
			n = (int)(floor(hi) - first) + 1;
		}
		for (i = 0; i < n && k < MAX_YTICKS; i++) {
			pos[k] = first + i * step;
			snprintf(label[k], 32, "%g", pow(10, pos[k]));
			k++;
		}
		return k;
	}
	if (o->logy) {
		n = plot_ticks(pow(10, lo), pow(10, hi), max, &first, &step);
		for (i = 0; i < n && k < MAX_YTICKS; i++) {
			v = first + i * step;
			if (v <= 0)
				continue;
			pos[k] = log10(v);
			plot_tick_label(label[k], v, step);
			k++;
		}
		return k;
	}
	n = plot_ticks(lo, hi, max, &first, &step);
	for (i = 0; i < n && k < MAX_YTICKS; i++) {
		pos[k] = first + i * step;
		plot_tick_label(label[k], pos[k], step);
		k++;
	}
	return k;
}

/* Y range --------------------------------------------------------------- */

static double
ty(const struct plot_opts *o, double v)
{
	return o->logy ? log10(v) : v;
}

static void
y_range(const struct plot_opts *o, const struct plot_line *lines, size_t n,
    size_t ncol, double *lo, double *hi)
{
	const struct series_col	*c;
	size_t			 i, j, k;
	int			 any = 0;

	*lo = *hi = 0;
	for (i = 0; i < n; i++) {
		for (k = 0; k < 2; k++) {
			c = k ? lines[i].smooth : lines[i].raw;
			if (c == NULL)
				continue;
			for (j = 0; j < ncol; j++) {
				if (c[j].n == 0)
					continue;
				if (!any || ty(o, c[j].min) < *lo)
					*lo = ty(o, c[j].min);
				if (!any || ty(o, c[j].max) > *hi)
					*hi = ty(o, c[j].max);
				any = 1;
			}
		}
	}
	if (!any) {
		*lo = 0;
		*hi = 1;
	} else if (*hi - *lo < 1e-12 * fmax(fabs(*lo), 1)) {
		*lo -= fmax(fabs(*lo) * 0.1, o->logy ? 0.5 : 1);
		*hi += fmax(fabs(*hi) * 0.1, o->logy ? 0.5 : 1);
	}
}

/* Raster ---------------------------------------------------------------- */

struct raster {
	struct plot	*p;
	int		 dx, dy, nrows;
	size_t		 ncol;
	unsigned char	*bits;		/* per plot cell */
};

static struct plot_cell *
cell(struct plot *p, int y, int x)
{
	return &p->cells[(size_t)y * (size_t)p->w + (size_t)x];
}

static void
put(struct plot *p, int y, int x, const char *g, enum plot_kind k, int line)
{
	struct plot_cell	*c;

	if (y < 0 || y >= p->h || x < 0 || x >= p->w)
		return;
	c = cell(p, y, x);
	snprintf(c->g, sizeof c->g, "%s", g);
	c->kind = (unsigned char)k;
	c->line = (signed char)line;
}

/* Put sanitised text at (y, x), one cell per character; returns columns. */
static int
put_text(struct plot *p, int y, int x, int maxw, const char *s,
    enum plot_kind k, int line)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*q;
	char		 g[5];
	int		 used = 0, len;

	text_sanitize(&sb, s, strlen(s));
	for (q = strbuf_str(&sb); *q && used < maxw; q += len) {
		len = 1;
		while (len < 4 && ((unsigned char)q[len] & 0xc0) == 0x80)
			len++;
		memcpy(g, q, (size_t)len);
		g[len] = '\0';
		put(p, y, x + used, g, k, line);
		used++;
	}
	strbuf_free(&sb);
	return used;
}

static int
yrow(const struct raster *r, double v)
{
	const struct plot	*p = r->p;
	double			 f = (p->y_hi - v) / (p->y_hi - p->y_lo);
	long			 row = lround(f * (r->nrows - 1));

	if (row < 0)
		row = 0;
	if (row >= r->nrows)
		row = r->nrows - 1;
	return (int)row;
}

/* Dot (col, row) of the plot area for line, on the raw or smooth layer. */
static void
dot(struct raster *r, long col, int row, int line, int faint)
{
	static const unsigned char	braille[4][2] = { { 0x01, 0x08 },
	    { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 } };
	struct plot			*p = r->p;
	struct plot_cell		*c;
	int				 cx, cy;
	size_t				 i;

	if (col < 0 || (size_t)col >= r->ncol || row < 0 || row >= r->nrows)
		return;
	cx = (int)(col / r->dx);
	cy = row / r->dy;
	i = (size_t)cy * (size_t)p->pw + (size_t)cx;
	if (r->dx == 2)
		r->bits[i] |= braille[row % 4][col % 2];
	else
		r->bits[i] |= (unsigned char)(1 << (row % 3));
	c = cell(p, p->py + cy, p->px + cx);
	/* A smoothed dot owns the cell over raw ones: colour follows it. */
	if (c->kind == PK_SERIES && faint)
		return;
	c->kind = faint ? PK_FAINT : PK_SERIES;
	c->line = (signed char)line;
}

static void
vline(struct raster *r, long col, int r0, int r1, int line, int faint)
{
	int	y;

	if (r0 > r1) {
		y = r0;
		r0 = r1;
		r1 = y;
	}
	for (y = r0; y <= r1; y++)
		dot(r, col, y, line, faint);
}

/* Bresenham between two dots. */
static void
segment(struct raster *r, long x0, int y0, long x1, int y1, int line,
    int faint)
{
	long	dx = labs(x1 - x0), sx = x0 < x1 ? 1 : -1;
	long	dy = -labs((long)y1 - y0), sy = y0 < y1 ? 1 : -1, e = dx + dy,
		e2;

	for (;;) {
		dot(r, x0, y0, line, faint);
		if (x0 == x1 && y0 == y1)
			break;
		e2 = 2 * e;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += (int)sy;
		}
	}
}

static double
clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void
draw_curve(struct raster *r, const struct plot_opts *o,
    const struct series_col *c, int line, int faint)
{
	size_t	i, prev = 0;
	int	have = 0, ra, rb;
	double	a, b;

	for (i = 0; i < r->ncol; i++) {
		if (c[i].n == 0)
			continue;
		vline(r, (long)i, yrow(r, ty(o, c[i].min)),
		    yrow(r, ty(o, c[i].max)), line, faint);
		if (have) {
			/* Join prev's end to this column's start. */
			a = c[prev].last;
			b = c[i].first;
			if (isnan(a))
				a = clampd(isnan(b) ? (c[i].min + c[i].max) / 2 :
				    b, c[prev].min, c[prev].max);
			if (isnan(b))
				b = clampd(a, c[i].min, c[i].max);
			ra = yrow(r, ty(o, a));
			rb = yrow(r, ty(o, b));
			if (i - prev > 1 || abs(ra - rb) > 1)
				segment(r, (long)prev, ra, (long)i, rb, line,
				    faint);
		}
		prev = i;
		have = 1;
	}
}

static const char *const marks_utf8[PLOT_MAX_LINES] = {
	"\xe2\x97\x8f", "\xe2\x97\x8b", "\xe2\x97\x86", "\xe2\x97\x87",
	"\xe2\x96\xb2", "\xe2\x96\xb3", "\xe2\x96\xa0", "\xe2\x96\xa1"
};
static const char *const marks_ascii[PLOT_MAX_LINES] = {
	"*", "o", "+", "x", "#", "@", "%", "="
};

const char *
plot_mark(int i, int utf8)
{
	if (i < 0 || i >= PLOT_MAX_LINES)
		return "?";
	return utf8 ? marks_utf8[i] : marks_ascii[i];
}

/* Marks instead of dots: no colour, or ASCII with several lines. */
static int
use_marks(const struct plot_opts *o, size_t n)
{
	return n > 1 && (o->marks || !o->utf8);
}

static const char *
braille_glyph(char g[5], unsigned bits)
{
	unsigned	cp = 0x2800 + bits;

	g[0] = (char)(0xe0 | (cp >> 12));
	g[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	g[2] = (char)(0x80 | (cp & 0x3f));
	g[3] = '\0';
	return g;
}

static const char *
ascii_glyph(char g[5], unsigned bits)
{
	static const char	t[8] = { ' ', '\'', '-', '|', '.', ':', '|',
	    '|' };

	g[0] = t[bits & 7];
	g[1] = '\0';
	return g;
}

void
plot_free(struct plot *p)
{
	if (p == NULL)
		return;
	wb_free(p->cells);
	p->cells = NULL;
}

static void
draw_axes(struct plot *p, const struct plot_opts *o, size_t ncol)
{
	const char	*vbar = o->utf8 ? "\xe2\x94\x82" : "|";
	const char	*hbar = o->utf8 ? "\xe2\x94\x80" : "-";
	char		 buf[32], labels[MAX_YTICKS][32];
	double		 first, step, v, xlo, xhi, pos[MAX_YTICKS];
	int		 i, n, y, x, row, lastx = -100, len;

	for (y = p->py; y < p->py + p->ph; y++)
		put(p, y, LEFT - 1, vbar, PK_AXIS, -1);
	put(p, p->py + p->ph, LEFT - 1, o->utf8 ? "\xe2\x94\x94" : "+",
	    PK_AXIS, -1);
	for (x = LEFT; x < p->w; x++)
		put(p, p->py + p->ph, x, hbar, PK_AXIS, -1);

	/* Y ticks: about one per three rows. */
	n = y_ticks(o, p->y_lo, p->y_hi, p->ph / 3 > 1 ? p->ph / 3 : 2, pos,
	    labels);
	for (i = 0; i < n; i++) {
		row = (int)lround((p->y_hi - pos[i]) / (p->y_hi - p->y_lo) *
		    (p->ph - 1));
		if (row < 0 || row >= p->ph)
			continue;
		/* A label longer than the buffer is cut (it is cut to
		 * PLOT_YLABEL cells below anyway). */
		len = (int)strnlen(labels[i], sizeof buf - 1);
		memcpy(buf, labels[i], (size_t)len);
		buf[len] = '\0';
		if (len > PLOT_YLABEL)
			len = PLOT_YLABEL;
		put_text(p, p->py + row, PLOT_YLABEL - len, len, buf, PK_TEXT,
		    -1);
		put(p, p->py + row, LEFT - 1, o->utf8 ? "\xe2\x94\xa4" : "+",
		    PK_AXIS, -1);
	}

	/* X ticks: about one per ten columns, labels must not touch. */
	xlo = (double)o->x0;
	xhi = (double)o->x1;
	n = x_ticks(o, xlo, xhi, p->pw / 10 > 1 ? p->pw / 10 : 1, &first,
	    &step);
	for (i = 0; i < n; i++) {
		v = first + i * step;
		if (v < xlo || v > xhi)
			continue;
		x = p->px + (int)(series_col_of(o->x0, o->x1, ncol,
		    (int64_t)llround(v)) / (size_t)dots_x(o));
		put(p, p->py + p->ph, x, o->utf8 ? "\xe2\x94\xac" : "+",
		    PK_AXIS, -1);
		plot_x_label(buf, o->xmode, v, step);
		len = (int)strlen(buf);
		if (x - len / 2 <= lastx + 1 || x - len / 2 + len > p->w)
			continue;
		put_text(p, p->h - 1, x - len / 2, len, buf, PK_TEXT, -1);
		lastx = x - len / 2 + len - 1;
	}
}

/* Columns of label, sanitised (one per character, as put_text). */
static int
label_width(const char *s)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*q;
	int		 n = 0;

	text_sanitize(&sb, s, strlen(s));
	for (q = strbuf_str(&sb); *q; q++)
		n += ((unsigned char)*q & 0xc0) != 0x80;
	strbuf_free(&sb);
	return n;
}

/* label in w columns: cut in the middle with an ellipsis when longer
 * (a sweep's run names differ at their end). */
static int
put_label_mid(struct plot *p, const struct plot_opts *o, int y, int x, int w,
    const char *label, int line)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*q;
	int		 n = label_width(label), head, tail, i, used;

	if (n <= w || w < 3)
		return put_text(p, y, x, w, label, PK_TEXT, line);
	text_sanitize(&sb, label, strlen(label));
	tail = (w - 1) / 2;
	head = w - 1 - tail;
	used = put_text(p, y, x, head, strbuf_str(&sb), PK_TEXT, line);
	put(p, y, x + used, o->utf8 ? "\xe2\x80\xa6" : "~", PK_TEXT, line);
	used++;
	/* Skip to the last tail characters. */
	for (q = strbuf_str(&sb), i = 0; *q && i < n - tail; q++)
		if (((unsigned char)q[1] & 0xc0) != 0x80)
			i++;
	used += put_text(p, y, x + used, tail, q, PK_TEXT, line);
	strbuf_free(&sb);
	return used;
}

/*
 * Row 0: the title, then each line's mark and label.  The labels share
 * the room left, the long ones cut in their middle, so the legend never
 * runs off the canvas.
 */
static void
draw_legend(struct plot *p, const struct plot_opts *o,
    const struct plot_line *lines, size_t n)
{
	size_t	i;
	int	x = 0, room, want = 0, per, nlong, spare;

	if (o->title != NULL && *o->title) {
		x += put_text(p, 0, x, p->w - x, o->title, PK_TITLE, -1);
		if (o->logy)
			x += put_text(p, 0, x, p->w - x, " (log)", PK_TITLE,
			    -1);
		x += 2;
	}
	if (!o->legend || n == 0)
		return;
	room = p->w - x - (int)n * 4;	/* mark, space, two between */
	for (i = 0; i < n; i++)
		want += label_width(lines[i].label ? lines[i].label : "?");
	per = room / (int)n;
	spare = room;
	nlong = (int)n;
	for (i = 0; i < n; i++) {
		int lw = label_width(lines[i].label ? lines[i].label : "?");

		if (lw <= per)
			spare -= lw, nlong--;
	}
	if (nlong > 0)
		per = spare / nlong;
	for (i = 0; i < n && x < p->w; i++) {
		const char	*l = lines[i].label ? lines[i].label : "?";
		int		 lw = label_width(l);

		put(p, 0, x, use_marks(o, n) ? plot_mark((int)i, o->utf8) :
		    o->utf8 ? "\xe2\x96\xa0" : "#", PK_SERIES, (int)i);
		x += 2;
		x += put_label_mid(p, o, 0, x, want <= room ? lw : lw < per ?
		    lw : per, l, (int)i);
		x += 2;
	}
}

int
plot_render(struct plot *p, const struct plot_opts *o,
    const struct plot_line *lines, size_t n, struct wb_err *err)
{
	struct raster	r;
	char		g[5];
	size_t		i, ncol = plot_ncol(o);
	int		x, y;

	memset(p, 0, sizeof *p);
	if (ncol == 0)
		return wb_err_set(err, WB_EINVAL, "chart needs at least 20x5 "
		    "cells (got %dx%d)", o->w, o->h);
	if (n > PLOT_MAX_LINES)
		n = PLOT_MAX_LINES;
	p->w = o->w;
	p->h = o->h;
	p->px = LEFT;
	p->py = 1;
	p->pw = o->w - LEFT;
	p->ph = o->h - 3;
	if ((p->cells = wb_calloc((size_t)p->w * (size_t)p->h,
	    sizeof *p->cells)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (i = 0; i < (size_t)p->w * (size_t)p->h; i++) {
		strcpy(p->cells[i].g, " ");
		p->cells[i].line = -1;
	}
	y_range(o, lines, n, ncol, &p->y_lo, &p->y_hi);

	memset(&r, 0, sizeof r);
	r.p = p;
	r.dx = dots_x(o);
	r.dy = dots_y(o);
	r.nrows = p->ph * r.dy;
	r.ncol = ncol;
	if ((r.bits = wb_calloc((size_t)p->pw * (size_t)p->ph, 1)) == NULL) {
		plot_free(p);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	/* Raw curves first (faint when smoothed), smoothed ones on top. */
	for (i = 0; i < n; i++)
		draw_curve(&r, o, lines[i].raw, (int)i, lines[i].smooth !=
		    NULL);
	for (i = 0; i < n; i++)
		if (lines[i].smooth != NULL)
			draw_curve(&r, o, lines[i].smooth, (int)i, 0);
	for (y = 0; y < p->ph; y++)
		for (x = 0; x < p->pw; x++) {
			unsigned b = r.bits[(size_t)y * (size_t)p->pw +
			    (size_t)x];
			struct plot_cell *c = cell(p, p->py + y, p->px + x);

			if (b == 0)
				continue;
			/* Marks: the raw curve under a smoothed one is
			 * only dotted, so the marks stay the curve's. */
			if (use_marks(o, n))
				snprintf(c->g, sizeof c->g, "%s",
				    c->kind == PK_FAINT ? (o->utf8 ?
				    "\xc2\xb7" : ".") : plot_mark(c->line,
				    o->utf8));
			else
				snprintf(c->g, sizeof c->g, "%s", o->utf8 ?
				    braille_glyph(g, b) : ascii_glyph(g, b));
		}
	wb_free(r.bits);
	if (o->cursor >= 0 && (size_t)o->cursor < ncol) {
		x = p->px + (int)(o->cursor / r.dx);
		for (y = p->py; y < p->py + p->ph; y++)
			if (cell(p, y, x)->kind == PK_BLANK)
				put(p, y, x, o->utf8 ? "\xe2\x94\x82" : "|",
				    PK_CURSOR, -1);
	}
	draw_axes(p, o, ncol);
	draw_legend(p, o, lines, n);
	return WB_OK;
}

int
plot_text(const struct plot *p, struct strbuf *out)
{
	int	y, x, end;

	for (y = 0; y < p->h; y++) {
		for (end = p->w; end > 0; end--)
			if (strcmp(p->cells[(size_t)y * (size_t)p->w +
			    (size_t)end - 1].g, " ") != 0)
				break;
		for (x = 0; x < end; x++)
			strbuf_adds(out, p->cells[(size_t)y * (size_t)p->w +
			    (size_t)x].g);
		strbuf_addc(out, '\n');
	}
	return out->oom ? -1 : 0;
}

/* SVG ------------------------------------------------------------------ */

/* XML text: escaped, control characters (not allowed in XML 1.0) as '?'. */
static void
xml_text(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			strbuf_adds(out, "&amp;");
		else if (c == '<')
			strbuf_adds(out, "&lt;");
		else if (c == '>')
			strbuf_adds(out, "&gt;");
		else if (c == '"')
			strbuf_adds(out, "&quot;");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addc(out, '?');
		else
			strbuf_addc(out, (char)c);
	}
}

/*
 * One path per curve.  A dot column spans its points' range: it is drawn
 * as first -> max -> min -> last at one x, each vertex written once, so a
 * column of one point (or a flat one) is one vertex, not four.
 */
static void
svg_curve(struct strbuf *out, const struct plot_opts *o,
    const struct series_col *c, size_t ncol, double lo, double hi,
    int line, int faint)
{
	double	h = o->h - SVG_T - SVG_B, x, y[4], last_y = 0;
	size_t	i, k;
	int	first = 1, have = 0;

#define SY(v) (SVG_T + (hi - ty(o, (v))) / (hi - lo) * h)
	strbuf_addf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%s\""
	    "%s d=\"", palette[line], faint ? "1" : "1.5", faint ?
	    " stroke-opacity=\"0.3\"" : "");
	for (i = 0; i < ncol; i++) {
		if (c[i].n == 0)
			continue;
		x = SVG_L + (double)i + 0.5;
		y[0] = SY(isnan(c[i].first) ? c[i].max : c[i].first);
		y[1] = SY(c[i].max);
		y[2] = SY(c[i].min);
		y[3] = SY(isnan(c[i].last) ? c[i].min : c[i].last);
		have = 0;
		for (k = 0; k < 4; k++) {
			/* Same tenth of a pixel as the vertex before: skip. */
			if (have && lround(y[k] * 10) == lround(last_y * 10))
				continue;
			strbuf_addf(out, "%s%.1f %.1f ", first ? "M" : "L", x,
			    y[k]);
			first = 0;
			have = 1;
			last_y = y[k];
		}
	}
	strbuf_adds(out, "\"/>\n");
#undef SY
}

int
plot_svg(struct strbuf *out, const struct plot_opts *o,
    const struct plot_line *lines, size_t n, struct wb_err *err)
{
	char	buf[32], labels[MAX_YTICKS][32];
	double	lo, hi, first, step, v, y, x, pw, ph, pos[MAX_YTICKS];
	size_t	i, ncol = plot_svg_ncol(o);
	int	k, nt;

	if (ncol == 0)
		return wb_err_set(err, WB_EINVAL, "SVG needs at least %dx%d "
		    "pixels", SVG_L + SVG_R + 20, SVG_T + SVG_B + 20);
	if (n > PLOT_MAX_LINES)
		n = PLOT_MAX_LINES;
	y_range(o, lines, n, ncol, &lo, &hi);
	pw = (double)ncol;
	ph = o->h - SVG_T - SVG_B;
	strbuf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
	    "font-size=\"11\">\n<rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"white\"/>\n", o->w, o->h, o->w, o->h);
	strbuf_adds(out, "<text x=\"8\" y=\"16\" font-size=\"13\" "
	    "font-weight=\"bold\">");
	xml_text(out, o->title ? o->title : "");
	strbuf_addf(out, "%s</text>\n", o->logy ? " (log)" : "");
	for (i = 0, x = SVG_L; i < n; i++) {
		strbuf_addf(out, "<rect x=\"%.0f\" y=\"20\" width=\"10\" "
		    "height=\"3\" fill=\"%s\"/><text x=\"%.0f\" y=\"26\">", x,
		    palette[i], x + 14);
		xml_text(out, lines[i].label ? lines[i].label : "?");
		strbuf_adds(out, "</text>\n");
		x += 24 + 7 * (double)strlen(lines[i].label ? lines[i].label :
		    "?");
	}
	/* Grid and ticks. */
	strbuf_addf(out, "<g stroke=\"#ccc\" stroke-width=\"0.5\">\n");
	nt = y_ticks(o, lo, hi, (int)(ph / 40) + 1, pos, labels);
	for (k = 0; k < nt; k++) {
		y = SVG_T + (hi - pos[k]) / (hi - lo) * ph;
		strbuf_addf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" "
		    "y2=\"%.1f\"/>\n", SVG_L, y, SVG_L + pw, y);
	}
	strbuf_adds(out, "</g>\n<g text-anchor=\"end\">\n");
	for (k = 0; k < nt; k++) {
		y = SVG_T + (hi - pos[k]) / (hi - lo) * ph;
		strbuf_addf(out, "<text x=\"%d\" y=\"%.1f\">%s</text>\n",
		    SVG_L - 6, y + 4, labels[k]);
	}
	strbuf_adds(out, "</g>\n<g text-anchor=\"middle\">\n");
	nt = x_ticks(o, (double)o->x0, (double)o->x1, (int)(pw / 80) + 1,
	    &first, &step);
	for (k = 0; k < nt; k++) {
		v = first + k * step;
		if (v < (double)o->x0 || v > (double)o->x1)
			continue;
		x = SVG_L + (double)series_col_of(o->x0, o->x1, ncol,
		    (int64_t)llround(v)) + 0.5;
		strbuf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"black\"/><text x=\"%.1f\" "
		    "y=\"%.1f\">%s</text>\n", x, SVG_T + ph, x, SVG_T + ph + 4,
		    x, SVG_T + ph + 16, plot_x_label(buf, o->xmode, v, step));
	}
	strbuf_addf(out, "</g>\n<text x=\"%.0f\" y=\"%d\" "
	    "text-anchor=\"middle\">%s</text>\n", SVG_L + pw / 2, o->h - 6,
	    o->xmode == SERIES_X_STEP ? "step" : o->xmode == SERIES_X_TIME ?
	    "time" : "time since start");
	strbuf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\""
	    " fill=\"none\" stroke=\"black\"/>\n", SVG_L, SVG_T, pw, ph);
	for (i = 0; i < n; i++)
		svg_curve(out, o, lines[i].raw, ncol, lo, hi, (int)i,
		    lines[i].smooth != NULL);
	for (i = 0; i < n; i++)
		if (lines[i].smooth != NULL)
			svg_curve(out, o, lines[i].smooth, ncol, lo, hi,
			    (int)i, 0);
	strbuf_adds(out, "</svg>\n");
	if (out->oom)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	return WB_OK;
}
