// SPDX-License-Identifier: GPL-2.0
/*
 * proc_bench.c - time the /proc walkers of fs/proc/task_mmu.c on one large
 * mapping of a known layout.
 *
 * Run inside the guest (tests/bench/procbench.sh) by scripts/bench_proc.sh,
 * on the stock and the converted kernel alike.  For each case it maps
 * PROC_BENCH_MB MiB (default 1024) at a fixed address, populates it the
 * way the case names, checks the layout is what the case claims (or prints
 * a skip line with the reason), forks a child that keeps a copy of the
 * mapping (shared pages) for the duration of the case, and times reading
 * /proc/self/smaps, smaps_rollup, numa_maps and the mapping's range of
 * /proc/self/pagemap, and the PAGEMAP_SCAN ioctl over the mapping (every
 * category returned, as pagemap_scan): PROC_BENCH_REPS samples each
 * (default 7), after an untimed pass over all five.  A sample is one open-read-close, or as many
 * as fill PROC_BENCH_MIN_MS when the clock is coarse (see now_ms()).
 *
 *   4k         order-0 anon, every page (MADV_NOHUGEPAGE, every mTHP size off)
 *   sparse     the same, one page per 2 MiB
 *   mthp64k    64kB mTHP only ("always"); contpte on arm64 with 4K pages
 *   thp        PMD THP (MADV_HUGEPAGE), AnonHugePages must cover it
 *   hugetlb2m  MAP_HUGETLB 2MB; the pool is grown to fit, then restored
 *   swap       order-0 anon paged out with MADV_PAGEOUT (swap set up by
 *              the boot script), Swap: must cover it
 *
 * Output, one line per case and file:
 *
 *   PROCBENCH case file ms_median bytes checksum
 *
 * bytes is what one read returned, checksum a 64-bit FNV-1a of it, with
 * what legitimately differs from boot to boot left out: the device and
 * inode numbers of smaps' VMA lines (the hugetlb file's inode), the
 * active=N counts of numa_maps (LRU timing), and for pagemap the PFN and
 * swap-entry field (bits 0-54) of each entry.  ASLR is off (personality,
 * then re-exec) and the mapping sits at a fixed address, so two kernels
 * that walk alike print the same.  Every read of a boot must agree with
 * the first, or PROCBENCH-UNSTABLE says where they differ.
 *
 * Other lines: PROCBENCH-CONFIG (the settings), PROCBENCH-REPS (every
 * sample, for the log), PROCBENCH-SKIP case reason (a case that could not
 * be set up as it claims), PROCBENCH-TEXT (PROC_BENCH_DUMP=1: the texts),
 * PROCBENCH-ERROR, PROCBENCH-END.
 *
 * Usage: proc_bench [-m MB] [-r REPS] [CASE...]; MB and REPS default to
 * $PROC_BENCH_MB and $PROC_BENCH_REPS, CASEs to $PROC_BENCH_CASES or all
 * of the above.  proc_bench -T (x86_64, on the host) prints the TSC rate
 * in MHz.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/types.h>
#include <sys/wait.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT		26
#endif
#define MAP_HUGE_2MB		(21 << MAP_HUGE_SHIFT)

#define PM_PFN_MASK		((1ULL << 55) - 1)
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)

/* 16 TiB: below the 47-bit x86_64 and 48-bit arm64 user limits, 1G-aligned */
#define BENCH_ADDR		0x100000000000UL
#define SZ_2M			(2UL << 20)
#define TXT_SIZE		(1 << 20)
#define MAX_REPS		101
#define MAX_THP_SIZES		16

#define THP			"/sys/kernel/mm/transparent_hugepage"
#define HUGETLB_2M		"/sys/kernel/mm/hugepages/hugepages-2048kB"

static const char *const all_cases[] = {
	"4k", "sparse", "mthp64k", "thp", "hugetlb2m", "swap",
};
static const char *const files[] = {
	"smaps", "smaps_rollup", "numa_maps", "pagemap", "pagemap_scan",
};
#define NFILES (sizeof(files) / sizeof(files[0]))

static long psize;
static unsigned long pmd_size;
static unsigned long size;		/* bytes mapped per case */
static unsigned long npages;
static int reps;

/*
 * Everything the timed reads and the checks use is allocated and touched
 * before the first case, so that nothing the benchmark does changes its
 * own smaps between two boots.
 */
static char txt[TXT_SIZE], txt_ref[TXT_SIZE];
static char small[4096];
static uint64_t *pm;
static double times[MAX_REPS];

