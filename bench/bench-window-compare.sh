#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# The window's benchmark (bench/bench-window.sh) on an older commit and on this tree, one after
# the other on the same inputs: the before/after table of BENCHMARKS.md "One scene".
# The older commit is checked out (git worktree, detached) and built (debugoptimized) in
# _build-before/ inside this checkout; this tree's build is BUILD_DIR.
#
#   bench/bench-window-compare.sh [BEFORE_COMMIT] [BUILD_DIR]
#       defaults: 6612441^ (the commit before the shared scene), _build
set -euo pipefail
case ${1:-} in -h | --help) sed -n '5,/^set -e/{/^set -e/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;; esac

top=$(cd "$(dirname "$0")/.." && pwd)
before=${1:-6612441^}
build=${2:-_build}
case $build in /*) ;; *) build=$top/$build ;; esac
tree=$top/_build-before

if [ ! -d "$tree" ]; then
  git -C "$top" worktree add --detach "$tree" "$before" >/dev/null
else
  git -C "$tree" checkout -q --detach "$before"
fi
[ -d "$tree/_build" ] || meson setup "$tree/_build" "$tree" -Dbuildtype=debugoptimized >/dev/null
ninja -C "$tree/_build" bench/bench-app-scale data/gschemas.compiled >/dev/null
[ -d "$build" ] || meson setup "$build" "$top" -Dbuildtype=debugoptimized >/dev/null
ninja -C "$build" bench/bench-app-scale data/gschemas.compiled >/dev/null

inputs=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-bench-window.XXXXXX")
trap 'rm -rf "$inputs"' EXIT
export BENCH_SCALE_DIR=$inputs
echo "=== before: $(git -C "$tree" rev-parse --short HEAD)"
"$top/bench/bench-window.sh" "$tree/_build"
echo
echo "=== after: $(git -C "$top" rev-parse --short HEAD)"
"$top/bench/bench-window.sh" "$build"
