/*
 * out: the command line's tables, printed as an aligned text table, CSV
 * or JSON (--format).  A command declares its columns, adds typed cells
 * row by row and calls out_finish().  Every format streams: a row goes out
 * when it ends, except that a text table holds its first rows (1000, or
 * 80 ms' worth on a terminal) to size its columns.  Cells shown as a
 * table are sanitised,
 * and out_guard() makes sure nothing else reaches a terminal raw.
 */
#ifndef MLWB_OUT_H
#define MLWB_OUT_H

#include <stdint.h>
#include <stdio.h>

enum out_format { OUT_AUTO, OUT_TABLE, OUT_CSV, OUT_JSON };

enum out_type {
	OUT_TEXT,	/* JSON string */
	OUT_NUM,	/* JSON number; right-aligned */
	OUT_INT,
	OUT_BOOL,
	OUT_RAW		/* already JSON (objects); shown as-is in tables */
};

struct out;

/*
 * From here on, stdout and stderr, if they are terminals, show every byte
 * through text_sanitize() (line breaks and tabs kept): escapes, C0/C1
 * controls, bidi overrides, zero-width characters and invalid UTF-8 are
 * printed escaped ("\e", "\x07", "<U+202E>").  Pipes and files are left
 * exact.  Commands call it once before printing; never for the UI.
 */
void	 out_guard(void);
/* 1 if fp is a terminal (also when guarded, where fileno() is -1). */
int	 out_is_terminal(FILE *fp);

/* fmt OUT_AUTO: table on a terminal, CSV otherwise. */
struct out *out_new(FILE *fp, enum out_format fmt);
void	 out_col(struct out *o, const char *name, enum out_type type);
void	 out_text(struct out *o, const char *s);	/* NULL: null/empty */
void	 out_num(struct out *o, double v);
void	 out_num_or_null(struct out *o, double v, int is_null);
void	 out_int(struct out *o, int64_t v);
void	 out_bool(struct out *o, int v);
void	 out_null(struct out *o);
void	 out_raw(struct out *o, const char *json);
void	 out_end_row(struct out *o);
/* Print what is left and free o; 0, or -1 on a write error. */
int	 out_finish(struct out *o);
enum out_format out_resolved(const struct out *o);

/* "table", "csv", "json" -> format; -1 if unknown. */
int	 out_parse_format(const char *s, enum out_format *fmt);

#endif
