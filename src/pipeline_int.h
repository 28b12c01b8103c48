/*
 * pipeline_int: what the pipeline modules share and project.c calls:
 * loading the `pipelines:` section, references ({steps.S.run} ...) and
 * `when:` conditions.  Not for other areas; pipeline.h is the API.
 */
#ifndef WB_PIPELINE_INT_H
#define WB_PIPELINE_INT_H

#include <stddef.h>

#include "pipeline.h"

struct ynode;
struct project_entry;

/* Load node n (the `pipelines:` value, may be NULL) of file, checked
 * against project p's entries.  *out freed with pipeline_defs_free. */
int	 pipeline_defs_load(const char *file, const struct ynode *n,
	    const struct project *p, struct pipeline_def **out, size_t *nout,
	    struct wb_err *err);
void	 pipeline_defs_free(struct pipeline_def *d, size_t n);
const struct pipeline_def *project_pipeline_find(const struct pipeline_def *d,
	    size_t n, const char *name);
/* Does step s wait for step t, directly or not? */
int	 pipeline_step_after(const struct pipeline_def *d,
	    const struct pstep_def *s, const char *t);

enum pref_what { PREF_PARAM, PREF_RUN, PREF_VERSION, PREF_OUTPUT,
	PREF_METRIC };

/* A reference between braces, without them: "steps.train.run". */
struct pipeline_ref {
	enum pref_what	what;
	char		step[64];
	char		name[96];	/* param, output or metric */
};
/* 0 when s is a reference; -1 otherwise. */
int	 pipeline_ref_parse(const char *s, struct pipeline_ref *r);
/* The output of e that NAME refers to (path, base name, or base name
 * without its extension), or NULL. */
const char *pipeline_output_match(const struct project_entry *e,
	    const char *name);

/* `when: steps.S.metrics.M OP NUMBER`. */
struct pipeline_when {
	char	step[64];
	char	metric[96];
	char	op[3];
	double	value;
};
/* 0 when s parses; else -1 with why in msg. */
int	 pipeline_when_parse(const char *s, struct pipeline_when *w,
	    char *msg, size_t msglen);
int	 pipeline_when_true(const struct pipeline_when *w, double v);

/* The steps tag's JSON (PIPELINE_STEPS_TAG) out of and into steps. */
struct strbuf;
int	 pipeline_steps_json(struct strbuf *sb, const struct pipeline_step *s,
	    size_t n);
int	 pipeline_steps_parse(const char *json, struct pipeline_step **out,
	    size_t *n, struct wb_err *err);
void	 pipeline_step_clear(struct pipeline_step *s);
void	 pipeline_steps_free(struct pipeline_step *s, size_t n);

#endif
