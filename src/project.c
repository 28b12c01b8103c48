/*
 * project: the project file, mlwb.yaml.  Owns finding it (walking up from
 * a directory), reading it through yamldoc into struct project, checking
 * everything that can be checked before a job starts (parameter types,
 * defaults and choices, `{name}` references in commands, shell-like
 * splitting of string commands, output-scalar patterns, promotion gates),
 * and turning an entry point plus `-P name=value` overrides into the argv
 * that is executed.  Every error in the file says FILE:LINE:COL.
 *
 * The file, in short (doc/launch.md is the reference):
 *
 *	experiment: demo                 # default for every entry
 *	entry_points:
 *	  train:
 *	    command: ["sh", "train.sh", "--lr", "{lr}"]   # or a string
 *	    parameters:
 *	      lr: {type: float, default: 0.01}
 *	      optimizer: {type: str, default: adam, choices: [adam, sgd]}
 *	      data: path                 # required, type only
 *	    env: {PYTHONUNBUFFERED: "1"}
 *	    cwd: .
 *	    shell: false
 *	output_scalars:                  # absent: the default patterns
 *	  - default
 *	  - '(?<key>\w+)=(?<value>\S+)'
 *	  - val_auc: 'AUC is ([0-9.]+)'
 *	gates:
 *	  churn: "val_auc:max"
 */
#include "config.h"

#include "project.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "err.h"
#include "mem.h"
#include "pipeline_int.h"
#include "rx.h"
#include "strbuf.h"
#include "text.h"
#include "yamldoc.h"

#define PROJECT_FILE	"mlwb.yaml"
#define MAX_DEPTH	64

/* What struct project's ext points to: the launch area's sections. */
struct pext {
	struct project_scalar	*scalars;
	size_t			 nscalars;
	int			 use_default;
	char			**gate_model;	/* parallel arrays */
	char			**gate_spec;
	size_t			 ngates;
	char			**redact;	/* reproducibility: redact: */
	size_t			 nredact;
	size_t			 patch_limit;	/* 0: the default */
	int			 sample_every;	/* -1: unset */
	struct project_entry	*verify;	/* verify: section, or NULL */
	int64_t			 verify_watch, verify_every;	/* ms */
	struct pipeline_def	*pipes;		/* pipelines: (pipeline.h) */
	size_t			 npipes;
};

const char *
project_type_name(enum param_type t)
{
	switch (t) {
	case PARAM_INT:
		return "int";
	case PARAM_FLOAT:
		return "float";
	case PARAM_BOOL:
		return "bool";
	case PARAM_PATH:
		return "path";
	case PARAM_DATASET:
		return "dataset";
	case PARAM_STR:
		break;
	}
	return "str";
}

static int
type_parse(const char *s, enum param_type *t)
{
	static const struct {
		const char	*name;
		enum param_type	 t;
	} types[] = {
		{ "str", PARAM_STR }, { "string", PARAM_STR },
		{ "uri", PARAM_STR }, { "int", PARAM_INT },
		{ "integer", PARAM_INT }, { "float", PARAM_FLOAT },
		{ "number", PARAM_FLOAT }, { "bool", PARAM_BOOL },
		{ "boolean", PARAM_BOOL }, { "path", PARAM_PATH },
		{ "dataset", PARAM_DATASET },
	};
	size_t	i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(s, types[i].name) == 0) {
			*t = types[i].t;
			return 0;
		}
	return -1;
}

/* 1 and *v for the YAML 1.1 / command-line spellings of a boolean. */
static int
bool_parse(const char *s, int *v)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };
	size_t	i;

	for (i = 0; yes[i] != NULL; i++)
		if (strcasecmp(s, yes[i]) == 0) {
			*v = 1;
			return 1;
		}
	for (i = 0; no[i] != NULL; i++)
		if (strcasecmp(s, no[i]) == 0) {
			*v = 0;
			return 1;
		}
	return 0;
}

static int
int_parse(const char *s, long long *v)
{
	char	*end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return 0;
	errno = 0;
	*v = strtoll(s, &end, 10);
	return *end == '\0' && errno == 0;
}

static int
float_parse(const char *s, double *v)
{
	char	*end;

	if (*s == '\0' || isspace((unsigned char)*s))
		return 0;
	errno = 0;
	*v = strtod(s, &end);
	/* Hex floats and "nan" parse with strtod but are not parameters. */
	if (*end != '\0' || !isfinite(*v) || strpbrk(s, "xX") != NULL)
		return 0;
	return 1;
}

/* value fits the type alone (choices aside); else the message's tail. */
static const char *
type_fit(enum param_type t, const char *value)
{
	long long	i;
	double		d;
	int		b;

	switch (t) {
	case PARAM_INT:
		if (!int_parse(value, &i))
			return errno == ERANGE ? "an integer in range" :
			    "an integer";
		break;
	case PARAM_FLOAT:
		if (!float_parse(value, &d))
			return "a float";
		break;
	case PARAM_BOOL:
		if (!bool_parse(value, &b))
			return "true or false";
		break;
	case PARAM_PATH:
	case PARAM_DATASET:
		if (*value == '\0')
			return "a path (not empty)";
		break;
	case PARAM_STR:
		break;
	}
	return NULL;
}

/* Same choice: numbers compare as numbers ("0.10" is "0.1"). */
static int
choice_eq(enum param_type t, const char *a, const char *b)
{
	double		x, y;
	long long	i, j;
	int		p, q;

	switch (t) {
	case PARAM_INT:
		if (int_parse(a, &i) && int_parse(b, &j))
			return i == j;
		break;
	case PARAM_FLOAT:
		if (float_parse(a, &x) && float_parse(b, &y))
			return x == y;
		break;
	case PARAM_BOOL:
		if (bool_parse(a, &p) && bool_parse(b, &q))
			return p == q;
		break;
	case PARAM_STR:
	case PARAM_PATH:
	case PARAM_DATASET:
		break;
	}
	return strcmp(a, b) == 0;
}

int
project_param_check(const struct project_param *p, const char *value,
    struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	const char	*want;
	size_t		 i;
	int		 rc;

	if ((want = type_fit(p->type, value)) != NULL)
		return wb_err_set(err, WB_EINVAL, "%s must be %s", p->name,
		    want);
	if (p->choices == NULL)
		return WB_OK;
	for (i = 0; p->choices[i] != NULL; i++)
		if (choice_eq(p->type, value, p->choices[i]))
			return WB_OK;
	for (i = 0; p->choices[i] != NULL; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", p->choices[i]);
	rc = wb_err_set(err, WB_EINVAL, "%s must be one of: %s", p->name,
	    strbuf_str(&sb));
	strbuf_free(&sb);
	return rc;
}

/* Parameter and entry names: what can sit between braces and in -P. */
static int
name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("_.-", *s) == NULL)
			return 0;
	return 1;
}

