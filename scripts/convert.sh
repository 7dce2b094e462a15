#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# convert.sh: `make convert` - run the Coccinelle scripts of cocci/
# (COCCI_SCRIPTS of lib.sh: pagemap_thp_split, smaps, numa_maps, pagemap,
# smaps_rollup, clear_refs, pagemap_scan) on fs/proc/task_mmu.c of a
# tree, in place, and print how long spatch took for each.
#
# The tree is $TREE when given, else the series checkout (build/src, or
# build/kdir/src with KDIR=): there, with the whole series applied, nothing
# changes.  It must have the pt_range_walk iterator (include/linux/pt_walk.h with
# pt_range_walk_pte()): the series up to its documentation patch, or all of
# it.  A script that cannot convert its walker (a task_mmu.c that is not
# Linux 6.12's, layout and comments aside) stops the run with its one-line
# cause, and the file keeps what the scripts before it did.
. "$(dirname "$0")/lib.sh"

tree=${TREE:-$KWORK}
tree=$(cd "$tree" 2>/dev/null && pwd) ||
	die "no tree at ${TREE:-$KWORK}; fix: make apply, or make convert TREE=/path/to/linux"
f=$tree/fs/proc/task_mmu.c
[ -f "$f" ] || die "$tree has no fs/proc/task_mmu.c; fix: point TREE at a Linux 6.12 tree"
grep -q 'pt_range_walk_pte' "$tree/include/linux/pt_walk.h" 2>/dev/null ||
	die "$tree lacks the pt_range_walk iterator; fix: apply the series first (make apply, or git am out/patches/000[1-5]-*.patch)"

before=$(sha1sum <"$f")
say "spatch on $f (seconds per script):"
"$TOP/scripts/cocci_convert.sh" -t "$f" "${COCCI_SCRIPTS[@]}" ||
	die "$f not converted (the line above says why); fix: see the cause, or port that walker by hand"
# The converted file needs the walk built in: PROC_FS selects PT_WALK.
"$TOP/scripts/proc_select_pt_walk.sh" "$tree"
if [ "$(sha1sum <"$f")" = "$before" ]; then
	say "nothing to convert: $f was converted already"
else
	say "converted $f"
	git -C "$tree" diff --stat -- fs/proc/task_mmu.c 2>/dev/null || true
fi
