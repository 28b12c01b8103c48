/*
 * demo_tracking: three experiments of training runs whose curves look like
 * real ones: warm-up, noise, plateaus, overfitting, a diverging run that
 * ends in NaN, a killed run, a failed run and one still running.  A fixed
 * seed and fixed dates make the workspace the same on every machine.
 */
#include "config.h"

#include "demo.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "sha256.h"

#define DEMO_T0 1793491200000LL		/* 2026-11-01 00:00:00 UTC */

struct rng {
	uint64_t	s;
};

static double
rnd(struct rng *r)		/* uniform [0, 1) */
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (double)(r->s >> 11) / 9007199254740992.0;
}

static double
gauss(struct rng *r)
{
	double	u = rnd(r), v = rnd(r);

	return sqrt(-2 * log(u + 1e-300)) * cos(2 * M_PI * v);
}

struct demo_run {
	const char	*exp;
	char		 name[64];
	const char	*status;
	int64_t		 start, end;
	const char	*pk[4], *pv[4];
	char		 pvbuf[4][32];
};

static int
add_run(struct db *db, struct demo_run *d, int64_t *run_id,
    struct wb_err *err)
{
	struct run_new	r;
	int64_t		exp_id;
	size_t		i;
	int		rc;
	char		commit[41];

	if ((rc = db_exp_ensure(db, d->exp, &exp_id, err)) != WB_OK)
		return rc;
	memset(&r, 0, sizeof r);
	r.experiment_id = exp_id;
	r.name = d->name;
	r.status = d->status;
	r.source = "train.py";
	r.git_dirty = 0;
	snprintf(commit, sizeof commit, "%08llx3c1d9e2f4a5b6c7d8e9f0a1b2c3d4e5f",
	    (unsigned long long)(d->start / 1000 % 0xffffffff));
	r.git_commit = commit;
	r.user = "demo";
	r.host = "gpu-box-1";
	r.started_at = d->start;
	r.ended_at = d->end;
	r.created_at = d->start;
	if (strcmp(d->status, "finished") == 0 ||
	    strcmp(d->status, "failed") == 0) {
		r.has_exit_code = 1;
		r.exit_code = strcmp(d->status, "failed") == 0 ? 1 : 0;
	}
	/* The demo's UUIDs are deterministic too: a hash of the names. */
	{
		struct sha256	c;
		char		hex[65];

		sha256_init(&c);
		sha256_update(&c, d->exp, strlen(d->exp));
		sha256_update(&c, "/", 1);
		sha256_update(&c, d->name, strlen(d->name));
		sha256_hex(&c, hex);
		memcpy(r.uuid, hex, 32);
		r.uuid[32] = '\0';
	}
	if ((rc = db_run_insert(db, &r, run_id, err)) != WB_OK)
		return rc;
	for (i = 0; i < 4 && d->pk[i] != NULL; i++)
		if ((rc = db_param_set(db, *run_id, d->pk[i], d->pv[i], err)) !=
		    WB_OK)
			return rc;
	return WB_OK;
}

/* CIFAR-10 ResNet grid: per-epoch curves, some pathologies. */
static int
demo_cifar(struct db *db, struct mwriter *w, struct rng *g, int64_t *t,
    struct wb_err *err)
{
	static const double	lrs[] = { 0.1, 0.03, 0.01, 0.003 };
	static const int	bss[] = { 64, 128, 256 };
	static const char *const opts[] = { "sgd", "adam" };
	int64_t			k_tl, k_vl, k_ta, k_va, k_lr, run;
	int			li, bi, oi, e, epochs, rc, n = 0;

