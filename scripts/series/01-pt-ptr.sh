# shellcheck shell=bash
SUBJECT="mm: add struct pt_ptr and per-architecture page-table level-ops"
MSG=$(cat <<'M'
Code that walks page tables is written once per level today: pgd, p4d,
pud, pmd and pte each get their own loop, and thirteen families of those
cascades live in mm/ and arch/.  Add the pieces that let one piece of code
serve every level instead.

struct pt_ptr pairs an entry pointer with its level.  Levels count from the
leaf upward (0 = PTE, 4 = PGD, 5 = a sixth level) and are named by the span
of their entries, so a folded level does not exist as far as a walker is
concerned: descending from level N lands on N - 1, and folding at boot
(x86 LA57, arm64 LPA2) changes only the top level.  The root is looked up
per address, as architectures with several roots need.

The operations on entries (read, none/present/leaf/bad, contiguous span,
descend) are the architecture's level-ops, <asm/pt_levels.h>.  The generic
ones are written on the existing pXd_*() accessors and serve every
architecture as they are, through a mandatory-y asm-generic wrapper.  x86
and arm64 override what they know better: shifts as constants, the top
level from LA57/LPA2, PUD leaves, and arm64's contiguous PTE/PMD blocks.
M
)
FILES=(include/linux/pt_ptr.h include/asm-generic/pt_levels.h
       arch/x86/include/asm/pt_levels.h arch/arm64/include/asm/pt_levels.h)
edit() {
	sed -i 's/^mandatory-y += pgalloc.h$/&\nmandatory-y += pt_levels.h/' include/asm-generic/Kbuild
	grep -q 'pt_levels.h' include/asm-generic/Kbuild
}
