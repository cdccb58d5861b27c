using System.Text.Json;
using System.Text.Json.Nodes;
using Research.Abstractions.Spaces;

namespace Research.Rl.Bridge;

/// <summary>What a client asks for in HELLO.</summary>
/// <param name="Env">A Gymnasium id or <c>module:callable</c>.</param>
/// <param name="Kwargs">Keyword arguments of the env's constructor or <c>gymnasium.make</c> (JSON values).</param>
/// <param name="NumEnvs">Copies the server hosts.</param>
/// <param name="FirstIndex">The client's index of copy 0 (for the server's error messages).</param>
/// <param name="RenderMode">Render mode passed to <c>gymnasium.make</c> unless the kwargs set one; null for none.</param>
public sealed record BridgeHello(string Env, JsonObject Kwargs, int NumEnvs, int FirstIndex = 0, string? RenderMode = "rgb_array")
{
    /// <summary>The JSON body.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["protocol"] = BridgeProtocol.Version,
        ["env"] = Env,
        ["kwargs"] = Kwargs.DeepClone(),
        ["num_envs"] = NumEnvs,
        ["first_index"] = FirstIndex,
        ["render_mode"] = RenderMode,
    });
}

/// <summary>What a server answered in READY: the spaces (as described and as the contract's) and what else it knows about the env.</summary>
public sealed class BridgeReady
{
    private BridgeReady(JsonElement root)
    {
        NumEnvs = root.TryGetProperty("num_envs", out var n) ? n.GetInt32() : 1;
        ObservationWire = WireSpace.Parse(Property(root, "observation_space"), "observation_space");
        ActionWire = WireSpace.Parse(Property(root, "action_space"), "action_space");
        EnvId = OptionalString(root, "env_id");
        MaxEpisodeSteps = root.TryGetProperty("max_episode_steps", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out int steps) ? steps : null;
        RewardThreshold = root.TryGetProperty("reward_threshold", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null;
        ActionMeanings = root.TryGetProperty("action_meanings", out var a) && a.ValueKind == JsonValueKind.Array
            ? [.. a.EnumerateArray().Select(e => e.GetString() ?? "")]
            : null;
        Versions = string.Join(", ", new[] { "python", "numpy", "gymnasium" }
            .Select(k => OptionalString(root, k) is { } v ? $"{k} {v}" : null).Where(v => v is not null));
    }

    /// <summary>Copies the server hosts.</summary>
    public int NumEnvs { get; }

    /// <summary>The observation space as described.</summary>
    public WireSpace ObservationWire { get; }

    /// <summary>The action space as described.</summary>
    public WireSpace ActionWire { get; }

    /// <summary>The env's registered id, when the server knows it.</summary>
    public string? EnvId { get; }

    /// <summary>The registered time limit, when there is one.</summary>
    public int? MaxEpisodeSteps { get; }

    /// <summary>The registered reward threshold, when there is one.</summary>
    public double? RewardThreshold { get; }

    /// <summary>ALE's action meanings, when the env has them.</summary>
    public IReadOnlyList<string>? ActionMeanings { get; }

    /// <summary>The server's versions (<c>python 3.11.2, numpy 1.24.2</c>), for messages.</summary>
    public string Versions { get; }

    /// <summary>The contract's observation space.</summary>
    /// <exception cref="UnrepresentableSpaceException">It cannot be represented; the message names the space and where it sits.</exception>
    public Space ObservationSpace() => ObservationWire.ToSpace("observation_space");

    /// <summary>The contract's action space.</summary>
    public Space ActionSpace() => ActionWire.ToSpace("action_space");

    /// <summary>Parses a READY body.</summary>
    public static BridgeReady Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (!root.TryGetProperty("protocol", out var protocol) || protocol.GetInt32() != BridgeProtocol.Version)
                throw new BridgeProtocolException($"the server speaks protocol {(root.TryGetProperty("protocol", out var p) ? p.GetRawText() : "?")}; this client speaks {BridgeProtocol.Version}.");
            return new BridgeReady(root.Clone());
        }
        catch (JsonException e)
        {
            throw new BridgeProtocolException($"malformed READY: not JSON ({e.Message}).", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new BridgeProtocolException($"malformed READY: {e.Message}", e);
        }
    }

    private static JsonElement Property(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) ? v : throw new BridgeProtocolException($"malformed READY: no '{name}'.");

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
