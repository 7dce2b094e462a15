/* SPDX-License-Identifier: GPL-2.0 */
/*
 * e2e.h - the dumping half of the /proc end-to-end workloads.
 *
 * A workload sets up mappings in its own process, registers each as a named
 * region, and calls e2e_dump().  The dump prints what the kernel's /proc
 * page-table walkers report for those regions: /proc/PID/smaps entries,
 * smaps_rollup, numa_maps lines, a decoded pagemap and PAGEMAP_SCAN results.
 * The output of a stock and a converted kernel is diffed per case, so
 * everything that legitimately varies between two boots of one kernel
 * (addresses, PFNs, swap offsets, device and inode numbers, PIDs) is
 * normalised away here, and nothing the dump itself does may depend on it:
 * in particular the memory the dump touches is sized by page counts only,
 * never by physical addresses, so that smaps_rollup stays reproducible.
 *
 * Header-only so that every program of an extra workload directory (one
 * program per .c file) can reuse it: #include "e2e.h" and compile with -I
 * pointing here.
 */
#ifndef E2E_H
#define E2E_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

/*
 * The build hosts' kernel headers predate 6.12, so the uapi definitions of
 * PAGEMAP_SCAN are copied from include/uapi/linux/fs.h of Linux 6.12.
 */
#ifndef PAGEMAP_SCAN
struct page_region {
	uint64_t start;
	uint64_t end;
	uint64_t categories;
};

struct pm_scan_arg {
	uint64_t size;
	uint64_t flags;
	uint64_t start;
	uint64_t end;
	uint64_t walk_end;
	uint64_t vec;
	uint64_t vec_len;
	uint64_t max_pages;
	uint64_t category_inverted;
	uint64_t category_mask;
	uint64_t category_anyof_mask;
	uint64_t return_mask;
};

#define PROCFS_IOCTL_MAGIC	'f'
#define PAGEMAP_SCAN		_IOWR(PROCFS_IOCTL_MAGIC, 16, struct pm_scan_arg)
#define PAGE_IS_WPALLOWED	(1 << 0)
#define PAGE_IS_WRITTEN		(1 << 1)
#define PAGE_IS_FILE		(1 << 2)
#define PAGE_IS_PRESENT		(1 << 3)
#define PAGE_IS_SWAPPED		(1 << 4)
#define PAGE_IS_PFNZERO		(1 << 5)
#define PAGE_IS_HUGE		(1 << 6)
#define PAGE_IS_SOFT_DIRTY	(1 << 7)
#define PM_SCAN_WP_MATCHING	(1 << 0)
#define PM_SCAN_CHECK_WPASYNC	(1 << 1)
#endif
#define PAGE_IS_ALL		0xffULL

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#define PR_SET_VMA_ANON_NAME	0
#endif

/* pagemap bits, Documentation/admin-guide/mm/pagemap.rst */
#define PM_PFN_MASK		((1ULL << 55) - 1)
#define PM_SOFT_DIRTY		(1ULL << 55)
#define PM_EXCLUSIVE		(1ULL << 56)
#define PM_UFFD_WP		(1ULL << 57)
#define PM_FILE			(1ULL << 61)
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)
#define PM_SWP_TYPE(e)		((e) & 0x1f)
#define PM_SWP_OFFSET(e)	(((e) & PM_PFN_MASK) >> 5)
/*
 * Non-swap entries other than real swap (type 0: the one swap device)
 * carry a PFN (migration, device-private, device-exclusive, hwpoison),
 * except PTE markers, whose offset is a small set of marker bits
 * (PTE_MARKER_UFFD_WP is 1).  No PFN that user memory can have is that
 * small, so a small offset means a marker, printed as it is.
 */
#define E2E_SWP_IS_MARKER(e)	(PM_SWP_TYPE(e) != 0 && PM_SWP_OFFSET(e) < 64)

/*
 * The /proc/kpageflags bits that depend only on what a page is, not on
 * LRU timing (LRU, active, referenced, dirty, writeback and swapcache are
 * left out on purpose).  include/uapi/linux/kernel-page-flags.h.  KPF_KSM
 * is left out too: 6.12 reports it for every anonymous page (it tests
 * PAGE_MAPPING_KSM as a mask); KSM shows in smaps and in frame sharing.
 */
static const struct { int bit; char c; const char *name; } e2e_kpf[] = {
	{ 11, 'm', "mmap" },	{ 12, 'a', "anon" },	{ 15, 'H', "head" },
	{ 16, 'T', "tail" },	{ 17, 'h', "huge" },	{ 19, 'X', "hwpoison" },
	{ 20, 'n', "nopage" },	{ 22, 't', "thp" },
	{ 24, 'z', "zero" },	{ 33, 'l', "mlocked" },
};
#define E2E_NKPF (sizeof(e2e_kpf) / sizeof(e2e_kpf[0]))

#define E2E_MAX_REGIONS		16
#define E2E_MAX_TRACK		64
#define E2E_BUF_SIZE		(1 << 20)

