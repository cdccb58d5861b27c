using Research.Tensors;
using Research.Tensors.Distributions;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>
/// SAC's actor as Stable-Baselines3 builds it: features → <c>latent_pi</c> (an MLP, activated output) → <c>mu</c> (the mean) and
/// <c>log_std</c> (a linear layer, clamped to [−20, 2]); actions are tanh of a diagonal Gaussian sample, in [−1, 1].
/// With gSDE <c>log_std</c> is a <c>[latent, actions or 1]</c> parameter, exploration noise is latent·W (<see cref="StateDependentNoise"/>),
/// and <c>mu</c> is followed by a Hardtanh at ±<c>clip_mean</c>.
/// </summary>
public sealed class SacActor : Module
{
    /// <summary>SB3's bounds on the state-dependent log standard deviation.</summary>
    public const float LogStdMin = -20f, LogStdMax = 2f;

    private readonly Sequential _latentPi;
    private readonly Layer _mu;
    private readonly Linear? _logStdNet;
    private readonly Tensor? _logStdParameter;

    /// <summary>Builds the actor for <paramref name="actions"/> action dimensions on <paramref name="features"/>.</summary>
    public SacActor(FeatureExtractor features, int actions, PolicyOptions options, Generator generator, bool useSde)
    {
        Features = RegisterModule("features_extractor", features);
        var hidden = options.NetArch.Pi;
        _latentPi = RegisterModule("latent_pi", hidden.Length == 0
            ? new Sequential()
            : new Mlp([features.FeaturesDim, .. hidden], options.ActivationFn, generator, activateOutput: true, layerNorm: options.LayerNorm));
        LatentDim = hidden.Length > 0 ? hidden[^1] : features.FeaturesDim;
        ActionDim = actions;
        if (useSde)
        {
            // SB3 registers log_std before mu and draws the first exploration matrix while building them.
            _logStdParameter = RegisterParameter("log_std", Tensor.Full((float)options.LogStdInit, LatentDim, options.FullStd ? actions : 1));
            var mean = new Linear(LatentDim, actions, generator);
            Noise = new StateDependentNoise(_logStdParameter, LatentDim, actions, options.UseExpln);
            Noise.Reset(1, generator);
            _mu = RegisterModule<Layer>("mu", options.ClipMean > 0 ? new Sequential(mean, new Hardtanh(-(float)options.ClipMean, (float)options.ClipMean)) : mean);
        }
        else
        {
            _mu = RegisterModule<Layer>("mu", new Linear(LatentDim, actions, generator));
            _logStdNet = RegisterModule("log_std", new Linear(LatentDim, actions, generator));
        }
        UseExpln = options.UseExpln;
    }

    /// <summary>The feature extractor.</summary>
    public FeatureExtractor Features { get; }

    /// <summary>Size of the latent features (the last hidden layer).</summary>
    public int LatentDim { get; }

    /// <summary>Action dimensions.</summary>
    public int ActionDim { get; }

    /// <summary>gSDE's exploration matrices, or null without gSDE.</summary>
    public StateDependentNoise? Noise { get; }

    /// <summary>gSDE: the log standard deviation parameter, else null.</summary>
    public Tensor? LogStd => _logStdParameter;

    private bool UseExpln { get; }

    /// <summary>Latent features and mean actions (before tanh) for preprocessed observations.</summary>
    public (Tensor Latent, Tensor Mean) Forward(Tensor observations)
    {
        var latent = _latentPi.Forward(Features.Forward(observations));
        return (latent, _mu.Forward(latent));
    }

    /// <summary>The state-dependent log standard deviation, clamped to [−20, 2] (not with gSDE).</summary>
    public Tensor LogStdOf(Tensor latent) =>
        (_logStdNet ?? throw new InvalidOperationException("A gSDE actor has a log_std parameter, not a network.")).Forward(latent).Clamp(LogStdMin, LogStdMax);

    /// <summary>
    /// SB3's <c>action_log_prob</c>: a reparameterised squashed action <c>[batch, actions]</c> and its log-probability <c>[batch]</c>.
    /// <paramref name="standardNormal"/> holds the N(0, 1) draws: <c>[batch, actions]</c>, or with gSDE the exploration matrix's <c>[latent, actions]</c>.
    /// </summary>
    public (Tensor Action, Tensor LogProb) ActionLogProb(Tensor observations, Tensor standardNormal)
    {
        var (latent, mean) = Forward(observations);
        return _logStdParameter is not null
            ? StateDependentNoiseDistribution.SampleSquashedWithLogProb(mean, _logStdParameter, latent, standardNormal, UseExpln)
            : SquashedDiagGaussian.SampleWithLogProb(mean, LogStdOf(latent), standardNormal);
    }

    /// <summary>Squashed actions in [−1, 1] for preprocessed observations: tanh of the mean, or of a sample drawn with <paramref name="generator"/> (gSDE: the current exploration matrices).</summary>
    public void WriteActions(Tensor observations, int batch, bool deterministic, Generator generator, Span<float> scaled)
    {
        var (latent, mean) = Forward(observations);
        mean = mean.Contiguous();
        if (!deterministic)
        {
            // The Gaussian value goes into a scoped tensor so tanh is the engine's (as in training).
            var gaussian = Tensor.Empty(batch, ActionDim);
            var values = gaussian.AsSpan();
            if (Noise is not null)
            {
                Noise.WriteActions(mean.AsSpan(), latent.Contiguous().AsSpan(), batch, deterministic: false, values);
            }
            else
            {
                var meanValues = mean.AsSpan();
                var logStd = LogStdOf(latent).Contiguous().AsSpan();
                for (int i = 0; i < values.Length; i++) values[i] = meanValues[i] + MathF.Exp(logStd[i]) * (float)generator.NextNormal();
            }
            mean = gaussian;
        }
        mean.Tanh().AsSpan().CopyTo(scaled);
    }

    /// <summary>The mean standard deviation of gSDE's exploration matrix elements (SB3's <c>train/std</c>).</summary>
    public double MeanStd()
    {
        var logStd = (_logStdParameter ?? throw new InvalidOperationException("MeanStd needs a gSDE actor.")).AsSpan();
        double sum = 0;
        foreach (float x in logStd) sum += StateDependentNoiseDistribution.StdOf(x, UseExpln);
        // A [latent, 1] log std stands for the same value across every action column.
        return sum / logStd.Length;
    }
}
