/*
 * app: the terminal application.  Owns the stack of screens, the title
 * bar, status line, footer, the prompt line (filters, :commands with
 * history and completion, reasons), yes/no questions, live refresh and
 * the event loop, over either the terminal (screen.c) or, for --script,
 * a text grid that is dumped at the end.
 *
 * The loop: key -> keymap_lookup -> view handle -> app's own actions ->
 * load stale views -> draw -> doupdate.  While idle it polls PRAGMA
 * data_version about once a second and reloads when another process has
 * committed, keeping each view's cursor on the same item.
 */
#include "config.h"

#include "app.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "draw.h"
#include "err.h"
#include "keymap.h"
#include "launch.h"
#include "screen.h"
#include "strbuf.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "yamldoc.h"

#define MAX_DEPTH	16
#define HIST_MAX	50
#define MIN_W		60
#define MIN_H		12
#define KEY_ESC_CODE	27

struct history {
	char	*id;
	char	*lines[HIST_MAX];
	int	 n;
};

struct app {
	struct cli	*cli;
	struct db	*db;
	struct view	*stack[MAX_DEPTH];
	int		 depth;
	char		 msg[256];
	int		 msg_err;
	int		 quit;
	int		 headless;
	struct draw_ctx	*grid;		/* headless screen */
	int		 w, h;
	int64_t		 data_version;
	int64_t		 last_poll;

	/* The prompt line. */
	int		 prompting;
	char		 label[64];
	char		 buf[512];
	size_t		 len, cur;
	app_prompt_done	 done;
	struct view	*prompt_view;
	struct history	*hist;
	int		 hist_pos;
	int		 is_command;

	/* A yes/no question. */
	int		 confirming;
	char		 question[256];
	app_confirm_yes	 yes;
	struct view	*confirm_view;

	struct history	 histories[8];
	int		 nhist;
	char		*columns;	/* config.yaml columns:, "a,b" */
};

static volatile sig_atomic_t got_signal;

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct view *
view_new(const struct view_ops *ops, void *state)
{
	struct view	*v = xcalloc(1, sizeof *v);

	v->ops = ops;
	v->state = state;
	v->stale = 1;
	return v;
}

static void
view_free(struct view *v)
{
	if (v == NULL)
		return;
	if (v->ops->free != NULL)
		v->ops->free(v);
	free(v);
}

struct db *
app_db(struct app *app)
{
	return app->db;
}

int
app_readonly(struct app *app)
{
	return app->cli->read_only || db_is_readonly(app->db);
}

int
app_body_height(struct app *app)
{
	return app->h - 3 > 1 ? app->h - 3 : 1;
}

int
app_body_width(struct app *app)
{
	return app->w > 1 ? app->w : 1;
}

void
app_push(struct app *app, struct view *v)
{
	if (v == NULL)
		return;
	if (app->depth == MAX_DEPTH) {
		view_free(v);
		app_error(app, "too many screens open; close some with q");
		return;
	}
	app->stack[app->depth++] = v;
}

void
app_pop(struct app *app)
{
	if (app->depth <= 1) {
		app->quit = 1;
		return;
	}
	view_free(app->stack[--app->depth]);
	app->msg[0] = '\0';
}

void
app_switch(struct app *app, struct view *v)
{
	if (v == NULL)
		return;
	while (app->depth > 0)
		view_free(app->stack[--app->depth]);
	app->stack[app->depth++] = v;
	app->msg[0] = '\0';
}

static void
vmessage(struct app *app, int is_err, const char *fmt, va_list ap)
{
	vsnprintf(app->msg, sizeof app->msg, fmt, ap);
	app->msg_err = is_err;
}

void
app_message(struct app *app, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmessage(app, 0, fmt, ap);
	va_end(ap);
}

void
app_error(struct app *app, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmessage(app, 1, fmt, ap);
	va_end(ap);
}

void
app_changed(struct app *app)
{
	int	i;

	for (i = 0; i < app->depth; i++)
		app->stack[i]->stale = 1;
}

