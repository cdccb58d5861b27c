using Research.Abstractions.Options;
using Research.Host.Training;
using Research.Host.Zoo;

namespace Research.Host.Tests.Training;

public sealed class ZooHyperparametersTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Yaml(string text)
    {
        string path = Path.Combine(_temp.Path, $"h{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Finds_the_repository_folder_and_reads_the_ppo_cartpole_entry()
    {
        var entry = ZooHyperparameters.Load("PPO", "CartPole-v1");

        Assert.Equal(Path.GetFullPath(Path.Combine(Fixtures.RepositoryRoot, "experiments", "hyperparams", "ppo.yaml")), Path.GetFullPath(entry.File));
        Assert.Equal(100_000, entry.Timesteps);
        Assert.False(entry.Config.ContainsKey("n_timesteps"));
        Assert.False(entry.Config.ContainsKey("policy"));
        Assert.Equal(8L, entry.Config["n_envs"]);
        Assert.Equal(0.98, entry.Config["gamma"]);
        Assert.Equal(0.0, entry.Config["ent_coef"]);
        Assert.Equal("lin_0.001", entry.Config["learning_rate"]);
    }

    [Fact]
    public void Parses_policy_kwargs_strings_and_keeps_environment_keys()
    {
        var entry = ZooHyperparameters.Load("ppo", "MountainCarContinuous-v0");

        Assert.Equal(20_000, entry.Timesteps);
        Assert.Equal(true, entry.Config["normalize"]);
        var kwargs = Assert.IsType<Dictionary<string, object?>>(entry.Config["policy_kwargs"]);
        Assert.Equal(-3.29, kwargs["log_std_init"]);
        Assert.Equal(false, kwargs["ortho_init"]);
    }

    [Fact]
    public void Reads_typed_scalars_a_quoted_string_and_nested_maps()
    {
        var entry = ZooHyperparameters.Read(Yaml("""
            Env-v0:
              n_timesteps: !!float 2e3
              policy: 'MlpPolicy'
              a: .5
              b: True
              c: '12'
              d: [1, 2]
              normalize: "{'norm_obs': True}"
              env_kwargs:
                size: 3
            """), "env-V0");

        Assert.Equal("Env-v0", entry.Environment);
        Assert.Equal(2000, entry.Timesteps);
        Assert.Equal(0.5, entry.Config["a"]);
        Assert.Equal(true, entry.Config["b"]);
        Assert.Equal("12", entry.Config["c"]);
        Assert.Equal([1L, 2L], Assert.IsType<List<object?>>(entry.Config["d"]));
        Assert.Equal("{'norm_obs': True}", entry.Config["normalize"]);
        Assert.Equal(3L, Assert.IsType<Dictionary<string, object?>>(entry.Config["env_kwargs"])["size"]);
    }

    [Fact]
    public void A_missing_entry_names_the_file_and_the_nearest_entry()
    {
        string file = Yaml("CartPole-v1:\n  n_envs: 2\n");

        var error = Assert.Throws<OptionsException>(() => ZooHyperparameters.Read(file, "CartPole-v0"));

        Assert.Contains(file, error.Message);
        Assert.Contains("did you mean 'CartPole-v1'", error.Message);
    }

    [Fact]
    public void Only_MlpPolicy_is_accepted()
    {
        string file = Yaml("CartPole-v1:\n  policy: 'CnnPolicy'\n");

        var error = Assert.Throws<OptionsException>(() => ZooHyperparameters.Read(file, "CartPole-v1"));

        Assert.Contains($"{file} [CartPole-v1]: policy 'CnnPolicy' is not supported", error.Message);
    }

    [Fact]
    public void Bad_yaml_and_a_bad_budget_name_the_file()
    {
        string broken = Yaml("CartPole-v1:\n  n_envs: [1, 2\n");
        string budget = Yaml("CartPole-v1:\n  n_timesteps: -5\n");

        Assert.StartsWith(broken + ":", Assert.Throws<FormatException>(() => ZooHyperparameters.Read(broken, "CartPole-v1")).Message);
        Assert.Contains("n_timesteps -5 is not a positive whole number", Assert.Throws<OptionsException>(() => ZooHyperparameters.Read(budget, "CartPole-v1")).Message);
        Assert.Throws<FileNotFoundException>(() => ZooHyperparameters.Read(Path.Combine(_temp.Path, "none.yaml"), "CartPole-v1"));
    }

    [Fact]
    public void Training_setup_merges_overrides_and_prefixes_zoo_errors_with_the_file()
    {
        var factory = new AlgorithmFactory(Fixtures.Catalog(Fixtures.Folder("SamplePlugin")));
        string good = Yaml("Sample-v0:\n  n_timesteps: 300\n  gamma: 0.5\n  n_envs: 2\n");
        string bad = Yaml("Sample-v0:\n  n_timesteps: 300\n  gama: 0.5\n");

        var setup = TrainingSetup.Resolve(factory, "SampleAlgo", "Sample-v0", good, new Dictionary<string, object?> { ["Gamma"] = "0.25" }, null);
        var error = Assert.Throws<OptionsException>(() =>
            TrainingSetup.Resolve(factory, "SampleAlgo", "Sample-v0", bad, new Dictionary<string, object?>(), null));
        var noBudget = Assert.Throws<OptionsException>(() =>
            TrainingSetup.Resolve(factory, "SampleAlgo", "Sample-v0", null, new Dictionary<string, object?>(), null));

        Assert.Equal(300, setup.Plan.Timesteps);
        Assert.Equal(good, setup.HyperparameterFile);
        Assert.Equal(0.25, ((IDiscountedOptions)setup.Plan.Options).Gamma);
        Assert.Equal(2, setup.Plan.Options.NEnvs);
        Assert.StartsWith($"{bad} [Sample-v0]: unknown option 'gama'", error.Message);
        Assert.Contains("--timesteps", noBudget.Message);
    }
}
