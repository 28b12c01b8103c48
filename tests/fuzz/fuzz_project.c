/*
 * libFuzzer target: bytes as mlwb.yaml through project_load (written to a
 * temporary file, as the loader reads files), then every entry point's
 * argv and command built with its defaults and one override.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "project.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		 path[64];
	const struct project_scalar *sc;
	struct project		*p;
	struct wb_err		 err;
	char			**argv, *sets[1], set[80];
	size_t			 i, n;
	FILE			*fp;
	int			 def;

	if (path[0] == '\0')
		snprintf(path, sizeof path, "/tmp/fuzz_project.%ld.yaml",
		    (long)getpid());
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	if (project_load(path, &p, &err) != WB_OK)
		return 0;
	for (i = 0; i < p->nentries; i++) {
		const struct project_entry *e = &p->entries[i];

		if (project_command(e, NULL, 0, &argv, &err) == WB_OK)
			project_argv_free(argv);
		if (e->nparams > 0) {
			snprintf(set, sizeof set, "%.60s=1", e->params[0].name);
			sets[0] = set;
			if (project_argv(e, sets, 1, &argv, &err) == WB_OK)
				project_argv_free(argv);
		}
	}
	sc = project_output_scalars(p, &n, &def);
	for (i = 0; i < n; i++)
		(void)strlen(sc[i].pattern);
	(void)project_gate(p, "m");
	project_free(p);
	return 0;
}
