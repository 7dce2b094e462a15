// SPDX-License-Identifier: GPL-2.0-only
/// Split the PMD-mapped THP and PMD migration entry branch of
/// pagemap_pmd_range() (fs/proc/task_mmu.c) into a function of its own,
/// pagemap_pmd_range_thp(), called with the PMD locked, so that a walker
/// that has the PMD value can report a PMD leaf (cocci/pagemap.cocci).
///
/// The branch is matched statement by statement as Linux 6.12 has it
/// (layout and comments aside), removed, and written out again as the body
/// of the new function, before pte_to_pagemap_entry(), under the
/// #ifdef CONFIG_TRANSPARENT_HUGEPAGE that guards the branch.  The
/// #ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION of the migration entry case stays
/// around it, the closing brace of the present case inside it, and its
/// VM_BUG_ON() is a VM_WARN_ON_ONCE().  A branch that differs in any
/// statement is not moved: spatch exits non-zero and says so, rather than
/// giving the tree the logic of Linux 6.12.
///
// Confidence: High
// Copyright: (C) 2026 pt_walk developers.
// Comments: One-off refactoring of Linux 6.12; re-running it changes nothing.
//  --defined CONFIG_ARCH_ENABLE_THP_MIGRATION: spatch 1.1.1 parses that
//  #ifdef, which guards an else branch, as a comment either way; defined,
//  it removes the comment with the branch instead of printing it again in
//  the added call.  --smpl-spacing: the added function keeps the lines of
//  this file (cocci/fmt.py then re-indents continuation lines with tabs).
// Options: --no-includes --include-headers --defined CONFIG_ARCH_ENABLE_THP_MIGRATION --smpl-spacing

virtual patch
virtual context
virtual report

@initialize:python@
@@
import re
import sys

# Causes of failure, one per file, reported by the finalize rule: spatch
# exits 1 with them (merged across --jobs workers).
pt_split_errors = []
coccinelle.pt_split_errors = pt_split_errors
# Per file: whether pte_to_pagemap_entry() comes before pagemap_pmd_range().
pt_split_order = [False]


def pt_split_norm(s):
    # The text of a declaration, without comments and whitespace.
    s = re.sub(r"/\*.*?\*/", "", s, flags=re.S)
    return re.sub(r"\s+", "", s)

@script:python depends on patch@
@@
pt_split_order[0] = False

// Already split: nothing to do.
@split@
identifier G = pagemap_pmd_range_thp;
@@
 G(...) {...}

// The walker that needs the split.
@ops@
identifier O = pagemap_ops, F = pagemap_pmd_range;
position p;
@@
 const struct mm_walk_ops O@p = { .pmd_entry = F, };

// pagemap_pmd_range() as the callback of pagemap_ops: its arguments and the
// VMA and pagemapread it takes from the walk are those the new function
// takes.
@sig depends on patch && ops && !split@
identifier F = pagemap_pmd_range, pmdp, addr, end, walk, vma, pm;
typedef pmd_t;
@@
 F(pmd_t *pmdp, unsigned long addr, unsigned long end, struct mm_walk *walk)
 {
 	struct vm_area_struct *vma = walk->vma;
 	struct pagemapread *pm = walk->private;
 	...
 }

// The new function goes before pte_to_pagemap_entry(), which must come
// before pagemap_pmd_range(), as in Linux 6.12.
@pte_fn depends on sig@
identifier P = pte_to_pagemap_entry;
position p;
@@
 P@p(...) {...}

@pmd_fn depends on sig@
identifier F = pagemap_pmd_range;
position p;
@@
 F@p(...) {...}

@script:python depends on pte_fn && pmd_fn@
p1 << pte_fn.p;
p2 << pmd_fn.p;
@@
pt_split_order[0] = int(p1[0].line) < int(p2[0].line)

