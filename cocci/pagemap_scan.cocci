// SPDX-License-Identifier: GPL-2.0-only
/// Port the PAGEMAP_SCAN page-table walker of fs/proc/task_mmu.c
/// (pagemap_scan_ops) from walk_page_range() to loops over pt_range_walk
/// in write mode.  pagemap_scan_walk() goes over the VMAs of the range that
/// pagemap_scan_test_walk() (re-plumbed to take the VMA and the private
/// data) keeps, and stops at the first error or full buffer, as
/// walk_page_range() did.  In pagemap_scan_walk_vma(): each PTE of a
/// PTE-level step is categorized, output and write-protected one by one, as
/// pagemap_scan_pmd_entry() did (its fast path for write-protecting with no
/// output too), with pt_range_walk_uffd_wp() and one TLB flush per table
/// (PTW_MODIFY); a PMD leaf as pagemap_scan_thp_entry() did, split with
/// pt_range_walk_split() when only part of it is to be write-protected;
/// holes go to pagemap_scan_pte_hole().  hugetlb VMAs are walked huge page
/// by huge page (pagemap_scan_hugetlb()): an entry goes to
/// pagemap_scan_hugetlb_entry() under the locks the walk holds for it (its
/// page-table lock, and the file's i_mmap_rwsem when write-protecting:
/// PTW_LOCK_I_MMAP), an empty entry under the same locks taken by
/// pagemap_scan_hugetlb_none(), and a missing one to the hole callback, as
/// walk_hugetlb_range() did.  A PUD leaf outside hugetlb (device memory) is
/// split, as walk_page_range() split it, and scanned as the hole it leaves.
/// pagemap_scan_pmd_entry(), pagemap_scan_thp_entry(), make_uffd_wp_pte(),
/// make_uffd_wp_pmd() and pagemap_scan_ops go.
///
// Confidence: High
// Copyright: (C) 2026 pt_walk developers.
// Comments: One-off conversion of Linux 6.12; re-running it changes nothing.
// Options: --no-includes --include-headers --timeout 120

#include "pt_walk_common.cocci"

virtual patch
virtual context
virtual report

