/*
 * csvread: libcsv fed one physical line at a time, so that every record
 * knows the line it started on.  Completed records are queued in an arena
 * (one buffer of field bytes plus offsets) and handed out in order; the
 * arena is reused once the queue is drained.
 */
#include "config.h"

#include "csvread.h"
#include "progress.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "err.h"
#include "mem.h"
#include "sha256.h"

struct csvread {
	struct csv_parser	 p;
	FILE			*fp;		/* NULL when reading memory */
	const char		*mem;
	size_t			 memlen, mempos;
	char			*name;
	char			*line;		/* getline buffer */
	size_t			 linecap;
	uint64_t		 lineno;	/* lines fed so far */
	struct sha256		*hash;
	const struct wb_progress *progress;
	uint64_t		 progress_total;
	uint64_t		 offset;
	uint64_t		 rec_start;	/* line where the open record began */
	int			 in_record;
	int			 no_nul;	/* a NUL byte is an error */
	int			 eof;
	int			 oom;
	size_t			 nfields_cur;	/* fields of the open record */

	/* Arena: bytes of all queued fields, and per-field offsets. */
	char			*bytes;
	size_t			 nbytes, capbytes;
	size_t			*foff, *flen;
	size_t			 nf, capf;
	/* Queued records: first field index, field count, start line. */
	struct rec {
		size_t		first, n;
		uint64_t	line;
	}			*recs;
	size_t			 nrecs, caprecs, nextrec;

	/* Row handed out: pointers into the arena. */
	char			**rowf;
	size_t			 *rowlen;
	size_t			  caprow;
};

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t	 c = *cap ? *cap : 16;
	void	*np;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if ((np = wb_reallocarray(*p, c, size)) == NULL)
		return -1;
	*p = np;
	*cap = c;
	return 0;
}

static void
field_cb(void *data, size_t len, void *arg)
{
	struct csvread	*r = arg;
	size_t		*no, *nl, c;

	if (r->oom)
		return;
	if (!r->in_record) {
		r->in_record = 1;
		r->nfields_cur = 0;
	}
	if (r->nf == r->capf) {
		c = r->capf ? r->capf * 2 : 64;
		no = wb_reallocarray(r->foff, c, sizeof *no);
		if (no != NULL)
			r->foff = no;
		nl = wb_reallocarray(r->flen, c, sizeof *nl);
		if (nl != NULL)
			r->flen = nl;
		if (no == NULL || nl == NULL) {
			r->oom = 1;
			return;
		}
		r->capf = c;
	}
	if (grow((void **)&r->bytes, &r->capbytes, r->nbytes + len + 1, 1)) {
		r->oom = 1;
		return;
	}
	if (len)
		memcpy(r->bytes + r->nbytes, data, len);
	r->bytes[r->nbytes + len] = '\0';
	r->foff[r->nf] = r->nbytes;
	r->flen[r->nf] = len;
	r->nbytes += len + 1;
	r->nf++;
	r->nfields_cur++;
}

static void
row_cb(int c, void *arg)
{
	struct csvread	*r = arg;

	(void)c;
	if (r->oom)
		return;
	if (!r->in_record) {
		/* libcsv reports a lone record end for a row of one
		 * empty field only with CSV_REPALL_NL; nothing to do. */
		return;
	}
	if (grow((void **)&r->recs, &r->caprecs, r->nrecs + 1,
	    sizeof *r->recs)) {
		r->oom = 1;
		return;
	}
	r->recs[r->nrecs].first = r->nf - r->nfields_cur;
	r->recs[r->nrecs].n = r->nfields_cur;
	r->recs[r->nrecs].line = r->rec_start;
	r->nrecs++;
	r->in_record = 0;
}

