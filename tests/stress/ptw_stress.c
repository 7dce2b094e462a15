// SPDX-License-Identifier: GPL-2.0
/*
 * ptw_stress.c - concurrency stress for the /proc/<pid> page-table walkers.
 *
 * The pt_walk series converts the smaps, smaps_rollup, numa_maps and
 * pagemap (read(2) and the PAGEMAP_SCAN ioctl) walkers of
 * fs/proc/task_mmu.c.  Those walkers run under the mmap read lock of
 * *another* process whose page tables keep changing underneath them: THPs
 * are split and collapsed (by MADV_COLLAPSE and khugepaged), pages are
 * swapped out and in, migrated between nodes, CoW-shared by fork, hugetlb
 * pages come and go, VMAs are split, merged, moved and unmapped, shmem
 * files are truncated.  The KUnit tests and selftests exercise such cases
 * one at a time on a quiet process; this program runs them all at once for
 * as long as asked, to shake out races (use-after-free, a missed PTL or pmd
 * revalidation, lockups) and miscounts that only show under churn.
 *
 * "ptw_stress SECONDS" forks a TARGET process whose MUTATOR threads churn
 * its own address space, while READER threads in the parent hammer
 * /proc/<target>/{smaps,smaps_rollup,numa_maps,pagemap}.  Every reader
 * output is checked to be well formed and self-consistent (so a walker that
 * emits garbage or impossible numbers under churn fails, not only one that
 * crashes the kernel), and the mutators check that their data survives
 * CoW, swap, migration, collapse and truncation.  A watchdog reports any
 * thread that stops making progress for PTW_STRESS_HANG seconds (default
 * 60), asks the kernel for blocked-task backtraces (sysrq-w), kills the
 * target and exits 2.  Kernel splats are the harness's business: it scans
 * the console.
 *
 * The invariants checked are those of Linux 6.12's fs/proc/task_mmu.c
 * (e.g. per-VMA smaps has no Pss_Anon/Pss_File/Pss_Shmem, only
 * smaps_rollup does; a pagemap read of a count that is not a multiple of 8
 * fails with EINVAL; reads past the end of the user address space return
 * 0 bytes; on arm64 the top byte of the address is untagged first).
 *
 * Syscall failures tolerated (counted as "expected", not errors): ENOMEM
 * from a hugetlb mmap when the pool is empty; EAGAIN, EBUSY and ENOMEM from
 * MADV_COLLAPSE, move_pages and mbind(MPOL_MF_MOVE); EINVAL from
 * MADV_COLLAPSE (6.12 maps most scan results to it: a swapped-out PTE it
 * could not bring in, a page shared with a fork child, no usable THP, a
 * MADV_NOHUGEPAGE VMA...); EINVAL from MADV_HUGEPAGE and MADV_NOHUGEPAGE
 * without CONFIG_TRANSPARENT_HUGEPAGE.  A mutator whose
 * feature is absent (no 2M/1G hugetlb pool, no memory on NUMA node 1,
 * move_pages not permitted, no THP) reports itself "unavailable".
 *
 * Output on stdout, tab separated, one line per reader and mutator:
 *	STRESS	reader	NAME	ITERATIONS	ERRORS
 *	STRESS	mutator	NAME	ITERATIONS	ERRORS[	unavailable: WHY]
 *	STRESS	result	pass|fail	SECONDS_RUN
 * Diagnostics, the first few offending outputs and a progress line every
 * 30 s go to stderr.  Exit status: 0 pass, 1 fail, 2 hang.
 *
 * Build: $CC -static -O2 -Wall -Wextra -pthread -o ptw_stress *.c
 * (this file: main, i.e. setup, the fork of the target, the watchdog,
 * progress and the report; readers.c: the readers and their checks;
 * mutators.c: the target and its mutators; util.c: small shared helpers;
 * ptw_stress.h: what they share)
 */
#define _GNU_SOURCE
#include "ptw_stress.h"

#define PROGRESS_EVERY	30	/* seconds */

/* ------------------------------------------------------------------ */
/* Global state                                                        */

struct shared *sh;
size_t g_ps;				/* base page size */
unsigned int g_pshift;
size_t g_pmd;				/* PMD (THP) size */
size_t g_unit;				/* THP-able region unit we use */
uint64_t g_task_size;			/* mm->task_size, probed */
bool g_thp_present;
static bool g_thp_usable;
pid_t g_pid;				/* target */
static int g_hang = 60;
int g_readers_stop;
int g_target_dead;

/* ------------------------------------------------------------------ */
/* Parent: setup, watchdog, report                                     */

/*
 * mm->task_size: the end of the user address space.  mmap(MAP_FIXED_
 * NOREPLACE) of a page succeeds (or finds it taken) exactly below
 * TASK_SIZE, which is what exec sets mm->task_size to.
 */
