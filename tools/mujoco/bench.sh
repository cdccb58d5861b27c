#!/usr/bin/env bash
# MuJoCo speed, one command: mujoco-testspeed (MuJoCo's own C loop) on the environments' models, then the BenchmarkDotNet
# MuJoCo benchmarks (environment steps, the bare MuJoCo calls, 8 HalfCheetahs on 1 and 2 threads), then testspeed again,
# with the load average before and after. Ratios are only meaningful within one run on a shared machine.
#   tools/mujoco/bench.sh [short|default]   (the BenchmarkDotNet job; short by default)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
assets="$root/plugins/Research.Plugins.MuJoCo/assets"
job="${1:-short}"
testspeed() {
  for model in half_cheetah hopper humanoid; do
    # 1 thread, full-range control noise (as the benchmarks' uniform actions).
    printf '%-14s ' "$model"
    mujoco-testspeed "$assets/$model.xml" 20000 1 1.0 | grep -E "Steps per second" | tr -s ' '
  done
}
echo "load average: $(cat /proc/loadavg)"
echo "== mujoco-testspeed (mj_step/s)"; testspeed
echo "== BenchmarkDotNet"
dotnet run -c Release --project "$root/tests/Research.Benchmarks" -- --filter '*MuJoCo*' --job "$job" 2>&1 \
  | grep -E "^\| |^// \* Legends|Runtime=|load" || true
echo "== mujoco-testspeed again (mj_step/s)"; testspeed
echo "load average: $(cat /proc/loadavg)"
echo "frame_skip: HalfCheetah 5, Hopper 4, Humanoid 5 (an environment step is frame_skip mj_steps plus mj_rnePostConstraint)"
