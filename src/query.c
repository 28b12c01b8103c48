/*
 * query: lexer and recursive-descent parser of the run filter language
 * and of --order-by lists.  Owns the trees (struct query, struct q_order).
 * Errors name the line and column of the offending token and repeat the
 * line with a caret under it, so a user can fix a long filter at a glance.
 *
 * Grammar (keywords case-insensitive):
 *   expr    := and { OR and }
 *   and     := unary { AND unary }
 *   unary   := NOT unary | '(' expr ')' | cmp
 *   cmp     := field op value | field [NOT] IN '(' value {, value} ')'
 *            | field IS [NOT] NULL
 *   op      := = != <> < <= > >= ~ !~ LIKE ILIKE NOT LIKE NOT ILIKE
 *   field   := metrics.KEY[.min|.max|.first|.last] | params.KEY | tags.KEY
 *            | [attributes.]run_id|run_name|status|start_time|end_time...
 *            | dataset.name|digest|context
 * A prefix may be backticked (`metrics`.loss), and KEY backticked or
 * double-quoted, as MLflow allows.
 *
 * AND and OR chains become balanced trees (a parenthesised chain of the
 * same operator is merged into its parent's), so that a flat filter of
 * thousands of terms nests only log2(n) deep in the SQL it compiles to:
 * SQLite's parser has a fixed stack.  What SQLite cannot take is refused
 * here first, by mlwb's own limits (Q_MAX_*), with line and column.
 */
#include "config.h"

#include "query.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "mem.h"
#include "rx.h"
#include "strbuf.h"

#define Q_MAX_DEPTH	64	/* parentheses and NOTs while parsing */
/*
 * Limits of the compiled SQL.  SQLite's parser has a fixed stack: it
 * overflowed (measured, SQLite 3.40) at 26 levels of alternating AND/OR
 * and at 20 levels of NOT around the SQL of a comparison; Q_MAX_NEST
 * AND/OR/NOT levels of any mix stay clear of that (tests/cli/query.sh
 * runs the worst mixes at the limit).  Each comparison binds its key and
 * its values, and SQLite allows 32766 bound values.
 */
#define Q_MAX_NEST	16
#define Q_MAX_CMPS	4096
#define Q_MAX_VALUES	16384

enum tok_type {
	T_EOF, T_FIELD, T_WORD, T_STR, T_NUM, T_OP, T_LP, T_RP, T_COMMA
};

struct tok {
	enum tok_type	 type;
	size_t		 off, len;	/* in the source */
	enum q_field	 field;		/* T_FIELD */
	enum q_attr	 attr;
	enum q_agg	 agg;
	char		*text;		/* decoded key / string / word */
	double		 num;
	enum q_op	 op;		/* T_OP */
};

struct parser {
	const char	*src;
	const char	*what;		/* "filter" or "order-by" */
	size_t		 pos;
	struct tok	 t;		/* current token */
	struct wb_err	*err;
	int		 failed;
	int		 depth;
	size_t		 ncmps;		/* comparisons so far */
	size_t		 nvals;		/* their values (IN lists) */
	int		 names_deleted;	/* a QA_DELETED comparison seen */
};

static const struct {
	const char	*name;
	enum q_attr	 attr;
} attrs[] = {
	{ "run_id", QA_RUN_ID }, { "id", QA_RUN_ID },
	{ "run_name", QA_RUN_NAME }, { "name", QA_RUN_NAME },
	{ "run name", QA_RUN_NAME },	/* MLflow: `Run name`, `Run Name` */
	{ "status", QA_STATUS },
	{ "start_time", QA_START }, { "end_time", QA_END },
	{ "created", QA_START },	/* MLflow: created, Created */
	{ "experiment", QA_EXPERIMENT }, { "experiment_name", QA_EXPERIMENT },
	{ "user", QA_USER }, { "user_id", QA_USER },
	{ "deleted", QA_DELETED },
	{ "parent", QA_PARENT }, { "parent_id", QA_PARENT },
};

static const char *const statuses[] = {
	"running", "finished", "failed", "killed", "lost", "queued",
	"scheduled", "pruned"
};

const char *
query_field_name(enum q_field f)
{
	switch (f) {
	case QF_METRIC:
		return "metrics";
	case QF_PARAM:
		return "params";
	case QF_TAG:
		return "tags";
	case QF_DATASET:
		return "dataset";
	default:
		return "attributes";
	}
}

/*
 * Set the error: "what:LINE:COL: msg\n  line\n  ^".  Only the first
 * error counts.  Long lines are shown as a window around the column so
 * the message fits the error buffer.
 */
