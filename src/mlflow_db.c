/*
 * mlflow_db: reads an MLflow SQLite tracking database, any version from
 * 1.x to 3.x, and hands its records to the writer (db_mlflow.h).
 *
 * The file is opened read-only through a URI (mode=ro; immutable=1 too
 * when no -wal or -journal file says another process may be writing), so
 * the source is never written, not even a lock.  What exists is learnt
 * from PRAGMA table_info: tables gained columns over the years (metrics
 * .step and .is_nan, runs.name, experiments.workspace in 2026 ...) and
 * some tables are recent (latest_metrics, datasets, aliases), so every
 * query is assembled from fixed fragments chosen by what is there.
 *
 * Runs, params, tags and metrics are each read once, ordered by run UUID,
 * and walked together like a merge join: one pass over each table (the
 * run_uuid indexes of 2.x make that a scan, not a sort), no query per
 * run, and memory bounded by one run's tags and points.  That walk runs
 * in a thread of its own while this one writes what it found
 * (mlflow_feed.h); the source's connection is the thread's until then.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "db_mlflow.h"
#include "err.h"
#include "mem.h"
#include "mlflow.h"
#include "mlflow_feed.h"
#include "mlflow_int.h"
#include "strbuf.h"

/* The columns of one table; n == 0 when the table does not exist. */
struct cols {
	char	**name;
	size_t	  n;
};

struct exp {
	int64_t	 src_id;
	int64_t	 ws_id;		/* 0: not taken */
};

struct src {
	sqlite3		*sq;
	const char	*path;
	struct mlfw	*w;
	struct feed	*feed;		/* read_runs' writer calls */
	const struct mlflow_opts *o;
	struct exp	*exps;
	size_t		 nexps;
};

/* A query walked in step with the runs. */
struct cursor {
	sqlite3_stmt	*st;
	int		 rc;		/* SQLITE_ROW while rows remain */
	const char	*table;
};

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static int
sqerr(struct src *s, struct wb_err *err)
{
	int	code = sqlite3_errcode(s->sq);

	if (code == SQLITE_NOTADB)
		return wb_err_set(err, WB_EFORMAT, "%s: not an SQLite database",
		    s->path);
	return wb_err_set(err, code == SQLITE_CORRUPT ? WB_EFORMAT : WB_EDB,
	    "%s: %s", s->path, sqlite3_errmsg(s->sq));
}

static void
cols_free(struct cols *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		wb_free(c->name[i]);
	wb_free(c->name);
	memset(c, 0, sizeof *c);
}

static int
cols_load(struct src *s, const char *table, struct cols *c,
    struct wb_err *err)
{
	sqlite3_stmt	*st;
	char		**nv;
	int		 rc;

	memset(c, 0, sizeof *c);
	if (sqlite3_prepare_v2(s->sq, "SELECT name FROM pragma_table_info(?1)",
	    -1, &st, NULL) != SQLITE_OK)
		return sqerr(s, err);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((nv = wb_reallocarray(c->name, c->n + 1, sizeof *nv)) ==
		    NULL) {
			sqlite3_finalize(st);
			cols_free(c);
			return oom(err);
		}
		c->name = nv;
		if ((c->name[c->n] = wb_strdup((const char *)
		    sqlite3_column_text(st, 0))) == NULL) {
			sqlite3_finalize(st);
			cols_free(c);
			return oom(err);
		}
		c->n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cols_free(c);
		return sqerr(s, err);
	}
	return WB_OK;
}

static int
has(const struct cols *c, const char *name)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		if (strcasecmp(c->name[i], name) == 0)
			return 1;
	return 0;
}

/* Append column name if the table has it, else fallback (SQL text). */
static void
col_or(struct strbuf *sb, const struct cols *c, const char *prefix,
    const char *name, const char *fallback)
{
	if (has(c, name))
		strbuf_addf(sb, ", %s\"%s\"", prefix, name);
	else
		strbuf_addf(sb, ", %s", fallback);
}

static int
prepare(struct src *s, struct strbuf *sb, sqlite3_stmt **st,
    struct wb_err *err)
{
	*st = NULL;
	if (sb->oom)
		return oom(err);
	if (sqlite3_prepare_v2(s->sq, strbuf_str(sb), -1, st, NULL) !=
	    SQLITE_OK)
		return sqerr(s, err);
	return WB_OK;
}