// The branch, statement by statement.  (spatch 1.1.1 does not match a
// declaration of two variables against the same text in SmPL, hence the
// constraint on d_flags.)
@thp depends on patch && sig@
identifier sig.pmdp, sig.addr, sig.end, sig.vma, sig.pm;
identifier ptl, err;
declaration d_flags : script:python () {
	pt_split_norm(d_flags) == "u64flags=0,frame=0;"
};
position p : script:python () {
	p[0].current_element == "pagemap_pmd_range" and pt_split_order[0]
};
symbol idx, flags, frame, pmd, page, folio, entry, offset, cur_flags, pme;
symbol populate_pagemap;
typedef u64, pmd_t, swp_entry_t, pagemap_entry_t;
@@
 ptl@p = pmd_trans_huge_lock(pmdp, vma);
 if (ptl) {
-	unsigned int idx = (addr & ~PMD_MASK) >> PAGE_SHIFT;
-	d_flags
-	pmd_t pmd = *pmdp;
-	struct page *page = NULL;
-	struct folio *folio = NULL;
-
-	if (vma->vm_flags & VM_SOFTDIRTY)
-		flags |= PM_SOFT_DIRTY;
-
-	if (pmd_none(pmd))
-		goto populate_pagemap;
-
-	if (pmd_present(pmd)) {
-		page = pmd_page(pmd);
-
-		flags |= PM_PRESENT;
-		if (pmd_soft_dirty(pmd))
-			flags |= PM_SOFT_DIRTY;
-		if (pmd_uffd_wp(pmd))
-			flags |= PM_UFFD_WP;
-		if (pm->show_pfn)
-			frame = pmd_pfn(pmd) + idx;
-	} else {
-		swp_entry_t entry = pmd_to_swp_entry(pmd);
-		unsigned long offset;
-
-		if (pm->show_pfn) {
-			if (is_pfn_swap_entry(entry))
-				offset = swp_offset_pfn(entry) + idx;
-			else
-				offset = swp_offset(entry) + idx;
-			frame = swp_type(entry) | (offset << MAX_SWAPFILES_SHIFT);
-		}
-		flags |= PM_SWAP;
-		if (pmd_swp_soft_dirty(pmd))
-			flags |= PM_SOFT_DIRTY;
-		if (pmd_swp_uffd_wp(pmd))
-			flags |= PM_UFFD_WP;
-		VM_BUG_ON(!is_pmd_migration_entry(pmd));
-		page = pfn_swap_entry_to_page(entry);
-	}
-
-	if (page) {
-		folio = page_folio(page);
-		if (!folio_test_anon(folio))
-			flags |= PM_FILE;
-	}
-
-populate_pagemap:
-	for (; addr != end; addr += PAGE_SIZE, idx++) {
-		u64 cur_flags = flags;
-		pagemap_entry_t pme;
-
-		if (folio && (flags & PM_PRESENT) &&
-		    folio_precise_page_mapcount(folio, page + idx) == 1)
-			cur_flags |= PM_MMAP_EXCLUSIVE;
-
-		pme = make_pme(frame, cur_flags);
-		err = add_to_pagemap(&pme, pm);
-		if (err)
-			break;
-		if (pm->show_pfn) {
-			if (flags & PM_PRESENT)
-				frame++;
-			else if (flags & PM_SWAP)
-				frame += (1 << MAX_SWAPFILES_SHIFT);
-		}
-	}
+	err = pagemap_pmd_range_thp(pmdp, addr, end, vma, pm);
 	spin_unlock(ptl);
 	return err;
 }

