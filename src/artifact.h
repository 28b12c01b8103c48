/*
 * artifact: the content-addressed artifact store of a workspace.  A file
 * is kept once per distinct content, as ROOT/blobs/ab/cdef... (the sha256
 * of its bytes); a folder is a manifest blob ("SHA256  PATH" per file,
 * sorted) plus the blobs of its files.  Writes go to ROOT/tmp, are
 * fsynced and renamed into place, so a crash leaves no half blob under a
 * real name; every read hashes what it serves, and a blob whose bytes do
 * not match its name is an error naming it, never served.
 *
 * The root is per workspace (workspace_settings.artifact_root); a SQLite
 * workspace without one keeps its artifacts in its files folder
 * FILE.files, beside the file.  A PostgreSQL store has no such place: its root must be set, to
 * a folder every box can reach.
 */
#ifndef WB_ARTIFACT_H
#define WB_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

struct artifact;
struct db;
struct wb_err;
struct wb_progress;

/*
 * The artifact root of db as a new string (wb_free).  WB_EINVAL, saying
 * how to set one, when there is none (a PostgreSQL store or an in-memory
 * workspace without the setting).
 */
int	art_root(struct db *db, char **root, struct wb_err *err);
/*
 * Set the root of db to path (made if missing; kept absolute).  Blobs
 * already logged are not moved: the message of a later miss says where
 * the root was.
 */
int	art_root_set(struct db *db, const char *path, struct wb_err *err);

/*
 * Store the file or folder at path under root and fill a's kind, sha256,
 * size and n_files (not its name).  Symlinks and devices in a folder are
 * skipped, as `find -type f` would.  progress (may be NULL) hears the
 * bytes stored of the file's or folder's size.
 */
int	art_store(const char *root, const char *path, struct artifact *a,
	    const struct wb_progress *progress, struct wb_err *err);
/*
 * Log path as artifact name of run run_id: stored under db's root and
 * recorded (replacing an artifact of that name).  name NULL: the last
 * part of path.  The row is written in its own (nested) transaction.
 */
int	art_log(struct db *db, int64_t run_id, const char *path,
	    const char *name, struct wb_err *err);

/*
 * Check that every blob of the artifact (kind "file" or "dir", sha256)
 * is there and matches its name.  label names the artifact in messages;
 * a folder's message also names the file whose blob is wrong.
 */
int	art_verify(const char *root, const char *kind, const char *sha256,
	    const char *label, struct wb_err *err);
/*
 * Write the artifact to dest (a file, or a folder made for a "dir"),
 * each file through a temporary file renamed when its hash matched.
 */
int	art_fetch(const char *root, const char *kind, const char *sha256,
	    const char *dest, const char *label, struct wb_err *err);
/*
 * A checked local path of the artifact: a file's blob itself (read-only),
 * a folder rebuilt under ROOT/trees/SHA256.  *path is new (wb_free).
 */
int	art_local(const char *root, const char *kind, const char *sha256,
	    char **path, const char *label, struct wb_err *err);
/*
 * The bytes of the blob sha256, checked, as a new NUL-terminated buffer
 * (wb_free).  More than max bytes is WB_EINVAL ("too large").
 */
int	art_read(const char *root, const char *sha256, size_t max, char **buf,
	    size_t *len, const char *label, struct wb_err *err);
/*
 * Copy the artifact's blobs from root from to root to (those to lacks),
 * checking each; a no-op when both are the same folder.
 */
int	art_copy(const char *from, const char *to, const char *kind,
	    const char *sha256, const char *label, struct wb_err *err);
/*
 * The sha256 of the file or folder at path as the store names it (a
 * folder: its manifest's), without storing anything.
 */
int	art_hash_path(const char *path, char hex[65], struct wb_err *err);

/* The last part of path ("out/model/" -> "model"), new (wb_free). */
char	*art_name_of(const char *path);
/* Whether name is a valid artifact name (no '/', no control bytes). */
int	art_name_ok(const char *name);

#endif
