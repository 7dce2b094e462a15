/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic page-table level-ops for <linux/pt_ptr.h>, built only on the
 * pXd_*() accessors every architecture already has.  An architecture's
 * <asm/pt_levels.h> overrides what it can do better (a formula for the
 * shift, run-time folding, contiguous entries) by defining the function and
 * a macro of the same name, then includes this file for the rest.
 *
 * Every op takes the level as an argument; the descent calls them with a
 * compile-time constant level, so each switch below folds to one case.
 */
#ifndef _ASM_GENERIC_PT_LEVELS_H
#define _ASM_GENERIC_PT_LEVELS_H

#define PT_LEVEL_OPS_H

#include <linux/bug.h>
#include <linux/log2.h>
#include <linux/mm_types.h>
#include <linux/pgtable.h>

/**
 * union pt_entry - the value of an entry at any level
 * @pte: level 0
 * @pmd: level 1
 * @pud: level 2
 * @p4d: level 3
 * @pgd: level 4
 *
 * One member per C type; the level says which one is valid.
 */
union pt_entry {
	pte_t pte;
	pmd_t pmd;
	pud_t pud;
	p4d_t p4d;
	pgd_t pgd;
};

#ifndef PT_LVL_TOP_MAX
/* Highest level this kernel can have, folded or not. */
#define PT_LVL_TOP_MAX	(CONFIG_PGTABLE_LEVELS - 1)
#endif

#ifndef pt_top_lvl
/**
 * pt_top_lvl() - level of the entries of the root table
 * @mm: the address space
 *
 * Return: the highest level that is not folded for @mm.
 */
static __always_inline unsigned int pt_top_lvl(struct mm_struct *mm)
{
	if (!mm_p4d_folded(mm))
		return PT_LVL_PGD;
	if (!mm_pud_folded(mm))
		return PT_LVL_P4D;
	if (!mm_pmd_folded(mm))
		return PT_LVL_PUD;
	return PT_LVL_PMD;
}

#define pt_top_lvl pt_top_lvl
#endif

#ifndef pt_lvl_shift
/**
 * pt_lvl_shift() - log2 of the bytes one entry of a level maps
 * @lvl: the level
 *
 * Return: the shift, e.g. PMD_SHIFT for level 1.
 */
static __always_inline unsigned int pt_lvl_shift(unsigned int lvl)
{
	switch (lvl) {
	case PT_LVL_PTE:
		return PAGE_SHIFT;
	case PT_LVL_PMD:
		return PMD_SHIFT;
	case PT_LVL_PUD:
		return PUD_SHIFT;
	case PT_LVL_P4D:
		return P4D_SHIFT;
	default:
		return PGDIR_SHIFT;
	}
}

#define pt_lvl_shift pt_lvl_shift
#endif

#ifndef pt_lvl_index_bits
/**
 * pt_lvl_index_bits() - log2 of the number of entries of a table of a level
 * @lvl: the level
 *
 * For a table below the root; the root's is pt_top_index_bits().
 *
 * Return: log2 of PTRS_PER_* of the level.
 */
static __always_inline unsigned int pt_lvl_index_bits(unsigned int lvl)
{
	switch (lvl) {
	case PT_LVL_PTE:
		return ilog2(PTRS_PER_PTE);
	case PT_LVL_PMD:
		return ilog2(PTRS_PER_PMD);
	case PT_LVL_PUD:
		return ilog2(PTRS_PER_PUD);
	case PT_LVL_P4D:
		return ilog2(PTRS_PER_P4D);
	default:
		return ilog2(PTRS_PER_PGD);
	}
}

#define pt_lvl_index_bits pt_lvl_index_bits
#endif

#ifndef pt_top_index_bits
/**
 * pt_top_index_bits() - log2 of the number of entries of the root table
 * @top: the level of the root table, pt_top_lvl() of the address space
 *
 * The root table is the PGD page whatever level it is folded to at run
 * time: pgd_offset() indexes it with PTRS_PER_PGD, and the pXd_offset() of
 * a folded level returns the PGD entry itself.  So the answer needs no mm,
 * only the level the caller already has.
 *
 * Return: log2 of PTRS_PER_PGD.
 */
static __always_inline unsigned int pt_top_index_bits(unsigned int top)
{
	return ilog2(PTRS_PER_PGD);
}

#define pt_top_index_bits pt_top_index_bits
#endif

