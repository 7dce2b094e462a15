// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the level-generic descent on synthetic page tables of every x86_64
 * and arm64 geometry, and of a sixth level.  One case per check, one
 * parameter per geometry.  The checks themselves are in pt_geom_cases.h,
 * shared with the userspace harness.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/types.h>

#define PTG_CTX struct kunit
#define PTG_FAIL(ctx, fmt, ...) KUNIT_FAIL(ctx, fmt, ##__VA_ARGS__)

static void *ptg_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static void ptg_free(void *p)
{
	kvfree(p);
}

#define PT_LEVEL_OPS_HEADER "pt_geom_levels.h"
#include <linux/pt_descent.h>
#include "pt_geom_cases.h"

static void ptg_geom_desc(const struct pt_geom *g, char *desc)
{
	strscpy(desc, g->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ptg_geom, ptg_geoms, ptg_geom_desc);

static void ptg_kunit_run(struct kunit *test, unsigned int idx)
{
	const struct pt_geom *g = test->param_value;
	bool failed;
	unsigned long checks;

	checks = ptg_run_case(test, g, ptg_cases[idx].fn, &failed);
	KUNIT_EXPECT_FALSE(test, failed);
	/* A case that checked nothing proves nothing. */
	KUNIT_EXPECT_GT(test, checks, 0UL);
}

#define PTG_KUNIT_CASE(idx, name)					\
static void ptg_test_##name(struct kunit *test)				\
{									\
	ptg_kunit_run(test, idx);					\
}

PTG_KUNIT_CASE(0, tiling)
PTG_KUNIT_CASE(1, leaf_sizes)
PTG_KUNIT_CASE(2, holes)
PTG_KUNIT_CASE(3, unaligned)
PTG_KUNIT_CASE(4, last_entry)
PTG_KUNIT_CASE(5, empty_and_min_lvl)
PTG_KUNIT_CASE(6, random)
PTG_KUNIT_CASE(7, runs)

static_assert(ARRAY_SIZE(ptg_cases) == 8);

static struct kunit_case pt_geom_test_cases[] = {
	KUNIT_CASE_PARAM(ptg_test_tiling, ptg_geom_gen_params),
	KUNIT_CASE_PARAM(ptg_test_leaf_sizes, ptg_geom_gen_params),
	KUNIT_CASE_PARAM(ptg_test_holes, ptg_geom_gen_params),
	KUNIT_CASE_PARAM(ptg_test_unaligned, ptg_geom_gen_params),
	KUNIT_CASE_PARAM(ptg_test_last_entry, ptg_geom_gen_params),
	KUNIT_CASE_PARAM(ptg_test_empty_and_min_lvl, ptg_geom_gen_params),
	KUNIT_CASE_PARAM(ptg_test_random, ptg_geom_gen_params),
	KUNIT_CASE_PARAM(ptg_test_runs, ptg_geom_gen_params),
	{}
};

static struct kunit_suite pt_geom_test_suite = {
	.name = "pt_walk_geometry",
	.test_cases = pt_geom_test_cases,
};

kunit_test_suite(pt_geom_test_suite);

MODULE_DESCRIPTION("KUnit tests for the level-generic page-table descent");
MODULE_LICENSE("GPL");
