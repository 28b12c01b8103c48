/*
 * cli_pipeline: `mlwb pipeline`, the pipelines of mlwb.yaml:
 *
 *   mlwb pipeline run NAME [-P K=V]... [--detach] [--resume RUN [--from S]]
 *   mlwb pipeline ls [NAME]         pipeline runs, newest first
 *   mlwb pipeline show RUN          the steps: layers, state, time, metric
 *   mlwb pipeline cancel RUN        stop a running pipeline
 *   mlwb pipeline schedule NAME "CRON" [--remove] | schedule ls
 *   mlwb pipeline drive             the driver job (started by run)
 *
 * The work is in src/pipeline*.c; this file parses, prints and follows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "db_run.h"
#include "err.h"
#include "launch.h"
#include "pipeline.h"
#include "project.h"
#include "schedule.h"
#include "strbuf.h"
#include "text.h"
#include "verify.h"
#include "xmem.h"

static int	cmd_pipeline(struct cli *, int, char **);

static const struct cmd_opt pipeline_opts[] = {
	{ "param", 'P', 'P', CMD_ARG_PARAM, "NAME=VALUE",
	  "run: set a param of the pipeline", 0 },
	{ "detach", 'd', 'd', CMD_ARG_NONE, NULL,
	  "run: do not follow the pipeline", 0 },
	{ "resume", 0, 'R', CMD_ARG_RUN, NULL,
	  "run: re-run only the steps of RUN that failed or changed", 0 },
	{ "from", 0, 'F', CMD_ARG_TEXT, "STEP",
	  "run --resume: re-run STEP and what needs it, whatever changed", 0 },
	{ "scheduled", 0, 'S', CMD_ARG_NONE, NULL,
	  "run: skip (recorded) when the last run is still running", 0 },
	{ "remove", 0, 'r', CMD_ARG_NONE, NULL,
	  "schedule: remove the pipeline's schedule", 0 },
	{ "project", 'p', 'p', CMD_ARG_FILE, NULL,
	  "the project file (default: mlwb.yaml upwards)", 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

static const struct cmd_sub pipeline_subs[] = {
	{ "run", "text", "start a pipeline of mlwb.yaml" },
	{ "ls", "text", "pipeline runs, newest first" },
	{ "show", "run", "a pipeline run's steps" },
	{ "cancel", "run", "stop a running pipeline" },
	{ "schedule", "text text", "run a pipeline on a schedule (cron)" },
	{ "drive", "", "the driver of a pipeline run (internal)" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_pipeline_entry = {
	.name = "pipeline",
	.summary = "Run the pipelines of mlwb.yaml; list and show their runs",
	.usage = "mlwb pipeline run NAME [-P NAME=VALUE]... [--detach] "
	    "[--resume RUN [--from STEP]]\n                    [--scheduled] "
	    "[--project FILE]\n"
	    "       mlwb pipeline ls [NAME] | show RUN | cancel RUN\n"
	    "       mlwb pipeline schedule NAME \"CRON\" [--remove] | "
	    "schedule ls",
	.help = "run      start pipeline NAME as a tracked job whose steps are "
	    "child runs;\n         without --detach, follow it and exit 1 if "
	    "a step failed.\n         --resume RUN re-runs the steps of RUN "
	    "that failed or whose code,\n         params or inputs changed; "
	    "the rest are done from cache (--from\n         STEP re-runs STEP "
	    "and what needs it).\n"
	    "ls       pipeline runs (of NAME), newest first\n"
	    "show     the steps of RUN in layers: state, duration, key metric\n"
	    "cancel   kill the running steps and stop the pipeline\n"
	    "schedule install (or --remove) a crontab line that runs NAME with"
	    "\n         --scheduled; `schedule ls` lists them\n"
	    "drive    the driver job itself (started by run; not for users)\n",
	.opts = pipeline_opts,
	.subs = pipeline_subs,
	.exec = cmd_pipeline,
};

struct popts {
	char		**sets;
	size_t		  nsets;
	int		  detach, scheduled, remove;
	const char	 *resume, *from;
};

/* The driver job: its run is $MLWB_RUN_ID (set by its supervisor). */
static int
pipeline_drive_cmd(struct cli *cli)
{
	struct project	*p;
	struct db	*db;
	struct wb_err	 err;
	const char	*uuid = getenv("MLWB_RUN_ID");
	int64_t		 id;
	int		 rc;

	if (uuid == NULL || *uuid == '\0') {
		cli_error("pipeline drive: no MLWB_RUN_ID (the driver is "
		    "started by `mlwb pipeline run`)");
		return EXIT_USAGE;
	}
	if ((p = cli_load_project(cli)) == NULL)
		return EXIT_FAIL;
	db_set_lock_wait(CLI_SCRIPT_LOCK_WAIT_MS);
	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL) {
		project_free(p);
		return EXIT_FAIL;
	}
	rc = db_run_find_uuid(db, uuid, &id, &err);
	/* Promote steps with verify: are watched as model promote does. */
	pipeline_set_verify(verify_pipeline_hook);
	if (rc == WB_OK)
		rc = pipeline_drive(db, p, cli_supervisor_cmd(), id, &err);
	db_close(db);
	project_free(p);
	return rc == WB_OK ? EXIT_OK : cli_fail(&err);
}