static int
env_name_ok(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

void
project_argv_free(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		wb_free(argv[i]);
	wb_free(argv);
}

/* Append a copy of s (len bytes) to the NULL-terminated vector *v. */
static int
vec_push(char ***v, size_t *n, const char *s, size_t len)
{
	char	**nv, *c;

	if ((c = wb_strndup(s, len)) == NULL)
		return -1;
	if ((nv = wb_reallocarray(*v, *n + 2, sizeof *nv)) == NULL) {
		wb_free(c);
		return -1;
	}
	nv[(*n)++] = c;
	nv[*n] = NULL;
	*v = nv;
	return 0;
}

static int
syntax(struct wb_err *err, int c)
{
	return wb_err_set(err, WB_EPARSE, "'%c' is shell syntax and nothing "
	    "here runs a shell: quote it, or set shell: true", c);
}

int
project_split(const char *s, char ***argv, size_t *erroff,
    struct wb_err *err)
{
	struct strbuf	 w = STRBUF_INIT;
	const char	*p = s, *q;
	char		**v = NULL;
	size_t		 n = 0;
	int		 inword = 0, rc = WB_OK;

	*argv = NULL;
	*erroff = 0;
	while (*p != '\0' && rc == WB_OK) {
		if (strchr(" \t\n\r", *p) != NULL) {
			if (inword && vec_push(&v, &n, strbuf_str(&w), w.len))
				rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			strbuf_reset(&w);
			inword = 0;
			p++;
			continue;
		}
		inword = 1;
		if (*p == '\'') {
			q = p++;
			while (*p != '\0' && *p != '\'')
				strbuf_addc(&w, *p++);
			if (*p == '\0') {
				*erroff = (size_t)(q - s);
				rc = wb_err_set(err, WB_EPARSE,
				    "unterminated single quote");
			} else
				p++;
		} else if (*p == '"') {
			q = p++;
			while (*p != '\0' && *p != '"' && rc == WB_OK) {
				if (*p == '`' || (*p == '$' && p[1] != '\0' &&
				    (isalpha((unsigned char)p[1]) ||
				    strchr("_{(", p[1]) != NULL))) {
					*erroff = (size_t)(p - s);
					rc = syntax(err, *p);
				} else if (*p == '\\' && p[1] != '\0' &&
				    strchr("$`\"\\\n", p[1]) != NULL) {
					if (p[1] != '\n')
						strbuf_addc(&w, p[1]);
					p += 2;
				} else
					strbuf_addc(&w, *p++);
			}
			if (rc != WB_OK)
				break;
			if (*p == '\0') {
				*erroff = (size_t)(q - s);
				rc = wb_err_set(err, WB_EPARSE,
				    "unterminated double quote");
			} else
				p++;
		} else if (*p == '\\') {
			if (p[1] == '\0') {
				*erroff = (size_t)(p - s);
				rc = wb_err_set(err, WB_EPARSE,
				    "backslash at the end");
			} else {
				/* Backslash-newline joins lines, as in sh. */
				if (p[1] != '\n')
					strbuf_addc(&w, p[1]);
				else if (w.len == 0)
					inword = 0;
				p += 2;
			}
		} else if (strchr("|&;<>()`", *p) != NULL || (*p == '#' &&
		    w.len == 0) || (*p == '$' && p[1] != '\0' &&
		    (isalpha((unsigned char)p[1]) ||
		    strchr("_{(", p[1]) != NULL))) {
			*erroff = (size_t)(p - s);
			rc = syntax(err, *p);
		} else
			strbuf_addc(&w, *p++);
	}
	if (rc == WB_OK && inword && vec_push(&v, &n, strbuf_str(&w), w.len))
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	if (rc == WB_OK && w.oom)
		rc = wb_err_set(err, WB_ENOMEM, "out of memory");
	strbuf_free(&w);
	if (rc == WB_OK && v == NULL)
		rc = wb_err_set(err, WB_EPARSE, "empty command");
	if (rc != WB_OK) {
		project_argv_free(v);
		return rc;
	}
	*argv = v;
	return WB_OK;
}

/*
 * The parameter index that s (at a '{') refers to: *len is the length of
 * "{name}".  -1 when s does not start a reference; -2 when it names no
 * parameter (*len still set).
 */
static int
param_ref(const struct project_entry *e, const char *s, size_t *len)
{
	const char	*p = s + 1;
	size_t		 i, nlen;

	if (!isalpha((unsigned char)*p) && *p != '_')
		return -1;
	while (*p != '\0' && (isalnum((unsigned char)*p) ||
	    strchr("_.-", *p) != NULL))
		p++;
	if (*p != '}')
		return -1;
	nlen = (size_t)(p - s - 1);
	*len = nlen + 2;
	for (i = 0; i < e->nparams; i++)
		if (strlen(e->params[i].name) == nlen &&
		    memcmp(e->params[i].name, s + 1, nlen) == 0)
			return (int)i;
	return -2;
}

/* A value as one shell word: bare when harmless, else '...'. */
static void
shell_quote(struct strbuf *sb, const char *v)
{
	const char	*p;

	if (*v != '\0' && strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_./=:,+-@%{}") ==
	    strlen(v)) {
		strbuf_adds(sb, v);
		return;
	}
	strbuf_addc(sb, '\'');
	for (p = v; *p != '\0'; p++)
		if (*p == '\'')
			strbuf_adds(sb, "'\\''");
		else
			strbuf_addc(sb, *p);
	strbuf_addc(sb, '\'');
}

int
project_join(struct strbuf *sb, char *const *argv)
{
	size_t	i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		if (i > 0)
			strbuf_addc(sb, ' ');
		shell_quote(sb, argv[i]);
	}
	return sb->oom ? -1 : 0;
}

/*
 * Expand {name} in tmpl with vals (one per parameter of e); "{{" and "}}"
 * are literal braces, and so is "${...}" in a shell command (the shell's
 * own variables).  quote: shell-quote the values.
 */
static int
subst(const struct project_entry *e, const char *tmpl, char *const *vals,
    int quote, struct strbuf *out)
{
	const char	*p;
	size_t		 len;
	int		 i;

	for (p = tmpl; *p != '\0'; p++) {
		if ((*p == '{' && p[1] == '{') || (*p == '}' && p[1] == '}')) {
			strbuf_addc(out, *p++);
			continue;
		}
		if (*p == '{' && !(p > tmpl && p[-1] == '$') &&
		    (i = param_ref(e, p, &len)) >= 0) {
			if (quote)
				shell_quote(out, vals[i]);
			else
				strbuf_adds(out, vals[i]);
			p += len - 1;
			continue;
		}
		strbuf_addc(out, *p);
	}
	return out->oom ? -1 : 0;
}

/* Check that every {name} in tmpl (of node n) is a parameter. */
static int
tmpl_check(struct yload *l, const struct project_entry *e, const struct ynode *n,
    const char *tmpl)
{
	const char	*p;
	size_t		 len;

	for (p = tmpl; *p != '\0'; p++) {
		if ((*p == '{' && p[1] == '{') || (*p == '}' && p[1] == '}')) {
			p++;
			continue;
		}
		if (*p != '{' || (p > tmpl && p[-1] == '$'))
			continue;
		if (param_ref(e, p, &len) == -2)
			return yload_bad(l, n, "%.*s: entry point %s has no parameter "
			    "%.*s", (int)len, p, e->name, (int)len - 2, p + 1);
	}
	return WB_OK;
}

static int
want_scalar(struct yload *l, const struct ynode *n, const char *what)
{
	if (n == NULL || n->type != YNODE_SCALAR)
		return yload_bad(l, n, "%s must be a string", what);
	return WB_OK;
}

