#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh ARCH VARIANT INITRAMFS LOG [KERNEL_ARGS...]: boot a built kernel
# under QEMU (TCG) with the initramfs, keep the console in LOG, and fail if
# it does not power off by itself within $BOOT_TIMEOUT seconds or never
# reaches the end of its test scripts.  QEMU_EXTRA adds QEMU options
# (make bench: BENCH_ICOUNT=1 passes -icount shift=0); QEMU_SMP replaces
# the CPU topology, two CPUs by default.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: boot.sh ARCH VARIANT INITRAMFS LOG [ARGS...]}
variant=${2:?}
initrd=${3:?}
log=${4:?}
shift 4
arch_setup "$arch"
kernel=$KOBJ/$arch-$variant/$KIMAGE
[ -f "$kernel" ] || die "no kernel at $kernel; fix: make build-$arch"
timeout=${BOOT_TIMEOUT:-600}
mkdir -p "$(dirname "$log")"

say "booting $arch $variant (log: $log)"
start=$SECONDS
rc=0
# shellcheck disable=SC2086 # QEMU_EXTRA is a list of options
timeout --foreground -k 10 "$timeout" "$QEMU" "${QEMU_MACHINE[@]}" -smp "${QEMU_SMP:-2}" -m "$QEMU_MEM" ${QEMU_EXTRA:-} \
	-nographic -no-reboot -nodefaults -serial stdio \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=$CONSOLE panic=-1 $HUGE_ARGS $*" </dev/null >"$log" 2>&1 || rc=$?
if [ $rc = 124 ]; then
	printf 'error: %s %s boot timed out after %ss; log: %s\n' "$arch" "$variant" "$timeout" "$log" >&2
	tail -n 15 "$log" | sed 's/^/  | /' >&2
	exit 1
fi
if ! grep -q '^PT_WALK: all done' "$log"; then
	printf 'error: %s %s boot did not finish its scripts (qemu rc %s); log: %s\n' \
		"$arch" "$variant" "$rc" "$log" >&2
	tail -n 15 "$log" | sed 's/^/  | /' >&2
	exit 1
fi
say "booted $arch $variant in $((SECONDS - start)) s"
