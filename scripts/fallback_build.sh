#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# fallback_build.sh: prove the generic level-ops serve an architecture that
# has none of its own: build the walk objects for riscv64 (Debian's
# gcc-riscv64-linux-gnu) with W=1 and fail on any warning from them.
. "$(dirname "$0")/lib.sh"

obj=$KOBJ/riscv64-patched
[ -e "$KWORK/.git" ] || die "no kernel checkout at $KWORK; fix: make apply"
git -C "$KWORK" checkout -q --detach "$SERIES_BRANCH"
[ ! -e "$KWORK/arch/riscv/include/asm/pt_levels.h" ] ||
	die "riscv has its own level-ops: this no longer tests the fallback"
mkdir -p "$obj"
rv() {
	make -C "$KWORK" O="$obj" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- \
		CC="ccache riscv64-linux-gnu-gcc" "$@"
}
frag=$(mktemp)
trap 'rm -f "$frag"' EXIT
printf 'CONFIG_MMU=y\nCONFIG_PT_WALK=y\nCONFIG_64BIT=y\n' >"$frag"
if [ ! -f "$obj/.config" ]; then
	rv allnoconfig >/dev/null
	"$KWORK/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$frag" >/dev/null
	rv olddefconfig >/dev/null
fi
grep -qx CONFIG_PT_WALK=y "$obj/.config" || die "riscv64 config lost CONFIG_PT_WALK"
out=$(rv -j"$JOBS" W=1 mm/pt_walk.o mm/pt_range_walk.o 2>&1) || { echo "$out"; exit 1; }
echo "$out" | grep -E '(warning|error):' && exit 1
echo "riscv64 (asm-generic level-ops): mm/pt_walk.o mm/pt_range_walk.o built, W=1 clean"
