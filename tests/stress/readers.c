// SPDX-License-Identifier: GPL-2.0
/*
 * The READER threads of ptw_stress, in the parent, and the checks of what
 * they read from /proc/<target>: smaps and smaps_rollup (parsed field by
 * field, their order and the relations between the fields), numa_maps (the
 * syntax and the counts of each line), pagemap read VMA by VMA and at
 * random offsets and counts (each entry well formed, each return value
 * what 6.12's pagemap_read() gives), and the PAGEMAP_SCAN ioctl (the
 * regions, walk_end and bad arguments).
 */
#define _GNU_SOURCE
#include "ptw_stress.h"

/* fs/proc/task_mmu.c */
#define PM_PFRAME_MASK		((1ULL << 55) - 1)
#define PM_RESERVED_BITS	(7ULL << 58)
#define PM_SWAP			(1ULL << 62)
#define PM_PRESENT		(1ULL << 63)

#define SCAN_CATEGORIES	(PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_FILE | \
			 PAGE_IS_PFNZERO | PAGE_IS_HUGE | \
			 PAGE_IS_SOFT_DIRTY | PAGE_IS_WRITTEN)

static pthread_mutex_t g_out_lock = PTHREAD_MUTEX_INITIALIZER;

struct reader readers[NR_RD];

static bool readers_stop(void)
{
	return __atomic_load_n(&g_readers_stop, __ATOMIC_ACQUIRE);
}

static void rbeat(struct reader *r)
{
	__atomic_fetch_add(&r->heartbeat, 1, __ATOMIC_RELAXED);
}

/* Print (part of) an offending output, indented */
static void dump_blob(const char *blob, size_t len)
{
	size_t max = 2500;
	const char *p = blob, *e;

	if (len > max)
		len = max;
	e = blob + len;
	while (p < e) {
		const char *nl = memchr(p, '\n', e - p);
		size_t l = nl ? (size_t)(nl - p) : (size_t)(e - p);

		fprintf(stderr, "  | %.*s\n", (int)l, p);
		p += l + 1;
	}
	if (len == max)
		fprintf(stderr, "  | [...]\n");
}

