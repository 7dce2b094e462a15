#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# cocci_check.sh [quick|full]: the `cocci` test tier, one line per test on
# stdout: cocci<TAB>TEST<TAB>pass|fail|skip.  Exits non-zero on a failure.
#
#   generate         pristine 6.12 task_mmu.c + cocci/pagemap_thp_split,
#                    smaps, numa_maps, pagemap, smaps_rollup, clear_refs,
#                    pagemap_scan (lib.sh COCCI_SCRIPTS;
#                    scripts/cocci_convert.sh, the
#                    series' path) converts without a spatch error; times on
#                    stderr
#   fmt-noop         cocci/fmt.py changes nothing on pristine task_mmu.c
#   idempotent-S     re-running cocci/S.cocci (+ fmt.py) on the converted
#                    file changes nothing, for each S of COCCI_SCRIPTS
#   refuse-unsplit   cocci/pagemap.cocci alone on pristine task_mmu.c (no
#                    split): exit 1, one "error:" line naming the split, the
#                    file unchanged
#   layout-KIND      pristine task_mmu.c in another layout
#                    (tests/cocci/variants.py layout: lines joined and broken,
#                    spacing, comments removed, added, reworded, blank lines,
#                    braces and indentation, all of them) converts the same
#                    way: without comments and blank lines, through
#                    clang-format 14 with the kernel's .clang-format, equal
#                    to the pristine conversion, and as many walk_page_range
#                    and mm_walk_ops lines; quick: KIND=all only; full: also
#                    task_mmu.o of each compiles (build-layout-KIND, below);
#                    the times on stderr
#   shape-NAME       a walker changed in shape, not layout
#                    (tests/cocci/variants.py shape): the script that must
#                    refuse it (NAME.expect) is the first to fail, with one
#                    "error:" line naming it, and leaves the file unchanged
#   ops-count        grep -c mm_walk_ops drops by at least the 4 converted
#                    ops (smaps_walk_ops, smaps_shmem_walk_ops,
#                    show_numa_ops, pagemap_ops), none of which is left
#   no-walk-page     the converted functions call no walk_page_*()
#   series-match     the series branch has exactly the generated file (skip
#                    while the branch predates the conversions)
#   build-nothp, build-nohugetlb, build-nonuma  (full only)
#                    fs/proc/task_mmu.o of the series branch compiles at W=1
#                    without a warning with THP, HUGETLBFS or NUMA off
#                    (x86_64, compile only; O= dirs build/kbuild/cocci-*,
#                    sources in a worktree build/cocci-src); build-all with
#                    all three on, and the layout variants in the same one
# Logs: out/check/logs/cocci-*.log.
. "$(dirname "$0")/lib.sh"

mode=${1:-full}
LOGS=$OUT/check/logs
WORK=$BUILD/cocci-check
mkdir -p "$LOGS" "$WORK"
rc=0
result() {
	printf 'cocci\t%s\t%s\n' "$1" "$2"
	[ "$2" != fail ] || rc=1
}

git -C "$KSRC" rev-parse -q --verify "$BASE_TAG^{commit}" >/dev/null ||
	die "no $BASE_TAG in $KSRC; fix: make tree"
pristine=$WORK/pristine.c
conv=$WORK/task_mmu.c
git -C "$KSRC" show "$BASE_TAG:fs/proc/task_mmu.c" >"$pristine"

# The scripts, in the order of the series.
SCRIPTS=("${COCCI_SCRIPTS[@]}")

# generate
rm -rf "$WORK/t" && mkdir -p "$WORK/t/fs/proc"
cp "$pristine" "$WORK/t/fs/proc/task_mmu.c"
if "$TOP/scripts/cocci_convert.sh" -t "$WORK/t/fs/proc/task_mmu.c" \
	"${SCRIPTS[@]}" >"$LOGS/cocci-generate.log" 2>&1; then
	cp "$WORK/t/fs/proc/task_mmu.c" "$conv"
	result generate pass
	sed 's/^/spatch seconds: /' "$LOGS/cocci-generate.log" >&2
else
	result generate fail
	tail -n 20 "$LOGS/cocci-generate.log" | sed 's/^/  | /' >&2
	exit 1