struct e2e_region {
	char label[48];
	unsigned long start, len;
	pid_t pid;		/* 0: this process */
};

static struct {
	const char *name;
	const char *step;
	struct e2e_region reg[E2E_MAX_REGIONS];
	int nreg;
	struct { void *p; size_t len; } map[E2E_MAX_TRACK];
	int nmap;
	int fds[E2E_MAX_TRACK];
	int nfds;
	pid_t kids[4];
	int nkids;
	int skipped, errors;
	int no_rollup;		/* the rollup is not reproducible in this case */
} e2e_cur;

static long e2e_psize;
/*
 * Scratch for reading /proc text files and the kpageflags window: static
 * and touched once at start-up, so reading a larger or smaller smaps never
 * changes the process's own Rss between two boots.
 */
static char e2e_buf[E2E_BUF_SIZE];
static uint64_t e2e_kpf_win[1024];
static uint64_t e2e_kpf_base = ~0ULL;
static int e2e_kpf_fd = -1;
static char e2e_stdout_buf[1 << 16];

/* The kernel rejects requests a case depends on: say so, deterministically. */
static inline void e2e_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void e2e_skip(const char *fmt, ...)
{
	va_list ap;

	printf("SKIP %s: ", e2e_cur.name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	e2e_cur.skipped = 1;
}

/* Something that should have worked did not: the runner fails the case. */
static inline void e2e_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline void e2e_error(const char *fmt, ...)
{
	va_list ap;
	int err = errno;

	printf("ERROR %s: ", e2e_cur.name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (errno %d %s)\n", err, strerror(err));
	e2e_cur.errors++;
}

static inline void e2e_fact(const char *key, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void e2e_fact(const char *key, const char *fmt, ...)
{
	va_list ap;

	printf("FACT %s%s%s ", e2e_cur.step ? e2e_cur.step : "",
	       e2e_cur.step ? "/" : "", key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Read a whole (small) file into e2e_buf; returns its length or -1. */
static inline ssize_t e2e_read_file(const char *path)
{
	ssize_t n, len = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	while ((n = read(fd, e2e_buf + len, E2E_BUF_SIZE - 1 - len)) > 0)
		len += n;
	close(fd);
	e2e_buf[len] = 0;
	return n < 0 ? -1 : len;
}

static inline int e2e_write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = -1;

	if (fd < 0)
		return -1;
	if (write(fd, val, strlen(val)) == (ssize_t)strlen(val))
		ret = 0;
	close(fd);
	return ret;
}

static inline long e2e_read_long(const char *path)
{
	if (e2e_read_file(path) < 0)
		return -1;
	return strtol(e2e_buf, NULL, 0);
}

/* ---- geometry ------------------------------------------------------------ */

/*
 * The sizes a case means by its roles, read from the running kernel so
 * that each case means the same on every granule (all in kB):
 *
 *   page     PAGE_SIZE
 *   pmd      what one PMD entry maps: HPAGE_PMD_SIZE
 *            (THP's hpage_pmd_size; without THP, a page's worth of PTEs)
 *   pud      what one entry of the level above the PMD maps, whether or
 *            not the kernel maps anything with it
 *   mthp     a large folio of E2E_MTHP_PAGES pages, mapped by PTEs
 *   hugetlb  one size of /sys/kernel/mm/hugepages per role: contiguous
 *            PTEs below the PMD size, the PMD size, contiguous PMDs
 *            between PMD and PUD size, the PUD size; 0 if there is none
 *            (the smallest size of a role when there are several)
 *
 * e2e_geo_print() prints them as "FACT sys.NAME value" before the first
 * case: tests/e2e/expect.tsv writes its expectations in their units.
 */
#define E2E_MTHP_PAGES	16
enum { E2E_HUGE_CONTPTE, E2E_HUGE_PMD, E2E_HUGE_CONTPMD, E2E_HUGE_PUD, E2E_NHUGE };
static const char *const e2e_huge_role[E2E_NHUGE] = {
	"contpte", "pmd", "contpmd", "pud",
};
#define E2E_MAX_HSIZES	16

static struct {
	unsigned long page_kb, pmd_kb, pud_kb, mthp_kb;
	unsigned long huge_kb[E2E_NHUGE];
	unsigned long hsizes[E2E_MAX_HSIZES];	/* the hugetlb sizes, ascending */
	int nhsizes;
	char hsize_list[256];			/* the same, for messages */
} e2e_geo;

static inline void e2e_geo_init(long psize)
{
	unsigned long kb, ptes = psize / 8;	/* entries of a table */
	char path[96];
	long v;
	int i, j, n;

	e2e_geo.page_kb = psize >> 10;
	v = e2e_read_long("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
	e2e_geo.pmd_kb = v > 0 ? (unsigned long)v >> 10 : e2e_geo.page_kb * ptes;
	e2e_geo.pud_kb = e2e_geo.pmd_kb * ptes;
	e2e_geo.mthp_kb = e2e_geo.page_kb * E2E_MTHP_PAGES;
	/*
	 * Hugetlb sizes are powers of two above the page size: look each
	 * up rather than list the directory, whose opendir() would malloc()
	 * and so change the heap that smaps_rollup shows.
	 */
	for (kb = e2e_geo.page_kb * 2; kb && kb <= 1UL << 40 &&
	     e2e_geo.nhsizes < E2E_MAX_HSIZES; kb *= 2) {
		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB", kb);
		if (!access(path, F_OK))
			e2e_geo.hsizes[e2e_geo.nhsizes++] = kb;
	}
	n = 0;
	e2e_geo.hsize_list[0] = 0;
	for (i = 0; i < e2e_geo.nhsizes; i++) {
		kb = e2e_geo.hsizes[i];
		j = kb < e2e_geo.pmd_kb ? E2E_HUGE_CONTPTE : kb == e2e_geo.pmd_kb ? E2E_HUGE_PMD :
		    kb < e2e_geo.pud_kb ? E2E_HUGE_CONTPMD : kb == e2e_geo.pud_kb ? E2E_HUGE_PUD : -1;
		if (j >= 0 && !e2e_geo.huge_kb[j])
			e2e_geo.huge_kb[j] = kb;
		n += snprintf(e2e_geo.hsize_list + n, sizeof(e2e_geo.hsize_list) - n, "%s%lukB",
			      i ? " " : "", kb);
		if (n >= (int)sizeof(e2e_geo.hsize_list))
			break;
	}
	if (!e2e_geo.nhsizes)
		snprintf(e2e_geo.hsize_list, sizeof(e2e_geo.hsize_list), "none");
}

/* The geometry facts, once, before the first case. */
static inline void e2e_geo_print(void)
{
	int i;

	printf("FACT sys.page_kb %lu\n", e2e_geo.page_kb);
	printf("FACT sys.pmd_kb %lu\n", e2e_geo.pmd_kb);
	printf("FACT sys.pmd_pages %lu\n", e2e_geo.pmd_kb / e2e_geo.page_kb);
	printf("FACT sys.pud_kb %lu\n", e2e_geo.pud_kb);
	printf("FACT sys.mthp_kb %lu\n", e2e_geo.mthp_kb);
	for (i = 0; i < E2E_NHUGE; i++)
		printf("FACT sys.hugetlb_%s_kb %lu\n", e2e_huge_role[i], e2e_geo.huge_kb[i]);
	printf("E2E hugetlb sizes: %s\n", e2e_geo.hsize_list);
}

static inline void e2e_init(void)
{
	cpu_set_t set;

	/*
	 * Full buffering, flushed at every case end and before fork: the
	 * console must not see half lines that kernel output could split.
	 */
	setvbuf(stdout, e2e_stdout_buf, _IOFBF, sizeof(e2e_stdout_buf));
	e2e_psize = sysconf(_SC_PAGESIZE);
	memset(e2e_buf, 0, sizeof(e2e_buf));
	memset(e2e_kpf_win, 0, sizeof(e2e_kpf_win));
	e2e_geo_init(e2e_psize);
	/*
	 * One CPU: new pages wait in per-CPU LRU batches, and MADV_PAGEOUT,
	 * MADV_FREE and mlock only drain the local CPU's batch.  Pinned, the
	 * batches a case creates are always the ones its madvise drains.
	 */
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);
	e2e_kpf_fd = open("/proc/kpageflags", O_RDONLY);
}

static inline void e2e_track_map(void *p, size_t len)
{
	if (e2e_cur.nmap < E2E_MAX_TRACK) {
		e2e_cur.map[e2e_cur.nmap].p = p;
		e2e_cur.map[e2e_cur.nmap].len = len;
		e2e_cur.nmap++;
	}
}

static inline int e2e_track_fd(int fd)
{
	if (fd >= 0 && e2e_cur.nfds < E2E_MAX_TRACK)
		e2e_cur.fds[e2e_cur.nfds++] = fd;
	return fd;
}

static inline void e2e_track_kid(pid_t pid)
{
	if (e2e_cur.nkids < 4)
		e2e_cur.kids[e2e_cur.nkids++] = pid;
}

/*
 * Wait (bounded) until PID sleeps, i.e. is blocked where its code puts it
 * to wait.  A forked child faults in its text and stack as it runs, and
 * those faults change the sharing that the parent's smaps_rollup shows:
 * they must all have happened before a dump, not when the scheduler says.
 */
static inline int e2e_wait_sleeping(pid_t pid)
{
	struct timespec ts = { 0, 1000 * 1000 };
	char path[64], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 10000; i++) {
		if (e2e_read_file(path) < 0)
			return -1;
		p = strrchr(e2e_buf, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

static inline void e2e_region_pid(const char *label, void *start, size_t len, pid_t pid)
{
	struct e2e_region *r;

	if (e2e_cur.nreg >= E2E_MAX_REGIONS)
		return;
	r = &e2e_cur.reg[e2e_cur.nreg++];
	snprintf(r->label, sizeof(r->label), "%s", label);
	r->start = (unsigned long)start;
	r->len = len;
	r->pid = pid;
}

static inline void e2e_region(const char *label, void *start, size_t len)
{
	e2e_region_pid(label, start, len, 0);
}

/*
 * Map LEN bytes at an ALIGN-aligned address with a PROT_NONE guard on each
 * side, so that a case's mapping never merges with a neighbour (whose size
 * could then leak into the smaps entry printed for it), and register it as
 * region LABEL.  Anonymous private mappings get LABEL as their name.
 */
static inline void *e2e_map(const char *label, size_t len, size_t align, int prot,
		     int flags, int fd, off_t off)
{
	size_t guard = align > (size_t)e2e_psize ? align : (size_t)e2e_psize;
	size_t rlen = len + 2 * guard;
	unsigned long a;
	char *res;
	void *p;

	res = mmap(NULL, rlen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED) {
		e2e_error("reserve %zu bytes for %s", rlen, label);
		return NULL;
	}
	e2e_track_map(res, rlen);
	a = ((unsigned long)res + guard) & ~(guard - 1);
	p = mmap((void *)a, len, prot, flags | MAP_FIXED, fd, off);
	if (p == MAP_FAILED)
		return NULL;
	if (fd < 0 && !(flags & (MAP_SHARED | MAP_HUGETLB)))
		prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, p, len, label);
	e2e_region(label, p, len);
	return p;
}

static inline void *e2e_anon(const char *label, size_t len, size_t align)
{
	void *p = e2e_map(label, len, align, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (!p)
		e2e_error("mmap %s", label);
	return p;
}

/* Write a pattern that depends on the page index and SEED into each page. */
static inline void e2e_fill(void *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i += e2e_psize) {
		unsigned int *w = (unsigned int *)((char *)p + i);
		size_t j;

		for (j = 0; j < 16; j++)
			w[j] = seed * 2654435761u + i / e2e_psize * 40503u + j;
	}
}

static inline void e2e_touch_read(const void *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += e2e_psize)
		(void)*(const volatile char *)((const char *)p + i);
}

static inline void e2e_case_begin(const char *name)
{
	memset(&e2e_cur, 0, sizeof(e2e_cur));
	e2e_cur.name = name;
	printf("CASE %s\n", name);
}

static inline void e2e_case_end(void)
{
	int i;

	for (i = 0; i < e2e_cur.nkids; i++) {
		kill(e2e_cur.kids[i], SIGKILL);
		waitpid(e2e_cur.kids[i], NULL, 0);
	}
	for (i = 0; i < e2e_cur.nmap; i++)
		munmap(e2e_cur.map[i].p, e2e_cur.map[i].len);
	for (i = 0; i < e2e_cur.nfds; i++)
		close(e2e_cur.fds[i]);
	printf("END %s\n", e2e_cur.name);
	fflush(stdout);
}

/*
 * Run case @name with @fn unless the command line names cases and not this
 * one (no arguments: every case).  The workload and the extra programs
 * share it.
 */
static inline void e2e_run_case(const char *name, void (*fn)(void),
				int argc, char **argv)
{
	int j;

	for (j = 1; j < argc; j++)
		if (!strcmp(argv[j], name))
			break;
	if (argc > 1 && j == argc)
		return;
	e2e_case_begin(name);
	fn();
	e2e_case_end();
}

/* ---- smaps, smaps_rollup, numa_maps ------------------------------------- */

/* The region of the current dump that [start, end) of PID overlaps. */
static inline struct e2e_region *e2e_find(unsigned long start, unsigned long end, pid_t pid)
{
	int i;

	for (i = 0; i < e2e_cur.nreg; i++) {
		struct e2e_region *r = &e2e_cur.reg[i];

		if (r->pid == pid && start < r->start + r->len && end > r->start)
			return r;
	}
	return NULL;
}

static inline void e2e_rel(char *out, size_t sz, const struct e2e_region *r, unsigned long addr)
{
	if (addr >= r->start)
		snprintf(out, sz, "%s+0x%lx", r->label, addr - r->start);
	else
		snprintf(out, sz, "%s-0x%lx", r->label, r->start - addr);
}

static inline const char *e2e_who(pid_t pid)
{
	return pid ? "other" : "self";
}

/* Per-region sums of the smaps fields, for the FACT lines. */
#define E2E_NFIELDS 32
static struct {
	char key[E2E_NFIELDS][32];
	long val[E2E_MAX_REGIONS][E2E_NFIELDS];
	int n;
} e2e_sm;

static inline void e2e_sm_add(int ri, const char *key, long v)
{
	int i;

	for (i = 0; i < e2e_sm.n; i++)
		if (!strcmp(e2e_sm.key[i], key))
			break;
	if (i == e2e_sm.n) {
		if (e2e_sm.n == E2E_NFIELDS)
			return;
		snprintf(e2e_sm.key[i], sizeof(e2e_sm.key[i]), "%s", key);
		e2e_sm.n++;
	}
	e2e_sm.val[ri][i] += v;
}

/*
 * Print the smaps entries of PID that overlap a region, with the address
 * range made relative to the region and device/inode numbers masked.
 */
static inline void e2e_dump_smaps(pid_t pid)
{
	char path[64], *line, *next, a[80], b[80];
	struct e2e_region *r = NULL;
	int on = 0;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid ? pid : getpid());
	printf("SMAPS %s\n", e2e_who(pid));
	if (e2e_read_file(path) < 0) {
		printf("  unreadable: %s\n", strerror(errno));
		return;
	}
	for (line = e2e_buf; line && *line; line = next) {
		unsigned long s, e, off, ino;
		char perms[8], dev[16], key[32];
		int n = 0;
		long v;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu %n", &s, &e, perms, &off, dev, &ino, &n) >= 6) {
			r = e2e_find(s, e, pid);
			on = r != NULL;
			if (!on)
				continue;
			e2e_sm_add(r - e2e_cur.reg, "vmas", 1);
			e2e_rel(a, sizeof(a), r, s);
			e2e_rel(b, sizeof(b), r, e);
			printf("  %s %s %s %08lx %s %s%s%s\n", a, b, perms, off,
			       strcmp(dev, "00:00") ? "DEV" : "00:00", ino ? "INO" : "0",
			       n && line[n] ? " " : "", n ? line + n : "");
			continue;
		}
		if (!on)
			continue;
		printf("    %s\n", line);
		if (sscanf(line, "%31[^:]: %ld kB", key, &v) == 2)
			e2e_sm_add(r - e2e_cur.reg, key, v);
	}
}

static inline void e2e_dump_rollup(pid_t pid)
{
	char path[64], *line, *next;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid ? pid : getpid());
	printf("ROLLUP %s\n", e2e_who(pid));
	if (e2e_read_file(path) < 0) {
		printf("  unreadable: %s\n", strerror(errno));
		return;
	}
	for (line = e2e_buf; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		/* The first line is the address span of the whole process. */
		if (line == e2e_buf && strstr(line, "[rollup]"))
			printf("  [rollup]\n");
		else
			printf("    %s\n", line);
	}
}

static inline void e2e_dump_numa(pid_t pid)
{
	char path[64], *line, *next, a[80];
	struct e2e_region *r;

	snprintf(path, sizeof(path), "/proc/%d/numa_maps", pid ? pid : getpid());
	printf("NUMA_MAPS %s\n", e2e_who(pid));
	if (e2e_read_file(path) < 0) {
		printf("  unreadable: %s\n", strerror(errno));
		return;
	}
	for (line = e2e_buf; line && *line; line = next) {
		unsigned long s;
		int n = 0;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (sscanf(line, "%lx %n", &s, &n) < 1 || !n)
			continue;
		r = e2e_find(s, s + 1, pid);
		if (!r)
			continue;
		e2e_rel(a, sizeof(a), r, s);
		printf("  %s %s\n", a, line + n);
	}
}

/* ---- pagemap ------------------------------------------------------------ */

struct e2e_key {
	uint64_t key;		/* PFN, or swap type/offset */
	uint32_t pos;		/* index of the page in the dump */
	uint32_t grp;
};

static inline int e2e_key_cmp(const void *x, const void *y)
{
	const struct e2e_key *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static inline int e2e_pos_cmp(const void *x, const void *y)
{
	const struct e2e_key *a = x, *b = y;

	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static inline void e2e_sift(struct e2e_key *a, size_t i, size_t n,
			    int (*cmp)(const void *, const void *))
{
	struct e2e_key t;
	size_t c;

	for (; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && cmp(&a[c + 1], &a[c]) > 0)
			c++;
		if (cmp(&a[i], &a[c]) >= 0)
			break;
		t = a[i];
		a[i] = a[c];
		a[c] = t;
	}
}

/*
 * Heapsort, in place.  Not qsort(): glibc's merge sort takes a buffer
 * from the heap and writes as much of it as the order of the keys (PFNs)
 * asks for, so the heap pages it leaves resident, and with them
 * smaps_rollup, would differ between boots.
 */
static inline void e2e_sort(struct e2e_key *a, size_t n,
			    int (*cmp)(const void *, const void *))
{
	struct e2e_key t;
	size_t i;

	for (i = n / 2; i-- > 0;)
		e2e_sift(a, i, n, cmp);
	for (i = n; i-- > 1;) {
		t = a[0];
		a[0] = a[i];
		a[i] = t;
		e2e_sift(a, 0, i, cmp);
	}
}

/*
 * Number the distinct frames of the dump in the order they are first met
 * (by region, then address), so that two entries share a number exactly
 * when they share a frame.  Real swap entries (type 0: there is one swap
 * device) get their own numbering; the other "swap" types (migration,
 * device-private, device-exclusive, hwpoison) carry PFNs and share the
 * numbering of present pages.  Memory used depends on N only.
 */
static inline void e2e_number(const uint64_t *pm, uint32_t *idx, size_t n)
{
	struct e2e_key *k;
	uint32_t *num, g = 0;
	size_t i, m = 0;
	size_t sz = (n ? n : 1) * sizeof(*k);

	k = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (k == MAP_FAILED)
		return;
	memset(k, 0, sz);
	for (i = 0; i < n; i++) {
		uint64_t e = pm[i];

		idx[i] = UINT32_MAX;
		if (e & PM_PRESENT)
			k[m].key = e & PM_PFN_MASK;
		else if ((e & PM_SWAP) && PM_SWP_TYPE(e) == 0)
			k[m].key = (1ULL << 63) | PM_SWP_OFFSET(e);
		else if ((e & PM_SWAP) && !E2E_SWP_IS_MARKER(e))
			k[m].key = PM_SWP_OFFSET(e);
		else
			continue;
		k[m++].pos = i;
	}
	e2e_sort(k, m, e2e_key_cmp);
	/* Sorted by key: every member of a group gets the index of its head. */
	for (i = 0; i < m; i++)
		k[i].grp = i && k[i].key == k[i - 1].key ? k[i - 1].grp : i;
	/*
	 * In position order, the first member met of a group is its first
	 * use: it takes the next number, later members look it up.
	 */
	e2e_sort(k, m, e2e_pos_cmp);
	num = mmap(NULL, (m ? m : 1) * sizeof(*num), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (num == MAP_FAILED) {
		munmap(k, sz);
		return;
	}
	memset(num, 0xff, (m ? m : 1) * sizeof(*num));
	for (i = 0; i < m; i++) {
		if (num[k[i].grp] == UINT32_MAX)
			num[k[i].grp] = g++;
		idx[k[i].pos] = num[k[i].grp];
	}
	munmap(num, (m ? m : 1) * sizeof(*num));
	munmap(k, sz);
}

static inline uint64_t e2e_kpageflags(uint64_t pfn)
{
	uint64_t v = 0;
	size_t i;

	if (e2e_kpf_fd < 0)
		return 0;
	if (pfn < e2e_kpf_base || pfn >= e2e_kpf_base + 1024) {
		ssize_t got = pread(e2e_kpf_fd, e2e_kpf_win, sizeof(e2e_kpf_win), pfn * 8);

		if (got < 8)
			return 0;
		memset((char *)e2e_kpf_win + got, 0, sizeof(e2e_kpf_win) - got);
		e2e_kpf_base = pfn;
	}
	for (i = 0; i < E2E_NKPF; i++)
		if (e2e_kpf_win[pfn - e2e_kpf_base] & (1ULL << e2e_kpf[i].bit))
			v |= 1ULL << i;
	return v;
}

static inline void e2e_flagstr(char *s, uint64_t e)
{
	s[0] = e & PM_PRESENT ? 'P' : '-';
	s[1] = e & PM_SWAP ? 'S' : '-';
	s[2] = e & PM_FILE ? 'F' : '-';
	s[3] = e & PM_EXCLUSIVE ? 'E' : '-';
	s[4] = e & PM_SOFT_DIRTY ? 'D' : '-';
	s[5] = e & PM_UFFD_WP ? 'W' : '-';
	s[6] = 0;
}

static inline void e2e_kpfstr(char *s, uint64_t k)
{
	size_t i, n = 0;

	for (i = 0; i < E2E_NKPF; i++)
		if (k & (1ULL << i))
			s[n++] = e2e_kpf[i].c;
	if (!n)
		s[n++] = '-';
	s[n] = 0;
}

static const char *const e2e_cat_names[] = {
	"WPALLOWED", "WRITTEN", "FILE", "PRESENT", "SWAPPED", "PFNZERO", "HUGE", "SOFT_DIRTY",
};

static inline void e2e_catstr(char *s, size_t sz, uint64_t c)
{
	size_t i, n = 0;

	s[0] = 0;
	for (i = 0; i < 8; i++)
		if (c & (1ULL << i))
			n += snprintf(s + n, sz - n, "%s%s", n ? "|" : "", e2e_cat_names[i]);
	if (!n)
		snprintf(s, sz, "none");
}

/* The frame part of a pagemap entry, as printed: number and kind. */
static inline void e2e_framestr(char *s, size_t sz, uint64_t e, uint32_t idx)
{
	if (!(e & PM_PRESENT) && (e & PM_SWAP) && E2E_SWP_IS_MARKER(e))
		snprintf(s, sz, "t%u:marker%llu", (unsigned int)PM_SWP_TYPE(e),
			 (unsigned long long)PM_SWP_OFFSET(e));
	else if (idx == UINT32_MAX)
		snprintf(s, sz, "-");
	else if (e & PM_PRESENT)
		snprintf(s, sz, "#%u", idx);
	else if (PM_SWP_TYPE(e) == 0)
		snprintf(s, sz, "swap#%u", idx);
	else
		snprintf(s, sz, "t%u#%u", (unsigned int)PM_SWP_TYPE(e), idx);
}

/*
 * Decode the pagemap of every region of the dump, run-length encoded:
 * consecutive pages with the same flags and kpageflags whose frame numbers
 * are all equal or count up by one are one line.
 */
static inline void e2e_dump_pagemap(void)
{
	size_t total = 0, off = 0, i, sz;
	uint64_t *pm, *kpf;
	uint32_t *idx;
	char *mem;
	int ri;

	for (ri = 0; ri < e2e_cur.nreg; ri++)
		total += e2e_cur.reg[ri].len / e2e_psize;
	sz = total * (8 + 8 + 4) + 64;
	mem = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		e2e_error("pagemap buffer");
		return;
	}
	memset(mem, 0, sz);
	pm = (uint64_t *)mem;
	kpf = pm + total;
	idx = (uint32_t *)(kpf + total);

	for (ri = 0; ri < e2e_cur.nreg; ri++) {
		struct e2e_region *r = &e2e_cur.reg[ri];
		size_t n = r->len / e2e_psize;
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/pagemap", r->pid ? r->pid : getpid());
		fd = open(path, O_RDONLY);
		if (fd < 0 || pread(fd, pm + off, n * 8, r->start / e2e_psize * 8) != (ssize_t)(n * 8))
			e2e_error("read %s for %s", path, r->label);
		if (fd >= 0)
			close(fd);
		off += n;
	}
	e2e_number(pm, idx, total);
	/* Frames change owners between dumps: never reuse an old window. */
	e2e_kpf_base = ~0ULL;
	for (i = 0; i < total; i++)
		if (pm[i] & PM_PRESENT)
			kpf[i] = e2e_kpageflags(pm[i] & PM_PFN_MASK);

	off = 0;
	for (ri = 0; ri < e2e_cur.nreg; ri++) {
		struct e2e_region *r = &e2e_cur.reg[ri];
		size_t n = r->len / e2e_psize, j, run;
		long cnt[6] = { 0 }, kcnt[E2E_NKPF] = { 0 };
		static const char *const cname[6] = {
			"present", "swap", "file", "exclusive", "softdirty", "uffdwp",
		};
		static const uint64_t cbit[6] = {
			PM_PRESENT, PM_SWAP, PM_FILE, PM_EXCLUSIVE, PM_SOFT_DIRTY, PM_UFFD_WP,
		};
		char key[96];
		size_t k;

		printf("PAGEMAP %s %s pages=%zu\n", e2e_who(r->pid), r->label, n);
		for (j = 0; j < n; j += run) {
			uint64_t e = pm[off + j], flags = e & ~PM_PFN_MASK;
			long stride = -1;
			char f[8], ks[16], fr[32], fr2[32];

			for (run = 1; j + run < n; run++) {
				uint64_t e2 = pm[off + j + run];
				uint32_t a = idx[off + j + run - 1], b = idx[off + j + run];
				long d;

				if ((e2 & ~PM_PFN_MASK) != flags ||
				    kpf[off + j + run] != kpf[off + j])
					break;
				/* Swap entries of another type are another kind. */
				if (!(e & PM_PRESENT) && (e & PM_SWAP) &&
				    PM_SWP_TYPE(e2) != PM_SWP_TYPE(e))
					break;
				if (a == UINT32_MAX && b == UINT32_MAX) {
					if (e2 != e)
						break;
					continue;
				}
				if (a == UINT32_MAX || b == UINT32_MAX)
					break;
				d = (long)b - (long)a;
				if (d != 0 && d != 1)
					break;
				if (stride < 0)
					stride = d;
				else if (d != stride)
					break;
			}
			e2e_flagstr(f, e);
			e2e_kpfstr(ks, kpf[off + j]);
			e2e_framestr(fr, sizeof(fr), e, idx[off + j]);
			if (run > 1 && idx[off + j] != UINT32_MAX && stride == 0)
				snprintf(fr2, sizeof(fr2), " same");
			else if (run > 1 && idx[off + j] != UINT32_MAX)
				snprintf(fr2, sizeof(fr2), "..%u", idx[off + j + run - 1]);
			else
				fr2[0] = 0;
			printf("  +0x%07zx n=%-6zu %s %s%s kpf=%s\n", j * e2e_psize, run, f, fr, fr2, ks);
		}
		for (j = 0; j < n; j++) {
			for (k = 0; k < 6; k++)
				if (pm[off + j] & cbit[k])
					cnt[k]++;
			for (k = 0; k < E2E_NKPF; k++)
				if (kpf[off + j] & (1ULL << k))
					kcnt[k]++;
		}
		for (k = 0; k < 6; k++) {
			snprintf(key, sizeof(key), "%s.pm.%s", r->label, cname[k]);
			if (cnt[k])
				e2e_fact(key, "%ld", cnt[k]);
		}
		for (k = 0; k < E2E_NKPF; k++) {
			snprintf(key, sizeof(key), "%s.kpf.%s", r->label, e2e_kpf[k].name);
			if (kcnt[k])
				e2e_fact(key, "%ld", kcnt[k]);
		}
		off += n;
	}
	/* Distinct frames over all regions of the dump. */
	{
		uint32_t distinct = 0;

		for (i = 0; i < total; i++)
			if (idx[i] != UINT32_MAX && idx[i] + 1 > distinct)
				distinct = idx[i] + 1;
		e2e_fact("frames", "%u", distinct);
	}
	munmap(mem, sz);
}

/* ---- PAGEMAP_SCAN ------------------------------------------------------- */

static inline long e2e_scan(int fd, unsigned long start, unsigned long end, uint64_t flags,
		     uint64_t mask, uint64_t anyof, uint64_t inverted, uint64_t ret_mask,
		     struct page_region *vec, size_t vec_len, uint64_t *walk_end)
{
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.flags = flags,
		.start = start,
		.end = end,
		.vec = (uintptr_t)vec,
		.vec_len = vec_len,
		.category_mask = mask,
		.category_anyof_mask = anyof,
		.category_inverted = inverted,
		.return_mask = ret_mask,
	};
	long ret = ioctl(fd, PAGEMAP_SCAN, &arg);

	*walk_end = arg.walk_end;
	return ret;
}

/*
 * Print the PAGEMAP_SCAN view of a region: with no category filter and
 * every category returned, the regions the ioctl reports tile the range.
 * The vector is small on purpose, so that resuming at walk_end is used.
 */
static inline void e2e_scan_print(const char *what, int fd, const struct e2e_region *r,
			   uint64_t flags, uint64_t mask, uint64_t anyof,
			   uint64_t inverted, uint64_t ret_mask)
{
	static struct page_region vec[64];
	unsigned long start = r->start, end = r->start + r->len;
	long pages[8] = { 0 };
	char key[96], cs[128];
	int calls = 0;
	size_t k;

	printf("SCAN %s %s%s%s\n", e2e_who(r->pid), r->label, *what ? " " : "", what);
	while (start < end && calls++ < 100000) {
		uint64_t walk_end = 0;
		long n = e2e_scan(fd, start, end, flags, mask, anyof, inverted, ret_mask,
				  vec, 64, &walk_end);
		long i;

		if (n < 0) {
			printf("  error %d %s\n", errno, strerror(errno));
			return;
		}
		for (i = 0; i < n; i++) {
			e2e_catstr(cs, sizeof(cs), vec[i].categories);
			printf("  +0x%07lx..+0x%07lx %s\n", (unsigned long)(vec[i].start - r->start),
			       (unsigned long)(vec[i].end - r->start), cs);
			for (k = 0; k < 8; k++)
				if (vec[i].categories & (1ULL << k))
					pages[k] += (vec[i].end - vec[i].start) / e2e_psize;
		}
		if (walk_end <= start || walk_end > end) {
			printf("  walk_end +0x%lx\n", (unsigned long)(walk_end - r->start));
			break;
		}
		start = walk_end;
	}
	for (k = 0; k < 8; k++) {
		if (!pages[k])
			continue;
		snprintf(key, sizeof(key), "%s.scan.%s%s%s", r->label, what,
			 *what ? "." : "", e2e_cat_names[k]);
		e2e_fact(key, "%ld", pages[k]);
	}
}

static inline void e2e_dump_scan(void)
{
	int ri;

	for (ri = 0; ri < e2e_cur.nreg; ri++) {
		struct e2e_region *r = &e2e_cur.reg[ri];
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/pagemap", r->pid ? r->pid : getpid());
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			e2e_error("open %s", path);
			continue;
		}
		e2e_scan_print("", fd, r, 0, 0, 0, 0, PAGE_IS_ALL);
		close(fd);
	}
}

