# core.py: model-agnostic attention export (any PyTorch module that returns its attentions)
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Turn a PyTorch model's attentions, prediction and saliency into attention export v1.

Nothing here knows about Hugging Face. A model is described by :class:`Model`: a callable
``forward(input_ids, attention_mask) -> (output, attentions)`` plus the module whose output is
the embedding ``e`` (the input of the first transformer layer), for gradient saliency. A
tokenizer is any object with the methods of :class:`Tokenizer`.

Shapes: ``input_ids`` and ``attention_mask`` are ``[B, n]`` integer tensors; ``output`` is the
logits ``[B, n, V]`` of a masked or causal LM, ``[B, C]`` for sequence classification, and the
top-layer states ``[B, n, d]`` of an embedding model; ``attentions`` is a sequence of ``L``
tensors ``[B, H, n, n]`` (or one ``[L, B, H, n, n]`` tensor), row = query.
"""

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch

from .errors import ExportError, UsageError
from .fileio import (DTYPES, NpyLayerWriter, StreamedArray, dumps,  # noqa: F401
                     encode_base64, example_to_json, npy_bytes_header, write_export, write_npy)
from .i18n import _, ngettext
from .names import (HEAD_MIXES, TASK_CAUSAL_LM, TASK_CLASSIFICATION, TASK_EMBEDDING,  # noqa: F401
                    TASK_MASKED_LM, TASKS, TOKEN_TASKS, embedding_focus_missing,
                    split_occurrence)

REFERENCES = ("blankout", "gradient")


class Tokenizer:
    """What the exporter needs from a tokenizer (duck-typed; subclassing is optional).

    ``mask_token_id`` and ``unk_token_id`` may be ``None`` when the vocabulary has no such token.
    ``mask_token`` is the mask token's text (for messages). ``max_length``: the tokens kept of
    an input (``--max-length``), ``model_limit`` the most the model takes (``None``: unknown or
    none), so a message suggests a larger ``--max-length`` only where there is one.
    """

    mask_token_id: Optional[int] = None
    unk_token_id: Optional[int] = None
    mask_token: Optional[str] = None
    max_length: Optional[int] = None
    model_limit: Optional[int] = None

    def encode(self, text: str) -> List[int]:
        """The ids of ``text`` with the model's special tokens added."""
        raise NotImplementedError

    def convert_ids_to_tokens(self, ids: Sequence[int]) -> List[str]:
        """The tokens of ``ids`` as the tokenizer spells them (``##s``, ``Ġhis``)."""
        raise NotImplementedError

    def word_id(self, word: str) -> int:
        """The single vocabulary id of a candidate word; ``ValueError`` when there is none."""
        raise NotImplementedError

    def label(self, token_id: int) -> str:
        """A readable label for a vocabulary id (``his`` rather than ``Ġhis``)."""
        raise NotImplementedError

    def token_spans(self, text: str):
        """``(text_seen, spans)``: the text as the tokenizer saw it and, for each id of
        ``encode(text)``, its ``(start, end)`` characters in that text (``None`` or an empty
        span for special tokens). Needed to find words (``--antecedents``, a word ``--focus``)."""
        raise NotImplementedError


@dataclass
class Model:
    """A model as the exporter sees it.

    forward: ``(input_ids, attention_mask) -> (output, attentions)``.
    task: one of :data:`TASKS`.
    embeddings: the module whose output is ``e``, the input of the first transformer layer
      (for BERT, ``model.bert.embeddings``); with ``gradient_at="input"``, ``e`` is instead the
      first positional input of ``embeddings`` (for models without an embeddings module, pass
      the first transformer layer). Only needed for the ``gradient`` reference.
    labels: class names of a classifier, in class order (default ``LABEL_0``, ...).
    logits_only: optional ``(input_ids, attention_mask) -> output`` that skips the attentions
      (used for the batched blank-out runs); default ``forward(...)[0]``.
    forward_layers: optional ``(input_ids, attention_mask, on_layer) -> output`` that calls
      ``on_layer(probs)`` with each layer's attention ``[B, H, n, n]`` in order, as soon as the
      layer has computed it, and keeps none of them (for ``head_mix``, long inputs).
    """

    forward: Callable
    task: str
    embeddings: Optional[torch.nn.Module] = None
    labels: Optional[Sequence[str]] = None
    gradient_at: str = "output"
    logits_only: Optional[Callable] = None
    forward_layers: Optional[Callable] = None


