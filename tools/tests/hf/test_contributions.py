# test_contributions.py: attnflow-export --contributions against the papers' formulas
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

"""Each contribution kind, exported from random-weight BERT, DistilBERT, RoBERTa, GPT-2 and
Llama models and from the real MiniLM, equals a loop-by-loop implementation of the paper's
formula written here from the model's weights and layer inputs (not from the exporter's hooks);
ALTI's and GlobEnc's decomposed vectors add up to the real outputs of the attention block and
of the layer."""

import os
import shutil
import tempfile
import unittest
from unittest import mock

import numpy as np
import torch
import transformers

from attnflow_export import cli, contributions
import models
import support

KINDS = "norm,globenc,alti,value-zeroing,attn-grad"


def parts_of(net, l):
    """The test's own map of a layer: (layer, value weight+bias as [d_in, H*dh] and [H*dh],
    W_O as [H*dh, d] and b_O, LN1, LN2, ffn(a) or None, pre_ln, rms_ln1)."""
    t = net.config.model_type
    base = net.base_model
    f64 = lambda p: p.detach().double()  # noqa: E731
    if t in ("bert", "roberta"):
        layer = base.encoder.layer[l]
        sa = layer.attention.self
        return dict(layer=layer, wv=f64(sa.value.weight).t(), bv=f64(sa.value.bias),
                    wo=f64(layer.attention.output.dense.weight).t(),
                    bo=f64(layer.attention.output.dense.bias), ln1=layer.attention.output.LayerNorm,
                    ln2=layer.output.LayerNorm, value=sa.value, proj=layer.attention.output.dense,
                    ffn=lambda a: layer.output.dense(layer.intermediate(a)), pre_ln=False)
    if t == "distilbert":
        layer = base.transformer.layer[l]
        at = layer.attention
        return dict(layer=layer, wv=f64(at.v_lin.weight).t(), bv=f64(at.v_lin.bias),
                    wo=f64(at.out_lin.weight).t(), bo=f64(at.out_lin.bias), ln1=layer.sa_layer_norm,
                    ln2=layer.output_layer_norm, value=at.v_lin, proj=at.out_lin,
                    ffn=lambda a: layer.ffn(a), pre_ln=False)
    if t == "gpt2":
        layer = base.h[l]
        d = net.config.n_embd
        return dict(layer=layer, wv=f64(layer.attn.c_attn.weight)[:, 2 * d:],
                    bv=f64(layer.attn.c_attn.bias)[2 * d:], wo=f64(layer.attn.c_proj.weight),
                    bo=f64(layer.attn.c_proj.bias), ln1=layer.ln_1, ln2=layer.ln_2,
                    value=layer.attn.c_attn, proj=layer.attn.c_proj, ffn=None, pre_ln=True)
    if t == "llama":
        layer = base.layers[l]
        at = layer.self_attn
        zeros = torch.zeros(at.o_proj.weight.shape[0], dtype=torch.float64)
        return dict(layer=layer, wv=f64(at.v_proj.weight).t(),
                    bv=torch.zeros(at.v_proj.weight.shape[0], dtype=torch.float64),
                    wo=f64(at.o_proj.weight).t(), bo=zeros, ln1=layer.input_layernorm,
                    ln2=layer.post_attention_layernorm, value=at.v_proj, proj=at.o_proj,
                    ffn=None, pre_ln=True, rms=True)
    raise ValueError(t)


def hidden(output, d):
    """[n, d] float64: the hidden states a layer returned (a tensor, or the tensor of that shape
    in its tuple: DistilBERT returns its attention weights first when asked)."""
    if isinstance(output, tuple):
        output = [t for t in output if isinstance(t, torch.Tensor) and t.dim() == 3
                  and t.shape[-1] == d][0]
    return output.detach()[0].double()


def layer_norm(x, module, rms=False):
    """LayerNorm (or Llama's RMSNorm) of the rows of x, in float64, from the module's weights."""
    g = module.weight.detach().double()
    if rms:
        return g * x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + module.variance_epsilon)
    mu = x.mean(-1, keepdim=True)
    var = x.var(-1, unbiased=False, keepdim=True)
    return g * (x - mu) / torch.sqrt(var + module.eps) + module.bias.detach().double()


def sigma(x, module):
    return float(torch.sqrt(x.var(unbiased=False) + module.eps))


