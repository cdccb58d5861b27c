using Research.Abstractions.Spaces;
using Research.Rl.Noise;
using Research.Rl.Policies;
using Research.Rl.VectorEnvs;

namespace Research.Rl.Algorithms;

/// <summary>
/// What SAC, TD3 and DDPG share on top of <see cref="OffPolicyAlgorithm{TOptions}"/> (Stable-Baselines' <c>_sample_action</c>):
/// the policy acts in [−1, 1]; action noise is added there and the sum clipped to [−1, 1]; that is what the replay buffer stores,
/// and its mapping onto the Box's bounds is what the environment steps. Warm-up actions are uniform in [−1, 1]. Each environment has
/// its own noise process, reset when its episode ends; checkpoints include the processes.
/// </summary>
public abstract class ContinuousOffPolicyAlgorithm<TOptions> : OffPolicyAlgorithm<TOptions> where TOptions : ContinuousOffPolicyOptions
{
    private float[] _environmentActions = [], _noise = [];
    private VectorizedActionNoise? _actionNoise;

    /// <summary>Sets up collection on <paramref name="env"/> (or, when null, on the given spaces for prediction only).</summary>
    protected ContinuousOffPolicyAlgorithm(string name, IVectorEnv? env, Space observationSpace, Space actionSpace, TOptions options)
        : base(name, env, observationSpace, actionSpace, options)
    {
    }

    /// <summary>The policy: an actor in [−1, 1] and the critics.</summary>
    protected abstract OffPolicyActorCriticPolicy ActorCriticPolicy { get; }

    /// <summary>
    /// The action noise of each training environment (Stable-Baselines' <c>VectorizedActionNoise</c>), or null: built from <c>noise_type</c> when
    /// an environment is set; assign another (as SB3's <c>model.action_noise = …</c>) for a custom process.
    /// </summary>
    public VectorizedActionNoise? ActionNoise
    {
        get => _actionNoise;
        set
        {
            if (value is not null && value.BaseNoise.Size != ActionSpace.FlatSize)
                throw new ArgumentException($"{Name}: the action noise draws {value.BaseNoise.Size} values, the action space {ActionSpace} has {ActionSpace.FlatSize}.", nameof(value));
            if (value is not null && GetEnv() is { } env && value.Count != env.NumEnvs)
                throw new ArgumentException($"{Name}: the action noise has {value.Count} processes for {env.NumEnvs} environments.", nameof(value));
            _actionNoise = value;
        }
    }

    /// <inheritdoc />
    protected override void OnEnvChanged(IVectorEnv env)
    {
        base.OnEnvChanged(env);
        int size = ActionSpace.FlatSize, n = env.NumEnvs;
        _environmentActions = new float[n * size];
        _noise = new float[n * size];
        ActionNoise = CreateNoise(size) is { } noise ? new VectorizedActionNoise(noise, n) : null;
    }

    /// <summary>The zoo's action noise for one environment from <c>noise_type</c> and <c>noise_std</c> (zero mean), or null.</summary>
    private ActionNoise? CreateNoise(int size) => Options.NoiseType switch
    {
        ActionNoiseType.Normal => new NormalActionNoise(size, [0.0], [Options.NoiseStd]),
        ActionNoiseType.OrnsteinUhlenbeck => new OrnsteinUhlenbeckActionNoise(size, [0.0], [Options.NoiseStd], Options.NoiseTheta, Options.NoiseDt),
        _ => null,
    };

    /// <inheritdoc />
    protected override void SelectActions(ReadOnlySpan<float> observations, int n, Span<float> actions) =>
        ActorCriticPolicy.PredictScaled(observations, n, actions, deterministic: false);

    /// <summary>Uniform actions in [−1, 1] (Stable-Baselines samples the Box and scales; the distribution is the same).</summary>
    protected override void WriteWarmupActions(ReadOnlySpan<float> observations, int n, Span<float> actions)
    {
        for (int i = 0; i < n * ActionSpace.FlatSize; i++) actions[i] = (float)(2 * Generator.NextDouble() - 1);
    }

    /// <inheritdoc />
    protected override ReadOnlySpan<float> PrepareActions(Span<float> actions, int n)
    {
        int count = n * ActionSpace.FlatSize;
        if (ActionNoise is { } noise)
        {
            noise.Sample(_noise, Generator);
            for (int i = 0; i < count; i++) actions[i] = Math.Clamp(actions[i] + _noise[i], -1f, 1f);
        }
        ActorCriticPolicy.Scaling.Unscale(actions[..count], _environmentActions);
        return _environmentActions;
    }

    /// <inheritdoc />
    protected override void OnEpisodeEnd(int environment) => ActionNoise?.Reset(environment);

    /// <summary>Every noise process restarts with training (SB3 resets the action noise in <c>_setup_learn</c>).</summary>
    protected override void OnEnvReset() => ActionNoise?.Reset();

    /// <inheritdoc />
    protected override void WriteTrainingState(BinaryWriter writer)
    {
        writer.Write(ActionNoise is not null);
        ActionNoise?.WriteState(writer);
    }

    /// <inheritdoc />
    protected override void ReadTrainingState(BinaryReader reader)
    {
        bool hasNoise = reader.ReadBoolean();
        if (hasNoise != ActionNoise is not null)
            throw new InvalidDataException($"{Name}: the checkpoint {(hasNoise ? "has" : "has no")} action noise, this run {(ActionNoise is null ? "has none" : "has some")}.");
        ActionNoise?.ReadState(reader);
    }
}
