/*
 * tfevents: TensorBoard event files, read with a small protobuf
 * wire-format reader instead of a protobuf library.  Only five messages
 * matter, and of them only a few fields; everything else (graphs,
 * histograms, images, run metadata) is skipped by its wire type without
 * being understood.  A generated decoder (protobuf-c) would need protoc-c
 * and .proto files at build time and would decode the large messages we
 * skip; this reader is short enough to fuzz whole.
 *
 * The messages, from tensorflow/core/util/event.proto and friends:
 *
 *   Event          1 wall_time double, 2 step int64, 5 summary Summary
 *   Summary        1 value repeated Value
 *   Summary.Value  1 tag string, 2 simple_value float,
 *                  9 metadata SummaryMetadata, 8 tensor TensorProto
 *   SummaryMetadata 1 plugin_data { 1 plugin_name, 2 content bytes },
 *                  4 data_class enum (1 = scalar)
 *   TensorProto    1 dtype (1 float, 2 double), 2 tensor_shape { 2 dim },
 *                  4 tensor_content bytes, 5 float_val, 6 double_val
 *   hparams plugin content: HParamsPluginData 3 session_start_info
 *                  { 1 hparams map<string, google.protobuf.Value> }
 *   google.protobuf.Value 1 null, 2 number double, 3 string, 4 bool
 *
 * Each record of the file is: uint64 length, uint32 masked CRC32C of the
 * length's 8 bytes, the data, uint32 masked CRC32C of the data (all
 * little-endian).
 */
#include "config.h"

#include "tfevents.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "strbuf.h"
#include "text.h"

/* CRC32C ------------------------------------------------------------------ */

static uint32_t crc_table[256];
static int crc_ready;

static void
crc_init(void)
{
	uint32_t	c, i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc_table[i] = c;
	}
	crc_ready = 1;
}

