// SPDX-License-Identifier: GPL-2.0
/*
 * pt_range_walk: tell the caller what maps a range of a VMA, one batch of
 * entries at a time, with the locking and batching done here.
 *
 * Structure: pt_walk_find() (the level-generic descent, mm/pt_walk.c) is
 * called only to reach the next PMD-level entry: a PTE table, a PMD or PUD
 * leaf, or a hole.  Inside a PTE table the walk keeps the table mapped and
 * locked and steps from entry to entry until the table ends, so an N-table
 * range costs N descents and N lock acquisitions, not one per entry.
 *
 * What is held when a step is returned:
 *  - PTE-level steps: the PTE table is mapped and its lock held;
 *  - PMD/PUD-level leaves: the lock of that entry is held;
 *  - PTW_NONE above the PTE level: no page-table lock;
 *  - hugetlb VMAs: the hugetlb VMA lock, from start to done;
 * and always the mmap or VMA lock the caller took.  Locks are dropped, and
 * cond_resched() called, whenever the walk leaves a table.
 */
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/pt_walk.h>
#include <linux/sched.h>
#include <linux/swapops.h>

#include "internal.h"

static bool ptw_wants(const struct pt_range_walk *ptw, enum pt_range_type t)
{
	return ptw->flags & PTW_WANT(t);
}

/*
 * The walk hands its page-table lock, and the RCU read lock that
 * pte_offset_map() takes, from one call to the next.  Sparse counts lock
 * context per function: the __acquire()/__release() markers below tell it
 * each hand-over is intended.
 */
static void ptw_unlock(struct pt_range_walk *ptw)
{
	if (ptw->ptl) {
		__acquire(ptw->ptl);
		spin_unlock(ptw->ptl);
		ptw->ptl = NULL;
	}
	if (ptw->pte_table) {
		__acquire(RCU);
		pte_unmap(ptw->pte_table);
		ptw->pte_table = NULL;
		ptw->ptep = NULL;
	}
}

/* Forget the previous step; every field a step sets starts from here. */
static void ptw_reset_step(struct pt_range_walk *ptw)
{
	ptw->folio = NULL;
	ptw->page = NULL;
	ptw->pfn = 0;
	ptw->swp.val = 0;
	ptw->nr = 0;
	ptw->writable = false;
	ptw->young = false;
	ptw->dirty = false;
	ptw->soft_dirty = false;
	ptw->uffd_wp = false;
	ptw->pmd_shared = false;
}

static enum pt_range_type ptw_finish(struct pt_range_walk *ptw)
{
	ptw_unlock(ptw);
	if (ptw->vma_locked) {
		hugetlb_vma_unlock_read(ptw->vma);
		ptw->vma_locked = false;
	}
	ptw_reset_step(ptw);
	ptw->addr = ptw->end;
	ptw->next = ptw->end;
	ptw->size = 0;
	ptw->type = PTW_DONE;
	return PTW_DONE;
}

/* The lock that protects a leaf entry of the VMA at @lvl. */
static spinlock_t *ptw_leaf_lockptr(struct pt_range_walk *ptw,
				    unsigned int lvl, void *entry)
{
	if (ptw->hugetlb)
		return huge_pte_lockptr(hstate_vma(ptw->vma), ptw->mm, entry);
	if (lvl == PT_LVL_PMD)
		return pmd_lockptr(ptw->mm, entry);
	return pud_lockptr(ptw->mm, entry);
}

/* --- PTE level ----------------------------------------------------------- */

/* The bits a merged batch may differ in, cleared for comparison. */
static pte_t ptw_pte_normalize(pte_t pte)
{
	pte = pte_mkold(pte_mkclean(pte_wrprotect(pte)));
	return pte_clear_soft_dirty(pte);
}

static void ptw_pte_bits(struct pt_range_walk *ptw, pte_t pte)
{
	ptw->writable |= pte_write(pte);
	ptw->young |= pte_young(pte);
	ptw->dirty |= pte_dirty(pte);
	ptw->soft_dirty |= pte_soft_dirty(pte);
	ptw->uffd_wp |= pte_uffd_wp(pte);
}

/*
 * How many PTEs from @ptep map the following pages of @folio (at most
 * @max_nr), with the same bits unless PTW_MERGE_BITS.  Contiguous blocks
 * (arm64 contpte) are stepped over whole: their ptep_get() already gathered
 * the access and dirty bits of the block.
 */