/* Refuse a second occurrence of a key in map m. */
static int
no_dups(struct yload *l, const struct ynode *m, const char *what)
{
	size_t	i, j;

	for (i = 1; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i];

		if (k->type != YNODE_SCALAR)
			return yload_bad(l, k, "%s names must be strings", what);
		for (j = 0; j < i; j++)
			if (m->items[2 * j]->type == YNODE_SCALAR &&
			    strcmp(m->items[2 * j]->value, k->value) == 0)
				return yload_bad(l, k, "%s '%s' given twice (first "
				    "at line %u)", what, k->value,
				    m->items[2 * j]->line);
	}
	if (m->n > 0 && m->items[0]->type != YNODE_SCALAR)
		return yload_bad(l, m->items[0], "%s names must be strings", what);
	return WB_OK;
}

/* Refuse tags that would construct objects, anywhere in the tree. */
static int
no_unsafe(struct yload *l, const struct ynode *n, int depth)
{
	size_t	i, cnt;
	int	rc;

	if (n == NULL)
		return WB_OK;
	if (depth > MAX_DEPTH)
		return yload_bad(l, n, "nested too deeply");
	if (ynode_is_unsafe(n))
		return yload_bad(l, n, "tag %s is not allowed in a project file",
		    n->tag);
	cnt = n->type == YNODE_MAP ? 2 * n->n : n->type == YNODE_SEQ ?
	    n->n : 0;
	for (i = 0; i < cnt; i++)
		if ((rc = no_unsafe(l, n->items[i], depth + 1)) != WB_OK)
			return rc;
	return WB_OK;
}

static int
check_keys(struct yload *l, const struct ynode *m, const char *what,
    const char *const *known)
{
	size_t	i, j;

	for (i = 0; i < m->n; i++) {
		const struct ynode *k = m->items[2 * i];

		for (j = 0; known[j] != NULL; j++)
			if (strcmp(k->value, known[j]) == 0)
				break;
		if (known[j] == NULL) {
			struct strbuf	sb = STRBUF_INIT;
			int		rc;

			for (j = 0; known[j] != NULL; j++)
				strbuf_addf(&sb, "%s%s", j ? ", " : "",
				    known[j]);
			rc = yload_bad(l, k, "unknown key '%s' in %s (known: %s)",
			    k->value, what, strbuf_str(&sb));
			strbuf_free(&sb);
			return rc;
		}
	}
	return WB_OK;
}

static void
param_clear(struct project_param *p)
{
	size_t	i;

	wb_free(p->name);
	wb_free(p->def);
	if (p->choices != NULL)
		for (i = 0; p->choices[i] != NULL; i++)
			wb_free(p->choices[i]);
	wb_free(p->choices);
}

/* One parameter: `name: TYPE` or `name: {type, default, choices}`. */
static int
load_param(struct yload *l, const struct ynode *k, const struct ynode *v,
    struct project_param *p)
{
	static const char *const keys[] = { "type", "default", "choices",
	    "description", "help", NULL };
	const struct ynode	*t, *d, *c;
	struct wb_err		 e;
	size_t			 i, n = 0;
	long long		 iv;
	double			 dv;
	int			 rc;

	if (!name_ok(k->value))
		return yload_bad(l, k, "'%s' is not a parameter name (letters, "
		    "digits, _ . -)", k->value);
	if ((p->name = wb_strdup(k->value)) == NULL)
		return yload_oom(l);
	p->type = PARAM_STR;
	if (v->type == YNODE_SCALAR) {
		if (ynode_is_null(v))
			return yload_bad(l, v, "parameter %s needs a type or a "
			    "mapping {type, default, choices}", p->name);
		if (type_parse(v->value, &p->type) != 0)
			return yload_bad(l, v, "unknown type '%s' (int, float, str, "
			    "bool, path, dataset)", v->value);
		return WB_OK;
	}
	if (v->type != YNODE_MAP)
		return yload_bad(l, v, "parameter %s must be a type or a mapping",
		    p->name);
	if ((rc = no_dups(l, v, "key")) != WB_OK ||
	    (rc = check_keys(l, v, "a parameter", keys)) != WB_OK)
		return rc;
	t = ynode_get(v, "type");
	d = ynode_get(v, "default");
	c = ynode_get(v, "choices");
	if (d != NULL && !ynode_is_null(d)) {
		if ((rc = want_scalar(l, d, "default")) != WB_OK)
			return rc;
		if ((p->def = wb_strdup(d->value)) == NULL)
			return yload_oom(l);
	}
	if (t != NULL) {
		if ((rc = want_scalar(l, t, "type")) != WB_OK)
			return rc;
		if (type_parse(t->value, &p->type) != 0)
			return yload_bad(l, t, "unknown type '%s' (int, float, str, "
			    "bool, path, dataset)", t->value);
	} else if (p->def != NULL && d->plain) {
		/* No type: an unquoted default says what it is. */
		if (int_parse(p->def, &iv))
			p->type = PARAM_INT;
		else if (float_parse(p->def, &dv))
			p->type = PARAM_FLOAT;
		else if (strcmp(p->def, "true") == 0 ||
		    strcmp(p->def, "false") == 0)
			p->type = PARAM_BOOL;
	}
	if (c != NULL && !ynode_is_null(c)) {
		if (c->type != YNODE_SEQ || c->n == 0)
			return yload_bad(l, c, "choices must be a non-empty list");
		if ((p->choices = wb_calloc(c->n + 1, sizeof *p->choices)) ==
		    NULL)
			return yload_oom(l);
		for (i = 0; i < c->n; i++) {
			if ((rc = want_scalar(l, c->items[i], "a choice")) !=
			    WB_OK)
				return rc;
			if (type_fit(p->type, c->items[i]->value) != NULL)
				return yload_bad(l, c->items[i], "choice '%s' of %s "
				    "is not %s", c->items[i]->value, p->name,
				    type_fit(p->type, c->items[i]->value));
			if ((p->choices[n++] = wb_strdup(c->items[i]->value))
			    == NULL)
				return yload_oom(l);
		}
	}
	if (p->def != NULL && project_param_check(p, p->def, &e) != WB_OK)
		return yload_bad(l, d, "default: %s", e.msg);
	return WB_OK;
}

static int
load_params(struct yload *l, const struct ynode *m, struct project_entry *e)
{
	size_t	i;
	int	rc;

	if (ynode_is_null(m))
		return WB_OK;
	if (m->type != YNODE_MAP)
		return yload_bad(l, m, "parameters must be a mapping NAME: TYPE or "
		    "NAME: {type, default, choices}");
	if ((rc = no_dups(l, m, "parameter")) != WB_OK)
		return rc;
	if (m->n == 0)
		return WB_OK;
	if ((e->params = wb_calloc(m->n, sizeof *e->params)) == NULL)
		return yload_oom(l);
	for (i = 0; i < m->n; i++) {
		rc = load_param(l, m->items[2 * i], m->items[2 * i + 1],
		    &e->params[i]);
		e->nparams = i + 1;
		if (rc != WB_OK)
			return rc;
	}
	return WB_OK;
}

