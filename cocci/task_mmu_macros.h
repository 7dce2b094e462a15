/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Macros spatch must expand to parse fs/proc/task_mmu.c in full
 * (--macro-file): show_smaps_rollup()'s "do { ... } for_each_vma(vmi, vma);"
 * is a do-while whose while is this macro.
 */
#define for_each_vma(__vmi, __vma) while (((__vma) = vma_next(&(__vmi))) != NULL)
