/*
 * import_json: JSON training logs, read through yamldoc (libyaml reads
 * JSON, bare NaN included, so no JSON library is needed).
 *
 *   detectron2 metrics.json   one object per line; "iteration" is the
 *                             step; a log appended to by a restarted run
 *                             repeats iterations, and both are kept
 *   HF trainer_state.json     one document; "log_history" holds train and
 *                             eval entries of different shapes, each with
 *                             "step"; top-level scalars become params
 *   Ray Tune result.json      one object per line; "training_iteration"
 *   JSON lines in general     objects with a "step", "iteration", "iter",
 *                             "global_step" or "epoch" key
 *
 * A JSON-lines log whose step goes back (detectron2 appends to the same
 * metrics.json when training is restarted) stays one run: every line is
 * kept in arrival order and the run is tagged with the restarts.
 */
#include "config.h"

#include "import.h"
#include "import_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_run.h"
#include "err.h"
#include "strbuf.h"
#include "text.h"
#include "yamldoc.h"

static const char *const step_keys[] = {
	"iteration", "training_iteration", "step", "global_step", "iter",
	"epoch", NULL
};

/*
 * A JSON string may hold \u0000, which C strings would cut short ("lo"
 * for "lo\u0000ss"): refused with its place.
 */
static int
nul_inside(struct imp *im, const struct ynode *n, unsigned line,
    struct wb_err *err)
{
	if (n->type == YNODE_SCALAR && strlen(n->value) != n->len)
		return wb_err_set(err, WB_EPARSE, "%s:%u:%u: a NUL character "
		    "(\\u0000) in a name or value", im->name,
		    line ? line : n->line, n->col);
	return WB_OK;
}

/*
 * A member's value as a metric: 1 and *v for a number, 0 for null (no
 * point, as an empty CSV cell), -1 for text and booleans (not metrics;
 * counted).  Quoted "NaN", "Infinity" and "-Infinity" are numbers, as
 * protobuf's JSON writes them; other quoted text is text ("lr": "0.1").
 */
static int
json_value(struct imp *im, const struct ynode *val, double *v)
{
	const char	*t = val->value;

	if (!val->plain)
		return strcmp(t, "NaN") == 0 || strcmp(t, "Infinity") == 0 ||
		    strcmp(t, "-Infinity") == 0 ? (text_parse_num(t, val->len,
		    v) == 0 ? 1 : -1) : -1;
	if (ynode_is_null(val))
		return 0;
	if (text_parse_num(t, val->len, v) != 0) {
		/* A JSON number longer than text_parse_num reads (a 400-digit
		 * integer) is still a number. */
		if (val->len == 0 || strspn(t, "0123456789+-.eE") != val->len)
			return -1;
		*v = strtod(t, NULL);
	}
	if (isinf(*v) || *v == 0)
		imp_range(im, t, val->len, *v);
	return 1;
}

/* Add every numeric member of obj except the step as a point; line: of
 * obj in the file for JSON lines (parsed one by one), else 0. */
