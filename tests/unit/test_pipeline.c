/*
 * Unit tests of pipelines: reading `pipelines:` from mlwb.yaml (kinds,
 * needs, params, references, when:), the order of steps, every check
 * with its FILE:LINE:COL message, the steps tag's JSON both ways, and
 * every allocation failing in turn while loading.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "mem.h"
#include "pipeline_int.h"
#include "project.h"
#include "schedule.h"
#include "strbuf.h"
#include "tap.h"

static char	tmpdir[] = "/tmp/mlwb-test-pipeline.XXXXXX";
static char	file[256];

#include "project_text.h"

#define HEAD								\
    "entry_points:\n"							\
    "  train:\n"							\
    "    command: sh train.sh {lr} {data}\n"				\
    "    parameters:\n"							\
    "      lr: {type: float, default: 0.1}\n"				\
    "      data: path\n"						\
    "    outputs: [model.pkl]\n"					\
    "  evaluate:\n"							\
    "    command: sh evaluate.sh {run}\n"				\
    "    parameters:\n"							\
    "      run: {default: ''}\n"					\
    "pipelines:\n"

static const char good[] = HEAD
    "  ct:\n"
    "    params: {data: data/new.csv}\n"
    "    steps:\n"
    "      promote:\n"
    "        promote: {model: clf, alias: champion, "
    "version: '{steps.register.version}'}\n"
    "        needs: [register]\n"
    "      validate:\n"
    "        check: {data: '{params.data}', reference: data/train.csv}\n"
    "      train:\n"
    "        run: train\n"
    "        needs: validate\n"
    "        params: {data: '{params.data}', lr: 0.5}\n"
    "        inputs: ['{params.data}']\n"
    "      evaluate:\n"
    "        run: evaluate\n"
    "        needs: [train]\n"
    "        params: {run: '{steps.train.run}'}\n"
    "        metric: acc\n"
    "      register:\n"
    "        register: {model: clf, from: '{steps.train.run}', "
    "artifact: '{steps.train.outputs.model}'}\n"
    "        needs: [evaluate]\n"
    "        when: steps.evaluate.metrics.acc >= 0.9\n";

static void
test_load(void)
{
	const struct pipeline_def	*d;
	struct project			*p = NULL;
	struct wb_err			 err = { WB_OK, "" };
	size_t				 n;

	ok(load(good, &p, &err) == WB_OK, "a pipeline loads (%s)", err.msg);
	d = project_pipelines(p, &n);
	is_int(n, 1, "one pipeline");
	ok(project_pipeline(p, "ct") == d, "found by name");
	ok(project_pipeline(p, "nope") == NULL, "an unknown one is NULL");
	is_int(d->nsteps, 5, "five steps");
	/* Needs come first; file order among the ready ones. */
	is_str(d->steps[0].name, "validate", "order 1");
	is_str(d->steps[1].name, "train", "order 2");
	is_str(d->steps[2].name, "evaluate", "order 3");
	is_str(d->steps[3].name, "register", "order 4");
	is_str(d->steps[4].name, "promote", "order 5 (written first)");
	is_int(d->steps[0].kind, PSTEP_CHECK, "check kind");
	is_str(d->steps[0].data, "{params.data}", "check data");
	is_str(d->steps[0].reference, "data/train.csv", "check reference");
	is_int(d->steps[1].kind, PSTEP_RUN, "run kind");
	is_str(d->steps[1].entry, "train", "entry");
	is_int(d->steps[1].nneeds, 1, "needs as a single string");
	is_str(d->steps[1].needs[0], "validate", "needs validate");
	is_int(d->steps[1].nparams, 2, "two params");
	is_str(d->steps[1].params[1], "lr=0.5", "param as k=v");
	is_str(d->steps[1].inputs[0], "{params.data}", "inputs");
	is_str(d->steps[2].metric, "acc", "key metric");
	is_int(d->steps[3].kind, PSTEP_REGISTER, "register kind");
	is_str(d->steps[3].when, "steps.evaluate.metrics.acc >= 0.9", "when");
	is_int(d->steps[4].kind, PSTEP_PROMOTE, "promote kind");
	is_str(d->steps[4].alias, "champion", "alias");
	is_str(d->params[0], "data=data/new.csv", "pipeline param");
	is_str(pstep_kind_name(PSTEP_REGISTER), "register", "kind name");
	ok(pipeline_step_after(d, &d->steps[4], "validate"),
	    "promote waits for validate through others");
	ok(!pipeline_step_after(d, &d->steps[1], "evaluate"),
	    "train does not wait for evaluate");
	project_free(p);
}

