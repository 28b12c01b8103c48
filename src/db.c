/*
 * db: the store-neutral half of a connection: opening through the store
 * that the path names, transactions, the statement cache and the
 * statement helpers (doctor is db_doctor.c).  The stores
 * themselves (db_sqlite.c, db_pg.c) own everything that differs: schema
 * and migrations, pragmas, blob reads, change detection.
 */
#include "config.h"

#include "db_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "db_textidx.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"

int64_t
db_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
db_new_uuid(char buf[33])
{
	static const char	 hex[] = "0123456789abcdef";
	static unsigned int	 counter;
	unsigned char		 raw[16];
	size_t			 i;
	int			 fd, ok = 0;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		ok = read(fd, raw, sizeof raw) == (ssize_t)sizeof raw;
		close(fd);
	}
	if (!ok) {
		/* No urandom (chroot): time, pid and a counter are unique enough. */
		uint64_t a = (uint64_t)db_now_ms(), b = (uint64_t)getpid();

		b = (b << 32) | counter++;
		memcpy(raw, &a, 8);
		memcpy(raw + 8, &b, 8);
	}
	raw[6] = (unsigned char)((raw[6] & 0x0f) | 0x40);	/* version 4 */
	raw[8] = (unsigned char)((raw[8] & 0x3f) | 0x80);
	for (i = 0; i < 16; i++) {
		buf[2 * i] = hex[raw[i] >> 4];
		buf[2 * i + 1] = hex[raw[i] & 15];
	}
	buf[32] = '\0';
}

int
db_sqlerr(struct db *db, struct wb_err *err)
{
	return wb_err_set(err, WB_EDB, "%s: %s", db->path,
	    db->ops->errmsg(db));
}

int
db_exec(struct db *db, const char *sql, struct wb_err *err)
{
	return db->ops->exec(db, sql, err);
}

static unsigned
stmt_bucket(const char *sql)
{
	uintptr_t	p = (uintptr_t)sql;

	return (unsigned)((p >> 4) ^ (p >> 12)) % DB_STMT_BUCKETS;
}

struct db_stmt *
db_prepare(struct db *db, const char *sql, struct wb_err *err)
{
	struct db_stmt	*s;
	unsigned	 b = stmt_bucket(sql);

	for (s = db->stmts[b]; s != NULL; s = s->next) {
		if (s->sql == sql) {
			s->ops->reset(s->h);
			return s;
		}
	}
	if (db->npool_used < DB_STMT_POOL)
		s = &db->pool[db->npool_used];
	else if ((s = wb_calloc(1, sizeof *s)) == NULL) {
		wb_err_set(err, WB_ENOMEM, "out of memory");
		return NULL;
	}
	if (db->ops->prepare(db, sql, 1, &s->h, err) != WB_OK) {
		if (s < db->pool || s >= db->pool + DB_STMT_POOL)
			wb_free(s);
		return NULL;
	}
	if (s == &db->pool[db->npool_used])
		db->npool_used++;
	s->ops = db->ops;
	s->db = db;
	s->sql = sql;
	s->next = db->stmts[b];
	db->stmts[b] = s;
	return s;
}

struct db_stmt *
db_prepare_once(struct db *db, const char *sql, struct wb_err *err)
{
	struct db_stmt	*s;

	if ((s = wb_calloc(1, sizeof *s)) == NULL) {
		wb_err_set(err, WB_ENOMEM, "out of memory");
		return NULL;
	}
	if (db->ops->prepare(db, sql, 0, &s->h, err) != WB_OK) {
		wb_free(s);
		return NULL;
	}
	s->ops = db->ops;
	s->db = db;
	return s;
}

void
db_finalize(struct db_stmt *st)
{
	if (st == NULL)
		return;
	st->ops->finalize(st->h);
	wb_free(st);
}

int
db_step_done(struct db *db, struct db_stmt *st, struct wb_err *err)
{
	int	rc = db_step(st);

	if (rc != DB_DONE && rc != DB_ROW) {
		db_sqlerr(db, err);
		db_reset(st);
		return WB_EDB;
	}
	db_reset(st);
	return WB_OK;
}

int
db_step_id(struct db *db, struct db_stmt *st, int64_t *id,
    struct wb_err *err)
{
	int	rc = db_step(st);

	if (rc != DB_ROW) {
		if (rc == DB_DONE)
			wb_err_set(err, WB_EDB, "%s: no row came back",
			    db->path);
		else
			db_sqlerr(db, err);
		db_reset(st);
		return WB_EDB;
	}
	*id = db_column_int64(st, 0);
	db_reset(st);
	return WB_OK;
}

