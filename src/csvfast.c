/*
 * csvfast: quote-free CSV records split straight from a buffer (see
 * csvfast.h).  It follows libcsv's state machine for unquoted input with
 * csvread's options: ROW_NOT_BEGUN skips spaces and line ends, each field
 * skips leading spaces, ends at the delimiter, CR or LF, and loses its
 * trailing spaces; a delimiter always opens one more field, even at the
 * end of the input.  Numbers are converted in the same scan as the field
 * is split, which is where most of the time of a numeric file goes.
 */
#include "config.h"

#include "csvfast.h"

#include <string.h>

#include "csvread.h"
#include "mem.h"

int
csvfast_usable(char delim)
{
	/* Bytes of a number are read as its digits, not split on. */
	return delim != '\0' && strchr("\"\r\n+-.eE0123456789", delim) == NULL;
}

void
csvfast_init(struct csvfast *f, const char *buf, size_t len, char delim)
{
	memset(f, 0, sizeof *f);
	f->p = buf;
	f->end = buf + len;
	f->line = 1;
	f->delim = delim;
	/* csvread drops a byte-order mark at the start of the first line. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		f->p += 3;
	f->stop[(unsigned char)delim] = 1;
	f->stop['\r'] = f->stop['\n'] = f->stop['"'] = 1;
	f->space[' '] = f->space['\t'] = 1;
	f->space[(unsigned char)delim] = 0;	/* libcsv: the delimiter wins */
}

void
csvfast_free(struct csvfast *f)
{
	wb_free(f->f);
	wb_free(f->len);
	wb_free(f->val);
	wb_free(f->isnum);
	f->f = NULL;
	f->len = NULL;
	f->val = NULL;
	f->isnum = NULL;
	f->cap = 0;
}

static int
grow(struct csvfast *f)
{
	size_t		 c = f->cap ? f->cap * 2 : 16;
	char		**nf;
	size_t		 *nl;
	double		 *nv;
	unsigned char	 *ni;

	if ((nf = wb_reallocarray(f->f, c, sizeof *nf)) == NULL)
		return -1;
	f->f = nf;
	if ((nl = wb_reallocarray(f->len, c, sizeof *nl)) == NULL)
		return -1;
	f->len = nl;
	if ((nv = wb_reallocarray(f->val, c, sizeof *nv)) == NULL)
		return -1;
	f->val = nv;
	if ((ni = wb_reallocarray(f->isnum, c, sizeof *ni)) == NULL)
		return -1;
	f->isnum = ni;
	f->cap = c;
	return 0;
}

/*
 * text.c's parse_fast, stopping at the first byte that is not part of the
 * number instead of failing on it: the grammar and the arithmetic are the
 * same, so an accepted value has the same bits.  *ok says whether it was
 * accepted; the return value is where the scan stopped (every byte before
 * it is a sign, digit, '.' or exponent letter: never a delimiter).
 */
static const unsigned char *
scan_num(const unsigned char *s, const unsigned char *e, double *v, int *ok)
{
	static const double	pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	uint64_t		m = 0;
	int			neg = 0, digits = 0, frac = 0, ex = 0, eneg = 0;
	int			any = 0;

	*ok = 0;
	if (s < e) {
		neg = *s == '-';
		s += *s == '-' || *s == '+';
	}
	/*
	 * A digit counts once m is not 0, as parse_fast skips leading zeros
	 * (also those of a fraction, "0.000123"); without branches on them,
	 * which random data mispredicts.
	 */
	for (; s < e && *s >= '0' && *s <= '9'; s++) {
		m = m * 10 + (uint64_t)(*s - '0');
		digits += m != 0;
		if (digits > 15)
			return s;
		any = 1;
	}
	if (s < e && *s == '.') {
		s++;
		for (; s < e && *s >= '0' && *s <= '9'; s++) {
			m = m * 10 + (uint64_t)(*s - '0');
			digits += m != 0;
			if (digits > 15)
				return s;
			frac++;
			any = 1;
		}
	}
	if (!any)
		return s;
	if (s < e && (*s == 'e' || *s == 'E')) {
		int	ed = 0;

		s++;
		if (s < e && (*s == '-' || *s == '+'))
			eneg = *s++ == '-';
		for (; s < e && *s >= '0' && *s <= '9'; s++) {
			if (++ed > 4)
				return s;
			ex = ex * 10 + (*s - '0');
		}
		if (ed == 0)
			return s;
	}
	ex = (eneg ? -ex : ex) - frac;
	if (ex < -22 || ex > 22)
		return s;
	*v = ex < 0 ? (double)m / pow10[-ex] : (double)m * pow10[ex];
	if (neg)
		*v = -*v;
	*ok = 1;
	return s;
}

enum csvf_status
csvfast_next(struct csvfast *f, struct csv_row *row)
{
	const unsigned char	*p = (const unsigned char *)f->p;
	const unsigned char	*e = (const unsigned char *)f->end;
	const unsigned char	*s, *q;
	unsigned char		 delim = (unsigned char)f->delim;
	uint64_t		 line = f->line;
	size_t			 n = 0;
	double			 v = 0;
	int			 ok;

	/* Between records: blanks and line ends make no record. */
	for (;;) {
		while (p < e && f->space[*p])
			p++;
		if (p == e) {
			f->p = (const char *)p;
			f->line = line;
			return CSVF_EOF;
		}
		if (*p == '\n')
			line++;
		else if (*p != '\r')
			break;
		p++;
	}
	row->line = line;
	for (;;) {
		while (p < e && f->space[*p])
			p++;
		s = p;
		q = scan_num(p, e, &v, &ok);
		if (!ok || (q < e && (!f->stop[*q] || *q == '"'))) {
			ok = 0;
			while (q < e && !f->stop[*q])
				q++;
		}
		p = q;
		if (p < e && *p == '"')
			return CSVF_QUOTE;	/* nothing consumed for good */
		if (!ok)
			while (q > s && f->space[q[-1]])
				q--;
		if (n == f->cap && grow(f) != 0)
			return CSVF_NOMEM;
		f->f[n] = (char *)(uintptr_t)s;
		f->len[n] = (size_t)(q - s);
		f->val[n] = v;
		f->isnum[n] = (unsigned char)ok;
		n++;
		if (p == e)
			break;
		if (*p++ == delim)
			continue;
		if (p[-1] == '\n')
			line++;
		break;
	}
	f->p = (const char *)p;
	f->line = line;
	row->n = n;
	row->f = f->f;
	row->len = f->len;
	return CSVF_ROW;
}
