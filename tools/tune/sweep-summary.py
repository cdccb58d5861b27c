#!/usr/bin/env python3
"""Prints one line per experiment: trials, timesteps spent, trials stopped early, the best trial's final and best return.

Usage: tools/tune/sweep-summary.py <experiment_dir> [<experiment_dir> ...]
Reads only the files the sweep wrote (result.json of every trial, experiment_state.json). Timesteps spent are rows times the
steps of one iteration (the most common step between rows), so a PBT trial whose counter jumps to its donor's is counted by
what it ran, not by the donor's counter."""
import collections, json, os, sys

for exp in sys.argv[1:]:
    state = json.load(open(os.path.join(exp, "experiment_state.json")))
    total, finals, bests, early = 0, [], [], 0
    for t in state["trials"]:
        rows = [json.loads(l) for l in open(os.path.join(exp, t["dir"], "result.json")) if l.strip()]
        if not rows:
            continue
        steps = collections.Counter(b["timesteps_total"] - a["timesteps_total"] for a, b in zip(rows, rows[1:]))
        per_iteration = steps.most_common(1)[0][0] if steps else rows[0]["timesteps_total"]
        total += len(rows) * per_iteration
        finals.append((rows[-1]["episode_reward_mean"], t["trial_id"]))
        bests.append(max(r["episode_reward_mean"] for r in rows))
        early += 1 if t.get("reason") else 0
    final, best_id = max(finals)
    print(f"{os.path.basename(exp.rstrip('/'))}: {len(state['trials'])} trials, {total} timesteps spent, {early} stopped early, "
          f"best final return {final:.1f} ({best_id}), best return seen {max(bests):.1f}, mean final {sum(f for f, _ in finals) / len(finals):.1f}")
