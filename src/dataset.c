/*
 * dataset: CSV columns for the drift tests (see dataset.h).
 *
 * Pass 1 reads the header, hashes the file and keeps every column as
 * doubles for as long as its cells parse; the first cell that does not
 * parse makes the column categorical and frees its numbers.  Pass 2, only
 * when some column went categorical, reads the file again and counts the
 * distinct strings of those columns in a small open-addressing table.
 */
#include "config.h"

#include "dataset.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvfast.h"
#include "csvread.h"
#include "err.h"
#include "mem.h"
#include "progress.h"
#include "sha256.h"
#include "text.h"

/* pandas' default na_values (read_csv), which the oracle drops too. */
static const char *const na_words[] = {
	"#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
	"1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None",
	"n/a", "nan", "null", NULL
};

int
dataset_is_na(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return 1;
	/* Numbers end in a digit or '.': reject them at once (hot path). */
	if (len > 8 || (s[len - 1] >= '0' && s[len - 1] <= '9') ||
	    s[len - 1] == '.')
		return 0;
	for (i = 0; na_words[i] != NULL; i++)
		if (strlen(na_words[i]) == len && memcmp(na_words[i], s, len) == 0)
			return 1;
	return 0;
}

/* A string -> count table for one categorical column. */
struct cat_tab {
	struct ds_cat	*slot;
	size_t		 cap, n;
};

static uint64_t
hash_str(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	while (len-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int
cat_add(struct cat_tab *t, const char *s, size_t len)
{
	size_t	i;

	if (t->n * 2 >= t->cap) {
		struct cat_tab	nt;
		size_t		j;

		nt.cap = t->cap ? t->cap * 2 : 64;
		nt.n = t->n;
		nt.slot = wb_calloc(nt.cap, sizeof *nt.slot);
		if (nt.slot == NULL)
			return -1;
		for (j = 0; j < t->cap; j++) {
			if (t->slot[j].value == NULL)
				continue;
			i = hash_str(t->slot[j].value,
			    strlen(t->slot[j].value)) & (nt.cap - 1);
			while (nt.slot[i].value != NULL)
				i = (i + 1) & (nt.cap - 1);
			nt.slot[i] = t->slot[j];
		}
		wb_free(t->slot);
		*t = nt;
	}
	i = hash_str(s, len) & (t->cap - 1);
	while (t->slot[i].value != NULL) {
		if (strlen(t->slot[i].value) == len &&
		    memcmp(t->slot[i].value, s, len) == 0) {
			t->slot[i].count++;
			return 0;
		}
		i = (i + 1) & (t->cap - 1);
	}
	if ((t->slot[i].value = wb_strndup(s, len)) == NULL)
		return -1;
	t->slot[i].count = 1;
	t->n++;
	return 0;
}

static int
cat_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ds_cat *)a)->value,
	    ((const struct ds_cat *)b)->value);
}

/* Move the table's entries into c->cat, sorted. */
static void
cat_finish(struct cat_tab *t, struct ds_column *c)
{
	size_t	i, n = 0;

	for (i = 0; i < t->cap; i++)
		if (t->slot[i].value != NULL)
			t->slot[n++] = t->slot[i];
	if (n > 1)
		qsort(t->slot, n, sizeof *t->slot, cat_cmp);
	c->cat = t->slot;
	c->n_cat = n;
	t->slot = NULL;
	t->cap = t->n = 0;
}

