/*
 * list: the layer every list screen stands on (experiments, runs, run,
 * compare, drift reports and columns, models, versions, jobs, the launch
 * form, help): the cursor and the first row shown, moving and paging,
 * keeping the cursor on screen, marks (by id, so they survive sorting,
 * filtering and reloads), and columns laid out in the width there is,
 * each cell cut with an ellipsis (in the middle for names).  A screen
 * keeps its rows, its sort and its filter; the list keeps the rest.
 */
#ifndef MLWB_LIST_H
#define MLWB_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "draw.h"

struct list {
	int64_t	 cursor;	/* the row under the cursor */
	int64_t	 top;		/* the first row shown */
	int64_t	 n;		/* rows (the screen keeps it current) */
	/* Marks: row ids, unordered. */
	int64_t	*marks;
	size_t	 nmarks;
};

/* The navigation actions, for a screen's key list (view.h). */
#define LIST_NAV_KEYS							\
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },	\
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL }

/*
 * Move the cursor for a (up, down, page up/down by `page` rows, first,
 * last) within the n rows; 1 if a was one of them.
 */
int	 list_move(struct list *l, enum action a, int page);
/* Put the cursor on row (clamped to the rows). */
void	 list_set(struct list *l, int64_t row);
/* Scroll so that the cursor is among the `body` rows shown. */
void	 list_scroll(struct list *l, int body);
/* The page for a screen of `rows` rows with a one-row header. */
int	 list_page(int rows);

int	 list_marked(const struct list *l, int64_t id);
void	 list_mark_toggle(struct list *l, int64_t id);
/* Mark (add) id; nothing if it is marked already. */
void	 list_mark(struct list *l, int64_t id);
void	 list_marks_clear(struct list *l);
void	 list_free(struct list *l);

/* A column: its width range and alignment. */
struct list_col {
	int	 min, max;	/* max 0: min is the width */
	int	 right;		/* numbers: right-aligned */
	int	 mid;		/* names: cut in the middle */
};

/*
 * Widths for ncol columns in w cells (one space between): each gets its
 * min, then what is left goes to the columns with room to grow, evenly.
 * Columns that do not fit at all get 0.  Returns the columns shown.
 */
int	 list_layout(const struct list_col *cols, int ncol, int w,
	    int *widths);
/* A cell: text in w cells as the column says (ellipsis when cut). */
void	 list_cell(struct draw_ctx *dc, int y, int x, int w, enum role r,
	    const struct list_col *col, const char *text);
/* The role of a row: selected, marked, both, or base. */
enum role list_row_role(int selected, int marked, enum role base);

#endif
