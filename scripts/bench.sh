#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh: make bench.  For each arch of $ARCHES (default x86_64 arm64):
# build the benchmark kernels (tests/config/ARCH-bench.config: the test
# kernels without DEBUG_VM, PROVE_LOCKING and DEBUG_ATOMIC_SLEEP), boot the
# patched one with only the pt_range_walk_bench KUnit suite, at
# BENCH_MB MiB per case (default 256) and BENCH_REPS repetitions (default
# 9), and turn its PTWBENCH lines into out/bench/kernel-ARCH.csv; then the
# /proc benchmark (scripts/bench_proc.sh), the userspace callgrind
# comparison (out/bench/user.csv) and the report (scripts/bench_report.sh:
# out/bench/ratios.png and out/bench/README.md), and the stall benchmark
# (scripts/bench_stall.sh: how long smaps_rollup reads stall the process
# read, out/bench/stall-ARCH.csv and .txt).
#
# BENCH_ICOUNT=1 boots with QEMU -icount shift=0 (a virtual instruction
# clock: reproducible ticks that count instructions, slower boots) and
# writes out/bench-icount/ instead; the default is plain TCG.
# BENCH_DIR=DIR writes DIR.
# BENCH_STEPS selects steps (default "kernel proc stall user report").
. "$(dirname "$0")/lib.sh"

ARCHES=${ARCHES:-x86_64 arm64}
BENCH_MB=${BENCH_MB:-256}
BENCH_REPS=${BENCH_REPS:-9}
STEPS=${BENCH_STEPS:-kernel proc stall user report}
export BOOT_TIMEOUT=${BOOT_TIMEOUT:-1200}
if [ "${BENCH_ICOUNT:-0}" = 1 ]; then
	# One guest instruction is one ns of guest time: what is timed is,
	# reproducibly, the instructions the walk executed.
	export QEMU_EXTRA="-icount shift=0"
	B=${BENCH_DIR:-$OUT/bench-icount}
	mode=tcg-icount
else
	B=${BENCH_DIR:-$OUT/bench}
	mode=tcg
fi
export BENCH_DIR=$B
mkdir -p "$B/logs"
echo "$mode" >"$B/qemu-mode"
# Enough 2M hugetlb pages for the hugetlb2m cases (lib.sh reads it).
export HUGE_2M_PAGES=$((BENCH_MB / 2 + 8))

has() { case " $STEPS " in *" $1 "*) return 0 ;; esac; return 1; }

# kernel_csv ARCH CONSOLE CSV: the suite's lines as the CSV, with ratios of
# medians to bare and pmd_entry of the same case and work.
kernel_csv() {
	local arch=$1 log=$2 csv=$3
	grep -a 'PTWBENCH,' "$log" | sed 's/.*PTWBENCH,//' | tr -d '\r' | awk -F, -v arch="$arch" '
	{ key = $1 FS $2; med[key FS $3] = $4; min[key FS $3] = $5; rows[++n] = $0 }
	END {
		print "arch,case,work,walker,ns_median,ns_min,ratio_vs_bare,ratio_vs_pmd_entry"
		for (i = 1; i <= n; i++) {
			split(rows[i], f, FS); key = f[1] FS f[2]
			b = med[key FS "bare"]; p = med[key FS "pmd_entry"]
			printf "%s,%s,%s,%s,%d,%d,%.3f,%.3f\n", arch, f[1], f[2], f[3], f[4], f[5],
			       b ? f[4] / b : 0, p ? f[4] / p : 0
		}
	}' >"$csv.tmp"
	[ "$(wc -l <"$csv.tmp")" -gt 1 ] || { rm -f "$csv.tmp"; return 1; }
	mv "$csv.tmp" "$csv"
}