static int
open_common(const char *name, struct csvread **out, struct wb_err *err)
{
	struct csvread	*r;

	if ((r = wb_calloc(1, sizeof *r)) == NULL ||
	    (r->name = wb_strdup(name)) == NULL) {
		wb_free(r);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	if (csv_init(&r->p, CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		wb_free(r->name);
		wb_free(r);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	csv_set_realloc_func(&r->p, wb_realloc);
	csv_set_free_func(&r->p, wb_free);
	*out = r;
	return WB_OK;
}

int
csvread_open(const char *path, struct csvread **out, struct wb_err *err)
{
	FILE	*fp;

	*out = NULL;
	if ((fp = fopen(path, "rb")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path,
		    strerror(errno));
	return csvread_open_fp(fp, path, out, err);
}

int
csvread_open_fp(FILE *fp, const char *name, struct csvread **out,
    struct wb_err *err)
{
	int	rc;

	*out = NULL;
	if ((rc = open_common(name, out, err)) != WB_OK) {
		fclose(fp);
		return rc;
	}
	(*out)->fp = fp;
	return WB_OK;
}

void
csvread_refuse_nul(struct csvread *r)
{
	r->no_nul = 1;
}

int
csvread_open_mem(const char *buf, size_t len, const char *name,
    struct csvread **out, struct wb_err *err)
{
	int	rc;

	*out = NULL;
	if ((rc = open_common(name, out, err)) != WB_OK)
		return rc;
	(*out)->mem = buf;
	(*out)->memlen = len;
	return WB_OK;
}

void
csvread_set_delim(struct csvread *r, char delim)
{
	csv_set_delim(&r->p, (unsigned char)delim);
}

/* Read the next physical line (with its newline) into r->line. */
static ssize_t
read_line(struct csvread *r)
{
	ssize_t	 n;
	size_t	 len;
	char	*nl;

	if (r->fp != NULL) {
		n = getline(&r->line, &r->linecap, r->fp);
		return n;
	}
	if (r->mempos >= r->memlen)
		return -1;
	nl = memchr(r->mem + r->mempos, '\n', r->memlen - r->mempos);
	len = nl ? (size_t)(nl - (r->mem + r->mempos)) + 1 :
	    r->memlen - r->mempos;
	if (grow((void **)&r->line, &r->linecap, len + 1, 1))
		return -2;
	memcpy(r->line, r->mem + r->mempos, len);
	r->line[len] = '\0';
	r->mempos += len;
	return (ssize_t)len;
}

/*
 * Queue the next records.  Fields of a record still open (a quoted field
 * spanning lines) are moved to the start of the arena first.
 */
static int
fill(struct csvread *r, struct wb_err *err)
{
	size_t	 keep = r->in_record ? r->nfields_cur : 0;
	size_t	 first = r->nf - keep, bstart, i;
	ssize_t	 n;
	char	*p, *nul;

	bstart = keep ? r->foff[first] : r->nbytes;
	if (r->nbytes > bstart)
		memmove(r->bytes, r->bytes + bstart, r->nbytes - bstart);
	for (i = 0; i < keep; i++) {
		r->foff[i] = r->foff[first + i] - bstart;
		r->flen[i] = r->flen[first + i];
	}
	r->nbytes -= bstart;
	r->nf = keep;
	r->nrecs = r->nextrec = 0;

	while (r->nrecs == 0 && !r->eof) {
		n = read_line(r);
		if (n == -2)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		if (n < 0) {
			if (r->fp != NULL && ferror(r->fp))
				return wb_err_set(err, WB_EIO, "%s: read error",
				    r->name);
			r->eof = 1;
			/* libcsv reports this only in strict mode, which
			 * also refuses stray quotes inside unquoted fields
			 * that real logs have; so look at its state. */
			if ((r->p.pstate == 2 && r->p.quoted) ||
			    csv_fini(&r->p, field_cb, row_cb, r) != 0)
				return wb_err_set(err, WB_EPARSE,
				    "%s:%llu: unterminated quoted field (the "
				    "record starts on line %llu)", r->name,
				    (unsigned long long)r->lineno,
				    (unsigned long long)r->rec_start);
			break;
		}
		p = r->line;
		if (r->hash != NULL)
			sha256_update(r->hash, p, (size_t)n);
		/* Fields are NUL-terminated: a NUL inside one would cut it
		 * short without a word ("7\0garbage" read as 7). */
		if (r->no_nul && (nul = memchr(p, '\0', (size_t)n)) != NULL)
			return wb_err_set(err, WB_EPARSE, "%s:%llu: a NUL byte "
			    "(at byte %zu of the line); a text log holds none",
			    r->name, (unsigned long long)r->lineno + 1,
			    (size_t)(nul - p) + 1);
		if (r->lineno == 0 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3)
		    == 0) {
			p += 3;
			n -= 3;
		}
		r->lineno++;
		r->offset += (uint64_t)n;
		/* Every 4096 lines: the caller's clock is not free. */
		if ((r->lineno & 4095) == 0)
			wb_progress_report(r->progress, r->offset,
			    r->progress_total, "bytes");
		/* libcsv's ROW_NOT_BEGUN: a record starts on this line. */
		if (r->p.pstate == 0)
			r->rec_start = r->lineno;
		if (csv_parse(&r->p, p, (size_t)n, field_cb, row_cb, r) !=
		    (size_t)n && csv_error(&r->p) == CSV_ENOMEM)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		if (csv_error(&r->p) != CSV_SUCCESS)
			return wb_err_set(err, WB_EPARSE, "%s:%llu: %s",
			    r->name, (unsigned long long)r->lineno,
			    csv_strerror(csv_error(&r->p)));
		if (r->oom)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	return WB_OK;
}

int
csvread_next(struct csvread *r, struct csv_row *row, int *eof,
    struct wb_err *err)
{
	struct rec	*rec;
	size_t		 i;
	int		 rc;

	*eof = 0;
	if (r->nextrec >= r->nrecs) {
		if ((rc = fill(r, err)) != WB_OK)
			return rc;
		if (r->nrecs == 0) {
			*eof = 1;
			return WB_OK;
		}
	}
	rec = &r->recs[r->nextrec++];
	if (rec->n + 1 > r->caprow) {
		size_t	*nl;

		if (grow((void **)&r->rowf, &r->caprow, rec->n + 1,
		    sizeof *r->rowf))
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		if ((nl = wb_reallocarray(r->rowlen, r->caprow,
		    sizeof *r->rowlen)) == NULL)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		r->rowlen = nl;
	}
	for (i = 0; i < rec->n; i++) {
		r->rowf[i] = r->bytes + r->foff[rec->first + i];
		r->rowlen[i] = r->flen[rec->first + i];
	}
	row->n = rec->n;
	row->f = r->rowf;
	row->len = r->rowlen;
	row->line = rec->line;
	return WB_OK;
}

void
csvread_set_progress(struct csvread *r, const struct wb_progress *p,
    uint64_t total)
{
	r->progress = p;
	r->progress_total = total;
}

void
csvread_set_hash(struct csvread *r, struct sha256 *c)
{
	r->hash = c;
}

void
csvread_close(struct csvread *r)
{
	if (r == NULL)
		return;
	csv_free(&r->p);
	if (r->fp != NULL)
		fclose(r->fp);
	wb_free(r->name);
	free(r->line);
	wb_free(r->bytes);
	wb_free(r->foff);
	wb_free(r->flen);
	wb_free(r->recs);
	wb_free(r->rowf);
	wb_free(r->rowlen);
	wb_free(r);
}
