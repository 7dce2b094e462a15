#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The kernel selftests tier's boot script, copied into the initramfs as
# /tests/20-selftests.sh by scripts/selftests.sh: run every program of
# /tests/selftests/ (mm pagemap users and the proc suite, built from the
# kernel tree) between markers, each in a fresh tmpfs directory and with a
# time limit, so that stock and patched kernels can be compared test by
# test.

# Keep kernel messages off the console, where they would split the tests'
# output; they are in the log buffer.
echo "1 4 1 7" >/proc/sys/kernel/printk
mount -t tmpfs -o size=256m tmpfs /tmp
mkdir -p /dev/hugepages
mount -t hugetlbfs none /dev/hugepages 2>/dev/null
# Some tests look for their THP settings here, and swap for MADV_PAGEOUT.
if [ -e /sys/block/zram0/disksize ]; then
	echo 64M >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null 2>&1 &&
		swapon /dev/zram0 2>/dev/null
fi

for t in /tests/selftests/*; do
	[ -x "$t" ] || continue
	name=${t##*/}
	d=/tmp/$name
	mkdir -p "$d"
	echo "ST: BEGIN $name"
	(cd "$d" && timeout -s KILL "${ST_TIMEOUT:-120}" "$t" 2>&1)
	echo "ST: END $name rc=$?"
done
