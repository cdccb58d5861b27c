using Research.Abstractions.Algorithms;
using Research.Abstractions.Options;
using Research.Host.Catalog;
using Research.Host.Training;
using Research.Rl.VectorEnvs;
using Research.Tune;

namespace Research.Host.Tests.Training;

public class AlgorithmFactoryTests
{
    private static readonly PluginCatalog Sample = Fixtures.Catalog(Fixtures.Folder("SamplePlugin"));
    private static readonly AlgorithmFactory Factory = new(Sample);

    private static Dictionary<string, object?> Config(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    private static AlgorithmOptions OptionsOf(IAlgorithm algorithm) =>
        (AlgorithmOptions)((EnvironmentOwningAlgorithm)algorithm).Inner.GetType().GetProperty("Options")!.GetValue(((EnvironmentOwningAlgorithm)algorithm).Inner)!;

    [Fact]
    public void Create_binds_options_sets_the_seed_and_builds_n_envs_copies()
    {
        using var algorithm = Factory.Create(Factory.Plan("sampleALGO", "Sample-v0", Config(("n_envs", "3"), ("gamma", 0.5), ("seed", 1)), seed: 7));

        var owned = Assert.IsType<EnvironmentOwningAlgorithm>(algorithm);
        Assert.IsType<SyncVectorEnv>(owned.Env);
        Assert.Equal(3, owned.Env.NumEnvs);
        var options = OptionsOf(algorithm);
        Assert.Equal(7, options.Seed);
        Assert.Equal(3, options.NEnvs);
        Assert.Equal(0.5, OptionsBinder.ToConfig(options)["gamma"]);
        algorithm.Learn(6);
        Assert.Equal(6, algorithm.NumTimesteps);
    }

    [Fact]
    public void A_null_seed_keeps_the_configured_one()
    {
        using var algorithm = Factory.Create(Factory.Plan("SampleAlgo", "Sample-v0", Config(("seed", 11)), seed: null));

        Assert.Equal(11, OptionsOf(algorithm).Seed);
    }

    [Fact]
    public void Normalize_true_wraps_VecNormalize_with_the_algorithms_gamma()
    {
        using var algorithm = Factory.Create(Factory.Plan("SampleAlgo", "Sample-v0", Config(("normalize", true), ("gamma", 0.9)), seed: 0));

        var normalize = Assert.IsType<VecNormalize>(((EnvironmentOwningAlgorithm)algorithm).Env);
        Assert.True(normalize.Options.NormObs);
        Assert.True(normalize.Options.NormReward);
        Assert.Equal(0.9, normalize.Options.Gamma);
    }

    [Fact]
    public void Normalize_reads_the_zoos_python_dict_and_dotted_keys()
    {
        using var fromDict = Factory.Create(Factory.Plan("SampleAlgo", "Sample-v0", Config(("normalize", "{'norm_obs': True, 'norm_reward': False}")), seed: 0));
        using var fromDotted = Factory.Create(Factory.Plan("SampleAlgo", "Sample-v0", Config(("normalize.clip_obs", "5"), ("normalize.gamma", "0.5")), seed: 0));

        var dict = Assert.IsType<VecNormalize>(((EnvironmentOwningAlgorithm)fromDict).Env);
        Assert.False(dict.Options.NormReward);
        var dotted = Assert.IsType<VecNormalize>(((EnvironmentOwningAlgorithm)fromDotted).Env);
        Assert.Equal(5.0, dotted.Options.ClipObs);
        Assert.Equal(0.5, dotted.Options.Gamma);
    }

    [Fact]
    public void Normalize_false_and_vec_env_parallel_are_honoured()
    {
        using var algorithm = Factory.Create(Factory.Plan("SampleAlgo", "Sample-v0", Config(("normalize", "false"), ("vec_env", "parallel"), ("n_envs", 2)), seed: 0));

        var env = Assert.IsType<ParallelVectorEnv>(((EnvironmentOwningAlgorithm)algorithm).Env);
        Assert.Equal(2, env.NumEnvs);
    }

    [Fact]
    public void Env_kwargs_configure_the_environment()
    {
        using var algorithm = Factory.Create(Factory.Plan("SampleAlgo", "Configured-v0", Config(("env_kwargs", new Dictionary<string, object?> { ["size"] = 5 })), seed: 0));

        Assert.Equal(5, ((EnvironmentOwningAlgorithm)algorithm).Env.SingleObservationSpace.FlatSize);
    }

    [Fact]
    public void Validate_names_an_unknown_key_and_the_nearest()
    {
        var error = Assert.Throws<OptionsException>(() => Factory.Plan("SampleAlgo", "Sample-v0", Config(("gamme", 0.9))));

        Assert.Contains("'gamme'", error.Message);
        Assert.Contains("did you mean 'gamma'", error.Message);
    }

    [Fact]
    public void Validate_names_the_nearest_algorithm_and_environment()
    {
        Assert.Contains("did you mean 'SampleAlgo'", Assert.Throws<PluginException>(() => Factory.Plan("SampleAlgx", "Sample-v0", Config())).Message);
        Assert.Contains("did you mean 'Sample-v0'", Assert.Throws<PluginException>(() => Factory.Plan("SampleAlgo", "Sample-v1", Config())).Message);
    }

    [Theory]
    [InlineData("env_wrapper", "sb3_contrib.common.wrappers.TimeFeatureWrapper", "not supported")]
    [InlineData("normalize", "sometimes", "neither true/false nor a dict")]
    [InlineData("vec_env", "subprocess", "expected 'sync' or 'parallel'")]
    [InlineData("normalize.norm_obz", "true", "did you mean 'norm_obs'")]
    [InlineData("env_kwargs.size", "0", "out of range")]
    public void Validate_rejects_bad_environment_keys_clearly(string key, string value, string expected)
    {
        string env = key.StartsWith("env_kwargs", StringComparison.Ordinal) ? "Configured-v0" : "Sample-v0";

        var error = Assert.Throws<OptionsException>(() => Factory.Plan("SampleAlgo", env, Config((key, value))));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Env_kwargs_for_an_environment_without_options_fail()
    {
        var error = Assert.Throws<OptionsException>(() => Factory.Plan("SampleAlgo", "Sample-v0", Config(("env_kwargs.size", 2))));

        Assert.Contains("'Sample-v0' takes no options", error.Message);
    }

    [Fact]
    public void A_trial_plans_its_stop_budget_and_a_schedule_without_one_is_refused_naming_it()
    {
        var config = Config(("learning_rate", "lin_0.001"));
        var error = Assert.Throws<OptionsException>(() => Factory.Validate(new TrialRequest("SampleAlgo", "Sample-v0", config)));
        Assert.Contains("learning_rate = lin_0.001 follows the training budget", error.Message);
        Assert.Contains("stop.timesteps_total", error.Message);

        Factory.Validate(new TrialRequest("SampleAlgo", "Sample-v0", config, Timesteps: 1000));
        Factory.Validate(new TrialRequest("SampleAlgo", "Sample-v0", Config(("learning_rate", 0.001))));
        using var trial = Factory.Create(new TrialRequest("SampleAlgo", "Sample-v0", config, Seed: 3, Timesteps: 1000));
        Assert.Equal((3, 1000L), (OptionsOf(trial).Seed, OptionsOf(trial).TotalTimesteps));
        using var own = Factory.Create(new TrialRequest("SampleAlgo", "Sample-v0", Config(("total_timesteps", 500)), Seed: 3, Timesteps: 1000));
        Assert.Equal(500L, OptionsOf(own).TotalTimesteps);
    }
}
