/*
 * db: the workspace database connection.
 *
 * Opens (creating if asked) an mlwb workspace, checks that it is one and
 * that its schema is not newer than this build, applies the schema or the
 * numbered migrations, and sets WAL, foreign keys and a busy timeout.
 * Transactions nest: the outermost db_begin() is BEGIN IMMEDIATE, inner
 * ones are savepoints.  Everything else about the data lives in the
 * db_*.c store modules; the stores themselves (SQLite, PostgreSQL) sit
 * behind db_internal.h.
 */
#ifndef WB_DB_H
#define WB_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;

#define DB_READONLY	0x01	/* open read-only; every write fails */
#define DB_NOCREATE	0x02	/* fail if the file does not exist */

/* The schema version this build writes (PRAGMA user_version). */
#define DB_SCHEMA_VERSION 12
/*
 * The oldest schema this build reads as it is: a read-only open of an
 * older workspace (down to this version) reads it without migrating,
 * so that upgrading mlwb does not break `runs ls` until something writes.
 * (Schema 1 differs only in its uncompressed metric chunks, which the
 * chunk codec still reads; schema 2 only lacks the trigger that refuses
 * INSERT OR REPLACE on registry events.)
 */
#define DB_READABLE_FROM 1

/*
 * Progress of a long migration (compressing the metric chunks of an old
 * workspace): called with done = 0 first and done = total last.  One
 * callback per process, set before db_open; NULL (the default) for none.
 * The library never prints; the command line shows a line on stderr.
 */
typedef void	db_progress_fn(void *arg, const char *path, const char *what,
		    uint64_t done, uint64_t total);
void	 db_set_progress(db_progress_fn *fn, void *arg);

/*
 * How long a write to a SQLite workspace waits for another connection's
 * write lock before it fails, in ms: 5 s unless set here (for connections
 * opened afterwards; the commands scripts run wait longer, as a training
 * script would rather pause than lose a point), and $MLWB_LOCK_WAIT
 * (seconds) over both.  A PostgreSQL store's writers wait as its server has them wait.
 */
#define DB_LOCK_WAIT_MS	5000
void	 db_set_lock_wait(int64_t ms);

/*
 * Open the workspace at path.  On success *out is a connection the caller
 * closes with db_close().  Errors: WB_ENOTFOUND (no file and DB_NOCREATE),
 * WB_EVERSION (a newer schema, or not an mlwb workspace), WB_EDB.
 */
int	 db_open(const char *path, int flags, struct db **out,
	    struct wb_err *err);
/* Finalize statements and close.  NULL is a no-op. */
void	 db_close(struct db *db);

/*
 * The progress hook (src/progress.h) of the long work done through db:
 * push, pull and merge report runs, doctor its checks, model register the
 * bytes of its artifact.  Borrowed until reset (NULL, the default: none).
 * A hook on the handle rather than a parameter, because these calls
 * already take many and most callers want none.
 */
struct wb_progress;
void	 db_set_progress_hook(struct db *db, const struct wb_progress *p);
const struct wb_progress *db_progress_hook(const struct db *db);

/* The path given to db_open (borrowed, valid until db_close). */
const char *db_path(const struct db *db);

/*
 * Whether path names a PostgreSQL store (postgresql:// or postgres://)
 * rather than a SQLite file.
 */
int	 db_is_url(const char *path);
/* Whether db is a shared server store (PostgreSQL). */
int	 db_is_remote(const struct db *db);
/* The workspace's name for titles and messages (no password). */
const char *db_label(const struct db *db);
/*
 * The folder for this box's files of the workspace (.mlwb/logs of
 * launched jobs): the SQLite file's folder; for a server store, the
 * current folder.  A new absolute path (wb_free), or NULL with err set.
 */
char	*db_local_dir(const struct db *db, struct wb_err *err);

/*
 * A named advisory lock of the workspace, held across transactions (the
 * registry's alias moves run a deploy between two).  SQLite: flock of
 * WORKSPACE-NAME.lock beside the file (none for ":memory:"); PostgreSQL:
 * pg_advisory_lock on the server, so boxes take turns too.  Waits, with
 * no timeout.  *lock goes to db_unlock (a NULL lock is a no-op).
 */
struct db_lock;
int	 db_lock(struct db *db, const char *name, struct db_lock **lock,
	    struct wb_err *err);
void	 db_unlock(struct db *db, struct db_lock *lock);
/*
 * The lock file's descriptor (a deploy's guardian inherits it and the
 * registry keeps its deploy marker in it), or -1 where the lock is the
 * server's (PostgreSQL) or there is none.
 */
int	 db_lock_fd(const struct db_lock *lock);
/*
 * path as messages may show it: a URL's password replaced by "***".
 * Writes into buf (size len) and returns it.
 */
const char *db_url_label(const char *path, char *buf, size_t len);
int	 db_is_readonly(const struct db *db);

/* Nested transactions; rollback undoes back to the matching begin. */
int	 db_begin(struct db *db, struct wb_err *err);
int	 db_commit(struct db *db, struct wb_err *err);
void	 db_rollback(struct db *db);

/*
 * A read transaction around several reads, so that they see one snapshot
 * and take the file lock once (each statement alone locks, checks the
 * WAL and unlocks: 300 chunk reads spent more time there than reading).
 * *began says whether this call began one (nothing is begun inside a
 * transaction already open); pass it to db_read_end.
 */
int	 db_read_begin(struct db *db, int *began, struct wb_err *err);
void	 db_read_end(struct db *db, int began);

/*
 * PRAGMA data_version: changes when another connection commits, so a
 * viewer can poll it cheaply and reload only then.
 */
int	 db_data_version(struct db *db, int64_t *version, struct wb_err *err);

/* Milliseconds since the epoch, for created_at/started_at columns. */
int64_t	 db_now_ms(void);
/*
 * A test hook: with $env naming a file, create it and wait until it is
 * removed (a bulk writer calls it with its rows written, not committed).
 */
void	 db_test_stall(const char *env);

/*
 * Fill buf (33 bytes) with a new random UUID as 32 lowercase hex digits.
 */
void	 db_new_uuid(char buf[33]);

/*
 * Integrity report for `mlwb doctor` (db_doctor.c): PRAGMA
 * integrity_check and foreign_key_check, then the store's own checks,
 * calling line() once per finding (SQLite's first).  *problems is the
 * number found.  The integrity check runs on a second connection in a
 * thread while this one does the rest.
 */
int	 db_doctor(struct db *db, void (*line)(void *, const char *),
	    void *arg, int *problems, struct wb_err *err);
/*
 * Only the store's own checks (summaries against chunks, jobs against
 * runs, registry aliases against events): no page-level check, so it
 * reads indexes, not the whole file.
 */
int	 db_doctor_quick(struct db *db, void (*line)(void *, const char *),
	    void *arg, int *problems, struct wb_err *err);

#endif
