/*
 * pipeline_def: reading and checking the `pipelines:` section of
 * mlwb.yaml (pipeline.h).  project.c hands over the section's node once
 * the entry points are loaded, so that a step can be checked against the
 * entry it runs: unknown entries and steps, missing and unknown params,
 * cycles in `needs:`, references to steps a step does not wait for, and
 * `when:` conditions that do not parse all fail the load, FILE:LINE:COL.
 * The steps are kept in an order where every step comes after the steps
 * it needs, so the driver and `pipeline show` can walk them in order.
 */
#include "config.h"

#include "pipeline_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "project.h"
#include "strbuf.h"
#include "yamldoc.h"

const char *
pstep_kind_name(enum pstep_kind k)
{
	switch (k) {
	case PSTEP_CHECK:	return "check";
	case PSTEP_REGISTER:	return "register";
	case PSTEP_PROMOTE:	return "promote";
	default:		return "run";
	}
}

static int
ident_ok(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("_-", *s) == NULL)
			return 0;
	return 1;
}

static void
strv_free(char **v)
{
	size_t	i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		wb_free(v[i]);
	wb_free(v);
}

static void
step_clear(struct pstep_def *s)
{
	wb_free(s->name);
	strv_free(s->needs);
	wb_free(s->when);
	wb_free(s->entry);
	strv_free(s->params);
	strv_free(s->inputs);
	wb_free(s->data);
	wb_free(s->reference);
	wb_free(s->model);
	wb_free(s->from);
	wb_free(s->artifact);
	wb_free(s->alias);
	wb_free(s->version);
	wb_free(s->verify);
	wb_free(s->metric);
}

void
pipeline_defs_free(struct pipeline_def *d, size_t n)
{
	size_t	i, j;

	for (i = 0; d != NULL && i < n; i++) {
		for (j = 0; j < d[i].nsteps; j++)
			step_clear(&d[i].steps[j]);
		wb_free(d[i].steps);
		wb_free(d[i].name);
		strv_free(d[i].params);
	}
	wb_free(d);
}

/* A scalar's text copied into *out; "" for null. */
static int
scalar(struct yload *l, const struct ynode *n, const char *what, char **out)
{
	if (n == NULL || n->type != YNODE_SCALAR)
		return yload_bad(l, n, "%s must be a string", what);
	if ((*out = wb_strdup(ynode_is_null(n) ? "" : n->value)) == NULL)
		return yload_oom(l);
	return WB_OK;
}

/* A list of strings (or one string) into a NULL-terminated vector. */
static int
strlist(struct yload *l, const struct ynode *n, const char *what, char ***out,
    size_t *nout)
{
	size_t	i, cnt;
	int	rc;

	cnt = n->type == YNODE_SEQ ? n->n : 1;
	if (n->type == YNODE_MAP)
		return yload_bad(l, n, "%s must be a list of strings", what);
	if ((*out = wb_calloc(cnt + 1, sizeof **out)) == NULL)
		return yload_oom(l);
	for (i = 0; i < cnt; i++)
		if ((rc = scalar(l, n->type == YNODE_SEQ ? n->items[i] : n,
		    what, &(*out)[i])) != WB_OK)
			return rc;
	if (nout != NULL)
		*nout = cnt;
	return WB_OK;
}

/* A mapping NAME: VALUE into "NAME=VALUE" strings. */
static int
kvmap(struct yload *l, const struct ynode *n, const char *what, char ***out,
    size_t *nout)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	if (n->type != YNODE_MAP)
		return yload_bad(l, n, "%s must be a mapping NAME: VALUE", what);
	if ((*out = wb_calloc(n->n + 1, sizeof **out)) == NULL)
		return yload_oom(l);
	for (i = 0; i < n->n; i++) {
		const struct ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];

		if (k->type != YNODE_SCALAR || !ident_ok(k->value))
			return yload_bad(l, k, "%s: a name must be letters, digits, "
			    "_ and -", what);
		if (v->type != YNODE_SCALAR)
			return yload_bad(l, v, "%s: %s must be a string or number",
			    what, k->value);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s=%s", k->value,
		    ynode_is_null(v) ? "" : v->value);
		if (sb.oom || ((*out)[i] = strbuf_detach(&sb)) == NULL) {
			strbuf_free(&sb);
			return yload_oom(l);
		}
	}
	*nout = n->n;
	return WB_OK;
}

