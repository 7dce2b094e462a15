// SPDX-License-Identifier: GPL-2.0
/*
 * Instructions per visited entry: the level-generic descent against the two
 * ways mm walks page tables today, on the very same tables.
 *
 *   descent   PT_DEFINE_DESCENT_RUNS() with an always-inline counting
 *             visitor: a run of plain leaves is one visit of v->nr entries,
 *             so it counts them as the cascade does, with one test each
 *   descent-entry  the same visitor through PT_DEFINE_DESCENT(): one visit
 *             per leaf, as pt_walk_find() and the geometry cases see them
 *   cascade   hand-written pgd/pud/pmd/pte loops with pXd_addr_end(), the
 *             shape of zap_pte_range() and friends
 *   callback  the same cascade calling a function pointer for every PTE and
 *             every leaf above, the shape of walk_page_range() with a
 *             pte_entry: one indirect call per entry
 *
 * All three read the entry format of pt_geom_levels.h through the
 * compile-time geometry of pt_bench_levels.h, one binary per geometry.  The
 * tables are built once per layout and every walker walks them; the counts
 * of leaf entries must agree, with each other and with what was mapped.
 *
 * Run under callgrind with --instr-atstart=no (pt_bench.sh does): only the
 * walks are instrumented, each one dumped on its own with a tag saying what
 * it was, and an empty walker gives the cost of the bracketing itself.
 * Without valgrind the client requests do nothing and the binary just checks
 * the counts.
 */
#include <string.h>
#include <valgrind/callgrind.h>
#include <linux/types.h>

unsigned long shim_warnings;

#define PT_LEVEL_OPS_HEADER "pt_bench_levels.h"
#include <linux/pt_descent.h>

/* Keep the function-pointer call a real indirect call (GCC only). */
#ifdef __has_attribute
#if __has_attribute(__noipa__)
#define __noipa __attribute__((__noipa__))
#endif
#endif
#ifndef __noipa
#define __noipa
#endif

#define PTB_PAGE_SHIFT	PTB_GRANULE_LG2
#define PTB_PAGE_SIZE	(1UL << PTB_PAGE_SHIFT)
#define PTB_PMD_SHIFT	(PTB_PAGE_SHIFT + PTB_BITS)
#define PTB_PMD_SIZE	(1UL << PTB_PMD_SHIFT)
#define PTB_PUD_SHIFT	(PTB_PMD_SHIFT + PTB_BITS)
#define PTB_PUD_SIZE	(1UL << PTB_PUD_SHIFT)
#define PTB_PGDIR_SHIFT	(PTB_PAGE_SHIFT + PTB_BITS * (PTB_LEVELS - 1))
#define PTB_PGDIR_SIZE	(1UL << PTB_PGDIR_SHIFT)
#define PTB_PTRS	(1UL << PTB_BITS)
#define PTB_PTRS_PGD	(1UL << PTB_TOP_BITS)

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#if PTB_LEVELS != 3 && PTB_LEVELS != 4
#error "the hand-written cascade has 3 or 4 levels"
#endif

static void ptb_die(const char *what, unsigned long got, unsigned long want)
{
	fprintf(stderr, "pt_bench: %s: %s: %lu entries, expected %lu\n",
		PTB_NAME, what, got, want);
	exit(1);
}

/* --- The tables ---------------------------------------------------------- */

static unsigned long ptb_entries(unsigned int lvl)
{
	return lvl == PTB_LEVELS - 1 ? PTB_PTRS_PGD : PTB_PTRS;
}

static unsigned long ptb_slot(unsigned long va, unsigned int lvl)
{
	return (va >> (PTB_PAGE_SHIFT + PTB_BITS * lvl)) & (ptb_entries(lvl) - 1);
}

/* Naturally aligned, as page tables are; never below the flag bits. */
static u64 *ptb_alloc_table(unsigned int lvl)
{
	size_t size = ptb_entries(lvl) * sizeof(u64);
	u64 *t = aligned_alloc(size, size);

	if (!t) {
		perror("pt_bench");
		exit(1);
	}
	return memset(t, 0, size);
}

static void ptb_free_table(u64 *t, unsigned int lvl)
{
	unsigned long i;

	for (i = 0; lvl && i < ptb_entries(lvl); i++)
		if ((t[i] & PTG_VALID) && (t[i] & PTG_TABLE))
			ptb_free_table((u64 *)(uintptr_t)(t[i] & ~PTG_FLAGS), lvl - 1);
	free(t);
}

