using Research.Abstractions.Spaces;
using Research.Rl.Algorithms;
using Research.Tensors;
using Research.Tensors.Distributions;
using Research.Tensors.Memory;
using Research.Tensors.Nn;

namespace Research.Rl.Policies;

/// <summary>The actor and critic networks of one policy (Stable-Baselines' <c>MlpExtractor</c>): <c>policy_net</c> and <c>value_net</c>.</summary>
public sealed class MlpExtractor : Module
{
    /// <summary>Builds both networks on <paramref name="featuresDim"/> inputs.</summary>
    public MlpExtractor(int featuresDim, NetArchOptions netArch, Activation activation, Generator generator)
    {
        PolicyNet = RegisterModule("policy_net", Hidden(featuresDim, netArch.Pi, activation, generator));
        ValueNet = RegisterModule("value_net", Hidden(featuresDim, netArch.Vf, activation, generator));
        LatentDimPi = netArch.Pi.Length > 0 ? netArch.Pi[^1] : featuresDim;
        LatentDimVf = netArch.Vf.Length > 0 ? netArch.Vf[^1] : featuresDim;
    }

    /// <summary>The actor's hidden layers.</summary>
    public Sequential PolicyNet { get; }

    /// <summary>The critic's hidden layers.</summary>
    public Sequential ValueNet { get; }

    /// <summary>Output size of the actor's hidden layers.</summary>
    public int LatentDimPi { get; }

    /// <summary>Output size of the critic's hidden layers.</summary>
    public int LatentDimVf { get; }

    private static Sequential Hidden(int inputs, int[] sizes, Activation activation, Generator generator) =>
        sizes.Length == 0 ? new Sequential() : new Mlp([inputs, .. sizes], activation, generator, activateOutput: true);
}

/// <summary>
/// Stable-Baselines' <c>ActorCriticPolicy</c>: a shared feature extractor, separate actor and critic MLPs, an action head
/// (<c>action_net</c>, plus <c>log_std</c> for Box actions) and a value head (<c>value_net</c>); parameter names match SB3's state dict.
/// With gSDE (<c>use_sde</c>) Box actions explore through <see cref="StateDependentNoise"/> on the actor's latent features and
/// <c>log_std</c> is <c>[latent, actions]</c> (<c>full_std</c>) or <c>[latent, 1]</c>.
/// </summary>
public sealed class ActorCriticPolicy : PolicyBase
{
    private readonly FeatureExtractor _features;
    private readonly MlpExtractor _mlp;
    private readonly Linear _actionNet, _valueNet;
    private readonly Tensor? _logStd;
    private readonly StateDependentNoise? _noise;

    /// <summary>Builds the networks for the given spaces; <paramref name="algorithm"/> names the caller in errors; <paramref name="useSde"/> selects gSDE (Box actions only).</summary>
    public ActorCriticPolicy(Space observationSpace, Space actionSpace, PolicyOptions options, Generator generator, string algorithm, bool useSde = false)
        : base(observationSpace, actionSpace, options, generator, algorithm)
    {
        if (useSde && actionSpace is not Box)
            throw new UnsupportedSpaceException($"{algorithm}: use_sde=true (gSDE) needs a Box action space, but the action space is {actionSpace}; set use_sde=false.");
        if (options.SquashOutput)
            throw new NotSupportedException(useSde
                ? $"{algorithm}: policy_kwargs.squash_output=true (tanh-squashed gSDE actions) is not built; use squash_output=false (actions are clipped to the Box bounds)."
                : $"{algorithm}: policy_kwargs.squash_output=true is only available with use_sde=true (as in Stable-Baselines3), and is not built here; use squash_output=false.");
        _features = RegisterModule("features_extractor", CreateExtractor(observationSpace, options, generator));
        _mlp = RegisterModule("mlp_extractor", new MlpExtractor(_features.FeaturesDim, options.NetArch, options.ActivationFn, generator));
        _actionNet = RegisterModule("action_net", new Linear(_mlp.LatentDimPi, Head.ParameterCount, generator));
        if (useSde)
        {
            // SB3 draws the first exploration matrix while building the action net, before the value net.
            int latent = _mlp.LatentDimPi, actions = Head.ParameterCount;
            _logStd = RegisterParameter("log_std", Tensor.Full((float)options.LogStdInit, latent, options.FullStd ? actions : 1));
            _noise = new StateDependentNoise(_logStd, latent, actions, options.UseExpln);
            _noise.Reset(1, generator);
        }
        else if (Head.HasLogStd)
        {
            _logStd = RegisterParameter("log_std", Tensor.Full((float)options.LogStdInit, Head.ParameterCount));
        }
        _valueNet = RegisterModule("value_net", new Linear(_mlp.LatentDimVf, 1, generator));
        if (options.OrthoInit)
        {
            InitOrthogonal(_features, MathF.Sqrt(2), generator);
            InitOrthogonal(_mlp, MathF.Sqrt(2), generator);
            InitOrthogonal(_actionNet, 0.01f, generator);
            InitOrthogonal(_valueNet, 1f, generator);
        }
    }

