/*
 * sysmetrics: samples of what a job uses, for its supervisor to store as
 * metrics of the run: the CPU % and resident memory of the job's whole
 * process group (from /proc), and for each GPU its utilisation, memory
 * used, power and temperature (nvidia-smi --query-gpu, with a time
 * limit).  Keys are SYSM_PREFIX "cpu_percent", "rss_mb", "gpu0/
 * util_percent", "gpu0/memory_used_mb", "gpu0/power_w",
 * "gpu0/temperature_c" ...  A machine without nvidia-smi has no GPU
 * series: its absence is noticed once and not asked again.
 */
#ifndef WB_SYSMETRICS_H
#define WB_SYSMETRICS_H

#include <stdint.h>
#include <sys/types.h>

#define SYSM_PREFIX		"system/"
#define SYSM_DEFAULT_EVERY	10	/* seconds between samples */
#define SYSM_GPU_MS		2000	/* time limit of one nvidia-smi */

struct sysm {
	pid_t		 pgid;
	int64_t		 last_ms;	/* monotonic time of the last sample */
	uint64_t	 last_ticks;	/* CPU ticks of the group then */
	int		 have_last;
	int		 no_gpu;	/* nvidia-smi is not there */
	long		 hz;		/* clock ticks per second */
};

/* Called for each value of a sample; non-zero stops it. */
typedef int sysm_fn(void *arg, const char *key, double value);

/* Start sampling group pgid, which started at monotonic time now_ms. */
void	 sysm_init(struct sysm *s, pid_t pgid, int64_t now_ms);
/*
 * Take one sample at monotonic time now_ms: CPU % (the ticks used since
 * the previous sample, or the start), RSS in MB, then the GPUs.  Returns what fn returned, or 0.
 */
int	 sysm_sample(struct sysm *s, int64_t now_ms, sysm_fn *fn, void *arg);

/*
 * The process group's CPU ticks (user + system) and resident bytes, by
 * reading /proc/PID/stat of every process; -1 without /proc.
 */
int	 sysm_group_usage(pid_t pgid, uint64_t *ticks, uint64_t *rss_bytes);

#endif
