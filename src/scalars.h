/*
 * scalars: output-scalar capture.  Turns a job's output, as it arrives in
 * arbitrary pieces, into (key, step, value) metric points: lines are cut
 * at '\n', a '\r' progress bar keeps only its last segment, ANSI escape
 * sequences are stripped, and then each pattern is matched (every match
 * in the line, through rx with its limits).
 *
 * Patterns (as in mlwb.yaml's output_scalars):
 *   - the default ones, Guild-like: `loss: 0.31`, `val_acc=0.91` anywhere
 *     in a line (several per line), and `epoch 3/10`;
 *   - a pattern with named groups key and value (and optionally step);
 *   - a fixed key with one value group (named value, or the first group).
 * Steps: a key named `step` or `epoch` sets the current step (`step`
 * itself is not recorded, `epoch` is); a step group sets it for that
 * match.  Until a step is set, each key's step counts up from 0.  Within
 * a line the first pattern that captures a key wins.
 */
#ifndef WB_SCALARS_H
#define WB_SCALARS_H

#include <stddef.h>
#include <stdint.h>

struct project;
struct wb_err;
struct scalars;

/* A captured point: key is borrowed for the callback only. */
typedef int (*scalars_fn)(void *arg, const char *key, int64_t step,
    double value);

/* An empty capture set; add patterns before feeding. */
int	 scalars_new(struct scalars **out, struct wb_err *err);
void	 scalars_free(struct scalars *s);
/* Add the default patterns. */
int	 scalars_add_default(struct scalars *s, struct wb_err *err);
/*
 * Add a pattern: key is the fixed metric name, or NULL for a pattern
 * with groups key and value.  WB_EPARSE "OFFSET: reason" or "the pattern
 * needs ..." when it cannot work.
 */
int	 scalars_add(struct scalars *s, const char *key, const char *pattern,
	    struct wb_err *err);
/* Add what project p says (its patterns, and the defaults if on). */
int	 scalars_add_project(struct scalars *s, const struct project *p,
	    struct wb_err *err);

/*
 * Feed len bytes of output.  fn is called for each point of each line
 * completed; a non-zero return from fn stops and is returned.
 */
int	 scalars_feed(struct scalars *s, const char *buf, size_t len,
	    scalars_fn fn, void *arg);
/* End of output: capture the last line if it had no newline. */
int	 scalars_finish(struct scalars *s, scalars_fn fn, void *arg);

/*
 * One line (no '\n') made ready for matching, as scalars_feed does:
 * keeps the text after the last '\r' and drops ANSI escape sequences.
 * Writes into out (at most len bytes) and returns its length.
 */
size_t	 scalars_clean(const char *line, size_t len, char *out);

#endif
