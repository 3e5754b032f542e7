#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
#
# Takes the README screenshots of the installed application under Xvfb:
#   docs/screenshot.png       the English interface (light)
#   docs/screenshot-ko.png    the Korean interface (light)
#   docs/screenshot-dark.png  dark mode
# It builds into _build-screenshots, installs into a temporary prefix (so the Korean catalogue,
# the compiled schema and the bundled examples are found as after a real install) and runs
# `attnflow` there. Needs xvfb-run, dbus-run-session, xdotool, ImageMagick and a Hangul font
# (fonts-nanum; see build-aux/install-deps.sh).
#
#   build-aux/screenshots.sh [WIDTHxHEIGHT]     default 1200x760
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
size=${1:-1200x760}
width=${size%x*} height=${size#*x}

for tool in xvfb-run dbus-run-session xdotool import convert; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool is not installed" >&2; exit 1; }
done
fc-list :lang=ko family | grep -q . || echo "screenshots.sh: warning: no Hangul font (install fonts-nanum)" >&2

prefix=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-screenshots.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
build=_build-screenshots
if [ -d "$build" ]; then
  meson configure "$build" --prefix="$prefix" >/dev/null
else
  meson setup "$build" --prefix="$prefix" -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C "$build" -j2 >/dev/null
meson install -C "$build" --no-rebuild >/dev/null   # also compiles the schemas in the prefix
[ -x "$prefix/bin/attnflow" ] || { echo "screenshots.sh: the application was not built" >&2; exit 1; }

# shoot NAME KEYS CLICK ENV... : start the app with ENV, wait for its window, size it, press KEYS
# (xdotool key names, space-separated; "" for none), click at CLICK ("X Y" in window
# coordinates; "" for none), save docs/NAME.png
shoot () {
  local name=$1 keys=$2 click=$3; shift 3
  xvfb-run -a -s "-screen 0 $((width + 80))x$((height + 80))x24 -nolisten tcp" \
    dbus-run-session -- env "$@" GSK_RENDERER=cairo GSETTINGS_BACKEND=memory XDG_DATA_HOME="$prefix/share" \
    XDG_DATA_DIRS="$prefix/share:/usr/local/share:/usr/share" \
    bash -c '
      set -eu
      "$1/bin/attnflow" & app=$!
      win=$(timeout 30 xdotool search --sync --onlyvisible --class attnflow | head -n 1)
      xdotool windowsize "$win" "$2" "$3" windowmove "$win" 0 0
      sleep 2
      if [ -n "$5" ]; then xdotool windowfocus --sync "$win" key --delay 300 $5; sleep 1; fi
      if [ -n "$6" ]; then xdotool mousemove --window "$win" $6 click 1; fi
      sleep "${ATTNFLOW_SHOT_DELAY:-4}"   # the computation and redraw
      import -window root -crop "$2x$3+0+0" +repage "$4"
      kill "$app"; wait "$app" 2>/dev/null || true
    ' shot "$prefix" "$width" "$height" "$top/docs/$name.png" "$keys" "$click"
  echo "docs/$name.png"
}

mkdir -p docs
# ko_KR.UTF-8 is often not generated; LANGUAGE=ko with any non-"C" locale selects the catalogue.
kolang=C.UTF-8
locale -a 2>/dev/null | grep -qix 'ko_KR.utf8' && kolang=ko_KR.UTF-8
# The node is selected with the keyboard: Ctrl+G puts the cursor in the graph, on the focus token
# of the top layer, and Return selects it; Ctrl+Page Down steps to the next example.
# English: flow, the third example (the [MASK] of the first bundled pronoun sentence, masked);
# Korean: flow, the first example's top-layer [CLS]; dark: rollout, the same node.
shoot screenshot "ctrl+3 ctrl+Next ctrl+Next ctrl+g Return" "" LANGUAGE=en LANG=C.UTF-8 LC_ALL=C.UTF-8
shoot screenshot-ko "ctrl+3 ctrl+g Return" "" LANGUAGE=ko LANG="$kolang" LC_ALL="$kolang"
shoot screenshot-dark "ctrl+2 ctrl+g Return" "" ADW_DEBUG_COLOR_SCHEME=prefer-dark LANGUAGE=en LANG=C.UTF-8 LC_ALL=C.UTF-8
