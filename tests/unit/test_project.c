/*
 * Unit tests of project (mlwb.yaml): loading every section, parameter
 * types, defaults and choices, {name} substitution, shell-like splitting,
 * errors with line and column, finding the file upwards, and every
 * allocation failing in turn.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "mem.h"
#include "project.h"
#include "strbuf.h"
#include "tap.h"

static char	sbuf[4][64];

/* -P overrides are char *const *; these keep the literals writable. */
#define SET(i, s) do { snprintf(sbuf[i], sizeof sbuf[i], "%s", s); \
	sets[i] = sbuf[i]; } while (0)

static char	tmpdir[] = "/tmp/mlwb-test-project.XXXXXX";
static char	file[256];

#include "project_text.h"

/* argv as "a|b|c". */
static char *
joined(char **argv)
{
	struct strbuf	sb = STRBUF_INIT;
	size_t		i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		strbuf_addf(&sb, "%s%s", i ? "|" : "", argv[i]);
	return strbuf_detach(&sb);
}

/*
 * dataset parameters and inputs: (kind, path, role) triplets with
 * {param} expanded, PATH:ROLE split only when ROLE is a name.
 */
static void
test_inputs(void)
{
	const struct project_entry	*e;
	struct project			*p;
	struct wb_err			 err;
	char				**vals = NULL, **specs = NULL, *s;
	char				 s1[] = "split=b", s2[] = "n=1";
	char				*sets[1];

	if (!ok(load("entry_points:\n  t:\n    command: [x, \"{train}\"]\n"
	    "    parameters:\n      train: {type: dataset, default: d/t.csv}"
	    "\n      split: {default: a}\n      n: int\n"
	    "    inputs: [\"d/test_{split}.csv:test\", \"d/*.txt\", "
	    "\"a:b.csv\", \"x_{{y}}:r-2\"]\n", &p, &err) == WB_OK,
	    "inputs and a dataset param load"))
		printf("#   %s\n", err.msg);
	if (p == NULL)
		return;
	e = project_entry(p, "t");
	is_int(e->params[0].type, PARAM_DATASET, "dataset type");
	is_str(project_type_name(PARAM_DATASET), "dataset", "its name");
	sets[0] = s1;
	is_int(project_values(e, sets, 1, &vals, &err), WB_EINVAL,
	    "n is required");
	sets[0] = s2;
	is_int(project_values(e, sets, 1, &vals, &err), WB_OK, "values");
	is_int(project_inputs(e, vals, &specs, &err), WB_OK, "inputs");
	s = joined(specs);
	is_str(s, "file|d/t.csv|train|glob|d/test_a.csv|test|glob|d/*.txt|"
	    "input|glob|a:b.csv|input|glob|x_{y}|r-2", "triplets, expanded");
	wb_free(s);
	project_argv_free(specs);
	project_argv_free(vals);
	project_free(p);
	is_str(load_err("entry_points:\n  a:\n    command: [x]\n"
	    "    parameters:\n      d: {type: dataset, default: \"\"}\n"),
	    "mlwb.yaml:5:35: default: d must be a path (not empty)",
	    "an empty dataset default");
	is_str(load_err("entry_points:\n  a:\n    command: [x]\n"
	    "    inputs: [ok.csv, [x]]\n"),
	    "mlwb.yaml:4:22: an input must be a path or a glob",
	    "an input that is a list");
	is_str(load_err("entry_points:\n  a:\n    command: [x]\n"
	    "    inputs: \"{nope}.csv\"\n"),
	    "mlwb.yaml:4:13: {nope}: entry point a has no parameter nope",
	    "an input naming no parameter");
}

static const char full[] =
    "name: example\n"
    "experiment: churn\n"
    "entry_points:\n"
    "  train:\n"
    "    command: [\"sh\", \"train.sh\", \"--lr\", \"{lr}\", "
    "\"--epochs={epochs}\", \"{{lit}}\"]\n"
    "    parameters:\n"
    "      lr: {type: float, default: 0.01}\n"
    "      epochs: {type: int, default: 10}\n"
    "      opt: {type: str, default: adam, choices: [adam, sgd]}\n"
    "      fast: {type: bool, default: false}\n"
    "      data: path\n"
    "    env: {PYTHONUNBUFFERED: \"1\", EMPTY: }\n"
    "    cwd: scripts\n"
    "    experiment: special\n"
    "  evaluate:\n"
    "    command: python3 eval.py --model \"{model} x\" 'a b' c\\ d\n"
    "    parameters:\n"
    "      model: {default: model.bin}\n"
    "      n: {default: 3}\n"
    "  deploy: sh deploy.sh\n"
    "  shelly:\n"
    "    shell: true\n"
    "    command: echo {msg} | tr a-z A-Z > out.txt; echo ${HOME}\n"
    "    parameters:\n"
    "      msg: {type: str, default: \"it's here\"}\n"
    "    env: [A=1, B=two=2]\n"
    "output_scalars:\n"
    "  - default\n"
    "  - '(?<key>\\w+) is (?<value>[0-9.]+)'\n"
    "  - val_auc: 'AUC ([0-9.]+)'\n"
    "gates:\n"
    "  churn: \"val_auc:max\"\n"
    "  fraud: \"loss:min\"\n";

