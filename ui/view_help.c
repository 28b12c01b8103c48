/*
 * view_help: every action with its keys and what it does, generated from
 * the action table and the keymap in force, so it cannot drift from the
 * real bindings (rebinding in config.yaml shows here too).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "draw.h"
#include "err.h"
#include "keymap.h"
#include "view.h"

struct help {
	int	top;
};

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
	char		 keys[64];

	draw_text(dc, y++, 1, -1, ROLE_HEADER, "keys (rebind them in "
	    "~/.config/mlwb/config.yaml under keys:, by the names below)");
	for (i = 1 + s->top; i < ACT__COUNT && y < h; i++) {
		if (i == ACT_YES || i == ACT_NO)
			continue;
		keymap_keys_for((enum action)i, NULL, keys, sizeof keys);
		draw_text(dc, y, 2, 16, ROLE_BOLD, keys[0] ? keys : "-");
		draw_text(dc, y, 19, 18, ROLE_DIM, action_name((enum action)i));
		draw_text(dc, y, 38, w - 38, ROLE_NORMAL,
		    action_help((enum action)i));
		y++;
	}
	if (y < h)
		draw_text(dc, y + (y + 1 < h), 2, -1, ROLE_DIM, ":q quit  "
		    ":cols A,B  :sort COL [desc]  :filter TEXT  :best METRIC  "
		    ":theme NAME  :export FILE  :dump-screen FILE");
}

static enum action
help_handle(struct view *v, struct app *app, enum action a)
{
	struct help	*s = v->state;

	(void)app;
	switch (a) {
	case ACT_DOWN:
	case ACT_PAGE_DOWN:
		if (s->top + 1 < ACT__COUNT - 1)
			s->top += a == ACT_DOWN ? 1 : 10;
		if (s->top > ACT__COUNT - 2)
			s->top = ACT__COUNT - 2;
		return ACT_NONE;
	case ACT_UP:
	case ACT_PAGE_UP:
		s->top -= a == ACT_UP ? 1 : 10;
		if (s->top < 0)
			s->top = 0;
		return ACT_NONE;
	case ACT_HELP:
		return ACT_BACK;
	default:
		return a;
	}
}

static void
help_free(struct view *v)
{
	free(v->state);
}

static const struct view_ops help_ops = {
	.name = "help",
	.load = help_load,
	.draw = help_draw,
	.handle = help_handle,
	.free = help_free,
};

struct view *
view_help_new(struct app *app)
{
	(void)app;
	return view_new(&help_ops, xcalloc(1, sizeof(struct help)));
}
