// SPDX-License-Identifier: GPL-2.0
/*
 * stall: how long reading /proc/PID/smaps_rollup stalls the process read.
 *
 * A target process maps one anonymous VMA of STALL_MB MiB (default 2048) in
 * 4K pages (MADV_NOHUGEPAGE) and writes every page.  A thread of it then
 * times mmap() + munmap() of a small region in a loop: first alone (the
 * baseline), then while this process reads the target's smaps_rollup in a
 * loop, for STALL_SECONDS seconds each (default 10).  Each mmap() and
 * munmap() takes the target's mmap lock for writing, so each waits for
 * whatever read of smaps_rollup holds it for reading.  Last, the thread
 * mprotect()s a small region to the protection it has, which takes the
 * mmap lock for writing and changes nothing, while the reader checks that
 * every read of smaps_rollup is the same text: a walk that pauses for the
 * writer must give what a walk that does not gives.
 *
 * Prints, for scripts/bench_stall.sh:
 *   STALL base n=N p50_us=X p99_us=X max_us=X
 *   STALL mutator n=N p50_us=X p99_us=X max_us=X
 *   STALL reads n=N p50_us=X max_us=X rss_kb=N vma_kb=N
 *   STALL check ok|bad ...
 *   STALL same n=N p50_us=X p99_us=X max_us=X
 *   STALL same-check ok|bad ...
 * The check: every read's Rss covers the big VMA, and exceeds it by less
 * than the rest of the process can map (STALL_SLACK_KB, default 65536):
 * a walk that paused and lost or repeated part of the VMA would not.  The
 * same-check: every read of the last phase is the same text (a same phase
 * that fails runs once more, and is judged by its second run: main()).
 * Exits non-zero on an error or a failed check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES	(1 << 22)
#define SMALL_LEN	(64 * 1024)

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return def;
	n = strtoul(v, &end, 10);
	if (*end || !n) {
		fprintf(stderr, "stall: %s=%s is not a positive number\n", name, v);
		exit(2);
	}
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* "STALL NAME n=N p50_us=X p99_us=X max_us=X" of @n samples (sorted here). */
static void report(const char *name, uint64_t *ns, size_t n)
{
	if (!n) {
		printf("STALL %s n=0\n", name);
		return;
	}
	qsort(ns, n, sizeof(*ns), cmp_u64);
	printf("STALL %s n=%zu p50_us=%.1f p99_us=%.1f max_us=%.1f\n", name, n,
	       ns[n / 2] / 1e3, ns[n * 99 / 100] / 1e3, ns[n - 1] / 1e3);
}

/* --- The target -------------------------------------------------------- */

static uint64_t *samples;
static size_t nr_samples;
static volatile int stop, running;
static char *same;	/* the region the last phase mprotect()s */

/*
 * Time mmap() + munmap() of a small region, or (@arg not NULL) an
 * mprotect() of the same region that changes nothing, until told to stop.
 */
static void *mutator(void *arg)
{
	while (!stop && nr_samples < MAX_SAMPLES) {
		uint64_t t0 = now_ns();
		char *p;

		if (arg) {
			if (mprotect(same, SMALL_LEN, PROT_READ | PROT_WRITE)) {
				perror("stall: mprotect");
				exit(1);
			}
			samples[nr_samples++] = now_ns() - t0;
			running = 1;
			continue;
		}
		p = mmap(NULL, SMALL_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("stall: mmap");
			exit(1);
		}
		if (munmap(p, SMALL_LEN)) {
			perror("stall: munmap");
			exit(1);
		}
		samples[nr_samples++] = now_ns() - t0;
		running = 1;
	}
	return NULL;
}

/*
 * One timed phase of @seconds: the mutator runs, the results go out.  Once
 * it runs (its thread's stack mapped and touched), say so on @started.
 */
static void phase(const char *name, unsigned long seconds, int started)
{
	pthread_t t;

	stop = 0;
	running = 0;
	nr_samples = 0;
	if (pthread_create(&t, NULL, mutator, strcmp(name, "same") ? NULL : "")) {
		fprintf(stderr, "stall: pthread_create failed\n");
		exit(1);
	}
	while (!running)
		usleep(1000);
	if (started >= 0 && write(started, "s", 1) != 1)
		exit(1);
	sleep(seconds);
	stop = 1;
	pthread_join(t, NULL);
	report(name, samples, nr_samples);
	fflush(stdout);
}

/*
 * The target, a program of its own (exec'd: no page shared with the
 * reader, whose copy-on-write breaks would change its smaps_rollup): map
 * and fill the VMA, run the baseline phase, then each phase the reader
 * names on @go ('m': mutator, 's': same, 'q': quit), saying on @ready when
 * it can start one, and when it started.
 */
