/*
 * text: sanitising, number and time formatting, JSON and CSV quoting.
 *
 * Everything that reaches a terminal from data passes text_sanitize(), so
 * a run named "\e]0;pwned\a" shows as text instead of retitling the
 * terminal.
 */
#include "config.h"

#include "text.h"

#include <ctype.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

#include "strbuf.h"

size_t
text_utf8_len(const unsigned char *s, size_t avail)
{
	size_t	n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n == 3 && s[0] == 0xe0 && s[1] < 0xa0)
		return 0;
	if (n == 3 && s[0] == 0xed && s[1] >= 0xa0)
		return 0;	/* surrogates */
	if (n == 4 && s[0] == 0xf0 && s[1] < 0x90)
		return 0;
	if (n == 4 && s[0] == 0xf4 && s[1] >= 0x90)
		return 0;
	/* C1 controls U+0080..U+009F are escapes too (CSI is U+009B). */
	if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return n;
}

/*
 * 1 for the invisible characters that change how text around them reads:
 * the bidi embeddings, overrides and isolates (U+061C, U+200E, U+200F,
 * U+202A..U+202E, U+2066..U+2069; "Trojan Source"), the zero-width ones
 * (U+200B..U+200D, U+2060, U+FEFF) and the line and paragraph separators
 * (U+2028, U+2029) that some terminals take as line breaks.
 */
static int
text_invisible(uint32_t cp)
{
	return cp == 0x061c || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0x2028 && cp <= 0x202e) || cp == 0x2060 ||
	    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff;
}

/* The code point of the valid n-byte UTF-8 sequence at s (n is 2 or 3). */
static uint32_t
utf8_cp(const unsigned char *s, size_t n)
{
	if (n == 2)
		return (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
	return (uint32_t)(s[0] & 0x0f) << 12 | (uint32_t)(s[1] & 0x3f) << 6 |
	    (s[2] & 0x3f);
}

int
text_sanitize(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	char			 esc[12];

	while (i < len) {
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			size_t j = i;

			while (j < len && p[j] >= 0x20 && p[j] < 0x7f)
				j++;
			if (strbuf_add(out, s + i, j - i) != 0)
				return -1;
			i = j;
			continue;
		}
		if (p[i] >= 0x80 && (n = text_utf8_len(p + i, len - i)) > 0) {
			if ((n == 2 || n == 3) &&
			    text_invisible(utf8_cp(p + i, n))) {
				snprintf(esc, sizeof esc, "<U+%04X>",
				    (unsigned)utf8_cp(p + i, n));
				if (strbuf_adds(out, esc) != 0)
					return -1;
			} else if (strbuf_add(out, s + i, n) != 0)
				return -1;
			i += n;
			continue;
		}
		switch (p[i]) {
		case 0x1b: strcpy(esc, "\\e"); break;
		case '\r': strcpy(esc, "\\r"); break;
		case '\n': strcpy(esc, "\\n"); break;
		case '\t': strcpy(esc, "\\t"); break;
		default:
			snprintf(esc, sizeof esc, "\\x%02x", p[i]);
			break;
		}
		if (strbuf_adds(out, esc) != 0)
			return -1;
		i++;
	}
	return 0;
}

const char *
text_num(char buf[32], double v)
{
	if (isnan(v))
		return strcpy(buf, "NaN");
	if (isinf(v))
		return strcpy(buf, v > 0 ? "inf" : "-inf");
	snprintf(buf, 32, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, 32, "%.16g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, 32, "%.17g", v);
	return buf;
}

const char *
text_num_short(char buf[32], double v, int digits)
{
	if (isnan(v))
		return strcpy(buf, "NaN");
	if (isinf(v))
		return strcpy(buf, v > 0 ? "inf" : "-inf");
	snprintf(buf, 32, "%.*g", digits, v);
	return buf;
}

int
text_json_str(struct strbuf *out, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, len = strlen(s);
	char			 esc[8];

	if (strbuf_addc(out, '"') != 0)
		return -1;
	while (*p) {
		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80) {
			strbuf_addc(out, *p++);
			continue;
		}
		if (*p >= 0x80) {
			n = text_utf8_len(p, len - (size_t)(p - (const unsigned
			    char *)s));
			if (n > 0) {
				strbuf_add(out, (const char *)p, n);
				p += n;
				continue;
			}
			/* C1 controls are escaped; invalid bytes become
			 * U+FFFD, so the output stays UTF-8. */
			if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0) {
				snprintf(esc, sizeof esc, "\\u%04x", p[1]);
				strbuf_adds(out, esc);
				p += 2;
				continue;
			}
			strbuf_adds(out, "\\ufffd");
			p++;
			continue;
		}
		switch (*p) {
		case '"': strbuf_adds(out, "\\\""); break;
		case '\\': strbuf_adds(out, "\\\\"); break;
		case '\n': strbuf_adds(out, "\\n"); break;
		case '\r': strbuf_adds(out, "\\r"); break;
		case '\t': strbuf_adds(out, "\\t"); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			strbuf_adds(out, esc);
			break;
		}
		p++;
	}
	return strbuf_addc(out, '"');
}

