# core.py: model-agnostic attention export (any PyTorch module that returns its attentions)
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Turn a PyTorch model's attentions, prediction and saliency into attention export v1.

Nothing here knows about Hugging Face. A model is described by :class:`Model`: a callable
``forward(input_ids, attention_mask) -> (logits, attentions)`` plus the module whose output is
the embedding ``e`` (the input of the first transformer layer), for gradient saliency. A
tokenizer is any object with the methods of :class:`Tokenizer`.

Shapes: ``input_ids`` and ``attention_mask`` are ``[B, n]`` integer tensors; ``logits`` is
``[B, n, V]`` for a masked-LM and ``[B, C]`` for sequence classification; ``attentions`` is a
sequence of ``L`` tensors ``[B, H, n, n]`` (or one ``[L, B, H, n, n]`` tensor), row = query.
"""

import base64
import json
import math
import os
import re
import struct
import tempfile
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence

import numpy as np
import torch

from . import FORMAT, VERSION
from .i18n import _

TASK_MASKED_LM = "masked-lm"
TASK_CLASSIFICATION = "sequence-classification"
TASKS = (TASK_MASKED_LM, TASK_CLASSIFICATION)
REFERENCES = ("blankout", "gradient")


class ExportError(Exception):
    """A problem with the user's input or the model's output, with a message for the user."""


class Tokenizer:
    """What the exporter needs from a tokenizer (duck-typed; subclassing is optional).

    ``mask_token_id`` and ``unk_token_id`` may be ``None`` when the vocabulary has no such token.
    ``mask_token`` is the mask token's text (for messages).
    """

    mask_token_id: Optional[int] = None
    unk_token_id: Optional[int] = None
    mask_token: Optional[str] = None

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


@dataclass
class Model:
    """A model as the exporter sees it.

    forward: ``(input_ids, attention_mask) -> (logits, attentions)``.
    task: :data:`TASK_MASKED_LM` or :data:`TASK_CLASSIFICATION`.
    embeddings: the module whose output is ``e``, the input of the first transformer layer
      (for BERT, ``model.bert.embeddings``); with ``gradient_at="input"``, ``e`` is instead the
      first positional input of ``embeddings`` (for models without an embeddings module, pass
      the first transformer layer). Only needed for the ``gradient`` reference.
    labels: class names of a classifier, in class order (default ``LABEL_0``, ...).
    logits_only: optional ``(input_ids, attention_mask) -> logits`` that skips the attentions
      (used for the batched blank-out runs); default ``forward(...)[0]``.
    """

    forward: Callable
    task: str
    embeddings: Optional[torch.nn.Module] = None
    labels: Optional[Sequence[str]] = None
    gradient_at: str = "output"
    logits_only: Optional[Callable] = None


@dataclass
class Example:
    """One exported example; ``attention`` is a C-ordered float32 array ``[L, H, n, n]``."""

    id: str
    text: Optional[str]
    tokens: List[str]
    attention: np.ndarray
    focus: int
    prediction: dict
    references: dict = field(default_factory=dict)


def parse_references(spec):
    """``"blankout,gradient"`` -> ``["blankout", "gradient"]``; ExportError on unknown names."""
    names = [s.strip() for s in (spec or "").split(",") if s.strip()]
    for name in names:
        if name not in REFERENCES:
            raise ExportError(_("unknown reference “%(name)s” (known: %(known)s)")
                              % {"name": name, "known": ", ".join(REFERENCES)})
    out = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


def _stack_attentions(attentions, example_id):
    if attentions is None:
        raise ExportError(_("example %s: the model returned no attentions "
                            "(is output_attentions enabled and attention eager?)") % example_id)
    if isinstance(attentions, torch.Tensor):
        stacked = attentions
    else:
        layers = list(attentions)
        if not layers or any(a is None for a in layers):
            raise ExportError(_("example %s: the model returned no attentions "
                                "(is output_attentions enabled and attention eager?)") % example_id)
        shapes = {tuple(a.shape) for a in layers}
        if len(shapes) != 1:
            raise ExportError(_("example %(example)s: the layers' attentions have different "
                                "shapes: %(shapes)s")
                              % {"example": example_id, "shapes": sorted(shapes)})
        stacked = torch.stack([a.detach() for a in layers])
    if stacked.dim() != 5:
        raise ExportError(_("example %(example)s: expected attentions of shape "
                            "[L, batch, H, n, n], got %(shape)s")
                          % {"example": example_id, "shape": list(stacked.shape)})
    return stacked.detach()


def _target_logits(task, logits, focus):
    """The logits the prediction is read from: ``[B, V]`` at ``focus`` or ``[B, C]``."""
    if task == TASK_MASKED_LM:
        if logits.dim() != 3:
            raise ExportError(_("a masked-LM must return logits of shape "
                                "[batch, n, vocabulary], got %s")
                              % list(logits.shape))
        return logits[:, focus, :]
    if logits.dim() != 2:
        raise ExportError(_("a classifier must return logits of shape [batch, classes], got %s")
                          % list(logits.shape))
    return logits


def _resolve_focus(model, tokenizer, ids, focus, example_id):
    n = len(ids)
    if focus is not None:
        f = focus + n if focus < 0 else focus
        if not 0 <= f < n:
            raise ExportError(_("example %(example)s: focus %(focus)d is outside the %(n)d tokens")
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
        raise ExportError(_("example %(example)s: the sentence has no mask token %(mask)s; "
                            "add one or pass --focus")
                          % {"example": example_id,
                             "mask": getattr(tokenizer, "mask_token", None) or "[MASK]"})
    return 0


class _EmbeddingCapture:
    """Replaces ``e`` by a leaf tensor that requires grad, so ∂ logit / ∂ e can be taken.

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

    def remove(self):
        self.handle.remove()


