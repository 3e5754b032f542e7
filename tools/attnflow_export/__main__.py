# __main__.py: python -m attnflow_export, the same as the attnflow-export command
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

from .cli import run

run()
