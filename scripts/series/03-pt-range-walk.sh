# shellcheck shell=bash
SUBJECT="mm: add pt_walk_find() and the pt_range_walk iterator"
MSG=$(cat <<'M'
Instantiate the level-generic descent on live page tables as
pt_walk_find(): find the first leaf, PMD-level table or, on request, the
maximal run of empty entries (of any levels) in a range. It reads
entries locklessly and takes no lock.

On top of it, add pt_range_walk: an iterator (start/next/done, and
for_each_pt_range()) that describes what maps a range of a VMA, one
batch of entries at a time: a hole, a folio, a PTE marker, a PFN
mapping, swap, migration, device or hwpoison entries, with the range,
level, number of entries, folio and page, pfn, entry value and swap
entry, and the access, dirty, write, soft-dirty and uffd-wp bits of the
batch. Callers name the types they want; the others are skipped, never
allowed to end the walk, and an entry of unknown type warns once and is
skipped.

Unlike one descent and one lock per entry, the walk keeps its place
inside a PTE table: it descends once per table, maps and locks the table
once, and steps from entry to entry until the table ends, when it drops
the lock and calls cond_resched(); it does so after every step outside a
PTE table too (a huge leaf or a hole), so a long run of huge leaves
never goes without a reschedule. The commonest step, a PTE mapping a
small folio inside the held table, is inline in pt_range_walk_next();
any other entry, and every table boundary, goes out of line. Leaves
above the PTE level, present or not, are locked and re-validated before
they are described; when they changed, the walk descends again. hugetlb
entries are read as the PMD, PUD and contiguous leaves they are, under
the hugetlb lock for their size, with the hugetlb VMA lock held once for
the whole walk.

Batches are clamped to the walk, the table, the VMA and the folio. By
default a batch holds entries with identical bits, so per-page
accounting is unchanged; PTW_MERGE_BITS batches across
access/dirty/write/soft-dirty differences and reports them ORed. arm64
contiguous blocks are stepped over whole.

Misuse (an empty, unaligned or out-of-VMA range, no mmap or VMA lock
held, no type wanted) warns once and ends the walk; done() is
idempotent. A corrupt entry (pXd_bad()) is a hole: never read through,
never counted; a bad PMD is cleared by pte_offset_map_lock() as for
every other walker of PTE tables.

CONFIG_PT_WALK is a hidden symbol: the users of the walk select it.
M
)
FILES=(include/linux/pt_walk.h mm/pt_walk.c mm/pt_range_walk.c)
edit() {
	python3 - <<'PY'
k = open("mm/Kconfig").read()
block = '''config PT_WALK
	bool
	help
	  One descent through the page tables for every level (PGD..PTE and
	  a sixth level), built on per-architecture level-ops, and the
	  pt_range_walk iterator built on it, which tells its callers what
	  maps a range of a VMA with the locking and batching done for them.
	  Selected by its users (which depend on MMU); see
	  Documentation/mm/pt_walk.rst.

'''
i = k.rindex('source "mm/damon/Kconfig"')
open("mm/Kconfig", "w").write(k[:i] + block + k[i:])
m = open("mm/Makefile").read()
m += "obj-$(CONFIG_PT_WALK) += pt_walk.o pt_range_walk.o\n"
open("mm/Makefile", "w").write(m)
PY
}
