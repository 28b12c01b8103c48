/*
 * list: cursor, paging, scrolling, marks and column layout shared by every
 * list screen (see list.h).  No curses, no SQL.
 */
#include "config.h"

#include "list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
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
	free(l->filter);
	l->filter = NULL;
}

/* Sort and filter -------------------------------------------------------- */

static int
order_cmp(const struct list *l, const void *a, const void *b)
{
	int	c = l->so->cmp(a, b, l->sort);

	return l->desc ? -c : c;
}

/* Stable merge sort of n rows through tmp (n rows too). */
static void
msort(const struct list *l, char *rows, char *tmp, size_t n, size_t size)
{
	size_t	half = n / 2, i = 0, j = half, k = 0;

	if (n < 2)
		return;
	msort(l, rows, tmp, half, size);
	msort(l, rows + half * size, tmp, n - half, size);
	while (i < half && j < n) {
		if (order_cmp(l, rows + j * size, rows + i * size) < 0)
			memcpy(tmp + k++ * size, rows + j++ * size, size);
		else
			memcpy(tmp + k++ * size, rows + i++ * size, size);
	}
	while (i < half)
		memcpy(tmp + k++ * size, rows + i++ * size, size);
	while (j < n)
		memcpy(tmp + k++ * size, rows + j++ * size, size);
	memcpy(rows, tmp, n * size);
}

size_t
list_order(struct list *l, void *rows, size_t n, size_t size)
{
	char	*r = rows, *tmp;
	size_t	 i, kept = 0;

	if (l->so == NULL)
		return n;
	for (i = 0; i < n; i++) {
		if (l->filter != NULL && l->so->match != NULL &&
		    !l->so->match(r + i * size, l->filter)) {
			if (l->so->drop != NULL)
				l->so->drop(r + i * size);
			continue;
		}
		if (kept != i)
			memcpy(r + kept * size, r + i * size, size);
		kept++;
	}
	if (l->so->cmp != NULL && kept > 1) {
		tmp = xmalloc(kept * size);
		msort(l, r, tmp, kept, size);
		free(tmp);
	}
	return kept;
}

/* The list whose filter prompt is open (one prompt at a time). */
static struct list *prompt_list;

static void
filter_done(struct view *v, struct app *app, const char *text)
{
	struct list	*l = prompt_list;

	(void)app;
	prompt_list = NULL;
	if (text == NULL || l == NULL)
		return;
	free(l->filter);
	l->filter = *text ? xstrdup(text) : NULL;
	l->cursor = l->top = 0;
	v->stale = 1;
}

int
list_handle(struct list *l, struct view *v, struct app *app, enum action a)
{
	int	nkeys;

	if (list_move(l, a, list_page(v->rows)))
		return 1;
	if (l->so == NULL)
		return 0;
	switch (a) {
	case ACT_SORT_ASC:
	case ACT_SORT_DESC:
		if (l->so->cmp == NULL || l->so->keys == NULL)
			return 0;
		/* s: the next sort key; S: reverse the order. */
		for (nkeys = 0; l->so->keys[nkeys] != NULL; nkeys++)
			;
		if (a == ACT_SORT_ASC) {
			l->sort = nkeys ? (l->sort + 1) % nkeys : 0;
			l->desc = 0;
		} else
			l->desc = !l->desc;
		app_message(app, "sorted by %s%s", l->so->keys[l->sort],
		    l->desc ? ", reversed" : "");
		v->stale = 1;
		return 1;
	case ACT_FILTER:
		if (l->so->match == NULL)
			return 0;
		prompt_list = l;
		app_prompt(app, "/", l->filter, l->so->history ?
		    l->so->history : "filter", filter_done);
		return 1;
	case ACT_BACK:
		if (l->filter == NULL)
			return 0;
		free(l->filter);
		l->filter = NULL;
		app_message(app, "filter cleared");
		v->stale = 1;
		return 1;
	default:
		return 0;
	}
}

void
list_click(struct list *l, int y)
{
	if (y >= 1 && l->top + y - 1 < l->n)
		l->cursor = l->top + y - 1;
}

int
list_match_any(const char *const *fields, size_t n, const char *filter)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (fields[i] != NULL && strcasestr(fields[i], filter) != NULL)
			return 1;
	return 0;
}

int
list_cmp_newest(int64_t ta, int64_t ida, int64_t tb, int64_t idb)
{
	if (ta != tb)
		return ta < tb ? 1 : -1;
	return (idb > ida) - (idb < ida);
}

const char *
list_filter_title(const struct list *l, char *buf, size_t len)
{
	if (l->filter == NULL)
		return "";
	snprintf(buf, len, "  filter: %s", l->filter);
	return buf;
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

int
list_col_x(const int *widths, int c, int x0)
{
	int	i;

	for (i = 0; i < c; i++)
		if (widths[i] > 0)
			x0 += widths[i] + 1;
	return x0;
}

void
list_header(struct draw_ctx *dc, int y, int x0, const struct list_col *cols,
    const int *widths, int ncol, const char *const *names)
{
	int	c;

	for (c = 0; c < ncol; c++)
		if (widths[c] > 0)
			list_cell(dc, y, list_col_x(widths, c, x0), widths[c],
			    ROLE_HEADER, &cols[c], names[c]);
}

enum role
list_row_role(int selected, int marked, enum role base)
{
	if (selected)
		return marked ? ROLE_SELECTED_MARKED : ROLE_SELECTED;
	return marked ? ROLE_MARKED : base;
}