@initialize:python@
@@
pt_walk_script = "pagemap_scan.cocci"
pt_walk_ops_names.update({"pagemap_scan_ops"})
# Their mechanism is that of pt_range_walk_uffd_wp(), and of the loop, now.
pt_walk_gone.update({"make_uffd_wp_pte", "make_uffd_wp_pmd"})
# Called per PMD leaf by the loop, with the walk instead of the PMD: its
# re-plumbing is done here.
pt_walk_own.update({"pagemap_scan_thp_entry"})
# The loop calls it under #ifdef CONFIG_HUGETLB_PAGE only.
pt_walk_no_stub.update({"pagemap_scan_hugetlb_entry"})
pt_walk_shapes.update({
    # What the loop does instead, the PTEs of a table one by one.
    "pagemap_scan_pmd_entry": {"exact": True, "calls": [
        "arch_enter_lazy_mmu_mode()", "arch_leave_lazy_mmu_mode()",
        "cond_resched()", "flush_tlb_range(vma, start, addr)",
        "make_uffd_wp_pte(vma, addr, pte, ptent)",
        "pagemap_page_category(p, vma, addr, ptent)",
        "pagemap_scan_is_interesting_page(categories, p)",
        "pagemap_scan_output(categories, p, addr, &next)",
        "pagemap_scan_output(p->cur_vma_category | PAGE_IS_WRITTEN, p, addr, &next)",
        "pagemap_scan_thp_entry(pmd, start, end, walk)",
        "pte_offset_map_lock(vma->vm_mm, pmd, start, &ptl)",
        "pte_present(ptent)", "pte_swp_uffd_wp_any(ptent)",
        "pte_uffd_wp(ptent)", "pte_unmap_unlock(start_pte, ptl)",
        "ptep_get(pte)"]},
    # And a PMD leaf.
    "pagemap_scan_thp_entry": {"exact": True, "calls": [
        "flush_tlb_range(vma, start, end)", "make_uffd_wp_pmd(vma, start, pmd)",
        "pagemap_scan_backout_range(p, start, end)",
        "pagemap_scan_is_interesting_page(categories, p)",
        "pagemap_scan_output(categories, p, start, &end)",
        "pagemap_thp_category(p, vma, start, *pmd)",
        "pmd_trans_huge_lock(pmd, vma)", "spin_unlock(ptl)",
        "split_huge_pmd(vma, pmd, start)"]},
    # What pt_range_walk_uffd_wp() does.
    "make_uffd_wp_pte": {"exact": True, "calls": [
        "is_swap_pte(ptent)", "make_pte_marker(PTE_MARKER_UFFD_WP)",
        "pte_mkuffd_wp(old_pte)", "pte_present(ptent)",
        "pte_swp_mkuffd_wp(ptent)",
        "ptep_modify_prot_commit(vma, addr, pte, old_pte, ptent)",
        "ptep_modify_prot_start(vma, addr, pte)",
        "set_pte_at(vma->vm_mm, addr, pte, make_pte_marker(PTE_MARKER_UFFD_WP))",
        "set_pte_at(vma->vm_mm, addr, pte, ptent)"]},
    "make_uffd_wp_pmd": {"exact": True, "calls": [
        "is_migration_entry(pmd_to_swp_entry(pmd))", "pmd_mkuffd_wp(old)",
        "pmd_present(pmd)", "pmd_swp_mkuffd_wp(pmd)", "pmd_to_swp_entry(pmd)",
        "pmdp_invalidate_ad(vma, addr, pmdp)",
        "set_pmd_at(vma->vm_mm, addr, pmdp, pmd)"]},
    # The locks it takes are those of the walk (PTW_LOCK_I_MMAP), or those of
    # pagemap_scan_hugetlb_none(), now.
    "pagemap_scan_hugetlb_entry": {"calls": [
        "i_mmap_lock_write(vma->vm_file->f_mapping)",
        "huge_pte_lock(hstate_vma(vma), vma->vm_mm, ptep)",
        "make_uffd_wp_huge_pte(vma, start, ptep, pte)",
        "flush_hugetlb_tlb_range(vma, start, end)", "spin_unlock(ptl)",
        "i_mmap_unlock_write(vma->vm_file->f_mapping)"]},
    # Re-plumbed: its two locals become its parameters.
    "pagemap_scan_test_walk": {"params": "unsigned long start, unsigned long end, "
                                         "struct mm_walk *walk"},
    "pagemap_scan_pte_hole": {"params": "unsigned long addr, unsigned long end, "
                                        "int depth, struct mm_walk *walk"},
    # The loop holds no lock in a hole, where this sleeps.
    "pagemap_scan_hugetlb_hole_wp": {"params": "struct vm_area_struct *vma, "
                                               "unsigned long addr, unsigned long end"},
    "pagemap_scan_output": {"params": "unsigned long categories, "
                                      "struct pagemap_scan_private *p, "
                                      "unsigned long addr, unsigned long *end"},
    "do_pagemap_scan": {"calls": [
        "mmap_read_lock_killable(mm)",
        "walk_page_range(mm, walk_start, p.arg.end, &pagemap_scan_ops, &p)",
        "mmap_read_unlock(mm)"]},
})
pt_walk_post.update({
    "pagemap_scan_thp_entry": "struct pt_range_walk *, unsigned long, unsigned long, "
                              "struct vm_area_struct *, struct pagemap_scan_private *",
    "pagemap_scan_test_walk": "struct vm_area_struct *, struct pagemap_scan_private *",
    "pagemap_scan_pte_hole": "unsigned long, unsigned long, struct vm_area_struct *, "
                             "struct pagemap_scan_private *",
    "pagemap_scan_hugetlb_entry": "pte_t *, unsigned long, unsigned long, unsigned long, "
                                  "struct vm_area_struct *, struct pagemap_scan_private *",
})

// The mechanism of make_uffd_wp_pte() and make_uffd_wp_pmd() is that of
// pt_range_walk_uffd_wp() now.
@depends on patch && ops@
identifier F = {make_uffd_wp_pte, make_uffd_wp_pmd};
@@
- F(...) {...}

// pagemap_scan_thp_entry() is called at a PMD leaf, which the walk holds
// locked, read and classified: it takes the walk instead of the PMD,
// splits the leaf with pt_range_walk_split() and write-protects it with
// pt_range_walk_uffd_wp(), and returns 0 where it had the caller walk the
// PTEs (the walk describes them next).
@depends on patch && ops@
identifier PMD, PTL;
expression V;
@@
 pagemap_scan_thp_entry(pmd_t *PMD, ...) {
 <...
- PTL = pmd_trans_huge_lock(PMD, V);
- if (!ptl)
-	return -ENOENT;
 ...>
 }