/* "file:PATH?mode=ro[&immutable=1]" with PATH percent-encoded. */
static int
open_ro(struct src *s, const char *path, struct wb_err *err)
{
	struct strbuf	 uri = STRBUF_INIT, side = STRBUF_INIT;
	const char	*p;
	int		 immutable = 1, rc;

	strbuf_adds(&uri, "file:");
	for (p = path; *p; p++) {
		if (isalnum((unsigned char)*p) || strchr("/-_.~", *p) != NULL)
			strbuf_addc(&uri, *p);
		else
			strbuf_addf(&uri, "%%%02X", (unsigned char)*p);
	}
	/* Another process may be writing: then read with locks. */
	strbuf_addf(&side, "%s-wal", path);
	if (!side.oom && access(strbuf_str(&side), F_OK) == 0)
		immutable = 0;
	strbuf_reset(&side);
	strbuf_addf(&side, "%s-journal", path);
	if (!side.oom && access(strbuf_str(&side), F_OK) == 0)
		immutable = 0;
	strbuf_free(&side);
	strbuf_adds(&uri, immutable ? "?mode=ro&immutable=1" : "?mode=ro");
	if (uri.oom) {
		strbuf_free(&uri);
		return oom(err);
	}
	rc = sqlite3_open_v2(strbuf_str(&uri), &s->sq,
	    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	strbuf_free(&uri);
	if (rc != SQLITE_OK) {
		rc = wb_err_set(err, WB_EIO, "%s: cannot open: %s", path,
		    s->sq ? sqlite3_errmsg(s->sq) : "out of memory");
		sqlite3_close(s->sq);
		s->sq = NULL;
		return rc;
	}
	sqlite3_busy_timeout(s->sq, 5000);
	/*
	 * The file may come from anyone: its views and triggers must not
	 * call functions with side effects, and it stays read-only anyway.
	 */
	sqlite3_db_config(s->sq, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(s->sq, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	return WB_OK;
}

static const char *
text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int64_t
i64(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

/*
 * Column i as an integer, refusing what SQLite would coerce silently (a
 * step of 'x' read as 0, a start_time of 'yesterday' as no time): NULL is
 * 0, an integer, a whole float or integer text is itself, anything else
 * is WB_EPARSE naming the table, the run, the column and the value.
 */
static int
i64_checked(struct src *s, sqlite3_stmt *st, int i, const char *table,
    const char *uuid, const char *key, const char *col, int64_t *v,
    struct wb_err *err)
{
	double		d;
	const char	*t;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		*v = 0;
		return WB_OK;
	case SQLITE_INTEGER:
		*v = sqlite3_column_int64(st, i);
		return WB_OK;
	case SQLITE_FLOAT:
		d = sqlite3_column_double(st, i);
		if (d == floor(d) && fabs(d) < 9e18) {
			*v = (int64_t)d;
			return WB_OK;
		}
		break;
	default:
		if ((t = text(st, i)) != NULL && mlflow_parse_i64(t, v) == 0)
			return WB_OK;
		break;
	}
	t = text(st, i);
	return wb_err_set(err, WB_EPARSE, "%s: %s: run %s%s%s%s: %s '%.40s' "
	    "is not an integer; nothing imported", s->path, table, uuid,
	    key ? ", key '" : "", key ? key : "", key ? "'" : "", col,
	    t ? t : "");
}

static struct exp *
exp_find(struct src *s, int64_t id)
{
	size_t	lo = 0, hi = s->nexps, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->exps[mid].src_id == id)
			return &s->exps[mid];
		if (s->exps[mid].src_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Is a row of experiment exp_id, with lifecycle stage, to be taken? */
static int
taken(struct src *s, int64_t exp_id, const char *stage, int64_t *ws_id)
{
	struct exp	*e = exp_find(s, exp_id);

	if (e == NULL || e->ws_id == 0)
		return 0;
	if (!s->o->include_deleted && stage != NULL &&
	    strcmp(stage, "deleted") == 0)
		return 0;
	if (ws_id)
		*ws_id = e->ws_id;
	return 1;
}

static int
read_experiments(struct src *s, struct wb_err *err)
{
	struct strbuf	 q = STRBUF_INIT;
	struct cols	 c, ct;
	sqlite3_stmt	*st = NULL, *note = NULL;
	struct exp	*nv;
	const char	*stage, *desc;
	char		*name = NULL;
	size_t		 cap = 0;
	int		 rc, deleted, matched = 0;

	if ((rc = cols_load(s, "experiments", &c, err)) != WB_OK)
		return rc;
	if (c.n == 0 || !has(&c, "experiment_id") || !has(&c, "name")) {
		cols_free(&c);
		return wb_err_set(err, WB_EFORMAT, "%s: not an MLflow tracking"
		    " database (no experiments table)", s->path);
	}
	strbuf_adds(&q, "SELECT experiment_id, name");
	col_or(&q, &c, "", "lifecycle_stage", "NULL");
	col_or(&q, &c, "", "creation_time", "NULL");
	col_or(&q, &c, "", "workspace", "NULL");
	strbuf_adds(&q, " FROM experiments ORDER BY experiment_id");
	cols_free(&c);
	rc = prepare(s, &q, &st, err);
	strbuf_free(&q);
	if (rc != WB_OK)
		return rc;
	if ((rc = cols_load(s, "experiment_tags", &ct, err)) != WB_OK)
		goto out;
	if (ct.n > 0 && sqlite3_prepare_v2(s->sq, "SELECT \"key\", value FROM"
	    " experiment_tags WHERE experiment_id = ?1 ORDER BY \"key\"",
	    -1, &note, NULL) != SQLITE_OK) {
		cols_free(&ct);
		rc = sqerr(s, err);
		goto out;
	}
	cols_free(&ct);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->nexps == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = wb_reallocarray(s->exps, cap, sizeof *nv)) ==
			    NULL) {
				rc = oom(err);
				goto out;
			}
			s->exps = nv;
		}
		s->exps[s->nexps].src_id = i64(st, 0);
		s->exps[s->nexps].ws_id = 0;
		s->nexps++;
		wb_free(name);
		if ((name = mlflow_exp_name(text(st, 4),
		    text(st, 1) ? text(st, 1) : "")) == NULL) {
			rc = oom(err);
			goto out;
		}
		stage = text(st, 2);
		deleted = stage != NULL && strcmp(stage, "deleted") == 0;
		if (deleted && !s->o->include_deleted)
			continue;
		/* --experiment takes MLflow's experiment id too. */
		if (s->o->experiment != NULL &&
		    strcmp(s->o->experiment, name) != 0 &&
		    (text(st, 0) == NULL ||
		    strcmp(s->o->experiment, text(st, 0)) != 0))
			continue;
		matched++;
		desc = NULL;
		if (note != NULL) {
			sqlite3_reset(note);
			sqlite3_bind_int64(note, 1, i64(st, 0));
			while ((rc = sqlite3_step(note)) == SQLITE_ROW)
				if (text(note, 0) != NULL && strcmp(text(note,
				    0), "mlflow.note.content") == 0)
					break;
			if (rc == SQLITE_ROW)
				desc = text(note, 1);
		}
		if ((rc = mlfw_experiment(s->w, name, desc, i64(st, 3),
		    deleted, &s->exps[s->nexps - 1].ws_id, err)) != WB_OK)
			goto out;
		/* Every tag, the description's too (MLflow shows it so). */
		if (note != NULL) {
			sqlite3_reset(note);
			while ((rc = sqlite3_step(note)) == SQLITE_ROW)
				if (text(note, 0) != NULL && (rc =
				    mlfw_exp_tag(s->w, s->exps[s->nexps -
				    1].ws_id, text(note, 0), text(note, 1),
				    err)) != WB_OK)
					goto out;
			if (rc != SQLITE_DONE) {
				rc = sqerr(s, err);
				goto out;
			}
		}
	}
	if (rc != SQLITE_DONE) {
		rc = sqerr(s, err);
		goto out;
	}
	rc = WB_OK;
	if (s->o->experiment != NULL && matched == 0)
		rc = wb_err_set(err, WB_ENOTFOUND, "%s: no experiment named "
		    "'%s'%s", s->path, s->o->experiment,
		    s->o->include_deleted ? "" : " (deleted ones need "
		    "--include-deleted)");
out:
	wb_free(name);
	sqlite3_finalize(note);
	sqlite3_finalize(st);
	return rc;
}

static int
cursor_step(struct src *s, struct cursor *c, struct wb_err *err)
{
	c->rc = sqlite3_step(c->st);
	if (c->rc != SQLITE_ROW && c->rc != SQLITE_DONE)
		return sqerr(s, err);
	return WB_OK;
}

