# shellcheck shell=bash
FILES=()
edit() {
	"$TOP/scripts/cocci_convert.sh" fs/proc/task_mmu.c pagemap_thp_split
	grep -q '^static int pagemap_pmd_range_thp(' fs/proc/task_mmu.c
}
