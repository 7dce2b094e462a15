// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the level-generic descent against the oracle of
 * tests/kunit/pt_geom_cases.h, on tables the input shapes.
 *
 * The fixed cases place leaves where their authors thought of putting them;
 * here the input picks the geometry, a sequence of map and unmap operations
 * (level, contiguous block, swap, and the slot at every level) and the ranges
 * to walk, unaligned starts and ends, the top of the address space (end 0)
 * included.  Every walk is checked with the shared ptg_verify(), and
 * against PT_DEFINE_DESCENT_RUNS() with ptg_verify_runs(), single bytes
 * with ptg_translate(), and every walk is repeated stopped at an
 * input-chosen visit and resumed, which must give the very same visits.
 *
 * Input layout, each field one byte, a missing byte reads as 0:
 *   geometry, window (bit 0: the top copy of the address space), seed,
 *   then ops until the input ends or FZ_MAX_OPS:
 *   op % 5 == 0, 1  map:   level, flags (1 cont, 2 swap), slot per level
 *                          from the top down to the leaf's level
 *   op % 5 == 2     unmap: which leaf
 *   op % 5 == 3     walk:  start (address), end mode, [end], min level,
 *                          visit to stop at; by end mode % 4, the end is
 *                          0: the window's end, 1: the start (empty walk),
 *                          2: a length byte, (len + 1) / 16 entries of
 *                          level (mode / 4) % levels, 3: an address
 *                          (swapped with the start if below it)
 *   op % 5 == 4     translate one byte: address
 * An address is one slot byte per level, top first, then an offset byte.
 *
 * Build and run: make -C tests/user fuzz-run [FUZZ_SECONDS=60]
 */
#include <string.h>
#include <linux/types.h>

unsigned long shim_warnings;

struct ptg_fuzz_ctx {
	int unused;
};

/* Any disagreement is a crash, which is how libFuzzer reports a finding. */
#define PTG_CTX struct ptg_fuzz_ctx
#define PTG_FAIL(ctx, fmt, ...) do {					\
	fprintf(stderr, "FAIL: " fmt "\n", ##__VA_ARGS__);		\
	abort();							\
} while (0)

static void *ptg_zalloc(size_t size)
{
	void *p = aligned_alloc(16, (size + 15) & ~(size_t)15);

	if (p)
		memset(p, 0, size);
	return p;
}

static void ptg_free(void *p)
{
	free(p);
}

#define PT_LEVEL_OPS_HEADER "pt_geom_levels.h"
#include <linux/pt_descent.h>
/* The fixed cases and their runner come along unused: the oracle is wanted. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "pt_geom_cases.h"
#pragma GCC diagnostic pop

/*
 * Bounds that keep one input to a few MB and milliseconds: at most 64 leaves
 * (so at most 64 tables per level), 32 walks, and 4096 visits per walk.  A
 * walk with more visits is checked up to where its record buffer filled.
 */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define FZ_MAX_OPS	256
#define FZ_MAX_LEAVES	64
#define FZ_MAX_WALKS	32
#define FZ_MAX_REC	4096

/* The visit the stop-and-resume walk stops at returns this. */
#define FZ_STOPPED	42

struct fz_in {
	const u8 *p;
	size_t n;
};

struct fz {
	struct ptg_run *r;
	struct fz_in in;
	/* The copy of the address space the leaves and walks live in. */
	unsigned long wbase;
	unsigned long wend;
	unsigned int walks;
	/* The stop-and-resume walk's own record of its visits. */
	struct ptg_rec *srec;
	unsigned int nr_srec;
	unsigned int stop_at;
	bool stopped;
};

static u8 fz_byte(struct fz *f)
{
	if (!f->in.n)
		return 0;
	f->in.n--;
	return *f->in.p++;
}

static void fz_check_warnings(struct fz *f)
{
	struct ptg_run *r = f->r;

	PTG_CHECK(r, !shim_warnings, "the descent warned");
}

/*
 * An address in the window: a slot at every level from the top down to
 * @lowest, counted from the start of the table (bit 7 clear) or from its end
 * (bit 7 set), so both edges of every table are in reach.
 */
