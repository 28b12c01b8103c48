/*
 * chart: the series of a chart of several runs, opened and binned for
 * plot.c (see chart.h).  Shared by `mlwb plot` and the chart screen so
 * that both draw the same lines from the same columns.
 */
#include "config.h"

#include "chart.h"

#include <string.h>

#include "err.h"
#include "mem.h"

int
chart_open(struct chart *c, struct db *db, const int64_t *ids, size_t n,
    int64_t key, enum series_x xm, void (*missing)(void *, size_t),
    void *arg, struct wb_err *err)
{
	struct series_src	*s;
	int64_t			 lo, hi;
	size_t			 i;
	int			 rc;

	memset(c, 0, sizeof *c);
	if (n > PLOT_MAX_LINES)
		return wb_err_set(err, WB_EINVAL, "at most %d runs in one "
		    "chart (got %zu)", PLOT_MAX_LINES, n);
	for (i = 0; i < n; i++) {
		if ((rc = series_open(db, ids[i], key, xm, &s, err)) !=
		    WB_OK) {
			chart_close(c);
			return rc;
		}
		if (!series_has_x(s)) {
			series_close(s);
			if (missing != NULL)
				missing(arg, i);
			continue;
		}
		series_x_range(s, &lo, &hi);
		if (c->n == 0 || lo < c->x0)
			c->x0 = lo;
		if (c->n == 0 || hi > c->x1)
			c->x1 = hi;
		c->npoints += series_npoints(s);
		c->run[c->n] = i;
		c->src[c->n++] = s;
	}
	return WB_OK;
}

int
chart_bin(struct chart *c, int64_t x0, int64_t x1, size_t ncol, int logy,
    double smooth, const char *const *labels, struct wb_err *err)
{
	struct series_bin_opts	 bo;
	size_t			 i;
	int			 rc;

	memset(&bo, 0, sizeof bo);
	bo.x0 = x0;
	bo.x1 = x1;
	bo.ncol = ncol;
	bo.logy = logy;
	bo.smooth = smooth;
	c->ncol = ncol;
	for (i = 0; i < c->n; i++) {
		/* A new binning (a zoom, another width) starts afresh. */
		wb_free(c->raw[i]);
		wb_free(c->smooth[i]);
		c->smooth[i] = NULL;
		if ((c->raw[i] = wb_calloc(ncol, sizeof *c->raw[i])) == NULL ||
		    (smooth > 0 && (c->smooth[i] = wb_calloc(ncol,
		    sizeof *c->smooth[i])) == NULL))
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		if ((rc = series_bin(c->src[i], &bo, c->raw[i], c->smooth[i],
		    err)) != WB_OK)
			return rc;
		c->lines[i].label = labels != NULL ? labels[c->run[i]] : NULL;
		c->lines[i].raw = c->raw[i];
		c->lines[i].smooth = c->smooth[i];
	}
	return WB_OK;
}

void
chart_close(struct chart *c)
{
	size_t	i;

	for (i = 0; i < PLOT_MAX_LINES; i++) {
		series_close(c->src[i]);
		wb_free(c->raw[i]);
		wb_free(c->smooth[i]);
	}
	memset(c, 0, sizeof *c);
}
