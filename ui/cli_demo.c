/*
 * cli_demo: `mlwb demo`, a deterministic demo workspace built in one
 * transaction from every area's part (src/demo.h).
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "artifact.h"
#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "db_run.h"
#include "demo.h"
#include "err.h"
#include "mem.h"
#include "xmem.h"

static int	cmd_demo(struct cli *, int, char **);

static const struct cmd_opt demo_opts[] = {
	{ "force", 'f', 'f', CMD_ARG_NONE, NULL,
	  "replace a workspace that already has runs", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_demo_entry = {
	.name = "demo",
	.summary = "Build a demo workspace",
	.usage = "mlwb demo [--db FILE|URL] [--force]",
	.help = "Build a demo workspace: three experiments of training runs "
	    "with realistic\ncurves, drift reports, registered models and an "
	    "example project beside the\ndatabase (FILE.files/).  Refuses a "
	    "workspace that already has runs.\n",
	.opts = demo_opts,
	.exec = cmd_demo,
	.flags = CMD_NOFORMAT,
};

/*
 * A server store has no default artifact root; the demo, a one-box
 * affair, keeps its registered models in its own files folder unless the
 * workspace already has a root.
 */
static int
demo_root(struct db *db, const char *dir, struct wb_err *err)
{
	struct wb_err	 ignored;
	char		*root = NULL;

	if (!db_is_remote(db) || art_root(db, &root, &ignored) == WB_OK) {
		wb_free(root);
		return WB_OK;
	}
	return art_root_set(db, dir, err);
}

static int
cmd_demo(struct cli *cli, int argc, char **argv)
{
	struct db	*db;
	struct wb_err	 err;
	struct stat	 sb;
	char		*dir, *tmp, *local = NULL;
	int64_t		 n;
	int		 opt, force = 0, rc;

	while ((opt = cmd_getopt(cli, &cmd_demo_entry, argc, argv)) > 0)
		force = 1;	/* --force, its only option */
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (optind != argc)
		return cli_usage(cmd_demo_entry.usage);
	if (db_is_url(cli->db_path)) {
		/* A server store: no file to remove; it must be empty. */
		if (force) {
			cli_error("%s: --force removes a workspace file; on a "
			    "server store use an empty database",
			    cli->db_path);
			return EXIT_FAIL;
		}
		if ((db = cli_open_db(cli, 0)) == NULL)
			return EXIT_FAIL;
		rc = db_run_count(db, 0, &n, &err);
		if (rc == WB_OK && n == 0 && (local = db_local_dir(db, &err)) ==
		    NULL)
			rc = WB_EIO;
		db_close(db);
		if (rc != WB_OK)
			return cli_fail(&err);
		if (n > 0) {
			cli_error("%s already has %lld runs; use another --db",
			    cli->db_path, (long long)n);
			return EXIT_FAIL;
		}
	} else if (force) {
		/*
		 * Start over: the old workspace and its WAL go.  Whole
		 * names: a cut one could name another file.
		 */
		tmp = xasprintf("%s-wal", cli->db_path);
		unlink(tmp);
		free(tmp);
		tmp = xasprintf("%s-shm", cli->db_path);
		unlink(tmp);
		free(tmp);
		unlink(cli->db_path);
	} else if (stat(cli->db_path, &sb) == 0) {
		if ((db = cli_open_db(cli, DB_READONLY)) == NULL)
			return EXIT_FAIL;
		rc = db_run_count(db, 0, &n, &err);
		db_close(db);
		if (rc != WB_OK)
			return cli_fail(&err);
		if (n > 0) {
			cli_error("%s already has %lld runs; use another --db "
			    "or --force", cli->db_path, (long long)n);
			return EXIT_FAIL;
		}
	}
	/*
	 * Files of the demo live beside the database, in DB.files/ (for a
	 * server store, mlwb-demo.files/ in the current folder).
	 */
	if (local != NULL) {
		dir = xasprintf("%s/mlwb-demo.files", local);
		wb_free(local);
	} else
		dir = xasprintf("%s.files", cli->db_path);
	if (mkdir(dir, 0777) == -1 && errno != EEXIST) {
		cli_error("%s: %s", dir, strerror(errno));
		free(dir);
		return EXIT_FAIL;
	}
	if ((db = cli_open_db(cli, 0)) == NULL) {
		free(dir);
		return EXIT_FAIL;
	}
	if ((rc = db_begin(db, &err)) == WB_OK) {
		if ((rc = demo_root(db, dir, &err)) == WB_OK &&
		    (rc = demo_tracking(db, &err)) == WB_OK &&
		    (rc = demo_drift(db, dir, &err)) == WB_OK &&
		    (rc = demo_registry(db, dir, &err)) == WB_OK &&
		    (rc = demo_launch(db, dir, &err)) == WB_OK)
			rc = db_commit(db, &err);
		else
			db_rollback(db);
	}
	free(dir);
	if (rc == WB_OK)
		rc = db_run_count(db, 0, &n, &err);
	db_close(db);
	if (rc != WB_OK)
		return cli_fail(&err);
	if (!cli->quiet)
		printf("demo workspace %s: %lld runs\n", cli->db_path,
		    (long long)n);
	return EXIT_OK;
}
