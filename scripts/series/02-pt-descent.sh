# shellcheck shell=bash
SUBJECT="mm: add the level-generic page-table descent"
MSG=$(cat <<'M'
Add one descent for every level, <linux/pt_descent.h>.  It is a template
written only against the level-ops: PT_DEFINE_DESCENT(name, visit) unrolls
its single body into one function per level, each calling the next level's
directly with the level as a compile-time constant, so every level-op folds
to its level's code.  The depth is fixed by that chain (six levels, asserted
at compile time); levels the kernel cannot have are discarded.  The visitor
is an always-inline function: there is no indirect call on the walk.

A visit reports an empty entry, a leaf (a whole contiguous block at once),
or a table at the lowest level the caller wants, with the address range it
covers clamped to the walk.  End addresses follow the pXd_addr_end()
convention, so the last entry of the address space ends at 0.

mm/pt_walk.c instantiates it on live page tables as pt_walk_find(): find
the first leaf, table or (merged) hole in a range.  It is the out-of-line
half of the range iterator that follows; it takes no lock and knows nothing
of folios.
M
)
FILES=(include/linux/pt_descent.h include/linux/pt_walk.h mm/pt_walk.c)
edit() {
	python3 - <<'PY'
import re
k = open("mm/Kconfig").read()
block = '''config PT_WALK
	bool "Level-generic page-table walk"
	depends on MMU
	default y
	help
	  One descent through the page tables for every level (PGD..PTE and
	  a sixth level), built on per-architecture level-ops, and the
	  iterators built on it.  See Documentation/mm/pt_walk.rst.

'''
i = k.rindex('source "mm/damon/Kconfig"')
open("mm/Kconfig", "w").write(k[:i] + block + k[i:])
m = open("mm/Makefile").read()
m += "obj-$(CONFIG_PT_WALK) += pt_walk.o\n"
open("mm/Makefile", "w").write(m)
PY
}
