/*
 * db_merge: `mlwb merge FILE` as a sync (db_sync.c) from a file opened
 * read-only on its own connection.  The file is checked before anything
 * is committed: a damaged one is refused with the damage named, rather
 * than copied into this one.  The check reads every page of the file,
 * as long as a fifth of the whole merge: it runs in a thread, on a
 * connection of its own, while the sync copies (the other core), and the
 * sync commits only once the check has found nothing (db_sync_checked).
 */
#include "config.h"

#include "db_merge.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_internal.h"
#include "err.h"

/*
 * Damage in the other file (db: its own connection) is named and nothing
 * is merged, rather than copied into this one: SQLite's quick_check
 * (structure, indexes, NOT NULL), its foreign keys, then doctor's own
 * metric check (summaries against chunks, db_doctor_summaries).  Each
 * gives one line per problem.
 */
static const char *const damage_checks[] = {
	"PRAGMA quick_check",	/* "ok", or one row per problem */
	"PRAGMA foreign_key_check",	/* table, rowid, parent, fkid */
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

/* WB_EDB naming the first problems found in db, or WB_OK. */
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
			/* quick_check may name the schema: "main" says nothing. */
			if (t != NULL && strncmp(t, "*** in database main ***",
			    24) == 0)
				t += t[24] == '\n' ? 25 : 24;
			/* A chunk of an import not yet published: unseen. */
			if (i == 1 && t != NULL &&
			    strcmp(t, "metric_chunks") == 0 &&
			    db_doctor_pending_chunk(db, "",
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
	if (d.n == 0 && db_doctor_summaries(db, "", damage_line, &d,
	    &perr) != WB_OK)
		damage_line(&d, perr.msg);
	if (d.n == 0)
		return WB_OK;
	return wb_err_set(err, WB_EDB, "%s: damaged, nothing merged: %s%s "
	    "(mlwb --db %s --read-only doctor names every problem)", path,
	    d.first, d.n > 1 ? " (and more)" : "", path);
}

/* The check of the other file in a thread (check_main, check_ready). */
struct check {
	const char	*path;
	pthread_t	 tid;
	int		 running;
	int		 rc;
	struct wb_err	 err;
};

static void *
check_main(void *arg)
{
	struct check	*c = arg;
	struct db	*db;

	if ((c->rc = db_open(c->path, DB_READONLY | DB_NOCREATE, &db,
	    &c->err)) != WB_OK)
		return NULL;
	/* Every page is read: through a map, not a read() each. */
	db_hint(db, DB_HINT_READ_ALL);
	c->rc = other_damage(db, c->path, &c->err);
	db_close(db);
	return NULL;
}

/* db_sync_checked's ready: the check's verdict, once it is done. */
static int
check_ready(void *arg, struct wb_err *err)
{
	struct check	*c = arg;

	if (c->running) {
		pthread_join(c->tid, NULL);
		c->running = 0;
	}
	if (c->rc != WB_OK) {
		*err = c->err;
		return c->rc;
	}
	return WB_OK;
}

int
db_merge(struct db *db, const char *path, sync_conflict_fn *conflict,
    void *arg, struct sync_stats *st, struct wb_err *err)
{
	struct check	 c;
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
	db_hint(other, DB_HINT_READ_ALL);
	memset(&c, 0, sizeof c);
	c.path = path;
	if (other->ops == &db_sqlite_ops)
		c.running = pthread_create(&c.tid, NULL, check_main, &c) == 0;
	/*
	 * No thread: the check first, as the sync would wait for it anyway.
	 * (With one, c is the thread's until check_ready joins it.)
	 */
	if (other->ops == &db_sqlite_ops && !c.running &&
	    (c.rc = other_damage(other, path, &c.err)) != WB_OK) {
		db_close(other);
		if (err != NULL)
			*err = c.err;
		return c.rc;
	}
	rc = db_sync_checked(db, other, db_label(other), NULL, conflict, arg,
	    other->ops == &db_sqlite_ops ? check_ready : NULL, &c, st, err);
	db_close(other);
	return rc;
}
