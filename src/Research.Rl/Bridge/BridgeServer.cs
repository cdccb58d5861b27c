using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Environments;

namespace Research.Rl.Bridge;

/// <summary>
/// The server side of the bridge protocol for this project's environments (what <c>research env serve</c> runs): HELLO
/// creates <c>num_envs</c> copies with the factory (given the HELLO kwargs as the env's options), then RESET, STEP (with
/// Stable-Baselines' autoreset when asked), RENDER and CLOSE until CLOSE or the end of input. Errors go back as ERROR
/// frames with the .NET exception's type, message and stack trace, and serving goes on.
/// </summary>
public sealed class BridgeServer(BridgeConnection connection, Func<IReadOnlyDictionary<string, object?>, IEnv> factory, string envId)
{
    private IEnv[] _envs = [];
    private WireSpace _observations = null!, _actions = null!;
    private float[] _obs = [], _terminal = [], _action = [];
    private int _firstIndex;

    /// <summary>Serves until CLOSE (returns 0) or the end of input (returns 0); a broken stream throws.</summary>
    public int Run()
    {
        try
        {
            while (true)
            {
                var kind = connection.Receive(endAllowed: true);
                if (kind is null) return 0;
                try
                {
                    switch (kind)
                    {
                        case BridgeMessage.Hello: Hello(); break;
                        case BridgeMessage.Close:
                            connection.Send(BridgeMessage.Closed, []);
                            return 0;
                        case var _ when _envs.Length == 0: throw new InvalidOperationException($"{kind.ToString()!.ToUpperInvariant()} before HELLO.");
                        case BridgeMessage.Reset: Reset(); break;
                        case BridgeMessage.Step: Step(); break;
                        case BridgeMessage.Render: Render(); break;
                        default: throw new InvalidOperationException($"{kind} is not a request.");
                    }
                }
                catch (EnvException e)
                {
                    SendError(e.InnerException!, _firstIndex + e.Index, e.Request);
                }
                catch (Exception e) when (e is not BridgeProtocolException)
                {
                    SendError(e, null, kind.ToString()!.ToUpperInvariant());
                }
            }
        }
        finally
        {
            foreach (var env in _envs) env.Dispose();
        }
    }

