/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The level-generic page-table descent: one body for every level.
 */
#ifndef _LINUX_PT_DESCENT_H
#define _LINUX_PT_DESCENT_H

#include <linux/pt_ptr.h>

/**
 * DOC: The descent
 *
 * <linux/pt_descent.h> is a template.  It is written only against the
 * level-ops of <linux/pt_ptr.h> (pt_get(), pt_entry_none(),
 * pt_table_lower(), ...), so the same source walks the live page tables in
 * mm/pt_walk.c, synthetic tables of every geometry in the KUnit suite, and
 * the same synthetic tables in the userspace harness (tests/user/), each
 * translation unit bringing its own level-ops.
 *
 * PT_DEFINE_DESCENT(name, visit) generates one function per level from the
 * single body __pt_descend_level(): the function of level 5 calls that of
 * level 4, and so on down to level 0, each with its level as a
 * compile-time constant, so every level-op folds to the code of that level
 * and every call is direct.  The recursion depth is fixed by that chain
 * (PT_MAX_LEVELS) at compile time; levels above PT_LVL_TOP_MAX are never
 * dispatched to and are discarded.  The visitor is an __always_inline
 * function inlined into each level: no indirect call anywhere on the walk.
 *
 * A visit is a run of empty entries, a leaf (a whole contiguous block), a
 * table at the lowest level the caller wants, or a corrupt entry, which is
 * never followed.  PT_DEFINE_DESCENT_RUNS() also visits a run of plain
 * leaves at once, for visitors that count or batch them.  The descent takes
 * no lock and knows nothing of folios.
 */

/**
 * DOC: Glossary of the descent
 *
 * descent
 *   One walk of page tables from a root entry over [d->addr, d->end), by a
 *   function that PT_DEFINE_DESCENT() or PT_DEFINE_DESCENT_RUNS() generated.
 * visitor
 *   The __always_inline function a descent is generated with.  It is
 *   inlined into the code of every level; returning non-zero stops the walk.
 * visit
 *   One call of the visitor, with a struct pt_visit: a run of empty entries
 *   (a hole), a leaf or contiguous block, a corrupt entry, or a table at the
 *   lowest level (enum pt_visit_kind).
 * run
 *   Consecutive entries of one table that one visit describes: empty
 *   entries always, plain leaves with PT_DEFINE_DESCENT_RUNS().  A run never
 *   crosses the end of its table or of the walk.
 * hole
 *   A range in which nothing is mapped.  The descent visits a hole per run
 *   of empty entries of one table; pt_walk_find() merges consecutive holes,
 *   of any levels, into one.
 * plain leaf
 *   A present leaf that is not part of a contiguous block.
 * lowest level
 *   The level, d->min_lvl, whose table entries are visited instead of
 *   entered.
 */

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
 * A plain leaf: present, not part of a contiguous block.  Present is tested
 * first, as pt_entry_leaf() asks.
 */
static __always_inline bool __pt_entry_plain_leaf(union pt_entry e,
						  unsigned int lvl)
{
	return pt_entry_present(e, lvl) && pt_entry_leaf(e, lvl) &&
	       !pt_entry_cont_lg2(e, lvl);
}

/* Does the entry at @p continue a run of empty entries (@none) or leaves? */
static __always_inline bool __pt_run_more(struct pt_ptr p, unsigned int lvl,
					  const bool none)
{
	union pt_entry e = pt_get(p);

	return none ? pt_entry_none(e, lvl) : __pt_entry_plain_leaf(e, lvl);
}

/*
 * The length of the run of empty entries (@none) or of plain leaves
 * (!@none) that starts at @p, at most @n entries.  Two entries a step,
 * counting down what is left: one induction variable and no separate
 * compare, shared by two entries, keep the scan as cheap as a hand-written
 * pte loop even where a plain leaf takes two tests (present, not
 * contiguous).
 */
