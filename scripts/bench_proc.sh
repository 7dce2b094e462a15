#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bench_proc.sh ARCH: time /proc/self/{smaps,smaps_rollup,numa_maps,pagemap}
# and the PAGEMAP_SCAN ioctl
# on the stock and the converted kernel (tests/bench/proc_bench.c, one large
# mapping per case: 4k, sparse, mthp64k, thp, hugetlb2m, swap).
#
# Builds the program and an initramfs, boots the stock and the patched
# kernel of the geometry $BENCH_GEOM (default ARCH-bench: no DEBUG_VM or
# PROVE_LOCKING) alternately, $BENCH_BOOTS times each (default 5), with the
# same QEMU settings (scripts/boot.sh, kunit.enable=0), and writes
# out/bench/proc-ARCH.csv (arch,case,file,stock_ms,converted_ms,ratio:
# medians across boots of each boot's median, ratio = converted/stock).
# Every boot must read the same bytes (and checksum: the text, and for
# pagemap the flag bits of every entry) for each case and file, or the
# bench fails.  Consoles: out/bench/logs/proc-GEOM-VARIANT-N.log.
#
# Settings: PROC_BENCH_MB (mapping size, default 1024), PROC_BENCH_REPS
# (timed samples per file and boot, default 7), PROC_BENCH_CASES (default
# all), BENCH_BOOTS, BENCH_GEOM (x86_64 or arm64: the test kernels, to try
# the bench out), BOOT_TIMEOUT (per boot, default 1800 s).  They are kept
# in out/bench/proc-ARCH.meta for scripts/bench_report.sh, skipped cases
# in out/bench/proc-ARCH-skips.tsv.  BENCH_DIR=DIR writes DIR instead.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: bench_proc.sh x86_64|arm64}
bench_geom bench_proc.sh "$arch"
boots=${BENCH_BOOTS:-5}
mb=${PROC_BENCH_MB:-1024}
reps=${PROC_BENCH_REPS:-7}
cases=${PROC_BENCH_CASES:-4k sparse mthp64k thp hugetlb2m swap}
[[ $boots =~ ^[1-9][0-9]*$ ]] || die "BENCH_BOOTS=$boots; fix: a positive number"
if ! [[ $mb =~ ^[1-9][0-9]*$ ]] || [ $((mb % 2)) != 0 ]; then
	die "PROC_BENCH_MB=$mb; fix: an even number of MiB"
fi
if ! [[ $reps =~ ^[1-9][0-9]*$ ]] || [ "$reps" -gt 101 ]; then
	die "PROC_BENCH_REPS=$reps; fix: 1..101"
fi
export BOOT_TIMEOUT=${BOOT_TIMEOUT:-1800}

arch_setup "$geom"
need_kernels "$geom"

bench=${BENCH_DIR:-$OUT/bench}
logs=$bench/logs
work=$BUILD/bench/proc-$geom
payload=$work/payload
csv=$bench/proc-$arch.csv
raw=$bench/proc-$arch.raw.tsv
skips=$bench/proc-$arch-skips.tsv
meta=$bench/proc-$arch.meta
mkdir -p "$logs"
rm -f "$csv" "$raw" "$skips" "$meta" "$logs/proc-$geom"-*.log
: >"$raw"
: >"$skips"

say "proc bench $arch: kernels $geom-{stock,patched}, $mb MiB per case, $boots boots each, $reps reads per file"
rm -rf "$payload"
mkdir -p "$payload/procbench"
run_logged "$logs/build-proc_bench-$arch.log" "build of tests/bench/proc_bench.c for $arch" \
	"$UCC" -static -O2 -Wall -Wextra -o "$payload/procbench/proc_bench" "$TOP/tests/bench/proc_bench.c"
