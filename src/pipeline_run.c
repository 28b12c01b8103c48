/*
 * pipeline_run: starting a pipeline run and driving it (pipeline.h:
 * pipeline_start, pipeline_rerun, pipeline_drive).
 *
 * pipeline_start records the pipeline run as a launched job whose
 * command is `mlwb pipeline drive`: the same supervisor as any job owns
 * it, so it survives a hangup, has a heartbeat, and is marked lost when
 * its supervisor dies.  The driver then starts each step whose needs are
 * done: an entry point as a launched job of its own (a child run), or a
 * built-in kind (check, register, promote) done in the driver and
 * recorded as a child run.  It polls the step jobs, writes the steps tag
 * when something changed, and ends when no step can move.
 *
 * --resume: a step is keyed by the sha256 of what it does (kind, entry
 * and its command, resolved params, the runs of the steps it needs, the
 * project's git commit for entry points, and the sha256 of its inputs:
 * `inputs:` files, path params, a check's data sets).  A step that was
 * done in the resumed run with the same key is done again from cache,
 * linking the earlier run, as `dvc repro` does.
 */
#include "config.h"

#include "pipeline_int.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "db_jobs.h"
#include "db_life.h"
#include "db_registry.h"
#include "db_run.h"
#include "drift_report.h"
#include "lineage.h"
#include "err.h"
#include "launch.h"
#include "mem.h"
#include "project.h"
#include "registry.h"
#include "sha256.h"
#include "strbuf.h"
#include "text.h"

/* How often the driver looks at its steps' jobs. */
#define POLL_MS		200
/* And at supervisors gone (launch_reap_lost). */
#define REAP_MS		2000

static pipeline_verify_fn	verify_hook;

void
pipeline_set_verify(pipeline_verify_fn fn)
{
	verify_hook = fn;
}

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static int
set_str(char **dst, const char *s)
{
	char	*v = NULL;

	if (s != NULL && (v = wb_strdup(s)) == NULL)
		return -1;
	wb_free(*dst);
	*dst = v;
	return 0;
}

/* The value of "k=v" entry key in v (NULL-terminated), or NULL. */
static const char *
kv_get(char *const *v, const char *key)
{
	size_t	i, len = strlen(key);

	for (i = 0; v != NULL && v[i] != NULL; i++)
		if (strncmp(v[i], key, len) == 0 && v[i][len] == '=')
			return v[i] + len + 1;
	return NULL;
}

