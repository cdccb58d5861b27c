using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Research.Abstractions.Environments;

namespace Research.Rl.Bridge;

/// <summary>
/// The client side of the bridge protocol over one connection: handshake, reset, step, render, close. Requests and replies
/// go through reused buffers, so a step allocates nothing. Infos of the last reply stay readable until the next request.
/// </summary>
public sealed class BridgeClient(BridgeConnection connection)
{
    private int[] _infoStarts = new int[2];
    private byte[] _infos = [];
    private int _infoCount;
    private WireSpace? _observations, _actions;

    /// <summary>The connection.</summary>
    public BridgeConnection Connection { get; } = connection;

    /// <summary>What the server answered to HELLO (after <see cref="Hello"/>).</summary>
    public BridgeReady? Ready { get; private set; }

    /// <summary>Sends HELLO and reads READY (the handshake may be up to <see cref="BridgeProtocol.MaxHandshakeFrame"/> bytes).</summary>
    public BridgeReady Hello(BridgeHello hello)
    {
        SendHello(hello);
        return ReceiveReady(hello);
    }

    /// <summary>Sends HELLO without waiting (so several servers start at once); finish with <see cref="ReceiveReady"/>.</summary>
    public void SendHello(BridgeHello hello) => Connection.Send(BridgeMessage.Hello, hello.ToJson());

    /// <summary>Reads READY for <paramref name="hello"/> and sizes the frame limit for the replies to come.</summary>
    public BridgeReady ReceiveReady(BridgeHello hello)
    {
        Connection.MaxFrameLength = BridgeProtocol.MaxHandshakeFrame;
        Expect(BridgeMessage.Ready, "HELLO");
        var ready = BridgeReady.Parse(Connection.Body);
        Ready = ready;
        _observations = ready.ObservationWire;
        _actions = ready.ActionWire;
        // Replies are at most: every observation twice (terminal ones), rewards and flags, plus room for infos.
        long largest = 2L * hello.NumEnvs * (_observations.WireSize + 4 + 12) + 64 + (1 << 20);
        Connection.MaxFrameLength = (int)Math.Min(int.MaxValue, 2 * largest);
        return ready;
    }

    /// <summary>Resets the envs at <paramref name="indices"/> (server numbering), env j with seed j of <paramref name="seeds"/> when <paramref name="seeded"/>, and writes their observations.</summary>
    public void Reset(ReadOnlySpan<int> indices, ReadOnlySpan<long> seeds, bool seeded, string? optionsJson, Span<float> observations)
    {
        SendReset(indices, seeds, seeded, optionsJson);
        ReceiveReset(indices.Length, observations);
    }

