# shellcheck shell=bash
SUBJECT="fs/proc/task_mmu: walk numa_maps with pt_range_walk"
MSG=$(cat <<'M'
Walk the page tables of /proc/PID/numa_maps with pt_range_walk instead of
walk_page_vma() and show_numa_ops.  numa_walk_vma() asks for folios only
and loops over the steps of the walk: each PTE of a PTE-level batch goes
through can_gather_numa_stats() and gather_stats() with its value, read
under the table lock as before; a PMD-mapped THP through
can_gather_numa_stats_pmd() and gather_stats() as HPAGE_PMD_NR pages; each
hugetlb page, once, to gather_hugetlb_stats(), which is re-plumbed to take
the mm and the stats instead of the struct mm_walk.  The counts are those
of the old walk, VM_PFNMAP VMAs (their copy-on-write pages) included;
gather_pte_stats() and show_numa_ops go.

This patch is the output of Coccinelle (spatch 1.1.1, a few seconds)
with cocci/numa_maps.cocci and the rules it includes from
cocci/pt_walk_common.cocci, both in the pt_walk project, followed by the
mechanical formatting pass cocci/fmt.py; nothing was edited by hand.  To
re-run it on a Linux tree in $TREE, from the project's top directory:

  make convert TREE=$TREE

or, for this script alone, through the kernel's coccicheck:

  cd cocci && make -f $TREE/Makefile coccicheck MODE=patch \
	COCCI=numa_maps.cocci M=$TREE/fs/proc

Re-running it on this result changes nothing.
M
)
FILES=()
edit() {
	"$TOP/scripts/cocci_convert.sh" fs/proc/task_mmu.c numa_maps
}
