// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: pt_range_walk on real address spaces.
 *
 * Each case builds one kind of mapping in the test's own mm
 * (kunit_vm_mmap()), walks it with pt_range_walk, and compares every page of
 * the range with what an equivalent walk_page_range() walker gathered from
 * the same page tables in the same run (the differential oracle), on top
 * of the type, level and size the case expects.
 *
 * Entries the test kernel cannot produce at boot (swap, migration,
 * hwpoison, markers: no swap device or uffd context exists before init) are
 * written into the test's own page table with set_pte_at() and cleared
 * again before the mm goes away.
 *
 * The write-mode cases change entries with the modifiers
 * (pt_range_walk_clear_young() and the others) and read what they wrote
 * with a second walk, which changes nothing.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mman.h>
#include <linux/pagewalk.h>
#include <linux/pt_walk.h>
#include <linux/swapops.h>
#include <linux/uaccess.h>
#include <linux/userfaultfd_k.h>
#include <linux/vmalloc.h>
#include <asm/tlbflush.h>

/*
 * What one page of the range holds, as the oracle decoded it from the entry
 * walk_page_range() gave it, on its own: the type a step of pt_range_walk
 * must report for it, and every field the walk derives from the entry.
 */
struct ptwt_fact {
	enum pt_range_type type;	/* PTW_NONE for a hole */
	unsigned int lvl;
	unsigned long val;	/* pfn, or swap entry value */
	/* The PTE's whole value, for pt_range_walk_pte() (PTE level only) */
	unsigned long raw;
	/*
	 * The normal page mapped (vm_normal_page() and friends), the page of
	 * a migration or device entry, or NULL
	 */
	struct page *page;
	unsigned int bits;	/* PTW_BIT_* */
};

struct ptwt_oracle {
	unsigned long start;
	unsigned long nr_pages;
	struct ptwt_fact *facts;
};

/* Record @f for [addr, end); @inc: a leaf, whose pfn and page advance. */
static void ptwt_fact_set(struct ptwt_oracle *o, unsigned long addr,
			  unsigned long end, struct ptwt_fact f, bool inc)
{
	for (; addr < end; addr += PAGE_SIZE) {
		unsigned long i = (addr - o->start) >> PAGE_SHIFT;

		if (i < o->nr_pages)
			o->facts[i] = f;
		if (inc) {
			f.val++;
			if (f.page)
				f.page = nth_page(f.page, 1);
		}
	}
}

static unsigned int ptwt_bits(bool write, bool young, bool dirty,
			      bool soft_dirty, bool uffd_wp)
{
	return (write ? PTW_BIT_WRITE : 0) | (young ? PTW_BIT_YOUNG : 0) |
	       (dirty ? PTW_BIT_DIRTY : 0) |
	       (soft_dirty ? PTW_BIT_SOFT_DIRTY : 0) |
	       (uffd_wp ? PTW_BIT_UFFD_WP : 0);
}

/* The type of a non-present entry, and the page it names, if any. */
static struct ptwt_fact ptwt_fact_swp(swp_entry_t e, unsigned int lvl)
{
	struct ptwt_fact f = { .type = PTW_SWAP, .lvl = lvl, .val = e.val };

	if (is_pte_marker_entry(e))
		f.type = PTW_MARKER;
	else if (is_hwpoison_entry(e))
		f.type = PTW_HWPOISON;
	else if (is_migration_entry(e))
		f.type = PTW_MIGRATION;
	else if (is_device_private_entry(e) || is_device_exclusive_entry(e))
		f.type = PTW_DEVICE;
	if (f.type == PTW_MIGRATION || f.type == PTW_DEVICE)
		f.page = pfn_swap_entry_to_page(e);
	return f;
}

static void ptwt_fact_pte(struct ptwt_oracle *o, struct vm_area_struct *vma,
			  unsigned long addr, pte_t pte)
{
	struct ptwt_fact f = { .type = PTW_NONE };

	if (pte_present(pte)) {
		f = (struct ptwt_fact){ .lvl = PT_LVL_PTE, .val = pte_pfn(pte),
			.page = vm_normal_page(vma, addr, pte),
			.bits = ptwt_bits(pte_write(pte), pte_young(pte),
					  pte_dirty(pte), pte_soft_dirty(pte),
					  pte_uffd_wp(pte)) };
		f.type = f.page ? PTW_FOLIO : PTW_PFN;
	} else if (!pte_none(pte)) {
		f = ptwt_fact_swp(pte_to_swp_entry(pte), PT_LVL_PTE);
		f.bits = ptwt_bits(false, false, false, pte_swp_soft_dirty(pte),
				   pte_swp_uffd_wp_any(pte));
	}
	f.raw = pte_val(pte);
	ptwt_fact_set(o, addr, addr + PAGE_SIZE, f, false);
}

/* Walk every VMA: walk_page_range() skips VM_PFNMAP ones by default. */
static int ptwt_oracle_test_walk(unsigned long start, unsigned long end,
				 struct mm_walk *walk)
{
	return 0;
}

static int ptwt_oracle_hole(unsigned long addr, unsigned long next, int depth,
			    struct mm_walk *walk)
{
	ptwt_fact_set(walk->private, addr, next,
		      (struct ptwt_fact){ .type = PTW_NONE }, false);
	return 0;
}

/* Like smaps: handle huge PMDs and loop over PTEs here, never split. */
static int ptwt_oracle_pmd(pmd_t *pmdp, unsigned long addr, unsigned long end,
			   struct mm_walk *walk)
{
	struct ptwt_oracle *o = walk->private;
	spinlock_t *ptl;	/* the PTE table's */
	pte_t *pte;

	ptl = pmd_trans_huge_lock(pmdp, walk->vma);
	if (ptl) {
		unsigned long off = (addr & ~PMD_MASK) >> PAGE_SHIFT;
		pmd_t pmd = pmdp_get(pmdp);
		struct ptwt_fact f = { .lvl = PT_LVL_PMD };

		if (pmd_present(pmd)) {
			f.val = pmd_pfn(pmd) + off;
			f.page = vm_normal_page_pmd(walk->vma, addr & PMD_MASK, pmd);
			f.type = f.page ? PTW_FOLIO : PTW_PFN;
			f.bits = ptwt_bits(pmd_write(pmd), pmd_young(pmd),
					   pmd_dirty(pmd), pmd_soft_dirty(pmd),
					   pmd_uffd_wp(pmd));
		}
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
		if (!pmd_present(pmd)) {
			f = ptwt_fact_swp(pmd_to_swp_entry(pmd), PT_LVL_PMD);
			f.bits = ptwt_bits(false, false, false,
					   pmd_swp_soft_dirty(pmd),
					   pmd_swp_uffd_wp(pmd));
		}
#endif
		if (f.page)
			f.page = nth_page(f.page, off);
		ptwt_fact_set(o, addr, end, f, f.type == PTW_FOLIO || f.type == PTW_PFN);
		spin_unlock(ptl);
		return 0;
	}
	pte = pte_offset_map_lock(walk->mm, pmdp, addr, &ptl);
	if (!pte) {
		walk->action = ACTION_AGAIN;
		return 0;
	}
	for (; addr < end; addr += PAGE_SIZE, pte++)
		ptwt_fact_pte(o, walk->vma, addr, ptep_get(pte));
	pte_unmap_unlock(pte - 1, ptl);
	return 0;
}

#ifdef CONFIG_HUGETLB_PAGE
static int ptwt_oracle_hugetlb(pte_t *ptep, unsigned long hmask,
			       unsigned long addr, unsigned long end,
			       struct mm_walk *walk)
{
	struct hstate *h = hstate_vma(walk->vma);
	unsigned long sz = huge_page_size(h);
	unsigned int lvl = sz >= PUD_SIZE ? PT_LVL_PUD :
			   sz >= PMD_SIZE ? PT_LVL_PMD : PT_LVL_PTE;
	spinlock_t *ptl = huge_pte_lock(h, walk->mm, ptep);
	pte_t pte = huge_ptep_get(walk->mm, addr, ptep);
	struct ptwt_fact f = { .type = PTW_NONE };

	if (pte_present(pte)) {
		unsigned long off = (addr & ~hmask) >> PAGE_SHIFT;

		/* Every hugetlb page is a normal page, of a hugetlb folio. */
		f = (struct ptwt_fact){ .type = PTW_FOLIO, .lvl = lvl,
			.val = pte_pfn(pte) + off,
			.page = pfn_to_page(pte_pfn(pte) + off),
			.bits = ptwt_bits(huge_pte_write(pte), pte_young(pte),
					  huge_pte_dirty(pte), pte_soft_dirty(pte),
					  huge_pte_uffd_wp(pte)) };
	} else if (!pte_none(pte)) {
		f = ptwt_fact_swp(pte_to_swp_entry(pte), lvl);
		f.bits = ptwt_bits(false, false, false, pte_swp_soft_dirty(pte),
				   pte_swp_uffd_wp_any(pte));
	}
	ptwt_fact_set(walk->private, addr, end, f, f.type == PTW_FOLIO);
	spin_unlock(ptl);
	return 0;
}
#endif

static const struct mm_walk_ops ptwt_oracle_ops = {
	.pmd_entry = ptwt_oracle_pmd,
	.pte_hole = ptwt_oracle_hole,
	.test_walk = ptwt_oracle_test_walk,
#ifdef CONFIG_HUGETLB_PAGE
	.hugetlb_entry = ptwt_oracle_hugetlb,
#endif
	.walk_lock = PGWALK_RDLOCK,
};

/* --- The walk under test, and the comparison ------------------------------ */

/*
 * Is the lock the walk holds for this step (its PTE table's, or its huge
 * leaf's) held, by this task as far as lockdep can tell?
 */
static bool ptwt_step_locked(const struct pt_range_walk *ptw)
{
	/* Test kernels have lockdep; without it, this is always true. */
	return ptw->ptl && lockdep_is_held_type(ptw->ptl, -1);
}

/*
 * The folios for_each_pt_range_folio() gives for a step cover it once, in
 * order, and each page is what vm_normal_page() (or, for a leaf above the
 * PTE level, vm_normal_page_pmd() or the leaf's pfn) finds, read under the
 * lock the step holds, and what the oracle found; each batch has the bits
 * the oracle decoded from every entry in it.  A PFN step maps no page
 * vm_normal_page() finds.  Returns the largest batch.
 */
static unsigned int ptwt_check_pages(struct kunit *test,
				     struct vm_area_struct *vma,
				     const struct pt_range_walk *ptw,
				     const struct ptwt_oracle *o)
{
	unsigned long expect = ptw->addr, pfn0 = pt_range_walk_pfn(ptw);
	struct pt_range_folio f;
	unsigned int i, largest = 0;

	if (ptw->type == PTW_PFN && !ptw->hugetlb && ptw->level == PT_LVL_PTE)
		for (i = 0; i < ptw->nr; i++)
			KUNIT_EXPECT_NULL_MSG(test,
					      vm_normal_page(vma, ptw->addr + i * PAGE_SIZE,
							     pt_range_walk_pte(ptw, i)),
					      "%lx: a PFN step with a page", ptw->addr);
	if (ptw->type != PTW_FOLIO)
		return 0;
	for_each_pt_range_folio(ptw, &f) {
		KUNIT_EXPECT_EQ_MSG(test, f.addr, expect, "a folio batch skipped or repeated");
		KUNIT_EXPECT_GT(test, f.nr, 0U);
		largest = max(largest, f.nr);
		expect = f.addr + f.nr * PAGE_SIZE;
		for (i = 0; i < f.nr; i++) {
			unsigned long addr = f.addr + i * PAGE_SIZE;
			const struct ptwt_fact *fact =
				&o->facts[(addr - o->start) >> PAGE_SHIFT];
			struct page *page;

			if (ptw->level == PT_LVL_PTE) {
				unsigned int at = (addr - ptw->addr) >> PAGE_SHIFT;
				union pt_entry e = { .pte = pt_range_walk_pte(ptw, at) };

				page = vm_normal_page(vma, addr, e.pte);
				KUNIT_EXPECT_EQ_MSG(test, pt_range_walk_bits(ptw, e),
						    pt_range_walk_bits(ptw, f.entry),
						    "%lx: a batch with mixed bits", addr);
			} else if (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) &&
				   ptw->level == PT_LVL_PMD && !ptw->hugetlb) {
				page = vm_normal_page_pmd(vma, ptw->addr & PMD_MASK,
							  ptw->entry.pmd);
				if (page)
					page = nth_page(page, (addr & ~PMD_MASK) >> PAGE_SHIFT);
			} else {
				page = pfn_to_page(pfn0 + ((addr - ptw->addr) >> PAGE_SHIFT));
			}
			KUNIT_EXPECT_PTR_EQ_MSG(test, nth_page(f.page, i), page,
						"%lx: page %u of a batch of %u", addr, i, f.nr);
			KUNIT_EXPECT_PTR_EQ_MSG(test, nth_page(f.page, i), fact->page,
						"%lx: page %u of a batch of %u, not the oracle's",
						addr, i, f.nr);
			KUNIT_EXPECT_EQ_MSG(test, pt_range_walk_bits(ptw, f.entry),
					    fact->bits, "%lx: batch bits, oracle bits", addr);
			if (page)
				KUNIT_EXPECT_PTR_EQ(test, f.folio, page_folio(page));
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, expect, pt_range_walk_end(ptw),
			    "the folio batches do not cover the step");
	return largest;
}

struct ptwt_counts {
	unsigned long steps[PTW_NR_TYPES];
	unsigned long pages;
	unsigned long pte_tables;
	unsigned int max_level[PTW_NR_TYPES];
	unsigned int max_nr[PTW_NR_TYPES];
	unsigned int max_batch;		/* largest folio batch */
};

