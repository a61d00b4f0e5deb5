#!/usr/bin/env python3
"""Markdown tables of the quality runs in a JSONL file of the CLI `benchmark` command (docs/benchmarks.md):
one row per data set and method (and repeat, see run_sets), mean ± sd over seeds of ACC / NMI / ARI, clustering-stage
seconds and iterations, peak memory. No numbers are typed in: everything comes from the file.

    python3 docs/plots/tables.py docs/plots/results.jsonl
"""
import json
import statistics
import sys

# Method options whose non-default values make a row of their own: DEKM's round length (the authors use 40 with a
# conv AE), IDEC's weight γ of the clustering term, DCN's step, weight, batch and k-means re-runs (the authors' second
# code's set-up). Whether a run changed them is read from the line's `non_default_parameters`; lines without that
# field (written by builds up to commit 1a1890b) are compared with the defaults each method had then,
# DEFAULTS_OF_OLDER_LINES (per method: the same option name has different defaults in different methods).
MARKED_OPTIONS = {"DEKM": ["updateInterval"], "IDEC": ["gamma"],
                  "DCN": ["learningRate", "lambda", "batchSize", "kmeansRefreshEpochs"]}
DEFAULTS_OF_OLDER_LINES = {"DEKM": {"updateInterval": 10}, "DEC": {"optimizer": "ADAM"},
                           "IDEC": {"gamma": 0.1, "optimizer": "ADAM"},
                           "DCN": {"learningRate": 0.05, "lambda": 0.05, "batchSize": 0, "kmeansRefreshEpochs": 0}}
ORDER = ["AE+KMeans", "AE+KMeans (conv AE)", "AE+GMM", "DCN", "DEC", "IDEC", "DEKM", "DEKM (conv AE)", "DC-Kmeans", "DC-GMM"]


def superseded(r):
    """DC-GMM runs from before the covariance floor became relative to the embedding's variance (2026-12-02): their
    options hold the old absolute `covarianceRegularisation`."""
    return r["algorithm"] == "DC-GMM" and "covarianceRegularisation" in r.get("parameters", {})


def absolute_floor(r):
    """AE+GMM runs from before its covariance floor became relative as DC-GMM's (absolute 1e-5 then)."""
    return r["algorithm"] == "AE+GMM" and "covarianceRegularisation" in r.get("parameters", {})


def em_restarts(r):
    """AE+GMM's EM restarts when not today's default 10 (DC-GMM's; the runs before 2026-12-06 had 5)."""
    if r["algorithm"] != "AE+GMM":
        return ""
    n = r.get("parameters", {}).get("restarts", 10)
    return " (%d EM restarts)" % n if n != 10 else ""


def changed(r, option):
    """Whether the run set a method option to a value other than its default."""
    if "non_default_parameters" in r:
        return option in r["non_default_parameters"]
    defaults = DEFAULTS_OF_OLDER_LINES.get(r["algorithm"], {})
    if option not in defaults:
        return False  # the method has no such option
    return r.get("parameters", {}).get(option, defaults[option]) != defaults[option]


