#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# selftests.sh [RESULTS]: the kernel's own /proc users as a peer of the
# end-to-end tier.  For each arch of $ARCHES: build with the selftests'
# own Makefiles, statically and out of the tree (build/src is only read),
# the mm selftests that read the page-table walkers (MM_TESTS below) and
# the whole proc suite into build/selftests/ARCH; boot the stock and the
# patched kernel on them (tests/selftests/run.sh) and require that the
# patched kernel passes exactly the tests and subtests the stock one does.
#
# Results go to RESULTS, or $RES, or out/selftests/results.tsv (started
# afresh): "selftests-ARCH<TAB>test<TAB>pass|fail|skip"; a test that fails
# or skips the same way on both kernels is a skip.
. "$(dirname "$0")/lib.sh"

STO=$OUT/selftests
results_file "${1:-}" "$STO"
ARCHES=${ARCHES:-x86_64 arm64}
export BOOT_TIMEOUT=${BOOT_TIMEOUT:-600}
ST=$KWORK/tools/testing/selftests

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"; }

# The mm selftests that read the walkers the series converts, directly
# (/proc/PID/pagemap, smaps, PAGEMAP_SCAN, clear_refs) or through
# vm_util.c (pagemap_get_entry, pagemap_is_*, allocate_transhuge read
# pagemap; check_huge_anon/file/shmem read smaps): "NAME[.SEL] LIMIT
# [ARGS...]" in the order they run, NAME the test, .SEL naming one of
# several runs of it, LIMIT the seconds it may take under TCG before it
# is killed (a few times what it takes on x86_64 and arm64 with 4K
# pages), ARGS what it runs with.  Found by grepping
# tools/testing/selftests/mm for pagemap, smaps, numa_maps, clear_refs,
# PAGEMAP_SCAN and the vm_util helpers; no mm test reads numa_maps.
#   cow                  pagemap populated/swapped bits, clear_refs
#                        soft-dirty clearing, over every THP size
#   hugepage-vmemmap     pagemap PFN of a hugetlb page, then kpageflags
#   khugepaged           smaps (check_huge_anon/shmem) around collapses;
#                        MADV_COLLAPSE's context ("madvise:"), which is
#                        synchronous: khugepaged's waits 3 s for two full
#                        scans, a race under TCG, and its shmem cases
#                        fail on the stock kernel already
#   ksm_functional_tests pagemap PFNs of merged and unmerged pages
#   madv_populate        pagemap populated and soft-dirty bits
#   mkdirty              pagemap populated bit
#   mlock2-tests         smaps Locked:/Rss:
#   pagemap_ioctl        PAGEMAP_SCAN, pagemap, clear_refs
#   soft-dirty           pagemap soft-dirty, clear_refs (x86_64 only, as
#                        in the mm Makefile: arm64 has no soft-dirty)
#   split_huge_page_test pagemap, smaps, kpageflags; it splits through
#                        debugfs, so fails alike on both kernels without
#                        CONFIG_DEBUG_FS
#   transhuge-stress     pagemap through allocate_transhuge; it loops
#                        until -d seconds have passed, over 64 MiB
#   uffd-unit-tests      pagemap uffd-wp bits: its "wp-" cases (wp-fork*,
#                        wp-unpopulated) are the ones that read it
# Left out, with why:
#   uffd-unit-tests' other cases: read no walker but minor-collapse
#                        (smaps through check_huge_shmem, as khugepaged's
#                        shmem cases do), which takes 30 s of arm64 TCG
#                        for its 8192 minor faults; events*, sigbus*,
#                        poison take another 50 s
#   ksm_tests            reads pagemap, but links libnuma, which these
#                        hosts lack (libnuma-dev); its -N cases also want
#                        two NUMA nodes
#   mlock-random-test    reads smaps, but links libcap (libcap-dev)
#   migration            reads no walker; libnuma and two NUMA nodes
#   uffd-stress          smaps only through uffd-common's shmem check as
#                        above; a stress run of minutes under TCG
#   gup_test, hmm-tests, test_vmalloc.sh
#                        read no walker; need debugfs or test modules
#   hugetlb-madvise, hugetlb_dio, hugetlb_fault_after_madv,
#   hugetlb_madv_vs_map, hugepage-mmap/-shm/-mremap, map_hugetlb,
#   thuge-gen, gup_longterm, compaction_test, map_populate,
#   mrelease_test, on-fault-limit, mdwe_test, droppable, memfd_secret,
#   protection_keys, pkey_sighandler_tests, write_to_hugetlbfs,
#   hugetlb-read-hwpoison, hugetlb-soft-offline, the cgroup scripts
#                        read no walker (vm_util only for meminfo's
#                        huge page counts, if at all)
#   map_fixed_noreplace, mremap_test, mremap_dontunmap, mseal_test,
#   seal_elf, virtual_address_range, va_high_addr_switch
#                        read /proc/PID/maps only, which walks no page
#                        table
MM_TESTS=(
	"hugepage-vmemmap 60"
	"khugepaged.anon 120 madvise:anon"
	"khugepaged.shmem 120 madvise:shmem"
	"ksm_functional_tests 120"
	"madv_populate 60"
	"mkdirty 60"
	"mlock2-tests 60"
	"pagemap_ioctl 120"
	"soft-dirty 60"
	"split_huge_page_test 60"
	"transhuge-stress 60 -d 5 64"
	"uffd-unit-tests 120 -f wp-"
	# Last: with 64K pages it fills THPs of every size up to 512 MiB and
	# outlasts its limit, after which the huge blocks that the tests
	# above need (khugepaged collapses four PMDs) are free or not by
	# chance.
	"cow 120"
)

