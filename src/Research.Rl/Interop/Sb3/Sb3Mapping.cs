using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Options;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Rl.Policies;
using Research.Tensors;
using Research.Tensors.Io;
using Research.Tensors.Io.Pickle;
using Research.Tensors.Nn;

namespace Research.Rl.Interop.Sb3;

/// <summary>
/// What differs between algorithms when their models cross to and from Stable-Baselines3: the policy class, the option names in
/// <c>data</c>, which parameters each optimizer holds and in what order (SB3's <c>policy.parameters()</c> order), and the optimizer's kind.
/// </summary>
internal abstract class Sb3Mapping
{
    /// <summary>Our algorithm name (<c>PPO</c>).</summary>
    public abstract string Algorithm { get; }

    /// <summary>SB3's policy class for an MLP or CNN policy.</summary>
    public abstract PyGlobal PolicyClass { get; }

    /// <summary>Options keys whose SB3 data item has the same name and a plain value.</summary>
    protected abstract string[] PlainKeys { get; }

    /// <summary>The mappings this build knows.</summary>
    public static IReadOnlyList<Sb3Mapping> All { get; } = [new PpoMapping(), new A2cMapping(), new DqnMapping()];

    /// <summary>The mapping for our algorithm <paramref name="name"/>, or a clear error naming the supported ones.</summary>
    public static Sb3Mapping For(string name, string where) =>
        All.FirstOrDefault(m => string.Equals(m.Algorithm, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ModelFormatException($"{where}: {name} models cannot cross to Stable-Baselines3 (supported: {string.Join(", ", All.Select(m => m.Algorithm))}).");

    /// <summary>Which of our algorithms saved <paramref name="archive"/>, from its policy class and data keys.</summary>
    public static Sb3Mapping Detect(Sb3Archive archive)
    {
        var policy = archive.ClassOf("policy_class")
            ?? throw new ModelFormatException($"{archive.Path}: data has no readable 'policy_class', so the algorithm is unknown; pass the algorithm explicitly.");
        string module = policy.Module;
        if (module.StartsWith("stable_baselines3.dqn", StringComparison.Ordinal)) return All.OfType<DqnMapping>().Single();
        if (module == "stable_baselines3.common.policies" && policy.Name.Contains("ActorCritic", StringComparison.Ordinal))
            return archive.Has("n_epochs") || archive.Has("clip_range") ? All.OfType<PpoMapping>().Single() : All.OfType<A2cMapping>().Single();
        throw new ModelFormatException($"{archive.Path}: policy class {policy} is from an algorithm this build does not import (supported: {string.Join(", ", All.Select(m => m.Algorithm))}).");
    }

    // ---- import ----

    /// <summary>Our options as a config map, from SB3's data (and the optimizer's hyperparameters).</summary>
    public virtual Dictionary<string, object?> ImportOptions(Sb3Archive archive, ICollection<string> notes)
    {
        var config = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (string key in PlainKeys)
        {
            if (!archive.Has(key)) continue;
            var item = archive.Item(key);
            config[key] = item.ValueKind switch
            {
                JsonValueKind.Number => item.TryGetInt64(out long l) ? l : item.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => throw new ModelFormatException($"{archive.Path}: data.{key} is {item.GetRawText()}, expected a number or a boolean."),
            };
        }
        if (Sb3Data.Schedule(archive, "learning_rate", notes) is { } lr) config["learning_rate"] = lr;
        else if (OptimizerGroup(archive) is { } group && group.TryGet("lr", out var current) && current is double value)
        {
            config["learning_rate"] = Sb3Data.Format(value);
            notes.Add($"learning_rate: taken as the optimizer's last value, {Sb3Data.Format(value)}, held constant");
        }
        config["policy_kwargs"] = ImportPolicyKwargs(archive, notes);
        return config;
    }

    /// <summary>The hyperparameters of the policy optimizer's first group (lr, eps, …), or null.</summary>
    protected static PyDict? OptimizerGroup(Sb3Archive archive) =>
        archive.StateDicts.TryGetValue("policy.optimizer", out var o) && o is PyDict d && d.TryGet("param_groups", out var g)
            && g is List<object?> { Count: > 0 } groups && groups[0] is PyDict first ? first : null;

    /// <summary><c>policy_kwargs</c> from SB3's readable fields: net_arch, activation_fn, ortho_init, log_std_init, full_std, use_expln, squash_output.</summary>
    protected virtual Dictionary<string, object?> ImportPolicyKwargs(Sb3Archive archive, ICollection<string> notes)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Sb3Data.Fields(archive, "policy_kwargs") is not { } kwargs) return result;
        string where = $"{archive.Path}: data.policy_kwargs";
        foreach (var field in kwargs.EnumerateObject())
        {
            switch (field.Name)
            {
                case ":type:" or ":serialized:" or "optimizer_class" or "optimizer_kwargs" or "normalize_images":
                    break;
                case "net_arch":
                    result["net_arch"] = NetArch(field.Value, where);
                    break;
                case "activation_fn":
                    result["activation_fn"] = OptionsBinder.SnakeCase(Sb3Data.ActivationFromText(field.Value.GetString() ?? "", where).ToString());
                    break;
                case "ortho_init" or "full_std" or "use_expln" or "squash_output":
                    result[field.Name] = field.Value.GetBoolean();
                    break;
                case "log_std_init":
                    result["log_std_init"] = field.Value.GetDouble();
                    break;
                case "share_features_extractor":
                    if (!field.Value.GetBoolean()) throw new ModelFormatException($"{where}: share_features_extractor=False (separate actor and critic feature extractors) is not supported.");
                    break;
                case "features_extractor_kwargs" when field.Value.ValueKind == JsonValueKind.Object && field.Value.TryGetProperty("features_dim", out var dim):
                    result["features_dim"] = dim.GetInt32();
                    break;
                default:
                    throw new ModelFormatException($"{where}: '{field.Name}' = {field.Value.GetRawText()} is not supported by this build's policies.");
            }
        }
        return result;
    }

