/*
 * Unit tests of the chunk codec (src/chunk_codec.c): every double and
 * every int64 round-trips bit for bit, on edge values and random data; a
 * block decodes on its own; format 0 (raw records) still reads; damaged
 * blobs are refused, never read out of bounds; real-looking curves take
 * the few bytes per point the format promises.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk_codec.h"
#include "tap.h"

static struct cc_point	pt[CC_MAX_POINTS];
static unsigned char	buf[40000];
static int64_t		step[CC_MAX_POINTS], ts[CC_MAX_POINTS];
static double		val[CC_MAX_POINTS];

static uint64_t rng = 88172645463325252ULL;

static uint64_t
rnd(void)	/* xorshift64: the same numbers on every run */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double
bits2d(uint64_t b)
{
	double	v;

	memcpy(&v, &b, 8);
	return v;
}

static int
same_bits(double a, double b)
{
	return memcmp(&a, &b, 8) == 0;
}

/* Encode pt[0..n), decode, compare bit for bit; returns the length. */
static size_t
roundtrip(size_t n, const char *name)
{
	size_t	len, i, bad = n;

	len = cc_encode(buf, pt, n);
	if (!ok(len <= cc_bound(n) && !cc_is_raw(len, n),
	    "%s: %zu points in %zu bytes (bound %zu)", name, n, len,
	    cc_bound(n)))
		return len;
	memset(step, 0x5a, sizeof step);
	if (!ok(cc_decode(buf, len, n, step, ts, val) == 0, "%s: decodes",
	    name))
		return len;
	for (i = 0; i < n && bad == n; i++)
		if (step[i] != pt[i].step || ts[i] != pt[i].ts ||
		    !same_bits(val[i], pt[i].value))
			bad = i;
	if (!ok(bad == n, "%s: every point bit for bit", name))
		printf("#   point %zu: got %lld %lld %a, want %lld %lld %a\n",
		    bad, (long long)step[bad], (long long)ts[bad], val[bad],
		    (long long)pt[bad].step, (long long)pt[bad].ts,
		    pt[bad].value);
	return len;
}

static void
test_edges(void)
{
	static const uint64_t	special[] = {
		0x7ff8000000000000ULL,	/* NaN */
		0x7ff0000000000001ULL,	/* signalling NaN, payload 1 */
		0xfff8000000dead00ULL,	/* negative NaN with a payload */
		0x7ff4000000000000ULL,
		0x8000000000000000ULL,	/* -0.0 */
		0x0000000000000000ULL,
		0x7ff0000000000000ULL,	/* +inf */
		0xfff0000000000000ULL,	/* -inf */
		0x0000000000000001ULL,	/* smallest subnormal */
		0x800fffffffffffffULL,
		0x7fefffffffffffffULL,	/* DBL_MAX */
		0x3fb999999999999aULL,	/* 0.1 */
		0x47efffffe0000000ULL,	/* FLT_MAX as a double */
		0x47efffffe0000001ULL,	/* just above FLT_MAX */
		0x7fc00000ULL,		/* a float NaN's bits, as an int */
	};
	static const int64_t	ints[] = {
		INT64_MIN, INT64_MAX, 0, -1, 1, INT64_MIN + 1, INT64_MAX - 1,
		1793491200000LL, -1793491200000LL,
	};
	size_t	ns = sizeof special / sizeof special[0];
	size_t	ni = sizeof ints / sizeof ints[0];
	size_t	i, n;

	/* Each special value alone, then all of them mixed with decimals. */
	for (i = 0; i < ns; i++) {
		pt[0].step = 0;
		pt[0].ts = 0;
		pt[0].value = bits2d(special[i]);
		n = 1;
		roundtrip(n, "one special value");
	}
	for (i = 0; i < 200; i++) {
		pt[i].step = ints[i % ni];
		pt[i].ts = ints[(i * 7) % ni];
		pt[i].value = i % 3 ? bits2d(special[i % ns]) : i * 0.25;
	}
	roundtrip(200, "specials, extreme steps and times");
	/* Decimals with exceptions in the middle of a block. */
	for (i = 0; i < 64; i++) {
		pt[i].step = (int64_t)i;
		pt[i].ts = 0;
		pt[i].value = (double)(1000 - (int)i) / 1000;
	}
	pt[10].value = bits2d(special[0]);
	pt[11].value = -0.0;
	pt[40].value = bits2d(special[7]);
	pt[0].value = bits2d(special[1]);
	roundtrip(64, "decimals with NaN, -0.0, -inf exceptions");
	/* Every value an exception. */
	for (i = 0; i < 64; i++)
		pt[i].value = -0.0;
	roundtrip(64, "only -0.0");
	/* Steps that overflow when subtracted. */
	for (i = 0; i < 100; i++) {
		pt[i].step = i % 2 ? INT64_MAX : INT64_MIN;
		pt[i].ts = (int64_t)(rnd());
		pt[i].value = (double)i;
	}
	roundtrip(100, "alternating INT64_MIN/MAX steps, random times");
	/* Every chunk size up to two blocks and a bit. */
	for (n = 1; n <= 130; n++) {
		for (i = 0; i < n; i++) {
			pt[i].step = (int64_t)(i * 3);
			pt[i].ts = 1700000000000LL + (int64_t)i * 1000;
			pt[i].value = 1.0 / (double)(i + 1);
		}
		cc_encode(buf, pt, n);
	}
	roundtrip(130, "130 points (the last size tried)");
}

