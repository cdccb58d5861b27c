using System.Runtime.ExceptionServices;
using System.Text;
using Google.Protobuf;
using Research.TensorBoard.Proto;

namespace Research.TensorBoard;

/// <summary>
/// Appends TFRecord-framed <see cref="Event"/>s to <c>events.out.tfevents.&lt;seconds&gt;.&lt;host&gt;.&lt;pid&gt;.&lt;n&gt;</c>
/// in a run directory. Thread-safe. Records are buffered and handed to the OS whole, when the buffer fills,
/// every <see cref="EventFileWriterOptions.FlushInterval"/> and on <see cref="Flush"/>/<see cref="Dispose"/>,
/// so a killed process leaves a file whose complete records all read.
/// </summary>
public sealed class EventFileWriter : IDisposable
{
    /// <summary>The <c>file_version</c> of the first event in every file.</summary>
    public const string FileVersion = "brain.Event:2";

    private static int s_fileCounter;

    private readonly Lock _gate = new();
    private readonly FileStream _file;
    private readonly Timer _timer;
    private readonly TimeProvider _clock;
    private byte[] _buffer;
    private int _used;
    private bool _disposed;
    private ExceptionDispatchInfo? _backgroundError;

    /// <summary>Creates a new event file in <paramref name="runDirectory"/> (created if missing) and writes the version record.</summary>
    public EventFileWriter(string runDirectory, EventFileWriterOptions? options = null)
    {
        options ??= new EventFileWriterOptions();
        if (options.FlushInterval <= TimeSpan.Zero) throw new ArgumentException($"EventFileWriterOptions.FlushInterval {options.FlushInterval} must be positive.", nameof(options));
        if (options.BufferSize < 1024) throw new ArgumentException($"EventFileWriterOptions.BufferSize {options.BufferSize} must be at least 1024 bytes.", nameof(options));
        _clock = options.Clock;
        _buffer = new byte[options.BufferSize];
        Directory.CreateDirectory(runDirectory);
        long seconds = _clock.GetUtcNow().ToUnixTimeSeconds();
        int counter = Interlocked.Increment(ref s_fileCounter);
        FilePath = Path.Combine(runDirectory, $"events.out.tfevents.{seconds}.{Environment.MachineName}.{Environment.ProcessId}.{counter}");
        // No FileStream buffer: our own buffer only ever holds whole records.
        _file = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        WriteEvent(new Event { WallTime = WallTime(), FileVersion = FileVersion });
        Flush();
        _timer = new Timer(_ => FlushInBackground(), null, options.FlushInterval, options.FlushInterval);
    }

    /// <summary>The event file.</summary>
    public string FilePath { get; }

    /// <summary>Seconds since the Unix epoch by the writer's clock, as events record it.</summary>
    public double WallTime() => (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;

    /// <summary>Appends one event.</summary>
    public void WriteEvent(Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        int size = e.CalculateSize();
        lock (_gate)
        {
            var record = Reserve(TfRecord.FramedLength(size));
            e.WriteTo(record.Slice(TfRecord.HeaderSize, size));
            TfRecord.FrameInPlace(record, size);
        }
    }

    /// <summary>Appends a scalar event (<c>simple_value</c>) stamped now; allocates nothing.</summary>
    public void WriteScalar(string tag, float value, long step)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        int tagBytes = Encoding.UTF8.GetByteCount(tag);
        double wallTime = WallTime();
        int size = ScalarEventEncoder.Length(tagBytes, step, wallTime);
        lock (_gate)
        {
            var record = Reserve(TfRecord.FramedLength(size));
            ScalarEventEncoder.Encode(record.Slice(TfRecord.HeaderSize, size), tag, tagBytes, value, step, wallTime);
            TfRecord.FrameInPlace(record, size);
        }
    }

    /// <summary>Hands every buffered record to the operating system.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            Drain();
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _timer.Dispose();
            try
            {
                Drain();
            }
            finally
            {
                _file.Dispose();
            }
        }
    }

    /// <summary>A span for one record at the end of the buffer; writes the buffer out first if it would not fit.</summary>
    private Span<byte> Reserve(int length)
    {
        ThrowIfUnusable();
        if (_used + length > _buffer.Length) Drain();
        if (length > _buffer.Length) _buffer = new byte[Math.Max(length, 2 * _buffer.Length)];
        var span = _buffer.AsSpan(_used, length);
        _used += length;
        return span;
    }

    private void Drain()
    {
        if (_used == 0) return;
        _file.Write(_buffer, 0, _used);
        _used = 0;
    }

    private void FlushInBackground()
    {
        lock (_gate)
        {
            if (_disposed || _backgroundError is not null) return;
            try
            {
                Drain();
            }
            catch (IOException e)
            {
                // Surface on the caller's thread at the next write instead of crashing the timer thread.
                _backgroundError = ExceptionDispatchInfo.Capture(e);
            }
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _backgroundError?.Throw();
    }
}
