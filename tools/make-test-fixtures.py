#!/usr/bin/python3
# make-test-fixtures.py: writes the loader's test fixtures
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: /usr/bin/python3 tools/make-test-fixtures.py [REPO]
#
# Writes tests/data/loader/ (one small attention tensor in every encoding the
# loader reads) and the encoded files of tests/data/bad/ (the hand-written bad
# JSON files there are committed as they are). The generated files are
# committed too; run this again only to change them. Output is deterministic.
#
# Every attention value is k/64 for an integer k, so it is exact in float16,
# float32 and float64 and every encoding must load to the same doubles. The
# test (tests/core/test-loader.c) recomputes the same tensor from the formula
# in tiny_attention() below.

import base64
import io
import json
import os
import sys

import numpy as np

TOKENS = ["[CLS]", "the", "cat", "[SEP]"]
L, H, N = 2, 3, len(TOKENS)


def tiny_attention():
    """[L][H][n][n]: row (l, h, q) has weight (1 + (l + 2h + 3q + 5k) % 7) on key k,
    rescaled so each row sums to 1; values are multiples of 1/64 (exact in float16)."""
    a = np.zeros((L, H, N, N))
    for l in range(L):
        for h in range(H):
            for q in range(N):
                w = [1 + (l + 2 * h + 3 * q + 5 * k) % 7 for k in range(N)]
                # distribute 64 units proportionally, remainder to the last key
                units = [64 * x // sum(w) for x in w]
                units[-1] += 64 - sum(units)
                a[l, h, q] = np.array(units) / 64.0
    return a


def tiny_mixed():
    """[L][n][n]: the mean over heads is not a multiple of 1/64, so use head 0 of each layer."""
    return tiny_attention()[:, 0]


def example(ident, attention, **extra):
    e = {"id": ident, "text": "the cat", "tokens": TOKENS, "attention": attention}
    e.update(extra)
    return e


def document(examples, model="tiny-model"):
    return {"format": "attnflow", "version": 1, "model": model, "examples": examples}


def b64(array, dtype):
    return {
        "dtype": dtype,
        "shape": list(array.shape),
        "base64": base64.b64encode(array.astype("<" + {"float16": "f2", "float32": "f4",
                                                           "float64": "f8"}[dtype]).tobytes()).decode(),
    }


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=None)
        f.write("\n")


def write_npy(path, array, descr, version):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(array.astype(descr)), version=version,
                              allow_pickle=False)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def npy_bytes(array, descr, version=(1, 0), fortran=False):
    buf = io.BytesIO()
    arr = array.astype(descr)
    if fortran:
        arr = np.asfortranarray(arr)
    np.lib.format.write_array(buf, arr, version=version, allow_pickle=False)
    return buf.getvalue()


def main():
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    good = os.path.join(repo, "tests", "data", "loader")
    bad = os.path.join(repo, "tests", "data", "bad")
    os.makedirs(good, exist_ok=True)
    os.makedirs(bad, exist_ok=True)

    a = tiny_attention()
    m = tiny_mixed()

    # Single example, nested [L][H][n][n], with every optional field.
    write_json(os.path.join(good, "tiny-nested.json"), example(
        "tiny", a.tolist(), model="tiny-model", focus=2,
        prediction={"label": "cat", "candidates": [{"label": "cat", "probability": 0.75},
                                                   {"label": "dog", "probability": 0.25}]},
        references={"blankout": [0.5, -0.25, 1.0, 0.0], "gradient": [1, 2, 3, 4]},
        unknown_field={"ignored": [True, None]}))

    # Multi-example: nested full, nested head-mixed, base64 in every dtype and rank.
    write_json(os.path.join(good, "tiny-multi.json"), document([
        example("nested", a.tolist()),
        example("mixed", m.tolist(), focus=3),
        example("b64-f16", b64(a, "float16")),
        example("b64-f32", b64(a, "float32")),
        example("b64-f64", b64(a, "float64")),
        example("b64-mixed-f32", b64(m, "float32")),
    ]))

    # .npy sidecars: every dtype in every format version, and a head-mixed one.
    npy_examples = []
    for version in [(1, 0), (2, 0), (3, 0)]:
        for descr in ["<f2", "<f4", "<f8"]:
            name = "v%d-%s" % (version[0], descr[1:])
            write_npy(os.path.join(good, "tiny-%s.npy" % name), a, descr, version)
            npy_examples.append(example("npy-" + name, {"npy": "tiny-%s.npy" % name}))
    write_npy(os.path.join(good, "tiny-mixed-f4.npy"), m, "<f4", (1, 0))
    npy_examples.append(example("npy-mixed-f4", {"npy": "./tiny-mixed-f4.npy"}))
    write_json(os.path.join(good, "tiny-npy.json"), document(npy_examples))

    # Rows off by more than 1e-3 in two examples: renormalised, one warning for the file.
    write_json(os.path.join(good, "renormalise.json"), document([
        example("double", (2 * a).tolist()),
        example("fine", a.tolist()),
        example("half", b64(a / 2, "float32")),
    ]))

    # A long base64 payload (more than the loader keeps in json-glib) next to a long
    # base64-looking text field, which must come back as text.
    big_tokens = ["t%d" % i for i in range(40)]
    bn = len(big_tokens)
    big = np.full((1, 2, bn, bn), 1.0 / bn)
    big[0, 1] = np.eye(bn)
    long_text = "QUJD" * 400
    write_json(os.path.join(good, "long-base64.json"), {
        "id": "long", "text": long_text, "tokens": big_tokens,
        "attention": b64(big, "float64")})

    # Bad .npy files (the JSON files pointing at them are hand-written in tests/data/bad/).
    with open(os.path.join(bad, "npy-truncated.npy"), "wb") as f:
        f.write(npy_bytes(a, "<f4")[:-10])
    with open(os.path.join(bad, "npy-wrong-dtype.npy"), "wb") as f:
        f.write(npy_bytes(a, "<i4"))
    with open(os.path.join(bad, "npy-big-endian.npy"), "wb") as f:
        f.write(npy_bytes(a, ">f4"))
    with open(os.path.join(bad, "npy-fortran.npy"), "wb") as f:
        f.write(npy_bytes(a, "<f4", fortran=True))
    # A header claiming a huge shape (and a product that overflows 64 bits) on a tiny file.
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4000000000, 4000000000, 4, 4), }"
    header = header.ljust(117) + "\n"
    with open(os.path.join(bad, "npy-huge-shape.npy"), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() +
                b"\0" * 64)
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 1000, 4, 4), }"
    header = header.ljust(117) + "\n"
    with open(os.path.join(bad, "npy-large-shape.npy"), "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() +
                b"\0" * 64)
    with open(os.path.join(bad, "npy-not-npy.npy"), "wb") as f:
        f.write(b"PK\x03\x04 this is a zip file, not a .npy file\n")
    with open(os.path.join(bad, "npy-extra-bytes.npy"), "wb") as f:
        f.write(npy_bytes(a, "<f4") + b"\0\0\0\0")


if __name__ == "__main__":
    main()
