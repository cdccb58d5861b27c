using System.Text.Json;
using Research.Rl.Buffers;
using Research.Rl.Policies;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy.Tests;

/// <summary>
/// SAC's, TD3's and DDPG's updates against Stable-Baselines3's own <c>train()</c> on the same weights, batches and random draws
/// (tools/sb3/make_continuous_golden.py): logged losses and α per call, and every final weight, to 1e-5.
/// </summary>
public class ContinuousOracleTests
{
    private const int BatchSize = 8;

    [Theory]
    [InlineData("sac")]
    [InlineData("sac_sde")]
    public void Sac_updates_match_stable_baselines3(string name)
    {
        using var document = Load(name);
        var root = document.RootElement;
        var settings = root.GetProperty("settings");
        bool useSde = settings.TryGetProperty("use_sde", out var sde) && sde.GetBoolean();
        using var env = BoxEnv.Vector(1);
        var defaults = new SacOptions();
        using var sac = new Sac(env, new SacOptions
        {
            Seed = 0,
            BatchSize = BatchSize,
            LearningRate = settings.GetProperty("learning_rate").GetDouble(),
            Gamma = settings.GetProperty("gamma").GetDouble(),
            Tau = settings.GetProperty("tau").GetDouble(),
            TargetUpdateInterval = settings.GetProperty("target_update_interval").GetInt32(),
            EntCoef = settings.TryGetProperty("ent_coef", out var entCoef) ? entCoef.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "auto",
            UseSde = useSde,
            PolicyKwargs = defaults.PolicyKwargs with { NetArch = Arch(16, 16), LogStdInit = useSde ? -1 : -3 },
        });
        Assert.Equal(root.GetProperty("target_entropy").GetDouble(), sac.TargetEntropy);
        LoadInitialWeights(sac.GetPolicy(), root);
        if (root.GetProperty("initial_log_ent_coef").ValueKind == JsonValueKind.Number)
            Assert.Equal(root.GetProperty("initial_log_ent_coef").GetDouble(), Math.Log(sac.EntCoef), 6);

        // SB3 draws the actor's and the next actions' noise per step; with gSDE, the exploration matrix and then one per-environment matrix it does not use.
        var normals = Normals(root, every: useSde ? 2 : 1);
        sac.StandardNormalSource = span =>
        {
            var values = normals.Dequeue();
            for (int k = 0; k < span.Length; k++) span[k] = (float)values[k];
        };
        var batches = Batches(root);
        var logged = root.GetProperty("logged").EnumerateArray().ToList();
        var calls = root.GetProperty("calls").EnumerateArray().Select(e => e.GetInt32()).ToList();
        int next = 0;
        for (int call = 0; call < calls.Count; call++)
        {
            double actor = 0, critic = 0, alpha = 0, alphaLoss = 0;
            for (int index = 0; index < calls[call]; index++)
            {
                var losses = sac.GradientStep(batches[next++], index);
                actor += losses.ActorLoss;
                critic += losses.CriticLoss;
                alpha += losses.EntCoef;
                alphaLoss += losses.EntCoefLoss;
            }
            var expected = logged[call];
            AssertLogged(expected, "train/actor_loss", actor / calls[call], call);
            AssertLogged(expected, "train/critic_loss", critic / calls[call], call);
            AssertLogged(expected, "train/ent_coef", alpha / calls[call], call);
            if (expected.TryGetProperty("train/ent_coef_loss", out _)) AssertLogged(expected, "train/ent_coef_loss", alphaLoss / calls[call], call);
        }
        Assert.Empty(normals);
        AssertFinalWeights(sac.GetPolicy(), root);
        if (root.GetProperty("final_log_ent_coef").ValueKind == JsonValueKind.Number)
            Assert.True(Math.Abs(root.GetProperty("final_log_ent_coef").GetDouble() - Math.Log(sac.EntCoef)) < 1e-6, $"log α {Math.Log(sac.EntCoef)}");
    }

    [Fact]
    public void Td3_updates_with_policy_delay_match_stable_baselines3()
    {
        using var document = Load("td3");
        var root = document.RootElement;
        var settings = root.GetProperty("settings");
        using var env = BoxEnv.Vector(1);
        double sigma = settings.GetProperty("target_policy_noise").GetDouble();
        using var td3 = new Td3(env, new Td3Options
        {
            Seed = 0,
            BatchSize = BatchSize,
            LearningRate = settings.GetProperty("learning_rate").GetDouble(),
            Gamma = settings.GetProperty("gamma").GetDouble(),
            Tau = settings.GetProperty("tau").GetDouble(),
            PolicyDelay = settings.GetProperty("policy_delay").GetInt32(),
            TargetPolicyNoise = sigma,
            TargetNoiseClip = settings.GetProperty("target_noise_clip").GetDouble(),
            PolicyKwargs = new Td3Options().PolicyKwargs with { NetArch = Arch(16, 16) },
        });
        // SB3 records the target noise N(0, σ²) itself; our seam takes the standard normal values.
        var normals = Normals(root, every: 1);
        td3.StandardNormalSource = span =>
        {
            var values = normals.Dequeue();
            for (int k = 0; k < span.Length; k++) span[k] = (float)(values[k] / sigma);
        };
        // The fixture must clip some of the target noise.
        Assert.Contains(root.GetProperty("normals").EnumerateArray().SelectMany(a => a.EnumerateArray()), v => Math.Abs(v.GetDouble()) > settings.GetProperty("target_noise_clip").GetDouble());
        ReplayDeterministic(td3, root);
        Assert.Empty(normals);
    }

