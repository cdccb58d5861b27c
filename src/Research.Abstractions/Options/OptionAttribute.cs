namespace Research.Abstractions.Options;

/// <summary>Describes one hyperparameter of an options record: its help text and allowed range.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAttribute(string description) : Attribute
{
    /// <summary>One line of help.</summary>
    public string Description { get; } = description;

    /// <summary>Smallest allowed value (inclusive); NaN for no bound.</summary>
    public double Min { get; init; } = double.NaN;

    /// <summary>Largest allowed value (inclusive); NaN for no bound.</summary>
    public double Max { get; init; } = double.NaN;
}

/// <summary>Options every algorithm has, as Stable-Baselines' constructor arguments.</summary>
public record AlgorithmOptions
{
    /// <summary>Seed of the algorithm's and the environments' generators; null draws one.</summary>
    [Option("Seed of the algorithm's and the environments' generators; empty draws one.")]
    public int? Seed { get; init; }

    /// <summary>Number of environments stepped side by side.</summary>
    [Option("Number of environments stepped side by side (the zoo's n_envs).", Min = 1)]
    public int NEnvs { get; init; } = 1;

    /// <summary>0 prints nothing, 1 prints SB3's table per iteration.</summary>
    [Option("0: silent, 1: a table of metrics per iteration.", Min = 0, Max = 2)]
    public int Verbose { get; init; }

    /// <summary>Every this many iterations, the policy's parameters are logged as histograms (<c>weights/&lt;name&gt;</c>); 0 never.</summary>
    [Option("Log a histogram of every policy parameter (weights/<name>) every this many iterations; 0: never.", Min = 0)]
    public int HistogramFrequency { get; init; }

    /// <summary>The training budget in timesteps that schedules follow when training goes iteration by iteration (<c>Train()</c>, a sweep trial); <c>Learn(n)</c> plans its own n. Null: none.</summary>
    [Option("Training budget in timesteps that schedules (lin_..., DQN's exploration) follow when training iteration by iteration; Learn(n) and --timesteps plan their own. Empty: none.", Min = 1)]
    public long? TotalTimesteps { get; init; }

    /// <summary>The options whose values follow the training budget, as <c>name = value</c>: every schedule that is not a constant (and, in subclasses, other budget-relative settings such as DQN's exploration fraction).</summary>
    public virtual IEnumerable<string> BudgetDependentOptions() =>
        OptionsBinder.Schedules(this).Where(s => !s.Value.IsConstant).Select(s => $"{s.Key} = {s.Value}");

    /// <summary>Throws an <see cref="InvalidOperationException"/> naming the first custom schedule (a C# function cannot be written to a model file).</summary>
    public void EnsureSavable(string owner)
    {
        var custom = OptionsBinder.Schedules(this).FirstOrDefault(s => s.Value.Kind == ScheduleKind.Custom);
        if (custom.Key is { } name)
            throw new InvalidOperationException(
                $"{owner}: {name} is a custom schedule (a C# function), which a model file cannot hold; give it as a number or lin_<start> to save, " +
                "or keep the training state with SaveCheckpoint and restore it into an algorithm built with the same function.");
    }

    /// <summary>Throws an <see cref="OptionsException"/> naming the first budget-dependent option when <paramref name="totalTimesteps"/> is null.</summary>
    public void EnsureBudget(long? totalTimesteps, string owner)
    {
        if (totalTimesteps is not null) return;
        if (BudgetDependentOptions().FirstOrDefault() is { } option)
            throw new OptionsException(
                $"{owner}: {option} follows the training budget, but no budget was given; give one with --timesteps N (research train), " +
                "stop.timesteps_total (a sweep) or total_timesteps in the config (in C#: Learn(n), or TotalTimesteps in the options).");
    }
}

/// <summary>Raised when a config map does not bind onto an options record; the message names the key.</summary>
public sealed class OptionsException(string message) : ArgumentException(message);
