/*
 * import: training logs (CSV here, JSON in import_json.c) into runs.
 *
 * Every CSV format is reduced to the same thing: a role for each column
 * (the step, a metric, a param, a tag, the run's id, name, status or
 * times ...) and whether the file holds one run or one run per row.  One
 * loop then streams the rows through the metric writer, so memory stays
 * flat whatever the file's length.  Detection and roles are in
 * csv_detect(); doc/formats.md describes them for users.
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
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"
#include "yamldoc.h"

const char *const import_formats[] = {
	"keras", "lightning", "testtube", "ultralytics", "baselines",
	"tensorboard", "long", "wide", "sklearn", "optuna", "mlflow",
	"mlflow-ui", "detectron2", "hf-trainer", NULL
};

enum role {
	R_SKIP, R_STEP, R_METRIC, R_PARAM, R_TAG, R_TIME_S, R_TIME_STR,
	R_RUN_ID, R_RUN_NAME, R_STATUS, R_START, R_END, R_AUTO,
	R_LONG_RUN, R_LONG_KEY, R_LONG_STEP, R_LONG_VALUE, R_LONG_TS
};

struct col {
	char		*name;		/* key as stored (prefix removed) */
	enum role	 role;
	int64_t		 key_id;	/* metrics, once known */
};

struct csvfmt {
	const char	*format;
	struct col	*cols;
	size_t		 ncols;
	int		 many;		/* one run per row */
	int		 name_from_index; /* sklearn: "candidate-N" */
	const char	*name_prefix;	/* optuna: "trial-" */
};

static int
ieq(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Column index of name (case-insensitive), or -1. */
static int
find_col(char *const *h, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (ieq(h[i], name))
			return (int)i;
	return -1;
}

static int
any_prefix(char *const *h, size_t n, const char *prefix)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (starts(h[i], prefix))
			return 1;
	return 0;
}

static void
csvfmt_free(struct csvfmt *f)
{
	size_t	i;

	for (i = 0; i < f->ncols; i++)
		wb_free(f->cols[i].name);
	wb_free(f->cols);
	memset(f, 0, sizeof *f);
}

/* The step columns a generic wide log may use, in order of preference. */
static const char *const step_names[] = {
	"step", "global_step", "iteration", "iter", "epoch", "Step", NULL
};

/*
 * Decide the format and every column's role from the header h (trimmed,
 * BOM dropped).  file_base is the file name for TensorBoard's metric.
 */
/*
 * Rename the second, third ... column of the same name and role to
 * "name.1", "name.2" (pandas' way).  A hash table of the names, so that
 * a header of 100,000 columns costs 100,000 lookups, not 5 * 10^9
 * comparisons.
 */
static int
dedupe_names(struct col *cols, size_t n, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		*slot, *cnt, *dup, cap = 64, i, h;
	const char	*p;
	int		 rc = WB_OK;

	while (cap < 2 * n)
		cap *= 2;
	slot = wb_calloc(cap, sizeof *slot);	/* column index + 1 */
	cnt = wb_calloc(cap, sizeof *cnt);
	dup = wb_calloc(n ? n : 1, sizeof *dup);
	if (slot == NULL || cnt == NULL || dup == NULL) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		for (h = 5381 + (size_t)cols[i].role, p = cols[i].name; *p; p++)
			h = h * 33 + (unsigned char)*p;
		for (h &= cap - 1; slot[h] != 0; h = (h + 1) & (cap - 1))
			if (cols[slot[h] - 1].role == cols[i].role &&
			    strcmp(cols[slot[h] - 1].name, cols[i].name) == 0)
				break;
		if (slot[h] == 0)
			slot[h] = i + 1;
		else
			dup[i] = ++cnt[h];
	}
	for (i = 0; i < n; i++) {
		if (dup[i] == 0 || cols[i].role == R_SKIP)
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s.%zu", cols[i].name, dup[i]);
		if (sb.oom) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
		wb_free(cols[i].name);
		if ((cols[i].name = wb_strdup(sb.s)) == NULL) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
	}
out:
	strbuf_free(&sb);
	wb_free(slot);
	wb_free(cnt);
	wb_free(dup);
	return rc;
}