static int
pipeline_run_cmd(struct cli *cli, const char *name, struct popts *po)
{
	struct pipeline_opts	 o;
	struct project		*p;
	struct db		*db;
	struct wb_err		 err;
	struct pipeline_run	 r;
	int64_t			 id = 0, resume = 0;
	int			 rc, skipped = 0, status;

	if ((p = cli_load_project(cli)) == NULL)
		return EXIT_FAIL;
	db_set_lock_wait(CLI_SCRIPT_LOCK_WAIT_MS);
	if ((db = cli_open_db(cli, 0)) == NULL) {
		project_free(p);
		return EXIT_FAIL;
	}
	memset(&o, 0, sizeof o);
	o.supervisor = cli_supervisor_cmd();
	o.name = name;
	o.sets = po->sets;
	o.nsets = po->nsets;
	o.from_step = po->from;
	o.scheduled = po->scheduled;
	rc = WB_OK;
	if (po->resume != NULL)
		rc = db_run_resolve(db, po->resume, &resume, &err);
	o.resume = resume;
	if (rc == WB_OK)
		rc = pipeline_start(db, p, &o, &id, &skipped, &err);
	project_free(p);
	if (rc != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	memset(&r, 0, sizeof r);
	if (pipeline_get(db, id, &r, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	if (skipped) {
		if (!cli->quiet)
			printf("pipeline %s: run %s skipped: %s\n", name,
			    r.uuid, r.reason ? r.reason : "");
		pipeline_run_clear(&r);
		db_close(db);
		return EXIT_OK;
	}
	if (!cli->quiet)
		fprintf(po->detach ? stdout : stderr, "pipeline %s: run %s "
		    "(%s) started\n", name, r.uuid, r.name);
	pipeline_run_clear(&r);
	status = EXIT_OK;
	if (!po->detach)
		status = cli_follow_job(db, id);
	db_close(db);
	return status;
}

static int
pipeline_ls(struct cli *cli, const char *name)
{
	struct pipeline_run	*rows;
	struct db		*db;
	struct wb_err		 err;
	struct out		*o;
	size_t			 n, i;
	char			 t[32];

	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return EXIT_FAIL;
	if (!db_is_readonly(db))
		launch_reap_lost(db, cli_supervisor_cmd(), NULL, NULL);
	if (pipeline_list(db, name, &rows, &n, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	db_close(db);
	o = out_new(stdout, cli->format);
	out_col(o, "run", OUT_TEXT);
	out_col(o, "pipeline", OUT_TEXT);
	out_col(o, "state", OUT_TEXT);
	out_col(o, "started", OUT_TEXT);
	out_col(o, "duration_ms", OUT_INT);
	out_col(o, "name", OUT_TEXT);
	out_col(o, "reason", OUT_TEXT);
	for (i = 0; i < n; i++) {
		out_text(o, rows[i].uuid);
		out_text(o, rows[i].pipeline);
		out_text(o, rows[i].state);
		out_text(o, rows[i].started_at ? text_time(t,
		    rows[i].started_at) : NULL);
		if (rows[i].ended_at && rows[i].started_at)
			out_int(o, rows[i].ended_at - rows[i].started_at);
		else
			out_null(o);
		out_text(o, rows[i].name);
		out_text(o, rows[i].reason);
		out_end_row(o);
	}
	pipeline_runs_free(rows, n);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* Each step's layer: 0 without needs, else 1 + its needs' deepest. */
static int *
layers(const struct pipeline_run *r)
{
	int	*l = xcalloc(r->nsteps + 1, sizeof *l);
	size_t	 i, j, k;
	int	 again = 1, guard = 0;

	while (again && guard++ <= (int)r->nsteps) {
		again = 0;
		for (i = 0; i < r->nsteps; i++)
			for (j = 0; j < r->steps[i].nneeds; j++)
				for (k = 0; k < r->nsteps; k++)
					if (strcmp(r->steps[k].name,
					    r->steps[i].needs[j]) == 0 &&
					    l[i] < l[k] + 1) {
						l[i] = l[k] + 1;
						again = 1;
					}
	}
	return l;
}

static int64_t
step_ms(const struct pipeline_step *s)
{
	if (s->started_at == 0)
		return -1;
	return (s->ended_at ? s->ended_at : db_now_ms()) - s->started_at;
}

static void
show_json(const struct pipeline_run *r, const int *l)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i, j;

	strbuf_adds(&sb, "{\"run\":");
	text_json_str(&sb, r->uuid);
	strbuf_adds(&sb, ",\"name\":");
	text_json_str(&sb, r->name);
	strbuf_adds(&sb, ",\"pipeline\":");
	text_json_str(&sb, r->pipeline);
	strbuf_adds(&sb, ",\"state\":");
	text_json_str(&sb, r->state);
	strbuf_adds(&sb, ",\"reason\":");
	if (r->reason)
		text_json_str(&sb, r->reason);
	else
		strbuf_adds(&sb, "null");
	strbuf_addf(&sb, ",\"started_at\":%lld,\"ended_at\":",
	    (long long)r->started_at);
	if (r->ended_at)
		strbuf_addf(&sb, "%lld", (long long)r->ended_at);
	else
		strbuf_adds(&sb, "null");
	strbuf_adds(&sb, ",\"steps\":[");
	for (i = 0; i < r->nsteps; i++) {
		const struct pipeline_step *s = &r->steps[i];

		strbuf_adds(&sb, i ? ",{\"name\":" : "{\"name\":");
		text_json_str(&sb, s->name);
		strbuf_adds(&sb, ",\"kind\":");
		text_json_str(&sb, s->kind);
		strbuf_addf(&sb, ",\"layer\":%d,\"needs\":[", l[i]);
		for (j = 0; j < s->nneeds; j++) {
			if (j)
				strbuf_addc(&sb, ',');
			text_json_str(&sb, s->needs[j]);
		}
		strbuf_adds(&sb, "],\"state\":");
		text_json_str(&sb, s->state);
		strbuf_adds(&sb, ",\"reason\":");
		if (s->reason)
			text_json_str(&sb, s->reason);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ",\"run\":");
		if (s->run_uuid[0])
			text_json_str(&sb, s->run_uuid);
		else
			strbuf_adds(&sb, "null");
		strbuf_addf(&sb, ",\"cached\":%s,\"duration_ms\":",
		    s->cached ? "true" : "false");
		if (step_ms(s) >= 0)
			strbuf_addf(&sb, "%lld", (long long)step_ms(s));
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ",\"metric\":");
		if (s->metric)
			text_json_str(&sb, s->metric);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ",\"value\":");
		if (s->has_value)
			text_json_num(&sb, s->value);
		else
			strbuf_adds(&sb, "null");
		strbuf_adds(&sb, ",\"version\":");
		if (s->version)
			text_json_str(&sb, s->version);
		else
			strbuf_adds(&sb, "null");
		strbuf_addc(&sb, '}');
	}
	strbuf_adds(&sb, "]}\n");
	fputs(strbuf_str(&sb), stdout);
	strbuf_free(&sb);
}

static int
pipeline_show(struct cli *cli, const char *ref)
{
	struct pipeline_run	 r;
	struct db		*db;
	struct wb_err		 err;
	struct out		*o;
	struct strbuf		 sb = STRBUF_INIT;
	int64_t			 id;
	int			*l, table, layer;
	size_t			 i, k, *ord;
	char			 d[32];

	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return EXIT_FAIL;
	if (!db_is_readonly(db))
		launch_reap_lost(db, cli_supervisor_cmd(), NULL, NULL);
	if (db_run_resolve(db, ref, &id, &err) != WB_OK ||
	    pipeline_get(db, id, &r, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	db_close(db);
	l = layers(&r);
	if (cli->format == OUT_JSON) {
		show_json(&r, l);
		free(l);
		pipeline_run_clear(&r);
		return fflush(stdout) == 0 ? EXIT_OK : cli_write_failed();
	}
	o = out_new(stdout, cli->format);
	table = out_resolved(o) == OUT_TABLE;
	if (table) {
		printf("pipeline %s, run %s (%s): %s", r.pipeline, r.uuid,
		    r.name, r.state);
		if (r.started_at && r.ended_at)
			printf(" after %s", text_duration(d, r.ended_at -
			    r.started_at));
		if (r.reason)
			printf(" -- %s", r.reason);
		printf("\n\n");
	}
	out_col(o, "step", OUT_TEXT);
	out_col(o, "kind", OUT_TEXT);
	out_col(o, "state", OUT_TEXT);
	out_col(o, table ? "time" : "duration_ms", table ? OUT_TEXT : OUT_INT);
	out_col(o, "metric", OUT_TEXT);
	out_col(o, "run", OUT_TEXT);
	out_col(o, table ? "needs / note" : "needs", OUT_TEXT);
	if (!table)
		out_col(o, "reason", OUT_TEXT);
	/* Layer by layer (definition order within one), each indented. */
	ord = xcalloc(r.nsteps + 1, sizeof *ord);
	for (k = 0, layer = 0; k < r.nsteps; layer++)
		for (i = 0; i < r.nsteps; i++)
			if (l[i] == layer)
				ord[k++] = i;
	for (k = 0; k < r.nsteps; k++) {
		const struct pipeline_step *s;
		size_t j;

		i = ord[k];
		s = &r.steps[i];
		strbuf_reset(&sb);
		if (table)
			strbuf_addf(&sb, "%*s", 2 * l[i], "");
		strbuf_adds(&sb, s->name);
		out_text(o, strbuf_str(&sb));
		out_text(o, s->kind);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s%s", s->state, s->cached && table ?
		    " (cached)" : "");
		out_text(o, strbuf_str(&sb));
		if (table)
			out_text(o, step_ms(s) >= 0 ? text_duration(d,
			    step_ms(s)) : NULL);
		else if (step_ms(s) >= 0)
			out_int(o, step_ms(s));
		else
			out_null(o);
		strbuf_reset(&sb);
		if (s->metric && s->has_value)
			strbuf_addf(&sb, "%s %.4g", s->metric, s->value);
		else if (s->version)
			strbuf_addf(&sb, "version %s", s->version);
		out_text(o, sb.len ? strbuf_str(&sb) : NULL);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%.*s", table ? 8 : 32, s->run_uuid);
		out_text(o, sb.len ? strbuf_str(&sb) : NULL);
		strbuf_reset(&sb);
		for (j = 0; j < s->nneeds; j++)
			strbuf_addf(&sb, "%s%s", j ? " " : "", s->needs[j]);
		if (table && s->reason)
			strbuf_addf(&sb, "%s%s", sb.len ? " -- " : "",
			    s->reason);
		out_text(o, sb.len ? strbuf_str(&sb) : NULL);
		if (!table)
			out_text(o, s->reason);
		out_end_row(o);
	}
	strbuf_free(&sb);
	free(l);
	free(ord);
	pipeline_run_clear(&r);
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
pipeline_cancel_cmd(struct cli *cli, const char *ref)
{
	struct db	*db;
	struct wb_err	 err;
	int64_t		 id;

	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return EXIT_FAIL;
	launch_reap_lost(db, cli_supervisor_cmd(), NULL, NULL);
	if (db_run_resolve(db, ref, &id, &err) != WB_OK ||
	    pipeline_cancel(db, id, &err) != WB_OK) {
		db_close(db);
		return cli_fail(&err);
	}
	db_close(db);
	if (!cli->quiet)
		printf("pipeline run %s: cancel asked\n", ref);
	return EXIT_OK;
}

/* schedule NAME "CRON" | schedule NAME --remove | schedule ls */
static int
pipeline_schedule(struct cli *cli, int argc, char **argv, int remove)
{
	struct sched_entry	*e;
	struct sched_req	 r;
	struct project		*p;
	struct wb_err		 err;
	struct out		*o;
	const char *const	*self = cli_supervisor_cmd();
	const char		*via;
	char			*db = NULL;
	size_t			 n, i;
	int			 rc, replaced;

	if (argc == 1 && strcmp(argv[0], "ls") == 0 && !remove) {
		if (schedule_list(&e, &n, &err) != WB_OK)
			return cli_fail(&err);
		o = out_new(stdout, cli->format);
		out_col(o, "pipeline", OUT_TEXT);
		out_col(o, "schedule", OUT_TEXT);
		out_col(o, "via", OUT_TEXT);
		out_col(o, "project", OUT_TEXT);
		for (i = 0; i < n; i++) {
			out_text(o, e[i].pipeline);
			out_text(o, e[i].cron);
			out_text(o, e[i].via);
			out_text(o, e[i].project);
			out_end_row(o);
		}
		schedule_entries_free(e, n);
		return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
	}
	if (argc != (remove ? 1 : 2) || cli_text_only(cli, "pipeline "
	    "schedule"))
		return cli_usage(cmd_pipeline_entry.usage);
	if (!remove && schedule_cron_check(argv[1], &err) != WB_OK)
		return cli_fail(&err);
	if ((p = cli_load_project(cli)) == NULL)
		return EXIT_FAIL;
	if (!remove && project_pipeline(p, argv[0]) == NULL) {
		cli_error("%s: no pipeline %s", p->path, argv[0]);
		project_free(p);
		return EXIT_FAIL;
	}
	if (self == NULL) {
		cli_error("pipeline schedule: cannot find the mlwb program");
		project_free(p);
		return EXIT_FAIL;
	}
	/* The workspace as the scheduler will see it: a full path. */
	if (db_is_url(cli->db_path))
		db = xstrdup(cli->db_path);
	else if ((db = realpath(cli->db_path, NULL)) == NULL) {
		cli_error("%s: no workspace there (mlwb init first)",
		    cli->db_path);
		project_free(p);
		return EXIT_FAIL;
	}
	memset(&r, 0, sizeof r);
	r.pipeline = argv[0];
	r.cron = remove ? NULL : argv[1];
	r.project = p->path[0] == '/' ? p->path : NULL;
	{
		char *real = realpath(p->path, NULL);

		r.project = real != NULL ? real : p->path;
		r.root = p->root;
		r.db = db;
		r.mlwb = self[0];
		rc = schedule_set(&r, &via, &replaced, &err);
		if (rc == WB_OK && !cli->quiet) {
			if (remove)
				printf("pipeline %s: %s\n", argv[0],
				    replaced ? "schedule removed" :
				    "had no schedule");
			else
				printf("pipeline %s: runs at '%s' (%s)%s\n",
				    argv[0], argv[1], via, replaced ?
				    ", replacing the earlier schedule" : "");
		}
		free(real);
	}
	free(db);
	project_free(p);
	return rc == WB_OK ? EXIT_OK : cli_fail(&err);
}

static int
cmd_pipeline(struct cli *cli, int argc, char **argv)
{
	struct popts	 po;
	const char	*sub;
	int		 opt, nargs, status;

	memset(&po, 0, sizeof po);
	while ((opt = cmd_getopt(cli, &cmd_pipeline_entry, argc, argv)) > 0) {
		switch (opt) {
		case 'P':
			po.sets = xreallocarray(po.sets, po.nsets + 1,
			    sizeof *po.sets);
			po.sets[po.nsets++] = optarg;
			break;
		case 'd':
			po.detach = 1;
			break;
		case 'R':
			po.resume = optarg;
			break;
		case 'F':
			po.from = optarg;
			break;
		case 'S':
			po.scheduled = 1;
			break;
		case 'r':
			po.remove = 1;
			break;
		case 'p':
			cli->project = optarg;
			break;
		}
	}
	if (opt < 0) {
		free(po.sets);
		return cmd_getopt_exit(opt);
	}
	nargs = argc - optind;
	sub = nargs > 0 ? argv[optind] : "";
	if (((po.sets != NULL || po.detach || po.resume || po.from ||
	    po.scheduled) && strcmp(sub, "run") != 0) || (po.remove &&
	    strcmp(sub, "schedule") != 0)) {
		free(po.sets);
		return cli_usage(cmd_pipeline_entry.usage);
	}
	if (po.from != NULL && po.resume == NULL) {
		free(po.sets);
		cli_error("pipeline run: --from needs --resume RUN");
		return EXIT_USAGE;
	}
	if (strcmp(sub, "run") == 0 && nargs == 2)
		status = cli_text_only(cli, "pipeline run") ? EXIT_USAGE :
		    pipeline_run_cmd(cli, argv[optind + 1], &po);
	else if (strcmp(sub, "ls") == 0 && nargs <= 2)
		status = pipeline_ls(cli, nargs == 2 ? argv[optind + 1] :
		    NULL);
	else if (strcmp(sub, "show") == 0 && nargs == 2)
		status = pipeline_show(cli, argv[optind + 1]);
	else if (strcmp(sub, "cancel") == 0 && nargs == 2)
		status = cli_text_only(cli, "pipeline cancel") ? EXIT_USAGE :
		    pipeline_cancel_cmd(cli, argv[optind + 1]);
	else if (strcmp(sub, "schedule") == 0 && nargs >= 2)
		status = pipeline_schedule(cli, nargs - 1,
		    argv + optind + 1, po.remove);
	else if (strcmp(sub, "drive") == 0 && nargs == 1)
		status = pipeline_drive_cmd(cli);
	else
		status = cli_usage(cmd_pipeline_entry.usage);
	free(po.sets);
	return status;
}
