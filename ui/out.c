/*
 * out: table / CSV / JSON printers for command output, and the terminal
 * guard that every byte a command prints to a terminal passes.
 *
 * Commands print from many places (tables, `runs show`, the launch start
 * line, warnings, errors).  Rather than trust each call, out_guard()
 * replaces stdout and stderr, when they are terminals, by streams that
 * run everything through text_sanitize() -- the same sanitiser the UI
 * draws with -- keeping only line breaks and tabs.  So a metric key
 * holding "ESC ] 52 ; c ; ..." cannot write the user's clipboard, and a
 * run name with U+202E cannot reorder what the user reads.  Output to a
 * pipe or a file is not touched: CSV keeps the data exact, JSON escapes
 * control characters itself.
 */
#include "config.h"

#include "out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xmem.h"
#include "strbuf.h"
#include "text.h"

struct out_colinfo {
	char		*name;
	enum out_type	 type;
	size_t		 width;
};

struct out {
	FILE			*fp;
	enum out_format		 fmt;
	struct out_colinfo	*cols;
	size_t			 ncols;
	size_t			 cur;		/* cell index in the row */
	size_t			 nrows;
	struct strbuf		 line;		/* CSV/JSON row being built */
	char			**cells;	/* table: buffered cells, row-major */
	size_t			 ncells, capcells;
	int			 streaming;	/* table: widths fixed, rows out */
	struct timespec		 t0;		/* table: first row's time */
	int			 ioerr;
};

/* One guarded terminal stream: its descriptor and a UTF-8 sequence that
 * the last write ended inside of (stdio cuts its buffer anywhere). */
struct guard {
	int		fd;
	unsigned char	pend[4];
	size_t		npend;
};

static FILE	*guarded_out, *guarded_err;
static FILE	*plain_out, *plain_err;	/* the streams they replaced */

static int
guard_write_all(int fd, const char *s, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, s, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Bytes at the end of s[0..len) that start a UTF-8 sequence too long to
 * be complete yet: held back for the next write.
 */
static size_t
guard_partial(const unsigned char *s, size_t len)
{
	size_t	k, need;

	for (k = 1; k <= 3 && k <= len; k++) {
		unsigned char c = s[len - k];

		if ((c & 0xc0) == 0x80)
			continue;	/* a continuation byte: look further */
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return need > k ? k : 0;
	}
	return 0;
}

/* Sanitise s, keeping line breaks and tabs, and write it to g->fd. */
static int
guard_emit(struct guard *g, const char *s, size_t len)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 i, start = 0;
	int		 rc;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n' && s[i] != '\t')
			continue;
		text_sanitize(&sb, s + start, i - start);
		if (i < len)
			strbuf_addc(&sb, s[i]);
		start = i + 1;
	}
	rc = sb.oom ? -1 : guard_write_all(g->fd, sb.s, sb.len);
	strbuf_free(&sb);
	return rc;
}

static ssize_t
guard_write(void *cookie, const char *buf, size_t len)
{
	struct guard	*g = cookie;
	struct strbuf	 in = STRBUF_INIT;
	size_t		 hold;

	strbuf_add(&in, (const char *)g->pend, g->npend);
	strbuf_add(&in, buf, len);
	if (in.oom) {
		strbuf_free(&in);
		errno = ENOMEM;
		return -1;
	}
	hold = guard_partial((const unsigned char *)in.s, in.len);
	if (guard_emit(g, in.s, in.len - hold) != 0) {
		strbuf_free(&in);
		return -1;
	}
	memcpy(g->pend, in.s + in.len - hold, hold);
	g->npend = hold;
	strbuf_free(&in);
	return (ssize_t)len;
}

static int
guard_close(void *cookie)
{
	struct guard	*g = cookie;
	int		 rc = 0;

	if (g->npend > 0)	/* a sequence never completed: escaped */
		rc = guard_emit(g, (const char *)g->pend, g->npend);
	free(g);
	return rc;
}

/* A guarded stream over fd, or NULL (then fp stays as it was). */
static FILE *
guard_open(FILE *fp, int fd)
{
	static const cookie_io_functions_t io = {
		.read = NULL, .write = guard_write, .seek = NULL,
		.close = guard_close
	};
	struct guard	*g;
	FILE		*nf;

	if (!isatty(fd) || (g = calloc(1, sizeof *g)) == NULL)
		return NULL;
	g->fd = fd;
	if ((nf = fopencookie(g, "w", io)) == NULL) {
		free(g);
		return NULL;
	}
	fflush(fp);
	setvbuf(nf, NULL, _IOLBF, BUFSIZ);
	return nf;
}

/* At exit: write what is held, give the process its plain streams back
 * (for anything printed later at exit) and free the guards. */
