#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel selftests tier's boot script, copied into the initramfs as
# /tests/20-selftests.sh by scripts/selftests.sh: run every test of
# /tests/selftests.conf ("NAME LIMIT BINARY [ARGS...]" a line; the mm
# tests that read the page-table walkers and the proc suite, built from
# the kernel tree) between markers, each in a fresh tmpfs directory and
# killed after LIMIT seconds, so that stock and patched kernels can be
# compared test by test.

# Keep kernel messages off the console, where they would split the tests'
# output; they are in the log buffer.
echo "1 4 1 7" >/proc/sys/kernel/printk
mount -t tmpfs -o size=256m tmpfs /tmp
mkdir -p /dev/hugepages
mount -t hugetlbfs none /dev/hugepages 2>/dev/null
# split_huge_page_test splits through debugfs, when the kernel has it.
mount -t debugfs none /sys/kernel/debug 2>/dev/null
# Some tests look for their THP settings here, and swap for MADV_PAGEOUT
# and khugepaged's swapped-out cases.
if [ -e /sys/block/zram0/disksize ]; then
	echo 64M >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null 2>&1 &&
		swapon /dev/zram0 2>/dev/null
fi
# uffd-unit-tests' hugetlb cases map 32 MiB twice in default-size huge
# pages; the command line reserves 16 of 2 MiB (larger default sizes, of
# other granules, are left as they are).
if grep -q '^Hugepagesize: *2048 kB' /proc/meminfo; then
	[ "$(cat /proc/sys/vm/nr_hugepages)" -ge 40 ] || echo 40 >/proc/sys/vm/nr_hugepages
fi

# cow maps every hugetlb size about 40 times and fills it: 3.5 s a time
# under TCG for 1 GiB, 50 s of a boot.  Give the pages of 512 MiB and up
# back (the e2e tier walks them); cow then skips those sizes.
for h in /sys/kernel/mm/hugepages/hugepages-*kB; do
	kb=${h##*-}
	[ "${kb%kB}" -lt 524288 ] || echo 0 >"$h/nr_hugepages"
done

# One run of test $1 (limit $2, binary $3, arguments $4) in a fresh
# directory; its exit status is the test's.
run_one() {
	d=/tmp/$1
	mkdir -p "$d"
	# The THP and hugetlb cases want free huge blocks, whatever the
	# tests before them left (run_vmtests.sh does the same).
	case $1 in
	mm-*) echo 3 >/proc/sys/vm/drop_caches
	      echo 1 >/proc/sys/vm/compact_memory ;;
	esac
	# In a session of its own, so that what is left of it can be ended:
	# a killed test's children live on otherwise (cow's wait for their
	# parent in a loop), spinning and holding huge pages that the next
	# tests then lack.
	# shellcheck disable=SC2086 # ARGS are words
	(cd "$d" && exec setsid timeout -s KILL "$2" "/tests/selftests/$3" $4 </dev/null 2>&1) &
	pid=$!
	wait $pid
	rc=$?
	kill -9 -- -$pid 2>/dev/null
	rm -rf "$d"
	return $rc
}

while read -r name limit bin args; do
	echo "ST: BEGIN $name"
	start=$(date +%s)
	run_one "$name" "$limit" "$bin" "$args"
	rc=$?
	# A failure gets a second run, on both kernels alike: under TCG the
	# THP cases fail now and then on either kernel for want of a free
	# huge block or of khugepaged's time (stock's khugepaged shmem case
	# once in CI).  The comparison takes the second run and reports the
	# first; a failure that repeats still differs.  A test killed at its
	# limit or skipped is not rerun.
	case $rc in
	0|4|137) ;;
	*) echo "ST: RETRY $name rc=$rc time=$(($(date +%s) - start))"
	   start=$(date +%s)
	   run_one "$name" "$limit" "$bin" "$args"
	   rc=$? ;;
	esac
	echo "ST: END $name rc=$rc time=$(($(date +%s) - start))"
done </tests/selftests.conf
