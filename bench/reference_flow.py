#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
"""The authors' attention flow, for the side-by-side benchmark.

reference_flow.py FILE [--example ID] [--position P] [--layer L] [--print]

Reads an attention export (nested arrays or base64), mixes the heads and adds
the residual as the paper's notebook does, builds the networkx graph exactly
as attention_graph_util.py (Abnar & Zuidema 2020,
github.com/samiraabnar/attention_flow) does: get_adjmat(), a DiGraph from the
dense matrix, a 'capacity' attribute set edge by edge, then one
nx.maximum_flow_value(..., flow_func=edmonds_karp) per input token for the
chosen output node, normalised by the sum (compute_node_flow()).

Prints the elapsed times (whole process and the flow part) on stderr, and the
values with --print. Exits 77 when numpy or networkx is missing.
"""

import argparse
import base64
import json
import sys
import time

T0 = time.monotonic()

try:
    import numpy as np
    import networkx as nx
except ImportError as e:  # pragma: no cover
    print(f"reference_flow.py: skipped, {e.name} is not installed", file=sys.stderr)
    sys.exit(77)


def load_attention(path, example):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    examples = doc["examples"] if "examples" in doc else [doc]
    ex = examples[0]
    if example is not None:
        ex = next((e for e in examples if e.get("id") == example), None) or examples[int(example)]
    att = ex["attention"]
    if isinstance(att, dict):
        dtype = {"float16": "<f2", "float32": "<f4", "float64": "<f8"}[att["dtype"]]
        att = np.frombuffer(base64.b64decode(att["base64"]), dtype=dtype).reshape(att["shape"])
    att = np.asarray(att, dtype=np.float64)
    return att, ex["tokens"]


# attention_graph_util.py, as published (np.arange loops kept).
def get_adjmat(mat, input_tokens):
    n_layers, length, _ = mat.shape
    adj_mat = np.zeros(((n_layers + 1) * length, (n_layers + 1) * length))
    labels_to_index = {}
    for k in np.arange(length):
        labels_to_index[str(k) + "_" + input_tokens[k]] = k

    for i in np.arange(1, n_layers + 1):
        for k_f in np.arange(length):
            index_from = (i) * length + k_f
            label = "L" + str(i) + "_" + str(k_f)
            labels_to_index[label] = index_from
            for k_t in np.arange(length):
                index_to = (i - 1) * length + k_t
                adj_mat[index_from][index_to] = mat[i - 1][k_f][k_t]

    return adj_mat, labels_to_index


def compute_node_flow(G, labels_to_index, input_nodes, output_nodes, length):
    number_of_nodes = len(labels_to_index)
    flow_values = np.zeros((number_of_nodes, number_of_nodes))
    for key in output_nodes:
        if key not in input_nodes:
            current_layer = int(labels_to_index[key] / length)
            pre_layer = current_layer - 1
            u = labels_to_index[key]
            for inp_node_key in input_nodes:
                v = labels_to_index[inp_node_key]
                flow_value = nx.maximum_flow_value(G, u, v, flow_func=nx.algorithms.flow.edmonds_karp)
                flow_values[u][pre_layer * length + v] = flow_value
            flow_values[u] /= flow_values[u].sum()

    return flow_values


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--example")
    parser.add_argument("--position", type=int, default=0)
    parser.add_argument("--layer", type=int)
    parser.add_argument("--print", action="store_true")
    args = parser.parse_args()

    att_mat, tokens = load_attention(args.file, args.example)
    if att_mat.ndim == 4:
        att_mat = att_mat.sum(axis=1) / att_mat.shape[1]
    n_layers, length = att_mat.shape[0], att_mat.shape[-1]
    layer = args.layer or n_layers

    # The notebook: residual, row-normalised, only the layers up to the output node.
    res_att_mat = att_mat + np.eye(length)[None, ...]
    res_att_mat = res_att_mat / res_att_mat.sum(axis=-1)[..., None]
    res_att_mat = res_att_mat[:layer]

    t_flow = time.monotonic()
    res_adj_mat, res_labels_to_index = get_adjmat(mat=res_att_mat, input_tokens=tokens)
    A = res_adj_mat
    res_G = nx.from_numpy_array(A, create_using=nx.DiGraph())
    for i in np.arange(A.shape[0]):
        for j in np.arange(A.shape[1]):
            nx.set_edge_attributes(res_G, {(i, j): A[i, j]}, "capacity")

    output_nodes = ["L" + str(layer) + "_" + str(args.position)]
    input_nodes = [key for key in res_labels_to_index if res_labels_to_index[key] < length]
    flow_values = compute_node_flow(res_G, res_labels_to_index, input_nodes, output_nodes, length)
    t_end = time.monotonic()

    u = res_labels_to_index[output_nodes[0]]
    values = flow_values[u][(layer - 1) * length:layer * length]
    if args.print:
        print(json.dumps([float(v) for v in values]))
    print(f"flow {1000 * (t_end - t_flow):.1f} ms, whole process {1000 * (t_end - T0):.1f} ms",
          file=sys.stderr)


if __name__ == "__main__":
    main()