static unsigned int ptw_pte_batch(struct pt_range_walk *ptw, pte_t *ptep,
				  pte_t pte, struct folio *folio,
				  unsigned int max_nr)
{
	unsigned long end_pfn = folio_pfn(folio) + folio_nr_pages(folio);
	bool merge = ptw->flags & PTW_MERGE_BITS;
	unsigned int nr, hint;
	pte_t expect;

	ptw_pte_bits(ptw, pte);
	max_nr = min_t(unsigned long, max_nr, end_pfn - pte_pfn(pte));
	nr = min(pte_batch_hint(ptep, pte), max_nr);
	if (merge)
		pte = ptw_pte_normalize(pte);
	while (nr < max_nr) {
		pte_t cur = ptep_get(ptep + nr);

		expect = pte_advance_pfn(pte, nr);
		if (!pte_present(cur))
			break;
		if (!pte_same(merge ? ptw_pte_normalize(cur) : cur, expect))
			break;
		ptw_pte_bits(ptw, cur);
		hint = pte_batch_hint(ptep + nr, cur);
		nr = min(nr + hint, max_nr);
	}
	return nr;
}

/* Classify a non-present, non-none PTE, PMD or PUD entry. */
static enum pt_range_type ptw_classify_swp(struct pt_range_walk *ptw,
					   swp_entry_t entry)
{
	ptw->swp = entry;
	if (is_pte_marker_entry(entry))
		return PTW_MARKER;
	if (!non_swap_entry(entry))
		return PTW_SWAP;
	if (is_migration_entry(entry)) {
		ptw->folio = pfn_swap_entry_folio(entry);
		return PTW_MIGRATION;
	}
	if (is_device_private_entry(entry) || is_device_exclusive_entry(entry)) {
		ptw->folio = pfn_swap_entry_folio(entry);
		return PTW_DEVICE;
	}
	if (is_hwpoison_entry(entry))
		return PTW_HWPOISON;
	/* Never end a walk on an entry we do not know: report, then skip. */
	WARN_ONCE(1, "pt_range_walk: unknown swap entry type %u\n", swp_type(entry));
	return PTW_DONE;
}

/*
 * Classify the batch of PTEs at ptw->ptep, within the locked table.
 * Returns the type, with ptw->addr/nr/... describing the batch.
 */
static enum pt_range_type ptw_pte_step(struct pt_range_walk *ptw)
{
	unsigned int max_nr = (ptw->table_end - ptw->next) >> PAGE_SHIFT;
	pte_t *ptep = ptw->ptep;
	pte_t pte = ptep_get(ptep);
	enum pt_range_type type;
	unsigned int nr = 1;

	ptw_reset_step(ptw);
	ptw->addr = ptw->next;
	ptw->level = PT_LVL_PTE;
	ptw->entry.pte = pte;

	if (pte_none(pte)) {
		/* A run of empty PTEs is one hole. */
		while (nr < max_nr && pte_none(ptep_get(ptep + nr)))
			nr++;
		ptw->nr = 0;
		type = PTW_NONE;
	} else if (pte_present(pte)) {
		struct page *page = vm_normal_page(ptw->vma, ptw->addr, pte);

		ptw->pfn = pte_pfn(pte);
		if (page) {
			ptw->page = page;
			ptw->folio = page_folio(page);
			nr = ptw_pte_batch(ptw, ptep, pte, ptw->folio, max_nr);
			type = PTW_FOLIO;
		} else {
			ptw_pte_bits(ptw, pte);
			type = PTW_PFN;
		}
	} else {
		type = ptw_classify_swp(ptw, pte_to_swp_entry(pte));
		ptw->soft_dirty = pte_swp_soft_dirty(pte);
		ptw->uffd_wp = pte_swp_uffd_wp_any(pte);
		if (type == PTW_SWAP)
			nr = swap_pte_batch(ptep, max_nr, pte);
	}
	if (type != PTW_NONE)
		ptw->nr = nr;
	ptw->size = (unsigned long)nr << PAGE_SHIFT;
	ptw->ptep += nr;
	ptw->next += ptw->size;
	return type;
}