class Reference:
    """The papers' formulas, one loop per index, for one example."""

    def __init__(self, net, ids, focus, task):
        self.net, self.ids, self.focus, self.task = net, ids, focus, task
        cfg = net.config
        self.L = cfg.num_hidden_layers
        self.H = cfg.num_attention_heads
        self.d = cfg.hidden_size
        self.dh = getattr(cfg, "head_dim", None) or self.d // self.H
        self.kv = getattr(cfg, "num_key_value_heads", None) or self.H
        self.n = ids.shape[1]
        self.ln2_in, self.ln1_out, self.layer_out, self.ctx = {}, {}, {}, {}
        handles = []
        for l in range(self.L):
            p = parts_of(net, l)
            handles.append(p["ln2"].register_forward_hook(
                lambda m, a, o, l=l: self.ln2_in.__setitem__(l, a[0].detach()[0].double())))
            handles.append(p["ln1"].register_forward_hook(
                lambda m, a, o, l=l: self.ln1_out.__setitem__(l, o.detach()[0].double())))
            handles.append(p["layer"].register_forward_hook(
                lambda m, a, o, l=l: self.layer_out.__setitem__(l, hidden(o, self.d))))
        with torch.no_grad():
            out = net(input_ids=ids, output_hidden_states=True, output_attentions=True)
        for h in handles:
            h.remove()
        self.x = [out.hidden_states[l][0].double() for l in range(self.L)]
        self.att = [a[0].double() for a in out.attentions]
        self.output = out
        # what several tests read, computed once: the weighted vectors and the LN decomposition
        # of each layer (norm, GlobEnc, ALTI) and value zeroing (two tests)
        self._cache = {}

    def cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def values(self, l):
        """[n, H_kv, dh] from the layer input and the weights (LN1 first for pre-LN)."""
        p = parts_of(self.net, l)
        x = self.x[l]
        if p["pre_ln"]:
            x = layer_norm(x, p["ln1"], p.get("rms", False))
        v = x @ p["wv"] + p["bv"]
        return v.reshape(self.n, self.kv, self.dh), p

    def weighted(self, l):
        """w[i][j] = Σ_h α^h_ij f^h(x_j), looping over i, j and h (once a layer)."""
        return self.cached(("weighted", l), lambda: self._weighted(l))

    def _weighted(self, l):
        v, p = self.values(l)
        group = self.H // self.kv
        w = torch.zeros(self.n, self.n, self.d, dtype=torch.float64)
        for i in range(self.n):
            for j in range(self.n):
                for h in range(self.H):
                    f = v[j, h // group] @ p["wo"][h * self.dh:(h + 1) * self.dh]
                    w[i, j] += self.att[l][h, i, j] * f
        return w, p

    def z(self, l):
        w, p = self.weighted(l)
        z = w.clone()
        for i in range(self.n):
            z[i, i] += self.x[l][i]
        return z, p

    def norm(self):
        out = []
        for l in range(self.L):
            w, _ = self.weighted(l)
            out.append([[float(torch.linalg.norm(w[i, j])) for j in range(self.n)]
                        for i in range(self.n)])
        return np.array(out)

    def ln_decomposed(self, l):
        """T_ij (LN1) and, for post-LN, G_ij (LN2) with the real statistics (once a layer)."""
        return self.cached(("ln", l), lambda: self._ln_decomposed(l))

    def _ln_decomposed(self, l):
        z, p = self.z(l)
        if p["pre_ln"]:
            return z, None, p
        g1 = p["ln1"].weight.detach().double()
        g2 = p["ln2"].weight.detach().double()
        T = torch.zeros_like(z)
        G = torch.zeros_like(z)
        for i in range(self.n):
            z_real = z[i].sum(0) + p["bo"]                     # LN1's input for token i
            a_i = layer_norm(z_real.unsqueeze(0), p["ln1"])[0]
            with torch.no_grad():
                ffn = p["ffn"](a_i.float().unsqueeze(0)).double()[0]
            s1 = sigma(z_real, p["ln1"])
            s2 = sigma(ffn + a_i, p["ln2"])
            for j in range(self.n):
                T[i, j] = g1 * (z[i, j] - z[i, j].mean()) / s1
                G[i, j] = g2 * (T[i, j] - T[i, j].mean()) / s2
        return T, G, p

    def globenc(self):
        out = []
        for l in range(self.L):
            T, G, p = self.ln_decomposed(l)
            vec = T if p["pre_ln"] else G
            out.append([[float(torch.linalg.norm(vec[i, j])) for j in range(self.n)]
                        for i in range(self.n)])
        return np.array(out)

    def alti(self):
        out = []
        for l in range(self.L):
            T, _, p = self.ln_decomposed(l)
            rows = []
            for i in range(self.n):
                y = self.ln2_in[l][i] if p["pre_ln"] else self.ln1_out[l][i]
                c = [max(0.0, float(y.abs().sum() - (y - T[i, j]).abs().sum()))
                     for j in range(self.n)]
                rows.append([v / sum(c) for v in c])
            out.append(rows)
        return np.array(out)

    def value_zeroing(self):
        return self.cached("value-zeroing", self._value_zeroing)

    def _value_zeroing(self):
        out = []
        for l in range(self.L):
            p = parts_of(self.net, l)
            d = np.zeros((self.n, self.n))
            for j in range(self.n):
                got = {}

                def zero(m, a, o, j=j):
                    o = o.clone()
                    o[0, j, -self.kv * self.dh:] = 0.0   # the value part (GPT-2: [q | k | v])
                    return o

                def keep(m, a, o):
                    got["out"] = hidden(o, self.d)

                hs = [p["value"].register_forward_hook(zero),
                      p["layer"].register_forward_hook(keep)]
                with torch.no_grad():
                    self.net(input_ids=self.ids)
                for h in hs:
                    h.remove()
                for i in range(self.n):
                    a, b = got["out"][i], self.layer_out[l][i]
                    d[i, j] = 1.0 - float(a @ b / (a.norm() * b.norm()))
            out.append(d / d.sum(axis=1, keepdims=True))
        return np.array(out)

    def attn_grad(self):
        """mean_h (∂y/∂A^h ⊙ A^h)^+ with ∂y/∂A^h_ij = g^h_i · v^h_j, g = ∂y/∂(the heads'
        concatenated outputs, the input of W_O)."""
        ctx = {}
        hs = []
        for l in range(self.L):
            p = parts_of(self.net, l)

            def grab(m, a, l=l):
                a[0].retain_grad()
                ctx[l] = a[0]
            hs.append(p["proj"].register_forward_pre_hook(grab))
        out = self.net(input_ids=self.ids)
        for h in hs:
            h.remove()
        if self.task == "embedding":
            y = out.last_hidden_state[0, self.focus].double().norm()
        elif out.logits.dim() == 3:
            logits = out.logits[0, self.focus]
            y = logits[int(torch.argmax(logits))]
        else:
            y = out.logits[0, int(torch.argmax(out.logits[0]))]
        y.backward()
        result = []
        group = self.H // self.kv
        for l in range(self.L):
            g = ctx[l].grad[0].double()
            v, _ = self.values(l)
            m = np.zeros((self.n, self.n))
            for i in range(self.n):
                for j in range(self.n):
                    s = 0.0
                    for h in range(self.H):
                        da = float(g[i, h * self.dh:(h + 1) * self.dh] @ v[j, h // group])
                        s += max(0.0, da * float(self.att[l][h, i, j]))
                    m[i, j] = s / self.H
                if not np.any(m[i] > 0):
                    m[i] = 0.0
                    m[i, i] = 1.0
            result.append(m)
        return np.array(result)


class Contributions:
    """Mixed into one TestCase per model (see the end of this file)."""

    KIND = None
    TOL = {"norm": (1e-5, 1e-9), "globenc": (1e-5, 1e-9), "alti": (0, 1e-6),
           "value-zeroing": (1e-3, 1e-5), "attn-grad": (1e-4, 1e-9)}

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="attnflow-contrib-")
        if cls.KIND == "MiniLM":
            cls.folder = models.minilm_path()
            cls.task = "embedding"
            cls.text = "The trophy didn't fit in the suitcase because it was too big."
            extra = ["--focus", "it"]
        else:
            cls.folder, cls.task = models.built(cls.KIND)
            cls.text = {"masked-lm": models.PRONOUNS[0], "causal-lm": models.PREFIXES[0],
                        "sequence-classification": models.REVIEWS[0]}[cls.task]
            extra = []
        cls.extra = extra
        cls.out = os.path.join(cls.tmp, "c.json")
        status, _, err = support.run_main(cli.main, [
            "--model", cls.folder, "--task", cls.task, "--sentence", cls.text, "--id", "c",
            "--contributions", KINDS, "-o", cls.out, "--quiet"] + extra)
        assert status == 0, err
        (cls.ex,) = support.load_export(cls.out)["examples"]
        auto = {"masked-lm": transformers.AutoModelForMaskedLM,
                "causal-lm": transformers.AutoModelForCausalLM,
                "sequence-classification": transformers.AutoModelForSequenceClassification,
                "embedding": transformers.AutoModel}[cls.task]
        cls.net = auto.from_pretrained(cls.folder, attn_implementation="eager").eval()
        tok = transformers.AutoTokenizer.from_pretrained(cls.folder)
        text = cls.text.replace("[MASK]", tok.mask_token) if tok.mask_token else cls.text
        cls.ids = tok(text, return_tensors="pt")["input_ids"]
        cls.ref = Reference(cls.net, cls.ids, cls.ex["focus"], cls.task)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def exported(self, kind):
        field = self.ex["contributions"][kind]
        self.assertEqual(field["dtype"], "float32")
        m = support.read_array(field, self.tmp)
        self.assertEqual(m.shape, (self.ref.L, self.ref.n, self.ref.n))
        self.assertTrue(np.all(np.isfinite(m)) and np.all(m >= 0))
        self.assertTrue(np.all(m.sum(axis=-1) > 0))
        return m.astype(np.float64)

    def check(self, kind, expected):
        rtol, atol = self.TOL[kind]
        np.testing.assert_allclose(self.exported(kind), expected, rtol=rtol, atol=atol,
                                   err_msg=kind)

    def test_fields(self):
        self.assertEqual(sorted(self.ex["contributions"]), sorted(KINDS.split(",")))
        self.assertIsInstance(self.ex["contributions_target"], str)
        if self.task == "embedding":
            self.assertEqual(self.ex["contributions_target"],
                             "norm of the top-layer state of “it” (token %d)" % self.ex["focus"])
        proc = support.attnflow("validate", self.out)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_norm(self):
        self.check("norm", self.ref.norm())

    def test_globenc(self):
        self.check("globenc", self.ref.globenc())

    def test_alti(self):
        expected = self.ref.alti()
        self.check("alti", expected)
        np.testing.assert_allclose(expected.sum(-1), 1.0, atol=1e-12)

    def test_value_zeroing(self):
        self.check("value-zeroing", self.ref.value_zeroing())

    def test_decomposition_in_groups_of_rows(self):
        """norm, GlobEnc and ALTI decompose a layer's output tokens in groups whose vectors fit
        the budget (here 3 rows' worth), not all n at once (a 282-token input took MiniLM's
        export to 2.9 GB), with the same matrices."""
        d = contributions.Parts(self.net, contributions.architecture_of(self.net), 0).d
        n = self.ref.n
        out = os.path.join(self.tmp, "rows.json")
        with mock.patch.object(contributions, "MAX_DECOMPOSITION_BYTES", 3 * 8 * n * d,
                               create=True), \
                mock.patch.object(contributions, "decompose_layer",
                                  wraps=contributions.decompose_layer) as decompose:
            status, _, err = support.run_main(cli.main, [
                "--model", self.folder, "--task", self.task, "--sentence", self.text,
                "--id", "c", "--contributions", "norm,globenc,alti", "-o", out,
                "--quiet"] + self.extra)
        self.assertEqual(status, 0, err)
        self.assertGreater(n, 3)
        groups = [call.args[3] if len(call.args) > 3 else slice(None)
                  for call in decompose.call_args_list]
        self.assertEqual(groups, [slice(s, min(n, s + 3)) for s in range(0, n, 3)] * self.ref.L)
        (ex,) = support.load_export(out)["examples"]
        for kind in ("norm", "globenc", "alti"):
            m = support.read_array(ex["contributions"][kind], self.tmp)
            np.testing.assert_allclose(m, self.exported(kind), rtol=1e-6, atol=1e-9,
                                       err_msg=kind)

    def test_value_zeroing_in_batches(self):
        """The n copies of the input that value zeroing runs go in batches whose attention
        scores fit the budget (here that of 3 copies), not all at once (1 GB a tensor at n = 282
        for MiniLM), with the same matrices."""
        heads = contributions.Parts(self.net, contributions.architecture_of(self.net), 0).heads
        n = self.ref.n
        sizes = []

        def record(module, args):
            if isinstance(module, torch.nn.Embedding) and args and args[0].dim() == 2:
                sizes.append(args[0].shape[0])

        out = os.path.join(self.tmp, "vz.json")
        handle = torch.nn.modules.module.register_module_forward_pre_hook(record)
        try:
            with mock.patch.object(contributions, "MAX_VALUE_ZEROING_BYTES",
                                   3 * 4 * heads * n * n, create=True):
                status, _, err = support.run_main(cli.main, [
                    "--model", self.folder, "--task", self.task, "--sentence", self.text,
                    "--id", "c", "--contributions", "value-zeroing", "-o", out,
                    "--quiet"] + self.extra)
        finally:
            handle.remove()
        self.assertEqual(status, 0, err)
        self.assertGreater(n, 3)
        self.assertEqual(max(sizes), 3)
        (ex,) = support.load_export(out)["examples"]
        m = support.read_array(ex["contributions"]["value-zeroing"], self.tmp)
        rtol, atol = self.TOL["value-zeroing"]
        np.testing.assert_allclose(m.astype(np.float64), self.ref.value_zeroing(), rtol=rtol,
                                   atol=atol)
        np.testing.assert_allclose(m, self.exported("value-zeroing"), rtol=0, atol=1e-6)

    def test_attn_grad(self):
        expected = self.ref.attn_grad()
        self.check("attn-grad", expected)
        # the top layer: only the focus row carries gradient (every other row is e_i)
        if self.task != "sequence-classification":
            top = expected[-1]
            others = [i for i in range(self.ref.n) if i != self.ex["focus"]]
            np.testing.assert_array_equal(top[others], np.eye(self.ref.n)[others])

    def test_decomposition_adds_up(self):
        """Σ_j T_ij + bias_i is the attention block's output, and (post-LN) Σ_j G_ij + rest_i
        the layer's output, within 1e-4 relative, on every layer."""
        arch = contributions.architecture_of(self.net)
        parts = [contributions.Parts(self.net, arch, l) for l in range(self.ref.L)]
        capture = contributions._Capture(parts)
        try:
            with torch.no_grad():
                out = self.net(input_ids=self.ids, output_attentions=True)
        finally:
            capture.remove()
        for l, p in enumerate(parts):
            dec = contributions.decompose_layer(p, capture.data[l], out.attentions[l][0])
            block = self.ref.ln2_in[l] if arch.pre_ln else self.ref.ln1_out[l]
            total = dec["T"].sum(dim=1) + dec["bias"]
            err = float(torch.linalg.norm(total - block) / torch.linalg.norm(block))
            self.assertLess(err, 1e-4, "layer %d attention block" % (l + 1))
            if not arch.pre_ln:
                total = dec["G"].sum(dim=1) + dec["G_rest"]
                real = self.ref.layer_out[l]
                err = float(torch.linalg.norm(total - real) / torch.linalg.norm(real))
                self.assertLess(err, 1e-4, "layer %d output" % (l + 1))


for _kind in models.KINDS + ["MiniLM"]:
    globals()["TestContributions" + _kind] = type(
        "TestContributions" + _kind, (Contributions, unittest.TestCase), {"KIND": _kind})
del _kind


def npy_files(self):
    """With --npy, each kind goes to STEM.ID.KIND.npy beside the JSON file."""
    out = os.path.join(self.tmp, "npy.json")
    status, _, err = support.run_main(cli.main, [
        "--model", self.folder, "--task", self.task, "--sentence", self.text, "--id", "c",
        "--contributions", "alti,norm", "--npy", "-o", out, "--quiet"])
    self.assertEqual(status, 0, err)
    (ex,) = support.load_export(out)["examples"]
    self.assertEqual(ex["contributions"], {"alti": {"npy": "npy.c.alti.npy"},
                                           "norm": {"npy": "npy.c.norm.npy"}})
    for kind in ("alti", "norm"):
        np.testing.assert_array_equal(support.read_array(ex["contributions"][kind], self.tmp),
                                      self.exported(kind).astype(np.float32))


# one architecture is enough for the file layout
globals()["TestContributionsBertForMaskedLM"].test_npy_files = npy_files
