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
 */
#include <kunit/test.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/huge_mm.h>
#include <linux/hugetlb.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagewalk.h>
#include <linux/pt_walk.h>
#include <linux/swapops.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

/* What one page of the range holds, as either walker saw it. */
enum ptwt_kind { PTWT_NONE, PTWT_PRESENT, PTWT_NONPRESENT };

struct ptwt_fact {
	enum ptwt_kind kind;
	unsigned int lvl;
	unsigned long val;	/* pfn, or swap entry value */
};

struct ptwt_oracle {
	unsigned long start;
	unsigned long nr_pages;
	struct ptwt_fact *facts;
};

static void ptwt_fact_set(struct ptwt_oracle *o, unsigned long addr,
			  unsigned long end, enum ptwt_kind kind,
			  unsigned int lvl, unsigned long val, bool inc)
{
	for (; addr < end; addr += PAGE_SIZE) {
		unsigned long i = (addr - o->start) >> PAGE_SHIFT;

		if (i < o->nr_pages)
			o->facts[i] = (struct ptwt_fact){ kind, lvl, val };
		if (inc)
			val++;
	}
}

static void ptwt_fact_pte(struct ptwt_oracle *o, unsigned long addr,
			  pte_t pte, unsigned int lvl, unsigned long end)
{
	if (pte_none(pte))
		ptwt_fact_set(o, addr, end, PTWT_NONE, 0, 0, false);
	else if (pte_present(pte))
		ptwt_fact_set(o, addr, end, PTWT_PRESENT, lvl, pte_pfn(pte), true);
	else
		ptwt_fact_set(o, addr, end, PTWT_NONPRESENT, lvl,
			      pte_to_swp_entry(pte).val, false);
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
	ptwt_fact_set(walk->private, addr, next, PTWT_NONE, 0, 0, false);
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
		pmd_t pmd = pmdp_get(pmdp);

		if (pmd_present(pmd))
			ptwt_fact_set(o, addr, end, PTWT_PRESENT, PT_LVL_PMD,
				      pmd_pfn(pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT), true);
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
		else
			ptwt_fact_set(o, addr, end, PTWT_NONPRESENT, PT_LVL_PMD,
				      pmd_to_swp_entry(pmd).val, false);
#endif
		spin_unlock(ptl);
		return 0;
	}
	pte = pte_offset_map_lock(walk->mm, pmdp, addr, &ptl);
	if (!pte) {
		walk->action = ACTION_AGAIN;
		return 0;
	}
	for (; addr < end; addr += PAGE_SIZE, pte++)
		ptwt_fact_pte(o, addr, ptep_get(pte), PT_LVL_PTE, addr + PAGE_SIZE);
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

	if (pte_present(pte))
		ptwt_fact_set(walk->private, addr, end, PTWT_PRESENT, lvl,
			      pte_pfn(pte) + ((addr & ~hmask) >> PAGE_SHIFT), true);
	else if (!pte_none(pte))
		ptwt_fact_set(walk->private, addr, end, PTWT_NONPRESENT, lvl,
			      pte_to_swp_entry(pte).val, false);
	else
		ptwt_fact_set(walk->private, addr, end, PTWT_NONE, 0, 0, false);
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
 * PTE level, the leaf's pfn) finds, read under the lock the step holds.  A
 * PFN step maps no page vm_normal_page() finds.  Returns the largest batch.
 */
