#!/usr/bin/env bash
# Installs the Debian 12 packages the toolkit needs to build and run; does nothing when all are
# present. Runs apt-get as root, or through sudo for another user.
#   cmake, g++, make         build the native shim (native/)
#   libtorch-dev             libtorch 1.13 (CPU): tensors, autograd, kernels
#   libopenblas0-pthread     an optimised BLAS behind libblas.so.3 (the reference BLAS is ~20x slower)
#   libopencv-imgcodecs-dev  2-D images (PNG, JPEG, TIFF, BMP, PGM/PPM), libopencv-imgproc-dev colour conversion
#   libhdf5-dev              HDF5 (TransUNet's Synapse test volumes)
#   fonts-dejavu-core        DejaVu Sans, the charts' font (src/Skd/Reporting/ChartFont.cs)
set -euo pipefail

packages=(cmake g++ make libtorch-dev libopenblas0-pthread libopencv-imgcodecs-dev libopencv-imgproc-dev libhdf5-dev fonts-dejavu-core)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null || ! dotnet --list-sdks | grep -q '^10\.'; then
  echo "install-deps: the .NET 10 SDK is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2
  exit 1
fi
