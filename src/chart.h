/*
 * chart: the data of a chart of one metric over several runs, built once
 * for both who draw it (`mlwb plot` in ui/cli_plot.c and the chart screen
 * in ui/view_chart.c): each run's series opened (series.c), the union of
 * their x ranges, and each line binned into the dot columns of a canvas,
 * raw and smoothed, ready for plot_render or plot_svg.  Callers choose
 * the x range to draw (the data's, a --range, a zoom) and the labels.
 */
#ifndef WB_CHART_H
#define WB_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "plot.h"
#include "series.h"

struct db;
struct wb_err;

struct chart {
	/* chart_open: the runs that have points on this x axis. */
	size_t			 n;
	size_t			 run[PLOT_MAX_LINES];	/* index into ids */
	struct series_src	*src[PLOT_MAX_LINES];
	int64_t			 x0, x1;	/* the union of their x */
	int64_t			 npoints;
	/* chart_bin: the lines, n of them, in the same order. */
	size_t			 ncol;
	struct series_col	*raw[PLOT_MAX_LINES];
	struct series_col	*smooth[PLOT_MAX_LINES];	/* or NULL */
	struct plot_line	 lines[PLOT_MAX_LINES];
};

/*
 * Open metric key of runs ids[0..n) (n at most PLOT_MAX_LINES) with x
 * as xm.  A run without points on that axis is left out, and told to
 * missing(arg, i) when missing is not NULL.  c->n 0 is no error.
 */
int	 chart_open(struct chart *c, struct db *db, const int64_t *ids,
	    size_t n, int64_t key, enum series_x xm,
	    void (*missing)(void *, size_t), void *arg, struct wb_err *err);

/*
 * Bin every line into ncol columns over x in [x0, x1] (log10 values
 * when logy; an EMA of weight smooth too when smooth > 0).  labels[i]
 * names run ids[i] (borrowed until chart_close).
 */
int	 chart_bin(struct chart *c, int64_t x0, int64_t x1, size_t ncol,
	    int logy, double smooth, const char *const *labels,
	    struct wb_err *err);

/* Free what chart_open and chart_bin made.  Safe on a zeroed chart. */
void	 chart_close(struct chart *c);

#endif
