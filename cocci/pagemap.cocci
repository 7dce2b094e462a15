// SPDX-License-Identifier: GPL-2.0-only
/// Port the /proc/PID/pagemap read walker of fs/proc/task_mmu.c
/// (pagemap_ops) from walk_page_range() to a loop over the VMAs of the
/// range and, in each, over pt_range_walk.  pte_to_pagemap_entry() and
/// pagemap_pmd_range_thp() are called per PTE and per PMD leaf, the latter
/// with the entry value; pagemap_pte_hole() is re-plumbed and called for
/// gaps between VMAs, VM_PFNMAP VMAs and holes; pagemap_hugetlb_range() is
/// re-plumbed and called once per hugetlb page; pagemap_pmd_range() and
/// pagemap_ops go.  The walk stops when the buffer is full.
/// Needs pagemap_pmd_range_thp(), split out of pagemap_pmd_range() first
/// (cocci/pagemap_thp_split.cocci); under #ifdef CONFIG_TRANSPARENT_HUGEPAGE
/// alone, it gets a stub for the other case, since the loop calls it in
/// every configuration.
///
// Confidence: High
// Copyright: (C) 2026 pt_walk developers.
// Comments: One-off conversion of Linux 6.12; re-running it changes nothing.
//  --max-width 79: the stub's parameters on the lines of the stub of the
//  hand-written split this replaced (spatch's default, 78, breaks one more).
// Options: --no-includes --include-headers --timeout 120 --max-width 79

#include "pt_walk_common.cocci"

virtual patch
virtual context
virtual report

@initialize:python@
@@
pt_walk_script = "pagemap.cocci"
pt_walk_ops_names.update({"pagemap_ops"})
pt_walk_byval.update({"pagemap_pmd_range_thp"})
# Split out of pagemap_pmd_range() first by cocci/pagemap_thp_split.cocci:
# without it, nothing is converted.
pt_walk_requires.update({"pagemap_pmd_range_thp"})
pt_walk_hints["pagemap_pmd_range_thp"] = "run cocci/pagemap_thp_split.cocci first"
pt_walk_shapes.update({
    "add_to_pagemap": {"params": "pagemap_entry_t *pme, struct pagemapread *pm"},
    "pte_to_pagemap_entry": {"params": "struct pagemapread *pm, struct vm_area_struct *vma, "
                                       "unsigned long addr, pte_t pte"},
    "pagemap_pmd_range_thp": {"params": "pmd_t *pmdp, unsigned long addr, unsigned long end, "
                                        "struct vm_area_struct *vma, struct pagemapread *pm"},
    # What the loop does instead: a PMD leaf to pagemap_pmd_range_thp(),
    # each PTE to pte_to_pagemap_entry() and add_to_pagemap().
    "pagemap_pmd_range": {"exact": True, "calls": [
        "pmd_trans_huge_lock(pmdp, vma)",
        "pagemap_pmd_range_thp(pmdp, addr, end, vma, pm)", "spin_unlock(ptl)",
        "pte_offset_map_lock(walk->mm, pmdp, addr, &ptl)",
        "pte_to_pagemap_entry(pm, vma, addr, ptep_get(pte))", "ptep_get(pte)",
        "add_to_pagemap(&pme, pm)", "pte_unmap_unlock(orig_pte, ptl)",
        "cond_resched()"]},
})
pt_walk_post.update({
    "pagemap_pte_hole": "unsigned long, unsigned long, struct mm_struct *, struct pagemapread *",
    "pagemap_hugetlb_range": "pte_t *, unsigned long, unsigned long, unsigned long, "
                             "struct vm_area_struct *, struct pagemapread *",
    "pagemap_pmd_range_thp": "pmd_t, unsigned long, unsigned long, "
                             "struct vm_area_struct *, struct pagemapread *",
})

// The loop calls pagemap_pmd_range_thp() in every configuration: alone
// under #ifdef CONFIG_TRANSPARENT_HUGEPAGE (as pagemap_thp_split.cocci puts
// it), it gets a stub for the other case.
@depends on patch && ops@
identifier G = pagemap_pmd_range_thp;
position p : script:python () {
	pt_walk_guards.get("pagemap_pmd_range_thp") == set(["CONFIG_TRANSPARENT_HUGEPAGE"])
};
typedef pmd_t;
@@
 G@p(...) {...}
+#else
+static int pagemap_pmd_range_thp(pmd_t pmd, unsigned long addr,
+				 unsigned long end, struct vm_area_struct *vma,
+				 struct pagemapread *pm)
+{
+	return 0;
+}

