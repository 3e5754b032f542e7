#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Memory near the data: the peak resident memory of `attnflow-cli validate` (the
# whole process, from /usr/bin/time) on the inputs that used to cost far more than
# their size, against that size:
#   - one example with 1 000 000 prediction candidates (~43 MB of JSON);
#   - one example with 1 000 000 references (n = 2; ~31 MB);
#   - 100 000 small examples (~7.4 MB);
#   - six examples sharing one 12x12x512x512 float32 .npy (151 MB).
# Generates them in a temporary folder, runs each RUNS times and prints medians.
#
#   bench/bench-memory.sh [BUILD_DIR] [RUNS]      defaults: _build 5
# Needs /usr/bin/python3 with numpy and /usr/bin/time. Nothing is written into the repository.
set -euo pipefail
case ${1:-} in -h | --help) sed -n '5,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-_build}
runs=${2:-5}
case $build in /*) ;; *) build=$top/$build ;; esac
ninja -C "$build" src/cli/attnflow-cli >/dev/null
cli=$build/src/cli/attnflow-cli

tmp=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-bench-memory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp" <<'PY'
import json, os, sys
import numpy as np

out = sys.argv[1]
with open(os.path.join(out, "candidates.json"), "w") as f:
    f.write('{"tokens": ["a", "b"], "attention": [[[[0.5, 0.5], [0.5, 0.5]]]], '
            '"prediction": {"label": "w0", "candidates": [')
    f.write(",".join('{"label": "w%d", "probability": 0.000001}' % i for i in range(1000000)))
    f.write("]}}\n")
with open(os.path.join(out, "references.json"), "w") as f:
    f.write('{"tokens": ["a", "b"], "attention": [[[[0.5, 0.5], [0.5, 0.5]]]], "references": {')
    f.write(",".join('"method-%07d": [0.25, -0.75]' % i for i in range(1000000)))
    f.write("}}\n")
with open(os.path.join(out, "small-examples.json"), "w") as f:
    f.write('{"format": "attnflow", "version": 1, "examples": [')
    f.write(",".join('{"id": "ex-%06d", "tokens": ["a", "b"], '
                     '"attention": [[[0.5, 0.5], [0.5, 0.5]]]}' % i for i in range(100000)))
    f.write("]}\n")
rng = np.random.default_rng(0)
a = rng.random((12, 12, 512, 512), dtype=np.float32)
a /= a.sum(axis=-1, keepdims=True)
np.save(os.path.join(out, "shared.npy"), a)
tokens = ["t%d" % i for i in range(512)]
with open(os.path.join(out, "shared-npy.json"), "w") as f:
    json.dump({"format": "attnflow", "version": 1, "examples": [
        {"id": "s%d" % i, "tokens": tokens, "attention": {"npy": "shared.npy"}} for i in range(6)]},
        f)
PY

mib () { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
median () { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %10s %10s %10s %12s %s\n' input file_MiB peak_MiB x_file median_s target
for case in candidates references small-examples shared-npy; do
  file=$tmp/$case.json
  size=$(stat -c %s "$file")
  [ "$case" = shared-npy ] && size=$(stat -c %s "$tmp/shared.npy")
  peaks=() times=()
  for ((i = 0; i < runs; i++)); do
    line=$( { /usr/bin/time -f "%M %e" "$cli" validate "$file" >/dev/null; } 2>&1 | tail -n 1)
    peaks+=("${line% *}")
    times+=("${line#* }")
  done
  peak_kb=$(printf '%s\n' "${peaks[@]}" | median)
  time_s=$(printf '%s\n' "${times[@]}" | median)
  if [ "$case" = shared-npy ]; then
    target="< 1.5x the .npy + 64 MiB ($(mib $((size * 3 / 2 + 64 * 1048576))) MiB)"
  else
    target="< 4x the file"
  fi
  printf '%-16s %10s %10s %10s %12s %s\n' "$case" "$(mib "$size")" "$(mib $((peak_kb * 1024)))" \
    "$(awk -v p="$peak_kb" -v s="$size" 'BEGIN { printf "%.2f", p * 1024 / s }')" "$time_s" "$target"
done
echo "(shared-npy: x_file is against the .npy; the JSON is 24 KiB)"
