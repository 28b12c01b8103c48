/*
 * cli_drift: `mlwb drift REF.csv CUR.csv [...]`, `mlwb drift ls [NAME]`
 * and `mlwb drift show REPORT`.
 *
 * The comparison's exit status is what CI and cron gate on: 0 when the
 * data set did not drift, 1 when it did (or a schema check failed), 2 on
 * any error (bad CSV, bad option, unknown column).  ls and show follow
 * the usual statuses (0 ok, 1 failure, 2 usage).  All the work is in
 * src/drift_report.c and src/db_drift.c; this file parses options and
 * prints.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "xmem.h"
#include "cmd.h"
#include "db.h"
#include "db_drift.h"
#include "drift.h"
#include "drift_report.h"
#include "err.h"
#include "progress_line.h"
#include "launch.h"
#include "lineage.h"
#include "mem.h"
#include "out.h"
#include "project.h"
#include "strbuf.h"
#include "text.h"

#define DRIFT_EXIT_ERROR 2

static int	cmd_drift(struct cli *, int, char **);

enum { O_COLUMNS = OPT_FIRST_LOCAL, O_METHOD, O_METHOD_FOR, O_THRESHOLD,
	O_SHARE, O_CAT, O_SAVE, O_MODEL, O_ON_DRIFT, O_PROJECT };

static const struct cmd_opt drift_opts[] = {
	{ "columns", 0, O_COLUMNS, CMD_ARG_TEXT, "a,b",
	  "only these columns", 0 },
	{ "method", 0, O_METHOD, CMD_ARG_CHOICE,
	  "ks|chisquare|z|wasserstein|psi|kl_div|jensenshannon|hellinger",
	  "every column's method, where it fits", 0 },
	{ "method-for", 0, O_METHOD_FOR, CMD_ARG_TEXT, "COL=M[:T]",
	  "one column's method (and threshold)", 0 },
	{ "threshold", 0, O_THRESHOLD, CMD_ARG_NUMBER, "X",
	  "threshold of the chosen method(s)", 0 },
	{ "drift-share", 0, O_SHARE, CMD_ARG_NUMBER, "S",
	  "data-set drift at this share of columns (0.5)", 0 },
	{ "categorical", 0, O_CAT, CMD_ARG_TEXT, "a,b",
	  "treat these columns as categorical", 0 },
	{ "save", 0, O_SAVE, CMD_ARG_REPORT, "NAME",
	  "save the report (mlwb drift ls, show, screen 3)", 0 },
	{ "model", 0, O_MODEL, CMD_ARG_MODEL, "NAME[:VERSION]|URI",
	  "tie the saved report to a model version; with one CSV, its "
	  "training data is the reference", 0 },
	{ "on-drift", 0, O_ON_DRIFT, CMD_ARG_ENTRY, NULL,
	  "on drift: save the report, launch ENTRY", 0 },
	{ "project", 0, O_PROJECT, CMD_ARG_FILE, NULL,
	  "the project file (default: mlwb.yaml upwards)", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub drift_subs[] = {
	{ "ls", "report", "saved drift reports, newest first (only those "
	  "saved as NAME if given)" },
	{ "show", "report", "a saved report: every column's result; JSON "
	  "adds both histograms" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_drift_entry = {
	.name = "drift",
	.summary = "Data drift: REF.csv CUR.csv; drift ls, drift show",
	.usage = "mlwb drift REF.csv CUR.csv [--columns a,b] [--method M]\n"
	    "            [--method-for COL=M[:THRESHOLD]] [--threshold X]\n"
	    "            [--drift-share S] [--categorical a,b] [--save NAME]\n"
	    "            [--model NAME[:VERSION]] [--on-drift ENTRY]\n"
	    "            [--format table|csv|json]\n"
	    "       mlwb drift --model NAME@ALIAS|URI CUR.csv [options]\n"
	    "       mlwb drift ls [NAME] | mlwb drift show REPORT",
	.help = "Compare the columns of a current data set with a reference "
	    "one (both CSV).\nNumeric columns (every non-empty cell a number) "
	    "and categorical ones are\ntested with Evidently's defaults: "
	    "reference <= 1000 rows: ks (p <= 0.05),\nchisquare or z "
	    "(p < 0.05); larger: wasserstein (normed, >= 0.1) or\n"
	    "jensenshannon (>= 0.1).  Empty cells, NA, NaN and inf are "
	    "dropped.\n\nSchema checks (columns missing or added, type "
	    "changed, missing share up by\nmore than 10 points) fail the "
	    "verdict too.  Exit status: 0 no drift, 1 drift,\n2 error.  "
	    "drift ls [NAME] lists saved reports; drift show REPORT (id, "
	    "uuid\nprefix or name) prints one; its JSON adds both histograms "
	    "(shared bins)\nand summary statistics.\n\nWith --model and one CSV, "
	    "the reference is the data set recorded as that\nversion's run's "
	    "training input (role train, or its only input; see mlwb\n"
	    "lineage), checked against its sha256: changed or gone is an "
	    "error.  The\nreport is saved against that version.\n",
	.opts = drift_opts,
	.subs = drift_subs,
	.operands = "file file",
	.exec = cmd_drift,
};

/* "a,b,c" -> NULL-terminated array (strings point into a copy). */
static char **
split_list(const char *s)
{
	char	*copy = xstrdup(s), *p, **v;
	size_t	 n = 1, i = 0;

	for (p = copy; *p; p++)
		n += *p == ',';
	v = xcalloc(n + 2, sizeof *v);
	v[0] = copy;	/* v[0] owns the buffer; entries start at v + 1 */
	for (p = strtok(copy, ","); p != NULL; p = strtok(NULL, ","))
		v[1 + i++] = p;
	return v;
}

