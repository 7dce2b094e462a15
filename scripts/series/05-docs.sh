# shellcheck shell=bash
SUBJECT="Documentation/mm: describe the level-generic page-table walk"
MSG=$(cat <<'M'
Describe the layers of the level-generic page-table walk (struct pt_ptr
and the level-ops, the descent, pt_walk_find(), pt_range_walk), how to use
the iterator, what is locked when a step is returned, how entries are
batched, and what the walk promises about completeness and misuse.
M
)
FILES=(Documentation/mm/pt_walk.rst)
edit() {
	sed -i 's/^   page_tables$/&\n   pt_walk/' Documentation/mm/index.rst
	grep -q '^   pt_walk$' Documentation/mm/index.rst
}
