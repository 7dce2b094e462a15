// SPDX-License-Identifier: GPL-2.0
/*
 * workload.c - the catalogue of mappings the /proc end-to-end test compares.
 *
 * Each case builds one kind of mapping in this process (or in a forked
 * child), prints what /proc reports for it through e2e_dump() between
 * "CASE name" and "END name", and tears it down, so that a difference
 * between a stock and a converted kernel points at one case.  A case whose
 * feature the kernel lacks prints "SKIP name: reason" instead; the reason
 * must not vary between boots.
 *
 * Run as root (the initramfs's /init): PFNs in pagemap, MADV_HWPOISON,
 * /proc/kpageflags and the sysfs knobs need it.  Arguments, if any, name
 * the cases to run.
 */
#include "e2e.h"

#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define MAP_HUGE(log2)	((int)((unsigned int)(log2) << 26))	/* MAP_HUGE_SHIFT */

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON	100
#endif

/*
 * userfaultfd uapi of Linux 6.12 (include/uapi/linux/userfaultfd.h) that
 * the build hosts' headers lack or may lack.
 */
#define UFFD_API			((uint64_t)0xAA)
#define UFFD_USER_MODE_ONLY		1
#define UFFD_FEATURE_WP_HUGETLBFS_SHMEM	(1 << 12)
#define UFFD_FEATURE_WP_UNPOPULATED	(1 << 13)
#define UFFD_FEATURE_WP_ASYNC		(1 << 15)
#define UFFDIO_REGISTER_MODE_WP		((uint64_t)1 << 1)
#define UFFDIO_WRITEPROTECT_MODE_WP	((uint64_t)1 << 0)
struct e2e_uffdio_api { uint64_t api, features, ioctls; };
struct e2e_uffdio_range { uint64_t start, len; };
struct e2e_uffdio_register { struct e2e_uffdio_range range; uint64_t mode, ioctls; };
struct e2e_uffdio_writeprotect { struct e2e_uffdio_range range; uint64_t mode; };
#define UFFDIO_API		_IOWR(0xAA, 0x3F, struct e2e_uffdio_api)
#define UFFDIO_REGISTER		_IOWR(0xAA, 0x00, struct e2e_uffdio_register)
#define UFFDIO_WRITEPROTECT	_IOWR(0xAA, 0x06, struct e2e_uffdio_writeprotect)

/*
 * test_hmm uapi, copied from lib/test_hmm_uapi.h of Linux 6.12: only the
 * command structure and the two ioctls the device-private cases use.
 */
struct hmm_dmirror_cmd {
	uint64_t addr;
	uint64_t ptr;
	uint64_t npages;
	uint64_t cpages;
	uint64_t faults;
};
#define HMM_DMIRROR_MIGRATE_TO_DEV	_IOWR('H', 0x02, struct hmm_dmirror_cmd)
#define HMM_DMIRROR_EXCLUSIVE		_IOWR('H', 0x05, struct hmm_dmirror_cmd)

#define THP "/sys/kernel/mm/transparent_hugepage"

/*
 * Sizes by role, from the running kernel (e2e_geo of e2e.h): ps a page,
 * pmd what a PMD maps (HPAGE_PMD_SIZE: 2M with 4K pages, 32M with 16K,
 * 512M with 64K), mthp a large folio of E2E_MTHP_PAGES pages.  A region of
 * "N * ps" means N pages on every granule, one of "pmd" a PMD.
 */
static size_t ps, pmd, mthp;
static const char *tmpdir = "/tmp";

/* ---- helpers ------------------------------------------------------------ */

static int have_swap(void)
{
	char *nl;

	if (e2e_read_file("/proc/swaps") < 0)
		return 0;
	nl = strchr(e2e_buf, '\n');
	return nl && nl[1];
}

/* Whether a sysfs "[selected]" knob selects one of the given words. */
static int knob_is(const char *path, const char *a, const char *b)
{
	char wa[32], wb[32];

	if (e2e_read_file(path) < 0)
		return 0;
	snprintf(wa, sizeof(wa), "[%s]", a);
	snprintf(wb, sizeof(wb), "[%s]", b ? b : a);
	return strstr(e2e_buf, wa) || strstr(e2e_buf, wb);
}

static int thp_usable(void)
{
	if (!knob_is(THP "/enabled", "always", "madvise")) {
		e2e_skip("THP disabled (" THP "/enabled)");
		return 0;
	}
	return 1;
}

static long hugetlb_free(unsigned long kb)
{
	char path[96];

	if (!kb)
		return -1;
	snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/hugepages-%lukB/free_hugepages", kb);
	return e2e_read_long(path);
}

/* The hugetlb size of ROLE (E2E_HUGE_*) in bytes, 0 if the kernel has none. */
static size_t hugetlb_size(int role)
{
	return (size_t)e2e_geo.huge_kb[role] << 10;
}

/*
 * Whether NEED pages of the ROLE hugetlb size are free; if not, skip with
 * what is missing: the size itself (the kernel has none of that role),
 * the memory (a page larger than the machine), or the pool.
 */
static int hugetlb_usable(int role, long need)
{
	static const char *const name[E2E_NHUGE] = {
		[E2E_HUGE_CONTPTE] = "contiguous-PTE", [E2E_HUGE_PMD] = "PMD-size",
		[E2E_HUGE_CONTPMD] = "contiguous-PMD", [E2E_HUGE_PUD] = "PUD-size",
	};
	unsigned long kb = e2e_geo.huge_kb[role];
	const char *what = name[role];
	long n = hugetlb_free(kb);

	if (!kb && (role == E2E_HUGE_CONTPTE || role == E2E_HUGE_CONTPMD)) {
		e2e_skip("the kernel has no %s hugetlb size, none between %s (hugetlb sizes: %s)",
			 what, role == E2E_HUGE_CONTPTE ? "the page and the PMD size" :
			 "the PMD and the PUD size", e2e_geo.hsize_list);
		return 0;
	}
	if (!kb) {
		e2e_skip("the kernel has no %s (%lukB) hugetlb size (hugetlb sizes: %s)", what,
			 role == E2E_HUGE_PMD ? e2e_geo.pmd_kb : e2e_geo.pud_kb, e2e_geo.hsize_list);
		return 0;
	}
	if (n < need && (double)kb * 1024 * need > (double)sysconf(_SC_PHYS_PAGES) * ps) {
		e2e_skip("%ld %s hugetlb page(s) of %lukB need more memory than the machine has",
			 need, what, kb);
		return 0;
	}
	if (n < 0) {
		e2e_skip("no %lukB hugetlb pool (hugepagesz= on the command line)", kb);
		return 0;
	}
	if (n < need) {
		e2e_skip("%ld free %lukB hugetlb pages, need %ld (hugepages= on the command line)",
			 n, kb, need);
		return 0;
	}
	return 1;
}

static int ilog2(unsigned long v)
{
	int l = -1;

	while (v) {
		v >>= 1;
		l++;
	}
	return l;
}

static char *hugetlb_map(const char *label, unsigned long size, int npages, int flags)
{
	char *p = e2e_map(label, npages * size, size, PROT_READ | PROT_WRITE,
			  flags | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE(ilog2(size)), -1, 0);

	if (!p)
		e2e_error("mmap %s", label);
	return p;
}

static int tmpfile_fill(const char *name, size_t len)
{
	char path[256], *buf;
	int fd;

	snprintf(path, sizeof(path), "%s/e2e", tmpdir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/e2e/%s", tmpdir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		e2e_error("create %s", path);
		return -1;
	}
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		close(fd);
		return -1;
	}
	e2e_fill(buf, len, 7);
	if (write(fd, buf, len) != (ssize_t)len)
		e2e_error("write %s", path);
	munmap(buf, len);
	return e2e_track_fd(fd);
}