/* Key k of map m must be one of known. */
static int
keys_known(struct yload *l, const struct ynode *m, const char *what,
    const char *const *known)
{
	size_t	i, j;

	if (m->type != YNODE_MAP)
		return yload_bad(l, m, "%s must be a mapping", what);
	for (i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i];

		if (k->type != YNODE_SCALAR)
			return yload_bad(l, k, "%s: keys must be strings", what);
		for (j = 0; known[j] != NULL; j++)
			if (strcmp(k->value, known[j]) == 0)
				break;
		if (known[j] == NULL)
			return yload_bad(l, k, "unknown key '%s' in %s", k->value,
			    what);
		for (j = 0; j < i; j++)
			if (strcmp(m->items[2 * j]->value, k->value) == 0)
				return yload_bad(l, k, "'%s' given twice in %s",
				    k->value, what);
	}
	return WB_OK;
}

/* Optional string field key of m into *out. */
static int
opt_str(struct yload *l, const struct ynode *m, const char *key,
    const char *what, char **out)
{
	const struct ynode	*n = ynode_get(m, key);
	char			 w[128];

	if (n == NULL)
		return WB_OK;
	snprintf(w, sizeof w, "%.96s: %.24s", what, key);
	return scalar(l, n, w, out);
}

static int
load_builtin(struct yload *l, const struct ynode *b, struct pstep_def *s)
{
	static const char *const ck[] = { "data", "reference", "model",
	    NULL };
	static const char *const rk[] = { "model", "from", "artifact", NULL };
	static const char *const pk[] = { "model", "alias", "version",
	    "verify", NULL };
	const char *const	*known = s->kind == PSTEP_CHECK ? ck :
	    s->kind == PSTEP_REGISTER ? rk : pk;
	char			 what[96];
	int			 rc;

	snprintf(what, sizeof what, "step %.70s: %s", s->name,
	    pstep_kind_name(s->kind));
	if ((rc = keys_known(l, b, what, known)) != WB_OK)
		return rc;
	if (s->kind == PSTEP_CHECK) {
		if ((rc = opt_str(l, b, "data", what, &s->data)) != WB_OK ||
		    (rc = opt_str(l, b, "reference", what, &s->reference)) !=
		    WB_OK)
			return rc;
		if (s->data == NULL || *s->data == '\0')
			return yload_bad(l, b, "%s needs data: (the data set to "
			    "check)", what);
		if ((rc = opt_str(l, b, "model", what, &s->model)) != WB_OK)
			return rc;
		/*
		 * The reference is a file, or (model:) the data set the
		 * model version was trained on, from lineage.
		 */
		if ((s->reference == NULL || *s->reference == '\0') ==
		    (s->model == NULL || *s->model == '\0'))
			return yload_bad(l, b, "%s needs reference: (the data set "
			    "to compare with) or model: (a version whose "
			    "training data is the reference), one of them",
			    what);
		return WB_OK;
	}
	if ((rc = opt_str(l, b, "model", what, &s->model)) != WB_OK)
		return rc;
	if (s->model == NULL || *s->model == '\0')
		return yload_bad(l, b, "%s needs model:", what);
	if (s->kind == PSTEP_REGISTER) {
		if ((rc = opt_str(l, b, "from", what, &s->from)) != WB_OK ||
		    (rc = opt_str(l, b, "artifact", what, &s->artifact)) !=
		    WB_OK)
			return rc;
		if (s->from == NULL || *s->from == '\0')
			return yload_bad(l, b, "%s needs from: (the run whose model "
			    "to register, e.g. \"{steps.train.run}\")", what);
		return WB_OK;
	}
	if ((rc = opt_str(l, b, "alias", what, &s->alias)) != WB_OK ||
	    (rc = opt_str(l, b, "version", what, &s->version)) != WB_OK)
		return rc;
	/* verify: belongs to the verify area; kept as text when a string. */
	if (ynode_get(b, "verify") != NULL) {
		const struct ynode *v = ynode_get(b, "verify");

		if ((s->verify = wb_strdup(v->type == YNODE_SCALAR &&
		    !ynode_is_null(v) ? v->value : "yes")) == NULL)
			return yload_oom(l);
	}
	if (s->alias == NULL || *s->alias == '\0')
		return yload_bad(l, b, "%s needs alias:", what);
	return WB_OK;
}

