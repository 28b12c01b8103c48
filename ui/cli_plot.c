/*
 * cli_plot: `mlwb plot RUN... --metric KEY`, the chart as braille text on
 * stdout or an SVG file.  The lines come from src/chart.c (as the chart
 * screen's do), the drawing from src/plot.c; this file parses options
 * and prints.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "cli.h"
#include "xmem.h"
#include "cmd.h"
#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "plot.h"
#include "series.h"
#include "strbuf.h"
#include "text.h"

static int	cmd_plot(struct cli *, int, char **);

enum { OPT_METRIC = OPT_FIRST_LOCAL, OPT_X, OPT_LOG, OPT_SMOOTH, OPT_OUT,
	OPT_WIDTH, OPT_HEIGHT, OPT_RANGE, OPT_ASCII, OPT_STATS };

#define STR_(x) #x
#define STR(x) STR_(x)

static const struct cmd_opt plot_opts[] = {
	{ "metric", 0, OPT_METRIC, CMD_ARG_METRIC, "KEY",
	  "the metric to draw (required)", 0 },
	{ "x", 0, OPT_X, CMD_ARG_CHOICE, "step|time|relative",
	  "the x axis (default step)", 0 },
	{ "log", 0, OPT_LOG, CMD_ARG_NONE, NULL, "logarithmic y axis", 0 },
	{ "smooth", 0, OPT_SMOOTH, CMD_ARG_NUMBER, "W",
	  "exponential moving average of weight W in [0, 1)", 0 },
	{ "range", 0, OPT_RANGE, CMD_ARG_TEXT, "A:B",
	  "zoom to x in [A, B] (steps, or ms)", 0 },
	{ "out", 0, OPT_OUT, CMD_ARG_FILE, "FILE.svg",
	  "write an SVG file instead of text", 0 },
	{ "width", 0, OPT_WIDTH, CMD_ARG_NUMBER, "W",
	  "cells for text (80), pixels for SVG (800)", 0 },
	{ "height", 0, OPT_HEIGHT, CMD_ARG_NUMBER, "H",
	  "cells for text (24), pixels for SVG (400)", 0 },
	{ "ascii", 0, OPT_ASCII, CMD_ARG_NONE, NULL,
	  "ASCII dots, not braille", 0 },
	{ "stats", 0, OPT_STATS, CMD_ARG_NONE, NULL,
	  "points, decoded chunks and time on stderr", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_plot_entry = {
	.name = "plot",
	.summary = "Chart a metric of runs (text or SVG)",
	.usage = "mlwb plot RUN... --metric KEY [--x step|time|relative] "
	    "[--log]\n"
	    "            [--smooth W] [--range A:B] [--out FILE.svg]\n"
	    "            [--width W --height H] [--ascii] [--stats]",
	.help = "Draw metric KEY of up to " STR(PLOT_MAX_LINES) " runs as a "
	    "chart: braille text on stdout\n(ASCII when the locale is not "
	    "UTF-8, or with --ascii), or an SVG file with\n--out.  --x picks "
	    "the x axis: step (default), time (wall clock) or relative\n"
	    "(time since the first point).  --smooth W draws the exponential "
	    "moving\naverage with weight W (0.6 smooths a little, 0.99 a lot; "
	    "TensorBoard's\nformula) over the raw curve.  --range A:B zooms to "
	    "x in [A, B] (steps, or\nms).  Every spike is kept: each dot "
	    "column spans the min..max of its\npoints.\n",
	.opts = plot_opts,
	.operands = "run...",
	.exec = cmd_plot,
	.flags = CMD_NOFORMAT,
};

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* plot ------------------------------------------------------------------- */

/* "A:B", "A:" or ":B" of integers (steps, ms) into lo/hi. */
static int
parse_range(const char *s, int64_t *lo, int64_t *hi, int *has_lo,
    int *has_hi)
{
	char		*end;
	const char	*colon = strchr(s, ':');

	*has_lo = *has_hi = 0;
	if (colon == NULL)
		return -1;
	if (colon != s) {
		errno = 0;
		*lo = strtoll(s, &end, 10);
		if (errno || end != colon)
			return -1;
		*has_lo = 1;
	}
	if (colon[1] != '\0') {
		errno = 0;
		*hi = strtoll(colon + 1, &end, 10);
		if (errno || *end != '\0')
			return -1;
		*has_hi = 1;
	}
	return *has_lo && *has_hi && *lo > *hi ? -1 : 0;
}

/* What chart_open says of a run without the metric on that x axis. */
struct missing {
	char *const	*argv;
	const char	*metric;
	enum series_x	 xm;
};

static void
missing_run(void *arg, size_t i)
{
	const struct missing	*m = arg;

	cli_error("run %s has no %s%s", m->argv[i], m->xm == SERIES_X_STEP ?
	    "metric " : "timestamps for ", m->metric);
}

