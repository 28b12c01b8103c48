/*
 * app: the terminal application (see app.c).  The views' side of it is
 * declared in view.h; this is main's side.
 */
#ifndef MLWB_APP_H
#define MLWB_APP_H

struct cli;

/* Open the UI on the workspace; returns the exit status. */
int	ui_run(struct cli *cli);
/* Headless: replay cli->script, write the screen to cli->dump_screen. */
int	ui_script(struct cli *cli);

#endif
