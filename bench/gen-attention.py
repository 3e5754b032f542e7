#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
"""Writes the synthetic long inputs of the scale and window benchmarks into OUTDIR.

    bench/gen-attention.py OUTDIR [NAME...]      NAME: one of INPUTS below (default all)

Realistic softmax attention: noisy logits plus one pattern per head (attention sink, diagonal,
previous token, next token or local window, broad), with a fixed seed per input:
  bert-128   12x12x128x128 float32, [CLS] ... [SEP], as .npy;
  bert-512   12x12x512x512 float32, [CLS] ... [SEP], as .npy and as base64 JSON;
  gpt-1024   12x12x1024x1024 float16, causal (row q attends to k <= q), GPT-2-style tokens, .npy;
  bert-256   12x12x256x256 float32, as bert-128;
  causal-2048, causal-4096: 12 layers, head-mixed (each layer the mean of the five kinds of
             head), causal, float16 .npy, GPT-2-style tokens, focus the last: a decoder model's
             export at n = 2048 (96 MiB) and 4096 (384 MiB).
Each input is NAME-npy.json (+ NAME-base64.json) beside NAME.npy; inputs already there are kept.
"""
import base64
import json
import os
import sys

import numpy as np


def softmax_head(rng, n, kind, causal):
    """One head's n x n attention: a softmax over noisy logits with the head's pattern."""
    logits = rng.standard_normal((n, n), dtype=np.float32) * np.float32(1.0)
    q = np.arange(n)[:, None]
    k = np.arange(n)[None, :]
    if kind == 0:          # attention sink
        logits[:, 0] += 7.0
        if not causal:
            logits[:, n - 1] += 6.0
    elif kind == 1:        # diagonal
        logits += 6.0 * (q == k)
    elif kind == 2:        # previous token
        logits += 6.0 * (k == q - 1)
    elif kind == 3:        # next token (local window when causal)
        logits += 6.0 * (k == q + 1) if not causal else 3.0 * ((q - k >= 0) & (q - k < 8))
    else:                  # broad
        logits *= np.float32(0.3)
    if causal:
        logits[k > q] = -np.inf
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def write(out, rng, name, L, H, n, dtype, causal, tokens, focus, b64):
    """H = 0: head-mixed ([L][n][n]), each layer the mean of the five kinds of head."""
    path = os.path.join(out, name + ".npy")
    a = np.lib.format.open_memmap(path, mode="w+", dtype=dtype, shape=(L, H, n, n) if H else (L, n, n))
    for l in range(L):
        if H == 0:
            mean = np.zeros((n, n), dtype=np.float32)
            for kind in range(5):
                mean += softmax_head(rng, n, (kind + l) % 5, causal)
            a[l] = (mean / np.float32(5)).astype(dtype)
        for h in range(H):
            a[l, h] = softmax_head(rng, n, (l * H + h + l) % 5, causal).astype(dtype)
    a.flush()
    head = {"id": name, "tokens": tokens, "focus": focus}
    with open(os.path.join(out, name + "-npy.json"), "w") as f:
        json.dump(dict(head, attention={"npy": name + ".npy"}), f)
    if b64:
        with open(os.path.join(out, name + "-base64.json"), "w") as f:
            f.write(json.dumps(head)[:-1])
            f.write(', "attention": {"dtype": "%s", "shape": [%d, %d, %d, %d], "base64": "'
                    % (np.dtype(dtype).name, L, H, n, n))
            f.write(base64.b64encode(np.asarray(a).tobytes()).decode())
            f.write('"}}\n')
    del a


def bert(n):
    return ["[CLS]"] + ["w%d" % i for i in range(n - 2)] + ["[SEP]"]


# gpt-1024 continues bert-512's random stream (the inputs measured in BENCHMARKS.md were made
# one after the other from one generator): it first skips bert-512's 144 draws of 512 x 512.
INPUTS = {
    # name: (seed, L, H, n, dtype, causal, tokens, focus, base64 too)
    "bert-128": (2021, 12, 12, 128, np.float32, False, bert(128), 0, False),
    "bert-512": (2020, 12, 12, 512, np.float32, False, bert(512), 0, True),
    "gpt-1024": (2020, 12, 12, 1024, np.float16, True,
                 ["\u0120w%d" % i for i in range(1024)], 1023, False),
    # the long-input benchmark (bench-long.sh): every node's flow and the side by side at 256,
    # and a decoder model's head-mixed export (H = 0) at 2048 (96 MiB) and 4096 (384 MiB)
    "bert-256": (2022, 12, 12, 256, np.float32, False, bert(256), 0, False),
    "causal-2048": (2048, 12, 0, 2048, np.float16, True,
                    ["\u0120w%d" % i for i in range(2048)], 2047, False),
    "causal-4096": (4096, 12, 0, 4096, np.float16, True,
                    ["\u0120w%d" % i for i in range(4096)], 4095, False),
}


def main():
    if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    names = sys.argv[2:] or list(INPUTS)
    for name in names:
        if name not in INPUTS:
            sys.exit("unknown input %s (known: %s)" % (name, ", ".join(INPUTS)))
    os.makedirs(out, exist_ok=True)
    for name in names:
        if os.path.exists(os.path.join(out, name + "-npy.json")):
            continue
        seed, L, H, n, dtype, causal, tokens, focus, b64 = INPUTS[name]
        rng = np.random.default_rng(seed)
        if name == "gpt-1024":
            for _ in range(12 * 12):
                rng.standard_normal((512, 512), dtype=np.float32)
        write(out, rng, name, L, H, n, dtype, causal, tokens, focus, b64)


if __name__ == "__main__":
    main()
