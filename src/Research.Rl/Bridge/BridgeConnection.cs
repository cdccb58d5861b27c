using System.Buffers.Binary;

namespace Research.Rl.Bridge;

/// <summary>
/// Reads and writes bridge frames (u32 length, u8 kind, body) on a pair of streams with reused buffers, so a request and
/// its reply allocate nothing once the buffers have grown to their sizes.
/// </summary>
public sealed class BridgeConnection(Stream input, Stream output, string peer)
{
    private const int HeaderSize = 5;
    private byte[] _send = new byte[1 << 16];
    private byte[] _receive = new byte[1 << 16];
    private int _sendBody = -1;
    private int _receiveLength;

    /// <summary>Who is on the other side, for messages (<c>worker 1 (pid 4242)</c>).</summary>
    public string Peer { get; set; } = peer;

    /// <summary>The largest frame (kind + body) accepted; a longer one is malformed.</summary>
    public int MaxFrameLength { get; set; } = BridgeProtocol.MaxHandshakeFrame;

    /// <summary>Starts a frame of <paramref name="kind"/> whose body is <paramref name="bodyLength"/> bytes; write the body into the returned span, then call <see cref="Send()"/>.</summary>
    public Span<byte> Begin(BridgeMessage kind, int bodyLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bodyLength);
        int total = HeaderSize + bodyLength;
        if (_send.Length < total) _send = new byte[Math.Max(total, 2 * _send.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(_send, (uint)(1 + bodyLength));
        _send[4] = (byte)kind;
        _sendBody = bodyLength;
        return _send.AsSpan(HeaderSize, bodyLength);
    }

    /// <summary>Writes the frame started by <see cref="Begin"/>.</summary>
    public void Send()
    {
        if (_sendBody < 0) throw new InvalidOperationException("BridgeConnection: Send without Begin.");
        output.Write(_send, 0, HeaderSize + _sendBody);
        output.Flush();
        _sendBody = -1;
    }

    /// <summary>Writes one frame with <paramref name="body"/>.</summary>
    public void Send(BridgeMessage kind, ReadOnlySpan<byte> body)
    {
        body.CopyTo(Begin(kind, body.Length));
        Send();
    }

    /// <summary>Reads one frame; its body is <see cref="Body"/> until the next read. Null at a clean end of stream when <paramref name="endAllowed"/>.</summary>
    /// <exception cref="BridgeStreamEndedException">The stream ended (inside a frame, or at all when not allowed).</exception>
    /// <exception cref="BridgeProtocolException">The frame is malformed: a length outside 1 … <see cref="MaxFrameLength"/> or an unknown kind.</exception>
    public BridgeMessage? Receive(bool endAllowed = false)
    {
        Span<byte> header = stackalloc byte[4];
        int got = ReadSome(header);
        if (got == 0 && endAllowed) return null;
        if (got == 0) throw new BridgeStreamEndedException($"{Peer}: its output ended before a reply.");
        ReadExactly(header[got..], frameLength: 0);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (length < 1 || length > (uint)MaxFrameLength)
            throw new BridgeProtocolException($"{Peer}: malformed frame: length {length} is outside 1 … {MaxFrameLength} bytes.");
        if (_receive.Length < length) _receive = new byte[Math.Max((int)length, 2 * _receive.Length)];
        _receiveLength = (int)length;
        ReadExactly(_receive.AsSpan(0, _receiveLength), _receiveLength);
        byte kind = _receive[0];
        if (!BridgeProtocol.IsKnown(kind))
            throw new BridgeProtocolException($"{Peer}: malformed frame: unknown kind 0x{kind:X2}.");
        return (BridgeMessage)kind;
    }

    /// <summary>The body of the frame last received.</summary>
    public ReadOnlySpan<byte> Body => _receive.AsSpan(1, _receiveLength - 1);

    private int ReadSome(Span<byte> destination)
    {
        int total = 0;
        while (total < destination.Length)
        {
            int n = input.Read(destination[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    // frameLength 0: the header. (The message is built only on failure: a step allocates nothing.)
    private void ReadExactly(Span<byte> destination, int frameLength)
    {
        int got = ReadSome(destination);
        if (got < destination.Length)
            throw new BridgeStreamEndedException(
                $"{Peer}: its output ended after {got} of {destination.Length} bytes of {(frameLength == 0 ? "a frame header" : $"a frame of {frameLength} bytes")}.");
    }
}
