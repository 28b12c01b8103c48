/*
 * view_help: the keys of the screen it was opened on, then the keys
 * that work everywhere, each with what it does and its name for
 * config.yaml.  Built from that screen's key list and the keymap in
 * force, so it lists exactly what works there (rebinding shows too).
 * `/` searches: only the lines containing the text stay.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmem.h"
#include "draw.h"
#include "err.h"
#include "keymap.h"
#include "view.h"

#define HELP_MAX	(2 * ACT__COUNT + 4)

struct help_line {
	char	keys[48];
	char	label[24];
	char	text[80];
	int	heading;
};

struct help {
	struct help_line	 lines[HELP_MAX];
	int			 n;
	int			 top;
	char			*search;
	char			 screen[32];
	char			 title[96];
};

static void
add_heading(struct help *s, const char *text)
{
	struct help_line	*l = &s->lines[s->n++];

	memset(l, 0, sizeof *l);
	snprintf(l->text, sizeof l->text, "%s", text);
	l->heading = 1;
}

static void
add_keys(struct help *s, struct view *v, const struct view_key *k,
    const char *vname)
{
	struct help_line	*l;

	for (; k->action != ACT_NONE && s->n < HELP_MAX; k++) {
		if (v != NULL && !view_offers(v, k->action))
			continue;
		l = &s->lines[s->n];
		memset(l, 0, sizeof *l);
		keymap_keys_for(k->action, vname, l->keys, sizeof l->keys);
		if (l->keys[0] == '\0')
			continue;	/* unbound: nothing to press */
		snprintf(l->label, sizeof l->label, "%s",
		    action_name(k->action));
		snprintf(l->text, sizeof l->text, "%s",
		    action_help(k->action));
		s->n++;
	}
}

static int
matches(const struct help *s, const struct help_line *l)
{
	if (s->search == NULL || l->heading)
		return 1;
	return strcasestr(l->keys, s->search) != NULL ||
	    strcasestr(l->label, s->search) != NULL ||
	    strcasestr(l->text, s->search) != NULL;
}

static int
help_load(struct view *v, struct db *db, struct wb_err *err)
{
	(void)v;
	(void)db;
	(void)err;
	return WB_OK;
}

static void
help_draw(struct view *v, struct draw_ctx *dc)
{
	struct help	*s = v->state;
	int		 h = draw_height(dc), w = draw_width(dc), y = 0, i;
	int		 skip = s->top;

	for (i = 0; i < s->n && y < h; i++) {
		const struct help_line *l = &s->lines[i];

		if (!matches(s, l) || skip-- > 0)
			continue;
		if (l->heading) {
			draw_text(dc, y++, 1, -1, ROLE_HEADER, l->text);
			continue;
		}
		draw_text(dc, y, 2, 16, ROLE_BOLD, l->keys);
		draw_text(dc, y, 19, 16, ROLE_DIM, l->label);
		draw_text(dc, y, 36, w - 36, ROLE_NORMAL, l->text);
		y++;
	}
	if (y + 1 < h)
		draw_text(dc, y + 1, 2, -1, ROLE_DIM, ":q quit  "
		    ":cols A,B  :sort COL [desc]  :filter TEXT  :best METRIC  "
		    ":theme NAME  :export FILE  :svg FILE  :dump-screen FILE");
	if (y + 2 < h)
		draw_text(dc, y + 2, 2, -1, ROLE_DIM, "rebind keys in "
		    "~/.config/mlwb/config.yaml under keys:, by the names "
		    "above");
}

static void
search_done(struct view *v, struct app *app, const char *text)
{
	struct help	*s = v->state;

	(void)app;
	if (text == NULL)
		return;
	free(s->search);
	s->search = *text ? xstrdup(text) : NULL;
	s->top = 0;
}

static enum action
help_handle(struct view *v, struct app *app, enum action a)
{
	struct help	*s = v->state;

	switch (a) {
	case ACT_DOWN:
	case ACT_PAGE_DOWN:
		s->top += a == ACT_DOWN ? 1 : 10;
		if (s->top > s->n - 1)
			s->top = s->n - 1;
		return ACT_NONE;
	case ACT_UP:
	case ACT_PAGE_UP:
		s->top -= a == ACT_UP ? 1 : 10;
		if (s->top < 0)
			s->top = 0;
		return ACT_NONE;
	case ACT_FILTER:
		app_prompt(app, "search help: ", s->search, "help",
		    search_done);
		return ACT_NONE;
	case ACT_BACK:
		if (s->search != NULL) {
			free(s->search);
			s->search = NULL;
			return ACT_NONE;
		}
		return ACT_BACK;
	case ACT_HELP:
		return ACT_BACK;
	default:
		return a;
	}
}

static const char *
help_title(struct view *v)
{
	struct help	*s = v->state;

	snprintf(s->title, sizeof s->title, "keys of %s%s%s%s", s->screen,
	    s->search ? "  search: " : "", s->search ? s->search : "", "");
	return s->title;
}

static void
help_free(struct view *v)
{
	struct help	*s = v->state;

	free(s->search);
	free(s);
}

static const struct view_key help_keys[] = {
	{ ACT_FILTER, "search" }, { ACT_UP, NULL }, { ACT_DOWN, NULL },
	{ ACT_PAGE_UP, NULL }, { ACT_PAGE_DOWN, NULL }, { ACT_NONE, NULL }
};

static const struct view_ops help_ops = {
	.name = "help",
	.load = help_load,
	.draw = help_draw,
	.handle = help_handle,
	.free = help_free,
	.title = help_title,
	.keys = help_keys,
};

struct view *
view_help_new(struct app *app)
{
	struct help	*s = xcalloc(1, sizeof *s);
	struct view	*on = app_current(app);
	char		 head[64];

	snprintf(s->screen, sizeof s->screen, "%s", on ? on->ops->name :
	    "mlwb");
	if (on != NULL && on->ops->keys != NULL) {
		snprintf(head, sizeof head, "%s screen", on->ops->name);
		add_heading(s, head);
		add_keys(s, on, on->ops->keys, on->ops->name);
	}
	add_heading(s, "everywhere");
	add_keys(s, NULL, app_global_keys, on ? on->ops->name : NULL);
	return view_new(&help_ops, s);
}
