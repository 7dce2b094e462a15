#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# e2e.sh [RESULTS]: the /proc end-to-end tier.  For each arch of $ARCHES
# (default: x86_64 arm64): build tests/e2e/workload.c (and, with
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
# E2E_PARALLEL=1 boots the two kernels at the same time.
. "$(dirname "$0")/lib.sh"

E2E=$OUT/e2e
if [ -n "${1:-}" ]; then
	RES=$1
elif [ -z "${RES:-}" ]; then
	RES=$E2E/results.tsv
	mkdir -p "$E2E"
	: >"$RES"
fi
mkdir -p "$(dirname "$RES")"
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
cmdline() {
	echo "kunit.enable=0"
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

# boot ARCH VARIANT INITRD LOG
boot() {
	# shellcheck disable=SC2046 # the command line is words on purpose
	"$TOP/scripts/boot.sh" "$1" "$2" "$3" "$4" $(cmdline "$1")
}

run_arch() {
	local arch=$1 dir=$BUILD/e2e/$arch out=$E2E/$arch va vb la lb rc=0 start=$SECONDS
	if [ "$MODE" = determinism ]; then
		tier=e2e-determinism-$arch; va=stock; vb=stock; la=stock-1; lb=stock-2
	else
		tier=e2e-$arch; va=stock; vb=patched; la=stock; lb=patched
	fi
	rm -rf "$out"
	mkdir -p "$out"
	say "e2e $arch ($MODE)"
	if ! build "$arch" "$dir/payload"; then
		record "$tier" build fail
		return 1
	fi
	if ! "$TOP/scripts/initramfs.sh" "$arch" "$dir/initramfs.cpio" "$dir/payload"; then
		record "$tier" initramfs fail
		return 1
	fi
	if [ "${E2E_PARALLEL:-0}" = 1 ]; then
		boot "$arch" "$va" "$dir/initramfs.cpio" "$out/console-$la.log" & local pa=$!
		boot "$arch" "$vb" "$dir/initramfs.cpio" "$out/console-$lb.log" & local pb=$!
		wait $pa || { record "$tier" "boot-$la" fail; rc=1; }
		wait $pb || { record "$tier" "boot-$lb" fail; rc=1; }
	else
		boot "$arch" "$va" "$dir/initramfs.cpio" "$out/console-$la.log" ||
			{ record "$tier" "boot-$la" fail; rc=1; }
		boot "$arch" "$vb" "$dir/initramfs.cpio" "$out/console-$lb.log" ||
			{ record "$tier" "boot-$lb" fail; rc=1; }
	fi
	[ $rc = 0 ] || return 1
	python3 "$TOP/scripts/e2e_compare.py" "$tier" "$arch" \
		"$la" "$out/console-$la.log" "$lb" "$out/console-$lb.log" \
		"$TOP/tests/e2e/expect.tsv" "$out" >"$out/results.tsv" || rc=1
	cat "$out/results.tsv" >>"$RES"
	say "e2e $arch: $(awk -F'\t' '{n[$3]++} END{printf "%d passed, %d failed, %d skipped", n["pass"], n["fail"], n["skip"]}' "$out/results.tsv") in $((SECONDS - start)) s (cases: $out/$la/, $out/$lb/)"
	return $rc
}

status=0
for arch in $ARCHES; do
	run_arch "$arch" || status=1
done
exit $status
