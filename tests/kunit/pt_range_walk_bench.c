// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: pt_range_walk side by side with the walkers it replaces.
 *
 * Four walkers do the same work over the same mapping, in the same run:
 *  - bare: a per-PMD loop that descends with pmd_off(), locks each PTE
 *    table (or huge leaf) and reads each entry once: the floor;
 *  - pmd_entry: walk_page_range() with a pmd_entry callback that loops
 *    over the PTE table itself, as smaps and numa_maps do;
 *  - pte_entry: walk_page_range() with one pte_entry call per PTE;
 *  - pt_range_walk.
 * Two kinds of work: "presence" counts present pages; "resolve" finds the
 * folio of every present normal page and counts the pages and the
 * anonymous folios (each folio once): the least smaps needs.
 *
 * Cases, each of pt_range_walk_bench.mb MiB (default 8, a smoke run that
 * only checks the walkers agree; make bench boots with 256): dense order-0
 * anon (4k), one page per PMD (sparse), 64K mTHP (mthp64k, contpte on
 * arm64), PMD THP (thp), 2M hugetlb (hugetlb2m) and swap entries (swap).
 * Each is checked to be what it claims before it is timed.  Every
 * repetition every walker must count the same, or the case fails.  Times
 * are printed, never asserted, one line per case, work and walker:
 *   PTWBENCH,case,work,walker,ns_median,ns_min,reps
 */
#include <kunit/test.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/mman.h>
#include <linux/moduleparam.h>
#include <linux/pagewalk.h>
#include <linux/pt_walk.h>
#include <linux/sched.h>
#include <linux/sort.h>
#include <linux/swapops.h>
#include <linux/timex.h>
#include <linux/uaccess.h>
#ifdef CONFIG_ARM_ARCH_TIMER
#include <clocksource/arm_arch_timer.h>
#endif

static unsigned int mb = 8;
module_param(mb, uint, 0444);
MODULE_PARM_DESC(mb, "MiB mapped per case");
static unsigned int reps = 3;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "timed repetitions per walker (median and min)");

#define PTWB_MAX_REPS	31

enum ptwb_work { PTWB_PRESENCE, PTWB_RESOLVE, PTWB_NR_WORK };
enum ptwb_walker { PTWB_BARE, PTWB_PMD_ENTRY, PTWB_PTE_ENTRY, PTWB_RANGE_WALK,
		   PTWB_NR_WALKERS };

static const char * const ptwb_work_names[] = { "presence", "resolve" };
static const char * const ptwb_walker_names[] = {
	"bare", "pmd_entry", "pte_entry", "pt_range_walk",
};

/* What a walker counted. */
struct ptwb_count {
	enum ptwb_work work;
	struct vm_area_struct *vma;
	unsigned long pages;
	unsigned long anon_folios;
	struct folio *last;
};

/* The work done for @nr pages of @folio (resolve) or @nr present pages. */
static __always_inline void ptwb_folio(struct ptwb_count *c,
				       struct folio *folio, unsigned long nr)
{
	c->pages += nr;
	if (folio != c->last) {
		c->last = folio;
		if (folio_test_anon(folio))
			c->anon_folios++;
	}
}

static __always_inline void ptwb_pte(struct ptwb_count *c, unsigned long addr,
				     pte_t pte)
{
	struct page *page;

	if (!pte_present(pte))
		return;
	if (c->work == PTWB_PRESENCE) {
		c->pages++;
		return;
	}
	page = vm_normal_page(c->vma, addr, pte);
	if (page)
		ptwb_folio(c, page_folio(page), 1);
}

/* A PMD leaf, locked by the caller: THP or hugetlb. */
static void ptwb_pmd_leaf(struct ptwb_count *c, unsigned long addr,
			  unsigned long end, pmd_t *pmdp)
{
	unsigned long nr = (end - addr) >> PAGE_SHIFT;
	struct folio *folio = NULL;

	if (is_vm_hugetlb_page(c->vma)) {
		pte_t pte = huge_ptep_get(c->vma->vm_mm, addr, (pte_t *)pmdp);

		if (!pte_present(pte))
			return;
		folio = page_folio(pte_page(pte));
	} else {
		pmd_t pmd = pmdp_get(pmdp);

		if (!pmd_present(pmd))
			return;
		if (c->work == PTWB_RESOLVE)
			folio = vm_normal_folio_pmd(c->vma, addr & PMD_MASK, pmd);
	}
	if (c->work == PTWB_PRESENCE)
		c->pages += nr;
	else if (folio)
		ptwb_folio(c, folio, nr);
}

