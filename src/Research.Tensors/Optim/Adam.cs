using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Research.Tensors.Kernels;

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

    /// <summary>Parameters at least this long are updated in stripes on the worker pool (the 256×256 layers of DQN's Q-network).</summary>
    private const int MinParallelLength = 1 << 14;

    [ThreadStatic] private static StripedUpdate? s_striped;

    /// <inheritdoc />
    protected override unsafe void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        double biasCorrection1 = 1 - Math.Pow(_options.Beta1, StepCount);
        var constants = new AdamConstants(
            (float)_options.Beta1, (float)_options.Beta2, (float)(1 - _options.Beta1), (float)(1 - _options.Beta2),
            (float)_options.WeightDecay, (float)_options.Eps, (float)(LearningRate / biasCorrection1),
            (float)Math.Sqrt(1 - Math.Pow(_options.Beta2, StepCount)));
        fixed (float* p = parameter, g = gradient, m = _expAvg[index].AsSpan(), v = _expAvgSq[index].AsSpan())
        {
            int threads = Parallelism.MaxThreads;
            if (parameter.Length < MinParallelLength || threads == 1)
            {
                Apply(constants, p, g, m, v, parameter.Length);
                return;
            }
            // Each element's update is independent, so stripes give the same bits as one pass.
            var job = s_striped ??= new StripedUpdate();
            job.Set(constants, p, g, m, v, parameter.Length, threads);
            WorkerPool.Run(job, threads, threads);
        }
    }

    private readonly record struct AdamConstants(float Beta1, float Beta2, float OneMinusBeta1, float OneMinusBeta2,
        float WeightDecay, float Eps, float StepSize, float BiasCorrection2Sqrt);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Apply(in AdamConstants k, float* parameter, float* gradient, float* m, float* v, int length)
    {
        float beta1 = k.Beta1, beta2 = k.Beta2, oneMinusBeta1 = k.OneMinusBeta1, oneMinusBeta2 = k.OneMinusBeta2;
        float weightDecay = k.WeightDecay, eps = k.Eps, stepSize = k.StepSize, biasCorrection2Sqrt = k.BiasCorrection2Sqrt;
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
            // |step·mᵢ/denom| ≤ |mᵢ|·step/eps (denom ≥ eps). Where that is below a quarter ulp of p (|p|·2⁻²⁶, with margin for
            // the roundings), p + update rounds back to p, so the square root and divisions can be skipped without changing
            // a bit. This is the common case for weights whose gradient has been zero for a while (dead ReLU units): their
            // first moment decays into denormals and stays there (k·2⁻¹⁴⁹·0.9 rounds back to k·2⁻¹⁴⁹ for k ≤ 4), and
            // arithmetic on denormals is several times slower.
            var vBound = Vector256.Create(eps > 0 ? stepSize / eps : float.PositiveInfinity);
            var vQuarterUlp = Vector256.Create(1f / (1 << 26));
            var vInfinity = Vector256.Create(float.PositiveInfinity);
            for (; i <= length - 8; i += 8)
            {
                var p = Vector256.Load(parameter + i);
                var g = Vector256.Load(gradient + i);
                if (weightDecay != 0) g += vWeightDecay * p;
                var mi = Vector256.Load(m + i) * vBeta1 + g * vOneMinusBeta1;
                var vi = Vector256.Load(v + i) * vBeta2 + vOneMinusBeta2 * g * g;
                Vector256.Store(mi, m + i);
                Vector256.Store(vi, v + i);
                var negligible = Vector256.LessThan(Vector256.Abs(mi) * vBound, Vector256.Abs(p) * vQuarterUlp) & Vector256.LessThan(vi, vInfinity);
                if (negligible.ExtractMostSignificantBits() == 0xFF) continue;
                var denom = Vector256.Sqrt(vi) / vCorrection + vEps;
                Vector256.Store(p + vStep * (mi / denom), parameter + i);
            }
        }
        for (; i < length; i++)
        {
            float g = weightDecay != 0 ? gradient[i] + weightDecay * parameter[i] : gradient[i];
            m[i] = m[i] * beta1 + g * oneMinusBeta1;
            v[i] = v[i] * beta2 + oneMinusBeta2 * g * g;
            float denom = MathF.Sqrt(v[i]) / biasCorrection2Sqrt + eps;
            parameter[i] += -stepSize * (m[i] / denom);
        }
    }

    /// <summary>One parameter's update cut into stripes of whole vectors for the worker pool; reused per calling thread.</summary>
    private sealed unsafe class StripedUpdate : IPartitionedWork
    {
        private AdamConstants _constants;
        private float* _parameter, _gradient, _m, _v;
        private int _length, _parts;

        public void Set(in AdamConstants constants, float* parameter, float* gradient, float* m, float* v, int length, int parts)
        {
            _constants = constants;
            _parameter = parameter;
            _gradient = gradient;
            _m = m;
            _v = v;
            _length = length;
            _parts = parts;
        }

        public void RunPart(int part)
        {
            int vectors = _length / 8;
            int first = (int)((long)vectors * part / _parts) * 8;
            int last = part == _parts - 1 ? _length : (int)((long)vectors * (part + 1) / _parts) * 8;
            Apply(_constants, _parameter + first, _gradient + first, _m + first, _v + first, last - first);
        }
    }
}