int
db_find_id(struct db *db, const char *sql, const char *key, int64_t *id,
    struct wb_err *err)
{
	struct db_stmt	*st;
	int		 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, key);
	rc = db_step(st);
	if (rc == DB_ROW)
		*id = db_column_int64(st, 0);
	db_reset(st);
	if (rc == DB_ROW)
		return WB_OK;
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	return WB_ENOTFOUND;
}

int
db_bind_text(struct db_stmt *st, int i, const char *s)
{
	if (s == NULL)
		return db_bind_null(st, i);
	return st->ops->bind_text(st->h, i, s, -1);
}

int
db_bind_int64_or_null(struct db_stmt *st, int i, int64_t v, int is_null)
{
	if (is_null)
		return db_bind_null(st, i);
	return db_bind_int64(st, i, v);
}

char *
db_column_strdup(struct db_stmt *st, int i)
{
	const char	*t;

	if (db_column_type(st, i) == DB_NULL)
		return NULL;
	t = db_column_text(st, i);
	return wb_strdup(t ? t : "");
}

static int64_t	lock_wait_ms = DB_LOCK_WAIT_MS;

void
db_set_lock_wait(int64_t ms)
{
	lock_wait_ms = ms;
}

/* db_set_lock_wait's, or $MLWB_LOCK_WAIT's (seconds) if set. */
static int
lock_wait(int64_t *ms, struct wb_err *err)
{
	const char	*env = getenv("MLWB_LOCK_WAIT");
	char		*end;
	double		 s;

	*ms = lock_wait_ms;
	if (env == NULL || *env == '\0')
		return WB_OK;
	errno = 0;
	s = strtod(env, &end);
	if (errno != 0 || end == env || *end != '\0' || !(s >= 0) ||
	    s > 86400)
		return wb_err_set(err, WB_EINVAL, "MLWB_LOCK_WAIT=%.40s: not a "
		    "number of seconds from 0 to 86400", env);
	*ms = (int64_t)(s * 1000);
	return WB_OK;
}

