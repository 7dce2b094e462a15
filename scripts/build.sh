#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# build.sh ARCH VARIANT: build the stock (base commit) or patched (series
# branch) kernel for ARCH in build/kbuild/ARCH-VARIANT, incrementally.
# The config is allnoconfig + the fragments of kernel_fragments (lib.sh):
# tests/config/{common,ARCH[,ARCH-GEOMETRY]}.config, pt_walk.config when
# patched, and EXTRA_CONFIG; every option asked for must survive.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: build.sh ARCH stock|patched}
variant=${2:?usage: build.sh ARCH stock|patched}
arch_setup "$arch"
case "$variant" in
stock) ref=$BASE_TAG ;;
patched) ref=$SERIES_BRANCH ;;
*) die "unknown variant '$variant'; fix: stock or patched" ;;
esac

[ -e "$KWORK/.git" ] || die "no kernel checkout at $KWORK; fix: make apply"
git -C "$KWORK" rev-parse -q --verify "$ref^{commit}" >/dev/null || die "no $ref in $KWORK; fix: make apply"
if [ "$(git -C "$KWORK" rev-parse HEAD)" != "$(git -C "$KWORK" rev-parse "$ref^{commit}")" ]; then
	git -C "$KWORK" checkout -q --detach "$ref"
fi

obj=$KOBJ/$arch-$variant
log=$OUT/logs/build-$arch-$variant.log
kernel_fragments "$variant"
frags=("${KFRAGS[@]}")
mkdir -p "$obj" "$OUT/logs"

stamp=$(cat "${frags[@]}" | sha1sum | cut -c1-12)-$(git -C "$KWORK" rev-parse --short HEAD)
if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.pt_walk-config" 2>/dev/null)" != "$stamp" ]; then
	say "configuring $arch $variant"
	run_logged "$OUT/logs/config-$arch-$variant.log" "configuring $arch $variant" bash -c '
		set -e
		'"$(declare -f kmake)"'
		KARCH='"$KARCH"' CROSS='"$CROSS"'
		kmake "$1" "$2" allnoconfig
		"$1"/scripts/kconfig/merge_config.sh -m -O "$2" "$2/.config" "${@:3}"
		kmake "$1" "$2" olddefconfig' _ "$KWORK" "$obj" "${frags[@]}"
	# What each option ends up as: a later fragment overrides an earlier
	# one ("# CONFIG_X is not set" included), as merge_config.sh does.
	missing=$(sed -n 's/^\(CONFIG_[A-Za-z0-9_]*\)=.*/\1 &/p; s/^# \(CONFIG_[A-Za-z0-9_]*\) is not set$/\1 -/p' \
		"${frags[@]}" | awk '{o = $1; sub(/^[^ ]* /, ""); want[o] = $0} END {for (o in want) if (want[o] != "-") print want[o]}' |
		while read -r o; do grep -qx "$o" "$obj/.config" || echo "$o"; done)
	[ -z "$missing" ] || die "options dropped by Kconfig for $arch $variant: $missing (see $obj/.config)"
	echo "$stamp" >"$obj/.pt_walk-config"
fi

say "building $arch $variant kernel ($obj; log: $log)"
start=$SECONDS
kmake "$KWORK" "$obj" -j"$JOBS" "$(basename "$KIMAGE")" >"$log" 2>&1 &
pid=$!
n=0
while kill -0 $pid 2>/dev/null; do
	sleep 1
	n=$((n + 1))
	if [ $((n % 30)) = 0 ] && kill -0 $pid 2>/dev/null; then
		printf '    %4ds  %s\n' $n "$(tail -n1 "$log" | cut -c1-70)" >&2
	fi
done
if ! wait $pid; then
	printf 'error: building %s %s failed; log: %s\n' "$arch" "$variant" "$log" >&2
	grep -E 'error|Error' "$log" | head -n 20 | sed 's/^/  | /' >&2
	tail -n 10 "$log" | sed 's/^/  | /' >&2
	exit 1
fi
say "built $arch $variant in $((SECONDS - start)) s: $obj/$KIMAGE"
