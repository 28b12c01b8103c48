/*
 * xmem: allocation for the UI and the command line that cannot fail: on
 * failure ui_fatal() restores the terminal (if the UI has it), says why
 * and exits.  The library (src/) never uses these: it returns WB_ENOMEM.
 */
#ifndef MLWB_XMEM_H
#define MLWB_XMEM_H

#include <stddef.h>

void	*xmalloc(size_t size);
void	*xcalloc(size_t n, size_t size);
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *s);
/* A new string formatted as printf would, of any length. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Restore the terminal (run the hook), print "mlwb: message" on stderr
 * and exit with status 1.
 */
void	 ui_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2),
	    noreturn));
/*
 * What ui_fatal() runs first: the UI sets it to give the terminal back
 * (leave curses mode) while a screen is up, and clears it after.
 */
void	 xmem_set_fatal_hook(void (*hook)(void));

#endif