static void
test_errors(void)
{
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: nope}\n"),
	    "mlwb.yaml:15:16: step s: no entry point nope",
	    "unknown entry");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: train, "
	    "needs: [x], params: {data: d}}\n"),
	    "mlwb.yaml:15:31: step s needs x: no such step in pipeline a",
	    "unknown step in needs");
	is_str(load_err(HEAD "  a:\n    steps:\n"
	    "      s: {run: evaluate, needs: [t]}\n"
	    "      t: {run: evaluate, needs: [u]}\n"
	    "      u: {run: evaluate, needs: [s]}\n"),
	    "mlwb.yaml:15:7: pipeline a: steps wait for each other in a "
	    "cycle: s -> t -> u -> s", "a cycle, named");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: train}\n"),
	    "mlwb.yaml:15:16: step s: entry train needs param data (it has "
	    "no default)", "missing param");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: evaluate, "
	    "params: {x: 1}}\n"),
	    "mlwb.yaml:15:35: step s: entry evaluate has no param x",
	    "unknown param");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: evaluate, "
	    "params: {run: '{steps.t.run}'}}\n"
	    "      t: {run: evaluate}\n"),
	    "mlwb.yaml:15:40: step s: {steps.t.run}: step t is not among "
	    "the steps it needs", "reference to a step not needed");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: evaluate, "
	    "params: {run: '{params.zz}'}}\n"),
	    "mlwb.yaml:15:40: step s: {params.zz}: pipeline a has no param "
	    "zz", "unknown pipeline param");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: evaluate, "
	    "params: {run: '{steps.x}'}}\n"),
	    "mlwb.yaml:15:40: step s: bad reference {steps.x} (known: "
	    "{params.NAME}, {steps.STEP.run}, {steps.STEP.outputs.NAME}, "
	    "{steps.STEP.metrics.NAME}, {steps.STEP.version})",
	    "bad reference");
	is_str(load_err(HEAD "  a:\n    steps:\n"
	    "      t: {run: train, params: {data: x}}\n"
	    "      s: {run: evaluate, needs: [t], "
	    "params: {run: '{steps.t.outputs.weights}'}}\n"),
	    "mlwb.yaml:16:52: step s: {steps.t.outputs.weights}: step t "
	    "has no output weights (entry outputs:)", "unknown output");
	is_str(load_err(HEAD "  a:\n    steps:\n"
	    "      t: {run: evaluate}\n"
	    "      s: {run: evaluate, needs: [t], when: 'acc > 1'}\n"),
	    "mlwb.yaml:16:44: step s: when: 'acc' is not "
	    "steps.STEP.metrics.NAME", "bad when");
	is_str(load_err(HEAD "  a:\n    steps:\n"
	    "      t: {run: evaluate}\n"
	    "      s: {run: evaluate, needs: [t], "
	    "when: 'steps.t.metrics.acc >> 1'}\n"),
	    "mlwb.yaml:16:44: step s: when: expected a number after >",
	    "bad when operand");
	is_str(load_err(HEAD "  a:\n    steps:\n"
	    "      s: {run: evaluate, check: {data: x, reference: y}}\n"),
	    "mlwb.yaml:15:33: step s: both check: and run: (a step is one "
	    "of run, check, register, promote)", "two kinds");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {needs: []}\n"),
	    "mlwb.yaml:15:7: step s needs one of run: ENTRY, check:, "
	    "register:, promote:", "no kind");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {check: {data: x}}"
	    "\n"), "mlwb.yaml:15:18: step s: check needs reference: (the "
	    "data set to compare with) or model: (a version whose training "
	    "data is the reference), one of them", "check without reference");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {check: {data: x,"
	    " reference: y, model: m@a}}\n"), "mlwb.yaml:15:18: step s: check "
	    "needs reference: (the data set to compare with) or model: (a "
	    "version whose training data is the reference), one of them",
	    "check with both reference and model");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {register: "
	    "{model: m}}\n"), "mlwb.yaml:15:21: step s: register needs "
	    "from: (the run whose model to register, e.g. "
	    "\"{steps.train.run}\")", "register without from");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {promote: "
	    "{model: m, alias: c, version: '{steps.s.version}'}}\n"),
	    "mlwb.yaml:15:50: step s: {steps.s.version}: step s is not "
	    "among the steps it needs", "self reference");
	is_str(load_err(HEAD "  a:\n    steps:\n"
	    "      t: {run: evaluate}\n"
	    "      s: {promote: {model: m, alias: c, "
	    "version: '{steps.t.version}'}, needs: [t]}\n"),
	    "mlwb.yaml:16:50: step s: {steps.t.version}: step t is not a "
	    "register step", "version of a non-register step");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: evaluate, "
	    "bogus: 1}\n"), "mlwb.yaml:15:26: unknown key 'bogus' in step s",
	    "unknown key");
	is_str(load_err(HEAD "  a:\n    steps: {}\n"),
	    "mlwb.yaml:14:12: pipeline a needs steps: a mapping STEP: {run: "
	    "ENTRY | check: | register: | promote:, needs: [...]}",
	    "no steps");
	is_str(load_err(HEAD "  - a\n"), "mlwb.yaml:13:3: pipelines must be "
	    "a mapping NAME: {steps: ...}", "not a mapping");
	is_str(load_err(HEAD "  a:\n    steps:\n      s: {run: evaluate, "
	    "verify: x}\n"), "mlwb.yaml:15:34: step s: verify: belongs to "
	    "a promote step", "verify outside promote");
}

