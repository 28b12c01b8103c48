/*
 * test_compare: runs side by side: the union of params with differing
 * rows flagged, metric last/min/max and the step of the best value, the
 * best run per metric by direction (from the name, or overridden), and
 * deltas against a baseline, in a :memory: workspace.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "tap.h"

static struct db *db;
static int64_t ids[3];

static void
setup(void)
{
	static const struct {
		const char	*name, *lr, *opt;
		double		 loss[3], acc[3];
	} rs[] = {
		{ "a", "0.1", "adam", { 0.9, 0.2, 0.3 }, { 0.5, 0.7, 0.8 } },
		{ "b", "0.01", "adam", { 0.8, 0.4, 0.25 }, { 0.6, 0.9, 0.85 } },
		{ "c", "0.1", NULL, { 1.0, 0.6, 0.5 }, { NAN, NAN, NAN } },
	};
	struct wb_err	 err;
	struct mwriter	*w;
	struct run_new	 r;
	int64_t		 exp, kl, ka;
	size_t		 i, j;

	if (db_open(":memory:", 0, &db, &err) || db_exp_ensure(db, "e", &exp,
	    &err) || mw_open(db, &w, &err) || mw_key(w, "val_loss", &kl, &err) ||
	    mw_key(w, "accuracy", &ka, &err))
		abort();
	for (i = 0; i < 3; i++) {
		memset(&r, 0, sizeof r);
		r.experiment_id = exp;
		r.name = rs[i].name;
		r.git_dirty = -1;
		if (db_run_insert(db, &r, &ids[i], &err) ||
		    db_param_set(db, ids[i], "lr", rs[i].lr, &err) ||
		    (rs[i].opt && db_param_set(db, ids[i], "optimizer",
		    rs[i].opt, &err)) || db_param_set(db, ids[i], "seed", "1",
		    &err))
			abort();
		for (j = 0; j < 3; j++)
			if (mw_add(w, ids[i], kl, (int64_t)j * 10, 0,
			    rs[i].loss[j], &err) || (i < 2 && mw_add(w, ids[i],
			    ka, (int64_t)j * 10, 0, rs[i].acc[j], &err)))
				abort();
	}
	if (mw_flush(w, &err))
		abort();
	mw_close(w);
}

static const struct cmp_metric *
metric(const struct compare *c, const char *key)
{
	size_t	i;

	for (i = 0; i < c->nmetric; i++)
		if (strcmp(c->metrics[i].key, key) == 0)
			return &c->metrics[i];
	return NULL;
}

int
main(void)
{
	struct compare			*c;
	const struct cmp_metric		*m;
	struct wb_err			 err;
	struct cmp_dir			 d = { "accuracy", 1 };

	ok(compare_lower_better("val_loss") && compare_lower_better("rmse") &&
	    compare_lower_better("train/box_loss") &&
	    compare_lower_better("top1_error") &&
	    compare_lower_better("eval_wer") &&
	    compare_lower_better("Perplexity"), "lower-is-better names");
	ok(!compare_lower_better("accuracy") && !compare_lower_better("power")
	    && !compare_lower_better("answer_f1") &&
	    !compare_lower_better("mAP50"), "higher-is-better names (no "
	    "'wer' inside 'power')");

	setup();
	ok(compare_load(db, ids, 3, 0, NULL, 0, &c, &err) == WB_OK,
	    "compare 3 runs");
	is_int(c->nrun, 3, "three runs");
	is_str(c->runs[1].name, "b", "run names in the given order");
	is_int(c->nparam, 3, "union of params");
	is_str(c->params[0].key, "lr", "params sorted by key");
	ok(c->params[0].differs, "lr differs");
	ok(c->params[1].differs && c->params[1].values[2] == NULL,
	    "optimizer missing in c counts as differing");
	ok(!c->params[2].differs, "seed is the same everywhere");
	is_int(c->ndiffer, 2, "two params differ");

	m = metric(c, "val_loss");
	ok(m != NULL && m->lower_better, "val_loss is lower-is-better");
	is_num(m->last[1], 0.25, 0, 0, "last value");
	is_num(m->min[0], 0.2, 0, 0, "min value");
	is_num(m->max[2], 1.0, 0, 0, "max value");
	is_int(m->best_step[0], 10, "step of the best (lowest) value");
	is_int(m->best_run, 1, "best run by last value is b");
	is_int(m->best_run_best, 0, "best run by best value is a");
	is_num(m->delta[1], -0.05, 1e-12, 1e-12, "delta against baseline a");
	is_num(m->delta_pct[1], -0.05 / 0.3 * 100, 1e-9, 0, "delta in percent");
	is_num(m->delta[0], 0, 0, 0, "baseline's own delta is 0");

	m = metric(c, "accuracy");
	ok(m != NULL && !m->lower_better, "accuracy is higher-is-better");
	ok(!m->has[2] && isnan(m->delta[2]), "run without the metric: no delta");
	is_int(m->best_run, 1, "best accuracy is b");
	is_int(m->best_step[1], 10, "step of the highest accuracy");

	/* An exact tie names no best run. */
	{
		struct cmp_metric *t = &c->metrics[metric(c, "val_loss") -
		    c->metrics];
		double	keep = t->last[0];

		t->last[0] = t->last[1];
		compare_update(c);
		is_int(t->best_run, -1, "a tie for the best last value: none");
		t->last[0] = keep;
		compare_update(c);
		is_int(t->best_run, 1, "and b again once a is worse");
	}

	c->baseline = 1;
	compare_update(c);
	m = metric(c, "val_loss");
	is_num(m->delta[0], 0.05, 1e-12, 1e-12, "baseline changed to b");
	compare_free(c);

	ok(compare_load(db, ids, 3, 0, &d, 1, &c, &err) == WB_OK,
	    "compare with an override");
	m = metric(c, "accuracy");
	ok(m->lower_better && m->overridden && m->best_run == 0,
	    "accuracy overridden to lower-is-better: best is a");
	compare_free(c);

	ok(compare_load(db, ids, 0, 0, NULL, 0, &c, &err) == WB_EINVAL,
	    "no runs is an error");

	/* Every allocation failure is WB_ENOMEM and leaks nothing (ASan). */
	{
		long	n;
		int	rc, bad = 0;

		for (n = 0; n < 10000; n++) {
			wb_mem_fail_after(n);
			rc = compare_load(db, ids, 3, 0, NULL, 0, &c, &err);
			wb_mem_fail_after(-1);
			if (rc == WB_OK) {
				compare_free(c);
				break;
			}
			if (rc != WB_ENOMEM || c != NULL)
				bad++;
		}
		ok(bad == 0 && n > 10, "compare_load under %ld allocation "
		    "failures: WB_ENOMEM each time", n);
	}
	db_close(db);
	return tap_done();
}
