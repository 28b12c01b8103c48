/*
 * view_registry: screen 4, the models of the registry with their aliases
 * and versions; Enter opens one (view_model.c).  s/S sort by name,
 * versions or creation; / keeps the models whose name, aliases or
 * description hold the text (both through the list layer).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmem.h"
#include "db.h"
#include "db_metric.h"
#include "db_registry.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "mem.h"
#include "project.h"
#include "registry.h"
#include "text.h"
#include "view.h"

/* The models list ------------------------------------------------------- */

struct models {
	struct reg_model	*rows;
	size_t			 n;
	struct list		 l;		/* cursor, scroll, sort, filter */
	char			 title[160];
};

static int
models_cmp(const void *pa, const void *pb, int key)
{
	const struct reg_model	*a = pa, *b = pb;

	switch (key) {
	case 1:
		return (a->nversions > b->nversions) -
		    (a->nversions < b->nversions);
	case 2:
		return (a->created_at > b->created_at) -
		    (a->created_at < b->created_at);
	default:
		return strcmp(a->name, b->name);
	}
}

static int
models_match(const void *row, const char *filter)
{
	const struct reg_model	*m = row;
	const char		*f[] = { m->name, m->aliases, m->description };

	return list_match_any(f, sizeof f / sizeof f[0], filter);
}

static void
models_drop(void *row)
{
	struct reg_model	*m = row;

	free(m->name);
	free(m->description);
	free(m->aliases);
}

static const char *const models_sort_keys[] = { "name", "versions",
    "created", NULL };
static const struct list_sort models_sort = { models_sort_keys, models_cmp,
    models_match, models_drop, "model-filter" };

static int
models_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct models		*s = v->state;
	struct reg_model	*rows;
	size_t			 n, i;
	int64_t			 keep = s->rows && s->l.cursor < (int)s->n ?
	    s->rows[s->l.cursor].id : 0;
	int			 rc;

	if ((rc = db_reg_model_list(db, &rows, &n, err)) != WB_OK)
		return rc;
	n = list_order(&s->l, rows, n, sizeof *rows);
	reg_models_free(s->rows, s->n);
	s->rows = rows;
	s->n = n;
	s->l.n = (int64_t)n;
	for (i = 0; i < n; i++)
		if (rows[i].id == keep)
			s->l.cursor = (int)i;
	if (s->l.cursor >= (int)n)
		s->l.cursor = n ? (int)n - 1 : 0;
	return WB_OK;
}

/* Columns, laid out by the list layer; created from 120 columns. */
enum { MC_NAME, MC_VERSIONS, MC_ALIASES, MC_CREATED, MC_DESC, MC_N };
static const struct list_col models_cols[MC_N] = {
	[MC_NAME] = { 16, 40, 0, 0 },
	[MC_VERSIONS] = { 8, 0, 1, 0 },
	[MC_ALIASES] = { 20, 48, 0, 0 },
	[MC_CREATED] = { 16, 0, 0, 0 },
	[MC_DESC] = { 11, 400, 0, 0 },
};
static const char *const models_heads[MC_N] = { "model", "versions",
    "aliases", "created", "description" };

