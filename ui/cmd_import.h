/*
 * cmd_import: the import area's entries in the command table (see commands.h):
 * _(function-suffix, "name", "one-line help") per command.
 */
#ifndef MLWB_CMD_IMPORT_H
#define MLWB_CMD_IMPORT_H

#define IMPORT_COMMANDS(_)						\
	_(import, "import", "Import training logs (CSV, JSON)")

#endif