/*
 * The lock of a huge PMD leaf, held, or NULL if @pmdp holds no leaf: as
 * pmd_trans_huge_lock() does, whose hand-over of the lock sparse does not
 * see (hence the __release() and the callers' __acquire()).
 */
static spinlock_t *ptwb_leaf_lock(struct vm_area_struct *vma, pmd_t *pmdp)
{
	spinlock_t *ptl;	/* the hugetlb leaf's */

	if (!is_vm_hugetlb_page(vma))
		return pmd_trans_huge_lock(pmdp, vma);
	ptl = huge_pte_lock(hstate_vma(vma), vma->vm_mm, (pte_t *)pmdp);
	__release(ptl);
	return ptl;
}

/* --- bare ---------------------------------------------------------------- */

static void ptwb_bare(struct ptwb_count *c, unsigned long start,
		      unsigned long end)
{
	struct mm_struct *mm = c->vma->vm_mm;
	unsigned long addr, next;

	for (addr = start; addr < end; addr = next) {
		pmd_t *pmdp = pmd_off(mm, addr);
		pmd_t pmd = pmdp_get_lockless(pmdp);
		spinlock_t *ptl;	/* the leaf's or the PTE table's */
		pte_t *pte, *first;

		next = pmd_addr_end(addr, end);
		if (pmd_none(pmd))
			continue;
		if (is_vm_hugetlb_page(c->vma) || pmd_leaf(pmd)) {
			ptl = ptwb_leaf_lock(c->vma, pmdp);
			if (ptl) {
				__acquire(ptl);
				ptwb_pmd_leaf(c, addr, next, pmdp);
				spin_unlock(ptl);
				continue;
			}
		}
		first = pte_offset_map_lock(mm, pmdp, addr, &ptl);
		if (!first)
			continue;
		for (pte = first; addr < next; addr += PAGE_SIZE, pte++)
			ptwb_pte(c, addr, ptep_get(pte));
		pte_unmap_unlock(first, ptl);
	}
}

/* --- walk_page_range() ---------------------------------------------------- */

static int ptwb_hugetlb_entry(pte_t *ptep, unsigned long hmask,
			      unsigned long addr, unsigned long end,
			      struct mm_walk *walk)
{
	spinlock_t *ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, ptep);

	ptwb_pmd_leaf(walk->private, addr, end, (pmd_t *)ptep);
	spin_unlock(ptl);
	return 0;
}

/* A huge leaf here; anything else is for the PTE level. */
static bool ptwb_walk_leaf(pmd_t *pmdp, unsigned long addr, unsigned long end,
			   struct mm_walk *walk)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmdp, walk->vma);

	if (!ptl)
		return false;
	__acquire(ptl);		/* held by pmd_trans_huge_lock() */
	ptwb_pmd_leaf(walk->private, addr, end, pmdp);
	spin_unlock(ptl);
	return true;
}

/* What the faster walk_page_range() users do: their own PTE loop. */
static int ptwb_pmd_entry(pmd_t *pmdp, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	spinlock_t *ptl;	/* the PTE table's */
	pte_t *pte, *first;

	if (ptwb_walk_leaf(pmdp, addr, end, walk))
		return 0;
	first = pte_offset_map_lock(walk->mm, pmdp, addr, &ptl);
	if (!first) {
		walk->action = ACTION_AGAIN;
		return 0;
	}
	for (pte = first; addr < end; addr += PAGE_SIZE, pte++)
		ptwb_pte(walk->private, addr, ptep_get(pte));
	pte_unmap_unlock(first, ptl);
	return 0;
}

/* Huge leaves here, never split; PTE tables entry by entry. */
static int ptwb_pmd_leaf_only(pmd_t *pmdp, unsigned long addr,
			      unsigned long end, struct mm_walk *walk)
{
	if (ptwb_walk_leaf(pmdp, addr, end, walk))
		walk->action = ACTION_CONTINUE;
	return 0;
}

