#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kunit_py.sh ARCH [RESULTS]: run the series' KUnit suites the way a
# reviewer does, with the kernel's own tools/testing/kunit/kunit.py run, on
# the patched checkout; kunit.py configures, builds and boots the kernel
# under QEMU itself.  ARCH is x86_64, arm64 or riscv64 (which has no
# level-ops of its own: it runs the asm-generic ones).  One line per test
# case, "kunit-py-ARCH<TAB>suite.case<TAB>pass|fail|skip" (riscv64:
# "kunit-riscv64"), and a console-clean line go to RESULTS (default
# stdout), parsed by scripts/kunit_results.py from the console kunit.py
# keeps (build/kbuild/ARCH-kunit/test.log).
#
# The command, which README shows, from the top of the patched tree:
#   tools/testing/kunit/kunit.py run --arch=riscv \
#     --cross_compile=riscv64-linux-gnu- --build_dir=.kunit-riscv \
#     --kunitconfig=PT_WALK/tests/kunit/.kunitconfig \
#     --kconfig_add=CONFIG_TRANSPARENT_HUGEPAGE=y ... (tests/config/kunit.config)
#
# Object directory: build/kbuild/ARCH-kunit, kept warm (ccache as CC).
# Log: out/logs/kunit-py-ARCH.log.  KUNIT_PY_TIMEOUT (default 1200) bounds
# the run of the tests, not the build.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: kunit_py.sh x86_64|arm64|riscv64 [RESULTS]}
res=${2:-/dev/stdout}
case "$arch" in
x86_64) karch=x86_64; cross=; tier=kunit-py-x86_64
	# The boot CPU of the project's boots (LA57: five levels).
	qemu_args=(--qemu_args="-cpu max") ;;
arm64) karch=arm64; cross=aarch64-linux-gnu-; tier=kunit-py-arm64; qemu_args=() ;;
riscv64) karch=riscv; cross=riscv64-linux-gnu-; tier=kunit-riscv64; qemu_args=()
	[ ! -e "$KWORK/arch/riscv/include/asm/pt_levels.h" ] ||
		die "riscv has level-ops of its own: $tier no longer runs the generic ones" ;;
*) die "unknown arch '$arch'; fix: x86_64, arm64 or riscv64" ;;
esac
command -v "${cross}gcc" >/dev/null ||
	die "no ${cross}gcc; fix: make deps (Debian gcc-${cross%-})"
qemu=qemu-system-${karch/arm64/aarch64}
[ "$karch" != riscv ] || qemu=qemu-system-riscv64
command -v "$qemu" >/dev/null || die "no $qemu; fix: make deps"

[ -e "$KWORK/.git" ] || die "no kernel checkout at $KWORK; fix: make apply"
git -C "$KWORK" rev-parse -q --verify "$SERIES_BRANCH^{commit}" >/dev/null ||
	die "no $SERIES_BRANCH in $KWORK; fix: make apply"
if [ "$(git -C "$KWORK" rev-parse HEAD)" != "$(git -C "$KWORK" rev-parse "$SERIES_BRANCH^{commit}")" ]; then
	git -C "$KWORK" checkout -q --detach "$SERIES_BRANCH"
fi

obj=$KOBJ/$arch-kunit
log=$OUT/logs/kunit-py-$arch.log
json=$OUT/logs/kunit-py-$arch.json
mkdir -p "$obj" "$OUT/logs"
rm -f "$json"

args=(run --arch="$karch" --build_dir="$obj" --jobs="$JOBS"
      --kunitconfig="$TOP/tests/kunit/.kunitconfig"
      --timeout="${KUNIT_PY_TIMEOUT:-1200}" --json="$json"
      --kernel_args="hugepagesz=2M" --kernel_args="hugepages=16"
      "${qemu_args[@]}")
[ -z "$cross" ] || args+=(--cross_compile="$cross")
command -v ccache >/dev/null && args+=(--make_options="CC=ccache ${cross}gcc")
while read -r opt; do
	args+=(--kconfig_add="$opt")
done < <(grep -E '^CONFIG_' "$TOP/tests/config/kunit.config")

say "kunit.py run --arch=$karch (objects: $obj; log: $log)"
start=$SECONDS
# kunit.py exits non-zero when a test fails; its JSON still says which.
rc=0
(cd "$KWORK" && python3 tools/testing/kunit/kunit.py "${args[@]}") >"$log" 2>&1 || rc=$?
if [ ! -s "$json" ]; then
	printf 'error: kunit.py run --arch=%s gave no results (rc %s); log: %s\n' "$karch" "$rc" "$log" >&2
	tail -n 20 "$log" | sed 's/^/  | /' >&2
	exit 1
fi
say "kunit.py run --arch=$karch: rc $rc in $((SECONDS - start)) s"
# The kernel's parser again (kunit_results.py), on the raw console kunit.py
# kept: one line per case and parameter, and the console-clean line that
# fails on any splat.  kunit.py's own JSON stays in out/logs.
python3 "$TOP/scripts/kunit_results.py" "$KWORK" "$tier" "$obj/test.log" >>"$res" \
	2>"$OUT/logs/kunit-py-$arch.parse.log" || { printf '%s\tparse\tfail\n' "$tier" >>"$res"; exit 1; }
grep -q 'Testing complete' "$log" || { printf '%s\tcomplete\tfail\n' "$tier" >>"$res"; exit 1; }
exit "$rc"