    private Dictionary<string, object?> NetArch(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.Array => NetArchKeys.ToDictionary(k => k, k => (object?)value.EnumerateArray().Select(e => (object?)e.GetInt32()).ToList()),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name switch
        {
            "pi" or "vf" or "qf" => p.Name,
            _ => throw new ModelFormatException($"{where}: net_arch key '{p.Name}' is not supported (pi, vf, qf are)."),
        }, p => (object?)p.Value.EnumerateArray().Select(e => (object?)e.GetInt32()).ToList()),
        _ => throw new ModelFormatException($"{where}: net_arch {value.GetRawText()} is not a list or a dict."),
    };

    /// <summary>Which <c>net_arch</c> keys a plain list fills.</summary>
    protected abstract string[] NetArchKeys { get; }

    /// <summary>Builds our policy for the spaces and options (weights unused): its parameter names and order.</summary>
    public abstract PolicyBase CreatePolicy(Space observation, Space action, IReadOnlyDictionary<string, object?> options);

    /// <summary>Names (in our policy's state dict) of the parameters our optimizer holds, in its index order.</summary>
    public abstract IReadOnlyList<string> OptimizerParameters(PolicyBase policy);

    /// <summary>Names (in SB3's state dict) of the parameters SB3's policy optimizer holds, from the state dict's order.</summary>
    public abstract IReadOnlyList<string> Sb3OptimizerParameters(IReadOnlyList<string> stateDictOrder);

    /// <summary>Our optimizer's per-parameter slots and their initial values (what a fresh optimizer holds).</summary>
    public abstract IReadOnlyList<(string Slot, float Initial)> OptimizerSlots(IReadOnlyDictionary<string, object?> options);

    /// <summary>SB3's state dict with the feature extractor's shared copies removed (SB3 saves one per user of the extractor).</summary>
    public List<KeyValuePair<string, TorchTensor>> ImportPolicy(IReadOnlyList<KeyValuePair<string, TorchTensor>> stateDict, string where)
    {
        var shared = stateDict.Where(p => p.Key.StartsWith("features_extractor.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["features_extractor.".Length..], p => p.Value.StorageKey);
        var result = new List<KeyValuePair<string, TorchTensor>>();
        foreach (var (name, tensor) in stateDict)
        {
            string? copyOf = name.StartsWith("pi_features_extractor.", StringComparison.Ordinal) ? name["pi_features_extractor.".Length..]
                : name.StartsWith("vf_features_extractor.", StringComparison.Ordinal) ? name["vf_features_extractor.".Length..] : null;
            if (copyOf is null)
            {
                result.Add(new(name, tensor));
                continue;
            }
            if (!shared.TryGetValue(copyOf, out var key) || key != tensor.StorageKey)
                throw new ModelFormatException($"{where}: '{name}' is not the shared feature extractor's weight: separate actor and critic extractors are not supported.");
        }
        return result;
    }

    // ---- export ----

    /// <summary>SB3's data items for our options (the spaces and counters are added by the caller).</summary>
    public virtual JsonObject ExportData(JsonElement options, PolicyBase policy)
    {
        var data = new JsonObject();
        foreach (string key in PlainKeys)
            if (options.TryGetProperty(key, out var value)) data[key] = JsonNode.Parse(value.GetRawText());
        data["learning_rate"] = Sb3Data.ScheduleItem(Text(options, "learning_rate"), "learning_rate");
        data["policy_kwargs"] = ExportPolicyKwargs(policy.Options, options);
        return data;
    }

    /// <summary>SB3's <c>policy_kwargs</c> for our policy options.</summary>
    protected virtual JsonNode ExportPolicyKwargs(PolicyOptions policy, JsonElement options)
    {
        var dict = new PyDict();
        var net = new PyDict();
        foreach (var (key, sizes) in ExportNetArch(policy.NetArch)) net.Set(key, sizes.Select(s => (object?)(long)s).ToList());
        dict.Set("net_arch", net);
        dict.Set("activation_fn", Sb3Data.ActivationClass(policy.ActivationFn));
        AddPolicyKwargs(dict, policy, options);
        var item = Sb3Data.Serialized("<class 'dict'>", dict);
        item["net_arch"] = new JsonObject(ExportNetArch(policy.NetArch).Select(p => new KeyValuePair<string, JsonNode?>(p.Key, new JsonArray(p.Value.Select(s => (JsonNode)s).ToArray()))));
        item["activation_fn"] = Sb3Data.ActivationText(policy.ActivationFn);
        return item;
    }

    /// <summary>The <c>net_arch</c> entries SB3's policy takes.</summary>
    protected abstract IEnumerable<KeyValuePair<string, int[]>> ExportNetArch(NetArchOptions netArch);

    /// <summary>Further <c>policy_kwargs</c> entries (initialisation, optimizer class).</summary>
    protected virtual void AddPolicyKwargs(PyDict kwargs, PolicyOptions policy, JsonElement options) { }

    /// <summary>SB3's state dict in SB3's order: own parameters first (<c>log_std</c>), then modules as registered, the shared feature extractor's copies after it.</summary>
    public List<KeyValuePair<string, NpyArray>> ExportPolicy(IReadOnlyDictionary<string, NpyArray> ours, PolicyBase policy)
    {
        var order = policy.StateDict().Keys.ToList();
        var result = order.Where(n => !n.Contains('.', StringComparison.Ordinal)).Select(n => new KeyValuePair<string, NpyArray>(n, ours[n])).ToList();
        var features = order.Where(n => n.StartsWith("features_extractor.", StringComparison.Ordinal)).ToList();
        result.AddRange(features.Select(n => new KeyValuePair<string, NpyArray>(n, ours[n])));
        if (SharesFeatureExtractor)
            foreach (string copy in (string[])["pi_", "vf_"])
                result.AddRange(features.Select(n => new KeyValuePair<string, NpyArray>(copy + n, ours[n])));
        result.AddRange(order.Where(n => n.Contains('.', StringComparison.Ordinal) && !n.StartsWith("features_extractor.", StringComparison.Ordinal))
            .Select(n => new KeyValuePair<string, NpyArray>(n, ours[n])));
        return result;
    }

    /// <summary>Whether SB3's policy keeps <c>pi_</c>/<c>vf_features_extractor</c> copies of the extractor in its state dict.</summary>
    protected virtual bool SharesFeatureExtractor => false;

    /// <summary>SB3's optimizer state dict for our optimizer state (indexed by SB3's parameter order).</summary>
    public abstract PyDict ExportOptimizer(IReadOnlyList<(string Sb3Name, int OurIndex)> order, IReadOnlyDictionary<string, NpyArray> ours, long step, JsonElement options);

    /// <summary>Our optimizer's step count from its state.</summary>
    public static long Step(IReadOnlyDictionary<string, NpyArray> optimizer)
    {
        var step = optimizer.TryGetValue("policy/step", out var s) ? s.AsFloat32() : [0f, 0f];
        return ((long)step[0] << 24) + (long)step[1];
    }

    /// <summary>A required option's text (schedules are strings, numbers are numbers).</summary>
    protected static string Text(JsonElement options, string key) => options.TryGetProperty(key, out var v)
        ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()
        : throw new ModelFormatException($"options have no '{key}'.");

    /// <summary>The PyTorch Adam parameter group with SB3's settings.</summary>
    protected static PyDict AdamGroup(double lr, double eps, int count)
    {
        var group = new PyDict();
        group.Set("lr", lr);
        group.Set("betas", PyTuple.Of(0.9, 0.999));
        group.Set("eps", eps);
        group.Set("weight_decay", 0L);
        group.Set("amsgrad", false);
        group.Set("maximize", false);
        group.Set("foreach", null);
        group.Set("capturable", false);
        group.Set("differentiable", false);
        group.Set("fused", false);
        group.Set("params", Enumerable.Range(0, count).Select(i => (object?)(long)i).ToList());
        return group;
    }

    /// <summary>A torch optimizer state dict: per-parameter state (step as Adam keeps it: a 0-dim float tensor) and one group.</summary>
    protected static PyDict OptimizerStateDict(IReadOnlyList<(string Sb3Name, int OurIndex)> order, IReadOnlyDictionary<string, NpyArray> ours,
        long step, string[] slots, bool stepAsTensor, PyDict group)
    {
        var state = new PyDict();
        if (step > 0)
            for (int k = 0; k < order.Count; k++)
            {
                var entry = new PyDict();
                entry.Set("step", stepAsTensor ? new TorchTensor(new NpyArray(new[] { (float)step })) : step);
                foreach (var slot in slots) entry.Set(slot, new TorchTensor(ours[$"policy/{order[k].OurIndex}.{slot}"]));
                state.Set((long)k, entry);
            }
        var result = new PyDict();
        result.Set("state", state);
        result.Set("param_groups", new List<object?> { group });
        return result;
    }

    /// <summary>Reads a number option.</summary>
    protected static double Number(JsonElement options, string key, double fallback) =>
        options.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    /// <summary>The policy options in a config map (plain values or a model file's JSON), over <paramref name="defaults"/>.</summary>
    protected static PolicyOptions PolicyOptionsOf(IReadOnlyDictionary<string, object?> options, PolicyOptions defaults) =>
        options.TryGetValue("policy_kwargs", out var kwargs) ? kwargs switch
        {
            IReadOnlyDictionary<string, object?> map => OptionsBinder.With(defaults, map, "policy_kwargs"),
            JsonElement { ValueKind: JsonValueKind.Object } json => OptionsBinder.With(defaults,
                json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()), "policy_kwargs"),
            _ => defaults,
        } : defaults;

    /// <summary>A boolean option given as a plain value or JSON.</summary>
    protected static bool Flag(IReadOnlyDictionary<string, object?> options, string key) =>
        options.TryGetValue(key, out var v) && (v is true || v is JsonElement { ValueKind: JsonValueKind.True });

    /// <summary>A generator for a throwaway policy (weights are replaced).</summary>
    protected static Generator ScratchGenerator() => new(0);
}

