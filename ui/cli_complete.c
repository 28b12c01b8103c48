/*
 * cli_complete: shell completion.  `mlwb completion bash|zsh|fish` prints
 * a small script for the shell; the script hands the words typed so far
 * to `mlwb __complete WORD...`, which answers from the command table
 * (commands, subcommands, options, choices) and the workspace (live
 * names: experiments, runs, metrics, models, aliases, saved drift
 * reports; entry points come from mlwb.yaml).  Its answer is one
 * candidate per line, or a single ":files" or ":dirs" line asking the
 * shell to complete a path itself.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "db.h"
#include "db_complete.h"
#include "err.h"
#include "project.h"

static int	cmd_completion(struct cli *, int, char **);
static int	cmd_complete(struct cli *, int, char **);

static const struct cmd_sub completion_subs[] = {
	{ "bash", "", "the bash script" },
	{ "zsh", "", "the zsh script" },
	{ "fish", "", "the fish script" },
	{ NULL, NULL, NULL }
};

const struct cmd_entry cmd_completion_entry = {
	.name = "completion",
	.summary = "Print a shell completion script (bash, zsh, fish)",
	.usage = "mlwb completion bash|zsh|fish",
	.help = "Print the completion script of a shell.  It completes "
	    "commands, options and\nthe names in the workspace (experiments, "
	    "runs, metrics, models, aliases,\nentry points, saved drift "
	    "reports).  make install puts each where its shell\nlooks; to try "
	    "one in the running shell:\n\n"
	    "  source <(mlwb completion bash)        # bash\n"
	    "  source <(mlwb completion zsh)         # zsh\n"
	    "  mlwb completion fish | source         # fish\n",
	.subs = completion_subs,
	.exec = cmd_completion,
	.flags = CMD_NOFORMAT,
};

const struct cmd_entry cmd_complete_entry = {
	.name = "__complete",
	.summary = "candidates for the word being completed",
	.usage = "mlwb __complete WORD... CURRENT",
	.exec = cmd_complete,
	.flags = CMD_HIDDEN,
};

static const char bash_script[] =
    "# bash completion for mlwb (mlwb completion bash)\n"
    "_mlwb() {\n"
    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} out IFS=$'\\n'\n"
    "\tout=$(\"${COMP_WORDS[0]}\" __complete "
    "\"${COMP_WORDS[@]:1:COMP_CWORD}\" 2>/dev/null) || return 0\n"
    "\tcase $out in\n"
    "\t:files) compopt -o filenames 2>/dev/null\n"
    "\t\tCOMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
    "\t:dirs) compopt -o filenames 2>/dev/null\n"
    "\t\tCOMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
    "\t*) COMPREPLY=($out) ;;\n"
    "\tesac\n"
    "}\n"
    "complete -F _mlwb mlwb\n";

static const char zsh_script[] =
    "#compdef mlwb\n"
    "# zsh completion for mlwb (mlwb completion zsh)\n"
    "_mlwb() {\n"
    "\tlocal out\n"
    "\tlocal -a cands\n"
    "\tout=$(\"${words[1]}\" __complete \"${(@)words[2,CURRENT]}\" "
    "2>/dev/null) || return 1\n"
    "\tcase $out in\n"
    "\t:files) _files ;;\n"
    "\t:dirs) _files -/ ;;\n"
    "\t*) cands=(\"${(@f)out}\"); compadd -Q -a cands ;;\n"
    "\tesac\n"
    "}\n"
    "if [ \"$funcstack[1]\" = _mlwb ]; then _mlwb \"$@\"; "
    "else compdef _mlwb mlwb; fi\n";

static const char fish_script[] =
    "# fish completion for mlwb (mlwb completion fish)\n"
    "function __mlwb_complete\n"
    "\tset -l words (commandline -opc) (commandline -ct)\n"
    "\tset -l out ($words[1] __complete $words[2..-1] 2>/dev/null)\n"
    "\tswitch \"$out[1]\"\n"
    "\tcase :files\n"
    "\t\t__fish_complete_path (commandline -ct)\n"
    "\tcase :dirs\n"
    "\t\t__fish_complete_directories (commandline -ct)\n"
    "\tcase '*'\n"
    "\t\tprintf '%s\\n' $out\n"
    "\tend\n"
    "end\n"
    "complete -c mlwb -f -a '(__mlwb_complete)'\n";

static int
cmd_completion(struct cli *cli, int argc, char **argv)
{
	const char	*script = NULL;
	int		 opt;

	if ((opt = cmd_getopt(cli, &cmd_completion_entry, argc, argv)) != 0)
		return cmd_getopt_exit(opt);
	if (argc - optind != 1)
		return cli_usage(cmd_completion_entry.usage);
	if (strcmp(argv[optind], "bash") == 0)
		script = bash_script;
	else if (strcmp(argv[optind], "zsh") == 0)
		script = zsh_script;
	else if (strcmp(argv[optind], "fish") == 0)
		script = fish_script;
	if (script == NULL) {
		cli_error("completion %s: bash, zsh or fish", argv[optind]);
		return EXIT_USAGE;
	}
	fputs(script, stdout);
	return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
}

/* --------------------------------------------------------------------- */

