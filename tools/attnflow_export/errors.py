# errors.py: the exporter's error type
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later


class ExportError(Exception):
    """A problem with the user's input or the model's output, with a message for the user."""