static void
test_random(void)
{
	size_t	n, i, r, fails = 0;
	char	name[64];

	for (r = 0; r < 200; r++) {
		n = 1 + rnd() % CC_MAX_POINTS;
		for (i = 0; i < n; i++) {
			switch (r % 5) {
			case 0:		/* any bits at all */
				pt[i].step = (int64_t)rnd();
				pt[i].ts = (int64_t)rnd();
				pt[i].value = bits2d(rnd());
				break;
			case 1:		/* float32 values */
				pt[i].step = (int64_t)i;
				pt[i].ts = 0;
				pt[i].value = (float)((double)(rnd() % 100000) /
				    7919.0);
				break;
			case 2:		/* short decimals, repeated steps */
				pt[i].step = (int64_t)(i / 3);
				pt[i].ts = 1700000000000LL + (int64_t)(rnd() %
				    5000);
				pt[i].value = (double)(int64_t)(rnd() % 2000000
				    - 1000000) / 1e4;
				break;
			case 3:		/* mixtures */
				pt[i].step = (int64_t)(rnd() % 3 == 0 ? rnd() :
				    i);
				pt[i].ts = (int64_t)i * 1000;
				pt[i].value = rnd() % 4 == 0 ? bits2d(rnd()) :
				    (double)(rnd() % 100) / 100;
				break;
			default:	/* doubles near one another */
				pt[i].step = (int64_t)i * 50;
				pt[i].ts = (int64_t)i;
				pt[i].value = 2.5 * exp(-(double)i / 300) +
				    (double)(rnd() % 1000) * 1e-7;
			}
		}
		snprintf(name, sizeof name, "random set %zu (kind %zu)", r,
		    r % 5);
		cc_encode(buf, pt, n);
		if (cc_decode(buf, cc_encode(buf, pt, n), n, step, ts, val)
		    != 0) {
			fails++;
			continue;
		}
		for (i = 0; i < n; i++)
			if (step[i] != pt[i].step || ts[i] != pt[i].ts ||
			    !same_bits(val[i], pt[i].value)) {
				fails++;
				break;
			}
	}
	is_int(fails, 0, "200 random chunks of 5 kinds round-trip");
}

static void
test_blocks(void)
{
	unsigned char	hdr[64];
	int64_t		s[CC_BLOCK], t[CC_BLOCK];
	double		v[CC_BLOCK];
	size_t		n = 1000, len, k, off, blen, m, i, bad = 0;

	for (i = 0; i < n; i++) {
		pt[i].step = (int64_t)i;
		pt[i].ts = 1700000000000LL + (int64_t)i * 2500;
		pt[i].value = (double)(int64_t)(5000 - i) / 1000;
	}
	len = cc_encode(buf, pt, n);
	is_int(cc_header_len(n), 1 + 2 * 16, "header: magic + 16 offsets");
	memcpy(hdr, buf, cc_header_len(n));
	for (k = 0; k < 16; k++) {
		m = k == 15 ? n - 15 * CC_BLOCK : CC_BLOCK;
		if (cc_block_span(hdr, len, n, k, &off, &blen) != 0 ||
		    cc_decode_block(buf + off, blen, m, s, t, v) != 0) {
			bad++;
			continue;
		}
		for (i = 0; i < m; i++)
			if (s[i] != pt[k * CC_BLOCK + i].step ||
			    t[i] != pt[k * CC_BLOCK + i].ts ||
			    !same_bits(v[i], pt[k * CC_BLOCK + i].value))
				bad++;
	}
	is_int(bad, 0, "each of 16 blocks decodes alone from the header");
	ok(cc_block_span(hdr, len, n, 16, &off, &blen) == -1,
	    "block 16 of a 1000-point chunk does not exist");
	ok(cc_decode(buf, len, n, NULL, NULL, val) == 0 && val[999] ==
	    pt[999].value, "values alone (NULL steps and times)");
}

