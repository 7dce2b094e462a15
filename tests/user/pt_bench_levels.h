/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Level-ops for the benchmark: the synthetic entry format of
 * tests/kunit/pt_geom_levels.h, with the geometry fixed at compile time.
 *
 * pt_geom_levels.h reads its geometry through a pointer, so every shift and
 * index width is a load; an architecture's <asm/pt_levels.h> has constants.
 * Measuring the descent against a hand-written cascade whose PMD_SHIFT is a
 * constant would charge the descent for the test harness, so the benchmark
 * builds one binary per geometry and all three walkers see the same
 * constants.  Not included directly: define PT_LEVEL_OPS_HEADER to
 * "pt_bench_levels.h" and PTB_GEOM_<name> for the geometry.
 */
#ifndef _PT_BENCH_LEVELS_H
#define _PT_BENCH_LEVELS_H

/* The shapes of ptg_geoms[] of the same name (tests/kunit/pt_geom_cases.h). */
#if defined(PTB_GEOM_X86_64_4LEVEL)
#define PTB_NAME		"x86_64-4level"
#define PTB_GRANULE_LG2		12
#define PTB_BITS		9
#define PTB_TOP_BITS		9
#define PTB_LEVELS		4
#define PTB_CONT_LG2(lvl)	0
#elif defined(PTB_GEOM_ARM64_4K_48)
#define PTB_NAME		"arm64-4K-48"
#define PTB_GRANULE_LG2		12
#define PTB_BITS		9
#define PTB_TOP_BITS		9
#define PTB_LEVELS		4
#define PTB_CONT_LG2(lvl)	((lvl) <= 1 ? 4 : 0)
#elif defined(PTB_GEOM_ARM64_64K_48)
#define PTB_NAME		"arm64-64K-48"
#define PTB_GRANULE_LG2		16
#define PTB_BITS		13
#define PTB_TOP_BITS		6
#define PTB_LEVELS		3
#define PTB_CONT_LG2(lvl)	((lvl) <= 1 ? 5 : 0)
#else
#error "define PTB_GEOM_X86_64_4LEVEL, PTB_GEOM_ARM64_4K_48 or PTB_GEOM_ARM64_64K_48"
#endif

#define PT_LVL_TOP_MAX	(PTB_LEVELS - 1)

/* The entry format of pt_geom_levels.h, bit for bit. */
#define PTG_VALID	0x1ULL
#define PTG_TABLE	0x2ULL
#define PTG_CONT	0x4ULL
#define PTG_SWAP	0x8ULL
#define PTG_FLAGS	0xfULL

/* An entry is a plain u64; the union keeps the descent's type. */
union pt_entry {
	u64 val;
};

static __always_inline unsigned int pt_lvl_shift(unsigned int lvl)
{
	return PTB_GRANULE_LG2 + PTB_BITS * lvl;
}

static __always_inline unsigned int pt_lvl_index_bits(unsigned int lvl)
{
	return lvl == PTB_LEVELS - 1 ? PTB_TOP_BITS : PTB_BITS;
}

static __always_inline unsigned int pt_top_index_bits(unsigned int top)
{
	return pt_lvl_index_bits(top);
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
	return (e.val & PTG_CONT) ? PTB_CONT_LG2(lvl) : 0;
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

#endif /* _PT_BENCH_LEVELS_H */
