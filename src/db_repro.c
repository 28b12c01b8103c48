/*
 * db_repro: storing and reading the facts of table run_repro
 * (db_repro.h).  Values are bound and read as bytes: a patch need not be
 * UTF-8, and PostgreSQL's text refuses what is not.
 */
#include "config.h"

#include "db_repro.h"

#include <string.h>

#include "db_internal.h"
#include "db_run.h"
#include "err.h"
#include "repro.h"

int
db_repro_put(struct db *db, int64_t run_id, const struct repro *r,
    struct wb_err *err)
{
	static const char ins[] = "INSERT INTO run_repro (run_id, section,"
	    " key, value) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (run_id,"
	    " section, key) DO UPDATE SET value = excluded.value";
	static const char touch[] = "UPDATE runs SET updated_at = ?1 WHERE"
	    " id = ?2";
	struct db_stmt	*st;
	size_t		 i;
	int		 rc;

	if (r->n == 0)
		return WB_OK;
	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(db, ins, err)) == NULL) {
		rc = WB_EDB;
		goto out;
	}
	for (i = 0; i < r->n; i++) {
		db_bind_int64(st, 1, run_id);
		db_bind_text(st, 2, r->items[i].section);
		db_bind_text(st, 3, r->items[i].key);
		db_bind_blob(st, 4, r->items[i].value, r->items[i].len);
		if ((rc = db_step_done(db, st, err)) != WB_OK)
			goto out;
	}
	if ((st = db_prepare(db, touch, err)) == NULL) {
		rc = WB_EDB;
		goto out;
	}
	db_bind_int64(st, 1, db_now_ms());
	db_bind_int64(st, 2, run_id);
	rc = db_step_done(db, st, err);
out:
	if (rc == WB_OK)
		return db_commit(db, err);
	db_rollback(db);
	return rc;
}

int
db_repro_get(struct db *db, int64_t run_id, const char *section,
    struct repro *out, struct wb_err *err)
{
	static const char all[] = "SELECT section, key, value FROM run_repro"
	    " WHERE run_id = ?1 ORDER BY section, key";
	static const char one[] = "SELECT section, key, value FROM run_repro"
	    " WHERE run_id = ?1 AND section = ?2 ORDER BY key";
	struct db_stmt	*st;
	const void	*p;
	int		 rc;

	memset(out, 0, sizeof *out);
	if (db->schema < DB_SCHEMA_REPRO)
		return WB_OK;
	if ((st = db_prepare(db, section ? one : all, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, run_id);
	if (section != NULL)
		db_bind_text(st, 2, section);
	while ((rc = db_step(st)) == DB_ROW) {
		p = db_column_blob(st, 2);
		if (repro_add(out, db_column_text(st, 0),
		    db_column_text(st, 1), p ? p : "",
		    (size_t)db_column_bytes(st, 2)) != 0) {
			db_reset(st);
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
	}
	db_reset(st);
	return rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

int
db_repro_inputs(struct db *db, int64_t run_id, struct kv **kv, size_t *n,
    struct wb_err *err)
{
	static const char sql[] = "SELECT coalesce(nullif(i.role, ''),"
	    " 'input') || ':' || d.name, coalesce(d.digest, '') || ' ' ||"
	    " coalesce(d.path, '') FROM run_inputs i JOIN datasets d ON"
	    " d.id = i.dataset_id WHERE i.run_id = ?1 ORDER BY 1";

	return db_kv_get(db, sql, run_id, kv, n, err);
}
