// SPDX-License-Identifier: GPL-2.0-only
/// Port the clear_refs page-table walker of fs/proc/task_mmu.c
/// (clear_refs_walk_ops) from walk_page_range() to a loop over
/// pt_range_walk in write mode.  clear_refs_walk() walks each VMA that
/// clear_refs_test_walk() keeps (re-plumbed to take the VMA and the
/// private data) and, per step: clears the accessed bit with
/// pt_range_walk_clear_young() and the folio's young and referenced bits,
/// for every page a present PTE or PMD maps (modes 1-3); or clears the
/// soft-dirty bits with pt_range_walk_clear_soft_dirty() (mode 4), which
/// write-protects as clear_soft_dirty() and clear_soft_dirty_pmd() did,
/// leaving writable the PTEs of pages maybe pinned for DMA in a
/// copy-on-write mapping, as pte_is_pinned() did.  The walk flushes no TLB
/// (PTW_MODIFY_NOFLUSH): clear_refs_write() raises the flush pending and
/// flushes the mm after the walk, as it did.  hugetlb VMAs stay unwalked,
/// as walk_page_range() left them without a hugetlb_entry.
/// clear_refs_pte_range(), clear_soft_dirty(), clear_soft_dirty_pmd(),
/// pte_is_pinned() and clear_refs_walk_ops go.
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
pt_walk_script = "clear_refs.cocci"
pt_walk_ops_names.update({"clear_refs_walk_ops"})
# Their mechanism is pt_range_walk_clear_soft_dirty()'s now; the loop makes
# the check pte_is_pinned() made, with the folio the walk found.
pt_walk_gone.update({"clear_soft_dirty", "clear_soft_dirty_pmd",
                     "pte_is_pinned"})
pt_walk_shapes.update({
    "clear_refs_pte_range": {"exact": True, "calls": [
        "pmd_trans_huge_lock(pmd, vma)",
        "clear_soft_dirty_pmd(vma, addr, pmd)", "pmd_present(*pmd)",
        "pmd_folio(*pmd)", "pmdp_test_and_clear_young(vma, addr, pmd)",
        "folio_test_clear_young(folio)", "folio_clear_referenced(folio)",
        "spin_unlock(ptl)",
        "pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl)",
        "ptep_get(pte)", "clear_soft_dirty(vma, addr, pte)",
        "pte_present(ptent)", "vm_normal_folio(vma, addr, ptent)",
        "ptep_test_and_clear_young(vma, addr, pte)",
        "pte_unmap_unlock(pte - 1, ptl)", "cond_resched()"]},
    # Re-plumbed: its two locals become its parameters.
    "clear_refs_test_walk": {"exact": True, "calls": [],
                             "params": "unsigned long start, unsigned long end, "
                                       "struct mm_walk *walk"},
    "pte_is_pinned": {"exact": True, "calls": [
        "pte_write(pte)", "is_cow_mapping(vma->vm_flags)",
        "likely(!test_bit(MMF_HAS_PINNED, &vma->vm_mm->flags))",
        "test_bit(MMF_HAS_PINNED, &vma->vm_mm->flags)",
        "vm_normal_folio(vma, addr, pte)", "folio_maybe_dma_pinned(folio)"]},
    "clear_soft_dirty": {"exact": True, "calls": [
        "ptep_get(pte)", "pte_present(ptent)",
        "pte_is_pinned(vma, addr, ptent)",
        "ptep_modify_prot_start(vma, addr, pte)", "pte_wrprotect(old_pte)",
        "pte_clear_soft_dirty(ptent)",
        "ptep_modify_prot_commit(vma, addr, pte, old_pte, ptent)",
        "is_swap_pte(ptent)", "pte_swp_clear_soft_dirty(ptent)",
        "set_pte_at(vma->vm_mm, addr, pte, ptent)"]},
    "clear_soft_dirty_pmd": {"exact": True, "calls": [
        "pmd_present(pmd)", "pmdp_invalidate(vma, addr, pmdp)",
        "pmd_dirty(old)", "pmd_mkdirty(pmd)", "pmd_young(old)",
        "pmd_mkyoung(pmd)", "pmd_wrprotect(pmd)", "pmd_clear_soft_dirty(pmd)",
        "set_pmd_at(vma->vm_mm, addr, pmdp, pmd)",
        "is_migration_entry(pmd_to_swp_entry(pmd))", "pmd_to_swp_entry(pmd)",
        "pmd_swp_clear_soft_dirty(pmd)"]},
    # The walk flushes nothing: the caller must flush the mm after it.
    "clear_refs_write": {"calls": [
        "mmap_write_lock_killable(mm)", "inc_tlb_flush_pending(mm)",
        "walk_page_range(mm, 0, -1, &clear_refs_walk_ops, &cp)",
        "flush_tlb_mm(mm)", "dec_tlb_flush_pending(mm)"]},
})
pt_walk_post.update({
    "clear_refs_test_walk": "struct vm_area_struct *, struct clear_refs_private *",
})

