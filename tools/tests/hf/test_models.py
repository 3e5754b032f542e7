# test_models.py: the exporter on small random-weight models of the real transformers library
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""For each architecture (models.KINDS), a model with random weights and a tokenizer made
offline are saved to a folder and exported with ``attnflow-export --model FOLDER``, then every
field is compared with a direct computation on the same model, loaded separately."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

import numpy as np
import torch
import transformers

from attnflow_export import cli, errors, hf
import models
import support

AUTO = {"masked-lm": transformers.AutoModelForMaskedLM,
        "sequence-classification": transformers.AutoModelForSequenceClassification,
        "causal-lm": transformers.AutoModelForCausalLM}
SPECIAL = {"BertForMaskedLM": ("[CLS]", "[SEP]"), "DistilBertForMaskedLM": ("[CLS]", "[SEP]"),
           "BertForSequenceClassification": ("[CLS]", "[SEP]"),
           "RobertaForMaskedLM": ("<s>", "</s>"), "LlamaForCausalLM": ("<s>", None),
           "GPT2LMHeadModel": (None, None)}


class ModelExport:
    """Mixed into one TestCase per architecture (see the end of this file)."""

    KIND = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attnflow-hf-")
        cls.folder, cls.task = models.built(cls.KIND)
        # the model and tokenizer as the test sees them, loaded independently of the exporter
        cls.net = AUTO[cls.task].from_pretrained(cls.folder, attn_implementation="eager").eval()
        cls.tok = transformers.AutoTokenizer.from_pretrained(cls.folder)
        if cls.task == "masked-lm":
            cls.texts = models.PRONOUNS
        elif cls.task == "causal-lm":
            cls.texts = models.PREFIXES
        else:
            cls.texts = models.REVIEWS
        cls.pronoun = cls.task != "sequence-classification"
        cls.out = os.path.join(cls.tmp, "out.json")
        argv = ["--model", cls.folder, "--task", cls.task, "--references", "blankout,gradient",
                "-o", cls.out, "--quiet"]
        for i, text in enumerate(cls.texts):
            argv += ["--sentence", text, "--id", "s%d" % i]
        if cls.pronoun:
            argv += ["--candidates", "his,her", "--top-k", "3",
                     "--antecedents", "author,sara", "--antecedents", "doctor,nurse"
                     if cls.task == "causal-lm" else "sara,author"]
        status, _, err = support.run_main(cli.main, argv)
        assert status == 0, err
        cls.doc = support.load_export(cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def encode(self, text):
        text = text.replace("[MASK]", self.tok.mask_token) if self.tok.mask_token else text
        return self.tok(text, return_tensors="pt")["input_ids"]

    def outputs(self, ids, **kw):
        with torch.no_grad():
            return self.net(input_ids=ids, attention_mask=torch.ones_like(ids), **kw)

    def label(self, token_id):
        """The decoded token, or its spelling when that is empty or holds a control character."""
        text = self.tok.decode([token_id]).strip()
        if not text or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text):
            return self.tok.convert_ids_to_tokens([token_id])[0]
        return text

    def test_labels_never_hold_control_characters(self):
        _, tok = hf.load(self.folder, self.task)
        for token_id in range(len(self.tok)):
            label = tok.label(token_id)
            self.assertTrue(label and all(ord(c) >= 32 for c in label), (token_id, label))
        if self.KIND in ("RobertaForMaskedLM", "GPT2LMHeadModel", "LlamaForCausalLM"):
            # byte-level BPE: the token for byte 0 decodes to NUL; its label is its spelling
            nul = self.tok.convert_tokens_to_ids("Ā")
            self.assertEqual(self.tok.decode([nul]), "\x00")
            self.assertEqual(tok.label(nul), "Ā")

    def target_logits(self, ids, focus):
        logits = self.outputs(ids).logits
        return logits[:, focus] if logits.dim() == 3 else logits

    def test_eager_attention_is_used_and_checked(self):
        self.assertEqual(self.net.config._attn_implementation, "eager")
        model, _ = hf.load(self.folder, self.task)
        self.assertEqual(model.net.config._attn_implementation, "eager")
        sdpa = AUTO[self.task].from_pretrained(self.folder, attn_implementation="sdpa").eval()
        with self.assertRaisesRegex(errors.ExportError, "“sdpa” attention, which returns no "
                                    "attention weights"):
            hf.wrap(sdpa, self.tok, self.task)

    def test_tokens_attention_and_focus(self):
        L, H = self.net.config.num_hidden_layers, self.net.config.num_attention_heads
        self.assertEqual(len(self.doc["examples"]), len(self.texts))
        for ex, text in zip(self.doc["examples"], self.texts):
            ids = self.encode(text)
            n = ids.shape[1]
            self.assertEqual(ex["text"], text)
            self.assertEqual(ex["tokens"], self.tok.convert_ids_to_tokens(ids[0].tolist()))
            first, last = SPECIAL[self.KIND]
            if first:
                self.assertEqual(ex["tokens"][0], first)
            if last:
                self.assertEqual(ex["tokens"][-1], last)
            att = support.read_array(ex["attention"], self.tmp)
            self.assertEqual(ex["attention"]["dtype"], "float32")
            self.assertEqual(att.shape, (L, H, n, n))
            # exactly what the model returns with eager attention
            direct = torch.stack(self.outputs(ids, output_attentions=True).attentions)[:, 0]
            self.assertTrue(np.array_equal(att, direct.numpy()))
            np.testing.assert_allclose(att.astype(np.float64).sum(-1), 1.0, rtol=0, atol=1e-5)
            self.assertGreater(float(np.abs(att - 1.0 / n).max()), 0.3)
            if self.task == "causal-lm":
                self.assertEqual(float(np.abs(np.triu(att, k=1)).max()), 0.0)
                self.assertEqual(ex["focus"], n - 1)
            elif self.task == "masked-lm":
                self.assertEqual(ex["focus"], ids[0].tolist().index(self.tok.mask_token_id))
            else:
                self.assertEqual(ex["focus"], 0)

    def test_prediction(self):
        for ex, text in zip(self.doc["examples"], self.texts):
            ids = self.encode(text)
            probs = torch.softmax(self.target_logits(ids, ex["focus"])[0].double(), -1)
            cands = ex["prediction"]["candidates"]
            if self.pronoun:
                self.assertEqual([c["label"] for c in cands[:2]], ["his", "her"])
                for c in cands[:2]:
                    (token_id,) = self.tok(" " + c["label"], add_special_tokens=False)["input_ids"]
                    self.assertAlmostEqual(c["probability"], float(probs[token_id]), delta=1e-9)
                top = torch.topk(probs, 3).indices.tolist()
                labels = [c["label"] for c in cands]
                for token_id in top:
                    label = self.label(token_id)
                    self.assertIn(label, labels)
                    self.assertAlmostEqual(cands[labels.index(label)]["probability"],
                                           float(probs[token_id]), delta=1e-9)
                self.assertEqual(ex["prediction"]["label"], self.label(int(torch.argmax(probs))))
            else:
                self.assertEqual([c["label"] for c in cands], ["negative", "positive"])
                np.testing.assert_allclose([c["probability"] for c in cands], probs.numpy(),
                                           rtol=0, atol=1e-9)
                self.assertEqual(ex["prediction"]["label"],
                                 ["negative", "positive"][int(torch.argmax(probs))])

    def predicted_index(self, ex, ids):
        probs = torch.softmax(self.target_logits(ids, ex["focus"])[0].double(), -1)
        return int(torch.argmax(probs)), probs

    def test_blankout_reference(self):
        blank = self.tok.mask_token_id if self.tok.mask_token_id is not None else \
            self.tok.unk_token_id
        for ex, text in zip(self.doc["examples"], self.texts):
            ids = self.encode(text)
            predicted, probs = self.predicted_index(ex, ids)
            expected = []
            for j in range(ids.shape[1]):
                blanked = ids.clone()
                blanked[0, j] = blank
                p = torch.softmax(self.target_logits(blanked, ex["focus"])[0].double(), -1)
                expected.append(float(probs[predicted] - p[predicted]))
            np.testing.assert_allclose(ex["references"]["blankout"], expected, rtol=0, atol=1e-6)
            self.assertGreater(max(abs(v) for v in expected), 1e-3)

    def test_gradient_reference(self):
        for ex, text in zip(self.doc["examples"], self.texts):
            ids = self.encode(text)
            predicted, _ = self.predicted_index(ex, ids)
            # e: the input of the first transformer layer, as the model reports it
            out = self.net(input_ids=ids, attention_mask=torch.ones_like(ids),
                           output_hidden_states=True)
            logits = out.logits[0, ex["focus"]] if out.logits.dim() == 3 else out.logits[0]
            (grad,) = torch.autograd.grad(logits[predicted], out.hidden_states[0])
            expected = grad[0].double().abs().sum(-1).numpy()
            np.testing.assert_allclose(ex["references"]["gradient"], expected, rtol=1e-5,
                                       atol=1e-9)
            self.assertTrue(np.all(expected > 0))

    def test_antecedents(self):
        if not self.pronoun:
            self.assertTrue(all("antecedents" not in ex for ex in self.doc["examples"]))
            return
        words = [["author", "sara"], ["doctor", "nurse"] if self.task == "causal-lm"
                 else ["sara", "author"]]
        for ex, want in zip(self.doc["examples"], words):
            got = [ex["tokens"][i].lstrip("Ġ").lower() for i in ex["antecedents"]]
            self.assertEqual(got, want)

    def test_read_by_attnflow_cli(self):
        proc = support.attnflow("validate", self.out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        for ex in self.doc["examples"]:
            att = support.read_array(ex["attention"], self.tmp)
            proc = support.attnflow("flow", self.out, "--example", ex["id"], "--format", "json")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            out = support.json.loads(proc.stdout)
            self.assertEqual(out["position"], ex["focus"])
            for entry in out["layers"]:
                expected = support.flow(att, entry["layer"], ex["focus"])
                np.testing.assert_allclose(entry["values"], expected, rtol=0, atol=1e-9)

    def test_head_mix_mean_layer_by_layer(self):
        path = os.path.join(self.tmp, "mixed.json")
        argv = ["--model", self.folder, "--task", self.task, "--sentence", self.texts[0],
                "--id", "m", "--head-mix", "mean", "-o", path, "--quiet"]
        status, _, err = support.run_main(cli.main, argv)
        self.assertEqual(status, 0, err)
        doc = support.load_export(path)
        (ex,) = doc["examples"]
        self.assertEqual(ex["attention"], {"npy": "mixed.m.npy"})
        mixed = support.read_array(ex["attention"], self.tmp)
        self.assertEqual(mixed.dtype, np.dtype("<f2"))
        full = torch.stack(self.outputs(self.encode(self.texts[0]),
                                        output_attentions=True).attentions)[:, 0]
        mean = full.double().mean(dim=1).numpy()
        self.assertEqual(mixed.shape, mean.shape)
        # float16 of the float32 mean: within one float16 rounding (2^-11 relative)
        np.testing.assert_allclose(mixed.astype(np.float64), mean, rtol=2.0 ** -11, atol=1e-7)
        proc = support.attnflow("validate", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        proc = support.attnflow("rollout", path, "--format", "json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        expected = support.rollout(mixed)
        for entry in support.json.loads(proc.stdout)["layers"]:
            np.testing.assert_allclose(entry["values"], expected[entry["layer"] - 1][ex["focus"]],
                                       rtol=0, atol=1e-9)
        self.assertFalse([f for f in os.listdir(self.tmp) if f.startswith(".attnflow-export")])

    def test_max_length(self):
        path = os.path.join(self.tmp, "short.json")
        argv = ["--model", self.folder, "--task", self.task, "--sentence", self.texts[0],
                "--max-length", "5", "-o", path, "--quiet"]
        if self.task == "masked-lm":
            argv += ["--focus", "1"]
        status, _, err = support.run_main(cli.main, argv)
        self.assertEqual(status, 0, err)
        # the special tokens the tokenizer adds ([CLS] [SEP], <s>, none for GPT-2) count
        special = len(self.tok("a")["input_ids"]) - len(self.tok("a", add_special_tokens=False)
                                                        ["input_ids"])
        self.assertIn("keeping the first %d" % (5 - special), err)
        if special:
            self.assertIn("(--max-length 5 includes the special tokens: ", err)
            # too few for them and a token of text: a usage error naming the least
            status, _, err = support.run_main(
                cli.main, argv[:argv.index("--max-length") + 1] + [str(special)] +
                argv[argv.index("--max-length") + 2:])
            self.assertEqual(status, 2, err)
            self.assertIn("so the least that keeps a token of the text is %d\n" % (special + 1),
                          err)
        (ex,) = support.load_export(path)["examples"]
        self.assertEqual(len(ex["tokens"]), 5)
        ids = self.tok(self.texts[0].replace("[MASK]", self.tok.mask_token or "[MASK]"),
                       truncation=True, max_length=5)["input_ids"]
        self.assertEqual(ex["tokens"], self.tok.convert_ids_to_tokens(ids))
        self.assertEqual(support.read_array(ex["attention"], self.tmp).shape[2:], (5, 5))
        # past the model's limit: a value the model cannot take, exit 2 as a malformed one
        argv[argv.index("--max-length") + 1] = "100000"
        status, _, err = support.run_main(cli.main, argv)
        self.assertEqual(status, 2)
        self.assertIn("is more than the model's limit", err)
        if self.task == "masked-lm":
            # a [MASK] cut off at the model's own limit: no larger --max-length to suggest
            long_text = "the " * 80 + "[MASK] ."
            status, _, err = support.run_main(cli.main, ["--model", self.folder, "--sentence",
                                                         long_text, "-o", path, "--quiet"])
            self.assertEqual(status, 1)
            self.assertIn("tokens, the most this model takes; shorten the sentence\n", err)
            self.assertNotIn("--max-length", err)


for _kind in models.KINDS:
    globals()["Test" + _kind] = type("Test" + _kind, (ModelExport, unittest.TestCase),
                                     {"KIND": _kind})
del _kind


class ConsoleScript(unittest.TestCase):
    """The installed ``attnflow-export`` entry point, and ``--open``."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attnflow-open-")
        cls.folder, _ = models.built("BertForMaskedLM")
        cls.script = os.environ["ATTNFLOW_EXPORT_SCRIPT"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_script(self, *args, env=None):
        return subprocess.run([self.script, "--model", self.folder, "--sentence",
                               models.PRONOUNS[0]] + list(args), capture_output=True, text=True,
                              timeout=300, env=env)

    def test_entry_point_and_open(self):
        self.assertTrue(os.access(self.script, os.X_OK), self.script)
        record = os.path.join(self.tmp, "opened.txt")
        app = os.path.join(self.tmp, "fake-attnflow")
        with open(app, "w", encoding="utf-8") as f:
            f.write("#!/bin/sh\nprintf '%%s\\n' \"$@\" > %s.part && mv %s.part %s\n"
                    % (record, record, record))
        os.chmod(app, 0o755)
        out = os.path.join(self.tmp, "opened.json")
        env = dict(os.environ, ATTNFLOW_APP=app)
        proc = self.run_script("-o", out, "--open", env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("wrote 1 example (2 layers, 4 heads)", proc.stderr)
        deadline = time.monotonic() + 30
        while not os.path.exists(record) and time.monotonic() < deadline:
            time.sleep(0.05)
        with open(record, encoding="utf-8") as f:
            self.assertEqual(f.read().splitlines(), [os.path.abspath(out)])
        self.assertEqual(len(support.load_export(out)["examples"]), 1)

    def test_open_without_the_app(self):
        out = os.path.join(self.tmp, "closed.json")
        saved = {k: os.environ.get(k) for k in ("PATH", "ATTNFLOW_APP")}
        os.environ["PATH"] = os.path.dirname(sys.executable)
        os.environ.pop("ATTNFLOW_APP", None)
        try:
            argv = ["--model", self.folder, "--sentence", models.PRONOUNS[0], "--open", "--quiet"]
            status, _, err = support.run_main(cli.main, argv + ["-o", out])
            self.assertEqual(status, 1)
            self.assertIn("--open: the attnflow application is not on PATH", err)
            self.assertTrue(os.path.exists(out))
            status, _, err = support.run_main(cli.main, argv)
            self.assertEqual(status, 2)
            self.assertIn("--open needs --output FILE", err)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
