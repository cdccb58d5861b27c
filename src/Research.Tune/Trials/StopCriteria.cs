using System.Globalization;

namespace Research.Tune;

/// <summary>Tune's dict stopper: a trial stops when any listed result key reaches (≥) its threshold.</summary>
public sealed class StopCriteria(IReadOnlyDictionary<string, double> thresholds)
{
    /// <summary>Why the trial should stop after <paramref name="result"/> (for example <c>timesteps_total=100000 ≥ 100000</c>), or null.</summary>
    public string? Reason(IReadOnlyDictionary<string, double> result)
    {
        foreach (var (key, threshold) in thresholds)
        {
            if (result.TryGetValue(key, out var value) && value >= threshold)
                return string.Create(CultureInfo.InvariantCulture, $"{key}={value} >= {threshold}");
        }
        return null;
    }
}
