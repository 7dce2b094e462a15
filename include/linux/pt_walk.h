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
struct hstate;
struct mm_struct;
struct page;
struct vm_area_struct;

/* pt_walk_find() flags */
#define PT_FIND_HOLES	0x1	/* stop at empty ranges too, merged */

int pt_walk_find(struct mm_struct *mm, unsigned long addr, unsigned long end,
		 unsigned int min_lvl, unsigned int flags, struct pt_visit *found);

int pt_walk_find_in(struct pt_ptr ptp, unsigned long addr, unsigned long end,
		    unsigned int min_lvl, unsigned int flags,
		    struct pt_visit *found);

/**
 * DOC: Glossary of pt_range_walk
 *
 * walk
 *   One pass of a struct pt_range_walk over a range of one VMA, from
 *   pt_range_walk_start() until PTW_DONE or pt_range_walk_done().
 * step
 *   What one call of pt_range_walk_start() or pt_range_walk_next()
 *   describes: a type, a start, a level, an entry count and the first
 *   entry.  A step is a run, one leaf above the PTE level, or a hole.
 * type
 *   What the entries of a step are, enum pt_range_type.  The caller names
 *   the types it wants with PTW_WANT(); an entry of another type, or of a
 *   kind the walk does not know (which warns once), is skipped: never
 *   reported, and never the end of the walk.
 * run
 *   Inside a PTE table, consecutive entries of one type that one step
 *   describes: present PTEs of normal pages (PTW_FOLIO), present PTEs
 *   without one (PTW_PFN), empty PTEs (PTW_NONE) or swap entries
 *   (PTW_SWAP).  A run ends at the end of its table or of the walk.
 * hole
 *   A PTW_NONE step: a range in which nothing is mapped.  Inside a PTE
 *   table it is a run; above, it goes on across tables and levels for as
 *   long as the entries are empty.
 * normal page
 *   A page with a folio the caller may use, as vm_normal_page() finds it;
 *   the shared zero pages and PFN mappings have none.
 * batch
 *   Consecutive pages of one folio, mapped at consecutive addresses by
 *   entries with the same access, dirty, write, soft-dirty and uffd-wp bits:
 *   what one iteration of for_each_pt_range_folio() gives, in a struct
 *   pt_range_folio.  An order-0 folio is a batch of one page; a leaf above
 *   the PTE level is one batch.
 * resolve
 *   Find the folios of a PTW_FOLIO step.  A step does not: only
 *   for_each_pt_range_folio() reads a struct page, so a walk that wants
 *   presence touches none.
 * pause
 *   Let go of every lock a walk holds, keeping its place: the address
 *   below which every wanted entry was described, and above which none
 *   was.  The caller may then drop the mmap lock, take it again, look the
 *   VMA up again and resume there (pt_range_walk_resume()).  A walk
 *   pauses when its caller asks (pt_range_walk_pause()), or by itself at
 *   a table boundary when a writer waits for the mmap lock
 *   (PTW_PAUSE_ON_CONTENTION).
 * modifier
 *   A function that changes the entries of a range of the step a walk is
 *   at, under the lock the step holds: pt_range_walk_clear_young(),
 *   pt_range_walk_clear_soft_dirty(), pt_range_walk_uffd_wp().  Only for
 *   a walk started with PTW_MODIFY, which flushes the TLB once per table,
 *   or PTW_MODIFY_NOFLUSH, whose caller flushes it.
 */

/**
 * enum pt_range_type - what a step of pt_range_walk describes
 * @PTW_DONE: the walk is over; nothing is described
 * @PTW_NONE: a hole: nothing is mapped in the range
 * @PTW_FOLIO: present entries mapping normal pages (pages with a folio the
 *	caller may use); for_each_pt_range_folio() gives their folios
 * @PTW_MARKER: a PTE marker (uffd-wp, poisoned)
 * @PTW_PFN: present entries with no folio the walker may use: the shared
 *	zero pages, VM_PFNMAP/VM_MIXEDMAP and other special mappings
 * @PTW_SWAP: swap entries (of any slots: pt_range_walk_pte() reads each)
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

/* Flags of pt_range_walk_start(): the types wanted. */
#define PTW_WANT(type)		BIT(type)
#define PTW_WANT_ALL		(BIT(PTW_NR_TYPES) - BIT(PTW_NONE))
#define PTW_WANT_MAPPED		(PTW_WANT_ALL & ~PTW_WANT(PTW_NONE))
/*
 * Flag of pt_range_walk_start(): pause at a table boundary when a writer
 * waits for the mmap lock, which the caller holds for reading, and the
 * walk has run for PTW_PAUSE_HOLD_NS since it started or resumed; the walk
 * then ends as if done, and pt_range_walk_paused() says where it stopped.
 * A writer waits about that long at most; a reader that always meets a
 * writer pays for one pause per PTW_PAUSE_HOLD_NS of walking, and still
 * gets on.
 */
