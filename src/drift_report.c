/*
 * drift_report: running a whole comparison and its JSON (drift_report.h).
 */
#include "config.h"

#include "drift_report.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dataset.h"
#include "err.h"
#include "mem.h"
#include "progress.h"
#include "strbuf.h"
#include "text.h"
#include "yamldoc.h"

void
drift_spec_init(struct drift_spec *s)
{
	memset(s, 0, sizeof *s);
	s->method = DRIFT_AUTO;
	s->threshold = NAN;
	s->drift_share = 0.5;
	s->missing_jump = 0.1;
}

static void
rcol_free(struct drift_rcol *c)
{
	size_t	i;

	wb_free(c->name);
	wb_free(c->edges);
	if (c->labels != NULL)
		for (i = 0; i < c->nbins; i++)
			wb_free(c->labels[i]);
	wb_free(c->labels);
	wb_free(c->href);
	wb_free(c->hcur);
	for (i = 0; i < c->sref.ntop; i++)
		wb_free(c->sref.top[i]);
	for (i = 0; i < c->scur.ntop; i++)
		wb_free(c->scur.top[i]);
}

void
drift_report_free(struct drift_report *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncols; i++)
		rcol_free(&r->cols[i]);
	wb_free(r->cols);
	for (i = 0; i < r->nissues; i++) {
		wb_free(r->issues[i].column);
		wb_free(r->issues[i].what);
	}
	wb_free(r->issues);
	wb_free(r->name);
	wb_free(r->model);
	wb_free(r->ref_path);
	wb_free(r->cur_path);
	wb_free(r);
}

