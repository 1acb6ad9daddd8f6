# SPDX-License-Identifier: GPL-2.0
"""Unit tests of shell functions in scripts/lib.sh that decide results:
series_new_warnings (the "no new warning on a series line" rule of the
W=1, sparse, clang and Debian builds) and debian_lsm_order."""

import os
import shutil
import subprocess
import tempfile
import unittest

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))


def sh(script, env=None):
    e = dict(os.environ, **(env or {}))
    return subprocess.run(['bash', '-c', '. "$TOP/scripts/lib.sh"; ' + script],
                          env=dict(e, TOP=TOP), capture_output=True, text=True,
                          check=False)


def git(tree, *args):
    subprocess.run(['git', '-C', tree, '-c', 'user.name=t', '-c',
                    'user.email=t@t.invalid', *args], check=True,
                   capture_output=True)


class NewWarnings(unittest.TestCase):
    def setUp(self):
        self.d = tempfile.mkdtemp()
        self.tree = os.path.join(self.d, 'linux')
        os.makedirs(os.path.join(self.tree, 'sec'))
        os.makedirs(os.path.join(self.tree, 'rust'))
        self.write('sec/a.c', ''.join(f'old {i}\n' for i in range(1, 11)))
        self.write('rust/f.rs', 'a\nb\n')
        git(self.tree, 'init', '-q')
        git(self.tree, 'add', '.')
        git(self.tree, 'commit', '-q', '-m', 'base')
        git(self.tree, 'tag', 'fwlsm-base')
        # The series inserts lines 4-5 and appends line 13 of sec/a.c,
        # adds line 3 of rust/f.rs and a new file.
        lines = [f'old {i}\n' for i in range(1, 11)]
        lines[3:3] = ['new 4\n', 'new 5\n']
        lines.append('new 13\n')
        self.write('sec/a.c', ''.join(lines))
        self.write('rust/f.rs', 'a\nb\nc\n')
        self.write('sec/n.c', 'x\ny\n')
        git(self.tree, 'add', '.')
        git(self.tree, 'commit', '-q', '-m', 'series')

    def tearDown(self):
        shutil.rmtree(self.d)

    def write(self, name, text):
        with open(os.path.join(self.tree, name), 'w', encoding='utf-8') as f:
            f.write(text)

    def new(self, log):
        path = os.path.join(self.d, 'build.log')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(log)
        r = sh(f'series_new_warnings "{self.tree}" "{path}"')
        self.assertEqual(r.returncode, 0, r.stderr)
        return r.stdout.splitlines()

    def test_untouched_lines_are_the_bases(self):
        self.assertEqual(self.new(
            '../linux/sec/a.c:3:1: warning: before the insertion\n'
            f'{self.tree}/sec/a.c:6:2: warning: an old line, moved\n'
            'sec/a.c:12:1: error: last old line\n'), [])

    def test_added_lines_in_every_path_form(self):
        log = ('../linux/sec/a.c:4:1: warning: gcc, relative to O=\n'
               f'{self.tree}/sec/a.c:5:7: warning: sparse, absolute\n'
               'sec/a.c:13:1: error: clang, relative to the tree\n'
               'sec/n.c:1:1: warning: a new file\n')
        self.assertEqual(self.new(log), log.splitlines())

    def test_rustc_location(self):
        got = self.new('warning: unused variable\n  |\n  --> rust/f.rs:3:9\n'
                       'warning: old\n  --> rust/f.rs:1:1\n')
        self.assertIn('  --> rust/f.rs:3:9', got)
        self.assertIn('warning: unused variable', got)
        self.assertNotIn('  --> rust/f.rs:1:1', got)

    def test_notes_and_unknown_files_ignored(self):
        self.assertEqual(self.new(
            'sec/a.c:4:1: note: a note is no warning\n'
            'include/x.h:4:1: warning: not in the tree\n'), [])


class DebianLsmOrder(unittest.TestCase):
    def test_security_selinux_drops_other_legacy_majors(self):
        cache = tempfile.mkdtemp()
        try:
            pin = os.path.join(TOP, 'kernel', 'toolchain.pin')
            r = sh(f'pin_get CONFIG_VERSION {pin}; basename "$(pin_get CONFIG_FILE {pin})" .xz')
            ver, name = r.stdout.split()
            os.makedirs(os.path.join(cache, 'debian-config', ver))
            with open(os.path.join(cache, 'debian-config', ver, name), 'w',
                      encoding='utf-8') as f:
                f.write('CONFIG_X=y\nCONFIG_LSM="landlock,apparmor,selinux,'
                        'smack,tomoyo,bpf"\n')
            r = sh('debian_lsm_order', {'FWLSM_CACHE': cache})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, 'landlock,selinux,bpf,bpf_sig\n')
            with open(os.path.join(cache, 'debian-config', ver, name), 'w',
                      encoding='utf-8') as f:
                f.write('CONFIG_X=y\n')
            r = sh('debian_lsm_order', {'FWLSM_CACHE': cache})
            self.assertNotEqual(r.returncode, 0)
            self.assertIn('has no CONFIG_LSM', r.stderr)
        finally:
            shutil.rmtree(cache)


if __name__ == '__main__':
    unittest.main()
