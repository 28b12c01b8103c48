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
#include "cli_repro.h"
#include "cli_life.h"
#include "xmem.h"
#include "cmd.h"
#include "db.h"
#include "db_life.h"
#include "db_metric.h"
#include "db_query.h"
#include "db_repro.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "query.h"
#include "repro.h"
#include "strbuf.h"
#include "text.h"

static int	cmd_exp(struct cli *, int, char **);
static int	cmd_runs(struct cli *, int, char **);
static int	cmd_metrics(struct cli *, int, char **);

enum {
	OPT_FILTER = OPT_FIRST_LOCAL, OPT_ORDER_BY, OPT_DELETED, OPT_ALL,
	OPT_OLDER, OPT_REMOVE, OPT_EDIT, OPT_CHILDREN, OPT_TREE, OPT_ENV,
	OPT_PACKAGES, OPT_PATCH
};

static const struct cmd_opt exp_opts[] = {
	{ "deleted", 0, OPT_DELETED, CMD_ARG_NONE, NULL,
	  "exp ls: only the deleted experiments", 0 },
	{ "all", 0, OPT_ALL, CMD_ARG_NONE, NULL,
	  "exp ls: deleted experiments too", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub exp_subs[] = {
	{ "ls", "", "list experiments with their run counts" },
	{ "rename", "experiment text", "rename an experiment" },
	{ "delete", "experiment...", "delete experiments (soft: their runs "
	  "are hidden, nothing is lost)" },
	{ "restore", "experiment...", "restore deleted experiments" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_exp_entry = {
	.name = "exp",
	.alias = "experiments",
	.summary = "List, rename, delete and restore experiments",
	.usage = "mlwb exp ls [--deleted | --all] [--format table|csv|json]\n"
	    "       mlwb exp rename NAME NEW-NAME\n"
	    "       mlwb exp delete|restore NAME...",
	.help = "List experiments with their run counts.  exp delete hides "
	    "an experiment and\nits runs from every list (nothing is "
	    "lost); exp restore brings them back.\n",
	.opts = exp_opts,
	.subs = exp_subs,
	.exec = cmd_exp,
};

static const struct cmd_opt runs_opts[] = {
	{ "experiment", 'e', 'e', CMD_ARG_EXPERIMENT, NULL,
	  "only the runs of EXPERIMENT", 0 },
	{ "filter", 0, OPT_FILTER, CMD_ARG_TEXT, "EXPR",
	  "MLflow search syntax, e.g. \"metrics.loss < 0.3\"", 0 },
	{ "order-by", 0, OPT_ORDER_BY, CMD_ARG_TEXT, "LIST",
	  "e.g. \"metrics.val_loss ASC, start_time DESC\"", 0 },
	{ "deleted", 0, OPT_DELETED, CMD_ARG_NONE, NULL,
	  "ls: only deleted runs", 0 },
	{ "all", 0, OPT_ALL, CMD_ARG_NONE, NULL,
	  "ls: deleted runs too; diff: the facts that agree too", 0 },
	{ "tree", 0, OPT_TREE, CMD_ARG_NONE, NULL,
	  "ls: nested runs indented under their parent", 0 },
	{ "children", 0, OPT_CHILDREN, CMD_ARG_NONE, NULL,
	  "delete, restore: the runs' children too", 0 },
	{ "older-than", 0, OPT_OLDER, CMD_ARG_NUMBER, "DAYS",
	  "purge: only runs deleted more than DAYS days ago", 0 },
	{ "remove", 0, OPT_REMOVE, CMD_ARG_TEXT, "KEY",
	  "tag: remove the tag KEY (repeatable)", 0 },
	{ "edit", 0, OPT_EDIT, CMD_ARG_NONE, NULL,
	  "note: edit the note in $VISUAL, $EDITOR or vi", 0 },
	{ "env", 0, OPT_ENV, CMD_ARG_NONE, NULL,
	  "show: list the run's environment (secrets redacted)", 0 },
	{ "packages", 0, OPT_PACKAGES, CMD_ARG_NONE, NULL,
	  "show: list the run's Python packages (pip freeze)", 0 },
	{ "patch", 0, OPT_PATCH, CMD_ARG_NONE, NULL,
	  "show: print only the patch of the run's dirty tree", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub runs_subs[] = {
	{ "ls", "", "runs with their params and the last value of every "
	  "metric" },
	{ "show", "run", "one run: attributes, params, tags, metrics" },
	{ "diff", "run run", "what differs between two runs (exit 1 if "
	  "anything)" },
	{ "delete", "run...", "delete runs (soft: hidden, points kept)" },
	{ "restore", "run...", "restore deleted runs" },
	{ "purge", "run...", "remove deleted runs for good" },
	{ "rename", "run text", "rename a run" },
	{ "tag", "run text...", "set (KEY=VALUE) or --remove tags" },
	{ "note", "run text", "print, set or --edit a run's note" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_runs_entry = {
	.name = "runs",
	.summary = "List and show runs, diff two (runs ls, show, diff)",
	.usage = "mlwb runs ls [-e EXPERIMENT] [--filter EXPR] "
	    "[--order-by LIST] [--deleted | --all] [--tree]\n"
	    "       mlwb runs show RUN [--env] [--packages] [--patch]\n"
	    "       mlwb runs diff A B [--all]\n"
	    "       mlwb runs delete|restore RUN... | --filter EXPR "
	    "[--children]\n"
	    "       mlwb runs purge [--older-than DAYS] [RUN...]\n"
	    "       mlwb runs rename RUN NEW-NAME\n"
	    "       mlwb runs tag RUN KEY=VALUE... [--remove KEY]...\n"
	    "       mlwb runs note RUN [TEXT | --edit]",
	.help = "--filter takes MLflow search syntax, e.g.\n"
	    "\"metrics.loss < 0.3 AND params.opt = 'adam'\"; --order-by\n"
	    "\"metrics.val_loss ASC, start_time DESC\" (see doc/query.md).\n"
	    "runs ls lists runs with their params and the last value of every "
	    "metric\n(columns as in MLflow's search_runs export).  runs show "
	    "prints one run,\nwith summary lines of what it keeps to be run "
	    "again (--env, --packages\nand --patch print those in full).  "
	    "runs diff lists what differs between two\nruns: command, "
	    "commit, params, environment, patch, packages, GPU, data\nsets "
	    "and metrics' last values; it exits 0 when nothing does, 1 when "
	    "something\ndoes, 2 on trouble, like diff(1).\n"
	    "RUN is a UUID, a unique UUID prefix, "
	    "EXPERIMENT/NAME or a unique name.\n"
	    "runs delete hides runs from every list, search, compare and "
	    "count; their\npoints are kept and runs restore brings them "
	    "back.  runs purge removes\ndeleted runs for good (not one that "
	    "backs a model version).  See doc/runs.md.\n",
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
exp_ls(struct cli *cli, enum q_scope scope)
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
	rc = db_exp_each(l.db, scope, exp_ls_one, &l, &err);
	db_close(l.db);
	ioerr = out_finish(l.o) != 0;
	if (rc != WB_OK)
		return cli_fail(&err);
	return ioerr ? cli_write_failed() : EXIT_OK;
}

static int
cmd_exp(struct cli *cli, int argc, char **argv)
{
	enum q_scope	scope = QS_LIVE;
	int		opt;

	while ((opt = cmd_getopt(cli, &cmd_exp_entry, argc, argv)) > 0)
		scope = opt == OPT_ALL ? QS_ALL : QS_DELETED;
	if (opt < 0)
		return cmd_getopt_exit(opt);
	argc -= optind;
	argv += optind;
	if (argc >= 1 && (strcmp(argv[0], "rename") == 0 ||
	    strcmp(argv[0], "delete") == 0 || strcmp(argv[0], "restore") == 0))
		return life_exp(cli, argc, argv);
	if (argc != 1 || strcmp(argv[0], "ls") != 0)
		return cli_usage(cmd_exp_entry.usage);
	return exp_ls(cli, scope);
}

/* runs ls ---------------------------------------------------------------- */

struct run_item {
	struct run		 run;
	struct kv		*params;
	size_t			 nparams;
	struct kv		*tags;		/* JSON only */
	size_t			 ntags;
	struct metric_summary	*metrics;
	size_t			 nmetrics;
};

struct run_list {
	struct db		*db;
	struct run_item		*items;
	size_t			 n, cap;
	char			**pkeys, **mkeys;	/* unions, sorted */
	size_t			 npkeys, nmkeys;
	struct wb_err		 err;
	int			 failed;
	int			 want_tags;	/* JSON lists them */
};

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
key_union_add(char ***keys, size_t *n, const char *k)
{
	size_t	i;

	/* Keys per workspace are few (tens to hundreds): linear is fine. */
	for (i = 0; i < *n; i++)
		if (strcmp((*keys)[i], k) == 0)
			return;
	*keys = xreallocarray(*keys, *n + 1, sizeof **keys);
	(*keys)[(*n)++] = xstrdup(k);
}

static int
collect_run(void *arg, const struct run *r)
{
	struct run_list	*l = arg;
	struct run_item	*it;
	size_t		 i;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->items = xreallocarray(l->items, l->cap, sizeof *l->items);
	}
	it = &l->items[l->n];
	memset(it, 0, sizeof *it);
	it->run = *r;
	/* Take copies of the borrowed strings. */
	it->run.experiment = xstrdup(r->experiment);
	it->run.name = xstrdup(r->name);
	it->run.status = xstrdup(r->status);
	it->run.source = r->source ? xstrdup(r->source) : NULL;
	it->run.command = r->command ? xstrdup(r->command) : NULL;
	it->run.git_commit = r->git_commit ? xstrdup(r->git_commit) : NULL;
	it->run.host = r->host ? xstrdup(r->host) : NULL;
	it->run.user = r->user ? xstrdup(r->user) : NULL;
	it->run.log_path = r->log_path ? xstrdup(r->log_path) : NULL;
	l->n++;
	if (db_params_get(l->db, r->id, &it->params, &it->nparams,
	    &l->err) != WB_OK ||
	    db_metric_summaries(l->db, r->id, &it->metrics, &it->nmetrics,
	    &l->err) != WB_OK || (l->want_tags && db_tags_get(l->db, r->id,
	    &it->tags, &it->ntags, &l->err) != WB_OK)) {
		l->failed = 1;
		return 1;
	}
	for (i = 0; i < it->nparams; i++)
		key_union_add(&l->pkeys, &l->npkeys, it->params[i].key);
	for (i = 0; i < it->nmetrics; i++)
		key_union_add(&l->mkeys, &l->nmkeys, it->metrics[i].key);
	return 0;
}

static void
run_list_free(struct run_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		run_clear(&l->items[i].run);
		kv_free(l->items[i].params, l->items[i].nparams);
		kv_free(l->items[i].tags, l->items[i].ntags);
		metric_summaries_free(l->items[i].metrics,
		    l->items[i].nmetrics);
	}
	free(l->items);
	for (i = 0; i < l->npkeys; i++)
		free(l->pkeys[i]);
	for (i = 0; i < l->nmkeys; i++)
		free(l->mkeys[i]);
	free(l->pkeys);
	free(l->mkeys);
}

static const char *
param_of(const struct run_item *it, const char *key)
{
	size_t	i;

	for (i = 0; i < it->nparams; i++)
		if (strcmp(it->params[i].key, key) == 0)
			return it->params[i].value ? it->params[i].value : "";
	return NULL;
}

static const struct metric_summary *
metric_of(const struct run_item *it, const char *key)
{
	size_t	i;

	for (i = 0; i < it->nmetrics; i++)
		if (strcmp(it->metrics[i].key, key) == 0)
			return &it->metrics[i];
	return NULL;
}

static void
runs_ls_json(const struct run_list *l)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i, k;
	char		 t[32];

	fputs(l->n ? "[\n" : "[]\n", stdout);
	for (i = 0; i < l->n; i++) {
		const struct run_item	*it = &l->items[i];
		const struct run	*r = &it->run;

		strbuf_reset(&sb);
		strbuf_adds(&sb, "  {\"uuid\": ");
		text_json_str(&sb, r->uuid);
		strbuf_adds(&sb, ", \"name\": ");
		text_json_str(&sb, r->name);
		strbuf_adds(&sb, ", \"experiment\": ");
		text_json_str(&sb, r->experiment);
		strbuf_adds(&sb, ", \"status\": ");
		text_json_str(&sb, r->status);
		strbuf_adds(&sb, ", \"started_at\": ");
		if (r->started_at) {
			snprintf(t, sizeof t, "%" PRId64, r->started_at);
			strbuf_adds(&sb, t);
		} else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ", \"ended_at\": ");
		if (r->ended_at) {
			snprintf(t, sizeof t, "%" PRId64, r->ended_at);
			strbuf_adds(&sb, t);
		} else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ", \"parent\": ");
		if (r->parent_uuid[0] != '\0')
			text_json_str(&sb, r->parent_uuid);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ",\n   \"params\": {");
		for (k = 0; k < it->nparams; k++) {
			if (k)
				strbuf_adds(&sb, ", ");
			text_json_str(&sb, it->params[k].key);
			strbuf_adds(&sb, ": ");
			if (it->params[k].value)
				text_json_str(&sb, it->params[k].value);
			else
				strbuf_adds(&sb, "null");
		}
		strbuf_adds(&sb, "},\n   \"tags\": {");
		for (k = 0; k < it->ntags; k++) {
			if (k)
				strbuf_adds(&sb, ", ");
			text_json_str(&sb, it->tags[k].key);
			strbuf_adds(&sb, ": ");
			if (it->tags[k].value)
				text_json_str(&sb, it->tags[k].value);
			else
				strbuf_adds(&sb, "null");
		}
		strbuf_adds(&sb, "},\n   \"metrics\": {");
		for (k = 0; k < it->nmetrics; k++) {
			if (k)
				strbuf_adds(&sb, ", ");
			text_json_str(&sb, it->metrics[k].key);
			strbuf_adds(&sb, ": ");
			text_json_num(&sb, it->metrics[k].last);
		}
		strbuf_adds(&sb, i + 1 < l->n ? "}},\n" : "}}\n");
		fputs(strbuf_str(&sb), stdout);
	}
	if (l->n)
		fputs("]\n", stdout);
	strbuf_free(&sb);
}

/* Collect the runs matching filter, sorted by order (src/query.h). */
static int
runs_query(struct run_list *l, int64_t exp_id, const char *filter,
    const char *order, enum q_scope scope)
{
	struct query	*q = NULL;
	struct q_order	*o = NULL;
	struct run	 r;
	int64_t		*ids = NULL;
	size_t		 n = 0, i;
	int		 rc;

	if ((rc = query_parse(filter ? filter : "", &q, &l->err)) == WB_OK)
		q->scope = scope;
	if (rc != WB_OK ||
	    (order != NULL &&
	    (rc = query_order_parse(order, &o, &l->err)) != WB_OK) ||
	    (rc = db_query_runs(l->db, q, o, exp_id, &ids, &n, &l->err)) !=
	    WB_OK)
		goto out;
	for (i = 0; i < n && !l->failed; i++) {
		if ((rc = db_run_get(l->db, ids[i], &r, &l->err)) != WB_OK)
			goto out;
		collect_run(l, &r);
		run_clear(&r);
	}
	rc = l->failed ? l->err.code : WB_OK;
out:
	query_free(q);
	query_order_free(o);
	wb_free(ids);
	return rc;
}

/* An item's run id and its index, sorted by id (for --tree). */
struct id_ix {
	int64_t	id;
	size_t	ix;
};

static int
cmp_id_ix(const void *a, const void *b)
{
	int64_t	x = ((const struct id_ix *)a)->id;
	int64_t	y = ((const struct id_ix *)b)->id;

	return (x > y) - (x < y);
}

/*
 * --tree: the order of l's items with each run's children (those in the
 * list) right under it, in list order, and each item's depth.  A run
 * whose parent is not listed is a root.  O(n log n): 100,000 runs take
 * no longer to order than to print.  order and depth are the caller's.
 */
static void
tree_order(const struct run_list *l, size_t **order, int **depth)
{
	size_t		 n = l->n, i, j, k, sp, no = 0;
	struct id_ix	*byid = xcalloc(n + 1, sizeof *byid), key, *hit;
	size_t		*parent = xcalloc(n + 1, sizeof *parent);
	size_t		*first = xcalloc(n + 1, sizeof *first);
	size_t		*next = xcalloc(n + 1, sizeof *next);
	size_t		*last = xcalloc(n + 1, sizeof *last);
	size_t		*stack = xcalloc(n + 1, sizeof *stack);
	size_t		*o = xcalloc(n + 1, sizeof *o);
	int		*d = xcalloc(n + 1, sizeof *d), *sd;

	sd = xcalloc(n + 1, sizeof *sd);
	for (i = 0; i < n; i++) {
		byid[i].id = l->items[i].run.id;
		byid[i].ix = i;
	}
	if (n > 0)
		qsort(byid, n, sizeof *byid, cmp_id_ix);
	/* Index + 1 of each item's parent (0: a root); children lists. */
	for (i = 0; i < n; i++) {
		key.id = l->items[i].run.parent_id;
		hit = key.id != 0 && n > 0 ? bsearch(&key, byid, n,
		    sizeof *byid, cmp_id_ix) : NULL;
		parent[i] = hit != NULL && hit->ix != i ? hit->ix + 1 : 0;
		if (parent[i] == 0)
			continue;
		j = parent[i] - 1;
		if (first[j] == 0)
			first[j] = i + 1;
		else
			next[last[j] - 1] = i + 1;
		last[j] = i + 1;
	}
	for (i = 0; i < n; i++) {
		if (parent[i] != 0)
			continue;
		sp = 0;
		stack[sp] = i;
		sd[sp++] = 0;
		while (sp > 0 && no < n) {
			j = stack[--sp];
			o[no] = j;
			d[no++] = sd[sp];
			/* Push the children last first, so they pop in order. */
			k = 0;
			for (size_t c = first[j]; c != 0; c = next[c - 1])
				k++;
			for (size_t c = first[j], m = 0; c != 0;
			    c = next[c - 1], m++) {
				stack[sp + k - 1 - m] = c - 1;
				sd[sp + k - 1 - m] = d[no - 1] + 1;
			}
			sp += k;
		}
	}
	/* Runs on a cycle of parents (never made here) are still listed. */
	if (no < n) {
		char	*seen = xcalloc(n + 1, 1);

		for (i = 0; i < no; i++)
			seen[o[i]] = 1;
		for (i = 0; i < n; i++)
			if (!seen[i]) {
				o[no] = i;
				d[no++] = 0;
			}
		free(seen);
	}
	free(byid);
	free(parent);
	free(first);
	free(next);
	free(last);
	free(stack);
	free(sd);
	*order = o;
	*depth = d;
}

/* runs ls --tree: children under their parent needs the whole list. */
static int
runs_ls_tree(struct cli *cli, const char *exp, const char *filter,
    const char *order, enum q_scope scope, int tree)
{
	size_t		*ord = NULL;
	int		*depth = NULL;
	struct run_list	 l;
	struct out	*o;
	struct strbuf	 col = STRBUF_INIT;
	int64_t		 exp_id = 0;
	size_t		 i, k;
	char		 t[32];
	int		 rc, began = 0;

	memset(&l, 0, sizeof l);
	l.want_tags = cli->format == OUT_JSON;
	if ((l.db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if (exp != NULL && db_exp_find(l.db, exp, &exp_id, &l.err) != WB_OK) {
		db_close(l.db);
		return cli_fail(&l.err);
	}
	/*
	 * One read transaction for the list and every run's params and
	 * metrics: statements outside one each take and drop SQLite's
	 * shared lock (fcntl, fstat), which was most of the time on
	 * thousands of runs.
	 */
	if ((rc = db_read_begin(l.db, &began, &l.err)) == WB_OK) {
		if (filter != NULL || order != NULL || scope != QS_LIVE)
			rc = runs_query(&l, exp_id, filter, order, scope);
		else
			rc = db_run_each(l.db, exp_id, collect_run, &l, &l.err);
		db_read_end(l.db, began);
	}
	db_close(l.db);
	if (rc != WB_OK || l.failed) {
		run_list_free(&l);
		return cli_fail(&l.err);
	}
	if (l.npkeys > 1)
		qsort(l.pkeys, l.npkeys, sizeof *l.pkeys, strp_cmp);
	if (l.nmkeys > 1)
		qsort(l.mkeys, l.nmkeys, sizeof *l.mkeys, strp_cmp);

	if (cli->format == OUT_JSON) {
		runs_ls_json(&l);
		run_list_free(&l);
		return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
	}
	/* Same columns as MLflow's search_runs() export. */
	o = out_new(stdout, cli->format);
	out_col(o, "uuid", OUT_TEXT);
	out_col(o, "experiment", OUT_TEXT);
	out_col(o, "name", OUT_TEXT);
	out_col(o, "status", OUT_TEXT);
	out_col(o, "started", OUT_TEXT);
	out_col(o, "duration", OUT_TEXT);
	for (k = 0; k < l.npkeys; k++) {
		strbuf_reset(&col);
		strbuf_addf(&col, "params.%s", l.pkeys[k]);
		out_col(o, strbuf_str(&col), OUT_TEXT);
	}
	for (k = 0; k < l.nmkeys; k++) {
		strbuf_reset(&col);
		strbuf_addf(&col, "metrics.%s", l.mkeys[k]);
		out_col(o, strbuf_str(&col), OUT_NUM);
	}
	strbuf_free(&col);
	if (tree)
		tree_order(&l, &ord, &depth);
	for (i = 0; i < l.n; i++) {
		const struct run_item	*it = &l.items[ord ? ord[i] : i];
		const struct run	*r = &it->run;
		const struct metric_summary *m;

		/* A table shows the 8-digit prefix, enough to resolve. */
		snprintf(t, sizeof t, "%.8s", r->uuid);
		out_text(o, out_resolved(o) == OUT_TABLE ? t : r->uuid);
		out_text(o, r->experiment);
		if (tree && depth[i] > 0) {
			strbuf_reset(&col);
			for (k = 0; k < (size_t)depth[i]; k++)
				strbuf_adds(&col, "  ");
			strbuf_adds(&col, r->name);
			out_text(o, strbuf_str(&col));
		} else
			out_text(o, r->name);
		out_text(o, r->status);
		out_text(o, text_time(t, r->started_at));
		if (r->started_at && r->ended_at)
			out_text(o, text_duration(t, r->ended_at -
			    r->started_at));
		else
			out_null(o);
		for (k = 0; k < l.npkeys; k++)
			out_text(o, param_of(it, l.pkeys[k]));
		for (k = 0; k < l.nmkeys; k++) {
			m = metric_of(it, l.mkeys[k]);
			out_num_or_null(o, m ? m->last : 0, m == NULL);
		}
		out_end_row(o);
	}
	strbuf_free(&col);
	free(ord);
	free(depth);
	run_list_free(&l);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* runs show -------------------------------------------------------------- */

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
kv_value_of(const struct kv *kv, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value ? kv[i].value : "";
	return NULL;
}

static const struct metric_summary *
summary_of(const struct metric_summary *m, size_t n, const char *key)
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
	strbuf_adds(sb, ", \"parent\": ");
	if (r->parent_uuid[0] != '\0')
		text_json_str(sb, r->parent_uuid);
	else
		strbuf_adds(sb, "null");
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
		out_text(o, kv_value_of(params, np, l->pkeys[k]));
	for (k = 0; k < l->nmkeys; k++) {
		ms = summary_of(m, nm, l->mkeys[k]);
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
runs_ls_stream(struct cli *cli, const char *exp, const char *filter,
    const char *order, enum q_scope scope)
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
	    (rc = query_parse(filter ? filter : "", &q, &l.err)) != WB_OK)
		goto out;
	q->scope = scope;	/* live, deleted or all runs */
	if ((order != NULL &&
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
show_json_str(struct strbuf *sb, const char *s)
{
	if (s != NULL)
		text_json_str(sb, s);
	else
		strbuf_adds(sb, "null");
}

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
runs_show(struct cli *cli, const char *ref, int what)
{
	struct db		*db;
	struct repro		 rp;
	struct run		 r;
	struct kv		*params = NULL, *tags = NULL, *kids = NULL;
	struct metric_summary	*ms = NULL;
	struct run		 par;
	size_t			 np = 0, nt = 0, nm = 0, nk = 0, i;
	struct wb_err		 err;
	struct out		*o;
	int64_t			 id;
	char			 t[32], b[160];

	memset(&par, 0, sizeof par);
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if (db_run_resolve(db, ref, &id, &err) != WB_OK ||
	    db_run_get(db, id, &r, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	memset(&rp, 0, sizeof rp);
	if (db_params_get(db, id, &params, &np, &err) != WB_OK ||
	    db_life_children_list(db, id, &kids, &nk, &err) != WB_OK ||
	    (r.parent_id != 0 && db_run_get(db, r.parent_id, &par, &err) !=
	    WB_OK) ||
	    db_tags_get(db, id, &tags, &nt, &err) != WB_OK ||
	    db_metric_summaries(db, id, &ms, &nm, &err) != WB_OK ||
	    db_repro_get(db, id, NULL, &rp, &err) != WB_OK) {
		kv_free(params, np);
		kv_free(tags, nt);
		metric_summaries_free(ms, nm);
		kv_free(kids, nk);
		run_clear(&r);
		run_clear(&par);
		db_close(db);
		return cli_fail(&err);
	}
	db_close(db);
	if (what & SHOW_PATCH) {
		i = (size_t)cli_repro_patch(&rp);
		kv_free(params, np);
		kv_free(tags, nt);
		metric_summaries_free(ms, nm);
		kv_free(kids, nk);
		repro_free(&rp);
		run_clear(&r);
		run_clear(&par);
		return (int)i;
	}

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
		strbuf_adds(&sb, ", \"deleted_at\": ");
		if (r.deleted_at)
			strbuf_addf(&sb, "%" PRId64, r.deleted_at);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ", \"parent\": ");
		if (r.parent_id != 0)
			text_json_str(&sb, par.uuid);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ", \"children\": [");
		for (i = 0; i < nk; i++) {
			strbuf_adds(&sb, i ? ", " : "");
			text_json_str(&sb, kids[i].key);
		}
		strbuf_adds(&sb, "]");
		strbuf_adds(&sb, ", \"source\": ");
		if (r.source)
			text_json_str(&sb, r.source);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ",\n \"command\": ");
		show_json_str(&sb, r.command);
		strbuf_adds(&sb, ", \"git_commit\": ");
		show_json_str(&sb, r.git_commit);
		strbuf_adds(&sb, ", \"git_dirty\": ");
		strbuf_adds(&sb, r.git_dirty < 0 ? "null" : r.git_dirty ?
		    "true" : "false");
		strbuf_adds(&sb, ", \"host\": ");
		show_json_str(&sb, r.host);
		strbuf_adds(&sb, ", \"user\": ");
		show_json_str(&sb, r.user);
		strbuf_adds(&sb, ", \"exit_code\": ");
		if (r.has_exit_code)
			strbuf_addf(&sb, "%d", r.exit_code);
		else
			strbuf_adds(&sb, "null");
		cli_repro_json(&sb, &rp, what);
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
		if (r.deleted_at)
			show_attr(o, "run", "deleted", text_time(t,
			    r.deleted_at));
		if (r.parent_id != 0) {
			snprintf(b, sizeof b, "%s (%s)", par.name, par.uuid);
			show_attr(o, "run", "parent", b);
		}
		for (i = 0; i < nk; i++)
			show_attr(o, "child", kids[i].value, kids[i].key);
		if (r.source)
			show_attr(o, "run", "source", r.source);
		if (r.command)
			show_attr(o, "run", "command", r.command);
		if (r.git_commit)
			show_attr(o, "run", "git_commit", r.git_commit);
		if (r.git_dirty >= 0)
			show_attr(o, "run", "git_dirty", r.git_dirty ? "yes" :
			    "no");
		if (r.host)
			show_attr(o, "run", "host", r.host);
		if (r.user)
			show_attr(o, "run", "user", r.user);
		if (r.has_exit_code) {
			snprintf(b, sizeof b, "%d", r.exit_code);
			show_attr(o, "run", "exit_code", b);
		}
		cli_repro_rows(o, &rp, what);
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
	kv_free(kids, nk);
	metric_summaries_free(ms, nm);
	repro_free(&rp);
	run_clear(&r);
	run_clear(&par);
	return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
}

static int
cmd_runs(struct cli *cli, int argc, char **argv)
{
	const char	*exp = NULL, *filter = NULL, *order = NULL;
	struct life_opts lo;
	int		 tree = 0;
	enum q_scope	 scope = QS_LIVE;
	char		*end;
	int		 opt, what = 0, all = 0;

	memset(&lo, 0, sizeof lo);
	lo.older_than = -1;
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
		case OPT_DELETED:
			scope = QS_DELETED;
			break;
		case OPT_ALL:
			scope = QS_ALL;
			all = 1;
			break;
		case OPT_ENV:
			what |= SHOW_ENV;
			break;
		case OPT_PACKAGES:
			what |= SHOW_PACKAGES;
			break;
		case OPT_PATCH:
			what |= SHOW_PATCH;
			break;
		case OPT_CHILDREN:
			lo.children = 1;
			break;
		case OPT_TREE:
			tree = 1;
			break;
		case OPT_EDIT:
			lo.edit = 1;
			break;
		case OPT_OLDER:
			lo.older_than = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' ||
			    lo.older_than < 0 || lo.older_than > 36500) {
				cli_error("runs: --older-than: '%s' is not a "
				    "number of days", optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_REMOVE:
			if (lo.nremove == (int)(sizeof lo.remove /
			    sizeof lo.remove[0])) {
				cli_error("runs tag: too many --remove");
				return EXIT_USAGE;
			}
			lo.remove[lo.nremove++] = optarg;
			break;
		}
	}
	if (opt < 0)
		return cmd_getopt_exit(opt);
	argc -= optind;
	argv += optind;
	lo.filter = filter;
	if (argc >= 1 && life_is_runs_sub(argv[0]))
		return life_runs(cli, argc, argv, &lo);
	if (argc == 1 && strcmp(argv[0], "ls") == 0)
		return tree ? runs_ls_tree(cli, exp, filter, order, scope,
		    tree) : runs_ls_stream(cli, exp, filter, order, scope);
	if (argc == 2 && strcmp(argv[0], "show") == 0)
		return runs_show(cli, argv[1], what);
	if (argc == 3 && strcmp(argv[0], "diff") == 0)
		return cli_runs_diff(cli, argv + 1, all);
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
