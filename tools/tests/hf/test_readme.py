# test_readme.py: the README's exporter recipe runs as written
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""The README's ```sh block that exports pronouns.json from the real MiniLM and reads it back
with attnflow-cli: its attnflow-export and attnflow-cli lines, run as a reader runs them (the
docs test runs every other attnflow-cli line of the documentation; these need the model)."""

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
import unittest

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, os.pardir,
                      "README.md")


def recipe():
    """The attnflow-export and attnflow-cli command lines of the README's ```sh block that runs
    attnflow-export, lines continued with "\\" joined, trailing comments dropped."""
    with open(README, encoding="utf-8") as f:
        blocks = re.findall(r"^```sh\n(.*?)^```", f.read(), re.S | re.M)
    (block,) = [b for b in blocks if "\nattnflow-export " in b]
    lines = re.sub(r"\\\n\s*", "", block).splitlines()
    lines = [re.sub(r"\s+#\s.*$", "", line).strip() for line in lines]
    return [line for line in lines if line.split(" ", 1)[0] in ("attnflow-export", "attnflow-cli")]


class Readme(unittest.TestCase):
    def test_recipe(self):
        """The export writes pronouns.json with the two sentences; rollout of "sara" prints the
        CSV of its tokens, layer by layer, each layer summing to 1."""
        commands = recipe()
        self.assertEqual([c.split(" ", 1)[0] for c in commands],
                         ["attnflow-export", "attnflow-cli"])
        scratch = tempfile.mkdtemp(prefix="attnflow-readme-")
        self.addCleanup(shutil.rmtree, scratch, ignore_errors=True)
        programs = os.path.join(scratch, "programs")
        os.mkdir(programs)
        os.symlink(os.environ["ATTNFLOW_EXPORT_SCRIPT"], os.path.join(programs, "attnflow-export"))
        os.symlink(os.environ["ATTNFLOW_CLI"], os.path.join(programs, "attnflow-cli"))
        env = dict(os.environ, PATH=programs + os.pathsep + os.environ.get("PATH", ""))
        runs = [subprocess.run(c, shell=True, cwd=scratch, env=env, capture_output=True,
                               text=True, timeout=600) for c in commands]
        for command, run in zip(commands, runs):
            self.assertEqual(run.returncode, 0, "%s\n%s" % (command, run.stderr))
        rows = list(csv.DictReader(io.StringIO(runs[1].stdout)))
        tokens = ["[CLS]", "sara", "talked", "to", "the", "author", "about", "his", "book", ".",
                  "[SEP]"]
        self.assertEqual(sorted({int(r["layer"]) for r in rows}), list(range(1, 7)))
        for layer in range(1, 7):
            values = [r for r in rows if int(r["layer"]) == layer]
            self.assertEqual([r["token"] for r in values], tokens)
            self.assertAlmostEqual(sum(float(r["value"]) for r in values), 1., places=9)


if __name__ == "__main__":
    unittest.main()
