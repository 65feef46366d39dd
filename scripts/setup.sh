#!/usr/bin/env bash
# Installs the C libraries MammoSeg links against (Debian/Ubuntu), only if missing.
set -euo pipefail
# Open MPI (libopenmpi-dev, openmpi-bin: mpirun) for data-parallel training; pkg-config finds its headers.
packages=(libdnnl-dev libpng-dev zlib1g-dev libopenjp2-7-dev libcharls-dev libjpeg62-turbo-dev libopenmpi-dev openmpi-bin pkg-config)
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
command -v swift >/dev/null || { echo "setup: swift 6 toolchain not found on PATH; install it from swift.org" >&2; exit 1; }
