/*
 * Unit tests of ui/xmem.c: ui_fatal() runs the fatal hook (the UI's
 * terminal restore) once, before its message, and exits 1; the
 * allocators exit through it on failure.  Each case runs in a child.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "xmem.h"

static void
hook(void)
{
	fputs("hook\n", stderr);
	fflush(stderr);
}

/* Run fn in a child; its stderr into buf; returns its exit status. */
static int
in_child(void (*fn)(void), char *buf, size_t len)
{
	int	fd[2], st;
	ssize_t	n;
	size_t	got = 0;
	pid_t	pid;

	if (pipe(fd) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		fn();
		_exit(0);
	}
	close(fd[1]);
	while (got + 1 < len && (n = read(fd[0], buf + got, len - 1 - got)) >
	    0)
		got += (size_t)n;
	buf[got] = '\0';
	close(fd[0]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
fatal_with_hook(void)
{
	xmem_set_fatal_hook(hook);
	ui_fatal("boom %d", 7);
}

static void
fatal_without_hook(void)
{
	ui_fatal("plain");
}

static void
overflow(void)
{
	xmem_set_fatal_hook(hook);
	xreallocarray(NULL, SIZE_MAX / 2, 4);
}

int
main(void)
{
	char	buf[256];
	char	*p, *long_name;

	ok(in_child(fatal_with_hook, buf, sizeof buf) == 1, "ui_fatal exits 1");
	is_str(buf, "hook\nmlwb: boom 7\n", "the hook runs first, once, then "
	    "the message");
	ok(in_child(fatal_without_hook, buf, sizeof buf) == 1 &&
	    strcmp(buf, "mlwb: plain\n") == 0, "without a hook: the message");
	ok(in_child(overflow, buf, sizeof buf) == 1 &&
	    strcmp(buf, "hook\nmlwb: out of memory\n") == 0,
	    "an overflowing xreallocarray exits through ui_fatal");
	p = xstrdup("abc");
	ok(strcmp(p, "abc") == 0, "xstrdup copies");
	free(p);
	/* A 10,000-byte name: no fixed buffer cuts it. */
	long_name = xmalloc(10001);
	memset(long_name, 'n', 10000);
	long_name[10000] = '\0';
	p = xasprintf("%s=%s", long_name, "v");
	ok(strlen(p) == 10002 && strncmp(p, long_name, 10000) == 0 &&
	    strcmp(p + 10000, "=v") == 0, "xasprintf keeps 10,000 bytes whole");
	free(p);
	free(long_name);
	return tap_done();
}
