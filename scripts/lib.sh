# SPDX-License-Identifier: GPL-2.0
# Shared by every script in scripts/: paths, progress, and failing loudly.
# Source it; it defines no behaviour of its own.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
OUT=${OUT:-$TOP/out}
JOBS=${JOBS:-$(nproc)}
KVER_WANT="6.12"
SERIES_BRANCH=pt_walk
BASE_TAG=pt_walk-base

# The tree everything is applied to: $KDIR when given, else the embedded
# default extracted from Debian's linux-source-6.12.
if [ -n "${KDIR:-}" ]; then
	KSRC=$(cd "$KDIR" 2>/dev/null && pwd) || { echo "error: KDIR=$KDIR is not a directory; fix: point KDIR at a Linux 6.12 source tree" >&2; exit 2; }
	KUSER=1
else
	KSRC=$BUILD/linux
	KUSER=0
fi
# The one checkout every kernel is built from: a git worktree of $KSRC that
# is switched between $BASE_TAG (stock) and $SERIES_BRANCH (patched).  One
# source path for both means ccache serves every file the series leaves
# alone, so the second variant costs little more than what changed.
KWORK=$BUILD/src
# Object directories, one per ARCH-VARIANT.
KOBJ=$BUILD/kbuild
# A user's tree gets its own checkout and objects, never mixed with ours.
if [ "$KUSER" = 1 ]; then
	KWORK=$BUILD/kdir/src
	KOBJ=$BUILD/kdir/kbuild
fi

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

# run_logged LOG DESCRIPTION CMD...: run CMD with output to LOG; on failure
# print where the log is and its last lines.
run_logged() {
	local log=$1 what=$2; shift 2
	mkdir -p "$(dirname "$log")"
	if ! "$@" >"$log" 2>&1; then
		printf 'error: %s failed; log: %s\n' "$what" "$log" >&2
		tail -n 25 "$log" | sed 's/^/  | /' >&2
		return 1
	fi
}

# Per-arch facts: kernel ARCH, cross prefix, image, qemu, and the hugetlb
# pages every boot reserves (KUnit and the /proc cases use them).
arch_setup() {
	case "$1" in
	x86_64)
		KARCH=x86_64; CROSS=; KIMAGE=arch/x86/boot/bzImage
		QEMU=qemu-system-x86_64; QEMU_MACHINE=(-machine q35 -cpu max)
		CONSOLE=ttyS0; UCC=gcc
		HUGE_ARGS="hugepagesz=2M hugepages=16 hugepagesz=1G hugepages=1" ;;
	arm64)
		KARCH=arm64; CROSS=aarch64-linux-gnu-; KIMAGE=arch/arm64/boot/Image
		QEMU=qemu-system-aarch64; QEMU_MACHINE=(-machine virt -cpu max)
		CONSOLE=ttyAMA0; UCC=aarch64-linux-gnu-gcc
		HUGE_ARGS="hugepagesz=2M hugepages=16 hugepagesz=1G hugepages=1"
		HUGE_ARGS+=" hugepagesz=64K hugepages=16 hugepagesz=32M hugepages=2" ;;
	*) die "unknown arch '$1'; fix: use x86_64 or arm64" ;;
	esac
}

# Kernel make with our conventions: out-of-tree, ccache when present.
kmake() {
	local src=$1 obj=$2; shift 2
	local cc=${CROSS}gcc
	command -v ccache >/dev/null && cc="ccache $cc"
	make -C "$src" O="$obj" ARCH="$KARCH" CROSS_COMPILE="$CROSS" CC="$cc" "$@"
}
