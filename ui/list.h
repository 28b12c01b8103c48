/*
 * list: the layer every list screen stands on (experiments, runs, run,
 * compare, drift reports and columns, models, versions, jobs, the launch
 * form, help): the cursor and the first row shown, moving and paging,
 * keeping the cursor on screen, marks (by id, so they survive sorting,
 * filtering and reloads), and columns laid out in the width there is,
 * each cell cut with an ellipsis (in the middle for names), and sorting
 * and filtering the rows by the screen's own keys (struct list_sort:
 * s, S, / and Esc are handled here).  A screen keeps its rows and says
 * how they compare and match; the list keeps the rest.  The runs list
 * sorts and filters in SQL (its filter is the search language), so it
 * uses the list for the rest only.
 */
#ifndef MLWB_LIST_H
#define MLWB_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "actions.h"
#include "draw.h"

struct app;
struct view;

/*
 * How a screen's rows sort and filter, for the list to do it (s and S
 * choose the sort key and reverse it, / asks for a filter, Esc clears
 * it).  A screen gives its sort keys' names, a comparison by key and a
 * match; the list keeps the key, the direction and the filter, and
 * list_order() applies them to the rows the screen loaded.
 */
struct list_sort {
	const char *const *keys;	/* names, NULL-terminated */
	/* Rows a and b by key, ascending (stable: ties keep load order). */
	int		 (*cmp)(const void *a, const void *b, int key);
	/* Does row match the filter the user typed?  NULL: no filter. */
	int		 (*match)(const void *row, const char *filter);
	/* Release a row the filter leaves out; NULL when nothing to free. */
	void		 (*drop)(void *row);
	const char	*history;	/* the filter prompt's history id */
};

struct list {
	int64_t	 cursor;	/* the row under the cursor */
	int64_t	 top;		/* the first row shown */
	int64_t	 n;		/* rows (the screen keeps it current) */
	/* Marks: row ids, unordered. */
	int64_t	*marks;
	size_t	 nmarks;
	/* Sort and filter: the screen sets so; the list keeps the rest. */
	const struct list_sort *so;
	int	 sort;		/* index into so->keys */
	int	 desc;
	char	*filter;	/* NULL: none */
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

/*
 * Filter (so->match) then sort (so->cmp, by l->sort and l->desc) the n
 * rows of size bytes each, in place; rows left out go to so->drop.
 * Returns how many are kept.  No-op without so.
 */
size_t	 list_order(struct list *l, void *rows, size_t n, size_t size);
/*
 * The list's share of a screen's keys: navigation, and with so the sort
 * keys (s next key, S reverse), / (filter prompt) and Esc (clears the
 * filter; Esc without one is left to the screen).  Marks v stale when
 * the rows must be ordered again.  1 if a was used.
 */
int	 list_handle(struct list *l, struct view *v, struct app *app,
	    enum action a);
/* A click on row y of a screen with a one-row header. */
void	 list_click(struct list *l, int y);
/* "  filter: TEXT" for a title, or "". */
const char *list_filter_title(const struct list *l, char *buf, size_t len);

/*
 * For a list_sort's match: does any of the n fields (NULL ones skipped)
 * hold filter, case-insensitively?
 */
int	 list_match_any(const char *const *fields, size_t n,
	    const char *filter);
/*
 * For a list_sort's cmp: newest first by time, then by id (the load
 * order of the jobs and drift lists), as a tie-break or a sort key.
 */
int	 list_cmp_newest(int64_t ta, int64_t ida, int64_t tb, int64_t idb);

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
/* The x of column c when column 0 starts at x0 (hidden columns: 0 wide). */
int	 list_col_x(const int *widths, int c, int x0);
/* The header row: names[c] of each column shown, aligned as its cells. */
void	 list_header(struct draw_ctx *dc, int y, int x0,
	    const struct list_col *cols, const int *widths, int ncol,
	    const char *const *names);
/* The role of a row: selected, marked, both, or base. */
enum role list_row_role(int selected, int marked, enum role base);

#endif