/* The THP sysfs settings found at start, put back after every case. */
static struct { char path[128]; char val[32]; } thp_saved[MAX_THP_SIZES + 1];
static int thp_nsaved;

static const char *cur_case;

static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static void skip(const char *fmt, ...)
{
	va_list ap;

	printf("PROCBENCH-SKIP %s ", cur_case);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/*
 * The benchmark's clock.  On x86_64 the TSC, counted in ms at the rate of
 * $PROC_BENCH_TSC_MHZ: scripts/bench_proc.sh measures it on the host
 * (proc_bench -T), since QEMU's TCG hands the guest the host's TSC, while
 * a guest kernel under TCG often cannot calibrate its own (no HPET or ACPI
 * PM timer in our configs) or has its watchdog drop it in the middle of a
 * run for refined-jiffies, which lose ticks under TCG: CLOCK_MONOTONIC
 * then runs 4 ms steps and up to ~15% slow.  Without the variable the TSC
 * is calibrated here, against CLOCK_MONOTONIC over a second.  On arm64 the
 * generic timer's virtual counter at CNTFRQ_EL0; elsewhere CLOCK_MONOTONIC,
 * which PROC_BENCH_CLOCK=monotonic forces everywhere.
 */
static double tsc_per_ms;

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#if defined(__x86_64__)
static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* The next change of CLOCK_MONOTONIC, and the TSC right then. */
static double mono_edge(uint64_t *tsc)
{
	double a = mono_ms(), b;

	while ((b = mono_ms()) == a)
		;
	*tsc = rdtsc();
	return b;
}

/* TSC ticks per ms over about a second, between two clock edges. */
static void calibrate(void)
{
	uint64_t c0, c1;
	double t0 = mono_edge(&c0), t1;

	while (mono_ms() - t0 < 1000)
		;
	t1 = mono_edge(&c1);
	tsc_per_ms = (c1 - c0) / (t1 - t0);
}

static double now_ms(void)
{
	return tsc_per_ms > 0 ? rdtsc() / tsc_per_ms : mono_ms();
}
#elif defined(__aarch64__)
/*
 * The generic timer's virtual counter, which Linux lets EL0 read (the vDSO
 * does): a clock_gettime() costs tens of microseconds under TCG, which a
 * short read would carry as a constant.
 */
static uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v) :: "memory");
	return v;
}

static void calibrate(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	tsc_per_ms = f / 1e3;
}

static double now_ms(void)
{
	return tsc_per_ms > 0 ? cntvct() / tsc_per_ms : mono_ms();
}
#else
static void calibrate(void)
{
}

static double now_ms(void)
{
	return mono_ms();
}
#endif

/*
 * The clock's step: the largest of a few observed changes of
 * CLOCK_MONOTONIC (a kernel without a usable TSC or HPET counts jiffies).
 */
static double clock_step_ms(void)
{
	double g = 0;

	for (int i = 0; i < 4; i++) {
		double a = now_ms(), b;

		while ((b = now_ms()) == a)
			;
		if (b - a > g)
			g = b - a;
	}
	return g;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
#define FNV_INIT 0xcbf29ce484222325ULL

/* read_file: the whole of PATH into BUF; bytes, or -1 (errno set). */
static long read_file(const char *path, char *buf, size_t cap)
{
	long n = 0, r;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((size_t)n < cap && (r = read(fd, buf + n, cap - n)) > 0)
		n += r;
	if (r < 0 || (size_t)n >= cap) {
		if ((size_t)n >= cap)
			errno = EFBIG;
		n = -1;
	}
	close(fd);
	return n;
}

/* read_pagemap: the mapping's range of pagemap into pm; bytes, or -1. */
static long read_pagemap(void)
{
	size_t want = npages * sizeof(*pm), n = 0;
	off_t off = BENCH_ADDR / psize * sizeof(*pm);
	ssize_t r = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return -1;
	while (n < want && (r = pread(fd, (char *)pm + n, want - n, off + n)) > 0)
		n += r;
	close(fd);
	return r < 0 ? -1 : (long)n;
}

/* The PAGEMAP_SCAN ABI, as include/uapi/linux/fs.h has it. */
struct bench_page_region {
	uint64_t start, end, categories;
};

struct bench_pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask;
	uint64_t return_mask;
};

#define BENCH_PAGEMAP_SCAN	_IOWR('f', 16, struct bench_pm_scan_arg)

/*
 * read_scan: the PAGEMAP_SCAN ioctl over the mapping, every category
 * returned, no filter: its regions into txt, resumed at walk_end while the
 * ioctl stops early; bytes of regions, or -1.
 */
