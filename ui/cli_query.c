/*
 * cli_query: `mlwb compare RUN...` (runs side by side: params, metrics,
 * best per metric, deltas against a baseline) and `mlwb plot RUN...
 * --metric KEY` (the chart as braille text on stdout, or an SVG file).
 * The data comes from src/compare.c and src/series.c, the chart from
 * src/plot.c; this file parses options and prints.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "compare.h"
#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "plot.h"
#include "series.h"
#include "strbuf.h"
#include "text.h"

enum { OPT_BASELINE = OPT_FIRST_LOCAL, OPT_LOWER, OPT_HIGHER, OPT_METRIC,
	OPT_X, OPT_LOG, OPT_SMOOTH, OPT_OUT, OPT_WIDTH, OPT_HEIGHT, OPT_RANGE,
	OPT_ASCII, OPT_STATS, OPT_DIFF };

/* Resolve every RUN argument; prints the error and returns NULL. */
static int64_t *
resolve_runs(struct db *db, char **argv, int n)
{
	struct wb_err	 err;
	int64_t		*ids = xcalloc((size_t)n, sizeof *ids);
	int		 i;

	for (i = 0; i < n; i++) {
		if (db_run_resolve(db, argv[i], &ids[i], &err) != WB_OK) {
			cli_fail(&err);
			free(ids);
			return NULL;
		}
	}
	return ids;
}

static int
locale_utf8(void)
{
	const char	*lc = getenv("LC_ALL");

	if (lc == NULL || *lc == '\0')
		lc = getenv("LC_CTYPE");
	if (lc == NULL || *lc == '\0')
		lc = getenv("LANG");
	return lc != NULL && (strstr(lc, "UTF-8") || strstr(lc, "utf8") ||
	    strstr(lc, "UTF8") || strstr(lc, "utf-8"));
}

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* compare ---------------------------------------------------------------- */

/* Column labels: run names, with a UUID prefix where names repeat. */
static char **
run_labels(const struct compare *c)
{
	char	**v = xcalloc(c->nrun, sizeof *v);
	size_t	  i, j;
	int	  dup;

	for (i = 0; i < c->nrun; i++) {
		dup = 0;
		for (j = 0; j < c->nrun; j++)
			if (j != i && strcmp(c->runs[i].name, c->runs[j].name) ==
			    0)
				dup = 1;
		if (dup) {
			size_t len = strlen(c->runs[i].name) + 12;

			v[i] = xmalloc(len);
			snprintf(v[i], len, "%s@%.8s", c->runs[i].name,
			    c->runs[i].uuid);
		} else
			v[i] = xstrdup(c->runs[i].name);
	}
	return v;
}

static void
add_dirs(struct cmp_dir **dirs, size_t *n, char *arg, int lower)
{
	char	*tok, *save;

	for (tok = strtok_r(arg, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		*dirs = xreallocarray(*dirs, *n + 1, sizeof **dirs);
		(*dirs)[*n].key = tok;
		(*dirs)[*n].lower_better = lower;
		(*n)++;
	}
}

static void
json_nums(struct strbuf *sb, const char *name, const double *v,
    const unsigned char *has, size_t n)
{
	size_t	i;

	strbuf_addf(sb, ", \"%s\": [", name);
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		if (has != NULL && !has[i])
			strbuf_adds(sb, "null");
		else
			text_json_num(sb, v[i]);
	}
	strbuf_adds(sb, "]");
}

static void
json_steps(struct strbuf *sb, const char *name, const int64_t *v,
    const unsigned char *has, size_t n)
{
	size_t	i;

	strbuf_addf(sb, ", \"%s\": [", name);
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_adds(sb, ", ");
		if (!has[i])
			strbuf_adds(sb, "null");
		else
			strbuf_addf(sb, "%lld", (long long)v[i]);
	}
	strbuf_adds(sb, "]");
}

