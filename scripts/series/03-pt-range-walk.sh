# shellcheck shell=bash
FILES=(include/linux/pt_walk.h mm/pt_walk.c mm/pt_range_walk.c)
edit() {
	python3 - <<'PY'
k = open("mm/Kconfig").read()
block = '''config PT_WALK
	bool
	help
	  One descent through the page tables for every level (PGD..PTE and
	  a sixth level), built on per-architecture level-ops, and the
	  pt_range_walk iterator built on it, which tells its callers what
	  maps a range of a VMA with the locking and batching done for them.
	  Selected by its users (which depend on MMU); see
	  Documentation/mm/pt_walk.rst.

'''
i = k.rindex('source "mm/damon/Kconfig"')
open("mm/Kconfig", "w").write(k[:i] + block + k[i:])
m = open("mm/Makefile").read()
m += "obj-$(CONFIG_PT_WALK) += pt_walk.o pt_range_walk.o\n"
open("mm/Makefile", "w").write(m)
PY
}
