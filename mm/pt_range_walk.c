// SPDX-License-Identifier: GPL-2.0
/*
 * pt_range_walk: tell the caller what maps a range of a VMA, one run of
 * entries at a time, with the locking done here.
 *
 * Structure: pt_walk_find() (the level-generic descent, mm/pt_walk.c) is
 * called only to reach the next PMD-level entry: a PTE table, a PMD or PUD
 * leaf, or a hole.  After a PMD-level entry the walk keeps its place in the
 * PMD table and goes on from there (pt_walk_find_in()), descending from the
 * root only when it leaves that table.  Inside a PTE table the walk keeps
 * the table mapped and locked, and each step is a run of entries of one
 * type: present normal pages are found with two bit tests per entry, and
 * their folios are resolved only if the caller asks
 * (for_each_pt_range_folio()), so an N-table range costs N lock
 * acquisitions and about one step per table.
 *
 * What is held between steps, and when the walk reschedules: "DOC:
 * Locking" below.
 */

/**
 * DOC: Locking
 *
 * The caller holds the mmap lock (read or write) or the VMA lock for the
 * whole walk.  When a step is returned:
 *
 * - PTE-level steps, PTW_NONE ones included: the PTE table is mapped and
 *   its lock held, from the first step in the table to the last;
 * - PMD- and PUD-level leaves, present or not: their lock is held; the
 *   entry was re-read and re-validated under it;
 * - PTW_NONE steps above the PTE level: no page-table lock;
 * - hugetlb VMAs: the hugetlb VMA lock, from pt_range_walk_start() to the
 *   end of the walk, and for every entry the hugetlb lock of its size;
 *   with PTW_LOCK_I_MMAP also the file's i_mmap_rwsem for writing, taken
 *   before that lock (the order of mm/rmap.c: hugetlb VMA lock, then
 *   i_mmap_rwsem, then page-table locks) and never kept for the next leaf.
 *
 * Locks are dropped and cond_resched() called whenever the walk leaves a
 * table, and between two steps outside a PTE table (huge leaves, holes
 * above the PTE level).  Only the lock of a leaf is kept for the next step
 * when that may be a leaf under the same lock (split PMD locks: one per
 * table) and neither a reschedule nor another locker is pending: a run of
 * huge leaves costs one lock, yet never delays a reschedule.
 *
 * A paused walk holds no lock at all, the hugetlb VMA lock included: the
 * caller may drop the mmap or VMA lock then, and must look the VMA up
 * again before pt_range_walk_resume().
 *
 * The body of the loop must not sleep when the step holds a page-table
 * lock: a PTE-level step or a huge leaf.  A PTW_NONE step above the PTE
 * level holds none, so a caller may do there what may sleep (smaps looks
 * up swapped-out shmem pages there for a whole range, and one page at a
 * time inside a PTE table).
 */
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pt_walk.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/swapops.h>

#include "internal.h"

/*
 * An entry nobody is told about: one of a type the caller did not ask for
 * is skipped the same way.  Never returned to the caller.
 */
#define PTW_SKIP	PTW_NR_TYPES

/* The types of entries that are not present. */
#define PTW_NOT_PRESENT	(PTW_WANT(PTW_NONE) | PTW_WANT(PTW_MARKER) |	\
			 PTW_WANT(PTW_SWAP) | PTW_WANT(PTW_MIGRATION) |	\
			 PTW_WANT(PTW_DEVICE) | PTW_WANT(PTW_HWPOISON))

/* Every flag of pt_range_walk_start(). */
#define PTW_FLAGS	(PTW_WANT_ALL | PTW_PAUSE_ON_CONTENTION | PTW_MODIFY |	\
			 PTW_MODIFY_NOFLUSH | PTW_LOCK_I_MMAP)

static bool ptw_wants(const struct pt_range_walk *ptw, enum pt_range_type t)
{
	return ptw->flags & PTW_WANT(t);
}

/*
 * PTW_LOCK_I_MMAP in a hugetlb VMA: the file's i_mmap_rwsem, taken before
 * the page-table lock (it sleeps) and dropped after it (ptw_unlock()).
 */
static void ptw_lock_i_mmap(struct pt_range_walk *ptw)
{
	if (ptw->hugetlb && (ptw->flags & PTW_LOCK_I_MMAP)) {
		i_mmap_lock_write(ptw->vma->vm_file->f_mapping);
		ptw->i_mmap_locked = true;
	}
}

static void ptw_unlock_i_mmap(struct pt_range_walk *ptw)
{
	if (ptw->i_mmap_locked) {
		i_mmap_unlock_write(ptw->vma->vm_file->f_mapping);
		ptw->i_mmap_locked = false;
	}
}

/*
 * PTW_MODIFY: flush the TLB for the present entries the modifiers changed
 * under the lock held, before it is dropped; the modifiers of PMD leaves
 * flush as they go (pmdp_invalidate()).
 */
static void ptw_flush(struct pt_range_walk *ptw)
{
	if (ptw->hugetlb)
		flush_hugetlb_tlb_range(ptw->vma, ptw->flush_start, ptw->flush_end);
	else
		flush_tlb_range(ptw->vma, ptw->flush_start, ptw->flush_end);
	ptw->flush_start = 0;
	ptw->flush_end = 0;
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
		/* PTW_MODIFY: entries changed under this lock. */
		if (unlikely(ptw->flush_end))
			ptw_flush(ptw);
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
	if (unlikely(ptw->i_mmap_locked))
		ptw_unlock_i_mmap(ptw);
}

/*
 * Release every lock and end the walk with nothing described: its end
 * (and its resume address, when paused) is in @ptw->next.
 */
static enum pt_range_type ptw_stop(struct pt_range_walk *ptw)
{
	ptw_unlock(ptw);
	if (ptw->vma_locked) {
		hugetlb_vma_unlock_read(ptw->vma);
		ptw->vma_locked = false;
	}
	ptw->folio = NULL;
	ptw->page = NULL;
	ptw->nr = 0;
	ptw->addr = ptw->next;
	ptw->type = PTW_DONE;
	return PTW_DONE;
}