static void
models_draw(struct view *v, struct draw_ctx *dc)
{
	struct models	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y, c;
	int		 wd[MC_N], x[MC_N], lw[MC_N];
	struct list_col	 cols[MC_N];
	size_t		 i;
	char		 b[32], t[32];
	const char	*cell[MC_N];

	list_scroll(&s->l, h - 1);
	/* Names and aliases grow no wider than the longest in hand. */
	memcpy(cols, models_cols, sizeof cols);
	lw[MC_NAME] = cols[MC_NAME].min;
	lw[MC_ALIASES] = cols[MC_ALIASES].min;
	for (i = 0; i < s->n; i++) {
		if ((int)text_width(s->rows[i].name) > lw[MC_NAME])
			lw[MC_NAME] = (int)text_width(s->rows[i].name);
		if (s->rows[i].aliases != NULL &&
		    (int)text_width(s->rows[i].aliases) > lw[MC_ALIASES])
			lw[MC_ALIASES] = (int)text_width(s->rows[i].aliases);
	}
	if (lw[MC_NAME] < cols[MC_NAME].max)
		cols[MC_NAME].max = lw[MC_NAME];
	/* Aliases are never cut where they fit whole: a cut badge lies. */
	if (lw[MC_ALIASES] < cols[MC_ALIASES].max)
		cols[MC_ALIASES].max = lw[MC_ALIASES];
	cols[MC_ALIASES].min = cols[MC_ALIASES].max;
	if (w < 120)
		cols[MC_CREATED].min = 0;
	list_layout(cols, MC_N, w - 2, wd);
	if (wd[MC_ALIASES] == 0) {	/* too narrow for them whole: cut */
		cols[MC_ALIASES].min = models_cols[MC_ALIASES].min;
		list_layout(cols, MC_N, w - 2, wd);
	}
	for (c = 0; c < MC_N; c++)
		x[c] = list_col_x(wd, c, 2);
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	list_header(dc, 0, 2, cols, wd, MC_N, models_heads);
	if (s->n == 0 && s->l.filter != NULL)
		draw_text(dc, 2, 2, -1, ROLE_DIM, "no model matches the "
		    "filter (Esc clears it)");
	else if (s->n == 0)
		draw_text(dc, 2, 2, -1, ROLE_DIM, "no models yet: mlwb model "
		    "create NAME, then mlwb model register NAME --run RUN");
	for (y = 1, i = (size_t)s->l.top; y < h && i < s->n; y++, i++) {
		const struct reg_model *m = &s->rows[i];
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;

		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 1, 1, r, ">");
		}
		snprintf(b, sizeof b, "%lld", (long long)m->nversions);
		text_time(t, m->created_at);
		t[16] = '\0';
		cell[MC_NAME] = m->name;
		cell[MC_VERSIONS] = b;
		cell[MC_ALIASES] = m->aliases;
		cell[MC_CREATED] = t;
		cell[MC_DESC] = m->description;
		for (c = 0; c < MC_N; c++)
			list_cell(dc, y, x[c], wd[c], r != ROLE_NORMAL ? r :
			    c == MC_ALIASES ? ROLE_BADGE : c == MC_DESC ?
			    ROLE_DIM : r, &cols[c], cell[c]);
	}
}

static enum action
models_handle(struct view *v, struct app *app, enum action a)
{
	struct models	*s = v->state;

	if (list_handle(&s->l, v, app, a))
		return ACT_NONE;
	switch (a) {
	case ACT_ENTER:
	case ACT_RIGHT:
		if (s->n > 0)
			app_push(app, view_model_new(app,
			    s->rows[s->l.cursor].id, s->rows[s->l.cursor].name));
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
models_title(struct view *v)
{
	struct models	*s = v->state;
	char		 f[120];

	snprintf(s->title, sizeof s->title, "models  %zu%s", s->n,
	    list_filter_title(&s->l, f, sizeof f));
	return s->title;
}

static void
models_free(struct view *v)
{
	struct models	*s = v->state;

	reg_models_free(s->rows, s->n);
	list_free(&s->l);
	free(s);
}

static void
models_click(struct view *v, struct app *app, int y, int x)
{
	struct models	*s = v->state;

	(void)app;
	(void)x;
	list_click(&s->l, y);
}

static int
models_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct models	*s = v->state;

	*cur = s->l.cursor;
	*n = (int64_t)s->n;
	return 1;
}

static const struct view_key models_keys[] = {
	{ ACT_ENTER, "versions" }, { ACT_FILTER, "filter" },
	{ ACT_SORT_ASC, "sort" }, { ACT_SORT_DESC, "reverse" },
	{ ACT_RIGHT, NULL },
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops models_ops = {
	.keys = models_keys,
	.position = models_position,
	.name = "registry",
	.load = models_load,
	.draw = models_draw,
	.handle = models_handle,
	.free = models_free,
	.title = models_title,
	.click = models_click,
};

struct view *
view_registry_new(struct app *app)
{
	struct models	*s = xcalloc(1, sizeof *s);

	(void)app;
	s->l.so = &models_sort;
	return view_new(&models_ops, s);
}

