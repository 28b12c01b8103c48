/*
 * sha256: SHA-256 content hashes of imported files, data sets and model
 * artifacts, through OpenSSL libcrypto's EVP interface (which uses the
 * CPU's SHA instructions where there are any).  This module is the only
 * one that includes OpenSSL.
 */
#ifndef WB_SHA256_H
#define WB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct wb_err;

struct sha256 {
	void		*ctx;		/* EVP_MD_CTX; NULL once finished */
	uint64_t	 len;		/* bytes so far */
	int		 failed;	/* libcrypto failed: no digest */
};

/*
 * Start a hash.  It holds a libcrypto context until sha256_hex or
 * sha256_free: every sha256_init needs one of the two.
 */
void	sha256_init(struct sha256 *c);
void	sha256_update(struct sha256 *c, const void *data, size_t len);
/*
 * Finish and write 64 hex digits and a NUL into hex, and free the
 * context.  WB_ENOMEM (and hex "") if libcrypto failed at any step.
 */
int	sha256_hex(struct sha256 *c, char hex[65]);
/* Drop an unfinished hash.  Harmless after sha256_hex or twice. */
void	sha256_free(struct sha256 *c);
/* Hash a whole file; WB_EIO with the file name on failure. */
int	sha256_file(const char *path, char hex[65], int64_t *size,
	    struct wb_err *err);

#endif
