#!/usr/bin/env bash
# Convolutional autoencoder pretraining epoch against its PyTorch twin (docs/plots/torch_conv_epoch.py: same layers,
# same parameter count 294,795, MSE, Adam 1e-3, batch 256, reshuffled epochs) on mnist-10k, interleaved in one run:
# ROUNDS x (ours, PyTorch in both thread layouts of 2 cores), the order alternating. The reference per round is
# PyTorch's FASTER layout (conservative). Each side's first epoch (warm-up) is not timed.
# usage: docs/plots/conv-vs-torch.sh [ROUNDS=2] [EPOCHS=2]   (from the repository root, after mvn package)
set -euo pipefail
rounds=${1:-2}; epochs=${2:-2}
data=../shared/data/mnist-10k.arff.gz
cp='core/target/deep-clustering.jar:core/target/lib/*'
ours() {
  java -cp "$cp" org.deepclustering.benchmark.ConvPretrainingBenchmark data="$data" warmup=1 epochs="$epochs" 2>/dev/null \
    | /usr/bin/python3 -c "import json,sys; print(json.loads(sys.stdin.read())['s_per_epoch_median'])"
}
torch() { # $1 torch threads, $2 OpenBLAS threads: median of the epochs after the first
  OPENBLAS_NUM_THREADS=$2 /usr/bin/python3 docs/plots/torch_conv_epoch.py "$data" $((epochs + 1)) "$1" \
    | /usr/bin/python3 -c "import json,sys,statistics; print(statistics.median(json.loads(sys.stdin.read())['torch_conv_s_per_epoch'][1:]))"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then o=$(ours); t1=$(torch 1 2); t2=$(torch 2 1); else t1=$(torch 1 2); t2=$(torch 2 1); o=$(ours); fi
  /usr/bin/python3 -c "
t=min($t1,$t2); print('{\"benchmark\":\"conv-pretraining-epoch\",\"data\":\"mnist-10k\",\"round\":$r,\"epochs\":$epochs,\"ours_s_per_epoch\":%.3f,\"torch_s_per_epoch_1x2\":%.3f,\"torch_s_per_epoch_2x1\":%.3f,\"ratio\":%.3f}' % ($o,$t1,$t2,$o/t))"
done
