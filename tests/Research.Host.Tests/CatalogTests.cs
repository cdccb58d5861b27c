using System.Runtime.Loader;
using Research.Abstractions.Environments;
using Research.Abstractions.Options;
using Research.Host.Catalog;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Host.Tests;

public class CatalogTests
{
    private static readonly PluginCatalog Sample = Fixtures.Catalog(Fixtures.Folder("SamplePlugin"));

    [Fact]
    public void Lists_every_kind_with_its_assembly()
    {
        Assert.Empty(Sample.Faults);
        Assert.Equal(["SampleAlgo", "Configured-v0", "Sample-v0", "sample-expert"], Sample.Entries.Select(e => e.Name));
        Assert.Equal([PluginKind.Algorithm, PluginKind.Environment, PluginKind.Environment, PluginKind.Expert],
            Sample.Entries.Select(e => e.Kind));
        Assert.All(Sample.Entries, e => Assert.Equal(Fixtures.Assembly("SamplePlugin"), e.AssemblyPath));
        Assert.All(Sample.Entries, e => Assert.Equal("SamplePlugin.dll", e.AssemblyFile));
    }

    [Fact]
    public void Records_registry_data_from_the_attributes()
    {
        var env = Sample.Get<EnvironmentEntry>("Sample-v0");
        Assert.Equal(3, env.MaxEpisodeSteps);
        Assert.Equal(3, env.RewardThreshold);
        Assert.Equal("Counts steps.", env.Description);
        Assert.Null(env.OptionsType);
        Assert.Equal("Sample-v0", Sample.Get<ExpertEntry>("sample-expert").Environment);
    }

    [Fact]
    public void Describes_algorithm_options_with_defaults_including_the_inherited_ones()
    {
        var options = Sample.Get<AlgorithmEntry>("SampleAlgo").Options;
        Assert.Equal(["seed", "n_envs", "verbose", "histogram_frequency", "total_timesteps", "learning_rate", "gamma", "net_arch"], options.Select(o => o.Name));
        var gamma = options.Single(o => o.Name == "gamma");
        Assert.Equal(0.99, gamma.Default);
        Assert.Equal("Discount factor.", gamma.Description);
        Assert.Equal((0.0, 1.0), (gamma.Min, gamma.Max));
        Assert.Equal("0.0003", options.Single(o => o.Name == "learning_rate").Default!.ToString());
        Assert.Equal([64, 64], (int[])options.Single(o => o.Name == "net_arch").Default!);
    }

    [Fact]
    public void Plugin_types_live_in_their_own_context_but_share_the_contract()
    {
        var entry = Sample.Get<EnvironmentEntry>("Sample-v0");
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(entry.Type.Assembly));
        Assert.True(typeof(IEnv).IsAssignableFrom(entry.Type));
    }

    [Fact]
    public void An_environment_with_a_time_limit_comes_wrapped_in_TimeLimit()
    {
        using var env = Sample.CreateEnvironment("Sample-v0");
        var limit = Assert.IsType<TimeLimit>(env);
        Assert.Equal(3, limit.MaxEpisodeSteps);
        env.Reset(seed: 0);
        Assert.False(env.Step(0).Truncated);
        Assert.False(env.Step(0).Truncated);
        var third = env.Step(0);
        Assert.True(third.Truncated);
        Assert.Equal([3f], third.Observation);
    }

    [Fact]
    public void An_environment_without_a_time_limit_is_not_wrapped_and_binds_its_options()
    {
        using var env = Sample.CreateEnvironment("configured-v0", new Dictionary<string, object?> { ["size"] = "3", ["Fill"] = 2.5 });
        Assert.IsNotType<TimeLimit>(env);
        Assert.Equal([2.5f, 2.5f, 2.5f], env.Reset().Observation);
    }

    [Fact]
    public void Bad_environment_options_fail_with_the_binders_message()
    {
        var e = Assert.Throws<OptionsException>(() => Sample.CreateEnvironment("Configured-v0", new Dictionary<string, object?> { ["size"] = 40 }));
        Assert.Equal("option 'size' for Configured-v0: 40 is out of range [1, 16]", e.Message);
    }

    [Fact]
    public void Options_for_an_environment_that_takes_none_are_refused()
    {
        var e = Assert.Throws<OptionsException>(() => Sample.CreateEnvironment("Sample-v0", new Dictionary<string, object?> { ["size"] = 4 }));
        Assert.Equal("environment 'Sample-v0' takes no options, but was given 'size'.", e.Message);
    }

    [Fact]
    public void Unknown_names_suggest_the_nearest_name_of_the_same_kind()
    {
        Assert.Equal("unknown environment 'Sampel-v0'; did you mean 'Sample-v0'?",
            Assert.Throws<PluginException>(() => Sample.CreateEnvironment("Sampel-v0")).Message);
        Assert.Equal("unknown algorithm 'SampleAlgp'; did you mean 'SampleAlgo'?",
            Assert.Throws<PluginException>(() => Sample.BindAlgorithmOptions("SampleAlgp")).Message);
        Assert.Equal("unknown expert 'zzz'; known: sample-expert.",
            Assert.Throws<PluginException>(() => Sample.CreateExpert("zzz")).Message);
        Assert.Equal("unknown algorithm 'PPO': no algorithms are installed.",
            Assert.Throws<PluginException>(() => Fixtures.Catalog().BindAlgorithmOptions("PPO")).Message);
    }

    [Fact]
    public void Creates_and_trains_an_algorithm_with_bound_options()
    {
        var options = Sample.BindAlgorithmOptions("SampleAlgo", new Dictionary<string, object?>
        {
            ["learning_rate"] = "lin_0.001", ["net_arch"] = "[8, 4]", ["n_envs"] = 2, ["seed"] = 7,
        });
        using var vectorEnv = new SyncVectorEnv([Sample.CreateEnvironment("Sample-v0"), Sample.CreateEnvironment("Sample-v0")]);
        using var algorithm = Sample.CreateAlgorithm("SampleAlgo", vectorEnv, options);
        algorithm.Learn(6);
        Assert.Equal(6, algorithm.NumTimesteps);
        Assert.Equal(3, algorithm.Iteration);
        Assert.Equal(2, vectorEnv.CompletedEpisodes.Count);
        dynamic created = algorithm;
        Assert.Equal("lin_0.001", created.Options.LearningRate.Text);
        Assert.Equal([8, 4], (int[])created.Options.NetArch);
    }

    [Fact]
    public void Options_of_another_algorithm_are_refused()
    {
        using var vectorEnv = new SyncVectorEnv([Sample.CreateEnvironment("Sample-v0")]);
        var e = Assert.Throws<PluginException>(() => Sample.CreateAlgorithm("SampleAlgo", vectorEnv, new AlgorithmOptions()));
        Assert.Equal("algorithm 'SampleAlgo' takes SampleAlgorithmOptions, but was given AlgorithmOptions; bind them with BindAlgorithmOptions(\"SampleAlgo\", config).", e.Message);
    }

    [Fact]
    public void Creates_an_expert()
    {
        var expert = Sample.CreateExpert("sample-expert");
        var action = new float[1];
        expert.Act([0f], action);
        Assert.Equal(1f, action[0]);
    }

    [Fact]
    public void Finds_entries_by_name_across_kinds()
    {
        Assert.Equal(PluginKind.Expert, Assert.Single(Sample.FindAll("SAMPLE-EXPERT")).Kind);
        Assert.Equal("unknown plugin 'sample-expret'; did you mean 'sample-expert'?",
            Assert.Throws<PluginException>(() => Sample.FindAll("sample-expret")).Message);
    }
}
