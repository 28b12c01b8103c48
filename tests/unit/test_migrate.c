/*
 * Unit test of migration 1 -> 2 (src/db_recompress.c): a workspace in
 * schema 1's format (24-byte point records, written here exactly as the
 * schema-1 writer did) is read as it is by a read-only open, and
 * compressed by a writable one, with progress reported; every point,
 * NaN payloads and -0.0 included, reads back bit for bit; doctor is clean.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "tap.h"

#define NPTS 2500	/* three chunks: 1024 + 1024 + 452 */

static char dir[] = "/tmp/mlwb-test-migrate-XXXXXX";
static char dbpath[256];
static uint64_t calls, first_done = 99, last_done, last_total;

static double
value_at(size_t i)
{
	uint64_t	b;
	double		v;

	switch (i % 97) {
	case 3:
		b = 0x7ff4000000000abcULL;	/* NaN with a payload */
		memcpy(&v, &b, 8);
		return v;
	case 5:
		return -0.0;
	case 7:
		return -INFINITY;
	default:
		return 2.5 * exp(-(double)i / 800) + (double)(i % 13) * 1e-3;
	}
}

static int
same(double a, double b)
{
	return memcmp(&a, &b, 8) == 0;
}

static void
on_progress(void *arg, const char *path, const char *what, uint64_t done,
    uint64_t total)
{
	(void)arg;
	(void)path;
	(void)what;
	if (calls++ == 0)
		first_done = done;
	last_done = done;
	last_total = total;
}

/* Rewrite every chunk in format 0 and mark the file schema 1. */
static int
make_v1(void)
{
	sqlite3		*sq;
	sqlite3_stmt	*get, *put;
	struct series	 s;
	struct db	*db;
	struct wb_err	 err;
	unsigned char	*raw;
	int64_t		 run = 1, key = 1;
	uint64_t	 f[3];
	size_t		 i, j, k, at = 0;
	int		 rc = 0;

	if (db_open(dbpath, DB_NOCREATE | DB_READONLY, &db, &err) != WB_OK)
		return -1;
	rc = db_series_load(db, run, key, &s, &err);
	db_close(db);
	if (rc != WB_OK || s.n != NPTS || (raw = malloc(1024 * 24)) == NULL)
		return -1;
	if (sqlite3_open(dbpath, &sq) != SQLITE_OK)
		return -1;
	sqlite3_prepare_v2(sq, "SELECT id, n FROM metric_chunks ORDER BY seq",
	    -1, &get, NULL);
	sqlite3_prepare_v2(sq, "UPDATE metric_chunks SET points = ?2"
	    " WHERE id = ?1", -1, &put, NULL);
	while (sqlite3_step(get) == SQLITE_ROW) {
		size_t	n = (size_t)sqlite3_column_int64(get, 1);

		for (i = 0; i < n; i++, at++) {
			f[0] = (uint64_t)s.step[at];
			f[1] = (uint64_t)s.ts[at];
			memcpy(&f[2], &s.value[at], 8);
			for (j = 0; j < 3; j++)
				for (k = 0; k < 8; k++)
					raw[24 * i + 8 * j + k] =
					    (unsigned char)(f[j] >> (8 * k));
		}
		sqlite3_bind_int64(put, 1, sqlite3_column_int64(get, 0));
		sqlite3_bind_blob(put, 2, raw, (int)(n * 24), SQLITE_STATIC);
		if (sqlite3_step(put) != SQLITE_DONE)
			rc = -1;
		sqlite3_reset(put);
	}
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	if (sqlite3_exec(sq, "PRAGMA user_version = 1", NULL, NULL, NULL) !=
	    SQLITE_OK)
		rc = -1;
	sqlite3_close(sq);
	series_free(&s);
	free(raw);
	return rc;
}

