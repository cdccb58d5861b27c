using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;

namespace Research.Rl.Checking;

/// <summary>How serious a finding is: an error breaks the environment contract, a warning is suspicious but can be legitimate.</summary>
public enum FindingSeverity
{
    /// <summary>Suspicious, for example different seeds giving the same first observation.</summary>
    Warning,

    /// <summary>A contract violation.</summary>
    Error,
}

/// <summary>One problem found by <see cref="EnvChecker"/>: which check, how serious, and what happened.</summary>
public sealed record EnvCheckFinding(FindingSeverity Severity, string Check, string Message)
{
    public override string ToString() => $"{Severity} [{Check}] {Message}";
}

/// <summary>Settings of <see cref="EnvChecker"/>.</summary>
public sealed record EnvCheckOptions
{
    /// <summary>Seed of the resets and of the random actions.</summary>
    public int Seed { get; init; }

    /// <summary>Most steps taken while looking for the end of an episode.</summary>
    public int MaxSteps { get; init; } = 1000;

    /// <summary>Whether to call <see cref="IEnv.Render"/> and check its frames.</summary>
    public bool CheckRender { get; init; } = true;
}

/// <summary>Finds violations of the environment contract, like Stable-Baselines' <c>check_env</c>, and returns them instead of stopping at the first.</summary>
/// <remarks>
/// Checks: observations written in full and inside the observation space (after reset and every step); reset honouring
/// the seed (same seed → same observation; different seeds → different, as a warning); stepping before reset and after
/// termination throwing; finite rewards; constant, non-empty render frames; and, for <see cref="IStateful"/> environments,
/// that a saved state restored into a fresh instance reproduces the same steps bit for bit.
/// </remarks>
public static class EnvChecker
{
    /// <summary>Names of the checks, as they appear in <see cref="EnvCheckFinding.Check"/>.</summary>
    public static class Checks
    {
        public const string Observation = "observation";
        public const string Seeding = "seeding";
        public const string StepBeforeReset = "step-before-reset";
        public const string StepAfterEnd = "step-after-end";
        public const string Reward = "reward";
        public const string Render = "render";
        public const string State = "state";
        public const string Crash = "crash";
    }

    /// <summary>Runs every check on environments made by <paramref name="create"/> (called a few times: some checks need a fresh instance).</summary>
    public static IReadOnlyList<EnvCheckFinding> Check(Func<IEnv> create, EnvCheckOptions? options = null)
    {
        options ??= new EnvCheckOptions();
        var findings = new List<EnvCheckFinding>();
        Guard(findings, Checks.StepBeforeReset, () => CheckStepBeforeReset(create, findings));
        Guard(findings, Checks.Seeding, () => CheckSeeding(create, options, findings));
        Guard(findings, Checks.Observation, () => CheckEpisode(create, options, findings));
        if (options.CheckRender) Guard(findings, Checks.Render, () => CheckRender(create, options, findings));
        Guard(findings, Checks.State, () => CheckState(create, options, findings));
        return findings;
    }

    private static void Guard(List<EnvCheckFinding> findings, string check, Action run)
    {
        try
        {
            run();
        }
        catch (Exception e)
        {
            findings.Add(new(FindingSeverity.Error, check, $"threw {e.GetType().Name}: {e.Message}"));
        }
    }

