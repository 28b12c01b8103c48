/*
 * sysmetrics: sampling a job's CPU, memory and GPUs (sysmetrics.h).
 *
 * The CPU and memory are the whole process group's, as htop's tree would
 * add them up: a training script's data-loader workers are its cost too.
 * A process that ended between two samples takes its ticks with it, so a
 * sample after a worker ended can read low; that is the price of not
 * tracking every pid.
 */
#include "config.h"

#include "sysmetrics.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "repro.h"
#include "strbuf.h"

void
sysm_init(struct sysm *s, pid_t pgid, int64_t now_ms)
{
	memset(s, 0, sizeof *s);
	s->pgid = pgid;
	/* A group that just started has used (next to) nothing yet. */
	s->last_ms = now_ms;
	s->have_last = 1;
	s->hz = sysconf(_SC_CLK_TCK);
	if (s->hz <= 0)
		s->hz = 100;
}

/*
 * Fields of /proc/PID/stat after the command (which is in parentheses and
 * may hold anything, so parsing starts after the last ')'): 3 state,
 * 4 ppid, 5 pgrp ... 14 utime, 15 stime ... 24 rss (pages).
 */
static int
read_stat(const char *pid, pid_t *pgrp, uint64_t *ticks, uint64_t *rss)
{
	char		 path[64], buf[1024], *p, *end;
	unsigned long long v[25];
	ssize_t		 n;
	int		 fd, field;

	snprintf(path, sizeof path, "/proc/%s/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	p++;
	memset(v, 0, sizeof v);
	for (field = 3; field <= 24; field++) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return -1;
		if (field == 3) {	/* the state letter */
			p++;
			continue;
		}
		v[field] = strtoull(p, &end, 10);
		if (end == p && *p != '-')
			return -1;
		p = end + strcspn(end, " ");
	}
	*pgrp = (pid_t)v[5];
	*ticks = v[14] + v[15];
	*rss = v[24];
	return 0;
}

int
sysm_group_usage(pid_t pgid, uint64_t *ticks, uint64_t *rss_bytes)
{
	struct dirent	*de;
	DIR		*d;
	uint64_t	 t, r, pages = 0;
	pid_t		 g;
	long		 psz = sysconf(_SC_PAGESIZE);

	*ticks = *rss_bytes = 0;
	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		if (read_stat(de->d_name, &g, &t, &r) != 0 || g != pgid)
			continue;
		*ticks += t;
		pages += r;
	}
	closedir(d);
	*rss_bytes = pages * (uint64_t)(psz > 0 ? psz : 4096);
	return 0;
}

/* One CSV field of nvidia-smi: a number, or not ("[N/A]", "N/A"). */
static int
num_field(const char *s, size_t len, double *v)
{
	char	buf[64], *end;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*v = strtod(buf, &end);
	return end != buf && *end == '\0' ? 0 : -1;
}

static int
sample_gpus(struct sysm *s, sysm_fn *fn, void *arg)
{
	static const char *const names[] = { "util_percent",
	    "memory_used_mb", "power_w", "temperature_c" };
	char *const	 argv[] = { (char *)(uintptr_t)"nvidia-smi",
	    (char *)(uintptr_t)"--query-gpu=index,utilization.gpu,"
	    "memory.used,power.draw,temperature.gpu",
	    (char *)(uintptr_t)"--format=csv,noheader,nounits", NULL };
	struct strbuf	 sb = STRBUF_INIT;
	const char	*line, *f, *next;
	char		 key[96];
	double		 v, idx;
	size_t		 len;
	int		 rc, i;

	rc = repro_run(argv, NULL, 65536, SYSM_GPU_MS, &sb, NULL, NULL);
	if (rc == 127 || rc == -1) {
		s->no_gpu = 1;		/* not there: not asked again */
		strbuf_free(&sb);
		return 0;
	}
	if (rc != 0 || sb.s == NULL) {
		strbuf_free(&sb);
		return 0;		/* a slow or failing one: next time */
	}
	rc = 0;
	for (line = sb.s; *line != '\0' && rc == 0; line = next) {
		next = line + strcspn(line, "\n");
		if (*next == '\n')
			next++;
		f = line;
		len = strcspn(f, ",\n");
		if (num_field(f, len, &idx) != 0 || idx < 0 || idx > 64)
			continue;
		for (i = 0; i < 4 && rc == 0; i++) {
			f += len;
			if (*f != ',')
				break;
			f++;
			len = strcspn(f, ",\n");
			if (num_field(f, len, &v) != 0)
				continue;
			snprintf(key, sizeof key, SYSM_PREFIX "gpu%d/%s",
			    (int)idx, names[i]);
			rc = fn(arg, key, v);
		}
	}
	strbuf_free(&sb);
	return rc;
}

int
sysm_sample(struct sysm *s, int64_t now_ms, sysm_fn *fn, void *arg)
{
	uint64_t	 ticks, rss;
	double		 secs;
	int		 rc = 0;

	if (sysm_group_usage(s->pgid, &ticks, &rss) == 0) {
		if (s->have_last && now_ms > s->last_ms) {
			secs = (double)(now_ms - s->last_ms) / 1000.0;
			rc = fn(arg, SYSM_PREFIX "cpu_percent", ticks >=
			    s->last_ticks ? (double)(ticks - s->last_ticks) /
			    (double)s->hz / secs * 100.0 : 0.0);
		}
		if (rc == 0)
			rc = fn(arg, SYSM_PREFIX "rss_mb", (double)rss /
			    (1024.0 * 1024.0));
		s->last_ticks = ticks;
		s->last_ms = now_ms;
		s->have_last = 1;
	}
	if (rc == 0 && !s->no_gpu)
		rc = sample_gpus(s, fn, arg);
	return rc;
}
