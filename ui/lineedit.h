/*
 * lineedit: the one-line text editor of the prompt line (filters,
 * :commands, reasons, form fields): cursor movement, ^A ^E ^U, Backspace
 * and Delete, and a history per purpose ("filter", "command" ...) walked
 * with Up and Down.  No drawing and no curses calls: keys in, text out.
 */
#ifndef MLWB_LINEEDIT_H
#define MLWB_LINEEDIT_H

#include <stddef.h>

#define LINEEDIT_MAX	512
#define LINEEDIT_HIST	50

struct lineedit_hist {
	char	*id;
	char	*lines[LINEEDIT_HIST];
	int	 n;
};

struct lineedit {
	char			 buf[LINEEDIT_MAX];
	size_t			 len, cur;	/* bytes */
	struct lineedit_hist	*hist;
	int			 hist_pos;
};

enum lineedit_result {
	LE_EDITING,	/* the key changed (or did not change) the line */
	LE_DONE,	/* Enter: the line is in buf, added to the history */
	LE_CANCEL,	/* Esc, ^C, or Backspace on an empty line */
	LE_TAB		/* Tab: the caller may complete */
};

/* Start editing initial (NULL: empty) with history h (may be NULL). */
void	lineedit_start(struct lineedit *le, const char *initial,
	    struct lineedit_hist *h);
/* Replace the text and put the cursor at its end. */
void	lineedit_set(struct lineedit *le, const char *text);
/* Apply one key (curses key code or byte). */
enum lineedit_result lineedit_key(struct lineedit *le, int ch);
/* Add line to h (not empty lines, not the same line twice in a row). */
void	lineedit_hist_add(struct lineedit_hist *h, const char *line);
void	lineedit_hist_free(struct lineedit_hist *h);

#endif
