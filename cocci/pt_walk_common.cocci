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
///    conversion to be made at all, and pt_walk_hints: {name: the fix
///    when it is missing}; pt_walk_guards then tells, for each, the X of
///    "#ifdef X" around a definition standing alone in it;
///  - pt_walk_shapes (optional): the functions whose code the loop relies on
///    or replaces, as Linux 6.12 has them: {name: {"params": "...",
///    "calls": [...], "exact": bool}}, the parameter list and the calls
///    made (all of them when "exact"), layout and comments aside;
///  - pt_walk_post (optional): {name: "types"}, the parameter types the
///    loop passes to what stays, which every definition must have after
///    the conversion;
///  - pt_walk_gone (optional): functions it deletes besides the callbacks;
///  - pt_walk_own (optional): per-entry functions it re-plumbs itself;
///  - pt_walk_no_stub (optional): callbacks whose "#define cb NULL" stub it
///    deletes, its loop calling them only where they are defined;
/// and, after this file's rules, rewrites the walk_page_*() calls, adds the
/// loop over pt_range_walk that calls what stays, and ends with the checks
/// of pt_walk_check() (rules post, gone, left; see pagemap.cocci).
///
/// Nothing is converted unless every required function and shape is found;
/// when the file still has the ops, or the conversion left something the
/// loop cannot call, spatch exits 1 with one line that says why (the
/// finalize rule), and --in-place leaves the file as it was.
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
import os
import re
import sys

pt_walk_script = "?"
pt_walk_ops_names = set()
pt_walk_byval = set()
pt_walk_requires = set()
pt_walk_hints = {}
# For each required function: the X of every definition of it that stands
# alone between "#ifdef X" and "#endif", None for the others.
pt_walk_guards = {}
# Found here.
pt_walk_found = set()
pt_walk_callbacks = set()
pt_walk_pmd_callbacks = set()
pt_walk_entries = set()
pt_walk_priv = set()
pt_walk_vma_users = set()
pt_walk_mm_users = set()
pt_walk_byval_done = {}
pt_walk_star = {}
pt_walk_star_uses = set()
pt_walk_star_reads = set()
pt_walk_refs = {}
pt_walk_refs_in_ops = {}
pt_walk_dead = set()

def pt_walk_pos(p):
    return (p[0].file, p[0].line, p[0].column)

# Shapes and checks: set by the including script.
pt_walk_shapes = {}
pt_walk_post = {}
pt_walk_gone = set()
pt_walk_own = set()
pt_walk_no_stub = set()
# One line per file that could not be converted, for the finalize rule
# (merged across the processes of --jobs).
pt_walk_errors = []
coccinelle.pt_walk_errors = pt_walk_errors
# PT_WALK_VERBOSE=1 in the environment: every cause, one line each.
pt_walk_verbose = os.environ.get("PT_WALK_VERBOSE", "") not in ("", "0")
# Per file, reset by pt_walk_reset().
pt_walk_state = {}


def pt_walk_reset():
    pt_walk_state.clear()
    pt_walk_state.update(params={}, calls={}, post={}, used=[], left=[],
                         converting=None, causes=None, file=None,
                         failed=False)


pt_walk_reset()


def pt_walk_norm(s):
    # Code as text, without comments and whitespace.
    s = re.sub(r"/\*.*?\*/", "", s, flags=re.S)
    return re.sub(r"\s+", "", s)


def pt_walk_show(s):
    s = " ".join(re.sub(r"/\*.*?\*/", "", s, flags=re.S).split())
    return s.replace(" ,", ",").replace("* ", "*").replace(" (", "(")


def pt_walk_types(ps):
    # The types of a parameter list: each parameter without its name.
    types = []
    for param in ps.split(","):
        words = param.split()
        if len(words) > 1 and re.match(r"^[A-Za-z_]\w*$", words[-1]):
            words = words[:-1]
        types.append(" ".join(words))
    return ", ".join(types)


