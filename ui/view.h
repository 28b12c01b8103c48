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

/*
 * One action a screen offers: the footer shows its first key and label
 * (label NULL: handled, listed in help, not in the footer, e.g. j/k).
 * The list ends with { ACT_NONE }.  It is the one source of what a
 * screen does: the footer, the help screen and the dispatch (an action
 * neither in it nor the application's own never reaches the screen)
 * are all built from it and the keymap in force.
 */
struct view_key {
	enum action	 action;
	const char	*label;
};

struct view_ops {
	const char	*name;		/* "runs", "run", "compare" ... */
	int		(*load)(struct view *, struct db *, struct wb_err *);
	void		(*draw)(struct view *, struct draw_ctx *);
	enum action	(*handle)(struct view *, struct app *, enum action);
	void		(*free)(struct view *);
	/* The screen's actions, in footer order (see struct view_key). */
	const struct view_key	*keys;
	/*
	 * Optional: 0 when an action of keys is off for now (a read-only
	 * workspace, a form's stage); it then leaves the footer and help.
	 */
	int		(*avail)(struct view *, enum action);
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
	/*
	 * Optional: the short name of what the screen shows, for the
	 * breadcrumb of the screens above it ("cifar10-resnet"); default
	 * the title.
	 */
	const char	*(*crumb)(struct view *);
	/* Optional: the cursor's position (0-based) and the row count. */
	int		(*position)(struct view *, int64_t *cur, int64_t *n);
	/*
	 * Optional: what the status line shows while there is no message
	 * ("3 marked  val_accuracy"), right-aligned.
	 */
	const char	*(*status)(struct view *);
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
 * Ask a yes/no question ("Promote v3 to champion?"; the application adds
 * " [y/N]"); yes(view, app) runs only on 'y', no(view, app) (may be NULL)
 * on any other key, so a screen can close what it opened for the
 * question.
 */
typedef void	(*app_confirm_yes)(struct view *, struct app *);
void		 app_confirm(struct app *app, const char *question,
		    app_confirm_yes yes, app_confirm_yes no);
/*
 * Copy text (a UUID, a model URI) to the clipboard with OSC 52 where the
 * terminal takes it, and always show it in the status line as
 * "copied WHAT: TEXT".
 */
void		 app_yank(struct app *app, const char *what, const char *text);
/*
 * Edit text in the user's editor (editor.h): the terminal is left to it
 * and taken back.  0 with *out (the caller's to free) and *changed; -1
 * with the reason in the status line (nothing to save then).
 */
int		 app_edit_text(struct app *app, const char *text,
		    const char *what, char **out, int *changed);
/* Mark every open view stale (after the view wrote to the database). */
void		 app_changed(struct app *app);
/* The runs list's columns from config.yaml ("lr,val_loss"), or NULL. */
const char	*app_default_columns(struct app *app);
/* Body rows available to the current view (for paging). */
int		 app_body_height(struct app *app);
/* Body columns (the screen's width), for views that lay out in load. */
int		 app_body_width(struct app *app);

/* 1 when the screen takes UTF-8 glyphs (for views that lay out in load). */
int		 app_utf8(struct app *app);
/* The screen on top (the one help, the footer and :commands are for). */
struct view	*app_current(struct app *app);
/* 1 when the screen's key list (and avail) offers action a. */
int		 view_offers(struct view *v, enum action a);
/* The application's own actions (quit, back, help, screens ...). */
extern const struct view_key app_global_keys[];

/* The screens, one constructor each (each in its own view_*.c). */
struct view	*view_experiments_new(struct app *app);
/* Runs of experiment exp_id, or of all experiments when 0. */
struct view	*view_runs_new(struct app *app, int64_t exp_id);
struct view	*view_run_new(struct app *app, int64_t run_id);
/* A run's text artifact called name, in a pager (view_text.c). */
struct view	*view_text_new(struct app *app, int64_t run_id,
		    const char *name);
struct view	*view_help_new(struct app *app);
/* Compare runs side by side (query area). */
struct view	*view_compare_new(struct app *app, const int64_t *run_ids,
		    size_t n);
/* Chart of metric key_id (0: the first common one) for runs. */
struct view	*view_chart_new(struct app *app, const int64_t *run_ids,
		    size_t n, int64_t key_id);
/* Drift reports list (drift area). */
struct view	*view_drift_new(struct app *app);
/* Model registry (registry area), and one model's versions. */
struct view	*view_registry_new(struct app *app);
struct view	*view_model_new(struct app *app, int64_t model_id,
		    const char *name);
/* Jobs (launch area); follow_run_id != 0 opens its log follower. */
struct view	*view_jobs_new(struct app *app);
struct view	*view_joblog_new(struct app *app, int64_t run_id);
/* Pipeline runs, and one run's steps as a graph (view_pipelines.c). */
struct view	*view_pipelines_new(struct app *app);
struct view	*view_pipeline_new(struct app *app, int64_t run_id);
/* Params against a metric for the runs of exp_id (0: all) that match
 * filter (NULL: every run): ranking, scatter, parallel coordinates. */
struct view	*view_pvm_new(struct app *app, int64_t exp_id,
		    const char *filter);

/*
 * The params-vs-metric views without a screen (a CLI dump, a report):
 * the runs of exp_id (0: every experiment) that filter keeps (the search
 * language of doc/query.md; NULL: all), against metric (NULL: a
 * validation metric, as the screen starts).  x names the scatter's x
 * axis, a param or a metric (NULL: the param that moves the metric
 * most).  view_pvm_text draws view in w x h cells (braille, or ASCII
 * when !utf8) as the screen does; view_pvm_svg writes it as an SVG
 * document (the ranking as bars).  Both append to out.  WB_ENOTFOUND
 * names a metric or x the runs do not have; WB_EPARSE a bad filter.
 */
enum pvm_view { PVM_RANKING, PVM_SCATTER, PVM_PARALLEL };
struct pvm_spec {
	int64_t		 exp_id;
	const char	*filter;
	const char	*metric;
	const char	*x;
	enum pvm_view	 view;
};
struct strbuf;
int		 view_pvm_text(struct db *db, const struct pvm_spec *sp,
		    int w, int h, int utf8, struct strbuf *out,
		    struct wb_err *err);
int		 view_pvm_svg(struct db *db, const struct pvm_spec *sp,
		    struct strbuf *out, struct wb_err *err);
/* The launch form for the project's entry points (launch area). */
struct view	*view_launch_new(struct app *app);

#endif
