#!/usr/bin/env bash
# The first GPU run: the toolkit on an NVIDIA GPU, checked and measured in one command of under 8 minutes.
#
#   bash scripts/gpu-check.sh --prepare   on a machine with the .NET SDK: publishes what the GPU machine cannot build
#                                         (the skd command, the CUDA tests, their console runner, the benchmark) with a
#                                         .NET runtime into gpu-check/bundle.tar.xz, which travels with the checkout
#                                         (git-ignored: copy the gpu-check/ folder along)
#   bash scripts/gpu-check.sh             on the GPU machine (python3 with a CUDA PyTorch, cmake, a C++ compiler;
#                                         no network, no .NET SDK): builds native/ against that PyTorch's libtorch
#                                         (torch.utils.cmake_prefix_path), runs the CUDA test category, and benchmarks
#                                         U-Net training and inference of widths 16 and 64 against
#                                         bench/reference/torch_bench.py on the same GPU, printing one table
#   bash scripts/gpu-check.sh --dry-run   anywhere, on the CPU: every prerequisite and prepared file checked, each step
#                                         run in a CPU form (cmake configure only, the CUDA tests failing for want of a
#                                         GPU as they must, the benchmark at tiny sizes), and the table printed
# PYTHON=path picks the Python (default: the first of python3, /usr/bin/python3 that imports torch).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

mode=gpu
case "${1:-}" in
  --prepare) mode=prepare ;;
  --dry-run) mode=dry ;;
  "") ;;
  *) echo "usage: bash scripts/gpu-check.sh [--prepare | --dry-run]" >&2; exit 2 ;;
esac
dir=gpu-check
archive=$dir/bundle.tar.xz
bundle=$dir/bundle
native_build=native/build-gpu-check
start=$SECONDS
step() { printf '== %s (at %d s)\n' "$1" $((SECONDS - start)); }
fail() { echo "gpu-check: $*" >&2; exit 1; }

prepare() {
  command -v dotnet >/dev/null || fail "--prepare needs the .NET SDK (dotnet)"
  step "publishing skd, the CUDA tests and the benchmark"
  rm -rf "$bundle"
  mkdir -p "$bundle"
  for project in src/Skd.Cli tests/Skd.Cuda.Tests bench/Skd.Bench; do
    dotnet publish "$project" -c Release --nologo -v quiet -clp:ErrorsOnly -o "$bundle/app" >&2
  done
  rm -rf "$bundle/app/CodeCoverage" "$bundle"/app/*.xml   # the test SDK's coverage collector (14 MB, three platforms), API docs
  step "the test runner and a .NET runtime"
  local runner_version packages dotnet_root runtime fxr
  runner_version=$(grep -o 'xunit.runner.console" Version="\[[0-9.]*' tests/Skd.Cuda.Tests/Skd.Cuda.Tests.csproj | grep -o '[0-9.]*$')
  packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
  cp -r "$packages/xunit.runner.console/$runner_version/tools/netcoreapp2.0" "$bundle/runner"
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  runtime=$(sed -n 's/.*"version": "\([0-9][^"]*\)".*/\1/p' "$bundle/app/skd.runtimeconfig.json" | head -1)
  runtime=$(ls "$dotnet_root/shared/Microsoft.NETCore.App" | grep "^${runtime%.*}\." | sort -V | tail -1)
  fxr=$(ls "$dotnet_root/host/fxr" | sort -V | tail -1)
  mkdir -p "$bundle/dotnet/host/fxr" "$bundle/dotnet/shared/Microsoft.NETCore.App"
  cp "$dotnet_root/dotnet" "$dotnet_root/LICENSE.txt" "$dotnet_root/ThirdPartyNotices.txt" "$bundle/dotnet/"
  cp -r "$dotnet_root/host/fxr/$fxr" "$bundle/dotnet/host/fxr/"
  cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$runtime" "$bundle/dotnet/shared/Microsoft.NETCore.App/"
  {
    echo "prepared $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit $(git rev-parse HEAD 2>/dev/null || echo unknown)" \
         "($(git status --porcelain 2>/dev/null | wc -l) files changed since)"
    echo ".NET runtime $runtime, xunit.runner.console $runner_version"
  } > "$bundle/manifest.txt"
  step "packing"
  tar -C "$dir" -cf - bundle | xz -T0 -2 > "$archive.tmp"   # under 64 MiB; -2 packs 3x faster than -6 for 3 MiB more
  mv "$archive.tmp" "$archive"
  rm -rf "$bundle"
  echo "gpu-check: wrote $archive ($(du -m "$archive" | cut -f1) MiB): $(cat <(tar -xJOf "$archive" bundle/manifest.txt | head -1))"
}

