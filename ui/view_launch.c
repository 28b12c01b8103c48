/*
 * view_launch: the launch form.  Pick an entry point of mlwb.yaml, edit
 * its parameters (defaults filled, or the values of the entry point's
 * last run; h/l cycle choices; every value checked against its type and
 * choices as it is typed), launch.  The project is the one found from the
 * current folder up, else from the workspace's folder up, else the
 * demo's (DB.files/example-project).  A launch returns once the
 * supervisor process is on its own.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "xmem.h"
#include "db.h"
#include "db_jobs.h"
#include "db_run.h"
#include "db_metric.h"
#include "draw.h"
#include "err.h"
#include "list.h"
#include "launch.h"
#include "project.h"
#include "scalars.h"
#include "strbuf.h"
#include "text.h"
#include "jobs_common.h"
#include "view.h"

#define LOG_MAX_LINES	20000	/* lines kept by the follower */
#define LOG_READ_MAX	(4 << 20)	/* bytes read per reload */
#define SPARK_N		32
#define SPARK_METRICS	4

/* launch: the form ------------------------------------------------------ */

enum { FORM_ENTRIES, FORM_PARAMS };

struct form {
	struct project			*p;
	char				*load_err;
	int				 stage;
	struct list			 l;	/* cursor, scroll */
	const struct project_entry	*e;
	char				**vals;		/* one per parameter */
	char				*experiment;
	char				*name;
	int				 editing;	/* row being edited */
	char				 title[160];
};

/* Rows of the parameter stage: params, experiment, name, [launch]. */
static int
form_rows(const struct form *s)
{
	return s->stage == FORM_ENTRIES ? (int)(s->p ? s->p->nentries : 0) :
	    (int)s->e->nparams + 3;
}

static void
form_vals_free(struct form *s)
{
	size_t	i;

	if (s->vals != NULL && s->e != NULL)
		for (i = 0; i < s->e->nparams; i++)
			free(s->vals[i]);
	free(s->vals);
	s->vals = NULL;
	free(s->experiment);
	free(s->name);
	s->experiment = s->name = NULL;
}

/*
 * The form remembers: values of the last run launched from entry point
 * e (the newest job for it, its params and experiment), where they
 * still fit the parameter; the project's defaults otherwise.
 */
static void
form_remember(struct form *s, struct db *db)
{
	struct job	*jobs;
	struct kv	*kv;
	struct wb_err	 err;
	size_t		 nj, nkv, i, j, k;

	if (db_job_list(db, 200, &jobs, &nj, &err) != WB_OK)
		return;
	for (j = 0; j < nj; j++)
		if (jobs[j].entry != NULL && strcmp(jobs[j].entry,
		    s->e->name) == 0)
			break;
	if (j < nj && db_params_get(db, jobs[j].run_id, &kv, &nkv, &err) ==
	    WB_OK) {
		for (i = 0; i < s->e->nparams; i++)
			for (k = 0; k < nkv; k++)
				if (kv[k].value != NULL && strcmp(kv[k].key,
				    s->e->params[i].name) == 0 &&
				    project_param_check(&s->e->params[i],
				    kv[k].value, &err) == WB_OK) {
					free(s->vals[i]);
					s->vals[i] = xstrdup(kv[k].value);
				}
		kv_free(kv, nkv);
		if (jobs[j].experiment != NULL) {
			free(s->experiment);
			s->experiment = xstrdup(jobs[j].experiment);
		}
	}
	jobs_free(jobs, nj);
}

static void
form_pick(struct form *s, const struct project_entry *e, struct db *db)
{
	size_t	i;

	form_vals_free(s);
	s->e = e;
	s->vals = xcalloc(e->nparams + 1, sizeof *s->vals);
	for (i = 0; i < e->nparams; i++)
		s->vals[i] = xstrdup(e->params[i].def ? e->params[i].def : "");
	s->experiment = xstrdup(e->experiment ? e->experiment : "Default");
	s->name = xstrdup("");
	s->stage = FORM_PARAMS;
	s->l.cursor = s->l.top = 0;
	form_remember(s, db);
}

