/*
 * demo_launch: the launch part of the demo workspace.  Writes the example
 * project (data/example-project, compiled in) to DIR/example-project, and
 * records the training runs of cifar10-resnet as jobs launched from a
 * project: a job row per run (its state, exit code, signal and times are
 * the run's) and a log file that reads as the run's training script would
 * have printed it, progress bars and all, built from the run's own metric
 * points.  No run is added or changed, so every other screen of the demo
 * stays as it was; screen 5 lists 24 jobs that agree with their runs.
 */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "db_jobs.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"
#include "text.h"

/*
 * Generated from data/example-project by mk/embed.sh (src/example_embed.c,
 * linked into the program).  Weak: builds that link the library's objects
 * alone (unit tests, fuzz targets) have no example project to write.
 */
extern const char example_mlwb_yaml[] __attribute__((weak));
extern const char example_train_sh[] __attribute__((weak));
extern const char example_evaluate_sh[] __attribute__((weak));
extern const char example_deploy_sh[] __attribute__((weak));
extern const char example_train_csv[] __attribute__((weak));
extern const char example_new_data_csv[] __attribute__((weak));

#define DEMO_EXP	"cifar10-resnet"
#define DEMO_CWD	"/home/demo/cifar10"
#define BAR_STEPS	4

static int
write_file(const char *dir, const char *name, const char *text, size_t len,
    struct wb_err *err)
{
	char	 path[4096];
	FILE	*fp;

	if (wb_path_fmt(path, sizeof path, err, "%s/%s", dir, name) != WB_OK)
		return WB_EINVAL;
	if ((fp = fopen(path, "w")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (fwrite(text, 1, len, fp) != len) {
		fclose(fp);
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	}
	if (fclose(fp) != 0)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	return WB_OK;
}

struct ids {
	int64_t	*v;
	size_t	 n;
	int	 oom;
};

static int
collect(void *arg, const struct run *r)
{
	struct ids	*ids = arg;
	int64_t		*nv;

	/* A running run would show a changing elapsed time: left out. */
	if (strcmp(r->status, "running") == 0)
		return 0;
	if ((nv = wb_reallocarray(ids->v, ids->n + 1, sizeof *nv)) == NULL) {
		ids->oom = 1;
		return 1;
	}
	ids->v = nv;
	ids->v[ids->n++] = r->id;
	return 0;
}

static const char *
param(const struct kv *kv, size_t n, const char *key, const char *def)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0 && kv[i].value != NULL)
			return kv[i].value;
	return def;
}

/* The value of series s at step, or NaN. */
static double
at(const struct series *s, int64_t step)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->step[i] == step)
			return s->value[i];
	return NAN;
}

static void
num(struct strbuf *sb, double v)
{
	if (isnan(v))
		strbuf_adds(sb, "nan");
	else if (v != 0 && fabs(v) < 0.001)
		strbuf_addf(sb, "%.3e", v);
	else
		strbuf_addf(sb, "%.4f", v);
}

/*
 * The output train.py would have printed for a run: one epoch per step
 * of its metrics, each with a '\r' bar whose loss moves towards the
 * epoch's value, then the epoch line and the validation line.
 */
static void
make_log(struct strbuf *log, const struct run *r, const char *const keys[],
    struct series *se, int nkeys, int64_t nsteps, const char *argline)
{
	double	tl, prev = NAN;
	int64_t	e;
	int	k, s, i;

	strbuf_addf(log, "$ %s\n", argline);
	strbuf_adds(log, "Files already downloaded and verified\n"
	    "train: 50000 images, val: 10000 images\n");
	for (e = 0; e < nsteps; e++) {
		tl = at(&se[1], e);
		strbuf_addf(log, "Epoch %lld/50\n", (long long)e + 1);
		for (s = 1; s <= BAR_STEPS; s++) {
			strbuf_addf(log, "%3d/391 [", s * 391 / (BAR_STEPS + 1));
			for (i = 0; i < 20; i++)
				strbuf_addc(log, i < s * 4 ? '=' : '.');
			strbuf_adds(log, "] - ETA: 9s - train_loss: ");
			num(log, isnan(prev) ? tl : prev + (tl - prev) * s /
			    (BAR_STEPS + 1));
			strbuf_addc(log, '\r');
		}
		strbuf_adds(log, "391/391 [====================] - 36s 92ms/step");
		for (k = 0; k < nkeys; k++) {
			if (strncmp(keys[k], "val_", 4) == 0)
				continue;
			strbuf_addf(log, " - %s: ", keys[k]);
			num(log, at(&se[k], e));
		}
		strbuf_addc(log, '\n');
		for (k = 0, i = 0; k < nkeys; k++) {
			if (strncmp(keys[k], "val_", 4) != 0)
				continue;
			strbuf_addf(log, "%s%s: ", i++ ? " - " : "", keys[k]);
			num(log, at(&se[k], e));
		}
		strbuf_addc(log, '\n');
		prev = tl;
	}
	if (strcmp(r->status, "failed") == 0)
		strbuf_adds(log, "Traceback (most recent call last):\n"
		    "  File \"train.py\", line 212, in <module>\n"
		    "    raise FloatingPointError(f\"loss is {loss}\")\n"
		    "FloatingPointError: loss is nan\n");
	else if (strcmp(r->status, "killed") == 0)
		strbuf_adds(log, " 78/391 [====................] - ETA: 29s - "
		    "train_loss: 0.9\r");
	else
		strbuf_addf(log, "saved checkpoints/%s/model.pt\n", r->name);
}

