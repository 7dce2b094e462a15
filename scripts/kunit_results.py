#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit_results.py KTREE TIER LOG [PREFIX]: parse the KUnit output in a console LOG
with the kernel's own tools/testing/kunit parser (which prints its usual
summary to stderr), and print one results.tsv line per test case and per
parameter: TIER<TAB>suite.case[.param]<TAB>pass|fail|skip.  Also prints a
line for the console itself: any kernel warning, BUG or lockdep report
fails it."""
import os
import re
import sys

ktree, tier, log = sys.argv[1:4]
# A prefix names the boot when one kernel is booted several ways.
prefix = sys.argv[4] if len(sys.argv) > 4 else ''
sys.path.insert(0, os.path.join(ktree, 'tools/testing/kunit'))
import kunit_printer  # noqa: E402
from splats import SPLAT  # noqa: E402
# The parser prints its summary through this object: send it to stderr,
# stdout is for results.tsv lines only.
kunit_printer.stdout._output = sys.stderr
import kunit_parser  # noqa: E402
from kunit_parser import TestStatus  # noqa: E402

lines = open(log, errors='replace').read().splitlines(keepends=True)
root = kunit_parser.parse_run_tests(lines)

STATUS = {TestStatus.SUCCESS: 'pass', TestStatus.SKIPPED: 'skip'}


def emit(test, prefix):
    name = prefix + ('.' if prefix else '') + re.sub(r'\s+', '_', test.name)
    if not test.subtests:
        print(f'{tier}\t{name}\t{STATUS.get(test.status, "fail")}')
        return
    for sub in test.subtests:
        emit(sub, name)


if root.status in (TestStatus.FAILURE_TO_PARSE_TESTS, TestStatus.NO_TESTS) or not root.subtests:
    print(f'{tier}\t{prefix + "." if prefix else ""}ktap-output\tfail')
else:
    for suite in root.subtests:
        emit(suite, prefix)

# Lockdep, DEBUG_VM and other kernel splats (splats.py) fail the console.  The only
# warnings allowed are those the misuse cases raise on purpose: exactly
# EXPECTED_WARNINGS[case][file] of them at that file, inside that case's
# output (between the previous result line and its own).  Anything else, a
# warning from the walk in any other case included, fails.
EXPECTED_WARNINGS = {
    # pt_range_walk_start()'s and pt_range_walk_resume()'s WARN_ON_ONCE,
    # and the modifiers' two (a walk not in write mode or a range outside
    # the step; a hole above the PTE level), once per boot each.
    'ptw_test_misuse': {'mm/pt_range_walk.c': 4},
    # The modifiers' WARN_ON_ONCE on a leaf not covered whole (a THP is
    # needed: where there is none, the case skips and warns nothing).
    'ptw_test_modify_leaf_misuse': {'mm/pt_range_walk.c': 1},
    # ptw_huge_leaf()'s WARN_ONCE on an entry no walker should meet.
    'ptw_test_unexpected_pud': {'mm/pt_range_walk.c': 1},
}
WARN_AT = re.compile(r'WARNING: .* at (\S+?):\d+ ')
RESULT = re.compile(r'^(?:\[[^\]]*\]\s*)?\s*(?:not )?ok \d+ (\S+)')

bad, pending, seen = [], [], {}
for l in lines:
    m = RESULT.match(l)
    if m:
        for w in pending:
            at = WARN_AT.search(w)
            site = at.group(1) if at else None
            if site in EXPECTED_WARNINGS.get(m.group(1), {}):
                seen[(m.group(1), site)] = seen.get((m.group(1), site), 0) + 1
            else:
                bad.append(w)
        pending = []
    elif SPLAT.search(l):
        if WARN_AT.search(l):
            pending.append(l.rstrip())
        else:
            bad.append(l.rstrip())
bad += pending
# A case that was skipped (an arch where it cannot run) warns nothing.
ran = {re.sub(r'^.*?ok \d+ ', '', l).split()[0] for l in lines
       if RESULT.match(l) and '# SKIP' not in l}
for case, sites in EXPECTED_WARNINGS.items():
    for site, n in sites.items():
        if case in ran and seen.get((case, site), 0) != n:
            bad.append(f'{case}: {seen.get((case, site), 0)} warning(s) at {site}, expected {n}')
for l in bad[:5]:
    sys.stderr.write(f'console: {l}\n')
print(f'{tier}\t{prefix + "." if prefix else ""}console-clean\t{"fail" if bad else "pass"}')
