# snap.py: the tie snapping of docs/METHODS.md, shared by the fixture generators
# (tests/generators/gen-correlate-fixtures.py, tests/generators/gen-spearman-fixtures.py).
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

TOLERANCE = 1e-9


def snap(values):
    """docs/METHODS.md: sort ascending; a value within 1e-9 of the first value of the
    current run joins the run and takes that first value."""
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    out = list(values)
    first = None
    for i in order:
        v = values[i]
        if first is not None and v - first <= TOLERANCE:
            out[i] = first
        else:
            first = v
            out[i] = v
    return out