static unsigned long fz_addr(struct fz *f, unsigned int lowest)
{
	const struct pt_geom *g = f->r->g;
	unsigned long a = f->wbase;
	int l;

	for (l = g->levels - 1; l >= (int)lowest; l--) {
		unsigned long n = ptg_entries(g, l);
		u8 b = fz_byte(f);
		unsigned long k = (b & 0x7f) % n;

		a += (b & 0x80 ? n - 1 - k : k) << ptg_shift(g, l);
	}
	return a;
}

/* An offset inside the smallest page: none, 1, the last byte, or any. */
static unsigned long fz_offset(struct fz *f)
{
	unsigned long esz = 1UL << f->r->g->granule_lg2;
	u8 b = fz_byte(f);

	switch (b & 3) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return esz - 1;
	default:
		return ((b >> 2) * 0x9e3779b1UL) & (esz - 1);
	}
}

/* Is @a before @b in the window?  Window-relative, so wrapping is fine. */
static bool fz_before(struct fz *f, unsigned long a, unsigned long b)
{
	return a - f->wbase < b - f->wbase;
}

static void fz_map(struct fz *f)
{
	struct ptg_run *r = f->r;
	const struct pt_geom *g = r->g;
	unsigned int l = fz_byte(f) % g->levels, i;
	u8 flags = fz_byte(f);
	unsigned long esz, size, va, last;
	struct ptg_leaf leaf;
	bool cont, swap;

	while (!(g->leaf_levels & (1U << l)))
		l--;
	esz = 1UL << ptg_shift(g, l);
	/* The oracle knows no non-present contiguous block: neither does mm. */
	cont = (flags & 1) && g->cont_lg2[l];
	swap = !cont && (flags & 2);
	size = cont ? esz << g->cont_lg2[l] : esz;
	va = fz_addr(f, l) & ~(size - 1);
	last = va + size - 1;

	/*
	 * Over a known leaf, unmap it instead: the oracle maps only into
	 * empty space, as ptg_case_random() does.
	 */
	for (i = 0; i < r->nr_leaves; i++) {
		const struct ptg_leaf *o = &r->leaves[i];

		if (o->va <= last && o->va + o->size - 1 >= va) {
			ptg_unmap(r, i);
			return;
		}
	}
	if (r->nr_leaves >= FZ_MAX_LEAVES)
		return;
	leaf = (struct ptg_leaf){
		.va = va, .size = size, .lvl = l, .cont = cont, .swap = swap,
		.oa = (ptg_rand(r) << 16) & ~(size - 1) & ((1UL << 52) - 1),
	};
	ptg_map(r, &leaf);
}

static void fz_unmap(struct fz *f)
{
	u8 b = fz_byte(f);

	if (f->r->nr_leaves)
		ptg_unmap(f->r, b % f->r->nr_leaves);
}

/* A walk of one byte must agree with the oracle's own translation. */
static void fz_translate(struct fz *f, unsigned long va)
{
	struct ptg_run *r = f->r;
	const struct pt_geom *g = r->g;
	const struct ptg_rec *v = &r->rec[0];
	unsigned long oa = 0;
	unsigned int tl = 0;
	bool mapped;
	int ret;

	ret = ptg_walk(r, va, va + 1, 0);
	fz_check_warnings(f);
	PTG_CHECK(r, !ret, "walk of %lx returned %d", va, ret);
	PTG_CHECK(r, r->nr_rec == 1, "%u visits of one byte at %lx", r->nr_rec, va);
	mapped = ptg_translate(r, va, &tl, &oa);
	PTG_CHECK(r, mapped == (v->kind == PT_VISIT_LEAF),
		  "translate %lx: mapped %d, visit kind %d", va, mapped, v->kind);
	if (mapped)
		PTG_CHECK(r, tl == v->lvl && oa == (v->entry & ~PTG_FLAGS) +
			  (va & ((1UL << ptg_shift(g, tl)) - 1)),
			  "translate %lx: level %u, walk level %u", va, tl, v->lvl);
}