install -m755 "$TOP/tests/bench/procbench.sh" "$payload/20-procbench.sh"
# x86_64: the guest counts time in TSC ticks at the host's TSC rate
# (measured here: TCG gives the guest the host's TSC), and tsc=reliable
# keeps the guest kernel from trading its TSC for refined-jiffies halfway
# through a boot (its watchdog compares it with jiffies, which lose ticks
# under TCG).  Both kernels get the same.
kargs=(kunit.enable=0)
tsc_mhz=
if [ "$arch" = x86_64 ]; then
	kargs+=(tsc=reliable)
	if [[ ${QEMU_EXTRA:-} == *icount* ]]; then
		# Under -icount the guest's TSC follows the virtual clock, not
		# the host's: the guest calibrates it against its own clock,
		# which is exact there.
		:
	elif [ "$(uname -m)" = x86_64 ] && grep -qw constant_tsc /proc/cpuinfo; then
		tsc_mhz=$("$payload/procbench/proc_bench" -T) || die "cannot measure the host's TSC rate (proc_bench -T)"
	else
		say "warning: no constant host TSC; the guest calibrates its TSC against its own clock"
	fi
fi
{
	printf 'PROC_BENCH_MB=%s\nPROC_BENCH_REPS=%s\nPROC_BENCH_CASES="%s"\n' "$mb" "$reps" "$cases"
	[ -z "$tsc_mhz" ] || printf 'PROC_BENCH_TSC_MHZ=%s\n' "$tsc_mhz"
	# Knobs for a look into a run: PROC_BENCH_DUMP=1 prints every text
	# read, PROC_BENCH_CLOCK=monotonic and PROC_BENCH_MIN_MS=N change the
	# clock (see tests/bench/proc_bench.c).
	for k in PROC_BENCH_DUMP PROC_BENCH_CLOCK PROC_BENCH_MIN_MS; do
		[ -z "${!k:-}" ] || printf '%s="%s"\n' "$k" "${!k}"
	done
} >"$payload/procbench/env"
"$TOP/scripts/initramfs.sh" "$geom" "$work/initramfs.cpio" "$payload"

# Alternate the kernels, boot after boot, so that whatever else the host
# does weighs on both alike.
start=$SECONDS
for ((i = 1; i <= boots; i++)); do
	for v in stock patched; do
		log=$logs/proc-$geom-$v-$i.log
		"$TOP/scripts/boot.sh" "$geom" "$v" "$work/initramfs.cpio" "$log" "${kargs[@]}"
		if ! summary=$(python3 "$TOP/scripts/bench_proc.py" boot "$log" "$v" "$i" "$raw" "$skips"); then
			tail -n 15 "$log" | sed 's/^/  | /' >&2
			exit 1
		fi
		say "$v boot $i/$boots: $summary"
	done
done

{
	echo "geometry=$geom"
	echo "mb=$mb"
	echo "boots=$boots"
	echo "reps=$reps"
	echo "cases=$cases"
	echo "qemu=$("$QEMU" --version | head -n1)"
	echo "qemu_args=${QEMU_MACHINE[*]} -smp 2 -m $QEMU_MEM${QEMU_EXTRA:+ $QEMU_EXTRA} (TCG)"
	echo "kernel_args=${kargs[*]} (and $HUGE_ARGS)"
	if [ -n "$tsc_mhz" ]; then
		echo "clock=TSC at the host's $tsc_mhz MHz"
	elif [ "$arch" = x86_64 ]; then
		echo "clock=TSC at the rate the guest measured against CLOCK_MONOTONIC"
	else
		echo "clock=the generic timer's virtual counter (CNTVCT_EL0 at CNTFRQ_EL0)"
	fi
	echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$meta"
if ! python3 "$TOP/scripts/bench_proc.py" csv "$arch" "$raw" "$skips" "$csv"; then
	echo "  consoles: $logs/proc-$geom-*.log (PROC_BENCH_DUMP=1 prints the texts read)" >&2
	exit 1
fi
say "proc bench $arch done in $((SECONDS - start)) s: $csv"
sed 's/,/\t/g; s/^/  /' "$csv" >&2
