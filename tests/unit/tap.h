/*
 * tap.h: a minimal TAP producer for unit tests (redis' test_cond in spirit).
 * ok(cond, fmt, ...) prints "ok N - name" or "not ok N - name" with the
 * file and line; tap_done() prints the plan and returns the exit status.
 */
#ifndef MLWB_TAP_H
#define MLWB_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(a, b, name) do {						\
	long long tap_a = (long long)(a), tap_b = (long long)(b);	\
	if (!ok(tap_a == tap_b, "%s", name))				\
		printf("#   got %lld, expected %lld\n", tap_a, tap_b);	\
} while (0)
#define is_str(a, b, name) do {						\
	const char *tap_a = (a), *tap_b = (b);				\
	if (!ok(tap_a != NULL && tap_b != NULL && strcmp(tap_a, tap_b) == 0, \
	    "%s", name))						\
		printf("#   got '%s', expected '%s'\n",			\
		    tap_a ? tap_a : "(null)", tap_b ? tap_b : "(null)"); \
} while (0)
/* Relative tolerance rel, or absolute abs near zero. */
#define is_num(a, b, rel, abs_, name) do {				\
	double tap_a = (a), tap_b = (b);				\
	int tap_c = (isnan(tap_a) && isnan(tap_b)) || tap_a == tap_b ||	\
	    fabs(tap_a - tap_b) <= (abs_) ||				\
	    fabs(tap_a - tap_b) <= (rel) * fabs(tap_b);			\
	if (!ok(tap_c, "%s", name))					\
		printf("#   got %.17g, expected %.17g\n", tap_a, tap_b);	\
} while (0)

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
