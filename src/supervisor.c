/*
 * supervisor: one job from start to end (see supervisor.h).  Owns the
 * job's child process, the pipe of its output, its log file, the points
 * captured but not yet written, and the decision of how the job ended.
 *
 * The loop wakes at least every 250 ms: to read output, to notice the
 * child's end (waitpid WNOHANG; no SIGCHLD handler needed), to write
 * captured points, and to check the job row for a kill request.  After
 * the child has ended, output still in the pipe is read for up to a
 * second more (a background process it left may hold the pipe open
 * forever; that must not keep the job "running").
 */
#include "config.h"

#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "artifact.h"
#include "db.h"
#include "db_jobs.h"
#include "db_metric.h"
#include "db_repro.h"
#include "db_run.h"
#include "err.h"
#include "launch.h"
#include "lineage.h"
#include "db_lineage.h"
#include "mem.h"
#include "project.h"
#include "scalars.h"
#include "repro.h"
#include "strbuf.h"
#include "sysmetrics.h"
#include "yamldoc.h"

extern char **environ;

#define FLUSH_MS	500	/* captured points reach the db this often, */
#define FLUSH_POINTS	20000	/* or as soon as this many are waiting */
#define KILL_CHECK_MS	1000	/* the job row is read this often */
#define DRAIN_MS	1000	/* output read after the child's end */
#define MAX_PENDING	2000000	/* points kept while the db refuses them */

struct point {
	char	*key;
	int64_t	 step, ts;
	double	 value;
};

struct sup {
	struct db	*db;
	struct job	 job;
	struct scalars	*sc;
	struct point	*pend;
	size_t		 npend, cap;
	int		 log;		/* log file descriptor */
	pid_t		 pid;		/* the job's process (= its group) */
	int		 kill_asked;
	int64_t		 kill_at;
	int		 sample_every;	/* seconds; 0: no system metrics */
	int64_t		 sample_step;
	struct sysm	 sm;
};

static volatile sig_atomic_t got_term;

