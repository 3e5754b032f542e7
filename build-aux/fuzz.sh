#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Fuzzes the attention export loader: builds tests/fuzz/fuzz-loader with clang
# (-fsanitize=fuzzer,address,undefined) in _build-fuzz and runs it for SECONDS
# seconds, seeded with tests/data (good inputs) and tests/data/bad (the bad-input
# catalogue). Exits non-zero when it finds a crash, a leak, undefined behaviour or
# a timeout; the input is saved in _build-fuzz/fuzz-artifacts/ and belongs in
# tests/data/bad/ (with a line in tests/generators/make-test-fixtures.py) as a regression test.
#
#   build-aux/fuzz.sh [SECONDS]      default 60
set -euo pipefail

seconds=${1:-60}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if ! command -v clang >/dev/null; then
  if [ "${CI:-}" = true ]; then
    echo "fuzz.sh: clang is not installed (CI=true: failing)" >&2
    exit 1
  fi
  echo "fuzz.sh: clang is not installed, skipping the fuzzing run" >&2
  exit 0
fi

build=_build-fuzz
if [ ! -f "$build/build.ninja" ]; then
  log=$(mktemp)
  CC=clang CFLAGS="-fsanitize=fuzzer-no-link" \
    meson setup "$build" -Dfuzzing=true -Dgui=disabled -Dbuildtype=debugoptimized \
      -Db_sanitize=address,undefined -Db_lundef=false >"$log" 2>&1 \
    || { cat "$log"; rm -f "$log"; exit 1; }
  rm -f "$log"
fi
ninja -C "$build" -j "$(nproc 2>/dev/null || echo 2)" tests/fuzz/fuzz-loader >/dev/null

corpus=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-fuzz-corpus.XXXXXX")
trap 'rm -rf "$corpus"' EXIT
find tests/data -maxdepth 2 -type f \( -name '*.json' -o -name '*.npy' \) -size -256k \
  -exec cp -t "$corpus" {} +
artifacts="$top/$build/fuzz-artifacts"
mkdir -p "$artifacts"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_odr_violation=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions="$top/build-aux/lsan.supp":print_suppressions=0
export G_DEBUG=gc-friendly

echo "fuzz.sh: fuzzing the loader for ${seconds}s ($(ls "$corpus" | wc -l) seeds)"
if "$build/tests/fuzz/fuzz-loader" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
     -rss_limit_mb=2048 -print_final_stats=1 -dict=tests/fuzz/loader.dict \
     -artifact_prefix="$artifacts/" "$corpus" \
     >"$build/fuzz.log" 2>&1; then
  tail -n 12 "$build/fuzz.log"
  echo "fuzz.sh: no crash in ${seconds}s"
else
  tail -n 60 "$build/fuzz.log"
  echo "fuzz.sh: the fuzzer found a problem; inputs are in $artifacts" >&2
  exit 1
fi