static struct history *
history_for(struct app *app, const char *id)
{
	int	i;

	for (i = 0; i < app->nhist; i++)
		if (strcmp(app->histories[i].id, id) == 0)
			return &app->histories[i];
	if (app->nhist == (int)(sizeof app->histories /
	    sizeof app->histories[0]))
		return &app->histories[0];
	app->histories[app->nhist].id = xstrdup(id);
	return &app->histories[app->nhist++];
}

static void
history_add(struct history *h, const char *line)
{
	int	i;

	if (line[0] == '\0' || (h->n > 0 && strcmp(h->lines[h->n - 1], line)
	    == 0))
		return;
	if (h->n == HIST_MAX) {
		free(h->lines[0]);
		for (i = 1; i < HIST_MAX; i++)
			h->lines[i - 1] = h->lines[i];
		h->n--;
	}
	h->lines[h->n++] = xstrdup(line);
}

void
app_prompt(struct app *app, const char *label, const char *initial,
    const char *history_id, app_prompt_done done)
{
	app->prompting = 1;
	app->is_command = 0;
	snprintf(app->label, sizeof app->label, "%s", label);
	snprintf(app->buf, sizeof app->buf, "%s", initial ? initial : "");
	app->len = app->cur = strlen(app->buf);
	app->done = done;
	app->prompt_view = app->depth ? app->stack[app->depth - 1] : NULL;
	app->hist = history_for(app, history_id ? history_id : "default");
	app->hist_pos = app->hist->n;
}

void
app_confirm(struct app *app, const char *question, app_confirm_yes yes)
{
	app->confirming = 1;
	snprintf(app->question, sizeof app->question, "%s", question);
	app->yes = yes;
	app->confirm_view = app->depth ? app->stack[app->depth - 1] : NULL;
}

/* :commands ----------------------------------------------------------------- */

static const char *const app_commands[] = {
	"quit", "q", "help", "theme", "export", "dump-screen", "filter",
	"cols", "sort", "best", "reload", NULL
};

static void	dump_screen(struct app *, const char *);

static void
run_command(struct app *app, const char *line)
{
	struct view	*v = app->depth ? app->stack[app->depth - 1] : NULL;
	struct wb_err	 err;
	char		 cmd[64];
	const char	*args;
	size_t		 n;
	FILE		*fp;

	while (*line == ' ' || *line == ':')
		line++;
	n = strcspn(line, " ");
	if (n == 0)
		return;
	snprintf(cmd, sizeof cmd, "%.*s", (int)n, line);
	args = line + n;
	while (*args == ' ')
		args++;
	if (strcmp(cmd, "q") == 0 || strcmp(cmd, "quit") == 0) {
		app->quit = 1;
		return;
	}
	if (strcmp(cmd, "help") == 0) {
		if (view_help_new != NULL)
			app_push(app, view_help_new(app));
		return;
	}
	if (strcmp(cmd, "reload") == 0) {
		app_changed(app);
		return;
	}
	if (strcmp(cmd, "theme") == 0) {
		if (*args == '\0') {
			app_message(app, "theme %s (shipped: default, light, "
			    "mono, high-contrast)", theme_name());
			return;
		}
		if (theme_load(args, &err) != WB_OK) {
			app_error(app, "%s", err.msg);
			return;
		}
		if (!app->headless)
			screen_apply_theme();
		app_message(app, "theme %s", args);
		return;
	}
	if (strcmp(cmd, "dump-screen") == 0) {
		if (*args == '\0')
			app_error(app, ":dump-screen FILE");
		else
			dump_screen(app, args);
		return;
	}
	if (strcmp(cmd, "export") == 0) {
		if (*args == '\0' || v == NULL || v->ops->export_csv == NULL) {
			app_error(app, *args == '\0' ? ":export FILE.csv" :
			    "this screen has no table to export");
			return;
		}
		if ((fp = fopen(args, "w")) == NULL) {
			app_error(app, "%s: %s", args, strerror(errno));
			return;
		}
		if (v->ops->export_csv(v, fp) != 0 || fclose(fp) != 0)
			app_error(app, "%s: write error", args);
		else
			app_message(app, "exported to %s", args);
		return;
	}
	if (v != NULL && v->ops->command != NULL &&
	    v->ops->command(v, app, cmd, args))
		return;
	app_error(app, "unknown command :%s (try :help)", cmd);
}

