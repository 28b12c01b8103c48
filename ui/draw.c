/*
 * draw: backend-independent drawing: sanitising, clipping, alignment, and
 * the text-grid backend used by --dump-screen and the screen tests.
 */
#include "config.h"

#include "draw.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "xmem.h"
#include "strbuf.h"
#include "text.h"

int
draw_width(const struct draw_ctx *dc)
{
	return dc->w;
}

int
draw_height(const struct draw_ctx *dc)
{
	return dc->h;
}

int
draw_utf8(const struct draw_ctx *dc)
{
	return dc->utf8;
}

struct draw_ctx
draw_sub(const struct draw_ctx *dc, int y, int x, int h, int w)
{
	struct draw_ctx	sub = *dc;

	if (y < 0)
		h += y, y = 0;
	if (x < 0)
		w += x, x = 0;
	if (y + h > dc->h)
		h = dc->h - y;
	if (x + w > dc->w)
		w = dc->w - x;
	sub.y0 = dc->y0 + y;
	sub.x0 = dc->x0 + x;
	sub.h = h > 0 ? h : 0;
	sub.w = w > 0 ? w : 0;
	return sub;
}

static void
put(struct draw_ctx *dc, int y, int x, enum role r, const char *g, int width)
{
	if (y < 0 || y >= dc->h || x < 0 || x + width > dc->w)
		return;
	dc->ops->put(dc->impl, dc->y0 + y, dc->x0 + x, r, g, width);
}

/* Only spaces left: a cut there loses nothing worth an ellipsis. */
static int
blank_after(const char *p, size_t left)
{
	for (; left > 0; p++, left--)
		if (*p != ' ')
			return 0;
	return 1;
}

static int
text_clip(struct draw_ctx *dc, int y, int x, int maxw, enum role r,
    const char *s, int ellipsis)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p;
	mbstate_t	 st;
	wchar_t		 wc;
	size_t		 n, left;
	int		 used = 0, cw, limit;
	char		 g[8];

	if (y < 0 || y >= dc->h || s == NULL)
		return 0;
	limit = dc->w - x;
	if (maxw >= 0 && maxw < limit)
		limit = maxw;
	if (limit <= 0)
		return 0;
	text_sanitize(&sb, s, strlen(s));
	p = strbuf_str(&sb);
	left = sb.len;
	memset(&st, 0, sizeof st);
	while (left > 0 && used < limit) {
		if (!dc->utf8 && (unsigned char)*p >= 0x80) {
			/* ASCII terminal: one '?' per character. */
			n = mbrtowc(&wc, p, left, &st);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
				memset(&st, 0, sizeof st);
				n = 1;
			}
			put(dc, y, x + used, r, "?", 1);
			used++;
			p += n, left -= n;
			continue;
		}
		n = mbrtowc(&wc, p, left, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			wc = '?';
		}
		cw = wcwidth(wc);
		if (cw < 0)
			cw = 1;
		if (cw == 0) {		/* combining: skip, keep it simple */
			p += n, left -= n;
			continue;
		}
		if (ellipsis && (used + cw > limit || (used + cw == limit &&
		    n < left && !blank_after(p + n, left - n)))) {
			/* Cut: the last cell shows that something is missing. */
			if (used >= limit)
				used = limit - 1;
			draw_glyph(dc, y, x + used, r, "\xe2\x80\xa6", '~');
			used++;
			break;
		}
		if (used + cw > limit)
			break;
		if (n >= sizeof g)
			n = sizeof g - 1;
		memcpy(g, p, n);
		g[n] = '\0';
		put(dc, y, x + used, r, g, cw);
		used += cw;
		p += n, left -= n;
	}
	strbuf_free(&sb);
	return used;
}

int
draw_text(struct draw_ctx *dc, int y, int x, int maxw, enum role r,
    const char *s)
{
	return text_clip(dc, y, x, maxw, r, s, 1);
}

int
draw_text_mid(struct draw_ctx *dc, int y, int x, int maxw, enum role r,
    const char *s)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*str, *p;
	unsigned char	 c;
	int		 head, tail, used;

	if (s == NULL || y < 0 || y >= dc->h)
		return 0;
	if (maxw < 0 || maxw > dc->w - x)
		maxw = dc->w - x;
	text_sanitize(&sb, s, strlen(s));
	str = strbuf_str(&sb);
	if (maxw < 5 || (int)text_width(str) <= maxw) {
		used = draw_text(dc, y, x, maxw, r, str);
		strbuf_free(&sb);
		return used;
	}
	tail = (maxw - 1) / 2;
	head = maxw - 1 - tail;
	used = text_clip(dc, y, x, head, r, str, 0);
	draw_glyph(dc, y, x + used, r, "\xe2\x80\xa6", '~');
	/* The shortest end of str that is at most tail columns wide. */
	for (p = str; *p != '\0' && (int)text_width(p) > tail; ) {
		c = (unsigned char)*p;
		p += c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	}
	used += 1 + draw_text(dc, y, x + used + 1, tail, r, p);
	strbuf_free(&sb);
	return used;
}

