/*
 * cli_workspace: the commands about the workspace as a whole: init,
 * doctor, and merge (other workspaces, say one per training box, synced
 * into this one: src/db_merge.c).
 */
#include "config.h"

#include <stdio.h>

#include "artifact.h"
#include "cli.h"
#include "cli_sync.h"
#include "cmd.h"
#include "db.h"
#include "db_merge.h"
#include "db_textidx.h"
#include "err.h"
#include "progress_line.h"

static int	cmd_init(struct cli *, int, char **);
static int	cmd_doctor(struct cli *, int, char **);
static int	cmd_merge(struct cli *, int, char **);

static const struct cmd_opt init_opts[] = {
	{ "artifact-root", 0, 'A', CMD_ARG_DIR, "PATH",
	  "where artifacts are kept (as mlwb config artifact-root)", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_init_entry = {
	.name = "init",
	.summary = "Create an empty workspace",
	.usage = "mlwb init [--db FILE|URL] [--artifact-root PATH]",
	.help = "Create an empty workspace (or upgrade an older one, and "
	    "build its text\nfilter's index if it lacks one).  --artifact-root "
	    "sets the folder\nartifacts are kept in (a PostgreSQL store needs "
	    "one every box can reach;\nsee mlwb config).\n",
	.opts = init_opts,
	.exec = cmd_init,
	.flags = CMD_NOFORMAT,
};

static const struct cmd_opt doctor_opts[] = {
	{ "quick", 0, 'q', CMD_ARG_NONE, NULL,
	  "only mlwb's own checks, no page-level SQLite check", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_doctor_entry = {
	.name = "doctor",
	.summary = "Check the workspace's integrity",
	.usage = "mlwb doctor [--db FILE|URL] [--quick]",
	.help = "Check the workspace: SQLite integrity, foreign keys, metric\n"
	    "summaries against their points, registry aliases against their\n"
	    "event history, jobs against their runs, the text filter's index.\n"
	    "Exit 1 on a problem; a filter without its index is a note.\n",
	.opts = doctor_opts,
	.exec = cmd_doctor,
	.flags = CMD_NOFORMAT,
};

const struct cmd_entry cmd_merge_entry = {
	.name = "merge",
	.summary = "Merge other workspaces into this one",
	.usage = "mlwb merge OTHER.db...",
	.help = "Bring other workspaces (say, one per training box) into this "
	    "one,\nas mlwb pull does: runs by UUID (new ones, and new points "
	    "and status\nchanges of runs merged before), experiments (matched "
	    "by name), params,\ntags, registry models, versions, events and "
	    "aliases, drift reports and\nended jobs.  Idempotent.  The other "
	    "files are only read.  One transaction\nper file.  Exit status 3: "
	    "conflicts (named on stderr) were left as this\nworkspace has "
	    "them.\n",
	.operands = "file...",
	.exec = cmd_merge,
	.flags = CMD_NOFORMAT,
};

static int
cmd_init(struct cli *cli, int argc, char **argv)
{
	struct db	*db;
	struct wb_err	 err;
	const char	*root = NULL;
	int		 opt, rc;

	while ((opt = cmd_getopt(cli, &cmd_init_entry, argc, argv)) > 0)
		root = optarg;	/* --artifact-root, its only option */
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (optind != argc)
		return cli_usage(cmd_init_entry.usage);
	if ((db = cli_open_db(cli, 0)) == NULL)
		return EXIT_FAIL;
	/* A workspace made where FTS5 or pg_trgm was missing gets it now. */
	rc = db_textidx_ensure(db, &err);
	if (rc == WB_OK && root != NULL)
		rc = art_root_set(db, root, &err);
	db_close(db);
	if (rc != WB_OK)
		return cli_fail(&err);
	if (!cli->quiet)
		printf("workspace %s ready\n", cli->db_path);
	return EXIT_OK;
}

static void
doctor_line(void *arg, const char *line)
{
	progress_clear(arg);
	printf("problem: %s\n", line);
}

static int
cmd_doctor(struct cli *cli, int argc, char **argv)
{
	struct db	*db;
	struct progress	 prog;
	struct wb_err	 err;
	char		 why[200];
	int		 opt, rc, problems, quick = 0;

	while ((opt = cmd_getopt(cli, &cmd_doctor_entry, argc, argv)) > 0)
		quick = 1;	/* --quick, its only option */
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (optind != argc)
		return cli_usage(cmd_doctor_entry.usage);
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	progress_init(&prog, cli);
	progress_start(&prog, "doctor", 0, 1);
	db_set_progress_hook(db, progress_hook(&prog));
	rc = (quick ? db_doctor_quick : db_doctor)(db, doctor_line, &prog,
	    &problems, &err);
	/* Not a problem, but why a filter is slow. */
	if (rc == WB_OK && !db_textidx_usable(db, why, sizeof why))
		printf("note: %s\n", why);
	db_close(db);
	progress_free(&prog);
	if (rc != WB_OK)
		return cli_fail(&err);
	if (problems == 0) {
		printf("%s: ok%s\n", cli->db_path, quick ? " (quick)" : "");
		return EXIT_OK;
	}
	printf("%s: %d problem%s\n", cli->db_path, problems,
	    problems == 1 ? "" : "s");
	return EXIT_FAIL;
}

static int
cmd_merge(struct cli *cli, int argc, char **argv)
{
	struct sync_stats	 ms;
	struct progress		 prog;
	struct db		*db;
	struct wb_err		 err;
	int			 opt, i, r, status = EXIT_OK;

	if ((opt = cmd_getopt(cli, &cmd_merge_entry, argc, argv)) != 0)
		return cmd_getopt_exit(opt);
	if (optind == argc)
		return cli_usage(cmd_merge_entry.usage);
	db_set_lock_wait(CLI_SCRIPT_LOCK_WAIT_MS);
	if ((db = cli_open_db(cli, 0)) == NULL)
		return EXIT_FAIL;
	progress_init(&prog, cli);
	db_set_progress_hook(db, progress_hook(&prog));
	for (i = optind; i < argc; i++) {
		progress_start(&prog, argv[i], (size_t)(i - optind),
		    (size_t)(argc - optind));
		r = db_merge(db, argv[i], cli_sync_conflict, &prog, &ms, &err);
		progress_clear(&prog);
		if (r != WB_OK) {
			cli_fail(&err);
			status = EXIT_FAIL;
			continue;
		}
		if ((r = cli_sync_report(argv[i], &ms, cli->quiet)) !=
		    EXIT_OK && status == EXIT_OK)
			status = r;
	}
	db_close(db);
	progress_free(&prog);
	return status;
}