/* Records every visit but one: the one it stops the walk at. */
static __always_inline int fz_stop_visit(struct pt_descent *d,
					 const struct pt_visit *v)
{
	struct fz *f = d->priv;

	/* Full first, as in ptg_record(), so both walks fill up alike. */
	if (f->nr_srec == FZ_MAX_REC)
		return -ENOSPC;
	if (!f->stopped && f->nr_srec == f->stop_at) {
		f->stopped = true;
		return FZ_STOPPED;
	}
	f->srec[f->nr_srec++] = (struct ptg_rec){
		.addr = v->addr, .next = v->next, .nr = v->nr,
		.entry = v->entry.val, .lvl = v->ptp.lvl, .kind = v->kind,
	};
	return 0;
}

PT_DEFINE_DESCENT(fz_descend_stop, fz_stop_visit)

/*
 * Walk again, stopped at visit @stop_at and resumed from where the descent
 * left d->addr: the visits must be those of the walk in one go, which
 * ptg_walk() just left in r->rec.
 */
static void fz_stop_resume(struct fz *f, unsigned long start, unsigned long end,
			   unsigned int min_lvl, unsigned int stop_at, int ret0)
{
	struct ptg_run *r = f->r;
	struct pt_descent d = {
		.addr = start, .end = end, .min_lvl = min_lvl, .priv = f,
	};
	unsigned int i;
	int ret;

	f->nr_srec = 0;
	f->stop_at = stop_at;
	f->stopped = false;
	do {
		ret = fz_descend_stop(&d, ptg_root(r->root, d.addr));
		if (ret == FZ_STOPPED) {
			PTG_CHECK(r, stop_at < r->nr_rec && d.addr == r->rec[stop_at].addr,
				  "stopped at visit %u with addr %lx", stop_at, d.addr);
			ret = 0;
		}
	} while (!ret && d.addr != d.end);
	fz_check_warnings(f);
	PTG_CHECK(r, ret == ret0, "resumed walk returned %d, not %d", ret, ret0);
	PTG_CHECK(r, f->stopped == (stop_at < r->nr_rec),
		  "visit %u of %u never came", stop_at, r->nr_rec);
	PTG_CHECK(r, f->nr_srec == r->nr_rec, "%u visits resumed, %u in one go",
		  f->nr_srec, r->nr_rec);
	for (i = 0; i < r->nr_rec; i++) {
		const struct ptg_rec *a = &r->rec[i], *b = &f->srec[i];

		PTG_CHECK(r, a->addr == b->addr && a->next == b->next &&
			  a->nr == b->nr && a->entry == b->entry &&
			  a->lvl == b->lvl && a->kind == b->kind,
			  "visit %u differs after stopping at %u", i, stop_at);
	}
}

static void fz_walk(struct fz *f, unsigned long start, unsigned long end,
		    unsigned int min_lvl, unsigned int stop_at)
{
	struct ptg_run *r = f->r;
	int ret;

	ret = ptg_walk(r, start, end, min_lvl);
	fz_check_warnings(f);
	if (ret == -ENOSPC) {
		/*
		 * Too many visits to record: the ones recorded tile
		 * [start, where they stopped), so check that much.
		 */
		PTG_CHECK(r, r->nr_rec == r->max_rec, "ENOSPC with %u visits", r->nr_rec);
		ptg_verify(r, start, r->rec[r->nr_rec - 1].next, min_lvl);
	} else {
		PTG_CHECK(r, !ret, "walk [%lx, %lx) returned %d", start, end, ret);
		ptg_verify(r, start, end, min_lvl);
		/* And the runs of plain leaves, merged by the runs descent. */
		ptg_verify_runs(r, start, end, min_lvl);
	}
	fz_stop_resume(f, start, end, min_lvl, stop_at % (r->nr_rec + 1), ret);
}