fi

# fmt-noop
cp "$pristine" "$WORK/fmt.c"
python3 "$TOP/cocci/fmt.py" "$WORK/fmt.c"
if cmp -s "$pristine" "$WORK/fmt.c"; then
	result fmt-noop pass
else
	result fmt-noop fail
fi

# idempotent-S
for s in "${SCRIPTS[@]}"; do
	cp "$conv" "$WORK/again.c"
	if "$TOP/scripts/cocci_convert.sh" "$WORK/again.c" "$s" >"$LOGS/cocci-idempotent-$s.log" 2>&1 &&
	   diff -u "$conv" "$WORK/again.c" >>"$LOGS/cocci-idempotent-$s.log"; then
		result "idempotent-$s" pass
	else
		result "idempotent-$s" fail
	fi
done

# ops-count
n0=$(grep -c mm_walk_ops "$pristine" || true)
n1=$(grep -c mm_walk_ops "$conv" || true)
# Code only: the new loops' comments name the ops they replace.
left=$(grep -vE '^[[:space:]]*(/?\*|//)' "$conv" |
	grep -cwE 'smaps_walk_ops|smaps_shmem_walk_ops|show_numa_ops|pagemap_ops' || true)
echo "mm_walk_ops lines: $n0 -> $n1; converted ops left: $left" >"$LOGS/cocci-ops-count.log"
if [ $((n0 - n1)) -ge 4 ] && [ "$left" = 0 ]; then
	result ops-count pass
else
	result ops-count fail
fi
cat "$LOGS/cocci-ops-count.log" >&2

# no-walk-page: the bodies of the callers and of the new loops.
if python3 - "$conv" >"$LOGS/cocci-no-walk-page.log" 2>&1 <<'PY'
import re, sys
text = open(sys.argv[1]).read()
names = ["smap_gather_stats", "smaps_walk_range", "show_numa_map",
         "numa_walk_vma", "pagemap_read", "pagemap_walk_range",
         "pagemap_walk_vma"]
bad = 0
for n in names:
    m = re.search(r"(?m)^[a-z][^;(]*\b%s\([^;]*?\)\n\{\n(.*?)\n\}\n" % n, text, re.S)
    if not m:
        print("%s: not found" % n)
        bad = 1
        continue
    calls = re.findall(r"\bwalk_page_\w+\(", m.group(1))
    print("%s: %s" % (n, ", ".join(calls) or "no walk_page_*()"))
    bad |= bool(calls)
sys.exit(bad)
PY
then
	result no-walk-page pass
else
	result no-walk-page fail
fi

# series-match
if ! git -C "$KSRC" rev-parse -q --verify "$SERIES_BRANCH^{commit}" >/dev/null ||
   git -C "$KSRC" show "$SERIES_BRANCH:fs/proc/task_mmu.c" | grep -q "mm_walk_ops pagemap_ops"; then
	result series-match skip
elif git -C "$KSRC" show "$SERIES_BRANCH:fs/proc/task_mmu.c" |
	diff -u - "$conv" >"$LOGS/cocci-series-match.log"; then
	result series-match pass
else
	result series-match fail
fi

# refuse-unsplit: pagemap.cocci alone, before the split it needs.
cp "$pristine" "$WORK/unsplit.c"
if "$TOP/scripts/cocci_convert.sh" "$WORK/unsplit.c" pagemap >"$LOGS/cocci-refuse-unsplit.log" 2>&1; then
	result refuse-unsplit fail
elif [ "$(grep -c '^error: ' "$LOGS/cocci-refuse-unsplit.log")" = 1 ] &&
     grep -q '^error: .*cocci/pagemap.cocci: .*pagemap_pmd_range_thp() is missing' \
	"$LOGS/cocci-refuse-unsplit.log" &&
     cmp -s "$pristine" "$WORK/unsplit.c"; then
	result refuse-unsplit pass
else
	result refuse-unsplit fail
fi

