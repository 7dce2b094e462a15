#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# selftests.sh [RESULTS]: the kernel's own /proc users as a peer of the
# end-to-end tier.  For each arch of $ARCHES: build, statically and out of
# the tree (build/src is only read), the mm selftests that use pagemap
# (pagemap_ioctl, soft-dirty on x86_64, madv_populate, mkdirty) and the
# whole proc suite into build/selftests/ARCH; boot the stock and the
# patched kernel on them (tests/selftests/run.sh) and require that the
# patched kernel passes exactly the tests and subtests the stock one does.
#
# Results go to RESULTS, or $RES, or out/selftests/results.tsv (started
# afresh): "selftests-ARCH<TAB>test<TAB>pass|fail|skip"; a test that fails
# or skips the same way on both kernels is a skip.
. "$(dirname "$0")/lib.sh"

STO=$OUT/selftests
if [ -n "${1:-}" ]; then
	RES=$1
elif [ -z "${RES:-}" ]; then
	RES=$STO/results.tsv
	mkdir -p "$STO"
	: >"$RES"
fi
mkdir -p "$(dirname "$RES")"
ARCHES=${ARCHES:-x86_64 arm64}
export BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
ST=$KWORK/tools/testing/selftests

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"; }

# The uapi headers the tests need that are newer than the build hosts'
# (PAGEMAP_SCAN, uffd WP_ASYNC, MFD_NOEXEC_SEAL, ...), prepared the way
# scripts/headers_install.sh does (its sed part; these headers need no
# unifdef), into an overlay searched before the system headers.
uapi_overlay() {
	local dir=$1 h
	mkdir -p "$dir/linux"
	for h in fs userfaultfd memfd mman mempolicy; do
		sed -E -e 's/([[:space:](])(__user|__force|__iomem)[[:space:]]/\1/g' \
			-e 's/__attribute_const__([[:space:]]|$)/\1/g' \
			-e 's@^#include <linux/compiler(|_types).h>@@' \
			-e 's/(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)/\1__attribute__((packed))\2/g' \
			-e 's/(^|[[:space:](])(inline|asm|volatile)([[:space:](]|$)/\1__\2__\3/g' \
			-e 's@#(ifndef|define|endif[[:space:]]*/[*])[[:space:]]*_UAPI@#\1 @' \
			"$KWORK/include/uapi/linux/$h.h" >"$dir/linux/$h.h"
	done
}

# build ARCH OUTDIR: one static binary per test in OUTDIR/selftests.
build() {
	local arch=$1 out=$2 t c cflags
	arch_setup "$arch"
	rm -rf "$out"
	mkdir -p "$out/selftests" "$out/obj"
	uapi_overlay "$out/include"
	cflags=(-static -O2 -Wall -D_GNU_SOURCE -U_FORTIFY_SOURCE -isystem "$out/include"
		-I "$KWORK" -I "$ST")
	local mm=(pagemap_ioctl madv_populate mkdirty)
	[ "$arch" = x86_64 ] && mm+=(soft-dirty)
	# Compiled from their directory: pagemap_ioctl names its scratch
	# files after __FILE__, which must then be a relative path that the
	# test's working directory (a tmpfs) can hold.
	for t in "${mm[@]}"; do
		(cd "$ST/mm" && run_logged "$STO/$arch/build-mm-$t.log" "build of mm/$t for $arch" \
			"$UCC" "${cflags[@]}" -o "$out/selftests/mm-$t" "$t.c" \
			vm_util.c thp_settings.c -lrt -lpthread -lm) ||
			record "$tier" "build.mm-$t" fail
	done
	for c in "$ST"/proc/*.c; do
		t=$(basename "$c" .c)
		(cd "$ST/proc" && run_logged "$STO/$arch/build-proc-$t.log" "build of proc/$t for $arch" \
			"$UCC" "${cflags[@]}" -o "$out/selftests/proc-$t" "$t.c" -lpthread) ||
			record "$tier" "build.proc-$t" fail
	done
	install -m755 "$TOP/tests/selftests/run.sh" "$out/20-selftests.sh"
	rm -rf "$out/obj"
}

run_arch() {
	local arch=$1
	local dir=$BUILD/selftests/$arch out=$STO/$arch v rc=0 start=$SECONDS
	tier=selftests-$arch
	[ -d "$ST/mm" ] || { record "$tier" tree fail; die "no selftests in $ST; fix: make tree"; }
	rm -rf "$out"
	mkdir -p "$out"
	say "selftests $arch"
	build "$arch" "$dir/payload"
	"$TOP/scripts/initramfs.sh" "$arch" "$dir/initramfs.cpio" "$dir/payload" ||
		{ record "$tier" initramfs fail; return 1; }
	for v in stock patched; do
		"$TOP/scripts/boot.sh" "$arch" "$v" "$dir/initramfs.cpio" "$out/console-$v.log" \
			kunit.enable=0 || { record "$tier" "boot-$v" fail; rc=1; }
	done
	[ $rc = 0 ] || return 1
	python3 "$TOP/scripts/selftests_compare.py" "$tier" "$out/console-stock.log" \
		"$out/console-patched.log" >"$out/results.tsv" 2>"$out/report.txt" || rc=1
	cat "$out/report.txt" >&2
	cat "$out/results.tsv" >>"$RES"
	say "selftests $arch: $(awk -F'\t' '{n[$3]++} END{printf "%d passed, %d failed, %d skipped", n["pass"], n["fail"], n["skip"]}' "$out/results.tsv") in $((SECONDS - start)) s"
	return $rc
}

status=0
for arch in $ARCHES; do
	run_arch "$arch" || status=1
done
exit $status