@depends on patch && ops@
identifier PMD, PTL;
expression V, S;
@@
 pagemap_scan_thp_entry(pmd_t *PMD, ...) {
 <...
- spin_unlock(PTL);
- split_huge_pmd(V, PMD, S);
+ pt_range_walk_split(ptw);
 ...>
 }

@depends on patch && ops@
identifier PMD;
expression V, S, E;
@@
 pagemap_scan_thp_entry(pmd_t *PMD, ...) {
 <...
- make_uffd_wp_pmd(V, S, PMD);
- flush_tlb_range(V, S, E);
+ pt_range_walk_uffd_wp(ptw, S, E);
 ...>
 }

@depends on patch && ops@
identifier PMD, PTL;
@@
 pagemap_scan_thp_entry(pmd_t *PMD, ...) {
 <...
(
- spin_unlock(PTL);
|
- return -ENOENT;
+ return 0;
|
- *PMD
+ ptw->entry.pmd
)
 ...>
 }

@depends on patch && ops@
identifier PMD, PTL;
typedef spinlock_t;
@@
 pagemap_scan_thp_entry(pmd_t *PMD, ...) {
 <...
- spinlock_t *PTL;
 ...>
 }

@thp_priv depends on patch && ops@
identifier W, V, P;
type T;
@@
 pagemap_scan_thp_entry(..., struct mm_walk *W) {
 <...
(
- T *P = W->private;
|
- struct vm_area_struct *V = W->vma;
)
 ...>
 }

@depends on patch && ops@
identifier PMD, W, S, E;
identifier thp_priv.V, thp_priv.P;
type thp_priv.T;
@@
 pagemap_scan_thp_entry(
- pmd_t *PMD, unsigned long S, unsigned long E, struct mm_walk *W
+ struct pt_range_walk *ptw, unsigned long S, unsigned long E,
+ struct vm_area_struct *V, T *P
 ) {...}

// pagemap_scan_test_walk() takes the VMA and the private data.
@depends on patch && ops@
identifier W, S, E, V, P;
type T;
@@
 pagemap_scan_test_walk(
- unsigned long S, unsigned long E, struct mm_walk *W
+ struct vm_area_struct *V, T *P
  ) {
- T *P = W->private;
- struct vm_area_struct *V = W->vma;
  ...
 }

// pagemap_scan_hugetlb_entry() runs under the locks of the walk, or
// those of pagemap_scan_hugetlb_none().
@depends on patch && ops@
expression M;
@@
 pagemap_scan_hugetlb_entry(...) {
 <...
(
- i_mmap_lock_write(M);
|
- i_mmap_unlock_write(M);
)
 ...>
 }


// Its stub: the loop calls it only with CONFIG_HUGETLB_PAGE.
@depends on patch && ops@
@@
- #define pagemap_scan_hugetlb_entry NULL

// The caller: walk_page_range() becomes a call of the loop.
@site depends on patch && ops@
identifier caller, O = pagemap_scan_ops;
expression M, S, E, P, R;
@@
 caller(...) {
 <+...
- R = walk_page_range(M, S, E, &O, P);
+ R = pagemap_scan_walk(M, S, E, P);
 ...+>
 }

