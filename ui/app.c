/*
 * app: the terminal application.  Owns the top-level screens (1-5, each
 * with the stack of screens opened from it, kept while another is shown),
 * the title bar (breadcrumb and position), status line, footer, the
 * prompt line and yes/no questions, live refresh and the terminal event
 * loop.  The line editor is lineedit.c, the key filter for slow links
 * keyin.c, the headless --script runner script.c.
 *
 * The loop: key -> keyin filter -> keymap_lookup -> the screen's handle
 * (only for actions the screen offers, or the application's own) -> the
 * application's actions -> load stale views -> draw -> doupdate.  While
 * idle it polls PRAGMA data_version about once a second and reloads when
 * another process has committed, keeping each view's cursor on the same
 * item.
 */
#include "config.h"

#include "app.h"
#include "app_int.h"

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
#include "xmem.h"
#include "db.h"
#include "draw.h"
#include "editor.h"
#include "err.h"
#include "keymap.h"
#include "launch.h"
#include "screen.h"
#include "strbuf.h"
#include "text.h"
#include "theme.h"
#include "view.h"
#include "yamldoc.h"

#define MIN_W		60
#define MIN_H		12
#define KEY_ESC_CODE	27

/* The application's own actions: in every footer (the last three) and
 * in every help screen. */
const struct view_key app_global_keys[] = {
	{ ACT_HELP, "help" }, { ACT_BACK, "back" }, { ACT_QUIT, "quit" },
	{ ACT_COMMAND, NULL }, { ACT_NEXT_VIEW, NULL },
	{ ACT_VIEW_EXPERIMENTS, NULL }, { ACT_VIEW_RUNS, NULL },
	{ ACT_VIEW_DRIFT, NULL }, { ACT_VIEW_REGISTRY, NULL },
	{ ACT_VIEW_JOBS, NULL }, { ACT_PIPELINES, NULL }, { ACT_DRIFT, NULL },
	{ ACT_RELOAD, NULL },
	{ ACT_REDRAW, NULL }, { ACT_NONE, NULL }
};

static volatile sig_atomic_t got_signal;

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#define TAB(app)	(&(app)->tabs[(app)->tab])

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

int
view_offers(struct view *v, enum action a)
{
	const struct view_key	*k;

	if (v == NULL || v->ops->keys == NULL)
		return 0;
	for (k = v->ops->keys; k->action != ACT_NONE; k++)
		if (k->action == a)
			return v->ops->avail == NULL || v->ops->avail(v, a);
	return 0;
}

