/*
 * drift: the statistics of per-column data drift, reference vs current,
 * with Evidently's defaults so that a user who knows it gets the same
 * decision on the same data (see doc/drift.md).
 *
 * Pure math on arrays: no files, no database, no terminal.  A column pair
 * is prepared once (struct drift_col: sorted numbers, category counts,
 * histogram on shared bin edges, summary statistics of both sides) and can
 * then be tested with any method.  KS p-values follow scipy.stats.ks_2samp
 * (exact distribution when the larger sample has at most 10,000 values,
 * else kstwo.sf(D, round(n*m/(n+m)))); chi-square, the two-proportion
 * z-test, normed Wasserstein, PSI, KL, Jensen-Shannon and Hellinger follow
 * Evidently's formulas and binning.
 */
#ifndef WB_DRIFT_H
#define WB_DRIFT_H

#include <stddef.h>

struct wb_err;
struct ds_column;

#define DRIFT_METHODS(_)						\
	_(KS,          "ks",            1, 0.05)			\
	_(CHISQUARE,   "chisquare",     1, 0.05)			\
	_(Z,           "z",             1, 0.05)			\
	_(WASSERSTEIN, "wasserstein",   0, 0.1)				\
	_(PSI,         "psi",           0, 0.1)				\
	_(KL_DIV,      "kl_div",        0, 0.1)				\
	_(JS,          "jensenshannon", 0, 0.1)				\
	_(HELLINGER,   "hellinger",     0, 0.1)

enum drift_method {
#define DRIFT_M_ENUM(e, name, pv, thr) DRIFT_##e,
	DRIFT_METHODS(DRIFT_M_ENUM)
#undef DRIFT_M_ENUM
	DRIFT_NMETHODS,
	DRIFT_AUTO = -1
};

const char *drift_method_name(enum drift_method m);
/* "ks" -> DRIFT_KS; -1 if unknown. */
int	 drift_method_parse(const char *s, enum drift_method *m);
/* 1 if the method gives a p-value (drift when p is below the threshold). */
int	 drift_method_has_p(enum drift_method m);
double	 drift_default_threshold(enum drift_method m);

/* Summary statistics of one side of a column. */
#define DRIFT_TOP 10
struct drift_stats {
	size_t	 count, missing;
	/* numeric (pandas describe: std with ddof 1, linear quartiles) */
	double	 mean, std, min, q25, q50, q75, max;
	/* categorical */
	size_t	 unique;
	size_t	 ntop;
	const char *top[DRIFT_TOP];	/* borrowed from the drift_col */
	size_t	 top_count[DRIFT_TOP];
};

/*
 * A histogram of both sides on shared bins: equal-width Sturges bins over
 * the combined data for numeric columns with more than 20 distinct
 * reference values (nedges = nbins + 1), otherwise one bin per distinct
 * value (label[i]; for numbers the shortest decimal).
 */
struct drift_hist {
	size_t	 nbins;
	double	*edges;		/* NULL for one bin per value */
	char   **label;		/* NULL for edges */
	double	*ref, *cur;	/* counts */
};

struct drift_col {
	int	 numeric;	/* both sides numeric and not forced */
	size_t	 nx, ny;	/* valid values per side */
	size_t	 miss_x, miss_y;
	double	*x, *y;		/* numeric: sorted ascending */
	/* Distinct values of both sides (union), with the count per side. */
	size_t	 nk;
	char   **key;
	double	*kx, *ky;
	size_t	 nuniq_ref;	/* distinct values in the reference */
	struct drift_hist hist;
	struct drift_stats sref, scur;
};

struct drift_result {
	enum drift_method method;
	double	 statistic;
	double	 p_value;	/* NaN when the method has none */
	double	 threshold;
	int	 drifted;
	double	 severity;	/* > 1 means drifted; for sorting */
};

/*
 * Prepare a column pair.  as_cat tests it categorical even if both sides
 * are numeric (as when either side is categorical).  WB_EINVAL when a
 * side has no values ("no values in the reference").
 */
int	 drift_col_init(struct drift_col *dc, const struct ds_column *ref,
	    size_t ref_missing, const struct ds_column *cur,
	    size_t cur_missing, int as_cat, struct wb_err *err);
void	 drift_col_free(struct drift_col *dc);

/* Evidently's choice of test for the pair. */
enum drift_method drift_col_default(const struct drift_col *dc);

/*
 * Run method (DRIFT_AUTO: the default) with threshold (NaN: the method's
 * default).  WB_EINVAL for a method that needs numbers on a categorical
 * column (ks, wasserstein).
 */
int	 drift_col_test(struct drift_col *dc, enum drift_method method,
	    double threshold, struct drift_result *res, struct wb_err *err);

/* --- building blocks, exposed for tests and the benchmark --- */

/* Sort v ascending (LSD radix on the IEEE bits; tmp holds n doubles). */
void	 drift_sort(double *v, size_t n, double *tmp);
/* Two-sample KS on sorted samples: statistic and scipy's p-value. */
void	 drift_ks(const double *x, size_t n1, const double *y, size_t n2,
	    double *d, double *p);
/* scipy.stats.kstwo.sf(d, n): the two-sided one-sample KS distribution. */
double	 drift_kolmogn_sf(long n, double d);
/* scipy.special.smirnov(n, d). */
double	 drift_smirnov(long n, double d);
/* scipy.stats.wasserstein_distance on sorted samples. */
double	 drift_wasserstein(const double *x, size_t n1, const double *y,
	    size_t n2);
/* Population standard deviation (numpy std, ddof 0). */
double	 drift_std(const double *x, size_t n);
/* Regularised upper incomplete gamma Q(a, x); chi2.sf(s, k) = Q(k/2, s/2). */
double	 drift_igamc(double a, double x);
/*
 * numpy.histogram_bin_edges(v, "sturges") for the combined data with
 * minimum lo, maximum hi and count n: writes nbins + 1 edges into a new
 * array.  Returns nbins, 0 on out of memory.
 */
size_t	 drift_sturges(double lo, double hi, size_t n, double **edges);
/* numpy.histogram counts of unsorted v over edges (nbins = nedges - 1). */
void	 drift_bin(const double *v, size_t n, const double *edges,
	    size_t nbins, double *counts);
/* Distribution distances of two count vectors over the same k bins. */
double	 drift_psi(const double *rc, const double *cc, size_t k);
double	 drift_kl(const double *rc, const double *cc, size_t k);
double	 drift_js(const double *rc, const double *cc, size_t k);
double	 drift_hellinger(const double *rc, const double *cc, size_t k);

#endif
