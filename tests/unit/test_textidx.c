/*
 * test_textidx: the runs list's plain-text filter through the FTS5
 * trigram index (src/db_textidx.c) gives exactly what the scan gives.
 * A workspace of varied runs (accents in both cases, CJK, emoji, LIKE's
 * own characters, quotes, spaces) is filtered by patterns of every
 * length, through the index and through the scan, in every scope, after
 * each kind of change: inserts, renames, param updates (also INSERT OR
 * REPLACE, which fires no delete trigger), tag removal, soft delete,
 * purge and a plain DELETE.  Then a workspace of the previous schema
 * (no index) is migrated and gives the same answers.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_internal.h"
#include "db_life.h"
#include "db_run.h"
#include "db_runlist.h"
#include "db_textidx.h"
#include "err.h"
#include "mem.h"
#include "query.h"
#include "tap.h"

static struct db *db;

static const char *const words[] = {
	"run-", "Résumé", "RÉSUMÉ", "straße", "STRASSE", "日本語", "🚀 ",
	"100%", "a_b", "back\\slash", "quo\"te", "AdAm", "adam", "sgd",
	"lr=0.01", " ", "x", "éé", "Ω", "ω", "--",
};
#define NWORDS (sizeof words / sizeof words[0])

static const char *const patterns[] = {
	"a", "é", "É", "ru", "日本", "🚀", "%", "_", "\\", "\"", "run",
	"RUN-1", "un-1", "100%", "0%", "a_b", "ab", "sse", "straße", "STRASSE",
	"日本語", "本語", "🚀 r", "adam", "ADAM", "lr", "0.01", "lr=0.0",
	"Résumé", "résumé", "RÉSUMÉ", "ésu", "ÉSU", "back\\s", "o\"t",
	"quo\"te", "run-1 ", "-1", "éée", "Ωω", "ωΩ", "zzzz", "run-7run",
	"opt", "OPTIM", "team", "am ", "ÿÿÿ", "e\xff" "ab",
};
#define NPATTERNS (sizeof patterns / sizeof patterns[0])

static uint32_t seed = 12345;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

/* A string of one to four words and maybe a number. */
static void
phrase(char *buf, size_t len)
{
	int	n = 1 + (int)(rnd() % 4), i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		strncat(buf, words[rnd() % NWORDS], len - strlen(buf) - 1);
	if (rnd() % 2)
		snprintf(buf + strlen(buf), len - strlen(buf), "%u",
		    rnd() % 200);
}

static void
add_runs(int n)
{
	struct wb_err	 err;
	struct run_new	 r;
	char		 name[256], v[256];
	int64_t		 exp, id;
	int		 i;

	if (db_exp_ensure(db, "e1", &exp, &err) != WB_OK)
		abort();
	for (i = 0; i < n; i++) {
		phrase(name, sizeof name);
		memset(&r, 0, sizeof r);
		r.experiment_id = exp;
		r.name = name;
		r.git_dirty = -1;
		if (db_run_insert(db, &r, &id, &err) != WB_OK)
			abort();
		phrase(v, sizeof v);
		if (db_param_set(db, id, rnd() % 2 ? "optimizer" : "lr", v,
		    &err) != WB_OK)
			abort();
		if (rnd() % 3 == 0) {
			phrase(v, sizeof v);
			if (db_tag_set(db, id, rnd() % 2 ? "team" : "Ω-key",
			    v, &err) != WB_OK)
				abort();
		}
	}
}

/* Count and ids of q's matches, through the index or the scan. */
static char *
matches(struct runlist_query *q, int scan)
{
	struct wb_err		 err;
	struct runlist_row	*rows;
	size_t			 n, i;
	int64_t			 cnt;
	char			*s, *p;

	db->text_index = scan ? 1 : 0;	/* 1: known to have none */
	if (db_runlist_count(db, q, &cnt, &err) != WB_OK ||
	    db_runlist_page(db, q, 0, 100000, &rows, &n, &err) != WB_OK) {
		db->text_index = 0;
		return wb_strdup(err.msg);
	}
	db->text_index = 0;
	if ((s = p = wb_malloc(32 + n * 21)) == NULL)
		abort();
	p += sprintf(p, "%lld:", (long long)cnt);
	for (i = 0; i < n; i++)
		p += sprintf(p, " %lld", (long long)rows[i].id);
	runlist_rows_free(rows, n);
	return s;
}

/*
 * Every pattern in every scope through the index and the scan: the
 * patterns that disagree; *seen (may be NULL) gets the matches counted.
 */
