/*
 * mem: allocation wrappers with fault injection for tests.
 */
#include "config.h"

#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long fail_after = -1;

static int
inject(void)
{
	if (fail_after < 0)
		return 0;
	if (fail_after == 0)
		return 1;
	fail_after--;
	return 0;
}

void
wb_mem_fail_after(long n)
{
	fail_after = n;
}

void *
wb_malloc(size_t size)
{
	if (inject())
		return NULL;
	return malloc(size == 0 ? 1 : size);
}

void *
wb_calloc(size_t n, size_t size)
{
	if (inject())
		return NULL;
	return calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
}

void *
wb_realloc(void *ptr, size_t size)
{
	if (inject())
		return NULL;
	return realloc(ptr, size == 0 ? 1 : size);
}

void *
wb_reallocarray(void *ptr, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return wb_realloc(ptr, n * size);
}

char *
wb_strdup(const char *s)
{
	return wb_strndup(s, strlen(s));
}

char *
wb_strndup(const char *s, size_t len)
{
	char	*p;

	if ((p = wb_malloc(len + 1)) == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
wb_free(void *ptr)
{
	free(ptr);
}