@dataclass
class Example:
    """One exported example.

    ``attention`` is a C-ordered float32 array ``[L, H, n, n]``, or, when head-mixed while
    exporting, a :class:`fileio.StreamedArray` ``[L, n, n]`` already on disk. ``prediction`` is
    ``None`` for an embedding model. ``contributions`` maps a kind to a float32 ``[L, n, n]``.
    """

    id: str
    text: Optional[str]
    tokens: List[str]
    attention: object
    focus: int
    prediction: Optional[dict]
    references: dict = field(default_factory=dict)
    antecedents: List[int] = field(default_factory=list)
    contributions: Dict[str, np.ndarray] = field(default_factory=dict)
    contributions_target: Optional[str] = None
    ids: List[int] = field(default_factory=list, repr=False)


def parse_list(spec, known, unknown_message):
    """``"a,b"`` -> ``["a", "b"]`` (duplicates dropped); UsageError with ``unknown_message``
    (``%(name)s``, ``%(known)s``) on a name not in ``known``."""
    names = [s.strip() for s in (spec or "").split(",") if s.strip()]
    out = []
    for name in names:
        if name not in known:
            raise UsageError(unknown_message % {"name": name, "known": ", ".join(known)})
        if name not in out:
            out.append(name)
    return out


def parse_references(spec):
    """``"blankout,gradient"`` -> ``["blankout", "gradient"]``; UsageError on unknown names."""
    return parse_list(spec, REFERENCES, _("unknown reference “%(name)s” (known: %(known)s)"))


def _attention_array(attentions, example_id, n):
    """The model's attentions as one float32 array ``[L, H, n, n]`` (batch 1), copied layer by
    layer (no stacked tensor beside the model's own)."""
    missing = _("example %s: the model returned no attentions (is output_attentions enabled and "
                "attention eager?)") % example_id
    if attentions is None:
        raise ExportError(missing)
    layers = list(attentions)
    if not layers or any(a is None for a in layers):
        raise ExportError(missing)
    shapes = {tuple(a.shape) for a in layers}
    if len(shapes) != 1:
        raise ExportError(_("example %(example)s: the layers' attentions have different "
                            "shapes: %(shapes)s")
                          % {"example": example_id, "shapes": sorted(shapes)})
    shape = shapes.pop()
    if len(shape) != 4:
        raise ExportError(_("example %(example)s: expected attentions of shape "
                            "[L, batch, H, n, n], got %(shape)s")
                          % {"example": example_id, "shape": [len(layers)] + list(shape)})
    if shape[0] != 1 or shape[2] != n or shape[3] != n:
        raise ExportError(_("example %(example)s: attentions of shape %(shape)s do not match "
                            "batch 1 and %(n)d tokens")
                          % {"example": example_id, "shape": [len(layers)] + list(shape),
                             "n": n})
    out = np.empty((len(layers), shape[1], n, n), dtype=np.float32)
    for l, a in enumerate(layers):
        out[l] = a[0].detach().to(torch.float32).cpu().numpy()
    return out


def check_attention(attention, example_id):
    """ExportError unless every value is finite and >= 0 and every row sums to 1 (1e-3).

    Checked one leading slice (layer) at a time, so the temporaries stay small."""
    a = np.asarray(attention)
    for layer, block in enumerate(a if a.ndim > 2 else [a]):
        if not np.all(np.isfinite(block)) or np.any(block < 0):
            raise ExportError(_("example %(example)s: the attention of layer %(layer)d holds "
                                "negative or non-finite values")
                              % {"example": example_id, "layer": layer + 1})
        sums = np.sum(block, axis=-1, dtype=np.float64)
        worst = float(np.abs(sums - 1.0).max()) if sums.size else 0.0
        if worst > 1e-3:
            where = np.unravel_index(int(np.argmax(np.abs(sums - 1.0))), sums.shape)
            raise ExportError(_("example %(example)s: a row of layer %(layer)d's attention sums "
                                "to %(sum).6f (at %(where)s); is this softmax attention?")
                              % {"example": example_id, "layer": layer + 1,
                                 "sum": float(sums[where]), "where": list(map(int, where))})


