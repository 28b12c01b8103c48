/*
 * pipeline: the `pipelines:` section of mlwb.yaml, and pipeline runs.
 *
 * A pipeline is named steps with `needs:` between them.  A step runs an
 * entry point of the project with params, or is a built-in kind:
 * `check` (drift and schema check of a data set against a reference),
 * `register` (register the model of an earlier step's run), `promote`
 * (move an alias, with the gate).  The definitions are read with the
 * project file (project_pipelines) and checked there: unknown steps and
 * entries, cycles, missing params and bad references fail the load with
 * FILE:LINE:COL.
 *
 * A pipeline run is a run (tag mlwb.pipeline = NAME) whose steps are its
 * child runs (runs.parent_id).  The run itself is a tracked job whose
 * command is `mlwb pipeline drive`: the driver, supervised like any job
 * (heartbeat, survives hangup, kill -9 of its supervisor is `lost`).
 * The step states live in the pipeline run's tag mlwb.pipeline.steps (a
 * JSON array), so push, pull and merge carry them with the run's tags.
 *
 * API for the pipelines screen and the CLI: pipeline_list, pipeline_get
 * (steps with state, run, times and key metric), pipeline_cancel and
 * pipeline_rerun.  Their signatures are stable; what is added goes at
 * the end of the structs.
 */
#ifndef WB_PIPELINE_H
#define WB_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct project;
struct wb_err;

/* Tags of a pipeline run (the parent run). */
#define PIPELINE_TAG		"mlwb.pipeline"		/* pipeline name */
#define PIPELINE_STEPS_TAG	"mlwb.pipeline.steps"	/* JSON, see below */
#define PIPELINE_STATE_TAG	"mlwb.pipeline.state"	/* see pipeline_run */
#define PIPELINE_REASON_TAG	"mlwb.pipeline.reason"
#define PIPELINE_PARAMS_TAG	"mlwb.pipeline.params"	/* JSON array k=v */
#define PIPELINE_RESUME_TAG	"mlwb.pipeline.resume_of" /* run UUID */
#define PIPELINE_FROM_TAG	"mlwb.pipeline.from_step" /* rerun from */
/* Tag of a step's run: the step's name. */
#define PIPELINE_STEP_TAG	"mlwb.pipeline.step"

/* ---- Definitions (mlwb.yaml) ---- */

enum pstep_kind { PSTEP_RUN, PSTEP_CHECK, PSTEP_REGISTER, PSTEP_PROMOTE };

struct pstep_def {
	char		 *name;
	enum pstep_kind	  kind;
	char		**needs;	/* step names, NULL-terminated */
	size_t		  nneeds;
	char		 *when;		/* condition text, or NULL */
	/* run: */
	char		 *entry;
	char		**params;	/* "k=template", NULL-terminated */
	size_t		  nparams;
	char		**inputs;	/* paths (templates) whose sha256 keys
					   the step for --resume; NULL-term. */
	/* check: */
	char		 *data;		/* template */
	char		 *reference;	/* template */
	/* register / promote: */
	char		 *model;
	char		 *from;		/* register: run (template) */
	char		 *artifact;	/* register: path (template), or NULL */
	char		 *alias;	/* promote */
	char		 *version;	/* promote: template, NULL: latest */
	char		 *verify;	/* promote: verify hook (verify area) */
	char		 *metric;	/* key metric to show, or NULL */
	unsigned	  line, col;
};

struct pipeline_def {
	char		 *name;
	struct pstep_def *steps;	/* in a valid order (needs first) */
	size_t		  nsteps;
	char		**params;	/* pipeline params "k=default" */
	size_t		  nparams;
	unsigned	  line, col;
};

/* The pipelines of p (NULL-safe), *n of them; borrowed. */
const struct pipeline_def *project_pipelines(const struct project *p,
	    size_t *n);
const struct pipeline_def *project_pipeline(const struct project *p,
	    const char *name);
const char *pstep_kind_name(enum pstep_kind k);

/* ---- Pipeline runs (the read API) ---- */

/*
 * A step's state: pending, running, done, failed, skipped, cancelled,
 * lost.  A pipeline run's: running, done, failed, cancelled, lost,
 * skipped (a scheduled run that found the previous one still running).
 */