/*
 * The whole report for the regions registered so far.  STEP names the
 * dump when a case dumps more than once.  smaps_rollup is read first,
 * before the dump maps its own scratch memory.
 */
static inline void e2e_dump(const char *step)
{
	pid_t pids[E2E_MAX_REGIONS];
	int np = 0, i, j;

	e2e_cur.step = step;
	fflush(stdout);
	if (step)
		printf("STEP %s\n", step);
	for (i = 0; i < e2e_cur.nreg; i++) {
		for (j = 0; j < np; j++)
			if (pids[j] == e2e_cur.reg[i].pid)
				break;
		if (j == np)
			pids[np++] = e2e_cur.reg[i].pid;
	}
	memset(&e2e_sm, 0, sizeof(e2e_sm));
	for (j = 0; j < np; j++) {
		if (e2e_cur.no_rollup)
			printf("ROLLUP %s not printed\n", e2e_who(pids[j]));
		else
			e2e_dump_rollup(pids[j]);
		e2e_dump_smaps(pids[j]);
		e2e_dump_numa(pids[j]);
	}
	for (i = 0; i < e2e_cur.nreg; i++) {
		for (j = 0; j < e2e_sm.n; j++) {
			char key[96];

			/* Page sizes are no amounts: summing them says nothing. */
			if (!e2e_sm.val[i][j] || strstr(e2e_sm.key[j], "PageSize"))
				continue;
			snprintf(key, sizeof(key), "%s.smaps.%s", e2e_cur.reg[i].label, e2e_sm.key[j]);
			e2e_fact(key, "%ld", e2e_sm.val[i][j]);
		}
	}
	e2e_dump_pagemap();
	e2e_dump_scan();
	e2e_cur.step = NULL;
	fflush(stdout);
}

#endif /* E2E_H */
