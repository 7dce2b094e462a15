/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Geometry test cases for the level-generic descent, shared by the KUnit
 * suite (pt_geom_kunit.c) and the userspace harness (tests/user/), so both
 * run the very same checks.
 *
 * The includer provides, before including this file:
 *   PTG_CTX                     type of the harness context (struct kunit)
 *   PTG_FAIL(ctx, fmt, ...)     record a failure
 *   ptg_zalloc(size), ptg_free(p)  zeroed, 16-byte aligned memory
 * and PT_LEVEL_OPS_HEADER "pt_geom_levels.h", then <linux/pt_descent.h>.
 *
 * The tables are built, and every address translated, by code that uses
 * only struct pt_geom arithmetic (the "oracle"), never the level-ops, so a
 * wrong level-op makes the descent disagree with the oracle.
 */
#ifndef _PT_GEOM_CASES_H
#define _PT_GEOM_CASES_H

/* x86_64 and every arm64 granule x VA size, plus two sixth levels. */
static const struct pt_geom ptg_geoms[] = {
	{ "x86_64-4level",   12,  9,  9, 4, 0x7, { 0 } },
	{ "x86_64-5level",   12,  9,  9, 5, 0x7, { 0 } },
	{ "arm64-4K-39",     12,  9,  9, 3, 0x7, { 4, 4 } },
	{ "arm64-4K-48",     12,  9,  9, 4, 0x7, { 4, 4 } },
	{ "arm64-4K-52",     12,  9,  4, 5, 0x7, { 4, 4 } },
	{ "arm64-16K-36",    14, 11, 11, 2, 0x3, { 7, 5 } },
	{ "arm64-16K-47",    14, 11, 11, 3, 0x3, { 7, 5 } },
	{ "arm64-16K-48",    14, 11,  1, 4, 0x3, { 7, 5 } },
	{ "arm64-64K-42",    16, 13, 13, 2, 0x3, { 5, 5 } },
	{ "arm64-64K-48",    16, 13,  6, 3, 0x3, { 5, 5 } },
	{ "arm64-64K-52",    16, 13, 10, 3, 0x3, { 5, 5 } },
	/* 4K, 9 bits, and a 7-bit sixth level: all 64 address bits. */
	{ "sixth-4K-64bit",  12,  9,  7, 6, 0xf, { 4 } },
	/* 8 bits per level: 60-bit VA, leaves up to the fourth level. */
	{ "sixth-8bit-60",   12,  8,  8, 6, 0xf, { 4, 0, 2 } },
};

#define PTG_MAX_LEAVES	512

/* A leaf the oracle knows about: [va, va + size) maps oa. */
struct ptg_leaf {
	unsigned long va;
	unsigned long size;
	unsigned long oa;
	unsigned int lvl;
	bool cont;
	bool swap;
};

/* One visit as the descent reported it. */
struct ptg_rec {
	unsigned long addr;
	unsigned long next;
	unsigned long nr;
	u64 entry;
	unsigned int lvl;
	enum pt_visit_kind kind;
};

struct ptg_run {
	PTG_CTX *ctx;
	const struct pt_geom *g;
	u64 *root;
	u64 rng;
	unsigned long checks;
	bool failed;
	struct ptg_leaf leaves[PTG_MAX_LEAVES];
	unsigned int nr_leaves;
	struct ptg_rec *rec;
	unsigned int nr_rec;
	unsigned int max_rec;
	/* Runs of plain leaves PT_DEFINE_DESCENT_RUNS() merged, in all. */
	unsigned long merged;
};

/* Count a check; report the first failure of a run, with its place. */
#define PTG_CHECK(r, cond, fmt, ...) ({					\
	struct ptg_run *__r = (r);					\
	bool __ok = (cond);						\
									\
	__r->checks++;							\
	if (!__ok && !__r->failed) {					\
		__r->failed = true;					\
		PTG_FAIL(__r->ctx, "%s: %s:%d: " fmt, __r->g->name,	\
			 __func__, __LINE__, ##__VA_ARGS__);		\
	}								\
	__ok;								\
})

/* --- The oracle: plain arithmetic on struct pt_geom ---------------------- */

static unsigned int ptg_shift(const struct pt_geom *g, unsigned int lvl)
{
	unsigned int s = g->granule_lg2, i;

	for (i = 0; i < lvl; i++)
		s += g->bits;
	return s;
}

static unsigned long ptg_entries(const struct pt_geom *g, unsigned int lvl)
{
	return 1UL << (lvl == g->levels - 1U ? g->top_bits : g->bits);
}