/*
 * Walk [start, end) of the VMA at @start with pt_range_walk and with the
 * oracle, under one mmap read lock, and compare them page by page.
 */
static void ptwt_compare(struct kunit *test, unsigned long start,
			 unsigned long end, unsigned int flags,
			 struct ptwt_counts *c)
{
	struct mm_struct *mm = current->mm;
	struct ptwt_oracle o = { .start = start,
				 .nr_pages = (end - start) >> PAGE_SHIFT };
	struct pt_range_walk ptw;
	struct vm_area_struct *vma;
	unsigned long expect = start, i;
	bool all = (flags & PTW_WANT_ALL) == PTW_WANT_ALL;

	memset(c, 0, sizeof(*c));
	o.facts = kvcalloc(o.nr_pages, sizeof(*o.facts), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o.facts);

	/* No KUNIT_ASSERT under the lock: a failing one would leak it. */
	mmap_read_lock(mm);
	vma = find_vma(mm, start);
	if (!vma || walk_page_range(mm, start, end, &ptwt_oracle_ops, &o)) {
		mmap_read_unlock(mm);
		kvfree(o.facts);
		KUNIT_FAIL(test, "no VMA at %lx, or the oracle walk failed", start);
		return;
	}

	for_each_pt_range(&ptw, vma, start, end, flags) {
		bool present = ptw.type == PTW_FOLIO || ptw.type == PTW_PFN;
		bool pte_level = ptw.level == PT_LVL_PTE && ptw.type != PTW_NONE;
		bool pte_run = pte_level && !ptw.hugetlb;
		/* A leaf's entry: one level's span, or a whole hugetlb page. */
		unsigned long span = ptw.hugetlb ? vma_kernel_pagesize(vma) :
				     pt_lvl_size(ptw.level);
		unsigned long first_end = min(pt_range_walk_end(&ptw),
					      (ptw.addr | (span - 1)) + 1);

		c->steps[ptw.type]++;
		c->pages += pt_range_walk_size(&ptw) >> PAGE_SHIFT;
		/* The oracle knows [start, end) only: fail, never read past it. */
		if (ptw.addr < start || pt_range_walk_end(&ptw) > end ||
		    ptw.addr >= pt_range_walk_end(&ptw)) {
			KUNIT_FAIL(test, "a step [%lx, %lx) outside the walk [%lx, %lx)",
				   ptw.addr, pt_range_walk_end(&ptw), start, end);
			continue;
		}
		/* Only a hole above the PTE level is returned without a lock. */
		if (ptw.type != PTW_NONE || ptw.level == PT_LVL_PTE)
			KUNIT_EXPECT_TRUE_MSG(test, ptwt_step_locked(&ptw),
					      "%lx: type %d level %u step without its lock",
					      ptw.addr, ptw.type, ptw.level);
		c->max_batch = max(c->max_batch, ptwt_check_pages(test, vma, &ptw, &o));
		c->max_level[ptw.type] = max(c->max_level[ptw.type], ptw.level);
		c->max_nr[ptw.type] = max(c->max_nr[ptw.type], ptw.nr);
		if (all)
			KUNIT_EXPECT_EQ_MSG(test, ptw.addr, expect, "a gap or an overlap");
		KUNIT_EXPECT_GE(test, ptw.addr, expect);
		KUNIT_EXPECT_GT(test, pt_range_walk_size(&ptw), 0UL);
		KUNIT_EXPECT_LE(test, ptw.addr + pt_range_walk_size(&ptw), end);
		if (ptw.type != PTW_NONE)
			KUNIT_EXPECT_EQ(test, (unsigned long)ptw.nr,
					pt_nr_entries(ptw.addr, pt_range_walk_end(&ptw),
						      ptw.level));
		/* The folio a migration or device entry names: the first's. */
		if (ptw.type == PTW_MIGRATION || ptw.type == PTW_DEVICE) {
			struct page *page = o.facts[(ptw.addr - start) >> PAGE_SHIFT].page;
			struct folio *folio = page ? page_folio(page) : NULL;

			KUNIT_EXPECT_PTR_EQ_MSG(test, ptw.folio, folio,
						"%lx: the folio of a type %d entry",
						ptw.addr, ptw.type);
		}
		expect = ptw.addr + pt_range_walk_size(&ptw);
		for (i = 0; i < pt_range_walk_size(&ptw) >> PAGE_SHIFT; i++) {
			unsigned long addr = ptw.addr + i * PAGE_SIZE;
			const struct ptwt_fact *f = &o.facts[(addr - start) >> PAGE_SHIFT];
			union pt_entry e = ptw.entry;
			unsigned long val = 0;
			bool bits = pte_run || addr < first_end;

			/* A PTE run maps pages of many folios: read entry i. */
			if (pte_run)
				e.pte = pt_range_walk_pte(&ptw, i);
			if (ptw.type == PTW_NONE)
				bits = false;
			else if (present && pte_level)
				val = pte_pfn(pt_range_walk_pte(&ptw, i));
			else if (present)
				val = pt_range_walk_pfn(&ptw) + i;
			else if (pte_run)
				val = pte_to_swp_entry(e.pte).val;
			else
				val = pt_range_walk_swp(&ptw).val;
			if (f->type != ptw.type ||
			    (ptw.type != PTW_NONE &&
			     (f->val != val || f->lvl != ptw.level)) ||
			    (pte_run && pte_val(e.pte) != f->raw) ||
			    (bits && pt_range_walk_bits(&ptw, e) != f->bits)) {
				KUNIT_FAIL(test,
					   "%lx: walk: type %d level %u val %lx bits %x; oracle: type %d level %u val %lx bits %x raw %lx",
					   addr, ptw.type, ptw.level, val,
					   bits ? pt_range_walk_bits(&ptw, e) : 0,
					   f->type, f->lvl, f->val, f->bits, f->raw);
				break;
			}
		}
	}
	c->pte_tables = ptw.nr_pte_tables;
	mmap_read_unlock(mm);
	if (all)
		KUNIT_EXPECT_EQ(test, expect, end);
	kvfree(o.facts);
}

static unsigned long ptwt_map(struct kunit *test, struct file *file,
			      unsigned long len, unsigned long flags)
{
	unsigned long addr = kunit_vm_mmap(test, file, 0, len,
					   PROT_READ | PROT_WRITE, flags, 0);

	KUNIT_ASSERT_NE_MSG(test, addr, 0UL, "kunit_vm_mmap failed");
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	return addr;
}

static void ptwt_touch(struct kunit *test, unsigned long addr)
{
	KUNIT_ASSERT_EQ(test, put_user(0x5a, (char __user *)addr), 0);
}

static void ptwt_set_vm_flags(unsigned long addr, vm_flags_t set, vm_flags_t clear)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	vm_flags_mod(vma, set, clear);
	mmap_write_unlock(mm);
}

/* --- Cases ------------------------------------------------------------------ */

static void ptw_test_anon_4k(struct kunit *test)
{
	const unsigned long len = 64 * PAGE_SIZE;
	unsigned long addr = ptwt_map(test, NULL, len, MAP_ANONYMOUS | MAP_PRIVATE);
	struct ptwt_counts c;
	unsigned long i;

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, 0);
	for (i = 0; i < 64; i += 3)
		ptwt_touch(test, addr + i * PAGE_SIZE);
	ptwt_compare(test, addr, addr + len, PTW_WANT_ALL, &c);
	KUNIT_EXPECT_EQ(test, c.steps[PTW_FOLIO], 22UL);
	KUNIT_EXPECT_EQ(test, c.max_level[PTW_FOLIO], (unsigned int)PT_LVL_PTE);
	KUNIT_EXPECT_EQ(test, c.pages, 64UL);
	/* Only what is mapped, when only folios are wanted. */
	ptwt_compare(test, addr, addr + len, PTW_WANT(PTW_FOLIO), &c);
	KUNIT_EXPECT_EQ(test, c.steps[PTW_NONE], 0UL);
	KUNIT_EXPECT_EQ(test, c.pages, 22UL);
}

