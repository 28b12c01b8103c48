/*
 * cli_log: `mlwb log`, so that shell scripts and programs that mlwb does
 * not launch can record runs: create a run, set params and tags, add
 * metric points, set the status.  Everything one call says is written in
 * one transaction.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "xmem.h"
#include "cmd.h"
#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "out.h"
#include "text.h"

static int	cmd_log(struct cli *, int, char **);

static const struct cmd_opt log_opts[] = {
	{ "run", 'r', 'r', CMD_ARG_RUN, NULL, "add to this run", 0 },
	{ "new", 0, 'N', CMD_ARG_NONE, NULL,
	  "create a run (status running) and print its UUID", 0 },
	{ "experiment", 'e', 'e', CMD_ARG_EXPERIMENT, NULL,
	  "--new: the experiment (created if need be)", 0 },
	{ "name", 'n', 'n', CMD_ARG_TEXT, "NAME", "--new: the run's name", 0 },
	{ "param", 'p', 'p', CMD_ARG_PARAM, "KEY=VALUE", "set a param", 0 },
	{ "tag", 't', 't', CMD_ARG_TEXT, "KEY=VALUE", "set a tag", 0 },
	{ "metric", 'm', 'm', CMD_ARG_METRIC, "KEY=VALUE",
	  "add a metric point", 0 },
	{ "step", 's', 's', CMD_ARG_NUMBER, "N",
	  "the points' step (default: one after the metric's last)", 0 },
	{ "status", 0, 'S', CMD_ARG_CHOICE,
	  "running|finished|failed|killed|scheduled",
	  "set the run's status (finished, failed, killed end it)", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.summary = "Record params, metrics, tags from a script",
	.usage = "mlwb log (--run RUN | --new [-e EXPERIMENT] [--name NAME])\n"
	    "         [-p KEY=VALUE]... [-t KEY=VALUE]... [-m KEY=VALUE]...\n"
	    "         [--step N] [--status STATUS]",
	.help = "Record a run from a shell script.  --new creates a run "
	    "(status running) and\nprints its UUID (a uuid row with --format "
	    "csv|json); --run adds to an\nexisting one.  A metric without "
	    "--step goes one step after its last point.\nEverything one call "
	    "says is written in one transaction.\n\n"
	    "  RUN=$(mlwb log --new -e mnist --name cnn -p lr=0.01)\n"
	    "  mlwb log --run $RUN -m loss=0.31 -m acc=0.9\n"
	    "  mlwb log --run $RUN --status finished\n",
	.opts = log_opts,
	.exec = cmd_log,
};

struct kvarg {
	char	*key;
	char	*value;
};

struct log_args {
	const char	*run;
	int		 new_run;
	const char	*experiment;
	const char	*name;
	const char	*status;
	int		 has_step;
	int64_t		 step;
	struct kvarg	*params, *tags, *metrics;
	size_t		 np, nt, nm;
};

static int
add_kv(struct kvarg **v, size_t *n, const char *arg, const char *opt)
{
	const char	*eq = strchr(arg, '=');

	if (eq == NULL || eq == arg) {
		cli_error("--%s %s: expected KEY=VALUE", opt, arg);
		return -1;
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].key = xstrdup(arg);
	(*v)[*n].key[eq - arg] = '\0';
	(*v)[*n].value = (*v)[*n].key + (eq - arg) + 1;
	(*n)++;
	return 0;
}

static int
valid_status(const char *s)
{
	static const char *const ok[] = { "running", "finished", "failed",
	    "killed", "scheduled", NULL };
	size_t	i;

	for (i = 0; ok[i] != NULL; i++)
		if (strcmp(s, ok[i]) == 0)
			return 1;
	return 0;
}

static int
log_write(struct db *db, struct log_args *a, char uuid[33],
    struct wb_err *err)
{
	struct mwriter		*w = NULL;
	struct metric_summary	 ms;
	struct run		 r;
	int64_t			 run_id, exp_id, key, step, now = db_now_ms();
	double			 v;
	size_t			 i;
	int			 rc;
	char			 host[256];

	if (a->new_run) {
		if ((rc = db_exp_ensure(db, a->experiment ? a->experiment :
		    "Default", &exp_id, err)) != WB_OK)
			return rc;
		memset(&r, 0, sizeof r);
		r.experiment_id = exp_id;
		r.name = (char *)(uintptr_t)a->name;
		r.status = (char *)(uintptr_t)(a->status ? a->status :
		    "running");
		r.git_dirty = -1;
		r.started_at = now;
		r.source = (char *)(uintptr_t)"mlwb log";
		r.user = getenv("USER");
		if (gethostname(host, sizeof host) == 0) {
			host[sizeof host - 1] = '\0';
			r.host = host;
		}
		if ((rc = db_run_insert(db, &r, &run_id, err)) != WB_OK)
			return rc;
		memcpy(uuid, r.uuid, 33);
	} else {
		if ((rc = db_run_resolve(db, a->run, &run_id, err)) != WB_OK)
			return rc;
		if (a->status != NULL && (rc = db_run_set_status(db, run_id,
		    a->status, strcmp(a->status, "running") == 0 ? 0 : now,
		    0, 0, err)) != WB_OK)
			return rc;
	}
	for (i = 0; i < a->np; i++)
		if ((rc = db_param_set(db, run_id, a->params[i].key,
		    a->params[i].value, err)) != WB_OK)
			return rc;
	for (i = 0; i < a->nt; i++)
		if ((rc = db_tag_set(db, run_id, a->tags[i].key,
		    a->tags[i].value, err)) != WB_OK)
			return rc;
	/* A run's params and tags changed: push and pull go by its stamp. */
	if (!a->new_run && a->np + a->nt > 0 &&
	    (rc = db_run_touch(db, run_id, now, err)) != WB_OK)
		return rc;
	if (a->nm == 0)
		return WB_OK;
	if ((rc = mw_open(db, &w, err)) != WB_OK)
		return rc;
	for (i = 0; i < a->nm && rc == WB_OK; i++) {
		if (text_parse_num(a->metrics[i].value,
		    strlen(a->metrics[i].value), &v) != 0) {
			rc = wb_err_set(err, WB_EINVAL, "--metric %s=%s: not a "
			    "number", a->metrics[i].key, a->metrics[i].value);
			break;
		}
		if ((rc = mw_key(w, a->metrics[i].key, &key, err)) != WB_OK)
			break;
		/* Without --step a metric counts up from its last step. */
		step = a->step;
		if (!a->has_step) {
			rc = db_metric_summary_get(db, run_id, key, &ms, err);
			if (rc == WB_ENOTFOUND)
				step = 0;
			else if (rc != WB_OK)
				break;
			else if (ms.last_step == INT64_MAX) {
				/* The next step would wrap to INT64_MIN. */
				rc = wb_err_set(err, WB_EINVAL, "--metric %s: "
				    "its last step is %lld, the largest there "
				    "is; give --step", a->metrics[i].key,
				    (long long)ms.last_step);
				break;
			} else
				step = ms.last_step + 1;
		}
		rc = mw_add(w, run_id, key, step, now, v, err);
	}
	if (rc == WB_OK)
		rc = mw_flush(w, err);
	mw_close(w);
	return rc;
}

