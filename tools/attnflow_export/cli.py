# cli.py: the attnflow-export command line
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import sys

from . import core
from .i18n import _


# above this much attention (float32 bytes), suggest --npy
NPY_HINT_BYTES = 32 << 20


def build_parser():
    p = argparse.ArgumentParser(
        prog="attnflow-export",
        description=_("Run a Hugging Face transformers model on sentences and write its attention, "
                      "prediction and (on request) blank-out and gradient references as an "
                      "attnflow attention export (format version 1)."))
    p.add_argument("--model", required=True,
                   help=_("model name on the Hugging Face Hub or a local folder, "
                          "e.g. bert-base-uncased"))
    p.add_argument("--task", choices=core.TASKS, default=core.TASK_MASKED_LM,
                   help=_("masked-lm (predict the [MASK] token) or sequence-classification "
                          "(default: %(default)s)"))
    p.add_argument("--sentence", action="append", default=[], metavar="TEXT",
                   help=_("a sentence to export (repeatable); write [MASK] where the masked-LM "
                          "should predict a word"))
    p.add_argument("--sentences-file", metavar="FILE",
                   help=_("more sentences, one per line (blank lines are skipped; "
                          "- reads standard input)"))
    p.add_argument("--id", action="append", default=[], metavar="ID",
                   help=_("example ids, one per sentence in order (default ex-0, ex-1, ...)"))
    p.add_argument("--candidates", default="", metavar="WORD,WORD",
                   help=_("masked-LM: words whose probability at the mask is always reported, "
                          "e.g. his,her"))
    p.add_argument("--top-k", type=int, default=5, metavar="K",
                   help=_("masked-LM: also report the K most probable tokens "
                          "(default: %(default)s)"))
    p.add_argument("--references", default="", metavar="NAME,NAME",
                   help=_("per-token references for the focus token: blankout, gradient"))
    p.add_argument("--focus", type=int, metavar="INDEX",
                   help=_("token index to predict and explain (default: the first [MASK] for "
                          "masked-lm, 0 ([CLS]) for classification; negative counts from the end)"))
    p.add_argument("--output", "-o", default="-", metavar="FILE",
                   help=_("the JSON file to write (default: standard output)"))
    p.add_argument("--npy", action="store_true",
                   help=_("store each example's attention in a .npy file beside the JSON file "
                          "(for long inputs) instead of base64 inside it"))
    p.add_argument("--batch-size", type=int, default=32, metavar="B",
                   help=_("blank-out inputs run per batch (default: %(default)s)"))
    p.add_argument("--model-name", metavar="NAME",
                   help=_("the model label written in the file (default: --model)"))
    p.add_argument("--revision", help=_("model revision (branch, tag or commit) to load"))
    p.add_argument("--device", default="cpu", help=_("torch device (default: %(default)s)"))
    p.add_argument("--max-length", type=int, metavar="N",
                   help=_("truncate inputs to N tokens (default: the model's limit)"))
    p.add_argument("--quiet", "-q", action="store_true", help=_("no progress or summary on stderr"))
    return p


def read_sentences(args):
    sentences = list(args.sentence)
    if args.sentences_file:
        try:
            if args.sentences_file == "-":
                lines = sys.stdin.read().splitlines()
            else:
                with open(args.sentences_file, encoding="utf-8") as f:
                    lines = f.read().splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise core.ExportError(_("cannot read %(file)s: %(reason)s")
                                   % {"file": args.sentences_file, "reason": exc}) from None
        sentences.extend(line.strip() for line in lines if line.strip())
    if not sentences:
        raise core.ExportError(_("no sentences: pass --sentence TEXT or --sentences-file FILE"))
    if args.id:
        if len(args.id) != len(sentences):
            raise core.ExportError(_("%(ids)d --id given for %(sentences)d sentences")
                                   % {"ids": len(args.id), "sentences": len(sentences)})
        ids = list(args.id)
    else:
        ids = ["ex-%d" % i for i in range(len(sentences))]
    seen = set()
    for i in ids:
        if i in seen:
            raise core.ExportError(_("the id “%s” is given twice") % i)
        seen.add(i)
    return list(zip(ids, sentences))


def _load_hf(args):
    from . import hf
    return hf.load(args.model, args.task, revision=args.revision, device=args.device,
                   max_length=args.max_length)


def main(argv=None, load=None):
    """Run the exporter; ``load(args) -> (core.Model, tokenizer)`` replaces the Hugging Face
    loader (the tests pass a toy model). Returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.top_k < 0:
            raise core.ExportError(_("--top-k must be 0 or more"))
        if args.batch_size < 1:
            raise core.ExportError(_("--batch-size must be 1 or more"))
        if args.npy and args.output == "-":
            raise core.ExportError(_("--npy needs --output: the .npy files go beside the "
                                     "JSON file"))
        references = core.parse_references(args.references)
        candidates = [w.strip() for w in args.candidates.split(",") if w.strip()]
        if candidates and args.task != core.TASK_MASKED_LM:
            raise core.ExportError(_("--candidates is for --task masked-lm; a classifier reports "
                                     "all its classes"))
        sentences = read_sentences(args)
        model, tokenizer = (load or _load_hf)(args)
        examples = []
        for k, (example_id, text) in enumerate(sentences):
            if not args.quiet and sys.stderr.isatty():
                print(_("example %(k)d/%(count)d (%(example)s)")
                      % {"k": k + 1, "count": len(sentences), "example": example_id},
                      file=sys.stderr)
            examples.append(core.export_example(
                model, tokenizer, text, example_id=example_id, candidates=candidates,
                top_k=args.top_k, references=references, focus=args.focus,
                batch_size=args.batch_size))
        core.write_export(args.output, args.model_name or args.model, examples, npy=args.npy)
    except core.ExportError as exc:
        print("attnflow-export: %s" % exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(_("attnflow-export: cannot write %(file)s: %(reason)s")
              % {"file": args.output, "reason": exc}, file=sys.stderr)
        return 1
    if not args.quiet:
        shape = examples[0].attention.shape
        print(_("attnflow-export: wrote %(count)d examples (%(layers)d layers, %(heads)d heads) "
                "to %(file)s")
              % {"count": len(examples), "layers": shape[0], "heads": shape[1],
                 "file": _("standard output") if args.output == "-" else args.output},
              file=sys.stderr)
        if not args.npy and sum(e.attention.nbytes for e in examples) > NPY_HINT_BYTES:
            print(_("attnflow-export: hint: --npy stores large attention beside the JSON file, "
                    "which is smaller and opens faster"), file=sys.stderr)
    return 0