static enum pt_range_type ptw_finish(struct pt_range_walk *ptw)
{
	ptw->paused = false;
	ptw->next = ptw->end;
	return ptw_stop(ptw);
}

/*
 * Pause at ptw->next: the PMD table the walk keeps its place in may be
 * freed once the caller drops the mmap lock, so it is forgotten, and so is
 * the VMA.
 */
static enum pt_range_type ptw_pause(struct pt_range_walk *ptw)
{
	ptw_stop(ptw);
	ptw->paused = true;
	ptw->pmd_ptp = (struct pt_ptr){};
	ptw->vma = NULL;
	return PTW_DONE;
}

/*
 * Pause here for a writer waiting on the mmap lock, when asked to and when
 * the walk has run for PTW_PAUSE_HOLD_NS, and gone past an entry, since it
 * (re)started.  The clock is read only when a writer waits.
 */
static bool ptw_should_pause(const struct pt_range_walk *ptw)
{
	return (ptw->flags & PTW_PAUSE_ON_CONTENTION) &&
	       ptw->next > ptw->start && ptw->next < ptw->end &&
	       mmap_lock_is_contended(ptw->mm) &&
	       local_clock() - ptw->since >= PTW_PAUSE_HOLD_NS;
}

/* The lock that protects a leaf entry of the VMA at @lvl. */
static spinlock_t *ptw_leaf_lockptr(struct pt_range_walk *ptw,
				    unsigned int lvl, void *entry)
{
	if (ptw->hugetlb)
		return huge_pte_lockptr(ptw->hstate, ptw->mm, entry);
	if (lvl == PT_LVL_PMD)
		return pmd_lockptr(ptw->mm, entry);
	return pud_lockptr(ptw->mm, entry);
}

/* --- PTE level ----------------------------------------------------------- */

/*
 * Does a PTE map a normal page, as vm_normal_page() would say, decided from
 * the entry alone?  Only where special mappings are marked in the PTE
 * (ARCH_HAS_PTE_SPECIAL); elsewhere every present PTE takes the slow path.
 * Two bit tests: the run of such entries costs what a scan for present
 * ones does.  A pfn past the memmap (a corrupt entry) is caught where a
 * page would be looked up: pt_range_folio_next().
 */
static __always_inline bool ptw_pte_normal(const struct pt_range_walk *ptw,
					   pte_t pte)
{
	return IS_ENABLED(CONFIG_ARCH_HAS_PTE_SPECIAL) && pte_present(pte) &&
	       !pte_special(pte);
}

/*
 * How many PTEs from @ptep (at most @max_nr) map normal pages.  One test
 * per entry; a contiguous block (arm64 contpte) is read once: ptep_get()
 * of a block entry gathers the block, and the block maps one folio.
 */
static unsigned int ptw_pte_run(const struct pt_range_walk *ptw, pte_t *ptep,
				pte_t pte, unsigned int max_nr)
{
	unsigned int nr = pte_batch_hint(ptep, pte);

	while (nr < max_nr) {
		pte = ptep_get(ptep + nr);
		if (!ptw_pte_normal(ptw, pte))
			break;
		nr += pte_batch_hint(ptep + nr, pte);
	}
	return min(nr, max_nr);
}

/**
 * __pt_range_folio_batch() - consecutive pages of a large folio in a run
 * @ptep: the first PTE, of a PTW_FOLIO run, mapping a page of @folio
 * @pte: its value
 * @folio: the large folio
 * @max_nr: entries left in the run
 *
 * For for_each_pt_range_folio().
 *
 * Return: how many PTEs from @ptep map the following pages of @folio with
 * the same bits as @pte: at least 1.
 */
unsigned int __pt_range_folio_batch(pte_t *ptep, pte_t pte,
				    struct folio *folio, unsigned int max_nr)
{
	unsigned long end_pfn = folio_pfn(folio) + folio_nr_pages(folio);
	unsigned int nr;

	max_nr = min_t(unsigned long, max_nr, end_pfn - pte_pfn(pte));
	nr = min(pte_batch_hint(ptep, pte), max_nr);
	while (nr < max_nr) {
		pte_t cur = ptep_get(ptep + nr);

		if (!pte_same(cur, pte_advance_pfn(pte, nr)))
			break;
		nr = min(nr + pte_batch_hint(ptep + nr, cur), max_nr);
	}
	return nr;
}
EXPORT_SYMBOL_GPL(__pt_range_folio_batch);

/**
 * __pt_range_folio_bad() - an entry of a PTW_FOLIO run maps no page
 * @ptw: the walk, at the run
 * @addr: the address the entry maps
 * @pte: the entry
 *
 * For for_each_pt_range_folio(), which skips the entry: its pfn is past
 * the memmap.  vm_normal_page() reports it, as for every walker.
 */
void __pt_range_folio_bad(const struct pt_range_walk *ptw, unsigned long addr,
			  pte_t pte)
{
	vm_normal_page(ptw->vma, addr, pte);
}
EXPORT_SYMBOL_GPL(__pt_range_folio_bad);

/* Classify a non-present, non-none PTE, PMD or PUD entry. */
static enum pt_range_type ptw_classify_swp(struct pt_range_walk *ptw,
					   swp_entry_t entry)
{
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
	return PTW_SKIP;
}

/*
 * Is a PTE a swap entry, not a migration, device, hwpoison or marker one?
 * A test of the type bits: a run of them costs a shift and a compare per
 * entry, where following consecutive slots (swap_pte_batch()) would cost
 * the encoding of the next entry.
 */
static __always_inline bool ptw_pte_swap(pte_t pte)
{
	return is_swap_pte(pte) && !non_swap_entry(pte_to_swp_entry(pte));
}

