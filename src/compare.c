/*
 * compare: builds the side-by-side table of `mlwb compare` and the compare
 * screen from run attributes, params and metric summaries (never points).
 * The union of keys is sorted once; each run's sorted lists are matched
 * to it by binary search, so 200 runs x 50 params x 20 metrics is a few
 * thousand lookups.
 */
#include "config.h"

#include "compare.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db_metric.h"
#include "db_run.h"
#include "err.h"
#include "mem.h"

static int
oom(struct wb_err *err)
{
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

int
compare_lower_better(const char *key)
{
	/* Whole words: "wer" must not match "power" or "answer". */
	static const char *const words[] = { "err", "rmse", "mae", "mse",
	    "mape", "wer", "cer", "nll", "ppl", "latency", NULL };
	/* Anywhere: "val_loss", "valloss", "top1_error". */
	static const char *const parts[] = { "loss", "error", "perplexity",
	    NULL };
	char	 low[128], *tok, *save;
	size_t	 i;

	for (i = 0; key[i] && i < sizeof low - 1; i++)
		low[i] = (char)tolower((unsigned char)key[i]);
	low[i] = '\0';
	for (i = 0; parts[i] != NULL; i++)
		if (strstr(low, parts[i]) != NULL)
			return 1;
	for (tok = strtok_r(low, "_-./: @()[]", &save); tok != NULL;
	    tok = strtok_r(NULL, "_-./: @()[]", &save))
		for (i = 0; words[i] != NULL; i++)
			if (strcmp(tok, words[i]) == 0)
				return 1;
	return 0;
}

struct keyset {
	char	**v;
	size_t	  n, cap;
};

static int
keyset_add(struct keyset *ks, const char *k)
{
	char	**nv;

	if (ks->n == ks->cap) {
		ks->cap = ks->cap ? ks->cap * 2 : 64;
		if ((nv = wb_reallocarray(ks->v, ks->cap, sizeof *nv)) == NULL)
			return -1;
		ks->v = nv;
	}
	if ((ks->v[ks->n] = wb_strdup(k)) == NULL)
		return -1;
	ks->n++;
	return 0;
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort and drop duplicates. */
static void
keyset_uniq(struct keyset *ks)
{
	size_t	i, j = 0;

	if (ks->n > 1)
		qsort(ks->v, ks->n, sizeof *ks->v, strp_cmp);
	for (i = 0; i < ks->n; i++) {
		if (j > 0 && strcmp(ks->v[j - 1], ks->v[i]) == 0) {
			wb_free(ks->v[i]);
			continue;
		}
		ks->v[j++] = ks->v[i];
	}
	ks->n = j;
}

static size_t
keyset_find(const struct keyset *ks, const char *k)
{
	char	**p = bsearch(&k, ks->v, ks->n, sizeof *ks->v, strp_cmp);

	return p == NULL ? (size_t)-1 : (size_t)(p - ks->v);
}

void
compare_free(struct compare *c)
{
	size_t	i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->nrun; i++) {
		wb_free(c->runs[i].name);
		wb_free(c->runs[i].experiment);
	}
	wb_free(c->runs);
	for (i = 0; i < c->nparam; i++) {
		wb_free(c->params[i].key);
		if (c->params[i].values != NULL)
			for (j = 0; j < c->nrun; j++)
				wb_free(c->params[i].values[j]);
		wb_free(c->params[i].values);
	}
	wb_free(c->params);
	for (i = 0; i < c->ntag; i++) {
		wb_free(c->tags[i].key);
		if (c->tags[i].values != NULL)
			for (j = 0; j < c->nrun; j++)
				wb_free(c->tags[i].values[j]);
		wb_free(c->tags[i].values);
	}
	wb_free(c->tags);
	for (i = 0; i < c->nmetric; i++) {
		struct cmp_metric *m = &c->metrics[i];

		wb_free(m->key);
		wb_free(m->has);
		wb_free(m->last);
		wb_free(m->min);
		wb_free(m->max);
		wb_free(m->last_step);
		wb_free(m->min_step);
		wb_free(m->max_step);
		wb_free(m->best_step);
		wb_free(m->best);
		wb_free(m->delta);
		wb_free(m->delta_pct);
	}
	wb_free(c->metrics);
	wb_free(c);
}

static int
better(const struct cmp_metric *m, double a, double b)
{
	return m->lower_better ? a < b : a > b;
}

void
compare_update(struct compare *c)
{
	struct cmp_metric	*m;
	struct cmp_param	*p;
	size_t			 i, r, b = c->baseline;
	double			 base;

	c->ndiffer = 0;
	for (i = 0; i < c->nparam; i++) {
		p = &c->params[i];
		p->differs = 0;
		for (r = 1; r < c->nrun; r++) {
			const char *x = p->values[0], *y = p->values[r];

			if ((x == NULL) != (y == NULL) || (x != NULL &&
			    strcmp(x, y) != 0))
				p->differs = 1;
		}
		c->ndiffer += (size_t)p->differs;
	}
	for (i = 0; i < c->ntag; i++) {
		p = &c->tags[i];
		p->differs = 0;
		for (r = 1; r < c->nrun; r++) {
			const char *x = p->values[0], *y = p->values[r];

			if ((x == NULL) != (y == NULL) || (x != NULL &&
			    strcmp(x, y) != 0))
				p->differs = 1;
		}
	}
	for (i = 0; i < c->nmetric; i++) {
		m = &c->metrics[i];
		m->best_run = m->best_run_best = -1;
		m->differs = 0;
		base = b < c->nrun && m->has[b] ? m->last[b] : NAN;
		for (r = 0; r < c->nrun; r++) {
			m->best[r] = !m->has[r] ? NAN : m->lower_better ?
			    m->min[r] : m->max[r];
			m->best_step[r] = 0;
			if (m->has[r] && !isnan(m->best[r]))
				m->best_step[r] = m->lower_better ?
				    m->min_step[r] : m->max_step[r];
			if (m->has[r] && !isnan(m->last[r]) &&
			    (m->best_run < 0 || better(m, m->last[r],
			    m->last[m->best_run])))
				m->best_run = (int)r;
			if (!isnan(m->best[r]) && (m->best_run_best < 0 ||
			    better(m, m->best[r], m->best[m->best_run_best])))
				m->best_run_best = (int)r;
			if (r > 0 && (m->has[r] != m->has[0] ||
			    (m->has[r] && m->last[r] != m->last[0] &&
			    !(isnan(m->last[r]) && isnan(m->last[0])))))
				m->differs = 1;
			if (!m->has[r] || isnan(base)) {
				m->delta[r] = m->delta_pct[r] = NAN;
				continue;
			}
			m->delta[r] = m->last[r] - base;
			m->delta_pct[r] = base != 0 ? m->delta[r] /
			    fabs(base) * 100 : NAN;
		}
		/* An exact tie has no single best run: name none. */
		for (r = 0; r < c->nrun; r++) {
			if (m->best_run >= 0 && (int)r != m->best_run &&
			    m->has[r] && m->last[r] == m->last[m->best_run])
				m->best_run = -1;
			if (m->best_run_best >= 0 && (int)r !=
			    m->best_run_best && m->best[r] ==
			    m->best[m->best_run_best])
				m->best_run_best = -1;
		}
	}
}

static int
metric_alloc(struct cmp_metric *m, size_t n)
{
	m->has = wb_calloc(n, 1);
	m->last = wb_calloc(n, sizeof *m->last);
	m->min = wb_calloc(n, sizeof *m->min);
	m->max = wb_calloc(n, sizeof *m->max);
	m->last_step = wb_calloc(n, sizeof *m->last_step);
	m->min_step = wb_calloc(n, sizeof *m->min_step);
	m->max_step = wb_calloc(n, sizeof *m->max_step);
	m->best_step = wb_calloc(n, sizeof *m->best_step);
	m->best = wb_calloc(n, sizeof *m->best);
	m->delta = wb_calloc(n, sizeof *m->delta);
	m->delta_pct = wb_calloc(n, sizeof *m->delta_pct);
	return m->has && m->last && m->min && m->max && m->last_step &&
	    m->min_step && m->max_step && m->best_step && m->best &&
	    m->delta && m->delta_pct ? 0 : -1;
}

/*
 * The runs' tags: the union of their keys in key order, each run's value
 * (NULL where it has none).  Runs carry a few tags, so each key is put in
 * place by a linear search.
 */
static int
load_tags(struct db *db, struct compare *c, struct wb_err *err)
{
	struct cmp_param	*t;
	struct kv		*kv;
	size_t			 nkv, i, j, r;
	int			 rc, cmp = 1;

	for (r = 0; r < c->nrun; r++) {
		if ((rc = db_tags_get(db, c->runs[r].id, &kv, &nkv, err)) !=
		    WB_OK)
			return rc;
		for (i = 0; i < nkv; i++) {
			for (j = 0; j < c->ntag; j++)
				if ((cmp = strcmp(c->tags[j].key,
				    kv[i].key)) >= 0)
					break;
			if (j == c->ntag || cmp != 0) {
				if ((t = wb_reallocarray(c->tags, c->ntag + 1,
				    sizeof *t)) == NULL)
					goto nomem;
				c->tags = t;
				memmove(&t[j + 1], &t[j], (c->ntag - j) *
				    sizeof *t);
				memset(&t[j], 0, sizeof *t);
				c->ntag++;
				if ((t[j].key = wb_strdup(kv[i].key)) == NULL ||
				    (t[j].values = wb_calloc(c->nrun,
				    sizeof(char *))) == NULL)
					goto nomem;
			}
			if (kv[i].value != NULL && (c->tags[j].values[r] =
			    wb_strdup(kv[i].value)) == NULL)
				goto nomem;
		}
		kv_free(kv, nkv);
	}
	return WB_OK;
nomem:
	kv_free(kv, nkv);
	return oom(err);
}

int
compare_load(struct db *db, const int64_t *ids, size_t n, size_t baseline,
    const struct cmp_dir *dirs, size_t ndirs, struct compare **out,
    struct wb_err *err)
{
	struct compare		 *c;
	struct kv		**pkv = NULL;
	size_t			 *npkv = NULL, *nms = NULL;
	struct metric_summary	**ms = NULL;
	struct keyset		  pk = { NULL, 0, 0 }, mk = { NULL, 0, 0 };
	struct run		  run;
	size_t			  r, i, k;
	int			  rc = WB_OK;

	*out = NULL;
	if (n == 0)
		return wb_err_set(err, WB_EINVAL, "no runs to compare");
	if ((c = wb_calloc(1, sizeof *c)) == NULL)
		return oom(err);
	c->baseline = baseline < n ? baseline : 0;
	if ((c->runs = wb_calloc(n, sizeof *c->runs)) == NULL ||
	    (pkv = wb_calloc(n, sizeof *pkv)) == NULL ||
	    (npkv = wb_calloc(n, sizeof *npkv)) == NULL ||
	    (ms = wb_calloc(n, sizeof *ms)) == NULL ||
	    (nms = wb_calloc(n, sizeof *nms)) == NULL) {
		rc = oom(err);
		goto out;
	}
	c->nrun = n;
	for (r = 0; r < n; r++) {
		memset(&run, 0, sizeof run);
		if ((rc = db_run_get(db, ids[r], &run, err)) != WB_OK)
			goto out;
		c->runs[r].id = ids[r];
		memcpy(c->runs[r].uuid, run.uuid, sizeof run.uuid);
		c->runs[r].name = run.name;
		c->runs[r].experiment = run.experiment;
		run.name = run.experiment = NULL;
		run_clear(&run);
		if ((rc = db_params_get(db, ids[r], &pkv[r], &npkv[r], err)) !=
		    WB_OK || (rc = db_metric_summaries(db, ids[r], &ms[r],
		    &nms[r], err)) != WB_OK)
			goto out;
		for (i = 0; i < npkv[r]; i++)
			if (keyset_add(&pk, pkv[r][i].key) != 0)
				goto nomem;
		for (i = 0; i < nms[r]; i++)
			if (keyset_add(&mk, ms[r][i].key) != 0)
				goto nomem;
	}
	keyset_uniq(&pk);
	keyset_uniq(&mk);

	if (pk.n && (c->params = wb_calloc(pk.n, sizeof *c->params)) == NULL)
		goto nomem;
	c->nparam = pk.n;
	for (i = 0; i < pk.n; i++) {
		c->params[i].key = pk.v[i];
		pk.v[i] = NULL;
		if ((c->params[i].values = wb_calloc(n, sizeof(char *))) ==
		    NULL)
			goto nomem;
	}
	if (mk.n && (c->metrics = wb_calloc(mk.n, sizeof *c->metrics)) ==
	    NULL)
		goto nomem;
	c->nmetric = mk.n;
	for (i = 0; i < mk.n; i++) {
		struct cmp_metric *m = &c->metrics[i];

		m->key = mk.v[i];
		mk.v[i] = NULL;
		if (metric_alloc(m, n) != 0)
			goto nomem;
		m->lower_better = compare_lower_better(m->key);
		for (k = 0; k < ndirs; k++)
			if (strcmp(dirs[k].key, m->key) == 0) {
				m->lower_better = dirs[k].lower_better;
				m->overridden = 1;
			}
	}
	{
		/* Match each run's sorted lists to the sorted union. */
		struct keyset	 pks, mks;
		char		**pv = NULL, **mv = NULL;

		if ((c->nparam && (pv = wb_calloc(c->nparam, sizeof *pv)) ==
		    NULL) || (c->nmetric && (mv = wb_calloc(c->nmetric,
		    sizeof *mv)) == NULL)) {
			wb_free(pv);
			rc = oom(err);
			goto out;
		}
		for (i = 0; i < c->nparam; i++)
			pv[i] = c->params[i].key;
		for (i = 0; i < c->nmetric; i++)
			mv[i] = c->metrics[i].key;
		pks.v = pv;
		pks.n = pks.cap = c->nparam;
		mks.v = mv;
		mks.n = mks.cap = c->nmetric;
		for (r = 0; r < n && rc == WB_OK; r++) {
			for (i = 0; i < npkv[r]; i++) {
				k = keyset_find(&pks, pkv[r][i].key);
				if (k == (size_t)-1 || pkv[r][i].value == NULL)
					continue;
				if ((c->params[k].values[r] =
				    wb_strdup(pkv[r][i].value)) == NULL)
					rc = oom(err);
			}
			for (i = 0; i < nms[r]; i++) {
				struct cmp_metric	*m;
				const struct metric_summary *s = &ms[r][i];

				if ((k = keyset_find(&mks, s->key)) ==
				    (size_t)-1)
					continue;
				m = &c->metrics[k];
				m->has[r] = 1;
				m->last[r] = s->last;
				m->last_step[r] = s->last_step;
				m->min[r] = s->has_minmax ? s->min : NAN;
				m->max[r] = s->has_minmax ? s->max : NAN;
				m->min_step[r] = s->min_step;
				m->max_step[r] = s->max_step;
			}
		}
		wb_free(pv);
		wb_free(mv);
	}
	if (rc == WB_OK)
		rc = load_tags(db, c, err);
	if (rc == WB_OK)
		compare_update(c);
	goto out;
nomem:
	rc = oom(err);
out:
	for (i = 0; i < pk.n; i++)
		wb_free(pk.v[i]);
	wb_free(pk.v);
	for (i = 0; i < mk.n; i++)
		wb_free(mk.v[i]);
	wb_free(mk.v);
	if (pkv != NULL && npkv != NULL)
		for (r = 0; r < n; r++)
			kv_free(pkv[r], npkv[r]);
	if (ms != NULL && nms != NULL)
		for (r = 0; r < n; r++)
			metric_summaries_free(ms[r], nms[r]);
	wb_free(pkv);
	wb_free(npkv);
	wb_free(ms);
	wb_free(nms);
	if (rc != WB_OK) {
		compare_free(c);
		return rc;
	}
	*out = c;
	return WB_OK;
}