/// <summary>PPO and A2C: SB3's <c>ActorCriticPolicy</c> with one optimizer over every parameter.</summary>
internal abstract class OnPolicyMapping : Sb3Mapping
{
    public override PyGlobal PolicyClass { get; } = new("stable_baselines3.common.policies", "ActorCriticPolicy");

    protected override string[] NetArchKeys => ["pi", "vf"];

    protected override bool SharesFeatureExtractor => true;

    public override PolicyBase CreatePolicy(Space observation, Space action, IReadOnlyDictionary<string, object?> options) =>
        new ActorCriticPolicy(observation, action, PolicyOptionsOf(options, new PolicyOptions()), ScratchGenerator(), Algorithm, Flag(options, "use_sde"));

    public override IReadOnlyList<string> OptimizerParameters(PolicyBase policy) => [.. policy.NamedParameters().Select(p => p.Key)];

    public override IReadOnlyList<string> Sb3OptimizerParameters(IReadOnlyList<string> stateDictOrder) =>
        [.. stateDictOrder.Where(n => !n.StartsWith("pi_features_extractor.", StringComparison.Ordinal) && !n.StartsWith("vf_features_extractor.", StringComparison.Ordinal))];

    protected override IEnumerable<KeyValuePair<string, int[]>> ExportNetArch(NetArchOptions netArch) => [new("pi", netArch.Pi), new("vf", netArch.Vf)];

