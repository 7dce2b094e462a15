#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""selftests_compare.py TIER STOCK_LOG PATCHED_LOG: compare kernel selftests.

Each log holds every test's output between "ST: BEGIN name" and "ST: END
name rc=N [time=S]" (tests/selftests/run.sh).  One line per test goes to
stdout, "TIER<TAB>name<TAB>pass|fail|skip": pass when both kernels pass it
(exit 0) with the same subtest results; fail when the patched kernel's
results differ from the stock kernel's in any way; skip when both skip it
(exit 4) or fail it the same way.  Subtest results are the "ok"/"not ok"
lines of KTAP output, and of the two mm tests that print their own:
uffd-unit-tests' "Testing X... done|skipped|failed" and khugepaged's
coloured OK/Fail/Skip verdicts.  An expected failure (# XFAIL) and a pass
of the same case count as the same result; a test killed at its time
limit on both kernels is a skip if they agree as far as both got.  A
test that failed and was run again ("ST: RETRY name rc=N") is judged by
its second run; the first run's status is reported.
Reasons go to stderr; the exit status is 1 if anything failed.
"""
import re
import sys
from collections import Counter
from itertools import zip_longest

# A TAP result line, without its running number (tests may number
# conditionally); numbers in its description (counts of racing faults,
# timings) are masked, the verdict is what is compared.
TAP = re.compile(r'^(not ok|ok)\s+\d+\s*(.*)$')
# uffd-unit-tests: "Testing NAME on MEM... " then its verdict.
UFFD = re.compile(r'^Testing (.*?)\.\.\. (done|skipped|failed)')
# khugepaged: "WHAT..." then the verdict in green, red or yellow, after
# a dot for every wait on khugepaged (how many is timing, not a result).
KHP = re.compile(r'^(.*?)[.\s]*\x1b\[3([123])m([^\x1b]*)\x1b\[0m\s*$')
KHP_VERDICT = {'2': 'ok', '1': 'not ok', '3': 'ok'}
# The case the next results belong to, where a test names it (cow and
# ksm_functional_tests: "# [RUN] Basic COW after fork() ... with THP
# (2048 kB)", whose results all read alike).
RUN = re.compile(r'^# \[RUN\] (.*)$')
# Timeout's SIGKILL (tests/selftests/run.sh)
KILLED = 128 + 9


def rcname(rc):
    return '%d (killed at its time limit)' % rc if rc == KILLED else str(rc)


def subtest(line):
    """The verdict and description of a subtest result line, or None."""
    t = TAP.match(line)
    if t:
        return t.group(1), t.group(2)
    u = UFFD.match(line)
    if u:
        return ('not ok' if u.group(2) == 'failed' else 'ok',
                u.group(1) + (' # SKIP' if u.group(2) == 'skipped' else ''))
    k = KHP.match(line)
    if k:
        return (KHP_VERDICT[k.group(2)],
                '%s: %s' % (k.group(1), k.group(3)) +
                (' # SKIP' if k.group(2) == '3' else ''))
    return None


def parse(path):
    tests, cur, run = {}, None, ''
    with open(path, errors='replace') as f:
        for line in f:
            # What a terminal would show: the text after the last
            # carriage return (progress counters rewrite their line).
            line = line.rstrip('\r\n').split('\r')[-1]
            m = re.match(r'^ST: (BEGIN|RETRY|END) (\S+)(?: rc=(\d+))?(?: time=\d+)?$', line)
            if m:
                if m.group(1) == 'BEGIN':
                    cur, run = m.group(2), ''
                    tests[cur] = {'rc': None, 'tap': [], 'first_rc': None}
                elif m.group(1) == 'RETRY' and cur == m.group(2):
                    # The second run's results replace the first's.
                    run = ''
                    tests[cur].update(tap=[], first_rc=int(m.group(3) or -1))
                elif cur is not None:
                    tests[cur]['rc'] = int(m.group(3)) if m.group(3) else None
                    cur = None
                continue
            if cur is not None:
                r = RUN.match(line)
                if r:
                    run = ' [%s]' % r.group(1)
                t = subtest(line)
                if t:
                    desc = re.sub(r'\d+(\.\d+)?', 'N', t[1])
                    tests[cur]['tap'].append(('%s %s' % (t[0], desc), run))
    return tests


def same(x, y):
    """Whether two subtest results, (result, case), are the same.

    An expected failure and a pass of one case are: the test accepts
    either, and the stock kernel alone gives both from run to run (cow's
    vmsplice() cases on hugetlb, which leak or not by chance)."""
    if x == y:
        return True
    xfail = lambda r: r[0].startswith('ok ') and '# XFAIL' in r[0]
    plain = lambda r: r[0].startswith('ok ') and '# SKIP' not in r[0]
    return x[1] == y[1] and ((xfail(x) and plain(y)) or (plain(x) and xfail(y)))


def show(r):
    return r[0] + r[1]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    tier, la, lb = sys.argv[1:]
    a, b = parse(la), parse(lb)
    failed = False
    for name in sorted(set(a) | set(b)):
        ta, tb = a.get(name), b.get(name)
        if ta is None or tb is None or ta['rc'] is None or tb['rc'] is None:
            st, why = 'fail', 'did not run to completion on %s' % (
                'stock' if ta is None or ta['rc'] is None else 'patched')
        elif ta['rc'] == tb['rc'] == KILLED and all(
                same(x, y) for x, y in zip(ta['tap'], tb['tap'])):
            # Where each was killed is timing: compare what both reached.
            st = 'skip'
            why = 'killed at its time limit on both kernels (after %d and %d subtests)' % (
                len(ta['tap']), len(tb['tap']))
        elif ta['rc'] != tb['rc'] or len(ta['tap']) != len(tb['tap']) or not all(
                same(x, y) for x, y in zip(ta['tap'], tb['tap'])):
            st = 'fail'
            # What differs, as multisets (many subtests read alike): case
            # by case when both ran the same number, else all of it.
            if len(ta['tap']) == len(tb['tap']):
                pairs = [(x, y) for x, y in zip(ta['tap'], tb['tap']) if not same(x, y)]
            else:
                pairs = list(zip_longest(ta['tap'], tb['tap']))
            sa = Counter(show(x) for x, _ in pairs if x)
            sb = Counter(show(y) for _, y in pairs if y)
            why = 'stock rc=%s, patched rc=%s' % (rcname(ta['rc']), rcname(tb['rc']))
            for side, d in (('stock only:  ', sa - sb), ('patched only:', sb - sa)):
                for l, n in sorted(d.items()):
                    why += '\n  %s %s%s' % (side, l, ' (x%d)' % n if n > 1 else '')
        elif ta['rc'] == 0:
            st, why = 'pass', ''
        elif ta['rc'] == 4:
            st, why = 'skip', 'skipped on both kernels'
        else:
            st = 'skip'
            why = 'fails on stock too (rc=%d; %d subtests not ok)' % (
                ta['rc'], sum(1 for r in ta['tap'] if r[0].startswith('not ok')))
        for side, t in (('stock', ta), ('patched', tb)):
            if t and t['first_rc'] is not None:
                why += '%sfirst run on %s failed (rc=%s), judged by its second' % (
                    ('\n  ' if st == 'fail' else '; ') if why else '', side,
                    rcname(t['first_rc']))
        print('%s\t%s\t%s' % (tier, name, st))
        if why:
            sys.stderr.write('%s %s %s: %s\n' % (st.upper() if st == 'fail' else st,
                                                 tier, name, why))
        failed |= st == 'fail'
    if not a and not b:
        print('%s\trun\tfail' % tier)
        sys.stderr.write('FAIL %s: no test output in either log\n' % tier)
        failed = True
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
