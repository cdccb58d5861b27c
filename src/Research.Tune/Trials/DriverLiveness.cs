using System.Diagnostics;
using System.Text.Json;

namespace Research.Tune;

/// <summary>The driver's side: records its pid in <c>driver.json</c> and touches the file as a heartbeat.</summary>
public sealed class DriverHeartbeat : IDisposable
{
    private readonly string _path;
    private readonly Timer _timer;

    /// <summary>Starts beating into <c>driver.json</c> of <paramref name="experimentDir"/> every <paramref name="interval"/>.</summary>
    public DriverHeartbeat(string experimentDir, TimeSpan interval)
    {
        _path = Path.Combine(experimentDir, TrialFiles.Driver);
        TuneJson.Write(_path, new DriverRecord(Environment.ProcessId, Environment.MachineName, DateTime.UtcNow));
        _timer = new Timer(_ => Beat(), null, interval, interval);
    }

    private void Beat()
    {
        try
        {
            File.SetLastWriteTimeUtc(_path, DateTime.UtcNow);
        }
        catch (IOException)
        {
            // A missed beat is harmless; the next one comes within the interval.
        }
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>What <c>driver.json</c> holds.</summary>
public sealed record DriverRecord(int Pid, string Hostname, DateTime Started);

/// <summary>The trial's side: ends the trial when the driver that started it is gone, so a resumed sweep never has two writers.</summary>
/// <remarks>The driver is gone when its process has exited (checked on this host) or its heartbeat is older than the timeout.</remarks>
public sealed class DriverWatch : IDisposable
{
    private readonly string _path;
    private readonly int _pid;
    private readonly TimeSpan _timeout;
    private readonly Action _onGone;
    private readonly Timer _timer;
    private int _fired;

    private DriverWatch(string path, int pid, TimeSpan timeout, Action onGone)
    {
        (_path, _pid, _timeout, _onGone) = (path, pid, timeout, onGone);
        _timer = new Timer(_ => Check(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>Watches the driver of the experiment that holds <paramref name="trialDir"/>; null when no driver is recorded (a trial run by hand).</summary>
    public static DriverWatch? Start(string trialDir, TimeSpan timeout, Action onGone)
    {
        string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(trialDir))!, TrialFiles.Driver);
        if (!File.Exists(path)) return null;
        DriverRecord record;
        try
        {
            record = TuneJson.Read<DriverRecord>(path);
        }
        catch (InvalidDataException)
        {
            return null;
        }
        return new DriverWatch(path, record.Hostname == Environment.MachineName ? record.Pid : 0, timeout, onGone);
    }

    /// <summary>Whether the driver still runs.</summary>
    public bool DriverAlive()
    {
        if (_pid != 0 && !ProcessAlive(_pid)) return false;
        try
        {
            if (_pid != 0 && TuneJson.Read<DriverRecord>(_path).Pid != _pid) return false;
            return DateTime.UtcNow - File.GetLastWriteTimeUtc(_path) < _timeout;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException)
        {
            return false;
        }
    }

    private void Check()
    {
        if (!DriverAlive() && Interlocked.Exchange(ref _fired, 1) == 0) _onGone();
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => _timer.Dispose();
}