/* The UI's own global options (main.c), besides the shared ones. */
static const struct cmd_opt global_opts[] = {
	{ "db", 0, 0, CMD_ARG_FILE, NULL, NULL, 0 },
	{ "format", 0, 0, CMD_ARG_CHOICE, "table|csv|json", NULL, 0 },
	{ "read-only", 0, 0, CMD_ARG_NONE, NULL, NULL, 0 },
	{ "quiet", 0, 0, CMD_ARG_NONE, NULL, NULL, 0 },
	{ "help", 0, 0, CMD_ARG_NONE, NULL, NULL, 0 },
	{ "theme", 0, 0, CMD_ARG_CHOICE,
	  "default|light|mono|high-contrast", NULL, 0 },
	{ "mouse", 0, 0, CMD_ARG_NONE, NULL, NULL, 0 },
	{ "project", 0, 0, CMD_ARG_FILE, NULL, NULL, 0 },
	{ "version", 0, 0, CMD_ARG_NONE, NULL, NULL, 0 },
	{ "script", 0, 0, CMD_ARG_FILE, NULL, NULL, 0 },
	{ "dump-screen", 0, 0, CMD_ARG_FILE, NULL, NULL, 0 },
	{ "size", 0, 0, CMD_ARG_TEXT, "WxH", NULL, 0 },
	{ NULL, 0, 0, CMD_ARG_NONE, NULL, NULL, 0 }
};

struct complete {
	const char	*cur;		/* the word being completed */
	const char	*db_path;	/* --db given on the line, or NULL */
	const char	*project;	/* --project given on the line */
	int		 said_files;
};

static void
offer(void *arg, const char *s)
{
	struct complete	*c = arg;

	if (strncmp(s, c->cur, strlen(c->cur)) == 0)
		printf("%s\n", s);
}

/* The option called word ("--name" or "-x") among opts, or NULL. */
static const struct cmd_opt *
find_opt(const struct cmd_opt *opts, const char *word)
{
	const struct cmd_opt	*o;
	size_t			 len;

	if (opts == NULL || word[0] != '-')
		return NULL;
	for (o = opts; o->name != NULL; o++) {
		if (word[1] == '-') {
			len = strcspn(word + 2, "=");
			if (strlen(o->name) == len &&
			    strncmp(o->name, word + 2, len) == 0)
				return o;
		} else if (o->short_name && word[1] == o->short_name &&
		    word[2] == '\0')
			return o;
	}
	return NULL;
}

static const struct cmd_opt *
find_any(const struct cmd_entry *e, const char *word)
{
	const struct cmd_opt	*o;

	if (e != NULL && (o = find_opt(e->opts, word)) != NULL)
		return o;
	return find_opt(global_opts, word);
}

static void
offer_opts(struct complete *c, const struct cmd_opt *opts)
{
	const struct cmd_opt	*o;
	char			 b[128];

	for (o = opts; o != NULL && o->name != NULL; o++) {
		snprintf(b, sizeof b, "--%s", o->name);
		offer(c, b);
	}
}

/* Live names of a kind from the workspace; nothing if it cannot open. */
static void
offer_names(struct complete *c, enum db_complete_kind kind)
{
	struct db	*db;
	struct wb_err	 err;

	if (db_open(c->db_path, DB_NOCREATE | DB_READONLY, &db, &err) !=
	    WB_OK)
		return;
	db_complete(db, kind, c->cur, offer, c, &err);
	db_close(db);
}

static void
offer_entries(struct complete *c)
{
	struct project	*p;
	struct wb_err	 err;
	char		*path = NULL;
	size_t		 i;

	if (c->project == NULL && project_find(".", &path, &err) != WB_OK)
		return;
	if (project_load(c->project ? c->project : path, &p, &err) == WB_OK) {
		for (i = 0; i < p->nentries; i++)
			offer(c, p->entries[i].name);
		project_free(p);
	}
	free(path);
}

