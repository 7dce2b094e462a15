#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build_matrix.sh [RESULTS]: the `build` tier.  The series must build in
# the kernel configurations its code has #ifdefs for, not only in the one
# the kernels are booted with.  For each arch of $ARCHES (default: x86_64
# arm64), one results line "build<TAB>ARCH.NAME<TAB>pass|fail" per config:
#
#   nothp-nohugetlb       TRANSPARENT_HUGEPAGE=n, HUGETLBFS=n (HUGETLB_PAGE=n)
#   nonuma                NUMA=n
#   nopagemonitor         PROC_PAGE_MONITOR=n
#   noptwalk              PROC_FS=n, PT_WALK_KUNIT_TEST=n, KUNIT=n: PT_WALK=n
#   proc-selects-pt_walk  config only: PT_WALK=n asked for, PROC_FS=y kept;
#                         olddefconfig must still give PT_WALK=y
#   randconfig-seedN      make randconfig, KCONFIG_SEED=N, everything but
#                         the mm options of $RAND_OPTS pinned (x86_64: 1 2,
#                         arm64: 3)
#
# Each config is allnoconfig + tests/config/{common,ARCH,pt_walk}.config +
# the variation, then olddefconfig; a variation Kconfig drops fails the
# line naming the option.  Built with W=1: mm/pt_walk.o mm/pt_range_walk.o
# (when PT_WALK=y), mm/tests/ (when the KUnit test is on), fs/proc/ (when
# PROC_FS=y), else mm/ and fs/ whole.  Any warning or error in a project
# file (mm/pt_*.c, include/linux/pt_*.h, pt_levels.h, mm/tests/pt_*,
# fs/proc/task_mmu.c) fails the line.
#
# Own checkout and objects: a worktree of the series branch in
# build/matrix/src (build/kdir/matrix/src with KDIR=), objects in
# build/matrix/ARCH-NAME, reconfigured only when the inputs change.
# Results go to RESULTS, or out/build-matrix/results.tsv (started afresh);
# logs next to it (logs/matrix-ARCH.NAME.log).  MATRIX_ONLY=GLOB runs the
# lines whose ARCH.NAME matches GLOB.  Exits non-zero on any failure.
. "$(dirname "$0")/lib.sh"

if [ -n "${1:-}" ]; then
	RES=$1
	mkdir -p "$(dirname "$RES")"
	touch "$RES"
else
	RES=$OUT/build-matrix/results.tsv
	mkdir -p "$(dirname "$RES")"
	: >"$RES"
fi
LOGDIR=$(cd "$(dirname "$RES")" && pwd)/logs
mkdir -p "$LOGDIR"
ARCHES=${ARCHES:-x86_64 arm64}
MATRIX=$BUILD/matrix
[ "$KUSER" = 1 ] && MATRIX=$BUILD/kdir/matrix
MSRC=$MATRIX/src

# The mm options randconfig may choose; everything else is pinned to the
# base config.  Hidden ones (HUGETLB_PAGE, PER_VMA_LOCK) follow the others.
RAND_OPTS="TRANSPARENT_HUGEPAGE HUGETLBFS HUGETLB_PAGE NUMA PROC_PAGE_MONITOR
SWAP MIGRATION MEMORY_FAILURE USERFAULTFD PTE_MARKER_UFFD_WP ZONE_DEVICE
DEVICE_PRIVATE KSM MEM_SOFT_DIRTY ANON_VMA_NAME PER_VMA_LOCK"
# The project's files: a warning or error there fails the line.
PROJECT_RE='(^|/)(mm/pt_[^/:]*\.c|include/linux/pt_[^/:]*\.h|include/asm-generic/pt_levels\.h|arch/[^/]*/include/asm/pt_levels\.h|mm/tests/pt_[^/:]*|fs/proc/task_mmu\.c):[0-9]+(:[0-9]+)?: (warning|error)'

record() { printf 'build\t%s\t%s\n' "$1" "$2" >>"$RES"; }

