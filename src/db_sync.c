/*
 * db_sync: one store's content brought into another (db_sync.h), through
 * the statement API, so that any two stores sync the same way; new runs'
 * rows go in bulk (binary COPY into PostgreSQL, INSERT ... SELECT from
 * an attached file between two SQLite files: sync_fresh).
 *
 * What "changed" means is decided by comparing the two sides, not by
 * timestamps since the last sync: each run has a fingerprint (status,
 * end, exit code, updated_at, points stored, size of its params and
 * tags), read on both sides in one query each, and only runs whose
 * fingerprints differ are read further and written.  Timestamps would
 * miss a row written by a transaction that committed after the previous
 * sync had read past its time, and rows stamped by boxes whose clocks
 * disagree; the fingerprints cost one run-list read per side.
 *
 * Which side wins: a run's own fields come from the side whose updated_at
 * is later (every status change stamps it); metric points only ever grow,
 * so each series takes the side with more points (chunks are append-only:
 * those the receiver lacks or holds shorter are copied); params and tags
 * are added, and overwritten when the sender's run is the newer.  The
 * registry keeps both histories: events are appended in the sender's
 * order, and an alias is moved only when the receiver's history of that
 * alias is a prefix of the sender's (a fast-forward).  Anything else is a
 * conflict, named and left as the receiver has it.
 */
#include "config.h"

#include "db_sync.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "artifact.h"
#include "db_internal.h"
#include "db_textidx.h"
#include "err.h"
#include "mem.h"
#include "progress.h"
#include "strbuf.h"

/* The tables new runs' rows are copied into in bulk (struct sync). */
/*
 * BULK_RUNS first: the others' rows name its runs, so it is flushed
 * before any of theirs (db_copy_after).
 */
enum { BULK_RUNS, BULK_CHUNKS, BULK_SUMMARY, BULK_PARAMS, BULK_TAGS, BULK_N };

/* src id -> dst id, appended in src id order so that bsearch works. */
struct idmap {
	int64_t	(*v)[2];
	size_t	 n, cap;
};

struct sync {
	struct db		*dst, *src;
	const char		*peer;
	sync_conflict_fn	*conflict;
	void			*arg;
	struct sync_stats	*st;
	struct wb_err		*err;
	struct idmap		 exps, keys, models, versions, imports;
	/*
	 * Content fingerprints of params and tags per run id (kv_fps), of
	 * each side.
	 */
	struct idmap		 sparams, stags, dparams, dtags;
	/*
	 * The rows of new runs (no conflict is possible there), in bulk:
	 * binary COPY on PostgreSQL (db_copy.c).  Made on first use,
	 * flushed at the end of sync_runs.
	 */
	struct db_copy		*bulk[BULK_N];
	char			*src_root, *dst_root;	/* artifact roots */
	/*
	 * Between two SQLite files of the latest schema, src is also
	 * attached to dst's connection as wb_src, and new runs are copied
	 * by INSERT ... SELECT (sync_fresh): fresh maps their src ids to
	 * the dst ids they got; fresh_extra, whether any of them has rows
	 * that still take the per-run path (repro, data sets, artifacts,
	 * jobs).
	 */
	int			 attached;
	struct idmap		 fresh;
	int			 fresh_extra;
	/* Rows written to those temp tables: no change of dst. */
	int64_t			 temp_changes;
	/*
	 * Into PostgreSQL new runs go by COPY too, with ids taken from
	 * the runs' sequence a block at a time (new_run_id).
	 */
	int64_t			*idpool;
	size_t			 npool, ipool;
	/* dst's purge tombstones, sorted (tomb_has). */
	char			**tombs;
	size_t			 ntombs;
	int			 tombs_read;
};

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static int
map_add(struct idmap *m, int64_t from, int64_t to, struct wb_err *err)
{
	void	*nv;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		if ((nv = wb_reallocarray(m->v, m->cap, sizeof *m->v)) ==
		    NULL)
			return oom(err);
		m->v = nv;
	}
	m->v[m->n][0] = from;
	m->v[m->n][1] = to;
	m->n++;
	return WB_OK;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The dst id of src id from, or 0 when it has none. */
static int64_t
map_get(const struct idmap *m, int64_t from)
{
	const int64_t	(*p)[2];

	if (m->n == 0)
		return 0;
	p = bsearch(&from, m->v, m->n, sizeof *m->v, cmp_id);
	return p != NULL ? (*p)[1] : 0;
}