struct pipeline_step {
	char	 *name;
	char	 *kind;			/* "run", "check", "register", "promote" */
	char	**needs;		/* NULL-terminated */
	size_t	  nneeds;
	char	 *state;
	char	 *reason;		/* why failed/skipped/cancelled, or NULL */
	int64_t	  run_id;		/* 0: none (yet) */
	char	  run_uuid[33];		/* "" when none */
	int	  cached;		/* done from an earlier run (--resume) */
	int64_t	  started_at, ended_at;	/* ms; 0 unset */
	char	 *metric;		/* key metric name, or NULL */
	int	  has_value;
	double	  value;		/* its last value */
	char	 *key;			/* cache key (sha256 hex), or NULL */
	char	 *version;		/* register: the version made */
};

struct pipeline_run {
	int64_t	 run_id;
	char	 uuid[33];
	char	*name;			/* run name */
	char	*pipeline;
	char	*state;
	char	*reason;		/* e.g. "step train failed", or NULL */
	int64_t	 started_at, ended_at;
	struct pipeline_step *steps;	/* filled by pipeline_get only */
	size_t	 nsteps;
};

/*
 * Pipeline runs, newest first (of pipeline name, or all when NULL),
 * without their steps.  Free with pipeline_runs_free.
 */
int	 pipeline_list(struct db *db, const char *name,
	    struct pipeline_run **rows, size_t *n, struct wb_err *err);
/*
 * Pipeline run run_id with its steps in definition order.  The state of
 * a running pipeline whose driver job was lost reads `lost`, and so do
 * its running steps.  WB_ENOTFOUND when run_id is not a pipeline run.
 * pipeline_run_clear after.
 */
int	 pipeline_get(struct db *db, int64_t run_id, struct pipeline_run *out,
	    struct wb_err *err);
void	 pipeline_run_clear(struct pipeline_run *r);
void	 pipeline_runs_free(struct pipeline_run *rows, size_t n);

/*
 * Cancel a running pipeline run: its driver is asked to stop (it kills
 * the running steps, marks them and the pending ones cancelled, and the
 * run cancelled).  WB_EINVAL when it already ended.
 */
int	 pipeline_cancel(struct db *db, int64_t run_id, struct wb_err *err);

/* ---- Starting ---- */

struct pipeline_opts {
	const char *const *supervisor;	/* launch_cmd (see launch.h) */
	const char	*name;		/* pipeline */
	char *const	*sets;		/* "k=v" pipeline params */
	size_t		 nsets;
	int64_t		 resume;	/* pipeline run to resume, or 0 */
	const char	*from_step;	/* with resume: re-run from this step
					   and what needs it, or NULL */
	int		 scheduled;	/* skip if the last run is running */
};

/*
 * Start pipeline o->name of project p as a tracked job (the driver);
 * *run_id is the pipeline run.  A scheduled start that finds the
 * previous run of the pipeline running records a `skipped` run instead
 * and returns WB_OK with *skipped = 1.
 */
int	 pipeline_start(struct db *db, const struct project *p,
	    const struct pipeline_opts *o, int64_t *run_id, int *skipped,
	    struct wb_err *err);
/*
 * Re-run pipeline run run_id from step (its steps that do not need it,
 * directly or not, are taken from the earlier run): pipeline_start with
 * resume and from_step.
 */
int	 pipeline_rerun(struct db *db, const struct project *p,
	    const char *const *supervisor, int64_t run_id, const char *step,
	    int64_t *new_run, struct wb_err *err);

/*
 * The driver: run the steps of pipeline run run_id (in the job it is) to
 * the end.  Returns WB_OK when every step is done or skipped by `when:`,
 * WB_EINVAL naming the failed step otherwise.
 */
int	 pipeline_drive(struct db *db, const struct project *p,
	    const char *const *supervisor, int64_t run_id, struct wb_err *err);

/*
 * The verify hook (the verify area sets it): called by the driver after
 * a promote step with verify: moved its alias to version (and deployed
 * it).  0 when the deploy verified; otherwise why says what failed (and
 * the hook has rolled the alias back), and the step fails.
 */
typedef int (*pipeline_verify_fn)(struct db *db, const struct project *p,
	    const struct pstep_def *step, int64_t version, char *why,
	    size_t whylen);
void	 pipeline_set_verify(pipeline_verify_fn fn);

#endif
