# shellcheck shell=bash
SUBJECT="mm: add pt_walk_find() and the pt_range_walk iterator"
MSG=$(cat <<'M'
Instantiate the level-generic descent on live page tables as
pt_walk_find(): find the first leaf, PMD-level table or, on request, the
maximal run of empty entries (of any levels) in a range. It reads
entries locklessly and takes no lock.

On top of it, add pt_range_walk: an iterator (start/next/done, and
for_each_pt_range()) that describes what maps a range of a VMA, one run
of entries at a time: a hole, normal pages (folios), a PTE marker, a PFN
mapping, swap, migration, device or hwpoison entries. A step stores only
its type, start, end, level, entry count and first entry (and the folio
of a migration or device entry); the pfn, swap entry and the write,
access, dirty, soft-dirty and uffd-wp bits are derived on demand. Callers
name the types they want; the others are skipped, never allowed to end
the walk, and an entry of unknown type warns once and is skipped.

Speed is the point. The walk keeps its place inside a PTE table (one
lock per table) and, after a PMD-level entry, in the PMD table too
(pt_walk_find_in(): no descent from the root per PMD). Inside a PTE
table a step is a run: present PTEs mapping normal pages are found with
one test of each entry where ARCH_HAS_PTE_SPECIAL marks special
mappings, and their folios are resolved only if the caller asks, by
for_each_pt_range_folio(), inline in the caller's loop: order-0 folios
one by one, large folios as batches of consecutive pages mapped with the
same bits, so accounting a batch at a time is exact. arm64 contiguous
blocks are read once. Leaving a table drops its lock and calls
cond_resched(); so does every step outside a PTE table (a huge leaf or a
hole), so a long run of huge leaves never goes without a reschedule.
Leaves above the PTE level, present or not, are locked and re-validated
before they are described; when they changed, the walk looks again.
hugetlb entries are read as the PMD, PUD and contiguous leaves they are,
under the hugetlb lock for their size, with the hugetlb VMA lock held
once for the whole walk.

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