static int
csv_detect(struct imp *im, char **h, size_t n, struct csvfmt *f,
    struct wb_err *err)
{
	const char	*want = im->opts->format;
	const char	*fmt = NULL;
	size_t		 i;
	int		 step = -1, c, rc;

	memset(f, 0, sizeof *f);
	if (want != NULL && strcmp(want, "auto") == 0)
		want = NULL;

	if (want ? strcmp(want, "tensorboard") == 0 : (n == 3 &&
	    ieq(h[0], "Wall time") && ieq(h[1], "Step") && ieq(h[2], "Value")))
		fmt = "tensorboard";
	else if (want ? strcmp(want, "long") == 0 :
	    (find_col(h, n, "run") >= 0 && (find_col(h, n, "key") >= 0 ||
	    find_col(h, n, "metric") >= 0) && find_col(h, n, "step") >= 0 &&
	    find_col(h, n, "value") >= 0 && n <= 6))
		fmt = "long";
	else if (want ? strcmp(want, "mlflow") == 0 :
	    (find_col(h, n, "run_id") >= 0 && (any_prefix(h, n, "metrics.") ||
	    any_prefix(h, n, "params.") || (find_col(h, n, "status") >= 0 &&
	    find_col(h, n, "experiment_id") >= 0))))
		fmt = "mlflow";
	else if (want ? strcmp(want, "mlflow-ui") == 0 :
	    (find_col(h, n, "Run ID") >= 0 && find_col(h, n, "Start Time") >= 0))
		fmt = "mlflow-ui";
	else if (want ? strcmp(want, "sklearn") == 0 :
	    (any_prefix(h, n, "param_") && (any_prefix(h, n, "rank_test_") ||
	    any_prefix(h, n, "mean_test_"))))
		fmt = "sklearn";
	else if (want ? strcmp(want, "optuna") == 0 :
	    (find_col(h, n, "number") >= 0 && find_col(h, n, "state") >= 0 &&
	    (find_col(h, n, "value") >= 0 || find_col(h, n, "values_0") >= 0)))
		fmt = "optuna";
	else if (want ? strcmp(want, "baselines") == 0 :
	    (find_col(h, n, "TimestepsSoFar") >= 0 ||
	    find_col(h, n, "total_timesteps") >= 0 ||
	    find_col(h, n, "time/total_timesteps") >= 0 ||
	    (find_col(h, n, "epoch") >= 0 && (any_prefix(h, n, "stats_") ||
	    any_prefix(h, n, "test/")))))
		fmt = "baselines";
	else if (want ? strcmp(want, "ultralytics") == 0 :
	    (find_col(h, n, "epoch") >= 0 && (any_prefix(h, n, "train/") ||
	    any_prefix(h, n, "metrics/") || any_prefix(h, n, "val/"))))
		fmt = "ultralytics";
	else if (want ? strcmp(want, "testtube") == 0 :
	    (find_col(h, n, "created_at") >= 0 && find_col(h, n, "epoch") >= 0))
		fmt = "testtube";
	else if (want ? strcmp(want, "lightning") == 0 :
	    (find_col(h, n, "step") >= 0 && find_col(h, n, "epoch") >= 0))
		fmt = "lightning";
	else if (want ? strcmp(want, "keras") == 0 :
	    (n > 1 && ieq(h[0], "epoch")))
		fmt = "keras";
	else if (want == NULL || strcmp(want, "wide") == 0) {
		if (im->opts->step_col != NULL)
			fmt = "wide";
		else
			for (i = 0; step_names[i] != NULL && fmt == NULL; i++)
				if (find_col(h, n, step_names[i]) >= 0)
					fmt = "wide";
	}
	if (fmt == NULL) {
		if (want != NULL)
			return wb_err_set(err, WB_EFORMAT, "%s: unknown format "
			    "'%s' (see mlwb import --help)", im->name, want);
		return wb_err_set(err, WB_EFORMAT, "%s:1: not a training log of "
		    "a known shape: no step or epoch column (use --step-col "
		    "COLUMN for a wide log, or --format long for "
		    "run,key,step,value rows); nothing imported", im->name);
	}

