/*
 * drift: preparing a column pair and running the tests (see drift.h).
 *
 * Numbers are sorted once with an LSD radix sort on their IEEE bits
 * (no qsort on doubles: 1M values sort in a few ms), and the sorted
 * arrays serve KS, Wasserstein, the distinct-value counts, quartiles and
 * binning.  Categories are merged from both sides' sorted lists.  The
 * distances over bins follow Evidently's get_binned_data(): Sturges bins
 * over the combined data when the reference has more than 20 distinct
 * numbers, else one bin per value; PSI and KL fill empty bins with
 * (smallest non-zero share) / 1e6, or 1e-4 when that share is above 1e-4.
 * Sums run in long double so that results match numpy's pairwise sums.
 */
#include "config.h"

#include "drift.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "err.h"
#include "mem.h"
#include "text.h"

static const struct {
	const char	*name;
	int		 has_p;
	double		 thr;
} methods[] = {
#define DRIFT_M_TAB(e, name, pv, thr) { name, pv, thr },
	DRIFT_METHODS(DRIFT_M_TAB)
#undef DRIFT_M_TAB
};

const char *
drift_method_name(enum drift_method m)
{
	if (m < 0 || m >= DRIFT_NMETHODS)
		return "auto";
	return methods[m].name;
}

int
drift_method_parse(const char *s, enum drift_method *m)
{
	int	i;

	for (i = 0; i < DRIFT_NMETHODS; i++)
		if (strcmp(s, methods[i].name) == 0) {
			*m = (enum drift_method)i;
			return 0;
		}
	if (strcmp(s, "js") == 0) {
		*m = DRIFT_JS;
		return 0;
	}
	if (strcmp(s, "auto") == 0) {
		*m = DRIFT_AUTO;
		return 0;
	}
	return -1;
}

int
drift_method_has_p(enum drift_method m)
{
	return m >= 0 && m < DRIFT_NMETHODS && methods[m].has_p;
}

double
drift_default_threshold(enum drift_method m)
{
	return m >= 0 && m < DRIFT_NMETHODS ? methods[m].thr : NAN;
}

/* ---- sorting ---- */

static double
dunkey(uint64_t u)
{
	double d;

	u = (u & 0x8000000000000000ULL) ? u & ~0x8000000000000000ULL : ~u;
	memcpy(&d, &u, sizeof d);
	return d;
}

/*
 * LSD radix passes over bits [lo, 64) of the keys in a (scratch b).  With
 * tokey, a holds the doubles' bits and is turned into keys in the
 * counting pass, which saves a pass over the data.
 */