const char *
draw_num_fit(char buf[32], double v, int width)
{
	int	d;

	for (d = 6; d >= 1; d--) {
		text_num_short(buf, v, d);
		if ((int)strlen(buf) <= width)
			return buf;
	}
	/* Too wide even with one digit: 1e+05 style, the width allows. */
	snprintf(buf, 32, "%.0e", v);
	return buf;
}

int
draw_printf(struct draw_ctx *dc, int y, int x, int maxw, enum role r,
    const char *fmt, ...)
{
	struct strbuf	sb = STRBUF_INIT;
	va_list		ap;
	int		n;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	n = draw_text(dc, y, x, maxw, r, strbuf_str(&sb));
	strbuf_free(&sb);
	return n;
}

int
draw_text_right(struct draw_ctx *dc, int y, int x, int w, enum role r,
    const char *s)
{
	struct strbuf	sb = STRBUF_INIT;
	int		tw;

	text_sanitize(&sb, s, strlen(s));
	tw = (int)text_width(strbuf_str(&sb));
	strbuf_free(&sb);
	if (tw > w)
		return draw_text(dc, y, x, w, r, s);
	return draw_text(dc, y, x + w - tw, tw, r, s);
}

void
draw_fill(struct draw_ctx *dc, int y, int x, int w, enum role r)
{
	int	i;

	for (i = 0; i < w; i++)
		put(dc, y, x + i, r, " ", 1);
}

void
draw_glyph(struct draw_ctx *dc, int y, int x, enum role r, const char *utf8,
    char ascii)
{
	char	a[2] = { ascii, '\0' };

	if (dc->utf8)
		put(dc, y, x, r, utf8, 1);
	else
		put(dc, y, x, r, a, 1);
}

int
draw_spark(struct draw_ctx *dc, int y, int x, int w, const double *v, int n,
    double lo, double hi, enum role r, int mark_nan)
{
	static const char *const blocks[8] = { "\xe2\x96\x81",
	    "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	    "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87",
	    "\xe2\x96\x88" };
	static const char ascii[] = "_.-:=+*#";
	int	i, j, k, cells = n < w ? n : w;

	for (i = 0; i < cells; i++) {
		j = cells < n ? (int)((long long)i * n / cells) : i;
		if (isnan(v[j])) {
			if (mark_nan)
				draw_glyph(dc, y, x + i, ROLE_FAILED,
				    "\xc2\xb7", '?');
			continue;
		}
		k = hi > lo ? (int)lround((fmin(fmax(v[j], lo), hi) - lo) /
		    (hi - lo) * 7.0) : 3;
		draw_glyph(dc, y, x + i, r, blocks[k], ascii[k]);
	}
	return cells < 0 ? 0 : cells;
}

/* Text grid backend -------------------------------------------------------- */

struct grid_cell {
	char		g[8];		/* "" for the right half of a wide glyph */
	enum role	r;
};

struct grid {
	int			 w, h;
	struct grid_cell	*cells;
	struct draw_ctx		 dc;
};

static void
grid_put(void *impl, int y, int x, enum role r, const char *glyph, int width)
{
	struct grid	*g = impl;
	struct grid_cell *c;

	if (y < 0 || y >= g->h || x < 0 || x + width > g->w)
		return;
	c = &g->cells[y * g->w + x];
	snprintf(c->g, sizeof c->g, "%s", glyph);
	c->r = r;
	if (width == 2) {
		c[1].g[0] = '\0';
		c[1].r = r;
	}
}

static void
grid_set_role(void *impl, int y, int x, enum role r)
{
	struct grid	*g = impl;

	if (y >= 0 && y < g->h && x >= 0 && x < g->w)
		g->cells[y * g->w + x].r = r;
}

static const struct draw_ops grid_ops = { grid_put, grid_set_role };

struct draw_ctx *
draw_grid_new(int w, int h, int utf8)
{
	struct grid	*g = xcalloc(1, sizeof *g);
	int		 i;

	g->w = w > 0 ? w : 1;
	g->h = h > 0 ? h : 1;
	g->cells = xcalloc((size_t)g->w * (size_t)g->h, sizeof *g->cells);
	for (i = 0; i < g->w * g->h; i++)
		strcpy(g->cells[i].g, " ");
	g->dc.ops = &grid_ops;
	g->dc.impl = g;
	g->dc.w = g->w;
	g->dc.h = g->h;
	g->dc.utf8 = utf8;
	return &g->dc;
}

void
draw_grid_dump(const struct draw_ctx *dc, struct strbuf *out)
{
	const struct grid	*g = dc->impl;
	size_t			 start;
	int			 y, x;

	for (y = 0; y < g->h; y++) {
		start = out->len;
		for (x = 0; x < g->w; x++)
			strbuf_adds(out, g->cells[y * g->w + x].g);
		while (out->len > start && out->s[out->len - 1] == ' ')
			out->len--;
		strbuf_addc(out, '\n');
	}
}

void
draw_grid_clear(struct draw_ctx *dc)
{
	struct grid	*g = dc->impl;
	int		 i;

	for (i = 0; i < g->w * g->h; i++) {
		strcpy(g->cells[i].g, " ");
		g->cells[i].r = ROLE_NORMAL;
	}
}

void
draw_grid_free(struct draw_ctx *dc)
{
	struct grid	*g;

	if (dc == NULL)
		return;
	g = dc->impl;
	free(g->cells);
	free(g);
}
