#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# cocci_convert.sh [-t] FILE SCRIPT...: run the Coccinelle scripts
# cocci/SCRIPT.cocci (pagemap_thp_split, smaps, numa_maps, pagemap), in the
# order given, on FILE (a fs/proc/task_mmu.c) in place, each followed by the
# mechanical formatting pass cocci/fmt.py.  -t prints one
# "SCRIPT<TAB>seconds" line per script.  A script that cannot convert the
# walker it is for exits non-zero with one "error: ..." line saying why and
# leaves FILE as it was; so does this script, with that line.
#
# spatch is run from cocci/, because spatch 1.1.1 looks #include'd SmPL files
# up relative to its working directory; the options are the scripts' own
# "// Options:" line, plus --in-place.  The same command, by hand:
#   cd cocci && spatch --sp-file smaps.cocci --no-includes \
#     --include-headers --timeout 120 --in-place -D patch TREE/fs/proc/task_mmu.c
#   python3 cocci/fmt.py TREE/fs/proc/task_mmu.c
set -euo pipefail

COCCI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../cocci" && pwd)
timing=0
if [ "${1:-}" = -t ]; then
	timing=1
	shift
fi
[ $# -ge 2 ] || { echo "usage: $0 [-t] FILE SCRIPT..." >&2; exit 2; }
file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
[ -f "$file" ] || { echo "error: $file does not exist" >&2; exit 2; }
command -v spatch >/dev/null ||
	{ echo "error: spatch not found; fix: apt-get install coccinelle" >&2; exit 2; }

for s in "$@"; do
	sp=$COCCI_DIR/$s.cocci
	[ -f "$sp" ] || { echo "error: no $sp" >&2; exit 2; }
	# shellcheck disable=SC2207
	opts=($(sed -n 's|^// Options:||p' "$sp"))
	log=$(mktemp)
	t0=$(date +%s.%N)
	if ! (cd "$COCCI_DIR" && spatch --very-quiet -D patch "${opts[@]}" \
		--in-place --sp-file "$s.cocci" "$file") >"$log" 2>&1; then
		# The scripts say why in one line each; anything else in full.
		grep '^error: ' "$log" >&2 ||
			{ echo "error: spatch $s.cocci failed on $file:" >&2
			  sed 's/^/  | /' "$log" >&2; }
		rm -f "$log"
		exit 1
	fi
	t1=$(date +%s.%N)
	# spatch exits 0 on rule errors it survives; they are errors here.
	if grep -qiE '^(error|exception|.*parse error)' "$log"; then
		echo "error: spatch $s.cocci reported:" >&2
		sed 's/^/  | /' "$log" >&2
		rm -f "$log"
		exit 1
	fi
	rm -f "$log"
	python3 "$COCCI_DIR/fmt.py" "$file"
	[ $timing = 0 ] || awk -v s="$s" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s\t%.2f\n", s, b - a }'
done
