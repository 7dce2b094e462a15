#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The tables, targets and plot script of scripts/bench_report.sh.

  bench_report.py BENCH_DIR FACTS PLOT_DIR

Reads whichever of BENCH_DIR/kernel-ARCH.csv, proc-ARCH.csv (with
proc-ARCH.meta and proc-ARCH-skips.tsv from scripts/bench_proc.sh) and
user.csv exist, and writes BENCH_DIR/README.md: the tables, and every
target marked met, missed or no data, computed from the rows.  PLOT_DIR
gets ratios.gp and its data files, which bench_report.sh hands to gnuplot
(output BENCH_DIR/ratios.png).  FACTS holds key=value lines from the shell
(date, the QEMU settings of each arch, the QEMU mode).
"""
import csv
import glob
import os
import sys

ARCHES = ["x86_64", "arm64"]
CASES = ["4k", "sparse", "mthp64k", "thp", "hugetlb2m", "swap"]
FILES = ["smaps", "smaps_rollup", "numa_maps", "pagemap", "pagemap_scan"]
WALKERS = ["bare", "pmd_entry", "pte_entry", "pt_range_walk"]
KERNEL_HDR = ["arch", "case", "work", "walker", "ns_median", "ns_min",
              "ratio_vs_bare", "ratio_vs_pmd_entry"]
PROC_HDR = ["arch", "case", "file", "stock_ms", "converted_ms", "ratio"]
USER_HDR = ["geometry", "layout", "walker", "entries", "instructions", "instr_per_entry"]


def fail(msg):
    print("error: " + msg, file=sys.stderr)
    sys.exit(1)


def arch_of(name):
    """x86_64-bench -> x86_64: the targets are per arch."""
    return name[:-len("-bench")] if name.endswith("-bench") else name


def rank(seq, x):
    return (seq.index(x), x) if x in seq else (len(seq), x)


def read_csv(path, header):
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows or rows[0] != header:
        fail("%s: header is not %s" % (path, ",".join(header)))
    out = []
    for n, r in enumerate(rows[1:], 2):
        if not r:
            continue
        if len(r) != len(header):
            fail("%s:%d: %d fields, want %d" % (path, n, len(r), len(header)))
        out.append(dict(zip(header, r)))
    return out


def num(s):
    try:
        return float(s)
    except ValueError:
        return None


def read_kv(path):
    kv = {}
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                k, sep, v = line.rstrip("\n").partition("=")
                if sep:
                    kv[k] = v
    return kv


def fmt(x, digits=3):
    return "-" if x is None else "%.*f" % (digits, x)


def table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join(str(c) for c in r) + " |")
    return lines


class Report:
    def __init__(self, bench, facts):
        self.bench = bench
        self.facts = facts
        self.kernel = []
        for path in sorted(glob.glob(os.path.join(bench, "kernel-*.csv"))):
            self.kernel += read_csv(path, KERNEL_HDR)
        self.proc, self.proc_meta, self.proc_skips = [], {}, {}
        for path in sorted(glob.glob(os.path.join(bench, "proc-*.csv"))):
            rows = read_csv(path, PROC_HDR)
            self.proc += rows
            a = os.path.basename(path)[len("proc-"):-len(".csv")]
            self.proc_meta[a] = read_kv(os.path.join(bench, "proc-%s.meta" % a))
            sk = os.path.join(bench, "proc-%s-skips.tsv" % a)
            if os.path.exists(sk):
                with open(sk) as fh:
                    self.proc_skips[a] = [l.rstrip("\n").split("\t", 3) for l in fh if l.strip()]
        self.user = []
        path = os.path.join(bench, "user.csv")
        if os.path.exists(path):
            self.user = read_csv(path, USER_HDR)
        for r in self.kernel + self.proc:
            r["arch"] = arch_of(r["arch"])
        archs = {r["arch"] for r in self.kernel + self.proc}
        self.arches = ARCHES + sorted(archs - set(ARCHES))

    # ---- targets -----------------------------------------------------------
    def kernel_vals(self, arch, work, column, cases):
        return [(num(r[column]), r["case"]) for r in self.kernel
                if r["arch"] == arch and r["work"] == work and r["walker"] == "pt_range_walk"
                and (cases is None or r["case"] in cases)]

    def proc_vals(self, arch, cases, files):
        return [(num(r["ratio"]), "%s %s" % (r["case"], r["file"])) for r in self.proc
                if r["arch"] == arch and (cases is None or r["case"] in cases)
                and (files is None or r["file"] in files)]

    def user_vals(self):
        ipe = {}
        for r in self.user:
            ipe[(r["geometry"], r["layout"], r["walker"])] = num(r["instr_per_entry"])
        out = {}
        for (g, lay, w), v in ipe.items():
            c = ipe.get((g, lay, "cascade"))
            if lay == "dense" and w == "descent" and v is not None and c:
                out[g] = [(v / c, "dense")]
        return out

    def targets(self):
        """(target, scope, limit, [(value, where)]) for every target and scope."""
        T = []
        for a in self.arches:
            T.append(("kernel resolve: pt_range_walk/bare", "%s, 4k and sparse" % a, 1.10,
                      self.kernel_vals(a, "resolve", "ratio_vs_bare", ("4k", "sparse"))))
        for a in self.arches:
            T.append(("kernel resolve: pt_range_walk/pmd_entry", "%s, every case" % a, 1.0,
                      self.kernel_vals(a, "resolve", "ratio_vs_pmd_entry", None)))
        T.append(("kernel resolve: pt_range_walk/pmd_entry", "x86_64, mthp64k", 0.5,
                  self.kernel_vals("x86_64", "resolve", "ratio_vs_pmd_entry", ("mthp64k",))))
        T.append(("kernel resolve: pt_range_walk/pmd_entry", "arm64, mthp64k", 0.1,
                  self.kernel_vals("arm64", "resolve", "ratio_vs_pmd_entry", ("mthp64k",))))
        for a in self.arches:
            T.append(("kernel resolve: pt_range_walk/pmd_entry", "%s, thp" % a, 0.5,
                      self.kernel_vals(a, "resolve", "ratio_vs_pmd_entry", ("thp",))))
        for a in self.arches:
            T.append(("kernel presence: pt_range_walk/bare", "%s, every case" % a, 1.10,
                      self.kernel_vals(a, "presence", "ratio_vs_bare", None)))
        uv = self.user_vals()
        geoms = sorted({r["geometry"] for r in self.user}) or ["(any geometry)"]
        for g in geoms:
            T.append(("user: descent/cascade instructions per entry", "%s, dense" % g, 1.05,
                      uv.get(g, [])))
        for a in self.arches:
            T.append(("proc: converted/stock", "%s, every case and file" % a, 1.0,
                      self.proc_vals(a, None, None)))
        three = ("smaps_rollup", "smaps", "numa_maps")
        T.append(("proc: converted/stock, smaps_rollup, smaps, numa_maps", "x86_64, mthp64k", 0.5,
                  self.proc_vals("x86_64", ("mthp64k",), three)))
        T.append(("proc: converted/stock, smaps_rollup, smaps, numa_maps", "arm64, mthp64k", 0.3,
                  self.proc_vals("arm64", ("mthp64k",), three)))
        T.append(("proc: converted/stock, pagemap", "arm64, mthp64k", 0.5,
                  self.proc_vals("arm64", ("mthp64k",), ("pagemap",))))
        return T

    def target_rows(self):
        rows, n = [], {"met": 0, "missed": 0, "no data": 0}
        for name, scope, limit, vals in self.targets():
            vals = [(v, w) for v, w in vals]
            if not vals:
                verdict, worst = "no data", "-"
            elif any(v is None for v, _ in vals):
                verdict = "missed"
                worst = "unreadable value (%s)" % ", ".join(w for v, w in vals if v is None)
            else:
                v, w = max(vals)
                worst = "%.3f (%s)" % (v, w) if len(vals) > 1 else "%.3f" % v
                verdict = "met" if all(x <= limit + 1e-12 for x, _ in vals) else "missed"
            n[verdict] += 1
            over = sum(1 for v, _ in vals if v is not None and v > limit + 1e-12)
            rows.append([name, scope, "≤ %.2f" % limit, worst,
                         "%d/%d" % (len(vals) - over, len(vals)) if vals else "0/0",
                         "**%s**" % verdict])
        return rows, n

    # ---- tables --------------------------------------------------------------
    def kernel_tables(self):
        out = []
        for a in self.arches:
            rows = [r for r in self.kernel if r["arch"] == a]
            if not rows:
                continue
            by = {}
            for r in rows:
                by.setdefault((r["case"], r["work"]), {})[r["walker"]] = r
            body = []
            for (case, work) in sorted(by, key=lambda k: (rank(CASES, k[0]), k[1])):
                w = by[(case, work)]
                prw = w.get("pt_range_walk", {})
                body.append([case, work] + [w[x]["ns_median"] if x in w else "-" for x in WALKERS]
                            + [prw.get("ratio_vs_bare", "-"), prw.get("ratio_vs_pmd_entry", "-")])
            out += ["", "### %s" % a, ""]
            out += table(["case", "work"] + ["%s ns" % x for x in WALKERS]
                         + ["pt_range_walk/bare", "pt_range_walk/pmd_entry"], body)
        return out

    def proc_tables(self):
        out = []
        for a in self.arches:
            rows = [r for r in self.proc if r["arch"] == a]
            meta = self.proc_meta.get(a, {})
            if not rows and a not in self.proc_meta:
                continue
            out += ["", "### %s" % a, ""]
            geom = meta.get("geometry", "?")
            out.append("Mapping: **%s MiB per case**; %s boots of each kernel, alternating; "
                       "%s timed samples per file and boot; kernels %s-{stock,patched}; "
                       "clock: %s; kernel arguments: %s; measured %s." % (
                           meta.get("mb", "?"), meta.get("boots", "?"), meta.get("reps", "?"),
                           geom, meta.get("clock", "?"), meta.get("kernel_args", "?"),
                           meta.get("date", "?")))
            if geom != "?" and not geom.endswith("-bench"):
                out += ["", "**Warning:** these are the test kernels (%s: DEBUG_VM, PROVE_LOCKING, "
                        "DEBUG_ATOMIC_SLEEP), not the benchmark kernels." % geom]
            out.append("")
            rows.sort(key=lambda r: (rank(CASES, r["case"]), rank(FILES, r["file"])))
            out += table(["case", "file", "stock ms", "converted ms", "converted/stock"],
                         [[r["case"], r["file"], r["stock_ms"], r["converted_ms"], r["ratio"]]
                          for r in rows])
            skips = self.proc_skips.get(a, [])
            if skips:
                out += ["", "Skipped (no row above where a kernel has no data):", ""]
                for v, n, case, reason in skips:
                    out.append("- %s, %s boot %s: %s" % (
                        case, "converted" if v == "patched" else v, n, reason))
        return out

    def user_table(self):
        if not self.user:
            return []
        ipe = {}
        for r in self.user:
            ipe.setdefault((r["geometry"], r["layout"]), {})[r["walker"]] = num(r["instr_per_entry"])
        body = []
        for (g, lay), w in ipe.items():
            d, c, cb = w.get("descent"), w.get("cascade"), w.get("callback")
            body.append([g, lay, fmt(d, 2), fmt(c, 2), fmt(cb, 2),
                         fmt(d / c if d is not None and c else None)])
        return table(["geometry", "layout", "descent", "cascade", "callback",
                      "descent/cascade"], body)

    # ---- plot --------------------------------------------------------------
    def plot(self, pdir):
        panels = []

        def dat(name, head, rows):
            path = os.path.join(pdir, name)
            with open(path, "w") as fh:
                fh.write("# " + " ".join(head) + "\n")
                for r in rows:
                    fh.write(" ".join(r) + "\n")
            return path

        for a in self.arches:
            by = {}
            for r in self.kernel:
                if r["arch"] == a and r["walker"] == "pt_range_walk":
                    by[(r["case"], r["work"])] = r
            if by:
                keys = sorted(by, key=lambda k: (rank(CASES, k[0]), k[1]))
                p = dat("kernel-%s.dat" % a, ["label", "vs_bare", "vs_pmd_entry"],
                        [["%s/%s" % k, by[k]["ratio_vs_bare"], by[k]["ratio_vs_pmd_entry"]]
                         for k in keys])
                panels.append(("kernel walk, %s: pt_range_walk / bare and / pmd_entry "
                               "(ns median; case/work)" % a, p,
                               ["pt_range_walk/bare", "pt_range_walk/pmd_entry"]))
        for a in self.arches:
            rows = [r for r in self.proc if r["arch"] == a]
            if rows:
                cases = sorted({r["case"] for r in rows}, key=lambda c: rank(CASES, c))
                files = [f for f in FILES if any(r["file"] == f for r in rows)]
                ratio = {(r["case"], r["file"]): r["ratio"] for r in rows}
                p = dat("proc-%s.dat" % a, ["case"] + files,
                        [[c] + [ratio.get((c, f), "NaN") for f in files] for c in cases])
                mb = self.proc_meta.get(a, {}).get("mb", "?")
                panels.append(("/proc read, %s: converted / stock (%s MiB per case)" % (a, mb),
                               p, files))
        uv = {}
        for r in self.user:
            uv.setdefault((r["geometry"], r["layout"]), {})[r["walker"]] = num(r["instr_per_entry"])
        urows = []
        for (g, lay), w in uv.items():
            c = w.get("cascade")
            if c:
                urows.append(["%s/%s" % (g, lay)] + [
                    "%.3f" % (w[x] / c) if w.get(x) is not None else "NaN"
                    for x in ("descent", "callback")])
        if urows:
            p = dat("user.dat", ["label", "descent", "callback"], urows)
            panels.append(("userspace (callgrind): instructions per entry / cascade",
                           p, ["descent/cascade", "callback/cascade"]))
        if not panels:
            return False
        gp = [
            "set terminal pngcairo size 1400,%d font 'sans,10' noenhanced" % (340 * len(panels)),
            "set output '%s'" % os.path.join(self.bench, "ratios.png"),
            "set multiplot layout %d,1" % len(panels),
            "set style data histograms",
            "set style histogram clustered gap 1",
            "set style fill solid 0.8 border -1",
            "set boxwidth 0.9",
            "set grid ytics",
            "set yrange [0:*]",
            "set ylabel 'ratio'",
            "set xtics rotate by -35 scale 0",
            "set key outside right top",
        ]
        for title, path, cols in panels:
            gp.append("set title \"%s\"" % title.replace('"', "'"))
            gp.append("set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc rgb 'red' front")
            series = ["'%s' using %d:xtic(1) title '%s'" % (path, i + 2, c) if i == 0 else
                      "'' using %d title '%s'" % (i + 2, c) for i, c in enumerate(cols)]
            gp.append("plot " + ", ".join(series))
        gp.append("unset multiplot")
        with open(os.path.join(pdir, "ratios.gp"), "w") as fh:
            fh.write("\n".join(gp) + "\n")
        return True

    # ---- README ------------------------------------------------------------
    def readme(self, have_plot):
        f = self.facts
        mode = f.get("qemu_mode", "tcg")
        mode_txt = {"tcg": "TCG (plain, no KVM): time is the host's time",
                    "tcg-icount": "TCG with `-icount shift=0` (a virtual clock counting "
                                  "guest instructions: reproducible, blind to memory costs)"
                    }.get(mode, mode)
        out = ["# Benchmarks: pt_range_walk against the walkers it replaces", "",
               "Generated %s by `make bench` (`scripts/bench_report.sh`, from the CSVs next "
               "to this file; every number and every verdict below is computed from them)." %
               f.get("date", "?"), "",
               "QEMU mode: %s." % mode_txt, ""]
        for a in self.arches:
            if f.get("qemu_%s" % a):
                out.append("- %s: %s" % (a, f["qemu_%s" % a]))
        rows, n = self.target_rows()
        out += ["", "## Targets", "",
                "%d met, %d missed, %d without data (a target with no rows in the CSVs "
                "is not met)." % (n["met"], n["missed"], n["no data"]), ""]
        out += table(["target", "scope", "limit", "worst", "rows within", "result"], rows)
        if have_plot:
            out += ["", "![ratios](ratios.png)", "",
                    "`ratios.png`: one panel per arch and benchmark; the dashed line is 1."]
        if self.kernel:
            out += ["", "## Kernel: one walk over a mapping (`kernel-ARCH.csv`)", "",
                    "The `pt_range_walk_bench` KUnit suite of the patched benchmark kernel: "
                    "median ns per walk of each walker (`bare`: a hand-written scan; "
                    "`pmd_entry`, `pte_entry`: `walk_page_range()` with that callback; "
                    "`pt_range_walk`: the iterator); `presence` only counts what is mapped, "
                    "`resolve` finds each folio."]
            out += self.kernel_tables()
        if self.proc:
            out += ["", "## /proc reads, stock against converted (`proc-ARCH.csv`)", "",
                    "`tests/bench/proc_bench.c` in the guest: one mapping per case, a forked "
                    "child keeping a copy; ms per whole read of `/proc/self/smaps`, "
                    "`smaps_rollup`, `numa_maps` and of the mapping's range of "
                    "`/proc/self/pagemap`; median of each boot's median.  Every boot of both "
                    "kernels read the same text (device and inode numbers of VMA lines and "
                    "numa_maps' `active=` counts left out) and the same pagemap flags (PFNs and "
                    "swap offsets left out), or the benchmark fails."]
            out += self.proc_tables()
        if self.user:
            out += ["", "## Userspace: instructions per entry (`user.csv`, callgrind)", ""]
            out += self.user_table()
        missing = [x for x, have in (("kernel-ARCH.csv", self.kernel), ("proc-ARCH.csv", self.proc),
                                      ("user.csv", self.user)) if not have]
        if missing:
            out += ["", "Not measured in this run: %s." % ", ".join(missing)]
        with open(os.path.join(self.bench, "README.md"), "w") as fh:
            fh.write("\n".join(out) + "\n")
        return n


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    bench, facts, pdir = sys.argv[1:]
    r = Report(bench, read_kv(facts))
    if not (r.kernel or r.proc or r.user):
        fail("no kernel-*.csv, proc-*.csv or user.csv in %s; fix: make bench" % bench)
    have_plot = r.plot(pdir)
    n = r.readme(have_plot)
    print("%d met, %d missed, %d without data" % (n["met"], n["missed"], n["no data"]))
    if have_plot:
        print("plot")


if __name__ == "__main__":
    main()
