/*
 * cli_runs: the commands that read tracked runs: exp ls, runs ls,
 * runs show and metrics.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xmem.h"
#include "cmd.h"
#include "db.h"
#include "db_metric.h"
#include "db_query.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "query.h"
#include "strbuf.h"
#include "text.h"

static int	cmd_exp(struct cli *, int, char **);
static int	cmd_runs(struct cli *, int, char **);
static int	cmd_metrics(struct cli *, int, char **);

static const struct cmd_sub exp_subs[] = {
	{ "ls", "", "list experiments with their run counts" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_exp_entry = {
	.name = "exp",
	.alias = "experiments",
	.summary = "List experiments (exp ls)",
	.usage = "mlwb exp ls [--format table|csv|json]",
	.help = "List experiments with their run counts.\n",
	.subs = exp_subs,
	.exec = cmd_exp,
};

enum { OPT_FILTER = OPT_FIRST_LOCAL, OPT_ORDER_BY };

static const struct cmd_opt runs_opts[] = {
	{ "experiment", 'e', 'e', CMD_ARG_EXPERIMENT, NULL,
	  "only the runs of EXPERIMENT", 0 },
	{ "filter", 0, OPT_FILTER, CMD_ARG_TEXT, "EXPR",
	  "MLflow search syntax, e.g. \"metrics.loss < 0.3\"", 0 },
	{ "order-by", 0, OPT_ORDER_BY, CMD_ARG_TEXT, "LIST",
	  "e.g. \"metrics.val_loss ASC, start_time DESC\"", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub runs_subs[] = {
	{ "ls", "", "runs with their params and the last value of every "
	  "metric" },
	{ "show", "run", "one run: attributes, params, tags, metrics" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_runs_entry = {
	.name = "runs",
	.summary = "List and show runs (runs ls, runs show)",
	.usage = "mlwb runs ls [-e EXPERIMENT] [--filter EXPR] "
	    "[--order-by LIST] [--format table|csv|json]\n"
	    "       mlwb runs show RUN [--format table|csv|json]",
	.help = "--filter takes MLflow search syntax, e.g.\n"
	    "\"metrics.loss < 0.3 AND params.opt = 'adam'\"; --order-by\n"
	    "\"metrics.val_loss ASC, start_time DESC\" (see doc/query.md).\n"
	    "runs ls lists runs with their params and the last value of every "
	    "metric\n(columns as in MLflow's search_runs export).  runs show "
	    "prints one run.\nRUN is a UUID, a unique UUID prefix, "
	    "EXPERIMENT/NAME or a unique name.\n",
	.opts = runs_opts,
	.subs = runs_subs,
	.exec = cmd_runs,
};

const struct cmd_entry cmd_metrics_entry = {
	.name = "metrics",
	.summary = "Print one metric of a run",
	.usage = "mlwb metrics RUN KEY [--format table|csv|json]",
	.help = "Print every point of one metric of a run in step order.\n"
	    "CSV columns: step,timestamp,value (timestamp in ms since the "
	    "epoch).\n",
	.operands = "run metric",
	.exec = cmd_metrics,
};

/* exp ls ----------------------------------------------------------------- */

/* An experiment's tags: "k=v k=v" (CSV) or a JSON object. */
static void
exp_tags_cell(struct db *db, struct out *o, int64_t exp_id)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct wb_err	 err;
	struct kv	*kv = NULL;
	size_t		 n = 0, i;
	int		 json = out_resolved(o) == OUT_JSON;

	db_exp_tags_get(db, exp_id, &kv, &n, &err);
	strbuf_adds(&sb, json ? "{" : "");
	for (i = 0; i < n; i++) {
		if (json) {
			strbuf_adds(&sb, i ? "," : "");
			text_json_str(&sb, kv[i].key);
			strbuf_addc(&sb, ':');
			text_json_str(&sb, kv[i].value ? kv[i].value : "");
		} else
			strbuf_addf(&sb, "%s%s=%s", i ? " " : "", kv[i].key,
			    kv[i].value ? kv[i].value : "");
	}
	if (json) {
		strbuf_addc(&sb, '}');
		out_raw(o, strbuf_str(&sb));
	} else
		out_text(o, strbuf_str(&sb));
	kv_free(kv, n);
	strbuf_free(&sb);
}

