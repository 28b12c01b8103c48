/*
 * pvm: rank correlation and rank eta of params against a metric, a dot
 * canvas for scatters and parallel coordinates, and their SVG (pvm.h).
 */
#include "config.h"

#include "pvm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "strbuf.h"
#include "text.h"

struct rk {
	double	v;
	size_t	i;
};

static int
rk_cmp(const void *a, const void *b)
{
	const struct rk	*x = a, *y = b;

	return (x->v > y->v) - (x->v < y->v);
}

int
pvm_ranks(const double *v, size_t n, double *rank)
{
	struct rk	*t;
	size_t		 i, j, k;

	if (n == 0)
		return 0;
	if ((t = wb_calloc(n, sizeof *t)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		t[i].v = v[i];
		t[i].i = i;
	}
	qsort(t, n, sizeof *t, rk_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && t[j].v == t[i].v; j++)
			;
		/* Ranks i+1 .. j share their mean. */
		for (k = i; k < j; k++)
			rank[t[k].i] = (double)(i + 1 + j) / 2.0;
	}
	wb_free(t);
	return 0;
}

/* Pearson's r of a and b. */
static double
pearson(const double *a, const double *b, size_t n)
{
	double	ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		ma += a[i];
		mb += b[i];
	}
	ma /= (double)n;
	mb /= (double)n;
	for (i = 0; i < n; i++) {
		sab += (a[i] - ma) * (b[i] - mb);
		saa += (a[i] - ma) * (a[i] - ma);
		sbb += (b[i] - mb) * (b[i] - mb);
	}
	if (saa <= 0 || sbb <= 0)
		return NAN;
	return sab / sqrt(saa * sbb);
}

double
pvm_spearman(const double *x, const double *y, size_t n)
{
	double	*rx, *ry, r;

	if (n < 3)
		return NAN;
	rx = wb_calloc(n, sizeof *rx);
	ry = wb_calloc(n, sizeof *ry);
	if (rx == NULL || ry == NULL || pvm_ranks(x, n, rx) != 0 ||
	    pvm_ranks(y, n, ry) != 0)
		r = NAN;
	else
		r = pearson(rx, ry, n);
	wb_free(rx);
	wb_free(ry);
	return r;
}

double
pvm_eta(const int *group, size_t ngroup, const double *y, size_t n)
{
	double	*ry, *sum, mean, between = 0, total = 0, e = NAN;
	size_t	*cnt, i, used = 0;

	if (n < 3 || ngroup < 2)
		return NAN;
	ry = wb_calloc(n, sizeof *ry);
	sum = wb_calloc(ngroup, sizeof *sum);
	cnt = wb_calloc(ngroup, sizeof *cnt);
	if (ry == NULL || sum == NULL || cnt == NULL ||
	    pvm_ranks(y, n, ry) != 0)
		goto out;
	mean = (double)(n + 1) / 2.0;
	for (i = 0; i < n; i++) {
		sum[group[i]] += ry[i];
		cnt[group[i]]++;
		total += (ry[i] - mean) * (ry[i] - mean);
	}
	for (i = 0; i < ngroup; i++)
		if (cnt[i] > 0) {
			double gm = sum[i] / (double)cnt[i];

			between += (double)cnt[i] * (gm - mean) * (gm - mean);
			used++;
		}
	if (used >= 2 && total > 0)
		e = sqrt(between / total);
out:
	wb_free(ry);
	wb_free(sum);
	wb_free(cnt);
	return e;
}

int
pvm_numeric(const char *const *vals, size_t np, size_t p, size_t nrun,
    double *v)
{
	size_t	r;
	int	numeric = 1;
	char	*end;

	for (r = 0; r < nrun; r++) {
		const char *s = vals[r * np + p];

		v[r] = NAN;
		if (s == NULL || *s == '\0')
			continue;
		v[r] = strtod(s, &end);
		if (end == s || *end != '\0')
			numeric = 0;
	}
	return numeric;
}

static int
score_cmp(const void *a, const void *b)
{
	const struct pvm_score	*x = a, *y = b;

	if (isnan(x->score) != isnan(y->score))
		return isnan(x->score) ? 1 : -1;
	if (!isnan(x->score) && x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->param > y->param) - (x->param < y->param);
}