static int
load_env(struct yload *l, const struct ynode *m, struct project_entry *e)
{
	const struct ynode	*k, *v;
	struct strbuf		 sb = STRBUF_INIT;
	const char		*eq;
	size_t			 i, n = 0;
	int			 rc;

	if (ynode_is_null(m))
		return WB_OK;
	if (m->type == YNODE_MAP && (rc = no_dups(l, m, "variable")) != WB_OK)
		return rc;
	if (m->type != YNODE_MAP && m->type != YNODE_SEQ)
		return yload_bad(l, m, "env must be a mapping NAME: VALUE or a list "
		    "of NAME=VALUE");
	for (i = 0; i < m->n; i++) {
		strbuf_reset(&sb);
		if (m->type == YNODE_MAP) {
			k = m->items[2 * i];
			v = m->items[2 * i + 1];
			if (!env_name_ok(k->value)) {
				strbuf_free(&sb);
				return yload_bad(l, k, "'%s' is not a variable name",
				    k->value);
			}
			if (v->type != YNODE_SCALAR) {
				strbuf_free(&sb);
				return yload_bad(l, v, "the value of %s must be a "
				    "string", k->value);
			}
			strbuf_addf(&sb, "%s=%s", k->value,
			    ynode_is_null(v) ? "" : v->value);
		} else {
			v = m->items[i];
			if (v->type != YNODE_SCALAR ||
			    (eq = strchr(v->value, '=')) == NULL) {
				strbuf_free(&sb);
				return yload_bad(l, v, "env items must be NAME=VALUE");
			}
			strbuf_add(&sb, v->value, (size_t)(eq - v->value));
			if (sb.oom) {
				strbuf_free(&sb);
				return yload_oom(l);
			}
			if (!env_name_ok(strbuf_str(&sb))) {
				rc = yload_bad(l, v, "'%s' is not a variable name",
				    strbuf_str(&sb));
				strbuf_free(&sb);
				return rc;
			}
			strbuf_adds(&sb, eq);
		}
		if (sb.oom || vec_push(&e->env, &n, strbuf_str(&sb), sb.len)) {
			strbuf_free(&sb);
			return yload_oom(l);
		}
	}
	strbuf_free(&sb);
	return WB_OK;
}

/* The column of byte off in scalar n's text, when it maps simply. */
static struct ynode
at_offset(const struct ynode *n, size_t off)
{
	struct ynode	pos = *n;

	if (memchr(n->value, '\n', n->len) == NULL && off <= n->len)
		pos.col = n->col + (unsigned)off + (n->plain ? 0 : 1);
	return pos;
}

static int
load_command(struct yload *l, const struct ynode *c, struct project_entry *e)
{
	struct ynode	 pos;
	struct wb_err	 se;
	size_t		 i, n = 0, off;
	int		 rc;

	if (c == NULL)
		return yload_bad(l, NULL, "entry point %s has no command", e->name);
	if (c->type == YNODE_SEQ) {
		if (e->shell)
			return yload_bad(l, c, "shell: true needs the command as one "
			    "string");
		if (c->n == 0)
			return yload_bad(l, c, "empty command");
		for (i = 0; i < c->n; i++) {
			if ((rc = want_scalar(l, c->items[i], "each word of "
			    "the command")) != WB_OK)
				return rc;
			if ((rc = tmpl_check(l, e, c->items[i],
			    c->items[i]->value)) != WB_OK)
				return rc;
			if (vec_push(&e->argv, &n, c->items[i]->value,
			    c->items[i]->len))
				return yload_oom(l);
		}
		if (*e->argv[0] == '\0')
			return yload_bad(l, c->items[0], "empty program name");
		return WB_OK;
	}
	if (c->type != YNODE_SCALAR || ynode_is_null(c))
		return yload_bad(l, c, "command must be a list of words or a string");
	if ((rc = tmpl_check(l, e, c, c->value)) != WB_OK)
		return rc;
	if (e->shell) {
		if (strspn(c->value, " \t\r\n") == c->len)
			return yload_bad(l, c, "empty command");
		return vec_push(&e->argv, &n, c->value, c->len) ? yload_oom(l) : WB_OK;
	}
	if (project_split(c->value, &e->argv, &off, &se) != WB_OK) {
		if (se.code == WB_ENOMEM)
			return yload_oom(l);
		pos = at_offset(c, off);
		return yload_bad(l, &pos, "%s", se.msg);
	}
	return WB_OK;
}

/*
 * outputs: a path or glob, or a list of them, relative to the entry's
 * cwd: what the supervisor logs as the run's artifacts when the job ends.
 */
static int
load_outputs(struct yload *l, const struct ynode *m, struct project_entry *e)
{
	const struct ynode	*v;
	size_t			 i, n = 0, count;

	if (m == NULL || ynode_is_null(m))
		return WB_OK;
	if (m->type != YNODE_SCALAR && m->type != YNODE_SEQ)
		return yload_bad(l, m, "outputs must be a path or a list of paths "
		    "(globs allowed)");
	count = m->type == YNODE_SCALAR ? 1 : m->n;
	for (i = 0; i < count; i++) {
		v = m->type == YNODE_SCALAR ? m : m->items[i];
		if (v->type != YNODE_SCALAR || ynode_is_null(v) ||
		    v->len == 0)
			return yload_bad(l, v, "an output must be a path or a glob");
		if (memchr(v->value, '\0', v->len) != NULL)
			return yload_bad(l, v, "an output path cannot hold a NUL");
		if (vec_push(&e->outputs, &n, v->value, v->len))
			return yload_oom(l);
	}
	return WB_OK;
}

/*
 * The ROLE of an input "PATH:ROLE": what follows the last ':' when it is
 * letters, digits, '_' and '-' (so "a:b.csv" stays a path); its offset,
 * or 0 when there is none.
 */
static size_t
role_at(const char *s, size_t len)
{
	const char	*c;
	size_t		 i;

	if ((c = strrchr(s, ':')) == NULL || c == s || c[1] == '\0')
		return 0;
	for (i = 1; c[i] != '\0'; i++)
		if (!isalnum((unsigned char)c[i]) && c[i] != '_' && c[i] != '-')
			return 0;
	return (size_t)(c - s) < len ? (size_t)(c - s) : 0;
}

/*
 * inputs: a path or glob, or a list of them, relative to the entry's cwd,
 * each PATH or PATH:ROLE, {param} allowed: what the supervisor records
 * as the run's input data sets when the job starts.  Loaded after the
 * parameters, which the paths may name.
 */
static int
load_inputs(struct yload *l, const struct ynode *m, struct project_entry *e)
{
	const struct ynode	*v;
	size_t			 i, n = 0, nr = 0, count, at;
	int			 rc;

	if (m == NULL || ynode_is_null(m))
		return WB_OK;
	if (m->type != YNODE_SCALAR && m->type != YNODE_SEQ)
		return yload_bad(l, m, "inputs must be a path or a list of paths "
		    "(globs allowed, PATH:ROLE)");
	count = m->type == YNODE_SCALAR ? 1 : m->n;
	for (i = 0; i < count; i++) {
		v = m->type == YNODE_SCALAR ? m : m->items[i];
		if (v->type != YNODE_SCALAR || ynode_is_null(v) ||
		    v->len == 0)
			return yload_bad(l, v, "an input must be a path or a glob");
		if (memchr(v->value, '\0', v->len) != NULL)
			return yload_bad(l, v, "an input path cannot hold a NUL");
		if ((rc = tmpl_check(l, e, v, v->value)) != WB_OK)
			return rc;
		at = role_at(v->value, v->len);
		if (vec_push(&e->inputs, &n, v->value, at ? at : v->len) ||
		    vec_push(&e->input_roles, &nr, at ? v->value + at + 1 :
		    "input", at ? v->len - at - 1 : strlen("input")))
			return yload_oom(l);
	}
	return WB_OK;
}