int
db_open(const char *path, int flags, struct db **out, struct wb_err *err)
{
	struct db	*db;
	struct stat	 sb;
	char		 label[256];
	int64_t		 wait_ms;
	int		 rc, remote;

	*out = NULL;
	if ((rc = lock_wait(&wait_ms, err)) != WB_OK)
		return rc;
	remote = db_is_url(path);
#ifndef HAVE_LIBPQ
	if (remote)
		return wb_err_set(err, WB_EINVAL, "%s: this mlwb was built "
		    "without PostgreSQL (rebuild with libpq-dev installed)",
		    db_url_label(path, label, sizeof label));
#endif
	if (!remote && (flags & (DB_NOCREATE | DB_READONLY)) &&
	    strcmp(path, ":memory:") != 0 && stat(path, &sb) == -1)
		return wb_err_set(err, WB_ENOTFOUND,
		    "%s: no workspace here (create one with 'mlwb init' or "
		    "'mlwb demo')", path);
	if ((db = wb_calloc(1, sizeof *db)) == NULL ||
	    (db->url = wb_strdup(path)) == NULL ||
	    (db->path = wb_strdup(db_url_label(path, label, sizeof label))) ==
	    NULL ||
	    (db->pool = wb_calloc(DB_STMT_POOL, sizeof *db->pool)) == NULL) {
		if (db != NULL) {
			wb_free(db->url);
			wb_free(db->path);
		}
		wb_free(db);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	db->flags = flags;
	db->lock_wait_ms = wait_ms;
#ifdef HAVE_LIBPQ
	if (remote)
		rc = db_pg_open(db, path, flags, err);
	else
#endif
		rc = db_sqlite_open(db, path, flags, err);
	if (rc != WB_OK) {
		db_close(db);
		return rc;
	}
	*out = db;
	return WB_OK;
}

void
db_close(struct db *db)
{
	struct db_stmt	*s, *next;
	size_t		 i;

	if (db == NULL)
		return;
	for (i = 0; i < DB_STMT_BUCKETS; i++) {
		for (s = db->stmts[i]; s != NULL; s = next) {
			next = s->next;
			s->ops->finalize(s->h);
			if (s < db->pool || s >= db->pool + DB_STMT_POOL)
				wb_free(s);
		}
	}
	if (db->ops != NULL)
		db->ops->close(db);
	wb_free(db->pool);
	wb_free(db->path);
	wb_free(db->url);
	wb_free(db->ro_uri);
	wb_free(db);
}

const char *
db_path(const struct db *db)
{
	return db->url;
}

int
db_is_url(const char *path)
{
	return strncmp(path, "postgresql://", 13) == 0 ||
	    strncmp(path, "postgres://", 11) == 0;
}

int
db_is_remote(const struct db *db)
{
	return db_is_url(db->url);
}

const char *
db_label(const struct db *db)
{
	return db->path;
}

void
db_set_progress_hook(struct db *db, const struct wb_progress *p)
{
	db->progress = p;
}

const struct wb_progress *
db_progress_hook(const struct db *db)
{
	return db->progress;
}

/*
 * A server store's local folder: $MLWB_LOCAL_DIR, else mlwb/ in the XDG
 * state folder (~/.local/state/mlwb), made if missing.
 */
static int
remote_dir(struct strbuf *sb, struct wb_err *err)
{
	const char	*env = getenv("MLWB_LOCAL_DIR"), *home;
	char		*p;

	if (env != NULL && *env != '\0')
		strbuf_adds(sb, env);
	else if ((env = getenv("XDG_STATE_HOME")) != NULL && *env == '/')
		strbuf_addf(sb, "%s/mlwb", env);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		strbuf_addf(sb, "%s/.local/state/mlwb", home);
	else
		return wb_err_set(err, WB_EINVAL, "no folder for this box's "
		    "files of the workspace: set MLWB_LOCAL_DIR");
	if (sb->oom)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	/* mkdir -p */
	for (p = sb->s + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(sb->s, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return wb_err_set(err, WB_EIO, "%s: %s", sb->s,
			    strerror(errno));
		}
		*p = '/';
	}
	if (mkdir(sb->s, 0755) != 0 && errno != EEXIST)
		return wb_err_set(err, WB_EIO, "%s: %s", sb->s,
		    strerror(errno));
	return WB_OK;
}

char *
db_local_dir(const struct db *db, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*from = db->url;
	char		*real, *slash, *out;

	if (db_is_remote(db)) {
		if (remote_dir(&sb, err) != WB_OK) {
			strbuf_free(&sb);
			return NULL;
		}
		from = strbuf_str(&sb);
	}
	/* The database may not exist as a file (":memory:" in tests). */
	real = realpath(from, NULL);
	if (real == NULL)
		wb_err_set(err, WB_EIO, "%s: %s", from, strerror(errno));
	strbuf_free(&sb);
	if (real == NULL)
		return NULL;
	if (!db_is_remote(db) && (slash = strrchr(real, '/')) != NULL)
		slash[slash == real] = '\0';	/* "/x.db" keeps "/" */
	if ((out = wb_strdup(real)) == NULL)
		wb_err_set(err, WB_ENOMEM, "out of memory");
	free(real);	/* realpath's: the C library's allocator */
	return out;
}

struct db_lock {
	int	fd;
};

int
db_lock(struct db *db, const char *name, struct db_lock **lock,
    struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	struct db_lock	*l;
	int		 rc;

	*lock = NULL;
	if (db->ops->lock != NULL)
		return db->ops->lock(db, name, 1, err);
	if (*db->url == '\0' || strcmp(db->url, ":memory:") == 0 ||
	    strncmp(db->url, "file:", 5) == 0)
		return WB_OK;	/* one connection: nobody to take turns with */
	strbuf_addf(&sb, "%s-%s.lock", db->url, name);
	if (sb.oom || (l = wb_calloc(1, sizeof *l)) == NULL) {
		strbuf_free(&sb);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	if ((l->fd = open(strbuf_str(&sb), O_RDWR | O_CREAT | O_CLOEXEC,
	    0666)) < 0) {
		rc = wb_err_set(err, WB_EIO, "%s: %s", strbuf_str(&sb),
		    strerror(errno));
		strbuf_free(&sb);
		wb_free(l);
		return rc;
	}
	strbuf_free(&sb);
	while (flock(l->fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			rc = wb_err_set(err, WB_EIO, "cannot lock the %s: %s",
			    name, strerror(errno));
			close(l->fd);
			wb_free(l);
			return rc;
		}
	}
	*lock = l;
	return WB_OK;
}

int
db_lock_fd(const struct db_lock *lock)
{
	return lock != NULL ? lock->fd : -1;
}

void
db_unlock(struct db *db, struct db_lock *lock)
{
	if (db->ops->lock != NULL) {
		(void)db->ops->lock(db, NULL, 0, NULL);
		return;
	}
	if (lock == NULL)
		return;
	close(lock->fd);	/* releases the flock */
	wb_free(lock);
}

const char *
db_url_label(const char *path, char *buf, size_t len)
{
	const char	*s, *at, *colon;

	snprintf(buf, len, "%s", path);
	if (!db_is_url(path) || (s = strstr(path, "://")) == NULL)
		return buf;
	s += 3;
	at = s + strcspn(s, "@/?");
	if (*at != '@')
		return buf;
	if ((colon = memchr(s, ':', (size_t)(at - s))) == NULL)
		return buf;
	snprintf(buf, len, "%.*s:***%s", (int)(colon - path), path, at);
	return buf;
}

int
db_is_readonly(const struct db *db)
{
	return (db->flags & DB_READONLY) != 0;
}

int
db_begin(struct db *db, struct wb_err *err)
{
	char	sql[48];
	int	rc;

	if (db->flags & DB_READONLY)
		return wb_err_set(err, WB_EREADONLY,
		    "%s: opened read-only", db->path);
	if (db->tx_depth == 0)
		rc = db_exec(db, db->ops->begin_sql(), err);
	else {
		snprintf(sql, sizeof sql, "SAVEPOINT sp%d", db->tx_depth);
		rc = db_exec(db, sql, err);
	}
	if (rc == WB_OK)
		db->tx_depth++;
	return rc;
}

int
db_read_begin(struct db *db, int *began, struct wb_err *err)
{
	static const char	 sql[] = "BEGIN";
	struct db_stmt		*st;

	*began = 0;
	if (db->tx_depth > 0 || db_in_transaction(db))
		return WB_OK;
	if ((st = db_prepare(db, sql, err)) == NULL ||
	    db_step_done(db, st, err) != WB_OK)
		return WB_EDB;
	*began = 1;
	return WB_OK;
}

void
db_read_end(struct db *db, int began)
{
	static const char	 sql[] = "COMMIT";
	struct db_stmt		*st;

	if (!began)
		return;
	if ((st = db_prepare(db, sql, NULL)) == NULL ||
	    db_step(st) != DB_DONE)
		db_exec(db, "ROLLBACK", NULL);
	if (st != NULL)
		db_reset(st);
}

int
db_commit(struct db *db, struct wb_err *err)
{
	char	sql[48];
	int	rc;

	if (db->tx_depth <= 0)
		return wb_err_set(err, WB_EDB, "commit without begin");
	if (db->tx_depth == 1) {
		if ((rc = db_textidx_settle(db, err)) == WB_OK)
			rc = db_exec(db, "COMMIT", err);
	} else {
		snprintf(sql, sizeof sql, "RELEASE sp%d", db->tx_depth - 1);
		rc = db_exec(db, sql, err);
	}
	if (rc == WB_OK) {
		db->tx_depth--;
		/* A savepoint's deferral now belongs to its parent. */
		if (db->text_deferred > db->tx_depth)
			db->text_deferred = db->tx_depth;
	} else
		db_rollback(db);
	return rc;
}

void
db_rollback(struct db *db)
{
	char	sql[64];

	if (db->tx_depth <= 0)
		return;
	db->tx_depth--;
	/* The rollback takes back db_textidx_defer's triggers too. */
	if (db->text_deferred > db->tx_depth)
		db->text_deferred = 0;
	if (db->tx_depth == 0) {
		db_exec(db, "ROLLBACK", NULL);
		return;
	}
	snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d",
	    db->tx_depth, db->tx_depth);
	db_exec(db, sql, NULL);
}

int
db_data_version(struct db *db, int64_t *version, struct wb_err *err)
{
	return db->ops->data_version(db, version, err);
}

/*
 * Test hook of the bulk writers (import, import-mlflow, sync): with $env
 * naming a file, create it once every row is written, nothing committed,
 * and wait until it is removed.  A test kills the writer there (kill -9
 * loses only its uncommitted work) or takes the server away and then
 * removes the file (the commit fails, clearly), instead of racing a
 * sleep against a writer that may already be done.
 */
void
db_test_stall(const char *env)
{
	const char	*path = getenv(env);
	struct stat	 st;
	int		 fd;

	if (path == NULL || *path == '\0')
		return;
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0)
		close(fd);
	while (stat(path, &st) == 0)
		usleep(20000);
}
