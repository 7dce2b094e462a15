#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mechanical formatting pass after spatch (cocci/*.cocci), kernel style.

spatch 1.1.1 prints added code (the pt_range_walk loops are `+` code) with a
few layout artefacts; this fixes exactly those and nothing else:
  - a function definition's opening brace printed after its header: "){"
  - "for(" and "a;b" in a for header, "iter (" after a loop macro
  - leading whitespace with 8 spaces in a row (continuation lines aligned
    with spaces only): re-encoded as tabs, then spaces
  - lines holding only whitespace, and the second of two empty lines

Each pattern is one that pristine Linux 6.12 fs/proc/task_mmu.c does not
contain, so on code spatch did not print the pass is a no-op (checked by
scripts/cocci_check.sh), and running it twice changes nothing.

Usage: fmt.py FILE...   (in place)
"""
import re
import sys

LOOP_MACROS = ("for_each_pt_range", "for_each_pt_range_folio")


def retab(line):
    m = re.match(r"[ \t]*", line)
    lead = m.group(0)
    if "        " not in lead and " \t" not in lead:
        return line
    width = len(lead.expandtabs(8))
    return "\t" * (width // 8) + " " * (width % 8) + line[len(lead):]


def for_header(m):
    inner = re.sub(r";(?=\S)", "; ", m.group(2))
    return m.group(1) + "for (" + inner + ")" + m.group(3)


def fix(text):
    lines = text.split("\n")
    out = []
    header = False      # inside a function header that began at column 0
    for line in lines:
        if line.strip() == "":
            line = ""
            if out and out[-1] == "":
                continue
        line = retab(line)
        # for(init;cond;step) -> for (init; cond; step)
        line = re.sub(r"^(\s*)for\((.*)\)(\s*\{?)$", for_header, line)
        for mac in LOOP_MACROS:
            line = re.sub(r"\b%s \(" % mac, mac + "(", line)
        if re.match(r"^[A-Za-z_][^;=]*\(", line):
            header = True
        if header and line.endswith("){"):
            out.append(line[:-1])
            out.append("{")
            header = False
            continue
        if header and (line.endswith(")") or line.endswith(";") or
                       line.endswith("{") or line == ""):
            header = False
        out.append(line)
    return "\n".join(out)


def main():
    for path in sys.argv[1:]:
        with open(path) as f:
            text = f.read()
        new = fix(text)
        if new != text:
            with open(path, "w") as f:
                f.write(new)


if __name__ == "__main__":
    main()