static int memfd(const char *name, size_t len)
{
	int fd = memfd_create(name, 0);

	if (fd < 0 || ftruncate(fd, len)) {
		e2e_error("memfd %s", name);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return e2e_track_fd(fd);
}

/*
 * MADV_PAGEOUT drains only this CPU's LRU batches, and the workload is
 * pinned to one CPU, so the pages a case just faulted are reclaimable.
 */
static int pageout(void *p, size_t len)
{
	if (madvise(p, len, MADV_PAGEOUT)) {
		e2e_error("MADV_PAGEOUT");
		return -1;
	}
	return 0;
}

/* ---- anonymous memory ---------------------------------------------------- */

static void case_anon_touched(void)
{
	char *p = e2e_anon("anon_touched", 16 * ps, 0);

	if (!p)
		return;
	e2e_fill(p, 8 * ps, 1);
	e2e_dump(NULL);
}

static void case_anon_untouched(void)
{
	if (!e2e_anon("anon_untouched", 16 * ps, 0))
		return;
	e2e_dump(NULL);
}

/* Read faults on private anonymous memory map the shared zero page. */
static void case_anon_zero(void)
{
	char *p = e2e_anon("anon_zero", 16 * ps, 0);

	if (!p)
		return;
	e2e_touch_read(p, 12 * ps);
	p[13 * ps] = 1;
	e2e_dump(NULL);
}

/* mprotect in the middle splits one mapping into three VMAs. */
static void case_anon_mprotect(void)
{
	char *p = e2e_anon("anon_mprotect", 16 * ps, 0);

	if (!p)
		return;
	e2e_fill(p, 16 * ps, 2);
	if (mprotect(p + 4 * ps, 4 * ps, PROT_READ))
		e2e_error("mprotect");
	e2e_dump(NULL);
}

/*
 * MADV_FREE makes pages lazily freeable; the flag smaps counts (LazyFree)
 * is applied when this CPU's lazyfree batch drains, which MADV_PAGEOUT of
 * an unrelated page forces, so it does not depend on timing.
 */
static void case_anon_lazyfree(void)
{
	char *p = e2e_anon("anon_lazyfree", 16 * ps, 0);
	char *d;

	if (!p)
		return;
	d = mmap(NULL, ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d == MAP_FAILED) {
		e2e_error("mmap");
		return;
	}
	e2e_track_map(d, ps);
	e2e_fill(p, 16 * ps, 3);
	if (madvise(p + 4 * ps, 8 * ps, MADV_FREE)) {
		e2e_error("MADV_FREE");
		return;
	}
	pageout(d, ps);
	e2e_dump(NULL);
}

static void case_anon_swap(void)
{
	char *p;

	if (!have_swap()) {
		e2e_skip("no swap device (zram swapon failed)");
		return;
	}
	p = e2e_anon("anon_swap", 16 * ps, 0);
	if (!p)
		return;
	e2e_fill(p, 16 * ps, 4);
	pageout(p + 4 * ps, 8 * ps);
	e2e_dump(NULL);
}

/* ---- files and shmem ----------------------------------------------------- */

/* A private file mapping: read faults map the page cache, writes CoW it. */
static void case_file_private(void)
{
	int fd = tmpfile_fill("file_private", 32 * ps);
	char *p;

	if (fd < 0)
		return;
	p = e2e_map("file_private", 32 * ps, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (!p) {
		e2e_error("mmap file_private");
		return;
	}
	e2e_touch_read(p, 12 * ps);
	e2e_fill(p + 4 * ps, 4 * ps, 8);
	e2e_fill(p + 20 * ps, 2 * ps, 9);
	e2e_dump(NULL);
}

static void case_file_shared(void)
{
	int fd = tmpfile_fill("file_shared", 32 * ps);
	char *p;

	if (fd < 0)
		return;
	p = e2e_map("file_shared", 32 * ps, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!p) {
		e2e_error("mmap file_shared");
		return;
	}
	e2e_touch_read(p, 4 * ps);
	e2e_fill(p + 20 * ps, 4 * ps, 10);
	e2e_dump(NULL);
}

static void case_shmem(void)
{
	int fd = memfd("e2e_shmem", 32 * ps);
	char *p;

	if (fd < 0)
		return;
	p = e2e_map("shmem", 32 * ps, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!p) {
		e2e_error("mmap shmem");
		return;
	}
	e2e_fill(p, 16 * ps, 11);
	e2e_touch_read(p + 24 * ps, 2 * ps);
	e2e_dump(NULL);
}

static void case_shmem_swap(void)
{
	int fd;
	char *p;

	if (!have_swap()) {
		e2e_skip("no swap device (zram swapon failed)");
		return;
	}
	fd = memfd("e2e_shmem_swap", 32 * ps);
	if (fd < 0)
		return;
	p = e2e_map("shmem_swap", 32 * ps, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!p) {
		e2e_error("mmap shmem_swap");
		return;
	}
	e2e_fill(p, 24 * ps, 12);
	pageout(p + 8 * ps, 16 * ps);
	e2e_dump(NULL);
}

/*
 * A busy loop pinned to CPU, in a child: whoever else runs on that CPU
 * gets need_resched() set at the end of its slice, also in the kernel.
 */
static pid_t cpu_hog(int cpu)
{
	volatile unsigned long spin = 0;
	cpu_set_t set;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid)
		return pid;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (;;)
		spin++;
}

#define PSWAP_PAGES	4096
#define PSWAP_STRIPE	512
#define PSWAP_READS	400
#define PSWAP_MS	5000

/*
 * A private writable mapping of a shmem file whose pages are in swap:
 * the one kind of mapping whose holes smaps looks into, since only the
 * walk can tell the file's swapped pages from the mapping's CoW pages.
 * The swap of a hole is counted by shmem_partial_swap_usage(), which
 * walks the file's xarray under rcu_read_lock() and, for a range of more
 * than one page, reschedules in it when need_resched() is set: it must
 * not run under the PTE lock.  Stock calls it under the lock for one page
 * at a time, where it never reschedules; a walker that calls it once for
 * a run of empty PTEs must do so without the lock.
 *
 * So the file (PSWAP_PAGES pages, compressible: a quarter of the pages
 * of zram) is filled through a shared mapping and paged out from there,
 * and the private mapping gets two read faults and two write faults (CoW)
 * in each stripe of PSWAP_STRIPE pages (a PTE table with 4K pages, part of
 * one with 16K and 64K), leaving runs of some 127 empty PTEs over swapped
 * pages.  Its smaps is then read over and over (up to PSWAP_READS times,
 * for at most PSWAP_MS) while a busy child shares the CPU, so that
 * need_resched() gets set while the reader is in such a run:
 * a converted walker that holds the lock there splats in the run's
 * dmesg ("BUG: sleeping function called from invalid context").  The
 * child is gone before the dump, which compares the counts themselves.
 */
static void case_shmem_private_swap(void)
{
	const size_t len = PSWAP_PAGES * ps, tbl = PSWAP_STRIPE;
	struct timespec t0, t;
	char *s, *p;
	size_t i;
	int fd, n;
	pid_t hog;

	if (!have_swap()) {
		e2e_skip("no swap device (zram swapon failed)");
		return;
	}
	fd = memfd("e2e_shmem_private_swap", len);
	if (fd < 0)
		return;
	s = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED) {
		e2e_error("mmap the shared view");
		return;
	}
	e2e_fill(s, len, 23);
	pageout(s, len);
	munmap(s, len);
	/* PMD-aligned: the stripes lie in PTE tables as they do with 4K pages. */
	p = e2e_map("shmem_private_swap", len, pmd, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE, fd, 0);
	if (!p) {
		e2e_error("mmap shmem_private_swap");
		return;
	}
	for (i = 0; i < PSWAP_PAGES; i += tbl) {
		e2e_touch_read(p + i * ps, ps);
		e2e_touch_read(p + (i + tbl / 2) * ps, ps);
		p[(i + tbl / 4) * ps] = 1;
		p[(i + 3 * tbl / 4) * ps] = 1;
	}
	/* Both on CPU 0, where e2e_init() pinned this process already. */
	hog = cpu_hog(0);
	if (hog < 0) {
		e2e_error("fork");
		return;
	}
	/*
	 * However many reads fit the time: the reads change nothing that
	 * the dump prints, so their number need not be reproducible.
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0; n < PSWAP_READS; n++) {
		if (e2e_read_file("/proc/self/smaps") < 0) {
			e2e_error("read smaps");
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >= PSWAP_MS)
			break;
	}
	kill(hog, SIGKILL);
	waitpid(hog, NULL, 0);
	e2e_dump(NULL);
}

/* shmem THP: shmem_enabled=advise and MADV_HUGEPAGE give a PMD mapping. */
static void case_shmem_thp(void)
{
	char path[96], *p;
	int fd;

	if (!knob_is(THP "/shmem_enabled", "always", "advise")) {
		e2e_skip("shmem THP disabled (" THP "/shmem_enabled)");
		return;
	}
	/*
	 * The page cache caps folios at MAX_PAGECACHE_ORDER, below the PMD
	 * order with 64K pages (512M): no shmem_enabled knob of that size.
	 */
	snprintf(path, sizeof(path), THP "/hugepages-%lukB/shmem_enabled", e2e_geo.pmd_kb);
	if (access(path, F_OK)) {
		e2e_skip("the kernel has no PMD-size (%lukB) shmem THP: page cache folios stop "
			 "below the PMD order (no %s)", e2e_geo.pmd_kb, path);
		return;
	}
	fd = memfd("e2e_shmem_thp", 2 * pmd);
	if (fd < 0)
		return;
	p = e2e_map("shmem_thp", 2 * pmd, pmd, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!p) {
		e2e_error("mmap shmem_thp");
		return;
	}
	if (madvise(p, 2 * pmd, MADV_HUGEPAGE))
		e2e_error("MADV_HUGEPAGE");
	p[0] = 1;
	p[pmd + 5 * ps] = 1;
	e2e_dump(NULL);
}

/* ---- transparent huge pages ---------------------------------------------- */

static char *thp_region(const char *label, size_t len)
{
	char *p = e2e_anon(label, len, pmd);

	if (p && madvise(p, len, MADV_HUGEPAGE)) {
		e2e_error("MADV_HUGEPAGE");
		return NULL;
	}
	return p;
}

static void case_thp_pmd(void)
{
	char *p;

	if (!thp_usable())
		return;
	p = thp_region("thp_pmd", 2 * pmd);
	if (!p)
		return;
	/* One write faults the whole first PMD in as one PMD-mapped THP. */
	p[0] = 1;
	p[3 * ps] = 2;
	e2e_dump(NULL);
}

/* A read fault in a MADV_HUGEPAGE region maps the huge zero page. */
static void case_thp_zero(void)
{
	char *p;

	if (!thp_usable())
		return;
	if (e2e_read_long(THP "/use_zero_page") != 1) {
		e2e_skip("huge zero page disabled (" THP "/use_zero_page)");
		return;
	}
	p = thp_region("thp_zero", 2 * pmd);
	if (!p)
		return;
	e2e_touch_read(p, ps);
	e2e_dump(NULL);
}

/*
 * mTHP: with the mTHP size of E2E_MTHP_PAGES pages (64K with 4K pages, 1M
 * with 64K) enabled for MADV_HUGEPAGE regions (setup.sh), a fault in a
 * region too small for a PMD maps such a folio with 16 PTEs.
 */
static void case_mthp(void)
{
	char path[96];
	char *p;

	if (!thp_usable())
		return;
	snprintf(path, sizeof(path), THP "/hugepages-%lukB", e2e_geo.mthp_kb);
	if (access(path, F_OK)) {
		e2e_skip("the kernel has no %lukB (%d-page) mTHP size (no %s)", e2e_geo.mthp_kb,
			 E2E_MTHP_PAGES, path);
		return;
	}
	snprintf(path, sizeof(path), THP "/hugepages-%lukB/enabled", e2e_geo.mthp_kb);
	if (!knob_is(path, "always", "madvise")) {
		e2e_skip("%lukB mTHP not enabled (%s)", e2e_geo.mthp_kb, path);
		return;
	}
	p = e2e_anon("mthp", 8 * mthp, mthp);
	if (!p)
		return;
	if (madvise(p, 8 * mthp, MADV_HUGEPAGE))
		e2e_error("MADV_HUGEPAGE");
	p[0] = 1;
	p[2 * mthp + 3 * ps] = 1;
	e2e_touch_read(p + 4 * mthp, ps);
	e2e_dump(NULL);
}

/*
 * A PMD THP whose PMD is split by mprotect of part of it and by partial
 * munmap: the folio stays large but is mapped by PTEs.
 */
static void case_thp_pte_mapped(void)
{
	char *p;

	if (!thp_usable())
		return;
	p = thp_region("thp_pte_mapped", 2 * pmd);
	if (!p)
		return;
	p[0] = 1;
	if (mprotect(p + pmd / 2, 16 * ps, PROT_READ))
		e2e_error("mprotect");
	if (munmap(p + pmd - 16 * ps, 16 * ps))
		e2e_error("munmap");
	e2e_dump(NULL);
}

/* mremap of a PMD THP to an address that is not PMD aligned. */
static void case_thp_mremap(void)
{
	char *p, *dst, *q;

	if (!thp_usable())
		return;
	p = thp_region("thp_mremap", pmd);
	if (!p)
		return;
	p[0] = 1;
	/* A PMD-aligned reservation; the THP lands one page past its start. */
	dst = e2e_map("thp_mremap_dst", 2 * pmd, pmd, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (!dst) {
		e2e_error("reserve");
		return;
	}
	/*
	 * Report neither the source (empty after the move) nor the whole
	 * reservation: the THP is registered again where it lands.
	 */
	e2e_cur.nreg -= 2;
	q = mremap(p, pmd, pmd, MREMAP_MAYMOVE | MREMAP_FIXED, dst + ps);
	if (q == MAP_FAILED) {
		e2e_error("mremap");
		return;
	}
	e2e_region("thp_mremap", q, pmd);
	e2e_dump(NULL);
}

/* ---- fork ----------------------------------------------------------------- */

/*
 * After fork, parent and child share the anonymous pages and a THP
 * read-only; the parent's writes then break CoW for part of them.  Both
 * views are printed by the parent in one dump, so frame numbers show the
 * sharing; the child only waits.
 */
static void case_fork_cow(void)
{
	int pfd[2], thp = knob_is(THP "/enabled", "always", "madvise");
	char *p, *h = NULL, c;
	pid_t pid;

	p = e2e_anon("cow", 16 * ps, 0);
	if (!p)
		return;
	e2e_fill(p, 16 * ps, 13);
	if (thp) {
		h = thp_region("cow_thp", pmd);
		if (!h)
			return;
		h[0] = 1;
	}
	if (pipe(pfd)) {
		e2e_error("pipe");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		e2e_error("fork");
		return;
	}
	if (!pid) {
		close(pfd[1]);
		while (read(pfd[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(pfd[0]);
	e2e_track_fd(pfd[1]);
	e2e_track_kid(pid);
	if (e2e_wait_sleeping(pid))
		e2e_error("child never blocked");
	e2e_region_pid("cow_child", p, 16 * ps, pid);
	if (h)
		e2e_region_pid("cow_thp_child", h, pmd, pid);
	e2e_dump("after_fork");
	e2e_fill(p, 4 * ps, 14);
	if (h)
		h[pmd / 2] = 2;
	e2e_dump("after_cow");
}

/* ---- hugetlb --------------------------------------------------------------- */

/*
 * NPAGES hugetlb pages of ROLE's size, the first TOUCH of them faulted in.
 * MAP_NORESERVE: the pages never touched need not be in the pool, so a
 * pool of a large size (512M on 64K pages) holds what the case needs.
 */
static void hugetlb_case(const char *label, int role, int npages, int touch)
{
	size_t size = hugetlb_size(role);
	char *p;
	int i;

	if (!hugetlb_usable(role, touch))
		return;
	p = hugetlb_map(label, size, npages, MAP_PRIVATE | MAP_NORESERVE);
	if (!p)
		return;
	for (i = 0; i < touch; i++)
		p[i * size + 3 * ps] = 1;
	e2e_dump(NULL);
}

/*
 * A private anonymous and a shared hugetlbfs file mapping of PMD-size
 * hugetlb pages (2M with 4K pages, 512M with 64K), two pages each, one of
 * each faulted in (MAP_NORESERVE, as in hugetlb_case()).
 */
static void case_hugetlb_pmd(void)
{
	size_t size = hugetlb_size(E2E_HUGE_PMD);
	struct statfs sfs;
	char *p, *f;
	int fd;

	if (!hugetlb_usable(E2E_HUGE_PMD, 2))
		return;
	p = hugetlb_map("hugetlb_pmd", size, 2, MAP_PRIVATE | MAP_NORESERVE);
	if (!p)
		return;
	p[5 * ps] = 1;
	fd = e2e_track_fd(open("/mnt/huge/e2e_hugetlb", O_RDWR | O_CREAT | O_TRUNC, 0600));
	if (fd >= 0)
		unlink("/mnt/huge/e2e_hugetlb");
	if (fd < 0 || fstatfs(fd, &sfs) || (size_t)sfs.f_bsize != size) {
		printf("  no hugetlbfs file: /mnt/huge is not a hugetlbfs mount of %zukB pages\n",
		       size >> 10);
	} else {
		f = e2e_map("hugetlb_file", 2 * size, size, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_NORESERVE, fd, 0);
		if (!f)
			e2e_error("mmap hugetlbfs file");
		else
			f[size] = 1;
	}
	e2e_dump(NULL);
}

/* PUD-size hugetlb: 1G with 4K pages; arm64 has none with 16K and 64K. */
static void case_hugetlb_pud(void)
{
	hugetlb_case("hugetlb_pud", E2E_HUGE_PUD, 1, 1);
}

/*
 * arm64's contiguous hugetlb sizes: contiguous PTEs (64K with 4K pages, 2M
 * with 16K and 64K) and contiguous PMDs (32M with 4K pages, 1G with 16K,
 * 16G with 64K).
 */
static void case_hugetlb_contpte(void)
{
	hugetlb_case("hugetlb_contpte", E2E_HUGE_CONTPTE, 4, 2);
}

static void case_hugetlb_contpmd(void)
{
	hugetlb_case("hugetlb_contpmd", E2E_HUGE_CONTPMD, 2, 1);
}

/* ---- hwpoison ---------------------------------------------------------- */

/*
 * MADV_HWPOISON poisons one page: its PTE becomes a hwpoison swap entry.
 * The poisoned frame is lost for the rest of the boot.
 */
static volatile sig_atomic_t sigbus_seen;

static void on_sigbus(int sig)
{
	(void)sig;
	sigbus_seen++;
}

static void case_hwpoison(void)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	char *p = e2e_anon("hwpoison", 8 * ps, 0);
	int ret, err;

	if (!p)
		return;
	e2e_fill(p, 4 * ps, 15);
	/*
	 * madvise injects the error as "action required": the kernel sends
	 * the injecting task SIGBUS (BUS_MCEERR_AR) right away.  Catch it.
	 */
	sigaction(SIGBUS, &sa, &old);
	sigbus_seen = 0;
	ret = madvise(p + ps, ps, MADV_HWPOISON);
	err = errno;
	sigaction(SIGBUS, &old, NULL);
	if (ret) {
		errno = err;
		if (err == EINVAL || err == EPERM) {
			e2e_skip("MADV_HWPOISON unsupported (errno %d: CONFIG_MEMORY_FAILURE, CAP_SYS_ADMIN)", err);
			return;
		}
		e2e_error("MADV_HWPOISON");
		return;
	}
	e2e_fact("hwpoison.sigbus", "%d", (int)sigbus_seen);
	e2e_dump(NULL);
}

/* ---- userfaultfd write protection ----------------------------------------- */

static int uffd_open(uint64_t features)
{
	struct e2e_uffdio_api api = { .api = UFFD_API, .features = features };
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);

	if (fd < 0) {
		e2e_skip("userfaultfd unavailable (errno %d)", errno);
		return -1;
	}
	if (ioctl(fd, UFFDIO_API, &api)) {
		e2e_skip("UFFDIO_API features 0x%llx refused (errno %d)",
			 (unsigned long long)features, errno);
		close(fd);
		return -1;
	}
	return e2e_track_fd(fd);
}

static int uffd_wp(int fd, void *p, size_t len, size_t wp_len)
{
	struct e2e_uffdio_register reg = {
		.range = { (uintptr_t)p, len }, .mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct e2e_uffdio_writeprotect wp = {
		.range = { (uintptr_t)p, wp_len }, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	if (ioctl(fd, UFFDIO_REGISTER, &reg)) {
		e2e_error("UFFDIO_REGISTER");
		return -1;
	}
	if (wp_len && ioctl(fd, UFFDIO_WRITEPROTECT, &wp)) {
		e2e_error("UFFDIO_WRITEPROTECT");
		return -1;
	}
	return 0;
}

/*
 * Synchronous uffd-wp on populated and unpopulated ranges of anonymous
 * memory, shmem and hugetlb: populated PTEs carry the uffd-wp bit, the
 * unpopulated ones get PTE markers (WP_UNPOPULATED for anonymous memory,
 * WP_HUGETLBFS_SHMEM for shmem and hugetlb).  Nothing writes afterwards,
 * so no fault handler is needed.
 */
static void case_uffd_wp(void)
{
	int fd, mfd, hugetlb = hugetlb_free(e2e_geo.huge_kb[E2E_HUGE_PMD]) >= 2;
	size_t hsz = hugetlb_size(E2E_HUGE_PMD);
	char *a, *s, *h;

	fd = uffd_open(UFFD_FEATURE_WP_HUGETLBFS_SHMEM | UFFD_FEATURE_WP_UNPOPULATED);
	if (fd < 0)
		return;
	a = e2e_anon("uffd_anon", 16 * ps, 0);
	mfd = memfd("e2e_uffd_shmem", 16 * ps);
	if (!a || mfd < 0)
		return;
	s = e2e_map("uffd_shmem", 16 * ps, 0, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (!s) {
		e2e_error("mmap uffd_shmem");
		return;
	}
	e2e_fill(a, 8 * ps, 16);
	e2e_fill(s, 8 * ps, 17);
	if (uffd_wp(fd, a, 16 * ps, 12 * ps) || uffd_wp(fd, s, 16 * ps, 12 * ps))
		return;
	if (hugetlb) {
		h = hugetlb_map("uffd_hugetlb", hsz, 2, MAP_PRIVATE);
		if (!h)
			return;
		h[0] = 1;
		if (uffd_wp(fd, h, 2 * hsz, 2 * hsz))
			return;
	} else {
		printf("  no hugetlb part: fewer than 2 free PMD-size (%lukB) hugetlb pages\n",
		       e2e_geo.pmd_kb);
	}
	e2e_dump(NULL);
}

/*
 * Asynchronous uffd-wp driven by PAGEMAP_SCAN with PM_SCAN_WP_MATCHING,
 * the way CRIU-style trackers use it: protect everything, write a few
 * pages, and ask which pages were written since.
 */
static void case_pagemap_scan_wp(void)
{
	int fd, mfd, pm, i, hugetlb = hugetlb_free(e2e_geo.huge_kb[E2E_HUGE_PMD]) >= 2;
	size_t hsz = hugetlb_size(E2E_HUGE_PMD);
	char *a, *s, *h = NULL;
	const uint64_t f = PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC;

	fd = uffd_open(UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED |
		       UFFD_FEATURE_WP_HUGETLBFS_SHMEM);
	if (fd < 0)
		return;
	a = e2e_anon("wp_anon", 32 * ps, 0);
	mfd = memfd("e2e_wp_shmem", 16 * ps);
	if (!a || mfd < 0)
		return;
	s = e2e_map("wp_shmem", 16 * ps, 0, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (!s) {
		e2e_error("mmap wp_shmem");
		return;
	}
	e2e_fill(a, 16 * ps, 18);
	e2e_fill(s, 4 * ps, 19);
	if (uffd_wp(fd, a, 32 * ps, 0) || uffd_wp(fd, s, 16 * ps, 0))
		return;
	if (hugetlb) {
		h = hugetlb_map("wp_hugetlb", hsz, 2, MAP_PRIVATE);
		if (!h)
			return;
		h[0] = 1;
		if (uffd_wp(fd, h, 2 * hsz, 0))
			return;
	} else {
		printf("  no hugetlb part: fewer than 2 free PMD-size (%lukB) hugetlb pages\n",
		       e2e_geo.pmd_kb);
	}
	pm = e2e_track_fd(open("/proc/self/pagemap", O_RDONLY));
	if (pm < 0) {
		e2e_error("open pagemap");
		return;
	}
	/* Round 1 reports everything as written and protects it all. */
	for (i = 0; i < e2e_cur.nreg; i++)
		e2e_scan_print("round1", pm, &e2e_cur.reg[i], f, PAGE_IS_WRITTEN, 0, 0,
			       PAGE_IS_WRITTEN);
	a[3 * ps] = 1;
	a[4 * ps] = 1;
	a[20 * ps] = 1;
	s[2 * ps] = 1;
	s[9 * ps] = 1;
	if (h)
		h[hsz + 1] = 1;
	/* Round 2 reports just the pages written above; round 3 nothing. */
	for (i = 0; i < e2e_cur.nreg; i++)
		e2e_scan_print("round2", pm, &e2e_cur.reg[i], f, PAGE_IS_WRITTEN, 0, 0,
			       PAGE_IS_WRITTEN);
	for (i = 0; i < e2e_cur.nreg; i++)
		e2e_scan_print("round3", pm, &e2e_cur.reg[i], f, PAGE_IS_WRITTEN, 0, 0,
			       PAGE_IS_WRITTEN);
	/* And a read-only query with filters: present but not written. */
	for (i = 0; i < e2e_cur.nreg; i++)
		e2e_scan_print("present_clean", pm, &e2e_cur.reg[i], 0, PAGE_IS_PRESENT, 0,
			       PAGE_IS_WRITTEN, PAGE_IS_ALL);
	e2e_dump(NULL);
}

static void outcome(const char *key, long ret);

/*
 * One PAGEMAP_SCAN call with PM_SCAN_WP_MATCHING over [off, off + len) of
 * region R, at most MAX pages (0: no limit): print what it returned, how
 * many ranges and where the walk ended, as facts STEP.ret, STEP.walk_end.
 */
static void scan_wp_once(const char *step, int fd, const struct e2e_region *r,
			 size_t off, size_t len, uint64_t max)
{
	static struct page_region vec[64];
	struct pm_scan_arg arg = {
		.size = sizeof(arg),
		.flags = PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC,
		.start = r->start + off,
		.end = r->start + off + len,
		.vec = (uintptr_t)vec,
		.vec_len = 64,
		.max_pages = max,
		.category_mask = PAGE_IS_WRITTEN,
		.return_mask = PAGE_IS_WRITTEN | PAGE_IS_HUGE | PAGE_IS_PRESENT,
	};
	long n = ioctl(fd, PAGEMAP_SCAN, &arg), i;
	char key[96], cs[128];

	snprintf(key, sizeof(key), "%s.%s.ret", r->label, step);
	outcome(key, n);
	for (i = 0; i < n; i++) {
		e2e_catstr(cs, sizeof(cs), vec[i].categories);
		printf("  %s +0x%07lx..+0x%07lx %s\n", step,
		       (unsigned long)(vec[i].start - r->start),
		       (unsigned long)(vec[i].end - r->start), cs);
	}
	snprintf(key, sizeof(key), "%s.%s.walk_end_pages", r->label, step);
	e2e_fact(key, "%lu", (unsigned long)(arg.walk_end - r->start) / ps);
}

/*
 * PAGEMAP_SCAN write-protecting PMD-mapped THPs: part of one (the walker
 * splits it, and write-protects the PTEs asked for), the whole of another
 * (its PMD, unsplit), and then at most a few pages (max_pages stops the
 * walk early, and says where).  Writes after each round are reported by
 * the next one.
 */
static void case_pagemap_scan_wp_thp(void)
{
	const uint64_t f = PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC;
	struct e2e_region *ra, *rb;
	int fd, pm;
	char *a, *b;

	if (!thp_usable())
		return;
	fd = uffd_open(UFFD_FEATURE_WP_ASYNC | UFFD_FEATURE_WP_UNPOPULATED);
	if (fd < 0)
		return;
	a = thp_region("wpthp_part", 2 * pmd);
	b = thp_region("wpthp_whole", 2 * pmd);
	if (!a || !b)
		return;
	ra = &e2e_cur.reg[e2e_cur.nreg - 2];
	rb = &e2e_cur.reg[e2e_cur.nreg - 1];
	a[0] = 1;
	b[0] = 1;
	if (uffd_wp(fd, a, 2 * pmd, 0) || uffd_wp(fd, b, 2 * pmd, 0))
		return;
	pm = e2e_track_fd(open("/proc/self/pagemap", O_RDONLY));
	if (pm < 0) {
		e2e_error("open pagemap");
		return;
	}
	/* Four pages in the middle of a THP: split, four PTEs protected. */
	scan_wp_once("part", pm, ra, 4 * ps, 4 * ps, 0);
	/* All of the other: its PMD protected whole. */
	scan_wp_once("whole", pm, rb, 0, pmd, 0);
	a[5 * ps] = 2;
	a[10 * ps] = 2;
	b[3 * ps] = 2;
	e2e_scan_print("after", pm, ra, 0, PAGE_IS_WRITTEN, 0, 0, PAGE_IS_WRITTEN);
	e2e_scan_print("after", pm, rb, 0, PAGE_IS_WRITTEN, 0, 0, PAGE_IS_WRITTEN);
	/* Protect three written pages at most: the walk stops, and says where. */
	scan_wp_once("max3", pm, ra, 0, 2 * pmd, 3);
	e2e_scan_print("left", pm, ra, 0, PAGE_IS_WRITTEN, 0, 0, PAGE_IS_WRITTEN);
	e2e_scan_print("rest", pm, ra, f, PAGE_IS_WRITTEN, 0, 0, PAGE_IS_WRITTEN);
	e2e_scan_print("rest", pm, rb, f, PAGE_IS_WRITTEN, 0, 0, PAGE_IS_WRITTEN);
	e2e_dump(NULL);
}

/* ---- soft-dirty and referenced bits through clear_refs ---------------------- */

static void case_soft_dirty(void)
{
	char *p, *h = NULL;

	p = e2e_anon("sd_anon", 16 * ps, 0);
	if (!p)
		return;
	e2e_fill(p, 16 * ps, 20);
	if (knob_is(THP "/enabled", "always", "madvise")) {
		h = thp_region("sd_thp", 2 * pmd);
		if (!h)
			return;
		h[0] = 1;
		h[pmd] = 1;
	}
	/* 4: clear the soft-dirty bits of the whole process. */
	if (e2e_write_file("/proc/self/clear_refs", "4")) {
		e2e_skip("clear_refs 4 refused (errno %d)", errno);
		return;
	}
	p[2 * ps] = 3;
	p[3 * ps] = 3;
	if (h)
		h[pmd + 7 * ps] = 3;
	e2e_dump(NULL);
}

/*
 * clear_refs 1, 2 and 3 clear the young bits of every mapping, of the
 * anonymous ones and of the file-backed ones of a process, and from then
 * on the Referenced of its stack and data depends on which translations
 * the CPU happened to keep cached.  So a child is cleared (by the parent,
 * through /proc/PID/clear_refs) after it read every page of an anonymous
 * and of a file-backed region, re-reads four pages of each, and the parent
 * prints the child's regions, not its rollup: Referenced is four pages
 * where the mode cleared, all sixteen where it did not.
 */
static void clear_refs_case(const char *anon_label, const char *file_label,
			    const char *mode)
{
	int to[2], from[2], fd = tmpfile_fill(file_label, 16 * ps);
	char path[64], c = 0, *p, *f;
	pid_t pid;

	p = e2e_anon(anon_label, 16 * ps, 0);
	if (!p || fd < 0)
		return;
	f = e2e_map(file_label, 16 * ps, 0, PROT_READ, MAP_PRIVATE, fd, 0);
	if (!f) {
		e2e_error("mmap %s", file_label);
		return;
	}
	e2e_fill(p, 16 * ps, 21);
	if (pipe(to) || pipe(from)) {
		e2e_error("pipe");
		return;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		e2e_error("fork");
		return;
	}
	if (!pid) {
		/* fork() copies no PTE of a file mapping without anon pages. */
		e2e_touch_read(p, 16 * ps);
		e2e_touch_read(f, 16 * ps);
		if (write(from[1], &c, 1) != 1 || read(to[0], &c, 1) != 1)
			_exit(1);
		/*
		 * Clearing young bits flushes no TLB, and an access through
		 * a cached translation sets no accessed bit: an mprotect
		 * round trip flushes it first.
		 */
		if (mprotect(p, 16 * ps, PROT_READ) || mprotect(p, 16 * ps, PROT_READ | PROT_WRITE) ||
		    mprotect(f, 16 * ps, PROT_NONE) || mprotect(f, 16 * ps, PROT_READ))
			c = 1;
		e2e_touch_read(p, 4 * ps);
		e2e_touch_read(f, 4 * ps);
		if (write(from[1], &c, 1) != 1)
			_exit(1);
		while (read(to[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	e2e_track_fd(to[1]);
	e2e_track_fd(from[0]);
	e2e_track_kid(pid);
	if (read(from[0], &c, 1) != 1 || c) {
		e2e_error("child");
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/clear_refs", pid);
	if (e2e_write_file(path, mode)) {
		e2e_error("clear_refs %s", mode);
		return;
	}
	if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1 || c) {
		e2e_error("child");
		return;
	}
	if (e2e_wait_sleeping(pid))
		e2e_error("child never blocked");
	e2e_cur.nreg = 0;
	e2e_region_pid(anon_label, p, 16 * ps, pid);
	e2e_region_pid(file_label, f, 16 * ps, pid);
	e2e_cur.no_rollup = 1;
	e2e_dump(NULL);
}

/* 1: the referenced/young bits of all the child's mappings. */
static void case_clear_refs_young(void)
{
	clear_refs_case("young", "young_file", "1");
}

/* 2: those of its anonymous mappings only. */
static void case_clear_refs_anon(void)
{
	clear_refs_case("anon_young", "anon_young_file", "2");
}

/* 3: those of its file-backed mappings only. */
static void case_clear_refs_mapped(void)
{
	clear_refs_case("mapped_young", "mapped_young_file", "3");
}

/* Read a "Name:   N kB" line of /proc/self/status; -1 if there is none. */
static long status_kb(const char *name)
{
	size_t n = strlen(name);
	char *l;

	if (e2e_read_file("/proc/self/status") < 0)
		return -1;
	for (l = e2e_buf; l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, name, n) && l[n] == ':')
			return strtol(l + n + 1, NULL, 10);
	return -1;
}

/*
 * 5 walks nothing: it resets the peak RSS to the current one.  VmHWM is
 * the larger of the two when read, so it equals VmRSS right after.
 */
static void case_clear_refs_hiwater(void)
{
	char *p = e2e_anon("hiwater", 256 * ps, 0);

	if (!p)
		return;
	e2e_fill(p, 256 * ps, 22);
	if (munmap(p, 256 * ps)) {
		e2e_error("munmap hiwater");
		return;
	}
	e2e_cur.nreg = 0;
	e2e_fact("hiwater.before.hwm_above_rss", "%d", status_kb("VmHWM") > status_kb("VmRSS"));
	if (e2e_write_file("/proc/self/clear_refs", "5")) {
		e2e_error("clear_refs 5");
		return;
	}
	e2e_fact("hiwater.after.hwm_is_rss", "%d", status_kb("VmHWM") == status_kb("VmRSS"));
	e2e_cur.no_rollup = 1;
	e2e_dump(NULL);
}

/* ---- mlock ---------------------------------------------------------------- */

static void case_mlock(void)
{
	char *p = e2e_anon("mlock", 16 * ps, 0);

	if (!p)
		return;
	if (mlock(p, 8 * ps))
		e2e_error("mlock");
	/* MLOCK_ONFAULT: only the pages faulted afterwards are locked. */
	if (mlock2(p + 12 * ps, 4 * ps, MLOCK_ONFAULT))
		e2e_error("mlock2 MLOCK_ONFAULT");
	p[13 * ps] = 1;
	e2e_dump(NULL);
}

/* ---- KSM ------------------------------------------------------------------ */

#define KSM "/sys/kernel/mm/ksm"

/*
 * 16 pages of one content, 8 of another and 8 unique ones merge into two
 * KSM pages mapped 24 times.  ksmd works in the background, so the case
 * waits (bounded) until this process has all 24 merged and then for two
 * more full scans, so that nothing is still in flight, and stops ksmd.
 */
static void case_ksm(void)
{
	long merged = -1, scans, deadline = 400, i;
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	char *p;

	if (e2e_read_long(KSM "/run") < 0) {
		e2e_skip("no KSM (" KSM ")");
		return;
	}
	p = e2e_anon("ksm", 32 * ps, 0);
	if (!p)
		return;
	for (i = 0; i < 32; i++)
		e2e_fill(p + i * ps, ps, i < 16 ? 100 : i < 24 ? 101 : 200 + i);
	/* e2e_fill varies the pattern by page index: make the copies equal. */
	for (i = 1; i < 24; i++)
		if (i != 16)
			memcpy(p + i * ps, p + (i < 16 ? 0 : 16) * ps, ps);
	if (madvise(p, 32 * ps, MADV_MERGEABLE)) {
		e2e_error("MADV_MERGEABLE");
		return;
	}
	e2e_write_file(KSM "/pages_to_scan", "1000");
	e2e_write_file(KSM "/sleep_millisecs", "10");
	if (e2e_write_file(KSM "/run", "1")) {
		e2e_error("start ksmd");
		return;
	}
	while (deadline-- > 0) {
		merged = e2e_read_long("/proc/self/ksm_merging_pages");
		if (merged == 24)
			break;
		nanosleep(&ts, NULL);
	}
	scans = e2e_read_long(KSM "/full_scans");
	while (deadline-- > 0 && e2e_read_long(KSM "/full_scans") < scans + 2)
		nanosleep(&ts, NULL);
	e2e_write_file(KSM "/run", "0");
	e2e_fact("ksm.merged", "%s", merged == 24 ? "yes" : "no");
	e2e_fact("ksm.settled", "%s", deadline > 0 ? "yes" : "no");
	e2e_dump(NULL);
}

/* ---- special mappings: VM_PFNMAP [vvar], [vdso] ------------------------------ */

static void case_pfnmap_vvar(void)
{
	struct timespec ts;
	char *line, *next;
	int found = 0;

	/* Reading the clock through the vDSO faults the vvar data page in. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (e2e_read_file("/proc/self/maps") < 0) {
		e2e_error("read maps");
		return;
	}
	for (line = e2e_buf; line && *line; line = next) {
		unsigned long s, e;
		char *name;

		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		name = strchr(line, '[');
		if (!name || sscanf(line, "%lx-%lx", &s, &e) != 2)
			continue;
		if (!strncmp(name, "[vvar", 5) || !strcmp(name, "[vdso]")) {
			char label[32];

			snprintf(label, sizeof(label), "%.*s", (int)strcspn(name + 1, "]"), name + 1);
			e2e_region(label, (void *)s, e - s);
			found += !strncmp(name, "[vvar", 5);
		}
	}
	if (!found) {
		e2e_skip("no [vvar] mapping");
		return;
	}
	e2e_dump(NULL);
}

/*
 * Physical memory whose reads have no side effects, and which
 * STRICT_DEVMEM lets /dev/mem map as well: the BIOS ROM below 1M on
 * x86_64 (q35 with SeaBIOS), the flash at 0 of arm64 virt (no driver
 * claims it, and unprogrammed it reads as memory).
 */
#if defined(__aarch64__)
#define DEVMEM_PHYS	0x0UL
#else
#define DEVMEM_PHYS	0xf0000UL
#endif

/* Pages of the two views that differ, read a word at a time. */
static int pages_differ(const char *a, const char *b, int npages, const int *which)
{
	int i, n = 0;
	size_t j;

	for (i = 0; i < npages; i++) {
		const volatile uint32_t *x = (const uint32_t *)(a + which[i] * ps);
		const volatile uint32_t *y = (const uint32_t *)(b + which[i] * ps);

		for (j = 0; j < ps / 4; j++)
			if (x[j] != y[j])
				break;
		n += j < ps / 4;
	}
	return n;
}

/*
 * A private writable mapping of /dev/mem is made by remap_pfn_range():
 * VM_PFNMAP|VM_IO.  A write fault still gives it an ordinary anonymous
 * page, copied from the PFN (which has no struct page to share).  smaps
 * and numa_maps walk the VMA with walk_page_vma(), which unlike
 * walk_page_range() does not skip VM_PFNMAP VMAs, and vm_normal_page()
 * tells the CoW pages from the remapped PFNs: stock counts them as
 * anonymous (Rss, Anonymous, numa_maps anon=), so a converted walker must
 * not skip such VMAs either.  pagemap, through walk_page_range(), shows
 * none of it.  That the copies exist is checked apart from /proc: the
 * written pages read back what was written, a fresh shared view of the
 * same physical pages does not.
 */
static void case_pfnmap_cow(void)
{
	static const int written[] = { 1, 3 };
	const int nw = sizeof(written) / sizeof(written[0]);
	char *p, *view;
	int fd, i;

	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			e2e_skip("no /dev/mem (CONFIG_DEVMEM) errno %d", errno);
		else
			e2e_error("open /dev/mem");
		return;
	}
	e2e_track_fd(fd);
	p = e2e_map("pfnmap_cow", 4 * ps, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
		    DEVMEM_PHYS);
	if (!p) {
		if (errno == ENOENT || errno == ENODEV)
			e2e_skip("/dev/mem cannot be mapped (errno %d)", errno);
		else
			e2e_error("mmap /dev/mem at 0x%lx", DEVMEM_PHYS);
		return;
	}
	for (i = 0; i < nw; i++)
		e2e_fill(p + written[i] * ps, ps, 24);
	view = mmap(NULL, 4 * ps, PROT_READ, MAP_SHARED, fd, DEVMEM_PHYS);
	if (view == MAP_FAILED) {
		e2e_error("mmap a shared view of /dev/mem");
		return;
	}
	e2e_fact("pfnmap_cow.private_copies", "%d", pages_differ(p, view, nw, written));
	munmap(view, 4 * ps);
	e2e_dump(NULL);
}

/* ---- Bad input at the /proc boundary ------------------------------------ */

/*
 * Above every user address space: 56-bit on x86_64 with five levels,
 * 52-bit on arm64, where it must also stay below the top byte, ignored.
 */
#if defined(__aarch64__)
#define PAST_END	(1UL << 55)
#else
#define PAST_END	(1UL << 57)
#endif

static const char *errname(int e)
{
	switch (e) {
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case ESRCH: return "ESRCH";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOTTY: return "ENOTTY";
	case EIO: return "EIO";
	default: return "E?";
	}
}

/* What a call returned, as fact KEY: N, or the name of its errno. */
static void outcome(const char *key, long ret)
{
	char v[32];

	if (ret < 0)
		snprintf(v, sizeof(v), "%s", errname(errno));
	else
		snprintf(v, sizeof(v), "%ld", ret);
	e2e_fact(key, "%s", v);
}

/*
 * Read pagemap entries [first, first + n) of the range that starts at
 * @base in chunks of @chunk entries, and compare them with @whole, read
 * in one go: the walk must put every entry at its offset whatever the
 * read's start and size (a THP, the edges of VMAs and holes in between).
 */
static int chunks_agree(int fd, unsigned long base, const uint64_t *whole, size_t first,
			size_t n, size_t chunk)
{
	uint64_t buf[1024];
	size_t i, k;

	for (i = first; i < first + n; i += k) {
		k = first + n - i < chunk ? first + n - i : chunk;
		if (pread(fd, buf, k * 8, (base / ps + i) * 8) != (ssize_t)(k * 8) ||
		    memcmp(buf, whole + i, k * 8))
			return 0;
	}
	return 1;
}

/*
 * What a reader may hand pagemap and PAGEMAP_SCAN: reads of any size at
 * any entry over a THP, 4K pages, holes and VMA edges must agree with one
 * whole read; misaligned offsets and sizes, ranges past the address space,
 * NULL, read-only and half-writable buffers, a process that is gone, and
 * bad PAGEMAP_SCAN arguments must give what stock gives (the comparison
 * of the boots says that; the facts say what stock gives).
 */
static void case_pagemap_bad_input(void)
{
	static const size_t chunks[] = { 1, 3, 7, 64, 511, 513 };
	static const size_t shifts[] = { 0, 1, 5 };
	unsigned long base, len = 2 * pmd + 8 * ps;
	size_t n, c, sh, same = 1, i;
	struct pm_scan_arg arg;
	uint64_t *whole, e[2];
	char *p, *ro, *half;
	int fd, pipefd[2];
	pid_t kid;

	p = e2e_anon("bad_input", 2 * pmd, pmd);
	if (!p)
		return;
	/* A THP in the first PMD where THP works, every third page in the second. */
	if (thp_usable() && !madvise(p, pmd, MADV_HUGEPAGE))
		p[0] = 1;
	madvise(p + pmd, pmd, MADV_NOHUGEPAGE);
	for (i = 0; i < pmd; i += 3 * ps)
		p[pmd + i] = 1;
	/* From inside the guard before the region to inside the one after. */
	base = (unsigned long)p - 4 * ps;
	n = len / ps;
	whole = malloc(n * 8);
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (!whole || fd < 0 || e2e_track_fd(fd) < 0) {
		e2e_error("pagemap");
		free(whole);
		return;
	}
	if (pread(fd, whole, n * 8, base / ps * 8) != (ssize_t)(n * 8)) {
		e2e_error("whole read");
		free(whole);
		return;
	}
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++)
		for (sh = 0; sh < sizeof(shifts) / sizeof(shifts[0]); sh++) {
			/* One entry at a time over the first 1024 entries only. */
			size_t cnt = chunks[c] == 1 && n - shifts[sh] > 1024 ? 1024 : n - shifts[sh];

			if (!chunks_agree(fd, base, whole, shifts[sh], cnt, chunks[c])) {
				printf("chunks of %zu from entry %zu differ\n", chunks[c], shifts[sh]);
				same = 0;
			}
		}
	e2e_fact("bad_input.chunks", "%s", same ? "same" : "differ");
	for (i = 0, c = 0; i < n; i++)
		c += whole[i] >> 63;	/* PM_PRESENT */
	e2e_fact("bad_input.pm.present", "%zu", c);
	free(whole);

	outcome("bad_input.unaligned_offset", pread(fd, e, 8, base / ps * 8 + 3));
	outcome("bad_input.size_not_8", pread(fd, e, 12, base / ps * 8));
	outcome("bad_input.size_0", pread(fd, e, 0, base / ps * 8));
	outcome("bad_input.past_end", pread(fd, e, 8, PAST_END / ps * 8));
	/* arm64 ignores the top byte of an address (TBI): 1 << 60 is 0. */
	outcome("bad_input.top_byte", pread(fd, e, 8, (1UL << 60) / ps * 8));
	/* (The system call itself: glibc's pread() is declared nonnull.) */
	outcome("bad_input.null_buffer", syscall(SYS_pread64, fd, NULL, 64, base / ps * 8));
	ro = e2e_map("bad_input_ro", ps, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	half = e2e_map("bad_input_half", 2 * ps, 0, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!ro || !half || mprotect(half + ps, ps, PROT_READ)) {
		e2e_error("buffers");
		return;
	}
	outcome("bad_input.readonly_buffer", pread(fd, ro, 64, base / ps * 8));
	/* The first page of the buffer takes ps / 8 entries, the second none. */
	outcome("bad_input.half_writable_buffer", pread(fd, half, 2 * ps, base / ps * 8));

	/* A process that is gone between open() and read(). */
	if (pipe(pipefd)) {
		e2e_error("pipe");
		return;
	}
	kid = fork();
	if (kid == 0) {
		char *q = mmap(NULL, 16 * ps, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (q != MAP_FAILED)
			memset(q, 1, 16 * ps);
		if (write(pipefd[1], &q, sizeof(q)) != sizeof(q))
			_exit(1);
		pause();
		_exit(0);
	}
	if (kid > 0) {
		char path[64], *q = NULL;
		int kfd;

		e2e_track_kid(kid);
		if (read(pipefd[0], &q, sizeof(q)) != sizeof(q))
			e2e_error("child");
		snprintf(path, sizeof(path), "/proc/%d/pagemap", kid);
		kfd = open(path, O_RDONLY);
		if (kfd >= 0 && e2e_track_fd(kfd) >= 0) {
			outcome("bad_input.live_process", pread(kfd, e, 8, (unsigned long)q / ps * 8));
			kill(kid, SIGKILL);
			waitpid(kid, NULL, 0);
			outcome("bad_input.exited_process", pread(kfd, e, 8, (unsigned long)q / ps * 8));
		}
	}
	close(pipefd[0]);
	close(pipefd[1]);

	/* PAGEMAP_SCAN: each argument wrong in turn, then right. */
#define SCAN(key, ...) do {							\
		memset(&arg, 0, sizeof(arg));					\
		arg.size = sizeof(arg);						\
		arg.start = (unsigned long)p;					\
		arg.end = (unsigned long)p + 2 * pmd;				\
		arg.vec = (uintptr_t)half;					\
		arg.vec_len = 4;						\
		arg.category_mask = PAGE_IS_PRESENT;				\
		arg.return_mask = PAGE_IS_PRESENT;				\
		__VA_ARGS__;							\
		outcome("bad_input.scan_" key, ioctl(fd, PAGEMAP_SCAN, &arg));	\
	} while (0)
	SCAN("ok");
	SCAN("size", arg.size -= 8);
	SCAN("flags", arg.flags = 1ULL << 40);
	SCAN("category", arg.category_mask = 1ULL << 40);
	SCAN("return_mask_0", arg.return_mask = 0);
	SCAN("start_unaligned", arg.start += 1);
	SCAN("end_before_start", arg.end = arg.start - ps);
	SCAN("end_unaligned", arg.end -= 1);
	SCAN("past_end", arg.start = PAST_END; arg.end = arg.start + ps);
	SCAN("vec_null", arg.vec = 0);
	SCAN("vec_readonly", arg.vec = (uintptr_t)ro);
	SCAN("vec_len_0", arg.vec_len = 0);
	SCAN("max_pages_1", arg.max_pages = 1);
#undef SCAN
	outcome("bad_input.scan_arg_null", ioctl(fd, PAGEMAP_SCAN, NULL));
}

/* ---- device memory through test_hmm ------------------------------------------- */

static void hmm_case(const char *label, unsigned long cmd_nr)
{
	struct hmm_dmirror_cmd cmd = { 0 };
	char *p, *mirror;
	int fd;

	fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (fd < 0) {
		e2e_skip("no /dev/hmm_dmirror0 (CONFIG_TEST_HMM) errno %d", errno);
		return;
	}
	e2e_track_fd(fd);
	p = e2e_anon(label, 16 * ps, 0);
	if (!p)
		return;
	mirror = mmap(NULL, 16 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mirror == MAP_FAILED) {
		e2e_error("mmap mirror");
		return;
	}
	e2e_track_map(mirror, 16 * ps);
	memset(mirror, 0, 16 * ps);
	e2e_fill(p, 12 * ps, 22);
	cmd.addr = (uintptr_t)p;
	cmd.ptr = (uintptr_t)mirror;
	cmd.npages = 8;
	while (ioctl(fd, cmd_nr, &cmd)) {
		if (errno == EINTR)
			continue;
		e2e_skip("test_hmm ioctl refused (errno %d)", errno);
		return;
	}
	e2e_fact("hmm.cpages", "%llu", (unsigned long long)cmd.cpages);
	e2e_dump(NULL);
}

/* Pages migrated to device-private memory: device-private swap entries. */
static void case_hmm_device_private(void)
{
	hmm_case("hmm_private", HMM_DMIRROR_MIGRATE_TO_DEV);
}

/* Pages made exclusive to the device: device-exclusive swap entries. */
static void case_hmm_device_exclusive(void)
{
	hmm_case("hmm_exclusive", HMM_DMIRROR_EXCLUSIVE);
}

/* ---- the catalogue --------------------------------------------------------- */

#define ALL	0
#define X86	1
#define ARM64	2

#if defined(__x86_64__)
#define THIS_ARCH X86
#elif defined(__aarch64__)
#define THIS_ARCH ARM64
#else
#define THIS_ARCH 4
#endif

static const struct {
	const char *name;
	void (*fn)(void);
	int arch;
} cases[] = {
	{ "anon_touched",		case_anon_touched,		ALL },
	{ "anon_untouched",		case_anon_untouched,		ALL },
	{ "anon_zero",			case_anon_zero,			ALL },
	{ "anon_mprotect",		case_anon_mprotect,		ALL },
	{ "anon_lazyfree",		case_anon_lazyfree,		ALL },
	{ "anon_swap",			case_anon_swap,			ALL },
	{ "file_private",		case_file_private,		ALL },
	{ "file_shared",		case_file_shared,		ALL },
	{ "shmem",			case_shmem,			ALL },
	{ "shmem_swap",			case_shmem_swap,		ALL },
	{ "shmem_private_swap",		case_shmem_private_swap,	ALL },
	{ "shmem_thp",			case_shmem_thp,			ALL },
	{ "thp_pmd",			case_thp_pmd,			ALL },
	{ "thp_zero",			case_thp_zero,			ALL },
	{ "mthp",			case_mthp,			ALL },
	{ "thp_pte_mapped",		case_thp_pte_mapped,		ALL },
	{ "thp_mremap",			case_thp_mremap,		ALL },
	{ "fork_cow",			case_fork_cow,			ALL },
	{ "hugetlb_pmd",		case_hugetlb_pmd,		ALL },
	{ "hugetlb_pud",		case_hugetlb_pud,		ALL },
	{ "hugetlb_contpte",		case_hugetlb_contpte,		ARM64 },
	{ "hugetlb_contpmd",		case_hugetlb_contpmd,		ARM64 },
	{ "uffd_wp",			case_uffd_wp,			ALL },
	{ "pagemap_scan_wp",		case_pagemap_scan_wp,		ALL },
	{ "pagemap_scan_wp_thp",	case_pagemap_scan_wp_thp,	ALL },
	{ "soft_dirty",			case_soft_dirty,		X86 },
	{ "clear_refs_young",		case_clear_refs_young,		ALL },
	{ "clear_refs_anon",		case_clear_refs_anon,		ALL },
	{ "clear_refs_mapped",		case_clear_refs_mapped,		ALL },
	{ "clear_refs_hiwater",		case_clear_refs_hiwater,	ALL },
	{ "mlock",			case_mlock,			ALL },
	{ "ksm",			case_ksm,			ALL },
	{ "pfnmap_vvar",		case_pfnmap_vvar,		ALL },
	{ "pfnmap_cow",			case_pfnmap_cow,		ALL },
	{ "hmm_device_private",		case_hmm_device_private,	ALL },
	{ "hmm_device_exclusive",	case_hmm_device_exclusive,	ALL },
	{ "pagemap_bad_input",		case_pagemap_bad_input,		ALL },
	/* Last: it takes a frame away for the rest of the boot. */
	{ "hwpoison",			case_hwpoison,			ALL },
};

/*
 * Whether user space can map above 47 bits (x86_64 with five paging
 * levels, arm64 with 52-bit VAs): the header shows the paging mode a run
 * compared, and stock and patched must agree on it.
 */
static int high_va(void)
{
	void *p = mmap((void *)(1UL << 50), ps, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int high = p != MAP_FAILED && (unsigned long)p >= 1UL << 47;

	if (p != MAP_FAILED)
		munmap(p, ps);
	return high;
}

int main(int argc, char **argv)
{
	size_t i;

	e2e_init();
	ps = e2e_psize;
	pmd = (size_t)e2e_geo.pmd_kb << 10;
	mthp = (size_t)e2e_geo.mthp_kb << 10;
	if (getenv("E2E_TMPDIR"))
		tmpdir = getenv("E2E_TMPDIR");
	printf("E2E workload arch=%s pagesize=%zu user_va_above_47bit=%s\n",
	       THIS_ARCH == X86 ? "x86_64" : THIS_ARCH == ARM64 ? "arm64" : "other", ps,
	       high_va() ? "yes" : "no");
	e2e_geo_print();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].arch && cases[i].arch != THIS_ARCH)
			continue;
		e2e_run_case(cases[i].name, cases[i].fn, argc, argv);
	}
	printf("E2E workload done\n");
	fflush(stdout);
	return 0;
}
