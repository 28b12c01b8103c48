/*
 * csvfast: the quote-free fast path of the CSV reader, for whole files in
 * memory (a mapped file or a caller's buffer).
 *
 * It splits records on the delimiter, CR and LF directly and gives the
 * same rows, fields and line numbers as csvread (libcsv) does on input
 * without a '"': a UTF-8 byte-order mark at the very start is dropped,
 * CR, LF and CRLF end records, blank and all-blank lines give no record,
 * spaces and tabs around fields are trimmed, and input that ends without
 * a newline still ends its last record.  The first '"' it meets makes
 * csvfast_next() answer CSVF_QUOTE before the row holding it is returned,
 * so that the caller can start again with csvread, which owns quoting.
 *
 * Fields are NOT NUL-terminated: they point into the buffer, so use their
 * lengths.  While splitting, a field that is a plain decimal (at most 15
 * significant digits, exponent within 10^22 -- Clinger's exact case) is
 * converted too: val[i] holds it and isnum[i] is 1.  The value is the
 * correctly rounded one, identical to what text_parse_num gives.
 */
#ifndef WB_CSVFAST_H
#define WB_CSVFAST_H

#include <stddef.h>
#include <stdint.h>

struct csv_row;

enum csvf_status {
	CSVF_ROW,	/* a row in *row */
	CSVF_EOF,	/* no more rows */
	CSVF_QUOTE,	/* a '"' ahead: use csvread instead */
	CSVF_NOMEM
};

struct csvfast {
	const char	*p, *end;
	uint64_t	 line;		/* line of the next byte, 1-based */
	unsigned char	 stop[256];	/* delimiter, CR, LF, '"' */
	unsigned char	 space[256];	/* trimmed: ' ', '\t' (not delim) */
	char		 delim;
	/* Row handed out, grown as needed. */
	char		**f;
	size_t		 *len;
	double		 *val;
	unsigned char	 *isnum;
	size_t		  cap;
};

/* 1 if delim can be split without libcsv (not '"', CR or LF). */
int	csvfast_usable(char delim);
/* Start reading buf (borrowed until csvfast_free). */
void	csvfast_init(struct csvfast *f, const char *buf, size_t len,
	    char delim);
/* The next row (borrowed until the next call); see enum csvf_status. */
enum csvf_status csvfast_next(struct csvfast *f, struct csv_row *row);
void	csvfast_free(struct csvfast *f);

#endif
