/*
 * import_detect: the table of log formats.  Each entry holds a format's
 * name, its detection rule (a header test for CSV, and the words
 * doc/formats.md uses for it) and its mapping (the role of each column:
 * step, metric, param, tag, run id, name, times ...).  Detection goes down
 * the table and takes the first entry that matches, so adding a format is
 * adding an entry.  JSON and TensorBoard event files are detected by
 * import_json.c and tfevents.c; their entries are here so that --format,
 * --help and the documentation list every format once.
 */
#include "config.h"

#include "import.h"
#include "import_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "mem.h"
#include "strbuf.h"

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
col_of(char *const *h, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (ieq(h[i], name))
			return (int)i;
	return -1;
}

#define HAS(name)	(col_of(h, n, (name)) >= 0)

static int
any_prefix(char *const *h, size_t n, const char *prefix)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (starts(h[i], prefix))
			return 1;
	return 0;
}

/* Detection rules ---------------------------------------------------- */

static int
m_tensorboard(char *const *h, size_t n)
{
	return n == 3 && ieq(h[0], "Wall time") && ieq(h[1], "Step") &&
	    ieq(h[2], "Value");
}

static int
m_long(char *const *h, size_t n)
{
	return HAS("run") && (HAS("key") || HAS("metric")) && HAS("step") &&
	    HAS("value") && n <= 6;
}

static int
m_mlflow(char *const *h, size_t n)
{
	return HAS("run_id") && (any_prefix(h, n, "metrics.") ||
	    any_prefix(h, n, "params.") || (HAS("status") &&
	    HAS("experiment_id")));
}

static int
m_mlflow_ui(char *const *h, size_t n)
{
	return HAS("Run ID") && HAS("Start Time");
}

static int
m_wandb_runs(char *const *h, size_t n)
{
	return HAS("summary") && HAS("config");
}

static int
m_sklearn(char *const *h, size_t n)
{
	return any_prefix(h, n, "param_") && (any_prefix(h, n, "rank_test_") ||
	    any_prefix(h, n, "mean_test_"));
}

static int
m_optuna(char *const *h, size_t n)
{
	return HAS("number") && HAS("state") && (HAS("value") ||
	    HAS("values_0"));
}

static int
m_wandb_history(char *const *h, size_t n)
{
	return HAS("_step");
}

static int
m_raytune(char *const *h, size_t n)
{
	return HAS("training_iteration") && (HAS("time_total_s") ||
	    HAS("timesteps_total") || HAS("trial_id"));
}

static int
m_baselines(char *const *h, size_t n)
{
	return HAS("TimestepsSoFar") || HAS("total_timesteps") ||
	    HAS("time/total_timesteps") || (HAS("epoch") &&
	    (any_prefix(h, n, "stats_") || any_prefix(h, n, "test/")));
}

static int
m_ultralytics(char *const *h, size_t n)
{
	return HAS("epoch") && (any_prefix(h, n, "train/") ||
	    any_prefix(h, n, "metrics/") || any_prefix(h, n, "val/"));
}

static int
m_testtube(char *const *h, size_t n)
{
	return HAS("created_at") && HAS("epoch");
}

static int
m_lightning(char *const *h, size_t n)
{
	return HAS("step") && HAS("epoch");
}

static int
m_keras(char *const *h, size_t n)
{
	return n > 1 && ieq(h[0], "epoch");
}

/* The step columns of wide logs across tools, in order of preference. */
static const char *const wide_steps[] = {
	"step", "_step", "training_iteration", "global_step", "iteration",
	"iter", "it", "Step", "epoch", NULL
};

/* Any header: a named step column, else (imp_detect) a column whose
 * every cell is a whole number larger than the one above. */
static int
m_wide(char *const *h, size_t n)
{
	(void)h;
	return n > 0;
}

/* Mappings ------------------------------------------------------------- */

static enum role
r_tensorboard(const char *k, size_t i, const char **name)
{
	(void)k;
	(void)name;
	return i == 0 ? R_TIME_S : i == 1 ? R_STEP : R_METRIC;
}

static enum role
r_long(const char *k, size_t i, const char **name)
{
	(void)i;
	(void)name;
	if (ieq(k, "run"))
		return R_LONG_RUN;
	if (ieq(k, "key") || ieq(k, "metric"))
		return R_LONG_KEY;
	if (ieq(k, "step"))
		return R_LONG_STEP;
	if (ieq(k, "value"))
		return R_LONG_VALUE;
	if (ieq(k, "timestamp") || ieq(k, "time") || ieq(k, "ts"))
		return R_LONG_TS;
	return R_SKIP;
}

