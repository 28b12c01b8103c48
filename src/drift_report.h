/*
 * drift_report: a whole reference-vs-current comparison, the unit that is
 * printed, saved and browsed.
 *
 * drift_report_run() reads both CSVs (dataset), checks their schemas
 * (columns missing or added in current, type changed, missing-value share
 * jumped by more than spec->missing_jump), tests every column with its
 * method (drift), and decides the data set's verdict: drift when the share
 * of drifted columns reaches spec->drift_share, or when any schema check
 * failed -- a data-validation step should stop on both.  A report keeps,
 * per column, the result, both histograms on shared bins and both sides'
 * summary statistics, so that a saved one can be shown without the files.
 * JSON in and out lives here too (the --format json object, and the
 * histogram/statistics blobs of the database).
 */
#ifndef WB_DRIFT_REPORT_H
#define WB_DRIFT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "drift.h"

struct strbuf;
struct wb_progress;
struct wb_err;

struct drift_rstats {
	size_t	 count, missing;
	double	 mean, std, min, q25, q50, q75, max;
	size_t	 unique, ntop;
	char	*top[DRIFT_TOP];
	size_t	 top_count[DRIFT_TOP];
};

struct drift_rcol {
	char		*name;
	int		 numeric;
	enum drift_method method;
	double		 statistic, p_value, threshold, severity;
	int		 drifted;
	size_t		 n_ref, n_cur;
	double		 missing_ref, missing_cur;	/* shares */
	/* Histogram on shared bins: edges (nbins + 1) or labels (nbins). */
	size_t		 nbins;
	double		*edges;
	char	       **labels;
	double		*href, *hcur;
	struct drift_rstats sref, scur;
};

struct drift_issue {
	char	*column;
	char	*what;		/* "missing in current", "type changed ..." */
};

struct drift_report {
	int64_t		 id;
	char		 uuid[33];
	char		*name;		/* --save NAME, or NULL */
	char		*model;		/* "NAME:VERSION" or "NAME", or NULL */
	int64_t		 created_at;
	char		*ref_path, *cur_path;
	char		 ref_sha256[65], cur_sha256[65];
	size_t		 ref_rows, cur_rows;
	double		 share_threshold;
	size_t		 tested, drifted;
	double		 drift_share;
	int		 dataset_drift;
	size_t		 ncols;
	struct drift_rcol *cols;
	size_t		 nissues;
	struct drift_issue *issues;
};

struct drift_method_for {
	const char	*column;
	enum drift_method method;
	double		 threshold;	/* NaN: the method's default */
};

struct drift_spec {
	const char *const *columns;	/* NULL: every reference column */
	const char *const *categorical;	/* force these categorical */
	enum drift_method method;	/* DRIFT_AUTO: Evidently's choice */
	double		 threshold;	/* NaN: the method's default */
	const struct drift_method_for *per;
	size_t		 nper;
	double		 drift_share;	/* data-set drift at this share (0.5) */
	double		 missing_jump;	/* schema check (0.1) */
	int		 no_hash;	/* skip the inputs' sha256 */
	int		 one_thread;	/* no second thread (fault tests) */
	/*
	 * Bytes read of both files, of their sizes (NULL: none).  Called
	 * from either reading thread, never from two at once.
	 */
	const struct wb_progress *progress;
};

/* A spec with the defaults. */
void	 drift_spec_init(struct drift_spec *s);

/*
 * Compare two CSV files.  Errors: reading ("ref.csv:12: ..."), an unknown
 * --columns name, a method that does not fit a column, an all-missing
 * column ("column 'x': no values in the current data").
 */
int	 drift_report_run(const char *ref, const char *cur,
	    const struct drift_spec *spec, struct drift_report **out,
	    struct wb_err *err);
void	 drift_report_free(struct drift_report *r);

/* Columns ordered by severity, drifted first (indexes into r->cols). */
size_t	*drift_report_order(const struct drift_report *r);

/*
 * The report as the JSON object of `mlwb drift --format json`: columns
 * (column, type, method, statistic, p_value, threshold, drifted, ...),
 * tested_columns, drifted_columns, drift_share, dataset_drift,
 * schema_issues, and the inputs.  with_detail adds histograms and stats.
 */
int	 drift_report_json(const struct drift_report *r, int with_detail,
	    struct strbuf *out);
/* Per-column blobs stored in drift_columns.hist / .stats. */
int	 drift_rcol_hist_json(const struct drift_rcol *c, struct strbuf *out);
int	 drift_rcol_stats_json(const struct drift_rcol *c, struct strbuf *out);
/* Parse them back into c (NULL blobs leave the parts empty). */
int	 drift_rcol_parse(struct drift_rcol *c, const char *hist,
	    const char *stats, struct wb_err *err);
/* Schema issues as a JSON array and back. */
int	 drift_issues_json(const struct drift_report *r, struct strbuf *out);
int	 drift_issues_parse(struct drift_report *r, const char *json,
	    struct wb_err *err);

#endif
