/*
 * db_metric: chunked storage of metric points and the summaries kept at
 * ingest.
 *
 * A chunk is a BLOB of n points in arrival order, compressed by
 * chunk_codec.c (which also reads the 24-byte records of older
 * workspaces); step_min/step_max let a reader order chunks and detect
 * when a merge sort is needed.  The writer holds one
 * buffer of at most DB_METRIC_CHUNK points per open series, so memory is
 * bounded by the number of series a file has, never by its length.
 */
#include "config.h"

#include "db_metric.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chunk_codec.h"
#include "db_internal.h"
#include "err.h"
#include "mem.h"

/* The codec's blocks are the chart's blocks (db_series.c). */
_Static_assert(DB_METRIC_CHUNK == CC_MAX_POINTS, "chunk size");
_Static_assert(DB_METRIC_BLOCK == CC_BLOCK, "block size");


struct mseries {
	int64_t			 run_id;
	int64_t			 key_id;
	int64_t			 next_seq;
	int			 existed;	/* summary row was in the db */
	struct metric_summary	 sum;
	struct cc_point		*buf;
	size_t			 n;
	size_t			 cap;
	struct mseries		*next;		/* hash chain */
};

struct mkey {
	char		*name;
	int64_t		 id;
	struct mkey	*next;
};

/*
 * Series and key names are hash chains whose bucket arrays grow with
 * their contents (a power of 2, at most one entry per bucket on average):
 * a wide CSV of 100,000 metric columns has 100,000 of each.
 */
#define MW_BUCKETS 4096

struct mwriter {
	struct db	*db;
	struct mseries	**series;
	size_t		 nsb, nseries;	/* buckets, entries */
	struct mkey	**keys;
	size_t		 nkb, nkeys;
	uint64_t	 points;
	unsigned char	*blob;		/* encode buffer, cc_bound of a chunk */
	/*
	 * The chunks' rows (db_copy.c): a binary COPY per batch on
	 * PostgreSQL, where an INSERT per chunk spent the import's time in
	 * round trips.  Made at the first chunk; flushed by mw_flush.
	 */
	struct db_copy	*chunks;
	int64_t		 new_run;	/* mw_new_run: has no series yet */
	/*
	 * Series forgotten by mw_flush, kept with their buffers for the
	 * next run's: an import of many small runs allocated and freed a
	 * series and its growing buffer per run and metric.
	 */
	struct mseries	*spare;
};

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/*
 * Per DB_METRIC_BLOCK points: step, ts and finite value ranges (schema:
 * metric_chunks.blocks), 48 bytes each.  Returns the number of blocks.
 */
static size_t
encode_blocks(unsigned char *out, const struct cc_point *pt, size_t n)
{
	const struct cc_point	*p;
	int64_t			 slo, shi, tlo, thi;
	double			 vlo, vhi;
	uint64_t		 bits;
	size_t			 b, i, end;

	for (b = 0; b * DB_METRIC_BLOCK < n; b++) {
		end = (b + 1) * DB_METRIC_BLOCK < n ? (b + 1) * DB_METRIC_BLOCK :
		    n;
		p = &pt[b * DB_METRIC_BLOCK];
		slo = shi = p->step;
		tlo = thi = p->ts;
		vlo = vhi = NAN;
		for (i = b * DB_METRIC_BLOCK; i < end; i++) {
			p = &pt[i];
			if (p->step < slo)
				slo = p->step;
			if (p->step > shi)
				shi = p->step;
			if (p->ts < tlo)
				tlo = p->ts;
			if (p->ts > thi)
				thi = p->ts;
			if (!isfinite(p->value))
				continue;
			if (isnan(vlo) || p->value < vlo)
				vlo = p->value;
			if (isnan(vhi) || p->value > vhi)
				vhi = p->value;
		}
		db_put64(out + 48 * b, (uint64_t)slo);
		db_put64(out + 48 * b + 8, (uint64_t)shi);
		db_put64(out + 48 * b + 16, (uint64_t)tlo);
		db_put64(out + 48 * b + 24, (uint64_t)thi);
		memcpy(&bits, &vlo, 8);
		db_put64(out + 48 * b + 32, bits);
		memcpy(&bits, &vhi, 8);
		db_put64(out + 48 * b + 40, bits);
	}
	return b;
}

