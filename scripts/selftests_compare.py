#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""selftests_compare.py TIER STOCK_LOG PATCHED_LOG: compare kernel selftests.

Each log holds every test's output between "ST: BEGIN name" and "ST: END
name rc=N" (tests/selftests/run.sh).  One line per test goes to stdout,
"TIER<TAB>name<TAB>pass|fail|skip": pass when both kernels pass it (exit
0) with the same subtest results (the "ok"/"not ok" lines of its TAP
output); fail when the patched kernel's results differ from the stock
kernel's in any way; skip when both skip it (exit 4) or fail it the same
way.  Reasons go to stderr; the exit status is 1 if anything failed.
"""
import re
import sys

# A TAP result line, without its running number (tests may number
# conditionally); numbers in its description (counts of racing faults,
# timings) are masked, the verdict is what is compared.
TAP = re.compile(r'^(not ok|ok)\s+\d+\s*(.*)$')


def parse(path):
    tests, cur = {}, None
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n').replace('\r', '')
            m = re.match(r'^ST: (BEGIN|END) (\S+)(?: rc=(\d+))?$', line)
            if m:
                if m.group(1) == 'BEGIN':
                    cur = m.group(2)
                    tests[cur] = {'rc': None, 'tap': []}
                elif cur is not None:
                    tests[cur]['rc'] = int(m.group(3)) if m.group(3) else None
                    cur = None
                continue
            if cur is not None:
                t = TAP.match(line)
                if t:
                    desc = re.sub(r'\d+(\.\d+)?', 'N', t.group(2))
                    tests[cur]['tap'].append('%s %s' % (t.group(1), desc))
    return tests


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
        elif ta['rc'] != tb['rc'] or ta['tap'] != tb['tap']:
            st = 'fail'
            sa, sb = set(ta['tap']), set(tb['tap'])
            why = 'stock rc=%d, patched rc=%d' % (ta['rc'], tb['rc'])
            for l in sorted(sa - sb):
                why += '\n  stock only:   ' + l
            for l in sorted(sb - sa):
                why += '\n  patched only: ' + l
        elif ta['rc'] == 0:
            st, why = 'pass', ''
        elif ta['rc'] == 4:
            st, why = 'skip', 'skipped on both kernels'
        else:
            st = 'skip'
            why = 'fails on stock too (rc=%d; %d subtests not ok)' % (
                ta['rc'], sum(1 for l in ta['tap'] if l.startswith('not ok')))
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
