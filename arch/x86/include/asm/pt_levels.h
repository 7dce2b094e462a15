/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 page-table level-ops for <linux/pt_ptr.h>.
 *
 * x86_64 has 512 entries per table at every level, 4K PTEs, 2M PMD leaves
 * and 1G PUD leaves, and five levels when LA57 is enabled at boot, four
 * otherwise (the P4D level folds into the PGD at run time).  32-bit x86
 * uses the generic level-ops unchanged.
 */
#ifndef _ASM_X86_PT_LEVELS_H
#define _ASM_X86_PT_LEVELS_H

#ifdef CONFIG_X86_64
#include <linux/mm_types.h>
#include <linux/pgtable.h>

static __always_inline unsigned int pt_top_lvl(struct mm_struct *mm)
{
	/* A patched branch: LA57 is decided once, at boot. */
	return pgtable_l5_enabled() ? PT_LVL_PGD : PT_LVL_P4D;
}

#define pt_top_lvl pt_top_lvl

static __always_inline unsigned int pt_lvl_shift(unsigned int lvl)
{
	/* PMD_SHIFT, PUD_SHIFT, ... as one formula; PGDIR_SHIFT is a variable. */
	return PAGE_SHIFT + 9 * lvl;
}

#define pt_lvl_shift pt_lvl_shift

static __always_inline unsigned int pt_lvl_index_bits(unsigned int lvl)
{
	return 9;
}

#define pt_lvl_index_bits pt_lvl_index_bits

static __always_inline bool pt_lvl_can_leaf(unsigned int lvl)
{
	/* No 512G pages: p4d_leaf() is always false. */
	return lvl <= PT_LVL_PUD;
}

#define pt_lvl_can_leaf pt_lvl_can_leaf

#endif /* CONFIG_X86_64 */

#include <asm-generic/pt_levels.h>

#endif /* _ASM_X86_PT_LEVELS_H */
