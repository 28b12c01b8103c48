/*
 * db_textidx: the index behind the runs list's plain-text filter.
 *
 * `/text` on the runs screen (and `runs ls --filter text`) keeps the runs
 * whose name, or a param's or tag's key or value, holds text, ASCII case
 * blind (db_runlist.c).  Scanning that over 1,000,000 runs takes seconds.
 *
 * SQLite: run_text mirrors every such string, one row per run name,
 * param and tag (src 0, 1, 2; k is the key, '' for a name; v the value),
 * kept by triggers on runs, params and tags, so every write path (the
 * CLI, imports, merge, pull, plain sqlite3) keeps it.  run_fts is an
 * FTS5 trigram index over it (external content, detail=none: only which
 * rows hold which trigrams).  A filter of three characters or more asks
 * run_fts for the rows holding all its trigrams, then checks those rows
 * with the very LIKE the scan uses, so the answer is the scan's: FTS5
 * folds case beyond ASCII, which only adds candidates the LIKE drops.
 * Shorter filters, and a SQLite without FTS5 or its trigram tokenizer,
 * scan as before.
 *
 * A merge's new runs arrive by INSERT ... SELECT, thousands per
 * statement: it sets the insert triggers aside and indexes those runs a
 * statement per source (db_textidx_bulk_begin/end, at the end of this
 * file); other bulk writers keep the triggers into run_text and defer
 * only run_fts to the commit (db_textidx_defer).
 *
 * Why a mirror table rather than FTS5 over runs/params/tags directly:
 * params and tags are WITHOUT ROWID tables and FTS5 needs an integer row
 * id per document; one document per run would be rewritten whole on
 * every param insert.  The triggers delete before they insert because
 * INSERT OR REPLACE does not fire delete triggers.
 *
 * PostgreSQL: pg_trgm GIN indexes on the same columns (data/schema-pg.sql
 * and migration 9 -> 10 in db_pg.c), which ILIKE uses by itself; without
 * the extension the filter scans and doctor says so.
 */
#include "config.h"

#include "db_textidx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"
#include "text.h"

/*
 * The triggers that keep run_fts in step with run_text; a bulk write
 * takes them out for its transaction and puts them back (db_textidx_defer).
 */
#define FTS_TRIGGERS \
    "CREATE TRIGGER IF NOT EXISTS run_text_ai AFTER INSERT ON run_text" \
    " BEGIN INSERT INTO run_fts (rowid, k, v) VALUES (NEW.id, NEW.k," \
    " NEW.v); END;" \
    "CREATE TRIGGER IF NOT EXISTS run_text_ad AFTER DELETE ON run_text" \
    " BEGIN INSERT INTO run_fts (run_fts, rowid, k, v) VALUES ('delete'," \
    " OLD.id, OLD.k, OLD.v); END;" \
    "CREATE TRIGGER IF NOT EXISTS run_text_au AFTER UPDATE ON run_text" \
    " BEGIN INSERT INTO run_fts (run_fts, rowid, k, v) VALUES ('delete'," \
    " OLD.id, OLD.k, OLD.v); INSERT INTO run_fts (rowid, k, v) VALUES" \
    " (NEW.id, NEW.k, NEW.v); END;"

/*
 * The mirror, made afresh and filled from what is there, then the index
 * and the triggers (those on runs, params and tags may be there already).
 */