static void
command_done(struct view *v, struct app *app, const char *text)
{
	(void)v;
	if (text != NULL)
		run_command(app, text);
}

/* Complete the command name at the start of the prompt. */
static void
complete_command(struct app *app)
{
	const char	*match = NULL;
	size_t		 i, n = app->len;
	int		 count = 0;

	if (memchr(app->buf, ' ', app->len) != NULL)
		return;
	for (i = 0; app_commands[i] != NULL; i++)
		if (strncmp(app_commands[i], app->buf, n) == 0) {
			match = app_commands[i];
			count++;
		}
	if (count == 1) {
		snprintf(app->buf, sizeof app->buf, "%s ", match);
		app->len = app->cur = strlen(app->buf);
	} else if (count > 1) {
		struct strbuf	sb = STRBUF_INIT;

		for (i = 0; app_commands[i] != NULL; i++)
			if (strncmp(app_commands[i], app->buf, n) == 0)
				strbuf_addf(&sb, "%s ", app_commands[i]);
		app_message(app, "%s", strbuf_str(&sb));
		strbuf_free(&sb);
	}
}

/* Keys while the prompt line is open. */
static void
prompt_key(struct app *app, int ch)
{
	app_prompt_done	 done = app->done;
	struct view	*pv = app->prompt_view;
	char		 text[sizeof app->buf];

	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		app->prompting = 0;
		snprintf(text, sizeof text, "%s", app->buf);
		history_add(app->hist, text);
		done(pv, app, text);
		return;
	case KEY_ESC_CODE:
	case 3:		/* ^C */
		app->prompting = 0;
		done(pv, app, NULL);
		return;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (app->cur > 0) {
			memmove(app->buf + app->cur - 1, app->buf + app->cur,
			    app->len - app->cur + 1);
			app->cur--, app->len--;
		} else if (app->len == 0) {
			app->prompting = 0;
			done(pv, app, NULL);
		}
		return;
	case KEY_DC:
		if (app->cur < app->len) {
			memmove(app->buf + app->cur, app->buf + app->cur + 1,
			    app->len - app->cur);
			app->len--;
		}
		return;
	case KEY_LEFT:
		if (app->cur > 0)
			app->cur--;
		return;
	case KEY_RIGHT:
		if (app->cur < app->len)
			app->cur++;
		return;
	case KEY_HOME:
	case 1:		/* ^A */
		app->cur = 0;
		return;
	case KEY_END:
	case 5:		/* ^E */
		app->cur = app->len;
		return;
	case 21:	/* ^U */
		app->len = app->cur = 0;
		app->buf[0] = '\0';
		return;
	case KEY_UP:
	case KEY_DOWN:
		if (ch == KEY_UP && app->hist_pos > 0)
			app->hist_pos--;
		else if (ch == KEY_DOWN && app->hist_pos < app->hist->n)
			app->hist_pos++;
		snprintf(app->buf, sizeof app->buf, "%s",
		    app->hist_pos < app->hist->n ?
		    app->hist->lines[app->hist_pos] : "");
		app->len = app->cur = strlen(app->buf);
		return;
	case '\t':
		if (app->is_command)
			complete_command(app);
		return;
	default:
		if (ch >= 32 && ch < 256 && ch != 127 &&
		    app->len + 1 < sizeof app->buf) {
			memmove(app->buf + app->cur + 1, app->buf + app->cur,
			    app->len - app->cur + 1);
			app->buf[app->cur++] = (char)ch;
			app->len++;
		}
		return;
	}
}

/* Drawing ---------------------------------------------------------------- */

static const char *
view_title(struct view *v)
{
	const char	*t = v->ops->title ? v->ops->title(v) : NULL;

	return t ? t : v->ops->name;
}

