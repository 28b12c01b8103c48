/*
 * db_merge: `mlwb merge FILE` as a sync (db_sync.c) from a file opened
 * read-only on its own connection.  Before anything is copied, the file
 * is checked: a damaged one is refused with the damage named, rather
 * than copied into this one.
 */
#include "config.h"

#include "db_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_internal.h"
#include "err.h"

/*
 * Damage in the other file (db: its own connection) is named and nothing
 * is merged, rather than copied into this one: SQLite's quick_check (structure, indexes, NOT
 * NULL), its foreign keys, and the two metric checks of `mlwb doctor`
 * (summaries against chunks).  Each query gives one line per problem.
 */
static const char *const damage_checks[] = {
	"PRAGMA quick_check",	/* "ok", or one row per problem */
	"PRAGMA foreign_key_check",	/* table, rowid, parent, fkid */
	"SELECT 'run ' || r.uuid || ': metric summary says ' || s.count ||"
	" ' points, its chunks hold ' || coalesce((SELECT sum(n) FROM"
	" metric_chunks c WHERE c.run_id = s.run_id AND c.key_id ="
	" s.key_id), 0) FROM metric_summary s JOIN runs r"
	" ON r.id = s.run_id WHERE s.count <> coalesce((SELECT sum(n) FROM"
	" metric_chunks c WHERE c.run_id = s.run_id AND c.key_id ="
	" s.key_id), 0)",
	"SELECT 'run ' || r.uuid || ': metric chunks without a summary'"
	" FROM (SELECT DISTINCT run_id, key_id FROM metric_chunks) c"
	" JOIN runs r ON r.id = c.run_id WHERE NOT EXISTS (SELECT 1"
	" FROM metric_summary s WHERE s.run_id = c.run_id AND"
	" s.key_id = c.key_id)",
};

/* WB_EDB naming the first problems found in other, or WB_OK. */
static int
other_damage(struct db *db, const char *path, struct wb_err *err)
{
	struct wb_err	 perr;
	char		 first[160] = "";
	struct db_stmt	*st;
	const char	*t;
	size_t		 i;
	long		 n = 0;
	int		 rc = DB_DONE;

	for (i = 0; i < sizeof damage_checks / sizeof damage_checks[0]; i++) {
		if ((st = db_prepare_once(db, damage_checks[i], &perr)) ==
		    NULL) {
			/* So damaged that the check cannot even run. */
			snprintf(first, sizeof first, "%s",
			    db->ops->errmsg(db));
			n++;
			break;
		}
		while ((rc = db_step(st)) == DB_ROW) {
			t = db_column_text(st, 0);
			if (i == 0 && t != NULL && strcmp(t, "ok") == 0)
				continue;
			/* quick_check may name the schema: "main" says nothing. */
			if (t != NULL && strncmp(t, "*** in database main ***",
			    24) == 0)
				t += t[24] == '\n' ? 25 : 24;
			if (n++ > 0)
				continue;
			if (i == 1)
				snprintf(first, sizeof first, "foreign key: %s "
				    "row %lld refers to a missing %s row", t ? t :
				    "?", (long long)db_column_int64(st, 1),
				    db_column_text(st, 2) ? db_column_text(st, 2) :
				    "?");
			else
				snprintf(first, sizeof first, "%s", t ? t :
				    "(null)");
		}
		if (rc != DB_DONE && n++ == 0)
			snprintf(first, sizeof first, "%s",
			    db->ops->errmsg(db));
		db_finalize(st);
		if (n > 0)
			break;
	}
	if (n == 0)
		return WB_OK;
	return wb_err_set(err, WB_EDB, "%s: damaged, nothing merged: %s%s "
	    "(mlwb --db %s --read-only doctor names every problem)", path,
	    first, n > 1 ? " (and more)" : "", path);
}

int
db_merge(struct db *db, const char *path, sync_conflict_fn *conflict,
    void *arg, struct sync_stats *st, struct wb_err *err)
{
	struct db	*other;
	char		*a, *b;
	int		 rc, same;

	memset(st, 0, sizeof *st);
	if (access(path, R_OK) != 0 && !db_is_url(path))
		return wb_err_set(err, WB_EIO, "%s: cannot read it", path);
	a = realpath(path, NULL);
	b = realpath(db_path(db), NULL);
	same = a != NULL && b != NULL ? strcmp(a, b) == 0 :
	    strcmp(path, db_path(db)) == 0;
	free(a);
	free(b);
	if (same)
		return wb_err_set(err, WB_EINVAL, "%s: cannot merge a "
		    "workspace into itself", path);
	if ((rc = db_open(path, DB_READONLY | DB_NOCREATE, &other, err)) !=
	    WB_OK)
		return rc;
	if (other->ops == &db_sqlite_ops &&
	    (rc = other_damage(other, path, err)) != WB_OK) {
		db_close(other);
		return rc;
	}
	rc = db_sync(db, other, db_label(other), NULL, conflict, arg, st, err);
	db_close(other);
	return rc;
}
