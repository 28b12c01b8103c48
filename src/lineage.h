/*
 * lineage: data sets as mlwb records them.  A file a run read or wrote is
 * hashed (sha256) and sized; a CSV or TSV is also read by the drift
 * reader, for its rows and its column schema (names, and the reader's
 * types: numeric columns are "double", the others "string", written as
 * MLflow's {"mlflow_colspec": [...]}).  The rows are db_lineage.c's.
 */
#ifndef WB_LINEAGE_H
#define WB_LINEAGE_H

#include <stddef.h>
#include <stdint.h>

struct lin_ds;
struct wb_err;

/*
 * Fill d from spec, "PATH" or "PATH:ROLE" (a path that exists as given
 * wins over a split), for a data set read (output 0) or written.  The
 * file is read here, so call it before a write transaction.  Errors name
 * the file (and, for a CSV that does not parse, its line).
 */
int	lineage_scan(const char *spec, int output, struct lin_ds *d,
	    struct wb_err *err);
/* The same for path with role (no split); launched jobs' inputs. */
int	lineage_scan_path(const char *path, const char *role, int output,
	    struct lin_ds *d, struct wb_err *err);

/*
 * The lineage of run run_id: what `mlwb lineage`, the run screen and the
 * registry's version screen show.  Data sets read, then written
 * (db_lineage_datasets); for each, the drift reports made against its
 * bytes (rep[i], nrep[i] of them); and the drift report whose --on-drift
 * launched the run (its UUID, or NULL).  Free with lineage_clear.
 */
struct lin_report;
struct lineage {
	struct lin_ds		 *ds;
	size_t			  nds;
	struct lin_report	**rep;
	size_t			 *nrep;
	char			 *drift_report;
};
struct db;
int	lineage_load(struct db *db, int64_t run_id, struct lineage *l,
	    struct wb_err *err);
void	lineage_clear(struct lineage *l);

/*
 * Drift from lineage: the data set model version model (a models:/ URI,
 * NAME@ALIAS, NAME:VERSION or NAME for the latest) was trained on: the
 * input of its run with role "train", or its only input.  The file is
 * checked against the recorded sha256: gone or changed is an error
 * naming it.  *ref_path (the file) and *model_spec ("NAME:VERSION", for
 * the saved report) are new strings (wb_free).
 */
int	lineage_reference(struct db *db, const char *model, char **ref_path,
	    char **model_spec, struct wb_err *err);

#endif
