# support.py: independent computations the exporter's real-library tests compare with
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading an export back and running attnflow-cli, written without the exporter's code; the
independent rollout, flow and Spearman are in tools/tests/reference.py."""

import base64
import contextlib
import io
import json
import os
import subprocess

import numpy as np

from reference import flow, rollout, spearman  # noqa: F401 (re-exported for the tests)


def read_array(field, folder):
    """An encoded array of an export, as stored (float16/32 stay so)."""
    if "npy" in field:
        return np.load(os.path.join(folder, field["npy"]))
    raw = base64.b64decode(field["base64"], validate=True)
    assert base64.b64encode(raw).decode("ascii") == field["base64"]
    dtype = {"float16": "<f2", "float32": "<f4", "float64": "<f8"}[field["dtype"]]
    return np.frombuffer(raw, dtype=dtype).reshape(field["shape"])


def load_export(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    assert doc["format"] == "attnflow" and doc["version"] == 1, doc.get("format")
    return doc


def attnflow(*args):
    return subprocess.run([os.environ["ATTNFLOW_CLI"]] + [str(a) for a in args],
                          capture_output=True, text=True, timeout=300)


def run_main(main, argv):
    """``(status, stdout, stderr)`` of the exporter's ``cli.main(argv)`` run in-process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()