static __always_inline unsigned long __pt_run(struct pt_ptr p, unsigned long n,
					      unsigned int lvl, const bool none)
{
	unsigned long left = n;

	for (; left >= 2; left -= 2, p = pt_ptr_add(p, 2)) {
		if (!__pt_run_more(p, lvl, none))
			return n - left;
		if (!__pt_run_more(pt_ptr_add(p, 1), lvl, none))
			return n - left + 1;
	}
	if (left && __pt_run_more(p, lvl, none))
		left--;
	return n - left;
}

/*
 * The one body.  @ptp is the entry that maps d->addr at level @lvl; the
 * loop covers the rest of its table that lies in the walk, entering tables
 * through @lower (the function generated for @lvl - 1).  @visit and @lower
 * are compile-time constants in every caller, so both calls are direct;
 * so is @runs: whether a run of plain leaves is one visit.
 *
 * The loop counts entries, not addresses: the entries of the table in the
 * walk are [0, @nr) from @ptp, computed once, and the range of a visit is
 * computed from its indexes only when it is visited, so the scan of a run
 * of empty entries (or of plain leaves) tests nothing but the entry and the
 * index.  Entry i >= 1 starts at @base + (i << shift); the first one at the
 * walk's position, and the last one ends at @tend.
 */
static __always_inline int
__pt_descend_level(struct pt_descent *d, struct pt_ptr ptp,
		   const unsigned int lvl, const unsigned int top,
		   const bool runs,
		   int (*visit)(struct pt_descent *d, const struct pt_visit *v),
		   int (*lower)(struct pt_descent *d, struct pt_ptr ptp,
				unsigned int top))
{
	const unsigned int shift = pt_lvl_shift(lvl);
	const unsigned long addr = d->addr;
	/*
	 * The table ends where the entry above it does, and the root table
	 * where its 1 << pt_top_index_bits() entries do.
	 */
	const unsigned long tend = lvl < top ?
		pt_addr_end(addr, d->end, lvl + 1) :
		pt_span_end(addr, d->end, shift + pt_top_index_bits(lvl));
	const unsigned long nr = pt_nr_entries(addr, tend, lvl);
	const unsigned long base = addr & pt_lvl_mask(lvl);
	unsigned long i = 0, j;
	struct pt_visit v;
	int ret;

	ptp.lvl = lvl;
	do {
		v.ptp = pt_ptr_add(ptp, i);
		v.entry = pt_get(v.ptp);
		j = i + 1;

		if (pt_entry_none(v.entry, lvl)) {
			/* A run of empty entries is one visit. */
			j += __pt_run(pt_ptr_add(ptp, j), nr - j, lvl, true);
			v.kind = PT_VISIT_NONE;
		} else if (lvl > PT_LVL_PTE && pt_entry_present(v.entry, lvl) &&
			   !pt_entry_leaf(v.entry, lvl)) {
			/* A table, unless corrupt: never follow a bad one. */
			if (pt_entry_bad(v.entry, lvl)) {
				v.kind = PT_VISIT_BAD;
			} else if (lvl > d->min_lvl) {
				d->addr = i ? base + (i << shift) : addr;
				ret = lower(d, pt_table_lower(v.ptp, v.entry,
							      d->addr), top);
				if (ret)
					return ret;
				/* @lower walked to the end of entry i. */
				i = j;
				continue;
			} else {
				v.kind = PT_VISIT_TABLE;
			}
		} else {
			unsigned int cont = pt_entry_present(v.entry, lvl) ?
					    pt_entry_cont_lg2(v.entry, lvl) : 0;

			if (cont) {
				/* Step over a whole contiguous block at once. */
				j = i + (1UL << cont) -
				    (((addr >> shift) + i) & ((1UL << cont) - 1));
				if (j > nr)
					j = nr;
			} else if (runs && pt_entry_present(v.entry, lvl)) {
				/* So is a run of plain leaves, if asked. */
				j += __pt_run(pt_ptr_add(ptp, j), nr - j, lvl,
					      false);
			}
			v.kind = PT_VISIT_LEAF;
		}
		v.nr = j - i;
		v.addr = i ? base + (i << shift) : addr;
		v.next = j < nr ? base + (j << shift) : tend;
		ret = visit(d, &v);
		if (ret) {
			d->addr = v.addr;
			return ret;
		}
		i = j;
	} while (i < nr);
	d->addr = tend;
	return 0;
}