def _target_output(task, output, focus):
    """What the prediction is read from: logits ``[B, V]`` or ``[B, C]``, or states ``[B, d]``."""
    if task in (TASK_MASKED_LM, TASK_CAUSAL_LM, TASK_EMBEDDING):
        if output.dim() != 3:
            raise ExportError(_("a %(task)s model must return an output of shape "
                                "[batch, n, size], got %(shape)s")
                              % {"task": task, "shape": list(output.shape)})
        return output[:, focus, :]
    if output.dim() != 2:
        raise ExportError(_("a classifier must return logits of shape [batch, classes], got %s")
                          % list(output.shape))
    return output


def find_word(tokenizer, text, ids, word, example_id):
    """The index of the first token of ``word`` in ``text`` (whole word, case-insensitive;
    ``word#2`` is its second occurrence)."""
    try:
        word, occurrence = split_occurrence(word)
    except ValueError as exc:
        raise ExportError(_("example %(example)s: %(reason)s")
                          % {"example": example_id, "reason": exc}) from None
    seen, spans = tokenizer.token_spans(text)
    spans = list(spans)[:len(ids)]
    pattern = re.compile(r"(?<!\w)%s(?!\w)" % re.escape(word), re.IGNORECASE)
    hits = list(pattern.finditer(seen))
    if not hits:
        raise ExportError(_("example %(example)s: the word “%(word)s” is not in the sentence")
                          % {"example": example_id, "word": word})
    if len(hits) < occurrence:
        raise ExportError(_("example %(example)s: the sentence has fewer than %(n)d "
                            "occurrences of the word “%(word)s”")
                          % {"example": example_id, "word": word, "n": occurrence})
    start, end = hits[occurrence - 1].span()
    for i, span in enumerate(spans):
        if span is None or span[1] <= span[0]:
            continue
        if span[0] < end and span[1] > start:
            return i
    raise ExportError(_("example %(example)s: the word “%(word)s” has no token (was the input "
                        "truncated?)") % {"example": example_id, "word": word})


def _resolve_focus(model, tokenizer, text, ids, focus, example_id):
    n = len(ids)
    if isinstance(focus, str):
        return find_word(tokenizer, text, ids, focus, example_id)
    if focus is not None:
        f = focus + n if focus < 0 else focus
        if not 0 <= f < n:
            raise ExportError(ngettext("example %(example)s: focus %(focus)d is outside the "
                                       "%(n)d token",
                                       "example %(example)s: focus %(focus)d is outside the "
                                       "%(n)d tokens", n)
                              % {"example": example_id, "focus": focus, "n": n})
        return f
    if model.task == TASK_MASKED_LM:
        mask_id = getattr(tokenizer, "mask_token_id", None)
        if mask_id is None:
            raise ExportError(_("example %s: the tokenizer has no mask token; pass --focus")
                              % example_id)
        for i, t in enumerate(ids):
            if t == mask_id:
                return i
        mask = getattr(tokenizer, "mask_token", None) or "[MASK]"
        limit = getattr(tokenizer, "max_length", None)
        # the text as the tokenizer saw it: "[MASK]" written for its own mask token
        seen = getattr(tokenizer, "text_seen", lambda t: t)(text)
        if limit and n >= limit and mask in seen:
            model_limit = getattr(tokenizer, "model_limit", None)
            if model_limit is not None and limit >= model_limit:
                raise ExportError(_("example %(example)s: the %(mask)s lies beyond the first "
                                    "%(n)d tokens, the most this model takes; shorten the "
                                    "sentence") % {"example": example_id, "mask": mask, "n": limit})
            raise ExportError(_("example %(example)s: the %(mask)s lies beyond the first %(n)d "
                                "tokens, which are all that is kept (--max-length); shorten the "
                                "sentence or raise --max-length")
                              % {"example": example_id, "mask": mask, "n": limit})
        raise ExportError(_("example %(example)s: the sentence has no mask token %(mask)s; "
                            "add one or pass --focus") % {"example": example_id, "mask": mask})
    if model.task == TASK_CAUSAL_LM:
        return n - 1
    if model.task == TASK_EMBEDDING:
        raise ExportError(embedding_focus_missing(example_id))
    return 0


