#!/usr/bin/env bash
# Runs one libFuzzer harness for a while: scripts/fuzz.sh NAME SECONDS [extra libFuzzer flags]
# Starts from the committed seeds (fuzz/corpus/NAME) and the local corpus of earlier runs
# (.build-fuzz/corpus/NAME, not committed: it grows to megabytes); a crash is written to
# fuzz/regressions/NAME/ — fix it, keep the file: scripts/fuzz_regressions.sh replays it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?usage: scripts/fuzz.sh NAME SECONDS}; seconds=${2:?usage: scripts/fuzz.sh NAME SECONDS}; shift 2
"$root/scripts/fuzz_build.sh" "$name"
build=${FUZZ_BUILD:-$root/.build-fuzz}
mkdir -p "$root/fuzz/corpus/$name" "$root/fuzz/regressions/$name" "$build/corpus/$name"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# New units go to a scratch folder first, then only those that add coverage join the local corpus.
"$build/fuzz-$name" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$root/fuzz/regressions/$name/" \
    "$@" "$work" "$build/corpus/$name" "$root/fuzz/corpus/$name"
"$build/fuzz-$name" -merge=1 "$build/corpus/$name" "$work" 2>/dev/null || true
