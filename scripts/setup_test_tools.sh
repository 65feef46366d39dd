#!/usr/bin/env bash
# Installs what the test suite uses as oracles and as other people's encoders, only if missing:
# DCMTK, GDCM, OpenJPEG's and OpenJPH's (HTJ2K) command-line tools (Debian), pydicom with the pylibjpeg plugins (PyPI);
# for the viewer's browser test, Debian's chromium driven by Playwright pinned to the release that expects that
# Chromium (1.64.0 ↔ 156); Playwright's own browser download is never run, the test launches /usr/bin/chromium.
set -euo pipefail
packages=(dcmtk libgdcm-tools libopenjp2-tools openjph-tools chromium)
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
python_packages=(numpy pydicom pylibjpeg pylibjpeg-libjpeg pylibjpeg-openjpeg)
python3 -c "import numpy, pydicom, pylibjpeg, libjpeg, openjpeg" 2>/dev/null || {
  echo "setup: installing ${python_packages[*]} (PyPI)"
  python3 -m pip install -q "${python_packages[@]}"
}
playwright_version=1.64.0
python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('playwright') != '$playwright_version')" 2>/dev/null || {
  echo "setup: installing playwright==$playwright_version (PyPI; uses the system chromium, no browser download)"
  python3 -m pip install -q "playwright==$playwright_version"
}
