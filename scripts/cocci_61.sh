#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# cocci_61.sh: the Coccinelle scripts of cocci/ on Linux 6.1's
# fs/proc/task_mmu.c (Debian's linux-source-6.1), each by itself as spatch
# runs it in patch mode, and what each made of it: out/cocci-6.1/report.txt
# (also on stdout), the file and each script's diff and messages beside it.
#
# A script converts its walker only where 6.1's code has the shape of 6.12's
# that the script relies on; elsewhere it must exit non-zero with one line
# saying why, and change nothing.  This script exits non-zero if one did
# anything else.  No kernel is built: the converted file would need the
# series' pt_range_walk, which is for 6.12.
. "$(dirname "$0")/lib.sh"

DIR=$OUT/cocci-6.1
TAR=/usr/src/linux-source-6.1.tar.xz
SCRIPTS=("${COCCI_SCRIPTS[@]}")

if [ ! -f "$TAR" ]; then
	[ "$(id -u)" = 0 ] || die "no $TAR; fix: sudo apt-get install -y linux-source-6.1"
	say "installing linux-source-6.1"
	DEBIAN_FRONTEND=noninteractive run_logged "$OUT/logs/apt-install-6.1.log" \
		"apt-get install linux-source-6.1" apt-get install -y -q linux-source-6.1
fi
command -v spatch >/dev/null || die "spatch not found; fix: make deps"

rm -rf "$DIR"
mkdir -p "$DIR"
src=$DIR/task_mmu-6.1.c
say "extracting fs/proc/task_mmu.c from $TAR"
tar -xJOf "$TAR" linux-source-6.1/fs/proc/task_mmu.c >"$src" ||
	die "no linux-source-6.1/fs/proc/task_mmu.c in $TAR; fix: reinstall linux-source-6.1"
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo "?")

# run SCRIPT: spatch in patch mode on a copy, as coccicheck would, with
# every cause (PT_WALK_VERBOSE=1); sets rc, lines (error lines), diff lines.
run() {
	local s=$1 sp=$TOP/cocci/$1.cocci opts
	cp "$src" "$DIR/$s.c"
	# shellcheck disable=SC2207
	opts=($(sed -n 's|^// Options:||p' "$sp"))
	rc=0
	(cd "$TOP/cocci" && PT_WALK_VERBOSE=1 spatch --very-quiet -D patch "${opts[@]}" \
		--sp-file "$s.cocci" "$DIR/$s.c") >"$DIR/$s.diff" 2>"$DIR/$s.err" || rc=$?
	grep '^error: ' "$DIR/$s.err" | sed "s|$DIR/$s.c: ||" >"$DIR/$s.causes" || true
}

walker() {
	case $1 in
	pagemap_thp_split) echo "pagemap_ops (its THP branch)" ;;
	smaps) echo "smaps_walk_ops, smaps_shmem_walk_ops" ;;
	numa_maps) echo "show_numa_ops" ;;
	pagemap) echo "pagemap_ops" ;;
	esac
}

bad=0
{
	echo "cocci/ scripts on Linux 6.1 fs/proc/task_mmu.c (Debian linux-source-6.1 $ver),"
	echo "each by itself, spatch $(spatch --version | sed -n '1s/spatch version \([^ ]*\).*/\1/p') in patch mode"
	echo
	printf '%-18s %-40s %s\n' script walker result
	for s in "${SCRIPTS[@]}"; do
		run "$s"
		if [ "$rc" = 0 ] && [ -s "$DIR/$s.diff" ]; then
			result=converted
		elif [ "$rc" = 0 ]; then
			result="nothing to do"
		elif [ "$rc" = 1 ] && [ -s "$DIR/$s.causes" ] && [ ! -s "$DIR/$s.diff" ]; then
			result="refused (exit 1, file unchanged)"
		else
			result="FAILED (exit $rc; see $DIR/$s.err)"
			bad=1
		fi
		printf '%-18s %-40s %s\n' "$s" "$(walker "$s")" "$result"
	done
	echo
	echo "The first line of each is what spatch prints; the rest (PT_WALK_VERBOSE=1)"
	echo "are the other differences from 6.12 it found."
	for s in "${SCRIPTS[@]}"; do
		[ -s "$DIR/$s.causes" ] || continue
		echo
		echo "$s:"
		sed 's/^error: /  /; s/; fix: .*//' "$DIR/$s.causes"
	done
} >"$DIR/report.txt"
cat "$DIR/report.txt"
say "report: $DIR/report.txt"
[ $bad = 0 ] || die "a script neither converted nor refused with its cause; fix: see $DIR/*.err"
