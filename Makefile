# SPDX-License-Identifier: GPL-2.0
# pt_walk: the project's entry point.  See README.md.
#
#   make              the main job: deps, tree, series, x86_64 build, boot,
#                     KUnit, and where everything is
#   make check        every test tier; ends with "N passed, N failed"
#   make check-quick  the tiers that need no kernel build
#   make check-geometries  KUnit, boot, e2e and selftests on other granules
#                     (GEOMETRIES=arm64-64k; see tests/config/ARCH-NAME.config)
#   make e2e          /proc end-to-end: stock and patched kernels (built
#                     before, e.g. by make build-x86_64) print the same
#                     /proc, case by case; WORKLOADS=DIR adds DIR/*.c
#   make e2e-determinism  the same cases on two boots of the stock kernel
#   make selftests    the kernel's mm (walker users) and proc selftests, stock vs patched
#   make stress       debug kernels (KASAN, lockdep), stock and patched, under
#                     concurrent page-table churn: STRESS_SECONDS (600)
#   make bench        walkers side by side (kernel, /proc, userspace) on
#                     benchmark kernels, x86_64 and arm64: out/bench/
#                     (README.md, ratios.png, *.csv); BENCH_MB, BENCH_REPS,
#                     BENCH_BOOTS, BENCH_ICOUNT=1
#   make kunit-py     the KUnit suites through the kernel's kunit.py run
#                     (KUNIT_ARCH=riscv64, the default, x86_64 or arm64)
#   make convert      re-run the Coccinelle conversions (cocci/) on
#                     fs/proc/task_mmu.c of the series checkout (KDIR-aware),
#                     or of TREE=dir; a converted tree is left as it is

SHELL := /bin/bash
S := scripts
ARCHES := x86_64 arm64

.PHONY: all deps tree patches apply build-% boot-% kunit check check-quick \
	check-geometries build-matrix kunit-py \
	user bench bench-user fuzz stress e2e e2e-determinism selftests convert clean help

all: deps
	@$(S)/main.sh

help:
	@sed -n '2,26p' Makefile

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/tree.sh

patches: tree
	@$(S)/patches.sh

apply: patches
	@$(S)/apply.sh

convert: deps
	@$(S)/convert.sh

build-matrix: apply
	@$(S)/build_matrix.sh

build-%: apply
	@$(S)/build.sh $* stock
	@$(S)/build.sh $* patched

user:
	@$(MAKE) -s -C tests/user

bench: deps patches
	@ARCHES="$(ARCHES)" $(S)/bench.sh

kunit-py: apply
	@$(S)/kunit_py.sh $(or $(KUNIT_ARCH),riscv64)

bench-user:
	@$(MAKE) -s -C tests/user bench

fuzz:
	@$(MAKE) -s -C tests/user fuzz-run

check: deps
	@$(S)/check.sh full

check-quick: deps
	@$(S)/check.sh quick

check-geometries: deps
	@$(S)/check.sh geometries

e2e:
	@ARCHES="$(ARCHES)" WORKLOADS="$(WORKLOADS)" $(S)/e2e.sh

e2e-determinism:
	@E2E_MODE=determinism ARCHES="$(ARCHES)" WORKLOADS="$(WORKLOADS)" $(S)/e2e.sh

selftests:
	@ARCHES="$(ARCHES)" $(S)/selftests.sh

stress: apply
	@ARCHES="$(ARCHES)" STRESS_SECONDS="$(or $(STRESS_SECONDS),600)" $(S)/stress.sh

clean:
	rm -rf out build/kbuild build/user build/matrix
