/*
 * progress_line: the command line's progress line.  One line on stderr,
 * redrawn in place (done and total, rate, time left), at most ten times a
 * second, and cleared when the work ends or before anything else is
 * printed.  Only when stderr is a terminal and neither --quiet nor
 * --format json was given: a pipe or a log file never sees it.  The
 * library reports through the struct wb_progress hook (src/progress.h).
 */
#ifndef MLWB_PROGRESS_LINE_H
#define MLWB_PROGRESS_LINE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "progress.h"

struct cli;

struct progress {
	struct wb_progress	 hook;
	int			 on;		/* a terminal, not quiet */
	int			 drawn;		/* a line is on screen */
	char			*label;		/* sanitised */
	size_t			 item, nitems;	/* "[2/5]" when nitems > 1 */
	struct timespec		 t0, last;
};

void	 progress_init(struct progress *p, const struct cli *cli);
/* The hook to give the library: NULL when the line is off. */
const struct wb_progress *progress_hook(struct progress *p);
/* Start item (0-based) of nitems, called label (a file name). */
void	 progress_start(struct progress *p, const char *label, size_t item,
	    size_t nitems);
/* Erase the line, if one is shown, before other output. */
void	 progress_clear(struct progress *p);
void	 progress_free(struct progress *p);

#endif