static void ptw_test_zero_page(struct kunit *test)
{
	const unsigned long len = 8 * PAGE_SIZE;
	unsigned long addr = ptwt_map(test, NULL, len, MAP_ANONYMOUS | MAP_PRIVATE);
	struct mm_struct *mm = current->mm;
	struct pt_range_walk ptw;
	struct ptwt_counts c;
	char v = 1;

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, 0);
	/* A read fault maps the shared zero page. */
	KUNIT_ASSERT_EQ(test, get_user(v, (char __user *)addr + PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	ptwt_compare(test, addr, addr + len, PTW_WANT_ALL, &c);
	KUNIT_EXPECT_EQ(test, c.steps[PTW_PFN], 1UL);
	mmap_read_lock(mm);
	pt_range_walk_start(&ptw, find_vma(mm, addr), addr, addr + len,
			    PTW_WANT(PTW_PFN));
	KUNIT_EXPECT_EQ(test, ptw.type, PTW_PFN);
	KUNIT_EXPECT_EQ(test, ptw.addr, addr + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pt_range_walk_pfn(&ptw), my_zero_pfn(addr + PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, ptw.folio);
	pt_range_walk_done(&ptw);
	mmap_read_unlock(mm);
}

static void ptw_test_pmd_thp(struct kunit *test)
{
	unsigned long addr, start;
	struct ptwt_counts c;

	if (!IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		kunit_skip(test, "no CONFIG_TRANSPARENT_HUGEPAGE");
	addr = ptwt_map(test, NULL, 2 * PMD_SIZE, MAP_ANONYMOUS | MAP_PRIVATE);
	start = ALIGN(addr, PMD_SIZE);
	ptwt_set_vm_flags(addr, VM_HUGEPAGE, VM_NOHUGEPAGE);
	ptwt_touch(test, start + 5 * PAGE_SIZE);
	ptwt_compare(test, addr, addr + 2 * PMD_SIZE, PTW_WANT_ALL, &c);
	if (!c.max_level[PTW_FOLIO])
		kunit_skip(test, "the fault got no PMD THP (fragmented memory?)");
	KUNIT_EXPECT_EQ(test, c.max_level[PTW_FOLIO], (unsigned int)PT_LVL_PMD);
	KUNIT_EXPECT_EQ(test, c.steps[PTW_FOLIO], 1UL);
	/* A walk starting inside the THP describes its tail, unsplit. */
	ptwt_compare(test, start + 7 * PAGE_SIZE, start + PMD_SIZE, PTW_WANT_ALL, &c);
	KUNIT_EXPECT_EQ(test, c.max_level[PTW_FOLIO], (unsigned int)PT_LVL_PMD);
	KUNIT_EXPECT_EQ(test, c.pages, (PMD_SIZE >> PAGE_SHIFT) - 7);
}

/* A PTE-mapped large folio of 16 pages: 64K with 4K pages, 1M with 64K. */
static void ptw_test_mthp(struct kunit *test)
{
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	const unsigned int order = 4;
	const unsigned long size = PAGE_SIZE << order;
	unsigned long addr, saved;
	struct ptwt_counts c;

	if (!(THP_ORDERS_ALL_ANON & BIT(order)))
		kunit_skip(test, "no anonymous mTHP of order %u here", order);
	saved = READ_ONCE(huge_anon_orders_always);
	WRITE_ONCE(huge_anon_orders_always, saved | BIT(order));
	addr = ptwt_map(test, NULL, 4 * size, MAP_ANONYMOUS | MAP_PRIVATE);
	ptwt_set_vm_flags(addr, VM_HUGEPAGE, VM_NOHUGEPAGE);
	ptwt_touch(test, ALIGN(addr, size) + PAGE_SIZE);
	WRITE_ONCE(huge_anon_orders_always, saved);
	ptwt_compare(test, addr, addr + 4 * size, PTW_WANT_ALL, &c);
	if (c.max_batch == 1)
		kunit_skip(test, "the fault got no %luK folio", size >> 10);
	/* The PTE-mapped large folio comes back as one run, one batch. */
	KUNIT_EXPECT_EQ(test, c.steps[PTW_FOLIO], 1UL);
	KUNIT_EXPECT_EQ(test, c.max_nr[PTW_FOLIO], 1U << order);
	KUNIT_EXPECT_EQ(test, c.max_batch, 1U << order);
	KUNIT_EXPECT_EQ(test, c.max_level[PTW_FOLIO], (unsigned int)PT_LVL_PTE);
#else
	kunit_skip(test, "no CONFIG_TRANSPARENT_HUGEPAGE");
#endif
}

#ifdef CONFIG_HUGETLB_PAGE
static void ptwt_hugetlb(struct kunit *test, unsigned long size,
			 unsigned int lvl, unsigned int nr)
{
	struct hstate *h = size_to_hstate(size);
	struct ptwt_counts c;
	struct file *file;
	unsigned long addr;

	if (!h)
		kunit_skip(test, "no %luK hugetlb size on this kernel", size >> 10);
	if (!h->free_huge_pages)
		kunit_skip(test,
			   "no free %luK hugetlb page (hugepagesz= hugepages= on the command line)",
			   size >> 10);
	file = hugetlb_file_setup(HUGETLB_ANON_FILE, 2 * size, VM_NORESERVE,
				  HUGETLB_ANONHUGE_INODE, huge_page_shift(h));
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	/* Two huge pages of space, one populated: no reservation needed. */
	addr = ptwt_map(test, file, 2 * size, MAP_SHARED | MAP_NORESERVE);
	fput(file);
	ptwt_touch(test, addr + size + PAGE_SIZE);
	ptwt_compare(test, addr, addr + 2 * size, PTW_WANT_ALL, &c);
	KUNIT_EXPECT_EQ(test, c.steps[PTW_FOLIO], 1UL);
	KUNIT_EXPECT_EQ(test, c.max_level[PTW_FOLIO], lvl);
	KUNIT_EXPECT_EQ(test, c.max_nr[PTW_FOLIO], nr);
	KUNIT_EXPECT_EQ(test, c.pages, (2 * size) >> PAGE_SHIFT);
}
#else
static void ptwt_hugetlb(struct kunit *test, unsigned long size,
			 unsigned int lvl, unsigned int nr)
{
	kunit_skip(test, "no CONFIG_HUGETLB_PAGE");
}
#endif

static void ptw_test_hugetlb_pmd(struct kunit *test)
{
	ptwt_hugetlb(test, PMD_SIZE, PT_LVL_PMD, 1);
}

static void ptw_test_hugetlb_pud(struct kunit *test)
{
	ptwt_hugetlb(test, PUD_SIZE, PT_LVL_PUD, 1);
}

static void ptw_test_hugetlb_cont_pte(struct kunit *test)
{
#ifdef CONFIG_ARM64
	ptwt_hugetlb(test, CONT_PTE_SIZE, PT_LVL_PTE, CONT_PTES);
#else
	kunit_skip(test, "no contiguous-PTE hugetlb size on this architecture");
#endif
}

static void ptw_test_hugetlb_cont_pmd(struct kunit *test)
{
#ifdef CONFIG_ARM64
	ptwt_hugetlb(test, CONT_PMD_SIZE, PT_LVL_PMD, CONT_PMDS);
#else
	kunit_skip(test, "no contiguous-PMD hugetlb size on this architecture");
#endif
}

/*
 * Write non-present entries into the PTE table of a touched page's
 * neighbours, walk, and clear them again before the mm goes away.
 */
static void ptwt_nonpresent(struct kunit *test, pte_t *entries,
			    unsigned int nr, enum pt_range_type type,
			    unsigned long expect_steps)
{
	unsigned long addr = ptwt_map(test, NULL, 32 * PAGE_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);
	struct mm_struct *mm = current->mm;
	struct ptwt_counts c;
	spinlock_t *ptl;	/* the PTE table's */
	pte_t *pte;
	unsigned int i;

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, 0);
	ptwt_touch(test, addr);
	mmap_read_lock(mm);
	pte = get_locked_pte(mm, addr + 4 * PAGE_SIZE, &ptl);
	if (!pte) {
		mmap_read_unlock(mm);
		KUNIT_FAIL(test, "no PTE table");
		return;
	}
	for (i = 0; i < nr; i++)
		set_pte_at(mm, addr + (4 + i) * PAGE_SIZE, pte + i, entries[i]);
	pte_unmap_unlock(pte, ptl);
	mmap_read_unlock(mm);

	ptwt_compare(test, addr, addr + 32 * PAGE_SIZE, PTW_WANT_ALL, &c);
	KUNIT_EXPECT_EQ(test, c.steps[type], expect_steps);
	KUNIT_EXPECT_EQ(test, c.pages, 32UL);
	ptwt_compare(test, addr, addr + 32 * PAGE_SIZE, PTW_WANT(type), &c);
	KUNIT_EXPECT_EQ(test, c.pages, (unsigned long)nr);

	mmap_read_lock(mm);
	pte = get_locked_pte(mm, addr + 4 * PAGE_SIZE, &ptl);
	for (i = 0; i < nr; i++)
		pte_clear(mm, addr + (4 + i) * PAGE_SIZE, pte + i);
	pte_unmap_unlock(pte, ptl);
	mmap_read_unlock(mm);
}

static void ptw_test_swap(struct kunit *test)
{
	pte_t e[6];
	unsigned int i;

	/* Swap entries of any slots are one run; each entry is its own. */
	for (i = 0; i < 6; i++)
		e[i] = swp_entry_to_pte(swp_entry(0, 100 + i + (i >= 4 ? 50 : 0)));
	ptwt_nonpresent(test, e, 6, PTW_SWAP, 1);
}

static void ptw_test_migration(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	pte_t e[2];

	KUNIT_ASSERT_NOT_NULL(test, page);
	/* Migration entries are only ever seen with their page locked. */
	lock_page(page);
	e[0] = swp_entry_to_pte(make_readable_migration_entry(page_to_pfn(page)));
	e[1] = e[0];
	ptwt_nonpresent(test, e, 2, PTW_MIGRATION, 2);
	unlock_page(page);
	__free_page(page);
}

static void ptw_test_hwpoison(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	pte_t e[1];

	if (!IS_ENABLED(CONFIG_MEMORY_FAILURE)) {
		if (page)
			__free_page(page);
		kunit_skip(test, "no CONFIG_MEMORY_FAILURE");
	}
	KUNIT_ASSERT_NOT_NULL(test, page);
	/* Like memory_failure(), which holds the page lock to make one. */
	lock_page(page);
	e[0] = swp_entry_to_pte(make_hwpoison_entry(page));
	unlock_page(page);
	ptwt_nonpresent(test, e, 1, PTW_HWPOISON, 1);
	__free_page(page);
}

static void ptw_test_marker(struct kunit *test)
{
	pte_t e[3];

	e[0] = make_pte_marker(PTE_MARKER_UFFD_WP);
	e[1] = e[0];
	e[2] = make_pte_marker(PTE_MARKER_POISONED);
	ptwt_nonpresent(test, e, 3, PTW_MARKER, 3);
}

static void ptwt_free_page(void *page)
{
	__free_page(page);
}

static void ptw_test_pfnmap(struct kunit *test)
{
	unsigned long addr = ptwt_map(test, NULL, 4 * PAGE_SIZE,
				      MAP_ANONYMOUS | MAP_SHARED);
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct mm_struct *mm = current->mm;
	struct pt_range_walk ptw;
	struct ptwt_counts c;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, page);
	mmap_write_lock(mm);
	ret = remap_pfn_range(find_vma(mm, addr), addr + PAGE_SIZE,
			      page_to_pfn(page), PAGE_SIZE, PAGE_SHARED);
	mmap_write_unlock(mm);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ptwt_compare(test, addr, addr + 4 * PAGE_SIZE, PTW_WANT_ALL, &c);
	KUNIT_EXPECT_EQ(test, c.steps[PTW_PFN], 1UL);
	mmap_read_lock(mm);
	pt_range_walk_start(&ptw, find_vma(mm, addr), addr, addr + 4 * PAGE_SIZE,
			    PTW_WANT_MAPPED);
	KUNIT_EXPECT_EQ(test, ptw.type, PTW_PFN);
	KUNIT_EXPECT_EQ(test, pt_range_walk_pfn(&ptw), page_to_pfn(page));
	pt_range_walk_done(&ptw);
	mmap_read_unlock(mm);
	/* The mm, and with it the mapping, is gone before this runs. */
	kunit_add_action_or_reset(test, ptwt_free_page, page);
}

/* Holes above the PTE level are reported with their span, once. */
static void ptw_test_holes(struct kunit *test)
{
	const unsigned long len = 2 * PUD_SIZE;
	unsigned long addr = ptwt_map(test, NULL, len,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE);
	struct mm_struct *mm = current->mm;
	unsigned long expect = addr, highest = 0;
	struct pt_range_walk ptw;
	unsigned int n = 0;

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, 0);
	ptwt_touch(test, addr + len / 2);
	mmap_read_lock(mm);
	for_each_pt_range(&ptw, find_vma(mm, addr), addr, addr + len, PTW_WANT_ALL) {
		KUNIT_EXPECT_EQ(test, ptw.addr, expect);
		expect = ptw.addr + pt_range_walk_size(&ptw);
		if (ptw.type == PTW_NONE)
			highest = max_t(unsigned long, highest, ptw.level);
		n++;
	}
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, expect, addr + len);
	/* Hole, page, hole, each merged across levels: a handful of steps. */
	KUNIT_EXPECT_LE(test, n, 6U);
	KUNIT_EXPECT_GE(test, highest, (unsigned long)PT_LVL_PUD);
}

/*
 * N fully populated PTE tables: exactly N lock acquisitions.  N is 4 up to
 * 64M PMDs, 2 on 64K pages (512M each) where the test guest has 4G.
 */
static void ptw_test_lock_count(struct kunit *test)
{
	const unsigned long n = clamp_t(unsigned long, SZ_256M / PMD_SIZE, 2, 4);
	unsigned long addr = ptwt_map(test, NULL, (n + 1) * PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);
	unsigned long start = ALIGN(addr, PMD_SIZE), a;
	struct ptwt_counts c;

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, VM_HUGEPAGE);
	for (a = start; a < start + n * PMD_SIZE; a += PAGE_SIZE)
		ptwt_touch(test, a);
	ptwt_compare(test, start, start + n * PMD_SIZE, PTW_WANT_ALL, &c);
	KUNIT_EXPECT_EQ(test, c.pte_tables, n);
	KUNIT_EXPECT_EQ(test, c.pages, n * (PMD_SIZE >> PAGE_SHIFT));
	ptwt_compare(test, start, start + n * PMD_SIZE, PTW_WANT(PTW_FOLIO), &c);
	KUNIT_EXPECT_EQ(test, c.pte_tables, n);
}

/*
 * Misuses of the write mode, under the mmap lock: each returns 0 and
 * changes nothing, and the walk goes on.  Two checks of the modifiers
 * warn, once per boot each: the one of the walk's flags, step and range
 * (a walk not in write mode, a range outside the step or empty, a walk
 * that is over), and the one of a hole above the PTE level.  Both write
 * modes at once is pt_range_walk_start()'s misuse, whose warning the
 * misuse case raised already.
 * @addr: four pages of a VMA, the first and the third touched (young);
 * @hole: a PMD-aligned PMD of a VMA, with no PTE table under it.
 */
static void ptwt_write_misuse(struct kunit *test, unsigned long addr,
			      unsigned long hole)
{
	const unsigned long end = addr + 4 * PAGE_SIZE;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct pt_range_walk ptw;
	enum pt_range_type type;
	unsigned int n = 0, level;

	/* Not in write mode: the page stays young, the walk goes on. */
	type = pt_range_walk_start(&ptw, vma, addr, end, PTW_WANT_ALL);
	if (type == PTW_FOLIO && ptw.level == PT_LVL_PTE) {
		KUNIT_EXPECT_EQ(test, pt_range_walk_clear_young(&ptw, addr,
								addr + PAGE_SIZE),
				0U);
		KUNIT_EXPECT_TRUE(test, pte_young(pt_range_walk_pte(&ptw, 0)));
	} else {
		KUNIT_FAIL(test, "%lx: type %d level %u, not a PTE's folio",
			   addr, type, ptw.level);
	}
	while (pt_range_walk_next(&ptw) != PTW_DONE)
		n++;
	KUNIT_EXPECT_EQ(test, n, 3U);

	/*
	 * In write mode, at the step of the first page: a range outside it,
	 * over the third page, young too; an empty range.  Neither page
	 * lost its accessed bit then: each step's own range counts one.
	 */
	type = pt_range_walk_start(&ptw, vma, addr, end,
				   PTW_WANT(PTW_FOLIO) | PTW_MODIFY);
	KUNIT_EXPECT_EQ(test, type, PTW_FOLIO);
	KUNIT_EXPECT_EQ(test, pt_range_walk_end(&ptw), addr + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pt_range_walk_clear_young(&ptw, addr + 2 * PAGE_SIZE,
							addr + 3 * PAGE_SIZE),
			0U);
	KUNIT_EXPECT_EQ(test, pt_range_walk_clear_young(&ptw, addr, addr), 0U);
	KUNIT_EXPECT_EQ(test, pt_range_walk_clear_young(&ptw, ptw.addr,
							pt_range_walk_end(&ptw)),
			1U);
	KUNIT_EXPECT_EQ(test, pt_range_walk_next(&ptw), PTW_FOLIO);
	KUNIT_EXPECT_EQ(test, ptw.addr, addr + 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, pt_range_walk_clear_young(&ptw, ptw.addr,
							pt_range_walk_end(&ptw)),
			1U);
	KUNIT_EXPECT_EQ(test, pt_range_walk_next(&ptw), PTW_DONE);
	/* A walk that is over has no step to change. */
	KUNIT_EXPECT_EQ(test, pt_range_walk_clear_young(&ptw, addr,
							addr + PAGE_SIZE),
			0U);

	/* Both write modes: the walk ends before it starts. */
	KUNIT_EXPECT_EQ(test, pt_range_walk_start(&ptw, vma, addr, end,
						  PTW_WANT_ALL | PTW_MODIFY |
						  PTW_MODIFY_NOFLUSH),
			PTW_DONE);
	KUNIT_EXPECT_NULL(test, ptw.ptl);

	/*
	 * A hole above the PTE level has no table to put a marker in: the
	 * modifier must not make one up.  The walk goes on to its end, and
	 * a walk after it finds the same hole.
	 */
	vma = find_vma(mm, hole);
	type = pt_range_walk_start(&ptw, vma, hole, hole + PMD_SIZE,
				   PTW_WANT(PTW_NONE) | PTW_MODIFY);
	if (type == PTW_NONE && ptw.level > PT_LVL_PTE) {
		KUNIT_EXPECT_EQ(test, pt_range_walk_uffd_wp(&ptw, ptw.addr,
							    pt_range_walk_end(&ptw)),
				0U);
		KUNIT_EXPECT_EQ(test, pt_range_walk_next(&ptw), PTW_DONE);
	} else {
		KUNIT_FAIL(test, "%lx: type %d level %u, not a hole above the PTE level",
			   hole, type, ptw.level);
	}
	pt_range_walk_done(&ptw);
	type = pt_range_walk_start(&ptw, vma, hole, hole + PMD_SIZE, PTW_WANT_ALL);
	level = ptw.level;
	pt_range_walk_done(&ptw);
	KUNIT_EXPECT_EQ(test, type, PTW_NONE);
	KUNIT_EXPECT_GT(test, level, (unsigned int)PT_LVL_PTE);
}