static void
draw_footer(struct app *app, struct draw_ctx *dc, struct view *v)
{
	static const enum action common[] = { ACT_HELP, ACT_ENTER, ACT_FILTER,
	    ACT_SORT_ASC, ACT_MARK, ACT_COMPARE, ACT_PLOT, ACT_COMMAND,
	    ACT_BACK, ACT_QUIT };
	const char	*custom = v && v->ops->footer ? v->ops->footer(v) : NULL;
	char		 keys[32];
	size_t		 i;
	int		 x = 0, y = app->h - 1;

	draw_fill(dc, y, 0, app->w, ROLE_FOOTER);
	if (custom != NULL) {
		draw_text(dc, y, 0, app->w, ROLE_FOOTER, custom);
		return;
	}
	for (i = 0; i < sizeof common / sizeof common[0] && x < app->w; i++) {
		keymap_keys_for(common[i], v ? v->ops->name : NULL, keys,
		    sizeof keys);
		if (keys[0] == '\0')
			continue;
		/* The first key only: the footer is a reminder. */
		keys[strcspn(keys, " ")] = '\0';
		x += draw_text(dc, y, x, -1, ROLE_FOOTER_KEY, keys);
		x += draw_printf(dc, y, x, -1, ROLE_FOOTER, " %s  ",
		    action_name(common[i]));
	}
}

static void
draw_frame(struct app *app, struct draw_ctx *dc, int *cy, int *cx)
{
	struct view	*v = app->depth ? app->stack[app->depth - 1] : NULL;
	struct draw_ctx	 body;
	char		 right[128];
	int		 y = app->h - 2, x;

	*cy = *cx = -1;
	if (app->w < MIN_W || app->h < MIN_H) {
		draw_printf(dc, 0, 0, -1, ROLE_ERROR, "terminal too small "
		    "(need %dx%d, have %dx%d)", MIN_W, MIN_H, app->w, app->h);
		return;
	}
	/* Title bar. */
	draw_fill(dc, 0, 0, app->w, ROLE_TITLE);
	x = draw_text(dc, 0, 0, -1, ROLE_TITLE, " mlwb ");
	snprintf(right, sizeof right, "%s%s ", db_label(app->db),
	    app_readonly(app) ? " [read-only]" : "");
	if (v != NULL)
		x += draw_printf(dc, 0, x, app->w - x - (int)text_width(right) -
		    1, ROLE_TITLE, "| %s", view_title(v));
	draw_text_right(dc, 0, x + 1, app->w - x - 1, ROLE_TITLE, right);

	if (v != NULL) {
		body = draw_sub(dc, 1, 0, app->h - 3, app->w);
		v->rows = app->h - 3;
		v->ops->draw(v, &body);
	}

	/* Status line, or the prompt / question. */
	if (app->prompting) {
		x = draw_text(dc, y, 0, -1, ROLE_PROMPT, app->label);
		draw_text(dc, y, x, -1, ROLE_NORMAL, app->buf);
		*cy = y;
		*cx = x + (int)app->cur;
	} else if (app->confirming) {
		draw_fill(dc, y, 0, app->w, ROLE_PROMPT);
		draw_printf(dc, y, 0, -1, ROLE_PROMPT, "%s [y/N]",
		    app->question);
	} else if (app->msg[0] != '\0') {
		if (app->msg_err)
			draw_fill(dc, y, 0, app->w, ROLE_ERROR);
		draw_text(dc, y, 0, -1, app->msg_err ? ROLE_ERROR :
		    ROLE_STATUS, app->msg);
	}
	draw_footer(app, dc, v);
}

static void
dump_screen(struct app *app, const char *path)
{
	struct draw_ctx	*g = draw_grid_new(app->w, app->h, app->headless ?
	    app->grid->utf8 : draw_utf8(screen_ctx()));
	struct strbuf	 sb = STRBUF_INIT;
	FILE		*fp;
	int		 cy, cx;

	draw_frame(app, g, &cy, &cx);
	draw_grid_dump(g, &sb);
	draw_grid_free(g);
	if ((fp = fopen(path, "w")) == NULL) {
		app_error(app, "%s: %s", path, strerror(errno));
		strbuf_free(&sb);
		return;
	}
	fputs(strbuf_str(&sb), fp);
	if (fclose(fp) != 0)
		app_error(app, "%s: write error", path);
	strbuf_free(&sb);
}