# variation NAME: the fragment merged last.
variation() {
	case "$1" in
	nothp-nohugetlb)
		printf '%s\n' '# CONFIG_TRANSPARENT_HUGEPAGE is not set' \
			'# CONFIG_HUGETLBFS is not set' '# CONFIG_HUGETLB_PAGE is not set' ;;
	nonuma)
		printf '%s\n' '# CONFIG_NUMA is not set' ;;
	nopagemonitor)
		# Its prompt needs EXPERT; MEM_SOFT_DIRTY (x86) selects it.
		printf '%s\n' 'CONFIG_EXPERT=y' '# CONFIG_PROC_PAGE_MONITOR is not set' \
			'# CONFIG_MEM_SOFT_DIRTY is not set' ;;
	noptwalk)
		# PT_WALK is selected by PROC_FS (whose prompt needs EXPERT) and
		# by its KUnit test; asking for n also covers a Kconfig where it
		# has a prompt of its own.
		printf '%s\n' 'CONFIG_EXPERT=y' '# CONFIG_PROC_FS is not set' \
			'# CONFIG_PT_WALK_KUNIT_TEST is not set' '# CONFIG_KUNIT is not set' \
			'# CONFIG_PT_WALK is not set' ;;
	proc-selects-pt_walk)
		# Without the KUnit test, which selects PT_WALK too.
		printf '%s\n' '# CONFIG_PT_WALK is not set' '# CONFIG_PT_WALK_KUNIT_TEST is not set' ;;
	randconfig-seed*) ;;
	*) die "unknown matrix config '$1'" ;;
	esac
}

# expect NAME: what the final config must say (default: the variation).
expect() {
	case "$1" in
	proc-selects-pt_walk) printf '%s\n' CONFIG_PROC_FS=y CONFIG_PT_WALK=y ;;
	*) variation "$1" ;;
	esac
}

configs() {
	local arch=$1
	echo nothp-nohugetlb nonuma nopagemonitor noptwalk proc-selects-pt_walk
	case "$arch" in
	x86_64) echo randconfig-seed1 randconfig-seed2 ;;
	arm64) echo randconfig-seed3 ;;
	esac
}

# optval CONFIG SYM: y, m, n (not set) or - (not in the config at all).
optval() {
	local v
	v=$(sed -n "s/^CONFIG_$2=\(.*\)/\1/p; s/^# CONFIG_$2 is not set$/n/p" "$1")
	echo "${v:--}"
}

# The checkout: the series branch, detached, in our own worktree.
prepare_tree() {
	git -C "$KSRC" rev-parse -q --verify "refs/heads/$SERIES_BRANCH" >/dev/null ||
		die "no branch $SERIES_BRANCH in $KSRC; fix: make apply"
	if [ ! -e "$MSRC/.git" ]; then
		say "creating the matrix checkout $MSRC (git worktree of $KSRC)"
		git -C "$KSRC" worktree prune
		mkdir -p "$MATRIX"
		run_logged "$LOGDIR/matrix-worktree.log" "git worktree add $MSRC" \
			git -C "$KSRC" worktree add --detach "$MSRC" "$SERIES_BRANCH"
	fi
	git -C "$MSRC" checkout -q --detach "$SERIES_BRANCH"
	[ -z "$(git -C "$MSRC" status --porcelain --untracked-files=no)" ] ||
		die "$MSRC has local changes; fix: git -C $MSRC checkout -f --detach $SERIES_BRANCH"
}

