#!/usr/bin/env bash
# Runs one libFuzzer harness for a while: scripts/fuzz.sh NAME SECONDS [extra libFuzzer flags]
# New interesting inputs go to fuzz/corpus/NAME (commit the useful ones, small); a crash is
# written to fuzz/regressions/NAME/ — fix it, keep the file: scripts/fuzz_regressions.sh replays it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: scripts/fuzz.sh NAME SECONDS}; seconds=${2:?usage: scripts/fuzz.sh NAME SECONDS}; shift 2
"$root/scripts/fuzz_build.sh" "$name"
mkdir -p "$root/fuzz/corpus/$name" "$root/fuzz/regressions/$name"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# New units go to a scratch folder first (the committed corpus stays small), then only those
# that add coverage are merged back.
"${FUZZ_BUILD:-$root/.build-fuzz}/fuzz-$name" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$root/fuzz/regressions/$name/" \
    "$@" "$work" "$root/fuzz/corpus/$name"
"${FUZZ_BUILD:-$root/.build-fuzz}/fuzz-$name" -merge=1 "$root/fuzz/corpus/$name" "$work" 2>/dev/null || true
