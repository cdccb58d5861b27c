using Research.Abstractions.Spaces;

namespace Research.Rl.Algorithms;

/// <summary>Which action spaces each algorithm handles (as Stable-Baselines' table), so that a mismatch fails up front naming the alternatives.</summary>
public static class SpaceSupport
{
    private static readonly (string Algorithm, Type[] ActionSpaces)[] Table =
    [
        ("PPO", [typeof(Box), typeof(Discrete), typeof(MultiDiscrete), typeof(MultiBinary)]),
        ("A2C", [typeof(Box), typeof(Discrete), typeof(MultiDiscrete), typeof(MultiBinary)]),
        ("DQN", [typeof(Discrete)]),
        ("SAC", [typeof(Box)]),
        ("TD3", [typeof(Box)]),
        ("DDPG", [typeof(Box)]),
    ];

    /// <summary>Throws <see cref="UnsupportedSpaceException"/> when <paramref name="algorithm"/> cannot act in <paramref name="actionSpace"/>.</summary>
    public static void EnsureActionSpace(string algorithm, Space actionSpace)
    {
        var row = Table.FirstOrDefault(r => r.Algorithm == algorithm);
        if (row.ActionSpaces is not null && !row.ActionSpaces.Contains(actionSpace.GetType()))
            throw Unsupported(algorithm, actionSpace, "action");
    }

    /// <summary>The error for an unsupported space, naming the algorithms that support its kind.</summary>
    public static UnsupportedSpaceException Unsupported(string algorithm, Space space, string role)
    {
        string kind = space.GetType().Name;
        var others = role == "action"
            ? Table.Where(r => r.ActionSpaces.Contains(space.GetType())).Select(r => r.Algorithm).ToList()
            : [];
        string alternatives = others.Count > 0
            ? $"algorithms that support {kind} {role} spaces: {string.Join(", ", others)}"
            : $"no algorithm here supports {kind} {role} spaces";
        return new UnsupportedSpaceException($"{algorithm} does not support the {role} space {space} ({kind}); {alternatives}.");
    }
}

/// <summary>Raised when an algorithm is given an observation or action space it cannot handle.</summary>
public sealed class UnsupportedSpaceException(string message) : NotSupportedException(message);

/// <summary>Raised when a loss becomes NaN or infinite, before the weights are updated with it.</summary>
public sealed class NonFiniteLossException(string message) : ArithmeticException(message);

/// <summary>Raised when a model or checkpoint file cannot be used; the message names the file and the reason.</summary>
public sealed class ModelFormatException(string message, Exception? inner = null) : IOException(message, inner);
