/*
 * libFuzzer target: bytes as mlwb.yaml through project_load (written to a
 * temporary file, as the loader reads files), then every entry point's
 * argv and command built with its defaults and one override, the
 * verify: section's command, and every pipeline's steps (the needs
 * closure, the when: condition evaluated).  The same bytes also go to the
 * parser of a pipeline run's steps tag (JSON that another writer of a
 * shared store may have written), and what it reads is written back.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "pipeline.h"
#include "pipeline_int.h"
#include "project.h"
#include "strbuf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The bytes as a steps tag: parsed, and what parsed written back. */
static void
steps_tag(const uint8_t *data, size_t size)
{
	struct pipeline_step	*st;
	struct strbuf		 sb = STRBUF_INIT;
	struct wb_err		 err;
	char			*json;
	size_t			 n;

	if ((json = malloc(size + 1)) == NULL)
		return;
	memcpy(json, data, size);
	json[size] = '\0';
	if (pipeline_steps_parse(json, &st, &n, &err) == WB_OK) {
		(void)pipeline_steps_json(&sb, st, n);
		strbuf_free(&sb);
		pipeline_steps_free(st, n);
	}
	free(json);
}

/* Every pipeline's steps: the needs closure and the when: condition. */
static void
pipelines(const struct project *p)
{
	const struct pipeline_def	*d;
	struct pipeline_when		 w;
	char				 msg[200];
	size_t				 n, i, j, k;

	d = project_pipelines(p, &n);
	for (i = 0; i < n; i++) {
		(void)project_pipeline(p, d[i].name);
		for (j = 0; j < d[i].nsteps; j++) {
			const struct pstep_def *s = &d[i].steps[j];

			(void)pstep_kind_name(s->kind);
			for (k = 0; k < d[i].nsteps; k++)
				(void)pipeline_step_after(&d[i], s,
				    d[i].steps[k].name);
			if (s->when != NULL && pipeline_when_parse(s->when, &w,
			    msg, sizeof msg) == 0)
				(void)pipeline_when_true(&w, 0.5);
		}
	}
}

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
	steps_tag(data, size);
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
	{
		const struct project_entry	*v;
		int64_t				 watch, every;

		if ((v = project_verify(p, &watch, &every)) != NULL &&
		    project_command(v, NULL, 0, &argv, &err) == WB_OK)
			project_argv_free(argv);
	}
	pipelines(p);
	project_free(p);
	return 0;
}