static unsigned long ptg_slot(const struct pt_geom *g, unsigned long va,
			      unsigned int lvl)
{
	return (va >> ptg_shift(g, lvl)) % ptg_entries(g, lvl);
}

static unsigned int ptg_vabits(const struct pt_geom *g)
{
	return ptg_shift(g, g->levels - 1) + g->top_bits;
}

static u64 ptg_rand(struct ptg_run *r)
{
	/* xorshift64: deterministic per geometry, same in kernel and user. */
	r->rng ^= r->rng << 13;
	r->rng ^= r->rng >> 7;
	r->rng ^= r->rng << 17;
	return r->rng;
}

static u64 *ptg_alloc_table(struct ptg_run *r, unsigned int lvl)
{
	return ptg_zalloc(ptg_entries(r->g, lvl) * sizeof(u64));
}

static void ptg_free_table(struct ptg_run *r, u64 *table, unsigned int lvl)
{
	unsigned long i;

	if (!table)
		return;
	for (i = 0; lvl > 0 && i < ptg_entries(r->g, lvl); i++)
		if ((table[i] & PTG_VALID) && (table[i] & PTG_TABLE))
			ptg_free_table(r, (u64 *)(uintptr_t)(table[i] & ~PTG_FLAGS),
				       lvl - 1);
	ptg_free(table);
}

/* The entry of level @lvl for @va, creating tables above it as needed. */
static u64 *ptg_entry(struct ptg_run *r, unsigned long va, unsigned int lvl,
		      bool alloc)
{
	const struct pt_geom *g = r->g;
	u64 *table = r->root;
	unsigned int l;

	for (l = g->levels - 1; l > lvl; l--) {
		u64 *e = &table[ptg_slot(g, va, l)];

		if (!*e) {
			u64 *t;

			if (!alloc)
				return NULL;
			t = ptg_alloc_table(r, l - 1);
			if (!t)
				return NULL;
			*e = (u64)(uintptr_t)t | PTG_TABLE | PTG_VALID;
		}
		if (!(*e & PTG_TABLE))
			return NULL;
		table = (u64 *)(uintptr_t)(*e & ~PTG_FLAGS);
	}
	return &table[ptg_slot(g, va, lvl)];
}

static bool ptg_map(struct ptg_run *r, const struct ptg_leaf *leaf)
{
	unsigned long esz = 1UL << ptg_shift(r->g, leaf->lvl);
	unsigned long n = leaf->size / esz, i;
	u64 *e = ptg_entry(r, leaf->va, leaf->lvl, true);

	if (!PTG_CHECK(r, e && r->nr_leaves < PTG_MAX_LEAVES,
		       "cannot map %lx", leaf->va))
		return false;
	for (i = 0; i < n; i++) {
		/* An empty table left by unmapped smaller leaves goes away. */
		if (leaf->lvl && (e[i] & PTG_TABLE))
			ptg_free_table(r, (u64 *)(uintptr_t)(e[i] & ~PTG_FLAGS),
				       leaf->lvl - 1);
		e[i] = (leaf->oa + i * esz) |
		       (leaf->swap ? PTG_SWAP : PTG_VALID) |
		       (leaf->cont ? PTG_CONT : 0);
	}
	r->leaves[r->nr_leaves++] = *leaf;
	return true;
}

static void ptg_unmap(struct ptg_run *r, unsigned int idx)
{
	struct ptg_leaf *leaf = &r->leaves[idx];
	unsigned long esz = 1UL << ptg_shift(r->g, leaf->lvl);
	u64 *e = ptg_entry(r, leaf->va, leaf->lvl, false);
	unsigned long i;

	for (i = 0; e && i < leaf->size / esz; i++)
		e[i] = 0;
	*leaf = r->leaves[--r->nr_leaves];
}

/* Translate one address by reading the tables, level by level. */
static bool ptg_translate(struct ptg_run *r, unsigned long va,
			  unsigned int *lvl, unsigned long *oa)
{
	const struct pt_geom *g = r->g;
	u64 *table = r->root;
	int l;

	for (l = g->levels - 1; l >= 0; l--) {
		u64 e = table[ptg_slot(g, va, l)];

		if (!e)
			return false;
		if (l > 0 && (e & PTG_VALID) && (e & PTG_TABLE)) {
			table = (u64 *)(uintptr_t)(e & ~PTG_FLAGS);
			continue;
		}
		*lvl = l;
		*oa = (e & ~PTG_FLAGS) + (va & ((1UL << ptg_shift(g, l)) - 1));
		return true;
	}
	return false;
}