static int
load_entry(struct yload *l, const struct ynode *k, const struct ynode *v,
    const char *def_exp, struct project_entry *e)
{
	static const char *const keys[] = { "command", "parameters", "env",
	    "cwd", "experiment", "shell", "description", "outputs", "inputs",
	    NULL };
	const struct ynode	*n;
	int			 rc;

	if (!name_ok(k->value))
		return yload_bad(l, k, "'%s' is not an entry point name (letters, "
		    "digits, _ . -)", k->value);
	if ((e->name = wb_strdup(k->value)) == NULL)
		return yload_oom(l);
	if (v->type == YNODE_SCALAR || v->type == YNODE_SEQ) {
		/* `train: python3 train.py`: the command alone. */
		if ((rc = load_command(l, v, e)) != WB_OK)
			return rc;
	} else {
		if ((rc = no_dups(l, v, "key")) != WB_OK ||
		    (rc = check_keys(l, v, "an entry point", keys)) != WB_OK)
			return rc;
		if ((n = ynode_get(v, "shell")) != NULL) {
			if (n->type != YNODE_SCALAR ||
			    !bool_parse(n->value, &e->shell))
				return yload_bad(l, n, "shell must be true or false");
		}
		if ((rc = load_params(l, ynode_get(v, "parameters"), e)) !=
		    WB_OK || (rc = load_env(l, ynode_get(v, "env"), e)) !=
		    WB_OK)
			return rc;
		if ((n = ynode_get(v, "command")) == NULL)
			return yload_bad(l, k, "entry point %s has no command",
			    e->name);
		if ((rc = load_command(l, n, e)) != WB_OK)
			return rc;
		if ((rc = load_outputs(l, ynode_get(v, "outputs"), e)) !=
		    WB_OK || (rc = load_inputs(l, ynode_get(v, "inputs"), e)) !=
		    WB_OK)
			return rc;
		if ((n = ynode_get(v, "cwd")) != NULL && !ynode_is_null(n)) {
			if ((rc = want_scalar(l, n, "cwd")) != WB_OK)
				return rc;
			if ((e->cwd = wb_strdup(n->value)) == NULL)
				return yload_oom(l);
		}
		if ((n = ynode_get(v, "experiment")) != NULL &&
		    !ynode_is_null(n)) {
			if ((rc = want_scalar(l, n, "experiment")) != WB_OK)
				return rc;
			def_exp = n->value;
		}
	}
	if (def_exp != NULL && (e->experiment = wb_strdup(def_exp)) == NULL)
		return yload_oom(l);
	return WB_OK;
}

/* Compile pattern to check it and its groups; fixed: has a key. */
static int
check_pattern(struct yload *l, const struct ynode *n, int fixed)
{
	struct wb_err	 e;
	struct ynode	 pos;
	struct rx	*rx;
	size_t		 off;
	int		 rc = WB_OK;

	if ((rc = want_scalar(l, n, "a pattern")) != WB_OK)
		return rc;
	if (rx_compile(n->value, &rx, &off, &e) != WB_OK) {
		if (e.code == WB_ENOMEM)
			return yload_oom(l);
		pos = at_offset(n, off);
		return yload_bad(l, &pos, "bad pattern: %s", e.msg);
	}
	if (fixed && rx_group_number(rx, "value") < 0 && rx_ngroups(rx) < 1)
		rc = yload_bad(l, n, "the pattern needs a group for the value");
	else if (!fixed && (rx_group_number(rx, "key") < 0 ||
	    rx_group_number(rx, "value") < 0))
		rc = yload_bad(l, n, "the pattern needs groups named key and value "
		    "(?<key>...) (?<value>...), or give it a fixed key "
		    "(- NAME: PATTERN)");
	rx_free(rx);
	return rc;
}

static int
add_scalar(struct yload *l, struct pext *x, const struct ynode *k,
    const struct ynode *v)
{
	struct project_scalar	*ns, *s;
	int			 rc;

	if (k != NULL && !name_ok(k->value))
		return yload_bad(l, k, "'%s' is not a metric name", k->value);
	if ((rc = check_pattern(l, v, k != NULL)) != WB_OK)
		return rc;
	if ((ns = wb_reallocarray(x->scalars, x->nscalars + 1, sizeof *ns)) ==
	    NULL)
		return yload_oom(l);
	x->scalars = ns;
	s = &ns[x->nscalars];
	memset(s, 0, sizeof *s);
	if ((s->pattern = wb_strdup(v->value)) == NULL ||
	    (k != NULL && (s->key = wb_strdup(k->value)) == NULL)) {
		wb_free(s->pattern);
		return yload_oom(l);
	}
	s->line = v->line;
	s->col = v->col;
	x->nscalars++;
	return WB_OK;
}

static int
load_scalars(struct yload *l, const struct ynode *n, struct pext *x)
{
	const struct ynode	*it;
	size_t			 i, j;
	int			 rc, b;

	x->use_default = 1;
	if (n == NULL)
		return WB_OK;
	if (n->type == YNODE_SCALAR) {
		if (ynode_is_null(n) || strcmp(n->value, "default") == 0)
			return WB_OK;
		if (n->plain && bool_parse(n->value, &b)) {
			x->use_default = b;
			return WB_OK;
		}
		x->use_default = 0;
		return add_scalar(l, x, NULL, n);
	}
	x->use_default = 0;
	if (n->type == YNODE_MAP) {
		if ((rc = no_dups(l, n, "metric")) != WB_OK)
			return rc;
		for (i = 0; i < n->n; i++)
			if ((rc = add_scalar(l, x, n->items[2 * i],
			    n->items[2 * i + 1])) != WB_OK)
				return rc;
		return WB_OK;
	}
	for (i = 0; i < n->n; i++) {
		it = n->items[i];
		if (it->type == YNODE_SCALAR && it->plain &&
		    strcmp(it->value, "default") == 0)
			x->use_default = 1;
		else if (it->type == YNODE_MAP) {
			if ((rc = no_dups(l, it, "metric")) != WB_OK)
				return rc;
			for (j = 0; j < it->n; j++)
				if ((rc = add_scalar(l, x, it->items[2 * j],
				    it->items[2 * j + 1])) != WB_OK)
					return rc;
		} else if ((rc = add_scalar(l, x, NULL, it)) != WB_OK)
			return rc;
	}
	return WB_OK;
}

