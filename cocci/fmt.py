#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mechanical formatting pass after spatch (cocci/*.cocci), kernel style.

spatch 1.1.1 prints added code (the pt_range_walk loops are `+` code) with a
few layout artefacts; this fixes exactly those and nothing else:
  - a function definition's opening brace printed after its header: "){"
  - "for(" and "a;b" in a for header, "iter (" after a loop macro
  - leading whitespace with 8 spaces in a row (continuation lines aligned
    with spaces only): re-encoded as tabs, then spaces
  - lines holding only whitespace, and the second of two empty lines; such
    a line right after a preprocessor directive is dropped
  - "}" and "else" on lines of their own, for "} else"
  - "else" on a line of its own before an "if" one level deeper, for
    "else if": the inner if statement moves up a level
  - a conditional group left empty (#if ... #else ... #endif around blank
    lines only) by the deletion of the functions it held

Each pattern is one that pristine Linux 6.12 fs/proc/task_mmu.c does not
contain, so on code spatch did not print the pass is a no-op (checked by
scripts/cocci_check.sh), and running it twice changes nothing.

Usage: fmt.py FILE...   (in place)
"""
import re
import sys

LOOP_MACROS = ("for_each_pt_range", "for_each_pt_range_folio", "for_each_vma",
               "for_each_vma_range")


def retab(line):
    m = re.match(r"[ \t]*", line)
    lead = m.group(0)
    if "        " not in lead and " \t" not in lead:
        return line
    width = len(lead.expandtabs(8))
    return "\t" * (width // 8) + " " * (width % 8) + line[len(lead):]


def for_header(m):
    inner = re.sub(r";(?=[^\s;])", "; ", m.group(2))
    return m.group(1) + "for (" + inner + ")" + m.group(3)


def width(line):
    return len(re.match(r"[ \t]*", line).group(0).expandtabs(8))


def join_else(lines):
    """'}' then 'else', and 'else' then a deeper 'if', as spatch prints an
    if statement's else branch in added code."""
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if (nxt is not None and re.match(r"^\s*}$", line) and
                re.match(r"^\s*else\b", nxt) and width(line) == width(nxt)):
            out.append(line + " " + nxt.lstrip())
            i += 2
            continue
        if (nxt is not None and re.match(r"^\s*else$", line) and
                re.match(r"^\s*if \(", nxt) and
                width(nxt) == width(line) + 8):
            # The inner if statement: its own lines, and its closing
            # brace and else at its level.
            w = width(nxt)
            out.append(line + " " + nxt.lstrip())
            i += 2
            while i < len(lines) and lines[i] != "" and (
                    width(lines[i]) > w or
                    (width(lines[i]) == w and
                     re.match(r"^\s*(}|else\b)", lines[i]))):
                out.append(lines[i][1:] if lines[i].startswith("\t")
                           else lines[i][8:])
                i += 1
            continue
        out.append(line)
        i += 1
    return out


def drop_empty_groups(lines):
    """#if/#ifdef ... [#else] ... #endif with nothing but blank lines in
    it: the functions it held were deleted."""
    out = []
    i = 0
    while i < len(lines):
        if re.match(r"^#\s*if(n?def)?\b", lines[i]):
            j = i + 1
            while j < len(lines) and (lines[j].strip() == "" or
                                      re.match(r"^#\s*else\b", lines[j])):
                j += 1
            if j < len(lines) and re.match(r"^#\s*endif\b", lines[j]):
                i = j + 1
                # The blank line that separated the group goes with it.
                if out and out[-1] == "" and i < len(lines) and lines[i] == "":
                    i += 1
                continue
        out.append(lines[i])
        i += 1
    return out


def fix(text):
    lines = text.split("\n")
    out = []
    header = False      # inside a function header that began at column 0
    prev = ""
    for line in lines:
        if line.strip() == "":
            # spatch's indentation after a directive in added code.
            if line and prev.startswith("#"):
                continue
            line = ""
            if out and out[-1] == "":
                continue
        prev = line
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
    out = drop_empty_groups(out)
    # An else if chain comes up one level at a time.
    while True:
        joined = join_else(out)
        if joined == out:
            return "\n".join(out)
        out = joined


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
