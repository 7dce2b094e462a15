#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check.sh quick|full|geometries: run the test tiers, write out/check/results.tsv (one
# line per test: tier<TAB>test<TAB>pass|fail|skip), keep raw logs under
# out/check/logs/, and end with one line "N passed, N failed, N skipped".
# quick: the tiers that need no kernel build (lint of the series, user).
. "$(dirname "$0")/lib.sh"

mode=${1:-full}
CHECK=$OUT/check
LOGS=$CHECK/logs
RES=$CHECK/results.tsv
rm -rf "$CHECK"
mkdir -p "$LOGS"
: >"$RES"
ARCHES=${ARCHES:-x86_64 arm64}

record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RES"; }

# step TIER TEST LOGNAME CMD...: run CMD, record pass/fail, keep its log.
step() {
	local tier=$1 test=$2 log=$LOGS/$3.log
	shift 3
	if "$@" >"$log" 2>&1; then
		record "$tier" "$test" pass
		return 0
	fi
	record "$tier" "$test" fail
	printf 'FAIL %s %s (log: %s)\n' "$tier" "$test" "$log" >&2
	tail -n 8 "$log" | sed 's/^/  | /' >&2
	return 1
}

# --- lint: the series and the project's kernel files ----------------------
tier_lint() {
	local p f
	if ! step lint series-generate patches "$TOP/scripts/patches.sh"; then
		return 1
	fi
	for p in "$OUT"/patches/0*.patch; do
		case "$p" in */0000-cover-letter.patch) continue ;; esac
		step lint "checkpatch.$(basename "$p" .patch)" \
			"checkpatch-$(basename "$p" .patch)" \
			"$TOP/scripts/checkpatch.sh" "$p" || true
	done
	for f in $(kernel_files); do
		step lint "kernel-doc.${f//\//_}" "kernel-doc-${f//\//_}" \
			bash -c 'out=$("$1"/scripts/kernel-doc -none -Wall "$2" 2>&1); echo "$out"; [ -z "$out" ]' \
			_ "$KSRC" "$TOP/$f" || true
	done
	step lint indirect-call-checker-selftest indirect-selftest \
		"$TOP/scripts/indirect_calls.sh" --selftest || true
}