    protected override void AddPolicyKwargs(PyDict kwargs, PolicyOptions policy, JsonElement options)
    {
        kwargs.Set("ortho_init", policy.OrthoInit);
        kwargs.Set("log_std_init", policy.LogStdInit);
        kwargs.Set("full_std", policy.FullStd);
        kwargs.Set("use_expln", policy.UseExpln);
        if (policy.FeaturesDim != 512)
        {
            var extractor = new PyDict();
            extractor.Set("features_dim", (long)policy.FeaturesDim);
            kwargs.Set("features_extractor_kwargs", extractor);
        }
    }
}

/// <summary>PPO: Adam with <c>adam_eps</c> (SB3 hard-codes 1e-5, which is our default).</summary>
internal sealed class PpoMapping : OnPolicyMapping
{
    public override string Algorithm => "PPO";

    protected override string[] PlainKeys =>
        ["n_steps", "batch_size", "n_epochs", "gamma", "gae_lambda", "ent_coef", "vf_coef", "max_grad_norm", "normalize_advantage",
         "target_kl", "use_sde", "sde_sample_freq", "seed", "n_envs", "verbose"];

    public override Dictionary<string, object?> ImportOptions(Sb3Archive archive, ICollection<string> notes)
    {
        var config = base.ImportOptions(archive, notes);
        if (Sb3Data.Schedule(archive, "clip_range", notes) is { } clip) config["clip_range"] = clip;
        if (Sb3Data.Schedule(archive, "clip_range_vf", notes) is { } clipVf) config["clip_range_vf"] = clipVf;
        if (OptimizerGroup(archive) is { } group && group.TryGet("eps", out var eps) && eps is double e) config["adam_eps"] = e;
        return config;
    }