@depends on patch@
identifier site.caller;
iterator name for_each_vma_range, for_each_pt_range;
typedef bool, pte_t, spinlock_t;
@@
+/* Is the PTE write-protected for userfaultfd, or a marker saying so? */
+static bool pagemap_scan_pte_is_wp(pte_t pte)
+{
+	return (pte_present(pte) && pte_uffd_wp(pte)) || pte_swp_uffd_wp_any(pte);
+}
+
+/*
+ * The PTEs of a step one by one, as pagemap_scan_pmd_entry() did: each is
+ * categorized, output and write-protected, or only write-protected when
+ * nothing is to be output; the walk flushes the TLB for a table when it
+ * leaves it (PTW_MODIFY).
+ */
+static int pagemap_scan_ptes(struct pt_range_walk *ptw,
+			     struct vm_area_struct *vma,
+			     struct pagemap_scan_private *p)
+{
+	bool wp = p->arg.flags & PM_SCAN_WP_MATCHING;
+	unsigned long addr, next, categories;
+	int ret = 0;
+	pte_t ptent;
+
+	for (addr = ptw->addr; addr < pt_range_walk_end(ptw); addr = next) {
+		ptent = ptep_get(pt_range_walk_ptep(ptw, addr));
+		next = addr + PAGE_SIZE;
+		/* Fast path for performing exclusive WP */
+		if (wp && !p->vec_out) {
+			if (!pagemap_scan_pte_is_wp(ptent))
+				pt_range_walk_uffd_wp(ptw, addr, next);
+			continue;
+		}
+		categories = p->cur_vma_category |
+			     pagemap_page_category(p, vma, addr, ptent);
+		if (!pagemap_scan_is_interesting_page(categories, p))
+			continue;
+		ret = pagemap_scan_output(categories, p, addr, &next);
+		if (next == addr)
+			break;
+		if (wp && (categories & PAGE_IS_WRITTEN))
+			pt_range_walk_uffd_wp(ptw, addr, next);
+	}
+	return ret;
+}
+
+#ifdef CONFIG_HUGETLB_PAGE
+/*
+ * An empty hugetlb entry, which the walk reports as a hole: to
+ * pagemap_scan_hugetlb_entry() under the locks walk_hugetlb_range() left
+ * it to take.
+ */
+static int pagemap_scan_hugetlb_none(pte_t *ptep, unsigned long hmask,
+				     unsigned long start, unsigned long end,
+				     struct vm_area_struct *vma,
+				     struct pagemap_scan_private *p)
+{
+	spinlock_t *ptl = huge_pte_lockptr(hstate_vma(vma), vma->vm_mm, ptep);
+	struct address_space *mapping = vma->vm_file->f_mapping;
+	bool wp = p->arg.flags & PM_SCAN_WP_MATCHING;
+	int ret;
+
+	if (wp)
+		i_mmap_lock_write(mapping);
+	spin_lock(ptl);
+	ret = pagemap_scan_hugetlb_entry(ptep, hmask, start, end, vma, p);
+	spin_unlock(ptl);
+	if (wp)
+		i_mmap_unlock_write(mapping);
+	return ret;
+}
+
+/*
+ * The huge page at @a of a step of a hugetlb walk, clamped to [start, end),
+ * as walk_hugetlb_range() handed it on: an entry, under the locks the walk
+ * holds, and an empty one, to pagemap_scan_hugetlb_entry(); a missing one
+ * to pagemap_scan_pte_hole().
+ */
+static int pagemap_scan_huge_page(struct pt_range_walk *ptw, unsigned long a,
+				  unsigned long start, unsigned long end,
+				  struct vm_area_struct *vma,
+				  struct pagemap_scan_private *p)
+{
+	struct hstate *h = hstate_vma(vma);
+	unsigned long hmask = huge_page_mask(h);
+	unsigned long s = max(a, start), e = min(a + huge_page_size(h), end);
+	pte_t *ptep;
+
+	if (ptw->level == PT_LVL_PTE)
+		ptep = pt_range_walk_ptep(ptw, a);
+	else if (ptw->type != PTW_NONE)
+		ptep = ptw->leaf.ptr;
+	else
+		ptep = NULL;
+	if (ptep)
+		return pagemap_scan_hugetlb_entry(ptep, hmask, s, e, vma, p);
+	ptep = hugetlb_walk(vma, a, huge_page_size(h));
+	if (ptep)
+		return pagemap_scan_hugetlb_none(ptep, hmask, s, e, vma, p);
+	return pagemap_scan_pte_hole(s, e, vma, p);
+}
+
+/*
+ * A hugetlb VMA, one huge page at a time, as walk_hugetlb_range() did,
+ * holding the file's i_mmap_rwsem with each entry's lock when
+ * write-protecting, as pagemap_scan_hugetlb_entry() took it.
+ */
+static int pagemap_scan_hugetlb(struct vm_area_struct *vma,
+				unsigned long start, unsigned long end,
+				struct pagemap_scan_private *p)
+{
+	unsigned long hsz = huge_page_size(hstate_vma(vma)), a;
+	unsigned long first = ALIGN_DOWN(start, hsz), last = ALIGN(end, hsz);
+	unsigned int want = PTW_WANT_ALL | PTW_MODIFY;
+	struct pt_range_walk ptw;
+	int ret = 0;
+
+	if (p->arg.flags & PM_SCAN_WP_MATCHING)
+		want |= PTW_LOCK_I_MMAP;
+	for_each_pt_range(&ptw, vma, first, last, want) {
+		for (a = ptw.addr; a < pt_range_walk_end(&ptw) && !ret; a += hsz)
+			ret = pagemap_scan_huge_page(&ptw, a, start, end, vma, p);
+		if (ret) {
+			pt_range_walk_done(&ptw);
+			break;
+		}
+	}
+	return ret;
+}
+#else
+static int pagemap_scan_hugetlb(struct vm_area_struct *vma,
+				unsigned long start, unsigned long end,
+				struct pagemap_scan_private *p)
+{
+	return 0;
+}
+#endif
+
+/*
+ * [start, end) of a VMA, as pagemap_scan_ops did with walk_page_range():
+ * the PTEs of a table one by one, a PMD leaf whole (or split), a hole at
+ * once.  A PUD leaf outside hugetlb (device memory) is split away, as
+ * walk_page_range() split it, and the hole it leaves is scanned next.
+ */
+static int pagemap_scan_walk_vma(struct vm_area_struct *vma,
+				 unsigned long start, unsigned long end,
+				 struct pagemap_scan_private *p)
+{
+	struct pt_range_walk ptw;
+	int ret = 0;
+
+	if (is_vm_hugetlb_page(vma))
+		return pagemap_scan_hugetlb(vma, start, end, p);
+	for_each_pt_range(&ptw, vma, start, end, PTW_WANT_ALL | PTW_MODIFY) {
+		if (ptw.level == PT_LVL_PTE)
+			ret = pagemap_scan_ptes(&ptw, vma, p);
+		else if (ptw.type == PTW_NONE)
+			ret = pagemap_scan_pte_hole(ptw.addr, pt_range_walk_end(&ptw), vma, p);
+		else if (ptw.level == PT_LVL_PMD)
+			ret = pagemap_scan_thp_entry(&ptw, ptw.addr, pt_range_walk_end(&ptw), vma, p);
+		else
+			pt_range_walk_split(&ptw);
+		if (ret) {
+			pt_range_walk_done(&ptw);
+			break;
+		}
+	}
+	return ret;
+}
+
+/*
+ * The VMAs of [start, end) that pagemap_scan_test_walk() keeps, as
+ * walk_page_range() went over them: until the end, an error, or a full
+ * output buffer (-ENOSPC).
+ */
+static int pagemap_scan_walk(struct mm_struct *mm, unsigned long start,
+			     unsigned long end, struct pagemap_scan_private *p)
+{
+	VMA_ITERATOR(vmi, mm, start);
+	struct vm_area_struct *vma;
+	int ret;
+
+	for_each_vma_range(vmi, vma, end) {
+		ret = pagemap_scan_test_walk(vma, p);
+		if (ret < 0)
+			return ret;
+		if (ret)
+			continue;
+		ret = pagemap_scan_walk_vma(vma, max(start, vma->vm_start),
+					    min(end, vma->vm_end), p);
+		if (ret)
+			return ret;
+	}
+	return 0;
+}
+
 caller(...) {...}