static void fz_walk_op(struct fz *f)
{
	const struct pt_geom *g = f->r->g;
	unsigned long start = fz_addr(f, 0) + fz_offset(f), end, len;
	u8 mode = fz_byte(f);
	unsigned int min_lvl, lvl;

	switch (mode % 4) {
	case 0:
		/* To the end of the window: 0 in the top one. */
		end = f->wend;
		break;
	case 1:
		end = start;
		break;
	case 2:
		/* A short walk: (b + 1) / 16 entries of some level. */
		lvl = (mode >> 2) % g->levels;
		len = ((fz_byte(f) + 1UL) << ptg_shift(g, lvl)) >> 4;
		/* wend - start is the room left; 0 when it is all 2^64. */
		if (len < f->wend - start || f->wend - start == 0)
			end = start + len;
		else
			end = f->wend;
		break;
	default:
		end = fz_addr(f, 0) + fz_offset(f);
		if (fz_before(f, end, start)) {
			unsigned long t = end;

			end = start;
			start = t;
		}
		break;
	}
	min_lvl = fz_byte(f) % g->levels;
	fz_walk(f, start, end, min_lvl, fz_byte(f));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct ptg_fuzz_ctx ctx = { 0 };
	struct fz f = { .in = { data, size } };
	const struct pt_geom *g;
	struct ptg_run *r;
	unsigned int ops, vab, i;
	bool high;
	u8 seed;

	g = &ptg_geoms[fz_byte(&f) % ARRAY_SIZE(ptg_geoms)];
	high = fz_byte(&f) & 1;
	seed = fz_byte(&f);

	/*
	 * As ptg_init(), but with a record buffer of FZ_MAX_REC: its 1 << 17
	 * records, allocated and zeroed for every input, made the fuzzer
	 * spend most of its time in the kernel mapping memory.
	 */
	r = ptg_zalloc(sizeof(*r));
	f.srec = ptg_zalloc(FZ_MAX_REC * sizeof(*f.srec));
	if (!r || !f.srec)
		abort();
	r->ctx = &ctx;
	r->g = g;
	r->rng = 0x9e3779b97f4a7c15ULL ^ (seed * 0x100000001b3ULL);
	r->max_rec = FZ_MAX_REC;
	r->rec = ptg_zalloc(FZ_MAX_REC * sizeof(*r->rec));
	r->root = ptg_alloc_table(r, g->levels - 1);
	if (!r->rec || !r->root)
		abort();
	f.r = r;
	pt_geom = g;
	shim_warnings = 0;

	/*
	 * Below 64 VA bits the root table repeats through the address space,
	 * but the oracle's leaves do not: keep everything in one copy, the
	 * first or (for end == 0) the last.
	 */
	vab = ptg_vabits(g);
	f.wbase = high && vab < 64 ? -(1UL << vab) : 0;
	f.wend = vab < 64 ? f.wbase + (1UL << vab) : 0;

	for (ops = 0; f.in.n && ops < FZ_MAX_OPS; ops++) {
		switch (fz_byte(&f) % 5) {
		case 0:
		case 1:
			fz_map(&f);
			break;
		case 2:
			fz_unmap(&f);
			break;
		case 3:
			if (f.walks++ < FZ_MAX_WALKS)
				fz_walk_op(&f);
			break;
		default:
			fz_translate(&f, fz_addr(&f, 0) + fz_offset(&f));
			break;
		}
	}

	/*
	 * Every leaf, at both ends, as the oracle mapped it, and walked with
	 * an entry of its level either side: the walks above mostly visit
	 * holes, as big tables are mostly empty.
	 */
	for (i = 0; i < r->nr_leaves; i++) {
		const struct ptg_leaf *l = &r->leaves[i];
		unsigned long esz = 1UL << ptg_shift(g, l->lvl);
		unsigned long lend = l->va + l->size, oa = 0;
		unsigned long start = l->va - f.wbase >= esz ? l->va - esz : f.wbase;
		unsigned long end = lend == f.wend || f.wend - lend <= esz ?
				    f.wend : lend + esz;
		unsigned int tl = 0;

		PTG_CHECK(r, ptg_translate(r, lend - 1, &tl, &oa) &&
			  tl == l->lvl && oa == l->oa + l->size - 1,
			  "oracle lost leaf %lx", l->va);
		fz_translate(&f, l->va);
		fz_translate(&f, lend - 1);
		fz_walk(&f, start, end, 0, seed + i);
	}
	fz_walk(&f, f.wbase, f.wend, 0, seed);

	ptg_fini(r);
	ptg_free(r);
	ptg_free(f.srec);
	return 0;
}
