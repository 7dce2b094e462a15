/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of ptw_stress share: the system headers, fallbacks for
 * uapi definitions older headers lack, the state of the readers (parent)
 * and of the mutators (target, in a MAP_SHARED page the parent reads), the
 * globals set up by main() and the small utilities of util.c.  See
 * ptw_stress.c for what the program does.
 */
#ifndef PTW_STRESS_H
#define PTW_STRESS_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <linux/fs.h>
#include <linux/types.h>

/* Linux 6.12 include/uapi/linux/fs.h, for hosts whose headers predate it */
#ifndef PAGEMAP_SCAN
struct page_region {
	__u64 start;
	__u64 end;
	__u64 categories;
};

struct pm_scan_arg {
	__u64 size;
	__u64 flags;
	__u64 start;
	__u64 end;
	__u64 walk_end;
	__u64 vec;
	__u64 vec_len;
	__u64 max_pages;
	__u64 category_inverted;
	__u64 category_mask;
	__u64 category_anyof_mask;
	__u64 return_mask;
};

#define PAGEMAP_SCAN		_IOWR('f', 16, struct pm_scan_arg)
#endif
#ifndef PAGE_IS_WPALLOWED
#define PAGE_IS_WPALLOWED	(1 << 0)
#define PAGE_IS_WRITTEN		(1 << 1)
#define PAGE_IS_FILE		(1 << 2)
#define PAGE_IS_PRESENT		(1 << 3)
#define PAGE_IS_SWAPPED		(1 << 4)
#define PAGE_IS_PFNZERO		(1 << 5)
#define PAGE_IS_HUGE		(1 << 6)
#define PAGE_IS_SOFT_DIRTY	(1 << 7)
#endif
#ifndef PM_SCAN_WP_MATCHING
#define PM_SCAN_WP_MATCHING	(1 << 0)
#endif
_Static_assert(sizeof(struct pm_scan_arg) == 96, "pm_scan_arg layout");
_Static_assert(sizeof(struct page_region) == 24, "page_region layout");
_Static_assert(PAGEMAP_SCAN == 0xc0606610, "PAGEMAP_SCAN number");

#ifndef MADV_FREE
#define MADV_FREE		8
#endif
#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE		14
#define MADV_NOHUGEPAGE		15
#endif
#ifndef MADV_COLD
#define MADV_COLD		20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT		21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE		25
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif
#ifndef MAP_HUGETLB
#define MAP_HUGETLB		0x40000
#endif
#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT		26
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB		(21 << MAP_HUGE_SHIFT)
#endif
#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB		(30 << MAP_HUGE_SHIFT)
#endif
#ifndef MREMAP_MAYMOVE
#define MREMAP_MAYMOVE		1
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED		2
#endif
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE	0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE	0x02
#endif
#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC		0x01021994
#endif
#ifndef HUGETLBFS_MAGIC
#define HUGETLBFS_MAGIC		0x958458f6
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_PRINTED	3	/* offending outputs printed per thread */

/* ------------------------------------------------------------------ */
/* Mutators (threads of the target), mutators.c                        */

enum {
	M_MMAP, M_MADVISE, M_FORK_COW, M_HUGETLB_2M, M_HUGETLB_1G,
	M_THP_SPLIT, M_MIGRATE, M_SHMEM, M_UFFD_WP, NR_MUT
};

extern const char *const mut_name[NR_MUT];

/* Per-mutator state, in the MAP_SHARED page the parent reads */
struct mut_stat {
	unsigned long iters;
	unsigned long errors;
	unsigned long heartbeat;
	unsigned long expected;		/* tolerated failures */
	int unavailable;
	int done;
	int printed;
	char why[100];
	char last_expected[64];
};

struct shared {
	int ready;			/* target: mutators started */
	int stop;			/* parent: mutators, finish */
	int exiting;			/* target: leaving on purpose */
	struct mut_stat m[NR_MUT];
};

void target_main(pid_t parent);

/* ------------------------------------------------------------------ */
/* Utilities, util.c                                                   */

/* A growable buffer and a whole-file read in chunks of CHUNK bytes */
struct buf {
	char *p;
	size_t len, cap;
};

double now(void);
void msleep(unsigned int ms);
uint64_t rnd64(uint64_t *s);
uint64_t rnd(uint64_t *s, uint64_t n);
uint64_t seed_of(unsigned int salt);
long sysfs_long(const char *path);
bool sysfs_str(const char *path, char *b, size_t len);
int slurp(const char *path, struct buf *b, size_t chunk);

/* ------------------------------------------------------------------ */
/* Readers (threads of the parent), readers.c                          */

enum {
	R_SMAPS, R_ROLLUP, R_NUMA, R_PAGEMAP, R_PAGEMAP_RANDOM,
	R_PAGEMAP_SCAN, R_PAGEMAP_SCAN_WP, R_CLEAR_REFS, NR_RD
};

struct reader {
	const char *name;
	void *(*fn)(void *arg);
	unsigned long iters;
	unsigned long errors;
	unsigned long heartbeat;
	int done;
	int printed;
	pthread_t th;
	uint64_t rng;
	struct buf b;
	char path[64];
};

extern struct reader readers[NR_RD];
extern const char *const rd_name[NR_RD];
extern void *(*const rd_fn[NR_RD])(void *arg);
extern const char *const rd_file[NR_RD];

/* ------------------------------------------------------------------ */
/* Global state, set up by main() in ptw_stress.c                      */

extern struct shared *sh;
extern size_t g_ps;			/* base page size */
extern unsigned int g_pshift;
extern size_t g_pmd;			/* PMD (THP) size */
extern size_t g_unit;			/* THP-able region unit we use */
extern uint64_t g_task_size;		/* mm->task_size, probed */
extern bool g_thp_present;
extern pid_t g_pid;			/* target */
extern int g_readers_stop;
extern int g_target_dead;

#endif /* PTW_STRESS_H */
