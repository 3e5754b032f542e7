#!/usr/bin/python3
# make-test-fixtures.py: writes the loader's test fixtures
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: /usr/bin/python3 tests/generators/make-test-fixtures.py [REPO]
#
# Writes tests/data/loader/ (one small attention tensor in every encoding the
# loader reads, and over a token of 45 characters for the figures) and the encoded files of tests/data/bad/ (the hand-written bad
# JSON files there are committed as they are). The generated files are
# committed too; run this again only to change them. Output is deterministic.
#
# Every attention value is k/64 for an integer k, so it is exact in float16,
# float32 and float64 and every encoding must load to the same doubles. The
# test (tests/core/test-loader.c) recomputes the same tensor from the formula
# in tiny_attention() below.

import base64
import gzip
import io
import json
import os
import pickle
import sys
import zipfile

import numpy as np

TOKENS = ["[CLS]", "the", "cat", "[SEP]"]
L, H, N = 2, 3, len(TOKENS)
LONG_TOKEN = "pneumonoultramicroscopicsilicovolcanoconiosis"


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
    repo = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
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

    # A token of 45 characters (longer than the 16 a figure fitted to a view shows, shorter
    # than the 100 one at its natural size shows whole), for the figures' token labels.
    long_tokens = ["[CLS]", "the", LONG_TOKEN, "[SEP]"]
    write_json(os.path.join(good, "long-token.json"), document([
        dict(example("long-token", a.tolist(), focus=2), text="the " + LONG_TOKEN,
             tokens=long_tokens)]))

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
    # A shape entry beyond 64 bits: named by its digits, not as 2^64 - 1.
    header = ("{'descr': '<f4', 'fortran_order': False, "
              "'shape': (99999999999999999999999, 1, 4, 4), }")
    header = header.ljust(117) + "\n"
    with open(os.path.join(bad, "npy-shape-beyond-64-bits.npy"), "wb") as f:
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
    with open(os.path.join(bad, "npy-extra-byte.npy"), "wb") as f:
        f.write(npy_bytes(a, "<f4") + b"\0")
    with open(os.path.join(bad, "npy-rank-1.npy"), "wb") as f:
        f.write(npy_bytes(a.reshape(-1), "<f4"))

    write_bad_catalogue(bad)


# ---------------------------------------------------------------------------
# The bad-input catalogue: tests/data/bad/NAME, with the error code and a piece
# of the message every loader front end must give (tests/core/test-loader.c reads
# the table back from tests/data/bad/README.md).

T2 = ["a", "b"]
A2 = [[[[0.5, 0.5], [0.25, 0.75]]]]           # [1][1][2][2]
A2_TWO = [[[0.5, 0.5], [0.25, 0.75]], [[1, 0], [0, 1]]]  # [1][2][2][2] as heads


def ex(**fields):
    e = {"id": "bad", "tokens": T2, "attention": A2}
    e.update(fields)
    return {k: v for k, v in e.items() if v is not REMOVE}


REMOVE = object()
F32_2x2 = base64.b64encode(np.array([[[0.5, 0.5], [0.25, 0.75]]], "<f4").tobytes()).decode()


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False)


