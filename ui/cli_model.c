/*
 * cli_model: the model registry's command, `mlwb model create|register|
 * ls|show|promote|rollback|verify|history|path`.  The rules live in
 * src/registry.c and src/verify.c; this file parses options, reads the
 * deploy and verify commands and gates from the project file (mlwb.yaml),
 * starts the verify watcher (ui/verify_job.c) and prints.  Exit statuses:
 * 0 ok, 1 failure, 2 usage, 3 a gate refused the promotion, 4 the deploy
 * command failed, 5 verify failed (the alias rolled back, or kept when it
 * had no earlier holder), 6 the watch stopped because the alias moved.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "db_lmodel.h"
#include "db_metric.h"
#include "db_registry.h"
#include "err.h"
#include "progress_line.h"
#include "mem.h"
#include "project.h"
#include "registry.h"
#include "strbuf.h"
#include "text.h"
#include "verify.h"
#include "verify_job.h"

#define EXIT_GATE	3
#define EXIT_DEPLOY	4

static int	cmd_model(struct cli *, int, char **);

enum {
	OPT_RUN = OPT_FIRST_LOCAL, OPT_ARTIFACT, OPT_DESC, OPT_TO, OPT_REASON,
	OPT_GATE, OPT_FORCE, OPT_KEEP, OPT_NODEPLOY, OPT_ALIAS, OPT_WATCH,
	OPT_EVERY, OPT_NOVERIFY, OPT_DETACH
};

static const struct cmd_opt model_opts[] = {
	{ "run", 0, OPT_RUN, CMD_ARG_RUN, NULL,
	  "register: the run whose model this is", 0 },
	{ "artifact", 0, OPT_ARTIFACT, CMD_ARG_FILE, "PATH",
	  "register: the model's file or directory", 0 },
	{ "description", 0, OPT_DESC, CMD_ARG_TEXT, "TEXT",
	  "create, register: a description", 0 },
	{ "to", 0, OPT_TO, CMD_ARG_ALIAS, NULL,
	  "promote: the alias to move", 0 },
	{ "reason", 0, OPT_REASON, CMD_ARG_TEXT, "TEXT",
	  "promote, rollback: why, kept in the history", 0 },
	{ "gate", 0, OPT_GATE, CMD_ARG_METRIC, "METRIC[:min|max]",
	  "promote: the candidate must beat the holder on METRIC", 0 },
	{ "force", 0, OPT_FORCE, CMD_ARG_NONE, NULL,
	  "promote: even if a gate refuses", 0 },
	{ "keep-on-failure", 0, OPT_KEEP, CMD_ARG_NONE, NULL,
	  "promote: keep the move if the deploy fails", 0 },
	{ "no-deploy", 0, OPT_NODEPLOY, CMD_ARG_NONE, NULL,
	  "promote, rollback: do not run the deploy entry", 0 },
	{ "alias", 0, OPT_ALIAS, CMD_ARG_ALIAS, NULL,
	  "rollback, verify: the alias to move back / to check", 0 },
	{ "watch", 0, OPT_WATCH, CMD_ARG_TEXT, "DURATION",
	  "promote, verify: run verify for this window (10m, 1h)", 0 },
	{ "every", 0, OPT_EVERY, CMD_ARG_TEXT, "DURATION",
	  "promote, verify: repeat the check this often (30s)", 0 },
	{ "no-verify", 0, OPT_NOVERIFY, CMD_ARG_NONE, NULL,
	  "promote: do not run the verify command", 0 },
	{ "detach", 0, OPT_DETACH, CMD_ARG_NONE, NULL,
	  "promote, verify: do not wait for the watch to end", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub model_subs[] = {
	{ "create", "model", "a new model" },
	{ "register", "model", "a run's model as a new version" },
	{ "ls", "", "models with their aliases" },
	{ "show", "model", "a model's versions and aliases" },
	{ "promote", "model number", "move an alias to a version" },
	{ "rollback", "model", "move an alias back to its previous holder" },
	{ "verify", "model", "check an alias's holder; roll back on failure" },
	{ "verify-status", "model", "the last watch of each alias" },
	{ "history", "model", "every event of a model" },
	{ "path", "text", "the artifact of a models:/ URI" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_model_entry = {
	.name = "model",
	.alias = "models",
	.summary = "Model registry: create, register, ls, show, promote, ...",
	.usage = "mlwb model create NAME [--description TEXT]\n"
	    "       mlwb model register NAME --run RUN [--artifact PATH] "
	    "[--description TEXT]\n"
	    "       mlwb model ls [--format table|csv|json]\n"
	    "       mlwb model show NAME [--format table|csv|json]\n"
	    "       mlwb model promote NAME VERSION --to ALIAS [--reason TEXT]\n"
	    "            [--gate METRIC[:min|max]] [--force] [--keep-on-failure] "
	    "[--no-deploy]\n"
	    "            [--watch DURATION [--every DURATION]] [--no-verify] "
	    "[--detach]\n"
	    "       mlwb model rollback NAME --alias ALIAS [--reason TEXT] "
	    "[--no-deploy]\n"
	    "       mlwb model verify NAME --alias ALIAS [--watch DURATION "
	    "[--every DURATION]]\n"
	    "            [--no-deploy] [--detach]\n"
	    "       mlwb model verify-status NAME [--format table|csv|json]\n"
	    "       mlwb model history NAME [--format table|csv|json]\n"
	    "       mlwb model path URI",
	.help = "The model registry.  A version is a run's model: its artifact (a file\n"
	    "or a directory) is hashed with sha256.  Aliases (champion, staging,\n"
	    "production, any name; MLflow's stages Staging/Production/Archived\n"
	    "too) point at versions.  Every change is an event that cannot be\n"
	    "edited: who ($USER, host), when, from, to, why.\n\n"
	    "promote with a gate (--gate, or gates: in mlwb.yaml) requires the\n"
	    "candidate's last value of METRIC to beat the current holder's: lower\n"
	    "for :min, higher for :max (default: lower for names with loss or\n"
	    "error).  A refusal is recorded and exits 3 unless --force.  The\n"
	    "project's deploy entry runs with MLWB_MODEL_NAME, _VERSION, _ALIAS,\n"
	    "_ARTIFACT and _SHA256 set; if it fails the alias stays put (exit 4)\n"
	    "unless --keep-on-failure.  rollback moves the alias back to its\n"
	    "previous holder as a new event.  path prints the artifact of\n"
	    "models:/NAME@ALIAS, models:/NAME/VERSION or models:/NAME/latest.\n\n"
	    "After a promotion's deploy, the project's verify: command checks the\n"
	    "new holder (same environment as the deploy), once or --every\n"
	    "DURATION during --watch DURATION (or verify: {watch, every} in\n"
	    "mlwb.yaml).  If a check fails, the alias rolls back to the previous\n"
	    "version, whose deploy runs again (exit 5).  The watch runs in a\n"
	    "session of its own: Ctrl-C or a closed terminal stops the waiting,\n"
	    "not the watch.  verify runs the same watch on the current holder.\n",
	.opts = model_opts,
	.subs = model_subs,
	.exec = cmd_model,
};

struct model_opts {
	const char	*run, *artifact, *description, *to, *reason, *gate;
	const char	*alias, *watch, *every;
	int		 force, keep, no_deploy, no_verify, detach;
};

/* The project file of --project or found from here; NULL if none. */
static int
load_project(struct cli *cli, struct project **out)
{
	struct wb_err	 err;
	char		*path = NULL;
	int		 rc;

	*out = NULL;
	if (cli->project == NULL) {
		if ((rc = project_find(".", &path, &err)) == WB_ENOTFOUND)
			return 0;
		if (rc != WB_OK)
			return cli_fail(&err), -1;
	}
	rc = project_load(path ? path : cli->project, out, &err);
	free(path);
	if (rc != WB_OK) {
		cli_fail(&err);
		return -1;
	}
	return 0;
}

