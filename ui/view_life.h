/*
 * view_life: what the runs, run and experiments screens share of the
 * lifecycle (doc/runs.md): the tag editor's line.
 */
#ifndef MLWB_VIEW_LIFE_H
#define MLWB_VIEW_LIFE_H

#include <stdint.h>

struct app;

/*
 * Apply a tag editor line to run: words "k=v" set a tag, "-k" removes
 * one, in one transaction (all or none).  0, or -1 with the error in the
 * status line.
 */
int	 life_tag_line(struct app *app, int64_t run, const char *line);

#endif
