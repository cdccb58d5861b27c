using System.Text;

namespace Research.Tune;

/// <summary>Follows a trial's <c>result.json</c> as the trial appends to it, handing over each complete new row once.</summary>
/// <remarks>
/// It counts rows, not bytes, across restarts: it starts after the rows the driver has already seen. The trial replaces the file
/// when it restarts from a checkpoint (rows after it are dropped) or writes a scheduler's decision into its last row; the tailer
/// notices because the line it read last no longer ends where it did, and then re-counts: rows that are still there are not
/// handed over again, rows that were dropped are handed over again when the trial recomputes them.
/// </remarks>
internal sealed class ResultTailer(string path, int rowsSeen)
{
    private long _offset = -1;
    private byte[] _lastLine = [];
    private byte[] _buffer = new byte[8192];

    /// <summary>How many rows have been handed over (or were already seen).</summary>
    public int RowsSeen { get; private set; } = rowsSeen;

    /// <summary>Reads the rows appended since the last call; a torn last line waits for its end.</summary>
    public void ReadNew(Action<Dictionary<string, double>> onRow)
    {
        if (!File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (!StillAligned(stream)) Recount(stream);
        long available = stream.Length - _offset;
        if (available <= 0) return;
        var data = Read(stream, _offset, available);
        int end = data.LastIndexOf((byte)'\n');
        if (end < 0) return;
        int start = 0;
        while (start <= end)
        {
            int newline = data[start..(end + 1)].IndexOf((byte)'\n');
            var line = data.Slice(start, newline);
            if (newline > 0 && ResultLine.Numbers(Encoding.UTF8.GetString(line)) is { } row)
            {
                RowsSeen++;
                _lastLine = line.ToArray();
                onRow(row);
            }
            start += newline + 1;
        }
        _offset += end + 1;
    }

    /// <summary>Whether the file still holds, just before the offset, the line last read (so it was only appended to).</summary>
    private bool StillAligned(FileStream stream)
    {
        if (_offset < 0 || stream.Length < _offset) return false;
        if (_offset == 0) return true;
        long start = _offset - _lastLine.Length - 1;
        if (start < 0) return false;
        var tail = Read(stream, start, _lastLine.Length + 1);
        return tail.Length == _lastLine.Length + 1 && tail[^1] == (byte)'\n' && tail[..^1].SequenceEqual(_lastLine);
    }

    /// <summary>Positions after the first <see cref="RowsSeen"/> rows (or after every row, when the file has fewer now).</summary>
    private void Recount(FileStream stream)
    {
        var data = Read(stream, 0, stream.Length);
        int rows = 0, start = 0;
        long offset = 0;
        byte[] last = [];
        while (rows < RowsSeen)
        {
            int newline = data[start..].IndexOf((byte)'\n');
            if (newline < 0) break;
            var line = data.Slice(start, newline);
            start += newline + 1;
            if (newline == 0 || ResultLine.Numbers(Encoding.UTF8.GetString(line)) is null) continue;
            rows++;
            offset = start;
            last = line.ToArray();
        }
        RowsSeen = rows;
        _offset = offset;
        _lastLine = last;
    }

    private ReadOnlySpan<byte> Read(FileStream stream, long position, long count)
    {
        if (_buffer.Length < count) _buffer = new byte[Math.Max(count, _buffer.Length * 2L)];
        stream.Position = position;
        int read = stream.ReadAtLeast(_buffer.AsSpan(0, (int)count), (int)count, throwOnEndOfStream: false);
        return _buffer.AsSpan(0, read);
    }
}
