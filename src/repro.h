/*
 * repro: what a run keeps so that it can be run again and compared.
 *
 * repro_collect gathers, before a run is recorded, the facts a rerun or a
 * diff needs: the whole environment the job gets (secret values replaced
 * by "[redacted]", chosen by the name of the variable), `git diff HEAD
 * --binary` of a dirty tree (cut at a size limit, bytes kept as they
 * are), for a command that runs Python its interpreter, version and `pip
 * freeze` (each with a time limit; a missing pip is a status, not an
 * error), and the GPU driver and CUDA versions where nvidia-smi runs.
 * Every fact is a (section, key, value) item; db_repro.c stores them in
 * table run_repro.  Nothing here fails a launch: a tool that is missing or
 * slow leaves its facts out (or names why), never an error.
 *
 * Child processes are started with fork + execvp of an argv array, in
 * their own process group so that a time limit kills what they started.
 */
#ifndef WB_REPRO_H
#define WB_REPRO_H

#include <stddef.h>
#include <stdint.h>

struct strbuf;

/* Sections of run_repro (see data/schema.sql). */
#define REPRO_ENV	"env"
#define REPRO_GIT	"git"
#define REPRO_PYTHON	"python"
#define REPRO_GPU	"gpu"
#define REPRO_LINK	"link"
#define REPRO_SYSTEM	"system"	/* sample_every (seconds; 0 off) */

/* What a redacted value reads. */
#define REPRO_REDACTED	"[redacted]"
/* Default size limit of a stored patch (bytes). */
#define REPRO_PATCH_MAX	(1024 * 1024)
/* Time limits (ms): pip freeze, the other probes. */
#define REPRO_PIP_MS	30000
#define REPRO_PROBE_MS	5000

/* One fact; value is len bytes (NUL-terminated too, for text use). */
struct repro_item {
	char	*section;
	char	*key;
	char	*value;
	size_t	 len;
};

/* A list of facts; owns its items. */
struct repro {
	struct repro_item	*items;
	size_t			 n, cap;
	int			 oom;
};

struct repro_opts {
	const char	*cwd;		/* where git and the command run */
	char *const	*argv;		/* the command; NULL: no Python probe */
	const char	*python;	/* interpreter to probe, overrides argv */
	char *const	*env_extra;	/* "K=V" the job gets besides environ */
	char *const	*env_extra2;	/* a second such list (may be NULL) */
	char *const	*redact;	/* user patterns (fnmatch), or NULL */
	size_t		 nredact;
	int		 git_dirty;	/* 1: store the patch */
	size_t		 patch_max;	/* 0: REPRO_PATCH_MAX */
};

/* Gather everything into r (repro_free after, even on failure). */
int	 repro_collect(struct repro *r, const struct repro_opts *o);
/* Add one fact (value len bytes, copied); -1 on out of memory. */
int	 repro_add(struct repro *r, const char *section, const char *key,
	    const char *value, size_t len);
/* The fact section/key of r, or NULL. */
const struct repro_item *repro_find(const struct repro *r,
	    const char *section, const char *key);
void	 repro_free(struct repro *r);

/*
 * 1 if an environment variable called name is a secret: its name matches
 * (case-insensitive fnmatch) *TOKEN*, *KEY*, *SECRET*, *PASSWORD*, one of
 * the nuser patterns, or one in $MLWB_REDACT (comma-separated).
 */
int	 repro_is_secret(const char *name, char *const *user, size_t nuser);

/*
 * Run argv (execvp) in cwd with stdout into out, at most cap bytes kept
 * (*total, may be NULL, gets how many came), stderr into err_out if not
 * NULL (at most 4 KB), killed with its process group after timeout_ms.
 * Returns the exit status, -1 if it could not run or died of a signal,
 * -2 when the time ran out.  An argv[0] not found exits 127.
 */
int	 repro_run(char *const argv[], const char *cwd, size_t cap,
	    int timeout_ms, struct strbuf *out, size_t *total,
	    struct strbuf *err_out);

/*
 * The Python interpreter argv runs, or NULL: argv[0] itself when its
 * base name starts with "python", the first word of a `sh -c` string,
 * the word after `env`, or a script's `#!` line (relative scripts are
 * looked up in cwd).  The caller frees the result.
 */
char	*repro_python_of(char *const *argv, const char *cwd);

/* Number of lines of a pip freeze text (its packages). */
size_t	 repro_count_lines(const char *s, size_t len);

#endif