static int
perr(struct parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, size_t off, const char *fmt, ...)
{
	char	 msg[192];
	va_list	 ap;
	size_t	 ls, le, i, lineno = 1, from, to, caret;
	struct strbuf sb = STRBUF_INIT;

	if (p->failed)
		return WB_EPARSE;
	p->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ls = 0;
	for (i = 0; i < off && p->src[i] != '\0'; i++)
		if (p->src[i] == '\n') {
			lineno++;
			ls = i + 1;
		}
	for (le = ls; p->src[le] != '\0' && p->src[le] != '\n'; le++)
		;
	from = ls;
	to = le;
	if (off - ls > 50)
		from = off - 40;
	if (to - from > 70)
		to = from + 70;
	caret = off - from + (from > ls ? 3 : 0);
	strbuf_addf(&sb, "  %s", from > ls ? "..." : "");
	for (i = from; i < to; i++) {
		unsigned char c = (unsigned char)p->src[i];
		strbuf_addc(&sb, c < 0x20 || c == 0x7f ? ' ' : c);
	}
	if (to < le)
		strbuf_adds(&sb, "...");
	strbuf_addc(&sb, '\n');
	strbuf_adds(&sb, "  ");
	for (i = 0; i < caret; i++)
		strbuf_addc(&sb, ' ');
	strbuf_addc(&sb, '^');
	wb_err_set(p->err, WB_EPARSE, "%s:%zu:%zu: %s\n%s", p->what, lineno,
	    off - ls + 1, msg, strbuf_str(&sb));
	strbuf_free(&sb);
	return WB_EPARSE;
}

static int
oom(struct parser *p)
{
	p->failed = 1;
	return wb_err_set(p->err, WB_ENOMEM, "out of memory");
}

static int
is_key_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '/' || c == ':' ||
	    c == '.';
}

/* Read a quoted segment starting at p->pos (the quote); doubled quotes
 * stand for one.  Returns the decoded text or NULL (error set). */
static char *
lex_quoted(struct parser *p, const char *what)
{
	char		 q = p->src[p->pos];
	size_t		 start = p->pos, i = p->pos + 1;
	struct strbuf	 sb = STRBUF_INIT;

	for (;;) {
		if (p->src[i] == '\0') {
			strbuf_free(&sb);
			perr(p, start, "unterminated %s", what);
			return NULL;
		}
		if (p->src[i] == q) {
			if (p->src[i + 1] == q) {
				strbuf_addc(&sb, q);
				i += 2;
				continue;
			}
			break;
		}
		if (p->src[i] == '\\' && p->src[i + 1] == q) {
			/* MLflow users write 'it\'s'. */
			strbuf_addc(&sb, q);
			i += 2;
			continue;
		}
		strbuf_addc(&sb, p->src[i++]);
	}
	p->pos = i + 1;
	if (sb.len == 0) {
		strbuf_free(&sb);
		return wb_strdup("");
	}
	return strbuf_detach(&sb);
}

static enum q_agg
agg_of(const char *s, size_t len, int *found)
{
	static const struct {
		const char	*name;
		enum q_agg	 agg;
	} aggs[] = {
		{ "min", QG_MIN }, { "max", QG_MAX }, { "first", QG_FIRST },
		{ "last", QG_LAST }
	};
	size_t	i;

	*found = 0;
	for (i = 0; i < sizeof aggs / sizeof aggs[0]; i++)
		if (strlen(aggs[i].name) == len &&
		    strncasecmp(s, aggs[i].name, len) == 0) {
			*found = 1;
			return aggs[i].agg;
		}
	return QG_LAST;
}

/* The canonical name of an attribute, for messages. */
static const char *
attr_name(enum q_attr a)
{
	size_t	i;

	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (attrs[i].attr == a)
			return attrs[i].name;
	return "?";
}

static int
attr_lookup(const char *s, size_t len, enum q_attr *a)
{
	size_t	i;

	for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (strlen(attrs[i].name) == len &&
		    strncasecmp(s, attrs[i].name, len) == 0) {
			*a = attrs[i].attr;
			return 1;
		}
	return 0;
}

/* MLflow's artifact_uri attribute: mlwb keeps it as this tag. */
static const char artifact_tag[] = "mlflow.artifact_uri";

/*
 * A field "prefix.key[.agg]": the prefix s (plen bytes, already read:
 * bare or backticked), and the key from p->src + k (after the dot).
 */
