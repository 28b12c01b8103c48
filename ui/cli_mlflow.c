/*
 * cli_mlflow: `mlwb import-mlflow PATH`, which brings an MLflow tracking
 * database or mlruns/ folder into the workspace (src/mlflow.h) and prints
 * what it found.  The whole import is one transaction: exit 1 with the
 * file (and line) named, and nothing changed, when the source is broken.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "err.h"
#include "progress_line.h"
#include "mlflow.h"
#include "out.h"
#include "registry.h"

static int	cmd_import_mlflow(struct cli *, int, char **);

static const struct cmd_opt mlflow_opts[] = {
	{ "experiment", 'e', 'e', CMD_ARG_TEXT, "NAME",
	  "only this MLflow experiment", 0 },
	{ "include-deleted", 0, 'D', CMD_ARG_NONE, NULL,
	  "deleted runs and experiments too", 0 },
	{ "dry-run", 'n', 'n', CMD_ARG_NONE, NULL,
	  "read everything and print the counts; change nothing", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_import_mlflow_entry = {
	.name = "import-mlflow",
	.summary = "Import an MLflow mlflow.db or mlruns/ folder",
	.usage = "mlwb import-mlflow PATH [--experiment NAME] "
	    "[--include-deleted] [--dry-run]",
	.help = "Import MLflow tracking data: an SQLite database (mlflow.db, "
	    "any version 1.x-3.x;\nsqlite:///PATH accepted) opened read-only, "
	    "or an mlruns/ folder (or a folder\nholding one).  Experiments, "
	    "runs with their UUIDs, params, tags, every metric\npoint, "
	    "datasets used, registered models, versions, aliases and stages "
	    "(as\naliases) come in, in one transaction.  Importing again adds "
	    "only what is new.\nDeleted runs and experiments are left out "
	    "unless --include-deleted.\nSee doc/mlflow.md.\n",
	.opts = mlflow_opts,
	.operands = "file",
	.exec = cmd_import_mlflow,
};

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *
s_(int64_t n)
{
	return n == 1 ? "" : "s";
}

static void
print_table(struct cli *cli, const char *path, const struct mlflow_result *r)
{
	static const char *const names[] = { "experiments", "runs",
	    "runs_new", "runs_updated", "runs_skipped", "params", "tags",
	    "points", "points_new", "datasets", "inputs", "models",
	    "versions", "aliases", "alias_events", "exp_tags",
	    "logged_models" };
	const int64_t	 v[] = { r->experiments, r->runs, r->runs_new,
	    r->runs_updated, r->runs_skipped, r->params, r->tags, r->points,
	    r->points_new, r->datasets, r->inputs, r->models, r->versions,
	    r->aliases, r->alias_events, r->exp_tags, r->lmodels };
	struct out	*o;
	size_t		 i;

	o = out_new(stdout, cli->format);
	out_col(o, "source", OUT_TEXT);
	out_col(o, "kind", OUT_TEXT);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		out_col(o, names[i], OUT_INT);
	out_text(o, path);
	out_text(o, r->kind);
	for (i = 0; i < sizeof v / sizeof v[0]; i++)
		out_int(o, v[i]);
	out_end_row(o);
	out_finish(o);
}

static int
cmd_import_mlflow(struct cli *cli, int argc, char **argv)
{
	struct mlflow_opts	 o;
	struct mlflow_result	 r;
	struct reg_who		 who;
	struct progress		 prog;
	struct db		*db;
	struct wb_err		 err;
	const char		*path;
	char			 host[256];
	double			 t0;
	int			 opt, rc;

	memset(&o, 0, sizeof o);
	while ((opt = cmd_getopt(cli, &cmd_import_mlflow_entry, argc, argv)) >
	    0) {
		switch (opt) {
		case 'e':
			o.experiment = optarg;
			break;
		case 'D':
			o.include_deleted = 1;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		}
	}
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (optind != argc - 1)
		return cli_usage(cmd_import_mlflow_entry.usage);
	path = argv[optind];
	/* Registry events name who imported, as `mlwb model` does. */
	reg_who_default(&who, host);
	o.actor = who.user;
	db_set_lock_wait(CLI_SCRIPT_LOCK_WAIT_MS);
	if ((db = cli_open_db(cli, 0)) == NULL)
		return EXIT_FAIL;
	t0 = now_s();
	progress_init(&prog, cli);
	progress_start(&prog, path, 0, 1);
	o.progress = progress_hook(&prog);
	rc = mlflow_import(db, path, &o, &r, &err);
	progress_free(&prog);
	db_close(db);
	if (rc != WB_OK)
		return cli_fail(&err);
	if (cli->format != OUT_AUTO) {
		print_table(cli, path, &r);
		return EXIT_OK;
	}
	if (cli->quiet)
		return EXIT_OK;
	printf("%s: %sMLflow %s, %lld experiment%s, %lld run%s (%lld new, "
	    "%lld updated, %lld skipped), %lld params, %lld tags, %lld "
	    "points (%lld new) (%.2f s)\n", path, o.dry_run ? "dry run, " :
	    "", r.kind, (long long)r.experiments, s_(r.experiments),
	    (long long)r.runs, s_(r.runs), (long long)r.runs_new,
	    (long long)r.runs_updated, (long long)r.runs_skipped,
	    (long long)r.params, (long long)r.tags, (long long)r.points,
	    (long long)r.points_new, now_s() - t0);
	if (r.models || r.datasets)
		printf("%s: %lld model%s, %lld version%s, %lld alias%s (%lld "
		    "set), %lld dataset%s, %lld input%s\n", path,
		    (long long)r.models, s_(r.models), (long long)r.versions,
		    s_(r.versions), (long long)r.aliases, r.aliases == 1 ?
		    "" : "es", (long long)r.alias_events,
		    (long long)r.datasets, s_(r.datasets),
		    (long long)r.inputs, s_(r.inputs));
	if (r.lmodels || r.exp_tags)
		printf("%s: %lld logged model%s, %lld experiment tag%s\n",
		    path, (long long)r.lmodels, s_(r.lmodels),
		    (long long)r.exp_tags, s_(r.exp_tags));
	return EXIT_OK;
}