static void rfail(struct reader *r, const char *blob, size_t bloblen,
		  const char *fmt, ...)
{
	va_list ap;

	__atomic_fetch_add(&r->errors, 1, __ATOMIC_RELAXED);
	if (r->printed >= MAX_PRINTED)
		return;
	r->printed++;
	pthread_mutex_lock(&g_out_lock);
	fprintf(stderr, "STRESS: ERROR reader %s: ", r->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (blob)
		dump_blob(blob, bloblen);
	if (r->printed == MAX_PRINTED)
		fprintf(stderr, "STRESS: (further %s errors counted, not printed)\n",
			r->name);
	pthread_mutex_unlock(&g_out_lock);
}

/* Is the target alive?  Not a zombie, not gone. */
static bool target_alive(void)
{
	char path[64], b[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", g_pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n <= 0)
		return false;
	b[n] = 0;
	p = strrchr(b, ')');
	if (!p || p[1] != ' ')
		return false;
	return p[2] != 'Z' && p[2] != 'X';
}

/*
 * A read failed or came back empty or short: that is only an error if the
 * target is still alive.  An exiting task loses its mm before it becomes a
 * zombie, so give it a moment.  True: stop reading, quietly.
 */
static bool target_gone(void)
{
	int i;

	for (i = 0; i < 25; i++) {
		if (__atomic_load_n(&sh->exiting, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&g_target_dead, __ATOMIC_ACQUIRE) ||
		    !target_alive()) {
			__atomic_store_n(&g_readers_stop, 1, __ATOMIC_RELEASE);
			return true;
		}
		msleep(20);
	}
	return false;
}

static const size_t read_chunks[] = { 13, 64, 100, 512, 4096, 4096, 65536,
				      65536 };

static size_t pick_chunk(struct reader *r)
{
	return read_chunks[rnd(&r->rng, ARRAY_SIZE(read_chunks))];
}

/* --- /proc/pid/maps-style header lines ----------------------------- */

struct hdr {
	uint64_t start, end, pgoff, ino;
	char perms[5];
	const char *name;
	size_t namelen;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* lowercase hex, at least MIN digits (seq_put_hex_ll pads to MIN) */
static bool parse_hex(const char **pp, const char *e, uint64_t *v,
		      unsigned int min)
{
	const char *p = *pp;
	unsigned int n = 0;
	uint64_t x = 0;

	while (p < e && hexval(*p) >= 0) {
		if (n >= 16)
			return false;
		x = x << 4 | hexval(*p);
		p++;
		n++;
	}
	if (n < min)
		return false;
	*pp = p;
	*v = x;
	return true;
}

static bool parse_dec(const char **pp, const char *e, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;

	if (p >= e || *p < '0' || *p > '9')
		return false;
	while (p < e && *p >= '0' && *p <= '9') {
		if (x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (*p - '0');
		p++;
	}
	*pp = p;
	*v = x;
	return true;
}

static bool expect_ch(const char **pp, const char *e, char c)
{
	if (*pp >= e || **pp != c)
		return false;
	(*pp)++;
	return true;
}

/*
 * show_vma_header_prefix(): "start-end rwxp pgoff MA:MI ino " then, when
 * the VMA has a name, padding and the name.  NULL if well formed, else
 * what is wrong.
 */
static const char *parse_hdr(const char *l, size_t n, struct hdr *h,
			     bool allow_empty)
{
	const char *p = l, *e = l + n;
	uint64_t maj, min;

	if (!parse_hex(&p, e, &h->start, 8))
		return "bad start address";
	if (!expect_ch(&p, e, '-'))
		return "no '-'";
	if (!parse_hex(&p, e, &h->end, 8))
		return "bad end address";
	if (!expect_ch(&p, e, ' '))
		return "no space after range";
	if (e - p < 4 || (p[0] != 'r' && p[0] != '-') ||
	    (p[1] != 'w' && p[1] != '-') || (p[2] != 'x' && p[2] != '-') ||
	    (p[3] != 's' && p[3] != 'p'))
		return "bad permissions";
	memcpy(h->perms, p, 4);
	h->perms[4] = 0;
	p += 4;
	if (!expect_ch(&p, e, ' ') || !parse_hex(&p, e, &h->pgoff, 8))
		return "bad offset";
	if (!expect_ch(&p, e, ' ') || !parse_hex(&p, e, &maj, 2) ||
	    !expect_ch(&p, e, ':') || !parse_hex(&p, e, &min, 2))
		return "bad device";
	if (!expect_ch(&p, e, ' ') || !parse_dec(&p, e, &h->ino))
		return "bad inode";
	if (!expect_ch(&p, e, ' '))
		return "no space after inode";
	while (p < e && *p == ' ')
		p++;
	h->name = p;
	h->namelen = e - p;
	if (h->start > h->end || (!allow_empty && h->start == h->end))
		return "start >= end";
	if ((h->start | h->end) & (g_ps - 1))
		return "range not page aligned";
	return NULL;
}

/* --- smaps and smaps_rollup ---------------------------------------- */

enum fld { F_SIZE, F_KPS, F_MMUPS, F_RSS, F_PSS, F_PSS_DIRTY, F_PSS_ANON,
	   F_PSS_FILE, F_PSS_SHMEM, F_SC, F_SD, F_PC, F_PD, F_REF, F_ANON,
	   F_KSM, F_LAZY, F_AHP, F_SHMEMPMD, F_FILEPMD, F_SHHUGE, F_PRHUGE,
	   F_SWAP, F_SWAPPSS, F_LOCKED, F_THPELIG, F_PKEY, F_VMFLAGS, NR_F };

static const char *const fld_name[NR_F] = {
	"Size", "KernelPageSize", "MMUPageSize", "Rss", "Pss", "Pss_Dirty",
	"Pss_Anon", "Pss_File", "Pss_Shmem", "Shared_Clean", "Shared_Dirty",
	"Private_Clean", "Private_Dirty", "Referenced", "Anonymous", "KSM",
	"LazyFree", "AnonHugePages", "ShmemPmdMapped", "FilePmdMapped",
	"Shared_Hugetlb", "Private_Hugetlb", "Swap", "SwapPss", "Locked",
	"THPeligible", "ProtectionKey", "VmFlags",
};

/*
 * The order of show_smap() in Linux 6.12: Pss_Anon/Pss_File/Pss_Shmem are
 * only in smaps_rollup; ProtectionKey only where arch_pkeys_enabled() (the
 * same for every block of a system).
 */
static const enum fld smaps_order[] = {
	F_SIZE, F_KPS, F_MMUPS, F_RSS, F_PSS, F_PSS_DIRTY, F_SC, F_SD, F_PC,
	F_PD, F_REF, F_ANON, F_KSM, F_LAZY, F_AHP, F_SHMEMPMD, F_FILEPMD,
	F_SHHUGE, F_PRHUGE, F_SWAP, F_SWAPPSS, F_LOCKED, F_THPELIG, F_PKEY,
	F_VMFLAGS,
};

#define NR_SMAPS_ORDER	ARRAY_SIZE(smaps_order)

/* show_smaps_rollup(): the header, then __show_smap(rollup_mode) */
static const enum fld rollup_order[] = {
	F_RSS, F_PSS, F_PSS_DIRTY, F_PSS_ANON, F_PSS_FILE, F_PSS_SHMEM, F_SC,
	F_SD, F_PC, F_PD, F_REF, F_ANON, F_KSM, F_LAZY, F_AHP, F_SHMEMPMD,
	F_FILEPMD, F_SHHUGE, F_PRHUGE, F_SWAP, F_SWAPPSS, F_LOCKED,
};

#define NR_ROLLUP_ORDER	ARRAY_SIZE(rollup_order)

static int g_pkey_mode = -1;	/* -1 unknown, 0 absent, 1 present */

static bool flagch(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '?';
}

/*
 * "Name:<spaces>N kB", "THPeligible:<spaces>N", "ProtectionKey:<sp>N" or
 * "VmFlags: xx yy ".  NULL if well formed, else what is wrong.
 */
static const char *parse_field(const char *l, size_t n, int *idx,
			       unsigned long long *val, const char **fl,
			       size_t *fln)
{
	const char *c = memchr(l, ':', n), *p, *e = l + n;
	size_t nl;
	uint64_t v;
	int i;

	if (!c)
		return "no ':' in field line";
	nl = c - l;
	for (i = 0; i < NR_F; i++)
		if (strlen(fld_name[i]) == nl && !memcmp(l, fld_name[i], nl))
			break;
	if (i == NR_F)
		return "unknown field name";
	*idx = i;
	p = c + 1;
	if (!expect_ch(&p, e, ' '))
		return "no space after ':'";
	if (i == F_VMFLAGS) {
		*fl = p;
		*fln = e - p;
		while (p < e) {
			if (e - p < 3 || !flagch(p[0]) || !flagch(p[1]) ||
			    p[2] != ' ')
				return "bad VmFlags mnemonic";
			p += 3;
		}
		return NULL;
	}
	while (p < e && *p == ' ')
		p++;
	if (!parse_dec(&p, e, &v))
		return "value is not a number";
	if (i == F_THPELIG || i == F_PKEY) {
		if (p != e)
			return "junk after value";
	} else if (e - p != 3 || memcmp(p, " kB", 3)) {
		return "value does not end in \" kB\"";
	}
	*val = v;
	return NULL;
}

static bool has_flag(const char *fl, size_t fln, const char *f)
{
	size_t i;

	for (i = 0; i + 2 <= fln; i += 3)
		if (fl[i] == f[0] && fl[i + 1] == f[1])
			return true;
	return false;
}

#define CHK(cond, ...) do {						\
	if (!(cond)) {							\
		snprintf(why, whylen, __VA_ARGS__);			\
		return false;						\
	}								\
} while (0)

/* Relations that hold between the fields of one smaps block or rollup */
static bool check_mss(const unsigned long long *v, bool rollup, char *why,
		      size_t whylen)
{
	unsigned long long base_kb = g_ps >> 10, pmd_kb = g_pmd >> 10;

	CHK(v[F_RSS] == v[F_SC] + v[F_SD] + v[F_PC] + v[F_PD],
	    "Rss %llu != Shared_Clean+Shared_Dirty+Private_Clean+Private_Dirty %llu",
	    v[F_RSS], v[F_SC] + v[F_SD] + v[F_PC] + v[F_PD]);
	CHK(v[F_RSS] % base_kb == 0, "Rss %llu not a multiple of the page size",
	    v[F_RSS]);
	CHK(v[F_PSS] <= v[F_RSS], "Pss %llu > Rss %llu", v[F_PSS], v[F_RSS]);
	CHK(v[F_PSS_DIRTY] <= v[F_PSS], "Pss_Dirty %llu > Pss %llu",
	    v[F_PSS_DIRTY], v[F_PSS]);
	CHK(v[F_PSS_DIRTY] <= v[F_SD] + v[F_PD],
	    "Pss_Dirty %llu > Shared_Dirty+Private_Dirty %llu",
	    v[F_PSS_DIRTY], v[F_SD] + v[F_PD]);
	CHK(v[F_REF] <= v[F_RSS], "Referenced %llu > Rss %llu", v[F_REF],
	    v[F_RSS]);
	CHK(v[F_ANON] <= v[F_RSS], "Anonymous %llu > Rss %llu", v[F_ANON],
	    v[F_RSS]);
	CHK(v[F_KSM] <= v[F_RSS], "KSM %llu > Rss %llu", v[F_KSM], v[F_RSS]);
	CHK(v[F_LAZY] <= v[F_ANON], "LazyFree %llu > Anonymous %llu",
	    v[F_LAZY], v[F_ANON]);
	CHK(v[F_AHP] <= v[F_ANON], "AnonHugePages %llu > Anonymous %llu",
	    v[F_AHP], v[F_ANON]);
	CHK(v[F_AHP] % pmd_kb == 0, "AnonHugePages %llu not a multiple of %llu",
	    v[F_AHP], pmd_kb);
	CHK(v[F_SHMEMPMD] <= v[F_RSS], "ShmemPmdMapped %llu > Rss %llu",
	    v[F_SHMEMPMD], v[F_RSS]);
	CHK(v[F_FILEPMD] <= v[F_RSS], "FilePmdMapped %llu > Rss %llu",
	    v[F_FILEPMD], v[F_RSS]);
	CHK(v[F_SWAPPSS] <= v[F_SWAP], "SwapPss %llu > Swap %llu",
	    v[F_SWAPPSS], v[F_SWAP]);
	CHK(v[F_LOCKED] <= v[F_PSS], "Locked %llu > Pss %llu", v[F_LOCKED],
	    v[F_PSS]);
	if (rollup) {
		unsigned long long s = v[F_PSS_ANON] + v[F_PSS_FILE] +
				       v[F_PSS_SHMEM];

		/* each of the three is rounded down on its own */
		CHK(s <= v[F_PSS] && s + 2 >= v[F_PSS],
		    "Pss_Anon+Pss_File+Pss_Shmem %llu vs Pss %llu", s,
		    v[F_PSS]);
	}
	return true;
}

static bool check_smaps_block(const struct hdr *h,
			      const unsigned long long *v, const char *fl,
			      size_t fln, char *why, size_t whylen)
{
	unsigned long long base_kb = g_ps >> 10;
	unsigned long long size_kb = (h->end - h->start) >> 10;
	unsigned long long huge_kb = v[F_SHHUGE] + v[F_PRHUGE];
	bool ht = has_flag(fl, fln, "ht");

	CHK(v[F_SIZE] == size_kb, "Size %llu != (end - start) %llu kB",
	    v[F_SIZE], size_kb);
	CHK(v[F_KPS] >= base_kb && !(v[F_KPS] & (v[F_KPS] - 1)),
	    "KernelPageSize %llu", v[F_KPS]);
	CHK(v[F_MMUPS] >= base_kb && !(v[F_MMUPS] & (v[F_MMUPS] - 1)),
	    "MMUPageSize %llu", v[F_MMUPS]);
	CHK(v[F_THPELIG] <= 1, "THPeligible %llu", v[F_THPELIG]);
	CHK(v[F_RSS] <= v[F_SIZE], "Rss %llu > Size %llu", v[F_RSS],
	    v[F_SIZE]);
	CHK(huge_kb <= v[F_SIZE], "Shared_Hugetlb+Private_Hugetlb %llu > Size",
	    huge_kb);
	if (!check_mss(v, false, why, whylen))
		return false;
	/* The header and VmFlags print the same vm_flags */
	CHK((h->perms[0] == 'r') == has_flag(fl, fln, "rd"),
	    "perms %s vs VmFlags rd", h->perms);
	CHK((h->perms[1] == 'w') == has_flag(fl, fln, "wr"),
	    "perms %s vs VmFlags wr", h->perms);
	CHK((h->perms[2] == 'x') == has_flag(fl, fln, "ex"),
	    "perms %s vs VmFlags ex", h->perms);
	CHK((h->perms[3] == 's') == has_flag(fl, fln, "ms"),
	    "perms %s vs VmFlags ms", h->perms);
	/* pss_locked accumulates every page's pss of a VM_LOCKED VMA only */
	if (!has_flag(fl, fln, "lo"))
		CHK(v[F_LOCKED] == 0, "Locked %llu without VmFlags lo",
		    v[F_LOCKED]);
	if (ht) {
		/* hugetlb pages are accounted as *_Hugetlb, not as Rss */
		CHK(v[F_KPS] > base_kb, "hugetlb VMA with KernelPageSize %llu",
		    v[F_KPS]);
		CHK(v[F_RSS] == 0 && v[F_ANON] == 0 && v[F_AHP] == 0,
		    "hugetlb VMA with Rss %llu Anonymous %llu", v[F_RSS],
		    v[F_ANON]);
		CHK(huge_kb % v[F_KPS] == 0,
		    "*_Hugetlb %llu not a multiple of KernelPageSize", huge_kb);
		CHK(v[F_SIZE] % v[F_KPS] == 0,
		    "hugetlb Size %llu not a multiple of KernelPageSize",
		    v[F_SIZE]);
	} else {
		CHK(v[F_KPS] == base_kb,
		    "KernelPageSize %llu on a VMA without VmFlags ht",
		    v[F_KPS]);
		CHK(huge_kb == 0, "*_Hugetlb %llu on a VMA without VmFlags ht",
		    huge_kb);
	}
	return true;
}

static void check_smaps(struct reader *r, const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len, *blk = NULL;
	unsigned long long v[NR_F];
	char why[256];
	struct hdr h;
	size_t pos = 0;
	uint64_t prev_end = 0;
	bool in_block = false, seen_pkey = false;
	int nblocks = 0;

	if (!len) {
		rfail(r, NULL, 0, "empty smaps");
		return;
	}
	if (e[-1] != '\n' || memchr(buf, 0, len)) {
		rfail(r, buf, len, "smaps not newline terminated or has a NUL");
		return;
	}
	while (p < e) {
		const char *l = p, *nl = memchr(p, '\n', e - p), *err;
		const char *fl = NULL;
		size_t n = nl - p, fln = 0;
		unsigned long long val = 0;
		int idx;

		p = nl + 1;
		if (!in_block) {
			err = parse_hdr(l, n, &h, false);
			if (err) {
				rfail(r, l, e - l, "smaps block header: %s", err);
				return;
			}
			/*
			 * m_start() resumes from the last VMA's start, so
			 * after a lock drop a block may start below the
			 * previous end (a VMA that grew), but ends only
			 * increase.
			 */
			if (h.end <= prev_end) {
				rfail(r, blk ? blk : l, e - (blk ? blk : l),
				      "smaps block end %llx <= previous end %llx",
				      (unsigned long long)h.end,
				      (unsigned long long)prev_end);
				return;
			}
			prev_end = h.end;
			blk = l;
			in_block = true;
			pos = 0;
			seen_pkey = false;
			memset(v, 0, sizeof(v));
			continue;
		}
		err = parse_field(l, n, &idx, &val, &fl, &fln);
		if (err) {
			rfail(r, blk, p - blk, "smaps field line: %s", err);
			return;
		}
		if (smaps_order[pos] == F_PKEY && idx != F_PKEY)
			pos++;
		if (pos >= NR_SMAPS_ORDER || (int)smaps_order[pos] != idx) {
			rfail(r, blk, p - blk,
			      "smaps field %s out of order (expected %s)",
			      fld_name[idx], pos < NR_SMAPS_ORDER ?
			      fld_name[smaps_order[pos]] : "a header");
			return;
		}
		pos++;
		if (idx == F_PKEY)
			seen_pkey = true;
		if (idx != F_VMFLAGS) {
			v[idx] = val;
			continue;
		}
		/* VmFlags ends the block */
		in_block = false;
		nblocks++;
		if (__atomic_load_n(&g_pkey_mode, __ATOMIC_RELAXED) < 0) {
			int exp = -1;

			__atomic_compare_exchange_n(&g_pkey_mode, &exp, seen_pkey,
						    false, __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED);
		}
		if (__atomic_load_n(&g_pkey_mode, __ATOMIC_RELAXED) !=
		    seen_pkey) {
			rfail(r, blk, p - blk,
			      "ProtectionKey present in some blocks only");
			return;
		}
		if (!check_smaps_block(&h, v, fl, fln, why, sizeof(why))) {
			rfail(r, blk, p - blk, "smaps block: %s", why);
			return;
		}
	}
	if (in_block)
		rfail(r, blk, e - blk, "smaps ends inside a block");
	else if (!nblocks)
		rfail(r, buf, len, "smaps without a block");
}

static void check_rollup(struct reader *r, const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len, *err;
	unsigned long long v[NR_F];
	char why[256];
	struct hdr h;
	size_t pos;

	if (!len) {
		rfail(r, NULL, 0, "empty smaps_rollup");
		return;
	}
	if (e[-1] != '\n' || memchr(buf, 0, len)) {
		rfail(r, buf, len, "smaps_rollup not newline terminated or has a NUL");
		return;
	}
	memset(v, 0, sizeof(v));
	for (pos = 0; p < e; pos++) {
		const char *l = p, *nl = memchr(p, '\n', e - p), *fl;
		size_t n = nl - p, fln;
		unsigned long long val = 0;
		int idx;

		p = nl + 1;
		if (!pos) {
			err = parse_hdr(l, n, &h, true);
			if (err) {
				rfail(r, buf, len, "smaps_rollup header: %s", err);
				return;
			}
			if (strcmp(h.perms, "---p") || h.pgoff || h.ino ||
			    h.namelen != 8 || memcmp(h.name, "[rollup]", 8)) {
				rfail(r, buf, len, "smaps_rollup header is not a [rollup] one");
				return;
			}
			continue;
		}
		err = parse_field(l, n, &idx, &val, &fl, &fln);
		if (err) {
			rfail(r, buf, len, "smaps_rollup field line: %s", err);
			return;
		}
		if (pos - 1 >= NR_ROLLUP_ORDER ||
		    (int)rollup_order[pos - 1] != idx) {
			rfail(r, buf, len, "smaps_rollup field %s out of order",
			      fld_name[idx]);
			return;
		}
		v[idx] = val;
	}
	if (pos != NR_ROLLUP_ORDER + 1) {
		rfail(r, buf, len, "smaps_rollup has %zu lines, expected %zu",
		      pos, NR_ROLLUP_ORDER + 1);
		return;
	}
	if (!check_mss(v, true, why, sizeof(why))) {
		rfail(r, buf, len, "smaps_rollup: %s", why);
		return;
	}
	/* every address is visited at most once, even across lock drops */
	if (v[F_RSS] > (h.end - h.start) >> 10)
		rfail(r, buf, len, "smaps_rollup Rss %llu > its range %llu kB",
		      v[F_RSS], (unsigned long long)(h.end - h.start) >> 10);
}

static void *reader_smaps(void *arg)
{
	struct reader *r = arg;
	int ret;

	while (!readers_stop()) {
		ret = slurp(r->path, &r->b, pick_chunk(r));
		if (ret < 0 || !r->b.len) {
			if (target_gone())
				break;
			rfail(r, NULL, 0, "read %s: %s", r->path,
			      ret < 0 ? strerror(-ret) : "empty");
		} else if (r == &readers[R_SMAPS]) {
			check_smaps(r, r->b.p, r->b.len);
		} else {
			check_rollup(r, r->b.p, r->b.len);
		}
		__atomic_fetch_add(&r->iters, 1, __ATOMIC_RELAXED);
		rbeat(r);
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* --- numa_maps ------------------------------------------------------ */

static const char *const mpol_names[] = {
	/* mpol_to_str() policy_modes[], longest prefixes first */
	"weighted interleave", "prefer (many)", "interleave", "default",
	"prefer", "bind", "local",
};

static bool numa_num(const char *tok, size_t tl, const char *key,
		     uint64_t *v)
{
	size_t kl = strlen(key);
	const char *p = tok + kl;

	if (tl <= kl || memcmp(tok, key, kl))
		return false;
	return parse_dec(&p, tok + tl, v) && p == tok + tl;
}

/* show_numa_map(): NULL if the line is well formed, else what is wrong */
static const char *check_numa_line(const char *l, size_t n)
{
	static const char *const stat_keys[] = {
		"anon=", "dirty=", "mapped=", "mapmax=", "swapcache=",
		"active=", "writeback=",
	};
	enum { S_ANON, S_DIRTY, S_MAPPED, S_MAPMAX, S_SWAPCACHE, S_ACTIVE,
	       S_WRITEBACK, NR_S };
	const char *p = l, *e = l + n, *tok;
	uint64_t addr, st[NR_S] = { 0 }, nsum = 0, kps = 0, v;
	bool have[NR_S] = { false }, huge = false, have_n = false;
	int stage = 0;	/* 0 location, 1 huge, 2.. stats, N, kps */
	int last_key = -1, last_node = -1;
	size_t i, tl;

	if (!parse_hex(&p, e, &addr, 8) || !expect_ch(&p, e, ' '))
		return "no address";
	if (addr & (g_ps - 1))
		return "address not page aligned";
	for (i = 0; i < ARRAY_SIZE(mpol_names); i++) {
		size_t ml = strlen(mpol_names[i]);

		if ((size_t)(e - p) >= ml && !memcmp(p, mpol_names[i], ml)) {
			p += ml;
			break;
		}
	}
	if (i == ARRAY_SIZE(mpol_names))
		return "unknown memory policy";
	if (p < e && *p == '=') {	/* =static, =relative, =balancing */
		p++;
		while (p < e && ((*p >= 'a' && *p <= 'z') || *p == '|'))
			p++;
	}
	if (p < e && *p == ':') {	/* nodelist */
		p++;
		if (p >= e || *p < '0' || *p > '9')
			return "bad policy nodelist";
		while (p < e && ((*p >= '0' && *p <= '9') || *p == ',' ||
				 *p == '-'))
			p++;
	}
	while (p < e) {
		if (*p != ' ')
			return "junk after policy or token";
		tok = ++p;
		while (p < e && *p != ' ')
			p++;
		tl = p - tok;
		if (!tl)
			return "empty token";
		if (stage == 0 && ((tl > 5 && !memcmp(tok, "file=", 5)) ||
				   (tl == 4 && !memcmp(tok, "heap", 4)) ||
				   (tl == 5 && !memcmp(tok, "stack", 5)))) {
			stage = 1;
			continue;
		}
		if (stage <= 1 && tl == 4 && !memcmp(tok, "huge", 4)) {
			huge = true;
			stage = 2;
			continue;
		}
		if (stage < 2)
			stage = 2;
		if (kps)
			return "token after kernelpagesize_kB";
		for (i = 0; i < NR_S; i++)
			if (numa_num(tok, tl, stat_keys[i], &v))
				break;
		if (i < NR_S) {
			if ((int)i <= last_key || have_n)
				return "statistic out of order";
			last_key = i;
			have[i] = true;
			st[i] = v;
			continue;
		}
		if (tok[0] == 'N') {
			const char *q = tok + 1;
			uint64_t node;

			if (!parse_dec(&q, tok + tl, &node) || q >= tok + tl ||
			    *q != '=' || node >= 1024)
				return "bad N<node>= token";
			q++;
			if (!parse_dec(&q, tok + tl, &v) || q != tok + tl || !v)
				return "bad N<node>= count";
			if ((int)node <= last_node)
				return "nodes out of order";
			last_node = node;
			have_n = true;
			nsum += v;
			continue;
		}
		if (numa_num(tok, tl, "kernelpagesize_kB=", &kps) && kps)
			continue;
		return "unknown token";
	}
	if (!kps) {
		/* no pages: no statistics at all */
		if (last_key >= 0 || have_n)
			return "statistics without kernelpagesize_kB";
		return NULL;
	}
	if (!have_n)
		return "pages but no N<node>= counts";
	if (huge ? kps <= (g_ps >> 10) : kps != (g_ps >> 10))
		return "kernelpagesize_kB does not match huge";
	/* pages == sum of N<node>=; "mapped" is printed iff it differs */
	if (have[S_MAPPED]) {
		if (st[S_MAPPED] != nsum)
			return "mapped != sum of N<node>=";
		if (st[S_MAPPED] == st[S_ANON] || st[S_MAPPED] == st[S_DIRTY])
			return "mapped printed though equal to anon or dirty";
	} else if (nsum != st[S_ANON] && nsum != st[S_DIRTY]) {
		return "sum of N<node>= is neither mapped, anon nor dirty";
	}
	if (st[S_ANON] > nsum || st[S_DIRTY] > nsum ||
	    st[S_SWAPCACHE] > nsum || st[S_WRITEBACK] > nsum)
		return "a count exceeds the pages";
	if ((have[S_ANON] && !st[S_ANON]) || (have[S_DIRTY] && !st[S_DIRTY]) ||
	    (have[S_SWAPCACHE] && !st[S_SWAPCACHE]) ||
	    (have[S_WRITEBACK] && !st[S_WRITEBACK]))
		return "a zero count printed";
	if (have[S_MAPMAX] && st[S_MAPMAX] < 2)
		return "mapmax < 2";
	if (have[S_ACTIVE] && (huge || st[S_ACTIVE] >= nsum))
		return "active printed though not below the pages";
	return NULL;
}

static void check_numa(struct reader *r, const char *buf, size_t len)
{
	const char *p = buf, *e = buf + len;

	if (!len) {
		rfail(r, NULL, 0, "empty numa_maps");
		return;
	}
	if (e[-1] != '\n' || memchr(buf, 0, len)) {
		rfail(r, buf, len, "numa_maps not newline terminated or has a NUL");
		return;
	}
	while (p < e) {
		const char *l = p, *nl = memchr(p, '\n', e - p), *err;

		p = nl + 1;
		err = check_numa_line(l, nl - l);
		if (err) {
			rfail(r, l, p - l, "numa_maps line: %s", err);
			return;
		}
	}
}

static void *reader_numa(void *arg)
{
	struct reader *r = arg;
	int ret;

	while (!readers_stop()) {
		ret = slurp(r->path, &r->b, pick_chunk(r));
		if (ret < 0 || !r->b.len) {
			if (target_gone())
				break;
			rfail(r, NULL, 0, "read %s: %s", r->path,
			      ret < 0 ? strerror(-ret) : "empty");
		} else {
			check_numa(r, r->b.p, r->b.len);
		}
		__atomic_fetch_add(&r->iters, 1, __ATOMIC_RELAXED);
		rbeat(r);
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* --- pagemap -------------------------------------------------------- */

struct range {
	uint64_t start, end;
};

/*
 * Read and check /proc/pid/maps; collect the VMAs inside the user address
 * space (not x86's [vsyscall]).  Returns the number of ranges, or -1 when
 * the target is gone.
 */
static int read_maps(struct reader *r, struct buf *b, struct range **rp,
		     size_t *cap)
{
	char path[64];
	const char *p, *e, *err;
	uint64_t prev_end = 0;
	struct hdr h;
	int ret, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/maps", g_pid);
	ret = slurp(path, b, pick_chunk(r));
	if (ret < 0 || !b->len) {
		if (target_gone())
			return -1;
		rfail(r, NULL, 0, "read %s: %s", path,
		      ret < 0 ? strerror(-ret) : "empty");
		return 0;
	}
	p = b->p;
	e = b->p + b->len;
	if (e[-1] != '\n' || memchr(p, 0, b->len)) {
		rfail(r, p, b->len, "maps not newline terminated or has a NUL");
		return 0;
	}
	while (p < e) {
		const char *l = p, *nl = memchr(p, '\n', e - p);

		p = nl + 1;
		err = parse_hdr(l, nl - l, &h, false);
		if (!err && h.end <= prev_end)
			err = "end not above the previous end";
		if (err) {
			rfail(r, l, p - l, "maps line: %s", err);
			return n;
		}
		prev_end = h.end;
		if (h.end > g_task_size)
			continue;
		if ((size_t)n >= *cap) {
			*cap = *cap ? *cap * 2 : 256;
			*rp = realloc(*rp, *cap * sizeof(**rp));
			if (!*rp)
				abort();
		}
		(*rp)[n].start = h.start;
		(*rp)[n].end = h.end;
		n++;
	}
	return n;
}

/* pagemap entries: what 6.12's make_pme() can produce */
static bool check_pme(struct reader *r, const uint64_t *pme, size_t n,
		      uint64_t addr)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t x = pme[i];
		const char *err = NULL;

		if (x & PM_RESERVED_BITS)
			err = "reserved bits 58-60 set";
		else if ((x & PM_PRESENT) && (x & PM_SWAP))
			err = "both present and swapped";
		else if (!(x & (PM_PRESENT | PM_SWAP)) && (x & PM_PFRAME_MASK))
			err = "frame bits set on a non-present entry";
		if (err) {
			rfail(r, NULL, 0, "pagemap entry %016llx for %llx: %s",
			      (unsigned long long)x,
			      (unsigned long long)(addr + i * g_ps), err);
			return false;
		}
	}
	return true;
}

#define PM_CHUNK	65536	/* entries per pread */

/*
 * Start a round of a pagemap reader: the target's mappings as they are now
 * in *rg, and its pagemap open in *fdp.  Returns the number of mappings,
 * -1 when the reader is done (the target is gone), or -2 when this round
 * failed (counted) and the next one should be tried.
 */
static int pagemap_round(struct reader *r, struct buf *mb, struct range **rg,
			 size_t *cap, int *fdp)
{
	int n = read_maps(r, mb, rg, cap);

	if (n < 0)
		return -1;
	*fdp = open(r->path, O_RDONLY | O_CLOEXEC);
	if (*fdp < 0) {
		if (target_gone())
			return -1;
		rfail(r, NULL, 0, "open %s: %s", r->path, strerror(errno));
		return -2;
	}
	return n;
}

static void *reader_pagemap(void *arg)
{
	struct reader *r = arg;
	struct range *rg = NULL;
	size_t cap = 0;
	uint64_t *pme = malloc(PM_CHUNK * 8);
	struct buf mb = { 0 };
	int fd, n, i;

	if (!pme)
		abort();
	while (!readers_stop()) {
		bool stop = false;

		n = pagemap_round(r, &mb, &rg, &cap, &fd);
		if (n == -1)
			break;
		if (n == -2)
			continue;
		for (i = 0; i < n && !stop && !readers_stop(); i++) {
			uint64_t a = rg[i].start;

			while (a < rg[i].end) {
				uint64_t np = (rg[i].end - a) >> g_pshift;
				ssize_t ret;

				if (np > PM_CHUNK)
					np = PM_CHUNK;
				ret = pread(fd, pme, np * 8,
					    (off_t)((a >> g_pshift) * 8));
				if (ret != (ssize_t)(np * 8)) {
					int e = errno;

					if (ret <= 0 && target_gone()) {
						stop = true;
						break;
					}
					rfail(r, NULL, 0,
					      "pread(%llu bytes at %llx for %llx) = %zd%s%s",
					      (unsigned long long)np * 8,
					      (unsigned long long)(a >> g_pshift) * 8,
					      (unsigned long long)a, ret,
					      ret < 0 ? ": " : "",
					      ret < 0 ? strerror(e) : "");
					break;
				}
				if (!check_pme(r, pme, np, a))
					break;
				a += np << g_pshift;
				rbeat(r);
			}
		}
		close(fd);
		if (stop)
			break;
		__atomic_fetch_add(&r->iters, 1, __ATOMIC_RELAXED);
		rbeat(r);
	}
	free(pme);
	free(rg);
	free(mb.p);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* untagged_addr_remote() of 6.12: arm64 drops the top byte (TBI) */
static uint64_t untag(uint64_t a)
{
#ifdef __aarch64__
	if (!(a & (1ULL << 55)))
		a &= (1ULL << 56) - 1;
#endif
	return a;
}

/*
 * What 6.12's pagemap_read() returns for COUNT bytes at OFF: -EINVAL
 * unless both are multiples of 8; else the entries of the pages from
 * untag(OFF / 8 * PAGE_SIZE) up to the end of the user address space,
 * at most COUNT bytes' worth; 0 from there on (and past ULONG_MAX).
 */
static long long pagemap_expect(uint64_t off, uint64_t count)
{
	uint64_t svpfn, start, end, end_vaddr = g_task_size;

	if (off % 8 || count % 8)
		return -EINVAL;
	if (!count)
		return 0;
	svpfn = off / 8;
	start = end_vaddr;
	if (svpfn <= (UINT64_MAX >> g_pshift)) {
		start = untag(svpfn << g_pshift);
		end = start + ((count / 8) << g_pshift);
		if (end >= start && end < g_task_size)
			end_vaddr = end;
	}
	if (start > g_task_size)
		start = end_vaddr;
	if (start >= end_vaddr)
		return 0;
	if (((end_vaddr - start) >> g_pshift) * 8 < count)
		return ((end_vaddr - start) >> g_pshift) * 8;
	return count;
}

static void *reader_pagemap_random(void *arg)
{
	struct reader *r = arg;
	struct range *rg = NULL;
	size_t cap = 0;
	struct buf mb = { 0 };
	size_t bufsz = 65536 * 8 + 8;
	char *buf = malloc(bufsz);
	int fd, n, i;

	if (!buf)
		abort();
	while (!readers_stop()) {
		bool stop = false;

		n = pagemap_round(r, &mb, &rg, &cap, &fd);
		if (n == -1)
			break;
		if (n == -2)
			continue;
		for (i = 0; i < 64 && !readers_stop(); i++) {
			uint64_t addr, off, count;
			long long exp;
			ssize_t ret;
			int e;

			switch (rnd(&r->rng, 8)) {
			case 0: case 1: case 2:	/* inside a VMA */
				if (n > 0) {
					struct range *x = &rg[rnd(&r->rng, n)];

					addr = x->start + (rnd(&r->rng,
						(x->end - x->start) >> g_pshift)
						<< g_pshift);
					break;
				}
				/* fall through */
			case 3:		/* anywhere in the user address space */
				addr = rnd(&r->rng, g_task_size >> g_pshift)
				       << g_pshift;
				break;
			case 4:		/* straddling its end */
				addr = g_task_size -
				       ((rnd(&r->rng, 64) + 1) << g_pshift);
				break;
			case 5:		/* past its end, up to 2^64 */
				addr = g_task_size + ((rnd64(&r->rng) %
					((0 - g_task_size) >> g_pshift))
					<< g_pshift);
				if (!rnd(&r->rng, 4))
					addr = g_task_size;
				break;
			case 6:		/* tagged: top byte set */
				addr = (rnd(&r->rng, g_task_size >> g_pshift)
					<< g_pshift) |
				       (rnd(&r->rng, 256) << 56);
				break;
			default:	/* offset past ULONG_MAX >> PAGE_SHIFT */
				addr = 0;
				break;
			}
			off = (addr >> g_pshift) * 8;
			if (addr == 0 && !rnd(&r->rng, 2))
				off = ((UINT64_MAX >> g_pshift) + 1 +
				       rnd(&r->rng, 1ULL << 40)) * 8;
			if (!rnd(&r->rng, 8))
				off += 1 + rnd(&r->rng, 7);	/* misaligned */
			switch (rnd(&r->rng, 6)) {
			case 0:
				count = 8;
				break;
			case 1:
				count = 8 * (1 + rnd(&r->rng, 512));
				break;
			case 2:
				count = 8 * (1 + rnd(&r->rng, 65536));
				break;
			case 3:		/* not a multiple of 8 */
				count = 1 + rnd(&r->rng, 4096);
				if (!(count % 8))
					count++;
				break;
			case 4:
				count = (off % 8) ? 8 : 0;
				break;
			default:
				count = 8 * (1 + rnd(&r->rng, 4096)) +
					(rnd(&r->rng, 2) ? 1 + rnd(&r->rng, 7) : 0);
				break;
			}
			exp = pagemap_expect(off, count);
			errno = 0;
			ret = pread(fd, buf, count, (off_t)off);
			e = errno;
			if (exp > 0 && ret == 0 && target_gone()) {
				stop = true;
				break;
			}
			if ((exp < 0 && (ret != -1 || e != -exp)) ||
			    (exp >= 0 && ret != exp)) {
				if (ret < 0 && target_gone()) {
					stop = true;
					break;
				}
				rfail(r, NULL, 0,
				      "pread(count %llu, offset %#llx = addr %#llx) = %zd (%s), 6.12 gives %lld",
				      (unsigned long long)count,
				      (unsigned long long)off,
				      (unsigned long long)(off / 8) << g_pshift,
				      ret, ret < 0 ? strerror(e) : "ok", exp);
				continue;
			}
			if (ret > 0 && !check_pme(r, (uint64_t *)buf, ret / 8,
						  untag((off / 8) << g_pshift)))
				continue;
			rbeat(r);
		}
		close(fd);
		if (stop)
			break;
		__atomic_fetch_add(&r->iters, 1, __ATOMIC_RELAXED);
		rbeat(r);
	}
	free(buf);
	free(rg);
	free(mb.p);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* --- PAGEMAP_SCAN ---------------------------------------------------- */

#define SCAN_VEC_MAX	4096

/* 1: fine, 0: error reported, -1: target gone */
static int scan_one(struct reader *r, int fd, struct page_region *vec,
		    uint64_t start, uint64_t end, uint64_t vec_len,
		    uint64_t max_pages, uint64_t mask, uint64_t anyof,
		    uint64_t inverted, uint64_t flags)
{
	struct pm_scan_arg a;
	uint64_t aend = (end + g_ps - 1) & ~(uint64_t)(g_ps - 1);
	uint64_t prev = start, total = 0, bounce;
	long ret;
	long i;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.flags = flags;
	a.start = start;
	a.end = end;
	a.vec = (uintptr_t)vec;
	a.vec_len = vec_len;
	a.max_pages = max_pages;
	a.category_mask = mask;
	a.category_anyof_mask = anyof;
	a.category_inverted = inverted;
	a.return_mask = SCAN_CATEGORIES;
	ret = ioctl(fd, PAGEMAP_SCAN, &a);
	if (ret < 0) {
		int e = errno;

		if (target_gone())
			return -1;
		rfail(r, NULL, 0, "PAGEMAP_SCAN [%llx, %llx) vec_len %llu: %s",
		      (unsigned long long)start, (unsigned long long)end,
		      (unsigned long long)vec_len, strerror(e));
		return 0;
	}
	if ((uint64_t)ret > vec_len) {
		rfail(r, NULL, 0, "PAGEMAP_SCAN returned %ld > vec_len %llu",
		      ret, (unsigned long long)vec_len);
		return 0;
	}
	if (a.walk_end < start || a.walk_end > aend) {
		rfail(r, NULL, 0, "PAGEMAP_SCAN walk_end %llx outside [%llx, %llx]",
		      (unsigned long long)a.walk_end,
		      (unsigned long long)start, (unsigned long long)aend);
		return 0;
	}
	for (i = 0; i < ret; i++) {
		struct page_region *p = &vec[i];
		uint64_t c = p->categories;
		const char *err = NULL;

		if (p->start < prev)
			err = "overlaps or precedes the previous region";
		else if (p->end <= p->start)
			err = "empty or inverted";
		else if (p->end > aend)
			err = "ends past the requested end";
		else if ((p->start | p->end) & (g_ps - 1))
			err = "not page aligned";
		else if (c & ~(uint64_t)SCAN_CATEGORIES)
			err = "categories outside return_mask";
		else if ((c & PAGE_IS_PRESENT) && (c & PAGE_IS_SWAPPED))
			err = "both present and swapped";
		else if ((c & PAGE_IS_PFNZERO) && !(c & PAGE_IS_PRESENT))
			err = "zero pfn but not present";
		else if (((c ^ inverted) & mask) != mask)
			err = "does not match category_mask";
		else if (anyof && !((c ^ inverted) & anyof))
			err = "does not match category_anyof_mask";
		if (err) {
			rfail(r, NULL, 0,
			      "PAGEMAP_SCAN [%llx, %llx) mask %llx anyof %llx inv %llx: region %ld/%ld [%llx, %llx) cat %llx: %s",
			      (unsigned long long)start, (unsigned long long)end,
			      (unsigned long long)mask, (unsigned long long)anyof,
			      (unsigned long long)inverted, i, ret,
			      (unsigned long long)p->start,
			      (unsigned long long)p->end,
			      (unsigned long long)c, err);
			return 0;
		}
		prev = p->end;
		total += (p->end - p->start) >> g_pshift;
	}
	if (max_pages && total > max_pages) {
		rfail(r, NULL, 0, "PAGEMAP_SCAN found %llu pages > max_pages %llu",
		      (unsigned long long)total, (unsigned long long)max_pages);
		return 0;
	}
	/*
	 * With fewer regions than the kernel's bounce buffer holds and below
	 * max_pages, the walk never stopped early: walk_end is the end.
	 * (After a refill of the bounce buffer, 6.12 leaves walk_end where
	 * the buffer filled up, even when the walk then goes on to the end:
	 * regions can end past walk_end.  Not asserted.)
	 */
	bounce = g_pmd >> g_pshift;
	if (vec_len < bounce)
		bounce = vec_len;
	if ((uint64_t)ret < bounce && ret > 0 && vec[ret - 1].end > a.walk_end) {
		rfail(r, NULL, 0,
		      "PAGEMAP_SCAN [%llx, %llx): region [%llx, %llx) ends past walk_end %llx",
		      (unsigned long long)start, (unsigned long long)end,
		      (unsigned long long)vec[ret - 1].start,
		      (unsigned long long)vec[ret - 1].end,
		      (unsigned long long)a.walk_end);
		return 0;
	}
	if ((uint64_t)ret < bounce && (!max_pages || total < max_pages) &&
	    a.walk_end != aend) {
		rfail(r, NULL, 0,
		      "PAGEMAP_SCAN [%llx, %llx) returned %ld regions, %llu pages, but walk_end %llx",
		      (unsigned long long)start, (unsigned long long)end, ret,
		      (unsigned long long)total,
		      (unsigned long long)a.walk_end);
		return 0;
	}
	return 1;
}

/* Arguments 6.12's pagemap_scan_get_args() rejects with EINVAL */
static int scan_bad_args(struct reader *r, int fd, struct page_region *vec)
{
	struct pm_scan_arg a;
	int which = rnd(&r->rng, 4);
	long ret;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.start = 0;
	a.end = g_ps * 16;
	a.vec = (uintptr_t)vec;
	a.vec_len = 16;
	a.return_mask = SCAN_CATEGORIES;
	switch (which) {
	case 0:
		a.size = sizeof(a) - 8;
		break;
	case 1:
		a.start = g_ps / 2;
		break;
	case 2:
		a.return_mask = 1ULL << 20;
		break;
	default:
		a.vec = 0;
		break;
	}
	ret = ioctl(fd, PAGEMAP_SCAN, &a);
	if (ret == -1 && errno == EINVAL)
		return 1;
	if (target_gone())
		return -1;
	rfail(r, NULL, 0, "PAGEMAP_SCAN with bad argument %d returned %ld (%s), expected EINVAL",
	      which, ret, ret < 0 ? strerror(errno) : "ok");
	return 0;
}

/* One round of the pagemap_scan reader: 1 fine, 0 error, -1 target gone */
static int scan_round(struct reader *r, int fd, struct page_region *vec,
		      struct range *rg, int n)
{
	static const uint64_t vec_lens[] = { 1, 2, 3, 7, 64, 513, SCAN_VEC_MAX };
	int i, ret;

	/* the whole user address space, small and large buffers */
	ret = scan_one(r, fd, vec, 0, g_task_size, SCAN_VEC_MAX, 0, 0, 0, 0, 0);
	if (ret >= 0)
		ret = scan_one(r, fd, vec, 0, g_task_size,
			       1 + rnd(&r->rng, 8), 0, 0, 0, 0, 0);
	for (i = 0; i < 16 && ret >= 0 && !readers_stop(); i++) {
		uint64_t start, end, len, mask = 0, anyof = 0, inv = 0;
		uint64_t max_pages = 0;

		if (n > 0 && rnd(&r->rng, 4)) {
			struct range *x = &rg[rnd(&r->rng, n)];

			start = x->start + (rnd(&r->rng,
				(x->end - x->start) >> g_pshift)
				<< g_pshift);
		} else {
			start = rnd(&r->rng, g_task_size >> g_pshift)
				<< g_pshift;
		}
		len = (1 + rnd(&r->rng, rnd(&r->rng, 2) ? 64 : 32768))
		      << g_pshift;
		if (!rnd(&r->rng, 4))
			len -= rnd(&r->rng, g_ps);	/* unaligned end */
		end = start + len;
		if (end > g_task_size)
			end = g_task_size;
		switch (rnd(&r->rng, 5)) {
		case 1:
			mask = PAGE_IS_PRESENT;
			break;
		case 2:
			anyof = PAGE_IS_PRESENT | PAGE_IS_SWAPPED;
			break;
		case 3:
			mask = PAGE_IS_PRESENT | PAGE_IS_PFNZERO;
			inv = PAGE_IS_PFNZERO;
			break;
		case 4:
			anyof = PAGE_IS_HUGE | PAGE_IS_FILE;
			break;
		default:
			break;
		}
		if (!rnd(&r->rng, 4))
			max_pages = 1 + rnd(&r->rng, 1024);
		ret = scan_one(r, fd, vec, start, end,
			       vec_lens[rnd(&r->rng, ARRAY_SIZE(vec_lens))],
			       max_pages, mask, anyof, inv, 0);
		rbeat(r);
	}
	if (ret >= 0 && !rnd(&r->rng, 4))
		ret = scan_bad_args(r, fd, vec);
	return ret;
}

/*
 * One round of the pagemap_scan_wp reader: PAGEMAP_SCAN write-protecting
 * what was written (PM_SCAN_WP_MATCHING).  The VMAs the target registered
 * for asynchronous uffd-wp (mutator uffd_wp) are walked in write mode, the
 * others skipped: the whole address space and random ranges, with random
 * buffers and max_pages, and now and then with no buffer at all (the
 * walker's write-protect-only path).
 */
static int scan_wp_round(struct reader *r, int fd, struct page_region *vec,
			 struct range *rg, int n)
{
	static const uint64_t vec_lens[] = { 1, 2, 7, 64, SCAN_VEC_MAX };
	const uint64_t f = PM_SCAN_WP_MATCHING;
	int i, ret;

	ret = scan_one(r, fd, vec, 0, g_task_size, SCAN_VEC_MAX, 0,
		       PAGE_IS_WRITTEN, 0, 0, f);
	for (i = 0; i < 8 && ret >= 0 && !readers_stop(); i++) {
		struct range *x = n > 0 ? &rg[rnd(&r->rng, n)] : NULL;
		uint64_t start = 0, end = g_task_size;

		if (x) {
			start = x->start + (rnd(&r->rng,
				(x->end - x->start) >> g_pshift) << g_pshift);
			end = start + ((1 + rnd(&r->rng, 1024)) << g_pshift);
			if (end > g_task_size)
				end = g_task_size;
		}
		ret = scan_one(r, fd, vec, start, end,
			       vec_lens[rnd(&r->rng, ARRAY_SIZE(vec_lens))],
			       rnd(&r->rng, 2) ? 1 + rnd(&r->rng, 512) : 0,
			       PAGE_IS_WRITTEN, 0, 0, f);
		rbeat(r);
	}
	if (ret >= 0 && !rnd(&r->rng, 4)) {
		struct pm_scan_arg a = {
			.size = sizeof(a), .flags = f,
			.start = 0, .end = g_task_size,
			.category_mask = PAGE_IS_WRITTEN,
			.return_mask = PAGE_IS_WRITTEN,
		};
		long got = ioctl(fd, PAGEMAP_SCAN, &a);

		if (got < 0 && target_gone())
			return -1;
		if (got != 0)
			rfail(r, NULL, 0, "PAGEMAP_SCAN write-protect only returned %ld (%s)",
			      got, got < 0 ? strerror(errno) : "ranges with no buffer");
	}
	return ret;
}

/* A PAGEMAP_SCAN reader: ROUND once per opening of the target's pagemap. */
static void *scan_reader(struct reader *r,
			 int (*round)(struct reader *r, int fd, struct page_region *vec,
				      struct range *rg, int n))
{
	struct page_region *vec = calloc(SCAN_VEC_MAX, sizeof(*vec));
	struct range *rg = NULL;
	size_t cap = 0;
	struct buf mb = { 0 };
	int fd, n, ret;

	if (!vec)
		abort();
	while (!readers_stop()) {
		n = pagemap_round(r, &mb, &rg, &cap, &fd);
		if (n == -1)
			break;
		if (n == -2)
			continue;
		ret = round(r, fd, vec, rg, n);
		close(fd);
		if (ret < 0)
			break;
		__atomic_fetch_add(&r->iters, 1, __ATOMIC_RELAXED);
		rbeat(r);
	}
	free(vec);
	free(rg);
	free(mb.p);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *reader_pagemap_scan(void *arg)
{
	return scan_reader(arg, scan_round);
}

static void *reader_pagemap_scan_wp(void *arg)
{
	return scan_reader(arg, scan_wp_round);
}

/*
 * clear_refs: every mode that walks (1-4: young bits of all, anonymous or
 * file-backed mappings, soft-dirty bits), a write every 20 ms or so, with
 * the target's mmap lock held for writing each time.
 *
 * But on arm64 not the young bits of anonymous memory (1, 2): there, a
 * write to a page the uffd_wp mutator registered, after its young bit was
 * cleared, makes stock 6.12 warn under CONFIG_DEBUG_VM (do_wp_page() lifts
 * uffd-wp with set_pte_at() over a valid PTE that is not young:
 * __check_safe_pte_update(), "racy access flag clearing").  3 clears the
 * young bits of the target's shmem, 4 walks everything.
 */
#if defined(__aarch64__)
static const char clear_refs_modes[] = "34";
#else
static const char clear_refs_modes[] = "1234";
#endif

static void *reader_clear_refs(void *arg)
{
	struct reader *r = arg;
	char mode[2] = { 0 };
	int fd;

	while (!readers_stop()) {
		fd = open(r->path, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			if (target_gone())
				break;
			rfail(r, NULL, 0, "open %s: %s", r->path, strerror(errno));
			msleep(100);
			continue;
		}
		mode[0] = clear_refs_modes[rnd(&r->rng, sizeof(clear_refs_modes) - 1)];
		if (write(fd, mode, 1) != 1 && !target_gone())
			rfail(r, NULL, 0, "write %s to %s: %s", mode, r->path,
			      strerror(errno));
		close(fd);
		__atomic_fetch_add(&r->iters, 1, __ATOMIC_RELAXED);
		rbeat(r);
		msleep(20);
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* The readers main() starts: name, thread function, /proc/<pid> file */
const char *const rd_name[NR_RD] = {
	"smaps", "smaps_rollup", "numa_maps", "pagemap", "pagemap_random",
	"pagemap_scan", "pagemap_scan_wp", "clear_refs",
};

void *(*const rd_fn[NR_RD])(void *arg) = {
	reader_smaps, reader_smaps, reader_numa, reader_pagemap,
	reader_pagemap_random, reader_pagemap_scan, reader_pagemap_scan_wp,
	reader_clear_refs,
};

const char *const rd_file[NR_RD] = {
	"smaps", "smaps_rollup", "numa_maps", "pagemap", "pagemap",
	"pagemap", "pagemap", "clear_refs",
};
