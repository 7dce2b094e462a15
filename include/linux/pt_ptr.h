/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Level-generic page-table handles.
 *
 * A struct pt_ptr names one page-table entry together with its level, so that
 * one piece of code can read, test and descend through entries at every
 * level instead of one hand-written copy per pgd/p4d/pud/pmd/pte.
 */
#ifndef _LINUX_PT_PTR_H
#define _LINUX_PT_PTR_H

#include <linux/build_bug.h>
#include <linux/types.h>

/**
 * DOC: Page-table levels
 *
 * Levels count from the leaf upward: level 0 holds PTEs, level 1 PMDs,
 * level 2 PUDs, level 3 P4Ds, level 4 PGDs, and level 5 is the sixth level
 * no hardware has yet.  A level is named by the span of one of its entries
 * (``1 << pt_lvl_shift(lvl)`` bytes), not by the C type the architecture
 * uses for it.  A folded level therefore simply does not exist: descending
 * from level N always lands on level N - 1, and folding, static or decided
 * at boot (x86 LA57, arm64 LPA2), only changes the top level, which
 * pt_top_lvl() reports.
 *
 * An entry pointer is only meaningful with its level, which is why the two
 * travel together in struct pt_ptr.  The root of a walk is per address
 * (pt_root()), as architectures with several roots (arm64 TTBR0/TTBR1)
 * require.
 *
 * The operations on entries come from the level-ops of the architecture,
 * <asm/pt_levels.h>, which fall back on <asm-generic/pt_levels.h>: level-ops
 * written once on top of the existing pXd_*() accessors, so every
 * architecture works without a flag day.  A translation unit may instead
 * name its own level-ops header in PT_LEVEL_OPS_HEADER before including this
 * one, as the geometry tests do for synthetic page tables.
 */

/**
 * DOC: Glossary of levels and entries
 *
 * level
 *   How far a table is from the leaves: 0 for a PTE table, 1 for a PMD
 *   table, up to pt_top_lvl() for the root table (PT_LVL_PTE ...).
 * entry
 *   One slot of a table.  A struct pt_ptr points to one; pt_get() reads its
 *   value, a union pt_entry, once.
 * span
 *   The bytes of address space one entry of a level maps, pt_lvl_size().
 * empty entry
 *   An entry that maps nothing and holds nothing (pt_entry_none()).
 * table entry
 *   A present entry above level 0 that is neither a leaf nor corrupt: it
 *   points to a table of the level below (pt_entry_is_table(),
 *   pt_table_lower()).
 * leaf
 *   An entry that is neither empty nor a table entry.  A present leaf maps
 *   its whole span (a PMD leaf maps PMD_SIZE); one that is not present
 *   holds a swap, migration, marker or other software entry.
 * corrupt entry
 *   A present entry above level 0 that is neither a leaf nor a valid table
 *   (pt_entry_bad(), after pXd_bad()).  It is never followed.
 * contiguous block
 *   1 << pt_entry_cont_lg2() aligned, consecutive leaves that the hardware
 *   may cache as one (arm64 contiguous bit).  Walkers read and report it
 *   once.
 * root
 *   The entry of the root table that maps an address, pt_root().
 * level-ops
 *   The operations on levels and entries that an architecture provides in
 *   <asm/pt_levels.h>, or inherits from <asm-generic/pt_levels.h>.
 */

#define PT_LVL_PTE	0
#define PT_LVL_PMD	1
#define PT_LVL_PUD	2
#define PT_LVL_P4D	3
#define PT_LVL_PGD	4

/* Level 5 exists for the sixth level; recursion depth is capped by it. */
#define PT_MAX_LEVELS	6

/**
 * struct pt_ptr - a page-table entry pointer and the level of that entry
 * @ptr: the entry; its C type is that of level @lvl (``pte_t *``,
 *	``pmd_t *``, ...)
 * @lvl: level of the entry, 0 (PTE) up to PT_MAX_LEVELS - 1
 */
struct pt_ptr {
	void *ptr;
	unsigned int lvl;
};

#ifdef PT_LEVEL_OPS_HEADER
#include PT_LEVEL_OPS_HEADER
#else
#include <asm/pt_levels.h>
#endif