static void target(size_t len, unsigned long seconds, int ready, int go)
{
	char *big, c;
	size_t i;

	/* 4K pages only, and no collapse behind the reads' back. */
	prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	samples = malloc(MAX_SAMPLES * sizeof(*samples));
	big = mmap(NULL, len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	same = mmap(NULL, SMALL_LEN, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!samples || big == MAP_FAILED || same == MAP_FAILED) {
		perror("stall: mapping the VMA");
		exit(1);
	}
	madvise(big, len, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i += 4096)
		big[i] = 1;
	/* Mapped now, so that the samples do not grow the Rss as they come. */
	memset(samples, 0, MAX_SAMPLES * sizeof(*samples));
	same[0] = 1;
	phase("base", seconds, -1);
	for (;;) {
		if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
			exit(1);
		if (c == 'q')
			exit(0);
		phase(c == 's' ? "same" : "mutator", seconds, ready);
	}
}

/* --- The reader -------------------------------------------------------- */

/* Read @path whole; its "Rss:" in kB, or -1. */
static long read_rss(const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	char *rss;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	if (n < 0)
		return -1;
	buf[len] = 0;
	rss = strstr(buf, "\nRss:");
	return rss ? strtol(rss + 5, NULL, 10) : -1;
}

/* What the same-check line says of a first same phase that failed. */
static char retry_note[96];

/*
 * Read @path in a loop for @seconds while the target runs phase @cmd;
 * @check_rss: check each read's Rss, else that every read is the first's
 * text.  Returns the number of reads that failed their check, or -1.
 */
static long reader(const char *path, unsigned long seconds, int ready, int go,
		   char cmd, const char *name, long vma_kb, long slack)
{
	static uint64_t reads[MAX_SAMPLES / 16];
	static char buf[16384], first[16384];
	long rss, bad = 0, min_rss = -1, max_rss = 0;
	size_t nr_reads = 0;
	uint64_t until;
	char c;

	if (read(ready, &c, 1) != 1 || write(go, &cmd, 1) != 1 ||
	    read(ready, &c, 1) != 1) {
		fprintf(stderr, "stall: the target died\n");
		return -1;
	}
	until = now_ns() + seconds * 1000000000ull;
	while (now_ns() < until && nr_reads < MAX_SAMPLES / 16) {
		uint64_t t0 = now_ns();

		rss = read_rss(path, buf, sizeof(buf));
		reads[nr_reads++] = now_ns() - t0;
		if (rss < 0) {
			fprintf(stderr, "stall: cannot read %s: %s\n", path, strerror(errno));
			return -1;
		}
		if (cmd == 's') {
			if (nr_reads == 1)
				strcpy(first, buf);
			else if (strcmp(first, buf) && !bad++)
				printf("STALL same-diff first:\n%s\nSTALL same-diff then:\n%s\n",
				       first, buf);
			continue;
		}
		if (rss < vma_kb || rss >= vma_kb + slack)
			bad++;
		if (min_rss < 0 || rss < min_rss)
			min_rss = rss;
		if (rss > max_rss)
			max_rss = rss;
	}
	report(name, reads, nr_reads);
	if (cmd == 's') {
		printf("STALL same-check %s %ld of %zu reads differ from the first%s\n",
		       bad ? "bad" : "ok", bad, nr_reads, retry_note);
	} else {
		printf("STALL rss min_kb=%ld max_kb=%ld vma_kb=%ld\n", min_rss, max_rss,
		       vma_kb);
		printf("STALL check %s %ld of %zu reads outside [%ld, %ld) kB\n",
		       bad ? "bad" : "ok", bad, nr_reads, vma_kb, vma_kb + slack);
	}
	fflush(stdout);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long mb = env_ul("STALL_MB", 2048);
	unsigned long seconds = env_ul("STALL_SECONDS", 10);
	long slack = env_ul("STALL_SLACK_KB", 65536);
	long vma_kb = mb * 1024, bad, bad_same;
	int ready[2], go[2], status;
	char path[64];
	pid_t pid;

	if (argc == 4 && !strcmp(argv[1], "--target"))
		target(mb << 20, seconds, atoi(argv[2]), atoi(argv[3]));
	if (pipe(ready) || pipe(go)) {
		perror("stall: pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("stall: fork");
		return 1;
	}
	if (!pid) {
		char r[16], g[16];

		snprintf(r, sizeof(r), "%d", ready[1]);
		snprintf(g, sizeof(g), "%d", go[0]);
		execl("/proc/self/exe", argv[0], "--target", r, g, (char *)NULL);
		perror("stall: exec");
		_exit(1);
	}
	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
	bad = reader(path, seconds, ready[0], go[1], 'm', "reads", vma_kb, slack);
	bad_same = bad < 0 ? -1 :
		   reader(path, seconds, ready[0], go[1], 's', "same-reads", vma_kb, slack);
	/*
	 * Once in a while one read of a stock kernel, which never pauses
	 * inside a VMA, counts one page more than the others: the target is
	 * not quite still.  The same phase runs once more, on every kernel,
	 * and is judged by that run; a walk that loses or repeats entries
	 * across its pauses fails both.
	 */
	if (bad_same > 0) {
		snprintf(retry_note, sizeof(retry_note),
			 " (a second same phase: %ld reads of the first differed)", bad_same);
		bad_same = reader(path, seconds, ready[0], go[1], 's', "same-reads", vma_kb, slack);
	}
	if (bad < 0 || bad_same < 0 ||
	    (read(ready[0], path, 1) == 1 && write(go[1], "q", 1) != 1)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 1;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "stall: the target failed\n");
		return 1;
	}
	return bad || bad_same ? 1 : 0;
}