static enum role
r_mlflow(const char *k, size_t i, const char **name)
{
	(void)i;
	if (ieq(k, "run_id"))
		return R_RUN_ID;
	if (ieq(k, "status"))
		return R_STATUS;
	if (ieq(k, "start_time"))
		return R_START;
	if (ieq(k, "end_time"))
		return R_END;
	if (ieq(k, "experiment_id") || ieq(k, "lifecycle_stage") ||
	    k[0] == '\0')
		return R_SKIP;
	if (ieq(k, "artifact_uri")) {
		*name = "mlflow.artifact_uri";
		return R_TAG;
	}
	if (starts(k, "metrics.")) {
		*name = k + 8;
		return R_METRIC;
	}
	if (starts(k, "params.")) {
		*name = k + 7;
		return R_PARAM;
	}
	if (strcmp(k, "tags.mlflow.runName") == 0)
		return R_RUN_NAME;
	if (starts(k, "tags.")) {
		*name = k + 5;
		return R_TAG;
	}
	return R_AUTO;
}

static enum role
r_mlflow_ui(const char *k, size_t i, const char **name)
{
	(void)i;
	(void)name;
	if (ieq(k, "Run ID"))
		return R_RUN_ID;
	if (ieq(k, "Name"))
		return R_RUN_NAME;
	if (ieq(k, "Status"))
		return R_STATUS;
	if (ieq(k, "Start Time"))
		return R_START;
	if (ieq(k, "Duration"))
		return R_SKIP;
	if (ieq(k, "Source Type") || ieq(k, "Source Name") || ieq(k, "User") ||
	    ieq(k, "Models") || ieq(k, "Dataset") || ieq(k, "Source Version"))
		return R_TAG;
	return R_AUTO;
}

static enum role
r_wandb_runs(const char *k, size_t i, const char **name)
{
	(void)i;
	if (k[0] == '\0')
		return R_SKIP;		/* the pandas index */
	if (ieq(k, "summary"))
		return R_PY_SUMMARY;
	if (ieq(k, "config"))
		return R_PY_CONFIG;
	if (ieq(k, "name") || ieq(k, "display_name"))
		return R_RUN_NAME;
	if (ieq(k, "state"))
		return R_STATUS;
	if (ieq(k, "created_at"))
		return R_START;
	if (ieq(k, "id") || ieq(k, "run_id")) {
		*name = "wandb.id";
		return R_TAG;
	}
	if (ieq(k, "tags") || ieq(k, "group") || ieq(k, "job_type") ||
	    ieq(k, "url") || ieq(k, "project") || ieq(k, "entity")) {
		return R_TAG;
	}
	return R_AUTO;
}

static enum role
r_sklearn(const char *k, size_t i, const char **name)
{
	if ((i == 0 && k[0] == '\0') || strcmp(k, "params") == 0)
		return R_SKIP;
	if (starts(k, "param_")) {
		*name = k + 6;
		return R_PARAM;
	}
	return R_METRIC;
}

static enum role
r_optuna(const char *k, size_t i, const char **name)
{
	(void)i;
	if (ieq(k, "number"))
		return R_RUN_NAME;
	if (ieq(k, "state"))
		return R_STATUS;
	if (ieq(k, "datetime_start"))
		return R_START;
	if (ieq(k, "datetime_complete"))
		return R_END;
	if (ieq(k, "duration") || k[0] == '\0')
		return R_SKIP;
	if (starts(k, "params_")) {
		*name = k + 7;
		return R_PARAM;
	}
	if (starts(k, "user_attrs_")) {
		*name = k + 11;
		return R_TAG;
	}
	if (starts(k, "system_attrs_")) {
		*name = k + 13;
		return R_TAG;
	}
	return R_METRIC;
}

static enum role
r_wandb_history(const char *k, size_t i, const char **name)
{
	(void)i;
	(void)name;
	if (strcmp(k, "_timestamp") == 0)
		return R_TIME_S;
	/* W&B leaves a cell empty where a step logged nothing, and writes
	 * media and tables as dict reprs: numbers are points, text is not. */
	return R_LAX;
}

static enum role
r_raytune(const char *k, size_t i, const char **name)
{
	(void)i;
	if (ieq(k, "timestamp"))
		return R_TIME_S;
	if (ieq(k, "trial_id") || ieq(k, "hostname") || ieq(k, "node_ip") ||
	    ieq(k, "experiment_tag") || ieq(k, "experiment_id"))
		return R_TAG;
	if (ieq(k, "date") || ieq(k, "pid") || ieq(k, "done"))
		return R_SKIP;
	if (starts(k, "config/")) {
		*name = k + 7;
		return R_PARAM;
	}
	return R_LAX;
}

static enum role
r_testtube(const char *k, size_t i, const char **name)
{
	(void)i;
	(void)name;
	return ieq(k, "created_at") ? R_TIME_STR : R_METRIC;
}

