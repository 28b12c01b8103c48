/*
 * cli_sync: `mlwb push [--to STORE]` and `mlwb pull [--from STORE]`, a
 * workspace synced with another store (db_sync.h): a laptop's or an
 * offline box's SQLite file with the team's PostgreSQL store, or any two
 * stores.  Also the report that push, pull and merge print.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_sync.h"
#include "cmd.h"
#include "db.h"
#include "db_sync.h"
#include "err.h"
#include "progress_line.h"
#include "mem.h"
#include "xmem.h"

static int	cmd_push(struct cli *, int, char **);
static int	cmd_pull(struct cli *, int, char **);

enum { OPT_TO = OPT_FIRST_LOCAL, OPT_FROM };

static const struct cmd_opt push_opts[] = {
	{ "to", 0, OPT_TO, CMD_ARG_FILE, "STORE",
	  "a PostgreSQL URL or a workspace file (default: the last synced)",
	  0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_opt pull_opts[] = {
	{ "from", 0, OPT_FROM, CMD_ARG_FILE, "STORE",
	  "a PostgreSQL URL or a workspace file (default: the last synced)",
	  0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_push_entry = {
	.name = "push",
	.summary = "Send this workspace's changes to another store",
	.usage = "mlwb push [--to STORE]",
	.help = "Send what this workspace holds and the other store lacks, or "
	    "holds in an\nolder state, to STORE (a PostgreSQL URL or a "
	    "workspace file, created if\nneeded): new runs, new points and "
	    "status changes of runs seen before,\nparams, tags, experiments, "
	    "registry models, versions, events and aliases,\ndrift reports "
	    "and ended jobs.  One transaction on STORE.  Without --to, the\n"
	    "store this workspace last synced with.  Exit status 3: conflicts "
	    "(named on\nstderr) were left as STORE has them, all else was "
	    "sent.\n",
	.opts = push_opts,
	.exec = cmd_push,
	.flags = CMD_NOFORMAT,
};

const struct cmd_entry cmd_pull_entry = {
	.name = "pull",
	.summary = "Bring another store's changes into this one",
	.usage = "mlwb pull [--from STORE]",
	.help = "Bring what STORE holds and this workspace lacks, or holds in "
	    "an older\nstate, into this workspace (see mlwb push); STORE is "
	    "only read.  Without\n--from, the store this workspace last "
	    "synced with.  Exit status 3:\nconflicts (named on stderr) were "
	    "left as this workspace has them.\n",
	.opts = pull_opts,
	.exec = cmd_pull,
	.flags = CMD_NOFORMAT,
};

void
cli_sync_conflict(void *arg, const char *msg)
{
	if (arg != NULL)
		progress_clear(arg);
	cli_error("conflict: %s", msg);
}

int
cli_sync_report(const char *label, const struct sync_stats *st, int quiet)
{
	if (!quiet) {
		printf("%s: %lld new runs, %lld updated, %lld unchanged, "
		    "%lld new points, %lld new experiments", label,
		    (long long)st->runs_new, (long long)st->runs_updated,
		    (long long)st->runs_same, (long long)st->points,
		    (long long)st->experiments);
		if (st->models + st->versions + st->events + st->aliases > 0)
			printf("; registry: %lld models, %lld versions, "
			    "%lld events, %lld aliases moved",
			    (long long)st->models, (long long)st->versions,
			    (long long)st->events, (long long)st->aliases);
		if (st->drift > 0)
			printf("; %lld drift reports", (long long)st->drift);
		if (st->jobs > 0)
			printf("; %lld jobs", (long long)st->jobs);
		if (st->lmodels > 0)
			printf("; %lld logged models", (long long)st->lmodels);
		if (st->exp_tags > 0)
			printf("; %lld experiment tags",
			    (long long)st->exp_tags);
		if (st->imports > 0)
			printf("; %lld imported files", (long long)st->imports);
		if (st->conflicts > 0)
			printf("; %lld conflicts left as they were",
			    (long long)st->conflicts);
		printf("\n");
	}
	return st->conflicts > 0 ? EXIT_CONFLICT : EXIT_OK;
}

/*
 * How a store is named in the sync records: a URL without its password
 * (libpq finds it in ~/.pgpass again), or a file's absolute path.  With
 * host set, a file is prefixed with this box's name (two boxes' ~/mlwb.db
 * are two peers of the team store).
 */