	if ((rc = mw_key(w, "train_loss", &k_tl, err)) ||
	    (rc = mw_key(w, "val_loss", &k_vl, err)) ||
	    (rc = mw_key(w, "train_acc", &k_ta, err)) ||
	    (rc = mw_key(w, "val_acc", &k_va, err)) ||
	    (rc = mw_key(w, "lr", &k_lr, err)))
		return rc;
	for (oi = 0; oi < 2; oi++)
	for (li = 0; li < 4; li++)
	for (bi = 0; bi < 3; bi++) {
		struct demo_run	d;
		double		lr = lrs[li] / (oi ? 10 : 1), skill, over;
		int		diverge = oi == 1 && li == 0 && bi == 0;
		int		killed = oi == 0 && li == 3 && bi == 2;

		memset(&d, 0, sizeof d);
		d.exp = "cifar10-resnet";
		snprintf(d.name, sizeof d.name, "resnet18-%s-lr%g-bs%d",
		    opts[oi], lr, bss[bi]);
		epochs = killed ? 21 : diverge ? 8 : 50;
		d.status = killed ? "killed" : diverge ? "failed" : "finished";
		d.start = *t;
		d.end = *t + (int64_t)epochs * (40000 - bss[bi] * 60);
		*t = d.end + 60000;
		d.pk[0] = "lr";
		snprintf(d.pvbuf[0], 32, "%g", lr);
		d.pk[1] = "batch_size";
		snprintf(d.pvbuf[1], 32, "%d", bss[bi]);
		d.pk[2] = "optimizer";
		snprintf(d.pvbuf[2], 32, "%s", opts[oi]);
		d.pk[3] = "arch";
		snprintf(d.pvbuf[3], 32, "resnet18");
		d.pv[0] = d.pvbuf[0], d.pv[1] = d.pvbuf[1];
		d.pv[2] = d.pvbuf[2], d.pv[3] = d.pvbuf[3];
		if ((rc = add_run(db, &d, &run, err)) != WB_OK)
			return rc;
		if ((rc = db_tag_set(db, run, "dataset", "cifar10", err)) ||
		    (rc = db_tag_set(db, run, "team", "vision", err)))
			return rc;
		/* How good this configuration is, and how much it overfits. */
		skill = 0.55 + 0.35 * exp(-fabs(log10(lr / 0.01)) * 1.3) -
		    0.02 * bi;
		over = bi == 0 ? 0.012 : bi == 1 ? 0.006 : 0.002;
		for (e = 0; e < epochs; e++) {
			double	p = 1 - exp(-(e + 1) / 8.0);
			double	lr_e = lr * 0.5 * (1 + cos(M_PI * e / 50));
			double	tl, vl, ta, va;
			int64_t	ts = d.start + (int64_t)(e + 1) *
			    (d.end - d.start) / epochs;

			if (e < 3)	/* linear warm-up */
				lr_e = lr * (e + 1) / 3.0;
			ta = skill * p + (1 - skill) * 0.1 + 0.004 * gauss(g);
			tl = 2.3 * exp(-3.2 * p * skill) + 0.02 * fabs(gauss(g));
			va = ta - 0.01 - over * (e > 25 ? e - 25 : 0) * 0.4 +
			    0.008 * gauss(g);
			vl = tl + 0.05 + over * (e > 20 ? e - 20 : 0) +
			    0.03 * fabs(gauss(g));
			if (diverge && e >= 4) {
				tl = e == 7 ? NAN : tl * pow(6, e - 3);
				vl = e == 7 ? NAN : vl * pow(6, e - 3);
				ta = va = 0.1;
			}
			if ((rc = mw_add(w, run, k_tl, e, ts, tl, err)) ||
			    (rc = mw_add(w, run, k_vl, e, ts, vl, err)) ||
			    (rc = mw_add(w, run, k_ta, e, ts, ta, err)) ||
			    (rc = mw_add(w, run, k_va, e, ts, va, err)) ||
			    (rc = mw_add(w, run, k_lr, e, ts, lr_e, err)))
				return rc;
		}
		n++;
	}
	return WB_OK;
}

/* BERT fine-tuning: per-step loss with warm-up, eval every 500 steps. */
static int
demo_bert(struct db *db, struct mwriter *w, struct rng *g, int64_t *t,
    struct wb_err *err)
{
	static const double	lrs[] = { 5e-5, 3e-5, 2e-5 };
	static const int	warm[] = { 0, 500 };
	int64_t			k_l, k_el, k_ea, k_lr, run;
	int			li, wi, seed, s, rc, last;

	if ((rc = mw_key(w, "loss", &k_l, err)) ||
	    (rc = mw_key(w, "eval_loss", &k_el, err)) ||
	    (rc = mw_key(w, "eval_accuracy", &k_ea, err)) ||
	    (rc = mw_key(w, "learning_rate", &k_lr, err)))
		return rc;
	for (li = 0; li < 3; li++)
	for (wi = 0; wi < 2; wi++)
	for (seed = 1; seed <= 2; seed++) {
		struct demo_run	d;
		int		running = li == 2 && wi == 1 && seed == 2;
		int		failed = li == 0 && wi == 0 && seed == 2;
		double		q = 0.88 + 0.02 * li + 0.015 * wi;

		memset(&d, 0, sizeof d);
		d.exp = "bert-sentiment";
		snprintf(d.name, sizeof d.name, "bert-base-lr%g-w%d-s%d",
		    lrs[li], warm[wi], seed);
		last = running ? 1850 : failed ? 1200 : 3000;
		d.status = running ? "running" : failed ? "failed" :
		    "finished";
		d.start = *t;
		d.end = running ? 0 : *t + (int64_t)last * 450;
		*t += (int64_t)last * 450 + 120000;
		d.pk[0] = "learning_rate";
		snprintf(d.pvbuf[0], 32, "%g", lrs[li]);
		d.pk[1] = "warmup_steps";
		snprintf(d.pvbuf[1], 32, "%d", warm[wi]);
		d.pk[2] = "seed";
		snprintf(d.pvbuf[2], 32, "%d", seed);
		d.pk[3] = "model";
		snprintf(d.pvbuf[3], 32, "bert-base-uncased");
		d.pv[0] = d.pvbuf[0], d.pv[1] = d.pvbuf[1];
		d.pv[2] = d.pvbuf[2], d.pv[3] = d.pvbuf[3];
		if ((rc = add_run(db, &d, &run, err)) != WB_OK)
			return rc;
		if ((rc = db_tag_set(db, run, "dataset", "imdb", err)) ||
		    (rc = db_tag_set(db, run, "team", "nlp", err)))
			return rc;
		for (s = 0; s <= last; s += 10) {
			double	lr_s = warm[wi] && s < warm[wi] ?
			    lrs[li] * s / warm[wi] :
			    lrs[li] * (1 - (double)s / 3000);
			double	loss = 0.25 + 0.45 * exp(-s / 400.0) +
			    0.06 * gauss(g) * (1 + (wi == 0 && s < 300));
			int64_t	ts = d.start + (int64_t)s * 450;

			if (loss < 0.05)
				loss = 0.05;
			if ((rc = mw_add(w, run, k_l, s, ts, loss, err)) ||
			    (rc = mw_add(w, run, k_lr, s, ts, lr_s, err)))
				return rc;
			if (s > 0 && s % 500 == 0) {
				double acc = q - 0.12 * exp(-s / 700.0) +
				    0.004 * gauss(g);

				if ((rc = mw_add(w, run, k_el, s, ts, 0.22 +
				    0.3 * exp(-s / 600.0) + 0.01 * gauss(g) +
				    (s > 2000 ? 0.00004 * (s - 2000) : 0),
				    err)) ||
				    (rc = mw_add(w, run, k_ea, s, ts, acc, err)))
					return rc;
			}
		}
	}
	return WB_OK;
}

