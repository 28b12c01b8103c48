/*
 * sha256: SHA-256 through OpenSSL's EVP digest interface.  It replaced a
 * hand-written FIPS 180-4 implementation: libcrypto's uses the SHA-NI /
 * ARMv8 SHA instructions, 3-4x the speed on hardware that has them, and
 * is maintained by people whose job it is.
 */
#include "config.h"

#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "err.h"

void
sha256_init(struct sha256 *c)
{
	EVP_MD_CTX	*ctx;

	memset(c, 0, sizeof *c);
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		c->failed = 1;
		return;
	}
	c->ctx = ctx;
}

void
sha256_update(struct sha256 *c, const void *data, size_t len)
{
	if (c->ctx == NULL || len == 0)
		return;
	if (EVP_DigestUpdate(c->ctx, data, len) != 1)
		c->failed = 1;
	c->len += len;
}

void
sha256_free(struct sha256 *c)
{
	EVP_MD_CTX_free(c->ctx);
	c->ctx = NULL;
}

int
sha256_hex(struct sha256 *c, char hex[65])
{
	static const char	 digits[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0;
	size_t			 i;

	hex[0] = '\0';
	if (c->ctx == NULL || c->failed ||
	    EVP_DigestFinal_ex(c->ctx, md, &mdlen) != 1 || mdlen != 32) {
		sha256_free(c);
		return WB_ENOMEM;
	}
	sha256_free(c);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
	return WB_OK;
}

int
sha256_file(const char *path, char hex[65], int64_t *size, struct wb_err *err)
{
	struct sha256	c;
	unsigned char	buf[256 * 1024];
	ssize_t		n;
	int		fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	/* Read ahead: the hash is faster than a cold disk. */
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	sha256_init(&c);
	while ((n = read(fd, buf, sizeof buf)) > 0 ||
	    (n == -1 && errno == EINTR))
		if (n > 0)
			sha256_update(&c, buf, (size_t)n);
	if (n == -1) {
		n = errno;
		close(fd);
		sha256_free(&c);
		return wb_err_set(err, WB_EIO, "%s: %s", path,
		    strerror((int)n));
	}
	close(fd);
	if (size != NULL)
		*size = (int64_t)c.len;
	if (sha256_hex(&c, hex) != WB_OK)
		return wb_err_set(err, WB_ENOMEM, "%s: cannot hash (libcrypto"
		    " failed)", path);
	return WB_OK;
}
