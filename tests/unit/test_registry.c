/*
 * Unit tests of the model registry: events that nothing can rewrite
 * (the triggers refuse UPDATE and DELETE), alias names and MLflow stages,
 * gates and their direction, promotion with refusal and --force, rollback
 * after several promotions, URIs, sha256 of directories, the deploy hook
 * (environment, status, bounded output, failure leaving the alias) and
 * the doctor check.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"
#include "db_metric.h"
#include "db_registry.h"
#include "db_run.h"
#include "deploy.h"
#include "err.h"
#include "mem.h"
#include "registry.h"
#include "tap.h"

static char dir[] = "/tmp/mlwb-test-registry-XXXXXX";
static const struct reg_who who = { "alice", "box1", 1000 };

static const char *
path(const char *name)
{
	static char	buf[256];

	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return buf;
}

static void
write_file(const char *name, const char *text)
{
	FILE	*fp = fopen(path(name), "w");

	if (fp != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* Three runs with val_loss 0.5, 0.3, 0.4 and acc 0.7, 0.9, 0.8. */
static void
make_runs(struct db *db)
{
	static char	 names[3][8] = { "r1", "r2", "r3" };
	static const double loss[3] = { 0.5, 0.3, 0.4 }, acc[3] = { 0.7,
	    0.9, 0.8 };
	struct mwriter	*w;
	struct wb_err	 err;
	struct run_new	 r;
	int64_t		 e, id, kl, ka;
	int		 i;

	db_begin(db, &err);
	db_exp_ensure(db, "exp", &e, &err);
	mw_open(db, &w, &err);
	mw_key(w, "val_loss", &kl, &err);
	mw_key(w, "acc", &ka, &err);
	for (i = 0; i < 3; i++) {
		memset(&r, 0, sizeof r);
		r.experiment_id = e;
		r.name = names[i];
		r.git_dirty = -1;
		db_run_insert(db, &r, &id, &err);
		mw_add(w, id, kl, 0, 0, 1.0, &err);
		mw_add(w, id, kl, 1, 0, loss[i], &err);
		mw_add(w, id, ka, 1, 0, acc[i], &err);
	}
	mw_flush(w, &err);
	mw_close(w);
	ok(db_commit(db, &err) == WB_OK, "three runs with metrics");
}

