namespace Research.Tensors.Io;

/// <summary>A .npy or .npz file that cannot be read or written; the message names the file, the entry and the reason.</summary>
public sealed class NpyFormatException : IOException
{
    /// <summary>Creates the exception; <paramref name="entry"/> is the .npz entry name, or null for a .npy file.</summary>
    public NpyFormatException(string file, string? entry, string reason, Exception? inner = null)
        : base(entry is null ? $"{file}: {reason}" : $"{file}: entry '{entry}': {reason}", inner)
    {
        File = file;
        Entry = entry;
        Reason = reason;
    }

    /// <summary>The file (as the caller named it).</summary>
    public string File { get; }

    /// <summary>The .npz entry, or null.</summary>
    public string? Entry { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