    /// <inheritdoc />
    public override Tensor? LogStd => _logStd;

    /// <summary>The gSDE exploration state (null without <c>use_sde</c>).</summary>
    public StateDependentNoise? Noise => _noise;

    /// <summary>Stable-Baselines' <c>reset_noise</c>: new exploration matrices, one per environment (gSDE only).</summary>
    public void ResetNoise(int count) =>
        (_noise ?? throw new InvalidOperationException("ResetNoise needs a policy built with use_sde=true.")).Reset(count, Generator);

    /// <inheritdoc />
    public override Tensor ActionParameters(Tensor observations) =>
        _actionNet.Forward(_mlp.PolicyNet.Forward(_features.Forward(observations)));

    /// <summary>The action distribution and values <c>[batch]</c> in one pass over the shared features (SB3's <c>evaluate_actions</c> without the actions).</summary>
    public (IDistribution Distribution, Tensor Values) Evaluate(Tensor observations)
    {
        var (latent, mean, values) = Forward(observations);
        return (Distribution(mean, latent), values);
    }

    /// <inheritdoc />
    /// <remarks>
    /// With gSDE the scale depends on the latent features too; this distribution keeps that path in the gradient (unlike PPO's
    /// detached one), so minimising its negative log-likelihood by gradient descent actually lowers it.
    /// </remarks>
    public override IDistribution ActionDistribution(Tensor observations)
    {
        var latent = _mlp.PolicyNet.Forward(_features.Forward(observations));
        var mean = _actionNet.Forward(latent);
        return _noise is null
            ? Head.Distribution(mean, _logStd)
            : new StateDependentNoiseDistribution(mean, _logStd!, latent, _noise.UseExpln, learnFeatures: true);
    }

    /// <summary>One rollout step (SB3's <c>forward</c>): sampled, unclipped actions with their log-probabilities and the values, for <paramref name="batch"/> raw observations.</summary>
    public void Act(ReadOnlySpan<float> observations, int batch, Span<float> actions, Span<float> logProbs, Span<float> values)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var (latent, mean, predicted) = Forward(Preprocess(observations, batch));
        mean = mean.Contiguous();
        WriteSample(latent, mean, batch, deterministic: false, actions);
        Distribution(mean, latent).LogProb(Head.ActionTensor(actions, batch)).CopyTo(logProbs);
        predicted.Contiguous().CopyTo(values);
    }

    /// <summary>Values <c>[batch]</c> of preprocessed observations.</summary>
    public Tensor PredictValues(Tensor observations) =>
        _valueNet.Forward(_mlp.ValueNet.Forward(_features.Forward(observations))).Squeeze(1);

    /// <inheritdoc />
    protected override void WriteActions(Tensor observations, int batch, bool deterministic, Span<float> actions)
    {
        if (_noise is null)
        {
            base.WriteActions(observations, batch, deterministic, actions);
            return;
        }
        var latent = _mlp.PolicyNet.Forward(_features.Forward(observations));
        WriteSample(latent, _actionNet.Forward(latent).Contiguous(), batch, deterministic, actions);
    }

    /// <inheritdoc />
    protected override void WriteProbabilities(Tensor observations, int batch, Span<float> destination)
    {
        if (_noise is null)
        {
            base.WriteProbabilities(observations, batch, destination);
            return;
        }
        var latent = _mlp.PolicyNet.Forward(_features.Forward(observations)).Contiguous();
        _noise.WriteProbabilities(_actionNet.Forward(latent).Contiguous().AsSpan(), latent.AsSpan(), batch, destination);
    }

    /// <summary>SB3 redraws the exploration matrix after loading weights, so its scale follows the loaded <c>log_std</c>.</summary>
    protected override void OnWeightsLoaded() => _noise?.Reset(1, Generator);

    private (Tensor Latent, Tensor Mean, Tensor Values) Forward(Tensor observations)
    {
        var features = _features.Forward(observations);
        var latent = _mlp.PolicyNet.Forward(features);
        var values = _valueNet.Forward(_mlp.ValueNet.Forward(features)).Squeeze(1);
        return (latent, _actionNet.Forward(latent), values);
    }

    private IDistribution Distribution(Tensor mean, Tensor latent) => _noise is null
        ? Head.Distribution(mean, _logStd)
        : new StateDependentNoiseDistribution(mean, _logStd!, latent, _noise.UseExpln);

    private void WriteSample(Tensor latent, Tensor mean, int batch, bool deterministic, Span<float> actions)
    {
        if (_noise is null)
            Head.WriteActions(mean.AsSpan(), _logStd is null ? default : _logStd.AsSpan(), batch, deterministic, Generator, actions);
        else
            _noise.WriteActions(mean.AsSpan(), latent.Contiguous().AsSpan(), batch, deterministic, actions);
    }
}