static size_t
hash_series(int64_t run_id, int64_t key_id)
{
	uint64_t	h = (uint64_t)run_id * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)key_id * 0xc2b2ae3d27d4eb4fULL;

	return (size_t)(h >> 24);
}

static size_t
hash_name(const char *s)
{
	size_t	h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/*
 * Double the buckets when they hold as many entries.  Without memory for
 * that the chains only get longer.
 */
static void
series_grow(struct mwriter *w)
{
	struct mseries	**nb, *s, *next;
	size_t		  n = w->nsb * 2, i, h;

	if (w->nseries < w->nsb || (nb = wb_calloc(n, sizeof *nb)) == NULL)
		return;
	for (i = 0; i < w->nsb; i++) {
		for (s = w->series[i]; s != NULL; s = next) {
			next = s->next;
			h = hash_series(s->run_id, s->key_id) & (n - 1);
			s->next = nb[h];
			nb[h] = s;
		}
	}
	wb_free(w->series);
	w->series = nb;
	w->nsb = n;
}

static void
keys_grow(struct mwriter *w)
{
	struct mkey	**nb, *k, *next;
	size_t		  n = w->nkb * 2, i, h;

	if (w->nkeys < w->nkb || (nb = wb_calloc(n, sizeof *nb)) == NULL)
		return;
	for (i = 0; i < w->nkb; i++) {
		for (k = w->keys[i]; k != NULL; k = next) {
			next = k->next;
			h = hash_name(k->name) & (n - 1);
			k->next = nb[h];
			nb[h] = k;
		}
	}
	wb_free(w->keys);
	w->keys = nb;
	w->nkb = n;
}

int
mw_open(struct db *db, struct mwriter **out, struct wb_err *err)
{
	struct mwriter	*w;

	*out = NULL;
	if ((w = wb_calloc(1, sizeof *w)) == NULL)
		return oom(err);
	w->nsb = MW_BUCKETS;
	w->nkb = 256;
	if ((w->blob = wb_malloc(cc_bound(DB_METRIC_CHUNK))) == NULL ||
	    (w->series = wb_calloc(w->nsb, sizeof *w->series)) == NULL ||
	    (w->keys = wb_calloc(w->nkb, sizeof *w->keys)) == NULL) {
		wb_free(w->blob);
		wb_free(w->series);
		wb_free(w);
		return oom(err);
	}
	w->db = db;
	*out = w;
	return WB_OK;
}

uint64_t
mw_points(const struct mwriter *w)
{
	return w->points;
}

int
db_metric_key_find(struct db *db, const char *name, int64_t *id,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT id FROM metric_keys WHERE name = ?1";
	int			 rc;

	if ((rc = db_find_id(db, sql, name, id, err)) != WB_ENOTFOUND)
		return rc;
	return wb_err_set(err, WB_ENOTFOUND, "no metric named '%s'", name);
}

int
mw_key(struct mwriter *w, const char *name, int64_t *key_id,
    struct wb_err *err)
{
	/*
	 * Another box may insert the same name between our find and this
	 * insert (PostgreSQL writers run at once): take its row then.
	 */
	static const char	 ins[] =
	    "INSERT INTO metric_keys (name) VALUES (?1)"
	    " ON CONFLICT (name) DO UPDATE SET name = excluded.name"
	    " RETURNING id";
	struct db_stmt *st;
	struct mkey		*k;
	size_t			 h = hash_name(name) & (w->nkb - 1);
	int			 rc;

	for (k = w->keys[h]; k != NULL; k = k->next) {
		if (strcmp(k->name, name) == 0) {
			*key_id = k->id;
			return WB_OK;
		}
	}
	rc = db_metric_key_find(w->db, name, key_id, err);
	if (rc == WB_ENOTFOUND && w->db->ops->key_insert != NULL) {
		if ((rc = w->db->ops->key_insert(w->db, name, key_id, err)) !=
		    WB_OK)
			return rc;
	} else if (rc == WB_ENOTFOUND) {
		if ((st = db_prepare(w->db, ins, err)) == NULL)
			return WB_EDB;
		db_bind_text(st, 1, name);
		if ((rc = db_step_id(w->db, st, key_id, err)) != WB_OK)
			return rc;
	} else if (rc != WB_OK)
		return rc;
	if ((k = wb_calloc(1, sizeof *k)) == NULL ||
	    (k->name = wb_strdup(name)) == NULL) {
		wb_free(k);
		return oom(err);
	}
	k->id = *key_id;
	k->next = w->keys[h];
	w->keys[h] = k;
	w->nkeys++;
	keys_grow(w);
	return WB_OK;
}

static void
summary_from_row(struct db_stmt *st, int c, struct metric_summary *s)
{
	s->count = db_column_int64(st, c);
	s->nan_count = db_column_int64(st, c + 1);
	s->first = db_column_type(st, c + 2) == DB_NULL ? NAN :
	    db_column_double(st, c + 2);
	s->first_step = db_column_int64(st, c + 3);
	s->last = db_column_type(st, c + 4) == DB_NULL ? NAN :
	    db_column_double(st, c + 4);
	s->last_step = db_column_int64(st, c + 5);
	s->last_ts = db_column_int64(st, c + 6);
	s->has_minmax = db_column_type(st, c + 7) != DB_NULL;
	s->min = s->has_minmax ? db_column_double(st, c + 7) : NAN;
	s->min_step = db_column_int64(st, c + 8);
	s->max = s->has_minmax ? db_column_double(st, c + 9) : NAN;
	s->max_step = db_column_int64(st, c + 10);
}

#define SUMMARY_COLUMNS "count, nan_count, first, first_step, last," \
	" last_step, last_ts, min, min_step, max, max_step"

/* Find or start the in-memory state of series (run_id, key_id). */
static int
series_get(struct mwriter *w, int64_t run_id, int64_t key_id,
    struct mseries **out, struct wb_err *err)
{
	static const char	 q_sum[] = "SELECT " SUMMARY_COLUMNS
	    " FROM metric_summary WHERE run_id = ?1 AND key_id = ?2";
	static const char	 q_seq[] = "SELECT coalesce(max(seq), -1) + 1"
	    " FROM metric_chunks WHERE run_id = ?1 AND key_id = ?2";
	struct mseries		*s;
	struct db_stmt		*st;
	size_t			 h = hash_series(run_id, key_id) &
				    (w->nsb - 1);
	int			 rc;

	for (s = w->series[h]; s != NULL; s = s->next) {
		if (s->run_id == run_id && s->key_id == key_id) {
			*out = s;
			return WB_OK;
		}
	}
	if ((s = w->spare) != NULL) {
		struct cc_point	*buf = s->buf;
		size_t		 cap = s->cap;

		w->spare = s->next;
		memset(s, 0, sizeof *s);
		s->buf = buf;
		s->cap = cap;
	} else if ((s = wb_calloc(1, sizeof *s)) == NULL)
		return oom(err);
	s->run_id = run_id;
	s->key_id = key_id;
	s->sum.key_id = key_id;

	/* A run just made has nothing stored to look up. */
	if (run_id == w->new_run)
		goto found;
	if ((st = db_prepare(w->db, q_sum, err)) == NULL)
		goto fail;
	db_bind_int64(st, 1, run_id);
	db_bind_int64(st, 2, key_id);
	if ((rc = db_step(st)) == DB_ROW) {
		summary_from_row(st, 0, &s->sum);
		s->existed = 1;
	}
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		db_sqlerr(w->db, err);
		goto fail;
	}
	if (s->existed) {
		if ((st = db_prepare(w->db, q_seq, err)) == NULL)
			goto fail;
		db_bind_int64(st, 1, run_id);
		db_bind_int64(st, 2, key_id);
		if (db_step(st) != DB_ROW) {
			db_reset(st);
			db_sqlerr(w->db, err);
			goto fail;
		}
		s->next_seq = db_column_int64(st, 0);
		db_reset(st);
	}
found:
	s->next = w->series[h];
	w->series[h] = s;
	w->nseries++;
	series_grow(w);
	*out = s;
	return WB_OK;
fail:
	s->next = w->spare;
	w->spare = s;
	return WB_EDB;
}

