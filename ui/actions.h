/*
 * actions: every user action of the terminal UI, in one X-macro that
 * drives the enum, the names used in the `keys:` section of config.yaml,
 * the help screen and the footer (as tig does).  Default bindings live in
 * keymap.c; a view reacts to actions, never to raw keys (except in text
 * prompts).
 *
 * _(ENUM_SUFFIX, "config-name", "Help text")
 *
 * Which actions a screen offers, and the word its footer shows for each,
 * is the screen's key list (view.h); the application's own actions
 * (quit, back, help, screens, :) are app_global_keys in app.c.
 */
#ifndef MLWB_ACTIONS_H
#define MLWB_ACTIONS_H

#define ACTIONS(_)							\
	_(NONE,		"none",		"Do nothing")			\
	_(QUIT,		"quit",		"Quit mlwb")			\
	_(BACK,		"back",		"Close this screen / go back")	\
	_(HELP,		"help",		"Show the keys")		\
	_(REDRAW,	"redraw",	"Redraw the screen")		\
	_(RELOAD,	"reload",	"Reload from the database")	\
	_(COMMAND,	"command",	"Enter a :command")		\
	_(NEXT_VIEW,	"next-view",	"Next top-level screen")	\
	_(VIEW_EXPERIMENTS, "view-experiments", "Experiments screen")	\
	_(VIEW_RUNS,	"view-runs",	"Runs screen")			\
	_(VIEW_DRIFT,	"view-drift",	"Drift reports screen")		\
	_(VIEW_REGISTRY, "view-registry", "Model registry screen")	\
	_(VIEW_JOBS,	"view-jobs",	"Jobs screen")			\
	_(UP,		"up",		"Move up")			\
	_(DOWN,		"down",		"Move down")			\
	_(LEFT,		"left",		"Scroll left / previous column") \
	_(RIGHT,	"right",	"Scroll right / next column")	\
	_(PAGE_UP,	"page-up",	"Page up")			\
	_(PAGE_DOWN,	"page-down",	"Page down")			\
	_(FIRST,	"first",	"Go to the first line")		\
	_(LAST,		"last",		"Go to the last line")		\
	_(ENTER,	"enter",	"Open / drill in")		\
	_(FILTER,	"filter",	"Filter (text or search expression)") \
	_(SEARCH_NEXT,	"search-next",	"Next match")			\
	_(SEARCH_PREV,	"search-prev",	"Previous match")		\
	_(SORT_ASC,	"sort-asc",	"Sort: by this column, or the next key") \
	_(SORT_DESC,	"sort-desc",	"Sort descending / reverse the order") \
	_(MARK,		"mark",		"Mark / unmark")		\
	_(COMPARE,	"compare",	"Compare marked runs")		\
	_(HIDE_SAME,	"hide-unchanged", "Hide unchanged columns")	\
	_(PLOT,		"plot",		"Plot the metric for marked runs") \
	_(NEXT_METRIC,	"next-metric",	"Next metric")			\
	_(LOG_Y,	"log-y",	"Toggle log scale")		\
	_(SMOOTH_MORE,	"smooth-more",	"More smoothing")		\
	_(SMOOTH_LESS,	"smooth-less",	"Less smoothing")		\
	_(X_AXIS,	"x-axis",	"Cycle x: step, wall time, relative time") \
	_(ZOOM_IN,	"zoom-in",	"Zoom in around the cursor")	\
	_(ZOOM_OUT,	"zoom-out",	"Zoom out")			\
	_(ZOOM_RANGE,	"zoom-range",	"Zoom to an x range (A:B)")	\
	_(GRID,		"grid",		"Small multiples of several metrics") \
	_(BASELINE,	"baseline",	"Next run as the baseline")	\
	_(DRIFT,	"drift",	"Drift reports")		\
	_(PROMOTE,	"promote",	"Promote the selected model version") \
	_(ROLLBACK,	"rollback",	"Roll an alias back")		\
	_(LAUNCH,	"launch",	"Launch an entry point")	\
	_(FOLLOW,	"follow",	"Follow the job's output")	\
	_(KILL,		"kill",		"Kill the selected job")	\
	_(MARK_ALL,	"mark-all",	"Mark every row (of the filter)") \
	_(MARK_CLEAR,	"mark-clear",	"Clear every mark")		\
	_(MARK_INVERT,	"mark-invert",	"Invert the marks")		\
	_(YANK,		"yank",		"Copy the UUID / URI (OSC 52)")	\
	_(PVM,		"param-views",	"Params vs a metric: ranking, scatter, parallel") \
	_(DELETE,	"delete",	"Delete the marked or current rows (y to confirm)") \
	_(UNDO,		"undo",		"Undo the last delete")		\
	_(SHOW_DELETED,	"show-deleted",	"Show deleted rows too (dimmed)") \
	_(RENAME,	"rename",	"Rename")			\
	_(TAG,		"tag",		"Edit tags (k=v sets, -k removes)") \
	_(NOTE,		"note",		"Edit the note in $VISUAL/$EDITOR") \
	_(FOLD,		"fold",		"Fold / unfold nested runs under their parent") \
	_(PIPELINES,	"pipelines",	"Pipelines screen")		\
	_(RERUN,	"rerun",	"Re-run the pipeline from this step (y to confirm)")

enum action {
#define ACTION_ENUM(name, cfg, help) ACT_##name,
	ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
	ACT__COUNT
};

/* Config name of an action ("next-metric"); NULL if out of range. */
const char	*action_name(enum action a);
/* Help text of an action. */
const char	*action_help(enum action a);
/* Action for a config name; ACT_NONE and -1 if unknown. */
int		 action_from_name(const char *name, enum action *a);

#endif
