using Research.Abstractions.Options;
using Research.Rl.Policies;
using Research.Tensors.Nn;

namespace Research.Rl.Algorithms;

/// <summary>What <c>train_freq</c> counts: vector steps or finished episodes (the unit of Stable-Baselines' <c>(n, "episode")</c> tuple).</summary>
public enum TrainFrequencyUnit
{
    /// <summary>Collect <c>train_freq</c> vector steps per iteration.</summary>
    Step,

    /// <summary>Collect until <c>train_freq</c> episodes have finished (one environment only).</summary>
    Episode,
}

/// <summary>Stable-Baselines' <c>replay_buffer_kwargs</c>.</summary>
public sealed record ReplayBufferKwargs
{
    /// <summary>Bootstrap from the terminal observation of episodes cut by a time limit (Gymnasium's truncation) instead of treating them as ended.</summary>
    [Option("Treat truncated (time-limit) transitions as not done, so targets bootstrap from the terminal observation.")]
    public bool HandleTimeoutTermination { get; init; } = true;
}

/// <summary>Hyperparameters shared by the off-policy algorithms (Stable-Baselines' <c>OffPolicyAlgorithm</c> arguments, with its SAC/TD3 defaults).</summary>
public record OffPolicyOptions : AlgorithmOptions, IDiscountedOptions
{
    /// <summary>Optimizer step size, constant or <c>lin_X</c>.</summary>
    [Option("Learning rate: a number or lin_<start> (linear to 0).", Min = 0)]
    public Schedule LearningRate { get; init; } = 3e-4;

    /// <summary>Transitions the replay buffer keeps (over all environments).</summary>
    [Option("Replay buffer size in transitions.", Min = 1)]
    public int BufferSize { get; init; } = 1_000_000;

    /// <summary>Timesteps of uniformly random actions before learning starts.</summary>
    [Option("Timesteps of random actions collected before the first gradient step.", Min = 0)]
    public int LearningStarts { get; init; } = 100;

    /// <summary>Transitions per gradient step.</summary>
    [Option("Minibatch size of each gradient step.", Min = 1)]
    public int BatchSize { get; init; } = 256;

    /// <summary>Polyak coefficient of target updates (1: hard copy).</summary>
    [Option("Soft update coefficient of the target network (1 = hard copy).", Min = 0, Max = 1)]
    public double Tau { get; init; } = 0.005;

    /// <summary>Discount factor.</summary>
    [Option("Discount factor.", Min = 0, Max = 1)]
    public double Gamma { get; init; } = 0.99;

    /// <summary>Vector steps (or episodes, see <see cref="TrainFreqUnit"/>) collected per iteration.</summary>
    [Option("Steps (or episodes, with train_freq_unit = episode) collected between updates.", Min = 1)]
    public int TrainFreq { get; init; } = 1;

    /// <summary>Whether <see cref="TrainFreq"/> counts steps or episodes.</summary>
    [Option("Unit of train_freq: step or episode (Stable-Baselines' (n, \"episode\")).")]
    public TrainFrequencyUnit TrainFreqUnit { get; init; } = TrainFrequencyUnit.Step;

    /// <summary>Gradient steps per iteration; -1 does as many as timesteps were collected.</summary>
    [Option("Gradient steps after each collection (-1: as many as timesteps collected).", Min = -1)]
    public int GradientSteps { get; init; } = 1;

    /// <summary>Store each observation once (next observations are the following slot's).</summary>
    [Option("Store each observation once; needs replay_buffer_kwargs.handle_timeout_termination = false.")]
    public bool OptimizeMemoryUsage { get; init; }

    /// <summary>Replay buffer settings.</summary>
    [Option("Replay buffer settings (handle_timeout_termination).")]
    public ReplayBufferKwargs ReplayBufferKwargs { get; init; } = new();

    /// <summary>Network architecture (<c>net_arch</c>, ReLU by default as Stable-Baselines' off-policy policies).</summary>
    [Option("Network settings (net_arch, activation_fn, features_dim); ortho_init and log_std_init are not used off-policy.")]
    public PolicyOptions PolicyKwargs { get; init; } = new() { ActivationFn = Activation.Relu };
}