static int
load_step(struct yload *l, const struct ynode *k, const struct ynode *v,
    struct pstep_def *s)
{
	static const char *const known[] = { "run", "check", "register",
	    "promote", "needs", "when", "params", "inputs", "metric",
	    "verify", NULL };
	static const char *const kinds[] = { "run", "check", "register",
	    "promote", NULL };
	const struct ynode	*n, *kind = NULL;
	char			 what[96];
	size_t			 i;
	int			 rc;

	if (k->type != YNODE_SCALAR || !ident_ok(k->value))
		return yload_bad(l, k, "a step name must be letters, digits, _ "
		    "and -");
	if ((s->name = wb_strdup(k->value)) == NULL)
		return yload_oom(l);
	s->line = k->line;
	s->col = k->col;
	snprintf(what, sizeof what, "step %.80s", s->name);
	if ((rc = keys_known(l, v, what, known)) != WB_OK)
		return rc;
	for (i = 0; kinds[i] != NULL; i++) {
		if ((n = ynode_get(v, kinds[i])) == NULL)
			continue;
		if (kind != NULL)
			return yload_bad(l, n, "step %s: both %s: and %s: (a step "
			    "is one of run, check, register, promote)",
			    s->name, kinds[i], pstep_kind_name(s->kind));
		kind = n;
		s->kind = (enum pstep_kind)i;
	}
	if (kind == NULL)
		return yload_bad(l, k, "step %s needs one of run: ENTRY, check:, "
		    "register:, promote:", s->name);
	if (s->kind == PSTEP_RUN) {
		if ((rc = scalar(l, kind, "run", &s->entry)) != WB_OK)
			return rc;
	} else if ((rc = load_builtin(l, kind, s)) != WB_OK)
		return rc;
	if (s->kind != PSTEP_PROMOTE && ynode_get(v, "verify") != NULL)
		return yload_bad(l, ynode_get(v, "verify"), "step %s: verify: "
		    "belongs to a promote step", s->name);
	if (ynode_get(v, "verify") != NULL && s->verify == NULL) {
		n = ynode_get(v, "verify");
		if ((s->verify = wb_strdup(n->type == YNODE_SCALAR &&
		    !ynode_is_null(n) ? n->value : "yes")) == NULL)
			return yload_oom(l);
	}
	if ((n = ynode_get(v, "needs")) != NULL && !ynode_is_null(n) &&
	    (rc = strlist(l, n, "needs", &s->needs, &s->nneeds)) != WB_OK)
		return rc;
	if ((n = ynode_get(v, "params")) != NULL && !ynode_is_null(n)) {
		if (s->kind != PSTEP_RUN)
			return yload_bad(l, n, "step %s: params: belongs to a run: "
			    "step", s->name);
		if ((rc = kvmap(l, n, "params", &s->params, &s->nparams)) !=
		    WB_OK)
			return rc;
	}
	if ((n = ynode_get(v, "inputs")) != NULL && !ynode_is_null(n) &&
	    (rc = strlist(l, n, "inputs", &s->inputs, NULL)) != WB_OK)
		return rc;
	if ((rc = opt_str(l, v, "when", what, &s->when)) != WB_OK ||
	    (rc = opt_str(l, v, "metric", what, &s->metric)) != WB_OK)
		return rc;
	if (s->needs == NULL && (s->needs = wb_calloc(1, sizeof *s->needs)) ==
	    NULL)
		return yload_oom(l);
	return WB_OK;
}

