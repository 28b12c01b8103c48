/*
 * scalars: output-scalar capture (see scalars.h for the rules).  Owns the
 * compiled patterns, the line being assembled from the pieces read from
 * a job's pipe, and the step state: the current step once a step key was
 * seen, and each key's counter before that.
 *
 * Memory is bounded: a line longer than SCALARS_MAX_LINE is cut there,
 * and a '\r' progress bar that never ends its line keeps only its current
 * segment, so an hour-long tqdm bar costs one segment, not the hour.
 */
#include "config.h"

#include "scalars.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "mem.h"
#include "project.h"
#include "rx.h"
#include "strbuf.h"
#include "text.h"

#define SCALARS_MAX_LINE	65536
#define SCALARS_MAX_HITS	256	/* points taken from one line */
#define SCALARS_MAX_KEY		200

/*
 * The defaults.  KV: `name: number` or `name=number` anywhere in a line,
 * the name starting a word and the number ending one (so "12:30:01" and
 * "50%" are not captured).  EPOCH: "Epoch 3/10", "step 200 / 1000".
 */
static const char default_kv[] =
    "(?:^|(?<=[\\s,;:|(\\[{]))(?<key>[A-Za-z_][\\w./-]*)\\s*[:=]\\s*"
    "(?<value>[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|"
    "[-+]?(?i:nan|inf(?:inity)?))(?=$|[\\s,;|)\\]}])";
static const char default_epoch[] =
    "(?i)(?:^|(?<=[\\s,;|(\\[{]))(?<key>epoch|step|iter|iteration)"
    "\\s*[:=]?\\s*(?<value>\\d+)\\s*/\\s*\\d+";

struct pat {
	struct rx	*rx;
	char		*key;		/* fixed key, or NULL */
	int		 gkey, gvalue, gstep;
	int		 lower;		/* lowercase the captured key */
};

struct counter {
	char	*key;
	int64_t	 next;
};

struct hit {
	char	 key[SCALARS_MAX_KEY + 1];
	double	 value;
	int	 has_step;
	int64_t	 step;
};

struct scalars {
	struct pat	*pats;
	size_t		 npats;
	struct strbuf	 line;
	int		 has_step;
	int64_t		 step;
	struct counter	*counters;
	size_t		 ncounters;
	struct hit	*hits;		/* one line's, SCALARS_MAX_HITS */
	char		*clean;		/* one cleaned line */
};

int
scalars_new(struct scalars **out, struct wb_err *err)
{
	struct scalars	*s;

	*out = NULL;
	if ((s = wb_calloc(1, sizeof *s)) == NULL ||
	    (s->hits = wb_calloc(SCALARS_MAX_HITS, sizeof *s->hits)) == NULL ||
	    (s->clean = wb_malloc(SCALARS_MAX_LINE + 1)) == NULL) {
		scalars_free(s);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	*out = s;
	return WB_OK;
}

void
scalars_free(struct scalars *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->npats; i++) {
		rx_free(s->pats[i].rx);
		wb_free(s->pats[i].key);
	}
	wb_free(s->pats);
	for (i = 0; i < s->ncounters; i++)
		wb_free(s->counters[i].key);
	wb_free(s->counters);
	strbuf_free(&s->line);
	wb_free(s->hits);
	wb_free(s->clean);
	wb_free(s);
}

static int
add(struct scalars *s, const char *key, const char *pattern, int lower,
    struct wb_err *err)
{
	struct pat	*np, p;
	size_t		 off;
	int		 rc;

	memset(&p, 0, sizeof p);
	if ((rc = rx_compile(pattern, &p.rx, &off, err)) != WB_OK)
		return rc;
	p.gkey = rx_group_number(p.rx, "key");
	p.gvalue = rx_group_number(p.rx, "value");
	p.gstep = rx_group_number(p.rx, "step");
	p.lower = lower;
	if (key != NULL) {
		if (p.gvalue < 0)
			p.gvalue = rx_ngroups(p.rx) >= 1 ? 1 : -1;
		if (p.gvalue < 0) {
			rx_free(p.rx);
			return wb_err_set(err, WB_EPARSE, "the pattern needs a "
			    "group for the value");
		}
	} else if (p.gkey < 0 || p.gvalue < 0) {
		rx_free(p.rx);
		return wb_err_set(err, WB_EPARSE, "the pattern needs groups "
		    "named key and value, (?<key>...) (?<value>...), or a "
		    "fixed key");
	}
	if ((key != NULL && (p.key = wb_strdup(key)) == NULL) ||
	    (np = wb_reallocarray(s->pats, s->npats + 1, sizeof *np)) ==
	    NULL) {
		wb_free(p.key);
		rx_free(p.rx);
		return wb_err_set(err, WB_ENOMEM, "out of memory");
	}
	np[s->npats++] = p;
	s->pats = np;
	return WB_OK;
}