// The same statements, as the body of the new function.  (Continuation
// lines are aligned with spaces, which spatch keeps and cocci/fmt.py turns
// into tabs.)
@depends on patch && thp@
identifier P = pte_to_pagemap_entry;
identifier sig.pmdp, sig.addr, sig.end, sig.vma, sig.pm, thp.err;
symbol idx, flags, frame, pmd, page, folio, entry, offset, cur_flags, pme;
symbol populate_pagemap;
typedef u64, pmd_t, swp_entry_t, pagemap_entry_t;
@@
+#ifdef CONFIG_TRANSPARENT_HUGEPAGE
+static int pagemap_pmd_range_thp(pmd_t *pmdp, unsigned long addr,
+                                 unsigned long end, struct vm_area_struct *vma,
+                                 struct pagemapread *pm)
+{
+	unsigned int idx = (addr & ~PMD_MASK) >> PAGE_SHIFT;
+	u64 flags = 0, frame = 0;
+	pmd_t pmd = *pmdp;
+	struct page *page = NULL;
+	struct folio *folio = NULL;
+	int err = 0;
+
+	if (vma->vm_flags & VM_SOFTDIRTY)
+		flags |= PM_SOFT_DIRTY;
+
+	if (pmd_none(pmd))
+		goto populate_pagemap;
+
+	if (pmd_present(pmd)) {
+		page = pmd_page(pmd);
+
+		flags |= PM_PRESENT;
+		if (pmd_soft_dirty(pmd))
+			flags |= PM_SOFT_DIRTY;
+		if (pmd_uffd_wp(pmd))
+			flags |= PM_UFFD_WP;
+		if (pm->show_pfn)
+			frame = pmd_pfn(pmd) + idx;
+#ifdef CONFIG_ARCH_ENABLE_THP_MIGRATION
+	} else {
+		swp_entry_t entry = pmd_to_swp_entry(pmd);
+		unsigned long offset;
+
+		if (pm->show_pfn) {
+			if (is_pfn_swap_entry(entry))
+				offset = swp_offset_pfn(entry) + idx;
+			else
+				offset = swp_offset(entry) + idx;
+			frame = swp_type(entry) |
+                                (offset << MAX_SWAPFILES_SHIFT);
+		}
+		flags |= PM_SWAP;
+		if (pmd_swp_soft_dirty(pmd))
+			flags |= PM_SOFT_DIRTY;
+		if (pmd_swp_uffd_wp(pmd))
+			flags |= PM_UFFD_WP;
+		VM_WARN_ON_ONCE(!is_pmd_migration_entry(pmd));
+		page = pfn_swap_entry_to_page(entry);
+#endif
+	}
+
+	if (page) {
+		folio = page_folio(page);
+		if (!folio_test_anon(folio))
+			flags |= PM_FILE;
+	}
+
+populate_pagemap:
+	for (; addr != end; addr += PAGE_SIZE, idx++) {
+		u64 cur_flags = flags;
+		pagemap_entry_t pme;
+
+		if (folio && (flags & PM_PRESENT) &&
+                    folio_precise_page_mapcount(folio, page + idx) == 1)
+			cur_flags |= PM_MMAP_EXCLUSIVE;
+
+		pme = make_pme(frame, cur_flags);
+		err = add_to_pagemap(&pme, pm);
+		if (err)
+			break;
+		if (pm->show_pfn) {
+			if (flags & PM_PRESENT)
+				frame++;
+			else if (flags & PM_SWAP)
+				frame += (1 << MAX_SWAPFILES_SHIFT);
+		}
+	}
+	return err;
+}
+#endif
+
 P(...) {...}

// The walker is still there and its THP branch was not moved: say why.
@script:python depends on patch && ops && !split && !sig@
p << ops.p;
@@
pt_split_errors.append("%s: cocci/pagemap_thp_split.cocci: pagemap_pmd_range() not split: it is not the pmd_entry(pmdp, addr, end, walk) of Linux 6.12 taking the VMA and the pagemapread from the walk first; fix: move its THP branch into pagemap_pmd_range_thp(pmdp, addr, end, vma, pm) by hand" % p[0].file)

@script:python depends on patch && ops && sig && !thp@
p << ops.p;
@@
pt_split_errors.append("%s: cocci/pagemap_thp_split.cocci: pagemap_pmd_range() not split: its THP branch is not the one of Linux 6.12, statement for statement, or pte_to_pagemap_entry() does not precede it; fix: move the branch into pagemap_pmd_range_thp(pmdp, addr, end, vma, pm) by hand" % p[0].file)

// report and context modes: the branch to split.
@ctx depends on context && !patch && !split@
identifier ptl;
expression P, V;
position p : script:python () { p[0].current_element == "pagemap_pmd_range" };
@@
* ptl@p = pmd_trans_huge_lock(P, V);

@rep depends on report && !patch && !split@
identifier ptl;
expression P, V;
position p : script:python () { p[0].current_element == "pagemap_pmd_range" };
@@
 ptl@p = pmd_trans_huge_lock(P, V);

@script:python depends on report@
p << rep.p;
@@
coccilib.report.print_report(p[0], "pagemap_pmd_range(): THP branch; cocci/pagemap_thp_split.cocci moves it into pagemap_pmd_range_thp()")

@finalize:python@
errs << merge.pt_split_errors;
@@
msgs = sorted(set(m for l in errs for m in l))
for m in msgs:
    sys.stderr.write("error: %s\n" % m)
if msgs:
    sys.exit(1)