# configure ARCH NAME OBJ: write OBJ/.config (log on stdout/stderr).
configure() {
	local arch=$1 name=$2 obj=$3 seed
	local frags=("$TOP/tests/config/common.config" "$TOP/tests/config/$arch.config"
		"$TOP/tests/config/pt_walk.config")
	# Called where set -e does not apply: every step checks itself.
	variation "$name" >"$obj/.pt_walk-variation" || return 1
	kmake "$MSRC" "$obj" allnoconfig || return 1
	"$MSRC/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" \
		"${frags[@]}" "$obj/.pt_walk-variation" || return 1
	kmake "$MSRC" "$obj" olddefconfig || return 1
	case "$name" in randconfig-seed*) ;; *) return 0 ;; esac
	# Pin every symbol of the base config but the mm options.
	seed=${name#randconfig-seed}
	cp "$obj/.config" "$obj/.pt_walk-base.config" || return 1
	# shellcheck disable=SC2086 # RAND_OPTS is words on purpose
	grep -vE "^(# )?CONFIG_($(echo $RAND_OPTS | tr ' ' '|'))[= ]" \
		"$obj/.pt_walk-base.config" >"$obj/.pt_walk-allconfig" || return 1
	kmake "$MSRC" "$obj" KCONFIG_SEED="$seed" \
		KCONFIG_ALLCONFIG="$obj/.pt_walk-allconfig" randconfig || return 1
	kmake "$MSRC" "$obj" olddefconfig
}

# check_config ARCH NAME OBJ: the variation survived; prints what it lost.
check_config() {
	local name=$2 obj=$3 line sym want got bad=0
	while read -r line; do
		case "$line" in
		CONFIG_*=*) sym=${line%%=*}; sym=${sym#CONFIG_}; want=${line#*=} ;;
		"# CONFIG_"*" is not set") sym=${line#\# CONFIG_}; sym=${sym% is not set}; want=n ;;
		*) continue ;;
		esac
		got=$(optval "$obj/.config" "$sym")
		[ "$got" = - ] && [ "$want" = n ] && got=n
		if [ "$got" != "$want" ]; then
			echo "Kconfig gave CONFIG_$sym=$got, wanted $want (see $obj/.config)"
			bad=1
		fi
	done < <(expect "$name")
	return $bad
}

