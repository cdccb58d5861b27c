using System.Reflection;
using Research.Abstractions.Environments;
using Research.Abstractions.Experts;
using Research.Abstractions.Algorithms;
using Research.Abstractions.Options;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers;

namespace Research.Host.Catalog;

/// <summary>Every algorithm, environment and expert the host found, and the faults of the plugins it could not use; creates plugins by name.</summary>
public sealed class PluginCatalog
{
    private static readonly IReadOnlyDictionary<string, object?> NoConfig = new Dictionary<string, object?>();

    /// <summary>Creates a catalog; names must be unique per kind (the loader removes duplicates and reports them as faults).</summary>
    public PluginCatalog(IEnumerable<PluginEntry> entries, IEnumerable<PluginFault> faults)
    {
        Entries = entries.OrderBy(e => e.Kind).ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ToList();
        Faults = faults.ToList();
        var duplicate = Entries.GroupBy(e => (e.Kind, e.Name.ToUpperInvariant())).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"PluginCatalog: {duplicate.First().KindName} '{duplicate.First().Name}' appears more than once.");
    }

    /// <summary>Every entry, by kind and then by name.</summary>
    public IReadOnlyList<PluginEntry> Entries { get; }

    /// <summary>Plugin files and classes that could not be used, one clear reason each.</summary>
    public IReadOnlyList<PluginFault> Faults { get; }

    /// <summary>Each plugin assembly that reported itself unusable on this machine, with its reason (its entries are listed but cannot be created).</summary>
    public IReadOnlyList<PluginFault> Unavailable => Entries.Where(e => e.UnavailableReason is not null)
        .GroupBy(e => e.AssemblyPath).Select(g => new PluginFault(g.Key, g.First().UnavailableReason!)).ToList();

    /// <summary>The algorithms.</summary>
    public IEnumerable<AlgorithmEntry> Algorithms => Entries.OfType<AlgorithmEntry>();

    /// <summary>The environments.</summary>
    public IEnumerable<EnvironmentEntry> Environments => Entries.OfType<EnvironmentEntry>();

    /// <summary>The experts.</summary>
    public IEnumerable<ExpertEntry> Experts => Entries.OfType<ExpertEntry>();

    /// <summary>Every entry of any kind with this name (case-insensitive); throws naming the nearest name when there is none.</summary>
    public IReadOnlyList<PluginEntry> FindAll(string name)
    {
        var found = Entries.Where(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return found.Count > 0 ? found : throw Unknown("plugin", name, Entries);
    }

    /// <summary>The entry of kind <typeparamref name="T"/> with this name (case-insensitive); throws naming the nearest name when there is none.</summary>
    public T Get<T>(string name) where T : PluginEntry
    {
        var candidates = Entries.OfType<T>().ToList();
        return candidates.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
               ?? throw Unknown(KindOf<T>(), name, candidates);
    }

    /// <summary>Creates environment <paramref name="id"/> with its options bound from <paramref name="config"/>, inside a <see cref="TimeLimit"/> when it registers one.</summary>
    public IEnv CreateEnvironment(string id, IReadOnlyDictionary<string, object?>? config = null)
    {
        var entry = Get<EnvironmentEntry>(id);
        var env = (IEnv)Construct(entry, OptionalOptions(entry, config));
        return entry.MaxEpisodeSteps > 0 ? new TimeLimit(env, entry.MaxEpisodeSteps) : env;
    }

    /// <summary>Binds <paramref name="config"/> onto the options record of algorithm <paramref name="name"/>.</summary>
    public AlgorithmOptions BindAlgorithmOptions(string name, IReadOnlyDictionary<string, object?>? config = null)
    {
        var entry = Get<AlgorithmEntry>(name);
        return (AlgorithmOptions)OptionsBinder.Bind(entry.OptionsType, config ?? NoConfig, entry.Name);
    }

    /// <summary>Creates algorithm <paramref name="name"/> on <paramref name="env"/> with options from <see cref="BindAlgorithmOptions"/>.</summary>
    public IAlgorithm CreateAlgorithm(string name, IVectorEnv env, AlgorithmOptions options)
    {
        var entry = Get<AlgorithmEntry>(name);
        if (!entry.OptionsType.IsInstanceOfType(options))
            throw new PluginException(
                $"algorithm '{entry.Name}' takes {entry.OptionsType.Name}, but was given {options.GetType().Name}; bind them with BindAlgorithmOptions(\"{entry.Name}\", config).");
        return (IAlgorithm)Construct(entry, env, options);
    }

    /// <summary>Creates expert <paramref name="name"/> with its options bound from <paramref name="config"/>.</summary>
    public IExpert CreateExpert(string name, IReadOnlyDictionary<string, object?>? config = null)
    {
        var entry = Get<ExpertEntry>(name);
        return (IExpert)Construct(entry, OptionalOptions(entry, config));
    }

    private static object?[] OptionalOptions(PluginEntry entry, IReadOnlyDictionary<string, object?>? config)
    {
        if (entry.OptionsType is not null) return [OptionsBinder.Bind(entry.OptionsType, config ?? NoConfig, entry.Name)];
        if (config is { Count: > 0 })
            throw new OptionsException(
                $"{entry.KindName} '{entry.Name}' takes no options, but was given {string.Join(", ", config.Keys.Select(k => $"'{k}'"))}.");
        return [];
    }

    private static object Construct(PluginEntry entry, params object?[] arguments)
    {
        if (entry.UnavailableReason is { } reason)
            throw new PluginException($"{entry.KindName} '{entry.Name}' ({entry.AssemblyFile}) is not available on this machine: {reason}");
        try
        {
            return entry.Constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new PluginException(
                $"{entry.KindName} '{entry.Name}' ({entry.AssemblyFile}) failed to start: {inner.GetType().Name}: {inner.Message}", inner);
        }
    }

    private static PluginException Unknown(string kind, string name, IEnumerable<PluginEntry> candidates)
    {
        var names = candidates.Select(e => e.Name).Distinct().ToList();
        if (names.Count == 0) return new PluginException($"unknown {kind} '{name}': no {kind}s are installed.");
        var nearest = OptionsBinder.Nearest(name, names);
        return new PluginException(nearest is not null
            ? $"unknown {kind} '{name}'; did you mean '{nearest}'?"
            : $"unknown {kind} '{name}'; known: {string.Join(", ", names)}.");
    }

    private static string KindOf<T>() =>
        typeof(T) == typeof(AlgorithmEntry) ? "algorithm"
        : typeof(T) == typeof(EnvironmentEntry) ? "environment"
        : typeof(T) == typeof(ExpertEntry) ? "expert"
        : "plugin";
}
