#!/usr/bin/env bash
# The test command: installs what is missing, builds everything (native shim included) and runs
# every test project but the CUDA category, then gpu-check.sh's dry run, and prints one summary line
# "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh || exit 1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The CUDA category (tests/Skd.Cuda.Tests) needs a GPU: scripts/gpu-check.sh runs it there, and here its dry run
# checks that the prepared bundle, the shim's configure step, the runner and the benchmark work (and that without a
# GPU every CUDA test fails saying so).
dotnet test Skd.slnx -c Release --nologo --filter "Category!=Cuda" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
gpu_check=(1 0)   # passed, failed: counted as one test in the summary
if ! { bash scripts/gpu-check.sh --prepare && bash scripts/gpu-check.sh --dry-run; }; then
  echo "gpu-check --dry-run: FAILED" >&2
  gpu_check=(0 1)
  status=1
fi

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, Total: T" line per project.
read -r failed passed skipped < <(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" |
  awk -F'[:,]' '{f+=$2; p+=$4; s+=$6} END {print f+0, p+0, s+0}')
passed=$((passed + gpu_check[0])); failed=$((failed + gpu_check[1]))
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