static long
differ(long *seen_out)
{
	static const enum q_scope scopes[] = { QS_LIVE, QS_DELETED, QS_ALL };
	struct runlist_query	q;
	char			*a, *b;
	size_t			i, s;
	long			seen = 0, bad = 0;

	for (s = 0; s < 3; s++)
		for (i = 0; i < NPATTERNS; i++) {
			memset(&q, 0, sizeof q);
			q.sort = RL_SORT_NAME;
			q.scope = scopes[s];
			q.filter = patterns[i];
			a = matches(&q, 0);
			b = matches(&q, 1);
			if (strcmp(a, b) != 0) {
				if (bad++ < 3)
					printf("# '%s' scope %zu: index %.60s,"
					    " scan %.60s\n", patterns[i], s, a,
					    b);
			} else
				seen += strtol(b, NULL, 10);
			wb_free(a);
			wb_free(b);
		}
	if (seen_out != NULL)
		*seen_out = seen;
	return bad;
}

static long
compare_all(const char *when)
{
	long	seen;

	is_int(differ(&seen), 0, when);
	return seen;
}

static void
doctor_line(void *arg, const char *line)
{
	(*(int *)arg)++;
	printf("# doctor: %s\n", line);
}

static int
doctor_problems(void)
{
	struct wb_err	err;
	int		n = 0, problems = 0;

	if (db_doctor_quick(db, doctor_line, &n, &problems, &err) != WB_OK)
		return -1;
	return n;
}

static void
mutate(void)
{
	struct wb_err	err;
	int64_t		n, pts;
	int		changed, i;
	char		name[256];

	for (i = 1; i <= 40; i += 3) {		/* renames */
		phrase(name, sizeof name);
		if (db_life_rename(db, i, name, &err) != WB_OK)
			abort();
	}
	for (i = 2; i <= 60; i += 5)		/* updates */
		if (db_param_set(db, i, "optimizer", "RÉSUMÉ-new", &err) !=
		    WB_OK)
			abort();
	for (i = 3; i <= 90; i += 3)		/* tag removal */
		if (db_life_tag(db, i, "team", NULL, &changed, &err) != WB_OK)
			abort();
	for (i = 5; i <= 120; i += 7)		/* soft delete */
		if (db_life_delete(db, i, 0, &n, &err) != WB_OK)
			abort();
	for (i = 12; i <= 120; i += 14)		/* purge (deleted ones) */
		if (db_life_purge(db, i, &pts, &err) != WB_OK)
			abort();
	if (db_exec(db, "INSERT OR REPLACE INTO params (run_id, key, value)"
	    " SELECT run_id, key, 'replaced-日本' FROM params WHERE"
	    " run_id % 11 = 0", &err) != WB_OK ||
	    db_exec(db, "DELETE FROM runs WHERE id % 13 = 0", &err) != WB_OK ||
	    db_exec(db, "UPDATE tags SET value = upper(value) WHERE"
	    " run_id % 4 = 0", &err) != WB_OK)
		abort();
}

