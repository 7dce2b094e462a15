// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace runner for the geometry cases: the same descent source
 * (<linux/pt_descent.h>), the same synthetic level-ops and the same checks
 * (tests/kunit/pt_geom_cases.h) as the KUnit suite, in well under a second.
 *
 * Usage: pt_geom_user [RESULTS.tsv]   prints KTAP, appends tier lines.
 */
#include <string.h>
#include <linux/types.h>

unsigned long shim_warnings;

struct ptg_user_ctx {
	const char *what;
};

#define PTG_CTX struct ptg_user_ctx
#define PTG_FAIL(ctx, fmt, ...) \
	fprintf(stderr, "# %s: " fmt "\n", (ctx)->what, ##__VA_ARGS__)

static void *ptg_zalloc(size_t size)
{
	void *p = aligned_alloc(16, (size + 15) & ~(size_t)15);

	if (p)
		memset(p, 0, size);
	return p;
}

static void ptg_free(void *p)
{
	free(p);
}

#define PT_LEVEL_OPS_HEADER "pt_geom_levels.h"
#include <linux/pt_descent.h>
#include "pt_geom_cases.h"

int main(int argc, char **argv)
{
	size_t nc = sizeof(ptg_cases) / sizeof(ptg_cases[0]);
	size_t ng = sizeof(ptg_geoms) / sizeof(ptg_geoms[0]);
	FILE *tsv = argc > 1 ? fopen(argv[1], "a") : NULL;
	unsigned int n = 0, failed = 0;
	size_t c, g;

	printf("KTAP version 1\n1..%zu\n", nc * ng);
	for (c = 0; c < nc; c++) {
		for (g = 0; g < ng; g++) {
			char what[128];
			struct ptg_user_ctx ctx = { what };
			unsigned long warns = shim_warnings, checks;
			bool fail;

			snprintf(what, sizeof(what), "%s.%s", ptg_cases[c].name,
				 ptg_geoms[g].name);
			checks = ptg_run_case(&ctx, &ptg_geoms[g], ptg_cases[c].fn, &fail);
			/* No check made, or a warning in the walk, is a failure. */
			fail |= !checks || shim_warnings != warns;
			failed += fail;
			printf("%s %u %s # %lu checks\n", fail ? "not ok" : "ok", ++n,
			       what, checks);
			if (tsv)
				fprintf(tsv, "user\tgeometry.%s\t%s\n", what,
					fail ? "fail" : "pass");
		}
	}
	printf("# %u passed, %u failed\n", n - failed, failed);
	if (tsv)
		fclose(tsv);
	return failed ? 1 : 0;
}