	f->format = fmt;
	if ((f->cols = wb_calloc(n, sizeof *f->cols)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	f->ncols = n;
	for (i = 0; i < n; i++) {
		const char	*k = h[i], *name = k;
		enum role	 r = R_METRIC;

		if (strcmp(fmt, "tensorboard") == 0) {
			r = i == 0 ? R_TIME_S : i == 1 ? R_STEP : R_METRIC;
			if (i == 2)
				name = im->tb_tag;
		} else if (strcmp(fmt, "long") == 0) {
			r = ieq(k, "run") ? R_LONG_RUN : (ieq(k, "key") ||
			    ieq(k, "metric")) ? R_LONG_KEY : ieq(k, "step") ?
			    R_LONG_STEP : ieq(k, "value") ? R_LONG_VALUE :
			    (ieq(k, "timestamp") || ieq(k, "time") ||
			    ieq(k, "ts")) ? R_LONG_TS : R_SKIP;
		} else if (strcmp(fmt, "mlflow") == 0) {
			f->many = 1;
			if (ieq(k, "run_id"))
				r = R_RUN_ID;
			else if (ieq(k, "status"))
				r = R_STATUS;
			else if (ieq(k, "start_time"))
				r = R_START;
			else if (ieq(k, "end_time"))
				r = R_END;
			else if (ieq(k, "experiment_id") ||
			    ieq(k, "lifecycle_stage") || k[0] == '\0')
				r = R_SKIP;
			else if (ieq(k, "artifact_uri"))
				r = R_TAG, name = "mlflow.artifact_uri";
			else if (starts(k, "metrics."))
				r = R_METRIC, name = k + 8;
			else if (starts(k, "params."))
				r = R_PARAM, name = k + 7;
			else if (strcmp(k, "tags.mlflow.runName") == 0)
				r = R_RUN_NAME;
			else if (starts(k, "tags."))
				r = R_TAG, name = k + 5;
			else
				r = R_AUTO;
		} else if (strcmp(fmt, "mlflow-ui") == 0) {
			f->many = 1;
			if (ieq(k, "Run ID"))
				r = R_RUN_ID;
			else if (ieq(k, "Name"))
				r = R_RUN_NAME;
			else if (ieq(k, "Status"))
				r = R_STATUS;
			else if (ieq(k, "Start Time"))
				r = R_START;
			else if (ieq(k, "Duration"))
				r = R_SKIP;
			else if (ieq(k, "Source Type") || ieq(k, "Source Name") ||
			    ieq(k, "User") || ieq(k, "Models") ||
			    ieq(k, "Dataset") || ieq(k, "Source Version"))
				r = R_TAG;
			else
				r = R_AUTO;
		} else if (strcmp(fmt, "sklearn") == 0) {
			f->many = 1;
			f->name_from_index = 1;
			if (i == 0 && k[0] == '\0')
				r = R_SKIP;
			else if (strcmp(k, "params") == 0)
				r = R_SKIP;
			else if (starts(k, "param_"))
				r = R_PARAM, name = k + 6;
		} else if (strcmp(fmt, "optuna") == 0) {
			f->many = 1;
			f->name_prefix = "trial-";
			if (ieq(k, "number"))
				r = R_RUN_NAME;
			else if (ieq(k, "state"))
				r = R_STATUS;
			else if (ieq(k, "datetime_start"))
				r = R_START;
			else if (ieq(k, "datetime_complete"))
				r = R_END;
			else if (ieq(k, "duration") || k[0] == '\0')
				r = R_SKIP;
			else if (starts(k, "params_"))
				r = R_PARAM, name = k + 7;
			else if (starts(k, "user_attrs_"))
				r = R_TAG, name = k + 11;
			else if (starts(k, "system_attrs_"))
				r = R_TAG, name = k + 13;
		} else if (strcmp(fmt, "testtube") == 0) {
			if (ieq(k, "created_at"))
				r = R_TIME_STR;
		}
		if (r == R_METRIC && k[0] == '\0')
			r = R_SKIP;	/* a pandas index column */
		if ((f->cols[i].name = wb_strdup(name)) == NULL)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		f->cols[i].role = r;
	}

	/* The step column of single-run formats. */
	if (strcmp(fmt, "lightning") == 0)
		step = find_col(h, n, "step");
	else if (strcmp(fmt, "keras") == 0 || strcmp(fmt, "ultralytics") == 0
	    || strcmp(fmt, "testtube") == 0)
		step = find_col(h, n, "epoch");
	else if (strcmp(fmt, "baselines") == 0) {
		static const char *const b[] = { "TimestepsSoFar",
		    "total_timesteps", "time/total_timesteps", "epoch", NULL };

		for (i = 0; b[i] != NULL && step < 0; i++)
			step = find_col(h, n, b[i]);
	} else if (strcmp(fmt, "wide") == 0) {
		if (im->opts->step_col != NULL) {
			if ((step = find_col(h, n, im->opts->step_col)) < 0)
				return wb_err_set(err, WB_EINVAL, "%s:1: no "
				    "column named '%s' for --step-col", im->name,
				    im->opts->step_col);
		} else
			for (i = 0; step_names[i] != NULL && step < 0; i++)
				step = find_col(h, n, step_names[i]);
	}
	if (step >= 0)
		f->cols[step].role = R_STEP;
	if (strcmp(fmt, "long") == 0) {
		for (c = 0, i = 0; i < n; i++)
			c += f->cols[i].role == R_LONG_KEY ||
			    f->cols[i].role == R_LONG_VALUE ||
			    f->cols[i].role == R_LONG_STEP;
		if (c != 3)
			return wb_err_set(err, WB_EFORMAT, "%s:1: long format "
			    "needs columns run,key,step,value[,timestamp]",
			    im->name);
	}
	/* Duplicate metric names: pandas' way, "loss", "loss.1", "loss.2". */
	if ((rc = dedupe_names(f->cols, n, err)) != WB_OK)
		return rc;
	return WB_OK;
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
	struct run	r;
	int64_t		id;
	int		rc;

	memset(&r, 0, sizeof r);
	if (uuid != NULL && is_uuid32(uuid)) {
		size_t i;

		for (i = 0; i < 32; i++)
			r.uuid[i] = (char)tolower((unsigned char)uuid[i]);
		r.uuid[32] = '\0';
		if (db_run_find_uuid(im->db, r.uuid, &id, NULL) == WB_OK) {
			im->skipped_runs++;
			*run_id = 0;
			return WB_OK;
		}
	}
	r.experiment_id = im->exp_id;
	r.name = (char *)(uintptr_t)name;
	r.status = (char *)(uintptr_t)(status ? status : "finished");
	r.source = im->path_abs;
	r.git_dirty = -1;
	r.started_at = start;
	r.ended_at = end;
	r.import_id = im->import_id;
	if ((rc = db_run_insert(im->db, &r, run_id, err)) != WB_OK)
		return rc;
	im->res->runs++;
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
	static const char *const yamls[] = { "hparams.yaml", "args.yaml",
	    "opt.yaml", NULL };
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
	if ((rc = imp_run_new(im, im->run_name, NULL, "finished", 0, 0,
	    run_id, err)) != WB_OK)
		return rc;
	im->run_id = *run_id;
	return sidecar_params(im, *run_id, err);
}

/* The CSV row loop ---------------------------------------------------------- */

static int
cell_num(struct imp *im, const struct csv_row *row, size_t i,
    const struct col *c, double *v, struct wb_err *err)
{
	if (text_parse_num(row->f[i], row->len[i], v) == 0)
		return WB_OK;
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
		if (f->cols[i].role != R_METRIC || row->len[i] == 0)
			continue;
		if ((rc = cell_num(im, row, i, &f->cols[i], &v, err)) != WB_OK ||
		    (rc = imp_metric(im, run, f->cols[i].name,
		    &f->cols[i].key_id, step, ts, v, err)) != WB_OK)
			return rc;
	}
	return WB_OK;
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
		default:
			break;
		}
	}
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
	if ((rc = csv_detect(im, h, row.n, &f, err)) != WB_OK)
		goto out;
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
out:
	for (i = 0; h != NULL && h[i] != NULL; i++)
		wb_free(h[i]);
	wb_free(h);
	csvfmt_free(&f);
	return rc;
}