    private void Hello()
    {
        if (_envs.Length > 0) throw new InvalidOperationException("HELLO was already received.");
        using var document = JsonDocument.Parse(connection.Body.ToArray());
        var root = document.RootElement;
        int protocol = root.TryGetProperty("protocol", out var p) ? p.GetInt32() : 0;
        if (protocol != BridgeProtocol.Version) throw new InvalidOperationException($"protocol {protocol} requested; this server speaks {BridgeProtocol.Version}.");
        int count = root.TryGetProperty("num_envs", out var n) ? n.GetInt32() : 1;
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "num_envs must be positive.");
        _firstIndex = root.TryGetProperty("first_index", out var f) ? f.GetInt32() : 0;
        var kwargs = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (root.TryGetProperty("kwargs", out var k) && k.ValueKind == JsonValueKind.Object)
            foreach (var property in k.EnumerateObject()) kwargs[property.Name] = property.Value.Clone();
        var envs = new IEnv[count];
        for (int i = 0; i < count; i++) envs[i] = factory(kwargs);
        _envs = envs;
        _observations = WireSpace.From(envs[0].ObservationSpace);
        _actions = WireSpace.From(envs[0].ActionSpace);
        _obs = new float[count * _observations.FlatSize];
        _terminal = new float[count * _observations.FlatSize];
        _action = new float[count * _actions.FlatSize];
        var ready = new JsonObject
        {
            ["protocol"] = BridgeProtocol.Version,
            ["num_envs"] = count,
            ["observation_space"] = JsonNode.Parse(_observations.ToJson()),
            ["action_space"] = JsonNode.Parse(_actions.ToJson()),
            ["env_id"] = envId,
            ["dotnet"] = Environment.Version.ToString(),
        };
        connection.Send(BridgeMessage.Ready, JsonSerializer.SerializeToUtf8Bytes(ready));
        connection.MaxFrameLength = (int)Math.Min(int.MaxValue, 64L + count * (4L + 13 + _actions.WireSize) + (16 << 20));
    }

    private void Reset()
    {
        var body = connection.Body;
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(body);
        var entries = new (int Index, int? Seed)[count];
        for (int j = 0; j < count; j++)
        {
            var entry = body[(4 + 13 * j)..];
            int index = CheckIndex((int)BinaryPrimitives.ReadUInt32LittleEndian(entry));
            entries[j] = (index, entry[4] != 0 ? checked((int)BinaryPrimitives.ReadInt64LittleEndian(entry[5..])) : null);
        }
        int flat = _observations.FlatSize, size = _observations.WireSize;
        var infos = new List<IReadOnlyDictionary<string, object>>(count);
        for (int j = 0; j < count; j++)
        {
            var (index, seed) = entries[j];
            Guard(index, "RESET", () => _envs[index].Reset(_obs.AsSpan(j * flat, flat), seed));
            infos.Add(_envs[index].Info);
        }
        int infoBytes = infos.Sum(BridgeInfos.SizeOf);
        var reply = connection.Begin(BridgeMessage.Observations, count * size + infoBytes);
        for (int j = 0; j < count; j++) _observations.Encode(_obs.AsSpan(j * flat, flat), reply.Slice(j * size, size));
        WriteInfos(infos, reply[(count * size)..]);
        connection.Send();
    }

    private void Step()
    {
        var body = connection.Body;
        bool autoreset = body[0] != 0;
        int count = (int)BinaryPrimitives.ReadUInt32LittleEndian(body[1..]);
        int actFlat = _actions.FlatSize, actSize = _actions.WireSize, flat = _observations.FlatSize, size = _observations.WireSize;
        if (body.Length != 5 + count * (4 + actSize)) throw new InvalidOperationException($"STEP of {count} envs has {body.Length} bytes; expected {5 + count * (4 + actSize)}.");
        Span<int> indices = count <= 256 ? stackalloc int[count] : new int[count];
        for (int j = 0; j < count; j++) indices[j] = CheckIndex((int)BinaryPrimitives.ReadUInt32LittleEndian(body[(5 + 4 * j)..]));
        var actions = body[(5 + 4 * count)..];
        var outcomes = new StepOutcome[count];
        var ended = new List<int>();
        var infos = new List<IReadOnlyDictionary<string, object>>(count);
        for (int j = 0; j < count; j++)
        {
            int index = indices[j];
            var action = _action.AsSpan(j * actFlat, actFlat);
            _actions.Decode(actions.Slice(j * actSize, actSize), action);
            var observation = _obs.AsSpan(j * flat, flat);
            int row = j;
            Guard(index, "STEP", () => outcomes[row] = _envs[index].Step(_action.AsSpan(row * actFlat, actFlat), _obs.AsSpan(row * flat, flat)));
            infos.Add(_envs[index].Info);
            if (autoreset && outcomes[j].Done)
            {
                observation.CopyTo(_terminal.AsSpan(ended.Count * flat, flat));
                ended.Add(j);
                Guard(index, "STEP", () => _envs[index].Reset(_obs.AsSpan(row * flat, flat)));
            }
        }
        int infoBytes = infos.Sum(BridgeInfos.SizeOf);
        var reply = connection.Begin(BridgeMessage.Stepped, count * (size + 10) + 4 + ended.Count * (4 + size) + infoBytes);
        for (int j = 0; j < count; j++) _observations.Encode(_obs.AsSpan(j * flat, flat), reply.Slice(j * size, size));
        var rest = reply[(count * size)..];
        for (int j = 0; j < count; j++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(rest[(8 * j)..], outcomes[j].Reward);
            rest[8 * count + j] = outcomes[j].Terminated ? (byte)1 : (byte)0;
            rest[9 * count + j] = outcomes[j].Truncated ? (byte)1 : (byte)0;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(rest[(10 * count)..], (uint)ended.Count);
        var terminals = rest[(10 * count + 4)..];
        for (int k = 0; k < ended.Count; k++)
        {
            var entry = terminals[(k * (4 + size))..];
            BinaryPrimitives.WriteUInt32LittleEndian(entry, (uint)ended[k]);
            _observations.Encode(_terminal.AsSpan(k * flat, flat), entry.Slice(4, size));
        }
        WriteInfos(infos, terminals[(ended.Count * (4 + size))..]);
        connection.Send();
    }

    private void Render()
    {
        int index = CheckIndex((int)BinaryPrimitives.ReadUInt32LittleEndian(connection.Body));
        RgbFrame frame = null!;
        Guard(index, "RENDER", () => frame = _envs[index].Render());
        var reply = connection.Begin(BridgeMessage.Frame, 12 + frame.Pixels.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(reply, (uint)frame.Height);
        BinaryPrimitives.WriteUInt32LittleEndian(reply[4..], (uint)frame.Width);
        BinaryPrimitives.WriteUInt32LittleEndian(reply[8..], 3);
        frame.Pixels.CopyTo(reply[12..]);
        connection.Send();
    }

    private void WriteInfos(List<IReadOnlyDictionary<string, object>> infos, Span<byte> destination)
    {
        int offset = 0;
        foreach (var info in infos) offset += BridgeInfos.Write(info, destination[offset..]);
    }

    private int CheckIndex(int index) => index >= 0 && index < _envs.Length
        ? index
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"env index {index} is outside 0 … {_envs.Length - 1}.");

    private static void Guard(int index, string request, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            throw new EnvException(index, request, e);
        }
    }

    private void SendError(Exception error, int? envIndex, string request)
    {
        var json = new JsonObject
        {
            ["type"] = error.GetType().Name,
            ["message"] = error.Message,
            ["traceback"] = error.ToString(),
            ["env_index"] = envIndex,
            ["request"] = request,
        };
        connection.Send(BridgeMessage.Error, JsonSerializer.SerializeToUtf8Bytes(json));
    }

    private sealed class EnvException(int index, string request, Exception inner) : Exception(inner.Message, inner)
    {
        public int Index { get; } = index;
        public string Request { get; } = request;
    }
}
