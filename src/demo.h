/*
 * demo: the parts of `mlwb demo`, a deterministic, realistic workspace.
 * Each area adds its own part; cmd_demo calls them in this order inside
 * one transaction.  dir is a folder for files the demo writes (drift
 * CSVs, model artifacts, the example project), next to the database.
 */
#ifndef WB_DEMO_H
#define WB_DEMO_H

struct db;
struct wb_err;

/* Experiments and runs with training-like curves (demo_tracking.c). */
int	demo_tracking(struct db *db, struct wb_err *err);
/* Reference/current data sets and saved drift reports (demo_drift.c). */
int	demo_drift(struct db *db, const char *dir, struct wb_err *err);
/* Models, versions, aliases and their history (demo_registry.c). */
int	demo_registry(struct db *db, const char *dir, struct wb_err *err);
/* Jobs of the example project (demo_launch.c). */
int	demo_launch(struct db *db, const char *dir, struct wb_err *err);

#endif
