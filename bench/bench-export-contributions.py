#!/usr/bin/env python3
# bench-export-contributions.py: peak memory and wall time of attnflow-export with contributions
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: PYTHON bench/bench-export-contributions.py [--kinds KIND,KIND] [--repeat R] [N ...]
#   PYTHON: a Python with torch, transformers and attnflow-export installed, such as the test
#   environment build-aux/test.sh makes: _build-test/tools/venv-transformers-4.57.6/bin/python;
#   PYTHONPATH=tools measures the exporter of this checkout instead of the installed one.
#
# Builds a MiniLM-shaped BERT encoder (6 layers x 12 heads, d = 384, 512 positions) with random
# weights and a small WordPiece vocabulary, offline, in a temporary folder; then, for each N
# (default 128 256) and each KIND (default value-zeroing,alti; also norm, globenc, attn-grad, or
# gradient for --references gradient, the embedding gradient), exports one N-token input as
# --task embedding --focus 0 --npy in fresh processes, R times (default 3), and prints the
# median wall time and the largest peak resident memory (from wait4) of the R processes.

import os
import statistics
import sys
import tempfile

from export_bench_common import built_model, help_and_exit, run

help_and_exit(__file__, 18)

import torch  # noqa: E402 (after -h, which needs no torch)
import transformers  # noqa: E402

WORDS = "the author talked to sara about his book and the doctor asked the nurse a question".split()


def build(folder):
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(set(WORDS))
    with open(os.path.join(folder, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    transformers.BertTokenizerFast(os.path.join(folder, "vocab.txt")).save_pretrained(folder)
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=384,
                                     num_hidden_layers=6, num_attention_heads=12,
                                     intermediate_size=1536, max_position_embeddings=512)
    transformers.BertModel(config).save_pretrained(folder)


def main():
    args = sys.argv[1:]
    kinds = ["value-zeroing", "alti"]
    repeat = 3
    while args and args[0].startswith("--"):
        if args[0] == "--kinds":
            kinds = args[1].split(",")
        elif args[0] == "--repeat":
            repeat = int(args[1])
        else:
            sys.exit("unknown option %s" % args[0])
        args = args[2:]
    sizes = [int(a) for a in args] or [128, 256]
    with tempfile.TemporaryDirectory() as tmp:
        model = built_model(tmp, build)
        text = " ".join(WORDS * 40)
        base = [sys.executable, "-m", "attnflow_export", "--model", model, "--task",
                "embedding", "--focus", "0", "--sentence", text, "--quiet", "--npy"]
        print("model: MiniLM shape (BERT), 6 layers x 12 heads, d = 384, random weights; "
              "one input; %d runs" % repeat)
        print("%6s  %-14s  %10s  %10s" % ("n", "kind", "wall", "peak RSS"))
        for n in sizes:
            for kind in kinds:
                extra = (["--references", "gradient"] if kind == "gradient"
                         else ["--contributions", kind])
                out = os.path.join(tmp, "out-%d.json" % n)
                walls, peaks = [], []
                for _ in range(repeat):
                    wall, peak = run(base + ["--max-length", str(n), "-o", out] + extra)
                    walls.append(wall)
                    peaks.append(peak)
                    for f in os.listdir(tmp):
                        if f.startswith("out-"):
                            os.unlink(os.path.join(tmp, f))
                print("%6d  %-14s  %8.1f s  %7.0f MiB"
                      % (n, kind, statistics.median(walls), max(peaks)), flush=True)


if __name__ == "__main__":
    main()
