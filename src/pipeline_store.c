/*
 * pipeline_store: what a pipeline run is in the store, and reading it
 * back (pipeline.h's read API: pipeline_list, pipeline_get,
 * pipeline_cancel).  A pipeline run is a run tagged mlwb.pipeline; its
 * steps are one JSON array in the tag mlwb.pipeline.steps that only the
 * run's driver writes, so that there is one writer and the steps travel
 * with the run's tags through push, pull and merge.
 *
 * The stored state is what the driver last wrote.  When the driver is
 * gone without saying so (its job lost, or killed), the states read here
 * say that instead: a running pipeline whose driver job is lost reads
 * lost, and so do its running steps.
 */
#include "config.h"

#include "pipeline_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "db_jobs.h"
#include "db_life.h"
#include "db_pipeline.h"
#include "db_run.h"
#include "err.h"
#include "launch.h"
#include "mem.h"
#include "registry.h"
#include "strbuf.h"
#include "text.h"
#include "yamldoc.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

void
pipeline_step_clear(struct pipeline_step *s)
{
	size_t	i;

	wb_free(s->name);
	wb_free(s->kind);
	for (i = 0; s->needs != NULL && s->needs[i] != NULL; i++)
		wb_free(s->needs[i]);
	wb_free(s->needs);
	wb_free(s->state);
	wb_free(s->reason);
	wb_free(s->metric);
	wb_free(s->key);
	wb_free(s->version);
	memset(s, 0, sizeof *s);
}

void
pipeline_steps_free(struct pipeline_step *s, size_t n)
{
	size_t	i;

	for (i = 0; s != NULL && i < n; i++)
		pipeline_step_clear(&s[i]);
	wb_free(s);
}

void
pipeline_run_clear(struct pipeline_run *r)
{
	wb_free(r->name);
	wb_free(r->pipeline);
	wb_free(r->state);
	wb_free(r->reason);
	pipeline_steps_free(r->steps, r->nsteps);
	memset(r, 0, sizeof *r);
}

void
pipeline_runs_free(struct pipeline_run *rows, size_t n)
{
	size_t	i;

	for (i = 0; rows != NULL && i < n; i++)
		pipeline_run_clear(&rows[i]);
	wb_free(rows);
}

static void
add_str(struct strbuf *sb, const char *k, const char *v)
{
	strbuf_addf(sb, ",\"%s\":", k);
	if (v == NULL)
		strbuf_adds(sb, "null");
	else
		text_json_str(sb, v);
}

int
pipeline_steps_json(struct strbuf *sb, const struct pipeline_step *s,
    size_t n)
{
	size_t	i, j;

	strbuf_addc(sb, '[');
	for (i = 0; i < n; i++) {
		strbuf_adds(sb, i ? ",{\"name\":" : "{\"name\":");
		text_json_str(sb, s[i].name);
		add_str(sb, "kind", s[i].kind);
		strbuf_adds(sb, ",\"needs\":[");
		for (j = 0; j < s[i].nneeds; j++) {
			if (j)
				strbuf_addc(sb, ',');
			text_json_str(sb, s[i].needs[j]);
		}
		strbuf_addc(sb, ']');
		add_str(sb, "state", s[i].state);
		add_str(sb, "reason", s[i].reason);
		add_str(sb, "run", s[i].run_uuid[0] ? s[i].run_uuid : NULL);
		strbuf_addf(sb, ",\"cached\":%s,\"started_at\":%lld,"
		    "\"ended_at\":%lld", s[i].cached ? "true" : "false",
		    (long long)s[i].started_at, (long long)s[i].ended_at);
		add_str(sb, "metric", s[i].metric);
		add_str(sb, "key", s[i].key);
		add_str(sb, "version", s[i].version);
		strbuf_addc(sb, '}');
	}
	strbuf_addc(sb, ']');
	return sb->oom ? -1 : 0;
}

/* A string field of a JSON object node, copied; NULL stays NULL. */
static int
jstr(const struct ynode *o, const char *k, char **out)
{
	const struct ynode	*n = ynode_get(o, k);

	*out = NULL;
	if (n == NULL || n->type != YNODE_SCALAR || (n->plain &&
	    ynode_is_null(n)))
		return 0;
	return (*out = wb_strndup(n->value, n->len)) == NULL ? -1 : 0;
}

