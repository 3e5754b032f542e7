# names.py: the exporter's tasks, head mixings and contribution kinds, which the command line
# offers before it imports torch (--help works without it), and the WORD#N form of a word it
# checks then too
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re

from .i18n import _

TASK_MASKED_LM = "masked-lm"
TASK_CLASSIFICATION = "sequence-classification"
TASK_CAUSAL_LM = "causal-lm"
TASK_EMBEDDING = "embedding"
TASKS = (TASK_MASKED_LM, TASK_CLASSIFICATION, TASK_CAUSAL_LM, TASK_EMBEDDING)
# tasks whose prediction is a token of the vocabulary at the focus
TOKEN_TASKS = (TASK_MASKED_LM, TASK_CAUSAL_LM)
HEAD_MIXES = ("mean",)
# the contribution kinds (contributions.py), each in a .npy file of its own with --npy
CONTRIBUTION_KINDS = ("norm", "globenc", "alti", "value-zeroing", "attn-grad")


def contribution_kinds(spec):
    """The known kinds ``--contributions`` names, in its order, each once; the others are
    refused once torch is imported (cli.check_model_options)."""
    kinds = []
    for name in (s.strip() for s in (spec or "").split(",")):
        if name in CONTRIBUTION_KINDS and name not in kinds:
            kinds.append(name)
    return kinds


def split_occurrence(word):
    """``(word, occurrence)`` of a focus or antecedent word, ``it`` or ``it#2`` (occurrences
    count from 1); ValueError for ``it#0`` or ``it#-1``."""
    m = re.fullmatch(r"(.+)#(-?\d+)", word)
    if not m:
        return word, 1
    occurrence = int(m.group(2))
    if occurrence < 1:
        raise ValueError(_("“%(value)s”: occurrences count from 1 (%(word)s#1 is the first)")
                         % {"value": word, "word": m.group(1)})
    return m.group(1), occurrence


def embedding_focus_missing(example_id):
    """What is wrong with an example of --task embedding without a focus: with no prediction,
    there is no token to default to. Said before torch is imported (cli.py) and by
    core.export_example()."""
    return (_("example %s: an embedding model has no prediction to explain; name the token "
              "with --focus WORD or --focus INDEX") % example_id)