/* h/l on a parameter with choices (or a bool): the previous/next one. */
static int
form_cycle(struct form *s, int dir)
{
	static const char *const bools[] = { "false", "true", NULL };
	const struct project_param	*p;
	const char *const		*c;
	size_t				 n, i;

	if (s->stage != FORM_PARAMS || s->l.cursor >= (int)s->e->nparams)
		return 0;
	p = &s->e->params[s->l.cursor];
	c = p->choices != NULL ? (const char *const *)p->choices :
	    p->type == PARAM_BOOL ? bools : NULL;
	if (c == NULL)
		return 0;
	for (n = 0; c[n] != NULL; n++)
		;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(c[i], s->vals[s->l.cursor]) == 0)
			break;
	i = i == n ? 0 : (i + (dir > 0 ? 1 : n - 1)) % n;
	free(s->vals[s->l.cursor]);
	s->vals[s->l.cursor] = xstrdup(c[i]);
	return 1;
}

/* The project: from the current folder up, else the workspace's. */
static int
form_load(struct view *v, struct db *db, struct wb_err *err)
{
	struct form	*s = v->state;
	struct wb_err	 e;
	char		*path = NULL, *dir, *slash;
	int		 rc;

	(void)err;
	if (s->p != NULL || s->load_err != NULL)
		return WB_OK;
	if (project_find(".", &path, &e) != WB_OK) {
		dir = xstrdup(db_path(db));
		if ((slash = strrchr(dir, '/')) != NULL)
			*slash = '\0';
		else
			strcpy(dir, ".");
		rc = project_find(dir, &path, NULL);
		free(dir);
		if (rc != WB_OK) {
			/* `mlwb demo` writes one beside the workspace. */
			path = xasprintf("%s.files/example-project/mlwb.yaml",
			    db_path(db));
			if (access(path, R_OK) != 0) {
				free(path);
				s->load_err = xstrdup(e.msg);
				return WB_OK;
			}
		}
	}
	rc = project_load(path, &s->p, &e);
	free(path);
	if (rc != WB_OK) {
		s->load_err = xstrdup(e.msg);
		return WB_OK;
	}
	if (s->p->nentries == 1)
		form_pick(s, &s->p->entries[0], db);
	return WB_OK;
}