int
main(void)
{
	struct wb_err	 err;
	char		 dir[] = "/tmp/mlwb-test-textidx-XXXXXX", path[128];
	char		*m;
	long		 seen;

	/* The query the index is asked. */
	ok(db_textidx_match("ab") == NULL, "two characters: no trigram");
	ok(db_textidx_match("日本") == NULL, "two CJK characters either");
	m = db_textidx_match("run-9");
	is_str(m, "\"run\" AND \"un-\" AND \"n-9\"", "trigrams ANDed");
	wb_free(m);
	m = db_textidx_match("a\"bc");
	is_str(m, "\"a\"\"b\" AND \"\"\"bc\"", "quotes doubled");
	wb_free(m);
	ok(db_textidx_match("ab\xff" "cd") == NULL, "not UTF-8: scan");

	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof path, "%s/w.db", dir);
	if (db_open(path, 0, &db, &err) != WB_OK)
		abort();
	ok(db_textidx_usable(db, NULL, 0), "a new workspace has the index");
	add_runs(400);
	seen = compare_all("fresh runs: index equals scan");
	ok(seen > 1000, "the patterns match runs (%ld)", seen);
	is_int(doctor_problems(), 0, "doctor: the index is in step");
	mutate();
	compare_all("after renames, updates, tag removal, deletes, purges");
	is_int(doctor_problems(), 0, "doctor: still in step");
	add_runs(100);
	compare_all("more runs after the changes");

	/*
	 * The same kinds of change in one bulk write (db_textidx_defer):
	 * the triggers set aside, the index settled at the commit.  The
	 * deletes free the highest ids, which SQLite gives again to the
	 * rows and runs inserted after them.
	 */
	if (db_begin(db, &err) != WB_OK ||
	    db_exec(db, "DELETE FROM runs WHERE id = (SELECT max(id) FROM"
	    " runs)", &err) != WB_OK ||
	    db_textidx_defer(db, &err) != WB_OK)
		abort();
	ok(db->text_deferred, "a bulk write sets the index aside");
	if (db_exec(db, "DELETE FROM runs WHERE id = (SELECT max(id) FROM"
	    " runs)", &err) != WB_OK ||
	    db_exec(db, "DELETE FROM run_text WHERE id = (SELECT max(id) FROM"
	    " run_text)", &err) != WB_OK)
		abort();
	add_runs(60);
	if (db_exec(db, "UPDATE runs SET name = name || '-Ω' WHERE id % 5 = 1;"
	    "UPDATE params SET value = 'RÉSUMÉ-bulk' WHERE run_id % 7 = 2;"
	    "INSERT OR REPLACE INTO params (run_id, key, value) SELECT run_id,"
	    " key, 'replaced-bulk' FROM params WHERE run_id % 9 = 0;"
	    "INSERT INTO params (run_id, key, value) SELECT id, 'bulk-new',"
	    " name FROM runs WHERE id % 4 = 1 ON CONFLICT DO NOTHING;"
	    "DELETE FROM tags WHERE run_id % 6 = 0;"
	    "DELETE FROM runs WHERE id % 17 = 0", &err) != WB_OK)
		abort();
	add_runs(60);
	if (db_exec(db, "UPDATE params SET value = 'late-' || value WHERE"
	    " run_id % 3 = 0", &err) != WB_OK ||
	    db_commit(db, &err) != WB_OK) {
		printf("# %s\n", err.msg);
		abort();
	}
	ok(!db->text_deferred, "and the commit settles it");
	ok(db_exec(db, "INSERT INTO run_fts (run_fts, rank) VALUES"
	    " ('integrity-check', 1)", &err) == WB_OK,
	    "FTS5 finds its index in step with run_text");
	compare_all("after a bulk write of every kind of change");
	is_int(doctor_problems(), 0, "doctor: in step after the bulk write");
	/*
	 * The mirror row with the highest id changes in a bulk write: its
	 * trigger deletes it and inserts it again, under the same id.
	 */
	if (db_exec(db, "INSERT INTO tags (run_id, key, value) SELECT"
	    " max(id), 'last-tag', 'before-zq9' FROM runs", &err) != WB_OK ||
	    db_begin(db, &err) != WB_OK ||
	    db_textidx_defer(db, &err) != WB_OK ||
	    db_exec(db, "UPDATE tags SET value = 'after-zq9' WHERE key ="
	    " 'last-tag'", &err) != WB_OK ||
	    db_commit(db, &err) != WB_OK)
		abort();
	ok(db_exec(db, "INSERT INTO run_fts (run_fts, rank) VALUES"
	    " ('integrity-check', 1)", &err) == WB_OK,
	    "a row back under its indexed id is indexed again");
	{
		struct runlist_query	q;
		char			*a;

		memset(&q, 0, sizeof q);
		q.sort = RL_SORT_NAME;
		q.scope = QS_ALL;
		q.filter = "after-zq9";
		a = matches(&q, 0);
		ok(strncmp(a, "1:", 2) == 0, "and the filter finds its new"
		    " value (%s)", a);
		wb_free(a);
	}

	/* A workspace of schema 11, without the index, is migrated. */
	if (db_exec(db, "DROP TRIGGER runs_text_ai; DROP TRIGGER runs_text_au;"
	    " DROP TRIGGER runs_text_ad; DROP TRIGGER params_text_ai;"
	    " DROP TRIGGER params_text_au; DROP TRIGGER params_text_ad;"
	    " DROP TRIGGER tags_text_ai; DROP TRIGGER tags_text_au;"
	    " DROP TRIGGER tags_text_ad; DROP TABLE run_fts;"
	    " DROP TABLE run_text; PRAGMA user_version = 11", &err) != WB_OK)
		abort();
	add_runs(50);	/* written by schema 11: nothing mirrors them */
	db_close(db);
	if (db_open(path, 0, &db, &err) != WB_OK)
		abort();
	ok(db_textidx_usable(db, NULL, 0), "the migration built the index");
	compare_all("migrated workspace: index equals scan");
	is_int(doctor_problems(), 0, "doctor: migrated index in step");
	if (db_exec(db, "DELETE FROM run_text WHERE id % 2 = 0", &err) !=
	    WB_OK)
		abort();
	ok(doctor_problems() == 1, "doctor names an index out of step");
	ok(differ(NULL) > 0, "and the filter does read the index");
	db_close(db);
	unlink(path);
	snprintf(path, sizeof path, "%s/w.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/w.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
