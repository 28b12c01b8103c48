/*
 * sysm_trend: a run's recent system metrics for sparklines (see
 * sysm_trend.h).  Series are found by key among the run's metric
 * summaries and read whole through db_series_load; system metrics come
 * every few seconds, so even a day-long job has a few thousand points.
 */
#include "config.h"

#include "sysm_trend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_metric.h"
#include "err.h"
#include "sysmetrics.h"

/* GPU index of "system/gpuK/util_percent", else -1. */
static int
gpu_util(const char *key)
{
	const char	*p = key + strlen(SYSM_PREFIX "gpu");
	char		*end;
	long		 k;

	if (strncmp(key, SYSM_PREFIX "gpu", strlen(SYSM_PREFIX "gpu")) != 0 ||
	    *p < '0' || *p > '9')
		return -1;
	k = strtol(p, &end, 10);
	if (strcmp(end, "/util_percent") != 0 || k > 9999)
		return -1;
	return (int)k;
}

/* Fill t from series key_id: its last points and its scale. */
static int
trend_fill(struct db *db, int64_t run_id, int64_t key_id, double fixed_hi,
    struct sysm_trend *t, struct wb_err *err)
{
	struct series	se;
	size_t		from, k;
	int		rc;

	if ((rc = db_series_load(db, run_id, key_id, &se, err)) != WB_OK)
		return rc;
	from = se.n > SYSM_TREND_N ? se.n - SYSM_TREND_N : 0;
	t->n = 0;
	t->lo = 0;
	t->hi = fixed_hi;
	t->last = NAN;
	for (k = from; k < se.n; k++) {
		t->v[t->n++] = se.value[k];
		if (isfinite(se.value[k])) {
			t->last = se.value[k];
			if (se.value[k] > t->hi)
				t->hi = se.value[k];
		}
	}
	series_free(&se);
	return WB_OK;
}

int
sysm_trends_load(struct db *db, int64_t run_id, struct sysm_trends *out,
    struct wb_err *err)
{
	struct metric_summary	*ms;
	size_t			 n, i;
	int			 rc = WB_OK, pass, g, best;
	size_t			 pick;

	memset(out, 0, sizeof *out);
	if ((rc = db_metric_summaries(db, run_id, &ms, &n, err)) != WB_OK)
		return rc;
	for (i = 0; i < n && rc == WB_OK; i++) {
		struct sysm_trend *t = &out->t[out->n];

		if (strcmp(ms[i].key, SYSM_PREFIX "cpu_percent") == 0) {
			snprintf(t->label, sizeof t->label, "cpu");
			out->samples = ms[i].count;
		} else if (strcmp(ms[i].key, SYSM_PREFIX "rss_mb") == 0)
			snprintf(t->label, sizeof t->label, "mem");
		else
			continue;
		snprintf(t->key, sizeof t->key, "%s", ms[i].key);
		rc = trend_fill(db, run_id, ms[i].key_id, t->label[0] == 'c' ?
		    100 : 0, t, err);
		out->n++;
	}
	/* cpu before mem, whatever order the summaries came in. */
	if (out->n == 2 && strcmp(out->t[0].label, "mem") == 0) {
		struct sysm_trend tmp = out->t[0];

		out->t[0] = out->t[1];
		out->t[1] = tmp;
	}
	/* Then the GPUs by index. */
	for (pass = 0; rc == WB_OK && out->n < SYSM_TREND_MAX; pass++) {
		best = -1;
		pick = n;
		for (i = 0; i < n; i++) {
			g = gpu_util(ms[i].key);
			if (g < 0 || (pass > 0 && g <= gpu_util(
			    out->t[out->n - 1].key)))
				continue;
			if (best < 0 || g < best) {
				best = g;
				pick = i;
			}
		}
		if (pick == n)
			break;
		snprintf(out->t[out->n].label, sizeof out->t[0].label, "gpu%d",
		    best);
		snprintf(out->t[out->n].key, sizeof out->t[0].key, "%s",
		    ms[pick].key);
		rc = trend_fill(db, run_id, ms[pick].key_id, 100,
		    &out->t[out->n], err);
		out->n++;
	}
	metric_summaries_free(ms, n);
	return rc;
}
