using System.Text.Json;
using Research.Abstractions.Options;

namespace Research.Abstractions.Tests;

public class OptionsBinderTests
{
    private static PpoLikeOptions Bind(Dictionary<string, object?> config) => OptionsBinder.Bind<PpoLikeOptions>(config, "PPO");

    private static string BindError(Dictionary<string, object?> config) =>
        Assert.Throws<OptionsException>(() => Bind(config)).Message;

    [Fact]
    public void An_empty_config_gives_the_defaults()
    {
        var options = Bind([]);
        Assert.Equal(0.99, options.Gamma);
        Assert.Equal(1, options.NEnvs);
        Assert.Null(options.Seed);
        Assert.Equal(3e-4, options.LearningRate.Initial);
    }

    [Fact]
    public void Keys_bind_in_snake_case_and_PascalCase()
    {
        var snake = Bind(new() { ["n_envs"] = 8, ["gamma"] = 0.9, ["n_steps"] = 16, ["normalize_advantage"] = false });
        var pascal = Bind(new() { ["NEnvs"] = 8, ["Gamma"] = 0.9, ["NSteps"] = 16, ["NormalizeAdvantage"] = false });
        Assert.Equal((8, 0.9, 16, false), (snake.NEnvs, snake.Gamma, snake.NSteps, snake.NormalizeAdvantage));
        Assert.Equal((8, 0.9, 16, false), (pascal.NEnvs, pascal.Gamma, pascal.NSteps, pascal.NormalizeAdvantage));
    }

    [Fact]
    public void An_unknown_key_names_the_nearest_valid_one()
    {
        Assert.Equal("unknown option 'learning_rte' for PPO; did you mean 'learning_rate'?", BindError(new() { ["learning_rte"] = 0.1 }));
        Assert.Equal("unknown option 'policy_kwargs.net_arc' for PPO; did you mean 'policy_kwargs.net_arch'?",
            BindError(new() { ["policy_kwargs.net_arc"] = "[8]" }));
    }

