#!/usr/bin/env bash
# Benchmark: this toolkit against PyTorch (Debian's python3-torch 1.13, the same libtorch) on the
# same machine, in the same run, with the same thread count. Prints both sets of figures and the
# ratios (skd / pytorch: below 1 means skd is faster).
#   bash bench/run.sh [--threads N] [--steps K] [--rounds R] [--unet-steps K] [--only train|predict]
# Targets: per-op overhead at most 1/3 of PyTorch's from Python; small-net training step no slower (issue 2);
# U-Net of width 16: skd's best training img/s >= 1.3x PyTorch's best, skd's best inference latency at 512²
# <= 0.75x PyTorch's best, each side at its faster memory format (issue 12); predict latency at 512², batch 1,
# of skd's engines (libtorch, ONNX Runtime float32 and int8) and PyTorch's, ONNX Runtime float32 at most 0.5x
# libtorch (issue 11).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads=$(nproc); steps=20; rounds=3; unet_steps=4; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --unet-steps) unet_steps=$2; shift 2 ;;
    --only) only=$2; shift 2
      case "$only" in train|predict) ;; *) echo "--only takes train or predict, got '$only'" >&2; exit 2 ;; esac ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

bash scripts/install-deps.sh
if ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "bench: the PyTorch reference needs Debian's python3-torch (apt-get install python3-torch)" >&2
  exit 1
fi

# Predict latency (issue 11): each round times every engine of bench/Skd.PredictBench (libtorch, ONNX Runtime float32
# and int8) alone in its own process, so that no other engine's threads spin beside it (libtorch's OpenMP workers
# slowed ONNX Runtime's float32 pass 1.6x in one process), then PyTorch's eager forward pass of the same U-Net; ratios
# within a round, their medians reported, with the float32 bound of the machine (the pass's multiply-accumulates at its
# FMA peak on the threads: the least time any float32 engine can take; see Skd.PredictBench).
predict_bench() {
  dotnet build bench/Skd.PredictBench -c Release --nologo -v quiet -clp:ErrorsOnly >&2
  local runs=() skd ref engine timed
  for round in $(seq "$rounds"); do
    timed=""
    for engine in torch onnx onnx_int8; do
      skd=$(dotnet bench/Skd.PredictBench/bin/Release/net10.0/Skd.PredictBench.dll --threads "$threads" --size 512 --batch 1 --rounds 7 --engine "$engine")
      echo "round $round: skd $skd"
      timed+="\"$engine\": $skd, "
    done
    ref=$(/usr/bin/python3 bench/reference/predict_bench.py --threads "$threads" --size 512 --batch 1 --rounds 7)
    echo "round $round: pytorch $ref"
    runs+=("{$timed\"ref\": $ref}")
  done
  /usr/bin/python3 - "$(printf '%s\n' "${runs[@]}")" <<'PY'
import json, statistics, sys
rounds = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
for r in rounds: r["skd"] = {**r["torch"], **r["onnx"], **r["onnx_int8"]}   # one process per engine, one set of keys each
med = statistics.median
ms = lambda key: med(r["skd"][key] for r in rounds)
ref = med(r["ref"]["predict_ms"] for r in rounds)
ratio = lambda key, over: med(r["skd"][key] / (r["ref"]["predict_ms"] if over == "pytorch" else r["skd"][over]) for r in rounds)
print(f"predict latency, {rounds[0]['skd']['model']}, input {rounds[0]['skd']['input']}, threads {rounds[0]['skd']['threads']}, each engine in its own process, medians of {len(rounds)} rounds:")
print(f"  skd torch (libtorch) {ms('torch_ms'):.1f} ms, skd onnx float32 {ms('onnx_ms'):.1f} ms, skd onnx int8 {ms('onnx_int8_ms'):.1f} ms, "
      f"pytorch {rounds[0]['ref']['impl'].split()[1]} {ref:.1f} ms")
print(f"  onnx float32 / torch: {ratio('onnx_ms', 'torch_ms'):.2f} (target <= 0.50); onnx int8 / torch: {ratio('onnx_int8_ms', 'torch_ms'):.2f}; "
      f"onnx int8 / onnx float32: {ratio('onnx_int8_ms', 'onnx_ms'):.2f}")
print(f"  against pytorch: torch {ratio('torch_ms', 'pytorch'):.2f}, onnx float32 {ratio('onnx_ms', 'pytorch'):.2f}, onnx int8 {ratio('onnx_int8_ms', 'pytorch'):.2f}")
print(f"  float32 bound: {ms('gmacs'):.2f} G multiply-accumulates at {ms('fma_peak_gmacs_per_core'):.1f} G/s per core (FMA peak) = {ms('float32_bound_ms'):.1f} ms, "
      f"{ratio('float32_bound_ms', 'torch_ms'):.2f} of torch (no float32 engine can go below); share of the peak reached: "
      f"torch {ms('torch_of_fma_peak'):.2f}, onnx float32 {ms('onnx_of_fma_peak'):.2f}")
PY
}
if [ "$only" = predict ]; then predict_bench; exit 0; fi

dotnet build bench/Skd.Bench -c Release --nologo -v quiet -clp:ErrorsOnly >&2

