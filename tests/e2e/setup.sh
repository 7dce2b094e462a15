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

# The page size in kB, and what a PMD maps in bytes (HPAGE_PMD_SIZE, or a
# page's worth of 8-byte entries without THP): the workload sizes its
# cases the same way (tests/e2e/e2e.h, e2e_geo).
page_kb=$(sed -n 's/^KernelPageSize: *\([0-9]*\) kB$/\1/p' /proc/self/smaps | head -n 1)
page_kb=${page_kb:-4}
t=/sys/kernel/mm/transparent_hugepage
pmd=$(cat $t/hpage_pmd_size 2>/dev/null || echo $((page_kb * 1024 * page_kb * 128)))

mount -t tmpfs -o size=64m tmpfs /tmp
mkdir -p /mnt/huge
# PMD-size pages: the file part of the workload's hugetlb_pmd case.
mount -t hugetlbfs -o pagesize="$pmd" none /mnt/huge 2>/dev/null ||
	echo "E2E: note: no hugetlbfs mount"

if [ -d $t ]; then
	echo madvise >$t/enabled
	echo madvise >$t/defrag
	echo 1 >$t/use_zero_page
	echo advise >$t/shmem_enabled
	# The mTHP size of the workload's mthp case: a folio of 16 pages
	# (E2E_MTHP_PAGES), 64kB with 4K pages, 1024kB with 64K pages.
	m=$t/hugepages-$((16 * page_kb))kB/enabled
	[ -e "$m" ] && echo madvise >"$m"
	# khugepaged would collapse the workload's PTE-mapped THPs at a time
	# of its own choosing: push its next scan out of the test's lifetime.
	echo 3600000 >$t/khugepaged/scan_sleep_millisecs
	echo 3600000 >$t/khugepaged/alloc_sleep_millisecs
fi

# Swap on zram (built in): the swapped-out anon and shmem cases.  16384
# pages (64M with 4K pages, 1G with 64K): what the cases swap is counted
# in pages, and it compresses well.
if [ -e /sys/block/zram0/disksize ]; then
	echo $((16384 * page_kb))K >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null 2>&1 &&
		swapon /dev/zram0 2>/dev/null ||
		echo "E2E: note: zram swap setup failed"
fi

echo "e2e: workload start" >/dev/kmsg

# The DAX cases (/tests/e2e/extra/dax) map emulated persistent memory: the
# legacy pmem regions of the x86_64 boots' memmap=SIZE!START (scripts/lib.sh)
# come up as raw pmem namespaces.  Turn them into what the cases map, the
# way "ndctl create-namespace -f -e NS -m devdax|fsdax -a ALIGN" does,
# through sysfs (no ndctl here): release the namespace from nd_pmem, set up
# the region's seed dax or pfn device (uuid, alignment, struct pages kept
# on the device) and let its driver claim the namespace.  After the
# "workload start" mark, so that a warning of these drivers fails the
# run's dmesg test.  Where there are no such regions (arm64), the cases
# skip.
nd=/sys/bus/nd/devices
# claim REGION SEED_ATTR ALIGN DRIVER: prints the seed device's name.
claim() {
	ns=$(cd "$1" && ls -d namespace*.0 2>/dev/null | head -n1)
	[ -n "$ns" ] || return 1
	dev=$(cat "$1/$2")
	[ -e "/sys/bus/nd/drivers/nd_pmem/$ns" ] &&
		echo "$ns" >/sys/bus/nd/drivers/nd_pmem/unbind
	cat /proc/sys/kernel/random/uuid >"$nd/$dev/uuid" &&
		echo "$3" >"$nd/$dev/align" &&
		echo pmem >"$nd/$dev/mode" &&
		echo "$ns" >"$nd/$dev/namespace" &&
		echo "$dev" >"/sys/bus/nd/drivers/$4/bind" &&
		echo "$dev"
}
# devdax REGION ALIGN NAME: /dev/NAME is the region's device-dax instance.
devdax() {
	d=$(claim "$1" dax_seed "$2" dax_pmem) &&
		x=$(cd "$nd/$d" && ls -d dax*.* 2>/dev/null | head -n1) &&
		[ -n "$x" ] && ln -s "/dev/$x" "/dev/$3" ||
		echo "E2E: note: no $3 device-dax on ${1##*/}"
}
if [ -d $nd ]; then
	for r in $nd/region*; do
		[ -e "$r/resource" ] || continue
		case $(cat "$r/resource") in
		0x100000000) devdax "$r" 1073741824 e2e_dax_pud ;;
		0x1c0000000) devdax "$r" 2097152 e2e_dax_pmd ;;
		0x1c4000000)
			p=$(claim "$r" pfn_seed 2097152 nd_pmem) &&
				b=$(ls "$nd/$p/block" 2>/dev/null | head -n1) &&
				[ -n "$b" ] && mke2fs -b 4096 "/dev/$b" >/dev/null 2>&1 &&
				mkdir -p /mnt/dax && mount -t ext2 -o dax "/dev/$b" /mnt/dax ||
				echo "E2E: note: no fsdax ext2 on ${r##*/}" ;;
		esac
	done
fi
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
