// SPDX-License-Identifier: GPL-2.0-only
/// Port the smaps page-table walker of fs/proc/task_mmu.c (smaps_walk_ops,
/// smaps_shmem_walk_ops) from walk_page_vma()/walk_page_range() to a loop
/// over pt_range_walk.  The per-entry functions stay and are re-plumbed:
/// smaps_pte_entry() and smaps_pmd_entry() take the entry value,
/// smaps_pte_hole() and smaps_hugetlb_range() are called for holes (shmem
/// VMAs with swapped-out pages) and for each hugetlb page; smaps_pte_range(),
/// smaps_pte_hole_lookup() and both ops go.
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
pt_walk_script = "smaps.cocci"
pt_walk_ops_names.update({"smaps_walk_ops", "smaps_shmem_walk_ops"})
pt_walk_gone.update({"smaps_pte_hole_lookup"})
pt_walk_shapes.update({
    # The loop accounts a mapped folio, present.
    "smaps_account": {"params": "struct mem_size_stats *mss, struct page *page, "
                                "bool compound, bool young, bool dirty, "
                                "bool locked, bool present"},
    # What the loop does instead: a PMD leaf to smaps_pmd_entry(), each
    # PTE to smaps_pte_entry(), and nothing else.
    "smaps_pte_range": {"exact": True, "calls": [
        "pmd_trans_huge_lock(pmd, vma)", "smaps_pmd_entry(pmd, addr, walk)",
        "spin_unlock(ptl)", "pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl)",
        "smaps_pte_entry(pte, addr, walk)", "pte_unmap_unlock(pte - 1, ptl)",
        "cond_resched()"]},
    # A none PTE of a shmem walk is a hole: PTW_NONE steps now.
    "smaps_pte_hole_lookup": {"exact": True, "calls": [
        "smaps_pte_hole(addr, addr + PAGE_SIZE, 0, walk)"]},
})
pt_walk_post.update({
    "smaps_pte_entry": "pte_t, unsigned long, struct vm_area_struct *, struct mem_size_stats *",
    "smaps_pmd_entry": "pmd_t, unsigned long, struct vm_area_struct *, struct mem_size_stats *",
    "smaps_pte_hole": "unsigned long, unsigned long, struct vm_area_struct *, struct mem_size_stats *",
    "smaps_hugetlb_range": "pte_t *, unsigned long, unsigned long, unsigned long, "
                           "struct vm_area_struct *, struct mem_size_stats *",
    "smaps_account": "struct mem_size_stats *, struct page *, unsigned long, bool, bool, bool, bool",
})

// smaps_pte_entry() looked up the pte_hole callback for a none PTE; holes
// are PTW_NONE steps now, and a none PTE never reaches it.
@depends on patch && ops@
expression E1, E2, A, W;
statement S1, S2;
@@
  if (E1) S1
  else if (E2) S2
- else { smaps_pte_hole_lookup(A, W); return; }

@depends on patch && ops@
@@
- smaps_pte_hole_lookup(...) {...}

// smaps_account() takes the number of pages to account instead of a
// compound flag, so that a batch of pages of one folio is accounted in one
// call; what it adds up is linear in that number, and the per-page
// mapcount loop runs over the batch as before.
@account depends on patch && ops@
identifier mss, page, compound;
@@
 smaps_account(struct mem_size_stats *mss, struct page *page,
-	      bool compound,
+	      unsigned long nr_pages,
 	      ...)
 {
 <...
- compound ? compound_nr(page) : 1
+ nr_pages
 ...>
 }

@depends on patch && account@
expression M, P, Y, D, L, R;
@@
 smaps_account(M, P,
- false
+ 1
 , Y, D, L, R)

@depends on patch && account@
expression M, P, Y, D, L, R;
@@
 smaps_account(M, P,
- true
+ compound_nr(P)
 , Y, D, L, R)

// The caller: the ops pointer becomes a flag, the walks a call of the loop.
@site depends on patch && ops@
identifier caller, v;
identifier O1 = smaps_walk_ops;
@@
 caller(...) {
 ...
- const struct mm_walk_ops *v = &O1;
+ bool shmem_holes = false;
 ...
 }