static int
series_write_chunk(struct mwriter *w, struct mseries *s, struct wb_err *err)
{
	unsigned char		 blocks[(DB_METRIC_CHUNK / DB_METRIC_BLOCK) *
				    48];
	size_t			 nblocks = 0, len;
	struct db_copy		*c;
	int64_t			 lo, hi, tlo, thi;
	double			 vlo = 0, vhi = 0, v;
	size_t			 i;
	int			 rc;
	int			 nfin = 0;

	if (s->n == 0)
		return WB_OK;
	lo = hi = s->buf[0].step;
	tlo = thi = s->buf[0].ts;
	for (i = 0; i < s->n; i++) {
		if (s->buf[i].step < lo)
			lo = s->buf[i].step;
		if (s->buf[i].step > hi)
			hi = s->buf[i].step;
		if (s->buf[i].ts < tlo)
			tlo = s->buf[i].ts;
		if (s->buf[i].ts > thi)
			thi = s->buf[i].ts;
		/* Chunk value range for charts (series.c): finite only. */
		v = s->buf[i].value;
		if (!isfinite(v))
			continue;
		if (!nfin++ || v < vlo)
			vlo = v;
		if (nfin == 1 || v > vhi)
			vhi = v;
	}
	len = cc_encode(w->blob, s->buf, s->n);
	/* One block: its ranges are the chunk's, and charts decode it whole. */
	if (s->n > DB_METRIC_BLOCK)
		nblocks = encode_blocks(blocks, s->buf, s->n);
	if (w->chunks == NULL && (w->chunks = db_copy_new(w->db,
	    "metric_chunks", "run_id, key_id, seq, n, step_min, step_max,"
	    " points, v_min, v_max, ts_min, ts_max, blocks", 12, err)) == NULL)
		return err != NULL && err->code != WB_OK ? (int)err->code :
		    WB_EDB;	/* out of memory stays WB_ENOMEM */
	c = w->chunks;
	db_copy_int64(c, s->run_id);
	db_copy_int64(c, s->key_id);
	db_copy_int64(c, s->next_seq);
	db_copy_int64(c, (int64_t)s->n);
	db_copy_int64(c, lo);
	db_copy_int64(c, hi);
	db_copy_blob(c, w->blob, len);
	if (nfin) {
		db_copy_double(c, vlo);
		db_copy_double(c, vhi);
	} else {
		db_copy_null(c);
		db_copy_null(c);
	}
	db_copy_int64(c, tlo);
	db_copy_int64(c, thi);
	if (nblocks > 0)
		db_copy_blob(c, blocks, nblocks * 48);
	else
		db_copy_null(c);
	if ((rc = db_copy_row(c, err)) != WB_OK)
		return rc;
	s->next_seq++;
	s->n = 0;
	return WB_OK;
}

