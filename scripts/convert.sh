#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# convert.sh: `make convert` - run the Coccinelle conversions of
# cocci/ (smaps, numa_maps, pagemap) on fs/proc/task_mmu.c of a tree, in
# place, and print how long spatch took for each.
#
# The tree is $TREE when given, else the series checkout (build/src, or
# build/kdir/src with KDIR=): there, with the whole series applied, nothing
# changes.  It must have the pt_range_walk iterator (include/linux/pt_walk.h with
# pt_range_walk_pte()): the series up to its documentation patch, or all of
# it.  When pagemap_pmd_range_thp() is missing, the hand-written split of
# scripts/series/06-pagemap-thp-split.diff is applied first.  On a tree
# that is already converted (the whole series applied) nothing changes.
. "$(dirname "$0")/lib.sh"

tree=${TREE:-$KWORK}
tree=$(cd "$tree" 2>/dev/null && pwd) ||
	die "no tree at ${TREE:-$KWORK}; fix: make apply, or make convert TREE=/path/to/linux"
f=$tree/fs/proc/task_mmu.c
[ -f "$f" ] || die "$tree has no fs/proc/task_mmu.c; fix: point TREE at a Linux 6.12 tree"
grep -q 'pt_range_walk_pte' "$tree/include/linux/pt_walk.h" 2>/dev/null ||
	die "$tree lacks the pt_range_walk iterator; fix: apply the series first (make apply, or git am out/patches/000[1-5]-*.patch)"

if ! grep -q '^static int pagemap_pmd_range_thp(' "$f"; then
	say "applying the pagemap THP split (scripts/series/06-pagemap-thp-split.diff)"
	if ! (cd "$tree" && GIT_CEILING_DIRECTORIES=$(dirname "$tree") \
		git apply "$TOP/scripts/series/06-pagemap-thp-split.diff") ||
	   ! grep -q '^static int pagemap_pmd_range_thp(' "$f"; then
		die "the pagemap THP split does not apply to $f"
	fi
fi

before=$(sha1sum <"$f")
say "spatch on $f (seconds per script):"
"$TOP/scripts/cocci_convert.sh" -t "$f" smaps numa_maps pagemap
# The converted file needs the walk built in: PROC_FS selects PT_WALK.
"$TOP/scripts/proc_select_pt_walk.sh" "$tree"
if [ "$(sha1sum <"$f")" = "$before" ]; then
	say "nothing to convert: $f was converted already"
else
	say "converted $f"
	git -C "$tree" diff --stat -- fs/proc/task_mmu.c 2>/dev/null || true
fi
