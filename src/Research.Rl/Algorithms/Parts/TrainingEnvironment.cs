using Research.Abstractions.Environments;
using Research.Abstractions.Spaces;
using Research.Rl.Persistence;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Algorithms;

/// <summary>
/// The vector env an algorithm trains on and whether it has been started: the first start resets it with the seed (env i gets
/// seed + i), later starts (a new <c>Learn</c> that resets the counters) continue the envs' own streams, as Stable-Baselines does.
/// </summary>
public sealed class TrainingEnvironment(string owner, Space observationSpace, Space actionSpace)
{
    private const string Section = "environment";

    /// <summary>The environment, or null when the algorithm was loaded without one.</summary>
    public IVectorEnv? Env { get; private set; }

    /// <summary>Whether the environment has been reset for training.</summary>
    public bool Started { get; private set; }

    /// <summary>The environment; throws when there is none.</summary>
    public IVectorEnv Required => Env ?? throw new InvalidOperationException($"{owner} has no environment (it was loaded without one); call SetEnv first.");

    /// <summary>Uses <paramref name="env"/> from now on (not started yet); its spaces must equal the model's.</summary>
    public void Set(IVectorEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (!SpaceJson.AreEqual(env.SingleObservationSpace, observationSpace))
            throw new ArgumentException($"{owner}: the environment's observation space {env.SingleObservationSpace} differs from the model's {observationSpace}.", nameof(env));
        if (!SpaceJson.AreEqual(env.SingleActionSpace, actionSpace))
            throw new ArgumentException($"{owner}: the environment's action space {env.SingleActionSpace} differs from the model's {actionSpace}.", nameof(env));
        Env = env;
        Started = false;
    }

    /// <summary>Resets the environment: with <paramref name="seed"/> the first time, continuing its streams afterwards.</summary>
    public void Start(int? seed)
    {
        var env = Required;
        env.Reset(Started ? null : seed);
        Started = true;
    }

    internal void WriteState(SectionWriter writer)
    {
        var stateful = Stateful;
        writer.WriteBinary(Section, w =>
        {
            w.Write(Started);
            stateful.WriteState(w);
        });
    }

    internal void ReadState(SectionReader reader)
    {
        var stateful = Stateful;
        reader.ReadBinary(Section, r =>
        {
            Started = r.ReadBoolean();
            stateful.ReadState(r);
        });
        // Environments that could not be saved (Python envs behind the bridge) restart fresh, as SB3 does after load.
        if (VectorEnvStack.Find<INonRestorableVectorEnv>(Env!) is not null) Started = false;
    }

    private IStateful Stateful
    {
        get
        {
            var env = Env ?? throw new InvalidOperationException($"{owner} has no environment to checkpoint or restore; call SetEnv first.");
            return env as IStateful ?? throw new InvalidOperationException(
                $"{owner}: the environment ({env.GetType().Name}) does not implement IStateful, so a checkpoint could not restore it.");
        }
    }
}