static void
summary_add(struct metric_summary *m, int64_t step, int64_t ts, double v)
{
	if (m->count == 0 || step < m->first_step) {
		m->first = v;
		m->first_step = step;
	}
	if (m->count == 0 || step >= m->last_step) {
		m->last = v;
		m->last_step = step;
		m->last_ts = ts;
	}
	m->count++;
	if (isnan(v)) {
		m->nan_count++;
		return;
	}
	if (!m->has_minmax || v < m->min) {
		m->min = v;
		m->min_step = step;
	}
	if (!m->has_minmax || v > m->max) {
		m->max = v;
		m->max_step = step;
	}
	m->has_minmax = 1;
}

int
mw_add(struct mwriter *w, int64_t run_id, int64_t key_id, int64_t step,
    int64_t ts, double value, struct wb_err *err)
{
	struct mseries	*s = NULL;
	struct cc_point	*nb;
	size_t		 cap;
	int		 rc;

	if ((rc = series_get(w, run_id, key_id, &s, err)) != WB_OK)
		return rc;
	if (s->n == s->cap) {
		cap = s->cap ? s->cap * 4 : 8;
		if (cap > DB_METRIC_CHUNK)
			cap = DB_METRIC_CHUNK;
		if ((nb = wb_reallocarray(s->buf, cap, sizeof *nb)) == NULL)
			return oom(err);
		s->buf = nb;
		s->cap = cap;
	}
	s->buf[s->n].step = step;
	s->buf[s->n].ts = ts;
	s->buf[s->n].value = value;
	s->n++;
	summary_add(&s->sum, step, ts, value);
	w->points++;
	if (s->n == DB_METRIC_CHUNK)
		return series_write_chunk(w, s, err);
	return WB_OK;
}