int
text_json_num(struct strbuf *out, double v)
{
	char	buf[32];

	if (isnan(v))
		return strbuf_adds(out, "\"NaN\"");
	if (isinf(v))
		return strbuf_adds(out, v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
	return strbuf_adds(out, text_num(buf, v));
}

int
text_csv_field(struct strbuf *out, const char *s)
{
	const char	*p;

	if (strpbrk(s, ",\"\r\n") == NULL)
		return strbuf_adds(out, s);
	strbuf_addc(out, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			strbuf_addc(out, '"');
		strbuf_addc(out, *p);
	}
	return strbuf_addc(out, '"');
}

const char *
text_time(char buf[32], int64_t ms)
{
	time_t		t;
	struct tm	tm;

	buf[0] = '\0';
	if (ms == 0)
		return buf;
	t = (time_t)(ms / 1000);
	if (localtime_r(&t, &tm) == NULL)
		return buf;
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
	return buf;
}

const char *
text_duration(char buf[32], int64_t ms)
{
	int64_t	s = ms / 1000;

	if (ms < 0)
		return strcpy(buf, "-");
	if (s < 60)
		snprintf(buf, 32, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, 32, "%lldm%02llds", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, 32, "%lldh%02lldm", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(buf, 32, "%lldd%02lldh", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	return buf;
}

int
text_duration_parse(const char *s, int64_t *ms)
{
	int64_t		 total = 0, v, unit;
	const char	*p = s;

	if (s == NULL || *s == '\0')
		return -1;
	while (*p != '\0') {
		if (*p < '0' || *p > '9')
			return -1;
		for (v = 0; *p >= '0' && *p <= '9'; p++) {
			v = v * 10 + (*p - '0');
			if (v > 366LL * 86400 * 1000)
				return -1;
		}
		if (strncmp(p, "ms", 2) == 0) {
			unit = 1;
			p += 2;
		} else if (*p == 's' || *p == '\0') {
			unit = 1000;
			p += *p != '\0';
		} else if (*p == 'm') {
			unit = 60 * 1000;
			p++;
		} else if (*p == 'h') {
			unit = 3600 * 1000;
			p++;
		} else if (*p == 'd') {
			unit = 86400 * 1000;
			p++;
		} else
			return -1;
		total += v * unit;
		if (total > 366LL * 86400 * 1000)
			return -1;
	}
	*ms = total;
	return 0;
}

/*
 * Clinger's fast path: a decimal with at most 15 significant digits and a
 * power of ten within 10^22 converts exactly with one multiplication or
 * division, which is correctly rounded.  Log files are mostly such
 * numbers; everything else goes to strtod.
 */
static int
parse_fast(const char *s, const char *e, double *v)
{
	static const double	pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
	    1e18, 1e19, 1e20, 1e21, 1e22 };
	uint64_t		m = 0;
	int			neg = 0, digits = 0, frac = 0, ex = 0, eneg = 0;
	int			any = 0;

	if (s < e && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	while (s < e && *s == '0') {		/* leading zeros */
		s++;
		any = 1;
	}
	for (; s < e && *s >= '0' && *s <= '9'; s++, any = 1) {
		if (++digits > 15)
			return -1;
		m = m * 10 + (uint64_t)(*s - '0');
	}
	if (s < e && *s == '.') {
		s++;
		for (; s < e && *s >= '0' && *s <= '9'; s++, any = 1) {
			if (m == 0 && *s == '0') {	/* 0.000123 */
				frac++;
				continue;
			}
			if (++digits > 15)
				return -1;
			m = m * 10 + (uint64_t)(*s - '0');
			frac++;
		}
	}
	if (!any)
		return -1;
	if (s < e && (*s == 'e' || *s == 'E')) {
		int	ed = 0;

		s++;
		if (s < e && (*s == '-' || *s == '+'))
			eneg = *s++ == '-';
		for (; s < e && *s >= '0' && *s <= '9'; s++) {
			if (++ed > 4)
				return -1;
			ex = ex * 10 + (*s - '0');
		}
		if (ed == 0)
			return -1;
	}
	if (s != e)
		return -1;
	ex = (eneg ? -ex : ex) - frac;
	if (ex < -22 || ex > 22)
		return -1;
	*v = ex < 0 ? (double)m / pow10[-ex] : (double)m * pow10[ex];
	if (neg)
		*v = -*v;
	return 0;
}

int
text_parse_num(const char *s, size_t len, double *v)
{
	char	 tmp[64], *end;
	size_t	 b = 0, e = len;

	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
	    s[e - 1] == '\r'))
		e--;
	if (e == b)
		return -1;
	/* Before the length check: "000...0001" is a number however padded
	 * (and src/csvfast.c, which must agree, takes it). */
	if (parse_fast(s + b, s + e, v) == 0)
		return 0;
	if (e - b >= sizeof tmp)
		return -1;
	memcpy(tmp, s + b, e - b);
	tmp[e - b] = '\0';
	*v = strtod(tmp, &end);
	if (*end != '\0' || end == tmp) {
		const char *t = tmp + (tmp[0] == '+' || tmp[0] == '-');

		if (strcasecmp(t, "nan") == 0)
			*v = NAN;
		else if (strcasecmp(t, "infinity") == 0 ||
		    strcasecmp(t, "inf") == 0)
			*v = tmp[0] == '-' ? -INFINITY : INFINITY;
		else
			return -1;
		return 0;
	}
	/* strtod also takes hex floats and "nan(...)"; logs never mean those. */
	if (strpbrk(tmp, "xX(") != NULL)
		return -1;
	return 0;
}

size_t
text_width(const char *s)
{
	mbstate_t	st;
	wchar_t		wc;
	size_t		w = 0, n, len = strlen(s);
	int		cw;

	memset(&st, 0, sizeof st);
	while (len > 0) {
		n = mbrtowc(&wc, s, len, &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof st);
			w++, s++, len--;
			continue;
		}
		if (n == 0)
			break;
		cw = wcwidth(wc);
		w += cw > 0 ? (size_t)cw : 0;
		s += n, len -= n;
	}
	return w;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char
fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') :
	    (unsigned char)c;
}

