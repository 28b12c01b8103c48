/*
 * view: the contract between a screen and the application.
 *
 * A view owns its state (rows, cursor, sort, filter) and has four
 * operations, as in STYLE.md:
 *   load    database -> view state; no curses.  Called when the view is
 *           new or marked stale (a key changed what to show, or another
 *           process committed: PRAGMA data_version moved).  A reload must
 *           keep the cursor on the same item when it still exists.
 *   draw    view state -> cells through a draw_ctx; no SQL, no malloc
 *           on the hot path.  Draws the whole area it is given; the
 *           application draws the title bar, status line and footer.
 *   handle  an action -> new state; returns ACT_NONE when it used the
 *           action, or the action to let the application handle it
 *           (QUIT, BACK, HELP, view switches...).
 *   free    release the state.
 * Views talk to the application only through the app_* calls below.
 */
#ifndef MLWB_VIEW_H
#define MLWB_VIEW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "actions.h"

struct app;
struct db;
struct draw_ctx;
struct wb_err;
struct view;

struct view_ops {
	const char	*name;		/* "runs", "run", "compare" ... */
	int		(*load)(struct view *, struct db *, struct wb_err *);
	void		(*draw)(struct view *, struct draw_ctx *);
	enum action	(*handle)(struct view *, struct app *, enum action);
	void		(*free)(struct view *);
	/*
	 * Optional: one line of keys for the footer ("Enter open  P promote
	 * ..."); NULL for the default.  Built from action names by the view.
	 */
	const char	*(*footer)(struct view *);
	/* Optional: the title shown in the top bar ("Runs of cifar10"). */
	const char	*(*title)(struct view *);
	/*
	 * Optional: a :command the view understands (":cols a,b", ":sort
	 * lr desc"); return 1 if it was one (errors via app_error).
	 */
	int		(*command)(struct view *, struct app *, const char *cmd,
			    const char *args);
	/* Optional: write the view's table as CSV (for :export FILE). */
	int		(*export_csv)(struct view *, FILE *fp);
	/* Optional: a mouse click at (y, x) of the view's area (--mouse). */
	void		(*click)(struct view *, struct app *, int y, int x);
};

struct view {
	const struct view_ops	*ops;
	void			*state;		/* the view's own */
	int			 stale;		/* load() before next draw */
	int			 rows;		/* body height at last draw */
};

/* Make a view with ops and state (takes ownership of state). */
struct view	*view_new(const struct view_ops *ops, void *state);

/* The application, as views see it. */
struct db	*app_db(struct app *app);
int		 app_readonly(struct app *app);
/* Open v on top of the current screen (takes ownership). */
void		 app_push(struct app *app, struct view *v);
/* Close the current screen. */
void		 app_pop(struct app *app);
/* A message in the status line; errors in the error colour. */
void		 app_message(struct app *app, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 app_error(struct app *app, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/*
 * Ask for a line of text in the prompt line.  done(view, app, text) is
 * called with the text on Enter, or with NULL on Esc.  history_id groups
 * the history ("filter", "reason" ...).
 */
typedef void	(*app_prompt_done)(struct view *, struct app *, const char *);
void		 app_prompt(struct app *app, const char *label,
		    const char *initial, const char *history_id,
		    app_prompt_done done);
/*
 * Ask a yes/no question ("Promote v3 to champion? [y/N]"); yes(view, app)
 * runs only on 'y'.
 */
typedef void	(*app_confirm_yes)(struct view *, struct app *);
void		 app_confirm(struct app *app, const char *question,
		    app_confirm_yes yes);
/* Mark every open view stale (after the view wrote to the database). */
void		 app_changed(struct app *app);
/* Replace the whole stack with v (the 1-5 top-level screens). */
void		 app_switch(struct app *app, struct view *v);
/* The runs list's columns from config.yaml ("lr,val_loss"), or NULL. */
const char	*app_default_columns(struct app *app);
/* Body rows available to the current view (for paging). */
int		 app_body_height(struct app *app);
/* Body columns (the screen's width), for views that lay out in load. */
int		 app_body_width(struct app *app);

/*
 * The screens, one constructor each (each in its own view_*.c).  Weak
 * while areas are built in parallel: a caller checks for NULL.
 */
#define VIEW_CTOR __attribute__((weak))
struct view	*view_experiments_new(struct app *app) VIEW_CTOR;
/* Runs of experiment exp_id, or of all experiments when 0. */
struct view	*view_runs_new(struct app *app, int64_t exp_id) VIEW_CTOR;
struct view	*view_run_new(struct app *app, int64_t run_id) VIEW_CTOR;
struct view	*view_help_new(struct app *app) VIEW_CTOR;
/* Compare runs side by side (query area). */
struct view	*view_compare_new(struct app *app, const int64_t *run_ids,
		    size_t n) VIEW_CTOR;
/* Chart of metric key_id (0: the first common one) for runs. */
struct view	*view_chart_new(struct app *app, const int64_t *run_ids,
		    size_t n, int64_t key_id) VIEW_CTOR;
/* Drift reports list (drift area). */
struct view	*view_drift_new(struct app *app) VIEW_CTOR;
/* Model registry (registry area). */
struct view	*view_registry_new(struct app *app) VIEW_CTOR;
/* Jobs (launch area); follow_run_id != 0 opens its log follower. */
struct view	*view_jobs_new(struct app *app) VIEW_CTOR;
struct view	*view_joblog_new(struct app *app, int64_t run_id) VIEW_CTOR;
/* The launch form for the project's entry points (launch area). */
struct view	*view_launch_new(struct app *app) VIEW_CTOR;

#endif
