/*
 * view_text: a text artifact of a run in a pager: its bytes read from the
 * artifact store (checked against their sha256), split into lines and
 * drawn through draw_text, which sanitises what a terminal would act on.
 * A file with NUL bytes is not shown as text: the screen says so, and how
 * to write it out.  Scrolls; nothing else.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmem.h"
#include "artifact.h"
#include "db.h"
#include "db_artifact.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "mem.h"
#include "view.h"

#define TEXT_MAX	(8 << 20)	/* bytes shown at most */

struct textv {
	int64_t		 run_id;
	char		*name;
	char		 title[200];
	char		**lines;
	size_t		 n;
	struct list	 l;
};

static void
clear_lines(struct textv *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	s->n = 0;
}

static void
add(struct textv *s, const char *p, size_t len)
{
	s->lines = xreallocarray(s->lines, s->n + 1, sizeof *s->lines);
	s->lines[s->n] = xmalloc(len + 1);
	memcpy(s->lines[s->n], p, len);
	s->lines[s->n][len] = '\0';
	s->n++;
}

static int
text_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct textv	*s = v->state;
	struct artifact	 a;
	char		*root = NULL, *buf = NULL, label[160], msg[300];
	const char	*p, *nl;
	size_t		 len;
	int		 rc;

	if ((rc = db_artifact_get(db, s->run_id, s->name, &a, err)) != WB_OK)
		return rc;
	snprintf(label, sizeof label, "artifact '%s'", a.name);
	if (strcmp(a.kind, "file") != 0)
		rc = wb_err_set(err, WB_EINVAL, "%s is a folder of %lld files:"
		    " mlwb artifacts get writes it out", label,
		    (long long)a.n_files);
	else if ((rc = art_root(db, &root, err)) == WB_OK)
		rc = art_read(root, a.sha256, TEXT_MAX, &buf, &len, label,
		    err);
	snprintf(s->title, sizeof s->title, "%s  %lld bytes  sha256 %.12s",
	    a.name, (long long)a.size, a.sha256);
	artifact_clear(&a);
	wb_free(root);
	if (rc != WB_OK)
		return rc;
	clear_lines(s);
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(msg, sizeof msg, "(not text: %zu bytes; mlwb artifacts"
		    " get writes it out)", len);
		add(s, msg, strlen(msg));
	} else
		for (p = buf; p < buf + len; p = nl + 1) {
			if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) ==
			    NULL)
				nl = buf + len;
			add(s, p, (size_t)(nl - p));
		}
	wb_free(buf);
	if (s->l.cursor >= (int)s->n)
		s->l.cursor = s->n ? (int)s->n - 1 : 0;
	return WB_OK;
}

static void
text_draw(struct view *v, struct draw_ctx *dc)
{
	struct textv	*s = v->state;
	int		 w = draw_width(dc), h = draw_height(dc), y;
	size_t		 i;

	s->l.n = (int64_t)s->n;
	list_scroll(&s->l, h);
	for (y = 0, i = (size_t)s->l.top; y < h && i < s->n; y++, i++) {
		enum role r = (int)i == s->l.cursor ? ROLE_SELECTED :
		    ROLE_NORMAL;

		if (r == ROLE_SELECTED)
			draw_fill(dc, y, 0, w, r);
		draw_text(dc, y, 1, w - 1, r, s->lines[i]);
	}
}

static enum action
text_handle(struct view *v, struct app *app, enum action a)
{
	struct textv	*s = v->state;

	(void)app;
	s->l.n = (int64_t)s->n;
	if (list_move(&s->l, a, list_page(v->rows)))
		return ACT_NONE;
	return a;
}

static const char *
text_title(struct view *v)
{
	return ((struct textv *)v->state)->title;
}

static const char *
text_crumb(struct view *v)
{
	return ((struct textv *)v->state)->name;
}

static int
text_position(struct view *v, int64_t *cur, int64_t *n)
{
	struct textv	*s = v->state;

	*cur = s->l.cursor;
	*n = (int64_t)s->n;
	return 1;
}

static void
text_free(struct view *v)
{
	struct textv	*s = v->state;

	clear_lines(s);
	free(s->name);
	free(s);
}

static const struct view_key text_keys[] = {
	{ ACT_UP, NULL }, { ACT_DOWN, NULL }, { ACT_PAGE_UP, NULL },
	{ ACT_PAGE_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops text_ops = {
	.keys = text_keys,
	.crumb = text_crumb,
	.position = text_position,
	.name = "artifact",
	.load = text_load,
	.draw = text_draw,
	.handle = text_handle,
	.free = text_free,
	.title = text_title,
};

struct view *
view_text_new(struct app *app, int64_t run_id, const char *name)
{
	struct textv	*s = xcalloc(1, sizeof *s);

	(void)app;
	s->run_id = run_id;
	s->name = xstrdup(name);
	snprintf(s->title, sizeof s->title, "%s", name);
	return view_new(&text_ops, s);
}
