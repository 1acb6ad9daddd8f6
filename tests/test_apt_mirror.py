# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/apt-mirror.py, which reads the machine's mirror."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'scripts'))
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    'apt_mirror', os.path.join(os.path.dirname(__file__), '..', 'scripts',
                               'apt-mirror.py'))
apt_mirror = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(apt_mirror)


class AptMirror(unittest.TestCase):
    def root(self, files):
        d = tempfile.mkdtemp()
        os.makedirs(os.path.join(d, 'sources.list.d'))
        for name, text in files.items():
            with open(os.path.join(d, name), 'w', encoding='utf-8') as f:
                f.write(text)
        return d

    def test_deb822_skips_security_and_comments(self):
        d = self.root({'sources.list.d/debian.sources': (
            'Types: deb\n'
            'URIs: http://sec.example/debian-security\n'
            'Suites: bookworm-security\n\n'
            'Types: deb\n'
            '# a comment\n'
            'URIs: http://mirror.example/debian/\n'
            'Suites: bookworm bookworm-updates\n'
            'Components: main\n')})
        self.assertEqual(apt_mirror.find_mirror(d), 'http://mirror.example/debian')

    def test_deb822_disabled_and_deb_src(self):
        d = self.root({'sources.list.d/a.sources': (
            'Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n\n'
            'Enabled: no\nTypes: deb\nURIs: http://off.example/debian\nSuites: bookworm\n')})
        self.assertIsNone(apt_mirror.find_mirror(d))

    def test_one_line_with_options(self):
        d = self.root({'sources.list': (
            '# deb http://commented.example/debian bookworm main\n'
            'deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main\n')})
        self.assertEqual(apt_mirror.find_mirror(d), 'http://one.example/debian')

    def test_old_security_layout_skipped(self):
        d = self.root({'sources.list': (
            'deb http://sec.example/debian-security bookworm/updates main\n'
            'deb http://two.example/debian bookworm main\n')})
        self.assertEqual(apt_mirror.find_mirror(d), 'http://two.example/debian')

    def test_nothing(self):
        self.assertIsNone(apt_mirror.find_mirror(self.root({})))


if __name__ == '__main__':
    unittest.main()
