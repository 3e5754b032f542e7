#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Scale benchmark (BENCHMARKS.md): generates in a temporary folder, with bench/gen-attention.py,
#   bert-512   12x12x512x512 float32 softmax attention (BERT-like heads: [CLS]/[SEP] sinks,
#              diagonal, previous and next token, broad), as .npy and as base64 JSON;
#   gpt-1024   12x12x1024x1024 causal float16 attention (GPT-like: first-token sink,
#              previous token, local, broad), as .npy;
# then, with medians over RUNS runs:
#   - `attnflow-cli validate` and `attnflow-cli info` on each (whole process: time and peak RSS
#     from /usr/bin/time -f '%e %M');
#   - bench/bench-scale (one process): graph, rollout of a click and of the heatmap, flow of every
#     layer at n = 512 with its progress and cancellation latency;
#   - bench/bench-render-scale: the whole graph drawn into a 1280x800 figure (zoomed out) with
#     the renderer's image API, before and after a click;
#   - bench/bench-app-scale (when the GUI is built; under xvfb-run without a display): the
#     application window, from opening or a click to the result drawn, and its memory.
#
#   bench/bench-scale.sh [BUILD_DIR] [RUNS]      defaults: _build 3
# Needs /usr/bin/python3 with numpy. Nothing is written into the repository. With
# BENCH_SCALE_DIR=DIR the inputs are kept in DIR and reused by the next run.
set -euo pipefail
case ${1:-} in -h | --help) sed -n '5,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-_build}
runs=${2:-3}
case $build in /*) ;; *) build=$top/$build ;; esac
ninja -C "$build" src/cli/attnflow-cli bench/bench-scale bench/bench-render-scale >/dev/null
cli=$build/src/cli/attnflow-cli
scale=$build/bench/bench-scale
render=$build/bench/bench-render-scale
app=
if ninja -C "$build" bench/bench-app-scale >/dev/null 2>&1; then
  app=$build/bench/bench-app-scale
fi

if [ -n "${BENCH_SCALE_DIR:-}" ]; then
  tmp=$BENCH_SCALE_DIR
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-bench-scale.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
fi

/usr/bin/python3 "$top/bench/gen-attention.py" "$tmp" bert-512 gpt-1024

median () { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "files: $(cd "$tmp" && ls -l --block-size=M ./*.npy ./*.json | awk '{print $NF "=" $5}' | tr '\n' ' ')"
echo
echo "== whole process: attnflow-cli (median of $runs; peak RSS)"
printf '%-22s %-9s %9s %12s\n' input command time_s peak_RSS_MiB
for input in bert-512-npy bert-512-base64 gpt-1024-npy; do
  for command in validate info; do
    t=(); m=()
    for ((i = 0; i < runs; i++)); do
      /usr/bin/time -o "$tmp/time" -f '%e %M' "$cli" "$command" "$tmp/$input.json" >/dev/null
      read -r e k <"$tmp/time"
      t+=("$e"); m+=("$k")
    done
    printf '%-22s %-9s %9s %12.1f\n' "$input" "$command" \
      "$(printf '%s\n' "${t[@]}" | median)" "$(printf '%s\n' "${m[@]}" | median | awk '{print $1 / 1024}')"
  done
done
echo "payloads: bert-512 12x12x512x512x4 = 144 MiB; gpt-1024 12x12x1024x1024x2 = 288 MiB"

echo
echo "== bert-512 (npy): one process, bench/bench-scale --flow"
"$scale" --flow "$tmp/bert-512-npy.json"
echo
echo "== gpt-1024 (npy, causal float16): one process, bench/bench-scale --flow --cancels 3"
"$scale" --flow --cancels 3 "$tmp/gpt-1024-npy.json"
for input in bert-512 gpt-1024; do
  echo
  echo "== $input: the whole graph zoomed out, bench/bench-render-scale"
  "$render" "$tmp/$input-npy.json"
done
if [ -n "$app" ]; then
  wrap=()
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    wrap=(xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp")
  fi
  # settings in memory; the files it opens go to its own recent list, not the user's
  export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$build/data XDG_DATA_HOME=$tmp
  echo
  echo "== bert-512: the application window (1280x800), bench/bench-app-scale --flow-clicks 3"
  "${wrap[@]}" "$app" --clicks 5 --flow-clicks 3 "$tmp/bert-512-npy.json"
  echo
  echo "== gpt-1024: the application window (1280x800), bench/bench-app-scale"
  "${wrap[@]}" "$app" --clicks 8 "$tmp/gpt-1024-npy.json"
fi