static void
cat_free(struct cat_tab *t)
{
	size_t	i;

	for (i = 0; i < t->cap; i++)
		wb_free(t->slot[i].value);
	wb_free(t->slot);
	t->slot = NULL;
	t->cap = t->n = 0;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* A numeric column forced categorical: one category per distinct number. */
static int
num_to_cat(struct ds_column *c, struct wb_err *err)
{
	double		*v = c->num;
	struct ds_cat	*cat;
	size_t		 i, n = 0;
	char		 buf[32];

	/* Few values per column are forced categorical; qsort is fine. */
	if (c->n_num > 1)
		qsort(v, c->n_num, sizeof *v, dbl_cmp);
	cat = wb_calloc(c->n_num ? c->n_num : 1, sizeof *cat);
	if (cat == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (i = 0; i < c->n_num; i++) {
		if (n > 0 && v[i] == v[i - 1]) {
			cat[n - 1].count++;
			continue;
		}
		if ((cat[n].value = wb_strdup(text_num(buf, v[i]))) == NULL) {
			c->cat = cat;
			c->n_cat = n;
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
		cat[n++].count = 1;
	}
	c->cat = cat;
	c->n_cat = n;
	wb_free(c->num);
	c->num = NULL;
	c->n_num = 0;
	return WB_OK;
}

static int
is_forced(const struct ds_opts *o, const char *name)
{
	size_t	i;

	if (o == NULL || o->categorical == NULL)
		return 0;
	for (i = 0; o->categorical[i] != NULL; i++)
		if (strcmp(o->categorical[i], name) == 0)
			return 1;
	return 0;
}

/* A '"' in a file read by csvfast: read it again with csvread. */
#define AGAIN	(-1)

/* Rows from csvfast (buf, whole) or from csvread (a file or buf). */
struct src {
	struct csvread	*r;
	struct csvfast	 fast;
	int		 use_fast;
};

static int
src_open(struct src *src, const char *path, const char *buf, size_t len,
    const struct ds_opts *o, int fast, struct wb_err *err)
{
	char	delim = o != NULL && o->delim != 0 ? o->delim : ',';
	int	rc;

	memset(src, 0, sizeof *src);
	if (fast) {
		src->use_fast = 1;
		csvfast_init(&src->fast, buf, len, delim);
		return WB_OK;
	}
	rc = buf != NULL ? csvread_open_mem(buf, len, path, &src->r, err) :
	    csvread_open(path, &src->r, err);
	if (rc == WB_OK && o != NULL && o->delim != 0)
		csvread_set_delim(src->r, o->delim);
	return rc;
}

/*
 * The next row; from csvfast also its numbers (*isnum NULL from csvread).
 * AGAIN when csvfast meets a quote.
 */
static int
src_next(struct src *src, struct csv_row *row, const double **val,
    const unsigned char **isnum, int *eof, struct wb_err *err)
{
	*val = NULL;
	*isnum = NULL;
	if (!src->use_fast)
		return csvread_next(src->r, row, eof, err);
	*eof = 0;
	switch (csvfast_next(&src->fast, row)) {
	case CSVF_ROW:
		*val = src->fast.val;
		*isnum = src->fast.isnum;
		return WB_OK;
	case CSVF_EOF:
		*eof = 1;
		return WB_OK;
	case CSVF_QUOTE:
		return AGAIN;
	default:
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
}

static void
src_close(struct src *src)
{
	if (src->use_fast)
		csvfast_free(&src->fast);
	else
		csvread_close(src->r);
}

/*
 * How a pass reads: csvread, csvfast over a caller's buffer, or csvfast
 * over a file mapped here.  Only the last may drop pages it has passed.
 */
enum { READ_CSV, READ_FAST_BUF, READ_FAST_MAP };

/* Pages passed are hashed and, from our own mapping, dropped this often. */
#define RELEASE_EVERY	((size_t)8 << 20)

/*
 * Hash buf[*done, upto) and, for a mapping of ours, give its pages back.
 * Mapped file pages count in the resident set; without this, reading a
 * 100 MB CSV held 100 MB of file beside its doubles, twice the one double
 * per numeric cell that doc/drift.md states.  upto is rounded down to a
 * page so that *done stays page-aligned (the mapping starts on a page).
 */
static void
release_upto(const char *buf, size_t *done, size_t upto, int how,
    struct sha256 *h)
{
	long	page = sysconf(_SC_PAGESIZE);

	upto -= upto % (size_t)(page > 0 ? page : 4096);
	if (upto <= *done)
		return;
	if (h != NULL)
		sha256_update(h, buf + *done, upto - *done);
	if (how == READ_FAST_MAP)
		(void)madvise((void *)(uintptr_t)(buf + *done), upto - *done,
		    MADV_DONTNEED);
	*done = upto;
}

static int
push_num(struct ds_column *c, size_t *cap, double v)
{
	if (c->n_num == *cap) {
		size_t	 ncap = *cap ? *cap * 2 : 1024;
		double	*p = wb_reallocarray(c->num, ncap, sizeof *p);

		if (p == NULL)
			return -1;
		c->num = p;
		*cap = ncap;
	}
	c->num[c->n_num++] = v;
	return 0;
}

/* The size of the file at path for the progress hook; 0 when unknown. */
static uint64_t
file_size(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ?
	    (uint64_t)sb.st_size : 0;
}

static int
pass1(struct dataset *ds, const char *buf, size_t len,
    const struct ds_opts *o, int how, int *need_pass2, struct wb_err *err)
{
	struct src		 src;
	struct csv_row		 row;
	struct sha256		 h;
	const double		*val;
	const unsigned char	*isnum;
	size_t			*cap = NULL, i, done = 0;
	uint64_t		 size = 0;
	int			 eof, rc, hash = o == NULL || !o->no_hash;
	int			 fast = how != READ_CSV;

	*need_pass2 = 0;
	if ((rc = src_open(&src, ds->path, buf, len, o, fast, err)) != WB_OK)
		return rc;
	sha256_init(&h);
	if (hash && !fast)
		csvread_set_hash(src.r, &h);
	if (o != NULL && o->progress != NULL) {
		size = fast || buf != NULL ? len : file_size(ds->path);
		if (!fast)
			csvread_set_progress(src.r, o->progress, size);
		wb_progress_report(o->progress, 0, size, "bytes");
	}
	if ((rc = src_next(&src, &row, &val, &isnum, &eof, err)) != WB_OK)
		goto out;
	if (eof || row.n == 0 || (row.n == 1 && row.len[0] == 0)) {
		rc = wb_err_set(err, WB_EPARSE, "%s:1: no header row",
		    ds->path);
		goto out;
	}
	ds->cols = wb_calloc(row.n, sizeof *ds->cols);
	cap = wb_calloc(row.n, sizeof *cap);
	if (ds->cols == NULL || cap == NULL) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	ds->n_cols = row.n;
	for (i = 0; i < row.n; i++) {
		/* Up to a NUL, as a C string of it would be. */
		if ((ds->cols[i].name = wb_strndup(row.f[i], row.len[i])) ==
		    NULL) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			goto out;
		}
		ds->cols[i].forced_cat = is_forced(o, ds->cols[i].name);
	}
	for (;;) {
		if ((rc = src_next(&src, &row, &val, &isnum, &eof, err)) !=
		    WB_OK)
			goto out;
		if (eof)
			break;
		/* Up to this row's start: its fields are still to be read. */
		if (fast && row.n > 0 &&
		    (size_t)(row.f[0] - buf) - done >= RELEASE_EVERY) {
			release_upto(buf, &done, (size_t)(row.f[0] - buf),
			    how, hash ? &h : NULL);
			if (o != NULL)
				wb_progress_report(o->progress, done, len,
				    "bytes");
		}
		if (row.n == 1 && row.len[0] == 0)
			continue;	/* blank line, as pandas skips */
		if (row.n > ds->n_cols) {
			rc = wb_err_set(err, WB_EPARSE, "%s:%llu: %zu fields, "
			    "the header has %zu", ds->path,
			    (unsigned long long)row.line, row.n, ds->n_cols);
			goto out;
		}
		ds->n_rows++;
		for (i = 0; i < ds->n_cols; i++) {
			struct ds_column *c = &ds->cols[i];
			const char	*s = i < row.n ? row.f[i] : "";
			size_t		 l = i < row.n ? row.len[i] : 0;
			double		 v;

			/* csvfast's numbers: finite, never an NA word. */
			if (isnum != NULL && i < row.n && isnum[i]) {
				if (c->type == DS_CAT)
					continue;
				v = val[i];
				goto push;
			}
			if (dataset_is_na(s, l)) {
				c->n_missing++;
				continue;
			}
			if (c->type == DS_CAT)
				continue;
			if (text_parse_num(s, l, &v) != 0) {
				c->type = DS_CAT;
				wb_free(c->num);
				c->num = NULL;
				c->n_num = 0;
				*need_pass2 = 1;
				continue;
			}
			if (!isfinite(v)) {
				c->n_missing++;
				continue;
			}
push:
			if (push_num(c, &cap[i], v) != 0) {
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	if (o != NULL)
		wb_progress_report(o->progress, size, size, "bytes");
	if (hash) {
		/* csvread hashes what it reads; csvfast the rest of buf. */
		if (fast)
			sha256_update(&h, buf + done, len - done);
		if (sha256_hex(&h, ds->sha256) != WB_OK)
			rc = wb_err_set(err, WB_ENOMEM, "%s: cannot hash"
			    " (libcrypto failed)", ds->path);
	}
out:
	sha256_free(&h);
	wb_free(cap);
	src_close(&src);
	return rc;
}

/* Count the strings of the columns that pass 1 found categorical. */
static int
pass2(struct dataset *ds, const char *buf, size_t len,
    const struct ds_opts *o, int how, struct wb_err *err)
{
	struct src		 src;
	struct csv_row		 row;
	struct cat_tab		*tab;
	const double		*val;
	const unsigned char	*isnum;
	size_t			 i, done = 0;
	int			 eof, rc, fast = how != READ_CSV;

	tab = wb_calloc(ds->n_cols, sizeof *tab);
	if (tab == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if ((rc = src_open(&src, ds->path, buf, len, o, fast, err)) !=
	    WB_OK) {
		wb_free(tab);
		return rc;
	}
	for (i = 0; i < ds->n_cols; i++)
		ds->cols[i].n_missing = ds->cols[i].type == DS_CAT ? 0 :
		    ds->cols[i].n_missing;
	if ((rc = src_next(&src, &row, &val, &isnum, &eof, err)) != WB_OK)
		goto out;
	for (;;) {
		if ((rc = src_next(&src, &row, &val, &isnum, &eof, err)) !=
		    WB_OK)
			goto out;
		if (eof)
			break;
		if (fast && row.n > 0 &&
		    (size_t)(row.f[0] - buf) - done >= RELEASE_EVERY)
			release_upto(buf, &done, (size_t)(row.f[0] - buf),
			    how, NULL);
		if (row.n == 1 && row.len[0] == 0)
			continue;
		for (i = 0; i < ds->n_cols; i++) {
			const char	*s = i < row.n ? row.f[i] : "";
			size_t		 l = i < row.n ? row.len[i] : 0;

			if (ds->cols[i].type != DS_CAT)
				continue;
			if (dataset_is_na(s, l)) {
				ds->cols[i].n_missing++;
				continue;
			}
			if (cat_add(&tab[i], s, l) != 0) {
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
				goto out;
			}
		}
	}
	for (i = 0; i < ds->n_cols; i++)
		if (ds->cols[i].type == DS_CAT)
			cat_finish(&tab[i], &ds->cols[i]);
out:
	for (i = 0; i < ds->n_cols; i++)
		cat_free(&tab[i]);
	wb_free(tab);
	src_close(&src);
	return rc;
}

/* One read of path (or buf), by csvfast over buf or by csvread. */
static int
read_with(const char *path, const char *buf, size_t len,
    const struct ds_opts *o, int how, struct dataset **out,
    struct wb_err *err)
{
	struct dataset	*ds;
	size_t		 i, k;
	int		 rc, again;

	*out = NULL;
	if ((ds = wb_calloc(1, sizeof *ds)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if ((ds->path = wb_strdup(path)) == NULL) {
		wb_free(ds);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	rc = pass1(ds, buf, len, o, how, &again, err);
	if (rc == WB_OK && again)
		rc = pass2(ds, buf, len, o, how, err);
	for (i = 0; rc == WB_OK && i < ds->n_cols; i++) {
		struct ds_column *c = &ds->cols[i];

		if (c->type == DS_NUM && c->forced_cat) {
			c->type = DS_CAT;
			rc = num_to_cat(c, err);
		}
		if (c->type == DS_CAT)
			for (k = 0, c->n_valid = 0; k < c->n_cat; k++)
				c->n_valid += c->cat[k].count;
		else
			c->n_valid = c->n_num;
	}
	if (rc != WB_OK) {
		dataset_free(ds);
		return rc;
	}
	*out = ds;
	return WB_OK;
}

/*
 * csvfast first when the delimiter allows it, csvread when it meets a
 * quote (from the start: both give the same rows until then).  A file is
 * mapped for csvfast; one that cannot be (empty, not a regular file) or
 * cannot be opened goes to csvread, which says why.
 */
static int
read_any(const char *path, const char *buf, size_t len,
    const struct ds_opts *o, struct dataset **out, struct wb_err *err)
{
	char		 delim = o != NULL && o->delim != 0 ? o->delim : ',';
	void		*map = NULL;
	size_t		 maplen = 0;
	struct stat	 st;
	int		 fd, rc = AGAIN;

	*out = NULL;
	if ((o == NULL || !o->no_fast) && csvfast_usable(delim)) {
		if (buf == NULL && (fd = open(path, O_RDONLY)) >= 0) {
			if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
			    st.st_size > 0 && (uintmax_t)st.st_size <= SIZE_MAX) {
				maplen = (size_t)st.st_size;
				map = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE,
				    fd, 0);
				if (map == MAP_FAILED)
					map = NULL;
				else
					(void)madvise(map, maplen,
					    MADV_SEQUENTIAL);
			}
			close(fd);
		}
		if (buf != NULL)
			rc = read_with(path, buf, len, o, READ_FAST_BUF, out,
			    err);
		else if (map != NULL)
			rc = read_with(path, map, maplen, o, READ_FAST_MAP,
			    out, err);
		if (map != NULL)
			munmap(map, maplen);
	}
	if (rc == AGAIN)
		rc = read_with(path, buf, len, o, READ_CSV, out, err);
	return rc;
}

int
dataset_read(const char *path, const struct ds_opts *opts,
    struct dataset **out, struct wb_err *err)
{
	return read_any(path, NULL, 0, opts, out, err);
}

int
dataset_read_mem(const char *buf, size_t len, const char *name,
    const struct ds_opts *opts, struct dataset **out, struct wb_err *err)
{
	/* A non-NULL buffer marks the memory source, even when empty. */
	return read_any(name, buf != NULL ? buf : "", len, opts, out, err);
}

void
dataset_free(struct dataset *ds)
{
	size_t	i, k;

	if (ds == NULL)
		return;
	for (i = 0; i < ds->n_cols; i++) {
		struct ds_column *c = &ds->cols[i];

		wb_free(c->name);
		wb_free(c->num);
		for (k = 0; k < c->n_cat; k++)
			wb_free(c->cat[k].value);
		wb_free(c->cat);
	}
	wb_free(ds->cols);
	wb_free(ds->path);
	wb_free(ds);
}

struct ds_column *
dataset_column(const struct dataset *ds, const char *name)
{
	size_t	i;

	for (i = 0; i < ds->n_cols; i++)
		if (strcmp(ds->cols[i].name, name) == 0)
			return &ds->cols[i];
	return NULL;
}

double
dataset_missing_share(const struct dataset *ds, const struct ds_column *c)
{
	return ds->n_rows ? (double)c->n_missing / (double)ds->n_rows : 0.0;
}
