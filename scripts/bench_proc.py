#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The parsing and arithmetic half of scripts/bench_proc.sh.

  bench_proc.py boot LOG VARIANT N RAW SKIPS
      Parse one boot's console (tests/bench/proc_bench.c's PROCBENCH lines),
      append its timings to RAW (TSV: variant boot case file ms bytes
      checksum) and its skipped cases to SKIPS (TSV: variant boot case
      reason), and print a one-line summary.  Exit 1 with a one-line cause
      when the program did not run to its end, reported an error, or read
      one file two different ways in one boot.

  bench_proc.py csv ARCH RAW SKIPS CSV
      Check that every boot of both kernels read the same bytes and
      checksum for each case and file, then write CSV (arch,case,file,
      stock_ms,converted_ms,ratio): medians across boots of the per-boot
      medians, ratio = converted/stock.  Exit 1 with a one-line cause on a
      disagreement; no CSV is written then.
"""
import re
import statistics
import sys

FILES = ["smaps", "smaps_rollup", "numa_maps", "pagemap", "pagemap_scan"]
CASES = ["4k", "sparse", "mthp64k", "thp", "hugetlb2m", "swap"]
VNAME = {"stock": "stock", "patched": "converted"}


def fail(msg):
    print("error: " + msg, file=sys.stderr)
    sys.exit(1)


def order(case, file):
    c = CASES.index(case) if case in CASES else len(CASES)
    f = FILES.index(file) if file in FILES else len(FILES)
    return (c, case, f, file)


def boot(log, variant, n, raw, skips):
    rows, skipped, errors, unstable = [], [], [], []
    begun = ended = False
    with open(log, errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            m = re.match(r"^PROCBENCH(-[A-Z]+)? ?(.*)$", line)
            if not m:
                continue
            kind, rest = m.group(1) or "", m.group(2)
            if kind == "-BEGIN":
                begun = True
            elif kind == "-END":
                ended = True
            elif kind == "":
                f = rest.split()
                if len(f) != 5:
                    errors.append("malformed line: " + line)
                    continue
                rows.append(f)
            elif kind == "-SKIP":
                case, _, reason = rest.partition(" ")
                skipped.append((case, reason))
            elif kind == "-ERROR":
                errors.append(rest)
            elif kind == "-UNSTABLE":
                unstable.append(rest)
    where = "%s boot %s (log: %s)" % (VNAME[variant], n, log)
    if not begun:
        fail("proc bench: the benchmark never started in %s" % where)
    if errors:
        fail("proc bench: %s in %s" % (errors[0], where))
    if not ended:
        fail("proc bench: the program did not reach its end in %s" % where)
    if unstable:
        fail("proc bench: two reads of %s differed within %s" % (unstable[0], where))
    with open(raw, "a") as fh:
        for case, file, ms, nbytes, ck in rows:
            fh.write("\t".join([variant, str(n), case, file, ms, nbytes, ck]) + "\n")
    with open(skips, "a") as fh:
        for case, reason in skipped:
            fh.write("\t".join([variant, str(n), case, reason]) + "\n")
    summary = ", ".join("%s/%s %s" % (r[0], r[1], r[2]) for r in rows if r[1] == "smaps")
    print("%d timings, %d skipped%s%s" % (
        len(rows), len(skipped),
        " (" + ", ".join("%s: %s" % s for s in skipped) + ")" if skipped else "",
        "; smaps ms: " + summary if summary else ""))


def csv(arch, raw, skips, out):
    data = {}
    with open(raw) as fh:
        for line in fh:
            variant, n, case, file, ms, nbytes, ck = line.rstrip("\n").split("\t")
            data.setdefault((case, file), {}).setdefault(variant, []).append(
                (int(n), float(ms), int(nbytes), ck))
    skipped = {}
    with open(skips) as fh:
        for line in fh:
            variant, n, case, reason = line.rstrip("\n").split("\t", 3)
            skipped.setdefault(case, []).append("%s boot %s: %s" % (VNAME[variant], n, reason))
    # The same bytes and checksum from every boot of both kernels.
    for key in sorted(data, key=lambda k: order(*k)):
        seen = {}
        for variant in ("stock", "patched"):
            for n, _, nbytes, ck in data[key].get(variant, []):
                seen.setdefault((nbytes, ck), []).append("%s boot %d" % (VNAME[variant], n))
        if len(seen) > 1:
            desc = "; ".join("%d bytes cksum %s in %s" % (b, c, ", ".join(w))
                             for (b, c), w in seen.items())
            fail("proc bench: %s %s differs between boots: %s" % (key[0], key[1], desc))
    lines = ["arch,case,file,stock_ms,converted_ms,ratio"]
    for key in sorted(data, key=lambda k: order(*k)):
        s, p = data[key].get("stock"), data[key].get("patched")
        if not s or not p:
            continue
        sm = statistics.median(x[1] for x in s)
        pm = statistics.median(x[1] for x in p)
        ratio = "%.3f" % (pm / sm) if sm > 0 else "nan"
        lines.append("%s,%s,%s,%.3f,%.3f,%s" % (arch, key[0], key[1], sm, pm, ratio))
    with open(out, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    for case in sorted(skipped, key=lambda c: order(c, "")):
        print("warning: proc bench: case %s skipped (%s)" % (case, "; ".join(skipped[case])),
              file=sys.stderr)


def main():
    if len(sys.argv) == 7 and sys.argv[1] == "boot":
        boot(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "csv":
        csv(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