# The Python whose PyTorch is the reference and whose libtorch the shim is built against.
find_python() {
  local candidate
  for candidate in ${PYTHON:-} python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import torch' 2>/dev/null; then echo "$candidate"; return; fi
  done
  fail "no python3 with PyTorch found (set PYTHON=path)"
}

check() {
  step "prerequisites"
  python=$(find_python)
  read -r torch_version torch_cuda torch_prefix < <("$python" -c 'import torch; print(torch.__version__, torch.cuda.is_available(), torch.utils.cmake_prefix_path)')
  echo "python: $python, PyTorch $torch_version (CUDA available: $torch_cuda), cmake prefix $torch_prefix"
  command -v cmake >/dev/null || fail "cmake is missing (3.18 or later)"
  command -v c++ >/dev/null || command -v g++ >/dev/null || fail "no C++ compiler (c++ or g++)"
  if [ "$mode" = gpu ]; then
    [ "$torch_cuda" = True ] || fail "$python's PyTorch $torch_version sees no GPU (torch.cuda.is_available() is False)"
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
    command -v nvcc >/dev/null || [ -x /usr/local/cuda/bin/nvcc ] ||
      echo "note: no nvcc found; libtorch's CMake config of a CUDA build may ask for the CUDA toolkit (CUDAToolkit_ROOT)"
  fi
  [ -f "$archive" ] || fail "$archive is missing: run bash scripts/gpu-check.sh --prepare on a machine with the .NET SDK first"

  step "unpacking $archive"
  rm -rf "$bundle"
  tar -C "$dir" -xJf "$archive"
  cat "$bundle/manifest.txt"
  local file
  for file in dotnet/dotnet app/skd.dll app/Skd.Cuda.Tests.dll app/Skd.Bench.dll runner/xunit.console.dll; do
    [ -f "$bundle/$file" ] || fail "$archive holds no $file: prepare it again"
  done
  export DOTNET_ROOT=$PWD/$bundle/dotnet PATH=$PWD/$bundle/dotnet:$PATH DOTNET_CLI_TELEMETRY_OPTOUT=1 NO_COLOR=1
}

native() {
  step "native shim against $python's libtorch"
  # --no-as-needed: the shim calls nothing in libtorch_cuda itself, yet must load it for CUDA to register its kernels.
  local torch_dir=$torch_prefix/Torch configure=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_SHARED_LINKER_FLAGS=-Wl,--no-as-needed)
  if [ -f "$torch_dir/TorchConfig.cmake" ]; then
    configure+=(-DTorch_DIR="$torch_dir")
  elif [ "$mode" = dry ]; then
    echo "no TorchConfig.cmake under $torch_prefix (a distribution's PyTorch): the dry run configures against the system's libtorch"
  else
    fail "$torch_dir/TorchConfig.cmake is missing: this PyTorch ships no libtorch CMake files"
  fi
  rm -rf "$native_build"   # a fresh configure: no libtorch remembered from an earlier run
  if ! cmake -S native -B "$native_build" "${configure[@]}" > "$native_build.log" 2>&1; then
    tail -30 "$native_build.log" >&2
    fail "cmake could not configure native/ (log: $native_build.log)"
  fi
  echo "libtorch: $(sed -n 's/^Torch_DIR:PATH=//p' "$native_build/CMakeCache.txt")"
  if [ "$mode" = dry ]; then
    echo "configured; the build is left out of a dry run, the bundle's CPU shim is used"
    return
  fi
  timeout 300 cmake --build "$native_build" --target skd_native -j "$(nproc)" > "$native_build.build.log" 2>&1 ||
    { tail -30 "$native_build.build.log" >&2; fail "native/ did not build (log: $native_build.build.log)"; }
  readelf -d "$native_build/libskd_native.so" | grep -q "libtorch_cuda\|libtorch.so" ||
    fail "$native_build/libskd_native.so does not load libtorch's CUDA part (readelf -d shows no libtorch_cuda)"
  cp "$native_build/libskd_native.so" "$bundle/app/"
}

