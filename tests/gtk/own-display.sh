#!/usr/bin/env bash
# Runs one GUI test program ("$@") on an X display of its own: a private Xvfb, started here and
# stopped when the test ends. Tests run two at a time; on one shared display, one test's clipboard
# owner took another's text between its copy and its check, and a window of one mapping under the
# pointer another had moved started a GTK 4.8 tooltip timer that outlived its window (a critical,
# fatal in tests). Without Xvfb the test runs on the display it was given, if any (it skips
# without one, or fails with CI=true).
set -u

if ! command -v Xvfb >/dev/null; then
  exec "$@"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/attnflow-display.XXXXXX") || exit 1
xvfb=
stop () {
  [ -n "$xvfb" ] && kill "$xvfb" 2>/dev/null && wait "$xvfb" 2>/dev/null
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 143' TERM INT

# -displayfd: Xvfb picks a free display number itself and writes it once it accepts clients
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$dir/display" 2>"$dir/log" &
xvfb=$!
for _ in $(seq 200); do
  [ -s "$dir/display" ] && break
  kill -0 "$xvfb" 2>/dev/null || break
  sleep 0.05
done
display=$(head -n 1 "$dir/display" 2>/dev/null)
if [ -z "$display" ]; then
  echo "own-display.sh: Xvfb did not start:" >&2
  cat "$dir/log" >&2
  exit 1
fi

env -u WAYLAND_DISPLAY DISPLAY=":$display" GDK_BACKEND=x11 "$@"
