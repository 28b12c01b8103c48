/*
 * cmd_query: the query area's entries in the command table (see commands.h):
 * _(function-suffix, "name", "one-line help") per command.
 */
#ifndef MLWB_CMD_QUERY_H
#define MLWB_CMD_QUERY_H

#define QUERY_COMMANDS(_)						\
	_(compare,  "compare",  "Compare runs side by side")		\
	_(plot,     "plot",     "Chart a metric of runs (text or SVG)")

#endif
