using System.Text.Json.Nodes;

namespace Research.Tune;

/// <summary>How a trial ended, as a searcher learns from it.</summary>
public enum TrialOutcome
{
    /// <summary>It met its stop criteria: its last result is its value.</summary>
    Completed,

    /// <summary>A scheduler stopped it early (Optuna's pruned trial): its last result is an intermediate value.</summary>
    StoppedEarly,

    /// <summary>It failed: nothing to learn.</summary>
    Error,
}

/// <summary>Suggests the config of each new trial, possibly from the results of earlier ones (Tune's <c>Searcher</c>).</summary>
/// <remarks>The driver asks for a trial when a slot is free and its scheduler has none to run; a searcher that needs results first
/// answers null and is asked again after a trial ends. Its whole state goes into <c>experiment_state.json</c>.</remarks>
public interface ISearcher
{
    /// <summary>The name the spec used (<c>grid</c>, <c>random</c>, <c>tpe</c>).</summary>
    string Name { get; }

    /// <summary>Whether every trial has been suggested.</summary>
    bool Finished { get; }

    /// <summary>The config (dotted keys, plain values) of the trial numbered <paramref name="index"/>, or null to wait for results.</summary>
    IReadOnlyDictionary<string, object?>? Suggest(int index);

    /// <summary>Trial <paramref name="index"/> ended with <paramref name="lastResult"/> (null when it reported nothing).</summary>
    void OnTrialComplete(int index, IReadOnlyDictionary<string, double>? lastResult, TrialOutcome outcome);

    /// <summary>Takes over a trial that exists already with <paramref name="config"/> (an experiment state rebuilt from its folders).</summary>
    void Adopt(int index, IReadOnlyDictionary<string, object?> config);

    /// <summary>The searcher's state as JSON.</summary>
    JsonObject SaveState();

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void RestoreState(JsonObject state);
}

/// <summary>At most <c>max_concurrent</c> suggested trials unfinished at once (Tune's <c>ConcurrencyLimiter</c>): the searcher then waits for results.</summary>
public sealed class ConcurrencyLimiter(ISearcher inner, int maxConcurrent) : ISearcher
{
    private readonly HashSet<int> _live = [];

    public string Name => inner.Name;

    public bool Finished => inner.Finished;

    /// <summary>The wrapped searcher.</summary>
    public ISearcher Inner => inner;

    public IReadOnlyDictionary<string, object?>? Suggest(int index)
    {
        if (_live.Count >= maxConcurrent) return null;
        var config = inner.Suggest(index);
        if (config is not null) _live.Add(index);
        return config;
    }

    public void OnTrialComplete(int index, IReadOnlyDictionary<string, double>? lastResult, TrialOutcome outcome)
    {
        _live.Remove(index);
        inner.OnTrialComplete(index, lastResult, outcome);
    }

    public void Adopt(int index, IReadOnlyDictionary<string, object?> config)
    {
        _live.Add(index);
        inner.Adopt(index, config);
    }

    public JsonObject SaveState() => new()
    {
        ["live"] = StateJson.Array(_live.Order(), i => JsonValue.Create(i)),
        ["inner"] = inner.SaveState(),
    };

    public void RestoreState(JsonObject state)
    {
        _live.Clear();
        foreach (var i in state["live"]!.AsArray()) _live.Add(i!.GetValue<int>());
        inner.RestoreState(state["inner"]!.AsObject());
    }
}
