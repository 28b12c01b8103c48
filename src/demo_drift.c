/*
 * demo_drift: the drift part of the demo workspace.
 *
 * Writes a reference data set of a loan model's inputs and four weekly
 * "production" batches into dir (deterministic: a fixed xorshift seed),
 * with drift that grows week by week -- applicants get older, incomes
 * rise, a new "online" region appears, mobile takes over -- and saves a
 * report per week under the name "loan-inputs" (weeks 1-2 pass, 3 is
 * borderline, 4 drifts), plus a small "holdout-check" comparison that
 * uses the KS/chi-square defaults and passes.  Times are fixed so that
 * the screens look the same on every run.
 */
#include "config.h"

#include "demo.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "db_drift.h"
#include "drift_report.h"
#include "err.h"

#define DEMO_DRIFT_T0	1793610000000LL	/* 2026-11-02 09:00:00 UTC */
#define WEEK_MS		(7LL * 24 * 3600 * 1000)

struct rng {
	uint64_t s;
};

static double
uni(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return ((double)(r->s >> 11) + 0.5) / 9007199254740992.0;
}

static double
gauss(struct rng *r)
{
	double u = uni(r), v = uni(r);

	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

static const char *
pick(struct rng *r, const char *const *v, const double *p, int n)
{
	double	u = uni(r), acc = 0;
	int	i;

	for (i = 0; i < n - 1; i++) {
		acc += p[i];
		if (u < acc)
			return v[i];
	}
	return v[n - 1];
}

/* One batch; shift 0 is the reference, 1..4 the weeks. */
static int
write_batch(const char *path, int rows, double shift, uint64_t seed,
    struct wb_err *err)
{
	static const char *const region[] = { "north", "south", "east", "west",
	    "online" };
	static const char *const device[] = { "desktop", "mobile" };
	static const char *const job[] = { "employed", "self-employed",
	    "student", "retired" };
	static const double pjob[] = { 0.62, 0.18, 0.08, 0.12 };
	struct rng	 r = { seed };
	double		 preg[5], pdev[2];
	FILE		*fp;
	int		 i;

	/* "online" grows from nothing, taking share from the others. */
	preg[4] = shift >= 3 ? 0.05 * (shift - 2) : 0;
	preg[0] = 0.3 - preg[4] / 2;
	preg[1] = 0.25 - preg[4] / 2;
	preg[2] = 0.25;
	preg[3] = 0.2;
	pdev[1] = 0.45 + 0.06 * shift;
	pdev[0] = 1 - pdev[1];
	if ((fp = fopen(path, "w")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: cannot write", path);
	fprintf(fp, "age,income,credit_score,loan_amount,term_months,region,"
	    "device,employment\n");
	for (i = 0; i < rows; i++) {
		double age = 40 + (shift > 1 ? 1.5 * (shift - 1) * (shift - 1) :
		    0) + 11 * gauss(&r);
		double inc = exp(10.8 + 0.04 * (shift > 2 ? shift - 2 : 0) * 3 +
		    0.45 * gauss(&r));
		double score = 680 + 55 * gauss(&r);
		double loan = 2000 + 38000 * uni(&r);
		int term = 12 * (1 + (int)(uni(&r) * 5));

		if (age < 18)
			age = 18;
		/* A few empty cells, as real exports have. */
		if (i % 97 == 13)
			fprintf(fp, ",");
		else
			fprintf(fp, "%.0f,", age);
		if (i % 131 == 7)
			fprintf(fp, "NaN,");
		else
			fprintf(fp, "%.2f,", inc);
		fprintf(fp, "%.0f,%.2f,%d,%s,%s,%s\n", score, loan, term,
		    pick(&r, region, preg, 5), pick(&r, device, pdev, 2),
		    pick(&r, job, pjob, 4));
	}
	if (fclose(fp) != 0)
		return wb_err_set(err, WB_EIO, "%s: cannot write", path);
	return WB_OK;
}

static int
compare(struct db *db, const char *ref, const char *cur, const char *name,
    int64_t at, struct wb_err *err)
{
	struct drift_spec	 spec;
	struct drift_report	*r;
	int			 rc;

	drift_spec_init(&spec);
	if ((rc = drift_report_run(ref, cur, &spec, &r, err)) != WB_OK)
		return rc;
	r->created_at = at;
	rc = db_drift_save(db, r, name, NULL, err);
	drift_report_free(r);
	return rc;
}

int
demo_drift(struct db *db, const char *dir, struct wb_err *err)
{
	char	ref[4096], cur[4096], hold[4096], holdc[4096];
	int	week, rc;

	if ((rc = wb_path_fmt(ref, sizeof ref, err, "%s/loan_reference.csv",
	    dir)) != WB_OK ||
	    (rc = write_batch(ref, 3000, 0, 0x5eed0001ULL, err)) != WB_OK)
		return rc;
	for (week = 1; week <= 4; week++) {
		if ((rc = wb_path_fmt(cur, sizeof cur, err,
		    "%s/loan_week%d.csv", dir, week)) != WB_OK ||
		    (rc = write_batch(cur, 1200, week, 0x5eed0010ULL + week,
		    err)) != WB_OK ||
		    (rc = compare(db, ref, cur, "loan-inputs", DEMO_DRIFT_T0 +
		    (week - 1) * WEEK_MS, err)) != WB_OK)
			return rc;
	}
	if ((rc = wb_path_fmt(hold, sizeof hold, err,
	    "%s/loan_train_sample.csv", dir)) != WB_OK ||
	    (rc = wb_path_fmt(holdc, sizeof holdc, err, "%s/loan_holdout.csv",
	    dir)) != WB_OK ||
	    (rc = write_batch(hold, 800, 0, 0x5eed0100ULL, err)) != WB_OK ||
	    (rc = write_batch(holdc, 600, 0, 0x5eed0101ULL, err)) != WB_OK)
		return rc;
	return compare(db, hold, holdc, "holdout-check", DEMO_DRIFT_T0 -
	    WEEK_MS / 7, err);
}