/* Misuse warns once and ends the walk cleanly; done() is idempotent. */
static void ptw_test_misuse(struct kunit *test)
{
	unsigned long addr = ptwt_map(test, NULL, 4 * PAGE_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);
	/* For ptwt_write_misuse(): a PMD with nothing mapped under it. */
	unsigned long hole = ALIGN(ptwt_map(test, NULL, 2 * PMD_SIZE,
					    MAP_ANONYMOUS | MAP_PRIVATE |
					    MAP_NORESERVE), PMD_SIZE);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct pt_range_walk ptw;

	ptwt_touch(test, addr);
	/* Another young page, two steps away in a walk of folios. */
	ptwt_touch(test, addr + 2 * PAGE_SIZE);
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	KUNIT_EXPECT_EQ(test, pt_range_walk_start(&ptw, vma, addr, addr, PTW_WANT_ALL),
			PTW_DONE);
	KUNIT_EXPECT_EQ(test, pt_range_walk_start(&ptw, vma, addr + 1, addr + PAGE_SIZE,
						  PTW_WANT_ALL), PTW_DONE);
	KUNIT_EXPECT_EQ(test, pt_range_walk_start(&ptw, vma, addr, vma->vm_end + PAGE_SIZE,
						  PTW_WANT_ALL), PTW_DONE);
	KUNIT_EXPECT_EQ(test, pt_range_walk_start(&ptw, vma, addr, addr + PAGE_SIZE, 0),
			PTW_DONE);
	KUNIT_EXPECT_EQ(test, pt_range_walk_next(&ptw), PTW_DONE);
	/* Stopping early, then done() twice. */
	KUNIT_EXPECT_EQ(test, pt_range_walk_start(&ptw, vma, addr, addr + 4 * PAGE_SIZE,
						  PTW_WANT_ALL), PTW_FOLIO);
	pt_range_walk_done(&ptw);
	pt_range_walk_done(&ptw);
	KUNIT_EXPECT_EQ(test, ptw.type, PTW_DONE);
	/* Resuming a walk that did not pause; pausing one that is over. */
	KUNIT_EXPECT_EQ(test, pt_range_walk_resume(&ptw, vma), PTW_DONE);
	KUNIT_EXPECT_EQ(test, pt_range_walk_pause(&ptw), 0UL);
	ptwt_write_misuse(test, addr, hole);
	mmap_read_unlock(mm);
	/* No lock held. */
	KUNIT_EXPECT_EQ(test, pt_range_walk_start(&ptw, vma, addr, addr + PAGE_SIZE,
						  PTW_WANT_ALL), PTW_DONE);
}

/*
 * One walk of [start, end) wanting everything: each address exactly once.
 * Returns the type of the step that covers @at, with its step in @at_step.
 */
static enum pt_range_type __maybe_unused
ptwt_walk_at(struct kunit *test, struct vm_area_struct *vma, unsigned long start,
	     unsigned long end, unsigned long at, struct pt_range_walk *at_step)
{
	enum pt_range_type type = PTW_DONE;
	unsigned long expect = start;
	struct pt_range_walk ptw;

	for_each_pt_range(&ptw, vma, start, end, PTW_WANT_ALL) {
		KUNIT_EXPECT_EQ_MSG(test, ptw.addr, expect, "a gap or an overlap");
		expect = ptw.addr + pt_range_walk_size(&ptw);
		if (ptw.addr <= at && at < ptw.addr + pt_range_walk_size(&ptw)) {
			type = ptw.type;
			*at_step = ptw;
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, expect, end, "the walk ended early");
	return type;
}

/*
 * A pfn past the end of RAM, aligned for a leaf of @size bytes.  A
 * synthetic leaf mapping it has no struct page: nothing can read through
 * it, and page_table_check, which counts the pages a user leaf maps, has
 * nothing to count when a test clears the leaf behind its back.
 */
static __maybe_unused unsigned long ptwt_unbacked_pfn(unsigned long size)
{
	return ALIGN(max_pfn, size >> PAGE_SHIFT);
}

/*
 * The PUD entry that maps @at in the test's mm, with the tables above it
 * allocated as a fault would, under the mmap lock.
 */
static pud_t *ptwt_pud_alloc(struct mm_struct *mm, unsigned long at)
{
	p4d_t *p4dp = p4d_alloc(mm, pgd_offset(mm, at), at);

	return p4dp ? pud_alloc(mm, p4dp, at) : NULL;
}

/*
 * A PFN leaf above the PTE level, written into an empty slot of the test's
 * own mm (its pfn is never read) and cleared again before the mm goes.
 * The walk must report it as one PFN step of its level: with the steps
 * tiling the range (ptwt_walk_at()), a step that starts at the leaf and
 * has its size covers it exactly once.  A walk that wants only PFN steps
 * must find that one step alone.
 */
static void __maybe_unused
ptwt_pfn_leaf_walk(struct kunit *test, unsigned long addr, unsigned long len,
		   unsigned long at, unsigned int lvl, unsigned long pfn,
		   bool writable)
{
	const unsigned long size = lvl == PT_LVL_PUD ? PUD_SIZE : PMD_SIZE;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct pt_range_walk ptw, step;
	enum pt_range_type type;
	unsigned int pfn_steps = 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, at);
	type = ptwt_walk_at(test, vma, addr, addr + len, at, &step);
	for_each_pt_range(&ptw, vma, addr, addr + len, PTW_WANT(PTW_PFN)) {
		KUNIT_EXPECT_EQ(test, ptw.addr, at);
		pfn_steps++;
	}
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, type, PTW_PFN);
	KUNIT_EXPECT_EQ(test, step.level, lvl);
	KUNIT_EXPECT_EQ(test, step.addr, at);
	KUNIT_EXPECT_EQ(test, pt_range_walk_size(&step), size);
	KUNIT_EXPECT_EQ(test, step.nr, 1U);
	KUNIT_EXPECT_EQ(test, pt_range_walk_pfn(&step), pfn);
	KUNIT_EXPECT_EQ(test, !!(pt_range_walk_bits(&step, step.entry) & PTW_BIT_WRITE),
			writable);
	KUNIT_EXPECT_NULL(test, step.folio);
	KUNIT_EXPECT_EQ(test, pfn_steps, 1U);
}

/* Write @val into the empty PUD of @at in the test's mm; NULL if none. */
static __maybe_unused pud_t *ptwt_pud_set(struct kunit *test, unsigned long at,
					  pud_t val)
{
	struct mm_struct *mm = current->mm;
	pud_t *pudp;

	mmap_write_lock(mm);
	pudp = ptwt_pud_alloc(mm, at);
	if (!pudp || !pud_none(pudp_get(pudp))) {
		mmap_write_unlock(mm);
		KUNIT_FAIL(test, "no empty PUD at %lx", at);
		return NULL;
	}
	set_pud_at(mm, at, pudp, val);
	mmap_write_unlock(mm);
	return pudp;
}

/* Clear it again: never leave it to the teardown of the page tables. */
static void __maybe_unused ptwt_pud_unset(pud_t *pudp)
{
	mmap_write_lock(current->mm);
	pud_clear(pudp);
	mmap_write_unlock(current->mm);
}

/*
 * Install @leaf, a PUD leaf of @pfn, in an empty PUD of a fresh mapping of
 * three PUDs, walk it (ptwt_pfn_leaf_walk()), and clear it again.
 */
static void __maybe_unused ptwt_pud_leaf(struct kunit *test, pud_t leaf,
					 unsigned long pfn, bool writable)
{
	unsigned long addr = ptwt_map(test, NULL, 3 * PUD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE);
	unsigned long at = ALIGN(addr, PUD_SIZE);
	pud_t *pudp = ptwt_pud_set(test, at, leaf);

	if (!pudp)
		return;
	ptwt_pfn_leaf_walk(test, addr, 3 * PUD_SIZE, at, PT_LVL_PUD, pfn, writable);
	ptwt_pud_unset(pudp);
}

/*
 * A present PMD that is neither a leaf nor a valid table (pmd_bad()) is
 * corrupt: never read as a huge page, reported as a hole, and cleared by
 * pte_offset_map_lock() as every walker of PTE tables does.  On x86 a
 * table entry without _PAGE_RW is bad; on arm64 every present non-leaf PMD
 * is a table, so no bad one can be made.
 */
static void ptw_test_bad_pmd(struct kunit *test)
{
#ifdef CONFIG_X86_64
	unsigned long addr = ptwt_map(test, NULL, 4 * PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);
	unsigned long start = ALIGN(addr, PMD_SIZE) + PMD_SIZE, bad;
	struct page *junk = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct mm_struct *mm = current->mm;
	struct pt_range_walk step;
	enum pt_range_type type;
	pmd_t *pmdp;
	bool cleared;

	KUNIT_ASSERT_NOT_NULL(test, junk);
	kunit_add_action_or_reset(test, ptwt_free_page, junk);
	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, VM_HUGEPAGE);
	/* A PTE table at start; the bad entry next to it, in the same PUD. */
	ptwt_touch(test, start);
	bad = (start + PMD_SIZE) & ~PUD_MASK ? start + PMD_SIZE : start - PMD_SIZE;
	mmap_write_lock(mm);
	pmdp = pmd_off(mm, bad);
	if (!pmd_none(pmdp_get(pmdp))) {
		mmap_write_unlock(mm);
		KUNIT_FAIL(test, "the PMD at %lx is not empty", bad);
		return;
	}
	set_pmd(pmdp, __pmd(PFN_PHYS(page_to_pfn(junk)) | _PAGE_PRESENT | _PAGE_USER));
	KUNIT_EXPECT_TRUE(test, pmd_bad(pmdp_get(pmdp)));
	mmap_write_downgrade(mm);
	type = ptwt_walk_at(test, find_vma(mm, bad), addr, addr + 4 * PMD_SIZE,
			    bad, &step);
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, type, PTW_NONE);
	KUNIT_EXPECT_EQ(test, step.addr, bad);
	KUNIT_EXPECT_GE(test, step.addr + pt_range_walk_size(&step), bad + PMD_SIZE);

	/* Never leave the entry to the teardown of the page tables. */
	mmap_write_lock(mm);
	cleared = pmd_none(pmdp_get(pmdp));
	pmd_clear(pmdp);
	mmap_write_unlock(mm);
	KUNIT_EXPECT_TRUE_MSG(test, cleared, "the bad PMD was not cleared");
#else
	kunit_skip(test, "every present non-leaf PMD is a table here");
#endif
}

/*
 * A PROT_NONE PUD leaf outside hugetlb (DAX or a huge PFN mapping after
 * change_huge_pud()) is not pud_present() on x86, yet a leaf mapping its
 * pfn: the walk reports it as such, without a warning, and goes on.
 */
static void ptw_test_protnone_pud(struct kunit *test)
{
#if defined(CONFIG_X86_64) && defined(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD)
	const unsigned long pfn = ptwt_unbacked_pfn(PUD_SIZE);
	pud_t leaf = pud_mkhuge(pfn_pud(pfn, PAGE_NONE));

	KUNIT_EXPECT_FALSE(test, pud_present(leaf));
	ptwt_pud_leaf(test, leaf, pfn, false);
#else
	kunit_skip(test, "PROT_NONE PUD leaves are present here (x86_64 only)");
#endif
}

/*
 * An entry no walker should meet: a PUD that is neither empty, present, a
 * leaf nor a table (x86: only a software bit set).  The walk warns once
 * (kunit_results.py expects exactly that warning of this case), skips the
 * entry, and walks on: the steps before and after it are reported, none
 * covers it, and the walk ends with no lock held (lockdep would say).
 */
static void ptw_test_unexpected_pud(struct kunit *test)
{
#if defined(CONFIG_X86_64) && defined(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD)
	unsigned long addr = ptwt_map(test, NULL, 3 * PUD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE);
	unsigned long at = ALIGN(addr, PUD_SIZE), end = addr + 3 * PUD_SIZE;
	const pud_t odd = __pud(_PAGE_SOFTW1);
	struct mm_struct *mm = current->mm;
	unsigned int before = 0, after = 0;
	struct pt_range_walk ptw;
	pud_t *pudp;

	KUNIT_ASSERT_FALSE(test, pud_none(odd) || pud_present(odd) || pud_leaf(odd));
	pudp = ptwt_pud_set(test, at, odd);
	if (!pudp)
		return;
	mmap_read_lock(mm);
	for_each_pt_range(&ptw, find_vma(mm, at), addr, end, PTW_WANT_ALL) {
		unsigned long s = ptw.addr, e = pt_range_walk_end(&ptw);

		KUNIT_EXPECT_TRUE_MSG(test, e <= at || s >= at + PUD_SIZE,
				      "step [%lx, %lx) covers the entry at %lx", s, e, at);
		before += e <= at;
		after += s >= at + PUD_SIZE;
	}
	mmap_read_unlock(mm);
	KUNIT_EXPECT_GT(test, after, 0U);
	KUNIT_EXPECT_EQ(test, before > 0, addr < at);
	ptwt_pud_unset(pudp);
#else
	kunit_skip(test, "no PUD neither leaf nor table can be made here (x86_64 only)");
#endif
}

/*
 * Write a devmap PMD leaf of @pfn (never read) into the empty PMD of @at
 * in the test's mm, as a DAX mapping would have; NULL if there is none.
 */
