# shellcheck shell=bash
FILES=()
edit() {
	"$TOP/scripts/cocci_convert.sh" fs/proc/task_mmu.c pagemap_scan
}
