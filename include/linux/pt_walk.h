/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking the page tables of an address space with the level-generic
 * descent of <linux/pt_descent.h>: pt_walk_find(), and the pt_range_walk
 * iterator built on it.
 */
#ifndef _LINUX_PT_WALK_H
#define _LINUX_PT_WALK_H

#include <linux/bits.h>
#include <linux/mm.h>
#include <linux/pt_descent.h>
#include <linux/swap.h>

struct folio;
struct mm_struct;
struct page;
struct vm_area_struct;

/* pt_walk_find() flags */
#define PT_FIND_HOLES	0x1	/* stop at empty ranges too, merged */

int pt_walk_find(struct mm_struct *mm, unsigned long addr, unsigned long end,
		 unsigned int min_lvl, unsigned int flags, struct pt_visit *found);

/**
 * enum pt_range_type - what a step of pt_range_walk describes
 * @PTW_DONE: the walk is over; nothing is described
 * @PTW_NONE: a hole: nothing is mapped in the range
 * @PTW_FOLIO: present entries mapping consecutive pages of @folio
 * @PTW_MARKER: a PTE marker (uffd-wp, poisoned); @swp holds it
 * @PTW_PFN: present entries with no folio the walker may use: the shared
 *	zero pages, VM_PFNMAP/VM_MIXEDMAP and other special mappings
 * @PTW_SWAP: swap entries for consecutive swap slots
 * @PTW_MIGRATION: a migration entry; @folio is the folio being migrated
 * @PTW_DEVICE: a device-private or device-exclusive entry, with @folio
 * @PTW_HWPOISON: an entry for a hardware-poisoned page
 * @PTW_NR_TYPES: the number of types, not a type
 */
enum pt_range_type {
	PTW_DONE,
	PTW_NONE,
	PTW_FOLIO,
	PTW_MARKER,
	PTW_PFN,
	PTW_SWAP,
	PTW_MIGRATION,
	PTW_DEVICE,
	PTW_HWPOISON,
	PTW_NR_TYPES,
};

/* Flags of pt_range_walk_start(): the types wanted, and how to batch. */
#define PTW_WANT(type)		BIT(type)
#define PTW_WANT_ALL		(BIT(PTW_NR_TYPES) - BIT(PTW_NONE))
#define PTW_WANT_MAPPED		(PTW_WANT_ALL & ~PTW_WANT(PTW_NONE))
/*
 * Batch entries whose access, dirty, write and soft-dirty bits differ, and
 * report those bits ORed.  By default a batch only holds entries with the
 * same bits, so callers that account per page see exactly what a walk
 * entry by entry would see.
 */
#define PTW_MERGE_BITS		BIT(PTW_NR_TYPES)

/**
 * struct pt_range_walk - a walk over the page tables of one VMA
 * @type: what the last step described
 * @addr: start of the range described (inside its first entry when the
 *	walk started there)
 * @size: bytes described: @nr entries of level @level, clamped to the walk
 * @level: PT_LVL_PTE, PT_LVL_PMD or PT_LVL_PUD (for PTW_NONE, the highest
 *	level of the empty entries)
 * @nr: number of entries in the batch; 0 for PTW_NONE
 * @folio: the folio mapped (PTW_FOLIO), migrating (PTW_MIGRATION) or in
 *	device memory (PTW_DEVICE); NULL otherwise
 * @page: the page of @folio mapped at @addr; NULL without @folio
 * @pfn: the page frame mapped at @addr, for present entries
 * @entry: the value of the first entry of the batch, at level @level
 * @swp: the swap, migration, device, hwpoison or marker entry at @addr
 * @writable: some entry of the batch is writable
 * @young: some entry of the batch is young (accessed)
 * @dirty: some entry of the batch is dirty
 * @soft_dirty: some entry of the batch is soft-dirty
 * @uffd_wp: some entry of the batch is userfaultfd write-protected
 * @hugetlb: the VMA is a hugetlb VMA
 * @pmd_shared: a hugetlb PMD table holding the entry is shared
 * @nr_pte_tables: statistics: PTE tables mapped and locked so far
 *
 * The members after @nr_pte_tables are the walk's own.
 */
struct pt_range_walk {
	enum pt_range_type type;
	unsigned long addr;
	unsigned long size;
	unsigned int level;
	unsigned int nr;
	struct folio *folio;
	struct page *page;
	unsigned long pfn;
	union pt_entry entry;
	swp_entry_t swp;
	bool writable;
	bool young;
	bool dirty;
	bool soft_dirty;
	bool uffd_wp;
	bool hugetlb;
	bool pmd_shared;
	unsigned long nr_pte_tables;

	/* private: */
	struct vm_area_struct *vma;	/* the VMA walked */
	struct mm_struct *mm;		/* its address space */
	unsigned long next;		/* where the next step starts */
	unsigned long end;		/* exclusive end of the walk */
	unsigned int flags;		/* PTW_WANT() types, PTW_MERGE_BITS */
	unsigned long max_pfn;		/* highest_memmap_pfn, for the inline step */
	pte_t *ptep;			/* next PTE while inside a table */
	pte_t *pte_table;		/* the mapped table, for pte_unmap() */
	unsigned long table_end;	/* end of the walk inside it */
	spinlock_t *ptl;		/* the page-table lock held, or NULL */
	bool vma_locked;		/* the hugetlb VMA lock is held */
};

