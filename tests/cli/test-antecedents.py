#!/usr/bin/env python3
# test-antecedents.py: `attnflow-cli antecedents` against an independent computation
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-antecedents.py ATTNFLOW_CLI SOURCE_ROOT
#
# On the bundled MiniLM pronoun set (data/examples/pronouns-minilm.json):
# - the candidates' values in --format json are the antecedents' columns of what
#   `attnflow-cli raw|rollout|flow --example all` prints for the focus token;
# - raw attention and rollout are recomputed here with numpy from the file's
#   float32 attention (mean over heads, (1-a) W + a I renormalised, the
#   product down the layers), flow with networkx (Edmonds-Karp, one max-flow
#   per input token, normalised) for the first pair;
# - wins, ties and shares are counted here from those values (a win: the
#   first candidate leads every other one by more than 1e-9; a tie: neither
#   side leads by more) and must equal the JSON, the CSV and the text table;
# - --method, --residual, --heads and --head-mix reach the computation;
# - files without usable antecedents, and bad options, fail with a clear error.
# TAP output.

import base64
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

TOL = 1e-9
METHODS = ["raw", "rollout", "flow"]

results = []


def check(ok, name, detail=""):
    results.append((bool(ok), name, detail))


def run(cli, root, *args):
    proc = subprocess.run([cli] + list(args), cwd=root, capture_output=True, text=True,
                          timeout=900)
    return proc.returncode, proc.stdout, proc.stderr


def attention(example):
    enc = example["attention"]
    data = np.frombuffer(base64.b64decode(enc["base64"]), dtype="<f4")
    return data.reshape(enc["shape"]).astype(np.float64)


def mixed(att, heads=None, mix="mean"):
    sub = att if heads is None else att[:, heads]
    return sub.max(axis=1) if mix == "max" else sub.mean(axis=1)


def augmented(w, alpha):
    n = w.shape[-1]
    a = (1.0 - alpha) * w + alpha * np.eye(n)
    return a / a.sum(axis=-1, keepdims=True)


def raw_values(att, focus, **kw):
    return mixed(att, **kw)[:, focus, :]


def rollout_values(att, focus, alpha=0.5, **kw):
    a = augmented(mixed(att, **kw), alpha)
    r = a[0]
    out = [r[focus]]
    for l in range(1, a.shape[0]):
        r = a[l] @ r
        out.append(r[focus])
    return np.array(out)


def flow_values(att, focus, alpha=0.5):
    import networkx as nx
    a = augmented(mixed(att), alpha)
    L, n = a.shape[0], a.shape[1]
    out = []
    for layer in range(1, L + 1):
        g = nx.DiGraph()
        for l in range(1, layer + 1):
            for q in range(n):
                for k in range(n):
                    g.add_edge((l, q), (l - 1, k), capacity=a[l - 1][q][k])
        row = np.array([nx.maximum_flow_value(g, (layer, focus), (0, j),
                                              flow_func=nx.algorithms.flow.edmonds_karp)
                        for j in range(n)])
        out.append(row / row.sum())
    return np.array(out)


def outcome(values):
    best = max(values[1:])
    if values[0] - best > TOL:
        return "win"
    if best - values[0] > TOL:
        return "miss"
    return "tie"


def counts(per_example, method, L):
    wins, ties = [0] * L, [0] * L
    for e in per_example:
        for l in range(L):
            o = outcome(e[method][l])
            wins[l] += o == "win"
            ties[l] += o == "tie"
    return wins, ties


def cell(w, t, n):
    text = "%.1f%% (%d/%d" % (100.0 * w / n, w, n)
    return text + (", %d tied)" % t if t else ")")


