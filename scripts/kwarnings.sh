#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kwarnings.sh ARCH: rebuild the project's kernel objects in the patched
# build with W=1 and sparse (C=2) and fail on any warning from them.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: kwarnings.sh ARCH}
arch_setup "$arch"
obj=$KOBJ/$arch-patched
[ -f "$obj/.config" ] || die "no patched $arch build; fix: make build-$arch"
git -C "$KWORK" checkout -q --detach "$SERIES_BRANCH"
targets=(mm/pt_walk.o mm/tests/)
[ -f "$KWORK/mm/pt_range_walk.c" ] && targets+=(mm/pt_range_walk.o)
out=$(kmake "$KWORK" "$obj" W=1 C=2 "${targets[@]}" 2>&1) || { echo "$out"; exit 1; }
echo "$out"
# The tests lock with the kernel's own helpers that return with a lock
# held (pmd_trans_huge_lock(), pte_offset_map_lock()'s RCU), exactly as
# mm/ code does, which sparse reports as context imbalance everywhere; that
# one warning is not held against test files.  The walk itself annotates.
warn=$(echo "$out" | grep -E '(warning|error):' | grep -E 'pt_|mm/tests/' |
	grep -vE "context imbalance in '(ptwt_|pt_live_test_)" || true)
[ -z "$warn" ] || { echo "error: warnings in project files:" >&2; echo "$warn" >&2; exit 1; }
echo "W=1 and sparse clean: ${targets[*]}"