/* Gradient boosting: 200 rounds, plateaus, deep trees overfit. */
static int
demo_xgb(struct db *db, struct mwriter *w, struct rng *g, int64_t *t,
    struct wb_err *err)
{
	static const int	depths[] = { 3, 6, 9, 12 };
	static const double	etas[] = { 0.1, 0.3 };
	int64_t			k_tr, k_va, run;
	int			di, ei, r, rc;

	if ((rc = mw_key(w, "train-rmse", &k_tr, err)) ||
	    (rc = mw_key(w, "valid-rmse", &k_va, err)))
		return rc;
	for (di = 0; di < 4; di++)
	for (ei = 0; ei < 2; ei++) {
		struct demo_run	d;
		double		floor_tr = 0.42 - 0.08 * di;
		double		floor_va = 0.47 - 0.02 * di + 0.015 * di * di *
		    (ei + 1) / 2;

		memset(&d, 0, sizeof d);
		d.exp = "tabular-xgb";
		snprintf(d.name, sizeof d.name, "xgb-d%d-eta%g", depths[di],
		    etas[ei]);
		d.status = "finished";
		d.start = *t;
		d.end = *t + 95000 + di * 30000;
		*t = d.end + 20000;
		d.pk[0] = "max_depth";
		snprintf(d.pvbuf[0], 32, "%d", depths[di]);
		d.pk[1] = "eta";
		snprintf(d.pvbuf[1], 32, "%g", etas[ei]);
		d.pk[2] = "subsample";
		snprintf(d.pvbuf[2], 32, "0.8");
		d.pv[0] = d.pvbuf[0], d.pv[1] = d.pvbuf[1];
		d.pv[2] = d.pvbuf[2];
		if ((rc = add_run(db, &d, &run, err)) != WB_OK)
			return rc;
		if ((rc = db_tag_set(db, run, "dataset", "housing", err)))
			return rc;
		for (r = 0; r < 200; r++) {
			double	k = etas[ei] * (r + 1) / 4.0;
			double	tr = floor_tr + 2.0 * exp(-k) +
			    0.002 * gauss(g);
			double	va = floor_va + 2.0 * exp(-k * 0.9) +
			    0.004 * gauss(g) + (di >= 2 ? 0.0004 * r * di *
			    etas[ei] : 0);
			int64_t	ts = d.start + (int64_t)r * (d.end - d.start)
			    / 200;

			if ((rc = mw_add(w, run, k_tr, r, ts, tr, err)) ||
			    (rc = mw_add(w, run, k_va, r, ts, va, err)))
				return rc;
		}
	}
	return WB_OK;
}

int
demo_tracking(struct db *db, struct wb_err *err)
{
	struct mwriter	*w;
	struct rng	 g = { 0x9e3779b97f4a7c15ULL };
	int64_t		 t = DEMO_T0;
	int		 rc;

	if ((rc = mw_open(db, &w, err)) != WB_OK)
		return rc;
	if ((rc = demo_cifar(db, w, &g, &t, err)) == WB_OK &&
	    (rc = demo_bert(db, w, &g, &t, err)) == WB_OK &&
	    (rc = demo_xgb(db, w, &g, &t, err)) == WB_OK)
		rc = mw_flush(w, err);
	mw_close(w);
	return rc;
}
