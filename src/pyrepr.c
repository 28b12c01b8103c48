/*
 * pyrepr: a recursive-descent reader of Python literals as repr() writes
 * them: dicts, lists, tuples, strings in either quote with backslash
 * escapes, numbers (nan, inf), True, False, None.  Anything else that
 * repr() may leave in a cell (<Foo object at 0x...>, tensor(1.),
 * device(type='cuda')) is kept as its source text, up to the next comma
 * or closing bracket at its own depth, so one odd value does not lose
 * the row.
 */
#include "config.h"

#include "pyrepr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mem.h"
#include "strbuf.h"
#include "text.h"

#define PY_DEPTH	64

struct pp {
	const char	*s, *p, *end;
	const char	*what;
	struct wb_err	*err;
};

static int	parse_value(struct pp *, int, struct py_node **);

static void
skip_ws(struct pp *pp)
{
	while (pp->p < pp->end && (*pp->p == ' ' || *pp->p == '\t' ||
	    *pp->p == '\n' || *pp->p == '\r'))
		pp->p++;
}

static int
fail(struct pp *pp, const char *why)
{
	return wb_err_set(pp->err, WB_EPARSE, "%s: not a Python dict repr: "
	    "%s at character %zu", pp->what, why, (size_t)(pp->p - pp->s) + 1);
}

void
py_free(struct py_node *n)
{
	size_t	i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n; i++) {
		if (n->keys != NULL)
			wb_free(n->keys[i]);
		py_free(n->items[i]);
	}
	wb_free(n->keys);
	wb_free(n->items);
	wb_free(n->text);
	wb_free(n);
}

static struct py_node *
node_new(struct pp *pp, enum py_type type, const char *text, size_t len)
{
	struct py_node	*n;

	if ((n = wb_calloc(1, sizeof *n)) == NULL ||
	    (n->text = wb_strndup(text, len)) == NULL) {
		wb_free(n);
		wb_err_set(pp->err, WB_ENOMEM, "out of memory");
		return NULL;
	}
	n->type = type;
	return n;
}

