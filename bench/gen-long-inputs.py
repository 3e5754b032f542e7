#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
"""Writes the inputs of bench/bench-long.sh into a folder (nothing is downloaded).

    gen-long-inputs.py DIR NAME...

NAME is one of
  causal-N   12 layers, head-mixed (the attention of each layer is the mean of five softmax heads:
             first-token sink, diagonal, previous token, local window of 8, broad), causal
             (row q attends to k <= q), float16 .npy, GPT-2-style tokens, focus the last token:
             the shape of a decoder model's export (n = 2048: a 96 MiB file);
  bert-N     12 layers x 12 heads, not causal, float32 .npy, [CLS] ... [SEP], focus 0: BERT-base.
Each writes DIR/NAME.npy and DIR/NAME.json (an export pointing at the .npy). Existing files are
kept. Values come from a fixed seed, so every run writes the same files.
"""
import json
import os
import sys

import numpy as np

LAYERS = 12
KINDS = 5


def softmax_head(rng, n, kind, causal):
    """One head's n x n attention: a softmax over noisy logits with the head's pattern."""
    logits = rng.standard_normal((n, n), dtype=np.float32)
    q = np.arange(n)[:, None]
    k = np.arange(n)[None, :]
    if kind == 0:          # attention sink
        logits[:, 0] += 7.0
        if not causal:
            logits[:, n - 1] += 6.0
    elif kind == 1:        # diagonal
        logits[q == k] += 6.0
    elif kind == 2:        # previous token
        logits[k == q - 1] += 6.0
    elif kind == 3:        # next token, or a local window when causal
        if causal:
            logits[(q - k >= 0) & (q - k < 8)] += 3.0
        else:
            logits[k == q + 1] += 6.0
    else:                  # broad
        logits *= np.float32(0.3)
    if causal:
        logits[k > q] = -np.inf
    logits -= logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    return logits


def write_export(folder, name, shape, dtype, fill, tokens, focus):
    path = os.path.join(folder, name + ".npy")
    part = path + ".part"
    a = np.lib.format.open_memmap(part, mode="w+", dtype=dtype, shape=shape)
    fill(a)
    a.flush()
    del a
    os.replace(part, path)
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump({"id": name, "tokens": tokens, "focus": focus, "attention": {"npy": name + ".npy"}}, f)


def causal(folder, name, n):
    rng = np.random.default_rng(2048)

    def fill(a):
        for l in range(LAYERS):
            acc = np.zeros((n, n), dtype=np.float32)
            for kind in range(KINDS):
                acc += softmax_head(rng, n, (kind + l) % KINDS, True)
            acc /= KINDS
            a[l] = acc.astype(np.float16)

    write_export(folder, name, (LAYERS, n, n), np.float16, fill,
                 ["\u0120w%d" % i for i in range(n)], n - 1)


def bert(folder, name, n, heads=12):
    rng = np.random.default_rng(2020)

    def fill(a):
        for l in range(LAYERS):
            for h in range(heads):
                a[l, h] = softmax_head(rng, n, (l * heads + h + l) % KINDS, False)

    write_export(folder, name, (LAYERS, heads, n, n), np.float32, fill,
                 ["[CLS]"] + ["w%d" % i for i in range(n - 2)] + ["[SEP]"], 0)


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    for name in sys.argv[2:]:
        if os.path.exists(os.path.join(folder, name + ".json")) and \
           os.path.exists(os.path.join(folder, name + ".npy")):
            continue
        kind, _, size = name.partition("-")
        if kind == "causal":
            causal(folder, name, int(size))
        elif kind == "bert":
            bert(folder, name, int(size))
        else:
            sys.exit("unknown input " + name)


if __name__ == "__main__":
    main()
