/*
 * strbuf: a growable byte string.  Functions take a struct strbuf * so no
 * pointer moves under the caller.  The buffer is always NUL-terminated once
 * anything has been appended; sb.s may be NULL for an empty, untouched one
 * (use strbuf_str() to get "" instead).
 */
#ifndef WB_STRBUF_H
#define WB_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char	*s;
	size_t	 len;
	size_t	 cap;
	int	 oom;		/* set once an append failed; sticky */
};

#define STRBUF_INIT { NULL, 0, 0, 0 }

/* Append; return 0, or -1 (and set sb->oom) when memory ran out. */
int	 strbuf_add(struct strbuf *sb, const char *p, size_t len);
int	 strbuf_adds(struct strbuf *sb, const char *s);
int	 strbuf_addc(struct strbuf *sb, int c);
int	 strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	 strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Make room for len more bytes. */
int	 strbuf_grow(struct strbuf *sb, size_t len);
/* Empty the buffer, keeping its memory. */
void	 strbuf_reset(struct strbuf *sb);
/* The contents; "" when empty.  Borrowed until the next change. */
const char *strbuf_str(const struct strbuf *sb);
/* Take the contents (caller frees; never NULL unless out of memory). */
char	*strbuf_detach(struct strbuf *sb);
void	 strbuf_free(struct strbuf *sb);

#endif
