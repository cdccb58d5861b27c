using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Research.Storage;

/// <summary>
/// Names of work in progress beside its destination: <c>.&lt;name&gt;.&lt;host&gt;-&lt;pid&gt;-&lt;random&gt;.tmp</c> for
/// a file or directory being written, <c>.deleted</c> instead of <c>.tmp</c> for one being deleted.
/// </summary>
/// <remarks>
/// Hidden (a leading dot) and with its own suffix, so no listing of results, checkpoints or trials ever matches one;
/// the host tag and process id tell <see cref="StaleFiles"/> whether the writer is still alive.
/// </remarks>
public static partial class TempNames
{
    private const int MaxNameChars = 120;

    /// <summary>Eight hex digits naming this machine (a hash of its name) in work-in-progress names.</summary>
    public static readonly string HostTag = Crc32.HashToUInt32(Encoding.UTF8.GetBytes(Environment.MachineName)).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>A fresh temporary name beside <paramref name="fullPath"/>.</summary>
    internal static string Temporary(string fullPath) => Make(fullPath, "tmp");

    /// <summary>A fresh name beside <paramref name="fullPath"/> to move it to before deleting it.</summary>
    internal static string Deleted(string fullPath) => Make(fullPath, "deleted");

    /// <summary>Whether <paramref name="name"/> (a file or directory name, not a path) is the persistence layer's work in progress.</summary>
    public static bool IsWorkInProgress(string name) => Pattern().IsMatch(name);

    /// <summary>
    /// Whether <paramref name="fullPath"/> is, or lies inside, a folder that is being written: such a file or folder is
    /// written in place, because publishing the enclosing folder already makes the whole tree appear at once.
    /// </summary>
    internal static bool IsInsideWorkInProgress(string fullPath)
    {
        for (string? p = fullPath; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            if (IsWorkInProgress(Path.GetFileName(p))) return true;
        return false;
    }

    /// <summary>Reads the writer's host tag and process id out of a work-in-progress name.</summary>
    internal static bool TryParse(string name, out string hostTag, out int processId)
    {
        var match = Pattern().Match(name);
        hostTag = match.Success ? match.Groups["host"].Value : "";
        processId = match.Success && int.TryParse(match.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : -1;
        return match.Success && processId > 0;
    }

    private static string Make(string fullPath, string suffix)
    {
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{fullPath}' has no parent directory.", nameof(fullPath));
        string name = Path.GetFileName(fullPath);
        if (name.Length > MaxNameChars) name = name[..MaxNameChars];
        string random = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return Path.Combine(directory, $".{name}.{HostTag}-{Environment.ProcessId}-{random}.{suffix}");
    }

    [GeneratedRegex(@"^\..*\.(?<host>[0-9a-f]{8})-(?<pid>[0-9]+)-[0-9a-f]{8}\.(tmp|deleted)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
