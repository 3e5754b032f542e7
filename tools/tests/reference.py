# reference.py: independent rollout, flow and Spearman for the exporter's tests
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""docs/METHODS.md written out with numpy and networkx, with no code of the exporter or of
attnflow-cli: the residual graph, rollout, flow by one networkx Edmonds-Karp max-flow per input
token (as the authors' reference code), and Spearman's rho with the snapping step."""

import numpy as np


def residual_graph(att, alpha=0.5):
    """Per layer, the head-mean (when there are heads) plus residual, rows renormalised, in
    float64 (docs/METHODS.md)."""
    att = np.asarray(att, dtype=np.float64)
    if att.ndim == 4:
        att = att.mean(axis=1)
    n = att.shape[-1]
    out = []
    for w in att:
        a = (1 - alpha) * w + alpha * np.eye(n)
        out.append(a / a.sum(axis=1, keepdims=True))
    return out


def rollout(att, alpha=0.5):
    result, r = [], None
    for a in residual_graph(att, alpha):
        r = a if r is None else a @ r
        result.append(r)
    return result


def flow(att, layer, position, alpha=0.5):
    """The normalised attention flow from node (layer, position) to every input token: one
    networkx Edmonds-Karp max-flow per input token, divided by the sum (the authors' code)."""
    import networkx as nx

    graph_layers = residual_graph(att, alpha)
    n = graph_layers[0].shape[0]
    g = nx.DiGraph()
    for l in range(1, layer + 1):
        a = graph_layers[l - 1]
        for q in range(n):
            for k in range(n):
                if a[q, k] > 0:
                    g.add_edge((l, q), (l - 1, k), capacity=float(a[q, k]))
    values = np.array([nx.maximum_flow_value(g, (layer, position), (0, j),
                                             flow_func=nx.algorithms.flow.edmonds_karp)
                       if g.has_node((0, j)) else 0.0 for j in range(n)])
    return values / values.sum()


def snap(values, eps=1e-9):
    """docs/METHODS.md: values within eps of the first value of their run (ascending) take it."""
    values = np.asarray(values, dtype=np.float64)
    out = values.copy()
    order = np.argsort(values, kind="mergesort")
    first = None
    for i in order:
        if first is None or values[i] - first > eps:
            first = values[i]
        out[i] = first
    return out


def spearman(a, b):
    """Spearman's rho with average ranks for ties (as scipy.stats.spearmanr), after snap()."""
    def ranks(x):
        x = snap(x)
        order = np.argsort(x, kind="mergesort")
        r = np.empty(len(x))
        i = 0
        while i < len(x):
            j = i
            while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
                j += 1
            r[order[i:j + 1]] = (i + j) / 2.0
            i = j + 1
        return r
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])
