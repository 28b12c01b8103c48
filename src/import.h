/*
 * import: training logs into the workspace.
 *
 * One file is one transaction: all of it or nothing.  The format is
 * detected from the header (and, for TensorBoard, the file name) unless
 * opts->format says it; see doc/formats.md for every format, its
 * detection rule and how its columns map onto runs, params, tags and
 * metric points.  The same content imported again (sha256 and format in
 * the imports ledger) adds nothing.
 */
#ifndef WB_IMPORT_H
#define WB_IMPORT_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;
struct wb_progress;

struct import_opts {
	const char	*experiment;	/* NULL: from the path */
	const char	*run;		/* NULL: from the path */
	const char	*format;	/* NULL or "auto": detect */
	const char	*step_col;	/* the step column of one-run logs */
	int		 dry_run;	/* parse everything, write nothing */
	const char	*logdir;	/* TensorBoard: runs are named by their
					   folder's path under this one */
	const struct wb_progress *progress;	/* NULL, or bytes of a CSV
						   log read so far */
};

struct import_result {
	char		 format[32];
	char		 experiment[128];
	char		 run[128];	/* single-run files */
	int		 already;	/* same content imported before */
	int64_t		 runs;
	int64_t		 metrics;	/* distinct metric keys */
	int64_t		 points;
	int64_t		 params;
	/* Values kept by a documented rule (doc/formats.md), to be said: */
	int64_t		 overflow;	/* beyond +-1.8e308: kept as +-inf */
	int64_t		 underflow;	/* nonzero below 2.2e-308: kept as 0 */
	int64_t		 text_skipped;	/* JSON strings and booleans */
	char		 step_col[64];	/* the column taken as the step, if
					   a wide log's was guessed */
	char		 warning[256];	/* e.g. skipped unsafe YAML tags */
};

/*
 * Import path: a log file, or a folder of TensorBoard event files (an
 * event file stands for its folder: all of the folder's event files are
 * one run).  On error the database is as before and err says
 * "file:line: what" (and, for a file that is not a known log, which
 * option would take it).
 */
int	 import_file(struct db *db, const char *path,
	    const struct import_opts *opts, struct import_result *res,
	    struct wb_err *err);

/* Import a buffer as if it were the file name (for fuzzing and tests). */
int	 import_buffer(struct db *db, const char *name, const char *buf,
	    size_t len, const struct import_opts *opts,
	    struct import_result *res, struct wb_err *err);

/* 1 if the file name looks like a log import_file can read (for walking
 * directories): *.csv, *.json, *.log with a known name or shape.  Event
 * files are not: their folder is what to import (import_is_events). */
int	 import_wanted(const char *path);
/* 1 if a file's base name is a TensorBoard event file's. */
int	 import_is_events(const char *base);

/*
 * The i-th format of the table detection goes down (the names --format
 * accepts), or NULL past the end.  If rule is not NULL, *rule gets how
 * the format is detected, in doc/formats.md's words (borrowed, static).
 */
const char *import_format(size_t i, const char **rule);

#endif
