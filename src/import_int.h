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

struct long_run {
	char	*name;
	int64_t	 id;
};

/*
 * One file being imported.  A file is parsed into a stage (db is a
 * private temporary workspace with the workspace ws attached as "ws"),
 * which holds no lock on the workspace, and then published into ws in one
 * short write transaction (imp_publish).  With ws NULL the import writes
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
	char				*path_abs;	/* recorded as source */
	char				*dir;		/* sidecars; NULL for buffers */
	char				*run_name;
	char				*tb_tag;	/* TensorBoard metric */
	int64_t				 exp_id;
	int64_t				 import_id;
	int64_t				 run_id;	/* single-run files */
	int				 share_run;	/* TensorBoard */
	struct mwriter			*mw;
	int64_t				*keys;		/* distinct metric keys */
	size_t				 nkeys;
	int64_t				 skipped_runs;	/* UUID already here */
	int				 unsafe;	/* YAML values skipped */
	struct long_run			*lruns;
	size_t				 nlruns;
};

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
const char *imp_status(const char *s);

/* import_json.c: detectron2 metrics.json, HF trainer_state.json. */
int	 imp_json(struct imp *im, const char *buf, size_t len,
	    struct wb_err *err);

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
 * Copy everything the stage holds into the workspace in one write
 * transaction: experiments and metric keys by name, runs (new UUIDs),
 * params, tags, summaries, chunks and the ledger row; first the runs of
 * an earlier import of the same path when im->replace_prev.  When the
 * ledger already has this content, nothing is written and
 * im->res->already is set.
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
