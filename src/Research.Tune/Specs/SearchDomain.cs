using System.Globalization;

namespace Research.Tune;

/// <summary>A hyperparameter to search over rather than a plain value (Tune's <c>grid_search</c>, <c>choice</c>, <c>uniform</c>, …).</summary>
public abstract record SearchDomain
{
    /// <summary>The YAML key that introduces this domain.</summary>
    public abstract string Kind { get; }

    /// <summary>Why the domain cannot be searched (empty list, bad bounds), or null when it is fine.</summary>
    public abstract string? Problem();

    /// <summary>The domain in its YAML/JSON form (<c>{kind: [...]}</c>), so a spec written out reads back equal.</summary>
    public abstract IReadOnlyList<object?> Arguments { get; }

    private protected static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Every value in turn; grids multiply (Tune's <c>grid_search</c>).</summary>
public sealed record GridSearch(IReadOnlyList<object?> Values) : SearchDomain
{
    public override string Kind => "grid_search";
    public override IReadOnlyList<object?> Arguments => Values;
    public override string? Problem() => Values.Count == 0 ? "grid_search needs at least one value" : null;
}

/// <summary>A domain drawn at random for each trial.</summary>
public abstract record RandomDomain : SearchDomain
{
    /// <summary>Draws one value.</summary>
    public abstract object? Sample(Random random);
}

/// <summary>One of the values, uniformly (Tune's <c>choice</c>).</summary>
public sealed record Choice(IReadOnlyList<object?> Values) : RandomDomain
{
    public override string Kind => "choice";
    public override IReadOnlyList<object?> Arguments => Values;
    public override string? Problem() => Values.Count == 0 ? "choice needs at least one value" : null;
    public override object? Sample(Random random) => Values[random.Next(Values.Count)];
}

/// <summary>A float uniform in [Low, High) (Tune's <c>uniform</c>).</summary>
public sealed record Uniform(double Low, double High) : RandomDomain
{
    public override string Kind => "uniform";
    public override IReadOnlyList<object?> Arguments => [Low, High];
    public override string? Problem() =>
        double.IsFinite(Low) && double.IsFinite(High) && Low < High ? null
            : $"uniform needs finite bounds with low < high, got [{Format(Low)}, {Format(High)}]";
    public override object? Sample(Random random) => Low + random.NextDouble() * (High - Low);
}

/// <summary>A float whose logarithm is uniform in [log Low, log High) (Tune's <c>loguniform</c>).</summary>
public sealed record LogUniform(double Low, double High) : RandomDomain
{
    public override string Kind => "loguniform";
    public override IReadOnlyList<object?> Arguments => [Low, High];
    public override string? Problem() =>
        double.IsFinite(Low) && double.IsFinite(High) && Low > 0 && Low < High ? null
            : $"loguniform needs 0 < low < high, got [{Format(Low)}, {Format(High)}]";
    public override object? Sample(Random random) =>
        Math.Exp(Math.Log(Low) + random.NextDouble() * (Math.Log(High) - Math.Log(Low)));
}

/// <summary>An integer in [Low, High), upper bound excluded as in Tune's <c>randint</c>.</summary>
public sealed record RandInt(long Low, long High) : RandomDomain
{
    public override string Kind => "randint";
    public override IReadOnlyList<object?> Arguments => [Low, High];
    public override string? Problem() => Low < High ? null : $"randint needs low < high (high excluded), got [{Low}, {High}]";
    public override object? Sample(Random random) => random.NextInt64(Low, High);
}