static int
is_global(enum action a)
{
	const struct view_key	*k;

	for (k = app_global_keys; k->action != ACT_NONE; k++)
		if (k->action == a)
			return 1;
	return 0;
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

int
app_utf8(struct app *app)
{
	if (app->headless)
		return app->grid != NULL && app->grid->utf8;
	return draw_utf8(screen_ctx());
}

int
app_depth(const struct app *app)
{
	return app->tabs[app->tab].depth;
}

struct view *
app_current(struct app *app)
{
	return TAB(app)->depth ? TAB(app)->stack[TAB(app)->depth - 1] : NULL;
}

void
app_push(struct app *app, struct view *v)
{
	if (v == NULL)
		return;
	if (TAB(app)->depth == APP_MAX_DEPTH) {
		view_free(v);
		app_error(app, "too many screens open; close some with q");
		return;
	}
	TAB(app)->stack[TAB(app)->depth++] = v;
}

/* Close the current screen; the top-level one stays (quitting is Q). */
void
app_pop(struct app *app)
{
	if (TAB(app)->depth <= 1)
		return;
	view_free(TAB(app)->stack[--TAB(app)->depth]);
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

/* An error at start-up: the status line, and stderr without a terminal
 * (--script), where nobody sees the status line. */
static void
startup_error(struct app *app, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
startup_error(struct app *app, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vmessage(app, 1, fmt, ap);
	va_end(ap);
	if (app->headless)
		cli_error("%s", app->msg);
}

void
app_changed(struct app *app)
{
	int	i, t;

	for (t = 0; t < APP_TABS; t++)
		for (i = 0; i < app->tabs[t].depth; i++)
			app->tabs[t].stack[i]->stale = 1;
}

void
app_yank(struct app *app, const char *what, const char *text)
{
	snprintf(app->yanked, sizeof app->yanked, "%s", text);
	if (!app->headless && screen_clipboard(text) == 0)
		app_message(app, "copied %s: %s", what, text);
	else
		app_message(app, "%s: %s", what, text);
}

static struct lineedit_hist *
history_for(struct app *app, const char *id)
{
	int	i;

	for (i = 0; i < app->nhist; i++)
		if (strcmp(app->histories[i].id, id) == 0)
			return &app->histories[i];
	if (app->nhist == APP_NHIST)
		return &app->histories[0];
	app->histories[app->nhist].id = xstrdup(id);
	return &app->histories[app->nhist++];
}

void
app_prompt(struct app *app, const char *label, const char *initial,
    const char *history_id, app_prompt_done done)
{
	app->prompting = 1;
	app->is_command = 0;
	snprintf(app->label, sizeof app->label, "%s", label);
	lineedit_start(&app->le, initial, history_for(app, history_id ?
	    history_id : "default"));
	app->done = done;
	app->prompt_view = app_current(app);
}

int
app_edit_text(struct app *app, const char *text, const char *what,
    char **out, int *changed)
{
	char	msg[256];
	int	rc;

	if (!app->headless)
		screen_suspend();
	rc = editor_edit(text, what, out, changed, msg, sizeof msg);
	if (!app->headless)
		screen_resume();
	if (rc != 0)
		app_error(app, "%s", msg);
	return rc;
}

void
app_confirm(struct app *app, const char *question, app_confirm_yes yes,
    app_confirm_yes no)
{
	size_t	n;

	app->confirming = 1;
	snprintf(app->question, sizeof app->question, "%s", question);
	/* The application adds the [y/N]. */
	n = strlen(app->question);
	if (n >= 6 && strcmp(app->question + n - 6, " [y/N]") == 0)
		app->question[n - 6] = '\0';
	app->yes = yes;
	app->no = no;
	app->confirm_view = app_current(app);
}

/* :commands ----------------------------------------------------------------- */

static const char *const app_commands[] = {
	"quit", "q", "help", "theme", "export", "dump-screen", "filter",
	"cols", "sort", "best", "reload", "svg", NULL
};

static void	dump_screen(struct app *, const char *);

static void
run_command(struct app *app, const char *line)
{
	struct view	*v = app_current(app);
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
	struct lineedit	*le = &app->le;
	const char	*match = NULL;
	size_t		 i, n = le->len;
	int		 count = 0;
	char		 line[LINEEDIT_MAX];

	if (memchr(le->buf, ' ', le->len) != NULL)
		return;
	for (i = 0; app_commands[i] != NULL; i++)
		if (strncmp(app_commands[i], le->buf, n) == 0) {
			match = app_commands[i];
			count++;
		}
	if (count == 1) {
		snprintf(line, sizeof line, "%s ", match);
		lineedit_set(le, line);
	} else if (count > 1) {
		struct strbuf	sb = STRBUF_INIT;

		for (i = 0; app_commands[i] != NULL; i++)
			if (strncmp(app_commands[i], le->buf, n) == 0)
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
	char		 text[LINEEDIT_MAX];

	switch (lineedit_key(&app->le, ch)) {
	case LE_DONE:
		app->prompting = 0;
		snprintf(text, sizeof text, "%s", app->le.buf);
		done(pv, app, text);
		return;
	case LE_CANCEL:
		app->prompting = 0;
		done(pv, app, NULL);
		return;
	case LE_TAB:
		if (app->is_command)
			complete_command(app);
		return;
	case LE_EDITING:
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

static const char *
view_crumb(struct view *v)
{
	const char	*t = v->ops->crumb ? v->ops->crumb(v) : NULL;

	return t ? t : v->ops->name;
}

/* The first key of action a on screen vname, as the footer shows it:
 * "Enter" and "Space" without the brackets of config names. */
static void
footer_key(enum action a, const char *vname, char *buf, size_t len)
{
	size_t	n;

	keymap_keys_for(a, vname, buf, len);
	buf[strcspn(buf, " ")] = '\0';
	n = strlen(buf);
	if (n > 2 && buf[0] == '<' && buf[n - 1] == '>' && buf[1] != 'C' &&
	    buf[1] != 'F') {
		memmove(buf, buf + 1, n - 2);
		buf[n - 2] = '\0';
	}
}

/*
 * The footer: the screen's keys on the left, as many whole ones as fit,
 * and always, on the right, how to get help, go back and quit.
 */
static void
draw_footer(struct app *app, struct draw_ctx *dc, struct view *v)
{
	const char		*vname = v ? v->ops->name : NULL;
	const struct view_key	*k;
	char			 keys[64], right[96];
	int			 x = 0, y = app->h - 1, rw, iw;
	size_t			 o = 0;
	int			 i;

	draw_fill(dc, y, 0, app->w, ROLE_FOOTER);
	/* Right: ? help  q back  Q quit (no back on a top-level screen). */
	right[0] = '\0';
	for (i = 0; i < 3; i++) {
		k = &app_global_keys[i];
		if (k->action == ACT_BACK && TAB(app)->depth <= 1)
			continue;
		footer_key(k->action, vname, keys, sizeof keys);
		if (keys[0] == '\0')
			continue;
		o += (size_t)snprintf(right + o, sizeof right - o, "%s%s %s",
		    o ? "  " : "", keys, k->label);
		if (o >= sizeof right)
			break;
	}
	rw = (int)text_width(right);
	if (v != NULL && v->ops->keys != NULL)
		for (k = v->ops->keys; k->action != ACT_NONE; k++) {
			if (k->label == NULL || !view_offers(v, k->action))
				continue;
			footer_key(k->action, vname, keys, sizeof keys);
			if (keys[0] == '\0')
				continue;
			iw = (int)text_width(keys) + 1 +
			    (int)text_width(k->label) + 2;
			if (x + iw > app->w - rw - 1)
				continue;
			x += draw_text(dc, y, x, -1, ROLE_FOOTER_KEY, keys);
			x += draw_printf(dc, y, x, -1, ROLE_FOOTER, " %s  ",
			    k->label);
		}
	/* Keys in the key colour, words in the footer's. */
	x = app->w - rw;
	for (o = 0; right[o] != '\0'; ) {
		size_t	kn = strcspn(right + o, " ");

		snprintf(keys, sizeof keys, "%.*s", (int)kn, right + o);
		x += draw_text(dc, y, x, -1, ROLE_FOOTER_KEY, keys);
		o += kn;
		kn = strspn(right + o, " ");
		kn += strcspn(right + o + kn, " ");
		if (right[o + kn] == ' ')
			kn += strspn(right + o + kn, " ");
		snprintf(keys, sizeof keys, "%.*s", (int)kn, right + o);
		x += draw_text(dc, y, x, -1, ROLE_FOOTER, keys);
		o += kn;
	}
}

/* "experiments › cifar10-resnet › runs of ..." and the position. */
static void
draw_title(struct app *app, struct draw_ctx *dc, struct view *v)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 right[200], pos[48] = "";
	const char	*sep = draw_utf8(dc) ? " \xe2\x80\xba " : " > ", *label;
	int64_t		 cur, n;
	int		 x, avail, i, lw, d = TAB(app)->depth;

	draw_fill(dc, 0, 0, app->w, ROLE_TITLE);
	x = draw_text(dc, 0, 0, -1, ROLE_TITLE, " mlwb | ");
	if (v != NULL && v->ops->position != NULL &&
	    v->ops->position(v, &cur, &n) && n > 0)
		snprintf(pos, sizeof pos, "%lld/%lld  ", (long long)cur + 1,
		    (long long)n);
	/*
	 * The workspace's name keeps at most an eighth of the line (10
	 * columns at least), cut in its middle: a long server URL or path
	 * must not squeeze out the screen's own title (its filter, its
	 * count).  A file workspace's path that does not fit gives way to
	 * its file name, which tells workspaces apart better than the
	 * middle of a path (/tmp/~2.db).
	 */
	label = db_label(app->db);
	lw = app->w / 8 > 10 ? app->w / 8 : 10;
	if ((int)text_width(label) > lw && !db_is_remote(app->db) &&
	    strrchr(label, '/') != NULL && strrchr(label, '/')[1] != '\0')
		label = strrchr(label, '/') + 1;
	if ((int)text_width(label) < lw)
		lw = (int)text_width(label);
	snprintf(right, sizeof right, "%s%s ", pos,
	    app_readonly(app) ? " [read-only]" : "");
	avail = app->w - x - (int)text_width(right) - lw - 1;
	if (v == NULL)
		goto out;
	/* The screens below, then this screen's title.  When they do
	 * not all fit, the title keeps at least a third of the room and
	 * the crumbs share the rest, long ones cut in their middle. */
	{
		int	want[APP_MAX_DEPTH], sw = (int)text_width(sep);
		int	sum = 0, tw = (int)text_width(view_title(v)), budget;
		int	nlong, share, spare, q;

		for (i = 0; i + 1 < d; i++) {
			want[i] = (int)text_width(view_crumb(TAB(app)->stack[i]));
			sum += want[i] + sw;
		}
		budget = sum + tw <= avail ? sum : avail - (tw < avail / 3 ?
		    tw : avail / 3);
		/* Short crumbs whole; the long ones split what is left. */
		spare = budget - (d - 1) * sw;
		q = d > 1 ? spare / (d - 1) : 0;
		for (nlong = d - 1, i = 0; i + 1 < d; i++)
			if (want[i] <= q)
				spare -= want[i], nlong--;
		share = nlong > 0 ? spare / nlong : 0;
		for (i = 0; i + 1 < d; i++) {
			int	cw = sum + tw <= avail || want[i] <= q ?
			    want[i] : share;

			if (cw < 4)
				break;
			x += draw_text_mid(dc, 0, x, cw, ROLE_TITLE,
			    view_crumb(TAB(app)->stack[i]));
			x += draw_text(dc, 0, x, -1, ROLE_TITLE, sep);
		}
		avail = app->w - x - (int)text_width(right) - lw - 1;
	}
	draw_text(dc, 0, x, avail, ROLE_TITLE, view_title(v));
	x = app->w - (int)text_width(right) - lw;
out:
	if (x < 0)
		x = 0;
	/* pos, the name, then " [read-only] " (in right after pos). */
	x += draw_text(dc, 0, x, -1, ROLE_TITLE, pos);
	x += draw_text_mid(dc, 0, x, lw, ROLE_TITLE, label);
	draw_text(dc, 0, x, -1, ROLE_TITLE, right + strlen(pos));
	strbuf_free(&sb);
}

void
app_draw_frame(struct app *app, struct draw_ctx *dc, int *cy, int *cx)
{
	struct view	*v = app_current(app);
	struct draw_ctx	 body;
	const char	*st;
	int		 y = app->h - 2, x;

	*cy = *cx = -1;
	if (app->w < MIN_W || app->h < MIN_H) {
		/* Short lines: the smallest terminal still reads them. */
		draw_text(dc, 0, 0, -1, ROLE_ERROR, "terminal too small");
		draw_printf(dc, 1, 0, -1, ROLE_ERROR, "have %dx%d", app->w,
		    app->h);
		draw_printf(dc, 2, 0, -1, ROLE_ERROR, "need %dx%d", MIN_W,
		    MIN_H);
		draw_text(dc, 3, 0, -1, ROLE_NORMAL, "Q quits");
		return;
	}
	draw_title(app, dc, v);
	if (v != NULL) {
		body = draw_sub(dc, 1, 0, app->h - 3, app->w);
		v->rows = app->h - 3;
		v->ops->draw(v, &body);
	}

	/* Status line, or the prompt / question. */
	if (app->prompting) {
		x = draw_text(dc, y, 0, -1, ROLE_PROMPT, app->label);
		draw_text(dc, y, x, -1, ROLE_NORMAL, app->le.buf);
		*cy = y;
		*cx = x + (int)app->le.cur;
	} else if (app->confirming) {
		draw_fill(dc, y, 0, app->w, ROLE_PROMPT);
		draw_printf(dc, y, 0, -1, ROLE_PROMPT, "%s [y/N]",
		    app->question);
	} else {
		x = 0;
		if (app->msg[0] != '\0') {
			if (app->msg_err)
				draw_fill(dc, y, 0, app->w, ROLE_ERROR);
			x = draw_text(dc, y, 0, -1, app->msg_err ? ROLE_ERROR :
			    ROLE_STATUS, app->msg);
		}
		st = v && v->ops->status ? v->ops->status(v) : NULL;
		if (st != NULL && *st != '\0' && x + 2 + (int)text_width(st)
		    <= app->w)
			draw_text_right(dc, y, x, app->w - x, ROLE_STATUS, st);
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

	app_draw_frame(app, g, &cy, &cx);
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

/* The top-level screens ---------------------------------------------------- */

static struct view *
tab_root(struct app *app, int t)
{
	switch (t) {
	case 0:
		return view_experiments_new(app);
	case 1:
		return view_runs_new(app, 0);
	case 2:
		return view_drift_new(app);
	case 3:
		return view_registry_new(app);
	default:
		return view_jobs_new(app);
	}
}

/*
 * Show top-level screen t as it was left (its cursor, filter, marks and
 * the screens opened from it); its number again goes back to its top.
 */
static void
switch_tab(struct app *app, int t)
{
	int	i;

	if (t == app->tab) {
		while (TAB(app)->depth > 1)
			app_pop(app);
		return;
	}
	app->tab = t;
	app->msg[0] = '\0';
	if (TAB(app)->depth == 0)
		app_push(app, tab_root(app, t));
	/* What changed meanwhile shows on the next draw. */
	for (i = 0; i < TAB(app)->depth; i++)
		TAB(app)->stack[i]->stale = 1;
}

static void
quit_yes(struct view *v, struct app *app)
{
	(void)v;
	app->quit = 1;
}

/* Actions the views leave to the application. */
static void
app_action(struct app *app, enum action a)
{
	char	key[16];

	switch (a) {
	case ACT_QUIT:
		app->quit = 1;
		break;
	case ACT_BACK:
		if (TAB(app)->depth > 1)
			app_pop(app);
		else if (app->last_key == KEY_ESC_CODE)
			/* Esc never quits: a late escape sequence is one. */
			app_message(app, "top-level screen: q asks to quit, "
			    "Q quits");
		else if (app->confirm_quit)
			app_confirm(app, "Quit mlwb?", quit_yes, NULL);
		else
			app->quit = 1;
		break;
	case ACT_HELP:
		if (app_current(app) == NULL ||
		    strcmp(app_current(app)->ops->name, "help") != 0)
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
	case ACT_VIEW_RUNS:
	case ACT_VIEW_DRIFT:
	case ACT_VIEW_REGISTRY:
	case ACT_VIEW_JOBS:
		switch_tab(app, a - ACT_VIEW_EXPERIMENTS);
		break;
	case ACT_DRIFT:
		switch_tab(app, ACT_VIEW_DRIFT - ACT_VIEW_EXPERIMENTS);
		break;
	case ACT_PIPELINES:
		/* Over the current screen, so q comes back to it. */
		if (app_current(app) == NULL ||
		    strcmp(app_current(app)->ops->name, "pipelines") != 0)
			app_push(app, view_pipelines_new(app));
		break;
	case ACT_NEXT_VIEW:
		switch_tab(app, (app->tab + 1) % APP_TABS);
		break;
	case ACT_NONE:
		break;
	default:
		app_message(app, "%s: not on this screen (? lists its keys)",
		    keymap_key_name(app->last_key, key, sizeof key));
		break;
	}
}

void
app_mouse(struct app *app, int y, int x, int button)
{
	struct view	*v = app_current(app);

	if (button == 1) {
		if (v != NULL && v->ops->click != NULL && y >= 1 &&
		    y < app->h - 2)
			v->ops->click(v, app, y - 1, x);
		return;
	}
	if (button == 4 || button == 5)
		app_handle_key(app, button == 4 ? KEY_UP : KEY_DOWN);
}

void
app_handle_key(struct app *app, int ch)
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
		else {
			app_message(app, "cancelled");
			if (app->no != NULL)
				app->no(app->confirm_view, app);
		}
		return;
	}
	v = app_current(app);
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
	app->last_key = ch;
	/* A screen sees the actions it offers and the application's own
	 * (it may take back or filter keys first); nothing else. */
	if (v != NULL && v->ops->handle != NULL && (is_global(a) ||
	    view_offers(v, a)))
		a = v->ops->handle(v, app, a);
	app_action(app, a);
}

void
app_load_stale(struct app *app)
{
	struct wb_err	 err;
	struct view	*v = app_current(app);

	if (v == NULL || !v->stale)
		return;
	v->rows = app_body_height(app);
	if (v->ops->load(v, app->db, &err) != WB_OK)
		app_error(app, "%s", err.msg);
	v->stale = 0;
}

/*
 * Another process committed?  Then every screen reloads.  A server store
 * that went away says so on the status line each poll while the store
 * tries to reconnect; once back, every screen reloads.
 */
static void
poll_db(struct app *app)
{
	struct wb_err	err;
	int64_t		ver;

	if (now_ms() - app->last_poll < 1000)
		return;
	app->last_poll = now_ms();
	if (db_data_version(app->db, &ver, &err) != WB_OK) {
		if (db_is_remote(app->db)) {
			app->reconnecting = 1;
			app_error(app, "reconnecting: %s", err.msg);
		}
		return;
	}
	if (app->reconnecting) {
		app->reconnecting = 0;
		app_message(app, "reconnected to %s", db_label(app->db));
		app->data_version = ver;
		app_changed(app);
		return;
	}
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

/* config.yaml: theme, columns, keys, confirm_quit. */
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
		startup_error(app, "%s; defaults in use", err.msg);
		strbuf_free(&path);
		return;
	}
	if ((t = ynode_get(doc->root, "theme")) != NULL && ynode_str(t) &&
	    *theme == NULL) {
		static char	name[64];

		snprintf(name, sizeof name, "%s", t->value);
		*theme = name;
	}
	if ((t = ynode_get(doc->root, "confirm_quit")) != NULL) {
		if (ynode_str(t) && (strcmp(t->value, "false") == 0 ||
		    strcmp(t->value, "no") == 0))
			app->confirm_quit = 0;
		else if (!ynode_str(t) || (strcmp(t->value, "true") != 0 &&
		    strcmp(t->value, "yes") != 0))
			startup_error(app, "%s:%u:%u: confirm_quit: true or "
			    "false", strbuf_str(&path), t->line, t->col);
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
		startup_error(app, "%s; default keys in use", err.msg);
	}
	ydoc_free(doc);
	strbuf_free(&path);
}

int
app_init(struct app *app, struct cli *cli, int headless)
{
	struct wb_err	 err;
	const char	*theme = cli->theme;
	const char	*nc = getenv("NO_COLOR");

	memset(app, 0, sizeof *app);
	app->cli = cli;
	app->headless = headless;
	app->confirm_quit = 1;
	/* A theme named on the command line must exist: say so and stop. */
	if (cli->theme != NULL && theme_load(cli->theme, &err) != WB_OK) {
		cli_error("%s", err.msg);
		return -2;
	}
	if ((app->db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return -1;
	/* Jobs whose supervisor died while nobody looked become lost. */
	if (!db_is_readonly(app->db))
		launch_reap_lost(app->db, cli_supervisor_cmd(), NULL, NULL);
	load_config(app, &theme);
	if (theme == NULL)
		theme = (nc != NULL && *nc) ? "mono" : "default";
	if (theme_load(theme, &err) != WB_OK) {
		startup_error(app, "%s; default theme in use", err.msg);
		theme_load(nc != NULL && *nc ? "mono" : "default", NULL);
	}
	db_data_version(app->db, &app->data_version, NULL);
	app->last_poll = now_ms();
	app_push(app, view_experiments_new(app));
	return 0;
}

void
app_free(struct app *app)
{
	int	i, t;

	for (t = 0; t < APP_TABS; t++)
		while (app->tabs[t].depth > 0)
			view_free(app->tabs[t].stack[--app->tabs[t].depth]);
	for (i = 0; i < app->nhist; i++)
		lineedit_hist_free(&app->histories[i]);
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
	int		 ch, cy, cx, out[2], n, i, rc, wait;

	if (cli->script != NULL)
		return ui_script(cli);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the UI needs a terminal; for scripts use the "
		    "commands (mlwb --help) or --script FILE --dump-screen OUT");
		return EXIT_USAGE;
	}
	if ((rc = app_init(&app, cli, 0)) != 0)
		return rc == -2 ? EXIT_USAGE : EXIT_FAIL;
	install_signals();
	if ((rc = screen_start(cli->mouse)) != 0) {
		app_free(&app);
		if (rc == -2)
			cli_error("terminal '%s' cannot move the cursor; set "
			    "TERM (e.g. xterm-256color), or use the commands "
			    "(mlwb --help)", getenv("TERM") ? getenv("TERM") :
			    "");
		else
			cli_error("cannot start the terminal");
		return EXIT_FAIL;
	}
	if (!screen_has_color() && strcmp(theme_name(), "default") == 0) {
		theme_load("mono", NULL);
		screen_apply_theme();
	}
	while (!app.quit && !got_signal) {
		screen_size(&app.w, &app.h);
		app_load_stale(&app);
		if (app_depth(&app) == 0)
			break;
		dc = screen_ctx();
		screen_begin();
		app_draw_frame(&app, dc, &cy, &cx);
		screen_end(cy, cx);
		wait = keyin_pending(&app.keyin, now_ms());
		ch = screen_key(wait >= 0 ? wait + 1 : 250);
		if (ch < 0) {
			if ((ch = keyin_idle(&app.keyin, now_ms())) >= 0)
				app_handle_key(&app, ch);
			else
				poll_db(&app);
			continue;
		}
		if (ch == KEY_RESIZE)
			continue;
		n = keyin_feed(&app.keyin, ch, now_ms(), out);
		for (i = 0; i < n && !app.quit; i++)
			app_handle_key(&app, out[i]);
	}
	screen_stop();
	app_free(&app);
	return got_signal == SIGHUP || got_signal == SIGTERM ? 128 +
	    (int)got_signal : EXIT_OK;
}
