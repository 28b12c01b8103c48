/*
 * cli_compare: `mlwb compare RUN...`, runs side by side: params, metrics,
 * best per metric, deltas against a baseline.  The data comes from
 * src/compare.c; this file parses options and prints.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xmem.h"
#include "cmd.h"
#include "compare.h"
#include "db.h"
#include "db_run.h"
#include "err.h"
#include "strbuf.h"
#include "text.h"

static int	cmd_compare(struct cli *, int, char **);

enum { OPT_BASELINE = OPT_FIRST_LOCAL, OPT_LOWER, OPT_HIGHER, OPT_DIFF };

static const struct cmd_opt compare_opts[] = {
	{ "baseline", 0, OPT_BASELINE, CMD_ARG_RUN, NULL,
	  "add each last value's delta against RUN", 0 },
	{ "lower", 0, OPT_LOWER, CMD_ARG_METRIC, "KEY,...",
	  "lower is better for these metrics", 0 },
	{ "higher", 0, OPT_HIGHER, CMD_ARG_METRIC, "KEY,...",
	  "higher is better for these metrics", 0 },
	{ "diff", 0, OPT_DIFF, CMD_ARG_NONE, NULL,
	  "only the params, tags and metrics that differ", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_compare_entry = {
	.name = "compare",
	.summary = "Compare runs side by side",
	.usage = "mlwb compare RUN... [--format table|csv|json] "
	    "[--baseline RUN]\n"
	    "            [--lower KEY,...] [--higher KEY,...] [--diff]",
	.help = "Show runs side by side: params and tags (\"differs\" where "
	    "the values differ),\nthen per metric the last, min and max values "
	    "and the step of the best one,\nwith the best run named (none on "
	    "an exact tie).  --diff leaves out the\nparams, tags and metrics "
	    "(by last value) that are the same in every run.\nLower "
	    "is better for names with loss, error, err, rmse, mae,\nmse, "
	    "mape, wer, cer, nll, ppl, perplexity, latency; higher otherwise;"
	    "\n--lower/--higher override it.  --baseline adds the delta of "
	    "each last value\nagainst that run (absolute and in percent); JSON "
	    "always carries deltas\nagainst the baseline (the first run by "
	    "default).  RUN is a UUID, a UUID\nprefix, EXPERIMENT/NAME or a "
	    "unique name.\n",
	.opts = compare_opts,
	.operands = "run...",
	.exec = cmd_compare,
};

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

/* Params or tags as JSON objects: key, differs, a value per run. */
static void
json_values(struct strbuf *sb, const struct compare *c,
    const struct cmp_param *v, size_t n, int diff_only)
{
	size_t	i, r;
	int	first;

	for (i = 0, first = 1; i < n; i++) {
		if (diff_only && !v[i].differs)
			continue;
		strbuf_adds(sb, first ? "\n  {\"key\": " : ",\n  {\"key\": ");
		first = 0;
		text_json_str(sb, v[i].key);
		strbuf_addf(sb, ", \"differs\": %s, \"values\": [",
		    v[i].differs ? "true" : "false");
		for (r = 0; r < c->nrun; r++) {
			if (r)
				strbuf_adds(sb, ", ");
			if (v[i].values[r] == NULL)
				strbuf_adds(sb, "null");
			else
				text_json_str(sb, v[i].values[r]);
		}
		strbuf_adds(sb, "]}");
	}
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
	json_values(&sb, c, c->params, c->nparam, diff_only);
	strbuf_adds(&sb, "],\n \"tags\": [");
	json_values(&sb, c, c->tags, c->ntag, diff_only);
	strbuf_adds(&sb, "],\n \"metrics\": [");
	for (i = 0, first = 1; i < c->nmetric; i++) {
		const struct cmp_metric *m = &c->metrics[i];

		if (diff_only && !m->differs)
			continue;
		strbuf_adds(&sb, first ? "\n  {\"key\": " : ",\n  {\"key\": ");
		first = 0;
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

/* Params or tags, a row each: "differs" where the runs' values do. */
static void
value_rows(struct out *o, const struct compare *c, const char *section,
    const struct cmp_param *v, size_t n, int diff_only)
{
	size_t	i, r;

	for (i = 0; i < n; i++) {
		if (diff_only && !v[i].differs)
			continue;
		out_text(o, section);
		out_text(o, v[i].key);
		out_text(o, "value");
		for (r = 0; r < c->nrun; r++)
			out_text(o, v[i].values[r]);
		out_text(o, v[i].differs ? "differs" : "");
		out_end_row(o);
	}
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
	value_rows(o, c, "param", c->params, c->nparam, diff_only);
	value_rows(o, c, "tag", c->tags, c->ntag, diff_only);
	for (i = 0; i < c->nmetric; i++) {
		const struct cmp_metric *m = &c->metrics[i];

		if (diff_only && !m->differs)
			continue;

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

static int
cmd_compare(struct cli *cli, int argc, char **argv)
{
	struct cmp_dir	*dirs = NULL;
	struct compare	*c = NULL;
	struct db	*db;
	struct wb_err	 err;
	const char	*baseline = NULL;
	int64_t		*ids, bid;
	size_t		 ndirs = 0, b = 0, i;
	int		 opt, n, status, diff_only = 0;

	while ((opt = cmd_getopt(cli, &cmd_compare_entry, argc, argv)) > 0) {
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
		}
	}
	if (opt < 0) {
		free(dirs);
		return cmd_getopt_exit(opt);
	}
	n = argc - optind;
	if (n < 1) {
		free(dirs);
		return cli_usage(cmd_compare_entry.usage);
	}
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL) {
		free(dirs);
		return EXIT_FAIL;
	}
	if ((ids = cli_resolve_runs(db, argv + optind, n)) == NULL) {
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
