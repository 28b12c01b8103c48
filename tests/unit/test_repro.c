/*
 * Unit tests of repro and sysmetrics: which variable names are secrets
 * (built-in, the user's, $MLWB_REDACT), the environment kept with URL
 * passwords masked, finding the Python a command runs, repro_run's cap,
 * count and time limit, and a process group's CPU and memory read from
 * /proc.
 */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mem.h"
#include "repro.h"
#include "strbuf.h"
#include "sysmetrics.h"
#include "tap.h"

#define S(x) ((char *)(uintptr_t)(x))

static void
test_secrets(void)
{
	char	*user[] = { S("AWS_*"), S("*_CRED") };

	unsetenv("MLWB_REDACT");
	ok(repro_is_secret("GITHUB_TOKEN", NULL, 0), "*TOKEN*");
	ok(repro_is_secret("api_key", NULL, 0), "*KEY*, any case");
	ok(repro_is_secret("MY_SECRET_X", NULL, 0), "*SECRET*");
	ok(repro_is_secret("PGPASSWORD", NULL, 0), "*PASSWORD*");
	ok(!repro_is_secret("PATH", NULL, 0), "PATH is not");
	ok(!repro_is_secret("AWS_REGION", NULL, 0), "not without the pattern");
	ok(repro_is_secret("AWS_REGION", user, 2), "a user pattern");
	ok(repro_is_secret("db_cred", user, 2), "user patterns ignore case");
	setenv("MLWB_REDACT", "FOO, BAR_*", 1);
	ok(repro_is_secret("FOO", NULL, 0), "MLWB_REDACT, first");
	ok(repro_is_secret("bar_x", NULL, 0), "MLWB_REDACT, after a comma");
	ok(!repro_is_secret("FOOD", NULL, 0), "a whole-name match");
	unsetenv("MLWB_REDACT");
}

static void
test_env(void)
{
	char			*extra[] = { S("ZZ_URL=https://bob:pw@h/x?q"),
	    S("ZZ_TOKEN=t"), S("ZZ_PLAIN=a=b"), NULL };
	char			*extra2[] = { S("ZZ_PLAIN=later"), NULL };
	struct repro_opts	 o;
	struct repro		 r;
	const struct repro_item	*it;

	memset(&o, 0, sizeof o);
	memset(&r, 0, sizeof r);
	o.env_extra = extra;
	o.env_extra2 = extra2;
	o.git_dirty = 0;
	setenv("PATH", "/nonexistent", 1);	/* no git, python, GPU */
	ok(repro_collect(&r, &o) == 0, "collect");
	it = repro_find(&r, REPRO_ENV, "ZZ_URL");
	is_str(it ? it->value : NULL, "https://bob:***@h/x?q",
	    "a URL's password masked");
	it = repro_find(&r, REPRO_ENV, "ZZ_TOKEN");
	is_str(it ? it->value : NULL, REPRO_REDACTED, "a secret redacted");
	it = repro_find(&r, REPRO_ENV, "ZZ_PLAIN");
	is_str(it ? it->value : NULL, "later", "the later list wins");
	ok(repro_find(&r, REPRO_GPU, "driver") == NULL, "no nvidia-smi: no GPU");
	ok(repro_find(&r, REPRO_GIT, "patch") == NULL, "clean: no patch");
	repro_free(&r);
}

static void
test_python_of(void)
{
	char	*a1[] = { S("python3"), S("train.py"), NULL };
	char	*a2[] = { S("/usr/bin/python3.11"), S("-m"), S("x"), NULL };
	char	*a3[] = { S("/bin/sh"), S("-c"), S("CUDA=1 python -u t.py"),
	    NULL };
	char	*a4[] = { S("env"), S("-i"), S("A=1"), S("python3"), NULL };
	char	*a5[] = { S("sh"), S("train.sh"), NULL };
	char	*a6[] = { S("./run.py"), NULL };
	char	 dir[] = "/tmp/mlwb-test-repro.XXXXXX", path[128], *p;
	FILE	*fp;

	is_str(p = repro_python_of(a1, NULL), "python3", "argv[0]");
	wb_free(p);
	is_str(p = repro_python_of(a2, NULL), "/usr/bin/python3.11",
	    "a path");
	wb_free(p);
	is_str(p = repro_python_of(a3, NULL), "python", "sh -c, past VAR=");
	wb_free(p);
	is_str(p = repro_python_of(a4, NULL), "python3", "env");
	wb_free(p);
	ok(repro_python_of(a5, NULL) == NULL, "not Python");
	if (mkdtemp(dir) == NULL)
		return;
	snprintf(path, sizeof path, "%s/run.py", dir);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs("#!/usr/bin/env python3\nprint(1)\n", fp);
		fclose(fp);
	}
	is_str(p = repro_python_of(a6, dir), "python3", "a #! line");
	wb_free(p);
	unlink(path);
	rmdir(dir);
}

static void
test_run(void)
{
	char	*yes[] = { S("sh"), S("-c"), S("printf 0123456789"), NULL };
	char	*slow[] = { S("sh"), S("-c"), S("sleep 5"), NULL };
	char	*none[] = { S("/nonexistent/prog"), NULL };
	struct strbuf	sb = STRBUF_INIT;
	size_t		total;

	setenv("PATH", "/usr/bin:/bin", 1);
	is_int(repro_run(yes, NULL, 4, 5000, &sb, &total, NULL), 0, "exit 0");
	is_int(sb.len, 4, "cap kept");
	is_int(total, 10, "whole size counted");
	strbuf_reset(&sb);
	is_int(repro_run(slow, NULL, 10, 200, &sb, NULL, NULL), -2,
	    "time limit");
	is_int(repro_run(none, NULL, 10, 1000, &sb, NULL, NULL), 127,
	    "a missing program exits 127");
	strbuf_free(&sb);
}

static void
test_group_usage(void)
{
	uint64_t	ticks, rss;
	pid_t		pid;
	int		st;
	volatile unsigned long i, x = 0;

	if ((pid = fork()) == 0) {
		/* 8 MB touched: the kernel's counters of a process with a
		 * handful of page faults can still read 0. */
		char *m = malloc(8 << 20);

		setpgid(0, 0);
		if (m != NULL)
			memset(m, 1, 8 << 20);
		for (i = 0; i < 300000000UL; i++)
			x += i;
		pause();
		_exit(0);
	}
	setpgid(pid, pid);
	sleep(1);
	ok(sysm_group_usage(pid, &ticks, &rss) == 0, "read /proc");
	ok(rss > 4 << 20, "the group's memory (%llu bytes)",
	    (unsigned long long)rss);
	ok(ticks > 0, "its CPU ticks (%llu)", (unsigned long long)ticks);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	ok(sysm_group_usage(pid, &ticks, &rss) == 0 && rss == 0,
	    "a group that is gone uses nothing");
}

int
main(void)
{
	test_secrets();
	test_env();
	test_python_of();
	test_run();
	test_group_usage();
	return tap_done();
}