class _EmbeddingCapture:
    """Replaces ``e`` by a leaf tensor that requires grad, so ∂ target / ∂ e can be taken.

    A forward hook (or pre-hook, for ``gradient_at="input"``) swaps the embedding output for a
    detached copy with ``requires_grad``; the rest of the model runs on that copy, so the
    gradient is exactly the one with respect to the input of the first transformer layer, and
    it exists even when the model's parameters are frozen.
    """

    def __init__(self, module, where):
        self.tensor = None
        self.calls = 0
        if where == "output":
            self.handle = module.register_forward_hook(self._output_hook)
        elif where == "input":
            try:
                self.handle = module.register_forward_pre_hook(self._input_hook_kwargs,
                                                               with_kwargs=True)
            except TypeError:  # torch < 2.0: positional inputs only
                self.handle = module.register_forward_pre_hook(self._input_hook)
        else:
            raise ValueError("gradient_at must be 'output' or 'input'")

    def _swap(self, value):
        self.calls += 1
        e = value.detach().requires_grad_(True)
        self.tensor = e
        return e

    def _output_hook(self, module, inputs, output):
        if isinstance(output, torch.Tensor):
            return self._swap(output)
        if isinstance(output, tuple) and output and isinstance(output[0], torch.Tensor):
            return (self._swap(output[0]),) + tuple(output[1:])
        raise ExportError(_("the embedding module's output is not a tensor"))

    def _input_hook(self, module, inputs):
        if inputs and isinstance(inputs[0], torch.Tensor):
            return (self._swap(inputs[0]),) + tuple(inputs[1:])
        raise ExportError(_("the first transformer layer's input is not a tensor"))

    def _input_hook_kwargs(self, module, args, kwargs):
        if args and isinstance(args[0], torch.Tensor):
            return (self._swap(args[0]),) + tuple(args[1:]), kwargs
        if isinstance(kwargs.get("hidden_states"), torch.Tensor):
            kwargs = dict(kwargs)
            kwargs["hidden_states"] = self._swap(kwargs["hidden_states"])
            return args, kwargs
        raise ExportError(_("the first transformer layer's input is not a tensor"))

    def remove(self):
        self.handle.remove()


def _probabilities(task_logits):
    return torch.softmax(task_logits.detach().double(), dim=-1)


def _token_prediction(probs, tokenizer, candidates, top_k, example_id):
    """``probs``: the float64 distribution at the focus. Named candidates first, then the top k."""
    entries = []
    seen = {}   # token id: the candidate word that named it
    for word in candidates:
        try:
            token_id = tokenizer.word_id(word)
        except ValueError as exc:
            raise ExportError(_("example %(example)s: candidate “%(word)s”: %(reason)s")
                              % {"example": example_id, "word": word, "reason": exc}) from None
        if token_id in seen:
            raise ExportError(_("example %(example)s: the candidates “%(first)s” and “%(word)s” "
                                "are one token, “%(token)s”")
                              % {"example": example_id, "first": seen[token_id], "word": word,
                                 "token": tokenizer.label(token_id)})
        seen[token_id] = word
        # the token's own label (“his” for “His” in an uncased vocabulary), as the top k's
        entries.append({"label": tokenizer.label(token_id), "probability": float(probs[token_id])})
    if top_k > 0:
        k = min(top_k, probs.shape[0])
        top = torch.topk(probs, k)
        for token_id in top.indices.tolist():
            if token_id in seen:
                continue
            seen[token_id] = None
            entries.append({"label": tokenizer.label(token_id),
                            "probability": float(probs[token_id])})
    predicted = int(torch.argmax(probs))
    return predicted, {"label": tokenizer.label(predicted), "candidates": entries}


def _classification_prediction(probs, labels):
    n_classes = probs.shape[0]
    if labels is None:
        labels = ["LABEL_%d" % i for i in range(n_classes)]
    if len(labels) != n_classes:
        raise ExportError(_("the classifier has %(classes)d classes but %(labels)d label names")
                          % {"classes": n_classes, "labels": len(labels)})
    entries = [{"label": str(labels[i]), "probability": float(probs[i])} for i in range(n_classes)]
    predicted = int(torch.argmax(probs))
    return predicted, {"label": str(labels[predicted]), "candidates": entries}


# blank-out batches are also capped by the size of their outputs: a masked-LM returns
# n x vocabulary logits per input (BERT-base at n = 512: 62 MB each)
MAX_BATCH_LOGITS_BYTES = 256 << 20


def blank_token_id(tokenizer, task):
    """The token a blanked position gets: ``[UNK]`` for an embedding model (README, "Export
    your model's attention"), else the mask token, else the unknown token."""
    order = ("unk_token_id", "mask_token_id") if task == TASK_EMBEDDING else \
        ("mask_token_id", "unk_token_id")
    for name in order:
        token_id = getattr(tokenizer, name, None)
        if token_id is not None:
            return int(token_id)
    raise ExportError(_("blank-out needs a mask or unknown token, and the tokenizer has neither"))


