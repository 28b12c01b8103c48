/*
 * registry: the rules of the model registry.  Models have numbered
 * versions (each tied to the run that made it and to an artifact with its
 * sha256); aliases (champion, production, any name; MLflow's stages
 * Staging/Production/Archived too) point at versions; every change is an
 * append-only event saying who, where, when, from, to and why.
 *
 * A promotion holds the workspace's move lock (flock on
 * WORKSPACE-registry.lock) from reading the holder to writing the event,
 * so two promotions at the same moment are serialised and neither is
 * lost; the deploy command runs between two short transactions, with no
 * database lock held.  Rollback is a new event, never an edit of history.
 */
#ifndef WB_REGISTRY_H
#define WB_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct project;
struct wb_err;
struct reg_version;

#define REG_NAME_MAX	128
#define REG_ALIAS_MAX	64

/* Who does it and when (at 0: now).  Strings are borrowed. */
struct reg_who {
	const char	*user;
	const char	*host;
	int64_t		 at;
};

/* $USER (or the login name) and the host name; host needs 256 bytes. */
void	 reg_who_default(struct reg_who *w, char host[256]);

/*
 * Check an alias and bring it to its stored form in out: MLflow's stage
 * names (any case) become "staging", "production", "archived"; other
 * aliases are kept as typed.  Letters, digits, '_', '-', '.', starting
 * with a letter; "latest" is reserved (models:/NAME/latest).  WB_EINVAL
 * says what is wrong.
 */
int	 reg_alias_norm(const char *alias, char out[REG_ALIAS_MAX + 1],
	    struct wb_err *err);

/*
 * sha256 of path: of the file's bytes, or for a directory of the lines
 * "HEX  RELPATH\n" of its regular files (recursively, RELPATH sorted
 * bytewise), i.e. what
 *   (cd DIR && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
 *    xargs sha256sum) | sha256sum
 * prints.  WB_EIO names the file that failed.
 */
int	 reg_hash_path(const char *path, char hex[65], struct wb_err *err);

/* Create model name (event "create").  WB_EEXIST, WB_EINVAL. */
int	 reg_model_create(struct db *db, const char *name,
	    const char *description, const struct reg_who *who,
	    struct wb_err *err);

/*
 * Register a new version of model from run (a reference as
 * db_run_resolve takes; NULL for none) with artifact (a file or a
 * directory: stored in the artifact store, recorded with its absolute
 * path and sha256, and logged as an artifact of the run; NULL for none).
 * *version is the new number.  Event "register".
 */
int	 reg_register(struct db *db, const char *model, const char *run,
	    const char *artifact, const char *description,
	    const struct reg_who *who, int64_t *version, struct wb_err *err);

/*
 * The local path of version v's artifact, checked against its sha256: a
 * file's blob, or a folder rebuilt from the store under ROOT/trees/SHA
 * (every blob checked; a wrong one is named).  A version registered
 * before the store is checked at its own path.  *path is new (wb_free).
 */
int	 reg_artifact_local(struct db *db, const struct reg_version *v,
	    char **path, struct wb_err *err);

/* A gate: "METRIC[:min|max]".  Without a direction, names with loss,
 * error, err, mse, mae, rmse, perplexity, wer, cer, latency are
 * lower-is-better, others higher-is-better. */
struct reg_gate {
	char	metric[128];
	int	lower_better;
};
int	 reg_gate_parse(const char *spec, struct reg_gate *g,
	    struct wb_err *err);

/* What a promotion or rollback did or would do. */
struct reg_outcome {
	int64_t	 from_version;		/* holder before; 0 none */
	int64_t	 to_version;
	/* The gate, when there was one. */
	int	 gated;
	int	 gate_pass;
	int	 forced;		/* refused but --force */
	int	 has_cand, has_holder;
	double	 cand, holder;
	char	 gate_text[200];	/* "val_loss 0.21 < 0.25: pass" */
	/* The deploy command, when one ran. */
	int	 deployed;
	int	 deploy_status;
	char	*deploy_output;		/* owned; reg_outcome_clear */
	int	 moved;			/* the alias now points at to */
};
void	 reg_outcome_clear(struct reg_outcome *o);

struct reg_move {
	const char	 *model;
	int64_t		  version;	/* promote: the candidate */
	const char	 *alias;	/* as typed; normalised inside */
	const char	 *reason;	/* may be NULL */
	const char	 *gate;		/* "METRIC[:min|max]" or NULL */
	int		  force;
	int		  keep_on_failure;
	char *const	 *deploy_argv;	/* NULL: no deploy */
	const char	 *deploy_cwd;
	char *const	 *deploy_env;
	struct reg_who	  who;
	/* rollback: only while this version holds the alias (0: any);
	   else WB_EEXIST naming the holder.  For verify's rollback. */
	int64_t		  expect;
};

/*
 * Evaluate m's gate for moving alias to m->version without writing
 * anything (the UI's preview).  Fills o's holder and gate fields.
 */
int	 reg_gate_check(struct db *db, const struct reg_move *m,
	    struct reg_outcome *o, struct wb_err *err);

/*
 * Point m->alias at m->version.  With a gate that refuses (and no
 * force), records a "refuse" event and returns WB_EGATE.  With a deploy
 * command, runs it under the same transaction; when it fails, records
 * "deploy-failed" and leaves the alias (returns WB_EPROC), unless
 * keep_on_failure (alias moved, event "promote" with the status, still
 * WB_EPROC).  o says what happened in every case.
 */
int	 reg_promote(struct db *db, const struct reg_move *m,
	    struct reg_outcome *o, struct wb_err *err);

/*
 * Move m->alias back to the version that held it before the current
 * holder (promotions and rollbacks replayed as a stack), as a new
 * "rollback" event; deploy as reg_promote.  WB_ENOTFOUND when there is
 * no earlier holder.  m->version, gate and force are ignored.
 */
int	 reg_rollback(struct db *db, const struct reg_move *m,
	    struct reg_outcome *o, struct wb_err *err);

/*
 * Who holds alias of model now (*from) and who a rollback would bring
 * back (*to); 0 for none.  For the UI's confirmation question.
 */
int	 reg_rollback_target(struct db *db, const char *model,
	    const char *alias, int64_t *from, int64_t *to,
	    struct wb_err *err);

/*
 * The deploy command of project p (its `deploy` entry with default
 * parameters; a shell entry as /bin/sh -c), the directory to run it in
 * and its extra environment, for struct reg_move.  *argv is NULL (and
 * WB_OK) when p is NULL or has no deploy entry.  The caller frees *argv
 * with project_argv_free and *cwd with wb_free; *env is borrowed from p.
 */
int	 reg_project_deploy(const struct project *p, char ***argv,
	    char **cwd, char *const **env, struct wb_err *err);

/*
 * Resolve models:/NAME@ALIAS, models:/NAME/VERSION, models:/NAME/latest
 * or models:/NAME/STAGE into *out (reg_version_clear frees it).
 */
int	 reg_resolve_uri(struct db *db, const char *uri,
	    struct reg_version *out, struct wb_err *err);

/*
 * The last value of metric name in run_id: 1 and *v when there is one,
 * 0 when the run never logged it.
 */
int	 reg_metric_last(struct db *db, int64_t run_id, const char *name,
	    double *v, int *has, struct wb_err *err);

#endif