/* How many present PTEs from @ptep map no page vm_normal_page() finds. */
static unsigned int ptw_pfn_run(struct pt_range_walk *ptw, pte_t *ptep,
				unsigned int max_nr)
{
	unsigned long addr = ptw->addr + PAGE_SIZE;
	unsigned int nr = 1;

	for (; nr < max_nr; nr++, addr += PAGE_SIZE) {
		pte_t pte = ptep_get(ptep + nr);

		if (!pte_present(pte) || vm_normal_page(ptw->vma, addr, pte))
			break;
	}
	return nr;
}

/*
 * Describe the run of PTEs of one type at ptw->ptep, within the locked
 * table, and step past it.
 */
static enum pt_range_type ptw_pte_step(struct pt_range_walk *ptw)
{
	unsigned int max_nr = (ptw->table_end - ptw->next) >> PAGE_SHIFT;
	pte_t *ptep = ptw->ptep;
	pte_t pte = ptep_get(ptep);
	enum pt_range_type type;
	unsigned int nr = 1;

	ptw->addr = ptw->next;
	ptw->level = PT_LVL_PTE;
	ptw->entry.pte = pte;
	ptw->folio = NULL;
	ptw->page = NULL;

	if (ptw_pte_normal(ptw, pte)) {
		nr = ptw_pte_run(ptw, ptep, pte, max_nr);
		type = PTW_FOLIO;
	} else if (!(ptw->flags & PTW_NOT_PRESENT) && !pte_present(pte)) {
		/* No type of entry that is not present is wanted: skip them. */
		while (nr < max_nr && !pte_present(ptep_get(ptep + nr)))
			nr++;
		type = PTW_SKIP;
	} else if (pte_none(pte)) {
		while (nr < max_nr && pte_none(ptep_get(ptep + nr)))
			nr++;
		type = PTW_NONE;
	} else if (pte_present(pte)) {
		/* Without pte_special(), or a find_special_page() mapping. */
		struct page *page = vm_normal_page(ptw->vma, ptw->addr, pte);

		if (page) {
			ptw->page = page;
			type = PTW_FOLIO;
		} else {
			nr = ptw_pfn_run(ptw, ptep, max_nr);
			type = PTW_PFN;
		}
	} else {
		type = ptw_classify_swp(ptw, pte_to_swp_entry(pte));
		while (type == PTW_SWAP && nr < max_nr &&
		       ptw_pte_swap(ptep_get(ptep + nr)))
			nr++;
	}
	ptw->nr = type == PTW_NONE ? 0 : nr;
	ptw->ptep = ptep + nr;
	ptw->next = ptw->addr + ((unsigned long)nr << PAGE_SHIFT);
	return type;
}