static void
free_list(char **v)
{
	if (v != NULL) {
		free(v[0]);
		free(v);
	}
}

static int
parse_double(const char *opt, const char *s, double *v)
{
	if (text_parse_num(s, strlen(s), v) != 0 || !isfinite(*v) || *v < 0) {
		cli_error("%s %s: not a non-negative number", opt, s);
		return -1;
	}
	return 0;
}

static void
print_columns(struct cli *cli, const struct drift_report *r)
{
	struct out	*o = out_new(stdout, cli->format);
	size_t		 i;
	char		 b[32];

	out_col(o, "column", OUT_TEXT);
	out_col(o, "type", OUT_TEXT);
	out_col(o, "n_ref", OUT_INT);
	out_col(o, "n_cur", OUT_INT);
	out_col(o, "missing_ref", OUT_NUM);
	out_col(o, "missing_cur", OUT_NUM);
	out_col(o, "method", OUT_TEXT);
	out_col(o, "statistic", OUT_NUM);
	out_col(o, "p_value", OUT_NUM);
	out_col(o, "threshold", OUT_NUM);
	out_col(o, "drifted", OUT_BOOL);
	for (i = 0; i < r->ncols; i++) {
		const struct drift_rcol *c = &r->cols[i];

		out_text(o, c->name);
		out_text(o, c->numeric ? "num" : "cat");
		out_int(o, (int64_t)c->n_ref);
		out_int(o, (int64_t)c->n_cur);
		if (out_resolved(o) == OUT_TABLE) {
			/* Short figures in a table; CSV keeps every digit. */
			out_num(o, atof(text_num_short(b, c->missing_ref, 3)));
			out_num(o, atof(text_num_short(b, c->missing_cur, 3)));
			out_text(o, drift_method_name(c->method));
			out_num(o, atof(text_num_short(b, c->statistic, 4)));
			out_num_or_null(o, atof(text_num_short(b, c->p_value,
			    4)), isnan(c->p_value));
		} else {
			out_num(o, c->missing_ref);
			out_num(o, c->missing_cur);
			out_text(o, drift_method_name(c->method));
			out_num(o, c->statistic);
			out_num_or_null(o, c->p_value, isnan(c->p_value));
		}
		out_num(o, c->threshold);
		out_bool(o, c->drifted);
		out_end_row(o);
	}
	out_finish(o);
}

