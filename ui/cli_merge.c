/*
 * cli_merge: `mlwb merge OTHER.db...`, the runs of other workspaces (other
 * training boxes) brought into this one by UUID.
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
	struct merge_stats	 ms;
	struct db		*db;
	struct wb_err		 err;
	int			 opt, r, i, status = EXIT_OK;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if ((r = cli_common_opt(cli, opt, optarg)) == 1)
			continue;
		if (r < 0)
			return EXIT_USAGE;
		if (opt == 'h') {
			printf("usage: %s\n\nCopy the runs of other "
			    "workspaces (say, one per training box) into\n"
			    "this one: every run whose UUID is not here yet, "
			    "with its experiment (matched\nby name), params, "
			    "tags and metric points.  Idempotent: merging a "
			    "file again\nadds only what is new.  The other "
			    "files are only read.  One transaction per\n"
			    "file.\n", usage);
			return EXIT_OK;
		}
		return cli_bad_option("merge");
	}
	if (optind == argc)
		return cli_usage(usage);
	if ((db = cli_open_db(cli, 0)) == NULL)
		return EXIT_FAIL;
	for (i = optind; i < argc; i++) {
		if (db_merge(db, argv[i], &ms, &err) != WB_OK) {
			cli_fail(&err);
			status = EXIT_FAIL;
			continue;
		}
		if (!cli->quiet)
			printf("%s: %lld runs merged (%lld points), %lld "
			    "already here, %lld new experiments\n", argv[i],
			    (long long)ms.runs, (long long)ms.points,
			    (long long)ms.runs_skipped,
			    (long long)ms.experiments);
	}
	db_close(db);
	return status;
}