static void
test_load(void)
{
	const struct project_entry	*e;
	const struct project_scalar	*sc;
	struct project			*p;
	struct wb_err			 err;
	char				**argv, *s;
	char				*sets[4];
	size_t				 n;
	int				 def;

	if (!ok(load(full, &p, &err) == WB_OK, "full project loads"))
		printf("#   %s\n", err.msg);
	if (p == NULL)
		return;
	is_int(p->nentries, 4, "four entry points");
	ok(strcmp(p->root, tmpdir) == 0 || strstr(p->root, "mlwb-test-project")
	    != NULL, "root is the file's folder");
	e = project_entry(p, "train");
	ok(e != NULL && project_entry(p, "nope") == NULL, "entry by name");
	is_int(e->nparams, 5, "train has 5 parameters");
	is_int(e->params[0].type, PARAM_FLOAT, "lr float");
	is_int(e->params[1].type, PARAM_INT, "epochs int");
	is_int(e->params[3].type, PARAM_BOOL, "fast bool");
	is_int(e->params[4].type, PARAM_PATH, "data path");
	ok(e->params[4].def == NULL, "data required");
	is_str(e->params[2].choices[1], "sgd", "choices kept");
	is_str(e->env[0], "PYTHONUNBUFFERED=1", "env from a map");
	is_str(e->env[1], "EMPTY=", "null env value is empty");
	is_str(e->cwd, "scripts", "cwd");
	is_str(e->experiment, "special", "entry's experiment");
	is_str(project_entry(p, "deploy")->experiment, "churn",
	    "top-level experiment inherited");

	SET(0, "data=/d.csv");
	ok(project_argv(e, sets, 1, &argv, &err) == WB_OK, "argv with -P");
	s = joined(argv);
	is_str(s, "sh|train.sh|--lr|0.01|--epochs=10|{lit}",
	    "defaults substituted, {{ }} literal");
	free(s);
	project_argv_free(argv);

	SET(0, "lr=0.5");
	SET(1, "data=my data.csv");
	SET(2, "lr=1e-3");
	SET(3, "opt=sgd");
	ok(project_argv(e, sets, 4, &argv, &err) == WB_OK, "overrides");
	s = joined(argv);
	is_str(s, "sh|train.sh|--lr|1e-3|--epochs=10|{lit}",
	    "last -P of a name wins");
	free(s);
	project_argv_free(argv);

	SET(0, "lr=abc");
	ok(project_argv(e, sets, 1, &argv, &err) == WB_EINVAL && argv == NULL,
	    "wrong type refused");
	is_str(err.msg, "-P lr=abc: lr must be a float", "type message");
	SET(0, "epochs=2.5");
	project_argv(e, sets, 1, &argv, &err);
	is_str(err.msg, "-P epochs=2.5: epochs must be an integer", "int");
	SET(0, "fast=maybe");
	project_argv(e, sets, 1, &argv, &err);
	is_str(err.msg, "-P fast=maybe: fast must be true or false", "bool");
	SET(0, "opt=rmsprop");
	project_argv(e, sets, 1, &argv, &err);
	is_str(err.msg, "-P opt=rmsprop: opt must be one of: adam, sgd",
	    "choices");
	SET(0, "bogus=1");
	project_argv(e, sets, 1, &argv, &err);
	is_str(err.msg, "-P bogus=1: entry point train has no parameter bogus",
	    "unknown parameter");
	SET(0, "lr");
	project_argv(e, sets, 1, &argv, &err);
	is_str(err.msg, "-P lr: expected NAME=VALUE", "no =");
	ok(project_argv(e, NULL, 0, &argv, &err) == WB_EINVAL, "required");
	is_str(err.msg, "entry point train needs -P data=path", "required msg");
	SET(0, "data=");
	project_argv(e, sets, 1, &argv, &err);
	is_str(err.msg, "-P data=: data must be a path (not empty)",
	    "empty path");

	e = project_entry(p, "evaluate");
	is_int(e->params[0].type, PARAM_STR, "untyped text default: str");
	is_int(e->params[1].type, PARAM_INT, "untyped number default: int");
	SET(0, "model=m 2.bin");
	ok(project_argv(e, sets, 1, &argv, &err) == WB_OK, "evaluate argv");
	s = joined(argv);
	is_str(s, "python3|eval.py|--model|m 2.bin x|a b|c d",
	    "string split like a shell; a value stays one word");
	free(s);
	project_argv_free(argv);

	e = project_entry(p, "shelly");
	ok(e->shell, "shell: true");
	ok(project_command(e, NULL, 0, &argv, &err) == WB_OK, "command");
	s = joined(argv);
	is_str(s, "/bin/sh|-c|echo 'it'\\''s here' | tr a-z A-Z > out.txt; "
	    "echo ${HOME}", "shell command: value quoted, ${VAR} kept");
	free(s);
	project_argv_free(argv);
	is_str(e->env[1], "B=two=2", "env from a list");

	sc = project_output_scalars(p, &n, &def);
	is_int(n, 2, "two patterns");
	ok(def, "default listed");
	ok(sc[0].key == NULL && sc[1].key != NULL &&
	    strcmp(sc[1].key, "val_auc") == 0, "fixed key form");
	is_int(sc[1].line, 30, "pattern line");
	is_str(project_gate(p, "churn"), "val_auc:max", "gate");
	is_str(project_gate(p, "fraud"), "loss:min", "second gate");
	ok(project_gate(p, "other") == NULL, "no gate");
	project_free(p);

	ok(load("entry_points: {a: x}\n", &p, &err) == WB_OK, "minimal file");
	project_output_scalars(p, &n, &def);
	ok(n == 0 && def, "no output_scalars: default");
	project_free(p);
	ok(load("entry_points: {a: x}\noutput_scalars: no\n", &p, &err) ==
	    WB_OK, "scalars off");
	project_output_scalars(p, &n, &def);
	ok(n == 0 && !def, "output_scalars: no");
	project_free(p);
	ok(load("entry_points: {a: x}\noutput_scalars: {loss: 'L=(\\S+)'}\n",
	    &p, &err) == WB_OK, "scalars map");
	sc = project_output_scalars(p, &n, &def);
	ok(n == 1 && !def && strcmp(sc[0].key, "loss") == 0, "map form");
	project_free(p);
	project_output_scalars(NULL, &n, &def);
	ok(n == 0 && def, "no project: default patterns");
}