static struct pstep_def *
step_find(struct pstep_def *steps, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (steps[i].name != NULL && strcmp(steps[i].name, name) == 0)
			return &steps[i];
	return NULL;
}

/* Does step s wait for step t, directly or through others? */
int
pipeline_step_after(const struct pipeline_def *d, const struct pstep_def *s,
    const char *t)
{
	const struct pstep_def	*u;
	size_t			 i;

	for (i = 0; i < s->nneeds; i++) {
		if (strcmp(s->needs[i], t) == 0)
			return 1;
		u = step_find(d->steps, d->nsteps, s->needs[i]);
		if (u != NULL && u != s && pipeline_step_after(d, u, t))
			return 1;
	}
	return 0;
}

/*
 * Order d's steps so that needs come first (Kahn's algorithm, keeping
 * file order among the ready ones); a cycle is an error at the first
 * step left over, naming the loop.
 */
static int
order(struct yload *l, struct pipeline_def *d)
{
	struct pstep_def	*out;
	char			*done;
	size_t			 i, j, k = 0;
	int			 progress = 1, ready;

	if ((out = wb_calloc(d->nsteps, sizeof *out)) == NULL ||
	    (done = wb_calloc(d->nsteps, 1)) == NULL) {
		wb_free(out);
		return yload_oom(l);
	}
	while (k < d->nsteps && progress) {
		progress = 0;
		for (i = 0; i < d->nsteps; i++) {
			if (done[i])
				continue;
			ready = 1;
			for (j = 0; j < d->steps[i].nneeds && ready; j++) {
				struct pstep_def *t = step_find(d->steps,
				    d->nsteps, d->steps[i].needs[j]);

				ready = done[t - d->steps];
			}
			if (ready) {
				out[k++] = d->steps[i];
				done[i] = 1;
				progress = 1;
			}
		}
	}
	if (k < d->nsteps) {
		struct strbuf		 sb = STRBUF_INIT;
		const struct pstep_def	*s = NULL, *t;
		int			 rc;

		for (i = 0; i < d->nsteps && s == NULL; i++)
			if (!done[i])
				s = &d->steps[i];
		/* Follow unfinished needs until a step repeats. */
		t = s;
		strbuf_adds(&sb, t->name);
		for (i = 0; i <= d->nsteps; i++) {
			for (j = 0; j < t->nneeds; j++) {
				const struct pstep_def *u = step_find(d->steps,
				    d->nsteps, t->needs[j]);

				if (!done[u - d->steps]) {
					t = u;
					break;
				}
			}
			strbuf_addf(&sb, " -> %s", t->name);
			if (t == s)
				break;
		}
		rc = sb.oom ? yload_oom(l) : wb_err_set(l->err, WB_EPARSE,
		    "%s:%u:%u: pipeline %s: steps wait for each other in a "
		    "cycle: %s", l->file, s->line, s->col, d->name,
		    strbuf_str(&sb));
		strbuf_free(&sb);
		wb_free(out);
		wb_free(done);
		return rc;
	}
	wb_free(d->steps);
	d->steps = out;
	wb_free(done);
	return WB_OK;
}

/*
 * Check the references in template t of step s: {params.NAME} of the
 * pipeline, {steps.S.run|version|outputs.NAME|metrics.NAME} of a step s
 * waits for.  n is where to report.
 */