static int
add_issue(struct drift_report *r, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
add_issue(struct drift_report *r, const char *col, const char *fmt, ...)
{
	struct drift_issue	*p;
	struct strbuf		 sb = STRBUF_INIT;
	va_list			 ap;

	p = wb_reallocarray(r->issues, r->nissues + 1, sizeof *p);
	if (p == NULL)
		return -1;
	r->issues = p;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (sb.oom || (p[r->nissues].column = wb_strdup(col)) == NULL) {
		strbuf_free(&sb);
		return -1;
	}
	p[r->nissues].what = strbuf_detach(&sb);
	if (p[r->nissues].what == NULL) {
		wb_free(p[r->nissues].column);
		return -1;
	}
	r->nissues++;
	return 0;
}

static int
in_list(const char *const *l, const char *s)
{
	size_t	i;

	for (i = 0; l != NULL && l[i] != NULL; i++)
		if (strcmp(l[i], s) == 0)
			return 1;
	return 0;
}

static void
copy_stats(struct drift_rstats *d, const struct drift_stats *s, int *oom)
{
	size_t	i;

	d->count = s->count;
	d->missing = s->missing;
	d->mean = s->mean;
	d->std = s->std;
	d->min = s->min;
	d->q25 = s->q25;
	d->q50 = s->q50;
	d->q75 = s->q75;
	d->max = s->max;
	d->unique = s->unique;
	d->ntop = 0;
	for (i = 0; i < s->ntop; i++) {
		if ((d->top[i] = wb_strdup(s->top[i])) == NULL) {
			*oom = 1;
			return;
		}
		d->top_count[i] = s->top_count[i];
		d->ntop++;
	}
}

/* Copy what the report keeps of a prepared column. */
static int
keep(struct drift_rcol *c, const struct drift_col *dc)
{
	const struct drift_hist *h = &dc->hist;
	size_t	i, n = h->nbins ? h->nbins : 1;
	int	oom = 0;

	c->numeric = dc->numeric;
	c->nbins = h->nbins;
	c->href = wb_malloc(n * sizeof *c->href);
	c->hcur = wb_malloc(n * sizeof *c->hcur);
	if (c->href == NULL || c->hcur == NULL)
		return -1;
	memcpy(c->href, h->ref, h->nbins * sizeof *c->href);
	memcpy(c->hcur, h->cur, h->nbins * sizeof *c->hcur);
	if (h->edges != NULL) {
		if ((c->edges = wb_malloc((n + 1) * sizeof *c->edges)) == NULL)
			return -1;
		memcpy(c->edges, h->edges, (h->nbins + 1) * sizeof *c->edges);
	} else {
		if ((c->labels = wb_calloc(n, sizeof *c->labels)) == NULL)
			return -1;
		for (i = 0; i < h->nbins; i++)
			if ((c->labels[i] = wb_strdup(h->label[i])) == NULL)
				return -1;
	}
	copy_stats(&c->sref, &dc->sref, &oom);
	if (!oom)
		copy_stats(&c->scur, &dc->scur, &oom);
	return oom ? -1 : 0;
}

/*
 * The method of a column: its --method-for, else --method -- unless that
 * global one is ks or wasserstein and the column holds categories, which
 * then keeps the default test.  z on more than two values is not
 * replaced: the column fails with drift_col_test's reason, so that a
 * report never names a method other than the one asked for.
 */
static void
method_for(const struct drift_spec *s, const struct drift_col *dc,
    const char *col, enum drift_method *m, double *thr)
{
	size_t	i;

	*m = s->method;
	*thr = s->threshold;
	if ((*m == DRIFT_KS || *m == DRIFT_WASSERSTEIN) && !dc->numeric) {
		*m = DRIFT_AUTO;
		*thr = NAN;
	}
	for (i = 0; i < s->nper; i++)
		if (strcmp(s->per[i].column, col) == 0) {
			*m = s->per[i].method;
			*thr = !isnan(s->per[i].threshold) ?
			    s->per[i].threshold : s->threshold;
		}
}

static const char *
tname(enum ds_type t)
{
	return t == DS_NUM ? "numeric" : "categorical";
}

/* One column to test; filled by whichever thread takes it. */
struct col_job {
	const struct drift_spec	*spec;
	const struct ds_column	*ref, *cur;
	struct drift_rcol	*c;	/* its slot in the report */
	double			 mr, mc;
	int			 as_cat;
	int			 rc;
	struct wb_err		 err;
};

static void
col_job_run(struct col_job *j)
{
	struct drift_col	 dc;
	struct drift_result	 res;
	struct drift_rcol	*c = j->c;
	enum drift_method	 m;
	double			 thr;

	j->rc = WB_OK;
	if ((c->name = wb_strdup(j->ref->name)) == NULL) {
		j->rc = wb_err_set(&j->err, WB_ENOMEM, "out of memory");
		return;
	}
	if ((j->rc = drift_col_init(&dc, j->ref, j->ref->n_missing, j->cur,
	    j->cur->n_missing, j->as_cat, &j->err)) != WB_OK)
		return;
	method_for(j->spec, &dc, j->ref->name, &m, &thr);
	if ((j->rc = drift_col_test(&dc, m, thr, &res, &j->err)) != WB_OK) {
		wb_err_prefix(&j->err, "column '%s'", j->ref->name);
		drift_col_free(&dc);
		return;
	}
	if (keep(c, &dc) != 0)
		j->rc = wb_err_set(&j->err, WB_ENOMEM, "out of memory");
	drift_col_free(&dc);
	c->method = res.method;
	c->statistic = res.statistic;
	c->p_value = res.p_value;
	c->threshold = res.threshold;
	c->drifted = res.drifted;
	c->severity = res.severity;
	c->n_ref = j->ref->n_valid;
	c->n_cur = j->cur->n_valid;
	c->missing_ref = j->mr;
	c->missing_cur = j->mc;
}

struct job_list {
	struct col_job	*jobs;
	size_t		 n;
	size_t		 first;		/* this worker takes first, first+2 ... */
};

static void *
jobs_worker(void *arg)
{
	struct job_list	*l = arg;
	size_t		 i;

	for (i = l->first; i < l->n; i += 2)
		col_job_run(&l->jobs[i]);
	return NULL;
}

/* Columns alternate between this thread and a second one. */
static void
run_jobs(struct col_job *jobs, size_t n, int one_thread)
{
	struct job_list	a = { jobs, n, 0 }, b = { jobs, n, 1 };
	pthread_t	th;
	size_t		i;

	if (n > 1 && !one_thread &&
	    pthread_create(&th, NULL, jobs_worker, &b) == 0) {
		jobs_worker(&a);
		pthread_join(th, NULL);
		return;
	}
	for (i = 0; i < n; i++)
		col_job_run(&jobs[i]);
}

/*
 * The caller's progress hook sees one count, the bytes read of both
 * files, though two threads read them: each reports its own file here,
 * and the sum goes out under a lock, so the hook is never called twice
 * at once.
 */
struct both_progress {
	const struct wb_progress *out;
	pthread_mutex_t		 mu;
	uint64_t		 done[2], total[2];
};

struct file_progress {
	struct wb_progress	 hook;
	struct both_progress	*both;
	int			 which;		/* 0 reference, 1 current */
};

static void
file_progress(void *arg, uint64_t done, uint64_t total, const char *unit)
{
	struct file_progress	*f = arg;
	struct both_progress	*b = f->both;

	pthread_mutex_lock(&b->mu);
	b->done[f->which] = done;
	b->total[f->which] = total;
	wb_progress_report(b->out, b->done[0] + b->done[1],
	    b->total[0] + b->total[1], unit);
	pthread_mutex_unlock(&b->mu);
}

/* Reading the current file on a second thread while this one reads the
 * reference: parsing is most of the time on big files. */
struct reader {
	const char		*path;
	const struct ds_opts	*o;
	struct dataset		*ds;
	struct wb_err		 err;
	int			 rc;
};

static uint64_t
file_size(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ?
	    (uint64_t)sb.st_size : 0;
}

static void *
reader_run(void *arg)
{
	struct reader *rd = arg;

	rd->rc = dataset_read(rd->path, rd->o, &rd->ds, &rd->err);
	return NULL;
}

static int
read_both(const char *refp, const char *curp, const struct ds_opts *o,
    const struct wb_progress *progress, int one_thread,
    struct dataset **ref, struct dataset **cur, struct wb_err *err)
{
	struct ds_opts		 ro = *o, co = *o;
	struct reader		 rd = { curp, &co, NULL, { WB_OK, "" }, WB_OK };
	struct both_progress	 both;
	struct file_progress	 fp[2];
	pthread_t		 th;
	int			 threaded, rc, i;

	memset(&both, 0, sizeof both);
	both.out = progress;
	pthread_mutex_init(&both.mu, NULL);
	for (i = 0; i < 2; i++) {
		fp[i].hook.fn = file_progress;
		fp[i].hook.arg = &fp[i];
		fp[i].both = &both;
		fp[i].which = i;
	}
	if (progress != NULL) {
		/* Both totals from the start: the share never steps back. */
		both.total[0] = file_size(refp);
		both.total[1] = file_size(curp);
		ro.progress = &fp[0].hook;
		co.progress = &fp[1].hook;
	}
	threaded = !one_thread &&
	    pthread_create(&th, NULL, reader_run, &rd) == 0;
	rc = dataset_read(refp, &ro, ref, err);
	if (threaded)
		pthread_join(th, NULL);
	else
		reader_run(&rd);
	pthread_mutex_destroy(&both.mu);
	*cur = rd.ds;
	if (rc == WB_OK && rd.rc != WB_OK) {
		if (err != NULL)
			*err = rd.err;
		rc = rd.rc;
	}
	return rc;
}

int
drift_report_run(const char *refp, const char *curp,
    const struct drift_spec *spec, struct drift_report **out,
    struct wb_err *err)
{
	struct ds_opts		 o = { spec->categorical, 0, spec->no_hash, 0,
				    NULL };
	struct dataset		*ref = NULL, *cur = NULL;
	struct drift_report	*r;
	struct col_job		*jobs = NULL;
	size_t			 i, nwant, njobs = 0;
	int			 rc;

	*out = NULL;
	if ((r = wb_calloc(1, sizeof *r)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if ((rc = read_both(refp, curp, &o, spec->progress, spec->one_thread,
	    &ref, &cur, err)) != WB_OK)
		goto fail;
	r->ref_path = wb_strdup(refp);
	r->cur_path = wb_strdup(curp);
	if (r->ref_path == NULL || r->cur_path == NULL)
		goto oom;
	memcpy(r->ref_sha256, ref->sha256, sizeof r->ref_sha256);
	memcpy(r->cur_sha256, cur->sha256, sizeof r->cur_sha256);
	r->ref_rows = ref->n_rows;
	r->cur_rows = cur->n_rows;
	r->share_threshold = spec->drift_share;
	for (i = 0; spec->columns != NULL && spec->columns[i] != NULL; i++)
		if (dataset_column(ref, spec->columns[i]) == NULL &&
		    dataset_column(cur, spec->columns[i]) == NULL) {
			rc = wb_err_set(err, WB_EINVAL, "--columns: no column "
			    "'%s' in %s or %s", spec->columns[i], refp, curp);
			goto fail;
		}
	for (i = 0; spec->categorical != NULL && spec->categorical[i] != NULL;
	    i++)
		if (dataset_column(ref, spec->categorical[i]) == NULL &&
		    dataset_column(cur, spec->categorical[i]) == NULL) {
			rc = wb_err_set(err, WB_EINVAL, "--categorical: no column "
			    "'%s' in %s or %s", spec->categorical[i], refp, curp);
			goto fail;
		}
	for (i = 0; i < spec->nper; i++)
		if (dataset_column(ref, spec->per[i].column) == NULL &&
		    dataset_column(cur, spec->per[i].column) == NULL) {
			rc = wb_err_set(err, WB_EINVAL, "--method-for: no "
			    "column '%s' in %s or %s", spec->per[i].column,
			    refp, curp);
			goto fail;
		}
	/* Schema: columns added in current (reference ones come below). */
	for (i = 0; i < cur->n_cols; i++) {
		const char *n = cur->cols[i].name;

		if ((spec->columns == NULL || in_list(spec->columns, n)) &&
		    dataset_column(ref, n) == NULL &&
		    add_issue(r, n, "added in current") != 0)
			goto oom;
	}
	nwant = ref->n_cols;
	if ((r->cols = wb_calloc(nwant ? nwant : 1, sizeof *r->cols)) == NULL)
		goto oom;
	/* Schema checks and the list of columns to test, in order. */
	if ((jobs = wb_calloc(nwant ? nwant : 1, sizeof *jobs)) == NULL)
		goto oom;
	for (i = 0; i < ref->n_cols; i++) {
		struct ds_column	*rc_ = &ref->cols[i], *cc;
		struct col_job		*j;

		if (spec->columns != NULL && !in_list(spec->columns, rc_->name))
			continue;
		if ((cc = dataset_column(cur, rc_->name)) == NULL) {
			if (add_issue(r, rc_->name, "missing in current") != 0)
				goto oom;
			continue;
		}
		j = &jobs[njobs++];
		j->spec = spec;
		j->ref = rc_;
		j->cur = cc;
		j->c = &r->cols[r->ncols++];
		j->mr = dataset_missing_share(ref, rc_);
		j->mc = dataset_missing_share(cur, cc);
		j->as_cat = rc_->type != cc->type;
		if (j->as_cat && add_issue(r, rc_->name, "type changed: %s in "
		    "reference, %s in current", tname(rc_->type),
		    tname(cc->type)) != 0)
			goto oom;
		if (j->mc - j->mr > spec->missing_jump && add_issue(r,
		    rc_->name, "missing share jumped from %.1f%% to %.1f%%",
		    j->mr * 100, j->mc * 100) != 0)
			goto oom;
	}
	/* The tests, on two threads (sorting dominates once parsed). */
	run_jobs(jobs, njobs, spec->one_thread);
	for (i = 0; i < njobs; i++) {
		if (jobs[i].rc != WB_OK) {
			if (err != NULL)
				*err = jobs[i].err;
			rc = jobs[i].rc;
			goto fail;
		}
		r->tested++;
		r->drifted += jobs[i].c->drifted != 0;
	}
	wb_free(jobs);
	jobs = NULL;
	r->drift_share = r->tested ? (double)r->drifted / (double)r->tested : 0;
	r->dataset_drift = (r->tested > 0 &&
	    r->drift_share >= spec->drift_share) || r->nissues > 0;
	dataset_free(ref);
	dataset_free(cur);
	*out = r;
	return WB_OK;
oom:
	rc = wb_err_set(err, WB_ENOMEM, "out of memory");
fail:
	wb_free(jobs);
	dataset_free(ref);
	dataset_free(cur);
	drift_report_free(r);
	return rc;
}

static const struct drift_report *sort_r;

static int
sev_cmp(const void *a, const void *b)
{
	const struct drift_rcol *x = &sort_r->cols[*(const size_t *)a];
	const struct drift_rcol *y = &sort_r->cols[*(const size_t *)b];

	if (x->drifted != y->drifted)
		return y->drifted - x->drifted;
	if (x->severity != y->severity)
		return x->severity < y->severity ? 1 : -1;
	return strcmp(x->name, y->name);
}

size_t *
drift_report_order(const struct drift_report *r)
{
	size_t	*o = wb_malloc((r->ncols ? r->ncols : 1) * sizeof *o), i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < r->ncols; i++)
		o[i] = i;
	sort_r = r;
	qsort(o, r->ncols, sizeof *o, sev_cmp);
	return o;
}

/* ---- JSON out ---- */

static void
jnum(struct strbuf *o, double v)
{
	if (isnan(v))
		strbuf_adds(o, "null");
	else
		text_json_num(o, v);
}

static void
jkey(struct strbuf *o, const char *k)
{
	text_json_str(o, k);
	strbuf_addc(o, ':');
}

int
drift_rcol_hist_json(const struct drift_rcol *c, struct strbuf *o)
{
	size_t	i;

	strbuf_addc(o, '{');
	if (c->edges != NULL) {
		jkey(o, "edges");
		strbuf_addc(o, '[');
		for (i = 0; i <= c->nbins; i++) {
			if (i)
				strbuf_addc(o, ',');
			jnum(o, c->edges[i]);
		}
	} else {
		jkey(o, "categories");
		strbuf_addc(o, '[');
		for (i = 0; i < c->nbins; i++) {
			if (i)
				strbuf_addc(o, ',');
			text_json_str(o, c->labels[i]);
		}
	}
	strbuf_adds(o, "],");
	jkey(o, "ref");
	strbuf_addc(o, '[');
	for (i = 0; i < c->nbins; i++)
		strbuf_addf(o, "%s%.0f", i ? "," : "", c->href[i]);
	strbuf_adds(o, "],");
	jkey(o, "cur");
	strbuf_addc(o, '[');
	for (i = 0; i < c->nbins; i++)
		strbuf_addf(o, "%s%.0f", i ? "," : "", c->hcur[i]);
	strbuf_adds(o, "]}");
	return o->oom ? -1 : 0;
}

static void
stats_obj(struct strbuf *o, const struct drift_rstats *s, int numeric)
{
	size_t	i;

	strbuf_addf(o, "{\"count\":%zu,\"missing\":%zu", s->count, s->missing);
	if (numeric) {
		const double v[] = { s->mean, s->std, s->min, s->q25, s->q50,
		    s->q75, s->max };
		const char *k[] = { "mean", "std", "min", "25%", "50%", "75%",
		    "max" };

		for (i = 0; i < 7; i++) {
			strbuf_addc(o, ',');
			jkey(o, k[i]);
			jnum(o, v[i]);
		}
	} else {
		strbuf_addf(o, ",\"unique\":%zu,\"top\":[", s->unique);
		for (i = 0; i < s->ntop; i++) {
			strbuf_adds(o, i ? ",[" : "[");
			text_json_str(o, s->top[i]);
			strbuf_addf(o, ",%zu]", s->top_count[i]);
		}
		strbuf_addc(o, ']');
	}
	strbuf_addc(o, '}');
}

int
drift_rcol_stats_json(const struct drift_rcol *c, struct strbuf *o)
{
	strbuf_adds(o, "{\"ref\":");
	stats_obj(o, &c->sref, c->numeric);
	strbuf_adds(o, ",\"cur\":");
	stats_obj(o, &c->scur, c->numeric);
	strbuf_addc(o, '}');
	return o->oom ? -1 : 0;
}

int
drift_issues_json(const struct drift_report *r, struct strbuf *o)
{
	size_t	i;

	strbuf_addc(o, '[');
	for (i = 0; i < r->nissues; i++) {
		strbuf_adds(o, i ? ",{" : "{");
		jkey(o, "column");
		text_json_str(o, r->issues[i].column);
		strbuf_addc(o, ',');
		jkey(o, "issue");
		text_json_str(o, r->issues[i].what);
		strbuf_addc(o, '}');
	}
	strbuf_addc(o, ']');
	return o->oom ? -1 : 0;
}

int
drift_report_json(const struct drift_report *r, int detail, struct strbuf *o)
{
	size_t	i;
	char	t[32];

	strbuf_addc(o, '{');
	if (r->id > 0) {
		strbuf_addf(o, "\"id\":%lld,\"uuid\":", (long long)r->id);
		text_json_str(o, r->uuid);
		strbuf_adds(o, ",\"name\":");
		if (r->name)
			text_json_str(o, r->name);
		else
			strbuf_adds(o, "null");
		strbuf_adds(o, ",\"model\":");
		if (r->model)
			text_json_str(o, r->model);
		else
			strbuf_adds(o, "null");
		strbuf_adds(o, ",\"created_at\":");
		text_json_str(o, text_time(t, r->created_at));
		strbuf_addc(o, ',');
	}
	strbuf_adds(o, "\"columns\":[");
	for (i = 0; i < r->ncols; i++) {
		const struct drift_rcol *c = &r->cols[i];

		strbuf_adds(o, i ? ",{" : "{");
		jkey(o, "column");
		text_json_str(o, c->name);
		strbuf_addf(o, ",\"type\":\"%s\",\"method\":\"%s\",\"statistic\":",
		    c->numeric ? "num" : "cat", drift_method_name(c->method));
		jnum(o, c->statistic);
		strbuf_adds(o, ",\"p_value\":");
		jnum(o, c->p_value);
		strbuf_adds(o, ",\"threshold\":");
		jnum(o, c->threshold);
		strbuf_addf(o, ",\"drifted\":%s,\"n_ref\":%zu,\"n_cur\":%zu,"
		    "\"missing_ref\":", c->drifted ? "true" : "false",
		    c->n_ref, c->n_cur);
		jnum(o, c->missing_ref);
		strbuf_adds(o, ",\"missing_cur\":");
		jnum(o, c->missing_cur);
		if (detail) {
			strbuf_adds(o, ",\"histogram\":");
			drift_rcol_hist_json(c, o);
			strbuf_adds(o, ",\"stats\":");
			drift_rcol_stats_json(c, o);
		}
		strbuf_addc(o, '}');
	}
	strbuf_addf(o, "],\"tested_columns\":%zu,\"drifted_columns\":%zu,"
	    "\"drift_share\":", r->tested, r->drifted);
	jnum(o, r->drift_share);
	strbuf_adds(o, ",\"drift_share_threshold\":");
	jnum(o, r->share_threshold);
	strbuf_addf(o, ",\"dataset_drift\":%s,\"schema_issues\":",
	    r->dataset_drift ? "true" : "false");
	drift_issues_json(r, o);
	strbuf_adds(o, ",\"reference\":{\"path\":");
	text_json_str(o, r->ref_path);
	strbuf_adds(o, ",\"sha256\":");
	if (r->ref_sha256[0])
		text_json_str(o, r->ref_sha256);
	else
		strbuf_adds(o, "null");
	strbuf_addf(o, ",\"rows\":%zu},\"current\":{\"path\":", r->ref_rows);
	text_json_str(o, r->cur_path);
	strbuf_adds(o, ",\"sha256\":");
	if (r->cur_sha256[0])
		text_json_str(o, r->cur_sha256);
	else
		strbuf_adds(o, "null");
	strbuf_addf(o, ",\"rows\":%zu}}", r->cur_rows);
	return o->oom ? -1 : 0;
}

/* ---- JSON in (blobs this module wrote) ---- */

static double
ynum(const struct ynode *n)
{
	const char	*s = ynode_str(n);
	double		 v;

	if (s == NULL || ynode_is_null(n) || text_parse_num(s, strlen(s), &v))
		return NAN;
	return v;
}

static int
parse_stats(struct drift_rstats *s, const struct ynode *m, int numeric)
{
	const struct ynode *top;
	size_t	i;

	if (m == NULL || m->type != YNODE_MAP)
		return 0;
	s->count = (size_t)ynum(ynode_get(m, "count"));
	s->missing = (size_t)ynum(ynode_get(m, "missing"));
	s->mean = ynum(ynode_get(m, "mean"));
	s->std = ynum(ynode_get(m, "std"));
	s->min = ynum(ynode_get(m, "min"));
	s->q25 = ynum(ynode_get(m, "25%"));
	s->q50 = ynum(ynode_get(m, "50%"));
	s->q75 = ynum(ynode_get(m, "75%"));
	s->max = ynum(ynode_get(m, "max"));
	if (numeric)
		return 0;
	s->unique = (size_t)ynum(ynode_get(m, "unique"));
	top = ynode_get(m, "top");
	for (i = 0; top != NULL && top->type == YNODE_SEQ && i < top->n &&
	    i < DRIFT_TOP; i++) {
		const struct ynode *p = top->items[i];

		if (p->type != YNODE_SEQ || p->n != 2 || !ynode_str(p->items[0]))
			continue;
		if ((s->top[s->ntop] = wb_strdup(ynode_str(p->items[0]))) ==
		    NULL)
			return -1;
		s->top_count[s->ntop++] = (size_t)ynum(p->items[1]);
	}
	return 0;
}

int
drift_rcol_parse(struct drift_rcol *c, const char *hist, const char *stats,
    struct wb_err *err)
{
	struct ydoc		*d = NULL;
	const struct ynode	*e, *cat, *hr, *hc;
	size_t			 i, n;
	int			 rc;

	if (hist != NULL) {
		if ((rc = ydoc_load_mem(hist, strlen(hist), "histogram", &d,
		    err)) != WB_OK)
			return rc;
		e = ynode_get(d->root, "edges");
		cat = ynode_get(d->root, "categories");
		hr = ynode_get(d->root, "ref");
		hc = ynode_get(d->root, "cur");
		if (hr == NULL || hc == NULL || hr->type != YNODE_SEQ ||
		    hc->type != YNODE_SEQ || hr->n != hc->n) {
			ydoc_free(d);
			return wb_err_set(err, WB_EPARSE, "histogram of '%s': "
			    "bad shape", c->name);
		}
		n = c->nbins = hr->n;
		c->href = wb_calloc(n + 1, sizeof *c->href);
		c->hcur = wb_calloc(n + 1, sizeof *c->hcur);
		if (c->href == NULL || c->hcur == NULL)
			goto oom;
		for (i = 0; i < n; i++) {
			c->href[i] = ynum(hr->items[i]);
			c->hcur[i] = ynum(hc->items[i]);
		}
		if (e != NULL && e->type == YNODE_SEQ && e->n == n + 1) {
			if ((c->edges = wb_calloc(n + 1, sizeof *c->edges)) ==
			    NULL)
				goto oom;
			for (i = 0; i <= n; i++)
				c->edges[i] = ynum(e->items[i]);
		} else if (cat != NULL && cat->type == YNODE_SEQ &&
		    cat->n == n) {
			if ((c->labels = wb_calloc(n + 1, sizeof *c->labels)) ==
			    NULL)
				goto oom;
			for (i = 0; i < n; i++)
				if ((c->labels[i] = wb_strdup(ynode_str(
				    cat->items[i]) ? ynode_str(cat->items[i]) :
				    "")) == NULL)
					goto oom;
		} else {
			ydoc_free(d);
			return wb_err_set(err, WB_EPARSE, "histogram of '%s': "
			    "no bins", c->name);
		}
		ydoc_free(d);
		d = NULL;
	}
	if (stats != NULL) {
		if ((rc = ydoc_load_mem(stats, strlen(stats), "stats", &d,
		    err)) != WB_OK)
			return rc;
		if (parse_stats(&c->sref, ynode_get(d->root, "ref"),
		    c->numeric) != 0 || parse_stats(&c->scur,
		    ynode_get(d->root, "cur"), c->numeric) != 0)
			goto oom;
		ydoc_free(d);
	}
	return WB_OK;
oom:
	ydoc_free(d);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

int
drift_issues_parse(struct drift_report *r, const char *json,
    struct wb_err *err)
{
	struct ydoc	*d;
	size_t		 i;
	int		 rc;

	if (json == NULL)
		return WB_OK;
	if ((rc = ydoc_load_mem(json, strlen(json), "schema_issues", &d,
	    err)) != WB_OK)
		return rc;
	for (i = 0; d->root != NULL && d->root->type == YNODE_SEQ &&
	    i < d->root->n; i++) {
		const char *c = ynode_str(ynode_get(d->root->items[i], "column"));
		const char *w = ynode_str(ynode_get(d->root->items[i], "issue"));

		if (add_issue(r, c ? c : "", "%s", w ? w : "") != 0) {
			ydoc_free(d);
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		}
	}
	ydoc_free(d);
	return WB_OK;
}
