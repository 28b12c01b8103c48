/*
 * cli_sync: what push, pull (ui/cli_sync.c) and merge (ui/cli_workspace.c)
 * share: the report of a sync and the conflict lines.
 */
#ifndef MLWB_CLI_SYNC_H
#define MLWB_CLI_SYNC_H

struct sync_stats;

/* Exit status of a sync that left conflicts (all else was synced). */
#define EXIT_CONFLICT	3

/*
 * Print what a sync did ("LABEL: N new runs, ...") unless quiet; return
 * EXIT_OK, or EXIT_CONFLICT when it left conflicts.
 */
int	cli_sync_report(const char *label, const struct sync_stats *st,
	    int quiet);
/*
 * The conflict callback of db_sync: "mlwb: conflict: ..." on stderr.  arg
 * is the struct progress whose line is cleared first, or NULL.
 */
void	cli_sync_conflict(void *arg, const char *msg);

#endif
