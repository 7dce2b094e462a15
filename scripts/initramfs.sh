#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# initramfs.sh ARCH OUT.cpio [PAYLOAD_DIR...]: a busybox-static initramfs whose
# /init (tests/boot/init) runs every /tests/*.sh copied from the payload
# directories, then powers off.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: initramfs.sh ARCH OUT.cpio [PAYLOAD_DIR...]}
out=${2:?usage: initramfs.sh ARCH OUT.cpio [PAYLOAD_DIR...]}
shift 2
case "${arch%%-*}" in
x86_64) bb=/bin/busybox ;;
arm64) bb=$BUILD/busybox-arm64/bin/busybox ;;
*) die "unknown arch '$arch'" ;;
esac
[ -x "$bb" ] || die "no busybox for $arch at $bb; fix: make deps"
file -L "$bb" 2>/dev/null | grep -q 'statically linked' ||
	die "$bb is not static; fix: apt-get install busybox-static"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,tests,mnt}
install -m755 "$bb" "$stage/bin/busybox"
install -m755 "$TOP/tests/boot/init" "$stage/init"
for d in "$@"; do
	cp -a "$d"/. "$stage/tests/"
done
mkdir -p "$(dirname "$out")"
(cd "$stage" && find . -print0 | cpio --null -o -H newc --owner=0:0 --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
