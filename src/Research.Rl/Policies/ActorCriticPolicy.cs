using Research.Abstractions.Spaces;
using Research.Tensors;
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
/// </summary>
public sealed class ActorCriticPolicy : PolicyBase
{
    private readonly FeatureExtractor _features;
    private readonly MlpExtractor _mlp;
    private readonly Linear _actionNet, _valueNet;
    private readonly Tensor? _logStd;

    /// <summary>Builds the networks for the given spaces; <paramref name="algorithm"/> names the caller in errors.</summary>
    public ActorCriticPolicy(Space observationSpace, Space actionSpace, PolicyOptions options, Generator generator, string algorithm)
        : base(observationSpace, actionSpace, options, generator, algorithm)
    {
        _features = RegisterModule("features_extractor", CreateExtractor(observationSpace, options, generator));
        _mlp = RegisterModule("mlp_extractor", new MlpExtractor(_features.FeaturesDim, options.NetArch, options.ActivationFn, generator));
        _actionNet = RegisterModule("action_net", new Linear(_mlp.LatentDimPi, Head.ParameterCount, generator));
        _valueNet = RegisterModule("value_net", new Linear(_mlp.LatentDimVf, 1, generator));
        if (Head.HasLogStd) _logStd = RegisterParameter("log_std", Tensor.Full((float)options.LogStdInit, Head.ParameterCount));
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

    /// <inheritdoc />
    public override Tensor ActionParameters(Tensor observations) =>
        _actionNet.Forward(_mlp.PolicyNet.Forward(_features.Forward(observations)));

    /// <summary>Action-network outputs <c>[batch, P]</c> and values <c>[batch]</c> in one pass over the shared features.</summary>
    public (Tensor Parameters, Tensor Values) Evaluate(Tensor observations)
    {
        var features = _features.Forward(observations);
        var parameters = _actionNet.Forward(_mlp.PolicyNet.Forward(features));
        var values = _valueNet.Forward(_mlp.ValueNet.Forward(features)).Squeeze(1);
        return (parameters, values);
    }

    /// <summary>Values <c>[batch]</c> of preprocessed observations.</summary>
    public Tensor PredictValues(Tensor observations) =>
        _valueNet.Forward(_mlp.ValueNet.Forward(_features.Forward(observations))).Squeeze(1);
}