static void
test_errors(void)
{
	is_str(load_err(""), "mlwb.yaml:1:1: empty project file: it needs "
	    "entry_points", "empty file");
	is_str(load_err("- a\n"), "mlwb.yaml:1:1: the project file must be "
	    "a mapping with entry_points", "not a mapping");
	is_str(load_err("name: x\n"), "mlwb.yaml:1:1: no entry_points",
	    "no entry points");
	is_str(load_err("entry_points:\n  a:\n    command: [x]\n"
	    "    parameters:\n      lr: {type: flaot}\n"),
	    "mlwb.yaml:5:18: unknown type 'flaot' (int, float, str, bool, "
	    "path, dataset)", "unknown type, line and column");
	is_str(load_err("entry_points:\n  a:\n    command: [x]\n"
	    "    parameters:\n      lr: {type: float, default: fast}\n"),
	    "mlwb.yaml:5:34: default: lr must be a float", "bad default");
	is_str(load_err("entry_points:\n  a:\n    command: [x]\n"
	    "    parameters:\n      n: {type: int, choices: [1, two]}\n"),
	    "mlwb.yaml:5:35: choice 'two' of n is not an integer",
	    "bad choice");
	is_str(load_err("entry_points:\n  a:\n    command: [x]\n"
	    "    parameters:\n      n: {type: int, default: 3, "
	    "choices: [1, 2]}\n"),
	    "mlwb.yaml:5:31: default: n must be one of: 1, 2",
	    "default outside choices");
	is_str(load_err("entry_points:\n  a:\n    command: python3 'x.py\n"),
	    "mlwb.yaml:3:22: unterminated single quote",
	    "unterminated quote: column of the quote");
	is_str(load_err("entry_points:\n  a:\n    command: python3 x.py > log\n"),
	    "mlwb.yaml:3:27: '>' is shell syntax and nothing here runs a "
	    "shell: quote it, or set shell: true", "redirect without a shell");
	is_str(load_err("entry_points:\n  a:\n    command: \"echo $HOME\"\n"),
	    "mlwb.yaml:3:20: '$' is shell syntax and nothing here runs a "
	    "shell: quote it, or set shell: true", "column in a quoted scalar");
	is_str(load_err("entry_points:\n  a:\n    command: [x, \"{lr}\"]\n"),
	    "mlwb.yaml:3:18: {lr}: entry point a has no parameter lr",
	    "unknown {name}");
	is_str(load_err("entry_points:\n  a:\n    comand: [x]\n"),
	    "mlwb.yaml:3:5: unknown key 'comand' in an entry point (known: "
	    "command, parameters, env, cwd, experiment, shell, description, outputs, "
	    "inputs)",
	    "typo in a key");
	is_str(load_err("entry_points:\n  a: x\n  a: y\n"),
	    "mlwb.yaml:3:3: entry point 'a' given twice (first at line 2)",
	    "duplicate entry");
	is_str(load_err("entry_points:\n  a: !!python/object:os.system x\n"),
	    "mlwb.yaml:2:6: tag tag:yaml.org,2002:python/object:os.system is "
	    "not allowed in a project file", "unsafe tag");
	is_str(load_err("entry_points:\n  a: [x]\noutput_scalars:\n"
	    "  - 'loss=(\\d+'\n"),
	    "mlwb.yaml:4:15: bad pattern: 9: missing closing parenthesis",
	    "bad pattern with column");
	is_str(load_err("entry_points:\n  a: [x]\noutput_scalars:\n"
	    "  - 'loss=(\\d+)'\n"),
	    "mlwb.yaml:4:5: the pattern needs groups named key and value "
	    "(?<key>...) (?<value>...), or give it a fixed key "
	    "(- NAME: PATTERN)", "pattern without key group");
	is_str(load_err("entry_points:\n  a: [x]\noutput_scalars:\n"
	    "  - loss: 'loss'\n"),
	    "mlwb.yaml:4:11: the pattern needs a group for the value",
	    "fixed key without a group");
	is_str(load_err("entry_points:\n  a: [x]\ngates: {m: \"auc:best\"}\n"),
	    "mlwb.yaml:3:12: gate of m must be \"METRIC:min\", "
	    "\"METRIC:max\" or \"METRIC\"", "bad gate");
	is_str(load_err("entry_points:\n  a: [x]\n  b: {command: [y], "
	    "shell: maybe}\n"), "mlwb.yaml:3:28: shell must be true or false",
	    "bad shell flag");
	is_str(load_err("entry_points:\n  a: {shell: true, command: [x]}\n"),
	    "mlwb.yaml:2:29: shell: true needs the command as one string",
	    "shell with a list");
	is_str(load_err("entry_points:\n  a:\n    parameters: {x: int}\n"),
	    "mlwb.yaml:2:3: entry point a has no command", "no command");
	is_str(load_err("entry_points:\n  a: {command: [x], env: {1X: y}}\n"),
	    "mlwb.yaml:2:27: '1X' is not a variable name", "bad env name");
	is_str(load_err("entry_points:\n  a: [x]\nbogus: 1\n"),
	    "mlwb.yaml:3:1: unknown key 'bogus' in the project file (known: "
	    "name, description, experiment, entry_points, output_scalars, "
	    "gates, drift, theme, imports, import, reproducibility, "
	    "system_metrics, pipelines, verify)",
	    "unknown top-level key");
	is_str(load_err("entry_points:\n  a: [x]\nverify: {run: ./c, "
	    "watch: 10x}\n"), "mlwb.yaml:3:27: watch must be a duration such "
	    "as 30s, 10m or 1h", "verify: bad watch");
	is_str(load_err("entry_points:\n  a: [x]\nverify: {run: ./c, "
	    "every: 30s}\n"), "mlwb.yaml:3:27: every needs a watch: window "
	    "to repeat the check in", "verify: every without watch");
	is_str(load_err("entry_points:\n  a: [x]\nverify: {watch: 1m}\n"),
	    "mlwb.yaml:3:9: verify has no run: (the command)",
	    "verify: no command");
	is_str(load_err("entry_points:\n  a: [x]\nverify: {run: ./c, "
	    "bogus: 1}\n"), "mlwb.yaml:3:20: unknown key 'bogus' in verify "
	    "(known: run, shell, env, cwd, watch, every)",
	    "verify: unknown key");
	{
		struct project			*p = NULL;
		struct wb_err			 e;
		const struct project_entry	*v;
		int64_t				 w = -1, ev = -1;

		ok(load("entry_points:\n  a: [x]\nverify:\n  run: ./check "
		    "--fast\n  watch: 10m\n  every: 30s\n  env: {K: v}\n",
		    &p, &e) == WB_OK, "verify: loads");
		v = project_verify(p, &w, &ev);
		ok(v != NULL && strcmp(v->argv[0], "./check") == 0 &&
		    strcmp(v->argv[1], "--fast") == 0 && v->argv[2] == NULL &&
		    strcmp(v->env[0], "K=v") == 0,
		    "verify: its command and env");
		is_int(w, 600000, "verify: watch in ms");
		is_int(ev, 30000, "verify: every in ms");
		project_free(p);
		ok(load("entry_points:\n  a: [x]\n", &p, &e) == WB_OK &&
		    project_verify(p, &w, &ev) == NULL && w == 0,
		    "verify: none");
		project_free(p);
	}
	is_str(load_err("entry_points:\n  a: [x\n"),
	    "mlwb.yaml:3:1: did not find expected ',' or ']' while parsing a "
	    "flow sequence", "libyaml syntax error has line and column");
}

