#!/usr/bin/python3
# gen-correlate-fixtures.py: writes tests/data/correlate-sst2.json, the expected
# output of `attnflow-cli correlate data/examples/sst2-bert.json --reference gradient`,
# computed independently with numpy and scipy.stats.spearmanr.
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run from the repository root: /usr/bin/python3 tests/generators/gen-correlate-fixtures.py
#
# raw and rollout are computed here from the stored float32 attention (widened to
# float64, mean over heads, residual 0.5 as (W + I) / rowsum(W + I)). flow is not
# recomputed: for the two examples with golden values (tests/data/expected, numpy +
# networkx Edmonds-Karp) the golden flow rows at the focus token are used.

import base64
import json
import math
import os
import string
import sys
import warnings

import numpy as np
import scipy
import scipy.stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from snap import TOLERANCE, snap  # noqa: E402 (tests/generators/snap.py)

SPECIAL = {"[CLS]", "[SEP]", "[PAD]", "<s>", "</s>", "<pad>", "<|endoftext|>"}


def rho(x, y):
    if len(x) < 2:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(scipy.stats.spearmanr(snap(list(x)), snap(list(y))).correlation)


def is_special(token):
    t = token.strip()
    if t in SPECIAL:
        return True
    # Pure punctuation (the bundled SST-2 tokens are ASCII).
    return len(t) > 0 and all(c in string.punctuation for c in t)


def summary(per_example, method, n_layers):
    mean, std, nan_count = [], [], []
    for l in range(n_layers):
        column = [e[method][l] for e in per_example]
        kept = [v for v in column if not math.isnan(v)]
        nan_count.append(len(column) - len(kept))
        mean.append(float(np.mean(kept)) if kept else None)
        std.append(float(np.std(kept, ddof=1)) if len(kept) >= 2 else None)
    return mean, std, nan_count


def nulls(values):
    return [None if (v is None or math.isnan(v)) else v for v in values]


root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(root, "data", "examples", "sst2-bert.json")) as f:
    document = json.load(f)

golden_flow = {}
for name in ("sst2-0551", "sst2-1125"):
    with open(os.path.join(root, "tests", "data", "expected", "sst2-bert.%s.json" % name)) as f:
        golden_flow[name] = np.array(json.load(f)["flow"])

result = {"generator": "tests/generators/gen-correlate-fixtures.py",
          "computed_by": "numpy %s, scipy %s stats.spearmanr" % (np.__version__, scipy.__version__),
          "reference": "gradient"}

for variant, exclude in (("all_tokens", False), ("exclude_special", True)):
    per_example = []
    for example in document["examples"]:
        att = example["attention"]
        a = np.frombuffer(base64.b64decode(att["base64"]), dtype="<f4").astype(np.float64)
        a = a.reshape(att["shape"])
        n_layers, n = a.shape[0], a.shape[2]
        focus = example.get("focus", 0)
        ref = np.array(example["references"]["gradient"], dtype=np.float64)
        tokens = example["tokens"]
        keep = [j for j in range(n)
                if not (exclude and (j == focus or is_special(tokens[j])))]

        w = a.mean(axis=1)
        rollout = None
        entry = {"id": example["id"], "raw": [], "rollout": []}
        for l in range(n_layers):
            aug = w[l] + np.eye(n)
            aug = aug / aug.sum(axis=1, keepdims=True)
            rollout = aug if rollout is None else aug @ rollout
            entry["raw"].append(rho(ref[keep], w[l][focus][keep]))
            entry["rollout"].append(rho(ref[keep], rollout[focus][keep]))
        if example["id"] in golden_flow:
            flow = golden_flow[example["id"]]
            entry["flow"] = [rho(ref[keep], flow[l][focus][keep]) for l in range(n_layers)]
        per_example.append(entry)

    out = {"layers": list(range(1, n_layers + 1)), "mean": {}, "std": {}, "nan_count": {},
           "per_example": []}
    for method in ("raw", "rollout"):
        mean, std, nan_count = summary(per_example, method, n_layers)
        out["mean"][method] = nulls(mean)
        out["std"][method] = nulls(std)
        out["nan_count"][method] = nan_count
    for entry in per_example:
        out["per_example"].append({k: (v if k == "id" else nulls(v)) for k, v in entry.items()})
    result[variant] = out

path = os.path.join(root, "tests", "data", "correlate-sst2.json")
with open(path, "w") as f:
    json.dump(result, f, indent=1)
    f.write("\n")
print("wrote", path)
