/*
 * list: cursor, paging, scrolling, marks and column layout shared by every
 * list screen (see list.h).  No curses, no SQL.
 */
#include "config.h"

#include "list.h"

#include <stdlib.h>
#include <string.h>

#include "xmem.h"

void
list_set(struct list *l, int64_t row)
{
	if (row >= l->n)
		row = l->n - 1;
	if (row < 0)
		row = 0;
	l->cursor = row;
}

int
list_page(int rows)
{
	return rows > 2 ? rows - 2 : 1;
}

int
list_move(struct list *l, enum action a, int page)
{
	switch (a) {
	case ACT_DOWN:
		list_set(l, l->cursor + 1);
		return 1;
	case ACT_UP:
		list_set(l, l->cursor - 1);
		return 1;
	case ACT_PAGE_DOWN:
		list_set(l, l->cursor + page);
		return 1;
	case ACT_PAGE_UP:
		list_set(l, l->cursor - page);
		return 1;
	case ACT_FIRST:
		list_set(l, 0);
		return 1;
	case ACT_LAST:
		list_set(l, l->n - 1);
		return 1;
	default:
		return 0;
	}
}

void
list_scroll(struct list *l, int body)
{
	if (body < 1)
		body = 1;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + body)
		l->top = l->cursor - body + 1;
	/* No blank rows below the last one while rows are above. */
	if (l->top > 0 && l->top + body > l->n)
		l->top = l->n - body > 0 ? l->n - body : 0;
	if (l->top < 0)
		l->top = 0;
}

int
list_marked(const struct list *l, int64_t id)
{
	size_t	i;

	for (i = 0; i < l->nmarks; i++)
		if (l->marks[i] == id)
			return 1;
	return 0;
}

void
list_mark(struct list *l, int64_t id)
{
	if (list_marked(l, id))
		return;
	l->marks = xreallocarray(l->marks, l->nmarks + 1, sizeof *l->marks);
	l->marks[l->nmarks++] = id;
}

void
list_mark_toggle(struct list *l, int64_t id)
{
	size_t	i;

	for (i = 0; i < l->nmarks; i++)
		if (l->marks[i] == id) {
			l->marks[i] = l->marks[--l->nmarks];
			return;
		}
	list_mark(l, id);
}

void
list_marks_clear(struct list *l)
{
	l->nmarks = 0;
}

void
list_free(struct list *l)
{
	free(l->marks);
	l->marks = NULL;
	l->nmarks = 0;
}

int
list_layout(const struct list_col *cols, int ncol, int w, int *widths)
{
	int	i, used = 0, shown = 0, grow, left, share;

	for (i = 0; i < ncol; i++) {
		widths[i] = 0;
		if (cols[i].min <= 0 || used + cols[i].min > w)
			continue;
		widths[i] = cols[i].min;
		used += cols[i].min + 1;
		shown++;
	}
	/* Share what is left among the columns that may grow. */
	for (;;) {
		left = w - used;
		for (grow = 0, i = 0; i < ncol; i++)
			if (widths[i] > 0 && cols[i].max > widths[i])
				grow++;
		if (left <= 0 || grow == 0)
			break;
		share = left / grow > 0 ? left / grow : 1;
		for (i = 0; i < ncol && left > 0; i++) {
			int add;

			if (widths[i] == 0 || cols[i].max <= widths[i])
				continue;
			add = cols[i].max - widths[i] < share ?
			    cols[i].max - widths[i] : share;
			widths[i] += add;
			used += add;
			left -= add;
		}
	}
	return shown;
}

void
list_cell(struct draw_ctx *dc, int y, int x, int w, enum role r,
    const struct list_col *col, const char *text)
{
	if (w <= 0 || text == NULL)
		return;
	if (col->right)
		draw_text_right(dc, y, x, w, r, text);
	else if (col->mid)
		draw_text_mid(dc, y, x, w, r, text);
	else
		draw_text(dc, y, x, w, r, text);
}

enum role
list_row_role(int selected, int marked, enum role base)
{
	if (selected)
		return marked ? ROLE_SELECTED_MARKED : ROLE_SELECTED;
	return marked ? ROLE_MARKED : base;
}
