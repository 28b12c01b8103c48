/*
 * db_jobs: the jobs store (see db_jobs.h).  A job's state and its run's
 * status move together here; the statements are the only SQL about jobs.
 */
#include "config.h"

#include "db_jobs.h"

#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"

#define JOB_COLUMNS							\
	"j.id, j.run_id, r.uuid, r.name, e.name, j.entry, j.argv, j.cwd,"	\
	" j.env, j.env_digest, j.scalars, j.state, j.pid, j.pgid,"	\
	" j.supervisor_pid, j.host, j.log_path, j.exit_code, j.signal,"	\
	" j.kill_at, j.queued_at, j.started_at, j.ended_at"
#define JOB_FROM							\
	" FROM jobs j JOIN runs r ON r.id = j.run_id"			\
	" JOIN experiments e ON e.id = r.experiment_id"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

void
job_clear(struct job *j)
{
	if (j == NULL)
		return;
	wb_free(j->run_name);
	wb_free(j->experiment);
	wb_free(j->entry);
	wb_free(j->argv);
	wb_free(j->cwd);
	wb_free(j->env);
	wb_free(j->env_digest);
	wb_free(j->scalars);
	wb_free(j->state);
	wb_free(j->host);
	wb_free(j->log_path);
	memset(j, 0, sizeof *j);
}

void
jobs_free(struct job *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		job_clear(&rows[i]);
	wb_free(rows);
}

/* A nullable text column copied: -1 when the copy ran out of memory. */
static int
col_str(struct db_stmt *st, int i, char **out)
{
	*out = db_column_strdup(st, i);
	return *out == NULL && db_column_type(st, i) != DB_NULL ?
	    -1 : 0;
}

static int
job_from_row(struct db_stmt *st, struct job *j)
{
	int	bad = 0;

	memset(j, 0, sizeof *j);
	j->id = db_column_int64(st, 0);
	j->run_id = db_column_int64(st, 1);
	snprintf(j->run_uuid, sizeof j->run_uuid, "%s",
	    db_column_text(st, 2));
	bad |= col_str(st, 3, &j->run_name);
	bad |= col_str(st, 4, &j->experiment);
	bad |= col_str(st, 5, &j->entry);
	bad |= col_str(st, 6, &j->argv);
	bad |= col_str(st, 7, &j->cwd);
	bad |= col_str(st, 8, &j->env);
	bad |= col_str(st, 9, &j->env_digest);
	bad |= col_str(st, 10, &j->scalars);
	bad |= col_str(st, 11, &j->state);
	j->pid = db_column_int64(st, 12);
	j->pgid = db_column_int64(st, 13);
	j->supervisor_pid = db_column_int64(st, 14);
	bad |= col_str(st, 15, &j->host);
	bad |= col_str(st, 16, &j->log_path);
	j->has_exit_code = db_column_type(st, 17) != DB_NULL;
	j->exit_code = db_column_int(st, 17);
	j->signal = db_column_int(st, 18);
	j->kill_at = db_column_int64(st, 19);
	j->queued_at = db_column_int64(st, 20);
	j->started_at = db_column_int64(st, 21);
	j->ended_at = db_column_int64(st, 22);
	if (bad) {
		job_clear(j);
		return WB_ENOMEM;
	}
	return WB_OK;
}

/* ?1 to ?8: what a job runs (run_id ... state), as both inserts name them. */
static void
bind_what(struct db_stmt *st, const struct job *j)
{
	db_bind_int64(st, 1, j->run_id);
	db_bind_text(st, 2, j->entry);
	db_bind_text(st, 3, j->argv);
	db_bind_text(st, 4, j->cwd);
	db_bind_text(st, 5, j->env);
	db_bind_text(st, 6, j->env_digest);
	db_bind_text(st, 7, j->scalars);
	db_bind_text(st, 8, j->state);
}

int
db_job_insert(struct db *db, const struct job *j, int64_t *id,
    struct wb_err *err)
{
	static const char	 sql[] =
	    "INSERT INTO jobs (run_id, entry, argv, cwd, env, env_digest,"
	    " scalars, state, host, log_path, queued_at, started_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
	    " CASE ?8 WHEN 'queued' THEN NULL ELSE ?11 END) RETURNING id";
	struct db_stmt *st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	bind_what(st, j);
	db_bind_text(st, 9, j->host);
	db_bind_text(st, 10, j->log_path);
	db_bind_int64(st, 11, j->queued_at ? j->queued_at : db_now_ms());
	if ((rc = db_step_id(db, st, id, err)) != WB_OK)
		return rc;
	return WB_OK;
}

