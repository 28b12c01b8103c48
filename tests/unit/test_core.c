/*
 * Unit tests of the small core modules: err, strbuf, text, sha256, mem.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"
#include "tap.h"

static void
test_err(void)
{
	struct wb_err	err;

	is_int(wb_err_set(&err, WB_EPARSE, "%s:%d: %s", "runs.csv", 14,
	    "unterminated quote"), WB_EPARSE, "wb_err_set returns the code");
	is_str(err.msg, "runs.csv:14: unterminated quote", "message formatted");
	wb_err_prefix(&err, "import");
	is_str(err.msg, "import: runs.csv:14: unterminated quote",
	    "prefix kept the message");
	is_str(wb_status_name(WB_ENOMEM), "WB_ENOMEM", "status names");
	is_int(wb_err_set(NULL, WB_EIO, "x"), WB_EIO, "NULL err is allowed");
}

/* A path that does not fit is refused by name, never cut short. */
static void
test_path_fmt(void)
{
	struct wb_err	err;
	char		buf[16], dir[100];

	is_int(wb_path_fmt(buf, sizeof buf, &err, "%s/%s", "ab", "c.csv"),
	    WB_OK, "a path that fits");
	is_str(buf, "ab/c.csv", "is written whole");
	memset(dir, 'd', sizeof dir - 1);
	dir[sizeof dir - 1] = '\0';
	is_int(wb_path_fmt(buf, sizeof buf, &err, "%s/x.csv", dir), WB_EINVAL,
	    "one that does not fit is WB_EINVAL");
	is_str(err.msg, "ddddddddddddddd...: path too long (105 bytes; at "
	    "most 15)", "naming its start and both lengths");
}

