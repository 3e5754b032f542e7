# test_hf.py: tests of the Hugging Face glue against a stand-in "transformers" module
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""transformers cannot be installed here, so these tests give hf.py a module with the same
entry points (AutoTokenizer, AutoModelForMaskedLM, AutoModelForSequenceClassification) and
the same call conventions, backed by the toy transformer: a RoBERTa-like byte-level
tokenizer (``Ġ`` marks a preceding space, ``<mask>``) and a model returning ``.logits`` and
``.attentions``."""

import base64
import contextlib
import io
import json
import os
import re
import sys
import tempfile
import types
import unittest
from unittest import mock

import numpy as np
import torch
from torch import nn

from attnflow_export import cli, core, hf
import toy

SPECIAL = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
BOS, PAD, EOS, UNK, MASK = range(5)
WORDS = toy.VOCAB[5:]
VOCAB = SPECIAL + [t for w in WORDS for t in (w, "Ġ" + w)]


class FakeTokenizer:
    mask_token = "<mask>"
    mask_token_id = MASK
    unk_token_id = UNK
    model_max_length = int(1e30)

    def __init__(self):
        self.index = {t: i for i, t in enumerate(VOCAB)}

    def _piece_ids(self, piece):
        if piece.strip() == "<mask>":
            return [MASK]
        token = piece.lower().replace(" ", "Ġ")
        if token in self.index:
            return [self.index[token]]
        if token.lstrip("Ġ") == "qq":
            return [UNK]
        # unknown words fall apart into known pieces (greedy longest first), like BPE
        ids = []
        while token:
            for end in range(len(token), 0, -1):
                if token[:end] in self.index:
                    ids.append(self.index[token[:end]])
                    token = token[end:]
                    break
            else:
                ids.append(UNK)
                token = token[1:]
        return ids

    def __call__(self, text, add_special_tokens=True, truncation=False, max_length=None):
        ids = []
        for piece in re.findall(r" ?<mask>| ?\w+| ?[^\w\s]", text):
            ids.extend(self._piece_ids(piece))
        if add_special_tokens:
            if truncation and max_length:
                ids = ids[:max_length - 2]
            ids = [BOS] + ids + [EOS]
        return {"input_ids": ids}

    def convert_ids_to_tokens(self, ids):
        return [VOCAB[i] for i in ids]

    def convert_tokens_to_ids(self, token):
        return self.index.get(token, UNK)

    def decode(self, ids):
        return "".join(VOCAB[i] for i in ids).replace("Ġ", " ")


class FakeModel(nn.Module):
    def __init__(self, task):
        super().__init__()
        self.net = toy.make_network(task, seed=3, vocab=len(VOCAB))
        self.net.train()  # from_pretrained returns a model in training mode; hf.load must fix it
        self.config = types.SimpleNamespace(max_position_embeddings=32, num_labels=2,
                                            id2label={0: "NEGATIVE", 1: "POSITIVE"})

    @property
    def base_model(self):
        return self.net.encoder

    def forward(self, input_ids=None, attention_mask=None, output_attentions=False, return_dict=True):
        assert return_dict
        logits, atts = self.net(input_ids, attention_mask)
        return types.SimpleNamespace(logits=logits, attentions=atts if output_attentions else None)


def fake_transformers(calls):
    module = types.ModuleType("transformers")

    class AutoTokenizer:
        @staticmethod
        def from_pretrained(name, **kw):
            calls.append(("tokenizer", name, kw))
            return FakeTokenizer()

    def auto(task):
        class Auto:
            @staticmethod
            def from_pretrained(name, **kw):
                calls.append((task, name, kw))
                if name == "missing/model":
                    raise OSError("missing/model is not a local folder and not on the Hub")
                model = FakeModel(task)
                calls.append(("model", model))
                return model
        return Auto

    module.AutoTokenizer = AutoTokenizer
    module.AutoModelForMaskedLM = auto(core.TASK_MASKED_LM)
    module.AutoModelForSequenceClassification = auto(core.TASK_CLASSIFICATION)
    return module


class HuggingFaceGlue(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.calls = []
        patcher = mock.patch.dict(sys.modules, {"transformers": fake_transformers(self.calls)})
        patcher.start()
        self.addCleanup(patcher.stop)

    def run_cli(self, argv):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            status = cli.main(argv)
        return status, err.getvalue()

    def model(self):
        return [c[1] for c in self.calls if c[0] == "model"][-1]

    def test_masked_lm(self):
        out = os.path.join(self.tmp.name, "p.json")
        text = "The author talked to Sara about [MASK] book."
        status, err = self.run_cli(["--model", "fake/roberta", "--sentence", text,
                                    "--candidates", "his,her", "--top-k", "3",
                                    "--references", "gradient,blankout", "-o", out])
        self.assertEqual(status, 0, err)
        kinds = {c[0]: c for c in self.calls}
        self.assertEqual(kinds[core.TASK_MASKED_LM][1], "fake/roberta")
        kw = kinds[core.TASK_MASKED_LM][2]
        self.assertEqual(kw["attn_implementation"], "eager")
        self.assertIs(kw["output_attentions"], True)
        model = self.model()
        self.assertFalse(model.training)

        with open(out, encoding="utf-8") as f:
            ex = json.load(f)["examples"][0]
        self.assertEqual(ex["tokens"], ["<s>", "the", "Ġauthor", "Ġtalked", "Ġto", "Ġsara",
                                        "Ġabout", "<mask>", "Ġbook", ".", "</s>"])
        self.assertEqual(ex["focus"], 7)
        ids = [VOCAB.index(t) for t in ex["tokens"]]
        x = torch.tensor([ids])
        with torch.no_grad():
            logits, atts = model.net(x, torch.ones_like(x))
        raw = np.frombuffer(base64.b64decode(ex["attention"]["base64"]), "<f4")
        self.assertTrue(np.array_equal(raw.reshape(ex["attention"]["shape"]),
                                       torch.stack(atts)[:, 0].numpy()))
        probs = torch.softmax(logits[0, 7].double(), -1)
        cands = ex["prediction"]["candidates"]
        # the mask in mid-sentence predicts "Ġhis", not "his"
        self.assertEqual([c["label"] for c in cands[:2]], ["his", "her"])
        self.assertAlmostEqual(cands[0]["probability"], float(probs[VOCAB.index("Ġhis")]), delta=1e-12)
        self.assertAlmostEqual(cands[1]["probability"], float(probs[VOCAB.index("Ġher")]), delta=1e-12)
        top = torch.topk(probs, 3).indices.tolist()
        self.assertEqual(ex["prediction"]["label"], VOCAB[top[0]].replace("Ġ", " ").strip())
        for i in top:
            self.assertIn(VOCAB[i].replace("Ġ", " ").strip(), [c["label"] for c in cands])

        predicted = top[0]
        e = model.net.encoder.embeddings(x).detach().requires_grad_(True)
        lg, _ = model.net.logits_from_embeddings(e, torch.ones_like(x))
        (g,) = torch.autograd.grad(lg[0, 7, predicted], e)
        np.testing.assert_allclose(ex["references"]["gradient"],
                                   g[0].double().abs().sum(-1).numpy(), rtol=1e-6)
        drops = []
        for i in range(len(ids)):
            y = x.clone()
            y[0, i] = MASK
            with torch.no_grad():
                lb, _ = model.net(y, torch.ones_like(y))
            drops.append(float(probs[predicted]) - float(torch.softmax(lb[0, 7].double(), -1)[predicted]))
        np.testing.assert_allclose(ex["references"]["blankout"], drops, rtol=0, atol=1e-6)

    def test_classification_labels_and_truncation(self):
        out = os.path.join(self.tmp.name, "c.json")
        long = " ".join(["the movie was good"] * 10)
        status, err = self.run_cli(["--model", "fake/sst2", "--task", "sequence-classification",
                                    "--sentence", long, "--sentence", "the movie was bad .",
                                    "-o", out])
        self.assertEqual(status, 0, err)
        self.assertIn("has 42 tokens; keeping the first 32", err)
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
        self.assertEqual(len(doc["examples"][0]["tokens"]), 32)
        self.assertEqual(doc["examples"][0]["tokens"][-1], "</s>")
        ex = doc["examples"][1]
        self.assertEqual(ex["focus"], 0)
        self.assertEqual([c["label"] for c in ex["prediction"]["candidates"]], ["NEGATIVE", "POSITIVE"])
        model = self.model()
        x = torch.tensor([[VOCAB.index(t) for t in ex["tokens"]]])
        with torch.no_grad():
            logits, _ = model.net(x, torch.ones_like(x))
        probs = torch.softmax(logits[0].double(), -1)
        for c, p in zip(ex["prediction"]["candidates"], probs):
            self.assertAlmostEqual(c["probability"], float(p), delta=1e-12)

    def test_candidates_that_are_not_one_token(self):
        out = os.path.join(self.tmp.name, "x.json")
        status, err = self.run_cli(["--model", "fake/roberta", "--sentence", "about [MASK] book",
                                    "--candidates", "his,hisher", "-o", out])
        self.assertEqual(status, 1)
        self.assertIn("candidate “hisher”: not a single token of this vocabulary "
                      "(it is split into his her)", err)
        status, err = self.run_cli(["--model", "fake/roberta", "--sentence", "about [MASK] book",
                                    "--candidates", "qq", "-o", out])
        self.assertEqual(status, 1)
        self.assertIn("candidate “qq”: not in the vocabulary", err)
        self.assertFalse(os.path.exists(out))

    def test_load_failure(self):
        status, err = self.run_cli(["--model", "missing/model", "--sentence", "a [MASK]",
                                    "-o", os.path.join(self.tmp.name, "x.json")])
        self.assertEqual(status, 1)
        self.assertIn("cannot load “missing/model”: missing/model is not a local folder", err)

    def test_embedding_point(self):
        fake = FakeModel(core.TASK_MASKED_LM)
        module, where = hf.embedding_point(fake)
        self.assertIs(module, fake.net.encoder.embeddings)
        self.assertEqual(where, "output")
        # no embeddings module: the input of the first transformer layer
        bare = nn.Module()
        bare.layers = fake.net.encoder.layers
        module, where = hf.embedding_point(bare)
        self.assertIs(module, fake.net.encoder.layers[0])
        self.assertEqual(where, "input")
        self.assertEqual(hf.embedding_point(nn.Module()), (None, "output"))


class WithoutTransformers(unittest.TestCase):
    def test_message(self):
        with mock.patch.dict(sys.modules, {"transformers": None}):
            with self.assertRaisesRegex(core.ExportError, "pip install transformers torch"):
                hf.load("bert-base-uncased", core.TASK_MASKED_LM)
