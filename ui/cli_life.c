/*
 * cli_life: runs delete|restore|purge|rename|tag|note and exp
 * rename|delete|restore (cli_life.h).  Each command is one transaction:
 * it changes all the runs it names or none.  The runs it changed are
 * printed as a table of (action, uuid, experiment, name, detail), the
 * same for every command, so that scripts read one shape.
 */
#include "config.h"

#include "cli_life.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "db_life.h"
#include "db_query.h"
#include "db_run.h"
#include "editor.h"
#include "err.h"
#include "mem.h"
#include "out.h"
#include "query.h"
#include "xmem.h"

static const char *const runs_subs[] = {
	"delete", "restore", "purge", "rename", "tag", "note", NULL
};

int
life_is_runs_sub(const char *sub)
{
	size_t	i;

	for (i = 0; runs_subs[i] != NULL; i++)
		if (strcmp(sub, runs_subs[i]) == 0)
			return 1;
	return 0;
}

/*
 * The rows of the change table, kept until the transaction commits: a
 * command that fails part-way prints nothing of what it rolled back.
 */
struct changes {
	char	(*row)[5][160];
	size_t	  n;
};

/* One row for run id (read before a purge, after any other change). */
static int
change_row(struct db *db, struct changes *c, const char *action, int64_t id,
    const char *detail, struct wb_err *err)
{
	struct run	r;
	int		rc;

	if ((rc = db_run_get(db, id, &r, err)) != WB_OK)
		return rc;
	c->row = xreallocarray(c->row, c->n + 1, sizeof *c->row);
	snprintf(c->row[c->n][0], sizeof c->row[c->n][0], "%s", action);
	snprintf(c->row[c->n][1], sizeof c->row[c->n][1], "%s", r.uuid);
	snprintf(c->row[c->n][2], sizeof c->row[c->n][2], "%s", r.experiment);
	snprintf(c->row[c->n][3], sizeof c->row[c->n][3], "%s", r.name);
	snprintf(c->row[c->n][4], sizeof c->row[c->n][4], "%s",
	    detail != NULL ? detail : "");
	c->n++;
	run_clear(&r);
	return WB_OK;
}

/* Print the change table (action, uuid, experiment, name, detail). */
static void
changes_print(struct cli *cli, struct changes *c)
{
	static const char *const cols[] = { "action", "uuid", "experiment",
	    "name", "detail" };
	struct out	*o = out_new(stdout, cli->format);
	size_t		 i, k;

	for (k = 0; k < 5; k++)
		out_col(o, cols[k], OUT_TEXT);
	for (i = 0; i < c->n; i++) {
		for (k = 0; k < 5; k++)
			out_text(o, c->row[i][k]);
		out_end_row(o);
	}
	out_finish(o);
	free(c->row);
	c->row = NULL;
	c->n = 0;
}

/* The runs a filter names, in scope; *ids to free(). */
static int
filter_ids(struct db *db, const char *filter, enum q_scope scope,
    int64_t **ids, size_t *n, struct wb_err *err)
{
	struct query	*q = NULL;
	int		 rc;

	if ((rc = query_parse(filter, &q, err)) != WB_OK)
		return rc;
	q->scope = scope;
	rc = db_query_runs(db, q, NULL, 0, ids, n, err);
	query_free(q);
	return rc;
}

/* RUN... or --filter: the ids to act on (*ids to wb_free). */
static int
target_ids(struct db *db, int argc, char **argv, const struct life_opts *o,
    enum q_scope scope, int64_t **ids, size_t *n, struct wb_err *err)
{
	int	i, rc;

