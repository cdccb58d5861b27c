using System.Numerics.Tensors;
using Research.Tensors.Autograd;
using Research.Tensors.Kernels;

namespace Research.Tensors;

public sealed partial class Tensor
{
    /// <summary>Elementwise sum with broadcasting.</summary>
    public Tensor Add(Tensor other)
    {
        var output = BinaryResult<AddOp>(this, other, "add");
        if (Backprop.Needed(this, other)) AddNode.Attach(output, this, other);
        return output;
    }

    /// <summary>Elementwise difference with broadcasting.</summary>
    public Tensor Sub(Tensor other)
    {
        var output = BinaryResult<SubOp>(this, other, "sub");
        if (Backprop.Needed(this, other)) SubNode.Attach(output, this, other);
        return output;
    }

    /// <summary>Elementwise product with broadcasting.</summary>
    public Tensor Mul(Tensor other)
    {
        var output = BinaryResult<MulOp>(this, other, "mul");
        if (Backprop.Needed(this, other)) MulNode.Attach(output, this, other);
        return output;
    }

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public Tensor Div(Tensor other)
    {
        var output = BinaryResult<DivOp>(this, other, "div");
        if (Backprop.Needed(this, other)) DivNode.Attach(output, this, other);
        return output;
    }

    /// <summary>Elementwise minimum with broadcasting (ties split the gradient equally, as PyTorch).</summary>
    public static Tensor Minimum(Tensor a, Tensor b)
    {
        var output = BinaryResult<MinOp>(a, b, "minimum");
        if (Backprop.Needed(a, b)) ExtremumNode.Attach(output, a, b).TakesMaximum = false;
        return output;
    }

    /// <summary>Elementwise maximum with broadcasting (ties split the gradient equally, as PyTorch).</summary>
    public static Tensor Maximum(Tensor a, Tensor b)
    {
        var output = BinaryResult<MaxOp>(a, b, "maximum");
        if (Backprop.Needed(a, b)) ExtremumNode.Attach(output, a, b).TakesMaximum = true;
        return output;
    }