static int
parse(struct cli *cli, int argc, char **argv, struct model_opts *o)
{
	int	opt;

	memset(o, 0, sizeof *o);
	while ((opt = cmd_getopt(cli, &cmd_model_entry, argc, argv)) > 0) {
		switch (opt) {
		case OPT_RUN: o->run = optarg; break;
		case OPT_ARTIFACT: o->artifact = optarg; break;
		case OPT_DESC: o->description = optarg; break;
		case OPT_TO: o->to = optarg; break;
		case OPT_REASON: o->reason = optarg; break;
		case OPT_GATE: o->gate = optarg; break;
		case OPT_FORCE: o->force = 1; break;
		case OPT_KEEP: o->keep = 1; break;
		case OPT_NODEPLOY: o->no_deploy = 1; break;
		case OPT_ALIAS: o->alias = optarg; break;
		case OPT_WATCH: o->watch = optarg; break;
		case OPT_EVERY: o->every = optarg; break;
		case OPT_NOVERIFY: o->no_verify = 1; break;
		case OPT_DETACH: o->detach = 1; break;
		}
	}
	return opt == CMD_GETOPT_HELPED ? -1 : opt < 0 ? EXIT_USAGE : EXIT_OK;
}

/* Metrics of a run as "k=v k=v" (text) or a JSON object. */
static void
metrics_cell(struct db *db, struct out *o, int64_t run_id)
{
	struct metric_summary	*s = NULL;
	struct strbuf		 sb = STRBUF_INIT;
	struct wb_err		 err;
	size_t			 n = 0, i;
	char			 b[32];
	int			 json = out_resolved(o) == OUT_JSON;

	if (run_id != 0)
		db_metric_summaries(db, run_id, &s, &n, &err);
	if (json)
		strbuf_addc(&sb, '{');
	for (i = 0; i < n; i++) {
		if (json) {
			if (i)
				strbuf_addc(&sb, ',');
			text_json_str(&sb, s[i].key);
			strbuf_addc(&sb, ':');
			text_json_num(&sb, s[i].last);
		} else
			strbuf_addf(&sb, "%s%s=%s", i ? " " : "", s[i].key,
			    text_num_short(b, s[i].last, 4));
	}
	if (json) {
		strbuf_addc(&sb, '}');
		out_raw(o, strbuf_str(&sb));
	} else
		out_text(o, strbuf_str(&sb));
	metric_summaries_free(s, n);
	strbuf_free(&sb);
}

