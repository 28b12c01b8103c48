/*
 * cmd_launch: the launch area's entries in the command table (see commands.h):
 * _(function-suffix, "name", "one-line help") per command.
 */
#ifndef MLWB_CMD_LAUNCH_H
#define MLWB_CMD_LAUNCH_H

#define LAUNCH_COMMANDS(_)						\
	_(project, "project", "Check mlwb.yaml, list its entry points")	\
	_(launch,  "launch",  "Start an entry point as a tracked job")	\
	_(jobs,    "jobs",    "List, follow, kill and queue jobs")	\
	_(scalars, "scalars", "Test output-scalar capture on text")

#endif
