#!/usr/bin/env bash
# Installs what the test suite uses as oracles and as other people's encoders, only if missing:
# DCMTK, GDCM, OpenJPEG's and OpenJPH's (HTJ2K) command-line tools and dicom3tools' dciodvfy (Debian),
# pydicom with the pylibjpeg plugins and highdicom, and for the exported ONNX models onnx, onnxruntime,
# OpenVINO and the PyTorch reference (PyPI); for the viewer's browser test, Debian's chromium driven by
# Playwright pinned to the release that expects that Chromium (1.64.0 ↔ 156); Playwright's own browser
# download is never run, the test launches /usr/bin/chromium.
set -euo pipefail
packages=(dcmtk libgdcm-tools libopenjp2-tools openjph-tools dicom3tools chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# PyPI: "import name=package spec", each installed only when its module does not import.
python_packages=(
  numpy=numpy pydicom=pydicom pylibjpeg=pylibjpeg libjpeg=pylibjpeg-libjpeg openjpeg=pylibjpeg-openjpeg highdicom=highdicom
  onnx=onnx==1.23.2 onnxruntime=onnxruntime==1.31.1 openvino=openvino==2026.4.1
  torch=torch==2.13.0+cpu safetensors=safetensors
)
missing=()
for entry in "${python_packages[@]}"; do
  python3 -c "import ${entry%%=*}" 2>/dev/null || missing+=("${entry#*=}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} (PyPI)"
  python3 -m pip install -q "${missing[@]}"
fi
playwright_version=1.64.0
python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('playwright') != '$playwright_version')" 2>/dev/null || {
  echo "setup: installing playwright==$playwright_version (PyPI; uses the system chromium, no browser download)"
  python3 -m pip install -q "playwright==$playwright_version"
}