static void
test_refs(void)
{
	struct pipeline_ref	r;
	struct pipeline_when	w;
	char			msg[160];

	ok(pipeline_ref_parse("steps.train.outputs.model", &r) == 0 &&
	    r.what == PREF_OUTPUT && strcmp(r.step, "train") == 0 &&
	    strcmp(r.name, "model") == 0, "outputs reference");
	ok(pipeline_ref_parse("params.x", &r) == 0 && r.what == PREF_PARAM,
	    "param reference");
	ok(pipeline_ref_parse("steps.t.metrics.val/acc", &r) == 0 &&
	    r.what == PREF_METRIC && strcmp(r.name, "val/acc") == 0,
	    "metric names keep their slashes");
	ok(pipeline_ref_parse("steps..run", &r) != 0, "empty step refused");
	ok(pipeline_ref_parse("lr", &r) != 0, "a bare name is refused");
	ok(pipeline_when_parse(" steps.e.metrics.acc>=0.9 ", &w, msg,
	    sizeof msg) == 0 && strcmp(w.op, ">=") == 0 && w.value == 0.9,
	    "when without blanks");
	ok(pipeline_when_true(&w, 0.9) && !pipeline_when_true(&w, 0.89),
	    ">= holds at the bound only");
	ok(pipeline_when_parse("steps.e.metrics.loss < 1e-2", &w, msg,
	    sizeof msg) == 0 && pipeline_when_true(&w, 0.001) &&
	    !pipeline_when_true(&w, 0.01), "< with an exponent");
	ok(pipeline_when_parse("steps.e.metrics.a >= 1 and", &w, msg,
	    sizeof msg) != 0 && strcmp(msg, "unexpected 'and' at the end") ==
	    0, "trailing words refused");
}

