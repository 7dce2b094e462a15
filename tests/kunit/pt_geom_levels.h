/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Level-ops for synthetic page tables of any geometry.
 *
 * The geometry tests compile the one descent (<linux/pt_descent.h>) against these
 * instead of <asm/pt_levels.h>, so the same code that walks the live page
 * tables walks tables of every x86_64 and arm64 shape, and of a sixth level.
 * Built both in the kernel (KUnit) and in userspace (tests/user/), so it
 * uses nothing but what <linux/pt_ptr.h> uses.  Not included directly:
 * define PT_LEVEL_OPS_HEADER to "pt_geom_levels.h" and include
 * <linux/pt_ptr.h>, which pulls it in after defining struct pt_ptr.
 *
 * Entry format (u64): 0 is empty; bit 0 marks a valid (present) entry;
 * bit 1 a table, whose other bits are the table's address; bit 2 a leaf that
 * is part of a contiguous block; bit 3 a non-present leaf (think swap).  A
 * leaf's output address is the entry with the low PTG_FLAGS bits cleared.
 */
#ifndef _PT_GEOM_LEVELS_H
#define _PT_GEOM_LEVELS_H

/* The synthetic geometries go up to the sixth level. */
#define PT_LVL_TOP_MAX	5

#define PTG_VALID	0x1ULL
#define PTG_TABLE	0x2ULL
#define PTG_CONT	0x4ULL
#define PTG_SWAP	0x8ULL
#define PTG_FLAGS	0xfULL

/**
 * struct pt_geom - the shape of a synthetic page table
 * @name: shown as the KUnit parameter
 * @granule_lg2: log2 of the smallest page
 * @bits: index bits of every table below the top
 * @top_bits: index bits of the top table (partial tops: 1 to @bits)
 * @levels: number of levels, 1 to PT_MAX_LEVELS
 * @leaf_levels: bit N set when level N can hold a leaf
 * @cont_lg2: per level, log2 of the entries of a contiguous block, 0 if none
 */
struct pt_geom {
	const char *name;
	unsigned char granule_lg2;
	unsigned char bits;
	unsigned char top_bits;
	unsigned char levels;
	unsigned char leaf_levels;
	unsigned char cont_lg2[PT_MAX_LEVELS];
};

/* The geometry the level-ops below read; set by the test before walking. */
static const struct pt_geom *pt_geom;

/* An entry is a plain u64; the union keeps the descent's type. */
union pt_entry {
	u64 val;
};

static __always_inline unsigned int pt_lvl_shift(unsigned int lvl)
{
	return pt_geom->granule_lg2 + pt_geom->bits * lvl;
}

static __always_inline unsigned int pt_lvl_index_bits(unsigned int lvl)
{
	return lvl == pt_geom->levels - 1U ? pt_geom->top_bits : pt_geom->bits;
}

static __always_inline unsigned int pt_top_index_bits(unsigned int top)
{
	return pt_lvl_index_bits(top);
}

static __always_inline bool pt_lvl_can_leaf(unsigned int lvl)
{
	return pt_geom->leaf_levels & (1U << lvl);
}

static __always_inline union pt_entry pt_get(struct pt_ptr p)
{
	return (union pt_entry){ .val = READ_ONCE(*(u64 *)p.ptr) };
}

static __always_inline bool pt_entry_none(union pt_entry e, unsigned int lvl)
{
	return !e.val;
}

static __always_inline bool pt_entry_present(union pt_entry e, unsigned int lvl)
{
	return e.val & PTG_VALID;
}

static __always_inline bool pt_entry_leaf(union pt_entry e, unsigned int lvl)
{
	return lvl == 0 || !(e.val & PTG_TABLE);
}

static __always_inline bool pt_entry_bad(union pt_entry e, unsigned int lvl)
{
	return false;
}

static __always_inline unsigned int pt_entry_cont_lg2(union pt_entry e,
						      unsigned int lvl)
{
	return (e.val & PTG_CONT) ? pt_geom->cont_lg2[lvl] : 0;
}

static __always_inline struct pt_ptr pt_ptr_add(struct pt_ptr p,
						unsigned long n)
{
	p.ptr = (u64 *)p.ptr + n;
	return p;
}

static __always_inline struct pt_ptr pt_table_lower(struct pt_ptr p,
						    union pt_entry e,
						    unsigned long addr)
{
	u64 *table = (u64 *)(uintptr_t)(e.val & ~PTG_FLAGS);

	unsigned int lvl = p.lvl - 1;
	unsigned long idx = (addr >> pt_lvl_shift(lvl)) &
			    ((1UL << pt_lvl_index_bits(lvl)) - 1);

	return (struct pt_ptr){ table + idx, lvl };
}

/* The entry of the top table @table that maps @addr. */
static inline struct pt_ptr ptg_root(u64 *table, unsigned long addr)
{
	unsigned int top = pt_geom->levels - 1;
	unsigned long idx = (addr >> pt_lvl_shift(top)) &
			    ((1UL << pt_lvl_index_bits(top)) - 1);

	return (struct pt_ptr){ table + idx, top };
}

#endif /* _PT_GEOM_LEVELS_H */
