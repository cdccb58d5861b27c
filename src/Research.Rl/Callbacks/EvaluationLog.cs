using System.Text.Json;
using Research.Storage;

namespace Research.Rl.Callbacks;

/// <summary>
/// The history of evaluations (SB3's <c>evaluations.npz</c> arrays <c>timesteps</c>, <c>results</c>, <c>ep_lengths</c>),
/// written as <c>evaluations.json</c> atomically after each evaluation.
/// </summary>
public sealed class EvaluationLog
{
    private readonly List<long> _timesteps = [];
    private readonly List<double[]> _results = [];
    private readonly List<int[]> _lengths = [];

    /// <summary>Timesteps at which evaluations ran.</summary>
    public IReadOnlyList<long> Timesteps => _timesteps;

    /// <summary>Per evaluation, the return of each episode.</summary>
    public IReadOnlyList<double[]> Results => _results;

    /// <summary>Per evaluation, the length of each episode.</summary>
    public IReadOnlyList<int[]> EpisodeLengths => _lengths;

    /// <summary>Appends one evaluation.</summary>
    public void Add(long timesteps, IEnumerable<double> episodeRewards, IEnumerable<int> episodeLengths)
    {
        _timesteps.Add(timesteps);
        _results.Add(episodeRewards.ToArray());
        _lengths.Add(episodeLengths.ToArray());
    }

    /// <summary>Writes <c>{"timesteps": [...], "results": [[...]], "ep_lengths": [[...]]}</c> to <paramref name="path"/> complete-or-absent.</summary>
    public void Write(string path) => AtomicFile.Write(path, stream =>
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("timesteps");
        foreach (var t in _timesteps) json.WriteNumberValue(t);
        json.WriteEndArray();
        json.WriteStartArray("results");
        foreach (var episode in _results)
        {
            json.WriteStartArray();
            foreach (var r in episode) json.WriteNumberValue(r);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteStartArray("ep_lengths");
        foreach (var episode in _lengths)
        {
            json.WriteStartArray();
            foreach (var l in episode) json.WriteNumberValue(l);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    });
}
