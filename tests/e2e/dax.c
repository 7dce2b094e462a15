// SPDX-License-Identifier: GPL-2.0
/*
 * dax.c - the DAX cases of the /proc end-to-end test: PFN leaves of
 * emulated persistent memory, which no other mapping of the catalogue has.
 *
 *  - device-dax aligned to 2M: only PMD leaves (its PTE fault handler
 *    refuses a device aligned above PAGE_SIZE with SIGBUS);
 *  - device-dax aligned to 1G: only PUD leaves (likewise its PMD handler);
 *  - a file of ext2 mounted -o dax (fsdax), mapped MAP_SHARED: PTE leaves,
 *    as ext2 has no huge DAX faults.
 *
 * Each as faulted, after mprotect(PROT_NONE) and back, and after a partial
 * munmap that splits its VMA.  tests/e2e/setup.sh makes the devices out of
 * the legacy pmem regions of the x86_64 boots (/dev/e2e_dax_pmd,
 * /dev/e2e_dax_pud, /mnt/dax); where they do not exist the cases skip
 * (arm64) or fail (x86_64, where they must).  Cases and dumps are e2e.h's,
 * so scripts/e2e_compare.py compares each case of its own; the FACTs
 * computed here before the dump prove the leaves were really there.
 */
#include "e2e.h"

#include <setjmp.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define SZ_2M		(2UL << 20)
#define SZ_1G		(1UL << 30)
/* 4K pages: the devices exist only on x86_64 */
#define PMD_PAGES	(SZ_2M / 4096)
#define PMD_MAP		(4 * SZ_2M)	/* four PMD leaves */
#define FSDAX_MAP	(1UL << 20)
#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX	0x00200000
#endif

#if defined(__x86_64__)
#define DAX_MUST_EXIST	1
#else
#define DAX_MUST_EXIST	0
#endif

/* Raw pagemap of one PMD mapping: static, so reading it costs no Rss. */
static uint64_t pm_raw[PMD_MAP / 4096];
static sigjmp_buf touch_env;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(touch_env, 1);
}

/*
 * Write one byte at each STEP of [p, p + len): one fault per leaf.  A
 * SIGBUS (the device refused the fault size) is reported, not fatal.
 */
static int touch(char *p, size_t len, size_t step)
{
	struct sigaction sa = { .sa_handler = on_sigbus }, old;
	volatile size_t i = 0;
	int ok = 1;

	sigaction(SIGBUS, &sa, &old);
	if (sigsetjmp(touch_env, 1)) {
		e2e_error("SIGBUS writing at +0x%zx", (size_t)i);
		ok = 0;
	} else {
		for (i = 0; i < len; i += step)
			((volatile char *)p)[i] = 1;
	}
	sigaction(SIGBUS, &old, NULL);
	return ok;
}

/*
 * Open the device-dax NAME, or say why the case cannot run: on x86_64
 * setup.sh must have made it, elsewhere there is no emulated pmem.
 */
static int open_dax(const char *name, unsigned long want_align)
{
	char path[64];
	struct stat st;
	long align;
	int fd;

	snprintf(path, sizeof(path), "/dev/%s", name);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		if (DAX_MUST_EXIST)
			e2e_error("open %s (see setup.sh's E2E: note lines)", path);
		else
			e2e_skip("no %s: the boots emulate pmem only on x86_64 (memmap= legacy regions); arm64 has no memmap=! and QEMU virt offers NVDIMMs only through ACPI NFIT, which these firmware-less boots lack",
				 path);
		return -1;
	}
	e2e_track_fd(fd);
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		e2e_error("%s is not a character device", path);
		return -1;
	}
	snprintf(path, sizeof(path), "/sys/dev/char/%u:%u/align",
		 major(st.st_rdev), minor(st.st_rdev));
	align = e2e_read_long(path);
	if (align != (long)want_align) {
		e2e_error("%s is %ld, want %lu", path, align, want_align);
		return -1;
	}
	printf("  device-dax align %ld\n", align);
	return fd;
}

/*
 * PMD leaves behind [p, p + len), from the raw pagemap: a 2M block all of
 * whose pages are present with consecutive PFNs from a 2M-aligned one.
 * Printed as a fact under KEY; the frames themselves vary between boots.
 */