static int ptwb_pte_entry(pte_t *pte, unsigned long addr, unsigned long next,
			  struct mm_walk *walk)
{
	ptwb_pte(walk->private, addr, ptep_get(pte));
	return 0;
}

static const struct mm_walk_ops ptwb_pmd_ops = {
	.pmd_entry = ptwb_pmd_entry,
	.hugetlb_entry = ptwb_hugetlb_entry,
	.walk_lock = PGWALK_RDLOCK,
};

static const struct mm_walk_ops ptwb_pte_ops = {
	.pmd_entry = ptwb_pmd_leaf_only,
	.pte_entry = ptwb_pte_entry,
	.hugetlb_entry = ptwb_hugetlb_entry,
	.walk_lock = PGWALK_RDLOCK,
};

/* --- pt_range_walk ------------------------------------------------------- */

static void ptwb_range_walk(struct ptwb_count *c, unsigned long start,
			    unsigned long end)
{
	struct pt_range_walk ptw;
	struct pt_range_folio f;

	if (c->work == PTWB_PRESENCE) {
		for_each_pt_range(&ptw, c->vma, start, end,
				  PTW_WANT(PTW_FOLIO) | PTW_WANT(PTW_PFN))
			c->pages += pt_range_walk_size(&ptw) >> PAGE_SHIFT;
		return;
	}
	for_each_pt_range(&ptw, c->vma, start, end, PTW_WANT(PTW_FOLIO))
		for_each_pt_range_folio(&ptw, &f)
			ptwb_folio(c, f.folio, f.nr);
}

/* --- Timing and the cases ------------------------------------------------- */

/*
 * Nanoseconds from the cycle counter: test kernels may run on jiffies.
 * A TSC that was never calibrated (tsc_khz 0, as TCG guests may have)
 * gives cycles, as every other architecture without a known rate does.
 */
static u64 ptwb_ns(cycles_t cycles)
{
#if defined(CONFIG_X86_TSC)
	return tsc_khz ? mul_u64_u32_div(cycles, 1000000, tsc_khz) : cycles;
#elif defined(CONFIG_ARM_ARCH_TIMER)
	return mul_u64_u32_div(cycles, NSEC_PER_SEC, arch_timer_get_rate());
#else
	return cycles;
#endif
}

static int ptwb_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void ptwb_run(struct ptwb_count *c, enum ptwb_walker w,
		     unsigned long start, unsigned long end)
{
	struct mm_struct *mm = c->vma->vm_mm;

	c->pages = 0;
	c->anon_folios = 0;
	c->last = NULL;
	switch (w) {
	case PTWB_BARE:
		ptwb_bare(c, start, end);
		break;
	case PTWB_PMD_ENTRY:
		walk_page_range(mm, start, end, &ptwb_pmd_ops, c);
		break;
	case PTWB_PTE_ENTRY:
		walk_page_range(mm, start, end, &ptwb_pte_ops, c);
		break;
	default:
		ptwb_range_walk(c, start, end);
		break;
	}
}

/*
 * The time of one walk, in ns of the cycle counter.  A walk during which
 * this task was switched out (a walker's cond_resched() let another task
 * run) also counted that task's time: such a sample is taken again, up to
 * PTWB_TRIES times, and the retries are counted.
 */
#define PTWB_TRIES	8
static unsigned long ptwb_retries;

static u64 ptwb_time(struct ptwb_count *c, enum ptwb_walker w,
		     unsigned long start, unsigned long end)
{
	unsigned int tries;
	u64 ns = 0;

	for (tries = 0; tries < PTWB_TRIES; tries++) {
		unsigned long csw = current->nvcsw + current->nivcsw;
		cycles_t t = get_cycles();

		ptwb_run(c, w, start, end);
		ns = ptwb_ns(get_cycles() - t);
		if (csw == current->nvcsw + current->nivcsw)
			break;
		ptwb_retries++;
	}
	return ns;
}

/*
 * Time every walker on [start, end), @expect_pages present, for both
 * works, interleaving the walkers in each repetition; all must agree.
 */
