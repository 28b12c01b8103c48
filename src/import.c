/*
 * import: training logs (CSV here, JSON in import_json.c) into runs.
 *
 * Every CSV format is reduced to the same thing: a role for each column
 * (the step, a metric, a param, a tag, the run's id, name, status or
 * times ...) and whether the file holds one run or one run per row.  One
 * loop then streams the rows through the metric writer, so memory stays
 * flat whatever the file's length.  Detection and roles are in the table
 * of formats (import_detect.c); doc/formats.md describes them for users.
 */
#include "config.h"

#include "import.h"
#include "import_int.h"

#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "csvread.h"
#include "db.h"
#include "db_life.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "pyrepr.h"
#include "strbuf.h"
#include "text.h"
#include "yamldoc.h"

static int
ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* Times ------------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t
imp_parse_time(const char *s)
{
	int	y, mo, d, h = 0, mi = 0, n = 0;
	double	sec = 0, v;
	char	*end;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return 0;
	/* A bare number: seconds or milliseconds since the epoch. */
	v = strtod(s, &end);
	if (end != s && *end == '\0') {
		if (!isfinite(v) || v > 1e15)	/* past year 33000 */
			return 0;
		if (v > 1e11)
			return (int64_t)v;
		if (v > 1e8)
			return (int64_t)llround(v * 1000);
		return 0;
	}
	/* 2024-08-04 14:28:29.123+00:00, 2024-08-04T14:28:29Z, 2024-03-27 22-30 */
	if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[3]) &&
	    s[4] == '-' && sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3) {
		s += n;
		if (*s == ' ' || *s == 'T') {
			if (sscanf(s + 1, "%2d:%2d:%lf", &h, &mi, &sec) < 2 &&
			    sscanf(s + 1, "%2d-%2d", &h, &mi) < 2)
				h = mi = 0, sec = 0;
		}
	} else if (sscanf(s, "%2d-%2d-%4d %2d:%2d", &d, &mo, &y, &h, &mi) >= 3
	    || sscanf(s, "%2d/%2d/%4d %2d:%2d", &d, &mo, &y, &h, &mi) >= 3) {
		/* dd-mm-yyyy, as Excel writes MLflow's export in Europe. */
	} else
		return 0;
	if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h < 0 || h > 24 ||
	    mi < 0 || mi > 59 || sec < 0 || sec >= 61)
		return 0;
	return (days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60) * 1000 + (int64_t)llround(sec * 1000);
}

/* Common run bookkeeping ------------------------------------------------- */

const char *
imp_status(const char *s)
{
	static const struct {
		const char	*in, *out;
	} map[] = {
		{ "FINISHED", "finished" }, { "COMPLETE", "finished" },
		{ "FAILED", "failed" }, { "FAIL", "failed" },
		{ "RUNNING", "running" }, { "KILLED", "killed" },
		{ "CRASHED", "failed" },
		{ "SCHEDULED", "scheduled" }, { "PRUNED", "pruned" },
		{ "WAITING", "queued" }, { NULL, NULL }
	};
	size_t	i;

	for (i = 0; map[i].in != NULL; i++)
		if (ieq(s, map[i].in))
			return map[i].out;
	return "finished";
}

