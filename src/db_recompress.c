/*
 * db_recompress: migration 1 -> 2 of a workspace, which rewrites every
 * metric chunk from the 24-byte records of schema 1 into the compressed
 * format of chunk_codec.c (about 2-5 bytes a point instead of 24).
 *
 * It runs inside db_migrate's transaction, so it is all or nothing: a
 * crash or kill -9 halfway leaves the file exactly as it was (schema 1,
 * every chunk raw), which old and new binaries both read, and the next
 * writable open starts again.  Chunks are read and rewritten a few at a
 * time, so memory stays at one chunk whatever the workspace's size.
 */
#include "config.h"

#include "db_internal.h"

#include "chunk_codec.h"
#include "db_metric.h"
#include "err.h"
#include "mem.h"

static db_progress_fn	*progress_fn;
static void		*progress_arg;

void
db_set_progress(db_progress_fn *fn, void *arg)
{
	progress_fn = fn;
	progress_arg = arg;
}

static void
progress(struct db *db, uint64_t done, uint64_t total)
{
	if (progress_fn != NULL)
		progress_fn(progress_arg, db->path, "compressing metric chunks",
		    done, total);
}

#define BATCH 256

int
db_recompress_chunks(struct db *db, struct wb_err *err)
{
	/* Format 0 is exactly 24 bytes a point; length() reads no blob. */
	static const char	 q_count[] = "SELECT count(*) FROM metric_chunks"
	    " WHERE n BETWEEN 1 AND 1024 AND length(points) = 24 * n";
	static const char	 q_ids[] = "SELECT id, n FROM metric_chunks"
	    " WHERE id > ?1 AND n BETWEEN 1 AND 1024 AND"
	    " length(points) = 24 * n ORDER BY id LIMIT 256";
	static const char	 q_get[] = "SELECT points FROM metric_chunks"
	    " WHERE id = ?1";
	static const char	 q_put[] = "UPDATE metric_chunks SET"
	    " points = ?2, blocks = CASE WHEN n <= 64 THEN NULL ELSE blocks"
	    " END WHERE id = ?1";
	struct cc_point		*pt = NULL;
	unsigned char		*enc = NULL;
	int64_t			 ids[BATCH], ns[BATCH], last = 0;
	int64_t			 step[CC_MAX_POINTS], ts[CC_MAX_POINTS];
	double			 val[CC_MAX_POINTS];
	uint64_t		 total = 0, done = 0;
	struct db_stmt *st;
	size_t			 nb, i, j, len;
	int			 rc = WB_OK;

	if ((st = db_prepare(db, q_count, err)) == NULL)
		return WB_EDB;
	if (db_step(st) == DB_ROW)
		total = (uint64_t)db_column_int64(st, 0);
	db_reset(st);
	if (total == 0)
		return WB_OK;
	pt = wb_reallocarray(NULL, CC_MAX_POINTS, sizeof *pt);
	enc = wb_malloc(cc_bound(CC_MAX_POINTS));
	if (pt == NULL || enc == NULL) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	progress(db, 0, total);
	for (;;) {
		if ((st = db_prepare(db, q_ids, err)) == NULL) {
			rc = WB_EDB;
			goto out;
		}
		db_bind_int64(st, 1, last);
		for (nb = 0; nb < BATCH && db_step(st) == DB_ROW;
		    nb++) {
			ids[nb] = db_column_int64(st, 0);
			ns[nb] = db_column_int64(st, 1);
		}
		db_reset(st);
		if (nb == 0)
			break;
		for (i = 0; i < nb; i++) {
			if ((st = db_prepare(db, q_get, err)) == NULL) {
				rc = WB_EDB;
				goto out;
			}
			db_bind_int64(st, 1, ids[i]);
			if (db_step(st) != DB_ROW ||
			    cc_decode(db_column_blob(st, 0),
			    (size_t)db_column_bytes(st, 0),
			    (size_t)ns[i], step, ts, val) != 0) {
				db_reset(st);
				rc = wb_err_set(err, WB_EDB, "%s: metric chunk"
				    " %lld cannot be read", db->path,
				    (long long)ids[i]);
				goto out;
			}
			db_reset(st);
			for (j = 0; j < (size_t)ns[i]; j++) {
				pt[j].step = step[j];
				pt[j].ts = ts[j];
				pt[j].value = val[j];
			}
			len = cc_encode(enc, pt, (size_t)ns[i]);
			if ((st = db_prepare(db, q_put, err)) == NULL) {
				rc = WB_EDB;
				goto out;
			}
			db_bind_int64(st, 1, ids[i]);
			db_bind_blob(st, 2, enc, len);
			if ((rc = db_step_done(db, st, err)) != WB_OK)
				goto out;
		}
		last = ids[nb - 1];
		done += nb;
		progress(db, done, total);
	}
	if (done < total)
		progress(db, total, total);
out:
	wb_free(pt);
	wb_free(enc);
	return rc;
}
