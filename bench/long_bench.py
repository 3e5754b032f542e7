#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
"""Long inputs: the figures of the README's "Long inputs" targets, medians. Run by bench-long.sh.

    long_bench.py --cli CLI --bench BENCH_LONG --dir DIR [--runs N] [--scipy-runs N] [ROW...]

ROW (default: all) is one of
  rollout-2048   attnflow-cli rollout FILE --layer 12 (the last token), n = 2048: time, peak RSS
  flow-2048      attnflow-cli flow FILE --layer 12, n = 2048: time, peak RSS
  stream-2048    attnflow-cli rollout FILE --position all --layer 12 --format csv, n = 2048: time
                 to the first data row, to the end, and from closing the pipe after the first row
                 to the process's exit
  long-4096      n = 4096: attnflow-cli validate (load), rollout and flow of the last token (time,
                 peak RSS), and bench-long in one process (graph, click, flow progress, cancels)
  every-node     the flow of every node of every layer (bench-long --every-node), 12 x 12 heads,
                 n = 128 and 256
  scipy-256      flow of the top-layer [CLS] node, n = 256, 12 x 12 heads: attnflow-cli (whole
                 process) against scipy's Dinic in this process on the same file (GlobEnc's
                 approach: capacities times 1e7 as integers, one maximum_flow per input token)
Whole-process figures are medians over RUNS runs of one process each (wall time from fork to
exit; peak RSS from wait4). The inputs are made by gen-attention.py in DIR.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROWS = ["rollout-2048", "flow-2048", "stream-2048", "long-4096", "every-node", "scipy-256"]


def run_process(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd to its end: (wall seconds, CPU seconds of all its threads, peak RSS MiB)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("failed (%d): %s" % (p.returncode, " ".join(cmd)))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def whole(label, cmd, runs, target):
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        w, c, m = run_process(cmd)
        walls.append(w)
        cpus.append(c)
        rss.append(m)
    print("%-34s %8.2f s %8.0f MiB   (median of %d; range %.2f-%.2f s; CPU %.2f s)   target %s"
          % (label, statistics.median(walls), statistics.median(rss), runs, min(walls), max(walls),
             statistics.median(cpus), target))
    sys.stdout.flush()


def stream(cli, path, runs):
    """Time to the first CSV data row, to the end, and the stop after a closed pipe."""
    cmd = [cli, "rollout", path, "--position", "all", "--layer", "12", "--format", "csv"]
    firsts, totals, stops = [], [], []
    for _ in range(runs):
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        header = p.stdout.readline()
        row = p.stdout.readline()
        firsts.append(time.monotonic() - t0)
        if not header.startswith(b"position,layer") or not row:
            sys.exit("unexpected output: %r %r" % (header, row))
        rows = 1
        for _ in p.stdout:
            rows += 1
        p.wait()
        totals.append(time.monotonic() - t0)
        if p.returncode != 0 or rows != 2048 * 2048:
            sys.exit("stream: exit %d, %d rows" % (p.returncode, rows))

        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        p.stdout.readline()
        p.stdout.readline()
        t1 = time.monotonic()
        p.stdout.close()
        p.wait()
        stops.append(time.monotonic() - t1)
    print("%-34s %8.2f s   (median of %d; to the end %.2f s)   target 1 s"
          % ("stream-2048 first CSV row", statistics.median(firsts), runs, statistics.median(totals)))
    print("%-34s %8.3f s   (median of %d)" % ("stream-2048 stop after closed pipe", statistics.median(stops), runs))
    sys.stdout.flush()


def bench_long(bench, path, extra):
    out = subprocess.run([bench] + extra + [path], check=True, stdout=subprocess.PIPE, text=True).stdout
    for line in out.splitlines():
        print("    " + line)
    sys.stdout.flush()


def scipy_side_by_side(cli, path, runs, scipy_runs):
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    walls = []
    values = None
    for _ in range(runs):
        t0 = time.monotonic()
        out = subprocess.run([cli, "flow", path, "--layer", "12", "--position", "0"], check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        walls.append(time.monotonic() - t0)
        values = json.loads(out)["layers"][0]["values"]
    ours = statistics.median(walls)

    # The reference: head mean, residual 0.5 renormalised, one adjacency matrix of the whole
    # layered graph with integer capacities, one Dinic max-flow per input token.
    a = np.load(path[:-len("-npy.json")] + ".npy").astype(np.float64)
    L, H, n, _ = a.shape
    approx = 10000000
    size = (L + 1) * n
    rows, cols, caps = [], [], []
    for l in range(L):
        w = a[l].mean(axis=0)
        aug = 0.5 * w + 0.5 * np.eye(n)
        aug /= aug.sum(axis=1, keepdims=True)
        q, k = np.nonzero(aug)
        rows.append((l + 1) * n + q)       # (l+1, q) -> (l, k)
        cols.append(l * n + k)
        caps.append(np.round(aug[q, k] * approx))
    graph = csr_matrix((np.concatenate(caps).astype(np.int32), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(size, size))
    source = L * n
    times = []
    for _ in range(scipy_runs):
        t0 = time.monotonic()
        ref = np.array([maximum_flow(graph, source, j, method="dinic").flow_value for j in range(n)],
                       dtype=np.float64) / approx
        times.append(time.monotonic() - t0)
    ref /= ref.sum()
    diff = float(np.max(np.abs(ref - np.array(values))))
    theirs = statistics.median(times)
    print("%-34s %8.3f s   (median of %d, whole process)" % ("scipy-256 attnflow-cli flow", ours, runs))
    print("%-34s %8.2f s   (median of %d, in-process: the %d max-flows)"
          % ("scipy-256 scipy Dinic", theirs, scipy_runs, n))
    print("%-34s %8.0fx   target 200x; max |difference| %.1e (integer capacities)"
          % ("scipy-256 speed-up", theirs / ours, diff))
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cli", required=True)
    parser.add_argument("--bench", required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scipy-runs", type=int, default=1)
    parser.add_argument("rows", nargs="*")
    args = parser.parse_args()
    rows = args.rows or ROWS
    for row in rows:
        if row not in ROWS:
            sys.exit("unknown row %s (one of %s)" % (row, " ".join(ROWS)))
    d = args.dir
    c2048 = os.path.join(d, "causal-2048-npy.json")
    c4096 = os.path.join(d, "causal-4096-npy.json")
    runs = args.runs

    print("machine: %d processors, %s; load %s" % (os.cpu_count(), cpu_model(), load()))
    if "rollout-2048" in rows:
        whole("rollout-2048 (whole process)", [args.cli, "rollout", c2048, "--layer", "12"], runs,
              "0.5 s, 600 MB")
    if "flow-2048" in rows:
        whole("flow-2048 (whole process)", [args.cli, "flow", c2048, "--layer", "12"], runs, "5 s, 900 MB")
    if "stream-2048" in rows:
        stream(args.cli, c2048, runs)
    if "long-4096" in rows:
        whole("validate-4096 (whole process)", [args.cli, "validate", c4096], runs, "open 4 s")
        whole("rollout-4096 (whole process)", [args.cli, "rollout", c4096, "--layer", "12"], runs,
              "click 1 s")
        whole("flow-4096 (whole process)", [args.cli, "flow", c4096, "--layer", "12"], max(1, runs // 3),
              "40 s, 2.5 GB")
        print("bench-long causal-4096 (one process):")
        bench_long(args.bench, c4096, ["--repeats", "1", "--cancels", str(max(3, runs))])
    if "every-node" in rows:
        for size in (128, 256):
            print("every-node bert-%d (one process): target %s" % (size, "1.5 s" if size == 128 else "15 s"))
            bench_long(args.bench, os.path.join(d, "bert-%d-npy.json" % size),
                       ["--every-node", "--repeats", str(runs)])
    if "scipy-256" in rows:
        scipy_side_by_side(args.cli, os.path.join(d, "bert-256-npy.json"), max(runs, 5), args.scipy_runs)
    print("load at the end %s" % load())


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "?"


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


if __name__ == "__main__":
    main()
