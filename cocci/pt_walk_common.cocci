// SPDX-License-Identifier: GPL-2.0-only
/// Rules shared by the conversions of fs/proc/task_mmu.c from
/// walk_page_range() to pt_range_walk (smaps.cocci, numa_maps.cocci,
/// pagemap.cocci).  Included by them first thing; it does nothing alone.
///
/// Interface: the including script names, in its @initialize:python@ rule,
///  - pt_walk_script: its own file name, for report mode;
///  - pt_walk_ops_names: the struct mm_walk_ops it converts;
///  - pt_walk_byval (optional): functions, besides those found here, whose
///    read-only pmd_t * or pte_t * parameter is to be passed by value;
///  - pt_walk_requires (optional): functions that must exist for the
///    conversion to be made at all;
/// and, after this file's rules, rewrites the walk_page_*() calls and adds
/// the loop over pt_range_walk that calls what stays.
///
/// What stays (pt_walk_entries): the pte_hole and hugetlb_entry callbacks,
/// and the per-entry functions that a pmd_entry callback calls with the
/// walk.  What goes: the ops, and the pmd_entry callbacks, which the
/// pt_range_walk loop replaces, unless something else still uses them.
///
/// Rules, in order:
///  1. find the callbacks, what stays and what goes;
///  2. re-plumb what stays: struct mm_walk *walk becomes
///     struct vm_area_struct *vma if walk->vma was used, or else
///     struct mm_struct *mm if walk->mm was, then the walker's private
///     pointer; walk->private/vma/mm follow; a pte_hole callback loses its
///     unused depth; "#define cb NULL" stubs become functions;
///  3. drop what pt_range_walk does itself: cond_resched() (never under the
///     page-table lock it holds for a step), and the huge_pte_lock() of a
///     hugetlb entry (it holds that lock);
///  4. pass the read-only pte_t * and pmd_t * of per-entry functions by
///     value, #else stubs included;
///  5. include <linux/pt_walk.h>;
///  6. delete the converted ops and the callbacks that went.
/// report and context modes point at the converted ops.
//
// Keywords: pt_range_walk, walk_page_range, walk_page_vma, mm_walk_ops

virtual patch
virtual context
virtual report

@initialize:python@
@@
pt_walk_script = "?"
pt_walk_ops_names = set()
pt_walk_byval = set()
pt_walk_requires = set()
# Found here.
pt_walk_found = set()
pt_walk_callbacks = set()
pt_walk_pmd_callbacks = set()
pt_walk_entries = set()
pt_walk_priv = set()
pt_walk_vma_users = set()
pt_walk_mm_users = set()
pt_walk_byval_done = {}
pt_walk_refs = {}
pt_walk_refs_in_ops = {}
pt_walk_dead = set()

def pt_walk_pos(p):
    return (p[0].file, p[0].line, p[0].column)

// ---------------------------------------------------------------------------
// 1. The callbacks of the converted ops; what stays and what goes.

// (A python constraint on an identifier would make it impossible to inherit,
// so the constraint is on a position.)
// Functions the including script needs (pt_walk_requires): without them,
// nothing is converted.
@requires depends on patch@
identifier F;
position p_F : script:python (F) { F in pt_walk_requires };
@@
 F@p_F(...) {...}

@script:python depends on patch@
f << requires.F;
@@
pt_walk_found.add(f)

@ops depends on patch@
identifier O;
position p_O : script:python (O) {
	O in pt_walk_ops_names and pt_walk_requires <= pt_walk_found
};
@@
 const struct mm_walk_ops O@p_O = { ... };

@cb_pmd depends on patch@
identifier ops.O, F;
position p;
@@
 const struct mm_walk_ops O = { .pmd_entry = F@p, };

@script:python depends on patch@
f << cb_pmd.F;
p << cb_pmd.p;
@@
pt_walk_callbacks.add(f)
pt_walk_pmd_callbacks.add(f)
pt_walk_refs_in_ops.setdefault(f, set()).add(pt_walk_pos(p))

@cb_hole depends on patch@
identifier ops.O, F;
position p;
@@
 const struct mm_walk_ops O = { .pte_hole = F@p, };

@script:python depends on patch@
f << cb_hole.F;
p << cb_hole.p;
@@
pt_walk_callbacks.add(f)
pt_walk_entries.add(f)
pt_walk_refs_in_ops.setdefault(f, set()).add(pt_walk_pos(p))

@cb_huge depends on patch@
identifier ops.O, F;
position p;
@@
 const struct mm_walk_ops O = { .hugetlb_entry = F@p, };

@script:python depends on patch@
f << cb_huge.F;
p << cb_huge.p;
@@
pt_walk_callbacks.add(f)
pt_walk_entries.add(f)
pt_walk_refs_in_ops.setdefault(f, set()).add(pt_walk_pos(p))