static const char create_sql[] =
    "DROP TABLE IF EXISTS run_text;"	/* and its triggers */
    "DROP TABLE IF EXISTS run_fts;"
    "CREATE TABLE run_text (id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL, src INTEGER NOT NULL, k TEXT NOT NULL,"
    " v TEXT);"
    "CREATE UNIQUE INDEX run_text_item ON run_text(run_id, src, k);"
    "INSERT INTO run_text (run_id, src, k, v) SELECT id, 0, '', name"
    " FROM runs;"
    "INSERT INTO run_text (run_id, src, k, v) SELECT run_id, 1, key,"
    " value FROM params;"
    "INSERT INTO run_text (run_id, src, k, v) SELECT run_id, 2, key,"
    " value FROM tags;"
    "CREATE VIRTUAL TABLE run_fts USING fts5(k, v, content='run_text',"
    " content_rowid='id', tokenize='trigram', detail='none',"
    " columnsize=0);"
    "INSERT INTO run_fts (run_fts) VALUES ('rebuild');"
    FTS_TRIGGERS
    "CREATE TRIGGER IF NOT EXISTS runs_text_ai AFTER INSERT ON runs"
    " BEGIN DELETE FROM run_text WHERE run_id = NEW.id AND src = 0;"
    " INSERT INTO run_text (run_id, src, k, v) VALUES (NEW.id, 0, '',"
    " NEW.name); END;"
    "CREATE TRIGGER IF NOT EXISTS runs_text_au AFTER UPDATE OF name ON"
    " runs WHEN NEW.name IS NOT OLD.name BEGIN UPDATE run_text SET"
    " v = NEW.name WHERE run_id = NEW.id AND src = 0; END;"
    "CREATE TRIGGER IF NOT EXISTS runs_text_ad AFTER DELETE ON runs"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.id; END;"
    "CREATE TRIGGER IF NOT EXISTS params_text_ai AFTER INSERT ON params"
    " BEGIN DELETE FROM run_text WHERE run_id = NEW.run_id AND src = 1"
    " AND k = NEW.key; INSERT INTO run_text (run_id, src, k, v) VALUES"
    " (NEW.run_id, 1, NEW.key, NEW.value); END;"
    "CREATE TRIGGER IF NOT EXISTS params_text_au AFTER UPDATE ON params"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.run_id AND src = 1"
    " AND k = OLD.key; INSERT OR REPLACE INTO run_text (run_id, src, k, v)"
    " VALUES (NEW.run_id, 1, NEW.key, NEW.value); END;"
    "CREATE TRIGGER IF NOT EXISTS params_text_ad AFTER DELETE ON params"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.run_id AND src = 1"
    " AND k = OLD.key; END;"
    "CREATE TRIGGER IF NOT EXISTS tags_text_ai AFTER INSERT ON tags"
    " BEGIN DELETE FROM run_text WHERE run_id = NEW.run_id AND src = 2"
    " AND k = NEW.key; INSERT INTO run_text (run_id, src, k, v) VALUES"
    " (NEW.run_id, 2, NEW.key, NEW.value); END;"
    "CREATE TRIGGER IF NOT EXISTS tags_text_au AFTER UPDATE ON tags"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.run_id AND src = 2"
    " AND k = OLD.key; INSERT OR REPLACE INTO run_text (run_id, src, k, v)"
    " VALUES (NEW.run_id, 2, NEW.key, NEW.value); END;"
    "CREATE TRIGGER IF NOT EXISTS tags_text_ad AFTER DELETE ON tags"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.run_id AND src = 2"
    " AND k = OLD.key; END;";

/*
 * A bulk write (db_textidx_defer) leaves run_fts alone until its end:
 * FTS5 writes its pending terms to disk at every statement savepoint, so
 * a row at a time, each INSERT into params made a tiny index segment of
 * its own (and then merged them): two thirds of an MLflow import's time.
 * For the transaction, the run_text triggers above are dropped (DDL is
 * transactional: a rollback or a kill -9 brings them back with the rows)
 * and temporary ones, seen by this connection only, note which rows
 * changed: textidx_new the rows to index, textidx_old what run_fts holds
 * for a row it indexed before the transaction, the first time that row
 * changes.  At the end two statements bring run_fts up to date, in rowid
 * order, as FTS5 writes best, and the triggers come back.  Another
 * connection cannot write meanwhile (this one holds the write lock) and
 * never sees the triggers gone.
 */
static const char defer_sql[] =
    "CREATE TEMP TABLE IF NOT EXISTS textidx_new (id INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS textidx_old (id INTEGER PRIMARY KEY,"
    " k TEXT, v TEXT);"
    "DELETE FROM temp.textidx_new;"
    "DELETE FROM temp.textidx_old;"
    "DROP TRIGGER main.run_text_ai;"
    "DROP TRIGGER main.run_text_ad;"
    "DROP TRIGGER main.run_text_au;"
    "CREATE TEMP TRIGGER textidx_ai AFTER INSERT ON main.run_text"
    " BEGIN INSERT OR IGNORE INTO textidx_new (id) VALUES (NEW.id); END;"
    "CREATE TEMP TRIGGER textidx_ad AFTER DELETE ON main.run_text"
    " BEGIN INSERT OR IGNORE INTO textidx_old (id, k, v) SELECT OLD.id,"
    " OLD.k, OLD.v WHERE NOT EXISTS (SELECT 1 FROM textidx_new WHERE"
    " id = OLD.id); DELETE FROM textidx_new WHERE id = OLD.id; END;"
    "CREATE TEMP TRIGGER textidx_au AFTER UPDATE ON main.run_text"
    " BEGIN INSERT OR IGNORE INTO textidx_old (id, k, v) SELECT OLD.id,"
    " OLD.k, OLD.v WHERE NOT EXISTS (SELECT 1 FROM textidx_new WHERE"
    " id = OLD.id); DELETE FROM textidx_new WHERE id = OLD.id;"
    " INSERT OR IGNORE INTO textidx_new (id) VALUES (NEW.id); END;";