int
db_job_restore(struct db *db, const struct job *j, int64_t *id,
    struct wb_err *err)
{
	static const char	 sql[] =
	    "INSERT INTO jobs (run_id, entry, argv, cwd, env, env_digest,"
	    " scalars, state, pid, pgid, supervisor_pid, host, log_path,"
	    " exit_code, signal, kill_at, queued_at, started_at, ended_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
	    " ?14, ?15, ?16, ?17, ?18, ?19) RETURNING id";
	struct db_stmt *st;
	int			 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	bind_what(st, j);
	db_bind_int64_or_null(st, 9, j->pid, j->pid == 0);
	db_bind_int64_or_null(st, 10, j->pgid, j->pgid == 0);
	db_bind_int64_or_null(st, 11, j->supervisor_pid,
	    j->supervisor_pid == 0);
	db_bind_text(st, 12, j->host);
	db_bind_text(st, 13, j->log_path);
	db_bind_int64_or_null(st, 14, j->exit_code, !j->has_exit_code);
	db_bind_int64_or_null(st, 15, j->signal, j->signal == 0);
	db_bind_int64_or_null(st, 16, j->kill_at, j->kill_at == 0);
	db_bind_int64(st, 17, j->queued_at);
	db_bind_int64_or_null(st, 18, j->started_at, j->started_at == 0);
	db_bind_int64_or_null(st, 19, j->ended_at, j->ended_at == 0);
	if ((rc = db_step_id(db, st, id, err)) != WB_OK)
		return rc;
	return WB_OK;
}

static int
get_one(struct db *db, const char *sql, int64_t key, struct job *j,
    const char *what, struct wb_err *err)
{
	struct db_stmt *st;
	int		 rc;

	memset(j, 0, sizeof *j);
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, key);
	rc = db_step(st);
	if (rc == DB_ROW) {
		rc = job_from_row(st, j);
		db_reset(st);
		return rc == WB_OK ? WB_OK : oom(err);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return db_sqlerr(db, err);
	return wb_err_set(err, WB_ENOTFOUND, "%s", what);
}

int
db_job_get(struct db *db, int64_t id, struct job *j, struct wb_err *err)
{
	static const char	sql[] = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.id = ?1";

	return get_one(db, sql, id, j, "no such job", err);
}

int
db_job_of_run(struct db *db, int64_t run_id, struct job *j,
    struct wb_err *err)
{
	static const char	sql[] = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.run_id = ?1";

	return get_one(db, sql, run_id, j, "the run was not launched by mlwb "
	    "(no job)", err);
}

int
db_job_each(struct db *db, int recent, int (*fn)(void *, struct job *),
    void *arg, struct wb_err *err)
{
	/* Active first, then ended ones by end time, newest first. */
	static const char	 sql[] = "SELECT " JOB_COLUMNS JOB_FROM
	    " WHERE j.id IN (SELECT id FROM jobs WHERE state IN ('queued',"
	    "  'starting', 'running') UNION ALL SELECT id FROM (SELECT id"
	    "  FROM jobs WHERE state NOT IN ('queued', 'starting', 'running')"
	    "  ORDER BY coalesce(ended_at, queued_at) DESC, id DESC LIMIT ?1)"
	    "  AS recent)"
	    " ORDER BY j.state NOT IN ('queued', 'starting', 'running'),"
	    " coalesce(j.ended_at, j.started_at, j.queued_at) DESC, j.id DESC";
	struct db_stmt *st;
	struct job		 j;
	int			 rc, stop = 0;

	/* Cached: fn may run other statements, not this one. */
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_limit(st, 1, recent);
	while (!stop && (rc = db_step(st)) == DB_ROW) {
		if (job_from_row(st, &j) != WB_OK) {
			db_reset(st);
			return oom(err);
		}
		stop = fn(arg, &j);
		job_clear(&j);
	}
	if (!stop && rc != DB_DONE) {
		db_sqlerr(db, err);
		db_reset(st);
		return WB_EDB;
	}
	db_reset(st);
	return WB_OK;
}

