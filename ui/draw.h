/*
 * draw: the drawing context every view draws through.  A view never calls
 * curses: it draws cells with a role (header, selected, failed, series 3
 * ...), and the backend maps roles to the theme's colours and attributes.
 * Two backends: curses (the terminal, in screen.c) and a text grid (for
 * --dump-screen and tests), so a screen can be compared as plain text.
 *
 * All text drawn is sanitised: control characters and escape sequences
 * from data are shown escaped ("\e[2J"), never sent to the terminal.
 */
#ifndef MLWB_DRAW_H
#define MLWB_DRAW_H

#include <stddef.h>

enum role {
	ROLE_NORMAL, ROLE_DIM, ROLE_BOLD, ROLE_TITLE, ROLE_HEADER,
	ROLE_SELECTED, ROLE_MARKED, ROLE_SELECTED_MARKED, ROLE_STATUS,
	ROLE_ERROR, ROLE_FOOTER, ROLE_FOOTER_KEY, ROLE_BORDER, ROLE_PROMPT,
	ROLE_FINISHED, ROLE_RUNNING, ROLE_FAILED, ROLE_KILLED, ROLE_QUEUED,
	ROLE_BEST, ROLE_WORST, ROLE_CHANGED, ROLE_ADDED, ROLE_REMOVED,
	ROLE_DRIFT, ROLE_NO_DRIFT, ROLE_BADGE, ROLE_AXIS, ROLE_GRID,
	ROLE_REF, ROLE_CUR, ROLE_CURSOR,
	ROLE_SERIES0, ROLE_SERIES1, ROLE_SERIES2, ROLE_SERIES3,
	ROLE_SERIES4, ROLE_SERIES5, ROLE_SERIES6, ROLE_SERIES7,
	ROLE__COUNT
};

/*
 * A backend puts one glyph (a UTF-8 string of display width 1 or 2) in a
 * cell, or changes a cell's role.  Coordinates are the backend's.
 */
struct draw_ops {
	void	(*put)(void *impl, int y, int x, enum role r,
		    const char *glyph, int width);
	void	(*set_role)(void *impl, int y, int x, enum role r);
};

/* An area to draw in: a backend, an origin and a clip size. */
struct draw_ctx {
	const struct draw_ops	*ops;
	void			*impl;
	int			 y0, x0;	/* origin in the backend */
	int			 h, w;		/* size of the area */
	int			 utf8;
};


/* Size of the area being drawn (the whole screen for a view). */
int	 draw_width(const struct draw_ctx *dc);
int	 draw_height(const struct draw_ctx *dc);
/* 1 when UTF-8 glyphs (braille, blocks, box drawing) may be used. */
int	 draw_utf8(const struct draw_ctx *dc);

/*
 * Draw text at (y, x), sanitised, clipped to maxw columns (and the
 * screen); returns the columns used.  maxw < 0 means to the right edge.
 * Text that is cut ends in an ellipsis ("~" in ASCII), so a cut name
 * never passes for a whole one.
 */
int	 draw_text(struct draw_ctx *dc, int y, int x, int maxw, enum role r,
	    const char *s);
/*
 * draw_text for names whose end tells them apart (run names of a sweep):
 * too long for maxw, the middle gives way to one ellipsis, keeping the
 * start and the end ("resnet18-a…0003-bs256").
 */
int	 draw_text_mid(struct draw_ctx *dc, int y, int x, int maxw,
	    enum role r, const char *s);
/* v in at most width characters, with as many significant digits as
 * fit (a table cell: "0.3447", "1.2e-05"); returns buf. */
const char *draw_num_fit(char buf[32], double v, int width);
/* printf-style draw_text. */
int	 draw_printf(struct draw_ctx *dc, int y, int x, int maxw, enum role r,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Right-align text so that it ends at column x + w. */
int	 draw_text_right(struct draw_ctx *dc, int y, int x, int w,
	    enum role r, const char *s);
/* Fill w cells with spaces in role r (e.g. a selected line). */
void	 draw_fill(struct draw_ctx *dc, int y, int x, int w, enum role r);
/*
 * One glyph cell: utf8 when the terminal takes UTF-8, else ascii (one
 * printable character).  For braille dots, blocks and box lines.
 */
void	 draw_glyph(struct draw_ctx *dc, int y, int x, enum role r,
	    const char *utf8, char ascii);
/*
 * A sparkline of v[0..n) in at most w cells (every few values when n > w),
 * one block a value, scaled to lo..hi (all mid-height when hi <= lo);
 * ASCII "_.-:=+*#" without UTF-8.  A NaN is a ROLE_FAILED dot ('?') when
 * mark_nan, else a gap.  Returns the cells used.
 */
int	 draw_spark(struct draw_ctx *dc, int y, int x, int w, const double *v,
	    int n, double lo, double hi, enum role r, int mark_nan);

/*
 * Text grid backend.  draw_grid_new makes a w x h grid of spaces;
 * draw_grid_dump appends its rows to out as text, trailing spaces cut,
 * one line per row.  utf8 = 0 forces the ASCII fallbacks.
 */
struct strbuf;
struct draw_ctx *draw_grid_new(int w, int h, int utf8);
void	 draw_grid_dump(const struct draw_ctx *dc, struct strbuf *out);
/* Blank every cell (a new frame). */
void	 draw_grid_clear(struct draw_ctx *dc);
void	 draw_grid_free(struct draw_ctx *dc);

/*
 * A sub-area (a pane) of dc: coordinates inside are relative to (y, x)
 * and clipped to h x w (and to dc).
 */
struct draw_ctx draw_sub(const struct draw_ctx *dc, int y, int x, int h,
	    int w);

#endif
