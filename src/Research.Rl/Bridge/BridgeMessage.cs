namespace Research.Rl.Bridge;

/// <summary>The message kinds of the bridge protocol (docs/bridge-protocol.md); a reply's kind is its request's with the high bit set.</summary>
public enum BridgeMessage : byte
{
    /// <summary>Request: create the environments (JSON).</summary>
    Hello = 0x01,

    /// <summary>Request: reset some environments with optional seeds and options.</summary>
    Reset = 0x02,

    /// <summary>Request: step some environments, with or without autoreset.</summary>
    Step = 0x03,

    /// <summary>Request: render one environment.</summary>
    Render = 0x04,

    /// <summary>Request: close the environments and exit.</summary>
    Close = 0x05,

    /// <summary>Reply to <see cref="Hello"/>: the spaces and what else the server knows (JSON).</summary>
    Ready = 0x81,

    /// <summary>Reply to <see cref="Reset"/>: observations and infos.</summary>
    Observations = 0x82,

    /// <summary>Reply to <see cref="Step"/>: observations, rewards, flags, terminal observations, infos.</summary>
    Stepped = 0x83,

    /// <summary>Reply to <see cref="Render"/>: an RGB frame.</summary>
    Frame = 0x84,

    /// <summary>Reply to <see cref="Close"/>.</summary>
    Closed = 0x85,

    /// <summary>Reply to anything that failed: type, message, traceback, env index (JSON).</summary>
    Error = 0xEE,
}

/// <summary>Protocol constants.</summary>
public static class BridgeProtocol
{
    /// <summary>The protocol version this build speaks.</summary>
    public const int Version = 1;

    /// <summary>The largest handshake frame accepted (16 MiB).</summary>
    public const int MaxHandshakeFrame = 16 << 20;

    /// <summary>The reply a request expects.</summary>
    public static BridgeMessage ReplyTo(BridgeMessage request) => (BridgeMessage)((byte)request | 0x80);

    /// <summary>Whether a kind is one of the protocol's.</summary>
    public static bool IsKnown(byte kind) => kind is (>= 0x01 and <= 0x05) or (>= 0x81 and <= 0x85) or 0xEE;
}
