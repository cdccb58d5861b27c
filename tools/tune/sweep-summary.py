#!/usr/bin/env python3
"""Prints one line per experiment: trials, total timesteps spent, trials stopped early, the best trial's final and best return.

Usage: tools/tune/sweep-summary.py <experiment_dir> [<experiment_dir> ...]
Reads only the files the sweep wrote (result.json of every trial, experiment_state.json)."""
import json, os, sys

for exp in sys.argv[1:]:
    state = json.load(open(os.path.join(exp, "experiment_state.json")))
    total, finals, bests, early = 0, [], [], 0
    for t in state["trials"]:
        rows = [json.loads(l) for l in open(os.path.join(exp, t["dir"], "result.json")) if l.strip()]
        if not rows:
            continue
        total += rows[-1]["timesteps_total"]
        finals.append((rows[-1]["episode_reward_mean"], t["trial_id"]))
        bests.append(max(r["episode_reward_mean"] for r in rows))
        early += 1 if t.get("reason") else 0
    final, best_id = max(finals)
    print(f"{os.path.basename(exp.rstrip('/'))}: {len(state['trials'])} trials, {total} timesteps, {early} stopped early, "
          f"best final return {final:.1f} ({best_id}), best return seen {max(bests):.1f}, mean final {sum(f for f, _ in finals) / len(finals):.1f}")
