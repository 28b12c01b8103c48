/*
 * cmd_drift: the drift area's entries in the command table (see commands.h):
 * _(function-suffix, "name", "one-line help") per command.
 */
#ifndef MLWB_CMD_DRIFT_H
#define MLWB_CMD_DRIFT_H

#define DRIFT_COMMANDS(_)						\
	_(drift,    "drift",    "Data drift: REF.csv CUR.csv; drift ls, drift show")

#endif
