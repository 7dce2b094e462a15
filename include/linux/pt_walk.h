/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Walking the page tables of an address space with the level-generic
 * descent of <linux/pt_descent.h>.
 */
#ifndef _LINUX_PT_WALK_H
#define _LINUX_PT_WALK_H

#include <linux/pt_descent.h>

struct mm_struct;

/* pt_walk_find() flags */
#define PT_FIND_HOLES	0x1	/* stop at empty ranges too, merged */

int pt_walk_find(struct mm_struct *mm, unsigned long addr, unsigned long end,
		 unsigned int min_lvl, unsigned int flags, struct pt_visit *found);

#endif /* _LINUX_PT_WALK_H */
