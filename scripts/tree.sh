#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make sure the kernel tree exists and is one we may apply to.
#  - default: extract /usr/src/linux-source-6.12.tar.xz under build/linux once
#    and make it a git repository whose first commit is the pristine tree;
#  - KDIR=/path: a user's own clean 6.12 git tree, refused otherwise with one
#    line saying why and how to fix it, and nothing modified.
# Either way the base commit is tagged $BASE_TAG.
. "$(dirname "$0")/lib.sh"

TARBALL=/usr/src/linux-source-6.12.tar.xz

check_kernel_tree() {
	local d=$1 v p
	[ -f "$d/Makefile" ] && [ -f "$d/Kconfig" ] && [ -d "$d/mm" ] ||
		die "$d is not a Linux source tree (no Makefile/Kconfig/mm); fix: set KDIR to the top of a kernel tree"
	v=$(sed -n 's/^VERSION = //p' "$d/Makefile")
	p=$(sed -n 's/^PATCHLEVEL = //p' "$d/Makefile")
	[ "$v.$p" = "$KVER_WANT" ] ||
		die "$d is Linux $v.$p, the series targets $KVER_WANT; fix: use a $KVER_WANT tree or unset KDIR for the embedded one"
}

if [ "$KUSER" = 1 ]; then
	check_kernel_tree "$KSRC"
	git -C "$KSRC" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
		die "KDIR=$KSRC is not a git tree; fix: cd $KSRC && git init && git add -f -A && git commit -m base"
	[ -z "$(git -C "$KSRC" status --porcelain --untracked-files=no)" ] ||
		die "KDIR=$KSRC has uncommitted changes; fix: commit or stash them (git -C $KSRC stash)"
	if ! git -C "$KSRC" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null; then
		git -C "$KSRC" tag "$BASE_TAG" HEAD
		say "KDIR: series base is $(git -C "$KSRC" log -1 --format='%h %s' HEAD)"
	fi
	exit 0
fi

if [ ! -d "$KSRC/.git" ] || ! git -C "$KSRC" rev-parse -q --verify "refs/tags/$BASE_TAG" >/dev/null; then
	[ -f "$TARBALL" ] || die "$TARBALL not found; fix: make deps (apt-get install linux-source-6.12)"
	rm -rf "$KSRC" "$KSRC.tmp"
	mkdir -p "$KSRC.tmp"
	say "extracting $TARBALL (about 20 s)"
	tar -C "$KSRC.tmp" -xf "$TARBALL" --checkpoint=20000 --checkpoint-action='ttyout=.'
	echo >&2
	mv "$KSRC.tmp"/linux-source-6.12 "$KSRC"
	rmdir "$KSRC.tmp"
	check_kernel_tree "$KSRC"
	say "recording the pristine tree in git (about 40 s)"
	(
		cd "$KSRC"
		export GIT_AUTHOR_NAME="pt_walk" GIT_AUTHOR_EMAIL="pt_walk@localhost"
		export GIT_COMMITTER_NAME="pt_walk" GIT_COMMITTER_EMAIL="pt_walk@localhost"
		git init -q -b stock
		git config gc.auto 0
		# Debian's .gitignore ignores the top level; record everything.
		git add -f -A .
		git commit -q -m "Linux $(make -s kernelversion) (pristine linux-source-6.12)"
		git tag "$BASE_TAG"
	)
fi
check_kernel_tree "$KSRC"