static enum role
r_metric(const char *k, size_t i, const char **name)
{
	(void)k;
	(void)i;
	(void)name;
	return R_METRIC;
}

static const char *const steps_none[] = { NULL };
static const char *const steps_tb[] = { "Step", NULL };
static const char *const steps_step[] = { "step", NULL };
static const char *const steps_epoch[] = { "epoch", NULL };
static const char *const steps_wandb[] = { "_step", NULL };
static const char *const steps_ray[] = { "training_iteration", NULL };
static const char *const steps_baselines[] = { "TimestepsSoFar",
	"total_timesteps", "time/total_timesteps", "epoch", NULL };

/*
 * The table.  The rule strings are what doc/formats.md shows in its
 * "detected by" column; tests/cli/import.sh checks that they agree.
 */
const struct imp_format imp_formats[] = {
	{ "tensorboard", IMP_CSV, "header exactly `Wall time,Step,Value`",
	    m_tensorboard, r_tensorboard, steps_tb, 0, NULL },
	{ "long", IMP_CSV, "columns `run`, `key` (or `metric`), `step`, "
	    "`value` [, `timestamp`]",
	    m_long, r_long, steps_none, 0, NULL },
	{ "mlflow", IMP_CSV, "`run_id` and `metrics.*`/`params.*` columns "
	    "(or `run_id`, `experiment_id`, `status`)",
	    m_mlflow, r_mlflow, steps_none, FMT_MANY, NULL },
	{ "mlflow-ui", IMP_CSV, "`Run ID` and `Start Time`",
	    m_mlflow_ui, r_mlflow_ui, steps_none, FMT_MANY, NULL },
	{ "wandb-runs", IMP_CSV, "`summary` and `config` columns",
	    m_wandb_runs, r_wandb_runs, steps_none, FMT_MANY, NULL },
	{ "sklearn", IMP_CSV, "`param_*` and `rank_test_*`/`mean_test_*`",
	    m_sklearn, r_sklearn, steps_none, FMT_MANY | FMT_INDEX_NAME,
	    NULL },
	{ "optuna", IMP_CSV, "`number`, `state`, `value` (or `values_0`)",
	    m_optuna, r_optuna, steps_none, FMT_MANY, "trial-" },
	{ "wandb", IMP_CSV, "a `_step` column",
	    m_wandb_history, r_wandb_history, steps_wandb, 0, NULL },
	{ "raytune", IMP_CSV, "`training_iteration` and `time_total_s`, "
	    "`timesteps_total` or `trial_id`",
	    m_raytune, r_raytune, steps_ray, 0, NULL },
	{ "baselines", IMP_CSV, "`TimestepsSoFar`, `total_timesteps` or "
	    "`time/total_timesteps`; or `epoch` with `stats_*`/`test/*` "
	    "columns",
	    m_baselines, r_metric, steps_baselines, 0, NULL },
	{ "ultralytics", IMP_CSV, "`epoch` and `train/*`, `metrics/*` or "
	    "`val/*` columns",
	    m_ultralytics, r_metric, steps_epoch, 0, NULL },
	{ "testtube", IMP_CSV, "`created_at` and `epoch`",
	    m_testtube, r_testtube, steps_epoch, 0, NULL },
	{ "lightning", IMP_CSV, "`step` and `epoch`",
	    m_lightning, r_metric, steps_step, 0, NULL },
	{ "keras", IMP_CSV, "first column `epoch`",
	    m_keras, r_metric, steps_epoch, 0, NULL },
	{ "wide", IMP_CSV, "a column `step`, `_step`, `training_iteration`, "
	    "`global_step`, `iteration`, `iter`, `it`, `Step` or `epoch`; "
	    "else the first column of whole numbers that rise on every row; "
	    "or `--step-col COLUMN`",
	    m_wide, r_metric, wide_steps, 0, NULL },
	{ "detectron2", IMP_JSON, "a `.json` file of one object per line "
	    "with `iteration`", NULL, NULL, NULL, 0, NULL },
	{ "raytune-json", IMP_JSON, "a `.json` file of one object per line "
	    "with `training_iteration`", NULL, NULL, NULL, 0, NULL },
	{ "hf-trainer", IMP_JSON, "a JSON document with a `log_history` "
	    "array", NULL, NULL, NULL, 0, NULL },
	{ "jsonl", IMP_JSON, "a `.json` file of one object per line with "
	    "`step`, `global_step`, `iter` or `epoch`",
	    NULL, NULL, NULL, 0, NULL },
	{ "tfevents", IMP_TFEVENTS, "a folder with `events.out.tfevents.*` "
	    "files", NULL, NULL, NULL, 0, NULL },
	{ NULL, IMP_CSV, NULL, NULL, NULL, NULL, 0, NULL }
};

