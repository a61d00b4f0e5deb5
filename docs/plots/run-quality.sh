#!/usr/bin/env bash
# Quality runs of docs/benchmarks.md: for each seed ONE autoencoder is pretrained (and saved), then every method runs
# its clustering stage from that same autoencoder, so the comparison isolates the clustering stage. One JSON line per
# run (the CLI's `benchmark` command) is appended to OUT/results.jsonl; progress lines go to OUT/<method>-s<seed>.err.
#
# usage: docs/plots/run-quality.sh DATA EPOCHS "SEEDS" "METHODS" OUT
#   e.g. docs/plots/run-quality.sh ../shared/data/mnist-10k.arff.gz 50 "0 1 2" "ae-kmeans idec dec dcn dekm dc-kmeans dc-gmm" /tmp/q10k
# environment: JAR (default core/target/deep-clustering.jar), JAVA_OPTS (e.g. -XX:ActiveProcessorCount=1),
#   SCALING (default NONE), OPTS_<method with - as _> extra options for one method, e.g. OPTS_dc_gmm="--set maxIterations=50"
set -euo pipefail
data=$1; epochs=$2; seeds=$3; methods=$4; out=$5
jar=${JAR:-core/target/deep-clustering.jar}
mkdir -p "$out"
for seed in $seeds; do
  pre="$out/pretrained-s$seed.zip"
  for m in $methods; do
    var="OPTS_${m//-/_}"; extra=${!var:-}
    if [ -f "$pre" ]; then source=(--pretrained "$pre"); else source=(--pretrain-epochs "$epochs" --save-pretrained "$pre"); fi
    echo "$(date -u +%H:%M:%S) seed $seed $m $extra" >&2
    # shellcheck disable=SC2086
    java ${JAVA_OPTS:-} -jar "$jar" benchmark --data "$data" --method "$m" --seed "$seed" --scaling "${SCALING:-NONE}" \
      "${source[@]}" --verbose $extra >> "$out/results.jsonl" 2> "$out/$m-s$seed.err" \
      || echo "$(date -u +%H:%M:%S) FAILED: seed $seed $m (see $out/$m-s$seed.err)" >&2
  done
done
