#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the pt_bench binaries under callgrind and turn their dumps into
# instructions per visited entry.
#
# Usage: pt_bench.sh WORKDIR CSV BENCH...
#
# Each binary dumps one callgrind profile per walk, tagged
# "geometry layout walker entries" (see pt_bench.c), with instrumentation
# on only around the walk.  The "baseline" dump is the same bracketing
# around an empty walker; it is subtracted so that a row counts the walk
# alone.  Everything printed and written comes from the dumps of this run.
set -euo pipefail

work=$1 csv=$2
shift 2

command -v valgrind >/dev/null || { echo "pt_bench: valgrind not found" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work" "$(dirname "$csv")"

tsv=$work/dumps.tsv
: >"$tsv"
for bin in "$@"; do
	name=$(basename "$bin")
	if ! valgrind --tool=callgrind --instr-atstart=no \
		--callgrind-out-file="$work/$name.out" "$bin" >"$work/$name.log" 2>&1; then
		cat "$work/$name.log" >&2
		echo "pt_bench: $name failed" >&2
		exit 1
	fi
	# Dumps are numbered in the order the walks ran.
	for ((i = 1; ; i++)); do
		f=$work/$name.out.$i
		[[ -e $f ]] || break
		tag=$(sed -n 's/^desc: Trigger: Client Request: //p' "$f")
		ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$f")
		[[ -n $tag && -n $ir ]] || { echo "pt_bench: cannot read $f" >&2; exit 1; }
		printf '%s\t%s\n' "${tag// /$'\t'}" "$ir" >>"$tsv"
	done
done

# geometry layout walker entries Ir, baseline rows first per geometry.
awk -F'\t' -v csv="$csv" '
$3 == "baseline" { base[$1] = $5; next }
{
	instr = $5 - base[$1]
	ipe = $4 ? instr / $4 : 0
	row[++n] = $1 FS $2 FS $3 FS $4 FS instr FS sprintf("%.2f", ipe)
	if ($3 == "cascade")
		ref[$1 FS $2] = ipe
	key[n] = $1 FS $2
	ipes[n] = ipe
}
END {
	print "geometry,layout,walker,entries,instructions,instr_per_entry" > csv
	printf "%-14s %-7s %-13s %8s %12s %10s %11s\n", "geometry", "layout",
	       "walker", "entries", "instructions", "instr/entry", "vs cascade"
	for (i = 1; i <= n; i++) {
		split(row[i], f, FS)
		print f[1] "," f[2] "," f[3] "," f[4] "," f[5] "," f[6] > csv
		printf "%-14s %-7s %-13s %8d %12d %10s %10.2fx\n", f[1], f[2], f[3],
		       f[4], f[5], f[6], ref[key[i]] ? ipes[i] / ref[key[i]] : 0
	}
	for (g in base)
		printf "(baseline subtracted: %d instructions of bracketing, %s)\n",
		       base[g], g
}' "$tsv"
echo "wrote $csv"
