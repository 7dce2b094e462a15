// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the level-ops of this architecture, and the descent on the live
 * page tables of a test mm (kunit_vm_mmap() gives the test its own).
 */
#include <kunit/test.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pt_walk.h>
#include <linux/uaccess.h>

/* The level-ops agree with the kernel's own constants on every level. */
static void pt_live_test_levels(struct kunit *test)
{
	/* PGDIR_SHIFT is a variable when LA57 is decided at boot. */
	const unsigned int shifts[] = {
		PAGE_SHIFT, PMD_SHIFT, PUD_SHIFT, P4D_SHIFT, PGDIR_SHIFT,
	};
	const unsigned long ptrs[] = {
		PTRS_PER_PTE, PTRS_PER_PMD, PTRS_PER_PUD, PTRS_PER_P4D,
	};
	unsigned int top = pt_top_lvl(current->mm), lvl;

	kunit_info(test, "%u page-table levels at run time", top + 1);
	KUNIT_ASSERT_LE(test, top, (unsigned int)PT_LVL_TOP_MAX);
	KUNIT_EXPECT_GE(test, top, (unsigned int)PT_LVL_PMD);
	for (lvl = 0; lvl <= top; lvl++) {
		KUNIT_EXPECT_EQ_MSG(test, pt_lvl_shift(lvl), shifts[lvl], "level %u", lvl);
		if (lvl < top) {
			KUNIT_EXPECT_EQ_MSG(test, 1UL << pt_lvl_index_bits(lvl), ptrs[lvl],
					    "level %u", lvl);
			KUNIT_EXPECT_EQ_MSG(test, pt_lvl_shift(lvl) + pt_lvl_index_bits(lvl),
					    pt_lvl_shift(lvl + 1), "level %u", lvl);
		}
	}
	KUNIT_EXPECT_TRUE(test, pt_lvl_can_leaf(PT_LVL_PTE));
}

static unsigned long pt_live_map(struct kunit *test, unsigned long len)
{
	unsigned long addr = kunit_vm_mmap(test, NULL, 0, len,
					   PROT_READ | PROT_WRITE,
					   MAP_ANONYMOUS | MAP_PRIVATE, 0);

	KUNIT_ASSERT_NE_MSG(test, addr, 0UL, "kunit_vm_mmap failed");
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	return addr;
}

/*
 * The root table covers the user address space, and pt_root() of addresses
 * one root entry apart gives neighbouring entries of it.
 */
static void pt_live_test_root(struct kunit *test)
{
	unsigned int top, root_bits;
	struct mm_struct *mm;
	struct pt_ptr r0;
	unsigned long k;

	/* The first mapping gives the test an mm of its own. */
	pt_live_map(test, PAGE_SIZE);
	mm = current->mm;
	top = pt_top_lvl(mm);
	root_bits = pt_top_index_bits(top);
	KUNIT_EXPECT_GE(test, pt_lvl_shift(top) + root_bits, ilog2(TASK_SIZE - 1) + 1);
	r0 = pt_root(mm, 0);
	KUNIT_EXPECT_EQ(test, r0.lvl, top);
	for (k = 1; k < 4 && k < (1UL << root_bits); k++) {
		unsigned long a = k << pt_lvl_shift(top);

		if (a >= TASK_SIZE)
			break;
		KUNIT_EXPECT_EQ_MSG(test, pt_root(mm, a).lvl, top, "root of %lx", a);
		KUNIT_EXPECT_PTR_EQ_MSG(test, pt_root(mm, a).ptr, pt_ptr_add(r0, k).ptr,
					"root of %lx", a);
	}
}

/* Touched pages are found through the PMD entry the descent stops at. */
static void pt_live_test_find(struct kunit *test)
{
	const unsigned long len = 8 * PAGE_SIZE;
	unsigned long addr = pt_live_map(test, len), i;
	struct mm_struct *mm = current->mm;
	struct pt_visit v;
	spinlock_t *ptl;	/* the PTE table's */
	pte_t *pte;
	int ret;

	KUNIT_ASSERT_EQ(test, put_user(1, (char __user *)addr + 1 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, put_user(5, (char __user *)addr + 5 * PAGE_SIZE), 0);

	mmap_read_lock(mm);
	ret = pt_walk_find(mm, addr, addr + len, PT_LVL_PMD, 0, &v);
	/* No KUNIT_ASSERT under the lock: a failing one would leak it. */
	if (ret != 1 || v.kind != PT_VISIT_TABLE) {
		mmap_read_unlock(mm);
		KUNIT_FAIL(test, "pt_walk_find returned %d, kind %d", ret, v.kind);
		return;
	}
	KUNIT_EXPECT_EQ(test, v.ptp.lvl, (unsigned int)PT_LVL_PMD);
	KUNIT_EXPECT_EQ(test, v.addr, addr);
	KUNIT_EXPECT_EQ(test, v.next, pmd_addr_end(addr, addr + len));
	KUNIT_EXPECT_EQ(test, v.nr, 1UL);
	KUNIT_EXPECT_TRUE(test, pmd_same(v.entry.pmd, pmdp_get(v.ptp.ptr)));

	pte = pte_offset_map_lock(mm, v.ptp.ptr, addr, &ptl);
	if (!pte) {
		mmap_read_unlock(mm);
		KUNIT_FAIL(test, "the PTE table went away");
		return;
	}
	for (i = 0; i < (v.next - addr) >> PAGE_SHIFT; i++)
		KUNIT_EXPECT_EQ_MSG(test, pte_present(ptep_get(pte + i)),
				    i == 1 || i == 5, "page %lu", i);
	pte_unmap_unlock(pte, ptl);
	mmap_read_unlock(mm);
}

/* An empty range is one hole with PT_FIND_HOLES, nothing without. */
static void pt_live_test_holes(struct kunit *test)
{
	unsigned long addr = pt_live_map(test, PAGE_SIZE);
	unsigned long start = ALIGN(addr, PUD_SIZE) + PUD_SIZE;
	unsigned long end = start + 3 * PMD_SIZE + 5 * PAGE_SIZE;
	struct mm_struct *mm = current->mm;
	struct pt_visit v;

	if (end > TASK_SIZE) {
		start = ALIGN_DOWN(addr, PUD_SIZE) - 2 * PUD_SIZE;
		end = start + 3 * PMD_SIZE + 5 * PAGE_SIZE;
	}
	mmap_read_lock(mm);
	KUNIT_EXPECT_EQ(test, pt_walk_find(mm, start, end, PT_LVL_PMD, 0, &v), 0);
	KUNIT_EXPECT_EQ(test, pt_walk_find(mm, start, end, PT_LVL_PMD,
					   PT_FIND_HOLES, &v), 1);
	mmap_read_unlock(mm);
	KUNIT_EXPECT_EQ(test, v.kind, PT_VISIT_NONE);
	KUNIT_EXPECT_EQ(test, v.addr, start);
	KUNIT_EXPECT_EQ(test, v.next, end);
}

static struct kunit_case pt_live_test_cases[] = {
	KUNIT_CASE(pt_live_test_levels),
	KUNIT_CASE(pt_live_test_root),
	KUNIT_CASE(pt_live_test_find),
	KUNIT_CASE(pt_live_test_holes),
	{}
};

static struct kunit_suite pt_live_test_suite = {
	.name = "pt_walk_live",
	.test_cases = pt_live_test_cases,
};

kunit_test_suite(pt_live_test_suite);

MODULE_DESCRIPTION("KUnit tests for the page-table descent on live page tables");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