static void ptwb_measure(struct kunit *test, const char *name,
			 unsigned long start, unsigned long end,
			 unsigned long expect_pages)
{
	static u64 ns[PTWB_NR_WALKERS][PTWB_MAX_REPS];
	unsigned int n = clamp(reps, 1U, (unsigned int)PTWB_MAX_REPS);
	struct mm_struct *mm = current->mm;
	struct ptwb_count c, ref;
	enum ptwb_work work;
	unsigned int r, w;

	for (work = 0; work < PTWB_NR_WORK; work++) {
		mmap_read_lock(mm);
		c = (struct ptwb_count){ .work = work, .vma = find_vma(mm, start) };
		/* An untimed pass first: caches and TLB as every walker finds them. */
		ptwb_run(&c, PTWB_BARE, start, end);
		ref = c;
		for (r = 0; r < n; r++) {
			for (w = 0; w < PTWB_NR_WALKERS; w++) {
				/* Rotate who goes first. */
				enum ptwb_walker wk = (w + r) % PTWB_NR_WALKERS;

				ns[wk][r] = ptwb_time(&c, wk, start, end);
				if (c.pages != ref.pages || c.anon_folios != ref.anon_folios) {
					KUNIT_FAIL(test, "%s %s: %s: %lu, %lu; bare: %lu, %lu",
						   name, ptwb_work_names[work],
						   ptwb_walker_names[wk], c.pages,
						   c.anon_folios, ref.pages,
						   ref.anon_folios);
					r = n;
					break;
				}
			}
		}
		mmap_read_unlock(mm);
		KUNIT_EXPECT_EQ_MSG(test, ref.pages, expect_pages, "%s %s: pages",
				    name, ptwb_work_names[work]);
		for (w = 0; w < PTWB_NR_WALKERS; w++) {
			sort(ns[w], n, sizeof(u64), ptwb_cmp, NULL);
			pr_info("PTWBENCH,%s,%s,%s,%llu,%llu,%u\n", name,
				ptwb_work_names[work], ptwb_walker_names[w],
				ns[w][n / 2], ns[w][0], n);
		}
		kunit_info(test, "%s %s: %lu samples retaken after a context switch\n",
			   name, ptwb_work_names[work], ptwb_retries);
		ptwb_retries = 0;
	}
}

/* What a mapping holds, counted before it is timed. */
struct ptwb_census {
	unsigned long pte_tables;
	unsigned long pmd_leaves;
	unsigned long pages;
	unsigned long swap;
	unsigned int min_order, max_order;
};

static void ptwb_census(unsigned long start, unsigned long end,
			struct ptwb_census *cs)
{
	struct mm_struct *mm = current->mm;
	struct pt_range_walk ptw;
	struct pt_range_folio f;

	*cs = (struct ptwb_census){ .min_order = UINT_MAX };
	mmap_read_lock(mm);
	for_each_pt_range(&ptw, find_vma(mm, start), start, end, PTW_WANT_MAPPED) {
		if (ptw.level == PT_LVL_PMD)
			cs->pmd_leaves++;
		if (ptw.type == PTW_SWAP)
			cs->swap += ptw.nr;
		if (ptw.type != PTW_FOLIO)
			continue;
		for_each_pt_range_folio(&ptw, &f) {
			cs->pages += f.nr;
			cs->min_order = min(cs->min_order, folio_order(f.folio));
			cs->max_order = max(cs->max_order, folio_order(f.folio));
		}
	}
	cs->pte_tables = ptw.nr_pte_tables;
	mmap_read_unlock(mm);
}

static unsigned long ptwb_len(void)
{
	return ALIGN((unsigned long)max(mb, 2U) << 20, PMD_SIZE);
}

/* A PMD-aligned anonymous range of ptwb_len(), with @set VM flags. */
static unsigned long ptwb_map(struct kunit *test, struct file *file,
			      unsigned long flags, vm_flags_t set)
{
	unsigned long len = ptwb_len() + PMD_SIZE, addr, start;
	struct mm_struct *mm;

	/* The test's mm exists from its first kunit_vm_mmap() on. */
	addr = kunit_vm_mmap(test, file, 0, len, PROT_READ | PROT_WRITE, flags, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr) || !addr);
	mm = current->mm;
	start = ALIGN(addr, PMD_SIZE);
	if (set) {
		mmap_write_lock(mm);
		vm_flags_mod(find_vma(mm, addr), set, 0);
		mmap_write_unlock(mm);
	}
	return start;
}

