#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Variants of a C file for the robustness tests of the cocci tier.

  variants.py layout SRC OUTDIR     the same code in other layouts, one
                                    file per kind (list: KINDS)
  variants.py shape SRC OUTDIR      one walker changed in shape per file:
                                    NAME.c and NAME.expect (the script that
                                    must refuse it)
  variants.py strip FILE            FILE without comments and blank lines,
                                    on stdout (before clang-format)

The layout variants change only what a C compiler ignores: the whitespace
between tokens (lines joined and broken, spaces, indentation, blank lines,
braces on lines of their own) and the comments (removed, added, reworded).
The file is split into tokens first (comments, string and character
literals, preprocessor lines with their continuations, operators by longest
match), and two tokens are only ever glued when they lex back the same, so
no variant can change the code.  Preprocessor lines stay lines of their own.
"""
import os
import re
import sys

OPS = sorted("""
>>= <<= ... -> ++ -- << >> <= >= == != && || += -= *= /= %= &= ^= |= ##
""".split(), key=len, reverse=True)

PP = re.compile(r"\#(?:/\*.*?\*/|[^\n\\/]|/(?!\*)|\\.|\\\n)*", re.S)
TOKEN = re.compile(r"""
    (?P<block>/\*.*?\*/)
  | (?P<line>//[^\n]*)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<chr>'(?:[^'\\\n]|\\.)*')
  | (?P<ws>[ \t\n]+)
  | (?P<word>[A-Za-z_]\w*|\.?[0-9](?:[eEpP][+-]|[\w.])*)
  | (?P<op>%s)
  | (?P<punct>.)
""" % "|".join(re.escape(o) for o in OPS), re.X | re.S)


def lex(text):
    """[(kind, text)], whitespace included."""
    toks = []
    pos = 0
    while pos < len(text):
        # A directive: # first on its line, to the end of the line.
        if text[pos] == "#" and text[text.rfind("\n", 0, pos) + 1:pos].strip() == "":
            m = PP.match(text, pos)
            toks.append(("pp", m.group(0)))
            pos = m.end()
            continue
        m = TOKEN.match(text, pos)
        kind = m.lastgroup
        toks.append((kind, m.group(kind)))
        pos = m.end()
    return toks


def code(toks):
    return [t for t in toks if t[0] != "ws"]


def glue_ok(a, b):
    """Whether tokens a and b may touch: they lex back as a and b."""
    if a[0] in ("pp", "line") or b[0] == "pp":
        return False
    return [t[1] for t in lex(a[1] + b[1])] == [a[1], b[1]]


def emit(items):
    """items: tokens and whitespace decisions -> text.  A preprocessor
    line and a // comment always end their line."""
    out = []
    for i, (kind, text) in enumerate(items):
        if kind == "ws":
            out.append(text)
            continue
        if kind == "pp" and out and not out[-1].endswith("\n"):
            out.append("\n")
        out.append(text)
        if kind in ("pp", "line"):
            nxt = items[i + 1] if i + 1 < len(items) else None
            if nxt is None or nxt[0] != "ws" or "\n" not in nxt[1]:
                out.append("\n")
    text = "".join(out)
    return re.sub(r"\n{3,}", "\n\n", text)


def depths(toks):
    """Parenthesis depth before each token."""
    d, res = 0, []
    for kind, text in toks:
        res.append(d)
        if kind == "punct" and text in "([":
            d += 1
        elif kind == "punct" and text in ")]":
            d -= 1
    return res


def rewrap(toks):
    """Lines broken inside parentheses joined; long calls broken after each
    comma instead."""
    out = []
    ds = depths(toks)
    for i, (kind, text) in enumerate(toks):
        if kind == "ws" and ds[i] > 0 and "\n" in text:
            prev, nxt = toks[i - 1], toks[i + 1] if i + 1 < len(toks) else None
            if prev[0] not in ("pp", "line") and nxt and nxt[0] != "pp":
                out.append(("ws", " "))
                continue
        out.append((kind, text))
        if kind == "punct" and text == "," and ds[i] > 1 and \
           i + 1 < len(toks) and toks[i + 1] == ("ws", " "):
            out.append(("ws", "\n\t\t\t"))
            toks[i + 1] = ("ws", "")
    return out


def spacing(toks):
    """Spaces removed around operators where allowed, and added inside
    parentheses and before commas."""
    out = []
    for i, (kind, text) in enumerate(toks):
        if kind == "ws" and "\n" not in text and 0 < i < len(toks) - 1:
            a, b = toks[i - 1], toks[i + 1]
            if (a[0] in ("op", "punct") or b[0] in ("op", "punct")) and \
               glue_ok(a, b):
                continue
            out.append(("ws", "  "))
            continue
        out.append((kind, text))
        if kind == "punct" and text == "(":
            out.append(("ws", " "))
        if kind == "punct" and text in ",;" and i + 1 < len(toks) and \
           toks[i + 1][0] != "ws":
            out.append(("ws", " "))
    return out


def no_comments(toks):
    out = []
    for kind, text in toks:
        if kind == "block":
            out.append(("ws", "\n" if "\n" in text else " "))
        elif kind == "line":
            out.append(("ws", " "))
        else:
            out.append((kind, text))
    return out


def add_comments(toks):
    """A comment after every opening brace and statement, and inside
    argument lists."""
    out = []
    n = 0
    for kind, text in toks:
        out.append((kind, text))
        if kind == "punct" and text in "{;":
            n += 1
            out.append(("ws", " "))
            out.append(("block", "/* v%d */" % n if n % 3 else "/* variant\n * comment %d */" % n))
        elif kind == "punct" and text == "," and n % 5 == 0:
            n += 1
            out.append(("ws", " "))
            out.append(("block", "/* arg */"))
    return out


def reword(toks):
    out = []
    for kind, text in toks:
        if kind == "block" and not text.startswith("/**"):
            text = "/* " + " ".join(reversed(text[2:-2].split())) + " (reworded) */"
        elif kind == "line":
            text = "// reworded: " + text[2:].strip()
        out.append((kind, text))
    return out


def blank_lines(toks):
    """Blank lines removed, then one after every statement."""
    out = []
    for kind, text in toks:
        if kind == "ws" and text.count("\n") > 1:
            text = "\n" + text.rsplit("\n", 1)[1]
        out.append((kind, text))
    res = []
    for i, (kind, text) in enumerate(out):
        res.append((kind, text))
        if kind == "punct" and text == ";" and i + 1 < len(out) and \
           out[i + 1][0] == "ws" and "\n" in out[i + 1][1]:
            res.append(("ws", "\n"))
    return res


def braces(toks):
    """Opening braces on lines of their own, indentation in spaces."""
    out = []
    for i, (kind, text) in enumerate(toks):
        if kind == "punct" and text == "{" and i > 0 and \
           toks[i - 1] == ("ws", " ") and out and out[-1] == ("ws", " "):
            out[-1] = ("ws", "\n")
        if kind == "ws" and "\n" in text:
            head, tail = text.rsplit("\n", 1)
            text = head + "\n" + tail.expandtabs(8).replace("        ", "    ")
        out.append((kind, text))
    return out


KINDS = {
    "rewrap": [rewrap],
    "spacing": [spacing],
    "nocomments": [no_comments],
    "morecomments": [add_comments],
    "reworded": [reword],
    "blanklines": [blank_lines],
    "braces": [braces],
    "all": [no_comments, add_comments, rewrap, spacing, blank_lines, braces],
}


def layout(src, outdir):
    toks = lex(open(src).read())
    want = code(toks)
    for name, passes in KINDS.items():
        t = list(toks)
        for p in passes:
            t = p(t)
        text = emit(t)
        got = code(lex(text))
        # Nothing but comments and whitespace changed.
        strip = [x for x in got if x[0] not in ("block", "line")]
        if strip != [x for x in want if x[0] not in ("block", "line")]:
            sys.exit("variants.py: %s changed the code" % name)
        with open(os.path.join(outdir, name + ".c"), "w") as f:
            f.write(text)


# Shape changes: (name, the script that must refuse it, function, old, new).
SHAPES = [
    ("split", "pagemap_thp_split", "pagemap_pmd_range",
     "frame += (1 << MAX_SWAPFILES_SHIFT);",
     "frame += (2 << MAX_SWAPFILES_SHIFT);"),
    ("smaps", "smaps", "smaps_pte_range",
     "\tpte_unmap_unlock(pte - 1, ptl);",
     "\tsmaps_pte_table_done(walk);\n\tpte_unmap_unlock(pte - 1, ptl);"),
    ("numa_maps", "numa_maps", "gather_stats",
     "int count = folio_precise_page_mapcount(folio, page);",
     "int count = folio_mapcount(folio);"),
    ("pagemap", "pagemap", "pagemap_pmd_range",
     "pme = pte_to_pagemap_entry(pm, vma, addr, ptep_get(pte));",
     "pme = pte_to_pagemap_entry(pm, vma, addr, ptep_get_lockless(pte));"),
    # The soft-dirty mechanism moves into pt_range_walk: not if it differs.
    ("clear_refs", "clear_refs", "clear_soft_dirty",
     "ptent = pte_clear_soft_dirty(ptent);",
     "ptent = pte_mkclean(pte_clear_soft_dirty(ptent));"),
    # The walk flushes per table: not if the walker flushed otherwise.
    ("pagemap_scan", "pagemap_scan", "pagemap_scan_pmd_entry",
     "flush_tlb_range(vma, start, addr);",
     "flush_tlb_mm(vma->vm_mm);"),
]


def function_span(text, name):
    m = re.search(r"^[a-z][^;(]*\b%s\([^;]*?\)\n\{\n" % name, text, re.M)
    if not m:
        sys.exit("variants.py: no %s() in the file" % name)
    end = text.index("\n}\n", m.end())
    return m.start(), end


def shape(src, outdir):
    text = open(src).read()
    for name, script, fn, old, new in SHAPES:
        a, b = function_span(text, fn)
        body = text[a:b]
        if body.count(old) != 1:
            sys.exit("variants.py: %s() has no single %r" % (fn, old))
        with open(os.path.join(outdir, name + ".c"), "w") as f:
            f.write(text[:a] + body.replace(old, new) + text[b:])
        with open(os.path.join(outdir, name + ".expect"), "w") as f:
            f.write(script + "\n")


def strip(path):
    toks = [(k, re.sub(r"\s*(/\*.*?\*/|//.*)", "", t, flags=re.S) if k == "pp" else t)
            for k, t in no_comments(lex(open(path).read()))]
    text = emit(toks)
    lines = [l.rstrip() for l in text.split("\n")]
    sys.stdout.write("\n".join(l for l in lines if l) + "\n")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "layout":
        layout(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "shape":
        shape(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "strip":
        strip(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