static int64_t
jint(const struct ynode *o, const char *k)
{
	const struct ynode	*n = ynode_get(o, k);

	return n != NULL && n->type == YNODE_SCALAR ?
	    strtoll(n->value, NULL, 10) : 0;
}

int
pipeline_steps_parse(const char *json, struct pipeline_step **out,
    size_t *nout, struct wb_err *err)
{
	struct ydoc		*doc;
	struct pipeline_step	*s;
	const struct ynode	*r, *o, *nd;
	char			*run;
	size_t			 i, j;
	int			 rc;

	*out = NULL;
	*nout = 0;
	if ((rc = ydoc_load_mem(json, strlen(json), PIPELINE_STEPS_TAG, &doc,
	    err)) != WB_OK)
		return rc;
	if ((r = doc->root) == NULL || r->type != YNODE_SEQ) {
		ydoc_free(doc);
		return wb_err_set(err, WB_EPARSE, "%s: not a JSON array",
		    PIPELINE_STEPS_TAG);
	}
	if ((s = wb_calloc(r->n + 1, sizeof *s)) == NULL) {
		ydoc_free(doc);
		return oom(err);
	}
	for (i = 0; i < r->n; i++) {
		o = r->items[i];
		*nout = i + 1;
		/* A step that is not an object (another writer of a shared
		 * store, or a hand edit) reads as a nameless pending step. */
		if (o->type != YNODE_MAP)
			goto defaults;
		if (jstr(o, "name", &s[i].name) || jstr(o, "kind",
		    &s[i].kind) || jstr(o, "state", &s[i].state) ||
		    jstr(o, "reason", &s[i].reason) || jstr(o, "metric",
		    &s[i].metric) || jstr(o, "key", &s[i].key) ||
		    jstr(o, "version", &s[i].version) ||
		    jstr(o, "run", &run))
			goto nomem;
		if (run != NULL)
			snprintf(s[i].run_uuid, sizeof s[i].run_uuid, "%s",
			    run);
		wb_free(run);
		nd = ynode_get(o, "cached");
		s[i].cached = nd != NULL && nd->type == YNODE_SCALAR &&
		    strcmp(nd->value, "true") == 0;
		s[i].started_at = jint(o, "started_at");
		s[i].ended_at = jint(o, "ended_at");
		nd = ynode_get(o, "needs");
		j = nd != NULL && nd->type == YNODE_SEQ ? nd->n : 0;
		if ((s[i].needs = wb_calloc(j + 1, sizeof *s[i].needs)) ==
		    NULL)
			goto nomem;
		for (j = 0; nd != NULL && nd->type == YNODE_SEQ && j < nd->n;
		    j++) {
			if (nd->items[j]->type != YNODE_SCALAR)
				continue;
			if ((s[i].needs[s[i].nneeds++] = wb_strdup(
			    nd->items[j]->value)) == NULL)
				goto nomem;
		}
defaults:
		if (s[i].needs == NULL && (s[i].needs = wb_calloc(1,
		    sizeof *s[i].needs)) == NULL)
			goto nomem;
		if (s[i].name == NULL && (s[i].name = wb_strdup("?")) == NULL)
			goto nomem;
		if (s[i].state == NULL && (s[i].state = wb_strdup("pending"))
		    == NULL)
			goto nomem;
		if (s[i].kind == NULL && (s[i].kind = wb_strdup("run")) ==
		    NULL)
			goto nomem;
	}
	ydoc_free(doc);
	*out = s;
	return WB_OK;
nomem:
	ydoc_free(doc);
	pipeline_steps_free(s, *nout);
	*nout = 0;
	return oom(err);
}

static const char *
kv_find(const struct kv *kv, size_t n, const char *key)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].value;
	return NULL;
}

/*
 * The state a pipeline run reads: the driver's word while its run is
 * running or when it said how it ended; lost when its job was lost; else
 * (the driver died before it could say) cancelled when a cancel had been
 * asked for, failed otherwise: a driver killed by anything but `pipeline
 * cancel` (kill -9, the OOM killer) did not finish its pipeline.
 */