static void ptwb_touch(struct kunit *test, unsigned long start,
		       unsigned long end, unsigned long stride)
{
	unsigned long a;

	for (a = start; a < end; a += stride)
		KUNIT_ASSERT_EQ(test, put_user(0x5a, (char __user *)a), 0);
}

static void ptwb_test_4k(struct kunit *test)
{
	unsigned long start = ptwb_map(test, NULL, MAP_ANONYMOUS | MAP_PRIVATE,
				       VM_NOHUGEPAGE), end = start + ptwb_len();
	struct ptwb_census cs;

	ptwb_touch(test, start, end, PAGE_SIZE);
	ptwb_census(start, end, &cs);
	KUNIT_ASSERT_EQ(test, cs.pages, ptwb_len() >> PAGE_SHIFT);
	KUNIT_ASSERT_EQ(test, cs.pte_tables, ptwb_len() / PMD_SIZE);
	KUNIT_ASSERT_EQ(test, cs.max_order, 0U);
	ptwb_measure(test, "4k", start, end, cs.pages);
}

static void ptwb_test_sparse(struct kunit *test)
{
	unsigned long start = ptwb_map(test, NULL, MAP_ANONYMOUS | MAP_PRIVATE,
				       VM_NOHUGEPAGE), end = start + ptwb_len();
	struct ptwb_census cs;

	ptwb_touch(test, start, end, PMD_SIZE);
	ptwb_census(start, end, &cs);
	KUNIT_ASSERT_EQ(test, cs.pages, ptwb_len() / PMD_SIZE);
	KUNIT_ASSERT_EQ(test, cs.pte_tables, ptwb_len() / PMD_SIZE);
	ptwb_measure(test, "sparse", start, end, cs.pages);
}

static void ptwb_test_mthp64k(struct kunit *test)
{
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	const unsigned int order = ilog2(SZ_64K >> PAGE_SHIFT);
	unsigned long start, end, saved;
	struct ptwb_census cs;

	if (!order || !(THP_ORDERS_ALL_ANON & BIT(order)))
		kunit_skip(test, "no anonymous 64K mTHP with %luK pages", PAGE_SIZE >> 10);
	start = ptwb_map(test, NULL, MAP_ANONYMOUS | MAP_PRIVATE, 0);
	end = start + ptwb_len();
	/* Only 64K folios, for this mapping's faults alone. */
	saved = READ_ONCE(huge_anon_orders_always);
	WRITE_ONCE(huge_anon_orders_always, BIT(order));
	ptwb_touch(test, start, end, SZ_64K);
	WRITE_ONCE(huge_anon_orders_always, saved);
	ptwb_census(start, end, &cs);
	KUNIT_ASSERT_EQ(test, cs.pages, ptwb_len() >> PAGE_SHIFT);
	if (cs.min_order != order || cs.max_order != order)
		kunit_skip(test, "folios of order %u..%u, not all %u (fragmented memory?)",
			   cs.min_order, cs.max_order, order);
	ptwb_measure(test, "mthp64k", start, end, cs.pages);
#else
	kunit_skip(test, "no CONFIG_TRANSPARENT_HUGEPAGE");
#endif
}