    public override JsonObject ExportData(JsonElement options, PolicyBase policy)
    {
        var data = base.ExportData(options, policy);
        data["clip_range"] = Sb3Data.ScheduleItem(Text(options, "clip_range"), "clip_range");
        data["clip_range_vf"] = options.TryGetProperty("clip_range_vf", out var vf) && vf.ValueKind != JsonValueKind.Null
            ? Sb3Data.ScheduleItem(Text(options, "clip_range_vf"), "clip_range_vf")
            : null;
        return data;
    }

    public override IReadOnlyList<(string Slot, float Initial)> OptimizerSlots(IReadOnlyDictionary<string, object?> options) =>
        [("exp_avg", 0f), ("exp_avg_sq", 0f)];

    protected override void AddPolicyKwargs(PyDict kwargs, PolicyOptions policy, JsonElement options)
    {
        base.AddPolicyKwargs(kwargs, policy, options);
        var optimizerKwargs = new PyDict();
        optimizerKwargs.Set("eps", Number(options, "adam_eps", 1e-5));
        kwargs.Set("optimizer_kwargs", optimizerKwargs);
    }

    public override PyDict ExportOptimizer(IReadOnlyList<(string Sb3Name, int OurIndex)> order, IReadOnlyDictionary<string, NpyArray> ours, long step, JsonElement options) =>
        OptimizerStateDict(order, ours, step, ["exp_avg", "exp_avg_sq"], stepAsTensor: true,
            AdamGroup(Current(options), Number(options, "adam_eps", 1e-5), order.Count));

