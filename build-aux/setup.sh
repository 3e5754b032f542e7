#!/usr/bin/env bash
# One command for a newcomer: install the dependencies, build, and open the app on the bundled
# examples (or, without a display, print a summary of them with attnflow-cli).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

build-aux/install-deps.sh
[ -d _build ] || meson setup _build -Dbuildtype=debugoptimized
ninja -C _build

if [ -x _build/src/gtk/attnflow ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  exec meson devenv -C _build attnflow "$@"
else
  for f in data/examples/*.json; do
    _build/src/cli/attnflow-cli info "$f"
  done
fi
