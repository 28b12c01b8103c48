/*
 * demo_launch: the launch part of the demo workspace.
 */
#include "config.h"

#include "demo.h"

#include "err.h"

int
demo_launch(struct db *db, const char *dir, struct wb_err *err)
{
	(void)db;
	(void)dir;
	(void)err;
	return WB_OK;
}