devices() {
  step "skd version"
  local version
  version=$(dotnet "$bundle/app/skd.dll" version) || fail "the bundle's skd does not start"
  echo "$version"
  if [ "$mode" = gpu ]; then
    grep -q "cuda:0" <<< "$version" || fail "skd sees no GPU with the shim built against $python's libtorch"
  else
    grep -q "CUDA not available" <<< "$version" || fail "skd version does not say whether CUDA is available"
  fi
}

cuda_tests() {
  step "the CUDA test category"
  local output status=0
  output=$(DOTNET_ROLL_FORWARD=Major timeout 300 dotnet "$bundle/runner/xunit.console.dll" "$bundle/app/Skd.Cuda.Tests.dll" \
             -trait Category=Cuda -parallel none -nocolor 2>&1) || status=$?
  local summary
  summary=$(grep -oE "Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+" <<< "$output" | tail -1)
  cuda_summary=${summary:-no summary}
  if [ "$mode" = gpu ]; then
    [ "$status" -eq 0 ] || { echo "$output" | tail -60; fail "CUDA tests failed: $summary"; }
    echo "$summary"
    return
  fi
  # Without a GPU every test of the category must fail, saying why.
  local total failed
  total=$(grep -oE "Total: [0-9]+" <<< "$summary" | grep -oE "[0-9]+" || echo 0)
  failed=$(grep -oE "Failed: [0-9]+" <<< "$summary" | grep -oE "[0-9]+" || echo 0)
  if [ "$status" -eq 0 ] || [ "$total" -eq 0 ] || [ "$failed" -ne "$total" ] || ! grep -q "sees no GPU" <<< "$output"; then
    echo "$output" | tail -40
    fail "without a GPU every CUDA test should fail saying so; got: ${summary:-no summary}"
  fi
  cuda_summary="$summary (no GPU here: each fails saying so, as it must)"
  echo "$cuda_summary"
}

bench() {
  step "benchmark: skd against PyTorch, U-Net widths 16 and 64"
  local device=cuda sizes=(--size 256 --batch 8 --steps 10 --rounds 3 --infer-size 512 --infer-repeats 10)
  if [ "$mode" = dry ]; then device=cpu; sizes=(--depth 2 --size 32 --batch 2 --steps 1 --rounds 1 --infer-size 64 --infer-repeats 1); fi
  local width results=()
  for width in 16 64; do
    local args=(--suite unet --threads "$(nproc)" --device "$device" --width "$width" "${sizes[@]}")
    results+=("$(timeout 120 dotnet "$bundle/app/Skd.Bench.dll" "${args[@]}")") || fail "Skd.Bench failed at width $width"
    results+=("$(timeout 120 "$python" bench/reference/torch_bench.py "${args[@]}")") || fail "torch_bench.py failed at width $width"
  done
  "$python" - "$mode" "$cuda_summary" "${results[@]}" <<'PY'
import json, sys
mode, tests, rows = sys.argv[1], sys.argv[2], [json.loads(r) for r in sys.argv[3:]]
formats = ("contiguous", "channels_last")
def cells(r):
    return (" / ".join(f"{r['train_img_s'][f]:.1f}" for f in formats), " / ".join(f"{r['infer_s'][f] * 1e3:.1f}" for f in formats))
print(f"gpu-check{' --dry-run (cpu, tiny sizes)' if mode == 'dry' else ''} on {rows[0]['device']}; CUDA tests: {tests}")
print("| width | engine | train img/s (contiguous / channels_last) | inference ms (contiguous / channels_last) |")
print("| --- | --- | --- | --- |")
for skd, ref in zip(rows[0::2], rows[1::2]):
    width = skd["model"].split(",")[0].split()[-1]
    for r in (skd, ref):
        print(f"| {width} | {r['impl']} | {cells(r)[0]} | {cells(r)[1]} |")
    train = max(skd["train_img_s"].values()) / max(ref["train_img_s"].values())
    infer = min(skd["infer_s"].values()) / min(ref["infer_s"].values())
    print(f"| {width} | skd / pytorch, best of each | {train:.2f}x (above 1: skd faster) | {infer:.2f}x (below 1: skd faster) |")
print(f"(U-Net {rows[0]['model'].split(', ', 1)[1]}; medians)")
PY
}

if [ "$mode" = prepare ]; then
  prepare
  exit 0
fi
cuda_summary="not run"
check
native
devices
cuda_tests
bench
echo "gpu-check: done in $((SECONDS - start)) s$([ "$mode" = gpu ] && echo " (target: under 480 s)")"
