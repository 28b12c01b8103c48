/*
 * keymap: default bindings (DESIGN.md's keys), user rebinding, key names.
 * A binding with a view name wins over a global one on that screen (the
 * chart's + zooms; elsewhere + smooths), and keymap_keys_for lists only
 * the keys that really do an action on the given screen.
 */
#include "config.h"

#include "keymap.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "yamldoc.h"

#define CTRL(c) ((c) & 0x1f)
#define KEY_ESC 27

struct binding {
	const char	*view;		/* NULL: every view */
	int		 key;
	enum action	 action;
};

static const struct binding default_keys[] = {
	{ NULL, 'Q', ACT_QUIT }, { NULL, CTRL('c'), ACT_QUIT },
	{ NULL, 'q', ACT_BACK }, { NULL, KEY_ESC, ACT_BACK },
	{ NULL, '?', ACT_HELP }, { NULL, KEY_F(1), ACT_HELP },
	{ NULL, CTRL('l'), ACT_REDRAW }, { NULL, 'R', ACT_RELOAD },
	{ NULL, ':', ACT_COMMAND }, { NULL, '\t', ACT_NEXT_VIEW },
	{ NULL, '1', ACT_VIEW_EXPERIMENTS }, { NULL, '2', ACT_VIEW_RUNS },
	{ NULL, '3', ACT_VIEW_DRIFT }, { NULL, '4', ACT_VIEW_REGISTRY },
	{ NULL, '5', ACT_VIEW_JOBS }, { NULL, '6', ACT_PIPELINES },
	{ NULL, 'j', ACT_DOWN }, { NULL, KEY_DOWN, ACT_DOWN },
	{ NULL, 'k', ACT_UP }, { NULL, KEY_UP, ACT_UP },
	{ NULL, 'h', ACT_LEFT }, { NULL, KEY_LEFT, ACT_LEFT },
	{ NULL, 'l', ACT_RIGHT }, { NULL, KEY_RIGHT, ACT_RIGHT },
	{ NULL, KEY_PPAGE, ACT_PAGE_UP }, { NULL, CTRL('b'), ACT_PAGE_UP },
	{ NULL, KEY_NPAGE, ACT_PAGE_DOWN }, { NULL, CTRL('f'), ACT_PAGE_DOWN },
	{ NULL, ' ', ACT_MARK },
	{ NULL, 'g', ACT_FIRST }, { NULL, KEY_HOME, ACT_FIRST },
	{ NULL, 'G', ACT_LAST }, { NULL, KEY_END, ACT_LAST },
	{ NULL, '\n', ACT_ENTER }, { NULL, '\r', ACT_ENTER },
	{ NULL, KEY_ENTER, ACT_ENTER },
	{ NULL, '/', ACT_FILTER }, { NULL, 'n', ACT_SEARCH_NEXT },
	{ NULL, 'N', ACT_SEARCH_PREV },
	{ NULL, 's', ACT_SORT_ASC }, { NULL, 'S', ACT_SORT_DESC },
	{ NULL, 'c', ACT_COMPARE }, { NULL, 'u', ACT_HIDE_SAME },
	{ NULL, 'p', ACT_PLOT }, { NULL, 'm', ACT_NEXT_METRIC },
	{ NULL, 'L', ACT_LOG_Y }, { NULL, 'x', ACT_X_AXIS },
	{ NULL, 'Z', ACT_ZOOM_OUT },
	{ NULL, 'd', ACT_DRIFT }, { NULL, 'P', ACT_PROMOTE },
	{ NULL, 'B', ACT_ROLLBACK }, { NULL, 'r', ACT_LAUNCH },
	{ NULL, 'o', ACT_FOLLOW }, { NULL, 'K', ACT_KILL },
	{ NULL, 'a', ACT_MARK_ALL }, { NULL, 'U', ACT_MARK_CLEAR },
	{ NULL, '*', ACT_MARK_INVERT }, { NULL, 'y', ACT_YANK },
	{ NULL, 'v', ACT_PVM },
	/* Chart and compare screens (query area). */
	{ "chart", 's', ACT_SMOOTH_MORE }, { "chart", 'S', ACT_SMOOTH_LESS },
	{ "chart", '+', ACT_ZOOM_IN }, { "chart", '=', ACT_ZOOM_IN },
	{ "chart", '-', ACT_ZOOM_OUT }, { "chart", 'z', ACT_ZOOM_RANGE },
	{ "chart", 'g', ACT_GRID }, { "compare", 'b', ACT_BASELINE },
	/* The lifecycle (doc/runs.md): d and Delete as in htop and k9s. */
	{ "runs", 'd', ACT_DELETE }, { "runs", KEY_DC, ACT_DELETE },
	{ "runs", 'u', ACT_UNDO }, { "runs", 'D', ACT_SHOW_DELETED },
	{ "runs", 'e', ACT_RENAME }, { "runs", 't', ACT_TAG },
	{ "runs", 'E', ACT_NOTE }, { "runs", 'z', ACT_FOLD },
	{ "run", 'e', ACT_RENAME }, { "run", 't', ACT_TAG },
	{ "run", 'E', ACT_NOTE },
	{ "experiments", 'd', ACT_DELETE },
	{ "experiments", KEY_DC, ACT_DELETE },
	{ "experiments", 'u', ACT_UNDO },
	{ "experiments", 'D', ACT_SHOW_DELETED },
	{ "experiments", 'e', ACT_RENAME },
	/* Pipelines (doc/pipelines.md): P from the jobs, as k9s's views. */
	{ "jobs", 'P', ACT_PIPELINES }, { "pipeline", 'r', ACT_RERUN },
};

