#!/usr/bin/env bash
# Runs one benchmark training step and inference pass with DNNL_VERBOSE=1 and summarises what
# oneDNN executed: implementations per primitive kind, any `ref:` (slow reference) kernels, and
# every reorder with its source and destination layouts, so one can see that activations are
# only reordered at the network's edges and weights where oneDNN needs its own layout.
#   usage: scripts/check_dnnl_verbose.sh [extra bench args]   (default: tiny dilated-resize)
# Exits 1 when a `ref:` implementation ran.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${MAMMOSEG_BIN:-.build/release/mammoseg}
[ -x "$bin" ] || { echo "error: $bin not built; run 'make build' first" >&2; exit 1; }
log=$(mktemp)
DNNL_VERBOSE=1 "$bin" bench --arch dilated-resize --size 64 --width 0.125 --batch 2 --steps 1 "$@" > "$log"
python3 - "$log" <<'PY'
import sys, collections
impls = collections.Counter(); reorders = collections.Counter(); refs = []
for line in open(sys.argv[1]):
    f = line.strip().split(",")
    if len(f) < 8 or f[0] not in ("dnnl_verbose", "onednn_verbose") or f[1] != "exec":
        continue
    kind, impl, prop, layouts = f[3], f[4], f[5], f[6]
    impls[(kind, impl)] += 1
    if impl.startswith("ref:") or impl.startswith("ref_"):
        refs.append(line.strip())
    if kind == "reorder":
        reorders[layouts] += 1
print("primitive kind / implementation: executions")
for (kind, impl), n in sorted(impls.items()):
    print(f"  {kind:<22} {impl:<28} {n}")
print("reorders (source -> destination layouts): executions")
for layouts, n in sorted(reorders.items(), key=lambda x: -x[1]):
    print(f"  {n:>4}  {layouts}")
if refs:
    print(f"error: {len(refs)} executions used a ref: implementation, e.g.\n  {refs[0]}")
    sys.exit(1)
print("no ref: implementation ran")
PY
rm -f "$log"
