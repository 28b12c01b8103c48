/*
 * mem: the library's allocator.  Every allocation in src/ goes through
 * wb_malloc and friends so that tests can fail the Nth allocation
 * (wb_mem_fail_after) and check that each error path returns WB_ENOMEM and
 * leaks nothing, as sqlite's fault-injection tests do.
 */
#ifndef WB_MEM_H
#define WB_MEM_H

#include <stddef.h>

/* malloc/calloc/realloc/strdup that return NULL on failure (or injection). */
void	*wb_malloc(size_t size);
void	*wb_calloc(size_t n, size_t size);
void	*wb_realloc(void *ptr, size_t size);
/* realloc of n * size with an overflow check. */
void	*wb_reallocarray(void *ptr, size_t n, size_t size);
char	*wb_strdup(const char *s);
char	*wb_strndup(const char *s, size_t len);
void	 wb_free(void *ptr);

/*
 * Make the allocation after n more succeed... fail: n = 0 fails the next
 * one, n < 0 turns injection off.  For tests only.
 */
void	 wb_mem_fail_after(long n);

#endif