// The caller: walk_page_range() becomes a call of the loop.
@site depends on patch && ops@
identifier caller, O = pagemap_ops;
expression M, S, E, P, R;
@@
 caller(...) {
 <+...
- R = walk_page_range(M, S, E, &O, P);
+ R = pagemap_walk_range(M, S, E, P);
 ...+>
 }

@depends on patch@
identifier site.caller;
iterator name for_each_pt_range;
@@
+/*
+ * One VMA of pagemap_walk_range(): [start, end) is inside @vma.  A hugetlb
+ * VMA is walked in whole hugetlb pages, each read once and clipped to the
+ * range.  done is where the output has got to: whatever the walk does not
+ * describe is written as holes, so no entry can ever land at the wrong
+ * offset.
+ */
+static int pagemap_walk_vma(struct vm_area_struct *vma, unsigned long start,
+			    unsigned long end, struct pagemapread *pm)
+{
+	unsigned long hsz = PAGE_SIZE, done = start, lo, hi, a;
+	struct pt_range_walk ptw;
+	unsigned int i, k, n;
+	pagemap_entry_t pme;
+	pte_t pte;
+	int err = 0;
+
+	if (vma->vm_flags & VM_PFNMAP)
+		return pagemap_pte_hole(start, end, vma->vm_mm, pm);
+	if (is_vm_hugetlb_page(vma))
+		hsz = huge_page_size(hstate_vma(vma));
+	lo = ALIGN_DOWN(start, hsz);
+	hi = ALIGN(end, hsz);
+
+	for_each_pt_range(&ptw, vma, lo, hi, PTW_WANT_ALL) {
+		if (!err && max(ptw.addr, start) > done)
+			err = pagemap_pte_hole(done, max(ptw.addr, start), vma->vm_mm, pm);
+		if (err) {
+			/* The buffer is full. */
+			pt_range_walk_done(&ptw);
+			break;
+		}
+		done = min(pt_range_walk_end(&ptw), end);
+		if (ptw.hugetlb) {
+			/* Each hugetlb page once, from its first step. */
+			a = ALIGN(ptw.addr, hsz);
+			for (; !err && a < pt_range_walk_end(&ptw); a += hsz) {
+				pte_t *pte = hugetlb_walk(vma, a, hsz);
+
+				lo = max(a, start);
+				hi = min(a + hsz, end);
+				done = max(done, hi);
+				if (pte)
+					err = pagemap_hugetlb_range(pte, ~(hsz - 1), lo, hi, vma, pm);
+				else
+					err = pagemap_pte_hole(lo, hi, vma->vm_mm, pm);
+			}
+			continue;
+		}
+		if (ptw.type == PTW_NONE || ptw.level == PT_LVL_PUD) {
+			err = pagemap_pte_hole(ptw.addr, pt_range_walk_end(&ptw), vma->vm_mm, pm);
+			continue;
+		}
+		if (ptw.level == PT_LVL_PMD) {
+			err = pagemap_pmd_range_thp(ptw.entry.pmd, ptw.addr, pt_range_walk_end(&ptw), vma, pm);
+			continue;
+		}
+		/* An arm64 contiguous block is read once, not per entry. */
+		for (i = 0; !err && i < ptw.nr; i += n) {
+			n = pt_range_walk_pte_block(&ptw, i, &pte);
+			for (k = 0; !err && k < n; k++) {
+				pme = pte_to_pagemap_entry(pm, vma, ptw.addr + (i + k) * PAGE_SIZE,
+							   pte_advance_pfn(pte, k));
+				err = add_to_pagemap(&pme, pm);
+			}
+		}
+	}
+	if (!err && done < end)
+		err = pagemap_pte_hole(done, end, vma->vm_mm, pm);
+	return err;
+}
+
+/*
+ * Fill @pm with the entries of [start, end) with pt_range_walk, as
+ * pagemap_ops did with walk_page_range(): gaps between VMAs and VM_PFNMAP
+ * VMAs are holes, and the walk stops when the buffer is full
+ * (PM_END_OF_BUFFER).
+ */
+static int pagemap_walk_range(struct mm_struct *mm, unsigned long start,
+			      unsigned long end, struct pagemapread *pm)
+{
+	struct vm_area_struct *vma;
+	unsigned long addr, next;
+	int err = 0;
+
+	for (addr = start; !err && addr < end; addr = next) {
+		vma = find_vma(mm, addr);
+		if (vma && vma->vm_start <= addr) {
+			next = min(end, vma->vm_end);
+			err = pagemap_walk_vma(vma, addr, next, pm);
+			continue;
+		}
+		/* A gap before the next VMA, or after the last one. */
+		next = vma ? min(end, vma->vm_start) : end;
+		err = pagemap_pte_hole(addr, next, mm, pm);
+	}
+	return err;
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
