/*
 * verify: the watch of a promoted version (see verify.h).  The checks run
 * through deploy_run_limit (execvp, own process group, output bounded,
 * killed at the window's end); their outcomes are events of the registry
 * log, written in short transactions of their own, so that the UI and
 * `mlwb model history` on any box see the watch as it goes.  The
 * rollback is reg_rollback's, told which version it must take the alias
 * from, so a promotion made during the watch is never undone by it.
 */
#include "config.h"

#include "verify.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "db_registry.h"
#include "deploy.h"
#include "err.h"
#include "mem.h"
#include "pipeline.h"
#include "project.h"
#include "registry.h"
#include "strbuf.h"
#include "text.h"

/* How long after its window a silent watch counts as lost. */
#define LOST_GRACE_MS	(60 * 1000)

static int64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
sleep_ms(int64_t ms)
{
	struct timespec	ts;

	if (ms <= 0)
		return;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		continue;
}

int
verify_duration(const char *s, const char *what, int64_t *ms,
    struct wb_err *err)
{
	if (text_duration_parse(s, ms) != 0)
		return wb_err_set(err, WB_EINVAL, "%s: '%s' is not a duration "
		    "(e.g. 30s, 10m, 1h)", what, s);
	return WB_OK;
}

int
verify_project(const struct project *p, struct verify_spec *s,
    char ***argvp, char **cwd, struct wb_err *err)
{
	const struct project_entry	*e;
	struct strbuf			 sb = STRBUF_INIT;
	char				**argv;
	int				 rc;

	memset(s, 0, sizeof *s);
	*cwd = NULL;
	*argvp = NULL;
	if (p == NULL || (e = project_verify(p, &s->watch_ms,
	    &s->every_ms)) == NULL)
		return WB_OK;
	if ((rc = project_command(e, NULL, 0, &argv, err)) != WB_OK)
		return rc;
	if (e->cwd != NULL && e->cwd[0] == '/')
		strbuf_adds(&sb, e->cwd);
	else
		strbuf_addf(&sb, "%s%s%s", p->root, e->cwd ? "/" : "",
		    e->cwd ? e->cwd : "");
	if (sb.oom || (*cwd = strbuf_detach(&sb)) == NULL) {
		strbuf_free(&sb);
		project_argv_free(argv);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	s->argv = *argvp = argv;
	s->cwd = *cwd;
	s->env = e->env;
	return WB_OK;
}

/* What the watch knows of the model. */
struct watch {
	const struct reg_move	*m;
	int64_t			 model_id;
	char			 alias[REG_ALIAS_MAX + 1];
	struct reg_version	 v;
};

/* One event of the watch, in a transaction of its own. */
static int
event(struct db *db, struct watch *w, const char *action, int64_t from,
    const char *reason, const struct deploy_result *res,
    struct wb_err *err)
{
	struct reg_event	e;
	int			rc;

	memset(&e, 0, sizeof e);
	e.version_id = w->v.id;
	e.action = action;
	e.alias = w->alias;
	e.from_version = from;
	e.to_version = w->v.version;
	e.actor = w->m->who.user;
	e.host = w->m->who.host;
	e.reason = reason;
	if (res != NULL) {
		e.has_deploy = 1;
		e.deploy_status = res->status;
		e.deploy_output = res->output;
	}
	e.at = db_now_ms();
	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = db_reg_event_add(db, w->model_id, &e, err)) != WB_OK) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* Which version holds the alias now (0: none). */
static int
holder(struct db *db, struct watch *w, int64_t *version, struct wb_err *err)
{
	int64_t	vid;

	return db_reg_alias_get(db, w->model_id, w->alias, &vid, version, err);
}

/*
 * "exit status 1: the first line" (or "timed out at the end of the 10m
 * window: ..."): the
 * first non-blank line of the output, made safe to show and cut.
 */
static void
failure_text(char *buf, size_t len, const struct deploy_result *res,
    int64_t limit_ms)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*p = res->output ? res->output : "", *nl;
	char		 d[32];
	size_t		 n;

	if (res->timed_out)
		strbuf_addf(&sb, "timed out at the end of the %s window",
		    text_duration(d, limit_ms));
	else
		strbuf_addf(&sb, "exit status %d", res->status);
	for (; *p != '\0'; p = nl + 1) {
		p += strspn(p, " \t\r");
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n > 0) {
			strbuf_adds(&sb, ": ");
			text_sanitize(&sb, p, n > 160 ? 160 : n);
			break;
		}
		if (nl == NULL)
			break;
	}
	snprintf(buf, len, "%s", sb.oom ? "exit status ?" : strbuf_str(&sb));
	strbuf_free(&sb);
}

