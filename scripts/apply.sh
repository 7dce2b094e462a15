#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Apply out/patches with git am onto the base commit, as branch pt_walk,
# checked out in build/src.  Applying the same series again is a no-op, so
# the build stays warm: the same patch files (a checksum kept in
# build/series-applied.sha1, so that a change of message, author or date
# alone is applied too, as b4-am compares them) and the same code on the
# branch (git patch-id).
. "$(dirname "$0")/lib.sh"

PATCHES=$OUT/patches
ls "$PATCHES"/0001-*.patch >/dev/null 2>&1 || die "no series in $PATCHES; fix: make patches"
series=$(ls "$PATCHES"/*.patch | grep -v '/0000-cover-letter.patch$')

want=$(cat $series | git patch-id --stable | cut -d' ' -f1)
stamp=$BUILD/series-applied.sha1
sum=$(cat $series | sha1sum | cut -d' ' -f1)

if [ -e "$KWORK/.git" ]; then
	have=$(git -C "$KWORK" log --reverse -p --format='commit %H' "$BASE_TAG..$SERIES_BRANCH" 2>/dev/null |
		git patch-id --stable | cut -d' ' -f1)
	if [ "$want" = "$have" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
		say "series already applied on $SERIES_BRANCH ($KWORK)"
		exit 0
	fi
	git -C "$KWORK" am --abort >/dev/null 2>&1 || true
	git -C "$KWORK" checkout -q -B "$SERIES_BRANCH" "$BASE_TAG"
else
	git -C "$KSRC" worktree prune
	run_logged "$OUT/logs/apply-worktree.log" "git worktree add" \
		git -C "$KSRC" worktree add -B "$SERIES_BRANCH" "$KWORK" "$BASE_TAG"
fi
say "applying $(echo "$series" | wc -l) patches with git am onto $BASE_TAG"
(
	export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-$(git -C "$TOP" config user.name || echo "pt_walk developers")}
	export GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-$(git -C "$TOP" config user.email || echo pt_walk@localhost)}
	cd "$KWORK"
	run_logged "$OUT/logs/git-am.log" "git am" git am -q $series
)
echo "$sum" >"$stamp"
say "applied: $KWORK ($SERIES_BRANCH)"
