/*
 * chunk_codec: encodes and decodes the points of one metric chunk (see
 * chunk_codec.h and doc/workspace.md for the format).  It owns the bit
 * layout and nothing else: no SQL, no allocation, no I/O.
 *
 * Why these codings.  Steps and timestamps of a training log advance by a
 * constant (1 per epoch, 50 per logging interval; timestamps are 0 when
 * unknown): their second difference is zero nearly always, which Gorilla's
 * delta-of-delta stores in one bit.  Values come in three kinds, measured
 * on the real logs in the fixtures: decimals printed with a few digits
 * (YOLO's 0.066099, our bench's %.6g) are small integers times a power of
 * ten, stored as bit-packed differences of those integers; float32
 * tensors printed in full (Keras' 0.9847438335418701) have 29 zero bits
 * at the end of their double mantissa, so XOR of the float32 bit patterns
 * halves what XOR of doubles costs; anything else gets Gorilla's XOR of
 * doubles.  Each block of CC_BLOCK points takes whichever is smallest.
 * Values no coding reproduces exactly (NaN, -0.0, +-inf in the decimal
 * coding) are stored raw as exceptions, so every double round-trips bit
 * for bit.
 */
#include "config.h"

#include "chunk_codec.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* Bits ----------------------------------------------------------------- */

/* Writes bits MSB first; with p == NULL it only counts them. */
struct bw {
	unsigned char	*p;
	size_t		 len;		/* whole bytes written */
	uint64_t	 acc;
	unsigned	 nacc;		/* bits in acc, < 8 between calls */
	size_t		 nbits;
};

static void
bw_put(struct bw *w, uint64_t v, unsigned n)
{
	if (n > 32) {
		bw_put(w, v >> 32, n - 32);
		bw_put(w, v & 0xffffffffu, 32);
		return;
	}
	w->nbits += n;
	if (w->p == NULL || n == 0)
		return;
	w->acc = (w->acc << n) | (v & (((uint64_t)1 << n) - 1));
	w->nacc += n;
	while (w->nacc >= 8) {
		w->nacc -= 8;
		w->p[w->len++] = (unsigned char)(w->acc >> w->nacc);
	}
	w->acc &= ((uint64_t)1 << w->nacc) - 1;
}

static void
bw_finish(struct bw *w)
{
	if (w->p != NULL && w->nacc > 0)
		w->p[w->len++] = (unsigned char)(w->acc << (8 - w->nacc));
	w->nacc = 0;
	w->acc = 0;
}

struct br {
	const unsigned char	*p;
	size_t			 len;	/* bytes */
	size_t			 pos;	/* bits read */
	int			 bad;	/* read past the end */
};