# The project's own kernel sources (what lands in the kernel tree).
kernel_files() {
	(cd "$TOP" && ls include/linux/pt_*.h include/asm-generic/pt_levels.h \
		arch/*/include/asm/pt_levels.h mm/*.c tests/kunit/*.[ch] 2>/dev/null)
}

# --- user: the userspace harness --------------------------------------------
tier_user() {
	if ! step user harness-build user-build make -C "$TOP/tests/user"; then
		return 1
	fi
	"$BUILD/user/pt_geom_user" "$RES" >"$LOGS/user.log" 2>&1 || true
	grep -q '^# .* passed' "$LOGS/user.log" || record user harness-run fail
}

# --- cocci: the conversions regenerate, are idempotent, and compile --------
# Its series and compile checks need the applied tree: in full mode it runs
# after apply.
tier_cocci() {
	local n
	n=$(wc -l <"$RES")
	"$TOP/scripts/cocci_check.sh" "$mode" >>"$RES" 2>"$LOGS/cocci.log" || true
	[ "$(wc -l <"$RES")" -gt "$n" ] || record cocci run fail
}

# --- build: the series builds in other configs (THP, NUMA, PT_WALK off, ...) -
# scripts/build_matrix.sh records one line per ARCH.config (tier build).
tier_build() {
	local n
	n=$(wc -l <"$RES")
	# The matrix varies the base config of each arch, not its geometries.
	if ! ARCHES="$(printf '%s\n' $ARCHES | sed 's/-.*//' | sort -u | xargs)" \
		"$TOP/scripts/build_matrix.sh" "$RES" >"$LOGS/build-matrix.log" 2>&1; then
		printf 'FAIL build (log: %s)\n' "$LOGS/build-matrix.log" >&2
		grep -A3 '^FAIL' "$LOGS/build-matrix.log" | head -n 12 | sed 's/^/  | /' >&2 || true
	fi
	[ "$(wc -l <"$RES")" -gt "$n" ] || record build run fail
}

# --- kernels: build, boot, KUnit, object checks -----------------------------
tier_kernel() {
	local arch=$1
	local v ok=1 initrd=$BUILD/initramfs-$arch.cpio
	for v in stock patched; do
		if ! step "boot-$arch" "build-$v" "build-$arch-$v" "$TOP/scripts/build.sh" "$arch" "$v"; then
			ok=0
		fi
	done
	if [ $ok = 0 ]; then
		record "kunit-$arch" build fail
		return 1
	fi
	step "boot-$arch" initramfs "initramfs-$arch" \
		"$TOP/scripts/initramfs.sh" "$arch" "$initrd" "$TOP/tests/boot" || return 1
	for v in stock patched; do
		if step "boot-$arch" "boot-$v" "boot-$arch-$v" \
			"$TOP/scripts/boot.sh" "$arch" "$v" "$initrd" "$LOGS/console-$arch-$v.log"; then
			# The boot script printed /proc/self/smaps: check it is there.
			step "boot-$arch" "smaps-$v" "smaps-$arch-$v" \
				awk '/^PT_WALK: BEGIN 00-smaps/{on=1} on && /^Rss: +[0-9]+ kB/{n++}
				     /^PT_WALK: END 00-smaps/{on=0} END{exit !(n > 0)}' \
				"$LOGS/console-$arch-$v.log" || true
		fi
	done
	if [ -f "$LOGS/console-$arch-patched.log" ]; then
		python3 "$TOP/scripts/kunit_results.py" "$KWORK" "kunit-$arch" \
			"$LOGS/console-$arch-patched.log" >>"$RES" 2>"$LOGS/kunit-$arch.log" ||
			record "kunit-$arch" parse fail
	else
		record "kunit-$arch" boot fail
	fi
	# x86_64 boots with five levels (LA57, which qemu -cpu max has); boot
	# it again with four, folded at run time, and run KUnit there too.
	if [ "$arch" = x86_64 ]; then
		if step "boot-$arch" boot-patched-no5lvl "boot-$arch-patched-no5lvl" \
			"$TOP/scripts/boot.sh" "$arch" patched "$initrd" \
			"$LOGS/console-$arch-patched-no5lvl.log" no5lvl; then
			python3 "$TOP/scripts/kunit_results.py" "$KWORK" "kunit-$arch" \
				"$LOGS/console-$arch-patched-no5lvl.log" no5lvl >>"$RES" \
				2>"$LOGS/kunit-$arch-no5lvl.log" || record "kunit-$arch" no5lvl.parse fail
		fi
	fi
	step lint "indirect-calls-$arch" "indirect-$arch" \
		"$TOP/scripts/indirect_calls.sh" "$arch" "$KOBJ/$arch-patched" || true
	step lint "w1-sparse-$arch" "w1-sparse-$arch" \
		"$TOP/scripts/kwarnings.sh" "$arch" || true
}

# --- kunit-GEOMETRY: KUnit on another granule, patched kernel only ----------
# What make check can afford for the geometries of $KUNIT_GEOMETRIES: the
# stock/patched e2e pair of each is `make check-geometries`.
tier_kunit_geometry() {
	local g=$1 initrd=$BUILD/initramfs-$1.cpio
	step "kunit-$g" build-patched "build-$g-patched" "$TOP/scripts/build.sh" "$g" patched ||
		return 1
	step "kunit-$g" initramfs "initramfs-$g" \
		"$TOP/scripts/initramfs.sh" "$g" "$initrd" "$TOP/tests/boot" || return 1
	step "kunit-$g" boot-patched "boot-$g-patched" \
		"$TOP/scripts/boot.sh" "$g" patched "$initrd" "$LOGS/console-$g-patched.log" ||
		return 1
	python3 "$TOP/scripts/kunit_results.py" "$KWORK" "kunit-$g" \
		"$LOGS/console-$g-patched.log" >>"$RES" 2>"$LOGS/kunit-$g.log" ||
		record "kunit-$g" parse fail
}

# --- kunit-riscv64: the generic level-ops, booted by kunit.py ---------------
# riscv has no <asm/pt_levels.h>: the asm-generic level-ops serve it.  The
# kernel's own kunit.py run configures, builds and boots it (OpenSBI under
# qemu-system-riscv64); scripts/kunit_py.sh turns its console into results.
tier_kunit_riscv64() {
	local n
	n=$(wc -l <"$RES")
	if ! "$TOP/scripts/kunit_py.sh" riscv64 "$RES" >"$LOGS/kunit-riscv64.log" 2>&1; then
		printf 'FAIL kunit-riscv64 (log: %s)\n' "$LOGS/kunit-riscv64.log" >&2
		tail -n 8 "$LOGS/kunit-riscv64.log" | sed 's/^/  | /' >&2
	fi
	[ "$(wc -l <"$RES")" -gt "$n" ] || record kunit-riscv64 run fail
}

# --- docs: the mm book builds; no warning in the project's files, none new --
# scripts/docs.sh records one line per test (tier docs).  It needs the
# applied series in $KWORK: in full mode it runs after series-apply.
tier_docs() {
	local n
	n=$(wc -l <"$RES")
	if ! "$TOP/scripts/docs.sh" >>"$RES" 2>"$LOGS/docs.log"; then
		printf 'FAIL docs (log: %s)\n' "$LOGS/docs.log" >&2
		grep -A6 -E '^(FAIL|error)' "$LOGS/docs.log" | head -n 12 | sed 's/^/  | /' >&2
	fi
	[ "$(wc -l <"$RES")" -gt "$n" ] || record docs run fail
}

# The kernel tiers of one arch: kernels, boot, KUnit, then e2e and
# selftests; the stress tier on its debug kernels for the arches proper
# (a geometry, ARCH-NAME, has none).
tiers_for_arch() {
	say "tiers for $1"
	if tier_kernel "$1"; then
		tier_e2e "$1" || true
		tier_selftests "$1" || true
	else
		record "e2e-$1" run skip
		record "selftests-$1" run skip
	fi
	case "$1" in
	*-*) ;;
	*) tier_stress "$1" || true ;;
	esac
}

