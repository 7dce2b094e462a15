# shellcheck shell=bash
FILES=(include/linux/pt_ptr.h include/asm-generic/pt_levels.h
       arch/x86/include/asm/pt_levels.h arch/arm64/include/asm/pt_levels.h)
edit() {
	sed -i 's/^mandatory-y += pgalloc.h$/&\nmandatory-y += pt_levels.h/' include/asm-generic/Kbuild
	grep -q 'pt_levels.h' include/asm-generic/Kbuild
}