static void
test_strbuf(void)
{
	struct strbuf	sb = STRBUF_INIT;
	char		*s;
	int		 i;

	is_str(strbuf_str(&sb), "", "empty strbuf is \"\"");
	for (i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	ok(sb.len > 3000 && strncmp(sb.s, "0,1,2,", 6) == 0, "grows");
	strbuf_reset(&sb);
	strbuf_adds(&sb, "abc");
	s = strbuf_detach(&sb);
	is_str(s, "abc", "detach gives the string");
	ok(sb.s == NULL && sb.len == 0, "detach empties");
	free(s);

	wb_mem_fail_after(0);
	ok(strbuf_adds(&sb, "x") == -1 && sb.oom, "allocation failure is "
	    "reported and sticky");
	wb_mem_fail_after(-1);
	ok(strbuf_adds(&sb, "x") == -1, "oom stays set");
	strbuf_free(&sb);
	ok(strbuf_adds(&sb, "y") == 0, "free resets oom");
	/* A length that would wrap len + 1 around: refused, not a tiny
	 * buffer written past. */
	ok(strbuf_grow(&sb, SIZE_MAX) == -1 && sb.oom, "a growth past "
	    "SIZE_MAX is refused");
	strbuf_free(&sb);
	strbuf_adds(&sb, "abc");
	ok(strbuf_grow(&sb, SIZE_MAX - 3) == -1 && sb.oom &&
	    strcmp(sb.s, "abc") == 0, "len + need wrapping is refused, "
	    "the text kept");
	strbuf_free(&sb);
}

static void
test_text(void)
{
	struct strbuf	sb = STRBUF_INIT;
	char		b[32];
	double		v;
	const char	evil[] = "a\x1b[2Jb\x1b]0;t\x07\rc\xc2\x9b" "d\xff";

	text_sanitize(&sb, evil, sizeof evil - 1);
	is_str(strbuf_str(&sb), "a\\e[2Jb\\e]0;t\\x07\\rc\\xc2\\x9bd\\xff",
	    "escape sequences, CR, C1 and invalid UTF-8 are made visible");
	strbuf_reset(&sb);
	text_sanitize(&sb, "h\xc3\xa9llo \xe2\x9c\x93", 10);
	is_str(strbuf_str(&sb), "h\xc3\xa9llo \xe2\x9c\x93",
	    "valid UTF-8 passes through");
	strbuf_reset(&sb);
	{
		const char bidi[] = "a\xe2\x80\xae" "b\xe2\x81\xa6"
		    "c\xe2\x80\x8b" "d\xef\xbb\xbf" "e\xe2\x81\xa0"
		    "f\xe2\x80\x8f" "g\xe2\x80\xa8" "h\xd8\x9c"
		    "i\xe2\x80\xaf";

		text_sanitize(&sb, bidi, sizeof bidi - 1);
	}
	is_str(strbuf_str(&sb), "a<U+202E>b<U+2066>c<U+200B>d<U+FEFF>e<U+2060>"
	    "f<U+200F>g<U+2028>h<U+061C>i\xe2\x80\xaf",
	    "bidi controls and zero-width characters are shown as <U+XXXX>; "
	    "a visible neighbour (U+202F) is not");
	strbuf_reset(&sb);

#define NAT(a, b) text_natural_cmp(a, strlen(a), b, strlen(b))
	ok(NAT("run-2", "run-10") < 0, "natural order: run-2 before run-10");
	ok(NAT("run-10", "run-2") > 0, "natural order is antisymmetric");
	ok(NAT("Run-3", "run-20") < 0, "natural order ignores case");
	ok(NAT("v1.2.9", "v1.2.10") < 0 && NAT("v1.9.0", "v1.10.0") < 0,
	    "dotted versions compare by component");
	ok(NAT("a", "a1") < 0, "a prefix first");
	ok(NAT("lr0.01", "lr0.1") < 0 && NAT("lr0.1", "lr0.01") > 0,
	    "digits after a decimal point are a fraction");
	ok(NAT("lr0.1-bs64", "lr0.1-bs128") < 0, "then the rest in order");
	ok(NAT("x07", "x7") != 0 && NAT("x07", "x7") == -NAT("x7", "x07"),
	    "leading zeros: a total order");
	ok(NAT("abc", "abc") == 0, "equal names are equal");
	ok(NAT("ABC", "abc") != 0, "case-only differences still ordered");
#undef NAT

	is_str(text_num(b, 0.1), "0.1", "shortest round trip 0.1");
	is_str(text_num(b, 1.0 / 3), "0.3333333333333333", "shortest of 16 or 17 digits");
	is_str(text_num(b, NAN), "NaN", "NaN");
	is_str(text_num(b, -INFINITY), "-inf", "-inf");
	is_str(text_num(b, 3), "3", "integers plain");

	ok(text_parse_num(" 1e-05 ", 7, &v) == 0 && v == 1e-05,
	    "padded scientific notation");
	ok(text_parse_num("nan", 3, &v) == 0 && isnan(v), "nan");
	ok(text_parse_num("-Infinity", 9, &v) == 0 && isinf(v) && v < 0,
	    "-Infinity");
	ok(text_parse_num("inf", 3, &v) == 0 && isinf(v) && v > 0, "inf");
	ok(text_parse_num("0.5\r", 4, &v) == 0 && v == 0.5, "trailing CR");
	{
		char	pad[100];

		memset(pad, '0', 90);
		strcpy(pad + 90, "1.5");
		ok(text_parse_num(pad, strlen(pad), &v) == 0 && v == 1.5,
		    "a number padded with 90 leading zeros");
	}
	ok(text_parse_num("", 0, &v) == -1, "empty is not a number");
	ok(text_parse_num("adam", 4, &v) == -1, "words are not numbers");
	ok(text_parse_num("0x10", 4, &v) == -1, "hex is not a log number");
	ok(text_parse_num("1,5", 3, &v) == -1, "trailing junk");
	ok(text_parse_num("nan(12)", 7, &v) == -1, "nan(...) is not a log number");
	{
		/* The fast path must agree with strtod bit for bit. */
		static const char *const nums[] = { "0.1", "0.3", "1e-05",
		    "4.0000003e-05", "0.00020000001", "123456789012345",
		    "-2.5E+3", "9007199254740993", "1e22", "1e23", "0.000123",
		    "7.7826e-05", "000.5", "1.", ".5", "3.14159265358979",
		    "2.718281828459045", "-0", "1e-22", "8.10423485456831e-08",
		    NULL };
		int i, same = 1;

		for (i = 0; nums[i] != NULL; i++) {
			double want = strtod(nums[i], NULL);

			if (text_parse_num(nums[i], strlen(nums[i]), &v) != 0 ||
			    memcmp(&v, &want, sizeof v) != 0) {
				printf("# %s: got %.17g want %.17g\n", nums[i],
				    v, want);
				same = 0;
			}
		}
		ok(same, "fast decimal parsing equals strtod exactly");
	}

	text_json_str(&sb, "q\"\\\n\x01\xff");
	is_str(strbuf_str(&sb), "\"q\\\"\\\\\\n\\u0001\\ufffd\"",
	    "JSON escapes");
	strbuf_reset(&sb);
	text_json_num(&sb, INFINITY);
	is_str(strbuf_str(&sb), "\"Infinity\"", "JSON infinity as a string");
	strbuf_reset(&sb);
	text_csv_field(&sb, "a,\"b\"");
	is_str(strbuf_str(&sb), "\"a,\"\"b\"\"\"", "CSV quoting");
	strbuf_free(&sb);

	is_str(text_duration(b, 45000), "45s", "duration seconds");
	is_str(text_duration(b, 3 * 3600000 + 12 * 60000), "3h12m",
	    "duration hours");
	{
		int64_t	ms = -1;

		ok(text_duration_parse("90", &ms) == 0 && ms == 90000,
		    "duration parse: bare seconds");
		ok(text_duration_parse("10m", &ms) == 0 && ms == 600000,
		    "duration parse: minutes");
		ok(text_duration_parse("1h30m", &ms) == 0 && ms == 5400000,
		    "duration parse: hours and minutes");
		ok(text_duration_parse("500ms", &ms) == 0 && ms == 500,
		    "duration parse: milliseconds");
		ok(text_duration_parse("2d", &ms) == 0 && ms == 172800000,
		    "duration parse: days");
		ok(text_duration_parse("10x", &ms) != 0 &&
		    text_duration_parse("", &ms) != 0 &&
		    text_duration_parse("m", &ms) != 0 &&
		    text_duration_parse("-5s", &ms) != 0 &&
		    text_duration_parse("999999999999d", &ms) != 0,
		    "duration parse: refuses bad input and overflow");
	}
}

static void
test_sha256(void)
{
	struct sha256	c;
	char		hex[65];
	char		million[1000];
	int		i;

	sha256_init(&c);
	sha256_hex(&c, hex);
	is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
	    "7852b855", "sha256 of nothing");
	sha256_init(&c);
	sha256_update(&c, "abc", 3);
	sha256_hex(&c, hex);
	is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
	    "f20015ad", "sha256 abc");
	sha256_init(&c);
	sha256_update(&c, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnop"
	    "nopq", 56);
	sha256_hex(&c, hex);
	is_str(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd4"
	    "19db06c1", "sha256 two blocks");
	memset(million, 'a', sizeof million);
	sha256_init(&c);
	for (i = 0; i < 1000; i++)
		sha256_update(&c, million, sizeof million);
	sha256_hex(&c, hex);
	is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39cc"
	    "c7112cd0", "sha256 of a million a's, fed in pieces");
}

int
main(void)
{
	test_err();
	test_path_fmt();
	test_strbuf();
	test_text();
	test_sha256();
	return tap_done();
}
