# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/results.py, the parser that decides a run."""

import io
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'scripts'))
import results  # noqa: E402

KUNIT_OK = """\
[    1.000000] KTAP version 1
[    1.000001] 1..1
[    1.000002]     KTAP version 1
[    1.000003]     # Subtest: commoncap
[    1.000004]     # module: commoncap_test
[    1.000005]     1..2
[    1.000006]     ok 1 test_one
[    1.000007]     ok 2 test_two # SKIP not here
[    1.000008] # commoncap: pass:1 fail:0 skip:1 total:2
[    1.000009] ok 1 commoncap
"""

KUNIT_FAIL = KUNIT_OK.replace('ok 1 test_one', 'not ok 1 test_one') \
                     .replace('] ok 1 commoncap', '] not ok 1 commoncap')


def tap(name, body, rc=0):
    return '# fwlsm-test-begin %s\n%s# fwlsm-test-end %s %d\n' % (name, body, name, rc)


GUEST_BEGIN = '# fwlsm-guest-begin\n'
GUEST_END = '# fwlsm-guest-end\n'


class KunitTest(unittest.TestCase):
    def test_cases_counted_with_skip(self):
        v = results.Verdict()
        results.parse_kunit(KUNIT_OK, ['commoncap'], v)
        self.assertEqual(v.count('PASS'), 1)
        self.assertEqual(v.count('SKIP'), 1)
        self.assertEqual(v.count('FAIL'), 0)

    def test_failed_case_fails(self):
        v = results.Verdict()
        results.parse_kunit(KUNIT_FAIL, ['commoncap'], v)
        self.assertEqual(v.count('FAIL'), 1)

    def test_missing_suite_fails(self):
        v = results.Verdict()
        results.parse_kunit(KUNIT_OK, ['commoncap', 'fwcmd'], v)
        self.assertIn(('FAIL', 'kunit:fwcmd'), [r[:2] for r in v.results])

    def test_suite_cut_short_fails(self):
        v = results.Verdict()
        cut = KUNIT_OK.split('ok 2')[0]
        results.parse_kunit(cut, ['commoncap'], v)
        self.assertEqual(v.count('FAIL'), 1)


class TapTest(unittest.TestCase):
    def run_tests(self, text, expected):
        v = results.Verdict()
        results.parse_tests(text, expected, v)
        return v

    def test_all_pass(self):
        out = GUEST_BEGIN + tap('a', 'TAP version 13\n1..2\nok 1 x\nok 2 y\n') + GUEST_END
        v = self.run_tests(out, ['a'])
        self.assertEqual((v.count('PASS'), v.count('FAIL')), (2, 0))

    def test_not_ok_fails(self):
        out = GUEST_BEGIN + tap('a', '1..2\nok 1 x\nnot ok 2 y\n', 1) + GUEST_END
        v = self.run_tests(out, ['a'])
        self.assertEqual(v.count('FAIL'), 2)    # the case and the exit status

    def test_plan_mismatch_fails(self):
        out = GUEST_BEGIN + tap('a', '1..3\nok 1 x\nok 2 y\n') + GUEST_END
        v = self.run_tests(out, ['a'])
        self.assertEqual(v.count('FAIL'), 1)

    def test_missing_program_fails(self):
        out = GUEST_BEGIN + tap('a', '1..1\nok 1 x\n') + GUEST_END
        v = self.run_tests(out, ['a', 'b'])
        self.assertIn(('FAIL', 'b'), [r[:2] for r in v.results])

    def test_guest_died_fails(self):
        out = GUEST_BEGIN + '# fwlsm-test-begin a\n1..2\nok 1 x\n'
        v = self.run_tests(out, ['a'])
        names = [r[1] for r in v.results if r[0] == 'FAIL']
        self.assertIn('a', names)
        self.assertIn('guest', names)

    def test_whole_program_skip_is_a_skip(self):
        out = GUEST_BEGIN + tap('a', '1..0 # SKIP no fwctl device\n', 4) + GUEST_END
        v = self.run_tests(out, ['a'])
        self.assertEqual((v.count('SKIP'), v.count('FAIL'), v.count('PASS')), (1, 0, 0))

    def test_empty_plan_fails(self):
        # kselftest_harness -f NAME with no such fixture: "1..0", exit 0
        out = GUEST_BEGIN + tap('a', '1..0\n# Totals: pass:0 fail:0\n', 0) + GUEST_END
        v = self.run_tests(out, ['a'])
        self.assertIn(('FAIL', 'a'), [(r[0], r[1]) for r in v.results])

    def test_skip_directive(self):
        out = GUEST_BEGIN + tap('a', '1..2\nok 1 x # SKIP nope\nok 2 y\n') + GUEST_END
        v = self.run_tests(out, ['a'])
        self.assertEqual((v.count('SKIP'), v.count('PASS')), (1, 1))

    def test_nested_subtests_ignored(self):
        body = '1..1\n  1..1\n  not ok 1 inner\nok 1 outer\n'
        v = self.run_tests(GUEST_BEGIN + tap('a', body) + GUEST_END, ['a'])
        self.assertEqual((v.count('PASS'), v.count('FAIL')), (1, 0))

    def test_timeout_fails(self):
        out = GUEST_BEGIN + tap('a', '1..1\nok 1 x\n', 124) + GUEST_END
        v = self.run_tests(out, ['a'])
        self.assertEqual(v.count('FAIL'), 1)