#ifndef pt_lvl_can_leaf
/**
 * pt_lvl_can_leaf() - can an entry of a level map memory directly?
 * @lvl: the level
 *
 * Return: true if a leaf may exist at @lvl.
 */
static __always_inline bool pt_lvl_can_leaf(unsigned int lvl)
{
	switch (lvl) {
	case PT_LVL_PTE:
		return true;
	case PT_LVL_PMD:
		return IS_ENABLED(CONFIG_PGTABLE_HAS_HUGE_LEAVES);
	case PT_LVL_PUD:
		return IS_ENABLED(CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD);
	default:
		return false;
	}
}

#define pt_lvl_can_leaf pt_lvl_can_leaf
#endif

#ifndef pt_root
/**
 * pt_root() - the root-table entry that maps an address
 * @mm: the address space
 * @addr: the address
 *
 * Folded levels are stepped through with their pXd_offset(), which is how
 * architectures that fold at run time re-index the shared table.
 *
 * Return: a pointer to the entry at level pt_top_lvl(@mm).
 */
static __always_inline struct pt_ptr pt_root(struct mm_struct *mm,
					     unsigned long addr)
{
	unsigned int top = pt_top_lvl(mm);
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;

	if (top == PT_LVL_PGD)
		return (struct pt_ptr){ pgd, PT_LVL_PGD };
	p4d = p4d_offset(pgd, addr);
	if (top == PT_LVL_P4D)
		return (struct pt_ptr){ p4d, PT_LVL_P4D };
	pud = pud_offset(p4d, addr);
	if (top == PT_LVL_PUD)
		return (struct pt_ptr){ pud, PT_LVL_PUD };
	return (struct pt_ptr){ pmd_offset(pud, addr), PT_LVL_PMD };
}

#define pt_root pt_root
#endif

#ifndef pt_get
/**
 * pt_get() - read an entry once, without a lock
 * @p: the entry
 *
 * pXdp_get() semantics: one READ_ONCE()-style load (pmdp_get_lockless() at
 * the PMD level, for the architectures whose PMD is two words).  On arm64,
 * ptep_get() gathers the access and dirty bits of a contiguous block.
 *
 * Return: the value of @p.
 */
static __always_inline union pt_entry pt_get(struct pt_ptr p)
{
	union pt_entry e;

	switch (p.lvl) {
	case PT_LVL_PTE:
		e.pte = ptep_get(p.ptr);
		break;
	case PT_LVL_PMD:
		e.pmd = pmdp_get_lockless(p.ptr);
		break;
	case PT_LVL_PUD:
		e.pud = pudp_get(p.ptr);
		break;
	case PT_LVL_P4D:
		e.p4d = p4dp_get(p.ptr);
		break;
	default:
		e.pgd = pgdp_get(p.ptr);
		break;
	}
	return e;
}

#define pt_get pt_get
#endif

#ifndef pt_entry_none
/**
 * pt_entry_none() - is an entry empty?
 * @e: the entry value
 * @lvl: its level
 *
 * Return: true if @e maps nothing.
 */
static __always_inline bool pt_entry_none(union pt_entry e, unsigned int lvl)
{
	switch (lvl) {
	case PT_LVL_PTE:
		return pte_none(e.pte);
	case PT_LVL_PMD:
		return pmd_none(e.pmd);
	case PT_LVL_PUD:
		return pud_none(e.pud);
	case PT_LVL_P4D:
		return p4d_none(e.p4d);
	default:
		return pgd_none(e.pgd);
	}
}

#define pt_entry_none pt_entry_none
#endif

#ifndef pt_entry_present
/**
 * pt_entry_present() - does an entry map memory or a table?
 * @e: the entry value
 * @lvl: its level
 *
 * Return: true if @e is present.
 */
static __always_inline bool pt_entry_present(union pt_entry e, unsigned int lvl)
{
	switch (lvl) {
	case PT_LVL_PTE:
		return pte_present(e.pte);
	case PT_LVL_PMD:
		return pmd_present(e.pmd);
	case PT_LVL_PUD:
		return pud_present(e.pud);
	case PT_LVL_P4D:
		return p4d_present(e.p4d);
	default:
		return pgd_present(e.pgd);
	}
}

#define pt_entry_present pt_entry_present
#endif

#ifndef pt_entry_leaf
/**
 * pt_entry_leaf() - does a present entry map memory rather than a table?
 * @e: the entry value, which must be present
 * @lvl: its level
 *
 * Return: true if @e is a leaf.
 */
