#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# docs.sh [TREE]: build the mm book of the patched tree (make SPHINXDIRS=mm
# htmldocs) and check what it warns.  TREE, or $DOCS_TREE, is a kernel tree
# with the series applied; by default $KWORK, detached at $SERIES_BRANCH as
# scripts/fallback_build.sh leaves it.  Objects go to $BUILD/docs/patched.
#
# The stock tree ($BASE_TAG) is built the same way, into $BUILD/docs/stock:
# the files the mm book reads, extracted from $KSRC to $BUILD/docs/base-src
# (so $KWORK is never switched), or $DOCS_BASE_TREE.  Its warnings are kept
# while the base and Sphinx stay the same.  DOCS_BASE=0 skips it.
#
# Prints one results.tsv line per test, docs<TAB>TEST<TAB>pass|fail|skip:
#   htmldocs           the build succeeds and pt_walk.html documents the API
#                      of every file it includes
#   warnings-pt_walk   no warning names a file of the project
#   warnings-vs-stock  no warning that the stock tree's build does not give
# Warnings: Sphinx's (WARNING/ERROR/...) and kernel-doc's (warning:), made
# comparable by dropping the tree's path and line numbers; kept in
# $OUT/docs/.  Every build passes -E to Sphinx, so a warm build re-reads every
# document and repeats every warning.  Exit: 1 if a test failed.
. "$(dirname "$0")/lib.sh"

DOCS_OUT=$OUT/docs
DOCS_OBJ=$BUILD/docs
HTML=Documentation/output/mm/pt_walk.html
# One identifier documented by each kernel-doc directive of pt_walk.rst; to
# these are added those its directives name (kernel-doc reports a name it
# does not find only when it finds none of them).
API_IDS="pt_ptr pt_get PT_DEFINE_DESCENT pt_walk_find for_each_pt_range pt_range_walk_start"
# What the stock build needs of the tree; ARCH is fixed so that arch/x86 is
# the only arch directory it reads.
DOCS_PATHS=(Makefile Documentation scripts include mm tools/net/ynl arch/x86)
# A file of the project, as a warning names it.
OURS='(^|[/ ])(pt_walk(\.rst)?:|pt_[a-z_]+\.h|pt_walk\.c|pt_range_walk\.c)'

command -v sphinx-build >/dev/null ||
	die "no sphinx-build; fix: make deps (Debian python3-sphinx)"
python3 -c 'import yaml' 2>/dev/null ||
	die "no python3 yaml module (htmldocs generates the netlink specs with it); fix: make deps (Debian python3-yaml)"

tree=${1:-${DOCS_TREE:-}}
if [ -z "$tree" ]; then
	[ -e "$KWORK/.git" ] || die "no kernel checkout at $KWORK; fix: make apply"
	git -C "$KWORK" checkout -q --detach "$SERIES_BRANCH"
	tree=$KWORK
fi
[ -d "$tree" ] || die "$tree is not a directory; fix: pass a kernel tree with the series applied"
tree=$(cd "$tree" && pwd)
[ -f "$tree/Documentation/mm/pt_walk.rst" ] ||
	die "$tree has no Documentation/mm/pt_walk.rst; fix: pass a tree with the series applied (make apply)"
mkdir -p "$DOCS_OUT"

# htmldocs SRC OBJ NAME: build the mm book of SRC into OBJ (log
# $DOCS_OUT/htmldocs-NAME.log), then write its warnings, normalized, to
# $DOCS_OUT/warnings-NAME.txt.  Fails if the build does.
htmldocs() {
	local src=$1 obj=$2 name=$3 log=$DOCS_OUT/htmldocs-$3.log rc=0 start=$SECONDS
	say "htmldocs of $src (SPHINXDIRS=mm, O=$obj; log: $log)"
	mkdir -p "$obj"
	run_logged "$log" "make SPHINXDIRS=mm htmldocs of $src" \
		make -C "$src" O="$obj" ARCH=x86_64 -j"$JOBS" SPHINXDIRS=mm \
		SPHINXOPTS="-E ${SPHINXOPTS:-}" htmldocs || rc=1
	grep -E '(WARNING|ERROR|CRITICAL|SEVERE):|: (warning|error):' "$log" |
		sed -e "s#$src/##g" -e 's/:[0-9][0-9]*:/:/g' |
		LC_ALL=C sort >"$DOCS_OUT/warnings-$name.txt" || true
	say "htmldocs of $name: $((SECONDS - start)) s, $(wc -l <"$DOCS_OUT/warnings-$name.txt") warnings"
	return $rc
}

results=()
result() { results+=("$(printf 'docs\t%s\t%s' "$1" "$2")"); }

