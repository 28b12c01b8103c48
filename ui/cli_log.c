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

#include "artifact.h"
#include "cli.h"
#include "xmem.h"
#include "cmd.h"
#include "db.h"
#include "db_artifact.h"
#include "db_lineage.h"
#include "db_metric.h"
#include "db_repro.h"
#include "db_run.h"
#include "err.h"
#include "progress_line.h"
#include "lineage.h"
#include "launch.h"
#include "mem.h"
#include "out.h"
#include "project.h"
#include "repro.h"
#include "text.h"

static int	cmd_log(struct cli *, int, char **);

static const struct cmd_opt log_opts[] = {
	{ "run", 'r', 'r', CMD_ARG_RUN, NULL, "add to this run", 0 },
	{ "new", 0, 'N', CMD_ARG_NONE, NULL,
	  "create a run (status running) and print its UUID", 0 },
	{ "experiment", 'e', 'e', CMD_ARG_EXPERIMENT, NULL,
	  "--new: the experiment (created if need be)", 0 },
	{ "name", 'n', 'n', CMD_ARG_TEXT, "NAME",
	  "--new: the run's name; --run: the --artifact's name", 0 },
	{ "param", 'p', 'p', CMD_ARG_PARAM, "KEY=VALUE", "set a param", 0 },
	{ "tag", 't', 't', CMD_ARG_TEXT, "KEY=VALUE", "set a tag", 0 },
	{ "metric", 'm', 'm', CMD_ARG_METRIC, "KEY=VALUE",
	  "add a metric point", 0 },
	{ "step", 's', 's', CMD_ARG_NUMBER, "N",
	  "the points' step (default: one after the metric's last)", 0 },
	{ "artifact", 'a', 'a', CMD_ARG_FILE, "PATH",
	  "store a file or folder as an artifact of the run", 0 },
	{ "input", 'i', 'i', CMD_ARG_FILE, "PATH[:ROLE]",
	  "record a data set the run read (sha256, size, CSV schema)", 0 },
	{ "output", 'o', 'o', CMD_ARG_FILE, "PATH[:ROLE]",
	  "record a data set the run wrote", 0 },
	{ "status", 0, 'S', CMD_ARG_CHOICE,
	  "running|finished|failed|killed|scheduled",
	  "set the run's status (finished, failed, killed end it)", 0 },
	{ "capture-env", 0, 'C', CMD_ARG_NONE, NULL,
	  "keep what a rerun needs: environment (redacted), git commit and "
	  "patch, GPU versions", 0 },
	{ "python", 0, 'Y', CMD_ARG_FILE, "INTERP",
	  "--capture-env: also this interpreter's version and pip freeze", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.summary = "Record params, metrics, tags from a script",
	.usage = "mlwb log (--run RUN | --new [-e EXPERIMENT] [--name NAME])\n"
	    "         [-p KEY=VALUE]... [-t KEY=VALUE]... [-m KEY=VALUE]...\n"
	    "         [--step N] [--status STATUS] [--artifact PATH]...\n"
	    "         [--input PATH[:ROLE]]... [--output PATH[:ROLE]]...\n"
	    "         [--capture-env [--python INTERP]]",
	.help = "Record a run from a shell script.  --new creates a run "
	    "(status running) and\nprints its UUID (a uuid row with --format "
	    "csv|json); --run adds to an\nexisting one.  A metric without "
	    "--step goes one step after its last point.\nEverything one call "
	    "says is written in one transaction; on a SQLite workspace\nit "
	    "waits up to 2 minutes for another writer's lock (MLWB_LOCK_WAIT)."
	    "\n--artifact stores a file or a folder in the workspace's artifact "
	    "store\n(content-addressed, see mlwb artifacts), named after its "
	    "last part, or by\n--name with --run and one --artifact.  --input "
	    "and --output record data sets\n(see mlwb lineage): path, sha256, "
	    "size and, for CSV, rows and schema.\n\n"
	    "  RUN=$(mlwb log --new -e mnist --name cnn -p lr=0.01)\n"
	    "  mlwb log --run $RUN -m loss=0.31 -m acc=0.9\n"
	    "  mlwb log --run $RUN --artifact model.pkl --artifact plots/\n"
	    "  mlwb log --run $RUN --input data/train.csv:train "
	    "--output preds.csv\n"
	    "  mlwb log --run $RUN --status finished\n\n"
	    "--capture-env keeps, as a launched run does, the environment "
	    "(secrets\nredacted), the git commit, dirty flag and patch of the "
	    "current folder and\nthe GPU driver and CUDA versions; --python "
	    "INTERP adds that interpreter's\nversion and pip freeze (a "
	    "script passes sys.executable).\n",
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
	const char	**artifact_paths;
	struct artifact	*artifacts;	/* stored before the transaction */
	size_t		 na;
	const char	**ds_specs;	/* --input, --output in order */
	int		*ds_output;
	struct lin_ds	*ds;		/* scanned before the transaction */
	size_t		 nds;
	int		 capture;	/* --capture-env */
	const char	*python;
	struct repro	 repro;		/* what --capture-env gathered */
	char		*git_commit;
	int		 git_dirty;
};

/*
 * --capture-env: gathered before the transaction (it runs git, Python
 * and nvidia-smi), with the redact patterns and patch limit of the
 * mlwb.yaml above the current folder, if there is one.
 */
static void
log_capture(struct log_args *a)
{
	struct repro_opts	 ro;
	struct project		*p = NULL;
	struct wb_err		 err;
	char			*path = NULL;

	launch_git_info(".", &a->git_commit, &a->git_dirty);
	if (project_find(".", &path, &err) == WB_OK)
		project_load(path, &p, &err);
	free(path);
	memset(&ro, 0, sizeof ro);
	ro.cwd = ".";
	ro.python = a->python;
	ro.redact = project_redact(p, &ro.nredact);
	ro.patch_max = project_patch_limit(p);
	ro.git_dirty = a->git_dirty;
	if (repro_collect(&a->repro, &ro) != 0)
		ui_fatal("out of memory");
	project_free(p);
}

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
	struct run_new		 r;
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
		r.name = a->name;
		r.status = a->status ? a->status : "running";
		r.git_dirty = a->capture ? a->git_dirty : -1;
		r.git_commit = a->git_commit;
		r.started_at = now;
		r.source = "mlwb log";
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
	if (a->capture && (rc = db_repro_put(db, run_id, &a->repro, err)) !=
	    WB_OK)
		return rc;
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
	for (i = 0; i < a->na; i++)
		if ((rc = db_artifact_put(db, run_id, &a->artifacts[i],
		    err)) != WB_OK)
			return rc;
	for (i = 0; i < a->nds; i++)
		if ((rc = db_lineage_add(db, run_id, &a->ds[i], err)) != WB_OK)
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

/* Store every --artifact under the workspace's root into a->artifacts. */
static int
store_artifacts(struct cli *cli, struct db *db, struct log_args *a,
    struct wb_err *err)
{
	struct progress	 prog;
	char		*root = NULL, *copy;
	size_t		 i;
	int		 rc;

	if (a->na == 0)
		return WB_OK;
	a->artifacts = xcalloc(a->na, sizeof *a->artifacts);
	if ((rc = art_root(db, &root, err)) != WB_OK)
		return rc;
	progress_init(&prog, cli);
	for (i = 0; i < a->na && rc == WB_OK; i++) {
		if (a->run != NULL && a->name != NULL)
			copy = xstrdup(a->name);
		else if ((copy = art_name_of(a->artifact_paths[i])) == NULL)
			ui_fatal("out of memory");
		a->artifacts[i].name = copy;
		if (!art_name_ok(copy))
			rc = wb_err_set(err, WB_EINVAL, "%s: artifact name "
			    "'%s': give one without '/' or control characters"
			    " (--name)", a->artifact_paths[i], copy);
		else {
			progress_start(&prog, a->artifact_paths[i], i, a->na);
			rc = art_store(root, a->artifact_paths[i],
			    &a->artifacts[i], progress_hook(&prog), err);
			progress_clear(&prog);
		}
		a->artifacts[i].created_at = db_now_ms();
	}
	progress_free(&prog);
	wb_free(root);
	return rc;
}

/* Hash (and for CSV read) every --input and --output into a->ds. */
static int
scan_datasets(struct log_args *a, struct wb_err *err)
{
	size_t	i;
	int	rc = WB_OK;

	if (a->nds == 0)
		return WB_OK;
	a->ds = xcalloc(a->nds, sizeof *a->ds);
	for (i = 0; i < a->nds && rc == WB_OK; i++)
		rc = lineage_scan(a->ds_specs[i], a->ds_output[i], &a->ds[i],
		    err);
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
		case 'a':
			a.artifact_paths = xreallocarray(a.artifact_paths,
			    a.na + 1, sizeof *a.artifact_paths);
			a.artifact_paths[a.na++] = optarg;
			break;
		case 'i':
		case 'o':
			a.ds_specs = xreallocarray(a.ds_specs, a.nds + 1,
			    sizeof *a.ds_specs);
			a.ds_output = xreallocarray(a.ds_output, a.nds + 1,
			    sizeof *a.ds_output);
			a.ds_specs[a.nds] = optarg;
			a.ds_output[a.nds++] = opt == 'o';
			break;
		case 'C':
			a.capture = 1;
			break;
		case 'Y':
			a.python = optarg;
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
	if (a.name != NULL && a.run != NULL && a.na != 1) {
		cli_error("--name with --run names the one --artifact");
		goto out;
	}
	if (a.python != NULL && !a.capture) {
		cli_error("--python needs --capture-env");
		goto out;
	}
	status = EXIT_FAIL;
	if (a.capture)
		log_capture(&a);
	/* A training script would rather pause than lose its point. */
	db_set_lock_wait(CLI_SCRIPT_LOCK_WAIT_MS);
	if ((db = cli_open_db(cli, a.new_run ? 0 : DB_NOCREATE)) == NULL)
		goto out;
	/*
	 * Artifacts are stored first, outside the transaction: copying big
	 * files must not hold the workspace's write lock, and a blob no row
	 * names (the transaction failed) is only unused space.
	 */
	if ((rc = store_artifacts(cli, db, &a, &err)) != WB_OK ||
	    (rc = scan_datasets(&a, &err)) != WB_OK) {
		db_close(db);
		cli_fail(&err);
		goto out;
	}
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
	free(a.artifact_paths);
	if (a.ds != NULL)
		lin_ds_free(a.ds, a.nds);
	free(a.ds_specs);
	free(a.ds_output);
	/* Stored ones, or none when the arguments were refused. */
	artifacts_free(a.artifacts, a.artifacts != NULL ? a.na : 0);
	repro_free(&a.repro);
	wb_free(a.git_commit);
	return status;
}
