#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Remakes the figures in docs/figures/ (shown in the README and docs/evaluation.md) with
# attnflow-cli render and correlate --plot.
#
#   docs/figures/make-figures.sh [BUILD_DIR]      (default _build)
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cli=${1:-$top/_build}/src/cli/attnflow-cli
out=$top/docs/figures
bert=$top/data/examples/bert-base-uncased.json
sst2=$top/data/examples/sst2-bert.json
pronouns=$top/data/examples/pronouns-minilm.json

cd "$top"
set -x
"$cli" render "$bert" --view raw --figure graph --example cat-mat --position none --output "$out/graph-raw.png"
"$cli" render "$bert" --view rollout --figure graph --example cat-mat --position none --output "$out/graph-rollout.png"
"$cli" render "$bert" --view flow --figure graph --example cat-mat --position none --output "$out/graph-flow.png"
"$cli" render "$bert" --view rollout --figure graph --example cat-mat --output "$out/graph-rollout-cls.png"
"$cli" render "$bert" --view all --figure heatmap --example cat-mat --values --output "$out/heatmap-all.png"
"$cli" render "$sst2" --view all --figure compare --example sst2-0551 --example sst2-1125 \
  --exclude-special --output "$out/compare-sst2.png"
"$cli" render "$pronouns" --view all --figure compare --example trophy-big --example trophy-small \
  --output "$out/compare-pronouns.png"
# docs/evaluation.md: Spearman's ρ per layer over every weight kind of the MiniLM pronoun set
rel_pronouns=data/examples/pronouns-minilm.json   # relative: the plot's caption names it
"$cli" correlate "$rel_pronouns" --reference gradient --weights all \
  --plot "$out/evaluation-weights-gradient.png" > /dev/null
"$cli" correlate "$rel_pronouns" --reference blankout --weights all \
  --plot "$out/evaluation-weights-blankout.png" > /dev/null
