# errors.py: the exporter's error type
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later


class ExportError(Exception):
    """A problem with the user's input or the model's output, with a message for the user."""


# How the README ("Export your model's attention") installs the exporter's dependencies, from a
# checkout of attnflow: torch pinned first (an unpinned one may pull a CUDA build of several GB)
# with transformers pinned to the oldest version the tests run (tools/meson.build), then the
# exporter; the pins are the README's (tools/tests/test_checks.py compares them)
INSTALL_COMMAND = "pip install torch==2.13.0 transformers==4.57.6 && pip install ./tools"


class UsageError(ExportError):
    """A malformed option value or a combination of options that cannot work (exit status 2, as
    argparse and attnflow-cli use for usage errors); other ExportErrors exit 1."""
