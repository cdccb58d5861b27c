using System.Globalization;

namespace Research.Tune;

/// <summary>How PBT explores one hyperparameter (a value of Tune's <c>hyperparam_mutations</c>).</summary>
public abstract record PbtMutation
{
    /// <summary>The mutation in its spec form, so a spec written out reads back equal.</summary>
    public abstract object? ToPlain();
}

/// <summary>An allowed list of values: resample from it, or shift to a neighbour in it.</summary>
public sealed record PbtListMutation(IReadOnlyList<object?> Values) : PbtMutation
{
    public override object? ToPlain() => Values.ToList();
}

/// <summary>A search domain (a Python resample function is written as the domain it samples): resample from it, or multiply by a perturbation factor.</summary>
public sealed record PbtDomainMutation(RandomDomain Domain) : PbtMutation
{
    public override object? ToPlain() => new Dictionary<string, object?> { [Domain.Kind] = Domain.Arguments };
}

/// <summary>PBT's explore step (Tune's <c>_explore</c>): a perturbed copy of a config and a description of each change.</summary>
public static class PbtExplorer
{
    /// <summary>
    /// For each mutated key: with probability <paramref name="resampleProbability"/> (or, for a list, when the value is not in it)
    /// a fresh draw; otherwise a list value moves one place left or right (clamped) and a number is multiplied by one of
    /// <paramref name="factors"/>. A value that was an integer stays an integer (truncated, as Python's <c>int</c>).
    /// </summary>
    public static (Dictionary<string, object?> Config, Dictionary<string, string> Operations) Explore(
        IReadOnlyDictionary<string, object?> config, IReadOnlyList<KeyValuePair<string, PbtMutation>> mutations,
        double resampleProbability, IReadOnlyList<double> factors, Random random)
    {
        var result = new Dictionary<string, object?>(config);
        var operations = new Dictionary<string, string>();
        foreach (var (key, mutation) in mutations)
        {
            object? old = config.GetValueOrDefault(key);
            switch (mutation)
            {
                case PbtListMutation list:
                {
                    int index = IndexOf(list.Values, old);
                    if (random.NextDouble() < resampleProbability || index < 0)
                    {
                        result[key] = list.Values[random.Next(list.Values.Count)];
                        operations[key] = "resample";
                    }
                    else
                    {
                        int shift = random.Next(2) == 0 ? -1 : 1;
                        int moved = Math.Clamp(index + shift, 0, list.Values.Count - 1);
                        result[key] = list.Values[moved];
                        operations[key] = $"shift {(shift < 0 ? "left" : "right")}{(moved == index ? " (noop)" : "")}";
                    }
                    break;
                }
                case PbtDomainMutation domain:
                {
                    object? value;
                    if (random.NextDouble() < resampleProbability)
                    {
                        value = domain.Domain.Sample(random);
                        operations[key] = "resample";
                    }
                    else
                    {
                        double factor = factors[random.Next(factors.Count)];
                        value = Number(old, key) * factor;
                        operations[key] = "* " + factor.ToString("R", CultureInfo.InvariantCulture);
                    }
                    result[key] = old is long or int ? (long)Math.Truncate(Number(value, key)) : value;
                    break;
                }
            }
        }
        return (result, operations);
    }

    /// <summary>Tune's summary of an explore step: <c>key : old --- (op) --> new</c>, one line per mutated key.</summary>
    public static string Summarize(IReadOnlyDictionary<string, object?> before, IReadOnlyDictionary<string, object?> after,
        IReadOnlyDictionary<string, string> operations) =>
        string.Join("; ", operations.Select(kv => $"{kv.Key} : {TuneJson.Short(before.GetValueOrDefault(kv.Key))} --- ({kv.Value}) --> {TuneJson.Short(after.GetValueOrDefault(kv.Key))}"));

    /// <summary>The position of <paramref name="value"/> in <paramref name="values"/>, numbers compared by value (1 equals 1.0).</summary>
    public static int IndexOf(IReadOnlyList<object?> values, object? value)
    {
        for (int i = 0; i < values.Count; i++)
            if (PlainEquals(values[i], value)) return i;
        return -1;
    }

    private static bool PlainEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (long or int or double or float, long or int or double or float) =>
            Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture),
        _ => Equals(a, b),
    };

    private static double Number(object? value, string key) => value switch
    {
        long or int or double or float => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw new SchedulerException($"PBT cannot multiply '{key}' = {TuneJson.Short(value)}: it is not a number (give a list of values to mutate it)"),
    };
}

/// <summary>A scheduler that cannot go on with the result it was given (a missing metric that PBT requires); the trial ends in ERROR.</summary>
public sealed class SchedulerException(string message) : Exception(message);
