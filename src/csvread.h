/*
 * csvread: streaming CSV rows from a file or a memory buffer, over libcsv.
 *
 * The only module that includes <csv.h>.  Rows come one at a time with
 * their fields NUL-terminated and the line they started on, so that
 * callers can say "file.csv:14: ...".  A UTF-8 byte-order mark is dropped,
 * CRLF and LF both end records, quoted fields may hold delimiters, quotes
 * and newlines, and an unterminated quote at the end of the input is an
 * error.  Leading and trailing spaces of unquoted fields are trimmed (as
 * padded YOLO logs need).  Memory is bounded by the longest record.
 */
#ifndef WB_CSVREAD_H
#define WB_CSVREAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct wb_err;
struct csvread;

/* A row, borrowed until the next csvread_next() or csvread_close(). */
struct csv_row {
	size_t		  n;		/* number of fields */
	char		**f;		/* NUL-terminated fields */
	size_t		 *len;		/* their lengths */
	uint64_t	  line;		/* 1-based line the record starts on */
};

/* Open path (name used in messages).  WB_EIO if it cannot be read. */
int	 csvread_open(const char *path, struct csvread **out,
	    struct wb_err *err);
/* Read from fp, which the reader takes ownership of (closed by
 * csvread_close, or at once if this fails). */
int	 csvread_open_fp(FILE *fp, const char *name, struct csvread **out,
	    struct wb_err *err);
/* Read from a buffer (borrowed until close); for tests and fuzzing. */
int	 csvread_open_mem(const char *buf, size_t len, const char *name,
	    struct csvread **out, struct wb_err *err);
/*
 * Make a NUL byte anywhere in the input an error ("file:line: a NUL byte
 * (at byte N of the line)") instead of a field cut short at it.  Call
 * before the first row.
 */
void	 csvread_refuse_nul(struct csvread *r);
/* Use delim instead of ','; call before the first row. */
void	 csvread_set_delim(struct csvread *r, char delim);
/*
 * Next row into *row.  Returns WB_OK with *eof = 0 and a row, WB_OK with
 * *eof = 1 at the end, or an error ("file:line: unterminated quote").
 */
int	 csvread_next(struct csvread *r, struct csv_row *row, int *eof,
	    struct wb_err *err);
/*
 * Feed every byte read (BOM included) to c as well, so that a caller can
 * hash a file in the same pass that parses it.  Call before reading.
 */
struct sha256;
void	 csvread_set_hash(struct csvread *r, struct sha256 *c);
/*
 * Report the bytes read so far of total (0: unknown) to p (borrowed until
 * close) every few thousand lines.  Call before reading.
 */
struct wb_progress;
void	 csvread_set_progress(struct csvread *r, const struct wb_progress *p,
	    uint64_t total);
void	 csvread_close(struct csvread *r);

#endif