static const char settle_sql[] =
    "INSERT INTO main.run_fts (run_fts, rowid, k, v) SELECT 'delete', id,"
    " k, v FROM temp.textidx_old ORDER BY id;"
    "INSERT INTO main.run_fts (rowid, k, v) SELECT t.id, t.k, t.v FROM"
    " temp.textidx_new n JOIN main.run_text t ON t.id = n.id ORDER BY n.id;"
    "DROP TRIGGER temp.textidx_ai;"
    "DROP TRIGGER temp.textidx_ad;"
    "DROP TRIGGER temp.textidx_au;"
    "DELETE FROM temp.textidx_new;"
    "DELETE FROM temp.textidx_old;"
    FTS_TRIGGERS;

/*
 * PostgreSQL: the pg_trgm indexes, as in data/schema-pg.sql (migration
 * 9 -> 10 and `mlwb init` run it).  A role that may not create the
 * extension gets none, and the filter scans.  The operator class is named
 * with the extension's schema, which need not be on the search path.
 */
const char db_textidx_pg_sql[] =
	"DO $$\n"
	"DECLARE\n"
	"	s	text;\n"
	"	ix	text[] := ARRAY['runs_name_trgm', 'runs', 'name',\n"
	"	    'params_key_trgm', 'params', 'key',\n"
	"	    'params_value_trgm', 'params', 'value',\n"
	"	    'tags_key_trgm', 'tags', 'key',\n"
	"	    'tags_value_trgm', 'tags', 'value'];\n"
	"	i	int;\n"
	"BEGIN\n"
	"	BEGIN\n"
	"		CREATE EXTENSION IF NOT EXISTS pg_trgm;\n"
	"	EXCEPTION WHEN OTHERS THEN\n"
	"		RAISE NOTICE 'mlwb: no pg_trgm (%), the text filter"
	" scans',\n"
	"		    SQLERRM;\n"
	"		RETURN;\n"
	"	END;\n"
	"	SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n\n"
	"	    ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';\n"
	"	FOR i IN 0 .. 4 LOOP\n"
	"		EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I"
	" USING gin (%I %I.gin_trgm_ops)',\n"
	"		    ix[i * 3 + 1], ix[i * 3 + 2], ix[i * 3 + 3], s);\n"
	"	END LOOP;\n"
	"END $$;\n";

/* Cached in db->text_index. */
enum { TI_UNKNOWN, TI_NONE, TI_SQLITE, TI_PG };

int
db_textidx_create(struct db *db, struct wb_err *err)
{
	struct wb_err	probe;

	if (db->ops != &db_sqlite_ops) {
		db->text_index = TI_UNKNOWN;
		return db_exec(db, db_textidx_pg_sql, err);
	}
	/* A SQLite built without FTS5, or older than 3.34 (no trigram). */
	if (db_exec(db, "CREATE VIRTUAL TABLE temp.textidx_probe USING"
	    " fts5(x, tokenize='trigram')", &probe) != WB_OK) {
		db->text_index = TI_NONE;
		return WB_OK;
	}
	if (db_exec(db, "DROP TABLE temp.textidx_probe", err) != WB_OK)
		return err != NULL ? err->code : WB_EDB;
	db->text_index = TI_UNKNOWN;
	return db_exec(db, create_sql, err);
}

int
db_textidx_defer(struct db *db, struct wb_err *err)
{
	if (db->ops != &db_sqlite_ops || db->tx_depth < 1 ||
	    db->text_deferred || (db->flags & DB_READONLY) ||
	    !db_textidx_usable(db, NULL, 0) || db->text_index != TI_SQLITE)
		return WB_OK;
	if (db_exec(db, defer_sql, err) != WB_OK)
		return err != NULL ? err->code : WB_EDB;
	db->text_deferred = db->tx_depth;
	return WB_OK;
}

int
db_textidx_settle(struct db *db, struct wb_err *err)
{
	if (!db->text_deferred)
		return WB_OK;
	if (db_exec(db, settle_sql, err) != WB_OK)
		return err != NULL ? err->code : WB_EDB;
	db->text_deferred = 0;
	return WB_OK;
}

int
db_textidx_ensure(struct db *db, struct wb_err *err)
{
	int	rc;

	if (db_textidx_usable(db, NULL, 0) || (db->flags & DB_READONLY))
		return WB_OK;
	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = db_textidx_create(db, err)) != WB_OK) {
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db, err);
	db->text_index = TI_UNKNOWN;
	return rc;
}