#define PTW_PAUSE_ON_CONTENTION	BIT(PTW_NR_TYPES)
#define PTW_PAUSE_HOLD_NS	NSEC_PER_MSEC
/*
 * Flags of pt_range_walk_start() for a walk that changes entries with the
 * modifiers (pt_range_walk_clear_young() and the others, "DOC: Write
 * mode").  PTW_MODIFY: the walk flushes the TLB for the entries it changed,
 * once per PTE table or leaf, before it drops that table's lock.
 * PTW_MODIFY_NOFLUSH: it flushes nothing; the caller raised the mm's flush
 * pending (inc_tlb_flush_pending()) and flushes it after the walk, as
 * clear_refs does.
 */
#define PTW_MODIFY		BIT(PTW_NR_TYPES + 1)
#define PTW_MODIFY_NOFLUSH	BIT(PTW_NR_TYPES + 2)
/*
 * Flag of pt_range_walk_start(): in a hugetlb VMA, hold the file's
 * i_mmap_rwsem for writing with the page-table lock of each entry, taken
 * before it (after the hugetlb VMA lock, which the walk holds throughout):
 * what PAGEMAP_SCAN takes to write-protect hugetlb entries.  Ignored in
 * other VMAs.
 */
#define PTW_LOCK_I_MMAP		BIT(PTW_NR_TYPES + 3)

/**
 * struct pt_range_walk - a walk over the page tables of one VMA
 * @type: what the last step described
 * @level: PT_LVL_PTE, PT_LVL_PMD or PT_LVL_PUD (for PTW_NONE, the highest
 *	level of the empty entries)
 * @nr: number of entries of level @level in the step; 0 for PTW_NONE
 * @addr: start of the range described (inside its first entry when the
 *	walk started there); it ends at pt_range_walk_end()
 * @entry: the value of the first entry of the step, at level @level; in a
 *	hugetlb VMA, whatever the level, the huge PTE huge_ptep_get() reads
 * @folio: the folio being migrated (PTW_MIGRATION) or in device memory
 *	(PTW_DEVICE); NULL otherwise: the folios of a PTW_FOLIO step are
 *	resolved by for_each_pt_range_folio(), only when asked for
 * @hugetlb: the VMA is a hugetlb VMA
 *
 * A step writes only what every caller needs; the rest is derived on
 * demand: pt_range_walk_end(), pt_range_walk_size(), pt_range_walk_pfn(),
 * pt_range_walk_swp(), pt_range_walk_bits(), pt_range_walk_pte().
 */
struct pt_range_walk {
	enum pt_range_type type;
	unsigned int level;
	unsigned int nr;
	unsigned long addr;
	union pt_entry entry;
	struct folio *folio;
	bool hugetlb;

	/* private: */
	unsigned long next;		/* where the step ends, the next starts */
	unsigned long end;		/* exclusive end of the walk */
	struct vm_area_struct *vma;	/* the VMA walked */
	struct mm_struct *mm;		/* its address space */
	unsigned int flags;		/* PTW_WANT() types */
	unsigned long max_pfn;		/* highest_memmap_pfn */
	struct page *page;		/* the page at @addr of a leaf's folio */
	struct hstate *hstate;		/* of a hugetlb VMA */
	pte_t *ptep;			/* next PTE while inside a table */
	pte_t *pte_table;		/* the mapped table, for pte_unmap() */
	unsigned long table_end;	/* end of the walk inside it */
	spinlock_t *ptl;		/* the page-table lock held, or NULL */
	struct pt_ptr pmd_ptp;		/* PMD entry of the last PMD-level step */
	unsigned long pmd_addr;		/* the address it maps */
	unsigned long nr_pte_tables;	/* PTE tables entered, for the tests */
	bool vma_locked;		/* the hugetlb VMA lock is held */
	bool paused;			/* @next is where to resume */
	bool i_mmap_locked;		/* PTW_LOCK_I_MMAP: held with @ptl */
	unsigned long start;		/* where the walk (re)started */
	u64 since;			/* and when: local_clock() */
	struct pt_ptr leaf;		/* the entry of a leaf step */
	unsigned long flush_start;	/* PTW_MODIFY: what to flush when */
	unsigned long flush_end;	/* the lock is dropped, or equal */
};

enum pt_range_type pt_range_walk_start(struct pt_range_walk *ptw,
				       struct vm_area_struct *vma,
				       unsigned long start, unsigned long end,
				       unsigned int flags);