static char *
peer_name(const char *path, int host)
{
	char		 hn[256], *real, *out, *at, *colon, *p;
	const char	*rest;
	size_t		 len;

	if (db_is_url(path)) {
		out = xstrdup(path);
		/* scheme://user:password@host... -> scheme://user@host... */
		if ((p = strstr(out, "://")) != NULL &&
		    (at = strchr(p + 3, '@')) != NULL &&
		    (colon = memchr(p + 3, ':', (size_t)(at - p - 3))) != NULL)
			memmove(colon, at, strlen(at) + 1);
		return out;
	}
	if ((real = realpath(path, NULL)) == NULL)
		real = xstrdup(path);
	if (!host)
		return real;
	if (gethostname(hn, sizeof hn) != 0)
		snprintf(hn, sizeof hn, "localhost");
	hn[sizeof hn - 1] = '\0';
	rest = real;
	len = strlen(hn) + strlen(rest) + 2;
	out = xmalloc(len);
	snprintf(out, len, "%s:%s", hn, rest);
	free(real);
	return out;
}

static int
sync_cmd(struct cli *cli, int argc, char **argv, int push)
{
	const struct cmd_entry	*e = push ? &cmd_push_entry : &cmd_pull_entry;
	const char		*usage = e->usage;
	const char		*other = NULL;
	char			*last = NULL, *here_name, *there_name, *url, *self;
	struct db		*here, *there, *dst, *src;
	struct sync_stats	 st;
	struct progress		 prog;
	struct wb_err		 err;
	int			 opt, status;

	while ((opt = cmd_getopt(cli, e, argc, argv)) > 0)
		other = optarg;		/* --to or --from, the only option */
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (optind != argc)
		return cli_usage(usage);
	db_set_lock_wait(CLI_SCRIPT_LOCK_WAIT_MS);
	if ((here = cli_open_db(cli, 0)) == NULL)
		return EXIT_FAIL;
	if (other == NULL) {
		if (db_sync_last_peer(here, &last, &err) != WB_OK) {
			db_close(here);
			return cli_fail(&err);
		}
		if (last == NULL) {
			cli_error("%s: has not synced with another store yet: "
			    "name one with %s", db_label(here), push ?
			    "--to" : "--from");
			db_close(here);
			return EXIT_USAGE;
		}
		other = last;
	}
	/* The receiver is created if need be; the sender is only read. */
	if (db_open(other, push ? 0 : DB_READONLY | DB_NOCREATE, &there,
	    &err) != WB_OK) {
		wb_free(last);
		db_close(here);
		return cli_fail(&err);
	}
	url = peer_name(other, 0);
	here_name = peer_name(db_path(here), 1);
	there_name = peer_name(other, 0);
	dst = push ? there : here;
	src = push ? here : there;
	self = peer_name(db_path(here), 0);
	progress_init(&prog, cli);
	progress_start(&prog, url, 0, 1);
	db_set_progress_hook(dst, progress_hook(&prog));
	if (strcmp(self, url) == 0) {
		cli_error("%s: cannot sync a workspace with itself", other);
		status = EXIT_USAGE;
	} else if (db_sync(dst, src, push ? here_name : there_name,
	    push ? NULL : url, cli_sync_conflict, &prog, &st, &err) !=
	    WB_OK) {
		progress_clear(&prog);
		status = cli_fail(&err);
	} else {
		progress_clear(&prog);
		status = cli_sync_report(db_label(push ? there : here), &st,
		    cli->quiet);
		/* The sender remembers where it sent (for a later push). */
		if (push && !db_is_readonly(here) && db_sync_note_sent(here,
		    there_name, url, &st, &err) != WB_OK)
			status = cli_fail(&err);
	}
	free(self);
	free(url);
	free(here_name);
	free(there_name);
	wb_free(last);
	db_close(there);
	db_close(here);
	progress_free(&prog);
	return status;
}

static int
cmd_push(struct cli *cli, int argc, char **argv)
{
	return sync_cmd(cli, argc, argv, 1);
}

static int
cmd_pull(struct cli *cli, int argc, char **argv)
{
	return sync_cmd(cli, argc, argv, 0);
}
