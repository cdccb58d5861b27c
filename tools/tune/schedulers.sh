#!/usr/bin/env bash
# README "Sweeps at scale": the same 16-config PPO CartPole grid with ASHA (in the spec's order and with the learning rates listed
# best-first, since asynchronous halving lets the first trials through unopposed), without a scheduler (FIFO), and PBT on the
# grid's first row, 2 trials at a time. Prints the load average, each sweep's wall time, and tools/tune/sweep-summary.py's line.
# Usage: tools/tune/asha-vs-fifo.sh [research-executable]   (default: the Release build of src/Research.Cli)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
research="${1:-$repo/src/Research.Cli/bin/Release/net10.0/research}"
work="$(mktemp -d)"
cd "$work"
sed -e 's/^name: cartpole-ppo-asha/name: cartpole-ppo-asha-reversed/' \
    -e 's/grid_search: \[0.00003, 0.0001, 0.0003, 0.001\]/grid_search: [0.001, 0.0003, 0.0001, 0.00003]/' \
    "$repo/experiments/cartpole-ppo-asha.yaml" > cartpole-ppo-asha-reversed.yaml
for spec in "$repo/experiments/cartpole-ppo-asha.yaml" cartpole-ppo-asha-reversed.yaml \
            "$repo/experiments/cartpole-ppo-fifo16.yaml" "$repo/experiments/cartpole-ppo-pbt.yaml"; do
  name="$(basename "$spec" .yaml)"
  echo "load average: $(cat /proc/loadavg)"
  start=$(date +%s)
  CI=1 "$research" sweep "$spec" > "$name.log"
  echo "$name: $(( $(date +%s) - start )) s wall"
done
python3 "$repo/tools/tune/sweep-summary.py" results/cartpole-ppo-asha results/cartpole-ppo-asha-reversed results/cartpole-ppo-fifo16 results/cartpole-ppo-pbt
echo "results in $work/results"
