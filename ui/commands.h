/*
 * commands: the table of `mlwb COMMAND`s, one X-macro that drives the
 * dispatcher in main.c and `mlwb --help`.  Each command is a function
 * int cmd_NAME(struct cli *, int argc, char **argv) in ui/cli_*.c, where
 * argv[0] is the command name; it returns the process exit status.
 */
#ifndef MLWB_COMMANDS_H
#define MLWB_COMMANDS_H

struct cli;

#define COMMANDS(_)							\
	_(init,     "init",     "Create an empty workspace")		\
	_(exp,      "exp",      "List experiments (exp ls)")		\
	_(runs,     "runs",     "List and show runs (runs ls, runs show)") \
	_(metrics,  "metrics",  "Print one metric of a run")		\
	_(doctor,   "doctor",   "Check the workspace's integrity")

#define COMMAND_DECL(fn, name, help) \
	int cmd_##fn(struct cli *, int, char **);
COMMANDS(COMMAND_DECL)
#undef COMMAND_DECL

#endif