# layout-KIND and shape-NAME, on variants of pristine task_mmu.c.
VAR=$WORK/variants
rm -rf "$VAR" && mkdir -p "$VAR/layout" "$VAR/shape" "$VAR/conv"
git -C "$KSRC" show "$BASE_TAG:.clang-format" >"$WORK/clang-format"
CLANG_FORMAT=$(command -v clang-format-14 || command -v clang-format || true)
# norm FILE: the code without comments and blank lines, through clang-format
# with the kernel's .clang-format (clang-format 14 takes it as it is).
norm() {
	python3 "$TOP/tests/cocci/variants.py" strip "$1" |
		"$CLANG_FORMAT" --style=file:"$WORK/clang-format" --assume-filename=task_mmu.c
}
layout_ok=()
t0=$(date +%s)
if [ -z "$CLANG_FORMAT" ]; then
	result layout-variants skip
	echo "cocci: no clang-format; fix: apt-get install clang-format" >&2
elif ! python3 "$TOP/tests/cocci/variants.py" layout "$pristine" "$VAR/layout" \
	>"$LOGS/cocci-variants.log" 2>&1; then
	result layout-variants fail
else
	norm "$conv" >"$VAR/conv.norm"
	n_wpr=$(grep -c walk_page_range "$conv" || true)
	n_ops=$(grep -c mm_walk_ops "$conv" || true)
	# layout_one KIND: convert and compare; KIND.ok when it passes.
	layout_one() {
		local k=$1 log=$LOGS/cocci-layout-$1.log out=$VAR/conv/$1.c
		cp "$VAR/layout/$k.c" "$out"
		if "$TOP/scripts/cocci_convert.sh" "$out" "${SCRIPTS[@]}" >"$log" 2>&1 &&
		   norm "$out" >"$VAR/conv/$k.norm" 2>>"$log" &&
		   diff -u "$VAR/conv.norm" "$VAR/conv/$k.norm" >>"$log" &&
		   [ "$(grep -c walk_page_range "$out" || true)" = "$n_wpr" ] &&
		   [ "$(grep -c mm_walk_ops "$out" || true)" = "$n_ops" ]; then
			touch "$VAR/conv/$k.ok"
		fi
	}
	# $JOBS variants at a time; quick: only the one with every change.
	kinds=()
	for v in "$VAR"/layout/*.c; do
		[ "$mode" = full ] || [ "$(basename "$v" .c)" = all ] || continue
		kinds+=("$(basename "$v" .c)")
		layout_one "${kinds[-1]}" &
		[ "$(jobs -rp | wc -l)" -lt "$JOBS" ] || wait -n || true
	done
	wait
	for k in "${kinds[@]}"; do
		if [ -e "$VAR/conv/$k.ok" ]; then
			result "layout-$k" pass
			layout_ok+=("$k")
		else
			result "layout-$k" fail
		fi
	done
fi
echo "cocci: layout variants converted and compared in $(($(date +%s) - t0)) s" >&2

# shape-NAME: the script that must refuse the change is the first to fail,
# says why in one line and leaves the file as it was.
if ! python3 "$TOP/tests/cocci/variants.py" shape "$pristine" "$VAR/shape" \
	>>"$LOGS/cocci-variants.log" 2>&1; then
	result shape-variants fail
else
	for e in "$VAR"/shape/*.expect; do
		n=$(basename "$e" .expect)
		want=$(cat "$e")
		f=$VAR/shape/$n.c
		log=$LOGS/cocci-shape-$n.log
		: >"$log"
		first=
		for s in "${SCRIPTS[@]}"; do
			cp "$f" "$f.before"
			if ! "$TOP/scripts/cocci_convert.sh" "$f" "$s" >>"$log" 2>&1; then
				first=$s
				break
			fi
		done
		if [ "$first" = "$want" ] && cmp -s "$f" "$f.before" &&
		   [ "$(grep -c '^error: ' "$log")" = 1 ] &&
		   grep -q "^error: .*cocci/$want\.cocci: " "$log"; then
			result "shape-$n" pass
		else
			echo "shape-$n: wanted cocci/$want.cocci to refuse it, got ${first:-none}" >>"$log"
			result "shape-$n" fail
		fi
	done
fi

[ "$mode" = full ] || exit $rc

# build-*: compile-only, on a worktree of the series branch of our own.
# Beside build/src (or build/kdir/src for a KDIR tree).
# shellcheck disable=SC2153 # KWORK comes from lib.sh
SRC=$(dirname "$KWORK")/cocci-src
if ! git -C "$KSRC" rev-parse -q --verify "$SERIES_BRANCH^{commit}" >/dev/null; then
	for v in nothp nohugetlb nonuma all "${layout_ok[@]/#/layout-}"; do result "build-$v" skip; done
	exit $rc
fi
if [ ! -e "$SRC/.git" ]; then
	rm -rf "$SRC"
	git -C "$KSRC" worktree prune
	git -C "$KSRC" worktree add -q --detach "$SRC" "$SERIES_BRANCH" >"$LOGS/cocci-worktree.log" 2>&1 ||
		die "cannot create $SRC (see $LOGS/cocci-worktree.log)"
fi
git -C "$SRC" checkout -q --detach -f "$SERIES_BRANCH"
cp "$conv" "$SRC/fs/proc/task_mmu.c"
arch_setup x86_64
for v in nothp nohugetlb nonuma all; do
	case $v in
	nothp) off=(TRANSPARENT_HUGEPAGE) ;;
	nohugetlb) off=(HUGETLBFS HUGETLB_PAGE) ;;
	nonuma) off=(NUMA) ;;
	all) off=() ;;
	esac
	obj=${KOBJ:-$BUILD/kbuild}/cocci-$v
	log=$LOGS/cocci-build-$v.log
	frag=$WORK/$v.config
	: >"$frag"
	[ ${#off[@]} = 0 ] || printf '# CONFIG_%s is not set\n' "${off[@]}" >"$frag"
	stamp=$(cat "$TOP"/tests/config/{common,x86_64,pt_walk}.config "$frag" | sha1sum)
	mkdir -p "$obj"
	if ! { [ -f "$obj/.config" ] && [ "$(cat "$obj/.cocci-config" 2>/dev/null)" = "$stamp" ]; } &&
	   ! { kmake "$SRC" "$obj" allnoconfig &&
	       "$SRC/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
		"$TOP"/tests/config/{common,x86_64,pt_walk}.config "$frag" &&
	       kmake "$SRC" "$obj" olddefconfig && echo "$stamp" >"$obj/.cocci-config"; } >"$log" 2>&1; then
		result "build-$v" fail
		continue
	fi
	ok=1
	for o in "${off[@]}"; do
		! grep -q "^CONFIG_$o=" "$obj/.config" || ok=0
	done
	grep -q '^CONFIG_PT_WALK=y' "$obj/.config" || ok=0
	if [ $ok = 1 ] && kmake "$SRC" "$obj" -j"$JOBS" W=1 prepare >>"$log" 2>&1 &&
	   kmake "$SRC" "$obj" W=1 fs/proc/task_mmu.o >"$log.o" 2>&1 &&
	   ! grep -qE 'warning:|error:' "$log.o"; then
		result "build-$v" pass
	else
		result "build-$v" fail
	fi
	cat "$log.o" >>"$log" 2>/dev/null || true
	rm -f "$log.o"
done

# build-layout-KIND: each converted layout variant, one after another, in
# build/kbuild/cocci-all (THP, HUGETLBFS and NUMA on), ready above.
t0=$(date +%s)
obj=${KOBJ:-$BUILD/kbuild}/cocci-all
for k in "${layout_ok[@]}"; do
	log=$LOGS/cocci-build-layout-$k.log
	cp "$VAR/conv/$k.c" "$SRC/fs/proc/task_mmu.c"
	if [ -f "$obj/.cocci-config" ] &&
	   kmake "$SRC" "$obj" W=1 fs/proc/task_mmu.o >"$log" 2>&1 &&
	   ! grep -qE 'warning:|error:' "$log"; then
		result "build-layout-$k" pass
	else
		result "build-layout-$k" fail
	fi
done
cp "$conv" "$SRC/fs/proc/task_mmu.c"
echo "cocci: ${#layout_ok[@]} layout variants compiled in $(($(date +%s) - t0)) s" >&2
exit $rc
