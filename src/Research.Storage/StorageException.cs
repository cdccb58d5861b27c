namespace Research.Storage;

/// <summary>A file or directory could not be written, moved or deleted; the message names the user's path (never a temporary one) and the reason.</summary>
public sealed class StorageException : IOException
{
    /// <summary>Wraps <paramref name="inner"/>, naming <paramref name="path"/>.</summary>
    public StorageException(string path, string reason, Exception? inner = null)
        : base($"{path}: {reason}", inner)
    {
        Path = path;
        Reason = reason;
        if (inner is not null) HResult = inner.HResult;
    }

    /// <summary>The file or directory the user asked for.</summary>
    public string Path { get; }

    /// <summary>Why it failed, without the path.</summary>
    public string Reason { get; }

    /// <summary>Whether the device is full (or the quota exhausted).</summary>
    public bool IsDiskFull => IsDiskFullError(InnerException);

    /// <summary>Whether <paramref name="e"/> (or what it wraps) reports a full device or an exhausted quota.</summary>
    public static bool IsDiskFullError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            // ENOSPC 28 and EDQUOT 122 on Linux; ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
            int code = e.HResult & 0xFFFF;
            if (e is IOException && (e.HResult is 28 or 122 || code is 0x70 or 0x27)) return true;
            if (e is StorageException { Reason: var reason } && reason.StartsWith("no space left", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Turns a failure of an operation on <paramref name="temporary"/> into one that names <paramref name="path"/>.</summary>
    internal static StorageException From(Exception e, string path, string? temporary, string doing)
    {
        if (e is StorageException storage) return storage;
        string reason = Describe(e, path, temporary);
        return new StorageException(path, $"{doing}: {reason}", e);
    }

    private static string Describe(Exception e, string path, string? temporary)
    {
        if (IsDiskFullError(e)) return "no space left on the device";
        string message = e.Message;
        if (temporary is not null) message = message.Replace(temporary, path, StringComparison.Ordinal);
        return e switch
        {
            UnauthorizedAccessException => $"permission denied ({message})",
            DirectoryNotFoundException => $"a parent folder does not exist or is a file ({message})",
            _ => message,
        };
    }
}
