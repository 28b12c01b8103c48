/*
 * Unit tests of the log readers that are not CSV: tfevents (TFRecord
 * framing, CRC32C, the protobuf messages; event files are written here by
 * a tiny encoder) and pyrepr (Python dict reprs in W&B exports).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pyrepr.h"
#include "strbuf.h"
#include "tfevents.h"
#include "tap.h"

/* A tiny protobuf / TFRecord encoder ------------------------------------ */

static void
varint(struct strbuf *b, uint64_t v)
{
	do {
		strbuf_addc(b, (int)((v & 0x7f) | (v > 0x7f ? 0x80 : 0)));
		v >>= 7;
	} while (v != 0);
}

static void
f_bytes(struct strbuf *b, unsigned num, const char *p, size_t len)
{
	varint(b, (uint64_t)num << 3 | 2);
	varint(b, len);
	strbuf_add(b, p, len);
}

static void
f_sb(struct strbuf *b, unsigned num, struct strbuf *m)
{
	f_bytes(b, num, m->s ? m->s : "", m->len);
	strbuf_free(m);
}

static void
f_fixed(struct strbuf *b, unsigned num, const void *p, int wt, size_t len)
{
	varint(b, (uint64_t)num << 3 | (unsigned)wt);
	strbuf_add(b, p, len);
}

/* Event{wall, step, Summary{Value{tag, simple_value}}} */
static void
ev_simple(struct strbuf *out, double wall, int64_t step, const char *tag,
    float v)
{
	struct strbuf	e = STRBUF_INIT, s = STRBUF_INIT, val = STRBUF_INIT;

	f_bytes(&val, 1, tag, strlen(tag));
	f_fixed(&val, 2, &v, 5, 4);
	f_sb(&s, 1, &val);
	f_fixed(&e, 1, &wall, 1, 8);
	varint(&e, 2 << 3);
	varint(&e, (uint64_t)step);
	f_sb(&e, 5, &s);
	f_sb(out, 0, &e);	/* field 0: just the payload, see record() */
}

/* Event with a TF2 double scalar tensor, plugin named when first. */
static void
ev_tensor(struct strbuf *out, int64_t step, const char *tag, double v,
    int first)
{
	struct strbuf	e = STRBUF_INIT, s = STRBUF_INIT, val = STRBUF_INIT;
	struct strbuf	t = STRBUF_INIT, m = STRBUF_INIT, pd = STRBUF_INIT;
	double		wall = 1700000000.0;

	varint(&t, 1 << 3);
	varint(&t, 2);			/* DT_DOUBLE */
	f_bytes(&t, 2, "", 0);		/* rank 0 */
	f_bytes(&t, 4, (const char *)&v, 8);
	f_bytes(&val, 1, tag, strlen(tag));
	if (first) {
		f_bytes(&pd, 1, "scalars", 7);
		f_sb(&m, 1, &pd);
		f_sb(&val, 9, &m);
	}
	f_sb(&val, 8, &t);
	f_sb(&s, 1, &val);
	f_fixed(&e, 1, &wall, 1, 8);
	varint(&e, 2 << 3);
	varint(&e, (uint64_t)step);
	f_sb(&e, 5, &s);
	f_sb(out, 0, &e);
}

static void
put32(char *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* the test machines are little-endian */
}

/* Frame the payloads in enc (each a field-0 length-delimited blob). */
static void
frame(struct strbuf *file, const struct strbuf *enc)
{
	const unsigned char	*p = (const unsigned char *)enc->s;
	const unsigned char	*end = p + enc->len;
	uint64_t		 len;
	char			 head[12], crc[4];
	int			 shift;

	while (p < end) {
		p++;	/* the key (field 0, type 2) */
		for (len = 0, shift = 0; *p & 0x80; p++, shift += 7)
			len |= (uint64_t)(*p & 0x7f) << shift;
		len |= (uint64_t)*p++ << shift;
		memcpy(head, &len, 8);
		put32(head + 8, tfe_mask(tfe_crc32c(head, 8)));
		strbuf_add(file, head, 12);
		strbuf_add(file, (const char *)p, (size_t)len);
		put32(crc, tfe_mask(tfe_crc32c(p, (size_t)len)));
		strbuf_add(file, crc, 4);
		p += len;
	}
}