static long long
q(const char *sql)
{
	sqlite3		*sq;
	sqlite3_stmt	*st;
	long long	 v = -1;

	if (sqlite3_open(dbpath, &sq) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(sq);
	return v;
}

static void
noline(void *arg, const char *line)
{
	(void)line;
	(*(int *)arg)++;
}

/* The series reads back as written, bit for bit. */
static int
check_points(struct db *db)
{
	struct series	s;
	struct wb_err	err;
	size_t		i, bad = 0;

	if (db_series_load(db, 1, 1, &s, &err) != WB_OK || s.n != NPTS)
		return 0;
	for (i = 0; i < NPTS; i++)
		if (s.step[i] != (int64_t)i * 10 || s.ts[i] !=
		    1700000000000LL + (int64_t)i * 1500 ||
		    !same(s.value[i], value_at(i)))
			bad++;
	series_free(&s);
	return bad == 0;
}

int
main(void)
{
	struct db	*db;
	struct wb_err	 err;
	struct mwriter	*w;
	struct run_new	 r;
	int64_t		 exp, run, key;
	size_t		 i;
	int		 problems = 0, lines = 0;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(dbpath, sizeof dbpath, "%s/ws.db", dir);

	/* A workspace with one 2,500-point series. */
	memset(&r, 0, sizeof r);
	r.name = "r";
	r.git_dirty = -1;
	ok(db_open(dbpath, 0, &db, &err) == WB_OK &&
	    db_begin(db, &err) == WB_OK &&
	    db_exp_ensure(db, "e", &exp, &err) == WB_OK &&
	    (r.experiment_id = exp) > 0 &&
	    db_run_insert(db, &r, &run, &err) == WB_OK &&
	    mw_open(db, &w, &err) == WB_OK &&
	    mw_key(w, "loss", &key, &err) == WB_OK, "workspace made");
	for (i = 0; i < NPTS; i++)
		mw_add(w, run, key, (int64_t)i * 10, 1700000000000LL +
		    (int64_t)i * 1500, value_at(i), &err);
	ok(mw_flush(w, &err) == WB_OK && db_commit(db, &err) == WB_OK,
	    "points written");
	mw_close(w);
	db_close(db);
	is_int(q("SELECT count(*) FROM metric_chunks WHERE length(points) ="
	    " 24 * n"), 0, "new chunks are compressed");
	/* Full-precision doubles: XOR coding, about 7 bytes of 24. */
	ok(q("SELECT sum(length(points)) FROM metric_chunks") < NPTS * 8,
	    "under 8 bytes a point (%lld bytes for %d points)",
	    q("SELECT sum(length(points)) FROM metric_chunks"), NPTS);

	ok(make_v1() == 0, "rewritten in schema 1's format");
	is_int(q("SELECT count(*) FROM metric_chunks WHERE length(points) ="
	    " 24 * n"), 3, "three raw chunks");

	/* Read-only: read as it is, nothing migrated. */
	db_set_progress(on_progress, NULL);
	ok(db_open(dbpath, DB_NOCREATE | DB_READONLY, &db, &err) == WB_OK,
	    "schema 1 opens read-only");
	ok(check_points(db), "schema 1 points read bit for bit");
	db_close(db);
	is_int(q("PRAGMA user_version"), 1, "read-only open left schema 1");
	is_int(calls, 0, "no progress reported");

	/* Writable: migrated, with progress. */
	ok(db_open(dbpath, DB_NOCREATE, &db, &err) == WB_OK, "schema 1 opens"
	    " writable (migrates)");
	ok(check_points(db), "migrated points read bit for bit");
	ok(db_doctor(db, noline, &lines, &problems, &err) == WB_OK &&
	    problems == 0, "doctor clean after the migration");
	db_close(db);
	is_int(q("PRAGMA user_version"), DB_SCHEMA_VERSION, "schema is now "
	    "the latest");
	is_int(q("SELECT count(*) FROM metric_chunks WHERE length(points) ="
	    " 24 * n"), 0, "no raw chunk left");
	ok(calls >= 2 && first_done == 0 && last_done == 3 && last_total == 3,
	    "progress from 0 to 3 of 3 chunks (%llu calls)",
	    (unsigned long long)calls);

	/* Clean up. */
	unlink(dbpath);
	snprintf(dbpath + strlen(dbpath), 8, "-wal");
	unlink(dbpath);
	dbpath[strlen(dbpath) - 4] = '\0';
	snprintf(dbpath + strlen(dbpath), 8, "-shm");
	unlink(dbpath);
	dbpath[strlen(dbpath) - 4] = '\0';
	rmdir(dir);
	return tap_done();
}