/* Does any known leaf overlap [va, last]? */
static bool ptg_overlaps(struct ptg_run *r, unsigned long va, unsigned long last)
{
	unsigned int i;

	for (i = 0; i < r->nr_leaves; i++) {
		const struct ptg_leaf *l = &r->leaves[i];

		if (l->va <= last && l->va + l->size - 1 >= va)
			return true;
	}
	return false;
}

static int ptg_leaf_at(struct ptg_run *r, unsigned long va)
{
	unsigned int i;

	for (i = 0; i < r->nr_leaves; i++)
		if (va - r->leaves[i].va < r->leaves[i].size)
			return i;
	return -1;
}

/* --- The descent under test ---------------------------------------------- */

static __always_inline int ptg_record(struct pt_descent *d,
				      const struct pt_visit *v)
{
	struct ptg_run *r = d->priv;

	if (r->nr_rec == r->max_rec)
		return -ENOSPC;
	r->rec[r->nr_rec++] = (struct ptg_rec){
		.addr = v->addr, .next = v->next, .nr = v->nr,
		.entry = v->entry.val, .lvl = v->ptp.lvl, .kind = v->kind,
	};
	return 0;
}

PT_DEFINE_DESCENT(ptg_descend, ptg_record)

/* Walk [start, end) (end 0: the top), re-rooting where a root table ends. */
static int ptg_walk(struct ptg_run *r, unsigned long start, unsigned long end,
		    unsigned int min_lvl)
{
	struct pt_descent d = {
		.addr = start, .end = end, .min_lvl = min_lvl, .priv = r,
	};
	int ret;

	pt_geom = r->g;
	r->nr_rec = 0;
	do {
		ret = ptg_descend(&d, ptg_root(r->root, d.addr));
	} while (!ret && d.addr != d.end);
	return ret;
}

/*
 * Check the recorded visits of a walk of [start, end) against the oracle:
 * they tile the range in order, every leaf is reported exactly once with
 * its level, size and output address, and every hole really is empty.
 */
static bool ptg_verify(struct ptg_run *r, unsigned long start,
		       unsigned long end, unsigned int min_lvl)
{
	unsigned long at = start;
	unsigned int i;

	for (i = 0; i < r->nr_rec; i++) {
		const struct ptg_rec *v = &r->rec[i];
		unsigned long esz = 1UL << ptg_shift(r->g, v->lvl);
		unsigned long vlast = v->next - 1;
		int li = ptg_leaf_at(r, v->addr);

		if (!PTG_CHECK(r, v->addr == at, "visit %u at %lx, expected %lx",
			       i, v->addr, at) ||
		    !PTG_CHECK(r, v->next - 1 >= v->addr && vlast - start <= end - 1 - start,
			       "visit %u [%lx, %lx) outside [%lx, %lx)",
			       i, v->addr, v->next, start, end) ||
		    !PTG_CHECK(r, v->nr == (vlast >> ptg_shift(r->g, v->lvl)) -
				   (v->addr >> ptg_shift(r->g, v->lvl)) + 1,
			       "visit %u nr %lu", i, v->nr))
			return false;
		switch (v->kind) {
		case PT_VISIT_NONE:
			if (!PTG_CHECK(r, !ptg_overlaps(r, v->addr, vlast),
				       "hole [%lx, %lx) holds a leaf", v->addr, v->next) ||
			    !PTG_CHECK(r, (v->addr & (esz - 1)) == 0 || v->addr == start,
				       "hole %lx unaligned at level %u", v->addr, v->lvl) ||
			    !PTG_CHECK(r, (v->next & (esz - 1)) == 0 || v->next == end,
				       "hole end %lx unaligned at level %u", v->next, v->lvl))
				return false;
			break;
		case PT_VISIT_LEAF: {
			const struct ptg_leaf *l = li >= 0 ? &r->leaves[li] : NULL;
			unsigned long lend, first;

			if (!PTG_CHECK(r, l, "leaf at %lx unknown to the oracle", v->addr))
				return false;
			lend = l->va + l->size;
			first = v->addr & ~(esz - 1);
			if (!PTG_CHECK(r, v->lvl == l->lvl, "leaf %lx at level %u, mapped at %u",
				       v->addr, v->lvl, l->lvl) ||
			    !PTG_CHECK(r, v->next == (lend - 1 < end - 1 ? lend : end),
				       "leaf %lx ends at %lx, mapped to %lx",
				       v->addr, v->next, lend) ||
			    !PTG_CHECK(r, (v->entry & ~PTG_FLAGS) == l->oa + (first - l->va),
				       "leaf %lx output %llx, expected %lx", v->addr,
				       (unsigned long long)(v->entry & ~PTG_FLAGS),
				       l->oa + (first - l->va)) ||
			    !PTG_CHECK(r, !(v->entry & PTG_VALID) == l->swap,
				       "leaf %lx presence", v->addr))
				return false;
			break;
		}
		case PT_VISIT_BAD:
			/* Synthetic tables hold no corrupt entries. */
			PTG_CHECK(r, false, "bad entry at %lx, level %u", v->addr, v->lvl);
			return false;
		case PT_VISIT_TABLE:
			if (!PTG_CHECK(r, v->lvl == min_lvl && min_lvl > 0,
				       "table visit at level %u, min %u", v->lvl, min_lvl))
				return false;
			break;
		}
		if (!PTG_CHECK(r, v->lvl >= min_lvl, "visit below min level"))
			return false;
		at = v->next;
	}
	if (start == end)
		return PTG_CHECK(r, r->nr_rec == 0, "empty range visited");
	return PTG_CHECK(r, at == end, "walk stopped at %lx, end %lx", at, end);
}

