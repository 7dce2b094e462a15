# shellcheck shell=bash
SUBJECT="mm: add the level-generic page-table descent"
MSG=$(cat <<'M'
Add one descent for every level, <linux/pt_descent.h>. It is a template
written only against the level-ops: PT_DEFINE_DESCENT(name, visit)
unrolls its single body into one function per level, each calling the
next level's directly with the level as a compile-time constant, so
every level-op folds to its level's code. The depth is fixed by that
chain (six levels, asserted at compile time); levels the kernel cannot
have are discarded. The visitor is an always-inline function: there is
no indirect call on the walk.

A visit reports an empty entry, a leaf (a whole contiguous block at
once), or a table at the lowest level the caller wants, with the address
range it covers clamped to the walk. End addresses follow the
pXd_addr_end() convention, so the last entry of the address space ends
at 0.

The loop counts entries, not addresses: how many entries of its table
the walk covers is computed once, and a visit's range only when it is
visited, so a run of empty entries is scanned with one test per entry.
PT_DEFINE_DESCENT_RUNS() is the same descent with runs of plain leaves
(present, not contiguous) visited at once, for visitors that batch them;
in the userspace model it costs what a hand-written per-level cascade
does per dense entry.

The descent takes no lock and knows nothing of folios; its users follow.
M
)
FILES=(include/linux/pt_descent.h)
