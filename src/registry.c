/*
 * registry: models, versions, aliases and promotion rules on top of the
 * rows of db_registry.c.  Owns: name and alias checks, artifact hashing
 * (files and directories), gates, the promotion and rollback transactions
 * (with the deploy hook inside them, so that promotions serialise) and
 * model URIs.
 */
#include "config.h"

#include "registry.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "artifact.h"
#include "db.h"
#include "db_artifact.h"
#include "db_metric.h"
#include "db_registry.h"
#include "db_run.h"
#include "deploy.h"
#include "err.h"
#include "mem.h"
#include "project.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static int64_t
when(const struct reg_who *w)
{
	return w->at ? w->at : db_now_ms();
}

void
reg_who_default(struct reg_who *w, char host[256])
{
	const char	*u;
	struct passwd	*pw;

	if ((u = getenv("USER")) == NULL || *u == '\0')
		if ((u = getenv("LOGNAME")) == NULL || *u == '\0')
			u = (pw = getpwuid(getuid())) != NULL ? pw->pw_name :
			    "unknown";
	if (gethostname(host, 256) != 0)
		snprintf(host, 256, "unknown");
	host[255] = '\0';
	w->user = u;
	w->host = host;
	w->at = 0;
}

/* Names and aliases ----------------------------------------------------- */

static int
check_model_name(const char *name, struct wb_err *err)
{
	const unsigned char *p;

	if (*name == '\0')
		return wb_err_set(err, WB_EINVAL, "a model needs a name");
	if (strlen(name) > REG_NAME_MAX)
		return wb_err_set(err, WB_EINVAL, "model name longer than %d "
		    "bytes", REG_NAME_MAX);
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '@' ||
		    *p == ' ')
			return wb_err_set(err, WB_EINVAL, "model name '%s': "
			    "no spaces, '/', '@' or control characters (they "
			    "would break models:/ URIs)", name);
	return WB_OK;
}

int
reg_alias_norm(const char *alias, char out[REG_ALIAS_MAX + 1],
    struct wb_err *err)
{
	static const char *const stages[] = { "staging", "production",
	    "archived" };
	const char	*p;
	size_t		 i;

	if (*alias == '\0')
		return wb_err_set(err, WB_EINVAL, "empty alias");
	if (strlen(alias) > REG_ALIAS_MAX)
		return wb_err_set(err, WB_EINVAL, "alias longer than %d bytes",
		    REG_ALIAS_MAX);
	if (!isalpha((unsigned char)alias[0]))
		return wb_err_set(err, WB_EINVAL, "alias '%s' must start with "
		    "a letter", alias);
	for (p = alias; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' &&
		    *p != '.')
			return wb_err_set(err, WB_EINVAL, "alias '%s': only "
			    "letters, digits, '_', '-' and '.'", alias);
	if (strcasecmp(alias, "latest") == 0)
		return wb_err_set(err, WB_EINVAL, "'latest' is reserved: "
		    "models:/NAME/latest is always the newest version");
	for (i = 0; i < sizeof stages / sizeof stages[0]; i++)
		if (strcasecmp(alias, stages[i]) == 0) {
			snprintf(out, REG_ALIAS_MAX + 1, "%s", stages[i]);
			return WB_OK;
		}
	snprintf(out, REG_ALIAS_MAX + 1, "%s", alias);
	return WB_OK;
}

/* Hashing --------------------------------------------------------------- */

/* The artifact store's name for the bytes (artifact.c owns the walk). */
int
reg_hash_path(const char *path, char hex[65], struct wb_err *err)
{
	return art_hash_path(path, hex, err);
}

/* Models and versions --------------------------------------------------- */

int
reg_model_create(struct db *db, const char *name, const char *description,
    const struct reg_who *who, struct wb_err *err)
{
	struct reg_event	e;
	int64_t			id;
	int			rc;

	if ((rc = check_model_name(name, err)) != WB_OK)
		return rc;
	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	memset(&e, 0, sizeof e);
	e.action = "create";
	e.actor = who->user;
	e.host = who->host;
	e.reason = description;
	e.at = when(who);
	if ((rc = db_reg_model_create(db, name, description, e.at, &id,
	    err)) == WB_OK &&
	    (rc = db_reg_event_add(db, id, &e, err)) == WB_OK)
		return db_commit(db, err);
	db_rollback(db);
	return rc;
}