# --- e2e: stock and patched kernels print the same /proc ------------------
# scripts/e2e.sh records one line per case (tier e2e-ARCH); the log keeps
# its diffs.  It needs the kernels tier_kernel built.
tier_e2e() {
	local arch=$1 n
	n=$(wc -l <"$RES")
	if ! ARCHES=$arch "$TOP/scripts/e2e.sh" "$RES" >"$LOGS/e2e-$arch.log" 2>&1; then
		printf 'FAIL e2e-%s (log: %s)\n' "$arch" "$LOGS/e2e-$arch.log" >&2
		grep -A3 '^FAIL' "$LOGS/e2e-$arch.log" | head -n 12 | sed 's/^/  | /' >&2
	fi
	[ "$(wc -l <"$RES")" -gt "$n" ] || record "e2e-$arch" run fail
}

# --- selftests: the kernel's own pagemap and proc tests, stock vs patched --
tier_selftests() {
	local arch=$1 n
	n=$(wc -l <"$RES")
	if ! ARCHES=$arch "$TOP/scripts/selftests.sh" "$RES" >"$LOGS/selftests-$arch.log" 2>&1; then
		printf 'FAIL selftests-%s (log: %s)\n' "$arch" "$LOGS/selftests-$arch.log" >&2
		grep -A3 '^FAIL' "$LOGS/selftests-$arch.log" | head -n 12 | sed 's/^/  | /' >&2
	fi
	[ "$(wc -l <"$RES")" -gt "$n" ] || record "selftests-$arch" run fail
}

# --- stress: debug kernels under concurrent page-table churn ---------------
# scripts/stress.sh records one line per reader, mutator and check (tier
# stress-ARCH), stock and patched, for $STRESS_SECONDS (120 here; make
# stress runs longer).
tier_stress() {
	local arch=$1 n
	n=$(wc -l <"$RES")
	if ! ARCHES=$arch STRESS_SECONDS=${STRESS_SECONDS:-120} \
		"$TOP/scripts/stress.sh" "$RES" >"$LOGS/stress-$arch.log" 2>&1; then
		printf 'FAIL stress-%s (log: %s)\n' "$arch" "$LOGS/stress-$arch.log" >&2
		grep -A3 -E '^(FAIL|error)' "$LOGS/stress-$arch.log" | head -n 12 | sed 's/^/  | /' >&2
	fi
	[ "$(wc -l <"$RES")" -gt "$n" ] || record "stress-$arch" run fail
}

summary() {
	local p f s
	p=$(awk -F'\t' '$3=="pass"' "$RES" | wc -l)
	f=$(awk -F'\t' '$3=="fail"' "$RES" | wc -l)
	s=$(awk -F'\t' '$3=="skip"' "$RES" | wc -l)
	echo "results: $RES (logs: $LOGS)"
	awk -F'\t' '$3=="fail"{print "  failed: " $1 " " $2}' "$RES" | head -n 30
	echo "$p passed, $f failed, $s skipped"
	[ "$f" = 0 ] && [ "$p" -gt 0 ]
}

start=$SECONDS
"$TOP/scripts/tree.sh"
# geometries: only the kernel tiers (KUnit, boot, e2e, selftests) of
# $ARCHES, by default the geometries make check runs KUnit on only.
if [ "$mode" = geometries ]; then
	ARCHES=${GEOMETRIES:-arm64-64k}
	if step lint series-generate patches "$TOP/scripts/patches.sh" &&
	   step lint series-apply apply "$TOP/scripts/apply.sh"; then
		for arch in $ARCHES; do
			tiers_for_arch "$arch"
		done
	fi
	say "check ($mode) took $((SECONDS - start)) s"
	summary
	exit
fi
say "tier lint"
tier_lint
say "tier user"
tier_user
if [ "$mode" != full ]; then
	say "tier cocci"
	tier_cocci
else
	say "tier fuzz"
	step fuzz descent-vs-oracle fuzz make -s -C "$TOP/tests/user" fuzz-run \
		FUZZ_SECONDS="${FUZZ_SECONDS:-30}" || true
	if step lint series-apply apply "$TOP/scripts/apply.sh"; then
		say "tier build"
		tier_build
		step lint generic-fallback-riscv64 fallback-riscv64 \
			"$TOP/scripts/fallback_build.sh" || true
		# b4, as a maintainer receives the series (needs the applied branch).
		step lint b4-am b4-am "$TOP/scripts/b4_check.sh" || true
		say "tier docs"
		tier_docs
		say "tier kunit-riscv64"
		tier_kunit_riscv64
		say "tier cocci"
		tier_cocci
		for arch in $ARCHES; do
			tiers_for_arch "$arch"
		done
		for g in ${KUNIT_GEOMETRIES-arm64-64k}; do
			# Already run whole when ARCHES names it.
			case " $ARCHES " in *" $g "*) continue ;; esac
			say "tier kunit-$g"
			tier_kunit_geometry "$g" || true
		done
	fi
fi
say "check ($mode) took $((SECONDS - start)) s"
summary
