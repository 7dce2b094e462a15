#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bench_report.sh: the report of make bench, from whichever of
# out/bench/kernel-ARCH.csv (the pt_range_walk_bench KUnit suite),
# out/bench/proc-ARCH.csv (scripts/bench_proc.sh) and out/bench/user.csv
# (callgrind, tests/user) exist:
#   out/bench/README.md   the tables, and each target met / missed / no data,
#                         computed from the rows (scripts/bench_report.py)
#   out/bench/ratios.png  the ratios per case, work or file, and arch (gnuplot)
# BENCH_DIR=DIR reads and writes DIR instead of out/bench.
. "$(dirname "$0")/lib.sh"

bench=${BENCH_DIR:-$OUT/bench}
[ -d "$bench" ] || die "no $bench; fix: make bench"
command -v gnuplot >/dev/null || die "no gnuplot; fix: make deps (package gnuplot-nox)"

rm -f "$bench/ratios.png"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# What the CSVs do not say: when, and how QEMU ran (scripts/bench.sh
# leaves the mode in qemu-mode; boot.sh's settings come from lib.sh).
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "qemu_mode=$(cat "$bench/qemu-mode" 2>/dev/null || echo tcg)"
	for a in x86_64 arm64; do
		arch_setup "$a"
		v=$("$QEMU" --version 2>/dev/null | head -n1 | sed 's/^QEMU emulator version //') || v="not installed"
		echo "qemu_$a=$QEMU $v: ${QEMU_MACHINE[*]} -smp 2 -m $QEMU_MEM${QEMU_EXTRA:+ $QEMU_EXTRA}, -nographic, no KVM"
	done
} >"$tmp/facts"

summary=$(python3 "$TOP/scripts/bench_report.py" "$bench" "$tmp/facts" "$tmp") ||
	exit 1
if grep -qx plot <<<"$summary"; then
	run_logged "$bench/logs/gnuplot.log" "gnuplot of $bench/ratios.png" gnuplot "$tmp/ratios.gp"
	say "wrote $bench/ratios.png"
fi
say "wrote $bench/README.md: targets $(head -n1 <<<"$summary")"
