# run.py: runs the exporter's tests (meson test suite "tools")
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Exits 77 (skipped) when torch or numpy is missing, unless CI=true, where that is a failure;
# with --without-torch, runs only the tests that need neither.

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
tools = os.path.dirname(here)
sys.path.insert(0, tools)
sys.path.insert(0, here)

# --without-torch: only the tests that need neither torch nor numpy (test_checks.py), which
# run wherever Python does and are never skipped
if sys.argv[1:] == ["--without-torch"]:
    suite = unittest.defaultTestLoader.discover(here, pattern="test_checks.py", top_level_dir=here)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)

try:
    import numpy  # noqa: F401
    import torch  # noqa: F401
except ImportError as exc:
    if os.environ.get("CI") == "true":
        print("CI=true and the exporter tests cannot run: %s (install python3-torch python3-numpy)"
              % exc, file=sys.stderr)
        sys.exit(1)
    print("skipping the exporter tests: %s" % exc, file=sys.stderr)
    sys.exit(77)

suite = unittest.defaultTestLoader.discover(here, pattern="test_*.py", top_level_dir=here)
result = unittest.TextTestRunner(verbosity=2).run(suite)
sys.exit(0 if result.wasSuccessful() else 1)
