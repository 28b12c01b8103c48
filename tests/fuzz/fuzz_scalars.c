/*
 * libFuzzer target: output-scalar capture on a job's raw output.  The
 * first line of the input, when it starts with "P:", is a pattern added
 * to the defaults ("K:KEY:" before it gives it a fixed key); the rest is
 * output, fed in pieces whose sizes come from the input's first byte,
 * as a pipe would deliver it.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "scalars.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
sink(void *arg, const char *key, int64_t step, double value)
{
	size_t	*n = arg;

	(void)step;
	(void)value;
	*n += strlen(key) > 0;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scalars	*s;
	struct wb_err	 err;
	const char	*p = (const char *)data, *nl, *key = NULL;
	char		 pat[512], k[64];
	size_t		 n = 0, piece, off, len;

	if (scalars_new(&s, &err) != WB_OK)
		return 0;
	scalars_add_default(s, &err);
	if (size > 2 && memcmp(p, "K:", 2) == 0 &&
	    (nl = memchr(p + 2, ':', size - 2)) != NULL &&
	    (size_t)(nl - p - 2) < sizeof k) {
		memcpy(k, p + 2, (size_t)(nl - p - 2));
		k[nl - p - 2] = '\0';
		key = k;
		size -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	if (size > 2 && memcmp(p, "P:", 2) == 0 &&
	    (nl = memchr(p, '\n', size)) != NULL &&
	    (size_t)(nl - p - 2) < sizeof pat) {
		memcpy(pat, p + 2, (size_t)(nl - p - 2));
		pat[nl - p - 2] = '\0';
		(void)scalars_add(s, key, pat, &err);
		size -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	piece = size > 0 ? (unsigned char)p[0] % 64 + 1 : 1;
	for (off = 0; off < size; off += len) {
		len = size - off < piece ? size - off : piece;
		scalars_feed(s, p + off, len, sink, &n);
	}
	scalars_finish(s, sink, &n);
	scalars_free(s);
	return 0;
}