// The soft-dirty mechanism is the walk's now.
@depends on patch && ops@
identifier F = {clear_soft_dirty, clear_soft_dirty_pmd, pte_is_pinned};
@@
- F(...) {...}

// clear_refs_test_walk() takes the VMA and the private data.
@depends on patch && ops@
identifier W, S, E, V, P;
type T;
@@
 clear_refs_test_walk(
- unsigned long S, unsigned long E, struct mm_walk *W
+ struct vm_area_struct *V, T *P
  ) {
- T *P = W->private;
- struct vm_area_struct *V = W->vma;
  ...
 }

// The caller: walk_page_range() becomes a call of the loop.
@site depends on patch && ops@
identifier caller, O = clear_refs_walk_ops;
expression M, P;
@@
 caller(...) {
 <+...
- walk_page_range(M, 0, -1, &O, P);
+ clear_refs_walk(M, P);
 ...+>
 }

@depends on patch@
identifier site.caller;
iterator name for_each_vma, for_each_pt_range, for_each_pt_range_folio;
typedef bool;
@@
+/* Can a PTE of @vma map a page pinned for DMA that must stay writable? */
+static bool clear_refs_may_pin(struct vm_area_struct *vma)
+{
+	return is_cow_mapping(vma->vm_flags) &&
+	       test_bit(MMF_HAS_PINNED, &vma->vm_mm->flags);
+}
+
+/*
+ * Soft-dirty tracking starts again for the entries of a step: each is
+ * write-protected and its soft-dirty bit cleared, except a writable PTE of
+ * a page that may be pinned for DMA in a copy-on-write mapping, which a
+ * write fault would copy away from the device.
+ */
+static void clear_refs_soft_dirty(struct vm_area_struct *vma,
+				  struct pt_range_walk *ptw)
+{
+	struct pt_range_folio f;
+
+	if (ptw->type != PTW_FOLIO || ptw->level != PT_LVL_PTE ||
+	    !clear_refs_may_pin(vma)) {
+		pt_range_walk_clear_soft_dirty(ptw, ptw->addr, pt_range_walk_end(ptw));
+		return;
+	}
+	for_each_pt_range_folio(ptw, &f) {
+		if (pte_write(f.entry.pte) && folio_maybe_dma_pinned(f.folio))
+			continue;
+		pt_range_walk_clear_soft_dirty(ptw, f.addr, f.addr + f.nr * PAGE_SIZE);
+	}
+}
+
+/*
+ * Clear the accessed bits, and the folios' young and referenced bits, of
+ * what the present PTEs and PMDs of @vma map; or start soft-dirty tracking
+ * again in all its entries.  The caller flushes the TLB after the walk.
+ */
+static void clear_refs_walk_vma(struct vm_area_struct *vma,
+				struct clear_refs_private *cp)
+{
+	unsigned int want = PTW_WANT(PTW_FOLIO) | PTW_WANT(PTW_PFN) | PTW_MODIFY_NOFLUSH;
+	struct pt_range_walk ptw;
+	struct pt_range_folio f;
+	struct folio *folio;
+
+	/* Soft-dirty bits are in every entry that is not empty. */
+	if (cp->type == CLEAR_REFS_SOFT_DIRTY)
+		want |= PTW_WANT_MAPPED;
+	for_each_pt_range(&ptw, vma, vma->vm_start, vma->vm_end, want) {
+		if (cp->type == CLEAR_REFS_SOFT_DIRTY) {
+			clear_refs_soft_dirty(vma, &ptw);
+			continue;
+		}
+		/* Clear accessed and referenced bits. */
+		if (ptw.level == PT_LVL_PMD) {
+			/* Any present PMD: the huge zero page, DAX too. */
+			folio = pfn_folio(pt_range_walk_pfn(&ptw));
+			pt_range_walk_clear_young(&ptw, ptw.addr, pt_range_walk_end(&ptw));
+			folio_test_clear_young(folio);
+			folio_clear_referenced(folio);
+			continue;
+		}
+		if (ptw.level != PT_LVL_PTE || ptw.type != PTW_FOLIO)
+			continue;
+		for_each_pt_range_folio(&ptw, &f) {
+			pt_range_walk_clear_young(&ptw, f.addr, f.addr + f.nr * PAGE_SIZE);
+			folio_test_clear_young(f.folio);
+			folio_clear_referenced(f.folio);
+		}
+	}
+}
+
+/*
+ * Walk the VMAs clear_refs_test_walk() keeps, as clear_refs_walk_ops did
+ * with walk_page_range(), which walked no hugetlb VMA: it had no
+ * hugetlb_entry.
+ */
+static void clear_refs_walk(struct mm_struct *mm, struct clear_refs_private *cp)
+{
+	VMA_ITERATOR(vmi, mm, 0);
+	struct vm_area_struct *vma;
+
+	for_each_vma(vmi, vma) {
+		if (!is_vm_hugetlb_page(vma) && !clear_refs_test_walk(vma, cp))
+			clear_refs_walk_vma(vma, cp);
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
