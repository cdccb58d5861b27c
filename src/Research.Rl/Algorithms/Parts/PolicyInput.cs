using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Spaces;
using Research.Rl.VectorEnvs;
using Research.Rl.Wrappers.Normalization;
using Research.Tensors.Io;

namespace Research.Rl.Algorithms;

/// <summary>
/// Turns raw observations into what the policy sees: normalized by the training env's <see cref="VecNormalize"/> when it
/// normalizes observations, or by the statistics saved with the model when it was loaded without an env; else unchanged.
/// </summary>
public sealed class PolicyInput(Space observationSpace)
{
    private ObservationNormalizer? _loaded;

    /// <summary>The training environment (null when loaded without one).</summary>
    public IVectorEnv? Env { get; set; }

    /// <summary>The normalized observations in <paramref name="scratch"/>, or <paramref name="raw"/> itself when nothing normalizes.</summary>
    public ReadOnlySpan<float> Prepare(ReadOnlySpan<float> raw, Span<float> scratch)
    {
        if (Env is VecNormalize { Options.NormObs: true } normalize)
        {
            normalize.NormalizeObservations(raw, scratch);
            return scratch;
        }
        if (Env is null && _loaded is not null)
        {
            _loaded.Normalize(raw, scratch);
            return scratch;
        }
        return raw;
    }

    /// <summary>What the model file keeps of the training env's normalizer (settings in <c>data.json</c>, statistics as arrays), or null.</summary>
    public IEnumerable<KeyValuePair<string, NpyArray>>? Export(JsonObject data)
    {
        if (Env is not VecNormalize { Options.NormObs: true } vn) return null;
        data["normalizer"] = new JsonObject
        {
            ["clip_obs"] = vn.Options.ClipObs,
            ["epsilon"] = vn.Options.Epsilon,
            ["norm_obs_keys"] = vn.Options.NormObsKeys is { } keys ? new JsonArray(keys.Select(k => (JsonNode)k).ToArray()) : null,
        };
        return vn.ExportStatistics().Select(p => new KeyValuePair<string, NpyArray>(p.Key, new NpyArray(p.Value, p.Value.Length))).ToList();
    }

    /// <summary>Takes the saved normalizer of <paramref name="model"/> for prediction without an env, and into the training env's <see cref="VecNormalize"/> if it has one.</summary>
    public void Import(ModelArchive model)
    {
        if (model.Normalizer is null) return;
        var statistics = model.Normalizer.ToDictionary(p => p.Key, p => p.Value.AsFloat64());
        var settings = model.Property("normalizer");
        var keys = settings.GetProperty("norm_obs_keys");
        var options = new VecNormalizeOptions(
            ClipObs: settings.GetProperty("clip_obs").GetDouble(),
            Epsilon: settings.GetProperty("epsilon").GetDouble(),
            NormObsKeys: keys.ValueKind == JsonValueKind.Array ? keys.EnumerateArray().Select(k => k.GetString() ?? "").ToList() : null);
        var running = new RunningMeanStd(observationSpace.FlatSize);
        running.Import(statistics, "obs_rms", model.Path);
        _loaded = new ObservationNormalizer(observationSpace, options, running);
        if (Env is VecNormalize { Options.NormObs: true } vn) vn.ImportStatistics(statistics);
    }
}

