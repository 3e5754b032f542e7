# errors.py: the exporter's error type
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later


class ExportError(Exception):
    """A problem with the user's input or the model's output, with a message for the user."""


# How the README ("Export your model's attention") installs the exporter's dependencies, from a
# checkout of attnflow: torch pinned first (an unpinned one may pull a CUDA build of several GB),
# then the exporter, which brings transformers
INSTALL_COMMAND = "pip install torch==2.13.0 && pip install ./tools"


class UsageError(ExportError):
    """A malformed option value or a combination of options that cannot work (exit status 2, as
    argparse and attnflow-cli use for usage errors); other ExportErrors exit 1."""
