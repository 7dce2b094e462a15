#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# e2e.sh [RESULTS]: the /proc end-to-end tier.  For each arch of $ARCHES
# (default: x86_64 arm64): build tests/e2e/workload.c, tests/e2e/dax.c (and, with
# WORKLOADS=DIR, every DIR/*.c as one program each) statically, pack them
# with tests/e2e/setup.sh into an initramfs, boot the stock and the
# patched kernel on it, and compare what the two print case by case
# (scripts/e2e_compare.py, sanity facts in tests/e2e/expect.tsv).
#
# Results go to RESULTS, or $RES, or out/e2e/results.tsv (that one is
# started afresh), as lines "e2e-ARCH<TAB>case<TAB>pass|fail|skip".
#
# E2E_MODE=determinism boots the stock kernel twice instead and compares
# the two boots (tier e2e-determinism-ARCH): what must hold before a
# stock/patched difference means anything.
# E2E_PARALLEL=1 boots the two kernels at the same time.  On x86_64 every
# comparison runs twice: with five paging levels and with no5lvl.
. "$(dirname "$0")/lib.sh"

E2E=$OUT/e2e
results_file "${1:-}" "$E2E"
ARCHES=${ARCHES:-x86_64 arm64}
MODE=${E2E_MODE:-compare}
WORKLOADS=${WORKLOADS:-}
if [ -n "$WORKLOADS" ]; then
	WORKLOADS=$(cd "$WORKLOADS" 2>/dev/null && pwd) ||
		die "WORKLOADS=${WORKLOADS} is not a directory; fix: point it at a directory of .c files"
fi
export BOOT_TIMEOUT=${BOOT_TIMEOUT:-300}

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"; }

# The hugetlb pools the cases use (2M, 1G; on arm64 also the contiguous
# 64K and 32M sizes) are reserved by boot.sh for every boot ($HUGE_ARGS of
# lib.sh).  kunit.enable=0: the KUnit suites built into the kernels are
# another tier's business and cost boot time here.
KARGS="kunit.enable=0"

# Paging modes each arch is compared under: a level-generic walker must
# agree with stock both where x86_64 has five levels (qemu -cpu max has
# LA57) and where no5lvl folds P4D away.  E2E_X86_NO5LVL=0 skips the latter.
paging_modes() {
	echo default
	if [ "$1" = x86_64 ] && [ "${E2E_X86_NO5LVL:-1}" = 1 ]; then
		echo no5lvl
	fi
}

# build ARCH DIR: the payload of the initramfs in DIR.
build() {
	local arch=$1 dir=$2 c n ok=0
	arch_setup "$arch"
	rm -rf "$dir"
	mkdir -p "$dir/e2e/extra"
	install -m755 "$TOP/tests/e2e/setup.sh" "$dir/10-e2e.sh"
	run_logged "$E2E/$arch/build.log" "build of the $arch workload" \
		"$UCC" -static -O2 -Wall -Wextra -I "$TOP/tests/e2e" \
		-o "$dir/e2e/workload" "$TOP/tests/e2e/workload.c" || ok=1
	# The DAX cases, a program of their own run after the workload
	# (setup.sh runs every e2e/extra/ program): one result per case.
	run_logged "$E2E/$arch/build-dax.log" "build of the $arch DAX cases" \
		"$UCC" -static -O2 -Wall -Wextra -I "$TOP/tests/e2e" \
		-o "$dir/e2e/extra/dax" "$TOP/tests/e2e/dax.c" || ok=1
	[ -n "$WORKLOADS" ] || return $ok
	for c in "$WORKLOADS"/*.c; do
		[ -e "$c" ] || continue
		n=$(basename "$c" .c)
		if ! run_logged "$E2E/$arch/build-$n.log" "build of $n for $arch" \
			"$UCC" -static -O2 -Wall -I "$TOP/tests/e2e" -o "$dir/e2e/extra/$n" "$c"; then
			record "$tier" "workload.$n" fail
		fi
	done
	return $ok
}

# boot ARCH VARIANT INITRD LOG [ARGS...]
boot() {
	local arch=$1 variant=$2 initrd=$3 log=$4
	shift 4
	# shellcheck disable=SC2086 # KARGS is words on purpose
	"$TOP/scripts/boot.sh" "$arch" "$variant" "$initrd" "$log" $KARGS "$@"
}

# compare ARCH MODE INITRD: boot the two kernels of this run under one
# paging mode and compare them; results under tier e2e[-determinism]-ARCH
# (with -MODE appended for a non-default paging mode).
compare() {
	local arch=$1 mode=$2 initrd=$3 va vb la lb rc=0 start=$SECONDS args=()
	local out=$E2E/$arch
	if [ "$MODE" = determinism ]; then
		tier=e2e-determinism-$arch; va=stock; vb=stock; la=stock-1; lb=stock-2
	else
		tier=e2e-$arch; va=stock; vb=patched; la=stock; lb=patched
	fi
	if [ "$mode" != default ]; then
		tier=$tier-$mode
		out=$out-$mode
		args=("$mode")
	fi
	rm -rf "${out:?}/${la:?}" "${out:?}/${lb:?}" "$out"/console-*.log "$out/results.tsv" "$out/report.txt"
	mkdir -p "$out"
	if [ "${E2E_PARALLEL:-0}" = 1 ]; then
		boot "$arch" "$va" "$initrd" "$out/console-$la.log" "${args[@]}" & local pa=$!
		boot "$arch" "$vb" "$initrd" "$out/console-$lb.log" "${args[@]}" & local pb=$!
		wait $pa || { record "$tier" "boot-$la" fail; rc=1; }
		wait $pb || { record "$tier" "boot-$lb" fail; rc=1; }
	else
		boot "$arch" "$va" "$initrd" "$out/console-$la.log" "${args[@]}" ||
			{ record "$tier" "boot-$la" fail; rc=1; }
		boot "$arch" "$vb" "$initrd" "$out/console-$lb.log" "${args[@]}" ||
			{ record "$tier" "boot-$lb" fail; rc=1; }
	fi
	[ $rc = 0 ] || return 1
	python3 "$TOP/scripts/e2e_compare.py" "$tier" "${arch%%-*}" \
		"$la" "$out/console-$la.log" "$lb" "$out/console-$lb.log" \
		"$TOP/tests/e2e/expect.tsv" "$out" >"$out/results.tsv" || rc=1
	cat "$out/results.tsv" >>"$RES"
	say "$tier: $(awk -F'\t' '{n[$3]++} END{printf "%d passed, %d failed, %d skipped", n["pass"], n["fail"], n["skip"]}' "$out/results.tsv") in $((SECONDS - start)) s (cases: $out/$la/, $out/$lb/)"
	return $rc
}

run_arch() {
	local arch=$1
	local dir=$BUILD/e2e/$arch mode rc=0
	tier=e2e-$arch
	[ "$MODE" = determinism ] && tier=e2e-determinism-$arch
	mkdir -p "$E2E/$arch"
	say "e2e $arch ($MODE)"
	if ! build "$arch" "$dir/payload"; then
		record "$tier" build fail
		return 1
	fi
	if ! "$TOP/scripts/initramfs.sh" "$arch" "$dir/initramfs.cpio" "$dir/payload"; then
		record "$tier" initramfs fail
		return 1
	fi
	for mode in $(paging_modes "$arch"); do
		compare "$arch" "$mode" "$dir/initramfs.cpio" || rc=1
	done
	return $rc
}

status=0
for arch in $ARCHES; do
	run_arch "$arch" || status=1
done
exit $status