static int
check_refs(struct yload *l, const struct pipeline_def *d,
    const struct pstep_def *s, const char *t, const struct ynode *n,
    const struct project *p)
{
	const char	*o, *c;
	char		 ref[160];
	struct pipeline_ref r;

	for (o = strchr(t, '{'); o != NULL; o = strchr(c, '{')) {
		if ((c = strchr(o, '}')) == NULL)
			return yload_bad(l, n, "step %s: '{' without '}' in \"%s\"",
			    s->name, t);
		snprintf(ref, sizeof ref, "%.*s", (int)(c - o - 1), o + 1);
		if (pipeline_ref_parse(ref, &r) != 0)
			return yload_bad(l, n, "step %s: bad reference {%s} (known: "
			    "{params.NAME}, {steps.STEP.run}, "
			    "{steps.STEP.outputs.NAME}, "
			    "{steps.STEP.metrics.NAME}, {steps.STEP.version})",
			    s->name, ref);
		if (r.what == PREF_PARAM) {
			size_t	i, len = strlen(r.name);

			for (i = 0; i < d->nparams; i++)
				if (strncmp(d->params[i], r.name, len) == 0 &&
				    d->params[i][len] == '=')
					break;
			if (i == d->nparams)
				return yload_bad(l, n, "step %s: {%s}: pipeline %s "
				    "has no param %s", s->name, ref, d->name,
				    r.name);
			continue;
		}
		{
			const struct pstep_def *u = NULL;
			size_t			i;

			for (i = 0; i < d->nsteps; i++)
				if (strcmp(d->steps[i].name, r.step) == 0)
					u = &d->steps[i];
			if (u == NULL)
				return yload_bad(l, n, "step %s: {%s}: no step %s "
				    "in pipeline %s", s->name, ref, r.step,
				    d->name);
			if (!pipeline_step_after(d, s, r.step))
				return yload_bad(l, n, "step %s: {%s}: step %s is "
				    "not among the steps it needs", s->name,
				    ref, r.step);
			if (r.what == PREF_VERSION &&
			    u->kind != PSTEP_REGISTER)
				return yload_bad(l, n, "step %s: {%s}: step %s is "
				    "not a register step", s->name, ref,
				    r.step);
			if (r.what == PREF_OUTPUT) {
				const struct project_entry *e =
				    u->kind == PSTEP_RUN ? project_entry(p,
				    u->entry) : NULL;

				if (e == NULL || pipeline_output_match(e,
				    r.name) == NULL)
					return yload_bad(l, n, "step %s: {%s}: step "
					    "%s has no output %s (entry "
					    "outputs:)", s->name, ref, r.step,
					    r.name);
			}
		}
	}
	return WB_OK;
}

/* The node of field key in step s's mapping (for positions). */
static const struct ynode *
field(const struct ynode *sv, const char *a, const char *b)
{
	const struct ynode	*n = ynode_get(sv, a);

	if (n != NULL && b != NULL && n->type == YNODE_MAP &&
	    ynode_get(n, b) != NULL)
		return ynode_get(n, b);
	return n != NULL ? n : sv;
}

