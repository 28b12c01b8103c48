/*
 * test_drift: the drift statistics against the oracle's values.
 *
 * tests/data/drift/expected.txt holds, for every case of cases.txt, what
 * ../shared/tools/drift_oracle.py (numpy/scipy) printed for one column of
 * a reference/current pair; regen.sh says how to make it again.  Every
 * statistic must agree to 1e-9 relative (p-values also to 1e-12
 * absolute).  Then edge cases (constant column, new categories, an
 * all-missing column, tiny samples), the scipy special functions at
 * points computed with scipy, the radix sort, the CSV reader's errors and
 * allocation-failure injection.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "csvfast.h"
#include "csvread.h"
#include "dataset.h"
#include "db.h"
#include "db_drift.h"
#include "drift.h"
#include "drift_report.h"
#include "err.h"
#include "mem.h"
#include "strbuf.h"
#include "tap.h"

#define REL 1e-9
#define ABSP 1e-12

static char datadir[1024];

struct kv {
	char	key[64];
	char	val[4096];
};

static const char *
get(struct kv *kv, int n, const char *key)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(kv[i].key, key) == 0)
			return kv[i].val;
	return NULL;
}

static double
getd(struct kv *kv, int n, const char *key)
{
	const char *s = get(kv, n, key);

	return s ? strtod(s, NULL) : NAN;
}

static void
run_case(const char *name, const char *refn, const char *curn,
    const char *col, int cat, struct kv *kv, int n)
{
	char			 rp[2048], cp[2048], label[256];
	const char		*forced[2] = { col, NULL };
	struct ds_opts		 o = { cat ? forced : NULL, 0, 0, 0, NULL };
	struct dataset		*r = NULL, *c = NULL;
	struct ds_column	*rc, *cc;
	struct drift_col	 dc;
	struct drift_result	 res;
	struct wb_err		 err;
	const char		*s;
	double			 v;

	snprintf(rp, sizeof rp, "%s/%s", datadir, refn);
	snprintf(cp, sizeof cp, "%s/%s", datadir, curn);
	if (!ok(dataset_read(rp, &o, &r, &err) == WB_OK &&
	    dataset_read(cp, &o, &c, &err) == WB_OK, "%s: read", name)) {
		printf("#   %s\n", err.msg);
		goto out;
	}
	rc = dataset_column(r, col);
	cc = dataset_column(c, col);
	if (!ok(rc && cc, "%s: column %s", name, col))
		goto out;
	if (!ok(drift_col_init(&dc, rc, rc->n_missing, cc, cc->n_missing, cat,
	    &err) == WB_OK, "%s: init", name)) {
		printf("#   %s\n", err.msg);
		goto out;
	}
#define L(what) (snprintf(label, sizeof label, "%s: %s", name, what), label)
	is_int(dc.nx, atol(get(kv, n, "n_ref")), L("n_ref"));
	is_int(dc.ny, atol(get(kv, n, "n_cur")), L("n_cur"));
	is_str(dc.numeric ? "num" : "cat", get(kv, n, "type"), L("type"));
	is_int(dc.nuniq_ref, atol(get(kv, n, "nunique_ref")), L("nunique_ref"));
	if (dc.numeric) {
		drift_col_test(&dc, DRIFT_KS, NAN, &res, &err);
		is_num(res.statistic, getd(kv, n, "ks_stat"), REL, 0,
		    L("ks statistic"));
		is_num(res.p_value, getd(kv, n, "ks_p"), REL, ABSP,
		    L("ks p-value"));
		drift_col_test(&dc, DRIFT_WASSERSTEIN, NAN, &res, &err);
		is_num(res.statistic, getd(kv, n, "wasserstein_norm"), REL, 0,
		    L("wasserstein (normed)"));
	}
	drift_col_test(&dc, DRIFT_CHISQUARE, NAN, &res, &err);
	v = getd(kv, n, "chi2_stat");
	is_num(res.statistic, v, REL, 0, L("chisquare statistic"));
	if (!isnan(getd(kv, n, "chi2_p")))
		is_num(res.p_value, getd(kv, n, "chi2_p"), REL, ABSP,
		    L("chisquare p-value"));
	if ((s = get(kv, n, "z_p")) != NULL) {
		ok(drift_col_test(&dc, DRIFT_Z, NAN, &res, &err) == WB_OK,
		    "%s", L("z runs"));
		is_num(res.p_value, strtod(s, NULL), REL, ABSP, L("z p-value"));
	}
	drift_col_test(&dc, DRIFT_PSI, NAN, &res, &err);
	is_num(res.statistic, getd(kv, n, "psi"), REL, 0, L("psi"));
	is_int(res.drifted, strcmp(get(kv, n, "psi_drift"), "True") == 0,
	    L("psi drift"));
	drift_col_test(&dc, DRIFT_KL_DIV, NAN, &res, &err);
	is_num(res.statistic, getd(kv, n, "kl_div"), REL, 0, L("kl_div"));
	drift_col_test(&dc, DRIFT_JS, NAN, &res, &err);
	is_num(res.statistic, getd(kv, n, "jensenshannon"), REL, 0,
	    L("jensenshannon"));
	drift_col_test(&dc, DRIFT_HELLINGER, NAN, &res, &err);
	is_num(res.statistic, getd(kv, n, "hellinger"), REL, 0,
	    L("hellinger"));
	is_int(dc.hist.nbins, atol(get(kv, n, "psi_bins")), L("bins"));
	if ((s = get(kv, n, "psi_edges")) != NULL && dc.hist.edges != NULL) {
		size_t	i;
		int	same = 1;
		char   *e, buf[4096];

		snprintf(buf, sizeof buf, "%s", s);
		e = buf;

		for (i = 0; i <= dc.hist.nbins; i++) {
			double x = strtod(e, &e);

			if (*e == ',')
				e++;
			same &= x == dc.hist.edges[i];
		}
		ok(same, "%s", L("shared bin edges equal numpy's"));
	}
	drift_col_test(&dc, DRIFT_AUTO, NAN, &res, &err);
	is_str(drift_method_name(res.method), get(kv, n, "default_test"),
	    L("default test"));
	is_num(drift_method_has_p(res.method) ? res.p_value : res.statistic,
	    getd(kv, n, "default_score"), REL, ABSP, L("default score"));
	is_int(res.drifted, strcmp(get(kv, n, "default_drift"), "True") == 0,
	    L("default verdict"));
	drift_col_free(&dc);
out:
	dataset_free(r);
	dataset_free(c);
}

static void
oracle_cases(void)
{
	char	 path[1200], line[8192], name[128], ref[256], cur[256];
	char	 col[128], flag[16];
	FILE	*fp;
	struct kv kv[64];
	int	 n = 0, cases = 0;

	snprintf(path, sizeof path, "%s/expected.txt", datadir);
	if (!ok((fp = fopen(path, "r")) != NULL, "open %s", path))
		return;
	while (fgets(line, sizeof line, fp) != NULL) {
		char *eq;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "case ", 5) == 0) {
			sscanf(line + 5, "%127s %255s %255s %127s %15s", name, ref,
			    cur, col, flag);
			n = 0;
		} else if (strcmp(line, "end") == 0) {
			run_case(name, ref, cur, col, strcmp(flag, "cat") == 0,
			    kv, n);
			cases++;
		} else if ((eq = strchr(line, '=')) != NULL && n < 64) {
			*eq = '\0';
			snprintf(kv[n].key, sizeof kv[n].key, "%.63s", line);
			snprintf(kv[n].val, sizeof kv[n].val, "%.4095s", eq + 1);
			n++;
		}
	}
	fclose(fp);
	ok(cases >= 27, "%d oracle cases", cases);
}

/* Values scipy 1.10 printed for these inputs (see regen.sh). */
static void
special_functions(void)
{
	static const struct { long n; double d, p; } kstwo[] = {
		{ 5000, 0.01, 0.6954557253913853 },
		{ 5000, 0.03, 0.00024159234422666817 },
		{ 500000, 0.002, 0.036582179671620585 },
		{ 500000, 0.0015, 0.21034190155828947 },
		{ 200000, 0.001, 0.9881500208855729 },
		{ 100, 0.05, 0.9532159710635725 },
		{ 100, 0.15, 0.019839242125643017 },
		{ 100, 0.3, 1.7719869892662917e-08 },
		{ 30, 0.6, 7.392006292214292e-11 },
		{ 120000, 0.004, 0.04287201966716936 },
	};
	size_t	i;

	for (i = 0; i < sizeof kstwo / sizeof kstwo[0]; i++)
		is_num(drift_kolmogn_sf(kstwo[i].n, kstwo[i].d), kstwo[i].p,
		    REL, 1e-15, "kstwo.sf");
	/* chi2.sf(x, k) = Q(k/2, x/2) */
	is_num(drift_igamc(1.0, 1.5), exp(-1.5), 1e-13, 0, "igamc(1, x)");
	is_num(drift_igamc(0.5, 2.0), erfc(sqrt(2.0)), 1e-13, 0,
	    "igamc(1/2, x) = erfc");
	is_num(drift_igamc(0.5, 200.0), erfc(sqrt(200.0)), 1e-11, 0,
	    "igamc tail");
}