    private static double Current(JsonElement options)
    {
        string text = Text(options, "learning_rate");
        return Schedule.TryParse(text, out var s) ? s.Initial : 3e-4;
    }
}

/// <summary>A2C: SB3's TF-like RMSprop (alpha 0.99, <c>rms_prop_eps</c>) unless <c>use_rms_prop</c> is false (then Adam).</summary>
internal sealed class A2cMapping : OnPolicyMapping
{
    public override string Algorithm => "A2C";

    protected override string[] PlainKeys =>
        ["n_steps", "gamma", "gae_lambda", "ent_coef", "vf_coef", "max_grad_norm", "normalize_advantage", "use_sde", "sde_sample_freq",
         "seed", "n_envs", "verbose"];

    public override Dictionary<string, object?> ImportOptions(Sb3Archive archive, ICollection<string> notes)
    {
        var config = base.ImportOptions(archive, notes);
        var kwargs = Sb3Data.Fields(archive, "policy_kwargs");
        string optimizer = kwargs is { } k && k.TryGetProperty("optimizer_class", out var c) ? c.GetString() ?? "" : "";
        bool rmsProp = optimizer.Contains("RMSprop", StringComparison.Ordinal);
        config["use_rms_prop"] = rmsProp;
        if (rmsProp && OptimizerGroup(archive) is { } group && group.TryGet("eps", out var eps) && eps is double e) config["rms_prop_eps"] = e;
        if (!rmsProp) notes.Add($"optimizer: {(optimizer.Length > 0 ? optimizer : "Adam")} imported as Adam");
        else if (!optimizer.Contains("RMSpropTFLike", StringComparison.Ordinal))
            notes.Add("optimizer: SB3's A2C uses torch's RMSprop (eps outside the square root, square average from 0); this build's A2C uses the TF-like variant, so the square averages carry over but later steps differ slightly");
        return config;
    }

    public override IReadOnlyList<(string Slot, float Initial)> OptimizerSlots(IReadOnlyDictionary<string, object?> options) =>
        options.TryGetValue("use_rms_prop", out var rms) && (rms is false || rms is JsonElement { ValueKind: JsonValueKind.False })
            ? [("exp_avg", 0f), ("exp_avg_sq", 0f)]
            : [("square_avg", 1f)];