int
reg_register(struct db *db, const char *model, const char *run,
    const char *artifact, const char *description, const struct reg_who *who,
    int64_t *version, struct wb_err *err)
{
	struct reg_event	 e;
	struct artifact		 a;
	char			*abs = NULL, *root = NULL;
	int64_t			 model_id, run_id = 0, vid;
	int			 rc;

	memset(&a, 0, sizeof a);
	if (artifact != NULL) {
		/*
		 * Into the artifact store before taking the write lock: it
		 * may take a while, and a blob no row names is only space.
		 */
		if ((rc = art_root(db, &root, err)) != WB_OK ||
		    (rc = art_store(root, artifact, &a, db_progress_hook(db),
		    err)) != WB_OK)
			goto out;
		if ((abs = realpath(artifact, NULL)) == NULL) {
			rc = wb_err_set(err, WB_EIO, "%s: %s", artifact,
			    strerror(errno));
			goto out;
		}
		if ((a.name = art_name_of(abs)) == NULL) {
			rc = oom(err);
			goto out;
		}
		a.created_at = when(who);
	}
	if ((rc = db_begin(db, err)) != WB_OK)
		goto out;
	if ((rc = db_reg_model_find(db, model, &model_id, err)) != WB_OK ||
	    (run != NULL && (rc = db_run_resolve(db, run, &run_id, err)) !=
	    WB_OK) ||
	    (rc = db_reg_version_add(db, model_id, run_id, abs,
	    abs ? a.sha256 : NULL, description, when(who), &vid, version,
	    err)) != WB_OK)
		goto fail;
	/*
	 * The bytes are also an artifact of the run (as MLflow's runs:/
	 * model is): so they travel with it, and the store knows their kind.
	 */
	if (abs != NULL && run_id != 0 && art_name_ok(a.name) &&
	    (rc = db_artifact_put(db, run_id, &a, err)) != WB_OK)
		goto fail;
	memset(&e, 0, sizeof e);
	e.version_id = vid;
	e.action = "register";
	e.to_version = *version;
	e.actor = who->user;
	e.host = who->host;
	e.reason = description;
	e.at = when(who);
	if ((rc = db_reg_event_add(db, model_id, &e, err)) != WB_OK)
		goto fail;
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	free(abs);	/* realpath's: the C library's allocator */
	wb_free(root);
	artifact_clear(&a);
	return rc;
}

int
reg_artifact_local(struct db *db, const struct reg_version *v, char **path,
    struct wb_err *err)
{
	struct strbuf	 label = STRBUF_INIT;
	char		 kind[5], hex[65], *root = NULL;
	int		 rc;

	*path = NULL;
	if (v->artifact_path == NULL || v->sha256 == NULL)
		return wb_err_set(err, WB_ENOTFOUND, "version %lld has no"
		    " artifact (register it with --artifact)",
		    (long long)v->version);
	strbuf_addf(&label, "version %lld's artifact", (long long)v->version);
	if (label.oom)
		return oom(err);
	rc = db_artifact_kind(db, v->sha256, kind, err);
	if (rc == WB_OK) {
		if ((rc = art_root(db, &root, err)) == WB_OK)
			rc = art_local(root, kind, v->sha256, path, label.s,
			    err);
	} else if (rc == WB_ENOTFOUND) {
		/* Registered before the store: check the file itself. */
		if ((rc = art_hash_path(v->artifact_path, hex, err)) ==
		    WB_OK && strcmp(hex, v->sha256) != 0)
			rc = wb_err_set(err, WB_EIO, "%s: %s changed since it"
			    " was registered (sha256 %.12s, now %.12s)",
			    label.s, v->artifact_path, v->sha256, hex);
		if (rc == WB_OK && (*path = wb_strdup(v->artifact_path)) ==
		    NULL)
			rc = oom(err);
	}
	wb_free(root);
	strbuf_free(&label);
	return rc;
}

/* Gates ----------------------------------------------------------------- */

