using Research.Abstractions.Options;
using Research.Rl.Algorithms;
using Research.Rl.Policies;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy;

/// <summary>TD3's hyperparameters with Stable-Baselines3's defaults and names.</summary>
public sealed record Td3Options : ContinuousOffPolicyOptions
{
    /// <summary>SB3's TD3 defaults over the shared off-policy ones: learning rate 1e-3, 400-300 ReLU networks.</summary>
    public Td3Options()
    {
        LearningRate = 1e-3;
        PolicyKwargs = DeterministicActorCriticDefaults.PolicyKwargs;
    }

    /// <summary>Critic updates per actor (and target) update.</summary>
    [Option("Update the actor and the targets every policy_delay critic updates.", Min = 1)]
    public int PolicyDelay { get; init; } = 2;

    /// <summary>Standard deviation of the Gaussian added to the target actor's action (target policy smoothing).</summary>
    [Option("Standard deviation of the noise added to target actions (target policy smoothing).", Min = 0)]
    public double TargetPolicyNoise { get; init; } = 0.2;

    /// <summary>The target policy noise is clipped to ±this.</summary>
    [Option("Clip the target policy noise to [-target_noise_clip, target_noise_clip].", Min = 0)]
    public double TargetNoiseClip { get; init; } = 0.5;
}

/// <summary>Stable-Baselines 2's <c>AdaptiveParamNoiseSpec</c> settings (the <c>param_noise</c> option of DDPG).</summary>
public sealed record ParamNoiseOptions
{
    /// <summary>Standard deviation of the weight perturbation at the start.</summary>
    [Option("Initial standard deviation of the actor weight perturbation.", Min = 0)]
    public double InitialStddev { get; init; } = 0.1;

    /// <summary>Distance between perturbed and unperturbed actions the adaptation aims at.</summary>
    [Option("Desired distance (root mean square, in [-1, 1] action units) between perturbed and unperturbed actions.", Min = 0)]
    public double DesiredActionStddev { get; init; } = 0.1;

    /// <summary>Factor the standard deviation is divided or multiplied by per adaptation.</summary>
    [Option("Factor the perturbation's standard deviation shrinks or grows by at each adaptation.", Min = 1)]
    public double AdoptionCoefficient { get; init; } = 1.01;
}

/// <summary>DDPG's hyperparameters: Stable-Baselines3's (TD3 with one critic, no policy delay, no target smoothing) plus Stable-Baselines 2's adaptive parameter noise.</summary>
public sealed record DdpgOptions : ContinuousOffPolicyOptions
{
    /// <summary>SB3's DDPG defaults over the shared off-policy ones: learning rate 1e-3, 400-300 ReLU networks (one critic).</summary>
    public DdpgOptions()
    {
        LearningRate = 1e-3;
        PolicyKwargs = DeterministicActorCriticDefaults.PolicyKwargs;
    }

    /// <summary>Adaptive parameter noise (SB2's <c>param_noise=AdaptiveParamNoiseSpec(...)</c>); null for none.</summary>
    [Option("Adaptive parameter noise (Stable-Baselines 2): initial_stddev, desired_action_stddev, adoption_coefficient; empty for none.")]
    public ParamNoiseOptions? ParamNoise { get; init; }

    /// <summary>Gradient steps between adaptations of the parameter noise (SB2's <c>param_noise_adaption_interval</c>).</summary>
    [Option("Adapt the parameter noise every this many gradient steps.", Min = 1)]
    public int ParamNoiseAdaptionInterval { get; init; } = 50;
}

/// <summary>The network defaults SB3's TD3 and DDPG share.</summary>
internal static class DeterministicActorCriticDefaults
{
    /// <summary>400-300 ReLU actor and critics (SB3's TD3Policy default for vector observations).</summary>
    public static PolicyOptions PolicyKwargs => new()
    {
        ActivationFn = Activation.Relu,
        NetArch = new NetArchOptions { Pi = [400, 300], Vf = [400, 300], Qf = [400, 300] },
    };
}