    /// <summary>Sends RESET without waiting for the reply (so several servers can work at once); finish with <see cref="ReceiveReset"/>.</summary>
    public void SendReset(ReadOnlySpan<int> indices, ReadOnlySpan<long> seeds, bool seeded, string? optionsJson)
    {
        Spaces();
        int count = indices.Length;
        int optionsLength = optionsJson is null ? 0 : Encoding.UTF8.GetByteCount(optionsJson);
        var body = Connection.Begin(BridgeMessage.Reset, 4 + 13 * count + 4 + optionsLength);
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)count);
        for (int j = 0; j < count; j++)
        {
            var entry = body[(4 + 13 * j)..];
            BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)indices[j]);
            entry[4] = seeded ? (byte)1 : (byte)0;
            BinaryPrimitives.WriteInt64LittleEndian(entry[5..], seeded ? seeds[j] : 0);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(body[(4 + 13 * count)..], (uint)optionsLength);
        if (optionsJson is not null) Encoding.UTF8.GetBytes(optionsJson, body[(8 + 13 * count)..]);
        Connection.Send();
    }

    /// <summary>Reads the reply to <see cref="SendReset"/> of <paramref name="count"/> envs.</summary>
    public void ReceiveReset(int count, Span<float> observations)
    {
        var (obsWire, _) = Spaces();
        Expect(BridgeMessage.Observations, "RESET");
        var reply = Connection.Body;
        int obsBytes = count * obsWire.WireSize;
        Require(reply, obsBytes, "OBSERVATIONS");
        DecodeRows(obsWire, reply[..obsBytes], observations, count);
        KeepInfos(reply[obsBytes..], count, "OBSERVATIONS");
    }

    /// <summary>
    /// Steps the envs at <paramref name="indices"/> with their rows of <paramref name="actions"/>; with <paramref name="autoreset"/>
    /// an ended env is reset by the server and its final observation written to its row of <paramref name="terminal"/>.
    /// </summary>
    public void Step(bool autoreset, ReadOnlySpan<int> indices, ReadOnlySpan<float> actions, Span<float> observations,
        Span<double> rewards, Span<bool> terminated, Span<bool> truncated, Span<float> terminal)
    {
        SendStep(autoreset, indices, actions);
        ReceiveStep(indices.Length, observations, rewards, terminated, truncated, terminal);
    }

    /// <summary>Sends STEP without waiting for the reply; finish with <see cref="ReceiveStep"/>.</summary>
    public void SendStep(bool autoreset, ReadOnlySpan<int> indices, ReadOnlySpan<float> actions)
    {
        var (_, actWire) = Spaces();
        int count = indices.Length, actSize = actWire.WireSize, actFlat = actWire.FlatSize;
        var body = Connection.Begin(BridgeMessage.Step, 5 + 4 * count + count * actSize);
        body[0] = autoreset ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32LittleEndian(body[1..], (uint)count);
        for (int j = 0; j < count; j++) BinaryPrimitives.WriteUInt32LittleEndian(body[(5 + 4 * j)..], (uint)indices[j]);
        var wireActions = body[(5 + 4 * count)..];
        for (int j = 0; j < count; j++) actWire.Encode(actions.Slice(j * actFlat, actFlat), wireActions.Slice(j * actSize, actSize));
        Connection.Send();
    }

    /// <summary>Reads the reply to <see cref="SendStep"/> of <paramref name="count"/> envs.</summary>
    public void ReceiveStep(int count, Span<float> observations, Span<double> rewards, Span<bool> terminated, Span<bool> truncated, Span<float> terminal)
    {
        var (obsWire, _) = Spaces();
        Expect(BridgeMessage.Stepped, "STEP");
        var reply = Connection.Body;
        int obsSize = obsWire.WireSize, obsFlat = obsWire.FlatSize;
        int fixedPart = count * (obsSize + 10) + 4;
        Require(reply, fixedPart, "STEPPED");
        DecodeRows(obsWire, reply[..(count * obsSize)], observations, count);
        var rest = reply[(count * obsSize)..];
        for (int j = 0; j < count; j++)
        {
            rewards[j] = BinaryPrimitives.ReadDoubleLittleEndian(rest[(8 * j)..]);
            terminated[j] = rest[8 * count + j] != 0;
            truncated[j] = rest[9 * count + j] != 0;
        }
        int ended = (int)BinaryPrimitives.ReadUInt32LittleEndian(rest[(10 * count)..]);
        if (ended > count) throw new BridgeProtocolException($"{Connection.Peer}: malformed STEPPED: {ended} ended envs in a step of {count}.");
        var terminals = rest[(10 * count + 4)..];
        Require(terminals, ended * (4 + obsSize), "STEPPED terminal observations");
        for (int k = 0; k < ended; k++)
        {
            var entry = terminals[(k * (4 + obsSize))..];
            int position = (int)BinaryPrimitives.ReadUInt32LittleEndian(entry);
            if (position >= count) throw new BridgeProtocolException($"{Connection.Peer}: malformed STEPPED: terminal observation for position {position} of {count}.");
            obsWire.Decode(entry.Slice(4, obsSize), terminal.Slice(position * obsFlat, obsFlat));
        }
        KeepInfos(terminals[(ended * (4 + obsSize))..], count, "STEPPED");
    }

    /// <summary>Renders env <paramref name="index"/> as an RGB frame (gray frames are widened, alpha dropped).</summary>
    public RgbFrame Render(int index)
    {
        var body = Connection.Begin(BridgeMessage.Render, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)index);
        Connection.Send();
        Expect(BridgeMessage.Frame, "RENDER");
        var reply = Connection.Body;
        Require(reply, 12, "FRAME");
        int height = (int)BinaryPrimitives.ReadUInt32LittleEndian(reply), width = (int)BinaryPrimitives.ReadUInt32LittleEndian(reply[4..]);
        int channels = (int)BinaryPrimitives.ReadUInt32LittleEndian(reply[8..]);
        if (height == 0)
            throw new InvalidOperationException($"{Connection.Peer}: env {index} rendered nothing (was it made with render_mode 'rgb_array'?).");
        if (channels is not (3 or 4 or 1)) throw new BridgeProtocolException($"{Connection.Peer}: render gave {channels} channels; expected 1, 3 or 4.");
        Require(reply, 12 + (long)height * width * channels, "FRAME");
        var frame = new RgbFrame(width, height);
        var pixels = reply[12..];
        for (int p = 0; p < width * height; p++)
        {
            byte r = pixels[p * channels], g = channels >= 3 ? pixels[p * channels + 1] : r, b = channels >= 3 ? pixels[p * channels + 2] : r;
            frame.Pixels[3 * p] = r;
            frame.Pixels[3 * p + 1] = g;
            frame.Pixels[3 * p + 2] = b;
        }
        return frame;
    }

    /// <summary>Sends CLOSE and waits for CLOSED.</summary>
    public void Close()
    {
        Connection.Send(BridgeMessage.Close, []);
        Expect(BridgeMessage.Closed, "CLOSE");
    }

    /// <summary>Number of infos of the last reply.</summary>
    public int InfoCount => _infoCount;

    /// <summary>Info <paramref name="j"/> of the last reply (request order), raw (see <see cref="BridgeInfos"/>); valid until the next request.</summary>
    public ReadOnlySpan<byte> Info(int j) => _infos.AsSpan(_infoStarts[j], _infoStarts[j + 1] - _infoStarts[j]);

    private void KeepInfos(ReadOnlySpan<byte> section, int count, string what)
    {
        if (_infoStarts.Length < count + 1) _infoStarts = new int[count + 1];
        int length;
        try
        {
            length = BridgeInfos.Measure(section, count, _infoStarts);
        }
        catch (BridgeProtocolException e)
        {
            throw new BridgeProtocolException($"{Connection.Peer}: malformed {what}: {e.Message}", e);
        }
        if (length != section.Length) throw new BridgeProtocolException($"{Connection.Peer}: malformed {what}: {section.Length - length} bytes after the infos.");
        if (_infos.Length < length) _infos = new byte[Math.Max(length, 2 * _infos.Length)];
        section.CopyTo(_infos);
        _infoCount = count;
    }

    private static void DecodeRows(WireSpace wire, ReadOnlySpan<byte> source, Span<float> destination, int count)
    {
        int size = wire.WireSize, flat = wire.FlatSize;
        for (int j = 0; j < count; j++) wire.Decode(source.Slice(j * size, size), destination.Slice(j * flat, flat));
    }

    private void Expect(BridgeMessage expected, string request)
    {
        var kind = Connection.Receive();
        if (kind == expected) return;
        if (kind == BridgeMessage.Error) throw RemoteError();
        throw new BridgeProtocolException($"{Connection.Peer}: malformed reply to {request}: expected {expected.ToString().ToUpperInvariant()}, got {kind.ToString()!.ToUpperInvariant()}.");
    }

    private BridgeRemoteException RemoteError()
    {
        try
        {
            using var document = JsonDocument.Parse(Connection.Body.ToArray());
            var root = document.RootElement;
            string Get(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            int? index = root.TryGetProperty("env_index", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out int n) ? n : null;
            return new BridgeRemoteException(Get("type"), Get("message"), Get("traceback"), index, Get("request"));
        }
        catch (JsonException e)
        {
            throw new BridgeProtocolException($"{Connection.Peer}: malformed ERROR: not JSON ({e.Message}).", e);
        }
    }

    private (WireSpace Observations, WireSpace Actions) Spaces() =>
        (_observations ?? throw new InvalidOperationException("BridgeClient: call Hello first."), _actions!);

    private void Require(ReadOnlySpan<byte> reply, long bytes, string what)
    {
        if (reply.Length < bytes)
            throw new BridgeProtocolException($"{Connection.Peer}: malformed {what}: {reply.Length} bytes where at least {bytes} are needed.");
    }
}
