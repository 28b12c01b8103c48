/*
 * xmem: allocations that exit through ui_fatal(), and ui_fatal() itself,
 * which gives the terminal back before it prints, so that a fatal error
 * in the UI is not lost in a screen left in curses mode.
 */
#include "config.h"

#include "xmem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void	(*fatal_hook)(void);

void
xmem_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

void
ui_fatal(const char *fmt, ...)
{
	void	(*hook)(void) = fatal_hook;
	va_list	 ap;

	/* Once: a hook that fails itself must not loop back here. */
	fatal_hook = NULL;
	if (hook != NULL)
		hook();
	fputs("mlwb: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *
xmalloc(size_t size)
{
	void	*p = malloc(size ? size : 1);

	if (p == NULL)
		ui_fatal("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		ui_fatal("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		ui_fatal("out of memory");
	if ((p = realloc(p, n * size > 0 ? n * size : 1)) == NULL)
		ui_fatal("out of memory");
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		ui_fatal("cannot format a string");
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

char *
xstrdup(const char *s)
{
	char	*p = strdup(s);

	if (p == NULL)
		ui_fatal("out of memory");
	return p;
}