int
reg_gate_parse(const char *spec, struct reg_gate *g, struct wb_err *err)
{
	static const char *const lower[] = { "loss", "error", "err", "mse",
	    "mae", "rmse", "mape", "perplexity", "ppl", "wer", "cer",
	    "latency", "time", "nll" };
	const char	*colon = strrchr(spec, ':');
	size_t		 len = colon ? (size_t)(colon - spec) : strlen(spec), i;
	char		 low[128];

	memset(g, 0, sizeof *g);
	if (len == 0 || len >= sizeof g->metric)
		return wb_err_set(err, WB_EINVAL, "gate '%s': expected "
		    "METRIC[:min|max]", spec);
	memcpy(g->metric, spec, len);
	g->metric[len] = '\0';
	if (colon != NULL) {
		if (strcmp(colon + 1, "min") == 0)
			g->lower_better = 1;
		else if (strcmp(colon + 1, "max") == 0)
			g->lower_better = 0;
		else
			return wb_err_set(err, WB_EINVAL, "gate '%s': '%s' is "
			    "not min or max", spec, colon + 1);
		return WB_OK;
	}
	for (i = 0; i < len; i++)
		low[i] = (char)tolower((unsigned char)spec[i]);
	low[len] = '\0';
	for (i = 0; i < sizeof lower / sizeof lower[0]; i++)
		if (strstr(low, lower[i]) != NULL)
			g->lower_better = 1;
	return WB_OK;
}

int
reg_metric_last(struct db *db, int64_t run_id, const char *name, double *v,
    int *has, struct wb_err *err)
{
	struct metric_summary	s;
	int64_t			key;
	int			rc;

	*has = 0;
	*v = NAN;
	if (run_id == 0)
		return WB_OK;
	if ((rc = db_metric_key_find(db, name, &key, err)) == WB_ENOTFOUND)
		return WB_OK;
	if (rc != WB_OK)
		return rc;
	rc = db_metric_summary_get(db, run_id, key, &s, err);
	if (rc == WB_ENOTFOUND)
		return WB_OK;
	if (rc != WB_OK)
		return rc;
	wb_free(s.key);
	*v = s.last;
	*has = 1;
	return WB_OK;
}

void
reg_outcome_clear(struct reg_outcome *o)
{
	if (o == NULL)
		return;
	wb_free(o->deploy_output);
	memset(o, 0, sizeof *o);
}

/* What the holder and the candidate are, and the gate's verdict. */
struct move_ctx {
	int			 lock_fd;	/* move_lock's, -1: none */
	int64_t			 model_id;
	char			 alias[REG_ALIAS_MAX + 1];
	struct reg_version	 cand;
	int64_t			 holder_id;
	struct reg_gate		 gate;
	char			 gate_spec[160];
};

static int
gate_eval(struct db *db, struct move_ctx *c, const struct reg_move *m,
    struct reg_outcome *o, struct wb_err *err)
{
	struct reg_version	 h;
	char			 a[32], b[32];
	const char		*dir;
	int			 rc;

	if (m->gate == NULL || *m->gate == '\0')
		return WB_OK;
	if ((rc = reg_gate_parse(m->gate, &c->gate, err)) != WB_OK)
		return rc;
	snprintf(c->gate_spec, sizeof c->gate_spec, "%s:%s", c->gate.metric,
	    c->gate.lower_better ? "min" : "max");
	o->gated = 1;
	dir = c->gate.lower_better ? "lower" : "higher";
	if ((rc = reg_metric_last(db, c->cand.run_id, c->gate.metric, &o->cand,
	    &o->has_cand, err)) != WB_OK)
		return rc;
	if (o->from_version != 0) {
		if ((rc = db_reg_version_get(db, c->model_id, o->from_version,
		    &h, err)) != WB_OK)
			return rc;
		rc = reg_metric_last(db, h.run_id, c->gate.metric, &o->holder,
		    &o->has_holder, err);
		reg_version_clear(&h);
		if (rc != WB_OK)
			return rc;
	}
	/* Short numbers, unless that would make different values equal. */
	text_num_short(a, o->cand, 6);
	text_num_short(b, o->holder, 6);
	if (strcmp(a, b) == 0 && o->cand != o->holder) {
		text_num(a, o->cand);
		text_num(b, o->holder);
	}
	if (!o->has_cand || isnan(o->cand)) {
		o->gate_pass = 0;
		snprintf(o->gate_text, sizeof o->gate_text, "%s: v%lld has %s, "
		    "v%lld %s: refused", c->gate.metric,
		    (long long)o->to_version, o->has_cand ? "NaN" : "no value",
		    (long long)o->from_version, o->has_holder ? b : "none");
	} else if (o->from_version == 0) {
		o->gate_pass = 1;
		snprintf(o->gate_text, sizeof o->gate_text, "%s %s, no current "
		    "holder: pass", c->gate.metric, a);
	} else if (o->from_version == o->to_version) {
		o->gate_pass = 1;
		snprintf(o->gate_text, sizeof o->gate_text, "%s %s, already "
		    "the holder: pass", c->gate.metric, a);
	} else if (!o->has_holder || isnan(o->holder)) {
		o->gate_pass = 1;
		snprintf(o->gate_text, sizeof o->gate_text, "%s %s vs v%lld "
		    "%s: pass", c->gate.metric, a, (long long)o->from_version,
		    o->has_holder ? "NaN" : "no value");
	} else {
		o->gate_pass = c->gate.lower_better ? o->cand < o->holder :
		    o->cand > o->holder;
		snprintf(o->gate_text, sizeof o->gate_text, "%s %s vs %s "
		    "(v%lld, %s is better): %s", c->gate.metric, a, b,
		    (long long)o->from_version, dir,
		    o->gate_pass ? "pass" : "refused");
	}
	return WB_OK;
}

