/*
 * bench_drift: times libmlwb's drift building blocks on n vs n normal
 * values (the current one shifted by `shift` standard deviations) and
 * writes the samples to DIR/x.bin, DIR/y.bin (float64) so that
 * bench/drift/run can time scipy on the very same data.
 * usage: bench_drift DIR N SHIFT
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drift.h"

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t s = 88172645463325252ULL;

static double
uni(void)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return ((double)(s >> 11) + 0.5) / 9007199254740992.0;
}

static double
gauss(void)
{
	return sqrt(-2 * log(uni())) * cos(2 * M_PI * uni());
}

static void
save(const char *dir, const char *name, const double *v, size_t n)
{
	char	 p[4096];
	FILE	*fp;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	if ((fp = fopen(p, "wb")) == NULL || fwrite(v, sizeof *v, n, fp) != n ||
	    fclose(fp) != 0) {
		perror(p);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	size_t	 n = argc > 2 ? strtoul(argv[2], NULL, 10) : 1000000, i, nb;
	double	 shift = argc > 3 ? atof(argv[3]) : 0.005;
	double	*x, *y, *xs, *ys, *tmp, *e, *hr, *hc;
	double	 t0, t_sort, t_ks, t_w, t_psi, t_js, d, p, w, lo, hi, psi, js;
	double	 best_ks = 1e9, best_psi = 1e9, best_js = 1e9, best_w = 1e9;
	int	 rep;

	if (argc < 2) {
		fprintf(stderr, "usage: bench_drift DIR [N] [SHIFT]\n");
		return 2;
	}
	x = malloc(n * sizeof *x);
	y = malloc(n * sizeof *y);
	xs = malloc(n * sizeof *xs);
	ys = malloc(n * sizeof *ys);
	tmp = malloc(n * sizeof *tmp);
	for (i = 0; i < n; i++)
		x[i] = gauss();
	for (i = 0; i < n; i++)
		y[i] = gauss() + shift;
	save(argv[1], "x.bin", x, n);
	save(argv[1], "y.bin", y, n);
	for (rep = 0; rep < 5; rep++) {
		/* KS from unsorted data: both sorts, the statistic, p. */
		memcpy(xs, x, n * sizeof *x);
		memcpy(ys, y, n * sizeof *y);
		t0 = now();
		drift_sort(xs, n, tmp);
		drift_sort(ys, n, tmp);
		t_sort = now() - t0;
		drift_ks(xs, n, ys, n, &d, &p);
		t_ks = now() - t0;
		/* Wasserstein on the sorts KS made, normed by std. */
		t0 = now();
		w = drift_wasserstein(xs, n, ys, n) / fmax(drift_std(x, n), 0.001);
		t_w = now() - t0;
		/* PSI and JS from unsorted data: range, Sturges bins, counts. */
		t0 = now();
		lo = hi = x[0];
		/* plain compares (fmin/fmax are calls for NaN's sake), one
		 * array per loop so that the compiler can vectorise them */
		for (i = 0; i < n; i++) {
			lo = x[i] < lo ? x[i] : lo;
			hi = x[i] > hi ? x[i] : hi;
		}
		for (i = 0; i < n; i++) {
			lo = y[i] < lo ? y[i] : lo;
			hi = y[i] > hi ? y[i] : hi;
		}
		nb = drift_sturges(lo, hi, 2 * n, &e);
		hr = calloc(nb, sizeof *hr);
		hc = calloc(nb, sizeof *hc);
		drift_bin(x, n, e, nb, hr);
		drift_bin(y, n, e, nb, hc);
		psi = drift_psi(hr, hc, nb);
		t_psi = now() - t0;
		t0 = now();
		drift_bin(x, n, e, nb, hr);
		drift_bin(y, n, e, nb, hc);
		js = drift_js(hr, hc, nb);
		t_js = now() - t0;
		free(e);
		free(hr);
		free(hc);
		best_ks = fmin(best_ks, t_ks);
		best_w = fmin(best_w, t_w);
		best_psi = fmin(best_psi, t_psi);
		best_js = fmin(best_js, t_js);
		(void)t_sort;
	}
	printf("mlwb ks %.6f ms %.3f stat %.17g p %.17g\n", best_ks * 1e3,
	    best_ks * 1e3, d, p);
	printf("mlwb wasserstein %.6f ms %.3f value %.17g\n", best_w * 1e3,
	    best_w * 1e3, w);
	printf("mlwb psi %.6f ms %.3f value %.17g\n", best_psi * 1e3,
	    best_psi * 1e3, psi);
	printf("mlwb js %.6f ms %.3f value %.17g\n", best_js * 1e3,
	    best_js * 1e3, js);
	free(x);
	free(y);
	free(xs);
	free(ys);
	free(tmp);
	return 0;
}