def pt_walk_guard(p):
    # (Read before any rule changes the file: positions then refer to it.)
    with open(p[0].file) as f:
        lines = f.read().split("\n")
    first = int(p[0].current_element_line) - 1
    last = int(p[0].current_element_line_end) - 1
    if first < 1 or last + 1 >= len(lines) or lines[last + 1].strip() != "#endif":
        return None
    m = re.match(r"^#ifdef\s+(\w+)\s*$", lines[first - 1])
    return m.group(1) if m else None


def pt_walk_note(p):
    pt_walk_state["file"] = pt_walk_state["file"] or p[0].file


def pt_walk_ready():
    # Whether every required function and shape was found; the causes
    # when not, computed once per file.
    st = pt_walk_state
    if st["causes"] is not None:
        return not st["causes"]
    causes = []
    for f in sorted(pt_walk_requires - pt_walk_found):
        causes.append(("%s() is missing" % f, pt_walk_hints.get(f)))
    for f in pt_walk_shapes if not causes or pt_walk_verbose else []:
        want = pt_walk_shapes[f]
        params = st["params"].get(f)
        if params is None:
            if f not in pt_walk_requires:
                causes.append(("%s() is missing" % f, None))
            continue
        if "params" in want and \
           not any(pt_walk_norm(x) == pt_walk_norm(want["params"]) for x in params):
            causes.append(("%s(%s) does not take (%s) as in Linux 6.12" %
                           (f, pt_walk_show(params[0]), want["params"]), None))
        calls = st["calls"].get(f, set())
        wanted = set(pt_walk_norm(c) for c in want.get("calls", []))
        for c in sorted(wanted - calls):
            causes.append(("%s() does not call %s as in Linux 6.12" % (f, c), None))
        if want.get("exact"):
            for c in sorted(calls - wanted):
                causes.append(("%s() calls %s, which Linux 6.12 does not" % (f, c), None))
    st["causes"] = causes
    return not causes


def pt_walk_fail(why, fix=None):
    pt_walk_state["failed"] = True
    f = pt_walk_state["file"] or "?"
    fix = fix or "port it by hand, or adapt cocci/%s to this tree" % pt_walk_script
    pt_walk_errors.append("%s: cocci/%s: %s; fix: %s" % (f, pt_walk_script, why, fix))


def pt_walk_check():
    # End of the including script, once per file.
    st = pt_walk_state
    if st["failed"]:
        return
    if st["left"]:
        pt_walk_ready()
        why, fix = st["causes"][0] if st["causes"] else \
            ("a rule did not match (spatch --debug shows which)", None)
        more = len(st["causes"]) - 1 if st["causes"] else 0
        pt_walk_fail("%s not converted: %s%s" %
                     (", ".join(sorted(set(st["left"]))), why,
                      " (and %d more)" % more if more > 0 else ""), fix)
        for why, fix in st["causes"][1:] if pt_walk_verbose else []:
            pt_walk_fail("also: " + why, fix)
        return
    if not st["converting"]:
        return
    for f in sorted(pt_walk_post):
        for types in st["post"].get(f, []):
            if pt_walk_norm(types) != pt_walk_norm(pt_walk_post[f]):
                pt_walk_fail("converted, but %s() takes (%s) where the loop passes (%s)" %
                             (f, types, pt_walk_post[f]))
                return
    if st["used"]:
        f, how = st["used"][0]
        pt_walk_fail("converted, but %s%s, which goes, is still %s" %
                     (f, "" if f in pt_walk_ops_names else "()", how))

// Each file starts afresh.
@script:python depends on patch@
@@
pt_walk_reset()

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
p << requires.p_F;
@@
pt_walk_found.add(f)
pt_walk_guards.setdefault(f, set()).add(pt_walk_guard(p))

// The shapes (pt_walk_shapes): parameters, and the calls in the body, of
// every definition.  (A call is matched anywhere and kept by the function
// it is in: a nest <+... f(...) ...+> in each function would be slow.)
@shape_params depends on patch@
identifier F;
position p_F : script:python (F) { F in pt_walk_shapes };
parameter list ps;
@@
 F@p_F(ps) {...}

