/*
 * libFuzzer target: bytes as a TensorBoard event file through tfe_read.
 * Random bytes rarely pass the CRC checks, so an input starting with 'F'
 * is instead a list of records (a length byte, then that many payload
 * bytes) that the target frames with correct CRCs, to reach the
 * protobuf reader; its last byte cuts the file short, as a running
 * writer does.  Any crash, leak or sanitizer report is a bug; errors are
 * fine, but every error must name the record.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tfevents.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
on_scalar(void *ctx, const char *tag, int64_t step, double wall, double v,
    struct wb_err *err)
{
	(void)ctx;
	(void)step;
	(void)wall;
	(void)v;
	(void)err;
	if (strlen(tag) == 0)
		__builtin_trap();	/* no untagged scalars */
	return WB_OK;
}

static int
on_hparam(void *ctx, const char *key, const char *value, struct wb_err *err)
{
	(void)ctx;
	(void)err;
	if (strlen(key) == 0 || strlen(value) > 1023)
		__builtin_trap();
	return WB_OK;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
check(const unsigned char *buf, size_t len)
{
	struct tfe_cb	 cb = { on_scalar, on_hparam, NULL };
	struct tfe_tags	*tags = tfe_tags_new();
	struct wb_err	 err;
	size_t		 used = 0;

	if (tags == NULL)
		return;
	if (tfe_read(buf, len, "f", tags, &cb, &used, &err) != WB_OK &&
	    strstr(err.msg, "record ") == NULL)
		__builtin_trap();	/* an error names its record */
	if (used > len)
		__builtin_trap();
	tfe_tags_free(tags);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char	*buf;
	size_t		 i, n, off = 0, cut;

	if (size == 0 || data[0] != 'F') {
		check(data, size);
		return 0;
	}
	if ((buf = malloc(size * 17 + 16)) == NULL)
		return 0;
	for (i = 1; i < size; i += 1 + n) {
		n = data[i];
		if (n > size - i - 1)
			n = size - i - 1;
		memset(buf + off, 0, 8);
		buf[off] = (unsigned char)n;
		put32(buf + off + 8, tfe_mask(tfe_crc32c(buf + off, 8)));
		memcpy(buf + off + 12, data + i + 1, n);
		put32(buf + off + 12 + n, tfe_mask(tfe_crc32c(data + i + 1,
		    n)));
		off += 16 + n;
	}
	cut = data[size - 1] % 8;
	check(buf, off > cut ? off - cut : off);
	free(buf);
	return 0;
}
