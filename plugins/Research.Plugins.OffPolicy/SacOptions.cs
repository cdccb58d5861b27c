using System.Globalization;
using Research.Abstractions.Options;
using Research.Rl.Algorithms;
using Research.Rl.Policies;
using Research.Tensors.Nn;

namespace Research.Plugins.OffPolicy;

/// <summary>SAC's hyperparameters with Stable-Baselines3's defaults and names.</summary>
public sealed record SacOptions : ContinuousOffPolicyOptions
{
    /// <summary>SB3's SAC defaults over the shared off-policy ones: 256-256 ReLU networks, <c>log_std_init</c> −3.</summary>
    public SacOptions()
    {
        PolicyKwargs = new PolicyOptions
        {
            ActivationFn = Activation.Relu,
            NetArch = new NetArchOptions { Pi = [256, 256], Vf = [256, 256], Qf = [256, 256] },
            LogStdInit = -3,
        };
    }

    /// <summary>Entropy coefficient α: a number, <c>auto</c> (learned from 1) or <c>auto_X</c> (learned from X).</summary>
    [Option("Entropy coefficient: a number, 'auto' (learned, starting at 1) or 'auto_<x>' (learned, starting at x).")]
    public string EntCoef { get; init; } = "auto";

    /// <summary>Gradient steps between target updates, counted within each training call as SB3 does.</summary>
    [Option("Update the target critic when the gradient step's index within an update call is a multiple of this.", Min = 1)]
    public int TargetUpdateInterval { get; init; } = 1;

    /// <summary>Target entropy of the learned α: <c>auto</c> (−dim(A)) or a number.</summary>
    [Option("Target entropy when ent_coef is learned: 'auto' (minus the number of action dimensions) or a number.")]
    public string TargetEntropy { get; init; } = "auto";

    /// <summary>Generalized state-dependent exploration instead of independent Gaussian noise.</summary>
    [Option("gSDE: state-dependent exploration noise (latent features times a random matrix).")]
    public bool UseSde { get; init; }

    /// <summary>gSDE: redraw the exploration matrices every this many steps (−1: once per collection).</summary>
    [Option("gSDE: redraw the noise matrices every n steps (-1: only at the start of each collection).", Min = -1)]
    public int SdeSampleFreq { get; init; } = -1;

    /// <summary>gSDE: use the policy (with its state-dependent noise) before <c>learning_starts</c> instead of uniform actions.</summary>
    [Option("gSDE: act with the policy instead of uniformly random actions before learning_starts.")]
    public bool UseSdeAtWarmup { get; init; }

    /// <summary>
    /// Parses <see cref="EntCoef"/>: whether α is learned and its initial (or constant) value; <paramref name="owner"/> names the
    /// algorithm in the error.
    /// </summary>
    internal (bool Learned, double Value) ParseEntCoef(string owner)
    {
        string text = EntCoef.Trim();
        if (text.StartsWith("auto", StringComparison.Ordinal))
        {
            if (text == "auto") return (true, 1.0);
            string initial = text.StartsWith("auto_", StringComparison.Ordinal) ? text[5..] : "";
            if (double.TryParse(initial, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value))
                return (true, value);
            throw new OptionsException($"option 'ent_coef' for {owner}: '{EntCoef}' is not valid; after 'auto_' comes the initial coefficient, a positive number (e.g. 'auto_0.1').");
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double constant) && constant >= 0 && double.IsFinite(constant))
            return (false, constant);
        throw new OptionsException($"option 'ent_coef' for {owner}: '{EntCoef}' is not valid; expected a number ≥ 0, 'auto' or 'auto_<initial value>'.");
    }

    /// <summary>Parses <see cref="TargetEntropy"/> for an action space of <paramref name="actionDimensions"/> values.</summary>
    internal double ParseTargetEntropy(int actionDimensions, string owner)
    {
        string text = TargetEntropy.Trim();
        if (text == "auto") return -actionDimensions;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)) return value;
        throw new OptionsException($"option 'target_entropy' for {owner}: '{TargetEntropy}' is not valid; expected 'auto' or a number.");
    }
}
