namespace Research.Tune;

/// <summary>Writes a file so that readers see the old or the new content, never a part: a temp file, then a rename.</summary>
internal static class AtomicFile
{
    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    public static void WriteAllText(string path, string content) => Replace(path, temp => File.WriteAllText(temp, content));

    /// <summary>Replaces <paramref name="path"/> with <paramref name="lines"/>, one per line.</summary>
    public static void WriteAllLines(string path, IEnumerable<string> lines) => Replace(path, temp => File.WriteAllLines(temp, lines));

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes into the stream.</summary>
    public static void Write(string path, Action<Stream> write) => Replace(path, temp =>
    {
        using var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        write(stream);
    });

    private static void Replace(string path, Action<string> writeTemp)
    {
        string temp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        writeTemp(temp);
        File.Move(temp, path, overwrite: true);
    }
}
