# SPDX-License-Identifier: GPL-2.0
"""What a kernel console line that reports a problem looks like: warnings,
BUGs, oopses, lockdep and RCU reports, KASAN and page_table_check (both
print "BUG:" or "kernel BUG at"), DEBUG_VM page dumps, soft lockups, RCU
stalls and hung tasks.  Shared by kunit_results.py and stress_results.py."""
import re

SPLAT = re.compile(r'WARNING: |BUG: |kernel BUG at |Kernel panic|Oops|'
                   r'general protection fault|Unable to handle kernel|'
                   r'possible circular locking|inconsistent lock state|'
                   r'possible recursive locking|suspicious RCU usage|'
                   r'lock held when returning|VM_BUG_ON|page dumped because|'
                   r'rcu: INFO: .* detected stalls|'
                   r'INFO: task .* blocked for more than')