static const char *
run_state(const char *tag, const char *status)
{
	if (status != NULL && strcmp(status, "lost") == 0 && (tag == NULL ||
	    strcmp(tag, "running") == 0 || strcmp(tag, "cancelling") == 0))
		return "lost";
	if (tag == NULL)
		return status != NULL && strcmp(status, "running") == 0 ?
		    "running" : "failed";
	if ((strcmp(tag, "running") == 0 || strcmp(tag, "cancelling") == 0) &&
	    status != NULL && strcmp(status, "running") != 0 &&
	    strcmp(status, "queued") != 0)
		return strcmp(tag, "cancelling") == 0 ? "cancelled" :
		    "failed";
	if (strcmp(tag, "cancelling") == 0)
		return "running";
	return tag;
}

/*
 * Did the driver end without saying how (its state tag still running)?
 * Then its steps' states are as it last wrote them.
 */
static int
driver_gone(const struct kv *tags, size_t ntags, const char *state)
{
	const char	*tag = kv_find(tags, ntags, PIPELINE_STATE_TAG);

	return state != NULL && strcmp(state, "running") != 0 &&
	    (tag == NULL || strcmp(tag, "running") == 0 ||
	    strcmp(tag, "cancelling") == 0);
}

/* Fill r (not its steps) from run id. */
static int
load_run(struct db *db, int64_t id, struct pipeline_run *r, struct kv **tags,
    size_t *ntags, struct wb_err *err)
{
	struct run	 run;
	const char	*v;
	int		 rc;

	memset(r, 0, sizeof *r);
	*tags = NULL;
	*ntags = 0;
	if ((rc = db_run_get(db, id, &run, err)) != WB_OK)
		return rc;
	if ((rc = db_tags_get(db, id, tags, ntags, err)) != WB_OK) {
		run_clear(&run);
		return rc;
	}
	if ((v = kv_find(*tags, *ntags, PIPELINE_TAG)) == NULL) {
		run_clear(&run);
		kv_free(*tags, *ntags);
		*tags = NULL;
		return wb_err_set(err, WB_ENOTFOUND, "run %s is not a pipeline "
		    "run", run.uuid);
	}
	r->run_id = id;
	snprintf(r->uuid, sizeof r->uuid, "%s", run.uuid);
	r->started_at = run.started_at;
	r->ended_at = run.ended_at;
	r->name = run.name;
	run.name = NULL;
	r->pipeline = wb_strdup(v);
	r->state = wb_strdup(run_state(kv_find(*tags, *ntags,
	    PIPELINE_STATE_TAG), run.status));
	v = kv_find(*tags, *ntags, PIPELINE_REASON_TAG);
	if (v == NULL && strcmp(r->state ? r->state : "", "lost") == 0)
		v = "the pipeline's driver is gone (its job was lost)";
	else if (v == NULL && driver_gone(*tags, *ntags, r->state))
		v = strcmp(run.status, "killed") == 0 ? "the pipeline's driver"
		    " was killed before it finished" : "the pipeline's driver"
		    " ended before it finished";
	r->reason = v != NULL ? wb_strdup(v) : NULL;
	run_clear(&run);
	if (r->pipeline == NULL || r->state == NULL || (v != NULL &&
	    r->reason == NULL)) {
		pipeline_run_clear(r);
		kv_free(*tags, *ntags);
		*tags = NULL;
		return oom(err);
	}
	return WB_OK;
}

int
pipeline_list(struct db *db, const char *name, struct pipeline_run **rows,
    size_t *n, struct wb_err *err)
{
	struct kv		*ids = NULL, *tags;
	struct pipeline_run	*v = NULL;
	size_t			 nids = 0, i, k = 0, ntags;
	int64_t			 id;
	int			 rc;

	*rows = NULL;
	*n = 0;
	if ((rc = db_pipeline_runs(db, &ids, &nids, err)) != WB_OK)
		return rc;
	if ((v = wb_calloc(nids + 1, sizeof *v)) == NULL) {
		kv_free(ids, nids);
		return oom(err);
	}
	for (i = 0; i < nids; i++) {
		if (name != NULL && (ids[i].value == NULL ||
		    strcmp(ids[i].value, name) != 0))
			continue;
		if ((rc = db_run_find_uuid(db, ids[i].key, &id, err)) !=
		    WB_OK || (rc = load_run(db, id, &v[k], &tags, &ntags,
		    err)) != WB_OK)
			break;
		kv_free(tags, ntags);
		k++;
	}
	kv_free(ids, nids);
	if (rc != WB_OK) {
		pipeline_runs_free(v, k);
		return rc;
	}
	*rows = v;
	*n = k;
	return WB_OK;
}