static void pmd_leaf_fact(const char *key, const char *p, size_t len)
{
	size_t n = len / e2e_psize, i, j;
	long leaves = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (fd < 0 || n > sizeof(pm_raw) / 8 ||
	    pread(fd, pm_raw, n * 8, (unsigned long)p / e2e_psize * 8) != (ssize_t)(n * 8)) {
		e2e_error("read pagemap for %s", key);
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	for (i = 0; i + PMD_PAGES <= n; i += PMD_PAGES) {
		uint64_t pfn = pm_raw[i] & PM_PFN_MASK;

		if (!(pm_raw[i] & PM_PRESENT) || pfn % PMD_PAGES)
			continue;
		for (j = 1; j < PMD_PAGES; j++)
			if (!(pm_raw[i + j] & PM_PRESENT) ||
			    (pm_raw[i + j] & PM_PFN_MASK) != pfn + j)
				break;
		leaves += j == PMD_PAGES;
	}
	e2e_fact(key, "%ld", leaves);
}

static char *map_dax(const char *label, int fd, size_t len, size_t align)
{
	char *p = e2e_map(label, len, align, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char key[64];

	if (!p) {
		e2e_error("mmap %s", label);
		return NULL;
	}
	snprintf(key, sizeof(key), "%s.aligned", label);
	e2e_fact(key, "%s", (unsigned long)p % align ? "no" : "yes");
	return p;
}

/*
 * A munmap that would cut a leaf is refused (device-dax's may_split):
 * record that, so a kernel that did split a leaf shows it.
 */
static void unaligned_munmap_fact(const char *label, char *p)
{
	char key[64];
	int ret = munmap(p + e2e_psize, e2e_psize);

	snprintf(key, sizeof(key), "%s.unaligned_munmap", label);
	e2e_fact(key, "%s", ret ? (errno == EINVAL ? "EINVAL" : "other") : "done");
}

/*
 * Map the hole a munmap left PROT_NONE and never touched: the dump's own
 * scratch mappings would otherwise land there, inside the region.  Shared
 * anonymous, so it merges neither with a guard nor with the DAX VMAs.
 */
static int seal_hole(char *p, size_t len)
{
	if (mmap(p, len, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED) {
		e2e_error("seal the hole the munmap left");
		return 0;
	}
	return 1;
}

/* ---- device-dax, 2M ----------------------------------------------------- */

static char *dax_pmd_setup(void)
{
	int fd = open_dax("e2e_dax_pmd", SZ_2M);
	char *p;

	if (fd < 0)
		return NULL;
	p = map_dax("dax_pmd", fd, PMD_MAP, SZ_2M);
	if (!p || !touch(p, PMD_MAP, SZ_2M))
		return NULL;
	return p;
}

static void case_dax_pmd(void)
{
	char *p = dax_pmd_setup();

	if (!p)
		return;
	pmd_leaf_fact("dax_pmd.pmd_leaves", p, PMD_MAP);
	e2e_dump(NULL);
}

static void case_dax_pmd_mprotect(void)
{
	char *p = dax_pmd_setup();

	if (!p)
		return;
	if (mprotect(p, PMD_MAP, PROT_NONE)) {
		e2e_error("mprotect PROT_NONE");
		return;
	}
	e2e_dump("prot_none");
	if (mprotect(p, PMD_MAP, PROT_READ | PROT_WRITE)) {
		e2e_error("mprotect back");
		return;
	}
	/* The leaves stayed, protection changed in place: no new fault. */
	pmd_leaf_fact("restored/dax_pmd.pmd_leaves", p, PMD_MAP);
	e2e_dump("restored");
}

static void case_dax_pmd_munmap(void)
{
	char *p = dax_pmd_setup();

	if (!p)
		return;
	unaligned_munmap_fact("dax_pmd", p);
	/* The third of four leaves: the VMA splits in two. */
	if (munmap(p + 2 * SZ_2M, SZ_2M)) {
		e2e_error("munmap the third 2M");
		return;
	}
	if (!seal_hole(p + 2 * SZ_2M, SZ_2M))
		return;
	pmd_leaf_fact("split/dax_pmd.pmd_leaves", p, PMD_MAP);
	e2e_dump("split");
}

/* ---- device-dax, 1G ----------------------------------------------------- */

/*
 * No pagemap shows a PUD leaf of device memory: stock 6.12 has no
 * pud_entry in its /proc walkers, so walk_page_range() zaps the leaf
 * (split_huge_pud()) and reports a hole, and the converted walkers report
 * the same hole.  What proves the leaves is that writing each 1G of a
 * device aligned to 1G did not fault with SIGBUS, which only a PUD fault
 * can avoid; touched again before each dump, so that each dump had them.
 */
static char *dax_pud_setup(void)
{
	int fd = open_dax("e2e_dax_pud", SZ_1G);
	char *p;

	if (fd < 0)
		return NULL;
	p = map_dax("dax_pud", fd, 2 * SZ_1G, SZ_1G);
	if (!p || !touch(p, 2 * SZ_1G, SZ_1G))
		return NULL;
	e2e_fact("dax_pud.pud_faults", "2");
	return p;
}

static void case_dax_pud(void)
{
	char *p = dax_pud_setup();

	if (!p)
		return;
	e2e_dump(NULL);
}

static void case_dax_pud_mprotect(void)
{
	char *p = dax_pud_setup();

	if (!p)
		return;
	if (mprotect(p, 2 * SZ_1G, PROT_NONE)) {
		e2e_error("mprotect PROT_NONE");
		return;
	}
	e2e_dump("prot_none");
	if (mprotect(p, 2 * SZ_1G, PROT_READ | PROT_WRITE)) {
		e2e_error("mprotect back");
		return;
	}
	if (touch(p, 2 * SZ_1G, SZ_1G))
		e2e_fact("restored/dax_pud.pud_faults", "2");
	e2e_dump("restored");
}

static void case_dax_pud_munmap(void)
{
	char *p = dax_pud_setup();

	if (!p)
		return;
	unaligned_munmap_fact("dax_pud", p);
	/* The first of two leaves: the VMA splits, its second half stays. */
	if (munmap(p, SZ_1G)) {
		e2e_error("munmap the first 1G");
		return;
	}
	if (!seal_hole(p, SZ_1G))
		return;
	if (touch(p + SZ_1G, SZ_1G, SZ_1G))
		e2e_fact("split/dax_pud.pud_faults", "1");
	e2e_dump("split");
}

/* ---- fsdax: ext2 -o dax -------------------------------------------------- */

static char *fsdax_setup(void)
{
	const char *path = "/mnt/dax/e2e_file";
	struct statx stx;
	char *p;
	int fd;

	fd = e2e_track_fd(open(path, O_RDWR | O_CREAT | O_TRUNC, 0600));
	if (fd < 0) {
		if (DAX_MUST_EXIST)
			e2e_error("open %s (see setup.sh's E2E: note lines)", path);
		else
			e2e_skip("no /mnt/dax: the boots emulate pmem only on x86_64 (memmap= legacy regions); arm64 has no memmap=! and QEMU virt offers NVDIMMs only through ACPI NFIT, which these firmware-less boots lack");
		return NULL;
	}
	if (ftruncate(fd, FSDAX_MAP)) {
		e2e_error("ftruncate %s", path);
		return NULL;
	}
	/* The inode really is DAX, not ext2 having turned -o dax off. */
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx)) {
		e2e_error("statx %s", path);
		return NULL;
	}
	e2e_fact("fsdax.statx_dax", "%s",
		 stx.stx_attributes_mask & stx.stx_attributes & STATX_ATTR_DAX ? "yes" : "no");
	p = e2e_map("fsdax", FSDAX_MAP, e2e_psize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (!p) {
		e2e_error("mmap %s", path);
		return NULL;
	}
	/* Every page: each fault allocates and maps one block of pmem. */
	if (!touch(p, FSDAX_MAP, e2e_psize))
		return NULL;
	return p;
}

static void case_fsdax(void)
{
	if (fsdax_setup())
		e2e_dump(NULL);
}

static void case_fsdax_mprotect(void)
{
	char *p = fsdax_setup();

	if (!p)
		return;
	if (mprotect(p, FSDAX_MAP, PROT_NONE)) {
		e2e_error("mprotect PROT_NONE");
		return;
	}
	e2e_dump("prot_none");
	if (mprotect(p, FSDAX_MAP, PROT_READ | PROT_WRITE)) {
		e2e_error("mprotect back");
		return;
	}
	e2e_dump("restored");
}

static void case_fsdax_munmap(void)
{
	char *p = fsdax_setup();

	if (!p)
		return;
	/* Pages 64-127 of 256: the VMA splits in two. */
	if (munmap(p + 64 * e2e_psize, 64 * e2e_psize)) {
		e2e_error("munmap pages 64-127");
		return;
	}
	if (!seal_hole(p + 64 * e2e_psize, 64 * e2e_psize))
		return;
	e2e_dump("split");
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{ "dax_pmd",		case_dax_pmd },
	{ "dax_pmd_mprotect",	case_dax_pmd_mprotect },
	{ "dax_pmd_munmap",	case_dax_pmd_munmap },
	{ "dax_pud",		case_dax_pud },
	{ "dax_pud_mprotect",	case_dax_pud_mprotect },
	{ "dax_pud_munmap",	case_dax_pud_munmap },
	{ "fsdax",		case_fsdax },
	{ "fsdax_mprotect",	case_fsdax_mprotect },
	{ "fsdax_munmap",	case_fsdax_munmap },
};

int main(int argc, char **argv)
{
	size_t i;

	e2e_init();
	memset(pm_raw, 0, sizeof(pm_raw));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		e2e_run_case(cases[i].name, cases[i].fn, argc, argv);
	fflush(stdout);
	return 0;
}
