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
 * A bulk writer (an MLflow import, a merge, a pull) sets the per-row
 * triggers aside for its transaction and has the index brought up to
 * date at its commit, a statement per source (db_textidx_defer).
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
 * The triggers that keep run_fts in step with run_text, and those that
 * keep run_text in step with the runs, params and tags it mirrors.  A
 * bulk write sets the first three and the insert triggers aside for its
 * transaction (db_textidx_defer); the rest stay.
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
#define INSERT_TRIGGERS \
    "CREATE TRIGGER IF NOT EXISTS runs_text_ai AFTER INSERT ON runs" \
    " BEGIN DELETE FROM run_text WHERE run_id = NEW.id AND src = 0;" \
    " INSERT INTO run_text (run_id, src, k, v) VALUES (NEW.id, 0, ''," \
    " NEW.name); END;" \
    "CREATE TRIGGER IF NOT EXISTS params_text_ai AFTER INSERT ON params" \
    " BEGIN DELETE FROM run_text WHERE run_id = NEW.run_id AND src = 1" \
    " AND k = NEW.key; INSERT INTO run_text (run_id, src, k, v) VALUES" \
    " (NEW.run_id, 1, NEW.key, NEW.value); END;" \
    "CREATE TRIGGER IF NOT EXISTS tags_text_ai AFTER INSERT ON tags" \
    " BEGIN DELETE FROM run_text WHERE run_id = NEW.run_id AND src = 2" \
    " AND k = NEW.key; INSERT INTO run_text (run_id, src, k, v) VALUES" \
    " (NEW.run_id, 2, NEW.key, NEW.value); END;"

/*
 * The six, by name: db_textidx_defer drops them (defer_fmt has the
 * temporary triggers), and only if all are there.
 */
static const char *const aside_trig[] = {
	"run_text_ai", "run_text_ad", "run_text_au",
	"runs_text_ai", "params_text_ai", "tags_text_ai",
};

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
    INSERT_TRIGGERS
    "CREATE TRIGGER IF NOT EXISTS runs_text_au AFTER UPDATE OF name ON"
    " runs WHEN NEW.name IS NOT OLD.name BEGIN UPDATE run_text SET"
    " v = NEW.name WHERE run_id = NEW.id AND src = 0; END;"
    "CREATE TRIGGER IF NOT EXISTS runs_text_ad AFTER DELETE ON runs"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.id; END;"
    "CREATE TRIGGER IF NOT EXISTS params_text_au AFTER UPDATE ON params"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.run_id AND src = 1"
    " AND k = OLD.key; INSERT OR REPLACE INTO run_text (run_id, src, k, v)"
    " VALUES (NEW.run_id, 1, NEW.key, NEW.value); END;"
    "CREATE TRIGGER IF NOT EXISTS params_text_ad AFTER DELETE ON params"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.run_id AND src = 1"
    " AND k = OLD.key; END;"
    "CREATE TRIGGER IF NOT EXISTS tags_text_au AFTER UPDATE ON tags"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.run_id AND src = 2"
    " AND k = OLD.key; INSERT OR REPLACE INTO run_text (run_id, src, k, v)"
    " VALUES (NEW.run_id, 2, NEW.key, NEW.value); END;"
    "CREATE TRIGGER IF NOT EXISTS tags_text_ad AFTER DELETE ON tags"
    " BEGIN DELETE FROM run_text WHERE run_id = OLD.run_id AND src = 2"
    " AND k = OLD.key; END;";

/*
 * A bulk write (db_textidx_defer) leaves the index alone until its end.
 * Row by row, FTS5 wrote its pending terms at every statement savepoint
 * (a tiny segment per param insert, then merged), and the mirror's
 * insert triggers cost more than the rows they mirror.  For the
 * transaction the six triggers above are dropped (DDL is transactional:
 * a rollback or a kill -9 brings them back with the rows), after noting
 * the highest run_text id (text_lo: rows above it are not in run_fts)
 * and the highest run id (runs_lo: runs above it are new and have no
 * mirror rows yet).  Temporary triggers, seen by this connection only,
 * note what settling needs and nothing else:
 *   textidx_old   what run_fts holds for an indexed row (id <= text_lo)
 *                 that is deleted or changed, the first time;
 *   textidx_upd   ids up to text_lo changed, or inserted anew (SQLite
 *                 gives a new row the highest id deleted, so a row can
 *                 come back under an indexed id), to index again;
 *   textidx_runs  runs that were there (id <= runs_lo) and got a name,
 *                 param or tag inserted, whose mirror rows the dropped
 *                 triggers would have written.
 * Inserts for new runs, most of a bulk write, meet only the WHEN of the
 * last, which is false.  db_textidx_settle, which db_commit calls, then
 * mirrors the new runs and the noted ones a statement per source and
 * brings run_fts up to date in rowid order, as FTS5 writes best, and the
 * triggers come back.  Another connection cannot write meanwhile (this
 * one holds the write lock) and never sees the triggers gone.
 */