/* --- The descent that merges runs of plain leaves ----------------------- */

/* A plain leaf: present and not part of a contiguous block. */
static bool ptg_rec_plain(const struct ptg_run *r, const struct ptg_rec *v)
{
	return v->kind == PT_VISIT_LEAF && (v->entry & PTG_VALID) &&
	       !((v->entry & PTG_CONT) && r->g->cont_lg2[v->lvl]);
}

/* Does a table of level @lvl start at @va?  A run never crosses one. */
static bool ptg_table_start(const struct ptg_run *r, unsigned long va,
			    unsigned int lvl)
{
	unsigned int s = lvl + 1U < r->g->levels ? ptg_shift(r->g, lvl + 1) :
			 ptg_vabits(r->g);

	return s < 64 && !(va & ((1UL << s) - 1));
}

struct ptg_runs_state {
	struct ptg_run *r;
	unsigned int at;
};

/*
 * Each visit must be the next visit of the walk ptg_walk() recorded, merged
 * with the plain leaves that follow it in its table when it is one.
 */
static __always_inline int ptg_check_run(struct pt_descent *d,
					 const struct pt_visit *v)
{
	struct ptg_runs_state *st = d->priv;
	struct ptg_run *r = st->r;
	const struct ptg_rec *n;
	struct ptg_rec want;

	if (!PTG_CHECK(r, st->at < r->nr_rec, "run visit at %lx after the last",
		       v->addr))
		return -EINVAL;
	want = r->rec[st->at++];
	for (; ptg_rec_plain(r, &want) && st->at < r->nr_rec; st->at++) {
		n = &r->rec[st->at];
		if (!ptg_rec_plain(r, n) || n->lvl != want.lvl ||
		    n->addr != want.next || ptg_table_start(r, n->addr, n->lvl))
			break;
		want.next = n->next;
		want.nr += n->nr;
	}
	r->merged += want.nr > 1 && ptg_rec_plain(r, &want);
	if (!PTG_CHECK(r, v->addr == want.addr && v->next == want.next &&
		       v->nr == want.nr && v->entry.val == want.entry &&
		       v->ptp.lvl == want.lvl && v->kind == want.kind,
		       "run visit [%lx, %lx) nr %lu kind %d, expected [%lx, %lx) nr %lu kind %d",
		       v->addr, v->next, v->nr, v->kind, want.addr, want.next,
		       want.nr, want.kind))
		return -EINVAL;
	return 0;
}

PT_DEFINE_DESCENT_RUNS(ptg_descend_runs, ptg_check_run)

/* Walk again with runs merged: the visits ptg_walk() recorded, merged. */
static bool ptg_verify_runs(struct ptg_run *r, unsigned long start,
			    unsigned long end, unsigned int min_lvl)
{
	struct ptg_runs_state st = { .r = r };
	struct pt_descent d = {
		.addr = start, .end = end, .min_lvl = min_lvl, .priv = &st,
	};
	int ret;

	do {
		ret = ptg_descend_runs(&d, ptg_root(r->root, d.addr));
	} while (!ret && d.addr != d.end);
	return PTG_CHECK(r, ret == 0, "runs walk [%lx, %lx) returned %d",
			 start, end, ret) &&
	       PTG_CHECK(r, st.at == r->nr_rec, "runs walk ended at visit %u of %u",
			 st.at, r->nr_rec);
}

