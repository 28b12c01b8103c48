/*
 * yamldoc: a tree builder over libyaml's event parser.
 *
 * Events are folded into nodes with an explicit stack (no recursion on
 * input depth, which is capped).  Anchored nodes are remembered by name;
 * an alias is a deep copy of its anchor.  The nodes an alias would add are
 * counted before anything is copied, against YDOC_MAX_ALIAS_NODES: a
 * "billion laughs" document of a few hundred bytes is refused at once,
 * not after it has filled memory up to YDOC_MAX_NODES.
 */
#include "config.h"

#include "yamldoc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "err.h"
#include "mem.h"

#define YDOC_MAX_NODES	2000000
/* Real files alias a few small blocks (defaults, merge keys); JSON none. */
#define YDOC_MAX_ALIAS_NODES	100000
#define YDOC_MAX_DEPTH	256

struct anchor {
	char		*name;
	struct ynode	*node;
};

struct builder {
	struct ynode	*stack[YDOC_MAX_DEPTH];
	size_t		 count[YDOC_MAX_DEPTH];	/* children attached */
	size_t		 cap[YDOC_MAX_DEPTH];	/* items allocated */
	size_t		 depth;
	struct ynode	*root;
	struct anchor	*anchors;
	size_t		 nanchors, capanchors;
	size_t		 nodes;
	size_t		 alias_nodes;	/* of them, made by expanding aliases */
	const char	*name;
	struct wb_err	*err;
};

static void
node_free(struct ynode *n)
{
	size_t	i, cnt;

	if (n == NULL)
		return;
	cnt = n->type == YNODE_MAP ? 2 * n->n : n->n;
	for (i = 0; i < cnt; i++)
		node_free(n->items[i]);
	wb_free(n->items);
	wb_free(n->tag);
	wb_free(n->value);
	wb_free(n);
}

static struct ynode *
node_new(struct builder *b, enum ynode_type type, const yaml_mark_t *m,
    const yaml_char_t *tag)
{
	struct ynode	*n;

	if (++b->nodes > YDOC_MAX_NODES) {
		wb_err_set(b->err, WB_EPARSE, "%s:%zu:%zu: document too large "
		    "(more than %d nodes after expanding aliases)", b->name,
		    m->line + 1, m->column + 1, YDOC_MAX_NODES);
		return NULL;
	}
	if ((n = wb_calloc(1, sizeof *n)) == NULL) {
		wb_err_set(b->err, WB_ENOMEM, "out of memory");
		return NULL;
	}
	n->type = type;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	if (tag != NULL && (n->tag = wb_strdup((const char *)tag)) == NULL) {
		wb_free(n);
		wb_err_set(b->err, WB_ENOMEM, "out of memory");
		return NULL;
	}
	return n;
}

/* Nodes in the tree at n, counting stops past limit (so it is cheap). */
static size_t
node_count(const struct ynode *n, size_t limit)
{
	size_t	i, cnt, total = 1;

	if (n == NULL)
		return 0;
	cnt = n->type == YNODE_MAP ? 2 * n->n : n->n;
	for (i = 0; i < cnt && total <= limit; i++)
		total += node_count(n->items[i], limit - total);
	return total;
}

static struct ynode *
node_copy(struct builder *b, const struct ynode *src)
{
	struct ynode	*n;
	yaml_mark_t	 m;
	size_t		 i, cnt;

	memset(&m, 0, sizeof m);
	m.line = src->line - 1;
	m.column = src->col - 1;
	if ((n = node_new(b, src->type, &m, (const yaml_char_t *)src->tag)) ==
	    NULL)
		return NULL;
	n->plain = src->plain;
	n->len = src->len;
	if (src->value != NULL &&
	    (n->value = wb_strndup(src->value, src->len)) == NULL)
		goto nomem;
	cnt = src->type == YNODE_MAP ? 2 * src->n : src->n;
	if (cnt > 0 && (n->items = wb_calloc(cnt, sizeof *n->items)) == NULL)
		goto nomem;
	/* Items start NULL, so a partial copy frees cleanly. */
	n->n = src->n;
	for (i = 0; i < cnt; i++) {
		if (src->items[i] != NULL &&
		    (n->items[i] = node_copy(b, src->items[i])) == NULL) {
			node_free(n);
			return NULL;
		}
	}
	return n;
nomem:
	node_free(n);
	wb_err_set(b->err, WB_ENOMEM, "out of memory");
	return NULL;
}

/*
 * Append child to the container on top of the stack (or make it root).
 * A map's items are key, value, key, value...; a key gets a NULL value
 * slot at once so that a half-built map can always be freed.
 */