static void
on_term(int sig)
{
	(void)sig;
	got_term = 1;
}

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write all of buf to fd (the log); errors are dropped: output goes on. */
static void
write_all(int fd, const char *buf, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* A line of ours in the job's log: "mlwb: ...". */
static void
log_note(struct sup *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
log_note(struct sup *s, const char *fmt, ...)
{
	char	buf[512];
	va_list	ap;
	int	n;

	if (s->log < 0)
		return;
	n = snprintf(buf, sizeof buf, "mlwb: ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 2)
		n = (int)sizeof buf - 2;
	buf[n++] = '\n';
	write_all(s->log, buf, (size_t)n);
}

static int
on_point(void *arg, const char *key, int64_t step, double value)
{
	struct sup	*s = arg;
	struct point	*np;

	if (s->npend >= MAX_PENDING)
		return 0;	/* the db has been busy for long: drop */
	if (s->npend == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		if ((np = wb_reallocarray(s->pend, s->cap, sizeof *np)) ==
		    NULL)
			return WB_ENOMEM;
		s->pend = np;
	}
	if ((s->pend[s->npend].key = wb_strdup(key)) == NULL)
		return WB_ENOMEM;
	s->pend[s->npend].step = step;
	s->pend[s->npend].ts = db_now_ms();
	s->pend[s->npend].value = value;
	s->npend++;
	return 0;
}

/* A system metric of the current sample, pending like a captured one. */
static int
on_sys(void *arg, const char *key, double value)
{
	struct sup	*s = arg;

	return on_point(s, key, s->sample_step, value);
}

/*
 * The run's sampling interval (launch --sample-every, the project's
 * system_metrics: sample_every, kept with the run); a run launched
 * before there was one gets the default.
 */
static void
load_sample_every(struct sup *s)
{
	const struct repro_item	*it;
	struct repro		 rp;
	struct wb_err		 e;

	s->sample_every = SYSM_DEFAULT_EVERY;
	if (db_repro_get(s->db, s->job.run_id, REPRO_SYSTEM, &rp, &e) ==
	    WB_OK && (it = repro_find(&rp, REPRO_SYSTEM, "sample_every")) !=
	    NULL)
		s->sample_every = atoi(it->value);
	repro_free(&rp);
}

/* Write the pending points in one short transaction. */
static int
flush_points(struct sup *s, struct wb_err *err)
{
	struct mwriter	*w = NULL;
	int64_t		 key_id;
	size_t		 i;
	int		 rc;

	if (s->npend == 0)
		return WB_OK;
	if ((rc = db_begin(s->db, err)) != WB_OK)
		return rc;
	if ((rc = mw_open(s->db, &w, err)) == WB_OK) {
		for (i = 0; i < s->npend && rc == WB_OK; i++)
			if ((rc = mw_key(w, s->pend[i].key, &key_id, err)) ==
			    WB_OK)
				rc = mw_add(w, s->job.run_id, key_id,
				    s->pend[i].step, s->pend[i].ts,
				    s->pend[i].value, err);
		if (rc == WB_OK)
			rc = mw_flush(w, err);
	}
	if (rc == WB_OK)
		rc = db_commit(s->db, err);
	else
		db_rollback(s->db);
	mw_close(w);
	if (rc != WB_OK)
		return rc;	/* kept: tried again at the next flush */
	for (i = 0; i < s->npend; i++)
		wb_free(s->pend[i].key);
	s->npend = 0;
	return WB_OK;
}

/* The scalars JSON of the job row into a capture set. */
static int
load_scalars(struct sup *s, struct wb_err *err)
{
	const struct ynode	*def, *pats, *it, *key, *pat;
	struct ydoc		*doc;
	size_t			 i;
	int			 rc;

	if ((rc = scalars_new(&s->sc, err)) != WB_OK)
		return rc;
	if (s->job.scalars == NULL)
		return scalars_add_default(s->sc, err);
	if ((rc = ydoc_load_mem(s->job.scalars, strlen(s->job.scalars),
	    "scalars", &doc, err)) != WB_OK)
		return rc;
	def = ynode_get(doc->root, "default");
	pats = ynode_get(doc->root, "patterns");
	for (i = 0; pats != NULL && pats->type == YNODE_SEQ && i < pats->n &&
	    rc == WB_OK; i++) {
		it = pats->items[i];
		key = ynode_get(it, "key");
		pat = ynode_get(it, "pattern");
		if (ynode_str(pat) == NULL)
			continue;
		rc = scalars_add(s->sc, ynode_is_null(key) ? NULL :
		    ynode_str(key), ynode_str(pat), err);
	}
	if (rc == WB_OK && (def == NULL || strcmp(ynode_str(def) ?
	    ynode_str(def) : "", "false") != 0))
		rc = scalars_add_default(s->sc, err);
	ydoc_free(doc);
	return rc;
}

/*
 * The job's environment: ours, then the entry's env, then MLWB_* so the
 * script can find its run, and PYTHONUNBUFFERED so Python output arrives
 * as it is printed rather than in 8 KB blocks.
 */
static char **
job_env(struct sup *s, char **entry_env, const char *db_file)
{
	struct strbuf	  sb = STRBUF_INIT;
	char		**v;
	size_t		  n, m = 0, i, j, k, klen;
	const char	 *eq;

	for (n = 0; environ[n] != NULL; n++)
		;
	for (i = 0; entry_env != NULL && entry_env[i] != NULL; i++)
		m++;
	if ((v = wb_calloc(n + m + 8, sizeof *v)) == NULL)
		return NULL;
	k = 0;
	for (i = 0; i < n; i++)
		if ((v[k++] = wb_strdup(environ[i])) == NULL)
			goto fail;
	for (i = 0; i < m + 7; i++) {
		strbuf_reset(&sb);
		if (i < m)
			strbuf_adds(&sb, entry_env[i]);
		else if (i == m)
			strbuf_addf(&sb, "MLWB_RUN_ID=%s", s->job.run_uuid);
		else if (i == m + 1)
			strbuf_addf(&sb, "MLWB_DB=%s", db_file);
		else if (i == m + 2)
			strbuf_addf(&sb, "MLWB_JOB_ID=%lld",
			    (long long)s->job.id);
		else if (i == m + 3)
			strbuf_addf(&sb, "MLWB_ENTRY=%s", s->job.entry);
		else if (i == m + 4)
			strbuf_addf(&sb, "MLWB_RUN_NAME=%s", s->job.run_name);
		else if (i == m + 5)
			strbuf_addf(&sb, "MLWB_EXPERIMENT=%s",
			    s->job.experiment);
		else if (getenv("PYTHONUNBUFFERED") == NULL)
			strbuf_adds(&sb, "PYTHONUNBUFFERED=1");
		else
			continue;
		if (sb.oom)
			goto fail;
		eq = strchr(sb.s, '=');
		klen = eq != NULL ? (size_t)(eq - sb.s) + 1 : sb.len;
		/* Replace a variable of the same name. */
		for (j = 0; j < k; j++)
			if (strncmp(v[j], sb.s, klen) == 0)
				break;
		if (j < k)
			wb_free(v[j]);
		else
			j = k++;
		if ((v[j] = strbuf_detach(&sb)) == NULL)
			goto fail;
	}
	strbuf_free(&sb);
	return v;
fail:
	strbuf_free(&sb);
	project_argv_free(v);
	return NULL;
}

/* In the child: become the job.  Never returns. */
static void
exec_job(struct sup *s, int out, char **argv, char **envp)
{
	static const int	 sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGPIPE,
	    SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGCHLD };
	struct rlimit		 rl;
	sigset_t		 none;
	size_t			 i;
	long			 fd, max = 1024;
	int			 dn;

	setsid();
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((dn = open("/dev/null", O_RDONLY)) >= 0 && dn != 0) {
		dup2(dn, 0);
		close(dn);
	}
	dup2(out, 1);
	dup2(out, 2);
	/* Nothing of ours (the pipe, the database) leaks into the job. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		max = rl.rlim_cur < 65536 ? (long)rl.rlim_cur : 65536;
	for (fd = 3; fd < max; fd++)
		close((int)fd);
	if (chdir(s->job.cwd != NULL ? s->job.cwd : "/") != 0) {
		dprintf(2, "mlwb: cannot enter %s: %s\n", s->job.cwd,
		    strerror(errno));
		_exit(126);
	}
	environ = envp;
	execvp(argv[0], argv);
	dprintf(2, "mlwb: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* How the job ended, from its wait status. */
static void
verdict(struct sup *s, int st, const char **state, int *has_exit, int *code,
    int *sig)
{
	*sig = 0;
	*has_exit = 1;
	if (WIFEXITED(st)) {
		*code = WEXITSTATUS(st);
		*state = s->kill_asked ? "killed" : *code == 0 ? "finished" :
		    "failed";
		return;
	}
	*sig = WIFSIGNALED(st) ? WTERMSIG(st) : SIGKILL;
	*code = 128 + *sig;
	/* Killed by someone; a crash of its own (SEGV, ABRT) is a failure. */
	*state = s->kill_asked || *sig == SIGTERM || *sig == SIGKILL ||
	    *sig == SIGINT || *sig == SIGHUP || *sig == SIGQUIT ? "killed" :
	    "failed";
}

/* Record the end, retrying while another writer holds the database. */
static int
record_end(struct sup *s, const char *state, int has_exit, int code, int sig,
    struct wb_err *err)
{
	int	rc = WB_EDB, tries;

	for (tries = 0; tries < 20; tries++) {
		if ((rc = db_begin(s->db, err)) == WB_OK) {
			rc = db_job_ended(s->db, s->job.id, state, has_exit,
			    code, sig, db_now_ms(), err);
			if (rc == WB_OK)
				rc = db_commit(s->db, err);
			else
				db_rollback(s->db);
		}
		if (rc != WB_EDB)
			break;
		usleep(250000);
	}
	return rc;
}

/*
 * The entry point's outputs (the run's LAUNCH_OUTPUTS_TAG), each glob
 * expanded in the job's cwd, logged as artifacts of the run: before the
 * end is recorded, so that a finished run has them.  Whatever the job
 * left is logged, also when it failed; a problem is noted in the job's
 * log and does not change how the job ended.
 */
static void
log_outputs(struct sup *s)
{
	struct wb_err	 err;
	struct strbuf	 pat = STRBUF_INIT;
	struct kv	*kv = NULL;
	glob_t		 g;
	char		**outs = NULL;
	size_t		 n = 0, i, j;
	int		 grc;

	if (db_tags_get(s->db, s->job.run_id, &kv, &n, &err) != WB_OK) {
		log_note(s, "outputs not logged: %s", err.msg);
		return;
	}
	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, LAUNCH_OUTPUTS_TAG) == 0 &&
		    kv[i].value != NULL &&
		    launch_json_strv(kv[i].value, &outs, &err) != WB_OK)
			log_note(s, "outputs not logged: %s", err.msg);
	kv_free(kv, n);
	for (i = 0; outs != NULL && outs[i] != NULL; i++) {
		strbuf_reset(&pat);
		if (outs[i][0] == '/' || s->job.cwd == NULL)
			strbuf_adds(&pat, outs[i]);
		else
			strbuf_addf(&pat, "%s/%s", s->job.cwd, outs[i]);
		if (pat.oom)
			break;
		grc = glob(pat.s, GLOB_NOSORT, NULL, &g);
		if (grc == GLOB_NOMATCH)
			log_note(s, "output %s: nothing there", outs[i]);
		for (j = 0; grc == 0 && j < g.gl_pathc; j++)
			if (art_log(s->db, s->job.run_id, g.gl_pathv[j], NULL,
			    &err) != WB_OK)
				log_note(s, "output %s: %s", outs[i], err.msg);
		if (grc == 0)
			globfree(&g);
	}
	project_argv_free(outs);
	strbuf_free(&pat);
}

/* Record the scanned data sets ds as inputs of the job's run. */
static int
add_inputs(struct sup *s, struct lin_ds *ds, size_t nds, struct wb_err *err)
{
	size_t	i;
	int	rc;

	if ((rc = db_begin(s->db, err)) != WB_OK)
		return rc;
	for (i = 0; i < nds && rc == WB_OK; i++)
		rc = db_lineage_add(s->db, s->job.run_id, &ds[i], err);
	if (rc == WB_OK)
		return db_commit(s->db, err);
	db_rollback(s->db);
	return rc;
}

/*
 * The entry point's input data sets (the run's LAUNCH_INPUTS_TAG): every
 * file hashed and scanned now, when the job starts, then recorded as the
 * run's inputs in one transaction (retried while another writer holds
 * the database).  A file gone since the launch fails the start, naming
 * it: the job must not run on data it does not record.
 */
static int
log_inputs(struct sup *s, struct wb_err *err)
{
	struct kv	*kv = NULL;
	struct lin_ds	*ds = NULL;
	char		**specs = NULL, **files = NULL;
	size_t		 n = 0, nds = 0, i;
	int		 rc, tries;

	if ((rc = db_tags_get(s->db, s->job.run_id, &kv, &n, err)) != WB_OK)
		return rc;
	for (i = 0; i < n && rc == WB_OK; i++)
		if (strcmp(kv[i].key, LAUNCH_INPUTS_TAG) == 0 &&
		    kv[i].value != NULL)
			rc = launch_json_strv(kv[i].value, &specs, err);
	kv_free(kv, n);
	if (rc != WB_OK || specs == NULL)
		goto out;
	if ((rc = launch_input_files(s->job.cwd, specs, &files, err)) !=
	    WB_OK)
		goto out;
	for (n = 0; files != NULL && files[n] != NULL; n++)
		;
	if ((ds = wb_calloc(n / 2 + 1, sizeof *ds)) == NULL) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i + 1 < n && rc == WB_OK; i += 2, nds++)
		rc = lineage_scan_path(files[i], files[i + 1], 0, &ds[nds],
		    err);
	for (tries = 0; rc == WB_OK; tries++) {
		if ((rc = add_inputs(s, ds, nds, err)) != WB_EDB || tries == 19)
			break;
		usleep(250000);
		rc = WB_OK;
	}
out:
	lin_ds_free(ds, nds);
	project_argv_free(specs);
	project_argv_free(files);
	return rc;
}

