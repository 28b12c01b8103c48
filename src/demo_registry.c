/*
 * demo_registry: the registry part of the demo workspace: two models whose
 * versions come from the demo's finished runs (worst first, so that the
 * gates have something to say), artifacts written beside the database,
 * aliases, and a history with gated promotions, a gate refusal, a forced
 * promotion and a rollback.  Fixed times and actor keep it the same on
 * every machine.
 */
#include "config.h"

#include "demo.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "db_run.h"
#include "err.h"
#include "registry.h"

#define DEMO_T0 1793491200000LL		/* 2026-11-01 00:00:00 UTC */
#define HOUR	3600000LL
#define NPICK	4

struct pick {
	struct db	*db;
	const char	*metric;
	int		 lower_better;
	char		 uuid[NPICK * 4][33];
	double		 value[NPICK * 4];
	size_t		 n;
};

static int
pick_run(void *arg, const struct run *r)
{
	struct pick	*p = arg;
	double		 v;
	int		 has;

	if (p->n == NPICK * 4)
		return 1;
	if (strcmp(r->status, "finished") != 0)
		return 0;
	if (reg_metric_last(p->db, r->id, p->metric, &v, &has, NULL) !=
	    WB_OK || !has || isnan(v))
		return 0;
	memcpy(p->uuid[p->n], r->uuid, 33);
	p->value[p->n++] = v;
	return 0;
}

/* Runs of exp with metric, worst first; *n of them (at most NPICK). */
static int
pick(struct db *db, const char *exp, struct pick *p, struct wb_err *err)
{
	int64_t	 id;
	size_t	 i, j, step;
	double	 tv;
	char	 tu[33];
	int	 rc;

	p->db = db;
	if ((rc = db_exp_find(db, exp, &id, err)) != WB_OK ||
	    (rc = db_run_each(db, id, pick_run, p, err)) != WB_OK)
		return rc;
	/* Insertion sort, worst first. */
	for (i = 1; i < p->n; i++)
		for (j = i; j > 0 && (p->lower_better ?
		    p->value[j - 1] < p->value[j] :
		    p->value[j - 1] > p->value[j]); j--) {
			tv = p->value[j];
			p->value[j] = p->value[j - 1];
			p->value[j - 1] = tv;
			memcpy(tu, p->uuid[j], 33);
			memcpy(p->uuid[j], p->uuid[j - 1], 33);
			memcpy(p->uuid[j - 1], tu, 33);
		}
	/* Spread the picks over the range, keeping the best last. */
	if (p->n > NPICK) {
		step = (p->n - 1) / (NPICK - 1);
		for (i = 0; i < NPICK - 1; i++) {
			memcpy(p->uuid[i], p->uuid[i * step], 33);
			p->value[i] = p->value[i * step];
		}
		memcpy(p->uuid[NPICK - 1], p->uuid[p->n - 1], 33);
		p->value[NPICK - 1] = p->value[p->n - 1];
		p->n = NPICK;
	}
	if (p->n < 3)
		return wb_err_set(err, WB_ENOTFOUND, "demo: too few finished "
		    "runs in %s", exp);
	return WB_OK;
}