/* Run check number k (1, 2, ...) with at most limit_ms. */
static int
check(struct watch *w, const struct verify_spec *s, int k, int64_t limit_ms,
    struct deploy_result *res, struct wb_err *err)
{
	struct deploy_model	 dm;
	struct strbuf		 v1 = STRBUF_INIT, v2 = STRBUF_INIT;
	char			**env;
	size_t			 n = 0, i;
	int			 rc;

	while (s->env != NULL && s->env[n] != NULL)
		n++;
	if ((env = wb_calloc(n + 3, sizeof *env)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		env[i] = s->env[i];
	strbuf_addf(&v1, "MLWB_VERIFY_CHECK=%d", k);
	strbuf_addf(&v2, "MLWB_VERIFY_WATCH=%lld",
	    (long long)(s->watch_ms / 1000));
	if (v1.oom || v2.oom) {
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
		goto out;
	}
	env[n] = v1.s;
	env[n + 1] = v2.s;
	dm.name = w->m->model;
	dm.version = (long long)w->v.version;
	dm.alias = w->alias;
	dm.artifact = w->v.artifact_path;
	dm.sha256 = w->v.sha256;
	rc = deploy_run_limit(s->argv, s->cwd, env, &dm, limit_ms, res, err);
out:
	strbuf_free(&v1);
	strbuf_free(&v2);
	wb_free(env);
	return rc;
}

static void
note(verify_note_fn fn, void *arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(verify_note_fn fn, void *arg, const char *fmt, ...)
{
	va_list	ap;
	char	buf[512];

	if (fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fn(arg, buf);
}

/* A check failed: record it, then take the alias back. */
static int
failed(struct db *db, struct watch *w, const struct verify_spec *s,
    const struct deploy_result *res, int64_t limit_ms, verify_note_fn fn,
    void *arg, struct verify_outcome *o, struct wb_err *err)
{
	struct reg_outcome	 ro;
	struct reg_move		 rm;
	struct wb_err		 rerr;
	char			 what[220], reason[300];
	int64_t			 from, to;
	int			 rc;

	(void)s;
	o->status = res->status;
	failure_text(what, sizeof what, res, limit_ms);
	if ((rc = reg_rollback_target(db, w->m->model, w->alias, &from, &to,
	    err)) != WB_OK)
		return rc;
	snprintf(reason, sizeof reason, "check %d: %s%s", o->checks, what,
	    to == 0 ? "; no earlier holder: alias kept" : "");
	if ((rc = event(db, w, "verify-fail", 0, reason, res, err)) != WB_OK)
		return rc;
	snprintf(o->reason, sizeof o->reason, "verify failed: %s", what);
	note(fn, arg, "check %d: failed: %s", o->checks, what);
	if (to == 0) {
		o->result = VERIFY_KEPT;
		note(fn, arg, "%s has no earlier holder than v%lld: kept",
		    w->alias, (long long)w->v.version);
		return WB_OK;
	}
	rm = *w->m;
	rm.reason = o->reason;
	rm.expect = w->v.version;
	rm.keep_on_failure = 0;
	rc = reg_rollback(db, &rm, &ro, &rerr);
	o->rollback_deployed = ro.deployed;
	o->rollback_deploy_status = ro.deploy_status;
	if (rc == WB_OK) {
		o->result = VERIFY_ROLLED_BACK;
		o->back_to = ro.to_version;
		note(fn, arg, "%s rolled back: v%lld -> v%lld%s", w->alias,
		    (long long)w->v.version, (long long)ro.to_version,
		    ro.deployed ? " (deployed again)" : "");
	} else if (rc == WB_EEXIST) {
		o->result = VERIFY_STOPPED;
		snprintf(o->rollback_error, sizeof o->rollback_error, "%s",
		    rerr.msg);
		note(fn, arg, "%s", rerr.msg);
	} else {
		o->result = VERIFY_ROLLBACK_FAILED;
		snprintf(o->rollback_error, sizeof o->rollback_error, "%s",
		    rerr.msg);
		note(fn, arg, "rollback failed: %s", rerr.msg);
	}
	reg_outcome_clear(&ro);
	return WB_OK;
}

int
verify_watch(struct db *db, const struct reg_move *m,
    const struct verify_spec *s, long long pid, verify_note_fn fn,
    void *arg, struct verify_outcome *o, struct wb_err *err)
{
	struct deploy_result	 res;
	struct watch		 w;
	char			 reason[256], d1[32];
	int64_t			 start, end, now, next, prev, cur, to;
	int			 rc, k;

	memset(o, 0, sizeof *o);
	memset(&w, 0, sizeof w);
	memset(&res, 0, sizeof res);
	w.m = m;
	if (s->argv == NULL || s->argv[0] == NULL)
		return wb_err_set(err, WB_EINVAL, "no verify command");
	if ((rc = reg_alias_norm(m->alias, w.alias, err)) != WB_OK ||
	    (rc = db_reg_model_find(db, m->model, &w.model_id, err)) !=
	    WB_OK || (rc = holder(db, &w, &cur, err)) != WB_OK)
		return rc;
	if (cur != m->version)
		return wb_err_set(err, WB_EEXIST, "%s of model %s is held by "
		    "%s%lld, not v%lld: nothing to verify", w.alias, m->model,
		    cur ? "v" : "nobody", (long long)cur,
		    (long long)m->version);
	if ((rc = db_reg_version_get(db, w.model_id, m->version, &w.v,
	    err)) != WB_OK)
		return rc;
	if ((rc = reg_rollback_target(db, m->model, w.alias, &cur, &prev,
	    err)) != WB_OK)
		goto out;
	/* The window and the pid, in a form verify_states reads back. */
	if (s->every_ms > 0)
		snprintf(reason, sizeof reason, "watch %llds every %llds pid "
		    "%lld", (long long)(s->watch_ms / 1000),
		    (long long)(s->every_ms / 1000), pid);
	else
		snprintf(reason, sizeof reason, "watch %llds once pid %lld",
		    (long long)((s->watch_ms ? s->watch_ms :
		    VERIFY_ONCE_LIMIT_MS) / 1000), pid);
	if ((rc = event(db, &w, "verify-start", prev, reason, NULL, err)) !=
	    WB_OK)
		goto out;
	start = mono_ms();
	end = start + (s->watch_ms > 0 ? s->watch_ms : VERIFY_ONCE_LIMIT_MS);
	for (k = 1;; k++) {
		/* Another promotion or rollback moved the alias: stop. */
		if ((rc = holder(db, &w, &cur, err)) != WB_OK)
			goto out;
		if (cur != m->version) {
			o->result = VERIFY_STOPPED;
			snprintf(o->reason, sizeof o->reason, "%s moved to "
			    "%s%lld during the watch: stopped", w.alias,
			    cur ? "v" : "nobody", (long long)cur);
			note(fn, arg, "%s", o->reason);
			rc = event(db, &w, "verify-stop", 0, o->reason, NULL,
			    err);
			goto out;
		}
		now = mono_ms();
		deploy_result_clear(&res);
		if ((rc = check(&w, s, k, end - now, &res, err)) != WB_OK)
			goto out;
		o->checks = k;
		if (res.status != 0) {
			rc = failed(db, &w, s, &res, end - start, fn, arg, o,
			    err);
			goto out;
		}
		note(fn, arg, "check %d: passed", k);
		next = start + (int64_t)k * s->every_ms;
		if (s->every_ms <= 0 || next >= end)
			break;
		sleep_ms(next - mono_ms());
	}
	o->result = VERIFY_PASSED;
	snprintf(o->reason, sizeof o->reason, "%d check%s passed", k,
	    k == 1 ? "" : "s");
	if (s->every_ms > 0) {
		to = (int64_t)strlen(o->reason);
		snprintf(o->reason + to, sizeof o->reason - (size_t)to,
		    " in %s", text_duration(d1, s->watch_ms));
	}
	rc = event(db, &w, "verify-pass", 0, o->reason, &res, err);
out:
	deploy_result_clear(&res);
	reg_version_clear(&w.v);
	return rc;
}

/*
 * Is pid alive on this host?  A zombie is not: a watcher killed after its
 * starter ended waits for a parent (PID 1 of a container may never reap
 * it), and kill(pid, 0) still succeeds on it.
 */
static int
alive(long long pid)
{
	FILE	*fp;
	char	 path[64], buf[512], *rp;
	int	 zombie = 0;

	if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
		return 0;
	snprintf(path, sizeof path, "/proc/%lld/stat", pid);
	if ((fp = fopen(path, "r")) != NULL) {
		/* "PID (COMM) STATE ...": COMM may hold anything. */
		if (fgets(buf, sizeof buf, fp) != NULL &&
		    (rp = strrchr(buf, ')')) != NULL && rp[1] == ' ')
			zombie = rp[2] == 'Z' || rp[2] == 'X';
		fclose(fp);
	}
	return !zombie;
}

int
verify_states(struct db *db, int64_t model_id, struct verify_state **st,
    size_t *n, struct wb_err *err)
{
	struct reg_event	*ev = NULL;
	struct verify_state	*out, *x;
	size_t			 nev = 0, i, j, k = 0;
	long long		 win, every, pid;
	char			 host[256];
	int64_t			 now = db_now_ms();
	int			 rc;

	*st = NULL;
	*n = 0;
	if ((rc = db_reg_events(db, model_id, NULL, &ev, &nev, err)) != WB_OK)
		return rc;
	if ((out = wb_calloc(nev + 1, sizeof *out)) == NULL) {
		reg_events_free(ev, nev);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	/* Newest first: the first verify event of an alias is its state. */
	for (i = nev; i-- > 0;) {
		const struct reg_event *e = &ev[i];

		if (e->alias == NULL || strncmp(e->action, "verify-", 7) != 0)
			continue;
		for (j = 0; j < k; j++)
			if (strcmp(out[j].alias, e->alias) == 0)
				break;
		if (j < k)
			continue;
		x = &out[k++];
		snprintf(x->alias, sizeof x->alias, "%s", e->alias);
		x->version = e->to_version;
		x->at = e->at;
		snprintf(x->detail, sizeof x->detail, "%s", e->reason ?
		    e->reason : "");
		if (strcmp(e->action, "verify-pass") == 0)
			strcpy(x->state, "passed");
		else if (strcmp(e->action, "verify-fail") == 0)
			strcpy(x->state, "failed");
		else if (strcmp(e->action, "verify-stop") == 0)
			strcpy(x->state, "stopped");
		else {
			win = every = pid = 0;
			if (e->reason == NULL || (sscanf(e->reason, "watch %llds "
			    "every %llds pid %lld", &win, &every, &pid) != 3 &&
			    sscanf(e->reason, "watch %llds once pid %lld", &win,
			    &pid) != 2))
				win = VERIFY_ONCE_LIMIT_MS / 1000;
			x->until = e->at + win * 1000;
			if (now > x->until + LOST_GRACE_MS ||
			    (e->host != NULL && strcmp(e->host, host) == 0 &&
			    pid > 0 && !alive(pid)))
				strcpy(x->state, "lost");
			else
				strcpy(x->state, "watching");
		}
	}
	reg_events_free(ev, nev);
	*st = out;
	*n = k;
	return WB_OK;
}

int
verify_pipeline_hook(struct db *db, const struct project *p,
    const struct pstep_def *step, int64_t version, char *why, size_t whylen)
{
	struct verify_outcome	 o;
	struct verify_spec	 vs;
	struct reg_move		 m;
	struct wb_err		 err;
	const char		*v = step->verify ? step->verify : "yes";
	char			 host[256], **vargv = NULL, *vcwd = NULL;
	char			**dargv = NULL, *dcwd = NULL;
	char *const		*denv = NULL;
	int64_t			 ms;
	int			 bad = 1;

	if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0)
		return 0;
	if (verify_project(p, &vs, &vargv, &vcwd, &err) != WB_OK) {
		snprintf(why, whylen, "verify: %s", err.msg);
		return 1;
	}
	if (vs.argv == NULL) {
		snprintf(why, whylen, "verify: the project file has no "
		    "verify: command");
		goto out;
	}
	if (strcasecmp(v, "yes") != 0 && strcasecmp(v, "true") != 0) {
		if (text_duration_parse(v, &ms) != 0 || ms == 0) {
			snprintf(why, whylen, "verify: '%s' is not yes, no or "
			    "a window such as 10m", v);
			goto out;
		}
		vs.watch_ms = ms;
	}
	if (vs.every_ms > vs.watch_ms)
		vs.every_ms = 0;
	if (reg_project_deploy(p, &dargv, &dcwd, &denv, &err) != WB_OK) {
		snprintf(why, whylen, "verify: %s", err.msg);
		goto out;
	}
	memset(&m, 0, sizeof m);
	m.model = step->model;
	m.alias = step->alias;
	m.version = version;
	m.deploy_argv = dargv;
	m.deploy_cwd = dcwd;
	m.deploy_env = denv;
	reg_who_default(&m.who, host);
	if (verify_watch(db, &m, &vs, (long long)getpid(), NULL, NULL, &o,
	    &err) != WB_OK)
		snprintf(why, whylen, "verify: %s", err.msg);
	else if (o.result == VERIFY_PASSED) {
		snprintf(why, whylen, "%s@%s -> version %lld, verified: %s",
		    step->model, step->alias, (long long)version, o.reason);
		bad = 0;
	} else if (o.result == VERIFY_ROLLED_BACK)
		snprintf(why, whylen, "%s; %s rolled back to v%lld", o.reason,
		    step->alias, (long long)o.back_to);
	else if (o.result == VERIFY_KEPT)
		snprintf(why, whylen, "%s; no earlier holder: alias kept",
		    o.reason);
	else
		snprintf(why, whylen, "%s%s%s", o.reason, o.rollback_error[0] ?
		    "; " : "", o.rollback_error);
out:
	project_argv_free(vargv);
	project_argv_free(dargv);
	wb_free(vcwd);
	wb_free(dcwd);
	return bad;
}
