#!/usr/bin/env python3
# bench-export-memory.py: peak memory of attnflow-export, every head vs --head-mix mean
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: PYTHON bench/bench-export-memory.py [N ...]
#   PYTHON: a Python with torch, transformers and attnflow-export installed, such as the test
#   environment build-aux/test.sh makes: _build-test/tools/venv-transformers-4.57.6/bin/python
#
# Builds a GPT-2-base-shaped causal LM (12 layers x 12 heads, d = 768, 2048 positions) with
# random weights and a byte-level tokenizer, offline, in a temporary folder; then, for each N
# (default 512 1024 2048), exports one N-token input twice in fresh processes, with every head
# (float32 [L][H][n][n], --npy) and with --head-mix mean (float16 [L][n][n] written layer by
# layer), and prints the wall time and the peak resident memory of each process (from wait4).

import os
import sys
import tempfile

from export_bench_common import built_model, help_and_exit, run

help_and_exit(__file__, 16)

import torch  # noqa: E402 (after -h, which needs no torch)
import transformers  # noqa: E402
from tokenizers import ByteLevelBPETokenizer  # noqa: E402

WORDS = "the author talked to sara about his book and the doctor asked the nurse a question".split()


def build(folder):
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator([" ".join(WORDS)] * 4, vocab_size=300, min_frequency=1,
                            special_tokens=["<|endoftext|>"], show_progress=False)
    bpe.save_model(folder)
    torch.manual_seed(0)
    config = transformers.GPT2Config(vocab_size=bpe.get_vocab_size(), n_positions=2048,
                                     bos_token_id=0, eos_token_id=0)
    transformers.GPT2LMHeadModel(config).save_pretrained(folder)
    transformers.AutoTokenizer.from_pretrained(folder).save_pretrained(folder)


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [512, 1024, 2048]
    with tempfile.TemporaryDirectory() as tmp:
        model = built_model(tmp, build)
        text = " ".join(WORDS * 200)
        base = [sys.executable, "-m", "attnflow_export", "--model", model, "--task",
                "causal-lm", "--sentence", text, "--quiet"]
        print("model: GPT-2 shape, 12 layers x 12 heads, d = 768, random weights; one input")
        print("%6s  %-26s  %8s  %10s  %s" % ("n", "attention", "wall", "peak RSS", "payload"))
        for n in sizes:
            for label, extra, payload in (
                    ("every head, float32", ["--npy"], 12 * 12 * n * n * 4),
                    ("--head-mix mean, float16", ["--head-mix", "mean"], 12 * n * n * 2)):
                out = os.path.join(tmp, "out-%d.json" % n)
                wall, peak = run(base + ["--max-length", str(n), "-o", out] + extra)
                print("%6d  %-26s  %6.1f s  %7.0f MiB  %.0f MiB"
                      % (n, label, wall, peak, payload / 2 ** 20), flush=True)
                for f in os.listdir(tmp):
                    if f.startswith("out-"):
                        os.unlink(os.path.join(tmp, f))


if __name__ == "__main__":
    main()
