#!/usr/bin/env bash
# GPU measurements for the CUDA build (docs/gpu.md). NOT RUN YET: no GPU was available to this project so far.
#
# Measures, in one run, on one machine:
#  (a) first-start vs second-start time of nd4j-cuda-11.6 (its kernels ship as PTX for compute_86 only, so on Hopper
#      (sm_90) the driver JIT-compiles them at the first start and caches them in CUDA_CACHE_PATH);
#  (b) pretraining seconds/epoch on mnist-10k and mnist-70k, GPU (portable ND4J engine on nd4j-cuda) vs the CPU build
#      (native engine) on the same machine; s/epoch = (t(E2 epochs) - t(E1 epochs)) / (E2 - E1), which cancels start-up,
#      data loading, scaling and the k-means step;
#  (c) end-to-end wall time of one method (default IDEC) on mnist-70k with the CUDA build;
#  (d) ONNX Runtime inference throughput, CUDA execution provider vs CPU (onnx-export's InferenceBenchmark).
#
# Needs on the machine: an NVIDIA GPU + driver (nvidia-smi), JDK 17, Maven with access to Maven Central (or a filled
# ~/.m2), the CUDA 11.6 runtime + cuDNN 8 libraries for ND4J (system install, or LD_LIBRARY_PATH), and CUDA 12 +
# cuDNN 9 for onnxruntime_gpu (step d only). The data files mnist-10k.arff.gz / mnist-70k.arff.gz in $DATA.
# This workplace's H200 device machine (see /work/.library/device/) has NO network, no Maven/JDK listed and CUDA 13
# only, and carries at most 64 MiB: the 600 MB nd4j-cuda jar cannot be brought there. Use a GPU host with network.
#
# Usage: DATA=../shared/data docs/gpu/run-gpu-benchmarks.sh [OUTDIR]     (from the repository root)
# Knobs (env): SKIP_BUILD=1 (jars already built: $OUTDIR/cpu, $OUTDIR/cuda), E1=1 E2=3 (epochs for (b)),
#              METHOD=idec, E2E_PRETRAIN=20 (pretraining epochs of (c)), SKIP_CPU70K=1, SKIP_ORT=1.
set -euo pipefail
OUT=${1:-${OUT:-gpu-results}}
DATA=${DATA:-../shared/data}
E1=${E1:-1}; E2=${E2:-3}; METHOD=${METHOD:-idec}; E2E_PRETRAIN=${E2E_PRETRAIN:-20}
mkdir -p "$OUT"
LOG="$OUT/gpu-benchmarks.log"; RES="$OUT/results.tsv"
exec > >(tee -a "$LOG") 2>&1
log() { echo "[$(date +%H:%M:%S)] $*"; }
now() { date +%s.%N; }
fail() { echo "PRECONDITION FAILED: $*" >&2; exit 3; }

# ---- preflight: fail in seconds, not after a build
command -v nvidia-smi >/dev/null || fail "no nvidia-smi: no NVIDIA driver/GPU"
nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total --format=csv | tee "$OUT/gpu.csv"
command -v java >/dev/null || fail "no java (JDK 17 needed)"
java -version 2>&1 | head -1
[ -n "${SKIP_BUILD:-}" ] || command -v mvn >/dev/null || fail "no mvn (or set SKIP_BUILD=1 with prebuilt jars)"
for f in mnist-10k.arff.gz mnist-70k.arff.gz; do [ -f "$DATA/$f" ] || fail "missing $DATA/$f"; done
ldconfig -p | grep -q 'libcudart.so.11' || echo "WARNING: no libcudart.so.11 in ldconfig: nd4j-cuda-11.6 needs the CUDA 11.6 runtime (or LD_LIBRARY_PATH)"
ldconfig -p | grep -q 'libcudnn.so.8' || echo "WARNING: no libcudnn.so.8 in ldconfig (ND4J's cuDNN helpers)"
printf 'what\tvariant\tvalue\tunit\n' > "$RES"
res() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" | tee -a "$RES"; }

