# shellcheck shell=bash
FILES=(Documentation/mm/pt_walk.rst)
edit() {
	sed -i 's/^   page_tables$/&\n   pt_walk/' Documentation/mm/index.rst
	grep -q '^   pt_walk$' Documentation/mm/index.rst
}