    protected override void AddPolicyKwargs(PyDict kwargs, PolicyOptions policy, JsonElement options)
    {
        base.AddPolicyKwargs(kwargs, policy, options);
        if (UsesRmsProp(options))
        {
            kwargs.Set("optimizer_class", new PyGlobal("stable_baselines3.common.sb2_compat.rmsprop_tf_like", "RMSpropTFLike"));
            var optimizerKwargs = new PyDict();
            optimizerKwargs.Set("alpha", 0.99);
            optimizerKwargs.Set("eps", Number(options, "rms_prop_eps", 1e-5));
            optimizerKwargs.Set("weight_decay", 0L);
            kwargs.Set("optimizer_kwargs", optimizerKwargs);
        }
        else
        {
            kwargs.Set("optimizer_class", new PyGlobal("torch.optim.adam", "Adam"));
            var optimizerKwargs = new PyDict();
            optimizerKwargs.Set("eps", 1e-8);
            kwargs.Set("optimizer_kwargs", optimizerKwargs);
        }
    }

    public override PyDict ExportOptimizer(IReadOnlyList<(string Sb3Name, int OurIndex)> order, IReadOnlyDictionary<string, NpyArray> ours, long step, JsonElement options)
    {
        double lr = Schedule.TryParse(Text(options, "learning_rate"), out var s) ? s.Initial : 7e-4;
        if (!UsesRmsProp(options))
            return OptimizerStateDict(order, ours, step, ["exp_avg", "exp_avg_sq"], stepAsTensor: true, AdamGroup(lr, 1e-8, order.Count));
        var group = new PyDict();
        group.Set("lr", lr);
        group.Set("momentum", 0L);
        group.Set("alpha", 0.99);
        group.Set("eps", Number(options, "rms_prop_eps", 1e-5));
        group.Set("centered", false);
        group.Set("weight_decay", 0L);
        group.Set("params", Enumerable.Range(0, order.Count).Select(i => (object?)(long)i).ToList());
        return OptimizerStateDict(order, ours, step, ["square_avg"], stepAsTensor: false, group);
    }

    private static bool UsesRmsProp(JsonElement options) => !options.TryGetProperty("use_rms_prop", out var v) || v.ValueKind != JsonValueKind.False;
}

/// <summary>DQN: SB3's <c>DQNPolicy</c>; its Adam holds only the online network (<c>q_net.*</c>, SB3 ≥ 2.4).</summary>
internal sealed class DqnMapping : Sb3Mapping
{
    public override string Algorithm => "DQN";

    public override PyGlobal PolicyClass { get; } = new("stable_baselines3.dqn.policies", "DQNPolicy");

    protected override string[] NetArchKeys => ["qf"];

    protected override string[] PlainKeys =>
        ["buffer_size", "batch_size", "learning_starts", "tau", "gamma", "gradient_steps", "optimize_memory_usage", "target_update_interval",
         "exploration_fraction", "exploration_initial_eps", "exploration_final_eps", "max_grad_norm", "seed", "n_envs", "verbose"];

    public override Dictionary<string, object?> ImportOptions(Sb3Archive archive, ICollection<string> notes)
    {
        var config = base.ImportOptions(archive, notes);
        if (archive.Has("train_freq"))
        {
            var trace = new List<object?>();
            archive.Inspect("train_freq", trace);
            var frequency = trace.OfType<long>().FirstOrDefault(1);
            config["train_freq"] = frequency;
            if (trace.OfType<string>().Any(s => s is "EPISODE" or "episode")) config["train_freq_unit"] = "episode";
        }
        if (OptimizerGroup(archive) is { } group && group.TryGet("eps", out var eps) && eps is double e) config["adam_eps"] = e;
        // SB3's DQN and ours both default to ReLU, but a bound nested map starts from the plain policy defaults: say it.
        ((Dictionary<string, object?>)config["policy_kwargs"]!).TryAdd("activation_fn", "relu");
        if (archive.Has("replay_buffer_kwargs") && archive.Item("replay_buffer_kwargs") is { ValueKind: JsonValueKind.Object } rb
            && rb.TryGetProperty("handle_timeout_termination", out var timeout))
            config["replay_buffer_kwargs"] = new Dictionary<string, object?> { ["handle_timeout_termination"] = timeout.GetBoolean() };
        return config;
    }

