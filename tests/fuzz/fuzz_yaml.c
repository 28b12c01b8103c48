/*
 * libFuzzer target: bytes as a YAML/JSON document through yamldoc (the
 * reader of hparams.yaml, themes, config.yaml and JSON logs), then a walk
 * of the tree the way the importer reads params.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "yamldoc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
walk(const struct ynode *n, int depth)
{
	size_t	i, cnt, total = 1;

	if (n == NULL || depth > 300)
		return 0;
	(void)ynode_is_null(n);
	(void)ynode_is_unsafe(n);
	if (n->type == YNODE_SCALAR)
		return strlen(n->value) == n->len ? 1 : 1;
	cnt = n->type == YNODE_MAP ? 2 * n->n : n->n;
	for (i = 0; i < cnt; i++)
		total += walk(n->items[i], depth + 1);
	if (n->type == YNODE_MAP)
		(void)ynode_get(n, "log_history");
	return total;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ydoc	*doc;
	struct wb_err	 err;

	if (ydoc_load_mem((const char *)data, size, "fuzz.yaml", &doc, &err) ==
	    WB_OK) {
		walk(doc->root, 0);
		ydoc_free(doc);
	}
	return 0;
}
