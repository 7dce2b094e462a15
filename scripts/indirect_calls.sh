#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# indirect_calls.sh ARCH OBJDIR: fail if the walk's object code makes any
# indirect call (x86: "call *", retpoline/ITS thunks; arm64: "blr").
# indirect_calls.sh --selftest: prove the check fails on an indirect call.
. "$(dirname "$0")/lib.sh"

# Objects holding walk code, relative to the build directory.
WALK_OBJS=(mm/pt_walk.o mm/pt_range_walk.o)

scan() {
	local arch=$1 obj=$2
	case "${arch%%-*}" in
	x86_64) objdump -dr --no-show-raw-insn "$obj" |
		grep -E 'call +\*|__x86_indirect_(thunk|call_thunk|its_thunk)' ;;
	arm64) aarch64-linux-gnu-objdump -d --no-show-raw-insn "$obj" |
		grep -E '[[:space:]]blr[[:space:]]' ;;
	esac
}

if [ "${1:-}" = --selftest ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	printf 'int (*fp)(int);\nint f(int x) { return fp(x) + 1; }\n' >"$tmp/bad.c"
	printf 'int g(int x);\nint f(int x) { return g(x) + 1; }\n' >"$tmp/good.c"
	for arch in x86_64 arm64; do
		arch_setup "$arch"
		for k in bad good; do
			"$UCC" -O2 -c -o "$tmp/$k-$arch.o" "$tmp/$k.c"
		done
		scan "$arch" "$tmp/bad-$arch.o" >/dev/null ||
			die "$arch: the check missed an indirect call"
		! scan "$arch" "$tmp/good-$arch.o" ||
			die "$arch: the check flagged a direct call"
		echo "$arch: indirect call caught, direct call passed"
	done
	exit 0
fi

arch=${1:?usage: indirect_calls.sh ARCH OBJDIR | --selftest}
objdir=${2:?usage: indirect_calls.sh ARCH OBJDIR}
n=0
bad=0
for o in "${WALK_OBJS[@]}"; do
	[ -f "$objdir/$o" ] || continue
	n=$((n + 1))
	if scan "$arch" "$objdir/$o"; then
		echo "error: indirect call in $o" >&2
		bad=1
	else
		echo "$o: no indirect call"
	fi
done
[ $n -gt 0 ] || die "no walk object found under $objdir; fix: make build-$arch"
exit $bad