	if (o->filter != NULL)
		return filter_ids(db, o->filter, scope, ids, n, err);
	*ids = wb_calloc((size_t)argc + 1, sizeof **ids);
	if (*ids == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (i = 0; i < argc; i++)
		if ((rc = db_run_resolve(db, argv[i], &(*ids)[i], err)) !=
		    WB_OK) {
			wb_free(*ids);
			*ids = NULL;
			return rc;
		}
	*n = (size_t)argc;
	return WB_OK;
}

/* Open the workspace for writing and start the one transaction. */
static struct db *
open_rw(struct cli *cli)
{
	struct db	*db;
	struct wb_err	 err;

	if ((db = cli_open_db(cli, DB_NOCREATE)) == NULL)
		return NULL;
	if (db_begin(db, &err) != WB_OK) {
		cli_fail(&err);
		db_close(db);
		return NULL;
	}
	return db;
}

/* Commit (rc WB_OK) and print c, or roll back; the exit status. */
static int
finish(struct cli *cli, struct db *db, struct changes *c, int rc,
    struct wb_err *err)
{
	if (rc == WB_OK && (rc = db_commit(db, err)) == WB_OK) {
		db_close(db);
		if (c != NULL)
			changes_print(cli, c);
		return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
	}
	db_rollback(db);
	db_close(db);
	if (c != NULL)
		free(c->row);
	return cli_fail(err);
}

/* runs delete / restore. */
static int
delete_restore(struct cli *cli, int del, int argc, char **argv,
    const struct life_opts *o)
{
	struct changes	 c = { NULL, 0 };
	struct db	*db;
	struct wb_err	 err;
	struct run	 r;
	int64_t		*ids = NULL, n, kids, live;
	size_t		 nid = 0, i;
	int		 rc;
	char		 detail[96];

	if ((argc == 0) == (o->filter == NULL))
		return cli_usage(del ? "mlwb runs delete RUN... | --filter EXPR"
		    " [--children]" : "mlwb runs restore RUN... | --filter EXPR"
		    " [--children]");
	if ((db = open_rw(cli)) == NULL)
		return EXIT_FAIL;
	if ((rc = target_ids(db, argc, argv, o, del ? QS_LIVE : QS_DELETED,
	    &ids, &nid, &err)) != WB_OK)
		return finish(cli, db, NULL, rc, &err);
	for (i = 0; i < nid && rc == WB_OK; i++) {
		if ((rc = db_life_children(db, ids[i], &kids, &live, &err)) !=
		    WB_OK)
			break;
		rc = del ? db_life_delete(db, ids[i], o->children, &n, &err) :
		    db_life_restore(db, ids[i], o->children, &n, &err);
		if (rc != WB_OK)
			break;
		detail[0] = '\0';
		if (o->children && n > 1)
			snprintf(detail, sizeof detail, "with %" PRId64
			    " descendant%s", n - 1, n == 2 ? "" : "s");
		else if (del && !o->children && live > 0 &&
		    db_run_get(db, ids[i], &r, &err) == WB_OK) {
			/* The UI asks; the command line has a flag. */
			fprintf(stderr, "mlwb: run '%s' has %" PRId64 " live "
			    "child run%s; they are kept (--children deletes "
			    "them too)\n", r.name, live, live == 1 ? "" : "s");
			run_clear(&r);
		}
		rc = change_row(db, &c, n > 0 ? (del ? "deleted" :
		    "restored") : del ? "already deleted" : "not deleted",
		    ids[i], detail, &err);
	}
	wb_free(ids);
	return finish(cli, db, &c, rc, &err);
}

/* runs purge [--older-than DAYS] [RUN...]. */
static int
purge(struct cli *cli, int argc, char **argv, const struct life_opts *o)
{
	struct changes	 c = { NULL, 0 };
	struct db	*db;
	struct wb_err	 err, why;
	int64_t		*ids = NULL, pts, before = 0, total = 0;
	size_t		 nid = 0, i, refused = 0;
	int		 rc = WB_OK;
	char		 detail[64];

	if (o->filter != NULL)
		return cli_usage("mlwb runs purge [--older-than DAYS] [RUN...]");
	if ((db = open_rw(cli)) == NULL)
		return EXIT_FAIL;
	if (o->older_than >= 0)
		before = db_now_ms() - (int64_t)o->older_than * 86400000;
	if (argc > 0)
		rc = target_ids(db, argc, argv, o, QS_ALL, &ids, &nid, &err);
	else
		rc = db_life_purgeable(db, o->older_than >= 0 ? before : 0,
		    &ids, &nid, &err);
	for (i = 0; i < nid && rc == WB_OK; i++) {
		if (db_life_purge_check(db, ids[i], &why) != WB_OK) {
			if (why.code != WB_EINVAL) {
				err = why;
				rc = why.code;
				break;
			}
			/* Named, and the others still go. */
			fprintf(stderr, "mlwb: %s\n", why.msg);
			refused++;
			continue;
		}
		if ((rc = change_row(db, &c, "purged", ids[i], NULL, &err)) !=
		    WB_OK || (rc = db_life_purge(db, ids[i], &pts, &err)) !=
		    WB_OK)
			break;
		snprintf(detail, sizeof detail, "%" PRId64 " point%s", pts,
		    pts == 1 ? "" : "s");
		snprintf(c.row[c.n - 1][4], sizeof c.row[c.n - 1][4], "%s",
		    detail);
		total += pts;
	}
	wb_free(ids);
	i = c.n;
	if ((rc = finish(cli, db, &c, rc, &err)) != EXIT_OK)
		return rc;
	if (!cli->quiet)
		fprintf(stderr, "mlwb: purged %zu run%s and %" PRId64
		    " metric point%s%s\n", i, i == 1 ? "" : "s", total,
		    total == 1 ? "" : "s", refused ? "; the runs named above "
		    "are kept" : "");
	return refused ? EXIT_FAIL : EXIT_OK;
}

static int
rename_run(struct cli *cli, int argc, char **argv)
{
	struct changes	 c = { NULL, 0 };
	struct db	*db;
	struct wb_err	 err;
	struct run	 r;
	int64_t		 id;
	int		 rc;

	if (argc != 2)
		return cli_usage("mlwb runs rename RUN NEW-NAME");
	if ((db = open_rw(cli)) == NULL)
		return EXIT_FAIL;
	if ((rc = db_run_resolve(db, argv[0], &id, &err)) != WB_OK ||
	    (rc = db_run_get(db, id, &r, &err)) != WB_OK)
		return finish(cli, db, NULL, rc, &err);
	if ((rc = db_life_rename(db, id, argv[1], &err)) == WB_OK)
		rc = change_row(db, &c, "renamed", id, r.name, &err);
	run_clear(&r);
	return finish(cli, db, &c, rc, &err);
}

static int
tag_run(struct cli *cli, int argc, char **argv, const struct life_opts *o)
{
	struct changes	 c = { NULL, 0 };
	struct db	*db;
	struct wb_err	 err;
	int64_t		 id;
	char		*k, *eq;
	int		 i, rc, ch, any = 0;

	if (argc < 1 || (argc == 1 && o->nremove == 0))
		return cli_usage("mlwb runs tag RUN KEY=VALUE... "
		    "[--remove KEY]...");
	for (i = 1; i < argc; i++)
		if (strchr(argv[i], '=') == NULL || argv[i][0] == '=') {
			cli_error("runs tag: '%s': expected KEY=VALUE",
			    argv[i]);
			return EXIT_USAGE;
		}
	if ((db = open_rw(cli)) == NULL)
		return EXIT_FAIL;
	if ((rc = db_run_resolve(db, argv[0], &id, &err)) != WB_OK)
		return finish(cli, db, NULL, rc, &err);
	for (i = 0; i < o->nremove && rc == WB_OK; i++) {
		rc = db_life_tag(db, id, o->remove[i], NULL, &ch, &err);
		any |= ch;
	}
	for (i = 1; i < argc && rc == WB_OK; i++) {
		k = xstrdup(argv[i]);
		eq = strchr(k, '=');
		*eq = '\0';
		rc = db_life_tag(db, id, k, eq + 1, &ch, &err);
		any |= ch;
		free(k);
	}
	if (rc == WB_OK)
		rc = change_row(db, &c, any ? "tagged" : "unchanged", id, NULL,
		    &err);
	return finish(cli, db, &c, rc, &err);
}

/* runs note RUN: print the note (text, or a row in CSV/JSON). */
static int
note_print(struct cli *cli, struct db *db, int64_t id)
{
	struct wb_err	 err;
	struct run	 r;
	struct out	*o;
	char		*note = NULL;

	if (db_life_note_get(db, id, &note, &err) != WB_OK ||
	    db_run_get(db, id, &r, &err) != WB_OK) {
		wb_free(note);
		db_rollback(db);
		db_close(db);
		return cli_fail(&err);
	}
	db_rollback(db);
	db_close(db);
	if (cli->format == OUT_CSV || cli->format == OUT_JSON) {
		o = out_new(stdout, cli->format);
		out_col(o, "uuid", OUT_TEXT);
		out_col(o, "name", OUT_TEXT);
		out_col(o, "note", OUT_TEXT);
		out_text(o, r.uuid);
		out_text(o, r.name);
		out_text(o, note);
		out_end_row(o);
		out_finish(o);
	} else if (note != NULL)
		printf("%s\n", note);
	run_clear(&r);
	wb_free(note);
	return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
}

static int
note_run(struct cli *cli, int argc, char **argv, const struct life_opts *o)
{
	struct db	*db;
	struct wb_err	 err;
	int64_t		 id;
	char		*old = NULL, *text = NULL, msg[256];
	int		 rc, changed = 1;

	if (argc < 1 || argc > 2 || (argc == 2 && o->edit))
		return cli_usage("mlwb runs note RUN [TEXT | --edit]");
	if ((db = open_rw(cli)) == NULL)
		return EXIT_FAIL;
	if ((rc = db_run_resolve(db, argv[0], &id, &err)) != WB_OK)
		return finish(cli, db, NULL, rc, &err);
	if (argc == 1 && !o->edit)
		return note_print(cli, db, id);
	if (o->edit) {
		if ((rc = db_life_note_get(db, id, &old, &err)) != WB_OK)
			return finish(cli, db, NULL, rc, &err);
		/* Not inside the transaction: an editor may take minutes. */
		db_rollback(db);
		if (editor_edit(old, "note", &text, &changed, msg,
		    sizeof msg) != 0) {
			wb_free(old);
			db_close(db);
			cli_error("%s", msg);
			return EXIT_FAIL;
		}
		wb_free(old);
		if (!changed) {
			free(text);
			db_close(db);
			if (!cli->quiet)
				fprintf(stderr, "mlwb: note unchanged\n");
			return EXIT_OK;
		}
		if ((rc = db_begin(db, &err)) != WB_OK) {
			free(text);
			db_close(db);
			return cli_fail(&err);
		}
		rc = db_life_note_set(db, id, text, &err);
		free(text);
	} else
		rc = db_life_note_set(db, id, argv[1], &err);
	if (rc == WB_OK && !cli->quiet)
		fprintf(stderr, "mlwb: note saved\n");
	return finish(cli, db, NULL, rc, &err);
}

int
life_runs(struct cli *cli, int argc, char **argv, const struct life_opts *o)
{
	const char	*sub = argv[0];

	argc--;
	argv++;
	if (strcmp(sub, "note") != 0 && cli->format == OUT_AUTO &&
	    cli->read_only) {
		cli_error("runs %s: the workspace is opened read-only", sub);
		return EXIT_FAIL;
	}
	if (strcmp(sub, "delete") == 0)
		return delete_restore(cli, 1, argc, argv, o);
	if (strcmp(sub, "restore") == 0)
		return delete_restore(cli, 0, argc, argv, o);
	if (strcmp(sub, "purge") == 0)
		return purge(cli, argc, argv, o);
	if (strcmp(sub, "rename") == 0)
		return rename_run(cli, argc, argv);
	if (strcmp(sub, "tag") == 0)
		return tag_run(cli, argc, argv, o);
	return note_run(cli, argc, argv, o);
}

/* exp rename OLD NEW | exp delete NAME... | exp restore NAME... */
int
life_exp(struct cli *cli, int argc, char **argv)
{
	const char	*sub = argv[0];
	struct db	*db;
	struct out	*o;
	struct wb_err	 err;
	int64_t		 id, dat;
	const char	*act[64];
	int		 i, rc = WB_OK, ch, del, n = 0;

	if (strcmp(sub, "rename") == 0 && argc != 3)
		return cli_usage("mlwb exp rename NAME NEW-NAME");
	if (strcmp(sub, "rename") != 0 && (argc < 2 || argc > 65))
		return cli_usage("mlwb exp delete|restore NAME...");
	if ((db = open_rw(cli)) == NULL)
		return EXIT_FAIL;
	del = strcmp(sub, "delete") == 0;
	if (strcmp(sub, "rename") == 0) {
		if ((rc = db_exp_find_any(db, argv[1], &id, &dat, &err)) ==
		    WB_OK)
			rc = db_exp_rename(db, id, argv[2], &err);
		act[n++] = "renamed";
	} else {
		for (i = 1; i < argc && rc == WB_OK; i++) {
			if ((rc = db_exp_find_any(db, argv[i], &id, &dat,
			    &err)) != WB_OK ||
			    (rc = db_exp_set_deleted(db, id, del, &ch, &err)) !=
			    WB_OK)
				break;
			act[n++] = !ch ? (del ? "already deleted" :
			    "not deleted") : del ? "deleted" : "restored";
		}
	}
	if ((rc = finish(cli, db, NULL, rc, &err)) != EXIT_OK)
		return rc;
	o = out_new(stdout, cli->format);
	out_col(o, "action", OUT_TEXT);
	out_col(o, "experiment", OUT_TEXT);
	out_col(o, "was", OUT_TEXT);
	for (i = 0; i < n; i++) {
		out_text(o, act[i]);
		out_text(o, strcmp(sub, "rename") == 0 ? argv[2] :
		    argv[i + 1]);
		out_text(o, strcmp(sub, "rename") == 0 ? argv[1] : NULL);
		out_end_row(o);
	}
	out_finish(o);
	return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
}