static int
cmd_plot(struct cli *cli, int argc, char **argv)
{
	struct chart		 c;
	struct missing		 miss;
	struct plot_opts	 po;
	struct plot		 p;
	struct strbuf		 sb = STRBUF_INIT;
	struct run		 run;
	struct db		*db;
	struct wb_err		 err;
	const char		*metric = NULL, *outpath = NULL, *range = NULL;
	char			*end, *names[PLOT_MAX_LINES] = { NULL };
	enum series_x		 xm = SERIES_X_STEP;
	double			 smooth = 0, t0, t1, t2;
	int64_t			*ids = NULL, key, x0, x1, rlo = 0, rhi = 0;
	size_t			 ncol, i, decoded = 0, dblocks = 0;
	int			 opt, r, n, status = EXIT_FAIL, logy = 0;
	int			 w = 0, h = 0, ascii = 0, stats = 0;
	int			 has_lo = 0, has_hi = 0;
	FILE			*fp;

	memset(&c, 0, sizeof c);

	while ((opt = cmd_getopt(cli, &cmd_plot_entry, argc, argv)) > 0) {
		switch (opt) {
		case OPT_METRIC:
			metric = optarg;
			break;
		case OPT_X:
			if (series_x_parse(optarg, &xm) != 0) {
				cli_error("--x %s: use step, time or relative",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_LOG:
			logy = 1;
			break;
		case OPT_SMOOTH:
			smooth = strtod(optarg, &end);
			if (*end != '\0' || end == optarg || !(smooth >= 0) ||
			    !(smooth < 1)) {
				cli_error("--smooth %s: a weight in [0, 1), "
				    "such as 0.6", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_OUT:
			outpath = optarg;
			break;
		case OPT_WIDTH:
		case OPT_HEIGHT:
			r = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || r < 1 || r > 10000) {
				cli_error("--%s %s: a number from 1 to 10000",
				    opt == OPT_WIDTH ? "width" : "height",
				    optarg);
				return EXIT_USAGE;
			}
			*(opt == OPT_WIDTH ? &w : &h) = r;
			break;
		case OPT_RANGE:
			range = optarg;
			if (parse_range(range, &rlo, &rhi, &has_lo, &has_hi) !=
			    0) {
				cli_error("--range %s: use A:B, A: or :B with "
				    "A <= B", range);
				return EXIT_USAGE;
			}
			break;
		case OPT_ASCII:
			ascii = 1;
			break;
		case OPT_STATS:
			stats = 1;
			break;
		}
	}
	if (opt < 0)
		return cmd_getopt_exit(opt);
	n = argc - optind;
	if (n < 1 || metric == NULL)
		return cli_usage(cmd_plot_entry.usage);
	if (n > PLOT_MAX_LINES) {
		cli_error("at most %d runs in one chart (got %d)",
		    PLOT_MAX_LINES, n);
		return EXIT_USAGE;
	}
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	t0 = now_ms();
	if ((ids = cli_resolve_runs(db, argv + optind, n)) == NULL)
		goto out;
	if (db_metric_key_find(db, metric, &key, &err) != WB_OK) {
		status = cli_fail(&err);
		goto out;
	}
	miss.argv = argv + optind;
	miss.metric = metric;
	miss.xm = xm;
	if (chart_open(&c, db, ids, (size_t)n, key, xm, missing_run, &miss,
	    &err) != WB_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (c.n == 0)
		goto out;
	/* The legend names each run as the run screen does. */
	for (i = 0; i < c.n; i++) {
		memset(&run, 0, sizeof run);
		if (db_run_get(db, ids[c.run[i]], &run, &err) != WB_OK) {
			status = cli_fail(&err);
			goto out;
		}
		names[c.run[i]] = xstrdup(run.name);
		run_clear(&run);
	}
	/* --range replaces either end, even past the data. */
	x0 = has_lo ? rlo : c.x0;
	x1 = has_hi ? rhi : c.x1;
	if (x0 > x1) {
		cli_error("--range %s: no data in that range", range);
		status = EXIT_USAGE;
		goto out;
	}
	memset(&po, 0, sizeof po);
	po.utf8 = !ascii && cli_locale_utf8();
	po.logy = logy;
	po.xmode = xm;
	po.x0 = x0;
	po.x1 = x1;
	po.title = metric;
	po.cursor = -1;
	po.legend = 1;
	po.w = w ? w : outpath ? 800 : 80;
	po.h = h ? h : outpath ? 400 : 24;
	ncol = outpath ? plot_svg_ncol(&po) : plot_ncol(&po);
	if (ncol == 0) {
		cli_error("--width %d --height %d: too small for a chart",
		    po.w, po.h);
		status = EXIT_USAGE;
		goto out;
	}
	if (chart_bin(&c, x0, x1, ncol, logy, smooth,
	    (const char *const *)names, &err) != WB_OK) {
		status = cli_fail(&err);
		goto out;
	}
	for (i = 0; i < c.n; i++) {
		decoded += series_decoded(c.src[i]);
		dblocks += series_decoded_blocks(c.src[i]);
	}
	t1 = now_ms();
	if (outpath != NULL) {
		if (plot_svg(&sb, &po, c.lines, c.n, &err) != WB_OK) {
			status = cli_fail(&err);
			goto out;
		}
		if ((fp = fopen(outpath, "w")) == NULL) {
			cli_error("%s: %s", outpath, strerror(errno));
			goto out;
		}
		fputs(strbuf_str(&sb), fp);
		if (fclose(fp) != 0) {
			cli_error("%s: %s", outpath, strerror(errno));
			goto out;
		}
		if (!cli->quiet)
			printf("wrote %s (%zu run%s, %s)\n", outpath, c.n,
			    c.n == 1 ? "" : "s", metric);
	} else {
		if (plot_render(&p, &po, c.lines, c.n, &err) != WB_OK) {
			status = cli_fail(&err);
			goto out;
		}
		plot_text(&p, &sb);
		plot_free(&p);
		t2 = now_ms();
		fputs(strbuf_str(&sb), stdout);
		if (stats)
			fprintf(stderr, "plot: %lld points, %zu chunks and %zu "
			    "blocks decoded, query+downsample %.2f ms, drawn "
			    "%.2f ms total\n", (long long)c.npoints, decoded,
			    dblocks, t1 - t0, t2 - t0);
	}
	status = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	chart_close(&c);
	for (i = 0; i < PLOT_MAX_LINES; i++)
		free(names[i]);
	strbuf_free(&sb);
	free(ids);
	db_close(db);
	return status;
}