/* Map one smallest page, creating the tables above it. */
static void ptb_map(u64 *root, unsigned long va, unsigned long oa)
{
	u64 *t = root;
	unsigned int l;

	for (l = PTB_LEVELS - 1; l > 0; l--) {
		u64 *e = &t[ptb_slot(va, l)];

		if (!*e)
			*e = (u64)(uintptr_t)ptb_alloc_table(l - 1) | PTG_TABLE | PTG_VALID;
		t = (u64 *)(uintptr_t)(*e & ~PTG_FLAGS);
	}
	t[ptb_slot(va, 0)] = oa | PTG_VALID;
}

/* --- Walker a: the descent ------------------------------------------------- */

struct ptb_count {
	unsigned long leaves;
};

static __always_inline int ptb_count_visit(struct pt_descent *d,
					   const struct pt_visit *v)
{
	struct ptb_count *c = d->priv;

	if (v->kind == PT_VISIT_LEAF)
		c->leaves += v->nr;
	return 0;
}

PT_DEFINE_DESCENT_RUNS(ptb_descend, ptb_count_visit)
PT_DEFINE_DESCENT(ptb_descend_entry, ptb_count_visit)

static struct pt_ptr ptb_root(u64 *root, unsigned long addr)
{
	return (struct pt_ptr){ root + ptb_slot(addr, PTB_LEVELS - 1),
				PTB_LEVELS - 1 };
}

static noinline unsigned long ptb_walk_descent(u64 *root, unsigned long start,
					       unsigned long end)
{
	struct ptb_count c = { 0 };
	struct pt_descent d = { .addr = start, .end = end, .priv = &c };

	do {
		if (ptb_descend(&d, ptb_root(root, d.addr)))
			return ~0UL;
	} while (d.addr != d.end);
	return c.leaves;
}

static noinline unsigned long ptb_walk_descent_entry(u64 *root,
						     unsigned long start,
						     unsigned long end)
{
	struct ptb_count c = { 0 };
	struct pt_descent d = { .addr = start, .end = end, .priv = &c };

	do {
		if (ptb_descend_entry(&d, ptb_root(root, d.addr)))
			return ~0UL;
	} while (d.addr != d.end);
	return c.leaves;
}

/* --- Walker b: the hand-written cascade ------------------------------------ */

/* As the kernel's pmd_addr_end(): the 0 of the top compares as the top. */
#define ptb_addr_end(addr, end, size) ({				\
	unsigned long __boundary = ((addr) + (size)) & ~((size) - 1);	\
	(__boundary - 1 < (end) - 1) ? __boundary : (end);		\
})

static inline u64 *ptb_table(u64 e)
{
	return (u64 *)(uintptr_t)(e & ~PTG_FLAGS);
}

/* Present and pointing to a table, as !pmd_leaf() after pmd_present(). */
static inline bool ptb_is_table(u64 e)
{
	return (e & PTG_VALID) && (e & PTG_TABLE);
}

static inline unsigned long ptb_pte_range(u64 pmd, unsigned long addr,
					  unsigned long end)
{
	u64 *pte = ptb_table(pmd) + ptb_slot(addr, 0);
	unsigned long n = 0;

	do {
		u64 e = READ_ONCE(*pte);

		if (!e)
			continue;
		n++;
	} while (pte++, addr += PTB_PAGE_SIZE, addr != end);
	return n;
}

static inline unsigned long ptb_pmd_range(u64 pud, unsigned long addr,
					  unsigned long end)
{
	u64 *pmd = ptb_table(pud) + ptb_slot(addr, 1);
	unsigned long next, n = 0;

	do {
		u64 e = READ_ONCE(*pmd);

		next = ptb_addr_end(addr, end, PTB_PMD_SIZE);
		if (!e)
			continue;
		if (!ptb_is_table(e)) {
			n++;	/* a huge (or swap) leaf */
			continue;
		}
		n += ptb_pte_range(e, addr, next);
	} while (pmd++, addr = next, addr != end);
	return n;
}

#if PTB_LEVELS == 4
static inline unsigned long ptb_pud_range(u64 pgd, unsigned long addr,
					  unsigned long end)
{
	u64 *pud = ptb_table(pgd) + ptb_slot(addr, 2);
	unsigned long next, n = 0;

	do {
		u64 e = READ_ONCE(*pud);

		next = ptb_addr_end(addr, end, PTB_PUD_SIZE);
		if (!e)
			continue;
		if (!ptb_is_table(e)) {
			n++;
			continue;
		}
		n += ptb_pmd_range(e, addr, next);
	} while (pud++, addr = next, addr != end);
	return n;
}
#define ptb_pgd_lower	ptb_pud_range
#else
/* The PUD level folded away, as the kernel folds it at compile time. */
#define ptb_pgd_lower	ptb_pmd_range
#endif