/* Actions the views leave to the application. */
static void
app_action(struct app *app, enum action a)
{
	struct view	*v = NULL;

	switch (a) {
	case ACT_QUIT:
		app->quit = 1;
		break;
	case ACT_BACK:
		app_pop(app);
		break;
	case ACT_HELP:
		if (view_help_new != NULL && (app->depth == 0 ||
		    strcmp(app->stack[app->depth - 1]->ops->name, "help") != 0))
			app_push(app, view_help_new(app));
		break;
	case ACT_REDRAW:
		if (!app->headless)
			screen_redraw();
		break;
	case ACT_RELOAD:
		app_changed(app);
		app_message(app, "reloaded");
		break;
	case ACT_COMMAND:
		app_prompt(app, ":", "", "command", command_done);
		app->is_command = 1;
		break;
	case ACT_VIEW_EXPERIMENTS:
		v = view_experiments_new ? view_experiments_new(app) : NULL;
		break;
	case ACT_VIEW_RUNS:
		v = view_runs_new ? view_runs_new(app, 0) : NULL;
		break;
	case ACT_VIEW_DRIFT:
	case ACT_DRIFT:
		if (view_drift_new == NULL)
			app_error(app, "drift screens: not available yet (use "
			    "mlwb drift on the command line)");
		else
			v = view_drift_new(app);
		break;
	case ACT_VIEW_REGISTRY:
		if (view_registry_new == NULL)
			app_error(app, "registry screen: not available yet "
			    "(use mlwb model on the command line)");
		else
			v = view_registry_new(app);
		break;
	case ACT_VIEW_JOBS:
		if (view_jobs_new == NULL)
			app_error(app, "jobs screen: not available yet (use "
			    "mlwb jobs on the command line)");
		else
			v = view_jobs_new(app);
		break;
	case ACT_NEXT_VIEW: {
		const char *cur = app->depth ?
		    app->stack[0]->ops->name : "";

		if (strcmp(cur, "experiments") == 0)
			v = view_runs_new ? view_runs_new(app, 0) : NULL;
		else if (strcmp(cur, "runs") == 0 && view_drift_new)
			v = view_drift_new(app);
		else if ((strcmp(cur, "runs") == 0 ||
		    strcmp(cur, "drift") == 0) && view_registry_new)
			v = view_registry_new(app);
		else if (strcmp(cur, "registry") == 0 && view_jobs_new)
			v = view_jobs_new(app);
		else
			v = view_experiments_new ? view_experiments_new(app) :
			    NULL;
		break;
	}
	case ACT_NONE:
		break;
	default:
		app_message(app, "%s: not on this screen", action_name(a));
		break;
	}
	if (v != NULL)
		app_switch(app, v);
}

/*
 * A mouse event at screen (y, x): button 1 is a click, which the view maps
 * to its rows (the title bar is row 0); 4 and 5 are the wheel, which
 * scrolls like the arrow keys.  Shared by the terminal and --script.
 */
static void	handle_key(struct app *, int);

static void
app_mouse(struct app *app, int y, int x, int button)
{
	struct view	*v = app->depth ? app->stack[app->depth - 1] : NULL;

	if (button == 1) {
		if (v != NULL && v->ops->click != NULL && y >= 1 &&
		    y < app->h - 2)
			v->ops->click(v, app, y - 1, x);
		return;
	}
	if (button == 4 || button == 5)
		handle_key(app, button == 4 ? KEY_UP : KEY_DOWN);
}

static void
handle_key(struct app *app, int ch)
{
	struct view	*v;
	enum action	 a;
	int		 my, mx, button;

	if (app->prompting) {
		prompt_key(app, ch);
		return;
	}
	if (app->confirming) {
		app->confirming = 0;
		if (ch == 'y' || ch == 'Y')
			app->yes(app->confirm_view, app);
		else
			app_message(app, "cancelled");
		return;
	}
	v = app->depth ? app->stack[app->depth - 1] : NULL;
	if (ch == KEY_MOUSE) {
		if (screen_mouse(&my, &mx, &button) != 0)
			return;
		app_mouse(app, my, mx, button);
		return;
	}
	a = keymap_lookup(v ? v->ops->name : NULL, ch);
	if (a == ACT_NONE)
		return;
	app->msg[0] = '\0';
	if (v != NULL && v->ops->handle != NULL)
		a = v->ops->handle(v, app, a);
	app_action(app, a);
}

