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
}

/// <summary>Raised when a config map does not bind onto an options record; the message names the key.</summary>
public sealed class OptionsException(string message) : ArgumentException(message);
