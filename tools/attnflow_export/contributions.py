# contributions.py: per-layer contribution matrices beyond attention weights
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Contribution matrices ``[L][n][n]`` (row = the output token i, column = the input token j),
computed with forward hooks on a Hugging Face model, as each paper defines them:

``norm`` (Kobayashi et al. 2020)
    ``||Σ_h α^h_ij f^h(x_j)||``, with ``f^h(x) = (x W_V^h + b_V^h) W_O^h`` (the value vector
    through head h's slice of the output projection; ``x`` is the layer input for a post-LN
    encoder and ``LN1(x)`` for a pre-LN decoder).
``globenc`` (Modarressi et al. 2022)
    Post-LN encoders: ``z_ij = Σ_h α^h_ij f^h(x_j) + δ_ij x_j`` decomposed through LN1,
    ``T_ij = γ1 ⊙ (z_ij − mean(z_ij)) / σ1_i``, and through LN2 (the feed-forward branch left
    out, as in the paper), ``G_ij = γ2 ⊙ (T_ij − mean(T_ij)) / σ2_i``, where σ1_i and σ2_i are
    the real standard deviations (eps included) of token i's inputs to LN1 and LN2; the value is
    ``||G_ij||``. Pre-LN decoders have no normalisation on the residual path, so ``||z_ij||``.
``alti`` (Ferrando et al. 2022)
    ``c_ij = max(0, ||y_i||_1 − ||y_i − T_ij||_1)``, rows divided by their sum, where ``y_i`` is
    the attention block's output (LN1's output for a post-LN encoder, the residual stream
    before LN2 for a pre-LN decoder) and ``T_ij`` its decomposition (``z_ij`` for pre-LN).
``value-zeroing`` (Mohebbi et al. 2023)
    The cosine distance between token i's output of the whole layer and the same output when
    token j's value vectors (every head) are set to zero in that layer alone, rows divided by
    their sum.
``attn-grad`` (Chefer et al. 2021)
    ``mean_h (∂y/∂A^h ⊙ A^h)^+``, where ``y`` is the target: the logit of the predicted token or
    class, or, for an embedding model, ``||h||`` of the focus token's top-layer state. A row
    that is zero everywhere (a position the target does not depend on, such as every row but the
    focus in the top layer) is written as the identity row: Chefer's aggregation ``I + Ā`` leaves
    such a token as it is.