int
pvm_rank_params(const char *const *vals, size_t np, const double *m,
    size_t nrun, struct pvm_score *out)
{
	double		*pv, *xs, *ys;
	int		*grp;
	const char	**names;
	size_t		 p, r, k, g, ng;

	pv = wb_calloc(nrun + 1, sizeof *pv);
	xs = wb_calloc(nrun + 1, sizeof *xs);
	ys = wb_calloc(nrun + 1, sizeof *ys);
	grp = wb_calloc(nrun + 1, sizeof *grp);
	names = wb_calloc(nrun + 1, sizeof *names);
	if (pv == NULL || xs == NULL || ys == NULL || grp == NULL ||
	    names == NULL) {
		wb_free(pv), wb_free(xs), wb_free(ys), wb_free(grp);
		wb_free(names);
		return -1;
	}
	for (p = 0; p < np; p++) {
		struct pvm_score *o = &out[p];

		memset(o, 0, sizeof *o);
		o->param = p;
		o->rho = o->score = NAN;
		o->numeric = pvm_numeric(vals, np, p, nrun, pv);
		k = ng = 0;
		for (r = 0; r < nrun; r++) {
			const char *s = vals[r * np + p];

			if (isnan(m[r]) || s == NULL || *s == '\0')
				continue;
			ys[k] = m[r];
			if (o->numeric)
				xs[k] = pv[r];
			else {
				for (g = 0; g < ng; g++)
					if (strcmp(names[g], s) == 0)
						break;
				if (g == ng)
					names[ng++] = s;
				grp[k] = (int)g;
			}
			k++;
		}
		o->n = k;
		if (o->numeric) {
			o->rho = pvm_spearman(xs, ys, k);
			o->score = fabs(o->rho);
		} else
			o->score = pvm_eta(grp, ng, ys, k);
	}
	qsort(out, np, sizeof *out, score_cmp);
	wb_free(pv), wb_free(xs), wb_free(ys), wb_free(grp), wb_free(names);
	return 0;
}

/* The canvas ----------------------------------------------------------- */

int
pvm_canvas_init(struct pvm_canvas *c, int w, int h, int utf8)
{
	memset(c, 0, sizeof *c);
	if (w < 1 || h < 1)
		return -1;
	c->w = w;
	c->h = h;
	c->utf8 = utf8;
	c->dots = wb_calloc((size_t)w * (size_t)h, 1);
	c->mark = wb_calloc((size_t)w * (size_t)h, 1);
	if (c->dots == NULL || c->mark == NULL) {
		pvm_canvas_free(c);
		return -1;
	}
	return 0;
}

void
pvm_canvas_free(struct pvm_canvas *c)
{
	wb_free(c->dots);
	wb_free(c->mark);
	c->dots = NULL;
	c->mark = NULL;
}

void
pvm_canvas_dot(struct pvm_canvas *c, double fx, double fy)
{
	static const unsigned char	bit[4][2] = { { 0x01, 0x08 },
	    { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 } };
	int				dw = c->utf8 ? 2 : 1, dh = c->utf8 ? 4 : 1;
	long				dx, dy;

	if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1))
		return;
	dx = lround(fx * (c->w * dw - 1));
	dy = lround((1 - fy) * (c->h * dh - 1));
	c->dots[(dy / dh) * c->w + dx / dw] |= c->utf8 ?
	    bit[dy % 4][dx % 2] : 1;
}

void
pvm_canvas_line(struct pvm_canvas *c, double x0, double y0, double x1,
    double y1)
{
	int	dw = c->utf8 ? 2 : 1, dh = c->utf8 ? 4 : 1, i, n;
	double	sx = fabs(x1 - x0) * c->w * dw, sy = fabs(y1 - y0) * c->h * dh;

	n = (int)(sx > sy ? sx : sy) + 1;
	for (i = 0; i <= n; i++)
		pvm_canvas_dot(c, x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i /
		    n);
}

const char *
pvm_canvas_glyph(const struct pvm_canvas *c, int x, int y, char buf[8])
{
	unsigned	b = c->dots[y * c->w + x], cp = 0x2800 + b;

	if (b == 0)
		return " ";
	if (!c->utf8)
		return "*";
	buf[0] = (char)(0xe0 | (cp >> 12));
	buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	buf[2] = (char)(0x80 | (cp & 0x3f));
	buf[3] = '\0';
	return buf;
}

