/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The level-generic page-table descent: one body for every level.
 *
 * This file is a template.  It is written only against the level-ops of
 * <linux/pt_ptr.h> (pt_get(), pt_entry_none(), pt_table_lower(), ...), so
 * the same source walks the live page tables in mm/pt_walk.c, synthetic
 * tables of every geometry in the KUnit suite, and the same synthetic tables
 * in the userspace harness (tests/user/), each translation unit bringing its
 * own level-ops.
 *
 * PT_DEFINE_DESCENT(name, visit) generates one function per level from the
 * single body __pt_descend_level(): name_l5() calls name_l4() ... down to
 * name_l0(), each with its level as a compile-time constant, so every
 * level-op folds to the code of that level and every call is direct.  The
 * recursion depth is fixed by that chain (PT_MAX_LEVELS) at compile time;
 * levels above PT_LVL_TOP_MAX are never dispatched to and are discarded.
 * The visitor is an __always_inline function inlined into each level: no
 * indirect call anywhere on the walk.
 */
#ifndef _LINUX_PT_DESCENT_H
#define _LINUX_PT_DESCENT_H

#include <linux/pt_ptr.h>

/**
 * enum pt_visit_kind - what an entry handed to a visitor is
 * @PT_VISIT_NONE: a run of empty entries: nothing is mapped in the range
 * @PT_VISIT_LEAF: a leaf: present (memory mapped at this level) or not
 *	present but not empty (swap, migration, marker, ...)
 * @PT_VISIT_TABLE: a table the walk did not enter, because its level is the
 *	lowest one the caller asked to descend to
 * @PT_VISIT_BAD: a present entry above the PTE level that is neither a leaf
 *	nor a valid table (pXd_bad()): corrupt, never followed
 */
enum pt_visit_kind {
	PT_VISIT_NONE,
	PT_VISIT_LEAF,
	PT_VISIT_TABLE,
	PT_VISIT_BAD,
};

/**
 * struct pt_visit - one entry, or one contiguous block of entries, visited
 * @ptp: the first entry of the block
 * @entry: its value, as read once by pt_get()
 * @addr: first address the visit covers (the walk's position, so not
 *	necessarily aligned to the entry)
 * @next: exclusive end of the visit, clamped to the walk's end; 0 is the top
 *	of the address space
 * @kind: what the entry is
 * @nr: number of entries [@addr, @next) spans at level @ptp.lvl
 */
struct pt_visit {
	struct pt_ptr ptp;
	union pt_entry entry;
	unsigned long addr;
	unsigned long next;
	enum pt_visit_kind kind;
	unsigned long nr;
};

/**
 * struct pt_descent - position and bounds of a descent
 * @addr: in: where the walk starts; out: where it stopped.  A visit that
 *	returns non-zero stops the walk with @addr at that visit's start;
 *	otherwise the walk ends with @addr at @end or at the end of the root
 *	table.  Visitors read their position from &struct pt_visit, not here.
 * @end: exclusive end of the walk, 0 for the top of the address space
 * @min_lvl: lowest level to descend to: table entries at this level are
 *	visited as PT_VISIT_TABLE instead of entered
 * @priv: for the visitor
 */
struct pt_descent {
	unsigned long addr;
	unsigned long end;
	unsigned int min_lvl;
	void *priv;
};

/*
 * The one body.  @ptp is the entry that maps d->addr at level @lvl; the
 * loop covers the rest of its table that lies in the walk, entering tables
 * through @lower (the function generated for @lvl - 1).  @visit and @lower
 * are compile-time constants in every caller, so both calls are direct.
 */
static __always_inline int
__pt_descend_level(struct pt_descent *d, struct pt_ptr ptp,
		   const unsigned int lvl, const unsigned int top,
		   int (*visit)(struct pt_descent *d, const struct pt_visit *v),
		   int (*lower)(struct pt_descent *d, struct pt_ptr ptp,
				unsigned int top))
{
	/*
	 * The table ends where the entry above it does, and the root table
	 * where its 1 << index_bits entries do.
	 */
	const unsigned long tend = lvl < top ?
		pt_addr_end(d->addr, d->end, lvl + 1) :
		pt_span_end(d->addr, d->end,
			    pt_lvl_shift(lvl) + pt_lvl_index_bits(lvl));
	/* The position lives in a register; d->addr is written on exit. */
	unsigned long addr = d->addr;
	struct pt_visit v;
	int ret;

	ptp.lvl = lvl;
	for (;;) {
		v.ptp = ptp;
		v.entry = pt_get(ptp);
		v.addr = addr;
		v.next = pt_addr_end(addr, tend, lvl);
		v.nr = 1;

		if (pt_entry_none(v.entry, lvl)) {
			/* A run of empty entries is one visit. */
			while (v.next != tend &&
			       pt_entry_none(pt_get(pt_ptr_add(ptp, v.nr)), lvl)) {
				v.nr++;
				v.next = pt_addr_end(v.next, tend, lvl);
			}
			v.kind = PT_VISIT_NONE;
		} else if (lvl > PT_LVL_PTE && pt_entry_present(v.entry, lvl) &&
			   !pt_entry_leaf(v.entry, lvl)) {
			/* A table, unless corrupt: never follow a bad one. */
			if (pt_entry_bad(v.entry, lvl)) {
				v.kind = PT_VISIT_BAD;
			} else if (lvl > d->min_lvl) {
				d->addr = addr;
				ret = lower(d, pt_table_lower(ptp, v.entry, addr), top);
				if (ret)
					return ret;
				/* @lower walked up to v.next. */
				addr = v.next;
				goto next;
			} else {
				v.kind = PT_VISIT_TABLE;
			}
		} else {
			unsigned int cont = pt_entry_present(v.entry, lvl) ?
					    pt_entry_cont_lg2(v.entry, lvl) : 0;

			/* Step over a whole contiguous block at once. */
			if (cont) {
				v.next = pt_span_end(addr, tend,
						     pt_lvl_shift(lvl) + cont);
				v.nr = pt_nr_entries(addr, v.next, lvl);
			}
			v.kind = PT_VISIT_LEAF;
		}
		ret = visit(d, &v);
		if (ret) {
			d->addr = addr;
			return ret;
		}
		addr = v.next;
next:
		if (addr == tend) {
			d->addr = addr;
			return 0;
		}
		ptp = pt_ptr_add(ptp, v.nr);
	}
}