static const char *
tag_of(const struct kv *kv, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

/* The experiment of a pipeline's runs: that of its first entry step. */
static const char *
pipe_experiment(const struct project *p, const struct pipeline_def *d)
{
	const struct project_entry	*e;
	size_t				 i;

	for (i = 0; i < d->nsteps; i++)
		if (d->steps[i].kind == PSTEP_RUN &&
		    (e = project_entry(p, d->steps[i].entry)) != NULL &&
		    e->experiment != NULL)
			return e->experiment;
	return "Default";
}

/*
 * The pipeline's params: its defaults with sets on top; a set it does
 * not have is an error.  *out NULL-terminated, project_argv_free.
 */
static int
pipe_values(const struct pipeline_def *d, char *const *sets, size_t nsets,
    char ***out, struct wb_err *err)
{
	char	**v;
	size_t	  i, j, len;

	*out = NULL;
	if ((v = wb_calloc(d->nparams + 1, sizeof *v)) == NULL)
		return oom(err);
	for (i = 0; i < d->nparams; i++)
		if ((v[i] = wb_strdup(d->params[i])) == NULL)
			goto nomem;
	for (j = 0; j < nsets; j++) {
		len = strcspn(sets[j], "=");
		if (sets[j][len] != '=') {
			project_argv_free(v);
			return wb_err_set(err, WB_EINVAL, "-P %s: expected "
			    "NAME=VALUE", sets[j]);
		}
		for (i = 0; i < d->nparams; i++)
			if (strncmp(v[i], sets[j], len) == 0 &&
			    v[i][len] == '=')
				break;
		if (i == d->nparams) {
			project_argv_free(v);
			return wb_err_set(err, WB_EINVAL, "-P %.*s: pipeline "
			    "%s has no param %.*s", (int)len, sets[j],
			    d->name, (int)len, sets[j]);
		}
		wb_free(v[i]);
		if ((v[i] = wb_strdup(sets[j])) == NULL)
			goto nomem;
	}
	*out = v;
	return WB_OK;
nomem:
	project_argv_free(v);
	return oom(err);
}

/* ---- Starting ---- */

/* Record a scheduled run that did not start, and why. */
static int
record_skipped(struct db *db, const struct project *p,
    const struct pipeline_def *d, const char *why, int64_t *run_id,
    struct wb_err *err)
{
	struct run_new	r;
	int64_t		exp_id, now = db_now_ms();
	char		host[256], name[80];
	int		rc;

	memset(&r, 0, sizeof r);
	db_new_uuid(r.uuid);
	snprintf(name, sizeof name, "%.40s-%.6s", d->name, r.uuid);
	r.name = name;
	r.status = "finished";
	r.source = p->path;
	r.host = launch_host(host);
	r.started_at = now;
	r.ended_at = now;
	r.git_dirty = -1;
	if ((rc = db_begin(db, err)) != WB_OK)
		return rc;
	if ((rc = db_exp_ensure(db, pipe_experiment(p, d), &exp_id, err)) !=
	    WB_OK)
		goto fail;
	r.experiment_id = exp_id;
	if ((rc = db_run_insert(db, &r, run_id, err)) != WB_OK ||
	    (rc = db_tag_set(db, *run_id, PIPELINE_TAG, d->name, err)) !=
	    WB_OK || (rc = db_tag_set(db, *run_id, PIPELINE_STATE_TAG,
	    "skipped", err)) != WB_OK || (rc = db_tag_set(db, *run_id,
	    PIPELINE_REASON_TAG, why, err)) != WB_OK)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

/* The first steps tag: every step pending. */
static int
initial_steps(const struct pipeline_def *d, struct strbuf *sb)
{
	struct pipeline_step	*s;
	size_t			 i;
	int			 rc;

	if ((s = wb_calloc(d->nsteps + 1, sizeof *s)) == NULL)
		return -1;
	for (i = 0; i < d->nsteps; i++) {
		s[i].name = d->steps[i].name;
		s[i].kind = (char *)(uintptr_t)pstep_kind_name(
		    d->steps[i].kind);
		s[i].needs = d->steps[i].needs;
		s[i].nneeds = d->steps[i].nneeds;
		s[i].state = (char *)(uintptr_t)"pending";
		s[i].metric = d->steps[i].metric;
	}
	rc = pipeline_steps_json(sb, s, d->nsteps);
	wb_free(s);
	return rc;
}

int
pipeline_start(struct db *db, const struct project *p,
    const struct pipeline_opts *o, int64_t *run_id, int *skipped,
    struct wb_err *err)
{
	const struct pipeline_def	*d;
	struct project_entry		 e;
	struct project			 q;
	struct launch_opts		 lo;
	struct launch_info		 li;
	struct pipeline_run		*rows = NULL;
	struct strbuf			 steps = STRBUF_INIT, pj = STRBUF_INIT,
					 t[6];
	char				**vals = NULL, *tags[7], *argv[6];
	char				 ruuid[33] = "";
	size_t				 nrows = 0, i;
	int				 rc;

	*run_id = 0;
	if (skipped != NULL)
		*skipped = 0;
	if ((d = project_pipeline(p, o->name)) == NULL) {
		struct strbuf	 sb = STRBUF_INIT;
		const struct pipeline_def *all;
		size_t		 n;

		all = project_pipelines(p, &n);
		for (i = 0; i < n; i++)
			strbuf_addf(&sb, "%s%s", i ? ", " : "", all[i].name);
		rc = wb_err_set(err, WB_ENOTFOUND, "%s: no pipeline %s "
		    "(pipelines: %s)", p->path, o->name, n ? strbuf_str(&sb) :
		    "none");
		strbuf_free(&sb);
		return rc;
	}
	if (o->supervisor == NULL)
		return wb_err_set(err, WB_EINVAL, "no supervisor command: "
		    "this caller cannot start pipelines");
	if ((rc = pipe_values(d, o->sets, o->nsets, &vals, err)) != WB_OK)
		return rc;
	/* Supervisors gone make their pipelines lost before we look. */
	if ((rc = launch_reap_lost(db, NULL, NULL, err)) != WB_OK ||
	    (rc = pipeline_list(db, d->name, &rows, &nrows, err)) != WB_OK)
		goto out;
	if (o->scheduled && nrows > 0 && strcmp(rows[0].state, "running") ==
	    0) {
		char	why[160];

		snprintf(why, sizeof why, "the previous run %.32s is still "
		    "running", rows[0].uuid);
		rc = record_skipped(db, p, d, why, run_id, err);
		if (rc == WB_OK && skipped != NULL)
			*skipped = 1;
		goto out;
	}
	if (o->resume != 0) {
		struct pipeline_run	old;

		if ((rc = pipeline_get(db, o->resume, &old, err)) != WB_OK)
			goto out;
		if (strcmp(old.pipeline, d->name) != 0 ||
		    strcmp(old.state, "running") == 0) {
			rc = wb_err_set(err, WB_EINVAL, strcmp(old.pipeline,
			    d->name) != 0 ? "run %s is a run of pipeline %s, "
			    "not %s" : "run %s is still running", old.uuid,
			    old.pipeline, d->name);
			pipeline_run_clear(&old);
			goto out;
		}
		snprintf(ruuid, sizeof ruuid, "%s", old.uuid);
		pipeline_run_clear(&old);
	}
	if (initial_steps(d, &steps) != 0 ||
	    launch_json_add_strv(&pj, vals) != 0) {
		rc = oom(err);
		goto out;
	}
	for (i = 0; i < 6; i++)
		memset(&t[i], 0, sizeof t[i]);
	strbuf_addf(&t[0], "%s=%s", PIPELINE_TAG, d->name);
	strbuf_addf(&t[1], "%s=%s", PIPELINE_STEPS_TAG, steps.s);
	strbuf_addf(&t[2], "%s=running", PIPELINE_STATE_TAG);
	strbuf_addf(&t[3], "%s=%s", PIPELINE_PARAMS_TAG, pj.s);
	strbuf_addf(&t[4], "%s=%s", PIPELINE_RESUME_TAG, ruuid);
	strbuf_addf(&t[5], "%s=%s", PIPELINE_FROM_TAG, o->from_step != NULL ?
	    o->from_step : "");
	for (i = 0; i < 6; i++)
		tags[i] = t[i].s;
	tags[ruuid[0] ? 6 : 4] = NULL;
	if (ruuid[0] && o->from_step == NULL)
		tags[5] = NULL;
	/* The driver: an entry point of its own, `mlwb pipeline drive`. */
	argv[0] = (char *)(uintptr_t)o->supervisor[0];
	argv[1] = (char *)(uintptr_t)"pipeline";
	argv[2] = (char *)(uintptr_t)"drive";
	argv[3] = (char *)(uintptr_t)"--project";
	/* The driver runs in the project's folder: the file by full path. */
	argv[4] = realpath(p->path, NULL);
	argv[5] = NULL;
	if (argv[4] == NULL) {
		rc = wb_err_set(err, WB_EIO, "%s: %s", p->path,
		    strerror(errno));
		goto out;
	}
	memset(&e, 0, sizeof e);
	e.name = d->name;
	e.argv = argv;
	e.experiment = (char *)(uintptr_t)pipe_experiment(p, d);
	q = *p;
	q.entries = &e;
	q.nentries = 1;
	memset(&lo, 0, sizeof lo);
	lo.supervisor = o->supervisor;
	lo.entry = d->name;
	lo.tags = tags;
	lo.has_sample_every = 1;	/* the driver's CPU is nobody's */
	lo.no_scalars = 1;		/* nor are its lines metrics */
	rc = t[0].oom || t[1].oom || t[2].oom || t[3].oom || t[4].oom ||
	    t[5].oom ? oom(err) : launch_start(db, &q, &lo, &li, err);
	for (i = 0; i < 6; i++)
		strbuf_free(&t[i]);
	free(argv[4]);
	if (rc == WB_OK) {
		*run_id = li.run_id;
		launch_info_clear(&li);
	}
out:
	pipeline_runs_free(rows, nrows);
	project_argv_free(vals);
	strbuf_free(&steps);
	strbuf_free(&pj);
	return rc;
}

int
pipeline_rerun(struct db *db, const struct project *p,
    const char *const *supervisor, int64_t run_id, const char *step,
    int64_t *new_run, struct wb_err *err)
{
	struct pipeline_run	 r;
	struct pipeline_opts	 o;
	struct kv		*tags = NULL;
	const char		*pj;
	char			**sets = NULL;
	size_t			 ntags = 0, nsets = 0, i;
	int			 rc, found = step == NULL;

	if ((rc = pipeline_get(db, run_id, &r, err)) != WB_OK)
		return rc;
	for (i = 0; i < r.nsteps && !found; i++)
		found = strcmp(r.steps[i].name, step) == 0;
	if (!found) {
		rc = wb_err_set(err, WB_ENOTFOUND, "pipeline run %s has no "
		    "step %s", r.uuid, step);
		goto out;
	}
	if ((rc = db_tags_get(db, run_id, &tags, &ntags, err)) != WB_OK)
		goto out;
	if ((pj = tag_of(tags, ntags, PIPELINE_PARAMS_TAG)) != NULL &&
	    (rc = launch_json_strv(pj, &sets, err)) != WB_OK)
		goto out;
	while (sets != NULL && sets[nsets] != NULL)
		nsets++;
	memset(&o, 0, sizeof o);
	o.supervisor = supervisor;
	o.name = r.pipeline;
	o.sets = sets;
	o.nsets = nsets;
	o.resume = run_id;
	o.from_step = step;
	rc = pipeline_start(db, p, &o, new_run, NULL, err);
out:
	project_argv_free(sets);
	kv_free(tags, ntags);
	pipeline_run_clear(&r);
	return rc;
}

/* ---- Driving ---- */

struct drv {
	struct db			*db;
	const struct project		*p;
	const struct pipeline_def	*d;
	const char *const		*sup;
	int64_t				 run_id;
	char				 uuid[33];
	const char			*experiment;
	char				**vals;		/* pipeline params */
	struct pipeline_step		*st;		/* as d->steps */
	struct pipeline_step		*old;		/* resumed run's */
	size_t				 nold;
	char				*from;		/* --from step, or NULL */
	char				*commit;	/* of p->root */
	int				 max;
	int				 changed;
};

static volatile sig_atomic_t	cancelled;

static void
on_term(int sig)
{
	(void)sig;
	cancelled = 1;
}

static void
say(const struct drv *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A line of the driver's log (its job's output). */
static void
say(const struct drv *v, const char *fmt, ...)
{
	va_list	ap;

	(void)v;
	fputs("[pipeline] ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static int
step_idx(const struct drv *v, const char *name)
{
	size_t	i;

	for (i = 0; i < v->d->nsteps; i++)
		if (strcmp(v->d->steps[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
set_state(struct drv *v, size_t i, const char *state, const char *reason)
{
	struct pipeline_step	*s = &v->st[i];

	if (set_str(&s->state, state) != 0 || set_str(&s->reason, reason) !=
	    0)
		return -1;
	if (strcmp(state, "running") == 0 && s->started_at == 0)
		s->started_at = db_now_ms();
	if (strcmp(state, "running") != 0 && strcmp(state, "pending") != 0 &&
	    s->ended_at == 0)
		s->ended_at = db_now_ms();
	v->changed = 1;
	say(v, "step %s %s%s%s", s->name, state, reason ? " -- " : "",
	    reason ? reason : "");
	return 0;
}

static int
save(struct drv *v, struct wb_err *err)
{
	struct strbuf	sb = STRBUF_INIT;
	int		rc;

	if (!v->changed)
		return WB_OK;
	rc = pipeline_steps_json(&sb, v->st, v->d->nsteps) != 0 ? oom(err) :
	    db_life_tag(v->db, v->run_id, PIPELINE_STEPS_TAG, sb.s, NULL, err);
	strbuf_free(&sb);
	if (rc == WB_OK)
		v->changed = 0;
	return rc;
}

/* The last value of metric name in step i's run. */
static int
step_metric(struct drv *v, size_t i, const char *name, double *val,
    int *has, struct wb_err *err)
{
	int64_t	id;
	int	rc;

	*has = 0;
	if (v->st[i].run_uuid[0] == '\0')
		return WB_OK;
	if ((rc = db_run_find_uuid(v->db, v->st[i].run_uuid, &id, err)) !=
	    WB_OK)
		return rc;
	return reg_metric_last(v->db, id, name, val, has, err);
}

/* Template t with its references replaced, into *out (wb_free). */
static int
resolve(struct drv *v, const char *t, char **out, struct wb_err *err)
{
	struct strbuf		 sb = STRBUF_INIT;
	struct pipeline_ref	 r;
	const char		*o, *c, *val;
	char			 ref[160], num[40];
	double			 x;
	int			 i, has, rc;

	*out = NULL;
	while ((o = strchr(t, '{')) != NULL && (c = strchr(o, '}')) != NULL) {
		strbuf_add(&sb, t, (size_t)(o - t));
		snprintf(ref, sizeof ref, "%.*s", (int)(c - o - 1), o + 1);
		if (pipeline_ref_parse(ref, &r) != 0) {
			strbuf_free(&sb);
			return wb_err_set(err, WB_EINVAL, "bad reference {%s}",
			    ref);
		}
		val = NULL;
		if (r.what == PREF_PARAM)
			val = kv_get(v->vals, r.name);
		else if ((i = step_idx(v, r.step)) < 0)
			val = NULL;
		else if (r.what == PREF_RUN)
			val = v->st[i].run_uuid;
		else if (r.what == PREF_VERSION)
			val = v->st[i].version;
		else if (r.what == PREF_METRIC) {
			if ((rc = step_metric(v, (size_t)i, r.name, &x, &has,
			    err)) != WB_OK) {
				strbuf_free(&sb);
				return rc;
			}
			if (has) {
				snprintf(num, sizeof num, "%.17g", x);
				val = num;
			}
		} else {
			const struct project_entry *e = project_entry(v->p,
			    v->d->steps[i].entry);
			const char *path = e != NULL ?
			    pipeline_output_match(e, r.name) : NULL;

			if (path != NULL) {
				if (path[0] != '/')
					strbuf_addf(&sb, "%s/%s%s", v->p->root,
					    e->cwd ? e->cwd : "", e->cwd ? "/" :
					    "");
				val = path;
			}
		}
		if (val == NULL) {
			strbuf_free(&sb);
			return wb_err_set(err, WB_EINVAL, "{%s} has no value "
			    "yet", ref);
		}
		strbuf_adds(&sb, val);
		t = c + 1;
	}
	strbuf_adds(&sb, t);
	if (sb.oom) {
		strbuf_free(&sb);
		return oom(err);
	}
	*out = strbuf_detach(&sb);
	if (*out == NULL && (*out = wb_strdup("")) == NULL)
		return oom(err);
	return WB_OK;
}

/* A path of the project (relative to its root) made absolute. */
static char *
abs_path(const struct drv *v, const char *path)
{
	struct strbuf	sb = STRBUF_INIT;

	if (path[0] != '/')
		strbuf_addf(&sb, "%s/", v->p->root);
	strbuf_adds(&sb, path);
	return sb.oom ? (strbuf_free(&sb), NULL) : strbuf_detach(&sb);
}

/* "PATH sha256\n" (or "PATH missing") into the key. */
static void
key_file(const struct drv *v, struct sha256 *h, const char *path)
{
	char	hex[65], *a;
	int64_t	size;
	struct wb_err e;
	struct stat st;

	if ((a = abs_path(v, path)) == NULL)
		return;
	if (stat(a, &st) == 0 && S_ISREG(st.st_mode) &&
	    sha256_file(a, hex, &size, &e) == WB_OK)
		sha256_update(h, hex, 64);
	else if (stat(a, &st) == 0 && S_ISDIR(st.st_mode) &&
	    reg_hash_path(a, hex, &e) == WB_OK)
		sha256_update(h, hex, 64);
	else
		sha256_update(h, "missing", 7);
	sha256_update(h, "\n", 1);
	wb_free(a);
}

static void
key_str(struct sha256 *h, const char *what, const char *s)
{
	sha256_update(h, what, strlen(what));
	sha256_update(h, "=", 1);
	if (s != NULL)
		sha256_update(h, s, strlen(s));
	sha256_update(h, "\n", 1);
}

/*
 * The sets an entry step runs with: its params resolved, then pipeline
 * params of the same name as an entry param it does not set.
 */
static int
step_sets(struct drv *v, const struct pstep_def *s, char ***out,
    size_t *n, struct wb_err *err)
{
	const struct project_entry	*e = project_entry(v->p, s->entry);
	struct strbuf			  sb = STRBUF_INIT;
	char				**sets, *val;
	size_t				  i, k = 0, len;
	int				  rc;

	*out = NULL;
	*n = 0;
	if ((sets = wb_calloc(s->nparams + (e ? e->nparams : 0) + 1,
	    sizeof *sets)) == NULL)
		return oom(err);
	for (i = 0; i < s->nparams; i++) {
		len = strcspn(s->params[i], "=");
		if ((rc = resolve(v, s->params[i] + len + 1, &val, err)) !=
		    WB_OK) {
			project_argv_free(sets);
			return rc;
		}
		strbuf_addf(&sb, "%.*s=%s", (int)len, s->params[i], val);
		wb_free(val);
		if ((sets[k++] = strbuf_detach(&sb)) == NULL) {
			project_argv_free(sets);
			return oom(err);
		}
	}
	for (i = 0; e != NULL && i < e->nparams; i++) {
		const char *pv = kv_get(v->vals, e->params[i].name);

		if (pv == NULL || kv_get(sets, e->params[i].name) != NULL)
			continue;
		strbuf_addf(&sb, "%s=%s", e->params[i].name, pv);
		if ((sets[k++] = strbuf_detach(&sb)) == NULL) {
			project_argv_free(sets);
			return oom(err);
		}
	}
	*out = sets;
	*n = k;
	return WB_OK;
}

/* Step i's cache key into v->st[i].key. */
static int
step_key(struct drv *v, size_t i, char *const *sets, struct wb_err *err)
{
	const struct pstep_def		*s = &v->d->steps[i];
	const struct project_entry	*e = NULL;
	struct sha256			 h;
	char				 hex[65], *r;
	size_t				 j;
	int				 rc, k;

	sha256_init(&h);
	key_str(&h, "kind", pstep_kind_name(s->kind));
	for (j = 0; j < s->nneeds; j++)
		if ((k = step_idx(v, s->needs[j])) >= 0)
			key_str(&h, "need", v->st[k].run_uuid);
	if (s->kind == PSTEP_RUN && (e = project_entry(v->p, s->entry)) !=
	    NULL) {
		key_str(&h, "entry", e->name);
		for (j = 0; e->argv[j] != NULL; j++)
			key_str(&h, "argv", e->argv[j]);
		key_str(&h, "commit", v->commit);
		for (j = 0; sets != NULL && sets[j] != NULL; j++) {
			size_t	len = strcspn(sets[j], "=");
			size_t	m;

			key_str(&h, "param", sets[j]);
			for (m = 0; m < e->nparams; m++)
				if (e->params[m].type == PARAM_PATH &&
				    strlen(e->params[m].name) == len &&
				    strncmp(e->params[m].name, sets[j], len) ==
				    0 && sets[j][len + 1] != '\0')
					key_file(v, &h, sets[j] + len + 1);
		}
	}
	/* Built-ins: their fields, and a check's data sets' bytes. */
	{
		const char *const f[] = { s->data, s->reference, s->model,
		    s->from, s->artifact, s->alias, s->version };

		for (j = 0; j < sizeof f / sizeof f[0]; j++) {
			if (f[j] == NULL)
				continue;
			if ((rc = resolve(v, f[j], &r, err)) != WB_OK) {
				sha256_free(&h);
				return rc;
			}
			key_str(&h, "field", r);
			if (s->kind == PSTEP_CHECK && j < 2)
				key_file(v, &h, r);
			wb_free(r);
		}
	}
	for (j = 0; s->inputs != NULL && s->inputs[j] != NULL; j++) {
		if ((rc = resolve(v, s->inputs[j], &r, err)) != WB_OK) {
			sha256_free(&h);
			return rc;
		}
		key_str(&h, "input", r);
		key_file(v, &h, r);
		wb_free(r);
	}
	if (sha256_hex(&h, hex) != 0)
		return oom(err);
	return set_str(&v->st[i].key, hex) != 0 ? oom(err) : WB_OK;
}

/* A child run for a built-in step, running now. */
static int
builtin_run(struct drv *v, size_t i, int64_t *id, struct wb_err *err)
{
	struct run_new	r;
	int64_t		exp_id;
	char		host[256], name[120];
	int		rc;

	memset(&r, 0, sizeof r);
	db_new_uuid(r.uuid);
	snprintf(name, sizeof name, "%.40s-%.40s-%.6s", v->d->name,
	    v->st[i].name, r.uuid);
	r.name = name;
	r.status = "running";
	r.source = v->p->path;
	r.host = launch_host(host);
	r.started_at = db_now_ms();
	r.git_dirty = -1;
	r.parent_id = v->run_id;
	if ((rc = db_begin(v->db, err)) != WB_OK)
		return rc;
	if ((rc = db_exp_ensure(v->db, v->experiment, &exp_id, err)) != WB_OK)
		goto fail;
	r.experiment_id = exp_id;
	if ((rc = db_run_insert(v->db, &r, id, err)) != WB_OK ||
	    (rc = db_tag_set(v->db, *id, PIPELINE_STEP_TAG, v->st[i].name,
	    err)) != WB_OK || (rc = db_tag_set(v->db, *id, "mlwb.step_kind",
	    v->st[i].kind, err)) != WB_OK)
		goto fail;
	if ((rc = db_commit(v->db, err)) != WB_OK)
		return rc;
	snprintf(v->st[i].run_uuid, sizeof v->st[i].run_uuid, "%s", r.uuid);
	return WB_OK;
fail:
	db_rollback(v->db);
	return rc;
}

/* check: drift or a schema change of data against reference fails. */
static int
do_check(struct drv *v, const struct pstep_def *s, char *why, size_t len,
    struct wb_err *err)
{
	struct drift_spec	 spec;
	struct drift_report	*rep = NULL;
	char			*data = NULL, *ref = NULL, *ad = NULL,
				*ar = NULL;
	int			 rc, failed = 0;

	if ((rc = resolve(v, s->data, &data, err)) != WB_OK)
		goto out;
	if (s->reference != NULL) {
		if ((rc = resolve(v, s->reference, &ref, err)) != WB_OK)
			goto out;
	} else {
		/* The model's training data, from lineage, sha256 checked. */
		char	*model = NULL, *mspec = NULL;

		if ((rc = resolve(v, s->model, &model, err)) == WB_OK)
			rc = lineage_reference(v->db, model, &ref, &mspec,
			    err);
		wb_free(model);
		wb_free(mspec);
		if (rc != WB_OK) {
			snprintf(why, len, "%s", err->msg);
			failed = 1;
			rc = WB_OK;
			goto out;
		}
	}
	if ((ad = abs_path(v, data)) == NULL || (ar = abs_path(v, ref)) ==
	    NULL) {
		rc = oom(err);
		goto out;
	}
	drift_spec_init(&spec);
	if ((rc = drift_report_run(ar, ad, &spec, &rep, err)) != WB_OK) {
		snprintf(why, len, "%s", err->msg);
		failed = 1;
		rc = WB_OK;
		goto out;
	}
	if (rep->nissues > 0) {
		snprintf(why, len, "schema changed: column %s %s%s", rep->
		    issues[0].column, rep->issues[0].what, rep->nissues > 1 ?
		    " (and more)" : "");
		failed = 1;
	} else if (rep->dataset_drift) {
		snprintf(why, len, "drift in %zu of %zu columns of %s", rep->
		    drifted, rep->tested, data);
		failed = 1;
	} else
		snprintf(why, len, "no drift in %zu columns of %s", rep->
		    tested, data);
out:
	drift_report_free(rep);
	wb_free(data);
	wb_free(ref);
	wb_free(ad);
	wb_free(ar);
	return rc != WB_OK ? rc : failed ? WB_EINVAL : WB_OK;
}

static int
do_register(struct drv *v, size_t i, char *why, size_t len,
    struct wb_err *err)
{
	const struct pstep_def	*s = &v->d->steps[i];
	struct reg_who		 who;
	struct wb_err		 e2;
	char			 host[256], desc[200], ver[32];
	char			*from = NULL, *art = NULL, *aart = NULL;
	int64_t			 version = 0;
	int			 rc;

	if ((rc = resolve(v, s->from, &from, err)) != WB_OK ||
	    (s->artifact != NULL && (rc = resolve(v, s->artifact, &art,
	    err)) != WB_OK))
		goto out;
	if (art != NULL && (aart = abs_path(v, art)) == NULL) {
		rc = oom(err);
		goto out;
	}
	reg_who_default(&who, host);
	snprintf(desc, sizeof desc, "pipeline %.60s, run %.32s", v->d->name,
	    v->uuid);
	rc = reg_model_create(v->db, s->model, NULL, &who, &e2);
	if (rc != WB_OK && rc != WB_EEXIST) {
		snprintf(why, len, "%s", e2.msg);
		rc = WB_EINVAL;
		goto out;
	}
	if ((rc = reg_register(v->db, s->model, from, aart, desc, &who,
	    &version, &e2)) != WB_OK) {
		snprintf(why, len, "%s", e2.msg);
		rc = WB_EINVAL;
		goto out;
	}
	snprintf(ver, sizeof ver, "%lld", (long long)version);
	if (set_str(&v->st[i].version, ver) != 0) {
		rc = oom(err);
		goto out;
	}
	snprintf(why, len, "registered %s version %s", s->model, ver);
out:
	wb_free(from);
	wb_free(art);
	wb_free(aart);
	return rc;
}

static int
do_promote(struct drv *v, size_t i, char *why, size_t len,
    struct wb_err *err)
{
	const struct pstep_def	*s = &v->d->steps[i];
	struct reg_move		 m;
	struct reg_outcome	 o;
	struct wb_err		 e2;
	char			 host[256], uri[300], reason[160];
	char			*ver = NULL, **dargv = NULL, *dcwd = NULL,
				*end;
	char *const		*denv = NULL;
	int			 rc;

	memset(&m, 0, sizeof m);
	memset(&o, 0, sizeof o);
	if (s->version != NULL && (rc = resolve(v, s->version, &ver, err)) !=
	    WB_OK)
		return rc;
	if (ver != NULL) {
		m.version = strtoll(ver, &end, 10);
		if (*end != '\0' || m.version <= 0) {
			snprintf(why, len, "version '%s' is not a number", ver);
			wb_free(ver);
			return WB_EINVAL;
		}
		wb_free(ver);
	} else {
		struct reg_version rv;

		snprintf(uri, sizeof uri, "models:/%s/latest", s->model);
		if (reg_resolve_uri(v->db, uri, &rv, &e2) != WB_OK) {
			snprintf(why, len, "%s", e2.msg);
			return WB_EINVAL;
		}
		m.version = rv.version;
		reg_version_clear(&rv);
	}
	snprintf(reason, sizeof reason, "pipeline %.60s, run %.32s",
	    v->d->name, v->uuid);
	m.model = s->model;
	m.alias = s->alias;
	m.reason = reason;
	m.gate = project_gate(v->p, s->model);
	if ((rc = reg_project_deploy(v->p, &dargv, &dcwd, &denv, err)) !=
	    WB_OK)
		return rc;
	m.deploy_argv = dargv;
	m.deploy_cwd = dcwd;
	m.deploy_env = denv;
	reg_who_default(&m.who, host);
	rc = reg_promote(v->db, &m, &o, &e2);
	if (rc == WB_EGATE)
		snprintf(why, len, "gate refused: %s", o.gate_text);
	else if (rc == WB_EPROC)
		snprintf(why, len, "deploy failed (exit status %d)",
		    o.deploy_status);
	else if (rc != WB_OK)
		snprintf(why, len, "%s", e2.msg);
	else
		snprintf(why, len, "%s@%s -> version %lld%s%s", s->model,
		    s->alias, (long long)m.version, o.gated ? ", gate " : "",
		    o.gated ? o.gate_text : "");
	if (rc != WB_OK)
		rc = WB_EINVAL;
	/* The verify area's hook: a failed verify fails the step. */
	if (rc == WB_OK && s->verify != NULL && verify_hook != NULL &&
	    verify_hook(v->db, v->p, s, m.version, why, len) != 0)
		rc = WB_EINVAL;
	reg_outcome_clear(&o);
	project_argv_free(dargv);
	wb_free(dcwd);
	return rc;
}

/* Do built-in step i in the driver, as a child run. */
static int
builtin(struct drv *v, size_t i, struct wb_err *err)
{
	const struct pstep_def	*s = &v->d->steps[i];
	char			 why[256] = "";
	int64_t			 id;
	int			 rc;

	if ((rc = builtin_run(v, i, &id, err)) != WB_OK)
		return rc;
	if (set_state(v, i, "running", NULL) != 0)
		return oom(err);
	if ((rc = save(v, err)) != WB_OK)
		return rc;
	rc = s->kind == PSTEP_CHECK ? do_check(v, s, why, sizeof why, err) :
	    s->kind == PSTEP_REGISTER ? do_register(v, i, why, sizeof why,
	    err) : do_promote(v, i, why, sizeof why, err);
	if (rc != WB_OK && rc != WB_EINVAL)
		snprintf(why, sizeof why, "%s", err->msg);
	if (db_life_tag(v->db, id, "mlwb.step_result", why, NULL, err) !=
	    WB_OK ||
	    db_run_set_status(v->db, id, rc == WB_OK ? "finished" : "failed",
	    db_now_ms(), 1, rc == WB_OK ? 0 : 1, err) != WB_OK)
		return WB_EDB;
	if (set_state(v, i, rc == WB_OK ? "done" : "failed", why) != 0)
		return oom(err);
	return WB_OK;
}

/* Start entry step i as a launched job, child of the pipeline run. */
static int
launch_step(struct drv *v, size_t i, char **sets, size_t nsets,
    struct wb_err *err)
{
	struct launch_opts	lo;
	struct launch_info	li;
	struct strbuf		tag = STRBUF_INIT;
	char			*tags[2];
	int			rc;

	strbuf_addf(&tag, "%s=%s", PIPELINE_STEP_TAG, v->st[i].name);
	if (tag.oom)
		return oom(err);
	tags[0] = tag.s;
	tags[1] = NULL;
	memset(&lo, 0, sizeof lo);
	lo.supervisor = v->sup;
	lo.entry = v->d->steps[i].entry;
	lo.sets = sets;
	lo.nsets = nsets;
	lo.experiment = v->experiment;
	lo.parent_id = v->run_id;
	lo.tags = tags;
	rc = launch_start(v->db, v->p, &lo, &li, err);
	strbuf_free(&tag);
	if (rc != WB_OK)
		return rc;
	snprintf(v->st[i].run_uuid, sizeof v->st[i].run_uuid, "%s",
	    li.run_uuid);
	launch_info_clear(&li);
	return set_state(v, i, "running", NULL) != 0 ? oom(err) : WB_OK;
}

/* The step of the resumed run called name, if it was done. */
static const struct pipeline_step *
old_done(const struct drv *v, const char *name)
{
	size_t	i;

	for (i = 0; i < v->nold; i++)
		if (strcmp(v->old[i].name, name) == 0 &&
		    strcmp(v->old[i].state, "done") == 0 &&
		    v->old[i].run_uuid[0] != '\0')
			return &v->old[i];
	return NULL;
}

/* Step i's needs are done: check when:, the cache, then start it. */
static int
start_step(struct drv *v, size_t i, struct wb_err *err)
{
	const struct pstep_def		*s = &v->d->steps[i];
	const struct pipeline_step	*o;
	struct pipeline_when		 w;
	char				**sets = NULL, why[200], msg[160];
	size_t				 nsets = 0;
	double				 x;
	int				 has, k, rc;

	if (s->when != NULL && pipeline_when_parse(s->when, &w, msg,
	    sizeof msg) == 0 && (k = step_idx(v, w.step)) >= 0) {
		if ((rc = step_metric(v, (size_t)k, w.metric, &x, &has,
		    err)) != WB_OK)
			return rc;
		if (!has || !pipeline_when_true(&w, x)) {
			if (has)
				snprintf(why, sizeof why, "when: %s is false "
				    "(%s is %.6g)", s->when, w.metric, x);
			else
				snprintf(why, sizeof why, "when: step %s "
				    "logged no %s", w.step, w.metric);
			return set_state(v, i, "skipped", why) != 0 ?
			    oom(err) : WB_OK;
		}
	}
	if (s->kind == PSTEP_RUN && (rc = step_sets(v, s, &sets, &nsets,
	    err)) != WB_OK)
		goto fail;
	if ((rc = step_key(v, i, sets, err)) != WB_OK)
		goto fail;
	o = old_done(v, s->name);
	if (o != NULL && o->key != NULL && strcmp(o->key, v->st[i].key) ==
	    0 && (v->from == NULL || (strcmp(v->from, s->name) != 0 &&
	    !pipeline_step_after(v->d, s, v->from)))) {
		snprintf(v->st[i].run_uuid, sizeof v->st[i].run_uuid, "%s",
		    o->run_uuid);
		v->st[i].cached = 1;
		v->st[i].started_at = o->started_at;
		if (set_str(&v->st[i].version, o->version) != 0 ||
		    set_state(v, i, "done", "unchanged: the earlier run's "
		    "result") != 0)
			rc = oom(err);
		v->st[i].ended_at = o->ended_at;
		goto out;
	}
	rc = s->kind == PSTEP_RUN ? launch_step(v, i, sets, nsets, err) :
	    builtin(v, i, err);
fail:
	if (rc != WB_OK && rc != WB_ENOMEM && rc != WB_EDB) {
		/* A step that cannot start fails; the pipeline goes on. */
		if (set_state(v, i, "failed", err->msg) != 0)
			rc = oom(err);
		else
			rc = WB_OK;
	}
out:
	project_argv_free(sets);
	return rc;
}

/* Look at the jobs of running entry steps. */
static int
poll_steps(struct drv *v, int *running, struct wb_err *err)
{
	struct job	j;
	int64_t		id;
	size_t		i;
	char		why[80];
	int		rc;

	*running = 0;
	for (i = 0; i < v->d->nsteps; i++) {
		if (strcmp(v->st[i].state, "running") != 0)
			continue;
		if (v->d->steps[i].kind != PSTEP_RUN) {
			(*running)++;
			continue;
		}
		if ((rc = db_run_find_uuid(v->db, v->st[i].run_uuid, &id,
		    err)) != WB_OK || (rc = db_job_of_run(v->db, id, &j,
		    err)) != WB_OK)
			return rc;
		if (strcmp(j.state, "finished") == 0)
			rc = set_state(v, i, "done", NULL);
		else if (strcmp(j.state, "failed") == 0) {
			if (j.has_exit_code)
				snprintf(why, sizeof why, "exit status %d",
				    j.exit_code);
			else
				snprintf(why, sizeof why, "it could not start");
			rc = set_state(v, i, "failed", why);
		} else if (strcmp(j.state, "killed") == 0)
			rc = set_state(v, i, cancelled ? "cancelled" :
			    "failed", "killed");
		else if (strcmp(j.state, "lost") == 0)
			rc = set_state(v, i, "lost", "its supervisor is gone");
		else
			(*running)++;
		if (rc == 0 && strcmp(v->st[i].state, "running") != 0) {
			v->st[i].started_at = j.started_at ? j.started_at :
			    v->st[i].started_at;
			v->st[i].ended_at = j.ended_at ? j.ended_at :
			    v->st[i].ended_at;
		}
		job_clear(&j);
		if (rc != 0)
			return oom(err);
	}
	return WB_OK;
}

/* Move pending steps whose needs ended; *moved if any did. */
static int
advance(struct drv *v, int *running, struct wb_err *err)
{
	const struct pstep_def	*s;
	size_t			 i, j;
	int			 k, ready, rc;
	char			 why[200];

	for (i = 0; i < v->d->nsteps; i++) {
		if (strcmp(v->st[i].state, "pending") != 0)
			continue;
		s = &v->d->steps[i];
		ready = 1;
		why[0] = '\0';
		for (j = 0; j < s->nneeds && why[0] == '\0'; j++) {
			const char *ns;

			k = step_idx(v, s->needs[j]);
			ns = v->st[k].state;
			if (strcmp(ns, "done") == 0)
				continue;
			if (strcmp(ns, "pending") == 0 ||
			    strcmp(ns, "running") == 0)
				ready = 0;
			else
				snprintf(why, sizeof why, "needs %s, which %s"
				    "%s", s->needs[j], strcmp(ns, "failed") ==
				    0 ? "" : "was ", ns);
		}
		if (why[0] != '\0') {
			if (set_state(v, i, "skipped", why) != 0)
				return oom(err);
			continue;
		}
		if (!ready || cancelled)
			continue;
		if (s->kind == PSTEP_RUN && *running >= v->max)
			continue;
		if ((rc = start_step(v, i, err)) != WB_OK)
			return rc;
		if (strcmp(v->st[i].state, "running") == 0)
			(*running)++;
		if ((rc = save(v, err)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

/* Cancel: kill running steps, mark them and pending ones cancelled. */
static int
cancel_all(struct drv *v, struct wb_err *err)
{
	struct wb_err	e2;
	int64_t		id;
	size_t		i;

	for (i = 0; i < v->d->nsteps; i++) {
		if (strcmp(v->st[i].state, "running") == 0 &&
		    v->d->steps[i].kind == PSTEP_RUN &&
		    db_run_find_uuid(v->db, v->st[i].run_uuid, &id, &e2) ==
		    WB_OK)
			launch_kill(v->db, id, LAUNCH_KILL_GRACE, &e2);
		if (strcmp(v->st[i].state, "running") == 0 ||
		    strcmp(v->st[i].state, "pending") == 0)
			if (set_state(v, i, "cancelled", "the pipeline was "
			    "cancelled") != 0)
				return oom(err);
	}
	return save(v, err);
}

static void
drv_free(struct drv *v)
{
	project_argv_free(v->vals);
	pipeline_steps_free(v->st, v->d != NULL ? v->d->nsteps : 0);
	pipeline_steps_free(v->old, v->nold);
	wb_free(v->from);
	free(v->commit);
}

/* Read the run's tags into v: params, steps, the resumed run. */
static int
drv_load(struct drv *v, struct wb_err *err)
{
	struct pipeline_run	 r, old;
	struct kv		*tags = NULL;
	size_t			 ntags = 0, i, j;
	const char		*t;
	int			 rc, dirty;

	if ((rc = pipeline_get(v->db, v->run_id, &r, err)) != WB_OK)
		return rc;
	snprintf(v->uuid, sizeof v->uuid, "%s", r.uuid);
	if ((v->d = project_pipeline(v->p, r.pipeline)) == NULL) {
		rc = wb_err_set(err, WB_ENOTFOUND, "%s: no pipeline %s (it "
		    "was removed since the run started)", v->p->path,
		    r.pipeline);
		goto out;
	}
	v->experiment = pipe_experiment(v->p, v->d);
	if ((rc = db_tags_get(v->db, v->run_id, &tags, &ntags, err)) != WB_OK)
		goto out;
	if ((t = tag_of(tags, ntags, PIPELINE_PARAMS_TAG)) != NULL &&
	    (rc = launch_json_strv(t, &v->vals, err)) != WB_OK)
		goto out;
	if ((t = tag_of(tags, ntags, PIPELINE_FROM_TAG)) != NULL && *t &&
	    (v->from = wb_strdup(t)) == NULL) {
		rc = oom(err);
		goto out;
	}
	if ((t = tag_of(tags, ntags, PIPELINE_RESUME_TAG)) != NULL && *t) {
		int64_t id;

		if ((rc = db_run_find_uuid(v->db, t, &id, err)) != WB_OK ||
		    (rc = pipeline_get(v->db, id, &old, err)) != WB_OK)
			goto out;
		v->old = old.steps;
		v->nold = old.nsteps;
		old.steps = NULL;
		old.nsteps = 0;
		pipeline_run_clear(&old);
	}
	/* The definition decides the steps; the tag only their states. */
	if ((v->st = wb_calloc(v->d->nsteps + 1, sizeof *v->st)) == NULL) {
		rc = oom(err);
		goto out;
	}
	for (i = 0; i < v->d->nsteps; i++) {
		const struct pstep_def *s = &v->d->steps[i];

		if ((v->st[i].name = wb_strdup(s->name)) == NULL ||
		    (v->st[i].kind = wb_strdup(pstep_kind_name(s->kind))) ==
		    NULL || (v->st[i].state = wb_strdup("pending")) == NULL ||
		    (v->st[i].needs = wb_calloc(s->nneeds + 1,
		    sizeof (char *))) == NULL ||
		    set_str(&v->st[i].metric, s->metric) != 0) {
			rc = oom(err);
			goto out;
		}
		for (j = 0; j < s->nneeds; j++)
			if ((v->st[i].needs[v->st[i].nneeds++] =
			    wb_strdup(s->needs[j])) == NULL) {
				rc = oom(err);
				goto out;
			}
	}
	launch_git_info(v->p->root, &v->commit, &dirty);
	rc = launch_max_get(v->db, &v->max, err);
	if (v->max < 1)
		v->max = 1;
	v->changed = 1;
out:
	kv_free(tags, ntags);
	pipeline_run_clear(&r);
	return rc;
}

static void
nap(int ms)
{
	struct timespec	ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int
pipeline_drive(struct db *db, const struct project *p,
    const char *const *supervisor, int64_t run_id, struct wb_err *err)
{
	struct drv	 v;
	struct wb_err	 e2;
	struct sigaction sa;
	size_t		 i;
	int64_t		 last_reap = 0;
	pid_t		 ppid;
	int		 rc, running, open, failed = -1;
	char		 why[300];

	memset(&v, 0, sizeof v);
	v.db = db;
	v.p = p;
	v.sup = supervisor;
	v.run_id = run_id;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((rc = drv_load(&v, err)) != WB_OK)
		goto out;
	say(&v, "pipeline %s, run %s: %zu steps, up to %d at once",
	    v.d->name, v.uuid, v.d->nsteps, v.max);
	ppid = getppid();
	for (;;) {
		/*
		 * The supervisor gone (kill -9, a crash): the run reads lost
		 * from its job; this process stops without a word, and
		 * --resume picks up from what the steps tag says.
		 */
		if (getppid() != ppid) {
			say(&v, "the pipeline's supervisor is gone: stopping");
			rc = wb_err_set(err, WB_EPROC, "pipeline %s: the "
			    "supervisor is gone", v.d->name);
			goto out;
		}
		if (db_now_ms() - last_reap >= REAP_MS) {
			launch_reap_lost(db, supervisor, NULL, &e2);
			last_reap = db_now_ms();
		}
		if ((rc = poll_steps(&v, &running, err)) != WB_OK)
			goto out;
		if (cancelled) {
			if ((rc = cancel_all(&v, err)) != WB_OK)
				goto out;
			break;
		}
		if ((rc = advance(&v, &running, err)) != WB_OK ||
		    (rc = save(&v, err)) != WB_OK)
			goto out;
		for (open = 0, i = 0; i < v.d->nsteps; i++)
			open += strcmp(v.st[i].state, "pending") == 0 ||
			    strcmp(v.st[i].state, "running") == 0;
		if (open == 0)
			break;
		nap(POLL_MS);
	}
	for (i = 0; i < v.d->nsteps && failed < 0; i++)
		if (strcmp(v.st[i].state, "failed") == 0 ||
		    strcmp(v.st[i].state, "lost") == 0)
			failed = (int)i;
	if (cancelled)
		snprintf(why, sizeof why, "cancelled");
	else if (failed >= 0)
		snprintf(why, sizeof why, "step %s %s: %s", v.st[failed].name,
		    v.st[failed].state, v.st[failed].reason ?
		    v.st[failed].reason : "?");
	/* db_life_tag stamps the run changed: a push carries the end. */
	if ((rc = db_life_tag(db, run_id, PIPELINE_STATE_TAG, cancelled ?
	    "cancelled" : failed >= 0 ? "failed" : "done", NULL, err)) !=
	    WB_OK || ((cancelled || failed >= 0) && (rc = db_life_tag(db,
	    run_id, PIPELINE_REASON_TAG, why, NULL, err)) != WB_OK))
		goto out;
	say(&v, "pipeline %s %s%s%s", v.d->name, cancelled ? "cancelled" :
	    failed >= 0 ? "failed" : "done", cancelled || failed < 0 ? "" :
	    " -- ", cancelled || failed < 0 ? "" : why);
	if (cancelled || failed >= 0)
		rc = wb_err_set(err, WB_EINVAL, "pipeline %s: %s", v.d->name,
		    why);
out:
	drv_free(&v);
	return rc;
}