/* SVG ------------------------------------------------------------------ */

static void
svg_text(struct strbuf *out, double x, double y, const char *anchor,
    const char *s)
{
	const char	*p;

	strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
	    "font-size=\"12\" font-family=\"sans-serif\">", x, y, anchor);
	for (p = s; *p != '\0'; p++) {
		if (*p == '<')
			strbuf_adds(out, "&lt;");
		else if (*p == '&')
			strbuf_adds(out, "&amp;");
		else if (*p == '>')
			strbuf_adds(out, "&gt;");
		else if ((unsigned char)*p >= 0x20)
			strbuf_addc(out, *p);
	}
	strbuf_adds(out, "</text>\n");
}

static void
range(const double *v, size_t n, double *lo, double *hi)
{
	size_t	i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			if (v[i] < *lo)
				*lo = v[i];
			if (v[i] > *hi)
				*hi = v[i];
		}
	if (!(*hi > *lo)) {
		*lo = isfinite(*lo) ? *lo - 0.5 : 0;
		*hi = *lo + 1;
	}
}

int
pvm_svg_scatter(struct strbuf *out, const double *x, const double *y,
    size_t n, const char *xlabel, const char *ylabel, int w, int h)
{
	double	xl, xh, yl, yh, pw = w - 90, ph = h - 70;
	char	a[32], b[32];
	size_t	i;

	range(x, n, &xl, &xh);
	range(y, n, &yl, &yh);
	strbuf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\">\n<rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"white\"/>\n<path d=\"M70 20V%.1fH%.1f\" stroke=\"#444\" "
	    "fill=\"none\"/>\n", w, h, 20 + ph, 70 + pw);
	for (i = 0; i < n; i++)
		if (isfinite(x[i]) && isfinite(y[i]))
			strbuf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
			    "fill=\"#1f77b4\" fill-opacity=\"0.7\"/>\n",
			    70 + (x[i] - xl) / (xh - xl) * pw,
			    20 + (1 - (y[i] - yl) / (yh - yl)) * ph);
	svg_text(out, 70, 38 + ph, "start", text_num_short(a, xl, 4));
	svg_text(out, 70 + pw, 38 + ph, "end", text_num_short(b, xh, 4));
	svg_text(out, 66, 30, "end", text_num_short(a, yh, 4));
	svg_text(out, 66, 20 + ph, "end", text_num_short(b, yl, 4));
	svg_text(out, 70 + pw / 2, h - 12, "middle", xlabel);
	svg_text(out, 70, 14, "start", ylabel);
	strbuf_adds(out, "</svg>\n");
	return 0;
}

int
pvm_svg_parallel(struct strbuf *out, const double *v, size_t nrun,
    size_t naxes, const char *const *labels, int w, int h)
{
	double	pw = w - 80, ph = h - 60, x, m;
	size_t	r, a;
	int	first;

	strbuf_addf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\">\n<rect width=\"100%%\" height=\"100%%\" "
	    "fill=\"white\"/>\n", w, h);
	for (a = 0; a < naxes; a++) {
		x = 40 + (naxes > 1 ? pw * (double)a / (double)(naxes - 1) : 0);
		strbuf_addf(out, "<path d=\"M%.1f 20V%.1f\" stroke=\"#444\"/>\n",
		    x, 20 + ph);
		svg_text(out, x, h - 16, "middle", labels[a]);
	}
	for (r = 0; r < nrun; r++) {
		m = v[r * naxes + naxes - 1];
		if (isnan(m))
			continue;
		/* Blue (low metric) to red (high). */
		strbuf_addf(out, "<path fill=\"none\" stroke-opacity=\"0.6\" "
		    "stroke=\"rgb(%d,60,%d)\" d=\"", (int)(40 + 200 * m),
		    (int)(240 - 200 * m));
		for (first = 1, a = 0; a < naxes; a++) {
			if (isnan(v[r * naxes + a]))
				continue;
			x = 40 + (naxes > 1 ? pw * (double)a /
			    (double)(naxes - 1) : 0);
			strbuf_addf(out, "%s%.1f %.1f", first ? "M" : "L", x,
			    20 + (1 - v[r * naxes + a]) * ph);
			first = 0;
		}
		strbuf_adds(out, "\"/>\n");
	}
	strbuf_adds(out, "</svg>\n");
	return 0;
}
