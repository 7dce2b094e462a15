#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the pt_walk concurrency stress, installed in the test
# initramfs as /tests/30-stress.sh next to the static /tests/ptw_stress
# (tests/stress/ptw_stress.c) and /tests/stall (tests/bench/stall.c).  Busybox sh.
#
# Sets up what the stress mutators need so that the /proc walkers meet
# every kind of page table entry: tmpfs at /tmp (shmem file), hugetlbfs at
# /dev/hugepages, 256M of zram swap (MADV_PAGEOUT makes swap entries), THP
# always with a busy khugepaged (collapses behind the readers' backs), and a
# 60 s hung-task timeout.  Then runs "ptw_stress N" for N seconds, N from
# the kernel command line token ptw_stress.seconds=N (default 120), and
# restores the settings for the scripts after it.  Kernel messages stay on
# the console: the harness looks for splats there.

secs=120
# shellcheck disable=SC2013 # the command line is words, not lines
for tok in $(cat /proc/cmdline); do
	case "$tok" in
	ptw_stress.seconds=*) secs=${tok#ptw_stress.seconds=} ;;
	esac
done
case "$secs" in
'' | *[!0-9]*)
	echo "STRESS: bad ptw_stress.seconds='$secs', using 120"
	secs=120 ;;
esac
bin=${0%/*}/ptw_stress
[ -x "$bin" ] || bin=/tests/ptw_stress

mounted() { grep -q " $1 " /proc/mounts; }

# write VALUE to FILE if it exists, remembering the old value in $saved
saved=
set_knob() {
	[ -w "$1" ] || return 0
	old=$(cat "$1" 2>/dev/null)
	# THP knobs show "always [madvise] never": keep the bracketed one
	case "$old" in
	*\[*\]*) old=${old#*\[}; old=${old%%\]*} ;;
	esac
	saved="$saved$1=$old
"
	echo "$2" >"$1" || echo "STRESS: cannot set $1 to $2"
}

mkdir -p /tmp /dev/hugepages
mnt_tmp=
if ! mounted /tmp; then
	mount -t tmpfs -o size=512M tmpfs /tmp && mnt_tmp=1
fi
mnt_huge=
if ! mounted /dev/hugepages; then
	mount -t hugetlbfs hugetlbfs /dev/hugepages && mnt_huge=1
fi

swap=
if [ -e /sys/block/zram0/disksize ] && [ -e /dev/zram0 ]; then
	if echo 256M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
		swapon /dev/zram0; then
		swap=1
	else
		echo "STRESS: zram swap setup failed, running without swap"
	fi
else
	echo "STRESS: no zram0, running without swap"
fi

thp=/sys/kernel/mm/transparent_hugepage
set_knob $thp/enabled always
set_knob $thp/defrag madvise
set_knob $thp/shmem_enabled advise
set_knob $thp/khugepaged/scan_sleep_millisecs 100
set_knob $thp/khugepaged/alloc_sleep_millisecs 100
set_knob $thp/khugepaged/pages_to_scan 4096
set_knob /proc/sys/kernel/hung_task_timeout_secs 60

cpus=$(grep -c '^processor' /proc/cpuinfo)
nodes=0
for n in /sys/devices/system/node/node[0-9]*; do
	[ -d "$n" ] && nodes=$((nodes + 1))
done
echo "STRESS: cpus=$cpus nodes=$nodes"
for d in /sys/kernel/mm/hugepages/hugepages-*; do
	[ -e "$d/nr_hugepages" ] &&
		echo "STRESS: ${d##*/} nr=$(cat "$d/nr_hugepages") free=$(cat "$d/free_hugepages")"
done
[ -n "$swap" ] && echo "STRESS: swap $(grep zram0 /proc/swaps)"
echo "STRESS: running $bin $secs"

"$bin" "$secs"
rc=$?
echo "STRESS: exit rc=$rc"

# restore, for the scripts that run after this one
printf '%s' "$saved" | while IFS= read -r kv; do
	[ -n "$kv" ] && echo "${kv#*=}" >"${kv%%=*}" 2>/dev/null
done
if [ -n "$swap" ]; then
	swapoff /dev/zram0 && echo 1 >/sys/block/zram0/reset
fi
[ -n "$mnt_huge" ] && umount /dev/hugepages
[ -n "$mnt_tmp" ] && umount /tmp

# smaps_rollup read while a writer waits for the mmap lock over and over
# (tests/bench/stall.c, small): the walk pauses for it, yet every read
# must be the same text when the writer changes nothing, and cover the
# whole VMA when it maps and unmaps elsewhere.  No NUMA balancing: its
# hinting faults would change the text between reads.
if [ -x /tests/stall ]; then
	nb=$(cat /proc/sys/kernel/numa_balancing 2>/dev/null)
	[ -z "$nb" ] || echo 0 >/proc/sys/kernel/numa_balancing
	STALL_MB=128 STALL_SECONDS=2 /tests/stall
	echo "STALL-END rc=$?"
	[ -z "$nb" ] || echo "$nb" >/proc/sys/kernel/numa_balancing
fi
exit $rc
