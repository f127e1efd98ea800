#!/usr/bin/env bash
# Screening of method variants on a generated development set, so that no real set is tuned on:
# faint vessels as the demo's (skd synth vessels --contrast 0.6 --noise 3 --blobs 4) but generated
# with another seed (7) and 128 images (86 train / 10 val / 32 test), width-8 students of depth 3,
# 64², 30 epochs, Adam 3e-3, as `skd demo` trains them. Each variant is trained for every seed and
# scored on the set's test split (development data, never reported as a result), then
# table.py prints each variant against `sup` (paired by seed and by image).
#   bash bench/experiments/screen/run.sh VARIANTS [--seeds N] [--jobs J] [--out DIR]
# VARIANTS: a file with one variant a line, "NAME METHOD [skd train options...]", e.g.
#   sup supervised
#   acw-fw4 acw-skd --option frm-width=4
# (variants.txt here holds the ones screened for issue #10). Runs already scored are kept, so the
# same command again only runs what is missing. Every run uses one libtorch thread; J at a time.
# SKD: the command to run (default ./skd).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
skd=${SKD:-./skd}
variants=${1:?usage: run.sh VARIANTS [--seeds N] [--jobs J] [--out DIR]}; shift
seeds=4; jobs=2; out=runs/screen
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
data=$out/data
[ -f "$data/dataset.json" ] || $skd synth vessels --out "$data" --count 128 --size 64 --seed 7 --contrast 0.6 --noise 3 --blobs 4
mkdir -p "$out/r"

# one NAME SEED METHOD [options...]: trains and scores one run, unless it is scored already.
one() {
  local name=$1 seed=$2 method=$3; shift 3
  local run=$out/r/$name-s$seed
  [ -f "$run/score.json" ] && return 0
  rm -rf "$run"
  $skd train --data "$data" --out "$run" --method "$method" --width 8 --depth 3 --size 64 --epochs 30 --lr 3e-3 \
    --seed "$seed" --threads 1 --grad-norm-every 0 "$@" > "$run.log" 2>&1
  $skd eval --run "$run" --data "$data" --split test --json "$run/score.json" --threads 1 >> "$run.log" 2>&1
  echo "scored $name seed $seed"
}
export -f one; export out data skd

for ((s = 0; s < seeds; s++)); do
  grep -v '^\s*\(#\|$\)' "$variants" | while read -r name method rest; do echo "$name $s $method${rest:+ $rest}"; done
done | xargs -P "$jobs" -L 1 bash -c 'one "$@"' _
python3 "$(dirname "${BASH_SOURCE[0]}")/table.py" "$out/r"
