/*
 * project: the project file, mlwb.yaml, found by walking up from the
 * current directory (or given with --project).  Read with yamldoc; every
 * error says file:line:col.  Owned by the launch area; the registry's
 * deploy hook and `drift --on-drift` use it too.
 *
 * CONTRACT (written before the implementation; the launch area may add
 * to it, not change what is here):
 */
#ifndef WB_PROJECT_H
#define WB_PROJECT_H

#include <stddef.h>

struct wb_err;

enum param_type { PARAM_STR, PARAM_INT, PARAM_FLOAT, PARAM_BOOL, PARAM_PATH };

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

#endif
