#!/usr/bin/env python3
# test-evaluation-tables.py: every command docs/evaluation.md shows reproduces what it prints
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-evaluation-tables.py ATTNFLOW_CLI SOURCE_ROOT
#
# In each fenced block of docs/evaluation.md that starts with "$ attnflow-cli ARGS", runs
# attnflow-cli ARGS from the source root (the files it names are in the repository) and checks
# that the lines printed below the command are the last lines of its output, character for
# character (a block may leave the header lines out). TAP output.

import shlex
import subprocess
import sys


def blocks(text):
    """(command arguments, expected lines) for each "$ attnflow-cli" block."""
    out = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("```"):
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            body = lines[i + 1:j]
            if body and body[0].startswith("$ attnflow-cli "):
                out.append((shlex.split(body[0][len("$ attnflow-cli "):]), body[1:]))
            i = j + 1
        else:
            i += 1
    return out


def main():
    cli, root = sys.argv[1], sys.argv[2]
    with open(root + "/docs/evaluation.md", encoding="utf-8") as f:
        found = blocks(f.read())
    print("1..%d" % max(1, len(found)))
    if not found:
        print("not ok 1 - docs/evaluation.md shows no \"$ attnflow-cli\" command")
        return 1
    failed = 0
    for k, (args, expected) in enumerate(found, 1):
        name = "attnflow-cli " + " ".join(args)
        proc = subprocess.run([cli] + args, cwd=root, capture_output=True, text=True,
                              timeout=600)
        got = proc.stdout.splitlines()
        # the page leaves blank lines at the end of a block out
        while expected and not expected[-1].strip():
            expected.pop()
        ok = proc.returncode == 0 and len(expected) >= 3 and got[-len(expected):] == expected
        print("%s %d - %s" % ("ok" if ok else "not ok", k, name))
        if not ok:
            failed += 1
            print("# exit %d; stderr: %s" % (proc.returncode, proc.stderr.strip()[-500:]))
            for want, have in zip(expected, got[-len(expected):]):
                if want != have:
                    print("# page:   %s\n# output: %s" % (want, have))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
