using System.Diagnostics;
using Research.Rl.Bridge;

namespace Research.Plugins.Gymnasium;

/// <summary>
/// One Python worker process (<c>python -m research_bridge.worker</c>) hosting envs <see cref="FirstEnv"/> … of a vector env,
/// spoken to over its standard input and output. Every request has a deadline (the watchdog kills a worker that misses it);
/// a worker that dies, hangs or breaks the protocol becomes a <see cref="GymWorkerException"/> naming it, its pid, its envs,
/// its exit code and the end of its standard error. Not thread-safe: one request at a time (callers serialize).
/// </summary>
internal sealed class PythonWorker : IDisposable
{
    private const int StderrLines = 40;
    private readonly Process _process;
    private readonly Queue<string> _stderr = new();
    private readonly GymnasiumOptions _options;
    private long _deadline;
    private volatile bool _killedForTimeout;
        private bool _failed, _disposed;

    public PythonWorker(int index, int firstEnv, int count, string bridgePath, GymnasiumOptions options)
    {
        Index = index;
        FirstEnv = firstEnv;
        Count = count;
        _options = options;
        var start = new ProcessStartInfo(options.Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-u");
        start.ArgumentList.Add("-m");
        start.ArgumentList.Add("research_bridge.worker");
        var paths = new List<string> { bridgePath };
        if (options.PythonPath.Length > 0) paths.Add(options.PythonPath);
        if (Environment.GetEnvironmentVariable("PYTHONPATH") is { Length: > 0 } existing) paths.Add(existing);
        start.Environment["PYTHONPATH"] = string.Join(Path.PathSeparator, paths);
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new GymWorkerException($"Gymnasium: could not start worker {index} with Python '{options.Python}': {e.Message}. " +
                                         "Set vec_env_kwargs.python to a Python 3 with NumPy (and Gymnasium).", e);
        }
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                if (_stderr.Count > StderrLines) _stderr.Dequeue();
            }
        };
        _process.BeginErrorReadLine();
        Client = new BridgeClient(new BridgeConnection(_process.StandardOutput.BaseStream, _process.StandardInput.BaseStream, Describe()));
        WorkerWatchdog.Register(this);
    }

    /// <summary>The worker's number in its vector env.</summary>
    public int Index { get; }

    /// <summary>The vector env's index of the worker's env 0.</summary>
    public int FirstEnv { get; }

    /// <summary>Envs the worker hosts.</summary>
    public int Count { get; }

    /// <summary>The protocol client (use between <see cref="Begin(string)"/> and <see cref="End"/>, or through <see cref="Call{T}(string, Func{T})"/>).</summary>
    public BridgeClient Client { get; }

    /// <summary>What the worker answered to HELLO.</summary>
    public BridgeReady Ready => Client.Ready ?? throw new InvalidOperationException("PythonWorker: no handshake yet.");

    /// <summary><c>worker 1 (pid 4242, envs 4–7)</c>.</summary>
    public string Describe() => $"worker {Index} (pid {SafePid()}, env{(Count == 1 ? $" {FirstEnv}" : $"s {FirstEnv}–{FirstEnv + Count - 1}")})";

    /// <summary>Performs the handshake (or, when <paramref name="sent"/>, reads the answer to a HELLO already sent).</summary>
    public BridgeReady Hello(BridgeHello hello, bool sent = false) =>
        Call("HELLO", _options.StartupTimeout, () => sent ? Client.ReceiveReady(hello) : Client.Hello(hello));

    /// <summary>Runs a request under the worker's deadline; transport failures become <see cref="GymWorkerException"/>, Python errors stay <see cref="BridgeRemoteException"/>.</summary>
    public T Call<T>(string operation, Func<T> request) => Call(operation, _options.Timeout, request);

    private T Call<T>(string operation, double seconds, Func<T> request)
    {
        Begin(operation, seconds);
        try
        {
            return request();
        }
        catch (Exception e) when (IsTransport(e))
        {
            throw Fail(operation, e);
        }
        finally
        {
            End();
        }
    }

    /// <summary>Starts the deadline of one part of a request (hot paths call the client between this and <see cref="End"/>, without a delegate).</summary>
    public void Begin(string operation) => Begin(operation, _options.Timeout);

    /// <summary>Clears the deadline.</summary>
    public void End() => Volatile.Write(ref _deadline, 0);

    /// <summary>Whether an exception from the client means the worker failed (rather than its env raising).</summary>
    public static bool IsTransport(Exception e) => e is IOException or ObjectDisposedException;

    private void Begin(string operation, double seconds)
    {
        ThrowIfFailed();
        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency));
    }

    /// <summary>Called by the watchdog: kills the worker when its deadline passed.</summary>
    public void KillIfOverdue(long now)
    {
        long deadline = Volatile.Read(ref _deadline);
        if (deadline == 0 || now < deadline || _killedForTimeout) return;
        _killedForTimeout = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Marks the worker failed and describes why: crashed (exit code, signal), timed out (killed), or broke the protocol; with the end of its standard error.</summary>
    public GymWorkerException Fail(string operation, Exception cause)
    {
        End();
        _failed = true;
        bool exited = _process.WaitForExit(2000);
        if (exited) _process.WaitForExit(); // flushes the standard error reader
        string reason = _killedForTimeout
            ? $"did not answer {operation} within {(operation == "HELLO" ? _options.StartupTimeout : _options.Timeout)} s (timeout) and was killed"
            : cause is BridgeStreamEndedException || exited
                ? $"stopped during {operation}" + (exited ? $" (exit code {_process.ExitCode}{Signal(_process.ExitCode)})" : "")
                : $"broke the protocol during {operation}: {cause.Message}";
        if (!exited && !_killedForTimeout) Kill();
        string stderr = StderrTail();
        return new GymWorkerException($"{Describe()} {reason}" + (stderr.Length > 0 ? $"; its standard error ends:\n{stderr}" : "."), cause);
    }

    private static string Signal(int exitCode) => exitCode is > 128 and < 160 ? $", signal {exitCode - 128}" : exitCode < 0 ? $", signal {-exitCode}" : "";

    private void ThrowIfFailed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failed) throw new GymWorkerException($"{Describe()} failed earlier; create the environment again.");
    }

    private string StderrTail()
    {
        lock (_stderr) return string.Join('\n', _stderr).Trim();
    }

    private string SafePid()
    {
        try
        {
            return _process?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Closes the envs (CLOSE, a few seconds to exit), else kills the process.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        if (!_failed && !_process.HasExited)
        {
            try
            {
                Begin("CLOSE", 5);
                Client.Close();
                End();
                _process.StandardInput.Close();
                if (!_process.WaitForExit(5000)) Kill();
            }
            catch (Exception e) when (IsTransport(e) || e is BridgeRemoteException or GymWorkerException)
            {
                Kill();
            }
        }
        else Kill();
        WorkerWatchdog.Unregister(this);
        _process.WaitForExit(2000);
        _process.Dispose();
        _disposed = true;
    }
}