static noinline unsigned long ptb_walk_cascade(u64 *root, unsigned long start,
					       unsigned long end)
{
	u64 *pgd = root + ptb_slot(start, PTB_LEVELS - 1);
	unsigned long addr = start, next, n = 0;

	do {
		u64 e = READ_ONCE(*pgd);

		next = ptb_addr_end(addr, end, PTB_PGDIR_SIZE);
		if (!e)
			continue;
		if (!ptb_is_table(e)) {
			n++;
			continue;
		}
		n += ptb_pgd_lower(e, addr, next);
	} while (pgd++, addr = next, addr != end);
	return n;
}

/* --- Walker c: the cascade with a callback per entry ----------------------- */

struct ptb_walk;

struct ptb_walk_ops {
	/* Every PTE of a table walked, and every leaf above: as pte_entry. */
	int (*entry)(u64 *ep, unsigned long addr, unsigned long next,
		     struct ptb_walk *walk);
};

struct ptb_walk {
	const struct ptb_walk_ops *ops;
	void *private;
};

static noinline __noipa int ptb_count_entry(u64 *ep, unsigned long addr,
					    unsigned long next,
					    struct ptb_walk *walk)
{
	struct ptb_count *c = walk->private;

	if (READ_ONCE(*ep))
		c->leaves++;
	return 0;
}

static const struct ptb_walk_ops ptb_count_ops = { .entry = ptb_count_entry };

/*
 * Read through a volatile: the compiler cannot know which ops it calls, as
 * walk_page_range() cannot, so every call stays indirect.
 */
static const struct ptb_walk_ops *volatile ptb_ops = &ptb_count_ops;

static inline int ptb_cb_pte_range(u64 pmd, unsigned long addr,
				   unsigned long end, struct ptb_walk *walk)
{
	u64 *pte = ptb_table(pmd) + ptb_slot(addr, 0);
	int err;

	do {
		err = walk->ops->entry(pte, addr, addr + PTB_PAGE_SIZE, walk);
		if (err)
			break;
	} while (pte++, addr += PTB_PAGE_SIZE, addr != end);
	return err;
}

static inline int ptb_cb_pmd_range(u64 pud, unsigned long addr,
				   unsigned long end, struct ptb_walk *walk)
{
	u64 *pmd = ptb_table(pud) + ptb_slot(addr, 1);
	unsigned long next;
	int err = 0;

	do {
		u64 e = READ_ONCE(*pmd);

		next = ptb_addr_end(addr, end, PTB_PMD_SIZE);
		if (!e)
			continue;
		if (!ptb_is_table(e))
			err = walk->ops->entry(pmd, addr, next, walk);
		else
			err = ptb_cb_pte_range(e, addr, next, walk);
		if (err)
			break;
	} while (pmd++, addr = next, addr != end);
	return err;
}

#if PTB_LEVELS == 4
static inline int ptb_cb_pud_range(u64 pgd, unsigned long addr,
				   unsigned long end, struct ptb_walk *walk)
{
	u64 *pud = ptb_table(pgd) + ptb_slot(addr, 2);
	unsigned long next;
	int err = 0;

	do {
		u64 e = READ_ONCE(*pud);

		next = ptb_addr_end(addr, end, PTB_PUD_SIZE);
		if (!e)
			continue;
		if (!ptb_is_table(e))
			err = walk->ops->entry(pud, addr, next, walk);
		else
			err = ptb_cb_pmd_range(e, addr, next, walk);
		if (err)
			break;
	} while (pud++, addr = next, addr != end);
	return err;
}
#define ptb_cb_pgd_lower	ptb_cb_pud_range
#else
#define ptb_cb_pgd_lower	ptb_cb_pmd_range
#endif

static noinline unsigned long ptb_walk_callback(u64 *root, unsigned long start,
						unsigned long end)
{
	struct ptb_count c = { 0 };
	struct ptb_walk walk = { .ops = ptb_ops, .private = &c };
	u64 *pgd = root + ptb_slot(start, PTB_LEVELS - 1);
	unsigned long addr = start, next;
	int err = 0;

	do {
		u64 e = READ_ONCE(*pgd);

		next = ptb_addr_end(addr, end, PTB_PGDIR_SIZE);
		if (!e)
			continue;
		if (!ptb_is_table(e))
			err = walk.ops->entry(pgd, addr, next, &walk);
		else
			err = ptb_cb_pgd_lower(e, addr, next, &walk);
		if (err)
			return ~0UL;
	} while (pgd++, addr = next, addr != end);
	return c.leaves;
}