static int
lex_field(struct parser *p, const char *s, size_t plen, size_t k)
{
	struct tok	*t = &p->t;
	size_t		 ke, dot;
	int		 found;

	t->type = T_FIELD;
	t->agg = QG_LAST;
	t->attr = QA_NONE;
	if ((plen == 7 && strncasecmp(s, "metrics", 7) == 0) ||
	    (plen == 6 && strncasecmp(s, "metric", 6) == 0))
		t->field = QF_METRIC;
	else if ((plen == 6 && strncasecmp(s, "params", 6) == 0) ||
	    (plen == 5 && strncasecmp(s, "param", 5) == 0) ||
	    (plen == 10 && strncasecmp(s, "parameters", 10) == 0))
		t->field = QF_PARAM;
	else if ((plen == 4 && strncasecmp(s, "tags", 4) == 0) ||
	    (plen == 3 && strncasecmp(s, "tag", 3) == 0))
		t->field = QF_TAG;
	else if ((plen == 10 && strncasecmp(s, "attributes", 10) == 0) ||
	    (plen == 9 && strncasecmp(s, "attribute", 9) == 0) ||
	    (plen == 4 && strncasecmp(s, "attr", 4) == 0) ||
	    (plen == 3 && strncasecmp(s, "run", 3) == 0))
		t->field = QF_ATTR;
	else if ((plen == 7 && strncasecmp(s, "dataset", 7) == 0) ||
	    (plen == 8 && strncasecmp(s, "datasets", 8) == 0))
		t->field = QF_DATASET;
	else
		return perr(p, t->off, "unknown field prefix '%.*s' (expected "
		    "metrics, params, tags, attributes or dataset)", (int)plen,
		    s);
	if (p->src[k] == '`' || p->src[k] == '"') {
		p->pos = k;
		t->text = lex_quoted(p, p->src[k] == '`' ?
		    "backtick-quoted name" : "quoted name");
		if (t->text == NULL)
			return WB_EPARSE;
		ke = p->pos;
		if (p->src[ke] == '.') {
			for (k = ke + 1; isalpha((unsigned char)p->src[k]); k++)
				;
			t->agg = agg_of(p->src + ke + 1, k - ke - 1, &found);
			if (!found || t->field != QF_METRIC)
				return perr(p, ke + 1, "expected min, max, "
				    "first or last after a metric name");
			p->pos = k;
		}
	} else {
		for (ke = k; is_key_char((unsigned char)p->src[ke]); ke++)
			;
		if (ke == k)
			return perr(p, k, "expected a key after '%.*s.'",
			    (int)plen, s);
		/* A trailing .min/.max/.first/.last selects the summary. */
		dot = ke;
		while (dot > k && p->src[dot - 1] != '.')
			dot--;
		if (t->field == QF_METRIC && dot > k + 1) {
			t->agg = agg_of(p->src + dot, ke - dot, &found);
			if (found) {
				t->text = wb_strndup(p->src + k, dot - 1 - k);
				p->pos = ke;
				goto done;
			}
		}
		t->text = wb_strndup(p->src + k, ke - k);
		p->pos = ke;
	}
done:
	if (t->text == NULL)
		return oom(p);
	if (t->field == QF_ATTR && strcasecmp(t->text, "artifact_uri") == 0) {
		t->field = QF_TAG;
		wb_free(t->text);
		if ((t->text = wb_strdup(artifact_tag)) == NULL)
			return oom(p);
	} else if (t->field == QF_ATTR && !attr_lookup(t->text,
	    strlen(t->text), &t->attr))
		return perr(p, k, "unknown attribute '%s' (expected run_id, "
		    "run_name, status, start_time, end_time, experiment, user, "
		    "deleted, parent or artifact_uri)", t->text);
	if (t->field == QF_DATASET && strcmp(t->text, "name") != 0 &&
	    strcmp(t->text, "digest") != 0 && strcmp(t->text, "context") != 0)
		return perr(p, k, "unknown dataset field '%s' (expected name, "
		    "digest or context)", t->text);
	/* MLflow keeps the run name as this tag too. */
	if (t->field == QF_TAG && strcmp(t->text, "mlflow.runName") == 0) {
		t->field = QF_ATTR;
		t->attr = QA_RUN_NAME;
	}
	/* And the parent's UUID as this one (mlwb keeps it as the link). */
	if (t->field == QF_TAG && strcmp(t->text, "mlflow.parentRunId") == 0) {
		t->field = QF_ATTR;
		t->attr = QA_PARENT;
	}
	t->len = p->pos - t->off;
	return WB_OK;
}

static int
lex_num(struct parser *p)
{
	const char	*s = p->src + p->pos;
	size_t		 i = 0;
	char		*end, buf[64];

	if (s[i] == '-' || s[i] == '+')
		i++;
	while (isdigit((unsigned char)s[i]) || s[i] == '.')
		i++;
	if ((s[i] == 'e' || s[i] == 'E') && (isdigit((unsigned char)s[i + 1])
	    || ((s[i + 1] == '-' || s[i + 1] == '+') &&
	    isdigit((unsigned char)s[i + 2])))) {
		i += 2;
		while (isdigit((unsigned char)s[i]))
			i++;
	}
	if (i >= sizeof buf)
		return perr(p, p->pos, "number too long");
	memcpy(buf, s, i);
	buf[i] = '\0';
	p->t.num = strtod(buf, &end);
	if (*end != '\0' || end == buf)
		return perr(p, p->pos, "bad number '%s'", buf);
	if (isalpha((unsigned char)s[i]) || s[i] == '_')
		return perr(p, p->pos, "bad number '%.*s'", (int)i + 1, s);
	p->t.type = T_NUM;
	if ((p->t.text = wb_strdup(buf)) == NULL)
		return oom(p);
	p->pos += i;
	p->t.len = i;
	return WB_OK;
}

