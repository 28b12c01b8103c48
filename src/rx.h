/*
 * rx: regular expressions over pcre2, the only user of <pcre2.h>.
 * Patterns are compiled with UTF mode off (bytes), JIT when the library
 * has it, and every match runs under match and depth limits so that a
 * hostile pattern cannot hang the program.
 */
#ifndef WB_RX_H
#define WB_RX_H

#include <stddef.h>

struct wb_err;
struct rx;

/*
 * Compile pattern.  On a bad pattern returns WB_EPARSE with a message
 * "OFFSET: reason" (OFFSET is the 0-based byte offset pcre2 reports) and
 * sets *erroff; *out is the caller's to free with rx_free.
 */
int	 rx_compile(const char *pattern, struct rx **out, size_t *erroff,
	    struct wb_err *err);
/*
 * 1 if subject (len bytes) matches, 0 if not, -1 when a limit was hit or
 * memory ran out (treated as no match by callers that filter).
 */
int	 rx_match(struct rx *rx, const char *subject, size_t len);
/* NULL is a no-op. */
void	 rx_free(struct rx *rx);

/*
 * Capture groups (added by the launch area for output-scalar capture).
 * rx_ngroups: the number of capture groups.  rx_group_number: the number
 * of the group called name, or -1 if there is none.  rx_match_from:
 * rx_match starting at byte offset start.  rx_group: after a match that
 * returned 1, the byte offsets of group i (0 = the whole match); 0, or -1
 * when the group took no part in the match.
 */
int	 rx_ngroups(const struct rx *rx);
int	 rx_group_number(const struct rx *rx, const char *name);
int	 rx_match_from(struct rx *rx, const char *subject, size_t len,
	    size_t start);
int	 rx_group(const struct rx *rx, int i, size_t *so, size_t *eo);

#endif