static void
form_draw(struct view *v, struct draw_ctx *dc)
{
	struct form	*s = v->state;
	struct strbuf	 sb = STRBUF_INIT;
	int		 w = draw_width(dc), h = draw_height(dc), y, i, n, x;
	enum role	 r;

	if (s->load_err != NULL) {
		draw_text(dc, 1, 2, -1, ROLE_ERROR, s->load_err);
		draw_text(dc, 3, 2, -1, ROLE_DIM, "A project file mlwb.yaml "
		    "(in this folder, a folder above, or the workspace's)");
		draw_text(dc, 4, 2, -1, ROLE_DIM, "lists the entry points; "
		    "see doc/launch.md.");
		return;
	}
	if (s->p == NULL)
		return;
	n = form_rows(s);
	s->l.n = n;
	list_scroll(&s->l, h - 2);
	draw_fill(dc, 0, 0, w, ROLE_HEADER);
	if (s->stage == FORM_ENTRIES) {
		draw_text(dc, 0, 2, 16, ROLE_HEADER, "entry point");
		draw_text(dc, 0, 19, w - 19, ROLE_HEADER, "command");
		for (y = 1, i = s->l.top; y < h && i < n; y++, i++) {
			const struct project_entry *e = &s->p->entries[i];

			r = i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;
			if (r == ROLE_SELECTED) {
				draw_fill(dc, y, 0, w, r);
				draw_text(dc, y, 0, 1, r, ">");
			}
			draw_text(dc, y, 2, 16, r, e->name);
			strbuf_reset(&sb);
			if (e->shell)
				strbuf_adds(&sb, "sh -c ");
			project_join(&sb, e->argv);
			draw_text(dc, y, 19, w - 19, r, strbuf_str(&sb));
		}
		strbuf_free(&sb);
		return;
	}
	draw_text(dc, 0, 2, 16, ROLE_HEADER, "parameter");
	draw_text(dc, 0, 19, 7, ROLE_HEADER, "type");
	draw_text(dc, 0, 27, w - 27, ROLE_HEADER, "value");
	for (y = 1, i = s->l.top; y < h && i < n; y++, i++) {
		const char	*label, *type = "", *val, *note = NULL;
		int		 np = (int)s->e->nparams;

		r = i == s->l.cursor ? ROLE_SELECTED : ROLE_NORMAL;
		if (r == ROLE_SELECTED) {
			draw_fill(dc, y, 0, w, r);
			draw_text(dc, y, 0, 1, r, ">");
		}
		if (i < np) {
			const struct project_param *p = &s->e->params[i];

			label = p->name;
			type = project_type_name(p->type);
			val = s->vals[i];
			if (*val == '\0' && p->def == NULL)
				note = "(required)";
			else if (p->choices != NULL) {
				size_t k;

				strbuf_reset(&sb);
				strbuf_adds(&sb, "one of:");
				for (k = 0; p->choices[k] != NULL; k++)
					strbuf_addf(&sb, " %s", p->choices[k]);
				note = strbuf_str(&sb);
			}
		} else if (i == np) {
			label = "experiment";
			val = s->experiment;
		} else if (i == np + 1) {
			label = "run name";
			val = s->name;
			if (*val == '\0')
				note = "(automatic)";
		} else {
			draw_printf(dc, y, 2, w - 2, r == ROLE_NORMAL ?
			    ROLE_BOLD : r, "[ launch %s ]", s->e->name);
			continue;
		}
		draw_text(dc, y, 2, 16, r, label);
		draw_text(dc, y, 19, 7, r == ROLE_NORMAL ? ROLE_DIM : r, type);
		x = 27 + draw_text(dc, y, 27, w - 27, r, val);
		if (note != NULL)
			draw_text(dc, y, x + 2, w - x - 2, r == ROLE_NORMAL ?
			    ROLE_DIM : r, note);
	}
	strbuf_free(&sb);
}

static void
form_edit_done(struct view *v, struct app *app, const char *text)
{
	struct form	*s = v->state;
	struct wb_err	 err;
	int		 np = (int)s->e->nparams;

	if (text == NULL)
		return;
	if (s->editing < np) {
		/* Checked as typed: a wrong value never reaches a launch. */
		if (project_param_check(&s->e->params[s->editing], text,
		    &err) != WB_OK) {
			app_error(app, "%s", err.msg);
			return;
		}
		free(s->vals[s->editing]);
		s->vals[s->editing] = xstrdup(text);
	} else if (s->editing == np) {
		if (*text == '\0') {
			app_error(app, "the experiment needs a name");
			return;
		}
		free(s->experiment);
		s->experiment = xstrdup(text);
	} else {
		free(s->name);
		s->name = xstrdup(text);
	}
	app_message(app, "%s", "Enter on [ launch ] (or r) starts it");
}

static void
form_launch(struct view *v, struct app *app)
{
	struct form		*s = v->state;
	struct launch_opts	 o;
	struct launch_info	 li;
	struct wb_err		 err;
	char			**sets;
	size_t			 i, n = 0;

	sets = xcalloc(s->e->nparams + 1, sizeof *sets);
	for (i = 0; i < s->e->nparams; i++) {
		/* An empty required value is left out: launch says so. */
		if (*s->vals[i] == '\0' && s->e->params[i].def == NULL)
			continue;
		sets[n] = xasprintf("%s=%s", s->e->params[i].name,
		    s->vals[i]);
		n++;
	}
	memset(&o, 0, sizeof o);
	o.supervisor = cli_supervisor_cmd();
	o.entry = s->e->name;
	o.sets = sets;
	o.nsets = n;
	o.experiment = s->experiment;
	o.name = *s->name ? s->name : NULL;
	if (launch_start(app_db(app), s->p, &o, &li, &err) != WB_OK)
		app_error(app, "%s", err.msg);
	else {
		app_message(app, "run %.8s (%s) %s: o follows its output",
		    li.run_uuid, li.run_name, li.queued ? "queued" :
		    "started");
		launch_info_clear(&li);
		app_changed(app);
		app_pop(app);
	}
	for (i = 0; i < n; i++)
		free(sets[i]);
	free(sets);
}