static int
is_uuid32(const char *s)
{
	size_t	i;

	for (i = 0; i < 32; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return s[32] == '\0';
}

int
imp_run_new(struct imp *im, const char *name, const char *uuid,
    const char *status, int64_t start, int64_t end, int64_t *run_id,
    struct wb_err *err)
{
	struct run_new	r;
	int		rc;

	memset(&r, 0, sizeof r);
	if (uuid != NULL && is_uuid32(uuid)) {
		size_t i;

		for (i = 0; i < 32; i++)
			r.uuid[i] = (char)tolower((unsigned char)uuid[i]);
		r.uuid[32] = '\0';
		if (imp_uuid_known(im, r.uuid)) {
			im->skipped_runs++;
			*run_id = 0;
			return WB_OK;
		}
	}
	r.experiment_id = im->exp_id;
	r.name = name;
	r.status = status ? status : "finished";
	r.source = im->path_abs;
	r.git_dirty = -1;
	r.started_at = start;
	r.ended_at = end;
	r.import_id = im->import_id;
	r.parent_id = im->sweep_parent;
	if ((rc = db_run_insert(im->db, &r, run_id, err)) != WB_OK)
		return rc;
	im->res->runs++;
	return WB_OK;
}

/* Is f a sweep whose rows nest under one parent run? */
static int
is_sweep(const struct csvfmt *f)
{
	return f->format != NULL && (strcmp(f->format, "optuna") == 0 ||
	    strcmp(f->format, "sklearn") == 0);
}

/*
 * The parent run of a sweep's rows: named after the study or search
 * (--run NAME, else the file's name without its extension), tagged
 * mlwb.sweep = the format.  It is a container: not counted as a run of
 * the import; its times are its children's (sweep_times).
 */
static int
sweep_parent(struct imp *im, const struct csvfmt *f, struct wb_err *err)
{
	const char	*base, *slash, *dot;
	char		*name;
	int64_t		 id;
	int		 rc;

	/* The whole name: --name or the file's base name, never cut. */
	if (im->run_name != NULL && im->run_name[0] != '\0')
		name = wb_strdup(im->run_name);
	else {
		base = im->name;
		if ((slash = strrchr(base, '/')) != NULL)
			base = slash + 1;
		dot = strrchr(base, '.');
		name = wb_strndup(base, dot != NULL && dot > base ?
		    (size_t)(dot - base) : strlen(base));
	}
	if (name == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	rc = imp_run_new(im, name, NULL, "finished", 0, 0, &id, err);
	wb_free(name);
	if (rc != WB_OK)
		return rc;
	im->res->runs--;
	if ((rc = db_tag_set(im->db, id, "mlwb.sweep", f->format, err)) !=
	    WB_OK)
		return rc;
	im->sweep_parent = id;
	return WB_OK;
}



int
imp_metric(struct imp *im, int64_t run, const char *key, int64_t *key_id,
    int64_t step, int64_t ts, double v, struct wb_err *err)
{
	int	rc;

	if (*key_id == 0) {
		if ((rc = mw_key(im->mw, key, key_id, err)) != WB_OK)
			return rc;
		if (imp_key_seen(im, *key_id))
			im->res->metrics++;
	}
	im->res->points++;
	return mw_add(im->mw, run, *key_id, step, ts, v, err);
}

/* Slot of key_id in an open-addressing set of cap slots (0: empty). */
static size_t
key_slot(const int64_t *keys, size_t cap, int64_t key_id)
{
	size_t	i = (size_t)((uint64_t)key_id * 0x9e3779b97f4a7c15ULL >> 32) &
	    (cap - 1);

	while (keys[i] != 0 && keys[i] != key_id)
		i = (i + 1) & (cap - 1);
	return i;
}

/*
 * Whether key_id is new to this import (and remember it).  A hash set:
 * a file with 100,000 metric columns asks 100,000 times.
 */
int
imp_key_seen(struct imp *im, int64_t key_id)
{
	int64_t	*nk;
	size_t	 i, cap;

	if (im->keycap > 0 && im->keys[key_slot(im->keys, im->keycap,
	    key_id)] == key_id)
		return 0;
	if (2 * (im->nkeys + 1) > im->keycap) {
		cap = im->keycap ? im->keycap * 2 : 64;
		if ((nk = wb_calloc(cap, sizeof *nk)) == NULL)
			return 0;
		for (i = 0; i < im->keycap; i++)
			if (im->keys[i] != 0)
				nk[key_slot(nk, cap, im->keys[i])] =
				    im->keys[i];
		wb_free(im->keys);
		im->keys = nk;
		im->keycap = cap;
	}
	im->keys[key_slot(im->keys, im->keycap, key_id)] = key_id;
	im->nkeys++;
	return 1;
}

int
imp_param(struct imp *im, int64_t run, const char *key, const char *value,
    struct wb_err *err)
{
	im->res->params++;
	return db_param_set(im->db, run, key, value, err);
}

/*
 * Params from a YAML file beside the log (Lightning hparams.yaml, YOLO
 * args.yaml / opt.yaml): scalars, nested maps flattened with dots.  Tags
 * such as !!python/object are never constructed: those values are skipped
 * and counted for the warning.
 */
static int
yaml_params(struct imp *im, int64_t run, const struct ynode *n,
    const char *prefix, int depth, struct wb_err *err)
{
	struct strbuf	key = STRBUF_INIT;
	size_t		i;
	int		rc = WB_OK;

	if (n == NULL || n->type != YNODE_MAP || depth > 8)
		return WB_OK;
	for (i = 0; i < n->n && rc == WB_OK; i++) {
		const struct ynode	*k = n->items[2 * i];
		const struct ynode	*v = n->items[2 * i + 1];

		if (k == NULL || k->type != YNODE_SCALAR)
			continue;
		strbuf_reset(&key);
		if (prefix != NULL)
			strbuf_addf(&key, "%s.", prefix);
		strbuf_adds(&key, k->value);
		if (v == NULL || ynode_is_unsafe(v)) {
			im->unsafe++;
			continue;
		}
		if (v->type == YNODE_MAP)
			rc = yaml_params(im, run, v, strbuf_str(&key),
			    depth + 1, err);
		else if (v->type == YNODE_SCALAR)
			rc = imp_param(im, run, strbuf_str(&key),
			    ynode_is_null(v) ? "" : v->value, err);
		else {
			/* A list of scalars: "[20, 20]" as Python shows it. */
			struct strbuf	l = STRBUF_INIT;
			size_t		j;
			int		ok = 1;

			strbuf_addc(&l, '[');
			for (j = 0; j < v->n; j++) {
				if (v->items[j] == NULL || v->items[j]->type !=
				    YNODE_SCALAR || ynode_is_unsafe(v->items[j]))
					ok = 0;
				else
					strbuf_addf(&l, "%s%s", j ? ", " : "",
					    v->items[j]->value);
			}
			strbuf_addc(&l, ']');
			if (ok)
				rc = imp_param(im, run, strbuf_str(&key),
				    strbuf_str(&l), err);
			else
				im->unsafe++;
			strbuf_free(&l);
		}
	}
	strbuf_free(&key);
	return rc;
}

/* Old Lightning (TestTube) meta_tags.csv: key,value rows. */
static int
meta_tags_params(struct imp *im, int64_t run, const char *path,
    struct wb_err *err)
{
	struct csvread	*r;
	struct csv_row	 row;
	int		 eof = 0, rc, first = 1;

	if ((rc = csvread_open(path, &r, err)) != WB_OK)
		return rc;
	csvread_refuse_nul(r);
	while ((rc = csvread_next(r, &row, &eof, err)) == WB_OK && !eof) {
		if (first) {
			first = 0;
			if (row.n >= 2 && ieq(row.f[0], "key"))
				continue;
		}
		if (row.n >= 2 && row.f[0][0] != '\0' &&
		    (rc = imp_param(im, run, row.f[0], row.f[1], err)) != WB_OK)
			break;
	}
	csvread_close(r);
	return rc;
}

static int
sidecar_params(struct imp *im, int64_t run, struct wb_err *err)
{
	/* JSON is YAML: Ray Tune's params.json is read the same way. */
	static const char *const yamls[] = { "hparams.yaml", "args.yaml",
	    "opt.yaml", "params.json", NULL };
	struct strbuf	 p = STRBUF_INIT;
	struct ydoc	*doc;
	struct stat	 sb;
	size_t		 i;
	int		 rc = WB_OK;

	if (im->dir == NULL)
		return WB_OK;
	for (i = 0; yamls[i] != NULL && rc == WB_OK; i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", im->dir, yamls[i]);
		if (stat(strbuf_str(&p), &sb) != 0)
			continue;
		if ((rc = ydoc_load_file(strbuf_str(&p), &doc, err)) != WB_OK)
			break;
		rc = yaml_params(im, run, doc->root, NULL, 0, err);
		ydoc_free(doc);
	}
	strbuf_reset(&p);
	strbuf_addf(&p, "%s/meta_tags.csv", im->dir);
	if (rc == WB_OK && stat(strbuf_str(&p), &sb) == 0)
		rc = meta_tags_params(im, run, strbuf_str(&p), err);
	strbuf_free(&p);
	return rc;
}

/*
 * The single run of a one-run file.  A run imported before from the same
 * path under the same name is replaced (the log grew); TensorBoard files
 * of one run share it instead.
 */
int
imp_single_run(struct imp *im, int64_t *run_id, struct wb_err *err)
{
	int	rc;

	if (im->run_id != 0) {
		*run_id = im->run_id;
		return WB_OK;
	}
	if (im->share_run) {
		rc = imp_find_run(im, im->run_name, run_id, err);
		if (rc == WB_OK && *run_id != 0) {
			im->run_id = *run_id;
			return WB_OK;
		}
		if (rc != WB_OK)
			return rc;
	} else if ((rc = imp_replace_previous(im, err)) != WB_OK)
		return rc;
	if ((rc = imp_run_new(im, im->run_name, NULL, "finished",
	    im->run_start, im->run_end,
	    run_id, err)) != WB_OK)
		return rc;
	im->run_id = *run_id;
	return sidecar_params(im, *run_id, err);
}

/*
 * strtod makes 1e999 inf and 1e-999 0 without a word.  Kept so (a metric
 * that blew up is worth seeing), but counted for the import's summary.
 * Only inf and 0 need a look, and only at their text.
 */
void
imp_range(struct imp *im, const char *s, size_t len, double v)
{
	size_t	i;

	if (isinf(v)) {
		for (i = 0; i < len; i++)
			if (s[i] == 'i' || s[i] == 'I')
				return;		/* "inf", "Infinity" */
		im->res->overflow++;
	} else if (v == 0) {
		for (i = 0; i < len && s[i] != 'e' && s[i] != 'E'; i++)
			if (s[i] >= '1' && s[i] <= '9') {
				im->res->underflow++;
				return;
			}
	}
}

/* The CSV row loop ---------------------------------------------------------- */

static int
cell_num(struct imp *im, const struct csv_row *row, size_t i,
    const struct col *c, double *v, struct wb_err *err)
{
	if (text_parse_num(row->f[i], row->len[i], v) == 0) {
		if (isinf(*v) || *v == 0)
			imp_range(im, row->f[i], row->len[i], *v);
		return WB_OK;
	}
	return wb_err_set(err, WB_EPARSE, "%s:%llu: column '%s': '%.40s' is "
	    "not a number", im->name, (unsigned long long)row->line, c->name,
	    row->f[i]);
}

static int
step_of(struct imp *im, const struct csv_row *row, size_t i, int64_t *step,
    struct wb_err *err)
{
	double	v;

	if (text_parse_num(row->f[i], row->len[i], &v) != 0 || !isfinite(v)
	    || v != floor(v) || fabs(v) > 9e18)
		return wb_err_set(err, WB_EPARSE, "%s:%llu: step '%.40s' is "
		    "not a whole number", im->name,
		    (unsigned long long)row->line, row->f[i]);
	*step = (int64_t)v;
	return WB_OK;
}

/* One row of a one-run-per-file log. */
static int
row_single(struct imp *im, struct csvfmt *f, const struct csv_row *row,
    int64_t rowno, int64_t *last_step, struct wb_err *err)
{
	int64_t	run, step = rowno, ts = 0;
	size_t	i;
	double	v;
	int	rc;

	if ((rc = imp_single_run(im, &run, err)) != WB_OK)
		return rc;
	for (i = 0; i < f->ncols && i < row->n; i++) {
		if (f->cols[i].role == R_STEP) {
			if (row->len[i] == 0)
				step = *last_step;	/* sparse rows */
			else if ((rc = step_of(im, row, i, &step, err)) != WB_OK)
				return rc;
		} else if (f->cols[i].role == R_TIME_S && row->len[i] > 0) {
			if (text_parse_num(row->f[i], row->len[i], &v) == 0 &&
			    isfinite(v) && fabs(v) < 1e12)
				ts = (int64_t)llround(v * 1000);
		} else if (f->cols[i].role == R_TIME_STR)
			ts = imp_parse_time(row->f[i]);
	}
	*last_step = step;
	for (i = 0; i < f->ncols && i < row->n; i++) {
		struct col	*c = &f->cols[i];

		if (row->len[i] == 0)
			continue;
		/* Params and tags in every row of a one-run log (Ray Tune's
		 * config/ columns, trial_id): the first value is kept. */
		if ((c->role == R_PARAM || c->role == R_TAG) && !c->done) {
			c->done = 1;
			rc = c->role == R_PARAM ? imp_param(im, run, c->name,
			    row->f[i], err) : db_tag_set(im->db, run, c->name,
			    row->f[i], err);
			if (rc != WB_OK)
				return rc;
			continue;
		}
		if (c->role == R_LAX && text_parse_num(row->f[i], row->len[i],
		    &v) != 0)
			continue;
		if (c->role != R_METRIC && c->role != R_LAX)
			continue;
		if ((rc = cell_num(im, row, i, c, &v, err)) != WB_OK ||
		    (rc = imp_metric(im, run, c->name, &c->key_id, step, ts, v,
		    err)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

/*
 * Params from a Python dict (W&B's config): nested dicts flattened with
 * dots; W&B's older {'value': v, 'desc': ...} wrapper unwrapped; lists
 * and other values kept as their text.
 */
static int
py_params(struct imp *im, int64_t run, const struct py_node *d,
    const char *prefix, int depth, struct wb_err *err)
{
	struct strbuf	key = STRBUF_INIT;
	size_t		i;
	int		rc = WB_OK;

	for (i = 0; i < d->n && rc == WB_OK; i++) {
		const struct py_node	*v = d->items[i], *w;

		if (strcmp(d->keys[i], "_wandb") == 0)
			continue;
		strbuf_reset(&key);
		if (prefix != NULL)
			strbuf_addf(&key, "%s.", prefix);
		strbuf_adds(&key, d->keys[i]);
		if (v->type == PY_DICT && (w = py_get(v, "value")) != NULL &&
		    (v->n == 1 || (v->n == 2 && py_get(v, "desc") != NULL)))
			v = w;
		if (v->type == PY_DICT && depth < 8)
			rc = py_params(im, run, v, strbuf_str(&key), depth + 1,
			    err);
		else if (key.oom)
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		else
			rc = imp_param(im, run, strbuf_str(&key),
			    v->type == PY_NONE ? "" : v->text, err);
	}
	strbuf_free(&key);
	return rc;
}

/*
 * Last metric values from a Python dict (W&B's summary), at the summary's
 * _step and _timestamp.  Nested dicts are flattened with dots; W&B's own
 * entries (_wandb, _step, _timestamp) and media ({'_type': ...}) are not
 * metrics, and neither are strings or booleans.
 */
static int
py_metrics(struct imp *im, int64_t run, const struct py_node *d,
    const char *prefix, int64_t step, int64_t ts, int depth,
    struct wb_err *err)
{
	struct strbuf	key = STRBUF_INIT;
	size_t		i;
	int		rc = WB_OK;

	for (i = 0; i < d->n && rc == WB_OK; i++) {
		const struct py_node	*v = d->items[i];
		int64_t			 key_id = 0;

		if (strcmp(d->keys[i], "_wandb") == 0 || strcmp(d->keys[i],
		    "_step") == 0 || strcmp(d->keys[i], "_timestamp") == 0)
			continue;
		strbuf_reset(&key);
		if (prefix != NULL)
			strbuf_addf(&key, "%s.", prefix);
		strbuf_adds(&key, d->keys[i]);
		if (key.oom)
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		else if (v->type == PY_DICT && depth < 8 &&
		    py_get(v, "_type") == NULL)
			rc = py_metrics(im, run, v, strbuf_str(&key), step, ts,
			    depth + 1, err);
		else if (v->type == PY_NUM)
			rc = imp_metric(im, run, strbuf_str(&key), &key_id,
			    step, ts, v->num, err);
	}
	strbuf_free(&key);
	return rc;
}

/* A W&B summary or config cell. */
static int
py_cell(struct imp *im, int64_t run, const struct csv_row *row, size_t i,
    const struct col *c, int64_t start, struct wb_err *err)
{
	struct py_node		*d;
	const struct py_node	*s, *t;
	char			 what[160];
	int64_t			 step = 0, ts = start;
	int			 rc;

	snprintf(what, sizeof what, "%s:%llu: column '%s'", im->name,
	    (unsigned long long)row->line, c->name);
	if ((rc = py_parse(row->f[i], row->len[i], what, &d, err)) != WB_OK)
		return rc;
	if (d->type != PY_DICT) {
		py_free(d);
		return wb_err_set(err, WB_EPARSE, "%s: not a Python dict",
		    what);
	}
	if (c->role == R_PY_CONFIG)
		rc = py_params(im, run, d, NULL, 0, err);
	else {
		if ((s = py_get(d, "_step")) != NULL && s->type == PY_NUM &&
		    isfinite(s->num) && fabs(s->num) < 9e18)
			step = (int64_t)s->num;
		if ((t = py_get(d, "_timestamp")) != NULL && t->type ==
		    PY_NUM && isfinite(t->num) && fabs(t->num) < 1e12)
			ts = (int64_t)llround(t->num * 1000);
		rc = py_metrics(im, run, d, NULL, step, ts, 0, err);
	}
	py_free(d);
	return rc;
}

/*
 * A W&B run's times from its summary: it ended at _timestamp, and ran
 * _runtime seconds.  A cell that does not parse is left to py_cell to
 * report.
 */
static void
py_times(const char *cell, size_t len, int64_t *start, int64_t *end)
{
	struct py_node		*d;
	const struct py_node	*t, *rt;

	if (py_parse(cell, len, "", &d, NULL) != WB_OK)
		return;
	if ((t = py_get(d, "_timestamp")) != NULL && t->type == PY_NUM &&
	    isfinite(t->num) && t->num > 0 && t->num < 1e12) {
		if (*end == 0)
			*end = (int64_t)llround(t->num * 1000);
		if (*start == 0 && (rt = py_get(d, "_runtime")) != NULL &&
		    rt->type == PY_NUM && isfinite(rt->num) && rt->num >= 0 &&
		    rt->num < t->num)
			*start = (int64_t)llround((t->num - rt->num) * 1000);
	}
	py_free(d);
}

/* One row of a file with one run per row (sklearn, Optuna, MLflow). */
static int
row_many(struct imp *im, struct csvfmt *f, const struct csv_row *row,
    int64_t rowno, struct wb_err *err)
{
	struct strbuf	 name = STRBUF_INIT;
	const char	*uuid = NULL, *status = NULL;
	int64_t		 run, start = 0, end = 0;
	size_t		 i;
	double		 v;
	int		 rc = WB_OK;

	for (i = 0; i < f->ncols && i < row->n; i++) {
		switch (f->cols[i].role) {
		case R_RUN_ID:
			uuid = row->f[i];
			break;
		case R_RUN_NAME:
			if (row->len[i] > 0 && name.len == 0)
				strbuf_addf(&name, "%s%s", f->name_prefix ?
				    f->name_prefix : "", row->f[i]);
			break;
		case R_STATUS:
			status = imp_status(row->f[i]);
			break;
		case R_START:
			start = imp_parse_time(row->f[i]);
			break;
		case R_END:
			end = imp_parse_time(row->f[i]);
			break;
		case R_PY_SUMMARY:
			py_times(row->f[i], row->len[i], &start, &end);
			break;
		default:
			break;
		}
	}
	if (is_sweep(f) && im->sweep_parent == 0 &&
	    (rc = sweep_parent(im, f, err)) != WB_OK)
		goto out;
	if (name.len == 0) {
		if (f->name_from_index && row->n > 0 && row->len[0] > 0)
			strbuf_addf(&name, "candidate-%s", row->f[0]);
		else if (uuid != NULL && strlen(uuid) >= 8)
			strbuf_addf(&name, "%.8s", uuid);
		else
			strbuf_addf(&name, "row-%lld", (long long)rowno);
	}
	if ((rc = imp_run_new(im, strbuf_str(&name), uuid, status, start, end,
	    &run, err)) != WB_OK || run == 0)
		goto out;
	for (i = 0; i < f->ncols && i < row->n && rc == WB_OK; i++) {
		struct col	*c = &f->cols[i];
		enum role	 r = c->role;

		if (row->len[i] == 0)
			continue;
		if (r == R_AUTO)
			r = text_parse_num(row->f[i], row->len[i], &v) == 0 ?
			    R_METRIC : R_PARAM;
		if (r == R_METRIC) {
			if ((rc = cell_num(im, row, i, c, &v, err)) == WB_OK)
				rc = imp_metric(im, run, c->name, &c->key_id, 0,
				    end ? end : start, v, err);
		} else if (r == R_PARAM)
			rc = imp_param(im, run, c->name, row->f[i], err);
		else if (r == R_TAG)
			rc = db_tag_set(im->db, run, c->name, row->f[i], err);
		else if (r == R_PY_SUMMARY || r == R_PY_CONFIG)
			rc = py_cell(im, run, row, i, c, start, err);
		else if (r == R_RUN_NAME && f->format != NULL &&
		    strcmp(f->format, "mlflow") == 0)
			rc = db_tag_set(im->db, run, "mlflow.runName",
			    row->f[i], err);
	}
	/* Flush now and then: a study of 100,000 trials stays small. */
	if (rc == WB_OK && im->res->runs % 256 == 0)
		rc = mw_flush(im->mw, err);
out:
	strbuf_free(&name);
	return rc;
}

/* Long format: run,key,step,value[,timestamp]; runs by name. */
static int
row_long(struct imp *im, struct csvfmt *f, const struct csv_row *row,
    struct wb_err *err)
{
	const char	*run_name = NULL, *key = NULL;
	int64_t		 step = 0, ts = 0, run, key_id = 0;
	double		 v = NAN;
	size_t		 i;
	int		 rc, have_value = 0;

	for (i = 0; i < f->ncols && i < row->n; i++) {
		switch (f->cols[i].role) {
		case R_LONG_RUN:
			run_name = row->f[i];
			break;
		case R_LONG_KEY:
			key = row->f[i];
			break;
		case R_LONG_STEP:
			if ((rc = step_of(im, row, i, &step, err)) != WB_OK)
				return rc;
			break;
		case R_LONG_VALUE:
			if (row->len[i] == 0)
				break;
			if ((rc = cell_num(im, row, i, &f->cols[i], &v, err)) !=
			    WB_OK)
				return rc;
			have_value = 1;
			break;
		case R_LONG_TS:
			ts = imp_parse_time(row->f[i]);
			break;
		default:
			break;
		}
	}
	if (key == NULL || key[0] == '\0')
		return wb_err_set(err, WB_EPARSE, "%s:%llu: empty metric key",
		    im->name, (unsigned long long)row->line);
	if (!have_value)
		return WB_OK;
	if (run_name == NULL || run_name[0] == '\0')
		run_name = im->run_name;
	if ((rc = imp_long_run(im, run_name, &run, err)) != WB_OK)
		return rc;
	return imp_metric(im, run, key, &key_id, step, ts, v, err);
}

/*
 * A wide log without a named step column: read the file once more for
 * the first named column whose every cell is a whole number larger than
 * the one above (a counter the tool did not name as we expect).
 */
static int
scan_step(struct imp *im, char **h, size_t n, struct csvfmt *f,
    struct wb_err *err)
{
	struct csvread	*r;
	struct csv_row	 row;
	double		*last = NULL, v;
	char		*alive = NULL;
	size_t		 i, rows = 0;
	int		 rc, eof = 0;

	rc = im->buf != NULL ? csvread_open_mem(im->buf, im->buflen, im->name,
	    &r, err) : csvread_open(im->name, &r, err);
	if (rc != WB_OK)
		return rc;
	if ((last = wb_calloc(n + 1, sizeof *last)) == NULL ||
	    (alive = wb_calloc(n + 1, 1)) == NULL) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++)
		alive[i] = h[i][0] != '\0';
	if ((rc = csvread_next(r, &row, &eof, err)) != WB_OK)
		goto out;
	while ((rc = csvread_next(r, &row, &eof, err)) == WB_OK && !eof) {
		for (i = 0; i < row.n && row.len[i] == 0; i++)
			;
		if (i == row.n)
			continue;
		for (i = 0; i < n; i++) {
			if (!alive[i])
				continue;
			if (i >= row.n || text_parse_num(row.f[i], row.len[i],
			    &v) != 0 || !isfinite(v) || v != floor(v) ||
			    fabs(v) > 9e18 || (rows > 0 && v <= last[i]))
				alive[i] = 0;
			last[i] = v;
		}
		rows++;
	}
	if (rc != WB_OK)
		goto out;
	for (i = 0; i < n && rows >= 2; i++)
		if (alive[i]) {
			f->step = (int)i;
			f->cols[i].role = R_STEP;
			goto out;
		}
	rc = wb_err_set(err, WB_EFORMAT, "%s:1: not a training log of a known "
	    "shape: no step or epoch column, and no column of whole numbers "
	    "rising on every row (use --step-col COLUMN for a wide log, or "
	    "--as long for run,key,step,value rows); nothing imported",
	    im->name);
out:
	wb_free(last);
	wb_free(alive);
	csvread_close(r);
	return rc;
}

int
imp_csv(struct imp *im, struct csvread *r, struct wb_err *err)
{
	struct csvfmt	 f;
	struct csv_row	 row;
	char		**h = NULL;
	int64_t		 rowno = 0, last_step = 0;
	size_t		 i;
	int		 rc, eof = 0;

	memset(&f, 0, sizeof f);
	if ((rc = csvread_next(r, &row, &eof, err)) != WB_OK)
		return rc;
	if (eof)
		return wb_err_set(err, WB_EFORMAT, "%s: empty file", im->name);
	if ((h = wb_calloc(row.n + 1, sizeof *h)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (i = 0; i < row.n; i++)
		if ((h[i] = wb_strdup(row.f[i])) == NULL) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
	if ((rc = imp_detect(im, h, row.n, &f, err)) != WB_OK)
		goto out;
	if (f.scan_step && (rc = scan_step(im, h, row.n, &f, err)) != WB_OK)
		goto out;
	if (!f.many && f.step >= 0 && strcmp(f.format, "tensorboard") != 0)
		snprintf(im->res->step_col, sizeof im->res->step_col, "%s",
		    h[f.step]);
	snprintf(im->res->format, sizeof im->res->format, "%s", f.format);
	if (strcmp(f.format, "tensorboard") == 0)
		im->share_run = 1;
	while ((rc = csvread_next(r, &row, &eof, err)) == WB_OK && !eof) {
		if (row.n == 1 && row.len[0] == 0)
			continue;
		/* A record of only commas (MLflow UI exports end so). */
		for (i = 0; i < row.n && row.len[i] == 0; i++)
			;
		if (i == row.n)
			continue;
		if (row.n > f.ncols && row.len[row.n - 1] != 0) {
			rc = wb_err_set(err, WB_EPARSE, "%s:%llu: %zu fields, "
			    "the header has %zu", im->name,
			    (unsigned long long)row.line, row.n, f.ncols);
			break;
		}
		if (strcmp(f.format, "long") == 0)
			rc = row_long(im, &f, &row, err);
		else if (f.many)
			rc = row_many(im, &f, &row, rowno, err);
		else
			rc = row_single(im, &f, &row, rowno, &last_step, err);
		if (rc != WB_OK)
			break;
		rowno++;
	}
	if (rc == WB_OK && im->res->points == 0 && im->res->runs == 0 &&
	    im->skipped_runs == 0)
		rc = wb_err_set(err, WB_EFORMAT, "%s: no data rows", im->name);
	/* The sweep's parent spans its children's times. */
	if (rc == WB_OK && im->sweep_parent != 0)
		rc = db_life_span(im->db, im->sweep_parent, err);
out:
	for (i = 0; h != NULL && h[i] != NULL; i++)
		wb_free(h[i]);
	wb_free(h);
	csvfmt_free(&f);
	return rc;
}
