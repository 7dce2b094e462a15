// SPDX-License-Identifier: GPL-2.0-only
/// Let smaps_rollup pause inside a VMA for writers of the mmap lock, on top
/// of cocci/smaps.cocci.  smaps_rollup drops the mmap lock between VMAs when
/// a writer waits, but holds it for the whole walk of one VMA, however
/// large; the walk of smaps_walk_range() now pauses at a table boundary
/// when a writer waits (PTW_PAUSE_ON_CONTENTION), and smaps_rollup_resume()
/// lets the writer in and goes on from where the walk paused, in the VMA
/// that maps that address then, the shmem swap counted as the walk began.
/// show_smaps_rollup() learns where the walk ended and that its VMA
/// iterator must start again from there (smaps_rollup_gather()); the rest
/// of its contention handling, between VMAs, is as it was.  /proc/PID/smaps
/// never pauses.
///
// Confidence: High
// Copyright: (C) 2026 pt_walk developers.
// Comments: One-off conversion of Linux 6.12 after cocci/smaps.cocci;
// re-running it changes nothing.
// Options: --no-includes --include-headers --timeout 120 --macro-file task_mmu_macros.h

virtual patch
virtual context
virtual report

@initialize:python@
@@
import sys
rollup_state = {}
rollup_errors = []
coccinelle.rollup_errors = rollup_errors

// Each file starts afresh; only a file with show_smaps_rollup() matters.
@script:python depends on patch@
@@
rollup_state.update(done=False, rollup=False, walk=False, gather=False,
                    file=None)

@relevant depends on patch@
position p;
@@
 show_smaps_rollup@p(...) {...}

@script:python depends on relevant@
p << relevant.p;
@@
rollup_state["file"] = p[0].file

// Converted already: nothing to do, and no error.
@done depends on patch@
position p;
@@
 smaps_rollup_gather@p(...) {...}

@script:python depends on done@
@@
rollup_state["done"] = True

// The loop of cocci/smaps.cocci: pause for writers when asked to (@paused
// not NULL), and say where the walk paused (0: it did not).
@walk depends on patch && !done@
identifier V, S, E, H, K, M, ptw;
iterator name for_each_pt_range;
statement B;
expression A, F;
@@
 smaps_walk_range(struct vm_area_struct *V, unsigned long S, unsigned long E,
                  bool H, bool K,
+		  unsigned long *paused,
                  struct mem_size_stats *M)
 {
 <...
 for_each_pt_range(&ptw, V, A, E,
-                  F
+		   F | (paused ? PTW_PAUSE_ON_CONTENTION : 0)
                   ) B
+if (paused)
+	*paused = pt_range_walk_paused(&ptw);
 ...>
 }

@script:python depends on walk@
@@
rollup_state["walk"] = True

// smap_gather_stats(): pause when @ended is not NULL; when the walk paused,
// resume it, and say where it ended.
@gather depends on walk@
identifier V, M, S, H;
expression E;
expression list es;
@@
-smap_gather_stats(struct vm_area_struct *V, struct mem_size_stats *M, unsigned long S)
+smap_gather_stats(struct vm_area_struct *V, struct mem_size_stats *M, unsigned long S, unsigned long *ended)
 {
 ...
 bool H = E;
+unsigned long paused = 0;
 <...
-smaps_walk_range(es, M);
+smaps_walk_range(es, ended ? &paused : NULL, M);
 ...>
+if (paused)
+	*ended = smaps_rollup_resume(V->vm_mm, paused, H, M);
 }

@script:python depends on gather@
@@
rollup_state["gather"] = True