/* Every check of a step that needs the whole pipeline and the entries. */
static int
check_step(struct yload *l, const struct pipeline_def *d,
    const struct pstep_def *s, const struct ynode *sv,
    const struct project *p)
{
	const struct project_entry	*e = NULL;
	const struct ynode		*pn;
	struct pipeline_when		 w;
	size_t				 i, j;
	int				 rc;

	for (i = 0; i < s->nneeds; i++) {
		const struct ynode *nn = ynode_get(sv, "needs");

		if (nn != NULL && nn->type == YNODE_SEQ && i < nn->n)
			nn = nn->items[i];
		if (step_find(d->steps, d->nsteps, s->needs[i]) == NULL)
			return yload_bad(l, nn, "step %s needs %s: no such step in "
			    "pipeline %s", s->name, s->needs[i], d->name);
		if (strcmp(s->needs[i], s->name) == 0)
			return yload_bad(l, nn, "step %s needs itself", s->name);
	}
	if (s->kind == PSTEP_RUN) {
		if ((e = project_entry(p, s->entry)) == NULL)
			return yload_bad(l, field(sv, "run", NULL), "step %s: no "
			    "entry point %s", s->name, s->entry);
		pn = ynode_get(sv, "params");
		for (i = 0; i < s->nparams; i++) {
			size_t len = strcspn(s->params[i], "=");

			for (j = 0; j < e->nparams; j++)
				if (strlen(e->params[j].name) == len &&
				    strncmp(e->params[j].name, s->params[i],
				    len) == 0)
					break;
			if (j == e->nparams)
				return yload_bad(l, pn->items[2 * i], "step %s: "
				    "entry %s has no param %.*s", s->name,
				    e->name, (int)len, s->params[i]);
			if ((rc = check_refs(l, d, s, s->params[i] + len + 1,
			    pn->items[2 * i + 1], p)) != WB_OK)
				return rc;
		}
		for (j = 0; j < e->nparams; j++) {
			size_t len = strlen(e->params[j].name);

			if (e->params[j].def != NULL)
				continue;
			for (i = 0; i < s->nparams; i++)
				if (strncmp(s->params[i], e->params[j].name,
				    len) == 0 && s->params[i][len] == '=')
					break;
			if (i == s->nparams)
				return yload_bad(l, field(sv, "run", NULL), "step "
				    "%s: entry %s needs param %s (it has no "
				    "default)", s->name, e->name,
				    e->params[j].name);
		}
	}
#define REFS(str, a, b) do {						\
	if ((str) != NULL && (rc = check_refs(l, d, s, (str),		\
	    field(sv, (a), (b)), p)) != WB_OK)				\
		return rc;						\
} while (0)
	REFS(s->data, "check", "data");
	REFS(s->reference, "check", "reference");
	REFS(s->from, "register", "from");
	REFS(s->artifact, "register", "artifact");
	REFS(s->version, "promote", "version");
	REFS(s->model, s->kind == PSTEP_REGISTER ? "register" :
	    s->kind == PSTEP_CHECK ? "check" : "promote", "model");
#undef REFS
	for (i = 0; s->inputs != NULL && s->inputs[i] != NULL; i++)
		if ((rc = check_refs(l, d, s, s->inputs[i],
		    field(sv, "inputs", NULL), p)) != WB_OK)
			return rc;
	if (s->when != NULL) {
		char	msg[160];

		if (pipeline_when_parse(s->when, &w, msg, sizeof msg) != 0)
			return yload_bad(l, field(sv, "when", NULL), "step %s: "
			    "when: %s", s->name, msg);
		if (step_find(d->steps, d->nsteps, w.step) == NULL ||
		    !pipeline_step_after(d, s, w.step))
			return yload_bad(l, field(sv, "when", NULL), "step %s: "
			    "when: step %s is not among the steps it needs",
			    s->name, w.step);
	}
	return WB_OK;
}