static bool ptg_walk_verify(struct ptg_run *r, unsigned long start,
			    unsigned long end, unsigned int min_lvl)
{
	int ret = ptg_walk(r, start, end, min_lvl);

	return PTG_CHECK(r, ret == 0, "walk [%lx, %lx) returned %d", start, end, ret) &&
	       ptg_verify(r, start, end, min_lvl) &&
	       ptg_verify_runs(r, start, end, min_lvl);
}

/* --- Fixture --------------------------------------------------------------- */

static bool ptg_init(struct ptg_run *r, PTG_CTX *ctx, const struct pt_geom *g)
{
	r->ctx = ctx;
	r->g = g;
	r->rng = 0x9e3779b97f4a7c15ULL ^ (g->granule_lg2 * 131 + g->levels * 7 +
					  g->top_bits);
	r->nr_leaves = 0;
	r->failed = false;
	r->checks = 0;
	r->max_rec = 1U << 17;
	r->rec = ptg_zalloc(r->max_rec * sizeof(*r->rec));
	r->root = ptg_alloc_table(r, g->levels - 1);
	pt_geom = g;
	return PTG_CHECK(r, r->rec && r->root, "out of memory");
}

static void ptg_fini(struct ptg_run *r)
{
	ptg_free_table(r, r->root, r->g->levels - 1);
	ptg_free(r->rec);
}

static unsigned long ptg_top_span_shift(const struct pt_geom *g)
{
	return ptg_shift(g, g->levels - 1);
}

/* --- Cases ------------------------------------------------------------------ */

/* Level sizes tile the address space: no gap, no overlap, no overflow. */
static void ptg_case_tiling(struct ptg_run *r)
{
	const struct pt_geom *g = r->g;
	unsigned int l, vab = ptg_vabits(g), i;

	PTG_CHECK(r, vab <= 64, "%u VA bits", vab);
	for (l = 0; l < g->levels; l++) {
		PTG_CHECK(r, pt_lvl_shift(l) == ptg_shift(g, l), "shift of level %u: %u",
			  l, pt_lvl_shift(l));
		PTG_CHECK(r, (1UL << pt_lvl_index_bits(l)) == ptg_entries(g, l),
			  "entries of level %u", l);
		if (l + 1 < g->levels)
			PTG_CHECK(r, pt_lvl_size(l) << pt_lvl_index_bits(l) == pt_lvl_size(l + 1),
				  "level %u does not tile level %u", l, l + 1);
	}
	/* The root table spans exactly the VA size; at 64 bits, all of it. */
	l = g->levels - 1;
	PTG_CHECK(r, pt_lvl_shift(l) + pt_top_index_bits(l) == vab, "root span");
	for (i = 0; i < 256; i++) {
		unsigned long a = ptg_rand(r);

		for (l = 0; l < g->levels; l++) {
			unsigned long sz = 1UL << ptg_shift(g, l);
			unsigned long up = (a & ~(sz - 1)) + sz;

			PTG_CHECK(r, pt_addr_end(a, 0, l) == up, "addr_end(%lx, %u)", a, l);
			PTG_CHECK(r, pt_addr_end(a, a + 1, l) == a + 1 || a + 1 == 0,
				  "addr_end clamps");
			PTG_CHECK(r, pt_index(a, l) == ptg_slot(g, a, l), "index(%lx, %u)", a, l);
		}
	}
	/* The last entry of the address space ends at 0, never at 1 << 64. */
	PTG_CHECK(r, pt_addr_end(~0UL, 0, g->levels - 1) == 0, "top addr_end");
	PTG_CHECK(r, pt_span_end(~0UL - 5, 0, 64) == 0, "span_end(64)");
	PTG_CHECK(r, pt_nr_entries(~0UL - (1UL << g->granule_lg2) + 1, 0, 0) == 1,
		  "nr_entries of the last page");
}

