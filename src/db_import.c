/*
 * db_import: the SQL the importer needs beyond the store's API: finding
 * and replacing the runs of an earlier import of the same path, and
 * completing the ledger row.
 */
#include "config.h"

#include "import_int.h"

#include "db_internal.h"
#include "err.h"

int
imp_find_run(struct imp *im, const char *name, int64_t *run_id,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT id FROM runs"
	    " WHERE experiment_id = ?1 AND name = ?2 ORDER BY id DESC LIMIT 1";
	struct db_stmt *st;
	int			 rc;

	*run_id = 0;
	if ((st = db_prepare(im->db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_int64(st, 1, im->exp_id);
	db_bind_text(st, 2, name);
	rc = db_step(st);
	if (rc == DB_ROW)
		*run_id = db_column_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK :
	    db_sqlerr(im->db, err);
}

int
imp_replace_previous(struct imp *im, struct wb_err *err)
{
	static const char	 sql[] = "DELETE FROM runs WHERE import_id IN"
	    " (SELECT id FROM imports WHERE path = ?1 AND id <> ?2)";
	struct db_stmt *st;

	if (im->path_abs == NULL)
		return WB_OK;
	if ((st = db_prepare(im->db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_text(st, 1, im->path_abs);
	db_bind_int64(st, 2, im->import_id);
	return db_step_done(im->db, st, err);
}

int
db_import_finish(struct db *db, int64_t id, const char *sha256,
    const char *format, int64_t runs, int64_t points, struct wb_err *err)
{
	static const char	 sql[] = "UPDATE imports SET sha256 = ?2,"
	    " format = ?3, runs = ?4, points = ?5 WHERE id = ?1";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, sha256);
	db_bind_text(st, 3, format);
	db_bind_int64(st, 4, runs);
	db_bind_int64(st, 5, points);
	return db_step_done(db, st, err);
}

int
db_import_earlier(struct db *db, const char *sha256, const char *format,
    int64_t id, int64_t *earlier, int64_t *at, struct wb_err *err)
{
	static const char	 sql[] = "SELECT id, at FROM imports"
	    " WHERE sha256 = ?1 AND format = ?2 AND id <> ?3 ORDER BY id LIMIT 1";
	struct db_stmt *st;
	int			 rc;

	*earlier = *at = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return err ? err->code : WB_EDB;
	db_bind_text(st, 1, sha256);
	db_bind_text(st, 2, format);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*earlier = db_column_int64(st, 0);
		*at = db_column_int64(st, 1);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK :
	    db_sqlerr(db, err);
}
