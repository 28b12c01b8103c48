/*
 * dataset: a CSV file read column by column for drift tests.
 *
 * Every column is typed numeric when each of its non-empty cells parses
 * as a number (text_parse_num), otherwise categorical; a caller can force
 * a column categorical.  Missing cells -- empty, pandas' NA spellings
 * ("NA", "null", "None", "N/A", ...), NaN and +-inf -- are dropped and
 * counted, so the share of missing values can be reported.  Numeric
 * columns keep their values as doubles; categorical ones keep only the
 * distinct values with their counts, which is all the tests need and keeps
 * memory small on million-row files.  A numeric column forced categorical
 * groups its values by number (as pandas' value_counts on floats does),
 * labelled with the shortest decimal.
 *
 * The file is read in one pass (with its sha256); a column that turns
 * out categorical after some rows typed it numeric is filled by a second
 * pass over the file.  Errors carry "file:line: what".  Files without a
 * '"' are mapped and split by csvfast (the same rows, several times
 * faster); the first quote sends the whole file to csvread (libcsv).
 */
#ifndef WB_DATASET_H
#define WB_DATASET_H

#include <stddef.h>
#include <stdint.h>

struct wb_err;
struct wb_progress;

enum ds_type { DS_NUM, DS_CAT };

struct ds_cat {
	char	*value;
	size_t	 count;
};

struct ds_column {
	char		*name;
	enum ds_type	 type;
	int		 forced_cat;	/* numeric data, typed categorical */
	size_t		 n_missing;	/* empty, NA, NaN, +-inf */
	/* DS_NUM: the finite values, in file order. */
	double		*num;
	size_t		 n_num;
	/* DS_CAT: distinct values sorted by byte order, with counts. */
	struct ds_cat	*cat;
	size_t		 n_cat;
	size_t		 n_valid;	/* values kept (either type) */
};

struct dataset {
	char		*path;
	char		 sha256[65];	/* "" when not computed */
	size_t		 n_rows;
	size_t		 n_cols;
	struct ds_column *cols;
};

/* What to read: NULL-terminated lists of column names, or NULL. */
struct ds_opts {
	const char *const *categorical;	/* force these categorical */
	char		 delim;		/* 0: ',' */
	int		 no_hash;	/* skip the sha256 (sha256 stays "") */
	int		 no_fast;	/* csvread only (tests compare both) */
	/* Bytes of the file read, of its size (first pass); may be NULL. */
	const struct wb_progress *progress;
};

/* Read path.  Errors: WB_EIO, WB_EPARSE ("f.csv:3: 4 fields, header has 3"). */
int	 dataset_read(const char *path, const struct ds_opts *opts,
	    struct dataset **out, struct wb_err *err);
/* The same from a buffer (borrowed during the call); name for messages. */
int	 dataset_read_mem(const char *buf, size_t len, const char *name,
	    const struct ds_opts *opts, struct dataset **out,
	    struct wb_err *err);
void	 dataset_free(struct dataset *ds);

/* The column called name, or NULL. */
struct ds_column *dataset_column(const struct dataset *ds, const char *name);

/* Share of missing cells of a column (0 for an empty file). */
double	 dataset_missing_share(const struct dataset *ds,
	    const struct ds_column *c);

/* 1 if s is one of pandas' default missing-value spellings (or empty). */
int	 dataset_is_na(const char *s, size_t len);

#endif