def _probabilities(task_logits):
    return torch.softmax(task_logits.detach().double(), dim=-1)


def _masked_lm_prediction(probs, tokenizer, candidates, top_k, example_id):
    """``probs``: the float64 distribution at the focus. Named candidates first, then the top k."""
    entries = []
    seen = set()
    for word in candidates:
        try:
            token_id = tokenizer.word_id(word)
        except ValueError as exc:
            raise ExportError(_("example %(example)s: candidate “%(word)s”: %(reason)s")
                              % {"example": example_id, "word": word, "reason": exc}) from None
        if token_id in seen:
            continue
        seen.add(token_id)
        entries.append({"label": word, "probability": float(probs[token_id])})
    if top_k > 0:
        k = min(top_k, probs.shape[0])
        top = torch.topk(probs, k)
        for token_id in top.indices.tolist():
            if token_id in seen:
                continue
            seen.add(token_id)
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


# blank-out batches are also capped by the size of their logits: a masked-LM returns
# n x vocabulary logits per input (BERT-base at n = 512: 62 MB each)
MAX_BATCH_LOGITS_BYTES = 256 << 20


def blankout(model, tokenizer, ids, focus, predicted, batch_size=32,
             max_batch_bytes=MAX_BATCH_LOGITS_BYTES):
    """Drop of the predicted class's probability when each token in turn is replaced.

    Token ``i`` is replaced by the mask token (by the unknown token when the vocabulary has no
    mask token); the result is ``p(predicted | input) - p(predicted | input with i blanked)``
    for every position, the special tokens and the focus included, computed in float64 from
    the model's logits. The n blanked inputs run in batches of ``batch_size``, fewer when
    one batch's float32 logits would exceed ``max_batch_bytes``.
    """
    blank_id = getattr(tokenizer, "mask_token_id", None)
    if blank_id is None:
        blank_id = getattr(tokenizer, "unk_token_id", None)
    if blank_id is None:
        raise ExportError(_("blank-out needs a mask or unknown token, and the tokenizer "
                            "has neither"))
    logits_of = model.logits_only or (lambda i, m: model.forward(i, m)[0])
    base = torch.tensor([ids], dtype=torch.long)
    n = len(ids)
    with torch.no_grad():
        logits = logits_of(base, torch.ones_like(base))
        p0 = float(_probabilities(_target_logits(model.task, logits, focus))[0, predicted])
        batch = max(1, min(batch_size, max_batch_bytes // max(1, 4 * logits[0].numel())))
        del logits
        drops = []
        for start in range(0, n, batch):
            stop = min(n, start + batch)
            rows = base.repeat(stop - start, 1)
            for r, i in enumerate(range(start, stop)):
                rows[r, i] = blank_id
            logits = logits_of(rows, torch.ones_like(rows))
            p = _probabilities(_target_logits(model.task, logits, focus))
            drops.extend(p0 - float(v) for v in p[:, predicted])
    return drops


def export_example(model, tokenizer, text, *, example_id, ids=None, candidates=(), top_k=5,
                   references=(), focus=None, batch_size=32):
    """Run the model on one sentence and return an :class:`Example`.

    ``ids`` (optional) are the input ids when the caller tokenized already; otherwise
    ``tokenizer.encode(text)``. ``references`` is a subset of :data:`REFERENCES`.
    """
    if model.task not in TASKS:
        raise ExportError(_("unknown task “%(task)s” (known: %(known)s)")
                          % {"task": model.task, "known": ", ".join(TASKS)})
    for name in references:
        if name not in REFERENCES:
            raise ExportError(_("unknown reference “%(name)s” (known: %(known)s)")
                              % {"name": name, "known": ", ".join(REFERENCES)})
    if ids is None:
        ids = list(tokenizer.encode(text))
    ids = [int(i) for i in ids]
    if not ids:
        raise ExportError(_("example %s: the sentence has no tokens") % example_id)
    tokens = [str(t) for t in tokenizer.convert_ids_to_tokens(ids)]
    f = _resolve_focus(model, tokenizer, ids, focus, example_id)

    input_ids = torch.tensor([ids], dtype=torch.long)
    mask = torch.ones_like(input_ids)
    want_gradient = "gradient" in references
    capture = None
    if want_gradient:
        if model.embeddings is None:
            raise ExportError(_("the gradient reference needs the model's embedding module"))
        capture = _EmbeddingCapture(model.embeddings, model.gradient_at)
    try:
        with torch.set_grad_enabled(want_gradient):
            logits, attentions = model.forward(input_ids, mask)
            task_logits = _target_logits(model.task, logits, f)
    finally:
        if capture is not None:
            capture.remove()

    stacked = _stack_attentions(attentions, example_id)
    n = len(ids)
    if stacked.shape[1] != 1 or stacked.shape[3] != n or stacked.shape[4] != n:
        raise ExportError(_("example %(example)s: attentions of shape %(shape)s do not match "
                            "batch 1 and %(n)d tokens")
                          % {"example": example_id, "shape": list(stacked.shape), "n": n})
    attention = np.ascontiguousarray(stacked[:, 0].to(torch.float32).cpu().numpy())
    if not np.all(np.isfinite(attention)) or np.any(attention < 0):
        raise ExportError(_("example %s: the attentions hold negative or non-finite values")
                          % example_id)

    probs = _probabilities(task_logits)[0]
    if model.task == TASK_MASKED_LM:
        predicted, prediction = _masked_lm_prediction(probs, tokenizer, candidates, top_k,
                                                      example_id)
    else:
        predicted, prediction = _classification_prediction(probs, model.labels)

    computed = {}
    if want_gradient:
        if capture.calls != 1 or capture.tensor is None:
            raise ExportError(_("the embedding module ran %d times in one forward pass; "
                                "expected once") % capture.calls)
        with torch.enable_grad():
            (grad,) = torch.autograd.grad(task_logits[0, predicted], capture.tensor)
        g = grad.detach().double()
        if g.dim() != 3 or g.shape[0] != 1 or g.shape[1] != n:
            raise ExportError(_("the embedding output has shape %(shape)s; "
                                "expected [1, %(n)d, hidden]")
                              % {"shape": list(g.shape), "n": n})
        computed["gradient"] = [float(v) for v in g[0].abs().sum(dim=-1)]
    # free the forward pass (and its autograd graph) before the blank-out runs
    del logits, attentions, stacked, task_logits, capture
    if "blankout" in references:
        computed["blankout"] = blankout(model, tokenizer, ids, f, predicted, batch_size)
    refs = {name: computed[name] for name in references}
    for name, values in refs.items():
        if not all(math.isfinite(v) for v in values):
            raise ExportError(_("example %(example)s: the %(name)s reference has non-finite values")
                              % {"example": example_id, "name": name})

    return Example(id=example_id, text=text, tokens=tokens, attention=attention, focus=f,
                   prediction=prediction, references=refs)


def encode_base64(array):
    """``{"dtype": "float32", "shape": [...], "base64": ...}``: little-endian, C order."""
    data = np.ascontiguousarray(array, dtype="<f4")
    return {"dtype": "float32", "shape": [int(s) for s in data.shape],
            "base64": base64.b64encode(data.tobytes(order="C")).decode("ascii")}


def npy_bytes_header(shape):
    """The header of a NumPy ``.npy`` format 1.0 file holding a C-ordered ``<f4`` array."""
    if len(shape) == 1:
        shape_text = "(%d,)" % shape[0]
    else:
        shape_text = "(%s)" % ", ".join("%d" % s for s in shape)
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape_text
    # magic (6) + version (2) + length (2) + header + '\n' is a multiple of 64
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    if len(header) > 0xFFFF:
        raise ExportError(_("the array has too many dimensions for a .npy 1.0 header"))
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1")


def _atomic_write(path, write):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".attnflow-export-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_npy(path, array):
    """Write ``array`` as a ``.npy`` 1.0 file, little-endian float32, C order."""
    data = np.ascontiguousarray(array, dtype="<f4")

    def write(out):
        out.write(npy_bytes_header(data.shape))
        out.write(data.tobytes(order="C"))

    _atomic_write(path, write)


def _npy_name(stem, example_id, used):
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", example_id).strip(".") or "example"
    name = "%s.%s.npy" % (stem, safe)
    k = 2
    while name in used:
        name = "%s.%s-%d.npy" % (stem, safe, k)
        k += 1
    used.add(name)
    return name


def example_to_json(example, attention_field):
    out = {"id": example.id}
    if example.text is not None:
        out["text"] = example.text
    out["tokens"] = example.tokens
    out["focus"] = example.focus
    out["prediction"] = example.prediction
    if example.references:
        out["references"] = example.references
    out["attention"] = attention_field
    return out


def document(model_name, examples, attention_fields):
    return {"format": FORMAT, "version": VERSION, "model": model_name,
            "examples": [example_to_json(e, a) for e, a in zip(examples, attention_fields)]}


def dumps(doc):
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def write_export(path, model_name, examples, npy=False):
    """Write a multi-example export to ``path`` (``"-"``: standard output, not with ``npy``).

    With ``npy``, each example's attention goes to ``STEM.ID.npy`` beside the JSON file and the
    JSON names it relatively. Returns the list of files written.
    """
    written = []
    fields = []
    if npy:
        if path == "-":
            raise ExportError(_("--npy needs --output: the .npy files go beside the JSON file"))
        folder = os.path.dirname(os.path.abspath(path))
        stem = os.path.basename(path)
        if stem.endswith(".json"):
            stem = stem[:-len(".json")]
        used = set()
        for e in examples:
            name = _npy_name(stem, e.id, used)
            write_npy(os.path.join(folder, name), e.attention)
            written.append(os.path.join(folder, name))
            fields.append({"npy": name})
    else:
        fields = [encode_base64(e.attention) for e in examples]
    text = dumps(document(model_name, examples, fields)) + "\n"
    if path == "-":
        import sys
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        _atomic_write(path, lambda out: out.write(text.encode("utf-8")))
        written.append(path)
    return written
