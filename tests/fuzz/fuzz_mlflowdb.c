/*
 * libFuzzer target: bytes as the rows of an MLflow SQLite tracking
 * database, imported into an in-memory workspace (mlflow_db.c reading,
 * db_mlflow.c writing, the text index set aside and settled).
 *
 * The first byte picks the schema's shape (metrics with or without step
 * and is_nan, MLflow's run_uuid index or not, runs with or without a
 * name column) and the options; the rest is records, a table and then a
 * value per column, each value typed by the input: NULL, integers, huge
 * and odd doubles, one of a few run UUIDs or keys (so that rows meet),
 * or raw bytes (ESC, NUL-free garbage, overlong text).  The tables have
 * no keys, so duplicate runs and rows come through as they would from a
 * damaged file.  Errors are fine; what must hold:
 *   - a failed import says why and leaves the workspace as it was;
 *   - a dry run leaves it as it was;
 *   - after an import, run_fts is in step with run_text (FTS5's own
 *     integrity-check) and no temporary trigger is left.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "db_internal.h"
#include "err.h"
#include "mlflow.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db	*db;
static int		 imports;	/* since the workspace was made */
static int64_t		 ntrig;		/* its text triggers; -1: no index */
static char		 src[64];

struct in {
	const uint8_t	*p;
	size_t		 n;
};

static int
byte(struct in *in)
{
	if (in->n == 0)
		return -1;
	in->n--;
	return *in->p++;
}

static const char *const uuids[] = {
	"0123456789abcdef0123456789abcdef", "00000000000000000000000000000001",
	"ffffffffffffffffffffffffffffffff", "0123456789ABCDEF0123456789ABCDEF",
	"not-a-uuid",
};
static const char *const words[] = {
	"loss", "acc", "mlflow.runName", "mlflow.parentRunId", "mlflow.user",
	"mlflow.source.name", "", "FINISHED", "RUNNING", "FAILED", "KILLED",
	"active", "deleted", "Default", "\x1b[31mred\x1b[0m", "0", "1",
};

/* One value of the input, bound at column i of st. */
static void
bind_value(struct in *in, sqlite3_stmt *st, int i)
{
	int64_t		 v = 0;
	double		 d;
	char		 buf[80];
	int		 c, n, k;

	switch ((c = byte(in)) < 0 ? 0 : c % 8) {
	case 0:
		sqlite3_bind_null(st, i);
		break;
	case 1:
		sqlite3_bind_int64(st, i, byte(in) - 128);
		break;
	case 2:
	case 3:
		for (k = 0; k < 8; k++)
			v = (int64_t)((uint64_t)v << 8 | (uint64_t)(byte(in) &
			    0xff));
		if (c % 8 == 2)
			sqlite3_bind_int64(st, i, v);
		else {
			memcpy(&d, &v, sizeof d);
			sqlite3_bind_double(st, i, d);
		}
		break;
	case 4:
		sqlite3_bind_text(st, i, uuids[(byte(in) & 0xff) % (sizeof uuids
		    / sizeof uuids[0])], -1, SQLITE_STATIC);
		break;
	case 5:
	case 6:
		sqlite3_bind_text(st, i, words[(byte(in) & 0xff) % (sizeof words
		    / sizeof words[0])], -1, SQLITE_STATIC);
		break;
	default:
		n = (byte(in) & 0xff) % (int)sizeof buf;
		for (k = 0; k < n && in->n > 0; k++)
			buf[k] = (char)byte(in);
		/* Text, NULs and all: SQLite keeps the length given. */
		sqlite3_bind_text(st, i, buf, k, SQLITE_TRANSIENT);
		break;
	}
}