static const char defer_fmt[] =
    "CREATE TEMP TABLE IF NOT EXISTS textidx_old (id INTEGER PRIMARY KEY,"
    " k TEXT, v TEXT);"
    "CREATE TEMP TABLE IF NOT EXISTS textidx_upd (id INTEGER PRIMARY KEY);"
    "CREATE TEMP TABLE IF NOT EXISTS textidx_runs"
    " (run_id INTEGER PRIMARY KEY);"
    "DELETE FROM temp.textidx_old;"
    "DELETE FROM temp.textidx_upd;"
    "DELETE FROM temp.textidx_runs;"
    "CREATE TEMP TRIGGER textidx_ad AFTER DELETE ON main.run_text"
    " WHEN OLD.id <= %1$lld BEGIN INSERT OR IGNORE INTO textidx_old"
    " (id, k, v) VALUES (OLD.id, OLD.k, OLD.v); END;"
    "CREATE TEMP TRIGGER textidx_ai AFTER INSERT ON main.run_text"
    " WHEN NEW.id <= %1$lld BEGIN INSERT OR IGNORE INTO textidx_upd (id)"
    " VALUES (NEW.id); END;"
    "CREATE TEMP TRIGGER textidx_au AFTER UPDATE ON main.run_text"
    " WHEN OLD.id <= %1$lld BEGIN INSERT OR IGNORE INTO textidx_old"
    " (id, k, v) VALUES (OLD.id, OLD.k, OLD.v); INSERT OR IGNORE INTO"
    " textidx_upd (id) VALUES (NEW.id); END;"
    "CREATE TEMP TRIGGER textidx_runs_ai AFTER INSERT ON main.runs"
    " WHEN NEW.id <= %2$lld BEGIN INSERT OR IGNORE INTO textidx_runs"
    " (run_id) VALUES (NEW.id); END;"
    "CREATE TEMP TRIGGER textidx_params_ai AFTER INSERT ON main.params"
    " WHEN NEW.run_id <= %2$lld BEGIN INSERT OR IGNORE INTO textidx_runs"
    " (run_id) VALUES (NEW.run_id); END;"
    "CREATE TEMP TRIGGER textidx_tags_ai AFTER INSERT ON main.tags"
    " WHEN NEW.run_id <= %2$lld BEGIN INSERT OR IGNORE INTO textidx_runs"
    " (run_id) VALUES (NEW.run_id); END;";

/*
 * The mirror first: a new run's rows are written whole (any a changed
 * row's trigger wrote meanwhile go first); a noted run's rows are
 * upserted, so that a value an INSERT OR REPLACE changed is changed
 * here too (textidx_au notes it).  Then run_fts: out what it held of
 * rows deleted or changed, in what was changed or is new.
 */