static void
test_split(void)
{
	struct wb_err	  err;
	char		**argv, *s;
	size_t		  off;

	ok(project_split("a  'b c'\"d\\\"e\" f\\ g '' \\\n h", &argv, &off,
	    &err) == WB_OK, "split");
	s = joined(argv);
	is_str(s, "a|b cd\"e|f g||h", "quotes, escapes, empty word, "
	    "continuation");
	free(s);
	project_argv_free(argv);
	ok(project_split("x \"a$b\"", &argv, &off, &err) == WB_EPARSE &&
	    off == 4, "$NAME inside double quotes refused (no expansion)");
	ok(project_split("price 5$ 'a|b'", &argv, &off, &err) == WB_OK,
	    "lone $ and quoted | are fine");
	project_argv_free(argv);
	ok(project_split("  ", &argv, &off, &err) == WB_EPARSE,
	    "blank command");
	ok(project_split("x\\", &argv, &off, &err) == WB_EPARSE && off == 1,
	    "trailing backslash");
}

static void
test_find(void)
{
	struct wb_err	 err;
	char		 sub[300], *path;
	FILE		*fp;

	snprintf(sub, sizeof sub, "%s/a", tmpdir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof sub, "%s/a/b", tmpdir);
	mkdir(sub, 0755);
	snprintf(file, sizeof file, "%s/mlwb.yaml", tmpdir);
	fp = fopen(file, "w");
	fputs("entry_points: {a: x}\n", fp);
	fclose(fp);
	ok(project_find(sub, &path, &err) == WB_OK, "found from a subfolder");
	ok(path != NULL && strstr(path, "mlwb-test-project") != NULL &&
	    strcmp(path + strlen(path) - 10, "/mlwb.yaml") == 0,
	    "the folder above's file");
	wb_free(path);
	unlink(file);
	ok(project_find(sub, &path, &err) == WB_ENOTFOUND && path == NULL,
	    "none: WB_ENOTFOUND");
	ok(strstr(err.msg, "no mlwb.yaml in") != NULL, "message");
	rmdir(sub);
	snprintf(sub, sizeof sub, "%s/a", tmpdir);
	rmdir(sub);
}