/* Advance to the next token. */
static int
next(struct parser *p)
{
	const char	*s;
	struct tok	*t = &p->t;
	size_t		 n;

	wb_free(t->text);
	memset(t, 0, sizeof *t);
	if (p->failed)
		return WB_EPARSE;
	while (isspace((unsigned char)p->src[p->pos]))
		p->pos++;
	s = p->src + p->pos;
	t->off = p->pos;
	if (*s == '\0') {
		t->type = T_EOF;
		return WB_OK;
	}
	if (*s == '(' || *s == ')' || *s == ',') {
		t->type = *s == '(' ? T_LP : *s == ')' ? T_RP : T_COMMA;
		p->pos++;
		t->len = 1;
		return WB_OK;
	}
	if (*s == '\'' || *s == '"') {
		t->type = T_STR;
		if ((t->text = lex_quoted(p, "string")) == NULL)
			return WB_EPARSE;
		t->len = p->pos - t->off;
		return WB_OK;
	}
	if (*s == '`') {
		/* A backticked prefix: `metrics`.loss, `params`.model. */
		if ((t->text = lex_quoted(p, "backtick-quoted name")) == NULL)
			return WB_EPARSE;
		if (p->src[p->pos] == '.') {
			char	*pre = t->text;
			int	 rc;

			t->text = NULL;
			rc = lex_field(p, pre, strlen(pre), p->pos + 1);
			wb_free(pre);
			return rc;
		}
		/* A bare quoted attribute name: `run_name`, `Run Name`. */
		t->type = T_FIELD;
		t->field = QF_ATTR;
		if (!attr_lookup(t->text, strlen(t->text), &t->attr))
			return perr(p, t->off, "unknown attribute '%s'",
			    t->text);
		t->len = p->pos - t->off;
		return WB_OK;
	}
	if (isdigit((unsigned char)*s) || ((*s == '-' || *s == '+' ||
	    *s == '.') && (isdigit((unsigned char)s[1]) || (s[1] == '.' &&
	    isdigit((unsigned char)s[2])))))
		return lex_num(p);
	if (isalpha((unsigned char)*s) || *s == '_') {
		for (n = 0; isalnum((unsigned char)s[n]) || s[n] == '_'; n++)
			;
		if (s[n] == '.')
			return lex_field(p, s, n, p->pos + n + 1);
		t->type = T_WORD;
		if ((t->text = wb_strndup(s, n)) == NULL)
			return oom(p);
		p->pos += n;
		t->len = n;
		return WB_OK;
	}
	t->type = T_OP;
	n = 1;
	switch (*s) {
	case '=':
		t->op = QO_EQ;
		if (s[1] == '=')
			n = 2;
		break;
	case '!':
		if (s[1] == '=') {
			t->op = QO_NE;
			n = 2;
		} else if (s[1] == '~') {
			t->op = QO_NOT_RX;
			n = 2;
		} else
			return perr(p, p->pos, "unexpected character '!'");
		break;
	case '<':
		t->op = QO_LT;
		if (s[1] == '=') {
			t->op = QO_LE;
			n = 2;
		} else if (s[1] == '>') {
			t->op = QO_NE;
			n = 2;
		}
		break;
	case '>':
		t->op = QO_GT;
		if (s[1] == '=') {
			t->op = QO_GE;
			n = 2;
		}
		break;
	case '~':
		t->op = QO_RX;
		break;
	default:
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return perr(p, p->pos, "unexpected byte 0x%02x",
			    (unsigned char)*s);
		return perr(p, p->pos, "unexpected character '%c'", *s);
	}
	p->pos += n;
	t->len = n;
	return WB_OK;
}

static int
is_word(const struct tok *t, const char *w)
{
	return t->type == T_WORD && strcasecmp(t->text, w) == 0;
}

/* The current token quoted for a message. */
static const char *
tok_desc(const struct parser *p, char *buf, size_t size)
{
	if (p->t.type == T_EOF)
		return "end of filter";
	snprintf(buf, size, "'%.*s'", (int)(p->t.len > 30 ? 30 : p->t.len),
	    p->src + p->t.off);
	return buf;
}

static void
node_free(struct q_node *n)
{
	size_t	i;

	if (n == NULL)
		return;
	node_free(n->l);
	node_free(n->r);
	wb_free(n->key);
	for (i = 0; i < n->nvals; i++)
		wb_free(n->vals[i].str);
	wb_free(n->vals);
	wb_free(n);
}

static struct q_node *parse_or(struct parser *p);

static const char *
op_name(enum q_op op)
{
	static const char *const names[] = {
		"=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "NOT LIKE",
		"NOT ILIKE", "~", "!~", "IN", "NOT IN", "IS NULL", "IS NOT NULL"
	};
	return names[op];
}

/* Is op allowed on the field?  Metrics and times are numbers. */
static int
op_allowed(const struct q_node *n, enum q_op op)
{
	int	numeric = n->field == QF_METRIC ||
	    (n->field == QF_ATTR && (n->attr == QA_START || n->attr == QA_END));

	if (op == QO_IS_NULL || op == QO_IS_NOT_NULL)
		return n->field == QF_PARAM || n->field == QF_TAG ||
		    (n->field == QF_ATTR && n->attr == QA_PARENT);
	if (n->field == QF_ATTR && n->attr == QA_DELETED)
		return op == QO_EQ || op == QO_NE;
	if (n->field == QF_ATTR && n->attr == QA_PARENT)
		return op == QO_EQ || op == QO_NE || op == QO_IN ||
		    op == QO_NOT_IN;
	if (numeric)
		return op <= QO_GE;
	if ((n->field == QF_ATTR || n->field == QF_DATASET) && op >= QO_LT &&
	    op <= QO_GE)
		return 0;
	return 1;
}