    private static void CheckStepBeforeReset(Func<IEnv> create, List<EnvCheckFinding> findings)
    {
        using var env = create();
        try
        {
            env.Step(env.ActionSpace.Sample(), new float[env.ObservationSpace.FlatSize]);
            findings.Add(new(FindingSeverity.Error, Checks.StepBeforeReset, "Step before the first Reset did not throw."));
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static void CheckSeeding(Func<IEnv> create, EnvCheckOptions options, List<EnvCheckFinding> findings)
    {
        using var env = create();
        var first = ResetObservation(env, options.Seed);
        var again = ResetObservation(env, options.Seed);
        if (!first.AsSpan().SequenceEqual(again))
            findings.Add(new(FindingSeverity.Error, Checks.Seeding,
                $"Reset(seed: {options.Seed}) gave {Space.Format(first)} then {Space.Format(again)}; the same seed must give the same observation."));
        using var other = create();
        var fresh = ResetObservation(other, options.Seed);
        if (!first.AsSpan().SequenceEqual(fresh))
            findings.Add(new(FindingSeverity.Error, Checks.Seeding,
                $"Reset(seed: {options.Seed}) on a new instance gave {Space.Format(fresh)}, not {Space.Format(first)}."));
        var different = ResetObservation(env, options.Seed + 1);
        if (first.AsSpan().SequenceEqual(different))
            findings.Add(new(FindingSeverity.Warning, Checks.Seeding,
                $"Reset(seed: {options.Seed}) and Reset(seed: {options.Seed + 1}) gave the same observation {Space.Format(first)}; is the seed used?"));
    }

    private static void CheckEpisode(Func<IEnv> create, EnvCheckOptions options, List<EnvCheckFinding> findings)
    {
        using var env = create();
        env.ActionSpace.Seed(options.Seed);
        var observation = NaNBuffer(env.ObservationSpace.FlatSize);
        env.Reset(observation, options.Seed);
        CheckObservation(env, observation, "Reset", findings);
        var action = new float[env.ActionSpace.FlatSize];
        for (int t = 0; t < options.MaxSteps; t++)
        {
            env.ActionSpace.Sample(action);
            observation.AsSpan().Fill(float.NaN);
            var outcome = env.Step(action, observation);
            if (!CheckObservation(env, observation, $"Step {t}", findings)) return;
            if (!double.IsFinite(outcome.Reward))
            {
                findings.Add(new(FindingSeverity.Error, Checks.Reward, $"Step {t} returned the reward {outcome.Reward}; rewards must be finite."));
                return;
            }
            if (outcome.Terminated)
            {
                CheckStepAfterEnd(env, action, observation, t, findings);
                return;
            }
        }
    }

    private static void CheckStepAfterEnd(IEnv env, float[] action, float[] observation, int t, List<EnvCheckFinding> findings)
    {
        try
        {
            env.Step(action, observation);
            findings.Add(new(FindingSeverity.Error, Checks.StepAfterEnd, $"Step after the episode terminated (at step {t}) did not throw."));
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static bool CheckObservation(IEnv env, float[] observation, string when, List<EnvCheckFinding> findings)
    {
        int unwritten = Array.FindIndex(observation, float.IsNaN);
        string? reason = unwritten >= 0
            ? $"element {unwritten} was not written (the space says {env.ObservationSpace.FlatSize} elements)"
            : env.ObservationSpace.Explain(observation);
        if (reason is null) return true;
        findings.Add(new(FindingSeverity.Error, Checks.Observation, $"{when}: observation {Space.Format(observation)} is not in {env.ObservationSpace}: {reason}."));
        return false;
    }

    private static void CheckRender(Func<IEnv> create, EnvCheckOptions options, List<EnvCheckFinding> findings)
    {
        using var env = create();
        env.ActionSpace.Seed(options.Seed);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, options.Seed);
        var first = env.Render();
        var action = new float[env.ActionSpace.FlatSize];
        for (int t = 0; t < 3; t++)
        {
            env.ActionSpace.Sample(action);
            if (env.Step(action, observation).Done) break;
            var frame = env.Render();
            if (frame.Width != first.Width || frame.Height != first.Height)
            {
                findings.Add(new(FindingSeverity.Error, Checks.Render,
                    $"the frame after step {t} is {frame.Width}x{frame.Height} but the first was {first.Width}x{first.Height}; every frame must have the same size."));
                return;
            }
        }
    }

    private static void CheckState(Func<IEnv> create, EnvCheckOptions options, List<EnvCheckFinding> findings)
    {
        using var env = create();
        if (env is not IStateful stateful)
        {
            findings.Add(new(FindingSeverity.Warning, Checks.State, $"{env.GetType().Name} does not implement IStateful; checkpoints cannot restore it."));
            return;
        }
        env.ActionSpace.Seed(options.Seed);
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, options.Seed);
        var actions = Enumerable.Range(0, 20).Select(_ => env.ActionSpace.Sample()).ToArray();
        env.Step(actions[0], observation);
        using var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true)) stateful.WriteState(writer);
        var expected = Play(env, actions.AsSpan(1));

        using var restored = create();
        saved.Position = 0;
        using (var reader = new BinaryReader(saved)) ((IStateful)restored).ReadState(reader);
        var actual = Play(restored, actions.AsSpan(1));
        for (int i = 0; i < expected.Count; i++)
            if (!expected[i].Observation.AsSpan().SequenceEqual(actual[i].Observation) || expected[i].Outcome != actual[i].Outcome)
            {
                findings.Add(new(FindingSeverity.Error, Checks.State,
                    $"after restoring a saved state into a new instance, step {i + 1} gave {Space.Format(actual[i].Observation)} ({actual[i].Outcome}) " +
                    $"instead of {Space.Format(expected[i].Observation)} ({expected[i].Outcome})."));
                return;
            }
    }

    /// <summary>Steps through the actions (resetting, unseeded, when an episode ends) and records every observation and outcome.</summary>
    private static List<(float[] Observation, StepOutcome Outcome)> Play(IEnv env, ReadOnlySpan<float[]> actions)
    {
        var log = new List<(float[], StepOutcome)>();
        foreach (var action in actions)
        {
            var observation = new float[env.ObservationSpace.FlatSize];
            var outcome = env.Step(action, observation);
            if (outcome.Done) env.Reset(observation);
            log.Add((observation, outcome));
        }
        return log;
    }

    private static float[] ResetObservation(IEnv env, int seed)
    {
        var observation = new float[env.ObservationSpace.FlatSize];
        env.Reset(observation, seed);
        return observation;
    }

    private static float[] NaNBuffer(int size)
    {
        var buffer = new float[size];
        buffer.AsSpan().Fill(float.NaN);
        return buffer;
    }
}