static int
attach(struct builder *b, struct ynode *child)
{
	struct ynode	 *top, **ni;
	size_t		 *cnt, *cap, c;

	if (b->depth == 0) {
		if (b->root == NULL)
			b->root = child;
		else
			node_free(child);
		return WB_OK;
	}
	top = b->stack[b->depth - 1];
	cnt = &b->count[b->depth - 1];
	cap = &b->cap[b->depth - 1];
	if (*cnt + 2 > *cap) {
		c = *cap ? *cap * 2 : 8;
		if ((ni = wb_reallocarray(top->items, c, sizeof *ni)) == NULL) {
			node_free(child);
			return wb_err_set(b->err, WB_ENOMEM, "out of memory");
		}
		top->items = ni;
		*cap = c;
	}
	top->items[*cnt] = child;
	top->items[*cnt + 1] = NULL;
	(*cnt)++;
	top->n = top->type == YNODE_MAP ? (*cnt + 1) / 2 : *cnt;
	return WB_OK;
}

static int
remember(struct builder *b, const yaml_char_t *anchor, struct ynode *n)
{
	struct anchor	*na;

	if (anchor == NULL)
		return WB_OK;
	if (b->nanchors == b->capanchors) {
		b->capanchors = b->capanchors ? b->capanchors * 2 : 8;
		if ((na = wb_reallocarray(b->anchors, b->capanchors,
		    sizeof *na)) == NULL)
			return wb_err_set(b->err, WB_ENOMEM, "out of memory");
		b->anchors = na;
	}
	if ((b->anchors[b->nanchors].name = wb_strdup((const char *)anchor))
	    == NULL)
		return wb_err_set(b->err, WB_ENOMEM, "out of memory");
	b->anchors[b->nanchors++].node = n;
	return WB_OK;
}

static const struct ynode *
lookup(struct builder *b, const yaml_char_t *anchor)
{
	size_t	i;

	/* The latest definition wins, as YAML says. */
	for (i = b->nanchors; i > 0; i--)
		if (strcmp(b->anchors[i - 1].name, (const char *)anchor) == 0)
			return b->anchors[i - 1].node;
	return NULL;
}

static int
on_event(struct builder *b, const yaml_event_t *ev)
{
	struct ynode		*n;
	const struct ynode	*src;
	int			 rc;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		if ((n = node_new(b, YNODE_SCALAR, &ev->start_mark,
		    ev->data.scalar.tag)) == NULL)
			return b->err ? b->err->code : WB_ENOMEM;
		n->len = ev->data.scalar.length;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if ((n->value = wb_strndup((const char *)ev->data.scalar.value,
		    n->len)) == NULL) {
			node_free(n);
			return wb_err_set(b->err, WB_ENOMEM, "out of memory");
		}
		if ((rc = remember(b, ev->data.scalar.anchor, n)) != WB_OK) {
			node_free(n);
			return rc;
		}
		return attach(b, n);
	case YAML_ALIAS_EVENT:
		if ((src = lookup(b, ev->data.alias.anchor)) == NULL)
			return wb_err_set(b->err, WB_EPARSE, "%s:%zu:%zu: "
			    "unknown alias *%s", b->name,
			    ev->start_mark.line + 1, ev->start_mark.column + 1,
			    (const char *)ev->data.alias.anchor);
		b->alias_nodes += node_count(src, YDOC_MAX_ALIAS_NODES -
		    b->alias_nodes);
		if (b->alias_nodes > YDOC_MAX_ALIAS_NODES)
			return wb_err_set(b->err, WB_EPARSE, "%s:%zu:%zu: "
			    "document too large: its aliases expand to more "
			    "than %d nodes (a \"billion laughs\" file?)",
			    b->name, ev->start_mark.line + 1,
			    ev->start_mark.column + 1, YDOC_MAX_ALIAS_NODES);
		if ((n = node_copy(b, src)) == NULL)
			return b->err ? b->err->code : WB_ENOMEM;
		return attach(b, n);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth == YDOC_MAX_DEPTH)
			return wb_err_set(b->err, WB_EPARSE, "%s:%zu:%zu: "
			    "nested more than %d levels deep", b->name,
			    ev->start_mark.line + 1, ev->start_mark.column + 1,
			    YDOC_MAX_DEPTH);
		n = node_new(b, ev->type == YAML_SEQUENCE_START_EVENT ?
		    YNODE_SEQ : YNODE_MAP, &ev->start_mark,
		    ev->type == YAML_SEQUENCE_START_EVENT ?
		    ev->data.sequence_start.tag : ev->data.mapping_start.tag);
		if (n == NULL)
			return b->err ? b->err->code : WB_ENOMEM;
		if ((rc = attach(b, n)) != WB_OK)
			return rc;
		b->stack[b->depth] = n;
		b->count[b->depth] = 0;
		b->cap[b->depth] = 0;
		b->depth++;
		/* An anchored container is copied only once complete, and
		 * YAML forbids an alias to an open anchor, so this is safe. */
		return remember(b, ev->type == YAML_SEQUENCE_START_EVENT ?
		    ev->data.sequence_start.anchor :
		    ev->data.mapping_start.anchor, n);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth > 0)
			b->depth--;
		return WB_OK;
	default:
		return WB_OK;
	}
}

