namespace Research.Rl.Bridge;

/// <summary>The other side broke the bridge protocol: a malformed frame, an unexpected kind, a body of the wrong size, or a stream that ended.</summary>
public class BridgeProtocolException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>The stream ended (the other process exited or closed its end).</summary>
public sealed class BridgeStreamEndedException(string message) : BridgeProtocolException(message);

/// <summary>The server reported an error (an ERROR frame): the exception type, message and traceback on its side.</summary>
public sealed class BridgeRemoteException(string type, string remoteMessage, string traceback, int? envIndex, string request)
    : Exception($"{type}: {remoteMessage}" + (traceback.Length > 0 ? $"\n{traceback.TrimEnd()}" : ""))
{
    /// <summary>The exception's class on the server (<c>ValueError</c>).</summary>
    public string RemoteType { get; } = type;

    /// <summary>The exception's message on the server.</summary>
    public string RemoteMessage { get; } = remoteMessage;

    /// <summary>The server's formatted traceback.</summary>
    public string Traceback { get; } = traceback;

    /// <summary>The env that raised, in the client's numbering; null when the request itself failed.</summary>
    public int? EnvIndex { get; } = envIndex;

    /// <summary>The request that failed (<c>STEP</c>).</summary>
    public string Request { get; } = request;
}

/// <summary>A space the flat float contract cannot represent (Text, Graph, Sequence, a Discrete beyond 2^24 …), named with where it sits.</summary>
public sealed class UnrepresentableSpaceException(string message) : NotSupportedException(message);
