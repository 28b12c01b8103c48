/*
 * pyrepr: read the text Python's repr() gives a dict, as W&B exports
 * leave in CSV cells ({'lr': 0.001, 'opt': {'name': 'adam'}, 'ok': True,
 * 'sizes': [64, 64], 'x': None, 'v': nan}).  Only literals are read;
 * nothing is evaluated.
 */
#ifndef WB_PYREPR_H
#define WB_PYREPR_H

#include <stddef.h>

struct wb_err;

enum py_type { PY_NUM, PY_STR, PY_BOOL, PY_NONE, PY_LIST, PY_DICT, PY_OTHER };

struct py_node {
	enum py_type	  type;
	char		 *text;	/* scalars: the value (strings unescaped);
				   lists and others: the source text */
	double		  num;	/* PY_NUM, and PY_BOOL as 0/1 */
	char		**keys;	/* PY_DICT: n keys (as text) */
	struct py_node	**items;	/* PY_DICT: n values */
	size_t		  n;
};

/*
 * Parse s[0..len) as one Python literal.  what names the cell in
 * messages ("file:line: column 'config'").  On success *out is the
 * caller's to free with py_free.
 */
int	 py_parse(const char *s, size_t len, const char *what,
	    struct py_node **out, struct wb_err *err);
void	 py_free(struct py_node *n);
/* The value of key in a dict, or NULL. */
const struct py_node *py_get(const struct py_node *dict, const char *key);

#endif
