/*
 * drift_ks: the two-sample Kolmogorov-Smirnov test as scipy 1.10's
 * ks_2samp(method="auto") computes it, so that p-values agree to ~1e-12.
 *
 * - statistic: the largest gap between the two empirical CDFs, evaluated
 *   at every observed value (searchsorted side="right");
 * - exact p-value when max(n1, n2) <= 10,000: the lattice-path counts of
 *   Hodges (n1 == n2: alternating series; otherwise Viehmann's "inside"
 *   recursion that computes 1 - p directly), with D rounded to h/lcm;
 * - otherwise kstwo.sf(D, round(n1 n2 / (n1 + n2))), the one-sample
 *   two-sided distribution of Simard and L'Ecuyer's selection: exact
 *   Smirnov sums, the Durbin matrix (Marsaglia-Tsang-Wang) or Pelz-Good.
 * Long double is used where scipy's own code relies on cancellation-free
 * sums of many terms (the Smirnov series), so that results match its.
 */
#include "config.h"

#include "drift.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

#define KS_MAX_AUTO_N 10000

/* Pr(D_{n,n} >= h/n), alternating series in Horner form (scipy). */
static double
ks_square(long n, long h)
{
	double	p = 0.0, p1;
	long	k, j;

	for (k = n / h; k >= 0; k--) {
		p1 = 1.0;
		for (j = 0; j < h; j++)
			p1 = (double)(n - k * h - j) * p1 /
			    (double)(n + k * h + j + 1);
		p = p1 * (1.0 - p);
	}
	return 2 * p;
}

/* 1 - proportion of lattice paths strictly inside |x/m - y/n| < h/lcm. */
static double
ks_inside(long m, long n, long g, long h, int *fail)
{
	double	*a, val;
	long	 mg, ng, minj, maxj, curlen, lena, i, jj, lastminj, lastlen;

	if (m < n) {
		long t = m; m = n; n = t;
	}
	mg = m / g;
	ng = n / g;
	minj = 0;
	maxj = (long)ceil((double)h / (double)mg);
	if (maxj > n + 1)
		maxj = n + 1;
	curlen = maxj - minj;
	lena = 2 * maxj + 2 < n + 1 ? 2 * maxj + 2 : n + 1;
	if ((a = wb_malloc((size_t)lena * sizeof *a)) == NULL) {
		*fail = 1;
		return NAN;
	}
	for (i = 0; i < lena; i++)
		a[i] = 1.0;
	for (i = minj; i < maxj; i++)
		a[i] = 0.0;
	for (i = 1; i <= m; i++) {
		lastminj = minj;
		lastlen = curlen;
		/* numpy floor/ceil of a true division, as scipy writes it */
		minj = (long)floor((double)(ng * i - h) / (double)mg) + 1;
		if (minj < 0)
			minj = 0;
		if (minj > n)
			minj = n;
		maxj = (long)ceil((double)(ng * i + h) / (double)mg);
		if (maxj > n + 1)
			maxj = n + 1;
		if (maxj <= minj) {
			wb_free(a);
			return 1.0;
		}
		val = minj == 0 ? 0.0 : 1.0;
		for (jj = 0; jj < maxj - minj; jj++) {
			long j = jj + minj;

			val = (a[jj + minj - lastminj] * (double)i +
			    val * (double)j) / (double)(i + j);
			a[jj] = val;
		}
		curlen = maxj - minj;
		if (lastlen > curlen)
			for (jj = maxj - minj; jj < maxj - minj +
			    (lastlen - curlen) && jj < lena; jj++)
				a[jj] = 1.0;
	}
	val = a[maxj - minj - 1];
	wb_free(a);
	return val;
}

