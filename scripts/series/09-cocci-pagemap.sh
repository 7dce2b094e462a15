# shellcheck shell=bash
SUBJECT="fs/proc/task_mmu: walk pagemap with pt_range_walk"
MSG=$(cat <<'M'
Read /proc/PID/pagemap with pt_range_walk instead of walk_page_range() and
pagemap_ops.  A read covers a range that may span several VMAs, so
pagemap_walk_range() walks the VMAs itself: a gap before a VMA, or after
the last one, goes to pagemap_pte_hole(), which tells gaps (no
PM_SOFT_DIRTY) from holes in a VM_SOFTDIRTY VMA as before, and so does a
VM_PFNMAP VMA.  In a VMA, pagemap_walk_vma() loops over the steps of the
walk: each PTE of a PTE-level batch goes to pte_to_pagemap_entry() with its
value, read under the table lock as before; a PMD leaf to
pagemap_pmd_range_thp() with its value; a hole to pagemap_pte_hole(); each
hugetlb page, once, to pagemap_hugetlb_range(), clipped to the range.  The
walk stops when the buffer is full (PM_END_OF_BUFFER).  Whatever range of
the VMA the walk does not describe is written as holes, so an entry can
never land at the wrong offset of the read.  pagemap_pte_hole()
and pagemap_hugetlb_range() are re-plumbed (the mm or the VMA, and the
pagemapread, instead of the struct mm_walk), and pagemap_hugetlb_range()
no longer calls cond_resched(): pt_range_walk holds the page-table lock
for the step and reschedules itself between tables.  The entries are
those of the old walk; pagemap_pmd_range() and pagemap_ops go.

This patch is the output of Coccinelle (spatch 1.1.1, a few seconds)
with cocci/pagemap.cocci and the rules it includes from
cocci/pt_walk_common.cocci, both in the pt_walk project, followed by the
mechanical formatting pass cocci/fmt.py; nothing was edited by hand.  To
re-run it on a Linux tree in $TREE with the previous patches, from the
project's top directory:

  make convert TREE=$TREE

or, for this script alone, through the kernel's coccicheck:

  cd cocci && make -f $TREE/Makefile coccicheck MODE=patch \
	COCCI=pagemap.cocci M=$TREE/fs/proc

Re-running it on this result changes nothing.
M
)
FILES=()
edit() {
	"$TOP/scripts/cocci_convert.sh" fs/proc/task_mmu.c pagemap
}