/*
 * Whether the digits at s[i] are the fraction of a decimal number ("0.01"),
 * not a component of a dotted version ("1.2.10", which compare as whole
 * numbers).
 */
static int
is_fraction(const char *s, size_t len, size_t i)
{
	size_t	k, e;

	if (i < 2 || s[i - 1] != '.' || !is_digit(s[i - 2]))
		return 0;
	for (k = i - 2; k > 0 && is_digit(s[k - 1]); k--)
		;
	if (k > 0 && s[k - 1] == '.')
		return 0;
	for (e = i; e < len && is_digit(s[e]); e++)
		;
	return !(e + 1 < len && s[e] == '.' && is_digit(s[e + 1]));
}

int
text_natural_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	i = 0, j = 0, si, sj, ni, nj;

	while (i < alen && j < blen) {
		if (is_digit(a[i]) && is_digit(b[j]) &&
		    is_fraction(a, alen, i) && is_fraction(b, blen, j)) {
			/* Digits after a decimal point are a fraction:
			 * 0.01 before 0.1, so digit by digit. */
			while (i < alen && j < blen && is_digit(a[i]) &&
			    is_digit(b[j]) && a[i] == b[j])
				i++, j++;
			ni = i < alen && is_digit(a[i]);
			nj = j < blen && is_digit(b[j]);
			if (ni && nj)
				return a[i] < b[j] ? -1 : 1;
			if (ni != nj)
				return ni ? 1 : -1;
			continue;
		}
		if (is_digit(a[i]) && is_digit(b[j])) {
			/* Skip leading zeros, then the longer number is the
			 * larger; equal lengths compare digit by digit. */
			for (si = i; si < alen && a[si] == '0'; si++)
				;
			for (sj = j; sj < blen && b[sj] == '0'; sj++)
				;
			for (ni = si; ni < alen && is_digit(a[ni]); ni++)
				;
			for (nj = sj; nj < blen && is_digit(b[nj]); nj++)
				;
			if (ni - si != nj - sj)
				return ni - si < nj - sj ? -1 : 1;
			for (; si < ni; si++, sj++)
				if (a[si] != b[sj])
					return a[si] < b[sj] ? -1 : 1;
			/* "007" and "7": fewer zeros first, for a total order. */
			if (ni - i != nj - j)
				return ni - i < nj - j ? -1 : 1;
			i = ni;
			j = nj;
			continue;
		}
		if (fold(a[i]) != fold(b[j]))
			return fold(a[i]) < fold(b[j]) ? -1 : 1;
		i++;
		j++;
	}
	if (i < alen || j < blen)
		return i < alen ? 1 : -1;
	/* Equal but for case: a total order still (binary). */
	{
		size_t	n = alen < blen ? alen : blen;
		int	c = memcmp(a, b, n);

		return c != 0 ? (c < 0 ? -1 : 1) : 0;
	}
}
