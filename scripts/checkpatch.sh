#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.sh PATCH...: scripts/checkpatch.pl --strict from the kernel
# tree; fails on any error, warning or check.
. "$(dirname "$0")/lib.sh"

# checkpatch runs scripts/spdxcheck.py with "python3": use Debian's, which
# has python3-ply, even when another python3 comes first in PATH.
export PATH=/usr/bin:$PATH
rc=0
for p in "$@"; do
	if ! out=$(perl "$KSRC/scripts/checkpatch.pl" --strict --terse --root="$KSRC" "$p" 2>&1); then
		rc=1
	fi
	echo "${out:-$(basename "$p"): clean}"
	! echo "$out" | grep -qE '(ERROR|WARNING|CHECK):' || rc=1
done
exit $rc
