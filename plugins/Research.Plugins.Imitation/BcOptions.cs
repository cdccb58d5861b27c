using Research.Abstractions.Options;
using Research.Rl.Imitation.Pretraining;
using Research.Rl.Policies;

namespace Research.Plugins.Imitation;

/// <summary>Behaviour cloning's hyperparameters: the expert data (Stable-Baselines' <c>ExpertDataset</c> arguments), the optimizer and the evaluation.</summary>
public sealed record BcOptions : AlgorithmOptions
{
    /// <summary>The expert archive (<c>.npz</c> in Stable-Baselines' layout).</summary>
    [Option("Expert data: an .npz with obs, actions, episode_starts, episode_returns (research expert record writes one).")]
    public string ExpertPath { get; init; } = "";

    /// <summary>Expert transitions per minibatch.</summary>
    [Option("Expert transitions per minibatch.", Min = 1)]
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam's step size.</summary>
    [Option("Adam learning rate: a number or lin_<start> (linear to 0 over the budget).", Min = 0)]
    public Schedule LearningRate { get; init; } = 1e-3;

    /// <summary>Adam's epsilon.</summary>
    [Option("Adam epsilon.", Min = 0)]
    public double AdamEps { get; init; } = 1e-8;

    /// <summary>Epochs over the training split per <c>Train()</c> iteration.</summary>
    [Option("Epochs over the training split per training iteration.", Min = 1)]
    public int NEpochs { get; init; } = 1;

    /// <summary>Episodes used from the start of the data (−1: all).</summary>
    [Option("Expert episodes used from the start of the data (-1: all).", Min = -1)]
    public int TrajLimitation { get; init; } = -1;

    /// <summary>Fraction of the transitions in the training split; the rest validates.</summary>
    [Option("Fraction of the expert transitions used for training (the rest validates).", Min = 0, Max = 1)]
    public double TrainFraction { get; init; } = 0.7;

    /// <summary>What is minimised.</summary>
    [Option("Loss: auto (mean_squared_error for Box actions, else negative_log_likelihood), negative_log_likelihood, mean_squared_error.")]
    public CloningLoss Loss { get; init; } = CloningLoss.Auto;

    /// <summary>Deterministic evaluation episodes played on the algorithm's environment.</summary>
    [Option("Deterministic evaluation episodes per evaluation (0: never evaluate).", Min = 0)]
    public int EvalEpisodes { get; init; } = 10;

    /// <summary>Iterations between evaluations.</summary>
    [Option("Training iterations between evaluations.", Min = 1)]
    public int EvalInterval { get; init; } = 1;

    /// <summary>Network architecture and initialisation (the actor is what is cloned).</summary>
    [Option("Policy network settings (net_arch, activation_fn, ortho_init, log_std_init).")]
    public PolicyOptions PolicyKwargs { get; init; } = new();
}