# st_make LOG WHAT SUBDIR TARGET [VAR=VALUE...]: one test through the
# selftests' own Makefile, out of the tree and statically linked, against
# build()'s uapi headers in $hdr.
st_make() {
	local log=$1 what=$2 sub=$3 target=$4; shift 4
	run_logged "$log" "$what" make -C "$ST/$sub" \
		ARCH="$KARCH" CROSS_COMPILE="$CROSS" OUTPUT="$(dirname "$target")" \
		KHDR_INCLUDES="-isystem $hdr/usr/include" USERLDFLAGS=-static "$@" "$target"
}

# build ARCH DIR: the tree's uapi headers in DIR/hdr, then the payload in
# DIR/payload: the tests in selftests/mm and selftests/proc, and
# selftests.conf, "NAME LIMIT BINARY [ARGS...]" a line, which
# tests/selftests/run.sh runs in that order.  A test that does not build
# is recorded as failing and left out; the others go on.
build() {
	local arch=$1 dir=$2 line name limit args t c
	local out=$dir/payload hdr=$dir/hdr cfg=$dir/cfg logs=$STO/$arch
	local -A failed=()
	local extra=()
	arch_setup "$arch"
	rm -rf "$out" "$cfg"
	mkdir -p "$out/selftests/mm" "$out/selftests/proc" "$cfg"
	: >"$out/selftests.conf"
	# The tests include the tree's uapi headers (PAGEMAP_SCAN, uffd
	# WP_ASYNC, MFD_NOEXEC_SEAL, ... are newer than the hosts'), as
	# kselftest's KHDR_INCLUDES: "make headers" into an object directory
	# of ours, kept between runs so that it costs nothing when the tree's
	# headers did not change.
	run_logged "$logs/build-headers.log" "make headers for $arch" kmake "$KWORK" "$hdr" headers ||
		{ record "$tier" build.headers fail; return 1; }
	# mm's library probe, check_config.sh, writes local_config.mk and .h
	# into the directory it runs in, which for the Makefile is the source
	# directory: run it in $cfg instead; make finds the .mk there through
	# -I, the compiler the .h through USERCFLAGS, and LOCAL_HDRS, the
	# headers every test depends on, names that copy.
	(cd "$cfg" && run_logged "$logs/build-check_config.log" "mm's check_config.sh for $arch" \
		sh "$ST/mm/check_config.sh" "$UCC") || { record "$tier" build.check_config fail; return 1; }
	local mmvars=(-I "$cfg" USERCFLAGS="-I$cfg"
		LOCAL_HDRS="$cfg/local_config.h $KWORK/mm/gup_test.h $ST/mm/mseal_helpers.h $ST/kselftest_harness.h $ST/kselftest.h")
	for line in "${MM_TESTS[@]}"; do
		read -r name limit args <<<"$line"
		t=${name%%.*}
		[ "$t" != soft-dirty ] || [ "$ARCH_BASE" = x86_64 ] || continue
		[ -z "${failed[$t]:-}" ] || continue
		extra=()
		# 6.12's khugepaged.c returns KSFT_SKIP without including
		# kselftest.h (a stable backport's slip): include it for it.
		[ "$t" != khugepaged ] || extra=("USERCFLAGS=-I$cfg -include $ST/kselftest.h")
		if [ ! -e "$out/selftests/mm/$t" ] && ! st_make "$logs/build-mm-$t.log" \
			"build of mm/$t for $arch" mm "$out/selftests/mm/$t" "${mmvars[@]}" "${extra[@]}"; then
			failed[$t]=1
			record "$tier" "build.mm-$t" fail
			continue
		fi
		printf 'mm-%s %s mm/%s %s\n' "$name" "$limit" "$t" "$args" >>"$out/selftests.conf"
	done
	# The proc suite, whole; each of its tests takes about a second.
	for c in "$ST"/proc/*.c; do
		t=$(basename "$c" .c)
		st_make "$logs/build-proc-$t.log" "build of proc/$t for $arch" proc "$out/selftests/proc/$t" ||
			{ record "$tier" "build.proc-$t" fail; continue; }
		printf 'proc-%s 120 proc/%s\n' "$t" "$t" >>"$out/selftests.conf"
	done
	install -m755 "$TOP/tests/selftests/run.sh" "$out/20-selftests.sh"
}

run_arch() {
	local arch=$1
	local dir=$BUILD/selftests/$arch out=$STO/$arch v rc=0 start=$SECONDS
	tier=selftests-$arch
	[ -d "$ST/mm" ] || { record "$tier" tree fail; die "no selftests in $ST; fix: make tree"; }
	rm -rf "$out"
	mkdir -p "$out"
	say "selftests $arch"
	build "$arch" "$dir" || return 1
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