static int
load(yaml_parser_t *p, const char *name, struct ydoc **out,
    struct wb_err *err)
{
	struct builder	 b;
	yaml_event_t	 ev;
	struct ydoc	*doc;
	size_t		 i;
	int		 rc = WB_OK, done = 0, docs = 0;

	memset(&b, 0, sizeof b);
	b.name = name;
	b.err = err;
	while (!done) {
		if (!yaml_parser_parse(p, &ev)) {
			rc = wb_err_set(err, WB_EPARSE, "%s:%zu:%zu: %s%s%s",
			    name, p->problem_mark.line + 1,
			    p->problem_mark.column + 1,
			    p->problem ? p->problem : "syntax error",
			    p->context ? " " : "",
			    p->context ? p->context : "");
			break;
		}
		if (ev.type == YAML_DOCUMENT_START_EVENT && docs++ > 0)
			done = 1;	/* only the first document */
		else if (ev.type == YAML_STREAM_END_EVENT)
			done = 1;
		else
			rc = on_event(&b, &ev);
		yaml_event_delete(&ev);
		if (rc != WB_OK)
			break;
	}
	for (i = 0; i < b.nanchors; i++)
		wb_free(b.anchors[i].name);
	wb_free(b.anchors);
	if (rc != WB_OK) {
		node_free(b.root);
		return rc;
	}
	if ((doc = wb_calloc(1, sizeof *doc)) == NULL ||
	    (doc->name = wb_strdup(name)) == NULL) {
		wb_free(doc);
		node_free(b.root);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	doc->root = b.root;
	*out = doc;
	return WB_OK;
}

int
ydoc_load_mem(const char *buf, size_t len, const char *name,
    struct ydoc **out, struct wb_err *err)
{
	yaml_parser_t	p;
	int		rc;

	*out = NULL;
	if (!yaml_parser_initialize(&p))
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	rc = load(&p, name, out, err);
	yaml_parser_delete(&p);
	return rc;
}

int
ydoc_load_file(const char *path, struct ydoc **out, struct wb_err *err)
{
	yaml_parser_t	 p;
	FILE		*fp;
	int		 rc;

	*out = NULL;
	if ((fp = fopen(path, "rb")) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
	if (!yaml_parser_initialize(&p)) {
		fclose(fp);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	yaml_parser_set_input_file(&p, fp);
	rc = load(&p, path, out, err);
	yaml_parser_delete(&p);
	fclose(fp);
	return rc;
}

void
ydoc_free(struct ydoc *doc)
{
	if (doc == NULL)
		return;
	node_free(doc->root);
	wb_free(doc->name);
	wb_free(doc);
}

const struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	size_t	i;

	if (map == NULL || map->type != YNODE_MAP)
		return NULL;
	for (i = 0; i < map->n; i++) {
		const struct ynode *k = map->items[2 * i];

		if (k != NULL && k->type == YNODE_SCALAR &&
		    strcmp(k->value, key) == 0)
			return map->items[2 * i + 1];
	}
	return NULL;
}

const char *
ynode_str(const struct ynode *n)
{
	return n != NULL && n->type == YNODE_SCALAR ? n->value : NULL;
}

int
ynode_is_null(const struct ynode *n)
{
	if (n == NULL)
		return 1;
	if (n->type != YNODE_SCALAR || !n->plain)
		return 0;
	return n->len == 0 || strcmp(n->value, "~") == 0 ||
	    strcmp(n->value, "null") == 0 || strcmp(n->value, "Null") == 0 ||
	    strcmp(n->value, "NULL") == 0;
}

int
ynode_is_unsafe(const struct ynode *n)
{
	static const char	core[] = "tag:yaml.org,2002:";
	static const char *const safe[] = { "str", "int", "float", "bool",
	    "null", "seq", "map", "timestamp", "binary", NULL };
	size_t			i;

	if (n == NULL || n->tag == NULL || strcmp(n->tag, "!") == 0)
		return 0;
	if (strncmp(n->tag, core, sizeof core - 1) != 0)
		return 1;
	for (i = 0; safe[i] != NULL; i++)
		if (strcmp(n->tag + sizeof core - 1, safe[i]) == 0)
			return 0;
	return 1;
}

int
yload_bad(struct yload *l, const struct ynode *n, const char *fmt, ...)
{
	char	msg[200];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return wb_err_set(l->err, WB_EPARSE, "%s:%u:%u: %s", l->file,
	    n != NULL ? n->line : 1, n != NULL ? n->col : 1, msg);
}

int
yload_oom(struct yload *l)
{
	return wb_err_set(l->err, WB_ENOMEM, "out of memory");
}
