#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The /proc end-to-end tier's boot script, copied into the initramfs as
# /tests/10-e2e.sh by scripts/e2e.sh: prepare the memory features the
# workload's catalogue needs, run /tests/e2e/workload and every program of
# /tests/e2e/extra/ between markers, then show the kernel log of the run.
#
# Hugetlb pools are reserved on the kernel command line (scripts/e2e.sh),
# where large pages are still easy to find.

# Kernel messages of the cases (memory failure, swapon, KSM) would
# interleave with the workload's output on the console: keep them in the
# log buffer and print them after the run instead.
echo "1 4 1 7" >/proc/sys/kernel/printk
# No ASLR: the stack's random offset changes how many stack pages the
# workload touches, and so its smaps_rollup.
echo 0 >/proc/sys/kernel/randomize_va_space

mount -t tmpfs -o size=64m tmpfs /tmp
mkdir -p /mnt/huge
mount -t hugetlbfs -o pagesize=2M none /mnt/huge 2>/dev/null ||
	echo "E2E: note: no hugetlbfs mount"

t=/sys/kernel/mm/transparent_hugepage
if [ -d $t ]; then
	echo madvise >$t/enabled
	echo madvise >$t/defrag
	echo 1 >$t/use_zero_page
	echo advise >$t/shmem_enabled
	[ -e $t/hugepages-64kB/enabled ] && echo madvise >$t/hugepages-64kB/enabled
	# khugepaged would collapse the workload's PTE-mapped THPs at a time
	# of its own choosing: push its next scan out of the test's lifetime.
	echo 3600000 >$t/khugepaged/scan_sleep_millisecs
	echo 3600000 >$t/khugepaged/alloc_sleep_millisecs
fi

# Swap on zram (built in): the swapped-out anon and shmem cases.
if [ -e /sys/block/zram0/disksize ]; then
	echo 64M >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null 2>&1 &&
		swapon /dev/zram0 2>/dev/null ||
		echo "E2E: note: zram swap setup failed"
fi

echo "e2e: workload start" >/dev/kmsg
echo "E2E: BEGIN workload"
/tests/e2e/workload
echo "E2E: END workload rc=$?"

for p in /tests/e2e/extra/*; do
	[ -x "$p" ] || continue
	name=${p##*/}
	echo "E2E: BEGIN prog $name"
	"$p"
	echo "E2E: END prog $name rc=$?"
done

echo "E2E: BEGIN dmesg"
dmesg | sed -n '/e2e: workload start/,$p'
echo "E2E: END dmesg"
