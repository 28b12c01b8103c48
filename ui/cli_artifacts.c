/*
 * cli_artifacts: `mlwb artifacts ls|get`, the artifacts logged with a
 * run (mlwb log --artifact, entry points' outputs), listed from their
 * rows and served from the store, checked against their sha256.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "artifact.h"
#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "db_artifact.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"
#include "out.h"
#include "strbuf.h"
#include "text.h"

static int	cmd_artifacts(struct cli *, int, char **);

enum { OPT_TO = OPT_FIRST_LOCAL };

static const struct cmd_opt artifacts_opts[] = {
	{ "to", 0, OPT_TO, CMD_ARG_DIR, NULL,
	  "get: the folder to write into (default: the current one)", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub artifacts_subs[] = {
	{ "ls", "run", "a run's artifacts: name, kind, size, sha256" },
	{ "get", "run text", "write an artifact out, checked" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_artifacts_entry = {
	.name = "artifacts",
	.alias = "artifact",
	.summary = "A run's artifacts: ls, get",
	.usage = "mlwb artifacts ls RUN\n"
	    "       mlwb artifacts get RUN NAME [--to DIR]",
	.help = "Artifacts are files and folders logged with a run (mlwb log "
	    "--artifact, or an\nentry point's outputs:).  They are kept once "
	    "per content, named by sha256,\nin the workspace's artifact root "
	    "(mlwb config artifact-root).  get writes\nNAME into DIR (a "
	    "folder artifact as a folder) and checks every byte\nagainst the "
	    "recorded sha256: a mismatch is an error naming the file.\n",
	.opts = artifacts_opts,
	.subs = artifacts_subs,
	.exec = cmd_artifacts,
};

static int
artifacts_ls(struct cli *cli, const char *run)
{
	struct artifact	*v;
	struct db	*db;
	struct out	*o;
	struct wb_err	 err;
	int64_t		 id;
	size_t		 n, i;
	char		 t[32], sha[16];
	int		 table;

	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if (db_run_resolve(db, run, &id, &err) != WB_OK ||
	    db_artifact_list(db, id, &v, &n, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	db_close(db);
	o = out_new(stdout, cli->format);
	table = out_resolved(o) == OUT_TABLE;
	out_col(o, "name", OUT_TEXT);
	out_col(o, "kind", OUT_TEXT);
	out_col(o, "size", OUT_INT);
	out_col(o, "files", OUT_INT);
	out_col(o, "sha256", OUT_TEXT);
	out_col(o, "created", OUT_TEXT);
	for (i = 0; i < n; i++) {
		out_text(o, v[i].name);
		out_text(o, v[i].kind);
		out_int(o, v[i].size);
		out_int(o, v[i].n_files);
		if (table) {
			/* A prefix tells artifacts apart. */
			snprintf(sha, sizeof sha, "%.12s", v[i].sha256);
			out_text(o, sha);
		} else
			out_text(o, v[i].sha256);
		out_text(o, text_time(t, v[i].created_at));
		out_end_row(o);
	}
	artifacts_free(v, n);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
artifacts_get(struct cli *cli, const char *run, const char *name,
    const char *to)
{
	struct artifact	 a;
	struct strbuf	 dest = STRBUF_INIT, label = STRBUF_INIT;
	struct db	*db;
	struct wb_err	 err;
	char		*root = NULL;
	int64_t		 id;
	int		 rc;

	memset(&a, 0, sizeof a);
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	rc = db_run_resolve(db, run, &id, &err);
	if (rc == WB_OK)
		rc = db_artifact_get(db, id, name, &a, &err);
	if (rc == WB_OK)
		rc = art_root(db, &root, &err);
	db_close(db);
	if (rc == WB_OK) {
		strbuf_addf(&dest, "%s/%s", to ? to : ".", a.name);
		strbuf_addf(&label, "artifact '%s'", a.name);
		rc = dest.oom || label.oom ? wb_err_set(&err, WB_ENOMEM,
		    "out of memory") : art_fetch(root, a.kind, a.sha256,
		    dest.s, label.s, &err);
	}
	if (rc == WB_OK && !cli->quiet)
		printf("%s (%s, %lld bytes, sha256 %.12s) checked\n", dest.s,
		    a.kind, (long long)a.size, a.sha256);
	artifact_clear(&a);
	wb_free(root);
	strbuf_free(&dest);
	strbuf_free(&label);
	return rc == WB_OK ? EXIT_OK : cli_fail(&err);
}

static int
cmd_artifacts(struct cli *cli, int argc, char **argv)
{
	const char	*to = NULL, *sub;
	int		 opt, nargs, rc;

	while ((opt = cmd_getopt(cli, &cmd_artifacts_entry, argc, argv)) > 0)
		if (opt == OPT_TO)
			to = optarg;
	if (opt < 0)
		return cmd_getopt_exit(opt);
	nargs = argc - optind;
	if (nargs < 1)
		return cli_usage(cmd_artifacts_entry.usage);
	sub = argv[optind];
	if (strcmp(sub, "ls") == 0 && nargs == 2 && to == NULL)
		return artifacts_ls(cli, argv[optind + 1]);
	if (strcmp(sub, "get") == 0 && nargs == 3) {
		if ((rc = cli_text_only(cli, "artifacts get")) != 0)
			return rc;
		return artifacts_get(cli, argv[optind + 1], argv[optind + 2],
		    to);
	}
	return cli_usage(cmd_artifacts_entry.usage);
}