/* Candidates for an argument of kind (meta: the choices). */
static void
offer_kind(struct complete *c, enum cmd_arg kind, const char *meta)
{
	char		 b[256];
	const char	*p, *bar;
	size_t		 len;

	switch (kind) {
	case CMD_ARG_FILE:
		printf(":files\n");
		return;
	case CMD_ARG_DIR:
		printf(":dirs\n");
		return;
	case CMD_ARG_RUN:
		offer_names(c, DB_COMPLETE_RUN);
		return;
	case CMD_ARG_EXPERIMENT:
		offer_names(c, DB_COMPLETE_EXPERIMENT);
		return;
	case CMD_ARG_METRIC:
		offer_names(c, DB_COMPLETE_METRIC);
		return;
	case CMD_ARG_PARAM:
		offer_names(c, DB_COMPLETE_PARAM);
		return;
	case CMD_ARG_MODEL:
		offer_names(c, DB_COMPLETE_MODEL);
		return;
	case CMD_ARG_ALIAS:
		offer_names(c, DB_COMPLETE_ALIAS);
		return;
	case CMD_ARG_REPORT:
		offer_names(c, DB_COMPLETE_REPORT);
		return;
	case CMD_ARG_ENTRY:
		offer_entries(c);
		return;
	case CMD_ARG_CHOICE:
		for (p = meta; p != NULL && *p != '\0'; p = bar ? bar + 1 :
		    NULL) {
			bar = strchr(p, '|');
			len = bar ? (size_t)(bar - p) : strlen(p);
			if (len < sizeof b) {
				memcpy(b, p, len);
				b[len] = '\0';
				offer(c, b);
			}
			if (bar == NULL)
				break;
		}
		return;
	default:
		return;
	}
}

/* The kind of operand n (from 0) in a list such as "run metric...". */
static enum cmd_arg
operand_kind(const char *list, int n)
{
	const char	*p = list, *end;
	size_t		 len;
	int		 i = 0;

	if (list == NULL)
		return CMD_ARG_NONE;
	for (;;) {
		p += strspn(p, " ");
		if (*p == '\0')
			return CMD_ARG_NONE;
		len = strcspn(p, " ");
		end = p + len;
		if (len > 3 && strncmp(end - 3, "...", 3) == 0)
			return cmd_arg_kind(p, len - 3);
		if (i++ == n)
			return cmd_arg_kind(p, len);
		p = end;
	}
}

static int
cmd_complete(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*e = NULL, *x;
	const struct cmd_sub	*sub = NULL, *s;
	const struct cmd_opt	*o;
	struct complete		 c;
	size_t			 i;
	int			 k, nops = 0;

	/* No getopt here: every word is the user's, options included. */
	memset(&c, 0, sizeof c);
	c.db_path = cli->db_path;
	c.project = cli->project;
	c.cur = argc > 1 ? argv[argc - 1] : "";
	for (k = 1; k < argc - 1; k++) {
		if (argv[k][0] == '-' && argv[k][1] != '\0') {
			o = find_any(e, argv[k]);
			if (o == NULL || o->arg == CMD_ARG_NONE ||
			    strchr(argv[k], '=') != NULL ||
			    (o->flags & CMD_OPT_OPTIONAL))
				continue;
			if (k + 1 < argc - 1) {
				if (strcmp(o->name, "db") == 0)
					c.db_path = argv[k + 1];
				else if (strcmp(o->name, "project") == 0)
					c.project = argv[k + 1];
			} else {
				/* The word is this option's argument. */
				offer_kind(&c, o->arg, o->meta);
				return EXIT_OK;
			}
			k++;
			continue;
		}
		if (e == NULL) {
			if ((e = cmd_find(argv[k])) == NULL ||
			    (e->flags & CMD_HIDDEN))
				return EXIT_OK;
			continue;
		}
		if (sub == NULL && e->subs != NULL) {
			for (s = e->subs; s->name != NULL; s++)
				if (strcmp(s->name, argv[k]) == 0)
					sub = s;
			if (sub != NULL)
				continue;
		}
		nops++;
	}
	if (c.cur[0] == '-') {
		if (e != NULL)
			offer_opts(&c, e->opts);
		offer_opts(&c, global_opts);
		return EXIT_OK;
	}
	if (e == NULL) {
		for (i = 0; (x = cmd_table[i]) != NULL; i++)
			if (!(x->flags & CMD_HIDDEN))
				offer(&c, x->name);
		return EXIT_OK;
	}
	if (e->subs != NULL && sub == NULL && nops == 0) {
		/* drift takes files or a subcommand: files when no sub fits. */
		k = 0;
		for (s = e->subs; s->name != NULL; s++)
			if (strncmp(s->name, c.cur, strlen(c.cur)) == 0)
				k++;
		if (k > 0 || e->operands == NULL) {
			for (s = e->subs; s->name != NULL; s++)
				offer(&c, s->name);
			return EXIT_OK;
		}
	}
	offer_kind(&c, operand_kind(sub != NULL ? sub->operands :
	    e->operands, nops), NULL);
	return EXIT_OK;
}
