/*
 * cli_lineage: `mlwb lineage URI|RUN`, the chain a model version came
 * from: version -> run -> the data sets it read and wrote (mlwb log
 * --input/--output, entry points' dataset params, MLflow's imported
 * datasets) -> the drift reports made against those bytes.  A tree on a
 * terminal (ASCII under a non-UTF-8 locale), one row per data set as CSV,
 * one object as JSON.  Every name and path is sanitised before it is
 * printed as text.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "db_lineage.h"
#include "db_registry.h"
#include "db_run.h"
#include "err.h"
#include "lineage.h"
#include "mem.h"
#include "out.h"
#include "registry.h"
#include "strbuf.h"
#include "text.h"
#include "xmem.h"

static int	cmd_lineage(struct cli *, int, char **);

const struct cmd_entry cmd_lineage_entry = {
	.name = "lineage",
	.summary = "Where a model version or run came from: runs, data sets",
	.usage = "mlwb lineage models:/NAME@ALIAS|models:/NAME/VERSION|RUN",
	.help = "The chain model version -> run -> data sets (read and "
	    "written, with role,\npath, sha256, size, rows and columns) -> "
	    "drift reports made against those\nbytes.  A tree on a terminal "
	    "(--format table), one row per data set as CSV,\none object as "
	    "JSON.\n",
	.operands = "text",
	.exec = cmd_lineage,
};

/* All of it, loaded before anything is printed. */
struct chain {
	int			 has_version;
	struct reg_version	 v;
	struct run		 r;
	struct lineage		 lin;	/* data sets, reports (lineage.c) */
};

static void
chain_free(struct chain *c)
{
	if (c->has_version)
		reg_version_clear(&c->v);
	run_clear(&c->r);
	lineage_clear(&c->lin);
}

static int
load(struct db *db, const char *ref, struct chain *c, struct wb_err *err)
{
	int64_t		 run_id;
	int		 rc;

	memset(c, 0, sizeof *c);
	if (strncmp(ref, "models:/", 8) == 0) {
		if ((rc = reg_resolve_uri(db, ref, &c->v, err)) != WB_OK)
			return rc;
		c->has_version = 1;
		if ((run_id = c->v.run_id) == 0)
			return wb_err_set(err, WB_ENOTFOUND, "%s: version %lld"
			    " has no run", ref, (long long)c->v.version);
	} else if ((rc = db_run_resolve(db, ref, &run_id, err)) != WB_OK)
		return rc;
	if ((rc = db_run_get(db, run_id, &c->r, err)) != WB_OK)
		return rc;
	return lineage_load(db, run_id, &c->lin, err);
}

/* Append s sanitised (escape sequences shown, not sent). */
static void
clean(struct strbuf *sb, const char *s)
{
	if (s != NULL)
		text_sanitize(sb, s, strlen(s));
}

