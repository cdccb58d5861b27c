using Research.Tune.TrialWorker;

namespace Research.Tune.Tests;

public sealed class SpecLoaderTests
{
    private const string Full = """
        name: grid
        algorithm: Fake
        env: FakeEnv-v0
        config:
          slope: {grid_search: [1, 2.5, 4]}
          learning_rate: lin_0.001
          policy:
            net_arch: [64, 64]
            width: {choice: [32, 64]}
          ent_coef: {loguniform: [0.00001, 0.1]}
          n_steps: {randint: [16, 64]}
          gamma: {uniform: [0.9, 0.99]}
          tag: '8'
        num_samples: 2
        seed: 3
        stop: {episode_reward_mean: 475, timesteps_total: 100000}
        metric: episode_reward_mean
        mode: min
        max_concurrent: 3
        checkpoint: {frequency: 5, at_end: false, keep: 2, score: min-loss}
        max_failures: 4
        output: out
        """;

    [Fact]
    public void ParsesEveryKeyAndDomain()
    {
        var spec = SpecLoader.Parse(Full, "grid.yaml");
        Assert.Equal(("grid", "Fake", "FakeEnv-v0"), (spec.Name, spec.Algorithm, spec.Env));
        Assert.Equal(new GridSearch([1L, 2.5, 4L]), spec.Config["slope"], new DomainComparer());
        Assert.Equal("lin_0.001", spec.Config["learning_rate"]);
        Assert.Equal("8", spec.Config["tag"]);
        var policy = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(spec.Config["policy"]);
        Assert.Equal([64L, 64L], Assert.IsType<List<object?>>(policy["net_arch"]));
        Assert.IsType<Choice>(policy["width"]);
        Assert.Equal(new LogUniform(0.00001, 0.1), spec.Config["ent_coef"]);
        Assert.Equal(new RandInt(16, 64), spec.Config["n_steps"]);
        Assert.Equal(new Uniform(0.9, 0.99), spec.Config["gamma"]);
        Assert.Equal((2, 3, 3, 4, "out"), (spec.NumSamples, spec.Seed, spec.MaxConcurrent, spec.MaxFailures, spec.Output));
        Assert.Equal(475, spec.Stop["episode_reward_mean"]);
        Assert.Equal(100000, spec.Stop["timesteps_total"]);
        Assert.Equal(OptimizationMode.Min, spec.Mode);
        Assert.Equal(new CheckpointPolicy { Frequency = 5, AtEnd = false, Keep = 2, Score = "min-loss" }, spec.Checkpoint);
    }

    [Fact]
    public void WrittenSpecReadsBackEqual()
    {
        var spec = SpecLoader.Parse(Full, "grid.yaml");
        var again = SpecLoader.Parse(SpecWriter.ToJson(spec), "spec.json");
        Assert.Equal(SpecWriter.ToJson(spec), SpecWriter.ToJson(again));
        Assert.Equal(SearchSpace.Expand(spec, 3).Select(v => v.Config), SearchSpace.Expand(again, 3).Select(v => v.Config));
    }