/* The report on stdout in the chosen format. */
static void
print_report(struct cli *cli, const struct drift_report *r, int detail)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i;

	if (cli->format == OUT_JSON) {
		if (drift_report_json(r, detail, &sb) != 0)
			ui_fatal("out of memory");
		printf("%s\n", strbuf_str(&sb));
		strbuf_free(&sb);
		return;
	}
	print_columns(cli, r);
	/* The verdict: on stdout for a table, on stderr under CSV. */
	{
		FILE *fp = cli->format == OUT_CSV ||
		    (cli->format == OUT_AUTO && !out_is_terminal(stdout)) ?
		    stderr : stdout;

		if (cli->quiet && fp == stderr)
			return;
		fflush(stdout);
		for (i = 0; i < r->nissues; i++) {
			strbuf_reset(&sb);
			text_sanitize(&sb, r->issues[i].column,
			    strlen(r->issues[i].column));
			strbuf_adds(&sb, ": ");
			text_sanitize(&sb, r->issues[i].what,
			    strlen(r->issues[i].what));
			fprintf(fp, "schema: %s\n", strbuf_str(&sb));
		}
		/* The verdict names what failed: the first three columns. */
		strbuf_reset(&sb);
		for (i = 0; i < r->nissues && i < 3; i++) {
			strbuf_adds(&sb, i ? ", " : ", schema checks failed: ");
			text_sanitize(&sb, r->issues[i].column,
			    strlen(r->issues[i].column));
			strbuf_adds(&sb, " (");
			text_sanitize(&sb, r->issues[i].what,
			    strlen(r->issues[i].what));
			strbuf_addc(&sb, ')');
		}
		if (r->nissues > 3)
			strbuf_addf(&sb, " and %zu more", r->nissues - 3);
		fprintf(fp, "%s: %zu of %zu columns drifted (share %.3g, "
		    "threshold %.3g)%s\n", r->dataset_drift ?
		    "DATA SET DRIFT" : "no data set drift", r->drifted,
		    r->tested, r->drift_share, r->share_threshold,
		    strbuf_str(&sb));
		strbuf_free(&sb);
	}
}

/* db_drift_each callback: one report, printed as it is read. */
static int
drift_ls_one(void *arg, const struct drift_row *r)
{
	struct out	*o = arg;
	char		 t[32], u[9];

	snprintf(u, sizeof u, "%.8s", r->uuid);
	out_int(o, r->id);
	out_text(o, out_resolved(o) == OUT_TABLE ? u : r->uuid);
	out_text(o, r->name);
	out_text(o, r->model);
	out_text(o, text_time(t, r->created_at));
	out_int(o, r->drifted);
	out_int(o, r->tested);
	out_num(o, r->drift_share);
	out_int(o, r->nissues);
	out_bool(o, r->dataset_drift);
	out_end_row(o);
	return ferror(stdout);
}

static int
drift_ls(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "mlwb drift ls [NAME] [--format FMT]";
	struct db	*db;
	struct wb_err	 err;
	struct out	*o;
	int		 opt, rc, ioerr;

	/* Only the shared options: drift's own are for the comparison. */
	if ((opt = cmd_getopt(cli, &cmd_drift_entry, argc, argv)) != 0)
		return opt > 0 ? cli_usage(usage) : cmd_getopt_exit(opt);
	if (argc - optind > 1)
		return cli_usage(usage);
	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return EXIT_FAIL;
	o = out_new(stdout, cli->format);
	out_col(o, "id", OUT_INT);
	out_col(o, "uuid", OUT_TEXT);
	out_col(o, "name", OUT_TEXT);
	out_col(o, "model", OUT_TEXT);
	out_col(o, "created", OUT_TEXT);
	out_col(o, "drifted", OUT_INT);
	out_col(o, "tested", OUT_INT);
	out_col(o, "drift_share", OUT_NUM);
	out_col(o, "issues", OUT_INT);
	out_col(o, "dataset_drift", OUT_BOOL);
	rc = db_drift_each(db, optind < argc ? argv[optind] : NULL,
	    drift_ls_one, o, &err);
	db_close(db);
	ioerr = out_finish(o) != 0;
	if (rc != WB_OK)
		return cli_fail(&err);
	return ioerr ? cli_write_failed() : EXIT_OK;
}

