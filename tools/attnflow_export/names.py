# names.py: the exporter's tasks and head mixings, which the command line offers before it
# imports torch (--help works without it)
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

TASK_MASKED_LM = "masked-lm"
TASK_CLASSIFICATION = "sequence-classification"
TASK_CAUSAL_LM = "causal-lm"
TASK_EMBEDDING = "embedding"
TASKS = (TASK_MASKED_LM, TASK_CLASSIFICATION, TASK_CAUSAL_LM, TASK_EMBEDDING)
# tasks whose prediction is a token of the vocabulary at the focus
TOKEN_TASKS = (TASK_MASKED_LM, TASK_CAUSAL_LM)
HEAD_MIXES = ("mean",)