#define MAX_BINDINGS 256
static struct binding	keys[MAX_BINDINGS];
static size_t		nkeys;

void
keymap_reset(void)
{
	nkeys = sizeof default_keys / sizeof default_keys[0];
	memcpy(keys, default_keys, sizeof default_keys);
}

static void
ensure(void)
{
	if (nkeys == 0)
		keymap_reset();
}

enum action
keymap_lookup(const char *view, int key)
{
	size_t	i;

	ensure();
	if (view != NULL)
		for (i = 0; i < nkeys; i++)
			if (keys[i].view != NULL && keys[i].key == key &&
			    strcmp(keys[i].view, view) == 0)
				return keys[i].action;
	for (i = 0; i < nkeys; i++)
		if (keys[i].view == NULL && keys[i].key == key)
			return keys[i].action;
	return ACT_NONE;
}

static const struct {
	const char	*name;
	int		 key;
} named[] = {
	{ "Enter", '\n' }, { "Esc", KEY_ESC }, { "Tab", '\t' },
	{ "Space", ' ' }, { "Up", KEY_UP }, { "Down", KEY_DOWN },
	{ "Left", KEY_LEFT }, { "Right", KEY_RIGHT }, { "PgUp", KEY_PPAGE },
	{ "PgDn", KEY_NPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
	{ "Backspace", KEY_BACKSPACE }, { "Del", KEY_DC },
	{ "Resize", KEY_RESIZE },
};

int
keymap_parse_key(const char *s)
{
	size_t	i, len = strlen(s);
	char	inner[32];
	int	n;

	if (len == 1)
		return (unsigned char)s[0];
	if (len < 3 || s[0] != '<' || s[len - 1] != '>' || len - 2 >= sizeof
	    inner)
		return -1;
	memcpy(inner, s + 1, len - 2);
	inner[len - 2] = '\0';
	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strcasecmp(inner, named[i].name) == 0)
			return named[i].key;
	if ((inner[0] == 'C' || inner[0] == 'c') && inner[1] == '-' &&
	    inner[2] != '\0' && inner[3] == '\0')
		return CTRL(inner[2]);
	if ((inner[0] == 'F' || inner[0] == 'f') && sscanf(inner + 1, "%d",
	    &n) == 1 && n >= 1 && n <= 12)
		return KEY_F(n);
	return -1;
}

