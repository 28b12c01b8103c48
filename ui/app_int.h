/*
 * app_int: the application's state, shared by app.c (screens, drawing,
 * dispatch, the terminal loop) and script.c (the headless runner).  No
 * view includes this: views see only view.h.
 */
#ifndef MLWB_APP_INT_H
#define MLWB_APP_INT_H

#include <stdint.h>

#include "keyin.h"
#include "lineedit.h"
#include "view.h"

#define APP_MAX_DEPTH	16
#define APP_TABS	5	/* the top-level screens 1-5 */
#define APP_NHIST	8

struct cli;
struct draw_ctx;

/* One top-level screen and what was opened from it. */
struct app_tab {
	struct view	*stack[APP_MAX_DEPTH];
	int		 depth;
};

struct app {
	struct cli	*cli;
	struct db	*db;
	/* The screens: tabs[tab] is in use; the others keep their state. */
	struct app_tab	 tabs[APP_TABS];
	int		 tab;
	char		 msg[256];
	int		 msg_err;
	int		 quit;
	int		 headless;
	int		 confirm_quit;	/* config.yaml confirm_quit: */
	struct draw_ctx	*grid;		/* headless screen */
	int		 w, h;
	int64_t		 data_version;
	int64_t		 last_poll;
	int		 reconnecting;	/* the store's server is away */
	int		 last_key;	/* the raw key being handled */
	struct keyin	 keyin;

	/* The prompt line. */
	int		 prompting;
	char		 label[64];
	struct lineedit	 le;
	app_prompt_done	 done;
	struct view	*prompt_view;
	int		 is_command;

	/* A yes/no question. */
	int		 confirming;
	char		 question[256];
	app_confirm_yes	 yes, no;
	struct view	*confirm_view;

	struct lineedit_hist histories[APP_NHIST];
	int		 nhist;
	char		*columns;	/* config.yaml columns:, "a,b" */
	char		 yanked[256];	/* the last yank, for tests */
};

int	 app_init(struct app *app, struct cli *cli, int headless);
void	 app_free(struct app *app);
/* One key (after the keyin filter). */
void	 app_handle_key(struct app *app, int ch);
/* A mouse event at screen (y, x): 1 click, 4/5 wheel. */
void	 app_mouse(struct app *app, int y, int x, int button);
void	 app_load_stale(struct app *app);
/* Draw everything into dc; *cy, *cx the text cursor or -1. */
void	 app_draw_frame(struct app *app, struct draw_ctx *dc, int *cy,
	    int *cx);
/* Number of screens open on the current tab. */
int	 app_depth(const struct app *app);

#endif
