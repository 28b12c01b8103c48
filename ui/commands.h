/*
 * commands: the table of `mlwb COMMAND`s, one X-macro that drives the
 * dispatcher in main.c and `mlwb --help`.  Each command is a function
 * int cmd_NAME(struct cli *, int argc, char **argv) in ui/cli_*.c, where
 * argv[0] is the command name; it returns the process exit status.
 */
#ifndef MLWB_COMMANDS_H
#define MLWB_COMMANDS_H

struct cli;

#include "cmd_drift.h"
#include "cmd_import.h"
#include "cmd_launch.h"
#include "cmd_mlflow.h"
#include "cmd_query.h"
#include "cmd_registry.h"
#include "cmd_sync.h"

#define CORE_COMMANDS(_)						\
	_(init,     "init",     "Create an empty workspace")		\
	_(demo,     "demo",     "Build a demo workspace")		\
	_(exp,      "exp",      "List experiments (exp ls)")		\
	_(runs,     "runs",     "List and show runs (runs ls, runs show)") \
	_(metrics,  "metrics",  "Print one metric of a run")		\
	_(log,      "log",      "Record params, metrics, tags from a script") \
	_(merge,    "merge",    "Merge the runs of other workspaces")	\
	_(doctor,   "doctor",   "Check the workspace's integrity")

/* Each area's list lives in its own cmd_AREA.h. */
#define COMMANDS(_)							\
	CORE_COMMANDS(_)						\
	IMPORT_COMMANDS(_)						\
	MLFLOW_COMMANDS(_)						\
	QUERY_COMMANDS(_)						\
	DRIFT_COMMANDS(_)						\
	REGISTRY_COMMANDS(_)						\
	LAUNCH_COMMANDS(_)						\
	SYNC_COMMANDS(_)

#define COMMAND_DECL(fn, name, help) \
	int cmd_##fn(struct cli *, int, char **);
COMMANDS(COMMAND_DECL)
#undef COMMAND_DECL

#endif