static __always_inline bool pt_entry_leaf(union pt_entry e, unsigned int lvl)
{
	switch (lvl) {
	case PT_LVL_PTE:
		return true;
	case PT_LVL_PMD:
		return pmd_leaf(e.pmd);
	case PT_LVL_PUD:
		return pud_leaf(e.pud);
	case PT_LVL_P4D:
		return p4d_leaf(e.p4d);
	default:
		return pgd_leaf(e.pgd);
	}
}

#define pt_entry_leaf pt_entry_leaf
#endif

#ifndef pt_entry_bad
/**
 * pt_entry_bad() - is a present non-leaf entry not a valid table pointer?
 * @e: the entry value
 * @lvl: its level, above the PTE level
 *
 * Return: true if @e must not be followed.
 */
static __always_inline bool pt_entry_bad(union pt_entry e, unsigned int lvl)
{
	switch (lvl) {
	case PT_LVL_PTE:
		return false;
	case PT_LVL_PMD:
		return pmd_bad(e.pmd);
	case PT_LVL_PUD:
		return pud_bad(e.pud);
	case PT_LVL_P4D:
		return p4d_bad(e.p4d);
	default:
		return pgd_bad(e.pgd);
	}
}

#define pt_entry_bad pt_entry_bad
#endif

#ifndef pt_entry_cont_lg2
/**
 * pt_entry_cont_lg2() - size of the contiguous block a leaf belongs to
 * @e: the entry value, a present leaf
 * @lvl: its level
 *
 * Return: log2 of the number of entries of the naturally aligned block that
 * map one physically contiguous range with one set of attributes, 0 if the
 * entry stands alone.  Without an architecture hint, every entry does.
 */
static __always_inline unsigned int pt_entry_cont_lg2(union pt_entry e,
						      unsigned int lvl)
{
	return 0;
}

#define pt_entry_cont_lg2 pt_entry_cont_lg2
#endif

#ifndef pt_ptr_add
/**
 * pt_ptr_add() - move an entry pointer within its table
 * @p: the entry
 * @n: how many entries to move forward
 *
 * Return: the entry @n slots after @p.
 */
static __always_inline struct pt_ptr pt_ptr_add(struct pt_ptr p,
						unsigned long n)
{
	switch (p.lvl) {
	case PT_LVL_PTE:
		p.ptr = (pte_t *)p.ptr + n;
		break;
	case PT_LVL_PMD:
		p.ptr = (pmd_t *)p.ptr + n;
		break;
	case PT_LVL_PUD:
		p.ptr = (pud_t *)p.ptr + n;
		break;
	case PT_LVL_P4D:
		p.ptr = (p4d_t *)p.ptr + n;
		break;
	default:
		p.ptr = (pgd_t *)p.ptr + n;
		break;
	}
	return p;
}

#define pt_ptr_add pt_ptr_add
#endif

#ifndef pt_table_lower
/**
 * pt_table_lower() - descend through a table entry
 * @p: the table entry
 * @e: its value, as read by pt_get() (never re-read: gup-fast's idiom, which
 *     run-time folding requires)
 * @addr: address the lower entry must map
 *
 * At the PMD level this uses pte_offset_kernel(): it is for tables that
 * cannot go away under the caller (kernel or synthetic tables).  Walkers of
 * user page tables stop above the PTE level and map the table with
 * pte_offset_map_lock() themselves.
 *
 * Return: the entry at level @p.lvl - 1 that maps @addr.
 */
static __always_inline struct pt_ptr pt_table_lower(struct pt_ptr p,
						    union pt_entry e,
						    unsigned long addr)
{
	switch (p.lvl) {
	case PT_LVL_PMD:
		return (struct pt_ptr){ pte_offset_kernel(&e.pmd, addr), PT_LVL_PTE };
	case PT_LVL_PUD:
		return (struct pt_ptr){ pmd_offset_lockless((pud_t *)p.ptr, e.pud, addr),
					PT_LVL_PMD };
	case PT_LVL_P4D:
		return (struct pt_ptr){ pud_offset_lockless((p4d_t *)p.ptr, e.p4d, addr),
					PT_LVL_PUD };
	default:
		return (struct pt_ptr){ p4d_offset_lockless((pgd_t *)p.ptr, e.pgd, addr),
					PT_LVL_P4D };
	}
}

#define pt_table_lower pt_table_lower
#endif

#endif /* _ASM_GENERIC_PT_LEVELS_H */