/* The logged model of a version: its id (CSV) or all of it (JSON). */
static void
lmodel_cell(struct db *db, struct out *o, int64_t version_id)
{
	struct lmodel	*m = NULL;
	struct strbuf	 sb = STRBUF_INIT;
	struct wb_err	 err;

	db_lmodel_of_version(db, version_id, &m, &err);
	if (out_resolved(o) == OUT_JSON) {
		lmodel_json(&sb, m);
		out_raw(o, strbuf_str(&sb));
	} else
		out_text(o, m ? m->uuid : NULL);
	strbuf_free(&sb);
	lmodel_free(m);
}

/* db_reg_model_each callback: one model, printed as it is read. */
static int
model_ls_one(void *arg, struct reg_model *m)
{
	struct out	*o = arg;
	char		 t[32];

	out_text(o, m->name);
	out_int(o, m->nversions);
	out_int(o, m->latest);
	out_text(o, m->aliases);
	out_text(o, text_time(t, m->created_at));
	out_text(o, m->description);
	out_end_row(o);
	return ferror(stdout);
}

static int
model_ls(struct cli *cli)
{
	struct db	*db;
	struct out	*o;
	struct wb_err	 err;
	int		 rc, ioerr;

	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	o = out_new(stdout, cli->format);
	out_col(o, "name", OUT_TEXT);
	out_col(o, "versions", OUT_INT);
	out_col(o, "latest", OUT_INT);
	out_col(o, "aliases", OUT_TEXT);
	out_col(o, "created", OUT_TEXT);
	out_col(o, "description", OUT_TEXT);
	rc = db_reg_model_each(db, model_ls_one, o, &err);
	db_close(db);
	ioerr = out_finish(o) != 0;
	if (rc != WB_OK)
		return cli_fail(&err);
	return ioerr ? cli_write_failed() : EXIT_OK;
}