/* Level 0 holds no tables: reaching this is a level-op bug. */
static inline int pt_descend_below_pte(struct pt_descent *d, struct pt_ptr ptp,
				       unsigned int top)
{
	WARN_ON_ONCE(1);
	return -EINVAL;
}

/* One level: __pt_descend_@fn, visiting with @visit, entering @lower. */
#define __PT_DESCENT_LEVEL(fn, visit, lvl, lower, runs)			\
static noinline int __pt_descend_##fn(struct pt_descent *d,		\
				      struct pt_ptr ptp,		\
				      unsigned int top)			\
{									\
	return __pt_descend_level(d, ptp, lvl, top, runs, visit, lower); \
}

/* PT_DEFINE_DESCENT() and PT_DEFINE_DESCENT_RUNS(): @runs is a constant. */
#define __PT_DEFINE_DESCENT(name, visit, runs)				\
static __always_inline int __pt_visit_##name(struct pt_descent *d,	\
					     const struct pt_visit *v)	\
{									\
	return visit(d, v);						\
}									\
enum { __pt_runs_##name = !!(runs) };					\
__PT_DESCENT_LEVEL(l0_##name, __pt_visit_##name, 0,			\
		   pt_descend_below_pte, __pt_runs_##name)		\
__PT_DESCENT_LEVEL(l1_##name, __pt_visit_##name, 1,			\
		   __pt_descend_l0_##name, __pt_runs_##name)		\
__PT_DESCENT_LEVEL(l2_##name, __pt_visit_##name, 2,			\
		   __pt_descend_l1_##name, __pt_runs_##name)		\
__PT_DESCENT_LEVEL(l3_##name, __pt_visit_##name, 3,			\
		   __pt_descend_l2_##name, __pt_runs_##name)		\
__PT_DESCENT_LEVEL(l4_##name, __pt_visit_##name, 4,			\
		   __pt_descend_l3_##name, __pt_runs_##name)		\
__PT_DESCENT_LEVEL(l5_##name, __pt_visit_##name, 5,			\
		   __pt_descend_l4_##name, __pt_runs_##name)		\
static_assert(PT_MAX_LEVELS == 6, "PT_DEFINE_DESCENT unrolls 6 levels"); \
static int name(struct pt_descent *d, struct pt_ptr root)		\
{									\
	if (d->addr == d->end)						\
		return 0;						\
	/* The walk's end is above its start, or 0 (the top). */	\
	if (WARN_ON_ONCE(d->end - 1 < d->addr))				\
		return -EINVAL;						\
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
 * visit; -EINVAL for a root level this kernel cannot have, or for a d->end
 * below d->addr (which also warns once).
 */
#define PT_DEFINE_DESCENT(name, visit)					\
	__PT_DEFINE_DESCENT(name, visit, false)

/**
 * PT_DEFINE_DESCENT_RUNS() - a descent that visits runs of leaves at once
 * @name: name of the generated entry point
 * @visit: as for PT_DEFINE_DESCENT()
 *
 * As PT_DEFINE_DESCENT(), except that a run of consecutive plain leaves,
 * present and not part of a contiguous block, is one PT_VISIT_LEAF visit
 * of @nr entries, as a run of empty entries is: &struct pt_visit.entry is
 * the first one's value, and the visitor reads the others, if it needs
 * them, from &struct pt_visit.ptp onwards.  Leaves that are not present, or
 * contiguous blocks, are still visited on their own.  For visitors that
 * only count, or handle a batch of leaves at once: the scan of a run tests
 * each entry and nothing else.
 */
#define PT_DEFINE_DESCENT_RUNS(name, visit)				\
	__PT_DEFINE_DESCENT(name, visit, true)

#endif /* _LINUX_PT_DESCENT_H */