Every decomposition is computed in float64 from the float32 activations and written as
float32. A row of norm, globenc, alti or value-zeroing that is zero everywhere is also written
as the identity row (this does not happen with real weights).
"""

import numpy as np
import torch

from .core import TASK_CLASSIFICATION, TASK_EMBEDDING, TOKEN_TASKS
from .errors import ExportError
from .i18n import _
from .names import CONTRIBUTION_KINDS

KINDS = CONTRIBUTION_KINDS


def _get(root, path):
    m = root
    for part in path.split("."):
        m = getattr(m, part, None)
        if m is None:
            return None
    return m


class Architecture:
    """Where a model keeps the parts the decompositions need, per layer."""

    def __init__(self, name, layers, pre_ln, value, out_proj, ln1, ln2, conv1d=False,
                 fused_qkv=False):
        self.name = name
        self.layers_path = layers
        self.pre_ln = pre_ln
        self.value = value          # the module whose output holds the value vectors
        self.out_proj = out_proj    # the attention's output projection W_O (+ b_O)
        self.ln1 = ln1              # post-LN: after attention + residual; pre-LN: before attention
        self.ln2 = ln2
        self.conv1d = conv1d        # GPT-2's Conv1D: weight [in, out]
        self.fused_qkv = fused_qkv  # GPT-2's c_attn: [q | k | v]


ARCHITECTURES = {
    "bert": Architecture("bert", "encoder.layer", False, "attention.self.value",
                         "attention.output.dense", "attention.output.LayerNorm",
                         "output.LayerNorm"),
    "roberta": Architecture("roberta", "encoder.layer", False, "attention.self.value",
                            "attention.output.dense", "attention.output.LayerNorm",
                            "output.LayerNorm"),
    "distilbert": Architecture("distilbert", "transformer.layer", False, "attention.v_lin",
                               "attention.out_lin", "sa_layer_norm", "output_layer_norm"),
    "gpt2": Architecture("gpt2", "h", True, "attn.c_attn", "attn.c_proj", "ln_1", "ln_2",
                         conv1d=True, fused_qkv=True),
    "llama": Architecture("llama", "layers", True, "self_attn.v_proj", "self_attn.o_proj",
                          "input_layernorm", "post_attention_layernorm"),
}


def architecture_of(net):
    model_type = getattr(net.config, "model_type", None)
    arch = ARCHITECTURES.get(model_type)
    if arch is None:
        raise ExportError(_("contributions are computed for BERT, RoBERTa, DistilBERT, GPT-2 and "
                            "Llama models, not “%s”") % model_type)
    return arch


class Parts:
    """One layer's modules and shapes."""

    def __init__(self, net, arch, layer):
        base = getattr(net, "base_model", net)
        layers = _get(base, arch.layers_path)
        if layers is None:
            raise ExportError(_("cannot find the layers of this %s model") % arch.name)
        self.layer = layers[layer]
        self.value = _get(self.layer, arch.value)
        self.out_proj = _get(self.layer, arch.out_proj)
        self.ln1 = _get(self.layer, arch.ln1)
        self.ln2 = _get(self.layer, arch.ln2)
        for what, m in (("value", self.value), ("output projection", self.out_proj),
                        ("ln1", self.ln1), ("ln2", self.ln2)):
            if m is None:
                raise ExportError(_("cannot find the %(part)s of layer %(layer)d")
                                  % {"part": what, "layer": layer + 1})
        config = net.config
        self.d = int(getattr(config, "hidden_size", None) or getattr(config, "dim"))
        self.heads = int(getattr(config, "num_attention_heads", None) or
                         getattr(config, "n_heads"))
        self.head_dim = int(getattr(config, "head_dim", None) or self.d // self.heads)
        self.kv_heads = int(getattr(config, "num_key_value_heads", None) or self.heads)
        self.arch = arch

    def values(self, value_output):
        """``[n, H_kv, head_dim]`` value vectors (float64) from the value module's output."""
        v = value_output[0].double()
        if self.arch.fused_qkv:
            v = v[:, 2 * self.d:3 * self.d]
        return v.reshape(v.shape[0], self.kv_heads, self.head_dim)

    def w_o(self):
        """``[H * head_dim, d]`` (input rows, output columns) and the bias ``[d]`` or zeros."""
        w = self.out_proj.weight.detach().double()
        if not self.arch.conv1d:
            w = w.t()
        b = self.out_proj.bias
        b = b.detach().double() if b is not None else torch.zeros(w.shape[1], dtype=torch.float64)
        return w, b

    def ln(self, module):
        """``(gamma, beta, eps, rms)``: LayerNorm or RMSNorm (Llama) parameters."""
        gamma = module.weight.detach().double()
        beta = getattr(module, "bias", None)
        beta = beta.detach().double() if beta is not None else torch.zeros_like(gamma)
        eps = getattr(module, "eps", None)
        if eps is None:
            eps = getattr(module, "variance_epsilon")
        rms = not isinstance(module, torch.nn.LayerNorm)
        return gamma, beta, float(eps), rms


def _first_tensor(value):
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], torch.Tensor):
        return value[0]
    return None


def _hidden_output(value, d):
    """A layer's output hidden states ``[B, n, d]`` from what the layer returned (DistilBERT
    puts the attention weights first when asked for them)."""
    if isinstance(value, torch.Tensor):
        return value
    for t in value if isinstance(value, (tuple, list)) else ():
        if isinstance(t, torch.Tensor) and t.dim() == 3 and t.shape[-1] == d:
            return t
    return None


class _Capture:
    """Forward hooks that keep each layer's input and output, its value module's output, and
    the inputs and outputs of LN1 and LN2, for one forward pass."""

    def __init__(self, parts):
        self.data = [dict() for _ in parts]
        self.handles = []
        for k, p in enumerate(parts):
            self._hook(p.value, k, "value_out", output=True)
            self._hook(p.ln1, k, "ln1_in", output=False)
            self._hook(p.ln1, k, "ln1_out", output=True)
            self._hook(p.ln2, k, "ln2_in", output=False)
            self._hook(p.ln2, k, "ln2_out", output=True)
            self._layer_out_hook(p, k)
            self._pre_hook_kwargs(p.layer, k, "layer_in")

    def _hook(self, module, k, key, output):
        def hook(m, args, out):
            t = _first_tensor(out) if output else _first_tensor(args)
            if t is not None and key not in self.data[k]:
                self.data[k][key] = t.detach()
        self.handles.append(module.register_forward_hook(hook))

    def _layer_out_hook(self, p, k):
        def hook(m, args, out):
            t = _hidden_output(out, p.d)
            if t is not None and "layer_out" not in self.data[k]:
                self.data[k]["layer_out"] = t.detach()
        self.handles.append(p.layer.register_forward_hook(hook))

    def _pre_hook_kwargs(self, module, k, key):
        def hook(m, args, kwargs):
            t = _first_tensor(args) if args else kwargs.get("hidden_states")
            if t is not None and key not in self.data[k]:
                self.data[k][key] = t.detach()
        self.handles.append(module.register_forward_pre_hook(hook, with_kwargs=True))

    def remove(self):
        for h in self.handles:
            h.remove()