const char *
import_format(size_t i, const char **rule)
{
	size_t	n;

	for (n = 0; imp_formats[n].name != NULL; n++)
		;
	if (i >= n)
		return NULL;
	if (rule != NULL)
		*rule = imp_formats[i].rule;
	return imp_formats[i].name;
}

void
csvfmt_free(struct csvfmt *f)
{
	size_t	i;

	for (i = 0; i < f->ncols; i++)
		wb_free(f->cols[i].name);
	wb_free(f->cols);
	memset(f, 0, sizeof *f);
}

static const struct imp_format *
find_format(struct imp *im, char *const *h, size_t n, struct wb_err *err)
{
	const char	*want = im->opts->format;
	size_t		 i;

	if (want != NULL && strcmp(want, "auto") == 0)
		want = NULL;
	for (i = 0; imp_formats[i].name != NULL; i++) {
		const struct imp_format *t = &imp_formats[i];

		if (want != NULL) {
			if (strcmp(want, t->name) != 0)
				continue;
			if (t->kind != IMP_CSV) {
				wb_err_set(err, WB_EFORMAT, "%s: --format %s "
				    "is for %s files, and this one is CSV",
				    im->name, want, t->kind == IMP_JSON ?
				    "JSON" : "TensorBoard event");
				return NULL;
			}
			return t;
		}
		if (t->kind != IMP_CSV)
			continue;
		if (t->match(h, n))
			return t;
	}
	if (want != NULL)
		wb_err_set(err, WB_EFORMAT, "%s: unknown format '%s' (see "
		    "mlwb import --help)", im->name, want);
	else
		wb_err_set(err, WB_EFORMAT, "%s:1: an empty header; nothing "
		    "imported", im->name);
	return NULL;
}

int
imp_detect(struct imp *im, char **h, size_t n, struct csvfmt *f,
    struct wb_err *err)
{
	const struct imp_format	*t;
	size_t			 i;
	int			 c;

	memset(f, 0, sizeof *f);
	f->step = -1;
	if ((t = find_format(im, h, n, err)) == NULL)
		return err ? err->code : WB_EFORMAT;
	f->format = t->name;
	f->many = (t->flags & FMT_MANY) != 0;
	f->name_from_index = (t->flags & FMT_INDEX_NAME) != 0;
	f->name_prefix = t->name_prefix;
	if ((f->cols = wb_calloc(n, sizeof *f->cols)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	f->ncols = n;
	for (i = 0; i < n; i++) {
		const char	*name = h[i];
		enum role	 r = t->role(h[i], i, &name);

		if (t->role == r_tensorboard && r == R_METRIC)
			name = im->tb_tag;
		if ((r == R_METRIC || r == R_LAX) && h[i][0] == '\0')
			r = R_SKIP;	/* a pandas index column */
		if ((f->cols[i].name = wb_strdup(name)) == NULL)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		f->cols[i].role = r;
	}

	/* The step: --step-col for any one-run format, else the entry's. */
	if (im->opts->step_col != NULL && !f->many && t->role != r_long &&
	    t->role != r_tensorboard) {
		if ((f->step = col_of(h, n, im->opts->step_col)) < 0)
			return wb_err_set(err, WB_EINVAL, "%s:1: no column "
			    "named '%s' for --step-col", im->name,
			    im->opts->step_col);
	} else
		for (i = 0; t->steps[i] != NULL && f->step < 0; i++)
			f->step = col_of(h, n, t->steps[i]);
	if (f->step >= 0)
		f->cols[f->step].role = R_STEP;
	else if (t->match == m_wide)
		f->scan_step = 1;
	if (t->role == r_long) {
		for (c = 0, i = 0; i < n; i++)
			c += f->cols[i].role == R_LONG_KEY ||
			    f->cols[i].role == R_LONG_VALUE ||
			    f->cols[i].role == R_LONG_STEP;
		if (c != 3)
			return wb_err_set(err, WB_EFORMAT, "%s:1: long format "
			    "needs columns run,key,step,value[,timestamp]",
			    im->name);
	}
	/* Duplicate metric names: pandas' way, "loss", "loss.1". */
	for (i = 0; i < n; i++) {
		size_t	j, dup = 0;

		for (j = 0; j < i; j++)
			if (strcmp(f->cols[i].name, f->cols[j].name) == 0 &&
			    f->cols[i].role == f->cols[j].role)
				dup++;
		if (dup > 0 && f->cols[i].role != R_SKIP) {
			struct strbuf	sb = STRBUF_INIT;

			strbuf_addf(&sb, "%s.%zu", f->cols[i].name, dup);
			wb_free(f->cols[i].name);
			if ((f->cols[i].name = strbuf_detach(&sb)) == NULL)
				return wb_err_set(err, WB_ENOMEM,
				    "out of memory");
		}
	}
	return WB_OK;
}