enum pt_range_type pt_range_walk_next(struct pt_range_walk *ptw);
void pt_range_walk_done(struct pt_range_walk *ptw);
unsigned long pt_range_walk_pause(struct pt_range_walk *ptw);
enum pt_range_type pt_range_walk_resume(struct pt_range_walk *ptw,
					struct vm_area_struct *vma);

/**
 * pt_range_walk_paused() - where a paused walk resumes
 * @ptw: the walk, after it returned PTW_DONE or was paused
 *
 * Return: the address a walk that paused resumes at, above the start of
 * the walk, so never 0; 0 when the walk is not paused.
 */
static inline unsigned long pt_range_walk_paused(const struct pt_range_walk *ptw)
{
	return ptw->paused ? ptw->next : 0;
}

/**
 * for_each_pt_range() - iterate over what maps [start, end) of a VMA
 * @ptw: a struct pt_range_walk on the caller's stack
 * @vma: the VMA
 * @start: page-aligned start, inside @vma
 * @end: page-aligned exclusive end, inside @vma
 * @flags: PTW_WANT() types
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
 * pt_range_walk_end() - the exclusive end of the range a step describes
 * @ptw: the walk, at a step
 *
 * Return: the address the step ends at.
 */
static inline unsigned long pt_range_walk_end(const struct pt_range_walk *ptw)
{
	return ptw->next;
}

/**
 * pt_range_walk_size() - the bytes a step describes
 * @ptw: the walk, at a step
 *
 * Return: pt_range_walk_end() - @ptw->addr: @ptw->nr entries of level
 * @ptw->level, clamped to the walk.
 */
static inline unsigned long pt_range_walk_size(const struct pt_range_walk *ptw)
{
	return ptw->next - ptw->addr;
}

/**
 * pt_range_walk_pte() - read one entry of a PTE-level step
 * @ptw: the walk, at a step with @ptw->level == PT_LVL_PTE and @ptw->nr > 0
 * @i: index of the entry in the step, below @ptw->nr
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

/**
 * pt_range_walk_pte_block() - read an entry of a PTE-level step, once for
 *	the contiguous block it is in
 * @ptw: the walk, at a step with @ptw->level == PT_LVL_PTE and @ptw->nr > 0
 * @i: index of the entry in the step, below @ptw->nr
 * @pte: where the entry is read to
 *
 * Like pt_range_walk_pte(), but an arm64 contiguous block, whose every
 * entry reads the whole block, is read once.
 *
 * Return: n >= 1: entries @i to @i + n - 1 of the step are
 * pte_advance_pfn(*@pte, k) for k from 0 to n - 1.
 */
static inline unsigned int pt_range_walk_pte_block(const struct pt_range_walk *ptw,
						   unsigned int i, pte_t *pte)
{
	pte_t *ptep = ptw->ptep - ptw->nr + i;

	*pte = ptep_get(ptep);
	return min_t(unsigned int, pte_batch_hint(ptep, *pte), ptw->nr - i);
}

/**
 * pt_range_walk_ptep() - the entry of a PTE-level step, for writing
 * @ptw: the walk, at a PTE-level step, PTW_NONE ones included
 * @addr: an address of the step
 *
 * The PTE table is mapped and locked at such a step.  A walker that
 * changes entries itself, rather than with the modifiers below, does it
 * through this pointer, under that lock, and flushes the TLB itself.
 *
 * Return: the PTE that maps @addr.
 */
static inline pte_t *pt_range_walk_ptep(const struct pt_range_walk *ptw,
					unsigned long addr)
{
	/* The step advanced ptw->ptep to the entry mapping ptw->next. */
	return ptw->ptep - ((ptw->next - addr) >> PAGE_SHIFT);
}

void pt_range_walk_split(struct pt_range_walk *ptw);
unsigned int pt_range_walk_clear_young(struct pt_range_walk *ptw,
				       unsigned long addr, unsigned long end);
unsigned int pt_range_walk_clear_soft_dirty(struct pt_range_walk *ptw,
					    unsigned long addr,
					    unsigned long end);
unsigned int pt_range_walk_uffd_wp(struct pt_range_walk *ptw,
				   unsigned long addr, unsigned long end);

/* The bits pt_range_walk_bits() reports. */
#define PTW_BIT_WRITE		BIT(0)
#define PTW_BIT_YOUNG		BIT(1)
#define PTW_BIT_DIRTY		BIT(2)
#define PTW_BIT_SOFT_DIRTY	BIT(3)
#define PTW_BIT_UFFD_WP		BIT(4)

