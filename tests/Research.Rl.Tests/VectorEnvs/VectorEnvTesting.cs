using Research.Abstractions.Environments;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Tests.VectorEnvs;

/// <summary>Helpers shared by the vector-env tests.</summary>
public static class VectorEnvTesting
{
    /// <summary>Deterministic pseudo-random Discrete(2) actions for step <paramref name="t"/>.</summary>
    public static void FillActions(float[] actions, int t)
    {
        for (int i = 0; i < actions.Length; i++) actions[i] = ((t * 7 + i * 3) >> 1) % 2;
    }

    /// <summary>Every buffer a vector env exposes after a step, as one comparable record.</summary>
    public static string Snapshot(IVectorEnv env) =>
        string.Join("|",
            string.Join(",", env.Observations.Select(BitConverter.SingleToInt32Bits)),
            string.Join(",", env.Rewards.Select(BitConverter.SingleToInt32Bits)),
            string.Join(",", env.Terminated),
            string.Join(",", env.Truncated),
            string.Join(",", env.CompletedEpisodes),
            string.Join(",", Enumerable.Range(0, env.NumEnvs)
                .Where(i => env.Terminated[i] || env.Truncated[i])
                .SelectMany(i => env.TerminalObservations.Skip(i * env.SingleObservationSpace.FlatSize).Take(env.SingleObservationSpace.FlatSize))
                .Select(BitConverter.SingleToInt32Bits)));

    /// <summary>Steps <paramref name="steps"/> times with <see cref="FillActions"/> starting at step <paramref name="from"/> and returns the snapshots.</summary>
    public static List<string> Run(IVectorEnv env, int from, int steps)
    {
        var actions = new float[env.NumEnvs * env.SingleActionSpace.FlatSize];
        var snapshots = new List<string>();
        for (int t = from; t < from + steps; t++)
        {
            FillActions(actions, t);
            env.Step(actions);
            snapshots.Add(Snapshot(env));
        }
        return snapshots;
    }

    public static byte[] SaveState(IStateful stateful)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) stateful.WriteState(writer);
        return stream.ToArray();
    }

    public static void LoadState(IStateful stateful, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        stateful.ReadState(reader);
        Assert.Equal(reader.BaseStream.Length, reader.BaseStream.Position);
    }

    /// <summary>Envs of differing episode lengths, so they end on different steps.</summary>
    public static IEnv MixedCounter(int i) => new CounterEnv(episodeLength: 3 + i % 4);
}
