#!/usr/bin/env bash
# Runs the whole attnflow test suite: a normal build (GUI tests under Xvfb, and the exporter's
# tests against the real transformers 4.57.6 and 5.17.0, each in a virtual environment inside
# _build-test/tools that pip fills with pinned packages on the first run and that later runs
# reuse), the same suite under AddressSanitizer + UndefinedBehaviorSanitizer, and a bounded
# fuzzing run of the loader.
# Prints "N passed, N failed, N skipped" and exits non-zero on any failure.
#
#   build-aux/test.sh            everything
#   FUZZ_SECONDS=0 build-aux/test.sh   skip the fuzzing run
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

fuzz_seconds=${FUZZ_SECONDS:-60}
jobs=$(nproc 2>/dev/null || echo 2)
passed=0
failed=0
skipped=0
failures=()

# GUI tests run on a display and a session bus of their own even from a desktop session: each
# starts a private Xvfb (attn_gtk_test_init() in tests/gtk/gtk-test-util.c), where no window
# manager places their windows and the desktop's settings (dark style) do not reach them, and
# all share one dbus-run-session. The desktop's display is used only where Xvfb is missing.
wrap=()
if ! command -v Xvfb >/dev/null && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  if [ "${CI:-}" = true ]; then
    echo "CI=true and no display and no Xvfb: GUI tests cannot run" >&2
    exit 1
  fi
fi
if command -v dbus-run-session >/dev/null; then
  wrap+=(env -u DBUS_SESSION_BUS_ADDRESS dbus-run-session --)
fi

count_results () {
  # $1: the build directory; adds its testlog.json results to the totals
  local log="$1/meson-logs/testlog.json"
  [ -f "$log" ] || { failed=$((failed + 1)); failures+=("$1: no test log"); return; }
  local counts
  counts=$(python3 - "$log" <<'PY'
import json, sys
p = f = s = 0
names = []
for line in open(sys.argv[1]):
    line = line.strip()
    if not line:
        continue
    r = json.loads(line)
    res = r.get("result")
    if res in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif res == "SKIP":
        s += 1
    else:
        f += 1
        names.append(r.get("name", "?"))
print(p, f, s, ",".join(names))
PY
)
  read -r p f s names <<<"$counts"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  [ "$f" -gt 0 ] && failures+=("$1: $names")
  return 0
}

run_suite () {
  # $1: build dir, rest: meson setup options
  local dir="$1"; shift
  echo "=== $dir: meson setup $*"
  if [ ! -d "$dir" ]; then
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; failed=$((failed + 1)); failures+=("$dir: setup"); return; }
  else
    # an option this build folder does not know yet (meson_options.txt grew) needs --reconfigure
    meson configure "$dir" "$@" >/dev/null 2>&1 ||
      meson setup --reconfigure "$dir" "$@" >"$dir.setup.log" 2>&1 ||
      { cat "$dir.setup.log"; failed=$((failed + 1)); failures+=("$dir: setup"); return; }
  fi
  if ! ninja -C "$dir" -j "$jobs" >"$dir.build.log" 2>&1; then
    tail -n 60 "$dir.build.log"
    failed=$((failed + 1)); failures+=("$dir: build")
    return
  fi
  "${wrap[@]}" meson test -C "$dir" --print-errorlogs --num-processes "$jobs" \
    --timeout-multiplier "${TIMEOUT_MULTIPLIER:-3}"
  count_results "$dir"
}

export CI=${CI:-}
run_suite _build-test -Dbuildtype=debugoptimized -Dexporter_venv_tests=true

# A test that drops to "nobody" (root refuses nothing) still runs LeakSanitizer, which must read
# the suppressions: from a clone in a 0700 home folder it cannot, so it reads a world-readable copy.
lsan_supp=$(mktemp "${TMPDIR:-/tmp}/attnflow-lsan.XXXXXX")
trap 'rm -f "$lsan_supp"' EXIT
cp build-aux/lsan.supp "$lsan_supp"
chmod 644 "$lsan_supp"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_odr_violation=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions="$lsan_supp":print_suppressions=0
# -O1, as AddressSanitizer's documentation advises: the same checks, and the suite runs in about
# 300 s instead of 480 s at -O0 (GUI tests, flow and the renderer's sweeps are CPU-bound)
run_suite _build-asan -Dbuildtype=debug -Doptimization=1 -Db_sanitize=address,undefined -Db_lundef=false
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

if [ "$fuzz_seconds" != 0 ] && [ -x build-aux/fuzz.sh ]; then
  echo "=== fuzzing the loader for ${fuzz_seconds}s"
  if build-aux/fuzz.sh "$fuzz_seconds"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failures+=("fuzz-loader")
  fi
fi

for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
