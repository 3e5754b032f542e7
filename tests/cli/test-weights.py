#!/usr/bin/python3
# test-weights.py: raw, rollout and flow over every weight kind, against numpy and networkx
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-weights.py ATTNFLOW_CLI SOURCE_ROOT
#
# An independent computation of docs/METHODS.md, written here from the formulas (not from
# the C code): each stored row of a contribution divided by its sum; heads mixed (mean, or
# element-wise max); then Â = ((1-α) W + α I) / rowsum for attention, norm and attn-grad, and
# Â = W / rowsum (W) for globenc, alti and value-zeroing (which contain the residual); rollout
# as the product of the Â; flow as networkx's max-flow from node (l, p) to each input token,
# divided by their sum (Boykov-Kolmogorov: a max-flow's value does not depend on the algorithm,
# and it takes a sixth of Edmonds-Karp's time here; the golden files hold Edmonds-Karp's, the
# authors' primitive, for tests/core/test-golden.c). Compared with
# `attnflow-cli raw|rollout|flow --weights` to 1e-9 on the bundled real MiniLM pronoun set (every kind it carries), on its masked set
# (from the [MASK] node, where every example's focus must be) and on a generated
# file whose contributions have heads, rows far from summing to 1, float16/float64 base64 and
# nested encodings. `correlate --weights all` against scipy's Spearman ρ of the same independent
# raw and rollout values (and flow for two examples) on every kind; its --plot over kinds. TAP
# output. `antecedents --weights all` against the same graphs.

import base64
import json
import os
import subprocess
import sys
import tempfile

import networkx as nx
import numpy as np
import scipy.stats

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "generators"))
from snap import snap  # noqa: E402 (tests/generators/snap.py)

TOLERANCE = 1e-9
RESIDUAL_KINDS = {"globenc", "alti", "value-zeroing"}
KINDS = ["attention", "norm", "globenc", "alti", "value-zeroing", "attn-grad"]

count = 0
failures = 0


def report(ok, name, detail=""):
    global count, failures
    count += 1
    if not ok:
        failures += 1
    print(("ok" if ok else "not ok") + " %d %s" % (count, name))
    if not ok and detail:
        for line in detail.splitlines():
            print("# " + line)


def decode(array):
    """A stored array (nested, or base64 of a dtype) as float64, as the file gives it."""
    if isinstance(array, list):
        return np.array(array, dtype=np.float64)
    dtype = {"float16": "<f2", "float32": "<f4", "float64": "<f8"}[array["dtype"]]
    raw = np.frombuffer(base64.b64decode(array["base64"]), dtype=dtype)
    return raw.astype(np.float64).reshape(array["shape"])


def graph_matrices(stored, kind, heads, mix, alpha):
    """(W, Â) as L x n x n arrays."""
    if stored.ndim == 3:
        stored = stored[:, None, :, :]
    if kind != "attention":
        stored = stored / stored.sum(axis=-1, keepdims=True)
    else:
        # the loader renormalises attention rows further than 1e-3 from 1
        sums = stored.sum(axis=-1, keepdims=True)
        stored = np.where(np.abs(sums - 1.0) > 1e-3, stored / sums, stored)
    chosen = stored[:, heads, :, :] if heads is not None else stored
    w = chosen.max(axis=1) if mix == "max" else chosen.mean(axis=1)
    n = w.shape[-1]
    a = w if kind in RESIDUAL_KINDS else (1.0 - alpha) * w + alpha * np.eye(n)
    a = a / a.sum(axis=-1, keepdims=True)
    return w, a


def rollout(a, p):
    rows = []
    r = np.eye(a.shape[-1])
    for layer in range(a.shape[0]):
        r = a[layer] @ r
        rows.append(r[p])
    return np.array(rows)


FLOWS = {}


def flow(a, p):
    """Normalised max-flow from (l, p) to every input, for l = 1..L (computed once per graph)."""
    key = (a.tobytes(), p)
    if key not in FLOWS:
        FLOWS[key] = compute_flow(a, p)
    return FLOWS[key]


def compute_flow(a, p):
    n_layers, n = a.shape[0], a.shape[-1]
    rows = []
    # the graph of layers 1..top, grown by one layer for each top; its residual network built
    # once and shared by the n max-flows (each starts by setting every flow back to 0)
    g = nx.DiGraph()
    for top in range(1, n_layers + 1):
        for q in range(n):
            for k in range(n):
                if a[top - 1][q][k] > 0:
                    g.add_edge((top, q), (top - 1, k), capacity=float(a[top - 1][q][k]))
        residual = nx.algorithms.flow.build_residual_network(g, "capacity")
        values = np.array([nx.maximum_flow_value(g, (top, p), (0, j),
                                                 flow_func=nx.algorithms.flow.boykov_kolmogorov,
                                                 residual=residual)
                           for j in range(n)])
        rows.append(values / values.sum())
    return np.array(rows)


