/*
 * libFuzzer target: bytes as a training log (CSV or JSON, by content)
 * through format detection and import into an in-memory workspace.  Any
 * crash, leak or sanitizer report is a bug; errors are fine.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "db.h"
#include "err.h"
#include "import.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct db	*db;
	struct import_opts	 o;
	struct import_result	 res;
	struct wb_err		 err;

	if (db == NULL && db_open(":memory:", 0, &db, &err) != WB_OK)
		return 0;
	memset(&o, 0, sizeof o);
	import_buffer(db, size > 0 && data[0] == '{' ? "f.json" : "f.csv",
	    (const char *)data, size, &o, &res, &err);
	return 0;
}