static enum action
form_handle(struct view *v, struct app *app, enum action a)
{
	struct form	*s = v->state;
	char		 label[96];
	int		 n = s->p ? form_rows(s) : 0, np;

	s->l.n = n;
	if (list_move(&s->l, a, list_page(v->rows)))
		return ACT_NONE;
	switch (a) {
	case ACT_BACK:
		if (s->stage == FORM_PARAMS && s->p->nentries > 1) {
			s->stage = FORM_ENTRIES;
			s->l.cursor = (int)(s->e - s->p->entries);
			return ACT_NONE;
		}
		return a;
	case ACT_LEFT:
	case ACT_RIGHT:
		if (!form_cycle(s, a == ACT_RIGHT ? 1 : -1))
			app_message(app, "h/l cycle the choices of a parameter "
			    "that has them; Enter edits");
		return ACT_NONE;
	case ACT_LAUNCH:
		if (s->stage == FORM_PARAMS)
			form_launch(v, app);
		else if (n > 0)
			form_pick(s, &s->p->entries[s->l.cursor],
			    app_db(app));
		return ACT_NONE;
	case ACT_ENTER:
		if (s->p == NULL || n == 0)
			return ACT_NONE;
		if (s->stage == FORM_ENTRIES) {
			form_pick(s, &s->p->entries[s->l.cursor],
			    app_db(app));
			return ACT_NONE;
		}
		np = (int)s->e->nparams;
		if (s->l.cursor == np + 2) {
			form_launch(v, app);
			return ACT_NONE;
		}
		s->editing = s->l.cursor;
		if (s->l.cursor < np) {
			snprintf(label, sizeof label, "%.40s (%s): ",
			    s->e->params[s->l.cursor].name, project_type_name(
			    s->e->params[s->l.cursor].type));
			app_prompt(app, label, s->vals[s->l.cursor], "param",
			    form_edit_done);
		} else
			app_prompt(app, s->l.cursor == np ? "experiment: " :
			    "run name: ", s->l.cursor == np ? s->experiment :
			    s->name, "param", form_edit_done);
		return ACT_NONE;
	default:
		return a;
	}
}

static const char *
form_title(struct view *v)
{
	struct form	*s = v->state;

	if (s->p == NULL)
		return "launch";
	if (s->stage == FORM_ENTRIES)
		snprintf(s->title, sizeof s->title, "launch: entry points of "
		    "%.120s", s->p->path);
	else
		snprintf(s->title, sizeof s->title, "launch %.60s",
		    s->e->name);
	return s->title;
}

static void
form_free(struct view *v)
{
	struct form	*s = v->state;

	form_vals_free(s);
	project_free(s->p);
	free(s->load_err);
	free(s);
}

/* Choosing an entry point: no values to cycle yet. */
static int
form_avail(struct view *v, enum action a)
{
	struct form	*s = v->state;

	return s->stage == FORM_PARAMS || (a != ACT_LEFT && a != ACT_RIGHT);
}

static const struct view_key form_keys[] = {
	{ ACT_ENTER, "edit" }, { ACT_RIGHT, "next choice" },
	{ ACT_LAUNCH, "launch" }, { ACT_LEFT, NULL }, { ACT_UP, NULL },
	{ ACT_DOWN, NULL }, { ACT_FIRST, NULL }, { ACT_LAST, NULL },
	{ ACT_NONE, NULL }
};

static const struct view_ops form_ops = {
	.keys = form_keys,
	.avail = form_avail,
	.name = "launch",
	.load = form_load,
	.draw = form_draw,
	.handle = form_handle,
	.free = form_free,
	.title = form_title,
};

struct view *
view_launch_new(struct app *app)
{
	(void)app;
	return view_new(&form_ops, xcalloc(1, sizeof(struct form)));
}