floor_bin=bench/reference/build/aten_add
mkdir -p bench/reference/build
if [ ! -x "$floor_bin" ] || [ bench/reference/aten_add.cpp -nt "$floor_bin" ]; then
  g++ -O2 -std=c++17 bench/reference/aten_add.cpp -I/usr/include/torch/csrc/api/include -ltorch_cpu -lc10 -o "$floor_bin"
fi

# Each round runs libtorch's C++ floor, skd, PyTorch with its defaults and PyTorch with glibc
# told to keep freed memory (MALLOC_TOP_PAD_, MALLOC_MMAP_THRESHOLD_: what skd's caching CPU
# allocator achieves for large blocks) back to back; ratios are
# taken within a round and their medians reported, so that a slow spell of a shared machine
# falls on every side alike.
tuned_env=(MALLOC_TOP_PAD_=536870912 MALLOC_MMAP_THRESHOLD_=33554432)
runs=()
skd=(dotnet bench/Skd.Bench/bin/Release/net10.0/Skd.Bench.dll --threads "$threads")
ref=(/usr/bin/python3 bench/reference/torch_bench.py --threads "$threads")
unet=(--suite unet --steps "$unet_steps" --rounds 1 --infer-repeats "$unet_steps")
for round in $(seq "$rounds"); do
  floor=$("$floor_bin" "$threads")
  skd_ops=$("${skd[@]}" --suite ops --steps "$steps")
  ref_ops=$("${ref[@]}" --steps "$steps")
  tuned=$(env "${tuned_env[@]}" "${ref[@]}" --steps "$steps")
  skd_unet=$("${skd[@]}" "${unet[@]}")
  ref_unet=$("${ref[@]}" "${unet[@]}")
  echo "round $round: libtorch-c++ $floor"
  echo "round $round: skd $skd_ops"
  echo "round $round: pytorch $ref_ops"
  echo "round $round: pytorch+malloc $tuned"
  echo "round $round: skd unet $skd_unet"
  echo "round $round: pytorch unet $ref_unet"
  runs+=("{\"floor\": $floor, \"skd\": $skd_ops, \"ref\": $ref_ops, \"tuned\": $tuned, \"skd_unet\": $skd_unet, \"ref_unet\": $ref_unet}")
done
/usr/bin/python3 - "$(printf '%s\n' "${runs[@]}")" <<'PY'
import json, statistics, sys
rounds = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
med = lambda xs: statistics.median(xs)
add = lambda side: med(r[side]["add_us"] for r in rounds)
over = med((r["skd"]["add_us"] - r["floor"]["add_us"]) / (r["ref"]["add_us"] - r["floor"]["add_us"]) for r in rounds)
step = lambda side: med(r[side]["train_step_ms"] for r in rounds)
ratio = lambda other: med(r["skd"]["train_step_ms"] / r[other]["train_step_ms"] for r in rounds)
print(f"medians of {len(rounds)} rounds (threads {rounds[0]['skd']['threads']})")
print(f"per-call time (4-element add): skd {add('skd'):.3f} us, pytorch {add('ref'):.3f} us, libtorch alone from C++ {add('floor'):.3f} us")
print(f"per-call overhead above libtorch, skd / pytorch: {over:.2f} (target <= 0.33)")
print(f"training step (batch 8, 1x128x128): skd {step('skd'):.1f} ms, pytorch {step('ref'):.1f} ms, "
      f"pytorch with glibc keeping freed memory {step('tuned'):.1f} ms")
print(f"training step ratio skd / pytorch: {ratio('ref'):.2f} (target <= 1.00); skd / that tuned pytorch: {ratio('tuned'):.2f}")

formats = ("contiguous", "channels_last")
unet = lambda side, key, fmt: med(r[side][key][fmt] for r in rounds)
best_train = lambda r, side: max(r[side]["train_img_s"].values())
best_infer = lambda r, side: min(r[side]["infer_s"].values())
print(f"{rounds[0]['skd_unet']['model']}; Adam, 0.5 CE + 0.5 Dice")
for key, unit, digits in (("train_img_s", "training img/s", 2), ("infer_s", "inference s", 3)):
    cells = ", ".join(f"{side} {fmt.replace('_', '-')} {unet(tag, key, fmt):.{digits}f}" for side, tag in (("skd", "skd_unet"), ("pytorch", "ref_unet")) for fmt in formats)
    print(f"  {unit}: {cells}")
train_ratio = med(best_train(r, "skd_unet") / best_train(r, "ref_unet") for r in rounds)
infer_ratio = med(best_infer(r, "skd_unet") / best_infer(r, "ref_unet") for r in rounds)
cl_train = med(r["skd_unet"]["train_img_s"]["channels_last"] / r["skd_unet"]["train_img_s"]["contiguous"] for r in rounds)
cl_infer = med(r["skd_unet"]["infer_s"]["channels_last"] / r["skd_unet"]["infer_s"]["contiguous"] for r in rounds)
print(f"  skd channels-last / contiguous: training img/s {cl_train:.2f}, inference s {cl_infer:.2f}")
print(f"  training img/s, skd's best / pytorch's best: {train_ratio:.2f} (target >= 1.30)")
print(f"  inference s at 512², skd's best / pytorch's best: {infer_ratio:.2f} (target <= 0.75)")
PY
[ "$only" = train ] || predict_bench