static __maybe_unused pmd_t *ptwt_devmap_pmd_set(struct kunit *test,
						 unsigned long at,
						 unsigned long pfn)
{
#if defined(CONFIG_ARCH_HAS_PTE_DEVMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
	struct mm_struct *mm = current->mm;
	pud_t *pudp;
	pmd_t *pmdp;

	mmap_write_lock(mm);
	pudp = ptwt_pud_alloc(mm, at);
	pmdp = pudp ? pmd_alloc(mm, pudp, at) : NULL;
	if (!pmdp || !pmd_none(pmdp_get(pmdp))) {
		mmap_write_unlock(mm);
		KUNIT_FAIL(test, "no empty PMD at %lx", at);
		return NULL;
	}
	set_pmd_at(mm, at, pmdp, pmd_mkdevmap(pmd_mkhuge(pfn_pmd(pfn, PAGE_SHARED))));
	mmap_write_unlock(mm);
	return pmdp;
#else
	return NULL;
#endif
}

/* The walker of the race cases, on the test's mm in a kthread. */
struct ptwt_racer {
	struct mm_struct *mm;
	unsigned long start, end;
	unsigned int steps, mapped_steps;
	unsigned long covered;		/* bytes the steps cover */
	struct completion done;
};

static int ptwt_racer_fn(void *data)
{
	struct ptwt_racer *r = data;
	struct pt_range_walk ptw;

	kthread_use_mm(r->mm);
	mmap_read_lock(r->mm);
	for_each_pt_range(&ptw, find_vma(r->mm, r->start), r->start, r->end, PTW_WANT_ALL) {
		r->steps++;
		r->mapped_steps += ptw.type != PTW_NONE;
		r->covered += pt_range_walk_size(&ptw);
	}
	mmap_read_unlock(r->mm);
	kthread_unuse_mm(r->mm);
	complete(&r->done);
	return 0;
}

/*
 * Walk [@r->start, @r->end) in a kthread while this test holds @ptl; once
 * the walker, which has read the PMD entry @pmdp without a lock, waits for
 * @ptl, clear the entry and let go.  Returns whether the walker was seen
 * waiting; the walk is over on return.
 */
static bool ptwt_race_pmd_clear(struct kunit *test, struct ptwt_racer *r,
				spinlock_t *ptl, pmd_t *pmdp)
{
	struct task_struct *walker;
	bool waited = false;
	ktime_t until;
	int cpu;

	r->mm = current->mm;
	init_completion(&r->done);
	/* Created before the lock is taken: creating a kthread may sleep. */
	walker = kthread_create(ptwt_racer_fn, r, "ptwt_racer");
	if (IS_ERR(walker)) {
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(walker));
		return false;
	}
	/* The walker on another CPU: this one spins with @ptl held. */
	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	kthread_bind(walker, cpu);
	spin_lock(ptl);
	wake_up_process(walker);
	/* Wait, bounded, for the walker to queue on the lock. */
	until = ktime_add_ms(ktime_get(), 2000);
	while (!(waited = spin_is_contended(ptl)) && ktime_before(ktime_get(), until))
		cpu_relax();
	pmd_clear(pmdp);
	spin_unlock(ptl);
	migrate_enable();
	wait_for_completion(&r->done);
	KUNIT_EXPECT_TRUE_MSG(test, waited, "the walker never waited on the lock");
	return waited;
}

/*
 * A PMD leaf that goes away between the walk's lockless read and its lock:
 * under the lock the walk must read the entry again and report a hole,
 * never the leaf it saw.
 */
static void ptw_test_leaf_changed(struct kunit *test)
{
#if defined(CONFIG_ARCH_HAS_PTE_DEVMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
	const unsigned long pfn = ptwt_unbacked_pfn(PMD_SIZE);
	unsigned long addr = ptwt_map(test, NULL, 3 * PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE);
	unsigned long at = ALIGN(addr, PMD_SIZE);
	struct ptwt_racer r = { .start = at, .end = at + PMD_SIZE };
	pmd_t *pmdp;

	if (num_online_cpus() < 2)
		kunit_skip(test, "the walker needs a CPU of its own");
	pmdp = ptwt_devmap_pmd_set(test, at, pfn);
	if (!pmdp)
		return;
	ptwt_race_pmd_clear(test, &r, pmd_lockptr(current->mm, pmdp), pmdp);
	KUNIT_EXPECT_EQ(test, r.mapped_steps, 0U);
	KUNIT_EXPECT_EQ(test, r.covered, PMD_SIZE);
#else
	kunit_skip(test, "no devmap PMD leaves here (ARCH_HAS_PTE_DEVMAP and THP)");
#endif
}

/*
 * A PTE table that goes away between the walk's lockless read of its PMD
 * entry and the table's lock: pte_offset_map_lock() finds the entry
 * changed and then empty, so entering the table fails.  The walk must look
 * again and report the range once, as the hole it now is.  The table is
 * put back afterwards, for the mm to free at exit.
 */
static void ptw_test_table_changed(struct kunit *test)
{
	unsigned long addr = ptwt_map(test, NULL, 3 * PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE);
	unsigned long at = ALIGN(addr, PMD_SIZE);
	struct ptwt_racer r = { .start = at, .end = at + PMD_SIZE };
	struct mm_struct *mm = current->mm;
	pmd_t *pmdp = NULL, pmd;
	pud_t *pudp;

	if (num_online_cpus() < 2)
		kunit_skip(test, "the walker needs a CPU of its own");
	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, VM_HUGEPAGE);
	ptwt_touch(test, at + PAGE_SIZE);
	mmap_read_lock(mm);
	pudp = ptwt_pud_alloc(mm, at);
	if (pudp)
		pmdp = pmd_offset(pudp, at);
	mmap_read_unlock(mm);
	pmd = pmdp ? pmdp_get(pmdp) : __pmd(0);
	if (pmd_none(pmd) || pmd_leaf(pmd)) {
		KUNIT_FAIL(test, "no PTE table at %lx", at);
		return;
	}
	ptwt_race_pmd_clear(test, &r, pte_lockptr(mm, pmdp), pmdp);
	mmap_write_lock(mm);
	set_pmd(pmdp, pmd);
	mmap_write_unlock(mm);
	KUNIT_EXPECT_EQ(test, r.mapped_steps, 0U);
	KUNIT_EXPECT_EQ(test, r.steps, 1U);
	KUNIT_EXPECT_EQ(test, r.covered, PMD_SIZE);
}

/*
 * The devmap leaves of a DAX mapping (device-dax at 2M or 1G): pfns of
 * ZONE_DEVICE memory mapped whole by one PMD or PUD entry, whose pages are
 * no folio the /proc walkers may account.  No DAX device exists when KUnit
 * runs, so the leaves are synthetic (ptwt_pfn_leaf_walk()).
 */
static void ptw_test_devmap_pmd(struct kunit *test)
{
#if defined(CONFIG_ARCH_HAS_PTE_DEVMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
	const unsigned long pfn = ptwt_unbacked_pfn(PMD_SIZE);
	unsigned long addr = ptwt_map(test, NULL, 3 * PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE);
	unsigned long at = ALIGN(addr, PMD_SIZE);
	struct mm_struct *mm = current->mm;
	pmd_t *pmdp = ptwt_devmap_pmd_set(test, at, pfn);

	if (!pmdp)
		return;
	KUNIT_EXPECT_TRUE(test, pmd_devmap(pmdp_get(pmdp)));
	ptwt_pfn_leaf_walk(test, addr, 3 * PMD_SIZE, at, PT_LVL_PMD, pfn, true);

	mmap_write_lock(mm);
	pmd_clear(pmdp);
	mmap_write_unlock(mm);
#else
	kunit_skip(test, "no devmap PMD leaves here (ARCH_HAS_PTE_DEVMAP and THP)");
#endif
}

static void ptw_test_devmap_pud(struct kunit *test)
{
#if defined(CONFIG_ARCH_HAS_PTE_DEVMAP) && defined(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD)
	const unsigned long pfn = ptwt_unbacked_pfn(PUD_SIZE);
	pud_t leaf = pud_mkdevmap(pud_mkhuge(pfn_pud(pfn, PAGE_SHARED)));

	KUNIT_EXPECT_TRUE(test, pud_devmap(leaf));
	ptwt_pud_leaf(test, leaf, pfn, true);
#else
	kunit_skip(test, "no devmap PUD leaves here (transparent PUD leaves: x86_64 only)");
#endif
}

/*
 * Between two steps outside a PTE table the walk holds no spinlock and
 * reschedules: a long run of huge leaves must not hog the CPU.  Ask for a
 * reschedule while the first of two PMD THPs is being looked at; the step
 * to the second must have honoured it.  With preemption, spin_unlock()
 * reschedules anyway, so this can only tell on PREEMPT_NONE/VOLUNTARY.
 */
