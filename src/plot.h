/*
 * plot: line charts of downsampled series (series.h) as a grid of cells
 * (braille, 2x4 dots per cell, or an ASCII fallback of 1x3 levels) with a
 * legend, y ticks and x ticks at 1-2-5 steps (decades on a log scale,
 * clock times for wall time), and the same chart as an SVG document.
 * Pure data: the UI maps a cell's kind to a colour, the command line
 * prints the glyphs.  Labels are sanitised here.
 */
#ifndef WB_PLOT_H
#define WB_PLOT_H

#include <stddef.h>
#include <stdint.h>

#include "series.h"

struct strbuf;
struct wb_err;

#define PLOT_MAX_LINES	8
#define PLOT_YLABEL	9	/* columns for y tick labels */

enum plot_kind {
	PK_BLANK, PK_TEXT, PK_AXIS, PK_SERIES, PK_FAINT, PK_CURSOR, PK_TITLE
};

struct plot_cell {
	char		 g[5];		/* UTF-8 glyph, NUL-terminated */
	unsigned char	 kind;		/* enum plot_kind */
	signed char	 line;		/* PK_SERIES/PK_FAINT/legend: which */
};

/* One curve: ncol columns each of raw and (optional) smoothed points. */
struct plot_line {
	const char		*label;
	const struct series_col	*raw;
	const struct series_col	*smooth;	/* NULL: no smoothing */
};

struct plot_opts {
	int		 w, h;		/* cells (text) or pixels (SVG) */
	int		 utf8;		/* braille; else ASCII */
	int		 logy;
	enum series_x	 xmode;
	int64_t		 x0, x1;	/* the x range the columns split */
	const char	*title;		/* the metric's name */
	long		 cursor;	/* dot column of the cursor, or -1 */
	int		 legend;	/* draw the legend line */
	/*
	 * Give each line its own mark (plot_mark) instead of dots, in the
	 * cells and the legend: for terminals without colour.  ASCII
	 * charts of several lines always use marks.
	 */
	int		 marks;
};

/* Line i's mark: "●" "○" "◆" ... in UTF-8, "*" "o" "+" ... in ASCII. */
const char	*plot_mark(int i, int utf8);

struct plot {
	int			 w, h;
	struct plot_cell	*cells;		/* h rows of w */
	int			 px, py, pw, ph; /* plot area, in cells */
	double			 y_lo, y_hi;	/* log10 when logy */
};

/*
 * Dot columns a w x h canvas (or a w-pixel SVG) gives the curves:
 * bin the series with this many columns before rendering.  0 when the
 * canvas is too small for a chart.
 */
size_t	 plot_ncol(const struct plot_opts *o);
size_t	 plot_svg_ncol(const struct plot_opts *o);

/*
 * Render n (at most PLOT_MAX_LINES) lines, each with plot_ncol(o)
 * columns, into p (caller frees with plot_free).  WB_EINVAL if the
 * canvas is too small (under 20x5).
 */
int	 plot_render(struct plot *p, const struct plot_opts *o,
	    const struct plot_line *lines, size_t n, struct wb_err *err);
void	 plot_free(struct plot *p);
/* The canvas as text, one line per row, trailing spaces cut. */
int	 plot_text(const struct plot *p, struct strbuf *out);

/* An SVG document of the chart (o->w x o->h pixels). */
int	 plot_svg(struct strbuf *out, const struct plot_opts *o,
	    const struct plot_line *lines, size_t n, struct wb_err *err);

/*
 * Ticks at 1-2-5 steps inside [lo, hi], at most max of them: *first and
 * *step, returns the count.
 */
int	 plot_ticks(double lo, double hi, int max, double *first, double *step);
/* A tick label of v for a step (the fewest digits that tell ticks apart). */
const char *plot_tick_label(char buf[32], double v, double step);
/* An x tick label in the x mode ("1.5k", "14:05", "1h30m"). */
const char *plot_x_label(char buf[32], enum series_x xm, double x,
	    double step);

#endif