int
db_textidx_usable(struct db *db, char *why, size_t len)
{
	static const char	 sq[] = "SELECT count(*) FROM sqlite_master"
	    " WHERE name = 'run_fts'";
	static const char	 pg[] = "SELECT count(*) FROM pg_indexes"
	    " WHERE schemaname = current_schema() AND indexname ="
	    " 'runs_name_trgm'";
	struct db_stmt		*st;
	int			 pgs = db->ops != &db_sqlite_ops;

	if (db->text_index == TI_UNKNOWN) {
		db->text_index = TI_NONE;
		if ((st = db_prepare(db, pgs ? pg : sq, NULL)) != NULL) {
			if (db_step(st) == DB_ROW &&
			    db_column_int64(st, 0) > 0)
				db->text_index = pgs ? TI_PG : TI_SQLITE;
			db_reset(st);
		}
	}
	if (why != NULL && len > 0) {
		if (db->text_index == TI_SQLITE)
			snprintf(why, len, "the text filter uses its FTS5 "
			    "trigram index (filters under 3 characters scan)");
		else if (db->text_index == TI_PG)
			snprintf(why, len, "the text filter uses pg_trgm "
			    "indexes");
		else if (pgs)
			snprintf(why, len, "the text filter scans every run: "
			    "no pg_trgm indexes (CREATE EXTENSION pg_trgm "
			    "needs a privileged role; then run mlwb init)");
		else
			snprintf(why, len, "the text filter scans every run: "
			    "no FTS5 trigram index (this SQLite lacks FTS5 "
			    "or its trigram tokenizer)");
	}
	return db->text_index == TI_SQLITE || db->text_index == TI_PG;
}

/* At most this many trigrams are asked for: any subset finds a superset. */
#define MATCH_MAX_TRIGRAMS 24

char *
db_textidx_match(const char *s)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 nch = 0, len, i, j;
	size_t		*all;
	size_t		 n = strlen(s), p, ntri, step;

	if ((all = wb_calloc(n + 1, sizeof *all)) == NULL)
		return NULL;
	/* all[k]: where character k starts; all[nch] = n. */
	for (p = 0; p < n; p += len) {
		if ((len = text_utf8_len((const unsigned char *)s + p, n - p)) ==
		    0) {
			wb_free(all);
			return NULL;	/* not UTF-8: let the scan decide */
		}
		all[nch++] = p;
	}
	all[nch] = n;
	if (nch < 3) {
		wb_free(all);
		return NULL;
	}
	ntri = nch - 2;
	step = (ntri + MATCH_MAX_TRIGRAMS - 1) / MATCH_MAX_TRIGRAMS;
	for (i = 0; i < ntri; i += step) {
		if (i > 0)
			strbuf_adds(&sb, " AND ");
		strbuf_addc(&sb, '"');
		for (j = all[i]; j < all[i + 3]; j++) {
			if (s[j] == '"')
				strbuf_addc(&sb, '"');
			strbuf_addc(&sb, s[j]);
		}
		strbuf_addc(&sb, '"');
	}
	wb_free(all);
	if (sb.oom) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* More candidates than this, and the filter scans (db_runlist.c). */
#define NARROW_MAX "100000"

int
db_textidx_narrow(struct db *db, const char *match)
{
	static const char	 sql[] = "SELECT count(*) FROM (SELECT 1 FROM"
	    " run_fts WHERE run_fts MATCH ?1 LIMIT " NARROW_MAX ")";
	struct db_stmt		*st;
	int			 narrow = 0;

	if ((st = db_prepare(db, sql, NULL)) == NULL)
		return 0;
	db_bind_text(st, 1, match);
	if (db_step(st) == DB_ROW)
		narrow = db_column_int64(st, 0) < strtoll(NARROW_MAX, NULL,
		    10);
	db_reset(st);
	return narrow;
}

