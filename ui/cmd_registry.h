/*
 * cmd_registry: the registry area's entries in the command table (see commands.h):
 * _(function-suffix, "name", "one-line help") per command.
 */
#ifndef MLWB_CMD_REGISTRY_H
#define MLWB_CMD_REGISTRY_H

#define REGISTRY_COMMANDS(_)						\
	_(model, "model", "Model registry: create, register, ls, show, " \
	    "promote, rollback, history, path")

#endif