int
scalars_add(struct scalars *s, const char *key, const char *pattern,
    struct wb_err *err)
{
	return add(s, key, pattern, 0, err);
}

int
scalars_add_default(struct scalars *s, struct wb_err *err)
{
	int	rc;

	if ((rc = add(s, NULL, default_kv, 0, err)) != WB_OK)
		return rc;
	return add(s, NULL, default_epoch, 1, err);
}

int
scalars_add_project(struct scalars *s, const struct project *p,
    struct wb_err *err)
{
	const struct project_scalar	*sc;
	size_t				 i, n;
	int				 def, rc;

	sc = project_output_scalars(p, &n, &def);
	for (i = 0; i < n; i++)
		if ((rc = scalars_add(s, sc[i].key, sc[i].pattern, err)) !=
		    WB_OK)
			return wb_err_prefix(err, "%s:%u:%u", p->path,
			    sc[i].line, sc[i].col);
	return def ? scalars_add_default(s, err) : WB_OK;
}

size_t
scalars_clean(const char *line, size_t len, char *out)
{
	const char	*p, *end, *cr;
	size_t		 n = 0;

	/* Trailing '\r's end the line (CRLF); an inner one restarts it. */
	while (len > 0 && line[len - 1] == '\r')
		len--;
	end = line + len;
	for (cr = end; cr > line && cr[-1] != '\r'; cr--)
		;
	for (p = cr; p < end; p++) {
		if (*p != '\033') {
			out[n++] = *p;
			continue;
		}
		if (p + 1 >= end)
			break;
		if (p[1] == '[') {
			/* CSI: parameters, intermediates, one final byte. */
			for (p += 2; p < end && (unsigned char)*p >= 0x20 &&
			    (unsigned char)*p <= 0x3f; p++)
				;
			while (p < end && (unsigned char)*p >= 0x20 &&
			    (unsigned char)*p <= 0x2f)
				p++;
			if (p >= end)
				break;
		} else if (p[1] == ']' || p[1] == 'P' || p[1] == '_' ||
		    p[1] == '^') {
			/* OSC, DCS ...: up to BEL or ESC \. */
			for (p += 2; p < end && *p != '\007' &&
			    !(*p == '\033' && p + 1 < end && p[1] == '\\'); p++)
				;
			if (p < end && *p == '\033')
				p++;
			if (p >= end)
				break;
		} else
			p++;		/* two-byte escape (ESC 7, ESC c ...) */
	}
	return n;
}

/* The step to give key (the counter when no step was ever set). */
static int
next_step(struct scalars *s, const char *key, int64_t *step)
{
	struct counter	*nc;
	size_t		 i;

	if (s->has_step) {
		*step = s->step;
		return 0;
	}
	for (i = 0; i < s->ncounters; i++)
		if (strcmp(s->counters[i].key, key) == 0) {
			*step = s->counters[i].next++;
			return 0;
		}
	if ((nc = wb_reallocarray(s->counters, s->ncounters + 1,
	    sizeof *nc)) == NULL)
		return -1;
	s->counters = nc;
	if ((nc[s->ncounters].key = wb_strdup(key)) == NULL)
		return -1;
	nc[s->ncounters].next = 1;
	s->ncounters++;
	*step = 0;
	return 0;
}

static int
is_step_key(const char *k)
{
	return strcasecmp(k, "step") == 0 || strcasecmp(k, "epoch") == 0;
}