static int
one_job(struct db *db, const char *logs, int64_t run_id, struct wb_err *err)
{
	static const char *const keys[] = { "lr", "train_loss", "train_acc",
	    "val_loss", "val_acc" };
	struct series	 se[5];
	struct strbuf	 argv = STRBUF_INIT, line = STRBUF_INIT;
	struct strbuf	 log = STRBUF_INIT, path = STRBUF_INIT;
	struct run	 r;
	struct job	 j;
	struct kv	*kv = NULL;
	const char	*arch, *lr, *bs, *opt;
	int64_t		 key_id, nsteps = 0, id;
	size_t		 nkv = 0, k;
	int		 rc;

	memset(se, 0, sizeof se);
	if ((rc = db_run_get(db, run_id, &r, err)) != WB_OK)
		return rc;
	if ((rc = db_params_get(db, run_id, &kv, &nkv, err)) != WB_OK)
		goto out;
	for (k = 0; k < 5; k++)
		if (db_metric_key_find(db, keys[k], &key_id, NULL) == WB_OK &&
		    (rc = db_series_load(db, run_id, key_id, &se[k], err)) !=
		    WB_OK)
			goto out;
	for (k = 0; k < 5; k++)
		if (se[k].n > 0 && se[k].step[se[k].n - 1] + 1 > nsteps)
			nsteps = se[k].step[se[k].n - 1] + 1;
	arch = param(kv, nkv, "arch", "resnet18");
	lr = param(kv, nkv, "lr", "0.1");
	bs = param(kv, nkv, "batch_size", "128");
	opt = param(kv, nkv, "optimizer", "sgd");
	strbuf_addf(&line, "python3 train.py --arch %s --lr %s --batch-size "
	    "%s --optimizer %s --epochs 50", arch, lr, bs, opt);
	strbuf_addf(&argv, "[\"python3\", \"train.py\", \"--arch\", \"%s\", "
	    "\"--lr\", \"%s\", \"--batch-size\", \"%s\", \"--optimizer\", "
	    "\"%s\", \"--epochs\", \"50\"]", arch, lr, bs, opt);
	strbuf_addf(&path, "%s/%s.log", logs, r.uuid);
	make_log(&log, &r, keys, se, 5, nsteps, strbuf_str(&line));
	if (argv.oom || line.oom || log.oom || path.oom) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}

	memset(&j, 0, sizeof j);
	j.run_id = run_id;
	j.entry = (char *)(uintptr_t)"train";
	j.argv = argv.s;
	j.cwd = (char *)(uintptr_t)DEMO_CWD;
	j.scalars = (char *)(uintptr_t)"{\"default\": true, \"patterns\": []}";
	j.state = r.status;
	j.pid = j.pgid = 20000 + run_id * 37 % 9000;
	j.supervisor_pid = j.pid - 1;
	j.host = r.host;
	j.log_path = path.s;
	j.has_exit_code = r.has_exit_code;
	j.exit_code = r.exit_code;
	if (strcmp(r.status, "killed") == 0) {
		j.signal = 15;
		j.has_exit_code = 1;
		j.exit_code = 143;
	}
	j.queued_at = j.started_at = r.started_at;
	j.ended_at = r.ended_at;
	if ((rc = db_job_restore(db, &j, &id, err)) != WB_OK)
		goto out;
	rc = write_file(logs, path.s + strlen(logs) + 1, log.s, log.len, err);
out:
	for (k = 0; k < 5; k++)
		series_free(&se[k]);
	kv_free(kv, nkv);
	run_clear(&r);
	strbuf_free(&argv);
	strbuf_free(&line);
	strbuf_free(&log);
	strbuf_free(&path);
	return rc;
}

static int
write_example(const char *dir, struct wb_err *err)
{
	const struct {
		const char	*name;
		const char	*text;
	} files[] = {
		{ "mlwb.yaml", example_mlwb_yaml },
		{ "train.sh", example_train_sh },
		{ "evaluate.sh", example_evaluate_sh },
		{ "deploy.sh", example_deploy_sh },
		{ "train.csv", example_train_csv },
		{ "new-data.csv", example_new_data_csv },
	};
	size_t	i;
	int	rc;

	if (example_mlwb_yaml == NULL)
		return WB_OK;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return wb_err_set(err, WB_EIO, "%s: %s", dir, strerror(errno));
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		if ((rc = write_file(dir, files[i].name, files[i].text,
		    strlen(files[i].text), err)) != WB_OK)
			return rc;
	return WB_OK;
}

int
demo_launch(struct db *db, const char *dir, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct ids	 ids = { NULL, 0, 0 };
	char		*real;
	int64_t		 exp_id;
	size_t		 i;
	int		 rc;

	if ((real = realpath(dir, NULL)) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", dir, strerror(errno));
	strbuf_addf(&sb, "%s/example-project", real);
	if (sb.oom) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = write_example(sb.s, err)) != WB_OK)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s/logs", real);
	if (sb.oom || (mkdir(sb.s, 0777) != 0 && errno != EEXIST)) {
		rc = sb.oom ? wb_err_set(err, WB_ENOMEM, "out of memory") :
		    wb_err_set(err, WB_EIO, "%s: %s", sb.s, strerror(errno));
		goto out;
	}
	if ((rc = db_exp_find(db, DEMO_EXP, &exp_id, err)) != WB_OK) {
		/* The tracking demo changed: no runs to make jobs of. */
		rc = rc == WB_ENOTFOUND ? WB_OK : rc;
		goto out;
	}
	if ((rc = db_run_each(db, exp_id, collect, &ids, err)) != WB_OK)
		goto out;
	if (ids.oom) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < ids.n && rc == WB_OK; i++)
		rc = one_job(db, sb.s, ids.v[i], err);
out:
	wb_free(ids.v);
	strbuf_free(&sb);
	free(real);
	return rc;
}
