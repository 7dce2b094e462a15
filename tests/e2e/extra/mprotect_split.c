// SPDX-License-Identifier: GPL-2.0
/*
 * mprotect_split.c - an example extra workload for scripts/e2e.sh
 * (make e2e WORKLOADS=tests/e2e/extra): one program per .c file, built
 * statically with tests/e2e on the include path, run after the catalogue;
 * its whole output is compared between the stock and the patched kernel.
 *
 * An anonymous mapping is split into five VMAs by mprotect of every other
 * range, printed, then merged back by restoring the protection, printed
 * again: the smaps entries and pagemap must follow the VMAs both ways.
 */
#include "e2e.h"

int main(void)
{
	long ps;
	char *p;
	int i;

	e2e_init();
	ps = e2e_psize;
	e2e_case_begin("mprotect_split");
	p = e2e_anon("split", 40 * ps, 0);
	if (p) {
		e2e_fill(p, 40 * ps, 1);
		for (i = 1; i < 5; i += 2)
			if (mprotect(p + i * 8 * ps, 8 * ps, PROT_READ))
				e2e_error("mprotect");
		e2e_dump("split");
		for (i = 1; i < 5; i += 2)
			if (mprotect(p + i * 8 * ps, 8 * ps, PROT_READ | PROT_WRITE))
				e2e_error("mprotect");
		e2e_dump("merged");
	}
	e2e_case_end();
	return e2e_cur.errors ? 1 : 0;
}
