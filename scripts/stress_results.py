#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""stress_results.py TIER KERNEL CONSOLE: turn the console of one stress
boot (tests/stress/run.sh running tests/stress/ptw_stress) into results
lines, TIER<TAB>KERNEL.test<TAB>pass|fail|skip[<TAB>counts]:

  KERNEL.setup            the guest had two CPUs and two NUMA nodes
  KERNEL.reader.NAME      ran at least once and saw only well-formed output
  KERNEL.mutator.NAME     ran at least once without an unexpected error;
                          skip when the guest lacks what it needs
  KERNEL.result           the workload finished: nothing hung
  KERNEL.stall.rss        tests/bench/stall.c, after the workload: every
                          read of smaps_rollup, while a writer waits for
                          the mmap lock, covers the whole large VMA once
  KERNEL.stall.same       and reads the same text whenever the writer
                          changes nothing
  KERNEL.console-clean    no kernel splat (splats.py); each one is printed

Exits 1 when any line failed.

stress_results.py --table STOCK.tsv PATCHED.tsv: the iterations of each
reader and mutator on both kernels, side by side."""
import re
import sys

from splats import SPLAT

LINE = re.compile(r'STRESS\t(reader|mutator)\t(\S+)\t(\d+)\t(\d+)(?:\t([^\r\n]*))?')
RESULT = re.compile(r'STRESS\tresult\t(pass|fail)\t(\d+)')
SETUP = re.compile(r'STRESS: cpus=(\d+) nodes=(\d+)')
COUNTS = re.compile(r'iterations=(\d+) errors=(\d+)')
# Beyond splats.py: a corrupt page-table entry found by a walker or a
# fault (pgd_ERROR() and friends, pmd_clear_bad()).  Never expected here;
# KUnit's bad-PMD case makes one on purpose, so the KUnit check lacks it.
# tests/bench/stall.c, run after the workload: smaps_rollup read while a
# writer waits for the mmap lock.
STALL = re.compile(r'STALL (check|same-check) (ok|bad)\b(.*)')
BAD_ENTRY = re.compile(r'bad p(gd|4d|ud|md|te)\b')


def table(stock, patched):
    def load(path):
        rows = {}
        with open(path) as f:
            for l in f:
                tier, test, status, *rest = l.rstrip('\n').split('\t')
                m = COUNTS.match(rest[0]) if rest else None
                if m:
                    rows[test.split('.', 1)[1]] = (int(m.group(1)), status)
        return rows
    a, b = load(stock), load(patched)
    print(f'{"reader/mutator":28} {"stock":>10} {"patched":>10} {"patched/stock":>14}')
    for name in sorted(set(a) | set(b)):
        sa, sb = a.get(name, (0, 'missing')), b.get(name, (0, 'missing'))
        ratio = f'{sb[0] / sa[0]:.2f}' if sa[0] else '-'
        print(f'{name:28} {sa[0]:>10} {sb[0]:>10} {ratio:>14}')


def main():
    if sys.argv[1] == '--table':
        table(sys.argv[2], sys.argv[3])
        return 0
    tier, kernel, console = sys.argv[1:4]
    try:
        with open(console, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError as e:
        print(f'{tier}\t{kernel}.console\tfail')
        print(f'error: no console {console}: {e}', file=sys.stderr)
        return 1
    out = []
    splats = []
    seen_setup = None
    result = None
    stall = {}
    for i, l in enumerate(lines):
        # First: a splat may share a line with workload output.
        if SPLAT.search(l) or BAD_ENTRY.search(l):
            splats.append(i)
        m = LINE.search(l)
        if m:
            role, name, it, err, note = m.groups()
            it, err = int(it), int(err)
            counts = f'iterations={it} errors={err}'
            if note and note.startswith('unavailable'):
                status = 'skip'
                counts += f' {note}'
            else:
                status = 'pass' if it > 0 and err == 0 else 'fail'
            out.append((f'{kernel}.{role}.{name}', status, counts))
            continue
        m = RESULT.search(l)
        if m:
            result = m.groups()
            continue
        m = STALL.search(l)
        if m:
            name = {'check': 'stall.rss', 'same-check': 'stall.same'}[m.group(1)]
            stall[name] = ('pass' if m.group(2) == 'ok' else 'fail', m.group(3).strip())
            continue
        m = SETUP.search(l)
        if m:
            seen_setup = (int(m.group(1)), int(m.group(2)))
    if seen_setup is None:
        out.insert(0, (f'{kernel}.setup', 'fail', 'the workload never started'))
    else:
        cpus, nodes = seen_setup
        out.insert(0, (f'{kernel}.setup', 'pass' if cpus >= 2 and nodes >= 2 else 'fail',
                       f'cpus={cpus} nodes={nodes}'))
    if result is None:
        out.append((f'{kernel}.result', 'fail', 'no result line: the workload hung or the kernel died'))
    else:
        out.append((f'{kernel}.result', 'pass' if result[0] == 'pass' else 'fail',
                    f'ran {result[1]} s'))
    for name in ('stall.rss', 'stall.same'):
        status, counts = stall.get(name, ('fail', 'no result: the stall program did not run'))
        out.append((f'{kernel}.{name}', status, counts))
    out.append((f'{kernel}.console-clean', 'fail' if splats else 'pass',
                f'splats={len(splats)}'))
    for i in splats[:5]:
        print(f'{console}:{i + 1}: kernel splat:', file=sys.stderr)
        for l in lines[max(0, i - 2):i + 30]:
            print(f'  | {l}', file=sys.stderr)
    for test, status, counts in out:
        print(f'{tier}\t{test}\t{status}\t{counts}')
        if status == 'fail':
            print(f'FAIL {tier} {test}: {counts} (console: {console})', file=sys.stderr)
    return 1 if any(s == 'fail' for _, s, _ in out) else 0


if __name__ == '__main__':
    sys.exit(main())