static unsigned int ptwt_check_pages(struct kunit *test,
				     struct vm_area_struct *vma,
				     const struct pt_range_walk *ptw)
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
			struct page *page;

			if (ptw->level == PT_LVL_PTE) {
				unsigned int at = (addr - ptw->addr) >> PAGE_SHIFT;
				union pt_entry e = { .pte = pt_range_walk_pte(ptw, at) };

				page = vm_normal_page(vma, addr, e.pte);
				KUNIT_EXPECT_EQ_MSG(test, pt_range_walk_bits(ptw, e),
						    pt_range_walk_bits(ptw, f.entry),
						    "%lx: a batch with mixed bits", addr);
			} else {
				page = pfn_to_page(pfn0 + ((addr - ptw->addr) >> PAGE_SHIFT));
			}
			KUNIT_EXPECT_PTR_EQ_MSG(test, nth_page(f.page, i), page,
						"%lx: page %u of a batch of %u", addr, i, f.nr);
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
		enum ptwt_kind kind = ptw.type == PTW_NONE ? PTWT_NONE :
			ptw.type == PTW_FOLIO || ptw.type == PTW_PFN ?
			PTWT_PRESENT : PTWT_NONPRESENT;

		c->steps[ptw.type]++;
		c->pages += pt_range_walk_size(&ptw) >> PAGE_SHIFT;
		/* Only a hole above the PTE level is returned without a lock. */
		if (ptw.type != PTW_NONE || ptw.level == PT_LVL_PTE)
			KUNIT_EXPECT_TRUE_MSG(test, ptwt_step_locked(&ptw),
					      "%lx: type %d level %u step without its lock",
					      ptw.addr, ptw.type, ptw.level);
		c->max_batch = max(c->max_batch, ptwt_check_pages(test, vma, &ptw));
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
		expect = ptw.addr + pt_range_walk_size(&ptw);
		for (i = 0; i < pt_range_walk_size(&ptw) >> PAGE_SHIFT; i++) {
			unsigned long addr = ptw.addr + i * PAGE_SIZE;
			const struct ptwt_fact *f = &o.facts[(addr - start) >> PAGE_SHIFT];
			unsigned long val;

			swp_entry_t swp = pt_range_walk_swp(&ptw);

			/* A PTE run maps pages of many folios: read entry i. */
			if (kind == PTWT_PRESENT && ptw.level == PT_LVL_PTE)
				val = pte_pfn(pt_range_walk_pte(&ptw, i));
			else if (kind == PTWT_PRESENT)
				val = pt_range_walk_pfn(&ptw) + i;
			else if (ptw.level == PT_LVL_PTE)
				val = pte_to_swp_entry(pt_range_walk_pte(&ptw, i)).val;
			else
				val = swp.val;
			if (f->kind != kind || (kind != PTWT_NONE &&
						(f->val != val || f->lvl != ptw.level))) {
				KUNIT_FAIL(test,
					   "%lx: walk: type %d level %u val %lx; oracle: kind %d level %u val %lx",
					   addr, ptw.type, ptw.level, val,
					   f->kind, f->lvl, f->val);
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

/* Misuse warns once and ends the walk cleanly; done() is idempotent. */
static void ptw_test_misuse(struct kunit *test)
{
	unsigned long addr = ptwt_map(test, NULL, 4 * PAGE_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct pt_range_walk ptw;

	ptwt_touch(test, addr);
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
 * The PUD entry that maps @at in the test's mm, with the tables above it
 * allocated as a fault would; the mmap lock is held for writing.
 */
static __maybe_unused pud_t *ptwt_pud_alloc(struct mm_struct *mm, unsigned long at)
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
	const unsigned long pfn = PUD_SIZE >> PAGE_SHIFT;	/* never read */
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

/* The walker of ptw_test_leaf_changed(), on the test's mm in a kthread. */
struct ptwt_racer {
	struct mm_struct *mm;
	unsigned long start, end;
	unsigned int steps, pfn_steps;
	unsigned long covered;		/* bytes the steps cover */
	struct completion done;
};

static int __maybe_unused ptwt_racer_fn(void *data)
{
	struct ptwt_racer *r = data;
	struct pt_range_walk ptw;

	kthread_use_mm(r->mm);
	mmap_read_lock(r->mm);
	for_each_pt_range(&ptw, find_vma(r->mm, r->start), r->start, r->end, PTW_WANT_ALL) {
		r->steps++;
		r->pfn_steps += ptw.type == PTW_PFN;
		r->covered += pt_range_walk_size(&ptw);
	}
	mmap_read_unlock(r->mm);
	kthread_unuse_mm(r->mm);
	complete(&r->done);
	return 0;
}

/*
 * A PMD leaf that goes away between the walk's lockless read and its lock:
 * the test holds the PMD lock until the walker, which has read the leaf,
 * waits for it; then clears the leaf and lets go.  Under the lock the walk
 * must read the entry again and report a hole, never the leaf it saw.
 */
static void ptw_test_leaf_changed(struct kunit *test)
{
#if defined(CONFIG_ARCH_HAS_PTE_DEVMAP) && defined(CONFIG_TRANSPARENT_HUGEPAGE)
	const unsigned long pfn = PMD_SIZE >> PAGE_SHIFT;	/* never read */
	unsigned long addr = ptwt_map(test, NULL, 3 * PMD_SIZE,
				      MAP_ANONYMOUS | MAP_PRIVATE | MAP_NORESERVE);
	unsigned long at = ALIGN(addr, PMD_SIZE);
	struct ptwt_racer r = { .start = at, .end = at + PMD_SIZE };
	struct mm_struct *mm = current->mm;
	struct task_struct *walker;
	bool waited = false;
	spinlock_t *ptl;	/* the PMD's, held while the leaf changes */
	ktime_t until;
	pmd_t *pmdp;

	if (num_online_cpus() < 2)
		kunit_skip(test, "the walker needs a CPU of its own");
	pmdp = ptwt_devmap_pmd_set(test, at, pfn);
	if (!pmdp)
		return;
	r.mm = mm;
	init_completion(&r.done);
	/* Created before the lock is taken: creating a kthread may sleep. */
	walker = kthread_create(ptwt_racer_fn, &r, "ptwt_racer");
	if (IS_ERR(walker)) {
		KUNIT_FAIL(test, "kthread_create: %ld", PTR_ERR(walker));
		return;
	}
	ptl = pmd_lockptr(mm, pmdp);
	spin_lock(ptl);
	wake_up_process(walker);
	/* Wait, bounded, for the walker to queue on the lock. */
	until = ktime_add_ms(ktime_get(), 2000);
	while (!(waited = spin_is_contended(ptl)) && ktime_before(ktime_get(), until))
		cpu_relax();
	pmd_clear(pmdp);
	spin_unlock(ptl);
	wait_for_completion(&r.done);

	KUNIT_EXPECT_TRUE_MSG(test, waited, "the walker never waited on the PMD lock");
	KUNIT_EXPECT_EQ(test, r.pfn_steps, 0U);
	KUNIT_EXPECT_EQ(test, r.covered, PMD_SIZE);
#else
	kunit_skip(test, "no devmap PMD leaves here (ARCH_HAS_PTE_DEVMAP and THP)");
#endif
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
	const unsigned long pfn = PMD_SIZE >> PAGE_SHIFT;	/* never read */
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
	const unsigned long pfn = PUD_SIZE >> PAGE_SHIFT;	/* never read */
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
	KUNIT_CASE(ptw_test_devmap_pmd),
	KUNIT_CASE(ptw_test_devmap_pud),
	KUNIT_CASE(ptw_test_resched),
	KUNIT_CASE(ptw_test_misuse),
	{}
};

static struct kunit_suite pt_range_walk_test_suite = {
	.name = "pt_range_walk",
	.test_cases = pt_range_walk_test_cases,
};

kunit_test_suite(pt_range_walk_test_suite);
