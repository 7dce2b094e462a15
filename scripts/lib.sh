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
# The Coccinelle scripts of cocci/, in the order of the series: each one
# after those before it.
# shellcheck disable=SC2034 # used by the scripts that source this file
COCCI_SCRIPTS=(pagemap_thp_split smaps numa_maps pagemap smaps_rollup clear_refs pagemap_scan)

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

# Per-arch facts: kernel ARCH, cross prefix, image, qemu and its memory,
# and the hugetlb pages every boot reserves (KUnit and the /proc cases use
# them; HUGE_2M_PAGES, default 16, for the benchmarks' PMD-size pages).
#
# An "arch" may also name a geometry, ARCH-NAME (arm64-64k): the kernels of
# tests/config/ARCH-NAME.config merged over those of ARCH, with objects,
# results and tiers of their own.  EXTRA_CONFIG=FILE adds a fragment of
# the user's to every kernel, without editing tracked files.
# bench_geom SCRIPT ARCH: set geom to the geometry a benchmark of ARCH
# boots ($BENCH_GEOM, default ARCH-bench), or die saying how to fix ARCH
# or BENCH_GEOM.
bench_geom() {
	case "$2" in
	x86_64 | arm64) ;;
	*) die "unknown arch '$2'; fix: $1 x86_64 or $1 arm64" ;;
	esac
	geom=${BENCH_GEOM:-$2-bench}
	[ "${geom%%-*}" = "$2" ] ||
		die "BENCH_GEOM=$geom is not a geometry of $2; fix: BENCH_GEOM=$2-bench, or $2 for the test kernels"
}

# need_kernels GEOM: build the stock and the patched kernel of GEOM (after
# arch_setup GEOM), incrementally: a benchmark run alone must not time a
# kernel left from an older series (seconds when nothing changed); or die
# with the build's log.
need_kernels() {
	local v
	for v in stock patched; do
		"$TOP/scripts/build.sh" "$1" "$v" >&2 ||
			die "the $v kernel of $1 does not build; fix: see out/logs/build-$1-$v.log"
	done
}