static void
load_stale(struct app *app)
{
	struct wb_err	err;
	struct view	*v;
	int		i;

	for (i = 0; i < app->depth; i++) {
		v = app->stack[i];
		if (!v->stale || i != app->depth - 1)
			continue;
		v->rows = app_body_height(app);
		if (v->ops->load(v, app->db, &err) != WB_OK)
			app_error(app, "%s", err.msg);
		v->stale = 0;
	}
}

/* Another process committed?  Then every screen reloads. */
static void
poll_db(struct app *app)
{
	struct wb_err	err;
	int64_t		ver;

	if (now_ms() - app->last_poll < 1000)
		return;
	app->last_poll = now_ms();
	if (db_data_version(app->db, &ver, &err) != WB_OK)
		return;
	if (ver != app->data_version) {
		app->data_version = ver;
		app_changed(app);
	}
}

/* Signals: the terminal is restored on every way out. */
static void
on_signal(int sig)
{
	got_signal = sig;
}

static void
on_fatal(int sig)
{
	screen_stop();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
install_signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_fatal;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
}

/* config.yaml: theme, keys. */
static void
load_config(struct app *app, const char **theme)
{
	struct strbuf		 path = STRBUF_INIT;
	struct ydoc		*doc;
	struct wb_err		 err;
	const struct ynode	*t;
	const char		*xdg = getenv("XDG_CONFIG_HOME");
	const char		*home = getenv("HOME");

	if (xdg != NULL && *xdg)
		strbuf_addf(&path, "%s/mlwb/config.yaml", xdg);
	else if (home != NULL)
		strbuf_addf(&path, "%s/.config/mlwb/config.yaml", home);
	else
		return;
	if (access(strbuf_str(&path), R_OK) != 0) {
		strbuf_free(&path);
		return;
	}
	if (ydoc_load_file(strbuf_str(&path), &doc, &err) != WB_OK) {
		app_error(app, "%s; defaults in use", err.msg);
		strbuf_free(&path);
		return;
	}
	if ((t = ynode_get(doc->root, "theme")) != NULL && ynode_str(t) &&
	    *theme == NULL) {
		static char	name[64];

		snprintf(name, sizeof name, "%s", t->value);
		*theme = name;
	}
	if ((t = ynode_get(doc->root, "columns")) != NULL) {
		struct strbuf	cols = STRBUF_INIT;
		size_t		i;

		if (t->type == YNODE_SEQ)
			for (i = 0; i < t->n; i++)
				if (ynode_str(t->items[i]))
					strbuf_addf(&cols, "%s%s", cols.len ?
					    "," : "", t->items[i]->value);
		if (t->type == YNODE_SCALAR)
			strbuf_adds(&cols, t->value);
		free(app->columns);
		app->columns = cols.len ? strbuf_detach(&cols) : NULL;
		strbuf_free(&cols);
	}
	if (keymap_configure(ynode_get(doc->root, "keys"), strbuf_str(&path),
	    &err) != WB_OK) {
		keymap_reset();
		app_error(app, "%s; default keys in use", err.msg);
	}
	ydoc_free(doc);
	strbuf_free(&path);
}