static uint64_t
load_be64(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static uint64_t
br_get(struct br *r, unsigned n)
{
	unsigned char	tail[8];
	uint64_t	v, hi;
	size_t		byte, i;

	if (n == 0)
		return 0;
	if (n > 56) {
		hi = br_get(r, n - 32);
		return (hi << 32) | br_get(r, 32);
	}
	if (r->bad || r->len * 8 - r->pos < n) {
		r->bad = 1;
		return 0;
	}
	byte = r->pos >> 3;
	if (byte + 8 <= r->len)
		v = load_be64(r->p + byte);
	else {
		memset(tail, 0, sizeof tail);
		for (i = 0; byte + i < r->len; i++)
			tail[i] = r->p[byte + i];
		v = load_be64(tail);
	}
	v = (v << (r->pos & 7)) >> (64 - n);
	r->pos += n;
	return v;
}

/* Integers ------------------------------------------------------------- */

static uint64_t
zz(uint64_t x)		/* zigzag of x taken as a signed number */
{
	return (x << 1) ^ (0 - (x >> 63));
}

static uint64_t
unzz(uint64_t z)
{
	return (z >> 1) ^ (0 - (z & 1));
}

static unsigned
width(uint64_t x)	/* bits needed for x */
{
	return x == 0 ? 0 : 64 - (unsigned)__builtin_clzll(x);
}

/* An unsigned number as 7 bits of width, then that many bits. */
static void
put_var(struct bw *w, uint64_t z)
{
	unsigned	n = width(z);

	bw_put(w, n, 7);
	bw_put(w, z, n);
}

static uint64_t
get_var(struct br *r)
{
	unsigned	n = (unsigned)br_get(r, 7);

	if (n > 64) {
		r->bad = 1;
		return 0;
	}
	return br_get(r, n);
}

/* A delta-of-delta (zigzagged), Gorilla's variable-length buckets. */
static void
put_dod(struct bw *w, uint64_t z)
{
	if (z == 0)
		bw_put(w, 0, 1);
	else if (z < (1u << 7)) {
		bw_put(w, 2, 2);
		bw_put(w, z, 7);
	} else if (z < (1u << 12)) {
		bw_put(w, 6, 3);
		bw_put(w, z, 12);
	} else if (z < (1u << 20)) {
		bw_put(w, 14, 4);
		bw_put(w, z, 20);
	} else {
		bw_put(w, 15, 4);
		put_var(w, z);
	}
}

static uint64_t
get_dod(struct br *r)
{
	if (br_get(r, 1) == 0)
		return 0;
	if (br_get(r, 1) == 0)
		return br_get(r, 7);
	if (br_get(r, 1) == 0)
		return br_get(r, 12);
	if (br_get(r, 1) == 0)
		return br_get(r, 20);
	return get_var(r);
}

/* A column of m int64 (steps or timestamps): first, delta, then dods. */
static void
put_ints(struct bw *w, const struct cc_point *pt, size_t m, int is_ts)
{
	uint64_t	prev, d = 0, nd, x;
	size_t		i;

	prev = (uint64_t)(is_ts ? pt[0].ts : pt[0].step);
	put_var(w, zz(prev));
	for (i = 1; i < m; i++) {
		x = (uint64_t)(is_ts ? pt[i].ts : pt[i].step);
		nd = x - prev;
		if (i == 1)
			put_var(w, zz(nd));
		else
			put_dod(w, zz(nd - d));
		d = nd;
		prev = x;
	}
}

static void
get_ints(struct br *r, uint64_t *out, size_t m)
{
	uint64_t	d = 0;
	size_t		i;

	out[0] = unzz(get_var(r));
	for (i = 1; i < m; i++) {
		if (i == 1)
			d = unzz(get_var(r));
		else
			d += unzz(get_dod(r));
		out[i] = out[i - 1] + d;
	}
}

/* Values --------------------------------------------------------------- */

enum { VAL_XOR64, VAL_XOR32, VAL_DECIMAL };

static uint64_t
dbits(double v)
{
	uint64_t	b;

	memcpy(&b, &v, 8);
	return b;
}

static double
bitsd(uint64_t b)
{
	double	v;

	memcpy(&v, &b, 8);
	return v;
}

/*
 * Gorilla's XOR coding over words of wbits (64 or 32) bits: '0' same as
 * the previous, '10' meaningful bits inside the previous window, '11'
 * a new window (leading zeros, length - 1) and its bits.
 */
static void
put_xor(struct bw *w, const uint64_t *word, size_t m, unsigned wbits)
{
	unsigned	lbits = wbits == 64 ? 6 : 5, lead, trail, len;
	unsigned	plead = 0, ptrail = 0;
	uint64_t	x;
	size_t		i;
	int		win = 0;

	bw_put(w, word[0], wbits);
	for (i = 1; i < m; i++) {
		x = word[i] ^ word[i - 1];
		if (x == 0) {
			bw_put(w, 0, 1);
			continue;
		}
		lead = (unsigned)__builtin_clzll(x) - (64 - wbits);
		trail = (unsigned)__builtin_ctzll(x);
		if (win && lead >= plead && trail >= ptrail) {
			bw_put(w, 2, 2);
			bw_put(w, x >> ptrail, wbits - plead - ptrail);
			continue;
		}
		len = wbits - lead - trail;
		bw_put(w, 3, 2);
		bw_put(w, lead, lbits);
		bw_put(w, len - 1, lbits);
		bw_put(w, x >> trail, len);
		plead = lead;
		ptrail = trail;
		win = 1;
	}
}

static void
get_xor(struct br *r, uint64_t *word, size_t m, unsigned wbits)
{
	unsigned	lbits = wbits == 64 ? 6 : 5, lead, len;
	unsigned	plead = 0, ptrail = 0;
	size_t		i;
	int		win = 0;

	word[0] = br_get(r, wbits);
	for (i = 1; i < m; i++) {
		if (br_get(r, 1) == 0) {
			word[i] = word[i - 1];
			continue;
		}
		if (br_get(r, 1) == 0) {
			if (!win) {
				r->bad = 1;
				return;
			}
			word[i] = word[i - 1] ^ (br_get(r, wbits - plead -
			    ptrail) << ptrail);
			continue;
		}
		lead = (unsigned)br_get(r, lbits);
		len = (unsigned)br_get(r, lbits) + 1;
		if (lead + len > wbits) {
			r->bad = 1;
			return;
		}
		plead = lead;
		ptrail = wbits - lead - len;
		win = 1;
		word[i] = word[i - 1] ^ (br_get(r, len) << ptrail);
	}
}

/* Powers of ten that are exact doubles. */
#define DEC_MAXE 22
static const double p10[DEC_MAXE + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* Whether v == d / 10^e bit for bit for an int64 d, and which. */
static int
dec_fits(double v, unsigned e, int64_t *d)
{
	double	s = v * p10[e];
	int64_t	k;

	if (!(fabs(s) < 9.0e18))
		return 0;	/* also NaN and +-inf */
	k = (int64_t)llrint(s);
	if (dbits((double)k / p10[e]) != dbits(v))
		return 0;	/* also -0.0 */
	*d = k;
	return 1;
}

/* The decimal coding of a block, worked out before it is written. */
struct dec {
	unsigned	 e;
	unsigned	 nexc;
	unsigned char	 exc[CC_BLOCK];		/* 1: stored raw */
	int64_t		 d[CC_BLOCK];
	int		 use_for;		/* frame of reference, not delta */
	uint64_t	 base;
	unsigned	 w;
	size_t		 bits;
};

/* Plan the decimal coding of v[0..m); 0 if it does not apply. */
static int
dec_plan(const double *v, size_t m, struct dec *p)
{
	int64_t		d, lo = 0, fill = 0;
	uint64_t	maxdz = 0, maxfor = 0;
	unsigned	e, best = 0;
	size_t		i, k, nfit = 0, first = m;

	/* The exponent: the largest any of 8 sampled values needs. */
	for (k = 0; k < 8 && k < m; k++) {
		i = k * m / (m < 8 ? m : 8);
		for (e = 0; e <= DEC_MAXE && !dec_fits(v[i], e, &d); e++)
			;
		if (e <= DEC_MAXE) {
			nfit++;
			if (e > best)
				best = e;
		}
	}
	if (nfit == 0)
		return 0;
	p->e = best;
	p->nexc = 0;
	for (i = 0; i < m; i++) {
		p->exc[i] = !dec_fits(v[i], best, &p->d[i]);
		if (p->exc[i])
			p->nexc++;
		else if (first == m)
			first = i;
	}
	if (first == m)
		return 0;
	/* Exceptions take a neighbour's integer so they cost no width. */
	fill = p->d[first];
	for (i = 0; i < m; i++) {
		if (p->exc[i])
			p->d[i] = fill;
		fill = p->d[i];
	}
	lo = p->d[0];
	for (i = 0; i < m; i++) {
		if (p->d[i] < lo)
			lo = p->d[i];
		if (i > 0 && zz((uint64_t)p->d[i] - (uint64_t)p->d[i - 1]) >
		    maxdz)
			maxdz = zz((uint64_t)p->d[i] - (uint64_t)p->d[i - 1]);
	}
	for (i = 0; i < m; i++)
		if ((uint64_t)p->d[i] - (uint64_t)lo > maxfor)
			maxfor = (uint64_t)p->d[i] - (uint64_t)lo;
	/* Noisy curves pack better around their minimum, trends as deltas. */
	if (width(maxfor) * m < width(maxdz) * (m - 1)) {
		p->use_for = 1;
		p->base = zz((uint64_t)lo);
		p->w = width(maxfor);
		p->bits = p->w * m;
	} else {
		p->use_for = 0;
		p->base = zz((uint64_t)p->d[0]);
		p->w = width(maxdz);
		p->bits = p->w * (m - 1);
	}
	p->bits += 5 + 7 + 70 * p->nexc + 1 + 7 + width(p->base) + 7;
	return 1;
}

static void
put_dec(struct bw *w, const double *v, size_t m, const struct dec *p)
{
	uint64_t	lo = unzz(p->base);
	size_t		i;

	bw_put(w, p->e, 5);
	bw_put(w, p->nexc, 7);
	for (i = 0; i < m; i++) {
		if (p->exc[i]) {
			bw_put(w, i, 6);
			bw_put(w, dbits(v[i]), 64);
		}
	}
	bw_put(w, (uint64_t)p->use_for, 1);
	put_var(w, p->base);
	bw_put(w, p->w, 7);
	for (i = 0; i < m; i++) {
		if (p->use_for)
			bw_put(w, (uint64_t)p->d[i] - lo, p->w);
		else if (i > 0)
			bw_put(w, zz((uint64_t)p->d[i] -
			    (uint64_t)p->d[i - 1]), p->w);
	}
}

static void
get_dec(struct br *r, double *v, size_t m)
{
	unsigned	e, nexc, pos[CC_BLOCK], w, i;
	uint64_t	raw[CC_BLOCK], base, d;
	int		use_for;

	e = (unsigned)br_get(r, 5);
	nexc = (unsigned)br_get(r, 7);
	if (e > DEC_MAXE || nexc > m) {
		r->bad = 1;
		return;
	}
	for (i = 0; i < nexc; i++) {
		pos[i] = (unsigned)br_get(r, 6);
		raw[i] = br_get(r, 64);
		if (pos[i] >= m)
			r->bad = 1;
	}
	use_for = (int)br_get(r, 1);
	base = unzz(get_var(r));
	w = (unsigned)br_get(r, 7);
	if (w > 64 || r->bad) {
		r->bad = 1;
		return;
	}
	d = base;
	for (i = 0; i < m; i++) {
		if (use_for)
			d = base + br_get(r, w);
		else if (i > 0)
			d += unzz(br_get(r, w));
		v[i] = (double)(int64_t)d / p10[e];
	}
	for (i = 0; i < nexc; i++)
		v[pos[i]] = bitsd(raw[i]);
}

/* Whether every value is a float32 widened (bit for bit). */
static int
all_float(const double *v, uint64_t *word, size_t m)
{
	float		f;
	uint32_t	u;
	size_t		i;

	for (i = 0; i < m; i++) {
		/* Finite values beyond float's range: undefined, so no. */
		if (isfinite(v[i]) && !(fabs(v[i]) <= FLT_MAX))
			return 0;
		f = (float)v[i];
		if (dbits((double)f) != dbits(v[i]))
			return 0;
		memcpy(&u, &f, 4);
		word[i] = u;
	}
	return 1;
}

static void
put_values(struct bw *w, const struct cc_point *pt, size_t m)
{
	double		v[CC_BLOCK];
	uint64_t	w64[CC_BLOCK], w32[CC_BLOCK];
	struct bw	cnt;
	struct dec	dec;
	size_t		i, best_bits;
	int		best = VAL_XOR64, has32, hasdec;

	for (i = 0; i < m; i++) {
		v[i] = pt[i].value;
		w64[i] = dbits(v[i]);
	}
	memset(&cnt, 0, sizeof cnt);
	put_xor(&cnt, w64, m, 64);
	best_bits = cnt.nbits;
	if ((has32 = all_float(v, w32, m))) {
		memset(&cnt, 0, sizeof cnt);
		put_xor(&cnt, w32, m, 32);
		if (cnt.nbits < best_bits) {
			best_bits = cnt.nbits;
			best = VAL_XOR32;
		}
	}
	if ((hasdec = dec_plan(v, m, &dec)) && dec.bits < best_bits)
		best = VAL_DECIMAL;
	bw_put(w, (uint64_t)best, 2);
	if (best == VAL_XOR64)
		put_xor(w, w64, m, 64);
	else if (best == VAL_XOR32)
		put_xor(w, w32, m, 32);
	else
		put_dec(w, v, m, &dec);
}

static void
get_values(struct br *r, double *v, size_t m)
{
	uint64_t	word[CC_BLOCK];
	uint32_t	u;
	float		f;
	size_t		i;

	switch (br_get(r, 2)) {
	case VAL_XOR64:
		get_xor(r, word, m, 64);
		for (i = 0; i < m; i++)
			v[i] = bitsd(word[i]);
		break;
	case VAL_XOR32:
		get_xor(r, word, m, 32);
		for (i = 0; i < m; i++) {
			u = (uint32_t)word[i];
			memcpy(&f, &u, 4);
			v[i] = (double)f;
		}
		break;
	case VAL_DECIMAL:
		get_dec(r, v, m);
		break;
	default:
		r->bad = 1;
	}
}

/* Chunks --------------------------------------------------------------- */

static size_t
nblocks(size_t n)
{
	return (n + CC_BLOCK - 1) / CC_BLOCK;
}

size_t
cc_header_len(size_t n)
{
	return 1 + 2 * nblocks(n);
}

/*
 * Per point at most 75 bits of step, 75 of timestamp and 78 of value;
 * per block under 40 bytes of firsts and headers; one pad byte.
 */
size_t
cc_bound(size_t n)
{
	return cc_header_len(n) + (n * 228 + 7) / 8 + nblocks(n) * 40 + 1;
}

static void
put_block(struct bw *w, const struct cc_point *pt, size_t m)
{
	put_ints(w, pt, m, 0);
	put_ints(w, pt, m, 1);
	put_values(w, pt, m);
	bw_finish(w);
}

size_t
cc_encode(unsigned char *out, const struct cc_point *pt, size_t n)
{
	struct bw	w;
	size_t		hl = cc_header_len(n), k, m;

	memset(&w, 0, sizeof w);
	w.p = out;
	w.len = hl;
	out[0] = CC_MAGIC;
	for (k = 0; k * CC_BLOCK < n; k++) {
		m = n - k * CC_BLOCK < CC_BLOCK ? n - k * CC_BLOCK : CC_BLOCK;
		put_block(&w, pt + k * CC_BLOCK, m);
		out[1 + 2 * k] = (unsigned char)(w.len & 0xff);
		out[2 + 2 * k] = (unsigned char)(w.len >> 8);
	}
	/* 24 * n bytes would read as format 0. */
	if (w.len == 24 * n)
		out[w.len++] = 0;
	return w.len;
}

int
cc_is_raw(size_t len, size_t n)
{
	return len == 24 * n;
}

int
cc_block_span(const unsigned char *hdr, size_t len, size_t n, size_t k,
    size_t *off, size_t *blen)
{
	size_t	hl = cc_header_len(n), start, end;

	if (n == 0 || n > CC_MAX_POINTS || k >= nblocks(n) || len < hl ||
	    hdr[0] != CC_MAGIC)
		return -1;
	start = k == 0 ? hl : (size_t)hdr[2 * k - 1] | (size_t)hdr[2 * k] << 8;
	end = (size_t)hdr[1 + 2 * k] | (size_t)hdr[2 + 2 * k] << 8;
	if (start < hl || start > end || end > len)
		return -1;
	*off = start;
	*blen = end - start;
	return 0;
}

int
cc_decode_block(const unsigned char *b, size_t len, size_t m, int64_t *step,
    int64_t *ts, double *value)
{
	struct br	r;
	uint64_t	s[CC_BLOCK], t[CC_BLOCK];
	double		v[CC_BLOCK];
	size_t		i;

	if (m == 0 || m > CC_BLOCK)
		return -1;
	memset(&r, 0, sizeof r);
	r.p = b;
	r.len = len;
	get_ints(&r, s, m);
	get_ints(&r, t, m);
	get_values(&r, v, m);
	if (r.bad)
		return -1;
	for (i = 0; i < m; i++) {
		if (step != NULL)
			step[i] = (int64_t)s[i];
		if (ts != NULL)
			ts[i] = (int64_t)t[i];
	}
	if (value != NULL)
		memcpy(value, v, m * sizeof *v);
	return 0;
}

static int
decode_raw(const unsigned char *b, size_t n, int64_t *step, int64_t *ts,
    double *value)
{
	uint64_t	x;
	size_t		i;
	int		j;

	for (i = 0; i < n; i++, b += 24) {
		/* Little-endian fields, whatever the host. */
		for (x = 0, j = 7; j >= 0; j--)
			x = (x << 8) | b[j];
		if (step != NULL)
			step[i] = (int64_t)x;
		for (x = 0, j = 15; j >= 8; j--)
			x = (x << 8) | b[j];
		if (ts != NULL)
			ts[i] = (int64_t)x;
		for (x = 0, j = 23; j >= 16; j--)
			x = (x << 8) | b[j];
		if (value != NULL)
			value[i] = bitsd(x);
	}
	return 0;
}

int
cc_decode(const unsigned char *b, size_t len, size_t n, int64_t *step,
    int64_t *ts, double *value)
{
	size_t	k, off, blen, m;

	if (cc_is_raw(len, n))
		return decode_raw(b, n, step, ts, value);
	for (k = 0; k < nblocks(n); k++) {
		m = n - k * CC_BLOCK < CC_BLOCK ? n - k * CC_BLOCK : CC_BLOCK;
		if (cc_block_span(b, len, n, k, &off, &blen) != 0 ||
		    cc_decode_block(b + off, blen, m,
		    step ? step + k * CC_BLOCK : NULL,
		    ts ? ts + k * CC_BLOCK : NULL,
		    value ? value + k * CC_BLOCK : NULL) != 0)
			return -1;
	}
	return n == 0 ? -1 : 0;
}