static long read_scan(void)
{
	struct bench_page_region *vec = (struct bench_page_region *)txt;
	const size_t cap = sizeof(txt) / sizeof(*vec);
	uint64_t start = BENCH_ADDR, end = BENCH_ADDR + size;
	size_t n = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0)
		return -1;
	while (start < end && n < cap) {
		struct bench_pm_scan_arg a = {
			.size = sizeof(a), .start = start, .end = end,
			.vec = (uintptr_t)(vec + n), .vec_len = cap - n,
			.return_mask = 0xff,
		};
		long r = ioctl(fd, BENCH_PAGEMAP_SCAN, &a);

		if (r < 0) {
			close(fd);
			return -1;
		}
		n += r;
		start = a.walk_end;
	}
	close(fd);
	if (start < end) {
		errno = EFBIG;
		return -1;
	}
	return n * sizeof(*vec);
}

static int sysfs_read(const char *path, char *buf, size_t cap)
{
	long n = read_file(path, buf, cap - 1);

	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

static int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

static long sysfs_long(const char *path)
{
	char b[64];

	return sysfs_read(path, b, sizeof(b)) ? -1 : atol(b);
}

/* The selected word of a sysfs choice file ("always [madvise] never"). */
static int sysfs_choice(const char *path, char *val, size_t cap)
{
	char b[128], *l, *r;

	if (sysfs_read(path, b, sizeof(b)))
		return -1;
	l = strchr(b, '[');
	r = l ? strchr(l, ']') : NULL;
	if (!r || (size_t)(r - l) > cap)
		return -1;
	*r = 0;
	snprintf(val, cap, "%s", l + 1);
	return 0;
}

static void thp_save(void)
{
	struct dirent *d;
	DIR *dir;

	snprintf(thp_saved[0].path, sizeof(thp_saved[0].path), THP "/enabled");
	if (sysfs_choice(thp_saved[0].path, thp_saved[0].val, sizeof(thp_saved[0].val)))
		return;
	thp_nsaved = 1;
	dir = opendir(THP);
	while (dir && (d = readdir(dir)) && thp_nsaved <= MAX_THP_SIZES) {
		if (strncmp(d->d_name, "hugepages-", 10))
			continue;
		snprintf(thp_saved[thp_nsaved].path, sizeof(thp_saved[0].path),
			 THP "/%.40s/enabled", d->d_name);
		if (!sysfs_choice(thp_saved[thp_nsaved].path, thp_saved[thp_nsaved].val,
				  sizeof(thp_saved[0].val)))
			thp_nsaved++;
	}
	if (dir)
		closedir(dir);
}

static void thp_restore(void)
{
	for (int i = 0; i < thp_nsaved; i++)
		sysfs_write(thp_saved[i].path, thp_saved[i].val);
}

/*
 * thp_set TOP PMD K64: the top-level THP mode, and the per-size modes of
 * the PMD size and of 64kB; every other size never.  0 when every write
 * took (or there is no THP at all and nothing asks for it).
 */
static int thp_set(const char *top, const char *pmd, const char *k64)
{
	char pmd_dir[64];
	int rc = 0;

	if (!thp_nsaved)
		return strcmp(pmd, "never") || strcmp(k64, "never") ? -1 : 0;
	snprintf(pmd_dir, sizeof(pmd_dir), "hugepages-%lukB/", pmd_size >> 10);
	rc |= sysfs_write(thp_saved[0].path, top);
	for (int i = 1; i < thp_nsaved; i++) {
		const char *p = thp_saved[i].path, *v = "never";

		if (strstr(p, "/hugepages-64kB/"))
			v = k64;
		else if (strstr(p, pmd_dir))
			v = pmd;
		rc |= sysfs_write(p, v);
	}
	return rc;
}

/* The kB value of FIELD ("Rss:") in the smaps entry of the mapping, or -1. */
static long smaps_kb(const char *field)
{
	char head[32], *s, *e, *f;
	long n = read_file("/proc/self/smaps", txt, sizeof(txt) - 1);

	if (n < 0)
		return -1;
	txt[n] = 0;
	snprintf(head, sizeof(head), "%lx-", BENCH_ADDR);
	s = strstr(txt, head);
	if (!s || (s != txt && s[-1] != '\n'))
		return -1;
	e = strstr(s, "\nVmFlags:");
	f = strstr(s, field);
	if (!f || (e && f > e))
		return -1;
	return atol(f + strlen(field));
}

/* How many of the mapping's pagemap entries have all of BITS. */
static long pagemap_count(uint64_t bits)
{
	long n = 0;

	if (read_pagemap() != (long)(npages * sizeof(*pm)))
		return -1;
	for (unsigned long i = 0; i < npages; i++)
		n += (pm[i] & bits) == bits;
	return n;
}

/*
 * Write every STRIDE bytes: a distinct non-zero word at the start of each
 * page, so that no page is zero- or same-filled (zram would store such a
 * page as a flag, not as data) and the child's copy is of real data.
 */
static void populate(char *p, unsigned long stride)
{
	for (unsigned long off = 0; off < size; off += stride)
		*(volatile uint64_t *)(p + off) = off / psize + 1;
}

/* The free swap in kB (/proc/swaps), or -1. */
static long swap_free_kb(void)
{
	long n = read_file("/proc/swaps", small, sizeof(small) - 1), total = 0;
	char *l;

	if (n < 0)
		return -1;
	small[n] = 0;
	l = strchr(small, '\n');	/* past the header */
	while (l && *++l) {
		long sz, used;

		if (sscanf(l, "%*s %*s %ld %ld", &sz, &used) == 2)
			total += sz - used;
		l = strchr(l, '\n');
	}
	return total;
}

/*
 * MADV_PAGEOUT drains only the LRU batches of the CPU it runs on, and a
 * folio still in another CPU's batch cannot be isolated: page out from
 * every CPU in turn until Swap: covers the mapping.
 */
static int pageout_all(char *p)
{
	long want = size >> 10, ncpu = sysconf(_SC_NPROCESSORS_ONLN), got = -1;
	cpu_set_t set, one;

	sched_getaffinity(0, sizeof(set), &set);
	for (int round = 0; round < 8 && got != want; round++) {
		for (long c = 0; c < ncpu; c++) {
			CPU_ZERO(&one);
			CPU_SET(c, &one);
			if (sched_setaffinity(0, sizeof(one), &one))
				continue;
			if (madvise(p, size, MADV_PAGEOUT)) {
				skip("MADV_PAGEOUT: %s", strerror(errno));
				sched_setaffinity(0, sizeof(set), &set);
				return -1;
			}
		}
		got = smaps_kb("Swap:");
	}
	sched_setaffinity(0, sizeof(set), &set);
	if (got != want) {
		skip("Swap: %ld kB of %ld kB after MADV_PAGEOUT", got, want);
		return -1;
	}
	return 0;
}

/* Wait until PID sleeps (the child blocked in read(), touching nothing). */
static int wait_sleeping(pid_t pid)
{
	char path[64], *s;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 10000; i++) {
		long n = read_file(path, small, sizeof(small) - 1);

		if (n < 0)
			return -1;
		small[n] = 0;
		s = strrchr(small, ')');
		if (s && s[1] == ' ' && s[2] == 'S')
			return 0;
		usleep(1000);
	}
	return -1;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/*
 * numa_maps without its active=N counts: whether a folio is on the active
 * LRU list depends on when the per-CPU LRU batches drained and what aging
 * ran, which differs from boot to boot (the count of the program's own
 * text pages does), not on the walker.
 */
static uint64_t fnv_numa(const char *t, long n)
{
	static const char act[] = " active=";
	uint64_t h = FNV_INIT;
	long i = 0;

	while (i < n) {
		if (n - i > (long)sizeof(act) - 1 && !memcmp(t + i, act, sizeof(act) - 1)) {
			for (i += sizeof(act) - 1; i < n && t[i] >= '0' && t[i] <= '9'; i++)
				;
			continue;
		}
		h = fnv(h, t + i++, 1);
	}
	return h;
}

/*
 * smaps and smaps_rollup with the device and inode numbers of the VMA
 * lines left out: the hugetlb case's anonymous hugetlbfs file gets an
 * inode number that depends on what the boot created before it.
 */
static uint64_t fnv_smaps(const char *t, long n)
{
	uint64_t h = FNV_INIT;

	for (const char *l = t, *e; l < t + n; l = e + 1) {
		const char *sp = memchr(l, ' ', t + n - l), *f = l;
		int field = 0;

		e = memchr(l, '\n', t + n - l);
		if (!e)
			e = t + n;
		if (!sp || sp > e || !memchr(l, '-', sp - l) || strchr("0123456789abcdef", *l) == NULL) {
			h = fnv(h, l, e - l + (e < t + n));
			continue;
		}
		/* start-end perms offset dev inode [path]: skip fields 4 and 5 */
		while (f < e) {
			const char *fe = f;

			while (fe < e && *fe != ' ')
				fe++;
			if (++field != 4 && field != 5) {
				h = fnv(h, f, fe - f);
				h = fnv(h, " ", 1);
			}
			f = fe;
			while (f < e && *f == ' ')
				f++;
		}
		h = fnv(h, "\n", 1);
	}
	return h;
}

/* One read of FILE (into txt, or pm for pagemap): bytes, or -1. */
static long read_raw(const char *file)
{
	char path[64];

	if (!strcmp(file, "pagemap"))
		return read_pagemap();
	if (!strcmp(file, "pagemap_scan"))
		return read_scan();
	snprintf(path, sizeof(path), "/proc/self/%s", file);
	return read_file(path, txt, sizeof(txt));
}

/* The checksum of what read_raw() just read (N bytes). */
static uint64_t checksum(const char *file, long n)
{
	uint64_t h = FNV_INIT;

	if (n <= 0)
		return 0;
	if (!strcmp(file, "pagemap")) {
		/* word by word: the flag bits of each entry */
		for (long i = 0; i < n / (long)sizeof(*pm); i++) {
			h ^= pm[i] & ~PM_PFN_MASK;
			h *= 0x100000001b3ULL;
		}
		return h;
	}
	if (!strcmp(file, "pagemap_scan"))
		return fnv(h, txt, n);
	return strcmp(file, "numa_maps") ? fnv_smaps(txt, n) : fnv_numa(txt, n);
}

static long read_one(const char *file, uint64_t *ck)
{
	long n = read_raw(file);

	*ck = checksum(file, n);
	return n;
}

/* What measure() found for one file, printed once every file is timed. */
static struct result {
	long bytes;
	uint64_t ck;
	double med;
	int unstable, err;
	char diff[160];
	double t[MAX_REPS];
} res[NFILES];

/* The first line where two reads of a text file differ, for the log. */
static void first_diff(struct result *r, const char *a, long na, const char *b, long nb)
{
	long i = 0, l = 0, ea, eb;

	while (i < na && i < nb && a[i] == b[i])
		if (a[i++] == '\n')
			l = i;
	for (ea = l; ea < na && a[ea] != '\n'; ea++)
		;
	for (eb = l; eb < nb && b[eb] != '\n'; eb++)
		;
	snprintf(r->diff, sizeof(r->diff), "'%.*s' then '%.*s'",
		 (int)(ea - l > 70 ? 70 : ea - l), a + l, (int)(eb - l > 70 ? 70 : eb - l), b + l);
}

/*
 * One timed sample: reads of FILE until min_ms have passed (one read on a
 * fine clock; enough reads that the clock's step weighs little on a coarse
 * one), as ms per read.  Only the open-read-close is timed; each read's
 * checksum is taken and compared with the first after the clock stops.
 */
static double min_ms;
/* PROC_BENCH_DUMP=1: copies of the texts, printed after the timing */
static char *dump_buf[NFILES];
static double sample(const char *file, struct result *r)
{
	double start = now_ms(), t = 0;
	long n, k = 0;

	do {
		double t0 = now_ms();

		n = read_raw(file);
		t += now_ms() - t0;
		k++;
		if ((n != r->bytes || checksum(file, n) != r->ck) && !r->unstable) {
			r->unstable = 1;
			if (strncmp(file, "pagemap", 7) && n >= 0)
				first_diff(r, txt_ref, r->bytes, txt, n);
		}
	} while (now_ms() - start < min_ms);
	return t / k;
}

static void time_file(unsigned int f)
{
	const char *file = files[f];
	struct result *r = &res[f];

	r->bytes = read_one(file, &r->ck);
	if (r->bytes < 0) {
		r->err = errno;
		return;
	}
	if (strcmp(file, "pagemap"))
		memcpy(txt_ref, txt, r->bytes);
	if (dump_buf[f])
		memcpy(dump_buf[f], txt, r->bytes);
	for (int i = 0; i < reps; i++) {
		r->t[i] = sample(file, r);
		times[i] = r->t[i];
	}
	r->med = median(times, reps);
}

static void report(void)
{
	for (unsigned int f = 0; f < NFILES; f++) {
		struct result *r = &res[f];
		char *b = dump_buf[f];

		for (char *l = b, *e; b && !r->err && l < b + r->bytes; l = e + 1) {
			e = memchr(l, '\n', b + r->bytes - l);
			if (!e)
				e = b + r->bytes;
			out("PROCBENCH-TEXT %s %s %.*s\n", cur_case, files[f], (int)(e - l), l);
		}

		if (r->err) {
			out("PROCBENCH-ERROR %s %s read: %s\n", cur_case, files[f], strerror(r->err));
			continue;
		}
		printf("PROCBENCH-REPS %s %s", cur_case, files[f]);
		for (int i = 0; i < reps; i++)
			printf(" %.3f", r->t[i]);
		printf("\n");
		if (r->unstable)
			out("PROCBENCH-UNSTABLE %s %s %s\n", cur_case, files[f], r->diff);
		out("PROCBENCH %s %s %.3f %ld %016llx\n", cur_case, files[f], r->med,
		    r->bytes, (unsigned long long)r->ck);
	}
}

/*
 * Fork a child that keeps the mapping (shared, copy-on-write) and blocks,
 * then time every file.  The child says it is ready only when it touches
 * nothing more, and the parent waits until it sleeps, so the sharing the
 * parent's smaps shows does not depend on when the child ran.  The parent
 * then writes every buffer it uses and reads every file once, untimed, so
 * that its own copy-on-write faults are over before the reads that count;
 * and it prints nothing until they are done.
 */
static void measure(void)
{
	int rdy[2], hold[2];
	uint64_t ck;
	char c = 1;
	pid_t pid;

	if (pipe(rdy) || pipe(hold)) {
		out("PROCBENCH-ERROR %s pipe: %s\n", cur_case, strerror(errno));
		return;
	}
	pid = fork();
	if (pid < 0) {
		out("PROCBENCH-ERROR %s fork: %s\n", cur_case, strerror(errno));
		return;
	}
	if (!pid) {
		close(rdy[0]);
		close(hold[1]);
		if (write(rdy[1], &c, 1) != 1 || read(hold[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(rdy[1]);
	close(hold[0]);
	if (read(rdy[0], &c, 1) != 1 || wait_sleeping(pid)) {
		out("PROCBENCH-ERROR %s the child did not settle\n", cur_case);
	} else {
		memset(res, 0, sizeof(res));
		memset(times, 0, sizeof(times));
		memset(txt, 0, sizeof(txt));
		memset(txt_ref, 0, sizeof(txt_ref));
		memset(pm, 0, npages * sizeof(*pm));
		for (unsigned int f = 0; f < NFILES; f++)
			if (dump_buf[f])
				memset(dump_buf[f], 0, TXT_SIZE);
		for (unsigned int f = 0; f < NFILES; f++)
			read_one(files[f], &ck);
		for (unsigned int f = 0; f < NFILES; f++)
			time_file(f);
	}
	close(hold[1]);
	close(rdy[0]);
	waitpid(pid, NULL, 0);
	report();
}

static char *map(int extra)
{
	char *p = mmap((void *)BENCH_ADDR, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | extra, -1, 0);

	if (p == MAP_FAILED) {
		skip("mmap of %lu MiB at %#lx: %s", size >> 20, BENCH_ADDR, strerror(errno));
		return NULL;
	}
	if (p != (char *)BENCH_ADDR) {
		skip("mmap placed the mapping at %p, not %#lx", (void *)p, BENCH_ADDR);
		munmap(p, size);
		return NULL;
	}
	return p;
}

/* 4k, sparse, swap: order-0 folios only. */
static char *case_small(unsigned long stride)
{
	char *p;

	if (thp_set("madvise", "never", "never")) {
		skip("cannot turn THP and mTHP off");
		return NULL;
	}
	p = map(0);
	if (!p)
		return NULL;
	if (madvise(p, size, MADV_NOHUGEPAGE)) {
		skip("MADV_NOHUGEPAGE: %s", strerror(errno));
		munmap(p, size);
		return NULL;
	}
	populate(p, stride);
	return p;
}

static int check_resident(long rss_kb, long present)
{
	long rss = smaps_kb("Rss:"), ahp = smaps_kb("AnonHugePages:");
	long pres = pagemap_count(PM_PRESENT);

	if (rss != rss_kb || ahp != 0 || pres != present) {
		skip("Rss %ld kB (want %ld), AnonHugePages %ld kB (want 0), %ld pages present (want %ld)",
		     rss, rss_kb, ahp, pres, present);
		return -1;
	}
	return 0;
}

static void run_case(const char *name)
{
	unsigned long pool_orig = 0;
	int pool_set = 0;
	char *p = NULL;

	cur_case = name;
	if (!strcmp(name, "4k")) {
		p = case_small(psize);
		if (p && check_resident(size >> 10, npages))
			goto unmap;
	} else if (!strcmp(name, "sparse")) {
		p = case_small(SZ_2M);
		if (p && check_resident(size / SZ_2M * (psize >> 10), size / SZ_2M))
			goto unmap;
	} else if (!strcmp(name, "swap")) {
		long free_kb = swap_free_kb();

		if (free_kb < (long)(size >> 10)) {
			skip("swap: %ld kB free in /proc/swaps, %lu kB needed", free_kb, size >> 10);
			return;
		}
		p = case_small(psize);
		if (!p || pageout_all(p))
			goto unmap;
		if (pagemap_count(PM_SWAP) != (long)npages) {
			skip("pagemap: not every page is a swap entry after MADV_PAGEOUT");
			goto unmap;
		}
	} else if (!strcmp(name, "mthp64k")) {
		const char *st = THP "/hugepages-64kB/stats/anon_fault_alloc";
		char val[32];
		long a0, a1, want = size / (64 << 10);

		if (psize != 4096) {
			skip("64kB mTHP is a case of 4kB pages; the page size is %ld", psize);
			return;
		}
		if (thp_set("madvise", "never", "always") ||
		    sysfs_choice(THP "/hugepages-64kB/enabled", val, sizeof(val)) ||
		    strcmp(val, "always")) {
			skip("cannot set " THP "/hugepages-64kB/enabled to always");
			goto unmap;
		}
		a0 = sysfs_long(st);
		p = map(0);
		if (!p)
			goto unmap;
		populate(p, psize);
		a1 = sysfs_long(st);
		if (pagemap_count(PM_PRESENT) != (long)npages || smaps_kb("Rss:") != (long)(size >> 10)) {
			skip("mthp64k: not every page of the mapping is present");
			goto unmap;
		}
		if (a0 >= 0 && a1 - a0 < want) {
			skip("mthp64k: %ld 64kB folios faulted in (anon_fault_alloc), %ld wanted",
			     a1 - a0, want);
			goto unmap;
		}
	} else if (!strcmp(name, "thp")) {
		long ahp;

		if (thp_set("madvise", "inherit", "never")) {
			skip("cannot set THP to madvise with PMD-size THP inherit");
			goto unmap;
		}
		p = map(0);
		if (!p)
			goto unmap;
		if (madvise(p, size, MADV_HUGEPAGE)) {
			skip("MADV_HUGEPAGE: %s", strerror(errno));
			goto unmap;
		}
		populate(p, psize);
		ahp = smaps_kb("AnonHugePages:");
		if (ahp != (long)(size >> 10)) {
			skip("AnonHugePages %ld kB of %lu kB", ahp, size >> 10);
			goto unmap;
		}
	} else if (!strcmp(name, "hugetlb2m")) {
		long nr = sysfs_long(HUGETLB_2M "/nr_hugepages");
		long fr = sysfs_long(HUGETLB_2M "/free_hugepages");
		long want = size / SZ_2M, priv, shr;
		char v[32];

		if (nr < 0 || fr < 0) {
			skip("no 2MB hugetlb pool (" HUGETLB_2M ")");
			return;
		}
		pool_orig = nr;
		if (fr < want) {
			snprintf(v, sizeof(v), "%ld", nr + want - fr);
			pool_set = 1;
			sysfs_write(HUGETLB_2M "/nr_hugepages", v);
			fr = sysfs_long(HUGETLB_2M "/free_hugepages");
			if (fr < want) {
				skip("only %ld free 2MB hugetlb pages of the %ld needed", fr, want);
				goto unmap;
			}
		}
		p = map(MAP_HUGETLB | MAP_HUGE_2MB);
		if (!p)
			goto unmap;
		populate(p, psize);
		priv = smaps_kb("Private_Hugetlb:");
		shr = smaps_kb("Shared_Hugetlb:");
		if (priv + shr != (long)(size >> 10) || pagemap_count(PM_PRESENT) != (long)npages) {
			skip("hugetlb: %ld kB of %lu kB in Private_Hugetlb+Shared_Hugetlb",
			     priv + shr, size >> 10);
			goto unmap;
		}
	} else {
		skip("unknown case");
		return;
	}
	if (p)
		measure();
unmap:
	if (p)
		munmap(p, size);
	if (pool_set) {
		char v[32];

		snprintf(v, sizeof(v), "%lu", pool_orig);
		sysfs_write(HUGETLB_2M "/nr_hugepages", v);
	}
	thp_restore();
}

int main(int argc, char **argv)
{
	const char *env_mb = getenv("PROC_BENCH_MB"), *env_reps = getenv("PROC_BENCH_REPS");
	const char *env_cases = getenv("PROC_BENCH_CASES");
	const char *env_min = getenv("PROC_BENCH_MIN_MS");
	const char *env_clock = getenv("PROC_BENCH_CLOCK");
	const char *env_tsc = getenv("PROC_BENCH_TSC_MHZ");
	double step;
	long mb = env_mb ? atol(env_mb) : 1024;
	int pers = personality(0xffffffff), opt;
	char *cases = NULL;
	cpu_set_t cpu0;

	reps = env_reps ? atoi(env_reps) : 7;
	while ((opt = getopt(argc, argv, "m:r:T")) != -1) {
		switch (opt) {
		case 'T':
			/* On the host: the TSC rate the guest should count with. */
			calibrate();
			if (tsc_per_ms <= 0)
				return 1;
			printf("%.3f\n", tsc_per_ms / 1e3);
			return 0;
		case 'm':
			mb = atol(optarg);
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: %s [-m MB] [-r REPS] [CASE...] | -T\n", argv[0]);
			return 2;
		}
	}
	/* Fixed addresses: the text of two kernels must compare byte for byte. */
	if (pers != -1 && !(pers & ADDR_NO_RANDOMIZE) &&
	    personality(pers | ADDR_NO_RANDOMIZE) != -1) {
		execv("/proc/self/exe", argv);
		fprintf(stderr, "proc_bench: re-exec without ASLR: %s\n", strerror(errno));
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mb < 2 || mb % 2 || reps < 1 || reps > MAX_REPS) {
		out("PROCBENCH-ERROR bad settings: %ld MB (even, >= 2), %d reps (1..%d)\n",
		    mb, reps, MAX_REPS);
		return 2;
	}
	/* One CPU: steadier times, and MADV_PAGEOUT sees this CPU's batches. */
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	sched_setaffinity(0, sizeof(cpu0), &cpu0);

	psize = sysconf(_SC_PAGESIZE);
	size = (unsigned long)mb << 20;
	npages = size / psize;
	pmd_size = sysfs_long(THP "/hpage_pmd_size");
	if ((long)pmd_size <= 0)
		pmd_size = SZ_2M;
	pm = mmap(NULL, npages * sizeof(*pm), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pm == MAP_FAILED) {
		out("PROCBENCH-ERROR pagemap buffer: %s\n", strerror(errno));
		return 1;
	}
	memset(pm, 1, npages * sizeof(*pm));
	memset(txt, 1, sizeof(txt));
	memset(txt_ref, 1, sizeof(txt_ref));
	memset(small, 1, sizeof(small));
	for (unsigned int f = 0; getenv("PROC_BENCH_DUMP") && atoi(getenv("PROC_BENCH_DUMP")) &&
	     f < NFILES - 1; f++) {
		dump_buf[f] = mmap(NULL, TXT_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (dump_buf[f] == MAP_FAILED)
			dump_buf[f] = NULL;
		else
			memset(dump_buf[f], 1, TXT_SIZE);
	}
	thp_save();
	if (env_tsc && atof(env_tsc) > 0)
		tsc_per_ms = atof(env_tsc) * 1e3;
	else if (!env_clock || strcmp(env_clock, "monotonic"))
		calibrate();
	if (env_clock && !strcmp(env_clock, "monotonic"))
		tsc_per_ms = 0;
	/* A coarse clock: samples of at least 25 of its steps. */
	step = clock_step_ms();
	min_ms = env_min ? atof(env_min) : step > 0.01 ? 25 * step : 0;
	out("PROCBENCH-CONFIG mb=%ld reps=%d page=%ld pmd=%lu thp=%s addr=%#lx clock=%s counter_mhz=%.3f clock_step_ms=%.6f min_sample_ms=%.3f\n",
	    mb, reps, psize, pmd_size, thp_nsaved ? thp_saved[0].val : "none", BENCH_ADDR,
	    tsc_per_ms <= 0 ? "monotonic" :
#if defined(__aarch64__)
	    "cntvct",
#else
	    env_tsc && atof(env_tsc) > 0 ? "tsc(host-rate)" : "tsc(guest-rate)",
#endif
	    tsc_per_ms / 1e3, step, min_ms);

	if (optind < argc) {
		for (int i = optind; i < argc; i++)
			run_case(argv[i]);
	} else if (env_cases && *env_cases) {
		cases = strdup(env_cases);
		for (char *c = strtok(cases, " ,"); c; c = strtok(NULL, " ,"))
			run_case(c);
		free(cases);
	} else {
		for (unsigned int i = 0; i < sizeof(all_cases) / sizeof(all_cases[0]); i++)
			run_case(all_cases[i]);
	}
	out("PROCBENCH-END\n");
	return 0;
}
