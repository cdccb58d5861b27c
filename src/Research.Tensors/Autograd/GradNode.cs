namespace Research.Tensors.Autograd;

/// <summary>
/// One recorded operation: its inputs and what it saved from the forward pass, and how to turn the gradient of its
/// output into gradients of its inputs. Nodes are pooled per type and recycled with their output tensor.
/// </summary>
internal abstract class GradNode
{
    /// <summary>Up to three tensor inputs; unused ones are null.</summary>
    public Tensor? A, B, C;

    /// <summary>The tensor this node produced.</summary>
    public Tensor Output = null!;

    public virtual int InputCount => C is not null ? 3 : B is not null ? 2 : A is not null ? 1 : 0;

    public virtual Tensor? Input(int i) => i switch { 0 => A, 1 => B, _ => C };

    /// <summary>Adds the input gradients implied by <paramref name="grad"/> (the gradient of <see cref="Output"/>, contiguous).</summary>
    public abstract void Backward(Tensor grad);

    public abstract void Recycle();

    /// <summary>The buffer <paramref name="input"/>'s gradient accumulates into (created as zeros on first use).</summary>
    protected static Tensor GradOf(Tensor input) => Backprop.GradBuffer(input);

    protected static bool Wants(Tensor? input) => input is not null && input.RequiresGrad;
}

/// <summary>A node type with its own per-thread free list.</summary>
internal abstract class PooledNode<TSelf> : GradNode where TSelf : PooledNode<TSelf>, new()
{
    [ThreadStatic] private static Stack<TSelf>? s_pool;

    /// <summary>A node from the pool (or new) attached to <paramref name="output"/> as its gradient function.</summary>
    public static TSelf Attach(Tensor output, Tensor? a, Tensor? b = null, Tensor? c = null)
    {
        var pool = s_pool;
        var node = pool is not null && pool.Count > 0 ? pool.Pop() : new TSelf();
        node.A = a;
        node.B = b;
        node.C = c;
        node.Output = output;
        output.GradFn = node;
        return node;
    }

    public override void Recycle()
    {
        A = B = C = null;
        Output = null!;
        Clear();
        (s_pool ??= new Stack<TSelf>()).Push((TSelf)this);
    }

    /// <summary>Drops any further references the node type holds.</summary>
    protected virtual void Clear()
    {
    }
}