@depends on gather@
@@
+/*
+ * The walk of smaps_rollup paused at @addr for a writer of the mmap lock:
+ * let the writer in, then go on from @addr in the VMA that maps it now,
+ * the shmem swap counted as the walk began (@holes), pausing again as
+ * needed.  The VMA the walk began in may be gone by then: only @mm is used.
+ *
+ * Return: where the walk ended: the end of the VMA it ended in, or @addr
+ * when no VMA maps it any more; -EINTR when the mmap lock could not be
+ * taken again (it is not held then).
+ */
+static unsigned long smaps_rollup_resume(struct mm_struct *mm,
+					 unsigned long addr, bool holes,
+					 struct mem_size_stats *mss)
+{
+	struct vm_area_struct *vma;
+	unsigned long paused, until;
+
+	for (;;) {
+		mmap_read_unlock(mm);
+		/*
+		 * A reader takes the lock back from a writer it woke until
+		 * that writer has waited a while (rwsem reader lock
+		 * stealing): give it up to a tick to take the lock.
+		 */
+		until = jiffies + 1;
+		while (mmap_lock_is_contended(mm) &&
+		       time_before_eq(jiffies, until))
+			cond_resched();
+		if (mmap_read_lock_killable(mm))
+			return -EINTR;
+		vma = vma_lookup(mm, addr);
+		if (!vma)
+			return addr;
+		/* Holes are looked up in a shmem file only. */
+		holes = holes && vma->vm_file &&
+			shmem_mapping(vma->vm_file->f_mapping);
+		paused = 0;
+		smaps_walk_range(vma, addr, vma->vm_end, holes, false, &paused,
+				 mss);
+		if (!paused)
+			return vma->vm_end;
+		addr = paused;
+	}
+}
+
 smap_gather_stats(...) {...}

// show_smaps_rollup(): each walk of a VMA may pause, and end elsewhere.
@rollup depends on gather@
identifier VMI, P, LBL, ret;
expression MM;
@@
 show_smaps_rollup(...) {
 <+...
 vma_iter_invalidate(&VMI);
 ...
 ret = mmap_read_lock_killable(MM);
 if (ret) {
 release_task_mempolicy(P);
 goto LBL;
 }
 ...+>
 }

@rollup_calls depends on rollup@
identifier rollup.VMI, rollup.P, rollup.LBL, rollup.ret, V, MS, L;
expression S;
@@
 show_smaps_rollup(...) {
 <...
-smap_gather_stats(V, &MS, S);
-L = V->vm_end;
+ret = smaps_rollup_gather(V, &MS, S, &VMI, &L);
+if (ret) {
+	release_task_mempolicy(P);
+	goto LBL;
+}
 ...>
 }

@script:python depends on rollup_calls@
@@
rollup_state["rollup"] = True

@depends on rollup_calls@
@@
+/*
+ * smap_gather_stats() for smaps_rollup: the walk of @vma from @start
+ * pauses for writers of the mmap lock.  @last_vma_end is set to where it
+ * ended; when the lock was dropped meanwhile, @vma may be gone, and @vmi
+ * goes on from there.
+ *
+ * Return: 0, or -EINTR when the mmap lock could not be taken again (it is
+ * not held then).
+ */
+static int smaps_rollup_gather(struct vm_area_struct *vma,
+			       struct mem_size_stats *mss, unsigned long start,
+			       struct vma_iterator *vmi,
+			       unsigned long *last_vma_end)
+{
+	unsigned long end = 0;
+
+	smap_gather_stats(vma, mss, start, &end);
+	if (IS_ERR_VALUE(end))
+		return end;
+	if (!end) {
+		*last_vma_end = vma->vm_end;
+		return 0;
+	}
+	vma_iter_set(vmi, end);
+	*last_vma_end = end;
+	return 0;
+}
+
 show_smaps_rollup(...) {...}

// Every other caller, /proc/PID/smaps, never pauses.
@depends on rollup_calls@
expression V, M, S;
@@
 smap_gather_stats(V, M, S
+	, NULL
 )

// The end of a file: one error line when it has show_smaps_rollup() but
// could not be converted.
@script:python depends on patch@
@@
st = rollup_state
if st["file"] and not st["done"] and not st["rollup"]:
    what = ("smaps_walk_range() of cocci/smaps.cocci" if not st["walk"] else
            "smap_gather_stats() calling it" if not st["gather"] else
            "show_smaps_rollup()'s loop (smap_gather_stats(); last_vma_end = vma->vm_end;)")
    rollup_errors.append("%s: cocci/smaps_rollup.cocci: not converted: %s not found; "
                         "fix: run cocci/smaps.cocci first, or port it by hand"
                         % (st["file"], what))

// spatch exits 1 after one line per file that could not be converted;
// --in-place then leaves the file as it was.
@finalize:python@
errs << merge.rollup_errors;
@@
msgs = []
for m in (m for l in errs for m in l):
    if m not in msgs:
        msgs.append(m)
for m in msgs:
    sys.stderr.write("error: %s\n" % m)
if msgs:
    sys.exit(1)