struct job_vec {
	struct job	*v;
	size_t		 n, cap;
	int		 oom;
};

/* db_job_each callback: take the job (its strings too) into the vector. */
static int
job_collect(void *arg, struct job *j)
{
	struct job_vec	*jv = arg;
	struct job	*nv;
	size_t		 cap;

	if (jv->n == jv->cap) {
		cap = jv->cap ? 2 * jv->cap : 16;
		if ((nv = wb_reallocarray(jv->v, cap, sizeof *nv)) == NULL) {
			jv->oom = 1;
			return 1;
		}
		jv->v = nv;
		jv->cap = cap;
	}
	jv->v[jv->n++] = *j;
	memset(j, 0, sizeof *j);
	return 0;
}

int
db_job_list(struct db *db, int recent, struct job **rows, size_t *n,
    struct wb_err *err)
{
	struct job_vec	jv;
	int		rc;

	memset(&jv, 0, sizeof jv);
	*rows = NULL;
	*n = 0;
	if ((rc = db_job_each(db, recent, job_collect, &jv, err)) == WB_OK &&
	    jv.oom)
		rc = oom(err);
	if (rc != WB_OK) {
		jobs_free(jv.v, jv.n);
		return rc;
	}
	*rows = jv.v;
	*n = jv.n;
	return WB_OK;
}

int
db_job_supervised(struct db *db, int64_t id, int64_t supervisor_pid,
    struct wb_err *err)
{
	static const char	 sql[] =
	    "UPDATE jobs SET supervisor_pid = ?2 WHERE id = ?1";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, supervisor_pid);
	return db_step_done(db, st, err);
}

