using Research.Abstractions.Options;

namespace Research.Tune;

/// <summary>A spec's <c>executor:</c> section: where trials run (<c>local</c> processes or <c>slurm</c> jobs) and the executor's options.</summary>
public sealed record ExecutorSpec(string Type, IReadOnlyDictionary<string, object?> Options)
{
    /// <summary>Local processes: the default.</summary>
    public static ExecutorSpec Local { get; } = new(ExecutorFactory.LocalName, new Dictionary<string, object?>());
}

/// <summary>Builds the executor a spec names; both run the same trial command and differ only in job control.</summary>
public static class ExecutorFactory
{
    /// <summary>The name of the local process executor.</summary>
    public const string LocalName = "local";

    /// <summary>Every name the spec accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [LocalName, SlurmExecutor.TypeName];

    /// <summary>Checks the section's name and options without touching a cluster (spec validation).</summary>
    public static void Check(SweepSpec spec)
    {
        if (spec.Executor.Type.ToLowerInvariant() == SlurmExecutor.TypeName) SlurmOptions(spec);
        else if (spec.Executor.Type.ToLowerInvariant() != LocalName) throw Unknown(spec);
        else if (spec.Executor.Options.Count > 0)
            throw new SpecException(spec.Source, $"executor.{spec.Executor.Options.Keys.First()}", "executor 'local' takes no options");
    }

    /// <summary>The executor of <paramref name="spec"/>, running <paramref name="command"/> for each trial.</summary>
    /// <exception cref="InvalidOperationException">The executor cannot run here (for Slurm: sbatch missing or the controller unreachable).</exception>
    public static ITrialExecutor Create(SweepSpec spec, TrialCommand command)
    {
        Check(spec);
        return spec.Executor.Type.ToLowerInvariant() == SlurmExecutor.TypeName
            ? new SlurmExecutor(command, SlurmOptions(spec), spec.TrialThreads)
            : new LocalProcessExecutor(command);
    }

    private static SlurmExecutorOptions SlurmOptions(SweepSpec spec)
    {
        var valid = OptionsBinder.Describe(typeof(SlurmExecutorOptions)).Select(o => o.Name).ToList();
        foreach (var key in spec.Executor.Options.Keys.Where(k => !valid.Contains(k)))
        {
            var nearest = OptionsBinder.Nearest(key, valid);
            throw new SpecException(spec.Source, $"executor.{key}", "unknown option for executor 'slurm'; " +
                (nearest is not null ? $"did you mean 'executor.{nearest}'?" : $"valid options: {string.Join(", ", valid)}"));
        }
        try
        {
            return OptionsBinder.Bind<SlurmExecutorOptions>(spec.Executor.Options, "executor 'slurm'");
        }
        catch (OptionsException e)
        {
            throw new SpecException(spec.Source, "executor", e.Message);
        }
    }

    private static SpecException Unknown(SweepSpec spec)
    {
        var nearest = OptionsBinder.Nearest(spec.Executor.Type, Names);
        return new SpecException(spec.Source, "executor.type",
            $"unknown executor '{spec.Executor.Type}'; " + (nearest is not null ? $"did you mean '{nearest}'?" : $"known: {string.Join(", ", Names)}"));
    }
}
