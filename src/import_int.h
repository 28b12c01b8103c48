/*
 * import_int: what the import modules (import.c for CSV, import_json.c,
 * import_file.c, db_import.c) share.  Not for other callers.
 */
#ifndef WB_IMPORT_INT_H
#define WB_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>

struct csvread;
struct db;
struct import_opts;
struct import_result;
struct mwriter;
struct wb_err;

/* What a CSV column is to the importer. */
enum role {
	R_SKIP, R_STEP, R_METRIC, R_PARAM, R_TAG, R_TIME_S, R_TIME_STR,
	R_RUN_ID, R_RUN_NAME, R_STATUS, R_START, R_END, R_AUTO,
	R_LONG_RUN, R_LONG_KEY, R_LONG_STEP, R_LONG_VALUE, R_LONG_TS,
	R_LAX,		/* a metric whose text cells (lists, True) are skipped */
	R_PY_SUMMARY,	/* W&B: a Python dict of last metric values */
	R_PY_CONFIG	/* W&B: a Python dict of params */
};

struct col {
	char		*name;		/* key as stored (prefix removed) */
	enum role	 role;
	int64_t		 key_id;	/* metrics, once known */
	int		 done;		/* single-run params/tags: set once */
};

/* A CSV file's format, decided from its header by imp_detect(). */
struct csvfmt {
	const char	*format;
	struct col	*cols;
	size_t		 ncols;
	int		 many;		/* one run per row */
	int		 name_from_index; /* sklearn: "candidate-N" */
	const char	*name_prefix;	/* optuna: "trial-" */
	int		 step;		/* step column, -1 if none */
	int		 scan_step;	/* wide: find an increasing column */
};

enum imp_kind { IMP_CSV, IMP_JSON, IMP_TFEVENTS };

/* An entry of the table of formats (import_detect.c). */
struct imp_format {
	const char	*name;
	enum imp_kind	 kind;
	const char	*rule;	/* doc/formats.md's "detected by", verbatim */
	/* CSV: 1 if the header h matches. */
	int		(*match)(char *const *h, size_t n);
	/* CSV: the role of column k (number i); *name is the key kept. */
	enum role	(*role)(const char *k, size_t i, const char **name);
	const char *const *steps;	/* step columns, first found wins */
	unsigned	 flags;
#define FMT_MANY	0x1	/* one run per row */
#define FMT_INDEX_NAME	0x2	/* runs named "candidate-" + first cell */
	const char	*name_prefix;	/* for R_RUN_NAME cells */
};

extern const struct imp_format imp_formats[];

struct long_run {
	char	*name;
	int64_t	 id;
};

/*
 * One file being imported.  A file is parsed into a stage (db is a
 * private temporary workspace with the workspace ws attached as "ws"),
 * which holds no lock on the workspace, and then published into ws in
 * short write transactions (imp_publish).  With ws NULL the import writes
 * into db directly, in one transaction: in-memory workspaces, and files
 * that add to a run already in the workspace (TensorBoard exports).
 */
struct imp {
	struct db			*db;
	struct db			*ws;		/* staged: the workspace */
	int				 replace_prev;	/* staged: at publish */
	int				 need_direct;	/* staged: retry direct */
	const struct import_opts	*opts;
	struct import_result		*res;
	const char			*name;		/* for messages */
	const char			*buf;		/* import_buffer's */
	size_t				 buflen;
	char				*path_abs;	/* recorded as source */
	char				*dir;		/* sidecars; NULL for buffers */
	char				*run_name;
	char				*tb_tag;	/* TensorBoard metric */
	int64_t				 exp_id;
	int64_t				 import_id;
	int64_t				 run_id;	/* single-run files */
	int64_t				 run_start;	/* single run's times, */
	int64_t				 run_end;	/* when the log says */
	int				 share_run;	/* TensorBoard */
	int				 events;	/* a folder of event
							   files */
	struct mwriter			*mw;
	int64_t				*keys;		/* set of metric keys */
	size_t				 nkeys;
	size_t				 keycap;	/* slots, a power of 2 */
	int64_t				 skipped_runs;	/* UUID already here */
	int				 unsafe;	/* YAML values skipped */
	struct long_run			*lruns;
	size_t				 nlruns;
	/*
	 * A sweep (an Optuna study, a sklearn search): the run its trials
	 * or candidates are nested under (issue 15), made at the first row.
	 */
	int64_t				 sweep_parent;
};