static int
app_init(struct app *app, struct cli *cli, int headless)
{
	struct wb_err	 err;
	const char	*theme = cli->theme;
	const char	*nc = getenv("NO_COLOR");

	memset(app, 0, sizeof *app);
	app->cli = cli;
	app->headless = headless;
	if ((app->db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return -1;
	/* Jobs whose supervisor died while nobody looked become lost. */
	if (!db_is_readonly(app->db))
		launch_reap_lost(app->db, NULL, NULL);
	load_config(app, &theme);
	if (theme == NULL)
		theme = (nc != NULL && *nc) ? "mono" : "default";
	if (theme_load(theme, &err) != WB_OK) {
		app_error(app, "%s; default theme in use", err.msg);
		theme_load(nc != NULL && *nc ? "mono" : "default", NULL);
	}
	db_data_version(app->db, &app->data_version, NULL);
	app->last_poll = now_ms();
	if (view_experiments_new != NULL)
		app_push(app, view_experiments_new(app));
	return 0;
}

static void
app_free(struct app *app)
{
	int	i, j;

	while (app->depth > 0)
		view_free(app->stack[--app->depth]);
	for (i = 0; i < app->nhist; i++) {
		free(app->histories[i].id);
		for (j = 0; j < app->histories[i].n; j++)
			free(app->histories[i].lines[j]);
	}
	free(app->columns);
	db_close(app->db);
}

const char *
app_default_columns(struct app *app)
{
	return app->columns;
}

int
ui_run(struct cli *cli)
{
	struct app	 app;
	struct draw_ctx	*dc;
	int		 ch, cy, cx;

	if (cli->script != NULL)
		return ui_script(cli);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the UI needs a terminal; for scripts use the "
		    "commands (mlwb --help) or --script FILE --dump-screen OUT");
		return EXIT_USAGE;
	}
	if (app_init(&app, cli, 0) != 0)
		return EXIT_FAIL;
	install_signals();
	if (screen_start(cli->mouse) != 0) {
		app_free(&app);
		cli_error("cannot start the terminal");
		return EXIT_FAIL;
	}
	if (!screen_has_color() && strcmp(theme_name(), "default") == 0) {
		theme_load("mono", NULL);
		screen_apply_theme();
	}
	while (!app.quit && !got_signal) {
		screen_size(&app.w, &app.h);
		load_stale(&app);
		if (app.depth == 0)
			break;
		dc = screen_ctx();
		screen_begin();
		draw_frame(&app, dc, &cy, &cx);
		screen_end(cy, cx);
		ch = screen_key(250);
		if (ch < 0) {
			poll_db(&app);
			continue;
		}
		if (ch == KEY_RESIZE)
			continue;
		handle_key(&app, ch);
	}
	screen_stop();
	app_free(&app);
	return got_signal == SIGHUP || got_signal == SIGTERM ? 128 +
	    (int)got_signal : EXIT_OK;
}

/* Headless: --script FILE --dump-screen OUT ------------------------------ */

/*
 * A script is lines of: key tokens separated by spaces ("j j <Enter>",
 * "<C-l>", "<Esc>", "<Space>"), or ":command args" / "/filter text"
 * typed whole and followed by Enter, or "<resize 100x30>", or the mouse:
 * "<click ROW COL>" (screen coordinates, 0-based) and "<wheel up|down>";
 * or "# comment".
 */