def main():
    cli, root = sys.argv[1], sys.argv[2]
    path = "data/examples/pronouns-minilm.json"
    with open(os.path.join(root, path), encoding="utf-8") as f:
        doc = json.load(f)
    examples = {e["id"]: e for e in doc["examples"]}
    with_antecedents = [e for e in doc["examples"] if len(e.get("antecedents", [])) >= 2]

    code, out, err = run(cli, root, "antecedents", path, "--format", "json")
    check(code == 0, "antecedents --format json exits 0", err)
    got = json.loads(out)
    L = len(got["layers"])
    per = got["per_example"]
    check(got["examples"] == len(with_antecedents) == 44 and got["left_out"] == 0 and L == 6,
          "44 examples compared, none left out, 6 layers")
    check([e["id"] for e in per] == [e["id"] for e in with_antecedents], "examples in file order")
    check(all(e["focus"] == examples[e["id"]]["focus"] and
              e["antecedents"] == examples[e["id"]]["antecedents"] and
              e["tokens"] == [examples[e["id"]]["tokens"][i] for i in e["antecedents"]]
              for e in per), "focus, antecedents and their tokens as in the file")

    # the values are the antecedents' columns of raw|rollout|flow at the focus
    for m in METHODS:
        code, out, err = run(cli, root, m, path, "--example", "all", "--format", "json")
        rows = {r["example"]: r for r in json.loads(out)}
        worst = 0.0
        for e in per:
            r = rows[e["id"]]
            assert r["position"] == e["focus"]
            for l in range(L):
                want = [r["layers"][l]["values"][i] for i in e["antecedents"]]
                worst = max(worst, max(abs(x - y) for x, y in zip(e[m][l], want)))
        check(code == 0 and worst == 0.0, "%s values = attnflow-cli %s at the focus" % (m, m),
              "max difference %g" % worst)

    # independent: numpy raw and rollout for every example
    worst = {"raw": 0.0, "rollout": 0.0}
    for e in per:
        ex = examples[e["id"]]
        att = attention(ex)
        cols = e["antecedents"]
        for m, f in (("raw", raw_values), ("rollout", rollout_values)):
            want = f(att, ex["focus"])[:, cols]
            worst[m] = max(worst[m], float(np.max(np.abs(np.array(e[m]) - want))))
    for m in ("raw", "rollout"):
        check(worst[m] < 1e-9, "%s values = numpy recomputation (44 examples)" % m,
              "max difference %g" % worst[m])

    # independent: networkx flow for the first pair
    worst = 0.0
    for e in per[:2]:
        ex = examples[e["id"]]
        want = flow_values(attention(ex), ex["focus"])[:, e["antecedents"]]
        worst = max(worst, float(np.max(np.abs(np.array(e["flow"]) - want))))
    check(worst < 1e-9, "flow values = networkx Edmonds-Karp (first pair)",
          "max difference %g" % worst)

    # the counts, shares, CSV and text table, counted here
    code, csv, err = run(cli, root, "antecedents", path, "--format", "csv")
    code2, text, err2 = run(cli, root, "antecedents", path)
    csv_lines = csv.splitlines()
    check(code == 0 and csv_lines[0] == "method,layer,share,wins,ties,examples,weights,residual,heads,head_mix", "CSV header", err)
    lines = text.splitlines()
    header = lines.index("layer  raw            rollout        flow") if \
        "layer  raw            rollout        flow" in lines else -L - 1
    text_rows = lines[header + 1:header + 1 + L]
    expected_rows = []
    for l in range(L):
        expected_rows.append([str(l + 1)])
    for m in METHODS:
        wins, ties = counts(per, m, L)
        check(got["wins"][m] == wins and got["ties"][m] == ties,
              "%s wins and ties counted independently" % m,
              "%s %s / %s %s" % (got["wins"][m], got["ties"][m], wins, ties))
        check(all(abs(got["share"][m][l] - wins[l] / 44.0) < 1e-15 for l in range(L)),
              "%s shares = wins / 44" % m)
        rows = [line.split(",") for line in csv_lines[1:] if line.startswith(m + ",")]
        check(len(rows) == L and all(
            int(r[1]) == l + 1 and abs(float(r[2]) - wins[l] / 44.0) < 1e-15 and
            int(r[3]) == wins[l] and int(r[4]) == ties[l] and int(r[5]) == 44
            for l, r in enumerate(rows)), "%s CSV rows" % m)
        for l in range(L):
            expected_rows[l].append(cell(wins[l], ties[l], 44))
    got_cells = [[c.strip() for c in row.split("  ") if c.strip()] for row in text_rows]
    check(code2 == 0 and got_cells == expected_rows, "text table cells",
          "%s / %s" % (got_cells, expected_rows))
    check("44 examples; residual 0.5, heads all, head mix mean" in text and
          "random pick of one candidate wins 50.0%" in text, "text settings and chance lines")

    # the references, scored the same way from the file
    for name in ("blankout", "gradient"):
        wins = ties = 0
        for e in with_antecedents:
            values = [e["references"][name][i] for i in e["antecedents"]]
            o = outcome(values)
            wins += o == "win"
            ties += o == "tie"
        r = got["references"].get(name, {})
        check(r == {"share": wins / 44.0, "wins": wins, "ties": ties, "examples": 44} and
              ("%s  %s" % (name, cell(wins, ties, 44))) in lines,
              "references.%s counted independently (%d/44)" % (name, wins), str(r))

    # options reach the computation
    code, out, err = run(cli, root, "antecedents", path, "--method", "rollout", "--residual", "0.2",
                         "--heads", "0,3", "--head-mix", "max", "--format", "json")
    one = json.loads(out) if code == 0 else {}
    check(code == 0 and list(one.get("share", {})) == ["rollout"] and
          all(set(e) == {"id", "focus", "antecedents", "tokens", "rollout"}
              for e in one["per_example"]), "--method rollout: rollout only", err)
    if code == 0:
        worst = 0.0
        for e in one["per_example"]:
            ex = examples[e["id"]]
            want = rollout_values(attention(ex), ex["focus"], alpha=0.2, heads=[0, 3],
                                  mix="max")[:, e["antecedents"]]
            worst = max(worst, float(np.max(np.abs(np.array(e["rollout"]) - want))))
        wins, ties = counts(one["per_example"], "rollout", L)
        check(worst < 1e-9 and one["wins"]["rollout"] == wins,
              "--residual 0.2 --heads 0,3 --head-mix max: numpy rollout and counts",
              "max difference %g" % worst)

    # errors
    code, out, err = run(cli, root, "antecedents", "data/examples/bert-base-uncased.json")
    check(code == 1 and out == "" and "bert-base-uncased.json" in err and
          "No example carries antecedents" in err, "a file without antecedents: exit 1", err)
    with tempfile.TemporaryDirectory() as tmp:
        single = json.loads(json.dumps(doc["examples"][0]))
        single["antecedents"] = single["antecedents"][:1]
        del single["contributions"]
        name = os.path.join(tmp, "single.json")
        with open(name, "w", encoding="utf-8") as f:
            json.dump(single, f)
        code, out, err = run(cli, root, "antecedents", name)
        check(code == 1 and out == "" and "single.json" in err and "one candidate" in err,
              "antecedents with one candidate only: exit 1", err)

        mixed_doc = {"format": "attnflow", "version": 1,
                     "examples": [json.loads(json.dumps(doc["examples"][0])),
                                  json.loads(json.dumps(doc["examples"][1]))]}
        short = mixed_doc["examples"][1]
        for e in mixed_doc["examples"]:
            del e["contributions"]
        att = attention(short)[:3].astype("<f4")
        short["attention"] = {"dtype": "float32", "shape": list(att.shape),
                              "base64": base64.b64encode(att.tobytes()).decode()}
        name = os.path.join(tmp, "mixed.json")
        with open(name, "w", encoding="utf-8") as f:
            json.dump(mixed_doc, f)
        code, out, err = run(cli, root, "antecedents", name)
        check(code == 1 and out == "" and "author-her" in err and "3 layers" in err,
              "examples of two models: exit 1 naming the example", err)

        # one candidate in one example of two: left out and counted
        mixed_doc["examples"][1] = json.loads(json.dumps(doc["examples"][1]))
        del mixed_doc["examples"][1]["contributions"]
        mixed_doc["examples"][1]["antecedents"] = [5]
        with open(name, "w", encoding="utf-8") as f:
            json.dump(mixed_doc, f)
        code, out, err = run(cli, root, "antecedents", name, "--format", "json")
        part = json.loads(out) if code == 0 else {}
        check(code == 0 and part.get("examples") == 1 and part.get("left_out") == 1,
              "an example with one candidate is left out and counted", err)
        code, out, err = run(cli, root, "antecedents", name)
        check(code == 0 and "1 example; " in out and "1 example with one candidate left out" in out,
              "the text says what was left out", out)

    code, out, err = run(cli, root, "antecedents", path, "--method", "gradient")
    check(code == 2 and "gradient" in err, "an unknown method: exit 2", err)
    code, out, err = run(cli, root, "antecedents", path, "--format", "xml")
    check(code == 2 and "xml" in err, "an unknown format: exit 2", err)
    code, out, err = run(cli, root, "antecedents", path, "--heads", "12")
    check(code == 1 and "12" in err, "a head the model lacks: exit 1", err)
    code, out, err = run(cli, root, "antecedents")
    check(code == 2, "no FILE: exit 2", err)

    print("1..%d" % len(results))
    for k, (ok, name, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", k, name))
        if not ok and detail:
            for line in str(detail).strip().splitlines()[-10:]:
                print("# " + line)
    return 0 if all(ok for ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
