/*
 * cli_merge: `mlwb merge OTHER.db...`, other workspaces (other training
 * boxes) synced into this one (db_merge.h): what is new and what changed
 * since an earlier merge.
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "db.h"
#include "db_merge.h"
#include "err.h"

int
cmd_merge(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "mlwb merge OTHER.db...";
	static const struct option longopts[] = {
		CLI_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct sync_stats	 ms;
	struct db		*db;
	struct wb_err		 err;
	int			 opt, r, i, status = EXIT_OK;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if ((r = cli_common_opt(cli, opt, optarg)) == 1)
			continue;
		if (r < 0)
			return EXIT_USAGE;
		if (opt == 'h') {
			printf("usage: %s\n\nBring other workspaces (say, "
			    "one per training box) into this one,\nas mlwb pull "
			    "does: runs by UUID (new ones, and new points and "
			    "status\nchanges of runs merged before), "
			    "experiments (matched by name), params,\ntags, "
			    "registry models, versions, events and aliases, "
			    "drift reports and\nended jobs.  Idempotent.  The "
			    "other files are only read.  One transaction\nper "
			    "file.  Exit status 3: conflicts (named on stderr) "
			    "were left as this\nworkspace has them.\n", usage);
			return EXIT_OK;
		}
		return cli_bad_option("merge");
	}
	if (optind == argc)
		return cli_usage(usage);
	if ((db = cli_open_db(cli, 0)) == NULL)
		return EXIT_FAIL;
	for (i = optind; i < argc; i++) {
		if (db_merge(db, argv[i], cli_sync_conflict, NULL, &ms, &err)
		    != WB_OK) {
			cli_fail(&err);
			status = EXIT_FAIL;
			continue;
		}
		if ((r = cli_sync_report(argv[i], &ms, cli->quiet)) !=
		    EXIT_OK && status == EXIT_OK)
			status = r;
	}
	db_close(db);
	return status;
}