enum pt_range_type pt_range_walk_start(struct pt_range_walk *ptw,
				       struct vm_area_struct *vma,
				       unsigned long start, unsigned long end,
				       unsigned int flags);
enum pt_range_type __pt_range_walk_next(struct pt_range_walk *ptw);
void pt_range_walk_done(struct pt_range_walk *ptw);

/*
 * The commonest step, one PTE mapping a small folio inside the PTE table
 * the walk holds, done inline: no call per entry.  Anything else, and every
 * table boundary, goes out of line.  Only where special mappings are marked
 * in the PTE (ARCH_HAS_PTE_SPECIAL) can a present PTE be known to map a
 * normal page without vm_normal_page().
 */
static __always_inline bool __pt_range_walk_fast(struct pt_range_walk *ptw)
{
	struct folio *folio;
	struct page *page;
	pte_t pte;

	if (!IS_ENABLED(CONFIG_ARCH_HAS_PTE_SPECIAL) || !ptw->ptep ||
	    ptw->next >= ptw->table_end || !(ptw->flags & BIT(PTW_FOLIO)))
		return false;
	pte = ptep_get(ptw->ptep);
	/* A pfn past the memmap is corrupt: vm_normal_page() reports it. */
	if (!pte_present(pte) || pte_special(pte) ||
	    pte_pfn(pte) > ptw->max_pfn)
		return false;
	page = pte_page(pte);
	folio = page_folio(page);
	if (folio_test_large(folio))
		return false;
	ptw->type = PTW_FOLIO;
	ptw->addr = ptw->next;
	ptw->size = PAGE_SIZE;
	ptw->level = PT_LVL_PTE;
	ptw->nr = 1;
	ptw->folio = folio;
	ptw->page = page;
	ptw->pfn = pte_pfn(pte);
	ptw->entry.pte = pte;
	ptw->swp.val = 0;
	ptw->writable = pte_write(pte);
	ptw->young = pte_young(pte);
	ptw->dirty = pte_dirty(pte);
	ptw->soft_dirty = pte_soft_dirty(pte);
	ptw->uffd_wp = pte_uffd_wp(pte);
	ptw->pmd_shared = false;
	ptw->ptep++;
	ptw->next += PAGE_SIZE;
	return true;
}

/**
 * pt_range_walk_next() - step to the next batch of the walk
 * @ptw: the walk, from pt_range_walk_start()
 *
 * Releases what the previous step held (the PTE table stays mapped and
 * locked while the walk is inside it), then describes the next batch of
 * entries of a wanted type in @ptw.
 *
 * Return: the type of the batch, or PTW_DONE at the end of the walk (all
 * locks released then).
 */
static inline enum pt_range_type pt_range_walk_next(struct pt_range_walk *ptw)
{
	if (__pt_range_walk_fast(ptw))
		return PTW_FOLIO;
	return __pt_range_walk_next(ptw);
}

/**
 * for_each_pt_range() - iterate over what maps [start, end) of a VMA
 * @ptw: a struct pt_range_walk on the caller's stack
 * @vma: the VMA
 * @start: page-aligned start, inside @vma
 * @end: page-aligned exclusive end, inside @vma
 * @flags: PTW_WANT() types and PTW_MERGE_BITS
 *
 * The body sees each step in @ptw (ptw->type is never PTW_DONE there).
 * Leaving the loop early needs pt_range_walk_done(), which may be called
 * after a complete walk too: it is idempotent.
 */
#define for_each_pt_range(ptw, vma, start, end, flags)			\
	for (struct pt_range_walk *__ptw =				\
		__pt_range_walk_iter(ptw, vma, start, end, flags);	\
	     __ptw; __ptw = __pt_range_walk_iter(__ptw, NULL, 0, 0, 0))

/* for_each_pt_range(): start with a VMA, step without; NULL when done. */
static inline struct pt_range_walk *
__pt_range_walk_iter(struct pt_range_walk *ptw, struct vm_area_struct *vma,
		     unsigned long start, unsigned long end, unsigned int flags)
{
	enum pt_range_type type = vma ?
		pt_range_walk_start(ptw, vma, start, end, flags) :
		pt_range_walk_next(ptw);

	return type == PTW_DONE ? NULL : ptw;
}

/**
 * pt_range_walk_pte() - read one entry of a PTE-level step
 * @ptw: the walk, at a step with @ptw->level == PT_LVL_PTE and @ptw->nr > 0
 * @i: index of the entry in the batch, below @ptw->nr
 *
 * The PTE table is mapped and locked at such a step, so this reads entry
 * @i under its lock, as a walk entry by entry would.  For walkers whose
 * per-entry code decodes the PTE itself.
 *
 * Return: the value of the PTE mapping @ptw->addr + @i * PAGE_SIZE.
 */
static inline pte_t pt_range_walk_pte(const struct pt_range_walk *ptw,
				      unsigned int i)
{
	/* The step advanced ptw->ptep past its @nr entries. */
	return ptep_get(ptw->ptep - ptw->nr + i);
}

#endif /* _LINUX_PT_WALK_H */
