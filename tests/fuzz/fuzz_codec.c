/*
 * libFuzzer target: the chunk codec (src/chunk_codec.c).  The bytes are
 * decoded as a chunk blob of every plausible point count, which must end
 * without reading out of bounds; then they are taken as points (24 bytes
 * each: step, ts, value bits), encoded, decoded and compared bit for bit
 * (a difference traps), and each block is decoded alone as charts do.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chunk_codec.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cc_point	pt[CC_MAX_POINTS];
static int64_t		step[CC_MAX_POINTS], ts[CC_MAX_POINTS];
static double		val[CC_MAX_POINTS];
static unsigned char	enc[40000];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	n, len, k, off, blen, m, i;

	/* Arbitrary bytes as a blob: the first byte picks n. */
	if (size > 0) {
		n = 1 + (size_t)data[0] * 4;
		(void)cc_decode(data + 1, size - 1, n, step, ts, val);
		(void)cc_decode(data + 1, size - 1, (size - 1) / 24, step, ts,
		    val);
		for (k = 0; k < CC_MAX_BLOCKS; k++)
			if (cc_block_span(data + 1, size - 1, n, k, &off,
			    &blen) == 0)
				(void)cc_decode_block(data + 1 + off, blen,
				    CC_BLOCK, step, ts, val);
	}
	/* The bytes as points: encode, decode, compare. */
	n = size / 24;
	if (n == 0)
		return 0;
	if (n > CC_MAX_POINTS)
		n = CC_MAX_POINTS;
	for (i = 0; i < n; i++) {
		memcpy(&pt[i].step, data + 24 * i, 8);
		memcpy(&pt[i].ts, data + 24 * i + 8, 8);
		memcpy(&pt[i].value, data + 24 * i + 16, 8);
	}
	len = cc_encode(enc, pt, n);
	if (len > cc_bound(n) || cc_is_raw(len, n) ||
	    cc_decode(enc, len, n, step, ts, val) != 0)
		abort();
	for (i = 0; i < n; i++)
		if (step[i] != pt[i].step || ts[i] != pt[i].ts ||
		    memcmp(&val[i], &pt[i].value, 8) != 0)
			abort();
	for (k = 0; k * CC_BLOCK < n; k++) {
		m = n - k * CC_BLOCK < CC_BLOCK ? n - k * CC_BLOCK : CC_BLOCK;
		if (cc_block_span(enc, len, n, k, &off, &blen) != 0 ||
		    cc_decode_block(enc + off, blen, m, step, ts, val) != 0)
			abort();
		for (i = 0; i < m; i++)
			if (memcmp(&val[i], &pt[k * CC_BLOCK + i].value, 8))
				abort();
	}
	return 0;
}
