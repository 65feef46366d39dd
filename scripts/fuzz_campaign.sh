#!/usr/bin/env bash
# Long fuzzing outside CI: runs each named harness in chunks (scripts/fuzz.sh, corpus kept) until
# its executions, summed over every run logged in .build-fuzz/campaign.tsv, reach the target.
#   scripts/fuzz_campaign.sh 1000000 dicom png …     (nice it: it takes every idle cycle)
# The log has one row per run: harness, executions, exec/s, slowest unit (s), peak RSS (MB), crashes.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: scripts/fuzz_campaign.sh EXECUTIONS NAME…}; shift
log=${FUZZ_BUILD:-$root/.build-fuzz}/campaign.tsv
mkdir -p "$(dirname "$log")"
[[ -f "$log" ]] || printf 'harness\texecutions\texec_per_s\tslowest_s\tpeak_rss_mb\tcrashes\n' > "$log"
chunk=${FUZZ_CHUNK_SECONDS:-300}
for name in "$@"; do
    failures=0
    while :; do
        done_so_far=$(awk -F'\t' -v n="$name" '$1 == n { s += $2 } END { print s + 0 }' "$log")
        (( done_so_far >= target )) && break
        before=$(ls "$root/fuzz/regressions/$name" 2>/dev/null | wc -l)
        out=$("$root/scripts/fuzz.sh" "$name" "$chunk" -report_slow_units=1 2>&1)
        after=$(ls "$root/fuzz/regressions/$name" 2>/dev/null | wc -l)
        if ! grep -q "stat::number_of_executed_units" <<<"$out"; then
            echo "fuzz_campaign: $name did not run:" >&2; tail -20 <<<"$out" >&2
            (( ++failures < 3 )) && continue || exit 1
        fi
        stat() { grep -o "stat::$1: *[0-9.]*" <<<"$out" | tail -1 | grep -o '[0-9.]*$'; }
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(stat number_of_executed_units)" \
            "$(stat average_exec_per_sec)" "$(stat slowest_unit_time_sec)" "$(stat peak_rss_mb)" \
            "$((after - before))" >> "$log"
        tail -1 "$log"
        if (( after > before )); then echo "fuzz_campaign: $name found something: fuzz/regressions/$name" >&2; break; fi
    done
done
