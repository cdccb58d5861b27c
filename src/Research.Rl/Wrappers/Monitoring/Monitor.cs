using System.Globalization;
using System.Text;
using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers.Monitoring;

/// <summary>
/// Records every episode's return, length and time to a <c>monitor.csv</c> in Stable-Baselines' format, flushing after each
/// episode, and reports it in <c>info["episode"]</c> (the time being seconds since the monitor started, as Stable-Baselines').
/// </summary>
/// <remarks>
/// The file starts with <c>#{"t_start": &lt;unix time&gt;, "env_id": "&lt;id&gt;"}</c>, then the CSV header <c>r,l,t</c> and one row per
/// episode; numbers are written as Python writes them and CSV lines end with <c>\r\n</c> as Python's csv module does.
/// </remarks>
public sealed class Monitor : RecordEpisodeStatistics
{
    /// <summary>The file name suffix <see cref="MonitorResults"/> looks for.</summary>
    public const string Extension = "monitor.csv";

    private readonly StreamWriter _writer;

    /// <summary>
    /// Wraps <paramref name="inner"/> and creates the file: <paramref name="path"/> itself when it ends with <c>monitor.csv</c>,
    /// <c>path/monitor.csv</c> when it is a directory, else <c>path.monitor.csv</c> (as Stable-Baselines).
    /// </summary>
    public Monitor(IEnv inner, string path, string envId, TimeProvider? time = null) : base(inner, time)
    {
        FilePath = ResolvePath(path);
        StartTime = UnixSeconds();
        try
        {
            _writer = new StreamWriter(FilePath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Monitor: cannot create '{FilePath}': {e.Message}", e);
        }
        _writer.Write($"#{{\"t_start\": {PythonText.Float(StartTime)}, \"env_id\": {PythonText.JsonString(envId)}}}\n");
        _writer.Write("r,l,t\r\n");
        _writer.Flush();
    }

    /// <summary>The file being written.</summary>
    public string FilePath { get; }

    /// <summary>Unix time, in seconds, at which the monitor started (<c>t_start</c>).</summary>
    public double StartTime { get; }

    protected override double EpisodeTime() => Math.Round(UnixSeconds() - StartTime, 6);

    protected override void OnEpisodeCompleted(EpisodeStatistics episode)
    {
        string length = episode.Length.ToString(CultureInfo.InvariantCulture);
        _writer.Write($"{PythonText.Float(Math.Round(episode.Return, 6))},{length},{PythonText.Float(episode.Time)}\r\n");
        _writer.Flush();
    }

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }

    private double UnixSeconds() => (Time.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;

    private static string ResolvePath(string path)
    {
        if (path.EndsWith(Extension, StringComparison.Ordinal)) return path;
        return Directory.Exists(path) ? Path.Combine(path, Extension) : path + "." + Extension;
    }
}