static void
print_tree(const struct chain *c, const char *ref)
{
	const char	*mid, *last, *bar, *gap;
	struct strbuf	 sb = STRBUF_INIT;
	char		 t[32];
	size_t		 i, j;
	int		 utf8 = cli_locale_utf8();

	mid = utf8 ? "\u251c\u2500\u2500 " : "|-- ";
	last = utf8 ? "\u2514\u2500\u2500 " : "`-- ";
	bar = utf8 ? "\u2502   " : "|   ";
	gap = "    ";
	if (c->has_version) {
		clean(&sb, ref);
		strbuf_addf(&sb, "  version %lld", (long long)c->v.version);
		if (c->v.sha256 != NULL)
			strbuf_addf(&sb, "  sha256 %.12s", c->v.sha256);
		strbuf_addc(&sb, '\n');
		strbuf_adds(&sb, last);
	}
	strbuf_adds(&sb, "run ");
	clean(&sb, c->r.experiment);
	strbuf_addc(&sb, '/');
	clean(&sb, c->r.name);
	strbuf_addf(&sb, "  %.12s  ", c->r.uuid);
	clean(&sb, c->r.status);
	if (c->lin.drift_report != NULL) {
		strbuf_adds(&sb, "  launched by drift report ");
		clean(&sb, c->lin.drift_report);
	}
	strbuf_addc(&sb, '\n');
	if (c->lin.nds == 0) {
		strbuf_adds(&sb, c->has_version ? gap : "");
		strbuf_addf(&sb, "%s(no data sets recorded: mlwb log --input"
		    " PATH[:ROLE])\n", last);
	}
	for (i = 0; i < c->lin.nds; i++) {
		const struct lin_ds *d = &c->lin.ds[i];
		int	 end = i + 1 == c->lin.nds;

		strbuf_adds(&sb, c->has_version ? gap : "");
		strbuf_adds(&sb, end ? last : mid);
		strbuf_adds(&sb, d->output ? "output " : "input ");
		if (*d->role) {
			clean(&sb, d->role);
			strbuf_addc(&sb, ' ');
		}
		clean(&sb, d->path ? d->path : d->name);
		if (d->n_rows >= 0)
			strbuf_addf(&sb, "  %lld rows", (long long)d->n_rows);
		if (d->n_cols >= 0)
			strbuf_addf(&sb, " x %lld columns", (long long)d->n_cols);
		if (d->size >= 0)
			strbuf_addf(&sb, "  %lld bytes", (long long)d->size);
		if (d->digest != NULL) {
			strbuf_adds(&sb, "  sha256 ");
			strbuf_add(&sb, d->digest, strlen(d->digest) > 12 ? 12 :
			    strlen(d->digest));
		}
		if (d->source_type != NULL && strcmp(d->source_type,
		    "local") != 0) {
			strbuf_adds(&sb, "  (");
			clean(&sb, d->source_type);
			strbuf_addc(&sb, ')');
		}
		strbuf_addc(&sb, '\n');
		for (j = 0; j < c->lin.nrep[i]; j++) {
			const struct lin_report *r = &c->lin.rep[i][j];

			strbuf_adds(&sb, c->has_version ? gap : "");
			strbuf_adds(&sb, end ? gap : bar);
			strbuf_adds(&sb, j + 1 == c->lin.nrep[i] ? last : mid);
			strbuf_adds(&sb, "drift report ");
			clean(&sb, r->name ? r->name : r->uuid);
			strbuf_addf(&sb, "  %s  %s, drift share %.2f  (this data"
			    " as its %s)\n", text_time(t, r->created_at),
			    r->dataset_drift ? "DRIFT" : "no drift",
			    r->drift_share, r->as_reference ? "reference" :
			    "current data");
		}
	}
	if (sb.oom)
		ui_fatal("out of memory");
	fputs(strbuf_str(&sb), stdout);
	strbuf_free(&sb);
}

static void
json_str(struct strbuf *sb, const char *key, const char *v)
{
	strbuf_addf(sb, "\"%s\": ", key);
	if (v == NULL)
		strbuf_adds(sb, "null");
	else
		text_json_str(sb, v);
}

static void
json_int(struct strbuf *sb, const char *key, int64_t v)
{
	if (v < 0)
		strbuf_addf(sb, "\"%s\": null", key);
	else
		strbuf_addf(sb, "\"%s\": %lld", key, (long long)v);
}

