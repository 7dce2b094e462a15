#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The main job (`make`): tree, series, apply, build the patched x86_64
# kernel, boot it under QEMU, and show its KUnit results and where
# everything is.
. "$(dirname "$0")/lib.sh"

arch=${ARCH:-x86_64}
"$TOP/scripts/tree.sh"
"$TOP/scripts/patches.sh"
"$TOP/scripts/apply.sh"
"$TOP/scripts/build.sh" "$arch" patched
initrd=$BUILD/initramfs-$arch.cpio
"$TOP/scripts/initramfs.sh" "$arch" "$initrd" "$TOP/tests/boot"
log=$OUT/main/console-$arch-patched.log
"$TOP/scripts/boot.sh" "$arch" patched "$initrd" "$log"
echo
python3 "$TOP/scripts/kunit_results.py" "$KWORK" "kunit-$arch" "$log" \
	>"$OUT/main/kunit-$arch.tsv" 2>"$OUT/main/kunit-$arch.txt" || true
cat "$OUT/main/kunit-$arch.txt"
arch_setup "$arch"
cat <<EOT

series:   $OUT/patches/ ($(ls "$OUT"/patches/*.patch | wc -l) files, cover letter first)
tree:     $KWORK (branch $SERIES_BRANCH on tag $BASE_TAG of $KSRC)
kernel:   $KOBJ/$arch-patched/$KIMAGE
console:  $log
results:  $OUT/main/kunit-$arch.tsv
EOT
! grep -qP '\tfail$' "$OUT/main/kunit-$arch.tsv"