/* Lowercase a status value and check it (MLflow writes FINISHED). */
static int
check_status(struct parser *p, struct q_value *v, size_t off, enum q_op op)
{
	char	*c;
	size_t	 i;

	for (c = v->str; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	/* A typo that can only find nothing is refused; with != and NOT IN
	 * (which MLflow takes whatever the value) it matches every run. */
	if (op == QO_EQ || op == QO_IN) {
		for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
			if (strcmp(v->str, statuses[i]) == 0)
				return WB_OK;
		return perr(p, off, "unknown status '%s' (expected FINISHED, "
		    "RUNNING, FAILED, KILLED, SCHEDULED, QUEUED, LOST or "
		    "PRUNED)", v->str);
	}
	return WB_OK;
}

/*
 * deleted = true|false: the word, quoted or not, or 1/0.  Kept as the
 * number 1 or 0.
 */
static int
parse_bool(struct parser *p, struct q_value *v)
{
	const char	*w = p->t.text;

	if (p->t.type == T_NUM && (p->t.num == 0 || p->t.num == 1))
		v->num = p->t.num;
	else if ((p->t.type == T_WORD || p->t.type == T_STR) && w != NULL &&
	    (strcasecmp(w, "true") == 0 || strcasecmp(w, "false") == 0))
		v->num = strcasecmp(w, "true") == 0;
	else
		return perr(p, p->t.off, "expected true or false for "
		    "deleted");
	v->is_num = 1;
	if ((v->str = wb_strdup(v->num != 0 ? "true" : "false")) == NULL)
		return oom(p);
	p->names_deleted = 1;
	return next(p);
}

/* Read one value token into v, checking it against the field and op. */
static int
parse_value(struct parser *p, struct q_node *n, struct q_value *v,
    const char *after)
{
	char	 buf[48];
	int	 numeric = n->field == QF_METRIC ||
	    (n->field == QF_ATTR && (n->attr == QA_START || n->attr == QA_END));
	size_t	 off = p->t.off, eo;
	struct rx *rx;
	struct wb_err e;

	if (n->field == QF_ATTR && n->attr == QA_DELETED)
		return parse_bool(p, v);
	if (p->t.type != T_STR && p->t.type != T_NUM)
		return perr(p, p->t.off, "expected a value after '%s', got %s",
		    after, tok_desc(p, buf, sizeof buf));
	if (numeric && p->t.type != T_NUM)
		return perr(p, p->t.off, "expected a number for %s.%s",
		    query_field_name(n->field), n->key ? n->key :
		    (n->attr == QA_START ? "start_time" : "end_time"));
	/* As MLflow: attributes.run_name != 1 is an error, not a match. */
	if (!numeric && (n->field == QF_ATTR || n->field == QF_DATASET) &&
	    p->t.type != T_STR)
		return perr(p, p->t.off, "expected a quoted string for %s.%s",
		    query_field_name(n->field), n->field == QF_DATASET ? n->key
		    : attr_name(n->attr));
	if ((n->op == QO_LIKE || n->op == QO_ILIKE || n->op == QO_NOT_LIKE ||
	    n->op == QO_NOT_ILIKE || n->op == QO_RX || n->op == QO_NOT_RX) &&
	    p->t.type != T_STR)
		return perr(p, p->t.off, "expected a quoted pattern after "
		    "'%s'", op_name(n->op));
	v->is_num = p->t.type == T_NUM;
	v->num = p->t.num;
	v->str = p->t.text;
	p->t.text = NULL;
	if (n->op == QO_RX || n->op == QO_NOT_RX) {
		if (rx_compile(v->str, &rx, &eo, &e) != WB_OK) {
			if (e.code == WB_ENOMEM)
				return oom(p);
			return perr(p, off, "bad regex: %s", e.msg);
		}
		rx_free(rx);
	}
	if (n->field == QF_ATTR && n->attr == QA_STATUS &&
	    check_status(p, v, off, n->op) != WB_OK)
		return WB_EPARSE;
	return next(p);
}

static struct q_node *
parse_cmp(struct parser *p)
{
	struct q_node	*n;
	struct q_value	*nv;
	char		 buf[48];
	size_t		 opoff;
	int		 negate = 0;

	if (p->t.type != T_FIELD) {
		if (p->t.type == T_WORD && attr_lookup(p->t.text,
		    strlen(p->t.text), &p->t.attr)) {
			p->t.field = QF_ATTR;
		} else {
			perr(p, p->t.off, "expected a field like metrics.loss, "
			    "params.lr, tags.team or status, got %s",
			    tok_desc(p, buf, sizeof buf));
			return NULL;
		}
	}
	if ((n = wb_calloc(1, sizeof *n)) == NULL) {
		oom(p);
		return NULL;
	}
	n->kind = Q_CMP;
	n->field = p->t.field;
	n->attr = p->t.attr;
	n->agg = p->t.agg;
	n->col = (int)p->t.off + 1;
	if (n->field != QF_ATTR) {
		n->key = p->t.text;
		p->t.text = NULL;
	}
	snprintf(buf, sizeof buf, "%.*s", (int)(p->t.len > 40 ? 40 :
	    p->t.len), p->src + p->t.off);
	if (next(p) != WB_OK)
		goto fail;
	opoff = p->t.off;
	if (is_word(&p->t, "IS")) {
		if (next(p) != WB_OK)
			goto fail;
		n->op = QO_IS_NULL;
		if (is_word(&p->t, "NOT")) {
			n->op = QO_IS_NOT_NULL;
			if (next(p) != WB_OK)
				goto fail;
		}
		if (!is_word(&p->t, "NULL")) {
			perr(p, p->t.off, "expected NULL or NOT NULL after IS");
			goto fail;
		}
		if (!op_allowed(n, n->op)) {
			perr(p, opoff, "IS NULL applies to params and tags (a "
			    "run without the key)");
			goto fail;
		}
		if (next(p) != WB_OK)
			goto fail;
		return n;
	}
	if (is_word(&p->t, "NOT")) {
		negate = 1;
		if (next(p) != WB_OK)
			goto fail;
	}
	if (p->t.type == T_OP && !negate)
		n->op = p->t.op;
	else if (is_word(&p->t, "LIKE"))
		n->op = negate ? QO_NOT_LIKE : QO_LIKE;
	else if (is_word(&p->t, "ILIKE"))
		n->op = negate ? QO_NOT_ILIKE : QO_ILIKE;
	else if (is_word(&p->t, "IN"))
		n->op = negate ? QO_NOT_IN : QO_IN;
	else if (negate) {
		perr(p, p->t.off, "expected LIKE, ILIKE or IN after NOT");
		goto fail;
	} else {
		perr(p, p->t.off, "expected an operator after '%s' (=, !=, <, "
		    "<=, >, >=, ~, !~, LIKE, ILIKE, IN, IS)", buf);
		goto fail;
	}
	if (!op_allowed(n, n->op)) {
		perr(p, opoff, "operator '%s' does not apply to %s", op_name(n->op),
		    n->field == QF_METRIC ? "metrics (they are numbers)" :
		    n->field == QF_DATASET ? "dataset fields" :
		    n->attr == QA_START || n->attr == QA_END ?
		    "times (they are numbers)" : "this attribute");
		goto fail;
	}
	snprintf(buf, sizeof buf, "%s", op_name(n->op));
	if (next(p) != WB_OK)
		goto fail;
	if (n->op != QO_IN && n->op != QO_NOT_IN) {
		if ((n->vals = wb_calloc(1, sizeof *n->vals)) == NULL) {
			oom(p);
			goto fail;
		}
		n->nvals = 1;
		if (parse_value(p, n, &n->vals[0], buf) != WB_OK)
			goto fail;
		return n;
	}
	if (p->t.type != T_LP) {
		perr(p, p->t.off, "expected '(' after IN");
		goto fail;
	}
	for (;;) {
		if (next(p) != WB_OK)
			goto fail;
		nv = wb_reallocarray(n->vals, n->nvals + 1, sizeof *n->vals);
		if (nv == NULL) {
			oom(p);
			goto fail;
		}
		n->vals = nv;
		memset(&n->vals[n->nvals], 0, sizeof *n->vals);
		n->nvals++;
		if (parse_value(p, n, &n->vals[n->nvals - 1],
		    n->nvals == 1 ? "(" : ",") != WB_OK)
			goto fail;
		if (p->t.type == T_RP)
			break;
		if (p->t.type != T_COMMA) {
			perr(p, p->t.off, "expected ',' or ')' in the IN list");
			goto fail;
		}
	}
	if (next(p) != WB_OK)
		goto fail;
	return n;
fail:
	node_free(n);
	return NULL;
}

static struct q_node *
binop(struct parser *p, enum q_kind k, struct q_node *l, struct q_node *r)
{
	struct q_node	*n;

	if ((n = wb_calloc(1, sizeof *n)) == NULL) {
		node_free(l);
		node_free(r);
		oom(p);
		return NULL;
	}
	n->kind = k;
	n->l = l;
	n->r = r;
	return n;
}

/* Count comparison n against Q_MAX_CMPS and Q_MAX_VALUES. */
static int
count_cmp(struct parser *p, const struct q_node *n)
{
	p->ncmps++;
	p->nvals += n->nvals;
	if (p->ncmps > Q_MAX_CMPS)
		return perr(p, (size_t)n->col - 1, "more than %d comparisons "
		    "in one filter (mlwb's limit)", Q_MAX_CMPS);
	if (p->nvals > Q_MAX_VALUES)
		return perr(p, (size_t)n->col - 1, "more than %d values in "
		    "one filter (mlwb's limit; use fewer or shorter IN lists)",
		    Q_MAX_VALUES);
	return WB_OK;
}

/* The operands of one AND or OR chain, before they become a tree. */
struct chain {
	struct q_node	**v;
	size_t		  n, cap;
};

/*
 * Add n to chain c of operator k; a node of operator k itself (a
 * parenthesised chain) gives its operands instead.  On failure n is
 * freed.
 */
static int
chain_push(struct parser *p, struct chain *c, enum q_kind k,
    struct q_node *n)
{
	struct q_node	**nv, *l, *r;
	size_t		  cap;

	if (n->kind == k) {
		l = n->l;
		r = n->r;
		wb_free(n);
		if (chain_push(p, c, k, l) != WB_OK) {
			node_free(r);
			return WB_EPARSE;
		}
		return chain_push(p, c, k, r);
	}
	if (c->n == c->cap) {
		cap = c->cap ? 2 * c->cap : 8;
		if ((nv = wb_reallocarray(c->v, cap, sizeof *nv)) == NULL) {
			node_free(n);
			return oom(p);
		}
		c->v = nv;
		c->cap = cap;
	}
	c->v[c->n++] = n;
	return WB_OK;
}

/*
 * A balanced tree of operator k over the n > 0 nodes v.  On failure
 * every node of v is freed.
 */
static struct q_node *
chain_build(struct parser *p, enum q_kind k, struct q_node **v, size_t n)
{
	struct q_node	*l, *r;
	size_t		 i, mid = n / 2;

	if (n == 1)
		return v[0];
	if ((l = chain_build(p, k, v, mid)) == NULL) {
		for (i = mid; i < n; i++)
			node_free(v[i]);
		return NULL;
	}
	if ((r = chain_build(p, k, v + mid, n - mid)) == NULL) {
		node_free(l);
		return NULL;
	}
	return binop(p, k, l, r);
}

/*
 * sub { KW sub }: a chain of operator k whose operands sub() parses, as a
 * balanced tree.
 */
static struct q_node *
parse_chain(struct parser *p, enum q_kind k, const char *kw,
    struct q_node *(*sub)(struct parser *))
{
	struct chain	 c = { NULL, 0, 0 };
	struct q_node	*n;
	size_t		 i;

	for (;;) {
		if ((n = sub(p)) == NULL || chain_push(p, &c, k, n) != WB_OK)
			goto fail;
		if (!is_word(&p->t, kw))
			break;
		if (next(p) != WB_OK)
			goto fail;
	}
	n = chain_build(p, k, c.v, c.n);
	wb_free(c.v);
	return n;
fail:
	for (i = 0; i < c.n; i++)
		node_free(c.v[i]);
	wb_free(c.v);
	return NULL;
}

static struct q_node *
parse_unary(struct parser *p)
{
	struct q_node	*n;
	size_t		 off;

	if (++p->depth > Q_MAX_DEPTH) {
		perr(p, p->t.off, "filter nested too deeply (more than %d "
		    "levels)", Q_MAX_DEPTH);
		return NULL;
	}
	if (is_word(&p->t, "NOT")) {
		if (next(p) != WB_OK)
			return NULL;
		if ((n = parse_unary(p)) == NULL)
			return NULL;
		if (n->kind == Q_NOT) {
			/*
			 * NOT NOT x is x: a comparison's NULL (no such key)
			 * is false under every NOT and at the top alike.
			 */
			struct q_node *x = n->l;

			wb_free(n);
			n = x;
		} else
			n = binop(p, Q_NOT, n, NULL);
	} else if (p->t.type == T_LP) {
		off = p->t.off;
		if (next(p) != WB_OK)
			return NULL;
		if ((n = parse_or(p)) == NULL)
			return NULL;
		if (p->t.type != T_RP) {
			node_free(n);
			if (p->t.type == T_EOF)
				perr(p, off, "unclosed '('");
			else
				perr(p, p->t.off, "expected ')'");
			return NULL;
		}
		if (next(p) != WB_OK) {
			node_free(n);
			return NULL;
		}
	} else if ((n = parse_cmp(p)) != NULL && count_cmp(p, n) != WB_OK) {
		node_free(n);
		n = NULL;
	}
	p->depth--;
	return n;
}

static struct q_node *
parse_and(struct parser *p)
{
	return parse_chain(p, Q_AND, "AND", parse_unary);
}

static struct q_node *
parse_or(struct parser *p)
{
	return parse_chain(p, Q_OR, "OR", parse_and);
}

/*
 * The number of AND/OR/NOT levels above the deepest comparison of n;
 * *deep gets that comparison.
 */
static int
nest_depth(const struct q_node *n, const struct q_node **deep)
{
	const struct q_node	*dl, *dr;
	int			 l, r;

	if (n->kind == Q_CMP) {
		*deep = n;
		return 0;
	}
	l = nest_depth(n->l, &dl);
	r = n->r != NULL ? nest_depth(n->r, &dr) : -1;
	*deep = l >= r ? dl : dr;
	return 1 + (l >= r ? l : r);
}

int
query_parse(const char *src, struct query **out, struct wb_err *err)
{
	const struct q_node	*deep;
	struct parser		 p;
	struct query		*q;
	char			 buf[48];

	*out = NULL;
	memset(&p, 0, sizeof p);
	p.src = src;
	p.what = "filter";
	p.err = err;
	if ((q = wb_calloc(1, sizeof *q)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if (next(&p) != WB_OK)
		goto fail;
	if (p.t.type != T_EOF) {
		if ((q->root = parse_or(&p)) == NULL)
			goto fail;
		if (p.t.type == T_RP) {
			perr(&p, p.t.off, "unmatched ')'");
			goto fail;
		}
		if (p.t.type != T_EOF) {
			perr(&p, p.t.off, "expected AND, OR or the end of the "
			    "filter, got %s", tok_desc(&p, buf, sizeof buf));
			goto fail;
		}
		if (nest_depth(q->root, &deep) > Q_MAX_NEST) {
			perr(&p, (size_t)deep->col - 1, "nested too deeply: "
			    "more than %d levels of AND, OR and NOT above this "
			    "comparison (mlwb's limit)", Q_MAX_NEST);
			goto fail;
		}
	}
	wb_free(p.t.text);
	q->names_deleted = p.names_deleted;
	*out = q;
	return WB_OK;
fail:
	wb_free(p.t.text);
	query_free(q);
	return err != NULL ? err->code : WB_EPARSE;
}

void
query_free(struct query *q)
{
	if (q == NULL)
		return;
	node_free(q->root);
	wb_free(q);
}

int
query_order_parse(const char *src, struct q_order **out, struct wb_err *err)
{
	struct parser		 p;
	struct q_order		*o;
	struct q_order_item	*it;
	char			 buf[48];

	*out = NULL;
	memset(&p, 0, sizeof p);
	p.src = src;
	p.what = "order-by";
	p.err = err;
	if ((o = wb_calloc(1, sizeof *o)) == NULL)
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	if (next(&p) != WB_OK)
		goto fail;
	while (p.t.type != T_EOF) {
		if (p.t.type == T_WORD && attr_lookup(p.t.text,
		    strlen(p.t.text), &p.t.attr))
			p.t.field = QF_ATTR;
		else if (p.t.type != T_FIELD) {
			perr(&p, p.t.off, "expected a field like "
			    "metrics.val_loss or start_time, got %s",
			    tok_desc(&p, buf, sizeof buf));
			goto fail;
		}
		if (p.t.field == QF_DATASET) {
			perr(&p, p.t.off, "runs cannot be ordered by dataset "
			    "fields (a run may use several)");
			goto fail;
		}
		it = wb_reallocarray(o->items, o->n + 1, sizeof *o->items);
		if (it == NULL) {
			oom(&p);
			goto fail;
		}
		o->items = it;
		it = &o->items[o->n++];
		memset(it, 0, sizeof *it);
		it->field = p.t.field;
		it->attr = p.t.attr;
		it->agg = p.t.agg;
		if (it->field != QF_ATTR) {
			it->key = p.t.text;
			p.t.text = NULL;
		}
		if (next(&p) != WB_OK)
			goto fail;
		if (is_word(&p.t, "ASC") || is_word(&p.t, "DESC")) {
			it->desc = is_word(&p.t, "DESC");
			if (next(&p) != WB_OK)
				goto fail;
		}
		if (p.t.type == T_EOF)
			break;
		if (p.t.type != T_COMMA) {
			perr(&p, p.t.off, "expected ASC, DESC, ',' or the end, "
			    "got %s", tok_desc(&p, buf, sizeof buf));
			goto fail;
		}
		if (next(&p) != WB_OK)
			goto fail;
		if (p.t.type == T_EOF) {
			perr(&p, p.t.off, "expected a field after ','");
			goto fail;
		}
	}
	wb_free(p.t.text);
	*out = o;
	return WB_OK;
fail:
	wb_free(p.t.text);
	query_order_free(o);
	return err != NULL ? err->code : WB_EPARSE;
}

void
query_order_free(struct q_order *o)
{
	size_t	i;

	if (o == NULL)
		return;
	for (i = 0; i < o->n; i++)
		wb_free(o->items[i].key);
	wb_free(o->items);
	wb_free(o);
}

static int
in_list(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '(';
}

int
query_looks_like_filter(const char *text)
{
	const char	*s;
	size_t		 n;
	int		 q = 0;

	for (s = text; *s; s++) {
		if (*s == '\'' || *s == '"')
			q = q == *s ? 0 : q ? q : *s;
		if (q)
			continue;
		if (strchr("=<>~", *s) != NULL || (s[0] == '!' && s[1] == '='))
			return 1;
		if (isalpha((unsigned char)*s) && (s == text ||
		    !isalnum((unsigned char)s[-1]))) {
			for (n = 0; isalpha((unsigned char)s[n]); n++)
				;
			if (((n == 4 && strncasecmp(s, "LIKE", 4) == 0) ||
			    (n == 5 && strncasecmp(s, "ILIKE", 5) == 0)) &&
			    s != text)
				return 1;
			/* "in" is a common word: only IN ( counts. */
			if (n == 2 && strncasecmp(s, "IN", 2) == 0 &&
			    s != text && in_list(s + 2))
				return 1;
			s += n - 1;
		}
	}
	return 0;
}