/* Map and lock the PTE table under @pmdp; false if it went away. */
static bool ptw_enter_pte_table(struct pt_range_walk *ptw, pmd_t *pmdp,
				unsigned long table_end)
{
	pte_t *pte;

	if (ptw->hugetlb) {
		/* hugetlb cont-PTE leaves are protected by the hugetlb lock. */
		pte = pte_offset_map(pmdp, ptw->next);
		if (!pte)
			return false;
		ptw->ptl = huge_pte_lockptr(hstate_vma(ptw->vma), ptw->mm, pte);
		spin_lock(ptw->ptl);
	} else {
		pte = pte_offset_map_lock(ptw->mm, pmdp, ptw->next, &ptw->ptl);
		if (!pte)
			return false;
	}
	__release(ptw->ptl);	/* held until ptw_unlock() */
	ptw->pte_table = pte;
	ptw->ptep = pte;
	ptw->table_end = table_end;
	ptw->nr_pte_tables++;
	return true;
}

/* --- PMD and PUD leaves ---------------------------------------------------- */

/*
 * Offset, in pages, of ptw->addr into the leaf at @lvl that maps it.  Inline
 * so that configurations without any huge leaf (no THP, no hugetlb, but a
 * PUD leaf type, as x86_64 has) build it without a warning.
 */
static inline unsigned long ptw_leaf_offset(struct pt_range_walk *ptw,
					    unsigned int lvl)
{
	return (ptw->addr & ~pt_lvl_mask(lvl)) >> PAGE_SHIFT;
}

#ifdef CONFIG_HUGETLB_PAGE
/* hugetlb entries, whatever their level, are read as huge PTEs. */
static enum pt_range_type ptw_hugetlb_leaf(struct pt_range_walk *ptw,
					   unsigned int lvl, void *entry)
{
	pte_t pte = huge_ptep_get(ptw->mm, ptw->addr, entry);

	if (lvl == PT_LVL_PMD)
		ptw->pmd_shared = hugetlb_pmd_shared(entry);
	if (pte_present(pte)) {
		ptw->pfn = pte_pfn(pte) + ptw_leaf_offset(ptw, lvl);
		ptw->page = pfn_to_page(ptw->pfn);
		ptw->folio = page_folio(ptw->page);
		ptw->writable = huge_pte_write(pte);
		ptw->young = pte_young(pte);
		ptw->dirty = huge_pte_dirty(pte);
		ptw->soft_dirty = pte_soft_dirty(pte);
		ptw->uffd_wp = huge_pte_uffd_wp(pte);
		return PTW_FOLIO;
	}
	ptw->soft_dirty = pte_swp_soft_dirty(pte);
	ptw->uffd_wp = pte_swp_uffd_wp_any(pte);
	return ptw_classify_swp(ptw, pte_to_swp_entry(pte));
}
#else
static enum pt_range_type ptw_hugetlb_leaf(struct pt_range_walk *ptw,
					   unsigned int lvl, void *entry)
{
	return PTW_DONE;
}
#endif

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
static enum pt_range_type ptw_thp_pmd(struct pt_range_walk *ptw, pmd_t pmd)
{
	if (pmd_present(pmd)) {
		unsigned long base = ptw->addr & PMD_MASK;
		struct folio *folio = vm_normal_folio_pmd(ptw->vma, base, pmd);

		ptw->pfn = pmd_pfn(pmd) + ptw_leaf_offset(ptw, PT_LVL_PMD);
		ptw->writable = pmd_write(pmd);
		ptw->young = pmd_young(pmd);
		ptw->dirty = pmd_dirty(pmd);
		ptw->soft_dirty = pmd_soft_dirty(pmd);
		ptw->uffd_wp = pmd_uffd_wp(pmd);
		if (!folio)
			return PTW_PFN;	/* the huge zero page, VM_PFNMAP, ... */
		ptw->folio = folio;
		ptw->page = folio_page(folio, ptw->pfn - folio_pfn(folio));
		return PTW_FOLIO;
	}
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
	ptw->soft_dirty = pmd_swp_soft_dirty(pmd);
	ptw->uffd_wp = pmd_swp_uffd_wp(pmd);
	return ptw_classify_swp(ptw, pmd_to_swp_entry(pmd));
#else
	WARN_ONCE(1, "pt_range_walk: non-present PMD %llx\n", (u64)pmd_val(pmd));
	return PTW_DONE;
#endif
}
#else
static enum pt_range_type ptw_thp_pmd(struct pt_range_walk *ptw, pmd_t pmd)
{
	return PTW_DONE;
}
#endif

#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
/*
 * A PUD leaf outside hugetlb maps device memory (DAX, huge VM_PFNMAP): no
 * folio to use.  A PROT_NONE one (change_huge_pud()) is not pud_present()
 * on x86, which keeps _PAGE_PROTNONE instead, yet maps its pfn all the same.
 * There are no PUD swap entries outside hugetlb.
 */