static bool mappable(uint64_t addr)
{
	void *p = mmap((void *)(uintptr_t)addr, g_ps, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED)
		return errno == EEXIST;
	munmap(p, g_ps);
	return p == (void *)(uintptr_t)addr;
}

static uint64_t probe_task_size(void)
{
	uint64_t lo = (uintptr_t)&lo & ~(uint64_t)(g_ps - 1), hi = 1ULL << 63;

	while (hi - lo > g_ps) {
		uint64_t mid = (lo + (hi - lo) / 2) & ~(uint64_t)(g_ps - 1);

		if (mappable(mid))
			lo = mid;
		else
			hi = mid;
	}
	return lo + g_ps;
}

static void thp_setup(void)
{
	char b[256];
	long pmd = sysfs_long("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");

	g_pmd = pmd > 0 ? (size_t)pmd : g_ps * (g_ps / 8);
	g_unit = g_pmd <= (32UL << 20) ? g_pmd : (2UL << 20);
	g_thp_present = sysfs_str("/sys/kernel/mm/transparent_hugepage/enabled",
				  b, sizeof(b));
	g_thp_usable = g_thp_present && !strstr(b, "[never]") &&
		       g_unit == g_pmd;
}

static double g_start;

/* Print the STRESS lines; true if everything passed */
static bool report(bool ok)
{
	int i;

	for (i = 0; i < NR_RD; i++) {
		struct reader *r = &readers[i];
		unsigned long it = __atomic_load_n(&r->iters, __ATOMIC_RELAXED);
		unsigned long er = __atomic_load_n(&r->errors, __ATOMIC_RELAXED);

		printf("STRESS\treader\t%s\t%lu\t%lu\n", r->name, it, er);
		if (er || !it)
			ok = false;
	}
	for (i = 0; i < NR_MUT; i++) {
		struct mut_stat *m = &sh->m[i];
		unsigned long it = __atomic_load_n(&m->iters, __ATOMIC_RELAXED);
		unsigned long er = __atomic_load_n(&m->errors, __ATOMIC_RELAXED);

		if (__atomic_load_n(&m->unavailable, __ATOMIC_ACQUIRE) && !er) {
			printf("STRESS\tmutator\t%s\t%lu\t%lu\tunavailable: %s\n",
			       mut_name[i], it, er, m->why);
			continue;
		}
		printf("STRESS\tmutator\t%s\t%lu\t%lu\n", mut_name[i], it, er);
		if (er || !it)
			ok = false;
	}
	for (i = 0; i < NR_MUT; i++)
		if (sh->m[i].expected)
			fprintf(stderr, "STRESS: mutator %s: %lu tolerated failures, the last: %s\n",
				mut_name[i], sh->m[i].expected,
				sh->m[i].last_expected);
	printf("STRESS\tresult\t%s\t%d\n", ok ? "pass" : "fail",
	       (int)(now() - g_start + 0.5));
	fflush(stdout);
	fflush(stderr);
	return ok;
}

struct watch {
	unsigned long last;
	double since;
};

static struct watch wr[NR_RD], wm[NR_MUT];

/* Name of the first thread stuck for g_hang seconds, or NULL */
static const char *watchdog(double t, char *b, size_t len)
{
	int i;

	for (i = 0; i < NR_RD; i++) {
		unsigned long hb = __atomic_load_n(&readers[i].heartbeat,
						   __ATOMIC_RELAXED);

		if (hb != wr[i].last || readers[i].done) {
			wr[i].last = hb;
			wr[i].since = t;
		} else if (t - wr[i].since >= g_hang) {
			snprintf(b, len, "reader %s", readers[i].name);
			return b;
		}
	}
	for (i = 0; i < NR_MUT; i++) {
		struct mut_stat *m = &sh->m[i];
		unsigned long hb = __atomic_load_n(&m->heartbeat,
						   __ATOMIC_RELAXED);

		if (hb != wm[i].last || m->unavailable || m->done) {
			wm[i].last = hb;
			wm[i].since = t;
		} else if (t - wm[i].since >= g_hang) {
			snprintf(b, len, "mutator %s", mut_name[i]);
			return b;
		}
	}
	return NULL;
}

static void hang(const char *who)
{
	int fd;

	fprintf(stderr, "STRESS: HANG: %s made no progress for %d s\n", who,
		g_hang);
	fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, "w", 1) != 1)
			fprintf(stderr, "STRESS: sysrq-w: %s\n", strerror(errno));
		close(fd);
	}
	kill(g_pid, SIGKILL);
	report(false);
	_exit(2);
}

static void progress(double t)
{
	char b[512];
	size_t o = 0;
	int i;

	o += snprintf(b + o, sizeof(b) - o, "STRESS: t=%ds", (int)t);
	for (i = 0; i < NR_RD && o < sizeof(b); i++)
		o += snprintf(b + o, sizeof(b) - o, " %s=%lu/%lu", rd_name[i],
			      __atomic_load_n(&readers[i].iters, __ATOMIC_RELAXED),
			      __atomic_load_n(&readers[i].errors, __ATOMIC_RELAXED));
	fprintf(stderr, "%s (iterations/errors)\n", b);
}

