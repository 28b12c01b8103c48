/*
 * sysm_trend: the recent system metrics of a run (what its supervisor
 * sampled, sysmetrics.h), ready to draw as sparklines: CPU %, resident
 * memory and each GPU's utilisation, the last points of each.  Read
 * through the metric store (db_metric.h); the jobs screen shows them.
 */
#ifndef WB_SYSM_TREND_H
#define WB_SYSM_TREND_H

#include <stdint.h>

struct db;
struct wb_err;

#define SYSM_TREND_N	32	/* points kept per series */
#define SYSM_TREND_MAX	4	/* series: cpu, mem, then GPUs */

struct sysm_trend {
	char	 label[16];	/* "cpu", "mem", "gpu0" ... */
	char	 key[64];	/* system/cpu_percent ... */
	double	 v[SYSM_TREND_N];	/* oldest first */
	int	 n;
	double	 last;
	double	 lo, hi;	/* the scale: 0 to 100 (or the peak) */
};

struct sysm_trends {
	struct sysm_trend	 t[SYSM_TREND_MAX];
	int			 n;
	int64_t			 samples;	/* points of the CPU series */
};

/*
 * The trends of run run_id: system/cpu_percent ("cpu", percent of one
 * core, scaled 0 to 100 or its peak), system/rss_mb ("mem", MiB, 0 to
 * its peak), then system/gpuK/util_percent ("gpuK", 0 to 100) in GPU
 * order, as many as fit; the last SYSM_TREND_N points of each.  A run
 * without system metrics has out->n 0.
 */
int	 sysm_trends_load(struct db *db, int64_t run_id,
	    struct sysm_trends *out, struct wb_err *err);

#endif