/*
 * What a step reads given its run's status.  When the driver is gone
 * (gone), a step it last saw running reads as its run ended (done,
 * failed, cancelled), and a step it had not started as skipped.
 */
static int
step_live(struct db *db, struct pipeline_step *s, const char *pstate,
    int gone, struct wb_err *err)
{
	struct run	 run;
	int64_t		 id;
	double		 v;
	int		 has, rc;
	const char	*now = NULL;

	if (gone && strcmp(s->state, "pending") == 0) {
		wb_free(s->state);
		wb_free(s->reason);
		s->state = wb_strdup("skipped");
		s->reason = wb_strdup("not started: the pipeline's driver is"
		    " gone");
		if (s->state == NULL || s->reason == NULL)
			return oom(err);
	}
	if (s->run_uuid[0] == '\0')
		return WB_OK;
	if ((rc = db_run_find_uuid(db, s->run_uuid, &id, err)) ==
	    WB_ENOTFOUND)
		return WB_OK;	/* purged: keep what was recorded */
	if (rc != WB_OK)
		return rc;
	s->run_id = id;
	if (strcmp(s->state, "running") == 0) {
		if ((rc = db_run_get(db, id, &run, err)) != WB_OK)
			return rc;
		if (strcmp(run.status, "lost") == 0 ||
		    strcmp(pstate, "lost") == 0)
			now = "lost";
		else if (gone && strcmp(run.status, "finished") == 0)
			now = "done";
		else if (gone && strcmp(run.status, "failed") == 0)
			now = "failed";
		else if (gone && strcmp(run.status, "killed") == 0)
			now = "cancelled";
		if (now == NULL && (s->started_at == 0 || run.ended_at != 0))
			s->started_at = run.started_at;
		if (gone && run.ended_at != 0)
			s->ended_at = run.ended_at;
		run_clear(&run);
		if (now != NULL) {
			wb_free(s->state);
			if ((s->state = wb_strdup(now)) == NULL)
				return oom(err);
		}
	}
	if (s->metric != NULL) {
		if ((rc = reg_metric_last(db, id, s->metric, &v, &has, err)) !=
		    WB_OK)
			return rc;
		s->has_value = has;
		s->value = v;
	}
	return WB_OK;
}

int
pipeline_get(struct db *db, int64_t run_id, struct pipeline_run *out,
    struct wb_err *err)
{
	struct kv	*tags;
	const char	*json;
	size_t		 ntags, i;
	int		 gone, rc;

	if ((rc = load_run(db, run_id, out, &tags, &ntags, err)) != WB_OK)
		return rc;
	json = kv_find(tags, ntags, PIPELINE_STEPS_TAG);
	rc = json != NULL ? pipeline_steps_parse(json, &out->steps,
	    &out->nsteps, err) : WB_OK;
	gone = driver_gone(tags, ntags, out->state);
	kv_free(tags, ntags);
	for (i = 0; rc == WB_OK && i < out->nsteps; i++)
		rc = step_live(db, &out->steps[i], out->state, gone, err);
	if (rc != WB_OK)
		pipeline_run_clear(out);
	return rc;
}

int
pipeline_cancel(struct db *db, int64_t run_id, struct wb_err *err)
{
	struct pipeline_run	r;
	struct kv		*tags;
	size_t			 ntags;
	int			 rc;

	if ((rc = load_run(db, run_id, &r, &tags, &ntags, err)) != WB_OK)
		return rc;
	kv_free(tags, ntags);
	if (strcmp(r.state, "running") != 0) {
		rc = wb_err_set(err, WB_EINVAL, "pipeline run %s already "
		    "ended (%s)", r.uuid, r.state);
		pipeline_run_clear(&r);
		return rc;
	}
	pipeline_run_clear(&r);
	/*
	 * The driver's job gets SIGTERM: it kills the running steps and
	 * marks the rest cancelled.  The tag says it was asked, so that a
	 * driver that dies before it can is still read as cancelled.
	 */
	if ((rc = db_life_tag(db, run_id, PIPELINE_STATE_TAG, "cancelling",
	    NULL, err)) != WB_OK)
		return rc;
	return launch_kill(db, run_id, LAUNCH_KILL_GRACE, err);
}
