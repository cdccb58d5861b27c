using System.Diagnostics;
using System.Globalization;

namespace Research.Storage;

/// <summary>The steps the persistence layer takes on disk, each of which a crash can interrupt.</summary>
public enum FileOperation
{
    /// <summary>A temporary file is created.</summary>
    CreateFile,

    /// <summary>A file's content is forced to disk (fsync).</summary>
    SyncFile,

    /// <summary>A temporary directory is created.</summary>
    CreateDirectory,

    /// <summary>A file or directory is renamed (publishing it, or moving it out of a listing before deletion).</summary>
    Rename,

    /// <summary>A directory's entries are forced to disk (fsync of the directory).</summary>
    SyncDirectory,

    /// <summary>A file or directory is deleted.</summary>
    Delete,
}

/// <summary>
/// Counts the persistence layer's file operations and lets tests act before any of them: an in-process
/// <see cref="Observer"/> (throw to simulate a failing disk), or, for child processes, two environment variables —
/// <c>RESEARCH_FILEOPS_KILL_AT=N</c> kills the process (SIGKILL) just before its N-th operation, and
/// <c>RESEARCH_FILEOPS_LOG=path</c> appends one line per operation (<c>N Operation path</c>).
/// </summary>
/// <remarks>This is how the crash-point test kills a trial at every file operation of a checkpoint-and-prune cycle.</remarks>
public static class FileOperations
{
    /// <summary>The environment variable that names the operation before which the process kills itself.</summary>
    public const string KillAtVariable = "RESEARCH_FILEOPS_KILL_AT";

    /// <summary>The environment variable that names a file to log every operation to.</summary>
    public const string LogVariable = "RESEARCH_FILEOPS_LOG";

    private static readonly long KillAt = ReadKillAt();
    private static readonly string? LogPath = Environment.GetEnvironmentVariable(LogVariable) is { Length: > 0 } log ? log : null;
    private static readonly Lock LogLock = new();
    private static long _count;

    private static readonly AsyncLocal<Action<FileOperation, string>?> CurrentObserver = new();

    /// <summary>
    /// Called before every operation of the current thread and the work it starts (an async-local value, so parallel tests
    /// do not see each other's) with its kind and the user's path (not the temporary one); may throw to simulate a failure.
    /// </summary>
    public static Action<FileOperation, string>? Observer
    {
        get => CurrentObserver.Value;
        set => CurrentObserver.Value = value;
    }

    /// <summary>Operations performed by this process so far.</summary>
    public static long Count => Interlocked.Read(ref _count);

    /// <summary>Announces an operation on <paramref name="path"/>: counts it, logs it, and runs the hooks.</summary>
    internal static void Before(FileOperation operation, string path)
    {
        long n = Interlocked.Increment(ref _count);
        if (LogPath is not null)
            lock (LogLock)
                File.AppendAllText(LogPath, string.Create(CultureInfo.InvariantCulture, $"{n} {operation} {path}\n"));
        if (n == KillAt)
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
            Thread.Sleep(Timeout.Infinite);
        }
        Observer?.Invoke(operation, path);
    }

    private static long ReadKillAt() =>
        long.TryParse(Environment.GetEnvironmentVariable(KillAtVariable), NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0
            ? n
            : -1;
}
