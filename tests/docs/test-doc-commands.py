#!/usr/bin/env python3
# test-doc-commands.py: every attnflow-cli command the documentation shows runs as written
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-doc-commands.py ATTNFLOW_CLI SOURCE_ROOT
#
# Takes each command line that starts with "attnflow-cli" (or a build folder's
# .../src/cli/attnflow-cli) in the ```sh blocks of README.md, docs/*.md and data/*/README.md,
# lines continued with "\" joined and a trailing "# comment" dropped, and runs it with a shell,
# as a reader would from the repository's root: in a scratch folder where data/ is the
# repository's and docs/figures/ an empty folder for what the commands write. It must exit 0.
# my-export.json, the README's name for the reader's own file, is a copy of a bundled example;
# a command on a file the exporter writes (pronouns.json) is left to the exporter's tests, which
# have the model (tools/tests/hf/test_readme.py runs the README's recipe).
# The README's sample of `rollout` JSON must show the numbers that command prints. TAP output.

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# files the documentation's commands read that the reader makes: what stands for them here
READER_FILES = {"my-export.json": "data/examples/bert-base-uncased.json"}
# files only attnflow-export writes (it needs a model): their commands are run by
# tools/tests/hf/test_readme.py
EXPORTED_FILES = ("pronouns.json",)


def commands(text):
    """The attnflow-cli command lines of the ```sh blocks of @text."""
    out = []
    in_sh = False
    pending = ""
    for line in text.splitlines():
        if line.startswith("```"):
            in_sh = line.strip() == "```sh"
            pending = ""
            continue
        if not in_sh:
            continue
        line = pending + line.strip()
        if line.endswith("\\"):
            pending = line[:-1].rstrip() + " "
            continue
        pending = ""
        line = re.sub(r"\s+#\s.*$", "", line)
        line = re.sub(r"^\S*/src/cli/attnflow-cli ", "attnflow-cli ", line)
        if line.startswith("attnflow-cli "):
            out.append(line)
    return out


def sample_numbers(readme):
    """The layer 1 and layer 12 values the README's rollout JSON sample shows (the numbers
    before and after its "…"), and the command whose output it is."""
    m = re.search(r'\{"example": "rabbit-turtle", "method": "rollout".*?\n```', readme, re.S)
    if m is None:
        return None
    shown = {}
    for layer, values in re.findall(r'\{"layer": (\d+), "values": \[([^\]]*)\]\}', m.group(0)):
        head, _, tail = values.partition("…")
        shown[int(layer)] = ([float(v) for v in head.split(",") if v.strip()],
                             [float(v) for v in tail.split(",") if v.strip()])
    return shown


def main():
    cli, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pages = ["README.md"] + sorted(glob.glob(os.path.join(root, "docs", "*.md"))) \
        + sorted(glob.glob(os.path.join(root, "data", "*", "README.md")))
    found = []
    for page in pages:
        with open(os.path.join(root, page), encoding="utf-8") as f:
            found += [(os.path.relpath(os.path.join(root, page), root), c) for c in commands(f.read())]
    with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
        shown = sample_numbers(f.read())

    print("1..%d" % (len(found) + 2))
    failed = 0
    ok = len(found) >= 20
    print("%s 1 - the documentation shows %d attnflow-cli commands" % ("ok" if ok else "not ok",
                                                                      len(found)))
    failed += not ok

    scratch = tempfile.mkdtemp(prefix="attnflow-doc-commands-")
    bindir = os.path.join(scratch, "programs")
    os.makedirs(bindir)
    os.symlink(cli, os.path.join(bindir, "attnflow-cli"))
    os.symlink(os.path.join(root, "data"), os.path.join(scratch, "data"))
    os.makedirs(os.path.join(scratch, "docs", "figures"))
    for name, source in READER_FILES.items():
        shutil.copyfile(os.path.join(root, source), os.path.join(scratch, name))
    env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""))
    rollout = None
    try:
        for k, (page, command) in enumerate(found, 2):
            if any(name in command.split() for name in EXPORTED_FILES):
                print("ok %d - %s: %s # SKIP its file is written by attnflow-export: run by "
                      "tools/tests/hf/test_readme.py" % (k, page, command))
                continue
            proc = subprocess.run(command, shell=True, cwd=scratch, env=env, capture_output=True,
                                  text=True, timeout=600)
            good = proc.returncode == 0
            print("%s %d - %s: %s" % ("ok" if good else "not ok", k, page, command))
            if not good:
                failed += 1
                print("# exit %d; stderr: %s" % (proc.returncode, proc.stderr.strip()[-500:]))
            if "rollout data/examples/bert-base-uncased.json --example rabbit-turtle" in command:
                rollout = proc.stdout
    finally:
        shutil.rmtree(scratch)

    # the sample shows the first values and the last one of layers 1 and 12
    k = len(found) + 2
    good = shown is not None and sorted(shown) == [1, 12] and rollout is not None
    if good:
        layers = {entry["layer"]: entry["values"] for entry in json.loads(rollout)["layers"]}
        for layer, (head, tail) in shown.items():
            got = layers[layer]
            good = good and head == got[:len(head)] and tail == got[len(got) - len(tail):]
            if not good:
                print("# layer %d: the README shows %s … %s, the command prints %s"
                      % (layer, head, tail, got))
    print("%s %d - the README's rollout JSON sample shows the numbers the command prints"
          % ("ok" if good else "not ok", k))
    failed += not good
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