struct exp_ls {
	struct db	*db;
	struct out	*o;
};

/* db_exp_each callback: one experiment, printed as it is read. */
static int
exp_ls_one(void *arg, struct exp_row *e)
{
	struct exp_ls	*l = arg;
	char		 t[32];

	out_text(l->o, e->name);
	out_int(l->o, e->n_runs);
	out_int(l->o, e->n_running);
	out_int(l->o, e->n_failed);
	out_text(l->o, text_time(t, e->last_activity));
	out_text(l->o, e->uuid);
	if (out_resolved(l->o) != OUT_TABLE)
		exp_tags_cell(l->db, l->o, e->id);
	out_end_row(l->o);
	return ferror(stdout);
}

static int
exp_ls(struct cli *cli)
{
	struct exp_ls	 l;
	struct wb_err	 err;
	int		 rc, ioerr;

	if ((l.db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	l.o = out_new(stdout, cli->format);
	out_col(l.o, "name", OUT_TEXT);
	out_col(l.o, "runs", OUT_INT);
	out_col(l.o, "running", OUT_INT);
	out_col(l.o, "failed", OUT_INT);
	out_col(l.o, "last_activity", OUT_TEXT);
	out_col(l.o, "uuid", OUT_TEXT);
	if (out_resolved(l.o) != OUT_TABLE)
		out_col(l.o, "tags", OUT_TEXT);
	rc = db_exp_each(l.db, exp_ls_one, &l, &err);
	db_close(l.db);
	ioerr = out_finish(l.o) != 0;
	if (rc != WB_OK)
		return cli_fail(&err);
	return ioerr ? cli_write_failed() : EXIT_OK;
}

static int
cmd_exp(struct cli *cli, int argc, char **argv)
{
	int	opt;

	if ((opt = cmd_getopt(cli, &cmd_exp_entry, argc, argv)) != 0)
		return cmd_getopt_exit(opt);
	if (argc - optind != 1 || strcmp(argv[optind], "ls") != 0)
		return cli_usage(cmd_exp_entry.usage);
	return exp_ls(cli);
}

/* runs ls ---------------------------------------------------------------- */

/*
 * runs ls streams: the columns (the union of the matching runs' param
 * and metric keys) come from one key query, then each run is read,
 * printed and dropped, so memory stays flat at any number of runs.  A
 * table sizes its columns on a look-ahead of rows (ui/out.c).
 */
struct runs_ls {
	struct db	*db;
	struct out	*o;		/* table and CSV */
	int		 json;
	char		**pkeys, **mkeys;	/* sorted */
	size_t		 npkeys, nmkeys;
	size_t		 nrows;
	struct strbuf	 sb;		/* JSON row being built */
	struct wb_err	 err;
	int		 rc;		/* WB_OK until a read fails */
};

static const char *
param_of(const struct kv *kv, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value ? kv[i].value : "";
	return NULL;
}

static const struct metric_summary *
metric_of(const struct metric_summary *m, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(m[i].key, key) == 0)
			return &m[i];
	return NULL;
}

static void
json_kv(struct strbuf *sb, const struct kv *kv, size_t n)
{
	size_t	k;

	for (k = 0; k < n; k++) {
		if (k)
			strbuf_adds(sb, ", ");
		text_json_str(sb, kv[k].key);
		strbuf_adds(sb, ": ");
		if (kv[k].value)
			text_json_str(sb, kv[k].value);
		else
			strbuf_adds(sb, "null");
	}
}

static void
json_time(struct strbuf *sb, int64_t t)
{
	if (t)
		strbuf_addf(sb, "%" PRId64, t);
	else
		strbuf_adds(sb, "null");
}

/* One run as a JSON object; rows are joined by ",\n" as they go out. */
static void
runs_ls_json_row(struct runs_ls *l, const struct run *r,
    const struct kv *params, size_t np, const struct kv *tags, size_t nt,
    const struct metric_summary *m, size_t nm)
{
	struct strbuf	*sb = &l->sb;
	size_t		 k;

	strbuf_reset(sb);
	strbuf_adds(sb, l->nrows ? ",\n  {\"uuid\": " : "[\n  {\"uuid\": ");
	text_json_str(sb, r->uuid);
	strbuf_adds(sb, ", \"name\": ");
	text_json_str(sb, r->name);
	strbuf_adds(sb, ", \"experiment\": ");
	text_json_str(sb, r->experiment);
	strbuf_adds(sb, ", \"status\": ");
	text_json_str(sb, r->status);
	strbuf_adds(sb, ", \"started_at\": ");
	json_time(sb, r->started_at);
	strbuf_adds(sb, ", \"ended_at\": ");
	json_time(sb, r->ended_at);
	strbuf_adds(sb, ",\n   \"params\": {");
	json_kv(sb, params, np);
	strbuf_adds(sb, "},\n   \"tags\": {");
	json_kv(sb, tags, nt);
	strbuf_adds(sb, "},\n   \"metrics\": {");
	for (k = 0; k < nm; k++) {
		if (k)
			strbuf_adds(sb, ", ");
		text_json_str(sb, m[k].key);
		strbuf_adds(sb, ": ");
		text_json_num(sb, m[k].last);
	}
	strbuf_adds(sb, "}}");
	if (sb->oom)
		ui_fatal("out of memory");
	fputs(strbuf_str(sb), stdout);
}

static void
runs_ls_row(struct runs_ls *l, const struct run *r, const struct kv *params,
    size_t np, const struct metric_summary *m, size_t nm)
{
	struct out			*o = l->o;
	const struct metric_summary	*ms;
	size_t				 k;
	char				 t[32];

	/* A table shows the 8-digit prefix, enough to resolve. */
	snprintf(t, sizeof t, "%.8s", r->uuid);
	out_text(o, out_resolved(o) == OUT_TABLE ? t : r->uuid);
	out_text(o, r->experiment);
	out_text(o, r->name);
	out_text(o, r->status);
	out_text(o, text_time(t, r->started_at));
	if (r->started_at && r->ended_at)
		out_text(o, text_duration(t, r->ended_at - r->started_at));
	else
		out_null(o);
	for (k = 0; k < l->npkeys; k++)
		out_text(o, param_of(params, np, l->pkeys[k]));
	for (k = 0; k < l->nmkeys; k++) {
		ms = metric_of(m, nm, l->mkeys[k]);
		out_num_or_null(o, ms ? ms->last : 0, ms == NULL);
	}
	out_end_row(o);
}

/* db_query_runs_each callback: read run id, print it, drop it. */
static int
runs_ls_one(void *arg, int64_t id)
{
	struct runs_ls		*l = arg;
	struct run		 r;
	struct kv		*params = NULL, *tags = NULL;
	struct metric_summary	*m = NULL;
	size_t			 np = 0, nt = 0, nm = 0;

	memset(&r, 0, sizeof r);
	if ((l->rc = db_run_get(l->db, id, &r, &l->err)) == WB_OK &&
	    (l->rc = db_params_get(l->db, id, &params, &np, &l->err)) ==
	    WB_OK &&
	    (l->rc = db_metric_summaries(l->db, id, &m, &nm, &l->err)) ==
	    WB_OK &&
	    (!l->json ||
	    (l->rc = db_tags_get(l->db, id, &tags, &nt, &l->err)) == WB_OK)) {
		if (l->json)
			runs_ls_json_row(l, &r, params, np, tags, nt, m, nm);
		else
			runs_ls_row(l, &r, params, np, m, nm);
		l->nrows++;
	}
	run_clear(&r);
	kv_free(params, np);
	kv_free(tags, nt);
	metric_summaries_free(m, nm);
	/* Stop on a read error, or when the reader of a pipe went away. */
	return l->rc != WB_OK || ferror(stdout);
}

static void
runs_ls_columns(struct runs_ls *l, int fmt)
{
	struct strbuf	 col = STRBUF_INIT;
	size_t		 k;

	/* Same columns as MLflow's search_runs() export. */
	l->o = out_new(stdout, fmt);
	out_col(l->o, "uuid", OUT_TEXT);
	out_col(l->o, "experiment", OUT_TEXT);
	out_col(l->o, "name", OUT_TEXT);
	out_col(l->o, "status", OUT_TEXT);
	out_col(l->o, "started", OUT_TEXT);
	out_col(l->o, "duration", OUT_TEXT);
	for (k = 0; k < l->npkeys; k++) {
		strbuf_reset(&col);
		strbuf_addf(&col, "params.%s", l->pkeys[k]);
		out_col(l->o, strbuf_str(&col), OUT_TEXT);
	}
	for (k = 0; k < l->nmkeys; k++) {
		strbuf_reset(&col);
		strbuf_addf(&col, "metrics.%s", l->mkeys[k]);
		out_col(l->o, strbuf_str(&col), OUT_NUM);
	}
	strbuf_free(&col);
}

static int
runs_ls(struct cli *cli, const char *exp, const char *filter,
    const char *order)
{
	struct runs_ls	 l;
	struct query	*q = NULL;
	struct q_order	*ord = NULL;
	int64_t		 exp_id = 0;
	int		 rc, began = 0, ioerr;

	memset(&l, 0, sizeof l);
	l.json = cli->format == OUT_JSON;
	if ((l.db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	/*
	 * One read transaction for the list and every run's params and
	 * metrics: statements outside one each take and drop SQLite's
	 * shared lock (fcntl, fstat), which was most of the time on
	 * thousands of runs.
	 */
	if ((exp != NULL &&
	    (rc = db_exp_find(l.db, exp, &exp_id, &l.err)) != WB_OK) ||
	    (rc = query_parse(filter ? filter : "", &q, &l.err)) != WB_OK ||
	    (order != NULL &&
	    (rc = query_order_parse(order, &ord, &l.err)) != WB_OK) ||
	    (rc = db_read_begin(l.db, &began, &l.err)) != WB_OK)
		goto out;
	if (!l.json && (rc = db_query_run_keys(l.db, q, exp_id, &l.pkeys,
	    &l.npkeys, &l.mkeys, &l.nmkeys, &l.err)) != WB_OK)
		goto out;
	if (!l.json)
		runs_ls_columns(&l, cli->format);
	rc = db_query_runs_each(l.db, q, ord, exp_id, runs_ls_one, &l,
	    &l.err);
	if (rc == WB_OK)
		rc = l.rc;
out:
	if (began)
		db_read_end(l.db, began);
	db_close(l.db);
	query_free(q);
	query_order_free(ord);
	names_free(l.pkeys, l.npkeys);
	names_free(l.mkeys, l.nmkeys);
	strbuf_free(&l.sb);
	/*
	 * What was read is printed even when a later read failed; a JSON
	 * array is then left open, so that no parser takes a cut listing
	 * for a whole one.
	 */
	ioerr = 0;
	if (l.o != NULL)
		ioerr = out_finish(l.o) != 0;
	else if (l.json && rc == WB_OK)
		fputs(l.nrows ? "\n]\n" : "[]\n", stdout);
	if (fflush(stdout) != 0 || ferror(stdout))
		ioerr = 1;
	if (rc != WB_OK)
		return cli_fail(&l.err);
	return ioerr ? cli_write_failed() : EXIT_OK;
}

/* runs show -------------------------------------------------------------- */

static void
show_attr(struct out *o, const char *section, const char *key,
    const char *value)
{
	out_text(o, section);
	out_text(o, key);
	out_text(o, value);
	out_end_row(o);
}

static int
runs_show(struct cli *cli, const char *ref)
{
	struct db		*db;
	struct run		 r;
	struct kv		*params = NULL, *tags = NULL;
	struct metric_summary	*ms = NULL;
	size_t			 np = 0, nt = 0, nm = 0, i;
	struct wb_err		 err;
	struct out		*o;
	int64_t			 id;
	char			 t[32], b[160];

	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if (db_run_resolve(db, ref, &id, &err) != WB_OK ||
	    db_run_get(db, id, &r, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	if (db_params_get(db, id, &params, &np, &err) != WB_OK ||
	    db_tags_get(db, id, &tags, &nt, &err) != WB_OK ||
	    db_metric_summaries(db, id, &ms, &nm, &err) != WB_OK) {
		kv_free(params, np);
		kv_free(tags, nt);
		run_clear(&r);
		db_close(db);
		return cli_fail(&err);
	}
	db_close(db);

	if (cli->format == OUT_JSON) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_adds(&sb, "{\"uuid\": ");
		text_json_str(&sb, r.uuid);
		strbuf_adds(&sb, ", \"name\": ");
		text_json_str(&sb, r.name);
		strbuf_adds(&sb, ", \"experiment\": ");
		text_json_str(&sb, r.experiment);
		strbuf_adds(&sb, ", \"status\": ");
		text_json_str(&sb, r.status);
		/* Not started or not ended (a running run): null, not 0. */
		strbuf_adds(&sb, ", \"started_at\": ");
		if (r.started_at)
			strbuf_addf(&sb, "%" PRId64, r.started_at);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ", \"ended_at\": ");
		if (r.ended_at)
			strbuf_addf(&sb, "%" PRId64, r.ended_at);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ", \"source\": ");
		if (r.source)
			text_json_str(&sb, r.source);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ",\n \"params\": {");
		for (i = 0; i < np; i++) {
			strbuf_adds(&sb, i ? ", " : "");
			text_json_str(&sb, params[i].key);
			strbuf_adds(&sb, ": ");
			text_json_str(&sb, params[i].value ? params[i].value :
			    "");
		}
		strbuf_adds(&sb, "},\n \"tags\": {");
		for (i = 0; i < nt; i++) {
			strbuf_adds(&sb, i ? ", " : "");
			text_json_str(&sb, tags[i].key);
			strbuf_adds(&sb, ": ");
			text_json_str(&sb, tags[i].value ? tags[i].value : "");
		}
		strbuf_adds(&sb, "},\n \"metrics\": {");
		for (i = 0; i < nm; i++) {
			strbuf_adds(&sb, i ? ",\n   " : "\n   ");
			text_json_str(&sb, ms[i].key);
			strbuf_adds(&sb, ": {\"last\": ");
			text_json_num(&sb, ms[i].last);
			strbuf_addf(&sb, ", \"last_step\": %" PRId64,
			    ms[i].last_step);
			strbuf_adds(&sb, ", \"min\": ");
			if (ms[i].has_minmax)
				text_json_num(&sb, ms[i].min);
			else
				strbuf_adds(&sb, "null");
			strbuf_adds(&sb, ", \"max\": ");
			if (ms[i].has_minmax)
				text_json_num(&sb, ms[i].max);
			else
				strbuf_adds(&sb, "null");
			strbuf_addf(&sb, ", \"count\": %" PRId64 "}",
			    ms[i].count);
		}
		strbuf_adds(&sb, "}}\n");
		fputs(strbuf_str(&sb), stdout);
		strbuf_free(&sb);
	} else {
		o = out_new(stdout, cli->format);
		out_col(o, "section", OUT_TEXT);
		out_col(o, "key", OUT_TEXT);
		out_col(o, "value", OUT_TEXT);
		show_attr(o, "run", "uuid", r.uuid);
		show_attr(o, "run", "experiment", r.experiment);
		show_attr(o, "run", "name", r.name);
		show_attr(o, "run", "status", r.status);
		show_attr(o, "run", "started", text_time(t, r.started_at));
		show_attr(o, "run", "ended", text_time(t, r.ended_at));
		if (r.started_at && r.ended_at)
			show_attr(o, "run", "duration", text_duration(t,
			    r.ended_at - r.started_at));
		if (r.source)
			show_attr(o, "run", "source", r.source);
		if (r.command)
			show_attr(o, "run", "command", r.command);
		if (r.git_commit)
			show_attr(o, "run", "git_commit", r.git_commit);
		if (r.has_exit_code) {
			snprintf(b, sizeof b, "%d", r.exit_code);
			show_attr(o, "run", "exit_code", b);
		}
		for (i = 0; i < np; i++)
			show_attr(o, "param", params[i].key, params[i].value);
		for (i = 0; i < nt; i++)
			show_attr(o, "tag", tags[i].key, tags[i].value);
		for (i = 0; i < nm; i++) {
			char	l[32], mn[32], mx[32];

			if (ms[i].has_minmax)
				snprintf(b, sizeof b, "last %s (step %" PRId64
				    ")  min %s  max %s  count %" PRId64,
				    text_num(l, ms[i].last), ms[i].last_step,
				    text_num(mn, ms[i].min),
				    text_num(mx, ms[i].max), ms[i].count);
			else
				snprintf(b, sizeof b, "last %s (step %" PRId64
				    ")  count %" PRId64, text_num(l,
				    ms[i].last), ms[i].last_step, ms[i].count);
			show_attr(o, "metric", ms[i].key, b);
		}
		out_finish(o);
	}
	kv_free(params, np);
	kv_free(tags, nt);
	metric_summaries_free(ms, nm);
	run_clear(&r);
	return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
}

static int
cmd_runs(struct cli *cli, int argc, char **argv)
{
	const char	*exp = NULL, *filter = NULL, *order = NULL;
	int		 opt;

	while ((opt = cmd_getopt(cli, &cmd_runs_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'e':
			exp = optarg;
			break;
		case OPT_FILTER:
			filter = optarg;
			break;
		case OPT_ORDER_BY:
			order = optarg;
			break;
		}
	}
	if (opt < 0)
		return cmd_getopt_exit(opt);
	argc -= optind;
	argv += optind;
	if (argc == 1 && strcmp(argv[0], "ls") == 0)
		return runs_ls(cli, exp, filter, order);
	if (argc == 2 && strcmp(argv[0], "show") == 0)
		return runs_show(cli, argv[1]);
	return cli_usage(cmd_runs_entry.usage);
}

/* metrics RUN KEY -------------------------------------------------------- */

/* db_series_each callback: one point, printed as it is decoded. */
static int
metrics_point(void *arg, int64_t step, int64_t ts, double value)
{
	struct out	*o = arg;
	char		 t[32];

	out_int(o, step);
	if (out_resolved(o) == OUT_TABLE)
		out_text(o, text_time(t, ts));
	else
		out_int(o, ts);
	out_num(o, value);
	out_end_row(o);
	return ferror(stdout);
}

static int
cmd_metrics(struct cli *cli, int argc, char **argv)
{
	struct db		*db;
	struct metric_summary	 ms;
	struct wb_err		 err;
	struct out		*o = NULL;
	int64_t			 id, key;
	int			 rc, began = 0, ioerr = 0;

	if ((rc = cmd_getopt(cli, &cmd_metrics_entry, argc, argv)) != 0)
		return cmd_getopt_exit(rc);
	if (argc - optind != 2)
		return cli_usage(cmd_metrics_entry.usage);
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	/* The points stream (a series can be millions long). */
	if ((rc = db_read_begin(db, &began, &err)) != WB_OK ||
	    (rc = db_run_resolve(db, argv[optind], &id, &err)) != WB_OK ||
	    (rc = db_metric_key_find(db, argv[optind + 1], &key, &err)) !=
	    WB_OK)
		goto out;
	if ((rc = db_metric_summary_get(db, id, key, &ms, &err)) ==
	    WB_ENOTFOUND || (rc == WB_OK && ms.count == 0)) {
		rc = wb_err_set(&err, WB_ENOTFOUND, "run %s has no metric '%s'",
		    argv[optind], argv[optind + 1]);
		goto out;
	}
	if (rc != WB_OK)
		goto out;
	o = out_new(stdout, cli->format);
	out_col(o, "step", OUT_INT);
	out_col(o, out_resolved(o) == OUT_TABLE ? "time" : "timestamp",
	    out_resolved(o) == OUT_TABLE ? OUT_TEXT : OUT_INT);
	out_col(o, "value", OUT_NUM);
	rc = db_series_each(db, id, key, metrics_point, o, &err);
out:
	db_read_end(db, began);
	db_close(db);
	if (o != NULL)
		ioerr = out_finish(o) != 0;
	if (rc != WB_OK)
		return cli_fail(&err);
	return ioerr ? cli_write_failed() : EXIT_OK;
}