static void ptwb_test_thp(struct kunit *test)
{
	unsigned long start, end;
	struct ptwb_census cs;

	if (!IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		kunit_skip(test, "no CONFIG_TRANSPARENT_HUGEPAGE");
	start = ptwb_map(test, NULL, MAP_ANONYMOUS | MAP_PRIVATE, VM_HUGEPAGE);
	end = start + ptwb_len();
	ptwb_touch(test, start, end, PMD_SIZE);
	ptwb_census(start, end, &cs);
	if (cs.pmd_leaves != ptwb_len() / PMD_SIZE)
		kunit_skip(test, "%lu of %lu PMDs got a THP (fragmented memory?)",
			   cs.pmd_leaves, ptwb_len() / PMD_SIZE);
	KUNIT_ASSERT_EQ(test, cs.pages, ptwb_len() >> PAGE_SHIFT);
	ptwb_measure(test, "thp", start, end, cs.pages);
}

static void ptwb_test_hugetlb2m(struct kunit *test)
{
#ifdef CONFIG_HUGETLB_PAGE
	struct hstate *h = size_to_hstate(SZ_2M);
	unsigned long start, end, need = ptwb_len() / SZ_2M;
	struct ptwb_census cs;
	struct file *file;

	if (!h || SZ_2M != PMD_SIZE)
		kunit_skip(test, "no 2M hugetlb PMD size here");
	if (h->free_huge_pages < need + 1)
		kunit_skip(test, "%lu free 2M hugetlb pages, %lu needed (hugepages=)",
			   h->free_huge_pages, need + 1);
	file = hugetlb_file_setup(HUGETLB_ANON_FILE, ptwb_len() + PMD_SIZE,
				  VM_NORESERVE, HUGETLB_ANONHUGE_INODE,
				  huge_page_shift(h));
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	start = ptwb_map(test, file, MAP_SHARED | MAP_NORESERVE, 0);
	fput(file);
	end = start + ptwb_len();
	ptwb_touch(test, start, end, SZ_2M);
	ptwb_census(start, end, &cs);
	KUNIT_ASSERT_EQ(test, cs.pmd_leaves, need);
	KUNIT_ASSERT_EQ(test, cs.pages, ptwb_len() >> PAGE_SHIFT);
	ptwb_measure(test, "hugetlb2m", start, end, cs.pages);
#else
	kunit_skip(test, "no CONFIG_HUGETLB_PAGE");
#endif
}

/*
 * Swap entries of consecutive slots in every PTE, written into the test's
 * own tables (no swap device exists at boot) and cleared again before the
 * mapping goes; no walker does anything with them but skip them.
 */
static void ptwb_swap_fill(unsigned long start, unsigned long end, bool set)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr, next;

	mmap_read_lock(mm);
	for (addr = start; addr < end; addr = next) {
		spinlock_t *ptl;	/* the PTE table's */
		pte_t *pte = get_locked_pte(mm, addr, &ptl), *first = pte;

		next = pmd_addr_end(addr, end);
		if (!pte)
			break;
		for (; addr < next; addr += PAGE_SIZE, pte++) {
			/* Slot 0 of type 0 may be pte_none(): start at 1. */
			swp_entry_t e = swp_entry(0, 1 + ((addr - start) >> PAGE_SHIFT));

			if (set)
				set_pte_at(mm, addr, pte, swp_entry_to_pte(e));
			else
				pte_clear(mm, addr, pte);
		}
		pte_unmap_unlock(first, ptl);
	}
	mmap_read_unlock(mm);
}

static void ptwb_test_swap(struct kunit *test)
{
	unsigned long start = ptwb_map(test, NULL, MAP_ANONYMOUS | MAP_PRIVATE,
				       VM_NOHUGEPAGE), end = start + ptwb_len();
	struct ptwb_census cs;

	ptwb_swap_fill(start, end, true);
	ptwb_census(start, end, &cs);
	if (cs.swap == ptwb_len() >> PAGE_SHIFT && !cs.pages)
		ptwb_measure(test, "swap", start, end, 0);
	ptwb_swap_fill(start, end, false);
	KUNIT_EXPECT_EQ(test, cs.swap, ptwb_len() >> PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, cs.pages, 0UL);
}

static struct kunit_case pt_range_walk_bench_cases[] = {
	KUNIT_CASE_SLOW(ptwb_test_4k),
	KUNIT_CASE_SLOW(ptwb_test_sparse),
	KUNIT_CASE_SLOW(ptwb_test_mthp64k),
	KUNIT_CASE_SLOW(ptwb_test_thp),
	KUNIT_CASE_SLOW(ptwb_test_hugetlb2m),
	KUNIT_CASE_SLOW(ptwb_test_swap),
	{}
};

static struct kunit_suite pt_range_walk_bench_suite = {
	.name = "pt_range_walk_bench",
	.test_cases = pt_range_walk_bench_cases,
};

kunit_test_suite(pt_range_walk_bench_suite);
