# attnflow_export: export a transformer's attention to attnflow's export format v1
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Export a transformer's attention, prediction and reference saliency to attention export v1.

``core`` works with any PyTorch model that returns its attention matrices; ``hf`` is the thin
glue for Hugging Face ``transformers``; ``cli`` is the ``attnflow-export`` command line.
"""

FORMAT = "attnflow"
VERSION = 1
