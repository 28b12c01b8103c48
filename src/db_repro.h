/*
 * db_repro: the run_repro table, what a run keeps to be run again (see
 * repro.h for the facts and data/schema.sql for the sections).
 */
#ifndef WB_DB_REPRO_H
#define WB_DB_REPRO_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct repro;
struct wb_err;

/*
 * Store every fact of r for run run_id (a fact already there is
 * replaced) and stamp the run's updated_at, so that push, pull and merge
 * see the run changed.  Joins the caller's transaction if there is one.
 */
int	 db_repro_put(struct db *db, int64_t run_id, const struct repro *r,
	    struct wb_err *err);
/*
 * The facts of run run_id into out (empty first; repro_free after), by
 * section and key.  section NULL: all of them.  A workspace older than
 * the table reads as having none.
 */
int	 db_repro_get(struct db *db, int64_t run_id, const char *section,
	    struct repro *out, struct wb_err *err);

/*
 * The data sets run run_id read (run_inputs): key "ROLE:NAME" (role
 * "input" when it has none), value "DIGEST PATH".  Free with kv_free.
 */
struct kv;
int	 db_repro_inputs(struct db *db, int64_t run_id, struct kv **kv,
	    size_t *n, struct wb_err *err);

#endif