/* Resolve model, alias, candidate and holder into c and o. */
static int
move_prepare(struct db *db, const struct reg_move *m, int64_t version,
    struct move_ctx *c, struct reg_outcome *o, struct wb_err *err)
{
	int	rc;

	if ((rc = reg_alias_norm(m->alias, c->alias, err)) != WB_OK ||
	    (rc = db_reg_model_find(db, m->model, &c->model_id, err)) !=
	    WB_OK ||
	    (rc = db_reg_alias_get(db, c->model_id, c->alias, &c->holder_id,
	    &o->from_version, err)) != WB_OK)
		return rc;
	if (version == 0)
		return WB_OK;
	if ((rc = db_reg_version_get(db, c->model_id, version, &c->cand,
	    err)) != WB_OK)
		return wb_err_set(err, rc, "model %s has no version %lld",
		    m->model, (long long)version);
	/* A promotion that moves nothing would still be history: refuse. */
	if (o->from_version == version)
		return wb_err_set(err, WB_EEXIST, "%s v%lld already holds %s: "
		    "nothing to promote", m->model, (long long)version,
		    c->alias);
	o->to_version = version;
	return WB_OK;
}

int
reg_gate_check(struct db *db, const struct reg_move *m,
    struct reg_outcome *o, struct wb_err *err)
{
	struct move_ctx	c;
	int		rc;

	memset(&c, 0, sizeof c);
	memset(o, 0, sizeof *o);
	if ((rc = move_prepare(db, m, m->version, &c, o, err)) == WB_OK)
		rc = gate_eval(db, &c, m, o, err);
	reg_version_clear(&c.cand);
	return rc;
}

/*
 * Alias moves of one workspace take turns on an advisory lock (db_lock:
 * a file beside a SQLite workspace, pg_advisory_lock on PostgreSQL),
 * held from reading the holder to writing the event, deploy included.
 * The store's write lock is not held while the deploy command runs:
 * imports, jobs and the UI keep writing, and a deploy longer than the
 * busy timeout cannot make a second promotion fail.
 */
static int
move_lock(struct db *db, struct db_lock **lock, struct wb_err *err)
{
	return db_lock(db, "registry", lock, err);
}

static void
move_unlock(struct db *db, struct db_lock *lock)
{
	db_unlock(db, lock);
}

/*
 * The deploy marker.  While a move's deploy runs, one line names it
 * (promoter pid and host, model, version, alias, the last event id before
 * it); the move clears it once the outcome is recorded.  It lives in the
 * lock file beside a SQLite workspace, and in table deploy_markers on a
 * PostgreSQL store (written in its own transaction, so that it outlives
 * the promoter).  The lock itself stays held until the deploy has ended
 * even when the promoter is killed, by the deploy's guardian process
 * (deploy.c: it keeps the lock file, or the connection that holds the
 * server's advisory lock), so the next move never deploys over it; that
 * move, once it has the lock, finds the line of a promoter that died
 * and records the deploy as `deploy-orphaned` (its outcome is unknown)
 * before it goes on.
 */
#define MARKER_TAG "mlwb-deploy"

/* Write line as the marker, or clear it (line NULL). */
static void
marker_put(struct db *db, int fd, const char *line)
{
	if (fd >= 0) {
		if (ftruncate(fd, 0) == 0 && line != NULL)
			(void)!pwrite(fd, line, strlen(line), 0);
	} else if (db_is_remote(db))
		(void)db_reg_marker_put(db, line, NULL);
}

/* The marker into buf (len > 0), "" when there is none. */
static int
marker_get(struct db *db, int fd, char *buf, size_t len, struct wb_err *err)
{
	ssize_t	n;

	buf[0] = '\0';
	if (fd >= 0) {
		if ((n = pread(fd, buf, len - 1, 0)) > 0)
			buf[n] = '\0';
		return WB_OK;
	}
	if (db_is_remote(db))
		return db_reg_marker_get(db, buf, len, err);
	return WB_OK;
}

