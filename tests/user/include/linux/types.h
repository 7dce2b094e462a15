/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim: just enough of the kernel's headers for <linux/pt_ptr.h>
 * and <linux/pt_descent.h> to compile unchanged, the way
 * tools/testing/vma builds mm code in userspace.
 */
#ifndef _SHIM_LINUX_TYPES_H
#define _SHIM_LINUX_TYPES_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint8_t u8;

#define BITS_PER_LONG		(8 * (int)sizeof(long))
#undef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#define noinline		__attribute__((__noinline__))
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))

/* A warning in the walk is a test failure: count it, say where. */
extern unsigned long shim_warnings;
#define WARN_ON_ONCE(cond) ({						\
	bool __c = !!(cond);						\
	if (__c) {							\
		shim_warnings++;					\
		fprintf(stderr, "WARNING at %s:%d\n", __FILE__, __LINE__); \
	}								\
	__c;								\
})

#endif