static int
drift_show(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "mlwb drift show REPORT [--format FMT]   (id, uuid prefix or name)";
	struct drift_report *r;
	struct db	*db;
	struct wb_err	 err;
	int		 opt;
	char		 t[32];

	if ((opt = cmd_getopt(cli, &cmd_drift_entry, argc, argv)) != 0)
		return opt > 0 ? cli_usage(usage) : cmd_getopt_exit(opt);
	if (argc - optind != 1)
		return cli_usage(usage);
	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return EXIT_FAIL;
	if (db_drift_load(db, argv[optind], &r, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	if (cli->format != OUT_JSON && cli->format != OUT_CSV && !cli->quiet) {
		struct strbuf sb = STRBUF_INIT;

		strbuf_addf(&sb, "report %lld %s", (long long)r->id, r->uuid);
		if (r->name) {
			strbuf_adds(&sb, " name ");
			text_sanitize(&sb, r->name, strlen(r->name));
		}
		if (r->model) {
			strbuf_adds(&sb, " model ");
			text_sanitize(&sb, r->model, strlen(r->model));
		}
		strbuf_addf(&sb, " at %s\nreference ", text_time(t,
		    r->created_at));
		text_sanitize(&sb, r->ref_path, strlen(r->ref_path));
		strbuf_addf(&sb, " (%zu rows, sha256 %.12s)\ncurrent   ",
		    r->ref_rows, r->ref_sha256);
		text_sanitize(&sb, r->cur_path, strlen(r->cur_path));
		strbuf_addf(&sb, " (%zu rows, sha256 %.12s)\n", r->cur_rows,
		    r->cur_sha256);
		fputs(strbuf_str(&sb), stdout);
		strbuf_free(&sb);
	}
	print_report(cli, r, 1);
	drift_report_free(r);
	db_close(db);
	return EXIT_OK;
}

/*
 * Continuous training: launch entry point `entry` of the project as a
 * detached job because the data set drifted.  The job finds the report in
 * its environment (MLWB_DRIFT_REPORT: uuid, MLWB_DRIFT_REPORT_ID, and
 * MLWB_DRIFT_SHARE), given to its supervisor through launch_opts.env;
 * this process's own environment is left alone.
 */
static int
launch_on_drift(struct cli *cli, const struct project *proj,
    const char *entry, const struct drift_report *r)
{
	struct launch_opts	 o;
	struct launch_info	 li;
	struct wb_err		 err;
	struct db		*db;
	char			 e_uuid[64], e_id[64], e_share[64], num[32];
	char			*env[4];
	int			 rc;

	memset(&o, 0, sizeof o);
	o.supervisor = cli_supervisor_cmd();
	o.entry = entry;
	snprintf(e_uuid, sizeof e_uuid, "MLWB_DRIFT_REPORT=%s", r->uuid);
	snprintf(e_id, sizeof e_id, "MLWB_DRIFT_REPORT_ID=%lld",
	    (long long)r->id);
	snprintf(e_share, sizeof e_share, "MLWB_DRIFT_SHARE=%s",
	    text_num(num, r->drift_share));
	env[0] = e_uuid;
	env[1] = e_id;
	env[2] = e_share;
	env[3] = NULL;
	o.env = env;
	o.drift_report = r->uuid;
	if ((db = cli_open_db(cli, 0)) == NULL)
		return EXIT_FAIL;
	rc = launch_start(db, proj, &o, &li, &err);
	db_close(db);
	if (rc != WB_OK) {
		cli_error("--on-drift %s: %s", entry, err.msg);
		return EXIT_FAIL;
	}
	if (!cli->quiet)
		fprintf(stderr, "drift: launched %s as run %s (%s/%s); log %s\n",
		    entry, li.run_uuid, li.experiment, li.run_name, li.log_path);
	launch_info_clear(&li);
	return EXIT_OK;
}

static int
cmd_drift(struct cli *cli, int argc, char **argv)
{
	struct project		*proj = NULL;
	const char		*on_drift = NULL;
	struct drift_spec	 spec;
	struct drift_method_for	*per = NULL;
	struct drift_report	*r = NULL;
	struct progress		 prog;
	struct wb_err		 err;
	struct db		*db;
	char			**cols = NULL, **cats = NULL;
	const char		*save = NULL, *model = NULL, *ref, *cur;
	char			*lin_ref = NULL, *lin_model = NULL;
	int			 opt, rc, status;

	if (argc > 1 && strcmp(argv[1], "ls") == 0)
		return drift_ls(cli, argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "show") == 0)
		return drift_show(cli, argc - 1, argv + 1);
	drift_spec_init(&spec);
	status = DRIFT_EXIT_ERROR;
	while ((opt = cmd_getopt(cli, &cmd_drift_entry, argc, argv)) > 0) {
		switch (opt) {
		case O_COLUMNS:
			free_list(cols);
			cols = split_list(optarg);
			spec.columns = (const char *const *)(cols + 1);
			break;
		case O_CAT:
			free_list(cats);
			cats = split_list(optarg);
			spec.categorical = (const char *const *)(cats + 1);
			break;
		case O_METHOD:
			if (drift_method_parse(optarg, &spec.method) != 0) {
				cli_error("--method %s: unknown; see mlwb drift "
				    "--help", optarg);
				goto out;
			}
			break;
		case O_METHOD_FOR: {
			char	*eq = strchr(optarg, '='), *colon;
			struct drift_method_for *f;

			if (eq == NULL || eq == optarg) {
				cli_error("--method-for %s: expected "
				    "COLUMN=METHOD[:THRESHOLD]", optarg);
				goto out;
			}
			per = xreallocarray(per, spec.nper + 1, sizeof *per);
			f = &per[spec.nper];
			*eq = '\0';
			f->column = optarg;
			f->threshold = NAN;
			if ((colon = strchr(eq + 1, ':')) != NULL) {
				*colon = '\0';
				if (parse_double("--method-for", colon + 1,
				    &f->threshold) != 0)
					goto out;
			}
			if (drift_method_parse(eq + 1, &f->method) != 0) {
				cli_error("--method-for %s: unknown method "
				    "'%s'", optarg, eq + 1);
				goto out;
			}
			spec.nper++;
			spec.per = per;
			break;
		}
		case O_THRESHOLD:
			if (parse_double("--threshold", optarg,
			    &spec.threshold) != 0)
				goto out;
			break;
		case O_SHARE:
			if (parse_double("--drift-share", optarg,
			    &spec.drift_share) != 0)
				goto out;
			break;
		case O_SAVE:
			save = optarg;
			break;
		case O_MODEL:
			model = optarg;
			break;
		case O_ON_DRIFT:
			on_drift = optarg;
			break;
		case O_PROJECT:
			cli->project = optarg;
			break;
		}
	}
	if (opt < 0) {
		status = cmd_getopt_exit(opt);
		goto out;
	}
	if (argc - optind == 1 && model != NULL) {
		/* Drift from lineage: the version's training data. */
		if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) ==
		    NULL)
			goto out;
		rc = lineage_reference(db, model, &lin_ref, &lin_model, &err);
		db_close(db);
		if (rc != WB_OK) {
			cli_fail(&err);
			status = DRIFT_EXIT_ERROR;
			goto out;
		}
		model = lin_model;
		ref = lin_ref;
		cur = argv[optind];
	} else if (argc - optind != 2) {
		cli_usage(cmd_drift_entry.usage);
		goto out;
	} else {
		ref = argv[optind];
		cur = argv[optind + 1];
	}
	/* The entry to launch on drift is checked before any work. */
	if (on_drift != NULL) {
		if ((proj = cli_load_project(cli)) == NULL)
			goto out;
		if (project_entry(proj, on_drift) == NULL) {
			cli_error("--on-drift %s: %s has no such entry point",
			    on_drift, proj->path);
			goto out;
		}
	}
	/* The inputs' sha256 is kept with saved reports only (it costs a
	 * sixth of the time on big files); --on-drift may save one. */
	spec.no_hash = save == NULL && model == NULL && on_drift == NULL;
	progress_init(&prog, cli);
	progress_start(&prog, cur, 0, 1);
	spec.progress = progress_hook(&prog);
	rc = drift_report_run(ref, cur, &spec, &r, &err);
	progress_free(&prog);
	if (rc != WB_OK) {
		cli_fail(&err);
		goto out;
	}
	/* The job launched on drift gets the saved report's id. */
	if (save != NULL || model != NULL ||
	    (on_drift != NULL && r->dataset_drift)) {
		char *abs;

		/* Saved reports name their inputs by absolute path. */
		if ((abs = realpath(ref, NULL)) != NULL) {
			free(r->ref_path);
			r->ref_path = abs;
		}
		if ((abs = realpath(cur, NULL)) != NULL) {
			free(r->cur_path);
			r->cur_path = abs;
		}
		if ((db = cli_open_db(cli, 0)) == NULL)
			goto out;
		rc = db_drift_save(db, r, save, model, &err);
		db_close(db);
		if (rc != WB_OK) {
			cli_fail(&err);
			goto out;
		}
	}
	print_report(cli, r, 0);
	if (r->id > 0 && !cli->quiet && cli->format != OUT_JSON)
		fprintf(cli->format == OUT_CSV ? stderr : stdout,
		    "saved as report %lld (%.8s)\n", (long long)r->id, r->uuid);
	status = r->dataset_drift ? 1 : 0;
	if (on_drift != NULL && r->dataset_drift &&
	    launch_on_drift(cli, proj, on_drift, r) != EXIT_OK)
		status = DRIFT_EXIT_ERROR;
out:
	if (proj != NULL)
		project_free(proj);
	wb_free(lin_ref);
	wb_free(lin_model);
	drift_report_free(r);
	free_list(cols);
	free_list(cats);
	free(per);
	return status;
}