static int
series_save_summary(struct mwriter *w, struct mseries *s, struct wb_err *err)
{
	static const char	 up[] = "INSERT INTO metric_summary"
	    " (run_id, key_id, " SUMMARY_COLUMNS ") VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
	    " ON CONFLICT (run_id, key_id) DO UPDATE SET count = ?3,"
	    " nan_count = ?4, first = ?5, first_step = ?6, last = ?7,"
	    " last_step = ?8, last_ts = ?9, min = ?10, min_step = ?11,"
	    " max = ?12, max_step = ?13";
	struct metric_summary	*m = &s->sum;
	struct db_stmt *st;

	if ((st = db_prepare(w->db, up, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, s->run_id);
	db_bind_int64(st, 2, s->key_id);
	db_bind_int64(st, 3, m->count);
	db_bind_int64(st, 4, m->nan_count);
	/* SQLite stores NaN as NULL; readers turn NULL back into NaN. */
	db_bind_double(st, 5, m->first);
	db_bind_int64(st, 6, m->first_step);
	db_bind_double(st, 7, m->last);
	db_bind_int64(st, 8, m->last_step);
	db_bind_int64(st, 9, m->last_ts);
	if (m->has_minmax) {
		db_bind_double(st, 10, m->min);
		db_bind_double(st, 12, m->max);
	}
	db_bind_int64(st, 11, m->min_step);
	db_bind_int64(st, 13, m->max_step);
	return db_step_done(w->db, st, err);
}

/* Forget every series; keep at most MW_SPARE for the next ones. */
#define MW_SPARE 64

static void
series_free_all(struct mwriter *w, int keep)
{
	struct mseries	*s, *next;
	size_t		 i, nspare = 0;

	for (s = w->spare; s != NULL; s = s->next)
		nspare++;
	for (i = 0; i < w->nsb; i++) {
		for (s = w->series[i]; s != NULL; s = next) {
			next = s->next;
			if (keep && nspare < MW_SPARE) {
				s->next = w->spare;
				w->spare = s;
				nspare++;
				continue;
			}
			wb_free(s->buf);
			wb_free(s);
		}
		w->series[i] = NULL;
	}
	w->nseries = 0;
	if (keep)
		return;
	for (s = w->spare; s != NULL; s = next) {
		next = s->next;
		wb_free(s->buf);
		wb_free(s);
	}
	w->spare = NULL;
}

static int
series_cmp(const void *a, const void *b)
{
	const struct mseries	*x = *(struct mseries *const *)a;
	const struct mseries	*y = *(struct mseries *const *)b;

	if (x->run_id != y->run_id)
		return x->run_id < y->run_id ? -1 : 1;
	if (x->key_id != y->key_id)
		return x->key_id < y->key_id ? -1 : 1;
	return 0;
}

/*
 * The series are written in (run, key) order, the order of the tables'
 * keys: in hash order, a file of 100,000 metric columns inserted all
 * over the indexes and SQLite's page cache spilled and re-read pages,
 * which made the import grow faster than the number of columns.
 */
void
mw_new_run(struct mwriter *w, int64_t run_id)
{
	w->new_run = run_id;
}

int
mw_flush(struct mwriter *w, struct wb_err *err)
{
	struct mseries	*s, **v;
	size_t		 i, n = 0;
	int		 rc = WB_OK;

	if ((v = wb_reallocarray(NULL, w->nseries ? w->nseries : 1,
	    sizeof *v)) == NULL)
		return oom(err);
	for (i = 0; i < w->nsb; i++)
		for (s = w->series[i]; s != NULL; s = s->next)
			v[n++] = s;
	qsort(v, n, sizeof *v, series_cmp);
	for (i = 0; i < n && rc == WB_OK; i++)
		rc = series_write_chunk(w, v[i], err);
	if (rc == WB_OK && w->chunks != NULL)
		rc = db_copy_flush(w->chunks, err);
	for (i = 0; i < n && rc == WB_OK; i++)
		rc = series_save_summary(w, v[i], err);
	wb_free(v);
	if (rc == WB_OK)
		series_free_all(w, 1);
	w->new_run = 0;
	return rc;
}

void
mw_close(struct mwriter *w)
{
	struct mkey	*k, *next;
	size_t		 i;

	if (w == NULL)
		return;
	series_free_all(w, 0);
	for (i = 0; i < w->nkb; i++) {
		for (k = w->keys[i]; k != NULL; k = next) {
			next = k->next;
			wb_free(k->name);
			wb_free(k);
		}
	}
	wb_free(w->keys);
	wb_free(w->series);
	wb_free(w->blob);
	db_copy_free(w->chunks);
	wb_free(w);
}

/* Readers ----------------------------------------------------------------- */

void
names_free(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		wb_free(names[i]);
	wb_free(names);
}

void
series_free(struct series *s)
{
	wb_free(s->step);
	wb_free(s->ts);
	wb_free(s->value);
	memset(s, 0, sizeof *s);
}

/* Stable merge sort of points by step. */
static void
merge_sort(struct cc_point *a, struct cc_point *tmp, size_t n)
{
	size_t	width, i, l, m, r, x, y, k;

	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			l = i;
			m = i + width < n ? i + width : n;
			r = i + 2 * width < n ? i + 2 * width : n;
			x = l, y = m, k = l;
			while (x < m && y < r)
				tmp[k++] = a[y].step < a[x].step ? a[y++] :
				    a[x++];
			while (x < m)
				tmp[k++] = a[x++];
			while (y < r)
				tmp[k++] = a[y++];
		}
		memcpy(a, tmp, n * sizeof *a);
	}
}

