# shellcheck shell=bash
FILES=()
edit() {
	"$TOP/scripts/cocci_convert.sh" fs/proc/task_mmu.c smaps
	"$TOP/scripts/proc_select_pt_walk.sh" .
}
