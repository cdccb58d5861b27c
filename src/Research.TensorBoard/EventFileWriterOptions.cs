namespace Research.TensorBoard;

/// <summary>Settings of an <see cref="EventFileWriter"/>.</summary>
public sealed record EventFileWriterOptions
{
    /// <summary>How often buffered records are handed to the operating system (TensorBoard reloads every few seconds).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock for wall times and the file name (a fake one makes files reproducible in tests).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Bytes buffered before a write to the file.</summary>
    public int BufferSize { get; init; } = 1 << 16;
}
