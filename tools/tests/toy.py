# toy.py: a tiny transformer and tokenizer for testing the exporter without transformers
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""A 2-layer, 2-head post-LN encoder with a masked-LM head and a classification head, written
from scratch (no Hugging Face), and a word-level tokenizer with BERT's special tokens."""

import math
import re

import torch
from torch import nn

from attnflow_export import core

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "author", "talked", "to", "sara",
         "about", "book", "his", "her", "he", "she", "doctor", "asked", "nurse", "a", "question",
         ".", ",", "movie", "was", "good", "bad", "not", "said"]
PAD, UNK, CLS, SEP, MASK = range(5)


class ToyTokenizer(core.Tokenizer):
    mask_token_id = MASK
    unk_token_id = UNK
    mask_token = "[MASK]"

    def __init__(self):
        self.index = {w: i for i, w in enumerate(VOCAB)}

    PATTERN = re.compile(r"\[MASK\]|\w+|[^\w\s]")

    def encode(self, text):
        words = self.PATTERN.findall(text)
        return [CLS] + [self.index.get(w if w == "[MASK]" else w.lower(), UNK) for w in words] + [SEP]

    def token_spans(self, text):
        return text, [None] + [m.span() for m in self.PATTERN.finditer(text)] + [None]

    def convert_ids_to_tokens(self, ids):
        return [VOCAB[i] for i in ids]

    def word_id(self, word):
        try:
            return self.index[word.lower()]
        except KeyError:
            raise ValueError("not in the vocabulary") from None

    def label(self, token_id):
        return VOCAB[token_id]


class NoMaskTokenizer(ToyTokenizer):
    """A vocabulary without a mask token: blank-out falls back to [UNK]."""
    mask_token_id = None
    mask_token = None


class ToyEmbeddings(nn.Module):
    def __init__(self, vocab, d, max_len):
        super().__init__()
        self.word = nn.Embedding(vocab, d)
        self.position = nn.Embedding(max_len, d)
        self.norm = nn.LayerNorm(d)

    def forward(self, ids):
        pos = torch.arange(ids.shape[1]).unsqueeze(0)
        return self.norm(self.word(ids) + self.position(pos))


class ToyLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)
        self.norm1 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.norm2 = nn.LayerNorm(d)

    def forward(self, h, mask):
        b, n, d = h.shape
        dh = d // self.heads

        def split(x):
            return x.view(b, n, self.heads, dh).transpose(1, 2)

        scores = split(self.q(h)) @ split(self.k(h)).transpose(-1, -2) / math.sqrt(dh)
        scores = scores + (1.0 - mask[:, None, None, :].to(scores.dtype)) * -1e4
        att = torch.softmax(scores, dim=-1)
        ctx = (att @ split(self.v(h))).transpose(1, 2).reshape(b, n, d)
        h = self.norm1(h + self.o(ctx))
        h = self.norm2(h + self.ff(h))
        return h, att


class ToyEncoder(nn.Module):
    def __init__(self, vocab=len(VOCAB), d=16, heads=2, layers=2, max_len=32):
        super().__init__()
        self.embeddings = ToyEmbeddings(vocab, d, max_len)
        self.layers = nn.ModuleList(ToyLayer(d, heads) for _ in range(layers))

    def from_embeddings(self, e, mask, on_layer=None):
        atts = []
        h = e
        for layer in self.layers:
            h, att = layer(h, mask)
            if on_layer is not None:
                on_layer(att)
            else:
                atts.append(att)
        return h, tuple(atts)

    def forward(self, ids, mask):
        return self.from_embeddings(self.embeddings(ids), mask)


class ToyMaskedLM(nn.Module):
    def __init__(self, vocab=len(VOCAB)):
        super().__init__()
        self.encoder = ToyEncoder(vocab=vocab)
        self.head = nn.Linear(16, vocab)

    def logits_from_embeddings(self, e, mask):
        h, atts = self.encoder.from_embeddings(e, mask)
        return self.head(h), atts

    def forward(self, ids, mask):
        return self.logits_from_embeddings(self.encoder.embeddings(ids), mask)


class ToyClassifier(nn.Module):
    LABELS = ["negative", "positive"]

    def __init__(self, vocab=len(VOCAB)):
        super().__init__()
        self.encoder = ToyEncoder(vocab=vocab)
        self.head = nn.Linear(16, 2)

    def logits_from_embeddings(self, e, mask):
        h, atts = self.encoder.from_embeddings(e, mask)
        return self.head(torch.tanh(h[:, 0])), atts

    def forward(self, ids, mask):
        return self.logits_from_embeddings(self.encoder.embeddings(ids), mask)


def make_network(task, seed=0, vocab=len(VOCAB)):
    """A toy network for ``task`` with random weights from ``seed``."""
    torch.manual_seed(seed)
    net = ToyMaskedLM(vocab) if task == core.TASK_MASKED_LM else ToyClassifier(vocab)
    # sharper attention than the default initialisation gives, so rows are far from uniform
    with torch.no_grad():
        for layer in net.encoder.layers:
            layer.q.weight.mul_(4.0)
            layer.k.weight.mul_(4.0)
    net.eval()
    return net


def make(task, seed=0):
    """``(network, core.Model)`` for ``task`` with random weights from ``seed``."""
    net = make_network(task, seed)
    labels = None if task == core.TASK_MASKED_LM else ToyClassifier.LABELS

    def forward_layers(ids, mask, on_layer):
        e = net.encoder.embeddings(ids)
        h, _ = net.encoder.from_embeddings(e, mask, on_layer)
        return net.head(h) if task == core.TASK_MASKED_LM else net.head(torch.tanh(h[:, 0]))

    return net, core.Model(forward=net, task=task, embeddings=net.encoder.embeddings,
                           labels=labels, forward_layers=forward_layers)
