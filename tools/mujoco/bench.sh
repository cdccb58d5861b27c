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
    # 1 thread, control noise 0 (all controls zero, as the CPU harness's "zero" column) and 1 (full range). Wall steps/s as
    # testspeed prints it, and the process's user+system CPU time per mj_step (model loading included; < 1% here).
    steps=$([ "$model" = humanoid ] && echo 20000 || echo 100000)
    for noise in 0 1.0; do
      out=$( { /usr/bin/time -f "cpu %U %S" mujoco-testspeed "$assets/$model.xml" "$steps" 1 "$noise"; } 2>&1 )
      wall=$(echo "$out" | grep -E "Steps per second" | tr -s ' ' | cut -d: -f2)
      cpu=$(echo "$out" | awk -v n="$steps" '/^cpu /{printf "%.2f", ($2 + $3) * 1e6 / n}')
      printf '%-14s noise %-4s wall %8s mj_step/s   CPU %6s us per mj_step\n' "$model" "$noise" "$wall" "$cpu"
    done
  done
}
echo "load average: $(cat /proc/loadavg)"
echo "== mujoco-testspeed (mj_step/s)"; testspeed
echo "== CPU time per environment step (dotnet, tests/Research.Benchmarks mujoco-cpu)"
dotnet run -c Release --project "$root/tests/Research.Benchmarks" -- mujoco-cpu 20000
echo "== BenchmarkDotNet (wall clock)"
dotnet run -c Release --project "$root/tests/Research.Benchmarks" -- --filter '*MuJoCo*' --job "$job" --inProcess 2>&1 \
  | grep -E "^\| |^// \* Legends|Runtime=|load" || true
echo "== mujoco-testspeed again (mj_step/s)"; testspeed
echo "load average: $(cat /proc/loadavg)"
echo "frame_skip: HalfCheetah 5, Hopper 4, Humanoid 5 (an environment step is frame_skip mj_steps plus mj_rnePostConstraint)"
