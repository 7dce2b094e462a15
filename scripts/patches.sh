#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Generate the patch series: out/patches/0000-cover-letter.patch plus one
# patch per step in scripts/series/ (in file-name order).
#
# Each step is built as a commit in a scratch worktree of the kernel tree
# (build/series-work) and exported with git format-patch, so the series is
# exactly what git produced from the overlay files, the recorded edits and
# the Coccinelle runs.  A step is two files:
#  - NN-name.sh sets FILES (overlay paths copied to their kernel path) and
#    may define edit() for changes to existing kernel files, run in the
#    scratch tree;
#  - NN-name.msg is its commit message as `git commit -F` takes it: the
#    subject on the first line, a blank line, then the body.
# cover.txt is the cover letter in the same layout.
. "$(dirname "$0")/lib.sh"

SERIES=$TOP/scripts/series

# check_msg FILE: subject line, blank line, body (what git commit -F and the
# cover letter expect); die with the cause otherwise.
check_msg() {
	[ -f "$1" ] || die "$1 is missing; fix: write the message there (subject, blank line, body)"
	[ -n "$(sed -n 1p "$1")" ] || die "$1: the first line (the subject) is empty"
	[ -z "$(sed -n 2p "$1")" ] || die "$1: line 2 must be blank (subject, blank line, body)"
	[ -n "$(sed -n '3,$p' "$1" | tr -d '[:space:]')" ] || die "$1: no body after the subject"
}

# Every message is checked before the (slow) steps run.
for step in "$SERIES"/[0-9]*.sh; do
	check_msg "${step%.sh}.msg"
done
for msg in "$SERIES"/[0-9]*.msg; do
	[ -e "$msg" ] || continue
	[ -f "${msg%.msg}.sh" ] || die "$msg has no step ${msg%.msg}.sh; fix: rename it to match its step or remove it"
done
check_msg "$SERIES/cover.txt"

"$TOP/scripts/tree.sh"

WORK=$BUILD/series-work
PATCHES=$OUT/patches

# Overlay path -> kernel path.  KUnit suites live in mm/tests/ in the kernel.
kpath() {
	case "$1" in
	tests/kunit/*) echo "mm/tests/${1#tests/kunit/}" ;;
	*) echo "$1" ;;
	esac
}

ident() {
	local n e
	n=$(git -C "$TOP" config user.name || true)
	e=$(git -C "$TOP" config user.email || true)
	# Fallback (documented in README): a neutral project identity.
	export GIT_AUTHOR_NAME=${n:-pt_walk developers}
	export GIT_AUTHOR_EMAIL=${e:-pt_walk@localhost}
	export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
	# Reproducible output: date the series by the project's last commit.
	local d
	d=$(git -C "$TOP" log -1 --format=%cI 2>/dev/null || true)
	export GIT_AUTHOR_DATE=${d:-2026-01-01T00:00:00Z} GIT_COMMITTER_DATE=${d:-2026-01-01T00:00:00Z}
}

# maint_add PATH...: list kernel paths in the series' MAINTAINERS section,
# created on first use, so every patch that adds files says who owns them.
maint_add() {
	python3 - "$GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>" "$@" <<'PY'
import sys
who, paths = sys.argv[1], sys.argv[2:]
title = "MEMORY MANAGEMENT - PAGE TABLE WALK"
text = open("MAINTAINERS").read()
if "\n" + title + "\n" not in text:
    head = "\nMEMORY MAPPING\n"
    i = text.index(head)
    sec = (title + "\nM:\t" + who + "\nL:\tlinux-mm@kvack.org\nS:\tMaintained\n\n")
    text = text[:i + 1] + sec + text[i + 1:]
start = text.index("\n" + title + "\n") + 1
end = text.index("\n\n", start)
lines = text[start:end].split("\n")
files = set(l for l in lines if l.startswith("F:\t"))
files |= {"F:\t" + p for p in paths}
lines = [l for l in lines if not l.startswith("F:\t")] + sorted(files)
open("MAINTAINERS", "w").write(text[:start] + "\n".join(lines) + text[end:])
PY
}

if [ ! -e "$WORK/.git" ]; then
	say "creating scratch worktree $WORK"
	rm -rf "$WORK"
	git -C "$KSRC" worktree prune
	run_logged "$OUT/logs/series-worktree.log" "git worktree add" \
		git -C "$KSRC" worktree add --detach "$WORK" "$BASE_TAG"
fi

ident
cd "$WORK"
git reset -q --hard "$BASE_TAG"
# -x: Debian's .gitignore hides everything at the top level from a plain clean.
git clean -q -ffdx

for step in "$SERIES"/[0-9]*.sh; do
	msg=${step%.sh}.msg
	FILES=()
	unset SUBJECT MSG
	edit() { :; }
	# shellcheck disable=SC1090
	. "$step"
	[ -z "${SUBJECT+x}${MSG+x}" ] ||
		die "$step sets SUBJECT or MSG, which are ignored; fix: put the message in $msg"
	kfiles=()
	for f in "${FILES[@]}"; do
		[ -f "$TOP/$f" ] || die "$step: $f does not exist in the overlay"
		install -D -m644 "$TOP/$f" "$WORK/$(kpath "$f")"
		kfiles+=("$(kpath "$f")")
	done
	[ ${#kfiles[@]} = 0 ] || maint_add "${kfiles[@]}"
	edit
	# -f: Debian's .gitignore ignores everything at the top level.
	git add -f -A .
	git diff --cached --quiet && die "$step: the step changes nothing"
	git commit -q -s -F "$msg"
done

rm -rf "$PATCHES"
mkdir -p "$PATCHES"
git format-patch -q --cover-letter --zero-commit -o "$PATCHES" "$BASE_TAG..HEAD"
cover=$PATCHES/0000-cover-letter.patch
python3 - "$cover" "$SERIES/cover.txt" <<'PY'
import sys
path, cover_file = sys.argv[1:3]
subject, blurb = open(cover_file).read().split("\n", 1)
text = open(path).read()
text = text.replace("*** SUBJECT HERE ***", subject).replace("*** BLURB HERE ***", blurb.strip())
open(path, "w").write(text)
PY
say "series: $(ls "$PATCHES" | wc -l) files in $PATCHES"
