/*
 * lineedit: the prompt line's editor and its histories (see lineedit.h).
 * Moved out of app.c so that the application keeps only the screens.
 */
#include "config.h"

#include "lineedit.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"

#define KEY_ESC_CODE	27

void
lineedit_set(struct lineedit *le, const char *text)
{
	snprintf(le->buf, sizeof le->buf, "%s", text ? text : "");
	le->len = le->cur = strlen(le->buf);
}

void
lineedit_start(struct lineedit *le, const char *initial,
    struct lineedit_hist *h)
{
	lineedit_set(le, initial);
	le->hist = h;
	le->hist_pos = h ? h->n : 0;
}

void
lineedit_hist_add(struct lineedit_hist *h, const char *line)
{
	int	i;

	if (h == NULL || line[0] == '\0' || (h->n > 0 &&
	    strcmp(h->lines[h->n - 1], line) == 0))
		return;
	if (h->n == LINEEDIT_HIST) {
		free(h->lines[0]);
		for (i = 1; i < LINEEDIT_HIST; i++)
			h->lines[i - 1] = h->lines[i];
		h->n--;
	}
	h->lines[h->n++] = xstrdup(line);
}

void
lineedit_hist_free(struct lineedit_hist *h)
{
	int	i;

	free(h->id);
	for (i = 0; i < h->n; i++)
		free(h->lines[i]);
	h->n = 0;
	h->id = NULL;
}

enum lineedit_result
lineedit_key(struct lineedit *le, int ch)
{
	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		lineedit_hist_add(le->hist, le->buf);
		return LE_DONE;
	case KEY_ESC_CODE:
	case 3:		/* ^C */
		return LE_CANCEL;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (le->cur > 0) {
			memmove(le->buf + le->cur - 1, le->buf + le->cur,
			    le->len - le->cur + 1);
			le->cur--, le->len--;
		} else if (le->len == 0)
			return LE_CANCEL;
		return LE_EDITING;
	case KEY_DC:
		if (le->cur < le->len) {
			memmove(le->buf + le->cur, le->buf + le->cur + 1,
			    le->len - le->cur);
			le->len--;
		}
		return LE_EDITING;
	case KEY_LEFT:
		if (le->cur > 0)
			le->cur--;
		return LE_EDITING;
	case KEY_RIGHT:
		if (le->cur < le->len)
			le->cur++;
		return LE_EDITING;
	case KEY_HOME:
	case 1:		/* ^A */
		le->cur = 0;
		return LE_EDITING;
	case KEY_END:
	case 5:		/* ^E */
		le->cur = le->len;
		return LE_EDITING;
	case 21:	/* ^U */
		lineedit_set(le, "");
		return LE_EDITING;
	case KEY_UP:
	case KEY_DOWN:
		if (le->hist == NULL)
			return LE_EDITING;
		if (ch == KEY_UP && le->hist_pos > 0)
			le->hist_pos--;
		else if (ch == KEY_DOWN && le->hist_pos < le->hist->n)
			le->hist_pos++;
		lineedit_set(le, le->hist_pos < le->hist->n ?
		    le->hist->lines[le->hist_pos] : "");
		return LE_EDITING;
	case '\t':
		return LE_TAB;
	default:
		if (ch >= 32 && ch < 256 && ch != 127 &&
		    le->len + 1 < sizeof le->buf) {
			memmove(le->buf + le->cur + 1, le->buf + le->cur,
			    le->len - le->cur + 1);
			le->buf[le->cur++] = (char)ch;
			le->len++;
		}
		return LE_EDITING;
	}
}