class ExtraConsoleTest(unittest.TestCase):
    def verdict(self, text):
        v = results.Verdict()
        with tempfile.NamedTemporaryFile('w', suffix='.log') as f:
            if text is not None:
                f.write(text)
                f.flush()
                path = f.name
            else:
                path = f.name + '.absent'
            results.parse_extra_console(path, 'vmtest', None, v)
        return v.results

    def test_clean_console_passes(self):
        self.assertEqual(self.verdict('[    0.0] Linux version 7.3.4\n'),
                         [('PASS', 'vmtest/kernel-log', '')])

    def test_report_fails(self):
        r = self.verdict('[    0.0] Linux version 7.3.4\n'
                         '[    2.0] BUG: KASAN: use-after-free in x\n')
        self.assertEqual(r[0][0], 'FAIL')

    def test_empty_or_missing_console_fails(self):
        self.assertEqual(self.verdict('')[0][0], 'FAIL')
        self.assertEqual(self.verdict(None)[0][0], 'FAIL')


class KernelLogTest(unittest.TestCase):
    def test_warning_found(self):
        log = '[    2.0] ------------[ cut here ]------------\n' \
              '[    2.1] WARNING: CPU: 0 PID: 1 at foo.c:1 bar+0x0/0x10\n'
        self.assertEqual(len(results.kernel_problems(log, [])), 1)

    def test_lockdep_found(self):
        log = '[    3.0] WARNING: possible circular locking dependency detected\n'
        self.assertEqual(len(results.kernel_problems(log, [])), 1)

    def test_kasan_found(self):
        log = '[    3.0] BUG: KASAN: slab-out-of-bounds in foo+0x1/0x2\n'
        self.assertEqual(len(results.kernel_problems(log, [])), 1)

    def test_benign_filtered(self):
        import re
        log = '[    3.0] WARNING: some expected thing\n'
        self.assertEqual(results.kernel_problems(log, [re.compile('expected thing')]), [])

    def test_mlx5_command_error_found(self):
        log = '[    3.0] mlx5_core 0000:01:00.0: mlx5_cmd_out_err:838:(pid 1): ' \
              'QUERY_HCA_CAP(0x100) op_mod(0x1) failed, status bad parameter(0x3)\n'
        self.assertEqual(len(results.kernel_problems(log, [])), 1)

    def test_repo_benign_list_is_narrow(self):
        import re
        here = os.path.dirname(__file__)
        benign = [re.compile(p) for p in results.read_list(
            os.path.join(here, '..', 'guest', 'benign.list'), fields=0)]
        ok = '[ 1.4] mlx5_core 0000:01:00.0: mlx5_init_clock:1614:(pid 1): ' \
             'invalid device_frequency_khz, aborting HW clock init\n'
        bad = '[ 1.4] mlx5_core 0000:01:00.0: mlx5_cmd_out_err:838:(pid 1): ' \
              'CREATE_EQ(0x301) op_mod(0x0) failed, status bad resource(0x5)\n'
        self.assertEqual(results.kernel_problems(ok, benign), [])
        self.assertEqual(len(results.kernel_problems(bad, benign)), 1)

    def test_clean_log(self):
        self.assertEqual(results.kernel_problems('[ 1.0] Run /init as init process\n', []), [])