/* Reading ------------------------------------------------------------------ */

struct got {
	struct strbuf	s;
	int		n;
};

static int
on_scalar(void *ctx, const char *tag, int64_t step, double wall, double v,
    struct wb_err *err)
{
	struct got	*g = ctx;

	(void)err;
	strbuf_addf(&g->s, "%s@%lld=%.17g(%.0f);", tag, (long long)step, v,
	    wall);
	g->n++;
	return WB_OK;
}

static int
on_hparam(void *ctx, const char *key, const char *value, struct wb_err *err)
{
	struct got	*g = ctx;

	(void)err;
	strbuf_addf(&g->s, "%s:%s;", key, value);
	return WB_OK;
}

static int
readbuf(const struct strbuf *f, size_t len, struct got *g, size_t *used,
    struct wb_err *err)
{
	struct tfe_cb	 cb = { on_scalar, on_hparam, g };
	struct tfe_tags	*tags = tfe_tags_new();
	int		 rc;

	strbuf_reset(&g->s);
	g->n = 0;
	rc = tfe_read((const unsigned char *)f->s, len, "ev", tags, &cb, used,
	    err);
	tfe_tags_free(tags);
	return rc;
}

static void
test_tfevents(void)
{
	struct strbuf	enc = STRBUF_INIT, file = STRBUF_INIT;
	struct got	g = { STRBUF_INIT, 0 };
	struct wb_err	err;
	size_t		used, cut;
	int		rc, bad = 0, last = -1;

	is_int(tfe_crc32c("123456789", 9), 0xe3069283u,
	    "CRC32C check value (RFC 3720)");
	ok(tfe_is_event_file("events.out.tfevents.1700000000.host.1.0") &&
	    !tfe_is_event_file("events.out.csv"), "event file names");

	ev_simple(&enc, 1700000000.5, 0, "loss", 0.3f);
	ev_simple(&enc, 1700000001.5, 1, "loss", 0.25f);
	ev_tensor(&enc, 1, "lr", 0.001, 1);
	ev_tensor(&enc, 2, "lr", 0.0005, 0);
	frame(&file, &enc);
	rc = readbuf(&file, file.len, &g, &used, &err);
	ok(rc == WB_OK && used == file.len, "a whole file reads");
	is_str(strbuf_str(&g.s), "loss@0=0.29999999999999999(1700000000);"
	    "loss@1=0.25(1700000002);lr@1=0.001(1700000000);"
	    "lr@2=0.00050000000000000001(1700000000);",
	    "simple_value (float32 as its shortest decimal) and double "
	    "tensors (plugin named on the first only)");

	/* Every cut: never an error, the complete records only. */
	for (cut = 0; cut < file.len; cut++) {
		rc = readbuf(&file, cut, &g, &used, &err);
		if (rc != WB_OK || used > cut || g.n < last)
			bad++;
		last = g.n;
	}
	ok(bad == 0, "a file cut at any byte is read up to its last complete "
	    "record, without error");
	ok(last == 3, "one byte short: all but the last record");

	/* A bad data CRC in the second record. */
	{
		struct strbuf	b = STRBUF_INIT;
		size_t		first;

		strbuf_add(&b, file.s, file.len);
		readbuf(&file, 1, &g, &used, &err);
		first = 12 + (size_t)(unsigned char)file.s[0] + 4;
		b.s[first + 12] ^= 1;
		rc = readbuf(&b, b.len, &g, &used, &err);
		ok(rc == WB_EPARSE, "a bad data CRC is an error");
		ok(strstr(err.msg, "ev: record 2 (byte ") == err.msg &&
		    strstr(err.msg, "bad data CRC") != NULL,
		    "which names file and record: %s", err.msg);
		b.s[first + 12] ^= 1;
		b.s[first] ^= 1;	/* the length of record 2 */
		rc = readbuf(&b, b.len, &g, &used, &err);
		ok(rc == WB_EPARSE && strstr(err.msg, "record 2") &&
		    strstr(err.msg, "bad length CRC"), "a bad length CRC too");
		strbuf_free(&b);
	}
	/* The hparams plugin named without its content (found by
	 * fuzz_tfevents: an empty field read through a NULL pointer). */
	{
		struct strbuf	e = STRBUF_INIT, s = STRBUF_INIT;
		struct strbuf	val = STRBUF_INIT, m = STRBUF_INIT;
		struct strbuf	pd = STRBUF_INIT, one = STRBUF_INIT;
		struct strbuf	f2 = STRBUF_INIT;

		f_bytes(&pd, 1, "hparams", 7);
		f_sb(&m, 1, &pd);
		f_bytes(&val, 1, "_hparams_/session_start_info", 28);
		f_sb(&val, 9, &m);
		f_sb(&s, 1, &val);
		f_sb(&e, 5, &s);
		f_sb(&one, 0, &e);
		frame(&f2, &one);
		rc = readbuf(&f2, f2.len, &g, &used, &err);
		ok(rc == WB_OK && g.n == 0 && g.s.len == 0,
		    "hparams without content: nothing, no error");
		strbuf_free(&one);
		strbuf_free(&f2);
	}
	strbuf_free(&enc);
	strbuf_free(&file);
	strbuf_free(&g.s);
}

