/*
 * db_artifact: the rows of the artifact store: the workspace's settings
 * (artifact_root) and each run's artifacts (name, kind, sha256, size).
 * The bytes themselves are artifact.c's.
 */
#ifndef WB_DB_ARTIFACT_H
#define WB_DB_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;

struct artifact {
	char	*name;
	char	 kind[5];		/* "file" or "dir" */
	char	 sha256[65];
	int64_t	 size;			/* bytes (all files of a dir) */
	int64_t	 n_files;
	int64_t	 created_at;
};

/* Free the strings of a row, and an array of n rows.  NULL is a no-op. */
void	artifact_clear(struct artifact *a);
void	artifacts_free(struct artifact *v, size_t n);

/*
 * A workspace setting: *value is a new string (wb_free), or NULL when the
 * setting is not there.
 */
int	db_setting_get(struct db *db, const char *key, char **value,
	    struct wb_err *err);
int	db_setting_set(struct db *db, const char *key, const char *value,
	    struct wb_err *err);

/* Record (or replace) the artifact a->name of run run_id. */
int	db_artifact_put(struct db *db, int64_t run_id, const struct artifact *a,
	    struct wb_err *err);
/* The artifacts of a run by name; *v is the caller's (artifacts_free). */
int	db_artifact_list(struct db *db, int64_t run_id, struct artifact **v,
	    size_t *n, struct wb_err *err);
/* The artifact called name of a run; WB_ENOTFOUND naming it if none. */
int	db_artifact_get(struct db *db, int64_t run_id, const char *name,
	    struct artifact *a, struct wb_err *err);

/*
 * The kind ("file" or "dir") of the stored bytes named sha256, from any
 * artifact row naming them; WB_ENOTFOUND (err untouched) if none does.
 */
int	db_artifact_kind(struct db *db, const char *sha256, char kind[5],
	    struct wb_err *err);

#endif