/* UTF-8 of code point c into sb. */
static void
put_utf8(struct strbuf *sb, unsigned long c)
{
	if (c < 0x80)
		strbuf_addc(sb, (char)c);
	else if (c < 0x800) {
		strbuf_addc(sb, (char)(0xc0 | (c >> 6)));
		strbuf_addc(sb, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x10000) {
		strbuf_addc(sb, (char)(0xe0 | (c >> 12)));
		strbuf_addc(sb, (char)(0x80 | ((c >> 6) & 0x3f)));
		strbuf_addc(sb, (char)(0x80 | (c & 0x3f)));
	} else if (c < 0x110000) {
		strbuf_addc(sb, (char)(0xf0 | (c >> 18)));
		strbuf_addc(sb, (char)(0x80 | ((c >> 12) & 0x3f)));
		strbuf_addc(sb, (char)(0x80 | ((c >> 6) & 0x3f)));
		strbuf_addc(sb, (char)(0x80 | (c & 0x3f)));
	}
}

/* Hex digits of an escape; -1 if short. */
static long
hex_of(struct pp *pp, int digits)
{
	char	tmp[9], *e;
	long	v;

	if (pp->end - pp->p < digits)
		return -1;
	memcpy(tmp, pp->p, (size_t)digits);
	tmp[digits] = '\0';
	v = strtol(tmp, &e, 16);
	if (*e != '\0')
		return -1;
	pp->p += digits;
	return v;
}

static int
parse_string(struct pp *pp, struct py_node **out)
{
	struct strbuf	 sb = STRBUF_INIT;
	char		 q = *pp->p++;
	long		 c;

	while (pp->p < pp->end && *pp->p != q) {
		if (*pp->p != '\\') {
			strbuf_addc(&sb, *pp->p++);
			continue;
		}
		if (++pp->p == pp->end)
			break;
		switch (*pp->p++) {
		case 'n':
			strbuf_addc(&sb, '\n');
			break;
		case 't':
			strbuf_addc(&sb, '\t');
			break;
		case 'r':
			strbuf_addc(&sb, '\r');
			break;
		case 'x':
			if ((c = hex_of(pp, 2)) < 0)
				goto bad;
			put_utf8(&sb, (unsigned long)c);
			break;
		case 'u':
			if ((c = hex_of(pp, 4)) < 0)
				goto bad;
			put_utf8(&sb, (unsigned long)c);
			break;
		case 'U':
			if ((c = hex_of(pp, 8)) < 0)
				goto bad;
			put_utf8(&sb, (unsigned long)c);
			break;
		default:	/* \\, \', \" and the rest as written */
			if (pp->p[-1] != '\\' && pp->p[-1] != '\'' &&
			    pp->p[-1] != '"')
				strbuf_addc(&sb, '\\');
			strbuf_addc(&sb, pp->p[-1]);
			break;
		}
	}
	if (pp->p == pp->end) {
		strbuf_free(&sb);
		return fail(pp, "unterminated string");
	}
	pp->p++;
	if (sb.oom) {
		strbuf_free(&sb);
		return wb_err_set(pp->err, WB_ENOMEM, "out of memory");
	}
	*out = node_new(pp, PY_STR, strbuf_str(&sb), sb.len);
	strbuf_free(&sb);
	return *out ? WB_OK : WB_ENOMEM;
bad:
	strbuf_free(&sb);
	return fail(pp, "bad escape");
}

/* Source text up to the next ',' ']' ')' '}' or ':' at depth 0. */
static int
parse_other(struct pp *pp, struct py_node **out)
{
	const char	*start = pp->p, *e;
	char		 q = 0;
	int		 depth = 0;
	double		 v;
	size_t		 len;

	for (; pp->p < pp->end; pp->p++) {
		char	c = *pp->p;

		if (q) {
			if (c == '\\' && pp->p + 1 < pp->end)
				pp->p++;
			else if (c == q)
				q = 0;
		} else if (c == '\'' || c == '"')
			q = c;
		else if (c == '(' || c == '[' || c == '{' || c == '<')
			depth++;
		else if (depth > 0 && (c == ')' || c == ']' || c == '}' ||
		    c == '>'))
			depth--;
		else if (depth == 0 && (c == ',' || c == ')' || c == ']' ||
		    c == '}' || c == ':'))
			break;
	}
	for (e = pp->p; e > start && (e[-1] == ' ' || e[-1] == '\t'); e--)
		;
	len = (size_t)(e - start);
	if (len == 0)
		return fail(pp, "a value expected");
	if ((*out = node_new(pp, PY_OTHER, start, len)) == NULL)
		return WB_ENOMEM;
	if (strcmp((*out)->text, "True") == 0 ||
	    strcmp((*out)->text, "False") == 0) {
		(*out)->type = PY_BOOL;
		(*out)->num = (*out)->text[0] == 'T';
	} else if (strcmp((*out)->text, "None") == 0)
		(*out)->type = PY_NONE;
	else if (text_parse_num((*out)->text, len, &v) == 0) {
		(*out)->type = PY_NUM;
		(*out)->num = v;
	}
	return WB_OK;
}

/* A dict, list or tuple: items up to close, separated by commas. */
static int
parse_seq(struct pp *pp, int depth, struct py_node **out)
{
	const char	*start = pp->p;
	char		 close = *pp->p == '{' ? '}' : *pp->p == '[' ? ']' : ')';
	int		 dict = close == '}', rc;
	struct py_node	*n, *k = NULL, *v = NULL;

	if ((n = wb_calloc(1, sizeof *n)) == NULL)
		return wb_err_set(pp->err, WB_ENOMEM, "out of memory");
	n->type = dict ? PY_DICT : PY_LIST;
	pp->p++;
	for (;;) {
		skip_ws(pp);
		if (pp->p < pp->end && *pp->p == close) {
			pp->p++;
			break;
		}
		if ((rc = parse_value(pp, depth + 1, &k)) != WB_OK)
			goto out;
		skip_ws(pp);
		if (dict) {
			struct py_node	**ni;
			char		**nk;

			if (pp->p == pp->end || *pp->p != ':') {
				rc = fail(pp, "':' expected");
				goto out;
			}
			pp->p++;
			if ((rc = parse_value(pp, depth + 1, &v)) != WB_OK)
				goto out;
			if ((ni = wb_reallocarray(n->items, n->n + 1,
			    sizeof *ni)) == NULL)
				goto oom;
			n->items = ni;
			if ((nk = wb_reallocarray(n->keys, n->n + 1,
			    sizeof *nk)) == NULL)
				goto oom;
			n->keys = nk;
			n->keys[n->n] = k->text;
			k->text = NULL;
			n->items[n->n++] = v;
			v = NULL;
		}
		py_free(k);
		k = NULL;
		skip_ws(pp);
		if (pp->p < pp->end && *pp->p == ',') {
			pp->p++;
			continue;
		}
		if (pp->p < pp->end && *pp->p == close) {
			pp->p++;
			break;
		}
		rc = fail(pp, pp->p == pp->end ? "unclosed bracket" :
		    "',' expected");
		goto out;
	}
	if ((n->text = wb_strndup(start, (size_t)(pp->p - start))) == NULL)
		goto oom;
	*out = n;
	return WB_OK;
oom:
	rc = wb_err_set(pp->err, WB_ENOMEM, "out of memory");
out:
	py_free(k);
	py_free(v);
	py_free(n);
	return rc;
}

static int
parse_value(struct pp *pp, int depth, struct py_node **out)
{
	*out = NULL;
	if (depth > PY_DEPTH)
		return fail(pp, "nested too deep");
	skip_ws(pp);
	if (pp->p == pp->end)
		return fail(pp, "a value expected");
	if (*pp->p == '\'' || *pp->p == '"')
		return parse_string(pp, out);
	if (*pp->p == '{' || *pp->p == '[' || *pp->p == '(')
		return parse_seq(pp, depth, out);
	return parse_other(pp, out);
}

int
py_parse(const char *s, size_t len, const char *what, struct py_node **out,
    struct wb_err *err)
{
	struct pp	pp;
	int		rc;

	pp.s = pp.p = s;
	pp.end = s + len;
	pp.what = what;
	pp.err = err;
	*out = NULL;
	if ((rc = parse_value(&pp, 0, out)) != WB_OK)
		return rc;
	skip_ws(&pp);
	if (pp.p != pp.end) {
		py_free(*out);
		*out = NULL;
		return fail(&pp, "text after the value");
	}
	return WB_OK;
}

const struct py_node *
py_get(const struct py_node *dict, const char *key)
{
	size_t	i;

	if (dict == NULL || dict->type != PY_DICT)
		return NULL;
	for (i = 0; i < dict->n; i++)
		if (strcmp(dict->keys[i], key) == 0)
			return dict->items[i];
	return NULL;
}
