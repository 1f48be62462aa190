#!/usr/bin/env bash
# Scores encoders on the held-out evaluation clips: the bundled demo clip plus synthetic clips made
# by 'cropmae synthesize-clips' from the held-out photos of prepare-data.sh (never trained on).
#
#   onnx-models/training/evaluate.sh DATA_DIR WORK_DIR NAME=MODEL.onnx|NAME=rgb16 ...
#
# The benchmark is 6 clips of seed 7 (the model card's table); CLIPS=N SEED=S in the environment make
# another set (use a new WORK_DIR: the clips are made once per WORK_DIR and reused).
#
# DATA_DIR is prepare-data.sh's output. For each NAME, propagates the first mask of every clip
# with 'cropmae propagate' (default DAVIS protocol) and scores the masks with 'cropmae davis-eval';
# prints one JSON line per NAME (J&F-Mean, J-Mean, F-Mean over all clips) and writes
# WORK_DIR/<NAME>/global_results-val.csv and per-sequence_results-val.csv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
data="${1:?usage: evaluate.sh DATA_DIR WORK_DIR NAME=MODEL ...}"; work="${2:?}"; shift 2
cropmae() { java -Xmx8g -jar "$root/src/target/cropmae.jar" "$@"; }
clips="$work/clips"
if [[ ! -f "$clips/ImageSets/2017/val.txt" ]]; then
  cropmae synthesize-clips --photos "$data/heldout" --out "$clips" --count "${CLIPS:-6}" --frames 16 --seed "${SEED:-7}" >&2
  demo="$root/src/main/resources/org/cropmae/app/demo"
  mkdir -p "$clips/JPEGImages/480p/demo-blobs" "$clips/Annotations/480p/demo-blobs"
  cp "$demo"/frames/*.jpg "$clips/JPEGImages/480p/demo-blobs/"
  cp "$demo"/masks/*.png "$clips/Annotations/480p/demo-blobs/"
  echo "demo-blobs" >> "$clips/ImageSets/2017/val.txt"
fi
for spec in "$@"; do
  name="${spec%%=*}"; model="${spec#*=}"
  out="$work/$name"; rm -rf "$out"; mkdir -p "$out"
  while read -r seq; do
    [[ -z "$seq" ]] && continue
    if [[ "$model" == rgb* ]]; then source=(--raw-patches "${model#rgb}"); else source=(--model "$model"); fi
    cropmae propagate "${source[@]}" --frames "$clips/JPEGImages/480p/$seq" \
      --mask "$clips/Annotations/480p/$seq/00000.png" --out "$out/$seq" > /dev/null 2>&1
  done < "$clips/ImageSets/2017/val.txt"
  cropmae davis-eval --davis-root "$clips" --results "$out" --out "$out/scores.json" > /dev/null
  python3 - "$name" "$out/scores.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))
g = s.get("global", s)
print(json.dumps({"name": sys.argv[1], **{k: g[k] for k in g if k in ("J&F-Mean", "J-Mean", "F-Mean")}}))
PY
done