unsigned long pt_range_walk_pfn(const struct pt_range_walk *ptw);
swp_entry_t pt_range_walk_swp(const struct pt_range_walk *ptw);
unsigned int pt_range_walk_bits(const struct pt_range_walk *ptw,
				union pt_entry e);

/**
 * struct pt_range_folio - consecutive pages of one folio in a PTW_FOLIO step
 * @folio: the folio
 * @page: the page mapped at @addr
 * @addr: the address of the first page
 * @nr: the number of pages, mapped at consecutive addresses
 * @entry: the first entry mapping them: a PTE at the PTE level, else the
 *	step's @entry.  Every entry of the batch has the same access, dirty,
 *	write, soft-dirty and uffd-wp bits (pt_range_walk_bits()).
 * @ptw: private: the walk
 * @ptep: private: the next PTE of the run
 * @end: private: the end of the run; NULL for a leaf's one batch
 */
struct pt_range_folio {
	struct folio *folio;
	struct page *page;
	unsigned long addr;
	unsigned int nr;
	union pt_entry entry;
	const struct pt_range_walk *ptw;
	pte_t *ptep;
	pte_t *end;
};

unsigned int __pt_range_folio_batch(pte_t *ptep, pte_t pte,
				    struct folio *folio, unsigned int max_nr);
void __pt_range_folio_bad(const struct pt_range_walk *ptw, unsigned long addr,
			  pte_t pte);

/*
 * Where for_each_pt_range_folio() starts: the run's PTEs, kept in @f so
 * that the caller's loop holds them in registers; or a leaf's one page.
 */
static inline struct pt_range_folio *
__pt_range_folio_first(const struct pt_range_walk *ptw, struct pt_range_folio *f)
{
	f->ptw = ptw;
	f->addr = ptw->addr;
	f->nr = 0;
	f->folio = NULL;
	f->ptep = NULL;
	f->end = NULL;
	if (ptw->type == PTW_FOLIO && !ptw->page) {
		f->ptep = ptw->ptep - ptw->nr;
		f->end = ptw->ptep;
	}
	return f;
}

/*
 * The next batch of a PTW_FOLIO step.  Inline, so that the caller's loop
 * keeps @f in registers: an order-0 folio costs one PTE read and one
 * struct page read; a large folio one call for the whole batch.
 */
static __always_inline bool pt_range_folio_next(struct pt_range_folio *f)
{
	const struct pt_range_walk *ptw = f->ptw;
	struct folio *folio;
	struct page *page;
	unsigned int nr = 1;
	pte_t pte;

	if (!f->end) {
		/* A leaf above the PTE level, or a page found out of line. */
		if (f->folio || !ptw->page)
			return false;
		f->page = ptw->page;
		f->folio = page_folio(f->page);
		f->nr = pt_range_walk_size(ptw) >> PAGE_SHIFT;
		f->entry = ptw->entry;
		return true;
	}
	/* A PTE run: every entry maps a normal page, pte_page() finds it. */
	f->addr += (unsigned long)f->nr << PAGE_SHIFT;
	for (;;) {
		if (f->ptep >= f->end)
			return false;
		pte = ptep_get(f->ptep);
		/* Unless its pfn is past the memmap: reported, skipped. */
		if (likely(pte_pfn(pte) <= ptw->max_pfn))
			break;
		__pt_range_folio_bad(ptw, f->addr, pte);
		f->ptep++;
		f->addr += PAGE_SIZE;
	}
	page = pte_page(pte);
	folio = page_folio(page);
	if (folio_test_large(folio))
		nr = __pt_range_folio_batch(f->ptep, pte, folio, f->end - f->ptep);
	f->folio = folio;
	f->page = page;
	f->nr = nr;
	f->entry.pte = pte;
	f->ptep += nr;
	return true;
}

/**
 * for_each_pt_range_folio() - the folios of a PTW_FOLIO step
 * @ptw: the walk, at a PTW_FOLIO step (any other step has no folios)
 * @f: a struct pt_range_folio on the caller's stack
 *
 * Resolves the folios of the step only when asked, in the caller's loop:
 * each order-0 folio, and each batch of consecutive pages of a large folio
 * mapped at consecutive addresses by entries with the same bits, once.
 * A leaf above the PTE level is one batch of all its pages in the step.
 * A PTE whose pfn is past the memmap is corrupt: vm_normal_page() reports
 * it, and it is skipped.
 */
#define for_each_pt_range_folio(ptw, f)					\
	for (struct pt_range_folio *__f = __pt_range_folio_first(ptw, f); \
	     pt_range_folio_next(__f);)

#endif /* _LINUX_PT_WALK_H */
