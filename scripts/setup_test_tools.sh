#!/usr/bin/env bash
# Installs what the test suite uses as oracles and as other people's encoders, only if missing:
# DCMTK, GDCM, OpenJPEG's and OpenJPH's (HTJ2K) command-line tools and dicom3tools' dciodvfy (Debian),
# pydicom with the pylibjpeg plugins and highdicom (PyPI).
set -euo pipefail
packages=(dcmtk libgdcm-tools libopenjp2-tools openjph-tools dicom3tools)
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
python_packages=(numpy pydicom pylibjpeg pylibjpeg-libjpeg pylibjpeg-openjpeg highdicom)
python3 -c "import numpy, pydicom, pylibjpeg, libjpeg, openjpeg, highdicom" 2>/dev/null || {
  echo "setup: installing ${python_packages[*]} (PyPI)"
  python3 -m pip install -q "${python_packages[@]}"
}