class MainTest(unittest.TestCase):
    def run_main(self, files, extra=()):
        d = tempfile.mkdtemp()
        args = []
        for opt, text in files.items():
            path = os.path.join(d, opt)
            with open(path, 'w') as f:
                f.write(text)
            args += ['--' + opt, path]
        buf = io.StringIO()
        with redirect_stdout(buf):
            rc = results.main(args + list(extra))
        return rc, buf.getvalue().splitlines()

    def test_closing_line_and_status(self):
        rc, out = self.run_main({
            'ledger': 'PASS host:a\nPASS checkpatch:1.patch 0 checks\n',
            'console': KUNIT_OK,
            'tests': GUEST_BEGIN + tap('a', '1..1\nok 1 x\n') + GUEST_END,
            'expect-tests': 'a ./a\n',
            'expect-kunit': 'commoncap\n',
        })
        self.assertEqual(rc, 0)
        # 2 ledger + 1 kunit case + kernel-log + 1 tap case
        self.assertEqual(out[-1], '5 passed, 0 failed, 1 skipped')

    def test_failure_exits_nonzero(self):
        rc, out = self.run_main({'ledger': 'PASS a\nFAIL b why\n'})
        self.assertEqual(rc, 1)
        self.assertEqual(out[-1], '1 passed, 1 failed')
        self.assertIn('FAIL b: why', out)

    def test_nothing_ran_is_a_failure(self):
        rc, out = self.run_main({'ledger': ''})
        self.assertEqual(rc, 1)
        self.assertEqual(out[-1], '0 passed, 0 failed')

    def test_malformed_ledger_line_fails(self):
        rc, out = self.run_main({'ledger': 'PASS a\nbogus\n'})
        self.assertEqual(rc, 1)

    def extra_boot(self, console, tests, listed):
        d = tempfile.mkdtemp()
        for name, text in (('console.log', console), ('tests.log', tests),
                           ('list', listed)):
            with open(os.path.join(d, name), 'w') as f:
                f.write(text)
        return ['--extra-boot', d, os.path.join(d, 'list'), 'second']

    def test_extra_boot_counted_with_label(self):
        extra = self.extra_boot('[ 1.0] clean\n',
                                GUEST_BEGIN + tap('b', '1..1\nok 1 y\n') + GUEST_END,
                                'b ./b\n')
        rc, out = self.run_main({'ledger': 'PASS a\n'}, extra + ['-v'])
        self.assertEqual(rc, 0)
        self.assertIn('PASS second/b:y', out)
        self.assertIn('PASS second/kernel-log', out)
        self.assertEqual(out[-1], '3 passed, 0 failed')

    def test_extra_boot_missing_program_fails(self):
        extra = self.extra_boot('[ 1.0] WARNING: x\n', GUEST_BEGIN + GUEST_END,
                                'b ./b\n')
        rc, out = self.run_main({'ledger': 'PASS a\n'}, extra)
        self.assertEqual(rc, 1)
        self.assertIn('FAIL second/b: did not run', out)
        self.assertEqual(out[-1], '1 passed, 2 failed')

    def test_extra_boot_that_did_not_run_fails(self):
        extra = ['--extra-boot', '/nonexistent', '/nonexistent', 'second']
        rc, out = self.run_main({'ledger': 'PASS a\n'}, extra)
        self.assertEqual(rc, 1)
        self.assertEqual(out[-1], '1 passed, 1 failed')

    def test_benign_for_one_boot_only(self):
        line = '[ 1.0] mlx5_core 0000:01:00.0: mlx5_alloc_cmd_msg:1486:(pid 9): failed allocating block\n'
        d = tempfile.mkdtemp()
        benign = os.path.join(d, 'benign')
        with open(benign, 'w') as f:
            f.write('mlx5_alloc_cmd_msg:[0-9]+:\\(pid [0-9]+\\): failed allocating block$\n')
        tests = GUEST_BEGIN + tap('b', '1..1\nok 1 y\n') + GUEST_END
        first = self.extra_boot(line, tests, 'b ./b\n')
        other = self.extra_boot(line, tests, 'b ./b\n')
        other[-1] = 'third'
        rc, out = self.run_main({'ledger': 'PASS a\n'},
                                first + other + ['--benign-for', 'second', benign, '-v'])
        self.assertEqual(rc, 1)
        self.assertIn('PASS second/kernel-log', out)
        self.assertTrue(any(o.startswith('FAIL third/kernel-log') for o in out), out)


if __name__ == '__main__':
    unittest.main()