def _normalize(x, gamma, eps, rms, stats_from):
    """The linear part of a LayerNorm (or RMSNorm) of ``stats_from`` applied to the vectors
    ``x`` (``[..., d]``): ``γ ⊙ (x − mean(x)) / σ`` with ``σ`` the real statistics of the
    normalised input (one per row of ``stats_from``, broadcast over ``x``'s middle axis)."""
    s = stats_from.double()
    if rms:
        sigma = torch.sqrt(s.pow(2).mean(-1) + eps)
        centred = x
    else:
        sigma = torch.sqrt(s.var(-1, unbiased=False) + eps)
        centred = x - x.mean(-1, keepdim=True)
    return gamma * centred / sigma.view(-1, 1, 1)


# norm, GlobEnc and ALTI decompose a layer's output tokens in groups whose vectors (float64
# [rows, n, d], four such tensors and their temporaries at a time) take no more than this each;
# all rows at once took a 282-token input's export with MiniLM to 2.9 GB, and would take some
# 8 GB for BERT-base at 512 tokens
MAX_DECOMPOSITION_BYTES = 64 << 20


def decompose_layer(parts, data, attention, rows=slice(None)):
    """The decomposed vectors of one layer, in float64, for the output tokens ``rows`` (a slice;
    default all: ``c`` of them below).

    ``attention``: ``[H, n, n]`` for this layer. Returns a dict with ``weighted`` (Σ_h α f,
    ``[c, n, d]``), ``z`` (+ residual), ``T`` (the attention block's decomposition), ``bias``
    (``[c, d]``: what the block adds besides the T_ij, so ``Σ_j T_ij + bias_i`` is the block's
    output), ``y`` (the block's real output), and for post-LN ``G`` and ``G_rest`` (LN2: the
    vectors and the remainder, feed-forward output included, so ``Σ_j G_ij + G_rest_i`` is the
    layer's real output).
    """
    v = parts.values(data["value_out"])                 # [n, H_kv, dh]
    n = v.shape[0]
    idx = torch.arange(n)[rows]                         # the output tokens i
    c = idx.shape[0]
    a = attention.double()[:, rows]                     # [H, c, n]
    w, b_o = parts.w_o()                                # [H*dh, d], [d]
    group = parts.heads // parts.kv_heads
    weighted = torch.zeros(c, n, w.shape[1], dtype=torch.float64)
    for h in range(parts.heads):
        f = v[:, h // group, :] @ w[h * parts.head_dim:(h + 1) * parts.head_dim]  # [n, d]
        weighted += a[h].unsqueeze(-1) * f.unsqueeze(0)
    x = data["layer_in"][0].double()                    # [n, d]
    z = weighted.clone()
    z[torch.arange(c), idx] += x[idx]
    out = {"weighted": weighted, "z": z}
    if parts.arch.pre_ln:
        out["T"] = z
        out["bias"] = b_o.expand(c, -1)
        out["y"] = data["ln2_in"][0].double()[rows]
        return out
    gamma1, beta1, eps1, rms1 = parts.ln(parts.ln1)
    pre1 = data["ln1_in"][0].double()[rows]
    T = _normalize(z, gamma1, eps1, rms1, pre1)
    bias = _normalize(b_o.expand(c, 1, -1), gamma1, eps1, rms1, pre1)[:, 0] + beta1
    y = data["ln1_out"][0].double()[rows]
    gamma2, beta2, eps2, rms2 = parts.ln(parts.ln2)
    pre2 = data["ln2_in"][0].double()[rows]
    G = _normalize(T, gamma2, eps2, rms2, pre2)
    rest = _normalize((pre2 - T.sum(dim=1)).unsqueeze(1), gamma2, eps2, rms2, pre2)[:, 0] + beta2
    out.update(T=T, bias=bias, y=y, G=G, G_rest=rest,
               layer_out=data["ln2_out"][0].double()[rows])
    return out


def _rows_or_identity(m):
    """Rows that are zero everywhere become the identity row (see the module docstring)."""
    m = np.array(m, dtype=np.float64)
    for i in range(m.shape[-1]):
        if not np.any(m[i] > 0):
            m[i] = 0.0
            m[i, i] = 1.0
    return m


def _alti(T, y):
    y1 = y.abs().sum(-1, keepdim=True)                   # [n, 1]
    dist = (y.unsqueeze(1) - T).abs().sum(-1)            # [n, n]
    c = torch.clamp(y1 - dist, min=0.0)
    s = c.sum(-1, keepdim=True)
    return torch.where(s > 0, c / torch.where(s > 0, s, torch.ones_like(s)), c)


def _target_scalar(model, output, focus, predicted):
    if model.task == TASK_EMBEDDING:
        h = output[0, focus]
        return torch.linalg.norm(h.double())
    if model.task in TOKEN_TASKS:
        return output[0, focus, predicted]
    return output[0, predicted]


def target_description(model, example, predicted):
    if model.task == TASK_EMBEDDING:
        return "norm of the top-layer state of “%s” (token %d)" % (
            example.tokens[example.focus], example.focus)
    if model.task == TASK_CLASSIFICATION:
        return "logit of class “%s”" % example.prediction["label"]
    return "logit of “%s” at token %d" % (example.prediction["label"], example.focus)


def predicted_index(model, tokenizer, output, example):
    if model.task == TASK_EMBEDDING:
        return None
    logits = output[0, example.focus] if model.task in TOKEN_TASKS else output[0]
    return int(torch.argmax(logits))


def _no_progress(text):
    pass


def compute(model, tokenizer, example, kinds, ids, progress=_no_progress):
    """``{kind: float32 [L, n, n]}`` and the attn-grad target's description (or None).
    ``progress(text)`` is told each step as it starts (``contributions norm, alti: layer
    3/6``)."""
    net = getattr(model, "net", None)
    if net is None:
        raise ExportError(_("contributions need a Hugging Face model"))
    arch = architecture_of(net)
    n_layers = int(net.config.num_hidden_layers if hasattr(net.config, "num_hidden_layers")
                   else net.config.n_layers)
    parts = [Parts(net, arch, l) for l in range(n_layers)]
    input_ids = torch.tensor([ids], dtype=torch.long)
    mask = torch.ones_like(input_ids)
    n = len(ids)
    results = {}
    description = None

    capture = _Capture(parts)
    progress(_("contributions %s") % ", ".join(kinds))
    try:
        with torch.no_grad():
            output, attentions = model.forward(input_ids, mask)
    finally:
        capture.remove()
    if attentions is None or len(attentions) != n_layers:
        raise ExportError(_("the model returned no attention weights (is it loaded with eager "
                            "attention?)"))
    decomposition_kinds = [k for k in kinds if k in ("norm", "globenc", "alti")]
    if decomposition_kinds:
        per_kind = {k: [] for k in decomposition_kinds}
        chunk = max(1, min(n, MAX_DECOMPOSITION_BYTES // (8 * n * parts[0].d)))
        for l, p in enumerate(parts):
            progress(_("contributions %(kinds)s: layer %(layer)d/%(layers)d")
                     % {"kinds": ", ".join(decomposition_kinds), "layer": l + 1,
                        "layers": n_layers})
            rows = {k: [] for k in decomposition_kinds}
            for start in range(0, n, chunk):
                dec = decompose_layer(p, capture.data[l], attentions[l][0],
                                      slice(start, min(n, start + chunk)))
                if "norm" in rows:
                    rows["norm"].append(torch.linalg.norm(dec["weighted"], dim=-1))
                if "globenc" in rows:
                    vectors = dec["z"] if arch.pre_ln else dec["G"]
                    rows["globenc"].append(torch.linalg.norm(vectors, dim=-1))
                if "alti" in rows:
                    rows["alti"].append(_alti(dec["T"], dec["y"]))
                del dec
            for k, pieces in rows.items():
                per_kind[k].append(torch.cat(pieces))
        for k, mats in per_kind.items():
            results[k] = np.stack([_rows_or_identity(m.numpy()) for m in mats])
    if "value-zeroing" in kinds:
        outputs = [capture.data[l]["layer_out"][0].double() for l in range(n_layers)]
        results["value-zeroing"] = np.stack(
            [_rows_or_identity(m) for m in value_zeroing(net, parts, input_ids, outputs,
                                                         progress)])
    if "attn-grad" in kinds:
        progress(_("contributions %s") % "attn-grad")
        predicted = predicted_index(model, tokenizer, output, example)
        with torch.enable_grad():
            out, atts = model.forward(input_ids, mask)
            y = _target_scalar(model, out, example.focus, predicted)
            grads = torch.autograd.grad(y, list(atts), allow_unused=True)
        mats = []
        for a, g in zip(atts, grads):
            if g is None:
                g = torch.zeros_like(a)
            cam = (g[0].double() * a[0].detach().double()).clamp(min=0).mean(dim=0)
            mats.append(_rows_or_identity(cam.numpy()))
        results["attn-grad"] = np.stack(mats)
        description = target_description(model, example, predicted)
    out = {}
    for k in kinds:
        m = results[k].astype(np.float32)
        if m.shape != (n_layers, n, n) or not np.all(np.isfinite(m)) or np.any(m < 0):
            raise ExportError(_("example %(example)s: the %(kind)s contributions are not finite "
                                "non-negative [L, n, n]") % {"example": example.id, "kind": k})
        out[k] = m
    return out, description


class _Stop(Exception):
    pass


def _value_zeroed_outputs(net, p, input_ids, start, stop):
    """Layer ``p``'s outputs ``[stop - start, n, d]`` for copies ``start`` to ``stop`` of
    ``input_ids`` ``[1, n]``, copy j with token j's value vectors zero in that layer."""
    batch = input_ids.repeat(stop - start, 1)
    kept = {}

    def zero_values(module, args, out):
        out = out.clone()
        cols = slice(2 * p.d, 3 * p.d) if p.arch.fused_qkv else slice(None)
        for r, j in enumerate(range(start, stop)):
            out[r, j, cols] = 0.0
        return out

    def stop_after(module, args, out):
        kept["out"] = _hidden_output(out, p.d).detach()
        raise _Stop()

    handles = [p.value.register_forward_hook(zero_values),
               p.layer.register_forward_hook(stop_after)]
    try:
        with torch.no_grad():
            net(input_ids=batch, attention_mask=torch.ones_like(batch))
    except _Stop:
        pass
    finally:
        for h in handles:
            h.remove()
    return kept["out"]


# value zeroing runs the n copies of an input in batches whose attention scores (float32
# [copies, heads, n, n], of one layer) take no more than this; all n copies at once would be
# 1.1 GB a tensor at n = 282 for MiniLM (12 heads), 6.4 GB at n = 512 for BERT-base
MAX_VALUE_ZEROING_BYTES = 256 << 20


def value_zeroing(net, parts, input_ids, outputs, progress=_no_progress, max_batch_bytes=None):
    """Per layer l, the matrix ``D[i, j]`` = cosine distance between token i's output of layer l
    and that output when token j's value vectors are zero in layer l alone, rows divided by
    their sum. The n variants of a layer run as copies of the input (copy j zeroes token j), in
    batches whose attention scores take no more than ``max_batch_bytes`` (default
    :data:`MAX_VALUE_ZEROING_BYTES`); the pass stops after layer l."""
    max_batch_bytes = max_batch_bytes or MAX_VALUE_ZEROING_BYTES
    n = input_ids.shape[1]
    heads = max([p.heads for p in parts] + [1])
    chunk = max(1, min(n, max_batch_bytes // (4 * heads * n * n)))
    result = []
    for l, p in enumerate(parts):
        progress(_("contributions %(kinds)s: layer %(layer)d/%(layers)d")
                 % {"kinds": "value-zeroing", "layer": l + 1, "layers": len(parts)})
        ref = outputs[l]                                # [n, d]
        ref_norm = torch.linalg.norm(ref, dim=-1).unsqueeze(0)
        cos = []
        for start in range(0, n, chunk):
            new = _value_zeroed_outputs(net, p, input_ids, start, min(n, start + chunk)).double()
            # [copies j, n (token i)]
            cos.append((new * ref.unsqueeze(0)).sum(-1) / (torch.linalg.norm(new, dim=-1) *
                                                           ref_norm))
        dist = (1.0 - torch.cat(cos)).t().clamp(min=0.0)    # [i, j]
        s = dist.sum(-1, keepdim=True)
        result.append(torch.where(s > 0, dist / torch.where(s > 0, s, torch.ones_like(s)),
                                  dist).numpy())
    return result


def add_to_example(model, tokenizer, example, kinds, ids, progress=_no_progress):
    """Compute ``kinds`` for ``example`` (exported from ``ids``) and store them in it;
    ``progress`` as :func:`compute`'s."""
    if not kinds:
        return
    matrices, description = compute(model, tokenizer, example, kinds, ids, progress)
    example.contributions = matrices
    if description is not None:
        example.contributions_target = description