static void
print_json(const struct chain *c, const char *ref)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 t[32];
	size_t		 i, j;

	strbuf_adds(&sb, "{\"version\": ");
	if (c->has_version) {
		strbuf_adds(&sb, "{");
		json_str(&sb, "uri", ref);
		strbuf_addf(&sb, ", \"version\": %lld, ",
		    (long long)c->v.version);
		json_str(&sb, "sha256", c->v.sha256);
		strbuf_adds(&sb, "}");
	} else
		strbuf_adds(&sb, "null");
	strbuf_adds(&sb, ",\n \"run\": {");
	json_str(&sb, "uuid", c->r.uuid);
	strbuf_adds(&sb, ", ");
	json_str(&sb, "experiment", c->r.experiment);
	strbuf_adds(&sb, ", ");
	json_str(&sb, "name", c->r.name);
	strbuf_adds(&sb, ", ");
	json_str(&sb, "status", c->r.status);
	strbuf_adds(&sb, ", ");
	json_str(&sb, "launched_by_drift_report", c->lin.drift_report);
	strbuf_adds(&sb, "},\n \"datasets\": [");
	for (i = 0; i < c->lin.nds; i++) {
		const struct lin_ds *d = &c->lin.ds[i];

		strbuf_adds(&sb, i ? ",\n  {" : "\n  {");
		json_str(&sb, "direction", d->output ? "output" : "input");
		strbuf_adds(&sb, ", ");
		json_str(&sb, "role", d->role);
		strbuf_adds(&sb, ", ");
		json_str(&sb, "uuid", d->uuid);
		strbuf_adds(&sb, ", ");
		json_str(&sb, "name", d->name);
		strbuf_adds(&sb, ", ");
		json_str(&sb, "path", d->path);
		strbuf_adds(&sb, ", ");
		json_str(&sb, "sha256", d->digest);
		strbuf_adds(&sb, ", ");
		json_str(&sb, "source_type", d->source_type);
		strbuf_adds(&sb, ", ");
		json_int(&sb, "size", d->size);
		strbuf_adds(&sb, ", ");
		json_int(&sb, "rows", d->n_rows);
		strbuf_adds(&sb, ", ");
		json_int(&sb, "columns", d->n_cols);
		strbuf_adds(&sb, ", ");
		json_str(&sb, "schema", d->schema);
		strbuf_adds(&sb, ", \"drift_reports\": [");
		for (j = 0; j < c->lin.nrep[i]; j++) {
			const struct lin_report *r = &c->lin.rep[i][j];

			strbuf_adds(&sb, j ? ", {" : "{");
			json_str(&sb, "uuid", r->uuid);
			strbuf_adds(&sb, ", ");
			json_str(&sb, "name", r->name);
			strbuf_adds(&sb, ", ");
			json_str(&sb, "created", text_time(t, r->created_at));
			strbuf_addf(&sb, ", \"dataset_drift\": %s, "
			    "\"drift_share\": ", r->dataset_drift ? "true" :
			    "false");
			text_json_num(&sb, r->drift_share);
			strbuf_adds(&sb, ", ");
			json_str(&sb, "as", r->as_reference ? "reference" :
			    "current");
			strbuf_adds(&sb, "}");
		}
		strbuf_adds(&sb, "]}");
	}
	strbuf_adds(&sb, c->lin.nds ? "\n ]}\n" : "]}\n");
	if (sb.oom)
		ui_fatal("out of memory");
	fputs(strbuf_str(&sb), stdout);
	strbuf_free(&sb);
}

static int
print_csv(const struct chain *c, struct cli *cli)
{
	struct out	*o = out_new(stdout, cli->format);
	size_t		 i;

	out_col(o, "run_uuid", OUT_TEXT);
	out_col(o, "direction", OUT_TEXT);
	out_col(o, "role", OUT_TEXT);
	out_col(o, "name", OUT_TEXT);
	out_col(o, "path", OUT_TEXT);
	out_col(o, "sha256", OUT_TEXT);
	out_col(o, "size", OUT_INT);
	out_col(o, "rows", OUT_INT);
	out_col(o, "columns", OUT_INT);
	out_col(o, "drift_reports", OUT_INT);
	for (i = 0; i < c->lin.nds; i++) {
		const struct lin_ds *d = &c->lin.ds[i];

		out_text(o, c->r.uuid);
		out_text(o, d->output ? "output" : "input");
		out_text(o, d->role);
		out_text(o, d->name);
		out_text(o, d->path);
		out_text(o, d->digest);
		if (d->size >= 0) out_int(o, d->size); else out_null(o);
		if (d->n_rows >= 0) out_int(o, d->n_rows); else out_null(o);
		if (d->n_cols >= 0) out_int(o, d->n_cols); else out_null(o);
		out_int(o, (int64_t)c->lin.nrep[i]);
		out_end_row(o);
	}
	return out_finish(o) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
cmd_lineage(struct cli *cli, int argc, char **argv)
{
	struct chain	 c;
	struct db	*db;
	struct wb_err	 err;
	int		 opt, rc, status;

	while ((opt = cmd_getopt(cli, &cmd_lineage_entry, argc, argv)) > 0)
		;
	if (opt < 0)
		return cmd_getopt_exit(opt);
	if (argc - optind != 1)
		return cli_usage(cmd_lineage_entry.usage);
	if ((db = cli_open_db(cli, DB_NOCREATE | DB_READONLY)) == NULL)
		return EXIT_FAIL;
	rc = load(db, argv[optind], &c, &err);
	db_close(db);
	if (rc != WB_OK) {
		chain_free(&c);
		return cli_fail(&err);
	}
	status = EXIT_OK;
	if (cli->format == OUT_JSON)
		print_json(&c, argv[optind]);
	else if (cli->format == OUT_CSV || (cli->format == OUT_AUTO &&
	    !out_is_terminal(stdout)))
		status = print_csv(&c, cli);
	else
		print_tree(&c, argv[optind]);
	chain_free(&c);
	return status;
}