static void ptw_test_resched(struct kunit *test)
{
	struct pt_range_walk ptw;
	unsigned long addr, start;
	enum pt_range_type type;
	unsigned long switches;
	struct mm_struct *mm;
	bool pending;

	if (!IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		kunit_skip(test, "no CONFIG_TRANSPARENT_HUGEPAGE");
	if (IS_ENABLED(CONFIG_PREEMPTION))
		kunit_skip(test, "with CONFIG_PREEMPTION every unlock reschedules");
	addr = ptwt_map(test, NULL, 3 * PMD_SIZE, MAP_ANONYMOUS | MAP_PRIVATE);
	mm = current->mm;	/* the test's own, since ptwt_map() */
	start = ALIGN(addr, PMD_SIZE);
	ptwt_set_vm_flags(addr, VM_HUGEPAGE, VM_NOHUGEPAGE);
	ptwt_touch(test, start);
	ptwt_touch(test, start + PMD_SIZE);

	mmap_read_lock(mm);
	type = pt_range_walk_start(&ptw, find_vma(mm, start), start,
				   start + 2 * PMD_SIZE, PTW_WANT(PTW_FOLIO));
	if (type != PTW_FOLIO || ptw.level != PT_LVL_PMD) {
		pt_range_walk_done(&ptw);
		mmap_read_unlock(mm);
		kunit_skip(test, "the faults got no PMD THP (fragmented memory?)");
	}
	switches = current->nvcsw + current->nivcsw;
	set_tsk_need_resched(current);
	set_preempt_need_resched();
	type = pt_range_walk_next(&ptw);
	/*
	 * Rescheduled: the request is gone, or the task was switched out (and
	 * a new request, a tick's, may have come in since).
	 */
	pending = need_resched() && current->nvcsw + current->nivcsw == switches;
	KUNIT_EXPECT_EQ(test, type, PTW_FOLIO);
	KUNIT_EXPECT_EQ(test, ptw.addr, start + PMD_SIZE);
	pt_range_walk_done(&ptw);
	mmap_read_unlock(mm);
	KUNIT_EXPECT_FALSE_MSG(test, pending, "no reschedule between two PMD leaves");
}

/* --- Pause and resume -------------------------------------------------------- */

/* What walks described of [start, start + nr_pages pages): per page. */
struct ptwt_cover {
	unsigned long start, nr_pages;
	u8 *visits;		/* how many steps described the page */
	u8 *types;		/* the type of the last of them */
	unsigned int pauses;
};

static void ptwt_cover_init(struct kunit *test, struct ptwt_cover *cv,
			    unsigned long start, unsigned long end)
{
	cv->start = start;
	cv->nr_pages = (end - start) >> PAGE_SHIFT;
	cv->pauses = 0;
	cv->visits = kunit_kcalloc(test, cv->nr_pages, 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cv->visits);
	cv->types = cv->visits + cv->nr_pages;
}

static void ptwt_cover_step(struct kunit *test, struct ptwt_cover *cv,
			    const struct pt_range_walk *ptw)
{
	unsigned long end = cv->start + (cv->nr_pages << PAGE_SHIFT), a;

	if (ptw->addr < cv->start || pt_range_walk_end(ptw) > end ||
	    ptw->addr >= pt_range_walk_end(ptw)) {
		KUNIT_FAIL(test, "a step [%lx, %lx) outside the walk [%lx, %lx)",
			   ptw->addr, pt_range_walk_end(ptw), cv->start, end);
		return;
	}
	for (a = ptw->addr; a < pt_range_walk_end(ptw); a += PAGE_SIZE) {
		unsigned long i = (a - cv->start) >> PAGE_SHIFT;

		cv->visits[i]++;
		cv->types[i] = ptw->type;
	}
}

/* Called while a walk is paused at @resume, the mmap lock not held. */
typedef void (*ptwt_paused_fn)(struct kunit *test, unsigned long resume,
			       void *arg);

/*
 * Walk [start, end) of the VMA there, pausing after every @every-th step
 * (never, for 0): drop the mmap lock, call @fn, retake the lock, look the
 * VMA up again and resume.  Each step goes to @cv.
 */
static void ptwt_walk_pausing(struct kunit *test, unsigned long start,
			      unsigned long end, unsigned int flags,
			      unsigned int every, ptwt_paused_fn fn, void *arg,
			      struct ptwt_cover *cv)
{
	struct mm_struct *mm = current->mm;
	struct pt_range_walk ptw;
	enum pt_range_type type;
	unsigned long resume, step_end, steps = 0;
	unsigned int n = 0;

	mmap_read_lock(mm);
	type = pt_range_walk_start(&ptw, find_vma(mm, start), start, end, flags);
	while (type != PTW_DONE) {
		/* A walk that repeats itself would never end: stop it. */
		if (++steps > 2 * cv->nr_pages + 16) {
			pt_range_walk_done(&ptw);
			KUNIT_FAIL(test, "more than %lu steps: the walk repeats itself",
				   2 * cv->nr_pages + 16);
			break;
		}
		ptwt_cover_step(test, cv, &ptw);
		step_end = pt_range_walk_end(&ptw);
		if (!every || ++n % every) {
			type = pt_range_walk_next(&ptw);
			continue;
		}
		/* 0: nothing left of the walk, which the VMA may end early. */
		resume = pt_range_walk_pause(&ptw);
		if (!resume)
			break;
		KUNIT_EXPECT_EQ(test, resume, step_end);
		KUNIT_EXPECT_EQ(test, pt_range_walk_paused(&ptw), resume);
		cv->pauses++;
		mmap_read_unlock(mm);
		if (fn)
			fn(test, resume, arg);
		mmap_read_lock(mm);
		type = pt_range_walk_resume(&ptw, find_vma(mm, resume));
	}
	mmap_read_unlock(mm);
}

/* Every page of [from, to) of @cv described @n times. */
static void ptwt_expect_visits(struct kunit *test, const struct ptwt_cover *cv,
			       unsigned long from, unsigned long to, unsigned int n)
{
	unsigned long a;

	for (a = from; a < to; a += PAGE_SIZE) {
		unsigned long i = (a - cv->start) >> PAGE_SHIFT;

		if (cv->visits[i] != n) {
			KUNIT_FAIL(test, "%lx described %u times, not %u (%u pauses)",
				   a, cv->visits[i], n, cv->pauses);
			return;
		}
	}
}

/*
 * A range of PTE tables, a THP when the fault gets one, and holes, walked
 * pausing after every step, every other and every third: each address is
 * described exactly once, as an uninterrupted walk describes it.
 */
static void ptw_test_pause_exactly_once(struct kunit *test)
{
	const unsigned long span = 4 * PMD_SIZE;
	unsigned long addr = ptwt_map(test, NULL, span + PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);
	unsigned long start = ALIGN(addr, PMD_SIZE), end = start + span, a, i;
	struct ptwt_cover whole, cv;
	unsigned int every;

	ptwt_set_vm_flags(addr, VM_HUGEPAGE, VM_NOHUGEPAGE);
	/* A THP, if the fault gets one, in the second PMD. */
	ptwt_touch(test, start + PMD_SIZE);
	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, VM_HUGEPAGE);
	for (a = start; a < start + PMD_SIZE; a += 3 * PAGE_SIZE)
		ptwt_touch(test, a);
	for (a = start + 3 * PMD_SIZE + 5 * PAGE_SIZE; a < end; a += 64 * PAGE_SIZE)
		ptwt_touch(test, a);

	ptwt_cover_init(test, &whole, start, end);
	ptwt_walk_pausing(test, start, end, PTW_WANT_ALL, 0, NULL, NULL, &whole);
	ptwt_expect_visits(test, &whole, start, end, 1);
	for (every = 1; every <= 3; every++) {
		ptwt_cover_init(test, &cv, start, end);
		ptwt_walk_pausing(test, start, end, PTW_WANT_ALL, every, NULL,
				  NULL, &cv);
		KUNIT_EXPECT_GT(test, cv.pauses, 3U);
		ptwt_expect_visits(test, &cv, start, end, 1);
		for (i = 0; i < cv.nr_pages; i++)
			if (cv.types[i] != whole.types[i]) {
				KUNIT_FAIL(test, "%lx: type %u after pauses, %u without",
					   start + (i << PAGE_SHIFT), cv.types[i],
					   whole.types[i]);
				break;
			}
		/* Only folios wanted: the mapped pages, each once. */
		ptwt_cover_init(test, &cv, start, end);
		ptwt_walk_pausing(test, start, end, PTW_WANT(PTW_FOLIO), every,
				  NULL, NULL, &cv);
		for (i = 0; i < cv.nr_pages; i++) {
			unsigned int want = whole.types[i] == PTW_FOLIO;

			if (cv.visits[i] != want) {
				KUNIT_FAIL(test, "%lx: described %u times, a type %u page",
					   start + (i << PAGE_SHIFT), cv.visits[i],
					   whole.types[i]);
				break;
			}
		}
	}
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/* Split the large folio of @arg (a page, with a reference) while paused. */
static void ptwt_split_paused(struct kunit *test, unsigned long resume, void *arg)
{
	struct folio *folio = page_folio((struct page *)arg);

	if (!folio_test_large(folio))
		return;
	lru_add_drain_all();
	folio_lock(folio);
	KUNIT_EXPECT_EQ_MSG(test, split_folio(folio), 0, "the THP did not split");
	folio_unlock(folio);
}
#endif

/*
 * A PTE-mapped THP, its middle page zapped: two runs of it, around a
 * hole.  The walk pauses after every step, and the THP is split into
 * order-0 folios during the first pause, between its two halves.  The
 * second half is described once, its folios order-0 ones.
 */
static void ptw_test_pause_split_thp(struct kunit *test)
{
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	struct mm_struct *mm;
	unsigned long addr, start, mid, a;
	struct page *page = NULL;
	struct pt_range_walk ptw;
	struct pt_range_folio f;
	struct ptwt_cover cv;
	unsigned int max_nr = 0;

	addr = ptwt_map(test, NULL, 2 * PMD_SIZE, MAP_ANONYMOUS | MAP_PRIVATE);
	mm = current->mm;	/* the test's own, since ptwt_map() */
	start = ALIGN(addr, PMD_SIZE);
	mid = start + PMD_SIZE / 2;
	ptwt_set_vm_flags(addr, VM_HUGEPAGE, VM_NOHUGEPAGE);
	ptwt_touch(test, start);
	KUNIT_ASSERT_EQ(test, get_user_pages_fast(start, 1, 0, &page), 1);
	if (!folio_test_pmd_mappable(page_folio(page))) {
		put_page(page);
		kunit_skip(test, "the fault got no PMD THP (fragmented memory?)");
	}
	/* No page of it zero: a split would map those to the zero page. */
	for (a = start; a < start + PMD_SIZE; a += PAGE_SIZE)
		ptwt_touch(test, a);
	/* Zapping a page of it maps the rest with PTEs. */
	KUNIT_ASSERT_EQ(test, do_madvise(mm, mid, PAGE_SIZE, MADV_DONTNEED), 0);

	ptwt_cover_init(test, &cv, start, start + PMD_SIZE);
	ptwt_walk_pausing(test, start, start + PMD_SIZE, PTW_WANT_ALL, 1,
			  ptwt_split_paused, page, &cv);
	KUNIT_EXPECT_FALSE(test, folio_test_large(page_folio(page)));
	put_page(page);
	ptwt_expect_visits(test, &cv, start, start + PMD_SIZE, 1);
	KUNIT_EXPECT_EQ(test, cv.types[0], (u8)PTW_FOLIO);
	KUNIT_EXPECT_EQ(test, cv.types[(mid - start) >> PAGE_SHIFT], (u8)PTW_NONE);
	KUNIT_EXPECT_EQ(test, cv.types[cv.nr_pages - 1], (u8)PTW_FOLIO);
	KUNIT_EXPECT_EQ(test, cv.pauses, 2U);

	/* The second half now: order-0 folios, a batch each. */
	mmap_read_lock(mm);
	for_each_pt_range(&ptw, find_vma(mm, mid), mid + PAGE_SIZE,
			  start + PMD_SIZE, PTW_WANT(PTW_FOLIO))
		for_each_pt_range_folio(&ptw, &f)
			max_nr = max(max_nr, f.nr);
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, max_nr, 1U);
#else
	kunit_skip(test, "no CONFIG_TRANSPARENT_HUGEPAGE");
#endif
}

/* What ptwt_unmap_paused() unmaps: [from, to), from 0 for the resume address. */
struct ptwt_unmap {
	unsigned long from, to;
};

/* While paused, the first time: unmap what @arg says. */
static void ptwt_unmap_paused(struct kunit *test, unsigned long resume, void *arg)
{
	struct ptwt_unmap *u = arg;
	unsigned long from = u->from ?: resume;

	if (u->to > from)
		KUNIT_EXPECT_EQ(test, vm_munmap(from, u->to - from), 0);
	u->to = 0;
}

/*
 * The rest of the VMA is unmapped while the walk is paused: the walk goes
 * on to the new end of the VMA, and no further; the part after a hole
 * punched in it is another VMA, for another walk.  When the whole rest
 * goes, so does the walk.
 */
static void ptw_test_pause_unmapped(struct kunit *test)
{
	const unsigned long span = 4 * PMD_SIZE;
	unsigned long addr = ptwt_map(test, NULL, span + PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);
	unsigned long start = ALIGN(addr, PMD_SIZE), end = start + span, a;
	struct ptwt_unmap u;
	struct ptwt_cover cv;

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, VM_HUGEPAGE);
	for (a = start; a < end; a += 8 * PAGE_SIZE)
		ptwt_touch(test, a);

	/* A hole punched in the second PMD during the first pause. */
	u = (struct ptwt_unmap){ start + PMD_SIZE, start + 2 * PMD_SIZE };
	ptwt_cover_init(test, &cv, start, end);
	ptwt_walk_pausing(test, start, end, PTW_WANT_ALL, 1, ptwt_unmap_paused,
			  &u, &cv);
	ptwt_expect_visits(test, &cv, start, start + PMD_SIZE, 1);
	ptwt_expect_visits(test, &cv, start + PMD_SIZE, end, 0);

	/* Everything from the resume address on, past the walk's end. */
	start += 2 * PMD_SIZE;
	u = (struct ptwt_unmap){ 0, end };
	ptwt_cover_init(test, &cv, start, end);
	ptwt_walk_pausing(test, start, end, PTW_WANT_ALL, 1, ptwt_unmap_paused,
			  &u, &cv);
	KUNIT_EXPECT_EQ(test, cv.pauses, 1U);
	ptwt_expect_visits(test, &cv, start, start + PAGE_SIZE, 1);
	ptwt_expect_visits(test, &cv, start + PAGE_SIZE, end, 0);
}

/* A writer of the mmap lock, in a kthread, for ptw_test_pause_contended(). */
struct ptwt_writer {
	struct mm_struct *mm;
	struct completion done;
};

static int ptwt_writer_fn(void *data)
{
	struct ptwt_writer *w = data;

	mmap_write_lock(w->mm);
	mmap_write_unlock(w->mm);
	complete(&w->done);
	return 0;
}

/*
 * With PTW_PAUSE_ON_CONTENTION, a writer waiting for the mmap lock makes
 * the walk, once it has run for PTW_PAUSE_HOLD_NS, pause at the end of the
 * PTE table it is in, not inside the table; the writer gets the lock, and
 * the walk resumes where it paused.
 */
static void ptw_test_pause_contended(struct kunit *test)
{
	const unsigned long span = 3 * PMD_SIZE;
	unsigned long addr = ptwt_map(test, NULL, span + PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);
	unsigned long start = ALIGN(addr, PMD_SIZE), end = start + span, a;
	struct ptwt_writer w = { .mm = current->mm };
	struct task_struct *writer;
	struct pt_range_walk ptw;
	enum pt_range_type type;
	struct ptwt_cover cv;
	bool contended;
	ktime_t until;

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, VM_HUGEPAGE);
	for (a = start; a < end; a += 2 * PAGE_SIZE)
		ptwt_touch(test, a);
	ptwt_cover_init(test, &cv, start, end);
	init_completion(&w.done);

	mmap_read_lock(w.mm);
	writer = kthread_run(ptwt_writer_fn, &w, "ptwt_writer");
	if (IS_ERR(writer)) {
		mmap_read_unlock(w.mm);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(writer));
		return;
	}
	until = ktime_add_ms(ktime_get(), 5000);
	while (!(contended = mmap_lock_is_contended(w.mm)) &&
	       ktime_before(ktime_get(), until))
		usleep_range(1000, 2000);
	type = pt_range_walk_start(&ptw, find_vma(w.mm, start), start, end,
				   PTW_WANT_ALL | PTW_PAUSE_ON_CONTENTION);
	/* The walk has run long enough to pause by the end of the table. */
	mdelay(2 * PTW_PAUSE_HOLD_NS / NSEC_PER_MSEC);
	for (; type != PTW_DONE; type = pt_range_walk_next(&ptw))
		ptwt_cover_step(test, &cv, &ptw);
	mmap_read_unlock(w.mm);
	if (!wait_for_completion_timeout(&w.done, 10 * HZ)) {
		/* The writer holds a pointer to this stack: wait for it. */
		KUNIT_FAIL(test, "the writer did not get the mmap lock in 10 s");
		wait_for_completion(&w.done);
	}
	KUNIT_ASSERT_TRUE_MSG(test, contended, "the writer never waited");
	KUNIT_EXPECT_EQ(test, pt_range_walk_paused(&ptw), start + PMD_SIZE);
	ptwt_expect_visits(test, &cv, start, start + PMD_SIZE, 1);
	ptwt_expect_visits(test, &cv, start + PMD_SIZE, end, 0);

	/* No writer now: the walk resumes and goes to the end. */
	mmap_read_lock(w.mm);
	type = pt_range_walk_resume(&ptw, find_vma(w.mm, start + PMD_SIZE));
	for (; type != PTW_DONE; type = pt_range_walk_next(&ptw))
		ptwt_cover_step(test, &cv, &ptw);
	mmap_read_unlock(w.mm);
	KUNIT_EXPECT_EQ(test, pt_range_walk_paused(&ptw), 0UL);
	ptwt_expect_visits(test, &cv, start, end, 1);
}

/* --- Write mode ----------------------------------------------------------- */

/* Pages of the small anonymous regions of the write-mode cases. */
#define PTWT_MOD_PAGES	16UL

/*
 * What ptwt_snap_read() finds in PTWT_MOD_PAGES pages with a walk that
 * changes nothing, page by page: the type of the step that described the
 * page (PTW_DONE: no step did) and, at the PTE level, its entry, read
 * under the table's lock (left empty for a hole).
 */
struct ptwt_snap {
	enum pt_range_type type[PTWT_MOD_PAGES];
	pte_t pte[PTWT_MOD_PAGES];
};

static void ptwt_snap_read(struct kunit *test, unsigned long start,
			   struct ptwt_snap *s)
{
	const unsigned long end = start + PTWT_MOD_PAGES * PAGE_SIZE;
	struct mm_struct *mm = current->mm;
	struct pt_range_walk ptw;
	unsigned long a;

