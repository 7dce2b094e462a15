# shellcheck shell=bash
SUBJECT="mm/tests: KUnit suites for the page-table descent and pt_range_walk"
MSG=$(cat <<'M'
Add a KUnit suite that compiles the descent of <linux/pt_descent.h> against
level-ops for synthetic page tables, and runs it on every geometry x86_64
and arm64 can have: x86_64 with 4 and 5 levels; arm64 4K/39, 4K/48, 4K/52
(16-entry top), 16K/36, 16K/47, 16K/48 (2-entry top), 64K/42, 64K/48,
64K/52; and two sixth-level geometries, one using all 64 address bits.

Each case is a KUnit parameter per geometry: level sizes tile the address
space; a leaf of every size (contiguous blocks and non-present leaves
included) at every leaf-capable level is found exactly once with the right
size and output address; holes at every level come back with their span;
unaligned bounds; the last page of the address space, whose end wraps to 0;
an empty range and a minimum level; and 1200 random map/unmap operations
checked against an oracle that builds the tables and translates addresses
with its own arithmetic, never the level-ops.

A second suite checks this architecture's level-ops against the kernel's
own PAGE_SHIFT/PMD_SHIFT/... and PTRS_PER_* constants, and runs
pt_walk_find() on the live page tables of a test mm (kunit_vm_mmap()):
touched pages are reached through the PMD entry it stops at, and an empty
range comes back as one hole, or not at all.

A third suite walks real address spaces with pt_range_walk: anonymous 4K
pages, the zero page, a PMD THP, a 64K mTHP, hugetlb at PMD and PUD size
and, on arm64, contiguous PTE and PMD sizes, swap, migration, hwpoison and
marker entries, a VM_PFNMAP mapping, and holes above the PTE level.  Every
page is compared with what an equivalent walk_page_range() walker gathers
from the same tables in the same run; the case also checks the expected
type, level and run length, and that the folio batches of every run
cover it once, each page the one vm_normal_page() finds, with the same
bits.  One more case checks that walking N full PTE tables locks exactly
N tables, one that misuse ends the walk cleanly.

A fourth suite, pt_range_walk_bench, times the walkers side by side:
a bare per-PMD scan, walk_page_range() with pmd_entry and with pte_entry,
and pt_range_walk, counting present pages and resolving folios, on dense
4K, sparse, 64K mTHP, PMD THP, 2M hugetlb and swap-entry mappings, each
checked before it is timed; every walker must count the same.  By
default it is a small smoke run; pt_range_walk_bench.mb= and .reps= make
it a benchmark.  Both use mm internals that are not exported, so they are
built in only.

The geometry checks live in pt_geom_cases.h, which the pt_walk project's
userspace harness compiles too, so both run the same cases.
M
)
FILES=(tests/kunit/pt_geom_levels.h tests/kunit/pt_geom_cases.h
       tests/kunit/pt_geom_kunit.c tests/kunit/pt_walk_live_kunit.c
       tests/kunit/pt_range_walk_kunit.c tests/kunit/pt_range_walk_bench.c
       tests/kunit/Makefile tests/kunit/.kunitconfig)
edit() {
	python3 - <<'PY'
k = open("mm/Kconfig").read()
block = '''config PT_WALK_KUNIT_TEST
	tristate "KUnit tests for the level-generic page-table walk" if !KUNIT_ALL_TESTS
	depends on MMU && KUNIT
	select PT_WALK
	default KUNIT_ALL_TESTS
	help
	  The page-table descent on synthetic tables of every x86_64 and
	  arm64 geometry and of a sixth level, this architecture's
	  level-ops against its own constants, and pt_range_walk on real
	  address spaces compared with walk_page_range().
	  Say N unless you are working on the page-table walk.

'''
i = k.rindex('source "mm/damon/Kconfig"')
open("mm/Kconfig", "w").write(k[:i] + block + k[i:])
m = open("mm/Makefile").read()
m += "obj-$(CONFIG_PT_WALK_KUNIT_TEST) += tests/\n"
open("mm/Makefile", "w").write(m)
PY
}