static int
exec_count(struct db *db, const char *sql)
{
	sqlite3		*sq;
	sqlite3_stmt	*st;
	int		 n = -1;

	(void)db;
	sqlite3_open(path("r.db"), &sq);
	if (sqlite3_prepare_v2(sq, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(sq);
	return n;
}

static int
exec_ok(const char *sql)
{
	sqlite3	*sq;
	int	 rc;

	sqlite3_open(path("r.db"), &sq);
	rc = sqlite3_exec(sq, sql, NULL, NULL, NULL);
	sqlite3_close(sq);
	return rc == SQLITE_OK;
}

static void
test_names(void)
{
	struct wb_err	err;
	char		a[REG_ALIAS_MAX + 1];

	ok(reg_alias_norm("champion", a, &err) == WB_OK &&
	    strcmp(a, "champion") == 0, "plain alias kept");
	ok(reg_alias_norm("Production", a, &err) == WB_OK &&
	    strcmp(a, "production") == 0, "MLflow stage Production");
	ok(reg_alias_norm("STAGING", a, &err) == WB_OK &&
	    strcmp(a, "staging") == 0, "stage names in any case");
	ok(reg_alias_norm("Archived", a, &err) == WB_OK &&
	    strcmp(a, "archived") == 0, "Archived");
	ok(reg_alias_norm("Champion", a, &err) == WB_OK &&
	    strcmp(a, "Champion") == 0, "other aliases keep their case");
	ok(reg_alias_norm("latest", a, &err) == WB_EINVAL, "latest reserved");
	ok(reg_alias_norm("3", a, &err) == WB_EINVAL, "digits refused");
	ok(reg_alias_norm("a b", a, &err) == WB_EINVAL, "space refused");
	ok(reg_alias_norm("x\033[2J", a, &err) == WB_EINVAL,
	    "escape refused");
}

static void
test_gates(void)
{
	struct reg_gate	g;
	struct wb_err	err;

	ok(reg_gate_parse("val_loss", &g, &err) == WB_OK && g.lower_better &&
	    strcmp(g.metric, "val_loss") == 0, "loss: lower is better");
	ok(reg_gate_parse("test_error_rate", &g, &err) == WB_OK &&
	    g.lower_better, "error: lower is better");
	ok(reg_gate_parse("valid-RMSE", &g, &err) == WB_OK && g.lower_better,
	    "RMSE: lower is better");
	ok(reg_gate_parse("val_acc", &g, &err) == WB_OK && !g.lower_better,
	    "acc: higher is better");
	ok(reg_gate_parse("val_loss:max", &g, &err) == WB_OK &&
	    !g.lower_better, ":max overrides the name");
	ok(reg_gate_parse("metrics/mAP50(B):max", &g, &err) == WB_OK &&
	    strcmp(g.metric, "metrics/mAP50(B)") == 0, "slashes in names");
	ok(reg_gate_parse("f1:best", &g, &err) == WB_EINVAL &&
	    strstr(err.msg, "best") != NULL, "bad direction named");
	ok(reg_gate_parse(":min", &g, &err) == WB_EINVAL, "empty metric");
}

static void
test_hash(void)
{
	struct wb_err	err;
	char		hex[65];

	mkdir(path("art"), 0777);
	mkdir(path("art/sub"), 0777);
	mkdir(path("art/a-c"), 0777);
	write_file("art/a", "alpha\n");
	write_file("art/sub/b", "beta");
	write_file("art/a-c/e", "");
	ok(reg_hash_path(path("art/a"), hex, &err) == WB_OK &&
	    strcmp(hex, "b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a"
	    "100b51060") == 0, "sha256 of a file");
	/* Checked with sha256sum over `find | LC_ALL=C sort`. */
	ok(reg_hash_path(path("art"), hex, &err) == WB_OK &&
	    strcmp(hex, "0ea6308cfb8ad647d51db742056a2d7e034eef2552393109b863b9e"
	    "df08b0518") == 0, "sha256 of a directory, files in byte order");
	symlink("a", path("art/link"));
	ok(reg_hash_path(path("art"), hex, &err) == WB_OK &&
	    strcmp(hex, "0ea6308cfb8ad647d51db742056a2d7e034eef2552393109b863b9e"
	    "df08b0518") == 0, "symlinks are not content (find -type f)");
	ok(reg_hash_path(path("nope"), hex, &err) == WB_EIO &&
	    strstr(err.msg, "nope") != NULL, "missing path named");
}

static void
test_registry(struct db *db)
{
	struct reg_model	*models;
	struct reg_version	 v;
	struct reg_event	*ev;
	struct reg_outcome	 o;
	struct reg_move		 m;
	struct wb_err		 err;
	size_t			 n;
	int64_t			 ver, vid, hv;

	ok(reg_model_create(db, "clf", "a classifier", &who, &err) == WB_OK,
	    "create model");
	ok(reg_model_create(db, "clf", NULL, &who, &err) == WB_EEXIST,
	    "twice: exists");
	ok(reg_model_create(db, "a/b", NULL, &who, &err) == WB_EINVAL,
	    "slash in a model name refused");
	ok(reg_register(db, "clf", "exp/r1", path("art"), NULL, &who, &ver,
	    &err) == WB_OK && ver == 1, "register v1 (directory)");
	ok(reg_register(db, "clf", "r2", path("art/a"), "better", &who, &ver,
	    &err) == WB_OK && ver == 2, "register v2");
	ok(reg_register(db, "clf", "r3", NULL, NULL, &who, &ver, &err) ==
	    WB_OK && ver == 3, "register v3 (no artifact)");
	ok(reg_register(db, "clf", "nosuch", NULL, NULL, &who, &ver, &err) ==
	    WB_ENOTFOUND, "unknown run refused");
	ok(reg_register(db, "zzz", "r1", NULL, NULL, &who, &ver, &err) ==
	    WB_ENOTFOUND && strstr(err.msg, "zzz") != NULL, "unknown model");
	ok(db_reg_version_get(db, 1, 1, &v, &err) == WB_OK &&
	    v.sha256 != NULL && strncmp(v.sha256, "0ea6308c", 8) == 0 &&
	    v.artifact_path != NULL && v.artifact_path[0] == '/',
	    "version keeps the sha256 and an absolute path");
	reg_version_clear(&v);

	memset(&m, 0, sizeof m);
	m.model = "clf";
	m.alias = "champion";
	m.who = who;
	m.version = 1;
	m.reason = "first";
	ok(reg_promote(db, &m, &o, &err) == WB_OK && o.moved &&
	    o.from_version == 0 && o.to_version == 1, "promote v1");
	reg_outcome_clear(&o);
	/* v3 (val_loss 0.4) beats v1 (0.5). */
	m.version = 3;
	m.gate = "val_loss";
	ok(reg_promote(db, &m, &o, &err) == WB_OK && o.gate_pass &&
	    o.cand == 0.4 && o.holder == 0.5, "gate passes: 0.4 < 0.5");
	reg_outcome_clear(&o);
	/* v1 does not beat v3. */
	m.version = 1;
	ok(reg_promote(db, &m, &o, &err) == WB_EGATE && !o.moved &&
	    !o.gate_pass, "gate refuses 0.5 vs 0.4");
	ok(strstr(err.msg, "0.5") != NULL && strstr(err.msg, "0.4") != NULL,
	    "refusal shows both values");
	reg_outcome_clear(&o);
	ok(db_reg_alias_get(db, 1, "champion", &vid, &hv, &err) == WB_OK &&
	    hv == 3, "alias unchanged after refusal");
	/* On acc (higher is better) v1 (0.7) loses to v3 (0.8) too. */
	m.gate = "acc";
	ok(reg_promote(db, &m, &o, &err) == WB_EGATE, "acc: 0.7 < 0.8");
	reg_outcome_clear(&o);
	m.gate = "acc:min";
	ok(reg_promote(db, &m, &o, &err) == WB_OK, "acc:min passes");
	reg_outcome_clear(&o);
	m.version = 2;
	m.gate = "val_loss";
	ok(reg_promote(db, &m, &o, &err) == WB_OK && o.from_version == 1,
	    "v2 beats v1");
	reg_outcome_clear(&o);
	m.version = 3;
	m.force = 1;
	m.reason = "hotfix";
	ok(reg_promote(db, &m, &o, &err) == WB_OK && o.forced && o.moved,
	    "--force overrides and is recorded");
	reg_outcome_clear(&o);
	m.force = 0;
	m.gate = NULL;

	/* Holders so far: 1, 3, 1, 2, 3: rollback walks back. */
	m.reason = NULL;
	ok(reg_rollback(db, &m, &o, &err) == WB_OK && o.from_version == 3 &&
	    o.to_version == 2, "rollback 3 -> 2");
	reg_outcome_clear(&o);
	ok(reg_rollback(db, &m, &o, &err) == WB_OK && o.to_version == 1,
	    "rollback 2 -> 1");
	reg_outcome_clear(&o);
	ok(reg_rollback(db, &m, &o, &err) == WB_OK && o.to_version == 3,
	    "rollback 1 -> 3");
	reg_outcome_clear(&o);
	ok(reg_rollback(db, &m, &o, &err) == WB_OK && o.to_version == 1,
	    "rollback 3 -> 1");
	reg_outcome_clear(&o);
	ok(reg_rollback(db, &m, &o, &err) == WB_ENOTFOUND,
	    "nothing before the first holder");
	reg_outcome_clear(&o);
	m.alias = "staging";
	ok(reg_rollback(db, &m, &o, &err) == WB_ENOTFOUND &&
	    strstr(err.msg, "nobody holds") != NULL, "unheld alias");
	reg_outcome_clear(&o);
	m.alias = "Production";
	m.version = 2;
	ok(reg_promote(db, &m, &o, &err) == WB_OK, "promote to a stage");
	reg_outcome_clear(&o);
	m.version = 9;
	ok(reg_promote(db, &m, &o, &err) == WB_ENOTFOUND &&
	    strstr(err.msg, "no version 9") != NULL, "unknown version");
	reg_outcome_clear(&o);

	ok(db_reg_events(db, 1, NULL, &ev, &n, &err) == WB_OK, "history");
	is_int(n, 16, "every change is an event");
	ok(n == 16 && strcmp(ev[0].action, "create") == 0 &&
	    strcmp(ev[1].action, "register") == 0 &&
	    strcmp(ev[6].action, "refuse") == 0 &&
	    strcmp(ev[10].action, "promote") == 0 && ev[10].forced &&
	    strcmp(ev[10].reason, "hotfix") == 0 &&
	    strcmp(ev[11].action, "rollback") == 0 &&
	    strcmp(ev[15].alias, "production") == 0 &&
	    strcmp(ev[15].actor, "alice") == 0 &&
	    strcmp(ev[15].host, "box1") == 0, "in order, with who and why");
	ok(n == 16 && ev[6].gate != NULL && strcmp(ev[6].gate,
	    "val_loss:min") == 0 && strstr(ev[6].gate_result, "refused"),
	    "refusal keeps the gate and its result");
	reg_events_free(ev, n);

	ok(reg_resolve_uri(db, "models:/clf@champion", &v, &err) == WB_OK &&
	    v.version == 1, "models:/clf@champion");
	reg_version_clear(&v);
	ok(reg_resolve_uri(db, "models:/clf/2", &v, &err) == WB_OK &&
	    v.version == 2 && strcmp(v.artifact_path + strlen(v.artifact_path)
	    - 5, "art/a") == 0, "models:/clf/2");
	reg_version_clear(&v);
	ok(reg_resolve_uri(db, "models:/clf/Production", &v, &err) == WB_OK &&
	    v.version == 2, "models:/clf/Production (MLflow stage form)");
	reg_version_clear(&v);
	ok(reg_resolve_uri(db, "models:/clf@production", &v, &err) == WB_OK &&
	    v.version == 2, "models:/clf@production");
	reg_version_clear(&v);
	ok(reg_resolve_uri(db, "models:/clf/latest", &v, &err) == WB_OK &&
	    v.version == 3, "models:/clf/latest");
	reg_version_clear(&v);
	ok(reg_resolve_uri(db, "models:/clf@staging", &v, &err) ==
	    WB_ENOTFOUND, "unheld alias");
	ok(reg_resolve_uri(db, "models:/nope/1", &v, &err) == WB_ENOTFOUND,
	    "unknown model");
	ok(reg_resolve_uri(db, "runs:/abc", &v, &err) == WB_EINVAL,
	    "not a models URI");
	ok(reg_resolve_uri(db, "models:/clf/1x", &v, &err) == WB_EINVAL,
	    "bad version");

	ok(db_reg_model_list(db, &models, &n, &err) == WB_OK && n == 1 &&
	    models[0].nversions == 3 && models[0].latest == 3 &&
	    strcmp(models[0].aliases, "champion=1 production=2") == 0,
	    "model list with aliases");
	reg_models_free(models, n);
}

static void
test_append_only(struct db *db)
{
	ok(!exec_ok("UPDATE registry_events SET reason = 'x'"),
	    "UPDATE on events refused by the trigger");
	ok(!exec_ok("DELETE FROM registry_events"),
	    "DELETE on events refused by the trigger");
	ok(!exec_ok("DELETE FROM registry_events WHERE id = 3"),
	    "even one row");
	is_int(exec_count(db, "SELECT count(*) FROM registry_events"), 16,
	    "history intact");
}

static void
doctor_cb(void *arg, const char *line)
{
	snprintf(arg, 256, "%s", line);
}

static void
test_doctor(struct db *db)
{
	struct wb_err	err;
	char		last[256] = "";
	int		problems;

	ok(db_doctor(db, doctor_cb, last, &problems, &err) == WB_OK &&
	    problems == 0, "doctor: aliases agree with events");
	exec_ok("UPDATE model_aliases SET version_id = 3 WHERE alias ="
	    " 'champion'");
	ok(db_doctor(db, doctor_cb, last, &problems, &err) == WB_OK &&
	    problems == 1 && strstr(last, "champion") != NULL,
	    "doctor: an alias moved behind the history's back");
	exec_ok("DELETE FROM model_aliases WHERE alias = 'champion'");
	ok(db_doctor(db, doctor_cb, last, &problems, &err) == WB_OK &&
	    problems == 1 && strstr(last, "nobody") != NULL,
	    "doctor: an alias deleted behind the history's back");
	exec_ok("INSERT INTO model_aliases VALUES (1, 'champion', 1)");
	ok(db_doctor(db, doctor_cb, last, &problems, &err) == WB_OK &&
	    problems == 0, "doctor: restored");
}

static void
test_deploy(struct db *db)
{
	static char	 sh[] = "/bin/sh", c[] = "-c";
	static char	 script[] = "echo \"$MLWB_MODEL_NAME $MLWB_MODEL_VERSION"
	    " $MLWB_MODEL_ALIAS $MLWB_MODEL_SHA256 $EXTRA\"; echo err >&2;"
	    " exit ${FAIL:-0}";
	static char	 big[] = "i=0; while [ $i -lt 3000 ]; do echo"
	    " 0123456789012345678901234567890123456789; i=$((i+1)); done;"
	    " echo LAST";
	static char	 nope[] = "/nonexistent/deploy";
	static char	 extra[] = "EXTRA=from-project";
	char		*argv[4] = { sh, c, script, NULL };
	char		*env[2] = { extra, NULL };
	char		*argv2[2] = { nope, NULL };
	struct deploy_model	 dm = { "clf", 2, "champion", "/a", "abc" };
	struct deploy_result	 res;
	struct reg_outcome	 o;
	struct reg_move		 m;
	struct wb_err		 err;
	int64_t			 vid, hv;

	ok(deploy_run(argv, NULL, env, &dm, &res, &err) == WB_OK &&
	    res.status == 0, "deploy runs");
	ok(res.output != NULL && strstr(res.output,
	    "clf 2 champion abc from-project") != NULL &&
	    strstr(res.output, "err") != NULL, "env and stderr captured");
	deploy_result_clear(&res);
	argv[2] = big;
	ok(deploy_run(argv, NULL, NULL, &dm, &res, &err) == WB_OK &&
	    res.truncated && res.len < DEPLOY_OUTPUT_MAX + 64 &&
	    strstr(res.output, "LAST") != NULL &&
	    strstr(res.output, "bytes cut") != NULL,
	    "output bounded, head and tail kept");
	deploy_result_clear(&res);
	ok(deploy_run(argv2, NULL, NULL, &dm, &res, &err) == WB_OK &&
	    res.status == 127 && strstr(res.output, "nonexistent") != NULL,
	    "a missing command exits 127 and says why");
	deploy_result_clear(&res);

	/* A failing deploy leaves the alias where it was. */
	argv[2] = script;
	setenv("FAIL", "3", 1);
	memset(&m, 0, sizeof m);
	m.model = "clf";
	m.alias = "champion";
	m.version = 2;
	m.who = who;
	m.deploy_argv = argv;
	ok(reg_promote(db, &m, &o, &err) == WB_EPROC && o.deployed &&
	    o.deploy_status == 3 && !o.moved, "failed deploy: WB_EPROC");
	reg_outcome_clear(&o);
	ok(db_reg_alias_get(db, 1, "champion", &vid, &hv, &err) == WB_OK &&
	    hv == 1, "alias left on v1");
	m.keep_on_failure = 1;
	ok(reg_promote(db, &m, &o, &err) == WB_EPROC && o.moved,
	    "--keep-on-failure moves it anyway");
	reg_outcome_clear(&o);
	ok(db_reg_alias_get(db, 1, "champion", &vid, &hv, &err) == WB_OK &&
	    hv == 2, "alias on v2");
	unsetenv("FAIL");
	m.keep_on_failure = 0;
	m.version = 3;
	ok(reg_promote(db, &m, &o, &err) == WB_OK && o.deployed &&
	    o.deploy_status == 0 && strstr(o.deploy_output, "clf 3 champion")
	    != NULL, "successful deploy sees the version");
	reg_outcome_clear(&o);
	is_int(exec_count(db, "SELECT count(*) FROM registry_events WHERE"
	    " action = 'deploy-failed' AND deploy_status = 3 AND deploy_output"
	    " LIKE '%err%'"), 1, "failed deploy recorded with its output");
}

/*
 * Fail the Nth allocation of each operation: it must come back as
 * WB_ENOMEM (or succeed), never crash, and leak nothing (ASan checks).
 */
static void
test_fault(struct db *db)
{
	struct reg_event	*ev;
	struct reg_version	 v;
	struct reg_outcome	 o;
	struct reg_move		 m;
	struct wb_err		 err;
	char			 hex[65], last[256];
	size_t			 n;
	long			 i;
	int			 rc, bad = 0, oomed = 0;

	memset(&m, 0, sizeof m);
	m.model = "clf";
	m.alias = "fault";
	m.who = who;
	m.gate = "val_loss";
	for (i = 0; i < 60; i++) {
		m.version = 1 + i % 3;
		wb_mem_fail_after(i);
		rc = reg_promote(db, &m, &o, &err);
		wb_mem_fail_after(-1);
		reg_outcome_clear(&o);
		if (rc == WB_ENOMEM)
			oomed++;
		else if (rc != WB_OK && rc != WB_EGATE && rc != WB_EEXIST)
			bad++;
		wb_mem_fail_after(i);
		rc = db_reg_events(db, 1, NULL, &ev, &n, &err);
		wb_mem_fail_after(-1);
		if (rc == WB_OK)
			reg_events_free(ev, n);
		else if (rc != WB_ENOMEM)
			bad++;
		wb_mem_fail_after(i);
		rc = reg_resolve_uri(db, "models:/clf/latest", &v, &err);
		wb_mem_fail_after(-1);
		reg_version_clear(&v);
		if (rc != WB_OK && rc != WB_ENOMEM)
			bad++;
		wb_mem_fail_after(i);
		rc = reg_hash_path(path("art"), hex, &err);
		wb_mem_fail_after(-1);
		if (rc != WB_OK && rc != WB_ENOMEM)
			bad++;
		wb_mem_fail_after(i);
		rc = reg_rollback(db, &m, &o, &err);
		wb_mem_fail_after(-1);
		reg_outcome_clear(&o);
		if (rc != WB_OK && rc != WB_ENOMEM && rc != WB_ENOTFOUND)
			bad++;
	}
	is_int(bad, 0, "failed allocations give WB_ENOMEM, nothing else");
	ok(oomed > 0, "and some did fail");
	ok(db_doctor(db, doctor_cb, last, &rc, &err) == WB_OK && rc == 0,
	    "doctor clean after every failure");
}

int
main(void)
{
	struct db	*db;
	struct wb_err	 err;
	char		 cmd[300];

	if (mkdtemp(dir) == NULL)
		return 1;
	if (db_open(path("r.db"), 0, &db, &err) != WB_OK) {
		printf("Bail out! %s\n", err.msg);
		return 1;
	}
	make_runs(db);
	test_names();
	test_gates();
	test_hash();
	test_registry(db);
	test_append_only(db);
	test_doctor(db);
	test_deploy(db);
	test_fault(db);
	db_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return tap_done();
}
