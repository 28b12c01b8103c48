/*
 * compare: N runs side by side, as pure data: their params (rows flagged
 * when the values differ), their metrics (last, min, max, step of the
 * best value), the best run per metric and the deltas of each run's last
 * value against a baseline run.  Which way is better comes from the
 * metric's name (loss, error, rmse, mae, perplexity, wer ... are lower
 * is better; everything else higher) unless overridden.
 */
#ifndef WB_COMPARE_H
#define WB_COMPARE_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;

struct cmp_run {
	int64_t	 id;
	char	 uuid[33];
	char	*name;
	char	*experiment;
};

struct cmp_param {
	char	*key;
	char	**values;	/* nrun; NULL where the run lacks it */
	int	 differs;
};

struct cmp_metric {
	char	*key;
	int	 lower_better;
	int	 overridden;	/* direction came from the caller */
	unsigned char *has;	/* nrun: the run logged it */
	double	*last, *min, *max;
	int64_t	*last_step, *min_step, *max_step, *best_step;
	double	*best;		/* min or max, by direction */
	int	 best_run;	/* index by last value; -1 if none or tied */
	int	 best_run_best;	/* index by best value; -1 if none or tied */
	double	*delta, *delta_pct; /* last - baseline's last; NaN if n/a */
	int	 differs;
};

struct compare {
	struct cmp_run		*runs;
	size_t			 nrun;
	size_t			 baseline;
	struct cmp_param	*params;
	size_t			 nparam;
	size_t			 ndiffer;	/* params that differ */
	struct cmp_param	*tags;		/* compared like params */
	size_t			 ntag;
	struct cmp_metric	*metrics;
	size_t			 nmetric;
};

/* "name:min" / "name:max" overrides of the direction, or none. */
struct cmp_dir {
	const char	*key;
	int		 lower_better;
};

/* 1 if a metric named key is lower-is-better by its name. */
int	 compare_lower_better(const char *key);

/*
 * Load runs ids[0..n) (n >= 1) side by side; baseline is an index into
 * ids.  Params, tags and metrics are the union over the runs, sorted by
 * key.
 * *out is the caller's (compare_free).
 */
int	 compare_load(struct db *db, const int64_t *ids, size_t n,
	    size_t baseline, const struct cmp_dir *dirs, size_t ndirs,
	    struct compare **out, struct wb_err *err);
/* Recompute best runs and deltas after changing baseline or directions. */
void	 compare_update(struct compare *c);
void	 compare_free(struct compare *c);

#endif
