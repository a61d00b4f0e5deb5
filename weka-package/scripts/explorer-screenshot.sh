#!/usr/bin/env bash
# Screenshot of the real Weka Explorer clustering with a package clusterer (evidence for docs/weka.md).
# Builds the package zip, installs it into a temporary WEKA_HOME with Weka's package manager, starts the Explorer
# under Xvfb (apt-get install -y xvfb), runs the clusterer on a data set and saves docs/images/weka-explorer-<name>.png.
# Usage (from the repository root): weka-package/scripts/explorer-screenshot.sh [ClassName] ["options"] [data.arff]
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME="${1:-AutoencoderKMeans}"
OPTS="${2:--N 3 -S 1 -hidden 32 -embedding 3 -pretrain-epochs 50 -pretrain-batch 32}"
DATA="${3:-../shared/data/iris.arff}"
command -v xvfb-run >/dev/null || { echo "xvfb-run not found: apt-get install -y xvfb" >&2; exit 1; }
mvn -B -q -o -pl weka-package -am package -DskipTests  # also compiles the test classes
M=weka-package/target
WEKA_CP="$(cat $M/weka-classpath.txt)"
HOME_DIR="$(mktemp -d)"
trap 'rm -rf "$HOME_DIR"' EXIT
export WEKA_HOME="$HOME_DIR/wekafiles"
java -Djava.awt.headless=true -Duser.home="$HOME_DIR" -cp "$WEKA_CP" weka.core.WekaPackageManager -offline \
  -install-package "$M/DeepClustering-0.1.0.zip"
OUT="docs/images/weka-explorer-${NAME}.png"
xvfb-run -a -s "-screen 0 1280x900x24" java -Duser.home="$HOME_DIR" -Dweka.packageManager.offline=true \
  -cp "$WEKA_CP:$M/test-classes" weka.clusterers.deepclustering.gui.ExplorerScreenshot \
  "$DATA" "weka.clusterers.$NAME $OPTS" "$OUT"
echo "screenshot: $OUT"