uint32_t
tfe_crc32c(const void *buf, size_t len)
{
	const unsigned char	*p = buf;
	uint32_t		 c = 0xffffffffu;

	if (!crc_ready)
		crc_init();
	while (len-- > 0)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

uint32_t
tfe_mask(uint32_t crc)
{
	return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

int
tfe_is_event_file(const char *base)
{
	return strncmp(base, "events.out.tfevents.", 20) == 0;
}

/* Protobuf wire format -------------------------------------------------- */

struct pb {
	const unsigned char	*p, *end;
};

struct pbf {
	uint32_t		 num;
	int			 wt;
	uint64_t		 v;	/* varint, fixed64, fixed32 */
	const unsigned char	*data;	/* length-delimited */
	size_t			 len;
};

static uint64_t
le64(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
pb_varint(struct pb *b, uint64_t *v)
{
	int	shift;

	*v = 0;
	for (shift = 0; shift < 64; shift += 7) {
		if (b->p == b->end)
			return -1;
		*v |= (uint64_t)(*b->p & 0x7f) << shift;
		if ((*b->p++ & 0x80) == 0)
			return 0;
	}
	return -1;
}

/* The next field: 0, or 1 at the end, or -1 if malformed. */
static int
pb_next(struct pb *b, struct pbf *f)
{
	uint64_t	key;

	if (b->p == b->end)
		return 1;
	if (pb_varint(b, &key) != 0 || (key >> 3) == 0 || (key >> 3) >
	    0x1fffffff)
		return -1;
	f->num = (uint32_t)(key >> 3);
	f->wt = (int)(key & 7);
	f->data = NULL;
	f->len = 0;
	switch (f->wt) {
	case 0:
		return pb_varint(b, &f->v);
	case 1:
		if (b->end - b->p < 8)
			return -1;
		f->v = le64(b->p);
		b->p += 8;
		return 0;
	case 2:
		if (pb_varint(b, &f->v) != 0 || f->v > (uint64_t)(b->end -
		    b->p))
			return -1;
		f->data = b->p;
		f->len = (size_t)f->v;
		b->p += f->len;
		return 0;
	case 5:
		if (b->end - b->p < 4)
			return -1;
		f->v = le32(b->p);
		b->p += 4;
		return 0;
	default:	/* groups are not in these messages */
		return -1;
	}
}

static void
pb_init(struct pb *b, const unsigned char *data, size_t len)
{
	static const unsigned char	none[1];

	/* An absent field (plugin content never written) reads as empty. */
	if (data == NULL) {
		data = none;
		len = 0;
	}
	b->p = data;
	b->end = data + len;
}

static double
as_double(uint64_t v)
{
	double	d;

	memcpy(&d, &v, sizeof d);
	return d;
}

/*
 * A float32 as the double of its shortest decimal: 0.3f is 0.3, not
 * 0.30000001192092896, as TensorBoard and the user who logged it see it.
 */
static double
as_float(uint32_t v)
{
	char	buf[32];
	float	f;
	int	p;

	memcpy(&f, &v, sizeof f);
	if (!isfinite(f))
		return (double)f;
	for (p = 6; p < 9; p++) {
		snprintf(buf, sizeof buf, "%.*g", p, (double)f);
		if (strtof(buf, NULL) == f)
			return strtod(buf, NULL);
	}
	return (double)f;
}

/* Tags ------------------------------------------------------------------ */

enum tag_kind { TAG_UNKNOWN, TAG_SCALAR, TAG_OTHER };

struct tfe_tags {
	char		**tag;
	unsigned char	 *kind;
	size_t		  n;
};

struct tfe_tags *
tfe_tags_new(void)
{
	return wb_calloc(1, sizeof(struct tfe_tags));
}

void
tfe_tags_free(struct tfe_tags *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		wb_free(t->tag[i]);
	wb_free(t->tag);
	wb_free(t->kind);
	wb_free(t);
}

static enum tag_kind
tag_kind(const struct tfe_tags *t, const char *tag)
{
	size_t	i;

	for (i = 0; t != NULL && i < t->n; i++)
		if (strcmp(t->tag[i], tag) == 0)
			return (enum tag_kind)t->kind[i];
	return TAG_UNKNOWN;
}

/* Remember tag's kind; -1 if out of memory. */
static int
tag_set(struct tfe_tags *t, const char *tag, enum tag_kind k)
{
	char		**nt;
	unsigned char	 *nk;

	if (t == NULL || tag_kind(t, tag) != TAG_UNKNOWN)
		return 0;
	if ((nt = wb_reallocarray(t->tag, t->n + 1, sizeof *nt)) == NULL)
		return -1;
	t->tag = nt;
	if ((nk = wb_reallocarray(t->kind, t->n + 1, 1)) == NULL)
		return -1;
	t->kind = nk;
	if ((t->tag[t->n] = wb_strdup(tag)) == NULL)
		return -1;
	t->kind[t->n++] = (unsigned char)k;
	return 0;
}

/* Messages --------------------------------------------------------------- */

struct rd {
	const char		*name;
	size_t			 rec;
	struct tfe_tags		*tags;
	const struct tfe_cb	*cb;
	struct wb_err		*err;
};

static int
bad(struct rd *r, const char *what)
{
	return wb_err_set(r->err, WB_EPARSE, "%s: record %zu: %s", r->name,
	    r->rec, what);
}

/*
 * The one number of a scalar tensor: *v, and 0; 1 if the tensor is not a
 * one-element float or double; -1 if malformed.
 */
static int
tensor_scalar(const unsigned char *data, size_t len, double *v, int *rank0)
{
	struct pb	b, s;
	struct pbf	f, g;
	uint64_t	dtype = 0;
	size_t		nvals = 0;
	int		rc;

	*rank0 = 1;
	pb_init(&b, data, len);
	while ((rc = pb_next(&b, &f)) == 0) {
		if (f.num == 1 && f.wt == 0)
			dtype = f.v;
		else if (f.num == 2 && f.wt == 2) {
			pb_init(&s, f.data, f.len);
			while ((rc = pb_next(&s, &g)) == 0)
				if (g.num == 2)
					*rank0 = 0;
			if (rc < 0)
				return -1;
		} else if (f.num == 4 && f.wt == 2) {
			if (dtype == 1 && f.len == 4)
				*v = as_float(le32(f.data)), nvals++;
			else if (dtype == 2 && f.len == 8)
				*v = as_double(le64(f.data)), nvals++;
			else
				nvals += 2;
		} else if (f.num == 5 && f.wt == 5)
			*v = as_float((uint32_t)f.v), nvals++;
		else if (f.num == 5 && f.wt == 2) {
			if (f.len == 4)
				*v = as_float(le32(f.data)), nvals++;
			else
				nvals += 2;
		} else if (f.num == 6 && f.wt == 1)
			*v = as_double(f.v), nvals++;
		else if (f.num == 6 && f.wt == 2) {
			if (f.len == 8)
				*v = as_double(le64(f.data)), nvals++;
			else
				nvals += 2;
		}
	}
	if (rc < 0)
		return -1;
	return (dtype == 1 || dtype == 2) && nvals == 1 ? 0 : 1;
}

/* A google.protobuf.Value as text into out; 1 if not a scalar. */
static int
pbvalue_text(const unsigned char *data, size_t len, struct strbuf *out)
{
	struct pb	b;
	struct pbf	f;
	char		num[32];
	int		rc, got = 0;

	strbuf_reset(out);
	pb_init(&b, data, len);
	while ((rc = pb_next(&b, &f)) == 0) {
		got = 1;
		strbuf_reset(out);
		if (f.num == 1 && f.wt == 0)
			;
		else if (f.num == 2 && f.wt == 1)
			strbuf_adds(out, text_num(num, as_double(f.v)));
		else if (f.num == 3 && f.wt == 2)	/* whole, never cut */
			strbuf_add(out, (const char *)f.data, f.len);
		else if (f.num == 4 && f.wt == 0)
			strbuf_adds(out, f.v ? "true" : "false");
		else
			got = 0;
	}
	if (rc < 0)
		return -1;
	return got ? 0 : 1;
}

/* The hparams plugin's content: the session start's hparams map. */
static int
hparams(struct rd *r, const unsigned char *data, size_t len)
{
	struct pb	b, s, e;
	struct pbf	f, g, h;
	struct strbuf	key = STRBUF_INIT, val = STRBUF_INIT;
	int		rc, rc2, rc3, pv, have, ret = WB_OK;

	pb_init(&b, data, len);
	while ((rc = pb_next(&b, &f)) == 0) {
		if (f.num != 3 || f.wt != 2)
			continue;
		pb_init(&s, f.data, f.len);
		while ((rc2 = pb_next(&s, &g)) == 0) {
			if (g.num != 1 || g.wt != 2)
				continue;
			strbuf_reset(&key);
			have = 0;
			pb_init(&e, g.data, g.len);
			while ((rc3 = pb_next(&e, &h)) == 0) {
				if (h.num == 1 && h.wt == 2) {
					/* The whole name, never cut. */
					strbuf_reset(&key);
					strbuf_add(&key, (const char *)h.data,
					    h.len);
				} else if (h.num == 2 && h.wt == 2) {
					if ((pv = pbvalue_text(h.data, h.len,
					    &val)) < 0) {
						ret = bad(r, "bad hparams "
						    "value");
						goto out;
					}
					have = pv == 0;
				}
			}
			if (rc3 < 0) {
				ret = bad(r, "bad hparams entry");
				goto out;
			}
			if (key.oom || val.oom) {
				ret = wb_err_set(r->err, WB_ENOMEM,
				    "out of memory");
				goto out;
			}
			if (have && *strbuf_str(&key) != '\0' &&
			    r->cb->hparam != NULL &&
			    (ret = r->cb->hparam(r->cb->ctx, strbuf_str(&key),
			    strbuf_str(&val), r->err)) != WB_OK)
				goto out;
		}
		if (rc2 < 0) {
			ret = bad(r, "bad hparams session");
			goto out;
		}
	}
	if (rc < 0)
		ret = bad(r, "bad hparams plugin data");
out:
	strbuf_free(&key);
	strbuf_free(&val);
	return ret;
}

static int
summary_value(struct rd *r, const unsigned char *data, size_t len,
    int64_t step, double wall)
{
	struct pb		 b, m, p;
	struct pbf		 f, g, h;
	const unsigned char	*tag = NULL, *tensor = NULL, *content = NULL;
	const unsigned char	*plugin = NULL;
	size_t			 taglen = 0, tensorlen = 0, contentlen = 0;
	size_t			 pluginlen = 0;
	char			*t;
	double			 v = 0;
	int			 rc, has_simple = 0, data_class = 0, rank0;
	enum tag_kind		 kind;

	pb_init(&b, data, len);
	while ((rc = pb_next(&b, &f)) == 0) {
		if (f.num == 1 && f.wt == 2)
			tag = f.data, taglen = f.len;
		else if (f.num == 2 && f.wt == 5)
			v = as_float((uint32_t)f.v), has_simple = 1;
		else if (f.num == 8 && f.wt == 2)
			tensor = f.data, tensorlen = f.len;
		else if (f.num == 9 && f.wt == 2) {
			pb_init(&m, f.data, f.len);
			while ((rc = pb_next(&m, &g)) == 0) {
				if (g.num == 4 && g.wt == 0)
					data_class = (int)g.v;
				if (g.num != 1 || g.wt != 2)
					continue;
				pb_init(&p, g.data, g.len);
				while ((rc = pb_next(&p, &h)) == 0) {
					if (h.num == 1 && h.wt == 2)
						plugin = h.data,
						pluginlen = h.len;
					else if (h.num == 2 && h.wt == 2)
						content = h.data,
						contentlen = h.len;
				}
				if (rc < 0)
					break;
			}
			if (rc < 0)
				break;
		}
	}
	if (rc < 0)
		return bad(r, "not an Event (bad Summary.Value)");
	if (plugin != NULL && pluginlen == 7 && memcmp(plugin, "hparams", 7)
	    == 0)
		return hparams(r, content, contentlen);
	/* A value without a name (or with a NUL in it) names no metric. */
	if (tag == NULL || taglen == 0 || memchr(tag, '\0', taglen) != NULL)
		return WB_OK;
	if ((t = wb_strndup((const char *)tag, taglen)) == NULL)
		return wb_err_set(r->err, WB_ENOMEM, "out of memory");
	/* TF2 names the plugin on a tag's first event only. */
	if (plugin != NULL || data_class != 0) {
		kind = data_class == 1 || (pluginlen == 7 && memcmp(plugin,
		    "scalars", 7) == 0) ? TAG_SCALAR : TAG_OTHER;
		if (tag_set(r->tags, t, kind) != 0) {
			wb_free(t);
			return wb_err_set(r->err, WB_ENOMEM, "out of memory");
		}
	} else
		kind = tag_kind(r->tags, t);
	rc = WB_OK;
	if (!has_simple && tensor != NULL && kind != TAG_OTHER) {
		switch (tensor_scalar(tensor, tensorlen, &v, &rank0)) {
		case 0:
			/* Without a plugin seen, only a rank-0 number. */
			has_simple = kind == TAG_SCALAR || rank0;
			break;
		case 1:
			break;
		default:
			rc = bad(r, "not an Event (bad TensorProto)");
			break;
		}
	}
	if (rc == WB_OK && has_simple && r->cb->scalar != NULL)
		rc = r->cb->scalar(r->cb->ctx, t, step, wall, v, r->err);
	wb_free(t);
	return rc;
}

static int
event(struct rd *r, const unsigned char *data, size_t len)
{
	struct pb		 b, s;
	struct pbf		 f;
	const unsigned char	*sum = NULL;
	size_t			 sumlen = 0;
	double			 wall = 0;
	int64_t			 step = 0;
	int			 rc;

	pb_init(&b, data, len);
	while ((rc = pb_next(&b, &f)) == 0) {
		if (f.num == 1 && f.wt == 1)
			wall = as_double(f.v);
		else if (f.num == 2 && f.wt == 0)
			step = (int64_t)f.v;
		else if (f.num == 5 && f.wt == 2)
			sum = f.data, sumlen = f.len;
	}
	if (rc < 0)
		return bad(r, "not an Event (bad protobuf)");
	if (sum == NULL)
		return WB_OK;
	pb_init(&s, sum, sumlen);
	while ((rc = pb_next(&s, &f)) == 0) {
		if (f.num != 1 || f.wt != 2)
			continue;
		if ((rc = summary_value(r, f.data, f.len, step, wall)) != WB_OK)
			return rc;
	}
	return rc < 0 ? bad(r, "not an Event (bad Summary)") : WB_OK;
}

int
tfe_read(const unsigned char *buf, size_t len, const char *name,
    struct tfe_tags *tags, const struct tfe_cb *cb, size_t *used,
    struct wb_err *err)
{
	struct rd	r;
	size_t		off = 0;
	uint64_t	n;
	int		rc;

	r.name = name;
	r.rec = 0;
	r.tags = tags;
	r.cb = cb;
	r.err = err;
	*used = 0;
	while (len - off >= 12) {
		r.rec++;
		n = le64(buf + off);
		if (tfe_mask(tfe_crc32c(buf + off, 8)) != le32(buf + off + 8))
			return wb_err_set(err, WB_EPARSE, "%s: record %zu (byte "
			    "%zu): bad length CRC; not an event file, or "
			    "damaged", name, r.rec, off);
		/* Cut short: the writer has not finished this record. */
		if (n > len - off - 12 || len - off - 12 - n < 4)
			break;
		if (tfe_mask(tfe_crc32c(buf + off + 12, (size_t)n)) !=
		    le32(buf + off + 12 + n))
			return wb_err_set(err, WB_EPARSE, "%s: record %zu (byte "
			    "%zu): bad data CRC; the file is damaged", name,
			    r.rec, off);
		if ((rc = event(&r, buf + off + 12, (size_t)n)) != WB_OK)
			return rc;
		off += 12 + (size_t)n + 4;
		*used = off;
	}
	return WB_OK;
}
