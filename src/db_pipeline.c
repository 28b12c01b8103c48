/*
 * db_pipeline: listing pipeline runs (db_pipeline.h).  The tags_key
 * index (key, value) finds them without visiting other runs.
 */
#include "config.h"

#include "db_pipeline.h"

#include "db_internal.h"
#include "db_run.h"
#include "pipeline.h"

int
db_pipeline_runs(struct db *db, struct kv **rows, size_t *n,
    struct wb_err *err)
{
	static const char	sql[] = "SELECT r.uuid, t.value FROM tags t"
	    " JOIN runs r ON r.id = t.run_id WHERE t.key = '" PIPELINE_TAG
	    "' AND r.deleted_at IS NULL AND r.id > ?1"
	    " ORDER BY r.id DESC";

	return db_kv_get(db, sql, 0, rows, n, err);
}