static long
gcd(long a, long b)
{
	while (b != 0) {
		long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

void
drift_ks(const double *x, size_t n1, const double *y, size_t n2, double *dp,
    double *pp)
{
	size_t	i = 0, j = 0;
	double	dmin = 0.0, dmax = 0.0, d, p = NAN, en, m, n;
	int	exact;

	/* Walk the distinct values of both samples in order. */
	while (i < n1 || j < n2) {
		double v, diff;

		if (j >= n2 || (i < n1 && x[i] <= y[j]))
			v = x[i];
		else
			v = y[j];
		while (i < n1 && x[i] <= v)
			i++;
		while (j < n2 && y[j] <= v)
			j++;
		diff = (double)i / (double)n1 - (double)j / (double)n2;
		if (diff > dmax)
			dmax = diff;
		if (diff < dmin)
			dmin = diff;
	}
	dmin = -dmin;
	if (dmin > 1)
		dmin = 1;
	d = dmin > dmax ? dmin : dmax;
	exact = (n1 > n2 ? n1 : n2) <= KS_MAX_AUTO_N;
	if (exact) {
		long	g = gcd((long)n1, (long)n2);
		long	lcm = (long)(n1 / (size_t)g) * (long)n2;
		long	h = (long)nearbyint(d * (double)lcm);
		int	fail = 0;

		d = (double)h / (double)lcm;
		if (h == 0)
			p = 1.0;
		else if (n1 == n2)
			p = ks_square((long)n1, h);
		else
			p = ks_inside((long)n1, (long)n2, g, h, &fail);
		if (fail || !(p >= 0 && p <= 1))
			exact = 0;
	}
	if (!exact) {
		m = (double)(n1 > n2 ? n1 : n2);
		n = (double)(n1 > n2 ? n2 : n1);
		en = m * n / (m + n);
		p = drift_kolmogn_sf((long)nearbyint(en), d);
	}
	if (p < 0)
		p = 0;
	if (p > 1)
		p = 1;
	*dp = d;
	*pp = p;
}

/* ---- scipy.special.smirnov: one-sided exact tail (Birnbaum-Tingey) ---- */

double
drift_smirnov(long n, double x)
{
	/*
	 * Up to n terms all matter (for n = 500,000 and D near the 1%
	 * level some 470,000 lie within e^-40 of the largest), so each term
	 * costs a few double logs: log C(n, j) by a recurrence summed in
	 * long double, log(1 - x - j/n) by log1p, and a streaming
	 * log-sum-exp.  Agrees with scipy's cephes to ~1e-12.
	 */
	long double	lc = 0.0L;
	double		nx = (double)n * x, dn = (double)n, lt, mx = -INFINITY;
	double		s = 0.0, a;
	long		j, last;

	if (!(x > 0))
		return 1.0;
	if (x >= 1)
		return 0.0;
	if (n == 1)
		return 1.0 - x;
	last = (long)floor(dn * (1.0 - x));
	if (last > n)
		last = n;
	for (j = 0; j <= last; j++) {
		if (j > 0)
			lc += (long double)log((double)(n - j + 1) / (double)j);
		a = 1.0 - ((double)j + nx) / dn;
		if (a <= 0)
			break;	/* (1 - x - j/n)^(n-j) = 0 */
		lt = (double)lc + (double)(n - j) * log1p(-((double)j + nx) /
		    dn) + (double)(j - 1) * log(((double)j + nx) / dn);
		if (lt > mx) {
			s = s * exp(mx - lt) + 1.0;
			mx = lt;
		} else if (lt > mx - 60)
			s += exp(lt - mx);
	}
	if (isinf(mx))
		return 0.0;
	return x * exp(mx) * s;
}

/* ---- Durbin matrix, Marsaglia-Tsang-Wang scaling (scipy _kolmogn_DMTW) */

#define E128 128

static void
matmul(const double *a, const double *b, double *c, long m)
{
	long	i, j, k;

	for (i = 0; i < m; i++) {
		for (j = 0; j < m; j++)
			c[i * m + j] = 0.0;
		for (k = 0; k < m; k++) {
			double aik = a[i * m + k];

			if (aik == 0.0)
				continue;
			for (j = 0; j < m; j++)
				c[i * m + j] += aik * b[k * m + j];
		}
	}
}

/* CDF Pr(D_n <= d); NaN when out of memory. */
static double
kolmogn_dmtw(long n, double d)
{
	double	 nd = (double)n * d, h, fac, tt, p, *H, *P, *T, *v, *w;
	double	 ep128 = ldexp(1.0, E128), em128 = ldexp(1.0, -E128);
	long	 k, m, i, j, nn, expnt = 0, hexpnt = 0;

	if (d >= 1.0)
		return 1.0;
	if (nd <= 0.5)
		return 0.0;
	k = (long)ceil(nd);
	h = (double)k - nd;
	m = 2 * k - 1;
	H = wb_calloc((size_t)(m * m), sizeof *H);
	P = wb_calloc((size_t)(m * m), sizeof *P);
	T = wb_calloc((size_t)(m * m), sizeof *T);
	v = wb_calloc((size_t)m, sizeof *v);
	w = wb_calloc((size_t)m, sizeof *w);
	if (H == NULL || P == NULL || T == NULL || v == NULL || w == NULL) {
		p = NAN;
		goto out;
	}
	fac = 1.0;
	for (j = 1; j <= m; j++) {
		v[j - 1] = 1.0 - pow(h, (double)j);
		w[j - 1] = fac;
		fac /= (double)j;
		v[j - 1] *= fac;
	}
	tt = pow(fmax(2 * h - 1.0, 0), (double)m) - 2 * pow(h, (double)m);
	v[m - 1] = (1.0 + tt) * fac;
	for (i = 1; i < m; i++)
		for (j = i - 1; j < m; j++)
			H[j * m + i] = w[j - (i - 1)];
	for (j = 0; j < m; j++)
		H[j * m] = v[j];
	for (j = 0; j < m; j++)
		H[(m - 1) * m + j] = v[m - 1 - j];
	for (i = 0; i < m; i++)
		P[i * m + i] = 1.0;
	nn = n;
	while (nn > 0) {
		if (nn % 2) {
			matmul(P, H, T, m);
			memcpy(P, T, (size_t)(m * m) * sizeof *P);
			expnt += hexpnt;
		}
		matmul(H, H, T, m);
		memcpy(H, T, (size_t)(m * m) * sizeof *H);
		hexpnt *= 2;
		if (fabs(H[(k - 1) * m + (k - 1)]) > ep128) {
			for (i = 0; i < m * m; i++)
				H[i] /= ep128;
			hexpnt += E128;
		}
		nn /= 2;
	}
	p = P[(k - 1) * m + (k - 1)];
	for (i = 1; i <= n; i++) {
		p = (double)i * p / (double)n;
		if (fabs(p) < em128) {
			p *= ep128;
			expnt -= E128;
		}
	}
	if (expnt != 0)
		p = ldexp(p, (int)expnt);
out:
	wb_free(H);
	wb_free(P);
	wb_free(T);
	wb_free(v);
	wb_free(w);
	return p;
}

/* ---- Pelz-Good asymptotic CDF (scipy _kolmogn_PelzGood) ---- */

static double
kolmogn_pelzgood(long n, double x)
{
	const double	pi2 = M_PI * M_PI, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
	const double	sqrt2pi = sqrt(2 * M_PI);
	double		z, z2, z3, z4, z6, qlog, q, k1a, k1b, k2a, k2b, k2c;
	double		k3a, k3b, k3c, k3d, K[4] = { 0, 0, 0, 0 }, div[4];
	double		k2extra = 0, k3extra = 0, sqrt3z, sum;
	long		k, maxk;
	int		i;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	z = sqrt((double)n) * x;
	z2 = z * z;
	z3 = z2 * z;
	z4 = z2 * z2;
	z6 = z4 * z2;
	qlog = -pi2 / 8 / z2;
	if (qlog < -708)
		return 0.0;
	q = exp(qlog);
	k1a = -z2;
	k1b = pi2 / 4;
	k2a = 6 * z6 + 2 * z4;
	k2b = (2 * z4 - 5 * z2) * pi2 / 4;
	k2c = pi4 * (1 - 2 * z2) / 16;
	k3d = pi6 * (5 - 30 * z2) / 64;
	k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
	k3b = pi2 * (135 * z4 - 96 * z6) / 4;
	k3a = -30 * z6 - 90 * pow(z, 8);
	maxk = (long)ceil(16 * z / M_PI);
	for (k = maxk; k > 0; k--) {
		double	mm = (double)(2 * k - 1), m2 = mm * mm, m4 = m2 * m2;
		double	m6 = m4 * m2, qp = pow(q, (double)(8 * k));
		double	c[4];

		c[0] = 1.0;
		c[1] = k1a + k1b * m2;
		c[2] = k2a + k2b * m2 + k2c * m4;
		c[3] = k3a + k3b * m2 + k3c * m4 + k3d * m6;
		for (i = 0; i < 4; i++)
			K[i] = K[i] * qp + c[i];
	}
	div[0] = z;
	div[1] = 6 * z4;
	div[2] = 72 * pow(z, 7);
	div[3] = 6480 * pow(z, 10);
	for (i = 0; i < 4; i++)
		K[i] = K[i] * q * sqrt2pi / div[i];
	q = exp(-pi2 / 2 / z2);
	sqrt3z = sqrt(3.0) * z;
	for (k = maxk; k > 0; k--) {
		double	ks = (double)k * (double)k, kspi = M_PI * (double)k;
		double	qp = pow(q, ks);

		k2extra += ks * qp;
		k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks * qp;
	}
	K[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
	K[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
	sum = 0;
	for (i = 0; i < 4; i++)
		sum += K[i] / pow((double)n, (double)i / 2.0);
	return sum;
}

static double
clip01(double p)
{
	return p < 0 ? 0 : p > 1 ? 1 : p;
}

static double
log_nfact_div_npown(long n)
{
	static const double c[] = {
		-2.955065359477124183e-2, 6.4102564102564102564e-3,
		-1.9175269175269175269e-3, 8.4175084175084175084e-4,
		-5.952380952380952381e-4, 7.9365079365079365079e-4,
		-2.7777777777777777778e-3, 8.3333333333333333333e-2
	};
	double	rn = 1.0 / (double)n, t = rn / (double)n, poly = 0;
	size_t	i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++)
		poly = poly * t + c[i];
	return log((double)n) / 2 - (double)n + log(2 * M_PI) / 2 + rn * poly;
}

/* Simard and L'Ecuyer's choice, as scipy's _kolmogn(n, x, cdf=False). */
double
drift_kolmogn_sf(long n, double x)
{
	double	t, nx2, cdf;

	if (n <= 0)
		return NAN;
	if (x >= 1.0)
		return 0.0;
	if (x <= 0.0)
		return 1.0;
	t = (double)n * x;
	if (t <= 1.0) {
		double prob;

		if (t <= 0.5)
			return 1.0;
		if (n <= 140) {
			long i;

			prob = 1.0;
			for (i = 1; i <= n; i++)
				prob *= (double)i * (1.0 / (double)n) *
				    (2 * t - 1);
		} else
			prob = exp(log_nfact_div_npown(n) +
			    (double)n * log(2 * t - 1));
		return clip01(1.0 - prob);
	}
	if (t >= (double)(n - 1))
		return clip01(2 * pow(1.0 - x, (double)n));
	if (x >= 0.5)
		return clip01(2 * drift_smirnov(n, x));
	nx2 = t * x;
	if (n <= 140) {
		/* scipy uses Pomeranz for 0.754693 < nx2 <= 4; the Durbin
		 * matrix computes the same exact CDF. */
		if (nx2 <= 4)
			return clip01(1.0 - kolmogn_dmtw(n, x));
		return clip01(2 * drift_smirnov(n, x));
	}
	if (nx2 >= 370.0)
		return 0.0;
	if (nx2 >= 2.2)
		return clip01(2 * drift_smirnov(n, x));
	if (nx2 >= 18.0)
		cdf = 1.0;
	else if (n <= 100000 && (double)n * pow(x, 1.5) <= 1.4)
		cdf = kolmogn_dmtw(n, x);
	else
		cdf = kolmogn_pelzgood(n, x);
	return clip01(1.0 - cdf);
}