/* Every allocation of load + argv failing in turn: ENOMEM, no leak. */
static void
test_fault(void)
{
	const struct project_entry	*e;
	struct project			*p;
	struct wb_err			 err;
	char				**argv;
	char				*sets[2];
	long				 k;
	int				 rc, bad = 0, n = 0;

	SET(0, "data=x");
	SET(1, "lr=0.2");
	load("entry_points: {a: x}\n", &p, &err);
	project_free(p);
	for (k = 0; k < 5000; k++) {
		wb_mem_fail_after(k);
		rc = load(full, &p, &err);
		if (rc == WB_OK) {
			e = project_entry(p, "train");
			rc = project_argv(e, sets, 2, &argv, &err);
			if (rc == WB_OK)
				project_argv_free(argv);
			project_free(p);
			if (rc == WB_OK) {
				wb_mem_fail_after(-1);
				break;
			}
		}
		wb_mem_fail_after(-1);
		n++;
		if (rc != WB_ENOMEM) {
			bad++;
			printf("#   k=%ld: %s\n", k, err.msg);
		}
	}
	ok(n > 50, "%d allocations failed in turn", n);
	is_int(bad, 0, "each failure is WB_ENOMEM");
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_load();
	test_errors();
	test_inputs();
	test_split();
	test_find();
	test_fault();
	unlink(file);
	rmdir(tmpdir);
	return tap_done();
}