const char *
keymap_key_name(int key, char *buf, size_t len)
{
	size_t	i;

	if (key == '\r')
		key = '\n';
	for (i = 0; i < sizeof named / sizeof named[0]; i++) {
		if (named[i].key == key) {
			snprintf(buf, len, "<%s>", named[i].name);
			return buf;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, len, "<F%d>", key - KEY_F0);
	else if (key > 0 && key < 32)
		snprintf(buf, len, "<C-%c>", key + 'a' - 1);
	else if (key >= 32 && key < 127)
		snprintf(buf, len, "%c", key);
	else
		snprintf(buf, len, "<%d>", key);
	return buf;
}

const char *
keymap_keys_for(enum action a, const char *view, char *buf, size_t len)
{
	size_t	i, o = 0;
	char	name[16];
	int	seen[512] = { 0 };

	ensure();
	buf[0] = '\0';
	for (i = 0; i < nkeys; i++) {
		if (keys[i].action != a || (keys[i].view != NULL &&
		    (view == NULL || strcmp(keys[i].view, view) != 0)))
			continue;
		/* A key this screen binds to something else is not a. */
		if (keymap_lookup(view, keys[i].key) != a)
			continue;
		if (keys[i].key == '\r' || keys[i].key == KEY_ENTER ||
		    (keys[i].key >= 0 && keys[i].key < 512 &&
		    seen[keys[i].key]++))
			continue;
		keymap_key_name(keys[i].key, name, sizeof name);
		o += (size_t)snprintf(buf + o, len > o ? len - o : 0, "%s%s",
		    o ? " " : "", name);
		if (o >= len)
			break;
	}
	return buf;
}

static int
bind_one(enum action a, const struct ynode *k, const char *file,
    struct wb_err *err)
{
	int	key;
	size_t	i;

	if (k == NULL || k->type != YNODE_SCALAR ||
	    (key = keymap_parse_key(k->value)) < 0)
		return wb_err_set(err, WB_EPARSE, "%s:%u:%u: not a key name "
		    "(use a character, <Enter>, <C-x>, <F1> ...)", file,
		    k ? k->line : 0, k ? k->col : 0);
	/* The key leaves whatever it did before. */
	for (i = 0; i < nkeys; i++)
		if (keys[i].view == NULL && keys[i].key == key) {
			keys[i] = keys[--nkeys];
			break;
		}
	if (nkeys == MAX_BINDINGS)
		return wb_err_set(err, WB_EINVAL, "%s: too many key bindings",
		    file);
	keys[nkeys].view = NULL;
	keys[nkeys].key = key;
	keys[nkeys].action = a;
	nkeys++;
	return WB_OK;
}

int
keymap_configure(const struct ynode *map, const char *file,
    struct wb_err *err)
{
	enum action	a;
	size_t		i, j;
	int		rc;

	ensure();
	if (map == NULL)
		return WB_OK;
	if (map->type != YNODE_MAP)
		return wb_err_set(err, WB_EPARSE, "%s:%u:%u: keys: expected "
		    "a map of action: key", file, map->line, map->col);
	for (i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i];
		const struct ynode *v = map->items[2 * i + 1];

		if (k == NULL || k->type != YNODE_SCALAR ||
		    action_from_name(k->value, &a) != 0)
			return wb_err_set(err, WB_EPARSE, "%s:%u:%u: unknown "
			    "action '%s'",
			    file, k ? k->line : 0, k ? k->col : 0,
			    k && k->value ? k->value : "");
		if (v != NULL && v->type == YNODE_SEQ) {
			for (j = 0; j < v->n; j++)
				if ((rc = bind_one(a, v->items[j], file, err)) !=
				    WB_OK)
					return rc;
		} else if ((rc = bind_one(a, v, file, err)) != WB_OK)
			return rc;
	}
	return WB_OK;
}
