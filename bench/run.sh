#!/usr/bin/env bash
# Benchmark: this toolkit against PyTorch (Debian's python3-torch 1.13, the same libtorch) on the
# same machine, in the same run, with the same thread count. Prints both sets of figures and the
# ratios (skd / pytorch: below 1 means skd is faster).
#   bash bench/run.sh [--threads N] [--steps K] [--rounds R]
# Targets (issue 2): per-op overhead at most 1/3 of PyTorch's from Python; training step no slower.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads=$(nproc); steps=20; rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/install-deps.sh
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "bench: the PyTorch reference needs Debian's python3-torch (apt-get install python3-torch)" >&2
  exit 1
fi
dotnet build bench/Skd.Bench -c Release --nologo -v quiet -clp:ErrorsOnly >&2

floor_bin=bench/reference/build/aten_add
mkdir -p bench/reference/build
if [ ! -x "$floor_bin" ] || [ bench/reference/aten_add.cpp -nt "$floor_bin" ]; then
  g++ -O2 -std=c++17 bench/reference/aten_add.cpp -I/usr/include/torch/csrc/api/include -ltorch_cpu -lc10 -o "$floor_bin"
fi

# The two sides run alternately, $rounds rounds each; the medians are compared, so that a slow
# spell of a shared machine does not fall on one side only.
floor=$("$floor_bin" "$threads")
echo "libtorch from C++: $floor"
skd_runs=(); ref_runs=()
for round in $(seq "$rounds"); do
  skd_runs+=("$(dotnet bench/Skd.Bench/bin/Release/net10.0/Skd.Bench.dll --threads "$threads" --steps "$steps")")
  ref_runs+=("$(/usr/bin/python3 bench/reference/torch_bench.py --threads "$threads" --steps "$steps")")
  echo "round $round: skd ${skd_runs[-1]}"
  echo "round $round: pytorch ${ref_runs[-1]}"
done
/usr/bin/python3 - "$floor" "$(printf '%s\n' "${skd_runs[@]}")" "$(printf '%s\n' "${ref_runs[@]}")" <<'PY'
import json, statistics, sys
c = json.loads(sys.argv[1])
def median(lines):
    runs = [json.loads(l) for l in lines.splitlines() if l.strip()]
    return {k: statistics.median(r[k] for r in runs) for k in ("add_us", "train_step_ms")}
s, r = median(sys.argv[2]), median(sys.argv[3])
add, step = s["add_us"] / r["add_us"], s["train_step_ms"] / r["train_step_ms"]
over_s, over_r = s["add_us"] - c["add_us"], r["add_us"] - c["add_us"]
print(f"medians of {len(sys.argv[2].splitlines())} alternating rounds")
print(f"per-call time (4-element add): skd {s['add_us']:.3f} us, pytorch {r['add_us']:.3f} us, ratio {add:.2f}; libtorch alone from C++ {c['add_us']:.3f} us")
print(f"per-call overhead above libtorch: skd {over_s:.3f} us, pytorch {over_r:.3f} us, ratio {over_s / over_r:.2f} (target <= 0.33)")
print(f"training step (batch 8, 1x128x128): skd {s['train_step_ms']:.1f} ms, pytorch {r['train_step_ms']:.1f} ms, ratio {step:.2f} (target <= 1.00)")
PY
