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
 * @PT_VISIT_NONE: an empty entry: nothing is mapped in the range
 * @PT_VISIT_LEAF: a leaf: present (memory mapped at this level) or not
 *	present but not empty (swap, migration, marker, ...)
 * @PT_VISIT_TABLE: a table the walk did not enter, because its level is the
 *	lowest one the caller asked to descend to
 */
enum pt_visit_kind {
	PT_VISIT_NONE,
	PT_VISIT_LEAF,
	PT_VISIT_TABLE,
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
	pt_entry_t entry;
	unsigned long addr;
	unsigned long next;
	enum pt_visit_kind kind;
	unsigned long nr;
};

/**
 * struct pt_descent - position and bounds of a descent
 * @addr: next address to visit.  The descent advances it past each visit
 *	that returns 0; a visit that returns non-zero stops the walk with @addr
 *	still at that visit's start.
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
 * through @lower (the function generated for @lvl - 1).
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
	struct pt_visit v;
	int ret;

	ptp.lvl = lvl;
	for (;;) {
		v.ptp = ptp;
		v.entry = pt_get(ptp);
		v.addr = d->addr;
		v.next = pt_addr_end(v.addr, tend, lvl);

		if (pt_entry_none(v.entry, lvl)) {
			v.kind = PT_VISIT_NONE;
		} else if (pt_entry_is_table(v.entry, lvl)) {
			if (lvl > d->min_lvl) {
				ret = lower(d, pt_table_lower(ptp, v.entry, v.addr), top);
				if (ret)
					return ret;
				/* @lower advanced d->addr to v.next. */
				goto next;
			}
			v.kind = PT_VISIT_TABLE;
		} else {
			unsigned int cont = pt_entry_present(v.entry, lvl) ?
					    pt_entry_cont_lg2(v.entry, lvl) : 0;

			/* Step over a whole contiguous block at once. */
			if (cont)
				v.next = pt_span_end(v.addr, tend,
						     pt_lvl_shift(lvl) + cont);
			v.kind = PT_VISIT_LEAF;
		}
		v.nr = pt_nr_entries(v.addr, v.next, lvl);
		ret = visit(d, &v);
		if (ret)
			return ret;
		d->addr = v.next;
next:
		if (d->addr == tend)
			return 0;
		ptp = pt_ptr_add(ptp, pt_nr_entries(v.addr, d->addr, lvl));
	}
}

/* Level 0 holds no tables: reaching this is a level-op bug. */
static inline int pt_descend_below_pte(struct pt_descent *d, struct pt_ptr ptp,
				       unsigned int top)
{
	WARN_ON_ONCE(1);
	return -EINVAL;
}

#define __PT_DESCENT_LEVEL(name, visit, lvl, lower)			\
static noinline int name##_l##lvl(struct pt_descent *d,			\
				  struct pt_ptr ptp, unsigned int top)	\
{									\
	return __pt_descend_level(d, ptp, lvl, top, visit, lower);	\
}

/*
 * Levels above PT_LVL_TOP_MAX are compiled but unreachable: the dispatcher
 * tests a constant first, so the compiler discards them.
 */
#define __PT_DESCENT_CALL(name, l, d, root)				\
	case l:								\
		if (l <= PT_LVL_TOP_MAX)				\
			return name##_l##l(d, root, root.lvl);		\
		break

/**
 * PT_DEFINE_DESCENT() - generate a descent with a given visitor
 * @name: name of the generated entry point
 * @visit: an __always_inline function
 *	``int visit(struct pt_descent *d, const struct pt_visit *v)``, called
 *	for every empty entry, leaf (or contiguous block of leaves) and, at
 *	d->min_lvl, table in [d->addr, d->end), in address order.  Returning
 *	non-zero stops the walk and is returned by @name.
 *
 * Defines ``static int name(struct pt_descent *d, struct pt_ptr root)``
 * where @root is the root-table entry that maps d->addr (pt_root() on live
 * page tables).  The walk is read-only and takes no lock: on live tables,
 * the caller holds whatever keeps the tables it visits alive, and
 * re-validates entries under their lock before acting on them.
 *
 * Return (of @name): 0 when the walk reached d->end, else what @visit
 * returned, with d->addr at the start of that visit; -EINVAL for a root
 * level this kernel cannot have.
 */
#define PT_DEFINE_DESCENT(name, visit)					\
__PT_DESCENT_LEVEL(name, visit, 0, pt_descend_below_pte)		\
__PT_DESCENT_LEVEL(name, visit, 1, name##_l0)				\
__PT_DESCENT_LEVEL(name, visit, 2, name##_l1)				\
__PT_DESCENT_LEVEL(name, visit, 3, name##_l2)				\
__PT_DESCENT_LEVEL(name, visit, 4, name##_l3)				\
__PT_DESCENT_LEVEL(name, visit, 5, name##_l4)				\
static_assert(PT_MAX_LEVELS == 6, "PT_DEFINE_DESCENT unrolls 6 levels"); \
static int name(struct pt_descent *d, struct pt_ptr root)		\
{									\
	if (d->addr == d->end)						\
		return 0;						\
	switch (root.lvl) {						\
	__PT_DESCENT_CALL(name, 0, d, root);				\
	__PT_DESCENT_CALL(name, 1, d, root);				\
	__PT_DESCENT_CALL(name, 2, d, root);				\
	__PT_DESCENT_CALL(name, 3, d, root);				\
	__PT_DESCENT_CALL(name, 4, d, root);				\
	__PT_DESCENT_CALL(name, 5, d, root);				\
	}								\
	WARN_ON_ONCE(1);						\
	return -EINVAL;							\
}

#endif /* _LINUX_PT_DESCENT_H */
