/*
 * libFuzzer target: bytes as a CSV data set through dataset_read_mem
 * (typing, NA handling, the second pass for columns that turn
 * categorical), then every column pair of the input against itself
 * shifted through drift_col_init and every method, the way `mlwb drift`
 * uses them.  The first byte picks a delimiter and a forced-categorical
 * column so that those paths are reached too.  Every input is read twice,
 * by csvfast (the default) and by csvread alone (no_fast): the two must
 * give the same data set, bit for bit, or the same error.
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dataset.h"
#include "drift.h"
#include "err.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
same_or_trap(const struct dataset *a, const struct dataset *b)
{
	size_t	i, k;

	if (a->n_rows != b->n_rows || a->n_cols != b->n_cols ||
	    strcmp(a->sha256, b->sha256) != 0)
		__builtin_trap();
	for (i = 0; i < a->n_cols; i++) {
		const struct ds_column *x = &a->cols[i], *y = &b->cols[i];

		if (strcmp(x->name, y->name) != 0 || x->type != y->type ||
		    x->n_missing != y->n_missing || x->n_num != y->n_num ||
		    x->n_cat != y->n_cat || x->n_valid != y->n_valid ||
		    (x->n_num > 0 && memcmp(x->num, y->num,
		    x->n_num * sizeof *x->num) != 0))
			__builtin_trap();
		for (k = 0; k < x->n_cat; k++)
			if (strcmp(x->cat[k].value, y->cat[k].value) != 0 ||
			    x->cat[k].count != y->cat[k].count)
				__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = ",;\t|";
	struct dataset		*ds = NULL;
	struct wb_err		 err;
	struct ds_opts		 o;
	const char		*cat[2] = { NULL, NULL };
	size_t			 i;
	int			 m;

	if (size < 1 || size > 1 << 16)
		return 0;
	memset(&o, 0, sizeof o);
	o.delim = delims[data[0] & 3];
	o.no_hash = (data[0] >> 2) & 1;
	if (data[0] & 8) {
		cat[0] = "a";
		o.categorical = cat;
	}
	{
		struct dataset	*slow = NULL;
		struct wb_err	 e2;
		int		 r1, r2;

		r1 = dataset_read_mem((const char *)data + 1, size - 1,
		    "fuzz.csv", &o, &ds, &err);
		o.no_fast = 1;
		r2 = dataset_read_mem((const char *)data + 1, size - 1,
		    "fuzz.csv", &o, &slow, &e2);
		if (r1 != r2 || (r1 != WB_OK && strcmp(err.msg, e2.msg) != 0))
			__builtin_trap();
		if (r1 == WB_OK)
			same_or_trap(ds, slow);
		dataset_free(slow);
	}
	if (ds == NULL) {
		/* Errors carry the file name and a line. */
		if (err.code != WB_ENOMEM && strncmp(err.msg, "fuzz.csv:", 9) != 0)
			__builtin_trap();
		return 0;
	}
	for (i = 0; i < ds->n_cols; i++) {
		struct ds_column	*a = &ds->cols[i];
		struct ds_column	*b = &ds->cols[(i + 1) % ds->n_cols];
		struct drift_col	 dc;
		struct drift_result	 res;

		if (a->n_valid + a->n_missing > ds->n_rows)
			__builtin_trap();
		if (drift_col_init(&dc, a, a->n_missing, b, b->n_missing,
		    a->type != b->type, &err) != WB_OK)
			continue;
		for (m = DRIFT_AUTO; m < DRIFT_NMETHODS; m++) {
			if (drift_col_test(&dc, (enum drift_method)m, NAN, &res,
			    &err) != WB_OK)
				continue;
			if (drift_method_has_p(res.method) &&
			    !(res.p_value >= 0 && res.p_value <= 1))
				__builtin_trap();
		}
		drift_col_free(&dc);
	}
	dataset_free(ds);
	return 0;
}