/* The MLflow file of the input; 0 when it could not be written. */
static int
write_source(struct in *in, int shape)
{
	static const char *const ins[] = {
		"INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?)",
		"INSERT INTO runs (run_uuid, source_type, source_name,"
		" entry_point_name, user_id, status, start_time, end_time,"
		" source_version, lifecycle_stage, artifact_uri, experiment_id,"
		" deleted_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		"INSERT INTO params VALUES (?, ?, ?)",
		"INSERT INTO tags VALUES (?, ?, ?)",
		"INSERT INTO metrics (key, value, timestamp, run_uuid) VALUES"
		" (?, ?, ?, ?)",
		"UPDATE runs SET name = ? WHERE rowid = (SELECT max(rowid)"
		" FROM runs)",
	};
	sqlite3		*sq;
	sqlite3_stmt	*st;
	char		 schema[1024];
	int		 t, i, n, ok = 1;

	unlink(src);
	if (sqlite3_open(src, &sq) != SQLITE_OK) {
		sqlite3_close(sq);
		return 0;
	}
	snprintf(schema, sizeof schema,
	    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;"
	    "CREATE TABLE experiments (experiment_id, name, artifact_location,"
	    " lifecycle_stage, creation_time, last_update_time);"
	    "CREATE TABLE runs (run_uuid, %s source_type, source_name,"
	    " entry_point_name, user_id, status, start_time, end_time,"
	    " source_version, lifecycle_stage, artifact_uri, experiment_id,"
	    " deleted_time);"
	    "CREATE TABLE params (key, value, run_uuid);"
	    "CREATE TABLE tags (key, value, run_uuid);"
	    "CREATE TABLE metrics (key, value, timestamp, run_uuid%s%s);"
	    "%s",
	    shape & 1 ? "name," : "",
	    shape & 2 ? ", step DEFAULT 0" : "",
	    shape & 4 ? ", is_nan DEFAULT 0" : "",
	    shape & 8 ? "CREATE INDEX index_metrics_run_uuid ON"
	    " metrics (run_uuid);" : "");
	if (sqlite3_exec(sq, schema, NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_close(sq);
		return 0;
	}
	for (n = 0; ok && n < 256 && (t = byte(in)) >= 0; n++) {
		t %= (int)(sizeof ins / sizeof ins[0]);
		if (t == 5 && !(shape & 1))
			continue;
		if (sqlite3_prepare_v2(sq, ins[t], -1, &st, NULL) != SQLITE_OK) {
			ok = 0;
			break;
		}
		for (i = 1; i <= sqlite3_bind_parameter_count(st); i++)
			bind_value(in, st, i);
		if (sqlite3_step(st) != SQLITE_DONE)
			ok = 0;
		sqlite3_finalize(st);
	}
	/* The optional columns of metrics, set from the input too. */
	if (ok && (shape & 2))
		sqlite3_exec(sq, "UPDATE metrics SET step = rowid % 7 - 2",
		    NULL, NULL, NULL);
	if (ok && (shape & 4))
		sqlite3_exec(sq, "UPDATE metrics SET is_nan = (rowid % 5 = 0)",
		    NULL, NULL, NULL);
	ok = ok && sqlite3_exec(sq, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_close(sq);
	return ok;
}

/* A digest of what the workspace holds, to compare before and after. */
static void
digest(char *out, size_t len)
{
	struct db_stmt	*st;
	struct wb_err	 err;

	out[0] = '\0';
	if ((st = db_prepare(db, "SELECT (SELECT count(*) || '/' ||"
	    " total(length(uuid)) || '/' || total(length(name)) FROM runs)"
	    " || ' ' || (SELECT count(*) || '/' || total(length(value)) FROM"
	    " params) || ' ' || (SELECT count(*) FROM tags) || ' ' || (SELECT"
	    " count(*) || '/' || total(count) FROM metric_summary) || ' ' ||"
	    " (SELECT count(*) FROM metric_chunks) || ' ' || (SELECT count(*)"
	    " FROM run_text) || ' ' || (SELECT count(*) FROM experiments)",
	    &err)) == NULL)
		__builtin_trap();
	if (db_step(st) == DB_ROW)
		snprintf(out, len, "%s", db_column_text(st, 0));
	db_reset(st);
}

static int64_t
text_triggers(void)
{
	struct db_stmt	*st;
	struct wb_err	 err;
	int64_t		 n = -1;

	if ((st = db_prepare(db, "SELECT (SELECT count(*) FROM sqlite_master"
	    " WHERE name = 'run_fts'), (SELECT count(*) FROM sqlite_master"
	    " WHERE type = 'trigger' AND name LIKE '%text_a_')", &err)) == NULL)
		__builtin_trap();
	if (db_step(st) == DB_ROW && db_column_int64(st, 0) > 0)
		n = db_column_int64(st, 1);
	db_reset(st);
	return n;
}

static void
check_index(void)
{
	struct db_stmt	*st;
	struct wb_err	 err;

	if (ntrig < 0)
		return;		/* a SQLite without FTS5: no index to check */
	if (db_exec(db, "INSERT INTO run_fts (run_fts, rank) VALUES"
	    " ('integrity-check', 1)", &err) != WB_OK)
		__builtin_trap();	/* run_fts out of step with run_text */
	if ((st = db_prepare(db, "SELECT count(*) FROM sqlite_temp_master"
	    " WHERE type = 'trigger'", &err)) == NULL)
		__builtin_trap();
	if (db_step(st) != DB_ROW || db_column_int64(st, 0) != 0)
		__builtin_trap();	/* a temporary trigger left behind */
	db_reset(st);
	if (text_triggers() != ntrig)
		__builtin_trap();	/* the text triggers not all back */
}

static void
remove_source(void)
{
	unlink(src);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in		 in = { data, size };
	struct mlflow_opts	 o;
	struct mlflow_result	 res;
	struct wb_err		 err;
	char			 before[256], after[256];
	int			 shape, rc;

	/* In memory where there is a tmpfs: a file per input is the cost. */
	if (src[0] == '\0') {
		snprintf(src, sizeof src, "%s/fuzz-mlflowdb-%ld.db",
		    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
		    (long)getpid());
		atexit(remove_source);
	}
	/* A fresh workspace now and then: it grows with each import. */
	if (db != NULL && imports >= 500) {
		db_close(db);
		db = NULL;
	}
	if (db == NULL) {
		if (db_open(":memory:", 0, &db, &err) != WB_OK)
			abort();
		imports = 0;
		ntrig = text_triggers();
	}
	if ((shape = byte(&in)) < 0 || !write_source(&in, shape))
		return 0;
	memset(&o, 0, sizeof o);
	o.include_deleted = (shape & 16) != 0;
	o.dry_run = (shape & 32) != 0;
	if (shape & 64)
		o.experiment = "Default";
	digest(before, sizeof before);
	memset(&err, 0, sizeof err);
	rc = mlflow_import(db, src, &o, &res, &err);
	imports++;
	digest(after, sizeof after);
	if (rc != WB_OK && err.msg[0] == '\0')
		__builtin_trap();	/* a failure must say why */
	if ((rc != WB_OK || o.dry_run) && strcmp(before, after) != 0)
		__builtin_trap();	/* and change nothing */
	check_index();
	return 0;
}
