/*
 * cli_repro: how `runs show` prints what a run keeps to be run again
 * (its summary lines, --env, --packages, --patch) and `runs diff`.
 */
#ifndef WB_CLI_REPRO_H
#define WB_CLI_REPRO_H

struct cli;
struct out;
struct repro;
struct strbuf;

/* What runs show prints beyond the summary (bits). */
#define SHOW_ENV	0x01
#define SHOW_PACKAGES	0x02
#define SHOW_PATCH	0x04

/* The summary rows (section "repro") and, as asked, env/package rows. */
void	 cli_repro_rows(struct out *o, const struct repro *r, int what);
/*
 * The JSON members `"rerun_of": ..., "repro": {...}` (with a leading
 * ", "), and "env"/"packages" as asked.
 */
void	 cli_repro_json(struct strbuf *sb, const struct repro *r, int what);
/* Write the stored patch to stdout (made visible on a terminal). */
int	 cli_repro_patch(const struct repro *r);
/* mlwb runs diff A B [--all]; argv holds A and B. */
int	 cli_runs_diff(struct cli *cli, char **argv, int all);

#endif