/* Check the job row for a kill request; do the SIGKILL when it is due. */
static void
check_kill(struct sup *s, int exited)
{
	struct wb_err	err;
	struct job	j;

	if (db_job_get(s->db, s->job.id, &j, &err) == WB_OK) {
		if (j.kill_at != 0) {
			s->kill_asked = 1;
			s->kill_at = j.kill_at;
		}
		job_clear(&j);
	}
	if (s->kill_asked && !exited && db_now_ms() >= s->kill_at) {
		kill(-s->pid, SIGKILL);
		s->kill_at = INT64_MAX;	/* once */
	}
}

/* Read output until the child ends (and its pipe drains). */
static int
follow(struct sup *s, int fd, int *status, struct wb_err *err)
{
	struct pollfd	 pfd;
	char		 buf[65536];
	ssize_t		 n;
	int64_t		 now, last_flush = mono_ms(), last_check = 0;
	int64_t		 last_beat = 0, last_sample = mono_ms();
	int64_t		 ended = 0;
	int		 eof = 0, exited = 0, rc;

	for (;;) {
		if (!eof) {
			pfd.fd = fd;
			pfd.events = POLLIN;
			pfd.revents = 0;
			if (poll(&pfd, 1, 250) > 0) {
				n = read(fd, buf, sizeof buf);
				if (n > 0) {
					write_all(s->log, buf, (size_t)n);
					if ((rc = scalars_feed(s->sc, buf,
					    (size_t)n, on_point, s)) != 0)
						return wb_err_set(err, WB_ENOMEM,
						    "out of memory");
				} else if (n == 0 || (errno != EINTR &&
				    errno != EAGAIN))
					eof = 1;
			}
		} else if (!exited)
			usleep(10000);	/* output closed: the end is near */
		if (!exited && waitpid(s->pid, status, WNOHANG) == s->pid) {
			exited = 1;
			ended = mono_ms();
		}
		now = mono_ms();
		if (exited && (eof || now - ended >= DRAIN_MS))
			break;
		if (got_term && !s->kill_asked) {
			/* Our own SIGTERM (shutdown): pass it on as a kill. */
			s->kill_asked = 1;
			s->kill_at = db_now_ms() + LAUNCH_KILL_GRACE * 1000;
			db_job_kill_asked(s->db, s->job.id, s->kill_at, NULL);
			kill(-s->pid, SIGTERM);
		}
		if (now - last_check >= KILL_CHECK_MS) {
			check_kill(s, exited);
			last_check = now;
		}
		if (now - last_beat >= LAUNCH_HEARTBEAT_MS) {
			/* A failed beat is tried again at the next one. */
			(void)db_job_heartbeat(s->db, s->job.id, db_now_ms(),
			    NULL);
			last_beat = now;
		}
		if (s->sample_every > 0 && !exited && now - last_sample >=
		    (int64_t)s->sample_every * 1000) {
			if (sysm_sample(&s->sm, now, on_sys, s) != 0)
				return wb_err_set(err, WB_ENOMEM,
				    "out of memory");
			s->sample_step++;
			last_sample = now;
		}
		if (now - last_flush >= FLUSH_MS || s->npend >= FLUSH_POINTS) {
			(void)flush_points(s, NULL);
			last_flush = now;
		}
	}
	if (scalars_finish(s->sc, on_point, s) != 0)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	return WB_OK;
}

