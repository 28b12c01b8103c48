/*
 * yamldoc: YAML (and so JSON) documents as a small tree, over libyaml.
 *
 * The only module that includes <yaml.h>.  Every node keeps the line and
 * column it came from so that callers can report "mlwb.yaml:12:5: ...".
 * Nothing is ever constructed from a tag: `!!python/object` and friends
 * are kept as a tag string on an ordinary node for the caller to skip.
 * Aliases are expanded, with a cap on the total number of nodes so that a
 * "billion laughs" file fails instead of eating memory.
 */
#ifndef WB_YAMLDOC_H
#define WB_YAMLDOC_H

#include <stddef.h>

struct wb_err;

enum ynode_type { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_type	  type;
	char		 *tag;		/* NULL, or e.g. "tag:yaml.org,2002:python/tuple" */
	char		 *value;	/* scalar text (NUL-terminated) */
	size_t		  len;		/* scalar length */
	int		  plain;	/* scalar was unquoted (null/bool/number may apply) */
	struct ynode	**items;	/* seq: n items; map: 2n, key then value */
	size_t		  n;
	unsigned	  line;		/* 1-based */
	unsigned	  col;		/* 1-based */
};

struct ydoc {
	struct ynode	*root;		/* NULL for an empty document */
	char		*name;
};

/* Load the first document of a file.  Errors: "file:line:col: what". */
int	 ydoc_load_file(const char *path, struct ydoc **out,
	    struct wb_err *err);
/* Load from memory; name is used in messages. */
int	 ydoc_load_mem(const char *buf, size_t len, const char *name,
	    struct ydoc **out, struct wb_err *err);
void	 ydoc_free(struct ydoc *doc);

/* The value of key in a map node, or NULL. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
/* A scalar's text, or NULL for other nodes. */
const char *ynode_str(const struct ynode *n);
/* 1 if n is a plain scalar meaning null (~, null, Null, NULL, empty). */
int	 ynode_is_null(const struct ynode *n);
/* 1 if n's tag is not a YAML core tag (e.g. !!python/..., !custom). */
int	 ynode_is_unsafe(const struct ynode *n);

/*
 * Loading state of a file read through this module: its name for
 * messages and where the error goes.  project.c and pipeline_def.c share it.
 */
struct wb_err;

struct yload {
	const char	*file;
	struct wb_err	*err;
};

/* "FILE:LINE:COL: what" at node n (1:1 when there is no node); WB_EPARSE. */
int	yload_bad(struct yload *l, const struct ynode *n, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* "out of memory"; WB_ENOMEM. */
int	yload_oom(struct yload *l);

#endif