    [Theory]
    [InlineData("num_sample: 2", "'num_sample'", "did you mean 'num_samples'")]
    [InlineData("checkpoint: {frequncy: 2}", "'checkpoint.frequncy'", "did you mean 'checkpoint.frequency'")]
    [InlineData("config: {slope: {grid_search: []}}", "'config.slope.grid_search'", "at least one value")]
    [InlineData("config: {slope: {loguniform: [0, 1]}}", "'config.slope.loguniform'", "0 < low < high")]
    [InlineData("config: {slope: {uniform: [2, 1]}}", "'config.slope.uniform'", "low < high")]
    [InlineData("config: {slope: {uniform: [1, 2, 3]}}", "'config.slope.uniform'", "exactly two bounds")]
    [InlineData("config: {slope: {randint: [1.5, 3]}}", "'config.slope.randint'", "integer")]
    [InlineData("config: {slope: {grid_serch: [1], choice: [2]}}", "'config.slope.grid_serch'", "did you mean 'config.slope.grid_search'")]
    [InlineData("mode: biggest", "'mode'", "'max' or 'min'")]
    [InlineData("name: again", "'(document)'", "not valid YAML at line 5")]
    [InlineData("max_concurrent: 0", "'max_concurrent'", "1 or more")]
    [InlineData("stop: {training_iteration: many}", "'stop.training_iteration'", "must be a number")]
    public void BadSpecNamesFileKeyAndFix(string line, string key, string reason)
    {
        string yaml = $"""
            name: bad
            algorithm: Fake
            env: FakeEnv-v0
            stop: {"{training_iteration: 3}"}
            {line}
            """;
        if (line.StartsWith("stop:", StringComparison.Ordinal)) yaml = yaml.Replace("stop: {training_iteration: 3}\n", "");
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(yaml, "bad.yaml"));
        Assert.StartsWith("bad.yaml: " + key, e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void MissingStopFails()
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse("name: a\nalgorithm: Fake\nenv: FakeEnv-v0\n", "a.yaml"));
        Assert.Equal("stop", e.Key);
    }

    [Theory]
    [InlineData("algorithm: Fak", "algorithm/env", "did you mean 'Fake'")]
    [InlineData("env: FakeEnv-v1", "algorithm/env", "did you mean 'FakeEnv-v0'")]
    [InlineData("config: {slop: {grid_search: [1, 2]}}", "config", "did you mean 'slope'")]
    [InlineData("config: {timesteps_per_iteration: {choice: [10, 0]}}", "config", "out of range")]
    public void FactoryErrorsFailBeforeAnyTrialStarts(string line, string key, string reason)
    {
        using var dir = new TempDir();
        string body = "stop: {training_iteration: 2}\nnum_samples: 4\n" + line;
        string path = Specs.Write(dir, body.Replace("algorithm: Fak", "").Replace("env: FakeEnv-v1", ""), "exp");
        string text = File.ReadAllText(path);
        if (line.StartsWith("algorithm", StringComparison.Ordinal)) text = text.Replace("algorithm: Fake", line);
        if (line.StartsWith("env", StringComparison.Ordinal)) text = text.Replace("env: FakeEnv-v0", line);
        File.WriteAllText(path, text);
        var spec = SpecLoader.LoadFile(path);
        var e = Assert.Throws<SpecException>(() => ExperimentSetup.Create(spec, new FakeTrialFactory(), spec.ExperimentDirectory));
        Assert.StartsWith($"{path}: '{key}'", e.Message);
        Assert.Contains(reason, e.Message);
        Assert.False(Directory.Exists(spec.ExperimentDirectory));
    }

    [Fact]
    public void RepositorySpecsParse()
    {
        string experiments = Path.Combine(RepoRoot(), "experiments");
        var grid = SpecLoader.LoadFile(Path.Combine(experiments, "cartpole-ppo-grid.yaml"));
        Assert.Equal(6, SearchSpace.Count(grid));
        Assert.Equal(475, grid.Stop["episode_reward_mean"]);
        Assert.Equal(100000, grid.Stop["timesteps_total"]);
        var random = SpecLoader.LoadFile(Path.Combine(experiments, "cartpole-ppo-random.yaml"));
        Assert.Contains(SearchSpace.Flatten(random.Config), kv => kv.Value is LogUniform);
        Assert.Contains(SearchSpace.Flatten(random.Config), kv => kv.Value is Choice);
        Assert.Equal(random.NumSamples, SearchSpace.Count(random));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Research.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("Research.sln not found above the test directory.");
    }

    private sealed class DomainComparer : IEqualityComparer<object?>
    {
        public new bool Equals(object? x, object? y) =>
            x is GridSearch a && y is GridSearch b ? a.Values.SequenceEqual(b.Values) : object.Equals(x, y);

        public int GetHashCode(object? obj) => 0;
    }
}