static void
marker_set(struct db *db, int fd, const struct move_ctx *c,
    const struct reg_move *m, const struct reg_outcome *o, int64_t last_event)
{
	char	buf[512];
	int	n;

	n = snprintf(buf, sizeof buf, MARKER_TAG "\t%ld\t%s\t%lld\t%lld\t"
	    "%lld\t%lld\t%lld\t%lld\t%s\n", (long)getpid(),
	    m->who.host ? m->who.host : "", (long long)c->model_id,
	    (long long)c->cand.id, (long long)o->from_version,
	    (long long)o->to_version, (long long)last_event,
	    (long long)db_now_ms(), c->alias);
	if (n > 0 && (size_t)n < sizeof buf)
		marker_put(db, fd, buf);
}

static void
marker_clear(struct db *db, int fd)
{
	marker_put(db, fd, NULL);
}

/*
 * With the move lock held: record the deploy of a promoter that died
 * (see marker_set), unless its outcome was recorded after all, and clear
 * the marker.
 */
static int
orphan_check(struct db *db, int fd, const struct reg_who *who,
    struct wb_err *err)
{
	struct reg_event	 e;
	char			 buf[512], reason[400], *f[10], *save = NULL;
	char			*t;
	size_t			 k = 0;
	int64_t			 model_id, vid, from, to, last, at;
	int			 rc, done;

	if ((rc = marker_get(db, fd, buf, sizeof buf, err)) != WB_OK)
		return rc;
	if (buf[0] == '\0')
		return WB_OK;
	for (t = strtok_r(buf, "\t\n", &save); t != NULL && k < 10;
	    t = strtok_r(NULL, "\t\n", &save))
		f[k++] = t;
	if (k != 10 || strcmp(f[0], MARKER_TAG) != 0) {
		marker_clear(db, fd);	/* not ours, or torn: nothing to say */
		return WB_OK;
	}
	model_id = strtoll(f[3], NULL, 10);
	vid = strtoll(f[4], NULL, 10);
	from = strtoll(f[5], NULL, 10);
	to = strtoll(f[6], NULL, 10);
	last = strtoll(f[7], NULL, 10);
	at = strtoll(f[8], NULL, 10);
	if ((rc = db_reg_deploy_recorded(db, model_id, f[9], to, last, &done,
	    err)) != WB_OK)
		return rc;
	if (!done) {
		snprintf(reason, sizeof reason, "the promoter (pid %s on %s) "
		    "ended while its deploy of v%lld as %s ran (started at %lld "
		    "ms); the deploy has ended since, its outcome is unknown "
		    "and the alias was not moved", f[1], f[2], (long long)to,
		    f[9], (long long)at);
		memset(&e, 0, sizeof e);
		e.version_id = vid;
		e.action = "deploy-orphaned";
		e.alias = f[9];
		e.from_version = from;
		e.to_version = to;
		e.actor = who->user;
		e.host = f[2];
		e.reason = reason;
		e.at = when(who);
		if ((rc = db_begin(db, err)) != WB_OK)
			return rc;
		if ((rc = db_reg_event_add(db, model_id, &e, err)) != WB_OK) {
			db_rollback(db);
			return rc;
		}
		if ((rc = db_commit(db, err)) != WB_OK)
			return rc;
	}
	marker_clear(db, fd);
	return WB_OK;
}

/*
 * The deploy command of a move, outside any transaction (the caller holds
 * the move lock).  Fills o and e's deploy fields; *failed when it exited
 * non-zero.
 */
static int
move_deploy(struct move_ctx *c, const struct reg_move *m,
    struct reg_outcome *o, int *failed, struct wb_err *err)
{
	struct deploy_model	 dm;
	struct deploy_result	 res;
	int			 rc;

	*failed = 0;
	if (m->deploy_argv == NULL)
		return WB_OK;
	dm.name = m->model;
	dm.version = (long long)c->cand.version;
	dm.alias = c->alias;
	dm.artifact = c->cand.artifact_path;
	dm.sha256 = c->cand.sha256;
	if ((rc = deploy_run(m->deploy_argv, m->deploy_cwd, m->deploy_env,
	    &dm, &res, err)) != WB_OK)
		return rc;
	o->deployed = 1;
	o->deploy_status = res.status;
	o->deploy_output = res.output;	/* o owns it now */
	*failed = res.status != 0;
	return WB_OK;
}

