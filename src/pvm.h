/*
 * pvm: params against a metric, over a set of runs: which params move the
 * metric most, and the dots of a scatter or of parallel coordinates.
 * Pure computation; the UI draws the canvas it fills (braille, or ASCII)
 * and the SVG writers here give the same pictures as files.
 *
 * The measure of how much a param moves the metric, in [0, 1]:
 *   numeric params (every value a number): |Spearman's rho| between the
 *     param and the metric, average ranks for ties.  Rank-based, so a
 *     log-scale learning rate or an outlier run does not distort it, and
 *     it is the measure scipy.stats.spearmanr and W&B's parameter
 *     importance panel report;
 *   categorical params (optimizer=adam|sgd): eta on ranks, the square root
 *     of the share of the metric's rank variance that lies between the
 *     categories (Kruskal-Wallis' effect size).  With two categories it
 *     equals |rho| of the categories coded 0/1, so the two are on one
 *     scale.
 * Runs without the metric or the param are left out of that param's
 * measure; n says how many counted.
 */
#ifndef WB_PVM_H
#define WB_PVM_H

#include <stddef.h>

struct strbuf;

/* Average ranks (1-based; ties share the mean of their ranks) of v. */
int	 pvm_ranks(const double *v, size_t n, double *rank);
/* Spearman's rho of x and y (n pairs); NaN when n < 3 or one is constant. */
double	 pvm_spearman(const double *x, const double *y, size_t n);
/* Eta on ranks of y grouped by group[i] in [0, ngroup); NaN if undefined. */
double	 pvm_eta(const int *group, size_t ngroup, const double *y, size_t n);

struct pvm_score {
	size_t	 param;		/* index into the caller's params */
	int	 numeric;	/* rho (1) or eta (0) */
	double	 rho;		/* signed rho; NaN for a categorical */
	double	 score;		/* |rho| or eta, in [0, 1]; NaN: none */
	size_t	 n;		/* runs counted */
};

/*
 * Score each of np params against metric values m (nrun of them, NaN
 * where a run lacks it); vals[r * np + p] is run r's value of param p
 * (NULL when unset).  out (np entries) is sorted by score, highest first,
 * params without a score last.
 */
int	 pvm_rank_params(const char *const *vals, size_t np, const double *m,
	    size_t nrun, struct pvm_score *out);
/* 1 when every set value of param p is a number (*v gets them; NaN else). */
int	 pvm_numeric(const char *const *vals, size_t np, size_t p, size_t nrun,
	    double *v);

/*
 * A canvas of w x h cells, 2 x 4 dots each (braille), or 1 x 1 in ASCII.
 * dots[y * w + x] holds the bits of a cell (braille order).
 */
struct pvm_canvas {
	int		 w, h, utf8;
	unsigned char	*dots;
	signed char	*mark;		/* a cell's special mark, or 0 */
};

int	 pvm_canvas_init(struct pvm_canvas *c, int w, int h, int utf8);
void	 pvm_canvas_free(struct pvm_canvas *c);
/* A dot at (fx, fy) in [0, 1] x [0, 1] (y up). */
void	 pvm_canvas_dot(struct pvm_canvas *c, double fx, double fy);
/* A line of dots from (x0, y0) to (x1, y1), same coordinates. */
void	 pvm_canvas_line(struct pvm_canvas *c, double x0, double y0,
	    double x1, double y1);
/* The glyph of cell (x, y): a braille character, or ASCII. */
const char *pvm_canvas_glyph(const struct pvm_canvas *c, int x, int y,
	    char buf[8]);

/* SVG scatter of n points (x[i], y[i]), NaNs skipped. */
int	 pvm_svg_scatter(struct strbuf *out, const double *x, const double *y,
	    size_t n, const char *xlabel, const char *ylabel, int w, int h);
/*
 * SVG parallel coordinates: naxes axes, v[r * naxes + a] scaled to
 * [0, 1] already (NaN: no value), the last axis the metric; each run a
 * polyline shaded by its metric.
 */
int	 pvm_svg_parallel(struct strbuf *out, const double *v, size_t nrun,
	    size_t naxes, const char *const *labels, int w, int h);

#endif