static enum pt_range_type ptw_pud_leaf(struct pt_range_walk *ptw, pud_t pud)
{
	if (!pud_present(pud) && !pud_leaf(pud))
		return PTW_DONE;
	ptw->pfn = pud_pfn(pud) + ptw_leaf_offset(ptw, PT_LVL_PUD);
	ptw->writable = pud_write(pud);
	ptw->young = pud_young(pud);
	ptw->dirty = pud_dirty(pud);
	return PTW_PFN;
}
#else
static enum pt_range_type ptw_pud_leaf(struct pt_range_walk *ptw, pud_t pud)
{
	return PTW_DONE;
}
#endif

/*
 * A leaf above the PTE level: lock it, re-read it, and classify it.
 * Returns false when, under the lock, it is no longer a leaf: the caller
 * descends again.
 */
static bool ptw_huge_leaf(struct pt_range_walk *ptw, const struct pt_visit *v,
			  enum pt_range_type *type)
{
	unsigned int lvl = v->ptp.lvl;
	spinlock_t *ptl = ptw_leaf_lockptr(ptw, lvl, v->ptp.ptr);
	union pt_entry e;

	spin_lock(ptl);
	e = pt_get(v->ptp);
	if (pt_entry_none(e, lvl) || pt_entry_is_table(e, lvl)) {
		spin_unlock(ptl);
		return false;
	}
	__release(ptl);		/* held until ptw_unlock() */
	ptw->ptl = ptl;
	ptw_reset_step(ptw);
	ptw->addr = v->addr;
	ptw->level = lvl;
	ptw->entry = e;
	ptw->nr = v->nr;
	ptw->size = v->next - v->addr;
	ptw->next = v->next;

	if (ptw->hugetlb)
		*type = ptw_hugetlb_leaf(ptw, lvl, v->ptp.ptr);
	else if (lvl == PT_LVL_PMD)
		*type = ptw_thp_pmd(ptw, e.pmd);
	else
		*type = ptw_pud_leaf(ptw, e.pud);
	if (*type == PTW_DONE)
		WARN_ONCE(1, "pt_range_walk: unexpected level-%u leaf\n", lvl);
	return true;
}

/* --- The walk ---------------------------------------------------------------- */

/*
 * Does this task hold the mmap lock or the VMA lock?  Only lockdep knows who
 * holds a lock; without it, that someone holds it is the best check there
 * is.  (mmap_assert_locked() and vma_assert_locked() would BUG instead of
 * letting the walk end cleanly.)
 */
#ifdef CONFIG_LOCKDEP
#define ptw_rwsem_held(sem)	lockdep_is_held(sem)
#else
#define ptw_rwsem_held(sem)	rwsem_is_locked(sem)
#endif

static bool ptw_lock_held(struct vm_area_struct *vma)
{
	if (ptw_rwsem_held(&vma->vm_mm->mmap_lock))
		return true;
#ifdef CONFIG_PER_VMA_LOCK
	return ptw_rwsem_held(&vma->vm_lock->lock);
#else
	return false;
#endif
}

/* Describe the run of entries @v as a hole; true if holes are wanted. */
static bool ptw_hole(struct pt_range_walk *ptw, const struct pt_visit *v)
{
	ptw_reset_step(ptw);
	ptw->addr = v->addr;
	ptw->size = v->next - v->addr;
	ptw->level = v->ptp.lvl;
	ptw->entry = v->entry;
	ptw->next = v->next;
	return ptw_wants(ptw, PTW_NONE);
}

/*
 * The out-of-line half of pt_range_walk_next(): every step but a small
 * folio inside the held PTE table (see <linux/pt_walk.h>).
 */
enum pt_range_type __pt_range_walk_next(struct pt_range_walk *ptw)
{
	enum pt_range_type type;
	struct pt_visit v;
	int ret;