// The per-entry functions a pmd_entry callback calls with the walk.
@per_entry depends on patch@
identifier PMD;
position p_PMD : script:python (PMD) { PMD in pt_walk_pmd_callbacks };
identifier F, walk;
expression list es;
@@
 PMD@p_PMD(..., struct mm_walk *walk) { <... F(es, walk) ...> }

@script:python depends on patch@
f << per_entry.F;
@@
pt_walk_entries.add(f)
pt_walk_byval.add(f)

// A pmd_entry callback goes when nothing but the converted ops used it.
@cb_ref depends on patch@
identifier cb_pmd.F;
position p;
@@
 F@p

@script:python depends on patch@
f << cb_pmd.F;
p << cb_ref.p;
@@
pt_walk_refs.setdefault(f, set()).add(pt_walk_pos(p))

@script:python depends on patch@
@@
for f in pt_walk_pmd_callbacks - pt_walk_entries:
    if pt_walk_refs.get(f, set()) <= pt_walk_refs_in_ops.get(f, set()):
        pt_walk_dead.add(f)

// ---------------------------------------------------------------------------
// 2. Re-plumbing.  The walker's private type and name, and which functions
// use walk->vma or walk->mm.

@priv_init depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
identifier walk, P;
type T;
@@
 fn@p_fn(..., struct mm_walk *walk) {
 ...
 T *P = walk->private;
 ...
 }

@script:python depends on patch@
t << priv_init.T;
p << priv_init.P;
@@
pt_walk_priv.add((t, p))

@priv_assign depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
identifier walk, P;
type T;
@@
 fn@p_fn(..., struct mm_walk *walk) {
 ...
 T *P;
 ...
 P = walk->private;
 ...
 }

@script:python depends on patch@
t << priv_assign.T;
p << priv_assign.P;
@@
pt_walk_priv.add((t, p))

@script:python priv depends on patch@
T;
P;
@@
if len(pt_walk_priv) != 1:
    cocci.include_match(False)
else:
    (t, p), = pt_walk_priv
    coccinelle.T = cocci.make_type(t)
    coccinelle.P = cocci.make_ident(p)

@uses_vma depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
identifier walk;
@@
 fn@p_fn(..., struct mm_walk *walk) { <+... walk->vma ...+> }

@script:python depends on patch@
f << uses_vma.fn;
@@
pt_walk_vma_users.add(f)

@uses_mm depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
identifier walk;
@@
 fn@p_fn(..., struct mm_walk *walk) { <+... walk->mm ...+> }

@script:python depends on patch@
f << uses_mm.fn;
@@
pt_walk_mm_users.add(f)

// The private pointer and the VMA become parameters.
@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
identifier walk, P;
type T;
@@
 fn@p_fn(..., struct mm_walk *walk) {
 ...
- T *P = walk->private;
 ...
 }

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
identifier walk, P;
type T;
@@
 fn@p_fn(..., struct mm_walk *walk) {
 ...
- T *P;
 ...
- P = walk->private;
 ...
 }

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_vma_users };
identifier walk, V;
@@
 fn@p_fn(..., struct mm_walk *walk) {
 ...
- struct vm_area_struct *V = walk->vma;
 ...
 }

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_vma_users };
identifier walk;
identifier priv.P;
@@
 fn@p_fn(..., struct mm_walk *walk) {
 <...
(
- walk->vma
+ vma
|
- walk->mm
+ vma->vm_mm
|
- walk->private
+ P
)
 ...>
 }

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries and fn not in pt_walk_vma_users };
identifier walk;
identifier priv.P;
@@
 fn@p_fn(..., struct mm_walk *walk) {
 <...
(
- walk->mm
+ mm
|
- walk->private
+ P
)
 ...>
 }

// A pte_hole callback's depth was never used.
@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
parameter A, E;
type TD;
identifier D = depth;
identifier walk;
@@
 fn@p_fn(
- A, E, TD D, struct mm_walk *walk
+ A, E, struct mm_walk *walk
 ) {...}

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_vma_users };
identifier walk;
type priv.T;
identifier priv.P;
parameter list[n] ps;
@@
 fn@p_fn(ps,
- struct mm_walk *walk
+ struct vm_area_struct *vma, T *P
 ) {...}

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_mm_users and fn not in pt_walk_vma_users };
identifier walk;
type priv.T;
identifier priv.P;
parameter list[n] ps;
@@
 fn@p_fn(ps,
- struct mm_walk *walk
+ struct mm_struct *mm, T *P
 ) {...}

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
identifier walk;
type priv.T;
identifier priv.P;
parameter list[n] ps;
@@
 fn@p_fn(ps,
- struct mm_walk *walk
+ T *P
 ) {...}

