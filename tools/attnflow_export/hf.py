# hf.py: thin Hugging Face transformers glue for the exporter
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Load a Hugging Face model and tokenizer as a :class:`core.Model` and a :class:`core.Tokenizer`.

``transformers`` is imported only when a model is loaded, so the rest of the exporter (and its
tests) work without it.
"""

import sys

import torch

from .core import TASK_CLASSIFICATION, TASK_MASKED_LM, ExportError, Model, Tokenizer
from .i18n import _


def _require_transformers():
    try:
        import transformers  # noqa: F401 (imported for its side effect of being available)
    except ImportError as exc:
        raise ExportError(_("this needs the Hugging Face “transformers” library, which is not "
                            "installed for %(python)s (%(reason)s).\nInstall it with:  pip install "
                            "transformers torch")
                          % {"python": sys.executable, "reason": exc}) from None
    return transformers


class HFTokenizer(Tokenizer):
    """A ``transformers`` tokenizer seen through :class:`core.Tokenizer`.

    ``[MASK]`` in a sentence is replaced by the tokenizer's own mask token (``<mask>`` for
    RoBERTa), so the same sentences work with every masked-LM.
    """

    def __init__(self, tokenizer, max_length):
        self.tok = tokenizer
        self.max_length = max_length
        self.mask_token_id = tokenizer.mask_token_id
        self.unk_token_id = tokenizer.unk_token_id
        self.mask_token = tokenizer.mask_token

    def encode(self, text):
        if self.mask_token and self.mask_token != "[MASK]":
            text = text.replace("[MASK]", self.mask_token)
        ids = self.tok(text, add_special_tokens=True)["input_ids"]
        if self.max_length and len(ids) > self.max_length:
            print(_("attnflow-export: warning: “%(text)s” has %(n)d tokens; "
                    "keeping the first %(max)d")
                  % {"text": text[:40], "n": len(ids), "max": self.max_length}, file=sys.stderr)
            ids = self.tok(text, add_special_tokens=True, truncation=True,
                           max_length=self.max_length)["input_ids"]
        return list(ids)

    def convert_ids_to_tokens(self, ids):
        return list(self.tok.convert_ids_to_tokens(list(ids)))

    def word_id(self, word):
        # " his" first: byte-level BPE vocabularies (RoBERTa, GPT-2) spell a word after a space
        # differently ("Ġhis"), and that is the form a mask in the middle of a sentence predicts.
        pieces = None
        for spelling in (" " + word, word):
            pieces = self.tok(spelling, add_special_tokens=False)["input_ids"]
            if len(pieces) == 1 and pieces[0] != self.unk_token_id:
                return int(pieces[0])
        exact = self.tok.convert_tokens_to_ids(word)
        if exact is not None and exact != self.unk_token_id:
            return int(exact)
        if len(pieces) == 1:
            raise ValueError(_("not in the vocabulary (it becomes the unknown token)"))
        raise ValueError(_("not a single token of this vocabulary (it is split into %s); "
                           "name a single token")
                         % " ".join(self.tok.convert_ids_to_tokens(pieces)))

    def label(self, token_id):
        text = self.tok.decode([int(token_id)]).strip()
        return text or self.tok.convert_ids_to_tokens([int(token_id)])[0]


def _module_at(root, path):
    m = root
    for part in path.split("."):
        m = getattr(m, part, None)
        if m is None:
            return None
    return m


def embedding_point(model):
    """The module whose output (or input) is ``e``, the input of the first transformer layer.

    Returns ``(module, "output")`` for models with an embeddings module (BERT, RoBERTa,
    DistilBERT, ELECTRA, ...), else ``(first transformer layer, "input")``.
    """
    base = getattr(model, "base_model", model)
    emb = getattr(base, "embeddings", None)
    if isinstance(emb, torch.nn.Module):
        return emb, "output"
    for path in ("encoder.layer", "transformer.layer", "encoder.layers", "layers", "h",
                 "transformer.h"):
        layers = _module_at(base, path)
        if isinstance(layers, torch.nn.ModuleList) and len(layers) > 0:
            return layers[0], "input"
    return None, "output"


def load(model_name, task, revision=None, device="cpu", max_length=None):
    """Load ``model_name`` for ``task``; returns ``(core.Model, HFTokenizer)``."""
    transformers = _require_transformers()
    if task == TASK_MASKED_LM:
        auto = transformers.AutoModelForMaskedLM
    elif task == TASK_CLASSIFICATION:
        auto = transformers.AutoModelForSequenceClassification
    else:
        raise ExportError(_("unknown task “%s”") % task)
    try:
        tok = transformers.AutoTokenizer.from_pretrained(model_name, revision=revision)
        # eager attention: the fused kernels (sdpa, flash) do not return attention weights
        net = auto.from_pretrained(model_name, revision=revision, attn_implementation="eager",
                                   output_attentions=True)
    except (OSError, ValueError) as exc:
        raise ExportError(_("cannot load “%(model)s”: %(reason)s")
                          % {"model": model_name, "reason": exc}) from None
    net.eval()
    net.to(device)

    limit = getattr(net.config, "max_position_embeddings", None)
    if max_length is None:
        max_length = limit
        tok_max = getattr(tok, "model_max_length", None)
        if tok_max and (max_length is None or tok_max < max_length):
            max_length = tok_max

    def forward(input_ids, attention_mask):
        out = net(input_ids=input_ids.to(device), attention_mask=attention_mask.to(device),
                  output_attentions=True, return_dict=True)
        return out.logits, out.attentions

    def logits_only(input_ids, attention_mask):
        out = net(input_ids=input_ids.to(device), attention_mask=attention_mask.to(device),
                  output_attentions=False, return_dict=True)
        return out.logits

    labels = None
    if task == TASK_CLASSIFICATION:
        id2label = getattr(net.config, "id2label", None) or {}
        labels = [str(id2label.get(i, "LABEL_%d" % i)) for i in range(net.config.num_labels)]
    module, where = embedding_point(net)
    model = Model(forward=forward, task=task, embeddings=module, labels=labels,
                  gradient_at=where, logits_only=logits_only)
    return model, HFTokenizer(tok, max_length)
