#!/usr/bin/env bash
# README "Sweeps at scale": Slurm submit-to-start latency and the per-trial overhead of the Slurm executor over local processes,
# on a single-node cluster brought up here (tools/slurm/cluster.sh; Debian's slurm packages must be installed).
# Usage: tools/tune/slurm-latency.sh [research-executable]   (default: the Release build of src/Research.Cli)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
research="${1:-$repo/src/Research.Cli/bin/Release/net10.0/research}"
work="$(mktemp -d)"
cluster="$work/cluster"
trap 'bash "$repo/tools/slurm/cluster.sh" down "$cluster"' EXIT
bash "$repo/tools/slurm/cluster.sh" up "$cluster"
export SLURM_CONF="$cluster/slurm.conf"
echo "load average: $(cat /proc/loadavg)"

# Submit to start: a job that records when its script began, submitted one at a time (10 times).
cat > "$work/start.sh" <<'JOB'
#!/bin/bash
date +%s.%N > "$1"
JOB
latencies=()
for i in $(seq 10); do
  before=$(date +%s.%N)
  id=$(sbatch --parsable --output=/dev/null "$work/start.sh" "$work/started.$i")
  until [ -s "$work/started.$i" ]; do sleep 0.01; done
  latencies+=("$(echo "$(cat "$work/started.$i") - $before" | bc)")
done
printf '%s\n' "${latencies[@]}" | sort -n | awk '{a[NR]=$1} END {printf "submit to start (10 jobs): median %.3f s, min %.3f s, max %.3f s\n", a[int((NR+1)/2)], a[1], a[NR]}'

# Per-trial overhead: the same 8 one-iteration PPO trials as local processes and as Slurm jobs, 2 at a time.
for executor in local "{type: slurm, poll_interval: 0.5}"; do
  name="overhead-$( [ "$executor" = local ] && echo local || echo slurm )"
  cat > "$work/$name.yaml" <<SPEC
name: $name
algorithm: PPO
env: CartPole-v1
config: {n_envs: 1, n_steps: 64, batch_size: 64, seed: {grid_search: [0, 1, 2, 3, 4, 5, 6, 7]}}
stop: {training_iteration: 1}
max_concurrent: 2
output: $work/results
executor: $executor
SPEC
  start=$(date +%s.%N)
  CI=1 "$research" sweep "$work/$name.yaml" > "$work/$name.log"
  echo "$name: 8 trials in $(echo "$(date +%s.%N) - $start" | bc) s wall"
done
echo "load average: $(cat /proc/loadavg)"
