/*
 * cli_config: `mlwb config`, the settings kept in the workspace itself
 * (so every box that opens it sees them): today the artifact root.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifact.h"
#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "err.h"
#include "mem.h"
#include "out.h"

static int	cmd_config(struct cli *, int, char **);

static const struct cmd_sub config_subs[] = {
	{ "artifact-root", "dir", "show or set the artifact root" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_config_entry = {
	.name = "config",
	.summary = "Workspace settings: artifact-root",
	.usage = "mlwb config artifact-root [PATH]",
	.help = "Settings stored in the workspace.  artifact-root is the "
	    "folder where\nartifacts are kept (content-addressed: blobs/ab/"
	    "cdef...).  On SQLite it\ndefaults to FILE.files beside the "
	    "file; a PostgreSQL store has no\ndefault and needs a folder every "
	    "box can reach (a network mount).  Without\nPATH it prints the "
	    "root in use.  Blobs already stored are not moved.\n",
	.subs = config_subs,
	.exec = cmd_config,
};

static int
cmd_config(struct cli *cli, int argc, char **argv)
{
	struct db	*db;
	struct wb_err	 err;
	char		*root = NULL;
	int		 opt, nargs, rc;

	while ((opt = cmd_getopt(cli, &cmd_config_entry, argc, argv)) > 0)
		;
	if (opt < 0)
		return cmd_getopt_exit(opt);
	nargs = argc - optind;
	if (nargs < 1 || nargs > 2 || strcmp(argv[optind],
	    "artifact-root") != 0)
		return cli_usage(cmd_config_entry.usage);
	if (nargs == 2) {
		if ((rc = cli_text_only(cli, "config artifact-root")) != 0)
			return rc;
		/* Like init: a new workspace may start with its root. */
		if ((db = cli_open_db(cli, 0)) == NULL)
			return EXIT_FAIL;
		rc = art_root_set(db, argv[optind + 1], &err);
		if (rc == WB_OK)
			rc = art_root(db, &root, &err);
		db_close(db);
		if (rc != WB_OK)
			return cli_fail(&err);
		if (!cli->quiet)
			printf("artifact root: %s\n", root);
		wb_free(root);
		return EXIT_OK;
	}
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	rc = art_root(db, &root, &err);
	db_close(db);
	if (rc != WB_OK)
		return cli_fail(&err);
	if (cli->format == OUT_CSV || cli->format == OUT_JSON) {
		struct out	*o = out_new(stdout, cli->format);

		out_col(o, "artifact_root", OUT_TEXT);
		out_text(o, root);
		out_end_row(o);
		rc = out_finish(o);
	} else
		printf("%s\n", root);
	wb_free(root);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}
