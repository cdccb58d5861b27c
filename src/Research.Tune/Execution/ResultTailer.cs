using System.Text;

namespace Research.Tune;

/// <summary>Follows a trial's <c>result.json</c> as the trial appends to it, handing over each complete new row once.</summary>
internal sealed class ResultTailer(string path)
{
    private long _offset;
    private byte[] _buffer = new byte[8192];

    /// <summary>Reads the rows appended since the last call; a torn last line waits for its end.</summary>
    public void ReadNew(Action<Dictionary<string, double>> onRow)
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < _offset) _offset = 0;
        long available = stream.Length - _offset;
        if (available == 0) return;
        if (_buffer.Length < available) _buffer = new byte[Math.Max(available, _buffer.Length * 2L)];
        stream.Position = _offset;
        int read = stream.ReadAtLeast(_buffer.AsSpan(0, (int)available), (int)available, throwOnEndOfStream: false);
        int end = _buffer.AsSpan(0, read).LastIndexOf((byte)'\n');
        if (end < 0) return;
        _offset += end + 1;
        int start = 0;
        while (start <= end)
        {
            int newline = _buffer.AsSpan(start, end + 1 - start).IndexOf((byte)'\n');
            if (newline > 0 && ResultLine.Numbers(Encoding.UTF8.GetString(_buffer, start, newline)) is { } row) onRow(row);
            start += newline + 1;
        }
    }
}
