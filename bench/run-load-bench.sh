#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Loading benchmark (BENCHMARKS.md): generates in a temporary folder a 12x12x512x512
# float32 export as .npy and as base64, and a 12x12x128x128 export as nested JSON
# arrays, then loads each RUNS times (a fresh bench-load process each time) and
# prints the median time and the median peak resident memory against the payload.
#
#   bench/run-load-bench.sh [BUILD_DIR] [RUNS]      defaults: _build 5
# Needs /usr/bin/python3 with numpy. Nothing is written into the repository.
set -euo pipefail
case ${1:-} in -h | --help) sed -n '5,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-_build}
runs=${2:-5}
case $build in /*) ;; *) build=$top/$build ;; esac
ninja -C "$build" bench/bench-load >/dev/null
exe=$build/bench/bench-load

tmp=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-bench-load.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

/usr/bin/python3 - "$tmp" <<'PY'
import base64, json, os, sys
import numpy as np

out = sys.argv[1]
rng = np.random.default_rng(1)

def attention(L, H, n, dtype):
    a = rng.random((L, H, n, n), dtype=np.float32)
    a /= a.sum(axis=-1, keepdims=True)
    return a.astype(dtype)

def tokens(n):
    return ["[CLS]"] + ["tok%d" % i for i in range(n - 2)] + ["[SEP]"]

big = attention(12, 12, 512, np.float32)
np.save(os.path.join(out, "big.npy"), big)
with open(os.path.join(out, "npy-512.json"), "w") as f:
    json.dump({"id": "npy", "tokens": tokens(512), "attention": {"npy": "big.npy"}}, f)
with open(os.path.join(out, "base64-512.json"), "w") as f:
    f.write('{"id": "b64", "tokens": %s, "attention": {"dtype": "float32", '
            '"shape": [12, 12, 512, 512], "base64": "' % json.dumps(tokens(512)))
    f.write(base64.b64encode(big.tobytes()).decode())
    f.write('"}}\n')
del big
small = attention(12, 12, 128, np.float64)
with open(os.path.join(out, "nested-128.json"), "w") as f:
    json.dump({"id": "nested", "tokens": tokens(128), "attention": small.tolist()}, f)
PY

payload_512=$((12 * 12 * 512 * 512 * 4))
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "files: $(cd "$tmp" && ls -l --block-size=M big.npy npy-512.json base64-512.json nested-128.json | awk '{print $NF "=" $5}' | tr '\n' ' ')"
printf '%-16s %10s %14s %10s\n' case median_s peak_rss_MB x_payload

for case in npy-512 base64-512 nested-128; do
  times=()
  rss=()
  for ((i = 0; i < runs; i++)); do
    line=$("$exe" "$tmp/$case.json")
    times+=("$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<<"$line")")
    rss+=("$(sed 's/.*peak_rss_kb=\([0-9]*\).*/\1/' <<<"$line")")
  done
  median_t=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  median_r=$(printf '%s\n' "${rss[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  if [ "$case" = nested-128 ]; then
    payload=$((12 * 12 * 128 * 128 * 8))
  else
    payload=$payload_512
  fi
  awk -v c="$case" -v t="$median_t" -v r="$median_r" -v p="$payload" \
    'BEGIN { printf "%-16s %10s %14.1f %10.2f\n", c, t, r / 1024, r * 1024 / p }'
done
echo "payload: 12x12x512x512 float32 = $((payload_512 / 1048576)) MiB; nested 12x12x128x128 stored as float64"
