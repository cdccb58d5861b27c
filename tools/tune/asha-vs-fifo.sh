#!/usr/bin/env bash
# README "Sweeps at scale": the same 16-config PPO CartPole grid with ASHA and without a scheduler (FIFO), 2 trials at a time.
# Prints the load average, each sweep's wall time, and tools/tune/sweep-summary.py's line (timesteps spent, best return).
# Usage: tools/tune/asha-vs-fifo.sh [research-executable]   (default: the Release build of src/Research.Cli)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
research="${1:-$repo/src/Research.Cli/bin/Release/net10.0/research}"
work="$(mktemp -d)"
cd "$work"
for spec in cartpole-ppo-asha cartpole-ppo-fifo16; do
  echo "load average: $(cat /proc/loadavg)"
  start=$(date +%s)
  CI=1 "$research" sweep "$repo/experiments/$spec.yaml" > "$spec.log"
  echo "$spec: $(( $(date +%s) - start )) s wall"
done
python3 "$repo/tools/tune/sweep-summary.py" results/cartpole-ppo-asha results/cartpole-ppo-fifo16
echo "results in $work/results"
