/*
 * db_pipeline: the one query pipelines need beyond runs and tags: the
 * pipeline runs of the workspace (runs tagged mlwb.pipeline), newest
 * first.  Everything else about a pipeline run is its run and its tags
 * (pipeline.h), so push, pull and merge carry it unchanged.
 */
#ifndef WB_DB_PIPELINE_H
#define WB_DB_PIPELINE_H

#include <stddef.h>

struct db;
struct kv;
struct wb_err;

/* (run UUID, pipeline name) of live pipeline runs, newest first. */
int	 db_pipeline_runs(struct db *db, struct kv **rows, size_t *n,
	    struct wb_err *err);

#endif
