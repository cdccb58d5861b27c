using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Research.Tensors.Optim;

/// <summary>Adam's hyperparameters (PyTorch's defaults; SB3's PPO uses eps 1e-5).</summary>
public sealed record AdamOptions(double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8, double WeightDecay = 0);

/// <summary>Adam as <c>torch.optim.Adam</c> (L2 weight decay added to the gradient, no AMSGrad).</summary>
public sealed class Adam : Optimizer
{
    private readonly AdamOptions _options;
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;

    /// <summary>Adam over <paramref name="parameters"/>.</summary>
    public Adam(IEnumerable<Tensor> parameters, AdamOptions options) : base(parameters, options.LearningRate)
    {
        if (options.Beta1 is < 0 or >= 1 || options.Beta2 is < 0 or >= 1 || options.Eps < 0 || options.WeightDecay < 0)
            throw new ArgumentException($"Invalid Adam options {options}: betas must be in [0, 1), eps and weight decay ≥ 0.", nameof(options));
        _options = options;
        _expAvg = AddSlot("exp_avg", 0f);
        _expAvgSq = AddSlot("exp_avg_sq", 0f);
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        var m = _expAvg[index].AsSpan();
        var v = _expAvgSq[index].AsSpan();
        float beta1 = (float)_options.Beta1, beta2 = (float)_options.Beta2;
        float oneMinusBeta1 = (float)(1 - _options.Beta1), oneMinusBeta2 = (float)(1 - _options.Beta2);
        float weightDecay = (float)_options.WeightDecay, eps = (float)_options.Eps;
        double biasCorrection1 = 1 - Math.Pow(_options.Beta1, StepCount);
        float stepSize = (float)(LearningRate / biasCorrection1);
        float biasCorrection2Sqrt = (float)Math.Sqrt(1 - Math.Pow(_options.Beta2, StepCount));
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // The same operations in the same order as the scalar loop (no fused multiply-adds), so results do not
            // depend on the vector width.
            var vBeta1 = Vector256.Create(beta1);
            var vBeta2 = Vector256.Create(beta2);
            var vOneMinusBeta1 = Vector256.Create(oneMinusBeta1);
            var vOneMinusBeta2 = Vector256.Create(oneMinusBeta2);
            var vWeightDecay = Vector256.Create(weightDecay);
            var vEps = Vector256.Create(eps);
            var vCorrection = Vector256.Create(biasCorrection2Sqrt);
            var vStep = Vector256.Create(-stepSize);
            ref float pRef = ref MemoryMarshal.GetReference(parameter);
            ref float gRef = ref MemoryMarshal.GetReference(gradient);
            ref float mRef = ref MemoryMarshal.GetReference(m);
            ref float vRef = ref MemoryMarshal.GetReference(v);
            for (; i <= parameter.Length - 8; i += 8)
            {
                nuint at = (nuint)i;
                var p = Vector256.LoadUnsafe(ref pRef, at);
                var g = Vector256.LoadUnsafe(ref gRef, at);
                if (weightDecay != 0) g += vWeightDecay * p;
                var mi = Vector256.LoadUnsafe(ref mRef, at) * vBeta1 + g * vOneMinusBeta1;
                var vi = Vector256.LoadUnsafe(ref vRef, at) * vBeta2 + vOneMinusBeta2 * g * g;
                var denom = Vector256.Sqrt(vi) / vCorrection + vEps;
                mi.StoreUnsafe(ref mRef, at);
                vi.StoreUnsafe(ref vRef, at);
                (p + vStep * (mi / denom)).StoreUnsafe(ref pRef, at);
            }
        }
        for (; i < parameter.Length; i++)
        {
            float g = weightDecay != 0 ? gradient[i] + weightDecay * parameter[i] : gradient[i];
            m[i] = m[i] * beta1 + g * oneMinusBeta1;
            v[i] = v[i] * beta2 + oneMinusBeta2 * g * g;
            float denom = MathF.Sqrt(v[i]) / biasCorrection2Sqrt + eps;
            parameter[i] += -stepSize * (m[i] / denom);
        }
    }
}
