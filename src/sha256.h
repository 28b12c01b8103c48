/*
 * sha256: FIPS 180-4 SHA-256, for content hashes of imported files and
 * model artifacts (so no crypto library is needed).
 */
#ifndef WB_SHA256_H
#define WB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct wb_err;

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;		/* bytes so far */
	unsigned char	buf[64];
	size_t		nbuf;
};

void	sha256_init(struct sha256 *c);
void	sha256_update(struct sha256 *c, const void *data, size_t len);
/* Finish and write 64 hex digits and a NUL into hex. */
void	sha256_hex(struct sha256 *c, char hex[65]);
/* Hash a whole file; WB_EIO with the file name on failure. */
int	sha256_file(const char *path, char hex[65], int64_t *size,
	    struct wb_err *err);

#endif