    public override PolicyBase CreatePolicy(Space observation, Space action, IReadOnlyDictionary<string, object?> options)
    {
        var policyOptions = PolicyOptionsOf(options, new PolicyOptions { ActivationFn = Activation.Relu });
        return new QNetworkPolicy(observation, action, policyOptions, ScratchGenerator(), Algorithm);
    }

    public override IReadOnlyList<string> OptimizerParameters(PolicyBase policy) =>
        [.. ((QNetworkPolicy)policy).QNet.NamedParameters().Select(p => "q_net." + p.Key)];

    public override IReadOnlyList<string> Sb3OptimizerParameters(IReadOnlyList<string> stateDictOrder) =>
        [.. stateDictOrder.Where(n => n.StartsWith("q_net.", StringComparison.Ordinal))];

    public override IReadOnlyList<(string Slot, float Initial)> OptimizerSlots(IReadOnlyDictionary<string, object?> options) =>
        [("exp_avg", 0f), ("exp_avg_sq", 0f)];

    public override JsonObject ExportData(JsonElement options, PolicyBase policy)
    {
        var data = base.ExportData(options, policy);
        long frequency = options.TryGetProperty("train_freq", out var f) ? f.GetInt64() : 4;
        string unit = options.TryGetProperty("train_freq_unit", out var u) ? u.GetString() ?? "step" : "step";
        data["train_freq"] = Sb3Data.Serialized("<class 'stable_baselines3.common.type_aliases.TrainFreq'>",
            Sb3Spaces.Call("stable_baselines3.common.type_aliases", "TrainFreq", frequency,
                Sb3Spaces.Call("stable_baselines3.common.type_aliases", "TrainFrequencyUnit", unit)));
        bool timeouts = !options.TryGetProperty("replay_buffer_kwargs", out var rb) || !rb.TryGetProperty("handle_timeout_termination", out var h) || h.GetBoolean();
        data["replay_buffer_kwargs"] = new JsonObject { ["handle_timeout_termination"] = timeouts };
        return data;
    }

    protected override IEnumerable<KeyValuePair<string, int[]>> ExportNetArch(NetArchOptions netArch) => [];

    protected override JsonNode ExportPolicyKwargs(PolicyOptions policy, JsonElement options)
    {
        // DQNPolicy takes net_arch as a plain list.
        var dict = new PyDict();
        dict.Set("net_arch", policy.NetArch.Qf.Select(s => (object?)(long)s).ToList());
        dict.Set("activation_fn", Sb3Data.ActivationClass(policy.ActivationFn));
        var optimizerKwargs = new PyDict();
        optimizerKwargs.Set("eps", Number(options, "adam_eps", 1e-8));
        dict.Set("optimizer_kwargs", optimizerKwargs);
        var item = Sb3Data.Serialized("<class 'dict'>", dict);
        item["net_arch"] = new JsonArray(policy.NetArch.Qf.Select(s => (JsonNode)s).ToArray());
        item["activation_fn"] = Sb3Data.ActivationText(policy.ActivationFn);
        return item;
    }

    public override PyDict ExportOptimizer(IReadOnlyList<(string Sb3Name, int OurIndex)> order, IReadOnlyDictionary<string, NpyArray> ours, long step, JsonElement options)
    {
        double lr = Schedule.TryParse(Text(options, "learning_rate"), out var s) ? s.Initial : 1e-4;
        return OptimizerStateDict(order, ours, step, ["exp_avg", "exp_avg_sq"], stepAsTensor: true, AdamGroup(lr, Number(options, "adam_eps", 1e-8), order.Count));
    }
}
