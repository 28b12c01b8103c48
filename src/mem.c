/*
 * mem: allocation wrappers with fault injection for tests.
 */
#include "config.h"

#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Atomic: an import's reader thread allocates too (mlflow_feed.c). */
static long fail_after = -1;

static int
inject(void)
{
	long	n = __atomic_load_n(&fail_after, __ATOMIC_RELAXED);

	for (;;) {
		if (n < 0)
			return 0;
		if (n == 0)
			return 1;
		if (__atomic_compare_exchange_n(&fail_after, &n, n - 1, 0,
		    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return 0;
	}
}

void
wb_mem_fail_after(long n)
{
	__atomic_store_n(&fail_after, n, __ATOMIC_RELAXED);
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