# build_one ARCH NAME: configure if needed, build, check; prints the log.
build_one() {
	local arch=$1 name=$2
	local obj=$MATRIX/$arch-$name log=$LOGDIR/matrix-$arch.$name.log
	local stamp frags targets=() o rc=0 warn start=$SECONDS
	arch_setup "$arch"
	mkdir -p "$obj"
	frags=("$TOP/tests/config/common.config" "$TOP/tests/config/$arch.config"
		"$TOP/tests/config/pt_walk.config")
	# Reconfigure when a fragment, the variation or a Kconfig file changed.
	stamp=$({ cat "${frags[@]}"; variation "$name"; echo "$RAND_OPTS"; echo "$KCONFIGS"; } |
		sha1sum | cut -c1-12)
	: >"$log"
	{
		echo "# $arch.$name: tree $MSRC at $(git -C "$MSRC" log -1 --format='%h %s'), objects $obj"
		echo "# variation:"; variation "$name" | sed 's/^/#   /'
	} >>"$log"
	if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.pt_walk-config" 2>/dev/null)" != "$stamp" ]; then
		say "configuring $arch.$name"
		rm -f "$obj/.pt_walk-config"
		if ! configure "$arch" "$name" "$obj" >>"$log" 2>&1; then
			echo "error: configuring $arch.$name failed" >>"$log"
			return 1
		fi
		echo "$stamp" >"$obj/.pt_walk-config"
	fi
	if ! check_config "$arch" "$name" "$obj" >>"$log"; then
		return 1
	fi
	# What the variation switched off with it, for the record.
	for o in $(grep -ho '^CONFIG_[A-Z0-9_]*=y' "${frags[@]}" | sort -u); do
		grep -qx "$o" "$obj/.config" || echo "# base option not in this config: $o"
	done >>"$log"
	case "$name" in
	randconfig-seed*)
		echo "# randconfig KCONFIG_SEED=${name#randconfig-seed}, mm options chosen:" \
			"$(for o in $RAND_OPTS; do printf '%s=%s ' "$o" "$(optval "$obj/.config" "$o")"; done)" >>"$log"
		echo "# reproduce: make -C $MSRC O=$obj ARCH=$KARCH${CROSS:+ CROSS_COMPILE=$CROSS}" \
			"KCONFIG_SEED=${name#randconfig-seed} KCONFIG_ALLCONFIG=$obj/.pt_walk-allconfig randconfig" >>"$log"
		echo "# differs from the base config:" >>"$log"
		diff <(grep '^CONFIG_' "$obj/.pt_walk-base.config" | sort) \
			<(grep '^CONFIG_' "$obj/.config" | sort) | grep '^[<>]' | sed 's/^/#   /' >>"$log" || true
		say "$arch.$name: $(grep -m1 'mm options chosen' "$log" | sed 's/.*chosen: //')"
		;;
	proc-selects-pt_walk)
		echo "config check only: PROC_FS=y gives PT_WALK=y" >>"$log"
		return 0 ;;
	esac

	if grep -qx CONFIG_PT_WALK=y "$obj/.config"; then
		targets+=(mm/pt_walk.o)
		[ -f "$MSRC/mm/pt_range_walk.c" ] && targets+=(mm/pt_range_walk.o)
	else
		targets+=(mm/)
	fi
	grep -qE '^CONFIG_PT_WALK_KUNIT_TEST=[ym]' "$obj/.config" && targets+=(mm/tests/)
	if grep -qx CONFIG_PROC_FS=y "$obj/.config"; then
		targets+=(fs/proc/)
	else
		targets+=(fs/)
	fi
	# Compile the project's objects every time, so their warnings are
	# reported on every run (ccache replays them), not only on the first.
	rm -f "$obj"/mm/pt_*.o "$obj"/mm/tests/pt_*.o "$obj"/fs/proc/task_mmu.o
	say "building $arch.$name: ${targets[*]} (log: $log)"
	# -k: one run reports every failing file, not only the first.
	echo "# make -k W=1 ${targets[*]}" >>"$log"
	kmake "$MSRC" "$obj" -k -j"$JOBS" W=1 "${targets[@]}" >>"$log" 2>&1 || rc=$?
	warn=$(grep -E "$PROJECT_RE" "$log" || true)
	if [ -n "$warn" ]; then
		echo "error: $(echo "$warn" | awk '!seen[$0]++' | wc -l) warning(s)/error(s) in project files (above)" >>"$log"
		rc=1
	elif [ $rc != 0 ]; then
		echo "error: make failed (exit $rc)" >>"$log"
	else
		echo "built in $((SECONDS - start)) s, no warning in project files: ${targets[*]}" >>"$log"
	fi
	return $rc
}

start=$SECONDS
status=0
prepare_tree
# The Kconfig files of the checkout, by content: part of every stamp.
KCONFIGS=$(git -C "$MSRC" ls-tree -r HEAD | awk -F'\t' '$2 ~ /(^|\/)Kconfig[^\/]*$/' | sha1sum)
for arch in $ARCHES; do
	for name in $(configs "$arch"); do
		# shellcheck disable=SC2053 # MATRIX_ONLY is a glob on purpose
		[[ "$arch.$name" == ${MATRIX_ONLY:-*} ]] || continue
		t=$SECONDS
		log=$LOGDIR/matrix-$arch.$name.log
		if (build_one "$arch" "$name"); then
			record "$arch.$name" pass
			say "pass $arch.$name ($((SECONDS - t)) s)"
		else
			record "$arch.$name" fail
			status=1
			printf 'FAIL build %s.%s (log: %s)\n' "$arch" "$name" "$log" >&2
			{ grep -E "$PROJECT_RE|^Kconfig gave" "$log" | head -n 10
			  tail -n 6 "$log"; } | awk '!seen[$0]++' | sed 's/^/  | /' >&2
		fi
	done
done
say "build matrix took $((SECONDS - start)) s: $(awk -F'\t' '$1=="build"{n[$3]++} END{printf "%d passed, %d failed", n["pass"], n["fail"]}' "$RES") ($RES)"
exit $status
