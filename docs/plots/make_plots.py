#!/usr/bin/env python3
"""Draws the benchmark figures of docs/benchmarks.md from docs/plots/results.jsonl (one JSON line per run, as printed
by PretrainingBenchmark, KMeansBenchmark and the CLI `benchmark` command). Writes PNGs into docs/images/.

    /usr/bin/python3 docs/plots/make_plots.py [results.jsonl] [out-dir]

Needs matplotlib (Debian: apt-get install python3-matplotlib). Draws only what the file holds: no numbers are typed in.
"""
import json
import os
import re
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tables import run_sets, superseded  # noqa: E402  (one labelling rule for the tables and the figure)

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    with open(path) as fh:
        return [json.loads(line) for line in fh if line.strip()]


def speed_ratios(rows, out):
    """Bars: our time / reference time (below 1 = faster than the reference)."""
    labels, values = [], []
    pretraining_runs = 0
    for r in rows:
        if r.get("benchmark") == "pretraining-epoch":
            # both sides train the autoencoder on the same MNIST rows, interleaved round by round; runs in file order
            pretraining_runs += 1
            labels.append("AE pretraining epoch\nvs PyTorch, run %d" % pretraining_runs)
            values.append(r["ratio"])
        elif r.get("benchmark") == "conv-pretraining-epoch":
            labels.append("conv AE epoch vs\nPyTorch, round %d" % r["round"])
            values.append(r["ratio"])
        elif r.get("benchmark") == "idec-stage":
            labels.append("IDEC stage vs\nPyTorch, round %d" % r["round"])
            values.append(r["ratio"])
        elif r.get("benchmark") == "kmeans":
            labels.append("k-means n_init=%d vs sklearn\n(total)" % r["nInit"])
            values.append(r["ratio"])
            labels.append("k-means vs sklearn\n(per Lloyd iteration)")
            values.append(r["fixedInit"]["ratio"])
    if not values:
        return None
    fig, ax = plt.subplots(figsize=(24, 5.5))
    bars = ax.bar(range(len(values)), values, color=["#4477aa" if v <= 1 else "#cc6677" for v in values])
    ax.axhline(1.0, color="black", lw=1, ls="--")
    ax.set_xticks(range(len(values)), labels, fontsize=7)
    ax.set_ylabel("time ratio, ours / reference")
    ax.set_title("Speed against the reference, same machine, same run")
    for b, v in zip(bars, values):
        ax.text(b.get_x() + b.get_width() / 2, v, "%.2f" % v, ha="center", va="bottom", fontsize=8)
    fig.tight_layout()
    path = os.path.join(out, "speed-ratios.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def accuracy(rows, out):
    """ACC per method and data set: mean over seeds with min-max error bars, one dot per seed. Rows as tables.py's
    (run_sets); superseded DC-GMM runs are left out."""
    groups = defaultdict(list)
    for (data, label), runs in run_sets(rows).items():
        if superseded(runs[0]):
            continue
        label = re.sub(r"AE (\d+) epochs", r"AE \1 ep.", label.replace("absolute covariance floor", "abs. floor")
                       .replace("capped at", "cap").replace("FAN_IN_UNIFORM init", "fan-in init"))
        label = re.sub(r"\(SGD_MOMENTUM ([\d.]+), momentum ([\d.]+)\)", r"(SGD \1/\2 stage)", label)
        label = re.sub(r"\(learningRate ([\d.]+)\) \(lambda ([\d.]+)\) \(batchSize (\d+)\) \(kmeansRefreshEpochs (\d+)\)",
                       r"(lr \1, λ \2, batch \3, k-means every \4)", label)
        groups[(data.split(".arff")[0], label)].extend(r["acc"] for r in runs)
    for r in rows:
        if r.get("benchmark") == "torch-ref" and "ae_km" in r:
            groups[(r["data"].split(".arff")[0], "torch AE+KMeans")].append(r["ae_km"]["acc"])
    if not groups:
        return None
    # one horizontal bar per (data set, method): the labels stay readable however many rows the runs produce
    keys = sorted(groups, reverse=True)
    fig, ax = plt.subplots(figsize=(10, 0.24 * len(keys) + 1.2))
    for i, key in enumerate(keys):
        accs = groups[key]
        m = statistics.mean(accs)
        ax.barh(i, m, color="#88ccee", xerr=[[m - min(accs)], [max(accs) - m]], capsize=2, height=0.7)
        ax.plot(accs, [i] * len(accs), "k.", ms=4)
        ax.text(max(accs) + 0.005, i, "%.3f (%d)" % (m, len(accs)), ha="left", va="center", fontsize=7)
    ax.set_yticks(range(len(keys)), ["%s: %s" % (k[0], k[1]) for k in keys], fontsize=7)
    ax.set_ylim(-0.6, len(keys) - 0.4)
    ax.set_xlim(0.5, 1.0)
    ax.set_xlabel("ACC (bar: mean over seeds, number of seeds in brackets; dots: seeds; whiskers: min-max)")
    ax.set_title("Clustering accuracy; autoencoders pretrained 50 epochs unless marked (conv AE: 20)", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    path = os.path.join(out, "accuracy.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "results.jsonl")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "images")
    os.makedirs(out, exist_ok=True)
    rows = load(src)
    for p in (speed_ratios(rows, out), accuracy(rows, out)):
        if p:
            print("wrote", os.path.relpath(p))


if __name__ == "__main__":
    main()