static uint64_t *
radix_passes(uint64_t *a, uint64_t *b, size_t n, int lo, int bits,
    int tokey)
{
	/* On the stack (192 kB): columns are sorted on two threads. */
	size_t		 cnt[6][1 << 12];
	int		 npass = (64 - lo + bits - 1) / bits, p;
	size_t		 nb = (size_t)1 << bits, i, j;
	uint64_t	 mask = nb - 1, *t;

	memset(cnt, 0, sizeof cnt);
	for (i = 0; i < n; i++) {
		uint64_t k = a[i];

		/* Without a branch: the signs of real data are random. */
		if (tokey)
			a[i] = k ^= (0 - (k >> 63)) | 0x8000000000000000ULL;
		for (p = 0; p < npass; p++)
			cnt[p][(k >> (lo + p * bits)) & mask]++;
	}
	for (p = 0; p < npass; p++) {
		size_t	sum = 0;
		int	shift = lo + p * bits;

		/* A digit every key shares needs no pass. */
		if (cnt[p][(a[0] >> shift) & mask] == n)
			continue;
		for (j = 0; j < nb; j++) {
			size_t c = cnt[p][j];

			cnt[p][j] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			b[cnt[p][(a[i] >> shift) & mask]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	return a;
}

void
drift_sort(double *v, size_t n, double *tmp)
{
	uint64_t	*a = (uint64_t *)(void *)v, *b = (uint64_t *)(void *)tmp;
	uint64_t	*r;
	size_t		 i, j, moves = 0;

	if (n < 2)
		return;
	/*
	 * radix_passes makes the keys while it counts: negative doubles have
	 * all their bits flipped, positive ones their sign bit.  Sort on the top 48 bits only (4 passes of 12 bits instead of 6 of
	 * 11), then finish with an insertion pass: keys equal in their top 48
	 * bits are rare in real data, so that pass moves little.  If it
	 * moves a lot (values a few ulps apart), sort on all the bits.
	 */
	r = radix_passes(a, b, n, 16, 12, 1);
	for (i = 1; i < n && moves <= 4 * n; i++) {
		uint64_t k = r[i];

		for (j = i; j > 0 && r[j - 1] > k; j--, moves++)
			r[j] = r[j - 1];
		r[j] = k;
	}
	if (moves > 4 * n)
		r = radix_passes(r, r == a ? b : a, n, 0, 11, 0);
	if (r != a)
		memcpy(a, r, n * sizeof *a);
	for (i = 0; i < n; i++)
		v[i] = dunkey(a[i]);
}

/* ---- plain statistics ---- */

double
drift_std(const double *x, size_t n)
{
	long double	s = 0, mean, d;
	size_t		i;

	if (n == 0)
		return NAN;
	for (i = 0; i < n; i++)
		s += x[i];
	mean = s / (long double)n;
	for (s = 0, i = 0; i < n; i++) {
		d = x[i] - mean;
		s += d * d;
	}
	return (double)sqrtl(s / (long double)n);
}

double
drift_wasserstein(const double *x, size_t n1, const double *y, size_t n2)
{
	long double	sum = 0;
	size_t		i = 0, j = 0;
	double		v, next;

	if (n1 == 0 || n2 == 0)
		return NAN;
	v = x[0] < y[0] ? x[0] : y[0];
	for (;;) {
		while (i < n1 && x[i] <= v)
			i++;
		while (j < n2 && y[j] <= v)
			j++;
		if (i >= n1 && j >= n2)
			break;
		if (j >= n2 || (i < n1 && x[i] < y[j]))
			next = x[i];
		else
			next = y[j];
		sum += fabs((double)i / (double)n1 - (double)j / (double)n2) *
		    (next - v);
		v = next;
	}
	return (double)sum;
}

/* ---- special functions ---- */

double
drift_igamc(double a, double x)
{
	long double	la = a, lx = x, pre, sum, term, an, b, c, d, h, del;
	int		i;

	if (isnan(a) || isnan(x))
		return NAN;
	if (x <= 0)
		return 1.0;
	if (isinf(x))
		return 0.0;
	pre = expl(la * logl(lx) - lx - lgammal(la));
	if (x < a + 1) {
		/* series for P, Q = 1 - P */
		sum = term = 1.0L / la;
		for (i = 1; i < 100000; i++) {
			term *= lx / (la + i);
			sum += term;
			if (fabsl(term) < fabsl(sum) * 1e-21L)
				break;
		}
		return (double)(1.0L - sum * pre);
	}
	/* continued fraction for Q (modified Lentz) */
	b = lx + 1.0L - la;
	c = 1.0L / 1e-300L;
	d = 1.0L / b;
	h = d;
	for (i = 1; i < 100000; i++) {
		an = -(long double)i * ((long double)i - la);
		b += 2.0L;
		d = an * d + b;
		if (fabsl(d) < 1e-300L)
			d = 1e-300L;
		c = b + an / c;
		if (fabsl(c) < 1e-300L)
			c = 1e-300L;
		d = 1.0L / d;
		del = d * c;
		h *= del;
		if (fabsl(del - 1.0L) < 1e-21L)
			break;
	}
	return (double)(pre * h);
}

/* ---- bins ---- */

size_t
drift_sturges(double lo, double hi, size_t n, double **out)
{
	double	first = lo, last = hi, ptp = hi - lo, width, step, *e, q;
	double	sturges = log2((double)(n ? n : 1)) + 1.0;
	size_t	nb, i;

	if (first == last) {
		first -= 0.5;
		last += 0.5;
	}
	/*
	 * numpy's count, (last - first) / (ptp / sturges), which is sturges
	 * itself up to rounding, unless the range overflows a double
	 * (-1.7e308 to 1.7e308: inf / inf) or the width underflows to a
	 * subnormal: then the count is sturges, never a NaN cast to size_t.
	 */
	width = ptp / sturges;
	q = width != 0 ? ceil((last - first) / width) : 1;
	if (!isfinite(q) || q < 1 || q > 2 * ceil(sturges) + 1)
		q = width != 0 ? ceil(sturges) : 1;
	nb = (size_t)q;
	if ((e = wb_malloc((nb + 1) * sizeof *e)) == NULL)
		return 0;
	/* last/nb - first/nb: (last - first) / nb may overflow. */
	step = isfinite(last - first) ? (last - first) / (double)nb :
	    last / (double)nb - first / (double)nb;
	for (i = 0; i <= nb; i++)
		e[i] = (double)i * step + first;
	e[nb] = last;
	*out = e;
	return nb;
}

/*
 * The bin of x (searchsorted semantics: [e_k, e_k+1), the last closed).
 * The guess may be NaN (an infinite range gives inv 0, x - first may
 * overflow): then the loops find the bin from 0.
 */
static inline size_t
bin_of(double x, double first, double inv, const double *edges, size_t nb)
{
	double	f = (x - first) * inv;
	size_t	k = !(f > 0) ? 0 : f >= (double)nb ? nb - 1 : (size_t)f;

	while (k > 0 && x < edges[k])
		k--;
	while (k + 1 < nb && x >= edges[k + 1])
		k++;
	return k;
}

void
drift_bin(const double *v, size_t n, const double *edges, size_t nb,
    double *counts)
{
	double		first = edges[0], last = edges[nb];
	double		inv = (double)nb / (edges[nb] - edges[0]);
	uint32_t	c4[4][64];
	size_t		i, k;

	for (k = 0; k < nb; k++)
		counts[k] = 0;
	if (nb > 64 || n >= UINT32_MAX) {
		for (i = 0; i < n; i++)
			if (v[i] >= first && v[i] <= last)
				counts[bin_of(v[i], first, inv, edges, nb)]++;
		return;
	}
	/*
	 * Four integer tallies: neighbouring values often fall in the same
	 * bin, and one counter would make every increment wait for the last.
	 */
	memset(c4, 0, sizeof c4);
	for (i = 0; i + 4 <= n; i += 4) {
		int j;

		for (j = 0; j < 4; j++) {
			double x = v[i + (size_t)j];

			if (x >= first && x <= last)
				c4[j][bin_of(x, first, inv, edges, nb)]++;
		}
	}
	for (; i < n; i++)
		if (v[i] >= first && v[i] <= last)
			c4[0][bin_of(v[i], first, inv, edges, nb)]++;
	for (k = 0; k < nb; k++)
		counts[k] = (double)c4[0][k] + c4[1][k] + c4[2][k] + c4[3][k];
}

static double
vsum(const double *v, size_t k)
{
	long double	s = 0;
	size_t		i;

	for (i = 0; i < k; i++)
		s += v[i];
	return (double)s;
}

/* Evidently's fill of empty bins, on shares of one side. */
static void
fill_zeroes(double *s, size_t k)
{
	double	m = INFINITY;
	size_t	i;

	for (i = 0; i < k; i++)
		if (s[i] != 0 && s[i] < m)
			m = s[i];
	if (isinf(m))
		return;
	for (i = 0; i < k; i++)
		if (s[i] == 0)
			s[i] = m <= 1e-4 ? m / 1e6 : 1e-4;
}

/* shares = counts / total (get_binned_data divides by len). */
static double *
shares(const double *c, size_t k, int fill)
{
	double	*s = wb_malloc((k ? k : 1) * sizeof *s), n = vsum(c, k);
	size_t	 i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < k; i++)
		s[i] = c[i] / n;
	if (fill)
		fill_zeroes(s, k);
	return s;
}

double
drift_psi(const double *rc, const double *cc, size_t k)
{
	double		*r = shares(rc, k, 1), *c = shares(cc, k, 1);
	long double	 s = 0;
	size_t		 i;

	if (r == NULL || c == NULL) {
		wb_free(r);
		wb_free(c);
		return NAN;
	}
	for (i = 0; i < k; i++)
		s += (r[i] - c[i]) * log(r[i] / c[i]);
	wb_free(r);
	wb_free(c);
	return (double)s;
}

static double
rel_entr(double x, double y)
{
	if (x > 0 && y > 0)
		return x * log(x / y);
	if (x == 0 && y >= 0)
		return 0;
	return INFINITY;
}

double
drift_kl(const double *rc, const double *cc, size_t k)
{
	double		*r = shares(rc, k, 1), *c = shares(cc, k, 1), sr, sc;
	long double	 s = 0;
	size_t		 i;

	if (r == NULL || c == NULL) {
		wb_free(r);
		wb_free(c);
		return NAN;
	}
	/* scipy.stats.entropy normalises both vectors first. */
	sr = vsum(r, k);
	sc = vsum(c, k);
	for (i = 0; i < k; i++)
		s += rel_entr(r[i] / sr, c[i] / sc);
	wb_free(r);
	wb_free(c);
	return (double)s;
}

double
drift_js(const double *rc, const double *cc, size_t k)
{
	double		 nr = vsum(rc, k), nc = vsum(cc, k);
	long double	 s = 0;
	size_t		 i;

	for (i = 0; i < k; i++) {
		double p = rc[i] / nr, q = cc[i] / nc, m = (p + q) / 2.0;

		s += rel_entr(p, m);
		s += rel_entr(q, m);
	}
	return sqrt((double)s / 2.0);
}

double
drift_hellinger(const double *rc, const double *cc, size_t k)
{
	double		 nr = vsum(rc, k), nc = vsum(cc, k);
	long double	 s = 0;
	size_t		 i;

	for (i = 0; i < k; i++) {
		double d = sqrt(rc[i] / nr) - sqrt(cc[i] / nc);

		s += d * d;
	}
	return sqrt((double)s) / sqrt(2.0);
}

/* ---- preparing a column pair ---- */

static void
num_stats(const double *v, size_t n, size_t miss, struct drift_stats *s)
{
	long double	sum = 0, d, ss = 0;
	size_t		i;
	double		q[3] = { 0.25, 0.5, 0.75 }, *out[3];

	memset(s, 0, sizeof *s);
	s->count = n;
	s->missing = miss;
	s->mean = s->std = s->min = s->max = NAN;
	s->q25 = s->q50 = s->q75 = NAN;
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		sum += v[i];
	s->mean = (double)(sum / (long double)n);
	for (i = 0; i < n; i++) {
		d = v[i] - sum / (long double)n;
		ss += d * d;
	}
	s->std = n > 1 ? (double)sqrtl(ss / (long double)(n - 1)) : NAN;
	s->min = v[0];
	s->max = v[n - 1];
	out[0] = &s->q25;
	out[1] = &s->q50;
	out[2] = &s->q75;
	for (i = 0; i < 3; i++) {
		double	pos = (double)(n - 1) * q[i], fl = floor(pos);
		size_t	lo = (size_t)fl;

		*out[i] = lo + 1 < n ? v[lo] + (v[lo + 1] - v[lo]) * (pos - fl) :
		    v[lo];
	}
}

static void
cat_stats(char **key, const double *cnt, size_t nk, size_t n, size_t miss,
    struct drift_stats *s)
{
	size_t	i, j;

	memset(s, 0, sizeof *s);
	s->count = n;
	s->missing = miss;
	s->mean = s->std = s->min = s->max = NAN;
	s->q25 = s->q50 = s->q75 = NAN;
	for (i = 0; i < nk; i++) {
		if (cnt[i] == 0)
			continue;
		s->unique++;
		/* insertion into the top list, most frequent first */
		for (j = s->ntop; j > 0 && (double)s->top_count[j - 1] <
		    cnt[i]; j--)
			if (j < DRIFT_TOP) {
				s->top[j] = s->top[j - 1];
				s->top_count[j] = s->top_count[j - 1];
			}
		if (j < DRIFT_TOP) {
			s->top[j] = key[i];
			s->top_count[j] = (size_t)cnt[i];
			if (s->ntop < DRIFT_TOP)
				s->ntop++;
		}
	}
}

struct catv {
	char	*value;
	size_t	 count;
};

static int
catv_cmp(const void *a, const void *b)
{
	return strcmp(((const struct catv *)a)->value,
	    ((const struct catv *)b)->value);
}

/* One side's categories, sorted by byte order (numbers labelled). */
static struct catv *
side_cats(const struct ds_column *c, size_t *nout)
{
	struct catv	*v;
	size_t		 i, n = 0;

	if (c->type == DS_CAT) {
		v = wb_calloc(c->n_cat ? c->n_cat : 1, sizeof *v);
		if (v == NULL)
			return NULL;
		for (i = 0; i < c->n_cat; i++) {
			v[i].value = c->cat[i].value;	/* borrowed */
			v[i].count = c->cat[i].count;
		}
		*nout = c->n_cat;
		return v;
	} else {
		double	*s = wb_malloc((c->n_num + 1) * sizeof *s);
		double	*t = wb_malloc((c->n_num + 1) * sizeof *t);
		char	 buf[32];

		v = wb_calloc(c->n_num + 1, sizeof *v);
		if (s == NULL || t == NULL || v == NULL)
			goto oom;
		memcpy(s, c->num, c->n_num * sizeof *s);
		drift_sort(s, c->n_num, t);
		for (i = 0; i < c->n_num; i++) {
			if (n > 0 && s[i] == s[i - 1]) {
				v[n - 1].count++;
				continue;
			}
			if ((v[n].value = wb_strdup(text_num(buf, s[i]))) ==
			    NULL)
				goto oom;
			v[n++].count = 1;
		}
		wb_free(s);
		wb_free(t);
		qsort(v, n, sizeof *v, catv_cmp);
		*nout = n;
		return v;
oom:
		if (v != NULL)
			for (i = 0; i < n; i++)
				wb_free(v[i].value);
		wb_free(s);
		wb_free(t);
		wb_free(v);
		return NULL;
	}
}

static void
side_cats_free(const struct ds_column *c, struct catv *v, size_t n)
{
	size_t	i;

	if (v != NULL && c->type != DS_CAT)
		for (i = 0; i < n; i++)
			wb_free(v[i].value);
	wb_free(v);
}

static int
keys_grow(struct drift_col *dc, size_t cap)
{
	char	**k = wb_reallocarray(dc->key, cap, sizeof *k);

	if (k == NULL)
		return -1;
	dc->key = k;
	if ((k = (char **)wb_reallocarray(dc->kx, cap, sizeof *dc->kx)) ==
	    NULL)
		return -1;
	dc->kx = (double *)(void *)k;
	if ((k = (char **)wb_reallocarray(dc->ky, cap, sizeof *dc->ky)) ==
	    NULL)
		return -1;
	dc->ky = (double *)(void *)k;
	return 0;
}

static int
add_key(struct drift_col *dc, size_t *cap, const char *s, double cx,
    double cy)
{
	if (dc->nk == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		if (keys_grow(dc, *cap) != 0)
			return -1;
	}
	if ((dc->key[dc->nk] = wb_strdup(s)) == NULL)
		return -1;
	dc->kx[dc->nk] = cx;
	dc->ky[dc->nk] = cy;
	dc->nk++;
	return 0;
}

/* Union of both sides' categories (categorical columns). */
static int
cat_keys(struct drift_col *dc, const struct ds_column *ref,
    const struct ds_column *cur)
{
	struct catv	*a, *b;
	size_t		 na = 0, nb = 0, i = 0, j = 0, cap = 0;
	int		 rc = 0;

	a = side_cats(ref, &na);
	b = side_cats(cur, &nb);
	if (a == NULL || b == NULL) {
		rc = -1;
		goto out;
	}
	dc->nuniq_ref = na;
	while (rc == 0 && (i < na || j < nb)) {
		int c = i >= na ? 1 : j >= nb ? -1 :
		    strcmp(a[i].value, b[j].value);

		if (c < 0) {
			rc = add_key(dc, &cap, a[i].value, (double)a[i].count, 0);
			i++;
		} else if (c > 0) {
			rc = add_key(dc, &cap, b[j].value, 0, (double)b[j].count);
			j++;
		} else {
			rc = add_key(dc, &cap, a[i].value, (double)a[i].count,
			    (double)b[j].count);
			i++;
			j++;
		}
	}
out:
	side_cats_free(ref, a, na);
	side_cats_free(cur, b, nb);
	return rc;
}

/* Distinct numbers of both sorted sides, with counts (numeric columns). */
static int
num_keys(struct drift_col *dc)
{
	size_t	i = 0, j = 0, cap = 0;
	char	buf[32];

	if (dc->key != NULL)
		return 0;
	while (i < dc->nx || j < dc->ny) {
		double	v;
		size_t	ci = 0, cj = 0;

		if (j >= dc->ny || (i < dc->nx && dc->x[i] <= dc->y[j]))
			v = dc->x[i];
		else
			v = dc->y[j];
		while (i < dc->nx && dc->x[i] <= v) {
			i++;
			ci++;
		}
		while (j < dc->ny && dc->y[j] <= v) {
			j++;
			cj++;
		}
		if (add_key(dc, &cap, text_num(buf, v), (double)ci,
		    (double)cj) != 0)
			return -1;
	}
	return 0;
}

static size_t
count_distinct(const double *v, size_t n)
{
	size_t	i, d = n > 0;

	for (i = 1; i < n; i++)
		if (v[i] != v[i - 1])
			d++;
	return d;
}

static int
make_hist(struct drift_col *dc)
{
	struct drift_hist *h = &dc->hist;
	size_t		 i;

	if (dc->numeric && dc->nuniq_ref > 20) {
		double lo = dc->x[0] < dc->y[0] ? dc->x[0] : dc->y[0];
		double hi = dc->x[dc->nx - 1] > dc->y[dc->ny - 1] ?
		    dc->x[dc->nx - 1] : dc->y[dc->ny - 1];

		h->nbins = drift_sturges(lo, hi, dc->nx + dc->ny, &h->edges);
		if (h->nbins == 0)
			return -1;
		h->ref = wb_calloc(h->nbins, sizeof *h->ref);
		h->cur = wb_calloc(h->nbins, sizeof *h->cur);
		if (h->ref == NULL || h->cur == NULL)
			return -1;
		drift_bin(dc->x, dc->nx, h->edges, h->nbins, h->ref);
		drift_bin(dc->y, dc->ny, h->edges, h->nbins, h->cur);
		return 0;
	}
	if (dc->numeric && num_keys(dc) != 0)
		return -1;
	h->nbins = dc->nk;
	h->label = wb_calloc(dc->nk ? dc->nk : 1, sizeof *h->label);
	h->ref = wb_calloc(dc->nk ? dc->nk : 1, sizeof *h->ref);
	h->cur = wb_calloc(dc->nk ? dc->nk : 1, sizeof *h->cur);
	if (h->label == NULL || h->ref == NULL || h->cur == NULL)
		return -1;
	for (i = 0; i < dc->nk; i++) {
		h->label[i] = dc->key[i];	/* borrowed from dc->key */
		h->ref[i] = dc->kx[i];
		h->cur[i] = dc->ky[i];
	}
	return 0;
}

int
drift_col_init(struct drift_col *dc, const struct ds_column *ref,
    size_t ref_missing, const struct ds_column *cur, size_t cur_missing,
    int as_cat, struct wb_err *err)
{
	double	*tmp = NULL;

	memset(dc, 0, sizeof *dc);
	if (ref->n_valid == 0)
		return wb_err_set(err, WB_EINVAL, "column '%s': no values in "
		    "the reference (%zu missing)", ref->name, ref_missing);
	if (cur->n_valid == 0)
		return wb_err_set(err, WB_EINVAL, "column '%s': no values in "
		    "the current data (%zu missing)", cur->name, cur_missing);
	dc->numeric = !as_cat && ref->type == DS_NUM && cur->type == DS_NUM;
	dc->nx = ref->n_valid;
	dc->ny = cur->n_valid;
	dc->miss_x = ref_missing;
	dc->miss_y = cur_missing;
	if (dc->numeric) {
		size_t big = dc->nx > dc->ny ? dc->nx : dc->ny;

		dc->x = wb_malloc(dc->nx * sizeof *dc->x);
		dc->y = wb_malloc(dc->ny * sizeof *dc->y);
		tmp = wb_malloc(big * sizeof *tmp);
		if (dc->x == NULL || dc->y == NULL || tmp == NULL)
			goto oom;
		memcpy(dc->x, ref->num, dc->nx * sizeof *dc->x);
		memcpy(dc->y, cur->num, dc->ny * sizeof *dc->y);
		drift_sort(dc->x, dc->nx, tmp);
		drift_sort(dc->y, dc->ny, tmp);
		wb_free(tmp);
		tmp = NULL;
		dc->nuniq_ref = count_distinct(dc->x, dc->nx);
		num_stats(dc->x, dc->nx, dc->miss_x, &dc->sref);
		num_stats(dc->y, dc->ny, dc->miss_y, &dc->scur);
	} else {
		if (cat_keys(dc, ref, cur) != 0)
			goto oom;
		cat_stats(dc->key, dc->kx, dc->nk, dc->nx, dc->miss_x,
		    &dc->sref);
		cat_stats(dc->key, dc->ky, dc->nk, dc->ny, dc->miss_y,
		    &dc->scur);
	}
	if (make_hist(dc) != 0)
		goto oom;
	return WB_OK;
oom:
	wb_free(tmp);
	drift_col_free(dc);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

void
drift_col_free(struct drift_col *dc)
{
	size_t	i;

	wb_free(dc->x);
	wb_free(dc->y);
	for (i = 0; i < dc->nk; i++)
		wb_free(dc->key[i]);
	wb_free(dc->key);
	wb_free(dc->kx);
	wb_free(dc->ky);
	wb_free(dc->hist.edges);
	wb_free(dc->hist.label);
	wb_free(dc->hist.ref);
	wb_free(dc->hist.cur);
	memset(dc, 0, sizeof *dc);
}

/* Distinct values of both sides together, counting at most up to cap. */
static size_t
nunique_both(const struct drift_col *dc)
{
	size_t	i = 0, j = 0, d = 0;

	if (!dc->numeric)
		return dc->nk;
	while (i < dc->nx || j < dc->ny) {
		double v;

		if (j >= dc->ny || (i < dc->nx && dc->x[i] <= dc->y[j]))
			v = dc->x[i];
		else
			v = dc->y[j];
		while (i < dc->nx && dc->x[i] <= v)
			i++;
		while (j < dc->ny && dc->y[j] <= v)
			j++;
		if (++d > 5)
			break;	/* the choice only asks "more than 5" */
	}
	return d;
}

enum drift_method
drift_col_default(const struct drift_col *dc)
{
	size_t	nb = nunique_both(dc);

	if (dc->nx <= 1000) {
		if (dc->numeric && nb > 5)
			return DRIFT_KS;
		return nb > 2 ? DRIFT_CHISQUARE : DRIFT_Z;
	}
	return dc->numeric && nb > 5 ? DRIFT_WASSERSTEIN : DRIFT_JS;
}

/* The bins of PSI/KL/JS: Sturges counts or per-value counts. */
static int
binned(struct drift_col *dc, const double **rc, const double **cc,
    size_t *k)
{
	if (dc->hist.edges != NULL) {
		*rc = dc->hist.ref;
		*cc = dc->hist.cur;
		*k = dc->hist.nbins;
		return 0;
	}
	if (dc->numeric && num_keys(dc) != 0)
		return -1;
	*rc = dc->kx;
	*cc = dc->ky;
	*k = dc->nk;
	return 0;
}

static void
chisquare(const struct drift_col *dc, double *stat, double *p)
{
	long double	s = 0;
	double		scale = (double)dc->ny / (double)dc->nx;
	size_t		i;

	for (i = 0; i < dc->nk; i++) {
		double e = dc->kx[i] * scale, d = dc->ky[i] - e;

		s += e == 0 ? (d == 0 ? NAN : INFINITY) : d * d / e;
	}
	*stat = (double)s;
	if (dc->nk < 2)
		*p = NAN;
	else if (isinf(*stat))
		*p = 0.0;
	else
		*p = drift_igamc((double)(dc->nk - 1) / 2.0, *stat / 2.0);
}

/* scipy.special.ndtr as cephes writes it. */
static double
ndtr(double a)
{
	double x = a * M_SQRT1_2, z = fabs(x), y;

	if (z < M_SQRT1_2)
		return 0.5 + 0.5 * erf(x);
	y = 0.5 * erfc(z);
	return x > 0 ? 1.0 - y : y;
}

static void
ztest(const struct drift_col *dc, double *stat, double *p)
{
	double	n1 = (double)dc->nx, n2 = (double)dc->ny, p1, p2, P, z;

	if (dc->nk < 2) {
		*stat = 0;
		*p = 1.0;
		return;
	}
	/* indicator: value != first key (the p-value is symmetric) */
	p1 = (n1 - dc->kx[0]) / n1;
	p2 = (n2 - dc->ky[0]) / n2;
	P = (p1 * n1 + p2 * n2) / (n1 + n2);
	z = (p1 - p2) / sqrt(P * (1 - P) * (1 / n1 + 1 / n2));
	*stat = z;
	*p = 2 * (1 - ndtr(fabs(z)));
}

/*
 * 1 if both histograms hold a positive, finite count: then the shares,
 * and every binned distance, are numbers, and a NaN can only mean that
 * the distance's allocation failed.
 */
static int
counted(const double *a, const double *b, size_t k)
{
	double	sa = vsum(a, k), sb = vsum(b, k);

	return sa > 0 && sb > 0 && isfinite(sa) && isfinite(sb);
}

int
drift_col_test(struct drift_col *dc, enum drift_method m, double thr,
    struct drift_result *res, struct wb_err *err)
{
	const double	*rc, *cc;
	double		 stat = NAN, p = NAN, score;
	size_t		 k;
	int		 may_oom = 0;	/* a NaN would mean out of memory */

	if (m == DRIFT_AUTO)
		m = drift_col_default(dc);
	if (isnan(thr))
		thr = drift_default_threshold(m);
	if ((m == DRIFT_KS || m == DRIFT_WASSERSTEIN) && !dc->numeric)
		return wb_err_set(err, WB_EINVAL, "%s needs a numeric column",
		    drift_method_name(m));
	if ((m == DRIFT_CHISQUARE || m == DRIFT_Z) && dc->numeric &&
	    num_keys(dc) != 0)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if (m == DRIFT_Z && dc->nk > 2)
		return wb_err_set(err, WB_EINVAL, "z needs at most 2 distinct "
		    "values (this column has %zu)", dc->nk);
	switch (m) {
	case DRIFT_KS:
		drift_ks(dc->x, dc->nx, dc->y, dc->ny, &stat, &p);
		may_oom = 1;	/* defined for any finite samples */
		break;
	case DRIFT_CHISQUARE:
		chisquare(dc, &stat, &p);
		if (isnan(p))
			p = 1.0;	/* one category: nothing can differ */
		break;
	case DRIFT_Z:
		ztest(dc, &stat, &p);
		break;
	case DRIFT_WASSERSTEIN:
		stat = drift_wasserstein(dc->x, dc->nx, dc->y, dc->ny) /
		    fmax(drift_std(dc->x, dc->nx), 0.001);
		break;
	default:
		if (binned(dc, &rc, &cc, &k) != 0)
			return wb_err_set(err, WB_ENOMEM, "out of memory");
		if (m == DRIFT_HELLINGER && dc->numeric &&
		    dc->hist.edges == NULL) {
			/* Evidently's Hellinger always bins numbers (Sturges) */
			double	*e, *hr, *hc;
			size_t	 nb = drift_sturges(fmin(dc->x[0], dc->y[0]),
			    fmax(dc->x[dc->nx - 1], dc->y[dc->ny - 1]),
			    dc->nx + dc->ny, &e);

			hr = wb_calloc(nb + 1, sizeof *hr);
			hc = wb_calloc(nb + 1, sizeof *hc);
			if (nb == 0 || hr == NULL || hc == NULL) {
				if (nb)
					wb_free(e);
				wb_free(hr);
				wb_free(hc);
				return wb_err_set(err, WB_ENOMEM, "out of memory");
			}
			drift_bin(dc->x, dc->nx, e, nb, hr);
			drift_bin(dc->y, dc->ny, e, nb, hc);
			stat = drift_hellinger(hr, hc, nb);
			may_oom = counted(hr, hc, nb);
			wb_free(e);
			wb_free(hr);
			wb_free(hc);
			break;
		}
		stat = m == DRIFT_PSI ? drift_psi(rc, cc, k) :
		    m == DRIFT_KL_DIV ? drift_kl(rc, cc, k) :
		    m == DRIFT_JS ? drift_js(rc, cc, k) :
		    drift_hellinger(rc, cc, k);
		may_oom = counted(rc, cc, k);
		break;
	}
	if ((isnan(stat) || (drift_method_has_p(m) && isnan(p))) && may_oom)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if (isnan(stat) || (drift_method_has_p(m) && isnan(p)))
		return wb_err_set(err, WB_EINVAL, "%s gives no number for "
		    "this column (its values span more than a double can "
		    "hold, or leave every bin empty); choose another method",
		    drift_method_name(m));
	res->method = m;
	res->statistic = stat;
	res->p_value = drift_method_has_p(m) ? p : NAN;
	res->threshold = thr;
	if (drift_method_has_p(m)) {
		/* Evidently: KS drifts at p <= threshold, the others at < */
		res->drifted = m == DRIFT_KS ? p <= thr : p < thr;
		score = thr / fmax(p, 1e-300);
	} else {
		res->drifted = stat >= thr;
		score = thr > 0 ? stat / thr : stat;
	}
	res->severity = score;
	return WB_OK;
}
