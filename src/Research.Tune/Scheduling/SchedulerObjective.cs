using System.Text.Json.Nodes;

namespace Research.Tune;

/// <summary>What a metric-driven scheduler compares: its time attribute and its metric, signed so that larger is better.</summary>
public sealed record SchedulerObjective(string TimeAttr, string Metric, OptimizationMode Mode)
{
    /// <summary>+1 when larger is better, −1 when smaller is (Tune's <c>metric_op</c>).</summary>
    public double Sign => Mode == OptimizationMode.Max ? 1 : -1;

    /// <summary>The result's time and signed score, or null when it lacks either (Tune then continues the trial).</summary>
    public (double Time, double Score)? Read(IReadOnlyDictionary<string, double> result) =>
        result.TryGetValue(TimeAttr, out var time) && result.TryGetValue(Metric, out var value) && !double.IsNaN(time)
            ? (time, Sign * value)
            : null;

    /// <summary>A signed score back in the metric's own units, for messages.</summary>
    public string Show(double score) => SchedulerMath.Format(Sign * score);
}

/// <summary>Reads and writes scheduler state values.</summary>
internal static class StateJson
{
    public static JsonObject Map<T>(IEnumerable<KeyValuePair<string, T>> pairs, Func<T, JsonNode?> value)
    {
        var map = new JsonObject();
        foreach (var (key, item) in pairs) map[key] = value(item);
        return map;
    }

    public static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> value)
    {
        var array = new JsonArray();
        foreach (var item in items) array.Add(value(item));
        return array;
    }

    public static double Number(JsonNode? node) => node?.GetValue<double>() ?? double.NaN;

    public static double? OptionalNumber(JsonNode? node) => node is null ? null : node.GetValue<double>();

    public static JsonNode? Optional(double? value) => value is { } v ? JsonValue.Create(v) : null;
}