def method_label(r):
    """The algorithm, marked when it ran on the convolutional autoencoder, when it stopped at its iteration cap
    (runs with different caps are then different rows), with the pretraining epochs of its autoencoder where the line
    records them (`autoencoder_epochs`, lines since 2026-12-02 16:00 UTC; older lines: see docs/benchmarks.md),
    with the initial weights when they are not the default Glorot (the DEC-keras recipe's FAN_IN_UNIFORM), with batch
    norm and the layer-wise stage's epochs per layer when the autoencoder had them (DCN's set-up), with the
    clustering stage's optimizer when it is not Adam (DEC/IDEC option `optimizer`, since 2026-12-03), with the
    MARKED_OPTIONS that differ from their defaults, when it is a superseded DC-GMM run or an AE+GMM run with the
    old absolute covariance floor, with AE+GMM's EM restarts when they are not DC-GMM's 10, and with the input
    scaling when it is not NONE (run-quality.sh's default; UNIT_MEAN_SQUARE since 2026-12-07)."""
    # "autoencoder": the architecture actually trained (benchmark lines since 2026-12-02); older lines: the options
    ae = r.get("autoencoder") or r.get("parameters", {}).get("common", {}).get("autoencoder", {})
    capped = (r.get("stop_reason") or "").startswith("maxIterations")
    params = r.get("parameters", {})
    return (r["algorithm"] + (" (conv AE)" if ae.get("imageShape") else "")
            + (" (AE %d epochs)" % r["autoencoder_epochs"] if "autoencoder_epochs" in r else "")
            + (" (%s init)" % ae["weightInit"] if ae.get("weightInit", "GLOROT_UNIFORM") != "GLOROT_UNIFORM" else "")
            + (" (batch norm)" if ae.get("batchNorm") else "")
            + (" (layer-wise %d)" % r["autoencoder_layerwise_epochs"] if r.get("autoencoder_layerwise_epochs") else "")
            + (" (%s %g, momentum %g)" % (params["optimizer"], params["learningRate"], params["momentum"])
               if changed(r, "optimizer") else "")
            + "".join(" (%s %g)" % (name, params[name])
                      for name in MARKED_OPTIONS.get(r["algorithm"], []) if changed(r, name))
            + (" (absolute covariance floor, superseded)" if superseded(r) else "")
            + (" (absolute covariance floor 1e-5)" if absolute_floor(r) else "")
            + em_restarts(r)
            + scaling(r)
            + (" (capped at %s)" % r["clustering_iterations"] if capped else ""))


def scaling(r):
    """The input scaling when it is not NONE (run-quality.sh's default)."""
    name = r.get("parameters", {}).get("common", {}).get("scaling", "NONE")
    return " (scaling %s)" % name if name != "NONE" else ""


def run_sets(rows):
    """The quality runs by (data file, row label), in file order. A configuration run again later (for example on a
    second set of autoencoders of the same length, on another day) is not pooled as extra seeds: in file order, a run
    whose seed already occurs in its row starts a new row, labelled "(repeat 2)", "(repeat 3)", ..."""
    sets = {}
    repeat = {}  # (data, label) -> (repeat number, seeds seen in it)
    for r in rows:
        if "algorithm" not in r or "acc" not in r:
            continue
        key = (r["data"].split("/")[-1], method_label(r))
        number, seeds = repeat.get(key, (1, set()))
        if r["seed"] in seeds:
            number, seeds = number + 1, set()
        seeds.add(r["seed"])
        repeat[key] = (number, seeds)
        sets.setdefault((key[0], key[1] + (" (repeat %d)" % number if number > 1 else "")), []).append(r)
    return sets


def order_key(label):
    base = label.split(" (")[0]
    base = base + " (conv AE)" if " (conv AE)" in label else base
    return (ORDER.index(base) if base in ORDER else 99, label)


def fmt(values, digits=4):
    if len(values) == 1:
        return "%.*f" % (digits, values[0])
    return "%.*f ± %.*f" % (digits, statistics.mean(values), digits, statistics.stdev(values))


def main(path):
    groups = run_sets(json.loads(l) for l in open(path) if l.strip())
    for data in sorted({d for d, _ in groups}):
        print("\n%s\n" % data)
        print("| method | seeds | ACC | NMI | ARI | clustering s | iterations | stopped | peak RSS MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for method in sorted({m for d, m in groups if d == data}, key=order_key):
            g = sorted(groups[(data, method)], key=lambda r: r["seed"])
            stops = sorted({(r.get("stop_reason") or "").split(":")[0].split("(")[0].strip() for r in g} - {""})
            print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                method, ",".join(str(r["seed"]) for r in g), fmt([r["acc"] for r in g]), fmt([r["nmi"] for r in g]),
                fmt([r["ari"] for r in g]), fmt([r["clustering_seconds"] for r in g], 0),
                "/".join(str(r.get("clustering_iterations", "-")) for r in g), "; ".join(stops),
                "/".join("%.0f" % r["peak_rss_mb"] for r in g)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/plots/results.jsonl")