/* A leaf of every size at every leaf-capable level is found exactly once. */
static void ptg_case_leaf_sizes(struct ptg_run *r)
{
	const struct pt_geom *g = r->g;
	unsigned int l, variant;

	for (l = 0; l < g->levels; l++) {
		if (!(g->leaf_levels & (1U << l)))
			continue;
		for (variant = 0; variant < 3; variant++) {
			bool cont = variant == 1, swap = variant == 2;
			unsigned long esz = 1UL << ptg_shift(g, l);
			unsigned long size = cont ? esz << g->cont_lg2[l] : esz;
			unsigned long top = 1UL << ptg_top_span_shift(g);
			unsigned long va, win, found = 0;
			unsigned int i;
			struct ptg_leaf leaf;

			if (cont && !g->cont_lg2[l])
				continue;
			if (size > top / 2 && l + 1 < g->levels)
				continue;
			/* Somewhere inside the second half of a root entry. */
			va = (top + (ptg_rand(r) & (top - 1)) / 2 + top / 2) & ~(size - 1);
			va &= ptg_vabits(g) < 64 ? (1UL << ptg_vabits(g)) - 1 : ~0UL;
			leaf = (struct ptg_leaf){ .va = va, .size = size, .lvl = l,
				.oa = (ptg_rand(r) << 20) & ~(size - 1) & ((1UL << 52) - 1),
				.cont = cont, .swap = swap };
			if (!ptg_map(r, &leaf))
				return;
			win = va & ~(top - 1);
			if (!ptg_walk_verify(r, win, win + top, 0))
				return;
			for (i = 0; i < r->nr_rec; i++)
				if (r->rec[i].kind == PT_VISIT_LEAF)
					found++;
			PTG_CHECK(r, found == 1, "level %u %s%sleaf found %lu times",
				  l, cont ? "cont " : "", swap ? "swap " : "", found);
			ptg_unmap(r, 0);
		}
	}
}

/*
 * One smallest page mapped: every level has empty entries all around the
 * path to it, each reported once, in runs, with exactly their span.
 */
static void ptg_case_holes(struct ptg_run *r)
{
	const struct pt_geom *g = r->g;
	unsigned int top = g->levels - 1, l, i;
	unsigned long per_lvl[PT_MAX_LEVELS] = { 0 };
	unsigned long va = (ptg_rand(r) & ((1UL << ptg_shift(g, top)) - 1) &
			    ~((1UL << g->granule_lg2) - 1)) + (1UL << ptg_shift(g, top));
	struct ptg_leaf leaf = { .va = va, .lvl = 0, .oa = 0x40000000UL,
				 .size = 1UL << g->granule_lg2 };
	unsigned long span = 2UL << ptg_shift(g, top);

	if (!ptg_map(r, &leaf))
		return;
	/* The first two root entries: one empty, one holding the page. */
	if (!ptg_walk_verify(r, 0, span, 0))
		return;
	for (i = 0; i < r->nr_rec; i++) {
		const struct ptg_rec *v = &r->rec[i];

		if (v->kind != PT_VISIT_NONE)
			continue;
		per_lvl[v->lvl] += v->nr;
		PTG_CHECK(r, v->next - v->addr == v->nr << ptg_shift(g, v->lvl),
			  "hole [%lx, %lx) is not %lu level-%u entries",
			  v->addr, v->next, v->nr, v->lvl);
		/* A run of empty entries is one visit: never two in a row. */
		PTG_CHECK(r, !i || r->rec[i - 1].kind != PT_VISIT_NONE ||
			  r->rec[i - 1].lvl != v->lvl,
			  "hole at %lx not merged with the one before", v->addr);
	}
	for (l = 0; l < top; l++)
		PTG_CHECK(r, per_lvl[l] == ptg_entries(g, l) - 1,
			  "%lu empty entries at level %u", per_lvl[l], l);
	PTG_CHECK(r, per_lvl[top] == 1, "%lu empty root entries", per_lvl[top]);
	/* Holes must also come back when the walk starts inside one. */
	ptg_walk_verify(r, 1UL << g->granule_lg2, va + 1, 0);
}

/* Start and end anywhere, not even page-aligned. */
static void ptg_case_unaligned(struct ptg_run *r)
{
	const struct pt_geom *g = r->g;
	unsigned long base = 3UL << ptg_shift(g, 1), esz = 1UL << g->granule_lg2;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		struct ptg_leaf leaf = { .va = base + i * 3 * esz, .size = esz,
					 .oa = (i + 1) * esz * 16, .lvl = 0 };

		if (!ptg_map(r, &leaf))
			return;
	}
	for (i = 0; i < 64; i++) {
		unsigned long s = base - esz + (ptg_rand(r) % (30 * esz));
		unsigned long e = s + 1 + ptg_rand(r) % (30 * esz);

		if (!ptg_walk_verify(r, s, e, 0))
			return;
	}
}

