#!/usr/bin/env bash
# IDEC clustering-stage speed against the PyTorch reference, interleaved in one run: ROUNDS x (ours, torch) with the
# order alternating. Both run a fixed number of IDEC iterations (tolerance 0, so both do the same work: T=140, batch
# 256, Adam, gamma 0.1) on mnist-10k. Per-iteration time of the loop only: ours from the elapsed times of the first
# and last target update in the progress lines (k-means initialisation excluded), torch from idec_seconds.
# usage: docs/plots/idec-stage-vs-torch.sh [ROUNDS=3] [ITERATIONS=1400]   (from the repository root, after mvn package)
set -euo pipefail
rounds=${1:-3}; iters=${2:-1400}
data=../shared/data/mnist-10k.arff.gz; ref=../shared/reference/pytorch
jar=${JAR:-core/target/deep-clustering.jar}; out=$(mktemp -d)
java -jar "$jar" benchmark --data "$data" -m ae-kmeans --scaling NONE --pretrain-epochs 1 --save-pretrained "$out/pre.zip" > /dev/null 2>&1
ours() {
  java -jar "$jar" benchmark --data "$data" -m idec --scaling NONE --pretrained "$out/pre.zip" --verbose \
    --set maxIterations="$iters" --set tolerance=0 > /dev/null 2> "$out/ours.err"
  # "clustering epoch R/M ... (E s)": round R ends at iteration R*140
  python3 - "$out/ours.err" <<'PY'
import re, sys
pts = [(int(m.group(1)), float(m.group(2))) for m in re.finditer(r"clustering epoch (\d+)/\d+ .*\(([\d.]+) s\)", open(sys.argv[1]).read())]
(r0, t0), (r1, t1) = pts[0], pts[-1]
print("%.5f" % ((t1 - t0) / ((r1 - r0) * 140)))
PY
}
torch() {
  (cd "$ref" && /usr/bin/python3 torch_ref.py "$OLDPWD/$data" --pretrain-epochs 1 --maxiter "$iters" --tol 0 \
     --threads 1 --blas-threads 2 --out "$out/torch.json" > /dev/null 2>&1)
  python3 -c "import json; d=json.load(open('$out/torch.json')); print('%.5f' % (d['idec_seconds'] / d['idec_iterations']))"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then o=$(ours); t=$(torch); else t=$(torch); o=$(ours); fi
  echo "{\"benchmark\":\"idec-stage\",\"round\":$r,\"iterations\":$iters,\"ours_s_per_iteration\":$o,\"torch_s_per_iteration\":$t,\"ratio\":$(python3 -c "print(round($o/$t,3))")}"
done
rm -rf "$out"