static int
load_gates(struct yload *l, const struct ynode *n, struct pext *x)
{
	const struct ynode	*k, *v;
	const char		*colon;
	size_t			 i;
	int			 rc;

	if (ynode_is_null(n))
		return WB_OK;
	if (n->type != YNODE_MAP)
		return yload_bad(l, n, "gates must be a mapping MODEL: "
		    "\"metric:min|max\"");
	if ((rc = no_dups(l, n, "model")) != WB_OK)
		return rc;
	if ((x->gate_model = wb_calloc(n->n, sizeof (char *))) == NULL ||
	    (x->gate_spec = wb_calloc(n->n, sizeof (char *))) == NULL)
		return yload_oom(l);
	for (i = 0; i < n->n; i++) {
		k = n->items[2 * i];
		v = n->items[2 * i + 1];
		/* "METRIC" alone lets the registry guess the direction. */
		if (v->type != YNODE_SCALAR || v->len == 0 ||
		    ((colon = strrchr(v->value, ':')) != NULL &&
		    (colon == v->value || (strcmp(colon, ":min") != 0 &&
		    strcmp(colon, ":max") != 0))))
			return yload_bad(l, v, "gate of %s must be \"METRIC:min\", "
			    "\"METRIC:max\" or \"METRIC\"", k->value);
		if ((x->gate_model[i] = wb_strdup(k->value)) == NULL ||
		    (x->gate_spec[i] = wb_strdup(v->value)) == NULL) {
			x->ngates = i + 1;
			return yload_oom(l);
		}
		x->ngates = i + 1;
	}
	return WB_OK;
}

/*
 * reproducibility: {redact: [PATTERN, ...], patch_limit: BYTES}: names of
 * environment variables whose values a launched run keeps as
 * "[redacted]", besides the built-in *TOKEN* *KEY* *SECRET* *PASSWORD*
 * (repro.h), and the size at which a dirty tree's patch is cut.
 */
static int
load_repro(struct yload *l, const struct ynode *n, struct pext *x)
{
	static const char *const keys[] = { "redact", "patch_limit", NULL };
	const struct ynode	*rd, *it, *pl;
	char			*end;
	unsigned long long	 lim;
	size_t			 i;
	int			 rc;

	if (n == NULL || ynode_is_null(n))
		return WB_OK;
	if (n->type != YNODE_MAP)
		return yload_bad(l, n, "reproducibility must be a mapping "
		    "{redact: [PATTERN, ...]}");
	if ((rc = check_keys(l, n, "reproducibility", keys)) != WB_OK)
		return rc;
	if ((pl = ynode_get(n, "patch_limit")) != NULL &&
	    !ynode_is_null(pl)) {
		errno = 0;
		lim = pl->type == YNODE_SCALAR && pl->len > 0 &&
		    isdigit((unsigned char)pl->value[0]) ?
		    strtoull(pl->value, &end, 10) : 0;
		if (lim == 0 || errno != 0 || *end != '\0' ||
		    lim > (unsigned long long)1 << 30)
			return yload_bad(l, pl, "patch_limit must be a number of "
			    "bytes from 1 to 1073741824");
		x->patch_limit = (size_t)lim;
	}
	if ((rd = ynode_get(n, "redact")) == NULL || ynode_is_null(rd))
		return WB_OK;
	if (rd->type != YNODE_SEQ)
		return yload_bad(l, rd, "redact must be a list of name patterns, "
		    "e.g. [\"*_CREDENTIALS\", \"AWS_*\"]");
	if ((x->redact = wb_calloc(rd->n + 1, sizeof (char *))) == NULL)
		return yload_oom(l);
	for (i = 0; i < rd->n; i++) {
		it = rd->items[i];
		if (it->type != YNODE_SCALAR || it->len == 0)
			return yload_bad(l, it, "redact: each pattern must be a "
			    "non-empty string");
		if ((x->redact[i] = wb_strdup(it->value)) == NULL)
			return yload_oom(l);
		x->nredact = i + 1;
	}
	return WB_OK;
}

/*
 * system_metrics: {sample_every: SECONDS}: how often the supervisor of a
 * launched job samples its CPU, memory and GPUs (0: never).
 */
static int
load_sysm(struct yload *l, const struct ynode *n, struct pext *x)
{
	static const char *const keys[] = { "sample_every", NULL };
	const struct ynode	*se;
	char			*end;
	long			 v;
	int			 rc;

	x->sample_every = -1;
	if (n == NULL || ynode_is_null(n))
		return WB_OK;
	if (n->type != YNODE_MAP)
		return yload_bad(l, n, "system_metrics must be a mapping "
		    "{sample_every: SECONDS}");
	if ((rc = check_keys(l, n, "system_metrics", keys)) != WB_OK)
		return rc;
	if ((se = ynode_get(n, "sample_every")) == NULL || ynode_is_null(se))
		return WB_OK;
	errno = 0;
	v = se->type == YNODE_SCALAR && se->len > 0 &&
	    isdigit((unsigned char)se->value[0]) ? strtol(se->value, &end, 10) :
	    -1;
	if (v < 0 || errno != 0 || *end != '\0' || v > 86400)
		return yload_bad(l, se, "sample_every must be a number of seconds "
		    "from 0 (off) to 86400");
	x->sample_every = (int)v;
	return WB_OK;
}

/* A duration value of the verify: section ("10m", "30s", 90). */
static int
load_dur(struct yload *l, const struct ynode *n, const char *what, int64_t *ms)
{
	if (n == NULL || ynode_is_null(n))
		return WB_OK;
	if (n->type != YNODE_SCALAR || text_duration_parse(n->value, ms) != 0)
		return yload_bad(l, n, "%s must be a duration such as 30s, 10m or "
		    "1h", what);
	return WB_OK;
}

/*
 * verify: COMMAND, or {run: COMMAND, shell, env, cwd, watch: 10m,
 * every: 30s}: the check that runs after a promotion's deploy.
 */
static int
load_verify(struct yload *l, const struct ynode *n, struct pext *x)
{
	static const char *const keys[] = { "run", "shell", "env", "cwd",
	    "watch", "every", NULL };
	const struct ynode	*v;
	struct project_entry	*e;
	int			 rc;

	if (n == NULL || ynode_is_null(n))
		return WB_OK;
	if ((x->verify = e = wb_calloc(1, sizeof *e)) == NULL ||
	    (e->name = wb_strdup("verify")) == NULL)
		return yload_oom(l);
	if (n->type == YNODE_SCALAR || n->type == YNODE_SEQ)
		return load_command(l, n, e);
	if (n->type != YNODE_MAP)
		return yload_bad(l, n, "verify must be a command or a mapping "
		    "{run: COMMAND, watch: 10m, every: 30s}");
	if ((rc = no_dups(l, n, "key")) != WB_OK ||
	    (rc = check_keys(l, n, "verify", keys)) != WB_OK)
		return rc;
	if ((v = ynode_get(n, "shell")) != NULL &&
	    (v->type != YNODE_SCALAR || !bool_parse(v->value, &e->shell)))
		return yload_bad(l, v, "shell must be true or false");
	if ((rc = load_env(l, ynode_get(n, "env"), e)) != WB_OK)
		return rc;
	if ((v = ynode_get(n, "run")) == NULL)
		return yload_bad(l, n, "verify has no run: (the command)");
	if ((rc = load_command(l, v, e)) != WB_OK)
		return rc;
	if ((v = ynode_get(n, "cwd")) != NULL && !ynode_is_null(v)) {
		if ((rc = want_scalar(l, v, "cwd")) != WB_OK)
			return rc;
		if ((e->cwd = wb_strdup(v->value)) == NULL)
			return yload_oom(l);
	}
	if ((rc = load_dur(l, ynode_get(n, "watch"), "watch",
	    &x->verify_watch)) != WB_OK ||
	    (rc = load_dur(l, ynode_get(n, "every"), "every",
	    &x->verify_every)) != WB_OK)
		return rc;
	if (x->verify_every > 0 && x->verify_watch == 0)
		return yload_bad(l, ynode_get(n, "every"), "every needs a watch: "
		    "window to repeat the check in");
	return WB_OK;
}

