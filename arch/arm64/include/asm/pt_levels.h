/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arm64 page-table level-ops for <linux/pt_ptr.h>.
 *
 * Every level of a granule decodes PAGE_SHIFT - 3 bits except the top table,
 * which holds PTRS_PER_PGD entries (as few as 2 for 16K/48 or 16 for 4K/52).
 * With LPA2, the kernel is built for one more level than a CPU without
 * 52-bit VAs uses, and that level folds at run time (pgtable_l5_enabled(),
 * pgtable_l4_enabled()); the root table is then re-indexed as the level
 * below, which pt_root() gets from p4d_offset()/pud_offset().
 *
 * Leaves: PMD blocks for every granule, PUD blocks for 4K only, and the
 * contiguous hint groups CONT_PTES PTEs or CONT_PMDS PMDs into one TLB
 * entry, which the walk steps over as one leaf.
 */
#ifndef _ASM_ARM64_PT_LEVELS_H
#define _ASM_ARM64_PT_LEVELS_H

#include <linux/log2.h>
#include <linux/mm_types.h>
#include <linux/pgtable.h>

static __always_inline unsigned int pt_top_lvl(struct mm_struct *mm)
{
	unsigned int top = CONFIG_PGTABLE_LEVELS - 1;

	if (top == PT_LVL_PGD && !pgtable_l5_enabled())
		top = PT_LVL_P4D;
	if (top == PT_LVL_P4D && !pgtable_l4_enabled())
		top = PT_LVL_PUD;
	return top;
}

#define pt_top_lvl pt_top_lvl

static __always_inline unsigned int pt_lvl_shift(unsigned int lvl)
{
	/* ARM64_HW_PGTABLE_LEVEL_SHIFT(3 - lvl) */
	return PAGE_SHIFT + (PAGE_SHIFT - 3) * lvl;
}

#define pt_lvl_shift pt_lvl_shift

static __always_inline unsigned int pt_lvl_index_bits(unsigned int lvl)
{
	/* Only the PGD proper can be partial; a folded-to root is a full page. */
	if (lvl == CONFIG_PGTABLE_LEVELS - 1)
		return ilog2(PTRS_PER_PGD);
	return PAGE_SHIFT - 3;
}

#define pt_lvl_index_bits pt_lvl_index_bits

static __always_inline unsigned int pt_top_index_bits(unsigned int top)
{
	/* The PGD proper, or a full page when its level is folded at boot. */
	return pt_lvl_index_bits(top);
}

#define pt_top_index_bits pt_top_index_bits

static __always_inline bool pt_lvl_can_leaf(unsigned int lvl)
{
	return lvl == PT_LVL_PTE || lvl == PT_LVL_PMD ||
	       (lvl == PT_LVL_PUD && pud_sect_supported());
}

#define pt_lvl_can_leaf pt_lvl_can_leaf

/* The generic ops provide union pt_entry, needed below. */
#define pt_entry_cont_lg2 pt_entry_cont_lg2
#include <asm-generic/pt_levels.h>

static __always_inline unsigned int pt_entry_cont_lg2(union pt_entry e,
						      unsigned int lvl)
{
	/* PTE_CONT is only meaningful in a valid entry: swap entries reuse it. */
	switch (lvl) {
	case PT_LVL_PTE:
		return pte_present(e.pte) && pte_cont(e.pte) ?
		       CONT_PTE_SHIFT - PAGE_SHIFT : 0;
	case PT_LVL_PMD:
		return pmd_present(e.pmd) && pmd_cont(e.pmd) ?
		       CONT_PMD_SHIFT - PMD_SHIFT : 0;
	default:
		return 0;
	}
}

#endif /* _ASM_ARM64_PT_LEVELS_H */