    /// <summary>Elements of <paramref name="a"/> where <paramref name="condition"/> is non-zero, else of <paramref name="b"/> (all broadcast).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        Span<int> ab = stackalloc int[MaxRank];
        Span<int> shape = stackalloc int[MaxRank];
        int abRank = Broadcast.Shapes(a.Shape, b.Shape, ab, "where");
        int rank = Broadcast.Shapes(condition.Shape, ab[..abRank], shape, "where");
        var mask = Empty(shape[..rank]);
        Elementwise.Binary<NotEqualZeroOp>(mask, mask, condition);
        var output = Empty(shape[..rank]);
        Elementwise.Copy(output, b);
        var fromA = Empty(shape[..rank]);
        Elementwise.Copy(fromA, a);
        var o = output.AsSpan();
        ReadOnlySpan<float> m = mask.AsSpan(), x = fromA.AsSpan();
        for (int i = 0; i < o.Length; i++) if (m[i] != 0) o[i] = x[i];
        if (Backprop.Needed(a, b)) WhereNode.Attach(output, a, b, mask);
        return output;
    }

    /// <summary>1 where this &gt; other, else 0 (no gradient).</summary>
    public Tensor Gt(Tensor other) => BinaryResult<GreaterOp>(this, other, "gt");

    /// <summary>1 where this &lt; other, else 0 (no gradient).</summary>
    public Tensor Lt(Tensor other) => BinaryResult<LessOp>(this, other, "lt");

    /// <summary>1 where this ≥ other, else 0 (no gradient).</summary>
    public Tensor Ge(Tensor other) => BinaryResult<GreaterOrEqualOp>(this, other, "ge");

    /// <summary>1 where this ≤ other, else 0 (no gradient).</summary>
    public Tensor Le(Tensor other) => BinaryResult<LessOrEqualOp>(this, other, "le");

    /// <summary>1 where this == other, else 0 (no gradient).</summary>
    public Tensor Eq(Tensor other) => BinaryResult<EqualOp>(this, other, "eq");

    /// <summary>1 where this &gt; <paramref name="value"/>, else 0 (no gradient).</summary>
    public Tensor Gt(float value) => Gt(ScalarLike(value));

    /// <summary>1 where this &lt; <paramref name="value"/>, else 0 (no gradient).</summary>
    public Tensor Lt(float value) => Lt(ScalarLike(value));

    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    public static Tensor operator -(Tensor a) => a.Neg();
    public static Tensor operator +(Tensor a, float s) => a.Add(s);
    public static Tensor operator +(float s, Tensor a) => a.Add(s);
    public static Tensor operator -(Tensor a, float s) => a.Add(-s);
    public static Tensor operator -(float s, Tensor a) => a.Neg().Add(s);
    public static Tensor operator *(Tensor a, float s) => a.Mul(s);
    public static Tensor operator *(float s, Tensor a) => a.Mul(s);
    public static Tensor operator /(Tensor a, float s) => a.Mul(1f / s);
    public static Tensor operator /(float s, Tensor a) => a.Reciprocal().Mul(s);

    private static Tensor BinaryResult<TOp>(Tensor a, Tensor b, string operation) where TOp : struct, IBinaryOp
    {
        Span<int> shape = stackalloc int[MaxRank];
        int rank = Broadcast.Shapes(a.Shape, b.Shape, shape, operation);
        var output = Empty(shape[..rank]);
        Elementwise.Binary<TOp>(output, a, b);
        return output;
    }

    private static Tensor ScalarLike(float value)
    {
        var t = Allocate([], zero: false, persistent: false);
        t.Storage[t.Offset] = value;
        return t;
    }

    private sealed class AddNode : PooledNode<AddNode>
    {
        public override void Backward(Tensor grad)
        {
            if (Wants(A)) Broadcast.ReduceInto<AddOp>(GradOf(A!), grad);
            if (Wants(B)) Broadcast.ReduceInto<AddOp>(GradOf(B!), grad);
        }
    }

    private sealed class SubNode : PooledNode<SubNode>
    {
        public override void Backward(Tensor grad)
        {
            if (Wants(A)) Broadcast.ReduceInto<AddOp>(GradOf(A!), grad);
            if (Wants(B)) Broadcast.ReduceInto<SubOp>(GradOf(B!), grad);
        }
    }

    private sealed class MulNode : PooledNode<MulNode>
    {
        public override void Backward(Tensor grad)
        {
            if (Wants(A)) Broadcast.ReduceInto<AddOp>(GradOf(A!), BinaryResult<MulOp>(grad, B!, "mul backward"));
            if (Wants(B)) Broadcast.ReduceInto<AddOp>(GradOf(B!), BinaryResult<MulOp>(grad, A!, "mul backward"));
        }
    }

    private sealed class DivNode : PooledNode<DivNode>
    {
        public override void Backward(Tensor grad)
        {
            var gOverB = BinaryResult<DivOp>(grad, B!, "div backward");
            if (Wants(A)) Broadcast.ReduceInto<AddOp>(GradOf(A!), gOverB);
            // d(a/b)/db = −(a/b)/b, so grad_b = −(g/b)·out.
            if (Wants(B)) Broadcast.ReduceInto<SubOp>(GradOf(B!), BinaryResult<MulOp>(gOverB, Output, "div backward"));
        }
    }

    private sealed class ExtremumNode : PooledNode<ExtremumNode>
    {
        public bool TakesMaximum;

        public override void Backward(Tensor grad)
        {
            // Share of the gradient going to A: 1 where A wins, ½ on ties, 0 where B wins.
            var share = Empty(grad.Shape);
            var aFull = Empty(grad.Shape);
            var bFull = Empty(grad.Shape);
            Elementwise.Copy(aFull, A!);
            Elementwise.Copy(bFull, B!);
            var s = share.AsSpan();
            ReadOnlySpan<float> x = aFull.AsSpan(), y = bFull.AsSpan(), g = grad.AsSpan();
            for (int i = 0; i < s.Length; i++)
            {
                bool aWins = TakesMaximum ? x[i] > y[i] : x[i] < y[i];
                s[i] = g[i] * (x[i] == y[i] ? 0.5f : aWins ? 1f : 0f);
            }
            if (Wants(A)) Broadcast.ReduceInto<AddOp>(GradOf(A!), share);
            if (Wants(B))
            {
                TensorPrimitives.Subtract(g, s, s);
                Broadcast.ReduceInto<AddOp>(GradOf(B!), share);
            }
        }
    }

    private sealed class WhereNode : PooledNode<WhereNode>
    {
        public override int InputCount => 2;

        public override void Backward(Tensor grad)
        {
            var part = Empty(grad.Shape);
            var p = part.AsSpan();
            ReadOnlySpan<float> m = C!.AsSpan(), g = grad.AsSpan();
            if (Wants(A))
            {
                for (int i = 0; i < p.Length; i++) p[i] = m[i] != 0 ? g[i] : 0f;
                Broadcast.ReduceInto<AddOp>(GradOf(A!), part);
            }
            if (Wants(B))
            {
                for (int i = 0; i < p.Length; i++) p[i] = m[i] != 0 ? 0f : g[i];
                Broadcast.ReduceInto<AddOp>(GradOf(B!), part);
            }
        }
    }
}
