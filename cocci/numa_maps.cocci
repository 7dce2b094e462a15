// SPDX-License-Identifier: GPL-2.0-only
/// Port the numa_maps page-table walker of fs/proc/task_mmu.c
/// (show_numa_ops) from walk_page_vma() to a loop over pt_range_walk that
/// asks for folios only.  gather_stats() and can_gather_numa_stats_pmd()
/// stay as they are and are called per batch of pages of a PTE-mapped
/// folio and per PMD; gather_hugetlb_stats() is re-plumbed and called once
/// per hugetlb page; gather_pte_stats(), can_gather_numa_stats() (the walk
/// finds the page it looked up; the loop makes its other checks) and
/// show_numa_ops go.
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
pt_walk_script = "numa_maps.cocci"
pt_walk_ops_names.update({"show_numa_ops"})
pt_walk_gone.update({"can_gather_numa_stats"})
pt_walk_shapes.update({
    # The loop reads the mapcount of the other pages of a batch the same
    # way.
    "gather_stats": {"params": "struct page *page, struct numa_maps *md, "
                               "int pte_dirty, unsigned long nr_pages",
                     "calls": ["folio_precise_page_mapcount(folio, page)"]},
    "can_gather_numa_stats_pmd": {"params": "pmd_t pmd, struct vm_area_struct *vma, "
                                            "unsigned long addr"},
    # What the loop checks instead, the walk having found the page.
    "can_gather_numa_stats": {"exact": True, "calls": [
        "pte_present(pte)", "vm_normal_page(vma, addr, pte)",
        "is_zone_device_page(page)", "PageReserved(page)", "page_to_nid(page)",
        "node_isset(nid, node_states[N_MEMORY])"]},
    # What the loop does instead.
    "gather_pte_stats": {"exact": True, "calls": [
        "pmd_trans_huge_lock(pmd, vma)",
        "can_gather_numa_stats_pmd(*pmd, vma, addr)",
        "gather_stats(page, md, pmd_dirty(*pmd), HPAGE_PMD_SIZE / PAGE_SIZE)",
        "pmd_dirty(*pmd)", "spin_unlock(ptl)",
        "pte_offset_map_lock(walk->mm, pmd, addr, &ptl)", "ptep_get(pte)",
        "can_gather_numa_stats(ptent, vma, addr)",
        "gather_stats(page, md, pte_dirty(ptent), 1)", "pte_dirty(ptent)",
        "pte_unmap_unlock(orig_pte, ptl)", "cond_resched()"]},
})
pt_walk_post.update({
    "gather_hugetlb_stats": "pte_t *, unsigned long, unsigned long, unsigned long, "
                            "struct mm_struct *, struct numa_maps *",
})

// The walk finds the page vm_normal_page() would (the loop below makes
// the other checks), so can_gather_numa_stats() has no caller left.
@depends on patch && ops@
@@
- can_gather_numa_stats(...) {...}

// The caller: walk_page_vma() becomes a call of the loop.
@site depends on patch && ops@
identifier caller, O = show_numa_ops;
expression V, P;
@@
 caller(...) {
 <+...
- walk_page_vma(V, &O, P);
+ numa_walk_vma(V, P);
 ...+>
 }

@depends on patch@
identifier site.caller;
iterator name for_each_pt_range, for_each_pt_range_folio;
@@
+/*
+ * Gather the numa_maps stats of @vma with pt_range_walk: every page mapped
+ * by a PTE, every PMD-mapped THP, every hugetlb page once, as show_numa_ops
+ * did with walk_page_vma(), VM_PFNMAP VMAs included (their copy-on-write
+ * pages are normal pages).  Only folios are of interest; the pages of a
+ * PTE-mapped folio are gathered a batch at a time, with the same result as
+ * one page at a time.
+ */
+static void numa_walk_vma(struct vm_area_struct *vma, struct numa_maps *md)
+{
+	const unsigned int want = PTW_WANT(PTW_FOLIO);
+	unsigned long hsz = PAGE_SIZE, a;
+	struct pt_range_walk ptw;
+	struct pt_range_folio f;
+	struct page *page;
+	unsigned int i;
+
+	if (is_vm_hugetlb_page(vma))
+		hsz = huge_page_size(hstate_vma(vma));
+
+	for_each_pt_range(&ptw, vma, vma->vm_start, vma->vm_end, want) {
+		if (ptw.hugetlb) {
+			/* Each hugetlb page once, from the step it starts in. */
+			for (a = ALIGN(ptw.addr, hsz); a < pt_range_walk_end(&ptw); a += hsz) {
+				pte_t *pte = hugetlb_walk(vma, a, hsz);
+
+				if (pte)
+					gather_hugetlb_stats(pte, ~(hsz - 1), a, a + hsz, vma->vm_mm, md);
+			}
+			continue;
+		}
+#ifdef CONFIG_TRANSPARENT_HUGEPAGE
+		if (ptw.level == PT_LVL_PMD) {
+			page = can_gather_numa_stats_pmd(ptw.entry.pmd, vma, ptw.addr);
+			if (page)
+				gather_stats(page, md, pmd_dirty(ptw.entry.pmd), HPAGE_PMD_SIZE / PAGE_SIZE);
+			continue;
+		}
+#endif
+		if (ptw.level != PT_LVL_PTE)
+			continue;
+		/*
+		 * A batch: one folio, one node, entries with the same bits.
+		 * Its page is the one vm_normal_page() would find: only the
+		 * other checks can_gather_numa_stats() made are left.
+		 */
+		for_each_pt_range_folio(&ptw, &f) {
+			page = f.page;
+			if (is_zone_device_page(page) || PageReserved(page))
+				continue;
+			if (!node_isset(page_to_nid(page), node_states[N_MEMORY]))
+				continue;
+			gather_stats(page, md, pte_dirty(f.entry.pte), f.nr);
+			/* It read the mapcount of the first page only. */
+			for (i = 1; i < f.nr; i++) {
+				int count = folio_precise_page_mapcount(f.folio, nth_page(page, i));
+
+				if (count > md->mapcount_max)
+					md->mapcount_max = count;
+			}
+		}
+	}
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