static int
db_job_started_body(struct db *db, int64_t id, int64_t pid, int64_t pgid,
    int64_t at, struct wb_err *err)
{
	static const char	 q_job[] =
	    "UPDATE jobs SET state = 'running', pid = ?2, pgid = ?3,"
	    " started_at = ?4 WHERE id = ?1";
	static const char	 q_run[] =
	    "UPDATE runs SET status = 'running', started_at = ?2,"
	    " updated_at = ?2 WHERE id = (SELECT run_id FROM jobs"
	    " WHERE id = ?1)";
	struct db_stmt *st;
	int			 rc;

	if ((st = db_prepare(db, q_job, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, pid);
	db_bind_int64(st, 3, pgid);
	db_bind_int64(st, 4, at);
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	if ((st = db_prepare(db, q_run, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	return db_step_done(db, st, err);
}

static int
db_job_ended_body(struct db *db, int64_t id, const char *state, int has_exit_code,
    int exit_code, int sig, int64_t ended_at, struct wb_err *err)
{
	static const char	 q_job[] =
	    "UPDATE jobs SET state = ?2, exit_code = ?3, signal = ?4,"
	    " ended_at = ?5 WHERE id = ?1";
	static const char	 q_run[] = "SELECT run_id FROM jobs WHERE id = ?1";
	struct db_stmt *st;
	int64_t			 run_id;
	int			 rc;

	if ((st = db_prepare(db, q_run, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	run_id = db_column_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? wb_err_set(err, WB_ENOTFOUND,
		    "no such job") : db_sqlerr(db, err);
	if ((st = db_prepare(db, q_job, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, state);
	db_bind_int64_or_null(st, 3, exit_code, !has_exit_code);
	db_bind_int64_or_null(st, 4, sig, sig == 0);
	db_bind_int64(st, 5, ended_at);
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	return db_run_set_status(db, run_id, state, ended_at, has_exit_code,
	    exit_code, err);
}

int
db_job_kill_asked(struct db *db, int64_t id, int64_t kill_at,
    struct wb_err *err)
{
	static const char	 sql[] =
	    "UPDATE jobs SET kill_at = ?2 WHERE id = ?1";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, kill_at);
	return db_step_done(db, st, err);
}

int
db_job_heartbeat(struct db *db, int64_t id, int64_t at, struct wb_err *err)
{
	static const char	 sql[] = "UPDATE jobs SET heartbeat_at = ?2"
	    " WHERE id = ?1 AND state IN ('starting', 'running')";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	return db_step_done(db, st, err);
}

int
db_job_heartbeat_get(struct db *db, int64_t id, int64_t *at,
    struct wb_err *err)
{
	static const char	 sql[] = "SELECT heartbeat_at FROM jobs"
	    " WHERE id = ?1";
	struct db_stmt *st;
	int			 rc;

	*at = 0;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, id);
	if ((rc = db_step(st)) == DB_ROW)
		*at = db_column_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK : db_sqlerr(db, err);
}

static int
count(struct db *db, const char *sql, int64_t *n, struct wb_err *err)
{
	struct db_stmt *st;
	int		 rc;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	rc = db_step(st);
	*n = db_column_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW ? WB_OK : db_sqlerr(db, err);
}

int
db_job_count_active(struct db *db, int64_t *n, struct wb_err *err)
{
	static const char	 sql[] = "SELECT count(*) FROM jobs"
	    " WHERE state IN ('starting', 'running')";

	return count(db, sql, n, err);
}

int
db_job_count_queued(struct db *db, int64_t *n, struct wb_err *err)
{
	static const char	 sql[] = "SELECT count(*) FROM jobs"
	    " WHERE state = 'queued'";

	return count(db, sql, n, err);
}

static int
db_job_dequeue_body(struct db *db, int64_t *id, struct wb_err *err)
{
	static const char	 q_next[] = "SELECT id, run_id FROM jobs"
	    " WHERE state = 'queued' ORDER BY queued_at, id LIMIT 1";
	static const char	 q_job[] =
	    "UPDATE jobs SET state = 'starting', started_at = ?2"
	    " WHERE id = ?1";
	struct db_stmt *st;
	int64_t			 run_id;
	int			 rc;

	*id = 0;
	if ((st = db_prepare(db, q_next, err)) == NULL)
		return WB_EDB;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		run_id = db_column_int64(st, 1);
	}
	db_reset(st);
	if (rc == DB_DONE)
		return WB_OK;
	if (rc != DB_ROW)
		return db_sqlerr(db, err);
	if ((st = db_prepare(db, q_job, err)) == NULL)
		return WB_EDB;
	db_bind_int64(st, 1, *id);
	db_bind_int64(st, 2, db_now_ms());
	if ((rc = db_step_done(db, st, err)) != WB_OK)
		return rc;
	return db_run_set_status(db, run_id, "running", 0, 0, 0, err);
}

void
db_job_no_checkpoint_on_close(struct db *db)
{
	db_hint(db, DB_HINT_NO_CHECKPOINT);
}

int
db_job_setting_get(struct db *db, const char *key, char **value,
    struct wb_err *err)
{
	static const char	 sql[] =
	    "SELECT value FROM job_settings WHERE key = ?1";
	struct db_stmt *st;
	int			 rc;

	*value = NULL;
	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, key);
	rc = db_step(st);
	if (rc == DB_ROW && (*value = db_column_strdup(st, 0)) == NULL) {
		db_reset(st);
		return oom(err);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? WB_OK :
	    db_sqlerr(db, err);
}

int
db_job_setting_set(struct db *db, const char *key, const char *value,
    struct wb_err *err)
{
	static const char	 sql[] = "INSERT INTO job_settings (key, value)"
	    " VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2";
	struct db_stmt *st;

	if ((st = db_prepare(db, sql, err)) == NULL)
		return WB_EDB;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, value);
	return db_step_done(db, st, err);
}

/* The changes of two tables, in one transaction (nested when inside one). */
int
db_job_started(struct db *db, int64_t id, int64_t pid, int64_t pgid,
    int64_t at, struct wb_err *err)
{
	int	rc;

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = db_job_started_body(db, id, pid, pgid, at, err)) != WB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

int
db_job_ended(struct db *db, int64_t id, const char *state, int has_exit_code,
    int exit_code, int sig, int64_t ended_at, struct wb_err *err)
{
	int	rc;

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = db_job_ended_body(db, id, state, has_exit_code, exit_code,
	    sig, ended_at, err)) != WB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

int
db_job_dequeue(struct db *db, int64_t *id, struct wb_err *err)
{
	int	rc;

	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = db_job_dequeue_body(db, id, err)) != WB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}
