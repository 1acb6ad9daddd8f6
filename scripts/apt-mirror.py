#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the Debian archive URI this machine's apt configuration uses.

Reads deb822 (*.sources) and one-line (*.list, sources.list) files under
/etc/apt (or the directory given with --root) and prints the first URI of a
"deb" entry whose suite is a Debian release rather than its security
archive.  Exits 1 when there is none.
"""
import argparse
import glob
import os
import sys


def is_release_suite(suite):
    return not suite.endswith('-security') and '/updates' not in suite


def deb822_entries(text):
    """Yield (types, uris, suites) of each stanza of a deb822 file."""
    for stanza in text.split('\n\n'):
        fields = {}
        key = None
        for line in stanza.splitlines():
            if not line.strip() or line.lstrip().startswith('#'):
                continue
            if line[0] in ' \t' and key:
                fields[key] += ' ' + line.strip()
                continue
            if ':' in line:
                key, val = line.split(':', 1)
                key = key.strip().lower()
                fields[key] = val.strip()
        if fields.get('enabled', 'yes').lower() == 'no':
            continue
        yield (fields.get('types', '').split(), fields.get('uris', '').split(),
               fields.get('suites', '').split())


def one_line_entries(text):
    for line in text.splitlines():
        line = line.split('#', 1)[0].split()
        if len(line) < 3 or line[0] != 'deb':
            continue
        words = line[1:]
        if words[0].startswith('['):
            while words and not words[0].endswith(']'):
                words = words[1:]
            words = words[1:]
        if len(words) >= 2:
            yield ['deb'], [words[0]], [words[1]]


def find_mirror(root):
    files = [os.path.join(root, 'sources.list')]
    files += sorted(glob.glob(os.path.join(root, 'sources.list.d', '*.list')))
    files += sorted(glob.glob(os.path.join(root, 'sources.list.d', '*.sources')))
    for path in files:
        try:
            with open(path, encoding='utf-8') as f:
                text = f.read()
        except OSError:
            continue
        parse = deb822_entries if path.endswith('.sources') else one_line_entries
        for types, uris, suites in parse(text):
            if 'deb' not in types:
                continue
            if not any(is_release_suite(s) for s in suites):
                continue
            for uri in uris:
                if uri.startswith(('http://', 'https://', 'file:/')):
                    return uri.rstrip('/')
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--root', default='/etc/apt')
    args = ap.parse_args()
    mirror = find_mirror(args.root)
    if not mirror:
        print(f'no Debian archive found under {args.root}', file=sys.stderr)
        return 1
    print(mirror)
    return 0


if __name__ == '__main__':
    sys.exit(main())