# --- the patched tree ---------------------------------------------------------
if htmldocs "$tree" "$DOCS_OBJ/patched" patched; then
	missing=
	for id in $API_IDS $(sed -n 's/^[[:space:]]*:identifiers:[[:space:]]*//p' \
		"$tree/Documentation/mm/pt_walk.rst"); do
		grep -q "id=\"c\.$id\"" "$DOCS_OBJ/patched/$HTML" 2>/dev/null ||
			missing+=" $id"
	done
	if [ -z "$missing" ]; then
		result htmldocs pass
	else
		echo "FAIL docs htmldocs: $DOCS_OBJ/patched/$HTML does not document:$missing" >&2
		result htmldocs fail
	fi
else
	result htmldocs fail
fi

if grep -E "$OURS" "$DOCS_OUT/warnings-patched.txt" >"$DOCS_OUT/warnings-pt_walk.txt"; then
	echo "FAIL docs warnings-pt_walk: warnings in the project's files ($DOCS_OUT/warnings-pt_walk.txt):" >&2
	sed 's/^/  | /' "$DOCS_OUT/warnings-pt_walk.txt" >&2
	result warnings-pt_walk fail
elif [ ! -s "$DOCS_OBJ/patched/$HTML" ]; then
	result warnings-pt_walk fail
else
	result warnings-pt_walk pass
fi

# --- the stock tree, to compare with ----------------------------------------
# Only what the mm book reads: `git archive` of these paths at $BASE_TAG
# takes ~5 s and ~160 MB, where a worktree takes ~1 min and 1.7 GB, and
# gives the very same warnings.  Sets $base, and $stamp (base, Sphinx and
# this script) for the cache of its warnings.
stock_tree() {
	local rev
	if [ -n "${DOCS_BASE_TREE:-}" ]; then
		[ -d "$DOCS_BASE_TREE" ] ||
			die "DOCS_BASE_TREE=$DOCS_BASE_TREE is not a directory; fix: point it at the stock tree, or unset it"
		base=$(cd "$DOCS_BASE_TREE" && pwd)
		stamp=
		return
	fi
	base=$DOCS_OBJ/base-src
	rev=$(git -C "$KSRC" rev-parse -q --verify "$BASE_TAG^{commit}") ||
		die "no $BASE_TAG in $KSRC; fix: make tree"
	if [ "$(cat "$base/.pt_walk-rev" 2>/dev/null)" != "$rev" ]; then
		say "extracting the stock docs sources to $base ($BASE_TAG: ${DOCS_PATHS[*]})"
		rm -rf "$base"
		mkdir -p "$base"
		run_logged "$DOCS_OUT/base-extract.log" "git archive $BASE_TAG" \
			bash -c 'set -o pipefail; git -C "$1" archive "$2" "${@:4}" | tar -x -C "$3"' \
			_ "$KSRC" "$rev" "$base" "${DOCS_PATHS[@]}" ||
			die "could not extract $BASE_TAG of $KSRC to $base; log: $DOCS_OUT/base-extract.log"
		echo "$rev" >"$base/.pt_walk-rev"
	fi
	stamp="$rev $(sphinx-build --version 2>&1) $(sha1sum <"$0" | cut -c1-12)"
}

if [ "${DOCS_BASE:-1}" = 0 ]; then
	result warnings-vs-stock skip
else
	stock_tree
	if [ -n "$stamp" ] && [ -f "$DOCS_OUT/warnings-stock.txt" ] &&
	   [ "$(cat "$DOCS_OBJ/stock/.pt_walk-stamp" 2>/dev/null)" = "$stamp" ]; then
		say "stock warnings: $DOCS_OUT/warnings-stock.txt (same base and Sphinx)"
		ok=1
	elif htmldocs "$base" "$DOCS_OBJ/stock" stock; then
		echo "$stamp" >"$DOCS_OBJ/stock/.pt_walk-stamp"
		ok=1
	else
		rm -f "$DOCS_OBJ/stock/.pt_walk-stamp"
		ok=0
	fi
	if [ $ok = 0 ]; then
		echo "FAIL docs warnings-vs-stock: the stock tree's htmldocs failed" >&2
		result warnings-vs-stock fail
	elif LC_ALL=C comm -13 "$DOCS_OUT/warnings-stock.txt" "$DOCS_OUT/warnings-patched.txt" \
		>"$DOCS_OUT/warnings-new.txt" && [ -s "$DOCS_OUT/warnings-new.txt" ]; then
		echo "FAIL docs warnings-vs-stock: warnings the stock tree does not give ($DOCS_OUT/warnings-new.txt):" >&2
		sed 's/^/  | /' "$DOCS_OUT/warnings-new.txt" >&2
		result warnings-vs-stock fail
	else
		result warnings-vs-stock pass
	fi
fi

printf '%s\n' "${results[@]}"
! printf '%s\n' "${results[@]}" | grep -q $'\tfail$'
