/*
 * bench/compare/bench.c: in-process timings for bench/compare/run, free of
 * process start-up: best of N of
 *   chart   RUN KEY W H    series_open + series_bin + plot_render + text
 *   compare N              compare_load of the first N runs by id
 *   filter  EXPR           db_runlist_count + the first page with a fresh
 *                          cache, as the runs screen does for its / filter
 * Prints one number per call: milliseconds.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compare.h"
#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "db_runlist.h"
#include "err.h"
#include "plot.h"
#include "series.h"
#include "strbuf.h"

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
die(const struct wb_err *err)
{
	fprintf(stderr, "bench: %s\n", err->msg);
	exit(1);
}

static double
chart(struct db *db, const char *run, const char *key, int w, int h)
{
	struct series_src	*s;
	struct series_col	*c;
	struct series_bin_opts	 bo;
	struct plot_opts	 po;
	struct plot_line	 l;
	struct plot		 p;
	struct strbuf		 sb = STRBUF_INIT;
	struct wb_err		 err;
	int64_t			 id, k;
	double			 t0 = now_ms(), t;

	if (db_run_resolve(db, run, &id, &err) || db_metric_key_find(db, key,
	    &k, &err) || series_open(db, id, k, SERIES_X_STEP, &s, &err))
		die(&err);
	memset(&po, 0, sizeof po);
	po.w = w;
	po.h = h;
	po.utf8 = 1;
	po.cursor = -1;
	po.legend = 1;
	po.title = key;
	series_x_range(s, &po.x0, &po.x1);
	memset(&bo, 0, sizeof bo);
	bo.x0 = po.x0;
	bo.x1 = po.x1;
	bo.ncol = plot_ncol(&po);
	if ((c = calloc(bo.ncol, sizeof *c)) == NULL)
		exit(1);
	if (series_bin(s, &bo, c, NULL, &err))
		die(&err);
	l.label = run;
	l.raw = c;
	l.smooth = NULL;
	if (plot_render(&p, &po, &l, 1, &err))
		die(&err);
	plot_text(&p, &sb);
	t = now_ms() - t0;
	plot_free(&p);
	strbuf_free(&sb);
	free(c);
	series_close(s);
	return t;
}

static double
compare(struct db *db, size_t n)
{
	struct compare	*c;
	struct wb_err	 err;
	int64_t		*ids = calloc(n, sizeof *ids);
	double		 t0, t;
	size_t		 i;

	for (i = 0; i < n; i++)
		ids[i] = (int64_t)i + 1;
	t0 = now_ms();
	if (compare_load(db, ids, n, 0, NULL, 0, &c, &err))
		die(&err);
	t = now_ms() - t0;
	compare_free(c);
	free(ids);
	return t;
}

static double
filter(struct db *db, const char *expr)
{
	struct runlist_query	 q;
	struct runlist_row	*rows;
	struct wb_err		 err;
	int64_t			 cnt;
	size_t			 n;
	double			 t0 = now_ms(), t;

	memset(&q, 0, sizeof q);
	q.filter = expr;
	q.desc = 1;
	q.cache = runlist_cache_new();	/* as the runs screen does */
	if (db_runlist_count(db, &q, &cnt, &err) ||
	    db_runlist_page(db, &q, 0, 104, &rows, &n, &err))
		die(&err);
	t = now_ms() - t0;
	runlist_rows_free(rows, n);
	runlist_cache_free(q.cache);
	return t;
}

int
main(int argc, char **argv)
{
	struct db	*db;
	struct wb_err	 err;
	double		 best = 1e9, t;
	int		 i, reps = 7;

	if (argc < 3) {
		fprintf(stderr, "usage: bench DB chart RUN KEY W H | compare N "
		    "| filter EXPR\n");
		return 2;
	}
	if (db_open(argv[1], DB_NOCREATE | DB_READONLY, &db, &err))
		die(&err);
	for (i = 0; i < reps; i++) {
		if (strcmp(argv[2], "chart") == 0 && argc == 7)
			t = chart(db, argv[3], argv[4], atoi(argv[5]),
			    atoi(argv[6]));
		else if (strcmp(argv[2], "compare") == 0 && argc == 4)
			t = compare(db, (size_t)atoi(argv[3]));
		else if (strcmp(argv[2], "filter") == 0 && argc == 4)
			t = filter(db, argv[3]);
		else
			return 2;
		if (t < best)
			best = t;
		/* A fresh connection each time: no warm statement cache. */
		db_close(db);
		if (db_open(argv[1], DB_NOCREATE | DB_READONLY, &db, &err))
			die(&err);
	}
	db_close(db);
	printf("%.2f\n", best);
	return 0;
}