static int
script_line(struct app *app, const char *line, int lineno, const char *file)
{
	const char	*p = line;
	char		 tok[64];
	size_t		 n;
	int		 key, w, h, utf8;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (*p == ':' || *p == '/') {
		handle_key(app, *p == ':' ? ':' : '/');
		for (p++; *p != '\0' && *p != '\n'; p++)
			handle_key(app, (unsigned char)*p);
		handle_key(app, '\n');
		load_stale(app);
		return 0;
	}
	while (*p != '\0' && *p != '\n') {
		n = strcspn(p, " \t\n");
		if (*p == '<' && (strncmp(p, "<click ", 7) == 0 ||
		    strncmp(p, "<wheel ", 7) == 0)) {
			char	dir[8];

			n = strcspn(p, ">") + 1;
			if (p[1] == 'c' ? sscanf(p, "<click %d %d>", &h, &w) != 2 :
			    sscanf(p, "<wheel %7[a-z]>", dir) != 1 ||
			    (strcmp(dir, "up") != 0 && strcmp(dir, "down") != 0)) {
				cli_error("%s:%d: <click ROW COL> or "
				    "<wheel up|down>", file, lineno);
				return -1;
			}
			if (p[1] == 'c')
				app_mouse(app, h, w, 1);
			else
				app_mouse(app, 0, 0, dir[0] == 'u' ? 4 : 5);
			load_stale(app);
			if (app->depth > 0) {
				int cy, cx;

				draw_grid_clear(app->grid);
				draw_frame(app, app->grid, &cy, &cx);
			}
		} else if (*p == '<' && strncmp(p, "<resize ", 8) == 0) {
			n = strcspn(p, ">") + 1;
			if (sscanf(p, "<resize %dx%d>", &w, &h) != 2 || w < 1 ||
			    h < 1 || w > 1000 || h > 1000) {
				cli_error("%s:%d: <resize WxH>", file, lineno);
				return -1;
			}
			utf8 = app->grid->utf8;
			draw_grid_free(app->grid);
			app->grid = draw_grid_new(w, h, utf8);
			app->w = w;
			app->h = h;
		} else {
			if (n >= sizeof tok) {
				cli_error("%s:%d: token too long", file, lineno);
				return -1;
			}
			memcpy(tok, p, n);
			tok[n] = '\0';
			if ((key = keymap_parse_key(tok)) < 0) {
				cli_error("%s:%d: unknown key '%s' (a character, "
				    "<Enter>, <Esc>, <C-x>, <F1>, <Up> ...)",
				    file, lineno, tok);
				return -1;
			}
			handle_key(app, key);
			load_stale(app);
			if (app->quit)
				return 0;
			/* Draw every frame, as the terminal would (this is
			 * also what bench/ui times). */
			if (app->depth > 0) {
				int cy, cx;

				draw_grid_clear(app->grid);
				draw_frame(app, app->grid, &cy, &cx);
			}
		}
		p += n;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	return 0;
}

int
ui_script(struct cli *cli)
{
	struct app	 app;
	struct strbuf	 sb = STRBUF_INIT;
	FILE		*fp;
	char		*line = NULL;
	size_t		 cap = 0;
	int		 lineno = 0, rc = 0, cy, cx, utf8;
	const char	*lc = getenv("LC_ALL");

	if (lc == NULL || *lc == '\0')
		lc = getenv("LC_CTYPE");
	if (lc == NULL || *lc == '\0')
		lc = getenv("LANG");
	utf8 = lc != NULL && (strstr(lc, "UTF-8") || strstr(lc, "utf8") ||
	    strstr(lc, "UTF8") || strstr(lc, "utf-8"));
	if ((fp = strcmp(cli->script, "-") == 0 ? stdin :
	    fopen(cli->script, "r")) == NULL) {
		cli_error("%s: %s", cli->script, strerror(errno));
		return EXIT_FAIL;
	}
	if (app_init(&app, cli, 1) != 0) {
		if (fp != stdin)
			fclose(fp);
		return EXIT_FAIL;
	}
	app.w = cli->width > 0 ? cli->width : 80;
	app.h = cli->height > 0 ? cli->height : 24;
	app.grid = draw_grid_new(app.w, app.h, utf8);
	load_stale(&app);
	while (!app.quit && getline(&line, &cap, fp) != -1) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (script_line(&app, line, lineno, cli->script) != 0) {
			rc = EXIT_USAGE;
			break;
		}
		if (app.depth == 0)
			break;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	if (rc == 0 && app.depth > 0) {
		load_stale(&app);
		app.grid->utf8 = utf8;
		draw_grid_clear(app.grid);
		draw_frame(&app, app.grid, &cy, &cx);
		draw_grid_dump(app.grid, &sb);
		if (cli->dump_screen == NULL || strcmp(cli->dump_screen, "-")
		    == 0)
			fputs(strbuf_str(&sb), stdout);
		else if ((fp = fopen(cli->dump_screen, "w")) == NULL ||
		    fputs(strbuf_str(&sb), fp) < 0 || fclose(fp) != 0) {
			cli_error("%s: cannot write", cli->dump_screen);
			rc = EXIT_FAIL;
		}
	}
	strbuf_free(&sb);
	draw_grid_free(app.grid);
	app_free(&app);
	return rc;
}
