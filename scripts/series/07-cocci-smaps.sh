# shellcheck shell=bash
SUBJECT="fs/proc/task_mmu: walk smaps with pt_range_walk"
MSG=$(cat <<'M'
Walk the page tables of /proc/PID/smaps and smaps_rollup with
pt_range_walk instead of walk_page_vma()/walk_page_range() and
smaps_walk_ops/smaps_shmem_walk_ops.  smaps_walk_range() loops over the
steps of the walk: each PTE of a PTE-level batch goes to smaps_pte_entry()
with its value, read under the table lock as before; a PMD leaf goes to
smaps_pmd_entry() with its value; each hugetlb page, once, to
smaps_hugetlb_range(); and, for a shmem VMA whose swapped-out pages must be
looked up, each hole to smaps_pte_hole(): a hole inside a PTE table one
page at a time, under the table lock, as the PTE loop did (the lookup of a
longer range may sleep).  The per-entry functions are
re-plumbed (the VMA and the stats instead of the struct mm_walk), not
rewritten, so every page is accounted as before: THP per page, hugetlb
pages only in Shared_Hugetlb/Private_Hugetlb, non-present entries as
"maybe shared", a VM_PFNMAP VMA walked by show_smap() (walk_page_vma())
and skipped by the smaps_rollup resume path (walk_page_range()).
smaps_hugetlb_range() no longer
takes the hugetlb page-table lock, which pt_range_walk holds for the step;
smaps_pte_range(), smaps_pte_hole_lookup() and both ops go.

/proc now needs the walk: PROC_FS selects PT_WALK.

This patch is the output of Coccinelle (spatch 1.1.1, a few seconds)
with cocci/smaps.cocci and the rules it includes from
cocci/pt_walk_common.cocci, both in the pt_walk project, followed by the
mechanical formatting pass cocci/fmt.py; nothing was edited by hand.
The project's scripts/proc_select_pt_walk.sh adds the Kconfig line.  To
re-run it on a Linux tree in $TREE, from the project's top directory:

  make convert TREE=$TREE

or, for this script alone, through the kernel's coccicheck (spatch finds
the included rules relative to its working directory, hence cocci/):

  cd cocci && make -f $TREE/Makefile coccicheck MODE=patch \
	COCCI=smaps.cocci M=$TREE/fs/proc

Re-running it on this result changes nothing.
M
)
FILES=()
edit() {
	"$TOP/scripts/cocci_convert.sh" fs/proc/task_mmu.c smaps
	"$TOP/scripts/proc_select_pt_walk.sh" .
}
