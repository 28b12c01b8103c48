/*
 * editor: runs the user's editor on a temporary file (editor.h).  The
 * editor setting is a command line of the user's own ("code -w",
 * "emacsclient -t"), so it goes through sh -c as git does, with the file
 * as a positional argument: the file name is never parsed by the shell.
 */
#include "config.h"

#include "editor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xmem.h"

static const char *
editor_cmd(void)
{
	const char	*e;

	if ((e = getenv("VISUAL")) != NULL && *e != '\0')
		return e;
	if ((e = getenv("EDITOR")) != NULL && *e != '\0')
		return e;
	return "vi";
}

/* The whole of fp as a string (the caller's), or NULL on a read error. */
static char *
slurp(FILE *fp)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, n;

	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, cap - len - 1, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* editor_edit with the temporary file's template and the shell command. */
static int
edit_file(const char *text, char *path, const char *cmd, char **out,
    int *changed, char *msg, size_t msglen)
{
	char		*s;
	FILE		*fp;
	pid_t		 pid;
	int		 fd, status;
	size_t		 len;

	if ((fd = mkstemps(path, 4)) == -1) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(path);
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (text != NULL && *text != '\0')
		fprintf(fp, "%s\n", text);
	if (fclose(fp) != 0) {
		unlink(path);
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return -1;
	}
	fflush(stdout);
	if ((pid = fork()) == -1) {
		unlink(path);
		snprintf(msg, msglen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "editor", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			unlink(path);
			snprintf(msg, msglen, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		unlink(path);
		snprintf(msg, msglen, "the editor (%s) failed; nothing saved",
		    editor_cmd());
		return -1;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	s = slurp(fp);
	fclose(fp);
	unlink(path);
	if (s == NULL) {
		snprintf(msg, msglen, "%s: read error", path);
		return -1;
	}
	/* Editors end the last line; the note does not keep that newline. */
	len = strlen(s);
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		s[--len] = '\0';
	*changed = strcmp(s, text != NULL ? text : "") != 0;
	*out = s;
	return 0;
}

int
editor_edit(const char *text, const char *what, char **out, int *changed,
    char *msg, size_t msglen)
{
	const char	*tmp = getenv("TMPDIR");
	char		*path, *cmd;
	int		 rc;

	*out = NULL;
	*changed = 0;
	/* Built whole: a cut template or command would be another one. */
	path = xasprintf("%s/mlwb-%s-XXXXXX.txt", tmp != NULL && *tmp != '\0' ?
	    tmp : "/tmp", what);
	cmd = xasprintf("%s \"$@\"", editor_cmd());
	rc = edit_file(text, path, cmd, out, changed, msg, msglen);
	free(path);
	free(cmd);
	return rc;
}