/* Level 0 holds no tables: reaching this is a level-op bug. */
static inline int pt_descend_below_pte(struct pt_descent *d, struct pt_ptr ptp,
				       unsigned int top)
{
	WARN_ON_ONCE(1);
	return -EINVAL;
}

/* One level: __pt_descend_@fn, visiting with @visit, entering @lower. */
#define __PT_DESCENT_LEVEL(fn, visit, lvl, lower)			\
static noinline int __pt_descend_##fn(struct pt_descent *d,		\
				      struct pt_ptr ptp,		\
				      unsigned int top)			\
{									\
	return __pt_descend_level(d, ptp, lvl, top, visit, lower);	\
}

/**
 * PT_DEFINE_DESCENT() - generate a descent with a given visitor
 * @name: name of the generated entry point
 * @visit: an __always_inline function
 *	``int visit(struct pt_descent *d, const struct pt_visit *v)``, called
 *	for every run of empty entries, leaf (or contiguous block of leaves),
 *	corrupt entry and, at d->min_lvl, table in [d->addr, d->end), in
 *	address order.
 *	Returning non-zero stops the walk and is returned by @name.
 *
 * Defines ``static int name(struct pt_descent *d, struct pt_ptr root)``
 * where @root is the root-table entry that maps d->addr (pt_root() on live
 * page tables).  The walk is read-only and takes no lock: on live tables,
 * the caller holds whatever keeps the tables it visits alive, and
 * re-validates entries under their lock before acting on them.
 *
 * Levels above PT_LVL_TOP_MAX are generated but never dispatched to (the
 * test is on constants), so the compiler discards them.
 *
 * Return (of @name): 0 when the walk reached d->end or the end of the root
 * table, else what @visit returned, with d->addr at the start of that
 * visit; -EINVAL for a root level this kernel cannot have.
 */
#define PT_DEFINE_DESCENT(name, visit)					\
static __always_inline int __pt_visit_##name(struct pt_descent *d,	\
					     const struct pt_visit *v)	\
{									\
	return visit(d, v);						\
}									\
__PT_DESCENT_LEVEL(l0_##name, __pt_visit_##name, 0,		\
		   pt_descend_below_pte)				\
__PT_DESCENT_LEVEL(l1_##name, __pt_visit_##name, 1,		\
		   __pt_descend_l0_##name)				\
__PT_DESCENT_LEVEL(l2_##name, __pt_visit_##name, 2,		\
		   __pt_descend_l1_##name)				\
__PT_DESCENT_LEVEL(l3_##name, __pt_visit_##name, 3,		\
		   __pt_descend_l2_##name)				\
__PT_DESCENT_LEVEL(l4_##name, __pt_visit_##name, 4,		\
		   __pt_descend_l3_##name)				\
__PT_DESCENT_LEVEL(l5_##name, __pt_visit_##name, 5,		\
		   __pt_descend_l4_##name)				\
static_assert(PT_MAX_LEVELS == 6, "PT_DEFINE_DESCENT unrolls 6 levels"); \
static int name(struct pt_descent *d, struct pt_ptr root)		\
{									\
	if (d->addr == d->end)						\
		return 0;						\
	switch (root.lvl) {						\
	case 0:								\
		return __pt_descend_l0_##name(d, root, 0);		\
	case 1:								\
		return __pt_descend_l1_##name(d, root, 1);		\
	case 2:								\
		return __pt_descend_l2_##name(d, root, 2);		\
	case 3:								\
		if (PT_LVL_TOP_MAX >= 3)				\
			return __pt_descend_l3_##name(d, root, 3);	\
		break;							\
	case 4:								\
		if (PT_LVL_TOP_MAX >= 4)				\
			return __pt_descend_l4_##name(d, root, 4);	\
		break;							\
	case 5:								\
		if (PT_LVL_TOP_MAX >= 5)				\
			return __pt_descend_l5_##name(d, root, 5);	\
		break;							\
	}								\
	WARN_ON_ONCE(1);						\
	return -EINVAL;							\
}

#endif /* _LINUX_PT_DESCENT_H */
