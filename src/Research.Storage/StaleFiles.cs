using System.Collections.Concurrent;
using System.Diagnostics;

namespace Research.Storage;

/// <summary>
/// Removes what killed processes left behind: temporary files and directories, and directories moved aside for deletion.
/// The persistence layer does this once per directory per process, before its first write there.
/// </summary>
/// <remarks>
/// An entry is stale when its writer ran on this machine and is gone (no such process, or a process of that id that
/// started after the entry was last written); entries of other machines (a shared file system) only after a day.
/// </remarks>
public static class StaleFiles
{
    private static readonly TimeSpan ForeignAge = TimeSpan.FromDays(1);
    private static readonly ConcurrentDictionary<string, bool> Cleaned = new(StringComparer.Ordinal);

    /// <summary>Removes stale work in progress from <paramref name="directory"/> (not recursively); returns how many entries went.</summary>
    public static int Clean(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(directory, ".*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var entry in entries)
        {
            string name = Path.GetFileName(entry);
            if (!TempNames.TryParse(name, out var host, out var pid) || !IsStale(entry, host, pid)) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process cleaned it first, or it is not ours to remove; either way it stays out of every listing.
            }
        }
        return removed;
    }

    /// <summary>Cleans <paramref name="directory"/> the first time this process writes there.</summary>
    internal static void CleanOnce(string directory)
    {
        if (Cleaned.TryAdd(directory, true)) Clean(directory);
    }

    private static bool IsStale(string entry, string host, int pid)
    {
        DateTime written;
        try
        {
            written = Directory.Exists(entry) ? Directory.GetLastWriteTimeUtc(entry) : File.GetLastWriteTimeUtc(entry);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        if (host != TempNames.HostTag) return DateTime.UtcNow - written > ForeignAge;
        if (pid == Environment.ProcessId) return written < StartTimeUtc(Process.GetCurrentProcess());
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited || written < StartTimeUtc(process);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return true; // no such process
        }
    }

    private static DateTime StartTimeUtc(Process process)
    {
        try
        {
            // A second of slack: the start time and file times come from different clocks' granularity.
            return process.StartTime.ToUniversalTime() - TimeSpan.FromSeconds(1);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return DateTime.MinValue;
        }
        finally
        {
            process.Dispose();
        }
    }
}
