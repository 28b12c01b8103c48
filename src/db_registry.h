/*
 * db_registry: storage of the model registry: models, their numbered
 * versions, aliases and the append-only event log (schema section
 * "registry").  Only rows in and out; the rules (gates, rollback, what an
 * event means) live in registry.c.  Strings in returned structs are owned
 * by the struct and released by the matching *_free function.
 */
#ifndef WB_DB_REGISTRY_H
#define WB_DB_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct wb_err;

struct reg_model {
	int64_t	 id;
	char	*name;
	char	*description;
	int64_t	 created_at;
	int64_t	 nversions;
	int64_t	 latest;		/* highest version number; 0 none */
	char	*aliases;		/* "champion=3 staging=4", or NULL */
};

struct reg_version {
	int64_t	 id;
	int64_t	 model_id;
	int64_t	 version;
	int64_t	 run_id;		/* 0 when the run was deleted */
	char	*run_name;		/* "experiment/run", or NULL */
	char	*run_uuid;
	char	*artifact_path;		/* absolute, or NULL */
	char	*sha256;
	char	*description;
	int64_t	 created_at;
	char	*aliases;		/* "champion staging", or NULL */
};

/* One event: from/to are version numbers, 0 for none. */
struct reg_event {
	int64_t		 id;
	int64_t		 version_id;	/* 0 for model events */
	const char	*action;	/* create register promote refuse
					   deploy-failed rollback */
	const char	*alias;
	int64_t		 from_version;
	int64_t		 to_version;
	const char	*actor;
	const char	*host;
	const char	*reason;
	const char	*gate;		/* "val_loss:min", or NULL */
	const char	*gate_result;	/* "0.21 < 0.25: pass", or NULL */
	int		 forced;
	int		 has_deploy;	/* 0: no deploy ran */
	int		 deploy_status;
	const char	*deploy_output;
	int64_t		 at;
	/* Filled by db_reg_events: the strings above are then owned. */
	char		*own[10];
};

/* Models. */
/* Create; WB_EEXIST if name is taken. */
int	 db_reg_model_create(struct db *db, const char *name,
	    const char *description, int64_t at, int64_t *id,
	    struct wb_err *err);
/* WB_ENOTFOUND (naming the model) if absent. */
int	 db_reg_model_find(struct db *db, const char *name, int64_t *id,
	    struct wb_err *err);
/* Every model by name with its version count and aliases. */
int	 db_reg_model_list(struct db *db, struct reg_model **out, size_t *n,
	    struct wb_err *err);
void	 reg_models_free(struct reg_model *m, size_t n);
/*
 * The same models streamed: fn(arg, model) for each until it returns
 * non-zero; the model is cleared after the call (fn may take it and zero
 * it).
 */
int	 db_reg_model_each(struct db *db,
	    int (*fn)(void *, struct reg_model *), void *arg,
	    struct wb_err *err);

/* Versions. */
/*
 * Add the next version (max + 1) of model_id.  run_id 0 for none;
 * artifact, sha256 and description may be NULL.
 */
int	 db_reg_version_add(struct db *db, int64_t model_id, int64_t run_id,
	    const char *artifact, const char *sha256, const char *description,
	    int64_t at, int64_t *version_id, int64_t *version,
	    struct wb_err *err);
/* Every version of model_id, newest first. */
int	 db_reg_versions(struct db *db, int64_t model_id,
	    struct reg_version **out, size_t *n, struct wb_err *err);
/* Version number `version` of model_id; WB_ENOTFOUND if absent. */
int	 db_reg_version_get(struct db *db, int64_t model_id, int64_t version,
	    struct reg_version *out, struct wb_err *err);
void	 reg_version_clear(struct reg_version *v);
void	 reg_versions_free(struct reg_version *v, size_t n);

/* Aliases. */
/*
 * The version holding alias: *version_id and *version, both 0 (and
 * WB_OK) when nobody holds it.
 */
int	 db_reg_alias_get(struct db *db, int64_t model_id, const char *alias,
	    int64_t *version_id, int64_t *version, struct wb_err *err);
/* Point alias at version_id; 0 removes the alias. */
int	 db_reg_alias_set(struct db *db, int64_t model_id, const char *alias,
	    int64_t version_id, struct wb_err *err);

/* Events. */
/* Append e for model_id (the own[] strings are ignored). */
int	 db_reg_event_add(struct db *db, int64_t model_id,
	    const struct reg_event *e, struct wb_err *err);
/*
 * Events of model_id, oldest first; only those of alias when alias is
 * not NULL (and then only promote and rollback, the ones that move it).
 */
int	 db_reg_events(struct db *db, int64_t model_id, const char *alias,
	    struct reg_event **out, size_t *n, struct wb_err *err);
void	 reg_events_free(struct reg_event *e, size_t n);

/*
 * The registry's part of `mlwb doctor`: every alias must be held by the
 * version its last promote/rollback event moved it to, and every alias
 * that an event left held must still exist.  line() gets one line per
 * problem; *problems is incremented by the number found.
 */
/*
 * The highest event id so far (0 if none), and whether an event after
 * after_id records a deploy of to_version as alias of model_id.
 */
int	 db_reg_last_event(struct db *db, int64_t *id, struct wb_err *err);
/*
 * A server store's deploy marker (registry.c): put line, or delete it
 * when line is NULL, each in its own transaction (call outside one); get
 * it into buf (size len), "" when there is none.
 */
int	 db_reg_marker_put(struct db *db, const char *line,
	    struct wb_err *err);
int	 db_reg_marker_get(struct db *db, char *buf, size_t len,
	    struct wb_err *err);
int	 db_reg_deploy_recorded(struct db *db, int64_t model_id,
	    const char *alias, int64_t to_version, int64_t after_id, int *yes,
	    struct wb_err *err);
int	 db_reg_doctor(struct db *db, void (*line)(void *, const char *),
	    void *arg, int *problems, struct wb_err *err);

#endif
