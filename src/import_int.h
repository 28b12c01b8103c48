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

/* One file being imported. */
struct imp {
	struct db			*db;
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
	int64_t				*keys;		/* set of metric keys */
	size_t				 nkeys;
	size_t				 keycap;	/* slots, a power of 2 */
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
/* Run called name in the import's experiment (0 if none). */
int	 imp_find_run(struct imp *im, const char *name, int64_t *run_id,
	    struct wb_err *err);
/* Delete the runs an earlier import of the same path made. */
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
