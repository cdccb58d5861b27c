namespace Research.Tune;

/// <summary>The experiment's state (<c>experiment_state.json</c>): the search seed and every trial's status and progress.</summary>
public sealed class ExperimentState
{
    /// <summary>The file's format version.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The experiment's name.</summary>
    public required string Name { get; init; }

    /// <summary>The seed the search used (drawn when the spec had none).</summary>
    public required int SearchSeed { get; init; }

    /// <summary>The config keys that vary between trials, for tables.</summary>
    public IReadOnlyList<string> VaryingKeys { get; init; } = [];

    /// <summary>When the state was last written.</summary>
    public DateTime Updated { get; set; }

    /// <summary>Every trial, by index.</summary>
    public required List<TrialState> Trials { get; init; }

    /// <summary>The scheduler's state (brackets, rungs, population), so a resumed driver decides as the killed one would have.</summary>
    public System.Text.Json.Nodes.JsonObject? Scheduler { get; set; }

    /// <summary>A model-based searcher's state (its observations), so a resumed driver suggests what the killed one would have; null for grid and random search.</summary>
    public System.Text.Json.Nodes.JsonObject? Searcher { get; set; }

    /// <summary>Whether the trials were laid out as cluster jobs that keep running without a driver.</summary>
    public bool TrialsOutliveDriver { get; init; }

    /// <summary>Writes the state to <paramref name="experimentDir"/> atomically (temp file, then rename).</summary>
    public void Save(string experimentDir)
    {
        Updated = DateTime.UtcNow;
        TuneJson.Write(Path.Combine(experimentDir, TrialFiles.ExperimentState), this);
    }

    /// <summary>Reads the state of <paramref name="experimentDir"/>; a damaged file raises <see cref="CorruptStateException"/>.</summary>
    public static ExperimentState Load(string experimentDir)
    {
        string path = Path.Combine(experimentDir, TrialFiles.ExperimentState);
        if (!File.Exists(path))
            throw new CorruptStateException(path, "the file does not exist");
        try
        {
            var state = TuneJson.Read<ExperimentState>(path);
            if (state.Trials is null || state.Trials.Any(t => t is null || string.IsNullOrEmpty(t.Dir)))
                throw new CorruptStateException(path, "the trial list is missing or damaged");
            return state;
        }
        catch (InvalidDataException e)
        {
            throw new CorruptStateException(path, e.InnerException?.Message ?? e.Message);
        }
    }
}

/// <summary>An experiment state file that cannot be read; the message offers to rebuild it from the trial directories.</summary>
public sealed class CorruptStateException(string path, string reason)
    : Exception($"{path}: the experiment state cannot be read ({reason}). " +
                "Run with --resume --rebuild to rebuild it from the trial directories.")
{
    /// <summary>The state file.</summary>
    public string Path { get; } = path;
}
