/*
 * progress: how the library tells its caller how far a long job is (an
 * import of a big file, a merge).  The library never prints: it calls the
 * hook, and the command line draws one line on stderr from it (ui/
 * progress_line.c).  A NULL hook, or one whose fn is NULL, is no progress.
 */
#ifndef WB_PROGRESS_H
#define WB_PROGRESS_H

#include <stdint.h>

struct wb_progress {
	/*
	 * done of total units so far ("bytes", "runs", "checks", "files"); total 0
	 * when unknown.  Called often: the caller decides when to draw.
	 */
	void	(*fn)(void *arg, uint64_t done, uint64_t total,
		    const char *unit);
	void	 *arg;
};

static inline void
wb_progress_report(const struct wb_progress *p, uint64_t done,
    uint64_t total, const char *unit)
{
	if (p != NULL && p->fn != NULL)
		p->fn(p->arg, done, total, unit);
}

#endif
