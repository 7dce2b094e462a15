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