def bad_cases():
    """(file, content (str or bytes), error code, message piece, description)"""
    c = []

    def add(name, content, code, piece, what):
        c.append((name, content, code, piece, what))

    add("empty.json", "", "PARSE", "The file is empty", "empty file")
    add("whitespace.json", "  \n\t\n", "PARSE", "The file is empty", "only whitespace")
    add("not-json.json", "attention please\n", "PARSE",
        "Line 1, column 1: the file is not valid JSON: “attention” is not a JSON value",
        "not JSON at all")
    add("truncated.json", dumps(ex())[:40], "PARSE",
        "Example “bad”, line 1, column 41: the file is not valid JSON: it ends inside a string",
        "truncated JSON")
    # cut short inside a field: the field, and where in it (it named only the example)
    add("truncated-attention.json", dumps(ex())[:dumps(ex()).index("0.75")], "PARSE",
        "Example “bad”, field “attention”: the file ends at layer 1, head 0, row 1, column 1 "
        "(line 1, column 72): it was cut short, and is not valid JSON",
        "JSON cut short inside a row of attention")
    add("truncated-attention-rows.json", dumps(ex())[:dumps(ex()).index("[0.25")], "PARSE",
        "Example “bad”, field “attention”: the file ends at layer 1, head 0, row 1 "
        "(line 1, column 65): it was cut short, and is not valid JSON",
        "JSON cut short between two rows of attention")
    add("top-level-array.json", dumps([ex()]), "INVALID", "The top level is an array",
        "wrong top-level type (array)")
    add("top-level-string.json", dumps("tokens"), "INVALID", "The top level is a string",
        "wrong top-level type (string)")
    add("tokens-missing.json", dumps(ex(tokens=REMOVE)), "INVALID",
        "Example “bad”, field “tokens”: missing", "no tokens")
    # one line of the exporter's sentences given for an export (two lines are JSON Lines)
    add("exporter-sentence.jsonl", dumps({"id": "author-his", "text": "The author talked to Sara.",
                                          "focus": "his", "antecedents": ["author", "sara"]}),
        "INVALID", "Example “author-his”, field “tokens”: missing, as is “attention”: this looks like "
        "a sentence for attnflow-export (--examples-file), not the attention export it writes",
        "a sentence of the exporter, not an export")
    add("attention-misspelt.json", dumps(ex(attention=REMOVE, attentions=A2)), "INVALID",
        "Example “bad”, field “attention”: missing (the example has “attentions”: a misspelling?)",
        "no attention, but a member named like it")
    add("tokens-empty.json", dumps(ex(tokens=[])), "INVALID",
        "Example “bad”, field “tokens”: empty", "empty tokens")
    add("tokens-not-strings.json", dumps(ex(tokens=["a", 7])), "INVALID",
        "field “tokens”: token 1 is a number, not a string", "a number among the tokens")
    add("tokens-null.json", dumps(ex(tokens=["a", None])), "INVALID",
        "field “tokens”: token 1 is null, not a string", "null among the tokens")
    add("tokens-not-array.json", dumps(ex(tokens="a b")), "INVALID",
        "field “tokens”: expected an array of strings, found a string", "tokens is a string")
    add("attention-missing.json", dumps(ex(attention=REMOVE)), "INVALID",
        "Example “bad”, field “attention”: missing", "no attention")
    add("attention-string.json", dumps(ex(attention="0.5 0.5")), "INVALID",
        "expected nested arrays or an encoded array, found a string", "attention is a string")
    add("ragged-row.json", dumps(ex(attention=[[[[0.5, 0.5], [1]]]])), "SHAPE",
        "layer 1, head 0, row 1 has 1 entry, expected 2: one per token, and “tokens” has 2",
        "ragged rows")
    add("ragged-row-mixed.json", dumps(ex(attention=[[[0.5, 0.5], [1]]])), "SHAPE",
        "layer 1, row 1 has 1 entry, expected 2: one per token, and “tokens” has 2",
        "ragged rows of head-mixed attention")
    add("ragged-row-two.json", dumps(ex(tokens=["a", "b", "c"],
                                        attention=[[[[0.2, 0.3, 0.5], [0.5, 0.5],
                                                    [0.2, 0.3, 0.5]]]])), "SHAPE",
        "layer 1, head 0, row 1 has 2 entries, expected 3: one per token, and “tokens” has 3",
        "ragged rows (a row of two entries)")
    add("ragged-heads.json", dumps(ex(attention=[A2_TWO, [A2_TWO[0]]])), "SHAPE",
        "layer 2 has 1 head, layer 1 has 2", "layers with different head counts")
    add("ragged-heads-more.json", dumps(ex(attention=[[A2_TWO[0]], A2_TWO])), "SHAPE",
        "layer 2 has 2 heads, layer 1 has 1", "a layer with more heads than layer 1")
    add("rank-1.json", dumps(ex(attention=[0.5, 0.5])), "SHAPE", "arrays, found 1 level",
        "wrong rank (1)")
    add("rank-2.json", dumps(ex(attention=[[0.5, 0.5], [0.25, 0.75]])), "SHAPE",
        "found 2 levels", "wrong rank (2)")
    add("rank-5.json", dumps(ex(attention=[A2])), "SHAPE", "found 5 levels", "wrong rank (5)")
    add("mixed-rank.json", dumps(ex(attention=[A2[0], [[0.5, 0.5]]])), "SHAPE",
        "layer 2 is one [n][n] matrix, and layer 1 has 1 head ([H][n][n]): every layer needs "
        "the same shape", "mixed ranks across layers")
    add("mixed-rank-heads.json", dumps(ex(attention=[A2_TWO, A2_TWO[0]])), "SHAPE",
        "layer 2 is one [n][n] matrix, and layer 1 has 2 heads ([H][n][n]): every layer needs "
        "the same shape", "a layer given as one matrix among layers of heads")
    add("mixed-rank-matrix-first.json", dumps(ex(attention=[A2_TWO[0], A2_TWO])), "SHAPE",
        "layer 2 has heads ([H][n][n]), and layer 1 is one [n][n] matrix: every layer needs the "
        "same shape", "a layer of heads among layers given as one matrix")
    add("n-mismatch.json", dumps(ex(tokens=["a", "b", "c"])), "SHAPE",
        "layer 1, head 0 has 2 rows, expected 3: one per token, and “tokens” has 3",
        "n disagrees with tokens")
    # tokens one short: the attention, not the references or the focus checked before it, is
    # said to disagree with them (it said “references.gradient”: has 2 entries, expected 1)
    add("n-mismatch-references.json", dumps(ex(tokens=["a"], focus=1,
                                                references={"gradient": [0.5, 0.5]})), "SHAPE",
        "Example “bad”, field “attention”: layer 1, head 0 has 2 rows, expected 1: one per token, "
        "and “tokens” has 1", "tokens one short of the attention, the references and the focus")
    add("n-mismatch-mixed.json", dumps(ex(tokens=["a"], attention=A2[0])), "SHAPE",
        "layer 1 has 2 rows, expected 1: one per token, and “tokens” has 1",
        "head-mixed n disagrees with tokens")
    add("n-mismatch-one-row.json", dumps(ex(tokens=["a", "b", "c"], attention=[[[[0.2, 0.3, 0.5]]]])),
        "SHAPE", "layer 1, head 0 has 1 row, expected 3: one per token, and “tokens” has 3",
        "one row where the tokens need three")
    add("n-mismatch-mixed-one-row.json", dumps(ex(attention=[[[0.5, 0.5]]])), "SHAPE",
        "layer 1 has 1 row, expected 2: one per token, and “tokens” has 2",
        "head-mixed: one row where the tokens need two")
    add("zero-layers.json", dumps(ex(attention=[])), "SHAPE", "there are zero layers",
        "zero layers")
    add("zero-heads.json", dumps(ex(attention=[[]])), "SHAPE", "layer 1 is empty",
        "zero heads")
    add("nan.json", dumps(ex()).replace("0.25", "NaN"), "PARSE",
        "Example “bad”, field “attention”: layer 1, head 0, row 1, column 0 holds NaN (line 1, "
        "column 66), which is not valid JSON: JSON has no NaN or infinity, and attnflow needs a "
        "finite number there, not null either (Python’s json.dump writes NaN and Infinity unless "
        "called with allow_nan=False)", "NaN")
    add("number-two-points.json", dumps(ex()).replace("0.25", "0.2.5"), "PARSE",
        "Example “bad”, field “attention”: layer 1, head 0, row 1, column 0 holds “0.2.5” (line 1, "
        "column 66), which is not a number", "a number with two points")
    add("number-plus.json", dumps(ex()).replace("0.25", "+0.25"), "PARSE",
        "layer 1, head 0, row 1, column 0 holds “+0.25” (line 1, column 66), which is not a number",
        "a number with a plus sign")
    cut_exponent = dumps(ex(references={"gradient": [1, 2]})).replace("2]}", "1e]}")
    add("number-exponent-cut.json", cut_exponent, "PARSE",
        "field “references.gradient”: entry 1 holds “1e” (line 1, column %d), which is not a "
        "number" % (cut_exponent.index("1e]") + 1), "a number whose exponent has no digits")
    hex_focus = dumps(ex(focus=1)).replace('"focus": 1', '"focus": 0x1')
    add("number-hex.json", hex_focus, "PARSE",
        "Example “bad”, field “focus”, line 1, column %d: the file is not valid JSON: “0x1” is not "
        "a number" % (hex_focus.index("0x1") + 1), "a hexadecimal number")
    add("infinity.json", dumps(ex()).replace("0.25", "Infinity"), "PARSE",
        "Example “bad”, field “attention”: layer 1, head 0, row 1, column 0 holds Infinity (line "
        "1, column 66), which is not valid JSON", "Infinity")
    add("minus-infinity.json",
        dumps(document([ex(id="ok"), ex(id="second")])).replace("0.25", "-Infinity", 2)
        .replace("-Infinity", "0.25", 1), "PARSE",
        "Example “second”, field “attention”: layer 1, head 0, row 1, column 0 holds -Infinity "
        "(line 1, column 223), which is not valid JSON", "-Infinity in the second example")
    add("nan-lowercase-mixed.json", dumps(ex(attention=[[[0.5, 0.5], [0.25, 0.75]]]))
        .replace("0.75", "nan"), "PARSE",
        "Example “bad”, field “attention”: layer 1, row 1, column 1 holds nan (line 1, column "
        "71), which is not valid JSON: JSON has no NaN or infinity",
        "nan (as C's printf writes it), head-mixed")
    add("nan-top-level.json", dumps(ex()).replace('{"id"', '{"focus": NaN, "id"'), "PARSE",
        "field “focus”, line 1, column 11: the file is not valid JSON: NaN is not "
        "a JSON value", "NaN as a field's whole value (no array to count in)")
    add("word-in-array.json", dumps(ex()).replace("0.75", "x"), "PARSE",
        "Example “bad”, field “attention”: layer 1, head 0, row 1, column 1 holds “x” (line 1, "
        "column 72), which is not valid JSON (a string needs double quotes",
        "a bare word in the attention")
    add("reference-nan.json", dumps(ex(references={"blankout": [1, 2]})).replace("2]", "NaN]"),
        "PARSE", "Example “bad”, field “references.blankout”: entry 1 holds NaN (line 1, "
        "column 113), which is not valid JSON", "NaN in a reference")
    add("contributions-infinity.json",
        dumps(ex(contributions={"attn-grad": [[[[0.5, 0.5], [0.5, 2]]]]})).replace("2]", "inf]"),
        "PARSE", "Example “bad”, field “contributions.attn-grad”: layer 1, head 0, row 1, column "
        "1 holds inf (line 1, column 134), which is not valid JSON", "inf in a contribution")
    add("prediction-probability-nan.json",
        dumps(ex(prediction={"label": "x", "candidates": [{"label": "x", "probability": 1},
                                                          {"label": "y", "probability": 0}]}))
        .replace("0}", "NaN}"), "PARSE",
        "Example “bad”, field “prediction.candidates”: candidate 1 holds NaN (line 1, column "
        "190), which is not valid JSON", "NaN as a candidate's probability")
    add("missing-comma.json", '{"id": "bad",\n "tokens": ["a", "b"]\n "attention": []}', "PARSE",
        "Line 2, column 22: the file is not valid JSON: a missing comma between two values near "
        "here", "a missing comma")
    three_heads = [[[[0.5, 0.5], [0.25, 0.75]]] * 3]  # text long enough for the scan to read
    one_line = dumps(ex(attention=three_heads, focus=0)).replace(', "focus"', ' "focus"')
    add("missing-comma-one-line.json", one_line, "PARSE",
        "Line 1, column %d: the file is not valid JSON: a missing comma between two values near "
        "here" % one_line.index('"focus"'), "a missing comma after an array the loader read itself, "
        "on the same line: the column is the file's")
    head = '{"id": "bad", "tokens": ["a", "b"], "attention": ' + json.dumps(three_heads, indent=1)
    add("missing-comma-multi-line.json", head + ' "focus": 0}', "PARSE",
        "Line %d, column %d: the file is not valid JSON: a missing comma between two values near "
        "here" % (head.count("\n") + 1, len(head.split("\n")[-1]) + 1),
        "a missing comma after an array of many lines the loader read itself: the line and "
        "column where the array ends")
    add("missing-colon-after-bom.json",
        '\ufeff{"id": "bad", "tokens" ["a", "b"], "attention": ' + dumps(three_heads) + "}",
        "PARSE", "Line 1, column 23: the file is not valid JSON: a missing colon after a key near "
        "here", "a missing colon in a file that starts with a byte-order mark, which is not a "
        "column")
    add("overflow-number.json", dumps(ex()).replace("0.25", "1e400"), "VALUE",
        "Example “bad”, field “attention”: layer 1, head 0, row 1, column 0 holds 1e400 (line 1, "
        "column 66), a number too large for a double", "a number that overflows to infinity: "
        "named as written, not as the infinity it reads as")
    add("overflow-number-dense.json",
        dumps(ex(tokens=list("abcd"), attention=[[[[0.25] * 4] * 3 + [[7, 0.25, 0.25, 0.25]]]]))
        .replace("7", "-1E+999"), "VALUE",
        "Example “bad”, field “attention”: layer 1, head 0, row 3, column 0 holds -1E+999 (line 1, "
        "column 142), a number too large for a double", "a number that overflows to infinity in "
        "an array long enough for the loader's fast reader of regular arrays")
    add("negative.json", dumps(ex(attention=[[[[0.5, 0.5], [-0.25, 1.25]]]])), "VALUE",
        "layer 1, head 0, row 1, column 0 holds -0.25", "a negative value")
    add("negative-mixed.json",
        dumps(ex(attention=[[[0.5, 0.5], [0.5, 0.5]], [[1, 0], [-1, 2]]])), "VALUE",
        "layer 2, row 1, column 0 holds -1", "a negative value, head-mixed")
    add("zero-row.json", dumps(ex(attention=[A2_TWO[:1] + [[[1, 0], [0, 0]]]])), "VALUE",
        "Example “bad”, field “attention”: layer 1, head 1, row 1 sums to zero",
        "an all-zero row")
    add("string-in-array.json", dumps(ex(attention=[[[[0.5, "0.5"], [0.25, 0.75]]]])),
        "INVALID", "layer 1, head 0, row 0, column 1 is a string, not a number",
        "a string among the numbers")
    add("bool-in-array.json", dumps(ex(attention=[[[[0.5, 0.5], [True, 0.75]]]])), "INVALID",
        "layer 1, head 0, row 1, column 0 is a boolean, not a number",
        "a boolean among the numbers")
    add("null-in-array.json", dumps(ex(attention=[[[[0.5, 0.5], [0.25, None]]]])), "INVALID",
        "layer 1, head 0, row 1, column 1 is null, not a number", "a null among the numbers")
    add("array-in-row.json", dumps(ex(attention=[[[[0.5, [0.5]], [0.25, 0.75]]]])), "INVALID",
        "row 0, column 1 is an array, not a number", "an array where a number belongs")

    def enc(dtype="float32", shape=(1, 1, 2, 2), data=F32_2x2, **kw):
        e = {"dtype": dtype, "shape": list(shape), "base64": data}
        e.update(kw)
        return {k: v for k, v in e.items() if v is not REMOVE}

    add("base64-bad-character.json", dumps(ex(attention=enc(data="AAA!" + F32_2x2[4:]))),
        "ENCODING", "field “attention.base64”: character 3 (“!”) is not base64",
        "a stray character in base64")
    add("base64-newline.json", dumps(ex(attention=enc(data=F32_2x2[:8] + "\n" + F32_2x2[9:]))),
        "ENCODING", "character 8 (a line break, \\n) is not base64", "a line break inside base64")
    add("base64-encodebytes.json", dumps(ex(attention=enc(data=F32_2x2 + "\n"))), "ENCODING",
        "Example “bad”, field “attention.base64”: character 24 (a line break, \\n) is not base64: "
        "write it in one piece, without line breaks (Python’s base64.b64encode(), not encodebytes())",
        "base64 as base64.encodebytes() writes it, ending in a line break (not a length to blame)")
    add("base64-inner-padding.json", dumps(ex(attention=enc(data="AA==" + F32_2x2[4:]))),
        "ENCODING", "character 2 (“=”) is not base64", "padding inside base64")
    add("base64-not-canonical.json",
        dumps(ex(attention=enc(dtype="float16", shape=(1, 1, 1, 1), data="ADx=",
                               ), tokens=["a"])),
        "ENCODING", "not canonical", "non-zero bits in the last base64 group")
    add("base64-bad-padding.json",
        dumps(ex(attention=enc(dtype="float16", shape=(1, 1, 1, 1), data="AD=="), tokens=["a"])),
        "ENCODING", "decodes to 1 byte, but the shape and dtype need 2",
        "wrong padding for the byte count")
    add("base64-length.json", dumps(ex(attention=enc(data=F32_2x2[:-4]))), "ENCODING",
        "has 20 characters, but shape and dtype float32 need 16 bytes (24 characters)",
        "byte count disagrees with shape")
    add("base64-missing.json", dumps(ex(attention=enc(data=REMOVE))), "INVALID",
        "an encoded array needs “base64”", "encoded array without base64")
    add("encoded-base64-and-npy.json",
        dumps(ex(attention=dict(enc(), npy="npy-extra-bytes.npy"))), "INVALID",
        "Example “bad”, field “attention”: an encoded array holds its values in “base64” or in "
        "“npy”, not in both", "an encoded array with both base64 and npy (which was meant?)")
    add("base64-not-string.json", dumps(ex(attention=enc(data=[1, 2]))), "INVALID",
        "field “attention.base64”: expected a string, found an array", "base64 is not a string")
    add("shape-overflow.json",
        dumps(ex(attention=enc(dtype="float64", shape=(4294967295, 4294967295, 2, 2)))),
        "SHAPE", "shape [4294967295, 4294967295, 2, 2] is too large",
        "a shape whose product overflows")
    add("shape-huge.json",
        dumps(ex(attention=enc(shape=(9007199254740991, 1, 2, 2)))),
        "SHAPE", "is too large", "a shape too large for the address space")
    add("shape-zero.json", dumps(ex(attention=enc(shape=(0, 1, 2, 2)))), "SHAPE",
        "field “attention.shape”: entry 0 is not a positive integer", "a zero in the shape")
    add("shape-fraction.json", dumps(ex(attention=enc(shape=(1.5, 1, 2, 2)))), "SHAPE",
        "entry 0 is not a positive integer", "a fraction in the shape")
    add("shape-string.json", dumps(ex(attention=enc(shape=("1", 1, 2, 2)))), "SHAPE",
        "entry 0 is not a positive integer", "a string in the shape")
    add("shape-rank.json", dumps(ex(attention=enc(shape=(4, 4)))), "SHAPE",
        "field “attention.shape”: has 2 entries", "a shape of the wrong rank")
    add("shape-rank-1.json", dumps(ex(attention=enc(shape=(4,)))), "SHAPE",
        "field “attention.shape”: has 1 entry;", "a shape of one entry")
    add("shape-tokens.json", dumps(ex(attention=enc(shape=(1, 1, 3, 3)))), "SHAPE",
        "shape [1, 1, 3, 3] does not match the 2 tokens", "shape disagrees with tokens")
    add("shape-one-token.json", dumps(ex(tokens=["a"], attention=enc())), "SHAPE",
        "shape [1, 1, 2, 2] does not match the 1 token", "shape disagrees with one token")
    add("dtype-unknown.json", dumps(ex(attention=enc(dtype="int8"))), "UNSUPPORTED",
        "unknown dtype “int8”", "unknown dtype")
    add("dtype-missing.json", dumps(ex(attention=enc(dtype=REMOVE))), "INVALID",
        "field “attention.dtype”: missing", "no dtype")

    add("npy-leaves-relative.json", dumps(ex(tokens=TOKENS, attention={"npy": "../loader/tiny-v1-f4.npy"})),
        "INVALID", "“../loader/tiny-v1-f4.npy” leaves the folder", ".npy path leaving the folder")
    add("npy-leaves-absolute.json", dumps(ex(tokens=TOKENS, attention={"npy": "/etc/hostname"})),
        "INVALID", "“/etc/hostname” leaves the folder", "absolute .npy path")
    add("npy-leaves-symlink.json", dumps(ex(tokens=TOKENS, attention={"npy": "escape-link.npy"})),
        "INVALID", "“escape-link.npy” leaves the folder",
        ".npy path through a symbolic link out of the folder")
    add("npy-missing.json", dumps(ex(tokens=TOKENS, attention={"npy": "no-such-file.npy"})),
        "IO", "cannot open “no-such-file.npy”", "missing .npy file")
    add("npy-folder.json", dumps(ex(tokens=TOKENS, attention={"npy": "."})), "IO",
        "Example “bad”, field “attention.npy”: “.” is not a regular file",
        ".npy path naming the JSON file's own folder (which it does not leave)")
    add("npy-not-string.json", dumps(ex(tokens=TOKENS, attention={"npy": 3})),
        "INVALID", "field “attention.npy”: expected a relative path", ".npy path is not a string")
    for name, code, piece, what in [
            # how much is missing (it said only “is truncated”)
            ("npy-truncated", "ENCODING", "“npy-truncated.npy” is truncated: its shape and dtype "
             "need 384 bytes of data, and it has 374", "truncated .npy"),
            ("npy-wrong-dtype", "UNSUPPORTED", "holds dtype “<i4”", ".npy of integers"),
            ("npy-big-endian", "UNSUPPORTED", "holds dtype “>f4”", "big-endian .npy"),
            ("npy-fortran", "UNSUPPORTED", "is in Fortran order", "Fortran-order .npy"),
            ("npy-huge-shape", "SHAPE", "shape [4000000000, 4000000000, 4, 4] is too large",
             ".npy header claiming a shape whose size overflows"),
            ("npy-shape-beyond-64-bits", "SHAPE", "field “attention.npy”: "
             "“npy-shape-beyond-64-bits.npy” has a shape entry (99999999999999999999999) that is "
             "too large", ".npy header with a shape entry beyond 64 bits"),
            ("npy-large-shape", "ENCODING", "“npy-large-shape.npy” is truncated: its shape and "
             "dtype need 64000000 bytes of data, and it has 64",
             ".npy header claiming a shape far larger than the file"),
            ("npy-not-npy", "ENCODING", "is not a .npy file", "not a .npy file"),
            ("npy-extra-bytes", "ENCODING", "has 4 bytes after its data",
             ".npy with bytes after the data"),
            ("npy-extra-byte", "ENCODING", "“npy-extra-byte.npy” has 1 byte after its data",
             ".npy with one byte after the data"),
            ("npy-rank-1", "SHAPE", "shape [96] has 1 dimension;", ".npy of one dimension")]:
        add(name + ".json", dumps(ex(tokens=TOKENS, attention={"npy": name + ".npy"})), code,
            piece, what)

    add("deep-nesting.json", "[" * 17 + "]" * 17, "PARSE",
        "Line 1: arrays and objects are nested more than 16 levels deep",
        "nesting deeper than 16 (the test also tries 100 000 levels)")
    add("examples-empty.json", dumps({"format": "attnflow", "version": 1, "examples": []}),
        "INVALID", "Field “examples”: empty", "empty examples")
    add("examples-not-array.json", dumps({"format": "attnflow", "version": 1, "examples": ex()}),
        "INVALID", "Field “examples”: expected an array of examples, found an object",
        "examples is an object")
    add("example-not-object.json",
        dumps({"format": "attnflow", "version": 1, "examples": [ex(), [1]]}), "INVALID",
        "Example 1 is an array, not an object", "an example that is not an object")
    add("example-index.json",
        dumps({"format": "attnflow", "version": 1,
               "examples": [ex(), ex(id=REMOVE, attention=[[[[0.5, 0.5], [0, 0]]]])]}),
        "VALUE", "Example 1 (no id), field “attention”: layer 1, head 0, row 1 sums to zero",
        "an example without id is named by its 0-based index (as --example takes it) and “(no id)”")
    add("format-unknown.json", dumps({"format": "bertviz", "version": 1, "examples": [ex()]}),
        "UNSUPPORTED", "unknown format “bertviz”", "unknown format")
    add("format-missing.json", dumps({"version": 1, "examples": [ex()]}), "INVALID",
        "Field “format”: missing", "examples without format")
    add("version-2.json", dumps({"format": "attnflow", "version": 2, "examples": [ex()]}),
        "UNSUPPORTED", "version 2 is not supported", "version other than 1")
    add("version-string.json", dumps({"format": "attnflow", "version": "1", "examples": [ex()]}),
        "INVALID", "Field “version”: expected 1, found a string", "version given as a string")
    add("duplicate-key.json", dumps(ex())[:-1] + ', "tokens": ["x", "y"]}', "INVALID",
        "Example “bad”: the key “tokens” appears twice", "duplicate keys (in a file of one "
        "example, the example is named, as in the loader's other messages)")
    add("duplicate-key-id.json", dumps(ex())[:-1] + ', "id": "other"}', "INVALID",
        "Example 0: the key “id” appears twice", "the id given twice: the example is named by "
        "its index")
    add("duplicate-key-nested.json",
        dumps(ex(prediction={"label": "x"}))[:-2] + ', "label": "y"}}', "INVALID",
        "Example “bad”: the key “label” appears twice in the object at prediction",
        "duplicate keys in a nested object")
    add("duplicate-key-example.json",
        dumps({"format": "attnflow", "version": 1, "examples": [
            ex(), ex(id="second", prediction={"label": "x",
                                              "candidates": [{"label": "x", "probability": 1}]})
        ]}).replace('"probability": 1}', '"probability": 1, "label": "y"}'), "INVALID",
        "Example “second”: the key “label” appears twice in the object at "
        "prediction.candidates[0]",
        "duplicate keys in an object of the second example")
    add("trailing-garbage.json", dumps(ex()) + "\n garbage\n", "PARSE",
        "Line 2: unexpected data after the end of the JSON value", "trailing garbage")
    add("trailing-value.json", dumps(ex()) + " " + dumps(ex()), "PARSE",
        "unexpected data after the end of the JSON value", "a second top-level value")
    add("json-lines.jsonl", dumps(ex()) + "\n" + dumps(ex()) + "\n", "PARSE",
        "Line 2: a second JSON value starts here: this is JSON Lines", "one value a line (JSON Lines)")
    add("single-quotes.json", dumps(ex()).replace('"id"', "'id'"), "PARSE",
        "unexpected character “'”", "single-quoted strings (a json-glib leniency)")
    add("comment.json", "/* attention */ " + dumps(ex()), "PARSE", "unexpected character “/”",
        "a comment (a json-glib leniency)")
    add("invalid-utf8.json", dumps(ex(tokens=["a", "@@"])).encode().replace(b"@@", b"\xff\xfe"),
        "PARSE", "Example “bad”, field “tokens”: entry 1, at line 1, column 32, is not valid UTF-8: "
        "the byte 0xFF (save the file as UTF-8)", "invalid UTF-8 in a token")
    add("latin1-token.json",
        dumps(document([ex(id="ok"), ex(id="second", tokens=["a", "caf@@"])])).encode()
        .replace(b"@@", "é".encode("latin-1")), "PARSE",
        "Example “second”, field “tokens”: entry 1, at line 1, column 192, is not valid UTF-8: "
        "the byte 0xE9", "a token in Latin-1, in the second example")
    add("latin1-text.json", dumps(ex(text="na@@ve")).encode().replace(b"@@", "ï".encode("latin-1")),
        "PARSE", "Example “bad”, field “text”, line 1, column 93: a string is not valid UTF-8: the "
        "byte 0xEF", "a text in Latin-1")
    add("latin1-key.json", dumps(ex(text="x")).replace('"text"', '"t@@xt"').encode()
        .replace(b"@@", "é".encode("latin-1")), "PARSE",
        "Example “bad”, line 1, column 84: a key is not valid UTF-8: the byte 0xE9",
        "a key in Latin-1 (named by no field)")
    add("nul-byte.json", dumps(ex(tokens=["a", "@@"])).encode().replace(b"@@", b"a\0b"), "PARSE",
        "Example “bad”, field “tokens”: entry 1, at line 1, column 33, holds a NUL byte",
        "a NUL byte inside a token")
    add("lone-surrogate.json", dumps(ex(tokens=["a", "@@"])).replace("@@", "\\ud800"), "PARSE",
        "Example “bad”, field “tokens”, line 1, column 32: a string holds \\uD800, half of a UTF-16 "
        "surrogate pair without its other half", "a lone UTF-16 high surrogate in a string")
    add("lone-surrogate-low.json", dumps(ex(tokens=["a", "b@@c"])).replace("@@", "\\udc00"), "PARSE",
        "field “tokens”, line 1, column 33: a string holds \\uDC00, half of a UTF-16 surrogate pair",
        "a lone UTF-16 low surrogate in a string")
    add("focus-out-of-range.json", dumps(ex(focus=2)), "INVALID",
        "field “focus”: 2 is not a token index (0 to 1)", "focus past the last token")
    add("focus-negative.json", dumps(ex(focus=-1)), "INVALID",
        "field “focus”: -1 is not a token index", "negative focus")
    # a token's text or a quoted index where the index belongs (it said only “found a string”)
    add("focus-token-text.json", dumps(ex(focus="b")), "INVALID",
        "field “focus”: expected a token index, found a string (“b” is token 1: give 1)",
        "focus given as the token's text")
    add("focus-token-twice.json", dumps(ex(tokens=["a", "b", "a"], focus="a",
                                           attention=[[[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]])),
        "INVALID", "field “focus”: expected a token index, found a string (“a” is 2 of the tokens, "
        "the first token 0: give the index of the one meant)", "focus given as a repeated token's text")
    add("focus-quoted-index.json", dumps(ex(focus="1")), "INVALID",
        "field “focus”: expected a token index, found a string (write the index as a number, "
        "without quotes: 1)", "focus given as a quoted index")
    add("focus-quoted-index-token.json", dumps(ex(tokens=["1", "b"], focus="1")), "INVALID",
        "field “focus”: expected a token index, found a string (write the index as a number, "
        "without quotes: 1, or 0 for the token “1”)", "focus given as a quoted index that is also a token's text")
    add("antecedents-token-text.json", dumps(ex(focus=0, antecedents=["b"])), "INVALID",
        "field “antecedents”: entry 0 is a string, not a token index (“b” is token 1: give 1)",
        "an antecedent given as the token's text")
    add("focus-fraction.json", dumps(ex(focus=0.5)), "INVALID",
        "field “focus”: expected a token index (an integer), found 0.5", "fractional focus")
    add("reference-infinite.json", dumps(ex(references={"blankout": [1, 2]})).replace("2]", "-1e999]"),
        "VALUE", "field “references.blankout”: entry 1 holds -1e999 (line 1, column 113), a number "
        "too large for a double", "an infinite reference value")
    add("reference-length.json", dumps(ex(references={"gradient": [1, 2, 3]})), "SHAPE",
        "field “references.gradient”: has 3 entries, expected 2: one per token, and “tokens” has 2",
        "a reference of the wrong length")
    add("reference-length-one.json", dumps(ex(references={"gradient": [1]})), "SHAPE",
        "field “references.gradient”: has 1 entry, expected 2: one per token, and “tokens” has 2",
        "a reference of one value")
    add("reference-not-number.json", dumps(ex(references={"blankout": [1, "2"]})), "INVALID",
        "field “references.blankout”: entry 1 is a string, not a number",
        "a string in a reference")
    add("reference-not-array.json", dumps(ex(references={"gradient": 1})), "INVALID",
        "field “references.gradient”: expected an array of 2 numbers, found a number",
        "a reference that is not an array")
    add("reference-not-array-one.json",
        dumps(ex(tokens=["a"], attention=[[[1]]], references={"gradient": 1})), "INVALID",
        "field “references.gradient”: expected an array of 1 number, found a number",
        "a reference that is not an array, one token")
    add("prediction-probability.json",
        dumps(ex(prediction={"label": "x", "candidates": [{"label": "x", "probability": "high"}]})),
        "INVALID", "field “prediction.candidates”: candidate 0 has a “probability” that is a "
        "string: expected a number from 0 to 1", "a probability that is not a number")
    # what was found (it said “needs a finite number “probability”” of these too)
    add("prediction-probability-missing.json",
        dumps(ex(prediction={"label": "x", "candidates": [{"label": "x", "score": 0.9}]})),
        "INVALID", "field “prediction.candidates”: candidate 0 has no “probability”: expected a "
        "number from 0 to 1", "a candidate without a probability")
    add("prediction-probability-high.json",
        dumps(ex(prediction={"label": "x", "candidates": [{"label": "x", "probability": 1.5}]})),
        "VALUE", "Example “bad”, field “prediction.candidates”: candidate 0 has the probability "
        "1.5; a probability is from 0 to 1", "a probability above 1")
    add("prediction-probability-negative.json",
        dumps(ex(prediction={"label": "x", "candidates": [{"label": "x", "probability": 0.5},
                                                          {"label": "y", "probability": -0.5}]})),
        "VALUE", "Example “bad”, field “prediction.candidates”: candidate 1 has the probability "
        "-0.5; a probability is from 0 to 1", "a negative probability")
    add("duplicate-id.json", dumps(document([ex(id="ex-a"), ex(id="ex-b"), ex(id="ex-a")])),
        "INVALID", "Example “ex-a”, field “id”: examples 0 and 2 both have this id; each example "
        "needs its own", "two examples with one id")
    # an id that would reorder the message (U+202E) and command the terminal (ESC):
    # messages show them as escapes, in JSON's escapes or raw in the file
    add("id-controls.json", dumps(ex(id="cat\u202emat\u001b[31m", attention=[[[[0.5, 0.5], [-0.25, 1.25]]]])),
        "VALUE", "Example “cat\\u202emat\\x1b[31m”, field “attention”: layer 1, head 0, row 1, "
        "column 0 holds -0.25", "an id with a bidi override and a terminal escape")
    add("id-controls-raw.json", dumps(ex(id="cat\u202emat\u001b[2J\n", attention=[[[[0.5, 0.5], [-0.25, 1.25]]]]))
        .replace("\\u001b", "\u001b").replace("\\n", "\n"), "VALUE",
        "Example “cat\\u202emat\\x1b[2J\\n”, field “attention”: layer 1, head 0, row 1, "
        "column 0 holds -0.25", "the same, and a line break, raw in the file (not JSON's escapes)")
    add("id-not-string.json", dumps(ex(id=7)), "INVALID",
        "Example 0, field “id”: expected a valid UTF-8 string, found a number",
        "an id that is not a string")
    add("text-not-string.json", dumps(ex(text=["the", "cat"])), "INVALID",
        "Example “bad”, field “text”: expected a valid UTF-8 string, found an array",
        "a text that is not a string")
    # hostile inputs: sums too small to renormalise, escaped NULs, integers beyond
    # 64 bits, other encodings
    add("row-sum-subnormal.json", dumps(ex(attention=[[[[1e-310, 0], [0.5, 0.5]]]])), "VALUE",
        "layer 1, head 0, row 0 sums to 1e-310, too close to zero to be renormalised",
        "a row whose sum is subnormal (its renormalisation overflows)")
    add("row-sum-subnormal-base64.json",
        dumps(ex(attention=enc(dtype="float64", data=base64.b64encode(
            np.array([5e-324, 0, 0.5, 0.5], "<f8").tobytes()).decode()))), "VALUE",
        "layer 1, head 0, row 0 sums to 4.94066e-324, too close to zero",
        "a float64 row summing to the smallest subnormal")
    add("row-sum-overflow.json", dumps(ex(attention=[[[[1e308, 1e308], [0.5, 0.5]]]])), "VALUE",
        "the sum of layer 1, head 0, row 0 overflows", "a row whose sum overflows")
    add("nul-token.json", dumps(ex(tokens=["a", "b\0c"])), "INVALID",
        "field “tokens”: token 1 holds a NUL character", "an escaped NUL in a token")
    add("nul-id.json", dumps(ex(id="b\0ad")), "INVALID",
        "Example 0, field “id”: holds a NUL character", "an escaped NUL in the id")
    add("nul-text.json", dumps(ex(text="the\0cat")), "INVALID",
        "field “text”: holds a NUL character", "an escaped NUL in the text")
    add("nul-model.json", dumps(ex(model="bert\0")), "INVALID",
        "field “model”: holds a NUL character", "an escaped NUL in the model")
    add("nul-prediction-label.json", dumps(ex(prediction={"label": "h\0is"})), "INVALID",
        "field “prediction.label”: holds a NUL character", "an escaped NUL in the predicted label")
    add("nul-candidate-label.json",
        dumps(ex(prediction={"label": "his", "candidates": [{"label": "h\0is", "probability": 1}]})),
        "INVALID", "candidate 0 has a “label” holding a NUL character",
        "an escaped NUL in a candidate's label")
    add("nul-reference-key.json", dumps(ex(references={"grad\0x": [1, 2]})), "INVALID",
        "Example “bad”: the key “grad\\u0000x” in the object at references holds a NUL "
        "character",
        "an escaped NUL in a reference name")
    add("duplicate-key-reference.json",
        dumps(ex(references={"gradient": [1, 2], "blankout": [3, 4]}))[:-2]
        + ', "gradient": [5, 6]}}', "INVALID",
        "Example “bad”: the key “gradient” appears twice in the object at references",
        "a reference named twice (its members leave json-glib's tree as they are read)")
    add("duplicate-key-reference-kept.json",
        dumps(ex(references={"gradient": [1, 2], "blankout": "x"}))[:-2]
        + ', "gradient": [5, 6]}}', "INVALID",
        "Example “bad”: the key “gradient” appears twice in the object at references",
        "a reference named twice, the second after a member that is not an array")
    add("duplicate-key-reference-example.json",
        dumps({"format": "attnflow", "version": 1, "examples": [
            ex(references={"gradient": [1, 2]}), ex(id=REMOVE, references={"gradient": [1, 2]})
        ]})[:-4] + ', "gradient": [5, 6]}}]}', "INVALID",
        "Example 1 (no id): the key “gradient” appears twice in the object at references",
        "a reference named twice in the second example")
    add("nul-key.json", dumps(ex())[:-1] + ', "tokens\\u0000x": ["x", "y"]}', "INVALID",
        "Example “bad”: the key “tokens\\u0000x” holds a NUL character",
        "keys “tokens” and “tokens\\u0000x” (json-glib cuts the second at the NUL)")
    add("nul-key-example.json",
        dumps({"format": "attnflow", "version": 1, "examples": [ex(id="first")]})[:-3]
        + ', "tokens\\u0000x": ["x", "y"]}]}', "INVALID",
        "Example “first”: the key “tokens\\u0000x” holds a NUL character",
        "an example's key holding a NUL, named with the example")
    add("focus-huge.json", dumps(ex(focus=2 ** 64)), "INVALID",
        "field “focus”: 18446744073709551616 is not a token index (0 to 1)",
        "a focus beyond 64 bits")
    add("focus-2-63.json", dumps(ex(focus=2 ** 63)), "INVALID",
        "field “focus”: 9223372036854775808 is not a token index (0 to 1)",
        "a focus of 2^63 (beyond gint64)")
    add("version-huge.json", dumps({"format": "attnflow", "version": 2 ** 64, "examples": [ex()]}),
        "UNSUPPORTED", "version 18446744073709551616 is not supported", "a version beyond 64 bits")
    add("version-fraction.json", dumps({"format": "attnflow", "version": 1.5, "examples": [ex()]}),
        "UNSUPPORTED", "version 1.5 is not supported", "a fractional version")
    add("shape-beyond-64-bits.json", dumps(ex(attention=enc(shape=(2 ** 64, 1, 2, 2)))), "SHAPE",
        "entry 0 (18446744073709551616) is too large", "a shape entry beyond 64 bits")
    # antecedents and contributions (optional fields, strict like the rest)
    add("antecedents-not-array.json", dumps(ex(antecedents=1)), "INVALID",
        "field “antecedents”: expected an array of token indices, found a number",
        "antecedents that are not an array")
    add("antecedents-empty.json", dumps(ex(antecedents=[])), "INVALID",
        "field “antecedents”: empty", "no antecedent")
    add("antecedents-out-of-range.json", dumps(ex(antecedents=[1, 5])), "INVALID",
        "field “antecedents”: entry 1, 5, is not a token index (0 to 1)",
        "an antecedent past the last token")
    add("antecedents-negative.json", dumps(ex(antecedents=[-1])), "INVALID",
        "entry 0, -1, is not a token index", "a negative antecedent")
    add("antecedents-fraction.json", dumps(ex(antecedents=[0.5])), "INVALID",
        "entry 0, 0.5, is not a token index", "a fractional antecedent")
    add("antecedents-string.json", dumps(ex(antecedents=["the"])), "INVALID",
        "field “antecedents”: entry 0 is a string, not a token index", "an antecedent given as a word")
    add("antecedents-repeat.json", dumps(ex(focus=1, antecedents=[0, 0])), "INVALID",
        "field “antecedents”: entry 1 repeats token 0 (entry 0)", "an antecedent named twice")
    add("antecedents-focus.json", dumps(ex(focus=1, antecedents=[0, 1])), "INVALID",
        "Example “bad”, field “antecedents”: entry 1 is token 1, the “focus” itself",
        "the pronoun (the focus) named among its own candidate antecedents")
    add("contributions-not-object.json", dumps(ex(contributions=[A2])), "INVALID",
        "field “contributions”: expected an object", "contributions that are not an object")
    add("contributions-empty.json", dumps(ex(contributions={})), "INVALID",
        "field “contributions”: empty: give at least one kind (norm, globenc, alti, value-zeroing, "
        "attn-grad)", "contributions without a kind")
    add("contributions-unknown-kind.json", dumps(ex(contributions={"lrp": A2})), "UNSUPPORTED",
        "field “contributions”: unknown kind “lrp” (known: norm, globenc, alti, value-zeroing, "
        "attn-grad)", "an unknown kind of contributions")
    add("contributions-attention-kind.json", dumps(ex(contributions={"attention": A2})),
        "UNSUPPORTED", "unknown kind “attention”", "the attention given as a kind of contributions")
    add("contributions-negative.json",
        dumps(ex(contributions={"norm": [[[[0.5, 0.5], [-0.5, 2]]]]})), "VALUE",
        "Example “bad”, field “contributions.norm”: layer 1, head 0, row 1, column 0 holds -0.5",
        "a negative contribution")
    add("contributions-zero-row.json",
        dumps(ex(contributions={"globenc": [[[0, 0], [1, 3]]]})), "VALUE",
        "field “contributions.globenc”: layer 1, row 0 sums to zero",
        "a head-mixed contribution row summing to zero")
    add("contributions-subnormal.json",
        dumps(ex(contributions={"alti": [[[1e-310, 0], [1, 3]]]})), "VALUE",
        "field “contributions.alti”: layer 1, row 0 sums to 1e-310, too close to zero",
        "a contribution row too close to zero to normalise")
    add("contributions-layers.json",
        dumps(ex(contributions={"alti": [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]})), "SHAPE",
        "field “contributions.alti”: has 2 layers, the attention has 1",
        "contributions with more layers than the attention")
    add("contributions-layer.json",
        dumps(ex(attention=[[[0.5, 0.5], [0.25, 0.75]], [[1, 0], [0, 1]]],
                 contributions={"alti": [[[1, 0], [0, 1]]]})), "SHAPE",
        "field “contributions.alti”: has 1 layer, the attention has 2",
        "contributions with fewer layers (one) than the attention")
    add("contributions-rows.json",
        dumps(ex(contributions={"norm": [[[[1, 0], [0, 1], [1, 1]]]]})), "SHAPE",
        "field “contributions.norm”: layer 1, head 0 has 3 rows, expected 2: one per token, "
        "and “tokens” has 2",
        "contributions with more rows than tokens")
    add("contributions-base64-shape.json",
        dumps(ex(contributions={"attn-grad": enc(shape=(1, 1, 3, 3))})), "SHAPE",
        "field “contributions.attn-grad.shape”: shape [1, 1, 3, 3] does not match the 2 tokens",
        "base64 contributions whose shape disagrees with the tokens")
    add("contributions-npy-missing.json",
        dumps(ex(contributions={"value-zeroing": {"npy": "no-such-file.npy"}})), "IO",
        "field “contributions.value-zeroing.npy”: cannot open “no-such-file.npy”",
        "contributions in a missing .npy")
    add("contributions-string.json", dumps(ex(contributions={"norm": "high"})), "INVALID",
        "field “contributions.norm”: expected nested arrays or an encoded array, found a string",
        "a kind of contributions given as a string")
    add("contributions-target-not-string.json",
        dumps(ex(contributions={"attn-grad": A2}, contributions_target=1)), "INVALID",
        "field “contributions_target”: expected a valid UTF-8 string, found a number",
        "a contributions_target that is not a string")
    add("contributions-target-nul.json",
        dumps(ex(contributions={"attn-grad": A2}, contributions_target="his\0")), "INVALID",
        "field “contributions_target”: holds a NUL character", "an escaped NUL in contributions_target")
    for name, codec, shown in [("utf16-le", "utf-16-le", "UTF-16 (little-endian)"),
                               ("utf16-be", "utf-16-be", "UTF-16 (big-endian)"),
                               ("utf16-bom", "utf-16", "UTF-16"),
                               ("utf32-le", "utf-32-le", "UTF-32 (little-endian)"),
                               ("utf32-be", "utf-32-be", "UTF-32 (big-endian)")]:
        add(name + ".json", dumps(ex()).encode(codec), "PARSE",
            "The file is encoded as " + shown, "the file in " + codec.upper())
    # Files of other kinds, often given for an export: named by what they are.
    add("compressed.json.gz", gzip.compress(dumps(ex()).encode(), mtime=0), "UNSUPPORTED",
        "The file is compressed (gzip): decompress it first", "an export compressed with gzip")
    array_npy = npy_bytes(np.full((1, 1, 2, 2), 0.5), "<f4")
    add("given-for-export.npy", array_npy, "UNSUPPORTED",
        "The file is a NumPy .npy array, not an attention export: give the export (JSON) whose "
        "“attention” names it", "the .npy an export names, given instead of the export")
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo("attention.npy", date_time=(2026, 1, 1, 0, 0, 0)), array_npy)
    add("archive.npz", npz.getvalue(), "UNSUPPORTED", "The file is a ZIP archive (such as a NumPy "
        ".npz or a torch.save() file)", "a NumPy .npz (a ZIP archive)")
    add("pickle.pkl", pickle.dumps({"tokens": ["a", "b"]}, protocol=4), "UNSUPPORTED",
        "The file is a Python pickle, not an attention export", "a Python pickle")
    # A table given back for its export (as JSON: "“layer” is not a JSON value"): what
    # attnflow-cli rollout --format csv writes (a token quoted, with a comma), and a
    # spreadsheet's tab-separated text
    add("table.csv", 'layer,index,token,value\n1,0,[CLS],0.5\n1,1,"a, b",0.25\n1,2,c,0.25\n',
        "UNSUPPORTED", "The file is CSV (comma-separated values), not an attention export: give "
        "the export (JSON)", "attnflow-cli's CSV output, given for an export")
    add("table.tsv", "token\tvalue\r\n[CLS]\t0.5\r\nthe\t0.5\r\n", "UNSUPPORTED",
        "The file is tab-separated values (TSV), not an attention export", "tab-separated values")
    # A figure given back for its export (as JSON: "“PNG” is not a JSON value"): the first
    # bytes of the files attnflow-cli render writes, and of a JPEG and a web page.
    add("figure.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "UNSUPPORTED",
        "The file is a PNG image, not an attention export: give the export (JSON) that the "
        "figure was drawn from", "a PNG figure")
    add("figure.pdf", b"%PDF-1.5\n%\xb5\xed\xae\xfb\n", "UNSUPPORTED",
        "The file is a PDF document, not an attention export", "a PDF figure")
    add("figure.svg", '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
        'width="10pt" height="10pt" viewBox="0 0 10 10">\n</svg>\n', "UNSUPPORTED",
        "The file is an SVG image, not an attention export", "an SVG figure")
    add("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "UNSUPPORTED",
        "The file is a JPEG image, not an attention export", "a JPEG image")
    add("page.html", "\ufeff\n  <!DOCTYPE html>\n<html><body>{}</body></html>\n", "UNSUPPORTED",
        "The file is XML or HTML (it starts with “<”), not an attention export",
        "a web page (after a byte-order mark and white space)")
    # A program or a database (an ELF executable was “““ELF” is not a JSON value”).
    add("program.elf", b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x03\x00\x3e\x00", "UNSUPPORTED",
        "The file is an ELF executable or library, not an attention export", "an ELF executable")
    add("program.macho", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "UNSUPPORTED",
        "The file is a Mach-O executable or library, not an attention export",
        "a Mach-O executable")
    add("weights.h5", b"\x89HDF\r\n\x1a\n\x00\x00\x00\x00", "UNSUPPORTED",
        "The file is an HDF5 file (such as Keras or h5py weights), not an attention export",
        "HDF5 weights")
    add("database.sqlite", b"SQLite format 3\x00\x10\x00", "UNSUPPORTED",
        "The file is an SQLite database, not an attention export", "an SQLite database")
    # Binary data of no known kind: the bytes 00 01 02 … were “encoded as UTF-16 (big-endian)”
    # (the zero byte of UTF-16's first ASCII character), a safetensors file (a 64-bit
    # little-endian length, then JSON) “UTF-16 (little-endian)”, random bytes “not a JSON value”.
    add("binary.json", bytes(range(256)) * 2, "UNSUPPORTED",
        "The file is binary data (it holds the control byte 0x00), not an attention export: "
        "give the export (JSON)", "the bytes 00 to FF")
    add("model.safetensors", (64).to_bytes(8, "little") + b'{"__metadata__":{}}'.ljust(64),
        "UNSUPPORTED", "The file is binary data (it holds the control byte 0x00)",
        "a safetensors file (UTF-16-LE's zero bytes)")
    add("random.json", bytes((i * 193 + 7) % 251 for i in range(600)), "UNSUPPORTED",
        "The file is binary data (it holds the control byte 0x07)", "bytes of no kind")
    # Without a NUL byte, control bytes one byte in 16 or more (here one in 10) make binary data.
    add("random-no-nul.json", bytes((i * 193 + 7) % 251 or 1 for i in range(600)), "UNSUPPORTED",
        "The file is binary data (it holds the control byte 0x07)", "bytes of no kind, none zero")
    # Text with a few control characters is no binary data (it was “binary data (it holds the
    # control byte 0x1B)”): an export after a warning in colour (python … > out.json) and one
    # after a form feed are named by the parser where the control character stands (it read
    # past it: “33mWarning” is not a number, at column 3).
    control = ("Line 1, column 1: the file is not valid JSON: it holds the control character %s "
               "outside a string, where JSON has only spaces, tabs and line breaks")
    add("ansi-warning.json", "\x1b[33mWarning: attention of layer 0 is cut\x1b[0m\n" + dumps(ex()),
        "PARSE", control % "\\x1b", "an export after a warning in colour (ANSI escape codes)")
    add("form-feed.json", "\f" + dumps(ex()), "PARSE", control % "\\x0c",
        "an export after a form feed")
    # UTF-16 and UTF-32 beyond ASCII (Hangul, an emoji's surrogate pair), without a
    # byte-order mark: still named, not taken for binary data.
    for name, codec, shown in [("utf16-le-hangul", "utf-16-le", "UTF-16 (little-endian)"),
                               ("utf16-be-hangul", "utf-16-be", "UTF-16 (big-endian)"),
                               ("utf32-le-hangul", "utf-32-le", "UTF-32 (little-endian)")]:
        add(name + ".json", dumps(ex(id="한국어", tokens=["안녕\U0001f600", "b"])).encode(codec),
            "PARSE", "The file is encoded as " + shown, "the file in " + codec.upper() +
            ", with Hangul and an emoji")
    return c


