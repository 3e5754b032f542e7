#!/usr/bin/python3
# check-test-fixtures.py: the committed output of make-test-fixtures.py is current
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-test-fixtures.py SOURCE_ROOT
#
# Runs make-test-fixtures.py into a temporary folder and compares every file it
# writes (tests/data/loader/, and tests/data/bad/ with the catalogue README.md
# and catalogue.h) with the committed one, byte for byte (a symbolic link by its
# target; a gzip file by its header's magic, method, flags and time and by what
# it decompresses to, as zlib's and Python's versions compress the same data to
# other bytes and mark another system in the header). Exit 0 when all match, 1
# when one differs or is missing, 77 (skip) without numpy unless CI=true.

import gzip
import os
import subprocess
import sys
import tempfile


def same_bytes(name, a, b):
    """Whether the fixtures @a and @b (bytes) are the same file @name"""
    if name.endswith(".gz"):
        # magic, method, flags, modification time: not the extra flags or the
        # system (bytes 8 and 9), nor the compressed stream itself
        try:
            return a[:8] == b[:8] and gzip.decompress(a) == gzip.decompress(b)
        except (OSError, EOFError):
            return False
    return a == b


def main():
    root = os.path.abspath(sys.argv[1])
    generator = os.path.join(root, "tests", "generators", "make-test-fixtures.py")
    try:
        import numpy  # noqa: F401  (the generator's one dependency)
    except ImportError:
        print("numpy is not installed: cannot run make-test-fixtures.py")
        return 1 if os.environ.get("CI") == "true" else 77

    with tempfile.TemporaryDirectory(prefix="attnflow-fixtures.") as tmp:
        subprocess.run([sys.executable, generator, tmp], check=True)
        stale = []
        for sub in ["loader", "bad"]:
            made_dir = os.path.join(tmp, "tests", "data", sub)
            for name in sorted(os.listdir(made_dir)):
                made = os.path.join(made_dir, name)
                rel = os.path.join("tests", "data", sub, name)
                committed = os.path.join(root, rel)
                if os.path.islink(made):
                    same = os.path.islink(committed) and os.readlink(committed) == os.readlink(made)
                elif not os.path.isfile(committed) or os.path.islink(committed):
                    same = False
                else:
                    with open(made, "rb") as a, open(committed, "rb") as b:
                        same = same_bytes(name, a.read(), b.read())
                if not same:
                    stale.append(rel)
    if stale:
        for rel in stale:
            print("differs from what make-test-fixtures.py writes: " + rel)
        print("Regenerate from the repository root with "
              "/usr/bin/python3 tests/generators/make-test-fixtures.py and commit the result "
              "(edit the generator, not its output).")
        return 1
    print("the loader fixtures and the bad-input catalogue match make-test-fixtures.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
