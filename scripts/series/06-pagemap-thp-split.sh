# shellcheck shell=bash
FILES=()
edit() {
	git apply --whitespace=error-all "$TOP/scripts/series/06-pagemap-thp-split.diff"
	grep -q '^static int pagemap_pmd_range_thp(' fs/proc/task_mmu.c
}
