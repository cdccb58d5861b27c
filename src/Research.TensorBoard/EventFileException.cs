namespace Research.TensorBoard;

/// <summary>An event file that cannot be read: the message names the file, the byte offset of the bad record and the reason.</summary>
public sealed class EventFileException(string file, long offset, string reason)
    : IOException($"{file}: record at byte {offset}: {reason}")
{
    /// <summary>The event file.</summary>
    public string File { get; } = file;

    /// <summary>The offset of the record's first byte.</summary>
    public long Offset { get; } = offset;
}
