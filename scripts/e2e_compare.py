#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""e2e_compare.py: compare the /proc end-to-end output of two boots.

usage: e2e_compare.py TIER ARCH LABEL_A LOG_A LABEL_B LOG_B EXPECT OUTDIR

Each console log holds the workload's output between "E2E: BEGIN workload"
and "E2E: END workload rc=N" (cases between "CASE name" and "END name"),
each extra program's between "E2E: BEGIN prog P" and "E2E: END prog P rc=N",
and the kernel log of the run between "E2E: BEGIN dmesg" and "E2E: END
dmesg".  Cases a program prints ("CASE name" ... "END name") are results
of their own, like the workload's.  Prints one result line per case, "TIER<TAB>test<TAB>pass|fail|skip",
on stdout; diffs and reasons go to stderr and OUTDIR/report.txt, and the
per-case texts of both boots to OUTDIR/LABEL/.

A case passes when both boots print the same text for it, neither reports
an ERROR, and the facts it prints (FACT key value) meet EXPECT, so that
two empty or broken outputs cannot pass.  A case both boots skip with the
same reason is a skip.  The exit status is 1 if anything failed.

The values of EXPECT are "quoted" strings or integer expressions over the
geometry facts the workload prints before its first case ("FACT sys.NAME
value": page_kb, pmd_kb, ...), written NAME; see tests/e2e/expect.tsv.
"""
import difflib
import os
import re
import sys

# Kernel trouble in the run's log: any of these fails the boot's dmesg test.
SPLAT = re.compile(r'WARNING:|BUG:|Oops|Call Trace|circular locking|'
                   r'possible recursive locking|inconsistent lock state|'
                   r'UBSAN|KASAN|general protection|Kernel panic|bad page|'
                   r'Bad page', re.I)
# Messages that match SPLAT but are no kernel trouble: ext2's fixed notice
# for every -o dax mount (the fsdax cases' file system, tests/e2e/setup.sh).
BENIGN = re.compile(r'EXT2-fs \(pmem\w*\): DAX enabled\. '
                    r'Warning: EXPERIMENTAL, use at your own risk$')
# A console line of the kernel ("[    1.234] ..."), should one slip through.
KLINE = re.compile(r'^\[\s*\d+\.\d+\]')


def parse(path):
    """Sections of one console log: workload cases, programs, dmesg."""
    with open(path, errors='replace') as f:
        lines = [l.rstrip('\r\n').replace('\r', '') for l in f]
    out = {'cases': {}, 'order': [], 'progs': {}, 'prog_rc': {},
           'rc': None, 'dmesg': [], 'header': [], 'found': False}
    sect = None
    cur = None
    for line in lines:
        m = re.match(r'^E2E: (BEGIN|END) (\S+)(?: (?!rc=)(\S+))?(?: rc=(\d+))?', line)
        if m:
            what, kind, name, rc = m.groups()
            if what == 'BEGIN':
                sect = (kind, name)
                if kind == 'workload':
                    out['found'] = True
                elif kind == 'prog':
                    out['progs'][name] = []
            else:
                if kind == 'workload':
                    out['rc'] = int(rc) if rc is not None else None
                elif kind == 'prog':
                    out['prog_rc'][name] = int(rc) if rc is not None else None
                sect = None
                cur = None
            continue
        if sect is None or KLINE.match(line):
            continue
        kind, name = sect
        if kind == 'dmesg':
            out['dmesg'].append(line)
        elif kind in ('prog', 'workload'):
            if kind == 'prog':
                out['progs'][name].append(line)
            # A program that uses e2e.h's cases (tests/e2e/dax.c) gets
            # one result line per case, as the workload's do.
            m = re.match(r'^CASE (\S+)$', line)
            if m:
                cur = m.group(1)
                out['cases'][cur] = []
                out['order'].append(cur)
                continue
            if cur is not None:
                if line == 'END ' + cur:
                    cur = None
                else:
                    out['cases'][cur].append(line)
            elif kind == 'workload':
                out['header'].append(line)
    return out


def facts(lines):
    f = {}
    for line in lines:
        m = re.match(r'^FACT (\S+) (.*)$', line)
        if m:
            f[m.group(1)] = m.group(2).strip()
    return f


class ExprError(Exception):
    pass


TOKEN = re.compile(r'\s*(?:(\d+)|(?:sys\.)?([A-Za-z_][A-Za-z0-9_]*)|(//|[-+*/()]))')


def tokenize(text):
    toks, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m:
            raise ExprError('bad character %r at %d in %r' % (text[pos], pos, text))
        num, name, op = m.groups()
        toks.append(('num', int(num)) if num else ('name', name) if name else ('op', op))
        pos = m.end()
    return toks


def evaluate(text, names):
    """An integer expression: decimal integers, NAME or sys.NAME (the
    geometry fact sys.NAME), + - * / // and parentheses, unary + and -.
    / divides exactly (a remainder is an error), // rounds down.  Nothing
    else: no floats, no calls, no other names.  names=None checks the
    syntax only."""
    toks = tokenize(text)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else (None, None)

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def atom():
        kind, v = peek()
        if kind is not None:
            take()
        if kind == 'num':
            return v
        if kind == 'name':
            if names is None:
                return 1
            if v not in names:
                raise ExprError('unknown name %r in %r (geometry facts: %s)' %
                                (v, text, ' '.join(sorted(names)) or 'none'))
            return names[v]
        if (kind, v) == ('op', '('):
            r = expr()
            if peek() != ('op', ')'):
                raise ExprError('missing ) in %r' % text)
            take()
            return r
        if kind == 'op' and v in '+-':
            r = atom()
            return -r if v == '-' else r
        raise ExprError('expected a number, a name or ( in %r' % text)

    def term():
        r = atom()
        while peek()[0] == 'op' and peek()[1] in ('*', '/', '//'):
            op = take()[1]
            d = atom()
            if op == '*':
                r *= d
            elif d == 0:
                if names is not None:
                    raise ExprError('division by zero in %r' % text)
            elif op == '//':
                r //= d
            elif r % d:
                raise ExprError('%d / %d is no integer in %r (// rounds down)' % (r, d, text))
            else:
                r //= d
        return r

    def expr():
        r = term()
        while peek()[0] == 'op' and peek()[1] in ('+', '-'):
            op = take()[1]
            d = term()
            r = r + d if op == '+' else r - d
        return r

    r = expr()
    if pos != len(toks):
        raise ExprError('unexpected %r in %r' % (toks[pos][1], text))
    return r


def geometry(header):
    """The geometry facts of a boot: its FACT sys.NAME lines, by NAME."""
    g = {}
    for key, val in facts(header).items():
        if key.startswith('sys.'):
            try:
                g[key[4:]] = int(val)
            except ValueError:
                pass
    return g


OPS = {'==': lambda g, v: g == v, '!=': lambda g, v: g != v,
       '>=': lambda g, v: g >= v, '<=': lambda g, v: g <= v,
       '>': lambda g, v: g > v, '<': lambda g, v: g < v}


def load_expect(path, arch):
    exp = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 5:
                sys.exit('%s:%d: want "case arches fact op value"' % (path, n))
            case, arches, key, op, val = parts
            if op not in OPS:
                sys.exit('%s:%d: bad operator %s' % (path, n, op))
            if not re.match(r'^"[^"]*"$', val):
                try:
                    evaluate(val, None)
                except ExprError as e:
                    sys.exit('%s:%d: %s' % (path, n, e))
            # arm64-64k and other geometries of an arch use its lines.
            if arches != 'all' and not {arch, arch.split('-')[0]} & set(arches.split(',')):
                continue
            exp.setdefault(case, []).append((key, op, val, n))
    return exp


def check(fs, geo, key, op, val):
    got = fs.get(key, '0')
    if re.match(r'^"[^"]*"$', val):
        want = val[1:-1]
        if op not in ('==', '!='):
            return False, '%s: a string is compared with == or != only' % key
        return OPS[op](got, want), '%s is %s, want %s %s' % (key, got, op, val)
    try:
        want = evaluate(val, geo)
    except ExprError as e:
        return False, '%s: %s' % (key, e)
    shown = val if re.match(r'^-?\d+$', val) else '%s = %d' % (val, want)
    try:
        g = int(got)
    except ValueError:
        return False, '%s is %s, not a number, want %s %s' % (key, got, op, shown)
    return OPS[op](g, want), '%s is %s, want %s %s' % (key, got, op, shown)


def main():
    if len(sys.argv) != 9:
        sys.exit(__doc__)
    tier, arch, la, loga, lb, logb, expect, outdir = sys.argv[1:]
    a, b = parse(loga), parse(logb)
    exp = load_expect(expect, arch)
    geo = geometry(a['header'])
    report = []
    results = []
    failed = False

    def res(test, status, why=''):
        nonlocal failed
        results.append('%s\t%s\t%s' % (tier, test, status))
        if status == 'fail':
            failed = True
            report.append('FAIL %s %s: %s' % (tier, test, why))
        elif status == 'skip' and why:
            report.append('skip %s %s: %s' % (tier, test, why))

    for lab, o in ((la, a), (lb, b)):
        os.makedirs(os.path.join(outdir, lab), exist_ok=True)
        for c, lines in o['cases'].items():
            with open(os.path.join(outdir, lab, c + '.txt'), 'w') as f:
                f.write('\n'.join(lines) + '\n')
        for p, lines in o['progs'].items():
            with open(os.path.join(outdir, lab, 'prog.' + p + '.txt'), 'w') as f:
                f.write('\n'.join(lines) + '\n')

    for lab, o in ((la, a), (lb, b)):
        if not o['found']:
            res('workload.' + lab, 'fail', 'no workload output in the log')
        elif o['rc'] != 0:
            res('workload.' + lab, 'fail', 'workload exit status %s' % o['rc'])
    if a['header'] != b['header']:
        res('header', 'fail', 'workload headers differ:\n' +
            '\n'.join(difflib.unified_diff(a['header'], b['header'], la, lb,
                                           lineterm='')))

    names = list(a['order']) + [c for c in b['order'] if c not in a['cases']]
    for c in sorted(exp):
        if c not in names:
            names.append(c)
    for c in names:
        ta, tb = a['cases'].get(c), b['cases'].get(c)
        if ta is None or tb is None:
            res(c, 'fail', 'case missing from %s' %
                ', '.join(l for l, t in ((la, ta), (lb, tb)) if t is None))
            continue
        errs = [l for l in ta + tb if l.startswith('ERROR ')]
        if ta != tb:
            d = '\n'.join(difflib.unified_diff(ta, tb, '%s/%s' % (la, c),
                                               '%s/%s' % (lb, c), lineterm='', n=2))
            if len(d) > 20000:
                d = d[:20000] + '\n... (diff truncated; full texts in %s)' % outdir
            res(c, 'fail', '%s and %s differ:\n%s' % (la, lb, d))
            continue
        if errs:
            res(c, 'fail', '\n'.join(sorted(set(errs))))
            continue
        skips = [l for l in ta if l.startswith('SKIP ')]
        if skips:
            res(c, 'skip', skips[0])
            continue
        if not ta:
            res(c, 'fail', 'case printed nothing')
            continue
        fs = facts(ta)
        bad = []
        for key, op, val, n in exp.get(c, []):
            ok, why = check(fs, geo, key, op, val)
            if not ok:
                bad.append('%s (expect line %d)' % (why, n))
        if bad:
            res(c, 'fail', 'sanity: ' + '; '.join(bad))
        elif c not in exp:
            res(c, 'fail', 'no sanity expectations for this case in %s' % expect)
        else:
            res(c, 'pass')

    for p in sorted(set(a['progs']) | set(b['progs'])):
        pa, pb = a['progs'].get(p), b['progs'].get(p)
        t = 'workload.' + p
        if pa is None or pb is None:
            res(t, 'fail', 'program output missing')
        elif a['prog_rc'].get(p) != 0 or b['prog_rc'].get(p) != 0:
            res(t, 'fail', 'exit status %s / %s' % (a['prog_rc'].get(p), b['prog_rc'].get(p)))
        elif pa != pb:
            d = '\n'.join(difflib.unified_diff(pa, pb, '%s/%s' % (la, p),
                                               '%s/%s' % (lb, p), lineterm='', n=2))
            res(t, 'fail', '%s and %s differ:\n%s' % (la, lb, d[:20000]))
        elif not pa or any(l.startswith('ERROR ') for l in pa):
            res(t, 'fail', 'no output' if not pa else 'program reported an ERROR')
        else:
            res(t, 'pass')

    for lab, o in ((la, a), (lb, b)):
        splat = [l for l in o['dmesg'] if SPLAT.search(l) and not BENIGN.search(l)]
        if not o['found']:
            continue
        if splat:
            res('dmesg.' + lab, 'fail', 'kernel log of the run:\n' + '\n'.join(splat[:40]))
        else:
            res('dmesg.' + lab, 'pass')

    print('\n'.join(results))
    with open(os.path.join(outdir, 'report.txt'), 'w') as f:
        f.write('\n'.join(report) + '\n')
    if report:
        sys.stderr.write('\n'.join(report) + '\n')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
