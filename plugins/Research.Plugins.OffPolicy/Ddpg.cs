using System.Text.Json.Nodes;
using Research.Abstractions.Plugins;
using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Rl.Noise;
using Research.Rl.VectorEnvs;
using Research.Tensors;
using Research.Tensors.Memory;

namespace Research.Plugins.OffPolicy;

/// <summary>
/// Deep Deterministic Policy Gradient (Lillicrap et al. 2016) as Stable-Baselines3 implements it — TD3 with one critic, no policy delay
/// and no target smoothing — plus Stable-Baselines 2's adaptive parameter noise (<c>param_noise</c>): a perturbed copy of the actor explores,
/// redrawn at episode ends, its σ adapted every <c>param_noise_adaption_interval</c> gradient steps.
/// </summary>
[Algorithm("DDPG", Description = "Deep Deterministic Policy Gradient, Stable-Baselines3's defaults, with Stable-Baselines 2's adaptive parameter noise.")]
public sealed class Ddpg : DeterministicActorCriticAlgorithm<DdpgOptions>
{
    // Saved with the model (SB2 pickles the spec with its current σ), so a loaded model keeps exploring at the adapted scale.
    private const string ParamNoiseStddevKey = "param_noise_stddev";

    private readonly ParameterNoise? _parameterNoise;
    private bool _perturbationDue = true;
    private double _distanceSum;
    private int _adaptations;

    /// <summary>DDPG on <paramref name="env"/> (bounded Box actions).</summary>
    public Ddpg(IVectorEnv env, DdpgOptions options) : this(env, env.SingleObservationSpace, env.SingleActionSpace, options) { }

    private Ddpg(IVectorEnv? env, Space observationSpace, Space actionSpace, DdpgOptions options)
        : base("DDPG", env, observationSpace, actionSpace, options, defaultCritics: 1)
    {
        if (options.ParamNoise is { } spec)
            _parameterNoise = new ParameterNoise(Td3Policy.Actor, Td3Policy.CreateActorCopy(), Td3Policy.CreateActorCopy(),
                new AdaptiveParamNoiseSpec(spec.InitialStddev, spec.DesiredActionStddev, spec.AdoptionCoefficient));
    }

    /// <summary>Loads a model saved by <see cref="AlgorithmBase{TOptions}.Save"/>; with <paramref name="env"/> training can continue (with an empty replay buffer).</summary>
    public static Ddpg Load(string path, IVectorEnv? env = null) =>
        LoadModel(path, env, "DDPG", (observation, action, options) => new Ddpg(null, observation, action, options));

    /// <summary>The adaptive parameter noise, or null without <c>param_noise</c>.</summary>
    public ParameterNoise? ParameterNoise => _parameterNoise;

    /// <inheritdoc />
    protected override int PolicyDelay => 1;

    /// <inheritdoc />
    protected override double TargetPolicyNoise => 0.1;

    /// <inheritdoc />
    protected override double TargetNoiseClip => 0;

    /// <summary>With parameter noise the perturbed actor explores (redrawn first if an episode ended since), then action noise if any.</summary>
    protected override void SelectActions(ReadOnlySpan<float> observations, int n, Span<float> actions)
    {
        if (_parameterNoise is null)
        {
            base.SelectActions(observations, n, actions);
            return;
        }
        if (_perturbationDue)
        {
            _parameterNoise.Perturb(Generator);
            _perturbationDue = false;
        }
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        _parameterNoise.Perturbed.Forward(Td3Policy.Preprocess(observations, n)).Contiguous().AsSpan().CopyTo(actions);
    }

    /// <inheritdoc />
    protected override void OnEpisodeEnd(int environment)
    {
        base.OnEpisodeEnd(environment);
        _perturbationDue = true;
    }

    /// <summary>SB2's adaptation: on a fresh batch of replayed observations, every <c>param_noise_adaption_interval</c> gradient steps.</summary>
    private protected override void BeforeGradientStep()
    {
        if (_parameterNoise is null || Updates % Options.ParamNoiseAdaptionInterval != 0) return;
        var batch = SampleBatch();
        using var scope = TensorScope.Begin();
        _distanceSum += _parameterNoise.Adapt(Td3Policy.Preprocess(batch.Observations, batch.BatchSize), Generator);
        _adaptations++;
    }

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, double>> Update(int gradientSteps)
    {
        _distanceSum = 0;
        _adaptations = 0;
        var stats = base.Update(gradientSteps).ToList();
        if (_parameterNoise is not null)
        {
            stats.Add(new("param_noise_stddev", _parameterNoise.Spec.CurrentStddev));
            if (_adaptations > 0) stats.Add(new("param_noise_distance", _distanceSum / _adaptations));
        }
        return stats;
    }

    /// <inheritdoc />
    protected override void WriteModelData(JsonObject data)
    {
        if (_parameterNoise is not null) data[ParamNoiseStddevKey] = _parameterNoise.Spec.CurrentStddev;
    }

    /// <inheritdoc />
    protected override void ReadModelData(ModelArchive archive)
    {
        if (_parameterNoise is not null) _parameterNoise.Spec.CurrentStddev = archive.Property(ParamNoiseStddevKey).GetDouble();
    }

    /// <inheritdoc />
    protected override void WriteTrainingState(BinaryWriter writer)
    {
        base.WriteTrainingState(writer);
        writer.Write(_perturbationDue);
        _parameterNoise?.WriteState(writer);
    }

    /// <inheritdoc />
    protected override void ReadTrainingState(BinaryReader reader)
    {
        base.ReadTrainingState(reader);
        _perturbationDue = reader.ReadBoolean();
        _parameterNoise?.ReadState(reader);
    }
}