	memset(s, 0, sizeof(*s));
	mmap_read_lock(mm);
	for_each_pt_range(&ptw, find_vma(mm, start), start, end, PTW_WANT_ALL) {
		/* Never write past @s, whatever the walk says. */
		if (ptw.addr < start || pt_range_walk_end(&ptw) > end) {
			KUNIT_FAIL(test, "a step [%lx, %lx) outside the walk [%lx, %lx)",
				   ptw.addr, pt_range_walk_end(&ptw), start, end);
			continue;
		}
		for (a = ptw.addr; a < pt_range_walk_end(&ptw); a += PAGE_SIZE) {
			unsigned long i = (a - start) >> PAGE_SHIFT;

			s->type[i] = ptw.type;
			if (ptw.level == PT_LVL_PTE && ptw.type != PTW_NONE)
				s->pte[i] = pt_range_walk_pte(&ptw,
							      (a - ptw.addr) >> PAGE_SHIFT);
		}
	}
	mmap_read_unlock(mm);
}

/*
 * The first step of a walk of [start, end) wanting @flags, which changes
 * nothing: its type, level and entry, read under its lock.
 */
static void ptwt_first_step(unsigned long start, unsigned long end,
			    unsigned int flags, struct pt_range_walk *step)
{
	struct mm_struct *mm = current->mm;
	struct pt_range_walk ptw;

	mmap_read_lock(mm);
	pt_range_walk_start(&ptw, find_vma(mm, start), start, end, flags);
	*step = ptw;
	pt_range_walk_done(&ptw);
	mmap_read_unlock(mm);
}

/*
 * A PMD THP, faulted in by a write at *@start, PMD-aligned: true with the
 * first step of a walk of it in @step; false when the fault got none (no
 * THP here, fragmented memory, or PMDs of 512M on 64K pages).
 */
static bool ptwt_pmd_thp(struct kunit *test, unsigned long *start,
			 struct pt_range_walk *step)
{
	unsigned long addr;

	if (!IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE))
		return false;
	addr = ptwt_map(test, NULL, 2 * PMD_SIZE, MAP_ANONYMOUS | MAP_PRIVATE);
	*start = ALIGN(addr, PMD_SIZE);
	ptwt_set_vm_flags(addr, VM_HUGEPAGE, VM_NOHUGEPAGE);
	ptwt_touch(test, *start);
	ptwt_first_step(*start, *start + PMD_SIZE, PTW_WANT(PTW_FOLIO), step);
	return step->type == PTW_FOLIO && step->level == PT_LVL_PMD;
}

/* pt_range_walk_clear_young() and the other modifiers. */
typedef unsigned int (*ptwt_modifier_fn)(struct pt_range_walk *ptw,
					 unsigned long addr,
					 unsigned long end);

/*
 * Walk [start, end) with @flags, a write mode among them, and change each
 * step with @fn: whole, or (@even) only its pages at an even index from
 * @start, one call each, as a caller that leaves pages out does.  A hole
 * above the PTE level, or a leaf the step does not cover whole, would be a
 * misuse, which warns: the case fails instead.  Each step holds its lock;
 * after the walk no lock of it is held (lockdep's count is back), and no
 * flush is left pending.  Returns the pages @fn changed.
 */
static unsigned long ptwt_modify(struct kunit *test, unsigned long start,
				 unsigned long end, unsigned int flags,
				 ptwt_modifier_fn fn, bool even)
{
	struct mm_struct *mm = current->mm;
	unsigned long changed = 0, a;
	struct pt_range_walk ptw;
	int held;

	mmap_read_lock(mm);
	held = lockdep_depth(current);
	for_each_pt_range(&ptw, find_vma(mm, start), start, end, flags) {
		unsigned long step_end = pt_range_walk_end(&ptw);

		if (ptw.level != PT_LVL_PTE &&
		    (ptw.type == PTW_NONE || even ||
		     pt_range_walk_size(&ptw) != pt_lvl_size(ptw.level))) {
			KUNIT_FAIL(test, "%lx: type %d level %u: nothing to change whole",
				   ptw.addr, ptw.type, ptw.level);
			continue;
		}
		KUNIT_EXPECT_TRUE_MSG(test, ptwt_step_locked(&ptw),
				      "%lx: a step to change without its lock",
				      ptw.addr);
		if (!even) {
			changed += fn(&ptw, ptw.addr, step_end);
			continue;
		}
		for (a = ptw.addr; a < step_end; a += PAGE_SIZE)
			if (((a - start) >> PAGE_SHIFT) % 2 == 0)
				changed += fn(&ptw, a, a + PAGE_SIZE);
	}
	KUNIT_EXPECT_EQ(test, lockdep_depth(current), held);
	KUNIT_EXPECT_EQ(test, ptw.flush_end, 0UL);
	mmap_read_unlock(mm);
	return changed;
}

/* A region of PTWT_MOD_PAGES pages mapped with PTEs: order-0 folios. */
static unsigned long ptwt_mod_region(struct kunit *test)
{
	unsigned long addr = ptwt_map(test, NULL, PTWT_MOD_PAGES * PAGE_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, 0);
	return addr;
}

/*
 * pt_range_walk_clear_young() on touched pages, young since their fault:
 * first the pages at even indexes alone, then whole steps.  It counts the
 * pages that were young, and only those; it clears the range it is given,
 * and no more; a pass over old pages counts none.  Then a PMD THP, when
 * the fault gets one: one entry, counted as its pages.
 */
static void ptw_test_modify_young(struct kunit *test)
{
	const unsigned int flags = PTW_WANT(PTW_FOLIO) | PTW_MODIFY;
	unsigned long addr = ptwt_mod_region(test), start;
	unsigned long end = addr + PTWT_MOD_PAGES * PAGE_SIZE;
	struct pt_range_walk step;
	struct ptwt_snap s;
	unsigned int i;

	for (i = 0; i < PTWT_MOD_PAGES; i++)
		ptwt_touch(test, addr + i * PAGE_SIZE);
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		KUNIT_ASSERT_TRUE_MSG(test, s.type[i] == PTW_FOLIO && pte_young(s.pte[i]),
				      "page %u: no young PTE after its fault", i);

	KUNIT_EXPECT_EQ(test, ptwt_modify(test, addr, end, flags,
					  pt_range_walk_clear_young, true),
			PTWT_MOD_PAGES / 2);
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++) {
		KUNIT_EXPECT_EQ_MSG(test, s.type[i], PTW_FOLIO, "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, (bool)pte_young(s.pte[i]), i % 2 == 1,
				    "page %u: accessed bit", i);
	}
	/* Whole steps: the odd pages only were young still. */
	KUNIT_EXPECT_EQ(test, ptwt_modify(test, addr, end, flags,
					  pt_range_walk_clear_young, false),
			PTWT_MOD_PAGES / 2);
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		KUNIT_EXPECT_FALSE_MSG(test, s.type[i] != PTW_FOLIO || pte_young(s.pte[i]),
				       "page %u: gone, or young still", i);
	KUNIT_EXPECT_EQ(test, ptwt_modify(test, addr, end, flags,
					  pt_range_walk_clear_young, false),
			0UL);

	if (!ptwt_pmd_thp(test, &start, &step)) {
		kunit_info(test, "no PMD THP: its part of the case not run\n");
		return;
	}
	KUNIT_EXPECT_TRUE(test, pmd_young(step.entry.pmd));
	KUNIT_EXPECT_EQ(test, ptwt_modify(test, start, start + PMD_SIZE, flags,
					  pt_range_walk_clear_young, false),
			PMD_SIZE >> PAGE_SHIFT);
	ptwt_first_step(start, start + PMD_SIZE, PTW_WANT(PTW_FOLIO), &step);
	KUNIT_EXPECT_EQ(test, step.level, (unsigned int)PT_LVL_PMD);
	KUNIT_EXPECT_FALSE(test, pmd_young(step.entry.pmd));
	KUNIT_EXPECT_EQ(test, ptwt_modify(test, start, start + PMD_SIZE, flags,
					  pt_range_walk_clear_young, false),
			0UL);
}

/*
 * Page @i of @s: a present PTE, write-protected and no longer soft-dirty
 * once its tracking started (@tracked), writable and soft-dirty before;
 * dirty either way: starting the tracking never cleans a page.
 */
static void ptwt_expect_tracked(struct kunit *test, const struct ptwt_snap *s,
				unsigned int i, bool tracked)
{
	KUNIT_EXPECT_EQ_MSG(test, s->type[i], PTW_FOLIO, "page %u", i);
	KUNIT_EXPECT_EQ_MSG(test, (bool)pte_write(s->pte[i]), !tracked,
			    "page %u: write bit", i);
	KUNIT_EXPECT_EQ_MSG(test, (bool)pte_soft_dirty(s->pte[i]), !tracked,
			    "page %u: soft-dirty bit", i);
	KUNIT_EXPECT_TRUE_MSG(test, pte_dirty(s->pte[i]), "page %u: cleaned", i);
}

/*
 * pt_range_walk_clear_soft_dirty() on touched pages, writable and
 * soft-dirty since their fault: first the pages at even indexes, then
 * whole steps, each present entry counted.  A write then faults again, the
 * TLB having been flushed, and makes its page writable and soft-dirty
 * again (a stale writable TLB entry could let it through unseen).  Then a
 * PMD THP, when the fault gets one: changed whole, unsplit.
 */
static void ptw_test_modify_soft_dirty(struct kunit *test)
{
	const unsigned int flags = PTW_WANT(PTW_FOLIO) | PTW_MODIFY;
	unsigned long addr, end, start;
	struct pt_range_walk step;
	struct ptwt_snap s;
	unsigned int i;

	if (!IS_ENABLED(CONFIG_MEM_SOFT_DIRTY))
		kunit_skip(test, "no CONFIG_MEM_SOFT_DIRTY");
	addr = ptwt_mod_region(test);
	end = addr + PTWT_MOD_PAGES * PAGE_SIZE;
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		ptwt_touch(test, addr + i * PAGE_SIZE);
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		KUNIT_ASSERT_TRUE_MSG(test, s.type[i] == PTW_FOLIO &&
				      pte_write(s.pte[i]) && pte_soft_dirty(s.pte[i]),
				      "page %u: not writable and soft-dirty after its fault",
				      i);

	KUNIT_EXPECT_EQ(test, ptwt_modify(test, addr, end, flags,
					  pt_range_walk_clear_soft_dirty, true),
			PTWT_MOD_PAGES / 2);
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		ptwt_expect_tracked(test, &s, i, i % 2 == 0);
	KUNIT_EXPECT_EQ(test, ptwt_modify(test, addr, end, flags,
					  pt_range_walk_clear_soft_dirty, false),
			PTWT_MOD_PAGES);
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		ptwt_expect_tracked(test, &s, i, true);
	ptwt_touch(test, addr);
	ptwt_snap_read(test, addr, &s);
	ptwt_expect_tracked(test, &s, 0, false);
	ptwt_expect_tracked(test, &s, 1, true);

	if (!ptwt_pmd_thp(test, &start, &step)) {
		kunit_info(test, "no PMD THP: its part of the case not run\n");
		return;
	}
	KUNIT_EXPECT_TRUE(test, pmd_write(step.entry.pmd));
	KUNIT_EXPECT_TRUE(test, pmd_soft_dirty(step.entry.pmd));
	KUNIT_EXPECT_EQ(test, ptwt_modify(test, start, start + PMD_SIZE, flags,
					  pt_range_walk_clear_soft_dirty, false),
			PMD_SIZE >> PAGE_SHIFT);
	ptwt_first_step(start, start + PMD_SIZE, PTW_WANT(PTW_FOLIO), &step);
	KUNIT_EXPECT_EQ(test, step.type, PTW_FOLIO);
	KUNIT_EXPECT_EQ(test, step.level, (unsigned int)PT_LVL_PMD);
	KUNIT_EXPECT_FALSE(test, pmd_write(step.entry.pmd));
	KUNIT_EXPECT_FALSE(test, pmd_soft_dirty(step.entry.pmd));
	KUNIT_EXPECT_TRUE(test, pmd_dirty(step.entry.pmd));
}

/*
 * The pages the uffd-wp case touches: the first and the last, so that
 * every PTE table of the range exists, and runs of two present PTEs
 * between runs of two empty ones.
 */
static bool ptwt_uffd_touched(unsigned int i)
{
	return i % 4 == 0 || i % 4 == 3;
}

/*
 * Page @i of @s in the uffd-wp case: a touched page stays present, and is
 * write-protected with its uffd-wp bit once changed (@wp); an empty PTE
 * becomes a uffd-wp marker, which a walk reports as a marker.
 */
static void ptwt_expect_uffd_wp(struct kunit *test, const struct ptwt_snap *s,
				unsigned int i, bool wp)
{
	pte_t pte = s->pte[i];

	if (ptwt_uffd_touched(i)) {
		KUNIT_EXPECT_EQ_MSG(test, s->type[i], PTW_FOLIO, "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, (bool)pte_uffd_wp(pte), wp,
				    "page %u: uffd-wp bit", i);
		KUNIT_EXPECT_EQ_MSG(test, (bool)pte_write(pte), !wp,
				    "page %u: write bit", i);
	} else if (wp) {
		KUNIT_EXPECT_EQ_MSG(test, s->type[i], PTW_MARKER,
				    "page %u: no marker", i);
		KUNIT_EXPECT_TRUE_MSG(test, pte_marker_uffd_wp(pte),
				      "page %u: not a uffd-wp marker", i);
	} else {
		KUNIT_EXPECT_EQ_MSG(test, s->type[i], PTW_NONE,
				    "page %u: not empty", i);
	}
}