static void
test_json(void)
{
	struct pipeline_step	 s[2], *back = NULL;
	struct strbuf		 sb = STRBUF_INIT;
	struct wb_err		 err = { WB_OK, "" };
	char			*needs[] = { (char *)(uintptr_t)"a \"q\"", NULL };
	size_t			 n = 0;

	memset(s, 0, sizeof s);
	s[0].name = (char *)(uintptr_t)"a \"q\"";
	s[0].kind = (char *)(uintptr_t)"check";
	s[0].state = (char *)(uintptr_t)"failed";
	s[0].reason = (char *)(uintptr_t)"schema: column x missing\nin current";
	s[0].started_at = 1700000000123LL;
	s[0].ended_at = 1700000000456LL;
	s[1].name = (char *)(uintptr_t)"b";
	s[1].kind = (char *)(uintptr_t)"run";
	s[1].needs = needs;
	s[1].nneeds = 1;
	s[1].state = (char *)(uintptr_t)"skipped";
	s[1].cached = 1;
	snprintf(s[1].run_uuid, sizeof s[1].run_uuid, "%032d", 7);
	s[1].metric = (char *)(uintptr_t)"acc";
	s[1].version = (char *)(uintptr_t)"3";
	ok(pipeline_steps_json(&sb, s, 2) == 0, "steps to JSON");
	ok(pipeline_steps_parse(sb.s, &back, &n, &err) == WB_OK, "and back "
	    "(%s)", err.msg);
	is_int(n, 2, "two steps");
	is_str(back[0].name, "a \"q\"", "quoted name");
	is_str(back[0].reason, "schema: column x missing\nin current",
	    "reason with a newline");
	ok(back[0].started_at == 1700000000123LL && back[0].ended_at ==
	    1700000000456LL, "times in ms");
	is_str(back[0].run_uuid, "", "no run");
	ok(back[0].metric == NULL && back[0].version == NULL, "nulls stay");
	is_int(back[1].nneeds, 1, "needs");
	is_str(back[1].needs[0], "a \"q\"", "need named");
	ok(back[1].cached, "cached");
	is_str(back[1].run_uuid, "00000000000000000000000000000007", "run");
	is_str(back[1].version, "3", "version");
	pipeline_steps_free(back, n);
	ok(pipeline_steps_parse("{}", &back, &n, &err) == WB_EPARSE,
	    "an object is not steps");
	/* Items that are not objects (a hand edit, another writer): read
	 * as nameless pending steps, and written back without a crash
	 * (fuzz_project found the NULL name). */
	ok(pipeline_steps_parse("[null, 3, [1], {\"name\": \"a\"}]", &back,
	    &n, &err) == WB_OK, "steps that are not objects still parse");
	is_int(n, 4, "all four read");
	is_str(back[0].name, "?", "a null step is nameless");
	is_str(back[1].state, "pending", "and pending");
	ok(back[2].needs != NULL && back[2].nneeds == 0, "needs nothing");
	is_str(back[3].name, "a", "the object after them is read");
	strbuf_reset(&sb);
	ok(pipeline_steps_json(&sb, back, n) == 0, "and written back");
	ok(strncmp(sb.s, "[{\"name\":\"?\"", 12) == 0, "naming the nameless ?");
	pipeline_steps_free(back, n);
	strbuf_free(&sb);
}

static void
test_schedule(void)
{
	struct wb_err	 err = { WB_OK, "" };
	char		*c;

	ok(schedule_cron_check("*/15 2-4 * * 1-5", &err) == WB_OK,
	    "five fields");
	ok(schedule_cron_check("@daily", &err) == WB_OK, "@daily");
	ok(schedule_cron_check("0 3 * * mon", &err) == WB_OK, "names");
	ok(schedule_cron_check("* * *", &err) == WB_EINVAL &&
	    strstr(err.msg, "not 3") != NULL, "three fields refused");
	ok(schedule_cron_check("0 3 * * *%x", &err) == WB_EINVAL &&
	    strstr(err.msg, "'%'") != NULL, "cron's % refused");
	ok(schedule_cron_check("0 3 * * *\n* * * * * evil", &err) ==
	    WB_EINVAL, "a newline refused");
	ok(schedule_cron_check("@often", &err) == WB_EINVAL, "unknown @");
	c = schedule_oncalendar("*/15 2-4 * * 1-5");
	is_str(c, "Mon..Fri *-*-* 2..4:0/15:00", "OnCalendar of ranges");
	wb_free(c);
	c = schedule_oncalendar("30 6 1 */2 *");
	is_str(c, "*-1/2-1 6:30:00", "OnCalendar of a month step");
	wb_free(c);
	c = schedule_oncalendar("@weekly");
	is_str(c, "weekly", "OnCalendar of @weekly");
	wb_free(c);
}

static void
test_fault(void)
{
	struct project	*p;
	struct wb_err	 err = { WB_OK, "" };
	long		 i;
	int		 rc = WB_ENOMEM, bad = 0;

	for (i = 0; i < 100000 && rc == WB_ENOMEM; i++) {
		p = NULL;
		wb_mem_fail_after(i);
		rc = load(good, &p, &err);
		wb_mem_fail_after(-1);
		if (rc != WB_OK && rc != WB_ENOMEM)
			bad++;
		project_free(p);
	}
	ok(rc == WB_OK && bad == 0, "every allocation failing in turn: "
	    "WB_ENOMEM, never a crash (%ld tries)", i);
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_load();
	test_errors();
	test_refs();
	test_json();
	test_schedule();
	test_fault();
	unlink(file);
	rmdir(tmpdir);
	return tap_done();
}
