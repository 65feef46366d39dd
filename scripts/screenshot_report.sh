#!/usr/bin/env bash
# Renders a report.html to a PNG with headless Chromium, to look at what a reader sees.
#
#   scripts/screenshot_report.sh RUN/report.html [OUT.png] [WIDTHxHEIGHT]
#
# Needs chromium (Debian: apt-get install -y chromium). The report is self-contained,
# so no network is used; --no-sandbox is needed when running as root in a container.
set -euo pipefail

report=${1:?usage: $0 REPORT.html [OUT.png] [WIDTHxHEIGHT]}
out=${2:-${report%.html}.png}
size=${3:-1280x2400}

[[ -f "$report" ]] || { echo "error: $report: no such file; give the path of a report.html" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[[ -n "$browser" ]] || { echo "error: chromium: not installed; run apt-get install -y chromium" >&2; exit 1; }

"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="${size/x/,}" --screenshot="$(realpath -m "$out")" \
    "file://$(realpath "$report")" 2>/dev/null
echo "wrote $out"
