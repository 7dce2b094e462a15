#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# proc_select_pt_walk.sh TREE: make CONFIG_PROC_FS select CONFIG_PT_WALK in
# TREE/fs/proc/Kconfig, as the converted fs/proc/task_mmu.c needs (PT_WALK
# is a hidden symbol its users select).  Idempotent; the series' smaps
# conversion and `make convert` both run it.
set -euo pipefail
tree=${1:?usage: proc_select_pt_walk.sh TREE}
k=$tree/fs/proc/Kconfig
[ -f "$k" ] || { echo "error: no $k; fix: point TREE at a Linux tree" >&2; exit 2; }
python3 - "$k" <<'PY'
import re
import sys
path = sys.argv[1]
text = open(path).read()
m = re.search(r'^config PROC_FS\n(?:\t.*\n)*?\tdefault y\n', text, re.M)
if not m:
    sys.exit(f"error: no 'config PROC_FS ... default y' in {path}; "
             "fix: add 'select PT_WALK if MMU' to config PROC_FS by hand")
if '\tselect PT_WALK if MMU\n' in text[m.start():text.find('\n\n', m.start())]:
    sys.exit(0)
text = text[:m.end()] + '\tselect PT_WALK if MMU\n' + text[m.end():]
open(path, 'w').write(text)
PY