static void
conflict(struct sync *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
conflict(struct sync *s, const char *fmt, ...)
{
	char	buf[1024];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	s->st->conflicts++;
	if (s->conflict != NULL)
		s->conflict(s->arg, buf);
}

/* Bind n columns of src from column c as parameters from p of dst. */
static void
bind_cols(struct db_stmt *d, int p, struct db_stmt *s, int c, int n)
{
	int	i;

	for (i = 0; i < n; i++, p++, c++) {
		switch (db_column_type(s, c)) {
		case DB_INTEGER:
			db_bind_int64(d, p, db_column_int64(s, c));
			break;
		case DB_FLOAT:
			db_bind_double(d, p, db_column_double(s, c));
			break;
		case DB_TEXT:
			db_bind_text(d, p, db_column_text(s, c));
			break;
		case DB_BLOB:
			db_bind_blob(d, p, db_column_blob(s, c),
			    (size_t)db_column_bytes(s, c));
			break;
		default:
			db_bind_null(d, p);
		}
	}
}

static int
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* A statement error of db as err; returns WB_EDB. */
static int
fail(struct sync *s, struct db *db)
{
	return db_sqlerr(db, s->err);
}

/*
 * The end of a loop over the rows of src statement q: q reset, and the
 * loop's last step result made a status.  DB_DONE: all rows done;
 * DB_ROW: the loop broke off, its error already in s->err; anything
 * else: src's error.
 */
static int
rows_end(struct sync *s, struct db_stmt *q, int rc)
{
	db_reset(q);
	if (rc == DB_DONE)
		return WB_OK;
	if (rc == DB_ROW)
		return WB_EDB;
	return fail(s, s->src);
}

/*
 * Each row of q (src, bound by the caller) into i (dst): ?1 is id, then
 * the row's n columns from column 0.
 */
static int
copy_rows(struct sync *s, struct db_stmt *q, struct db_stmt *i, int64_t id,
    int n)
{
	int	rc;

	while ((rc = db_step(q)) == DB_ROW) {
		db_bind_int64(i, 1, id);
		bind_cols(i, 2, q, 0, n);
		if (db_step_done(s->dst, i, s->err) != WB_OK)
			break;
	}
	return rows_end(s, q, rc);
}

/*
 * The bulk writer of table t (BULK_*) into dst.  The columns of each are
 * the id of the run, then those of the src queries that feed them.
 */
static struct db_copy *
bulk(struct sync *s, int t)
{
	static const char *const table[BULK_N] = {
		"runs", "metric_chunks", "metric_summary", "params", "tags"
	};
	static const char *const cols[BULK_N] = {
		"id, uuid, experiment_id, name, status, source, command,"
		" git_commit, git_dirty, host, \"user\", started_at, ended_at,"
		" exit_code, log_path, created_at, updated_at, deleted_at,"
		" import_id",
		"run_id, key_id, seq, n, step_min, step_max, v_min, v_max,"
		" ts_min, ts_max, blocks, points",
		"run_id, key_id, count, nan_count, first, first_step, last,"
		" last_step, last_ts, min, min_step, max, max_step",
		"run_id, key, value",
		"run_id, key, value"
	};
	static const int ncols[BULK_N] = { 19, 12, 13, 3, 3 };

	if (s->bulk[t] == NULL) {
		s->bulk[t] = db_copy_new(s->dst, table[t], cols[t], ncols[t],
		    s->err);
		if (s->bulk[t] != NULL && t != BULK_RUNS &&
		    s->bulk[BULK_RUNS] != NULL)
			db_copy_after(s->bulk[t], s->bulk[BULK_RUNS]);
	}
	return s->bulk[t];
}

/*
 * The runs gathered for COPY, sent now: before a statement writes a row
 * that names one of them (repro, data sets, artifacts, jobs).
 */
static int
runs_flushed(struct sync *s)
{
	if (s->bulk[BULK_RUNS] == NULL)
		return WB_OK;
	return db_copy_flush(s->bulk[BULK_RUNS], s->err);
}

/* A new run's id in dst, from its sequence, 1,024 reserved per query. */
static int
new_run_id(struct sync *s, int64_t *id)
{
	static const char sql[] = "SELECT nextval(pg_get_serial_sequence("
	    "'runs', 'id')) FROM generate_series(1, 1024)";
	struct db_stmt	*q;
	int		 rc;

	if (s->ipool == s->npool) {
		if (s->idpool == NULL && (s->idpool = wb_calloc(1024,
		    sizeof *s->idpool)) == NULL)
			return oom(s->err);
		s->npool = s->ipool = 0;
		if ((q = db_prepare(s->dst, sql, s->err)) == NULL)
			return WB_EDB;
		while (s->npool < 1024 && (rc = db_step(q)) == DB_ROW)
			s->idpool[s->npool++] = db_column_int64(q, 0);
		db_reset(q);
		if (s->npool == 0)
			return fail(s, s->dst);
	}
	*id = s->idpool[s->ipool++];
	return WB_OK;
}

/*
 * Columns c.. of q into bulk row w, one type letter each: i bigint,
 * d double precision, t text, b bytea (the column's, not the value's:
 * a binary COPY must send what the table holds).
 */
static void
bulk_cols(struct db_copy *w, struct db_stmt *q, int c, const char *types)
{
	for (; *types != '\0'; types++, c++) {
		if (db_column_type(q, c) == DB_NULL) {
			db_copy_null(w);
			continue;
		}
		switch (*types) {
		case 'i':
			db_copy_int64(w, db_column_int64(q, c));
			break;
		case 'd':
			db_copy_double(w, db_column_double(q, c));
			break;
		case 'b':
			db_copy_blob(w, db_column_blob(q, c),
			    (size_t)db_column_bytes(q, c));
			break;
		default:
			db_copy_text(w, db_column_text(q, c));
		}
	}
}

/* One bulk row: the dst ids a and (if b) b, then q's columns. */
static int
bulk_row(struct sync *s, int t, int64_t a, const int64_t *b,
    struct db_stmt *q, int c, const char *types)
{
	struct db_copy	*w;

	if ((w = bulk(s, t)) == NULL)
		return s->err != NULL && s->err->code != WB_OK ? s->err->code :
		    WB_EDB;
	db_copy_int64(w, a);
	if (b != NULL)
		db_copy_int64(w, *b);
	bulk_cols(w, q, c, types);
	return db_copy_row(w, s->err);
}

/* A new run (RUN_COLS row q) as a bulk row of id did. */
static int
bulk_run(struct sync *s, int64_t did, const char *uuid, int64_t exp,
    int64_t imp, struct db_stmt *q)
{
	struct db_copy	*w;

	if ((w = bulk(s, BULK_RUNS)) == NULL)
		return s->err != NULL && s->err->code != WB_OK ? s->err->code :
		    WB_EDB;
	db_copy_int64(w, did);
	db_copy_text(w, uuid);
	db_copy_int64(w, exp);
	bulk_cols(w, q, 3, "tttttittiiitii");
	bulk_cols(w, q, 18, "i");
	if (imp == 0)
		db_copy_null(w);
	else
		db_copy_int64(w, imp);
	return db_copy_row(w, s->err);
}

/*
 * A 64-bit hash of a param's or tag's key and value (FNV-1a, then mixed
 * so that a sum over rows does not cancel out).
 */
static uint64_t
kv_hash(const char *key, const char *value)
{
	uint64_t	h = 14695981039346656037ULL;
	const char	*p;

	for (p = key ? key : ""; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;	/* no key ends with it */
	if (value == NULL)
		h = (h ^ 0xfe) * 1099511628211ULL;
	else
		for (p = value; *p != '\0'; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

/*
 * Per run id of db, a fingerprint of the content of its params (or
 * tags): the sum of the rows' hashes, in any order.  A value changed in
 * place changes it, whatever its length; both sides compute it alike in
 * C, so the stores' collations and length functions play no part.  sql
 * reads run_id, key, value ordered by run_id (fps_all_p and the others
 * before sync_runs).
 */
static int
kv_fps(struct sync *s, struct db *db, const char *sql, struct idmap *out)
{
	struct db_stmt	*q;
	int64_t		 run = 0, id;
	uint64_t	 h = 0;
	int		 rc, any = 0;

	if ((q = db_prepare(db, sql, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		id = db_column_int64(q, 0);
		if (any && id != run &&
		    map_add(out, run, (int64_t)(h | 1), s->err) != WB_OK)
			break;
		if (!any || id != run)
			h = 0;
		any = 1;
		run = id;
		h += kv_hash(db_column_text(q, 1), db_column_text(q, 2));
	}
	if (rc == DB_DONE && any && map_add(out, run, (int64_t)(h | 1),
	    s->err) != WB_OK)
		rc = DB_ROW;
	db_reset(q);
	if (rc == DB_DONE)
		return WB_OK;
	return rc == DB_ROW ? WB_EDB : db_sqlerr(db, s->err);
}

/*
 * The dst id of q's row, src id in q's column 0: the row f finds (bound
 * by the caller), or one inserted by i (INSERT ... RETURNING id) from
 * q's n columns from c, counted in *added.  The pair goes into m.
 */
static int
find_or_add(struct sync *s, struct db_stmt *q, struct db_stmt *f,
    struct db_stmt *i, int c, int n, int64_t *added, struct idmap *m)
{
	int64_t	id = 0;
	int	rc;

	if ((rc = db_step(f)) == DB_ROW)
		id = db_column_int64(f, 0);
	db_reset(f);
	if (rc == DB_DONE) {
		bind_cols(i, 1, q, c, n);
		if (db_step_id(s->dst, i, &id, s->err) != WB_OK)
			return WB_EDB;
		(*added)++;
	} else if (rc != DB_ROW)
		return fail(s, s->dst);
	return map_add(m, db_column_int64(q, 0), id, s->err);
}

/* A single int64 of a one-row query with one bound int64 (or none). */
static int
one_int(struct db *db, const char *sql, int64_t a, int64_t b, int64_t *v,
    int64_t none, struct wb_err *err)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, a);
	db_bind_int64(st, 2, b);
	rc = db_step(st);
	*v = rc == DB_ROW && db_column_type(st, 0) != DB_NULL ?
	    db_column_int64(st, 0) : none;
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	return WB_OK;
}

/* -- experiments and metric keys ---------------------------------------- */

/*
 * Experiment id of dst takes the sender's name and deleted state (row q
 * of sync_experiments).  A name another experiment of dst holds is a
 * conflict: named, and the rest is still brought.
 */
static int
exp_update(struct sync *s, int64_t id, struct db_stmt *q)
{
	static const char taken[] = "SELECT 1 FROM experiments WHERE"
	    " name = ?1 AND id != ?2";
	static const char upd[] = "UPDATE experiments SET name = ?1,"
	    " deleted_at = ?2, updated_at = ?3 WHERE id = ?4";
	static const char upd_keep[] = "UPDATE experiments SET deleted_at ="
	    " ?1, updated_at = ?2 WHERE id = ?3";
	struct db_stmt	*t, *u;
	int		 rc;

	if ((t = db_prepare(s->dst, taken, s->err)) == NULL)
		return WB_EDB;
	db_bind_text(t, 1, db_column_text(q, 2));
	db_bind_int64(t, 2, id);
	rc = db_step(t);
	db_reset(t);
	if (rc != DB_ROW && rc != DB_DONE)
		return fail(s, s->dst);
	if (rc == DB_ROW) {
		conflict(s, "experiment '%s' of %s: another experiment has "
		    "that name here; its name is kept", db_column_text(q, 2),
		    s->peer);
		if ((u = db_prepare(s->dst, upd_keep, s->err)) == NULL)
			return WB_EDB;
		bind_cols(u, 1, q, 6, 2);
		db_bind_int64(u, 3, id);
		return db_step_done(s->dst, u, s->err);
	}
	if ((u = db_prepare(s->dst, upd, s->err)) == NULL)
		return WB_EDB;
	bind_cols(u, 1, q, 2, 1);
	bind_cols(u, 2, q, 6, 2);
	db_bind_int64(u, 4, id);
	return db_step_done(s->dst, u, s->err);
}

static int
sync_experiments(struct sync *s)
{
	static const char src_sql[] = "SELECT id, uuid, name, description,"
	    " created_at, archived, deleted_at, updated_at FROM experiments"
	    " ORDER BY id";
	static const char find[] = "SELECT id, updated_at FROM experiments"
	    " WHERE uuid = ?1 UNION ALL SELECT id, updated_at FROM"
	    " experiments WHERE name = ?2";
	static const char ins[] = "INSERT INTO experiments (uuid, name,"
	    " description, created_at, archived, deleted_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
	int64_t		 dupd, id = 0;
	struct db_stmt	*q, *f, *i;
	int		 rc;

	if ((q = db_prepare(s->src, src_sql, s->err)) == NULL ||
	    (f = db_prepare(s->dst, find, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		/* By UUID first, then by name: two boxes' "cifar10" are one. */
		db_bind_text(f, 1, db_column_text(q, 1));
		db_bind_text(f, 2, db_column_text(q, 2));
		dupd = 0;
		if ((rc = db_step(f)) == DB_ROW) {
			id = db_column_int64(f, 0);
			dupd = db_column_int64(f, 1);
		}
		db_reset(f);
		/* Renamed, deleted or restored on the sender since. */
		if (rc == DB_ROW && db_column_int64(q, 7) > dupd &&
		    exp_update(s, id, q) != WB_OK) {
			db_reset(q);
			return WB_EDB;
		}
		if (rc == DB_DONE) {
			bind_cols(i, 1, q, 1, 7);
			if (db_step_id(s->dst, i, &id, s->err) != WB_OK) {
				db_reset(q);
				return WB_EDB;
			}
			s->st->experiments++;
		} else if (rc != DB_ROW) {
			db_reset(q);
			return fail(s, s->dst);
		}
		if (map_add(&s->exps, db_column_int64(q, 0), id, s->err) !=
		    WB_OK) {
			db_reset(q);
			return WB_ENOMEM;
		}
	}
	return rows_end(s, q, rc);
}

static int
sync_keys(struct sync *s)
{
	static const char src_sql[] = "SELECT id, name FROM metric_keys"
	    " ORDER BY id";
	static const char find[] = "SELECT id FROM metric_keys WHERE"
	    " name = ?1";
	static const char ins[] = "INSERT INTO metric_keys (name) VALUES (?1)"
	    " ON CONFLICT (name) DO UPDATE SET name = excluded.name"
	    " RETURNING id";
	struct db_stmt	*q, *f, *i;
	int64_t		 id;
	int		 rc, r2;

	if ((q = db_prepare(s->src, src_sql, s->err)) == NULL ||
	    (f = db_prepare(s->dst, find, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		db_bind_text(f, 1, db_column_text(q, 1));
		if ((r2 = db_step(f)) == DB_ROW)
			id = db_column_int64(f, 0);
		db_reset(f);
		if (r2 == DB_DONE && s->dst->ops->key_insert != NULL)
			/* As an import does: other writers need not wait. */
			r2 = s->dst->ops->key_insert(s->dst,
			    db_column_text(q, 1), &id, s->err);
		else if (r2 == DB_DONE) {
			db_bind_text(i, 1, db_column_text(q, 1));
			r2 = db_step_id(s->dst, i, &id, s->err);
		} else if (r2 == DB_ROW)
			r2 = WB_OK;
		else
			r2 = fail(s, s->dst);
		if (r2 != WB_OK || map_add(&s->keys, db_column_int64(q, 0), id,
		    s->err) != WB_OK) {
			db_reset(q);
			return WB_EDB;
		}
	}
	return rows_end(s, q, rc);
}

/* -- runs ----------------------------------------------------------------- */

/*
 * The columns of a run both sides read: 0 id, 1 uuid, 2 experiment_id,
 * 3-16 the run's fields in ins_run's order, 17 the points stored, 18
 * deleted_at, 19 the parent's UUID (issue 15), 20 the import ledger row.
 * With the content of its params and tags (kv_fps) they are the run's
 * fingerprint.  A delete, restore, rename, tag or note stamps updated_at,
 * which the fingerprint holds, so they travel as any other change of the
 * run's fields.  21: the run's artifacts and data sets (their count,
 * and the last artifact's time: logging one does not stamp the run).
 */
#define RUN_COLS_IN(S)							\
	"SELECT r.id, r.uuid, r.experiment_id, r.name, r.status, r.source," \
	" r.command, r.git_commit, r.git_dirty, r.host, r.\"user\","	\
	" r.started_at, r.ended_at, r.exit_code, r.log_path, r.created_at," \
	" r.updated_at, (SELECT coalesce(sum(count), 0) FROM " S		\
	"metric_summary s WHERE s.run_id = r.id), r.deleted_at, (SELECT"	\
	" p.uuid FROM " S "runs p WHERE p.id = r.parent_id), r.import_id,"	\
	" (SELECT count(*) + coalesce(max(created_at), 0) FROM " S		\
	"run_artifacts a WHERE a.run_id = r.id) + (SELECT count(*) * 7 FROM " \
	S "run_inputs i WHERE i.run_id = r.id) + (SELECT count(*) * 13 FROM " \
	S "run_outputs o WHERE o.run_id = r.id) FROM " S "runs r"
/* A store's own runs; between two files, S "wb_src." reads the sender. */
#define RUN_COLS	RUN_COLS_IN("")

struct drun {
	char	 uuid[33];
	int64_t	 id, updated_at, ended_at, exit_code, points, pfp, tfp, afp;
	int	 ended_null, exit_null;
	char	*status, *name;
};

static int
cmp_drun(const void *a, const void *b)
{
	return strcmp(((const struct drun *)a)->uuid,
	    ((const struct drun *)b)->uuid);
}

static void
druns_free(struct drun *d, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		wb_free(d[i].status);
		wb_free(d[i].name);
	}
	wb_free(d);
}

/*
 * The runs of dst sql selects (RUN_COLS) with their fingerprints, sorted
 * by UUID.
 */
static int
dst_runs(struct sync *s, const char *sql, struct drun **out, size_t *nout)
{
	struct db_stmt	*q;
	struct drun	*d = NULL, *nd;
	size_t		 n = 0, cap = 0;
	const char	*u;
	int		 rc;

	if ((q = db_prepare(s->dst, sql, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			if ((nd = wb_reallocarray(d, cap, sizeof *d)) == NULL)
				goto nomem;
			d = nd;
		}
		memset(&d[n], 0, sizeof d[n]);
		u = db_column_text(q, 1);
		snprintf(d[n].uuid, sizeof d[n].uuid, "%s", u ? u : "");
		d[n].id = db_column_int64(q, 0);
		d[n].name = db_column_strdup(q, 3);
		d[n].status = db_column_strdup(q, 4);
		d[n].ended_null = db_column_type(q, 12) == DB_NULL;
		d[n].ended_at = db_column_int64(q, 12);
		d[n].exit_null = db_column_type(q, 13) == DB_NULL;
		d[n].exit_code = db_column_int64(q, 13);
		d[n].updated_at = db_column_int64(q, 16);
		d[n].points = db_column_int64(q, 17);
		d[n].pfp = map_get(&s->dparams, d[n].id);
		d[n].tfp = map_get(&s->dtags, d[n].id);
		d[n].afp = db_column_int64(q, 21);
		n++;
		if (d[n - 1].status == NULL)
			goto nomem;
	}
	db_reset(q);
	if (rc != DB_DONE) {
		druns_free(d, n);
		return fail(s, s->dst);
	}
	if (n > 0)	/* qsort and bsearch take no NULL array */
		qsort(d, n, sizeof *d, cmp_drun);
	*out = d;
	*nout = n;
	return WB_OK;
nomem:
	db_reset(q);
	druns_free(d, n);
	return oom(s->err);
}

/* Whether the src run at q's row matches dst's fingerprint d. */
static int
same_run(struct sync *s, struct db_stmt *q, const struct drun *d)
{
	int64_t	id = db_column_int64(q, 0);

	return streq(db_column_text(q, 3), d->name) &&
	    streq(db_column_text(q, 4), d->status) &&
	    (db_column_type(q, 12) == DB_NULL) == d->ended_null &&
	    db_column_int64(q, 12) == d->ended_at &&
	    (db_column_type(q, 13) == DB_NULL) == d->exit_null &&
	    db_column_int64(q, 13) == d->exit_code &&
	    db_column_int64(q, 16) == d->updated_at &&
	    db_column_int64(q, 17) == d->points &&
	    map_get(&s->sparams, id) == d->pfp &&
	    map_get(&s->stags, id) == d->tfp &&
	    db_column_int64(q, 21) == d->afp;
}

/*
 * Params or tags of run sid into did.  KV_ADD: what dst lacks;
 * KV_OVERWRITE: the sender's values win; KV_NEW: did is a new run, all
 * rows go in bulk.
 */
enum { KV_ADD, KV_OVERWRITE, KV_NEW };

static int
sync_kv(struct sync *s, int tags, int64_t sid, int64_t did, int mode)
{
	static const char sp[] = "SELECT key, value FROM params WHERE"
	    " run_id = ?1";
	static const char stg[] = "SELECT key, value FROM tags WHERE"
	    " run_id = ?1";
	static const char ip[] = "INSERT INTO params (run_id, key, value)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (run_id, key) DO NOTHING";
	static const char it[] = "INSERT INTO tags (run_id, key, value)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (run_id, key) DO NOTHING";
	static const char up[] = "INSERT INTO params (run_id, key, value)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (run_id, key) DO UPDATE SET"
	    " value = excluded.value";
	static const char ut[] = "INSERT INTO tags (run_id, key, value)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (run_id, key) DO UPDATE SET"
	    " value = excluded.value";
	struct db_stmt	*q, *i;
	int		 rc;

	/* A run without any: nothing to read. */
	if (map_get(tags ? &s->stags : &s->sparams, sid) == 0)
		return WB_OK;
	if ((q = db_prepare(s->src, tags ? stg : sp, s->err)) == NULL)
		return WB_EDB;
	db_bind_int64(q, 1, sid);
	if (mode == KV_NEW) {
		while ((rc = db_step(q)) == DB_ROW)
			if (bulk_row(s, tags ? BULK_TAGS : BULK_PARAMS, did,
			    NULL, q, 0, "tt") != WB_OK)
				break;
		return rows_end(s, q, rc);
	}
	if ((i = db_prepare(s->dst, mode == KV_OVERWRITE ? (tags ? ut : up) :
	    (tags ? it : ip), s->err)) == NULL) {
		db_reset(q);
		return WB_EDB;
	}
	return copy_rows(s, q, i, did, 2);
}

/*
 * What run sid keeps to be run again (run_repro) into did; overwrite: the
 * sender's values win.  A sender older than the table has none.
 */
static int
sync_repro(struct sync *s, int64_t sid, int64_t did, int overwrite)
{
	static const char sq[] = "SELECT section, key, value FROM run_repro"
	    " WHERE run_id = ?1";
	static const char ins[] = "INSERT INTO run_repro (run_id, section,"
	    " key, value) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id,"
	    " section, key) DO NOTHING";
	static const char up[] = "INSERT INTO run_repro (run_id, section,"
	    " key, value) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id,"
	    " section, key) DO UPDATE SET value = excluded.value";
	struct db_stmt	*q, *i;
	int		 rc;

	if (s->src->schema < DB_SCHEMA_REPRO)
		return WB_OK;
	if ((q = db_prepare(s->src, sq, s->err)) == NULL ||
	    (i = db_prepare(s->dst, overwrite ? up : ins, s->err)) == NULL)
		return WB_EDB;
	db_bind_int64(q, 1, sid);
	while ((rc = db_step(q)) == DB_ROW) {
		const void *v = db_column_blob(q, 2);

		if (runs_flushed(s) != WB_OK) {
			db_reset(q);
			return WB_EDB;
		}
		db_bind_int64(i, 1, did);
		bind_cols(i, 2, q, 0, 2);
		/* An empty value reads as a NULL pointer: bind it as "". */
		db_bind_blob(i, 4, v ? v : "", (size_t)db_column_bytes(q, 2));
		if (db_step_done(s->dst, i, s->err) != WB_OK) {
			db_reset(q);
			return WB_EDB;
		}
	}
	db_reset(q);
	return rc == DB_DONE ? WB_OK : fail(s, s->src);
}

/*
 * The metric series of run sid into did: per key, when src holds more
 * points, the chunks from dst's last one on (it may be the shorter copy
 * of a chunk that kept filling) and the summary.
 */
static int
sync_points(struct sync *s, int64_t sid, int64_t did, int is_new)
{
	static const char sums[] = "SELECT key_id, count, nan_count, first,"
	    " first_step, last, last_step, last_ts, min, min_step, max,"
	    " max_step FROM metric_summary WHERE run_id = ?1";
	static const char dcount[] = "SELECT count FROM metric_summary"
	    " WHERE run_id = ?1 AND key_id = ?2";
	static const char dseq[] = "SELECT max(seq) FROM metric_chunks"
	    " WHERE run_id = ?1 AND key_id = ?2";
	static const char chunks[] = "SELECT seq, n, step_min, step_max,"
	    " v_min, v_max, ts_min, ts_max, blocks, points FROM metric_chunks"
	    " WHERE run_id = ?1 AND key_id = ?2 AND seq >= ?3 ORDER BY seq";
	static const char ichunk[] = "INSERT INTO metric_chunks (run_id,"
	    " key_id, seq, n, step_min, step_max, v_min, v_max, ts_min,"
	    " ts_max, blocks, points) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	    " ?9, ?10, ?11, ?12) ON CONFLICT (run_id, key_id, seq) DO UPDATE"
	    " SET n = excluded.n, step_min = excluded.step_min, step_max ="
	    " excluded.step_max, v_min = excluded.v_min, v_max ="
	    " excluded.v_max, ts_min = excluded.ts_min, ts_max ="
	    " excluded.ts_max, blocks = excluded.blocks, points ="
	    " excluded.points WHERE metric_chunks.n < excluded.n";
	static const char isum[] = "INSERT INTO metric_summary (run_id,"
	    " key_id, count, nan_count, first, first_step, last, last_step,"
	    " last_ts, min, min_step, max, max_step) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (run_id,"
	    " key_id) DO UPDATE SET count = excluded.count, nan_count ="
	    " excluded.nan_count, first = excluded.first, first_step ="
	    " excluded.first_step, last = excluded.last, last_step ="
	    " excluded.last_step, last_ts = excluded.last_ts, min ="
	    " excluded.min, min_step = excluded.min_step, max = excluded.max,"
	    " max_step = excluded.max_step WHERE metric_summary.count <"
	    " excluded.count";
	struct db_stmt	*q, *c, *ic, *is;
	int64_t		 key, have, from;
	int		 rc, r2;

	if ((q = db_prepare(s->src, sums, s->err)) == NULL ||
	    (c = db_prepare(s->src, chunks, s->err)) == NULL ||
	    (ic = db_prepare(s->dst, ichunk, s->err)) == NULL ||
	    (is = db_prepare(s->dst, isum, s->err)) == NULL)
		return WB_EDB;
	db_bind_int64(q, 1, sid);
	while ((rc = db_step(q)) == DB_ROW) {
		if ((key = map_get(&s->keys, db_column_int64(q, 0))) == 0) {
			db_reset(q);
			return wb_err_set(s->err, WB_EDB, "%s: a metric "
			    "summary names metric key %lld, which is not "
			    "there", s->peer, (long long)db_column_int64(q, 0));
		}
		have = -1;
		from = INT64_MIN;
		if (!is_new && (one_int(s->dst, dcount, did, key, &have, -1,
		    s->err) != WB_OK || (have >= 0 && one_int(s->dst, dseq,
		    did, key, &from, INT64_MIN, s->err) != WB_OK))) {
			db_reset(q);
			return WB_EDB;
		}
		if (have >= db_column_int64(q, 1))
			continue;
		db_bind_int64(c, 1, sid);
		db_bind_int64(c, 2, db_column_int64(q, 0));
		db_bind_int64(c, 3, from);
		while ((r2 = db_step(c)) == DB_ROW) {
			/* A new run's chunks conflict with none: in bulk. */
			if (is_new) {
				if (bulk_row(s, BULK_CHUNKS, did, &key, c, 0,
				    "iiiiddiibb") != WB_OK)
					break;
				continue;
			}
			db_bind_int64(ic, 1, did);
			db_bind_int64(ic, 2, key);
			bind_cols(ic, 3, c, 0, 10);
			if (db_step_done(s->dst, ic, s->err) != WB_OK)
				break;
		}
		if (rows_end(s, c, r2) != WB_OK) {
			db_reset(q);
			return WB_EDB;
		}
		if (is_new)
			r2 = bulk_row(s, BULK_SUMMARY, did, &key, q, 1,
			    "iididiididi");
		else {
			db_bind_int64(is, 1, did);
			db_bind_int64(is, 2, key);
			bind_cols(is, 3, q, 1, 11);
			r2 = db_step_done(s->dst, is, s->err);
		}
		if (r2 != WB_OK) {
			db_reset(q);
			return WB_EDB;
		}
		s->st->points += db_column_int64(q, 1) - (have > 0 ? have : 0);
	}
	return rows_end(s, q, rc);
}

/*
 * The datasets a run read (run_inputs) and wrote (run_outputs), matched
 * by UUID.
 */
static int
sync_datasets(struct sync *s, int64_t sid, int64_t did, int outputs)
{
	static const char q_in[] = "SELECT d.uuid, d.name, d.path, d.digest,"
	    " d.n_rows, d.n_cols, d.source_type, d.schema, d.created_at,"
	    " d.size, ri.role FROM run_inputs ri JOIN datasets d ON d.id ="
	    " ri.dataset_id WHERE ri.run_id = ?1";
	static const char q_out[] = "SELECT d.uuid, d.name, d.path, d.digest,"
	    " d.n_rows, d.n_cols, d.source_type, d.schema, d.created_at,"
	    " d.size, ro.role FROM run_outputs ro JOIN datasets d ON d.id ="
	    " ro.dataset_id WHERE ro.run_id = ?1";
	static const char ids[] = "INSERT INTO datasets (uuid, name, path,"
	    " digest, n_rows, n_cols, source_type, schema, created_at, size)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT"
	    " (uuid) DO UPDATE SET uuid = excluded.uuid RETURNING id";
	static const char iri[] = "INSERT INTO run_inputs (run_id, dataset_id,"
	    " role) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
	static const char iro[] = "INSERT INTO run_outputs (run_id,"
	    " dataset_id, role) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
	struct db_stmt	*q, *d, *r;
	int64_t		 ds;
	int		 rc;

	if ((q = db_prepare(s->src, outputs ? q_out : q_in, s->err)) == NULL ||
	    (d = db_prepare(s->dst, ids, s->err)) == NULL ||
	    (r = db_prepare(s->dst, outputs ? iro : iri, s->err)) == NULL)
		return WB_EDB;
	db_bind_int64(q, 1, sid);
	while ((rc = db_step(q)) == DB_ROW) {
		if (runs_flushed(s) != WB_OK)
			break;
		bind_cols(d, 1, q, 0, 10);
		if (db_step_id(s->dst, d, &ds, s->err) != WB_OK)
			break;
		db_bind_int64(r, 1, did);
		db_bind_int64(r, 2, ds);
		bind_cols(r, 3, q, 10, 1);
		if (db_step_done(s->dst, r, s->err) != WB_OK)
			break;
	}
	return rows_end(s, q, rc);
}

/*
 * The artifacts of run sid into did: the later logging of a name wins.
 * Their blobs are copied (checked) when the two stores' artifact roots
 * differ, before the rows that name them are written.
 */
static int
sync_artifacts(struct sync *s, int64_t sid, int64_t did)
{
	static const char q_sql[] = "SELECT name, kind, sha256, size, n_files,"
	    " created_at FROM run_artifacts WHERE run_id = ?1";
	static const char ins[] = "INSERT INTO run_artifacts (run_id, name,"
	    " kind, sha256, size, n_files, created_at) VALUES (?1, ?2, ?3, ?4,"
	    " ?5, ?6, ?7) ON CONFLICT (run_id, name) DO UPDATE SET kind ="
	    " excluded.kind, sha256 = excluded.sha256, size = excluded.size,"
	    " n_files = excluded.n_files, created_at = excluded.created_at"
	    " WHERE run_artifacts.created_at < excluded.created_at";
	struct db_stmt	*q, *i;
	const char	*kind, *sha, *name;
	int		 rc;

	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	db_bind_int64(q, 1, sid);
	while ((rc = db_step(q)) == DB_ROW) {
		name = db_column_text(q, 0);
		kind = db_column_text(q, 1);
		sha = db_column_text(q, 2);
		if (s->dst_root == NULL && (art_root(s->src, &s->src_root,
		    s->err) != WB_OK || art_root(s->dst, &s->dst_root,
		    s->err) != WB_OK))
			break;
		if (art_copy(s->src_root, s->dst_root, kind ? kind : "file",
		    sha ? sha : "", name ? name : "", s->err) != WB_OK ||
		    runs_flushed(s) != WB_OK)
			break;
		db_bind_int64(i, 1, did);
		bind_cols(i, 2, q, 0, 6);
		if (db_step_done(s->dst, i, s->err) != WB_OK)
			break;
	}
	db_reset(q);
	if (rc == DB_ROW)
		return WB_EIO;		/* err is set */
	return rc == DB_DONE ? WB_OK : fail(s, s->src);
}

/*
 * The job row of a run, once the job has ended.  A job still queued or
 * running stays with the store whose supervisor owns it: a copy of a
 * queued job could be started a second time by the receiver's queue, and
 * a running one would be judged by a pid check on the wrong workspace.
 * Its run (status, points) syncs all the same.
 */
static int
sync_job(struct sync *s, int64_t sid, int64_t did)
{
	static const char q_sql[] = "SELECT entry, argv, cwd, env, env_digest,"
	    " scalars, state, pid, pgid, supervisor_pid, host, log_path,"
	    " exit_code, signal, kill_at, queued_at, started_at, ended_at"
	    " FROM jobs WHERE run_id = ?1 AND state IN ('finished', 'failed',"
	    " 'killed', 'lost')";
	static const char ins[] = "INSERT INTO jobs (run_id, entry, argv, cwd,"
	    " env, env_digest, scalars, state, pid, pgid, supervisor_pid, host,"
	    " log_path, exit_code, signal, kill_at, queued_at, started_at,"
	    " ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	    " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) ON CONFLICT (run_id) DO"
	    " UPDATE SET state = excluded.state, pid = excluded.pid, pgid ="
	    " excluded.pgid, supervisor_pid = excluded.supervisor_pid, host ="
	    " excluded.host, log_path = excluded.log_path, exit_code ="
	    " excluded.exit_code, signal = excluded.signal, kill_at ="
	    " excluded.kill_at, started_at = excluded.started_at, ended_at ="
	    " excluded.ended_at WHERE jobs.state IS DISTINCT FROM"
	    " excluded.state OR jobs.ended_at IS DISTINCT FROM"
	    " excluded.ended_at";
	struct db_stmt	*q, *i;
	int		 rc;

	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	db_bind_int64(q, 1, sid);
	if ((rc = db_step(q)) == DB_ROW) {
		db_bind_int64(i, 1, did);
		bind_cols(i, 2, q, 0, 18);
		if (runs_flushed(s) != WB_OK ||
		    db_step_done(s->dst, i, s->err) != WB_OK) {
			db_reset(q);
			return WB_EDB;
		}
		if (db_changes(s->dst) > 0)
			s->st->jobs++;
	}
	db_reset(q);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : fail(s, s->src);
}

/* -- lifecycle: tombstones, removed tags, parents, experiments ------------- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Whether dst holds a tombstone for uuid.  They are read once, sorted:
 * a query per run not in dst was a round trip per new run of a push.
 */
static int
tomb_has(struct sync *s, const char *uuid, int *has)
{
	static const char sql[] = "SELECT uuid FROM runs_purged";
	struct db_stmt	*q;
	char		**nv;
	size_t		 cap = 0;
	int		 rc;

	if (!s->tombs_read) {
		if ((q = db_prepare(s->dst, sql, s->err)) == NULL)
			return WB_EDB;
		while ((rc = db_step(q)) == DB_ROW) {
			if (s->ntombs == cap) {
				cap = cap ? cap * 2 : 64;
				if ((nv = wb_reallocarray(s->tombs, cap,
				    sizeof *nv)) == NULL) {
					db_reset(q);
					return oom(s->err);
				}
				s->tombs = nv;
			}
			if ((s->tombs[s->ntombs] = db_column_strdup(q, 0)) ==
			    NULL) {
				db_reset(q);
				return oom(s->err);
			}
			s->ntombs++;
		}
		db_reset(q);
		if (rc != DB_DONE)
			return fail(s, s->dst);
		if (s->ntombs > 0)
			qsort(s->tombs, s->ntombs, sizeof *s->tombs, cmp_str);
		s->tombs_read = 1;
	}
	*has = s->ntombs > 0 && bsearch(&uuid, s->tombs, s->ntombs,
	    sizeof *s->tombs, cmp_str) != NULL;
	return WB_OK;
}

/*
 * The sender's run is the newer: tags it no longer has (runs tag
 * --remove, a note cleared) go from dst too.
 */
static int
drop_tags(struct sync *s, int64_t sid, int64_t did)
{
	static const char dk[] = "SELECT key FROM tags WHERE run_id = ?1";
	static const char sk[] = "SELECT 1 FROM tags WHERE run_id = ?1 AND"
	    " key = ?2";
	static const char del[] = "DELETE FROM tags WHERE run_id = ?1 AND"
	    " key = ?2";
	struct db_stmt	*q, *f, *d;
	char		**keys = NULL, **nk;
	size_t		 n = 0, i;
	int		 rc, r2 = WB_OK;

	if ((q = db_prepare(s->dst, dk, s->err)) == NULL ||
	    (f = db_prepare(s->src, sk, s->err)) == NULL ||
	    (d = db_prepare(s->dst, del, s->err)) == NULL)
		return WB_EDB;
	db_bind_int64(q, 1, did);
	while ((rc = db_step(q)) == DB_ROW) {
		if ((nk = wb_reallocarray(keys, n + 1, sizeof *keys)) == NULL ||
		    (nk[n] = db_column_strdup(q, 0)) == NULL) {
			keys = nk != NULL ? nk : keys;
			r2 = oom(s->err);
			break;
		}
		keys = nk;
		n++;
	}
	db_reset(q);
	if (r2 == WB_OK && rc != DB_DONE)
		r2 = fail(s, s->dst);
	for (i = 0; i < n && r2 == WB_OK; i++) {
		db_bind_int64(f, 1, sid);
		db_bind_text(f, 2, keys[i]);
		rc = db_step(f);
		db_reset(f);
		if (rc == DB_ROW)
			continue;
		if (rc != DB_DONE) {
			r2 = fail(s, s->src);
			break;
		}
		db_bind_int64(d, 1, did);
		db_bind_text(d, 2, keys[i]);
		r2 = db_step_done(s->dst, d, s->err);
	}
	for (i = 0; i < n; i++)
		wb_free(keys[i]);
	wb_free(keys);
	return r2;
}

/*
 * The sender's tombstones: recorded in dst, and dst's copy of each run
 * purged there too, unless it backs a model version of dst (a conflict,
 * named; the run is kept).  Before the runs, so that none comes back.
 */
static int
sync_tombs(struct sync *s)
{
	static const char src_sql[] = "SELECT uuid, purged_at FROM"
	    " runs_purged ORDER BY uuid";
	static const char ins[] = "INSERT INTO runs_purged (uuid, purged_at)"
	    " VALUES (?1, ?2) ON CONFLICT (uuid) DO NOTHING";
	static const char find[] = "SELECT r.id, r.name, (SELECT m.name FROM"
	    " model_versions v JOIN models m ON m.id = v.model_id WHERE"
	    " v.run_id = r.id LIMIT 1) FROM runs r WHERE r.uuid = ?1";
	static const char del[] = "DELETE FROM runs WHERE id = ?1";
	struct db_stmt	*q, *i, *f, *d;
	int64_t		 id;
	int		 rc, r2;

	if ((q = db_prepare(s->src, src_sql, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL ||
	    (f = db_prepare(s->dst, find, s->err)) == NULL ||
	    (d = db_prepare(s->dst, del, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		bind_cols(i, 1, q, 0, 2);
		if (db_step_done(s->dst, i, s->err) != WB_OK)
			break;
		db_bind_text(f, 1, db_column_text(q, 0));
		if ((r2 = db_step(f)) == DB_DONE) {
			db_reset(f);
			continue;
		}
		if (r2 != DB_ROW) {
			db_reset(f);
			fail(s, s->dst);
			break;
		}
		id = db_column_int64(f, 0);
		if (db_column_type(f, 2) != DB_NULL) {
			conflict(s, "run '%s' (%s) was purged on %s but backs "
			    "model %s here; kept", db_column_text(f, 1),
			    db_column_text(q, 0), s->peer,
			    db_column_text(f, 2));
			db_reset(f);
			continue;
		}
		db_reset(f);
		db_bind_int64(d, 1, id);
		if (db_step_done(s->dst, d, s->err) != WB_OK)
			break;
		s->st->purged++;
	}
	db_reset(q);
	if (rc == DB_ROW)
		return WB_EDB;		/* err is set */
	return rc == DB_DONE ? WB_OK : fail(s, s->src);
}

/*
 * Parent links of nested runs, by UUID: a run of dst without a parent
 * gets the one the sender records, once both runs are there.
 */
static int
sync_parents(struct sync *s)
{
	static const char src_sql[] = "SELECT r.uuid, p.uuid FROM runs r"
	    " JOIN runs p ON p.id = r.parent_id WHERE r.parent_id IS NOT NULL";
	static const char upd[] = "UPDATE runs SET parent_id = (SELECT id"
	    " FROM runs WHERE uuid = ?2) WHERE uuid = ?1 AND parent_id IS"
	    " NULL AND EXISTS (SELECT 1 FROM runs WHERE uuid = ?2)";
	struct db_stmt	*q, *u;
	int		 rc;

	if ((q = db_prepare(s->src, src_sql, s->err)) == NULL ||
	    (u = db_prepare(s->dst, upd, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		bind_cols(u, 1, q, 0, 2);
		if (db_step_done(s->dst, u, s->err) != WB_OK) {
			db_reset(q);
			return WB_EDB;
		}
	}
	db_reset(q);
	return rc == DB_DONE ? WB_OK : fail(s, s->src);
}

/*
 * New runs between two SQLite files (s->attached), in SQL: SQLite has no
 * COPY, and the row path (a statement per row, reads per run) made a
 * merge of two 10,000-run files 9 times a plain sqlite3 copy of the same
 * rows.  A run is new as the row path decides it: dst holds no run of its
 * UUID and no tombstone.  The id maps sync_experiments, sync_keys and
 * sync_imports made go into temp tables for the joins.  The attached
 * file is read in dst's transaction: a snapshot of its own, as the src
 * connection's read is.
 */
static const char *const fresh_sql[] = {
	"DROP TABLE IF EXISTS temp.wb_exp",
	"DROP TABLE IF EXISTS temp.wb_key",
	"DROP TABLE IF EXISTS temp.wb_imp",
	"DROP TABLE IF EXISTS temp.wb_new",
	"CREATE TEMP TABLE wb_exp (sid INTEGER PRIMARY KEY, did INTEGER)",
	"CREATE TEMP TABLE wb_key (sid INTEGER PRIMARY KEY, did INTEGER)",
	"CREATE TEMP TABLE wb_imp (sid INTEGER PRIMARY KEY, did INTEGER)",
	"CREATE TEMP TABLE wb_new (sid INTEGER PRIMARY KEY, did INTEGER)",
};
static const char *const fresh_copy[] = {
	"INSERT INTO temp.wb_new (sid) SELECT r.id FROM wb_src.runs r"
	" WHERE NOT EXISTS (SELECT 1 FROM main.runs d WHERE d.uuid = r.uuid)"
	" AND NOT EXISTS (SELECT 1 FROM main.runs_purged p"
	" WHERE p.uuid = r.uuid)",
	"INSERT INTO main.runs (uuid, experiment_id, name, status, source,"
	" command, git_commit, git_dirty, host, \"user\", started_at,"
	" ended_at, exit_code, log_path, created_at, updated_at, deleted_at,"
	" import_id) SELECT r.uuid, x.did, r.name, r.status, r.source,"
	" r.command, r.git_commit, r.git_dirty, r.host, r.\"user\","
	" r.started_at, r.ended_at, r.exit_code, r.log_path, r.created_at,"
	" r.updated_at, r.deleted_at, i.did FROM temp.wb_new n"
	" JOIN wb_src.runs r ON r.id = n.sid"
	" LEFT JOIN temp.wb_exp x ON x.sid = r.experiment_id"
	" LEFT JOIN temp.wb_imp i ON i.sid = r.import_id ORDER BY n.sid",
	"UPDATE temp.wb_new SET did = (SELECT d.id FROM main.runs d"
	" WHERE d.uuid = (SELECT r.uuid FROM wb_src.runs r"
	" WHERE r.id = wb_new.sid))",
	"INSERT INTO main.params (run_id, key, value) SELECT n.did, p.key,"
	" p.value FROM temp.wb_new n JOIN wb_src.params p ON p.run_id = n.sid",
	"INSERT INTO main.tags (run_id, key, value) SELECT n.did, t.key,"
	" t.value FROM temp.wb_new n JOIN wb_src.tags t ON t.run_id = n.sid",
	"INSERT INTO main.metric_summary (run_id, key_id, count, nan_count,"
	" first, first_step, last, last_step, last_ts, min, min_step, max,"
	" max_step) SELECT n.did, k.did, m.count, m.nan_count, m.first,"
	" m.first_step, m.last, m.last_step, m.last_ts, m.min, m.min_step,"
	" m.max, m.max_step FROM temp.wb_new n"
	" JOIN wb_src.metric_summary m ON m.run_id = n.sid"
	" JOIN temp.wb_key k ON k.sid = m.key_id",
	/* The chunks of series with a summary, as sync_points reads them. */
	"INSERT INTO main.metric_chunks (run_id, key_id, seq, n, step_min,"
	" step_max, v_min, v_max, ts_min, ts_max, blocks, points)"
	" SELECT n.did, k.did, c.seq, c.n, c.step_min, c.step_max, c.v_min,"
	" c.v_max, c.ts_min, c.ts_max, c.blocks, c.points FROM temp.wb_new n"
	" JOIN wb_src.metric_summary m ON m.run_id = n.sid"
	" JOIN temp.wb_key k ON k.sid = m.key_id"
	" JOIN wb_src.metric_chunks c ON c.run_id = m.run_id"
	" AND c.key_id = m.key_id",
};

/* Fill temp table (wb_exp, wb_key, wb_imp) from map m. */
static int
fresh_map(struct sync *s, const char *sql, const struct idmap *m)
{
	struct db_stmt	*i;
	size_t		 k;

	if ((i = db_prepare(s->dst, sql, s->err)) == NULL)
		return WB_EDB;
	for (k = 0; k < m->n; k++) {
		db_bind_int64(i, 1, m->v[k][0]);
		db_bind_int64(i, 2, m->v[k][1]);
		if (db_step_done(s->dst, i, s->err) != WB_OK)
			return WB_EDB;
	}
	return WB_OK;
}

/* Copy the new runs (s->attached), filling s->fresh and the stats. */
static int
sync_fresh(struct sync *s)
{
	static const char unkeyed[] = "SELECT m.key_id FROM temp.wb_new n"
	    " JOIN wb_src.metric_summary m ON m.run_id = n.sid WHERE"
	    " m.key_id NOT IN (SELECT sid FROM temp.wb_key) LIMIT 1";
	static const char pts[] = "SELECT coalesce(sum(m.count), 0) FROM"
	    " temp.wb_new n JOIN wb_src.metric_summary m ON m.run_id = n.sid";
	static const char ids[] = "SELECT sid, did FROM temp.wb_new"
	    " ORDER BY sid";
	static const char extra[] = "SELECT EXISTS (SELECT 1 FROM"
	    " temp.wb_new n WHERE EXISTS (SELECT 1 FROM wb_src.run_repro x"
	    " WHERE x.run_id = n.sid) OR EXISTS (SELECT 1 FROM"
	    " wb_src.run_inputs x WHERE x.run_id = n.sid) OR EXISTS (SELECT 1"
	    " FROM wb_src.run_outputs x WHERE x.run_id = n.sid) OR EXISTS"
	    " (SELECT 1 FROM wb_src.run_artifacts x WHERE x.run_id = n.sid)"
	    " OR EXISTS (SELECT 1 FROM wb_src.jobs x WHERE x.run_id = n.sid))";
	struct db_stmt	*q;
	int64_t		 v;
	size_t		 k;
	int		 rc;

	int64_t		 before = db_total_changes(s->dst);

	for (k = 0; k < sizeof fresh_sql / sizeof fresh_sql[0]; k++)
		if ((rc = db_exec(s->dst, fresh_sql[k], s->err)) != WB_OK)
			return rc;
	if ((rc = fresh_map(s, "INSERT INTO temp.wb_exp VALUES (?1, ?2)",
	    &s->exps)) != WB_OK || (rc = fresh_map(s, "INSERT INTO"
	    " temp.wb_key VALUES (?1, ?2)", &s->keys)) != WB_OK ||
	    (rc = fresh_map(s, "INSERT INTO temp.wb_imp VALUES (?1, ?2)",
	    &s->imports)) != WB_OK)
		return rc;
	if ((rc = db_exec(s->dst, fresh_copy[0], s->err)) != WB_OK)
		return rc;
	s->temp_changes += db_total_changes(s->dst) - before;
	/* A summary naming a key src does not hold: as sync_points says. */
	if ((rc = one_int(s->dst, unkeyed, 0, 0, &v, 0, s->err)) != WB_OK)
		return rc;
	if (v != 0)
		return wb_err_set(s->err, WB_EDB, "%s: a metric summary names "
		    "metric key %lld, which is not there", s->peer,
		    (long long)v);
	/*
	 * The text index's per-row triggers cost more than the copy: set
	 * aside while the new runs go in, and filled for them at the commit
	 * (db_textidx_defer).  Not when nothing is new: a merge that brings
	 * nothing writes nothing, not even the schema.
	 */
	if ((rc = one_int(s->dst, "SELECT count(*) FROM temp.wb_new", 0, 0,
	    &v, 0, s->err)) != WB_OK)
		return rc;
	if (v > 0 && (rc = db_textidx_defer(s->dst, s->err)) != WB_OK)
		return rc;
	for (k = 1; k < sizeof fresh_copy / sizeof fresh_copy[0]; k++) {
		before = db_total_changes(s->dst);
		if ((rc = db_exec(s->dst, fresh_copy[k], s->err)) != WB_OK)
			return rc;
		if (strncmp(fresh_copy[k], "UPDATE temp.", 12) == 0)
			s->temp_changes += db_total_changes(s->dst) - before;
	}
	if ((rc = one_int(s->dst, pts, 0, 0, &v, 0, s->err)) != WB_OK)
		return rc;
	s->st->points += v;
	if ((rc = one_int(s->dst, extra, 0, 0, &v, 0, s->err)) != WB_OK)
		return rc;
	s->fresh_extra = v != 0;
	if ((q = db_prepare(s->dst, ids, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW)
		if (map_add(&s->fresh, db_column_int64(q, 0),
		    db_column_int64(q, 1), s->err) != WB_OK) {
			db_reset(q);
			return WB_ENOMEM;
		}
	db_reset(q);
	if (rc != DB_DONE)
		return fail(s, s->dst);
	/* temp.wb_new stays for sync_runs (fresh_drop). */
	return WB_OK;
}

/* The temp tables of sync_fresh, once sync_runs is done with them. */
static int
fresh_drop(struct sync *s)
{
	size_t	k;
	int	rc;

	for (k = 0; k < 4; k++)		/* the DROPs */
		if ((rc = db_exec(s->dst, fresh_sql[k], s->err)) != WB_OK)
			return rc;
	return WB_OK;
}

/*
 * kv_fps's queries: every run's params or tags; between two files (dst's
 * connection, src attached as wb_src, temp.wb_new from sync_fresh), the
 * sender's runs but those sync_fresh copied, and the receiver's runs
 * that the sender holds too.
 */
static const char fps_all_p[] = "SELECT run_id, key, value FROM params"
    " ORDER BY run_id";
static const char fps_all_t[] = "SELECT run_id, key, value FROM tags"
    " ORDER BY run_id";
#define NOT_FRESH(col, side) " " col " NOT IN (SELECT " side " FROM"	\
    " temp.wb_new WHERE " side " IS NOT NULL)"
#define BOTH(col) " " col " IN (SELECT d.id FROM main.runs d WHERE d.uuid"	\
    " IN (SELECT uuid FROM wb_src.runs)) AND" NOT_FRESH(col, "did")
static const char fps_src_p[] = "SELECT run_id, key, value FROM"
    " wb_src.params WHERE" NOT_FRESH("run_id", "sid") " ORDER BY run_id";
static const char fps_src_t[] = "SELECT run_id, key, value FROM"
    " wb_src.tags WHERE" NOT_FRESH("run_id", "sid") " ORDER BY run_id";
static const char fps_dst_p[] = "SELECT run_id, key, value FROM"
    " main.params WHERE" BOTH("run_id") " ORDER BY run_id";
static const char fps_dst_t[] = "SELECT run_id, key, value FROM"
    " main.tags WHERE" BOTH("run_id") " ORDER BY run_id";
/* dst_runs's: every run, or (between two files) those both hold. */
static const char all_sql[] = RUN_COLS;
static const char both_sql[] = RUN_COLS " WHERE" BOTH("r.id");
/*
 * The sender's runs the loop of sync_runs goes through: every one, or
 * (between two files, when the runs sync_fresh copied need nothing
 * more) all but those, read where sync_fresh read them.
 */
static const char src_all_sql[] = RUN_COLS " ORDER BY r.id";
static const char src_rest_sql[] = RUN_COLS_IN("wb_src.") " WHERE"
    NOT_FRESH("r.id", "sid") " ORDER BY r.id";

static int
sync_runs(struct sync *s)
{
	static const char ins[] = "INSERT INTO runs (uuid, experiment_id,"
	    " name, status, source, command, git_commit, git_dirty, host,"
	    " \"user\", started_at, ended_at, exit_code, log_path, created_at,"
	    " updated_at, deleted_at, import_id) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
	    " RETURNING id";
	static const char upd[] = "UPDATE runs SET name = ?1, status = ?2,"
	    " source = ?3, command = ?4, git_commit = ?5, git_dirty = ?6,"
	    " host = ?7, \"user\" = ?8, started_at = ?9, ended_at = ?10,"
	    " exit_code = ?11, log_path = ?12, created_at = ?13,"
	    " updated_at = ?14, deleted_at = ?16 WHERE id = ?15";
	struct db_stmt	*q, *i, *u;
	struct drun	*d = NULL, key, *hit;
	size_t		 nd = 0;
	int64_t		 sid, did, exp, before, imp, total = 0, done = 0;
	const char	*uuid;
	int		 rc, newer, kv, t, tomb = 0, rest;
	/* Runs are most of a sync's work: the caller's line counts them. */
	const struct wb_progress *pg = db_progress_hook(s->dst) != NULL ?
	    db_progress_hook(s->dst) : db_progress_hook(s->src);

	if (pg != NULL && (rc = one_int(s->src, "SELECT count(*) FROM runs",
	    0, 0, &total, 0, s->err)) != WB_OK)
		return rc;
	wb_progress_report(pg, 0, (uint64_t)total, "runs");

	/*
	 * Between two files the new runs go first, in SQL; then only the
	 * runs both sides hold need fingerprints (a merge of a new box's
	 * file compares none).  The sender's are read where sync_fresh
	 * read it, and all but the runs it copied: any other run the row
	 * path meets finds its params and tags there.
	 */
	if (s->attached && ((rc = sync_fresh(s)) != WB_OK ||
	    (rc = kv_fps(s, s->dst, fps_src_p, &s->sparams)) != WB_OK ||
	    (rc = kv_fps(s, s->dst, fps_src_t, &s->stags)) != WB_OK ||
	    (rc = kv_fps(s, s->dst, fps_dst_p, &s->dparams)) != WB_OK ||
	    (rc = kv_fps(s, s->dst, fps_dst_t, &s->dtags)) != WB_OK ||
	    (rc = dst_runs(s, both_sql, &d, &nd)) != WB_OK))
		return rc;
	if (!s->attached &&
	    ((rc = kv_fps(s, s->src, fps_all_p, &s->sparams)) != WB_OK ||
	    (rc = kv_fps(s, s->src, fps_all_t, &s->stags)) != WB_OK ||
	    (rc = kv_fps(s, s->dst, fps_all_p, &s->dparams)) != WB_OK ||
	    (rc = kv_fps(s, s->dst, fps_all_t, &s->dtags)) != WB_OK ||
	    (rc = dst_runs(s, all_sql, &d, &nd)) != WB_OK))
		return rc;
	/*
	 * The runs sync_fresh copied are counted here rather than met one
	 * by one, unless some of them have rows of the per-run path.
	 */
	rest = s->attached && !s->fresh_extra;
	if (rest) {
		s->st->runs_new += (int64_t)s->fresh.n;
		done += (int64_t)s->fresh.n;
	}
	if ((q = rest ? db_prepare(s->dst, src_rest_sql, s->err) :
	    db_prepare(s->src, src_all_sql, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL ||
	    (u = db_prepare(s->dst, upd, s->err)) == NULL) {
		druns_free(d, nd);
		return WB_EDB;
	}
	rc = WB_OK;
	while ((rc = db_step(q)) == DB_ROW) {
		wb_progress_report(pg, (uint64_t)done++, (uint64_t)total,
		    "runs");
		sid = db_column_int64(q, 0);
		uuid = db_column_text(q, 1);
		snprintf(key.uuid, sizeof key.uuid, "%s", uuid ? uuid : "");
		hit = nd > 0 ? bsearch(&key, d, nd, sizeof *d, cmp_drun) :
		    NULL;
		/* Purged here: a sync never brings it back. */
		if (hit == NULL && tomb_has(s, key.uuid, &tomb) != WB_OK)
			break;
		if (hit == NULL && tomb) {
			s->st->runs_same++;
			continue;
		}
		if (hit != NULL && same_run(s, q, hit)) {
			s->st->runs_same++;
			continue;
		}
		/* Copied by sync_fresh: what the row path would add to it. */
		if (hit == NULL && (did = map_get(&s->fresh, sid)) != 0) {
			s->st->runs_new++;
			if (s->fresh_extra && (sync_repro(s, sid, did, 0) !=
			    WB_OK || sync_datasets(s, sid, did, 0) != WB_OK ||
			    sync_datasets(s, sid, did, 1) != WB_OK ||
			    sync_artifacts(s, sid, did) != WB_OK ||
			    sync_job(s, sid, did) != WB_OK))
				break;
			continue;
		}
		before = db_total_changes(s->dst);
		/* New runs, a row at a time: text indexed at the commit. */
		if (hit == NULL && db_textidx_defer(s->dst, s->err) != WB_OK)
			break;
		if (hit == NULL) {
			exp = map_get(&s->exps, db_column_int64(q, 2));
			imp = map_get(&s->imports, db_column_int64(q, 20));
			if (s->dst->ops->copy_in != NULL) {
				if (new_run_id(s, &did) != WB_OK ||
				    bulk_run(s, did, uuid, exp, imp, q) !=
				    WB_OK)
					break;
			} else {
				db_bind_text(i, 1, uuid);
				db_bind_int64(i, 2, exp);
				bind_cols(i, 3, q, 3, 14);
				bind_cols(i, 17, q, 18, 1);
				db_bind_int64_or_null(i, 18, imp, imp == 0);
				if (db_step_id(s->dst, i, &did, s->err) !=
				    WB_OK)
					break;
			}
			newer = 1;
			s->st->runs_new++;
		} else {
			did = hit->id;
			/* Ties keep the receiver's fields. */
			newer = db_column_int64(q, 16) > hit->updated_at;
			if (newer) {
				bind_cols(u, 1, q, 3, 14);
				db_bind_int64(u, 15, did);
				bind_cols(u, 16, q, 18, 1);
				if (db_step_done(s->dst, u, s->err) != WB_OK)
					break;
			}
		}
		kv = hit == NULL ? KV_NEW : newer ? KV_OVERWRITE : KV_ADD;
		if (sync_kv(s, 0, sid, did, kv) != WB_OK ||
		    sync_kv(s, 1, sid, did, kv) != WB_OK ||
		    (kv == KV_OVERWRITE && drop_tags(s, sid, did) != WB_OK) ||
		    sync_repro(s, sid, did, kv == KV_OVERWRITE) != WB_OK ||
		    sync_points(s, sid, did, hit == NULL) != WB_OK ||
		    sync_datasets(s, sid, did, 0) != WB_OK ||
		    sync_datasets(s, sid, did, 1) != WB_OK ||
		    sync_artifacts(s, sid, did) != WB_OK ||
		    (newer && sync_job(s, sid, did) != WB_OK))
			break;
		/* Differing, but the receiver held the newer state. */
		if (hit != NULL && db_total_changes(s->dst) != before)
			s->st->runs_updated++;
		else if (hit != NULL)
			s->st->runs_same++;
	}
	druns_free(d, nd);
	if (rest && rc != DB_DONE && rc != DB_ROW) {	/* q's own error */
		db_reset(q);
		return fail(s, s->dst);
	}
	if ((rc = rows_end(s, q, rc)) != WB_OK)
		return rc;
	if (s->attached && (rc = fresh_drop(s)) != WB_OK)
		return rc;
	wb_progress_report(pg, (uint64_t)done, (uint64_t)total, "runs");
	for (t = 0; t < BULK_N; t++)
		if (s->bulk[t] != NULL &&
		    (rc = db_copy_flush(s->bulk[t], s->err)) != WB_OK)
			return rc;
	return WB_OK;
}

/* -- the import ledger, experiment tags, logged models -------------------- */

/*
 * The import ledger: a row per file imported (path, size, sha256,
 * format, when), matched across stores by sha256, path and time.  With
 * it the receiver knows the file as the sender does: importing it there
 * adds nothing, and a grown copy replaces the runs it made (runs keep
 * their import_id).
 */
static int
sync_imports(struct sync *s)
{
	static const char q_sql[] = "SELECT id, path, size, sha256, format,"
	    " at, runs, points FROM imports ORDER BY id";
	static const char find[] = "SELECT id FROM imports WHERE sha256 = ?1"
	    " AND path = ?2 AND at = ?3";
	static const char ins[] = "INSERT INTO imports (path, size, sha256,"
	    " format, at, runs, points) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " RETURNING id";
	struct db_stmt	*q, *f, *i;
	int		 rc;

	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (f = db_prepare(s->dst, find, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		db_bind_text(f, 1, db_column_text(q, 3));
		db_bind_text(f, 2, db_column_text(q, 1));
		db_bind_int64(f, 3, db_column_int64(q, 5));
		if (find_or_add(s, q, f, i, 1, 7, &s->st->imports,
		    &s->imports) != WB_OK)
			break;
	}
	return rows_end(s, q, rc);
}

/*
 * Experiment tags (brought by import-mlflow): those the receiver lacks
 * are added; a tag both hold with different values is a conflict, left
 * as the receiver has it (experiments carry no time of change that could
 * say which side is the newer).
 */
static int
sync_exp_tags(struct sync *s)
{
	static const char q_sql[] = "SELECT t.experiment_id, t.key, t.value,"
	    " e.name FROM experiment_tags t JOIN experiments e ON e.id ="
	    " t.experiment_id";
	static const char find[] = "SELECT value FROM experiment_tags WHERE"
	    " experiment_id = ?1 AND key = ?2";
	static const char ins[] = "INSERT INTO experiment_tags (experiment_id,"
	    " key, value) VALUES (?1, ?2, ?3)";
	struct db_stmt	*q, *f, *i;
	int64_t		 exp;
	int		 rc, r2;

	if (s->src->schema < DB_SCHEMA_LMODELS)
		return WB_OK;	/* an older file opened read-only has none */
	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (f = db_prepare(s->dst, find, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		if ((exp = map_get(&s->exps, db_column_int64(q, 0))) == 0)
			continue;
		db_bind_int64(f, 1, exp);
		db_bind_text(f, 2, db_column_text(q, 1));
		if ((r2 = db_step(f)) == DB_ROW && !streq(db_column_text(f, 0),
		    db_column_text(q, 2)))
			conflict(s, "experiment %s tag %s: '%s' here, '%s' in "
			    "%s; kept this one's", db_column_text(q, 3),
			    db_column_text(q, 1), db_column_text(f, 0),
			    db_column_text(q, 2), s->peer);
		db_reset(f);
		if (r2 == DB_DONE) {
			db_bind_int64(i, 1, exp);
			bind_cols(i, 2, q, 1, 2);
			if (db_step_done(s->dst, i, s->err) != WB_OK)
				break;
			s->st->exp_tags++;
		} else if (r2 != DB_ROW) {
			fail(s, s->dst);
			break;
		}
	}
	return rows_end(s, q, rc);
}

/*
 * The params, tags and metric values of logged model sid into did:
 * those the receiver lacks; with overwrite, the sender's param and tag
 * values win.  A metric value is never edited (MLflow's rule), so rows
 * both hold are kept.
 */
static int
sync_lmodel_rows(struct sync *s, int64_t sid, int64_t did, int overwrite)
{
	static const char qp[] = "SELECT key, value FROM logged_model_params"
	    " WHERE logged_model_id = ?1";
	static const char qt[] = "SELECT key, value FROM logged_model_tags"
	    " WHERE logged_model_id = ?1";
	static const char qm[] = "SELECT key, ts, step, run_uuid, value,"
	    " dataset_name, dataset_digest FROM logged_model_metrics WHERE"
	    " logged_model_id = ?1";
	static const char ip[] = "INSERT INTO logged_model_params"
	    " (logged_model_id, key, value) VALUES (?1, ?2, ?3) ON CONFLICT"
	    " (logged_model_id, key) DO NOTHING";
	static const char it[] = "INSERT INTO logged_model_tags"
	    " (logged_model_id, key, value) VALUES (?1, ?2, ?3) ON CONFLICT"
	    " (logged_model_id, key) DO NOTHING";
	static const char up[] = "INSERT INTO logged_model_params"
	    " (logged_model_id, key, value) VALUES (?1, ?2, ?3) ON CONFLICT"
	    " (logged_model_id, key) DO UPDATE SET value = excluded.value"
	    " WHERE logged_model_params.value <> excluded.value";
	static const char ut[] = "INSERT INTO logged_model_tags"
	    " (logged_model_id, key, value) VALUES (?1, ?2, ?3) ON CONFLICT"
	    " (logged_model_id, key) DO UPDATE SET value = excluded.value"
	    " WHERE logged_model_tags.value <> excluded.value";
	static const char im[] = "INSERT INTO logged_model_metrics"
	    " (logged_model_id, key, ts, step, run_uuid, value, dataset_name,"
	    " dataset_digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT DO NOTHING";
	static const struct {
		const char	*q, *add, *over;
		int		 n;
	} part[] = {
		{ qp, ip, up, 2 }, { qt, it, ut, 2 }, { qm, im, im, 7 }
	};
	struct db_stmt	*q, *i;
	size_t		 k;
	int		 rc;

	for (k = 0; k < sizeof part / sizeof part[0]; k++) {
		if ((q = db_prepare(s->src, part[k].q, s->err)) == NULL ||
		    (i = db_prepare(s->dst, overwrite ? part[k].over :
		    part[k].add, s->err)) == NULL)
			return WB_EDB;
		db_bind_int64(q, 1, sid);
		if ((rc = copy_rows(s, q, i, did, part[k].n)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

/*
 * MLflow 3's logged models, by UUID, after the runs (a model names the
 * run that made it).  The fields of one both hold come from the side
 * whose updated_at is later, as a run's do.
 */
static int
sync_lmodels(struct sync *s)
{
	static const char q_sql[] = "SELECT m.id, m.uuid, m.experiment_id,"
	    " r.uuid, m.name, m.artifact_path, m.status, m.model_type,"
	    " m.created_at, m.updated_at FROM logged_models m LEFT JOIN runs r"
	    " ON r.id = m.run_id ORDER BY m.id";
	static const char find[] = "SELECT id, coalesce(updated_at, 0) FROM"
	    " logged_models WHERE uuid = ?1";
	static const char ins[] = "INSERT INTO logged_models (uuid,"
	    " experiment_id, run_id, name, artifact_path, status, model_type,"
	    " created_at, updated_at) VALUES (?1, ?2, (SELECT id FROM runs"
	    " WHERE uuid = ?3), ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id";
	static const char upd[] = "UPDATE logged_models SET name = ?1,"
	    " artifact_path = ?2, status = ?3, model_type = ?4, updated_at ="
	    " ?5 WHERE id = ?6";
	struct db_stmt	*q, *f, *i, *u;
	int64_t		 did = 0, dupd = 0, exp, before;
	int		 rc, r2, newer;

	if (s->src->schema < DB_SCHEMA_LMODELS)
		return WB_OK;
	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (f = db_prepare(s->dst, find, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL ||
	    (u = db_prepare(s->dst, upd, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		before = db_total_changes(s->dst);
		db_bind_text(f, 1, db_column_text(q, 1));
		if ((r2 = db_step(f)) == DB_ROW) {
			did = db_column_int64(f, 0);
			dupd = db_column_int64(f, 1);
		}
		db_reset(f);
		if (r2 == DB_DONE) {
			exp = db_column_type(q, 2) == DB_NULL ? 0 :
			    map_get(&s->exps, db_column_int64(q, 2));
			db_bind_text(i, 1, db_column_text(q, 1));
			db_bind_int64_or_null(i, 2, exp, exp == 0);
			bind_cols(i, 3, q, 3, 7);
			if (db_step_id(s->dst, i, &did, s->err) != WB_OK)
				break;
			newer = 1;
		} else if (r2 == DB_ROW) {
			newer = db_column_int64(q, 9) > dupd;
			if (newer) {
				bind_cols(u, 1, q, 4, 2);
				bind_cols(u, 3, q, 6, 2);
				bind_cols(u, 5, q, 9, 1);
				db_bind_int64(u, 6, did);
				if (db_step_done(s->dst, u, s->err) != WB_OK)
					break;
			}
		} else {
			fail(s, s->dst);
			break;
		}
		if (sync_lmodel_rows(s, db_column_int64(q, 0), did,
		    newer && r2 == DB_ROW) != WB_OK)
			break;
		if (db_total_changes(s->dst) != before)
			s->st->lmodels++;
	}
	return rows_end(s, q, rc);
}

/* -- registry --------------------------------------------------------------- */

static int
sync_models(struct sync *s)
{
	static const char q_sql[] = "SELECT id, name, description, created_at"
	    " FROM models ORDER BY id";
	static const char find[] = "SELECT id FROM models WHERE name = ?1";
	static const char ins[] = "INSERT INTO models (name, description,"
	    " created_at) VALUES (?1, ?2, ?3) RETURNING id";
	struct db_stmt	*q, *f, *i;
	int		 rc;

	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (f = db_prepare(s->dst, find, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		db_bind_text(f, 1, db_column_text(q, 1));
		if (find_or_add(s, q, f, i, 1, 3, &s->st->models,
		    &s->models) != WB_OK)
			break;
	}
	return rows_end(s, q, rc);
}

/*
 * Versions by model and number.  The same number registered on both
 * sides from different runs (or with different artifacts) is a conflict:
 * that version, its events and aliases pointing at it are skipped.
 */
static int
sync_versions(struct sync *s)
{
	static const char q_sql[] = "SELECT v.id, v.model_id, m.name,"
	    " v.version, r.uuid, v.artifact_path, v.sha256, v.description,"
	    " v.created_at FROM model_versions v JOIN models m ON m.id ="
	    " v.model_id LEFT JOIN runs r ON r.id = v.run_id ORDER BY v.id";
	static const char find[] = "SELECT v.id, r.uuid, v.sha256 FROM"
	    " model_versions v LEFT JOIN runs r ON r.id = v.run_id WHERE"
	    " v.model_id = ?1 AND v.version = ?2";
	static const char ins[] = "INSERT INTO model_versions (model_id,"
	    " version, run_id, artifact_path, sha256, description, created_at)"
	    " VALUES (?1, ?2, (SELECT id FROM runs WHERE uuid = ?3), ?4, ?5,"
	    " ?6, ?7) RETURNING id";
	struct db_stmt	*q, *f, *i;
	int64_t		 id, model;
	int		 rc, r2;

	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (f = db_prepare(s->dst, find, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		model = map_get(&s->models, db_column_int64(q, 1));
		db_bind_int64(f, 1, model);
		db_bind_int64(f, 2, db_column_int64(q, 3));
		id = 0;
		if ((r2 = db_step(f)) == DB_ROW) {
			if (streq(db_column_text(f, 1), db_column_text(q, 4)) &&
			    streq(db_column_text(f, 2), db_column_text(q, 6)))
				id = db_column_int64(f, 0);
			else
				conflict(s, "model %s version %lld: registered "
				    "here from run %s and in %s from run %s; "
				    "kept this one's (and skipped %s's events "
				    "and aliases of it)", db_column_text(q, 2),
				    (long long)db_column_int64(q, 3),
				    db_column_text(f, 1) ? db_column_text(f, 1)
				    : "(none)", s->peer, db_column_text(q, 4) ?
				    db_column_text(q, 4) : "(none)", s->peer);
		}
		db_reset(f);
		if (r2 == DB_DONE) {
			db_bind_int64(i, 1, model);
			bind_cols(i, 2, q, 3, 6);
			if (db_step_id(s->dst, i, &id, s->err) != WB_OK)
				break;
			s->st->versions++;
		} else if (r2 != DB_ROW) {
			fail(s, s->dst);
			break;
		}
		if (map_add(&s->versions, db_column_int64(q, 0), id, s->err) !=
		    WB_OK)
			break;
	}
	return rows_end(s, q, rc);
}

/*
 * One registry event, as both sides read it: 0 id, 1 version_id, then
 * the fields from 2 (action) to 15 (at).  Its identity across stores is
 * what it says happened, who did it, where and when (ids differ).
 */
struct event {
	int64_t	 id, version_id;
	char	*ident;		/* action|alias|from|to|actor|host|at */
	char	*alias;		/* NULL: not an alias move */
	int	 has_src;	/* dst list: matched by a src event */
};

#define EVENT_COLS							\
	"SELECT id, version_id, action, alias, from_version, to_version,"	\
	" actor, host, reason, gate, gate_result, forced, deploy_status,"	\
	" deploy_output, at FROM registry_events WHERE model_id = ?1"	\
	" ORDER BY id"

static void
events_free(struct event *e, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		wb_free(e[i].ident);
		wb_free(e[i].alias);
	}
	wb_free(e);
}

static int
read_events(struct sync *s, struct db *db, int64_t model, struct event **out,
    size_t *nout)
{
	static const char sql[] = EVENT_COLS;
	struct db_stmt	*q;
	struct event	*e = NULL, *ne;
	size_t		 n = 0, cap = 0;
	struct strbuf	 buf = STRBUF_INIT;
	const char	*t;
	int		 rc;

	if ((q = db_prepare(db, sql, s->err)) == NULL)
		return WB_EDB;
	db_bind_int64(q, 1, model);
	while ((rc = db_step(q)) == DB_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			if ((ne = wb_reallocarray(e, cap, sizeof *e)) == NULL)
				break;
			e = ne;
		}
		memset(&e[n], 0, sizeof e[n]);
		e[n].id = db_column_int64(q, 0);
		e[n].version_id = db_column_int64(q, 1);
		t = db_column_text(q, 3);
		/* Whole: a long reason cut short would match another. */
		strbuf_reset(&buf);
		strbuf_addf(&buf, "%s|%s|%lld|%lld|%s|%s|%lld",
		    db_column_text(q, 2) ? db_column_text(q, 2) : "",
		    t ? t : "", (long long)db_column_int64(q, 4),
		    (long long)db_column_int64(q, 5),
		    db_column_text(q, 6) ? db_column_text(q, 6) : "",
		    db_column_text(q, 7) ? db_column_text(q, 7) : "",
		    (long long)db_column_int64(q, 14));
		e[n].ident = buf.oom ? NULL : wb_strdup(buf.s);
		e[n].alias = t != NULL ? wb_strdup(t) : NULL;
		n++;
		if (e[n - 1].ident == NULL || (t != NULL && e[n - 1].alias ==
		    NULL))
			break;
	}
	db_reset(q);
	strbuf_free(&buf);
	if (rc == DB_ROW) {
		events_free(e, n);
		return oom(s->err);
	}
	if (rc != DB_DONE) {
		events_free(e, n);
		return fail(s, db);
	}
	*out = e;
	*nout = n;
	return WB_OK;
}

/* The version number an alias names, or 0. */
static int
alias_target(struct db *db, int64_t model, const char *alias, int64_t *num,
    int64_t *vid, struct wb_err *err)
{
	static const char sql[] = "SELECT v.version, v.id FROM model_aliases a"
	    " JOIN model_versions v ON v.id = a.version_id WHERE a.model_id ="
	    " ?1 AND a.alias = ?2";
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, model);
	db_bind_text(st, 2, alias);
	*num = *vid = 0;
	if ((rc = db_step(st)) == DB_ROW) {
		*num = db_column_int64(st, 0);
		*vid = db_column_int64(st, 1);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

/*
 * Whether the events of alias in a (all of them, in order) are the first
 * events of alias in b.  *na, *nb: how many each holds.
 */
static int
alias_prefix(const struct event *a, size_t na, const struct event *b,
    size_t nb, const char *alias, size_t *ca, size_t *cb)
{
	size_t	i = 0, j = 0;
	int	prefix = 1;

	*ca = *cb = 0;
	for (;;) {
		while (i < na && !streq(a[i].alias, alias))
			i++;
		while (j < nb && !streq(b[j].alias, alias))
			j++;
		if (i == na)
			break;
		if (j == nb || strcmp(a[i].ident, b[j].ident) != 0)
			prefix = 0;
		(*ca)++;
		i++;
		if (j < nb) {
			(*cb)++;
			j++;
		}
	}
	while (j < nb) {
		if (streq(b[j].alias, alias))
			(*cb)++;
		j++;
	}
	return prefix;
}

/* Whether list e holds an event with identity ident. */
static int
in_list(const struct event *e, size_t n, const char *ident)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(e[i].ident, ident) == 0)
			return 1;
	return 0;
}

/*
 * Mark in put[] the events of src (se) to append for alias: all of them
 * past dst's history when that history is a prefix of src's (a
 * fast-forward; *ff set), none when src's is a prefix of dst's (dst is
 * ahead or they agree), none and a conflict named otherwise.
 */
static int
alias_plan(struct sync *s, const struct event *se, size_t ns,
    const struct event *de, size_t nd, const char *alias, int64_t smodel,
    int64_t dmodel, const char *name, char *put, int *ff)
{
	size_t	 ca, cb, j, pos;
	int64_t	 snum, svid, dnum, dvid;
	int	 rc;

	*ff = 0;
	if (alias_prefix(de, nd, se, ns, alias, &ca, &cb)) {
		for (j = 0, pos = 0; j < ns; j++) {
			if (!streq(se[j].alias, alias))
				continue;
			if (pos++ >= ca) {
				put[j] = 1;
				*ff = 1;
			}
		}
		return WB_OK;
	}
	if (alias_prefix(se, ns, de, nd, alias, &ca, &cb))
		return WB_OK;
	if ((rc = alias_target(s->dst, dmodel, alias, &dnum, &dvid, s->err)) !=
	    WB_OK || (rc = alias_target(s->src, smodel, alias, &snum, &svid,
	    s->err)) != WB_OK)
		return rc;
	conflict(s, "model %s alias %s: moved here (now version %lld) and in "
	    "%s (now version %lld) since they last agreed; kept this one's: "
	    "settle it with mlwb promote", name, alias, (long long)dnum,
	    s->peer, (long long)snum);
	return WB_OK;
}

static int
sync_model_events(struct sync *s, int64_t smodel, int64_t dmodel,
    const char *name)
{
	static const char q_sql[] = EVENT_COLS;
	static const char ins[] = "INSERT INTO registry_events (model_id,"
	    " version_id, action, alias, from_version, to_version, actor,"
	    " host, reason, gate, gate_result, forced, deploy_status,"
	    " deploy_output, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12, ?13, ?14, ?15)";
	static const char set_alias[] = "INSERT INTO model_aliases (model_id,"
	    " alias, version_id) VALUES (?1, ?2, ?3) ON CONFLICT (model_id,"
	    " alias) DO UPDATE SET version_id = excluded.version_id";
	struct event	*se = NULL, *de = NULL;
	size_t		 ns = 0, nd = 0, i, j;
	char		*put = NULL, *done = NULL, *ff = NULL;
	struct db_stmt	*q, *ev, *al;
	int64_t		 snum, svid, vid;
	int		 rc, seen, f;

	if ((rc = read_events(s, s->src, smodel, &se, &ns)) != WB_OK ||
	    (rc = read_events(s, s->dst, dmodel, &de, &nd)) != WB_OK)
		goto out;
	if ((put = wb_calloc(ns + 1, 1)) == NULL ||
	    (done = wb_calloc(ns + nd + 1, 1)) == NULL ||
	    (ff = wb_calloc(ns + 1, 1)) == NULL) {
		rc = oom(s->err);
		goto out;
	}
	/* Events of no alias (registrations, ...): those dst lacks. */
	for (j = 0; j < ns; j++)
		if (se[j].alias == NULL && !in_list(de, nd, se[j].ident))
			put[j] = 1;
	/* Each alias with a history on either side, once. */
	for (i = 0; i < ns + nd; i++) {
		const struct event *e = i < ns ? &se[i] : &de[i - ns];

		if (e->alias == NULL || done[i])
			continue;
		for (j = i; j < ns + nd; j++)
			if (streq((j < ns ? &se[j] : &de[j - ns])->alias,
			    e->alias))
				done[j] = 1;
		if ((rc = alias_plan(s, se, ns, de, nd, e->alias, smodel,
		    dmodel, name, put, &f)) != WB_OK)
			goto out;
		/* The first src event of a fast-forwarded alias moves it. */
		for (j = 0, seen = 0; f && j < ns && !seen; j++)
			if (streq(se[j].alias, e->alias))
				ff[j] = seen = 1;
	}
	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (ev = db_prepare(s->dst, ins, s->err)) == NULL ||
	    (al = db_prepare(s->dst, set_alias, s->err)) == NULL) {
		rc = WB_EDB;
		goto out;
	}
	/* Append, in the sender's order, what the receiver lacks. */
	db_bind_int64(q, 1, smodel);
	j = 0;
	while ((rc = db_step(q)) == DB_ROW) {
		i = j++;
		if (i >= ns || db_column_int64(q, 0) != se[i].id) {
			db_reset(q);
			rc = wb_err_set(s->err, WB_EDB, "%s: the events of "
			    "model %s changed while read", s->peer, name);
			goto out;
		}
		if (!put[i])
			continue;
		vid = 0;
		if (db_column_type(q, 1) != DB_NULL &&
		    (vid = map_get(&s->versions, se[i].version_id)) == 0)
			continue;	/* a conflicting version's event */
		db_bind_int64(ev, 1, dmodel);
		if (vid != 0)
			db_bind_int64(ev, 2, vid);
		else
			db_bind_null(ev, 2);
		bind_cols(ev, 3, q, 2, 13);
		if (db_step_done(s->dst, ev, s->err) != WB_OK) {
			db_reset(q);
			rc = WB_EDB;
			goto out;
		}
		s->st->events++;
	}
	db_reset(q);
	if (rc != DB_DONE) {
		rc = fail(s, s->src);
		goto out;
	}
	rc = WB_OK;
	/* Fast-forwarded aliases point where src's do. */
	for (i = 0; i < ns && rc == WB_OK; i++) {
		if (!ff[i])
			continue;
		if ((rc = alias_target(s->src, smodel, se[i].alias, &snum,
		    &svid, s->err)) != WB_OK)
			break;
		if (svid == 0 || (vid = map_get(&s->versions, svid)) == 0)
			continue;
		db_bind_int64(al, 1, dmodel);
		db_bind_text(al, 2, se[i].alias);
		db_bind_int64(al, 3, vid);
		if ((rc = db_step_done(s->dst, al, s->err)) == WB_OK)
			s->st->aliases++;
	}
out:
	wb_free(put);
	wb_free(done);
	wb_free(ff);
	events_free(se, ns);
	events_free(de, nd);
	return rc;
}

/*
 * Aliases with no history on either side (written by an import): copied
 * when the receiver lacks them, a conflict when they differ.
 */
static int
sync_bare_aliases(struct sync *s)
{
	static const char q_sql[] = "SELECT a.model_id, m.name, a.alias,"
	    " a.version_id, v.version FROM model_aliases a JOIN models m ON"
	    " m.id = a.model_id JOIN model_versions v ON v.id = a.version_id"
	    " WHERE NOT EXISTS (SELECT 1 FROM registry_events e WHERE"
	    " e.model_id = a.model_id AND e.alias = a.alias)";
	static const char ins[] = "INSERT INTO model_aliases (model_id, alias,"
	    " version_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";
	struct db_stmt	*q, *i;
	int64_t		 dm, vid, dnum, dvid;
	int		 rc;

	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		dm = map_get(&s->models, db_column_int64(q, 0));
		if ((vid = map_get(&s->versions, db_column_int64(q, 3))) == 0)
			continue;
		if (alias_target(s->dst, dm, db_column_text(q, 2), &dnum, &dvid,
		    s->err) != WB_OK)
			break;
		if (dvid == vid)
			continue;
		if (dvid != 0) {
			conflict(s, "model %s alias %s: version %lld here, "
			    "%lld in %s; kept this one's", db_column_text(q, 1),
			    db_column_text(q, 2), (long long)dnum,
			    (long long)db_column_int64(q, 4), s->peer);
			continue;
		}
		db_bind_int64(i, 1, dm);
		db_bind_text(i, 2, db_column_text(q, 2));
		db_bind_int64(i, 3, vid);
		if (db_step_done(s->dst, i, s->err) != WB_OK)
			break;
		s->st->aliases++;
	}
	return rows_end(s, q, rc);
}

static int
sync_registry(struct sync *s)
{
	static const char q_sql[] = "SELECT id, name FROM models ORDER BY id";
	struct db_stmt	*q;
	int64_t		*ids = NULL;
	char		**names = NULL;
	size_t		 n = 0, k;
	int		 rc;

	if ((rc = sync_models(s)) != WB_OK ||
	    (rc = sync_versions(s)) != WB_OK)
		return rc;
	/* Read the model list first: each model's sync reads src again. */
	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL)
		return WB_EDB;
	ids = wb_calloc(s->models.n + 1, sizeof *ids);
	names = wb_calloc(s->models.n + 1, sizeof *names);
	if (ids == NULL || names == NULL) {
		wb_free(ids);
		wb_free(names);
		return oom(s->err);
	}
	while (n < s->models.n && (rc = db_step(q)) == DB_ROW) {
		ids[n] = db_column_int64(q, 0);
		names[n++] = db_column_strdup(q, 1);
	}
	db_reset(q);
	rc = WB_OK;
	for (k = 0; k < n && rc == WB_OK; k++)
		rc = sync_model_events(s, ids[k], map_get(&s->models, ids[k]),
		    names[k] ? names[k] : "?");
	for (k = 0; k < n; k++)
		wb_free(names[k]);
	wb_free(names);
	wb_free(ids);
	if (rc == WB_OK)
		rc = sync_bare_aliases(s);
	return rc;
}

/* -- drift reports ---------------------------------------------------------- */

static int
sync_drift(struct sync *s)
{
	static const char q_sql[] = "SELECT id, uuid, name, model_id,"
	    " model_version_id, ref_path, ref_sha256, ref_rows, cur_path,"
	    " cur_sha256, cur_rows, tested, drifted, drift_share,"
	    " share_threshold, dataset_drift, schema_issues, created_at FROM"
	    " drift_reports ORDER BY id";
	static const char have[] = "SELECT id FROM drift_reports WHERE"
	    " uuid = ?1";
	static const char ins[] = "INSERT INTO drift_reports (uuid, name,"
	    " model_id, model_version_id, ref_path, ref_sha256, ref_rows,"
	    " cur_path, cur_sha256, cur_rows, tested, drifted, drift_share,"
	    " share_threshold, dataset_drift, schema_issues, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16, ?17) RETURNING id";
	static const char cols[] = "SELECT ord, name, type, method, statistic,"
	    " p_value, threshold, drifted, n_ref, n_cur, missing_ref,"
	    " missing_cur, hist, stats FROM drift_columns WHERE report_id = ?1"
	    " ORDER BY ord";
	static const char icol[] = "INSERT INTO drift_columns (report_id, ord,"
	    " name, type, method, statistic, p_value, threshold, drifted,"
	    " n_ref, n_cur, missing_ref, missing_cur, hist, stats) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	    " ?15)";
	struct db_stmt	*q, *h, *i, *c, *ic;
	int64_t		 id, m;
	int		 rc, r2;

	if ((q = db_prepare(s->src, q_sql, s->err)) == NULL ||
	    (h = db_prepare(s->dst, have, s->err)) == NULL ||
	    (i = db_prepare(s->dst, ins, s->err)) == NULL ||
	    (c = db_prepare(s->src, cols, s->err)) == NULL ||
	    (ic = db_prepare(s->dst, icol, s->err)) == NULL)
		return WB_EDB;
	while ((rc = db_step(q)) == DB_ROW) {
		db_bind_text(h, 1, db_column_text(q, 1));
		r2 = db_step(h);
		db_reset(h);
		if (r2 == DB_ROW)
			continue;	/* reports never change */
		if (r2 != DB_DONE) {
			fail(s, s->dst);
			break;
		}
		bind_cols(i, 1, q, 1, 17);
		if (db_column_type(q, 3) != DB_NULL) {
			m = map_get(&s->models, db_column_int64(q, 3));
			if (m != 0)
				db_bind_int64(i, 3, m);
			else
				db_bind_null(i, 3);
		}
		if (db_column_type(q, 4) != DB_NULL) {
			m = map_get(&s->versions, db_column_int64(q, 4));
			if (m != 0)
				db_bind_int64(i, 4, m);
			else
				db_bind_null(i, 4);
		}
		if (db_step_id(s->dst, i, &id, s->err) != WB_OK)
			break;
		db_bind_int64(c, 1, db_column_int64(q, 0));
		while ((r2 = db_step(c)) == DB_ROW) {
			db_bind_int64(ic, 1, id);
			bind_cols(ic, 2, c, 0, 14);
			if (db_step_done(s->dst, ic, s->err) != WB_OK)
				break;
		}
		db_reset(c);
		if (r2 != DB_DONE) {
			if (r2 != DB_ROW)
				fail(s, s->src);
			break;
		}
		s->st->drift++;
	}
	return rows_end(s, q, rc);
}


/* -- the whole sync ------------------------------------------------------- */

static int
note_peer(struct db *db, const char *peer, const char *dir, const char *url,
    const struct sync_stats *st, struct wb_err *err)
{
	static const char sql[] = "INSERT INTO sync_peers (peer, direction,"
	    " url, at, runs, points, events) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7) ON CONFLICT (peer, direction) DO UPDATE SET url ="
	    " excluded.url, at = excluded.at, runs = excluded.runs, points ="
	    " excluded.points, events = excluded.events";
	struct db_stmt	*q;

	if ((q = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(q, 1, peer);
	db_bind_text(q, 2, dir);
	db_bind_text(q, 3, url);
	db_bind_int64(q, 4, db_now_ms());
	db_bind_int64(q, 5, st->runs_new + st->runs_updated);
	db_bind_int64(q, 6, st->points);
	db_bind_int64(q, 7, st->events);
	return db_step_done(db, q, err);
}

int
db_sync_note_sent(struct db *db, const char *peer, const char *url,
    const struct sync_stats *st, struct wb_err *err)
{
	return note_peer(db, peer, "to", url, st, err);
}

int
db_sync_last_peer(struct db *db, char **url, struct wb_err *err)
{
	static const char sql[] = "SELECT url FROM sync_peers WHERE url IS"
	    " NOT NULL ORDER BY at DESC LIMIT 1";
	struct db_stmt	*q;
	int		 rc;

	*url = NULL;
	if ((q = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	if ((rc = db_step(q)) == DB_ROW &&
	    (*url = db_column_strdup(q, 0)) == NULL) {
		db_reset(q);
		return oom(err);
	}
	db_reset(q);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

/*
 * Attach the SQLite file path to dst's connection as wb_src (for
 * sync_fresh), read-only: dst's BEGIN IMMEDIATE then takes only a read
 * lock on it.  0 when that fails, and the row path does it all.
 */
static int
attach(struct db *dst, const char *path)
{
	struct strbuf	 uri = STRBUF_INIT;
	struct db_stmt	*st;
	const char	*p;
	int		 ok;

	strbuf_adds(&uri, "file:");
	for (p = path; *p != '\0'; p++)
		if (*p == '%' || *p == '?' || *p == '#')
			strbuf_addf(&uri, "%%%02X", (unsigned char)*p);
		else
			strbuf_addc(&uri, *p);
	strbuf_adds(&uri, "?mode=ro");
	if (uri.oom || (st = db_prepare_once(dst, "ATTACH DATABASE ?1 AS"
	    " wb_src", NULL)) == NULL) {
		strbuf_free(&uri);
		return 0;
	}
	db_bind_text(st, 1, strbuf_str(&uri));
	ok = db_step(st) == DB_DONE;
	db_finalize(st);
	strbuf_free(&uri);
	/* Its new runs' rows are read whole: through a map (db_sqlite.c). */
	if (ok)
		(void)db_exec(dst, "PRAGMA wb_src.mmap_size = 268435456", NULL);
	return ok;
}

int
db_sync(struct db *dst, struct db *src, const char *peer, const char *url,
    sync_conflict_fn *cfn, void *arg, struct sync_stats *st,
    struct wb_err *err)
{
	return db_sync_checked(dst, src, peer, url, cfn, arg, NULL, NULL, st,
	    err);
}

int
db_sync_checked(struct db *dst, struct db *src, const char *peer,
    const char *url, sync_conflict_fn *cfn, void *arg,
    int (*ready)(void *, struct wb_err *), void *rarg,
    struct sync_stats *st, struct wb_err *err)
{
	struct sync	 s;
	struct wb_err	 rerr;
	int64_t		 changes;
	int		 rc, began = 0, t;

	memset(st, 0, sizeof *st);
	memset(&s, 0, sizeof s);
	s.dst = dst;
	s.src = src;
	s.peer = peer;
	s.conflict = cfn;
	s.arg = arg;
	s.st = st;
	s.err = err;
	/*
	 * One consistent read of src: a PostgreSQL store keeps writing
	 * meanwhile, and each statement of READ COMMITTED would see a later
	 * state (a summary newer than the chunks read before it).
	 */
	if (strcmp(src->ops->name, "PostgreSQL") == 0) {
		if ((rc = db_exec(src, "BEGIN ISOLATION LEVEL REPEATABLE READ"
		    " READ ONLY", err)) != WB_OK)
			goto unread;
		began = 1;
	} else if ((rc = db_read_begin(src, &began, err)) != WB_OK)
		goto unread;
	/* ATTACH is refused inside a transaction: before it. */
	if (dst->ops == &db_sqlite_ops && src->ops == &db_sqlite_ops &&
	    dst->schema == DB_SCHEMA_VERSION &&
	    src->schema == DB_SCHEMA_VERSION)
		s.attached = attach(dst, db_path(src));
	db_hint(dst, DB_HINT_BULK_BEGIN);
	if ((rc = db_begin(dst, err)) != WB_OK)
		goto out;
	changes = db_total_changes(dst);
	if ((rc = sync_experiments(&s)) == WB_OK &&
	    (rc = sync_exp_tags(&s)) == WB_OK &&
	    (rc = sync_keys(&s)) == WB_OK &&
	    (rc = sync_imports(&s)) == WB_OK &&
	    (rc = sync_tombs(&s)) == WB_OK &&
	    (rc = sync_runs(&s)) == WB_OK &&
	    (rc = sync_parents(&s)) == WB_OK &&
	    (rc = sync_lmodels(&s)) == WB_OK &&
	    (rc = sync_registry(&s)) == WB_OK &&
	    (rc = sync_drift(&s)) == WB_OK &&
	    db_total_changes(dst) - s.temp_changes != changes)
		/* A sync that brings nothing writes nothing, not even this. */
		rc = note_peer(dst, peer, "from", url, st, err);
	if (rc == WB_OK)
		db_test_stall("MLWB_TEST_SYNC_STALL");
	/* Its verdict on src outranks what went wrong reading it. */
	if (ready != NULL) {
		if (ready(rarg, &rerr) != WB_OK) {
			if (err != NULL)
				*err = rerr;
			rc = rerr.code;
		}
		ready = NULL;
	}
	if (rc == WB_OK)
		rc = db_commit(dst, err);
	else
		db_rollback(dst);
out:
	if (ready != NULL && ready(rarg, &rerr) != WB_OK) {
		if (err != NULL)
			*err = rerr;
		rc = rerr.code;
	}
	if (s.attached)
		(void)db_exec(dst, "DETACH DATABASE wb_src", NULL);
	db_hint(dst, DB_HINT_BULK_END);
	if (began && strcmp(src->ops->name, "PostgreSQL") == 0)
		db_exec(src, "COMMIT", NULL);
	else
		db_read_end(src, began);
	wb_free(s.exps.v);
	wb_free(s.keys.v);
	wb_free(s.models.v);
	wb_free(s.versions.v);
	wb_free(s.imports.v);
	wb_free(s.sparams.v);
	wb_free(s.stags.v);
	wb_free(s.dparams.v);
	wb_free(s.dtags.v);
	wb_free(s.fresh.v);
	wb_free(s.idpool);
	for (; s.ntombs > 0; s.ntombs--)
		wb_free(s.tombs[s.ntombs - 1]);
	wb_free(s.tombs);
	for (t = 0; t < BULK_N; t++)
		db_copy_free(s.bulk[t]);
	wb_free(s.src_root);
	wb_free(s.dst_root);
	return rc;
unread:
	if (ready != NULL && ready(rarg, &rerr) != WB_OK) {
		if (err != NULL)
			*err = rerr;
		rc = rerr.code;
	}
	return rc;
}
