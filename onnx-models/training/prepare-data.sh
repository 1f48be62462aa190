#!/usr/bin/env bash
# Recreates the image folders the bundled default encoder was trained and evaluated on, from
# Debian 12 (bookworm) packages, byte for byte: each file is copied unchanged out of its package,
# and data-list.tsv (beside this script) gives every file's SHA-256, which this script checks.
#
#   onnx-models/training/prepare-data.sh OUT_DIR
#
# writes OUT_DIR/train (training images) and OUT_DIR/heldout (photos kept out of training; the
# evaluation sequences are made from them). Needs apt-get (download only: nothing is installed)
# and dpkg-deb. Licences: see data-list.tsv and the model card (cropmae-tiny-g2l.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: prepare-data.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$out/.packages"
mkdir -p "$work/debs" "$out/train" "$out/heldout"
packages=(
  plasma-workspace-wallpapers=4:5.27.5-2
  mate-backgrounds=1.26.0-1
  ukui-wallpapers=20.04.3-1.1
  sway-backgrounds=1.7-6
  lomiri-wallpapers=20.04.0-2
  lomiri-wallpapers-16.04=20.04.0-2
  lomiri-wallpapers-20.04=20.04.0-2
  python3-skimage=0.19.3-8
)
(cd "$work/debs" && apt-get download "${packages[@]}" >/dev/null)
for deb in "$work"/debs/*.deb; do
  name=$(basename "$deb" | cut -d_ -f1)
  mkdir -p "$work/x/$name"
  dpkg-deb -x "$deb" "$work/x/$name"
done
# data-list.tsv: split <TAB> sha256 <TAB> package <TAB> path inside the package
while IFS=$'\t' read -r split sha pkg path; do
  [[ "$split" == "#"* || -z "$split" ]] && continue
  src="$work/x/$pkg/$path"
  dst="$out/$split/$pkg--$(echo "$path" | sed 's|^usr/share/||; s|/|_|g')"
  cp "$src" "$dst"
  echo "$sha  $dst" | sha256sum -c --quiet - || { echo "prepare-data: checksum mismatch for $pkg $path" >&2; exit 1; }
done < "$here/data-list.tsv"
rm -rf "$work"
echo "train: $(ls "$out/train" | wc -l) images, heldout: $(ls "$out/heldout" | wc -l) images in $out"