static void
guard_end(void)
{
	if (guarded_out != NULL) {
		stdout = plain_out;
		fclose(guarded_out);
		guarded_out = NULL;
	}
	if (guarded_err != NULL) {
		stderr = plain_err;
		fclose(guarded_err);
		guarded_err = NULL;
	}
}

void
out_guard(void)
{
	FILE	*f;

	if (guarded_out != NULL || guarded_err != NULL)
		return;
	if ((f = guard_open(stdout, STDOUT_FILENO)) != NULL) {
		plain_out = stdout;
		stdout = guarded_out = f;
	}
	if ((f = guard_open(stderr, STDERR_FILENO)) != NULL) {
		plain_err = stderr;
		stderr = guarded_err = f;
	}
	if (guarded_out != NULL || guarded_err != NULL)
		atexit(guard_end);
}

int
out_is_terminal(FILE *fp)
{
	if (fp == guarded_out || fp == guarded_err)
		return 1;
	return fileno(fp) >= 0 && isatty(fileno(fp));
}

struct out *
out_new(FILE *fp, enum out_format fmt)
{
	struct out	*o = xcalloc(1, sizeof *o);

	o->fp = fp;
	if (fmt == OUT_AUTO)
		fmt = out_is_terminal(fp) ? OUT_TABLE : OUT_CSV;
	o->fmt = fmt;
	return o;
}

enum out_format
out_resolved(const struct out *o)
{
	return o->fmt;
}

int
out_parse_format(const char *s, enum out_format *fmt)
{
	if (strcmp(s, "table") == 0)
		*fmt = OUT_TABLE;
	else if (strcmp(s, "csv") == 0)
		*fmt = OUT_CSV;
	else if (strcmp(s, "json") == 0)
		*fmt = OUT_JSON;
	else
		return -1;
	return 0;
}

void
out_col(struct out *o, const char *name, enum out_type type)
{
	struct strbuf	sb = STRBUF_INIT;

	o->cols = xreallocarray(o->cols, o->ncols + 1, sizeof *o->cols);
	/* Headers are data too (metric and param keys): a table sizes its
	 * columns by the sanitised text it prints. */
	if (o->fmt == OUT_TABLE) {
		text_sanitize(&sb, name, strlen(name));
		if (sb.oom)
			ui_fatal("out of memory");
		o->cols[o->ncols].name = strbuf_detach(&sb);
	} else
		o->cols[o->ncols].name = xstrdup(name);
	o->cols[o->ncols].type = type;
	o->cols[o->ncols].width = text_width(name);
	o->ncols++;
}

static void
flush_line(struct out *o)
{
	if (o->line.len > 0 && fwrite(o->line.s, 1, o->line.len, o->fp) !=
	    o->line.len)
		o->ioerr = 1;
	strbuf_reset(&o->line);
}

/* Add one cell: csv/json text is its encoding; table text is display. */
static void
cell(struct out *o, const char *table_text, const char *json, const char *csv)
{
	struct strbuf	 sb = STRBUF_INIT;
	size_t		 w;

	if (o->cur >= o->ncols)
		return;		/* more cells than columns: a bug, ignore */
	switch (o->fmt) {
	case OUT_TABLE:
		text_sanitize(&sb, table_text, strlen(table_text));
		if (o->ncells == o->capcells) {
			o->capcells = o->capcells ? o->capcells * 2 : 256;
			o->cells = xreallocarray(o->cells, o->capcells,
			    sizeof *o->cells);
		}
		o->cells[o->ncells++] = strbuf_detach(&sb);
		w = text_width(o->cells[o->ncells - 1]);
		if (!o->streaming && w > o->cols[o->cur].width)
			o->cols[o->cur].width = w;
		break;
	case OUT_CSV:
		if (o->nrows == 0 && o->cur == 0) {
			size_t i;

			for (i = 0; i < o->ncols; i++) {
				if (i)
					strbuf_addc(&o->line, ',');
				text_csv_field(&o->line, o->cols[i].name);
			}
			strbuf_addc(&o->line, '\n');
		}
		if (o->cur)
			strbuf_addc(&o->line, ',');
		text_csv_field(&o->line, csv);
		break;
	case OUT_JSON:
	default:
		strbuf_adds(&o->line, o->cur == 0 ?
		    (o->nrows == 0 ? "[\n  {" : ",\n  {") : ", ");
		text_json_str(&o->line, o->cols[o->cur].name);
		strbuf_adds(&o->line, ": ");
		strbuf_adds(&o->line, json);
		break;
	}
	o->cur++;
}

void
out_text(struct out *o, const char *s)
{
	struct strbuf	j = STRBUF_INIT;

	if (s == NULL) {
		out_null(o);
		return;
	}
	if (o->fmt == OUT_JSON)
		text_json_str(&j, s);
	cell(o, s, strbuf_str(&j), s);
	strbuf_free(&j);
}