/*
 * The shared end of promote and rollback, inside the second transaction:
 * record the event (with the deploy's result) and move the alias (or not).
 */
static int
move_finish(struct db *db, struct move_ctx *c, const struct reg_move *m,
    const char *action, int failed, struct reg_outcome *o,
    struct wb_err *err)
{
	struct reg_event	 e;
	int			 rc;

	memset(&e, 0, sizeof e);
	if (o->deployed) {
		e.has_deploy = 1;
		e.deploy_status = o->deploy_status;
		e.deploy_output = o->deploy_output;
	}
	e.version_id = c->cand.id;
	e.action = failed && !m->keep_on_failure ? "deploy-failed" : action;
	e.alias = c->alias;
	e.from_version = o->from_version;
	e.to_version = o->to_version;
	e.actor = m->who.user;
	e.host = m->who.host;
	e.reason = m->reason;
	e.gate = o->gated ? c->gate_spec : NULL;
	e.gate_result = o->gated ? o->gate_text : NULL;
	e.forced = o->forced;
	e.at = when(&m->who);
	if ((rc = db_reg_event_add(db, c->model_id, &e, err)) != WB_OK)
		return rc;
	if (!failed || m->keep_on_failure) {
		if ((rc = db_reg_alias_set(db, c->model_id, c->alias,
		    c->cand.id, err)) != WB_OK)
			return rc;
		o->moved = 1;
	}
	if ((rc = db_commit(db, err)) != WB_OK)
		return rc;
	if (failed)
		return wb_err_set(err, WB_EPROC, "deploy of %s v%lld exited "
		    "with status %d; %s", m->model, (long long)o->to_version,
		    o->deploy_status, o->moved ? "alias moved anyway "
		    "(--keep-on-failure)" : "alias left where it was");
	return WB_OK;
}

/*
 * With the decision taken in the first transaction (which wrote nothing):
 * end it, run the deploy with no database lock held, then record the
 * outcome in a second one.  The move lock, held by the caller throughout,
 * keeps other promotions of this workspace from moving the alias between.
 */
static int
move_apply(struct db *db, struct move_ctx *c, const struct reg_move *m,
    const char *action, struct reg_outcome *o, struct wb_err *err)
{
	int	rc, failed;

	if (m->deploy_argv != NULL) {
		int64_t	last;

		/* The last event id, read in the first transaction. */
		rc = db_reg_last_event(db, &last, err);
		db_rollback(db);
		if (rc != WB_OK)
			return rc;
		marker_set(db, c->lock_fd, c, m, o, last);
		if ((rc = move_deploy(c, m, o, &failed, err)) != WB_OK) {
			marker_clear(db, c->lock_fd);
			return rc;
		}
		if ((rc = db_begin(db, err)) != WB_OK)
			return rc;
	} else
		failed = 0;
	rc = move_finish(db, c, m, action, failed, o, err);
	if (rc != WB_OK && rc != WB_EPROC)
		db_rollback(db);
	else
		marker_clear(db, c->lock_fd);	/* the outcome is recorded */
	return rc;
}

int
reg_promote(struct db *db, const struct reg_move *m, struct reg_outcome *o,
    struct wb_err *err)
{
	struct move_ctx		c;
	struct reg_event	e;
	int			rc;
	struct db_lock		*lock;

	memset(&c, 0, sizeof c);
	memset(o, 0, sizeof *o);
	/* The move lock: the holder we read is the one we replace. */
	if ((rc = move_lock(db, &lock, err)) != WB_OK)
		return rc;
	c.lock_fd = db_lock_fd(lock);
	if ((rc = orphan_check(db, c.lock_fd, &m->who, err)) != WB_OK ||
	    (rc = db_begin(db, err)) != WB_OK) {
		move_unlock(db, lock);
		return rc;
	}
	if ((rc = move_prepare(db, m, m->version, &c, o, err)) != WB_OK ||
	    (rc = gate_eval(db, &c, m, o, err)) != WB_OK)
		goto fail;
	if (o->gated && !o->gate_pass) {
		if (m->force)
			o->forced = 1;
		else {
			memset(&e, 0, sizeof e);
			e.version_id = c.cand.id;
			e.action = "refuse";
			e.alias = c.alias;
			e.from_version = o->from_version;
			e.to_version = o->to_version;
			e.actor = m->who.user;
			e.host = m->who.host;
			e.reason = m->reason;
			e.gate = c.gate_spec;
			e.gate_result = o->gate_text;
			e.at = when(&m->who);
			if ((rc = db_reg_event_add(db, c.model_id, &e, err)) !=
			    WB_OK || (rc = db_commit(db, err)) != WB_OK)
				goto fail;
			reg_version_clear(&c.cand);
			move_unlock(db, lock);
			return wb_err_set(err, WB_EGATE, "gate refused %s v%lld "
			    "as %s: %s (--force to promote anyway)", m->model,
			    (long long)o->to_version, c.alias, o->gate_text);
		}
	}
	rc = move_apply(db, &c, m, "promote", o, err);
	reg_version_clear(&c.cand);
	move_unlock(db, lock);
	return rc;
fail:
	db_rollback(db);
	reg_version_clear(&c.cand);
	move_unlock(db, lock);
	return rc;
}

