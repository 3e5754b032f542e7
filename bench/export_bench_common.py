# export_bench_common.py: what bench-export-memory.py and bench-export-contributions.py share
#
# Copyright 2026 The attnflow authors
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import subprocess
import sys
import time


def help_and_exit(path, lines):
    """On -h or --help, prints the first comment lines of the script at path and exits."""
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        with open(path, encoding="utf-8") as own:
            print("".join(line[2:] for line in own.readlines()[1:lines] if line.startswith("#")))
        sys.exit(0)


def run(argv):
    """Runs argv; returns its wall time in seconds and its peak resident memory in MiB."""
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if status != 0:
        sys.exit("failed (status %d): %s\n%s" % (status, " ".join(argv), err))
    return time.monotonic() - started, usage.ru_maxrss / 1024.0


def built_model(tmp, build):
    """Makes the folder model in tmp, has build(folder) fill it and returns its path."""
    model = os.path.join(tmp, "model")
    os.mkdir(model)
    build(model)
    return model