def write_bad_catalogue(bad):
    cases = bad_cases()
    for name, content, _, _, _ in cases:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        with open(os.path.join(bad, name), "wb") as f:
            f.write(data)
    link = os.path.join(bad, "escape-link.npy")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink("../loader/tiny-v1-f4.npy", link)

    with open(os.path.join(bad, "README.md"), "w", encoding="utf-8") as f:
        f.write("# Bad inputs\n\n"
                "Written by `tests/generators/make-test-fixtures.py` (do not edit by hand). Each file must be\n"
                "refused with the error code (`ATTN_ERROR_*`) and a message containing the text in\n"
                "the third column; `tests/core/test-loader.c` reads this table and checks every row,\n"
                "and that every `.json` file here is listed. The `.npy` files are the sidecars the\n"
                "`npy-*.json` cases point at (but `given-for-export.npy`, a case of its own);\n"
                "`escape-link.npy` is a symbolic link out of this folder.\n"
                "Nesting 100 000 levels deep is generated by the test itself.\n\n"
                "| file | code | message contains | case |\n"
                "|---|---|---|---|\n")
        for name, _, code, piece, what in cases:
            assert "|" not in piece and "`" not in piece
            f.write("| `%s` | %s | %s | %s |\n" % (name, code, piece, what))

    # The same table for the C tests (tests/cli/test-cli-bad.c: one subtest per file).
    def c_string(text):
        return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')

    with open(os.path.join(bad, "catalogue.h"), "w", encoding="utf-8") as f:
        f.write("/* catalogue.h: the bad-input catalogue of README.md, for the C tests. Written by\n"
                " * tests/generators/make-test-fixtures.py (do not edit by hand): each file, the\n"
                " * error code the loader refuses it with, and text its message contains.\n"
                " * Include attn-error.h first. */\n\n"
                "typedef struct\n{\n"
                "  const char *file;\n"
                "  AttnError   code;\n"
                "  const char *message;\n"
                "} AttnBadCase;\n\n"
                "static const AttnBadCase attn_bad_cases[] = {\n")
        for name, _, code, piece, _ in cases:
            f.write("  { %s, ATTN_ERROR_%s, %s },\n" % (c_string(name), code, c_string(piece)))
        f.write("};\n")


if __name__ == "__main__":
    main()