bench_kernel() {
	local arch=$1 g=$1-bench initrd=$BUILD/initramfs-$1.cpio
	local log=$B/logs/console-kernel-$arch.log
	"$TOP/scripts/build.sh" "$g" patched
	"$TOP/scripts/initramfs.sh" "$arch" "$initrd" "$TOP/tests/boot"
	"$TOP/scripts/boot.sh" "$g" patched "$initrd" "$log" \
		kunit.filter_glob=pt_range_walk_bench \
		pt_range_walk_bench.mb="$BENCH_MB" pt_range_walk_bench.reps="$BENCH_REPS"
	# Every walker agreed in every case, or the suite failed.
	python3 "$TOP/scripts/kunit_results.py" "$KWORK" "bench-$arch" "$log" \
		>"$B/logs/kunit-$arch.tsv" 2>"$B/logs/kunit-$arch.log" || true
	if grep -qv 'pass\|skip' <(cut -f3 "$B/logs/kunit-$arch.tsv"); then
		grep -v 'pass\|skip' "$B/logs/kunit-$arch.tsv" | sed 's/^/  | /' >&2
		die "the kernel benchmark failed on $arch (the walkers disagree, or a case broke); log: $log"
	fi
	kernel_csv "$arch" "$log" "$B/kernel-$arch.csv" ||
		die "no PTWBENCH lines in $log; fix: see the log's KUnit output"
	say "wrote $B/kernel-$arch.csv ($(grep -c skip "$B/logs/kunit-$arch.tsv" || true) cases skipped)"
}

"$TOP/scripts/apply.sh"
for arch in $ARCHES; do
	arch_setup "$arch"
	if has kernel; then
		say "kernel benchmark, $arch ($BENCH_MB MiB per case, $BENCH_REPS repetitions)"
		bench_kernel "$arch"
	fi
	if has proc; then
		say "/proc benchmark, $arch"
		"$TOP/scripts/build.sh" "$arch-bench" stock
		"$TOP/scripts/build.sh" "$arch-bench" patched
		"$TOP/scripts/bench_proc.sh" "$arch"
	fi
	if has stall; then
		say "smaps_rollup stall benchmark, $arch"
		"$TOP/scripts/build.sh" "$arch-bench" stock
		"$TOP/scripts/build.sh" "$arch-bench" patched
		"$TOP/scripts/bench_stall.sh" "$arch"
	fi
done
if has user; then
	say "userspace: descent vs cascade vs callback (callgrind)"
	make -s -C "$TOP/tests/user" bench BENCH_CSV="$B/user.csv"
fi
# The hot loops of the walkers compared that straddle a guest page: under
# TCG those run several times slower than on hardware (scripts/tcg_loops.py).
LOOP_FUNCS="pt_range_walk_next __pt_range_folio_batch smaps_walk_range
	numa_walk_vma pagemap_walk_vma smaps_account pte_to_pagemap_entry
	gather_stats smaps_pte_range gather_pte_stats pagemap_pmd_range
	walk_pgd_range walk_pmd_range walk_pte_range ptwb_bare ptwb_pmd_entry
	ptwb_pte_entry ptwb_range_walk"
tcg_loops() {
	local arch v objdump=objdump
	for arch in $ARCHES; do
		[ "$arch" = arm64 ] && objdump=aarch64-linux-gnu-objdump
		for v in stock patched; do
			[ -f "$KOBJ/$arch-bench-$v/vmlinux" ] || continue
			# shellcheck disable=SC2086 # a list of names
			python3 "$TOP/scripts/tcg_loops.py" "$objdump" \
				"$KOBJ/$arch-bench-$v/vmlinux" $LOOP_FUNCS |
				sed "s/^/$arch $v: /"
		done
	done
}

if has report; then
	"$TOP/scripts/bench_report.sh"
	{
		echo
		echo "## Code placement under TCG"
		echo
		echo "Inner loops of the compared walkers that straddle a guest page in these"
		echo "kernels (scripts/tcg_loops.py): TCG cannot chain such a loop to itself,"
		echo "so it runs several times slower than the same code elsewhere; a ratio"
		echo "that involves one is an artefact of where the linker put the code."
		echo
		loops=$(tcg_loops)
		if [ -n "$loops" ]; then
			sed 's/^/    /' <<<"$loops"
		else
			echo "None in these kernels."
		fi
	} >>"$B/README.md"
fi
say "results: $B (README.md, ratios.png, kernel-*.csv, proc-*.csv, stall-*.csv, user.csv)"