def run_cli(cli, args):
    proc = subprocess.run([cli] + args, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def compare(cli, path, example, stored, kind, method, heads_text=None, mix="mean", alpha=0.5):
    args = [method, path, "--example", example["id"], "--weights", kind]
    heads = None
    if heads_text is not None:
        args += ["--heads", heads_text]
        heads = [int(h) for h in heads_text.split(",")]
    if mix != "mean":
        args += ["--head-mix", mix]
    if alpha != 0.5:
        args += ["--residual", repr(alpha)]
    status, out, err = run_cli(cli, args)
    name = "%s %s %s --weights %s%s%s%s" % (method, os.path.basename(path), example["id"], kind,
                                            " --heads " + heads_text if heads_text else "",
                                            " --head-mix " + mix if mix != "mean" else "",
                                            " --residual %g" % alpha if alpha != 0.5 else "")
    if status != 0:
        report(False, name, err)
        return
    result = json.loads(out)
    got = np.array([entry["values"] for entry in result["layers"]])
    w, a = graph_matrices(stored, kind, heads, mix, alpha)
    p = example.get("focus", 0)
    if method == "raw":
        expected = w[:, p, :]
    elif method == "rollout":
        expected = rollout(a, p)
    else:
        expected = flow(a, p)
    worst = float(np.max(np.abs(got - expected)))
    report(result["weights"] == kind and worst <= TOLERANCE, name + " (max |diff| %.2g)" % worst,
           "expected %s\ngot      %s" % (expected.tolist(), got.tolist()))


def stored_weights(example, kind):
    if kind == "attention":
        return decode(example["attention"])
    return decode(example["contributions"][kind])


def bundled(cli, root):
    path = os.path.join(root, "data", "examples", "pronouns-minilm.json")
    with open(path, encoding="utf-8") as f:
        examples = json.load(f)["examples"]
    carried = ["attention"] + [k for k in KINDS[1:] if k in examples[0].get("contributions", {})]
    report(len(carried) >= 4, "the bundled pronoun set carries %d weight kinds: %s"
           % (len(carried), ", ".join(carried)))
    # raw and rollout for a spread of examples (the longest among them), flow for two
    for index in (0, 5, 22, 43):
        for kind in carried:
            stored = stored_weights(examples[index], kind)
            compare(cli, path, examples[index], stored, kind, "raw")
            compare(cli, path, examples[index], stored, kind, "rollout")
            if index in (0, 22):
                compare(cli, path, examples[index], stored, kind, "flow")
    # α only where it applies
    for kind in ("norm", "alti"):
        compare(cli, path, examples[1], stored_weights(examples[1], kind), kind, "rollout",
                alpha=0.2)


def masked(cli, root):
    """The masked pronoun set: it loads, every focus is the tokenizer's [MASK] (where the
    pronoun was) with the pair's two candidates, and raw, rollout and flow from the [MASK]
    node agree with the independent computation."""
    path = os.path.join(root, "data", "examples", "pronouns-masked-minilm.json")
    with open(os.path.join(root, "data", "examples", "pronouns-masked-minilm.jsonl"),
              encoding="utf-8") as f:
        lines = [json.loads(line) for line in f if line.strip()]
    with open(path, encoding="utf-8") as f:
        examples = json.load(f)["examples"]
    status, out, err = run_cli(cli, ["validate", path])
    report(status == 0 and out.endswith(": valid, %d examples\n" % len(lines)),
           "validate %s" % os.path.basename(path), out + err)
    status, out, err = run_cli(cli, ["info", path])
    rows = [line.split() for line in out.splitlines() if line[:1].isdigit()]
    report(status == 0 and "Examples: %d" % len(lines) in out
           and [(r[1], r[5], r[6]) for r in rows[:len(lines)]]
           == [(line["id"], "7", "“[MASK]”") for line in lines],
           "info: every example's focus is [MASK]", out + err)
    for line, example in zip(lines, examples):
        tokens = example["tokens"]
        focus = example["focus"]
        words = [tokens[i] for i in example["antecedents"]]
        report(example["id"] == line["id"] and tokens[focus] == "[MASK]"
               and tokens.count("[MASK]") == 1 and words == line["antecedents"]
               and "[MASK]" in line["text"] and tokens[focus + 1] == "book",
               "%s: [MASK] at the focus (%d), antecedents %s" % (example["id"], focus, words),
               json.dumps(tokens))
    for example in examples:
        for kind in ("attention", "alti"):
            stored = stored_weights(example, kind)
            for method in ("raw", "rollout", "flow"):
                compare(cli, path, example, stored, kind, method)


def spearman(x, y):
    return float(scipy.stats.spearmanr(snap(list(x)), snap(list(y))).correlation)


def correlate(cli, root):
    """correlate --weights all: one result per kind, each example's ρ as scipy computes it."""
    path = os.path.join(root, "data", "examples", "pronouns-minilm.json")
    with open(path, encoding="utf-8") as f:
        examples = json.load(f)["examples"]
    status, out, err = run_cli(cli, ["correlate", path, "--reference", "gradient", "--weights", "all",
                                     "--format", "json"])
    if status != 0:
        report(False, "correlate --weights all", err)
        return
    results = json.loads(out)
    report([r["weights"] for r in results] == KINDS and all(r["examples"] == 44 for r in results),
           "correlate --weights all reports every kind the file carries, over 44 examples each",
           "weights: %s" % [r["weights"] for r in results])
    flow_checked = {0: None, 22: None}
    for result in results:
        kind = result["weights"]
        worst = 0.0
        for index, example in enumerate(examples):
            _, a = graph_matrices(stored_weights(example, kind), kind, None, "mean", 0.5)
            w, _ = graph_matrices(stored_weights(example, kind), kind, None, "mean", 0.5)
            p = example["focus"]
            ref = np.array(example["references"]["gradient"])
            got = result["per_example"][index]
            expected = {"raw": [spearman(ref, w[l][p]) for l in range(w.shape[0])],
                        "rollout": [spearman(ref, row) for row in rollout(a, p)]}
            if index in flow_checked:
                expected["flow"] = [spearman(ref, row) for row in flow(a, p)]
            for method, values in expected.items():
                worst = max(worst, float(np.max(np.abs(np.array(got[method]) - np.array(values)))))
        report(worst <= 1e-12, "correlate --weights all: %s ρ per example as scipy's (max |diff| %.2g)"
               % (kind, worst))
    # with --heads, the kinds given without heads are left out, in a note: the attention's
    # ρ over heads 0-3 as scipy's
    status, out, err = run_cli(cli, ["correlate", path, "--reference", "gradient", "--weights", "all",
                                     "--heads", "0-3", "--method", "rollout", "--format", "json"])
    # one kind: one object, not a list
    results = [json.loads(out)] if status == 0 else []
    worst = 0.0
    for index, example in enumerate(examples if [r["weights"] for r in results] == ["attention"] else []):
        _, a = graph_matrices(stored_weights(example, "attention"), "attention", [0, 1, 2, 3], "mean", 0.5)
        ref = np.array(example["references"]["gradient"])
        expected = [spearman(ref, row) for row in rollout(a, example["focus"])]
        worst = max(worst, float(np.max(np.abs(np.array(results[0]["per_example"][index]["rollout"]) -
                                               np.array(expected)))))
    report(len(results) == 1 and worst <= 1e-12 and
           "note: left out for heads 0,1,2,3, which they do not have: norm, globenc, alti, value-zeroing, "
           "attn-grad" in err,
           "correlate --weights all --heads 0-3: the attention alone, its ρ as scipy's (max |diff| %.2g), "
           "the other kinds named" % worst, out + err)
    # examples that differ in the kinds they carry: --weights all without --heads keeps every
    # kind, each over the examples that carry it (with --heads it dropped the kinds some lack)
    with tempfile.TemporaryDirectory() as directory:
        with open(path, encoding="utf-8") as f:
            mixed = json.load(f)
        mixed["examples"] = mixed["examples"][:3]
        del mixed["examples"][1]["contributions"]["norm"]
        mixed_path = os.path.join(directory, "mixed.json")
        with open(mixed_path, "w", encoding="utf-8") as f:
            json.dump(mixed, f)
        status, out, err = run_cli(cli, ["correlate", mixed_path, "--reference", "gradient", "--weights",
                                         "all", "--method", "raw", "--format", "json"])
        results = json.loads(out) if status == 0 else []
        report([r["weights"] for r in results] == KINDS and
               [r["examples"] for r in results] == [3, 2, 3, 3, 3, 3] and "left out for heads" not in err,
               "correlate --weights all over examples that differ in kinds: every kind, each over "
               "the examples that carry it", out + err)
    status, out, err = run_cli(cli, ["correlate", path, "--reference", "blankout", "--weights",
                                     "norm,alti", "--format", "csv", "--method", "flow"])
    lines = out.splitlines()
    # the weights lead, once; the other settings end every row
    report(status == 0 and lines[0] == "weights,method,layer,mean,std,examples,nan_count,"
           "reference,residual,heads,head_mix,exclude_special" and
           len(lines) == 1 + 2 * 6 and lines[1].startswith("norm,flow,1,") and
           lines[7].startswith("alti,flow,1,") and
           all(line.endswith(",44,0,blankout,0.5,all,mean,false") for line in lines[1:]),
           "correlate --weights norm,alti --format csv", out + err)
    status, out, err = run_cli(cli, ["correlate", path, "--reference", "blankout", "--weights",
                                     "globenc", "--method", "rollout"])
    report(status == 0 and "44 examples; weights globenc (the residual is in them); "
           "heads do not apply (weights without heads)" in out,
           "correlate's settings line names the weights and says α and the heads do not apply",
           out + err)
    with tempfile.TemporaryDirectory() as directory:
        svg = os.path.join(directory, "kinds.svg")
        status, out, err = run_cli(cli, ["correlate", path, "--reference", "gradient", "--weights",
                                         "norm,alti", "--method", "rollout", "--plot", svg])
        text = open(svg, encoding="utf-8").read() if os.path.exists(svg) else ""
        report(status == 0 and out.startswith("Spearman") and "<svg" in text and
               "<image" not in text and "by weight kind" in text,
               "correlate --weights norm,alti --plot OUT.svg: the table, and the plot over kinds "
               "as vectors", out + err)
        bad = os.path.join(directory, "kinds.txt")
        status, out, err = run_cli(cli, ["correlate", path, "--reference", "gradient", "--plot", bad])
        report(status == 2 and out == "" and not os.path.exists(bad) and "kinds.txt" in err,
               "correlate --plot with an unknown extension is a usage error", err)


def antecedents(cli, root):
    """antecedents --weights all: each kind's candidate values and wins from the same
    independent graphs (raw and rollout for every example, flow for two)."""
    path = os.path.join(root, "data", "examples", "pronouns-minilm.json")
    with open(path, encoding="utf-8") as f:
        examples = json.load(f)["examples"]
    status, out, err = run_cli(cli, ["antecedents", path, "--weights", "all", "--format", "json"])
    if status != 0:
        report(False, "antecedents --weights all", err)
        return
    results = json.loads(out)
    report([r["weights"] for r in results] == KINDS and all(r["examples"] == 44 for r in results),
           "antecedents --weights all reports every kind the file carries, over 44 examples each",
           "weights: %s" % [r["weights"] for r in results])
    for result in results:
        kind = result["weights"]
        n_layers = len(result["layers"])
        wins = {"raw": [0] * n_layers, "rollout": [0] * n_layers}
        worst = 0.0
        same_ids = True
        for index, example in enumerate(examples):
            w, a = graph_matrices(stored_weights(example, kind), kind, None, "mean", 0.5)
            p, candidates = example["focus"], example["antecedents"]
            rows = {"raw": w[:, p, :], "rollout": rollout(a, p)}
            if index in (0, 22):
                rows["flow"] = flow(a, p)
            got = result["per_example"][index]
            same_ids = same_ids and got["id"] == example["id"]
            for method, values in rows.items():
                picked = values[:, candidates]
                worst = max(worst, float(np.max(np.abs(np.array(got[method]) - picked))))
                if method in wins:
                    for layer in range(n_layers):
                        if picked[layer][0] > max(picked[layer][1:]) + 1e-9:
                            wins[method][layer] += 1
        report(same_ids and worst <= TOLERANCE and
               all(result["wins"][m] == wins[m] for m in wins),
               "antecedents --weights all: %s candidates' values and wins as computed here "
               "(max |diff| %.2g)" % (kind, worst),
               "wins %s, expected %s" % ({m: result["wins"][m] for m in wins}, wins))
    status, out, err = run_cli(cli, ["antecedents", path, "--weights", "norm,alti", "--method",
                                     "flow", "--format", "csv"])
    lines = out.splitlines()
    report(status == 0 and lines[0] == "weights,method,layer,share,wins,ties,examples,"
           "residual,heads,head_mix" and all(line.endswith(",0.5,all,mean") for line in lines[1:]) and
           len(lines) == 1 + 2 * (6 + 2) and lines[1].startswith("norm,flow,1,") and
           lines[7].startswith("norm,blankout,,") and lines[8].startswith("norm,gradient,,") and
           lines[9].startswith("alti,flow,1,"), "antecedents --weights norm,alti --format csv",
           out + err)
    status, out, err = run_cli(cli, ["antecedents", path, "--weights", "alti"])
    report(status == 0 and "44 examples; weights alti (the residual is in them); "
           "heads do not apply (weights without heads)" in out
           and "\nlayer  raw" in out, "antecedents' settings line names the weights", out + err)


def synthetic_file(directory):
    """An example whose contributions have heads, in three encodings."""
    rng = np.random.default_rng(20261203)
    n_layers, n_heads, n = 3, 4, 7
    tokens = ["[CLS]", "the", "cat", "sat", "on", "it", "[SEP]"]
    attention = rng.random((n_layers, n_heads, n, n)) + 0.01
    attention /= attention.sum(axis=-1, keepdims=True)
    norm = rng.random((n_layers, n_heads, n, n)) * 40.0          # rows far from 1
    norm[norm < 4.0] = 0.0                                        # zeros, never a whole row
    norm[:, :, np.arange(n), np.arange(n)] += 1.0
    alti = (rng.random((n_layers, 2, n, n)) + 0.125).astype(np.float16).astype(np.float64)
    globenc = rng.random((n_layers, n, n)) * 3.0 + 0.5
    grad = np.zeros((n_layers, n, n))
    grad[:] = np.eye(n)
    grad[:, 5, :] = rng.random((n_layers, n)) * 1e-3 + 1e-5      # small, not normalised

    def b64(values, dtype):
        data = np.ascontiguousarray(values, dtype=dtype)
        return {"dtype": {"<f2": "float16", "<f8": "float64"}[dtype],
                "shape": list(values.shape), "base64": base64.b64encode(data.tobytes()).decode()}

    example = {
        "id": "synthetic", "tokens": tokens, "focus": 5,
        "attention": attention.tolist(),
        "contributions": {"norm": b64(norm, "<f8"), "alti": b64(alti, "<f2"),
                          "globenc": globenc.tolist(), "attn-grad": b64(grad, "<f8")},
        "contributions_target": "a test",
    }
    path = os.path.join(directory, "synthetic.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "attnflow", "version": 1, "examples": [example]}, f)
    return path, example, {"attention": attention, "norm": norm, "alti": alti,
                           "globenc": globenc, "attn-grad": grad}


def synthetic(cli):
    with tempfile.TemporaryDirectory() as directory:
        path, example, stored = synthetic_file(directory)
        for kind in ("attention", "norm", "globenc", "alti", "attn-grad"):
            for method in ("raw", "rollout", "flow"):
                compare(cli, path, example, stored[kind], kind, method)
        compare(cli, path, example, stored["norm"], "norm", "rollout", heads_text="1,3", mix="max",
                alpha=0.3)
        compare(cli, path, example, stored["norm"], "norm", "flow", heads_text="0,2")
        compare(cli, path, example, stored["alti"], "alti", "flow", mix="max")
        compare(cli, path, example, stored["alti"], "alti", "raw", heads_text="1")

        # what the example lacks, and heads its weights lack: exit 1, named
        status, out, err = run_cli(cli, ["rollout", path, "--weights", "value-zeroing"])
        report(status == 1 and out == "" and
               "Example “synthetic” carries no “value-zeroing” weights (it carries: attention, "
               "norm, globenc, alti, attn-grad)" in err,
               "a kind the example lacks is an error that names it", err)
        status, out, err = run_cli(cli, ["flow", path, "--weights", "alti", "--heads", "2"])
        report(status == 1 and "“alti” weights: head 2 does not exist" in err,
               "a head the kind lacks is an error that names the kind", err)
        status, out, err = run_cli(cli, ["raw", path, "--weights", "grad"])
        report(status == 2 and "Unknown weights “grad”: use one of attention, norm, globenc, "
               "alti, value-zeroing, attn-grad" in err, "an unknown kind lists the known ones", err)
        status, out, err = run_cli(cli, ["raw", path, "--weights", "norm,alti"])
        report(status == 2 and "Unknown weights “norm,alti”" in err,
               "raw takes one kind, not a list", err)


def main():
    cli, root = sys.argv[1], sys.argv[2]
    bundled(cli, root)
    masked(cli, root)
    synthetic(cli)
    correlate(cli, root)
    antecedents(cli, root)
    print("1..%d" % count)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
