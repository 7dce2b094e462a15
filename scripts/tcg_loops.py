#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcg_loops.py OBJDUMP VMLINUX FUNCTION...: the loops of FUNCTIONs that
straddle a 4K page boundary of the kernel image.

Under QEMU TCG a translated block that spans two guest pages cannot be
chained to itself, so each iteration of such a loop goes through QEMU's
block lookup: the loop runs several times slower than the same code a few
bytes away (measured: pt_range_walk's skip loop, 1.4 ms against 0.22 ms for
the same scan in the next loop over).  On hardware nothing of the kind
happens.  make bench prints what this finds next to its numbers, so a
ratio that is an artefact of code placement is recognisable as one.

A loop is a backward jump of at most 256 bytes (an inner loop, not the
jump back from an out-of-line block); it straddles when its first and last
bytes are on different pages.  Prints one line per such loop.
"""
import re
import subprocess
import sys

objdump, vmlinux, funcs = sys.argv[1], sys.argv[2], sys.argv[3:]
syms = {}
for line in subprocess.run(['nm', '-S', vmlinux], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    f = line.split()
    if len(f) == 4 and f[3] in funcs and f[2] in 'tT':
        syms[f[3]] = (int(f[0], 16), int(f[1], 16))

JUMP = re.compile(r'^\s*([0-9a-f]+):\s+'
                  r'(j[a-z]*|b(?:\.[a-z]+)?|cbn?z|tbn?z)\s+'
                  r'(?:[wx]\d+,\s*(?:#0x[0-9a-f]+,\s*)?)?([0-9a-f]+)\b')
for name in funcs:
    if name not in syms:
        continue
    start, size = syms[name]
    out = subprocess.run([objdump, '-d', '--no-show-raw-insn',
                          '--start-address=%#x' % start,
                          '--stop-address=%#x' % (start + size), vmlinux],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        m = JUMP.match(line)
        if not m:
            continue
        at, target = int(m.group(1), 16), int(m.group(3), 16)
        if start <= target < at and at - target <= 256 and \
                target >> 12 != (at + 1) >> 12:
            print('%s+%#x: loop %#x..%#x straddles a page' %
                  (name, target - start, target, at))