/* --- Measuring ------------------------------------------------------------- */

/* Nothing but the call: what the bracketing of a measurement costs. */
static noinline unsigned long ptb_walk_none(u64 *root, unsigned long start,
					    unsigned long end)
{
	return 0;
}

struct ptb_walker {
	const char *name;
	unsigned long (*walk)(u64 *root, unsigned long start, unsigned long end);
};

static const struct ptb_walker ptb_walkers[] = {
	{ "descent", ptb_walk_descent },
	{ "descent-entry", ptb_walk_descent_entry },
	{ "cascade", ptb_walk_cascade },
	{ "callback", ptb_walk_callback },
};

/*
 * One instrumented walk, dumped on its own as "geometry layout walker
 * entries"; pt_bench.sh reads the tag back from the dump.
 */
static unsigned long ptb_measure(const char *layout,
				 const struct ptb_walker *w, u64 *root,
				 unsigned long start, unsigned long end)
{
	char tag[128];
	unsigned long n;

	CALLGRIND_ZERO_STATS;
	CALLGRIND_START_INSTRUMENTATION;
	n = w->walk(root, start, end);
	CALLGRIND_STOP_INSTRUMENTATION;
	snprintf(tag, sizeof(tag), "%s %s %s %lu", PTB_NAME, layout, w->name, n);
	CALLGRIND_DUMP_STATS_AT(tag);
	printf("%s\n", tag);
	return n;
}

struct ptb_layout {
	const char *name;
	unsigned long start;
	unsigned long end;
	unsigned long leaves;
	unsigned long (*va)(unsigned long base, unsigned long i);
};

/* 65536 pages in a row: full PTE tables, nothing but leaves to visit. */
static unsigned long ptb_dense_va(unsigned long base, unsigned long i)
{
	return base + (i << PTB_PAGE_SHIFT);
}

/*
 * 256 pages, each alone in its PTE table, 16 PTE tables to a PMD table in
 * every other entry of the level above: holes at every level.
 */
static unsigned long ptb_sparse_va(unsigned long base, unsigned long i)
{
	return base + ((i / 16 * 2) << (PTB_PAGE_SHIFT + 2 * PTB_BITS)) +
	       ((i % 16 * 32) << PTB_PMD_SHIFT) +
	       (((i * 37) % PTB_PTRS) << PTB_PAGE_SHIFT);
}

static void ptb_run_layout(struct ptb_layout *lay)
{
	u64 *root = ptb_alloc_table(PTB_LEVELS - 1);
	unsigned long i, n;
	size_t w;

	for (i = 0; i < lay->leaves; i++)
		ptb_map(root, lay->va(lay->start, i), (i + 1) << PTB_PAGE_SHIFT);

	/* Outside the measurement: every walker counts every leaf. */
	for (w = 0; w < ARRAY_SIZE(ptb_walkers); w++) {
		n = ptb_walkers[w].walk(root, lay->start, lay->end);
		if (n != lay->leaves)
			ptb_die(ptb_walkers[w].name, n, lay->leaves);
	}
	for (w = 0; w < ARRAY_SIZE(ptb_walkers); w++) {
		n = ptb_measure(lay->name, &ptb_walkers[w], root, lay->start,
				lay->end);
		if (n != lay->leaves)
			ptb_die(ptb_walkers[w].name, n, lay->leaves);
	}
	ptb_free_table(root, PTB_LEVELS - 1);
}

int main(void)
{
	/* Away from 0, in the second entry of the root, as user memory is. */
	const unsigned long base = PTB_PGDIR_SIZE;
	struct ptb_layout layouts[] = {
		{ "dense", base, base + (65536UL << PTB_PAGE_SHIFT), 65536,
		  ptb_dense_va },
		{ "sparse", base,
		  base + (32UL << (PTB_PAGE_SHIFT + 2 * PTB_BITS)), 256,
		  ptb_sparse_va },
	};
	const struct ptb_walker none = { "baseline", ptb_walk_none };
	size_t l;

	ptb_measure("-", &none, NULL, 0, 0);
	for (l = 0; l < ARRAY_SIZE(layouts); l++)
		ptb_run_layout(&layouts[l]);
	if (shim_warnings)
		ptb_die("the descent warned", shim_warnings, 0);
	return 0;
}