/* import_detect.c */
/* Decide the format and each column's role from the header h. */
int	 imp_detect(struct imp *im, char **h, size_t n, struct csvfmt *f,
	    struct wb_err *err);
void	 csvfmt_free(struct csvfmt *f);

/* import.c */
int	 imp_csv(struct imp *im, struct csvread *r, struct wb_err *err);
int	 imp_single_run(struct imp *im, int64_t *run_id, struct wb_err *err);
int	 imp_run_new(struct imp *im, const char *name, const char *uuid,
	    const char *status, int64_t start, int64_t end, int64_t *run_id,
	    struct wb_err *err);
int	 imp_metric(struct imp *im, int64_t run, const char *key,
	    int64_t *key_id, int64_t step, int64_t ts, double v,
	    struct wb_err *err);
int	 imp_param(struct imp *im, int64_t run, const char *key,
	    const char *value, struct wb_err *err);
int	 imp_key_seen(struct imp *im, int64_t key_id);
int64_t	 imp_parse_time(const char *s);
/* Count v (parsed from s) if it lost its value: an overflow to +-inf or
 * a nonzero number that underflowed to 0. */
void	 imp_range(struct imp *im, const char *s, size_t len, double v);
const char *imp_status(const char *s);

/* import_json.c: detectron2 metrics.json, HF trainer_state.json. */
int	 imp_json(struct imp *im, const char *buf, size_t len,
	    struct wb_err *err);

/* import_tfevents.c: the event files of dir as one run (shown is the
 * folder as messages name it); hex gets the hash of what was read (names
 * and complete records). */
int	 imp_tfevents(struct imp *im, const char *dir, const char *shown,
	    char hex[65], struct wb_err *err);

/* import_file.c */
int	 imp_long_run(struct imp *im, const char *name, int64_t *run_id,
	    struct wb_err *err);

/* db_import.c */
/*
 * A stage for workspace ws: a private temporary database (deleted when
 * closed) with the workspace schema, and ws attached to it as "ws".
 * WB_EINVAL when ws cannot be staged (an in-memory workspace).
 */
int	 imp_stage_open(struct db *ws, struct db **stage, struct wb_err *err);
/*
 * Publish everything the stage holds into the workspace: the chunks in
 * short write transactions under reserved run ids nobody sees, then in
 * one tiny transaction experiments by name, runs (same UUIDs), params,
 * tags, summaries and the ledger row; first the runs of an earlier import
 * of the same path when im->replace_prev (db_import.c).  When the ledger
 * already has this content, nothing is added and im->res->already is set.
 */
int	 imp_publish(struct imp *im, struct wb_err *err);
/* Begin the stage's parse transaction (it leaves the workspace alone). */
int	 imp_stage_begin(struct db *stage, struct wb_err *err);
/* Staged: *found = 1 when the workspace's ledger has this content. */
int	 imp_ws_earlier(struct imp *im, const char *sha256,
	    const char *format, int *found, struct wb_err *err);
/* 1 if a run with uuid is in the import's database (or the workspace). */
int	 imp_uuid_known(struct imp *im, const char *uuid);
/*
 * Run called name in the import's experiment (0 if none).  Staged, a run
 * of that name in the workspace sets im->need_direct and fails
 * (WB_EEXIST): the import is redone directly.
 */
int	 imp_find_run(struct imp *im, const char *name, int64_t *run_id,
	    struct wb_err *err);
/* Delete the runs an earlier import of the same path made (staged: mark). */
int	 imp_replace_previous(struct imp *im, struct wb_err *err);
/* Ledger: record this import with its final hash and counts. */
int	 db_import_finish(struct db *db, int64_t id, const char *sha256,
	    const char *format, int64_t runs, int64_t points,
	    struct wb_err *err);
/* Earlier import of this content and format other than id; 0 if none. */
int	 db_import_earlier(struct db *db, const char *sha256,
	    const char *format, int64_t id, int64_t *earlier, int64_t *at,
	    struct wb_err *err);

#endif