static int
load_pipeline(struct yload *l, const struct ynode *k, const struct ynode *v,
    const struct project *p, struct pipeline_def *d)
{
	static const char *const known[] = { "steps", "params",
	    "description", NULL };
	const struct ynode	*st, *pn;
	char			 what[96];
	size_t			 i;
	int			 rc;

	if (k->type != YNODE_SCALAR || !ident_ok(k->value))
		return yload_bad(l, k, "a pipeline name must be letters, digits, _ "
		    "and -");
	if ((d->name = wb_strdup(k->value)) == NULL)
		return yload_oom(l);
	d->line = k->line;
	d->col = k->col;
	snprintf(what, sizeof what, "pipeline %.80s", d->name);
	if ((rc = keys_known(l, v, what, known)) != WB_OK)
		return rc;
	if ((pn = ynode_get(v, "params")) != NULL && !ynode_is_null(pn) &&
	    (rc = kvmap(l, pn, "params", &d->params, &d->nparams)) != WB_OK)
		return rc;
	if (d->params == NULL && (d->params = wb_calloc(1,
	    sizeof *d->params)) == NULL)
		return yload_oom(l);
	st = ynode_get(v, "steps");
	if (st == NULL || st->type != YNODE_MAP || st->n == 0)
		return yload_bad(l, st != NULL ? st : k, "pipeline %s needs steps: "
		    "a mapping STEP: {run: ENTRY | check: | register: | "
		    "promote:, needs: [...]}", d->name);
	if ((d->steps = wb_calloc(st->n, sizeof *d->steps)) == NULL)
		return yload_oom(l);
	for (i = 0; i < st->n; i++) {
		d->nsteps = i + 1;
		if (step_find(d->steps, i, st->items[2 * i]->value) != NULL)
			return yload_bad(l, st->items[2 * i], "step %s given twice",
			    st->items[2 * i]->value);
		if ((rc = load_step(l, st->items[2 * i], st->items[2 * i + 1],
		    &d->steps[i])) != WB_OK)
			return rc;
	}
	/*
	 * needs must name steps before the order can be found, and the
	 * order (no cycle) before references can be followed.
	 */
	for (i = 0; i < d->nsteps; i++) {
		size_t j;

		for (j = 0; j < d->steps[i].nneeds; j++)
			if (step_find(d->steps, d->nsteps,
			    d->steps[i].needs[j]) == NULL)
				return check_step(l, d, &d->steps[i],
				    st->items[2 * i + 1], p);
	}
	if ((rc = order(l, d)) != WB_OK)
		return rc;
	for (i = 0; i < d->nsteps; i++)
		if ((rc = check_step(l, d, &d->steps[i], ynode_get(st,
		    d->steps[i].name), p)) != WB_OK)
			return rc;
	return WB_OK;
}

int
pipeline_defs_load(const char *file, const struct ynode *n,
    const struct project *p, struct pipeline_def **out, size_t *nout,
    struct wb_err *err)
{
	struct yload	 l = { file, err };
	size_t		 i;
	int		 rc;

	*out = NULL;
	*nout = 0;
	if (n == NULL || ynode_is_null(n))
		return WB_OK;
	if (n->type != YNODE_MAP)
		return yload_bad(&l, n, "pipelines must be a mapping NAME: {steps: "
		    "...}");
	if ((*out = wb_calloc(n->n, sizeof **out)) == NULL)
		return yload_oom(&l);
	for (i = 0; i < n->n; i++) {
		*nout = i + 1;
		if (i > 0 && n->items[2 * i]->type == YNODE_SCALAR &&
		    project_pipeline_find(*out, i, n->items[2 * i]->value) !=
		    NULL)
			return yload_bad(&l, n->items[2 * i], "pipeline %s given "
			    "twice", n->items[2 * i]->value);
		if ((rc = load_pipeline(&l, n->items[2 * i],
		    n->items[2 * i + 1], p, &(*out)[i])) != WB_OK)
			return rc;
	}
	return WB_OK;
}

const struct pipeline_def *
project_pipeline_find(const struct pipeline_def *d, size_t n,
    const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (d[i].name != NULL && strcmp(d[i].name, name) == 0)
			return &d[i];
	return NULL;
}

const struct pipeline_def *
project_pipeline(const struct project *p, const char *name)
{
	const struct pipeline_def	*d;
	size_t				 n;

	d = project_pipelines(p, &n);
	return name != NULL ? project_pipeline_find(d, n, name) : NULL;
}

/* ---- References and conditions ---- */

int
pipeline_ref_parse(const char *s, struct pipeline_ref *r)
{
	const char	*dot;
	size_t		 len;

	memset(r, 0, sizeof *r);
	if (strncmp(s, "params.", 7) == 0) {
		if (!ident_ok(s + 7) || strlen(s + 7) >= sizeof r->name)
			return -1;
		r->what = PREF_PARAM;
		snprintf(r->name, sizeof r->name, "%s", s + 7);
		return 0;
	}
	if (strncmp(s, "steps.", 6) != 0 || (dot = strchr(s + 6, '.')) ==
	    NULL)
		return -1;
	len = (size_t)(dot - (s + 6));
	if (len == 0 || len >= sizeof r->step)
		return -1;
	memcpy(r->step, s + 6, len);
	r->step[len] = '\0';
	if (!ident_ok(r->step))
		return -1;
	dot++;
	if (strcmp(dot, "run") == 0)
		r->what = PREF_RUN;
	else if (strcmp(dot, "version") == 0)
		r->what = PREF_VERSION;
	else if (strncmp(dot, "outputs.", 8) == 0 && dot[8] != '\0' &&
	    strlen(dot + 8) < sizeof r->name) {
		r->what = PREF_OUTPUT;
		snprintf(r->name, sizeof r->name, "%s", dot + 8);
	} else if (strncmp(dot, "metrics.", 8) == 0 && dot[8] != '\0' &&
	    strlen(dot + 8) < sizeof r->name) {
		r->what = PREF_METRIC;
		snprintf(r->name, sizeof r->name, "%s", dot + 8);
	} else
		return -1;
	return 0;
}