static int
write_artifact(const char *dir, const char *model, int v, char *path,
    size_t len, struct wb_err *err)
{
	FILE	*fp;
	char	 sub[4096];
	int	 i;

	if (wb_path_fmt(sub, sizeof sub, err, "%s/models", dir) != WB_OK)
		return WB_EINVAL;
	mkdir(sub, 0777);
	if (wb_path_fmt(sub, sizeof sub, err, "%s/models/%s", dir, model) !=
	    WB_OK)
		return WB_EINVAL;
	mkdir(sub, 0777);
	if (wb_path_fmt(path, len, err, "%s/models/%s/v%d", dir, model, v) !=
	    WB_OK)
		return WB_EINVAL;
	if (mkdir(path, 0777) == -1 && errno != EEXIST)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (wb_path_fmt(sub, sizeof sub, err, "%s/model.bin", path) != WB_OK)
		return WB_EINVAL;
	if ((fp = fopen(sub, "w")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", sub, strerror(errno));
	for (i = 0; i < 64; i++)
		fprintf(fp, "%s weights v%d block %d\n", model, v, i);
	if (fclose(fp) != 0)
		return wb_err_set(err, WB_EIO, "%s: write error", sub);
	if (wb_path_fmt(sub, sizeof sub, err, "%s/config.json", path) != WB_OK)
		return WB_EINVAL;
	if ((fp = fopen(sub, "w")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", sub, strerror(errno));
	fprintf(fp, "{\"model\": \"%s\", \"version\": %d}\n", model, v);
	if (fclose(fp) != 0)
		return wb_err_set(err, WB_EIO, "%s: write error", sub);
	return WB_OK;
}

/* One step of a model's story. */
struct step {
	int		 rollback;
	int		 version;	/* 1-based index into the picks */
	const char	*alias;
	const char	*gate;
	int		 force;
	const char	*reason;
};

static int
model_story(struct db *db, const char *dir, const char *model,
    const char *description, const char *exp, const char *metric,
    int lower_better, const struct step *steps, size_t nsteps,
    int64_t t0, struct wb_err *err)
{
	static struct pick	 p;
	struct reg_outcome	 o;
	struct reg_move		 m;
	struct reg_who		 who = { "demo", "gpu-box-1", 0 };
	char			 path[4096], desc[128];
	int64_t			 ver;
	size_t			 i;
	int			 rc;

	memset(&p, 0, sizeof p);
	p.metric = metric;
	p.lower_better = lower_better;
	if ((rc = pick(db, exp, &p, err)) != WB_OK)
		return rc;
	who.at = t0;
	if ((rc = reg_model_create(db, model, description, &who, err)) !=
	    WB_OK)
		return rc;
	for (i = 0; i < p.n; i++) {
		who.at = t0 + (int64_t)(i + 1) * HOUR;
		if ((rc = write_artifact(dir, model, (int)i + 1, path,
		    sizeof path, err)) != WB_OK)
			return rc;
		snprintf(desc, sizeof desc, "%s %.4g", metric, p.value[i]);
		if ((rc = reg_register(db, model, p.uuid[i], path, desc, &who,
		    &ver, err)) != WB_OK)
			return rc;
	}
	for (i = 0; i < nsteps; i++) {
		if ((size_t)steps[i].version > p.n)
			continue;
		memset(&m, 0, sizeof m);
		m.model = model;
		m.version = steps[i].version;
		m.alias = steps[i].alias;
		m.gate = steps[i].gate;
		m.force = steps[i].force;
		m.reason = steps[i].reason;
		m.who = who;
		m.who.at = t0 + (int64_t)(24 + 6 * i) * HOUR;
		rc = steps[i].rollback ? reg_rollback(db, &m, &o, err) :
		    reg_promote(db, &m, &o, err);
		reg_outcome_clear(&o);
		/* The refusal is part of the story. */
		if (rc != WB_OK && rc != WB_EGATE)
			return rc;
	}
	return WB_OK;
}

int
demo_registry(struct db *db, const char *dir, struct wb_err *err)
{
	static const struct step cifar[] = {
		{ 0, 1, "champion", NULL, 0, "baseline" },
		{ 0, 2, "champion", "val_loss", 0, "lower val_loss" },
		{ 0, 3, "challenger", NULL, 0, "A/B against champion" },
		{ 0, 1, "champion", "val_loss", 0, "retry the baseline" },
		{ 0, 3, "champion", "val_loss", 0, "won the A/B test" },
		{ 0, 4, "challenger", NULL, 0, "best sweep run" },
		{ 0, 4, "production", NULL, 0, "first production model" },
	};
	static const struct step bert[] = {
		{ 0, 1, "production", NULL, 0, "first release" },
		{ 0, 2, "production", "eval_accuracy", 0, "+accuracy" },
		{ 0, 3, "staging", NULL, 0, "canary" },
		{ 0, 1, "production", "eval_accuracy", 1,
		    "hotfix: v2 tokenizer bug" },
		{ 1, 0, "production", NULL, 0, "tokenizer fixed; back to v2" },
	};
	int	rc;

	if ((rc = model_story(db, dir, "cifar10-classifier",
	    "ResNet-18 image classifier", "cifar10-resnet", "val_loss", 1,
	    cifar, sizeof cifar / sizeof cifar[0], DEMO_T0 + 20 * 24 * HOUR,
	    err)) != WB_OK)
		return rc;
	return model_story(db, dir, "sentiment-bert",
	    "BERT-base IMDB sentiment", "bert-sentiment", "eval_accuracy", 0,
	    bert, sizeof bert / sizeof bert[0], DEMO_T0 + 22 * 24 * HOUR, err);
}