// ---------------------------------------------------------------------------
// Last, the checks of pt_walk_check() (pt_walk_common.cocci): the ops are
// gone, nothing deleted is still used, and what stays takes what the loop
// passes.  Otherwise spatch exits 1 and says why.

@post depends on patch@
identifier F;
position p : script:python (F) { F in pt_walk_post };
parameter list ps;
@@
 F@p(ps) {...}

@script:python depends on patch@
f << post.F;
ps << post.ps;
@@
pt_walk_state["post"].setdefault(f, []).append(pt_walk_types(str(ps)))

@gone depends on patch@
identifier F;
position p : script:python (F) {
	F in pt_walk_gone or F in pt_walk_dead or F in pt_walk_ops_names
};
@@
 F@p

@script:python depends on patch@
f << gone.F;
@@
pt_walk_state["used"].append((f, "used"))

@gone_def depends on patch@
identifier F;
position p : script:python (F) { F in pt_walk_gone or F in pt_walk_dead };
@@
 F@p(...) {...}

@script:python depends on patch@
f << gone_def.F;
@@
pt_walk_state["used"].append((f, "defined"))

@left depends on patch@
identifier O;
position p : script:python (O) { O in pt_walk_ops_names };
@@
 const struct mm_walk_ops O@p = { ... };

@script:python depends on patch@
o << left.O;
p << left.p;
@@
pt_walk_note(p)
pt_walk_state["left"].append(o)

@script:python depends on patch@
@@
pt_walk_check()
