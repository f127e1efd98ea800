#!/usr/bin/env bash
# Arranges the BRATS sample in ../shared/data/brats-mini as an nnU-Net raw dataset (symbolic
# links, nothing copied): imagesTr/CASE_0000.nii.gz (FLAIR), CASE_0001.nii.gz (T1c),
# labelsTr/CASE.nii.gz (0 background, 1 necrosis, 2 oedema, 3 non-enhancing, 4 enhancing).
#   bash scripts/arrange-brats-mini.sh [OUT]   (default OUT: runs/brats-mini-nnunet)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
src="$(cd ../shared/data/brats-mini 2>/dev/null && pwd)" || { echo "arrange-brats-mini: ../shared/data/brats-mini not found" >&2; exit 1; }
out=${1:-runs/brats-mini-nnunet}
mkdir -p "$out/imagesTr" "$out/labelsTr"
n=0
for case in "$src"/brats_*; do
  name=$(basename "$case")
  ln -sf "$case/Flair_subtrMeanDivStd.nii.gz" "$out/imagesTr/${name}_0000.nii.gz"
  ln -sf "$case/T1c_subtrMeanDivStd.nii.gz" "$out/imagesTr/${name}_0001.nii.gz"
  ln -sf "$case/OTMultiClass.nii.gz" "$out/labelsTr/${name}.nii.gz"
  n=$((n + 1))
done
cat > "$out/dataset.json" <<JSON
{
  "name": "brats-mini",
  "channel_names": {"0": "FLAIR", "1": "T1c"},
  "labels": {"background": 0, "necrosis": 1, "oedema": 2, "non-enhancing tumour": 3, "enhancing tumour": 4},
  "numTraining": $n,
  "file_ending": ".nii.gz"
}
JSON
echo "arranged $n cases in $out"