static int
load_doc(struct yload *l, const struct ydoc *doc, struct project *p)
{
	/* Sections other areas read from the same file are allowed here. */
	static const char *const keys[] = { "name", "description",
	    "experiment", "entry_points", "output_scalars", "gates", "drift",
	    "theme", "imports", "import", "reproducibility", "system_metrics",
	    "pipelines", "verify", NULL };
	const struct ynode	*r = doc->root, *ep, *n;
	const char		*def_exp = NULL;
	size_t			 i;
	int			 rc;

	if (r == NULL)
		return yload_bad(l, NULL, "empty project file: it needs "
		    "entry_points");
	if ((rc = no_unsafe(l, r, 0)) != WB_OK)
		return rc;
	if (r->type != YNODE_MAP)
		return yload_bad(l, r, "the project file must be a mapping with "
		    "entry_points");
	if ((rc = no_dups(l, r, "key")) != WB_OK ||
	    (rc = check_keys(l, r, "the project file", keys)) != WB_OK)
		return rc;
	if ((n = ynode_get(r, "experiment")) != NULL && !ynode_is_null(n)) {
		if ((rc = want_scalar(l, n, "experiment")) != WB_OK)
			return rc;
		def_exp = n->value;
	}
	ep = ynode_get(r, "entry_points");
	if (ep == NULL)
		return yload_bad(l, r, "no entry_points");
	if (ep->type != YNODE_MAP || ep->n == 0)
		return yload_bad(l, ep, "entry_points must be a mapping NAME: "
		    "{command, parameters ...}");
	if ((rc = no_dups(l, ep, "entry point")) != WB_OK)
		return rc;
	if ((p->entries = wb_calloc(ep->n, sizeof *p->entries)) == NULL)
		return yload_oom(l);
	for (i = 0; i < ep->n; i++) {
		p->nentries = i + 1;
		if ((rc = load_entry(l, ep->items[2 * i], ep->items[2 * i + 1],
		    def_exp, &p->entries[i])) != WB_OK)
			return rc;
	}
	if ((rc = load_scalars(l, ynode_get(r, "output_scalars"),
	    p->ext)) != WB_OK ||
	    (rc = load_repro(l, ynode_get(r, "reproducibility"), p->ext)) !=
	    WB_OK || (rc = load_sysm(l, ynode_get(r, "system_metrics"),
	    p->ext)) != WB_OK ||
	    (rc = load_verify(l, ynode_get(r, "verify"), p->ext)) != WB_OK)
		return rc;
	if ((rc = load_gates(l, ynode_get(r, "gates"), p->ext)) != WB_OK)
		return rc;
	/* Last: pipeline steps are checked against the entry points. */
	return pipeline_defs_load(l->file, ynode_get(r, "pipelines"), p,
	    &((struct pext *)p->ext)->pipes, &((struct pext *)p->ext)->npipes,
	    l->err);
}

const struct pipeline_def *
project_pipelines(const struct project *p, size_t *n)
{
	const struct pext	*x;

	if (p == NULL || (x = p->ext) == NULL) {
		*n = 0;
		return NULL;
	}
	*n = x->npipes;
	return x->pipes;
}

