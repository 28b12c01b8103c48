/*
 * editor: edit a text in the user's editor ($VISUAL, else $EDITOR, else
 * vi) on a temporary file, as git commit does.  The caller leaves and
 * restores the terminal around it when curses owns it.
 */
#ifndef MLWB_EDITOR_H
#define MLWB_EDITOR_H

#include <stddef.h>

/*
 * Write text (NULL: empty) to a temporary file named after what (".txt"
 * appended), run the editor on it and read it back.  Returns 0 with *out
 * the new text (the caller's to free; a trailing newline is removed) and
 * *changed set when it differs; -1 with msg filled when the editor could
 * not run or exited non-zero (nothing is to be saved then).
 */
int	 editor_edit(const char *text, const char *what, char **out,
	    int *changed, char *msg, size_t msglen);

#endif
