/*
 * text: small text helpers shared by the library and the UI: making data
 * safe to show on a terminal, formatting numbers and times the same way
 * everywhere, and JSON/CSV quoting.
 */
#ifndef WB_TEXT_H
#define WB_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;

/*
 * Append s to out with every control character and escape sequence made
 * visible: ESC as "\e", CR "\r", LF "\n", TAB "\t", other C0/C1 and DEL as
 * "\xNN"; invalid UTF-8 bytes as "\xNN".  Valid UTF-8 passes through.
 */
int	text_sanitize(struct strbuf *out, const char *s, size_t len);
/*
 * Bytes (1 to 4) of the UTF-8 character at s, of the avail there; 0 when
 * it is not valid UTF-8 (overlong forms and surrogates included).
 */
size_t	text_utf8_len(const unsigned char *s, size_t avail);

/*
 * The shortest decimal that reads back as v ("0.1", "1e-05", "3"); NaN,
 * inf and -inf as "NaN", "inf", "-inf".  buf needs 32 bytes.
 */
const char *text_num(char buf[32], double v);
/* v with `digits` significant digits, for tables ("0.3127"). */
const char *text_num_short(char buf[32], double v, int digits);

/* JSON string literal of s (with quotes), escaping as RFC 8259 says. */
int	text_json_str(struct strbuf *out, const char *s);
/* JSON number, or the string "NaN"/"Infinity"/"-Infinity" (as protobuf). */
int	text_json_num(struct strbuf *out, double v);
/* CSV field, quoted when it holds a comma, quote, CR or LF. */
int	text_csv_field(struct strbuf *out, const char *s);

/* "2026-11-22 14:03:05" in local time for ms since the epoch; "" for 0. */
const char *text_time(char buf[32], int64_t ms);
/* "3h12m", "45s", "2d4h" for a duration in ms. */
const char *text_duration(char buf[32], int64_t ms);
/*
 * A duration as people type it: "90" (seconds), "90s", "10m", "2h",
 * "1d", "1h30m", "500ms", into *ms.  0 on success, -1 when s is not one
 * (or longer than a year).
 */
int	text_duration_parse(const char *s, int64_t *ms);

/* Parse a double the way CSV logs write them ("nan", "Infinity", "1e-5",
 * padded with spaces); 0 and *v on success, -1 if s is not a number. */
int	text_parse_num(const char *s, size_t len, double *v);

/*
 * Natural order ("run-2" before "run-10"): runs of digits compare as
 * numbers, everything else byte by byte ignoring ASCII case.  The SQL
 * collation NATSORT (db.c) is this function.
 */
int	text_natural_cmp(const char *a, size_t alen, const char *b,
	    size_t blen);

/* Display width in terminal columns of UTF-8 text (wcwidth-like). */
size_t	text_width(const char *s);

#endif