	if (ptw->type == PTW_DONE)
		return PTW_DONE;
	/*
	 * A PMD or PUD leaf is locked for its own step only.  Outside a PTE
	 * table nothing but the caller's mmap or VMA lock is held between
	 * steps: reschedule there, as a walk of many huge leaves or holes
	 * returned one after another would otherwise never do.
	 */
	if (!ptw->ptep) {
		ptw_unlock(ptw);
		cond_resched();
	}
	for (;;) {
		if (ptw->ptep) {
			while (ptw->next < ptw->table_end) {
				type = ptw_pte_step(ptw);
				if (type != PTW_DONE && ptw_wants(ptw, type))
					return ptw->type = type;
			}
			ptw_unlock(ptw);
			cond_resched();
		}
		if (ptw->next >= ptw->end)
			return ptw_finish(ptw);

		ret = pt_walk_find(ptw->mm, ptw->next, ptw->end, PT_LVL_PMD,
				   ptw_wants(ptw, PTW_NONE) ? PT_FIND_HOLES : 0, &v);
		if (ret <= 0)
			return ptw_finish(ptw);
		switch (v.kind) {
		case PT_VISIT_NONE:
			/* Only found when holes are wanted. */
			ptw_hole(ptw, &v);
			return ptw->type = PTW_NONE;
		case PT_VISIT_BAD:
			/*
			 * A corrupt entry is never read through nor counted.
			 * pte_offset_map_lock() reports and clears a bad PMD
			 * (pmd_clear_bad()), as every walker of PTE tables
			 * does, or maps the table that replaced it; a bad
			 * entry, or what is left of it, is a hole.
			 */
			if (v.ptp.lvl == PT_LVL_PMD) {
				ptw->next = v.addr;
				if (ptw_enter_pte_table(ptw, v.ptp.ptr, v.next))
					break;
			}
			if (ptw_hole(ptw, &v))
				return ptw->type = PTW_NONE;
			break;
		case PT_VISIT_TABLE:
			/* Holes the caller did not ask for were skipped. */
			ptw->next = v.addr;
			/* On failure the PMD changed under us: descend again. */
			ptw_enter_pte_table(ptw, v.ptp.ptr, v.next);
			break;
		case PT_VISIT_LEAF:
			if (!ptw_huge_leaf(ptw, &v, &type))
				break;
			if (type != PTW_DONE && ptw_wants(ptw, type))
				return ptw->type = type;
			ptw_unlock(ptw);
			cond_resched();
			break;
		}
	}
}
EXPORT_SYMBOL_GPL(__pt_range_walk_next);

/**
 * pt_range_walk_start() - start a walk over the page tables of a VMA
 * @ptw: the walk's state, on the caller's stack
 * @vma: the VMA, whose mmap lock (read or write) or VMA lock is held
 * @start: page-aligned start of the range, in @vma
 * @end: page-aligned exclusive end of the range, in @vma, above @start
 * @flags: PTW_WANT() of each type of interest, and optionally
 *	PTW_MERGE_BITS.  Entries of other types are skipped, never reported
 *	and never allowed to end the walk.
 *
 * Every address of [@start, @end) is described at most once, and exactly
 * once when every type is wanted.  A misuse (bad range, range outside the
 * VMA, no lock held, nothing wanted) warns once and ends the walk.
 *
 * Return: the type of the first batch, or PTW_DONE.
 */
enum pt_range_type pt_range_walk_start(struct pt_range_walk *ptw,
				       struct vm_area_struct *vma,
				       unsigned long start, unsigned long end,
				       unsigned int flags)
{
	*ptw = (struct pt_range_walk){
		.type = PTW_NONE,
		.vma = vma,
		.mm = vma->vm_mm,
		.next = start,
		.end = end,
		.flags = flags,
		.max_pfn = highest_memmap_pfn,
		.hugetlb = is_vm_hugetlb_page(vma),
	};
	/* The gate VMA (x86 vsyscall) belongs to no mm: nothing to walk. */
	if (!vma->vm_mm)
		return ptw_finish(ptw);
	if (WARN_ON_ONCE(start >= end || !PAGE_ALIGNED(start) ||
			 !PAGE_ALIGNED(end) || start < vma->vm_start ||
			 end > vma->vm_end || !(flags & PTW_WANT_ALL) ||
			 !ptw_lock_held(vma)))
		return ptw_finish(ptw);
	if (ptw->hugetlb) {
		unsigned long mask = ~huge_page_mask(hstate_vma(vma));

		if (WARN_ON_ONCE((start | end) & mask))
			return ptw_finish(ptw);
		hugetlb_vma_lock_read(vma);
		ptw->vma_locked = true;
	}
	return pt_range_walk_next(ptw);
}
EXPORT_SYMBOL_GPL(pt_range_walk_start);

/**
 * pt_range_walk_done() - end a walk, early or not
 * @ptw: the walk
 *
 * Releases every lock the walk holds.  Idempotent: calling it after the
 * walk returned PTW_DONE, or twice, does nothing more.
 */
void pt_range_walk_done(struct pt_range_walk *ptw)
{
	ptw_finish(ptw);
}
EXPORT_SYMBOL_GPL(pt_range_walk_done);