arch_setup() {
	ARCH_BASE=${1%%-*}
	QEMU_MEM=4G
	GEOM_CONFIG=
	GEOM_SHARED=
	if [ "$1" != "$ARCH_BASE" ]; then
		GEOM_CONFIG=$TOP/tests/config/$1.config
		[ -f "$GEOM_CONFIG" ] ||
			die "unknown geometry '$1': no $GEOM_CONFIG; fix: use x86_64, arm64, or ARCH-NAME with tests/config/ARCH-NAME.config"
		# What every arch's geometry NAME shares: any-NAME.config
		GEOM_SHARED=$TOP/tests/config/any-${1#"$ARCH_BASE"-}.config
		[ -f "$GEOM_SHARED" ] || GEOM_SHARED=
	fi
	case "$ARCH_BASE" in
	x86_64)
		KARCH=x86_64; CROSS=; KIMAGE=arch/x86/boot/bzImage
		QEMU=qemu-system-x86_64; QEMU_MACHINE=(-machine q35 -cpu max)
		CONSOLE=ttyS0; UCC=gcc
		HUGE_ARGS="hugepagesz=2M hugepages=${HUGE_2M_PAGES:-16} hugepagesz=1G hugepages=1"
		# Emulated persistent memory for the DAX cases: legacy pmem
		# regions carved out of RAM (E820 type 12), simpler than an
		# NVDIMM with ACPI NFIT and needing no label area.  q35 puts
		# RAM above 2G at 4G: 3G at 4G for a 1G-aligned device-dax of
		# two 1G pages (its data offset rounds up to 1G), 64M at 7G for
		# a 2M-aligned one and 64M after it for fsdax.  Every boot gets
		# them, so stock and patched see the same.  8G keeps ~5G of RAM
		# with a free 1G-aligned 1G at 8G for the 1G hugetlb page (the
		# top of RAM holds early page tables, and below 2G the BIOS
		# reserves a little), and the guest touches little of the rest.
		QEMU_MEM=8G
		HUGE_ARGS+=" memmap=3G!4G memmap=64M!7G memmap=64M!0x1c4000000" ;;
	arm64)
		KARCH=arm64; CROSS=aarch64-linux-gnu-; KIMAGE=arch/arm64/boot/Image
		QEMU=qemu-system-aarch64; QEMU_MACHINE=(-machine virt -cpu max)
		CONSOLE=ttyAMA0; UCC=aarch64-linux-gnu-gcc
		# Per granule: the PMD size, the PUD size where it has one, and
		# the contiguous-PTE and contiguous-PMD sizes that fit 4 GiB.
		case "$(cat ${GEOM_SHARED:+"$GEOM_SHARED"} "$GEOM_CONFIG" "${EXTRA_CONFIG:-/dev/null}" 2>/dev/null |
			sed -n 's/^CONFIG_ARM64_\(4K\|16K\|64K\)_PAGES=y$/\1/p' | tail -n1)" in
		64K) HUGE_ARGS="hugepagesz=2M hugepages=16 hugepagesz=512M hugepages=2"
		     # Room for free 512M blocks: PMD THPs of that size
		     QEMU_MEM=8G ;;
		16K) HUGE_ARGS="hugepagesz=2M hugepages=16 hugepagesz=32M hugepages=16"
		     HUGE_ARGS+=" hugepagesz=1G hugepages=1" ;;
		*) HUGE_ARGS="hugepagesz=2M hugepages=${HUGE_2M_PAGES:-16} hugepagesz=1G hugepages=1"
		   HUGE_ARGS+=" hugepagesz=64K hugepages=16 hugepagesz=32M hugepages=2" ;;
		esac ;;
	*) die "unknown arch '$1'; fix: use x86_64 or arm64" ;;
	esac
}

# The config fragments of a kernel: common, the arch's, the geometry's
# (ARCH-NAME: any-NAME.config when there is one, shared by the arches,
# then ARCH-NAME.config), the framework's for a patched kernel, and the
# user's EXTRA_CONFIG.  Call after arch_setup.
kernel_fragments() {
	local variant=$1
	KFRAGS=("$TOP/tests/config/common.config" "$TOP/tests/config/$ARCH_BASE.config")
	[ -z "$GEOM_SHARED" ] || KFRAGS+=("$GEOM_SHARED")
	[ -z "$GEOM_CONFIG" ] || KFRAGS+=("$GEOM_CONFIG")
	[ "$variant" != patched ] || KFRAGS+=("$TOP/tests/config/pt_walk.config")
	if [ -n "${EXTRA_CONFIG:-}" ]; then
		[ -f "$EXTRA_CONFIG" ] || die "EXTRA_CONFIG=$EXTRA_CONFIG is not a file; fix: point it at a config fragment"
		KFRAGS+=("$(cd "$(dirname "$EXTRA_CONFIG")" && pwd)/$(basename "$EXTRA_CONFIG")")
	fi
}

# results_file ARG DIR: where a tier script writes its results lines, in
# RES: ARG (the caller's results.tsv), else $RES when set, else
# DIR/results.tsv started afresh.
results_file() {
	if [ -n "$1" ]; then
		RES=$1
	elif [ -z "${RES:-}" ]; then
		RES=$2/results.tsv
		mkdir -p "$2"
		: >"$RES"
	fi
	mkdir -p "$(dirname "$RES")"
}

# Kernel make with our conventions: out-of-tree, ccache when present.
kmake() {
	local src=$1 obj=$2; shift 2
	local cc=${CROSS}gcc
	command -v ccache >/dev/null && cc="ccache $cc"
	make -C "$src" O="$obj" ARCH="$KARCH" CROSS_COMPILE="$CROSS" CC="$cc" "$@"
}