# ---- build both variants (CPU first, then -Pcuda), keep each runnable jar + lib/ apart
if [ -z "${SKIP_BUILD:-}" ]; then
  for v in cpu cuda; do
    prof=""; [ "$v" = cuda ] && prof="-Pcuda"
    log "build $v"
    mvn -B -q $prof -DskipTests -pl core,onnx-export -am package
    rm -rf "$OUT/$v"; mkdir -p "$OUT/$v"
    cp core/target/deep-clustering.jar "$OUT/$v/"
    cp -r core/target/lib "$OUT/$v/lib"   # manifest Class-Path names only this variant's jars
    (cd onnx-export && mvn -B -q $prof dependency:build-classpath -Dmdep.outputFile="$PWD/../$OUT/$v/onnx-cp.txt")
    cp onnx-export/target/*.jar "$OUT/$v/" 2>/dev/null || true
  done
fi
CPU="$OUT/cpu/deep-clustering.jar"; GPU="$OUT/cuda/deep-clustering.jar"
JOPTS="-Xmx48g -Dorg.slf4j.simpleLogger.defaultLogLevel=info"

# ---- (a) JIT at first start on Hopper: empty cache vs warm cache
export CUDA_CACHE_PATH="$OUT/cuda-cache" CUDA_CACHE_MAXSIZE=4294967296
rm -rf "$CUDA_CACHE_PATH"
for start in first second; do
  t0=$(now)
  java $JOPTS -jar "$GPU" cluster --data digits --method ae-kmeans --hidden 64,32 --pretrain-epochs 1 > "$OUT/jit-$start.txt" 2>&1 \
    || { cat "$OUT/jit-$start.txt"; fail "CUDA build does not start (see above)"; }
  res "digits ae-kmeans 1 epoch wall ($start start)" cuda "$(echo "$(now) - $t0" | bc)" s
done
res "CUDA JIT cache size" cuda "$(du -sm "$CUDA_CACHE_PATH" | cut -f1)" MiB
grep -m1 -i "backend\|portable" "$OUT/jit-first.txt" || true

# ---- (b) pretraining s/epoch, GPU vs CPU, same code, same machine
pretrain() { # variant jar data epochs -> seconds
  local t0; t0=$(now)
  java $JOPTS -jar "$2" cluster --data "$3" --method ae-kmeans --pretrain-epochs "$4" > "$OUT/pre-$1-$(basename "$3")-$4.txt" 2>&1
  echo "$(now) - $t0" | bc
}
for ds in mnist-10k mnist-70k; do
  for v in cuda cpu; do
    [ "$v/$ds" = "cpu/mnist-70k" ] && [ -n "${SKIP_CPU70K:-}" ] && continue
    jar=$GPU; [ $v = cpu ] && jar=$CPU
    t1=$(pretrain $v "$jar" "$DATA/$ds.arff.gz" "$E1"); t2=$(pretrain $v "$jar" "$DATA/$ds.arff.gz" "$E2")
    res "$ds pretraining (default d-500-500-2000-10 network and batch size)" $v "$(echo "scale=3; ($t2 - $t1) / ($E2 - $E1)" | bc)" s/epoch
  done
done

# ---- (c) end to end on mnist-70k, CUDA build
t0=$(now)
java $JOPTS -jar "$GPU" cluster --data "$DATA/mnist-70k.arff.gz" --method "$METHOD" --pretrain-epochs "$E2E_PRETRAIN" > "$OUT/e2e-$METHOD.txt" 2>&1
res "mnist-70k $METHOD end to end ($E2E_PRETRAIN pretraining epochs)" cuda "$(echo "$(now) - $t0" | bc)" s
tail -5 "$OUT/e2e-$METHOD.txt"

# ---- (d) ONNX Runtime: CUDA execution provider vs CPU (onnxruntime_gpu needs CUDA 12 + cuDNN 9)
if [ -z "${SKIP_ORT:-}" ]; then
  OCP="$(ls "$OUT"/cuda/deep-clustering-onnx*.jar | head -1):$(cat "$OUT/cuda/onnx-cp.txt")"
  for ep in cpu cuda; do
    flag=""; [ $ep = cuda ] && flag="--cuda 0"
    java $JOPTS -cp "$OCP" org.deepclustering.onnx.InferenceBenchmark "$DATA/mnist-10k.arff.gz" --batches 1,64,1024 $flag \
      > "$OUT/ort-$ep.jsonl" 2> "$OUT/ort-$ep.err" || { tail -5 "$OUT/ort-$ep.err"; echo "ORT $ep failed"; }
    cat "$OUT/ort-$ep.jsonl"
  done
fi
log "done: $RES"
