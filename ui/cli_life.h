/*
 * cli_life: the lifecycle subcommands of `mlwb runs` (delete, restore,
 * purge, rename, tag, note) and of `mlwb exp` (rename, delete, restore).
 * cli_runs.c parses the options (one table per command) and hands over.
 */
#ifndef MLWB_CLI_LIFE_H
#define MLWB_CLI_LIFE_H

struct cli;

struct life_opts {
	const char	*filter;	/* --filter EXPR instead of RUNs */
	int		 children;	/* --children */
	long		 older_than;	/* --older-than DAYS; -1 unset */
	const char	*remove[64];	/* --remove KEY ... */
	int		 nremove;
	int		 edit;		/* --edit */
};

/* 1 if sub is a lifecycle subcommand of runs. */
int	 life_is_runs_sub(const char *sub);
/* runs SUB ARGS (argv[0] is SUB); an exit status. */
int	 life_runs(struct cli *cli, int argc, char **argv,
	    const struct life_opts *o);
/* exp rename|delete|restore ARGS (argv[0] is the subcommand). */
int	 life_exp(struct cli *cli, int argc, char **argv);

#endif
