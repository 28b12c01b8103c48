/*
 * chunk_codec: the byte format of a chunk of metric points (the BLOB in
 * metric_chunks.points), with no database in sight: the SQLite store and
 * any other store call the same functions.  doc/workspace.md describes
 * the format; in short:
 *
 *   format 0 (raw): n records of int64 step, int64 ts, float64 value,
 *     little-endian, 24 bytes each.  Written by mlwb up to schema 1 and
 *     still read; a blob of exactly 24 * n bytes is always format 0.
 *   format 1 (compressed): a magic byte, then per block of CC_BLOCK
 *     points the 16-bit offset of its end, then the blocks.  Each block
 *     is decodable on its own (charts read single blocks): steps and
 *     timestamps delta-of-delta, values in the smallest of three codings
 *     (XOR of doubles, XOR of floats, decimal integers).  The encoder
 *     never makes a format-1 blob of exactly 24 * n bytes.
 *
 * Every double comes back bit for bit (NaN payloads, -0.0, +-inf).
 */
#ifndef WB_CHUNK_CODEC_H
#define WB_CHUNK_CODEC_H

#include <stddef.h>
#include <stdint.h>

#define CC_BLOCK	64	/* points per independently decodable block */
#define CC_MAX_POINTS	1024	/* points per chunk */
#define CC_MAX_BLOCKS	(CC_MAX_POINTS / CC_BLOCK)
#define CC_MAGIC	0xC1	/* first byte of a format-1 blob */

struct cc_point {
	int64_t	step;
	int64_t	ts;
	double	value;
};

/* Room that cc_encode may need for n points (n <= CC_MAX_POINTS). */
size_t	 cc_bound(size_t n);

/*
 * Encode pt[0..n) (1 <= n <= CC_MAX_POINTS) into out, which has room for
 * cc_bound(n) bytes, in format 1.  Returns the length written.
 */
size_t	 cc_encode(unsigned char *out, const struct cc_point *pt, size_t n);

/* Whether a blob of len bytes holding n points is in format 0. */
int	 cc_is_raw(size_t len, size_t n);

/*
 * Decode a whole chunk blob of either format holding n points into
 * step/ts/value (room for n each; any may be NULL).  Returns 0, or -1
 * when the blob is not a valid chunk of n points (nothing is promised
 * about the outputs then).  Safe on arbitrary bytes.
 */
int	 cc_decode(const unsigned char *b, size_t len, size_t n,
	    int64_t *step, int64_t *ts, double *value);

/*
 * For reading one block without the rest of a format-1 blob: the first
 * cc_header_len(n) bytes locate the blocks; cc_block_span gives block k's
 * offset and length in a blob of len bytes (-1 if the header is bad), and
 * cc_decode_block decodes those bytes into its m points.
 */
size_t	 cc_header_len(size_t n);
int	 cc_block_span(const unsigned char *hdr, size_t len, size_t n,
	    size_t k, size_t *off, size_t *blen);
int	 cc_decode_block(const unsigned char *b, size_t len, size_t m,
	    int64_t *step, int64_t *ts, double *value);

#endif