/* Collect the hits of pattern p in text; returns the new hit count. */
static size_t
collect(struct pat *p, const char *text, size_t len, struct hit *hits,
    size_t nhits)
{
	size_t		 start = 0, so, eo, ks, ke, vs, ve, i, ss, se;
	struct hit	*h;
	char		 num[64];
	double		 v;
	int		 dup;

	while (nhits < SCALARS_MAX_HITS &&
	    rx_match_from(p->rx, text, len, start) == 1) {
		if (rx_group(p->rx, 0, &so, &eo) != 0)
			break;
		start = eo > so ? eo : eo + 1;
		if (rx_group(p->rx, p->gvalue, &vs, &ve) != 0 ||
		    text_parse_num(text + vs, ve - vs, &v) != 0)
			continue;
		h = &hits[nhits];
		if (p->key != NULL)
			snprintf(h->key, sizeof h->key, "%s", p->key);
		else {
			if (rx_group(p->rx, p->gkey, &ks, &ke) != 0 || ke == ks)
				continue;
			if (ke - ks > SCALARS_MAX_KEY)
				ke = ks + SCALARS_MAX_KEY;
			memcpy(h->key, text + ks, ke - ks);
			h->key[ke - ks] = '\0';
		}
		if (p->lower)
			for (i = 0; h->key[i] != '\0'; i++)
				h->key[i] = (char)tolower((unsigned char)
				    h->key[i]);
		/* The first pattern to capture a key in a line wins. */
		for (i = 0, dup = 0; i < nhits && !dup; i++)
			dup = strcmp(hits[i].key, h->key) == 0;
		if (dup)
			continue;
		h->value = v;
		h->has_step = 0;
		if (p->gstep >= 0 && rx_group(p->rx, p->gstep, &ss, &se) == 0 &&
		    se - ss < sizeof num) {
			memcpy(num, text + ss, se - ss);
			num[se - ss] = '\0';
			h->step = strtoll(num, NULL, 10);
			h->has_step = 1;
		}
		nhits++;
	}
	return nhits;
}

static int
line_done(struct scalars *s, scalars_fn fn, void *arg)
{
	struct hit	*h;
	size_t		 len, i, n = 0;
	int64_t		 step;
	int		 rc;

	len = scalars_clean(strbuf_str(&s->line), s->line.len, s->clean);
	strbuf_reset(&s->line);
	for (i = 0; i < s->npats; i++)
		n = collect(&s->pats[i], s->clean, len, s->hits, n);
	/* Step keys first, so "epoch 3/10 loss: 0.3" puts loss at 3. */
	for (i = 0; i < n; i++) {
		h = &s->hits[i];
		if (is_step_key(h->key) && h->value >= -9e15 &&
		    h->value <= 9e15) {
			s->has_step = 1;
			s->step = (int64_t)h->value;
		}
	}
	for (i = 0; i < n; i++) {
		h = &s->hits[i];
		if (strcasecmp(h->key, "step") == 0)
			continue;
		if (h->has_step)
			step = h->step;
		else if (next_step(s, h->key, &step) != 0)
			return WB_ENOMEM;
		if ((rc = fn(arg, h->key, step, h->value)) != 0)
			return rc;
	}
	return 0;
}

int
scalars_feed(struct scalars *s, const char *buf, size_t len, scalars_fn fn,
    void *arg)
{
	const char	*p, *end = buf + len, *nl;
	size_t		 n;
	int		 rc;

	for (p = buf; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = (size_t)((nl != NULL ? nl : end) - p);
		while (n > 0) {
			const char *cr = memchr(p, '\r', n);
			size_t seg = cr != NULL ? (size_t)(cr - p) + 1 : n;
			size_t take;

			/*
			 * Text after a '\r' replaces the line so far: only
			 * the bar's current segment is kept.
			 */
			if (seg > 0 && *p != '\r' && s->line.len > 0 &&
			    s->line.s[s->line.len - 1] == '\r')
				strbuf_reset(&s->line);
			take = seg;
			if (s->line.len + take > SCALARS_MAX_LINE)
				take = s->line.len < SCALARS_MAX_LINE ?
				    SCALARS_MAX_LINE - s->line.len : 0;
			if (take > 0 && strbuf_add(&s->line, p, take))
				return WB_ENOMEM;
			/* Cut: keep the '\r' so the next segment restarts. */
			if (take < seg && cr != NULL &&
			    strbuf_addc(&s->line, '\r'))
				return WB_ENOMEM;
			p += seg;
			n -= seg;
		}
		if (nl == NULL)
			break;
		if ((rc = line_done(s, fn, arg)) != 0)
			return rc;
	}
	return 0;
}

int
scalars_finish(struct scalars *s, scalars_fn fn, void *arg)
{
	if (s->line.len == 0)
		return 0;
	return line_done(s, fn, arg);
}
