/*
 * strbuf: growable strings for building messages, SQL and output.
 */
#include "config.h"

#include "strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"

int
strbuf_grow(struct strbuf *sb, size_t len)
{
	size_t	 need, cap;
	char	*p;

	if (sb->oom)
		return -1;
	/* len + 1 and the doubling below must not wrap around SIZE_MAX. */
	if (len > SIZE_MAX - 1 - sb->len) {
		sb->oom = 1;
		return -1;
	}
	need = sb->len + len + 1;
	if (need <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = wb_realloc(sb->s, cap)) == NULL) {
		sb->oom = 1;
		return -1;
	}
	sb->s = p;
	sb->cap = cap;
	return 0;
}

int
strbuf_add(struct strbuf *sb, const char *p, size_t len)
{
	if (strbuf_grow(sb, len) != 0)
		return -1;
	if (len)
		memcpy(sb->s + sb->len, p, len);
	sb->len += len;
	sb->s[sb->len] = '\0';
	return 0;
}

int
strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int
strbuf_addc(struct strbuf *sb, int c)
{
	char	ch = (char)c;

	return strbuf_add(sb, &ch, 1);
}

int
strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list	ap2;
	int	n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || strbuf_grow(sb, (size_t)n) != 0)
		return -1;
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return 0;
}

int
strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list	ap;
	int	rc;

	va_start(ap, fmt);
	rc = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return rc;
}

void
strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->s)
		sb->s[0] = '\0';
}

const char *
strbuf_str(const struct strbuf *sb)
{
	return sb->s ? sb->s : "";
}

char *
strbuf_detach(struct strbuf *sb)
{
	char	*s;

	if (sb->oom) {
		strbuf_free(sb);
		return NULL;
	}
	s = sb->s ? sb->s : wb_strdup("");
	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void
strbuf_free(struct strbuf *sb)
{
	wb_free(sb->s);
	sb->s = NULL;
	sb->len = sb->cap = 0;
	sb->oom = 0;
}
