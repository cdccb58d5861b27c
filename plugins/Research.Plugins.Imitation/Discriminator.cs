using Research.Abstractions.Spaces;
using Research.Rl.Policies;
using Research.Tensors;
using Research.Tensors.Memory;
using Research.Tensors.Nn;

namespace Research.Plugins.Imitation;

/// <summary>
/// GAIL's discriminator: an MLP from (observation features, action encoding) to one logit of D = P(pair is the expert's).
/// Discrete actions enter one-hot, Box actions as their values.
/// </summary>
public sealed class Discriminator : Module
{
    private readonly Space _observationSpace, _actionSpace;
    private readonly Mlp _net;

    /// <summary>Builds the network for the given spaces; only Discrete and Box actions are encoded.</summary>
    public Discriminator(Space observationSpace, Space actionSpace, int[] hidden, Activation activation, Generator generator)
    {
        if (actionSpace is not (Discrete or Box))
            throw new NotSupportedException($"GAIL supports Discrete and Box action spaces, not {actionSpace}.");
        _observationSpace = observationSpace;
        _actionSpace = actionSpace;
        ObservationFeatures = ObservationPreprocessor.FeatureSize(observationSpace);
        ActionFeatures = actionSpace is Discrete d ? d.N : actionSpace.FlatSize;
        _net = RegisterModule("net", new Mlp([InputSize, .. hidden, 1], activation, generator));
    }

    /// <summary>Network inputs from the observation.</summary>
    public int ObservationFeatures { get; }

    /// <summary>Network inputs from the action.</summary>
    public int ActionFeatures { get; }

    /// <summary>Network inputs per pair.</summary>
    public int InputSize => ObservationFeatures + ActionFeatures;

    /// <summary>Writes the network inputs of <paramref name="batch"/> pairs into <paramref name="destination"/> (<c>batch × InputSize</c>).</summary>
    public void Encode(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, int batch, Span<float> destination)
    {
        int actionSize = _actionSpace.FlatSize, observationSize = _observationSpace.FlatSize;
        for (int b = 0; b < batch; b++)
        {
            var row = destination.Slice(b * InputSize, InputSize);
            ObservationPreprocessor.Write(_observationSpace, observations.Slice(b * observationSize, observationSize), 1, row[..ObservationFeatures]);
            var encoded = row[ObservationFeatures..];
            if (_actionSpace is Discrete discrete)
            {
                encoded.Clear();
                encoded[(int)actions[b] - discrete.Start] = 1f;
            }
            else
            {
                actions.Slice(b * actionSize, actionSize).CopyTo(encoded);
            }
        }
    }

    /// <summary>Logits <c>[batch]</c> of encoded pairs <c>[batch, InputSize]</c>.</summary>
    public Tensor Logits(Tensor inputs) => _net.Forward(inputs).Squeeze(1);

    /// <summary>Writes the generator reward of <paramref name="batch"/> pairs into <paramref name="rewards"/>; allocates nothing after warm-up.</summary>
    public void Rewards(ReadOnlySpan<float> observations, ReadOnlySpan<float> actions, int batch, DiscriminatorReward form, Span<float> rewards)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var inputs = Tensor.Empty(batch, InputSize);
        Encode(observations, actions, batch, inputs.AsSpan());
        var logits = Logits(inputs).Contiguous().AsSpan();
        for (int b = 0; b < batch; b++) rewards[b] = Reward(logits[b], form);
    }

    /// <summary>The reward for one logit, computed stably: −log(1 − σ(l)) = softplus(l), log σ(l) = −softplus(−l).</summary>
    public static float Reward(float logit, DiscriminatorReward form) => form switch
    {
        DiscriminatorReward.NegLogOneMinusD => Softplus(logit),
        DiscriminatorReward.LogD => -Softplus(-logit),
        _ => logit,
    };

    private static float Softplus(float x) => MathF.Max(x, 0) + MathF.Log(1 + MathF.Exp(-MathF.Abs(x)));
}
