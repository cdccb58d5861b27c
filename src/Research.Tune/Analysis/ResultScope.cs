namespace Research.Tune;

/// <summary>Which of a trial's results count when trials are compared (Tune's <c>scope</c>).</summary>
public enum ResultScope
{
    /// <summary>The last result.</summary>
    Last,

    /// <summary>The best result of all iterations (max in mode max, min in mode min; Tune's <c>all</c>).</summary>
    Max,

    /// <summary>The average over all iterations.</summary>
    Avg,

    /// <summary>The average of the last 5 results.</summary>
    Last5Avg,

    /// <summary>The average of the last 10 results.</summary>
    Last10Avg,
}

/// <summary>Parses and names <see cref="ResultScope"/>s as the command line spells them.</summary>
public static class ResultScopes
{
    /// <summary>The spellings: <c>last</c>, <c>max</c> (or <c>all</c>), <c>avg</c>, <c>last-5-avg</c>, <c>last-10-avg</c>.</summary>
    public static readonly IReadOnlyList<string> Names = ["last", "max", "avg", "last-5-avg", "last-10-avg"];

    /// <summary>Parses a scope; a wrong one names the nearest spelling.</summary>
    public static ResultScope Parse(string text) => text switch
    {
        "last" => ResultScope.Last,
        "max" or "all" => ResultScope.Max,
        "avg" => ResultScope.Avg,
        "last-5-avg" => ResultScope.Last5Avg,
        "last-10-avg" => ResultScope.Last10Avg,
        _ => throw new ArgumentException(
            $"scope '{text}' is not one of {string.Join(", ", Names)}" +
            (Abstractions.Options.OptionsBinder.Nearest(text, Names) is { } n ? $"; did you mean '{n}'?" : "")),
    };

    /// <summary>The score of one trial's <paramref name="values"/> (oldest first) under <paramref name="scope"/>, or null when there are none.</summary>
    public static double? Score(IReadOnlyList<double> values, ResultScope scope, OptimizationMode mode)
    {
        if (values.Count == 0) return null;
        return scope switch
        {
            ResultScope.Last => values[^1],
            ResultScope.Max => mode == OptimizationMode.Max ? values.Max() : values.Min(),
            ResultScope.Avg => values.Average(),
            ResultScope.Last5Avg => values.Skip(Math.Max(0, values.Count - 5)).Average(),
            _ => values.Skip(Math.Max(0, values.Count - 10)).Average(),
        };
    }
}