static int
model_show(struct cli *cli, const char *name)
{
	struct reg_version	*v;
	struct db		*db;
	struct out		*o;
	struct wb_err		 err;
	int64_t			 id;
	size_t			 n, i;
	char			 t[32], sha[16];
	int			 table;

	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if (db_reg_model_find(db, name, &id, &err) != WB_OK ||
	    db_reg_versions(db, id, &v, &n, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	o = out_new(stdout, cli->format);
	table = out_resolved(o) == OUT_TABLE;
	out_col(o, "version", OUT_INT);
	out_col(o, "aliases", OUT_TEXT);
	out_col(o, "run", OUT_TEXT);
	out_col(o, "metrics", OUT_TEXT);
	out_col(o, "sha256", OUT_TEXT);
	out_col(o, "created", OUT_TEXT);
	if (!table) {
		out_col(o, "run_uuid", OUT_TEXT);
		out_col(o, "artifact", OUT_TEXT);
		out_col(o, "description", OUT_TEXT);
		/* MLflow 3: the logged model a version registers. */
		out_col(o, "logged_model", OUT_TEXT);
	}
	for (i = 0; i < n; i++) {
		out_int(o, v[i].version);
		out_text(o, v[i].aliases);
		out_text(o, v[i].run_name);
		metrics_cell(db, o, v[i].run_id);
		if (table && v[i].sha256 != NULL) {
			/* A prefix is enough to tell versions apart. */
			snprintf(sha, sizeof sha, "%.12s", v[i].sha256);
			out_text(o, sha);
		} else
			out_text(o, v[i].sha256);
		out_text(o, text_time(t, v[i].created_at));
		if (!table) {
			out_text(o, v[i].run_uuid);
			out_text(o, v[i].artifact_path);
			out_text(o, v[i].description);
			lmodel_cell(db, o, v[i].id);
		}
		out_end_row(o);
	}
	reg_versions_free(v, n);
	db_close(db);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
model_history(struct cli *cli, const char *name)
{
	struct reg_event	*e;
	struct db		*db;
	struct out		*o;
	struct wb_err		 err;
	int64_t			 id;
	size_t			 n, i;
	char			 t[32], who[300];

	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if (db_reg_model_find(db, name, &id, &err) != WB_OK ||
	    db_reg_events(db, id, NULL, &e, &n, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	o = out_new(stdout, cli->format);
	out_col(o, "at", OUT_TEXT);
	out_col(o, "action", OUT_TEXT);
	out_col(o, "alias", OUT_TEXT);
	out_col(o, "from", OUT_INT);
	out_col(o, "to", OUT_INT);
	out_col(o, "who", OUT_TEXT);
	out_col(o, "gate", OUT_TEXT);
	out_col(o, "gate_result", OUT_TEXT);
	out_col(o, "forced", OUT_BOOL);
	out_col(o, "deploy", OUT_INT);
	out_col(o, "reason", OUT_TEXT);
	if (out_resolved(o) != OUT_TABLE)
		out_col(o, "deploy_output", OUT_TEXT);
	for (i = 0; i < n; i++) {
		out_text(o, text_time(t, e[i].at));
		out_text(o, e[i].action);
		out_text(o, e[i].alias);
		if (e[i].from_version)
			out_int(o, e[i].from_version);
		else
			out_null(o);
		if (e[i].to_version)
			out_int(o, e[i].to_version);
		else
			out_null(o);
		snprintf(who, sizeof who, "%s@%s", e[i].actor ? e[i].actor :
		    "?", e[i].host ? e[i].host : "?");
		out_text(o, who);
		out_text(o, e[i].gate);
		out_text(o, e[i].gate_result);
		out_bool(o, e[i].forced);
		if (e[i].has_deploy)
			out_int(o, e[i].deploy_status);
		else
			out_null(o);
		out_text(o, e[i].reason);
		if (out_resolved(o) != OUT_TABLE)
			out_text(o, e[i].deploy_output);
		out_end_row(o);
	}
	reg_events_free(e, n);
	db_close(db);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The last watch of each alias: watching, passed, failed, stopped, lost. */
static int
model_verify_status(struct cli *cli, const char *name)
{
	struct verify_state	*st;
	struct db		*db;
	struct out		*o;
	struct wb_err		 err;
	int64_t			 id;
	size_t			 n, i;
	char			 t[32];

	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if (db_reg_model_find(db, name, &id, &err) != WB_OK ||
	    verify_states(db, id, &st, &n, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	db_close(db);
	o = out_new(stdout, cli->format);
	out_col(o, "alias", OUT_TEXT);
	out_col(o, "version", OUT_INT);
	out_col(o, "state", OUT_TEXT);
	out_col(o, "at", OUT_TEXT);
	out_col(o, "until", OUT_TEXT);
	out_col(o, "detail", OUT_TEXT);
	for (i = 0; i < n; i++) {
		out_text(o, st[i].alias);
		out_int(o, st[i].version);
		out_text(o, st[i].state);
		out_text(o, text_time(t, st[i].at));
		if (st[i].until != 0)
			out_text(o, text_time(t, st[i].until));
		else
			out_null(o);
		out_text(o, st[i].detail);
		out_end_row(o);
	}
	wb_free(st);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
model_path(struct cli *cli, const char *uri)
{
	struct reg_version	 v;
	struct db		*db;
	struct wb_err		 err;
	char			*path = NULL;
	int			 rc;

	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	if ((rc = reg_resolve_uri(db, uri, &v, &err)) == WB_OK) {
		rc = reg_artifact_local(db, &v, &path, &err);
		reg_version_clear(&v);
	}
	db_close(db);
	if (rc != WB_OK) {
		cli_error("%s: %s", uri, err.msg);
		return EXIT_FAIL;
	}
	printf("%s\n", path);
	wb_free(path);
	return EXIT_OK;
}

static int
report(struct cli *cli, const struct reg_move *m, const char *alias,
    const struct reg_outcome *o, int rc, const struct wb_err *err)
{
	const char	*p, *nl;
	char		 from[32];

	/*
	 * A failed deploy's output, line by line: each line is sanitised on
	 * its own so that its line breaks stay breaks, not a literal \n.
	 */
	if (o->deployed && o->deploy_status != 0 && o->deploy_output != NULL &&
	    *o->deploy_output != '\0') {
		struct strbuf sb = STRBUF_INIT;

		fputs("mlwb: deploy output:\n", stderr);
		for (p = o->deploy_output; *p != '\0'; p = nl + 1) {
			nl = strchr(p, '\n');
			strbuf_reset(&sb);
			text_sanitize(&sb, p, nl ? (size_t)(nl - p) :
			    strlen(p));
			fprintf(stderr, "  %s\n", strbuf_str(&sb));
			if (nl == NULL)
				break;
		}
		strbuf_free(&sb);
	}
	if (rc == WB_EGATE) {
		cli_fail(err);
		return EXIT_GATE;
	}
	if (rc == WB_EPROC && o->deployed) {
		cli_fail(err);
		return EXIT_DEPLOY;
	}
	if (rc != WB_OK)
		return cli_fail(err);
	if (cli->quiet)
		return EXIT_OK;
	if (o->from_version)
		snprintf(from, sizeof from, "v%lld", (long long)o->from_version);
	else
		snprintf(from, sizeof from, "nobody");
	printf("%s: %s %s -> v%lld\n", m->model, alias, from,
	    (long long)o->to_version);
	if (o->gated)
		printf("gate: %s%s\n", o->gate_text, o->forced ?
		    " (forced)" : "");
	if (o->deployed)
		printf("deploy: exit status %d\n", o->deploy_status);
	return EXIT_OK;
}

/*
 * The verify command and its window: the project's verify: section, with
 * --watch and --every over its defaults.  s->argv stays NULL when the
 * project has none (an error if the options asked for one).
 */
static int
verify_setup(struct project *p, const struct model_opts *mo, int need,
    struct verify_spec *s, char ***argv, char **cwd)
{
	struct wb_err	err;

	if (verify_project(p, s, argv, cwd, &err) != WB_OK)
		return cli_fail(&err);
	if (s->argv == NULL) {
		if (need || mo->watch != NULL || mo->every != NULL) {
			cli_error("%s: %s has no verify: command", need ?
			    "verify" : mo->watch ? "--watch" : "--every",
			    p != NULL ? p->path : "no project file (mlwb.yaml) "
			    "found; it");
			return EXIT_FAIL;
		}
		return EXIT_OK;
	}
	if ((mo->watch != NULL && verify_duration(mo->watch, "--watch",
	    &s->watch_ms, &err) != WB_OK) || (mo->every != NULL &&
	    verify_duration(mo->every, "--every", &s->every_ms, &err) !=
	    WB_OK)) {
		cli_error("%s", err.msg);
		return EXIT_USAGE;
	}
	if (s->every_ms > 0 && s->watch_ms == 0) {
		cli_error("--every needs a window: --watch DURATION");
		return EXIT_USAGE;
	}
	if (mo->watch != NULL && s->watch_ms == 0) {
		cli_error("--watch: the window must be longer than 0s");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static volatile sig_atomic_t	interrupted;

static void
on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

/*
 * Start the watch of m (m->version holding alias) and, unless detach,
 * follow it: its notes as "verify: ..." lines, its end as the exit
 * status.  Ctrl-C stops the following only.
 */
static int
verify_follow(struct cli *cli, const struct reg_move *m, const char *alias,
    const struct verify_spec *s, int detach)
{
	struct sigaction	 sa, old;
	struct strbuf		 line = STRBUF_INIT, safe = STRBUF_INIT;
	struct wb_err		 err;
	char			 buf[512], d1[32], d2[32];
	long			 pid = 0;
	ssize_t			 n, i;
	int			 fd, code = -1;

	if (verify_job_start(cli->db_path, m, s, detach ? NULL : &fd,
	    &err) != WB_OK)
		return cli_fail(&err);
	if (detach) {
		if (!cli->quiet)
			printf("verify: watching %s v%lld in the background "
			    "(mlwb model history %s shows the outcome)\n",
			    alias, (long long)m->version, m->model);
		return EXIT_OK;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;	/* no SA_RESTART: read() returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	interrupted = 0;
	while (code < 0 && !interrupted) {
		if ((n = read(fd, buf, sizeof buf)) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			break;
		for (i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				strbuf_addc(&line, buf[i]);
				continue;
			}
			if (strncmp(strbuf_str(&line), "pid ", 4) == 0) {
				pid = strtol(strbuf_str(&line) + 4, NULL, 10);
				if (!cli->quiet && s->every_ms > 0)
					printf("verify: watching %s v%lld for "
					    "%s, every %s (watcher pid %ld)\n",
					    alias, (long long)m->version,
					    text_duration(d1, s->watch_ms),
					    text_duration(d2, s->every_ms),
					    pid);
				else if (!cli->quiet)
					printf("verify: checking %s v%lld "
					    "(watcher pid %ld)\n", alias,
					    (long long)m->version, pid);
			} else if (strncmp(strbuf_str(&line), "note ", 5) ==
			    0) {
				strbuf_reset(&safe);
				text_sanitize(&safe, strbuf_str(&line) + 5,
				    line.len - 5);
				if (!cli->quiet)
					printf("verify: %s\n",
					    strbuf_str(&safe));
			} else if (strncmp(strbuf_str(&line), "end ", 4) == 0)
				code = atoi(strbuf_str(&line) + 4);
			fflush(stdout);
			strbuf_reset(&line);
		}
	}
	sigaction(SIGINT, &old, NULL);
	close(fd);
	strbuf_free(&line);
	strbuf_free(&safe);
	if (interrupted && code < 0) {
		fprintf(stderr, "mlwb: stopped waiting; the watch goes on "
		    "(pid %ld): mlwb model history %s shows its outcome\n",
		    pid, m->model);
		return 130;
	}
	if (code < 0) {
		cli_error("verify: the watcher (pid %ld) ended without an "
		    "outcome (killed?): %s v%lld stays, unverified", pid,
		    alias, (long long)m->version);
		return EXIT_FAIL;
	}
	return code;
}

static int
model_move(struct cli *cli, int rollback, const char *name,
    const char *version, struct model_opts *mo)
{
	struct project		*p = NULL;
	struct reg_move		 m;
	struct reg_outcome	 o;
	struct verify_spec	 vs;
	struct db		*db;
	struct wb_err		 err;
	char			 host[256], **dargv = NULL, *dcwd = NULL, *end;
	char			 alias[REG_ALIAS_MAX + 1], *vcwd = NULL;
	char			**vargv = NULL;
	char *const		*denv = NULL;
	const char		*g;
	int			 rc, status;

	memset(&m, 0, sizeof m);
	memset(&vs, 0, sizeof vs);
	m.model = name;
	m.alias = rollback ? mo->alias : mo->to;
	m.reason = mo->reason;
	m.force = mo->force;
	m.keep_on_failure = mo->keep;
	if (!rollback) {
		m.version = strtoll(version, &end, 10);
		if (*end != '\0' || m.version <= 0) {
			cli_error("'%s' is not a version number", version);
			return EXIT_USAGE;
		}
	}
	if (reg_alias_norm(m.alias, alias, &err) != WB_OK)
		return cli_fail(&err);
	if (load_project(cli, &p) != 0)
		return EXIT_FAIL;
	if (!rollback && !mo->no_verify && (status = verify_setup(p, mo, 0,
	    &vs, &vargv, &vcwd)) != EXIT_OK)
		goto out;
	m.gate = mo->gate;
	if (m.gate == NULL && p != NULL && (g = project_gate(p, name)) != NULL)
		m.gate = g;
	if (!mo->no_deploy) {
		if (reg_project_deploy(p, &dargv, &dcwd, &denv, &err) !=
		    WB_OK) {
			status = cli_fail(&err);
			goto out;
		}
	}
	m.deploy_argv = dargv;
	m.deploy_cwd = dcwd;
	m.deploy_env = denv;
	reg_who_default(&m.who, host);
	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL) {
		status = EXIT_FAIL;
		goto out;
	}
	rc = rollback ? reg_rollback(db, &m, &o, &err) :
	    reg_promote(db, &m, &o, &err);
	db_close(db);
	status = report(cli, &m, alias, &o, rc, &err);
	/* A promotion that moved the alias is verified, if there is how. */
	if (status == EXIT_OK && !rollback && o.moved && vs.argv != NULL) {
		m.version = o.to_version;
		status = verify_follow(cli, &m, alias, &vs, mo->detach);
	}
	reg_outcome_clear(&o);
out:
	project_argv_free(dargv);
	project_argv_free(vargv);
	wb_free(vcwd);
	wb_free(dcwd);
	if (p != NULL)
		project_free(p);
	return status;
}

/* `model verify NAME --alias ALIAS`: the watch of the current holder. */
static int
model_verify(struct cli *cli, const char *name, struct model_opts *mo)
{
	struct project		*p = NULL;
	struct reg_move		 m;
	struct verify_spec	 vs;
	struct db		*db;
	struct wb_err		 err;
	char			 host[256], **dargv = NULL, *dcwd = NULL;
	char			 alias[REG_ALIAS_MAX + 1], *vcwd = NULL;
	char			**vargv = NULL;
	char *const		*denv = NULL;
	int64_t			 holder, prev;
	int			 status;

	memset(&m, 0, sizeof m);
	memset(&vs, 0, sizeof vs);
	if (reg_alias_norm(mo->alias, alias, &err) != WB_OK)
		return cli_fail(&err);
	if (load_project(cli, &p) != 0)
		return EXIT_FAIL;
	if ((status = verify_setup(p, mo, 1, &vs, &vargv, &vcwd)) != EXIT_OK)
		goto out;
	if (!mo->no_deploy && reg_project_deploy(p, &dargv, &dcwd, &denv,
	    &err) != WB_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL) {
		status = EXIT_FAIL;
		goto out;
	}
	if (reg_rollback_target(db, name, alias, &holder, &prev, &err) !=
	    WB_OK) {
		db_close(db);
		status = cli_fail(&err);
		goto out;
	}
	db_close(db);
	if (holder == 0) {
		cli_error("nobody holds %s of model %s: nothing to verify",
		    alias, name);
		status = EXIT_FAIL;
		goto out;
	}
	m.model = name;
	m.alias = alias;
	m.version = holder;
	m.deploy_argv = dargv;
	m.deploy_cwd = dcwd;
	m.deploy_env = denv;
	reg_who_default(&m.who, host);
	status = verify_follow(cli, &m, alias, &vs, mo->detach);
out:
	project_argv_free(dargv);
	project_argv_free(vargv);
	wb_free(vcwd);
	wb_free(dcwd);
	if (p != NULL)
		project_free(p);
	return status;
}

static int
cmd_model(struct cli *cli, int argc, char **argv)
{
	struct model_opts	 mo;
	struct progress		 prog;
	struct db		*db;
	struct wb_err		 err;
	struct reg_who		 who;
	const char		*sub;
	char			 host[256];
	int64_t			 ver;
	int			 rc, nargs;

	if ((rc = parse(cli, argc, argv, &mo)) != 0)
		return rc < 0 ? EXIT_OK : rc;
	nargs = argc - optind;
	if (nargs < 1)
		return cli_usage(cmd_model_entry.usage);
	sub = argv[optind];
	reg_who_default(&who, host);
	/* ls, show and history print tables; the others say what they did. */
	if (strcmp(sub, "ls") != 0 && strcmp(sub, "show") != 0 &&
	    strcmp(sub, "history") != 0 &&
	    strcmp(sub, "verify-status") != 0 && (rc = cli_text_only(cli,
	    sub)) != 0)
		return rc;
	if (strcmp(sub, "ls") == 0 && nargs == 1)
		return model_ls(cli);
	if (strcmp(sub, "show") == 0 && nargs == 2)
		return model_show(cli, argv[optind + 1]);
	if (strcmp(sub, "history") == 0 && nargs == 2)
		return model_history(cli, argv[optind + 1]);
	if (strcmp(sub, "verify-status") == 0 && nargs == 2)
		return model_verify_status(cli, argv[optind + 1]);
	if (strcmp(sub, "path") == 0 && nargs == 2)
		return model_path(cli, argv[optind + 1]);
	if (strcmp(sub, "promote") == 0 && nargs == 3 && mo.to != NULL)
		return model_move(cli, 0, argv[optind + 1], argv[optind + 2],
		    &mo);
	if (strcmp(sub, "rollback") == 0 && nargs == 2 && mo.alias != NULL)
		return model_move(cli, 1, argv[optind + 1], NULL, &mo);
	if (strcmp(sub, "verify") == 0 && nargs == 2 && mo.alias != NULL)
		return model_verify(cli, argv[optind + 1], &mo);
	if (strcmp(sub, "create") == 0 && nargs == 2) {
		if ((db = cli_open_db(cli, 0)) == NULL)
			return EXIT_FAIL;
		rc = reg_model_create(db, argv[optind + 1], mo.description,
		    &who, &err);
		db_close(db);
		if (rc != WB_OK)
			return cli_fail(&err);
		if (!cli->quiet)
			printf("model %s created\n", argv[optind + 1]);
		return EXIT_OK;
	}
	if (strcmp(sub, "register") == 0 && nargs == 2 && mo.run != NULL) {
		if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
			return EXIT_FAIL;
		progress_init(&prog, cli);
		progress_start(&prog, mo.artifact, 0, 1);
		db_set_progress_hook(db, progress_hook(&prog));
		rc = reg_register(db, argv[optind + 1], mo.run, mo.artifact,
		    mo.description, &who, &ver, &err);
		progress_free(&prog);
		db_close(db);
		if (rc != WB_OK)
			return cli_fail(&err);
		if (!cli->quiet)
			printf("%s: version %lld registered\n",
			    argv[optind + 1], (long long)ver);
		return EXIT_OK;
	}
	return cli_usage(cmd_model_entry.usage);
}