/* Map and lock the PTE table under @pmdp; false if it went away. */
static bool ptw_enter_pte_table(struct pt_range_walk *ptw, pmd_t *pmdp,
				unsigned long table_end)
{
	pte_t *pte;

	if (ptw->hugetlb) {
		/* hugetlb cont-PTE leaves are protected by the hugetlb lock. */
		ptw_lock_i_mmap(ptw);
		pte = pte_offset_map(pmdp, ptw->next);
		if (!pte) {
			ptw_unlock_i_mmap(ptw);
			return false;
		}
		ptw->ptl = huge_pte_lockptr(ptw->hstate, ptw->mm, pte);
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
static inline unsigned long ptw_leaf_offset(const struct pt_range_walk *ptw,
					    unsigned int lvl)
{
	return (ptw->addr & ~pt_lvl_mask(lvl)) >> PAGE_SHIFT;
}

/*
 * The page at ptw->addr of a leaf that maps @head first.  Its folio is
 * for for_each_pt_range_folio() to find: a walk that wants presence
 * never reads a struct page.
 */
static inline void ptw_leaf_page(struct pt_range_walk *ptw, struct page *head)
{
	ptw->page = nth_page(head, ptw_leaf_offset(ptw, ptw->level));
}

#ifdef CONFIG_HUGETLB_PAGE
/* hugetlb entries, whatever their level, are read as huge PTEs. */
static enum pt_range_type ptw_hugetlb_leaf(struct pt_range_walk *ptw,
					   unsigned int lvl, void *entry)
{
	pte_t pte = huge_ptep_get(ptw->mm, ptw->addr, entry);

	ptw->entry.pte = pte;
	if (pte_present(pte)) {
		ptw_leaf_page(ptw, pte_page(pte));
		return PTW_FOLIO;
	}
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
		struct page *page = vm_normal_page_pmd(ptw->vma,
						       ptw->addr & PMD_MASK,
						       pmd);

		if (!page)
			return PTW_PFN;	/* the huge zero page, VM_PFNMAP, ... */
		ptw_leaf_page(ptw, page);
		return PTW_FOLIO;
	}
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
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

	/* The previous leaf's lock may be this one's: kept, see below. */
	if (ptw->ptl != ptl) {
		ptw_unlock(ptw);
		ptw_lock_i_mmap(ptw);
		spin_lock(ptl);
		__release(ptl);		/* held until ptw_unlock() */
		ptw->ptl = ptl;
	}
	e = pt_get(v->ptp);
	if (pt_entry_none(e, lvl) || pt_entry_is_table(e, lvl)) {
		ptw_unlock(ptw);
		return false;
	}
	ptw->addr = v->addr;
	ptw->level = lvl;
	ptw->entry = e;
	ptw->leaf = v->ptp;
	ptw->nr = v->nr;
	ptw->next = v->next;
	ptw->folio = NULL;
	ptw->page = NULL;

	if (ptw->hugetlb)
		*type = ptw_hugetlb_leaf(ptw, lvl, v->ptp.ptr);
	else if (lvl == PT_LVL_PMD)
		*type = ptw_thp_pmd(ptw, e.pmd);
	else
		*type = ptw_pud_leaf(ptw, e.pud);
	if (*type == PTW_DONE) {
		WARN_ONCE(1, "pt_range_walk: unexpected level-%u leaf\n", lvl);
		*type = PTW_SKIP;
	}
	return true;
}

/* --- What a step derives on demand --------------------------------------- */

/**
 * pt_range_walk_pfn() - the page frame a present step maps at its address
 * @ptw: the walk, at a PTW_FOLIO or PTW_PFN step
 *
 * Return: the pfn mapped at @ptw->addr; the following ones of a PTE run
 * are in its entries (pt_range_walk_pte()).
 */
unsigned long pt_range_walk_pfn(const struct pt_range_walk *ptw)
{
	unsigned long pfn = 0;

	if (ptw->hugetlb || ptw->level == PT_LVL_PTE)
		pfn = pte_pfn(ptw->entry.pte);
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	else if (ptw->level == PT_LVL_PMD)
		pfn = pmd_pfn(ptw->entry.pmd);
#endif
#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
	else if (ptw->level == PT_LVL_PUD)
		pfn = pud_pfn(ptw->entry.pud);
#endif
	return pfn + ptw_leaf_offset(ptw, ptw->level);
}
EXPORT_SYMBOL_GPL(pt_range_walk_pfn);

/**
 * pt_range_walk_swp() - the swap-type entry a non-present step holds
 * @ptw: the walk, at a PTW_SWAP, PTW_MARKER, PTW_MIGRATION, PTW_DEVICE or
 *	PTW_HWPOISON step
 *
 * Return: the entry at @ptw->addr; those of the rest of a PTW_SWAP run
 * are in its entries (pt_range_walk_pte()).
 */
swp_entry_t pt_range_walk_swp(const struct pt_range_walk *ptw)
{
	swp_entry_t entry = { 0 };

	if (ptw->hugetlb || ptw->level == PT_LVL_PTE)
		entry = pte_to_swp_entry(ptw->entry.pte);
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
	else if (ptw->level == PT_LVL_PMD)
		entry = pmd_to_swp_entry(ptw->entry.pmd);
#endif
	return entry;
}
EXPORT_SYMBOL_GPL(pt_range_walk_swp);

static unsigned int ptw_bits(bool w, bool young, bool dirty, bool sd, bool wp)
{
	return (w ? PTW_BIT_WRITE : 0) | (young ? PTW_BIT_YOUNG : 0) |
	       (dirty ? PTW_BIT_DIRTY : 0) | (sd ? PTW_BIT_SOFT_DIRTY : 0) |
	       (wp ? PTW_BIT_UFFD_WP : 0);
}

/**
 * pt_range_walk_bits() - the write, access, dirty, soft-dirty and uffd-wp
 *	bits of an entry of the step
 * @ptw: the walk, at a step other than PTW_NONE
 * @e: an entry at the step's level: @ptw->entry, the @entry of a
 *	struct pt_range_folio, or (as .pte) what pt_range_walk_pte() read
 *
 * Non-present entries have only soft-dirty and uffd-wp bits.
 *
 * Return: the PTW_BIT_* flags set in @e.
 */
unsigned int pt_range_walk_bits(const struct pt_range_walk *ptw,
				union pt_entry e)
{
#ifdef CONFIG_HUGETLB_PAGE
	if (ptw->hugetlb) {
		pte_t pte = e.pte;

		if (pte_present(pte))
			return ptw_bits(huge_pte_write(pte), pte_young(pte),
					huge_pte_dirty(pte), pte_soft_dirty(pte),
					huge_pte_uffd_wp(pte));
		return ptw_bits(false, false, false, pte_swp_soft_dirty(pte),
				pte_swp_uffd_wp_any(pte));
	}
#endif
	if (ptw->level == PT_LVL_PTE) {
		pte_t pte = e.pte;

		if (pte_present(pte))
			return ptw_bits(pte_write(pte), pte_young(pte),
					pte_dirty(pte), pte_soft_dirty(pte),
					pte_uffd_wp(pte));
		return ptw_bits(false, false, false, pte_swp_soft_dirty(pte),
				pte_swp_uffd_wp_any(pte));
	}
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	if (ptw->level == PT_LVL_PMD) {
		pmd_t pmd = e.pmd;

		if (pmd_present(pmd))
			return ptw_bits(pmd_write(pmd), pmd_young(pmd),
					pmd_dirty(pmd), pmd_soft_dirty(pmd),
					pmd_uffd_wp(pmd));
#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
		return ptw_bits(false, false, false, pmd_swp_soft_dirty(pmd),
				pmd_swp_uffd_wp(pmd));
#endif
	}
#endif
#ifdef CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD
	if (ptw->level == PT_LVL_PUD)
		return ptw_bits(pud_write(e.pud), pud_young(e.pud),
				pud_dirty(e.pud), false, false);
#endif
	return 0;
}
EXPORT_SYMBOL_GPL(pt_range_walk_bits);

/* --- Write mode ---------------------------------------------------------- */

/**
 * DOC: Write mode
 *
 * A walk started with PTW_MODIFY or PTW_MODIFY_NOFLUSH may change the
 * entries of the step it is at, under the lock the step holds, with the
 * modifiers:
 *
 * - pt_range_walk_clear_young(): clear the accessed bit of present
 *   entries, as reclaim's ptep_test_and_clear_young() does: no TLB flush;
 * - pt_range_walk_clear_soft_dirty(): write-protect present entries and
 *   clear their soft-dirty bit, and clear it in the other non-empty ones,
 *   so that the next write faults and sets it again (soft-dirty tracking;
 *   nothing without CONFIG_MEM_SOFT_DIRTY);
 * - pt_range_walk_uffd_wp(): set the uffd-wp bit of present and swap-like
 *   entries, and put a uffd-wp marker in empty ones.
 *
 * Each takes a range of the step: any part of a PTE-level step (an empty
 * PTE is one too), or the whole of a leaf above it, changed as one entry.
 * A leaf that maps more than the range is a misuse: the caller splits it
 * first.  A hole above the PTE level has no table to write to; a caller
 * that must mark it there goes through the mm's own interfaces
 * (uffd_wp_range()), as no page-table lock is held at such a step.
 * Walkers that change entries in their own way do it through
 * pt_range_walk_ptep() or @ptw->leaf, and flush for themselves.
 *
 * TLB: with PTW_MODIFY, the present entries that lost their write
 * permission are flushed once for each PTE table or hugetlb leaf, over
 * the range changed in it, before its lock is dropped; a PMD leaf is
 * flushed as it is changed (pmdp_invalidate()).  With PTW_MODIFY_NOFLUSH
 * nothing is flushed: the caller raised the flush pending and flushes the
 * mm after the walk.  Clearing the accessed bit flushes nothing either way.
 *
 * Only pt_range_walk_uffd_wp() changes hugetlb entries, as only
 * PAGEMAP_SCAN wrote to them; a PUD leaf outside hugetlb (DAX) is never
 * changed.  Those modifiers leave such leaves as they are and count
 * nothing.
 */

enum ptw_change {
	PTW_CHANGE_YOUNG,
	PTW_CHANGE_SOFT_DIRTY,
	PTW_CHANGE_UFFD_WP,
};

/* PTW_MODIFY: [addr, end) lost its write permission; flush it later. */
static void ptw_flush_later(struct pt_range_walk *ptw, unsigned long addr,
			    unsigned long end)
{
	if (ptw->flags & PTW_MODIFY_NOFLUSH)
		return;
	if (!ptw->flush_end)
		ptw->flush_start = addr;
	ptw->flush_start = min(ptw->flush_start, addr);
	ptw->flush_end = max(ptw->flush_end, end);
}

static bool ptw_change_pte(struct pt_range_walk *ptw, pte_t *ptep,
			   unsigned long addr, enum ptw_change change)
{
	struct vm_area_struct *vma = ptw->vma;
	pte_t old, pte = ptep_get(ptep);

	if (change == PTW_CHANGE_YOUNG)
		return pte_present(pte) &&
		       ptep_test_and_clear_young(vma, addr, ptep);
	if (pte_present(pte)) {
		old = ptep_modify_prot_start(vma, addr, ptep);
		if (change == PTW_CHANGE_SOFT_DIRTY)
			pte = pte_clear_soft_dirty(pte_wrprotect(old));
		else
			pte = pte_mkuffd_wp(old);
		ptep_modify_prot_commit(vma, addr, ptep, old, pte);
		ptw_flush_later(ptw, addr, addr + PAGE_SIZE);
		return true;
	}
	if (change == PTW_CHANGE_SOFT_DIRTY) {
		if (pte_none(pte))
			return false;
		pte = pte_swp_clear_soft_dirty(pte);
	} else if (pte_none(pte)) {
		pte = make_pte_marker(PTE_MARKER_UFFD_WP);
	} else {
		pte = pte_swp_mkuffd_wp(pte);
	}
	set_pte_at(ptw->mm, addr, ptep, pte);
	return true;
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
/* A present PMD leaf, as change_huge_pmd() changes it. */
static void ptw_change_pmd_present(struct pt_range_walk *ptw, pmd_t *pmdp,
				   unsigned long addr, enum ptw_change change)
{
	struct vm_area_struct *vma = ptw->vma;
	pmd_t old, pmd = pmdp_get(pmdp);

	if (change == PTW_CHANGE_SOFT_DIRTY) {
		/* Keep what the CPU set before the entry was invalidated. */
		old = pmdp_invalidate(vma, addr, pmdp);
		if (pmd_dirty(old))
			pmd = pmd_mkdirty(pmd);
		if (pmd_young(old))
			pmd = pmd_mkyoung(pmd);
		pmd = pmd_clear_soft_dirty(pmd_wrprotect(pmd));
	} else {
		old = pmdp_invalidate_ad(vma, addr, pmdp);
		pmd = pmd_mkuffd_wp(old);
	}
	set_pmd_at(ptw->mm, addr, pmdp, pmd);
}

static bool ptw_change_pmd(struct pt_range_walk *ptw, pmd_t *pmdp,
			   unsigned long addr, enum ptw_change change)
{
	pmd_t pmd = pmdp_get(pmdp);

	if (pmd_present(pmd)) {
		if (change == PTW_CHANGE_YOUNG)
			return pmdp_test_and_clear_young(ptw->vma, addr, pmdp);
		ptw_change_pmd_present(ptw, pmdp, addr, change);
		return true;
	}
	/* A THP being migrated: the only PMD swap entry. */
	if (change == PTW_CHANGE_YOUNG ||
	    !is_migration_entry(pmd_to_swp_entry(pmd)))
		return false;
	if (change == PTW_CHANGE_SOFT_DIRTY)
		pmd = pmd_swp_clear_soft_dirty(pmd);
	else
		pmd = pmd_swp_mkuffd_wp(pmd);
	set_pmd_at(ptw->mm, addr, pmdp, pmd);
	return true;
}
#else
static bool ptw_change_pmd(struct pt_range_walk *ptw, pmd_t *pmdp,
			   unsigned long addr, enum ptw_change change)
{
	return false;
}
#endif

#ifdef CONFIG_HUGETLB_PAGE
/* Set uffd-wp in a hugetlb entry, as PAGEMAP_SCAN did. */
static bool ptw_uffd_wp_huge(struct pt_range_walk *ptw, pte_t *ptep,
			     unsigned long addr)
{
	unsigned long size = huge_page_size(ptw->hstate);
	struct vm_area_struct *vma = ptw->vma;
	pte_t old, pte = huge_ptep_get(ptw->mm, addr, ptep);

	if (is_hugetlb_entry_hwpoisoned(pte) || is_pte_marker(pte))
		return false;
	if (!huge_pte_none(pte) && !is_hugetlb_entry_migration(pte)) {
		old = huge_ptep_modify_prot_start(vma, addr, ptep);
		huge_ptep_modify_prot_commit(vma, addr, ptep, old,
					     huge_pte_mkuffd_wp(old));
		ptw_flush_later(ptw, addr, addr + size);
		return true;
	}
	if (huge_pte_none(pte))
		pte = make_pte_marker(PTE_MARKER_UFFD_WP);
	else
		pte = pte_swp_mkuffd_wp(pte);
	set_huge_pte_at(ptw->mm, addr, ptep, pte, size);
	return true;
}
#else
static bool ptw_uffd_wp_huge(struct pt_range_walk *ptw, pte_t *ptep,
			     unsigned long addr)
{
	return false;
}
#endif

/* A hugetlb step: each huge page of [addr, end), whole. */
static unsigned int ptw_change_hugetlb(struct pt_range_walk *ptw,
				       unsigned long addr, unsigned long end,
				       enum ptw_change change)
{
	unsigned long size = huge_page_size(ptw->hstate);
	unsigned int changed = 0;
	pte_t *ptep;

	if (WARN_ON_ONCE((addr | end) & (size - 1)))
		return 0;
	if (change != PTW_CHANGE_UFFD_WP)
		return 0;
	for (; addr < end; addr += size) {
		ptep = ptw->ptep ? pt_range_walk_ptep(ptw, addr) : ptw->leaf.ptr;
		if (ptw_uffd_wp_huge(ptw, ptep, addr))
			changed += size >> PAGE_SHIFT;
	}
	return changed;
}

static unsigned int ptw_change(struct pt_range_walk *ptw, unsigned long addr,
			       unsigned long end, enum ptw_change change)
{
	unsigned int changed = 0;
	pte_t *ptep;

	if (WARN_ON_ONCE(!(ptw->flags & (PTW_MODIFY | PTW_MODIFY_NOFLUSH)) ||
			 ptw->type == PTW_DONE || addr >= end ||
			 addr < ptw->addr || end > ptw->next ||
			 !PAGE_ALIGNED(addr) || !PAGE_ALIGNED(end)))
		return 0;
	/* Above the PTE level, only a leaf has an entry to change. */
	if (WARN_ON_ONCE(!ptw->ptep && ptw->type == PTW_NONE))
		return 0;
	if (change == PTW_CHANGE_SOFT_DIRTY && !IS_ENABLED(CONFIG_MEM_SOFT_DIRTY))
		return 0;
	if (ptw->hugetlb)
		return ptw_change_hugetlb(ptw, addr, end, change);
	if (ptw->ptep) {
		ptep = pt_range_walk_ptep(ptw, addr);
		for (; addr < end; addr += PAGE_SIZE, ptep++)
			changed += ptw_change_pte(ptw, ptep, addr, change);
		return changed;
	}
	/* A leaf is one entry: changed whole, or (a misuse) not at all. */
	if (WARN_ON_ONCE(addr & ~pt_lvl_mask(ptw->level) ||
			 end - addr != pt_lvl_size(ptw->level)))
		return 0;
	if (ptw->level == PT_LVL_PMD &&
	    ptw_change_pmd(ptw, ptw->leaf.ptr, addr, change))
		changed = end - addr;
	return changed >> PAGE_SHIFT;
}

/**
 * pt_range_walk_split() - split the leaf of a step, and walk its range again
 * @ptw: the walk, at a step that is a PMD or PUD leaf outside hugetlb
 *
 * Drops the leaf's lock and splits it, as split_huge_pmd() or
 * split_huge_pud() do (the latter unmaps a PUD of device memory); the next
 * step describes the step's range again, as it is mapped then: PTEs, or a
 * hole.  For a walker that must change part of a leaf (PAGEMAP_SCAN
 * write-protecting part of a THP).  The caller holds the mmap lock or VMA
 * lock, as for the whole walk; this may sleep.  Any other step is a misuse:
 * warns once, and the walk goes on unchanged.
 */
void pt_range_walk_split(struct pt_range_walk *ptw)
{
	if (WARN_ON_ONCE(ptw->hugetlb || ptw->ptep || ptw->type == PTW_DONE ||
			 ptw->type == PTW_NONE || ptw->level == PT_LVL_PTE))
		return;
	ptw_unlock(ptw);
	if (ptw->level == PT_LVL_PMD)
		split_huge_pmd(ptw->vma, (pmd_t *)ptw->leaf.ptr, ptw->addr);
	else
		split_huge_pud(ptw->vma, (pud_t *)ptw->leaf.ptr, ptw->addr);
	ptw->next = ptw->addr;
}
EXPORT_SYMBOL_GPL(pt_range_walk_split);

/**
 * pt_range_walk_clear_young() - clear the accessed bit of a range of a step
 * @ptw: the walk, started with PTW_MODIFY or PTW_MODIFY_NOFLUSH, at a step
 * @addr: page-aligned start of the range, in the step
 * @end: page-aligned end of the range, in the step; a leaf above the PTE
 *	level must be covered whole
 *
 * As ptep_test_and_clear_young() and pmdp_test_and_clear_young(): present
 * entries only, and no TLB flush ("DOC: Write mode").
 *
 * Return: the number of pages whose entry was young.
 */
unsigned int pt_range_walk_clear_young(struct pt_range_walk *ptw,
				       unsigned long addr, unsigned long end)
{
	return ptw_change(ptw, addr, end, PTW_CHANGE_YOUNG);
}
EXPORT_SYMBOL_GPL(pt_range_walk_clear_young);

/**
 * pt_range_walk_clear_soft_dirty() - start soft-dirty tracking over a range
 *	of a step
 * @ptw: the walk, started with PTW_MODIFY or PTW_MODIFY_NOFLUSH, at a step
 * @addr: page-aligned start of the range, in the step
 * @end: page-aligned end of the range, in the step; a leaf above the PTE
 *	level must be covered whole
 *
 * Write-protects the present entries and clears their soft-dirty bit;
 * clears it in swap, migration and marker entries ("DOC: Write mode").
 * The caller leaves out what must stay writable (pages pinned for DMA in a
 * copy-on-write mapping, for clear_refs).
 *
 * Return: the number of pages whose entry was changed; 0 without
 * CONFIG_MEM_SOFT_DIRTY.
 */
unsigned int pt_range_walk_clear_soft_dirty(struct pt_range_walk *ptw,
					    unsigned long addr,
					    unsigned long end)
{
	return ptw_change(ptw, addr, end, PTW_CHANGE_SOFT_DIRTY);
}
EXPORT_SYMBOL_GPL(pt_range_walk_clear_soft_dirty);

/**
 * pt_range_walk_uffd_wp() - userfaultfd-write-protect a range of a step
 * @ptw: the walk, started with PTW_MODIFY or PTW_MODIFY_NOFLUSH, at a step
 * @addr: page-aligned start of the range, in the step
 * @end: page-aligned end of the range, in the step; a leaf above the PTE
 *	level, and a hugetlb page, must be covered whole
 *
 * Sets the uffd-wp bit of present entries (which write-protects them) and
 * of swap and migration entries, and puts a uffd-wp marker in empty PTEs
 * and hugetlb entries ("DOC: Write mode").  Hardware-poisoned hugetlb
 * entries and markers are left as they are.
 *
 * Return: the number of pages whose entry was changed.
 */
unsigned int pt_range_walk_uffd_wp(struct pt_range_walk *ptw,
				   unsigned long addr, unsigned long end)
{
	return ptw_change(ptw, addr, end, PTW_CHANGE_UFFD_WP);
}
EXPORT_SYMBOL_GPL(pt_range_walk_uffd_wp);

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
	ptw->addr = v->addr;
	ptw->level = v->ptp.lvl;
	ptw->entry = v->entry;
	ptw->nr = 0;
	ptw->folio = NULL;
	ptw->page = NULL;
	ptw->next = v->next;
	return ptw_wants(ptw, PTW_NONE);
}

/*
 * Between two steps outside a PTE table: drop the lock of a leaf above the
 * PTE level and reschedule, unless the next step may be a leaf under the
 * same lock (with split PMD locks, one lock covers a PMD table) and nobody
 * is waiting for the CPU or the lock; then it is kept, and dropped when the
 * walk goes elsewhere (ptw_huge_leaf(), and every other kind of step).
 * A run of leaves costs one lock, yet never delays a reschedule.
 */
static void ptw_leaf_break(struct pt_range_walk *ptw)
{
	if (ptw->ptl && !ptw->i_mmap_locked && !need_resched() &&
	    !spin_needbreak(ptw->ptl))
		return;
	ptw_unlock(ptw);
	cond_resched();
}

/*
 * The entry after a PMD-level step, when it is what it most often is: a
 * table, or a plain leaf.  It is visited as the descent would visit it,
 * from one read of the entry, without the call; anything else (a hole, a
 * contiguous block, an entry that is not present or is corrupt) is left
 * to the descent.
 */
static __always_inline bool ptw_peek(struct pt_ptr ptp, unsigned long addr,
				     unsigned long end, struct pt_visit *v)
{
	union pt_entry e = pt_get(ptp);

	if (!pt_entry_present(e, PT_LVL_PMD))
		return false;
	if (pt_entry_leaf(e, PT_LVL_PMD)) {
		if (pt_entry_cont_lg2(e, PT_LVL_PMD))
			return false;
		v->kind = PT_VISIT_LEAF;
	} else if (!pt_entry_bad(e, PT_LVL_PMD)) {
		v->kind = PT_VISIT_TABLE;
	} else {
		return false;
	}
	v->ptp = ptp;
	v->entry = e;
	v->addr = addr;
	v->next = pt_addr_end(addr, end, PT_LVL_PMD);
	v->nr = 1;
	return true;
}

/*
 * Find the next PMD-level entry, or hole, from ptw->next on.  After a
 * PMD-level entry the walk goes on in the same PMD table, which the mmap
 * or VMA lock the caller holds keeps alive (only munmap frees tables above
 * the PTE level, and it takes those locks for writing; a shared hugetlb PMD
 * table is unshared only under the hugetlb VMA lock, held for the walk).
 * A hole that reaches the end of that table is looked up again from the
 * root, where it may go on at a higher level: holes stay merged.  The
 * next entry itself is read without a call when it can be (ptw_peek()).
 */
static int ptw_find(struct pt_range_walk *ptw, struct pt_visit *v)
{
	unsigned int flags = ptw_wants(ptw, PTW_NONE) ? PT_FIND_HOLES : 0;
	const unsigned int shift = pt_lvl_shift(PT_LVL_PMD);
	const unsigned long span = 1UL << (shift + pt_lvl_index_bits(PT_LVL_PMD));
	unsigned long base = ptw->pmd_addr & ~(span - 1), next = ptw->next;
	struct pt_ptr ptp = ptw->pmd_ptp;
	int ret;

	if (ptp.ptr && next - base < span) {
		ptp = pt_ptr_add(ptp, (next >> shift) - (ptw->pmd_addr >> shift));
		ret = 1;
		if (ptw_peek(ptp, next, ptw->end, v))
			goto found;
		ret = pt_walk_find_in(ptp, next, ptw->end, PT_LVL_PMD, flags, v);
		if (ret < 0)
			return ret;
		if (ret && !(v->kind == PT_VISIT_NONE && v->next == base + span))
			goto found;
		if (!ret)
			next = base + span;
		/* Nothing left in the table, or a hole leaving it. */
		if (!next || next >= ptw->end)
			return ret;
	}
	ret = pt_walk_find(ptw->mm, next, ptw->end, PT_LVL_PMD, flags, v);
	if (ret <= 0)
		return ret;
found:
	ptw->pmd_ptp = v->ptp.lvl == PT_LVL_PMD ? v->ptp : (struct pt_ptr){};
	ptw->pmd_addr = v->addr;
	return ret;
}

/**
 * pt_range_walk_next() - step to the next run of the walk
 * @ptw: the walk, from pt_range_walk_start()
 *
 * Releases what the previous step held (the PTE table stays mapped and
 * locked while the walk is inside it), then describes the next run of
 * entries of a wanted type in @ptw.
 *
 * Return: the type of the run, or PTW_DONE at the end of the walk (all
 * locks released then).
 */
enum pt_range_type pt_range_walk_next(struct pt_range_walk *ptw)
{
	enum pt_range_type type;
	struct pt_visit v;
	int ret;

	if (ptw->type == PTW_DONE)
		return PTW_DONE;
	/*
	 * Outside a PTE table nothing but the caller's mmap or VMA lock, and
	 * perhaps a leaf's lock for the next leaf, is held between steps:
	 * reschedule there, as a walk of many huge leaves or holes returned
	 * one after another would otherwise never do.
	 */
	if (!ptw->ptep)
		ptw_leaf_break(ptw);
	for (;;) {
		if (ptw->ptep) {
			while (ptw->next < ptw->table_end) {
				type = ptw_pte_step(ptw);
				if (ptw_wants(ptw, type))
					return ptw->type = type;
			}
			ptw_unlock(ptw);
			cond_resched();
		}
		if (ptw->next >= ptw->end)
			return ptw_finish(ptw);
		/* At a table boundary, or between leaves and holes. */
		if (ptw_should_pause(ptw))
			return ptw_pause(ptw);

		ret = ptw_find(ptw, &v);
		if (ret <= 0)
			return ptw_finish(ptw);
		/* Only a leaf may keep the previous leaf's lock. */
		if (v.kind != PT_VISIT_LEAF)
			ptw_unlock(ptw);
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
			/* On failure the PMD changed under us: look again. */
			ptw_enter_pte_table(ptw, v.ptp.ptr, v.next);
			break;
		case PT_VISIT_LEAF:
			if (!ptw_huge_leaf(ptw, &v, &type))
				break;
			if (ptw_wants(ptw, type))
				return ptw->type = type;
			ptw_leaf_break(ptw);
			break;
		}
	}
}
EXPORT_SYMBOL_GPL(pt_range_walk_next);

