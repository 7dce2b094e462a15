// SPDX-License-Identifier: GPL-2.0
/*
 * The TARGET process of ptw_stress and its MUTATOR threads, which churn
 * its address space while the parent's readers walk it: mmap, munmap,
 * mprotect and mremap of anonymous regions, madvise on THP-able regions,
 * fork children CoW-sharing pages, hugetlb 2M and 1G, THP splits and
 * collapses, migration between NUMA nodes, and tmpfs files truncated and
 * punched.  Each mutator checks that its data survives; the counts go to
 * the parent through the MAP_SHARED struct shared.
 */
#define _GNU_SOURCE
#include "ptw_stress.h"

/* include/uapi/linux/mempolicy.h */
#define PTW_MPOL_DEFAULT	0
#define PTW_MPOL_BIND		2
#define PTW_MPOL_MF_MOVE	(1 << 1)
#define PTW_MPOL_F_NODE		(1 << 0)
#define PTW_MPOL_F_ADDR		(1 << 1)

const char *const mut_name[NR_MUT] = {
	"mmap", "madvise", "fork_cow", "hugetlb_2m", "hugetlb_1g",
	"thp_split", "migrate", "shmem", "uffd_wp",
};

static pthread_mutex_t g_merr_lock = PTHREAD_MUTEX_INITIALIZER;

static bool mstop(void)
{
	return __atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE);
}

static void mbeat(int id)
{
	__atomic_fetch_add(&sh->m[id].heartbeat, 1, __ATOMIC_RELAXED);
}

/* A tolerated failure: counted, and the last one kept for the report */
static void mexp(int id, const char *what, int e)
{
	struct mut_stat *m = &sh->m[id];

	__atomic_fetch_add(&m->expected, 1, __ATOMIC_RELAXED);
	snprintf(m->last_expected, sizeof(m->last_expected), "%s%s%s", what,
		 e ? ": " : "", e ? strerror(e) : "");
}

static void mfail(int id, const char *fmt, ...)
{
	struct mut_stat *m = &sh->m[id];
	va_list ap;

	__atomic_fetch_add(&m->errors, 1, __ATOMIC_RELAXED);
	if (m->printed >= MAX_PRINTED)
		return;
	m->printed++;
	pthread_mutex_lock(&g_merr_lock);
	fprintf(stderr, "STRESS: ERROR mutator %s: ", mut_name[id]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&g_merr_lock);
}

static void munavailable(int id, const char *why)
{
	struct mut_stat *m = &sh->m[id];

	snprintf(m->why, sizeof(m->why), "%s", why);
	__atomic_store_n(&m->unavailable, 1, __ATOMIC_RELEASE);
}

/* The value the first word of page IDX holds: never 0 */
static uint64_t pat(uint64_t seed, size_t idx)
{
	return (seed ^ (idx * 0x9e3779b97f4a7c15ULL)) | 1;
}

static void fill(char *p, size_t len, uint64_t seed, size_t idx0)
{
	size_t o;

	for (o = 0; o < len; o += g_ps)
		*(volatile uint64_t *)(p + o) = pat(seed, idx0 + o / g_ps);
}

enum { V_PAT, V_ZERO, V_PAT_OR_ZERO };

/* -1 if every page of [p, p + len) holds what MODE says, else the page */
static long verify(const char *p, size_t len, uint64_t seed, size_t idx0,
		   int mode, uint64_t *got)
{
	size_t o;

	for (o = 0; o < len; o += g_ps) {
		uint64_t v = *(const volatile uint64_t *)(p + o);
		uint64_t want = pat(seed, idx0 + o / g_ps);

		if ((mode == V_PAT && v != want) || (mode == V_ZERO && v) ||
		    (mode == V_PAT_OR_ZERO && v && v != want)) {
			*got = v;
			return o / g_ps;
		}
	}
	return -1;
}

static bool mverify(int id, const char *what, const char *p, size_t len,
		    uint64_t seed, size_t idx0, int mode)
{
	uint64_t got = 0;
	long bad = verify(p, len, seed, idx0, mode, &got);

	if (bad < 0)
		return true;
	mfail(id, "%s: data lost at %p (page %ld of %zu): read %#llx, expected %s%#llx",
	      what, p + bad * g_ps, bad, len / g_ps, (unsigned long long)got,
	      mode == V_ZERO ? "zero " : mode == V_PAT_OR_ZERO ? "zero or " : "",
	      mode == V_ZERO ? 0ULL :
	      (unsigned long long)pat(seed, idx0 + bad));
	return false;
}

