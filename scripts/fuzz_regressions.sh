#!/usr/bin/env bash
# Replays every harness over its committed corpus and crash regressions (seconds in all);
# CI runs this. Exit status is non-zero if any input crashes, leaks or times out.
#   scripts/fuzz_regressions.sh          all harnesses
#   scripts/fuzz_regressions.sh png      one
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/fuzz_build.sh" "$@"
if [[ $# -gt 0 ]]; then names=("$@"); else
    names=(); for file in "$root"/fuzz/harnesses/*.swift; do
        base=$(basename "$file" .swift); [[ "$base" == FuzzLimits ]] || names+=("$base"); done
fi
failed=0
for name in "${names[@]}"; do
    inputs=()
    for folder in "$root/fuzz/corpus/$name" "$root/fuzz/regressions/$name"; do
        [[ -d "$folder" ]] && while IFS= read -r -d '' file; do inputs+=("$file"); done \
            < <(find "$folder" -type f ! -name '*.md' -print0)
    done
    if [[ ${#inputs[@]} -eq 0 ]]; then echo "fuzz_regressions: $name: no inputs"; continue; fi
    # Given files (not folders), libFuzzer runs each once and stops at the first failure.
    if "${FUZZ_BUILD:-$root/.build-fuzz}/fuzz-$name" -rss_limit_mb=2048 -timeout=10 "${inputs[@]}" \
        > "${TMPDIR:-/tmp}/fuzz_regressions-$name.log" 2>&1; then
        echo "fuzz_regressions: $name: ${#inputs[@]} inputs ok"
    else
        echo "fuzz_regressions: $name: FAILED (log: ${TMPDIR:-/tmp}/fuzz_regressions-$name.log)"; failed=1
    fi
done
exit $failed