/* The last page of the address space: its end wraps to 0. */
static void ptg_case_last_entry(struct ptg_run *r)
{
	const struct pt_geom *g = r->g;
	unsigned long esz = 1UL << g->granule_lg2;
	unsigned long top = 1UL << ptg_top_span_shift(g);
	struct ptg_leaf leaf = { .va = -esz, .size = esz, .oa = 0x1000000UL,
				 .lvl = 0 };

	if (!ptg_map(r, &leaf))
		return;
	if (!ptg_walk_verify(r, -top, 0, 0))
		return;
	PTG_CHECK(r, r->nr_rec && r->rec[r->nr_rec - 1].kind == PT_VISIT_LEAF &&
		  r->rec[r->nr_rec - 1].next == 0, "last visit does not end at 0");
	if (!ptg_walk_verify(r, -esz, 0, 0))
		return;
	PTG_CHECK(r, r->nr_rec == 1, "%u visits of the last page", r->nr_rec);
}

/* An empty range visits nothing; min_lvl stops the descent above leaves. */
static void ptg_case_empty_and_min_lvl(struct ptg_run *r)
{
	const struct pt_geom *g = r->g;
	unsigned long esz = 1UL << g->granule_lg2, span = 1UL << ptg_shift(g, 1);
	struct ptg_leaf leaf = { .va = 5 * span + 7 * esz, .size = esz,
				 .oa = 0x200000UL, .lvl = 0 };
	unsigned int i, tables = 0;

	if (!ptg_map(r, &leaf))
		return;
	ptg_walk_verify(r, leaf.va, leaf.va, 0);
	if (g->levels < 2 || !ptg_walk_verify(r, 4 * span, 7 * span, 1))
		return;
	for (i = 0; i < r->nr_rec; i++)
		tables += r->rec[i].kind == PT_VISIT_TABLE;
	PTG_CHECK(r, tables == 1, "%u table visits at level 1", tables);
}

/* >= 1000 random map/unmap operations checked against the oracle. */
static void ptg_case_random(struct ptg_run *r)
{
	const struct pt_geom *g = r->g;
	unsigned int top_leaf = 0, op, ops = 0, l, i;
	unsigned long win, base;

	for (l = 0; l < g->levels - 1U; l++)
		if (g->leaf_levels & (1U << l))
			top_leaf = l;
	/* Four entries of the largest leaf level, away from address 0. */
	win = 4UL << ptg_shift(g, top_leaf);
	base = win * 3;
	for (op = 0; ops < 1200 && op < 4000; op++) {
		unsigned long esz, size, va, oa;
		struct ptg_leaf leaf;
		bool cont, swap;
		int hit;

		do {
			l = ptg_rand(r) % (top_leaf + 1);
		} while (!(g->leaf_levels & (1U << l)));
		/* Smaller leaves are likelier, as in real address spaces. */
		if (l && ptg_rand(r) % 3)
			l = 0;
		esz = 1UL << ptg_shift(g, l);
		cont = g->cont_lg2[l] && ptg_rand(r) % 3 == 0;
		swap = !cont && ptg_rand(r) % 5 == 0;
		size = cont ? esz << g->cont_lg2[l] : esz;
		/*
		 * Four slots per level above the leaf keep the tables, and
		 * the walk over them, small while leaves of every level meet.
		 */
		va = base + (ptg_rand(r) % (l == top_leaf ? 4 : ptg_entries(g, l)) <<
			     ptg_shift(g, l));
		for (i = l + 1; i <= top_leaf; i++)
			va += (ptg_rand(r) % 4) << ptg_shift(g, i);
		va &= ~(size - 1);
		if (va + size > base + win)
			continue;
		hit = ptg_leaf_at(r, va);
		if (hit < 0)
			hit = ptg_leaf_at(r, va + size - 1);
		if (hit < 0) {
			/* Mapping over smaller leaves is not what we test. */
			for (i = 0; i < r->nr_leaves; i++)
				if (r->leaves[i].va - va < size)
					hit = i;
		}
		ops++;
		if (hit >= 0) {
			ptg_unmap(r, hit);
		} else if (r->nr_leaves < PTG_MAX_LEAVES) {
			oa = (ptg_rand(r) << 16) & ~(size - 1) & ((1UL << 52) - 1);
			leaf = (struct ptg_leaf){ .va = va, .size = size, .oa = oa,
						  .lvl = l, .cont = cont, .swap = swap };
			if (!ptg_map(r, &leaf))
				return;
		}
		if (op % 250 == 249 && !ptg_walk_verify(r, base, base + win, 0))
			return;
		/* And one address translated on its own, against the walk. */
		va = base + ptg_rand(r) % win;
		if (!ptg_walk(r, va, va + 1, 0)) {
			unsigned long oa2 = 0;
			unsigned int tl = 0;
			bool mapped = ptg_translate(r, va, &tl, &oa2);
			const struct ptg_rec *v = &r->rec[0];
			bool leaf = v->kind == PT_VISIT_LEAF;

			if (!PTG_CHECK(r, r->nr_rec == 1, "%u visits of one byte", r->nr_rec) ||
			    !PTG_CHECK(r, mapped == leaf,
				       "translate %lx: mapped %d, visit kind %d",
				       va, mapped, v->kind))
				return;
			if (mapped && !PTG_CHECK(r, tl == v->lvl &&
						 oa2 == (v->entry & ~PTG_FLAGS) +
							(va & ((1UL << ptg_shift(g, tl)) - 1)),
						 "translate %lx: level %u/%u", va, tl, v->lvl))
				return;
		}
	}
	ptg_walk_verify(r, base, base + win, 0);
	PTG_CHECK(r, ops >= 1000, "only %u map/unmap operations", ops);
}