static void
test_pyrepr(void)
{
	struct py_node		*n;
	const struct py_node	*v;
	struct wb_err		 err;
	const char		*s = "{'a': 1.5, \"b\": 'it\\'s', 'c': True, "
	    "'d': None, 'e': [1, (2, 3)], 'f': {'g': nan, 'h': -inf}, "
	    "'o': <Foo object at 0x7f>, 't': tensor(1.), 'u': '\\u00e9',}";

	ok(py_parse(s, strlen(s), "cell", &n, &err) == WB_OK &&
	    n->type == PY_DICT && n->n == 9, "a dict repr with every kind");
	v = py_get(n, "a");
	ok(v && v->type == PY_NUM && v->num == 1.5, "number");
	v = py_get(n, "b");
	ok(v && v->type == PY_STR && strcmp(v->text, "it's") == 0,
	    "double-quoted key, escaped quote");
	v = py_get(n, "c");
	ok(v && v->type == PY_BOOL && v->num == 1, "True");
	ok(py_get(n, "d") && py_get(n, "d")->type == PY_NONE, "None");
	v = py_get(n, "e");
	ok(v && v->type == PY_LIST && strcmp(v->text, "[1, (2, 3)]") == 0,
	    "a list kept as its text");
	v = py_get(py_get(n, "f"), "g");
	ok(v && v->type == PY_NUM && isnan(v->num), "nested nan");
	v = py_get(py_get(n, "f"), "h");
	ok(v && v->type == PY_NUM && isinf(v->num) && v->num < 0, "-inf");
	v = py_get(n, "o");
	ok(v && v->type == PY_OTHER && strcmp(v->text, "<Foo object at 0x7f>")
	    == 0, "an object repr kept as text");
	v = py_get(n, "t");
	ok(v && v->type == PY_OTHER && strcmp(v->text, "tensor(1.)") == 0,
	    "a call kept as text");
	v = py_get(n, "u");
	ok(v && strcmp(v->text, "\xc3\xa9") == 0, "\\u escape to UTF-8");
	py_free(n);
	ok(py_parse("{'a': 1", 7, "x.csv:2: column 'summary'", &n, &err) ==
	    WB_EPARSE && strstr(err.msg, "x.csv:2: column 'summary': not a "
	    "Python dict repr: unclosed bracket") != NULL,
	    "an unclosed dict names the cell");
	ok(py_parse("{'a' 1}", 7, "c", &n, &err) == WB_EPARSE &&
	    strstr(err.msg, "':' expected") != NULL, "a missing colon");
	ok(py_parse("{'a': 'x", 8, "c", &n, &err) == WB_EPARSE &&
	    strstr(err.msg, "unterminated string") != NULL,
	    "an unterminated string");
	{
		char	deep[300];

		memset(deep, '[', sizeof deep);
		ok(py_parse(deep, sizeof deep, "c", &n, &err) == WB_EPARSE &&
		    strstr(err.msg, "nested too deep") != NULL,
		    "nesting is bounded");
	}
}

int
main(void)
{
	test_tfevents();
	test_pyrepr();
	return tap_done();
}
