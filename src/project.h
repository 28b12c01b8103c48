/*
 * project: the project file, mlwb.yaml, found by walking up from the
 * current directory (or given with --project).  Read with yamldoc; every
 * error says file:line:col.  Owned by the launch area; the registry's
 * deploy hook, its verify: section and `drift --on-drift` use it too.
 *
 * CONTRACT (written before the implementation; the launch area may add
 * to it, not change what is here):
 */
#ifndef WB_PROJECT_H
#define WB_PROJECT_H

#include <stddef.h>
#include <stdint.h>

struct wb_err;

/*
 * PARAM_DATASET is a path to one file that must exist when the job
 * starts; a launched run records it as an input data set (role: the
 * parameter's name).
 */
enum param_type { PARAM_STR, PARAM_INT, PARAM_FLOAT, PARAM_BOOL, PARAM_PATH,
	PARAM_DATASET };

struct project_param {
	char		 *name;
	enum param_type	  type;
	char		 *def;		/* default, NULL if required */
	char		**choices;	/* NULL-terminated, or NULL */
};

struct project_entry {
	char			 *name;		/* "train", "deploy" ... */
	char			**argv;		/* NULL-terminated, with {param} */
	int			  shell;	/* run argv[0] through /bin/sh -c */
	struct project_param	 *params;
	size_t			  nparams;
	char			**env;		/* "KEY=VALUE", NULL-terminated */
	char			 *cwd;		/* relative to the project root */
	char			 *experiment;	/* default experiment, or NULL */
	char			**outputs;	/* paths/globs logged as the
						   run's artifacts at its end;
						   NULL-terminated, or NULL */
	char			**inputs;	/* paths/globs (with {param})
						   recorded as the run's input
						   data sets when it starts;
						   NULL-terminated, or NULL */
	char			**input_roles;	/* role of inputs[i] ("input"
						   unless PATH:ROLE) */
};

struct project {
	char			*path;		/* the mlwb.yaml read */
	char			*root;		/* its directory */
	struct project_entry	*entries;
	size_t			 nentries;
	/* The launch area adds output_scalars, drift, gates, theme ... */
	void			*ext;
};

/*
 * Find mlwb.yaml from dir upwards; *path is the caller's to free.
 * WB_ENOTFOUND when there is none.
 */
int	 project_find(const char *dir, char **path, struct wb_err *err);
/* Load and validate path; errors "mlwb.yaml:12:5: what". */
int	 project_load(const char *path, struct project **out,
	    struct wb_err *err);
void	 project_free(struct project *p);
/* The entry point called name, or NULL. */
const struct project_entry *project_entry(const struct project *p,
	    const char *name);
/*
 * The argv of entry e with parameters substituted: sets are "name=value"
 * overrides (nsets of them); defaults fill the rest; types and choices
 * are checked ("-P lr=abc: lr must be a float").  *argv is
 * NULL-terminated and the caller frees it with project_argv_free.
 */
int	 project_argv(const struct project_entry *e, char *const *sets,
	    size_t nsets, char ***argv, struct wb_err *err);
void	 project_argv_free(char **argv);

/*
 * Additions by the launch area (the contract above is unchanged).
 */

/*
 * The argv to execute for entry e: project_argv's words, or, for a
 * `shell: true` entry, { "/bin/sh", "-c", COMMAND } with every
 * substituted value single-quoted for the shell.  Errors and ownership
 * as project_argv.
 */
int	 project_command(const struct project_entry *e, char *const *sets,
	    size_t nsets, char ***argv, struct wb_err *err);
/*
 * The value of every parameter of e after sets and defaults, checked:
 * (*vals)[i] belongs to e->params[i].  Free with project_argv_free.
 */
int	 project_values(const struct project_entry *e, char *const *sets,
	    size_t nsets, char ***vals, struct wb_err *err);
/*
 * Check value against parameter p's type and choices; 0 if it fits,
 * else WB_EINVAL with "NAME must be a float" and the like.
 */
int	 project_param_check(const struct project_param *p, const char *value,
	    struct wb_err *err);
/* "int", "float", "str", "bool", "path", "dataset". */
const char *project_type_name(enum param_type t);

/*
 * The input data sets of entry e with parameter values vals (from
 * project_values): *specs is NULL-terminated triplets KIND, PATH, ROLE:
 * KIND "file" for each dataset parameter (PATH its value, ROLE its
 * name), then "glob" for each `inputs:` item with {param} expanded.
 * Paths are as written (relative to the entry's cwd).  Free with
 * project_argv_free; *specs is NULL when there are none.
 */
int	 project_inputs(const struct project_entry *e, char *const *vals,
	    char ***specs, struct wb_err *err);

/*
 * output_scalars: patterns that turn output lines into metric points.
 * key is the fixed metric name (the pattern has one value group, or a
 * group named value), or NULL when the pattern names its groups key,
 * value and optionally step.
 */
struct project_scalar {
	char		*key;
	char		*pattern;
	unsigned	 line, col;	/* where the pattern is in the file */
};

/*
 * The output_scalars patterns in file order, *n of them (borrowed until
 * project_free).  *use_default is 1 when the default patterns apply too:
 * when the file has no output_scalars, or lists `default` among them;
 * `output_scalars: no` turns capture off.  p may be NULL (no project
 * file: the default patterns only).
 */
const struct project_scalar *project_output_scalars(const struct project *p,
	    size_t *n, int *use_default);

/*
 * The promotion gate of model, from the top-level `gates:` mapping
 * (MODEL: "metric:min", "metric:max", or "metric" for the registry to
 * pick the direction), checked at load; NULL if the
 * model has none.  Borrowed until project_free.
 */
const char *project_gate(const struct project *p, const char *model);

/*
 * The `reproducibility: redact:` patterns (names of environment variables
 * kept as "[redacted]"), *n of them; borrowed until project_free.  p may
 * be NULL (none).
 */
char *const *project_redact(const struct project *p, size_t *n);
/* `reproducibility: patch_limit:` in bytes; 0 when unset (or p NULL). */
size_t	 project_patch_limit(const struct project *p);
/* `system_metrics: sample_every:` in seconds (0 off); -1 when unset. */
int	 project_sample_every(const struct project *p);

/*
 * The `verify:` section (run after a promotion's deploy, see verify.h):
 * its command as an entry point named "verify" (`run:` is the command;
 * `shell`, `env` and `cwd` as an entry's), and its default watch window
 * and interval in ms (0: unset).  NULL when the file has none; borrowed
 * until project_free.
 */
const struct project_entry *project_verify(const struct project *p,
	    int64_t *watch_ms, int64_t *every_ms);

/*
 * Split s the way a POSIX shell splits words: blanks separate, '...'
 * is literal, "..." keeps blanks and lets a backslash escape $ ` " \ and
 * newline, a backslash outside quotes escapes any character.  Nothing
 * is expanded; unquoted shell syntax (| & ; < > ( ) ` $NAME) is refused
 * because it would not do what it says without `shell: true`.
 * *argv is NULL-terminated (free with project_argv_free).  On error
 * *erroff is the byte offset in s of the problem.
 */
int	 project_split(const char *s, char ***argv, size_t *erroff,
	    struct wb_err *err);
/*
 * Append argv's words to sb joined with blanks, each quoted the way a
 * shell would need it (for showing and recording commands).  -1 when
 * memory ran out.
 */
struct strbuf;
int	 project_join(struct strbuf *sb, char *const *argv);

#endif