// "#define cb NULL" stubs of callbacks that are called directly now.
@stub_def depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
type RT;
parameter list ps;
@@
 RT fn@p_fn(ps) {...}

@depends on patch@
identifier stub_def.fn;
type stub_def.RT;
parameter list stub_def.ps;
@@
- #define fn NULL
+ static RT fn(ps)
+ {
+	return 0;
+ }

// ---------------------------------------------------------------------------
// 3. What pt_range_walk does itself.

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
@@
 fn@p_fn(...) {
 <...
- cond_resched();
 ...>
 }

@depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_entries };
identifier ptl;
expression list es;
@@
 fn@p_fn(...) {
 ...
- spinlock_t *ptl;
 ...
- ptl = huge_pte_lock(es);
 ...
- spin_unlock(ptl);
 ...
 }

// ---------------------------------------------------------------------------
// 4. Read-only entry pointers become entry values.

@byval_get depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_byval };
identifier X, V;
type T;
parameter list[n] ps1;
parameter list ps2;
@@
 fn@p_fn(ps1,
- T *X
+ T V
 , ps2) {
 ...
- T V = ptep_get(X);
 ...
 }

@script:python depends on patch@
f << byval_get.fn;
x << byval_get.X;
t << byval_get.T;
v << byval_get.V;
@@
pt_walk_byval_done[f] = (x, t, v)

@byval_deref depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_byval and fn not in pt_walk_byval_done };
identifier X, V;
type T;
parameter list[n] ps1;
parameter list ps2;
@@
 fn@p_fn(ps1,
- T *X
+ T V
 , ps2) {
 ...
- T V = *X;
 ...
 }

@script:python depends on patch@
f << byval_deref.fn;
x << byval_deref.X;
t << byval_deref.T;
v << byval_deref.V;
@@
pt_walk_byval_done[f] = (x, t, v)

@byval_star depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_byval and fn not in pt_walk_byval_done };
identifier X;
typedef pmd_t;
parameter list[n] ps1;
parameter list ps2;
@@
 fn@p_fn(ps1,
- pmd_t *X
+ pmd_t X
 , ps2) {
 <...
- *X
+ X
 ...>
 }

@script:python depends on patch@
f << byval_star.fn;
x << byval_star.X;
@@
pt_walk_byval_done[f] = (x, "pmd_t", x)

// Other definitions of the same function (#else stubs) follow.
@byval_stub depends on patch@
identifier fn, X;
position p_X : script:python (fn, X) {
	fn in pt_walk_byval_done and pt_walk_byval_done[fn][0] == X
};
type T1;
parameter list ps1, ps2;
@@
 fn(ps1, T1 *X@p_X, ps2) {...}

@script:python byval_new depends on patch@
fn << byval_stub.fn;
T;
V;
@@
x, t, v = pt_walk_byval_done[fn]
coccinelle.T = cocci.make_type(t)
coccinelle.V = cocci.make_ident(v)

@depends on patch@
identifier byval_stub.fn, byval_stub.X;
type byval_stub.T1, byval_new.T;
identifier byval_new.V;
parameter list byval_stub.ps1, byval_stub.ps2;
@@
 fn(ps1,
- T1 *X
+ T V
 , ps2) {...}

// ---------------------------------------------------------------------------
// 5. The header.

@has_header@
@@
 #include <linux/pt_walk.h>

@depends on patch && ops && !has_header@
@@
 #include <linux/pagewalk.h>
+#include <linux/pt_walk.h>

// ---------------------------------------------------------------------------
// 6. The converted ops go (the including script rewrites their users), and
// the callbacks that went.

@depends on patch@
identifier ops.O;
@@
- const struct mm_walk_ops O = { ... };

@depends on patch@
identifier F;
position p_F : script:python (F) { F in pt_walk_dead };
@@
- F@p_F(...) {...}

// ---------------------------------------------------------------------------
// report and context modes.

@ctx depends on context && !patch@
identifier O;
position p_O : script:python (O) { O in pt_walk_ops_names };
@@
* const struct mm_walk_ops O@p_O = { ... };

@ctx_use depends on context && !patch@
identifier O;
position p_O : script:python (O) { O in pt_walk_ops_names };
@@
* &O@p_O

@rep depends on report && !patch@
identifier O;
position p_O : script:python (O) { O in pt_walk_ops_names };
position p;
@@
 const struct mm_walk_ops O@p@p_O = { ... };

@script:python depends on report@
p << rep.p;
o << rep.O;
@@
coccilib.report.print_report(p[0], "%s: walk_page_range() walker; cocci/%s ports it to pt_range_walk" % (o, pt_walk_script))
