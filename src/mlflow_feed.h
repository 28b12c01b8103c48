/*
 * mlflow_feed: the runs an MLflow reader finds, handed to the writer
 * (db_mlflow.h) from another thread, so that reading the source and
 * writing the workspace overlap.
 *
 * The reader calls feed_run, feed_tag ... in the order it would call
 * mlfw_run, mlfw_tag ...; the writer thread makes those calls, in that
 * order, with the same arguments.  Without a thread (feed_drive could not
 * start one) the reader's thread makes each call as soon as it is fed.
 */
#ifndef WB_MLFLOW_FEED_H
#define WB_MLFLOW_FEED_H

#include <stdint.h>

struct feed;
struct mlfw;
struct mlfw_run;
struct wb_err;

/*
 * What the reader thread runs: reads and feeds f.  A feed_* call that
 * fails (out of memory, or the writer failed and the feed was stopped)
 * sets err; the reader returns what it returned.
 */
typedef int feed_reader_fn(void *arg, struct feed *f, struct wb_err *err);

/*
 * Run read(arg, f, err) in a thread while this one makes the calls it
 * feeds to w.  Returns the first error in the order of the calls: a
 * writer's failure stops the reader; a reader's failure is returned once
 * every call it fed before failing has been made.
 */
int	 feed_drive(struct mlfw *w, feed_reader_fn *read, void *arg,
	    struct wb_err *err);

/* As mlfw_runs_ahead, mlfw_run ... (db_mlflow.h); strings are copied. */
int	 feed_runs_ahead(struct feed *f, int64_t n, struct wb_err *err);
int	 feed_run(struct feed *f, const struct mlfw_run *r, int64_t exp_id,
	    struct wb_err *err);
int	 feed_tag(struct feed *f, const char *key, const char *value,
	    struct wb_err *err);
int	 feed_param(struct feed *f, const char *key, const char *value,
	    struct wb_err *err);
int	 feed_point(struct feed *f, const char *key, int64_t step, int64_t ts,
	    double value, struct wb_err *err);
int	 feed_run_end(struct feed *f, struct wb_err *err);
int	 feed_skip(struct feed *f, struct wb_err *err);

#endif
