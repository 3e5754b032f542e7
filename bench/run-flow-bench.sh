#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Attention flow benchmarks (BENCHMARKS.md), medians:
#  1. bench-flow: synthetic 12 x 12 attention at n = 32, 128, 512 (one top node, every layer at
#     one position, cancel latency at 512) and the real examples (at their focus token);
#     wall-clock and process CPU time;
#  2. side by side at n = 32, whole process: `attnflow-cli flow FILE --position 0 --layer 12` on a
#     base64 export versus the authors' networkx Edmonds-Karp (bench/reference_flow.py, skipped
#     when /usr/bin/python3 lacks numpy or networkx), with the values compared.
#
#   bench/run-flow-bench.sh [BUILD_DIR] [EXTRA FILE:EXAMPLE...]
#      BUILD_DIR defaults to _build; REPEATS, CLI_REPEATS, REF_REPEATS, SIZES, THREADS override
#      the defaults.
set -euo pipefail
case ${1:-} in -h | --help) sed -n '5,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
shift || true
repeats=${REPEATS:-5}
cli_repeats=${CLI_REPEATS:-11}
ref_repeats=${REF_REPEATS:-1}
sizes=${SIZES:-32,128,512}
threads=${THREADS:-0}
python=/usr/bin/python3

if [ ! -d "$build" ]; then
  meson setup "$build" "$top" >/dev/null
fi
ninja -C "$build" -j2 bench/bench-flow src/cli/attnflow-cli >/dev/null

bench=$build/bench/bench-flow
cli=$build/src/cli/attnflow-cli
tmp=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-flow-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "# machine: $(nproc) processors, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# 1. engine (median of $repeats runs each)"
"$bench" --sizes "$sizes" --repeats "$repeats" --threads "$threads" \
  "$top/data/examples/bert-base-uncased.json:rabbit-turtle" \
  "$top/data/examples/bert-base-uncased.json:cat-mat" \
  "$top/data/examples/sst2-bert.json:sst2-0551" \
  "$top/data/examples/sst2-bert.json:sst2-0689" \
  "$top/tests/data/gpt2.json:fox" \
  "$top/tests/data/distilbert-base-uncased.json:fox" \
  "$@"

echo "# 2. side by side, n = 32, 12 layers x 12 heads, base64 float32, node (12, 0), whole process"
if [ ! -x "$python" ]; then
  echo "skipped: $python is missing"
  exit 0
fi

# Runs a command N times and prints the median wall-clock time in ms of the whole process
# (start to exit), timed by one Python process around each fork and exec.
time_runs () {
  local runs=$1 out=$2
  shift 2
  "$python" -c '
import subprocess, sys, time, statistics
runs, out, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
times = []
for _ in range(runs):
    with open(out, "wb") as f:
        t0 = time.monotonic()
        subprocess.run(cmd, stdout=f, check=True)
        times.append(1000 * (time.monotonic() - t0))
print(f"{statistics.median(times):.2f}")
' "$runs" "$out" "$@"
}

export_file=$tmp/synthetic-32.json
"$bench" --export "$export_file" --export-n 32
cli_ms=$(time_runs "$cli_repeats" "$tmp/cli.json" "$cli" flow "$export_file" --position 0 --layer 12)
printf 'attnflow-cli flow:           median %10.2f ms (%d runs)\n' "$cli_ms" "$cli_repeats"

if ! "$python" -c 'import numpy, networkx' 2>/dev/null; then
  echo "reference (networkx):        skipped: $python has no numpy or networkx"
  exit 0
fi
ref_ms=$(time_runs "$ref_repeats" "$tmp/ref.json" "$python" "$top/bench/reference_flow.py" \
  "$export_file" --position 0 --layer 12 --print)
printf 'reference (networkx E-K):    median %10.2f ms (%d runs)\n' "$ref_ms" "$ref_repeats"
printf 'speed-up (whole process):    %10.0fx\n' "$(awk -v a="$ref_ms" -v b="$cli_ms" 'BEGIN { print a / b }')"
"$python" - "$tmp/ref.json" "$tmp/cli.json" <<'EOF'
import json, sys
ref = json.load(open(sys.argv[1]))
cli = json.load(open(sys.argv[2]))["layers"][0]["values"]
diff = max(abs(a - b) for a, b in zip(ref, cli))
print(f"max |attnflow - reference|:  {diff:.2e} over {len(ref)} values")
sys.exit(0 if diff < 1e-9 else 1)
EOF
