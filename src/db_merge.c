/*
 * db_merge: workspace merge through ATTACH and INSERT ... SELECT.
 *
 * Metric keys are matched by name (their ids differ between files), and
 * experiments by name (two boxes that both ran "cifar10" mean the same
 * experiment).  Only runs absent here are copied, so a run that kept
 * changing on its box after an earlier merge is not refreshed: merge the
 * finished work.  Registry, drift reports and jobs stay with their box.
 */
#include "config.h"

#include "db_merge.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db_internal.h"
#include "err.h"

static int
pragma_other(struct db *db, const char *sql, int64_t *v)
{
	struct db_stmt *st;
	int		 rc;

	if ((st = db_prepare_once(db, sql, NULL)) == NULL)
		return -1;
	rc = db_step(st);
	*v = db_column_int64(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

static int
other_check(struct db *db, struct wb_err *err, const char *path)
{
	int64_t	appid, ver;

	if (pragma_other(db, "PRAGMA other.application_id", &appid) != 0 ||
	    pragma_other(db, "PRAGMA other.user_version", &ver) != 0)
		return wb_err_set(err, WB_EDB, "%s: cannot read it: %s", path,
		    db->ops->errmsg(db));
	if (appid != 1835824994)
		return wb_err_set(err, WB_EVERSION, "%s: not an mlwb "
		    "workspace", path);
	if (ver != DB_SCHEMA_VERSION)
		return wb_err_set(err, WB_EVERSION, "%s: schema version %lld, "
		    "this mlwb has %d: open it with this mlwb once (mlwb --db "
		    "%s init) or upgrade", path, (long long)ver,
		    DB_SCHEMA_VERSION, path);
	return WB_OK;
}

/*
 * Damage in the other file is named and nothing is merged, rather than
 * copied into this one: SQLite's quick_check (structure, indexes, NOT
 * NULL), its foreign keys, then doctor's own metric check (summaries
 * against chunks, db_doctor_summaries).  Each gives one line per problem.
 */
static const char *const damage_checks[] = {
	"PRAGMA other.quick_check",	/* "ok", or one row per problem */
	"PRAGMA other.foreign_key_check",	/* table, rowid, parent, fkid */
};

struct damage {
	char	first[256];	/* as long as a wb_err message */
	long	n;
};

static void
damage_line(void *arg, const char *t)
{
	struct damage	*d = arg;

	if (d->n++ == 0)
		snprintf(d->first, sizeof d->first, "%s", t);
}

/* WB_EDB naming the first problems found in other, or WB_OK. */
static int
other_damage(struct db *db, const char *path, struct wb_err *err)
{
	struct wb_err	 perr;
	struct damage	 d;
	char		 buf[160];
	struct db_stmt	*st;
	const char	*t;
	size_t		 i;
	int		 rc = DB_DONE;

	memset(&d, 0, sizeof d);
	for (i = 0; i < sizeof damage_checks / sizeof damage_checks[0]; i++) {
		if ((st = db_prepare_once(db, damage_checks[i], &perr)) ==
		    NULL) {
			/* So damaged that the check cannot even run. */
			damage_line(&d, db->ops->errmsg(db));
			break;
		}
		while ((rc = db_step(st)) == DB_ROW) {
			t = db_column_text(st, 0);
			if (i == 0 && t != NULL && strcmp(t, "ok") == 0)
				continue;
			/* quick_check names the schema: "other" means nothing. */
			if (t != NULL && strncmp(t, "*** in database other ***",
			    25) == 0)
				t += t[25] == '\n' ? 26 : 25;
			/* A chunk of an import not yet published: unseen. */
			if (i == 1 && t != NULL &&
			    strcmp(t, "metric_chunks") == 0 &&
			    db_doctor_pending_chunk(db, "other.",
			    db_column_int64(st, 1)))
				continue;
			if (i == 1) {
				snprintf(buf, sizeof buf, "foreign key: %s row "
				    "%lld refers to a missing %s row", t ? t :
				    "?", (long long)db_column_int64(st, 1),
				    db_column_text(st, 2) ? db_column_text(st, 2) :
				    "?");
				t = buf;
			}
			damage_line(&d, t ? t : "(null)");
		}
		if (rc != DB_DONE)
			damage_line(&d, db->ops->errmsg(db));
		db_finalize(st);
		if (d.n > 0)
			break;
	}
	if (d.n == 0 && db_doctor_summaries(db, "other.", damage_line, &d,
	    &perr) != WB_OK)
		damage_line(&d, perr.msg);
	if (d.n == 0)
		return WB_OK;
	return wb_err_set(err, WB_EDB, "%s: damaged, nothing merged: %s%s "
	    "(mlwb --db %s --read-only doctor names every problem)", path,
	    d.first, d.n > 1 ? " (and more)" : "", path);
}

/* The steps, in order; each is one statement over attached "other". */
static const char *const merge_steps[] = {
	/* Runs to copy: those whose UUID is not here. */
	"CREATE TEMP TABLE merge_runs AS SELECT o.id AS oid, o.uuid"
	" FROM other.runs o WHERE o.uuid NOT IN (SELECT uuid FROM main.runs)",
	"INSERT INTO main.experiments (uuid, name, description, created_at,"
	" archived) SELECT e.uuid, e.name, e.description, e.created_at,"
	" e.archived FROM other.experiments e WHERE e.name NOT IN"
	" (SELECT name FROM main.experiments) AND e.uuid NOT IN"
	" (SELECT uuid FROM main.experiments) AND e.id IN (SELECT"
	" r.experiment_id FROM other.runs r JOIN merge_runs m ON m.oid = r.id)",
	"INSERT INTO main.runs (uuid, experiment_id, name, status, source,"
	" command, git_commit, git_dirty, host, \"user\", started_at, ended_at,"
	" exit_code, log_path, created_at, updated_at)"
	" SELECT r.uuid, (SELECT id FROM main.experiments x WHERE x.name ="
	" e.name), r.name, r.status, r.source, r.command, r.git_commit,"
	" r.git_dirty, r.host, r.user, r.started_at, r.ended_at, r.exit_code,"
	" r.log_path, r.created_at, r.updated_at FROM other.runs r"
	" JOIN merge_runs m ON m.oid = r.id"
	" JOIN other.experiments e ON e.id = r.experiment_id",
	"CREATE TEMP TABLE merge_map AS SELECT m.oid, n.id AS nid FROM"
	" merge_runs m JOIN main.runs n ON n.uuid = m.uuid",
	"INSERT INTO main.params (run_id, key, value) SELECT mm.nid, p.key,"
	" p.value FROM other.params p JOIN merge_map mm ON mm.oid = p.run_id",
	"INSERT INTO main.tags (run_id, key, value) SELECT mm.nid, t.key,"
	" t.value FROM other.tags t JOIN merge_map mm ON mm.oid = t.run_id",
	"INSERT INTO main.metric_keys (name) SELECT k.name FROM"
	" other.metric_keys k WHERE true ON CONFLICT DO NOTHING",
	"CREATE TEMP TABLE merge_keys AS SELECT o.id AS oid, n.id AS nid FROM"
	" other.metric_keys o JOIN main.metric_keys n ON n.name = o.name",
	"INSERT INTO main.metric_chunks (run_id, key_id, seq, n, step_min,"
	" step_max, v_min, v_max, ts_min, ts_max, blocks, points) SELECT"
	" mm.nid, mk.nid, c.seq, c.n, c.step_min, c.step_max, c.v_min,"
	" c.v_max, c.ts_min, c.ts_max, c.blocks, c.points"
	" FROM other.metric_chunks c"
	" JOIN merge_map mm ON mm.oid = c.run_id"
	" JOIN merge_keys mk ON mk.oid = c.key_id",
	"INSERT INTO main.metric_summary (run_id, key_id, count, nan_count,"
	" first, first_step, last, last_step, last_ts, min, min_step, max,"
	" max_step) SELECT mm.nid, mk.nid, s.count, s.nan_count, s.first,"
	" s.first_step, s.last, s.last_step, s.last_ts, s.min, s.min_step,"
	" s.max, s.max_step FROM other.metric_summary s"
	" JOIN merge_map mm ON mm.oid = s.run_id"
	" JOIN merge_keys mk ON mk.oid = s.key_id",
};

static int
count(struct db *db, const char *sql, int64_t *n, struct wb_err *err)
{
	struct db_stmt *st;

	if ((st = db_prepare_once(db, sql, err)) == NULL)
		return WB_EDB;
	*n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
	db_finalize(st);
	return WB_OK;
}

int
db_merge(struct db *db, const char *path, struct merge_stats *ms,
    struct wb_err *err)
{
	struct db_stmt *st;
	int64_t		 before_exp, after_exp, total;
	size_t		 i;
	int		 rc;

	memset(ms, 0, sizeof *ms);
	/* ATTACH: SQLite reads the other file within this connection. */
	if (db->ops != &db_sqlite_ops)
		return wb_err_set(err, WB_EINVAL, "%s: merge works into a "
		    "SQLite workspace file; for a shared store use mlwb push",
		    db->path);
	if (strcmp(path, db->path) == 0)
		return wb_err_set(err, WB_EINVAL, "%s: cannot merge a "
		    "workspace into itself", path);
	if (access(path, R_OK) != 0)
		return wb_err_set(err, WB_EIO, "%s: cannot read it", path);
	/*
	 * ATTACH cannot run inside a transaction: attach first, read-only
	 * through a URI (the path percent-encoded where URIs need it).
	 */
	{
		char		uri[4200];
		size_t		o = 0;
		const char	*p;

		o = (size_t)snprintf(uri, sizeof uri, "file:");
		for (p = path; *p && o + 4 < sizeof uri - 16; p++) {
			if (*p == '%' || *p == '?' || *p == '#')
				o += (size_t)snprintf(uri + o, sizeof uri - o,
				    "%%%02X", (unsigned char)*p);
			else
				uri[o++] = *p;
		}
		snprintf(uri + o, sizeof uri - o, "?mode=ro");
		if ((st = db_prepare_once(db, "ATTACH ?1 AS other", err)) ==
		    NULL)
			return WB_EDB;
		db_bind_text(st, 1, uri);
	}
	rc = db_step(st);
	db_finalize(st);
	if (rc != DB_DONE)
		return wb_err_set(err, WB_EDB, "%s: %s", path,
		    db->ops->errmsg(db));
	if ((rc = other_check(db, err, path)) != WB_OK ||
	    (rc = other_damage(db, path, err)) != WB_OK)
		goto detach;
	if ((rc = db_begin(db, err)) != WB_OK)
		goto detach;
	if ((rc = count(db, "SELECT count(*) FROM main.experiments",
	    &before_exp, err)) != WB_OK)
		goto fail;
	for (i = 0; i < sizeof merge_steps / sizeof merge_steps[0]; i++)
		if ((rc = db_exec(db, merge_steps[i], err)) != WB_OK)
			goto fail;
	if ((rc = count(db, "SELECT count(*) FROM merge_map", &ms->runs,
	    err)) != WB_OK ||
	    (rc = count(db, "SELECT count(*) FROM other.runs", &total, err))
	    != WB_OK ||
	    (rc = count(db, "SELECT coalesce(sum(s.count), 0) FROM"
	    " main.metric_summary s JOIN merge_map mm ON mm.nid = s.run_id",
	    &ms->points, err)) != WB_OK ||
	    (rc = count(db, "SELECT count(*) FROM main.experiments",
	    &after_exp, err)) != WB_OK)
		goto fail;
	ms->runs_skipped = total - ms->runs;
	ms->experiments = after_exp - before_exp;
	if ((rc = db_exec(db, "DROP TABLE temp.merge_runs;"
	    " DROP TABLE temp.merge_map; DROP TABLE temp.merge_keys", err)) !=
	    WB_OK)
		goto fail;
	if ((rc = db_commit(db, err)) != WB_OK)
		goto detach;
	db_exec(db, "DETACH other", NULL);
	return WB_OK;
fail:
	db_rollback(db);
	db_exec(db, "DROP TABLE IF EXISTS temp.merge_runs;"
	    " DROP TABLE IF EXISTS temp.merge_map;"
	    " DROP TABLE IF EXISTS temp.merge_keys", NULL);
detach:
	db_exec(db, "DETACH other", NULL);
	return rc;
}