static int
cmd_log(struct cli *cli, int argc, char **argv)
{
	struct log_args	 a;
	struct db	*db;
	struct wb_err	 err;
	char		 uuid[33] = "", *end;
	size_t		 i;
	int		 opt, rc, status = EXIT_USAGE;

	memset(&a, 0, sizeof a);
	while ((opt = cmd_getopt(cli, &cmd_log_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'r':
			a.run = optarg;
			break;
		case 'N':
			a.new_run = 1;
			break;
		case 'e':
			a.experiment = optarg;
			break;
		case 'n':
			a.name = optarg;
			break;
		case 'p':
			if (add_kv(&a.params, &a.np, optarg, "param") != 0)
				goto out;
			break;
		case 't':
			if (add_kv(&a.tags, &a.nt, optarg, "tag") != 0)
				goto out;
			break;
		case 'm':
			if (add_kv(&a.metrics, &a.nm, optarg, "metric") != 0)
				goto out;
			break;
		case 's':
			errno = 0;
			a.step = strtoll(optarg, &end, 10);
			if (errno || *end || end == optarg) {
				cli_error("--step %s: not an integer", optarg);
				goto out;
			}
			a.has_step = 1;
			break;
		case 'S':
			if (!valid_status(optarg)) {
				cli_error("--status %s: use running, finished, "
				    "failed, killed or scheduled", optarg);
				goto out;
			}
			a.status = optarg;
			break;
		}
	}
	if (opt < 0) {
		status = cmd_getopt_exit(opt);
		goto out;
	}
	if (optind != argc || (a.run == NULL) == (a.new_run == 0)) {
		status = cli_usage(cmd_log_entry.usage);
		goto out;
	}
	status = EXIT_FAIL;
	if ((db = cli_open_db(cli, a.new_run ? 0 : DB_NOCREATE)) == NULL)
		goto out;
	if ((rc = db_begin(db, &err)) == WB_OK) {
		if ((rc = log_write(db, &a, uuid, &err)) == WB_OK)
			rc = db_commit(db, &err);
		else
			db_rollback(db);
	}
	db_close(db);
	if (rc != WB_OK) {
		cli_fail(&err);
		goto out;
	}
	status = EXIT_OK;
	if (a.new_run && (cli->format == OUT_CSV || cli->format == OUT_JSON)) {
		struct out	*o = out_new(stdout, cli->format);

		out_col(o, "uuid", OUT_TEXT);
		out_text(o, uuid);
		out_end_row(o);
		if (out_finish(o) != 0)
			status = EXIT_FAIL;
	} else if (a.new_run)
		printf("%s\n", uuid);
out:
	for (i = 0; i < a.np; i++)
		free(a.params[i].key);
	for (i = 0; i < a.nt; i++)
		free(a.tags[i].key);
	for (i = 0; i < a.nm; i++)
		free(a.metrics[i].key);
	free(a.params);
	free(a.tags);
	free(a.metrics);
	return status;
}
