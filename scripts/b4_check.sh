#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# b4_check.sh: the series as a maintainer takes it from the list.
#
# out/patches is turned into the mailbox a subscriber gets from
# git send-email (one message per file, in order, each with a Message-ID,
# every patch a reply to the cover letter); b4 am, offline, makes its
# git-am-ready mbox of it; that is applied with git am onto $BASE_TAG in a
# scratch worktree (build/b4-check/wt); and the result must be branch
# $SERIES_BRANCH: the same tree, and the same authors, dates and messages.
#
# Prints one line on stdout, lint<TAB>b4-am<TAB>pass|fail, and exits
# non-zero on a failure, with its cause and log on stderr.
# Logs: out/logs/b4-check-{am,git-am,compare}.log.
. "$(dirname "$0")/lib.sh"

WORK=$BUILD/b4-check
WT=$WORK/wt
PATCHES=$OUT/patches
LOGS=$OUT/logs

verdict=fail
trap 'printf "lint\tb4-am\t%s\n" "$verdict"' EXIT

command -v b4 >/dev/null || die "b4 is not installed; fix: make deps (as root: apt-get install b4)"
[ -f "$PATCHES/0000-cover-letter.patch" ] || die "no series in $PATCHES; fix: make patches"
git -C "$KSRC" rev-parse -q --verify "refs/heads/$SERIES_BRANCH" >/dev/null ||
	die "no branch $SERIES_BRANCH in $KSRC; fix: make apply"

series=()
for p in "$PATCHES"/0*.patch; do
	case "$p" in */0000-cover-letter.patch) ;; *) series+=("$p") ;; esac
done
[ ${#series[@]} -gt 0 ] || die "no patches after the cover letter in $PATCHES; fix: make patches"

# The branch must be this series, or a difference below means nothing.
want=$(cat "${series[@]}" | git patch-id --stable | cut -d' ' -f1)
have=$(git -C "$KSRC" log --reverse -p --format='commit %H' "$BASE_TAG..$SERIES_BRANCH" |
	git patch-id --stable | cut -d' ' -f1)
[ "$want" = "$have" ] ||
	die "branch $SERIES_BRANCH is not the series in $PATCHES (generated since it was applied); fix: make apply"

rm -rf "$WORK/am" "$WORK/cache"
mkdir -p "$WORK/am" "$LOGS"

# The mailbox as git send-email would send it (its default --thread and
# --no-chain-reply-to): format-patch files carry no Message-ID, which b4
# needs to thread the messages.  The IDs are made from the series itself.
python3 - "$WORK/series.mbox" "$PATCHES/0000-cover-letter.patch" "${series[@]}" <<'PY' ||
import hashlib, sys
out, files = sys.argv[1], sys.argv[2:]
texts = [open(f, encoding="utf-8").read() for f in files]
tag = hashlib.sha1("".join(texts).encode()).hexdigest()[:12]
mid = lambda i: "<pt_walk-%s-%d@localhost>" % (tag, i)
with open(out, "w", encoding="utf-8") as fh:
    for i, (f, t) in enumerate(zip(files, texts)):
        first, rest = t.split("\n", 1)
        if not first.startswith("From "):
            sys.exit("%s: not a git format-patch file (no 'From ' line)" % f)
        hdr = "Message-ID: %s\n" % mid(i)
        if i:
            hdr += "In-Reply-To: %s\nReferences: %s\n" % (mid(0), mid(0))
        fh.write(first + "\n" + hdr + rest)
PY
	die "could not make the mailbox of $PATCHES; fix: make patches"

# b4 reads the mailbox on stdin: b4 0.12 (Debian 12) parses a named mbox
# with Python's compat32 parser and then fails on folded headers, which
# git format-patch writes for a long From or Subject; stdin goes through
# git mailsplit and the modern parser, as a message from lore would.
# --offline-mode and --no-cache: no network, no state outside $WORK.
alog=$LOGS/b4-check-am.log
if ! XDG_CACHE_HOME=$WORK/cache b4 --offline-mode --no-interactive am --no-cache \
	--use-local-mbox - --outdir "$WORK/am" --mbox-name series \
	<"$WORK/series.mbox" >"$alog" 2>&1; then
	tail -n 15 "$alog" | sed 's/^/  | /' >&2
	die "b4 am failed on the series; log: $alog"
fi
n=$(sed -n 's/^Total patches: \([0-9]*\)$/\1/p' "$alog")
[ "$n" = ${#series[@]} ] ||
	die "b4 am took ${n:-no} patches of ${#series[@]}; log: $alog"
# b4's own complaints: trailers it dropped, attestation failures, ...
if grep -E '^(WARNING|ERROR|CRITICAL)|NOTE:|✗' "$alog" >&2; then
	die "b4 am warned about the series (above); log: $alog"
fi
[ -s "$WORK/am/series.mbx" ] || die "b4 am wrote no $WORK/am/series.mbx; log: $alog"

# A scratch worktree at the base, kept between runs like build/series-work.
glog=$LOGS/b4-check-git-am.log
if [ ! -e "$WT/.git" ]; then
	rm -rf "$WT"
	git -C "$KSRC" worktree prune
	run_logged "$glog" "git worktree add" \
		git -C "$KSRC" worktree add --detach "$WT" "$BASE_TAG" ||
		die "could not create the worktree $WT; log: $glog"
fi
git -C "$WT" am --abort >/dev/null 2>&1 || true
git -C "$WT" checkout -q --detach -f "$BASE_TAG"
# -x: Debian's .gitignore hides everything at the top level from a plain clean.
git -C "$WT" clean -q -ffdx
(
	export GIT_COMMITTER_NAME="pt_walk b4 check" GIT_COMMITTER_EMAIL=pt_walk@localhost
	cd "$WT"
	run_logged "$glog" "git am of b4's mbox" git am "$WORK/am/series.mbx"
) || die "git am of b4's output onto $BASE_TAG failed; log: $glog"

clog=$LOGS/b4-check-compare.log
: >"$clog"
if [ "$(git -C "$WT" rev-parse 'HEAD^{tree}')" != "$(git -C "$KSRC" rev-parse "$SERIES_BRANCH^{tree}")" ]; then
	git -C "$WT" diff --stat HEAD "$SERIES_BRANCH" >"$clog" 2>&1
	tail -n 15 "$clog" | sed 's/^/  | /' >&2
	die "the tree b4 am gives is not branch $SERIES_BRANCH's; log: $clog"
fi
fmt='%an <%ae>%n%ad%n%B'
if ! diff -u <(git -C "$KSRC" log --reverse --format="$fmt" "$BASE_TAG..$SERIES_BRANCH") \
	<(git -C "$WT" log --reverse --format="$fmt" "$BASE_TAG..HEAD") >"$clog" 2>&1; then
	head -n 30 "$clog" | sed 's/^/  | /' >&2
	die "the commits b4 am gives differ from $SERIES_BRANCH in author, date or message; log: $clog"
fi
say "b4 am: ${#series[@]} patches, the same tree and messages as $SERIES_BRANCH"
verdict=pass