/* An anonymous private mapping of LEN bytes aligned to ALIGN */
static char *map_aligned(size_t len, size_t align, int prot, int flags)
{
	size_t tot = len + align;
	char *p = mmap(NULL, tot, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	uintptr_t a, e;

	if (p == MAP_FAILED)
		return NULL;
	a = ((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1);
	e = (uintptr_t)p + tot;
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	if (e > a + len)
		munmap((void *)(a + len), e - (a + len));
	return (char *)a;
}

/* Tolerated madvise() failures, see the top comment */
static bool madv_expected(int advice, int e)
{
	switch (advice) {
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
		return e == EINVAL && !g_thp_present;
	case MADV_COLLAPSE:
		/*
		 * 6.12's madvise_collapse_errno() turns every scan result
		 * but a few transient ones into EINVAL: a PTE it could not
		 * swap in, a page shared with a fork child, a VMA that is
		 * MADV_NOHUGEPAGE, no usable THP...  All normal here.
		 */
		return e == EAGAIN || e == EBUSY || e == ENOMEM || e == EINVAL;
	default:
		return false;
	}
}

static const char *madv_name(int advice)
{
	switch (advice) {
	case MADV_DONTNEED: return "MADV_DONTNEED";
	case MADV_FREE: return "MADV_FREE";
	case MADV_PAGEOUT: return "MADV_PAGEOUT";
	case MADV_COLD: return "MADV_COLD";
	case MADV_HUGEPAGE: return "MADV_HUGEPAGE";
	case MADV_NOHUGEPAGE: return "MADV_NOHUGEPAGE";
	case MADV_COLLAPSE: return "MADV_COLLAPSE";
	default: return "madvise";
	}
}

/* madvise(); false (and counted) if it failed unexpectedly */
static bool do_madvise(int id, void *p, size_t len, int advice)
{
	if (!madvise(p, len, advice))
		return true;
	if (madv_expected(advice, errno)) {
		mexp(id, madv_name(advice), errno);
		return true;
	}
	mfail(id, "%s(%p, %zu): %s", madv_name(advice), p, len,
	      strerror(errno));
	return false;
}

/* (a) mmap/munmap/mprotect/mremap of anonymous regions of 4K..8M */

#define MM_SLOTS	8
#define MM_MAX		(8UL << 20)

struct mm_slot {
	char *p;
	size_t len;
	uint64_t seed;
	int flags;
	bool multi;	/* may span several VMAs: mremap would fail */
};

static size_t mm_rand_len(uint64_t *rng)
{
	size_t maxp = MM_MAX / g_ps, np;

	np = 1 + rnd(rng, 1UL << rnd(rng, 12));
	if (np > maxp)
		np = maxp;
	return np * g_ps;
}

static void *mut_mmap(void *arg)
{
	const int id = M_MMAP;
	struct mm_slot s[MM_SLOTS];
	uint64_t rng = seed_of(id);
	int i;

	(void)arg;
	memset(s, 0, sizeof(s));
	while (!mstop()) {
		struct mm_slot *sl = &s[rnd(&rng, MM_SLOTS)];
		int op = sl->p ? (int)rnd(&rng, 7) : 0;

		/*
		 * A MAP_FIXED piece gets its own anon pgoff, so it need not
		 * merge with its neighbours, and mremap() refuses ranges
		 * spanning VMAs: such a slot only gets the other ops.
		 */
		if (sl->multi && op >= 3 && op <= 5)
			op = rnd(&rng, 2) ? 2 : 6;
		size_t np = sl->len / g_ps, off, l, nl;
		char *q, *dst;

		switch (op) {
		case 0:		/* map (or remap) */
			if (sl->p) {
				mverify(id, "before munmap", sl->p, sl->len,
					sl->seed, 0, V_PAT);
				munmap(sl->p, sl->len);
			}
			sl->len = mm_rand_len(&rng);
			sl->seed = rnd64(&rng);
			sl->flags = MAP_PRIVATE | MAP_ANONYMOUS |
				    (rnd(&rng, 4) ? 0 : MAP_NORESERVE);
			sl->multi = false;
			sl->p = mmap(NULL, sl->len, PROT_READ | PROT_WRITE,
				     sl->flags | (rnd(&rng, 4) ? 0 : MAP_POPULATE),
				     -1, 0);
			if (sl->p == MAP_FAILED) {
				mfail(id, "mmap(%zu): %s", sl->len,
				      strerror(errno));
				sl->p = NULL;
				break;
			}
			fill(sl->p, sl->len, sl->seed, 0);
			break;
		case 1:		/* munmap */
			mverify(id, "before munmap", sl->p, sl->len, sl->seed,
				0, V_PAT);
			if (munmap(sl->p, sl->len))
				mfail(id, "munmap: %s", strerror(errno));
			sl->p = NULL;
			break;
		case 2:		/* mprotect a piece RO, NONE, back to RW */
			off = rnd(&rng, np) * g_ps;
			l = (1 + rnd(&rng, np - off / g_ps)) * g_ps;
			if (mprotect(sl->p + off, l, PROT_READ)) {
				mfail(id, "mprotect(RO): %s", strerror(errno));
				break;
			}
			mverify(id, "after mprotect(RO)", sl->p, sl->len,
				sl->seed, 0, V_PAT);
			if (mprotect(sl->p + off, l, PROT_NONE) ||
			    mprotect(sl->p + off, l, PROT_READ | PROT_WRITE)) {
				mfail(id, "mprotect(NONE/RW): %s",
				      strerror(errno));
				break;
			}
			fill(sl->p + off, l, sl->seed, off / g_ps);
			mverify(id, "after mprotect(RW)", sl->p, sl->len,
				sl->seed, 0, V_PAT);
			break;
		case 3:		/* mremap grow (may move) */
			nl = sl->len + mm_rand_len(&rng);
			if (nl > 2 * MM_MAX)
				nl = 2 * MM_MAX;
			if (nl <= sl->len)
				break;
			q = mremap(sl->p, sl->len, nl, MREMAP_MAYMOVE);
			if (q == MAP_FAILED) {
				mfail(id, "mremap grow %zu -> %zu: %s", sl->len,
				      nl, strerror(errno));
				break;
			}
			sl->p = q;
			mverify(id, "after mremap grow", q, sl->len, sl->seed,
				0, V_PAT);
			mverify(id, "mremap grown part", q + sl->len,
				nl - sl->len, 0, 0, V_ZERO);
			fill(q + sl->len, nl - sl->len, sl->seed,
			     sl->len / g_ps);
			sl->len = nl;
			break;
		case 4:		/* mremap shrink */
			if (np < 2)
				break;
			nl = (1 + rnd(&rng, np - 1)) * g_ps;
			q = mremap(sl->p, sl->len, nl, 0);
			if (q != sl->p) {
				mfail(id, "mremap shrink %zu -> %zu: %s",
				      sl->len, nl, strerror(errno));
				break;
			}
			sl->len = nl;
			mverify(id, "after mremap shrink", q, nl, sl->seed, 0,
				V_PAT);
			break;
		case 5:		/* mremap move onto a reserved spot */
			dst = mmap(NULL, sl->len, PROT_NONE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (dst == MAP_FAILED) {
				mfail(id, "mmap placeholder: %s",
				      strerror(errno));
				break;
			}
			q = mremap(sl->p, sl->len, sl->len,
				   MREMAP_MAYMOVE | MREMAP_FIXED, dst);
			if (q != dst) {
				mfail(id, "mremap move: %s", strerror(errno));
				munmap(dst, sl->len);
				break;
			}
			sl->p = q;
			mverify(id, "after mremap move", q, sl->len, sl->seed,
				0, V_PAT);
			break;
		default:	/* MAP_FIXED a fresh piece over the middle */
			off = rnd(&rng, np) * g_ps;
			l = (1 + rnd(&rng, np - off / g_ps)) * g_ps;
			q = mmap(sl->p + off, l, PROT_READ | PROT_WRITE,
				 sl->flags | MAP_FIXED, -1, 0);
			if (q != sl->p + off) {
				mfail(id, "mmap(MAP_FIXED): %s", strerror(errno));
				break;
			}
			sl->multi = true;
			mverify(id, "MAP_FIXED replacement", q, l, 0, 0, V_ZERO);
			fill(q, l, sl->seed, off / g_ps);
			mverify(id, "after MAP_FIXED", sl->p, sl->len, sl->seed,
				0, V_PAT);
			break;
		}
		__atomic_fetch_add(&sh->m[id].iters, 1, __ATOMIC_RELAXED);
		mbeat(id);
	}
	for (i = 0; i < MM_SLOTS; i++)
		if (s[i].p)
			munmap(s[i].p, s[i].len);
	return NULL;
}

/* (b) madvise on 2M-aligned THP-able regions */

static void *mut_madvise(void *arg)
{
	static const int advs[] = { MADV_DONTNEED, MADV_FREE, MADV_PAGEOUT,
				    MADV_COLD, MADV_HUGEPAGE, MADV_NOHUGEPAGE,
				    MADV_COLLAPSE };
	const int id = M_MADVISE;
	uint64_t rng = seed_of(id), seed = 0;
	size_t len = 2 * g_unit, np = len / g_ps;
	char *p = NULL;
	unsigned long it = 0;

	(void)arg;
	while (!mstop()) {
		int adv = advs[rnd(&rng, ARRAY_SIZE(advs))];
		size_t off, l;
		int mode = V_PAT;

		if (!p || !(it % 64)) {
			if (p)
				munmap(p, len);
			p = map_aligned(len, g_unit, PROT_READ | PROT_WRITE, 0);
			if (!p) {
				mfail(id, "mmap(%zu): %s", len, strerror(errno));
				msleep(100);
				goto next;
			}
			do_madvise(id, p, len, MADV_HUGEPAGE);
			seed = rnd64(&rng);
			fill(p, len, seed, 0);
		}
		switch (adv) {
		case MADV_HUGEPAGE:
		case MADV_NOHUGEPAGE:
			off = 0;
			l = len;
			break;
		case MADV_COLLAPSE:
			off = rnd(&rng, 2) * g_unit;
			l = g_unit;
			break;
		default:
			if (rnd(&rng, 2)) {
				off = rnd(&rng, 2) * g_unit;
				l = g_unit;
			} else {
				off = rnd(&rng, np) * g_ps;
				l = (1 + rnd(&rng, np - off / g_ps)) * g_ps;
			}
			break;
		}
		do_madvise(id, p + off, l, adv);
		if (adv == MADV_DONTNEED)
			mode = V_ZERO;
		else if (adv == MADV_FREE)
			mode = V_PAT_OR_ZERO;
		if (mverify(id, madv_name(adv), p + off, l, seed, off / g_ps,
			    mode))
			fill(p + off, l, seed, off / g_ps);	/* write fault */
		else
			fill(p, len, seed, 0);
		if (!rnd(&rng, 8))
			mverify(id, "whole region", p, len, seed, 0, V_PAT);
next:
		it++;
		__atomic_fetch_add(&sh->m[id].iters, 1, __ATOMIC_RELAXED);
		mbeat(id);
	}
	if (p)
		munmap(p, len);
	return NULL;
}

/* (c) fork children sharing the pages: private CoW and MAP_SHARED */

#define FC_SHARED_PAGES	64

static void *mut_fork_cow(void *arg)
{
	const int id = M_FORK_COW;
	uint64_t rng = seed_of(id);
	size_t plen = g_unit, slen = FC_SHARED_PAGES * g_ps;
	size_t pn = plen / g_ps, i;
	char *priv, *shr;

	(void)arg;
	priv = map_aligned(plen, g_unit, PROT_READ | PROT_WRITE, 0);
	shr = mmap(NULL, slen, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!priv || shr == MAP_FAILED) {
		mfail(id, "mmap: %s", strerror(errno));
		return NULL;
	}
	do_madvise(id, priv, plen, MADV_HUGEPAGE);
	while (!mstop()) {
		uint64_t seed = rnd64(&rng), cseed = rnd64(&rng);
		uint64_t pseed = rnd64(&rng), got;
		int status = 0;
		pid_t c;

		fill(priv, plen, seed, 0);
		fill(shr, slen, seed, 0);
		c = fork();
		if (c < 0) {
			mfail(id, "fork: %s", strerror(errno));
			msleep(100);
			goto next;
		}
		if (!c) {
			/* child: async-signal-safe code only */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (verify(priv, plen, seed, 0, V_PAT, &got) >= 0)
				_exit(2);
			for (i = 1; i < pn; i += 2)	/* CoW from the child */
				*(volatile uint64_t *)(priv + i * g_ps) =
					pat(cseed, i);
			for (i = 0; i < pn; i++) {
				uint64_t v = *(volatile uint64_t *)(priv + i * g_ps);

				if (v != pat(i & 1 ? cseed : seed, i))
					_exit(3);
			}
			if (verify(shr, slen, seed, 0, V_PAT, &got) >= 0)
				_exit(4);
			fill(shr, slen, cseed, 0);
			madvise(priv, g_ps, MADV_DONTNEED);
			if (*(volatile uint64_t *)priv)
				_exit(5);
			_exit(0);
		}
		/* parent: CoW from this side while the child runs */
		for (i = 0; i < pn; i += 3)
			*(volatile uint64_t *)(priv + i * g_ps) = pat(pseed, i);
		while (waitpid(c, &status, 0) < 0) {
			if (errno != EINTR) {
				mfail(id, "waitpid: %s", strerror(errno));
				break;
			}
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			mfail(id, "child %s %d (2 private, 3 CoW, 4 shared, 5 DONTNEED data wrong)",
			      WIFEXITED(status) ? "exited" : "killed by signal",
			      WIFEXITED(status) ? WEXITSTATUS(status) :
			      WTERMSIG(status));
		for (i = 0; i < pn; i++) {
			uint64_t v = *(volatile uint64_t *)(priv + i * g_ps);
			uint64_t want = pat(i % 3 ? seed : pseed, i);

			if (v != want) {
				mfail(id, "parent private page %zu: %#llx, expected %#llx (child's write leaked?)",
				      i, (unsigned long long)v,
				      (unsigned long long)want);
				break;
			}
		}
		mverify(id, "MAP_SHARED after child", shr, slen, cseed, 0,
			V_PAT);
next:
		__atomic_fetch_add(&sh->m[id].iters, 1, __ATOMIC_RELAXED);
		mbeat(id);
	}
	munmap(priv, plen);
	munmap(shr, slen);
	return NULL;
}

/* (d) hugetlb 2M and 1G */

static const char *hugetlb_dir(size_t hsz, char *b, size_t len)
{
	snprintf(b, len, "/sys/kernel/mm/hugepages/hugepages-%zukB", hsz >> 10);
	return b;
}

/* NULL if the pool of HSZ pages is usable, else why not */
static const char *hugetlb_unavailable(size_t hsz, char *why, size_t len)
{
	char d[128], f[160];
	long nr;

	hugetlb_dir(hsz, d, sizeof(d));
	snprintf(f, sizeof(f), "%s/nr_hugepages", d);
	nr = sysfs_long(f);
	if (nr < 0) {
		snprintf(why, len, "no %zukB hugetlb size in sysfs", hsz >> 10);
		return why;
	}
	if (!nr) {
		snprintf(why, len, "%zukB hugetlb pool is empty (nr_hugepages=0)",
			 hsz >> 10);
		return why;
	}
	return NULL;
}

static void hugetlb_loop(int id, size_t hsz, int hflag)
{
	uint64_t rng = seed_of(id);
	char path[256] = "";
	struct statfs sfs;
	int hfd = -1;

	/* MAP_SHARED of a hugetlbfs file too, when mounted with this size */
	if (!statfs("/dev/hugepages", &sfs) &&
	    (unsigned long)sfs.f_type == HUGETLBFS_MAGIC &&
	    (size_t)sfs.f_bsize == hsz) {
		snprintf(path, sizeof(path), "/dev/hugepages/ptw_stress.%d.%d",
			 (int)getpid(), id);
		hfd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (hfd >= 0)
			unlink(path);
	}
	while (!mstop()) {
		size_t n = hsz >= (1UL << 30) ? 1 : 1 + rnd(&rng, 4);
		size_t len = n * hsz;
		int kind = rnd(&rng, hfd >= 0 ? 3 : 2);
		uint64_t seed = rnd64(&rng);
		char *p;

		if (kind == 2) {
			if (ftruncate(hfd, len)) {
				if (errno == ENOMEM || errno == ENOSPC)
					mexp(id, "ftruncate hugetlbfs", errno);
				else
					mfail(id, "ftruncate hugetlbfs: %s",
					      strerror(errno));
				goto next;
			}
			p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
				 hfd, 0);
		} else {
			p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				 MAP_ANONYMOUS | MAP_HUGETLB | hflag |
				 (kind ? MAP_SHARED : MAP_PRIVATE), -1, 0);
		}
		if (p == MAP_FAILED) {
			if (errno == ENOMEM)	/* pool empty: fine */
				mexp(id, "mmap hugetlb", errno);
			else
				mfail(id, "mmap %zu x %zukB hugetlb (%s): %s", n,
				      hsz >> 10, kind == 2 ? "file" :
				      kind ? "shared" : "private",
				      strerror(errno));
			msleep(50);
			goto next;
		}
		fill(p, len, seed, 0);
		mbeat(id);
		mverify(id, "hugetlb", p, len, seed, 0, V_PAT);
		if (rnd(&rng, 2)) {
			size_t off = rnd(&rng, n) * hsz;

			if (mprotect(p + off, hsz, PROT_READ))
				mfail(id, "mprotect hugetlb: %s", strerror(errno));
			mverify(id, "hugetlb after mprotect", p, len, seed, 0,
				V_PAT);
			if (mprotect(p + off, hsz, PROT_READ | PROT_WRITE))
				mfail(id, "mprotect hugetlb: %s", strerror(errno));
		}
		if (kind == 2 && rnd(&rng, 2)) {
			/* punch a whole page out of the file */
			size_t off = rnd(&rng, n) * hsz;

			if (fallocate(hfd, FALLOC_FL_PUNCH_HOLE |
				      FALLOC_FL_KEEP_SIZE, off, hsz))
				mfail(id, "punch hugetlbfs: %s", strerror(errno));
			else
				mverify(id, "hugetlbfs hole", p + off, hsz, 0, 0,
					V_ZERO);
		}
		if (munmap(p, len))
			mfail(id, "munmap hugetlb: %s", strerror(errno));
		if (kind == 2 && ftruncate(hfd, 0))
			mfail(id, "ftruncate hugetlbfs 0: %s", strerror(errno));
		if (hsz >= (1UL << 30))
			msleep(100);	/* each fault clears 1G */
next:
		__atomic_fetch_add(&sh->m[id].iters, 1, __ATOMIC_RELAXED);
		mbeat(id);
	}
	if (hfd >= 0)
		close(hfd);
}

static void *mut_hugetlb_2m(void *arg)
{
	(void)arg;
	hugetlb_loop(M_HUGETLB_2M, 2UL << 20, MAP_HUGE_2MB);
	return NULL;
}

static void *mut_hugetlb_1g(void *arg)
{
	(void)arg;
	hugetlb_loop(M_HUGETLB_1G, 1UL << 30, MAP_HUGE_1GB);
	return NULL;
}

/* (e) split THPs: a 4K piece in the middle of a PMD-mapped THP */

static void *mut_thp_split(void *arg)
{
	const int id = M_THP_SPLIT;
	uint64_t rng = seed_of(id);
	size_t len = g_unit, np = len / g_ps;

	(void)arg;
	while (!mstop()) {
		uint64_t seed = rnd64(&rng);
		size_t pg = 1 + rnd(&rng, np - 2), off = pg * g_ps;
		char *p = map_aligned(len, g_unit, PROT_READ | PROT_WRITE, 0);
		char *q, *dst;

		if (!p) {
			mfail(id, "mmap(%zu): %s", len, strerror(errno));
			msleep(100);
			goto next;
		}
		do_madvise(id, p, len, MADV_HUGEPAGE);
		fill(p, len, seed, 0);
		switch (rnd(&rng, 5)) {
		case 0:		/* munmap a page in the middle */
			if (munmap(p + off, g_ps))
				mfail(id, "munmap 4K: %s", strerror(errno));
			mverify(id, "left of hole", p, off, seed, 0, V_PAT);
			mverify(id, "right of hole", p + off + g_ps,
				len - off - g_ps, seed, pg + 1, V_PAT);
			break;
		case 1:		/* mprotect a page RO, then back */
			if (mprotect(p + off, g_ps, PROT_READ))
				mfail(id, "mprotect 4K: %s", strerror(errno));
			mverify(id, "after mprotect 4K", p, len, seed, 0, V_PAT);
			if (mprotect(p + off, g_ps, PROT_READ | PROT_WRITE))
				mfail(id, "mprotect 4K back: %s", strerror(errno));
			fill(p + off, g_ps, seed, pg);
			mverify(id, "after mprotect back", p, len, seed, 0, V_PAT);
			break;
		case 2:		/* MADV_DONTNEED a page */
			if (madvise(p + off, g_ps, MADV_DONTNEED))
				mfail(id, "MADV_DONTNEED 4K: %s", strerror(errno));
			mverify(id, "DONTNEED page", p + off, g_ps, 0, 0, V_ZERO);
			mverify(id, "around DONTNEED", p, off, seed, 0, V_PAT);
			break;
		case 3:		/* mremap a page out */
			dst = mmap(NULL, g_ps, PROT_NONE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (dst == MAP_FAILED) {
				mfail(id, "mmap: %s", strerror(errno));
				break;
			}
			q = mremap(p + off, g_ps, g_ps,
				   MREMAP_MAYMOVE | MREMAP_FIXED, dst);
			if (q != dst) {
				mfail(id, "mremap 4K: %s", strerror(errno));
				munmap(dst, g_ps);
				break;
			}
			mverify(id, "moved page", q, g_ps, seed, pg, V_PAT);
			mverify(id, "after page moved out", p + off + g_ps,
				len - off - g_ps, seed, pg + 1, V_PAT);
			munmap(q, g_ps);
			break;
		default:	/* split by mprotect, then collapse back */
			if (mprotect(p + off, g_ps, PROT_READ) ||
			    mprotect(p + off, g_ps, PROT_READ | PROT_WRITE))
				mfail(id, "mprotect 4K: %s", strerror(errno));
			do_madvise(id, p, len, MADV_COLLAPSE);
			mverify(id, "after split+collapse", p, len, seed, 0,
				V_PAT);
			break;
		}
		munmap(p, len);
next:
		__atomic_fetch_add(&sh->m[id].iters, 1, __ATOMIC_RELAXED);
		mbeat(id);
	}
	return NULL;
}

/* (f) migrate between nodes 0 and 1 */

static long sys_move_pages(int pid, unsigned long n, void **pages,
			   const int *nodes, int *status, int flags)
{
	return syscall(SYS_move_pages, pid, n, pages, nodes, status, flags);
}

static long sys_mbind(void *addr, unsigned long len, int mode,
		      const unsigned long *mask, unsigned long maxnode,
		      unsigned int flags)
{
	return syscall(SYS_mbind, addr, len, mode, mask, maxnode, flags);
}

static long sys_get_mempolicy(int *mode, unsigned long *mask,
			      unsigned long maxnode, void *addr,
			      unsigned long flags)
{
	return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

#define MIG_PAGES	64

static bool mig_expected(int e)
{
	return e == EAGAIN || e == EBUSY || e == ENOMEM;
}

static void *mut_migrate(void *arg)
{
	const int id = M_MIGRATE;
	uint64_t rng = seed_of(id), seed = 0;
	size_t len = g_unit, np = len / g_ps;
	void *pages[MIG_PAGES];
	int nodes[MIG_PAGES], status[MIG_PAGES];
	unsigned long it = 0;
	char *p = NULL;
	bool first = true;

	(void)arg;
	while (!mstop()) {
		int node = it & 1, mode = -1, i;
		unsigned long mask = 1UL << node, got[2] = { 0, 0 };
		long ret;

		if (!p || !(it % 16)) {
			if (p)
				munmap(p, len);
			p = map_aligned(len, g_unit, PROT_READ | PROT_WRITE, 0);
			if (!p) {
				mfail(id, "mmap: %s", strerror(errno));
				msleep(100);
				goto next;
			}
			do_madvise(id, p, len, MADV_HUGEPAGE);
			seed = rnd64(&rng);
			fill(p, len, seed, 0);
		}
		for (i = 0; i < MIG_PAGES; i++) {
			pages[i] = p + rnd(&rng, np) * g_ps;
			nodes[i] = node;
			status[i] = INT_MIN;
		}
		ret = sys_move_pages(0, MIG_PAGES, pages, nodes, status,
				     PTW_MPOL_MF_MOVE);
		if (ret < 0) {
			int e = errno;

			if (first && (e == ENOSYS || e == EPERM || e == ENODEV ||
				      e == EINVAL)) {
				char why[100];

				snprintf(why, sizeof(why), "move_pages: %s",
					 strerror(e));
				munavailable(id, why);
				break;
			}
			if (mig_expected(e))
				mexp(id, "move_pages", e);
			else
				mfail(id, "move_pages to node %d: %s", node,
				      strerror(e));
		} else if (ret > 0) {
			/*
			 * Pages not migrated: 6.12's do_pages_move() stops at
			 * the first batch that fails, leaving later statuses
			 * unwritten.
			 */
			mexp(id, "move_pages: some pages not migrated", 0);
		} else {
			for (i = 0; i < MIG_PAGES; i++) {
				if (status[i] == 0 || status[i] == 1)
					continue;
				if (status[i] < 0 && status[i] != INT_MIN &&
				    status[i] != -EINVAL && status[i] != -ENODEV) {
					/* busy, not present... */
					mexp(id, "move_pages status", -status[i]);
					continue;
				}
				mfail(id, "move_pages status[%d] = %d", i,
				      status[i]);
				break;
			}
		}
		first = false;
		mverify(id, "after move_pages", p, len, seed, 0, V_PAT);
		mbeat(id);
		if (!rnd(&rng, 4)) {
			if (sys_mbind(p, len, PTW_MPOL_DEFAULT, NULL, 0, 0))
				mfail(id, "mbind(MPOL_DEFAULT): %s",
				      strerror(errno));
		} else if (sys_mbind(p, len, PTW_MPOL_BIND, &mask,
				     sizeof(mask) * 8 + 1, PTW_MPOL_MF_MOVE)) {
			if (mig_expected(errno))
				mexp(id, "mbind", errno);
			else
				mfail(id, "mbind(MPOL_BIND, node %d, MOVE): %s",
				      node, strerror(errno));
		} else {
			if (sys_get_mempolicy(&mode, got, sizeof(got) * 8, p,
					      PTW_MPOL_F_ADDR))
				mfail(id, "get_mempolicy(MPOL_F_ADDR): %s",
				      strerror(errno));
			else if (mode != PTW_MPOL_BIND || got[0] != mask)
				mfail(id, "get_mempolicy: mode %d nodes %#lx after mbind(BIND, %#lx)",
				      mode, got[0], mask);
		}
		mverify(id, "after mbind", p, len, seed, 0, V_PAT);
		if (sys_get_mempolicy(&mode, NULL, 0,
				      p + rnd(&rng, np) * g_ps,
				      PTW_MPOL_F_NODE | PTW_MPOL_F_ADDR))
			mfail(id, "get_mempolicy(MPOL_F_NODE): %s",
			      strerror(errno));
		else if (mode != 0 && mode != 1)
			mfail(id, "page on node %d", mode);
next:
		it++;
		__atomic_fetch_add(&sh->m[id].iters, 1, __ATOMIC_RELAXED);
		mbeat(id);
	}
	if (p)
		munmap(p, len);
	return NULL;
}

/* (g) MAP_SHARED and MAP_PRIVATE of a tmpfs file, truncated, punched */

static char g_shmem_where[300];

static int shmem_open(void)
{
	static const char *const dirs[] = { "/tmp", "/dev/shm" };
	const char *env = getenv("PTW_STRESS_TMPDIR");
	struct statfs sfs;
	char path[300];
	size_t i;
	int fd;

	for (i = 0; i < 3; i++) {
		const char *d = i ? dirs[i - 1] : env;

		if (!d || statfs(d, &sfs) ||
		    (unsigned long)sfs.f_type != TMPFS_MAGIC)
			continue;
		snprintf(path, sizeof(path), "%s/ptw_stress.XXXXXX", d);
		fd = mkstemp(path);
		if (fd < 0)
			continue;
		unlink(path);
		snprintf(g_shmem_where, sizeof(g_shmem_where),
			 "tmpfs file in %s", d);
		return fd;
	}
	snprintf(g_shmem_where, sizeof(g_shmem_where),
		 "memfd (no tmpfs at /tmp or /dev/shm)");
	return memfd_create("ptw_stress", MFD_CLOEXEC);
}

static void *mut_shmem(void *arg)
{
	const int id = M_SHMEM;
	uint64_t rng = seed_of(id);
	size_t len = 2 * g_unit, np = len / g_ps, half = len / 2, i;
	char *shr = NULL, *prv, *cow;
	unsigned long it = 0;
	int fd;

	(void)arg;
	fd = shmem_open();
	if (fd < 0 || ftruncate(fd, len)) {
		mfail(id, "shmem file: %s", strerror(errno));
		return NULL;
	}
	fprintf(stderr, "STRESS: shmem mutator uses a %s\n", g_shmem_where);
	cow = calloc(np, 1);
	if (!cow)
		abort();
	while (!mstop()) {
		uint64_t seed = rnd64(&rng), pseed = rnd64(&rng);
		size_t off, l;

		if (!shr || !(it % 32)) {
			char *res;

			if (shr)
				munmap(shr, len);
			shr = NULL;
			res = map_aligned(len, g_unit, PROT_NONE, 0);
			if (!res) {
				mfail(id, "mmap: %s", strerror(errno));
				msleep(100);
				goto next;
			}
			shr = mmap(res, len, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_FIXED, fd, 0);
			if (shr == MAP_FAILED) {
				mfail(id, "mmap shared: %s", strerror(errno));
				munmap(res, len);
				shr = NULL;
				msleep(100);
				goto next;
			}
			do_madvise(id, shr, len, MADV_HUGEPAGE);
		}
		fill(shr, len, seed, 0);
		prv = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		if (prv == MAP_FAILED) {
			mfail(id, "mmap private: %s", strerror(errno));
			goto next;
		}
		mverify(id, "private sees shared writes", prv, len, seed, 0,
			V_PAT);
		/* CoW some private pages; the file must not see them */
		memset(cow, 0, np);
		for (i = rnd(&rng, 4); i < np; i += 1 + rnd(&rng, 8)) {
			*(volatile uint64_t *)(prv + i * g_ps) = pat(pseed, i);
			cow[i] = 1;
		}
		mverify(id, "shared after private CoW", shr, len, seed, 0, V_PAT);
		for (i = 0; i < np; i++) {
			uint64_t v = *(volatile uint64_t *)(prv + i * g_ps);

			if (v != pat(cow[i] ? pseed : seed, i)) {
				mfail(id, "private page %zu: %#llx", i,
				      (unsigned long long)v);
				break;
			}
		}
		switch (rnd(&rng, 5)) {
		case 0:		/* truncate to half, re-extend: zeroes */
			if (ftruncate(fd, half) || ftruncate(fd, len)) {
				mfail(id, "ftruncate: %s", strerror(errno));
				break;
			}
			mverify(id, "shared after truncate", shr + half, half,
				0, 0, V_ZERO);
			mverify(id, "private after truncate", prv + half, half,
				0, 0, V_ZERO);
			mverify(id, "shared below truncate", shr, half, seed, 0,
				V_PAT);
			break;
		case 1:		/* punch a hole: zeroes, CoW pages too */
			off = rnd(&rng, np) * g_ps;
			l = (1 + rnd(&rng, np - off / g_ps)) * g_ps;
			if (fallocate(fd, FALLOC_FL_PUNCH_HOLE |
				      FALLOC_FL_KEEP_SIZE, off, l)) {
				mfail(id, "punch hole: %s", strerror(errno));
				break;
			}
			mverify(id, "shared hole", shr + off, l, 0, 0, V_ZERO);
			/* a hole punch keeps private CoW pages (even_cows 0) */
			for (i = off / g_ps; i < (off + l) / g_ps; i++) {
				uint64_t v = *(volatile uint64_t *)(prv + i * g_ps);

				if (v != (cow[i] ? pat(pseed, i) : 0)) {
					mfail(id, "private page %zu in a hole (CoW %d): %#llx",
					      i, cow[i], (unsigned long long)v);
					break;
				}
			}
			break;
		case 2:		/* page out shared and private */
			do_madvise(id, shr, len, MADV_PAGEOUT);
			do_madvise(id, prv, len, MADV_PAGEOUT);
			mverify(id, "shared after PAGEOUT", shr, len, seed, 0,
				V_PAT);
			break;
		case 3:		/* DONTNEED private: back to file contents */
			if (madvise(prv, len, MADV_DONTNEED))
				mfail(id, "MADV_DONTNEED: %s", strerror(errno));
			mverify(id, "private after DONTNEED", prv, len, seed, 0,
				V_PAT);
			break;
		default:	/* collapse the shared mapping into shmem THPs */
			if (madvise(shr, len, MADV_COLLAPSE)) {
				if (errno == EINVAL || mig_expected(errno))
					mexp(id, "MADV_COLLAPSE shmem", errno);
				else
					mfail(id, "MADV_COLLAPSE shmem: %s",
					      strerror(errno));
			}
			mverify(id, "shared after COLLAPSE", shr, len, seed, 0,
				V_PAT);
			break;
		}
		munmap(prv, len);
next:
		it++;
		__atomic_fetch_add(&sh->m[id].iters, 1, __ATOMIC_RELAXED);
		mbeat(id);
	}
	if (shr)
		munmap(shr, len);
	close(fd);
	free(cow);
	return NULL;
}

/*
 * (h) asynchronous uffd-wp, for the pagemap_scan_wp reader to
 * write-protect: a THP-able region registered for it, written at random
 * pages (each write to a protected page faults, and the kernel lifts the
 * protection), its content checked, then unmapped.  The userfaultfd ABI,
 * as include/uapi/linux/userfaultfd.h has it.
 */
#define PTW_UFFD_API			0xAAULL
#define PTW_UFFD_USER_MODE_ONLY		1
#define PTW_UFFD_FEATURE_WP_UNPOPULATED	(1ULL << 13)
#define PTW_UFFD_FEATURE_WP_ASYNC	(1ULL << 15)
#define PTW_UFFDIO_REGISTER_MODE_WP	(1ULL << 1)
struct ptw_uffdio_api { uint64_t api, features, ioctls; };
struct ptw_uffdio_register { uint64_t start, len, mode, ioctls; };
#define PTW_UFFDIO_API		_IOWR(0xAA, 0x3F, struct ptw_uffdio_api)
#define PTW_UFFDIO_REGISTER	_IOWR(0xAA, 0x00, struct ptw_uffdio_register)

/* A userfaultfd for asynchronous uffd-wp, or -1 with errno set. */
static int uffd_wp_async(void)
{
	struct ptw_uffdio_api api = {
		.api = PTW_UFFD_API,
		.features = PTW_UFFD_FEATURE_WP_ASYNC | PTW_UFFD_FEATURE_WP_UNPOPULATED,
	};
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | PTW_UFFD_USER_MODE_ONLY);
	int e;

	if (fd < 0)
		return -1;
	if (ioctl(fd, PTW_UFFDIO_API, &api)) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static void *mut_uffd_wp(void *arg)
{
	const int id = M_UFFD_WP;
	uint64_t rng = seed_of(id);
	size_t len = g_unit, np = len / g_ps;

	(void)arg;
	while (!mstop()) {
		uint64_t seed = rnd64(&rng);
		char *p = map_aligned(len, g_unit, PROT_READ | PROT_WRITE, 0);
		struct ptw_uffdio_register reg = { 0 };
		int fd, i;

		if (!p) {
			mfail(id, "mmap(%zu): %s", len, strerror(errno));
			msleep(100);
			goto next;
		}
		if (rnd(&rng, 2))
			do_madvise(id, p, len, MADV_HUGEPAGE);
		fill(p, len / 2, seed, 0);
		fd = uffd_wp_async();
		if (fd < 0) {
			mfail(id, "userfaultfd: %s", strerror(errno));
			munmap(p, len);
			msleep(100);
			goto next;
		}
		reg.start = (uintptr_t)p;
		reg.len = len;
		reg.mode = PTW_UFFDIO_REGISTER_MODE_WP;
		if (ioctl(fd, PTW_UFFDIO_REGISTER, &reg))
			mfail(id, "UFFDIO_REGISTER: %s", strerror(errno));
		for (i = 0; i < 64 && !mstop(); i++) {
			size_t pg = rnd(&rng, np);

			fill(p + pg * g_ps, g_ps, seed, pg);
			if (!(i & 7))
				msleep(5);
		}
		mverify(id, "uffd-wp region", p, len, seed, 0, V_PAT_OR_ZERO);
		close(fd);
		munmap(p, len);
next:
		__atomic_fetch_add(&sh->m[id].iters, 1, __ATOMIC_RELAXED);
		mbeat(id);
	}
	return NULL;
}

static void *(*const mut_fn[NR_MUT])(void *) = {
	mut_mmap, mut_madvise, mut_fork_cow, mut_hugetlb_2m, mut_hugetlb_1g,
	mut_thp_split, mut_migrate, mut_shmem, mut_uffd_wp,
};

/* Decide, before starting, which mutators can run here */
static void mutators_availability(void)
{
	char why[100], b[256];
	int i;

	if (hugetlb_unavailable(2UL << 20, why, sizeof(why)))
		munavailable(M_HUGETLB_2M, why);
	if (hugetlb_unavailable(1UL << 30, why, sizeof(why)))
		munavailable(M_HUGETLB_1G, why);
	if (!g_thp_present)
		munavailable(M_THP_SPLIT, "no THP (/sys/kernel/mm/transparent_hugepage)");
	i = uffd_wp_async();
	if (i < 0) {
		snprintf(why, sizeof(why), "no asynchronous uffd-wp: %s", strerror(errno));
		munavailable(M_UFFD_WP, why);
	} else {
		close(i);
	}
	if (access("/sys/devices/system/node/node1", F_OK)) {
		munavailable(M_MIGRATE, "no NUMA node1");
	} else if (!sysfs_str("/sys/devices/system/node/has_memory", b,
			      sizeof(b))) {
		munavailable(M_MIGRATE, "no /sys/devices/system/node/has_memory");
	} else {
		/* "0-1", "0,1", ...: need memory on nodes 0 and 1 */
		unsigned long m = 0;
		char *p = b;

		while (*p >= '0' && *p <= '9') {
			long lo = strtol(p, &p, 10), hi = lo;

			if (*p == '-')
				hi = strtol(p + 1, &p, 10);
			for (i = lo; i <= hi && i < 64; i++)
				m |= 1UL << i;
			if (*p == ',')
				p++;
		}
		if ((m & 3) != 3) {
			snprintf(why, sizeof(why), "nodes 0 and 1 do not both have memory (has_memory %s)",
				 strtok(b, "\n"));
			munavailable(M_MIGRATE, why);
		}
	}
}

/* The target process: runs the available mutators until told to stop */
void target_main(pid_t parent)
{
	pthread_t th[NR_MUT];
	bool started[NR_MUT] = { false };
	int i;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	prctl(PR_SET_NAME, "ptw_target");
	mutators_availability();
	for (i = 0; i < NR_MUT; i++) {
		if (sh->m[i].unavailable)
			continue;
		if (pthread_create(&th[i], NULL, mut_fn[i], NULL)) {
			mfail(i, "pthread_create failed");
			continue;
		}
		started[i] = true;
	}
	__atomic_store_n(&sh->ready, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NR_MUT; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		__atomic_store_n(&sh->m[i].done, 1, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&sh->exiting, 1, __ATOMIC_RELEASE);
	fflush(stderr);
	_exit(0);
}