/* Poll the target; false if it has exited */
static bool target_running(int *status)
{
	pid_t w = waitpid(g_pid, status, WNOHANG);

	if (w == g_pid) {
		__atomic_store_n(&g_target_dead, 1, __ATOMIC_RELEASE);
		return false;
	}
	return true;
}

int main(int argc, char **argv)
{
	const char *env = getenv("PTW_STRESS_HANG");
	double deadline, t, next_progress;
	bool ok = true, dead = false, all;
	char who[64], *end = NULL;
	const char *stuck;
	long secs;
	int status = 0, i;
	pid_t parent = getpid();

	secs = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (secs <= 0 || *end) {
		fprintf(stderr, "usage: %s SECONDS\n", argv[0]);
		return 1;
	}
	if (env && atoi(env) > 0)
		g_hang = atoi(env);
	setvbuf(stdout, NULL, _IOLBF, 0);
	g_ps = sysconf(_SC_PAGESIZE);
	for (g_pshift = 0; (1UL << g_pshift) < g_ps; g_pshift++)
		;
	thp_setup();
	g_task_size = probe_task_size();
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap shared");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	fprintf(stderr, "STRESS: %ld s, page %zu, pmd %zu, thp %s, task_size %#llx, hang after %d s\n",
		secs, g_ps, g_pmd, g_thp_usable ? "usable" :
		g_thp_present ? "present, unusable" : "absent",
		(unsigned long long)g_task_size, g_hang);
	fflush(stderr);

	g_start = now();
	g_pid = fork();
	if (g_pid < 0) {
		perror("fork");
		return 1;
	}
	if (!g_pid)
		target_main(parent);

	/* wait for the mutators to start */
	while (!__atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE)) {
		if (!target_running(&status) || now() - g_start > g_hang) {
			fprintf(stderr, "STRESS: ERROR target did not start\n");
			kill(g_pid, SIGKILL);
			report(false);
			return 1;
		}
		msleep(10);
	}
	deadline = now() + secs;
	for (i = 0; i < NR_RD; i++) {
		struct reader *r = &readers[i];

		r->name = rd_name[i];
		r->fn = rd_fn[i];
		r->rng = seed_of(100 + i);
		snprintf(r->path, sizeof(r->path), "/proc/%d/%s", (int)g_pid,
			 rd_file[i]);
		if (pthread_create(&r->th, NULL, r->fn, r)) {
			fprintf(stderr, "STRESS: pthread_create failed\n");
			kill(g_pid, SIGKILL);
			return 1;
		}
	}
	t = now();
	for (i = 0; i < NR_RD; i++)
		wr[i].since = t;
	for (i = 0; i < NR_MUT; i++)
		wm[i].since = t;
	next_progress = g_start + PROGRESS_EVERY;

	/* run until the deadline; the target must live that long */
	while ((t = now()) < deadline) {
		msleep(t + 1 < deadline ? 1000 : (unsigned int)((deadline - t) * 1000) + 1);
		t = now();
		if (!dead && !target_running(&status)) {
			dead = true;
			ok = false;
			fprintf(stderr, "STRESS: ERROR target %d %s %d after %.1f s, before the deadline\n",
				(int)g_pid, WIFEXITED(status) ? "exited" : "was killed by signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
				t - g_start);
			__atomic_store_n(&g_readers_stop, 1, __ATOMIC_RELEASE);
			break;
		}
		stuck = watchdog(t, who, sizeof(who));
		if (stuck)
			hang(stuck);
		if (t >= next_progress) {
			progress(t - g_start);
			next_progress += PROGRESS_EVERY;
		}
	}

	/* readers first, while the target still runs; then the mutators */
	__atomic_store_n(&g_readers_stop, 1, __ATOMIC_RELEASE);
	for (;;) {
		all = true;
		for (i = 0; i < NR_RD; i++)
			all &= !!__atomic_load_n(&readers[i].done, __ATOMIC_ACQUIRE);
		if (all)
			break;
		msleep(50);
		stuck = watchdog(now(), who, sizeof(who));
		if (stuck)
			hang(stuck);
	}
	for (i = 0; i < NR_RD; i++)
		pthread_join(readers[i].th, NULL);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	while (!dead && target_running(&status)) {
		msleep(50);
		stuck = watchdog(now(), who, sizeof(who));
		if (stuck)
			hang(stuck);
	}
	if (!dead && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		ok = false;
		fprintf(stderr, "STRESS: ERROR target %s %d\n",
			WIFEXITED(status) ? "exited with" : "was killed by signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
	return report(ok) ? 0 : 1;
}