/* The output of entry e that name refers to: its path, or base name
 * with or without the extension. */
const char *
pipeline_output_match(const struct project_entry *e, const char *name)
{
	size_t		 i, len = strlen(name);
	const char	*base;

	for (i = 0; e->outputs != NULL && e->outputs[i] != NULL; i++) {
		base = strrchr(e->outputs[i], '/');
		base = base != NULL ? base + 1 : e->outputs[i];
		if (strcmp(e->outputs[i], name) == 0 ||
		    strcmp(base, name) == 0 || (strncmp(base, name, len) ==
		    0 && base[len] == '.'))
			return e->outputs[i];
	}
	return NULL;
}

int
pipeline_when_parse(const char *s, struct pipeline_when *w, char *msg,
    size_t msglen)
{
	static const char *const ops[] = { ">=", "<=", "==", "!=", ">", "<",
	    NULL };
	char		 ref[160], *end;
	const char	*p = s, *q;
	struct pipeline_ref r;
	size_t		 i, len;

	memset(w, 0, sizeof *w);
	while (isspace((unsigned char)*p))
		p++;
	for (q = p; *q != '\0' && !isspace((unsigned char)*q) &&
	    strchr("<>=!", *q) == NULL; q++)
		continue;
	len = (size_t)(q - p);
	if (len == 0 || len >= sizeof ref) {
		snprintf(msg, msglen, "expected steps.STEP.metrics.NAME OP "
		    "NUMBER, e.g. steps.evaluate.metrics.acc >= 0.9");
		return -1;
	}
	memcpy(ref, p, len);
	ref[len] = '\0';
	if (pipeline_ref_parse(ref, &r) != 0 || r.what != PREF_METRIC) {
		snprintf(msg, msglen, "'%s' is not steps.STEP.metrics.NAME",
		    ref);
		return -1;
	}
	while (isspace((unsigned char)*q))
		q++;
	for (i = 0; ops[i] != NULL; i++)
		if (strncmp(q, ops[i], strlen(ops[i])) == 0)
			break;
	if (ops[i] == NULL) {
		snprintf(msg, msglen, "expected one of >= <= == != > < after "
		    "%s", ref);
		return -1;
	}
	q += strlen(ops[i]);
	w->value = strtod(q, &end);
	if (end == q) {
		snprintf(msg, msglen, "expected a number after %s", ops[i]);
		return -1;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0') {
		snprintf(msg, msglen, "unexpected '%s' at the end", end);
		return -1;
	}
	snprintf(w->step, sizeof w->step, "%s", r.step);
	snprintf(w->metric, sizeof w->metric, "%s", r.name);
	snprintf(w->op, sizeof w->op, "%s", ops[i]);
	return 0;
}

int
pipeline_when_true(const struct pipeline_when *w, double v)
{
	if (strcmp(w->op, ">=") == 0)
		return v >= w->value;
	if (strcmp(w->op, "<=") == 0)
		return v <= w->value;
	if (strcmp(w->op, "==") == 0)
		return v == w->value;
	if (strcmp(w->op, "!=") == 0)
		return v != w->value;
	if (strcmp(w->op, ">") == 0)
		return v > w->value;
	return v < w->value;
}