static int
compare_json(const struct compare *c, int diff_only)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i, r;
	int		first;

	strbuf_addf(&sb, "{\"baseline\": %zu, \"runs\": [", c->baseline);
	for (r = 0; r < c->nrun; r++) {
		strbuf_adds(&sb, r ? ", {\"id\": " : "{\"id\": ");
		text_json_str(&sb, c->runs[r].uuid);
		strbuf_adds(&sb, ", \"name\": ");
		text_json_str(&sb, c->runs[r].name);
		strbuf_adds(&sb, ", \"experiment\": ");
		text_json_str(&sb, c->runs[r].experiment ?
		    c->runs[r].experiment : "");
		strbuf_adds(&sb, "}");
	}
	strbuf_adds(&sb, "],\n \"params\": [");
	for (i = 0, first = 1; i < c->nparam; i++) {
		if (diff_only && !c->params[i].differs)
			continue;
		strbuf_adds(&sb, first ? "\n  {\"key\": " : ",\n  {\"key\": ");
		first = 0;
		text_json_str(&sb, c->params[i].key);
		strbuf_addf(&sb, ", \"differs\": %s, \"values\": [",
		    c->params[i].differs ? "true" : "false");
		for (r = 0; r < c->nrun; r++) {
			if (r)
				strbuf_adds(&sb, ", ");
			if (c->params[i].values[r] == NULL)
				strbuf_adds(&sb, "null");
			else
				text_json_str(&sb, c->params[i].values[r]);
		}
		strbuf_adds(&sb, "]}");
	}
	strbuf_adds(&sb, "],\n \"metrics\": [");
	for (i = 0; i < c->nmetric; i++) {
		const struct cmp_metric *m = &c->metrics[i];

		strbuf_adds(&sb, i ? ",\n  {\"key\": " : "\n  {\"key\": ");
		text_json_str(&sb, m->key);
		strbuf_addf(&sb, ", \"better\": \"%s\", \"best_run\": ",
		    m->lower_better ? "lower" : "higher");
		if (m->best_run < 0)
			strbuf_adds(&sb, "null");
		else
			strbuf_addf(&sb, "%d", m->best_run);
		json_nums(&sb, "last", m->last, m->has, c->nrun);
		json_steps(&sb, "last_step", m->last_step, m->has, c->nrun);
		json_nums(&sb, "min", m->min, m->has, c->nrun);
		json_nums(&sb, "max", m->max, m->has, c->nrun);
		json_nums(&sb, "best", m->best, m->has, c->nrun);
		json_steps(&sb, "best_step", m->best_step, m->has, c->nrun);
		json_nums(&sb, "delta", m->delta, m->has, c->nrun);
		json_nums(&sb, "delta_pct", m->delta_pct, m->has, c->nrun);
		strbuf_adds(&sb, "}");
	}
	strbuf_adds(&sb, "]}\n");
	if (sb.oom)
		ui_fatal("out of memory");
	fputs(strbuf_str(&sb), stdout);
	strbuf_free(&sb);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_FAIL;
}

static void
metric_row(struct out *o, const struct compare *c, const struct cmp_metric *m,
    const char *stat, const double *v, const int64_t *steps,
    const char *note)
{
	size_t	r;

	out_text(o, "metric");
	out_text(o, m->key);
	out_text(o, stat);
	for (r = 0; r < c->nrun; r++) {
		if (!m->has[r])
			out_null(o);
		else if (steps != NULL)
			out_int(o, steps[r]);
		else
			out_num_or_null(o, v[r], 0);
	}
	out_text(o, note);
	out_end_row(o);
}