/*
 * The version alias goes back to: promotions and rollbacks replayed as a
 * stack (a promotion pushes its version, a rollback pops); the one below
 * the top.  *to = 0 when there is none.
 */
static int
rollback_target(struct db *db, int64_t model_id, const char *alias,
    int64_t *to, struct wb_err *err)
{
	struct reg_event	*ev = NULL;
	int64_t			*stack;
	size_t			 nev = 0, n = 0, i;
	int			 rc;

	*to = 0;
	if ((rc = db_reg_events(db, model_id, alias, &ev, &nev, err)) != WB_OK)
		return rc;
	if ((stack = wb_calloc(nev + 1, sizeof *stack)) == NULL) {
		reg_events_free(ev, nev);
		return oom(err);
	}
	for (i = 0; i < nev; i++) {
		if (strcmp(ev[i].action, "rollback") == 0) {
			if (n > 0)
				n--;
		} else if (n == 0 || stack[n - 1] != ev[i].to_version)
			stack[n++] = ev[i].to_version;
	}
	if (n >= 2)
		*to = stack[n - 2];
	wb_free(stack);
	reg_events_free(ev, nev);
	return WB_OK;
}

int
reg_rollback_target(struct db *db, const char *model, const char *alias,
    int64_t *from, int64_t *to, struct wb_err *err)
{
	char	a[REG_ALIAS_MAX + 1];
	int64_t	model_id, vid;
	int	rc;

	*from = *to = 0;
	if ((rc = reg_alias_norm(alias, a, err)) != WB_OK ||
	    (rc = db_reg_model_find(db, model, &model_id, err)) != WB_OK ||
	    (rc = db_reg_alias_get(db, model_id, a, &vid, from, err)) != WB_OK)
		return rc;
	return rollback_target(db, model_id, a, to, err);
}

int
reg_rollback(struct db *db, const struct reg_move *m, struct reg_outcome *o,
    struct wb_err *err)
{
	struct move_ctx		 c;
	int			 rc;
	struct db_lock		*lock;

	memset(&c, 0, sizeof c);
	memset(o, 0, sizeof *o);
	if ((rc = move_lock(db, &lock, err)) != WB_OK)
		return rc;
	c.lock_fd = db_lock_fd(lock);
	if ((rc = orphan_check(db, c.lock_fd, &m->who, err)) != WB_OK ||
	    (rc = db_begin(db, err)) != WB_OK) {
		move_unlock(db, lock);
		return rc;
	}
	if ((rc = move_prepare(db, m, 0, &c, o, err)) != WB_OK ||
	    (rc = rollback_target(db, c.model_id, c.alias, &o->to_version,
	    err)) != WB_OK)
		goto fail;
	if (o->from_version == 0) {
		rc = wb_err_set(err, WB_ENOTFOUND, "nobody holds %s of model "
		    "%s: nothing to roll back", c.alias, m->model);
		goto fail;
	}
	if (m->expect != 0 && o->from_version != m->expect) {
		rc = wb_err_set(err, WB_EEXIST, "%s of model %s is held by "
		    "v%lld now, not v%lld: not rolled back", c.alias,
		    m->model, (long long)o->from_version, (long long)m->expect);
		goto fail;
	}
	if (o->to_version == 0) {
		rc = wb_err_set(err, WB_ENOTFOUND, "%s of model %s has no "
		    "earlier holder than v%lld to roll back to", c.alias,
		    m->model, (long long)o->from_version);
		goto fail;
	}
	if ((rc = db_reg_version_get(db, c.model_id, o->to_version, &c.cand,
	    err)) != WB_OK)
		goto fail;
	rc = move_apply(db, &c, m, "rollback", o, err);
	reg_version_clear(&c.cand);
	move_unlock(db, lock);
	return rc;
fail:
	db_rollback(db);
	reg_version_clear(&c.cand);
	move_unlock(db, lock);
	return rc;
}

