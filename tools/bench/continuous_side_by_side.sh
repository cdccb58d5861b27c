#!/usr/bin/env bash
# Headline speed ratio, one command: Stable-Baselines3's own learn() and `research bench` on the same algorithm, environment,
# zoo settings and seed, one after the other in the same minutes, with the load average before each.
#   tools/bench/continuous_side_by_side.sh [ALGO=SAC] [ENV=Pendulum-v1] [SEED=0]
# Needs SB3 v2.4.1 and Gymnasium 0.29.1 on PYTHONPATH (default /opt/oracle; see tools/sb3/README.md).
set -euo pipefail
algo=${1:-SAC}; env=${2:-Pendulum-v1}; seed=${3:-0}
root=$(cd "$(dirname "$0")/../.." && pwd)
export PYTHONPATH=${PYTHONPATH:-/opt/oracle}
# As in the peer figures: one torch thread (set by the script) and one OpenBLAS thread.
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
dotnet build "$root/src/Research.Cli" -c Release -v quiet -nologo > /dev/null
echo "load average before SB3: $(cut -d' ' -f1-3 /proc/loadavg)"
sb3=$(/usr/bin/python3 "$root/tools/sb3/time_continuous.py" "$algo" "$env" --seed "$seed" 2>/dev/null | tail -1)
echo "SB3: $sb3"
echo "load average before research: $(cut -d' ' -f1-3 /proc/loadavg)"
ours=$(cd "$root" && dotnet run --no-build --project src/Research.Cli -c Release -- bench --algo "$algo" --env "$env" --hyperparams zoo --seeds "$seed" --json)
echo "research: $(echo "$ours" | tr -d '\n ' )"
/usr/bin/python3 - "$sb3" "$ours" <<'PY'
import json, sys
sb3, ours = json.loads(sys.argv[1]), json.loads(sys.argv[2])["rows"][0]
print(f"ratio (SB3 learn / research wall): {sb3['learn_seconds'] / ours['wall_seconds']:.2f}x; "
      f"returns SB3 {sb3['mean_return']:.1f}, research {ours['mean_return']:.1f}")
PY