/*
 * pt_range_walk_uffd_wp() over present and empty PTEs of populated
 * tables: first the pages at even indexes, then whole steps of folios and
 * holes.  Present entries get the uffd-wp bit, write-protected; empty ones
 * a uffd-wp marker, which the second pass, not wanting markers, leaves
 * alone.  Then a PMD THP, when the fault gets one.  The markers are left
 * for the teardown of the mm, which drops those of anonymous VMAs.
 */
static void ptw_test_modify_uffd_wp(struct kunit *test)
{
	const unsigned int flags = PTW_WANT(PTW_FOLIO) | PTW_WANT(PTW_NONE) |
				   PTW_MODIFY;
	unsigned long addr, end, start, touched = 0, odd_empty = 0;
	struct pt_range_walk step;
	struct ptwt_snap s;
	unsigned int i;

	if (!IS_ENABLED(CONFIG_PTE_MARKER_UFFD_WP))
		kunit_skip(test, "no CONFIG_PTE_MARKER_UFFD_WP");
	addr = ptwt_mod_region(test);
	end = addr + PTWT_MOD_PAGES * PAGE_SIZE;
	for (i = 0; i < PTWT_MOD_PAGES; i++) {
		if (ptwt_uffd_touched(i)) {
			ptwt_touch(test, addr + i * PAGE_SIZE);
			touched++;
		} else {
			odd_empty += i % 2;
		}
	}
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		ptwt_expect_uffd_wp(test, &s, i, false);

	KUNIT_EXPECT_EQ(test, ptwt_modify(test, addr, end, flags,
					  pt_range_walk_uffd_wp, true),
			PTWT_MOD_PAGES / 2);
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		ptwt_expect_uffd_wp(test, &s, i, i % 2 == 0);
	KUNIT_EXPECT_EQ(test, ptwt_modify(test, addr, end, flags,
					  pt_range_walk_uffd_wp, false),
			touched + odd_empty);
	ptwt_snap_read(test, addr, &s);
	for (i = 0; i < PTWT_MOD_PAGES; i++)
		ptwt_expect_uffd_wp(test, &s, i, true);

	if (!ptwt_pmd_thp(test, &start, &step)) {
		kunit_info(test, "no PMD THP: its part of the case not run\n");
		return;
	}
	KUNIT_EXPECT_EQ(test, ptwt_modify(test, start, start + PMD_SIZE, flags,
					  pt_range_walk_uffd_wp, false),
			PMD_SIZE >> PAGE_SHIFT);
	ptwt_first_step(start, start + PMD_SIZE, PTW_WANT(PTW_FOLIO), &step);
	KUNIT_EXPECT_EQ(test, step.type, PTW_FOLIO);
	KUNIT_EXPECT_EQ(test, step.level, (unsigned int)PT_LVL_PMD);
	KUNIT_EXPECT_TRUE(test, pmd_uffd_wp(step.entry.pmd));
	KUNIT_EXPECT_FALSE(test, pmd_write(step.entry.pmd));
}

/*
 * A walk in write mode @mode over N PTE tables, four runs of two present
 * pages in each, write-protected by pt_range_walk_uffd_wp(): one table
 * entered (and locked) per table, as by a walk that only reads.  With
 * PTW_MODIFY, the range changed in a table is left to flush, from the
 * table's first run to the end of the last one changed, and flushed before
 * the table's lock is dropped: nothing is pending when the walk enters the
 * next table, or ends.  With PTW_MODIFY_NOFLUSH nothing ever is: the
 * caller flushes after the walk, as clear_refs does.  Either way the walk
 * ends with no lock held (lockdep's count is back).
 */
static void ptwt_modify_tables(struct kunit *test, unsigned int mode)
{
	const unsigned long n = clamp_t(unsigned long, SZ_256M / PMD_SIZE, 2, 4);
	unsigned long addr = ptwt_map(test, NULL, (n + 1) * PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE);
	unsigned long start = ALIGN(addr, PMD_SIZE), end = start + n * PMD_SIZE;
	unsigned long a, table = 0, changed = 0, steps = 0, tables;
	struct mm_struct *mm = current->mm;
	struct pt_range_walk ptw;
	int held;

	ptwt_set_vm_flags(addr, VM_NOHUGEPAGE, VM_HUGEPAGE);
	for (a = start; a < end; a += PMD_SIZE / 4) {
		ptwt_touch(test, a);
		ptwt_touch(test, a + PAGE_SIZE);
	}

	mmap_read_lock(mm);
	if (mode == PTW_MODIFY_NOFLUSH)
		inc_tlb_flush_pending(mm);
	held = lockdep_depth(current);
	for_each_pt_range(&ptw, find_vma(mm, start), start, end,
			  PTW_WANT(PTW_FOLIO) | mode) {
		unsigned long step_end = pt_range_walk_end(&ptw);

		/* A new table: the last one's flush went with its lock. */
		if ((ptw.addr & PMD_MASK) != table)
			KUNIT_EXPECT_EQ_MSG(test, ptw.flush_end, 0UL,
					    "%lx: a flush pending from another table",
					    ptw.addr);
		table = ptw.addr & PMD_MASK;
		if (ptw.level != PT_LVL_PTE) {
			KUNIT_FAIL(test, "%lx: a level %u step, not a PTE run",
				   ptw.addr, ptw.level);
			continue;
		}
		KUNIT_EXPECT_TRUE(test, ptwt_step_locked(&ptw));
		changed += pt_range_walk_uffd_wp(&ptw, ptw.addr, step_end);
		steps++;
		if (mode == PTW_MODIFY_NOFLUSH) {
			KUNIT_EXPECT_EQ(test, ptw.flush_end, 0UL);
			continue;
		}
		KUNIT_EXPECT_EQ(test, ptw.flush_start, table);
		KUNIT_EXPECT_EQ(test, ptw.flush_end, step_end);
	}
	KUNIT_EXPECT_EQ(test, lockdep_depth(current), held);
	KUNIT_EXPECT_NULL(test, ptw.ptl);
	KUNIT_EXPECT_EQ(test, ptw.flush_end, 0UL);
	tables = ptw.nr_pte_tables;
	if (mode == PTW_MODIFY_NOFLUSH) {
		flush_tlb_mm(mm);
		dec_tlb_flush_pending(mm);
	}
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, tables, n);
	KUNIT_EXPECT_EQ(test, steps, 4 * n);
	KUNIT_EXPECT_EQ(test, changed, 8 * n);
}

static void ptw_test_modify_tables(struct kunit *test)
{
	ptwt_modify_tables(test, PTW_MODIFY);
	ptwt_modify_tables(test, PTW_MODIFY_NOFLUSH);
}

/*
 * A modifier given part of a leaf above the PTE level (a misuse: the
 * caller splits the leaf first) warns once, returns 0 and changes nothing:
 * the PMD THP stays one young leaf.  Its own case, for its warning, which
 * kunit_results.py expects only where the case runs: where a THP is had.
 */
static void ptw_test_modify_leaf_misuse(struct kunit *test)
{
	unsigned int changed = 0;
	struct pt_range_walk ptw, step;
	enum pt_range_type type;
	struct mm_struct *mm;
	unsigned long start;

	if (!ptwt_pmd_thp(test, &start, &step))
		kunit_skip(test, "no PMD THP (no THP here, or fragmented memory)");
	KUNIT_ASSERT_TRUE(test, pmd_young(step.entry.pmd));
	mm = current->mm;	/* the test's own, since ptwt_map() */
	mmap_read_lock(mm);
	/* Started inside the leaf: the step is the leaf's tail. */
	type = pt_range_walk_start(&ptw, find_vma(mm, start), start + PAGE_SIZE,
				   start + PMD_SIZE, PTW_WANT(PTW_FOLIO) | PTW_MODIFY);
	if (type == PTW_FOLIO && ptw.level == PT_LVL_PMD)
		changed = pt_range_walk_clear_young(&ptw, ptw.addr,
						    pt_range_walk_end(&ptw));
	else
		KUNIT_FAIL(test, "%lx: type %d level %u, not a PMD leaf",
			   start + PAGE_SIZE, type, ptw.level);
	pt_range_walk_done(&ptw);
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, changed, 0U);
	ptwt_first_step(start, start + PMD_SIZE, PTW_WANT(PTW_FOLIO), &step);
	KUNIT_EXPECT_EQ(test, step.type, PTW_FOLIO);
	KUNIT_EXPECT_EQ(test, step.level, (unsigned int)PT_LVL_PMD);
	KUNIT_EXPECT_TRUE(test, pmd_young(step.entry.pmd));
}

#ifdef CONFIG_HUGETLB_PAGE
/*
 * PTW_LOCK_I_MMAP: in a hugetlb VMA the walk holds the file's i_mmap_rwsem
 * with the lock of each leaf, as PAGEMAP_SCAN write-protects under it, and
 * neither in a hole nor after the walk; a hugetlb leaf is write-protected
 * for userfaultfd whole.
 */
static void ptw_test_lock_i_mmap(struct kunit *test)
{
	const unsigned int flags = PTW_WANT_ALL | PTW_MODIFY | PTW_LOCK_I_MMAP;
	struct hstate *h = size_to_hstate(PMD_SIZE);
	unsigned int leaves = 0, holes = 0, changed;
	struct address_space *mapping;
	struct vm_area_struct *vma;
	struct pt_range_walk ptw;
	struct file *file;
	unsigned long addr;
	pte_t pte;

	if (!h || !h->free_huge_pages)
		kunit_skip(test, "no free PMD-size hugetlb page");
	file = hugetlb_file_setup(HUGETLB_ANON_FILE, 2 * PMD_SIZE, VM_NORESERVE,
				  HUGETLB_ANONHUGE_INODE, huge_page_shift(h));
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	addr = ptwt_map(test, file, 2 * PMD_SIZE, MAP_SHARED | MAP_NORESERVE);
	fput(file);
	ptwt_touch(test, addr);

	mmap_read_lock(current->mm);
	vma = vma_lookup(current->mm, addr);
	KUNIT_ASSERT_NOT_NULL(test, vma);
	mapping = vma->vm_file->f_mapping;
	for_each_pt_range(&ptw, vma, addr, addr + 2 * PMD_SIZE, flags) {
		if (ptw.type == PTW_NONE) {
			holes++;
			KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&mapping->i_mmap_rwsem));
			continue;
		}
		leaves++;
		KUNIT_EXPECT_TRUE(test, rwsem_is_locked(&mapping->i_mmap_rwsem));
		changed = pt_range_walk_uffd_wp(&ptw, ptw.addr, pt_range_walk_end(&ptw));
		KUNIT_EXPECT_EQ(test, changed, PMD_SIZE >> PAGE_SHIFT);
		pte = huge_ptep_get(current->mm, ptw.addr, ptw.leaf.ptr);
		if (IS_ENABLED(CONFIG_HAVE_ARCH_USERFAULTFD_WP))
			KUNIT_EXPECT_TRUE(test, huge_pte_uffd_wp(pte));
	}
	KUNIT_EXPECT_FALSE(test, rwsem_is_locked(&mapping->i_mmap_rwsem));
	mmap_read_unlock(current->mm);
	KUNIT_EXPECT_EQ(test, leaves, 1U);
	KUNIT_EXPECT_EQ(test, holes, 1U);
}
#else
static void ptw_test_lock_i_mmap(struct kunit *test)
{
	kunit_skip(test, "no CONFIG_HUGETLB_PAGE");
}
#endif

static struct kunit_case pt_range_walk_test_cases[] = {
	KUNIT_CASE(ptw_test_anon_4k),
	KUNIT_CASE(ptw_test_zero_page),
	KUNIT_CASE(ptw_test_pmd_thp),
	KUNIT_CASE(ptw_test_mthp),
	KUNIT_CASE(ptw_test_hugetlb_pmd),
	KUNIT_CASE_SLOW(ptw_test_hugetlb_pud),
	KUNIT_CASE(ptw_test_hugetlb_cont_pte),
	KUNIT_CASE(ptw_test_hugetlb_cont_pmd),
	KUNIT_CASE(ptw_test_swap),
	KUNIT_CASE(ptw_test_migration),
	KUNIT_CASE(ptw_test_hwpoison),
	KUNIT_CASE(ptw_test_marker),
	KUNIT_CASE(ptw_test_pfnmap),
	KUNIT_CASE(ptw_test_holes),
	KUNIT_CASE(ptw_test_lock_count),
	KUNIT_CASE(ptw_test_bad_pmd),
	KUNIT_CASE(ptw_test_protnone_pud),
	KUNIT_CASE(ptw_test_unexpected_pud),
	KUNIT_CASE(ptw_test_leaf_changed),
	KUNIT_CASE(ptw_test_table_changed),
	KUNIT_CASE(ptw_test_devmap_pmd),
	KUNIT_CASE(ptw_test_devmap_pud),
	KUNIT_CASE(ptw_test_resched),
	KUNIT_CASE(ptw_test_pause_exactly_once),
	KUNIT_CASE(ptw_test_pause_split_thp),
	KUNIT_CASE(ptw_test_pause_unmapped),
	KUNIT_CASE(ptw_test_pause_contended),
	KUNIT_CASE(ptw_test_modify_young),
	KUNIT_CASE(ptw_test_modify_soft_dirty),
	KUNIT_CASE(ptw_test_modify_uffd_wp),
	KUNIT_CASE(ptw_test_modify_tables),
	KUNIT_CASE(ptw_test_modify_leaf_misuse),
	KUNIT_CASE(ptw_test_lock_i_mmap),
	KUNIT_CASE(ptw_test_misuse),
	{}
};

static struct kunit_suite pt_range_walk_test_suite = {
	.name = "pt_range_walk",
	.test_cases = pt_range_walk_test_cases,
};

kunit_test_suite(pt_range_walk_test_suite);