@depends on patch@
identifier site.caller, site.v;
identifier O2 = smaps_shmem_walk_ops;
@@
 caller(...) {
 <...
- v = &O2;
+ shmem_holes = true;
 ...>
 }

@depends on patch@
identifier site.caller, site.v;
expression V, S, P;
@@
 caller(...) {
 <...
(
- walk_page_vma(V, v, P);
+ smaps_walk_range(V, V->vm_start, V->vm_end, shmem_holes, false, P);
|
- walk_page_range(V->vm_mm, S, V->vm_end, v, P);
+ smaps_walk_range(V, S, V->vm_end, shmem_holes, true, P);
)
 ...>
 }

@depends on patch@
identifier site.caller;
iterator name for_each_pt_range, for_each_pt_range_folio;
@@
+/*
+ * Gather the stats of [start, end) of @vma with pt_range_walk, one batch
+ * of entries at a time, each entry accounted as walk_page_vma() and
+ * walk_page_range() did, the pages of a PTE-mapped folio a batch at a
+ * time: every hugetlb page once, holes only when @holes
+ * asks for the shmem swap usage, and a VM_PFNMAP VMA skipped only when
+ * @skip_pfnmap says the walk replaced walk_page_range(), which skipped it.
+ */
+static void smaps_walk_range(struct vm_area_struct *vma, unsigned long start,
+			     unsigned long end, bool holes, bool skip_pfnmap,
+			     struct mem_size_stats *mss)
+{
+	bool locked = !!(vma->vm_flags & VM_LOCKED);
+	unsigned int flags = PTW_WANT_MAPPED;
+	unsigned long hsz = PAGE_SIZE, a;
+	struct pt_range_walk ptw;
+	struct pt_range_folio f;
+	unsigned int i;
+
+	if (skip_pfnmap && (vma->vm_flags & VM_PFNMAP)) {
+		if (holes)
+			smaps_pte_hole(start, end, vma, mss);
+		return;
+	}
+	if (holes)
+		flags |= PTW_WANT(PTW_NONE);
+	if (is_vm_hugetlb_page(vma))
+		hsz = huge_page_size(hstate_vma(vma));
+
+	for_each_pt_range(&ptw, vma, ALIGN_DOWN(start, hsz), end, flags) {
+		if (ptw.hugetlb) {
+			/* Each hugetlb page once, from the step it starts in. */
+			for (a = ALIGN(ptw.addr, hsz); a < pt_range_walk_end(&ptw); a += hsz) {
+				pte_t *pte = hugetlb_walk(vma, a, hsz);
+
+				if (pte)
+					smaps_hugetlb_range(pte, ~(hsz - 1), a, a + hsz, vma, mss);
+			}
+			continue;
+		}
+		if (ptw.type == PTW_NONE) {
+			/*
+			 * A hole above the PTE level in one go; inside a PTE
+			 * table, under its lock, one page at a time as the PTE
+			 * loop did: the lookup may sleep, but not for one page.
+			 */
+			if (ptw.level != PT_LVL_PTE) {
+				smaps_pte_hole(ptw.addr, pt_range_walk_end(&ptw), vma, mss);
+				continue;
+			}
+			for (a = ptw.addr; a < pt_range_walk_end(&ptw); a += PAGE_SIZE)
+				smaps_pte_hole(a, a + PAGE_SIZE, vma, mss);
+			continue;
+		}
+		if (ptw.level == PT_LVL_PMD) {
+			smaps_pmd_entry(ptw.entry.pmd, ptw.addr, vma, mss);
+			continue;
+		}
+		if (ptw.level != PT_LVL_PTE)
+			continue;
+		if (ptw.type == PTW_FOLIO) {
+			/* A batch: one folio, entries with the same bits. */
+			for_each_pt_range_folio(&ptw, &f)
+				smaps_account(mss, f.page, f.nr, pte_young(f.entry.pte),
+					      pte_dirty(f.entry.pte), locked, true);
+			continue;
+		}
+		for (i = 0; i < ptw.nr; i++)
+			smaps_pte_entry(pt_range_walk_pte(&ptw, i), ptw.addr + i * PAGE_SIZE, vma, mss);
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
