using Research.Abstractions.Environments;
using Research.TensorBoard.Proto;

namespace Research.TensorBoard;

/// <summary>
/// Writes a run's summaries (scalars, text, histograms, images, hparams sessions) to one event file in the run directory.
/// Thread-safe; dispose to flush and close.
/// </summary>
public sealed class SummaryWriter : IDisposable
{
    private readonly EventFileWriter _events;

    /// <summary>Opens a new event file in <paramref name="runDirectory"/>.</summary>
    public SummaryWriter(string runDirectory, EventFileWriterOptions? options = null)
    {
        RunDirectory = runDirectory;
        _events = new EventFileWriter(runDirectory, options);
    }

    /// <summary>The run directory.</summary>
    public string RunDirectory { get; }

    /// <summary>The event file being written.</summary>
    public string FilePath => _events.FilePath;

    /// <summary>Records a scalar; allocates nothing.</summary>
    public void AddScalar(string tag, double value, long step) => _events.WriteScalar(tag, (float)value, step);

    /// <summary>Records Markdown text.</summary>
    public void AddText(string tag, string text, long step) => Add(Summaries.Text(tag, text), step);

    /// <summary>Records the distribution of <paramref name="values"/>.</summary>
    public void AddHistogram(string tag, ReadOnlySpan<float> values, long step) => Add(Summaries.Histogram(tag, values), step);

    /// <summary>Records an RGB image.</summary>
    public void AddImage(string tag, RgbFrame frame, long step) => Add(Summaries.Image(tag, frame), step);

    /// <summary>Records the sweep's experiment description (write it in the sweep's root directory).</summary>
    public void AddExperiment(IEnumerable<HParamSpec> hparams, IEnumerable<MetricSpec> metrics) =>
        Add(HParams.Experiment(hparams, metrics, _events.WallTime()), 0);

    /// <summary>Records that this run is a trial with these hyperparameter values; <paramref name="groupName"/> joins repeats of one configuration.</summary>
    public void AddSessionStart(IReadOnlyDictionary<string, object> hparams, string groupName = "") =>
        Add(HParams.SessionStart(hparams, groupName, _events.WallTime()), 0);

    /// <summary>Records how the trial ended.</summary>
    public void AddSessionEnd(TrialStatus status) => Add(HParams.SessionEnd(status, _events.WallTime()), 0);

    /// <summary>Records any summary value at <paramref name="step"/>.</summary>
    public void Add(Summary.Types.Value value, long step) =>
        _events.WriteEvent(new Event { WallTime = _events.WallTime(), Step = step, Summary = new Summary { Value = { value } } });

    /// <summary>Hands everything written so far to the operating system.</summary>
    public void Flush() => _events.Flush();

    /// <summary>Flushes and closes the event file.</summary>
    public void Dispose() => _events.Dispose();
}