/*
 * Runs of plain leaves, each one visit with PT_DEFINE_DESCENT_RUNS(): cut
 * by a swap entry, a contiguous block and the end of a table, at the PTE
 * and the PMD level, and entered in the middle.
 */
static void ptg_case_runs(struct ptg_run *r)
{
	const struct pt_geom *g = r->g;
	unsigned long esz = 1UL << g->granule_lg2, t = 1UL << ptg_shift(g, 1);
	unsigned long base = 2 * t, e = ptg_entries(g, 0), blk = 0;
	struct ptg_leaf leaf;
	unsigned int i;

	/* Pages 0-8 with a swap entry at 5; e - 2 to e + 1 across two tables. */
	for (i = 0; i < 13; i++) {
		leaf = (struct ptg_leaf){ .va = base + (i < 9 ? i : e - 11 + i) * esz,
					  .size = esz, .oa = (i + 1) * esz * 8,
					  .lvl = 0, .swap = i == 5 };
		if (!ptg_map(r, &leaf))
			return;
	}
	/* 128 entries in: aligned for every block size of ptg_geoms[]. */
	if (g->cont_lg2[0]) {
		blk = 1UL << g->cont_lg2[0];
		leaf = (struct ptg_leaf){ .va = base + 128 * esz, .size = blk * esz,
					  .oa = 0x1000 * esz, .lvl = 0, .cont = true };
		if (!ptg_map(r, &leaf))
			return;
	}
	for (i = 0; i < 2; i++) {
		leaf = (struct ptg_leaf){ .va = base + (128 + blk + i) * esz,
					  .size = esz, .oa = (0x200 + i) * esz,
					  .lvl = 0 };
		if (!ptg_map(r, &leaf))
			return;
		leaf = (struct ptg_leaf){ .va = (8 + i) * t, .size = t,
					  .oa = (16 + i) * t, .lvl = 1 };
		if ((g->leaf_levels & 2) && !ptg_map(r, &leaf))
			return;
	}
	/* [0, 5), [6, 9), after the block, either side of the table end. */
	r->merged = 0;
	if (!ptg_walk_verify(r, t, 10 * t, 0))
		return;
	PTG_CHECK(r, r->merged == 5 + !!(g->leaf_levels & 2),
		  "%lu runs merged", r->merged);
	/* Entered in the middle of a run, left in the middle of another. */
	r->merged = 0;
	if (!ptg_walk_verify(r, base + 2 * esz + 1, base + 7 * esz + 5, 0))
		return;
	PTG_CHECK(r, r->merged == 2, "%lu runs merged in part", r->merged);
}

struct ptg_case {
	const char *name;
	void (*fn)(struct ptg_run *r);
};

static const struct ptg_case ptg_cases[] = {
	{ "tiling", ptg_case_tiling },
	{ "leaf_sizes", ptg_case_leaf_sizes },
	{ "holes", ptg_case_holes },
	{ "unaligned", ptg_case_unaligned },
	{ "last_entry", ptg_case_last_entry },
	{ "empty_and_min_lvl", ptg_case_empty_and_min_lvl },
	{ "random", ptg_case_random },
	{ "runs", ptg_case_runs },
};

/* Run one case on one geometry; returns the number of checks made. */
static unsigned long ptg_run_case(PTG_CTX *ctx, const struct pt_geom *g,
				  void (*fn)(struct ptg_run *r), bool *failed)
{
	struct ptg_run *r = ptg_zalloc(sizeof(*r));
	unsigned long checks;

	if (!r) {
		*failed = true;
		return 0;
	}
	if (ptg_init(r, ctx, g))
		fn(r);
	ptg_fini(r);
	checks = r->checks;
	*failed = r->failed;
	ptg_free(r);
	return checks;
}

#endif /* _PT_GEOM_CASES_H */