int
db_textidx_doctor(struct db *db, void (*line)(void *, const char *),
    void *arg, struct wb_err *err)
{
	static const char	 sql[] = "SELECT (SELECT count(*) FROM"
	    " run_text), (SELECT count(*) FROM runs) + (SELECT count(*) FROM"
	    " params) + (SELECT count(*) FROM tags)";
	struct db_stmt		*st;
	char			 msg[160];
	int			 rc;

	if (!db_textidx_usable(db, NULL, 0) || db->text_index != TI_SQLITE)
		return WB_OK;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	if ((rc = db_step(st)) == DB_ROW && db_column_int64(st, 0) !=
	    db_column_int64(st, 1)) {
		snprintf(msg, sizeof msg, "text index holds %lld strings "
		    "but runs, params and tags hold %lld",
		    (long long)db_column_int64(st, 0),
		    (long long)db_column_int64(st, 1));
		line(arg, msg);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

/* -- many new runs at once (db_textidx.h) --------------------------------- */

/* The insert triggers a bulk writer sets aside, in creation order. */
static const char *const bulk_trig[] = {
	"run_text_ai", "runs_text_ai", "params_text_ai", "tags_text_ai",
};

void
db_textidx_bulk_free(struct textidx_bulk *b)
{
	for (; b->n > 0; b->n--)
		wb_free(b->trig[b->n - 1]);
}

int
db_textidx_bulk_begin(struct db *db, struct textidx_bulk *b,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT sql FROM main.sqlite_master"
	    " WHERE type = 'trigger' AND name = ?1 AND tbl_name = ?2";
	static const char *const tbl[] = { "run_text", "runs", "params",
	    "tags" };
	struct strbuf		 drop = STRBUF_INIT;
	struct db_stmt		*st;
	size_t			 i;
	int			 rc;

	memset(b, 0, sizeof *b);
	if (db->ops != &db_sqlite_ops || !db_textidx_usable(db, NULL, 0) ||
	    db->text_index != TI_SQLITE)
		return WB_OK;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	for (i = 0; i < sizeof bulk_trig / sizeof bulk_trig[0]; i++) {
		db_bind_text(st, 1, bulk_trig[i]);
		db_bind_text(st, 2, tbl[i]);
		if ((rc = db_step(st)) == DB_ROW) {
			if ((b->trig[b->n] = db_column_strdup(st, 0)) == NULL) {
				db_reset(st);
				goto nomem;
			}
			b->n++;
		}
		db_reset(st);
		if (rc != DB_ROW && rc != DB_DONE) {
			db_textidx_bulk_free(b);
			return db_sqlerr(db, err);
		}
	}
	/* Not the index this file made: leave its triggers alone. */
	if ((size_t)b->n != sizeof bulk_trig / sizeof bulk_trig[0]) {
		db_textidx_bulk_free(b);
		return WB_OK;
	}
	for (i = 0; i < (size_t)b->n; i++)
		strbuf_addf(&drop, "DROP TRIGGER main.%s;", bulk_trig[i]);
	if (drop.oom)
		goto nomem;
	rc = db_exec(db, strbuf_str(&drop), err);
	strbuf_free(&drop);
	if (rc != WB_OK)
		db_textidx_bulk_free(b);
	return rc;
nomem:
	strbuf_free(&drop);
	db_textidx_bulk_free(b);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

int
db_textidx_bulk_end(struct db *db, struct textidx_bulk *b,
    const char *runs_sql, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	int		 i, rc;

	if (b->n == 0)
		return WB_OK;
	/*
	 * What the triggers would have done, a source at a time: rows left
	 * under a reused run id go first (run_text_ad, still there, takes
	 * them out of run_fts), then the strings, then their trigrams,
	 * which are the rows past the highest id left.
	 */
	strbuf_addf(&sb, "DELETE FROM main.run_text WHERE run_id IN (%s);"
	    "CREATE TEMP TABLE textidx_lo AS SELECT coalesce(max(id), 0) AS"
	    " id FROM main.run_text;"
	    "INSERT INTO main.run_text (run_id, src, k, v) SELECT id, 0, '',"
	    " name FROM main.runs WHERE id IN (%s);"
	    "INSERT INTO main.run_text (run_id, src, k, v) SELECT run_id, 1,"
	    " key, value FROM main.params WHERE run_id IN (%s);"
	    "INSERT INTO main.run_text (run_id, src, k, v) SELECT run_id, 2,"
	    " key, value FROM main.tags WHERE run_id IN (%s);"
	    "INSERT INTO main.run_fts (rowid, k, v) SELECT id, k, v FROM"
	    " main.run_text WHERE id > (SELECT id FROM temp.textidx_lo);"
	    "DROP TABLE temp.textidx_lo;", runs_sql, runs_sql, runs_sql,
	    runs_sql);
	for (i = 0; i < b->n; i++)
		strbuf_addf(&sb, "%s;", b->trig[i]);
	if (sb.oom) {
		strbuf_free(&sb);
		db_textidx_bulk_free(b);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	rc = db_exec(db, strbuf_str(&sb), err);
	strbuf_free(&sb);
	db_textidx_bulk_free(b);
	return rc;
}
