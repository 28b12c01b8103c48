/*
 * cmd_sync: the sync area's entries in the command table (see commands.h):
 * _(function-suffix, "name", "one-line help") per command.  The shared
 * report of push, pull and merge is in cli_sync.c too.
 */
#ifndef MLWB_CMD_SYNC_H
#define MLWB_CMD_SYNC_H

struct sync_stats;

#define SYNC_COMMANDS(_)						\
	_(push,     "push",     "Send this workspace's changes to another store") \
	_(pull,     "pull",     "Bring another store's changes into this one")

/* Exit status of a sync that left conflicts (all else was synced). */
#define EXIT_CONFLICT	3

/*
 * Print what a sync did ("LABEL: N new runs, ...") unless quiet; return
 * EXIT_OK, or EXIT_CONFLICT when it left conflicts.
 */
int	cli_sync_report(const char *label, const struct sync_stats *st,
	    int quiet);
/* The conflict callback of db_sync: "mlwb: conflict: ..." on stderr. */
void	cli_sync_conflict(void *arg, const char *msg);

#endif