static int
cursor_open(struct src *s, struct cursor *c, const char *table,
    struct strbuf *q, struct wb_err *err)
{
	int	rc;

	c->table = table;
	c->rc = SQLITE_DONE;
	if ((rc = prepare(s, q, &c->st, err)) != WB_OK)
		return rc;
	return cursor_step(s, c, err);
}

/* Column 0 of the cursor's row compared with run uuid (raw text). */
static int
cursor_cmp(struct cursor *c, const char *uuid)
{
	const char	*u;

	if (c->st == NULL || c->rc != SQLITE_ROW)
		return 1;
	u = text(c->st, 0);
	return strcmp(u ? u : "", uuid);
}

/* Skip rows of runs before uuid (orphans, or runs not taken). */
static int
cursor_seek(struct src *s, struct cursor *c, const char *uuid,
    struct wb_err *err)
{
	int	rc;

	while (cursor_cmp(c, uuid) < 0)
		if ((rc = cursor_step(s, c, err)) != WB_OK)
			return rc;
	return WB_OK;
}

struct kvs {
	char	**k, **v;
	size_t	  n, cap;
};

static void
kvs_clear(struct kvs *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++) {
		wb_free(t->k[i]);
		wb_free(t->v[i]);
	}
	t->n = 0;
}

static int
kvs_add(struct kvs *t, const char *k, const char *v)
{
	char	**nk, **nv;
	size_t	  cap;

	if (t->n == t->cap) {
		cap = t->cap ? t->cap * 2 : 16;
		if ((nk = wb_reallocarray(t->k, cap, sizeof *nk)) == NULL)
			return -1;
		t->k = nk;
		if ((nv = wb_reallocarray(t->v, cap, sizeof *nv)) == NULL)
			return -1;
		t->v = nv;
		t->cap = cap;
	}
	t->k[t->n] = wb_strdup(k ? k : "");
	t->v[t->n] = v ? wb_strdup(v) : NULL;
	if (t->k[t->n] == NULL || (v != NULL && t->v[t->n] == NULL)) {
		wb_free(t->k[t->n]);
		wb_free(t->v[t->n]);
		return -1;
	}
	t->n++;
	return 0;
}

/* Params (or tags) of the run at the cursor, written as they come. */
static int
emit_params(struct src *s, struct cursor *c, const char *uuid,
    struct wb_err *err)
{
	int	rc;