static int
object_points(struct imp *im, int64_t run, const struct ynode *obj,
    const char *step_key, int64_t step, unsigned line, struct wb_err *err)
{
	size_t	i;
	double	v;
	int	rc, r;

	for (i = 0; i < obj->n; i++) {
		const struct ynode	*k = obj->items[2 * i];
		const struct ynode	*val = obj->items[2 * i + 1];
		int64_t			 key_id = 0;

		if (k == NULL || val == NULL || k->type != YNODE_SCALAR ||
		    val->type != YNODE_SCALAR || strcmp(k->value,
		    step_key) == 0)
			continue;
		if ((rc = nul_inside(im, k, line, err)) != WB_OK ||
		    (rc = nul_inside(im, val, line, err)) != WB_OK)
			return rc;
		if ((r = json_value(im, val, &v)) < 0)
			im->res->text_skipped++;
		if (r <= 0)
			continue;
		if ((rc = imp_metric(im, run, k->value, &key_id, step, 0, v,
		    err)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

/*
 * The step of obj: the first of step_keys that holds a number.  1 if none
 * does; WB_EPARSE if it is not a whole number (1.5 is not step 1: CSV
 * refuses it too).  line as for object_points.
 */
static int
step_of(struct imp *im, const struct ynode *obj, const char **key,
    int64_t *step, unsigned line, struct wb_err *err)
{
	const struct ynode	*s;
	double			 v;
	size_t			 i;

	for (i = 0; step_keys[i] != NULL; i++) {
		if ((s = ynode_get(obj, step_keys[i])) == NULL ||
		    s->type != YNODE_SCALAR ||
		    text_parse_num(s->value, s->len, &v) != 0)
			continue;
		if (!isfinite(v) || v != floor(v) || fabs(v) > 9e18)
			return wb_err_set(err, WB_EPARSE, "%s:%u:%u: %s '%.40s' "
			    "is not a whole number", im->name, line ? line :
			    s->line, s->col, step_keys[i], s->value);
		*key = step_keys[i];
		*step = (int64_t)v;
		return WB_OK;
	}
	return 1;
}

static int
hf_trainer(struct imp *im, const struct ynode *root, struct wb_err *err)
{
	const struct ynode	*hist = ynode_get(root, "log_history");
	const char		*key;
	int64_t			 run, step;
	size_t			 i;
	int			 rc;

	snprintf(im->res->format, sizeof im->res->format, "hf-trainer");
	if ((rc = imp_single_run(im, &run, err)) != WB_OK)
		return rc;
	for (i = 0; i < root->n; i++) {
		const struct ynode	*k = root->items[2 * i];
		const struct ynode	*v = root->items[2 * i + 1];

		if (k == NULL || v == NULL || v->type != YNODE_SCALAR ||
		    ynode_is_null(v) || ynode_is_unsafe(v))
			continue;
		if ((rc = nul_inside(im, k, 0, err)) != WB_OK ||
		    (rc = nul_inside(im, v, 0, err)) != WB_OK)
			return rc;
		if ((rc = imp_param(im, run, k->value, v->value, err)) != WB_OK)
			return rc;
	}
	for (i = 0; i < hist->n; i++) {
		const struct ynode *e = hist->items[i];

		if (e == NULL || e->type != YNODE_MAP)
			continue;
		if ((rc = step_of(im, e, &key, &step, 0, err)) == 1)
			return wb_err_set(err, WB_EPARSE, "%s:%u: log_history "
			    "entry without a step", im->name, e->line);
		if (rc != WB_OK)
			return rc;
		if ((rc = object_points(im, run, e, key, step, 0, err)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

/* One object per line (detectron2 and other JSON-lines logs). */
static int
json_lines(struct imp *im, const char *buf, size_t len, struct wb_err *err)
{
	struct ydoc	*doc;
	const char	*p = buf, *end = buf + len, *nl, *key;
	unsigned	 line = 0;
	int64_t		 run = 0, step, prev = 0, restarts = 0;
	int		 rc, any = 0, strict = 0;
	char		 at[128] = "";

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		line++;
		while (p < nl && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p == nl) {
			p = nl + 1;
			continue;
		}
		if (*p != '{')
			return wb_err_set(err, WB_EFORMAT, "%s:%u: expected a "
			    "JSON object per line (detectron2 metrics.json)",
			    im->name, line);
		if ((rc = ydoc_load_mem(p, (size_t)(nl - p), im->name, &doc,
		    err)) != WB_OK) {
			/* yamldoc says name:1:col; make the line right. */
			char	msg[sizeof err->msg];
			const char *col = strchr(err->msg + strlen(im->name) + 1,
			    ':');

			snprintf(msg, sizeof msg, "%s:%u%s", im->name, line,
			    col ? col : ": invalid JSON");
			return wb_err_set(err, rc, "%s", msg);
		}
		if (doc->root == NULL || doc->root->type != YNODE_MAP ||
		    (rc = step_of(im, doc->root, &key, &step, line, err)) ==
		    1) {
			ydoc_free(doc);
			return wb_err_set(err, WB_EFORMAT, "%s:%u: a log line "
			    "without an iteration or step key", im->name, line);
		}
		if (rc != WB_OK) {
			ydoc_free(doc);
			return rc;
		}
		/* detectron2 writes each iteration once (eval merged into
		 * its line), so a repeated one is a restart too. */
		if (any && (step < prev || (strict && step == prev))) {
			if (restarts++ == 0)
				snprintf(at, sizeof at, "line %u (%s %lld after "
				    "%lld)", line, key, (long long)step,
				    (long long)prev);
		}
		prev = step;
		if (!any) {
			strict = strcmp(key, "iteration") == 0;
			snprintf(im->res->format, sizeof im->res->format, "%s",
			    strict ? "detectron2" : strcmp(key,
			    "training_iteration") == 0 ? "raytune-json" :
			    "jsonl");
			if ((rc = imp_single_run(im, &run, err)) != WB_OK) {
				ydoc_free(doc);
				return rc;
			}
			any = 1;
		}
		rc = object_points(im, run, doc->root, key, step, line, err);
		ydoc_free(doc);
		if (rc != WB_OK)
			return rc;
		p = nl + 1;
	}
	if (!any)
		return wb_err_set(err, WB_EFORMAT, "%s: no log lines",
		    im->name);
	if (restarts > 0) {
		char	n[24];

		snprintf(n, sizeof n, "%lld", (long long)restarts);
		if ((rc = db_tag_set(im->db, run, "mlwb.restarts", n, err)) !=
		    WB_OK || (rc = db_tag_set(im->db, run, "mlwb.restart_at",
		    at, err)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

int
imp_json(struct imp *im, const char *buf, size_t len, struct wb_err *err)
{
	struct ydoc		*doc;
	const struct ynode	*h;
	const char		*nl;
	int			 rc;

	/* A whole document (trainer_state.json) spans lines; JSON lines do
	 * not, so a first line that is a complete object means JSON lines. */
	nl = memchr(buf, '\n', len);
	if (nl != NULL && (size_t)(nl - buf) + 1 < len) {
		struct ydoc	*first;
		struct wb_err	 e2;

		if (ydoc_load_mem(buf, (size_t)(nl - buf), im->name, &first,
		    &e2) == WB_OK) {
			int lines = first->root != NULL &&
			    first->root->type == YNODE_MAP;

			ydoc_free(first);
			if (lines)
				return json_lines(im, buf, len, err);
		}
	}
	if ((rc = ydoc_load_mem(buf, len, im->name, &doc, err)) != WB_OK)
		return rc;
	if (doc->root != NULL && doc->root->type == YNODE_MAP &&
	    (h = ynode_get(doc->root, "log_history")) != NULL &&
	    h->type == YNODE_SEQ) {
		rc = hf_trainer(im, doc->root, err);
		ydoc_free(doc);
		return rc;
	}
	ydoc_free(doc);
	/* One object on one line, with or without its newline. */
	if (nl == NULL || (size_t)(nl - buf) + 1 == len)
		return json_lines(im, buf, len, err);
	return wb_err_set(err, WB_EFORMAT, "%s: a JSON file but not a "
	    "training log mlwb knows (detectron2 metrics.json, Hugging Face "
	    "trainer_state.json, or JSON lines with a step); nothing "
	    "imported", im->name);
}