    [Fact]
    public void Ddpg_updates_match_stable_baselines3()
    {
        using var document = Load("ddpg");
        var root = document.RootElement;
        var settings = root.GetProperty("settings");
        using var env = BoxEnv.Vector(1);
        using var ddpg = new Ddpg(env, new DdpgOptions
        {
            Seed = 0,
            BatchSize = BatchSize,
            LearningRate = settings.GetProperty("learning_rate").GetDouble(),
            Gamma = settings.GetProperty("gamma").GetDouble(),
            Tau = settings.GetProperty("tau").GetDouble(),
            PolicyKwargs = new DdpgOptions().PolicyKwargs with { NetArch = Arch(16, 16) },
        });
        ddpg.StandardNormalSource = _ => throw new InvalidOperationException("DDPG's target noise is clipped to zero and never drawn.");
        ReplayDeterministic(ddpg, root);
    }

    private static void ReplayDeterministic<TOptions>(DeterministicActorCriticAlgorithm<TOptions> algorithm, JsonElement root)
        where TOptions : Research.Rl.Algorithms.ContinuousOffPolicyOptions
    {
        LoadInitialWeights(algorithm.GetPolicy(), root);
        var batches = Batches(root);
        var logged = root.GetProperty("logged").EnumerateArray().ToList();
        var calls = root.GetProperty("calls").EnumerateArray().Select(e => e.GetInt32()).ToList();
        int next = 0;
        for (int call = 0; call < calls.Count; call++)
        {
            double critic = 0, actor = 0;
            int actorSteps = 0;
            for (int step = 0; step < calls[call]; step++)
            {
                var (criticLoss, actorLoss) = algorithm.GradientStep(batches[next++]);
                critic += criticLoss;
                if (actorLoss is { } a)
                {
                    actor += a;
                    actorSteps++;
                }
            }
            AssertLogged(logged[call], "train/critic_loss", critic / calls[call], call);
            AssertLogged(logged[call], "train/actor_loss", actor / actorSteps, call);
        }
        AssertFinalWeights(algorithm.GetPolicy(), root);
    }

    private static JsonDocument Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "golden", $"sb3_{name}_update.json")));

    private static NetArchOptions Arch(params int[] sizes) => new() { Pi = sizes, Vf = sizes, Qf = sizes };

    private static void LoadInitialWeights(PolicyBase policy, JsonElement root)
    {
        var initial = Golden.From(root.GetProperty("initial"));
        // Our parameter names are SB3's, one for one.
        Assert.Equal(initial.Names.Order(), policy.GetWeights().Keys.Order());
        policy.SetWeights(initial.Names.ToDictionary(n => n, initial.Data));
    }

    private static void AssertFinalWeights(PolicyBase policy, JsonElement root)
    {
        var expected = Golden.From(root.GetProperty("final"));
        var actual = policy.GetWeights();
        foreach (var name in expected.Names) Golden.AssertClose(name, expected.Data(name), actual[name]);
    }

    private static Queue<double[]> Normals(JsonElement root, int every) =>
        new(root.GetProperty("normals").EnumerateArray().Where((_, i) => i % every == 0).Select(a => a.EnumerateArray().Select(e => e.GetDouble()).ToArray()));

    private static List<ReplayBatch> Batches(JsonElement root) => root.GetProperty("batches").EnumerateArray().Select(element =>
    {
        var source = Golden.From(element);
        var batch = new ReplayBatch(BatchSize, 3, 2);
        source.Data("observations").CopyTo(batch.Observations, 0);
        source.Data("next_observations").CopyTo(batch.NextObservations, 0);
        source.Data("actions").CopyTo(batch.Actions, 0);
        source.Data("rewards").CopyTo(batch.Rewards, 0);
        source.Data("dones").CopyTo(batch.Dones, 0);
        return batch;
    }).ToList();

    private static void AssertLogged(JsonElement logged, string key, double actual, int call)
    {
        double expected = logged.GetProperty(key).GetDouble();
        Assert.True(Math.Abs(actual - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"call {call}: {key} {actual}, SB3 {expected}");
    }
}