	while (cursor_cmp(c, uuid) == 0) {
		if ((rc = feed_param(s->feed, text(c->st, 1), text(c->st, 2),
		    err)) != WB_OK)
			return rc;
		if ((rc = cursor_step(s, c, err)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

/* A point of the current run, held until the run's points are sorted. */
struct pt {
	size_t	key;		/* offset of the key in the arena */
	int64_t	step;
	int64_t	ts;
	double	value;
	size_t	ord;
};

static int
pt_cmp(const void *a, const void *b)
{
	const struct pt	*x = a, *y = b;

	if (x->step != y->step)
		return x->step < y->step ? -1 : 1;
	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->value < y->value)
		return -1;
	if (x->value > y->value)
		return 1;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/*
 * One run's points as they are read: the points, their key strings
 * (each distinct key once: a run logs a handful of keys many times, and
 * the last few are looked up before a key is copied again).
 */
#define PT_KEYS_RECENT	8

struct ptbuf {
	struct pt	*pts;
	size_t		 n, cap;
	struct pt	*tmp;		/* pts_sort's */
	size_t		 tmpcap;
	struct strbuf	 arena;
	size_t		 recent[PT_KEYS_RECENT];	/* arena offsets */
	size_t		 nrecent;
};

static void
ptbuf_reset(struct ptbuf *b)
{
	b->n = 0;
	b->nrecent = 0;
	strbuf_reset(&b->arena);
}

/* The arena offset of key, copied there unless recently seen. */
static int
ptbuf_key(struct ptbuf *b, const char *key, size_t *off)
{
	size_t	i, o;

	for (i = 0; i < b->nrecent; i++) {
		o = b->recent[i];
		if (strcmp(b->arena.s + o, key) == 0) {
			*off = o;
			return 0;
		}
	}
	*off = b->arena.len;
	if (strbuf_add(&b->arena, key, strlen(key) + 1) != 0)
		return -1;
	/* Kept most recent first, the oldest dropped. */
	if (b->nrecent < PT_KEYS_RECENT)
		b->nrecent++;
	memmove(b->recent + 1, b->recent, (b->nrecent - 1) *
	    sizeof *b->recent);
	b->recent[0] = *off;
	return 0;
}

/*
 * The point in the current row of st (columns run_uuid, key, value,
 * timestamp, step, is_nan), appended to b.
 */
static int
add_point(struct src *s, sqlite3_stmt *st, const char *uuid,
    struct ptbuf *b, struct wb_err *err)
{
	const char	*key;
	struct pt	*p, *np;
	size_t		 cap;
	int		 rc, type;

	key = text(st, 1);
	/* NULL is how a NaN would look without is_nan: keep it. */
	type = sqlite3_column_type(st, 2);
	if (type != SQLITE_INTEGER && type != SQLITE_FLOAT &&
	    type != SQLITE_NULL)
		return wb_err_set(err, WB_EPARSE, "%s: metrics: run %s,"
		    " key '%s': value '%s' is not a number", s->path,
		    uuid, key ? key : "", text(st, 2) ? text(st, 2) : "");
	if (b->n == b->cap) {
		cap = b->cap ? b->cap * 2 : 1024;
		if ((np = wb_reallocarray(b->pts, cap, sizeof *np)) == NULL)
			return oom(err);
		b->pts = np;
		b->cap = cap;
	}
	p = &b->pts[b->n];
	if (ptbuf_key(b, key ? key : "", &p->key) != 0)
		return oom(err);
	if ((rc = i64_checked(s, st, 4, "metrics", uuid, key ? key : "",
	    "step", &p->step, err)) != WB_OK ||
	    (rc = i64_checked(s, st, 3, "metrics", uuid, key ? key : "",
	    "timestamp", &p->ts, err)) != WB_OK)
		return rc;
	p->value = mlflow_value(sqlite3_column_double(st, 2),
	    sqlite3_column_int(st, 5) != 0 || type == SQLITE_NULL);
	p->ord = b->n++;
	return WB_OK;
}

/* Merge the sorted x[0..nx) and y[0..ny) into out. */
static void
pts_merge(const struct pt *x, size_t nx, const struct pt *y, size_t ny,
    struct pt *out)
{
	while (nx > 0 && ny > 0) {
		if (pt_cmp(x, y) <= 0) {
			*out++ = *x++;
			nx--;
		} else {
			*out++ = *y++;
			ny--;
		}
	}
	memcpy(out, x, nx * sizeof *x);
	memcpy(out + nx, y, ny * sizeof *y);
}

/* The end of the ascending stretch of v[0..n) that starts at i. */
static size_t
pts_stretch(const struct pt *v, size_t i, size_t n)
{
	for (i++; i < n && pt_cmp(&v[i - 1], &v[i]) <= 0; i++)
		;
	return i;
}

/*
 * Sort b's points by pt_cmp: a natural merge sort, which merges the
 * ascending stretches the points came in.  A run that logged one key, or
 * its keys at distinct timestamps, comes sorted (one pass, no copy);
 * one whose rows are key by key is a few stretches (a pass per doubling);
 * qsort took ~3% of an import whatever the order.  pt_cmp is a total
 * order (arrival breaks ties), so the result is qsort's.
 */
static int
pts_sort(struct ptbuf *b)
{
	struct pt	*src = b->pts, *dst, *t;
	size_t		 n = b->n, i, m, e, stretches;

	if (pts_stretch(src, 0, n) >= n)
		return 0;
	if (b->tmpcap < n) {
		if ((t = wb_reallocarray(b->tmp, b->cap, sizeof *t)) == NULL)
			return -1;
		b->tmp = t;
		b->tmpcap = b->cap;
	}
	dst = b->tmp;
	do {
		stretches = 0;
		for (i = 0; i < n; i = e, stretches++) {
			m = pts_stretch(src, i, n);
			e = m < n ? pts_stretch(src, m, n) : n;
			pts_merge(src + i, m - i, src + m, e - m, dst + i);
		}
		t = src;
		src = dst;
		dst = t;
	} while (stretches > 1);
	if (src != b->pts)
		memcpy(b->pts, src, n * sizeof *src);
	return 0;
}

/*
 * The points of run uuid at the cursor, sorted by (step, timestamp,
 * value) as MLflow ranks them for latest_metrics, so that the last one
 * written of a step is the one it holds.  Sorting one run here is
 * cheaper than an ORDER BY over the whole table beyond the run_uuid
 * index.
 *
 * (Reading each run's rows by rowid range instead of walking that index,
 * a table lookup per row, was measured and dropped: 0.27-0.33 s against
 * 0.30-0.33 s for 1,000,000 rows when every run is one stretch of
 * rowids, and slower when runs are logged key by key or side by side.)
 */
static int
emit_points(struct src *s, struct cursor *c, const char *uuid,
    struct ptbuf *b, struct wb_err *err)
{
	struct pt	*p;
	size_t		 i;
	int		 rc;

	ptbuf_reset(b);
	while (cursor_cmp(c, uuid) == 0) {
		if ((rc = add_point(s, c->st, uuid, b, err)) != WB_OK ||
		    (rc = cursor_step(s, c, err)) != WB_OK)
			return rc;
	}
	if (pts_sort(b) != 0)
		return oom(err);
	for (i = 0; i < b->n; i++) {
		p = &b->pts[i];
		if ((rc = feed_point(s->feed, b->arena.s + p->key, p->step, p->ts,
		    p->value, err)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

/* The runs of the source, for the progress line (0 if it cannot say). */
static int64_t
count_runs(struct src *s)
{
	sqlite3_stmt	*st;
	int64_t		 n = 0;

	if (sqlite3_prepare_v2(s->sq, "SELECT count(*) FROM runs", -1, &st,
	    NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int
read_runs(struct src *s, struct wb_err *err)
{
	struct strbuf	 q = STRBUF_INIT;
	struct cols	 c;
	struct cursor	 runs = { 0 }, params = { 0 }, tags = { 0 },
			 metrics = { 0 };
	struct kvs	 tv = { 0 };
	struct ptbuf	 pb = { .arena = STRBUF_INIT };
	struct mlfw_run	 r;
	const char	*raw, *name;
	char		*uuid_raw = NULL;
	int64_t		 exp_id;
	size_t		 i;
	int		 rc;

	/* runs */
	if ((rc = cols_load(s, "runs", &c, err)) != WB_OK)
		return rc;
	if (c.n == 0 || !has(&c, "run_uuid") || !has(&c, "experiment_id")) {
		cols_free(&c);
		return wb_err_set(err, WB_EFORMAT, "%s: not an MLflow tracking"
		    " database (no runs table)", s->path);
	}
	strbuf_adds(&q, "SELECT run_uuid, experiment_id");
	col_or(&q, &c, "", "name", "NULL");
	col_or(&q, &c, "", "status", "NULL");
	col_or(&q, &c, "", "start_time", "NULL");
	col_or(&q, &c, "", "end_time", "NULL");
	col_or(&q, &c, "", "source_name", "NULL");
	col_or(&q, &c, "", "source_version", "NULL");
	col_or(&q, &c, "", "user_id", "NULL");
	col_or(&q, &c, "", "lifecycle_stage", "NULL");
	col_or(&q, &c, "", "deleted_time", "NULL");
	strbuf_adds(&q, " FROM runs ORDER BY run_uuid");
	cols_free(&c);
	if (s->o->progress != NULL &&
	    (rc = feed_runs_ahead(s->feed, count_runs(s), err)) != WB_OK)
		goto out;
	rc = cursor_open(s, &runs, "runs", &q, err);
	strbuf_reset(&q);
	if (rc != WB_OK)
		goto out;

	/* params, tags: tables since 0.x, but be lenient */
	if ((rc = cols_load(s, "params", &c, err)) != WB_OK)
		goto out;
	if (c.n > 0) {
		strbuf_adds(&q, "SELECT run_uuid, \"key\", value FROM params"
		    " ORDER BY run_uuid");
		rc = cursor_open(s, &params, "params", &q, err);
		strbuf_reset(&q);
	}
	cols_free(&c);
	if (rc != WB_OK)
		goto out;
	if ((rc = cols_load(s, "tags", &c, err)) != WB_OK)
		goto out;
	if (c.n > 0) {
		strbuf_adds(&q, "SELECT run_uuid, \"key\", value FROM tags"
		    " ORDER BY run_uuid");
		rc = cursor_open(s, &tags, "tags", &q, err);
		strbuf_reset(&q);
	}
	cols_free(&c);
	if (rc != WB_OK)
		goto out;

	/* metrics: step (1.0+) and is_nan (1.x) may be missing */
	if ((rc = cols_load(s, "metrics", &c, err)) != WB_OK)
		goto out;
	if (c.n > 0) {
		strbuf_adds(&q, "SELECT run_uuid, \"key\", value");
		col_or(&q, &c, "", "timestamp", "0");
		col_or(&q, &c, "", "step", "0");
		col_or(&q, &c, "", "is_nan", "0");
		strbuf_adds(&q, " FROM metrics ORDER BY run_uuid");
		rc = cursor_open(s, &metrics, "metrics", &q, err);
		strbuf_reset(&q);
	}
	cols_free(&c);
	if (rc != WB_OK)
		goto out;

	while (runs.rc == SQLITE_ROW) {
		raw = text(runs.st, 0);
		wb_free(uuid_raw);
		if ((uuid_raw = wb_strdup(raw ? raw : "")) == NULL) {
			rc = oom(err);
			goto out;
		}
		if ((rc = cursor_seek(s, &params, uuid_raw, err)) != WB_OK ||
		    (rc = cursor_seek(s, &tags, uuid_raw, err)) != WB_OK ||
		    (rc = cursor_seek(s, &metrics, uuid_raw, err)) != WB_OK)
			goto out;
		if (!taken(s, i64(runs.st, 1), text(runs.st, 9), &exp_id))
			goto next;
		memset(&r, 0, sizeof r);
		if (mlflow_uuid(uuid_raw, r.uuid) != 0) {
			rc = wb_err_set(err, WB_EPARSE, "%s: runs: run_uuid "
			    "'%s' is not a UUID", s->path, uuid_raw);
			goto out;
		}
		kvs_clear(&tv);
		while (cursor_cmp(&tags, uuid_raw) == 0) {
			if (kvs_add(&tv, text(tags.st, 1), text(tags.st, 2))
			    != 0) {
				rc = oom(err);
				goto out;
			}
			if ((rc = cursor_step(s, &tags, err)) != WB_OK)
				goto out;
		}
		name = text(runs.st, 2);
		if (name == NULL || *name == '\0') {
			name = NULL;
			for (i = 0; i < tv.n; i++)
				if (strcmp(tv.k[i], "mlflow.runName") == 0 &&
				    tv.v[i] != NULL && *tv.v[i] != '\0')
					name = tv.v[i];
		}
		r.name = name;
		r.status = mlflow_status(text(runs.st, 3));
		if ((rc = i64_checked(s, runs.st, 4, "runs", uuid_raw, NULL,
		    "start_time", &r.started_at, err)) != WB_OK ||
		    (rc = i64_checked(s, runs.st, 5, "runs", uuid_raw, NULL,
		    "end_time", &r.ended_at, err)) != WB_OK)
			goto out;
		r.source = text(runs.st, 6);
		if (r.source != NULL && *r.source == '\0')
			r.source = NULL;
		r.git_commit = text(runs.st, 7);
		if (r.git_commit != NULL && *r.git_commit == '\0')
			r.git_commit = NULL;
		r.user = text(runs.st, 8);
		if (r.user != NULL && *r.user == '\0')
			r.user = NULL;
		/* Deleted in MLflow: when (MLflow 2 keeps it), else now. */
		r.deleted_at = 0;
		if (text(runs.st, 9) != NULL &&
		    strcmp(text(runs.st, 9), "deleted") == 0)
			r.deleted_at = i64(runs.st, 10) > 0 ? i64(runs.st, 10) :
			    db_now_ms();
		for (i = 0; i < tv.n; i++) {
			if (r.source == NULL &&
			    strcmp(tv.k[i], "mlflow.source.name") == 0)
				r.source = tv.v[i];
			if (r.git_commit == NULL &&
			    strcmp(tv.k[i], "mlflow.source.git.commit") == 0)
				r.git_commit = tv.v[i];
			if (r.user == NULL &&
			    strcmp(tv.k[i], "mlflow.user") == 0)
				r.user = tv.v[i];
		}
		if ((rc = feed_run(s->feed, &r, exp_id, err)) != WB_OK)
			goto out;
		for (i = 0; i < tv.n; i++)
			if ((rc = feed_tag(s->feed, tv.k[i], tv.v[i], err)) !=
			    WB_OK)
				goto out;
		if ((rc = emit_params(s, &params, uuid_raw, err)) != WB_OK ||
		    (rc = emit_points(s, &metrics, uuid_raw, &pb, err)) !=
		    WB_OK ||
		    (rc = feed_run_end(s->feed, err)) != WB_OK)
			goto out;
		if ((rc = cursor_step(s, &runs, err)) != WB_OK)
			goto out;
		continue;
next:
		if ((rc = feed_skip(s->feed, err)) != WB_OK ||
		    (rc = cursor_step(s, &runs, err)) != WB_OK)
			goto out;
	}
	rc = WB_OK;
out:
	kvs_clear(&tv);
	wb_free(tv.k);
	wb_free(tv.v);
	wb_free(uuid_raw);
	wb_free(pb.pts);
	wb_free(pb.tmp);
	strbuf_free(&pb.arena);
	strbuf_free(&q);
	sqlite3_finalize(runs.st);
	sqlite3_finalize(params.st);
	sqlite3_finalize(tags.st);
	sqlite3_finalize(metrics.st);
	return rc;
}

/* read_runs in the feed's reader thread (mlflow_feed.h). */
static int
read_runs_fed(void *arg, struct feed *f, struct wb_err *err)
{
	struct src	*s = arg;

	s->feed = f;
	return read_runs(s, err);
}

/* num_rows out of a dataset profile ('{"num_rows": 150, ...}'); -1. */
static int64_t
profile_rows(const char *profile)
{
	const char	*p;
	char		*end;
	long long	 v;

	if (profile == NULL || (p = strstr(profile, "\"num_rows\"")) == NULL)
		return -1;
	p += strlen("\"num_rows\"");
	while (*p == ' ' || *p == ':')
		p++;
	v = strtoll(p, &end, 10);
	return end == p || v < 0 ? -1 : (int64_t)v;
}

/* Datasets used by the runs taken (MLflow 2.4+: datasets, inputs). */
static int
read_inputs(struct src *s, struct wb_err *err)
{
	struct strbuf		 q = STRBUF_INIT;
	struct cols		 cd, ci, ct;
	struct mlfw_dataset	 d;
	sqlite3_stmt		*st = NULL;
	char			 run[33], ds[33];
	const char		*raw;
	int			 rc;

	if ((rc = cols_load(s, "datasets", &cd, err)) != WB_OK)
		return rc;
	if ((rc = cols_load(s, "inputs", &ci, err)) != WB_OK) {
		cols_free(&cd);
		return rc;
	}
	if ((rc = cols_load(s, "input_tags", &ct, err)) != WB_OK) {
		cols_free(&cd);
		cols_free(&ci);
		return rc;
	}
	if (cd.n == 0 || ci.n == 0 || !has(&cd, "dataset_uuid")) {
		rc = WB_OK;
		goto out;
	}
	/* inputs came with 2.4, when runs had lifecycle_stage long since */
	strbuf_adds(&q, "SELECT i.destination_id, r.experiment_id,"
	    " r.lifecycle_stage, d.dataset_uuid, d.name");
	col_or(&q, &cd, "d.", "digest", "NULL");
	col_or(&q, &cd, "d.", "dataset_source_type", "NULL");
	col_or(&q, &cd, "d.", "dataset_source", "NULL");
	col_or(&q, &cd, "d.", "dataset_schema", "NULL");
	col_or(&q, &cd, "d.", "dataset_profile", "NULL");
	if (ct.n > 0)
		strbuf_adds(&q, ", (SELECT value FROM input_tags t WHERE"
		    " t.input_uuid = i.input_uuid AND t.name ="
		    " 'mlflow.data.context')");
	else
		strbuf_adds(&q, ", NULL");
	strbuf_adds(&q, " FROM inputs i JOIN datasets d ON d.dataset_uuid ="
	    " i.source_id JOIN runs r ON r.run_uuid = i.destination_id"
	    " WHERE i.source_type = 'DATASET' AND i.destination_type = 'RUN'"
	    " ORDER BY i.destination_id, d.name");
	if ((rc = prepare(s, &q, &st, err)) != WB_OK)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!taken(s, i64(st, 1), text(st, 2), NULL) ||
		    mlflow_uuid(text(st, 0), run) != 0)
			continue;
		memset(&d, 0, sizeof d);
		raw = text(st, 3);
		d.uuid = mlflow_uuid(raw, ds) == 0 ? ds : raw;
		d.name = text(st, 4);
		d.digest = text(st, 5);
		d.source_type = text(st, 6);
		d.source = text(st, 7);
		d.schema = text(st, 8);
		d.n_rows = profile_rows(text(st, 9));
		if ((rc = mlfw_input(s->w, run, &d, text(st, 10), err)) !=
		    WB_OK)
			goto out;
	}
	rc = rc == SQLITE_DONE ? WB_OK : sqerr(s, err);
out:
	sqlite3_finalize(st);
	strbuf_free(&q);
	cols_free(&cd);
	cols_free(&ci);
	cols_free(&ct);
	return rc;
}

/* The artifact path of a version: MLflow 3's models:/m-... source is a
 * URI; its storage_location is the folder on disk. */
static const char *
artifact_of(const char *source, const char *storage)
{
	if (source != NULL && strncmp(source, "models:/", 8) == 0 &&
	    storage != NULL && *storage != '\0')
		return storage;
	return source;
}

struct stage_best {
	const char	*stage;
	int64_t		 version;	/* 0 none */
};

static int
read_model(struct src *s, sqlite3_stmt *mv, sqlite3_stmt *al,
    const char *mname, const char *ws, const char *desc, int64_t created,
    struct wb_err *err)
{
	struct stage_best	 best[] = { { "Staging", 0 },
				    { "Production", 0 } };
	int64_t			*kept = NULL, *nk, model_id = 0, ver;
	size_t			 nkept = 0, i, j;
	char			*name, run[33];
	const char		*stage, *run_raw, *alias, *lm;
	char			**explicit = NULL, **ne;
	size_t			 nexplicit = 0;
	int			 rc, ok;

	if ((name = mlflow_exp_name(ws, mname)) == NULL)
		return oom(err);
	/* A model without versions is kept too, unless taking a part. */
	if (s->o->experiment == NULL && (rc = mlfw_model(s->w, name, desc,
	    created, &model_id, err)) != WB_OK) {
		wb_free(name);
		return rc;
	}
	sqlite3_reset(mv);
	sqlite3_bind_text(mv, 1, mname, -1, SQLITE_TRANSIENT);
	if (sqlite3_bind_parameter_count(mv) >= 2)
		sqlite3_bind_text(mv, 2, ws ? ws : "default", -1,
		    SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(mv)) == SQLITE_ROW) {
		stage = text(mv, 3);
		if (stage != NULL && strcasecmp(stage, "Deleted_Internal") == 0)
			continue;
		run_raw = text(mv, 5);
		ok = run_raw != NULL && mlflow_uuid(run_raw, run) == 0;
		if (s->o->experiment != NULL && (!ok ||
		    sqlite3_column_type(mv, 7) == SQLITE_NULL ||
		    !taken(s, i64(mv, 7), NULL, NULL)))
			continue;
		if (model_id == 0 && (rc = mlfw_model(s->w, name, desc,
		    created, &model_id, err)) != WB_OK)
			goto out;
		ver = i64(mv, 0);
		/* MLflow 3.13 has no model_id column: the source says. */
		lm = text(mv, 8) ? text(mv, 8) : mlflow_lmodel_of(text(mv, 4));
		if ((rc = mlfw_version(s->w, model_id, ver, ok ? run : NULL,
		    lm, artifact_of(text(mv, 4), text(mv, 6)), text(mv, 2),
		    i64(mv, 1), err)) != WB_OK)
			goto out;
		if ((nk = wb_reallocarray(kept, nkept + 1, sizeof *nk)) ==
		    NULL) {
			rc = oom(err);
			goto out;
		}
		kept = nk;
		kept[nkept++] = ver;
		for (i = 0; i < sizeof best / sizeof best[0]; i++)
			if (stage != NULL &&
			    strcasecmp(stage, best[i].stage) == 0 &&
			    ver > best[i].version)
				best[i].version = ver;
	}
	if (rc != SQLITE_DONE) {
		rc = sqerr(s, err);
		goto out;
	}
	rc = WB_OK;
	if (model_id == 0)
		goto out;
	if (al != NULL) {
		sqlite3_reset(al);
		sqlite3_bind_text(al, 1, mname, -1, SQLITE_TRANSIENT);
		if (sqlite3_bind_parameter_count(al) >= 2)
			sqlite3_bind_text(al, 2, ws ? ws : "default", -1,
			    SQLITE_TRANSIENT);
		while ((rc = sqlite3_step(al)) == SQLITE_ROW) {
			alias = text(al, 0);
			ver = i64(al, 1);
			if (alias == NULL)
				continue;
			if ((ne = wb_reallocarray(explicit, nexplicit + 1,
			    sizeof *ne)) == NULL) {
				rc = oom(err);
				goto out;
			}
			explicit = ne;
			if ((explicit[nexplicit] = wb_strdup(alias)) == NULL) {
				rc = oom(err);
				goto out;
			}
			nexplicit++;
			for (j = 0; j < nkept && kept[j] != ver; j++)
				;
			if (j == nkept)
				continue;
			if ((rc = mlfw_alias(s->w, model_id, alias, ver,
			    s->path, err)) != WB_OK)
				goto out;
		}
		if (rc != SQLITE_DONE) {
			rc = sqerr(s, err);
			goto out;
		}
		rc = WB_OK;
	}
	/* Stages as aliases: the highest version in the stage, as
	 * models:/NAME/Production loads; an explicit alias wins. */
	for (i = 0; i < sizeof best / sizeof best[0]; i++) {
		if (best[i].version == 0)
			continue;
		for (j = 0; j < nexplicit &&
		    strcasecmp(explicit[j], best[i].stage) != 0; j++)
			;
		if (j < nexplicit)
			continue;
		if ((rc = mlfw_alias(s->w, model_id, best[i].stage,
		    best[i].version, s->path, err)) != WB_OK)
			goto out;
	}
out:
	for (j = 0; j < nexplicit; j++)
		wb_free(explicit[j]);
	wb_free(explicit);
	wb_free(kept);
	wb_free(name);
	return rc;
}

/* MLflow's LoggedModelStatus: 1 pending, 2 ready, 3 upload failed. */
static const char *
lmodel_status(sqlite3_stmt *st, int i)
{
	static const char *const words[] = { NULL, "pending", "ready",
	    "failed" };
	int64_t	v;

	if (sqlite3_column_type(st, i) == SQLITE_TEXT)
		return text(st, i);
	v = i64(st, i);
	return v >= 1 && v <= 3 ? words[v] : NULL;
}

/* The key/value rows of one logged model into fn (params or tags). */
static int
lmodel_kvs(struct src *s, sqlite3_stmt *st, const char *id,
    int (*fn)(struct mlfw *, const char *, const char *, struct wb_err *),
    struct wb_err *err)
{
	int	rc;

	if (st == NULL)
		return WB_OK;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (text(st, 0) != NULL && (rc = fn(s->w, text(st, 0),
		    text(st, 1), err)) != WB_OK)
			return rc;
	return rc == SQLITE_DONE ? WB_OK : sqerr(s, err);
}

/* A query on table if it exists (*st NULL if not). */
static int
prepare_if(struct src *s, const char *table, const char *sql,
    sqlite3_stmt **st, struct wb_err *err)
{
	struct cols	c;
	int		rc;

	*st = NULL;
	if ((rc = cols_load(s, table, &c, err)) != WB_OK)
		return rc;
	if (c.n > 0 && sqlite3_prepare_v2(s->sq, sql, -1, st, NULL) !=
	    SQLITE_OK)
		rc = sqerr(s, err);
	cols_free(&c);
	return rc;
}

/*
 * MLflow 3's logged models of the experiments taken, with their params,
 * tags and metric values, before the registry that links versions to
 * them.  A database without the table (before 3.0) has none.
 */
static int
read_lmodels(struct src *s, struct wb_err *err)
{
	struct strbuf		 q = STRBUF_INIT;
	struct cols		 c, cm;
	struct mlfw_lmodel	 m;
	sqlite3_stmt		*st = NULL, *pa = NULL, *tg = NULL, *me = NULL;
	int64_t			 ws;
	int			 rc;

	memset(&cm, 0, sizeof cm);
	if ((rc = cols_load(s, "logged_models", &c, err)) != WB_OK)
		return rc;
	if (c.n == 0 || !has(&c, "model_id") || !has(&c, "experiment_id"))
		goto out;
	strbuf_adds(&q, "SELECT model_id, experiment_id");
	col_or(&q, &c, "", "name", "NULL");
	col_or(&q, &c, "", "artifact_location", "NULL");
	col_or(&q, &c, "", "creation_timestamp_ms", "NULL");
	col_or(&q, &c, "", "last_updated_timestamp_ms", "NULL");
	col_or(&q, &c, "", "status", "NULL");
	col_or(&q, &c, "", "lifecycle_stage", "NULL");
	col_or(&q, &c, "", "model_type", "NULL");
	col_or(&q, &c, "", "source_run_id", "NULL");
	strbuf_adds(&q, " FROM logged_models ORDER BY model_id");
	if ((rc = prepare(s, &q, &st, err)) != WB_OK)
		goto out;
	if ((rc = prepare_if(s, "logged_model_params", "SELECT param_key,"
	    " param_value FROM logged_model_params WHERE model_id = ?1"
	    " ORDER BY param_key", &pa, err)) != WB_OK ||
	    (rc = prepare_if(s, "logged_model_tags", "SELECT tag_key,"
	    " tag_value FROM logged_model_tags WHERE model_id = ?1"
	    " ORDER BY tag_key", &tg, err)) != WB_OK ||
	    (rc = cols_load(s, "logged_model_metrics", &cm, err)) != WB_OK)
		goto out;
	if (cm.n > 0) {
		strbuf_reset(&q);
		strbuf_adds(&q, "SELECT metric_name, metric_step,"
		    " metric_timestamp_ms, metric_value");
		col_or(&q, &cm, "", "run_id", "NULL");
		col_or(&q, &cm, "", "dataset_name", "NULL");
		col_or(&q, &cm, "", "dataset_digest", "NULL");
		strbuf_adds(&q, " FROM logged_model_metrics WHERE model_id ="
		    " ?1 ORDER BY metric_name, metric_step,"
		    " metric_timestamp_ms");
		if ((rc = prepare(s, &q, &me, err)) != WB_OK)
			goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (text(st, 0) == NULL ||
		    !taken(s, i64(st, 1), text(st, 7), &ws))
			continue;
		memset(&m, 0, sizeof m);
		m.uuid = text(st, 0);
		m.name = text(st, 2);
		m.artifact = text(st, 3);
		m.created_at = i64(st, 4);
		m.updated_at = i64(st, 5);
		m.status = lmodel_status(st, 6);
		m.model_type = text(st, 8);
		m.run_uuid = text(st, 9);
		if ((rc = mlfw_lmodel(s->w, &m, ws, err)) != WB_OK ||
		    (rc = lmodel_kvs(s, pa, m.uuid, mlfw_lmodel_param,
		    err)) != WB_OK ||
		    (rc = lmodel_kvs(s, tg, m.uuid, mlfw_lmodel_tag,
		    err)) != WB_OK)
			goto out;
		if (me == NULL)
			continue;
		sqlite3_reset(me);
		sqlite3_bind_text(me, 1, m.uuid, -1, SQLITE_TRANSIENT);
		while ((rc = sqlite3_step(me)) == SQLITE_ROW)
			if (text(me, 0) != NULL && (rc =
			    mlfw_lmodel_metric(s->w, text(me, 0), i64(me, 1),
			    i64(me, 2), sqlite3_column_type(me, 3) ==
			    SQLITE_NULL ? NAN : mlflow_value(
			    sqlite3_column_double(me, 3), 0), text(me, 4),
			    text(me, 5), text(me, 6), err)) != WB_OK)
				goto out;
		if (rc != SQLITE_DONE) {
			rc = sqerr(s, err);
			goto out;
		}
	}
	rc = rc == SQLITE_DONE ? WB_OK : sqerr(s, err);
out:
	sqlite3_finalize(st);
	sqlite3_finalize(pa);
	sqlite3_finalize(tg);
	sqlite3_finalize(me);
	strbuf_free(&q);
	cols_free(&c);
	cols_free(&cm);
	return rc;
}

static int
read_registry(struct src *s, struct wb_err *err)
{
	struct strbuf	 q = STRBUF_INIT;
	struct cols	 cm, cv, ca;
	sqlite3_stmt	*m = NULL, *mv = NULL, *al = NULL;
	char		*mname = NULL, *ws = NULL, *desc = NULL;
	int		 rc, wsp;

	memset(&cv, 0, sizeof cv);
	memset(&ca, 0, sizeof ca);
	if ((rc = cols_load(s, "registered_models", &cm, err)) != WB_OK)
		return rc;
	if (cm.n == 0)
		goto out;
	if ((rc = cols_load(s, "model_versions", &cv, err)) != WB_OK ||
	    (rc = cols_load(s, "registered_model_aliases", &ca, err)) !=
	    WB_OK)
		goto out;
	if (cv.n == 0)
		goto out;
	wsp = has(&cm, "workspace") && has(&cv, "workspace");
	strbuf_adds(&q, "SELECT name");
	col_or(&q, &cm, "", "creation_time", "NULL");
	col_or(&q, &cm, "", "description", "NULL");
	strbuf_adds(&q, wsp ? ", workspace" : ", NULL");
	strbuf_adds(&q, " FROM registered_models ORDER BY 4, name");
	if ((rc = prepare(s, &q, &m, err)) != WB_OK)
		goto out;
	strbuf_reset(&q);
	strbuf_adds(&q, "SELECT v.version");
	col_or(&q, &cv, "v.", "creation_time", "NULL");
	col_or(&q, &cv, "v.", "description", "NULL");
	col_or(&q, &cv, "v.", "current_stage", "NULL");
	col_or(&q, &cv, "v.", "source", "NULL");
	col_or(&q, &cv, "v.", "run_id", "NULL");
	col_or(&q, &cv, "v.", "storage_location", "NULL");
	strbuf_adds(&q, ", r.experiment_id");
	col_or(&q, &cv, "v.", "model_id", "NULL");
	strbuf_adds(&q, " FROM model_versions v LEFT JOIN"
	    " runs r ON r.run_uuid = v.run_id WHERE v.name = ?1");
	if (wsp)
		strbuf_adds(&q, " AND v.workspace = ?2");
	strbuf_adds(&q, " ORDER BY v.version");
	if ((rc = prepare(s, &q, &mv, err)) != WB_OK)
		goto out;
	if (ca.n > 0) {
		strbuf_reset(&q);
		strbuf_addf(&q, "SELECT alias, version FROM"
		    " registered_model_aliases WHERE name = ?1%s ORDER BY"
		    " alias", wsp && has(&ca, "workspace") ?
		    " AND workspace = ?2" : "");
		if ((rc = prepare(s, &q, &al, err)) != WB_OK)
			goto out;
	}
	while ((rc = sqlite3_step(m)) == SQLITE_ROW) {
		/* Copies: the nested queries must not move these. */
		wb_free(mname);
		wb_free(ws);
		wb_free(desc);
		mname = wb_strdup(text(m, 0) ? text(m, 0) : "");
		ws = text(m, 3) ? wb_strdup(text(m, 3)) : NULL;
		desc = text(m, 2) ? wb_strdup(text(m, 2)) : NULL;
		if (mname == NULL || (text(m, 3) && ws == NULL) ||
		    (text(m, 2) && desc == NULL)) {
			rc = oom(err);
			goto out;
		}
		if ((rc = read_model(s, mv, al, mname, ws, desc, i64(m, 1),
		    err)) != WB_OK)
			goto out;
	}
	rc = rc == SQLITE_DONE ? WB_OK : sqerr(s, err);
out:
	wb_free(mname);
	wb_free(ws);
	wb_free(desc);
	sqlite3_finalize(m);
	sqlite3_finalize(mv);
	sqlite3_finalize(al);
	strbuf_free(&q);
	cols_free(&cm);
	cols_free(&cv);
	cols_free(&ca);
	return rc;
}

int
mlflow_db_read(struct mlfw *w, const char *path, const struct mlflow_opts *o,
    struct wb_err *err)
{
	struct src	 s;
	int		 rc;

	memset(&s, 0, sizeof s);
	s.path = path;
	s.w = w;
	s.o = o;
	if ((rc = open_ro(&s, path, err)) != WB_OK)
		return rc;
	/* The first read tells a non-database file from a database. */
	if (sqlite3_exec(s.sq, "SELECT count(*) FROM sqlite_master", NULL,
	    NULL, NULL) != SQLITE_OK)
		rc = sqerr(&s, err);
	if (rc == WB_OK)
		rc = read_experiments(&s, err);
	if (rc == WB_OK)
		rc = feed_drive(w, read_runs_fed, &s, err);
	if (rc == WB_OK)
		rc = read_inputs(&s, err);
	if (rc == WB_OK)
		rc = read_lmodels(&s, err);
	if (rc == WB_OK)
		rc = read_registry(&s, err);
	wb_free(s.exps);
	sqlite3_close(s.sq);
	return rc;
}
