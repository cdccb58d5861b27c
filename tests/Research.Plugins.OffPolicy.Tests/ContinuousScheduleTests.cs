using System.Text.Json;
using Research.Rl.Algorithms;
using Research.Rl.Callbacks;
using Research.Rl.Noise;
using Research.Rl.Policies;
using Research.Tensors;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>
/// SAC's and TD3's collection schedules against Stable-Baselines3's <c>learn()</c> (tools/sb3/make_continuous_schedule_golden.py):
/// at every vector step, the running counts of train calls, gradient steps, target updates, action-noise resets per environment
/// and gSDE redraws agree.
/// </summary>
public class ContinuousScheduleTests
{
    [Theory]
    [InlineData("sac_sde_ou")]
    [InlineData("td3_normal")]
    [InlineData("sac_episodes")]
    public void Counts_agree_with_stable_baselines3_at_every_step(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", "sb3_continuous_schedule.json")));
        var golden = document.RootElement.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var settings = golden.GetProperty("settings");
        int Setting(string key) => settings.GetProperty(key).GetInt32();
        int n = golden.GetProperty("n_envs").GetInt32();
        using var env = BoxEnv.Vector(n);
        var policy = new PolicyOptions { ActivationFn = Activation.Relu, NetArch = new NetArchOptions { Pi = [8], Vf = [8], Qf = [8] } };
        var resets = new long[n];
        IAlgorithmUnderTest algorithm;
        if (name.StartsWith("sac", StringComparison.Ordinal))
        {
            bool episodes = settings.GetProperty("train_freq").ValueKind == JsonValueKind.Array;
            var sac = new Sac(env, new SacOptions
            {
                Seed = 0,
                BatchSize = 8,
                LearningStarts = Setting("learning_starts"),
                TrainFreq = episodes ? settings.GetProperty("train_freq")[0].GetInt32() : Setting("train_freq"),
                TrainFreqUnit = episodes ? TrainFrequencyUnit.Episode : TrainFrequencyUnit.Step,
                GradientSteps = Setting("gradient_steps"),
                TargetUpdateInterval = settings.TryGetProperty("target_update_interval", out var interval) ? interval.GetInt32() : 1,
                Tau = settings.GetProperty("tau").GetDouble(),
                UseSde = settings.TryGetProperty("use_sde", out var sde) && sde.GetBoolean(),
                SdeSampleFreq = settings.TryGetProperty("sde_sample_freq", out var freq) ? freq.GetInt32() : -1,
                PolicyKwargs = policy with { LogStdInit = -3 },
            });
            sac.ActionNoise = new VectorizedActionNoise(new CountingNoise(resets), n);
            algorithm = new Wrapped(sac, () => sac.TargetUpdates, () => sac.NoiseRedraws);
        }
        else
        {
            var td3 = new Td3(env, new Td3Options
            {
                Seed = 0,
                BatchSize = 8,
                LearningStarts = Setting("learning_starts"),
                TrainFreq = Setting("train_freq"),
                GradientSteps = Setting("gradient_steps"),
                PolicyDelay = Setting("policy_delay"),
                Tau = settings.GetProperty("tau").GetDouble(),
                PolicyKwargs = policy,
            });
            td3.ActionNoise = new VectorizedActionNoise(new CountingNoise(resets), n);
            algorithm = new Wrapped(td3, () => td3.TargetUpdates, () => 0);
        }

        // Building the processes resets each once (SB3's too); the golden counts resets from learn() on.
        Array.Clear(resets);
        var rows = new List<string>();
        long trains = 0, gradientSteps = 0;
        algorithm.Algorithm.Learn(golden.GetProperty("total_timesteps").GetInt32(), new LambdaCallback(
            onStep: a =>
            {
                rows.Add($"{a.NumTimesteps} {trains} {gradientSteps} {algorithm.TargetUpdates()} [{string.Join(", ", resets)}] {algorithm.NoiseRedraws()}");
                return true;
            },
            onIterationEnd: (_, row) =>
            {
                if (row.TryGetValue("info/learner/n_updates", out double updates) && (long)updates != gradientSteps)
                {
                    trains++;
                    gradientSteps = (long)updates;
                }
                return true;
            }));
        algorithm.Algorithm.Dispose();

        var expected = golden.GetProperty("rows").EnumerateArray().Select(r =>
            $"{r[0].GetInt64()} {r[1].GetInt64()} {r[2].GetInt64()} {r[3].GetInt64()} [{string.Join(", ", r[4].EnumerateArray().Select(e => e.GetInt64()))}] {r[5].GetInt64()}").ToList();
        Assert.Equal(expected, rows);
    }

    private interface IAlgorithmUnderTest
    {
        Research.Abstractions.Algorithms.IAlgorithm Algorithm { get; }
        long TargetUpdates();
        long NoiseRedraws();
    }

    private sealed record Wrapped(Research.Abstractions.Algorithms.IAlgorithm Algorithm, Func<long> Targets, Func<long> Redraws) : IAlgorithmUnderTest
    {
        public long TargetUpdates() => Targets();
        public long NoiseRedraws() => Redraws();
    }

    /// <summary>Zero noise that counts its resets; each clone (one per environment, in order) counts into its own slot.</summary>
    private sealed class CountingNoise(long[] resets, int index = -1) : ActionNoise(2)
    {
        private int _clones;

        public override void Sample(Span<float> destination, Generator generator) => destination[..Size].Clear();

        public override void Reset()
        {
            if (index >= 0) resets[index]++;
        }

        public override ActionNoise Clone() => new CountingNoise(resets, _clones++);
    }
}
