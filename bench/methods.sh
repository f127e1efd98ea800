#!/usr/bin/env bash
# Self-KD overhead: each method's training step beside supervised's at the same width (U-Net width 16, depth 4,
# batch 8 of 1x256², Adam, epoch 60 of 100 so that every teacher and ramped term is active), in both memory formats,
# split into the method's loss (student forward + whatever the method adds + its terms), backward and the update.
#   bash bench/methods.sh [--threads N] [--methods a,b,c|all] [--steps K] [--rounds R] [--width W]
# Target (issue 12): dskd and acw-skd steps <= 1.5x supervised's in both formats; exits 1 when one is above.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads=$(nproc); methods=supervised,dskd,acw-skd; steps=3; rounds=2; width=16
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --methods) methods=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --width) width=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bash scripts/install-deps.sh
dotnet build bench/Skd.Bench -c Release --nologo -v quiet -clp:ErrorsOnly >&2
result=$(dotnet bench/Skd.Bench/bin/Release/net10.0/Skd.Bench.dll --suite methods --threads "$threads" --methods "$methods" \
  --steps "$steps" --rounds "$rounds" --width "$width")
echo "$result"
/usr/bin/python3 - "$result" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(f"{r['model']}; threads {r['threads']}; medians in ms (loss = student forward + the method's additions + its terms)")
over = []
for fmt in ("contiguous", "channels_last"):
    print(f"{fmt.replace('_', '-')}:")
    print(f"  {'method':<20} {'step':>8} {'x sup.':>7} {'forward':>8} {'loss':>8} {'added':>8} {'backward':>9} {'update':>7}")
    for name, t in r[fmt].items():
        added = t["loss_ms"] - t["forward_ms"]
        print(f"  {name:<20} {t['step_ms']:8.1f} {t['over_supervised']:7.2f} {t['forward_ms']:8.1f} {t['loss_ms']:8.1f} {added:8.1f} {t['backward_ms']:9.1f} {t['optimizer_ms']:7.1f}")
        if name in ("dskd", "acw-skd") and t["over_supervised"] > 1.5:
            over.append(f"{name} ({fmt}) {t['over_supervised']:.2f}x")
if over:
    print("above the 1.5x target: " + ", ".join(over))
    sys.exit(1)
print("dskd and acw-skd within 1.5x supervised in both formats")
PY