/* The project's deploy entry ----------------------------------------- */

int
reg_project_deploy(const struct project *p, char ***argv, char **cwd,
    char *const **env, struct wb_err *err)
{
	const struct project_entry	*e;
	struct strbuf			 sb = STRBUF_INIT;
	int				 rc;

	*argv = NULL;
	*cwd = NULL;
	*env = NULL;
	if (p == NULL || (e = project_entry(p, "deploy")) == NULL)
		return WB_OK;
	/* Defaults only: a deploy takes its model from the environment. */
	if ((rc = project_command(e, NULL, 0, argv, err)) != WB_OK)
		return rc;
	if (e->cwd != NULL && e->cwd[0] == '/')
		strbuf_adds(&sb, e->cwd);
	else
		strbuf_addf(&sb, "%s%s%s", p->root, e->cwd ? "/" : "",
		    e->cwd ? e->cwd : "");
	if (sb.oom || (*cwd = strbuf_detach(&sb)) == NULL) {
		strbuf_free(&sb);
		project_argv_free(*argv);
		*argv = NULL;
		return oom(err);
	}
	*env = e->env;
	return WB_OK;
}

/* URIs ------------------------------------------------------------------ */

int
reg_resolve_uri(struct db *db, const char *uri, struct reg_version *out,
    struct wb_err *err)
{
	static const char	 prefix[] = "models:/";
	char			 name[REG_NAME_MAX + 1];
	char			 alias[REG_ALIAS_MAX + 1];
	const char		*p, *sep, *ref;
	struct reg_model	*models = NULL;
	int64_t			 model_id, vid, version = 0;
	size_t			 nm = 0, i;
	char			*end;
	int			 rc;

	memset(out, 0, sizeof *out);
	if (strncmp(uri, prefix, sizeof prefix - 1) != 0)
		return wb_err_set(err, WB_EINVAL, "%s: a model URI is "
		    "models:/NAME@ALIAS or models:/NAME/VERSION", uri);
	p = uri + sizeof prefix - 1;
	if ((sep = strchr(p, '@')) == NULL)
		sep = strrchr(p, '/');
	if (sep == NULL || sep == p || sep[1] == '\0' ||
	    (size_t)(sep - p) > REG_NAME_MAX)
		return wb_err_set(err, WB_EINVAL, "%s: a model URI is "
		    "models:/NAME@ALIAS or models:/NAME/VERSION", uri);
	memcpy(name, p, (size_t)(sep - p));
	name[sep - p] = '\0';
	ref = sep + 1;
	if ((rc = db_reg_model_find(db, name, &model_id, err)) != WB_OK)
		return wb_err_prefix(err, "%s", uri);
	if (*sep == '/' && isdigit((unsigned char)*ref)) {
		errno = 0;
		version = strtoll(ref, &end, 10);
		if (*end != '\0' || errno != 0 || version <= 0)
			return wb_err_set(err, WB_EINVAL, "%s: '%s' is not a "
			    "version number", uri, ref);
	} else if (*sep == '/' && strcmp(ref, "latest") == 0) {
		if ((rc = db_reg_model_list(db, &models, &nm, err)) != WB_OK)
			return rc;
		for (i = 0; i < nm; i++)
			if (models[i].id == model_id)
				version = models[i].latest;
		reg_models_free(models, nm);
		if (version == 0)
			return wb_err_set(err, WB_ENOTFOUND, "%s: model %s has "
			    "no versions yet", uri, name);
	} else {
		/* @ALIAS, or MLflow's /Stage form. */
		if ((rc = reg_alias_norm(ref, alias, err)) != WB_OK)
			return wb_err_prefix(err, "%s", uri);
		if ((rc = db_reg_alias_get(db, model_id, alias, &vid, &version,
		    err)) != WB_OK)
			return rc;
		if (version == 0)
			return wb_err_set(err, WB_ENOTFOUND, "%s: nobody holds "
			    "%s of model %s", uri, alias, name);
	}
	if ((rc = db_reg_version_get(db, model_id, version, out, err)) !=
	    WB_OK)
		return wb_err_set(err, rc, "%s: model %s has no version %lld",
		    uri, name, (long long)version);
	return WB_OK;
}
