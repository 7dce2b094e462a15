# shellcheck shell=bash
FILES=(tests/kunit/pt_geom_levels.h tests/kunit/pt_geom_cases.h
       tests/kunit/pt_geom_kunit.c tests/kunit/pt_walk_live_kunit.c
       tests/kunit/pt_range_walk_kunit.c tests/kunit/pt_range_walk_bench.c
       tests/kunit/Makefile tests/kunit/.kunitconfig)
edit() {
	python3 - <<'PY'
k = open("mm/Kconfig").read()
block = '''config PT_WALK_KUNIT_TEST
	tristate "KUnit tests for the level-generic page-table walk" if !KUNIT_ALL_TESTS
	depends on MMU && KUNIT
	select PT_WALK
	default KUNIT_ALL_TESTS
	help
	  The page-table descent on synthetic tables of every x86_64 and
	  arm64 geometry and of a sixth level, this architecture's
	  level-ops against its own constants, and pt_range_walk on real
	  address spaces compared with walk_page_range().
	  Say N unless you are working on the page-table walk.

'''
i = k.rindex('source "mm/damon/Kconfig"')
open("mm/Kconfig", "w").write(k[:i] + block + k[i:])
m = open("mm/Makefile").read()
m += "obj-$(CONFIG_PT_WALK_KUNIT_TEST) += tests/\n"
open("mm/Makefile", "w").write(m)
PY
}