static_assert(PT_LVL_TOP_MAX < PT_MAX_LEVELS);

/**
 * pt_lvl_size() - bytes of address space one entry of a level maps
 * @lvl: the level
 *
 * Return: 1 << pt_lvl_shift(@lvl).  An entry never spans the whole address
 * space (every table has at least two entries), so this never overflows.
 */
static __always_inline unsigned long pt_lvl_size(unsigned int lvl)
{
	return 1UL << pt_lvl_shift(lvl);
}

/**
 * pt_lvl_mask() - mask that aligns an address down to an entry of a level
 * @lvl: the level
 *
 * Return: ~(pt_lvl_size(@lvl) - 1).
 */
static __always_inline unsigned long pt_lvl_mask(unsigned int lvl)
{
	return ~(pt_lvl_size(lvl) - 1);
}

/**
 * pt_span_end() - end of the naturally aligned block holding an address
 * @addr: address inside the block
 * @end: exclusive end of the range being walked, 0 for the top of the
 *       address space
 * @shift: log2 of the block size; BITS_PER_LONG or more means the block is
 *         the whole address space
 *
 * The end of the last block of the address space wraps to 0 instead of
 * computing 1 << 64, and comparing ``boundary - 1 < end - 1`` makes both 0s
 * mean "the top", as in pmd_addr_end().
 *
 * Return: the lower of the block's end and @end.
 */
static __always_inline unsigned long pt_span_end(unsigned long addr,
						 unsigned long end,
						 unsigned int shift)
{
	unsigned long boundary;

	if (shift >= BITS_PER_LONG)
		return end;
	boundary = (addr | ((1UL << shift) - 1)) + 1;
	return boundary - 1 < end - 1 ? boundary : end;
}

/**
 * pt_addr_end() - end of the entry of a level that maps an address, clamped
 * @addr: address inside the entry
 * @end: exclusive end of the range being walked; 0 stands for the top of the
 *       address space
 * @lvl: the level
 *
 * Like pmd_addr_end() and friends, for any level.
 *
 * Return: the lower of the entry's end and @end (see pt_span_end()).
 */
static __always_inline unsigned long pt_addr_end(unsigned long addr,
						 unsigned long end,
						 unsigned int lvl)
{
	return pt_span_end(addr, end, pt_lvl_shift(lvl));
}

/**
 * pt_index() - index of the entry of a level that maps an address
 * @addr: the address
 * @lvl: the level
 *
 * Return: the slot of @addr in its table at level @lvl.
 */
static __always_inline unsigned long pt_index(unsigned long addr,
					      unsigned int lvl)
{
	return (addr >> pt_lvl_shift(lvl)) &
	       ((1UL << pt_lvl_index_bits(lvl)) - 1);
}

/**
 * pt_nr_entries() - number of entries of a level that [addr, next) touches
 * @addr: start of the range
 * @next: exclusive end of the range, 0 for the top of the address space
 * @lvl: the level
 *
 * Return: how far a pointer at @addr's entry moves to reach @next's.
 */
static __always_inline unsigned long pt_nr_entries(unsigned long addr,
						   unsigned long next,
						   unsigned int lvl)
{
	return ((next - 1) >> pt_lvl_shift(lvl)) -
	       (addr >> pt_lvl_shift(lvl)) + 1;
}

/**
 * pt_entry_is_table() - does an entry point to a table of the level below?
 * @e: the entry value, read with pt_get()
 * @lvl: its level
 *
 * Present is tested before leaf, as the pgtable.h contract asks: on x86
 * pmd_leaf() is a bare PSE test.  An entry that is present, not a leaf and
 * yet fails the architecture's table check is not followed.
 *
 * Return: true if the walk may descend through @e.
 */
static __always_inline bool pt_entry_is_table(union pt_entry e, unsigned int lvl)
{
	return lvl > PT_LVL_PTE && pt_entry_present(e, lvl) &&
	       !pt_entry_leaf(e, lvl) && !pt_entry_bad(e, lvl);
}

#endif /* _LINUX_PT_PTR_H */
