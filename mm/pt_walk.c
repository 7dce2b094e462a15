// SPDX-License-Identifier: GPL-2.0
/*
 * The level-generic descent over the live page tables of an mm.
 *
 * <linux/pt_descent.h> is instantiated here once, with the architecture's
 * level-ops, as pt_walk_find(): descend from the root to the first entry of
 * interest in a range.  The pt_range_walk iterator calls it only when it
 * leaves a table; steps inside a PTE table never come here.
 */
#include <kunit/visibility.h>
#include <linux/mm.h>
#include <linux/pt_walk.h>

struct pt_find_state {
	struct pt_visit *found;
	unsigned int flags;
	bool hole;		/* @found holds a hole still being extended */
};

/*
 * Stop at the first leaf or table; with PT_FIND_HOLES, a run of empty
 * entries, of whatever levels, comes back first as one hole.
 */
static __always_inline int pt_find_visit(struct pt_descent *d,
					 const struct pt_visit *v)
{
	struct pt_find_state *st = d->priv;

	if (v->kind == PT_VISIT_NONE) {
		if (!(st->flags & PT_FIND_HOLES))
			return 0;
		if (st->hole) {
			st->found->next = v->next;
			st->found->nr = 0;
		} else {
			*st->found = *v;
			st->hole = true;
		}
		return 0;
	}
	/* Report the pending hole; this entry is found by the next call. */
	if (!st->hole)
		*st->found = *v;
	return 1;
}

PT_DEFINE_DESCENT(pt_find_descend, pt_find_visit)

/**
 * pt_walk_find() - find the first mapping, or hole, in a range
 * @mm: the address space, whose mmap or VMA lock the caller holds
 * @addr: start of the range
 * @end: exclusive end of the range, above @addr
 * @min_lvl: lowest level to descend to.  Walkers of user page tables pass
 *	PT_LVL_PMD and map the PTE table they are handed themselves; lower
 *	levels are for &init_mm only.
 * @flags: PT_FIND_HOLES to be told about empty ranges as well
 * @found: filled with the entry found: a leaf (present or not), a table at
 *	@min_lvl, a corrupt entry (PT_VISIT_BAD), or, with PT_FIND_HOLES, the
 *	maximal run of empty entries
 *	starting at @addr (its @nr is 0 once merged from several entries)
 *
 * Lockless: entries are read once, and any that the caller acts on must be
 * re-validated under their page-table lock.
 *
 * Return: 1 if @found was filled, 0 if [@addr, @end) holds nothing of
 * interest, -EINVAL on a misuse (which also warns once).
 */
int pt_walk_find(struct mm_struct *mm, unsigned long addr, unsigned long end,
		 unsigned int min_lvl, unsigned int flags, struct pt_visit *found)
{
	struct pt_find_state st = { .found = found, .flags = flags };
	struct pt_descent d = {
		.addr = addr, .end = end, .min_lvl = min_lvl, .priv = &st,
	};
	int ret;

	/*
	 * Below the PMD level a user page table can be freed under a lockless
	 * reader (pte_offset_map() holds RCU for that): only kernel tables
	 * may be descended into that far here.
	 */
	if (WARN_ON_ONCE(addr >= end || min_lvl > PT_LVL_TOP_MAX ||
			 (min_lvl < PT_LVL_PMD && mm != &init_mm)))
		return -EINVAL;
	ret = pt_find_descend(&d, pt_root(mm, addr));
	if (ret < 0)
		return ret;
	return ret || st.hole;
}
EXPORT_SYMBOL_IF_KUNIT(pt_walk_find);

/**
 * pt_walk_find_in() - pt_walk_find() from an entry inside a table
 * @ptp: the entry that maps @addr, in a table the caller keeps alive
 * @addr: start of the range
 * @end: exclusive end of the range, above @addr
 * @min_lvl: lowest level to descend to, at most @ptp.lvl (see
 *	pt_walk_find())
 * @flags: PT_FIND_HOLES to be told about empty ranges as well
 * @found: as for pt_walk_find()
 *
 * Looks only at the rest of the table holding @ptp, and what hangs below
 * it: for walkers that keep their place in a table instead of descending
 * from the root again for each of its entries.
 *
 * Return: 1 if @found was filled, 0 if nothing of interest lies between
 * @addr and the end of the table or @end, -EINVAL on a misuse.
 */
int pt_walk_find_in(struct pt_ptr ptp, unsigned long addr, unsigned long end,
		    unsigned int min_lvl, unsigned int flags,
		    struct pt_visit *found)
{
	struct pt_find_state st = { .found = found, .flags = flags };
	struct pt_descent d = {
		.addr = addr, .end = end, .min_lvl = min_lvl, .priv = &st,
	};
	int ret;

	if (WARN_ON_ONCE(addr >= end || min_lvl > ptp.lvl || !ptp.ptr))
		return -EINVAL;
	ret = pt_find_descend(&d, ptp);
	if (ret < 0)
		return ret;
	return ret || st.hole;
}
EXPORT_SYMBOL_IF_KUNIT(pt_walk_find_in);
