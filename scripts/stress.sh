#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# stress.sh [RESULTS]: the concurrency stress tier.  For each arch of
# $ARCHES: build the debug kernels (geometry ARCH-debug: KASAN, lockdep,
# PROVE_RCU, PAGE_TABLE_CHECK, DEBUG_PAGEALLOC, DEBUG_VM; see
# tests/config/any-debug.config), stock and patched, and boot each with two
# CPUs and two NUMA nodes on tests/stress/ptw_stress: readers of smaps,
# smaps_rollup, numa_maps, pagemap and PAGEMAP_SCAN against mutators that
# map, unmap, split, collapse, fork, swap and migrate, for $STRESS_SECONDS
# (default 120).  scripts/stress_results.py turns each console into
# results: every reader and mutator ran and saw only well-formed output,
# nothing hung, and the kernel printed no splat.  Both kernels must pass;
# their iteration counts are printed side by side.
#
# Results go to RESULTS, or $RES, or out/stress/results.tsv (started
# afresh): "stress-ARCH<TAB>test<TAB>pass|fail|skip[<TAB>what was counted]".
. "$(dirname "$0")/lib.sh"

STO=$OUT/stress
results_file "${1:-}" "$STO"
ARCHES=${ARCHES:-x86_64 arm64}
SECONDS_RUN=${STRESS_SECONDS:-120}
case "$SECONDS_RUN" in
''|*[!0-9]*) die "STRESS_SECONDS=$SECONDS_RUN is not a number of seconds; fix: STRESS_SECONDS=120" ;;
esac
# A KASAN kernel boots in about a minute under TCG; the rest is margin
# for a slow machine.  A hang inside the run is the workload's watchdog's
# to report, well before this.
export BOOT_TIMEOUT=$((SECONDS_RUN + 600))

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"; }

# Two NUMA nodes of half the guest's memory each, one CPU on each: pages
# migrate between them (move_pages, mbind).  Each CPU is a socket of its
# own (QEMU_SMP below): two cores of one socket on two nodes share a cache
# across nodes, which x86 warns about at boot.
numa_args() {
	local gib=${QEMU_MEM%G}
	local half=$((gib / 2))G
	echo "-object memory-backend-ram,id=ptw-m0,size=$half" \
		"-object memory-backend-ram,id=ptw-m1,size=$half" \
		"-numa node,nodeid=0,cpus=0,memdev=ptw-m0" \
		"-numa node,nodeid=1,cpus=1,memdev=ptw-m1"
}

# payload ARCH DIR: the workload and the guest script.
payload() {
	local arch=$1 dir=$2
	rm -rf "$dir"
	mkdir -p "$dir"
	install -m755 "$TOP/tests/stress/run.sh" "$dir/30-stress.sh"
	run_logged "$STO/$arch/build.log" "build of the $arch stress workload" \
		"$UCC" -static -O2 -Wall -Wextra -pthread \
		-o "$dir/ptw_stress" "$TOP"/tests/stress/*.c &&
	run_logged "$STO/$arch/build-stall.log" "build of the $arch stall program" \
		"$UCC" -static -O2 -Wall -Wextra -pthread \
		-o "$dir/stall" "$TOP/tests/bench/stall.c"
}

run_arch() {
	local arch=$1 g=$1-debug v rc=0 start=$SECONDS
	local dir=$BUILD/stress/$arch out=$STO/$arch
	tier=stress-$arch
	rm -rf "$out"
	mkdir -p "$out"
	say "stress $arch: debug kernels, ${SECONDS_RUN} s per kernel"
	for v in stock patched; do
		if ! "$TOP/scripts/build.sh" "$g" "$v"; then
			record "$tier" "build-$v" fail
			rc=1
		fi
	done
	[ $rc = 0 ] || return 1
	arch_setup "$g"
	payload "$arch" "$dir/payload" || { record "$tier" build fail; return 1; }
	"$TOP/scripts/initramfs.sh" "$arch" "$dir/initramfs.cpio" "$dir/payload" ||
		{ record "$tier" initramfs fail; return 1; }
	for v in stock patched; do
		if ! QEMU_SMP=2,sockets=2,cores=1,threads=1 QEMU_EXTRA="$(numa_args)" \
			"$TOP/scripts/boot.sh" "$g" "$v" \
			"$dir/initramfs.cpio" "$out/console-$v.log" \
			kunit.enable=0 ptw_stress.seconds="$SECONDS_RUN"; then
			record "$tier" "boot-$v" fail
			rc=1
		fi
		python3 "$TOP/scripts/stress_results.py" "$tier" "$v" \
			"$out/console-$v.log" >"$out/results-$v.tsv" || rc=1
		cat "$out/results-$v.tsv" >>"$RES"
	done
	python3 "$TOP/scripts/stress_results.py" --table "$out/results-stock.tsv" \
		"$out/results-patched.tsv" | tee "$out/iterations.txt" >&2
	say "stress $arch: $(cat "$out"/results-*.tsv | awk -F'\t' '{n[$3]++} END{printf "%d passed, %d failed, %d skipped", n["pass"], n["fail"], n["skip"]}') in $((SECONDS - start)) s (consoles: $out/)"
	return $rc
}

status=0
for arch in $ARCHES; do
	run_arch "$arch" || status=1
done
exit $status
