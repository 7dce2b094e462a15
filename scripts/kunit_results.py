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

# Lockdep, DEBUG_VM and other kernel splats.  WARNINGs raised on purpose by
# the misuse tests of the walk itself (in mm/pt_*.c) are expected.
SPLAT = re.compile(r'WARNING: |BUG: |Kernel panic|possible circular locking|'
                   r'inconsistent lock state|possible recursive locking|'
                   r'suspicious RCU usage|lock held when returning|'
                   r'VM_BUG_ON|page dumped because|Unable to handle kernel')
EXPECTED = re.compile(r'WARNING: .* at mm/pt_[a-z_]+\.c:')
bad = [l.rstrip() for l in lines if SPLAT.search(l) and not EXPECTED.search(l)]
for l in bad[:5]:
    sys.stderr.write(f'console: {l}\n')
print(f'{tier}\t{prefix + "." if prefix else ""}console-clean\t{"fail" if bad else "pass"}')
