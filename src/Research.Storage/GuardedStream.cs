namespace Research.Storage;

/// <summary>The temporary file's stream as writers see it: failures name the destination, not the temporary file.</summary>
internal sealed class GuardedStream(FileStream inner, AtomicFileWriter owner) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        try
        {
            inner.Write(buffer);
        }
        catch (IOException e)
        {
            throw owner.Failure(e);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override void Flush()
    {
        if (!inner.CanWrite) return; // committed or discarded: a wrapper's late flush has nothing left to do
        try
        {
            inner.Flush();
        }
        catch (IOException e)
        {
            throw owner.Failure(e);
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        try
        {
            return inner.Seek(offset, origin);
        }
        catch (IOException e)
        {
            throw owner.Failure(e);
        }
    }

    public override void SetLength(long value)
    {
        try
        {
            inner.SetLength(value);
        }
        catch (IOException e)
        {
            throw owner.Failure(e);
        }
    }

    // The writer owns the file: disposing this view (a StreamWriter or ZipArchive without leaveOpen) must not close it.
    protected override void Dispose(bool disposing)
    {
        if (disposing) Flush();
        base.Dispose(disposing);
    }
}
