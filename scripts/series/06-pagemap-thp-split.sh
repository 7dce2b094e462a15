# shellcheck shell=bash
SUBJECT="fs/proc/task_mmu: split the THP branch out of pagemap_pmd_range()"
MSG=$(cat <<'M'
Move the PMD-mapped THP and PMD migration entry branch of
pagemap_pmd_range() into its own function, pagemap_pmd_range_thp(), which
is called with the PMD locked and reports the entries of [addr, end) for
that PMD.  pagemap_pmd_range() takes the lock and calls it.

This is the one hand-written step of the pt_range_walk conversions that
follow: they are generated with Coccinelle, and spatch can neither move
code guarded by #ifdef inside a function without losing the guard nor
match the branch as a unit.  With the branch a function of its own, the
pagemap conversion only has to call it with the PMD value.

No functional change.  The code moves as it is, except that:
 - the #ifdef CONFIG_TRANSPARENT_HUGEPAGE now surrounds the new function,
   with a stub for the other case, instead of the branch: without THP,
   pmd_trans_huge_lock() returns NULL and the stub is never called;
 - the closing brace of the present-PMD case moves into the
   CONFIG_ARCH_ENABLE_THP_MIGRATION block, so that the braces balance;
 - the check that a non-present PMD is a migration entry is a
   VM_WARN_ON_ONCE() instead of a VM_BUG_ON(), as new code must not crash
   the kernel; both are compiled out without CONFIG_DEBUG_VM.
M
)
FILES=()
edit() {
	git apply --whitespace=error-all "$TOP/scripts/series/06-pagemap-thp-split.diff"
	grep -q '^static int pagemap_pmd_range_thp(' fs/proc/task_mmu.c
}