    [Fact]
    public void An_unknown_key_far_from_every_option_lists_them_all()
    {
        Assert.StartsWith("unknown option 'zzzzzzzzzzzzzz' for PPO; valid options: seed, n_envs, verbose, histogram_frequency, total_timesteps, learning_rate, gamma,",
            BindError(new() { ["zzzzzzzzzzzzzz"] = 1 }));
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_key_value_and_expected_type()
    {
        Assert.Equal("option 'gamma' for PPO: 'high' is not a valid float", BindError(new() { ["gamma"] = "high" }));
        Assert.Equal("option 'n_steps' for PPO: 2.5 is not a valid int", BindError(new() { ["n_steps"] = 2.5 }));
        Assert.Equal("option 'n_steps' for PPO: true is not a valid int", BindError(new() { ["n_steps"] = true }));
        Assert.Equal("option 'normalize_advantage' for PPO: 'maybe' is not a valid bool", BindError(new() { ["normalize_advantage"] = "maybe" }));
        Assert.Equal("option 'learning_rate' for PPO: 'fast' is not a valid schedule (a number or lin_<number>)", BindError(new() { ["learning_rate"] = "fast" }));
        Assert.Equal("option 'gamma' for PPO: null is not a valid float", BindError(new() { ["gamma"] = null }));
        Assert.Equal("option 'n_steps' for PPO: 1E+20 is not a valid int", BindError(new() { ["n_steps"] = 1e20 }));
        Assert.Equal("option 'buffer_size' for PPO: 1E+30 is not a valid int", BindError(new() { ["buffer_size"] = 1e30 }));
        Assert.Equal("option 'policy_kwargs.activation_fn' for PPO: 'sigmoid' is not a valid tanh|re_lu|leaky_relu",
            BindError(new() { ["policy_kwargs.activation_fn"] = "sigmoid" }));
    }

    [Fact]
    public void A_value_out_of_range_names_key_value_and_range()
    {
        Assert.Equal("option 'gamma' for PPO: 1.5 is out of range [0, 1]", BindError(new() { ["gamma"] = 1.5 }));
        Assert.Equal("option 'n_envs' for PPO: 0 is out of range [1, inf]", BindError(new() { ["n_envs"] = "0" }));
        Assert.Equal("option 'learning_rate' for PPO: -0.1 is out of range [0, inf]", BindError(new() { ["learning_rate"] = "lin_-0.1" }));
        Assert.Equal("option 'policy_kwargs.log_std_init' for PPO: -30 is out of range [-20, 2]",
            BindError(new() { ["policy_kwargs"] = new Dictionary<string, object?> { ["log_std_init"] = -30 } }));
    }

    [Fact]
    public void Yaml_style_strings_bind_to_every_type()
    {
        var options = Bind(new()
        {
            ["seed"] = "7", ["gamma"] = "9.5e-1", ["normalize_advantage"] = "False", ["target_kl"] = "0.01",
            ["buffer_size"] = "1e6", ["device"] = "cuda", ["learning_rate"] = "lin_0.001",
        });
        Assert.Equal(7, options.Seed);
        Assert.Equal(0.95, options.Gamma);
        Assert.False(options.NormalizeAdvantage);
        Assert.Equal(0.01f, options.TargetKl);
        Assert.Equal(1_000_000L, options.BufferSize);
        Assert.Equal("cuda", options.Device);
        Assert.Equal("lin_0.001", options.LearningRate.Text);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    public void Null_spellings_clear_nullable_options(string spelling)
    {
        var cleared = OptionsBinder.With(new PpoLikeOptions { Seed = 3 }, new Dictionary<string, object?> { ["seed"] = spelling }, "PPO");
        Assert.Null(cleared.Seed);
    }

    [Fact]
    public void Lists_bind_from_yaml_flow_strings_comma_lists_and_sequences()
    {
        Assert.Equal([8, 16], Bind(new() { ["policy_kwargs.net_arch"] = "[8, 16]" }).PolicyKwargs.NetArch);
        Assert.Equal([8, 16], Bind(new() { ["policy_kwargs.net_arch"] = "8,16" }).PolicyKwargs.NetArch);
        Assert.Equal([8, 16], Bind(new() { ["policy_kwargs.net_arch"] = new object[] { 8, "16" } }).PolicyKwargs.NetArch);
        Assert.Equal([], Bind(new() { ["policy_kwargs.net_arch"] = "[]" }).PolicyKwargs.NetArch);
        Assert.Equal([5, 6, 7], Bind(new() { ["eval_seeds"] = "[5, 6, 7]" }).EvalSeeds);
        Assert.Equal("option 'policy_kwargs.net_arch[1]' for PPO: 'wide' is not a valid int",
            BindError(new() { ["policy_kwargs.net_arch"] = "[8, wide]" }));
    }

    [Fact]
    public void Nested_records_bind_from_nested_maps_and_dotted_keys_keeping_other_defaults()
    {
        var fromMap = Bind(new() { ["policy_kwargs"] = new Dictionary<string, object?> { ["net_arch"] = "[32]", ["ActivationFn"] = "relu" } });
        var fromDots = Bind(new() { ["policy_kwargs.net_arch"] = "[32]", ["PolicyKwargs.activation_fn"] = "ReLU" });
        Assert.Equal([32], fromMap.PolicyKwargs.NetArch);
        Assert.Equal(Activation.ReLU, fromMap.PolicyKwargs.ActivationFn);
        Assert.Equal(fromMap.PolicyKwargs.NetArch, fromDots.PolicyKwargs.NetArch);
        Assert.Equal(Activation.ReLU, fromDots.PolicyKwargs.ActivationFn);
        Assert.Equal(0, fromDots.PolicyKwargs.LogStdInit);
        Assert.Equal([64, 64], new PpoLikeOptions().PolicyKwargs.NetArch);
    }

    [Fact]
    public void A_map_given_for_a_plain_option_is_refused()
    {
        Assert.Equal("option 'gamma' for PPO: a map of options is not a valid float",
            BindError(new() { ["gamma.value"] = 1 }));
    }

    [Fact]
    public void One_option_given_under_two_spellings_is_refused()
    {
        Assert.Equal("option 'NEnvs' for PPO is given twice, also as 'n_envs'", BindError(new() { ["n_envs"] = 2, ["NEnvs"] = 4 }));
    }

    [Fact]
    public void Schedules_parse_the_zoos_spellings()
    {
        var linear = Bind(new() { ["learning_rate"] = "lin_0.001" }).LearningRate;
        Assert.Equal(0.001, linear.ValueAt(1));
        Assert.Equal(0.0005, linear.ValueAt(0.5));
        Assert.Equal(0, linear.ValueAt(0));
        var constant = Bind(new() { ["learning_rate"] = 0.01 }).LearningRate;
        Assert.Equal((0.01, 0.01), (constant.ValueAt(1), constant.ValueAt(0)));
        Assert.True(Schedule.TryParse(Schedule.Linear(1e-3, 1e-4).Text, out var both));
        Assert.Equal((1e-3, 1e-4), (both.ValueAt(1), both.ValueAt(0)));
        Assert.False(Schedule.TryParse("lin_", out _));
        Assert.Equal((ScheduleKind.Linear, false), (linear.Kind, linear.IsConstant));
        Assert.Equal((ScheduleKind.Constant, true), (constant.Kind, constant.IsConstant));
        Assert.Equal(ScheduleKind.Custom, Schedule.Custom(p => p * p).Kind);
        Assert.Equal(0.25, Schedule.Custom(p => p * p).ValueAt(0.5));
    }

    [Fact]
    public void Json_elements_bind_like_plain_values()
    {
        using var json = JsonDocument.Parse("""
            { "gamma": 0.95, "n_envs": 4, "seed": null, "normalize_advantage": false, "learning_rate": "lin_0.0007",
              "policy_kwargs": { "net_arch": [128, 128], "activation_fn": "leaky_relu" }, "eval_seeds": [9] }
            """);
        var config = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);
        var options = Bind(config);
        Assert.Equal((0.95, 4, (int?)null, false), (options.Gamma, options.NEnvs, options.Seed, options.NormalizeAdvantage));
        Assert.Equal("lin_0.0007", options.LearningRate.Text);
        Assert.Equal([128, 128], options.PolicyKwargs.NetArch);
        Assert.Equal(Activation.LeakyRelu, options.PolicyKwargs.ActivationFn);
        Assert.Equal([9], options.EvalSeeds);
    }

    [Fact]
    public void ToConfig_round_trips_through_Bind()
    {
        var original = Bind(new()
        {
            ["seed"] = 3, ["learning_rate"] = "lin_0.002", ["target_kl"] = 0.02, ["policy_kwargs.net_arch"] = "[7, 5]",
            ["policy_kwargs.activation_fn"] = "leaky_relu", ["eval_seeds"] = "[4]", ["buffer_size"] = 12345,
        });
        var config = OptionsBinder.ToConfig(original);
        Assert.Equal("lin_0.002", config["learning_rate"]);
        Assert.Equal("leaky_relu", ((Dictionary<string, object?>)config["policy_kwargs"]!)["activation_fn"]);
        var again = OptionsBinder.Bind<PpoLikeOptions>(config, "PPO");
        Assert.Equal(OptionsBinder.ToConfig(again), config, new ConfigComparer());
        Assert.Equal(original.PolicyKwargs.NetArch, again.PolicyKwargs.NetArch);
        Assert.Equal((original.Seed, original.TargetKl, original.BufferSize), (again.Seed, again.TargetKl, again.BufferSize));
    }

    [Fact]
    public void With_applies_a_config_over_existing_options_without_changing_them()
    {
        var baseline = new PpoLikeOptions { Gamma = 0.5, NSteps = 32 };
        var changed = OptionsBinder.With(baseline, new Dictionary<string, object?> { ["n_steps"] = 64 }, "PPO");
        Assert.Equal((0.5, 64), (changed.Gamma, changed.NSteps));
        Assert.Equal(32, baseline.NSteps);
    }

    [Fact]
    public void Describe_lists_inherited_options_first_with_defaults_descriptions_and_ranges()
    {
        var options = OptionsBinder.Describe(typeof(PpoLikeOptions));
        Assert.Equal(["seed", "n_envs", "verbose", "histogram_frequency", "total_timesteps", "learning_rate", "gamma", "n_steps", "buffer_size", "normalize_advantage",
            "target_kl", "device", "eval_seeds", "policy_kwargs"], options.Select(o => o.Name));
        var gamma = options.Single(o => o.Name == "gamma");
        Assert.Equal(("Gamma", 0.99, "Discount factor.", 0.0, 1.0), (gamma.PropertyName, gamma.Default, gamma.Description, gamma.Min, gamma.Max));
        Assert.Equal(["int?", "int", "int", "int", "int?", "schedule", "float", "int", "int", "bool", "float?", "string", "list of int", "map"],
            options.Select(o => o.TypeName));
    }

    [Theory]
    [InlineData("NEnvs", "n_envs")]
    [InlineData("LearningRate", "learning_rate")]
    [InlineData("TargetKL", "target_kl")]
    [InlineData("UseSDE", "use_sde")]
    [InlineData("Seed", "seed")]
    [InlineData("Layer2Size", "layer2_size")]
    public void SnakeCase_follows_the_python_spelling(string pascal, string snake) =>
        Assert.Equal(snake, OptionsBinder.SnakeCase(pascal));

    [Fact]
    public void Nearest_ignores_case_and_gives_up_when_nothing_is_close()
    {
        Assert.Equal("CartPole-v1", OptionsBinder.Nearest("cartpole-v0", ["CartPole-v1", "Pendulum-v1"]));
        Assert.Null(OptionsBinder.Nearest("Acrobot", ["CartPole-v1", "Pendulum-v1"]));
    }

    /// <summary>Compares plain config values structurally (lists and maps by content).</summary>
    private sealed class ConfigComparer : IEqualityComparer<object?>
    {
        public new bool Equals(object? x, object? y) => (x, y) switch
        {
            (IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?> b) =>
                a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && Equals(p.Value, v)),
            (System.Collections.IList a, System.Collections.IList b) =>
                a.Count == b.Count && Enumerable.Range(0, a.Count).All(i => Equals(a[i], b[i])),
            _ => object.Equals(x, y),
        };

        public int GetHashCode(object? obj) => 0;
    }

    [Fact]
    public void Nearest_suggests_only_names_within_a_small_edit_distance()
    {
        string[] algorithms = ["A2C", "BC", "DQN", "GAIL", "PPO"];
        Assert.Null(OptionsBinder.Nearest("SAC", algorithms));
        Assert.Equal("PPO", OptionsBinder.Nearest("PP0", algorithms));
        Assert.Equal("gamma", OptionsBinder.Nearest("gamme", ["gamma", "gae_lambda"]));
        Assert.Equal("CartPole-v1", OptionsBinder.Nearest("cartpole", ["CartPole-v1", "Pendulum-v1"]));
        Assert.Null(OptionsBinder.Nearest("zzzzzz", ["gamma", "n_steps"]));
    }
}