int
project_find(const char *dir, char **path, struct wb_err *err)
{
	struct stat	 sb;
	struct strbuf	 f = STRBUF_INIT;
	char		*real, *cur, *slash;
	int		 rc = WB_ENOTFOUND;

	*path = NULL;
	if ((real = realpath(dir, NULL)) == NULL)
		return wb_err_set(err, WB_EIO, "%s: %s", dir, strerror(errno));
	cur = wb_strdup(real);
	free(real);
	if (cur == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (;;) {
		strbuf_reset(&f);
		strbuf_addf(&f, "%s/%s", strcmp(cur, "/") == 0 ? "" : cur,
		    PROJECT_FILE);
		if (f.oom) {
			rc = wb_err_set(err, WB_ENOMEM, "out of memory");
			break;
		}
		if (stat(f.s, &sb) == 0 && S_ISREG(sb.st_mode)) {
			*path = strbuf_detach(&f);
			rc = WB_OK;
			break;
		}
		if (strcmp(cur, "/") == 0) {
			rc = wb_err_set(err, WB_ENOTFOUND, "no %s in %s or "
			    "any folder above it (--project FILE names one)",
			    PROJECT_FILE, dir);
			break;
		}
		slash = strrchr(cur, '/');
		if (slash == cur)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	wb_free(cur);
	strbuf_free(&f);
	return rc;
}

int
project_load(const char *path, struct project **out, struct wb_err *err)
{
	struct project	*p;
	struct ydoc	*doc = NULL;
	struct yload	 l = { path, err };
	char		*real, *slash;
	int		 rc;

	*out = NULL;
	if ((rc = ydoc_load_file(path, &doc, err)) != WB_OK)
		return rc;
	if ((p = wb_calloc(1, sizeof *p)) == NULL ||
	    (p->ext = wb_calloc(1, sizeof (struct pext))) == NULL ||
	    (p->path = wb_strdup(path)) == NULL) {
		rc = yload_oom(&l);
		goto fail;
	}
	if ((real = realpath(path, NULL)) == NULL) {
		rc = wb_err_set(err, WB_EIO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	slash = strrchr(real, '/');
	if (slash == real)
		slash[1] = '\0';
	else if (slash != NULL)
		*slash = '\0';
	p->root = wb_strdup(real);
	free(real);
	if (p->root == NULL) {
		rc = yload_oom(&l);
		goto fail;
	}
	if ((rc = load_doc(&l, doc, p)) != WB_OK)
		goto fail;
	ydoc_free(doc);
	*out = p;
	return WB_OK;
fail:
	ydoc_free(doc);
	project_free(p);
	return rc;
}

static void
entry_clear(struct project_entry *e)
{
	size_t	j;

	if (e == NULL)
		return;
	wb_free(e->name);
	project_argv_free(e->argv);
	for (j = 0; j < e->nparams; j++)
		param_clear(&e->params[j]);
	wb_free(e->params);
	project_argv_free(e->env);
	project_argv_free(e->outputs);
	project_argv_free(e->inputs);
	project_argv_free(e->input_roles);
	wb_free(e->cwd);
	wb_free(e->experiment);
}

void
project_free(struct project *p)
{
	struct pext	*x;
	size_t		 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nentries; i++)
		entry_clear(&p->entries[i]);
	wb_free(p->entries);
	if ((x = p->ext) != NULL) {
		entry_clear(x->verify);
		wb_free(x->verify);
		for (i = 0; i < x->nscalars; i++) {
			wb_free(x->scalars[i].key);
			wb_free(x->scalars[i].pattern);
		}
		wb_free(x->scalars);
		for (i = 0; i < x->ngates; i++) {
			wb_free(x->gate_model[i]);
			wb_free(x->gate_spec[i]);
		}
		wb_free(x->gate_model);
		wb_free(x->gate_spec);
		project_argv_free(x->redact);
		pipeline_defs_free(x->pipes, x->npipes);
		wb_free(x);
	}
	wb_free(p->path);
	wb_free(p->root);
	wb_free(p);
}

const struct project_entry *
project_entry(const struct project *p, const char *name)
{
	size_t	i;

	if (p == NULL || name == NULL)
		return NULL;
	for (i = 0; i < p->nentries; i++)
		if (strcmp(p->entries[i].name, name) == 0)
			return &p->entries[i];
	return NULL;
}

int
project_values(const struct project_entry *e, char *const *sets,
    size_t nsets, char ***vals, struct wb_err *err)
{
	const char	*eq;
	char		**v;
	size_t		 i, j, nlen;
	int		 rc;

	*vals = NULL;
	if ((v = wb_calloc(e->nparams + 1, sizeof *v)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	for (i = 0; i < nsets; i++) {
		if ((eq = strchr(sets[i], '=')) == NULL || eq == sets[i]) {
			rc = wb_err_set(err, WB_EINVAL, "-P %s: expected "
			    "NAME=VALUE", sets[i]);
			goto fail;
		}
		nlen = (size_t)(eq - sets[i]);
		for (j = 0; j < e->nparams; j++)
			if (strlen(e->params[j].name) == nlen &&
			    memcmp(e->params[j].name, sets[i], nlen) == 0)
				break;
		if (j == e->nparams) {
			rc = wb_err_set(err, WB_EINVAL, "-P %s: entry point "
			    "%s has no parameter %.*s", sets[i], e->name,
			    (int)nlen, sets[i]);
			goto fail;
		}
		if ((rc = project_param_check(&e->params[j], eq + 1, err)) !=
		    WB_OK) {
			wb_err_prefix(err, "-P %s", sets[i]);
			goto fail;
		}
		wb_free(v[j]);	/* the last -P of a name wins */
		if ((v[j] = wb_strdup(eq + 1)) == NULL)
			goto nomem;
	}
	for (j = 0; j < e->nparams; j++) {
		if (v[j] != NULL)
			continue;
		if (e->params[j].def == NULL) {
			rc = wb_err_set(err, WB_EINVAL, "entry point %s needs "
			    "-P %s=%s", e->name, e->params[j].name,
			    project_type_name(e->params[j].type));
			goto fail;
		}
		if ((v[j] = wb_strdup(e->params[j].def)) == NULL)
			goto nomem;
	}
	*vals = v;
	return WB_OK;
nomem:
	rc = wb_err_set(err, WB_ENOMEM, "out of memory");
fail:
	for (j = 0; j < e->nparams; j++)
		wb_free(v[j]);
	wb_free(v);
	return rc;
}

int
project_inputs(const struct project_entry *e, char *const *vals,
    char ***specs, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		**v = NULL;
	const char	*name;
	size_t		 i, n = 0;

	for (i = 0; i < e->nparams; i++) {
		if (e->params[i].type != PARAM_DATASET)
			continue;
		name = e->params[i].name;
		if (vec_push(&v, &n, "file", 4) ||
		    vec_push(&v, &n, vals[i], strlen(vals[i])) ||
		    vec_push(&v, &n, name, strlen(name)))
			goto nomem;
	}
	for (i = 0; e->inputs != NULL && e->inputs[i] != NULL; i++) {
		strbuf_reset(&sb);
		if (subst(e, e->inputs[i], vals, 0, &sb) ||
		    vec_push(&v, &n, "glob", 4) ||
		    vec_push(&v, &n, strbuf_str(&sb), sb.len) ||
		    vec_push(&v, &n, e->input_roles[i],
		    strlen(e->input_roles[i])))
			goto nomem;
	}
	strbuf_free(&sb);
	*specs = v;
	return WB_OK;
nomem:
	strbuf_free(&sb);
	project_argv_free(v);
	*specs = NULL;
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

/* argv of e with vals substituted; quote for a shell command. */
static int
expand(const struct project_entry *e, char *const *vals, int shell,
    char ***argv, struct wb_err *err)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		**v = NULL;
	size_t		 i, n = 0;

	if (shell && (vec_push(&v, &n, "/bin/sh", 7) ||
	    vec_push(&v, &n, "-c", 2)))
		goto nomem;
	for (i = 0; e->argv[i] != NULL; i++) {
		strbuf_reset(&sb);
		if (subst(e, e->argv[i], vals, shell, &sb) ||
		    vec_push(&v, &n, strbuf_str(&sb), sb.len))
			goto nomem;
	}
	strbuf_free(&sb);
	*argv = v;
	return WB_OK;
nomem:
	strbuf_free(&sb);
	project_argv_free(v);
	return wb_err_set(err, WB_ENOMEM, "out of memory");
}

static int
build(const struct project_entry *e, char *const *sets, size_t nsets,
    int shell, char ***argv, struct wb_err *err)
{
	char	**vals;
	int	  rc;

	*argv = NULL;
	if ((rc = project_values(e, sets, nsets, &vals, err)) != WB_OK)
		return rc;
	rc = expand(e, vals, shell, argv, err);
	project_argv_free(vals);
	return rc;
}

int
project_argv(const struct project_entry *e, char *const *sets, size_t nsets,
    char ***argv, struct wb_err *err)
{
	return build(e, sets, nsets, 0, argv, err);
}

int
project_command(const struct project_entry *e, char *const *sets,
    size_t nsets, char ***argv, struct wb_err *err)
{
	return build(e, sets, nsets, e->shell, argv, err);
}

const struct project_scalar *
project_output_scalars(const struct project *p, size_t *n, int *use_default)
{
	const struct pext	*x;

	if (p == NULL || (x = p->ext) == NULL) {
		*n = 0;
		*use_default = 1;
		return NULL;
	}
	*n = x->nscalars;
	*use_default = x->use_default;
	return x->scalars;
}

int
project_sample_every(const struct project *p)
{
	const struct pext	*x;

	return p != NULL && (x = p->ext) != NULL ? x->sample_every : -1;
}

size_t
project_patch_limit(const struct project *p)
{
	const struct pext	*x;

	return p != NULL && (x = p->ext) != NULL ? x->patch_limit : 0;
}

char *const *
project_redact(const struct project *p, size_t *n)
{
	const struct pext	*x;

	if (p == NULL || (x = p->ext) == NULL) {
		*n = 0;
		return NULL;
	}
	*n = x->nredact;
	return x->redact;
}

const struct project_entry *
project_verify(const struct project *p, int64_t *watch_ms, int64_t *every_ms)
{
	const struct pext	*x;

	*watch_ms = *every_ms = 0;
	if (p == NULL || (x = p->ext) == NULL || x->verify == NULL)
		return NULL;
	*watch_ms = x->verify_watch;
	*every_ms = x->verify_every;
	return x->verify;
}

const char *
project_gate(const struct project *p, const char *model)
{
	const struct pext	*x;
	size_t			 i;

	if (p == NULL || (x = p->ext) == NULL || model == NULL)
		return NULL;
	for (i = 0; i < x->ngates; i++)
		if (strcmp(x->gate_model[i], model) == 0)
			return x->gate_spec[i];
	return NULL;
}
