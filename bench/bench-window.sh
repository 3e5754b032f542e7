#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# The application window on long inputs (bench/bench-app-scale, 1280x800, under xvfb-run when
# there is no display), from the action to the result drawn:
#   bert-128   open, re-renders (a new colour map), rollout and flow clicks on the top layer;
#   bert-512   the same;
#   gpt-1024   open, re-renders, rollout clicks, and the process's peak memory;
#   causal-2048  (12 layers, head-mixed float16, causal) open to the first figure drawn (its
#              rollout view fills in layer by layer) and to the whole, re-renders, rollout
#              clicks, one flow click (first progress, the heatmap's first layers, drawn).
# Inputs from bench/gen-attention.py in a temporary folder (BENCH_SCALE_DIR=DIR keeps them in
# DIR and reuses them, shared with bench/bench-scale.sh). Prints the machine and its load.
#
#   bench/bench-window.sh [BUILD_DIR]      default _build
# BENCH_WINDOW_INPUTS="causal-2048 ..." runs only those inputs.
# BUILD_DIR may be the build of another checkout (an older commit, to compare): its
# bench-app-scale runs, and the commit printed is that checkout's.
set -euo pipefail
case ${1:-} in -h | --help) sed -n '5,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-_build}
case $build in /*) ;; *) build=$top/$build ;; esac
ninja -C "$build" bench/bench-app-scale >/dev/null
app=$build/bench/bench-app-scale

if [ -n "${BENCH_SCALE_DIR:-}" ]; then
  tmp=$BENCH_SCALE_DIR
  mkdir -p "$tmp"
else
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-bench-window.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
fi
inputs=${BENCH_WINDOW_INPUTS:-bert-128 bert-512 gpt-1024 causal-2048}
# shellcheck disable=SC2086
/usr/bin/python3 "$top/bench/gen-attention.py" "$tmp" $inputs

wrap=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  wrap=(xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp")
fi
# settings in memory; the files it opens go to its own recent list, not the user's
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$build/data XDG_DATA_HOME=$tmp

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
# the commit of the tree the build was configured from (a build of an older commit may be run
# with this script, to compare)
src=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["directories"]["source"])' \
        "$build/meson-info/meson-info.json" 2>/dev/null || echo "$top")
echo "commit: $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?'), build: $build"
for run in "bert-128 --rerenders 5 --clicks 9 --flow-clicks 5" \
           "bert-512 --rerenders 5 --clicks 5 --flow-clicks 3" \
           "gpt-1024 --rerenders 5 --clicks 8" \
           "causal-2048 --rerenders 3 --clicks 5 --flow-clicks 1"; do
  read -r input options <<<"$run"
  case " $inputs " in *" $input "*) ;; *) continue ;; esac
  echo
  echo "== $input: bench/bench-app-scale $options (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086
  "${wrap[@]}" "$app" $options "$tmp/$input-npy.json"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
