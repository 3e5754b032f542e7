#!/usr/bin/python3
# gen-spearman-fixtures.py: writes tests/data/spearman.json, the expected values
# of test-statistics.c, computed with scipy.stats.spearmanr.
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run from the repository root: /usr/bin/python3 tests/generators/gen-spearman-fixtures.py
# (numpy 1.24, scipy 1.10 as in Debian 12).

import json
import math
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snap import TOLERANCE, snap  # noqa: E402 (tests/generators/snap.py)


def rho(x, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = scipy.stats.spearmanr(x, y).correlation
    r = float(r)
    return None if math.isnan(r) else r


def case(name, x, y, snapping=False):
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    c = {"name": name, "x": x, "y": y}
    if snapping:
        c["x_snapped"] = snap(x)
        c["y_snapped"] = snap(y)
        c["rho"] = rho(c["x_snapped"], c["y_snapped"])
        c["rho_without_snapping"] = rho(x, y)
    else:
        # Snapping must not change these inputs: check it here.
        assert snap(x) == x and snap(y) == y, name
        c["rho"] = rho(x, y)
    return c


rng = np.random.default_rng(20260)
cases = [
    case("distinct", [0.1, 0.4, 0.2, 0.9, 0.3], [1.0, 3.0, 2.0, 5.0, 4.0]),
    case("reversed", [1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]),
    case("ties-x", [1, 2, 2, 3, 3, 3, 4], [0.5, 0.1, 0.7, 0.3, 0.9, 0.2, 0.8]),
    case("ties-both", [1, 1, 2, 2, 3, 4, 4, 4], [5, 3, 3, 1, 1, 2, 2, 0]),
    case("constant-x", [0.25, 0.25, 0.25, 0.25], [1, 2, 3, 4]),
    case("constant-y", [1, 2, 3, 4], [7, 7, 7, 7]),
    case("constant-both", [2, 2, 2], [3, 3, 3]),
    case("n2-increasing", [0.1, 0.2], [3.0, 4.0]),
    case("n2-decreasing", [0.1, 0.2], [4.0, 3.0]),
    case("n2-tie", [0.1, 0.1], [4.0, 3.0]),
    case("scrambled", [1, 2, 3, 4, 5], [3, 1, 5, 2, 4]),
    case("random-30", rng.random(30), rng.random(30)),
    case("random-rounded-40", np.round(rng.random(40), 1), np.round(rng.random(40), 1)),
    case("negative-values", [-3.5, -1.0, 0.0, 2.5, -2.0, 1.0], [0.3, 0.1, 0.2, 0.6, 0.0, 0.5]),
    # Flow-like near ties: mathematically equal values a few ulps apart.
    case("snapping-ulps",
         [0.2, 0.2 + 2.7e-17, 0.2 - 2.7e-17, 0.1, 0.2 + 5.5e-17, 0.3, 0.2 - 8e-17],
         [0.9, 0.1, 0.5, 0.2, 0.3, 0.8, 0.4], snapping=True),
    case("snapping-both-sides",
         [0.05, 0.05 + 1e-12, 0.4, 0.4 - 3e-10, 0.4 + 6e-10, 0.55],
         [1.0, 1.0 + 4e-10, 0.5, 2.0, 2.0 - 9e-10, 0.7], snapping=True),
    # A run is anchored at its first value: 0, 0.6e-9, 1.2e-9 is two runs, not one chain.
    case("snapping-anchored",
         [0.0, 0.6e-9, 1.2e-9, 1.7e-9, 1.0],
         [0.3, 0.1, 0.2, 0.4, 0.5], snapping=True),
]

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
path = os.path.join(root, "tests", "data", "spearman.json")
with open(path, "w") as f:
    json.dump({"generator": "tests/generators/gen-spearman-fixtures.py",
               "computed_by": "scipy %s stats.spearmanr, numpy %s" % (scipy.__version__, np.__version__),
               "tolerance": TOLERANCE,
               "cases": cases}, f, indent=1)
    f.write("\n")
print("wrote", path)
