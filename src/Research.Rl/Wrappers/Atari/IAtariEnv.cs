using Research.Abstractions.Environments;

namespace Research.Rl.Wrappers.Atari;

/// <summary>What Stable-Baselines' Atari wrappers ask of the emulator under them (<c>env.unwrapped</c>): the action meanings and the lives left.</summary>
/// <remarks>The Gymnasium bridge's remote ALE envs implement it; so can any C# env that wants the Atari preprocessing.</remarks>
public interface IAtariEnv : IEnv
{
    /// <summary>ALE's <c>get_action_meanings()</c>: <c>NOOP</c>, <c>FIRE</c>, <c>UP</c>, … one per action.</summary>
    IReadOnlyList<string> ActionMeanings { get; }

    /// <summary>ALE's <c>ale.lives()</c> now.</summary>
    int Lives { get; }
}

/// <summary>Finds the <see cref="IAtariEnv"/> under a stack of wrappers, as SB3's wrappers reach <c>env.unwrapped</c>.</summary>
public static class AtariEnvs
{
    /// <summary>The innermost environment as an <see cref="IAtariEnv"/>, or an error naming <paramref name="wrapper"/> and what it found.</summary>
    public static IAtariEnv Unwrapped(IEnv env, string wrapper)
    {
        var inner = env is EnvWrapper w ? w.Unwrapped : env;
        return inner as IAtariEnv
            ?? throw new ArgumentException($"{wrapper}: needs an Atari environment under it (IAtariEnv: action meanings and lives, e.g. gym:ALE/Pong-v5), but the innermost environment is {inner.GetType().Name}.");
    }
}
