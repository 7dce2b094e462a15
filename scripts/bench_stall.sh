#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# bench_stall.sh ARCH: how long reads of /proc/PID/smaps_rollup stall the
# process read, on the stock and the converted kernel
# (tests/bench/stall.c: one anonymous VMA of STALL_MB MiB in 4K pages, a
# thread timing mmap() + munmap() of a small region while another process
# reads its smaps_rollup in a loop).
#
# Boots the stock and the patched kernel of $BENCH_GEOM (default
# ARCH-bench) alternately, $BENCH_BOOTS times each (default 3), with the
# same QEMU settings, and writes out/bench/stall-ARCH.csv:
#   arch,kernel,reads,p50_us,p99_us,max_us
# one row per kernel: the smaps_rollup reads made, the median over boots
# of the mutator's median and 99th percentile latency, and its highest
# latency over all boots.  out/bench/stall-ARCH.txt has the rest: the
# mutator alone (baseline), the read times of smaps_rollup, and the two
# targets (converted max <= 0.1 x stock max; converted median read time
# <= 1.1 x stock), met or not.  Every read's Rss must cover the VMA, and
# no more than the rest of the process maps, or the bench fails.
# Consoles: out/bench/logs/stall-GEOM-VARIANT-N.log.  Settings: STALL_MB,
# STALL_SECONDS (each phase, default 10), BENCH_BOOTS, BENCH_GEOM,
# BENCH_DIR.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: bench_stall.sh x86_64|arm64}
bench_geom bench_stall.sh "$arch"
boots=${BENCH_BOOTS:-3}
mb=${STALL_MB:-2048}
seconds=${STALL_SECONDS:-10}
for v in boots mb seconds; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v=${!v}; fix: a positive number"
done
export BOOT_TIMEOUT=${BOOT_TIMEOUT:-$((seconds * 4 + 900))}

arch_setup "$geom"
need_kernels "$geom"
bench=${BENCH_DIR:-$OUT/bench}
logs=$bench/logs
work=$BUILD/bench/stall-$geom
payload=$work/payload
csv=$bench/stall-$arch.csv
txt=$bench/stall-$arch.txt
raw=$bench/stall-$arch.raw.tsv
mkdir -p "$logs"
rm -rf "$payload"
rm -f "$csv" "$txt" "$logs/stall-$geom"-*.log
mkdir -p "$payload/stall"
: >"$raw"

say "stall bench $arch: kernels $geom-{stock,patched}, a $mb MiB VMA, $seconds s a phase, $boots boots each"
run_logged "$logs/build-stall-$arch.log" "build of tests/bench/stall.c for $arch" \
	"$UCC" -static -O2 -Wall -Wextra -pthread -o "$payload/stall/stall" "$TOP/tests/bench/stall.c"
install -m755 "$TOP/tests/bench/stall.sh" "$payload/20-stall.sh"
printf 'STALL_MB=%s\nSTALL_SECONDS=%s\n' "$mb" "$seconds" >"$payload/stall/env"
"$TOP/scripts/initramfs.sh" "$geom" "$work/initramfs.cpio" "$payload"

# Alternate the kernels, boot after boot, so that whatever else the host
# does weighs on both alike.
start=$SECONDS
for ((i = 1; i <= boots; i++)); do
	for v in stock patched; do
		log=$logs/stall-$geom-$v-$i.log
		"$TOP/scripts/boot.sh" "$geom" "$v" "$work/initramfs.cpio" "$log" kunit.enable=0
		if ! grep -aq '^STALL-END rc=0' "$log"; then
			echo "error: the stall program failed on $v, boot $i; log: $log" >&2
			grep -a '^STALL\|stall:' "$log" | tail -n 8 | sed 's/^/  | /' >&2
			exit 1
		fi
		# "VARIANT BOOT WHAT key=value..." a line.
		grep -a '^STALL [a-z]' "$log" | tr -d '\r' | sed "s/^STALL /$v\t$i\t/" >>"$raw"
		say "$v boot $i/$boots: $(grep -a '^STALL mutator' "$log" | tr -d '\r' | cut -d' ' -f3-)"
	done
done

python3 - "$arch" "$raw" "$csv" "$txt" <<'PY'
import re, statistics, sys
arch, raw, csv, txt = sys.argv[1:]
rows = {}
for line in open(raw):
    v, boot, rest = line.rstrip('\n').split('\t', 2)
    what, _, rest = rest.partition(' ')
    kv = dict(re.findall(r'(\w+)=([\d.]+)', rest))
    rows.setdefault((v, what), []).append({k: float(x) for k, x in kv.items()})
name = {'stock': 'stock', 'patched': 'converted'}
def med(v, what, k):
    return statistics.median(r[k] for r in rows[(v, what)])
def top(v, what, k):
    return max(r[k] for r in rows[(v, what)])
with open(csv, 'w') as f:
    f.write('arch,kernel,reads,p50_us,p99_us,max_us\n')
    for v in ('stock', 'patched'):
        f.write('%s,%s,%d,%.1f,%.1f,%.1f\n' % (
            arch, name[v], sum(r['n'] for r in rows[(v, 'reads')]),
            med(v, 'mutator', 'p50_us'), med(v, 'mutator', 'p99_us'),
            top(v, 'mutator', 'max_us')))
mx = top('patched', 'mutator', 'max_us') / top('stock', 'mutator', 'max_us')
rd = med('patched', 'reads', 'p50_us') / med('stock', 'reads', 'p50_us')
with open(txt, 'w') as f:
    for v in ('stock', 'patched'):
        f.write('%s: mutator alone p50 %.1f us, p99 %.1f us, max %.1f us; '
                'smaps_rollup read p50 %.0f us, max %.0f us\n' % (
                    name[v], med(v, 'base', 'p50_us'), med(v, 'base', 'p99_us'),
                    top(v, 'base', 'max_us'), med(v, 'reads', 'p50_us'),
                    top(v, 'reads', 'max_us')))
    f.write('mutator max, converted/stock: %.3f (target <= 0.1: %s)\n' %
            (mx, 'met' if mx <= 0.1 else 'NOT met'))
    f.write('smaps_rollup median read time, converted/stock: %.3f (target <= 1.1: %s)\n' %
            (rd, 'met' if rd <= 1.1 else 'NOT met'))
PY
say "stall bench $arch done in $((SECONDS - start)) s: $csv"
sed 's/,/\t/g; s/^/  /' "$csv" >&2
sed 's/^/  /' "$txt" >&2
