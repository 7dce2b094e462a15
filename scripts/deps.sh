#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the tiers need; quiet when all are present.
# Not root: print the exact command and stop.
. "$(dirname "$0")/lib.sh"

PKGS=(linux-source-6.12 make gcc libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross
      coccinelle qemu-system-x86 qemu-system-arm qemu-system-misc busybox-static flex bison bc
      libelf-dev libssl-dev cpio ccache python3 xz-utils git perl clang gnuplot-nox python3-sphinx python3-yaml graphviz
      libclang-rt-14-dev valgrind sparse dwarves rsync file python3-ply python3-git gcc-riscv64-linux-gnu b4
      clang-format)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done

apt_updated=0
apt_update() {
	[ $apt_updated = 1 ] && return 0
	say "apt-get update"
	run_logged "$OUT/logs/apt-update.log" "apt-get update" apt-get update -q
	apt_updated=1
}

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "error: missing packages: ${missing[*]}" >&2
		echo "fix: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
		exit 2
	fi
	apt_update
	say "installing ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive run_logged "$OUT/logs/apt-install.log" "apt-get install" \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# arm64 initramfs needs an arm64 busybox: Debian's busybox-static for arm64,
# unpacked under build/ (never installed on the host).
BB_ARM64=$BUILD/busybox-arm64/bin/busybox
if [ ! -x "$BB_ARM64" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		[ "$(id -u)" = 0 ] || die "no arm64 busybox; fix: sudo dpkg --add-architecture arm64 && sudo apt-get update, then re-run"
		dpkg --add-architecture arm64
		apt_updated=0
	fi
	[ "$(id -u)" = 0 ] && [ $apt_updated = 0 ] && apt_update
	say "fetching busybox-static:arm64"
	tmp=$(mktemp -d)
	(cd "$tmp" && run_logged "$OUT/logs/apt-download.log" "apt-get download busybox-static:arm64" \
		apt-get download busybox-static:arm64) ||
		{ apt_update && (cd "$tmp" && apt-get download -q busybox-static:arm64 >/dev/null); }
	mkdir -p "$BUILD/busybox-arm64"
	dpkg-deb -x "$tmp"/busybox-static_*_arm64.deb "$tmp/x"
	install -D -m755 "$tmp/x/bin/busybox" "$BB_ARM64"
	rm -rf "$tmp"
fi
