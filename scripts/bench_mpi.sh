#!/usr/bin/env bash
# Data-parallel training throughput on this machine (docs/scaling.md): one process with
# --threads 2 and batch 2B, against `mpirun -np 2` with --threads 1 and batch B each (per-process
# and synchronised batch norm), and — with --netns, as root — the two processes on two "hosts":
# rank 1 in its own network namespace, joined to rank 0's by a veth pair (Open MPI's TCP transport).
# Usage: scripts/bench_mpi.sh [--netns] [SIZE WIDTH BATCH EPOCHS]   (defaults 128 0.25 4 2)
# Prints training images/s of the last epoch (train images per epoch / metrics.csv `seconds`).
set -euo pipefail
netns=0
if [ "${1:-}" = --netns ]; then netns=1; shift; fi
size=${1:-128}; width=${2:-0.25}; batch=${3:-4}; epochs=${4:-2}
bin=${MAMMOSEG_BIN:-.build/release/mammoseg}
work=$(mktemp -d /tmp/mammoseg-bench-mpi.XXXXXX)
trap 'rm -rf "$work"' EXIT
mpirun=(mpirun --allow-run-as-root --oversubscribe --mca btl_vader_single_copy_mechanism none)
"$bin" synth --out "$work/data" --count 96 --size $((size * 2)) --val-fraction 0.1 --test-fraction 0.1 --seed 3 >/dev/null
common=(train --data "$work/data" --size "$size" --width "$width" --epochs "$epochs" --seed 1 --keep-checkpoints 1)

rate() {  # images/s of the last epoch of run folder $1 with global batch $2
  python3 - "$1" "$2" "$work/data" <<'PY'
import csv, math, sys
run, batch, data = sys.argv[1], int(sys.argv[2]), sys.argv[3]
train = sum(1 for r in csv.DictReader(open(data + "/manifest.csv")) if r["split"] == "train")
rows = list(csv.DictReader(open(run + "/metrics.csv")))
steps = math.ceil(train / batch)
print(f"{steps * batch / float(rows[-1]['seconds']):.2f} img/s ({steps} steps of {batch}, {float(rows[-1]['seconds']):.1f} s)")
PY
}

"$bin" "${common[@]}" --out "$work/one" --batch $((2 * batch)) --threads 2 >/dev/null 2>&1
echo "1 process  x 2 threads, batch $((2 * batch)):            $(rate "$work/one" $((2 * batch)))"
"${mpirun[@]}" -np 2 "$bin" "${common[@]}" --out "$work/two" --batch "$batch" --threads 1 >/dev/null 2>&1
echo "2 processes x 1 thread, batch $batch each:          $(rate "$work/two" $((2 * batch)))"
"${mpirun[@]}" -np 2 "$bin" "${common[@]}" --out "$work/sync" --batch "$batch" --threads 1 --sync-batchnorm >/dev/null 2>&1
echo "2 processes x 1 thread, --sync-batchnorm:         $(rate "$work/sync" $((2 * batch)))"

if [ $netns = 1 ]; then
  # Host B: namespace mammoseg-b, reached from this namespace (host A) only through veth msa <-> msb.
  ip netns add mammoseg-b
  trap 'ip link del msa 2>/dev/null || true; ip netns del mammoseg-b 2>/dev/null || true; rm -rf "$work"' EXIT
  ip link add msa type veth peer name msb
  ip link set msb netns mammoseg-b
  ip addr add 10.78.0.1/24 dev msa && ip link set msa up
  ip -n mammoseg-b addr add 10.78.0.2/24 dev msb && ip -n mammoseg-b link set msb up && ip -n mammoseg-b link set lo up
  cat > "$work/host.sh" <<'SH'
#!/bin/bash
# Rank 0 runs on host A (this namespace), rank 1 on host B.
[ "$OMPI_COMM_WORLD_RANK" = 0 ] && exec "$@"
exec ip netns exec mammoseg-b "$@"
SH
  chmod +x "$work/host.sh"
  before=$(cat /sys/class/net/msa/statistics/tx_bytes)
  # PMIx (the launcher's channel) must accept rank 1 over the veth too; MPI traffic: TCP on the veth only.
  PMIX_MCA_ptl_tcp_remote_connections=1 PMIX_MCA_ptl_tcp_if_include=msa "${mpirun[@]}" -np 2 \
    -x PMIX_MCA_ptl_tcp_remote_connections -x PMIX_MCA_ptl_tcp_if_include \
    --mca btl tcp,self --mca btl_tcp_if_include 10.78.0.0/24 \
    "$work/host.sh" "$(realpath "$bin")" "${common[@]}" --out "$work/net" --batch "$batch" --threads 1 >/dev/null 2>&1
  sent=$(( $(cat /sys/class/net/msa/statistics/tx_bytes) - before ))
  echo "2 hosts (netns + veth, TCP) x 1 thread, batch $batch: $(rate "$work/net" $((2 * batch))); $((sent / 1000000)) MB sent by host A"
fi