void
out_num(struct out *o, double v)
{
	struct strbuf	j = STRBUF_INIT;
	char		b[32], t[32];

	text_json_num(&j, v);
	text_num(b, v);
	cell(o, text_num_short(t, v, 6), strbuf_str(&j), b);
	strbuf_free(&j);
}

void
out_num_or_null(struct out *o, double v, int is_null)
{
	if (is_null)
		out_null(o);
	else
		out_num(o, v);
}

void
out_int(struct out *o, int64_t v)
{
	char	b[32];

	snprintf(b, sizeof b, "%lld", (long long)v);
	cell(o, b, b, b);
}

void
out_bool(struct out *o, int v)
{
	cell(o, v ? "yes" : "no", v ? "true" : "false", v ? "true" : "false");
}

void
out_null(struct out *o)
{
	cell(o, "", "null", "");
}

void
out_raw(struct out *o, const char *json)
{
	cell(o, json, json, json);
}

static void	table_end_row(struct out *);

void
out_end_row(struct out *o)
{
	while (o->cur < o->ncols)
		out_null(o);
	if (o->fmt == OUT_CSV)
		strbuf_addc(&o->line, '\n');
	else if (o->fmt == OUT_JSON)
		strbuf_addc(&o->line, '}');
	flush_line(o);
	o->cur = 0;
	o->nrows++;
	if (o->fmt == OUT_TABLE)
		table_end_row(o);
}

/*
 * A table sizes its columns on the first OUT_LOOKAHEAD rows, or on the
 * rows read in the first OUT_LOOKAHEAD_MS on a terminal, then prints
 * each row as it ends, as ps(1) does: a later, wider cell pushes the
 * rest of its row right instead of being cut.  So a listing of any
 * length starts at once and holds one row in memory.
 */
#define OUT_LOOKAHEAD		1000
#define OUT_LOOKAHEAD_MS	80

static void
print_cell(struct out *o, size_t c, const char *s)
{
	size_t	w = text_width(s);
	int	pad = w < o->cols[c].width ? (int)(o->cols[c].width - w) : 0;

	if (o->cols[c].type == OUT_NUM || o->cols[c].type == OUT_INT)
		fprintf(o->fp, "%*s%s", pad, "", s);
	else if (c + 1 < o->ncols)
		fprintf(o->fp, "%s%*s", s, pad, "");
	else
		fputs(s, o->fp);
	fputs(c + 1 < o->ncols ? "  " : "\n", o->fp);
}

/* Print the header and the buffered rows; from here rows stream. */
static void
print_table(struct out *o)
{
	size_t	 i, c;

	if (o->streaming)
		return;
	for (c = 0; c < o->ncols; c++)
		print_cell(o, c, o->cols[c].name);
	for (i = 0; i < o->ncells; i++) {
		print_cell(o, i % o->ncols, o->cells[i]);
		free(o->cells[i]);
	}
	o->ncells = 0;
	o->streaming = 1;
}

static int
lookahead_over(struct out *o)
{
	struct timespec	now;
	long		ms;

	if (o->nrows >= OUT_LOOKAHEAD)
		return 1;
	if (!out_is_terminal(o->fp))
		return 0;	/* a pipe: the same widths every time */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (o->nrows == 1) {
		o->t0 = now;
		return 0;
	}
	ms = (now.tv_sec - o->t0.tv_sec) * 1000 +
	    (now.tv_nsec - o->t0.tv_nsec) / 1000000;
	return ms >= OUT_LOOKAHEAD_MS;
}

static void
table_end_row(struct out *o)
{
	size_t	i;

	if (!o->streaming) {
		if (lookahead_over(o))
			print_table(o);
		return;
	}
	for (i = 0; i < o->ncells; i++) {
		print_cell(o, i, o->cells[i]);
		free(o->cells[i]);
	}
	o->ncells = 0;
}

int
out_finish(struct out *o)
{
	size_t	i;
	int	rc;

	if (o->fmt == OUT_TABLE)
		print_table(o);
	else if (o->fmt == OUT_JSON)
		fputs(o->nrows == 0 ? "[]\n" : "\n]\n", o->fp);
	else if (o->fmt == OUT_CSV && o->nrows == 0) {
		for (i = 0; i < o->ncols; i++) {
			if (i)
				strbuf_addc(&o->line, ',');
			text_csv_field(&o->line, o->cols[i].name);
		}
		strbuf_addc(&o->line, '\n');
		flush_line(o);
	}
	if (fflush(o->fp) != 0)
		o->ioerr = 1;
	rc = o->ioerr ? -1 : 0;
	for (i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	free(o->cells);
	for (i = 0; i < o->ncols; i++)
		free(o->cols[i].name);
	free(o->cols);
	strbuf_free(&o->line);
	free(o);
	return rc;
}