int
db_series_load(struct db *db, int64_t run_id, int64_t key_id,
    struct series *out, struct wb_err *err)
{
	static const char	 q_count[] = "SELECT count FROM metric_summary"
	    " WHERE run_id = ?1 AND key_id = ?2";
	static const char	 q_chunks[] = "SELECT n, points FROM"
	    " metric_chunks WHERE run_id = ?1 AND key_id = ?2"
	    " ORDER BY step_min, seq";
	struct db_stmt *st;
	struct cc_point		*pt, *tmp;
	const unsigned char	*blob;
	size_t			 total = 0, n, i, k = 0;
	int			 rc, sorted = 1;

	memset(out, 0, sizeof *out);
	if ((st = db_prepare(db, q_count, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_int64(st, 2, key_id);
	if ((rc = db_step(st)) == DB_ROW)
		total = (size_t)db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return db_sqlerr(db, err);
	if (total == 0)
		return WB_OK;
	out->step = wb_reallocarray(NULL, total, sizeof *out->step);
	out->ts = wb_reallocarray(NULL, total, sizeof *out->ts);
	out->value = wb_reallocarray(NULL, total, sizeof *out->value);
	if (out->step == NULL || out->ts == NULL || out->value == NULL) {
		series_free(out);
		return oom(err);
	}

	if ((st = db_prepare(db, q_chunks, err)) == NULL) {
		series_free(out);
		return WB_EDB;
	}
	db_bind_int64(st, 1, run_id);
	db_bind_int64(st, 2, key_id);
	while ((rc = db_step(st)) == DB_ROW) {
		n = (size_t)db_column_int64(st, 0);
		blob = db_column_blob(st, 1);
		if (n > total - k || cc_decode(blob,
		    (size_t)db_column_bytes(st, 1), n, out->step + k,
		    out->ts + k, out->value + k) != 0) {
			db_reset(st);
			series_free(out);
			return wb_err_set(err, WB_EDB, "%s: metric chunk of run"
			    " %lld is damaged (run mlwb doctor)", db_path(db),
			    (long long)run_id);
		}
		for (i = k; i < k + n; i++)
			if (i > 0 && out->step[i] < out->step[i - 1])
				sorted = 0;
		k += n;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		series_free(out);
		return db_sqlerr(db, err);
	}
	out->n = k;
	if (sorted)
		return WB_OK;
	/* Overlapping chunks (a restarted log): sort the points by step. */
	pt = wb_reallocarray(NULL, k, sizeof *pt);
	tmp = wb_reallocarray(NULL, k, sizeof *tmp);
	if (pt == NULL || tmp == NULL) {
		wb_free(pt);
		wb_free(tmp);
		series_free(out);
		return oom(err);
	}
	for (i = 0; i < k; i++) {
		pt[i].step = out->step[i];
		pt[i].ts = out->ts[i];
		pt[i].value = out->value[i];
	}
	merge_sort(pt, tmp, k);
	for (i = 0; i < k; i++) {
		out->step[i] = pt[i].step;
		out->ts[i] = pt[i].ts;
		out->value[i] = pt[i].value;
	}
	wb_free(tmp);
	wb_free(pt);
	return WB_OK;
}

#define SERIES_PENDING_MAX	((size_t)1 << 16)

/*
 * Stream (run_id, key_id) in the order db_series_load returns it, holding
 * only the points that a later chunk could still precede.  Chunks come by
 * step_min and no point of a chunk is below its step_min, so once a chunk
 * starting at S is read, every pending point with a step below S is
 * final.  Pending points are kept stably sorted by step, which matches
 * one stable sort of all chunks in this order.  Memory: one chunk plus
 * the overlap of restarted logs, however long the series.
 */
int
db_series_each(struct db *db, int64_t run_id, int64_t key_id,
    int (*fn)(void *, int64_t, int64_t, double), void *arg,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT n, points, step_min FROM"
	    " metric_chunks WHERE run_id = ?1 AND key_id = ?2"
	    " ORDER BY step_min, seq";
	struct db_stmt		*st;
	struct cc_point		*pend = NULL, *tmp = NULL, *np;
	int64_t			*step = NULL, *ts = NULL, smin;
	double			*val = NULL;
	size_t			 npend = 0, cap = 0, n, i, out;
	int			 rc = WB_OK, src, stop = 0, lazy = 0;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_int64(st, 2, key_id);
	while (!stop && (src = db_step(st)) == DB_ROW) {
		n = (size_t)db_column_int64(st, 0);
		smin = db_column_int64(st, 2);
		for (out = 0; !lazy && out < npend && pend[out].step < smin &&
		    !stop; out++)
			stop = fn(arg, pend[out].step, pend[out].ts,
			    pend[out].value);
		if (out > 0) {
			memmove(pend, pend + out,
			    (npend - out) * sizeof *pend);
			npend -= out;
		}
		if (stop)
			break;
		if (n > (size_t)1 << 20) {	/* chunks hold 1024 */
			rc = wb_err_set(err, WB_EDB, "%s: metric chunk of run"
			    " %lld is damaged (run mlwb doctor)", db_path(db),
			    (long long)run_id);
			goto out;
		}
		if (npend + n > cap) {
			cap = (npend + n) * 2;
			if ((np = wb_reallocarray(pend, cap, sizeof *pend)) ==
			    NULL) {
				rc = oom(err);
				goto out;
			}
			pend = np;
			if ((np = wb_reallocarray(tmp, cap, sizeof *tmp)) ==
			    NULL) {
				rc = oom(err);
				goto out;
			}
			tmp = np;
			wb_free(step);
			wb_free(ts);
			wb_free(val);
			step = wb_reallocarray(NULL, cap, sizeof *step);
			ts = wb_reallocarray(NULL, cap, sizeof *ts);
			val = wb_reallocarray(NULL, cap, sizeof *val);
			if (step == NULL || ts == NULL || val == NULL) {
				rc = oom(err);
				goto out;
			}
		}
		if (cc_decode(db_column_blob(st, 1),
		    (size_t)db_column_bytes(st, 1), n, step, ts, val) != 0) {
			rc = wb_err_set(err, WB_EDB, "%s: metric chunk of run"
			    " %lld is damaged (run mlwb doctor)", db_path(db),
			    (long long)run_id);
			goto out;
		}
		for (i = 0; i < n; i++) {
			pend[npend + i].step = step[i];
			pend[npend + i].ts = ts[i];
			pend[npend + i].value = val[i];
		}
		npend += n;
		/*
		 * Chunks whose points lie below their step_min (damaged, or
		 * written by hand) keep everything pending, and sorting it all
		 * again per chunk grew with the square of the series (minutes
		 * for 1.5M random points under ASan).  Past SERIES_PENDING_MAX
		 * points, gather the rest and sort once at the end: the same
		 * order, since the sort is stable and all emitted points come
		 * before every pending one.
		 */
		if (!lazy && npend > SERIES_PENDING_MAX)
			lazy = 1;
		if (!lazy)
			merge_sort(pend, tmp, npend);
	}
	if (!stop && lazy)
		merge_sort(pend, tmp, npend);
	if (!stop && src != DB_DONE) {
		rc = db_sqlerr(db, err);
		goto out;
	}
	for (i = 0; i < npend && !stop; i++)
		stop = fn(arg, pend[i].step, pend[i].ts, pend[i].value);
out:
	db_reset(st);
	wb_free(pend);
	wb_free(tmp);
	wb_free(step);
	wb_free(ts);
	wb_free(val);
	return rc;
}

void
metric_summaries_free(struct metric_summary *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		wb_free(s[i].key);
	wb_free(s);
}

int
db_metric_summaries(struct db *db, int64_t run_id,
    struct metric_summary **out, size_t *n, struct wb_err *err)
{
	static const char	 sql[] = "SELECT s.key_id, k.name, "
	    SUMMARY_COLUMNS " FROM metric_summary s JOIN metric_keys k"
	    " ON k.id = s.key_id WHERE s.run_id = ?1 ORDER BY k.name";
	struct db_stmt *st;
	struct metric_summary	*v = NULL, *nv;
	size_t			 cnt = 0, cap = 0;
	int			 rc;

	*out = NULL;
	*n = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	while ((rc = db_step(st)) == DB_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = wb_reallocarray(v, cap, sizeof *v)) == NULL)
				goto nomem;
			v = nv;
		}
		memset(&v[cnt], 0, sizeof v[cnt]);
		v[cnt].key_id = db_column_int64(st, 0);
		summary_from_row(st, 2, &v[cnt]);
		if ((v[cnt].key = db_column_strdup(st, 1)) == NULL)
			goto nomem;
		cnt++;
	}
	db_reset(st);
	if (rc != DB_DONE) {
		metric_summaries_free(v, cnt);
		return db_sqlerr(db, err);
	}
	*out = v;
	*n = cnt;
	return WB_OK;
nomem:
	db_reset(st);
	metric_summaries_free(v, cnt);
	return oom(err);
}

int
db_metric_summary_get(struct db *db, int64_t run_id, int64_t key_id,
    struct metric_summary *out, struct wb_err *err)
{
	static const char	 sql[] = "SELECT " SUMMARY_COLUMNS
	    " FROM metric_summary WHERE run_id = ?1 AND key_id = ?2";
	struct db_stmt *st;
	int			 rc;

	memset(out, 0, sizeof *out);
	out->key_id = key_id;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	db_bind_int64(st, 2, key_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		summary_from_row(st, 0, out);
	db_reset(st);
	if (rc == DB_ROW)
		return WB_OK;
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	return wb_err_set(err, WB_ENOTFOUND, "run has no such metric");
}