def _cosine_distance(h, rows):
    """``1 - cos(h, row)`` in float64 for each row of ``rows`` ``[B, d]``."""
    h = h.double()
    rows = rows.double()
    cos = (rows @ h) / (torch.linalg.norm(rows, dim=-1) * torch.linalg.norm(h))
    return [1.0 - float(c) for c in cos]


def _no_progress(text):
    pass


def blankout(model, tokenizer, ids, focus, predicted, batch_size=32,
             max_batch_bytes=MAX_BATCH_LOGITS_BYTES, progress=_no_progress):
    """Per position, how much the target changes when that token is blanked.

    Token ``i`` in turn is replaced by :func:`blank_token_id`. For a prediction (masked LM,
    causal LM, classifier) the value is ``p(predicted | input) - p(predicted | input with i
    blanked)``; for an embedding model (``predicted`` is ignored) it is ``1 - cos(h, h_i)``,
    where ``h`` is the focus token's top-layer state and ``h_i`` the same with ``i`` blanked.
    Every position counts, the special tokens and the focus included; float64 from the model's
    outputs. The n blanked inputs run in batches of ``batch_size``, fewer when one batch's
    float32 outputs would exceed ``max_batch_bytes``. ``progress(text)`` is told the inputs
    run so far (``blank-out 64/378``) before each batch.
    """
    blank_id = blank_token_id(tokenizer, model.task)
    logits_of = model.logits_only or (lambda i, m: model.forward(i, m)[0])
    base = torch.tensor([ids], dtype=torch.long)
    n = len(ids)
    embedding = model.task == TASK_EMBEDDING
    with torch.no_grad():
        out = logits_of(base, torch.ones_like(base))
        target = _target_output(model.task, out, focus)
        if embedding:
            h0 = target[0].clone()
        else:
            p0 = float(_probabilities(target)[0, predicted])
        batch = max(1, min(batch_size, max_batch_bytes // max(1, 4 * out[0].numel())))
        del out, target
        values = []
        for start in range(0, n, batch):
            progress(_("blank-out %(done)d/%(total)d") % {"done": start, "total": n})
            stop = min(n, start + batch)
            rows = base.repeat(stop - start, 1)
            for r, i in enumerate(range(start, stop)):
                rows[r, i] = blank_id
            target = _target_output(model.task, logits_of(rows, torch.ones_like(rows)), focus)
            if embedding:
                values.extend(_cosine_distance(h0, target))
            else:
                p = _probabilities(target)
                values.extend(p0 - float(v) for v in p[:, predicted])
    # blanking a token that already is the blank leaves the input as it was: its effect is 0,
    # not the float32 rounding that the batched run of the same input may add
    return [0.0 if t == blank_id else v for t, v in zip(ids, values)]


# the embedding gradient's backward passes keep every layer's attention of each copy of the input
# (and about three times as much beside it): no more than this much attention (float32) per
# batch. At 282 tokens a copy of MiniLM's holds 23 MB (a batch of 32 copies took the export to
# 3.6 GB), one of BERT-base's at 512 tokens 151 MB.
MAX_BATCH_ATTENTION_BYTES = 256 << 20


def embedding_jacobian_norms(model, ids, focus, batch_size=32, progress=_no_progress,
                             attention_bytes=0):
    """Per position ``j``, the Frobenius norm of ∂h / ∂e_j, where ``h`` is the focus token's
    top-layer state (``[d]``) and ``e_j`` token ``j``'s embedding (the input of the first
    transformer layer), in float64.

    Row ``r`` of the Jacobian is the gradient of ``h[r]``; the rows are taken in batches: the
    input runs as ``B`` copies, copy ``b`` back-propagates ``h[r_b]`` alone, so one backward
    pass gives ``B`` rows exactly, ``B`` at most ``batch_size`` and no more copies than
    :data:`MAX_BATCH_ATTENTION_BYTES` holds of ``attention_bytes`` (one copy's attention, all
    layers and heads). ``progress(text)`` is told the rows taken so far (``gradient 64/384``)
    before each batch.
    """
    if model.embeddings is None:
        raise ExportError(_("the gradient reference needs the model's embedding module"))
    base = torch.tensor([ids], dtype=torch.long)
    squares = None
    d = None
    r = 0
    chunk = max(1, min(batch_size, MAX_BATCH_ATTENTION_BYTES // max(1, attention_bytes)))
    while d is None or r < d:
        progress(_("gradient") if d is None else
                 _("gradient %(done)d/%(total)d") % {"done": r, "total": d})
        rows = base.repeat(chunk if d is None else min(chunk, d - r), 1)
        capture = _EmbeddingCapture(model.embeddings, model.gradient_at)
        try:
            with torch.enable_grad():
                out = (model.logits_only or (lambda i, m: model.forward(i, m)[0]))(
                    rows, torch.ones_like(rows))
                h = _target_output(model.task, out, focus)  # [B, d]
                if d is None:
                    d = h.shape[1]
                    if rows.shape[0] > d:
                        h = h[:d]
                b = h.shape[0]
                picked = h[torch.arange(b), torch.arange(r, r + b)]
                (grad,) = torch.autograd.grad(picked.sum(), capture.tensor)
        finally:
            capture.remove()
        if capture.calls != 1:
            raise ExportError(_("the embedding module ran %d times in one forward pass; "
                                "expected once") % capture.calls)
        g = grad[:b].detach().double()  # [b, n, hidden]
        part = (g * g).sum(dim=(0, 2))
        squares = part if squares is None else squares + part
        r += b
    return [math.sqrt(float(v)) for v in squares]


def mix_heads(probs, head_mix):
    """``[B, H, n, n]`` -> ``[B, n, n]`` (mean over heads, in float32)."""
    if head_mix != "mean":
        raise ExportError(_("unknown head mixing “%s”") % head_mix)
    return probs.detach().float().mean(dim=1)


def export_example(model, tokenizer, text, *, example_id, ids=None, candidates=(), top_k=5,
                   references=(), focus=None, batch_size=32, antecedents=(), head_mix=None,
                   stream_folder=None, stream_dtype="float16", progress=None):
    """Run the model on one sentence and return an :class:`Example`.

    ``ids`` (optional) are the input ids when the caller tokenized already; otherwise
    ``tokenizer.encode(text)``. ``references`` is a subset of :data:`REFERENCES`. ``focus``:
    a token index (negative counts from the end), a word of ``text`` (``"his"``, ``"it#2"``)
    or ``None`` for the task's default. ``antecedents``: words of ``text``, stored as the
    indices of their first tokens, in the order given.

    With ``head_mix="mean"``, the attention is mixed over heads layer by layer as the model
    computes it (``model.forward_layers``) and written to a temporary ``.npy`` ``[L, n, n]`` of
    ``stream_dtype`` in ``stream_folder``; no more than one layer's heads are held at once.

    ``progress`` (optional): called with a short text naming each step as it starts
    (``attention``, ``gradient``, ``blank-out 64/378``), for a progress line.
    """
    progress = progress or _no_progress
    if model.task not in TASKS:
        raise ExportError(_("unknown task “%(task)s” (known: %(known)s)")
                          % {"task": model.task, "known": ", ".join(TASKS)})
    for name in references:
        if name not in REFERENCES:
            raise ExportError(_("unknown reference “%(name)s” (known: %(known)s)")
                              % {"name": name, "known": ", ".join(REFERENCES)})
    if candidates and model.task not in TOKEN_TASKS:
        raise ExportError(_("candidates are for a masked or causal language model"))
    if ids is None:
        ids = list(tokenizer.encode(text))
    ids = [int(i) for i in ids]
    if not ids:
        raise ExportError(_("example %s: the sentence has no tokens") % example_id)
    tokens = [str(t) for t in tokenizer.convert_ids_to_tokens(ids)]
    f = _resolve_focus(model, tokenizer, text, ids, focus, example_id)
    antecedent_ids = []
    for word in antecedents:
        i = find_word(tokenizer, text, ids, word, example_id)
        if i == f:
            # attention export v1: the candidates are tokens other than the focus
            raise ExportError(_("example %(example)s: the antecedent “%(word)s” is the focus "
                                "token itself (token %(index)d); the candidates are other "
                                "tokens") % {"example": example_id, "word": word, "index": i})
        if i in antecedent_ids:
            raise ExportError(_("example %(example)s: the antecedent “%(word)s” is the same token "
                                "as another one") % {"example": example_id, "word": word})
        antecedent_ids.append(i)

    n = len(ids)
    input_ids = torch.tensor([ids], dtype=torch.long)
    mask = torch.ones_like(input_ids)
    scalar_gradient = "gradient" in references and model.task != TASK_EMBEDDING
    capture = None
    if scalar_gradient:
        if model.embeddings is None:
            raise ExportError(_("the gradient reference needs the model's embedding module"))
        capture = _EmbeddingCapture(model.embeddings, model.gradient_at)
    # with head_mix: the float32 bytes of each layer's heads (the gradient's batches need them)
    layer_bytes = []
    writer = None
    progress(_("attention"))
    try:
        if head_mix is not None:
            if model.forward_layers is None:
                raise ExportError(_("this model cannot give its attention layer by layer "
                                    "(needed for --head-mix)"))
            writer = NpyLayerWriter(stream_folder, (n, n), stream_dtype)

            def on_layer(probs):
                if probs is None or probs.dim() != 4 or probs.shape[0] != 1 or \
                        tuple(probs.shape[2:]) != (n, n):
                    raise ExportError(_("example %(example)s: a layer's attention has shape "
                                        "%(shape)s, not [1, H, %(n)d, %(n)d]")
                                      % {"example": example_id, "n": n,
                                         "shape": None if probs is None else list(probs.shape)})
                layer_bytes.append(4 * probs[0].numel())
                mixed = mix_heads(probs, head_mix)[0].cpu().numpy()
                check_attention(mixed, example_id)
                writer.append(mixed)

            with torch.set_grad_enabled(scalar_gradient):
                output = model.forward_layers(input_ids, mask, on_layer)
                task_output = _target_output(model.task, output, f)
            attentions = None
        else:
            with torch.set_grad_enabled(scalar_gradient):
                output, attentions = model.forward(input_ids, mask)
                task_output = _target_output(model.task, output, f)
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        if capture is not None:
            capture.remove()

    if writer is not None:
        if writer.count == 0:
            writer.abort()
            raise ExportError(_("example %s: the model gave no attention layers") % example_id)
        attention = writer.finish()
    else:
        attention = _attention_array(attentions, example_id, n)
        check_attention(attention, example_id)

    try:
        if model.task in TOKEN_TASKS:
            predicted, prediction = _token_prediction(_probabilities(task_output)[0], tokenizer,
                                                      candidates, top_k, example_id)
        elif model.task == TASK_CLASSIFICATION:
            predicted, prediction = _classification_prediction(_probabilities(task_output)[0],
                                                               model.labels)
        else:
            predicted, prediction = None, None

        computed = {}
        if scalar_gradient:
            if capture.calls != 1 or capture.tensor is None:
                raise ExportError(_("the embedding module ran %d times in one forward pass; "
                                    "expected once") % capture.calls)
            progress(_("gradient"))
            with torch.enable_grad():
                (grad,) = torch.autograd.grad(task_output[0, predicted], capture.tensor)
            g = grad.detach().double()
            if g.dim() != 3 or g.shape[0] != 1 or g.shape[1] != n:
                raise ExportError(_("the embedding output has shape %(shape)s; "
                                    "expected [1, %(n)d, hidden]")
                                  % {"shape": list(g.shape), "n": n})
            computed["gradient"] = [float(v) for v in g[0].abs().sum(dim=-1)]
        # free the forward pass (and its autograd graph) before the other runs
        del output, attentions, task_output, capture
        if "gradient" in references and model.task == TASK_EMBEDDING:
            computed["gradient"] = embedding_jacobian_norms(
                model, ids, f, batch_size, progress=progress,
                attention_bytes=sum(layer_bytes) if writer is not None else 4 * attention.size)
        if "blankout" in references:
            computed["blankout"] = blankout(model, tokenizer, ids, f, predicted, batch_size,
                                            progress=progress)
        refs = {name: computed[name] for name in references}
        for name, values in refs.items():
            if not all(math.isfinite(v) for v in values):
                raise ExportError(_("example %(example)s: the %(name)s reference has non-finite "
                                    "values") % {"example": example_id, "name": name})
    except BaseException:
        if isinstance(attention, StreamedArray):
            attention.discard()
        raise

    return Example(id=example_id, text=text, tokens=tokens, attention=attention, focus=f,
                   prediction=prediction, references=refs, antecedents=antecedent_ids, ids=ids)