static int
compare_table(const struct compare *c, enum out_format fmt, int deltas,
    int diff_only)
{
	struct out	*o = out_new(stdout, fmt);
	char		**labels = run_labels(c);
	char		  note[256];
	size_t		  i, r;

	out_col(o, "section", OUT_TEXT);
	out_col(o, "key", OUT_TEXT);
	out_col(o, "stat", OUT_TEXT);
	for (r = 0; r < c->nrun; r++)
		out_col(o, labels[r], OUT_TEXT);
	out_col(o, "note", OUT_TEXT);
	for (i = 0; i < c->nparam; i++) {
		if (diff_only && !c->params[i].differs)
			continue;
		out_text(o, "param");
		out_text(o, c->params[i].key);
		out_text(o, "value");
		for (r = 0; r < c->nrun; r++)
			out_text(o, c->params[i].values[r]);
		out_text(o, c->params[i].differs ? "differs" : "");
		out_end_row(o);
	}
	for (i = 0; i < c->nmetric; i++) {
		const struct cmp_metric *m = &c->metrics[i];

		if (m->best_run >= 0)
			snprintf(note, sizeof note, "best %s (%s)",
			    labels[m->best_run], m->lower_better ? "lower" :
			    "higher");
		else
			snprintf(note, sizeof note, "%s is better",
			    m->lower_better ? "lower" : "higher");
		metric_row(o, c, m, "last", m->last, NULL, note);
		metric_row(o, c, m, "min", m->min, NULL, "");
		metric_row(o, c, m, "max", m->max, NULL, "");
		if (m->best_run_best >= 0)
			snprintf(note, sizeof note, "best %s",
			    labels[m->best_run_best]);
		else
			note[0] = '\0';
		metric_row(o, c, m, "best_step", NULL, m->best_step, note);
		if (deltas) {
			snprintf(note, sizeof note, "vs %s",
			    labels[c->baseline]);
			metric_row(o, c, m, "delta", m->delta, NULL, note);
			metric_row(o, c, m, "delta_pct", m->delta_pct, NULL,
			    "");
		}
	}
	for (r = 0; r < c->nrun; r++)
		free(labels[r]);
	free(labels);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

int
cmd_compare(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "mlwb compare RUN... [--format table|csv|json] [--baseline RUN]\n"
	    "            [--lower KEY,...] [--higher KEY,...] [--diff]";
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "lower", required_argument, NULL, OPT_LOWER },
		{ "higher", required_argument, NULL, OPT_HIGHER },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ NULL, 0, NULL, 0 }
	};
	struct cmp_dir	*dirs = NULL;
	struct compare	*c = NULL;
	struct db	*db;
	struct wb_err	 err;
	const char	*baseline = NULL;
	int64_t		*ids, bid;
	size_t		 ndirs = 0, b = 0, i;
	int		 opt, r, n, status, diff_only = 0;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if ((r = cli_common_opt(cli, opt, optarg)) == 1)
			continue;
		if (r < 0)
			return EXIT_USAGE;
		switch (opt) {
		case OPT_BASELINE:
			baseline = optarg;
			break;
		case OPT_LOWER:
		case OPT_HIGHER:
			add_dirs(&dirs, &ndirs, optarg, opt == OPT_LOWER);
			break;
		case OPT_DIFF:
			diff_only = 1;
			break;
		case 'h':
			printf("usage: %s\n\nShow runs side by side: params "
			    "(\"differs\" where the values differ), then per\n"
			    "metric the last, min and max values and the step "
			    "of the best one, with the\nbest run named.  Lower "
			    "is better for names with loss, error, err, rmse, "
			    "mae,\nmse, mape, wer, cer, nll, ppl, perplexity, "
			    "latency; higher otherwise;\n--lower/--higher "
			    "override it.  --baseline adds the delta of each "
			    "last value\nagainst that run (absolute and in "
			    "percent); JSON always carries deltas\nagainst the "
			    "baseline (the first run by default).  --diff "
			    "keeps only the\nparams that differ.  RUN is a "
			    "UUID, a UUID prefix, EXPERIMENT/NAME or a\nunique "
			    "name.\n", usage);
			free(dirs);
			return EXIT_OK;
		default:
			free(dirs);
			return cli_bad_option("compare");
		}
	}
	n = argc - optind;
	if (n < 1) {
		free(dirs);
		return cli_usage(usage);
	}
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL) {
		free(dirs);
		return EXIT_FAIL;
	}
	if ((ids = resolve_runs(db, argv + optind, n)) == NULL) {
		db_close(db);
		free(dirs);
		return EXIT_FAIL;
	}
	if (baseline != NULL) {
		if (db_run_resolve(db, baseline, &bid, &err) != WB_OK) {
			status = cli_fail(&err);
			goto out;
		}
		for (i = 0; i < (size_t)n && ids[i] != bid; i++)
			;
		if (i == (size_t)n) {
			cli_error("--baseline %s: not one of the compared runs",
			    baseline);
			status = EXIT_USAGE;
			goto out;
		}
		b = i;
	}
	if (compare_load(db, ids, (size_t)n, b, dirs, ndirs, &c, &err) !=
	    WB_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if (cli->format == OUT_JSON)
		status = compare_json(c, diff_only);
	else
		status = compare_table(c, cli->format, baseline != NULL,
		    diff_only);
out:
	compare_free(c);
	free(ids);
	free(dirs);
	db_close(db);
	return status;
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

int
cmd_plot(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "mlwb plot RUN... --metric KEY [--x step|time|relative] [--log]\n"
	    "            [--smooth W] [--range A:B] [--out FILE.svg]\n"
	    "            [--width W --height H] [--ascii] [--stats]";
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ "metric", required_argument, NULL, OPT_METRIC },
		{ "x", required_argument, NULL, OPT_X },
		{ "log", no_argument, NULL, OPT_LOG },
		{ "smooth", required_argument, NULL, OPT_SMOOTH },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "height", required_argument, NULL, OPT_HEIGHT },
		{ "range", required_argument, NULL, OPT_RANGE },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ NULL, 0, NULL, 0 }
	};
	struct series_src	*src[PLOT_MAX_LINES] = { NULL };
	struct series_col	*raw[PLOT_MAX_LINES] = { NULL };
	struct series_col	*sm[PLOT_MAX_LINES] = { NULL };
	struct plot_line	 lines[PLOT_MAX_LINES];
	struct series_bin_opts	 bo;
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
	int64_t			*ids = NULL, key, lo, hi, rlo = 0, rhi = 0;
	size_t			 nl = 0, ncol, i, decoded = 0, dblocks = 0;
	int64_t			 npoints = 0;
	int			 opt, r, n, status = EXIT_FAIL, logy = 0;
	int			 w = 0, h = 0, ascii = 0, stats = 0, any = 0;
	int			 has_lo = 0, has_hi = 0;
	FILE			*fp;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if ((r = cli_common_opt(cli, opt, optarg)) == 1)
			continue;
		if (r < 0)
			return EXIT_USAGE;
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
		case 'h':
			printf("usage: %s\n\nDraw metric KEY of up to %d runs "
			    "as a chart: braille text on stdout\n(ASCII when "
			    "the locale is not UTF-8, or with --ascii), or an "
			    "SVG file with\n--out.  --x picks the x axis: step "
			    "(default), time (wall clock) or relative\n(time "
			    "since the first point).  --smooth W draws the "
			    "exponential moving\naverage with weight W (0.6 "
			    "smooths a little, 0.99 a lot; TensorBoard's\n"
			    "formula) over the raw curve.  --range A:B zooms "
			    "to x in [A, B] (steps, or\nms).  --width/--height "
			    "are cells for text (default 80x24) and pixels "
			    "for\nSVG (default 800x400).  Every spike is kept: "
			    "each dot column spans the\nmin..max of its "
			    "points.  --stats prints points, decoded chunks "
			    "and time on\nstderr.\n", usage, PLOT_MAX_LINES);
			return EXIT_OK;
		default:
			return cli_bad_option("plot");
		}
	}
	n = argc - optind;
	if (n < 1 || metric == NULL)
		return cli_usage(usage);
	if (n > PLOT_MAX_LINES) {
		cli_error("at most %d runs in one chart (got %d)",
		    PLOT_MAX_LINES, n);
		return EXIT_USAGE;
	}
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	t0 = now_ms();
	memset(&bo, 0, sizeof bo);
	if ((ids = resolve_runs(db, argv + optind, n)) == NULL)
		goto out;
	if (db_metric_key_find(db, metric, &key, &err) != WB_OK) {
		status = cli_fail(&err);
		goto out;
	}
	for (i = 0; i < (size_t)n; i++) {
		if (series_open(db, ids[i], key, xm, &src[nl], &err) != WB_OK) {
			status = cli_fail(&err);
			goto out;
		}
		if (!series_has_x(src[nl])) {
			cli_error("run %s has no %s%s", argv[optind + i],
			    xm == SERIES_X_STEP ? "metric " : "timestamps "
			    "for ", metric);
			series_close(src[nl]);
			src[nl] = NULL;
			continue;
		}
		memset(&run, 0, sizeof run);
		if (db_run_get(db, ids[i], &run, &err) != WB_OK) {
			status = cli_fail(&err);
			goto out;
		}
		names[nl] = xstrdup(run.name);
		run_clear(&run);
		series_x_range(src[nl], &lo, &hi);
		if (!any || lo < bo.x0)
			bo.x0 = lo;
		if (!any || hi > bo.x1)
			bo.x1 = hi;
		any = 1;
		npoints += series_npoints(src[nl]);
		nl++;
	}
	if (nl == 0)
		goto out;
	if (range != NULL) {
		if (has_lo)
			bo.x0 = rlo;
		if (has_hi)
			bo.x1 = rhi;
		if (bo.x0 > bo.x1) {
			cli_error("--range %s: no data in that range", range);
			status = EXIT_USAGE;
			goto out;
		}
	}
	memset(&po, 0, sizeof po);
	po.utf8 = !ascii && locale_utf8();
	po.logy = logy;
	po.xmode = xm;
	po.x0 = bo.x0;
	po.x1 = bo.x1;
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
	bo.ncol = ncol;
	bo.logy = logy;
	bo.smooth = smooth;
	for (i = 0; i < nl; i++) {
		raw[i] = xcalloc(ncol, sizeof *raw[i]);
		sm[i] = smooth > 0 ? xcalloc(ncol, sizeof *sm[i]) : NULL;
		if (series_bin(src[i], &bo, raw[i], sm[i], &err) != WB_OK) {
			status = cli_fail(&err);
			goto out;
		}
		decoded += series_decoded(src[i]);
		dblocks += series_decoded_blocks(src[i]);
		lines[i].label = names[i];
		lines[i].raw = raw[i];
		lines[i].smooth = sm[i];
	}
	t1 = now_ms();
	if (outpath != NULL) {
		if (plot_svg(&sb, &po, lines, nl, &err) != WB_OK) {
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
			printf("wrote %s (%zu run%s, %s)\n", outpath, nl,
			    nl == 1 ? "" : "s", metric);
	} else {
		if (plot_render(&p, &po, lines, nl, &err) != WB_OK) {
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
			    "%.2f ms total\n", (long long)npoints, decoded,
			    dblocks, t1 - t0, t2 - t0);
	}
	status = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	for (i = 0; i < PLOT_MAX_LINES; i++) {
		series_close(src[i]);
		free(raw[i]);
		free(sm[i]);
		free(names[i]);
	}
	strbuf_free(&sb);
	free(ids);
	db_close(db);
	return status;
}