static void
test_raw(void)
{
	unsigned char	raw[3 * 24];
	size_t		i;
	int		j;
	uint64_t	f[3][3] = {
		{ 5, 1700000000000ULL, 0x3ff8000000000000ULL },
		{ (uint64_t)-7, 0, 0xfff0000000000000ULL },
		{ 9, 1, 0x7ff0000000000abcULL },
	};

	for (i = 0; i < 3; i++)
		for (j = 0; j < 24; j++)
			raw[24 * i + (size_t)j] = (unsigned char)(f[i][j / 8] >>
			    (8 * (j % 8)));
	ok(cc_is_raw(sizeof raw, 3), "72 bytes for 3 points is format 0");
	ok(cc_decode(raw, sizeof raw, 3, step, ts, val) == 0 && step[0] == 5 &&
	    ts[0] == 1700000000000LL && val[0] == 1.5 && step[1] == -7 &&
	    isinf(val[1]) && val[1] < 0 && step[2] == 9 &&
	    same_bits(val[2], bits2d(0x7ff0000000000abcULL)),
	    "format 0 records decode (little-endian, NaN payload kept)");
}

static void
test_damage(void)
{
	size_t	n = 300, len, i, cut, refused = 0, flips = 0;

	for (i = 0; i < n; i++) {
		pt[i].step = (int64_t)i;
		pt[i].ts = 0;
		pt[i].value = (double)i * 0.5;
	}
	len = cc_encode(buf, pt, n);
	for (cut = 0; cut < len; cut++)
		if (cc_decode(buf, cut, n, step, ts, val) != 0)
			refused++;
	/* 24 * 300 is not below len, so no cut reads as format 0. */
	is_int(refused, len, "every truncation of a chunk is refused");
	ok(cc_decode(buf, len, n + 1, step, ts, val) != 0,
	    "a chunk read with the wrong point count is refused");
	buf[0] ^= 0xff;
	ok(cc_decode(buf, len, n, step, ts, val) != 0, "bad magic refused");
	buf[0] ^= 0xff;
	/* Flipped bits: decoding must end (and sanitizers stay quiet). */
	for (i = 0; i < len * 8; i += 7) {
		buf[i / 8] ^= (unsigned char)(1 << (i % 8));
		if (cc_decode(buf, len, n, step, ts, val) != 0)
			flips++;
		buf[i / 8] ^= (unsigned char)(1 << (i % 8));
	}
	ok(flips > 0, "flipped bits: %zu of %zu refused, none crashed", flips,
	    (len * 8 + 6) / 7);
}

static void
test_size(void)
{
	size_t	n = 1024, i, len;

	/* bench/compare's curve: %.6g of a decaying loss plus noise. */
	for (i = 0; i < n; i++) {
		char	s[32];

		snprintf(s, sizeof s, "%.6g", 2.5 * exp(-(double)i / 2000) +
		    (double)(rnd() % 50000) * 1e-6);
		pt[i].step = (int64_t)i;
		pt[i].ts = 0;
		pt[i].value = strtod(s, NULL);
	}
	len = roundtrip(n, "noisy 6-digit curve");
	ok(len * 100 / n <= 300, "noisy 6-digit curve: %.2f bytes per point"
	    " (at most 3)", (double)len / (double)n);
	/* Keras: float32 values printed in full, per epoch, times in ms. */
	for (i = 0; i < n; i++) {
		pt[i].step = (int64_t)i;
		pt[i].ts = 1700000000000LL + (int64_t)i * 61000 +
		    (int64_t)(rnd() % 900);
		pt[i].value = (float)(0.05 + 0.9 * exp(-(double)i / 300) +
		    (double)(rnd() % 1000) * 1e-5);
	}
	len = roundtrip(n, "float32 curve with wall times");
	ok(len * 100 / n <= 600, "float32 curve with wall times: %.2f bytes"
	    " per point (at most 6)", (double)len / (double)n);
	/* A constant learning rate: nearly nothing. */
	for (i = 0; i < n; i++) {
		pt[i].step = (int64_t)i;
		pt[i].ts = 0;
		pt[i].value = 0.001;
	}
	len = roundtrip(n, "constant");
	ok(len * 100 / n <= 60, "constant: %.2f bytes per point", (double)len /
	    (double)n);
}

int
main(void)
{
	test_edges();
	test_random();
	test_blocks();
	test_raw();
	test_damage();
	test_size();
	return tap_done();
}