static void
sup_free(struct sup *s)
{
	size_t	i;

	for (i = 0; i < s->npend; i++)
		wb_free(s->pend[i].key);
	wb_free(s->pend);
	scalars_free(s->sc);
	if (s->log >= 0)
		close(s->log);
	job_clear(&s->job);
	db_close(s->db);
}

/* Everything up to the child running; on failure the job is failed. */
static int
start(struct sup *s, const char *db_file, int *fd, struct wb_err *err)
{
	char	**argv = NULL, **env = NULL, **envp = NULL;
	int	  p[2], rc;

	if ((rc = launch_json_strv(s->job.argv, &argv, err)) != WB_OK ||
	    (s->job.env != NULL && (rc = launch_json_strv(s->job.env, &env,
	    err)) != WB_OK) || (rc = load_scalars(s, err)) != WB_OK ||
	    (rc = log_inputs(s, err)) != WB_OK)
		goto out;
	if (argv[0] == NULL) {
		rc = wb_err_set(err, WB_EINVAL, "empty command");
		goto out;
	}
	if ((envp = job_env(s, env, db_file)) == NULL) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	if (pipe(p) != 0) {
		rc = wb_err_set(err, WB_EPROC, "pipe: %s", strerror(errno));
		goto out;
	}
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	if ((s->pid = fork()) < 0) {
		rc = wb_err_set(err, WB_EPROC, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		goto out;
	}
	if (s->pid == 0) {
		if (s->log >= 0)
			close(s->log);
		exec_job(s, p[1], argv, envp);
	}
	close(p[1]);
	*fd = p[0];
	rc = WB_OK;
out:
	project_argv_free(argv);
	project_argv_free(env);
	project_argv_free(envp);
	return rc;
}

int
supervisor_run(const char *db_file, int64_t job_id, const char *const *cmd,
    struct wb_err *err)
{
	struct sigaction	 sa;
	struct sup		 s;
	struct wb_err		 e2;
	const char		*state;
	int			 rc, fd = -1, status = 0, has_exit, code, sig;

	memset(&s, 0, sizeof s);
	s.log = -1;
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);

	if ((rc = db_open(db_file, DB_NOCREATE, &s.db, err)) != WB_OK)
		return rc;
	db_job_no_checkpoint_on_close(s.db);
	if ((rc = db_job_get(s.db, job_id, &s.job, err)) != WB_OK)
		goto out;
	if (strcmp(s.job.state, "starting") != 0) {
		rc = wb_err_set(err, WB_EINVAL, "job %lld is %s, not starting",
		    (long long)job_id, s.job.state);
		goto out;
	}
	if ((rc = db_job_supervised(s.db, job_id, getpid(), err)) != WB_OK)
		goto out;
	if (s.job.log_path != NULL)
		s.log = open(s.job.log_path, O_WRONLY | O_CREAT | O_APPEND |
		    O_CLOEXEC, 0644);
	if (s.job.kill_at != 0) {
		rc = record_end(&s, "killed", 0, 0, 0, err);
		goto out;
	}
	if ((rc = start(&s, db_file, &fd, err)) != WB_OK) {
		log_note(&s, "%s", err->msg);
		record_end(&s, "failed", 0, 0, 0, &e2);
		goto out;
	}
	if ((rc = db_job_started(s.db, job_id, s.pid, s.pid, db_now_ms(),
	    err)) != WB_OK)
		log_note(&s, "%s", err->msg);
	load_sample_every(&s);
	sysm_init(&s.sm, s.pid, mono_ms());
	rc = follow(&s, fd, &status, err);
	close(fd);
	if (flush_points(&s, &e2) != WB_OK)
		log_note(&s, "metrics not saved: %s", e2.msg);
	if (rc != WB_OK) {
		/* Out of memory mid-way: the job goes on without us. */
		log_note(&s, "%s", err->msg);
		record_end(&s, "lost", 0, 0, 0, &e2);
		goto out;
	}
	log_outputs(&s);
	verdict(&s, status, &state, &has_exit, &code, &sig);
	rc = record_end(&s, state, has_exit, code, sig, err);
out:
	if (s.db != NULL)
		launch_kick_queue(s.db, cmd, NULL, &e2);
	sup_free(&s);
	return rc;
}