static const char settle_fmt[] =
    "DELETE FROM main.run_text WHERE run_id > %2$lld;"
    "INSERT INTO main.run_text (run_id, src, k, v) SELECT id, 0, '', name"
    " FROM main.runs WHERE id > %2$lld;"
    "INSERT INTO main.run_text (run_id, src, k, v) SELECT run_id, 1, key,"
    " value FROM main.params WHERE run_id > %2$lld;"
    "INSERT INTO main.run_text (run_id, src, k, v) SELECT run_id, 2, key,"
    " value FROM main.tags WHERE run_id > %2$lld;"
    "INSERT INTO main.run_text (run_id, src, k, v) SELECT id, 0, '', name"
    " FROM main.runs WHERE id IN (SELECT run_id FROM temp.textidx_runs)"
    " ON CONFLICT (run_id, src, k) DO UPDATE SET v = excluded.v"
    " WHERE v IS NOT excluded.v;"
    "INSERT INTO main.run_text (run_id, src, k, v) SELECT run_id, 1, key,"
    " value FROM main.params WHERE run_id IN (SELECT run_id FROM"
    " temp.textidx_runs) ON CONFLICT (run_id, src, k) DO UPDATE SET"
    " v = excluded.v WHERE v IS NOT excluded.v;"
    "INSERT INTO main.run_text (run_id, src, k, v) SELECT run_id, 2, key,"
    " value FROM main.tags WHERE run_id IN (SELECT run_id FROM"
    " temp.textidx_runs) ON CONFLICT (run_id, src, k) DO UPDATE SET"
    " v = excluded.v WHERE v IS NOT excluded.v;"
    "DROP TRIGGER temp.textidx_ai;"
    "DROP TRIGGER temp.textidx_ad;"
    "DROP TRIGGER temp.textidx_au;"
    "DROP TRIGGER temp.textidx_runs_ai;"
    "DROP TRIGGER temp.textidx_params_ai;"
    "DROP TRIGGER temp.textidx_tags_ai;"
    "INSERT INTO main.run_fts (run_fts, rowid, k, v) SELECT 'delete', id,"
    " k, v FROM temp.textidx_old ORDER BY id;"
    "INSERT INTO main.run_fts (rowid, k, v) SELECT t.id, t.k, t.v FROM"
    " temp.textidx_upd u JOIN main.run_text t ON t.id = u.id ORDER BY u.id;"
    "INSERT INTO main.run_fts (rowid, k, v) SELECT id, k, v FROM"
    " main.run_text WHERE id > %1$lld ORDER BY id;"
    "DELETE FROM temp.textidx_old;"
    "DELETE FROM temp.textidx_upd;"
    "DELETE FROM temp.textidx_runs;"
    FTS_TRIGGERS
    INSERT_TRIGGERS;

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

/*
 * Drop the six triggers of aside_trig; WB_OK without dropping any, and
 * *dropped 0, unless all are there (not the index this file made: leave
 * its triggers alone).
 */
static int
aside_drop(struct db *db, int *dropped, struct wb_err *err)
{
	static const char	 sql[] = "SELECT count(*) FROM main.sqlite_master"
	    " WHERE type = 'trigger' AND name = ?1";
	struct db_stmt		*st;
	char			 drop[64];
	size_t			 i, n = sizeof aside_trig / sizeof aside_trig[0];
	int			 rc;

	*dropped = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	for (i = 0; i < n; i++) {
		db_bind_text(st, 1, aside_trig[i]);
		rc = db_step(st) == DB_ROW && db_column_int64(st, 0) > 0;
		db_reset(st);
		if (!rc)
			return WB_OK;
	}
	for (i = 0; i < n; i++) {
		snprintf(drop, sizeof drop, "DROP TRIGGER main.%s",
		    aside_trig[i]);
		if ((rc = db_exec(db, drop, err)) != WB_OK)
			return rc;
	}
	*dropped = 1;
	return WB_OK;
}

static int
max_id(struct db *db, const char *sql, int64_t *v, struct wb_err *err)
{
	struct db_stmt	*st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	return db_step_id(db, st, v, err);
}

/* A statement of fmt with the two bounds put in (both %lld). */
static int
exec_bounds(struct db *db, const char *fmt, struct wb_err *err)
{
	char	*sql;
	int	 n, rc;

	n = snprintf(NULL, 0, fmt, (long long)db->text_lo,
	    (long long)db->text_runs_lo);
	if (n < 0 || (sql = wb_malloc((size_t)n + 1)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	snprintf(sql, (size_t)n + 1, fmt, (long long)db->text_lo,
	    (long long)db->text_runs_lo);
	rc = db_exec(db, sql, err);
	wb_free(sql);
	return rc;
}

int
db_textidx_defer(struct db *db, struct wb_err *err)
{
	int	rc, dropped;

	if (db->ops != &db_sqlite_ops || db->tx_depth < 1 ||
	    db->text_deferred || (db->flags & DB_READONLY) ||
	    !db_textidx_usable(db, NULL, 0) || db->text_index != TI_SQLITE)
		return WB_OK;
	if ((rc = max_id(db, "SELECT coalesce(max(id), 0) FROM main.run_text",
	    &db->text_lo, err)) != WB_OK ||
	    (rc = max_id(db, "SELECT coalesce(max(id), 0) FROM main.runs",
	    &db->text_runs_lo, err)) != WB_OK ||
	    (rc = aside_drop(db, &dropped, err)) != WB_OK || !dropped ||
	    (rc = exec_bounds(db, defer_fmt, err)) != WB_OK)
		return rc;
	db->text_deferred = db->tx_depth;
	return WB_OK;
}

int
db_textidx_settle(struct db *db, struct wb_err *err)
{
	int	rc;

	if (!db->text_deferred)
		return WB_OK;
	if ((rc = exec_bounds(db, settle_fmt, err)) != WB_OK)
		return rc;
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
