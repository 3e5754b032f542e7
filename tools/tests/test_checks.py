# test_checks.py: how attnflow-export reads its input files and what it checks before it imports
# torch, tested without torch
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Needs neither torch nor numpy: run.py --without-torch runs this file alone, where they are
# not installed.

import argparse
import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import unittest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(TOOLS, "attnflow-export")

# attnflow-export with ``import torch`` and ``import numpy`` failing, as where neither is installed
WITHOUT_TORCH = ("import runpy, sys; sys.modules['torch'] = None; sys.modules['numpy'] = None; "
                 "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")


class ChecksBeforeTorch(unittest.TestCase):
    """A bad --examples-file or --sentences-file, or --id that does not fit the sentences, is
    reported before torch is imported: without torch, the message is about the file, not about
    installing torch (which would hide the file's problem until after the install)."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.output = os.path.join(self.tmp.name, "out.json")

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def run_without_torch(self, *args, model="toy"):
        return subprocess.run([sys.executable, "-c", WITHOUT_TORCH, SCRIPT, "--model", model,
                               "--output", self.output] + list(args),
                              capture_output=True, text=True, timeout=120)

    def assert_fails(self, status, message, *args, model="toy"):
        """``message`` is the whole message, or its start when it ends in ": " (Python's own
        words follow)."""
        proc = self.run_without_torch(*args, model=model)
        self.assertEqual(proc.returncode, status, proc.stderr)
        if message.endswith(": "):
            self.assertTrue(proc.stderr.startswith("attnflow-export: " + message), proc.stderr)
            self.assertEqual(proc.stderr.count("\n"), 1, proc.stderr)
        else:
            self.assertEqual(proc.stderr, "attnflow-export: %s\n" % message)
        self.assertEqual(proc.stdout, "")
        self.assertFalse(os.path.exists(self.output))

    def test_bad_examples_file_line(self):
        path = self.write("pronouns.jsonl",
                          '{"id": "a", "text": "The author talked to Sara about his book.", '
                          '"focus": "his"}\n\n{"id": "b", "text": "cut short\n')
        self.assert_fails(1, "%s:3: not JSON: " % path, "--examples-file", path)

    def test_examples_file_line_without_text(self):
        path = self.write("x.jsonl", '{"text": "a b"}\n{"id": "b"}\n')
        self.assert_fails(1, '%s:2: each line is an object with a "text" string' % path,
                          "--examples-file", path)

    def test_examples_file_bad_focus(self):
        path = self.write("x.jsonl", '{"text": "a b", "focus": "b#0"}\n')
        self.assert_fails(1, "%s:1: “b#0”: occurrences count from 1 (b#1 is the first)" % path,
                          "--examples-file", path)

    def test_examples_file_repeated_key(self):
        path = self.write("x.jsonl", '{"text": "a b"}\n{"text": "a b", "focus": "a", '
                                     '"focus": "b"}\n')
        self.assert_fails(1, "%s:2: the key “focus” appears twice" % path, "--examples-file", path)

    def test_examples_file_repeated_id(self):
        path = self.write("x.jsonl", '{"id": "a", "text": "a b"}\n{"id": "a", "text": "c d"}\n')
        self.assert_fails(1, "%s:2: the id “a” is given twice" % path, "--examples-file", path)

    def test_examples_file_missing(self):
        path = os.path.join(self.tmp.name, "none.jsonl")
        self.assert_fails(1, "cannot read “%s”: No such file or directory" % path,
                          "--examples-file", path)

    def test_sentences_file_empty_text_and_ids(self):
        path = self.write("empty.txt", "\n  \n")
        self.assert_fails(1, "no sentences: the files given hold none", "--sentences-file", path)
        self.assert_fails(2, "2 --id given for 1 sentence", "--sentence", "a b", "--id", "x",
                          "--id", "y")

    def test_examples_given_as_sentences(self):
        """JSON lines given as --sentences-file would be exported as sentences of JSON text."""
        path = self.write("pronouns.jsonl", '{"id": "a", "text": "The author talked to Sara '
                                            'about his book.", "focus": "his"}\n')
        self.assert_fails(2, '%s: the first line is JSON with a "text", as in an '
                          '--examples-file, not a sentence: give the file with --examples-file'
                          % path, "--sentences-file", path)

    def test_output_folder_missing(self):
        """What is missing is said as attnflow-cli says it: the folder (not “No such file or
        directory”, which the output, that is to be made, is not expected to be)."""
        self.output = os.path.join(self.tmp.name, "none", "out.json")
        self.assert_fails(1, "cannot write “%s”: its folder does not exist" % self.output,
                          "--sentence", "a b")
        # a file where the folder should be: the system's reason
        self.output = os.path.join(self.write("file", ""), "out.json")
        self.assert_fails(1, "cannot write “%s”: Not a directory" % self.output,
                          "--sentence", "a b")

    @unittest.skipUnless(os.path.isdir("/proc/self"), "no /proc")
    def test_output_folder_accepts_no_files(self):
        """/proc makes no new files, which the system says as “No such file or directory”."""
        self.output = "/proc/x.json"
        self.assert_fails(1, "cannot write “/proc/x.json”: its folder does not accept new files",
                          "--sentence", "a b")

    def test_paths_quoted_as_attnflow_cli_quotes_them(self):
        """A byte that is not UTF-8 as \\xe9 (Python's file names carry it as \\udce9), a
        control character as \\n or \\x1b, a bidi control as \\u202e: as attnflow-cli quotes
        a path (attn_error_display_path()), never the character itself."""
        folder = os.path.join(self.tmp.name, "none\udce9")
        self.output = os.path.join(folder, "x\n\x1b\u202e.json")
        self.assert_fails(1, "cannot write “%s”: its folder does not exist"
                          % os.path.join(self.tmp.name, "none\\xe9", "x\\n\\x1b\\u202e.json"),
                          "--sentence", "a b")
        self.output = os.path.join(self.tmp.name, "out.json")
        missing = os.path.join(self.tmp.name, "s\udce9\t.txt")
        self.assert_fails(1, "cannot read “%s”: No such file or directory"
                          % os.path.join(self.tmp.name, "s\\xe9\\t.txt"),
                          "--sentences-file", missing)

    def test_npy_beside_a_name_that_is_not_utf8(self):
        """The .npy files take the output's name, which the JSON file, UTF-8 text, cannot name
        them by when it is not UTF-8: refused before torch is imported (it failed once the model
        had run, when the JSON was written, leaving the .npy files)."""
        self.output = os.path.join(self.tmp.name, "out\udce9.json")
        for option in (["--npy"], ["--head-mix", "mean"]):
            self.assert_fails(2, "%s: the .npy files take the name of “%s”, which is not UTF-8, "
                              "and the JSON file (UTF-8 text) cannot name them: give --output a "
                              "UTF-8 name" % (option[0], os.path.join(self.tmp.name,
                                                                      "out\\xe9.json")),
                              "--sentence", "a b", *option)
        self.assertEqual(os.listdir(self.tmp.name), [])
        # without --npy no file is named; a folder's name is no part of the .npy files' (the
        # loader finds them in the JSON file's folder): on to torch
        folder = os.path.join(self.tmp.name, "f\udce9")
        os.mkdir(folder)
        for output, option in ((self.output, []), (os.path.join(folder, "out.json"), ["--npy"])):
            self.output = output
            proc = self.run_without_torch("--sentence", "a b", *option)
            self.assertEqual(proc.returncode, 1, proc.stderr)
            self.assertIn("The exporter needs torch and transformers", proc.stderr)

    def test_output_a_link_to_nothing(self):
        """A symbolic link to a file that does not exist (or into a folder that does not) is
        refused as attnflow-cli refuses it, as cp does: the file it points to could be anywhere
        another user's link in a shared folder points (the export replaced the link by its
        file). Said before torch is imported; the link stays as it was."""
        for target in ("real.json", os.path.join("gone", "real.json"), "/nonexistent/x.json"):
            os.symlink(target, self.output)
            self.assert_fails(1, "cannot write “%s”: it is a symbolic link to “%s”, which does "
                              "not exist: the exporter does not make the file a link points to; "
                              "give --output that file's own name" % (self.output, target),
                              "--sentence", "a b")
            self.assertEqual(os.listdir(self.tmp.name), ["out.json"])
            self.assertEqual(os.readlink(self.output), target)
            os.unlink(self.output)
        os.symlink("out.json", self.output)
        self.assert_fails(1, "cannot write “%s”: it is a symbolic link that leads back to itself "
                          "(a loop of links)" % self.output, "--sentence", "a b")
        self.assertEqual(os.readlink(self.output), "out.json")
        # named as attnflow-cli names a file: \\xe9, \\n
        os.unlink(self.output)
        self.output = os.path.join(self.tmp.name, "o\udce9.json")
        os.symlink("gone\n.json", self.output)
        self.assert_fails(1, "cannot write “%s”: it is a symbolic link to “gone\\n.json”, which "
                          "does not exist: the exporter does not make the file a link points "
                          "to; give --output that file's own name"
                          % os.path.join(self.tmp.name, "o\\xe9.json"), "--sentence", "a b")

    def test_npy_at_a_link_to_nothing(self):
        """A .npy file the export is to write beside the JSON file (attention, or a
        contribution kind) whose name is a symbolic link to nothing: refused before torch is
        imported, naming it; not where the export writes no .npy file."""
        remedy = ("which does not exist: the exporter does not make the file a link points to; "
                  "remove the link or give --output another name")
        two = ["--sentence", "a b", "--sentence", "c d", "--id", "a", "--id", "b"]
        # the .npy file's name, the options that write it, the same without a .npy file
        cases = (("out.b.npy", ["--npy"], []), ("out.b.npy", ["--head-mix", "mean"], []),
                 ("out.b.alti.npy", ["--npy", "--contributions", "norm,alti"],
                  ["--contributions", "norm,alti"]))
        for name, option, without in cases:
            link = os.path.join(self.tmp.name, name)
            os.symlink("/nonexistent/x.npy", link)
            self.assert_fails(1, "cannot write “%s”: it is a symbolic link to "
                              "“/nonexistent/x.npy”, %s" % (link, remedy), *two, *option)
            self.assertEqual(os.listdir(self.tmp.name), [name])
            # without --npy the export writes no .npy file: on to torch
            proc = self.run_without_torch(*two, *without)
            self.assertEqual(proc.returncode, 1, proc.stderr)
            self.assertIn("The exporter needs torch and transformers", proc.stderr)
            os.unlink(link)
        # beside the file a link to a file (--output) points to, which the .npy files go beside
        folder = os.path.join(self.tmp.name, "results")
        os.mkdir(folder)
        with open(os.path.join(folder, "real.json"), "w") as f:
            f.write("{}")
        os.symlink(os.path.join("results", "real.json"), self.output)
        os.symlink("gone.npy", os.path.join(folder, "real.a.npy"))
        proc = self.run_without_torch(*two, "--npy")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stderr, "attnflow-export: cannot write “%s”: it is a symbolic "
                         "link to “gone.npy”, %s\n"
                         % (os.path.join(os.path.realpath(folder), "real.a.npy"), remedy))

    def test_model_label_that_is_not_utf8(self):
        """--model is the file's label unless --model-name gives one: a name that is not UTF-8
        (a local folder's) cannot be written, which is said before the model runs."""
        self.assert_fails(2, "--model: “models/m\\xe9” is not UTF-8 text, which the file's model "
                          "label must be: give the label with --model-name", "--sentence", "a b",
                          model="models/m\udce9")
        proc = self.run_without_torch("--sentence", "a b", "--model-name", "m",
                                      model="models/m\udce9")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("The exporter needs torch and transformers", proc.stderr)

    def test_embedding_without_focus(self):
        """--task embedding has no prediction, so no default focus: said before torch (and the
        model) is loaded, for the first sentence or line that has none."""
        message = ("example %s: an embedding model has no prediction to explain; name the token "
                   "with --focus WORD or --focus INDEX")
        self.assert_fails(1, message % "ex-0", "--task", "embedding", "--sentence", "a b")
        path = self.write("x.jsonl", '{"id": "a", "text": "a b", "focus": "b"}\n'
                                     '{"id": "b", "text": "a b"}\n')
        self.assert_fails(1, message % "b", "--task", "embedding", "--examples-file", path)
        # --focus (for every line without its own) is enough
        proc = self.run_without_torch("--task", "embedding", "--examples-file", path,
                                      "--focus", "a")
        self.assertIn("torch", proc.stderr)
        self.assertNotIn("embedding model", proc.stderr)

    def test_help_names_every_task_focus(self):
        """--focus's help says what it is by default for each task, embedding included."""
        proc = subprocess.run([sys.executable, "-c", WITHOUT_TORCH, SCRIPT, "--help"],
                              capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, COLUMNS="400"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("0 ([CLS]) for classification; embedding has none: give it\n", proc.stdout)

    def test_option_given_twice(self):
        """argparse would keep the last value: the second --examples-file alone would be read."""
        for option, args in (("--examples-file", ["--examples-file", "a.jsonl",
                                                  "--examples-file=b.jsonl"]),
                             ("--focus", ["--sentence", "a b", "--focus", "a", "--focus", "b"]),
                             ("--output", ["--sentence", "a b", "-o", "x.json"])):
            proc = self.run_without_torch(*args)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertTrue(proc.stderr.endswith(
                "attnflow-export: error: %s is given more than once: give it once (it takes one "
                "value)\n" % option), proc.stderr)

    def test_good_input_then_names_torch(self):
        """With nothing wrong before it, the missing torch is what is reported."""
        path = self.write("x.jsonl", '{"text": "a b"}\n')
        proc = self.run_without_torch("--examples-file", path)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn("The exporter needs torch and transformers", proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        self.assertFalse(os.path.exists(self.output))

    def test_install_hint_pins_what_the_readme_pins(self):
        """The hint for a missing torch or transformers installs what the README's recipe
        installs: torch and transformers, each pinned to the README's version (it pinned torch
        only, so pip took the newest transformers the exporter allows)."""
        with open(os.path.join(TOOLS, os.pardir, "README.md"), encoding="utf-8") as f:
            recipe = re.findall(r"^pip install (torch==\S+ transformers==\S+)", f.read(), re.M)
        self.assertEqual(len(recipe), 1, recipe)
        hint = "pip install %s && pip install ./tools" % recipe[0]
        path = self.write("x.jsonl", '{"text": "a b"}\n')
        proc = self.run_without_torch("--examples-file", path)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertIn(hint, proc.stderr)
        # the launcher's own hint, for a broken checkout (split over two string literals)
        with open(SCRIPT, encoding="utf-8") as f:
            launcher = re.sub(r'"\s*\n\s*"', "", f.read())
        self.assertIn(hint, launcher)


class ByteOrderMark(unittest.TestCase):
    """A file saved as "UTF-8 with BOM" (as Windows editors save it): the mark is not part of
    the first sentence, nor a reason to refuse the first --examples-file line."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def requests(self, option, text):
        # cli imports neither torch nor numpy
        sys.path.insert(0, TOOLS)
        self.addCleanup(sys.path.remove, TOOLS)
        from attnflow_export import cli
        path = os.path.join(self.tmp.name, "input")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        args = cli.build_parser().parse_args(["--model", "toy", option, path])
        return cli.read_requests(args)

    def test_sentences_file(self):
        requests = self.requests("--sentences-file", "\ufeffThe cat sat.\nA dog ran.\n")
        self.assertEqual([r.text for r in requests], ["The cat sat.", "A dog ran."])

    def test_examples_file(self):
        requests = self.requests("--examples-file",
                                 '\ufeff{"id": "a", "text": "The cat sat.", "focus": "cat"}\n')
        self.assertEqual([(r.id, r.text, r.focus) for r in requests],
                         [("a", "The cat sat.", "cat")])


class Summary(unittest.TestCase):
    """The summary line counts examples, layers and heads each in its own number."""

    class Attention:
        def __init__(self, shape):
            self.shape = shape
            self.nbytes = 4

    def summary(self, count, shape, output="out.json"):
        sys.path.insert(0, TOOLS)
        self.addCleanup(sys.path.remove, TOOLS)
        from attnflow_export import cli
        examples = [argparse.Namespace(attention=self.Attention(shape))] * count
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            cli.print_summary(argparse.Namespace(output=output), examples, npy=False)
        return err.getvalue()

    def test_file_named_as_attnflow_cli_names_it(self):
        self.assertEqual(self.summary(1, (1, 1, 3, 3), "out2\udce9\x1b.json"),
                         "attnflow-export: wrote 1 example (1 layer, 1 head) to "
                         "out2\\xe9\\x1b.json\n")

    def test_one_of_each(self):
        self.assertEqual(self.summary(1, (1, 1, 3, 3)),
                         "attnflow-export: wrote 1 example (1 layer, 1 head) to out.json\n")
        self.assertEqual(self.summary(1, (1, 3, 3)),
                         "attnflow-export: wrote 1 example (1 layer, mean over heads) to "
                         "out.json\n")

    def test_several(self):
        self.assertEqual(self.summary(2, (12, 1, 3, 3)),
                         "attnflow-export: wrote 2 examples (12 layers, 1 head) to out.json\n")
        self.assertEqual(self.summary(1, (6, 12, 3, 3)),
                         "attnflow-export: wrote 1 example (6 layers, 12 heads) to out.json\n")


class DisplayPath(unittest.TestCase):
    """errors.display_path(): a path as attnflow-cli's messages show one (src/core/attn-error.c,
    attn_error_escape_text())."""

    def test_escapes(self):
        _tools_on_path(self)
        from attnflow_export.errors import display_path
        for name, shown in [
                (b"caf\xc3\xa9 \xed\x95\x9c.json", "café 한.json"),
                (b"out\xe9.json", "out\\xe9.json"),
                ("out\udce9.json", "out\\xe9.json"),
                (b"\xf0\x9f\x98x", "\\xf0\\x9f\\x98x"),    # a character cut short
                (b"\xed\xa0\x80", "\\xed\\xa0\\x80"),      # a surrogate in UTF-8
                ("a\nb\tc\rd\x1be\x7f", "a\\nb\\tc\\x0dd\\x1be\\x7f"),
                ("\x85\x9b", "\\u0085\\u009b"),                # C1 controls
                ("a\u202eb\u200bc\u2060\ufeff\u2028\u2029",
                 "a\\u202eb\\u200bc\\u2060\\ufeff\\u2028\\u2029"),
                ("\U000e0041", "\\U000e0041"),                # a tag character
                ("\u0645\u200c\u06cc \U0001f469\u200d\U0001f4bb",      # joiners stay
                 "\u0645\u200c\u06cc \U0001f469\u200d\U0001f4bb"),
                ("a\\b", "a\\b")]:                            # a backslash stays one
            self.assertEqual(display_path(name), shown, name)


def _tools_on_path(test):
    sys.path.insert(0, TOOLS)
    test.addCleanup(sys.path.remove, TOOLS)


class PipeProgress(unittest.TestCase):
    """Where stderr is no terminal (a log, a notebook, CI): nothing in the first 3 s, then
    whole lines, one at most every 10 s; nothing with --quiet."""

    def make(self, stream, enabled=True):
        _tools_on_path(self)
        from attnflow_export import progress
        self.now = 100.0
        return progress.Progress(enabled=enabled, stream=stream, clock=lambda: self.now)

    def at(self, when, call, *args):
        self.now = 100.0 + when
        call(*args)

    def test_lines_at_a_calm_rate(self):
        log = io.StringIO()
        line = self.make(log)
        self.at(1.0, line.example, 1, 40, "ex-0")
        self.at(1.5, line.step, "attention")            # in the first 3 s: nothing
        self.at(3.5, line.step, "blank-out 0/300")       # then at once
        self.at(4.0, line.step, "blank-out 32/300")      # 10 s must pass
        self.at(13.0, line.step, "gradient")
        self.at(13.5, line.step, "blank-out 64/300")
        self.at(14.0, line.clear)                       # no terminal line to erase
        self.at(20.0, line.example, 12, 40, "ex-11")
        self.at(25.0, line.step, "attention")
        self.at(26.0, line.step, "contributions norm: layer 1/6")
        self.assertEqual(log.getvalue(),
                         "attnflow-export: example 1/40 (ex-0): blank-out 0/300\n"
                         "attnflow-export: example 1/40 (ex-0): blank-out 64/300\n"
                         "attnflow-export: example 12/40 (ex-11): attention\n")

    def test_quiet(self):
        log = io.StringIO()
        line = self.make(log, enabled=False)
        line.example(1, 1, "ex-0")
        for t in (5.0, 20.0, 40.0):
            self.at(t, line.step, "attention")
        line.clear()
        self.assertEqual(log.getvalue(), "")

    def test_an_id_cannot_break_the_line(self):
        log = io.StringIO()
        line = self.make(log)
        line.example(1, 1, "a\nb\rc\x1b[2Jd")
        self.at(5.0, line.step, "attention")
        self.assertEqual(log.getvalue(), "attnflow-export: example 1/1 (a?b?c?[2Jd): attention\n")

    def test_a_closed_log_does_not_stop_the_export(self):
        class Closed(io.StringIO):
            writes = 0

            def write(self, text):
                Closed.writes += 1
                raise BrokenPipeError(32, "Broken pipe")

        line = self.make(Closed())
        line.example(1, 1, "ex-0")
        self.at(5.0, line.step, "attention")
        self.at(30.0, line.step, "gradient")
        self.assertEqual(Closed.writes, 1)


class StaleTemporaryFiles(unittest.TestCase):
    """A temporary file is named after its process and host; the next export into the folder
    removes those whose process is gone, never a live one's, another host's or while another
    export holds the folder."""

    def setUp(self):
        _tools_on_path(self)
        from attnflow_export import outfile
        self.outfile = outfile
        self.addCleanup(outfile.release_folders)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.folder = self.tmp.name
        self.output = os.path.join(self.folder, "out.json")
        self.host = outfile._host()
        # a process that has ended: its PID is free
        proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
        self.dead = int(proc.stdout)

    def touch(self, name):
        with open(os.path.join(self.folder, name), "w") as f:
            f.write("partial")
        return name

    def test_the_name_carries_the_pid_and_host(self):
        fd, tmp = self.outfile._temp_in(self.folder, ".npy")
        os.close(fd)
        self.outfile._unlink_quietly(tmp)
        name = os.path.basename(tmp)
        self.assertTrue(name.startswith(".attnflow-export-%d@%s-" % (os.getpid(), self.host)),
                        name)
        self.assertTrue(name.endswith(".npy"))
        self.assertRegex(name, self.outfile._TEMP_NAME)

    def test_a_dead_writers_files_go(self):
        stale = [self.touch(".attnflow-export-%d@%s-abcd_123" % (self.dead, self.host)),
                 self.touch(".attnflow-export-%d@%s-zz99yy88.npy" % (self.dead, self.host))]
        kept = [self.touch("out.json"), self.touch("out.ex-0.npy"),
                # a live process's (this one's parent)
                self.touch(".attnflow-export-%d@%s-abcdefgh.npy" % (os.getppid(), self.host)),
                # another host's: its process cannot be asked
                self.touch(".attnflow-export-%d@other-host.example-abcdefgh" % self.dead),
                # an older exporter's name, without PID and host
                self.touch(".attnflow-export-k2j3h4g5.npy"),
                self.touch(".attnflow-export-%d@%s-abcdefgh.json" % (self.dead, self.host))]
        self.assertEqual(self.outfile.claim_folder(self.output), sorted(stale))
        self.assertEqual(sorted(os.listdir(self.folder)), sorted(kept))

    def test_never_while_another_export_holds_the_folder(self):
        name = self.touch(".attnflow-export-%d@%s-abcdefgh.npy" % (self.dead, self.host))
        holder = subprocess.Popen(
            [sys.executable, "-c",
             "import sys; sys.path.insert(0, %r); from attnflow_export import outfile; "
             "outfile.claim_folder(%r); print('holding', flush=True); sys.stdin.read()"
             % (TOOLS, self.output)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(holder.stdout.readline(), "holding\n")
            # the holder, which found the folder free, removed the file: put it back
            self.assertEqual(os.listdir(self.folder), [])
            self.touch(name)
            self.assertEqual(self.outfile.claim_folder(self.output), [])
            self.assertEqual(os.listdir(self.folder), [name])
        finally:
            holder.stdin.close()
            holder.wait(timeout=60)
        self.outfile.release_folders()
        self.assertEqual(self.outfile.claim_folder(self.output), [name])
        self.assertEqual(os.listdir(self.folder), [])


if __name__ == "__main__":
    unittest.main()