static double
lcg(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(*s >> 11) / 9007199254740992.0;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
sorting(void)
{
	size_t	 n = 100000, i;
	double	*a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
	double	*t = malloc(n * sizeof *t);
	uint64_t s = 42;
	int	 same = 1;

	for (i = 0; i < n; i++) {
		a[i] = (lcg(&s) - 0.5) * pow(10, (int)(lcg(&s) * 20) - 10);
		if (i % 1000 == 0)
			a[i] = i % 2000 ? 0.0 : -0.0;
		b[i] = a[i];
	}
	drift_sort(a, n, t);
	qsort(b, n, sizeof *b, dcmp);
	for (i = 0; i < n; i++)
		same &= a[i] == b[i];
	ok(same, "radix sort agrees with qsort on 100000 mixed doubles");
	/* Values a few ulps apart: the top-48-bit pass cannot order them. */
	for (i = 0; i < n; i++) {
		a[i] = nextafter(1.0, 2.0) + (double)((i * 7919) % n) *
		    2.220446049250313e-16;
		b[i] = a[i];
	}
	drift_sort(a, n, t);
	qsort(b, n, sizeof *b, dcmp);
	for (same = 1, i = 0; i < n; i++)
		same &= a[i] == b[i];
	ok(same, "radix sort on 100000 values a few ulps apart");
	free(a);
	free(b);
	free(t);
}

static struct dataset *
mem(const char *csv, const char *const *cat, struct wb_err *err)
{
	struct ds_opts	 o = { cat, 0, 0, 0, NULL };
	struct dataset	*ds = NULL;

	if (dataset_read_mem(csv, strlen(csv), "t.csv", &o, &ds, err) != WB_OK)
		return NULL;
	return ds;
}

static void
reader(void)
{
	struct wb_err	 err;
	struct dataset	*ds;
	struct ds_column *c;
	const char *const cats[] = { "n", NULL };

	ds = mem("a,b,n\n1,x,3\n,y,4\nNaN,NA,3\ninf,z,4.0\n2.5,1,3\n", NULL,
	    &err);
	if (!ok(ds != NULL, "typed read"))
		return;
	is_int(ds->n_rows, 5, "5 rows");
	c = dataset_column(ds, "a");
	ok(c->type == DS_NUM && c->n_num == 2, "a numeric, 2 values");
	is_int(c->n_missing, 3, "a: empty, NaN, inf missing");
	is_num(dataset_missing_share(ds, c), 0.6, 1e-15, 0, "missing share");
	c = dataset_column(ds, "b");
	ok(c->type == DS_CAT && c->n_cat == 4, "b categorical, 4 values");
	is_int(c->n_missing, 1, "b: NA missing");
	dataset_free(ds);

	ds = mem("a,b,n\n1,x,3\n2,y,4.0\n", cats, &err);
	c = dataset_column(ds, "n");
	ok(c->type == DS_CAT && c->n_cat == 2 && c->forced_cat,
	    "forced categorical groups by number");
	dataset_free(ds);

	/* BOM, CRLF, quoted fields with commas and quotes, padding. */
	ds = mem("\xef\xbb\xbf" "a,b\r\n 1.5 ,\"x, \"\"y\"\"\"\r\n2,z\r\n", NULL,
	    &err);
	if (ok(ds != NULL && ds->n_rows == 2, "BOM and CRLF")) {
		ok(strcmp(ds->cols[0].name, "a") == 0 && ds->cols[0].type ==
		    DS_NUM && ds->cols[0].n_num == 2 && ds->cols[0].num[0] == 1.5,
		    "BOM dropped from the first name; padded number parsed");
		ok(ds->cols[1].type == DS_CAT && ds->cols[1].n_cat == 2 &&
		    strcmp(ds->cols[1].cat[0].value, "x, \"y\"") == 0,
		    "quoted field with a comma and quotes");
	}
	dataset_free(ds);
	ok(mem("a,b\n1,2\n3,4,5\n", NULL, &err) == NULL &&
	    strcmp(err.msg, "t.csv:3: 3 fields, the header has 2") == 0,
	    "too many fields: file:line (%s)", err.msg);
	ok(mem("a,b\n1,\"2\n", NULL, &err) == NULL &&
	    strncmp(err.msg, "t.csv:2:", 8) == 0,
	    "unterminated quote: file:line (%s)", err.msg);
	ok(mem("", NULL, &err) == NULL && strstr(err.msg, "no header") != NULL,
	    "empty file: no header (%s)", err.msg);
}

static void
edges(void)
{
	struct wb_err		 err;
	struct dataset		*r, *c;
	struct drift_col	 dc;
	struct drift_result	 res;

	/* an all-missing column is a clear error */
	r = mem("a\n1\n2\n", NULL, &err);
	c = mem("a\nNaN\n\n", NULL, &err);
	ok(drift_col_init(&dc, &r->cols[0], 0, &c->cols[0], 2, 0, &err) ==
	    WB_EINVAL && strstr(err.msg, "no values in the current") != NULL,
	    "all-missing column: %s", err.msg);
	dataset_free(c);

	/* tiny samples: scipy's ks_2samp([1,2],[3]) */
	c = mem("a\n3\n", NULL, &err);
	ok(drift_col_init(&dc, &r->cols[0], 0, &c->cols[0], 0, 0, &err) ==
	    WB_OK, "tiny samples");
	drift_col_test(&dc, DRIFT_KS, NAN, &res, &err);
	is_num(res.statistic, 1.0, 0, 0, "ks 2 vs 1: D = 1");
	is_num(res.p_value, 2.0 / 3.0, 1e-15, 0, "ks 2 vs 1: p = 2/3");
	is_str(drift_method_name(drift_col_default(&dc)), "chisquare",
	    "3 distinct values, small reference: chisquare");
	drift_col_free(&dc);
	dataset_free(c);
	dataset_free(r);

	/* constant column against itself: nothing drifts */
	r = mem("a\n7\n7\n7\n", NULL, &err);
	c = mem("a\n7\n7\n", NULL, &err);
	drift_col_init(&dc, &r->cols[0], 0, &c->cols[0], 0, 0, &err);
	drift_col_test(&dc, DRIFT_PSI, NAN, &res, &err);
	ok(res.statistic == 0 && !res.drifted, "constant: psi 0");
	drift_col_test(&dc, DRIFT_AUTO, NAN, &res, &err);
	ok(res.method == DRIFT_Z && res.p_value == 1.0 && !res.drifted,
	    "constant: z p = 1");
	drift_col_test(&dc, DRIFT_KS, NAN, &res, &err);
	ok(res.statistic == 0 && res.p_value == 1.0, "constant: ks p = 1");
	drift_col_free(&dc);
	dataset_free(c);
	dataset_free(r);

	/* ks on a categorical column is refused */
	r = mem("a\nx\ny\n", NULL, &err);
	c = mem("a\nx\nz\n", NULL, &err);
	drift_col_init(&dc, &r->cols[0], 0, &c->cols[0], 0, 0, &err);
	ok(drift_col_test(&dc, DRIFT_KS, NAN, &res, &err) == WB_EINVAL,
	    "ks on categories refused: %s", err.msg);
	drift_col_test(&dc, DRIFT_CHISQUARE, NAN, &res, &err);
	ok(isinf(res.statistic) && res.p_value == 0 && res.drifted,
	    "a category absent from the reference: chi2 inf, p 0");
	is_int(dc.nk, 3, "new and vanished categories in the union");
	drift_col_free(&dc);
	dataset_free(c);
	dataset_free(r);
}

static void
faults(void)
{
	static const char csvr[] = "x,c\n1,a\n2,b\n3,a\n4,c\n5,a\n6,b\n"
	    "7,a\n8,b\n";
	static const char csvc[] = "x,c\n1.5,a\n2,b\nq,b\n9,z\n";
	long		 i;
	int		 done = 0;

	for (i = 0; i < 400 && !done; i++) {
		struct dataset		*r = NULL, *c = NULL;
		struct drift_col	 dc;
		struct drift_result	 res;
		struct wb_err		 err;
		int			 rc;

		wb_mem_fail_after(i);
		rc = dataset_read_mem(csvr, sizeof csvr - 1, "r", NULL, &r, &err);
		if (rc == WB_OK)
			rc = dataset_read_mem(csvc, sizeof csvc - 1, "c", NULL,
			    &c, &err);
		if (rc == WB_OK)
			rc = drift_col_init(&dc, &r->cols[0], 0, &c->cols[0], 0,
			    1, &err);
		if (rc == WB_OK) {
			rc = drift_col_test(&dc, DRIFT_PSI, NAN, &res, &err);
			if (rc == WB_OK)
				rc = drift_col_test(&dc, DRIFT_CHISQUARE, NAN,
				    &res, &err);
			drift_col_free(&dc);
		}
		wb_mem_fail_after(-1);
		if (rc == WB_OK)
			done = 1;
		else if (rc != WB_ENOMEM)
			break;
		dataset_free(r);
		dataset_free(c);
	}
	ok(done, "every allocation failure returns WB_ENOMEM (%ld points)", i);
}

/* A saved report loads back equal: results, edges, counts, stats. */
static void
roundtrip(void)
{
	char			 ref[1200], cur[1200], dbp[] = "/tmp/td-XXXXXX";
	struct drift_spec	 spec;
	struct drift_report	*r = NULL, *l = NULL;
	struct wb_err		 err;
	struct db		*db = NULL;
	size_t			 i, k;
	int			 fd, same = 1;

	snprintf(ref, sizeof ref, "%s/small_ref.csv", datadir);
	snprintf(cur, sizeof cur, "%s/small_cur.csv", datadir);
	drift_spec_init(&spec);
	if (!ok(drift_report_run(ref, cur, &spec, &r, &err) == WB_OK,
	    "report run"))
		return;
	is_int(r->tested, 6, "6 columns tested");
	is_int(r->drifted, 3, "3 drifted (x, k, color)");
	ok(r->dataset_drift && r->nissues == 0, "share 0.5 is data-set drift");
	if ((fd = mkstemp(dbp)) >= 0)
		close(fd);
	unlink(dbp);
	if (!ok(db_open(dbp, 0, &db, &err) == WB_OK, "open %s", dbp))
		goto out;
	ok(db_drift_save(db, r, "t", "nosuch", &err) == WB_ENOTFOUND &&
	    r->id == 0, "unknown model: nothing saved");
	ok(db_drift_save(db, r, "t", NULL, &err) == WB_OK && r->id == 1,
	    "saved as 1");
	if (!ok(db_drift_load(db, "t", &l, &err) == WB_OK, "load by name"))
		goto out;
	is_int(l->ncols, r->ncols, "same columns");
	for (i = 0; i < r->ncols && i < l->ncols; i++) {
		const struct drift_rcol *a = &r->cols[i], *b = &l->cols[i];

		same &= strcmp(a->name, b->name) == 0 && a->method == b->method &&
		    a->statistic == b->statistic && a->drifted == b->drifted &&
		    (a->p_value == b->p_value || (isnan(a->p_value) &&
		    isnan(b->p_value))) && a->nbins == b->nbins &&
		    (a->edges == NULL) == (b->edges == NULL) &&
		    a->sref.count == b->sref.count &&
		    (a->sref.mean == b->sref.mean || (isnan(a->sref.mean) &&
		    isnan(b->sref.mean))) && a->scur.ntop == b->scur.ntop;
		for (k = 0; same && k < a->nbins; k++)
			same &= a->href[k] == b->href[k] &&
			    a->hcur[k] == b->hcur[k] && (a->edges == NULL ||
			    a->edges[k] == b->edges[k]) && (a->labels == NULL ||
			    strcmp(a->labels[k], b->labels[k]) == 0);
	}
	ok(same, "every value, edge and count reads back exactly");
out:
	drift_report_free(l);
	drift_report_free(r);
	db_close(db);
	unlink(dbp);
	snprintf(ref, sizeof ref, "%s-wal", dbp);
	unlink(ref);
	snprintf(ref, sizeof ref, "%s-shm", dbp);
	unlink(ref);
}

/*
 * A whole report, saved and loaded back, under every allocation failure:
 * each fails with WB_ENOMEM, leaks nothing (ASan) and saves nothing.
 */
static void
report_faults(void)
{
	char			 ref[1200], cur[1200], dbp[] = "/tmp/tdf-XXXXXX";
	struct drift_spec	 spec;
	struct db		*db = NULL;
	struct wb_err		 err;
	long			 i;
	int			 fd, done = 0, bad = 0, saved = 0;

	snprintf(ref, sizeof ref, "%s/small_ref.csv", datadir);
	snprintf(cur, sizeof cur, "%s/small_cur.csv", datadir);
	drift_spec_init(&spec);
	spec.one_thread = 1;	/* the injection counter is not atomic */
	if ((fd = mkstemp(dbp)) >= 0)
		close(fd);
	unlink(dbp);
	if (!ok(db_open(dbp, 0, &db, &err) == WB_OK, "open %s", dbp))
		return;
	for (i = 0; i < 20000 && !done; i++) {
		struct drift_report	*r = NULL, *l = NULL;
		int			 rc;

		wb_mem_fail_after(i);
		rc = drift_report_run(ref, cur, &spec, &r, &err);
		if (rc == WB_OK) {
			rc = db_drift_save(db, r, "f", NULL, &err);
			saved += rc == WB_OK;
		}
		if (rc == WB_OK)
			rc = db_drift_load_id(db, r->id, &l, &err);
		wb_mem_fail_after(-1);
		if (rc == WB_OK)
			done = 1;
		else if (rc != WB_ENOMEM && rc != WB_EDB)
			bad++;
		drift_report_free(r);
		drift_report_free(l);
	}
	ok(done && bad == 0, "report run + save + load: %ld allocation "
	    "failures, each a clean error", i - 1);
	{
		struct drift_row	*rows = NULL;
		size_t			 n = 0;
		int			 rc;

		rc = db_drift_list(db, "f", &rows, &n, &err);
		ok(rc == WB_OK && n == (size_t)saved, "only complete saves "
		    "are in the database (%zu)", n);
		db_drift_rows_free(rows, n);
	}
	db_close(db);
	unlink(dbp);
	snprintf(ref, sizeof ref, "%s-wal", dbp);
	unlink(ref);
	snprintf(ref, sizeof ref, "%s-shm", dbp);
	unlink(ref);
}

/* Whether two reads gave the same data set, bit for bit; why not in why. */
static int
same_ds(const struct dataset *a, const struct dataset *b, char *why,
    size_t wlen)
{
	size_t	i, k;

	if (a->n_rows != b->n_rows || a->n_cols != b->n_cols ||
	    strcmp(a->sha256, b->sha256) != 0) {
		snprintf(why, wlen, "rows %zu/%zu cols %zu/%zu sha %s/%s",
		    a->n_rows, b->n_rows, a->n_cols, b->n_cols, a->sha256,
		    b->sha256);
		return 0;
	}
	for (i = 0; i < a->n_cols; i++) {
		const struct ds_column *x = &a->cols[i], *y = &b->cols[i];

		snprintf(why, wlen, "column %zu", i);
		if (strcmp(x->name, y->name) != 0 || x->type != y->type ||
		    x->n_missing != y->n_missing || x->n_num != y->n_num ||
		    x->n_cat != y->n_cat || x->n_valid != y->n_valid)
			return 0;
		if (x->n_num > 0 &&
		    memcmp(x->num, y->num, x->n_num * sizeof *x->num) != 0)
			return 0;
		for (k = 0; k < x->n_cat; k++)
			if (strcmp(x->cat[k].value, y->cat[k].value) != 0 ||
			    x->cat[k].count != y->cat[k].count)
				return 0;
	}
	return 1;
}

/*
 * Read buf with csvfast (falling back as it does) and with csvread only;
 * both must give the same data set or the same error.  With path, the
 * buffer is written there and read as a file (the mapped path).
 */
static void
both(const char *buf, size_t len, const char *delim, const char *path,
    const char *want_err, const char *what)
{
	const char *const cats[] = { "f", NULL };
	struct ds_opts	 o = { cats, 0, 0, 0, NULL };
	struct wb_err	 e1, e2;
	struct dataset	*a = NULL, *b = NULL;
	char		 why[200] = "";
	int		 r1, r2;

	o.delim = delim != NULL ? *delim : 0;
	if (path != NULL) {
		FILE *fp = fopen(path, "wb");

		if (fp == NULL || fwrite(buf, 1, len, fp) != len) {
			ok(0, "%s: write %s", what, path);
			if (fp != NULL)
				fclose(fp);
			return;
		}
		fclose(fp);
		r1 = dataset_read(path, &o, &a, &e1);
		o.no_fast = 1;
		r2 = dataset_read(path, &o, &b, &e2);
	} else {
		r1 = dataset_read_mem(buf, len, "t.csv", &o, &a, &e1);
		o.no_fast = 1;
		r2 = dataset_read_mem(buf, len, "t.csv", &o, &b, &e2);
	}
	if (r1 != WB_OK || r2 != WB_OK) {
		ok(r1 == r2 && strcmp(e1.msg, e2.msg) == 0, "%s: same error "
		    "(fast: %s | csvread: %s)", what, r1 ? e1.msg : "none",
		    r2 ? e2.msg : "none");
		if (want_err != NULL)
			is_str(r1 != WB_OK ? e1.msg : "", want_err, what);
	} else {
		ok(same_ds(a, b, why, sizeof why), "%s: same data set %s",
		    what, why);
		ok(want_err == NULL, "%s: no error", what);
	}
	dataset_free(a);
	dataset_free(b);
}

/* csvfast's own rows: fields, lengths, numbers and line numbers. */
static void
fast_rows(void)
{
	static const char in[] = "\xef\xbb\xbf" "a, b\r\n\r\n 1.5 ,x\r"
	    "\n  \n\t-2,\n,7e2\n3";
	struct csvfast	 f;
	struct csv_row	 r;
	const char	*want[][2] = { { "a", "b" }, { "1.5", "x" },
	    { "-2", "" }, { "", "7e2" }, { "3", NULL } };
	uint64_t	 lines[] = { 1, 3, 5, 6, 7 };
	size_t		 i, k;
	int		 good = 1;

	csvfast_init(&f, in, sizeof in - 1, ',');
	for (i = 0; i < 5; i++) {
		if (csvfast_next(&f, &r) != CSVF_ROW) {
			good = 0;
			break;
		}
		for (k = 0; k < 2 && want[i][k] != NULL; k++)
			if (r.len[k] != strlen(want[i][k]) ||
			    memcmp(r.f[k], want[i][k], r.len[k]) != 0)
				good = 0;
		if (r.n != k || r.line != lines[i])
			good = 0;
	}
	ok(good, "csvfast: BOM, CRLF, blank lines, trimming, line numbers");
	ok(csvfast_next(&f, &r) == CSVF_EOF, "csvfast: end without newline");
	ok(f.isnum[0] && f.val[0] == 3.0, "csvfast: number converted");
	csvfast_free(&f);

	csvfast_init(&f, "a\n1\n\"2\"\n", 8, ',');
	ok(csvfast_next(&f, &r) == CSVF_ROW && csvfast_next(&f, &r) ==
	    CSVF_ROW && csvfast_next(&f, &r) == CSVF_QUOTE,
	    "csvfast: a quote stops it");
	csvfast_free(&f);
	ok(!csvfast_usable('"') && !csvfast_usable('.') &&
	    csvfast_usable(';') && csvfast_usable('\t'), "csvfast_usable");
}

/* csvfast against csvread on the quirks, in memory and from files. */
static void
fast_vs_csvread(void)
{
	static const struct {
		const char *in, *err, *delim, *what;
	} t[] = {
	    { "a,b\r\n1,2\r\n3,4\r\n", NULL, NULL, "CRLF" },
	    { "\xef\xbb\xbf" "a,b\n1,2\n", NULL, NULL, "BOM" },
	    { "a,\xef\xbb\xbf" "b\n\xef\xbb\xbf" "1,2\n", NULL, NULL,
		"BOM not at the start" },
	    { "a,b\n1,2\n3,\"4\"\n5,6\n", NULL, NULL, "quote mid-file" },
	    { "a,b\n1,2\n\"3\n4\",5\n", NULL, NULL, "quoted newline" },
	    { "a,b\n1,2\n3,4\n\"q", "t.csv:4: unterminated quoted field "
		"(the record starts on line 4)", NULL, "unterminated quote" },
	    { "a,b,c\n1,,3\n,,\n4,5,\n", NULL, NULL, "empty cells" },
	    { "a,b\n1,2\n3,4", NULL, NULL, "no newline at the end" },
	    { "a,b\n1,2\n3,", NULL, NULL, "delimiter at the end" },
	    { "a,b\n1,2\n\n3,4,5\n", "t.csv:4: 3 fields, the header has 2",
		NULL, "ragged row" },
	    { "a,b\r\n1,2\r\n\r\n3,4,5\r\n", "t.csv:4: 3 fields, the header "
		"has 2", NULL, "ragged row, CRLF" },
	    { "a,b\n1,2,3\n\"x\",1\n", "t.csv:2: 3 fields, the header has 2",
		NULL, "ragged row before a quote" },
	    { "a,b\n\"x\ny\",1\n1,2,3\n", "t.csv:4: 3 fields, the header "
		"has 2", NULL, "ragged row after a quoted newline" },
	    { "a,b\n1,2\r3,4\n", NULL, NULL, "lone CR" },
	    { " a , b \n 1 ,\t2\t\n   \n\t\n5,x y \n", NULL, NULL,
		"spaces and tabs" },
	    { "a,b,f\n1e5,-0.0,1\n+3,.5,2\n1.,00012,1\n1234567890123456,1e23,"
		"2\n0.0000000000000000000001,1e-5x,1\nnan,Infinity,1\n-inf,NA,"
		"2.0\n1e,-,+\n", NULL, NULL, "number edges" },
	    { "a,b\nNA,null\nN/A,None\n#N/A,-nan\n", NULL, NULL, "NA words" },
	    { "a\n\n\n", NULL, NULL, "header only" },
	    { "", "t.csv:1: no header row", NULL, "empty" },
	    { "\n \n", "t.csv:1: no header row", NULL, "blank" },
	    { "a;b\n1;2,5\n 3 ;x\n", NULL, ";", "semicolons" },
	    { "a\tb\n 1\t2 \n\t\n", NULL, "\t", "tabs" },
	    { "a b\n1 2\n  3\n", NULL, " ", "spaces as delimiter" },
	    { "a.b\n1.5\n", NULL, ".", "dot delimiter (csvread only)" },
	};
	char	path[64];
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		both(t[i].in, strlen(t[i].in), t[i].delim, NULL, t[i].err,
		    t[i].what);
	both("a\0b,c\n1,2\0\n", 12, NULL, NULL, NULL, "NUL bytes");
	snprintf(path, sizeof path, "test_drift_fast.%ld.csv", (long)getpid());
#define FILE_BOTH(s, what) both(s, strlen(s), NULL, path, NULL, what)
	FILE_BOTH("\xef\xbb\xbf" "a,b\r\n1,2\r\n3,x\r\n4",
	    "file: BOM, CRLF, no newline");
	FILE_BOTH("a,b\n1,2\n3,\"4\"\n", "file: quote");
	FILE_BOTH("a,b\n1,2\n3,4,5\n", "file: ragged row");
	{
		struct dataset	*ds = NULL;
		struct wb_err	 e;
		const char	*m;

		ok(dataset_read(path, NULL, &ds, &e) == WB_EPARSE &&
		    (m = strstr(e.msg, ".csv:3: ")) != NULL &&
		    strcmp(m, ".csv:3: 3 fields, the header has 2") == 0,
		    "file: ragged row names file:3 (%s)", e.msg);
		dataset_free(ds);
	}
	both("", 0, NULL, path, NULL, "file: empty");
	{
		/*
		 * 20 MB: the mapped read hashes and drops pages every 8 MB
		 * (pass 1) and drops them again in pass 2, which column c
		 * needs by turning categorical on the last row.  csvread
		 * reads the whole file its own way; both must agree, sha256
		 * included.
		 */
		struct strbuf	 big = STRBUF_INIT;
		size_t		 row;

		strbuf_adds(&big, "a,b,c\n");
		for (row = 0; big.len < ((size_t)20 << 20); row++)
			strbuf_addf(&big, "%zu.25,%zu,%zu\n", row,
			    row % 97, row % 7);
		strbuf_adds(&big, "1,2,late\n");
		both(big.s, big.len, NULL, path, NULL,
		    "file: 20 MB, pages released in both passes");
		strbuf_free(&big);
	}
	unlink(path);
}

int
main(void)
{
	const char *top = getenv("top_srcdir");

	snprintf(datadir, sizeof datadir, "%s/tests/data/drift",
	    top ? top : "..");
	oracle_cases();
	special_functions();
	sorting();
	reader();
	fast_rows();
	fast_vs_csvread();
	edges();
	faults();
	roundtrip();
	report_faults();
	return tap_done();
}
