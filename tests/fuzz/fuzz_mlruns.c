/*
 * libFuzzer target: bytes as an mlruns/ metric file (every line through
 * mlflow_metric_line, as the file store reader splits them) and as a
 * run's meta.yaml (yamldoc, then mlflow_run_meta).
 */
#include "config.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "mlflow.h"
#include "yamldoc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char		*s = (const char *)data, *p, *nl, *why;
	struct mlflow_run_meta	 m;
	struct ydoc		*doc;
	struct wb_err		 err;
	int64_t			 ts, step;
	double			 v;
	int			 r;

	for (p = s; p < s + size; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(s + size - p))) == NULL)
			nl = s + size;
		why = NULL;
		r = mlflow_metric_line(p, (size_t)(nl - p), &ts, &v, &step,
		    &why);
		if (r < 0 && why == NULL)
			__builtin_trap();	/* a bad line must say why */
		if (r > 0 && v >= 1.7976931348623157e308 && !isinf(v))
			__builtin_trap();	/* MLflow's max is +inf */
	}
	if (ydoc_load_mem(s, size, "meta.yaml", &doc, &err) == WB_OK) {
		if (mlflow_run_meta(doc->root, "meta.yaml", &m, &err) == WB_OK &&
		    strlen(m.uuid) != 32)
			__builtin_trap();
		ydoc_free(doc);
	}
	return 0;
}
