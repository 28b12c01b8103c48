/*
 * theme: YAML themes.  A theme maps role names to {fg, bg, attrs}; colours
 * are curses' eight names, bright-NAME (the upper eight of 16-colour
 * terminals), numbers 0-255, or default.
 */
#include "config.h"

#include "theme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "err.h"
#include "strbuf.h"
#include "yamldoc.h"

extern const char theme_default[], theme_light[], theme_mono[],
    theme_high_contrast[];

const char *const theme_builtin[] = { "default", "light", "mono",
    "high-contrast", NULL };

static const char *const role_names[ROLE__COUNT] = {
	"normal", "dim", "bold", "title", "header", "selected", "marked",
	"selected-marked", "status", "error", "footer", "footer-key",
	"border", "prompt", "finished", "running", "failed", "killed",
	"queued", "best", "worst", "changed", "added", "removed", "drift",
	"no-drift", "badge", "axis", "grid", "ref", "cur", "cursor",
	"series0", "series1", "series2", "series3", "series4", "series5",
	"series6", "series7"
};

static struct style	styles[ROLE__COUNT];
static char		current[64] = "";

int
theme_role_from_name(const char *name)
{
	int	i;

	for (i = 0; i < ROLE__COUNT; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return -1;
}

const struct style *
theme_style(enum role r)
{
	return &styles[(unsigned)r < ROLE__COUNT ? r : ROLE_NORMAL];
}

const char *
theme_name(void)
{
	return current;
}

static int
parse_color(const char *s, short *out)
{
	static const char *const names[] = { "black", "red", "green",
	    "yellow", "blue", "magenta", "cyan", "white" };
	char	*end;
	long	 n;
	int	 i, bright = 0;

	if (strcmp(s, "default") == 0) {
		*out = -1;
		return 0;
	}
	if (strncmp(s, "bright-", 7) == 0) {
		bright = 8;
		s += 7;
	}
	for (i = 0; i < 8; i++)
		if (strcasecmp(s, names[i]) == 0) {
			*out = (short)(i + bright);
			return 0;
		}
	n = strtol(s, &end, 10);
	if (*end == '\0' && end != s && n >= 0 && n <= 255 && !bright) {
		*out = (short)n;
		return 0;
	}
	return -1;
}

static int
parse_theme(const struct ynode *root, const char *file, struct style *st,
    struct wb_err *err)
{
	size_t	i, j;
	int	r;

	for (i = 0; i < ROLE__COUNT; i++) {
		st[i].fg = st[i].bg = -1;
		st[i].attrs = 0;
	}
	if (root == NULL)
		return WB_OK;
	if (root->type != YNODE_MAP)
		return wb_err_set(err, WB_EPARSE, "%s:%u:%u: a theme is a map "
		    "of role: {fg, bg, attrs}", file, root->line, root->col);
	for (i = 0; i < root->n; i++) {
		const struct ynode *k = root->items[2 * i];
		const struct ynode *v = root->items[2 * i + 1], *x;

		if (k == NULL || k->type != YNODE_SCALAR ||
		    (r = theme_role_from_name(k->value)) < 0)
			return wb_err_set(err, WB_EPARSE, "%s:%u:%u: unknown "
			    "role '%s'", file, k ? k->line : 0, k ? k->col : 0,
			    k && k->value ? k->value : "");
		if (v == NULL || v->type != YNODE_MAP)
			return wb_err_set(err, WB_EPARSE, "%s:%u:%u: %s: "
			    "expected {fg: ..., bg: ..., attrs: [...]}", file,
			    k->line, k->col, k->value);
		if ((x = ynode_get(v, "fg")) != NULL &&
		    (!ynode_str(x) || parse_color(x->value, &st[r].fg) != 0))
			return wb_err_set(err, WB_EPARSE, "%s:%u:%u: unknown "
			    "colour '%s'", file, x->line, x->col,
			    ynode_str(x) ? x->value : "");
		if ((x = ynode_get(v, "bg")) != NULL &&
		    (!ynode_str(x) || parse_color(x->value, &st[r].bg) != 0))
			return wb_err_set(err, WB_EPARSE, "%s:%u:%u: unknown "
			    "colour '%s'", file, x->line, x->col,
			    ynode_str(x) ? x->value : "");
		if ((x = ynode_get(v, "attrs")) != NULL) {
			if (x->type != YNODE_SEQ)
				return wb_err_set(err, WB_EPARSE, "%s:%u:%u: "
				    "attrs: expected a list", file, x->line,
				    x->col);
			for (j = 0; j < x->n; j++) {
				const char *a = ynode_str(x->items[j]);

				if (a && strcmp(a, "bold") == 0)
					st[r].attrs |= THEME_ATTR_BOLD;
				else if (a && strcmp(a, "dim") == 0)
					st[r].attrs |= THEME_ATTR_DIM;
				else if (a && strcmp(a, "reverse") == 0)
					st[r].attrs |= THEME_ATTR_REVERSE;
				else if (a && strcmp(a, "underline") == 0)
					st[r].attrs |= THEME_ATTR_UNDERLINE;
				else
					return wb_err_set(err, WB_EPARSE,
					    "%s:%u:%u: unknown attribute '%s'",
					    file, x->items[j]->line,
					    x->items[j]->col, a ? a : "");
			}
		}
	}
	return WB_OK;
}

int
theme_load(const char *name, struct wb_err *err)
{
	const char	*text = NULL;
	struct strbuf	 path = STRBUF_INIT;
	struct style	 st[ROLE__COUNT];
	struct ydoc	*doc = NULL;
	struct stat	 sb;
	const char	*xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int		 rc;

	if (strchr(name, '/') != NULL)
		strbuf_adds(&path, name);
	else {
		if (xdg != NULL && *xdg)
			strbuf_addf(&path, "%s/mlwb/themes/%s.yaml", xdg, name);
		else if (home != NULL)
			strbuf_addf(&path, "%s/.config/mlwb/themes/%s.yaml",
			    home, name);
		if (path.len == 0 || stat(path.s, &sb) != 0) {
			strbuf_reset(&path);
			strbuf_addf(&path, "%s/themes/%s.yaml", MLWB_DATADIR,
			    name);
		}
		if (stat(strbuf_str(&path), &sb) != 0) {
			strbuf_reset(&path);
			if (strcmp(name, "default") == 0)
				text = theme_default;
			else if (strcmp(name, "light") == 0)
				text = theme_light;
			else if (strcmp(name, "mono") == 0)
				text = theme_mono;
			else if (strcmp(name, "high-contrast") == 0)
				text = theme_high_contrast;
			else {
				strbuf_free(&path);
				return wb_err_set(err, WB_ENOTFOUND, "no theme "
				    "'%s' (shipped: default, light, mono, "
				    "high-contrast)", name);
			}
		}
	}
	if (text != NULL)
		rc = ydoc_load_mem(text, strlen(text), name, &doc, err);
	else
		rc = ydoc_load_file(strbuf_str(&path), &doc, err);
	if (rc == WB_OK)
		rc = parse_theme(doc->root, text ? name : strbuf_str(&path), st,
		    err);
	ydoc_free(doc);
	strbuf_free(&path);
	if (rc != WB_OK)
		return rc;
	memcpy(styles, st, sizeof styles);
	snprintf(current, sizeof current, "%s", name);
	return WB_OK;
}

int
theme_colourless(void)
{
	const struct style	*a = theme_style(ROLE_SERIES0), *b;
	int			 r;

	for (r = ROLE_SERIES1; r <= ROLE_SERIES7; r++) {
		b = theme_style((enum role)r);
		if (b->fg != a->fg || b->bg != a->bg || b->attrs != a->attrs)
			return 0;
	}
	return 1;
}