@script:python depends on patch@
f << shape_params.F;
ps << shape_params.ps;
p << shape_params.p_F;
@@
pt_walk_note(p)
pt_walk_state["params"].setdefault(f, []).append(str(ps))

@shape_calls depends on patch@
identifier fn;
expression list es;
position p : script:python () { p[0].current_element in pt_walk_shapes };
@@
 fn@p(es)

@script:python depends on patch@
fn << shape_calls.fn;
es << shape_calls.es;
p << shape_calls.p;
@@
pt_walk_state["calls"].setdefault(p[0].current_element, set()).add(
    pt_walk_norm("%s(%s)" % (fn, es)))

// Nothing is converted unless the required functions and shapes are there.
@ops depends on patch@
identifier O;
position p_O : script:python (O) {
	O in pt_walk_ops_names and pt_walk_ready()
};
@@
 const struct mm_walk_ops O@p_O = { ... };

@script:python depends on patch@
p << ops.p_O;
@@
pt_walk_note(p)
pt_walk_state["converting"] = True

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
# One the including script deletes, or re-plumbs itself, is left to it.
if f not in pt_walk_gone and f not in pt_walk_own:
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
if not pt_walk_priv and not pt_walk_entries:
    # No callback stays (clear_refs): nothing to re-plumb, and the rules
    # that would are given names that match nothing.
    coccinelle.T = cocci.make_type("struct pt_walk_no_private")
    coccinelle.P = cocci.make_ident("pt_walk_no_private")
elif len(pt_walk_priv) != 1:
    # (No rule runs after this one: say why here.)
    if pt_walk_state["converting"]:
        pt_walk_fail("not converted: the callbacks take their private data as %s, not as one T *P = walk->private" %
                     (" and ".join(sorted("%s *%s" % tp for tp in pt_walk_priv)) or "nothing"))
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

// "#define cb NULL" stubs of callbacks that are called directly now; the
// including script deletes those its loop never calls (pt_walk_no_stub).
@stub_def depends on patch@
identifier fn;
position p_fn : script:python (fn) {
	fn in pt_walk_entries and fn not in pt_walk_no_stub
};
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

// A pmd_t * that is only ever read (*X) becomes the value; one that is
// also used as a pointer stays, and the check at the end says so.
@star_param depends on patch@
identifier fn;
position p_fn : script:python (fn) { fn in pt_walk_byval and fn not in pt_walk_byval_done };
identifier X;
typedef pmd_t;
parameter list[n] ps1;
parameter list ps2;
@@
 fn@p_fn(ps1, pmd_t *X, ps2) {...}

@script:python depends on patch@
f << star_param.fn;
x << star_param.X;
@@
pt_walk_star[f] = x

@star_use depends on patch@
identifier X;
position p : script:python (X) { pt_walk_star.get(p[0].current_element) == X };
@@
 X@p

@script:python depends on patch@
p << star_use.p;
@@
pt_walk_star_uses.add(pt_walk_pos(p) + (p[0].current_element,))

@star_read depends on patch@
identifier X;
position p : script:python (X) { pt_walk_star.get(p[0].current_element) == X };
@@
 *X@p

@script:python depends on patch@
p << star_read.p;
@@
pt_walk_star_reads.add(pt_walk_pos(p) + (p[0].current_element,))

@byval_star depends on patch@
identifier fn;
position p_fn : script:python (fn) {
	fn in pt_walk_byval and fn not in pt_walk_byval_done and
	not any(u[3] == fn for u in pt_walk_star_uses - pt_walk_star_reads)
};
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

// ---------------------------------------------------------------------------
// The end: spatch exits 1, one line per file that could not be converted
// (pt_walk_check()).  --in-place then leaves the file as it was.

@finalize:python@
errs << merge.pt_walk_errors;
@@
msgs = []
for m in (m for l in errs for m in l):
    if m not in msgs:
        msgs.append(m)
for m in msgs:
    sys.stderr.write("error: %s\n" % m)
if msgs:
    sys.exit(1)
