using System.Runtime.CompilerServices;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Research.Tensors.Autograd;
using Research.Tensors.Kernels;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>−x.</summary>
    public Tensor Neg() => Unary(UnaryKind.Neg, 0, 0);

    /// <summary>x + s.</summary>
    public Tensor Add(float s) => Unary(UnaryKind.AddScalar, s, 0);

    /// <summary>x · s.</summary>
    public Tensor Mul(float s) => Unary(UnaryKind.MulScalar, s, 0);

    /// <summary>1 / x.</summary>
    public Tensor Reciprocal() => Unary(UnaryKind.Reciprocal, 0, 0);

    /// <summary>x^p for a constant exponent.</summary>
    public Tensor Pow(float exponent) => exponent == 2f ? Square() : Unary(UnaryKind.Pow, exponent, 0);

    /// <summary>x².</summary>
    public Tensor Square() => Unary(UnaryKind.Square, 0, 0);

    /// <summary>√x.</summary>
    public Tensor Sqrt() => Unary(UnaryKind.Sqrt, 0, 0);

    /// <summary>|x| (gradient 0 at 0, as PyTorch).</summary>
    public Tensor Abs() => Unary(UnaryKind.Abs, 0, 0);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => Unary(UnaryKind.Exp, 0, 0);

    /// <summary>Natural logarithm.</summary>
    public Tensor Log() => Unary(UnaryKind.Log, 0, 0);

    /// <summary>log(1 + x), accurate near 0.</summary>
    public Tensor Log1p() => Unary(UnaryKind.Log1p, 0, 0);

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => Unary(UnaryKind.Tanh, 0, 0);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => Unary(UnaryKind.Relu, 0, 0);

    /// <summary>x for x &gt; 0, else slope · x.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f) => Unary(UnaryKind.LeakyRelu, negativeSlope, 0);

    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    public Tensor Elu(float alpha = 1f) => Unary(UnaryKind.Elu, alpha, 0);

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    public Tensor Sigmoid() => Unary(UnaryKind.Sigmoid, 0, 0);

    /// <summary>log(1 + eˣ), computed stably.</summary>
    public Tensor Softplus() => Unary(UnaryKind.Softplus, 0, 0);

    /// <summary>Limits every element to [min, max]; the gradient passes where min ≤ x ≤ max (as PyTorch).</summary>
    public Tensor Clamp(float min, float max)
    {
        if (min > max) throw new ArgumentException($"Clamp needs min ≤ max, got min {min} and max {max}.");
        return Unary(UnaryKind.Clamp, min, max);
    }

    /// <summary>A contiguous copy (this tensor itself when already contiguous).</summary>
    public Tensor Contiguous() => IsContiguous ? this : Unary(UnaryKind.Copy, 0, 0);

    /// <summary>A contiguous copy that records the copy in the graph.</summary>
    public Tensor Clone() => Unary(UnaryKind.Copy, 0, 0);

    private Tensor Unary(UnaryKind kind, float p, float q)
    {
        if (!IsContiguous && kind != UnaryKind.Copy) return Contiguous().Unary(kind, p, q);
        var output = Empty(Shape);
        var y = output.AsSpan();
        if (kind == UnaryKind.Copy)
        {
            CopyTo(y);
            if (Backprop.Needed(this)) UnaryNode.Attach(output, this).Set(kind, p, q);
            return output;
        }
        ReadOnlySpan<float> x = AsSpan();
        switch (kind)
        {
            case UnaryKind.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryKind.AddScalar: TensorPrimitives.Add(x, p, y); break;
            case UnaryKind.MulScalar: TensorPrimitives.Multiply(x, p, y); break;
            case UnaryKind.Reciprocal: TensorPrimitives.Reciprocal(x, y); break;
            case UnaryKind.Pow: TensorPrimitives.Pow(x, p, y); break;
            case UnaryKind.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryKind.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryKind.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryKind.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryKind.Log: TensorPrimitives.Log(x, y); break;
            case UnaryKind.Log1p: TensorPrimitives.LogP1(x, y); break;
            case UnaryKind.Tanh: TanhKernel.Apply(x, y); break;
            case UnaryKind.Relu: TensorPrimitives.Max(x, 0f, y); break;
            case UnaryKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryKind.Clamp: TensorPrimitives.Clamp(x, p, q, y); break;
            case UnaryKind.LeakyRelu:
                for (int i = 0; i < y.Length; i++) y[i] = x[i] > 0 ? x[i] : p * x[i];
                break;
            case UnaryKind.Elu:
                for (int i = 0; i < y.Length; i++) y[i] = x[i] > 0 ? x[i] : p * (MathF.Exp(x[i]) - 1f);
                break;
            case UnaryKind.Softplus:
                // log(1 + eˣ) = max(x, 0) + log1p(e^−|x|): no overflow for large |x|.
                for (int i = 0; i < y.Length; i++) y[i] = MathF.Max(x[i], 0f) + (float)Math.Log(1.0 + Math.Exp(-Math.Abs(x[i])));
                break;
        }
        if (Backprop.Needed(this)) UnaryNode.Attach(output, this).Set(kind, p, q);
        return output;
    }

    private enum UnaryKind
    {
        Copy, Neg, AddScalar, MulScalar, Reciprocal, Pow, Square, Sqrt, Abs, Exp, Log, Log1p,
        Tanh, Relu, LeakyRelu, Elu, Sigmoid, Softplus, Clamp,
    }

    private sealed class UnaryNode : PooledNode<UnaryNode>
    {
        private UnaryKind _kind;
        private float _p, _q;

        public void Set(UnaryKind kind, float p, float q) => (_kind, _p, _q) = (kind, p, q);

        public override void Backward(Tensor grad)
        {
            var target = GradOf(A!);
            ReadOnlySpan<float> g = grad.AsSpan();
            var d = target.AsSpan();
            ReadOnlySpan<float> x = _kind == UnaryKind.Copy ? default : A!.AsSpan();
            ReadOnlySpan<float> y = Output.AsSpan();
            switch (_kind)
            {
                case UnaryKind.Copy:
                case UnaryKind.AddScalar: TensorPrimitives.Add(d, g, d); break;
                case UnaryKind.Neg: TensorPrimitives.Subtract(d, g, d); break;
                case UnaryKind.MulScalar: TensorPrimitives.MultiplyAdd(g, _p, d, d); break;
                case UnaryKind.Reciprocal: for (int i = 0; i < d.Length; i++) d[i] -= g[i] * y[i] * y[i]; break;
                case UnaryKind.Pow: for (int i = 0; i < d.Length; i++) d[i] += g[i] * _p * MathF.Pow(x[i], _p - 1f); break;
                case UnaryKind.Square: for (int i = 0; i < d.Length; i++) d[i] += 2f * g[i] * x[i]; break;
                case UnaryKind.Sqrt: for (int i = 0; i < d.Length; i++) d[i] += 0.5f * g[i] / y[i]; break;
                case UnaryKind.Abs: for (int i = 0; i < d.Length; i++) d[i] += x[i] > 0 ? g[i] : x[i] < 0 ? -g[i] : 0f; break;
                case UnaryKind.Exp: TensorPrimitives.MultiplyAdd(g, y, d, d); break;
                case UnaryKind.Log: for (int i = 0; i < d.Length; i++) d[i] += g[i] / x[i]; break;
                case UnaryKind.Log1p: for (int i = 0; i < d.Length; i++) d[i] += g[i] / (1f + x[i]); break;
                case UnaryKind.Tanh: TanhBackward(g, y, d); break;
                case UnaryKind.Relu: ReluBackward(g, x, d); break;
                case UnaryKind.LeakyRelu: for (int i = 0; i < d.Length; i++) d[i] += x[i] > 0 ? g[i] : _p * g[i]; break;
                case UnaryKind.Elu: for (int i = 0; i < d.Length; i++) d[i] += x[i] > 0 ? g[i] : g[i] * (y[i] + _p); break;
                case UnaryKind.Sigmoid: for (int i = 0; i < d.Length; i++) d[i] += g[i] * y[i] * (1f - y[i]); break;
                case UnaryKind.Softplus: for (int i = 0; i < d.Length; i++) d[i] += g[i] / (1f + MathF.Exp(-x[i])); break;
                case UnaryKind.Clamp: for (int i = 0; i < d.Length; i++) d[i] += x[i] >= _p && x[i] <= _q ? g[i] : 0f; break;
            }
        }

        /// <summary>d += x &gt; 0 ? g : 0, branch-free (the sign of a hidden unit is a coin flip, so a branch mispredicts half the time).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ReluBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> x, Span<float> d)
        {
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i <= d.Length - 8; i += 8)
                {
                    var open = Vector256.GreaterThan(Vector256.Create(x.Slice(i, 8)), Vector256<float>.Zero);
                    var r = Vector256.Create(d.Slice(i, 8)) + Vector256.ConditionalSelect(open, Vector256.Create(g.Slice(i, 8)), Vector256<float>.Zero);
                    r.CopyTo(d.Slice(i, 8));
                }
            }
            for (; i < d.Length; i++) d[i] += x[i] > 0 ? g[i] : 0f;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TanhBackward(ReadOnlySpan<float> g, ReadOnlySpan<float> y, Span<float> d)
        {
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var one = Vector256<float>.One;
                for (; i <= d.Length - 8; i += 8)
                {
                    var yv = Vector256.Create(y.Slice(i, 8));
                    var r = Vector256.Create(d.Slice(i, 8)) + Vector256.Create(g.Slice(i, 8)) * (one - yv * yv);
                    r.CopyTo(d.Slice(i, 8));
                }
            }
            for (; i < d.Length; i++) d[i] += g[i] * (1f - y[i] * y[i]);
        }
    }
}