/**
 * pt_range_walk_start() - start a walk over the page tables of a VMA
 * @ptw: the walk's state, on the caller's stack
 * @vma: the VMA, whose mmap lock (read or write) or VMA lock is held
 * @start: page-aligned start of the range, in @vma
 * @end: page-aligned exclusive end of the range, in @vma, above @start
 * @flags: PTW_WANT() of each type of interest.  Entries of other types
 *	are skipped, never reported and never allowed to end the walk.  And
 *	PTW_PAUSE_ON_CONTENTION, to pause for writers of the mmap lock.
 *
 * Every address of [@start, @end) is described at most once, and exactly
 * once when every type is wanted.  A misuse (bad range, range outside the
 * VMA, no lock held, nothing wanted) warns once and ends the walk.
 *
 * Return: the type of the first run, or PTW_DONE.
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
		.start = start,
		.next = start,
		.end = end,
		.flags = flags,
		.max_pfn = highest_memmap_pfn,
		.hugetlb = is_vm_hugetlb_page(vma),
	};
	/* The gate VMA (x86 vsyscall) belongs to no mm: nothing to walk. */
	if (!vma->vm_mm)
		return ptw_finish(ptw);
	if (flags & PTW_PAUSE_ON_CONTENTION)
		ptw->since = local_clock();
	if (WARN_ON_ONCE(start >= end || !PAGE_ALIGNED(start) ||
			 !PAGE_ALIGNED(end) || start < vma->vm_start ||
			 end > vma->vm_end || !(flags & PTW_WANT_ALL) ||
			 (flags & ~PTW_FLAGS) ||
			 (flags & PTW_MODIFY && flags & PTW_MODIFY_NOFLUSH) ||
			 !ptw_lock_held(vma)))
		return ptw_finish(ptw);
	if (ptw->hugetlb) {
		unsigned long mask;

		ptw->hstate = hstate_vma(vma);
		mask = ~huge_page_mask(ptw->hstate);
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

/**
 * pt_range_walk_pause() - pause a walk after the step it is at
 * @ptw: the walk, at a step, or paused already
 *
 * Releases every lock the walk holds, the hugetlb VMA lock included, and
 * keeps its place: the end of the step it was at.  The caller may then
 * drop and retake the mmap or VMA lock, and resume with
 * pt_range_walk_resume().
 *
 * Return: the address the walk resumes at (pt_range_walk_paused()); 0,
 * with the walk ended, when nothing is left to walk.
 */
unsigned long pt_range_walk_pause(struct pt_range_walk *ptw)
{
	if (ptw->paused)
		return ptw->next;
	if (ptw->type == PTW_DONE || ptw->next >= ptw->end) {
		ptw_finish(ptw);
		return 0;
	}
	ptw_pause(ptw);
	return ptw->next;
}
EXPORT_SYMBOL_GPL(pt_range_walk_pause);

/**
 * pt_range_walk_resume() - go on with a paused walk
 * @ptw: the paused walk
 * @vma: the VMA that maps the resume address now, or the first one above
 *	it, looked up again under the mmap or VMA lock the caller holds
 *
 * The walk goes on over what is left of its range inside @vma, with the
 * types and flags it began with: from the resume address (or from @vma's
 * start, when what was there went away), to the end of the walk or of
 * @vma, whichever is lower.  Nothing described before the pause is again,
 * unless its mapping changed meanwhile.  A hugetlb VMA mapped since the
 * pause resumes at the start of its huge page that holds the address.
 *
 * Return: the type of the next run, or PTW_DONE: when the walk was not
 * paused (a misuse: warns once), or nothing of its range is in @vma.
 */
enum pt_range_type pt_range_walk_resume(struct pt_range_walk *ptw,
					struct vm_area_struct *vma)
{
	unsigned long start = ptw->next, end = ptw->end;

	if (WARN_ON_ONCE(!ptw->paused) || !vma)
		return ptw_finish(ptw);
	start = max(start, vma->vm_start);
	end = min(end, vma->vm_end);
	if (is_vm_hugetlb_page(vma)) {
		unsigned long size = huge_page_size(hstate_vma(vma));

		start = ALIGN_DOWN(start, size);
		end = ALIGN(end, size);
	}
	if (start >= end)
		return ptw_finish(ptw);
	return pt_range_walk_start(ptw, vma, start, end, ptw->flags);
}
EXPORT_SYMBOL_GPL(pt_range_walk_resume);
